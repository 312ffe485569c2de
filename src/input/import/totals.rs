//! Totals typed into a sheet, beside what the rows above them add to.
//! costshare recomputes its own totals, so a typed total is not read as
//! data; but a typed total that is not the sum of its rows is a published
//! figure that does not add up, and is reported, not dropped unseen.

use super::{CellValue, GridRow, Records, RowRole};
use crate::base::money;
use crate::base::trace::Origin;
use rust_decimal::Decimal;

/// One figure of a typed total row, with the sums it may be the total of.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedTotal {
    /// The typed figure's cell.
    pub origin: Origin,
    /// The row's label ("Total", "Total expenditure").
    pub row: String,
    /// The column's heading.
    pub column: String,
    /// The figure as the sheet holds it.
    pub text: String,
    /// The data rows since the header or the previous typed total.
    pub section: Decimal,
    /// Every data row above it: a grand total under subtotals.
    pub sheet: Decimal,
}

impl TypedTotal {
    /// Whether the typed figure is either sum at the precision it is
    /// written to ("£1.6m" in millions to one place, "1,235" in pounds).
    pub fn agrees(&self) -> bool {
        let Some(typed) = money::parse_amount(&self.text).ok().and_then(|a| a.value()) else {
            return true;
        };
        let unit = money::printed_unit(&self.text).map_or(Decimal::ONE, |(u, _)| u);
        let dp = money::printed_dp(&self.text);
        [self.section, self.sheet]
            .iter()
            .any(|s| money::round_dp(s / unit, dp) == typed / unit)
    }

    /// Of the two sums, the one nearer the typed figure: what it was
    /// most likely meant to be the total of.
    pub fn nearest(&self) -> Decimal {
        let typed = money::parse_amount(&self.text).ok().and_then(|a| a.value());
        let off = |s: Decimal| typed.map_or(Decimal::ZERO, |t| (s - t).abs());
        match off(self.sheet) < off(self.section) {
            true => self.sheet,
            false => self.section,
        }
    }
}

/// A cell's figure, as the sheet writes it (a column's unit, "£000",
/// applies alike to the total and its rows, so it is not applied).
fn figure(c: &CellValue) -> Option<Decimal> {
    match c {
        CellValue::Number(d) => Some(*d),
        CellValue::Text(t) => money::parse_amount(t).ok()?.value(),
        _ => None,
    }
}

/// Running sums of one column: None until a data row has a figure there,
/// or once a sum passes Decimal's range (then it is not compared).
#[derive(Clone, Copy, Default)]
struct Sums {
    section: Option<Decimal>,
    sheet: Option<Decimal>,
    overflowed: bool,
}

impl Sums {
    fn add(&mut self, d: Decimal) {
        let plus = |s: Option<Decimal>| s.unwrap_or_default().checked_add(d);
        match (plus(self.section), plus(self.sheet)) {
            (Some(a), Some(b)) => (self.section, self.sheet) = (Some(a), Some(b)),
            _ => self.overflowed = true,
        }
    }
}

