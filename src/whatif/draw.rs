//! The ranges a simulation draws its inputs from ("KEY=LOW..HIGH[..MODE]",
//! uniform or triangular) and the draws themselves.
//!
//! Draws are made in floating point and rounded to the penny (money) or to
//! 1/1,000,000 (shares, rates, months) before they enter the exact decimal
//! arithmetic; the generator is a fixed xoshiro256**, so the same seed gives
//! the same draws on every machine.

use crate::base::error::{Error, Result};
pub use crate::base::rng::Rng;
use crate::whatif::scenario::{Case, Target, parse_value};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A key varied between LOW and HIGH, with an optional MODE (triangular).
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub key: String,
    pub target: Target,
    pub low: Decimal,
    pub high: Decimal,
    pub mode: Option<Decimal>,
    /// LOW, HIGH and MODE (LOW when none) as floats, for the draws:
    /// converted once, not in every trial.
    floats: [f64; 3],
    /// LOW and HIGH in units of a draw's last place, when whole there: a
    /// draw is kept within them by comparing integers.
    units: Option<(i64, i64)>,
}

/// Parses "KEY=LOW..HIGH[..MODE]" against a case.
pub fn parse_range(case: &Case, s: &str) -> Result<Range> {
    let (key, spec) = s.split_once('=').ok_or_else(|| {
        Error::usage(format!(
            "{s:?}: expected KEY=LOW..HIGH, e.g. savings.realisation=0.7..1"
        ))
    })?;
    let key = key.trim();
    let target = case.target(key)?.ok_or_else(|| {
        Error::usage(format!(
            "{key}: cannot be varied over a range (it takes a name, a year or a whole number of years); compare values with `scenario --set {key}=…`"
        ))
    })?;
    let bits: Vec<&str> = spec.split("..").collect();
    if !(2..=3).contains(&bits.len()) {
        return Err(Error::usage(format!(
            "{key}={spec}: expected LOW..HIGH or LOW..HIGH..MODE"
        )));
    }
    let low = parse_value(key, target, bits[0])?;
    let high = parse_value(key, target, bits[1])?;
    if low > high {
        return Err(Error::usage(format!(
            "{key}={spec}: LOW ({low}) is greater than HIGH ({high})"
        )));
    }
    let mode = match bits.get(2) {
        Some(m) => {
            let m = parse_value(key, target, m)?;
            if m < low || m > high {
                return Err(Error::usage(format!(
                    "{key}={spec}: MODE ({m}) is outside LOW..HIGH"
                )));
            }
            Some(m)
        }
        None => None,
    };
    let (a, b) = (low.to_f64().unwrap_or(0.0), high.to_f64().unwrap_or(0.0));
    let c = mode.map_or(a, |c| c.to_f64().unwrap_or(a));
    let unit = |d: Decimal| {
        let scaled = d * Decimal::from(10i64.pow(places(target)));
        scaled.fract().is_zero().then(|| scaled.to_i64()).flatten()
    };
    Ok(Range {
        key: key.to_string(),
        target,
        low,
        high,
        mode,
        floats: [a, b, c],
        units: unit(low).zip(unit(high)),
    })
}

/// The places a draw of `target` is rounded to: the penny for money, else
/// a millionth.
fn places(target: Target) -> u32 {
    if target.is_money() { 2 } else { 6 }
}

impl Range {
    /// One draw, rounded to the penny or to 6 places.
    pub fn draw(&self, rng: &mut Rng) -> Decimal {
        let [a, b, c] = self.floats;
        let u = rng.unit();
        let x = match self.mode {
            None => a + (b - a) * u,
            Some(_) => {
                let fc = if b > a { (c - a) / (b - a) } else { 0.0 };
                if u < fc {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
        };
        let dp = places(self.target);
        let scaled = (x * 10f64.powi(dp as i32)).round();
        // Within LOW..HIGH by integers when they are whole in its units;
        // at an end, the end itself (as `clamp` gives it).
        if let Some((lo, hi)) = self.units
            && scaled.abs() < 9.2e18
        {
            let s = scaled as i64;
            return match (s < lo, s > hi) {
                (true, _) => self.low,
                (_, true) => self.high,
                _ => Decimal::new(s, dp),
            };
        }
        // In 64 bits when it fits (a float to i128 is a call): the same Decimal.
        let d = match scaled.abs() < 9.2e18 {
            true => Decimal::new(scaled as i64, dp),
            false => Decimal::from_i128_with_scale(scaled as i128, dp),
        };
        // Rounding must not leave the range.
        d.clamp(self.low, self.high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Draws kept within LOW..HIGH by integers are the draws `clamp`
        /// keeps there, for money and shares, ends of any places, uniform
        /// and triangular.
        #[test]
        fn integer_bounds_draw_as_clamp_does(
            seed in any::<u64>(), low in -500_000i64..500_000, span in 0i64..500_000,
            places in 0u32..9, money in any::<bool>(), mode in proptest::option::of(0u8..=100),
        ) {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/planning-support.toml");
            let case = crate::whatif::load_case(&path).unwrap().1;
            let key = if money { "investment.Redundancy.2014/15" } else { "savings.realisation" };
            // A share lies within 0 to 2.
            let (lo, hi) = match money {
                true => (Decimal::new(low, places), Decimal::new(low + span, places)),
                false => {
                    let p = 3 + places % 6;
                    let lo = Decimal::new(low.rem_euclid(1000), p);
                    (lo, lo + Decimal::new(span % 1000, p))
                }
            };
            let spec = match mode {
                Some(m) => format!("{key}={lo}..{hi}..{}", lo + (hi - lo) * Decimal::new(m.into(), 2)),
                None => format!("{key}={lo}..{hi}"),
            };
            let fast = parse_range(&case, &spec).unwrap();
            let mut plain = fast.clone();
            plain.units = None;
            let (mut a, mut b) = (super::Rng::new(seed), super::Rng::new(seed));
            for _ in 0..50 {
                let (x, y) = (fast.draw(&mut a), plain.draw(&mut b));
                prop_assert_eq!(x.serialize(), y.serialize(), "{} {}", x, y);
            }
        }
    }
}
