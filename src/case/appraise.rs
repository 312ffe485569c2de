//! The appraisal arithmetic of a business case (see `score` for the
//! definition): discounting, NPV, the discounted benefit-cost ratio, payback
//! and ROI, over inputs flattened for fast re-evaluation.

// Products and sums of money and discount factors, the simulation's inner
// loop: rust_decimal's very figures, worked faster.
use crate::base::fastdec::{add, mul, sub};
use crate::base::money;
use crate::base::year::Year;
use rust_decimal::Decimal;
use serde::Serialize;

/// Everything the score depends on, flattened for fast re-evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInputs {
    pub first_year: Year,
    /// Costs per window year (central support included).
    pub costs: Vec<Decimal>,
    /// (net saving per annum, window index from which it counts, window
    /// index from which it no longer does: a leaver's year, else MAX).
    pub savers: Vec<(Decimal, usize, usize)>,
    /// Realisation share per window year.
    pub realisation: Vec<Decimal>,
    pub rate_pct: Decimal,
}

impl ScoreInputs {
    /// Savings in window year `t`: each partner's net saving from the year
    /// it joins, times the year's realisation share.
    pub fn savings_in(&self, t: usize) -> Decimal {
        let per_annum: Decimal = self
            .savers
            .iter()
            .filter(|(_, from, until)| *from <= t && t < *until)
            .map(|(n, _, _)| *n)
            .sum();
        mul(
            per_annum,
            self.realisation.get(t).copied().unwrap_or(Decimal::ONE),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearScore {
    pub year: Year,
    pub costs: Decimal,
    pub savings: Decimal,
    pub net: Decimal,
    pub cumulative: Decimal,
    pub discount_factor: Decimal,
    pub pv_costs: Decimal,
    pub pv_savings: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreResult {
    pub years: Vec<YearScore>,
    pub costs: Decimal,
    pub savings: Decimal,
    pub net_benefit: Decimal,
    pub pv_costs: Decimal,
    pub pv_savings: Decimal,
    pub npv: Decimal,
    /// PV savings / PV costs: the investment score. None when nothing is spent.
    pub score: Option<Decimal>,
    pub payback: Option<Year>,
    pub roi_pct: Option<Decimal>,
}

/// 1 / (1 + r)^t for t = 0..n, exact to Decimal's 28 digits.
pub fn discount_factors(rate_pct: Decimal, n: usize) -> Vec<Decimal> {
    let base = Decimal::ONE + rate_pct / Decimal::ONE_HUNDRED;
    let mut pow = Decimal::ONE;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(Decimal::ONE / pow);
        pow *= base;
    }
    out
}

pub fn evaluate(i: &ScoreInputs) -> ScoreResult {
    let dfs = discount_factors(i.rate_pct, i.costs.len());
    let mut years = Vec::with_capacity(i.costs.len());
    let (mut tc, mut ts, mut pvc, mut pvs, mut cum) = (
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
    );
    let mut payback = None;
    for (t, (&c, &df)) in i.costs.iter().zip(&dfs).enumerate() {
        let s = i.savings_in(t);
        let net = s - c;
        cum += net;
        let year = i.first_year.offset(t as i32);
        if payback.is_none() && cum >= Decimal::ZERO {
            payback = Some(year);
        }
        let (pc, ps) = (c * df, s * df);
        tc += c;
        ts += s;
        pvc += pc;
        pvs += ps;
        years.push(YearScore {
            year,
            costs: c,
            savings: s,
            net,
            cumulative: cum,
            discount_factor: df,
            pv_costs: pc,
            pv_savings: ps,
        });
    }
    ScoreResult {
        years,
        costs: tc,
        savings: ts,
        net_benefit: ts - tc,
        pv_costs: pvc,
        pv_savings: pvs,
        npv: pvs - pvc,
        score: (!pvc.is_zero()).then(|| pvs / pvc),
        payback,
        roi_pct: (!tc.is_zero()).then(|| (ts - tc) * Decimal::ONE_HUNDRED / tc),
    }
}

pub fn score_text(s: Option<Decimal>) -> String {
    s.map(|v| money::format_plain(v, 2))
        .unwrap_or_else(|| "n/a".into())
}

pub fn payback_text(p: Option<Year>) -> String {
    p.map(|y| y.to_string())
        .unwrap_or_else(|| "none within window".into())
}

/// The headline figures of `evaluate`, without the year-by-year rows: the
/// simulation's inner loop. Same arithmetic in the same order, so the
/// results are identical (a test says so).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub costs: Decimal,
    pub savings: Decimal,
    pub npv: Decimal,
    pub score: Option<Decimal>,
    pub payback_idx: Option<usize>,
}

pub fn summarise(i: &ScoreInputs) -> Summary {
    with_factors(i.rate_pct, i.costs.len(), |dfs| summarise_with(i, dfs))
}

thread_local! {
    /// The last rate's discount factors: a simulation asks for the same
    /// ones millions of times, and each is a 28-digit division.
    static FACTORS: std::cell::RefCell<(Decimal, Vec<Decimal>)> =
        const { std::cell::RefCell::new((Decimal::ZERO, Vec::new())) };
}

/// Calls `f` with `discount_factors(rate_pct, n)` (the very same values),
/// worked out again only when the rate changes or more years are wanted.
fn with_factors<T>(rate_pct: Decimal, n: usize, f: impl FnOnce(&[Decimal]) -> T) -> T {
    FACTORS.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != rate_pct || c.1.len() < n || c.1.is_empty() {
            *c = (rate_pct, discount_factors(rate_pct, n));
        }
        f(&c.1[..n])
    })
}

/// One saver's NPV over `n` years exactly as `summarise` works it (the very
/// same operations in the same order, so the very same figure) without
/// building its inputs: the simulation asks for every partner's own NPV in
/// every trial, and building them took most of its time.
pub fn own_npv(
    cost: impl Fn(usize) -> Decimal,
    (net, from, until): (Decimal, usize, usize),
    realisation: &[Decimal],
    rate_pct: Decimal,
    n: usize,
) -> Decimal {
    with_factors(rate_pct, n, |dfs| {
        let (mut pvc, mut pvs) = (Decimal::ZERO, Decimal::ZERO);
        for (t, &df) in dfs.iter().enumerate() {
            // As `ScoreInputs::savings_in` sums its one saver.
            let per_annum: Decimal = std::iter::once(net)
                .filter(|_| from <= t && t < until)
                .sum();
            let s = mul(
                per_annum,
                realisation.get(t).copied().unwrap_or(Decimal::ONE),
            );
            let c = cost(t);
            pvc = add(pvc, mul(c, df));
            pvs = add(pvs, mul(s, df));
        }
        sub(pvs, pvc)
    })
}

fn summarise_with(i: &ScoreInputs, dfs: &[Decimal]) -> Summary {
    let (mut tc, mut ts, mut pvc, mut pvs, mut cum) = (
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
        Decimal::ZERO,
    );
    let mut payback_idx = None;
    for (t, (&c, &df)) in i.costs.iter().zip(dfs).enumerate() {
        let s = i.savings_in(t);
        cum = add(cum, sub(s, c));
        if payback_idx.is_none() && cum >= Decimal::ZERO {
            payback_idx = Some(t);
        }
        tc = add(tc, c);
        ts = add(ts, s);
        pvc = add(pvc, mul(c, df));
        pvs = add(pvs, mul(s, df));
    }
    Summary {
        costs: tc,
        savings: ts,
        npv: sub(pvs, pvc),
        score: (!pvc.is_zero()).then(|| pvs / pvc),
        payback_idx,
    }
}
