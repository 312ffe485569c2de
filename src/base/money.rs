//! Exact money and the ways it is written in council spreadsheets and reports.
//!
//! Every amount is a `rust_decimal::Decimal`. Rounding happens only when a
//! figure is displayed, and then half away from zero, as finance officers
//! round by hand.

use rust_decimal::prelude::*;
use std::fmt;

/// An exact sum of money in pounds. A newtype so that no float can be passed
/// where money is meant: the only ways in are Decimal, integers and parsing.
///
/// Its arithmetic is unchecked on purpose, because the inputs are bounded
/// where they are read: every amount is at most `MAX_AMOUNT` (£10^15),
/// every factor (a rate, a share, a scale) at most 1,000, and a file holds
/// at most `MAX_CELLS` (5 million) cells; so no sum or product of inputs
/// comes within ten thousand times of Decimal's 7.9 × 10^28 (a test checks the
/// margin). Ledger totals are integer pence in i128.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);
    pub fn new(d: Decimal) -> Self {
        Money(d)
    }
    pub fn pounds(n: i64) -> Self {
        Money(Decimal::from(n))
    }
    pub fn dec(self) -> Decimal {
        self.0
    }
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
    /// Scales by an exact factor (a share, a rate, a discount factor).
    pub fn times(self, factor: Decimal) -> Money {
        Money(self.0 * factor)
    }
    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}
impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}
impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}
impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}
impl<'a> std::iter::Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}
impl fmt::Display for Money {
    /// Report form: £1,234 with brackets for negatives, pence when present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dp = if self.0.fract().is_zero() { 0 } else { 2 };
        f.write_str(&format_pounds(self.0, dp, Negatives::Brackets))
    }
}

/// An amount as a cell or CSV field states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    Value(Decimal),
    /// "N/A", "n/a", "-", "–": the line does not apply here. Not zero: it is
    /// left out of totals and shown as it was written.
    NotApplicable(String),
    /// "tbc": a figure still to be confirmed; not zero either.
    ToBeConfirmed,
    Blank,
}

impl Amount {
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Amount::Value(d) => Some(*d),
            _ => None,
        }
    }
}

/// Why a piece of text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseMoneyError {
    pub text: String,
    pub reason: &'static str,
}

impl fmt::Display for ParseMoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {:?}", self.reason, self.text)
    }
}

impl std::error::Error for ParseMoneyError {}

/// What an amount is expected to look like, for error messages.
pub const AMOUNT_EXPECTED: &str =
    "an amount such as 1,234, £1,234.56, (1,234), -1,234, £9.83m, N/A or -";

/// Marks for "no figure": council forms' N/A and dashes, and the
/// Government Statistical Service's missing-value symbols (`..` not
/// available, `x` suppressed, `[c]` confidential, `[z]` not applicable).
const NOT_APPLICABLE: &[&str] = &[
    "n/a",
    "na",
    "-",
    "–",
    "—",
    "not applicable",
    "..",
    "...",
    "…",
    "x",
    ":",
    "[c]",
    "[x]",
    "[z]",
    "[u]",
    "[low]",
];

/// The largest amount costshare accepts: £1,000,000,000,000,000. Far above
/// any council figure, and far enough below Decimal's limit (about 7.9e28)
/// that products and sums of such amounts cannot overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// The scale of a unit as returns state it: "£" 1, "£000" / "£'000" / "£k"
/// / "£ thousand" 1,000, "£m" / "£ million" 1,000,000.
pub fn unit_scale(u: &str) -> Option<Decimal> {
    let u: String = u
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'' && *c != '’')
        .collect();
    let u = u.trim_end_matches('s');
    Some(match u {
        "£" | "£pound" | "pound" | "£1" => Decimal::ONE,
        "£000" | "£k" | "£thousand" | "£1,000" | "£1000" => Decimal::from(1_000),
        "£m" | "£mn" | "£million" | "£000,000" | "£000000" => Decimal::from(1_000_000),
        _ => return None,
    })
}

