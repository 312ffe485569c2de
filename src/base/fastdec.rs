//! `a * b`, `a + b` and `a - b` for Decimals: the very digits and scale
//! rust_decimal gives, in native 128-bit arithmetic.
//!
//! The appraisal multiplies money by 28-digit discount factors and sums the
//! products millions of times in a simulation; rust_decimal works them in
//! 32-bit limbs and rescales a limb at a time, which was a third of a
//! trial's time. Here a product (or an aligned sum) is held whole, below
//! 2^192, and brought back to 96 bits following rust_decimal's rescale step
//! by step: the same first guess of digits to drop, one more while the
//! quotient is over 96 bits, round half to even over every digit dropped.
//! A zero, a rounding that carries past 96 bits, or an overflow is left to
//! rust_decimal. Property tests compare the bytes of both.

use rust_decimal::Decimal;

const MAX_SCALE: i32 = 28;

/// `a * b`, exactly as `Decimal`'s own multiplication gives it.
#[inline]
pub fn mul(a: Decimal, b: Decimal) -> Decimal {
    fast_mul(a, b).unwrap_or_else(|| a * b)
}

/// `a + b`, exactly as `Decimal`'s own addition gives it.
#[inline]
pub fn add(a: Decimal, b: Decimal) -> Decimal {
    fast_add(a, b, false).unwrap_or_else(|| a + b)
}

/// `a - b`, exactly as `Decimal`'s own subtraction gives it.
#[inline]
pub fn sub(a: Decimal, b: Decimal) -> Decimal {
    fast_add(a, b, true).unwrap_or_else(|| a - b)
}

fn fast_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() || b.is_zero() {
        return None;
    }
    let p = Wide::product(magnitude(a), magnitude(b));
    let negative = a.is_sign_negative() != b.is_sign_negative();
    round96(p, negative, (a.scale() + b.scale()) as i32)
}

/// `a ± b` at the larger scale, exact, then rounded to 96 bits as
/// rust_decimal's addition does. A zero result is left to rust_decimal (the
/// sign it gives a zero is its own affair).
fn fast_add(a: Decimal, b: Decimal, subtract: bool) -> Option<Decimal> {
    if a.is_zero() || b.is_zero() {
        return None;
    }
    let scale = a.scale().max(b.scale());
    let up = |d: Decimal| match scale - d.scale() {
        0 => Wide {
            hi: 0,
            lo: magnitude(d),
        },
        k => Wide::product(magnitude(d), 10u128.pow(k)),
    };
    let (x, y) = (up(a), up(b));
    let (xn, yn) = (a.is_sign_negative(), b.is_sign_negative() != subtract);
    let (sum, negative) = if xn == yn {
        (x.plus(y), xn)
    } else if x.at_least(y) {
        (x.minus(y), xn)
    } else {
        (y.minus(x), yn)
    };
    if sum.is_zero() {
        return None;
    }
    round96(sum, negative, scale as i32)
}

fn magnitude(d: Decimal) -> u128 {
    d.mantissa().unsigned_abs()
}

/// A non-negative whole number below 2^192: `hi`·2^128 + `lo`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Wide {
    hi: u64,
    lo: u128,
}

impl Wide {
    /// `a × b`, both below 2^96.
    fn product(a: u128, b: u128) -> Wide {
        let (a0, a1) = (a as u64 as u128, a >> 64);
        let (b0, b1) = (b as u64 as u128, b >> 64);
        // a1, b1 < 2^32: the middle terms' sum is below 2^97.
        let mid = a0 * b1 + a1 * b0;
        let (lo, carry) = (a0 * b0).overflowing_add(mid << 64);
        Wide {
            hi: (a1 * b1 + (mid >> 64) + carry as u128) as u64,
            lo,
        }
    }

    fn plus(self, o: Wide) -> Wide {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        Wide {
            hi: self.hi + o.hi + carry as u64,
            lo,
        }
    }

    /// `self - o`, `self` being at least `o`.
    fn minus(self, o: Wide) -> Wide {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        Wide {
            hi: self.hi - o.hi - borrow as u64,
            lo,
        }
    }

    fn at_least(self, o: Wide) -> bool {
        (self.hi, self.lo) >= (o.hi, o.lo)
    }

    fn is_zero(self) -> bool {
        self.hi == 0 && self.lo == 0
    }

