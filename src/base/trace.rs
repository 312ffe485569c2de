//! Where a figure came from: a spreadsheet cell, a CSV field, a model key, or
//! the rule that derived it. Every figure in every table carries one.

use serde::Serialize;
use std::fmt;

/// The place an input figure was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A spreadsheet cell, 0-based row and column.
    Cell {
        file: String,
        sheet: String,
        row: u32,
        col: u32,
    },
    /// A CSV field: 1-based physical line, 0-based column.
    Csv { file: String, line: u64, col: u32 },
    /// A value written inline in a model file: its key and the line it is
    /// on (0: none, a default).
    Model {
        file: String,
        key: String,
        line: u32,
    },
    /// Given on the command line or by a scenario.
    Override { key: String },
    /// The sum of several inputs (a service's budget given by account group).
    Sum { parts: Vec<Origin> },
}

impl Origin {
    /// The line of a model file's key (0: not a model key, or a default).
    pub fn model_line(&self) -> u32 {
        match self {
            Origin::Model { line, .. } => *line,
            _ => 0,
        }
    }

    pub fn file(&self) -> Option<&str> {
        match self {
            Origin::Cell { file, .. } | Origin::Csv { file, .. } | Origin::Model { file, .. } => {
                Some(file)
            }
            Origin::Override { .. } => None,
            Origin::Sum { parts } => parts.first().and_then(Origin::file),
        }
    }

    /// Where a summed figure's parts are, said as briefly as is exact:
    /// "budget.csv, lines 2, 3 and 5, column 4".
    fn fmt_sum(parts: &[Origin], f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let same_csv = parts.windows(2).all(|w| match (&w[0], &w[1]) {
            (
                Origin::Csv {
                    file: a, col: c, ..
                },
                Origin::Csv {
                    file: b, col: d, ..
                },
            ) => a == b && c == d,
            _ => false,
        });
        if let (true, Some(Origin::Csv { file, col, .. })) = (same_csv, parts.first()) {
            let lines: Vec<String> = parts
                .iter()
                .filter_map(|p| match p {
                    Origin::Csv { line, .. } => Some(line.to_string()),
                    _ => None,
                })
                .collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            return write!(
                f,
                "the sum of {file}, lines {}, column {}",
                crate::base::text::and_list(&lines),
                col + 1
            );
        }
        if let Some((file, sheet, cells)) = Origin::one_sheet(parts) {
            return write!(f, "the sum of {file}, sheet {sheet:?}, cells {cells}");
        }
        let all: Vec<String> = parts.iter().map(Origin::to_string).collect();
        write!(f, "the sum of {}", all.join("; "))
    }

    /// Cells of one sheet as a spreadsheet names them: "B2:B11" for a run
    /// down a column or along a row, else "B2, B4 and B7".
    fn one_sheet(parts: &[Origin]) -> Option<(&str, &str, String)> {
        let mut at = Vec::with_capacity(parts.len());
        let (mut file0, mut sheet0) = (None, None);
        for p in parts {
            let Origin::Cell {
                file,
                sheet,
                row,
                col,
            } = p
            else {
                return None;
            };
            if file0.is_some_and(|f| f != file) || sheet0.is_some_and(|s| s != sheet) {
                return None;
            }
            (file0, sheet0) = (Some(file), Some(sheet));
            at.push((*row, *col));
        }
        let (first, last) = (*at.first()?, *at.last()?);
        let run = at.len() > 1
            && at.windows(2).all(|w| {
                (w[1].0 == w[0].0 + 1 && w[1].1 == w[0].1)
                    || (w[1].1 == w[0].1 + 1 && w[1].0 == w[0].0)
            })
            && (first.0 == last.0 || first.1 == last.1);
        let cells = match run {
            true => format!("{}:{}", a1(first.0, first.1), a1(last.0, last.1)),
            false => {
                let names: Vec<String> = at.iter().map(|&(r, c)| a1(r, c)).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                crate::base::text::and_list(&names)
            }
        };
        Some((file0?.as_str(), sheet0?.as_str(), cells))
    }
}

/// "C5" from 0-based row 4, column 2.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Parses "C5" into 0-based (row, col).
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 || row > 1_048_576 || col > 16_384 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// Parses "B2:D4" into 0-based inclusive corners; a single cell is a range too.
pub fn parse_range(s: &str) -> Option<((u32, u32), (u32, u32))> {
    match s.split_once(':') {
        Some((a, b)) => {
            let (r1, c1) = parse_a1(a)?;
            let (r2, c2) = parse_a1(b)?;
            if r2 < r1 || c2 < c1 {
                return None;
            }
            Some(((r1, c1), (r2, c2)))
        }
        None => {
            let p = parse_a1(s)?;
            Some((p, p))
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Cell {
                file,
                sheet,
                row,
                col,
            } => write!(f, "{file}, sheet {sheet:?}, cell {}", a1(*row, *col)),
            Origin::Csv { file, line, col } => {
                write!(f, "{file}, line {line}, column {}", col + 1)
            }
            Origin::Model { file, key, line } => match line {
                0 => write!(f, "{file}, key {key}"),
                n => write!(f, "{file}, line {n}, key {key}"),
            },
            Origin::Override { key } => write!(f, "override {key}"),
            Origin::Sum { parts } => Origin::fmt_sum(parts, f),
        }
    }
}

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Sourced { value, origin }
    }
}

/// Why a table cell holds its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trace {
    /// Read from an input.
    Input(Origin),
    /// Derived by a rule, stated in words ("sum of the rows above").
    Rule(String),
    /// A label or heading, not a figure.
    Label,
}

impl Trace {
    pub fn rule(s: impl Into<String>) -> Trace {
        Trace::Rule(s.into())
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trace::Input(o) => write!(f, "{o}"),
            Trace::Rule(r) => write!(f, "rule: {r}"),
            Trace::Label => write!(f, "label"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_round_trips() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(4, 2), "C5");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(parse_a1("C5"), Some((4, 2)));
        assert_eq!(parse_a1("$AA$1"), Some((0, 26)));
        assert_eq!(parse_a1("5C"), None);
        assert_eq!(parse_range("B2:D4"), Some(((1, 1), (3, 3))));
        assert_eq!(parse_range("D4:B2"), None);
    }
}

#[cfg(test)]
mod sum_tests {
    use super::Origin;

    /// Cells summed in one sheet, as a spreadsheet names them.
    #[test]
    fn summed_cells_are_named_as_a_range_or_a_list() {
        let cell = |row, col| Origin::Cell {
            file: "b.xlsx".into(),
            sheet: "s".into(),
            row,
            col,
        };
        let sum = |parts| Origin::Sum { parts }.to_string();
        assert_eq!(
            sum((0..10).map(|r| cell(r, 0)).collect()),
            "the sum of b.xlsx, sheet \"s\", cells A1:A10"
        );
        assert_eq!(
            sum(vec![cell(1, 1), cell(1, 2), cell(1, 3)]),
            "the sum of b.xlsx, sheet \"s\", cells B2:D2"
        );
        assert_eq!(
            sum(vec![cell(1, 1), cell(3, 1), cell(6, 1)]),
            "the sum of b.xlsx, sheet \"s\", cells B2, B4 and B7"
        );
    }
}
