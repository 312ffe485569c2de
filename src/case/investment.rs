//! The investment table of a business case: items by financial year, row and
//! column totals, the case total, its tolerance maximum, and centrally funded
//! project support shown apart, as business-case snapshots print it.

use crate::base::chart::{Bars, Chart, Plot, Series, money_exact};
use crate::base::money::Money;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::year::Year;
use crate::case::apportion;
use crate::case::calc::{Case, Figures};
use crate::model::{InvestmentItem, Model};
use rust_decimal::Decimal;

/// Funded apart from the case by the partnership (a central budget).
fn central(i: &InvestmentItem) -> bool {
    i.funded_by.is_some() && !i.external
}

fn item_total(i: &InvestmentItem) -> Money {
    i.amounts.iter().map(|(_, f)| Money(f.value)).sum()
}

/// The model's case and every figure of it, from the calculator.
fn figures(m: &Model) -> crate::Result<Option<(Case, Figures)>> {
    if m.investment.is_empty() {
        return Ok(None);
    }
    Case::of_model(m, "investment")
}

pub fn table(m: &Model) -> crate::Result<Option<Table>> {
    let Some((_, f)) = figures(m)? else {
        return Ok(None);
    };
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
    let bias = m.optimism.capital.as_ref().filter(|b| !b.value.is_zero());
    if let Some(bias) = bias {
        t.push(bias_row(m, bias, &years, &f.case_cost, false));
    }
    let mut total = vec![Cell::label("Total")];
    for (y, c) in years.iter().zip(&f.case_cost) {
        total.push(Cell::rule(
            Value::money(Money(*c)),
            format!("sum of items in {y}"),
        ));
    }
    let case_total = Money(f.case_total);
    total.push(Cell::rule(
        Value::money(case_total),
        "sum of all items (case total)",
    ));
    t.push_total(total);

    let tolerance_max = f.tolerance_max.map(Money);
    if let (Some(max), Some(tol)) = (tolerance_max, &m.tolerance_pct) {
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
        if let Some(bias) = bias {
            let support: Vec<Decimal> = f
                .all_cost
                .iter()
                .zip(&f.case_cost)
                .map(|(a, c)| a - c)
                .collect();
            t.push(bias_row(m, bias, &years, &support, true));
        }
        let mut row = vec![Cell::label("Total including central support")];
        for (y, c) in years.iter().zip(&f.all_cost) {
            row.push(Cell::rule(
                Value::money(Money(*c)),
                format!("all items in {y}"),
            ));
        }
        row.push(Cell::rule(
            Value::money(case_total + Money(f.central)),
            "case total plus central support",
        ));
        t.push_total(row);
    }
    let externals: Vec<&InvestmentItem> = m.investment.iter().filter(|i| i.external).collect();
    for i in &externals {
        t.push(row_for(i));
    }
    headline(&mut t, m, &f, &years, &centrals);
    external_note(&mut t, &externals);
    t.pence_if_any();
    // A profile of one year is one bar: the table says it better.
    if t.columns.len() > 3 {
        t.charts.push(profile_chart(&t, &m.name));
    }
    Ok(Some(t))
}

/// Each partner's share of the case cost as paid (a late joiner pays
/// less than its weight), to 0.1 % by largest remainder so that the shown
/// shares add up to 100.0 %; by weight when nothing is paid.
fn share_row(weights: &[(String, Decimal)], paid: &[Money]) -> Vec<Cell> {
    let total: Decimal = paid.iter().map(|m| m.dec()).sum();
    let (basis, rule): (Vec<(String, Decimal)>, &str) = if total.is_zero() {
        (
            weights.to_vec(),
            "weight / sum of weights, to 0.1 % by largest remainder",
        )
    } else {
        // A refund (every share at or below zero) is shared as a cost is:
        // each partner's part of it (the row was blank beside 100.0%).
        let refund = paid.iter().all(|m| m.dec() <= Decimal::ZERO);
        let named = weights.iter().zip(paid).map(|((p, _), m)| {
            let d = m.dec();
            (p.clone(), if refund { -d } else { d })
        });
        (
            named.collect(),
            "share of the case cost paid, to 0.1 % by largest remainder",
        )
    };
    let pcts = apportion::apportion(Decimal::ONE_HUNDRED, &basis, Decimal::new(1, 1));
    let mut row = vec![Cell::label("Share %")];
    match pcts {
        Ok(parts) => {
            row.extend(
                parts
                    .iter()
                    .map(|p| Cell::rule(Value::pct(p.rounded, 1), rule)),
            );
            row.push(Cell::rule(
                Value::pct(Decimal::ONE_HUNDRED, 1),
                "all partners",
            ));
        }
        // Shares of both signs have no percentages: none, the total's
        // neither.
        Err(_) => row.extend(weights.iter().map(|_| Cell::empty()).chain([Cell::empty()])),
    }
    row
}

