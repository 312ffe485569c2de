use crate::cli::{ImportFormat, emit};
use crate::import::{self, CellValue};
use std::io::Write;
use std::path::Path;

/// Lists every non-blank cell with its origin, so an officer can see exactly
/// what costshare read and how (number, text, N/A, formula with no value).
pub fn run(
    file: &Path,
    sheet: Option<&str>,
    format: ImportFormat,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let grids = import::read_file(file, sheet)?;
    for g in &grids {
        if let Some(why) = &g.refused {
            eprintln!("costshare: warning: {}: not read: {why}", g.place());
        }
    }
    match format {
        ImportFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let _ = w.write_record(["file", "sheet", "cell", "type", "value"]);
            for g in &grids {
                for row in &g.rows {
                    if row.cells.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    for (i, c) in row.cells.iter().enumerate() {
                        if c.is_empty() {
                            continue;
                        }
                        let o = g.origin(row, i);
                        let place = match &o {
                            crate::trace::Origin::Cell { row, col, .. } => {
                                crate::trace::a1(*row, *col)
                            }
                            crate::trace::Origin::Csv { line, col, .. } => {
                                format!("line {line} column {}", col + 1)
                            }
                            other => other.to_string(),
                        };
                        let kind = match c {
                            CellValue::Empty => "empty",
                            CellValue::Text(_) => "text",
                            CellValue::Number(_) => "number",
                            CellValue::Bool(_) => "bool",
                            CellValue::Date(_) => "date",
                            CellValue::Error(_) => "error",
                            CellValue::FormulaWithoutValue(_) => "formula-without-value",
                        };
                        let _ = w.write_record([
                            g.file.as_str(),
                            g.sheet.as_deref().unwrap_or(""),
                            place.as_str(),
                            kind,
                            c.display().as_str(),
                        ]);
                    }
                }
            }
            for g in &grids {
                for row in &g.rows {
                    for (i, c) in row.cells.iter().enumerate() {
                        if let CellValue::FormulaWithoutValue(f) = c {
                            eprintln!(
                                "costshare: warning: {}: formula ={f} has no saved result; it will not be read as zero (open and save the file in a spreadsheet program)",
                                g.origin(row, i)
                            );
                        }
                    }
                }
            }
            let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
            emit(out, &text)?;
            for g in &grids {
                report_rows(g);
            }
        }
        ImportFormat::Json => {
            #[derive(serde::Serialize)]
            struct Sheet<'a> {
                #[serde(flatten)]
                grid: &'a import::Grid,
                accounting: Option<import::Accounting>,
            }
            let sheets: Vec<Sheet> = grids
                .iter()
                .map(|g| Sheet {
                    grid: g,
                    accounting: import::Records::new(g).ok().map(|r| r.accounting()),
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&sheets).unwrap_or_default();
            s.push('\n');
            emit(out, &s)?;
        }
    }
    Ok(0)
}

/// Says on standard error how many rows were read, used and set aside, and why.
fn report_rows(g: &import::Grid) {
    if g.hidden {
        eprintln!(
            "costshare: note: {} is a hidden sheet; read like any other",
            g.place()
        );
    }
    match import::Records::new(g) {
        Ok(r) => eprintln!("costshare: {}", r.accounting()),
        Err(_) => eprintln!("costshare: {}: empty", g.place()),
    }
}
