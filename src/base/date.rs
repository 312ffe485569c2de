//! Dates as councils' files write them, and the months of a financial year.
//!
//! Day-first only: "03/07/2017" is 3 July, as in every UK council file; a
//! US-style month-first date would be misread, so a day above 12 in the
//! second place is refused rather than guessed.

use std::fmt;

/// A calendar month, counted from year 0 (`year * 12 + month - 1`), so
/// months compare and subtract as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub u32);

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The months `Month` holds, as its errors say them.
pub const MONTH_RANGE: &str = "1900-01 to 2199-12";

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=2199).contains(&year))
            .then(|| Month(year as u32 * 12 + month - 1))
    }
    pub fn year(self) -> i32 {
        (self.0 / 12) as i32
    }
    /// 1 = January.
    pub fn number(self) -> u32 {
        self.0 % 12 + 1
    }
    pub fn short_name(self) -> &'static str {
        MONTHS[(self.0 % 12) as usize]
    }
    /// "2024-07" (as `--period` takes it).
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for Month {
    /// "Jul 2024".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.short_name(), self.year())
    }
}

/// The month of a date as ledgers write it: `31/03/2025`, `31/03/25`,
/// `31-03-2025`, `31.03.2025`, `2025-03-31` (with or without a time after
/// it, as Excel and databases add), `31 Mar 2025`, `31-Mar-25`,
/// `31 March 2025`. None for anything else, including impossible days.
pub fn month_of(text: &str) -> Option<Month> {
    let t = text.trim();
    // A time after the date ("2017-07-03 00:00:00", "2017-07-03T00:00").
    let date = t.split([' ', 'T']).next().unwrap_or(t);
    if let Some(m) = iso(date) {
        return Some(m);
    }
    if let Some(m) = numeric_day_first(date) {
        return Some(m);
    }
    named_month(t)
}

fn year_of(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    match y.len() {
        4 => Some(n),
        // Two-digit years in ledgers are this century's.
        2 => Some(2000 + n),
        _ => None,
    }
}

fn valid(year: i32, month: u32, day: u32) -> Option<Month> {
    let days = match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day).then_some(())?;
    Month::new(year, month)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn iso(s: &str) -> Option<Month> {
    let mut p = s.split('-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() || y.len() != 4 || ![y, m, d].iter().all(|x| digits(x)) {
        return None;
    }
    valid(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn numeric_day_first(s: &str) -> Option<Month> {
    let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut p = s.split(sep);
    let (d, m, y) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() || d.len() > 2 || m.len() > 2 || ![d, m, y].iter().all(|x| digits(x)) {
        return None;
    }
    valid(year_of(y)?, m.parse().ok()?, d.parse().ok()?)
}

fn named_month(s: &str) -> Option<Month> {
    let parts: Vec<&str> = s.split([' ', '-', '/']).filter(|p| !p.is_empty()).collect();
    let [d, name, y] = parts[..] else {
        return None;
    };
    let m = month_word(name)?;
    if !digits(d) || d.len() > 2 || !digits(y) {
        return None;
    }
    valid(year_of(y)?, m, d.parse().ok()?)
}

/// The month (1 = January) a word names: its first three letters or more
/// of its name, any case ("Mar", "march", "Sept").
pub fn month_word(word: &str) -> Option<u32> {
    let name = word.to_ascii_lowercase();
    let m = MONTHS
        .iter()
        .position(|n| name.len() >= 3 && n.to_ascii_lowercase().starts_with(&name[..3]))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][m];
    if name.len() > 3 && !(full.starts_with(&name) || name == "sept") {
        return None;
    }
    Some(m as u32 + 1)
}

/// A ledger's period number as written: `4`, `04`, `4.0`, `P4`, `P04`,
/// `Period 4`. Periods 13 to 16 (year-end adjustments, posted after March
/// in ledgers that keep them apart) count in period 12, the year's last
/// month; period 0 (opening balances) is not a month and is refused.
pub fn period_number(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    let prefixed = t
        .strip_prefix("period")
        .or_else(|| t.strip_prefix("per"))
        .or_else(|| t.strip_prefix('p'));
    let t = match prefixed {
        Some(rest) => rest.trim_start_matches([' ', '.', '-']),
        None => &t,
    };
    let t = t.strip_suffix(".0").unwrap_or(t);
    if !digits(t) || t.len() > 2 {
        return None;
    }
    match t.parse::<u32>().ok()? {
        p @ 1..=12 => Some(p),
        13..=16 => Some(12),
        _ => None,
    }
}

/// A financial year's calendar: the year starting in `first` (a month)
/// and the eleven after it. Period 1 is `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinancialYear {
    pub first: Month,
}

