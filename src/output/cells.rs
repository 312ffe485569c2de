//! What a spreadsheet or CSV file holds, cell by cell with its origin
//! (`costshare import`): the officer sees exactly what was read and how.

use crate::base::trace::{Origin, a1};
use crate::input::import::{self, CellValue, Grid, MergedCell};
use std::io::Write;

/// One CSV row per non-blank cell of a sheet: file, sheet, cell, type,
/// value (after the heading row when `header`), written as each is made:
/// a sheet of millions of cells is never held again as text.
pub fn write_listing_csv(g: &Grid, header: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(out);
    if header {
        w.write_record(["file", "sheet", "cell", "type", "value"])?;
    }
    let sheet = g.sheet.as_deref().unwrap_or_default();
    let merged: std::collections::HashMap<(u64, u32), &MergedCell> =
        g.merged.iter().map(|m| ((m.row, m.col), m)).collect();
    for row in &g.rows {
        for (i, c) in row.cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let place = place(g, row, i);
            // A label merged down: what Excel shows there, said as such.
            let kind = match merged.get(&(row.pos, row.first_col + i as u32)) {
                Some(m) => format!("merged from {}", m.from),
                None => kind(c).to_string(),
            };
            w.write_record([&g.file, sheet, &place, &kind, &c.display()])?;
        }
    }
    w.flush()
}

/// A cell's place as the listing says it: "B7" in a sheet, "line 3
/// column 2" in a CSV file.
fn place(g: &Grid, row: &import::GridRow, i: usize) -> String {
    match g.origin(row, i) {
        Origin::Cell { row, col, .. } => a1(row, col),
        Origin::Csv { line, col, .. } => format!("line {line} column {}", col + 1),
        other => other.to_string(),
    }
}

/// A sheet as the JSON listing gives it: rows numbered as Excel or an
/// editor shows them (a sheet's row 1 is 1, as a file's line 1 is), each
/// non-blank cell with its place as the CSV listing says it. The grid's own
/// row positions count a sheet's rows from 0 and a file's lines from 1.
#[derive(serde::Serialize)]
struct SheetView<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    hidden: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<&'a str>,
    rows: Vec<RowView<'a>>,
    #[serde(skip_serializing_if = "<[MergedCell]>::is_empty")]
    merged: &'a [MergedCell],
    accounting: Option<import::Accounting>,
}

#[derive(serde::Serialize)]
struct RowView<'a> {
    row: u64,
    cells: Vec<CellView<'a>>,
}

#[derive(serde::Serialize)]
struct CellView<'a> {
    cell: String,
    #[serde(flatten)]
    value: &'a CellValue,
}

fn sheet_view(g: &Grid) -> SheetView<'_> {
    let shown = |pos: u64| if g.sheet.is_some() { pos + 1 } else { pos };
    let rows = g.rows.iter().map(|r| RowView {
        row: shown(r.pos),
        cells: r
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, value)| CellView {
                cell: place(g, r, i),
                value,
            })
            .collect(),
    });
    SheetView {
        file: &g.file,
        sheet: g.sheet.as_deref(),
        hidden: g.hidden,
        refused: g.refused.as_deref(),
        rows: rows.filter(|r| !r.cells.is_empty()).collect(),
        merged: &g.merged,
        accounting: import::Records::new(g).ok().map(|r| r.accounting()),
    }
}

fn kind(c: &CellValue) -> &'static str {
    match c {
        CellValue::Empty => "empty",
        CellValue::Text(_) => "text",
        CellValue::Number(_) => "number",
        CellValue::Bool(_) => "bool",
        CellValue::Date(_) => "date",
        CellValue::Error(_) => "error",
        CellValue::FormulaWithoutValue(_) => "formula-without-value",
    }
}

/// The sheets as one pretty JSON list, written a sheet at a time: the same
/// bytes as the whole list made at once.
#[derive(Default)]
pub struct JsonListing {
    sheets: usize,
}

impl JsonListing {
    pub fn sheet(&mut self, g: &Grid, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(if self.sheets == 0 { b"[\n  " } else { b",\n  " })?;
        self.sheets += 1;
        let s = sheet_view(g);
        // Each of its lines two spaces in, as in the list (JSON text holds
        // no raw line break but between values).
        serde_json::to_writer_pretty(Indent(out), &s).map_err(std::io::Error::other)
    }

    pub fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(if self.sheets == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// A writer putting two spaces after each line break.
struct Indent<'a>(&'a mut dyn Write);

impl Write for Indent<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for (k, part) in buf.split(|&b| b == b'\n').enumerate() {
            if k > 0 {
                self.0.write_all(b"\n  ")?;
            }
            self.0.write_all(part)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Formulas with no saved result: each is said, never read as zero.
pub fn formulas_without_values(grids: &[Grid]) -> Vec<String> {
    let mut v = Vec::new();
    for g in grids {
        for row in &g.rows {
            for (i, c) in row.cells.iter().enumerate() {
                if let CellValue::FormulaWithoutValue(f) = c {
                    v.push(format!(
                        "{}: formula ={f} has no saved result; it will not be read as zero (open and save the file in a spreadsheet program)",
                        g.origin(row, i)
                    ));
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written a sheet at a time, the listing is the same bytes as the list
    /// of sheets made whole (with and without sheets).
    #[test]
    fn json_a_sheet_at_a_time_is_the_list_made_whole() {
        let grids =
            import::read_file(std::path::Path::new("fixtures/business-cases.xlsx"), None).unwrap();
        for n in [0, 1, grids.len()] {
            let whole: Vec<SheetView> = grids[..n].iter().map(sheet_view).collect();
            let (mut out, mut json) = (Vec::new(), JsonListing::default());
            for g in &grids[..n] {
                json.sheet(g, &mut out).unwrap();
            }
            json.finish(&mut out).unwrap();
            let want = crate::output::render::json_text(&whole).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "{n} sheets");
        }
    }
}