    fn bits(self) -> i32 {
        match self.hi {
            0 => 128 - self.lo.leading_zeros() as i32,
            h => 192 - h.leading_zeros() as i32,
        }
    }

    /// The quotient and remainder by 10^`k` (`k` from 1 to 19), a 64-bit
    /// limb at a time, each step's quotient fitting in 64 bits (division by
    /// a reciprocal, or by an inline `div`, measured no faster here).
    fn div_pow10(self, k: u32) -> (Wide, u64) {
        let d = 10u64.pow(k);
        let (q2, r) = match self.hi {
            h if h < d => (0, h),
            h => (h / d, h % d),
        };
        let (q1, r) = div_limb(r, (self.lo >> 64) as u64, d);
        let (q0, r) = div_limb(r, self.lo as u64, d);
        let q = Wide {
            hi: q2,
            lo: ((q1 as u128) << 64) | q0 as u128,
        };
        (q, r)
    }
}

/// (`hi`·2^64 + `lo`) / `d` and the remainder, `hi` being below `d` (so
/// the quotient fits in 64 bits).
#[inline(always)]
fn div_limb(hi: u64, lo: u64, d: u64) -> (u64, u64) {
    let n = ((hi as u128) << 64) | lo as u128;
    ((n / d as u128) as u64, (n % d as u128) as u64)
}

/// `n`·10^-`scale` brought to a 96-bit mantissa and a scale of at most 28,
/// as rust_decimal's `Buf24::rescale` does it.
fn round96(n: Wide, negative: bool, mut scale: i32) -> Option<Decimal> {
    let bits = n.bits();
    if bits <= 96 && scale <= MAX_SCALE {
        return parts(n.lo, negative, scale);
    }
    // rust_decimal's first guess: (bits - 97) × log10(2), as 77/256, plus one.
    let mut left = if bits > 96 {
        (((bits - 97) * 77) >> 8) + 1
    } else {
        0
    };
    if left > scale {
        return None; // too big for a Decimal: rust_decimal says so
    }
    left = left.max(scale - MAX_SCALE);
    scale -= left;
    let (mut q, mut rem, mut pow, mut sticky) = (n, 0u64, 1u64, false);
    loop {
        // In steps of at most 19 digits: a remainder of an earlier step
        // only breaks a tie.
        while left > 0 {
            let step = left.min(19);
            sticky |= rem != 0;
            pow = 10u64.pow(step as u32);
            (q, rem) = q.div_pow10(step as u32);
            left -= step;
        }
        if q.hi == 0 && q.lo >> 96 == 0 {
            let half = pow / 2;
            let mut m = q.lo;
            if rem > half || (rem == half && (sticky || m & 1 == 1)) {
                m += 1;
            }
            return if m >> 96 == 0 {
                parts(m, negative, scale)
            } else {
                None
            };
        }
        if scale == 0 {
            return None;
        }
        left = 1;
        scale -= 1;
    }
}

/// A non-zero Decimal of mantissa `m` (under 2^96).
fn parts(m: u128, negative: bool, scale: i32) -> Option<Decimal> {
    (m != 0).then(|| {
        Decimal::from_parts(
            m as u32,
            (m >> 32) as u32,
            (m >> 64) as u32,
            negative,
            scale as u32,
        )
    })
}

/// Decimals as integers in one order: by value, then (equal values such as
/// 1.0 and 1.00, or 0 and -0) by scale, then positive before negative, which
/// is the order of their values and then of their `serialize()` bytes. A
/// simulation sorts millions of figures, and rust_decimal compares two of
/// different scales by rescaling them: a key is one multiplication.
#[derive(Clone, Copy, Debug)]
pub struct OrderKey {
    scale: u32,
}

impl OrderKey {
    /// The key for all of `v`: every value at the greatest scale among them
    /// must be under 2^120, leaving room for the scale and sign below it.
    pub fn for_all<'a>(v: impl Iterator<Item = &'a Decimal> + Clone) -> Option<OrderKey> {
        let key = OrderKey {
            scale: v.clone().map(|d| d.scale()).max().unwrap_or(0),
        };
        v.map(|d| key.scaled(d))
            .all(|m| m.is_some_and(|m| m.unsigned_abs() < 1 << 120))
            .then_some(key)
    }

    /// `d`'s value times 10^scale, when that fits.
    fn scaled(self, d: &Decimal) -> Option<i128> {
        d.mantissa()
            .checked_mul(POW10[(self.scale - d.scale()) as usize])
    }

    /// `d`'s key. Its value decides (keys of different values are at least
    /// 64 apart), then 2·scale + sign, under 64.
    #[inline]
    pub fn key(self, d: &Decimal) -> i128 {
        let m = d.mantissa() * POW10[(self.scale - d.scale()) as usize];
        m * 64 + i128::from(d.scale() * 2 + u32::from(d.is_sign_negative()))
    }
}