impl FinancialYear {
    /// The financial year holding `m`, when years start in month `start`
    /// (4 = April, the UK public sector's year).
    pub fn holding(m: Month, start: u32) -> FinancialYear {
        let back = (m.number() + 12 - start) % 12;
        FinancialYear {
            first: Month(m.0 - back),
        }
    }
    /// 1..=12 for a month in the year, None outside it.
    pub fn period(self, m: Month) -> Option<u32> {
        (m >= self.first && m.0 < self.first.0 + 12).then(|| m.0 - self.first.0 + 1)
    }
    pub fn month(self, period: u32) -> Month {
        Month(self.first.0 + period - 1)
    }
    /// "2030/31" for a year starting in April 2030; "2030" for a calendar year.
    pub fn label(self) -> String {
        if self.first.number() == 1 {
            self.first.year().to_string()
        } else {
            crate::base::year::Year(self.first.year()).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> Option<(i32, u32)> {
        month_of(s).map(|m| (m.year(), m.number()))
    }

    #[test]
    fn dates_as_ledgers_write_them() {
        assert_eq!(ym("09/07/2012"), Some((2012, 7)));
        assert_eq!(ym("2017-07-03 00:00:00"), Some((2017, 7)));
        assert_eq!(ym("6 Jun 2023"), Some((2023, 6)));
        assert_eq!(ym("01/10/24"), Some((2024, 10)));
        assert_eq!(ym("31-Mar-25"), Some((2025, 3)));
        assert_eq!(ym("1 September 2024"), Some((2024, 9)));
        assert_eq!(ym("1 Sept 2024"), Some((2024, 9)));
        assert_eq!(ym("29/02/2024"), Some((2024, 2)));
        assert_eq!(ym("29/02/2023"), None);
        assert_eq!(
            ym("07/31/2024"),
            None,
            "month-first is refused, not guessed"
        );
        assert_eq!(ym("2024-13-01"), None);
        assert_eq!(ym("Marchish"), None);
        assert_eq!(ym(""), None);
        assert_eq!(ym("1 Marchh 2024"), None);
        assert_eq!(ym("1 Marc 2024"), Some((2024, 3)));
    }

    #[test]
    fn period_numbers_as_ledgers_write_them() {
        for (t, p) in [
            ("4", 4),
            ("04", 4),
            ("4.0", 4),
            ("P4", 4),
            ("p04", 4),
            ("Period 12", 12),
        ] {
            assert_eq!(period_number(t), Some(p), "{t}");
        }
        assert_eq!(
            period_number("13"),
            Some(12),
            "year-end adjustments count in March"
        );
        assert_eq!(period_number("16"), Some(12));
        for t in ["0", "17", "", "P", "4a", "-4", "100"] {
            assert_eq!(period_number(t), None, "{t}");
        }
    }

    #[test]
    fn financial_years() {
        let jul = Month::new(2024, 7).unwrap();
        let fy = FinancialYear::holding(jul, 4);
        assert_eq!(fy.first, Month::new(2024, 4).unwrap());
        assert_eq!(fy.period(jul), Some(4));
        assert_eq!(fy.period(Month::new(2025, 3).unwrap()), Some(12));
        assert_eq!(fy.period(Month::new(2025, 4).unwrap()), None);
        assert_eq!(fy.period(Month::new(2024, 3).unwrap()), None);
        assert_eq!(fy.label(), "2024/25");
        let feb = Month::new(2025, 2).unwrap();
        assert_eq!(FinancialYear::holding(feb, 4).label(), "2024/25");
        assert_eq!(FinancialYear::holding(feb, 1).label(), "2025");
        assert_eq!(Month::parse("2024-07"), Some(jul));
        assert_eq!(Month::parse("2024-7"), Some(jul));
        assert_eq!(Month::parse("07-2024"), None);
        assert_eq!(jul.to_string(), "Jul 2024");
    }
}
