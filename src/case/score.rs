//! The investment score (by default over five years),
//! defined in docs/model-reference.md:
//!
//! - window: `window_years` (5) financial years from the first year;
//! - costs in year t: every investment item, central support included;
//! - savings in year t: net saving per annum × realisation share of year t
//!   (0 before the start year, 1 from it, unless the model phases it), for
//!   each partner from the year it joins;
//! - discount factor 1 / (1 + r)^t, t = 0…4, r = 3.5 % (Green Book);
//! - NPV, discounted benefit-cost ratio (the investment score), payback year
//!   (first year cumulative net benefit ≥ 0) and ROI % = net / costs × 100.

use crate::base::chart::{Bars, Chart, Plot, Series};
use crate::base::money::{self, Money};
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::text::count_word;
use crate::base::year::Year;
pub use crate::case::appraise::*;
use crate::case::calc::Case;
use crate::model::Model;
use rust_decimal::Decimal;

/// The score inputs of a model, from the business-case calculator; None
/// when it has no investment, or no savings to weigh against it.
pub fn inputs(m: &Model) -> crate::Result<Option<ScoreInputs>> {
    let Some(s) = &m.savings else {
        return Ok(None);
    };
    if m.investment.is_empty()
        || (s.net_saving_per_annum.is_none() && s.shared_service_cost.is_none())
    {
        return Ok(None);
    }
    let Some(c) = Case::from_model(m) else {
        return Ok(None);
    };
    c.score_inputs()
        .map(Some)
        .map_err(|e| m.error("savings", e.to_string()))
}

pub fn table(m: &Model) -> crate::Result<Option<Table>> {
    let Some(inp) = inputs(m)? else {
        return Ok(None);
    };
    let dp = Case::from_model(m).map_or(0, |c| c.money_places());
    let r = evaluate(&inp);
    let cols = [
        "Year",
        "Costs",
        "Savings",
        "Net benefit",
        "Cumulative net",
        "Discount factor",
        "PV costs",
        "PV savings",
    ];
    let mut t = Table::new(
        "score",
        format!(
            "{}: {}-year investment score{}",
            m.name,
            count_word(inp.costs.len()),
            prices_title(m)
        ),
        &cols,
        1,
    );
    let money = |d: Decimal| Value::money_dp(Money(d), dp);
    for y in &r.years {
        t.push(vec![
            Cell::label(y.year.to_string()),
            Cell::rule(
                money(y.costs),
                "all investment items in the year, central support included",
            ),
            Cell::rule(money(y.savings), "net saving per annum × realisation share"),
            Cell::rule(money(y.net), "savings less costs"),
            Cell::rule(cumulative(y.cumulative, dp), "running sum of net benefit"),
            Cell::rule(
                Value::num(y.discount_factor, 4),
                format!("1 / (1 + {}%)^t", inp.rate_pct.normalize()),
            ),
            Cell::rule(money(y.pv_costs), "costs × discount factor"),
            Cell::rule(money(y.pv_savings), "savings × discount factor"),
        ]);
    }
    let e = Cell::empty;
    t.push_total(vec![
        Cell::label("Total"),
        Cell::rule(money(r.costs), "sum over the window"),
        Cell::rule(money(r.savings), "sum over the window"),
        Cell::rule(money(r.net_benefit), "sum over the window"),
        e(),
        e(),
        Cell::rule(money(r.pv_costs), "sum over the window"),
        Cell::rule(money(r.pv_savings), "sum over the window"),
    ]);
    summary_rows(&mut t, &r, dp);
    t.headline = format!(
        "Over {}–{} the case {}{}, NPV {}, payback {}.",
        inp.first_year,
        inp.first_year.offset(inp.costs.len() as i32 - 1),
        returns(r.score),
        if r.score.is_some() {
            " (investment score)"
        } else {
            ""
        },
        money::format_pounds(r.npv, 0, Default::default()),
        payback_text(r.payback)
    );
    if r.payback.is_some() && r.npv.is_sign_negative() && !r.npv.is_zero() {
        // Cash paid back, value not: say so beside the payback year.
        t.headline.pop();
        t.headline += " in cash only: discounted, the case loses money (NPV below zero).";
    }
    t.notes.push(format!(
        "Window {} years from {}; discount rate {}% (HM Treasury Green Book); savings count from {}. Present values are shown to the pound and totalled, with the NPV, from their unrounded figures, so a column may differ from the sum of its rounded rows by £1.",
        inp.costs.len(),
        inp.first_year,
        m.discount_rate_pct.value.normalize(),
        m.savings
            .as_ref()
            .and_then(|s| s.start_year.as_ref())
            .map(|y| y.value.to_string())
            .unwrap_or_else(|| inp.first_year.to_string())
    ));
    if let Some(note) = prices_note(m) {
        t.notes.push(note);
    }
    if let Some(note) = optimism_note(m) {
        t.notes.push(note);
    }
    t.charts.push(chart(&t, &m.name));
    Ok(Some(t))
}

