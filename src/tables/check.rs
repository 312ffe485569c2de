//! Published figures against their recomputation. A published figure that
//! does not follow from its inputs is listed, never corrected.

use crate::base::error::{Error, Result};
use crate::base::money::{self, Amount};
use crate::base::table::{Cell, Table, Value};
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::base::published::PublishedFigure;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub table: String,
    pub row: String,
    pub column: String,
    pub published: String,
    pub recomputed: String,
    /// Recomputed minus published, at the printed precision.
    pub difference: String,
    pub location: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CheckReport {
    pub checked: usize,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// "94 published figures checked; 5 differ.", "1 published figure checked; 1 differs."
    pub fn summary(&self) -> String {
        let (n, d) = (self.checked, self.findings.len());
        format!(
            "{n} published figure{} checked; {d} differ{}.",
            if n == 1 { "" } else { "s" },
            if d == 1 { "s" } else { "" }
        )
    }

    /// The findings as a table of the report (so they print in the Word
    /// document and the workbook too), each named by its table's title;
    /// None when every figure agrees.
    pub fn table(&self, tables: &[Table]) -> Option<Table> {
        if self.findings.is_empty() {
            return None;
        }
        let mut t = Table::new(
            DIFFERENCES,
            "Published figures that differ from their recomputation",
            &[
                "Table",
                "Row",
                "Column",
                "Read from",
                "Published",
                "Recomputed",
                "Difference",
            ],
            4,
        );
        // "181521" and "-479" as a report prints them: "181,521", "(479)".
        let shown = |s: &str| match s.parse::<Decimal>() {
            Ok(d) => {
                let body = money::group_thousands(d, d.scale());
                if d.is_sign_negative() && !d.is_zero() {
                    format!("({body})")
                } else {
                    body
                }
            }
            Err(_) => s.to_string(),
        };
        let text = |s: &str| Cell::rule(Value::text(s), "the check of published figures");
        for f in &self.findings {
            let title = tables
                .iter()
                .find(|t| t.name == f.table)
                .map_or(f.table.as_str(), |t| t.title.as_str());
            t.push(vec![
                text(title),
                text(&f.row),
                text(&f.column),
                text(&format!("{} ({})", f.source, file_name_only(&f.location))),
                text(&shown(&f.published)),
                text(&shown(&f.recomputed)),
                // A difference of percentages is in percentage points.
                text(
                    &if f.published.ends_with('%') || f.recomputed.ends_with('%') {
                        format!("{} pp", shown(&f.difference))
                    } else {
                        shown(&f.difference)
                    },
                ),
            ]);
        }
        t.headline = self.summary();
        t.notes.push("Each published figure is compared at the precision it was printed to; a figure that does not follow from its inputs is listed here, never corrected.".into());
        Some(t)
    }
}

/// "data/mkip.xlsx, sheet …" as "mkip.xlsx, sheet …": a reader knows the
/// file by its name; the folders are the machine's.
fn file_name_only(location: &str) -> String {
    let (file, rest) = location.split_once(", ").unwrap_or((location, ""));
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    if rest.is_empty() {
        name.to_string()
    } else {
        format!("{name}, {rest}")
    }
}

/// The name of the table of published figures that differ: not a
/// recomputed table, so a draft's figures are never matched against it.
pub const DIFFERENCES: &str = "published-differences";

