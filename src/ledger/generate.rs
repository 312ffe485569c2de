//! A realistic, deterministic ledger with its map, budgets and targets, for
//! tests and benchmarks.

use super::Keyed;
use crate::base::error::{Error, Result};
use std::path::Path;

/// The services, cost centres and ledger lines `generate` draws from.
const SERVICES: &[(&str, u32)] = &[
    ("Audit", 2),
    ("HR", 3),
    ("ICT", 6),
    ("Legal", 3),
    ("Revenues & Benefits", 6),
    ("Parking", 3),
    ("Environmental Health", 4),
    ("Planning Support", 3),
];
const AUTHORITIES: &[(&str, char)] = &[("ADC", 'A'), ("BDC", 'B'), ("CBC", 'C')];
/// Account groups of the subjective analysis, by account code.
const GROUPS: &[(u32, &str)] = &[
    (1001, "Employees"),
    (1010, "Employees"),
    (1100, "Employees"),
    (1200, "Transport"),
    (2001, "Premises"),
    (4010, "Supplies and services"),
    (4100, "Supplies and services"),
    (4200, "Supplies and services"),
    (9001, "Income"),
    (9100, "Income"),
];
const DESCRIPTIONS: &[(&str, u32, bool)] = &[
    ("Salaries", 1001, false),
    ("Employer's pension contributions", 1010, false),
    ("Agency staff, temporary cover", 1100, false),
    ("Travel and mileage", 1200, false),
    ("Rent, rates and service charges", 2001, false),
    ("Stationery, printing and postage", 4010, false),
    ("Software licences \"annual\" renewal", 4100, false),
    ("Professional fees", 4200, false),
    ("Fees and charges", 9001, true),
    ("Recharges to partners", 9100, true),
];

/// What `generate` wrote and the exact totals it generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub rows: u64,
    pub total_pence: i128,
    /// (authority, cost centre) → pence, as generated.
    pub totals: Keyed,
}

/// A cost centre: its authority, code and service (None: left out of the map).
type Centre = (String, String, Option<String>);

/// Each file appears under its name only once complete.
fn create(p: &Path) -> Result<crate::base::atomic::Pending> {
    crate::base::atomic::Pending::create(p)
}

fn write_err(p: &Path) -> impl Fn(std::io::Error) -> Error + use<> {
    let path = p.display().to_string();
    move |source| Error::Write {
        path: path.clone(),
        source,
    }
}

