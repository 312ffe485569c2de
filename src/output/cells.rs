//! What a spreadsheet or CSV file holds, cell by cell with its origin
//! (`costshare import`): the officer sees exactly what was read and how.

use crate::base::trace::{Origin, a1};
use crate::input::import::{self, CellValue, Grid};

/// One CSV row per non-blank cell: file, sheet, cell, type, value.
pub fn listing_csv(grids: &[Grid]) -> crate::Result<String> {
    let mut rows: Vec<[String; 5]> = vec![[
        "file".into(),
        "sheet".into(),
        "cell".into(),
        "type".into(),
        "value".into(),
    ]];
    for g in grids {
        for row in &g.rows {
            for (i, c) in row.cells.iter().enumerate() {
                if c.is_empty() {
                    continue;
                }
                let place = match g.origin(row, i) {
                    Origin::Cell { row, col, .. } => a1(row, col),
                    Origin::Csv { line, col, .. } => format!("line {line} column {}", col + 1),
                    other => other.to_string(),
                };
                rows.push([
                    g.file.clone(),
                    g.sheet.clone().unwrap_or_default(),
                    place,
                    kind(c).into(),
                    c.display(),
                ]);
            }
        }
    }
    crate::output::render::csv_text(rows)
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

/// Every sheet with its cells and its row accounting, as JSON.
pub fn listing_json(grids: &[Grid]) -> crate::Result<String> {
    #[derive(serde::Serialize)]
    struct Sheet<'a> {
        #[serde(flatten)]
        grid: &'a Grid,
        accounting: Option<import::Accounting>,
    }
    let sheets: Vec<Sheet> = grids
        .iter()
        .map(|g| Sheet {
            grid: g,
            accounting: import::Records::new(g).ok().map(|r| r.accounting()),
        })
        .collect();
    crate::output::render::json_text(&sheets)
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