/// Compares each published figure with the same cell of its recomputed table,
/// at the precision the figure was printed to.
pub fn compare(published: &[PublishedFigure], tables: &[Table]) -> Result<CheckReport> {
    let mut findings = Vec::new();
    for p in published {
        let table = tables
            .iter()
            .find(|t| t.name == p.table)
            .ok_or_else(|| Error::Table {
                place: p.origin.to_string(),
                message: format!(
                    "published figure names table {:?}, which was not computed",
                    p.table
                ),
            })?;
        let cell = table.find(&p.row, &p.column).ok_or_else(|| Error::Cell {
            origin: p.origin.clone(),
            expected: format!(
                "a row and column of table {} (rows: {}; columns: {})",
                p.table,
                table
                    .rows
                    .iter()
                    .map(|r| format!("{:?}", table.row_key(r)))
                    .collect::<Vec<_>>()
                    .join(", "),
                table.columns.join(", ")
            ),
            found: format!("row {:?}, column {:?}", p.row, p.column),
        })?;
        if let Some((recomputed, difference)) = differs(&p.text, &cell.value) {
            findings.push(Finding {
                table: p.table.clone(),
                row: p.row.clone(),
                column: p.column.clone(),
                published: p.text.clone(),
                recomputed,
                difference,
                location: p.origin.to_string(),
                source: p.source.clone(),
            });
        } else if !comparable(&p.text, &cell.value) {
            return Err(Error::Cell {
                origin: p.origin.clone(),
                expected: format!(
                    "a figure to compare with the recomputed {}",
                    match &cell.value {
                        Value::Money { amount, dp } =>
                            money::format_pounds(*amount, *dp, Default::default()),
                        Value::Millions { amount, .. } =>
                            money::format_pounds(*amount, 0, Default::default()),
                        other => other
                            .figure()
                            .map(|d| d.normalize().to_string())
                            .unwrap_or_default(),
                    }
                ),
                found: format!("{:?}", p.text),
            });
        }
    }
    Ok(CheckReport {
        checked: published.len(),
        findings,
    })
}

fn comparable(text: &str, v: &Value) -> bool {
    match v {
        Value::NotApplicable { .. } => {
            matches!(money::parse_amount(text), Ok(Amount::NotApplicable(_)))
        }
        Value::Percent { .. } => money::parse_percent(text).is_some(),
        _ => matches!(money::parse_amount(text), Ok(Amount::Value(_))),
    }
}

/// None when the published text agrees with the value at its printed
/// precision; otherwise the recomputed figure shown the same way and the
/// difference.
pub fn differs(text: &str, v: &Value) -> Option<(String, String)> {
    let dp = money::printed_dp(text);
    let fmt_same = |d: Decimal| money::format_plain(d, dp);
    match v {
        Value::NotApplicable { label } => match money::parse_amount(text) {
            Ok(Amount::NotApplicable(_)) => None,
            _ => Some((label.clone(), "not applicable".into())),
        },
        Value::Percent { value, .. } => {
            let p = money::parse_percent(text)?;
            let r = money::round_dp(*value, dp);
            (r != p).then(|| (format!("{}%", fmt_same(*value)), fmt_same(r - p)))
        }
        Value::Millions { amount, .. } => scaled_differs(text, *amount, dp),
        // "£1.6m" printed for a figure kept in pounds: compared in millions.
        Value::Money { amount, .. } if money::printed_unit(text).is_some() => {
            scaled_differs(text, *amount, dp)
        }
        Value::Money { amount, .. }
        | Value::Number { value: amount, .. }
        | Value::Points { value: amount, .. } => {
            let p = money::parse_amount(text.trim_end_matches("pp").trim())
                .ok()?
                .value()?;
            let r = money::round_dp(*amount, dp);
            (r != p).then(|| (fmt_same(*amount), fmt_same(r - p)))
        }
        Value::Text { .. } | Value::Empty => Some(("(no figure)".into(), "n/a".into())),
    }
}

/// `differs` for pounds printed in their unit ("£9.83m" compared in
/// millions to 2 places) or, with no unit, in pounds.
fn scaled_differs(text: &str, amount: Decimal, dp: u32) -> Option<(String, String)> {
    let p = money::parse_amount(text).ok()?.value()?;
    let Some((unit, suffix)) = money::printed_unit(text) else {
        let r = money::round_dp(amount, dp);
        return (r != p).then(|| (money::format_plain(r, dp), money::format_plain(r - p, dp)));
    };
    let (r, p) = (money::round_dp(amount / unit, dp), p / unit);
    // "-£0.1m", the sign before the pound sign.
    let shown = |d: Decimal| {
        let sign = if d.is_sign_negative() && !d.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}£{}{suffix}", money::format_plain(d.abs(), dp))
    };
    (r != p).then(|| (shown(r), shown(r - p)))
}

