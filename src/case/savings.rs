//! The savings table of a business case: per partner, the budget cost, the
//! estimated cost of the shared service (apportioned or given), the staff
//! saving, savings already in the budget, and the net saving per annum.

use crate::base::chart::{Bars, Chart, Plot};
use crate::base::money::Money;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::trace::Trace;
use crate::case::apportion;
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

/// Per-partner savings, or None when the model gives no partner table.
pub fn partner_savings(m: &Model) -> Option<Vec<PartnerSaving>> {
    let s = m.savings.as_ref()?;
    let cost = s.shared_service_cost.as_ref()?;
    let costs: Vec<(Money, Trace)> = match cost {
        SharedCost::PerPartner(v) => m
            .partners
            .iter()
            .map(|p| {
                v.iter()
                    .find(|(q, _)| q == p)
                    .map(|(_, f)| (Money(f.value), Trace::Input(f.origin.clone())))
                    .unwrap_or((Money::ZERO, Trace::rule("not given: nil")))
            })
            .collect(),
        SharedCost::Total(f) => {
            let w = m.weights().ok()?;
            let parts = apportion::apportion(f.value, &w, Decimal::ONE).ok()?;
            parts
                .into_iter()
                .map(|p| {
                    (
                        Money(p.rounded),
                        Trace::rule(format!(
                            "{} apportioned by {} share ({} / {}), largest remainder to whole pounds",
                            Money(f.value),
                            m.apportionment.basis.value.name(),
                            p.weight.normalize(),
                            w.iter().map(|x| x.1).sum::<Decimal>().normalize()
                        )),
                    )
                })
                .collect()
        }
    };
    Some(
        m.partners
            .iter()
            .zip(costs)
            .map(|(p, (cost, cost_trace))| {
                let b = s.baseline.iter().find(|(q, _)| q == p);
                let a = s.already_budgeted.iter().find(|(q, _)| q == p);
                PartnerSaving {
                    partner: p.clone(),
                    baseline: b.map(|(_, f)| Money(f.value)).unwrap_or(Money::ZERO),
                    baseline_trace: b
                        .map(|(_, f)| Trace::Input(f.origin.clone()))
                        .unwrap_or(Trace::Label),
                    cost,
                    cost_trace,
                    already_budgeted: a.map(|(_, f)| Money(f.value)).filter(|v| !v.is_zero()),
                    already_trace: a
                        .map(|(_, f)| Trace::Input(f.origin.clone()))
                        .unwrap_or(Trace::Label),
                }
            })
            .collect(),
    )
}

/// Net saving per annum of the whole case: given, or the partners' sum.
pub fn net_per_annum(m: &Model) -> Option<Money> {
    let s = m.savings.as_ref()?;
    if let Some(n) = &s.net_saving_per_annum {
        return Some(Money(n.value));
    }
    partner_savings(m).map(|v| v.iter().map(PartnerSaving::net).sum())
}

pub fn table(m: &Model) -> Option<Table> {
    let rows = partner_savings(m)?;
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
    if let Some(SharedCost::Total(_)) = m
        .savings
        .as_ref()
        .and_then(|s| s.shared_service_cost.as_ref())
    {
        t.notes.push(format!(
            "The shared service cost is apportioned by {} share, rounded to whole pounds by largest remainder so the parts add up to the total.",
            m.apportionment.basis.value.name()
        ));
    }
    t.charts.push(chart(&t, &m.name));
    Some(t)
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
