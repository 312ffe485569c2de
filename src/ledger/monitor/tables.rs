//! Monitoring figures as tables: the month and year to date, the forecast
//! out-turn, spend against profile by month, and the subjective analysis.
//! Each total row is the sum of the rows it closes, column by column.

use super::{Monitor, Monitoring, RowFigures};
use crate::base::chart::{Bars, Chart, Plot, Series};
use crate::base::money::format_pounds;
use crate::base::table::{Cell, Table, Value};
use crate::ledger::reconcile::{money, rag, variance_pct};
use rust_decimal::Decimal;

pub(super) fn pounds(d: Decimal) -> String {
    format_pounds(d, 2, Default::default())
}

/// Variance % and RAG cells for a variance against a budget.
fn pct_rag(var: Decimal, budget: Decimal, m: &Monitoring, total: bool) -> [Cell; 2] {
    match variance_pct(var, budget) {
        Some(p) => [
            Cell::rule(
                Value::pct(p, 1),
                "variance / |budget| × 100 (positive: adverse)",
            ),
            if total {
                Cell::empty()
            } else {
                Cell::rule(
                    Value::text(rag(p, &m.thresholds)),
                    "RAG on the variance % (separate thresholds for underspends when given)",
                )
            },
        ],
        None if total => [Cell::empty(), Cell::empty()],
        None => [
            Cell::empty(),
            Cell::rule(Value::text("no budget"), "no budget to compare with"),
        ],
    }
}

fn budget_cell(r: &RowFigures, d: Decimal, rule: &str) -> Cell {
    match &r.budget {
        Some(_) => Cell::rule(money(d), rule),
        None => Cell::rule(Value::na("no budget"), "no budget line for this service"),
    }
}

fn profile_rule(r: &RowFigures) -> String {
    match &r.profile {
        Some(o) => format!("annual budget spread by the profile at {o}, each budget to date rounded to the penny"),
        None => "annual budget spread evenly over twelve periods, each budget to date rounded to the penny".into(),
    }
}

/// Sums of the numeric columns of `rows` (each a row of cells), by column.
fn column_sums(rows: &[Vec<Cell>], from: usize) -> Vec<Option<Decimal>> {
    let width = rows.first().map(|r| r.len()).unwrap_or(from);
    (from..width)
        .map(|c| {
            let vals: Vec<Decimal> = rows
                .iter()
                .filter_map(|r| match &r[c].value {
                    Value::Money { .. } => r[c].value.figure(),
                    _ => None,
                })
                .collect();
            (!vals.is_empty()).then(|| vals.iter().sum())
        })
        .collect()
}

/// Pushes an authority's rows then their total (sums of its rows), and
/// returns the rows for the grand total.
/// Pushes an authority's rows and, when the table has several authorities,
/// their total (one authority's total would repeat the grand total).
fn push_group(
    t: &mut Table,
    label: &str,
    rows: Vec<Vec<Cell>>,
    key_cols: usize,
    subtotal: bool,
) -> Vec<Vec<Cell>> {
    let mut total = vec![Cell::label(label), Cell::label("Total")];
    total.resize(key_cols, Cell::label(""));
    for s in column_sums(&rows, key_cols) {
        total.push(match s {
            Some(d) => Cell::rule(money(d), format!("sum of {label}'s rows")),
            None => Cell::empty(),
        });
    }
    for r in &rows {
        t.push(r.clone());
    }
    if subtotal {
        t.push_total(total);
    }
    rows
}

/// Replaces the percentage and RAG cells of a total with its own variance %.
fn total_pct(total: &mut [Cell], var_col: usize, budget_col: usize, m: &Monitoring) {
    let (Some(v), Some(b)) = (
        total[var_col].value.figure(),
        total[budget_col].value.figure(),
    ) else {
        return;
    };
    let [p, _] = pct_rag(v, b, m, true);
    total[var_col + 1] = p;
}