/// Every figure of every typed total row of a table, in sheet order, with
/// the sums of the data rows above it in its column. Columns with no
/// figure in the rows above (a label, a code) are not compared.
pub fn typed_totals(t: &Records) -> Vec<TypedTotal> {
    let width = t.grid.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut sums = vec![Sums::default(); width];
    let mut out = Vec::new();
    for (row, role) in t.grid.rows.iter().zip(t.roles()) {
        match role {
            RowRole::Data => {
                for (s, d) in sums.iter_mut().zip(&row.cells) {
                    if let Some(d) = figure(d) {
                        s.add(d);
                    }
                }
            }
            RowRole::TypedTotal => {
                let label = row.cells.iter().find(|c| !c.is_empty());
                let label = label.map(|c| c.display()).unwrap_or_default();
                for (i, (s, c)) in sums.iter().zip(&row.cells).enumerate() {
                    if !adds_up(&column_name(t, row, i), c) {
                        continue;
                    }
                    if let (Some(sheet), false, Some(_)) = (s.sheet, s.overflowed, figure(c)) {
                        out.push(TypedTotal {
                            origin: t.grid.origin(row, i),
                            row: label.trim().to_string(),
                            column: column_name(t, row, i),
                            text: c.display(),
                            // Straight after another total (a grand total
                            // under the last subtotal): every row above.
                            section: s.section.unwrap_or(sheet),
                            sheet,
                        });
                    }
                }
                for s in &mut sums {
                    s.section = None;
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether a column's total row holds a sum: a percentage, average, rate
/// or ratio is worked from the totals ("Variance %" of the total is not
/// the sum of the rows' percentages), so it is not compared.
fn adds_up(heading: &str, typed: &CellValue) -> bool {
    let h = heading.to_lowercase();
    let words = [
        "percent",
        "percentage",
        "average",
        "avg",
        "mean",
        "rate",
        "ratio",
    ];
    let word = h
        .split(|c: char| !c.is_alphanumeric())
        .any(|x| words.contains(&x));
    let written = matches!(typed, CellValue::Text(t) if t.trim_end().ends_with('%'));
    !(written || word || h.contains('%') || h.contains("per cent"))
}

/// The heading of column `i` (rows of a grid share their first column),
/// or its letter when it has none.
fn column_name(t: &Records, row: &GridRow, i: usize) -> String {
    t.header
        .get(i)
        .filter(|h| !h.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| crate::base::trace::column_letters(row.first_col + i as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn total(text: &str, section: Decimal, sheet: Decimal) -> TypedTotal {
        TypedTotal {
            origin: Origin::Csv {
                file: "budget.csv".into(),
                line: 9,
                col: 3,
            },
            row: "Total".into(),
            column: "Net".into(),
            text: text.into(),
            section,
            sheet,
        }
    }

    /// Compared at the precision written: £1,612,345 is "£1.6m" to one
    /// place of millions and "1,612,345" to the pound, not "1,612,346";
    /// £1,234.60 is "1,235" to the pound.
    #[test]
    fn typed_totals_agree_at_their_printed_precision() {
        let s = dec!(1612345);
        assert!(total("£1.6m", s, s).agrees());
        assert!(!total("£1.7m", s, s).agrees());
        assert!(total("£1,612k", s, s).agrees());
        assert!(total("1,612,345", s, s).agrees());
        assert!(!total("1,612,346", s, s).agrees());
        assert!(total("1,235", dec!(1234.6), dec!(1234.6)).agrees());
        assert!(total("(1,235)", dec!(-1234.6), dec!(-1234.6)).agrees());
    }

    /// A total row's percentage, average or rate is worked from the
    /// totals, not summed: "Variance %" of 10 % and 30 % on budgets of
    /// £100 and £300 is 25 %, never 40 %. Those columns are not compared;
    /// money, staff and rates' neighbours ("Operating costs") are.
    #[test]
    fn percentages_averages_and_rates_are_not_summed() {
        let n = CellValue::Number(dec!(25));
        for h in [
            "Variance %",
            "% of budget",
            "Percentage",
            "Average cost",
            "Rate",
            "Ratio",
            "Mean FTE",
            "Change (per cent)",
        ] {
            assert!(!adds_up(h, &n), "{h}");
        }
        assert!(!adds_up("Variance", &CellValue::Text("25%".into())));
        for h in [
            "Net",
            "Operating costs",
            "Separated",
            "Staff (FTE)",
            "Ameans",
        ] {
            assert!(adds_up(h, &n), "{h}");
        }
    }

    /// A grand total under subtotals agrees with every row above it (94 +
    /// 69 = 163), and one that agrees with neither is shown against the
    /// nearer sum (164 is nearer 163 than 69).
    #[test]
    fn a_grand_total_is_the_sum_of_every_row_above() {
        assert!(total("163", dec!(69), dec!(163)).agrees());
        let t = total("164", dec!(69), dec!(163));
        assert!(!t.agrees());
        assert_eq!(t.nearest(), dec!(163));
        assert_eq!(total("70", dec!(69), dec!(163)).nearest(), dec!(69));
    }
}
