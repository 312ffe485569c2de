//! A measure's percentiles and mean over a simulation's trials, exact,
//! from each trial's range (`Bounded`) and the exact figures of the few
//! trials that could sit at a rank (see `whatif::trials`).

use crate::base::bounded::Bounded;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// The percentiles a simulation shows, nearest rank.
pub const PERCENTILES: [u32; 3] = [10, 50, 90];

/// The 1-based nearest rank of percentile `q` among `n`.
pub fn rank(n: usize, q: u32) -> Option<usize> {
    (n > 0).then(|| (n * q as usize).div_ceil(100).max(1))
}

/// The `q`th percentile of sorted values, nearest rank.
pub fn percentile<T: Copy>(sorted: &[T], q: u32) -> Option<T> {
    sorted.get(rank(sorted.len(), q)? - 1).copied()
}

/// What the ranges say of a measure before any trial is worked again: for
/// each percentile, the window its exact figure lies in (the rank's least
/// low and high ends), the trials wholly below it and those that meet it;
/// and the mean's bounds. A range of +∞ is a trial with no figure (no
/// score): it ranks above every figure and is left out of the mean.
pub struct Window {
    n: usize,
    ks: [usize; 3],
    windows: [(f64, f64); 3],
    below: [usize; 3],
    /// Each trial's bit for each window it meets (a byte a trial: the
    /// windows of a measure every trial ties on meet them all).
    meets: Vec<u8>,
    none: usize,
    mean: Option<Option<Decimal>>,
}

/// The window of `vals`, its mean rounded to `places`.
pub fn window(vals: &[Bounded], places: u32) -> Window {
    let n = vals.len();
    let ks = PERCENTILES.map(|q| rank(n, q).unwrap_or(1) - 1);
    let lows = ranked(vals.iter().map(|b| b.low()), ks);
    let highs = ranked(vals.iter().map(|b| b.high()), ks);
    let windows = [0, 1, 2].map(|i| (lows[i], highs[i]));
    let (mut below, mut meets, mut none) = ([0usize; 3], vec![0u8; n], 0);
    for (b, m) in vals.iter().zip(&mut meets) {
        if b.v == f64::INFINITY {
            none += 1;
            continue;
        }
        let (l, h) = (b.low(), b.high());
        for (i, &(lo, hi)) in windows.iter().enumerate() {
            if h < lo {
                below[i] += 1;
            } else if l <= hi && lo != f64::INFINITY {
                *m |= 1 << i;
            }
        }
    }
    Window {
        n,
        ks,
        windows,
        below,
        meets,
        none,
        mean: bounded_mean(vals, places),
    }
}

impl Window {
    /// The trials to be worked exactly for the percentiles.
    pub fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        self.meeting(0b111)
    }

    /// The trials meeting any of the windows in `bits`.
    fn meeting(&self, bits: u8) -> impl Iterator<Item = usize> + '_ {
        let all = self.meets.iter().enumerate();
        all.filter(move |(_, m)| *m & bits != 0).map(|(t, _)| t)
    }

    /// The exact percentiles, `exact` giving a candidate's exact figure.
    /// None when the ranges did not hold a rank, or a candidate's figure is
    /// missing (a fault of this code).
    pub fn percentiles(
        &self,
        exact: &dyn Fn(usize) -> Option<Decimal>,
    ) -> Option<[Option<Decimal>; 3]> {
        if self.n == 0 {
            return Some([None; 3]);
        }
        let mut out = [None; 3];
        for (i, o) in out.iter_mut().enumerate() {
            // At least n - k trials have no figure when the low end is +∞.
            if self.windows[i].0 == f64::INFINITY {
                *o = Some(Decimal::MAX);
                continue;
            }
            let mut figures: Vec<Decimal> =
                self.meeting(1 << i).map(exact).collect::<Option<_>>()?;
            figures.sort_unstable_by(in_full);
            let nones = if self.windows[i].1 == f64::INFINITY {
                self.none
            } else {
                0
            };
            figures.extend(std::iter::repeat_n(Decimal::MAX, nones));
            let j = self.ks[i].checked_sub(self.below[i])?;
            *o = Some(*figures.get(j)?);
        }
        Some(out)
    }

    /// The mean, when the ranges' sums settle it (Some(None): no trial has
    /// a figure); None when every trial must be worked exactly.
    pub fn mean(&self) -> Option<Option<Decimal>> {
        self.mean
    }
}

/// The exact mean of `vals`' figures rounded half away from zero to
/// `places`, when the ranges' sums, in 64-bit units, round alike.
fn bounded_mean(vals: &[Bounded], places: u32) -> Option<Option<Decimal>> {
    let finite = || vals.iter().filter(|b| b.v != f64::INFINITY);
    let count = finite().count() as i128;
    if count == 0 {
        return Some(None);
    }
    // Sums in units of 2^-shift, each end below 2^62 units (so a float
    // turns into 64 bits, which is quick), at most 2^-24.
    let size = finite().fold(0f64, |a, b| a.max(b.low().abs()).max(b.high().abs()));
    if !size.is_finite() {
        return None;
    }
    let shift = (61 - size.log2().ceil().clamp(0.0, 120.0) as i32).min(24);
    let unit = 2f64.powi(shift);
    let (mut lo, mut hi) = (0i128, 0i128);
    for b in finite() {
        lo += (b.low() * unit).floor() as i64 as i128;
        hi += (b.high() * unit).ceil() as i64 as i128;
    }
    let scale = 10i128.pow(places);
    // s / 2^shift / count, to places: (s · 10^places) / (count · 2^shift).
    let rounded = |s: i128| {
        let s = s.checked_mul(scale)?;
        match shift >= 0 {
            true => Some(half_away(s, count.checked_mul(1i128 << shift)?)),
            false => Some(half_away(s.checked_mul(1i128 << -shift)?, count)),
        }
    };
    let (a, b) = (rounded(lo)?, rounded(hi)?);
    (a == b).then(|| Some(Decimal::from_i128_with_scale(a, places)))
}

