//! The subjective analysis: actual to date by account group (and account)
//! under each service, against budgets by account group when they are
//! given.

use super::Monitor;
use super::tables::{period_title_of, pounds};
use crate::base::table::{Cell, Table, Value};
use crate::base::trace::Origin;
use crate::ledger::LedgerTotals;
use crate::ledger::reconcile::{Line, authority_name, line_of, money};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// How far down the subjective analysis goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Account groups under each service.
    Group,
    /// Accounts under each group.
    Account,
}

/// The row label of a service budgeted as a whole when others are
/// budgeted by group.
const WHOLE: &str = "(budget not by account group)";

fn group_of(accounts: Option<&HashMap<String, String>>, acc: &str) -> String {
    match accounts {
        _ if acc.is_empty() => "Unassigned (blank account)".into(),
        None => acc.to_string(),
        Some(g) => g
            .get(acc)
            .cloned()
            .unwrap_or_else(|| format!("Unmapped account {acc}")),
    }
}

/// (authority, service line, group, account).
type Key = (String, Line, String, String);

/// A row's figures: its budget (annual, to date, where read) and actual.
#[derive(Default)]
struct Fig {
    budget: Option<(Decimal, Decimal, Origin)>,
    actual: Decimal,
}

/// Actual to date by key, for the period reached (and one authority).
fn actuals(
    totals: &LedgerTotals,
    m: &Monitor,
    accounts: Option<&HashMap<String, String>>,
    detail: Detail,
    authority: Option<&str>,
) -> BTreeMap<Key, Fig> {
    let mut by: BTreeMap<Key, Fig> = BTreeMap::new();
    for ((a, cc, acc, month), sum) in &totals.detail {
        let a = authority_name(a);
        if m.year.period(*month).is_none_or(|p| p > m.period) || authority.is_some_and(|x| x != a) {
            continue;
        }
        let account = if detail == Detail::Account {
            acc.clone()
        } else {
            String::new()
        };
        let key = (a, line_of(m.map, cc), group_of(accounts, acc), account);
        by.entry(key).or_default().actual += sum.pounds();
    }
    by
}

/// Adds the budgets by account group (and, for services budgeted whole,
/// one row for the whole budget), each spread by the service's profile.
fn add_budgets(
    by: &mut BTreeMap<Key, Fig>,
    m: &Monitor,
    authority: Option<&str>,
) -> crate::Result<()> {
    let p = m.period as usize;
    let grouped: Vec<_> = m
        .group_budgets
        .iter()
        .filter(|g| g.group.is_some())
        .collect();
    let whole = m.budgets.iter().filter(|b| {
        !grouped
            .iter()
            .any(|g| g.authority == b.authority && g.service == b.service)
    });
    let lines = grouped
        .iter()
        .copied()
        .map(|g| (g, g.group.clone().unwrap_or_default()));
    let lines = lines.chain(whole.map(|b| (b, WHOLE.to_string())));
    for (b, group) in lines {
        if authority.is_some_and(|a| a != b.authority) {
            continue;
        }
        let own = b.group.as_deref().unwrap_or_default();
        let profile = m
            .profiles
            .and_then(|x| x.of_group(&b.authority, &b.service, own));
        let to_date: Decimal = super::spread(b.budget, profile, &b.origin)?[..p]
            .iter()
            .sum();
        let key = (
            b.authority.clone(),
            Line::Service(b.service.clone()),
            group,
            String::new(),
        );
        by.entry(key).or_default().budget = Some((b.budget, to_date, b.origin.clone()));
    }
    Ok(())
}

