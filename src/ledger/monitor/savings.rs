//! Savings delivered to date against savings targets, across years: a
//! target set for an earlier year and not yet delivered in full is brought
//! forward into the year monitored; one set for a later year waits.

use super::tables::{grand_total, period_title, pounds};
use super::{Monitor, Monitoring};
use crate::base::table::{Cell, Table, Value};
use crate::ledger::reconcile::{Line, TargetLine, money};
use rust_decimal::Decimal;

/// A target live in the year monitored: what is still to deliver of it.
struct Live<'a> {
    line: &'a TargetLine,
    /// The target less what was delivered before (the whole target for
    /// this year's).
    due: Decimal,
    brought_forward: bool,
}

/// The targets of the year monitored and those brought forward from
/// earlier years; notes for those left out.
fn live<'a>(targets: &'a [TargetLine], f: &Monitoring) -> (Vec<Live<'a>>, Vec<String>) {
    let this = f.year.first.year();
    let (mut out, mut later, mut done) = (Vec::new(), Vec::new(), Vec::new());
    for g in targets {
        match g.year {
            Some(y) if y > this => later.push(g),
            Some(y) if y < this => {
                let due = g.target - g.delivered_before;
                if due > Decimal::ZERO {
                    out.push(Live {
                        line: g,
                        due,
                        brought_forward: true,
                    });
                } else {
                    done.push(g);
                }
            }
            _ => out.push(Live {
                line: g,
                due: g.target - g.delivered_before,
                brought_forward: false,
            }),
        }
    }
    let sum = |v: &[&TargetLine]| pounds(v.iter().map(|g| g.target).sum());
    let mut notes = Vec::new();
    if !later.is_empty() {
        notes.push(format!(
            "{} savings target{} set for later years ({}) not in this year's figures.",
            later.len(),
            if later.len() == 1 { "" } else { "s" },
            sum(&later)
        ));
    }
    if !done.is_empty() {
        notes.push(format!(
            "{} savings target{} of earlier years ({}) delivered in full before this year, not brought forward.",
            done.len(),
            if done.len() == 1 { "" } else { "s" },
            sum(&done)
        ));
    }
    (out, notes)
}

/// The live targets by authority and service, in the order first met,
/// each service's oldest first (brought forward before this year's).
fn by_service<'a>(live: Vec<Live<'a>>) -> Vec<Vec<Live<'a>>> {
    let mut groups: Vec<Vec<Live<'a>>> = Vec::new();
    for l in live {
        let same = |g: &Vec<Live>| {
            g[0].line.authority == l.line.authority && g[0].line.service == l.line.service
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(l),
            None => groups.push(vec![l]),
        }
    }
    for g in &mut groups {
        g.sort_by_key(|l| (!l.brought_forward, l.line.year));
    }
    groups
}

fn year_label(f: &Monitoring, y: Option<i32>) -> String {
    match y {
        None => f.year.label(),
        Some(y) if f.year.first.number() == 1 => y.to_string(),
        Some(y) => crate::base::year::Year(y).to_string(),
    }
}

/// Savings targets against savings delivered to date: the baseline and the
/// target spread over the year by the service's profile (as its budget),
/// delivered = baseline to date less actual to date. A service's savings
/// go first to targets brought forward from earlier years (oldest first,
/// up to each one's target to date), the rest to this year's.
pub fn savings_to_date_table(
    f: &Monitoring,
    m: &Monitor,
    targets: &[TargetLine],
) -> crate::Result<Table> {
    let cols = [
        "Authority",
        "Service",
        "Set for",
        "Savings target",
        "Target to date",
        "Baseline to date",
        "Actual to date",
        "Delivered to date",
        "Difference",
        "RAG",
    ];
    let mut t = Table::new(
        "savings-to-date",
        format!("Savings delivered to {}", period_title(f)),
        &cols,
        3,
    );
    let (live, notes) = live(targets, f);
    let mut all = Vec::new();
    for group in by_service(live) {
        service_rows(f, m, &group, &mut all)?;
    }
    for r in &all {
        t.push(r.clone());
    }
    grand_total(&mut t, &all, 3, None, f);
    let sum = |c: usize| -> Decimal { all.iter().filter_map(|r| r[c].value.figure()).sum() };
    t.headline = match all.is_empty() {
        true => "No savings target is set for these services this year.".to_string(),
        false => format!(
            "Savings delivered to date {} against targets to date of {} (the year's targets: {}).",
            pounds(sum(7)),
            pounds(sum(4)),
            pounds(sum(3))
        ),
    };
    t.notes.extend(notes);
    Ok(t)
}