/// 10^k for every difference of scales (`pow` with a variable power loops).
const POW10: [i128; 29] = {
    let mut t = [1i128; 29];
    let mut k = 1;
    while k < 29 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The same bytes as rust_decimal's product, sum and difference (when
    /// it has one: an overflow panics in both).
    fn same(a: Decimal, b: Decimal) -> bool {
        let (p, s, d) = (a.checked_mul(b), a.checked_add(b), a.checked_sub(b));
        p.is_none_or(|p| mul(a, b).serialize() == p.serialize())
            && s.is_none_or(|s| add(a, b).serialize() == s.serialize())
            && d.is_none_or(|d| sub(a, b).serialize() == d.serialize())
    }

    /// A Decimal of up to `bits` bits of mantissa at `scale`.
    fn dec(m: i128, bits: u32, scale: u32) -> Decimal {
        let m = m % (1i128 << bits.clamp(1, 96)).max(2);
        Decimal::from_i128_with_scale(m.clamp(-(1i128 << 96) + 1, (1i128 << 96) - 1), scale)
    }

    /// Decimals by value, then by their bytes: the order keys must give.
    fn in_full(a: &Decimal, b: &Decimal) -> std::cmp::Ordering {
        a.cmp(b).then_with(|| a.serialize().cmp(&b.serialize()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Keys sort as values then bytes, for figures of mixed scales, equal
        /// values at different scales, and zeros of either sign; a list with
        /// a value too long for a key has none.
        #[test]
        fn order_keys_sort_as_values_then_bytes(
            v in proptest::collection::vec((-(1i128 << 100)..(1i128 << 100), 0u32..=28, 0u8..4), 0..40),
        ) {
            let v: Vec<Decimal> = v.iter().map(|&(m, scale, kind)| match kind {
                // The same value again at a greater scale, or a zero of either sign.
                0 => Decimal::from_i128_with_scale(m % 1000 * 10, scale.min(27) + 1),
                1 => Decimal::from_i128_with_scale(m % 1000, scale.min(27)),
                // from_parts makes every zero positive; bytes can say otherwise.
                2 => Decimal::deserialize([0, 0, scale as u8, if m < 0 { 0x80 } else { 0 },
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                _ => Decimal::from_i128_with_scale(m % (1i128 << 96), scale),
            }).collect();
            let fits = v.iter().all(|d| {
                let top = v.iter().map(|d| d.scale()).max().unwrap_or(0);
                d.mantissa().checked_mul(10i128.pow(top - d.scale()))
                    .is_some_and(|m| m.unsigned_abs() < 1 << 120)
            });
            let key = OrderKey::for_all(v.iter());
            prop_assert_eq!(key.is_some(), fits);
            if let Some(k) = key {
                for a in &v {
                    for b in &v {
                        prop_assert_eq!(k.key(a).cmp(&k.key(b)), in_full(a, b), "{} {}", a, b);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// Money times a discount factor, a share or a rate, as the
        /// appraisal multiplies them: the same bytes as rust_decimal's.
        #[test]
        fn money_times_factors(
            pence in -(1i64 << 31)..(1i64 << 31),
            money_scale in 0u32..9,
            factor in 1u128..(1u128 << 96),
            factor_scale in 0u32..=28,
        ) {
            let a = Decimal::new(pence, money_scale);
            let b = Decimal::from_i128_with_scale(factor as i128, factor_scale);
            prop_assert!(same(a, b), "{} × {}", a, b);
            prop_assert!(same(b, a), "{} × {}", b, a);
            prop_assert!(same(-a, b), "{} × {}", -a, b);
        }

        /// Any two Decimals, of any length of mantissa (so products of two
        /// 28-digit figures, over 128 bits, and sums of every alignment).
        #[test]
        fn any_decimals(
            x in any::<i128>(), xb in 1u32..=96, xs in 0u32..=28,
            y in any::<i128>(), yb in 1u32..=96, ys in 0u32..=28,
        ) {
            let (a, b) = (dec(x, xb, xs), dec(y, yb, ys));
            prop_assert!(same(a, b), "{} and {}", a, b);
            prop_assert!(same(b, a), "{} and {}", b, a);
        }

        /// A sum or product landing just on a tie or just past 96 bits.
        #[test]
        fn edges(k in 0u32..=28, near in -3i128..=3, s in 0u32..=28, t in 0u32..=28) {
            let top = Decimal::from_i128_with_scale((1i128 << 96) - 1 - near.abs(), s);
            let tie = Decimal::from_i128_with_scale(5 * 10i128.pow(k.min(27)) + near, t);
            prop_assert!(same(top, tie), "{} and {}", top, tie);
            prop_assert!(same(top, -top), "{} and {}", top, -top);
            prop_assert!(same(top, Decimal::new(1, t)), "{} and 1e-{}", top, t);
        }
    }

    #[test]
    fn discount_factors_and_ties() {
        let df = Decimal::ONE / Decimal::new(1035, 3);
        // The appraisal's products and sums take the fast way (the point
        // of it), a realised saving of 28 digits times a factor too.
        let saving = Decimal::new(2_537_530, 2) * (Decimal::ONE / Decimal::from(3));
        assert!(fast_mul(Decimal::from(117_000), df).is_some());
        assert!(fast_mul(Decimal::new(12_345_678, 8), df * df).is_some());
        assert!(fast_mul(saving, df * df).is_some());
        assert!(fast_add(saving * df, Decimal::from(117_000) * df, false).is_some());
        for c in [1i64, 7, 207_299, 33_619, 117_000, -248_287, 999_999_999] {
            assert!(same(Decimal::from(c), df));
            assert!(same(Decimal::new(c, 2), df * df));
            assert!(same(saving * Decimal::new(c, 3), df));
        }
        // Halves at the last digit kept: to even, and away when digits follow.
        let big = Decimal::from_i128_with_scale(79_228_162_514_264_337_593_543_950_335, 0);
        for s in 0..=28 {
            assert!(same(big, Decimal::new(5, s)));
            assert!(same(big, Decimal::new(15, s.min(27) + 1)));
        }
        // Equal and opposite: rust_decimal's own zero.
        assert_eq!(sub(df, df).serialize(), (df - df).serialize());
        assert_eq!(add(-df, df).serialize(), (-df + df).serialize());
    }

    proptest! {
        /// Division by a power of ten's reciprocal is the plain division.
        #[test]
        fn divisions_are_the_plain_ones(hi in any::<u64>(), lo in any::<u128>(), k in 1u32..=19) {
            let d = 10u64.pow(k);
            let (q, r) = Wide { hi: 0, lo }.div_pow10(k);
            prop_assert_eq!((q.hi, q.lo, r as u128), (0, lo / d as u128, lo % d as u128));
            // A number over 128 bits, checked through q·d + r.
            let n = Wide { hi, lo };
            let (q, r) = n.div_pow10(k);
            prop_assert!(r < d);
            let (qd_lo, c) = (q.lo as u64 as u128 * d as u128)
                .overflowing_add(((q.lo >> 64) * d as u128) << 64);
            let qd_hi = (((q.lo >> 64) * d as u128) >> 64) as u64 + c as u64 + q.hi * d;
            let back = Wide { hi: qd_hi, lo: qd_lo }.plus(Wide { hi: 0, lo: r as u128 });
            prop_assert_eq!(back, n);
        }
    }

    #[test]
    fn wide_arithmetic() {
        let m = (1u128 << 96) - 1;
        let p = Wide::product(m, m);
        // (2^96 - 1)^2 = 2^192 - 2^97 + 1.
        assert_eq!(p.hi, u64::MAX);
        assert_eq!(p.lo, 1u128.wrapping_sub(1 << 97));
        assert_eq!(p.bits(), 192);
        // Worked with Python's integers: divmod(2**192 - 2**97 + 1, 10**19).
        let (q, r) = p.div_pow10(19);
        assert_eq!(q.hi, 1);
        assert_eq!(q.lo, 287_427_806_617_729_612_920_204_334_873_152_797_651);
        assert_eq!(r, 3_826_769_276_946_612_225);
        assert!(p.at_least(q) && !q.at_least(p));
        assert_eq!(p.minus(p), Wide { hi: 0, lo: 0 });
        assert_eq!(q.plus(q).minus(q), q);
    }
}