/// The values at 0-based ranks `ks` (ascending) of `values`, by selection
/// on integer keys in the order of `f64::total_cmp`: the middle rank
/// first, then the others each in its own side.
fn ranked(values: impl Iterator<Item = f64>, ks: [usize; 3]) -> [f64; 3] {
    let key = |x: f64| {
        let b = x.to_bits() as i64;
        b ^ (((b >> 63) as u64) >> 1) as i64
    };
    let back = |k: i64| f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64);
    let mut v: Vec<i64> = values.map(key).collect();
    if v.is_empty() {
        return [0.0; 3];
    }
    let (left, mid, right) = v.select_nth_unstable(ks[1]);
    let mid = *mid;
    let low = match ks[0] < ks[1] {
        true => *left.select_nth_unstable(ks[0]).1,
        false => mid,
    };
    let high = match ks[2] > ks[1] {
        true => *right.select_nth_unstable(ks[2] - ks[1] - 1).1,
        false => mid,
    };
    [back(low), back(mid), back(high)]
}

/// Decimals by value, and equal values (1.0 and 1.00) by their bytes: one
/// order, so a percentile is the same however the trials were shared.
pub fn in_full(a: &Decimal, b: &Decimal) -> Ordering {
    a.cmp(b).then_with(|| a.serialize().cmp(&b.serialize()))
}

/// `n / d` rounded half away from zero, `d` positive.
fn half_away(n: i128, d: i128) -> i128 {
    let (q, r) = (n.abs() / d, n.abs() % d);
    let q = if 2 * r >= d { q + 1 } else { q };
    if n < 0 { -q } else { q }
}

/// The exact mean of `figures`, rounded half away from zero to `places`
/// (at most 28): their whole parts and 28-place fractions summed apart, in
/// 128 bits.
pub fn exact_mean(figures: impl Iterator<Item = Decimal>, places: u32) -> Option<Decimal> {
    const ONE: i128 = 10i128.pow(28);
    let (mut whole, mut frac, mut n) = (0i128, 0i128, 0i128);
    for d in figures {
        let w = d.trunc();
        let f = d - w;
        whole += w.mantissa() / 10i128.pow(w.scale());
        frac += f.mantissa() * 10i128.pow(28 - f.scale());
        n += 1;
    }
    if n == 0 {
        return None;
    }
    // The sum is whole + frac / ONE, 0 <= frac < ONE; its size, then sign.
    whole += frac.div_euclid(ONE);
    let frac = frac.rem_euclid(ONE);
    let negative = whole < 0;
    let (whole, frac) = match (negative, frac) {
        (false, _) => (whole, frac),
        (true, 0) => (-whole, 0),
        (true, f) => (-whole - 1, ONE - f),
    };
    // size · 10^places / n = (whole · 10^places + f1 + f2 / cut) / n
    let cut = 10i128.pow(28 - places);
    let a = whole * 10i128.pow(places) + frac / cut;
    let (q, r, f2) = (a / n, a % n, frac % cut);
    // Up when (r + f2 / cut) / n is a half or more.
    let q = if 2 * (r * cut + f2) >= n * cut {
        q + 1
    } else {
        q
    };
    Some(Decimal::from_i128_with_scale(
        if negative { -q } else { q },
        places,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Means rounded half away from zero, worked by hand: 1, 2 and 2.5
    /// make 5.5 over 3 = 1.8333…, 1.83; -0.5 and -1 make -0.75, -1 to the
    /// pound (a half away from zero); 0.125 and 0.12 make 0.1225, 0.12.
    #[test]
    fn exact_means_round_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mean = |v: &[&str], p| exact_mean(v.iter().map(|s| d(s)), p).unwrap();
        assert_eq!(mean(&["1", "2", "2.5"], 2), d("1.83"));
        assert_eq!(mean(&["-0.5", "-1"], 0), d("-1"));
        assert_eq!(mean(&["-0.5", "-1.5"], 0), d("-1"));
        assert_eq!(mean(&["0.125", "0.12"], 2), d("0.12"));
        assert_eq!(mean(&["0.125"], 2), d("0.13"));
        assert_eq!(mean(&["-0.125"], 2), d("-0.13"));
        // A third to 28 places, three times: 0.9999…9 (28 nines), 1.00.
        let third = Decimal::ONE / Decimal::from(3);
        assert_eq!(
            exact_mean([third, third, third].into_iter(), 2),
            Some(d("0.33"))
        );
        assert_eq!(exact_mean(std::iter::empty(), 2), None);
        assert_eq!(half_away(-5, 2), -3);
        assert_eq!(half_away(5, 2), 3);
        assert_eq!(half_away(4, 3), 1);
    }
}
