//! Figures as an officer types them into a draft: £1,234, (£1,234), -£20k,
//! £1.45m, 12.3%, 1,234.56; and financial years (2030/31), which are not
//! figures but can go stale.

use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Pounds,
    Thousands,
    Millions,
    Percent,
    /// A bare number: pounds in a table of pounds, or a count.
    Plain,
}

/// A figure found in a draft's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub text: String,
    /// In its own unit (1.45 for £1.45m).
    pub value: Decimal,
    /// Places printed after the point.
    pub dp: u32,
    pub unit: Unit,
    pub start: usize,
    pub end: usize,
}

impl Figure {
    /// Whether `v` (pounds, or percent units for a percentage) shows as this
    /// figure at its printed precision.
    pub fn shows(&self, v: Decimal) -> bool {
        let scaled = match self.unit {
            Unit::Thousands => v / Decimal::from(1_000),
            Unit::Millions => v / Decimal::from(1_000_000),
            _ => v,
        };
        crate::base::money::round_dp(scaled, self.dp) == self.value
    }
}

/// A financial year such as 2030/31 at `start..end` of the text.
pub fn years(text: &str) -> Vec<(String, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 7 <= b.len() {
        let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        let fresh = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if fresh
            && (0..4).all(|k| digit(i + k))
            && b[i + 4] == b'/'
            && digit(i + 5)
            && digit(i + 6)
            && !digit(i + 7)
        {
            out.push((text[i..i + 7].to_string(), i, i + 7));
            i += 7;
        } else {
            i += 1;
        }
    }
    out
}

/// Every figure in `text`, in order; financial years are skipped.
pub fn figures(text: &str) -> Vec<Figure> {
    let years = years(text);
    // The next year at or after `i`, in order: a search of every year at
    // every byte made a long paragraph of dated sentences quadratic.
    let mut next_year = years.iter().peekable();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while next_year.next_if(|(_, s, _)| *s < i).is_some() {}
        if let Some(&&(_, _, end)) = next_year.peek().filter(|(_, s, _)| *s == i) {
            i = end;
            continue;
        }
        let starts =
            matches!(b[i], b'(' | b'-') || b[i].is_ascii_digit() || text[i..].starts_with('£');
        // Not inside a word, a file name or a longer number.
        let fresh = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b".,-_/".contains(&b[i - 1]));
        if starts
            && fresh
            && !names_a_part(text, i)
            && let Some(f) = figure_at(text, i)
        {
            i = f.end;
            if !in_a_date(text, &f) {
                out.push(f);
            }
            continue;
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Whether `f` is the day or year of a date written in words ("12 July
/// 2007", "March 2025"): no figure, though the year of a report's dated
/// introduction was listed as found in no table. A day (1 to 31) comes
/// before its month and a year (four digits) after it, as a UK report
/// writes them: "April 37 staff" and "99 Mar" are figures.
fn in_a_date(text: &str, f: &Figure) -> bool {
    let month = |w: &str| crate::base::date::month_word(w.trim_end_matches('.')).is_some();
    if f.unit != Unit::Plain || f.dp != 0 || !f.text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let n: u32 = f.text.parse().unwrap_or(0);
    let before = text[..f.start]
        .strip_suffix(' ')
        .and_then(|b| b.rsplit(' ').next());
    let after = text[f.end..]
        .strip_prefix(' ')
        .and_then(|a| a.split([' ', ',']).next());
    let year = f.text.len() == 4 && (1900..2200).contains(&n) && before.is_some_and(month);
    let day = f.text.len() <= 2 && (1..=31).contains(&n) && after.is_some_and(month);
    year || day
}

/// Whether the number at byte `i` numbers a part of the document ("Table
/// 6", "Figure 7", "page 12"): no figure of the report, though it was
/// listed as found in no table.
fn names_a_part(text: &str, i: usize) -> bool {
    const PARTS: [&str; 10] = [
        "table",
        "figure",
        "chart",
        "appendix",
        "annex",
        "page",
        "section",
        "paragraph",
        "note",
        "step",
    ];
    let before = text[..i].strip_suffix(' ').unwrap_or(&text[..i]);
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default()
        .to_lowercase();
    text.as_bytes()[i].is_ascii_digit() && before.len() < i && PARTS.contains(&word.as_str())
}

/// The figure starting at byte `i`, if one does.
fn figure_at(text: &str, i: usize) -> Option<Figure> {
    let mut j = i;
    let rest = |j: usize| &text[j..];
    let mut negative = false;
    let mut bracket = false;
    if rest(j).starts_with('(') {
        bracket = true;
        j += 1;
    } else if rest(j).starts_with('-') {
        negative = true;
        j += 1;
    }
    let pound = rest(j).starts_with('£');
    if pound {
        j += '£'.len_utf8();
    }
    let digits_start = j;
    let b = text.as_bytes();
    while j < b.len()
        && (b[j].is_ascii_digit() || (b[j] == b',' && b.get(j + 1).is_some_and(u8::is_ascii_digit)))
    {
        j += 1;
    }
    if j == digits_start {
        return None;
    }
    let mut dp = 0;
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
            dp += 1;
        }
    }
    let number: String = text[digits_start..j]
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let mut unit = if pound { Unit::Pounds } else { Unit::Plain };
    let suffix = rest(j);
    if suffix.starts_with('%') {
        unit = Unit::Percent;
        j += 1;
    } else if pound
        && suffix.starts_with('m')
        && !suffix[1..].starts_with(|c: char| c.is_alphabetic())
    {
        unit = Unit::Millions;
        j += 1;
    } else if pound
        && suffix.starts_with('k')
        && !suffix[1..].starts_with(|c: char| c.is_alphabetic())
    {
        unit = Unit::Thousands;
        j += 1;
    }
    if bracket {
        if !rest(j).starts_with(')') {
            return None;
        }
        j += 1;
        negative = true;
    }
    // A bracket or minus with no £ before a bare number is not a figure's sign.
    if (bracket || negative) && unit == Unit::Plain {
        return None;
    }
    let mut value: Decimal = number.parse().ok()?;
    if negative {
        value = -value;
    }
    Some(Figure {
        text: text[i..j].to_string(),
        value,
        dp,
        unit,
        start: i,
        end: j,
    })
}