/// A unit as a heading writes it: "£", "£000", "£m".
pub fn unit_name(scale: Decimal) -> String {
    match scale {
        s if s == Decimal::ONE => "£".into(),
        s if s == Decimal::from(1_000) => "£000".into(),
        s if s == Decimal::from(1_000_000) => "£m".into(),
        s => format!("units of £{s}"),
    }
}

/// Parses money as councils write it: "1,234", "£1,234.56", "(1,234)" and
/// "-1,234" (negative), "£9.83m" and "£2k" (scaled), "N/A" and "-" (not
/// applicable), "tbc", or blank. A trailing "*" footnote marker is ignored.
pub fn parse_amount(text: &str) -> Result<Amount, ParseMoneyError> {
    let err = |reason| ParseMoneyError {
        text: text.to_string(),
        reason,
    };
    // Non-breaking and thin spaces are common in exported reports.
    let t: String = text
        .trim()
        .trim_end_matches('*')
        .chars()
        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let t = t.trim();
    if t.is_empty() {
        return Ok(Amount::Blank);
    }
    let lower = t.to_ascii_lowercase();
    if NOT_APPLICABLE.contains(&lower.as_str()) {
        return Ok(Amount::NotApplicable(t.to_string()));
    }
    if lower == "tbc" || lower == "to be confirmed" {
        return Ok(Amount::ToBeConfirmed);
    }
    // Brackets and minus signs: one makes a figure negative; two are a
    // mistake, not a positive ("(-5.00)" was read as £5).
    let mut marks = 0u8;
    let mut s = t;
    if let Some(inner) = s.strip_prefix('(') {
        s = inner
            .strip_suffix(')')
            .ok_or_else(|| err("unbalanced bracket"))?;
        marks += 1;
    }
    let s = s.trim();
    let (s, minus) = strip_minus(s);
    marks += u8::from(minus);
    let s = s.trim_start().strip_prefix('£').unwrap_or(s).trim_start();
    // "£(1,000)": the accounting format £#,##0;£(#,##0) as exported.
    let s = match s.strip_prefix('(') {
        Some(inner) => {
            marks += 1;
            inner
                .strip_suffix(')')
                .ok_or_else(|| err("unbalanced bracket"))?
                .trim()
        }
        None => s,
    };
    // "£-5" and "-£5" both occur in the wild.
    let (s, minus2) = strip_minus(s);
    if minus2 && minus {
        return Err(err("two minus signs"));
    }
    marks += u8::from(minus2);
    if marks > 1 {
        return Err(err(NEGATIVE_TWICE));
    }
    let negative = marks == 1;
    let (digits, scale) = match s.chars().last() {
        Some('m') | Some('M') => (&s[..s.len() - 1], Decimal::from(1_000_000)),
        Some('k') | Some('K') => (&s[..s.len() - 1], Decimal::from(1_000)),
        _ => (s, Decimal::ONE),
    };
    let digits = digits.trim();
    if digits.is_empty() {
        return Err(err("no digits"));
    }
    if zero_thousands(digits) {
        return Err(err(ZERO_THOUSANDS));
    }
    // Scientific notation is how a float written as text shows a figure
    // (`1.5E+03`, `6.82121E-13`): read exactly, as ledgers read it.
    let value = match parse_plain_number(digits) {
        Some(v) => v,
        None => match scientific(digits) {
            Some(r) => r.map_err(err)?,
            None => return Err(err("not a number")),
        },
    };
    let value = value.checked_mul(scale).ok_or_else(|| err("too large"))?;
    if value > MAX_AMOUNT {
        return Err(err("too large (over £1,000,000,000,000,000)"));
    }
    Ok(Amount::Value(if negative { -value } else { value }))
}