/// One service's rows: its savings delivered set against its targets.
fn service_rows(
    f: &Monitoring,
    m: &Monitor,
    group: &[Live],
    all: &mut Vec<Vec<Cell>>,
) -> crate::Result<()> {
    let p = f.period as usize;
    let latest = group[group.len() - 1].line;
    let profile = m
        .profiles
        .and_then(|x| x.of(&latest.authority, &latest.service));
    let to_date = |v: Decimal, g: &TargetLine| -> crate::Result<Decimal> {
        Ok(super::spread(v, profile, &g.origin)?[..p].iter().sum())
    };
    let spread_rule = match profile {
        Some(x) => format!("spread by the profile at {}, periods 1–{p}", x.origin),
        None => format!("spread evenly over twelve periods, periods 1–{p}"),
    };
    let line = Line::Service(latest.service.clone());
    let actual = f
        .rows
        .iter()
        .find(|r| r.authority == latest.authority && r.line == line)
        .map(|r| r.actual_to(f.period))
        .unwrap_or_default();
    let baseline_td = to_date(latest.baseline, latest)?;
    let mut left = baseline_td - actual;
    for (i, l) in group.iter().enumerate() {
        let g = l.line;
        let last = i + 1 == group.len();
        let target_td = to_date(l.due, g)?;
        // Earlier targets take what they are due to date; the latest the rest.
        let delivered = if last {
            left
        } else {
            left.min(target_td).max(Decimal::ZERO)
        };
        left -= delivered;
        let diff = delivered - target_td;
        let rag = if diff >= Decimal::ZERO {
            "Green"
        } else if delivered * Decimal::from(4) >= target_td * Decimal::from(3) {
            "Amber"
        } else {
            "Red"
        };
        let set_for = year_label(f, g.year);
        let target = if g.delivered_before.is_zero() {
            Cell::input(money(l.due), g.origin.clone())
        } else {
            Cell::rule(
                money(l.due),
                format!(
                    "target at {} less {} delivered in earlier years",
                    g.origin,
                    pounds(g.delivered_before)
                ),
            )
        };
        let delivered_rule = if group.len() == 1 {
            "baseline to date less actual to date".to_string()
        } else {
            "the service's savings (baseline to date less actual to date), set first against targets brought forward, oldest first".to_string()
        };
        let only_last = |c: Cell| if last { c } else { Cell::empty() };
        all.push(vec![
            Cell::label(&g.authority),
            Cell::label(&g.service),
            Cell::label(if l.brought_forward {
                format!("{set_for} (brought forward)")
            } else {
                set_for
            }),
            target,
            Cell::rule(money(target_td), format!("savings target {spread_rule}")),
            only_last(Cell::rule(
                money(baseline_td),
                format!("baseline {spread_rule}"),
            )),
            only_last(Cell::rule(
                money(actual),
                format!("ledger lines dated in periods 1–{p}"),
            )),
            Cell::rule(money(delivered), delivered_rule),
            Cell::rule(money(diff), "delivered to date less target to date"),
            Cell::rule(
                Value::text(rag),
                "green: target to date met; amber: at least 75% of it; red: less",
            ),
        ]);
    }
    Ok(())
}
