//! The savings table of a business case: per partner, the budget cost, the
//! estimated cost of the shared service (apportioned or given), the staff
//! saving, savings already in the budget, and the net saving per annum.

use crate::base::chart::{Bars, Chart, Plot};
use crate::base::money::Money;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::trace::Trace;
use crate::case::calc::Case;
use crate::model::{Model, SharedCost};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerSaving {
    pub partner: String,
    pub baseline: Money,
    pub baseline_trace: Trace,
    pub cost: Money,
    pub cost_trace: Trace,
    pub already_budgeted: Option<Money>,
    pub already_trace: Trace,
}

impl PartnerSaving {
    pub fn staff_saving(&self) -> Money {
        self.baseline - self.cost
    }
    pub fn net(&self) -> Money {
        self.staff_saving() - self.already_budgeted.unwrap_or(Money::ZERO)
    }
}

/// Per-partner savings from the business-case calculator, each input
/// traced to the model, or None when the model gives no partner table.
fn partner_savings(m: &Model) -> crate::Result<Option<Vec<PartnerSaving>>> {
    let Some(s) = m.savings.as_ref() else {
        return Ok(None);
    };
    let Some(cost) = s.shared_service_cost.as_ref() else {
        return Ok(None);
    };
    let Some((c, f)) = Case::of_model(m, "savings")? else {
        return Ok(None);
    };
    let traces: Vec<Trace> = match cost {
        SharedCost::PerPartner(v) => m
            .partners
            .iter()
            .map(|p| match v.iter().find(|(q, _)| q == p) {
                Some((_, f)) => Trace::Input(f.origin.clone()),
                None => Trace::rule("not given: nil"),
            })
            .collect(),
        SharedCost::Total(total) => {
            let w = c
                .weight_values_for(c.running_basis.as_ref().unwrap_or(&c.basis))
                .map_err(|e| m.error("apportionment", e.to_string()))?;
            let sum: Decimal = w.iter().sum();
            let unit = crate::case::apportion::unit_for(total.value);
            w.iter()
                .map(|weight| {
                    Trace::rule(format!(
                        "{} apportioned by {} share ({} / {}), largest remainder to {}",
                        Money(total.value),
                        running_basis(m),
                        weight.normalize(),
                        sum.normalize(),
                        crate::case::apportion::unit_words(unit)
                    ))
                })
                .collect()
        }
    };
    let rows = m
        .partners
        .iter()
        .zip(traces)
        .zip(&f.partner_cost)
        // A partner that never joins has no row: it pays and saves nothing.
        .filter(|((p, _), _)| m.join_year(p) != Some(None))
        .map(|((p, cost_trace), cost)| {
            let b = s.baseline.iter().find(|(q, _)| q == p);
            let a = s.already_budgeted.iter().find(|(q, _)| q == p);
            PartnerSaving {
                partner: p.clone(),
                baseline: b.map(|(_, f)| Money(f.value)).unwrap_or(Money::ZERO),
                baseline_trace: b
                    .map(|(_, f)| Trace::Input(f.origin.clone()))
                    .unwrap_or(Trace::Label),
                cost: Money(*cost),
                cost_trace,
                already_budgeted: a.map(|(_, f)| Money(f.value)).filter(|v| !v.is_zero()),
                already_trace: a
                    .map(|(_, f)| Trace::Input(f.origin.clone()))
                    .unwrap_or(Trace::Label),
            }
        })
        .collect();
    Ok(Some(rows))
}