/// Equal amounts shown with different percentages (33.4%, 33.3%, 33.3%) are
/// the shares of 100.0% by largest remainder, said so that they are not read
/// as an error.
fn equal_share_note(t: &Table, paid: &[Money]) -> Option<String> {
    // Nothing paid: the shares are the weights', not the amounts'.
    if paid.iter().all(|m| m.dec().is_zero()) {
        return None;
    }
    let pct = t.rows.last()?;
    let shown: Vec<Option<Decimal>> = (1..=paid.len())
        .map(|c| pct.cells.get(c).and_then(|v| v.value.figure()))
        .collect();
    let uneven = (0..paid.len())
        .any(|i| (0..paid.len()).any(|j| paid[i] == paid[j] && shown[i] != shown[j]));
    uneven.then(|| {
        "Share % adds up to 100.0%: where equal shares round to less, the remaining tenth of a percent goes to the partner listed first (largest remainder), so equal amounts can show different percentages.".to_string()
    })
}

/// The weights every year's costs are shared by, when one basis serves
/// every item: what the workbook's share formulas read, so that a changed
/// weight re-shares the costs there.
fn weight_row(m: &Model, weights: &[(String, Decimal)]) -> Option<Vec<Cell>> {
    let basis = &m.apportionment.basis.value;
    if m.investment
        .iter()
        .filter(|i| i.funded_by.is_none())
        .any(|i| i.basis.as_ref().is_some_and(|b| &b.value != basis))
    {
        return None;
    }
    let name = basis.name();
    let value = |w: Decimal| match basis {
        crate::model::Basis::Baseline => Value::money(Money(w)),
        _ => Value::num(w, w.normalize().scale()),
    };
    let label = match basis {
        crate::model::Basis::Baseline => "Weight: baseline budget".to_string(),
        crate::model::Basis::Equal => "Weight: equal shares".to_string(),
        crate::model::Basis::Weights => "Weight: as agreed".to_string(),
        _ => format!("Weight: {name}"),
    };
    let mut row = vec![Cell::label(label)];
    row.extend(
        weights
            .iter()
            .map(|(_, w)| Cell::rule(value(*w), format!("the partner's {name} weight"))),
    );
    let sum: Decimal = weights.iter().map(|(_, w)| *w).sum();
    row.push(Cell::rule(value(sum), "sum of the weights"));
    Some(row)
}

/// The optimism bias on each year's case costs (or centrally funded
/// support): what the totals add to the items, the Green Book's uplift for
/// optimism in appraisals.
fn bias_row(
    m: &Model,
    bias: &crate::model::Fig,
    years: &[Year],
    uplifted: &[Decimal],
    on_central: bool,
) -> Vec<Cell> {
    let pct = bias.value.normalize();
    let label = if on_central {
        format!("Optimism bias on central support (+{pct}%)")
    } else {
        format!("Optimism bias (+{pct}%)")
    };
    let mut row = vec![Cell::label(label)];
    let mut sum = Money::ZERO;
    for (y, uplifted) in years.iter().zip(uplifted) {
        let items: Money = m
            .investment
            .iter()
            .filter(|i| central(i) == on_central)
            .flat_map(|i| i.amounts.iter().filter(|(yy, _)| yy == y))
            .map(|(_, v)| Money(v.value))
            .sum();
        let extra = Money(*uplifted) - items;
        sum += extra;
        row.push(Cell::rule(
            Value::money(extra),
            format!("items in {y} × {pct}%"),
        ));
    }
    row.push(Cell::rule(
        Value::money(sum),
        "sum of the years' optimism bias",
    ));
    row
}

