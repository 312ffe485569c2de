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
        .filter(|v| v.abs() <= crate::base::money::MAX_AMOUNT)
        .ok_or_else(|| r.expected(col, "an amount of at most £1,000,000,000,000,000 in pounds"))
}

pub fn read_map(path: &Path) -> crate::Result<HashMap<String, String>> {
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

pub fn read_budget(
    path: &Path,
    sheet: Option<&str>,
    unit: Decimal,
) -> crate::Result<Vec<BudgetLine>> {
    let grids = import::read_file(path, sheet)?;
    let t = table_of(&grids, path, &["authority", "service", "budget"])?;
    let (a, s, b) = (t.col("authority")?, t.col("service")?, t.col("budget")?);
    let unit = unit_of(&t, b, unit);
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

/// The unit of a column: a heading that states its unit ("budget (£000)")
/// has been scaled by the reader already and wins over `--budget-unit`.
fn unit_of(t: &Records, col: usize, given: Decimal) -> Decimal {
    if t.scale(col) == Decimal::ONE {
        given
    } else {
        Decimal::ONE
    }
}

/// Refuses a second line for the same authority and service: it would take
/// the same out-turn twice.
fn once<'a>(
    lines: impl Iterator<Item = (&'a str, &'a str, &'a crate::base::trace::Origin)>,
) -> crate::Result<()> {
    let mut seen: HashMap<(&str, &str), &crate::base::trace::Origin> = HashMap::new();
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

pub fn read_targets(path: &Path, unit: Decimal) -> crate::Result<Vec<TargetLine>> {
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
    let (ub, ug) = (unit_of(&t, b, unit), unit_of(&t, g, unit));
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
