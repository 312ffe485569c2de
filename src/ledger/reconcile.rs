//! Budget against out-turn, and savings targets against savings delivered,
//! from ledger totals: exact to the penny, every ledger pound in some row
//! (unmapped cost centres in rows of their own), every budget line shown.

use crate::base::money::Money;
use crate::base::table::{Cell, Table, Value};
use crate::base::trace::Origin;
use crate::ledger::LedgerTotals;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub authority: String,
    pub service: String,
    pub budget: Decimal,
    pub origin: Origin,
    /// The account group, when budgets are given by group (employees,
    /// premises…): the service's budget is then the sum of its groups'.
    pub group: Option<String>,
}

/// One budget per authority and service: lines given by account group
/// summed (their origin names every part), others as they are; in the
/// order first met.
pub fn service_budgets(lines: &[BudgetLine]) -> Vec<BudgetLine> {
    let mut out: Vec<BudgetLine> = Vec::new();
    let mut parts: Vec<Vec<Origin>> = Vec::new();
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    for l in lines {
        let key = (l.authority.as_str(), l.service.as_str());
        match at.get(&key).copied() {
            Some(i) => {
                out[i].budget += l.budget;
                parts[i].push(l.origin.clone());
            }
            None => {
                at.insert(key, out.len());
                out.push(BudgetLine {
                    group: None,
                    ..l.clone()
                });
                parts.push(vec![l.origin.clone()]);
            }
        }
    }
    for (o, p) in out.iter_mut().zip(parts) {
        if p.len() > 1 {
            o.origin = Origin::Sum { parts: p };
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    pub authority: String,
    pub service: String,
    pub baseline: Decimal,
    pub target: Decimal,
    pub origin: Origin,
    /// The financial year the target was set for (its first calendar
    /// year: 2030 for 2030/31), when the file has a year column.
    pub year: Option<i32>,
    /// Savings already delivered towards it in earlier years (column
    /// `delivered before`), so what is still to deliver is brought forward.
    pub delivered_before: Decimal,
}

/// RAG thresholds: |variance| up to `amber_pct` of budget is green, up to
/// `red_pct` amber, beyond that red.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub amber_pct: Decimal,
    pub red_pct: Decimal,
    /// Thresholds for underspends (a favourable variance), when they differ.
    pub under: Option<(Decimal, Decimal)>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            amber_pct: Decimal::from(2),
            red_pct: Decimal::from(5),
            under: None,
        }
    }
}

/// The service a cost centre's out-turn belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Line {
    Service(String),
    Unmapped(String),
    /// Ledger lines with a blank cost centre: counted, in a row of their own.
    Unassigned,
}

/// The authority of ledger lines whose authority field is blank.
pub const BLANK_AUTHORITY: &str = "Unassigned (blank authority)";

impl Line {
    pub fn label(&self) -> String {
        match self {
            Line::Service(s) => s.clone(),
            Line::Unmapped(cc) => format!("Unmapped cost centre {cc}"),
            Line::Unassigned => "Unassigned (blank cost centre)".to_string(),
        }
    }
}

/// Out-turn by authority and line (service, unmapped cost centre or blank).
pub type Outturn = BTreeMap<(String, Line), Decimal>;

/// The row a cost centre's lines belong to.
pub(crate) fn line_of(map: Option<&HashMap<String, String>>, cc: &str) -> Line {
    match map {
        _ if cc.is_empty() => Line::Unassigned,
        None => Line::Service(cc.to_string()),
        Some(m) => match m.get(cc) {
            Some(s) => Line::Service(s.clone()),
            None => Line::Unmapped(cc.to_string()),
        },
    }
}

/// An authority as rows name it: blank is "Unassigned (blank authority)".
pub(crate) fn authority_name(a: &str) -> String {
    if a.is_empty() {
        BLANK_AUTHORITY.to_string()
    } else {
        a.to_string()
    }
}