/// The case total over its years, the tolerance, and the support funded
/// apart, named as the model names its funders.
fn headline(t: &mut Table, m: &Model, f: &Figures, years: &[Year], centrals: &[&InvestmentItem]) {
    let case_total = Money(f.case_total);
    let tolerance_max = f.tolerance_max.map(Money);
    let mut funders: Vec<&str> = Vec::new();
    for i in centrals {
        if let Some(f) = i.funded_by.as_deref()
            && !funders.contains(&f)
        {
            funders.push(f);
        }
    }
    let funders = crate::base::text::and_list(&funders);
    t.headline = match (tolerance_max, &m.tolerance_pct) {
        (Some(max), Some(tol)) => format!(
            "The case costs {} over {}–{}, with a maximum of {} at +{}% tolerance",
            case_total,
            years.first().map(|y| y.to_string()).unwrap_or_default(),
            years.last().map(|y| y.to_string()).unwrap_or_default(),
            max,
            tol.value.normalize(),
        ),
        _ => format!("The case costs {case_total}"),
    };
    if !centrals.is_empty() {
        t.headline += &format!(
            "; {} of project support comes from the {funders}",
            Money(f.central)
        );
        t.notes.push(format!("Project support funded from the {funders} is shown apart from the case total, as published; the investment score counts it as a cost to the partnership."));
    }
    t.headline.push('.');
}

/// Items funded from outside the partnership: said in the headline and a
/// note, and left out of every cost to the partners.
fn external_note(t: &mut Table, externals: &[&InvestmentItem]) {
    if externals.is_empty() {
        return;
    }
    let total: Money = externals.iter().map(|i| item_total(i)).sum();
    let mut funders: Vec<&str> = Vec::new();
    for f in externals.iter().filter_map(|i| i.funded_by.as_deref()) {
        if !funders.contains(&f) {
            funders.push(f);
        }
    }
    let funders = crate::base::text::and_list(&funders);
    t.headline.pop();
    t.headline +=
        &format!("; {total} more is funded from outside the partnership by the {funders}.");
    t.notes.push(format!("Items funded by the {funders} come from outside the partnership: shown for completeness, they are not a cost to the partners and the investment score leaves them out."));
}