pub(super) fn grand_total(
    t: &mut Table,
    all: &[Vec<Cell>],
    key_cols: usize,
    pct: Option<(usize, usize)>,
    m: &Monitoring,
) {
    let mut total = vec![Cell::label("Total")];
    total.resize(key_cols, Cell::label(""));
    for s in column_sums(all, key_cols) {
        total.push(match s {
            Some(d) => Cell::rule(money(d), "sum of every row"),
            None => Cell::empty(),
        });
    }
    // No rows (an authority with no savings targets): blanks to the width.
    total.resize(t.columns.len(), Cell::empty());
    if let Some((v, b)) = pct {
        total_pct(&mut total, v, b, m);
    }
    t.push_total(total);
    // Authority totals get their own variance % too.
    if let Some((v, b)) = pct {
        for r in t.rows.iter_mut().filter(|r| r.total) {
            total_pct(&mut r.cells, v, b, m);
        }
    }
}

fn by_authority(m: &Monitoring) -> Vec<(String, Vec<&RowFigures>)> {
    m.authorities()
        .into_iter()
        .map(|a| {
            let rows = m.rows.iter().filter(|r| r.authority == a).collect();
            (a, rows)
        })
        .collect()
}

fn month_row(r: &RowFigures, m: &Monitoring) -> Vec<Cell> {
    let p = m.period as usize;
    let (mb, ma) = (r.budget_by_period[p - 1], r.actual_by_period[p - 1]);
    let (yb, ya) = (r.budget_to(m.period), r.actual_to(m.period));
    let rule = profile_rule(r);
    let mut row = vec![
        Cell::label(&r.authority),
        Cell::label(r.line.label()),
        budget_cell(r, mb, &rule),
        Cell::rule(money(ma), "ledger lines dated in the month"),
        Cell::rule(money(ma - mb), "month actual less month budget"),
        budget_cell(r, yb, &format!("{rule}; periods 1–{p}")),
        Cell::rule(money(ya), format!("ledger lines dated in periods 1–{p}")),
        Cell::rule(
            money(ya - yb),
            "actual to date less budget to date (positive: adverse)",
        ),
    ];
    row.extend(pct_rag(ya - yb, yb, m, false));
    row
}

pub(super) fn period_title(m: &Monitoring) -> String {
    format!(
        "{} (period {} of {})",
        m.year.month(m.period),
        m.period,
        m.year.label()
    )
}

/// The month and the year to date, by authority and service.
pub fn month_table(m: &Monitoring) -> Table {
    let cols = [
        "Authority",
        "Service",
        "Month budget",
        "Month actual",
        "Month variance",
        "Budget to date",
        "Actual to date",
        "Variance to date",
        "Variance %",
        "RAG",
    ];
    let mut t = Table::new(
        "monitoring",
        format!("Budget monitoring: {}", period_title(m)),
        &cols,
        2,
    );
    let mut all = Vec::new();
    let groups = by_authority(m);
    let several = groups.len() > 1;
    for (a, rows) in groups {
        let rows = rows.iter().map(|r| month_row(r, m)).collect();
        all.extend(push_group(&mut t, &a, rows, 2, several));
    }
    grand_total(&mut t, &all, 2, Some((7, 5)), m);
    let (yb, ya): (Decimal, Decimal) = m
        .rows
        .iter()
        .map(|r| (r.budget_to(m.period), r.actual_to(m.period)))
        .fold((Decimal::ZERO, Decimal::ZERO), |(b, a), (x, y)| {
            (b + x, a + y)
        });
    let var = ya - yb;
    t.headline = format!(
        "To the end of {}: spending of {} against a profiled budget of {}, {} {}.",
        m.year.month(m.period),
        pounds(ya),
        pounds(yb),
        pounds(var.abs()),
        if var.is_sign_negative() {
            "under"
        } else {
            "over"
        }
    );
    push_scope_notes(&mut t, m);
    t
}

