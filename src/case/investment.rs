//! The investment table of a business case: items by financial year, row and
//! column totals, the case total, its tolerance maximum, and centrally funded
//! project support shown apart, as the MKIP snapshots print it.

use crate::base::chart::{Bars, Chart, Plot, Series, money_exact};
use crate::base::money::Money;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::year::Year;
use crate::case::apportion;
use crate::model::{InvestmentItem, Model};
use rust_decimal::Decimal;

fn central(i: &InvestmentItem) -> bool {
    i.funded_by.is_some()
}

fn in_year(i: &InvestmentItem, y: Year) -> Money {
    i.amounts
        .iter()
        .filter(|(yy, _)| *yy == y)
        .map(|(_, f)| Money(f.value))
        .sum()
}

fn item_total(i: &InvestmentItem) -> Money {
    i.amounts.iter().map(|(_, f)| Money(f.value)).sum()
}

/// The case total: every item not funded centrally.
pub fn case_total(m: &Model) -> Money {
    m.investment
        .iter()
        .filter(|i| !central(i))
        .map(item_total)
        .sum()
}

/// Centrally funded support (shown apart from the case total).
pub fn central_total(m: &Model) -> Money {
    m.investment
        .iter()
        .filter(|i| central(i))
        .map(item_total)
        .sum()
}

/// Case total × (1 + tolerance %), exact.
pub fn tolerance_max(m: &Model) -> Option<Money> {
    m.tolerance_pct
        .as_ref()
        .map(|t| case_total(m).times(Decimal::ONE + t.value / Decimal::ONE_HUNDRED))
}

/// Case costs (not central) in year `y`.
pub fn case_cost_in(m: &Model, y: Year) -> Money {
    m.investment
        .iter()
        .filter(|i| !central(i))
        .map(|i| in_year(i, y))
        .sum()
}

/// All costs in year `y`, central support included (a cost to the partnership).
pub fn all_costs_in(m: &Model, y: Year) -> Money {
    m.investment.iter().map(|i| in_year(i, y)).sum()
}

pub fn table(m: &Model) -> Option<Table> {
    if m.investment.is_empty() {
        return None;
    }
    let years = m.years();
    let mut cols: Vec<String> = vec!["Item".into()];
    cols.extend(years.iter().map(|y| y.to_string()));
    cols.push("Total".into());
    let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new("investment", format!("{}: investment", m.name), &colrefs, 1);

    let row_for = |i: &InvestmentItem| -> Vec<Cell> {
        let mut cells = vec![Cell::label(&i.item)];
        for y in &years {
            match i.amounts.iter().find(|(yy, _)| yy == y) {
                Some((_, f)) => {
                    cells.push(Cell::input(Value::money(Money(f.value)), f.origin.clone()))
                }
                None => cells.push(Cell::empty()),
            }
        }
        cells.push(Cell::rule(
            Value::money(item_total(i)),
            "sum of the item's years",
        ));
        cells
    };
    for i in m.investment.iter().filter(|i| !central(i)) {
        t.push(row_for(i));
    }
    let mut total = vec![Cell::label("Total")];
    for y in &years {
        total.push(Cell::rule(
            Value::money(case_cost_in(m, *y)),
            format!("sum of items in {y}"),
        ));
    }
    total.push(Cell::rule(
        Value::money(case_total(m)),
        "sum of all items (case total)",
    ));
    t.push_total(total);

    if let (Some(max), Some(tol)) = (tolerance_max(m), &m.tolerance_pct) {
        let mut row = vec![Cell::label(format!(
            "Tolerance maximum (+{}%)",
            tol.value.normalize()
        ))];
        row.extend(years.iter().map(|_| Cell::empty()));
        row.push(Cell::rule(
            Value::money(max),
            format!("case total × (1 + {}%)", tol.value.normalize()),
        ));
        t.push(row);
    }
    let centrals: Vec<&InvestmentItem> = m.investment.iter().filter(|i| central(i)).collect();
    if !centrals.is_empty() {
        for i in &centrals {
            t.push(row_for(i));
        }
        let mut row = vec![Cell::label("Total including central support")];
        for y in &years {
            row.push(Cell::rule(
                Value::money(all_costs_in(m, *y)),
                format!("all items in {y}"),
            ));
        }
        row.push(Cell::rule(
            Value::money(case_total(m) + central_total(m)),
            "case total plus central support",
        ));
        t.push_total(row);
    }
    t.headline = match (tolerance_max(m), &m.tolerance_pct) {
        (Some(max), Some(tol)) => format!(
            "The case costs {} over {}–{}, with a maximum of {} at +{}% tolerance; {} of project support comes from the MKIP central budget.",
            case_total(m),
            years.first().map(|y| y.to_string()).unwrap_or_default(),
            years.last().map(|y| y.to_string()).unwrap_or_default(),
            max,
            tol.value.normalize(),
            central_total(m)
        ),
        _ => format!("The case costs {}.", case_total(m)),
    };
    if !centrals.is_empty() {
        t.notes.push("Project support funded from the MKIP central budget is shown apart from the case total, as published; the investment score counts it as a cost to the partnership.".into());
    }
    t.charts.push(profile_chart(&t, &m.name));
    Some(t)
}