/// Actual to date by account group (and account) under each service; with
/// budgets by account group (and `Detail::Group`), the annual budget, the
/// budget to date and the variance to date too.
pub fn subjective_table(
    totals: &LedgerTotals,
    m: &Monitor,
    accounts: Option<&HashMap<String, String>>,
    detail: Detail,
    authority: Option<&str>,
) -> crate::Result<Table> {
    let mut by = actuals(totals, m, accounts, detail, authority);
    let budgets = detail == Detail::Group && m.group_budgets.iter().any(|g| g.group.is_some());
    if budgets {
        add_budgets(&mut by, m, authority)?;
    }
    let mut cols = vec!["Authority", "Service", "Account group"];
    if detail == Detail::Account {
        cols.push("Account");
    }
    let key_cols = cols.len();
    if budgets {
        cols.extend(["Annual budget", "Budget to date"]);
    }
    cols.push("Actual to date");
    if budgets {
        cols.push("Variance to date");
    }
    let what = if budgets {
        "budget and actual"
    } else {
        "actual"
    };
    let mut t = Table::new(
        "subjective",
        format!(
            "Subjective analysis: {what} to {} by account group",
            period_title_of(m)
        ),
        &cols,
        key_cols,
    );
    let rows = body(&by, m, detail, budgets);
    let sums = push_with_subtotals(&mut t, &rows, key_cols);
    let mut total = vec![Cell::label("Total")];
    total.resize(key_cols, Cell::label(""));
    total.extend(
        sums.iter()
            .map(|v| Cell::rule(money(*v), "sum of every account group")),
    );
    t.push_total(total);
    let actual = sums[if budgets { 2 } else { 0 }];
    t.headline = if budgets {
        format!(
            "Actual to date {} against a budget to date of {} by account group.",
            pounds(actual),
            pounds(sums[1])
        )
    } else {
        format!("Actual to date {} by account group.", pounds(actual))
    };
    if detail == Detail::Account && m.group_budgets.iter().any(|g| g.group.is_some()) {
        t.notes.push("Budgets are given by account group, not by account: leave out --detail account to see them.".into());
    }
    Ok(t)
}

/// The data rows: the key cells, then the money cells.
fn body(
    by: &BTreeMap<Key, Fig>,
    m: &Monitor,
    detail: Detail,
    budgets: bool,
) -> Vec<(Key, Vec<Cell>)> {
    let p = m.period;
    by.iter()
        .map(|(k, f)| {
            let mut row = vec![
                Cell::label(&k.0),
                Cell::label(k.1.label()),
                Cell::label(&k.2),
            ];
            if detail == Detail::Account {
                row.push(Cell::label(&k.3));
            }
            let actual = Cell::rule(
                money(f.actual),
                format!("ledger lines dated in periods 1–{p}"),
            );
            if !budgets {
                row.push(actual);
                return (k.clone(), row);
            }
            let (annual, to_date) = match &f.budget {
                Some((a, td, o)) => (
                    Cell::input(money(*a), o.clone()),
                    Cell::rule(
                        money(*td),
                        format!("the budget spread by its profile, periods 1–{p}"),
                    ),
                ),
                None => (
                    Cell::rule(Value::na("no budget"), "no budget for this account group"),
                    Cell::rule(money(Decimal::ZERO), "no budget for this account group"),
                ),
            };
            let td = f.budget.as_ref().map(|b| b.1).unwrap_or_default();
            row.extend([annual, to_date, actual]);
            row.push(Cell::rule(
                money(f.actual - td),
                "actual to date less budget to date",
            ));
            (k.clone(), row)
        })
        .collect()
}

/// Pushes the rows with a subtotal after each service; returns the grand
/// sums of the money columns.
fn push_with_subtotals(t: &mut Table, rows: &[(Key, Vec<Cell>)], key_cols: usize) -> Vec<Decimal> {
    let width = rows.first().map(|r| r.1.len()).unwrap_or(key_cols + 1);
    let mut grand = vec![Decimal::ZERO; width - key_cols];
    let mut sub = grand.clone();
    let close = |t: &mut Table, k: &Key, sub: &[Decimal]| {
        let mut row = vec![
            Cell::label(&k.0),
            Cell::label(format!("{} total", k.1.label())),
        ];
        row.resize(key_cols, Cell::label(""));
        row.extend(
            sub.iter()
                .map(|v| Cell::rule(money(*v), "sum of the service's account groups")),
        );
        t.push_total(row);
    };
    for (i, (k, cells)) in rows.iter().enumerate() {
        for (j, c) in cells[key_cols..].iter().enumerate() {
            let v = match c.value {
                Value::Money { .. } => c.value.figure().unwrap_or_default(),
                _ => Decimal::ZERO,
            };
            sub[j] += v;
            grand[j] += v;
        }
        t.push(cells.clone());
        let next = rows.get(i + 1).map(|n| (&n.0.0, &n.0.1));
        if next != Some((&k.0, &k.1)) {
            close(t, k, &sub);
            sub.iter_mut().for_each(|v| *v = Decimal::ZERO);
        }
    }
    grand
}
