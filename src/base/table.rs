//! The shape every computed table takes: labelled rows of typed, traced
//! cells. Calculations build these; `report` renders them.

use crate::base::money::Money;
use crate::base::trace::{Origin, Trace};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Value {
    Text {
        text: String,
    },
    /// Pounds, shown to `dp` places (0 for whole pounds, 2 for pence).
    Money {
        amount: Decimal,
        dp: u32,
    },
    /// Pounds shown in millions: £9.83m.
    Millions {
        amount: Decimal,
        dp: u32,
    },
    /// Percent units (19.7 means 19.7 %), exact; rounded for display only.
    Percent {
        value: Decimal,
        dp: u32,
    },
    /// A difference of two percentages, in percentage points (shown "2.5 pp").
    Points {
        value: Decimal,
        dp: u32,
    },
    /// A plain quantity: staff, counts, ratios, factors.
    Number {
        value: Decimal,
        dp: u32,
    },
    /// Not applicable, shown as written ("N/A", "-", "tbc", "none").
    NotApplicable {
        label: String,
    },
    Empty,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text { text: s.into() }
    }
    pub fn money(m: Money) -> Value {
        Value::Money {
            amount: m.dec(),
            dp: 0,
        }
    }
    pub fn money_dp(m: Money, dp: u32) -> Value {
        Value::Money {
            amount: m.dec(),
            dp,
        }
    }
    pub fn pct(value: Decimal, dp: u32) -> Value {
        Value::Percent { value, dp }
    }
    pub fn points(value: Decimal, dp: u32) -> Value {
        Value::Points { value, dp }
    }
    pub fn num(value: Decimal, dp: u32) -> Value {
        Value::Number { value, dp }
    }
    pub fn na(label: impl Into<String>) -> Value {
        Value::NotApplicable {
            label: label.into(),
        }
    }

    /// The exact figure behind the cell, if it has one.
    pub fn figure(&self) -> Option<Decimal> {
        match self {
            Value::Money { amount, .. } | Value::Millions { amount, .. } => Some(*amount),
            Value::Percent { value, .. }
            | Value::Points { value, .. }
            | Value::Number { value, .. } => Some(*value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub value: Value,
    pub trace: Trace,
}

impl Cell {
    pub fn label(s: impl Into<String>) -> Cell {
        Cell {
            value: Value::text(s),
            trace: Trace::Label,
        }
    }
    pub fn input(value: Value, origin: Origin) -> Cell {
        Cell {
            value,
            trace: Trace::Input(origin),
        }
    }
    pub fn rule(value: Value, rule: impl Into<String>) -> Cell {
        Cell {
            value,
            trace: Trace::Rule(rule.into()),
        }
    }
    pub fn empty() -> Cell {
        Cell {
            value: Value::Empty,
            trace: Trace::Label,
        }
    }
    pub fn traced(value: Value, trace: Trace) -> Cell {
        Cell { value, trace }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A total or subtotal: bold in reports.
    pub total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Command-line name: "budget-breakdown".
    pub name: String,
    pub title: String,
    pub columns: Vec<String>,
    /// How many leading columns are row labels (the row's key).
    pub key_cols: usize,
    pub rows: Vec<Row>,
    /// One line stating the headline figure, for report commentary.
    pub headline: String,
    /// Footnotes: assumptions, sources, differences from the published table.
    pub notes: Vec<String>,
    /// The charts that illustrate it, declared by whatever builds it.
    #[serde(skip)]
    pub charts: Vec<crate::base::chart::Chart>,
}

impl Table {
    /// Shows its pounds with pence when any of them has pence (at two
    /// places): a model amount of £1,000.40 is not shown as £1,000 beside
    /// a total that counts its 40p, and every row still adds up as shown.
    pub fn pence_if_any(&mut self) {
        let cells = || self.rows.iter().flat_map(|r| &r.cells);
        let has_pence = cells().any(|c| match &c.value {
            Value::Money { amount, dp: 0 } => !amount.round_dp(2).fract().is_zero(),
            _ => false,
        });
        if !has_pence {
            return;
        }
        for c in self.rows.iter_mut().flat_map(|r| &mut r.cells) {
            if let Value::Money { dp: dp @ 0, .. } = &mut c.value {
                *dp = 2;
            }
        }
    }

    /// A note when a money column's rows, as shown, do not add up to its
    /// total as shown (each figure is rounded from its exact amount, the
    /// total from the exact sum): "PV costs rows add to £2,141,397, the
    /// total £2,141,396". Only
    /// for a table ending in its one total row, and only where the gap is
    /// within what rounding can make (a total that is not a sum is left).
    pub fn rounding_note(&mut self) {
        let Some((last, rows)) = self.rows.split_last() else {
            return;
        };
        if !last.total || rows.len() < 2 || rows.iter().any(|r| r.total) {
            return;
        }
        let mut gaps = Vec::new();
        for (c, name) in self.columns.iter().enumerate().skip(self.key_cols) {
            let Value::Money { amount: total, dp } = last.cells[c].value else {
                continue;
            };
            let shown = |d: Decimal| crate::base::money::round_dp(d, dp);
            let mut sum = Decimal::ZERO;
            for r in rows {
                match r.cells[c].value {
                    Value::Money { amount, .. } => sum += shown(amount),
                    Value::Empty | Value::NotApplicable { .. } => {}
                    _ => return,
                }
            }
            let unit = Decimal::new(1, dp);
            let gap = (sum - shown(total)).abs();
            if !gap.is_zero() && gap <= unit * Decimal::from(rows.len()) / Decimal::TWO {
                let f = |d| crate::base::money::format_pounds(d, dp, Default::default());
                gaps.push(format!(
                    "{name} rows add to {}, the total {}",
                    f(sum),
                    f(total)
                ));
            }
        }
        if !gaps.is_empty() {
            self.notes.push(format!(
                "Each figure is rounded from its exact amount, and each total from the exact sum, so shown figures may not add up exactly: {}.",
                gaps.join("; ")
            ));
        }
    }

    pub fn new(name: &str, title: impl Into<String>, columns: &[&str], key_cols: usize) -> Table {
        Table {
            name: name.to_string(),
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            key_cols,
            rows: Vec::new(),
            headline: String::new(),
            notes: Vec::new(),
            charts: Vec::new(),
        }
    }

    pub fn push(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(
            cells.len(),
            self.columns.len(),
            "row width in {}",
            self.name
        );
        self.rows.push(Row {
            cells,
            total: false,
        });
    }

    pub fn push_total(&mut self, cells: Vec<Cell>) {
        debug_assert_eq!(
            cells.len(),
            self.columns.len(),
            "row width in {}",
            self.name
        );
        self.rows.push(Row { cells, total: true });
    }

    /// The row key as the published-figures sheet writes it: label cells
    /// joined with " / ", blanks left out.
    pub fn row_key(&self, row: &Row) -> String {
        row.cells[..self.key_cols]
            .iter()
            .filter_map(|c| match &c.value {
                Value::Text { text } if !text.is_empty() => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The cell at a row key and column name (both case-insensitive).
    pub fn find(&self, row_key: &str, column: &str) -> Option<&Cell> {
        let col = self
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column.trim()))?;
        self.rows
            .iter()
            .find(|r| self.row_key(r).eq_ignore_ascii_case(row_key.trim()))
            .map(|r| &r.cells[col])
    }
}

/// A cell's figure, placed on a picture (0 where it has none).
pub fn at(v: &Value) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    v.figure().and_then(|d| d.to_f64()).unwrap_or(0.0)
}

/// The files the tables' input figures were read from, sorted, once each:
/// a report's source line.
pub fn input_files(tables: &[Table]) -> Vec<String> {
    let mut v: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
        .filter_map(|c| match &c.trace {
            crate::base::trace::Trace::Input(o) => o.file().map(str::to_string),
            _ => None,
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod rounding_tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn table(rows: &[Decimal], total: Decimal) -> Table {
        let mut t = Table::new("t", "T", &["Case", "PV costs"], 1);
        let money = |d| Cell::rule(Value::money(Money(d)), "test");
        for r in rows {
            t.push(vec![Cell::label("a"), money(*r)]);
        }
        t.push_total(vec![Cell::label("Total"), money(total)]);
        t
    }

    /// £161,545.70 + £1,772,000 + £207,850.79 = £2,141,396.49: shown
    /// £161,546 + £1,772,000 + £207,851 = £2,141,397 over a total shown
    /// £2,141,396, which the note says; rows that add up get no note, nor
    /// a total £5 off (not a sum, not rounding).
    #[test]
    fn a_column_that_does_not_add_as_shown_is_noted() {
        let mut t = table(
            &[dec!(161545.70), dec!(1772000), dec!(207850.79)],
            dec!(2141396.49),
        );
        t.rounding_note();
        assert_eq!(
            t.notes,
            [
                "Each figure is rounded from its exact amount, and each total from the exact sum, so shown figures may not add up exactly: PV costs rows add to £2,141,397, the total £2,141,396."
            ]
        );
        let mut t = table(&[dec!(1), dec!(2)], dec!(3));
        t.rounding_note();
        assert!(t.notes.is_empty());
        let mut t = table(&[dec!(1), dec!(2)], dec!(8));
        t.rounding_note();
        assert!(t.notes.is_empty());
    }
}
