//! Apportionment of an amount between partners by weights, exactly, and
//! rounded by largest remainder so the parts sum to the rounded total.
//!
//! Each partner's exact share is amount × weight / Σweights. Rounded to a
//! unit (whole pounds, or pence), every partner first gets the whole units of
//! its share; the units left over go one each to the largest remainders,
//! ties to the partner listed first. The arithmetic is done in integers, so
//! no remainder is lost to a 28-digit division.

use crate::base::money::Money;
use crate::base::table::{Cell, Table, Value};
use rust_decimal::Decimal;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApportionError {
    NoPartners,
    NegativeWeight(String),
    ZeroWeights,
    BadUnit(Decimal),
    /// Figures too large (or too finely divided) for exact integer arithmetic.
    Overflow,
}

impl fmt::Display for ApportionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApportionError::NoPartners => write!(f, "no partners to apportion between"),
            ApportionError::NegativeWeight(p) => {
                write!(
                    f,
                    "the weight of {p} is negative; weights must be zero or more"
                )
            }
            ApportionError::ZeroWeights => {
                write!(f, "the weights sum to zero; at least one must be positive")
            }
            ApportionError::BadUnit(u) => {
                write!(
                    f,
                    "rounding unit {u} is not a positive power of ten such as 1 or 0.01"
                )
            }
            ApportionError::Overflow => {
                write!(
                    f,
                    "the amount and weights are too large to apportion exactly"
                )
            }
        }
    }
}

impl std::error::Error for ApportionError {}

/// One partner's part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub partner: String,
    pub weight: Decimal,
    /// amount × weight / Σweights, to Decimal's precision (display only).
    pub exact: Decimal,
    /// Rounded by largest remainder.
    pub rounded: Decimal,
}

/// Brings weights to integers at a common scale.
fn integer_weights(weights: &[Decimal]) -> Result<Vec<i128>, ApportionError> {
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    let mut ints = Vec::with_capacity(weights.len());
    for w in weights {
        let mut m = w.mantissa();
        for _ in w.scale()..scale {
            m = m.checked_mul(10).ok_or(ApportionError::Overflow)?;
        }
        ints.push(m);
    }
    Ok(ints)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Whether `unit` is one the apportioner rounds to: a power of ten
/// (0.01, 1, 1000).
pub fn is_unit(unit: Decimal) -> bool {
    unit_scale(unit).is_ok()
}

/// Validates a rounding unit: 1, 0.1, 0.01 … (or 10, 100).
fn unit_scale(unit: Decimal) -> Result<(i128, u32), ApportionError> {
    // unit = m × 10^-s with m a power of ten.
    let u = unit.normalize();
    let (mut m, s) = (u.mantissa(), u.scale());
    if m <= 0 {
        return Err(ApportionError::BadUnit(unit));
    }
    let mut mult = 1i128;
    while m % 10 == 0 {
        m /= 10;
        mult *= 10;
    }
    if m != 1 {
        return Err(ApportionError::BadUnit(unit));
    }
    Ok((mult, s))
}

/// Splits `amount` by `weights` (partner, weight), rounding to `unit`.
pub fn apportion(
    amount: Decimal,
    weights: &[(String, Decimal)],
    unit: Decimal,
) -> Result<Vec<Part>, ApportionError> {
    let ws: Vec<Decimal> = weights.iter().map(|(_, w)| *w).collect();
    let rounded = apportion_values(amount, &ws, unit).map_err(|e| match e {
        ApportionError::NegativeWeight(i) => {
            let i: usize = i.parse().unwrap_or(0);
            ApportionError::NegativeWeight(weights.get(i).map(|w| w.0.clone()).unwrap_or_default())
        }
        other => other,
    })?;
    let wsum = ws
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))
        .ok_or(ApportionError::Overflow)?;
    weights
        .iter()
        .zip(rounded)
        .map(|((p, w), r)| {
            // amount × w / Σw, or (amount / Σw) × w where the product is
            // beyond Decimal's range.
            let exact = amount
                .checked_mul(*w)
                .and_then(|x| x.checked_div(wsum))
                .or_else(|| amount.checked_div(wsum).and_then(|x| x.checked_mul(*w)))
                .ok_or(ApportionError::Overflow)?;
            Ok(Part {
                partner: p.clone(),
                weight: *w,
                exact,
                rounded: r,
            })
        })
        .collect()
}

/// The rounded parts only, in the order of `weights`: the inner loop of
/// simulations, without names. A negative weight is reported by its index.
pub fn apportion_values(
    amount: Decimal,
    weights: &[Decimal],
    unit: Decimal,
) -> Result<Vec<Decimal>, ApportionError> {
    Apportioner::new(weights)?.parts(amount, unit)
}