/// Out-turn in pounds, exactly (fractions of a penny included), by
/// authority and service (or unmapped cost centre, or blank).
pub fn outturn(totals: &LedgerTotals, map: Option<&HashMap<String, String>>) -> Outturn {
    let mut out = BTreeMap::new();
    for ((a, cc), p) in &totals.totals {
        let exact = Decimal::from_i128_with_scale(*p, 2)
            + totals
                .sub_penny
                .get(&(a.clone(), cc.clone()))
                .copied()
                .unwrap_or_default();
        *out.entry((authority_name(a), line_of(map, cc)))
            .or_insert(Decimal::ZERO) += exact;
    }
    out
}

pub(crate) fn money(d: Decimal) -> Value {
    Value::money_dp(Money(d), 2)
}

/// RAG of a variance %: positive is adverse (overspent, or income short),
/// negative favourable, each with its own thresholds.
pub fn rag(variance_pct: Decimal, th: &Thresholds) -> &'static str {
    let (amber, red) = match th.under {
        Some(u) if variance_pct.is_sign_negative() => u,
        _ => (th.amber_pct, th.red_pct),
    };
    let v = variance_pct.abs();
    if v <= amber {
        "Green"
    } else if v <= red {
        "Amber"
    } else {
        "Red"
    }
}

/// Variance as a % of the budget's size: positive is adverse whether the
/// line is spending or income (out-turn less budget, over |budget|).
pub(crate) fn variance_pct(var: Decimal, budget: Decimal) -> Option<Decimal> {
    (!budget.is_zero()).then(|| var * Decimal::ONE_HUNDRED / budget.abs())
}

/// Authorities in the order the budget gives them, then any only in the ledger.
pub(crate) fn authorities<'a>(
    budgets: impl Iterator<Item = &'a str>,
    others: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for a in budgets.chain(others) {
        if !v.iter().any(|x| x == a) {
            v.push(a.to_string());
        }
    }
    v
}

pub fn budget_table(
    totals: &LedgerTotals,
    map: Option<&HashMap<String, String>>,
    budgets: &[BudgetLine],
    th: &Thresholds,
) -> Table {
    let out = outturn(totals, map);
    let cols = [
        "Authority",
        "Service",
        "Budget",
        "Out-turn",
        "Variance",
        "Variance %",
        "RAG",
    ];
    let mut t = Table::new("reconcile", "Budget against out-turn", &cols, 2);
    let mut used: std::collections::HashSet<(String, Line)> = Default::default();
    let (mut gb, mut go) = (Decimal::ZERO, Decimal::ZERO);
    let ledger_authorities = out.keys().map(|(a, _)| a.as_str());
    for a in authorities(
        budgets.iter().map(|b| b.authority.as_str()),
        ledger_authorities,
    ) {
        let (mut ab, mut ao) = (Decimal::ZERO, Decimal::ZERO);
        for b in budgets.iter().filter(|b| b.authority == a) {
            let key = (a.clone(), Line::Service(b.service.clone()));
            let p = out.get(&key).copied();
            ab += b.budget;
            ao += p.unwrap_or_default();
            t.push(budget_row(b, p, th));
            used.insert(key);
        }
        // Out-turn with no budget line: mapped services first, then unmapped.
        for ((_, line), &p) in out
            .iter()
            .filter(|((oa, l), _)| *oa == a && !used.contains(&(oa.clone(), l.clone())))
        {
            ao += p;
            t.push(unbudgeted_row(&a, line, p));
        }
        let rules = (
            "sum of the authority's budget lines",
            "sum of the authority's ledger lines",
        );
        t.push_total(total_row(&a, "Total", ab, ao, rules));
        gb += ab;
        go += ao;
    }
    let rules = ("sum of all budget lines", "sum of every good ledger line");
    t.push_total(total_row("Total", "", gb, go, rules));
    t.headline = budget_headline(&out, gb, go);
    push_penny_note(&mut t, totals);
    t.notes.extend(totals.alike.iter().cloned());
    t.notes.push(format!(
        "{} ledger lines reconciled; {} lines set aside. Variance = out-turn less budget; RAG on |variance %|: green ≤ {}%, amber ≤ {}%, red beyond.",
        totals.rows, totals.bad, th.amber_pct, th.red_pct
    ));
    t
}

