use crate::cli::emit;
use crate::error::Error;
use crate::import::{self, Records};
use crate::ledger::{self, Columns};
use crate::money::{Amount, Negatives};
use crate::reconcile::{self, BudgetLine, TargetLine, Thresholds};
use crate::report::{self, OutFormat};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

fn table_of<'g>(
    grids: &'g [import::Grid],
    path: &Path,
    cols: &[&str],
) -> crate::Result<Records<'g>> {
    let g = grids.first().ok_or_else(|| Error::Table {
        place: path.display().to_string(),
        message: "has no sheets".into(),
    })?;
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

fn read_map(path: &Path) -> crate::Result<HashMap<String, String>> {
    let grids = import::read_file(path, None)?;
    let t = table_of(&grids, path, &["cost_centre", "service"])?;
    let (c, s) = (t.col("cost_centre")?, t.col("service")?);
    let mut m = HashMap::new();
    for r in t.iter() {
        let cc = r.text(c, "a cost centre code")?;
        let svc = r.text(s, "a service name")?;
        if let Some(prev) = m.insert(cc.clone(), svc.clone()) {
            if prev != svc {
                return Err(r.expected(
                    c,
                    &format!("each cost centre mapped once (it is also mapped to {prev})"),
                ));
            }
        }
    }
    Ok(m)
}

fn read_budget(path: &Path, sheet: Option<&str>) -> crate::Result<Vec<BudgetLine>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(&grids, path, &["authority", "service", "budget"])?;
    let (a, s, b) = (t.col("authority")?, t.col("service")?, t.col("budget")?);
    t.iter()
        .map(|r| {
            Ok(BudgetLine {
                authority: r.text(a, "an authority")?,
                service: r.text(s, "a service")?,
                budget: figure(&r, b, "a budget in pounds")?,
                origin: r.origin(b),
            })
        })
        .collect()
}

fn read_targets(path: &Path) -> crate::Result<Vec<TargetLine>> {
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
    t.iter()
        .map(|r| {
            Ok(TargetLine {
                authority: r.text(a, "an authority")?,
                service: r.text(s, "a service")?,
                baseline: figure(&r, b, "a baseline budget in pounds")?,
                target: figure(&r, g, "a savings target in pounds")?,
                origin: r.origin(g),
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    budget: Option<&Path>,
    budget_sheet: Option<&str>,
    targets: Option<&Path>,
    actuals: &Path,
    map: Option<&Path>,
    columns: Option<&str>,
    th: Thresholds,
    strict: bool,
    format: OutFormat,
    neg: Negatives,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    if budget.is_none() && targets.is_none() {
        return Err(Error::usage(
            "reconcile needs --budget FILE, --targets FILE, or both",
        ));
    }
    if th.amber_pct > th.red_pct {
        return Err(Error::usage("--amber must not be above --red"));
    }
    let cols = match columns {
        Some(c) => Columns::default().with_overrides(c)?,
        None => Columns::default(),
    };
    // Read the small files first: a mistake in them should not wait for the ledger.
    let map = map.map(read_map).transpose()?;
    let budgets = budget.map(|b| read_budget(b, budget_sheet)).transpose()?;
    let target_lines = targets.map(read_targets).transpose()?;
    let size = std::fs::metadata(actuals).map(|m| m.len()).unwrap_or(0);
    // Progress on a terminal only: a log file gets the summary, not the spinner.
    let show = size > 64 * 1024 * 1024 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |done: u64, all: u64| {
        if show && all > 0 {
            eprint!("\rcostshare: reading the ledger… {:>3}%", done * 100 / all);
        }
    };
    let totals = ledger::read(actuals, &cols, &mut progress)?;
    if show {
        eprintln!();
    }
    let unit = if actuals
        .extension()
        .is_some_and(|e| e == "parquet" || e == "pq")
    {
        "record"
    } else {
        "line"
    };
    if totals.bad > 0 {
        for b in &totals.bad_lines {
            eprintln!(
                "costshare: {}, {} {}: {}",
                actuals.display(),
                unit,
                b.line,
                b.reason
            );
        }
        if totals.bad as usize > totals.bad_lines.len() {
            eprintln!(
                "costshare: … and {} more",
                totals.bad as usize - totals.bad_lines.len()
            );
        }
        eprintln!(
            "costshare: {}: {} lines used, {} bad lines set aside",
            actuals.display(),
            totals.rows,
            totals.bad
        );
        if strict {
            return Err(Error::CsvLine {
                path: actuals.display().to_string(),
                line: totals.bad_lines.first().map(|b| b.line).unwrap_or(0),
                message: format!(
                    "{} bad lines (--strict); the first: {}",
                    totals.bad,
                    totals
                        .bad_lines
                        .first()
                        .map(|b| b.reason.as_str())
                        .unwrap_or("")
                ),
            });
        }
    }
    let mut tables = Vec::new();
    if let Some(b) = &budgets {
        tables.push(reconcile::budget_table(&totals, map.as_ref(), b, &th));
    }
    if let Some(g) = &target_lines {
        tables.push(reconcile::savings_table(&totals, map.as_ref(), g));
    }
    let text = if format == OutFormat::Json && tables.len() > 1 {
        // Two tables are one JSON array, not two documents.
        let v: Vec<serde_json::Value> = tables.iter().map(report::to_json_value).collect();
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    } else {
        tables
            .iter()
            .map(|t| report::render(t, format, neg))
            .collect::<Vec<_>>()
            .join("\n")
    };
    emit(out, &text)?;
    Ok(0)
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