/// Weights checked and brought to integers once, to apportion many amounts
/// (each year's costs between the same partners).
#[derive(Debug, Clone)]
pub struct Apportioner {
    weights: Vec<i128>,
    /// The largest weight, for `fits`.
    widest: f64,
}

impl Apportioner {
    /// A negative weight is reported by its index.
    pub fn new(weights: &[Decimal]) -> Result<Apportioner, ApportionError> {
        let weights = checked_weights(weights)?;
        let widest = weights.iter().map(|w| w.unsigned_abs()).max().unwrap_or(0) as f64;
        Ok(Apportioner { weights, widest })
    }

    /// Whether `parts_each` of `amount` (in pounds or pence; nearly, in
    /// floating point) surely cannot overflow: each weight times the
    /// amount's pence, with room to spare. False only for figures near
    /// i128's range (then ask `parts_each`).
    pub fn fits(&self, amount: f64) -> bool {
        (amount.abs() * 100.0 + 1.0) * self.widest < 1e37
    }

    /// The rounded parts of `amount`, in the order of the weights.
    pub fn parts(&self, amount: Decimal, unit: Decimal) -> Result<Vec<Decimal>, ApportionError> {
        let mut out = Vec::with_capacity(self.weights.len());
        self.parts_each(amount, unit, |_, part| out.push(part))?;
        Ok(out)
    }

    /// `each(k, part)` for the rounded part of `amount` of each weight k, in
    /// order, without allocating for up to 16 weights (a simulation's every
    /// year of every trial). On an error the parts given are to be dropped.
    pub fn parts_each(
        &self,
        amount: Decimal,
        unit: Decimal,
        mut each: impl FnMut(usize, Decimal),
    ) -> Result<(), ApportionError> {
        let (mult, s) = unit_scale(unit)?;
        let t_units = total_units(amount, mult, s)?;
        let n = self.weights.len();
        let (mut small, mut big) = ([(0i128, 0i128); 16], Vec::new());
        let floors = match n <= 16 {
            true => &mut small[..n],
            false => {
                big.resize(n, (0, 0));
                &mut big[..]
            }
        };
        // The weights' common factor only matters to overflow: the floors are
        // the same without it and the remainders in the same order.
        if whole_units(t_units.abs(), &self.weights, floors).is_none() {
            let reduced = reduced(self.weights.clone());
            whole_units(t_units.abs(), &reduced, floors).ok_or(ApportionError::Overflow)?;
        }
        let unit_dec = Decimal::from_i128_with_scale(mult, s);
        for (k, &(units, _)) in floors.iter().enumerate() {
            let units = if t_units < 0 { -units } else { units };
            each(
                k,
                match (units, mult) {
                    // As `units × unit_dec` gives them: rust_decimal's zero,
                    // and a product by 1 keeping the unit's scale.
                    (0, _) => Decimal::ZERO,
                    (_, 1) => Decimal::try_from_i128_with_scale(units, s)
                        .map_err(|_| ApportionError::Overflow)?,
                    _ => Decimal::try_from_i128_with_scale(units, 0)
                        .ok()
                        .and_then(|u| u.checked_mul(unit_dec))
                        .ok_or(ApportionError::Overflow)?,
                },
            );
        }
        Ok(())
    }
}

/// The weights as integers at a common scale (divided by their common
/// factor when their sum would overflow), after the checks every
/// apportionment makes.
fn checked_weights(weights: &[Decimal]) -> Result<Vec<i128>, ApportionError> {
    if weights.is_empty() {
        return Err(ApportionError::NoPartners);
    }
    if let Some(i) = weights
        .iter()
        .position(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(ApportionError::NegativeWeight(i.to_string()));
    }
    let mut iw = integer_weights(weights)?;
    let sum = |iw: &[i128]| iw.iter().try_fold(0i128, |a, &x| a.checked_add(x));
    if sum(&iw).is_none() {
        iw = reduced(iw);
    }
    match sum(&iw) {
        None => Err(ApportionError::Overflow),
        Some(0) => Err(ApportionError::ZeroWeights),
        Some(_) => Ok(iw),
    }
}

