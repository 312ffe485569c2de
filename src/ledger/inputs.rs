//! The small files beside a ledger: the cost-centre map, budgets and
//! savings targets (CSV or a spreadsheet), each line traced to its cell.

use crate::base::error::Error;
use crate::base::money::Amount;
use crate::input::import::{self, Records};
use crate::ledger::reconcile::{BudgetLine, TargetLine};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

fn table_of<'g>(
    grids: &'g [import::Grid],
    path: &Path,
    cols: &[&str],
    (unit, sheet_flag): (Option<Decimal>, Option<&str>),
) -> crate::Result<Records<'g>> {
    let g = sheet_of(grids, path, cols, sheet_flag)?;
    // A unit given for the file answers a title that states the same one.
    let r = Records::with_columns_given(g, cols, unit.map(|u| (u, "--budget-unit")))?;
    let a = r.accounting();
    if a.set_aside
        .iter()
        .any(|(_, why, _)| *why != import::RowRole::Blank.reason())
    {
        eprintln!("costshare: {a}");
    }
    Ok(r)
}

/// The sheet of a workbook that holds the table: the one visible sheet
/// whose header names `cols`. The first sheet was taken, though hidden
/// (last year's budgets) or one of two holding the budgets: the money read
/// was another's, and nothing said so. Several such sheets, or only hidden
/// ones, are refused, naming them; the sheets passed over are said.
fn sheet_of<'g>(
    grids: &'g [import::Grid],
    path: &Path,
    cols: &[&str],
    sheet_flag: Option<&str>,
) -> crate::Result<&'g import::Grid> {
    let refuse = |message: String| Error::Table {
        place: path.display().to_string(),
        message,
    };
    let first = grids
        .first()
        .ok_or_else(|| refuse("has no sheets".into()))?;
    if grids.len() == 1 {
        return first.usable();
    }
    // A sheet of the header alone (a template) holds no table.
    let holds = |g: &&import::Grid| {
        g.usable()
            .is_ok_and(|g| Records::with_columns(g, cols).is_ok_and(|r| !r.is_empty()))
    };
    let (hidden, shown): (Vec<&import::Grid>, Vec<&import::Grid>) =
        grids.iter().filter(holds).partition(|g| g.hidden);
    let names = |gs: &[&import::Grid]| {
        let n: Vec<String> = gs
            .iter()
            .map(|g| format!("{:?}", g.sheet.as_deref().unwrap_or("")))
            .collect();
        n.join(", ")
    };
    let name_it = match sheet_flag {
        Some(flag) => format!("name the one to read with {flag}"),
        None => "keep the one to read in a file of its own".to_string(),
    };
    let what = cols.join(", ");
    match (shown.as_slice(), hidden.as_slice()) {
        ([one], _) => {
            let others: Vec<&import::Grid> =
                grids.iter().filter(|g| !std::ptr::eq(*g, *one)).collect();
            eprintln!(
                "costshare: {}: read sheet {:?}, the one visible sheet with columns {what}; not read: {}",
                path.display(),
                one.sheet.as_deref().unwrap_or(""),
                names(&others)
            );
            Ok(one)
        }
        ([], []) => match grids.iter().filter(|g| !g.hidden).count() {
            // One sheet to read (the others hidden): its own error.
            0 | 1 => grids.iter().find(|g| !g.hidden).unwrap_or(first).usable(),
            _ => Err(refuse(format!(
                "no sheet holds columns {what} and lines under them: {}",
                grids
                    .iter()
                    .map(
                        |g| match g.usable().and_then(|g| Records::with_columns(g, cols)) {
                            Ok(_) => format!(
                                "{:?} has the header alone",
                                g.sheet.as_deref().unwrap_or("")
                            ),
                            Err(e) => e.to_string(),
                        }
                    )
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
        },
        ([], h) => Err(refuse(format!(
            "only hidden sheets hold columns {what} ({}): unhide the one to read, or {name_it}",
            names(h)
        ))),
        (s, _) => Err(refuse(format!(
            "{} sheets hold columns {what} ({}): {name_it}",
            s.len(),
            names(s)
        ))),
    }
}

fn figure(r: &import::Record, col: usize, what: &str) -> crate::Result<Decimal> {
    match r.amount(col)? {
        Amount::Value(d) => Ok(d),
        _ => Err(r.expected(col, what)),
    }
}

fn scaled(d: Decimal, unit: Decimal, r: &import::Record, col: usize) -> crate::Result<Decimal> {
    d.checked_mul(unit)
        .filter(|v| v.abs() <= crate::base::money::MAX_AMOUNT)
        .ok_or_else(|| r.expected(col, "an amount of at most £1,000,000,000,000,000 in pounds"))
}

/// A two-column lookup (a code to what it belongs to), each code once.
fn read_lookup(
    (path, sheet): (&Path, Sheet),
    (key, key_what): (&str, &str),
    (value, value_what): (&str, &str),
    clash: impl Fn(&str) -> String,
) -> crate::Result<HashMap<String, String>> {
    let grids = import::read_file(path, sheet.0)?;
    let t = table_of(&grids, path, &[key, value], (None, sheet.1))?;
    let (c, s) = (t.col(key)?, t.col(value)?);
    let mut m = HashMap::new();
    for r in t.iter() {
        let k = r.text(c, key_what)?;
        let v = r.text(s, value_what)?;
        // A service or group called Total would sit beside the reports' own
        // total rows of that name.
        if import::is_total_label_bytes(v.as_bytes()) {
            return Err(r.expected(s, &not_total(value_what, &v)));
        }
        if let Some(prev) = m.insert(k, v.clone())
            && prev != v
        {
            return Err(r.expected(c, &clash(&prev)));
        }
    }
    keys_alone(&t, c, value, &m);
    Ok(m)
}

/// Says which rows give a key and nothing beside it: set aside as notes
/// (a footnote looks the same), so their lines are unmapped, and the
/// reason given for notes did not say that.
fn keys_alone(t: &Records, key: usize, value: &str, mapped: &HashMap<String, String>) {
    let rows = t.grid.rows.iter().zip(t.roles());
    for (row, _) in rows.filter(|(_, role)| **role == import::RowRole::Note) {
        let filled: Vec<usize> = (0..row.cells.len())
            .filter(|&i| !row.cells[i].is_empty())
            .collect();
        // Only the key's cell is filled, so the row has it.
        if filled != [key] {
            continue;
        }
        let k = row.cells[key].display();
        if !mapped.contains_key(k.trim()) {
            eprintln!(
                "costshare: {}: {:?} has no {value} beside it: it maps nothing, and its lines are shown as unmapped",
                t.grid.row_place(row),
                k.trim()
            );
        }
    }
}

/// What a name may be instead of one the reports' total rows have.
fn not_total(what: &str, v: &str) -> String {
    format!("{what} other than {v:?}, which the reports' total rows are called")
}

/// A budget's or target's service, not named as a total row is.
fn service_name(r: &import::Record, col: usize) -> crate::Result<String> {
    let v = r.text(col, "a service")?;
    match import::is_total_label_bytes(v.as_bytes()) {
        true => Err(r.expected(col, &not_total("a service", &v))),
        false => Ok(v),
    }
}

/// The sheet of a workbook to read (None: the one holding the columns),
/// and the flag that names it, for a refusal to suggest.
pub type Sheet<'a> = (Option<&'a str>, Option<&'a str>);

/// Cost centre to service (CSV or a spreadsheet: cost_centre, service);
/// `sheet`, the sheet given by `--map-sheet`.
pub fn read_map(path: &Path, sheet: Option<&str>) -> crate::Result<HashMap<String, String>> {
    read_lookup(
        (path, (sheet, Some("--map-sheet"))),
        ("cost_centre", "a cost centre code"),
        ("service", "a service name"),
        |prev| format!("each cost centre mapped once (it is also mapped to {prev})"),
    )
}

pub fn read_budget(
    path: &Path,
    sheet: Option<&str>,
    unit: Option<Decimal>,
) -> crate::Result<Vec<BudgetLine>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(
        &grids,
        path,
        &["authority", "service", "budget"],
        (unit, Some("--budget-sheet")),
    )?;
    let (a, s, b) = (t.col("authority")?, t.col("service")?, t.col("budget")?);
    let unit = unit_of(&t, b, unit)?;
    // Budgets by account group: an optional column; a blank cell is a
    // budget for the service as a whole.
    let g = t.find_col("account group").or_else(|| t.find_col("group"));
    let lines = t
        .iter()
        .map(|r| {
            Ok(BudgetLine {
                authority: r.text(a, "an authority")?,
                service: service_name(&r, s)?,
                budget: scaled(figure(&r, b, "a budget in pounds")?, unit, &r, b)?,
                origin: r.origin(b),
                group: g.and_then(|g| r.opt_text(g)).filter(|x| !x.is_empty()),
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let keyed: Vec<(String, String, &crate::base::trace::Origin)> = lines
        .iter()
        .map(|l| {
            // A service's lines: one whole-service line, or one per group.
            let part = l
                .group
                .as_deref()
                .map(|g| format!(" / {g}"))
                .unwrap_or_default();
            (
                l.authority.clone(),
                format!("{}{part}", l.service),
                &l.origin,
            )
        })
        .collect();
    once(keyed.iter().map(|(a, s, o)| (a.as_str(), s.as_str(), *o)))?;
    mixed(&lines)?;
    Ok(lines)
}

/// Refuses a service budgeted both as a whole and by account group: which
/// is meant cannot be known.
fn mixed(lines: &[BudgetLine]) -> crate::Result<()> {
    let grouped: HashMap<(&str, &str), &BudgetLine> = lines
        .iter()
        .filter(|o| o.group.is_some())
        .map(|o| ((o.authority.as_str(), o.service.as_str()), o))
        .collect();
    for l in lines.iter().filter(|l| l.group.is_none()) {
        if let Some(o) = grouped.get(&(l.authority.as_str(), l.service.as_str())) {
            return Err(Error::Table {
                place: l.origin.to_string(),
                message: format!(
                    "{} / {} has a budget with no account group here and one by group at {}; give the service's budget either whole or by group",
                    l.authority, l.service, o.origin
                ),
            });
        }
    }
    Ok(())
}

/// The scale still to apply to a column's figures: the unit given for the
/// file, when the heading states none (a heading's unit is applied as the
/// figure is read); a heading that says another unit is refused.
fn unit_of(t: &Records, col: usize, given: Option<Decimal>) -> crate::Result<Decimal> {
    let heading = t.header.get(col).map_or("", String::as_str);
    match import::column_unit(heading, given, "--budget-unit") {
        Err(message) => Err(Error::Table {
            place: t.header_cell(col).to_string(),
            message,
        }),
        Ok(_) if t.scale(col) != Decimal::ONE => Ok(Decimal::ONE),
        Ok(_) => Ok(given.unwrap_or(Decimal::ONE)),
    }
}

/// Refuses a second line for the same authority and service: it would take
/// the same out-turn twice.
fn once<'a>(
    lines: impl Iterator<Item = (&'a str, &'a str, &'a crate::base::trace::Origin)>,
) -> crate::Result<()> {
    // Names are one case and Unicode form aside, as the ledger's are matched.
    let fold = crate::base::text::fold;
    let mut seen: HashMap<(String, String), (&str, &str, &crate::base::trace::Origin)> =
        HashMap::new();
    for (a, s, o) in lines {
        if let Some((fa, fs, first)) = seen.insert((fold(a), fold(s)), (a, s, o)) {
            let written = match (fa, fs) == (a, s) {
                true => String::new(),
                false => format!(", written {fa} / {fs}"),
            };
            return Err(Error::Table {
                place: o.to_string(),
                message: format!(
                    "{a} / {s} appears again (first at {first}{written}); give each authority's service one line, or the out-turn would be counted twice"
                ),
            });
        }
    }
    Ok(())
}

pub fn read_targets(
    path: &Path,
    sheet: Option<&str>,
    unit: Option<Decimal>,
) -> crate::Result<Vec<TargetLine>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(
        &grids,
        path,
        &["authority", "service", "baseline", "target"],
        (unit, Some("--targets-sheet")),
    )?;
    let (a, s, b, g) = (
        t.col("authority")?,
        t.col("service")?,
        t.col("baseline")?,
        t.col("target")?,
    );
    let (ub, ug) = (unit_of(&t, b, unit)?, unit_of(&t, g, unit)?);
    // Targets across years: the year each was set for, and what was
    // delivered towards it before, both optional.
    let (y, d) = (t.find_col("year"), t.find_col("delivered before"));
    let lines = t
        .iter()
        .map(|r| {
            let delivered_before = match d {
                Some(d) if !r.cell(d).is_empty() => {
                    let v = figure(&r, d, "savings delivered in earlier years, in pounds")?;
                    scaled(v, unit_of(&t, d, unit)?, &r, d)?
                }
                _ => Decimal::ZERO,
            };
            Ok(TargetLine {
                authority: r.text(a, "an authority")?,
                service: service_name(&r, s)?,
                baseline: scaled(figure(&r, b, "a baseline budget in pounds")?, ub, &r, b)?,
                target: scaled(figure(&r, g, "a savings target in pounds")?, ug, &r, g)?,
                origin: r.origin(g),
                year: y.map(|y| target_year(&r, y)).transpose()?,
                delivered_before,
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let keyed: Vec<(String, String, &crate::base::trace::Origin)> = lines
        .iter()
        .map(|l| {
            let year = l.year.map(|y| format!(" ({})", crate::base::year::Year(y)));
            let service = format!("{}{}", l.service, year.unwrap_or_default());
            (l.authority.clone(), service, &l.origin)
        })
        .collect();
    once(keyed.iter().map(|(a, s, o)| (a.as_str(), s.as_str(), *o)))?;
    Ok(lines)
}

/// A target's financial year: "2030/31", "2030-31", or a calendar year
/// ("2030") for years that start in January.
fn target_year(r: &import::Record, col: usize) -> crate::Result<i32> {
    let text = r.text(col, "the financial year the target was set for")?;
    let calendar = (text.len() == 4)
        .then(|| text.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2199).contains(y));
    match crate::base::year::Year::parse(&text)
        .map(|y| y.0)
        .or(calendar)
    {
        Some(y) => Ok(y),
        None => Err(r.expected(col, "a financial year such as 2030/31")),
    }
}

/// The period a profile column's heading names: "P4", "Period 4", or a
/// month ("Jul", "July") counted from the year's first month `start`.
/// A period number past twelve ("P13") is Err, for the caller to refuse:
/// it was passed over, its weight with it.
fn period_heading(heading: &str, start: u32) -> Result<Option<u32>, u32> {
    let k = import::header_key(heading);
    let num = k
        .strip_prefix("period")
        .or_else(|| k.strip_prefix('p'))
        .map(str::trim)
        .and_then(|n| n.parse::<u32>().ok());
    if let Some(p) = num {
        return (1..=12).contains(&p).then_some(Some(p)).ok_or(p);
    }
    let month = crate::base::date::month_of(&format!("1 {k} 2000")).map(|m| m.number());
    // "Apr-24", "Apr 2024", "April/2024": a month and its year.
    let dated = || {
        let (word, year) = k.split_once([' ', '-', '/', '\''])?;
        let year = year.trim();
        let digits = year.len() == 2 || year.len() == 4;
        (digits && year.bytes().all(|b| b.is_ascii_digit()))
            .then(|| crate::base::date::month_word(word.trim()))
            .flatten()
    };
    // A date cell ("2024-04-01", Excel's "Apr-24" typed) or "2024-04".
    let date = || {
        let iso = k
            .split_once('-')
            .filter(|(y, m)| y.len() == 4 && m.len() == 2);
        let month = iso
            .and_then(|(_, m)| m.parse::<u32>().ok())
            .filter(|m| (1..=12).contains(m));
        month.or_else(|| crate::base::date::month_of(&k).map(|m| m.number()))
    };
    Ok(month
        .or_else(dated)
        .or_else(date)
        .map(|m| (m + 12 - start) % 12 + 1))
}

/// A profile weight: a figure, or a percentage as a spreadsheet shows or
/// saves one ("10%" is 0.1, as the cell it came from holds it); whether
/// it was a percentage.
fn weight(r: &import::Record, col: usize) -> crate::Result<(Decimal, bool)> {
    const WHAT: &str = "a weight of zero or more";
    match r.cell(col) {
        import::CellValue::Text(t) if t.trim_end().ends_with('%') => {
            crate::base::money::parse_percent(t)
                .map(|p| (p / Decimal::ONE_HUNDRED, true))
                .ok_or_else(|| r.expected(col, WHAT))
        }
        // "£5" is a sum of money: a month's budget, not its share.
        import::CellValue::Text(t) if t.contains('£') => Err(r.expected(
            col,
            "a weight (a figure or a percentage), not a sum of money: give each period's share of the year",
        )),
        _ => Ok((figure(r, col, WHAT)?, false)),
    }
}

/// A row's twelve weights. Percentages and plain figures mixed in one row
/// are refused: "10%" beside "10" made that month's weight a hundred times
/// the others'. Percentages adding to other than 100% (a rounding's
/// worth aside) are said (the note returned): they are shares of their
/// own sum.
fn weights(r: &import::Record, cols: &[usize]) -> crate::Result<([Decimal; 12], Option<String>)> {
    let mut weights = [Decimal::ZERO; 12];
    let mut pct: Option<(usize, bool)> = None;
    for (w, &c) in weights.iter_mut().zip(cols) {
        let (v, is_pct) = weight(r, c)?;
        if v.is_sign_negative() && !v.is_zero() {
            return Err(r.expected(c, "a weight of zero or more"));
        }
        // A zero reads alike either way ("0" among percentages).
        match pct {
            _ if v.is_zero() => {}
            Some((first, p)) if p != is_pct => {
                let (a, b) = if p {
                    ("percentages", "a percentage")
                } else {
                    ("plain figures", "a plain figure")
                };
                return Err(r.expected(
                    c,
                    &format!(
                        "{b}, as the row's other weights are {a} (from {}): write every weight of a row alike",
                        r.origin(first)
                    ),
                ));
            }
            None => pct = Some((c, is_pct)),
            _ => {}
        }
        *w = v;
    }
    let sum: Decimal = weights.iter().sum();
    let off = (sum - Decimal::ONE).abs() > Decimal::new(6, 3);
    let note = (pct.is_some_and(|p| p.1) && off).then(|| {
        format!(
            "{}: the profile's percentages add to {}%, not 100%: each period takes its percentage's share of that",
            r.place(),
            (sum * Decimal::ONE_HUNDRED).normalize()
        )
    });
    Ok((weights, note))
}

/// A row's "Total" cell, when the profile has one, is its weights' sum:
/// one that is not (a weight mistyped) is refused, naming it. Within a
/// rounding's worth (0.6%), as twelve shares typed to one place are.
fn total_agrees(
    r: &import::Record,
    col: Option<usize>,
    weights: &[Decimal; 12],
) -> crate::Result<()> {
    let Some(c) = col.filter(|&c| !r.cell(c).is_empty()) else {
        return Ok(());
    };
    let (total, _) = weight(r, c)?;
    let sum: Decimal = weights.iter().sum();
    if (sum - total).abs() > total.abs() * Decimal::new(6, 3) {
        return Err(r.expected(
            c,
            &format!(
                "the sum of the row's weights ({}), as a total column holds it",
                sum.normalize()
            ),
        ));
    }
    Ok(())
}

/// Budget profiles: a service (optionally one authority's) and twelve
/// weights, one per period, in columns headed P1…P12 or by month name.
/// `sheet`, the sheet given by `--profile-sheet`.
pub fn read_profiles(
    path: &Path,
    sheet: Option<&str>,
    start: u32,
) -> crate::Result<crate::ledger::monitor::Profiles> {
    use crate::ledger::monitor::{Profile, Profiles};
    let grids = import::read_file(path, sheet)?;
    let t = table_of(&grids, path, &["service"], (None, Some("--profile-sheet")))?;
    let s = t.col("service")?;
    let a = t.find_col("authority");
    let g = t.find_col("account group");
    let mut cols = [None; 12];
    for (i, h) in t.header.iter().enumerate() {
        let p = period_heading(h, start).map_err(|p| Error::Table {
            place: path.display().to_string(),
            message: format!(
                "column {h:?} names period {p}, but a year has twelve (P1…P12): take the column out or fold its weight into a period"
            ),
        })?;
        if let Some(p) = p
            && cols[p as usize - 1].replace(i).is_some()
        {
            return Err(Error::Table {
                place: path.display().to_string(),
                message: format!("period {p} has two columns (the second is {h:?})"),
            });
        }
    }
    if let Some(p) = cols.iter().position(Option::is_none) {
        return Err(Error::Table {
            place: path.display().to_string(),
            message: format!(
                "no column for period {} (expected twelve columns, P1…P12 or month names)",
                p + 1
            ),
        });
    }
    let mut out = Profiles::default();
    let total = t.find_col("total");
    for r in t.iter() {
        let at: Vec<usize> = cols.iter().flatten().copied().collect();
        let (weights, note) = weights(&r, &at)?;
        total_agrees(&r, total, &weights)?;
        if let Some(note) = note {
            eprintln!("costshare: warning: {note}");
            out.notes.push(note);
        }
        if weights.iter().all(|w| w.is_zero()) {
            return Err(r.expected(s, "a profile with some weight in one period at least"));
        }
        let authority = a.and_then(|a| r.opt_text(a)).unwrap_or_default();
        let service = r.text(s, "a service")?;
        let group = g.and_then(|g| r.opt_text(g)).unwrap_or_default();
        let origin = r.origin(s);
        let key = (authority, service, group);
        if let Some(prev) = out.by.get(&key) {
            return Err(r.expected(
                s,
                &format!(
                    "each service (or account group) profiled once (also at {})",
                    prev.origin
                ),
            ));
        }
        out.by.insert(key, Profile { weights, origin });
    }
    Ok(out)
}

/// Account to account group (CSV or a spreadsheet: account, group);
/// `sheet`, the sheet given by `--accounts-sheet`.
pub fn read_accounts(path: &Path, sheet: Option<&str>) -> crate::Result<HashMap<String, String>> {
    read_lookup(
        (path, (sheet, Some("--accounts-sheet"))),
        ("account", "an account code"),
        ("group", "an account group"),
        |prev| format!("each account in one group (it is also in {prev})"),
    )
}

/// A service's own forecast out-turn: authority, service, forecast;
/// `sheet`, the sheet given by `--forecast-sheet`.
pub fn read_forecasts(
    path: &Path,
    sheet: Option<&str>,
    unit: Option<Decimal>,
) -> crate::Result<HashMap<(String, String), (Decimal, crate::base::trace::Origin)>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(
        &grids,
        path,
        &["authority", "service", "forecast"],
        (unit, Some("--forecast-sheet")),
    )?;
    let (a, s, f) = (t.col("authority")?, t.col("service")?, t.col("forecast")?);
    let unit = unit_of(&t, f, unit)?;
    let mut out = HashMap::new();
    for r in t.iter() {
        let key = (r.text(a, "an authority")?, r.text(s, "a service")?);
        let v = scaled(figure(&r, f, "a forecast out-turn in pounds")?, unit, &r, f)?;
        if out.insert(key, (v, r.origin(f))).is_some() {
            return Err(r.expected(s, "each authority's service forecast once"));
        }
    }
    Ok(out)
}
