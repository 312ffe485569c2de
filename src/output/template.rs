//! A new partnership folder that runs at once (`costshare init`): the
//! project file, an annual-report workbook with an instructions sheet and
//! example rows, a partnership file, one model and its scenarios. Every
//! figure is an example to replace.

use crate::base::error::{Error, Result};
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};

/// The text files, by path within the new folder.
const FILES: &[(&str, &str)] = &[
    (
        "costshare.toml",
        include_str!("../../templates/costshare.toml"),
    ),
    (
        "models/partnership.toml",
        include_str!("../../templates/models/partnership.toml"),
    ),
    (
        "models/example-case.toml",
        include_str!("../../templates/models/example-case.toml"),
    ),
    (
        "models/scenarios/example-case.toml",
        include_str!("../../templates/models/scenarios/example-case.toml"),
    ),
];

/// The annual-report sheets with example rows, in the order written
/// (docs/model-reference.md describes them).
const SHEETS: &[(&str, &str)] = &[
    (
        "report",
        include_str!("../../templates/annual-report/report.csv"),
    ),
    (
        "authorities",
        include_str!("../../templates/annual-report/authorities.csv"),
    ),
    (
        "budget",
        include_str!("../../templates/annual-report/budget.csv"),
    ),
    (
        "staff",
        include_str!("../../templates/annual-report/staff.csv"),
    ),
    (
        "savings",
        include_str!("../../templates/annual-report/savings.csv"),
    ),
    (
        "funding",
        include_str!("../../templates/annual-report/funding.csv"),
    ),
];

const INSTRUCTIONS: &[&str] = &[
    "How to use this workbook",
    "",
    "Each sheet is one input of the annual report; costshare reads them by name.",
    "Replace the example rows with your own; keep the heading row of each sheet.",
    "report: the report's title, its financial year, and the partnership's short name.",
    "authorities: one row per council, with its code (used as a column of budget).",
    "budget: one row per budget line: kind is expenditure, addition or income; N/A where a council is not in the service.",
    "staff, savings, funding: optional; delete a sheet and its table is left out.",
    "Other optional sheets (growth, performance, national, published) are described in docs/model-reference.md.",
    "Then run: costshare report",
];

/// Writes the folder; refuses to overwrite a file that is there.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>> {
    // A file (or a link to nothing) where the folder should be.
    if dir.symlink_metadata().is_ok() && !dir.is_dir() {
        return Err(Error::usage(format!(
            "{} is not a folder (a file, or a link to nothing): give a new folder's name, or an existing folder",
            dir.display()
        )));
    }
    let mut written = Vec::new();
    let workbook = dir.join("annual-report.xlsx");
    for p in FILES
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .chain([workbook.clone()])
    {
        if p.exists() {
            return Err(Error::usage(format!(
                "{} exists already: init writes a new partnership folder and overwrites nothing",
                p.display()
            )));
        }
    }
    for (rel, text) in FILES {
        let p = dir.join(rel);
        crate::output::pack::write_file(&p, text.as_bytes())?;
        written.push(p);
    }
    write_workbook(&workbook)?;
    written.push(workbook);
    Ok(written)
}

fn write_workbook(path: &Path) -> Result<()> {
    let e = |err: rust_xlsxwriter::XlsxError| Error::Write {
        path: path.display().to_string(),
        source: std::io::Error::other(err),
    };
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("instructions").map_err(e)?;
    ws.set_column_width(0, 110).map_err(e)?;
    for (r, line) in INSTRUCTIONS.iter().enumerate() {
        ws.write_string(r as u32, 0, *line).map_err(e)?;
    }
    for (name, csv) in SHEETS {
        let ws = wb.add_worksheet().set_name(*name).map_err(e)?;
        // The examples have no quoted fields: a comma always separates.
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                // A figure is written as a number, as a finance officer types it.
                match cell.parse::<f64>() {
                    Ok(n) if r > 0 => ws.write_number(r, c, n),
                    _ if r == 0 => ws.write_string_with_format(r, c, cell, &bold),
                    _ => ws.write_string(r, c, cell),
                }
                .map_err(e)?;
            }
        }
        ws.set_column_width(0, 22).map_err(e)?;
        ws.set_column_width(1, 44).map_err(e)?;
    }
    let bytes = wb.save_to_buffer().map_err(e)?;
    crate::base::atomic::write(path, &bytes)
}