/// `amount` in whole units of `mult` × 10^-`s`, rounded half away from zero.
fn total_units(amount: Decimal, mult: i128, s: u32) -> Result<i128, ApportionError> {
    let rounded_total =
        amount.round_dp_with_strategy(s, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let mut t = rounded_total.mantissa();
    for _ in rounded_total.scale()..s {
        t = t.checked_mul(10).ok_or(ApportionError::Overflow)?;
    }
    // Units coarser than 1 (10, 100): round the total to that unit too.
    let (q, r) = (t / mult, t % mult);
    Ok(if r.abs() * 2 >= mult {
        q + t.signum()
    } else {
        q
    })
}

/// `weights` divided by their greatest common divisor.
fn reduced(mut weights: Vec<i128>) -> Vec<i128> {
    let g = weights.iter().fold(0i128, |g, &x| gcd(g, x));
    if g > 1 {
        for x in &mut weights {
            *x /= g;
        }
    }
    weights
}

/// Each weight's whole units of `total` (and its remainder) into `parts`,
/// the units left over given one each to the largest remainders, ties to
/// the first listed. None when a product overflows.
fn whole_units(total: i128, weights: &[i128], parts: &mut [(i128, i128)]) -> Option<()> {
    let total_w = weights.iter().try_fold(0i128, |a, &x| a.checked_add(x))?;
    for (p, &w) in parts.iter_mut().zip(weights) {
        *p = div_rem(total.checked_mul(w)?, total_w);
    }
    let given: i128 = parts.iter().map(|p| p.0).sum();
    let left = (total - given) as usize;
    if left > 0 && parts.len() <= 64 {
        // Fewer units left than partners: pick the largest remainder not
        // yet given one, `left` times (the sorted order's first `left`).
        let mut bumped = 0u64;
        for _ in 0..left {
            let i = (0..parts.len())
                .filter(|&i| bumped & (1 << i) == 0)
                .max_by(|&a, &b| parts[a].1.cmp(&parts[b].1).then(b.cmp(&a)))?;
            bumped |= 1 << i;
            parts[i].0 += 1;
        }
    } else if left > 0 {
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
        for &i in order.iter().take(left) {
            parts[i].0 += 1;
        }
    }
    Some(())
}

/// `n / d` and `n % d` of non-negative `n` and positive `d`; in 64 bits
/// when both fit (a 128-bit division is a call, ten times slower).
fn div_rem(n: i128, d: i128) -> (i128, i128) {
    match (u64::try_from(n), u64::try_from(d)) {
        (Ok(n), Ok(d)) => ((n / d) as i128, (n % d) as i128),
        _ => (n / d, n % d),
    }
}

/// Exact shares without rounding (for per-year investment shares that are
/// then rounded as a whole).
pub fn equal_weights(partners: &[String]) -> Vec<(String, Decimal)> {
    partners.iter().map(|p| (p.clone(), Decimal::ONE)).collect()
}

/// The unit a case's amount is apportioned in: whole pounds, or pence for
/// an amount with pence (so £1,000.40 is shared to the penny, not as
/// £1,000); an amount with fractions of a penny (a percentage uplift) is
/// shared to the nearest penny.
pub fn unit_for(amount: Decimal) -> Decimal {
    match amount.fract().is_zero() {
        true => Decimal::ONE,
        false => Decimal::new(1, 2),
    }
}

/// The unit's words in a note: "whole pounds" or "pence".
pub fn unit_words(unit: Decimal) -> &'static str {
    match unit == Decimal::ONE {
        true => "whole pounds",
        false => "pence",
    }
}

/// "ABC=253753,DEF=303926" → [(ABC, 253753), …], in the order given.
pub fn parse_weights(s: &str) -> crate::Result<Vec<(String, Decimal)>> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for part in s.split(',') {
        if part.trim().is_empty() {
            return Err(crate::Error::usage(format!(
                "--weights {s:?}: a blank entry between commas; expected e.g. ABC=40,DEF=30"
            )));
        }
        let (name, w) = part.split_once('=').ok_or_else(|| {
            crate::Error::usage(format!(
                "--weights: {part:?} is not NAME=WEIGHT (e.g. ABC=253753)"
            ))
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(crate::Error::usage(format!(
                "--weights: {part:?} has no partner name"
            )));
        }
        let fold = crate::base::text::fold;
        if out.iter().any(|(n, _)| fold(n) == fold(name)) {
            return Err(crate::Error::usage(format!(
                "--weights: partner {name} is given twice"
            )));
        }
        let w = w.trim().trim_end_matches('%');
        let d = match crate::base::money::parse_amount(w) {
            Ok(crate::base::money::Amount::Value(d)) => d,
            other => {
                // Why, when it is more than "not a number" (too large).
                let why = match other {
                    Err(e) if e.reason != "not a number" => format!(": {}", e.reason),
                    _ => String::new(),
                };
                return Err(crate::Error::usage(format!(
                    "--weights: the weight of {name} is {w:?}{why}; expected a number such as 40 or 253,753"
                )));
            }
        };
        out.push((name.to_string(), d));
    }
    if out.is_empty() {
        return Err(crate::Error::usage(
            "--weights: no partners given; expected e.g. ABC=40,DEF=30,GHI=30",
        ));
    }
    Ok(out)
}

