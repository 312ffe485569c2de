#![no_main]
//! Any bytes as a ledger, with budgets and targets made from its own keys:
//! the reconciliation's totals must equal the ledger's exact sum, and no
//! amount, however large or fine, may overflow or be lost.
use costshare::base::trace::Origin;
use costshare::ledger::reconcile::{self, BudgetLine, TargetLine, Thresholds};
use costshare::ledger::{self, Columns};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let mut r = data;
    let Ok(t) = ledger::read_csv_from(
        &mut r,
        data.len() as u64,
        "fuzz.csv",
        &Columns::default(),
        1 << 20,
        &mut |_, _| {},
        &mut |_| Ok(()),
    ) else {
        return;
    };
    let origin = Origin::Csv {
        file: "b.csv".into(),
        line: 2,
        col: 2,
    };
    let mut keys: Vec<&(String, String)> = t.totals.keys().collect();
    keys.sort();
    let budgets: Vec<BudgetLine> = keys
        .iter()
        .enumerate()
        .map(|(i, (a, c))| BudgetLine {
            authority: a.clone(),
            service: c.clone(),
            budget: Decimal::new(i as i64 * 12345, 2),
            origin: origin.clone(),
            group: None,
        })
        .collect();
    let table = reconcile::budget_table(&t, None, &budgets, &Thresholds::default());
    // The grand total of out-turn is every line added, exactly.
    let total = table
        .rows
        .last()
        .and_then(|r| r.cells.get(3))
        .and_then(|c| c.value.figure());
    assert_eq!(total, Some(t.total()));
    let targets: Vec<TargetLine> = budgets
        .iter()
        .map(|b| TargetLine {
            authority: b.authority.clone(),
            service: b.service.clone(),
            baseline: b.budget,
            target: b.budget / Decimal::TEN,
            origin: origin.clone(),
            year: None,
            delivered_before: Decimal::ZERO,
        })
        .collect();
    let _ = reconcile::savings_table(&t, None, &targets);
});