/// A budget line beside its out-turn (`p`), its variance and RAG.
fn budget_row(b: &BudgetLine, p: Option<Decimal>, th: &Thresholds) -> Vec<Cell> {
    let mut row = vec![
        Cell::label(&b.authority),
        Cell::label(&b.service),
        Cell::input(money(b.budget), b.origin.clone()),
    ];
    let Some(p) = p else {
        // Nothing spent: the whole budget is the variance, so the column adds up.
        row.push(Cell::rule(
            Value::na("no out-turn"),
            "no ledger line for this service",
        ));
        row.extend([
            Cell::rule(money(-b.budget), "no out-turn: the budget unspent"),
            Cell::empty(),
            Cell::rule(Value::text("no out-turn"), "no ledger line"),
        ]);
        return row;
    };
    let var = p - b.budget;
    let pct = variance_pct(var, b.budget);
    row.push(Cell::rule(
        money(p),
        "sum of ledger lines of the service's cost centres",
    ));
    row.push(Cell::rule(
        money(var),
        "out-turn less budget (positive: adverse, overspent or income short)",
    ));
    row.push(match pct {
        Some(p) => Cell::rule(
            Value::pct(p, 1),
            "variance / |budget| × 100 (positive: adverse)",
        ),
        None => Cell::rule(Value::na("n/a"), "no budget to compare with"),
    });
    row.push(Cell::rule(
        Value::text(pct.map(|p| rag(p, th)).unwrap_or("n/a")),
        format!(
            "green within {}%, amber within {}%, red beyond",
            th.amber_pct, th.red_pct
        ),
    ));
    row
}

/// Out-turn with no budget line: a service, unmapped or unassigned.
fn unbudgeted_row(a: &str, line: &Line, p: Decimal) -> Vec<Cell> {
    let (rule, rag) = match line {
        Line::Unmapped(_) => ("ledger lines whose cost centre has no mapping", "unmapped"),
        Line::Unassigned => ("ledger lines with a blank cost centre", "unassigned"),
        Line::Service(_) => (
            "sum of ledger lines of the service's cost centres",
            "no budget",
        ),
    };
    vec![
        Cell::label(a),
        Cell::label(line.label()),
        Cell::rule(Value::na("no budget"), "no budget line for this service"),
        Cell::rule(money(p), rule),
        Cell::rule(money(p), "no budget: the whole out-turn is the variance"),
        Cell::empty(),
        Cell::rule(Value::text(rag), "no budget to compare with"),
    ]
}

/// A total: budget, out-turn, variance and variance %, each with its rule.
fn total_row(
    label: &str,
    sub: &str,
    budget: Decimal,
    outturn: Decimal,
    (budget_rule, outturn_rule): (&str, &str),
) -> Vec<Cell> {
    let var = outturn - budget;
    vec![
        Cell::label(label),
        Cell::label(sub),
        Cell::rule(money(budget), budget_rule),
        Cell::rule(money(outturn), outturn_rule),
        Cell::rule(money(var), "out-turn less budget"),
        match variance_pct(var, budget) {
            Some(p) => Cell::rule(Value::pct(p, 1), "variance / |budget| × 100"),
            None => Cell::empty(),
        },
        Cell::empty(),
    ]
}

