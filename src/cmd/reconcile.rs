use crate::cli::{NegArg, emit};
use crate::error::Error;
use crate::import::{self, Records};
use crate::ledger::{self, Columns, LedgerTotals};
use crate::money::{Amount, Negatives};
use crate::reconcile::{self, BudgetLine, TargetLine, Thresholds};
use crate::report::{self, OutFormat};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

fn table_of<'g>(
    grids: &'g [import::Grid],
    path: &Path,
    cols: &[&str],
) -> crate::Result<Records<'g>> {
    let g = grids.first().ok_or_else(|| Error::Table {
        place: path.display().to_string(),
        message: "has no sheets".into(),
    })?;
    let g = g.usable()?;
    let r = Records::with_columns(g, cols)?;
    let a = r.accounting();
    if a.set_aside
        .iter()
        .any(|(_, why, _)| *why != import::RowRole::Blank.reason())
    {
        eprintln!("costshare: {a}");
    }
    Ok(r)
}

fn figure(r: &import::Record, col: usize, what: &str) -> crate::Result<Decimal> {
    match r.amount(col)? {
        Amount::Value(d) => Ok(d),
        _ => Err(r.expected(col, what)),
    }
}

fn scaled(d: Decimal, unit: Decimal, r: &import::Record, col: usize) -> crate::Result<Decimal> {
    d.checked_mul(unit)
        .filter(|v| v.abs() <= crate::money::MAX_AMOUNT)
        .ok_or_else(|| r.expected(col, "an amount of at most £1,000,000,000,000,000 in pounds"))
}

fn read_map(path: &Path) -> crate::Result<HashMap<String, String>> {
    let grids = import::read_file(path, None)?;
    let t = table_of(&grids, path, &["cost_centre", "service"])?;
    let (c, s) = (t.col("cost_centre")?, t.col("service")?);
    let mut m = HashMap::new();
    for r in t.iter() {
        let cc = r.text(c, "a cost centre code")?;
        let svc = r.text(s, "a service name")?;
        if let Some(prev) = m.insert(cc.clone(), svc.clone())
            && prev != svc
        {
            return Err(r.expected(
                c,
                &format!("each cost centre mapped once (it is also mapped to {prev})"),
            ));
        }
    }
    Ok(m)
}