/// The apportionment of `amount` by `ws` to units of `unit`, as a table
/// whose every cell says how it was derived.
pub fn table(
    amount: Decimal,
    ws: &[(String, Decimal)],
    unit_d: Decimal,
    basis: &str,
) -> crate::Result<Table> {
    let parts = apportion(amount, ws, unit_d)
        .map_err(|e| crate::Error::usage(format!("cannot apportion: {e}")))?;
    let dp = unit_d.normalize().scale();
    let mut t = Table::new(
        "apportionment",
        format!("Apportionment of {} ({} basis)", Money(amount), basis),
        &["Partner", "Weight", "Share %", "Exact share", "Apportioned"],
        1,
    );
    let wsum: Decimal = ws.iter().map(|(_, w)| *w).sum();
    let rule = format!("largest remainder to units of {}", unit_d.normalize());
    // The shown percentages add up to the 100.00% shown beside them.
    let pcts = apportion(Decimal::ONE_HUNDRED, ws, Decimal::new(1, 2))
        .map_err(|e| crate::Error::usage(format!("cannot apportion: {e}")))?;
    for (p, pct) in parts.iter().zip(&pcts) {
        t.push(vec![
            Cell::label(&p.partner),
            Cell::rule(Value::num(p.weight, p.weight.scale()), "given"),
            Cell::rule(
                Value::pct(pct.rounded, 2),
                "weight / sum of weights, to 0.01% by largest remainder",
            ),
            Cell::rule(Value::num(p.exact, 6), "amount × weight / sum of weights"),
            Cell::rule(Value::money_dp(Money(p.rounded), dp), &rule),
        ]);
    }
    let sum: Decimal = parts.iter().map(|p| p.rounded).sum();
    t.push_total(vec![
        Cell::label("Total"),
        Cell::rule(Value::num(wsum, wsum.scale()), "sum"),
        Cell::rule(Value::pct(Decimal::ONE_HUNDRED, 2), "all"),
        Cell::rule(Value::num(amount, 6), "given"),
        Cell::rule(Value::money_dp(Money(sum), dp), "sum of the parts"),
    ]);
    Ok(t)
}