/// Each year's case costs apportioned between the partners engaged that year
/// (a later joiner shares from its join year), whole pounds by largest remainder.
pub fn shares_table(m: &Model) -> crate::Result<Option<Table>> {
    let Some((c, f)) = figures(m)? else {
        return Ok(None);
    };
    let (Some(shares), Ok(weights)) = (&f.shares, c.weights()) else {
        return Ok(None);
    };
    let mut cols: Vec<&str> = vec!["Year"];
    cols.extend(m.partners.iter().map(String::as_str));
    cols.push("Total");
    let mut t = Table::new(
        "apportionment",
        format!(
            "{}: investment apportioned between partners ({})",
            m.name,
            basis_words(m)
        ),
        &cols,
        1,
    );
    let mut sums = vec![Money::ZERO; m.partners.len()];
    for ((y, cost), parts) in m.years().iter().zip(&f.case_cost).zip(shares) {
        let rule = format!(
            "{} share of the year's case costs, largest remainder to {}",
            basis_words(m),
            crate::case::apportion::unit_words(crate::case::apportion::unit_for(*cost))
        );
        let cost = Money(*cost);
        let mut row = vec![Cell::label(y.to_string())];
        for (i, part) in parts.iter().enumerate() {
            match part {
                Some(x) => {
                    sums[i] += Money(*x);
                    row.push(Cell::rule(Value::money(Money(*x)), &rule));
                }
                None if m.join_year(&m.partners[i]) == Some(None) => row.push(Cell::rule(
                    Value::na("does not join"),
                    "never joins the case",
                )),
                None if m.leave_year(&m.partners[i]).is_some_and(|l| *y >= l) => row.push(
                    Cell::rule(Value::na("left"), "left the partnership: shares no costs"),
                ),
                None => row.push(Cell::rule(
                    Value::na("not yet joined"),
                    match m.partnership.clause("joining") {
                        Some(c) => format!("{c}: joins later"),
                        None => "joins later".into(),
                    },
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
    t.push(share_row(&weights, &sums));
    if let Some(n) = equal_share_note(&t, &sums) {
        t.notes.push(n);
    }
    if let Some(row) = weight_row(m, &weights) {
        t.push(row);
    }
    t.headline = format!(
        "The {} case cost is shared {}.",
        Money(f.case_total),
        m.partners
            .iter()
            .zip(&sums)
            .map(|(p, s)| format!("{p} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    leaving_and_joining_notes(&mut t, m);
    // Equal bars (equal shares, to the pound or so) say nothing the
    // table's one line does not.
    let (least, most) = (sums.iter().min(), sums.iter().max());
    if least
        .zip(most)
        .is_none_or(|(l, h)| (*h - *l).dec().abs() * Decimal::from(1000) > h.dec().abs())
    {
        t.charts.push(shares_chart(&t, &m.name));
    }
    t.pence_if_any();
    Ok(Some(t))
}

/// What a partner leaving or joining pays, and to whom.
fn leaving_and_joining_notes(t: &mut Table, m: &Model) {
    for (p, cost) in &m.apportionment.exit_cost {
        if let Some(y) = m.leave_year(p) {
            t.notes.push(format!(
                "{p} leaves in {y}: its exit cost of {} is in its {y} share and paid to the partners who stay, by {} share (largest remainder); from then it shares no costs and saves nothing.",
                Money(cost.value),
                m.apportionment.basis.value.name()
            ));
        }
    }
    for (p, fee) in &m.apportionment.joining_fee {
        if let Some(Some(y)) = m.join_year(p) {
            t.notes.push(format!(
                "{p}'s joining fee of {} is in its {y} share and paid to the partners already in, by {} share (largest remainder).",
                Money(fee.value),
                m.apportionment.basis.value.name()
            ));
        }
    }
}

/// Investment by year, stacked by item, with the cumulative case cost and
/// the tolerance when the model has one.
fn profile_chart(t: &Table, case: &str) -> Chart {
    let last = t.columns.len() - 1;
    let years: Vec<String> = t.columns[1..last].to_vec();
    let mut series = Vec::new();
    let mut tol = None;
    let mut totals = vec![0.0; last - 1];
    // Items below the case total are central support, outside the case.
    let (mut past_total, mut central) = (false, false);
    for r in &t.rows {
        let key = t.row_key(r);
        if key.starts_with("Tolerance maximum") {
            tol = Some((key, at(&r.cells[last].value)));
        } else if r.total && key == "Total" {
            totals = (1..last).map(|i| at(&r.cells[i].value)).collect();
            past_total = true;
        } else if !r.total {
            central |= past_total;
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
            // A running total of one year says nothing the bar does not.
            line: (cumulative.len() > 1).then(|| Series {
                name: if central {
                    "Cumulative case cost (excluding central support)".into()
                } else {
                    "Cumulative case cost".into()
                },
                values: cumulative,
            }),
            hline: tol.map(|(k, v)| (format!("{k}: {}", money_exact(v)), v)),
            hline_over: None,
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

/// "population basis", or, when cost lines have bases of their own,
/// "Licences by caseload, the rest by population".
fn basis_words(m: &Model) -> String {
    let default = m.apportionment.basis.value.name();
    let own: Vec<String> = m
        .investment
        .iter()
        .filter(|i| i.funded_by.is_none())
        .filter_map(|i| {
            let b = i.basis.as_ref()?.value.name();
            (b != default).then(|| format!("{} by {b}", i.item))
        })
        .collect();
    if own.is_empty() {
        format!("{default} basis")
    } else {
        format!("{}, the rest by {default}", own.join(", "))
    }
}