/// Writes a realistic, deterministic ledger (ledger.csv, a year from April
/// 2014), its cost-centre map (map.csv), budgets (budget.csv), savings
/// targets (targets.csv), account groups (accounts.csv), open orders
/// (commitments.csv) and a seasonal budget profile (profile.csv) to `dir`.
/// Quoted descriptions with commas and quotes, income as negatives, a few
/// cost centres missing from the map, one budget line with no spending.
pub fn generate(
    dir: &Path,
    rows: u64,
    seed: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<Generated> {
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    // An interrupted run's half-written files (hidden, never the real names).
    crate::base::atomic::sweep(dir);
    let centres = cost_centres();
    let mut rng = crate::base::rng::Rng::new(seed);
    let made = write_ledger(&dir.join("ledger.csv"), &centres, rows, &mut rng, progress)?;
    write_map(&dir.join("map.csv"), &centres)?;
    write_budgets(dir, &centres, &made, &mut rng)?;
    write_monitoring(dir, &centres, seed)?;
    Ok(made)
}

/// Cost centres: M-AUD-01 … per authority and service; two per authority unmapped.
fn cost_centres() -> Vec<Centre> {
    let mut centres = Vec::new();
    for (a, letter) in AUTHORITIES {
        for (s, n) in SERVICES {
            let code: String = s
                .chars()
                .filter(|c| c.is_ascii_uppercase())
                .take(3)
                .collect();
            for i in 1..=*n {
                centres.push((
                    a.to_string(),
                    format!("{letter}-{code}-{i:02}"),
                    Some(s.to_string()),
                ));
            }
        }
        for i in 1..=2 {
            centres.push((a.to_string(), format!("{letter}-X-9{i:02}"), None));
        }
    }
    centres
}

fn write_ledger(
    path: &Path,
    centres: &[Centre],
    rows: u64,
    rng: &mut crate::base::rng::Rng,
    progress: &mut dyn FnMut(u64),
) -> Result<Generated> {
    use std::io::Write;
    let mut w = create(path)?;
    let e = write_err(path);
    writeln!(w, "date,authority,cost_centre,account,description,amount").map_err(&e)?;
    let mut made = Generated {
        rows,
        total_pence: 0,
        totals: Keyed::default(),
    };
    let unmapped: Vec<&Centre> = centres.iter().filter(|c| c.2.is_none()).collect();
    for n in 0..rows {
        let r = rng.next_u64();
        // Unmapped centres get about 1 line in 200.
        let c = if r.is_multiple_of(200) {
            unmapped[((r >> 8) % unmapped.len() as u64) as usize]
        } else {
            &centres[((r >> 8) % centres.len() as u64) as usize]
        };
        let (desc, account, income) =
            DESCRIPTIONS[((r >> 20) % DESCRIPTIONS.len() as u64) as usize];
        let r2 = rng.next_u64();
        let mut pence = (r2 % 250_000) as i64 + 1; // up to £2,500.00
        if income {
            pence = -pence;
        }
        let day = (r2 >> 32) % 365;
        let (month, dom) = (day / 31, day % 28 + 1);
        let (y, m) = if month < 9 {
            (2014, month + 4)
        } else {
            (2015, month - 8)
        };
        let desc_q = desc.replace('"', "\"\"");
        let sign = if pence < 0 { "-" } else { "" };
        writeln!(
            w,
            "{y}-{m:02}-{dom:02},{},{},{account},\"{desc_q}\",{sign}{}.{:02}",
            c.0,
            c.1,
            pence.unsigned_abs() / 100,
            pence.unsigned_abs() % 100
        )
        .map_err(&e)?;
        *made.totals.entry((c.0.clone(), c.1.clone())).or_insert(0) += pence as i128;
        made.total_pence += pence as i128;
        if n % 1_000_000 == 999_999 {
            progress(n + 1);
        }
    }
    w.commit()?;
    Ok(made)
}

fn write_map(path: &Path, centres: &[Centre]) -> Result<()> {
    use std::io::Write;
    let mut w = create(path)?;
    let e = write_err(path);
    writeln!(w, "cost_centre,service").map_err(&e)?;
    for (_, cc, s) in centres {
        if let Some(s) = s {
            writeln!(w, "{cc},{s}").map_err(&e)?;
        }
    }
    w.commit()
}

/// Budgets: the generated out-turn of each service, moved by up to ±8 %,
/// to whole pounds; plus a service budgeted but never spent on. Targets:
/// a baseline 12 % above the budget, and 10 % of it to save.
fn write_budgets(
    dir: &Path,
    centres: &[Centre],
    made: &Generated,
    rng: &mut crate::base::rng::Rng,
) -> Result<()> {
    use std::io::Write;
    let budget = dir.join("budget.csv");
    let targets = dir.join("targets.csv");
    let (mut wb, mut wt) = (create(&budget)?, create(&targets)?);
    let (eb, et) = (write_err(&budget), write_err(&targets));
    writeln!(wb, "authority,service,budget").map_err(&eb)?;
    writeln!(wt, "authority,service,baseline,target").map_err(&et)?;
    for (a, _) in AUTHORITIES {
        for (s, _) in SERVICES {
            let spent: i128 = centres
                .iter()
                .filter(|c| c.0 == *a && c.2.as_deref() == Some(*s))
                .map(|c| {
                    made.totals
                        .get(&(c.0.clone(), c.1.clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .sum();
            let swing = (rng.next_u64() % 1601) as i128 - 800; // basis points
            let budget_p = spent + spent / 10_000 * swing;
            writeln!(wb, "{a},{s},{}", budget_p / 100).map_err(&eb)?;
            let baseline = budget_p / 100 * 112 / 100;
            writeln!(wt, "{a},{s},{baseline},{}", baseline / 10).map_err(&et)?;
        }
        writeln!(wb, "{a},Shared Fraud Investigation,25000").map_err(&eb)?;
    }
    wb.commit()?;
    wt.commit()
}

/// The files monitoring needs beside the ledger: account groups, a few
/// open orders per authority (their own random stream, so the ledger and
/// budgets do not change with them) and a seasonal profile for Parking.
fn write_monitoring(dir: &Path, centres: &[Centre], seed: u64) -> Result<()> {
    use std::io::Write;
    let path = dir.join("accounts.csv");
    let (mut w, e) = (create(&path)?, write_err(&path));
    writeln!(w, "account,group").map_err(&e)?;
    for (code, group) in GROUPS {
        writeln!(w, "{code},{group}").map_err(&e)?;
    }
    w.commit()?;
    let path = dir.join("commitments.csv");
    let (mut w, e) = (create(&path)?, write_err(&path));
    writeln!(w, "authority,cost_centre,order,amount").map_err(&e)?;
    let mut rng = crate::base::rng::Rng::new(seed ^ 0x5eed_c0de);
    for n in 0..40u64 {
        let c = &centres[(rng.next_u64() % centres.len() as u64) as usize];
        let pence = rng.next_u64() % 1_000_000 + 100;
        writeln!(
            w,
            "{},{},PO{:05},{}.{:02}",
            c.0,
            c.1,
            n + 1,
            pence / 100,
            pence % 100
        )
        .map_err(&e)?;
    }
    w.commit()?;
    let path = dir.join("profile.csv");
    let (mut w, e) = (create(&path)?, write_err(&path));
    writeln!(w, "service,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec,Jan,Feb,Mar").map_err(&e)?;
    writeln!(w, "Parking,8,9,10,11,12,10,8,7,7,6,6,6").map_err(&e)?;
    w.commit()
}
