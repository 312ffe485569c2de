//! Each partner's own case, as its Section 151 officer signs it: what the
//! council pays (its share of the case costs, as apportioned), what it
//! saves (its own net saving, from the year it joins), and the NPV, score
//! and payback that follow; a council worse off is said so.

use crate::base::chart::{Chart, HBars, Plot};
use crate::base::money::{Money, format_pounds};
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::case::appraise::{evaluate, payback_text};
use crate::case::calc::{Case, NEVER};
use crate::model::Model;

/// The model's case, when it has an investment to appraise.
fn case(m: &Model) -> crate::Result<Option<(Case, crate::case::calc::Figures)>> {
    if m.investment.is_empty() {
        return Ok(None);
    }
    Case::of_model(m, "savings")
}

pub fn table(m: &Model) -> crate::Result<Option<Table>> {
    let Some((c, f)) = case(m)? else {
        return Ok(None);
    };
    let cols = [
        "Partner",
        "Costs",
        "Savings",
        "Net benefit",
        "NPV",
        "Investment score",
        "Payback year",
    ];
    let mut t = Table::new(
        "partners",
        format!("{}: each partner's case", m.name),
        &cols,
        1,
    );
    let dp = c.money_places();
    let money = |d| Value::money_dp(Money(d), dp);
    let mut worse = Vec::new();
    for (i, p) in c.partners.iter().enumerate() {
        if p.joins == NEVER {
            continue;
        }
        let Some(inp) = c.partner_score_inputs(&f, i) else {
            return Ok(None);
        };
        let r = evaluate(&inp);
        if r.npv.is_sign_negative() && !r.npv.is_zero() {
            worse.push(format!(
                "{} by {}",
                p.name,
                format_pounds(-r.npv, 0, Default::default())
            ));
        }
        let rule = format!(
            "{}'s share of the case costs and its own net saving",
            p.name
        );
        t.push(vec![
            Cell::label(&p.name),
            Cell::rule(
                money(r.costs),
                "its share of each year's case costs, as apportioned",
            ),
            Cell::rule(
                money(r.savings),
                "its net saving per annum × realisation, from the year it joins",
            ),
            Cell::rule(money(r.net_benefit), "savings less costs"),
            Cell::rule(
                money(r.npv),
                format!("PV savings less PV costs at {}%", inp.rate_pct.normalize()),
            ),
            Cell::rule(
                r.score
                    .map(|s| Value::num(s, 2))
                    .unwrap_or(Value::na("n/a")),
                &rule,
            ),
            Cell::rule(
                Value::text(payback_text(r.payback)),
                "first year its cumulative net benefit ≥ 0",
            ),
        ]);
    }
    let names: Vec<&str> = worse.iter().map(String::as_str).collect();
    t.headline = if worse.is_empty() {
        "Every partner gains over the appraisal.".into()
    } else {
        format!(
            "Worse off: {} (NPV below zero).",
            crate::base::text::and_list(&names)
        )
    };
    t.notes.push("Centrally funded support is not apportioned to partners here; each partner's figures are its share of the case costs and its own saving.".into());
    t.charts.push(chart(&t, &m.name));
    Ok(Some(t))
}

/// Each partner's NPV as a bar, those worse off in a colour of their own:
/// the picture a council's S151 officer puts in front of its members.
fn chart(t: &Table, case: &str) -> Chart {
    let npv = t.columns.iter().position(|c| c == "NPV").unwrap_or(4);
    let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
    let values: Vec<f64> = rows.iter().map(|r| at(&r.cells[npv].value)).collect();
    let worse: Vec<usize> = values.iter().map(|v| usize::from(*v < 0.0)).collect();
    let mut group_names = vec!["Better off (NPV zero or more)".to_string()];
    if worse.contains(&1) {
        group_names.push("Worse off (NPV below zero)".into());
    }
    Chart {
        name: "partners-npv".into(),
        title: format!("{case}: each partner's NPV over the appraisal"),
        x_label: "NPV (its share of the costs against its own saving)".into(),
        y_label: "Partner".into(),
        plot: Plot::HBars(HBars {
            labels: rows.iter().map(|r| t.row_key(r)).collect(),
            values,
            group: worse,
            group_names,
        }),
    }
}

/// Each partner's cash by year: its share of the case costs, its savings,
/// the net and the running total, and what they are worth discounted; a
/// total for each partner. The figures behind the partners table.
pub fn by_year_table(m: &Model) -> crate::Result<Option<Table>> {
    let Some((c, f)) = case(m)? else {
        return Ok(None);
    };
    let cols = [
        "Partner",
        "Year",
        "Costs",
        "Savings",
        "Net benefit",
        "Cumulative net",
        "PV net benefit",
    ];
    let mut t = Table::new(
        "partners-by-year",
        format!("{}: each partner's cash by year", m.name),
        &cols,
        2,
    );
    let dp = c.money_places();
    let money = |d| Value::money_dp(Money(d), dp);
    for (i, p) in c.partners.iter().enumerate() {
        if p.joins == NEVER {
            continue;
        }
        let Some(inp) = c.partner_score_inputs(&f, i) else {
            return Ok(None);
        };
        let r = evaluate(&inp);
        for y in &r.years {
            t.push(vec![
                Cell::label(&p.name),
                Cell::label(y.year.to_string()),
                Cell::rule(
                    money(y.costs),
                    "its share of the year's case costs, as apportioned",
                ),
                Cell::rule(
                    money(y.savings),
                    "its net saving × the year's realisation share, while it is in",
                ),
                Cell::rule(money(y.net), "savings less costs"),
                Cell::rule(money(y.cumulative), "running sum of its net benefit"),
                Cell::rule(
                    money(y.pv_savings - y.pv_costs),
                    "net benefit × discount factor",
                ),
            ]);
        }
        t.push_total(vec![
            Cell::label(&p.name),
            Cell::label("Total"),
            Cell::rule(money(r.costs), "sum of its years"),
            Cell::rule(money(r.savings), "sum of its years"),
            Cell::rule(money(r.net_benefit), "sum of its years"),
            Cell::empty(),
            Cell::rule(money(r.npv), "its NPV: the sum of its years"),
        ]);
    }
    t.headline = format!(
        "Each partner's costs and savings year by year over the {}-year appraisal; its total PV net benefit is its NPV.",
        crate::base::text::count_word(c.window)
    );
    t.notes.push("Savings are each partner's net saving: its baseline less its share of the shared service's cost (and any saving already in its budget).".into());
    Ok(Some(t))
}