/// Scientific notation as floats write it (`6.82121E-13`, `-1.5e3`), read
/// exactly: None when the text is not in that form.
pub(crate) fn scientific(t: &str) -> Option<Result<Decimal, &'static str>> {
    let (m, e) = t.split_once(['e', 'E'])?;
    let (neg, m) = match m.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, m.strip_prefix('+').unwrap_or(m)),
    };
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let (int, fr) = m.split_once('.').unwrap_or((m, ""));
    let exp_digits = e.strip_prefix(['-', '+']).unwrap_or(e);
    if !(ok(int) || ok(fr)) || !(int.is_empty() || ok(int)) || !(fr.is_empty() || ok(fr)) {
        return None;
    }
    if !ok(exp_digits) {
        return None;
    }
    let digits = format!("{int}{fr}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(Ok(Decimal::ZERO));
    }
    if digits.len() > 27 || exp_digits.len() > 4 {
        return Some(Err("amount out of range"));
    }
    let exp: i64 = e.parse().ok()?;
    let mantissa: i128 = digits.parse().ok()?;
    let scale = fr.len() as i64 - exp;
    let v = if scale > 28 {
        // Below 10^-28 of a pound: nothing a ledger can hold but float noise.
        if scale - digits.len() as i64 > 6 {
            Decimal::ZERO
        } else {
            return Some(Err("amount out of range"));
        }
    } else if scale >= 0 {
        match Decimal::try_from_i128_with_scale(mantissa, scale as u32) {
            Ok(d) => d,
            Err(_) => return Some(Err("amount out of range")),
        }
    } else {
        let mut d = match Decimal::try_from_i128_with_scale(mantissa, 0) {
            Ok(d) => d,
            Err(_) => return Some(Err("amount out of range")),
        };
        for _ in 0..(-scale) {
            match d.checked_mul(Decimal::TEN) {
                Some(x) => d = x,
                None => return Some(Err("amount out of range")),
            }
        }
        d
    };
    Some(Ok(if neg { -v } else { v }))
}

/// The unit a published figure is printed in: "£9.83m" millions, "£45k"
/// thousands; None for pounds.
pub fn printed_unit(text: &str) -> Option<(Decimal, char)> {
    match text.trim().to_ascii_lowercase().chars().last()? {
        'm' => Some((Decimal::from(1_000_000), 'm')),
        'k' => Some((Decimal::from(1_000), 'k')),
        _ => None,
    }
}

/// Whether a figure carries its unit as a letter: "£2m", "1.5k", "(3k)".
pub fn unit_suffix(text: &str) -> bool {
    let t = text.trim().trim_end_matches([')', '*']).trim_end();
    t.ends_with(['k', 'K', 'm', 'M']) && t.bytes().any(|b| b.is_ascii_digit())
}

/// Why a figure with both brackets and a minus sign is refused.
pub const NEGATIVE_TWICE: &str = "negative twice (brackets and a minus, or two pairs of brackets)";

/// Why "0,125" is refused: no figure grouped in thousands starts with 0;
/// in a semicolon-separated file the comma is a decimal comma (0.125).
pub const ZERO_THOUSANDS: &str = "a thousands comma after a leading 0: if it is a decimal comma, write a point (0.125, not 0,125)";

/// Digits whose first thousands group is all zeros: "0,125", "000,001".
pub fn zero_thousands(digits: &str) -> bool {
    let first = digits.split(',').next().unwrap_or_default();
    digits.contains(',') && !first.is_empty() && first.bytes().all(|b| b == b'0')
}

fn strip_minus(s: &str) -> (&str, bool) {
    for m in ['-', '−', '–'] {
        if let Some(rest) = s.strip_prefix(m) {
            return (rest, true);
        }
    }
    (s, false)
}

/// Digits with optional thousands commas (in groups of three) and one decimal
/// point. Rejects anything else so that "1,23" or "12.3.4" is not guessed at.
fn parse_plain_number(s: &str) -> Option<Decimal> {
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(|f| f.is_empty()) {
        return None;
    }
    let mut plain = String::with_capacity(s.len());
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first = groups[0];
        if first.is_empty() || first.len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    for c in int_part.chars().filter(|c| *c != ',') {
        if !c.is_ascii_digit() {
            return None;
        }
        plain.push(c);
    }
    if plain.is_empty() {
        plain.push('0');
    }
    if let Some(f) = frac_part {
        if !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // Trailing zeros add no value but can push a large figure past
        // Decimal's 28 digits (the fuzzer found "£…555.00").
        let f = f.trim_end_matches('0');
        if !f.is_empty() {
            plain.push('.');
            plain.push_str(f);
        }
    }
    Decimal::from_str_exact(&plain).ok()
}

