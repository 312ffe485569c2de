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
    Ok(Range {
        key: key.to_string(),
        target,
        low,
        high,
        mode,
        floats: [a, b, c],
    })
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
        let dp = if self.target.is_money() { 2 } else { 6 };
        let scaled = (x * 10f64.powi(dp as i32)).round();
        // In 64 bits when it fits (a float to i128 is a call): the same Decimal.
        let d = match scaled.abs() < 9.2e18 {
            true => Decimal::new(scaled as i64, dp),
            false => Decimal::from_i128_with_scale(scaled as i128, dp),
        };
        // Rounding must not leave the range.
        d.clamp(self.low, self.high)
    }
}