/// The annual report's published figures against its recomputed tables,
/// and each total typed into its sheets against the rows above it.
pub fn compare_annual(
    inputs: &crate::tables::annual::AnnualInputs,
    tables: &[Table],
) -> Result<CheckReport> {
    let mut rep = compare(&inputs.published, tables)?;
    for a in &inputs.accounting {
        rep.checked += a.typed.len();
        rep.findings
            .extend(a.typed.iter().filter_map(typed_total_differs));
    }
    Ok(rep)
}

/// A typed total that is the sum neither of the rows since the last total
/// nor of every row above it (a grand total under subtotals), compared at
/// the precision it is written to; shown against the nearer sum.
fn typed_total_differs(t: &crate::input::import::TypedTotal) -> Option<Finding> {
    if t.agrees() {
        return None;
    }
    let money = |amount| Value::Money { amount, dp: 2 };
    let (recomputed, difference) = differs(&t.text, &money(t.nearest()))?;
    use crate::base::trace::Origin;
    let (table, place) = match &t.origin {
        Origin::Cell { sheet, .. } => (sheet.clone(), "sheet"),
        Origin::Csv { file, .. } => (file_name_only(file), "file"),
        other => (other.to_string(), "sheet"),
    };
    Some(Finding {
        table,
        row: t.row.clone(),
        column: t.column.clone(),
        published: t.text.clone(),
        recomputed,
        difference,
        location: t.origin.to_string(),
        source: format!("a total typed into the {place}: the sum of the rows above it"),
    })
}

/// Recomputes every table of the annual report and of every model, and
/// compares each published figure with it. Also returns the notes on input
/// rows set aside.
pub fn gather(
    data: Option<&std::path::Path>,
    models: Option<&std::path::Path>,
) -> Result<(CheckReport, Vec<String>)> {
    let mut rep = CheckReport::default();
    let mut notes = Vec::new();
    if let Some(data) = data {
        let src = crate::input::source::Source::open(data)?;
        let inputs = crate::tables::annual::AnnualInputs::load(&src)?;
        notes = inputs.set_aside_notes();
        // A table missing for a sheet passed over says which it was.
        rep = compare_annual(&inputs, &inputs.tables()).map_err(|e| match (e, &inputs.unread) {
            (Error::Table { place, message }, Some(unread)) if message.contains("not computed") => {
                Error::Table {
                    place,
                    message: format!("{message} ({unread})"),
                }
            }
            (e, _) => e,
        })?;
    }
    for m in models
        .map(crate::model::load_dir)
        .transpose()?
        .unwrap_or_default()
    {
        let r = compare(&m.published, &crate::tables::tables(&m)?)?;
        rep.checked += r.checked;
        rep.findings.extend(r.findings);
    }
    Ok((rep, notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn printed_precision_decides() {
        let v = Value::pct(dec!(12.7755), 1);
        assert!(differs("12.8%", &v).is_none());
        assert!(differs("12.7%", &v).is_some());
        assert!(differs("12.79", &v).is_some());
        assert!(differs("12.78", &v).is_none());
        let m = Value::Millions {
            amount: dec!(9827730),
            dp: 2,
        };
        assert!(differs("£9.83m", &m).is_none());
        assert!(differs("£9.82m", &m).is_some());
        assert!(differs("£10m", &m).is_none());
        let n = Value::Money {
            amount: dec!(1178170),
            dp: 0,
        };
        assert!(differs("1,178,170", &n).is_none());
        assert_eq!(
            differs("1,178,171", &n),
            Some(("1178170".into(), "-1".into()))
        );
        // £1,640,250 kept in pounds and printed "£1.6m" (1.64025m to one
        // place: 1.6) agrees, as it does in a table kept in millions; "£1.7m"
        // is 0.1m over, shown "-£0.1m" (it was compared in pounds: 40,250.0).
        let pounds = Value::Money {
            amount: dec!(1640250),
            dp: 0,
        };
        let millions = Value::Millions {
            amount: dec!(1640250),
            dp: 2,
        };
        for v in [&pounds, &millions] {
            assert!(differs("£1.6m", v).is_none());
            assert_eq!(differs("£1.7m", v), Some(("£1.6m".into(), "-£0.1m".into())));
        }
        assert_eq!(differs("£1,640k", &pounds), None);
    }
}
