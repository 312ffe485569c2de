//! The appraisal arithmetic of a business case (see `score` for the
//! definition): discounting, NPV, the discounted benefit-cost ratio, payback
//! and ROI, over inputs flattened for fast re-evaluation.

// Products and sums of money and discount factors, the simulation's inner
// loop: rust_decimal's very figures, worked faster.
pub(crate) use crate::base::bounded::float;
use crate::base::fastdec::{add, mul, sub};
use crate::base::money;
use crate::base::year::Year;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;

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
        self.realised(self.per_annum_in(t), t)
    }

    /// The net savings a year of the savers saving in year `t`.
    fn per_annum_in(&self, t: usize) -> Decimal {
        self.savers
            .iter()
            .filter(|(_, from, until)| *from <= t && t < *until)
            .map(|(n, _, _)| *n)
            .sum()
    }

    /// Whether the savers saving in year `t` are others than in year t - 1.
    fn savers_change_in(&self, t: usize) -> bool {
        t == 0 || self.savers.iter().any(|&(_, f, u)| f == t || u == t)
    }

    /// A year's savings a year, realised as that year's share.
    fn realised(&self, per_annum: Decimal, t: usize) -> Decimal {
        let share = self.realisation.get(t).copied().unwrap_or(Decimal::ONE);
        mul(per_annum, share)
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
    let mut pow = Some(Decimal::ONE);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        // Past Decimal's range (a rate of 1,000 % for 30 years) 1 / pow is
        // below 10^-28, which Decimal rounds to 0: the factor it would give.
        out.push(pow.map_or(Decimal::ZERO, |p| Decimal::ONE / p));
        pow = pow.and_then(|p| p.checked_mul(base));
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
    let (mut payback, mut begun) = (None, false);
    for (t, (&c, &df)) in i.costs.iter().zip(&dfs).enumerate() {
        let s = i.savings_in(t);
        let net = s - c;
        cum += net;
        let year = i.first_year.offset(t as i32);
        // Paid back from the year the cumulative net stays at or above
        // zero to the window's end (a cost after early savings undoes an
        // earlier payback), once money has moved: a late joiner's empty
        // first years are not a payback.
        begun |= !c.is_zero() || !s.is_zero();
        if cum < Decimal::ZERO {
            payback = None;
        } else if payback.is_none() && begun {
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
        // A ratio only of costs paid: with PV costs nil or negative (refunds
        // above spending) it would call a loss a return.
        score: (pvc > Decimal::ZERO).then(|| pvs / pvc),
        payback,
        roi_pct: (tc > Decimal::ZERO).then(|| (ts - tc) * Decimal::ONE_HUNDRED / tc),
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

/// The headline figures of `evaluate` a simulation shows (NPV, score and
/// payback), without the year-by-year rows or the totals: the simulation's
/// inner loop. Same arithmetic in the same order, so the results are
/// identical (a test says so).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
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

/// The sign of `own_npv` for the same inputs. The simulation counts the
/// partners worse off, which asks for signs, not figures: the NPV is worked
/// in floating point beside a bound on how far that can be from the exact
/// figure, and only when it is within the bound of zero is `own_npv` asked
/// (the filter of exact geometric predicates). A property test compares it
/// with `own_npv`'s sign, zeros and near-zeros included.
pub fn own_npv_sign(
    cost: impl Fn(usize) -> Decimal,
    (net, from, until): (Decimal, usize, usize),
    realisation: &[Decimal],
    rate_pct: Decimal,
    n: usize,
) -> Ordering {
    let (npv, size) = with_factors(rate_pct, n, |dfs| {
        let (mut npv, mut size) = (0f64, 0f64);
        for (t, &df) in dfs.iter().enumerate() {
            let r = realisation.get(t).copied().unwrap_or(Decimal::ONE);
            let s = match from <= t && t < until {
                true => float(net) * float(r),
                false => 0.0,
            };
            let (ps, pc) = (s * float(df), float(cost(t)) * float(df));
            npv += ps - pc;
            size += ps.abs() + pc.abs();
        }
        (npv, size)
    });
    // Each term is within 14 roundings (four for each input, two products)
    // of its exact value and each of the 2n sums within one more of the
    // sizes added; the Decimal figure is within 10^-27 of each of its ~4n
    // steps. Twice over all, and a quarter more.
    let bound = (2 * n + 16) as f64 * f64::EPSILON * 1.25 * size;
    match npv.is_finite() && size.is_finite() && npv.abs() > bound {
        true => npv.total_cmp(&0.0),
        false => own_npv(cost, (net, from, until), realisation, rate_pct, n).cmp(&Decimal::ZERO),
    }
}

/// A partner's yearly costs in floating point, for `own_npv_sign_near`:
/// each year's cost (`cost`), its size (the sum of its parts' magnitudes),
/// how far the exact cost may lie from it beyond rounding (`slack`), and
/// the roundings each cost took.
pub struct NearCosts<'a> {
    pub cost: &'a [f64],
    pub size: &'a [f64],
    pub slack: &'a [f64],
    pub roundings: usize,
}

/// `discount_factors(rate_pct, n)` bounded (`Bounded::of`: within four
/// roundings of the exact factors).
pub fn near_factors(rate_pct: Decimal, n: usize) -> Vec<crate::base::bounded::Bounded> {
    with_factors(rate_pct, n, |dfs| {
        dfs.iter()
            .map(|&d| crate::base::bounded::Bounded::of(d))
            .collect()
    })
}

/// The sign of `own_npv` from costs known only nearly (`NearCosts`), as
/// `own_npv_sign` filters, with each year's slack, discounted, added to the
/// bound; `dfs` and `realisation` are `near_factors` and the profile in
/// floating point (`float`), the profile bounded (`Bounded`). None when
/// the NPV lies within the bound of zero: the caller works the exact costs
/// then.
pub fn own_npv_sign_near(
    c: &NearCosts,
    (net, from, until): (Decimal, usize, usize),
    realisation: &[crate::base::bounded::Bounded],
    dfs: &[crate::base::bounded::Bounded],
) -> Option<Ordering> {
    let (mut npv, mut size, mut slack) = (0f64, 0f64, 0f64);
    let net = float(net);
    for (t, df) in dfs.iter().enumerate() {
        let df = df.v;
        let s = match from <= t && t < until {
            true => net * realisation.get(t).map_or(1.0, |r| r.v),
            false => 0.0,
        };
        let (ps, pc) = (s * df, c.cost[t] * df);
        npv += ps - pc;
        size += ps.abs() + c.size[t] * df;
        slack += c.slack[t] * df;
        if from <= t && t < until {
            // The profile's own bound, beyond its rounding, doubled.
            slack += net.abs() * realisation.get(t).map_or(0.0, |r| r.e * 2.0) * df;
        }
    }
    // As `own_npv_sign`'s bound, with the costs' own roundings in each
    // term; the slack (whole units) a millionth over, for its own roundings.
    let n = dfs.len();
    let bound = (2 * n + 16 + c.roundings) as f64 * f64::EPSILON * 1.25 * size + slack * 1.000_001;
    (npv.is_finite() && bound.is_finite() && npv.abs() > bound).then(|| npv.total_cmp(&0.0))
}

fn summarise_with(i: &ScoreInputs, dfs: &[Decimal]) -> Summary {
    let (mut pvc, mut pvs, mut cum) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut payback_idx, mut begun) = (None, false);
    let mut per_annum = Decimal::ZERO;
    for (t, (&c, &df)) in i.costs.iter().zip(dfs).enumerate() {
        // `savings_in`, the savers' sum worked again only when they change.
        if i.savers_change_in(t) {
            per_annum = i.per_annum_in(t);
        }
        let s = i.realised(per_annum, t);
        cum = add(cum, sub(s, c));
        // As `evaluate`: from the year the cumulative net stays at or
        // above zero, once money has moved.
        begun |= !c.is_zero() || !s.is_zero();
        // `cum < 0` without rust_decimal's comparison (a zero may carry
        // the sign of its parts).
        if cum.is_sign_negative() && !cum.is_zero() {
            payback_idx = None;
        } else if payback_idx.is_none() && begun {
            payback_idx = Some(t);
        }
        pvc = add(pvc, mul(c, df));
        pvs = add(pvs, mul(s, df));
    }
    Summary {
        npv: sub(pvs, pvc),
        // A ratio only of costs paid: with PV costs nil or negative (refunds
        // above spending) it would call a loss a return.
        score: (pvc > Decimal::ZERO).then(|| pvs / pvc),
        payback_idx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At 1,000 % (a factor of 11 a year) the 29th year's 11^28 ≈ 1.4e29
    /// is past Decimal's 7.9e28 (a panic before): year 28's factor is
    /// Decimal's own 1 / 11^27 (≈ 1.8e-28: a last-digit figure), and every
    /// later one is 0, as Decimal rounds 1 / 11^28 ≈ 7e-30.
    #[test]
    fn discount_factors_past_decimals_range_are_zero() {
        let f = discount_factors(Decimal::from(1000), 50);
        assert_eq!(f[0], Decimal::ONE);
        let p27 = (0..27).fold(Decimal::ONE, |p, _| p * Decimal::from(11));
        assert_eq!(f[27], Decimal::ONE / p27);
        assert!(!f[27].is_zero() && f[27] <= Decimal::new(2, 28));
        assert!(f[28..].iter().all(|d| d.is_zero()));
    }
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]
        /// The sign the filter gives is `own_npv`'s, for random own cases
        /// and for costs made to cancel the savings (a zero NPV) or to miss
        /// them by the last digit or a penny, where floats cannot tell.
        #[test]
        fn own_npv_sign_is_the_exact_sign(
            n in 1usize..12, rate in 0i64..1000, net in -(1i64 << 40)..(1i64 << 40),
            (from, until) in (0usize..12, 0usize..14),
            shares in proptest::collection::vec((0u64..(1 << 40), 1u64..(1 << 40)), 12),
            costs in proptest::collection::vec(-(1i64 << 40)..(1i64 << 40), 12),
            mode in 0u8..4, nudge in -2i64..=2, year in 0usize..12,
        ) {
            let (net, rate) = (Decimal::new(net, 2), Decimal::new(rate, 2));
            // Realisation shares of 28 digits, up to 1.
            let r: Vec<Decimal> = shares.iter()
                .map(|&(a, b)| Decimal::from(a.min(b)) / Decimal::from(b))
                .collect();
            let saving = |t: usize| match from <= t && t < until {
                true => mul(net, r[t]),
                false => Decimal::ZERO,
            };
            let cost = |t: usize| {
                let c = match mode {
                    0 => Decimal::new(costs[t], 2),
                    _ => saving(t),
                };
                // Off by a last digit (mode 2) or by pennies (mode 3) in one year.
                let off = match mode {
                    2 => Decimal::new(nudge, c.scale()),
                    3 => Decimal::new(nudge, 2),
                    _ => Decimal::ZERO,
                };
                if t == year % n { c + off } else { c }
            };
            let exact = own_npv(cost, (net, from, until), &r, rate, n).cmp(&Decimal::ZERO);
            prop_assert_eq!(own_npv_sign(cost, (net, from, until), &r, rate, n), exact);
        }
    }
}
