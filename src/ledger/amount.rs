//! The ledger amount rule: every amount is read, none is rounded away.
//!
//! - Amounts are read as written: `1,234.56`, `(12.00)`, `-5`, `£3.20`
//!   (UTF-8 or Windows-1252 £), and scientific notation (`6.82121E-13`).
//!   Thousands commas must be in groups of three, and two minus signs are
//!   refused, exactly as budgets are read (`money::parse_amount`).
//! - An amount with six or more decimal places that lies within £0.000001 of
//!   a whole number of pence is the binary-float rendering of that pence
//!   amount (`631.1899999999999` is £631.19, `6.82121E-13` is £0.00): it is
//!   read as that amount, and the line and its original text are listed.
//! - Any other amount with a fraction of a penny (`638.875`) is kept exactly:
//!   whole pence add up as integers, the fraction is added separately as a
//!   decimal, and only the display rounds (the rounding difference is shown).
//!   An amount with more than 12 decimal places that is not pence (a float's
//!   rendering of a fraction, `0.3333333333333333`) is kept to 12 places and
//!   listed with the float renderings.

use rust_decimal::Decimal;

/// The largest amount one ledger line may carry: £1 trillion, far above any
/// council transaction, and small enough that billions of lines add up
/// without overflow.
pub const MAX_PENCE: i64 = 100_000_000_000_000;

/// One amount, read exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerAmount {
    /// Whole pence (towards zero).
    pub pence: i64,
    /// The rest, a fraction of a penny in pounds (same sign); usually zero.
    pub sub_penny: Decimal,
    /// The text was a float's rendering of `pence` (see the module rule).
    pub float_rendering: bool,
}

impl LedgerAmount {
    fn whole(pence: i64) -> Self {
        LedgerAmount {
            pence,
            ..Default::default()
        }
    }
}

/// Reads a ledger amount from a field's bytes.
pub fn parse(b: &[u8]) -> Result<LedgerAmount, &'static str> {
    match fast(b) {
        Some(r) => r.map(LedgerAmount::whole),
        None => slow(b),
    }
}

/// Plain amounts with at most two decimal places, straight to pence without
/// allocating. None: not plain; the slow path decides.
fn fast(b: &[u8]) -> Option<Result<i64, &'static str>> {
    let mut s = b.trim_ascii();
    if s.is_empty() {
        return Some(Err("no amount"));
    }
    let mut neg = false;
    if let [b'(', inner @ .., b')'] = s {
        neg = true;
        s = inner.trim_ascii();
    }
    let mut minus = 0;
    if let [b'-', rest @ ..] = s {
        minus += 1;
        s = rest;
    }
    match s {
        [0xC2, 0xA3, rest @ ..] | [0xA3, rest @ ..] => s = rest, // £ in UTF-8 or Windows-1252
        _ => {}
    }
    if let [b'-', rest @ ..] = s {
        minus += 1;
        s = rest;
    }
    if minus > 1 {
        return Some(Err("two minus signs"));
    }
    if neg && minus == 1 {
        return Some(Err(crate::base::money::NEGATIVE_TWICE));
    }
    neg |= minus == 1;
    let (mut pounds, mut pence, mut frac) = (0i64, 0i64, -1i32);
    let (mut digits, mut group, mut commas) = (0, 0, false);
    for &c in s {
        match c {
            b'0'..=b'9' if frac >= 0 => {
                frac += 1;
                if frac > 2 {
                    return None;
                }
                pence = pence * 10 + (c - b'0') as i64;
            }
            b'0'..=b'9' => {
                pounds = pounds.checked_mul(10)?.checked_add((c - b'0') as i64)?;
                digits += 1;
                group += 1;
            }
            b',' if frac < 0 => {
                if digits > 0 && pounds == 0 {
                    return Some(Err(crate::base::money::ZERO_THOUSANDS));
                }
                if digits == 0 || (commas && group != 3) || group > 3 {
                    return Some(Err("thousands commas out of place"));
                }
                commas = true;
                group = 0;
            }
            b'.' if frac < 0 => frac = 0,
            _ => return None,
        }
    }
    if commas && group != 3 {
        return Some(Err("thousands commas out of place"));
    }
    if digits == 0 && frac <= 0 {
        return Some(Err("not an amount"));
    }
    if frac == 1 {
        pence *= 10;
    }
    let v = pounds.checked_mul(100)?.checked_add(pence)?;
    if v > MAX_PENCE {
        return Some(Err("amount over £1 trillion: not a ledger amount"));
    }
    Some(Ok(if neg { -v } else { v }))
}