/// " (real terms, 2030/31 prices)" or " (cash, nominal prices)"; nothing
/// without `[prices]`.
/// What the investment score says in a headline: "returns £2.72 per £1
/// invested", "loses £0.40 per £1 invested" (savings below nothing), or,
/// with no costs paid (none, or refunds above spending), that it has none.
fn returns(score: Option<Decimal>) -> String {
    match score {
        Some(s) if s.is_sign_negative() && !s.is_zero() => {
            format!("loses £{} per £1 invested", score_text(Some(-s)))
        }
        Some(s) => format!("returns £{} per £1 invested", score_text(Some(s))),
        None => "has no investment score (no costs paid to set its savings against)".into(),
    }
}

fn prices_title(m: &Model) -> String {
    match &m.prices {
        None => String::new(),
        Some(p) if p.nominal => " (cash, nominal prices)".into(),
        Some(p) => format!(" (real terms, {} prices)", p.base_year),
    }
}

/// How the figures were priced: the indices, and the rate they are
/// discounted at.
fn prices_note(m: &Model) -> Option<String> {
    let p = m.prices.as_ref()?;
    let infl = p.inflation.value.normalize();
    let idx = |f: &Option<crate::model::Fig>, what: &str| match f {
        Some(f) => format!("{what} rise {}% a year", f.value.normalize()),
        None => format!("{what} rise with inflation"),
    };
    let real = m.discount_rate_pct.value.normalize();
    let how = if p.nominal {
        let c = Case::from_model(m)?;
        format!(
            "shown in cash (nominal) terms and discounted at {}% ((1 + {real}%) × (1 + {infl}%) − 1), which gives the NPV of real terms",
            c.shown_rate_pct().round_dp(4).normalize()
        )
    } else {
        format!(
            "deflated by {infl}% a year (GDP deflator) to {} prices and discounted at {real}% (real terms, as the Green Book asks)",
            p.base_year
        )
    };
    Some(format!(
        "Prices: the model's figures are in {} prices; {}, {}; {how}.",
        p.base_year,
        idx(&p.costs_index, "investment costs"),
        idx(&p.savings_index, "the services' costs (and so the savings)")
    ))
}