/// The text with each figure and year replaced by `#`: paragraphs of the
/// same shape say the same thing with (perhaps) other figures or years.
pub fn shape(text: &str) -> String {
    let mut spans: Vec<(usize, usize)> = figures(text).iter().map(|f| (f.start, f.end)).collect();
    spans.extend(years(text).iter().map(|(_, s, e)| (*s, *e)));
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in spans {
        out.push_str(&text[at..s]);
        out.push('#');
        at = e;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `figures` as it was, searching every year at every byte.
    fn figures_plain(text: &str) -> Vec<Figure> {
        let years = years(text);
        let b = text.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < b.len() {
            if let Some(&(_, _, end)) = years.iter().find(|(_, s, _)| *s == i) {
                i = end;
                continue;
            }
            let starts =
                matches!(b[i], b'(' | b'-') || b[i].is_ascii_digit() || text[i..].starts_with('£');
            let fresh =
                i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b".,-_/".contains(&b[i - 1]));
            if starts
                && fresh
                && let Some(f) = figure_at(text, i)
            {
                i = f.end;
                out.push(f);
                continue;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    proptest::proptest! {
        /// The figures found with the years taken in order are those found
        /// by searching them all, over prose of figures, years and words.
        #[test]
        fn figures_are_the_plain_ways(parts in proptest::collection::vec(0u8..8, 0..40)) {
            let text: String = parts
                .iter()
                .map(|p| ["£9.83m ", "2011/12 ", "in ", "(£3,400)", "17.8% ", "2012/13.", "-5 ", "£"][*p as usize])
                .collect();
            proptest::prop_assert_eq!(figures(&text), figures_plain(&text));
        }
    }

    fn one(s: &str) -> (Decimal, u32, Unit) {
        let f = figures(s);
        assert_eq!(f.len(), 1, "{s}: {f:?}");
        (f[0].value, f[0].dp, f[0].unit)
    }

    #[test]
    fn figures_as_officers_type_them() {
        assert_eq!(
            one("saved £1,234 in"),
            (Decimal::from(1234), 0, Unit::Pounds)
        );
        assert_eq!(one("(£20,000)"), (Decimal::from(-20000), 0, Unit::Pounds));
        assert_eq!(one("-£20k"), (Decimal::from(-20), 0, Unit::Thousands));
        assert_eq!(one("£1.45m"), (Decimal::new(145, 2), 2, Unit::Millions));
        assert_eq!(one("up 12.3%"), (Decimal::new(123, 1), 1, Unit::Percent));
        assert_eq!(
            one("a score of 2.72"),
            (Decimal::new(272, 2), 2, Unit::Plain)
        );
        assert!(figures("in 2030/31 and 2031/32").is_empty());
        // Numbers of the document's parts are no figures; a figure after
        // such a word with no space between is not taken for one.
        assert!(figures("Table 6: savings, Figure 7 and page 12").is_empty());
        assert_eq!(figures("Table 6 shows £8,421 in 3 years").len(), 2);
        assert_eq!(years("from 2030/31 to 2031/32").len(), 2);
        assert!(figures("ICT2").is_empty());
        assert_eq!(figures("£1,312,270 and £626,590").len(), 2);
        let f = &figures("£1.45m")[0];
        assert!(f.shows(Decimal::from(1_447_950)));
        assert!(!f.shows(Decimal::from(1_444_950)));
        assert_eq!(shape("NPV £358,028, payback 2032/33."), "NPV #, payback #.");
        assert!(figures("fixtures/report-2030-31.xlsx").is_empty());
        // The day and year of a date in words are no figures; a count
        // beside another word is.
        assert!(figures("Recomputed from the report of 12 July 2007, Appendix 1.").is_empty());
        assert_eq!(
            figures("as at 31 Mar. 2025 it held £8,421")[0].text,
            "£8,421"
        );
        assert_eq!(figures("12 of 30 in May, £500 in June 2030").len(), 3);
        // Not a day or year where one stands: each is a figure.
        let texts = |s: &str| figures(s).into_iter().map(|f| f.text).collect::<Vec<_>>();
        assert_eq!(texts("Since April 37 staff"), ["37"]);
        assert_eq!(texts("On 1 May 37 staff work"), ["37"]);
        assert_eq!(
            texts("Savings were 99 Mar 2026; 100 Dec; 32 June"),
            ["99", "100", "32"]
        );
        assert_eq!(texts("In May 2040 and March 1850"), ["1850"]);
    }
}