fn text_of(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => crate::input::import::decode_cp1252(b),
    }
}

fn slow(b: &[u8]) -> Result<LedgerAmount, &'static str> {
    let text = text_of(b);
    let t = text.trim();
    // A ledger line is in pounds, or in the unit its column's heading says.
    if crate::base::money::unit_suffix(t) {
        return Err(
            "a unit letter (k, m) in a ledger amount: write the figure in full, or the unit in the column's heading (\"Amount (£000)\")",
        );
    }
    let d = match crate::base::money::scientific(t) {
        Some(r) => r?,
        None => match crate::base::money::parse_amount(t) {
            Ok(crate::base::money::Amount::Value(d)) => d,
            Ok(_) => return Err("no amount"),
            Err(e) => return Err(e.reason),
        },
    };
    from_decimal(d)
}

/// An amount from an exact type (a Parquet DECIMAL): never taken for a
/// float's rendering; kept to `MAX_DP` places (rounded half to even and
/// listed beyond them).
pub fn exact(d: Decimal) -> Result<LedgerAmount, &'static str> {
    if d.scale() > MAX_DP {
        let kept =
            d.round_dp_with_strategy(MAX_DP, rust_decimal::RoundingStrategy::MidpointNearestEven);
        let mut a = exact(kept)?;
        a.float_rendering = kept != d;
        return Ok(a);
    }
    if d.abs() > Decimal::new(MAX_PENCE, 2) {
        return Err("amount over £1 trillion: not a ledger amount");
    }
    let in_pence = d * Decimal::ONE_HUNDRED;
    let whole = in_pence.trunc();
    Ok(LedgerAmount {
        pence: to_i64(whole),
        sub_penny: (in_pence - whole) / Decimal::ONE_HUNDRED,
        float_rendering: false,
    })
}

/// An exact decimal amount, by the module's rule.
pub fn from_decimal(d: Decimal) -> Result<LedgerAmount, &'static str> {
    let limit = Decimal::new(MAX_PENCE, 2);
    if d.abs() > limit {
        return Err("amount over £1 trillion: not a ledger amount");
    }
    let in_pence = d * Decimal::ONE_HUNDRED;
    let whole = in_pence.trunc();
    if whole == in_pence {
        return Ok(LedgerAmount::whole(to_i64(whole)));
    }
    let nearest = in_pence.round();
    let noise = (in_pence - nearest).abs() <= Decimal::new(1, 4);
    if d.scale() >= 6 && noise {
        return Ok(LedgerAmount {
            pence: to_i64(nearest),
            sub_penny: Decimal::ZERO,
            float_rendering: true,
        });
    }
    if d.scale() > MAX_DP {
        // More places than money has: a float's rendering of a fraction
        // (1/3 as 0.3333333333333333). Kept to 12 places, half to even, and
        // listed, so that sums of such amounts stay exact in 28 digits.
        let kept =
            d.round_dp_with_strategy(MAX_DP, rust_decimal::RoundingStrategy::MidpointNearestEven);
        let mut a = from_decimal(kept)?;
        a.float_rendering = true;
        return Ok(a);
    }
    Ok(LedgerAmount {
        pence: to_i64(whole),
        sub_penny: (in_pence - whole) / Decimal::ONE_HUNDRED,
        float_rendering: false,
    })
}