/// Says what the figures leave out: lines dated after the period or
/// outside the year (read, counted, not in these figures).
fn push_scope_notes(t: &mut Table, m: &Monitoring) {
    let (after, outside) = m.left_out();
    if after.lines > 0 {
        t.notes.push(format!(
            "{} ledger lines ({}) are dated after {}: they belong to a later period and are not in these figures.",
            after.lines,
            pounds(after.pounds()),
            m.year.month(m.period)
        ));
    }
    if outside.lines > 0 {
        t.notes.push(format!(
            "{} ledger lines ({}) are dated outside {} and are not in these figures.",
            outside.lines,
            pounds(outside.pounds()),
            m.year.label()
        ));
    }
    if !m.unused_profiles.is_empty() {
        t.notes.push(format!(
            "Profile rows matching no budget line, so not used (those budgets are spread evenly): {}.",
            m.unused_profiles.join("; ")
        ));
    }
    let rows: Vec<&RowFigures> = m.rows.iter().collect();
    t.notes.extend(penny_note(&rows, m.period));
    let s = &m.set_aside;
    if let (n @ 1.., pence, unknown) = (s.lines, s.pence, s.unknown) {
        let first = s
            .first
            .as_ref()
            .map(|b| format!(" The first: {b}."))
            .unwrap_or_default();
        let unread = match unknown {
            0 => String::new(),
            u => format!(", and {u} whose amount could not be read"),
        };
        t.notes.push(format!(
            "{n} ledger line{} set aside as not readable ({}{unread}) and not in these figures.{first}",
            if n == 1 { " was" } else { "s were" },
            pounds(rust_decimal::Decimal::from_i128_with_scale(pence, 2)),
        ));
    }
    t.notes.push(format!(
        "Variance = actual less budget: positive is adverse (overspent, or income short). RAG on |variance %|: green ≤ {}%, amber ≤ {}%, red beyond{}.",
        m.thresholds.amber_pct,
        m.thresholds.red_pct,
        match m.thresholds.under {
            Some((a, r)) => format!("; underspends green ≤ {a}%, amber ≤ {r}%"),
            None => String::new(),
        }
    ));
}

/// Says that the ledger lines hold fractions of a penny, kept exactly and
/// shown rounded: a total can then differ by a penny from the figures
/// above it, as plain reconcile's note says.
fn penny_note(rows: &[&RowFigures], period: u32) -> Option<String> {
    let odd = |d: &Decimal| d.round_dp(2) != *d;
    let to = period as usize;
    let fractional = rows
        .iter()
        .any(|r| r.actual_by_period[..to].iter().any(odd) || odd(&r.committed));
    if !fractional {
        return None;
    }
    let exact: Decimal = rows.iter().map(|r| r.actual_to(period)).sum();
    Some(format!(
        "The ledger lines include fractions of a penny, kept exactly; figures are shown rounded to the penny, so a total can differ by a penny from the sum of the figures above it (actual to date {} exactly, shown as {}).",
        exact.normalize(),
        pounds(crate::base::money::round_dp(exact, 2))
    ))
}

fn forecast_row(r: &RowFigures, m: &Monitoring) -> Vec<Cell> {
    let (annual, ya) = (r.annual_budget(), r.actual_to(m.period));
    let mut row = vec![
        Cell::label(&r.authority),
        Cell::label(r.line.label()),
        match &r.budget {
            Some((b, o)) => Cell::input(money(*b), o.clone()),
            None => Cell::rule(Value::na("no budget"), "no budget line for this service"),
        },
        Cell::rule(
            money(ya),
            format!("ledger lines dated in periods 1–{}", m.period),
        ),
    ];
    let mut remaining_rule = "annual budget less actual to date";
    if m.has_commitments {
        row.push(Cell::rule(
            money(r.committed),
            "orders raised, not yet paid",
        ));
        remaining_rule = "annual budget less actual to date less commitments";
    }
    row.push(Cell::rule(money(annual - ya - r.committed), remaining_rule));
    row.push(match &r.forecast_origin {
        Some(o) => Cell::input(money(r.forecast), o.clone()),
        None => Cell::rule(money(r.forecast), r.forecast_rule.clone()),
    });
    let var = r.forecast - annual;
    row.push(Cell::rule(
        money(var),
        "forecast less annual budget (positive: adverse)",
    ));
    row.extend(pct_rag(var, annual, m, false));
    row
}