/// What optimism bias the figures carry, by category, and where the
/// percentages came from.
fn optimism_note(m: &Model) -> Option<String> {
    let o = &m.optimism;
    let pct = |f: &Option<crate::model::Fig>| f.as_ref().map(|f| f.value).filter(|v| !v.is_zero());
    let mut parts = Vec::new();
    if let Some(v) = pct(&o.capital) {
        parts.push(format!("capital costs +{}%", v.normalize()));
    }
    if let Some(v) = pct(&o.operating) {
        parts.push(format!(
            "the shared service's running cost +{}%",
            v.normalize()
        ));
    }
    if let Some(v) = pct(&o.duration) {
        let months = Case::from_model(m)
            .map(|c| c.duration_slip_months())
            .unwrap_or_default();
        parts.push(format!(
            "works duration +{}% (savings {} months later)",
            v.normalize(),
            months.round_dp(1).normalize()
        ));
    }
    if let Some(v) = pct(&o.benefits) {
        parts.push(format!("benefits −{}%", v.normalize()));
    }
    if parts.is_empty() {
        return None;
    }
    let source = match &o.project_type {
        Some(p) => format!(
            "; percentages not given are the upper bounds of HM Treasury's Supplementary Green Book Guidance on optimism bias for {p}"
        ),
        None => String::new(),
    };
    Some(format!(
        "Optimism bias in these figures: {}{source}.",
        parts.join(", ")
    ))
}

/// NPV, score, payback and ROI under the yearly rows, in the last column.
fn summary_rows(t: &mut Table, r: &ScoreResult, dp: u32) {
    let money = |d: Decimal| Value::money_dp(Money(d), dp);
    let summary = |label: &str, v: Value, rule: &str| -> Vec<Cell> {
        let mut row = vec![Cell::label(label)];
        row.extend((0..6).map(|_| Cell::empty()));
        row.push(Cell::rule(v, rule));
        row
    };
    t.push_total(summary("NPV", money(r.npv), "PV savings less PV costs"));
    t.push_total(summary(
        "Investment score",
        match r.score {
            Some(s) => Value::num(s, 2),
            None => Value::na("n/a"),
        },
        "PV savings / PV costs (discounted benefit-cost ratio)",
    ));
    t.push(summary(
        "Payback year",
        Value::text(payback_text(r.payback)),
        "first year cumulative net benefit ≥ 0",
    ));
    t.push(summary(
        "ROI %",
        match r.roi_pct {
            Some(p) => Value::pct(p, 1),
            None => Value::na("n/a"),
        },
        "net benefit / costs × 100",
    ));
}

/// "five-year" for every case's window, or "" when the windows differ.
fn window_words(windows: &[usize]) -> String {
    match windows.first() {
        Some(w) if windows.iter().all(|x| x == w) => format!("{}-year ", count_word(*w)),
        _ => String::new(),
    }
}

/// The overall score of a partnership's cases (named by `partnership`, its
/// short name, if it has one): Σ PV savings / Σ PV costs across every case.
pub fn overall_table(models: &[Model], partnership: Option<&str>) -> crate::Result<Table> {
    let cols = [
        "Case",
        "Window",
        "Costs",
        "Savings",
        "NPV",
        "PV costs",
        "PV savings",
        "Investment score",
        "Payback year",
        "ROI %",
    ];
    let mut t = Table::new("score", "", &cols, 1);
    let mut windows = Vec::new();
    let (mut pvc, mut pvs, mut tc, mut ts) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let money = |d: Decimal| Value::money(Money(d));
    let mut n = 0;
    for m in models {
        let Some(inp) = inputs(m)? else { continue };
        let r = evaluate(&inp);
        windows.push(inp.costs.len());
        n += 1;
        pvc += r.pv_costs;
        pvs += r.pv_savings;
        tc += r.costs;
        ts += r.savings;
        t.push(case_row(m, &inp, &r));
    }
    let overall = (pvc > Decimal::ZERO).then(|| pvs / pvc);
    let e = Cell::empty;
    t.push_total(vec![
        Cell::label("Total"),
        e(),
        Cell::rule(money(tc), "sum over cases"),
        Cell::rule(money(ts), "sum over cases"),
        Cell::rule(money(pvs - pvc), "sum over cases"),
        Cell::rule(money(pvc), "sum over cases"),
        Cell::rule(money(pvs), "sum over cases"),
        Cell::rule(
            overall
                .map(|s| Value::num(s, 2))
                .unwrap_or(Value::na("n/a")),
            "Σ PV savings / Σ PV costs",
        ),
        e(),
        Cell::rule(
            if tc.is_zero() {
                Value::na("n/a")
            } else {
                Value::pct((ts - tc) * Decimal::ONE_HUNDRED / tc, 1)
            },
            "Σ net benefit / Σ costs × 100",
        ),
    ]);
    let years = window_words(&windows);
    let (who, overall_name) = match partnership {
        Some(p) => (p.to_string(), format!("{p} overall")),
        None => ("the partnership".to_string(), "Overall".to_string()),
    };
    t.title = format!("{overall_name} {years}investment score");
    let over = match windows.first() {
        Some(w) if !years.is_empty() => format!(" over {} years", count_word(*w)),
        _ => String::new(),
    };
    t.headline = format!(
        "Across {n} cases {who} {}{over} (NPV {}).",
        returns(overall),
        money::format_pounds(pvs - pvc, 0, Default::default())
    );
    t.notes.push(format!(
        "Each case is discounted from its own first year. {overall_name} = Σ PV savings / Σ PV costs over all cases."
    ));
    t.rounding_note();
    Ok(t)
}