pub fn table(m: &Model) -> crate::Result<Option<Table>> {
    let Some(rows) = partner_savings(m)? else {
        return Ok(None);
    };
    let by = m
        .savings
        .as_ref()
        .and_then(|s| s.budget_year.clone())
        .unwrap_or_default();
    let budget_col = if by.is_empty() {
        "Budget cost".to_string()
    } else {
        format!("Budget cost {by}")
    };
    let cols = [
        "Partner",
        budget_col.as_str(),
        "Estimated cost of shared service",
        "Calculated staff savings",
        "Less budget saving already included",
        "Total net saving per annum",
    ];
    let mut t = Table::new("savings", format!("{}: savings", m.name), &cols, 1);
    for r in &rows {
        t.push(vec![
            Cell::label(&r.partner),
            Cell::traced(Value::money(r.baseline), r.baseline_trace.clone()),
            Cell::traced(Value::money(r.cost), r.cost_trace.clone()),
            Cell::rule(
                Value::money(r.staff_saving()),
                "budget cost less shared service cost",
            ),
            match r.already_budgeted {
                Some(a) => Cell::traced(Value::money(a), r.already_trace.clone()),
                None => Cell::empty(),
            },
            Cell::rule(
                Value::money(r.net()),
                "staff saving less saving already in the budget",
            ),
        ]);
    }
    let sum = |f: &dyn Fn(&PartnerSaving) -> Money| -> Money { rows.iter().map(f).sum() };
    let already = sum(&|r| r.already_budgeted.unwrap_or(Money::ZERO));
    t.push_total(vec![
        Cell::label("Total"),
        Cell::rule(Value::money(sum(&|r| r.baseline)), "sum over partners"),
        Cell::rule(Value::money(sum(&|r| r.cost)), "sum over partners"),
        Cell::rule(
            Value::money(sum(&|r| r.staff_saving())),
            "sum over partners",
        ),
        if already.is_zero() {
            Cell::empty()
        } else {
            Cell::rule(Value::money(already), "sum over partners")
        },
        Cell::rule(Value::money(sum(&|r| r.net())), "sum over partners"),
    ]);
    t.headline = format!(
        "The shared service saves {} a year net ({}).",
        sum(&|r| r.net()),
        rows.iter()
            .map(|r| format!("{} {}", r.partner, r.net()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    worse_off_note(&mut t, &rows);
    if let Some(SharedCost::Total(total)) = m
        .savings
        .as_ref()
        .and_then(|s| s.shared_service_cost.as_ref())
    {
        let unit = crate::case::apportion::unit_for(total.value);
        t.notes.push(format!(
            "The shared service cost is apportioned by {} share, rounded to {} by largest remainder so the parts add up to the total.",
            running_basis(m),
            crate::case::apportion::unit_words(unit)
        ));
    }
    never_note(&mut t, m);
    t.pence_if_any();
    t.charts.push(chart(&t, &m.name));
    Ok(Some(t))
}

/// A partner whose shared service would cost more than its own budget for
/// it is flagged: its S151 officer is signing for a loss.
fn worse_off_note(t: &mut Table, rows: &[PartnerSaving]) {
    let worse: Vec<String> = rows
        .iter()
        .filter(|r| r.net().dec().is_sign_negative() && !r.net().is_zero())
        .map(|r| format!("{} ({} a year more)", r.partner, -r.net()))
        .collect();
    if !worse.is_empty() {
        let names: Vec<&str> = worse.iter().map(String::as_str).collect();
        t.notes.push(format!(
            "Worse off: {} would pay more for the shared service than its own budget cost.",
            crate::base::text::and_list(&names)
        ));
    }
}

/// Partners that never join: said, since they have no row.
fn never_note(t: &mut Table, m: &Model) {
    let never: Vec<&str> = m
        .partners
        .iter()
        .filter(|p| m.join_year(p) == Some(None))
        .map(String::as_str)
        .collect();
    if !never.is_empty() {
        t.notes.push(format!(
            "{} does not join: it pays nothing and saves nothing, and the shared service's cost is shared among the others.",
            crate::base::text::and_list(&never)
        ));
    }
}

/// Net saving per annum by partner.
fn chart(t: &Table, case: &str) -> Chart {
    let net = t.columns.len() - 1;
    let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
    Chart {
        name: "net-saving-by-partner".into(),
        title: format!("{case}: net saving per annum by partner"),
        x_label: "Partner".into(),
        y_label: "Net saving per annum".into(),
        plot: Plot::Bars(Bars::simple(
            rows.iter().map(|r| t.row_key(r)).collect(),
            "Net saving per annum",
            rows.iter().map(|r| at(&r.cells[net].value)).collect(),
        )),
    }
}

/// The basis the shared service's running cost is shared by.
fn running_basis(m: &Model) -> &str {
    m.apportionment
        .running_basis
        .as_ref()
        .unwrap_or(&m.apportionment.basis)
        .value
        .name()
}