/// The forecast out-turn for the year against the annual budget.
pub fn forecast_table(m: &Monitoring) -> Table {
    let mut cols = vec!["Authority", "Service", "Annual budget", "Actual to date"];
    if m.has_commitments {
        cols.push("Committed");
    }
    cols.extend([
        "Remaining budget",
        "Forecast out-turn",
        "Forecast variance",
        "Variance %",
        "RAG",
    ]);
    let mut t = Table::new(
        "forecast",
        format!(
            "Forecast out-turn for {} at {}",
            m.year.label(),
            period_title(m)
        ),
        &cols,
        2,
    );
    let mut all = Vec::new();
    let groups = by_authority(m);
    let several = groups.len() > 1;
    for (a, rows) in groups {
        let rows = rows.iter().map(|r| forecast_row(r, m)).collect();
        all.extend(push_group(&mut t, &a, rows, 2, several));
    }
    let var_col = cols.len() - 3;
    grand_total(&mut t, &all, 2, Some((var_col, 2)), m);
    let (b, f): (Decimal, Decimal) = m
        .rows
        .iter()
        .fold((Decimal::ZERO, Decimal::ZERO), |(b, f), r| {
            (b + r.annual_budget(), f + r.forecast)
        });
    let var = f - b;
    t.headline = format!(
        "Forecast out-turn {} against annual budgets of {}: {} {}.",
        pounds(f),
        pounds(b),
        pounds(var.abs()),
        if var.is_sign_negative() {
            "under"
        } else {
            "over"
        }
    );
    t.notes.extend(forecast_note(m));
    if !m.unused_forecasts.is_empty() {
        let names: Vec<String> = m
            .unused_forecasts
            .iter()
            .map(|(a, s)| format!("{a} / {s}"))
            .collect();
        t.notes.push(format!(
            "Forecasts given for services with no budget and no ledger lines (not used): {}.",
            names.join(", ")
        ));
    }
    push_scope_notes(&mut t, m);
    t
}

/// How the rows were forecast: one rule for all, or (a forecast file for
/// some services) each rule with the rows it holds for, the commonest last
/// as "the others".
fn forecast_note(m: &Monitoring) -> Option<String> {
    let mut rules: Vec<(&str, Vec<String>)> = Vec::new();
    for r in &m.rows {
        let row = format!("{} / {}", r.authority, r.line.label());
        match rules.iter_mut().find(|(rule, _)| *rule == r.forecast_rule) {
            Some((_, rows)) => rows.push(row),
            None => rules.push((&r.forecast_rule, vec![row])),
        }
    }
    rules.sort_by_key(|(_, rows)| std::cmp::Reverse(rows.len()));
    let (common, _) = rules.first()?;
    if rules.len() == 1 {
        return Some(format!("Forecast: {common}."));
    }
    let own: Vec<String> = rules[1..]
        .iter()
        .map(|(rule, rows)| format!("{rule} for {}", rows.join(", ")))
        .collect();
    Some(format!(
        "Forecast: {}; for the others, {common}.",
        own.join("; ")
    ))
}