/// Decimal places an amount keeps: £1 trillion to 12 places is 25 digits,
/// so row and grand totals add exactly within Decimal's 28.
pub const MAX_DP: u32 = 12;

fn to_i64(d: Decimal) -> i64 {
    // Within ±MAX_PENCE, checked by the caller.
    i64::try_from(d).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn p(s: &str) -> Result<LedgerAmount, &'static str> {
        parse(s.as_bytes())
    }

    #[test]
    fn plain_amounts() {
        assert_eq!(p("-1234.56").unwrap().pence, -123456);
        assert_eq!(p("1,234.5").unwrap().pence, 123450);
        assert_eq!(p("(12.00)").unwrap().pence, -1200);
        assert_eq!(p("£3.20").unwrap().pence, 320);
        assert_eq!(parse(b"\xa33.20").unwrap().pence, 320);
        assert_eq!(p(" 7 ").unwrap().pence, 700);
        assert_eq!(p(".5").unwrap().pence, 50);
    }

    #[test]
    fn what_budgets_refuse_ledgers_refuse() {
        for bad in [
            "1,5",
            "--5",
            ",5",
            "1,23,456",
            "abc",
            "",
            "1.2.3",
            "12,34.00",
            // Negative twice, not positive (read as +£5 and +£7 before).
            "(-5.00)",
            "(£-7.00)",
            "-(11.00)",
            "((5))",
            // A leading 0 before a thousands comma: a decimal comma (read
            // as £125 and £1 before).
            "0,125",
            "000,001",
            "(0,500)",
        ] {
            assert!(p(bad).is_err(), "{bad:?}");
            assert!(
                !matches!(
                    crate::base::money::parse_amount(bad),
                    Ok(crate::base::money::Amount::Value(_))
                ),
                "{bad:?}"
            );
        }
        assert!(p("99999999999999999999").is_err());
        // A unit letter: "£2m" under "Amount (£000)" was £2bn.
        assert!(p("£2m").is_err() && p("1.5k").is_err() && p("(3K)").is_err());
        assert_eq!(p("0.125").unwrap().sub_penny, dec!(0.005));
        assert_eq!(p("1,000,000").unwrap().pence, 100_000_000);
        assert!(p("1e27").is_err());
    }

    #[test]
    fn float_renderings_are_the_pence_they_render() {
        let a = p("631.1899999999999").unwrap();
        assert_eq!((a.pence, a.float_rendering), (63119, true));
        let a = p("6.82121E-13").unwrap();
        assert_eq!((a.pence, a.float_rendering), (0, true));
        let a = p("-2.0000000000000004").unwrap();
        assert_eq!((a.pence, a.float_rendering), (-200, true));
        assert_eq!(p("1.5E3").unwrap().pence, 150_000);
    }

    #[test]
    fn fractions_rendered_by_a_float_keep_twelve_places() {
        // Found by the reconcile fuzzer: 27 places made row and grand
        // totals round differently in Decimal's 28 digits.
        let a = p("0.3333333333333333").unwrap();
        assert_eq!(
            (a.pence, a.sub_penny, a.float_rendering),
            (33, dec!(0.003333333333), true)
        );
        let a = p("262.186666666666666666621E-06").unwrap();
        assert_eq!((a.pence, a.sub_penny), (0, dec!(0.000262186667)));
    }

    #[test]
    fn sub_penny_amounts_are_kept_exactly() {
        let a = p("638.875").unwrap();
        assert_eq!(
            (a.pence, a.sub_penny, a.float_rendering),
            (63887, dec!(0.005), false)
        );
        let a = p("-0.125").unwrap();
        assert_eq!((a.pence, a.sub_penny), (-12, dec!(-0.005)));
        // Five decimal places is a price, not float noise.
        let a = p("10.00001").unwrap();
        assert_eq!((a.pence, a.sub_penny), (1000, dec!(0.00001)));
    }
}