/// Parses a percentage as printed: "19.7%", "12.79", "-3%". The value is in
/// percent units (19.7 means 19.7 %).
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let t = text.trim().trim_end_matches('*').trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    let (t, neg) = strip_minus(t);
    let v = parse_plain_number(t)?;
    Some(if neg { -v } else { v })
}

/// Converts a spreadsheet float to Decimal through its shortest round-trip
/// text, so 0.1 + 0.2 stored as 0.30000000000000004 is not what we keep for a
/// cell typed as 0.3, and 1178170 stays exactly 1178170.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if let Some(d) = pennies_from_f64(f) {
        return Some(d);
    }
    // Rust's `Display` for f64 prints the shortest string that round-trips,
    // never in exponent form.
    let s = format!("{f}");
    Decimal::from_str_exact(&s).ok().or_else(|| {
        // Too many digits for Decimal's 28: keep what fits, rounded.
        Decimal::from_str(&s).ok()
    })
}

/// The fast path of `decimal_from_f64` for what spreadsheets mostly hold,
/// whole pounds and pence: f is c / 100 for a whole c, and below 10^12 a
/// float's neighbours are closer than 0.0002, so no decimal of fewer digits
/// round-trips to it and c / 100 is its shortest text. None otherwise.
fn pennies_from_f64(f: f64) -> Option<Decimal> {
    // (Zero is left to the plain way, which keeps -0's sign.)
    if f == 0.0 || f.abs() >= 1e12 {
        return None;
    }
    let c = (f * 100.0).round();
    (c / 100.0 == f).then(|| Decimal::new(c as i64, 2).normalize())
}

/// Rounds half away from zero to `dp` decimal places. For display only.
pub fn round_dp(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// How a negative figure is shown in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Negatives {
    /// (£1,234): the accountant's convention.
    #[default]
    Brackets,
    /// -£1,234
    Minus,
}

/// Digits of `d` rounded to `dp` places, with thousands separators, no sign.
pub fn group_thousands(d: Decimal, dp: u32) -> String {
    let r = round_dp(d.abs(), dp);
    let s = format!("{:.*}", dp as usize, r);
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let bytes = int_part.as_bytes();
    let mut out = String::with_capacity(int_part.len() + int_part.len() / 3 + 4);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*b as char);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

fn signed(body: String, negative: bool, neg: Negatives) -> String {
    match (negative, neg) {
        (false, _) => body,
        (true, Negatives::Brackets) => format!("({body})"),
        (true, Negatives::Minus) => format!("-{body}"),
    }
}

fn is_negative_at(d: Decimal, dp: u32) -> bool {
    round_dp(d, dp).is_sign_negative() && !round_dp(d, dp).is_zero()
}

/// £1,234 / (£1,234) / £1,234.56
pub fn format_pounds(d: Decimal, dp: u32, neg: Negatives) -> String {
    signed(
        format!("£{}", group_thousands(d, dp)),
        is_negative_at(d, dp),
        neg,
    )
}

/// £9.83m
pub fn format_millions(d: Decimal, dp: u32, neg: Negatives) -> String {
    let m = d / Decimal::from(1_000_000);
    signed(
        format!("£{}m", group_thousands(m, dp)),
        is_negative_at(m, dp),
        neg,
    )
}

/// 19.7%
pub fn format_percent(pct: Decimal, dp: u32, neg: Negatives) -> String {
    signed(
        format!("{}%", group_thousands(pct, dp)),
        is_negative_at(pct, dp),
        neg,
    )
}

/// Plain machine form for CSV: no £, no separators, minus sign.
pub fn format_plain(d: Decimal, dp: u32) -> String {
    let r = round_dp(d, dp);
    let r = if r.is_zero() { Decimal::ZERO } else { r };
    format!("{:.*}", dp as usize, r)
}