/// A cumulative net, in pence when pounds would hide its sign: −£0.36 is
/// not yet paid back, and "£0" beside a later payback year misleads.
fn cumulative(d: Decimal, dp: u32) -> Value {
    match d.abs() < Decimal::new(5, 1) && !d.is_zero() {
        true => Value::money_dp(Money(d), 2),
        false => Value::money_dp(Money(d), dp),
    }
}

/// One case's line of the overall table, every figure its own score's.
fn case_row(m: &Model, inp: &ScoreInputs, r: &ScoreResult) -> Vec<Cell> {
    let money = |d: Decimal| Value::money(Money(d));
    let rule = format!("score of {}", m.file);
    vec![
        Cell::label(&m.name),
        Cell::rule(
            Value::text(format!(
                "{}–{}",
                inp.first_year,
                inp.first_year.offset(inp.costs.len() as i32 - 1)
            )),
            &rule,
        ),
        Cell::rule(money(r.costs), &rule),
        Cell::rule(money(r.savings), &rule),
        Cell::rule(money(r.npv), &rule),
        Cell::rule(money(r.pv_costs), &rule),
        Cell::rule(money(r.pv_savings), &rule),
        Cell::rule(
            r.score
                .map(|s| Value::num(s, 2))
                .unwrap_or(Value::na("n/a")),
            &rule,
        ),
        Cell::rule(Value::text(payback_text(r.payback)), &rule),
        Cell::rule(
            r.roi_pct
                .map(|p| Value::pct(p, 1))
                .unwrap_or(Value::na("n/a")),
            &rule,
        ),
    ]
}

/// Net benefit by year, the cumulative line and the payback year marked.
fn chart(t: &Table, case: &str) -> Chart {
    let years: Vec<_> = t
        .rows
        .iter()
        .filter(|r| !r.total && Year::parse(&t.row_key(r)).is_some())
        .collect();
    let cats: Vec<String> = years.iter().map(|r| t.row_key(r)).collect();
    let net = years.iter().map(|r| at(&r.cells[3].value)).collect();
    let cumulative: Vec<f64> = years.iter().map(|r| at(&r.cells[4].value)).collect();
    let mark = cumulative
        .iter()
        .position(|v| *v >= 0.0)
        .map(|i| (format!("Payback {}", cats[i]), i));
    Chart {
        name: "cumulative-net-benefit".into(),
        title: format!(
            "{case}: net benefit and payback over {} years",
            count_word(cats.len())
        ),
        x_label: "Financial year".into(),
        y_label: "Net benefit (savings less costs)".into(),
        plot: Plot::Bars(Bars {
            categories: cats,
            series: vec![Series {
                name: "Net benefit in the year".into(),
                values: net,
            }],
            line: Some(Series {
                name: "Cumulative net benefit".into(),
                values: cumulative,
            }),
            mark,
            ..Bars::default()
        }),
    }
}
