//! The annual true-up of a shared service's running cost: each partner was
//! charged its share of the budget on estimated activity; at the year end
//! it owes its share of the out-turn on actual activity. The difference is
//! recharged (or refunded) only beyond the tolerance; what stays within it
//! is carried by the partnership, and the table says how much.

use crate::base::money::{Money, format_pounds};
use crate::base::table::{Cell, Table, Value};
use crate::case::apportion::apportion;
use crate::model::{Fig, Model};
use rust_decimal::Decimal;

fn shares(total: &Fig, by: &[(String, Fig)], m: &Model, key: &str) -> crate::Result<Vec<Decimal>> {
    let w: Vec<(String, Decimal)> = m
        .partners
        .iter()
        .map(|p| {
            let v = by.iter().find(|(q, _)| q == p).map(|(_, f)| f.value);
            (p.clone(), v.unwrap_or_default())
        })
        .collect();
    let unit = crate::case::apportion::unit_for(total.value);
    let parts = apportion(total.value, &w, unit).map_err(|e| m.error(key, e.to_string()))?;
    Ok(parts.iter().map(|p| p.rounded).collect())
}

pub fn table(m: &Model) -> crate::Result<Option<Table>> {
    let Some(u) = &m.true_up else {
        return Ok(None);
    };
    let charged = shares(&u.budget, &u.estimated, m, "true_up.estimated")?;
    let due = shares(&u.outturn, &u.actual, m, "true_up.actual")?;
    let tol = u.tolerance.as_ref().map_or(Decimal::ZERO, |f| f.value);
    let cols = [
        "Partner",
        "Charged",
        "Due on the out-turn",
        "Difference",
        "Tolerance",
        "Recharge (refund)",
    ];
    let mut t = Table::new(
        "true-up",
        format!("{}: true-up of the {} running cost", m.name, u.year),
        &cols,
        1,
    );
    let money = |d: Decimal| Value::money(Money(d));
    let mut sums = [Decimal::ZERO; 5];
    for (i, p) in m.partners.iter().enumerate() {
        let diff = due[i] - charged[i];
        let room = (charged[i] * tol / Decimal::ONE_HUNDRED).abs();
        let recharge = if diff.abs() > room {
            diff
        } else {
            Decimal::ZERO
        };
        for (s, v) in sums
            .iter_mut()
            .zip([charged[i], due[i], diff, room, recharge])
        {
            *s += v;
        }
        t.push(vec![
            Cell::label(p),
            Cell::rule(
                money(charged[i]),
                "the budget shared by estimated activity, largest remainder",
            ),
            Cell::rule(
                money(due[i]),
                "the out-turn shared by actual activity, largest remainder",
            ),
            Cell::rule(money(diff), "due less charged"),
            Cell::rule(money(room), format!("± {}% of the charge", tol.normalize())),
            Cell::rule(
                money(recharge),
                "the difference when beyond the tolerance, else nothing",
            ),
        ]);
    }
    let mut total = vec![Cell::label("Total")];
    total.extend(
        sums.iter()
            .map(|v| Cell::rule(money(*v), "sum of the partners")),
    );
    t.push_total(total);
    let kept = sums[2] - sums[4];
    // In pence when any figure said has them: "£0 recharged" stood beside
    // a recharge column adding to (£0.01).
    let said = [u.outturn.value, u.budget.value, sums[2], sums[4], kept];
    let dp = match said.iter().any(|d| !d.fract().is_zero()) {
        true => 2,
        false => 0,
    };
    let f = |d: Decimal| format_pounds(d, dp, Default::default());
    let recharged = match sums[4].is_sign_negative() && !sums[4].is_zero() {
        true => format!("{} refunded", f(-sums[4])),
        false => format!("{} recharged", f(sums[4])),
    };
    t.headline = format!(
        "The {} out-turn of {} against a budget of {}: {recharged}, {} within tolerance carried by the partnership.",
        u.year,
        f(u.outturn.value),
        f(u.budget.value),
        f(kept)
    );
    t.notes.push(format!(
        "Differences within {}% of a partner's charge are not recharged; the total difference, {}, is the out-turn less the budget.",
        tol.normalize(),
        f(sums[2])
    ));
    t.pence_if_any();
    Ok(Some(t))
}