fn budget_headline(out: &Outturn, gb: Decimal, go: Decimal) -> String {
    let var = go - gb;
    let unmapped: Decimal = out
        .iter()
        .filter(|((_, l), _)| matches!(l, Line::Unmapped(_) | Line::Unassigned))
        .map(|(_, p)| *p)
        .sum();
    let pounds = |d: Decimal| crate::base::money::format_pounds(d, 2, Default::default());
    format!(
        "Out-turn {} against budgets of {}: {} {}; {} of out-turn is on unmapped or blank cost centres.",
        pounds(go),
        pounds(gb),
        pounds(var.abs()),
        if var.is_sign_negative() {
            "under"
        } else {
            "over"
        },
        pounds(unmapped),
    )
}

/// Says how much of the out-turn is in fractions of a penny, which the
/// table shows rounded to the penny.
fn push_penny_note(t: &mut Table, totals: &LedgerTotals) {
    if totals.total_sub_penny.is_zero() {
        return;
    }
    let exact = totals.total();
    let shown = crate::base::money::round_dp(exact, 2);
    t.notes.push(format!(
        "Out-turn includes {} in fractions of a penny, kept exactly; figures are shown rounded to the penny (total {} exactly, shown as {}: rounding difference {}).",
        totals.total_sub_penny.normalize(),
        exact.normalize(),
        crate::base::money::format_pounds(shown, 2, Default::default()),
        (shown - exact).normalize()
    ));
}

/// Savings targets against savings delivered (baseline less out-turn).
pub fn savings_table(
    totals: &LedgerTotals,
    map: Option<&HashMap<String, String>>,
    targets: &[TargetLine],
) -> Table {
    let out = outturn(totals, map);
    let cols = [
        "Authority",
        "Service",
        "Baseline",
        "Out-turn",
        "Savings target",
        "Savings delivered",
        "Difference",
        "RAG",
    ];
    let mut t = Table::new(
        "savings-delivered",
        "Savings targets against savings delivered",
        &cols,
        2,
    );
    let (mut tt, mut td) = (Decimal::ZERO, Decimal::ZERO);
    for g in targets {
        let key = (g.authority.clone(), Line::Service(g.service.clone()));
        let mut row = vec![
            Cell::label(&g.authority),
            Cell::label(&g.service),
            Cell::input(money(g.baseline), g.origin.clone()),
        ];
        match out.get(&key) {
            Some(&p) => {
                let delivered = g.baseline - p;
                let diff = delivered - g.target;
                tt += g.target;
                td += delivered;
                let rag = if diff >= Decimal::ZERO {
                    "Green"
                } else if delivered * Decimal::from(4) >= g.target * Decimal::from(3) {
                    "Amber"
                } else {
                    "Red"
                };
                row.extend([
                    Cell::rule(money(p), "sum of the service's ledger lines"),
                    Cell::input(money(g.target), g.origin.clone()),
                    Cell::rule(money(delivered), "baseline less out-turn"),
                    Cell::rule(money(diff), "delivered less target"),
                    Cell::rule(
                        Value::text(rag),
                        "green: target met; amber: at least 75% of it; red: less",
                    ),
                ]);
            }
            None => {
                tt += g.target;
                row.extend([
                    Cell::rule(Value::na("no out-turn"), "no ledger line for this service"),
                    Cell::input(money(g.target), g.origin.clone()),
                    Cell::empty(),
                    Cell::empty(),
                    Cell::rule(Value::text("no out-turn"), "no ledger line"),
                ]);
            }
        }
        t.push(row);
    }
    t.push_total(vec![
        Cell::label("Total"),
        Cell::label(""),
        Cell::empty(),
        Cell::empty(),
        Cell::rule(money(tt), "sum of targets"),
        Cell::rule(money(td), "sum of savings delivered"),
        Cell::rule(money(td - tt), "delivered less target"),
        Cell::empty(),
    ]);
    push_penny_note(&mut t, totals);
    t.headline = format!(
        "Savings delivered {} against targets of {}.",
        crate::base::money::format_pounds(td, 2, Default::default()),
        crate::base::money::format_pounds(tt, 2, Default::default())
    );
    t
}
