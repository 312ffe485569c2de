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

/// A cell of an example sheet: text, or a number.
enum C {
    T(&'static str),
    N(f64),
}
use C::{N, T};

/// The annual-report sheets with example rows (docs/model-reference.md).
fn sheets() -> Vec<(&'static str, Vec<Vec<C>>)> {
    vec![
        (
            "report",
            vec![
                vec![T("key"), T("value")],
                vec![T("title"), T("Example Partnership Annual Report 2025/26")],
                vec![T("partnership"), T("Example Partnership")],
                vec![T("year"), T("2025/26")],
            ],
        ),
        (
            "authorities",
            vec![
                vec![
                    T("authority"),
                    T("name"),
                    T("authority_budget"),
                    T("approx_staff"),
                ],
                vec![T("ABC"), T("Council A"), N(15_000_000.0), N(450.0)],
                vec![T("DEF"), T("Council D"), N(12_500_000.0), N(380.0)],
                vec![T("GHI"), T("Council G"), N(10_000_000.0), N(300.0)],
            ],
        ),
        (
            "budget",
            vec![
                vec![
                    T("service"),
                    T("line"),
                    T("kind"),
                    T("ABC"),
                    T("DEF"),
                    T("GHI"),
                ],
                vec![
                    T("Audit"),
                    T("Employees"),
                    T("expenditure"),
                    N(180_000.0),
                    N(150_000.0),
                    N(120_000.0),
                ],
                vec![
                    T("Audit"),
                    T("Fees from other bodies"),
                    T("income"),
                    N(-20_000.0),
                    N(-15_000.0),
                    N(-10_000.0),
                ],
                vec![
                    T("Revenues"),
                    T("Employees"),
                    T("expenditure"),
                    N(420_000.0),
                    N(365_000.0),
                    T("N/A"),
                ],
            ],
        ),
        (
            "staff",
            vec![
                vec![T("service"), T("staff")],
                vec![T("Audit"), N(12.0)],
                vec![T("Revenues"), N(24.0)],
            ],
        ),
        (
            "savings",
            vec![
                vec![
                    T("group"),
                    T("line"),
                    T("base_year"),
                    T("annual"),
                    T("cumulative"),
                ],
                vec![
                    T("Shared services"),
                    T("Audit"),
                    T("2024/25"),
                    N(45_000.0),
                    N(45_000.0),
                ],
                vec![
                    T("Shared services"),
                    T("Revenues"),
                    T("2025/26"),
                    N(60_000.0),
                    N(0.0),
                ],
            ],
        ),
        (
            "funding",
            vec![
                vec![T("item"), T("amount")],
                vec![T("Set-up funding"), N(50_000.0)],
            ],
        ),
    ]
}

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
    for (name, rows) in sheets() {
        let ws = wb.add_worksheet().set_name(name).map_err(e)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    T(s) if r == 0 => ws.write_string_with_format(r, c, *s, &bold),
                    T(s) => ws.write_string(r, c, *s),
                    N(n) => ws.write_number(r, c, *n),
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
