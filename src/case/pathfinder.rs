//! The 2007 pathfinder programme's draft budget: allocation, estimated
//! project costs and savings by work stream; the programme management budget
//! with posts costed from base salaries plus on-costs; running-cost spend.

use crate::base::chart::{Chart, HBars, Plot};
use crate::base::money::{Amount, Money};
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::model::{MgmtCost, Model, Pathfinder};
use rust_decimal::Decimal;

/// A post's cost for its months, and its on-costs.
pub fn post_cost(annual: Decimal, months: Decimal, on_cost_pct: Decimal) -> (Money, Money) {
    let base = Money(annual * months / Decimal::from(12));
    (base, base.times(on_cost_pct / Decimal::ONE_HUNDRED))
}

pub fn management_total(m: &Model) -> Option<Money> {
    let p = m.pathfinder.as_ref()?;
    Some(
        p.management
            .iter()
            .map(|i| match &i.cost {
                MgmtCost::Amount(f) => Money(f.value),
                MgmtCost::Post {
                    annual_salary,
                    months,
                } => {
                    let (b, o) = post_cost(annual_salary.value, months.value, p.on_cost_pct.value);
                    b + o
                }
            })
            .sum(),
    )
}

pub fn table(m: &Model) -> Option<Table> {
    let p = m.pathfinder.as_ref()?;
    let cols = [
        "Section",
        "Item",
        "Allocation",
        "Base cost",
        "On-costs",
        "Estimated cost",
        "Estimated savings",
    ];
    let mut t = Table::new(
        "pathfinder-budget",
        format!("{}: draft budget", m.name),
        &cols,
        2,
    );
    let (cost_ex_pm, tbc) = stream_rows(&mut t, p);
    let mt = management_rows(&mut t, p, m);
    let spend = running_rows(&mut t, p);
    t.headline = format!(
        "Estimated project costs are {} excluding programme management, whose budget is {} with on-costs at {}%; {} has been spent against running costs.",
        cost_ex_pm,
        mt,
        p.on_cost_pct.value.normalize(),
        spend
    );
    if tbc > 0 {
        t.notes.push(format!(
            "{tbc} work streams' savings are still to be confirmed (tbc): not counted as zero."
        ));
    }
    t.charts.push(chart(&t, 5));
    Some(t)
}

/// The work streams and their totals; returns the estimated cost excluding
/// programme management and how many streams' savings are to be confirmed.
fn stream_rows(t: &mut Table, p: &Pathfinder) -> (Money, usize) {
    let e = Cell::empty;
    let money = |d: Decimal| Value::money(Money(d));
    let sec = "Work streams";
    let (mut alloc, mut cost, mut cost_ex_pm, mut sav) =
        (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO);
    let mut tbc = 0;
    for s in &p.streams {
        let mut row = vec![Cell::label(sec), Cell::label(&s.stream)];
        row.push(match &s.allocation {
            Some(f) => {
                alloc += Money(f.value);
                Cell::input(money(f.value), f.origin.clone())
            }
            None => e(),
        });
        row.push(e());
        row.push(e());
        row.push(match &s.estimated_cost {
            Some(f) => {
                cost += Money(f.value);
                if !s.programme_management {
                    cost_ex_pm += Money(f.value);
                }
                Cell::input(money(f.value), f.origin.clone())
            }
            None => e(),
        });
        row.push(match &s.estimated_savings {
            Some(a) => match &a.value {
                Amount::Value(d) => {
                    sav += Money(*d);
                    Cell::input(money(*d), a.origin.clone())
                }
                Amount::ToBeConfirmed => {
                    tbc += 1;
                    Cell::input(Value::na("tbc"), a.origin.clone())
                }
                Amount::NotApplicable(l) => Cell::input(Value::na(l.clone()), a.origin.clone()),
                Amount::Blank => e(),
            },
            None => Cell::rule(Value::na("-"), "no savings identified"),
        });
        t.push(row);
    }
    t.push_total(vec![
        Cell::label(sec),
        Cell::label("Total excluding programme management"),
        e(),
        e(),
        e(),
        Cell::rule(
            Value::money(cost_ex_pm),
            "sum of work streams other than programme management",
        ),
        e(),
    ]);
    t.push_total(vec![
        Cell::label(sec),
        Cell::label("Total"),
        Cell::rule(Value::money(alloc), "sum of allocations"),
        e(),
        e(),
        Cell::rule(Value::money(cost), "sum of estimated costs"),
        Cell::rule(
            Value::money(sav),
            "sum of identified savings (tbc not counted)",
        ),
    ]);
    (cost_ex_pm, tbc)
}