fn read_budget(path: &Path, sheet: Option<&str>, unit: Decimal) -> crate::Result<Vec<BudgetLine>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(&grids, path, &["authority", "service", "budget"])?;
    let (a, s, b) = (t.col("authority")?, t.col("service")?, t.col("budget")?);
    // A heading that states its unit wins over --budget-unit.
    let unit = if t.scale(b) == Decimal::ONE {
        unit
    } else {
        Decimal::ONE
    };
    let lines = t
        .iter()
        .map(|r| {
            Ok(BudgetLine {
                authority: r.text(a, "an authority")?,
                service: r.text(s, "a service")?,
                budget: scaled(figure(&r, b, "a budget in pounds")?, unit, &r, b)?,
                origin: r.origin(b),
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    once(
        lines
            .iter()
            .map(|l| (l.authority.as_str(), l.service.as_str(), &l.origin)),
    )?;
    Ok(lines)
}

/// Refuses a second line for the same authority and service: it would take
/// the same out-turn twice.
fn once<'a>(
    lines: impl Iterator<Item = (&'a str, &'a str, &'a crate::trace::Origin)>,
) -> crate::Result<()> {
    let mut seen: HashMap<(&str, &str), &crate::trace::Origin> = HashMap::new();
    for (a, s, o) in lines {
        if let Some(first) = seen.insert((a, s), o) {
            return Err(Error::Table {
                place: o.to_string(),
                message: format!(
                    "{a} / {s} appears again (first at {first}); give each authority's service one line, or the out-turn would be counted twice"
                ),
            });
        }
    }
    Ok(())
}

fn read_targets(path: &Path, unit: Decimal) -> crate::Result<Vec<TargetLine>> {
    let grids = import::read_file(path, None)?;
    let t = table_of(
        &grids,
        path,
        &["authority", "service", "baseline", "target"],
    )?;
    let (a, s, b, g) = (
        t.col("authority")?,
        t.col("service")?,
        t.col("baseline")?,
        t.col("target")?,
    );
    let (ub, ug) = (
        if t.scale(b) == Decimal::ONE {
            unit
        } else {
            Decimal::ONE
        },
        if t.scale(g) == Decimal::ONE {
            unit
        } else {
            Decimal::ONE
        },
    );
    let lines = t
        .iter()
        .map(|r| {
            Ok(TargetLine {
                authority: r.text(a, "an authority")?,
                service: r.text(s, "a service")?,
                baseline: scaled(figure(&r, b, "a baseline budget in pounds")?, ub, &r, b)?,
                target: scaled(figure(&r, g, "a savings target in pounds")?, ug, &r, g)?,
                origin: r.origin(g),
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    once(
        lines
            .iter()
            .map(|l| (l.authority.as_str(), l.service.as_str(), &l.origin)),
    )?;
    Ok(lines)
}

/// Exit code when ledger lines were set aside and not accepted.
pub const EXIT_REJECTS: i32 = 3;

pub const AFTER_HELP: &str = "The ledger (--actuals) is one or more files, folders or patterns \
(spend-*.csv): CSV in UTF-8 or Windows-1252, or a workbook (xlsx, xls, ods), or Parquet, each with \
a header naming authority, cost_centre and amount (case, spaces and underscores do not matter; \
income negative). Rename with --columns amount=Value,cost_centre=Service Area; for one council's \
extract with no authority column give --authority NAME. --map is CSV cost_centre,service; --budget \
is authority,service,budget (CSV or a spreadsheet); --targets is authority,service,baseline,target.\n\n\
Nothing is lost: blank lines are skipped and counted; lines with a blank cost centre or authority \
go to an Unassigned row; amounts written by a float (631.1899999999999) are read as the pence they \
render and listed; fractions of a penny are kept exactly. Any line that cannot be read is set \
aside, listed on standard error and in --rejects FILE, and the command exits 3 unless \
--allow-rejects is given.\n\n\
Example: costshare generate-ledger --rows 100000 --seed 1 --out /tmp/gl && \
costshare reconcile --actuals /tmp/gl/ledger.csv --map /tmp/gl/map.csv --budget /tmp/gl/budget.csv";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Budgets: authority, service, budget
    #[arg(long, value_name = "FILE")]
    pub budget: Option<PathBuf>,
    /// Sheet of the budget workbook
    #[arg(long, value_name = "NAME")]
    pub budget_sheet: Option<String>,
    /// Savings targets: authority, service, baseline, target
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Ledger extracts: files, folders or patterns (CSV, xlsx/xls/ods, .parquet)
    #[arg(long, value_name = "FILE|DIR", num_args = 1.., required = true)]
    pub actuals: Vec<PathBuf>,
    /// Cost centre to service (CSV: cost_centre, service)
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Ledger header names, e.g. amount=Value,cost_centre=CC,authority=Council
    #[arg(long, value_name = "FIELD=HEADER,…")]
    pub columns: Option<String>,
    /// The authority of every ledger line, for extracts with no authority column
    #[arg(long, value_name = "NAME")]
    pub authority: Option<String>,
    /// Units of the budget and targets files when their headings do not say
    /// (£, £000, £m); a heading such as "budget (£000)" says it itself
    #[arg(long, value_name = "UNIT")]
    pub budget_unit: Option<String>,
    /// Units of the ledger amounts when the heading does not say (£, £000, £m)
    #[arg(long, value_name = "UNIT")]
    pub actuals_unit: Option<String>,
    /// Write every set-aside line (file, line, reason, text) to this CSV file
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Lines set aside are accepted: exit 0 instead of 3 (they are still listed)
    #[arg(long)]
    pub allow_rejects: bool,
    /// RAG: amber beyond this |variance %|
    #[arg(long, default_value = "2")]
    pub amber: String,
    /// RAG: red beyond this |variance %|
    #[arg(long, default_value = "5")]
    pub red: String,
    /// Any set-aside ledger line is fatal (exit 2)
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = OutFormat::Md)]
    pub format: OutFormat,
    #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
    pub negatives: NegArg,
}

fn unit(flag: &str, v: Option<&str>) -> crate::Result<Option<Decimal>> {
    v.map(|u| {
        crate::money::unit_scale(u)
            .ok_or_else(|| Error::usage(format!("--{flag} {u:?}: expected £, £000 or £m")))
    })
    .transpose()
}

fn pct(flag: &str, v: &str) -> crate::Result<Decimal> {
    match crate::money::parse_percent(v) {
        Some(d) if !d.is_sign_negative() => Ok(d),
        _ => Err(Error::usage(format!(
            "--{flag} {v:?}: expected a percentage such as 5"
        ))),
    }
}

fn pounds(p: i128) -> String {
    crate::money::format_pounds(Decimal::from_i128_with_scale(p, 2), 2, Negatives::Brackets)
}

/// The per-file lines and the set-aside summary, for standard error.
fn summary(t: &LedgerTotals) -> Vec<String> {
    let mut v = Vec::new();
    for f in &t.files {
        let read = if f.lines == f.read {
            format!(
                "{} {}s",
                f.read,
                if f.place.contains(", sheet ") {
                    "row"
                } else {
                    "line"
                }
            )
        } else {
            format!("{} lines ({} records)", f.lines, f.read)
        };
        let mut s = format!(
            "{}: {read} read: {} used ({}), {} blank, {} header or title, {} set aside",
            f.place,
            f.used,
            crate::money::format_pounds(
                Decimal::from_i128_with_scale(f.pence, 2) + f.sub_penny,
                2,
                Negatives::Brackets
            ),
            f.blank,
            f.other,
            f.set_aside
        );
        if let Some(n) = &f.note {
            s.push_str(&format!(" ({n})"));
        }
        v.push(s);
    }
    if t.floats > 0 {
        let eg = t
            .float_lines
            .first()
            .map(|f| {
                format!(
                    " (e.g. {}, {} {}: {} read as {})",
                    f.place,
                    f.unit,
                    f.line,
                    f.text,
                    pounds(f.pence as i128)
                )
            })
            .unwrap_or_default();
        v.push(format!(
            "{} amounts written by a float were read as the whole pence they render{eg}",
            t.floats
        ));
    }
    v
}

/// The loud first line when money may be missing.
fn set_aside_line(t: &LedgerTotals) -> String {
    let readable = t.bad - t.bad_unknown;
    format!(
        "WARNING: {} ledger lines set aside and not in the tables: {} in the {} whose amount could be read, and {} with no readable amount",
        t.bad,
        pounds(t.bad_pence),
        readable,
        t.bad_unknown
    )
}

fn write_rejects(path: &Path, lines: &[ledger::BadLine], all: u64) -> crate::Result<()> {
    crate::atomic::write_with(path, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["file", "place", "number", "reason", "amount", "text"])?;
        for b in lines {
            let amount = b
                .pence
                .map(|p| Decimal::new(p, 2).to_string())
                .unwrap_or_default();
            c.write_record([
                &*b.place,
                b.unit,
                &b.line.to_string(),
                &b.reason,
                &amount,
                &b.raw,
            ])?;
        }
        if all as usize > lines.len() {
            let more = format!(
                "{} more lines set aside; only the first {} are kept",
                all as usize - lines.len(),
                lines.len()
            );
            c.write_record(["", "", "", &more, "", ""])?;
        }
        c.flush()?;
        Ok(())
    })
}

fn ledger_json(t: &LedgerTotals) -> serde_json::Value {
    let bad: Vec<serde_json::Value> = t
        .bad_lines
        .iter()
        .map(|b| {
            serde_json::json!({"file": &*b.place, b.unit: b.line, "reason": b.reason, "text": b.raw,
                "amount": b.pence.map(|p| Decimal::new(p, 2).to_string())})
        })
        .collect();
    let floats: Vec<serde_json::Value> = t
        .float_lines
        .iter()
        .map(|f| serde_json::json!({"file": &*f.place, f.unit: f.line, "text": f.text, "read_as": Decimal::new(f.pence, 2).to_string()}))
        .collect();
    let files: Vec<serde_json::Value> = t
        .files
        .iter()
        .map(|f| serde_json::json!({"file": f.place, "read": f.read, "used": f.used, "blank": f.blank,
            "header_or_title": f.other, "set_aside": f.set_aside,
            "total": (Decimal::from_i128_with_scale(f.pence, 2) + f.sub_penny).to_string(), "note": f.note}))
        .collect();
    serde_json::json!({
        "lines_used": t.rows, "total": t.total().to_string(),
        "set_aside": t.bad, "set_aside_amount_readable": Decimal::from_i128_with_scale(t.bad_pence, 2).to_string(),
        "set_aside_amount_unknown_lines": t.bad_unknown,
        "set_aside_lines": bad, "set_aside_lines_complete": t.bad as usize == t.bad_lines.len(),
        "float_renderings": t.floats, "float_rendering_lines": floats, "files": files,
    })
}

/// Reads every ledger file named, printing each set-aside line and the
/// summary on standard error and writing --rejects.
fn read_ledger(args: &Args, cols: &Columns) -> crate::Result<LedgerTotals> {
    let files = ledger::expand(&args.actuals)?;
    let size: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Progress on a terminal only: a log file gets the summary, not the spinner.
    let show = size > 64 * 1024 * 1024 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |done: u64, all: u64| {
        if show && all > 0 {
            eprint!("\rcostshare: reading the ledger… {:>3}%", done * 100 / all);
        }
    };
    let mut shown = 0usize;
    let mut sink = |b: &ledger::BadLine| -> crate::Result<()> {
        if shown < ledger::MAX_SHOWN {
            eprintln!("costshare: set aside {b}: {}", b.raw);
        }
        shown += 1;
        Ok(())
    };
    let totals = ledger::read_all(&files, cols, &mut progress, &mut sink)?;
    if show {
        eprintln!();
    }
    if totals.bad as usize > ledger::MAX_SHOWN {
        eprintln!(
            "costshare: … and {} more set aside",
            totals.bad as usize - ledger::MAX_SHOWN
        );
    }
    for line in summary(&totals) {
        eprintln!("costshare: {line}");
    }
    if let Some(r) = &args.rejects {
        write_rejects(r, &totals.bad_lines, totals.bad)?;
    }
    if totals.lost_anything() {
        eprintln!("costshare: {}", set_aside_line(&totals));
        if args.strict {
            let first = totals.bad_lines.first();
            return Err(Error::CsvLine {
                path: first.map(|b| b.place.to_string()).unwrap_or_default(),
                line: first.map(|b| b.line).unwrap_or(0),
                message: format!(
                    "{} lines set aside (--strict); the first: {}",
                    totals.bad,
                    first.map(|b| b.reason.as_str()).unwrap_or("")
                ),
            });
        }
    }
    Ok(totals)
}

/// The tables in the chosen format; Markdown opens with the warning when
/// lines were set aside, JSON carries the ledger's own accounting.
fn render(args: &Args, tables: &[crate::table::Table], totals: &LedgerTotals) -> String {
    let neg = args.negatives.into();
    match args.format {
        OutFormat::Json => {
            let v: Vec<serde_json::Value> = tables.iter().map(report::to_json_value).collect();
            let doc = serde_json::json!({"tables": v, "ledger": ledger_json(totals)});
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        f => {
            let body = tables
                .iter()
                .map(|t| report::render(t, f, neg))
                .collect::<Vec<_>>()
                .join("\n");
            if f == OutFormat::Md && totals.lost_anything() {
                let also = if args.rejects.is_some() {
                    " and in the rejects file"
                } else {
                    ""
                };
                format!(
                    "**{}** (listed on standard error{also}).\n\n{body}",
                    set_aside_line(totals)
                )
            } else {
                body
            }
        }
    }
}

pub fn run(args: &Args, out: &mut dyn Write) -> crate::Result<i32> {
    if args.budget.is_none() && args.targets.is_none() {
        return Err(Error::usage(
            "reconcile needs --budget FILE, --targets FILE, or both",
        ));
    }
    let th = Thresholds {
        amber_pct: pct("amber", &args.amber)?,
        red_pct: pct("red", &args.red)?,
    };
    if th.amber_pct > th.red_pct {
        return Err(Error::usage("--amber must not be above --red"));
    }
    let mut cols = match &args.columns {
        Some(c) => Columns::default().with_overrides(c)?,
        None => Columns::default(),
    };
    cols.fixed_authority = args.authority.clone();
    cols.unit = unit("actuals-unit", args.actuals_unit.as_deref())?;
    let budget_unit = unit("budget-unit", args.budget_unit.as_deref())?.unwrap_or(Decimal::ONE);
    // Read the small files first: a mistake in them should not wait for the ledger.
    let map = args.map.as_deref().map(read_map).transpose()?;
    let budgets = args
        .budget
        .as_deref()
        .map(|b| read_budget(b, args.budget_sheet.as_deref(), budget_unit))
        .transpose()?;
    let target_lines = args
        .targets
        .as_deref()
        .map(|t| read_targets(t, budget_unit))
        .transpose()?;
    let totals = read_ledger(args, &cols)?;
    let mut tables = Vec::new();
    if let Some(b) = &budgets {
        tables.push(reconcile::budget_table(&totals, map.as_ref(), b, &th));
    }
    if let Some(g) = &target_lines {
        tables.push(reconcile::savings_table(&totals, map.as_ref(), g));
    }
    let text = render(args, &tables, &totals);
    emit(out, &text)?;
    Ok(if totals.lost_anything() && !args.allow_rejects {
        EXIT_REJECTS
    } else {
        0
    })
}

pub fn generate(
    dir: &Path,
    rows: u64,
    seed: u64,
    parquet: bool,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let show = rows >= 1_000_000;
    let g = ledger::generate(dir, rows, seed, &mut |n| {
        if show {
            eprint!("\rcostshare: generating… {n} of {rows} lines");
        }
    })?;
    if show {
        eprintln!();
    }
    if parquet {
        #[cfg(feature = "parquet")]
        crate::parquet::write_from_csv(&dir.join("ledger.csv"), &dir.join("ledger.parquet"))?;
        #[cfg(not(feature = "parquet"))]
        return Err(Error::usage(
            "--parquet needs costshare built with the parquet feature (the default)",
        ));
        #[cfg(feature = "parquet")]
        emit(out, &format!("wrote {}/ledger.parquet\n", dir.display()))?;
    }
    emit(
        out,
        &format!(
            "wrote {}/ledger.csv ({} lines, total {}), map.csv, budget.csv, targets.csv\n",
            dir.display(),
            g.rows,
            crate::money::format_pounds(
                Decimal::from_i128_with_scale(g.total_pence, 2),
                2,
                Negatives::Minus
            )
        ),
    )?;
    Ok(0)
}
