//! Figures worked in floating point beside a bound on how far the exact
//! Decimal figure, worked by the same steps, may lie from them: the
//! simulation's fast path (the filter of exact geometric predicates).
//!
//! Each step carries its inputs' errors through, then adds the float
//! rounding of its result (one epsilon, twice the unit roundoff) and
//! rust_decimal's rounding of the exact result: it keeps 28 digits, so
//! under 10^-27 of the result, or 10^-28 where it runs out of places. A
//! sign, a zero or an order is called only when the bound, doubled, leaves
//! no doubt; otherwise the caller works the exact figure. Exact zeros stay
//! exact (nought times anything is nought in both), so a year with no
//! costs is known to have none.

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Float rounding of a result, relative: twice the unit roundoff.
const FLOAT: f64 = f64::EPSILON;
/// rust_decimal's rounding of a result, relative and absolute.
const DEC_REL: f64 = 1e-27;
const DEC_ABS: f64 = 1e-28;
/// How many times over the bound is taken when a figure is called: the
/// bound's own arithmetic rounds too.
const SAFETY: f64 = 2.0;

/// A figure in floating point (`v`) and a bound (`e`) on how far the exact
/// Decimal figure may lie from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounded {
    pub v: f64,
    pub e: f64,
}

impl Bounded {
    pub const ZERO: Bounded = Bounded { v: 0.0, e: 0.0 };
    pub const ONE: Bounded = Bounded { v: 1.0, e: 0.0 };

    /// `d`, within four roundings (`float`).
    pub fn of(d: Decimal) -> Bounded {
        let v = float(d);
        Bounded {
            v,
            e: v.abs() * 4.0 * FLOAT,
        }
    }

    /// A small whole number, held exactly by both.
    pub fn whole(n: u32) -> Bounded {
        Bounded {
            v: f64::from(n),
            e: 0.0,
        }
    }

    /// Known to be exactly nought.
    pub fn is_zero(self) -> bool {
        self.v == 0.0 && self.e == 0.0
    }

    /// A step's result `v`, its inputs' errors carried through (`carried`),
    /// with both roundings added.
    fn rounded(v: f64, carried: f64) -> Bounded {
        let a = v.abs();
        Bounded {
            v,
            e: carried + a * FLOAT + (a + carried) * DEC_REL + DEC_ABS,
        }
    }

    pub fn plus(self, o: Bounded) -> Bounded {
        match (self.is_zero(), o.is_zero()) {
            (_, true) => self,
            (true, false) => o,
            _ => Self::rounded(self.v + o.v, self.e + o.e),
        }
    }

    pub fn negated(self) -> Bounded {
        Bounded {
            v: -self.v,
            e: self.e,
        }
    }

    pub fn minus(self, o: Bounded) -> Bounded {
        self.plus(o.negated())
    }

    pub fn times(self, o: Bounded) -> Bounded {
        if self.is_zero() || o.is_zero() {
            return Self::ZERO;
        }
        let carried = self.v.abs() * o.e + o.v.abs() * self.e + self.e * o.e;
        Self::rounded(self.v * o.v, carried)
    }

    /// `self / o`; None when `o` may be nought.
    pub fn over(self, o: Bounded) -> Option<Bounded> {
        let least = o.v.abs() - o.e * SAFETY;
        if least.is_nan() || least <= 0.0 {
            return None;
        }
        if self.is_zero() {
            return Some(Self::ZERO);
        }
        let v = self.v / o.v;
        // |a/b - A/B| <= (|a/b|·eB + eA) / |B|, |B| at least `least`.
        let carried = (v.abs() * o.e + self.e) / least * (1.0 + 4.0 * FLOAT);
        Some(Self::rounded(v, carried))
    }

    /// The exact figure's sign, when the bound leaves no doubt.
    pub fn sign(self) -> Option<Ordering> {
        if self.is_zero() {
            return Some(Ordering::Equal);
        }
        let b = self.e * SAFETY;
        match self.v.is_finite() && b.is_finite() && self.v.abs() > b {
            true if self.v > 0.0 => Some(Ordering::Greater),
            true => Some(Ordering::Less),
            false => None,
        }
    }

    /// Whether the exact figure is known to be nought (Some(true)) or not.
    pub fn zero(self) -> Option<bool> {
        self.sign().map(|s| s == Ordering::Equal)
    }

    /// The least and greatest the exact figure can be.
    pub fn low(self) -> f64 {
        self.v - self.e * SAFETY
    }

    pub fn high(self) -> f64 {
        self.v + self.e * SAFETY
    }

    /// Both the figure and its bound finite.
    pub fn is_finite(self) -> bool {
        self.v.is_finite() && self.e.is_finite()
    }
}

/// `d` as its mantissa in f64 over the nearest f64 to 10^scale: within four
/// roundings of its value (rust_decimal's own conversion makes no such
/// promise). A mantissa over 64 bits is its high part, exact, plus its low
/// part, rounded, then their sum rounded (a 128-bit conversion is a call).
pub fn float(d: Decimal) -> f64 {
    const POWERS: [f64; 29] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
    ];
    let m = d.mantissa().unsigned_abs();
    let f = match u64::try_from(m) {
        Ok(m) => m as f64,
        Err(_) => (m >> 64) as f64 * 18_446_744_073_709_551_616.0 + m as u64 as f64,
    };
    let f = if d.is_sign_negative() { -f } else { f };
    f / POWERS[d.scale() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(m: i64, s: u32) -> Decimal {
        Decimal::new(m, s)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]
        /// Chains of Decimal steps and the same steps bounded: the exact
        /// figure lies within the bound, and a sign called is its sign.
        #[test]
        fn the_exact_figure_lies_within_the_bound(
            xs in proptest::collection::vec((-(1i64 << 45)..(1i64 << 45), 0u32..12, 0u8..4), 1..12),
        ) {
            let (mut d, mut b) = (Decimal::ONE / Decimal::from(7), Bounded::of(Decimal::ONE / Decimal::from(7)));
            for (m, s, op) in xs {
                let x = dec(m, s);
                let bx = Bounded::of(x);
                match op {
                    0 => { d = crate::base::fastdec::add(d, x); b = b.plus(bx); }
                    1 => { d = crate::base::fastdec::sub(d, x); b = b.minus(bx); }
                    2 if d.abs() < Decimal::from(1i64 << 40) && x.abs() < Decimal::from(1i64 << 40) => {
                        d = crate::base::fastdec::mul(d, x); b = b.times(bx);
                    }
                    3 if !x.is_zero() && d.abs() < Decimal::from(1i64 << 40) => {
                        if let Some(q) = b.over(bx) { d /= x; b = q; }
                    }
                    _ => {}
                }
                let f = float(d);
                prop_assert!(b.low() <= f + f.abs() * 1e-15 && f - f.abs() * 1e-15 <= b.high(),
                    "{d} outside {b:?}");
                if let Some(s) = b.sign() {
                    prop_assert_eq!(s, d.cmp(&Decimal::ZERO));
                }
            }
        }
    }

    /// A sum that cancels to nought in Decimal is not called: floats may
    /// leave a crumb.
    #[test]
    fn a_cancelled_sum_is_not_called() {
        let a = Bounded::of(Decimal::new(1, 1));
        let b = Bounded::of(Decimal::new(2, 1));
        let c = Bounded::of(Decimal::new(3, 1));
        assert_eq!(a.plus(b).minus(c).sign(), None);
        assert_eq!(Bounded::ZERO.times(c).sign(), Some(Ordering::Equal));
        assert_eq!(a.sign(), Some(Ordering::Greater));
    }
}