/// Spend against the profiled budget, period by period, for one authority
/// or (None) the whole partnership; with its chart.
pub fn by_month_table(m: &Monitoring, authority: Option<&str>) -> Table {
    let rows: Vec<&RowFigures> = m
        .rows
        .iter()
        .filter(|r| authority.is_none_or(|a| r.authority == a))
        .collect();
    let who = authority.unwrap_or("all authorities");
    let cols = [
        "Month",
        "Period",
        "Budget",
        "Actual",
        "Variance",
        "Budget to date",
        "Actual to date",
    ];
    let name = authority.map_or("monitoring-by-month".into(), |a| {
        let a = crate::base::text::slug_or(a, "authority");
        format!("monitoring-by-month-{a}")
    });
    let mut t = Table::new(
        &name,
        format!(
            "Spend against profile by month, {}, {} to {}",
            who,
            m.year.label(),
            m.year.month(m.period)
        ),
        &cols,
        1,
    );
    let (mut cb, mut ca, mut yb) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut budgets, mut actuals) = (Vec::new(), Vec::new());
    for p in 1..=12u32 {
        let b: Decimal = rows
            .iter()
            .map(|r| r.budget_by_period[p as usize - 1])
            .sum();
        let a: Decimal = rows
            .iter()
            .map(|r| r.actual_by_period[p as usize - 1])
            .sum();
        cb += b;
        let month = m.year.month(p).to_string();
        let mut row = vec![
            Cell::label(&month),
            Cell::rule(
                Value::num(Decimal::from(p), 0),
                "period of the financial year",
            ),
            Cell::rule(
                money(b),
                "the services' budgets for the period, as profiled",
            ),
        ];
        if p <= m.period {
            ca += a;
            yb += b;
            row.extend([
                Cell::rule(money(a), "ledger lines dated in the month"),
                Cell::rule(money(a - b), "actual less budget"),
                Cell::rule(money(cb), "budget for periods to this one"),
                Cell::rule(money(ca), "actual for periods to this one"),
            ]);
            actuals.push(crate::base::table::at(&money(a)));
        } else {
            row.extend([
                Cell::rule(Value::na("—"), "after the period reached"),
                Cell::empty(),
                Cell::rule(money(cb), "budget for periods to this one"),
                Cell::empty(),
            ]);
            actuals.push(0.0);
        }
        budgets.push(crate::base::table::at(&money(b)));
        t.push(row);
    }
    t.push_total(vec![
        Cell::label("Total"),
        Cell::empty(),
        Cell::rule(money(cb), "the year's budget: sum of the periods"),
        Cell::rule(
            money(ca),
            format!("actual to date: sum of periods 1–{}", m.period),
        ),
        Cell::rule(
            money(ca - yb),
            "variance to date: sum of the months' variances",
        ),
        Cell::empty(),
        Cell::empty(),
    ]);
    t.notes.push(format!(
        "The Total's variance is for periods 1–{} (the months with actuals); its budget is the whole year's.",
        m.period
    ));
    t.notes.extend(penny_note(&rows, m.period));
    t.charts.push(spend_chart(&name, who, m, actuals, budgets));
    t
}

/// Actual bars against the profiled budget's line, month by month.
fn spend_chart(
    name: &str,
    who: &str,
    m: &Monitoring,
    actuals: Vec<f64>,
    budgets: Vec<f64>,
) -> Chart {
    Chart {
        name: name.to_string(),
        title: format!("Spend against profile, {who}, {}", m.year.label()),
        x_label: "Month".into(),
        y_label: "£".into(),
        plot: Plot::Bars(Bars {
            categories: (1..=12)
                .map(|p| m.year.month(p).short_name().to_string())
                .collect(),
            series: vec![Series {
                name: "Actual".into(),
                values: actuals,
            }],
            line: Some(Series {
                name: "Profiled budget".into(),
                values: budgets,
            }),
            ..Bars::default()
        }),
    }
}

pub(super) fn period_title_of(m: &Monitor) -> String {
    format!(
        "{} (period {} of {})",
        m.year.month(m.period),
        m.period,
        m.year.label()
    )
}