/// Each year's case costs apportioned between the partners engaged that year
/// (a later joiner shares from its join year), whole pounds by largest remainder.
pub fn shares_table(m: &Model) -> Option<Table> {
    if m.investment.is_empty() {
        return None;
    }
    let weights = m.weights().ok()?;
    let mut cols: Vec<&str> = vec!["Year"];
    cols.extend(m.partners.iter().map(String::as_str));
    cols.push("Total");
    let mut t = Table::new(
        "apportionment",
        format!(
            "{}: investment apportioned between partners ({} basis)",
            m.name,
            m.apportionment.basis.value.name()
        ),
        &cols,
        1,
    );
    let mut sums = vec![Money::ZERO; m.partners.len()];
    let rule = format!(
        "{} share of the year's case costs, largest remainder to whole pounds",
        m.apportionment.basis.value.name()
    );
    for y in m.years() {
        let engaged: Vec<(String, Decimal)> = weights
            .iter()
            .filter(|(p, _)| m.join_year(p).is_none_or(|j| j <= y))
            .cloned()
            .collect();
        let cost = case_cost_in(m, y);
        let parts = apportion::apportion(cost.dec(), &engaged, Decimal::ONE).ok()?;
        let mut row = vec![Cell::label(y.to_string())];
        for (i, p) in m.partners.iter().enumerate() {
            match parts.iter().find(|x| &x.partner == p) {
                Some(x) => {
                    sums[i] += Money(x.rounded);
                    row.push(Cell::rule(Value::money(Money(x.rounded)), &rule));
                }
                None => row.push(Cell::rule(
                    Value::na("not yet joined"),
                    "clause 11.4: joins later",
                )),
            }
        }
        row.push(Cell::rule(Value::money(cost), format!("case costs in {y}")));
        t.push(row);
    }
    let mut row = vec![Cell::label("Total")];
    for s in &sums {
        row.push(Cell::rule(Value::money(*s), "sum of the partner's years"));
    }
    row.push(Cell::rule(
        Value::money(sums.iter().sum()),
        "sum of all shares",
    ));
    t.push_total(row);
    let wsum: Decimal = weights.iter().map(|(_, w)| *w).sum();
    let mut row = vec![Cell::label("Share %")];
    for (_, w) in &weights {
        row.push(Cell::rule(
            Value::pct(*w * Decimal::ONE_HUNDRED / wsum, 1),
            "weight / sum of weights",
        ));
    }
    row.push(Cell::rule(
        Value::pct(Decimal::ONE_HUNDRED, 1),
        "all partners",
    ));
    t.push(row);
    t.headline = format!(
        "The {} case cost is shared {}.",
        case_total(m),
        m.partners
            .iter()
            .zip(&sums)
            .map(|(p, s)| format!("{p} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    t.charts.push(shares_chart(&t, &m.name));
    Some(t)
}

/// Investment by year, stacked by item, with the cumulative case cost and
/// the tolerance when the model has one.
fn profile_chart(t: &Table, case: &str) -> Chart {
    let last = t.columns.len() - 1;
    let years: Vec<String> = t.columns[1..last].to_vec();
    let mut series = Vec::new();
    let mut tol = None;
    let mut totals = vec![0.0; last - 1];
    for r in &t.rows {
        let key = t.row_key(r);
        if key.starts_with("Tolerance maximum") {
            tol = Some((key, at(&r.cells[last].value)));
        } else if r.total && key == "Total" {
            totals = (1..last).map(|i| at(&r.cells[i].value)).collect();
        } else if !r.total {
            let values = (1..last).map(|i| at(&r.cells[i].value)).collect();
            series.push(Series { name: key, values });
        }
    }
    let cumulative: Vec<f64> = totals
        .iter()
        .scan(0.0, |cum, v| {
            *cum += v;
            Some(*cum)
        })
        .collect();
    Chart {
        name: "investment-profile".into(),
        title: if tol.is_some() {
            format!("{case}: investment by year against the tolerance")
        } else {
            format!("{case}: investment by year")
        },
        x_label: "Financial year".into(),
        y_label: "Investment".into(),
        plot: Plot::Bars(Bars {
            categories: years,
            series,
            stacked: true,
            line: Some(Series {
                name: "Cumulative case cost (excluding central support)".into(),
                values: cumulative,
            }),
            hline: tol.map(|(k, v)| (format!("{k}: {}", money_exact(v)), v)),
            mark: None,
        }),
    }
}

/// Each partner's share of the case cost.
fn shares_chart(t: &Table, case: &str) -> Chart {
    let partners: Vec<String> = t.columns[1..t.columns.len() - 1].to_vec();
    let total = t.rows.iter().find(|r| r.total && t.row_key(r) == "Total");
    let values = (1..t.columns.len() - 1)
        .map(|i| total.map_or(0.0, |r| at(&r.cells[i].value)))
        .collect();
    Chart {
        name: "apportionment-shares".into(),
        title: format!("{case}: investment apportioned between partners"),
        x_label: "Partner".into(),
        y_label: "Share of the case cost".into(),
        plot: Plot::Bars(Bars::simple(partners, "Share", values)),
    }
}
