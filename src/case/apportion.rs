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

/// Brings weights to integers at a common scale, reduced by their gcd.
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
    let g = ints.iter().fold(0i128, |g, &x| gcd(g, x));
    if g > 1 {
        for x in &mut ints {
            *x /= g;
        }
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
    if weights.is_empty() {
        return Err(ApportionError::NoPartners);
    }
    if let Some(i) = weights
        .iter()
        .position(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(ApportionError::NegativeWeight(i.to_string()));
    }
    let iw = integer_weights(weights)?;
    let total_w: i128 = iw
        .iter()
        .try_fold(0i128, |a, &x| a.checked_add(x))
        .ok_or(ApportionError::Overflow)?;
    if total_w == 0 {
        return Err(ApportionError::ZeroWeights);
    }
    let (mult, s) = unit_scale(unit)?;
    // Whole units of the total, rounded half away from zero.
    let rounded_total =
        amount.round_dp_with_strategy(s, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let mut t = rounded_total.mantissa();
    for _ in rounded_total.scale()..s {
        t = t.checked_mul(10).ok_or(ApportionError::Overflow)?;
    }
    // Units coarser than 1 (10, 100): round the total to that unit too.
    let t_units = {
        let q = t / mult;
        let r = t % mult;
        if r.abs() * 2 >= mult {
            q + t.signum()
        } else {
            q
        }
    };
    let negative = t_units < 0;
    let t_abs = t_units.abs();
    let mut floors = Vec::with_capacity(iw.len());
    let mut rems = Vec::with_capacity(iw.len());
    for &w in &iw {
        let prod = t_abs.checked_mul(w).ok_or(ApportionError::Overflow)?;
        floors.push(prod / total_w);
        rems.push(prod % total_w);
    }
    let given: i128 = floors
        .iter()
        .try_fold(0i128, |a, &x| a.checked_add(x))
        .ok_or(ApportionError::Overflow)?;
    let left = (t_abs - given) as usize;
    let mut order: Vec<usize> = (0..iw.len()).collect();
    // Largest remainder first; ties to the partner listed first.
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
    for &i in order.iter().take(left) {
        floors[i] += 1;
    }
    let unit_dec = Decimal::from_i128_with_scale(mult, s);
    floors
        .into_iter()
        .map(|units| {
            let units = Decimal::try_from_i128_with_scale(if negative { -units } else { units }, 0)
                .map_err(|_| ApportionError::Overflow)?;
            units.checked_mul(unit_dec).ok_or(ApportionError::Overflow)
        })
        .collect()
}

/// Exact shares without rounding (for per-year investment shares that are
/// then rounded as a whole).
pub fn equal_weights(partners: &[String]) -> Vec<(String, Decimal)> {
    partners.iter().map(|p| (p.clone(), Decimal::ONE)).collect()
}

/// "ABC=253753,DEF=303926" → [(ABC, 253753), …], in the order given.
pub fn parse_weights(s: &str) -> crate::Result<Vec<(String, Decimal)>> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
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
        if out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(crate::Error::usage(format!(
                "--weights: partner {name} is given twice"
            )));
        }
        let w = w.trim().trim_end_matches('%');
        let d = match crate::base::money::parse_amount(w) {
            Ok(crate::base::money::Amount::Value(d)) => d,
            _ => {
                return Err(crate::Error::usage(format!(
                    "--weights: the weight of {name} is {w:?}; expected a number such as 40 or 253,753"
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