/// `apportion_values` the first, plain way: what the fast one must equal.
#[cfg(test)]
pub(crate) fn apportion_values_plain(
    amount: Decimal,
    weights: &[Decimal],
    unit: Decimal,
) -> Result<Vec<Decimal>, ApportionError> {
    let iw = reduced(checked_weights(weights)?);
    let total_w: i128 = iw.iter().sum();
    let (mult, s) = unit_scale(unit)?;
    let t_units = total_units(amount, mult, s)?;
    let t_abs = t_units.abs();
    let mut floors = Vec::with_capacity(iw.len());
    let mut rems = Vec::with_capacity(iw.len());
    for &w in &iw {
        let prod = t_abs.checked_mul(w).ok_or(ApportionError::Overflow)?;
        floors.push(prod / total_w);
        rems.push(prod % total_w);
    }
    let given: i128 = floors.iter().sum();
    let left = (t_abs - given) as usize;
    let mut order: Vec<usize> = (0..iw.len()).collect();
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
    for &i in order.iter().take(left) {
        floors[i] += 1;
    }
    let unit_dec = Decimal::from_i128_with_scale(mult, s);
    floors
        .into_iter()
        .map(|units| {
            let units =
                Decimal::try_from_i128_with_scale(if t_units < 0 { -units } else { units }, 0)
                    .map_err(|_| ApportionError::Overflow)?;
            units.checked_mul(unit_dec).ok_or(ApportionError::Overflow)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn w(v: &[(&str, Decimal)]) -> Vec<(String, Decimal)> {
        v.iter().map(|(p, d)| (p.to_string(), *d)).collect()
    }

    #[test]
    fn planning_support_by_baseline_budget() {
        let parts = apportion(
            dec!(785394),
            &w(&[
                ("MBC", dec!(253753)),
                ("SBC", dec!(303926)),
                ("TWBC", dec!(403716)),
            ]),
            dec!(1),
        )
        .unwrap();
        let r: Vec<Decimal> = parts.iter().map(|p| p.rounded).collect();
        assert_eq!(r, vec![dec!(207299), dec!(248287), dec!(329808)]);
    }

    #[test]
    fn ties_go_to_the_first_listed() {
        let parts = apportion(
            dec!(100),
            &equal_weights(&["A".into(), "B".into(), "C".into()]),
            dec!(1),
        )
        .unwrap();
        let r: Vec<Decimal> = parts.iter().map(|p| p.rounded).collect();
        assert_eq!(r, vec![dec!(34), dec!(33), dec!(33)]);
        let parts = apportion(
            dec!(-100),
            &equal_weights(&["A".into(), "B".into(), "C".into()]),
            dec!(1),
        )
        .unwrap();
        let r: Vec<Decimal> = parts.iter().map(|p| p.rounded).collect();
        assert_eq!(r, vec![dec!(-34), dec!(-33), dec!(-33)]);
    }

    #[test]
    fn pence() {
        let parts = apportion(
            dec!(10000),
            &w(&[
                ("MBC", dec!(142800)),
                ("SBC", dec!(128500)),
                ("TWBC", dec!(104600)),
            ]),
            dec!(0.01),
        )
        .unwrap();
        let r: Vec<Decimal> = parts.iter().map(|p| p.rounded).collect();
        assert_eq!(r, vec![dec!(3798.88), dec!(3418.46), dec!(2782.66)]);
        assert_eq!(r.iter().sum::<Decimal>(), dec!(10000));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// The fast way (64-bit divisions, the common factor only on
        /// overflow, no sort when nothing is left over) gives the plain
        /// way's parts to the byte, and its errors.
        #[test]
        fn fast_parts_are_the_plain_ones(
            amount in proptest::num::i128::ANY, amount_scale in 0u32..=6, bits in 1u32..=96,
            ws in proptest::collection::vec((0i128..(1 << 40), 0u32..=10), 1..80),
            unit in 0usize..5, small in proptest::bool::ANY,
        ) {
            let amount = Decimal::from_i128_with_scale(amount % (1i128 << bits), amount_scale);
            // Small weights at one scale make ties, which go to the first listed.
            let ws: Vec<Decimal> = ws
                .iter()
                .map(|&(m, s)| if small { Decimal::from(m % 4) } else { Decimal::from_i128_with_scale(m, s) })
                .collect();
            let unit = [dec!(1), dec!(0.01), dec!(10), dec!(100), dec!(0.001)][unit];
            let (fast, plain) = (apportion_values(amount, &ws, unit), apportion_values_plain(amount, &ws, unit));
            let bytes = |r: &Result<Vec<Decimal>, ApportionError>| {
                r.clone().map(|v| v.iter().map(|d| d.serialize()).collect::<Vec<_>>())
            };
            proptest::prop_assert_eq!(bytes(&fast), bytes(&plain));
        }
    }

    #[test]
    fn overflow_and_common_factors() {
        // Weights whose sum overflows until divided by their common factor.
        let huge = Decimal::from_i128_with_scale((1i128 << 96) - 2, 0);
        let ws = [huge, huge, huge, dec!(0.000000002)];
        assert!(
            integer_weights(&ws)
                .unwrap()
                .iter()
                .try_fold(0i128, |a, &x| a.checked_add(x))
                .is_none()
        );
        let plain = apportion_values_plain(dec!(1), &ws, dec!(1));
        assert_eq!(apportion_values(dec!(1), &ws, dec!(1)), plain);
        assert_eq!(plain.unwrap(), [dec!(1), dec!(0), dec!(0), dec!(0)]);
        // Parts of zero are rust_decimal's zero, as the product gives it.
        let parts = apportion_values(dec!(1), &[dec!(1), dec!(0)], dec!(0.01)).unwrap();
        assert_eq!(parts[1].serialize(), Decimal::ZERO.serialize());
        assert_eq!(parts[0].to_string(), "1.00");
    }

    #[test]
    fn refuses_bad_weights_and_units() {
        assert_eq!(
            apportion(dec!(1), &w(&[("A", dec!(0)), ("B", dec!(0))]), dec!(1)),
            Err(ApportionError::ZeroWeights)
        );
        assert_eq!(
            apportion(dec!(1), &w(&[("A", dec!(-1)), ("B", dec!(2))]), dec!(1)),
            Err(ApportionError::NegativeWeight("A".into()))
        );
        assert!(matches!(
            apportion(dec!(1), &w(&[("A", dec!(1))]), dec!(0.05)),
            Err(ApportionError::BadUnit(_))
        ));
    }
}