/// The programme management budget, posts costed with on-costs; returns its total.
fn management_rows(t: &mut Table, p: &Pathfinder, m: &Model) -> Money {
    let e = Cell::empty;
    let money = |d: Decimal| Value::money(Money(d));
    let sec = "Programme management budget";
    let (mut tb, mut to) = (Money::ZERO, Money::ZERO);
    for i in &p.management {
        let mut row = vec![Cell::label(sec), Cell::label(&i.item), e()];
        match &i.cost {
            MgmtCost::Amount(f) => {
                tb += Money(f.value);
                // Its base cost is all of it (no on-costs), shown so that the
                // base-cost column adds up to its total.
                row.extend([
                    Cell::rule(money(f.value), "no on-costs: the whole cost"),
                    e(),
                    Cell::input(money(f.value), f.origin.clone()),
                    e(),
                ]);
            }
            MgmtCost::Post {
                annual_salary,
                months,
            } => {
                let (b, o) = post_cost(annual_salary.value, months.value, p.on_cost_pct.value);
                tb += b;
                to += o;
                row.extend([
                    Cell::rule(
                        Value::money_dp(b, if b.dec().fract().is_zero() { 0 } else { 2 }),
                        format!(
                            "annual salary {} × {} / 12 months",
                            Money(annual_salary.value),
                            months.value.normalize()
                        ),
                    ),
                    Cell::rule(
                        Value::money_dp(o, 2),
                        format!("base × {}% on-costs", p.on_cost_pct.value.normalize()),
                    ),
                    Cell::rule(Value::money(b + o), "base plus on-costs"),
                    e(),
                ]);
            }
        }
        t.push(row);
    }
    let mt = management_total(m).unwrap_or(Money::ZERO);
    t.push_total(vec![
        Cell::label(sec),
        Cell::label("Total"),
        e(),
        Cell::rule(Value::money_dp(tb, 2), "sum of base costs"),
        Cell::rule(Value::money_dp(to, 2), "sum of on-costs"),
        Cell::rule(Value::money(mt), "sum of programme management items"),
        e(),
    ]);
    mt
}

/// Spend against running costs and what remains of their budget; returns the spend.
fn running_rows(t: &mut Table, p: &Pathfinder) -> Money {
    let e = Cell::empty;
    let sec = "Spend against running costs";
    let mut spend = Money::ZERO;
    for (item, f) in &p.running_costs {
        spend += Money(f.value);
        t.push(vec![
            Cell::label(sec),
            Cell::label(item),
            e(),
            e(),
            e(),
            Cell::input(Value::money_dp(Money(f.value), 2), f.origin.clone()),
            e(),
        ]);
    }
    t.push_total(vec![
        Cell::label(sec),
        Cell::label("Total"),
        e(),
        e(),
        e(),
        Cell::rule(Value::money_dp(spend, 2), "sum of spend"),
        e(),
    ]);
    if let Some(item) = &p.running_cost_budget_item {
        let budget = p
            .management
            .iter()
            .find(|i| &i.item == item)
            .and_then(|i| match &i.cost {
                MgmtCost::Amount(f) => Some(Money(f.value)),
                _ => None,
            });
        if let Some(b) = budget {
            t.push(vec![
                Cell::label(sec),
                Cell::label("Remaining running-cost budget"),
                e(),
                e(),
                e(),
                Cell::rule(
                    Value::money_dp(b - spend, 2),
                    format!("{item} budget less spend"),
                ),
                e(),
            ]);
        }
    }
    spend
}

/// Estimated cost by work stream.
fn chart(t: &Table, cost_col: usize) -> Chart {
    let streams: Vec<(String, f64)> = t
        .rows
        .iter()
        .filter(|r| !r.total)
        .filter_map(|r| {
            let key = t.row_key(r);
            let name = key.strip_prefix("Work streams / ")?.to_string();
            Some((name, at(&r.cells[cost_col].value)))
        })
        .collect();
    Chart {
        name: "pathfinder-costs".into(),
        title: "Pathfinder programme: estimated cost by work stream".into(),
        x_label: "Estimated cost".into(),
        y_label: "Work stream".into(),
        plot: Plot::HBars(HBars {
            group: vec![0; streams.len()],
            labels: streams.iter().map(|s| s.0.clone()).collect(),
            values: streams.iter().map(|s| s.1).collect(),
            group_names: vec!["Estimated cost".into()],
        }),
    }
}
