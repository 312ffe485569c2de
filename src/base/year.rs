//! Financial years, written "2019/20": April 2019 to March 2020.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Year(pub i32);

impl Year {
    /// Accepts "2019/20", "2013-14" and "2013/2014"; the two halves must be
    /// consecutive years.
    pub fn parse(s: &str) -> Option<Year> {
        let s = s.trim();
        let (a, b) = s.split_once(['/', '-'])?;
        let start: i32 = a.trim().parse().ok()?;
        if a.trim().len() != 4 || !(1900..=2199).contains(&start) {
            return None;
        }
        let b = b.trim();
        let end: i32 = b.parse().ok()?;
        let ok = match b.len() {
            2 => end == (start + 1) % 100,
            4 => end == start + 1,
            _ => false,
        };
        ok.then_some(Year(start))
    }

    pub fn next(self) -> Year {
        Year(self.0 + 1)
    }

    pub fn offset(self, n: i32) -> Year {
        Year(self.0 + n)
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Year::parse("2013/14"), Some(Year(2013)));
        assert_eq!(Year::parse("2099/00"), Some(Year(2099)));
        assert_eq!(Year::parse("2013-2014"), Some(Year(2013)));
        assert_eq!(Year::parse("2013/15"), None);
        assert_eq!(Year::parse("13/14"), None);
        assert_eq!(Year(2013).to_string(), "2013/14");
        assert_eq!(Year(2099).to_string(), "2099/00");
    }
}