/// Number of decimal places written in a printed figure ("12.79" → 2).
pub fn printed_dp(text: &str) -> u32 {
    let t = text
        .trim()
        .trim_end_matches(['%', '*', 'm', 'M', 'k', 'K', ')']);
    match t.split_once('.') {
        Some((_, f)) => f.chars().take_while(|c| c.is_ascii_digit()).count() as u32,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    /// The plain way of `decimal_from_f64`, without the fast path.
    fn plain(f: f64) -> Option<Decimal> {
        let s = format!("{f}");
        Decimal::from_str_exact(&s)
            .ok()
            .or_else(|| <Decimal as std::str::FromStr>::from_str(&s).ok())
    }

    proptest::proptest! {
        /// Pounds and pence through the fast path are the plain way's
        /// figures, to the digit and the scale.
        #[test]
        fn pennies_fast_path_is_the_plain_way(c in -100_000_000_000_000i64..100_000_000_000_000) {
            let f = c as f64 / 100.0;
            let (a, b) = (super::decimal_from_f64(f), plain(f));
            proptest::prop_assert_eq!(a.map(|d| d.to_string()), b.map(|d| d.to_string()));
        }

        /// Floats near money that are not whole pence.
        #[test]
        fn near_pennies_are_the_plain_way(f in -1e13f64..1e13, c in -1_000_000i64..1_000_000) {
            for f in [f, c as f64 / 1000.0, c as f64 / 100.0 + 1e-9] {
                let (a, b) = (super::decimal_from_f64(f), plain(f));
                proptest::prop_assert_eq!(a.map(|d| d.to_string()), b.map(|d| d.to_string()));
            }
        }

        /// A float's scientific text (as Rust writes it, `{:e}`) reads as
        /// the float's shortest decimal: the same figure by another notation.
        #[test]
        fn scientific_text_is_the_figure(c in -100_000_000_000_000i64..100_000_000_000_000, e in -12i32..2) {
            let f = c as f64 * 10f64.powi(e);
            let (Some(want), Ok(super::Amount::Value(got))) =
                (plain(f), super::parse_amount(&format!("{f:e}")))
            else {
                return Err(proptest::test_runner::TestCaseError::fail(format!("{f:e} not read")));
            };
            proptest::prop_assert_eq!(got.normalize(), want.normalize());
        }

        /// And any float at all.
        #[test]
        fn any_float_is_the_plain_way(bits in proptest::prelude::any::<u64>()) {
            let f = f64::from_bits(bits);
            if f.is_finite() {
                let (a, b) = (super::decimal_from_f64(f), plain(f));
                proptest::prop_assert_eq!(a.map(|d| d.to_string()), b.map(|d| d.to_string()));
            }
        }
    }

    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_largest_amount_is_a_quadrillion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_000i64));
        // The bound that lets Money's arithmetic go unchecked: every cell of
        // the largest file at the largest amount, times the largest factor,
        // is ten thousand times short of Decimal's range.
        let worst = MAX_AMOUNT
            .checked_mul(Decimal::from(5_000_000u64))
            .and_then(|d| d.checked_mul(Decimal::from(1_000)))
            .and_then(|d| d.checked_mul(Decimal::from(10_000)))
            .unwrap();
        assert!(worst < Decimal::MAX);
        assert!(parse_amount("1,000,000,000,000,000").is_ok());
        assert!(parse_amount("1,000,000,000,000,001").is_err());
        assert!(parse_amount("79228162514264337593543950335").is_err());
    }

    #[test]
    fn parses_council_forms() {
        assert_eq!(parse_amount("1,234").unwrap(), Amount::Value(dec!(1234)));
        assert_eq!(
            parse_amount("£1,234.56").unwrap(),
            Amount::Value(dec!(1234.56))
        );
        assert_eq!(parse_amount("(1,234)").unwrap(), Amount::Value(dec!(-1234)));
        // Excel's £#,##0;£(#,##0) exported as shown; negative once only.
        assert_eq!(
            parse_amount("£(1,234.50)").unwrap(),
            Amount::Value(dec!(-1234.50))
        );
        assert_eq!(parse_amount("£ ( 7 )").unwrap(), Amount::Value(dec!(-7)));
        for twice in ["(£(1,234))", "-£(1,234)", "£(1,234"] {
            assert!(parse_amount(twice).is_err(), "{twice}");
        }
        assert_eq!(parse_amount("-1,234").unwrap(), Amount::Value(dec!(-1234)));
        assert_eq!(
            parse_amount("-£149,600").unwrap(),
            Amount::Value(dec!(-149600))
        );
        assert_eq!(
            parse_amount("£9.83m").unwrap(),
            Amount::Value(dec!(9830000))
        );
        assert_eq!(
            parse_amount("N/A").unwrap(),
            Amount::NotApplicable("N/A".into())
        );
        assert_eq!(
            parse_amount("-").unwrap(),
            Amount::NotApplicable("-".into())
        );
        assert_eq!(parse_amount("  ").unwrap(), Amount::Blank);
        assert_eq!(parse_amount("tbc").unwrap(), Amount::ToBeConfirmed);
        assert_eq!(parse_amount("6*").unwrap(), Amount::Value(dec!(6)));
        // Scientific notation, as a float saved as text writes it: read as
        // ledgers read it. 1.5 × 10^3 = 1,500; 6.82121 × 10^-13 keeps its digits.
        assert_eq!(parse_amount("1.5E+03").unwrap(), Amount::Value(dec!(1500)));
        assert_eq!(parse_amount("-£2e3").unwrap(), Amount::Value(dec!(-2000)));
        assert_eq!(
            parse_amount("6.82121E-13").unwrap(),
            Amount::Value(dec!(0.000000000000682121))
        );
        assert!(
            parse_amount("1e16")
                .unwrap_err()
                .reason
                .starts_with("too large")
        );
    }

    #[test]
    fn rejects_guesses() {
        for bad in [
            "1,23", "12.3.4", "abc", "(12", "£", "1 234", "--5", "1e", "e5", "1,000e3",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn formats_for_reports() {
        assert_eq!(
            format_pounds(dec!(5499737), 0, Negatives::Brackets),
            "£5,499,737"
        );
        assert_eq!(
            format_pounds(dec!(-149600), 0, Negatives::Brackets),
            "(£149,600)"
        );
        assert_eq!(
            format_pounds(dec!(-149600), 0, Negatives::Minus),
            "-£149,600"
        );
        assert_eq!(
            format_pounds(dec!(9686.91), 2, Negatives::Brackets),
            "£9,686.91"
        );
        assert_eq!(
            format_millions(dec!(9827730), 2, Negatives::Brackets),
            "£9.83m"
        );
        assert_eq!(format_percent(dec!(12.775), 1, Negatives::Minus), "12.8%");
        assert_eq!(format_pounds(dec!(-0.4), 0, Negatives::Brackets), "£0");
        assert_eq!(format_plain(dec!(-0.4), 0), "0");
        assert_eq!(round_dp(dec!(2.5), 0), dec!(3));
        assert_eq!(round_dp(dec!(-2.5), 0), dec!(-3));
    }

    #[test]
    fn float_cells_convert_without_binary_error() {
        assert_eq!(decimal_from_f64(1178170.0), Some(dec!(1178170)));
        assert_eq!(decimal_from_f64(0.1), Some(dec!(0.1)));
        assert_eq!(decimal_from_f64(9686.91), Some(dec!(9686.91)));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn large_figures_with_pence_parse() {
        // The fuzzer's case: trailing zeros no longer push the figure past
        // Decimal's 28 digits, and a figure this size is refused, not parsed.
        let big = "£65,553,655,555,555,555,555,555,555,555.00";
        assert!(
            parse_amount(big)
                .unwrap_err()
                .reason
                .starts_with("too large")
        );
        assert_eq!(
            parse_amount("£655,555,555,555,555.00").unwrap(),
            Amount::Value(Decimal::from_str_exact("655555555555555").unwrap())
        );
    }

    #[test]
    fn printed_precision() {
        assert_eq!(printed_dp("12.79"), 2);
        assert_eq!(printed_dp("19.7%"), 1);
        assert_eq!(printed_dp("£9.83m"), 2);
        assert_eq!(printed_dp("1,178,170"), 0);
    }
}
