//! Per-head-of-population contributions to a partnership (its agreement's clause) and the return
//! of unspent funds in the same proportions.

use crate::base::chart::{Bars, Chart, Plot};
use crate::base::money::Money;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::case::apportion;
use crate::model::Model;
use rust_decimal::Decimal;

pub fn table(m: &Model) -> Option<Table> {
    let c = m.contributions.as_ref()?;
    let rate = c.rate_per_head.value;
    let pence = |d: Decimal| if d.fract().is_zero() { 0 } else { 2 };
    let mut cols = vec![
        "Partner",
        "Population",
        "Rate per head",
        "Contribution",
        "Share %",
    ];
    if c.unspent.is_some() {
        cols.push("Return of unspent funds");
    }
    let mut t = Table::new(
        "contributions",
        format!("{}: contributions", m.name),
        &cols,
        1,
    );
    let total_pop: Decimal = m.population.iter().map(|(_, f)| f.value).sum();
    let weights: Vec<(String, Decimal)> = m
        .population
        .iter()
        .map(|(p, f)| (p.clone(), f.value))
        .collect();
    // The shown shares add up to the 100.0% shown beside them.
    let shares = apportion::apportion(Decimal::ONE_HUNDRED, &weights, Decimal::new(1, 1)).ok()?;
    let returns = match &c.unspent {
        Some(u) => Some(apportion::apportion(u.value, &weights, Decimal::new(1, 2)).ok()?),
        None => None,
    };
    let mut total = Money::ZERO;
    for (i, (p, pop)) in m.population.iter().enumerate() {
        let amount = Money(pop.value * rate);
        total += amount;
        let mut row = vec![
            Cell::label(p),
            Cell::input(Value::num(pop.value, 0), pop.origin.clone()),
            Cell::input(
                Value::money_dp(Money(rate), 2),
                c.rate_per_head.origin.clone(),
            ),
            Cell::rule(
                Value::money_dp(amount, pence(amount.dec())),
                "population × rate per head",
            ),
            Cell::rule(
                Value::pct(shares[i].rounded, 1),
                "population / total population, to 0.1% by largest remainder",
            ),
        ];
        if let Some(r) = &returns {
            row.push(Cell::rule(
                Value::money_dp(Money(r[i].rounded), 2),
                "unspent funds × population share, largest remainder to the penny",
            ));
        }
        t.push(row);
    }
    let mut row = vec![
        Cell::label("Total"),
        Cell::rule(Value::num(total_pop, 0), "sum over partners"),
        Cell::empty(),
        Cell::rule(
            Value::money_dp(total, pence(total.dec())),
            "sum over partners",
        ),
        Cell::rule(Value::pct(Decimal::ONE_HUNDRED, 1), "all partners"),
    ];
    if let Some(u) = &c.unspent {
        row.push(Cell::input(
            Value::money_dp(Money(u.value), 2),
            u.origin.clone(),
        ));
    }
    t.push_total(row);
    t.headline = format!(
        "At £{} per head the partners contribute {} a year ({}).",
        crate::base::money::format_plain(rate, 2),
        total,
        m.population
            .iter()
            .map(|(p, f)| format!("{p} {}", Money(f.value * rate)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if c.unspent.is_some() {
        let clause = m
            .partnership
            .clause("contributions")
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        t.notes.push(format!("Unspent funds are returned in the same population proportions{clause}, to the penny by largest remainder."));
    }
    t.charts.push(chart(&t, &m.name, 3));
    Some(t)
}

/// Each partner's contribution per annum.
fn chart(t: &Table, case: &str, contribution_col: usize) -> Chart {
    let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
    Chart {
        name: "contributions".into(),
        title: format!("{case}: contributions by partner"),
        x_label: "Partner".into(),
        y_label: "Contribution per annum".into(),
        plot: Plot::Bars(Bars::simple(
            rows.iter().map(|r| t.row_key(r)).collect(),
            "Contribution",
            rows.iter()
                .map(|r| at(&r.cells[contribution_col].value))
                .collect(),
        )),
    }
}
