//! Reading spreadsheets (xlsx, xlsm, xls, ods through calamine) and CSV into
//! grids whose every cell knows its origin.

use crate::base::error::{Error, Result};
use crate::base::money::{self, AMOUNT_EXPECTED, Amount};
use crate::base::trace::Origin;
use calamine::{Data, Reader, open_workbook_auto};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

mod totals;
pub use totals::TypedTotal;

/// Files larger than this are refused before reading: a budget workbook is
/// kilobytes, and calamine holds a whole sheet in memory.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// A sheet wider than this is not a budget table.
pub const MAX_COLUMNS: usize = 1_000;

/// What a cell holds, before anyone decides what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
///
/// Texts are boxed (`Box<str>`, no spare capacity) so that a cell takes 24
/// bytes beside its text: a ledger sheet holds millions.
pub enum CellValue {
    Empty,
    Text(Arc<str>),
    Number(Decimal),
    Bool(bool),
    Date(Box<str>),
    Error(Box<str>),
    /// A formula whose result was never saved (e.g. written by a library
    /// that does not calculate): reported, never read as zero.
    FormulaWithoutValue(Box<str>),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// How the cell reads to a person, for listings and error messages.
    pub fn display(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.to_string(),
            CellValue::Number(d) => d.normalize().to_string(),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Date(d) => d.to_string(),
            CellValue::Error(e) => e.to_string(),
            CellValue::FormulaWithoutValue(f) => format!("={f}"),
        }
    }

    fn describe(&self) -> String {
        match self {
            CellValue::Empty => "a blank cell".into(),
            CellValue::Text(s) if s.trim().is_empty() => "a blank cell".into(),
            CellValue::Text(s) => format!("{:?}", shorten(s, 80)),
            CellValue::Number(d) => format!("the number {}", d.normalize()),
            CellValue::Bool(b) => format!("the boolean {b}"),
            // An ODS time cell (PT12H00M00S) is read as 12:00:00.
            CellValue::Date(d) if d.contains(':') && !d.contains('-') => format!("the time {d}"),
            CellValue::Date(d) if d.starts_with('P') => format!("the duration {d}"),
            CellValue::Date(d) => format!("the date {d}"),
            // A float past what a Decimal holds is kept as an error (see
            // `float_cell`), said as the number it is.
            CellValue::Error(e) if e.parse::<f64>().is_ok_and(f64::is_finite) => {
                format!("the number {e}, too large to read exactly")
            }
            CellValue::Error(e) => format!("the error value {e}"),
            CellValue::FormulaWithoutValue(f) => {
                format!(
                    "the formula ={f} with no saved result (open and save it in a spreadsheet program)"
                )
            }
        }
    }
}

/// One sheet, or one CSV file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub file: String,
    /// None for CSV.
    pub sheet: Option<String>,
    /// A hidden sheet is read like any other, and said to be hidden.
    pub hidden: bool,
    /// Why a sheet of a workbook read whole was not read (over a limit):
    /// an error only if the sheet is needed, so one huge sheet of workings
    /// does not block the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    pub rows: Vec<GridRow>,
    /// CSV: each row's number of fields as written, empty ones included
    /// (the cells stop at the last filled one). Empty for a workbook.
    #[serde(skip)]
    pub fields: Vec<u32>,
    /// Cells given a label merged down from the cell above (the file holds
    /// nothing there): listed as such, so what the file holds stays plain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<MergedCell>,
}

/// A cell filled from the first cell of its merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedCell {
    #[serde(skip)]
    pub row: u64,
    #[serde(skip)]
    pub col: u32,
    /// The cell, "B17".
    pub cell: String,
    /// The merge's first cell, whose label it shows: "B16".
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    /// Spreadsheet: 0-based absolute row. CSV: 1-based physical line.
    pub pos: u64,
    /// 0-based absolute column of the first cell.
    pub first_col: u32,
    pub cells: Vec<CellValue>,
}

impl Grid {
    /// The grid, or the error that kept its sheet from being read.
    pub fn usable(&self) -> Result<&Grid> {
        match &self.refused {
            None => Ok(self),
            Some(why) => Err(Error::Table {
                place: self.place(),
                message: why.clone(),
            }),
        }
    }

    pub fn origin(&self, row: &GridRow, idx: usize) -> Origin {
        let col = row.first_col + idx as u32;
        match &self.sheet {
            Some(sheet) => Origin::Cell {
                file: self.file.clone(),
                sheet: sheet.clone(),
                row: row.pos as u32,
                col,
            },
            None => Origin::Csv {
                file: self.file.clone(),
                line: row.pos,
                col,
            },
        }
    }

    /// "file, sheet X" or "file" for error messages about the whole table.
    pub fn place(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}, sheet {s:?}", self.file),
            None => self.file.clone(),
        }
    }

    pub fn row_place(&self, row: &GridRow) -> String {
        match &self.sheet {
            Some(s) => format!("{}, sheet {s:?}, row {}", self.file, row.pos + 1),
            None => format!("{}, line {}", self.file, row.pos),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Workbook,
}

pub fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => Ok(Format::Csv),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Ok(Format::Workbook),
        _ => Err(Error::usage(format!(
            "{}: unknown file type; expected .xlsx, .xlsm, .xls, .ods or .csv",
            path.display()
        ))),
    }
}

fn check_size(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    if meta.is_dir() {
        return Err(Error::usage(format!(
            "{}: is a folder; expected a spreadsheet or CSV file",
            path.display()
        )));
    }
    // A device or a pipe has no size to check and may never end.
    if !meta.is_file() {
        return Err(Error::usage(format!(
            "{}: is not a regular file (a device or a pipe); expected a spreadsheet or CSV file",
            path.display()
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::Table {
            place: path.display().to_string(),
            message: format!(
                "file is {} MB, larger than the {} MB limit for a budget spreadsheet",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(())
}

/// Largest text file read whole (a model, a scenario file, a Markdown
/// draft): a model is a few kilobytes of TOML, an annual report's text a
/// few hundred.
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a small text file (a model, a scenario file, a draft), refusing
/// devices, pipes, anything over `MAX_TEXT_BYTES` and text not in UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::usage(format!(
            "{}: is not a regular file; expected a text file",
            path.display()
        )));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(Error::Table {
            place: path.display().to_string(),
            message: format!(
                "is {} bytes, more than the {} MB costshare reads of a text file (a model, a scenario file or a draft)",
                meta.len(),
                MAX_TEXT_BYTES >> 20
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let b = e.as_bytes();
        let utf16 = b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]);
        let at = e.utf8_error().valid_up_to();
        let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        Error::Table {
            place: path.display().to_string(),
            message: match utf16 {
                true => "is UTF-16 text (Notepad's \"Unicode\"): save it as UTF-8".into(),
                false => {
                    format!("line {line} is not UTF-8 text (Windows-1252?): save the file as UTF-8")
                }
            },
        }
    })
}

/// Most non-empty cells held at once from the sheets of one workbook read
/// whole: a sheet past them is refused on its own, as a sheet over
/// `MAX_CELLS` is, and can be asked for by name.
pub const MAX_WORKBOOK_CELLS: usize = 2 * MAX_CELLS;

/// Reads every sheet of a workbook (or the one named), or the CSV file.
pub fn read_file(path: &Path, sheet: Option<&str>) -> Result<Vec<Grid>> {
    read_file_within(path, sheet, MAX_WORKBOOK_CELLS)
}

/// `read_file`, holding at most `most` cells from a workbook read whole.
fn read_file_within(path: &Path, sheet: Option<&str>, most: usize) -> Result<Vec<Grid>> {
    let (mut grids, mut held) = (Vec::new(), 0usize);
    each_sheet(path, sheet, &mut |mut g: Grid| {
        let cells: usize = g.rows.iter().map(|r| r.cells.len()).sum();
        if sheet.is_none() && held + cells > most {
            g.refused = Some(format!(
                "the sheets before it hold {held} cells and it holds {cells}: more than the \
                 {most} costshare holds from one workbook; ask for this sheet by name"
            ));
            g.rows = Vec::new();
        } else {
            held += cells;
        }
        grids.push(g);
        Ok(())
    })?;
    Ok(grids)
}

/// Gives `f` each sheet of a workbook (or the one named) in turn, or the
/// CSV file: a sheet is dropped before the next is read, so a workbook of
/// many large sheets is held a sheet at a time.
pub fn each_sheet(
    path: &Path,
    sheet: Option<&str>,
    f: &mut dyn FnMut(Grid) -> Result<()>,
) -> Result<()> {
    check_size(path)?;
    match format_of(path)? {
        Format::Csv => {
            if let Some(s) = sheet {
                return Err(Error::usage(format!(
                    "{}: is a CSV file and has no sheets (asked for sheet {s:?})",
                    path.display()
                )));
            }
            f(read_csv(path)?)
        }
        // A percentage or another currency is read as the text it shows
        // ("50%", not £0.50), so it is refused as money, as typed text is.
        Format::Workbook => calamine::shown_as_text(|| read_workbook(path, sheet, f)),
    }
}

/// Whether two sheet names are one as Excel takes them: case aside,
/// accented letters too ("Écarts" and "écarts").
pub fn same_sheet_name(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Sheet names of a workbook, in order.
pub fn sheet_names(path: &Path) -> Result<Vec<String>> {
    check_size(path)?;
    guarded(path, || {
        let wb = open_workbook_auto(path).map_err(|e| workbook_error(path, e))?;
        Ok(wb.sheet_names())
    })
}

const ENCRYPTED: &str = "the workbook is encrypted. If it opens in Excel without asking for a \
password, it is protected with Excel's built-in default password (\"VelvetSweatshop\"), which \
Excel uses for workbooks with a protected structure or a read-only recommendation: open it in \
Excel or LibreOffice, save a copy as .xlsx without protection, and give costshare that copy. \
If it asks for a password, ask the sender for an unprotected copy";

fn workbook_error(path: &Path, e: calamine::Error) -> Error {
    // Values past a sheet's limits: a workbook read, but not whole.
    if let calamine::Error::Ods(calamine::OdsError::BeyondLimits(m)) = &e {
        return Error::Table {
            place: path.display().to_string(),
            message: m.clone(),
        };
    }
    let text = e.to_string();
    let message = if text.to_lowercase().contains("password") {
        ENCRYPTED.to_string()
    } else {
        text
    };
    Error::Workbook {
        path: path.display().to_string(),
        expected: "xlsx, xls or ods",
        message,
    }
}

fn sheet_error(path: &Path, sheet: &str, e: calamine::Error) -> Error {
    match workbook_error(path, e) {
        Error::Workbook {
            path,
            expected,
            message,
        } => Error::Workbook {
            path,
            expected,
            message: format!("sheet {sheet:?}: {message}"),
        },
        other => other,
    }
}

/// What a file given as a workbook really is, by its first bytes, when it
/// is not one: a PDF, a web page or a CSV renamed .xlsx is named as such.
fn not_a_workbook(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let head = &head[..n];
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(head).to_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with(b"%PDF") {
        Some(
            "is a PDF document, not a spreadsheet: ask for the figures as a workbook or CSV".into(),
        )
    } else if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        Some("is a web page (HTML) saved with a spreadsheet's name: open it in a browser or Excel and save it as .xlsx or .csv".into())
    } else if head.starts_with(b"\xD0\xCF\x11\xE0") && matches!(ext.as_str(), "xlsx" | "xlsm") {
        Some(ENCRYPTED.into())
    } else if n > 0
        && !head.starts_with(b"PK")
        && !head.starts_with(b"\xD0\xCF\x11\xE0")
        && head
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\n' | b'\r' | b'\t'))
        && (head.contains(&b',') || head.contains(&b';') || head.contains(&b'\t'))
    {
        Some(format!(
            "is a text (CSV) file with a .{ext} name: rename it .csv"
        ))
    } else {
        None
    }
}

/// How many contained reads are under way. Process-wide, not per thread:
/// a reader may panic on a worker thread of its own (polars does), and the
/// panic is still caught and turned into an error by the caller.
static GUARDED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// True while a workbook is being decoded under `guarded`: a panic there
/// becomes an error message, so the CLI's panic hook stays quiet.
pub fn in_guarded_read() -> bool {
    GUARDED.load(std::sync::atomic::Ordering::SeqCst) > 0
}

/// Runs a spreadsheet decoder so that a panic inside it (a damaged file
/// that trips the reader; the fuzzer found some) is an error naming the
/// file, not a crash.
fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    contained(path, "xlsx, xls or ods", f)
}

/// Runs a third-party file reader so that a panic inside it (a damaged file
/// that trips it) is an error naming the file and the kind expected.
pub(crate) fn contained<T>(
    path: &Path,
    expected: &'static str,
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    GUARDED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    r.unwrap_or_else(|p| {
        Err(Error::Workbook {
            path: path.display().to_string(),
            expected,
            message: damage(p.as_ref()),
        })
    })
}

/// What a caught panic in the spreadsheet reader says to a person: the
/// reader's own words when they describe the damage (the patched checks
/// start "damaged: "), never a programmer's message.
fn damage(p: &(dyn std::any::Any + Send)) -> String {
    let text = p
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    match text.strip_prefix("damaged: ") {
        Some(why) => format!("the file is damaged: {why}"),
        None => "the file is damaged: its reader could not make sense of it".into(),
    }
}

/// Whether an xlsx asks to be recalculated when opened (`fullCalcOnLoad`),
/// as files from libraries that cannot calculate do: then an empty saved
/// formula result means "never calculated", not a formula that gives "".
fn asks_recalc<R: std::io::Read + std::io::Seek>(r: R) -> bool {
    use std::io::Read;
    let Ok(mut z) = zip::ZipArchive::new(r) else {
        return false;
    };
    let Ok(f) = z.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut text = String::new();
    // workbook.xml lists sheets and names: a few kilobytes. Read at most 8 MB.
    if f.take(8 << 20).read_to_string(&mut text).is_err() {
        return false;
    }
    text.contains("fullCalcOnLoad=\"1\"") || text.contains("fullCalcOnLoad=\"true\"")
}

fn read_workbook(
    path: &Path,
    only: Option<&str>,
    f: &mut dyn FnMut(Grid) -> Result<()>,
) -> Result<()> {
    if let Some(what) = not_a_workbook(path) {
        return Err(Error::Table {
            place: path.display().to_string(),
            message: what,
        });
    }
    guarded(path, || {
        let recalc =
            std::fs::File::open(path).is_ok_and(|f| asks_recalc(std::io::BufReader::new(f)));
        let wb = open_workbook_auto(path).map_err(|e| workbook_error(path, e))?;
        read_sheets(path, wb, (only, recalc), f)
    })
}

/// Reads a workbook held in memory (xlsx, xls, xlsb or ods, by content);
/// `label` names it in messages. The fuzz targets come in here.
pub fn read_workbook_bytes(label: &str, bytes: Vec<u8>) -> Result<Vec<Grid>> {
    let path = Path::new(label);
    guarded(path, || {
        let recalc = asks_recalc(std::io::Cursor::new(&bytes));
        let wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| workbook_error(path, e))?;
        let mut grids = Vec::new();
        read_sheets(path, wb, (None, recalc), &mut |g| {
            grids.push(g);
            Ok(())
        })?;
        Ok(grids)
    })
}

fn read_sheets<RS: std::io::Read + std::io::Seek>(
    path: &Path,
    mut wb: calamine::Sheets<RS>,
    (only, recalc): (Option<&str>, bool),
    f: &mut dyn FnMut(Grid) -> Result<()>,
) -> Result<()> {
    let file = path.display().to_string();
    let names = wb.sheet_names();
    let wanted: Vec<String> = match only {
        Some(s) => {
            let found = names
                .iter()
                .find(|n| n.as_str() == s)
                .or_else(|| names.iter().find(|n| same_sheet_name(n, s)));
            match found {
                Some(n) => vec![n.clone()],
                None => {
                    return Err(Error::UnknownSheet {
                        path: file,
                        sheet: s.to_string(),
                        available: names,
                    });
                }
            }
        }
        // A chart sheet has no cells: reading it failed the whole workbook.
        None => {
            let meta = wb.sheets_metadata();
            let chart = |n: &String| {
                meta.iter()
                    .any(|m| &m.name == n && m.typ == calamine::SheetType::ChartSheet)
            };
            names.iter().filter(|n| !chart(n)).cloned().collect()
        }
    };
    let hidden: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|m| m.visible != calamine::SheetVisible::Visible)
        .map(|m| m.name.clone())
        .collect();
    for name in wanted {
        let read = match &mut wb {
            // xlsx is streamed cell by cell: formatted but empty cells cost
            // nothing, and the cell limit is enforced before memory runs out.
            calamine::Sheets::Xlsx(x) => stream_xlsx(x, &file, &name, recalc),
            _ => {
                // A panic in the reader names the sheet it was reading.
                let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    // Formulas come as a separate range; a formula cell whose value
                    // range is empty was never calculated. Not every format has them.
                    (wb.worksheet_range(&name), wb.worksheet_formula(&name).ok())
                }));
                let (range, formulas) = read.map_err(|p| Error::Workbook {
                    path: file.clone(),
                    expected: "xlsx, xls or ods",
                    message: format!("sheet {name:?}: {}", damage(p.as_ref())),
                })?;
                let range = range.map_err(|e| sheet_error(path, &name, e))?;
                let g = grid_from_range(&file, &name, &range, formulas.as_ref());
                let merges = match &wb {
                    calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).ok(),
                    calamine::Sheets::Ods(o) => o.merge_cells_by_sheet_name(&name).ok(),
                    _ => None,
                };
                match (merges, g) {
                    (Some(m), Ok(mut g)) => fill_merged_labels(&mut g, &m).map(|_| g),
                    (_, g) => g,
                }
            }
        };
        let mut g = match read {
            Ok(g) => g,
            // Limits apply to the sheets actually used: a sheet over them is
            // refused on its own when the whole workbook is read.
            Err(Error::Table { message, .. }) if only.is_none() => Grid {
                file: file.clone(),
                sheet: Some(name.clone()),
                hidden: false,
                refused: Some(message),
                rows: Vec::new(),
                fields: Vec::new(),
                merged: Vec::new(),
            },
            Err(e) => return Err(e),
        };
        g.hidden = hidden.contains(&name);
        f(g)?;
    }
    Ok(())
}

/// "2013-04-01" from an Excel date serial, so a message shows the date a
/// person typed, not 41365. calamine's conversion knows both epochs (a
/// 1904 workbook's serials count from 1904-01-01) and Excel's 29 February
/// 1900 that never was (the count from 1899-12-30 put earlier dates a day
/// early).
fn excel_date(dt: &calamine::ExcelDateTime) -> String {
    let serial = dt.as_f64();
    // A time of day alone (0.5 shown as 12:00): as the ODS reader reads
    // one, not as "0.5".
    if dt.is_datetime() && (0.0..1.0).contains(&serial) {
        let secs = ((serial * 86_400.0).round() as u32).min(86_399);
        return format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    }
    if !dt.is_datetime() || !(1.0..2_958_466.0).contains(&serial) {
        return dt.to_string();
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use calamine::Dimensions;

    fn grid(first_col: u32, rows: Vec<Vec<CellValue>>) -> Grid {
        Grid {
            file: "b.xlsx".into(),
            sheet: Some("Budget".into()),
            hidden: false,
            refused: None,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| GridRow {
                    pos: i as u64,
                    first_col,
                    cells,
                })
                .collect(),
            fields: Vec::new(),
            merged: Vec::new(),
        }
    }

    fn merge(start: (u32, u32), end: (u32, u32)) -> Dimensions {
        Dimensions { start, end }
    }

    /// A label is filled down its merge; a merge reaching left of the
    /// sheet's first filled column (B) over a value is that value hidden
    /// (its offset wrapped before); ten thousand sheet-wide merges stop at
    /// the budget, at once.
    #[test]
    fn merges_fill_labels_refuse_hidden_values_and_stop() {
        let t = |s: &str| CellValue::Text(s.into());
        let n = |v: i64| CellValue::Number(Decimal::from(v));
        let mut g = grid(0, vec![vec![t("ICT"), n(1)], vec![CellValue::Empty, n(2)]]);
        fill_merged_labels(&mut g, &[merge((0, 0), (1, 0))]).unwrap();
        assert_eq!(g.rows[1].cells[0], t("ICT"));
        // Said as filled from the merge's first cell (import lists it so).
        assert_eq!(
            (g.merged[0].cell.as_str(), g.merged[0].from.as_str()),
            ("A2", "A1")
        );
        let mut g = grid(1, vec![vec![n(1)], vec![n(2)]]);
        let e = fill_merged_labels(&mut g, &[merge((0, 0), (0, 1))]).unwrap_err();
        assert!(
            e.to_string()
                .contains("cell B1 holds \"1\" under the merged cells A1:B1"),
            "{e}"
        );
        let mut g = grid(1, (0..20_000).map(|i| vec![n(i)]).collect());
        let wide = vec![merge((0, 0), (1_048_575, 0)); 10_000];
        let e = fill_merged_labels(&mut g, &wide).unwrap_err();
        assert!(e.to_string().contains("more merged cells than any"), "{e}");
    }
}

#[cfg(test)]
mod date_tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};

    /// Serials as Excel shows them: 41365 is 2013-04-01; 59 is 1900-02-28
    /// (shown 1900-02-27 before), 60 Excel's 1900-02-29, 61 1900-03-01; in
    /// a 1904 workbook 39903 is 2013-04-01.
    #[test]
    fn serials_are_the_dates_excel_shows() {
        let d = |v, is_1904| super::excel_date(&ExcelDateTime::new(v, DateTime, is_1904));
        assert_eq!(d(41365.0, false), "2013-04-01");
        assert_eq!(d(41365.75, false), "2013-04-01");
        assert_eq!(d(59.0, false), "1900-02-28");
        assert_eq!(d(60.0, false), "1900-02-29");
        assert_eq!(d(61.0, false), "1900-03-01");
        assert_eq!(d(1.0, false), "1900-01-01");
        assert_eq!(d(39903.0, true), "2013-04-01");
    }
}

/// Excel's rows per sheet: a reference beyond is a damaged or forged file.
pub const EXCEL_ROWS: u32 = 1_048_576;

/// Most non-empty cells one sheet may hold (a budget table has thousands).
pub const MAX_CELLS: usize = 5_000_000;

/// A float cell as a figure, or, past what a Decimal holds (1e300), an
/// error cell in scientific notation (its full digits ran to 300).
fn float_cell(f: f64) -> CellValue {
    match money::decimal_from_f64(f) {
        Some(d) => CellValue::Number(d),
        None => CellValue::Error(format!("{f:e}").into()),
    }
}

/// An ODS duration as a spreadsheet shows a time: `PT12H00M00S` is
/// 12:00:00, `PT36H30M00S` 36:30:00; any other form is kept as written.
fn duration_text(s: &str) -> String {
    let parts = s.strip_prefix("PT").and_then(|r| {
        let (h, r) = r.split_once('H')?;
        let (m, r) = r.split_once('M')?;
        let sec = r.strip_suffix('S')?;
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let whole = sec.split_once('.').map_or(sec, |(w, _)| w);
        let frac = &sec[whole.len()..];
        (digits(h) && digits(m) && digits(whole))
            .then(|| format!("{h:0>2}:{m:0>2}:{whole:0>2}{frac}"))
    });
    parts.unwrap_or_else(|| s.to_string())
}

fn data_ref_value(d: &calamine::DataRef) -> CellValue {
    use calamine::DataRef as D;
    match d {
        D::Empty => CellValue::Empty,
        D::Int(i) => CellValue::Number(Decimal::from(*i)),
        D::Float(f) => float_cell(*f),
        D::String(s) => CellValue::Text(s.clone().into()),
        D::SharedString(s) => CellValue::Text(s.to_string().into()),
        D::Bool(b) => CellValue::Bool(*b),
        D::DateTime(dt) => CellValue::Date(excel_date(dt).into()),
        D::DateTimeIso(s) => CellValue::Date(s.clone().into()),
        D::DurationIso(s) => CellValue::Date(duration_text(s).into()),
        D::Error(e) => CellValue::Error(e.to_string().into()),
    }
}

/// A streamed cell's value, or None for a blank. No saved value at all is
/// a formula never calculated; an empty one (`<v/>`) is a formula giving "",
/// unless the workbook was written to be calculated on opening.
fn cell_value(v: CellValue, formula: Option<&str>, recalc: bool) -> Option<CellValue> {
    let blank = matches!(&v, CellValue::Empty) || matches!(&v, CellValue::Text(t) if t.is_empty());
    let never_calculated = matches!(&v, CellValue::Empty) || recalc;
    match (formula, blank) {
        (Some(f), true) if !f.is_empty() && never_calculated => {
            Some(CellValue::FormulaWithoutValue(f.to_string().into()))
        }
        (_, true) => None,
        _ => Some(v),
    }
}

/// Texts as cells hold them: a ledger repeats its authorities, cost
/// centres and descriptions on every line, and one copy of each (kept while
/// it recurs) is both faster and smaller than a copy for every cell.
struct SharedTexts {
    /// By a hash of the text; a slot may be taken by another text.
    slots: Vec<Option<Arc<str>>>,
}

impl Default for SharedTexts {
    fn default() -> Self {
        SharedTexts {
            slots: vec![None; 4096],
        }
    }
}

impl SharedTexts {
    fn text(&mut self, s: &str) -> Arc<str> {
        let h = crate::base::hash::words(0, s.as_bytes());
        let slot = &mut self.slots[crate::base::hash::top(h, 12)];
        match slot {
            Some(t) if **t == *s => t.clone(),
            _ => slot.insert(Arc::from(s)).clone(),
        }
    }
}

fn stream_xlsx<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    file: &str,
    sheet: &str,
    recalc: bool,
) -> Result<Grid> {
    let bad = |e: calamine::XlsxError| Error::Workbook {
        path: file.to_string(),
        expected: "xlsx",
        message: format!("sheet {sheet:?}: {e}"),
    };
    let mut reader = x.worksheet_cells_reader(sheet).map_err(bad)?;
    let rows = sheet_cells(&mut reader, file, sheet, recalc)?;
    // Read on from the cells, whatever the sheet's size: no second pass.
    let merges = reader.merge_cells_after().unwrap_or_default();
    let mut g = Grid {
        file: file.to_string(),
        sheet: Some(sheet.to_string()),
        hidden: false,
        refused: None,
        rows,
        fields: Vec::new(),
        merged: Vec::new(),
    };
    fill_merged_labels(&mut g, &merges)?;
    Ok(g)
}

/// A label merged down several rows ("ICT" beside each of ICT's lines)
/// holds its text in the merge's first row only; each row below shows it,
/// so each is given it. Only a label is filled: a figure, or money written
/// as text ("£1,000.00"), merged down is one figure, and copied it would be
/// counted once a row; a row with nothing else in it (a heading's second
/// line) is left blank. A cell under a merge that holds a value of its own
/// is hidden by it: which was meant cannot be known, so it is refused.
fn fill_merged_labels(g: &mut Grid, merges: &[calamine::Dimensions]) -> Result<()> {
    // Merges are looked at over the cells the sheet holds, within a budget
    // (a forged file of many sheet-wide merges would take hours): room for
    // a merged label over every line of the largest sheet read.
    let mut budget: usize = 4 * MAX_WORKBOOK_CELLS;
    let mut filled = Vec::new();
    for m in merges.iter().take(10_000) {
        let (top, col) = m.start;
        let start = g.rows.partition_point(|r| r.pos < top as u64);
        let text = g
            .rows
            .get(start)
            .filter(|r| r.pos == top as u64)
            .and_then(|r| {
                let i = col.checked_sub(r.first_col)? as usize;
                match r.cells.get(i) {
                    Some(CellValue::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
                    _ => None,
                }
            });
        let label = text.filter(|t| !matches!(money::parse_amount(t), Ok(Amount::Value(_))));
        let shown = (g.file.clone(), g.sheet.clone());
        for r in g.rows[start..]
            .iter_mut()
            .take_while(|r| r.pos <= m.end.0 as u64)
        {
            let first = m.start.1.saturating_sub(r.first_col) as usize;
            let last = (m.end.1.saturating_sub(r.first_col) as usize).min(r.cells.len());
            let top_i = col.checked_sub(r.first_col).map(|i| i as usize);
            budget = budget.saturating_sub(last.saturating_sub(first) + 1);
            if budget == 0 {
                return Err(Error::Table {
                    place: format!("{}, sheet {:?}", g.file, g.sheet.as_deref().unwrap_or("")),
                    message: "more merged cells than any budget or ledger sheet has: not read"
                        .into(),
                });
            }
            for i in first..=last.min(r.cells.len().saturating_sub(1)) {
                let own = r.cells.get(i).filter(|c| !c.is_empty());
                if (r.pos == top as u64 && Some(i) == top_i)
                    || own.is_none()
                    || m.end.1 < r.first_col
                {
                    continue;
                }
                return Err(hidden_by_merge(&shown, m, r, i));
            }
            let (Some(label), Some(i)) = (label.as_ref().filter(|_| r.pos > top as u64), top_i)
            else {
                continue;
            };
            if r.cells.iter().any(|c| !c.is_empty()) {
                if r.cells.len() <= i {
                    r.cells.resize(i + 1, CellValue::Empty);
                }
                r.cells[i] = CellValue::Text(label.clone());
                use crate::base::trace::a1;
                filled.push(MergedCell {
                    row: r.pos,
                    col,
                    cell: a1(r.pos as u32, col),
                    from: a1(top, col),
                });
            }
        }
    }
    g.merged.extend(filled);
    Ok(())
}

/// The refusal of a value hidden under a merged cell.
fn hidden_by_merge(
    (file, sheet): &(String, Option<String>),
    m: &calamine::Dimensions,
    r: &GridRow,
    i: usize,
) -> Error {
    let cell = crate::base::trace::a1;
    Error::Table {
        place: format!("{file}, sheet {:?}", sheet.as_deref().unwrap_or("")),
        message: format!(
            "cell {} holds {:?} under the merged cells {}:{}, which show only their first \
             cell's: clear it or unmerge them, so that what is read is what is shown",
            cell(r.pos as u32, r.first_col + i as u32),
            r.cells[i].display(),
            cell(m.start.0, m.start.1),
            cell(m.end.0, m.end.1)
        ),
    }
}
/// A sheet's cells with values, by row, each checked against the limits
/// and for damage (beyond Excel's grid, or given twice).
fn sheet_cells<RS: std::io::Read + std::io::Seek>(
    reader: &mut calamine::XlsxCellReader<'_, RS>,
    file: &str,
    sheet: &str,
    recalc: bool,
) -> Result<Vec<GridRow>> {
    let place = format!("{file}, sheet {sheet:?}");
    let bad = |e: calamine::XlsxError| Error::Workbook {
        path: file.to_string(),
        expected: "xlsx",
        message: format!("sheet {sheet:?}: {e}"),
    };
    let mut rows = super::rows::Rows::default();
    let mut shared = SharedTexts::default();
    let mut count = 0usize;
    while let Some(c) = reader.next_cell_with_formula().map_err(bad)? {
        let (r, col) = c.pos;
        // Damage, unlike size, is an error whether or not the sheet is needed.
        if r >= EXCEL_ROWS {
            return Err(Error::Workbook {
                path: file.to_string(),
                expected: "xlsx",
                message: format!(
                    "sheet {sheet:?} has a cell in row {}, beyond Excel's {EXCEL_ROWS} rows: the file is damaged",
                    r as u64 + 1
                ),
            });
        }

        let v = match &c.value {
            calamine::DataRef::SharedString(s) => CellValue::Text(shared.text(s)),
            calamine::DataRef::String(s) => CellValue::Text(shared.text(s)),
            d => data_ref_value(d),
        };
        let Some(v) = cell_value(v, c.formula.as_deref(), recalc) else {
            continue;
        };
        if col as usize >= MAX_COLUMNS {
            return Err(Error::Table {
                place,
                message: format!(
                    "has a value in column {} (cell {}), beyond the {MAX_COLUMNS} columns a budget table can have",
                    col + 1,
                    crate::base::trace::a1(r, col)
                ),
            });
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(Error::Table {
                place,
                message: format!(
                    "has more than {MAX_CELLS} cells with values; split it, or export the ledger as CSV"
                ),
            });
        }
        rows.add(r, col, v);
    }
    // A cell given twice is a damaged or forged sheet: never let the
    // second silently override the first.
    rows.finish()
        .map_err(|super::rows::Twice(r, col)| Error::Workbook {
            path: file.to_string(),
            expected: "xlsx",
            message: format!(
                "sheet {sheet:?} gives cell {} twice: the file is damaged",
                crate::base::trace::a1(r, col)
            ),
        })
}

fn grid_from_range(
    file: &str,
    sheet: &str,
    range: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
) -> Result<Grid> {
    let mut grid = Grid {
        file: file.to_string(),
        sheet: Some(sheet.to_string()),
        hidden: false,
        refused: None,
        rows: Vec::new(),
        fields: Vec::new(),
        merged: Vec::new(),
    };
    let Some((r0, c0)) = range.start() else {
        return Ok(grid);
    };
    let (_, width) = range.get_size();
    if width > MAX_COLUMNS {
        return Err(Error::Table {
            place: grid.place(),
            message: format!(
                "sheet is {width} columns wide, more than the {MAX_COLUMNS} a budget table can have"
            ),
        });
    }
    let mut formula_at: BTreeMap<(u32, u32), String> = BTreeMap::new();
    if let Some(f) = formulas {
        for (r, c, text) in f.used_cells() {
            if !text.is_empty() {
                let (fr, fc) = f.start().unwrap_or((0, 0));
                formula_at.insert((fr + r as u32, fc + c as u32), text.clone());
            }
        }
    }
    for (ri, row) in range.rows().enumerate() {
        let abs_row = r0 + ri as u32;
        let mut cells = Vec::with_capacity(row.len());
        for (ci, d) in row.iter().enumerate() {
            let abs_col = c0 + ci as u32;
            let blank = match d {
                Data::Empty => true,
                Data::String(s) => s.is_empty(),
                _ => false,
            };
            if blank && let Some(f) = formula_at.get(&(abs_row, abs_col)) {
                cells.push(CellValue::FormulaWithoutValue(f.clone().into()));
                continue;
            }
            let v = match d {
                Data::Empty => CellValue::Empty,
                Data::Int(i) => CellValue::Number(Decimal::from(*i)),
                Data::Float(f) => float_cell(*f),
                Data::String(s) => CellValue::Text(s.clone().into()),
                Data::Bool(b) => CellValue::Bool(*b),
                Data::DateTime(dt) => CellValue::Date(excel_date(dt).into()),
                Data::DateTimeIso(s) => CellValue::Date(s.clone().into()),
                Data::DurationIso(s) => CellValue::Date(duration_text(s).into()),
                Data::Error(e) => CellValue::Error(e.to_string().into()),
            };
            cells.push(v);
        }
        // Trailing blanks carry no data; trimming keeps formatted-but-empty
        // rows from looking like content.
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        grid.rows.push(GridRow {
            pos: abs_row as u64,
            first_col: c0,
            cells,
        });
    }
    Ok(grid)
}

/// Decodes Windows-1252, the encoding Excel uses for "CSV" on UK Windows,
/// so a "£" saved there is not lost.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// Reads a CSV file. Comma or semicolon delimited (whichever the header line
/// uses), UTF-8 with or without BOM, or Windows-1252.
pub fn read_csv(path: &Path) -> Result<Grid> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: file.clone(),
        source,
    })?;
    let text = match (utf16(&bytes), String::from_utf8(bytes)) {
        (Some(t), _) => t,
        (None, Ok(s)) => s,
        (None, Err(e)) => decode_cp1252(e.as_bytes()),
    };
    read_csv_str(&file, &text)
}

/// Text saved as UTF-16 (Excel's "Unicode Text"), by its byte-order mark.
pub fn is_utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// The text of a UTF-16 file (a character it cannot hold shown as �).
fn utf16(bytes: &[u8]) -> Option<String> {
    let little = is_utf16(bytes)?;
    let units = bytes[2..].chunks_exact(2).map(|b| match little {
        true => u16::from_le_bytes([b[0], b[1]]),
        false => u16::from_be_bytes([b[0], b[1]]),
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

pub fn read_csv_str(file: &str, text: &str) -> Result<Grid> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let data = text.as_bytes();
    let first_line = data
        .split(|&b| b == b'\n' || b == b'\r')
        .next()
        .unwrap_or(b"");
    let delim = crate::input::csvscan::sniff_delimiter(first_line);
    let mut scan = crate::input::csvscan::Scanner::new(data, 1, delim, false);
    let mut spans = Vec::new();
    let mut grid = Grid {
        file: file.to_string(),
        sheet: None,
        hidden: false,
        refused: None,
        rows: Vec::new(),
        fields: Vec::new(),
        merged: Vec::new(),
    };
    let mut cells_held = 0usize;
    while let crate::input::csvscan::Step::Record(rec) = scan.next(&mut spans) {
        let line = rec.line;
        let at = |message: String| Error::CsvLine {
            path: file.to_string(),
            line,
            message,
        };
        if rec.unterminated {
            return Err(at(format!(
                "a quoted field opened on this line is never closed (it runs to line {}, the end of the file): is a closing quote missing?",
                rec.last_line
            )));
        }
        if rec.stray_quote {
            return Err(at(format!(
                "text follows the closing quote of a quoted field{}: is a quote missing, or one too many?",
                match rec.last_line > line {
                    true => format!(", so lines {line}–{} were read as one line", rec.last_line),
                    false => String::new(),
                }
            )));
        }
        if spans.len() > MAX_COLUMNS {
            return Err(at(format!(
                "{} fields, more than the {MAX_COLUMNS} a budget table can have",
                spans.len()
            )));
        }
        if rec.start == rec.end {
            continue; // an empty line: nothing to keep, and later lines keep their numbers
        }
        let mut cells: Vec<CellValue> = spans
            .iter()
            .map(|f| {
                let b = crate::input::csvscan::unquote(&data[f.start..f.end], f.quoted);
                let s = String::from_utf8_lossy(&b);
                if s.trim().is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(s.into_owned().into())
                }
            })
            .collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        cells_held += cells.len();
        if cells_held > MAX_CELLS {
            return Err(at(format!(
                "the file has more than {MAX_CELLS} cells; a budget table is smaller (give a ledger to reconcile --actuals)"
            )));
        }
        grid.rows.push(GridRow {
            pos: line,
            first_col: 0,
            cells,
        });
        grid.fields.push(spans.len() as u32);
    }
    Ok(grid)
}

/// A column heading's name and the unit it states: "Budget (£000)" is the
/// column "budget" in thousands of pounds, "Amount £m" in millions, as
/// government returns and statements of accounts head their columns.
pub fn heading_unit(h: &str) -> (String, Decimal) {
    let (name, unit) = stated_unit(h);
    (name, unit.unwrap_or(Decimal::ONE))
}

/// A heading's name and the unit it states, if it states one ("Budget
/// (£)" states pounds; "Budget" states none).
pub fn stated_unit(h: &str) -> (String, Option<Decimal>) {
    let key = header_key(h);
    let unit_of = money::unit_scale;
    // "(£000)" or "[£000]" at the end, or a last word starting with £.
    let (name, unit) =
        if let Some(open) = key.rfind(['(', '[']).filter(|_| key.ends_with([')', ']'])) {
            (&key[..open], &key[open + 1..key.len() - 1])
        } else if let Some(sp) = key
            .rfind([' ', ','])
            .filter(|&i| key[i + 1..].starts_with('£'))
        {
            (&key[..sp], &key[sp + 1..])
        } else if let Some(sp) = key.rfind(" £ ") {
            // "Budget £ thousand", as GOV.UK tables head a column.
            (&key[..sp], &key[sp + 1..])
        } else {
            return (key, None);
        };
    match unit_of(unit) {
        Some(scale) => {
            let name = name.trim().trim_end_matches([',', '-', ':', '–']).trim();
            (name.to_string(), Some(scale))
        }
        None => (key, None),
    }
}

/// The unit of a column: the one its heading states, or the one given for
/// the file when it states none; a heading and a flag that disagree are
/// refused (which was meant cannot be known).
pub fn column_unit(
    heading: &str,
    given: Option<Decimal>,
    flag: &str,
) -> std::result::Result<Decimal, String> {
    match (stated_unit(heading).1, given) {
        (Some(h), Some(g)) if h != g => Err(format!(
            "the heading {heading:?} says {} but {flag} says {}: give the unit once",
            money::unit_name(h),
            money::unit_name(g)
        )),
        (Some(h), _) => Ok(h),
        (None, g) => Ok(g.unwrap_or(Decimal::ONE)),
    }
}

/// The unit other than pounds a title says, anywhere in it: "(£000)",
/// "£000s", "£'000", "£k", "£m", "£ thousands", "£ 000", "thousands of
/// pounds". A threshold is no unit ("Payments over £1000"), nor is a
/// price ("£ per head") or "£ sterling".
pub fn title_unit(title: &str) -> Option<Decimal> {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']'))
        .filter(|w| !w.is_empty())
        .collect();
    let unit = |w: &str| -> Option<Decimal> {
        let w = w.trim_end_matches(['.', ':']).replace('\'', "");
        let w = w.strip_suffix('s').unwrap_or(&w);
        match w {
            "000" | "k" | "thousand" => Some(Decimal::from(1_000)),
            "m" | "mn" | "million" | "000000" | "000,000" => Some(Decimal::from(1_000_000)),
            _ => None,
        }
    };
    let said = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| match w.strip_prefix('£') {
            Some("") => words.get(i + 1).and_then(|n| unit(n)),
            Some(rest) => unit(rest),
            None if words.get(i + 1..i + 3) == Some(&["of", "pounds"]) => unit(w),
            None => None,
        });
    said.filter(|s| *s != Decimal::ONE)
}

/// Of a row above a ledger's header, the cell whose unit the amounts take:
/// the row's one filled cell (a title); the heading over the amount
/// column when it says a unit, pounds too (then None: the amounts are
/// pounds); else any cell saying one ("Legal spend (£000)" beside "April
/// 2024").
pub fn title_cell(texts: &[String], amount: Option<usize>) -> Option<usize> {
    let filled: Vec<usize> = (0..texts.len())
        .filter(|&i| !texts[i].trim().is_empty())
        .collect();
    if let [one] = filled.as_slice() {
        return title_unit(&texts[*one]).map(|_| *one);
    }
    if let Some(a) = amount.filter(|&a| texts.get(a).is_some_and(|t| stated_unit(t).1.is_some())) {
        return title_unit(&texts[a]).map(|_| a);
    }
    filled
        .into_iter()
        .find(|&i| title_unit(&texts[i]).is_some())
}

/// Why a unit said in a title above a ledger's header ("Legal spend April
/// 2024 (£000)") cannot stand: the amount heading states none and no unit
/// or another is given, so the amounts would be read as pounds, a
/// thousandth of what they are. None when the title's unit is no matter.
pub fn title_unit_lost(
    heading: &str,
    title: &str,
    given: Option<Decimal>,
    flag: &str,
) -> Option<String> {
    let scale = title_unit(title)?;
    // A unit given outright is the amounts': a title may speak of another
    // column ("budget £000 in brackets below").
    if stated_unit(heading).1.is_some() || given.is_some() {
        return None;
    }
    Some(format!(
        "the title {title:?} gives a unit the amount heading {heading:?} does not: head the column \"{} ({})\", or give {flag} (£ if the amounts are pounds)",
        heading.trim(),
        money::unit_name(scale)
    ))
}

/// A header name as people mean it: case, underscores, repeated and
/// non-breaking spaces and a byte-order mark do not matter.
pub fn header_key(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .replace(['_', '\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a heading names the column `want` (a `header_key`), a unit such
/// as "(£000)" after the name allowed.
pub fn heading_is(heading: &str, want: &str) -> bool {
    let k = header_key(heading);
    k == want || heading_unit(&k).0 == want
}

/// Whether a heading names `column`, as the ledger reader matches them:
/// case, spacing, underscores and a stated unit ("Budget (£000)") aside.
fn names(heading: &str, column: &str) -> bool {
    heading_is(heading, &header_key(column))
}

/// Runs `hook` for every panic except one inside a contained read, which
/// becomes an error naming the file (the CLI and the fuzz targets use it).
pub fn quiet_contained_panics() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !in_guarded_read() {
            hook(info);
        }
    }));
}

/// What a row of a sheet is, once the table in it has been found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowRole {
    /// Above the header: a title, a merged heading.
    Title,
    Header,
    Data,
    Blank,
    /// Text in one cell and nothing else: a note or footnote.
    Note,
    /// A "Total" row typed into the sheet; costshare recomputes totals.
    TypedTotal,
}

impl RowRole {
    pub fn reason(self) -> &'static str {
        match self {
            RowRole::Title => "title above the header",
            RowRole::Header => "header",
            RowRole::Data => "data",
            RowRole::Blank => "blank",
            RowRole::Note => "note (text in one cell only)",
            RowRole::TypedTotal => "total typed into the sheet (costshare recomputes totals)",
        }
    }
}

/// How many rows were read, used and set aside, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accounting {
    pub place: String,
    pub read: usize,
    pub header: usize,
    pub used: usize,
    /// (where, why, first text of the row)
    pub set_aside: Vec<(String, &'static str, String)>,
    /// The figures of totals typed into the sheet, with what the rows
    /// above them add to.
    #[serde(skip)]
    pub typed: Vec<TypedTotal>,
}

impl Accounting {
    /// Every row is a header, used, or set aside for a stated reason.
    pub fn balances(&self) -> bool {
        self.read == self.header + self.used + self.set_aside.len()
    }
}

impl std::fmt::Display for Accounting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: read {} rows: {} header, {} used, {} set aside",
            self.place,
            self.read,
            self.header,
            self.used,
            self.set_aside.len()
        )?;
        let mut by: Vec<(&str, usize)> = Vec::new();
        for (_, why, _) in &self.set_aside {
            match by.iter_mut().find(|(w, _)| w == why) {
                Some(e) => e.1 += 1,
                None => by.push((why, 1)),
            }
        }
        if !by.is_empty() {
            let parts: Vec<String> = by.iter().map(|(w, n)| format!("{n} {w}")).collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        for (place, why, text) in &self.set_aside {
            if *why != RowRole::Blank.reason() {
                write!(f, "\n  set aside {place}: {why}: {}", shorten(text, 60))?;
            }
        }
        for t in self.typed.iter().filter(|t| !t.agrees()) {
            write!(
                f,
                "\n  typed total at {}: {} is not the sum of the rows above it ({})",
                t.origin,
                t.text,
                t.nearest().normalize()
            )?;
        }
        Ok(())
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

fn is_total_label(s: &str) -> bool {
    is_total_label_bytes(s.trim().as_bytes())
}

/// The words that, alone in a label, name a total row.
pub(crate) const TOTAL_WORDS: [&str; 6] = [
    "total",
    "totals",
    "subtotal",
    "sub-total",
    "sub total",
    "grand total",
];

/// `is_total_label` for bytes as a ledger line holds them, without a copy
/// (it is asked of every line's first field).
pub(crate) fn is_total_label_bytes(b: &[u8]) -> bool {
    let t = b.trim_ascii();
    let is = |w: &[u8]| t.eq_ignore_ascii_case(w);
    let starts = |w: &[u8]| t.len() >= w.len() && t[..w.len()].eq_ignore_ascii_case(w);
    TOTAL_WORDS.iter().any(|w| is(w.as_bytes())) || starts(b"total ") || starts(b"total:")
}

/// Whether a label names a total by its words: ending with one ("April
/// total", "Net total", "Northtown subtotal") or opening with a subtotal or
/// grand total ("Subtotal April", "Grand total 2024"). Asked of ledger
/// lines with no cost centre, where a figure so labelled is a total typed
/// into the extract. "Total Gas & Power Ltd" is a supplier.
pub(crate) fn names_a_total(b: &[u8]) -> bool {
    // By positions, without a copy: every line of a ledger may be asked.
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    let is = |w: &[u8], any: &[&[u8]]| any.iter().any(|t| w.eq_ignore_ascii_case(t));
    let Some(z) = b.iter().rposition(alnum) else {
        return false;
    };
    let a = b[..z].iter().rposition(|c| !alnum(c)).map_or(0, |i| i + 1);
    if is(&b[a..=z], &[b"total", b"totals", b"subtotal", b"subtotals"]) {
        return true;
    }
    // The word beginning at `s`, and where it ends.
    let word = |s: usize| {
        let e = b[s..]
            .iter()
            .position(|c| !alnum(c))
            .map_or(b.len(), |i| s + i);
        (&b[s..e], e)
    };
    let (first, e) = word(b.iter().position(alnum).unwrap_or(0));
    if is(first, &[b"subtotal", b"subtotals"]) {
        return true;
    }
    let next = b[e..].iter().position(alnum).map(|i| word(e + i).0);
    is(first, &[b"grand", b"sub"]) && next.is_some_and(|w| is(w, &[b"total"]))
}

/// Whether a row's one filled cell is a note: words, or a figure under no
/// heading. A figure alone under a heading ("5000" under a partner's
/// column, "250" under a ledger's amount) is money with its labels
/// missing, not set aside as a note.
fn lone_note(r: &GridRow, head: &GridRow, header: &[String]) -> bool {
    let Some((i, c)) = r.cells.iter().enumerate().find(|(_, c)| !c.is_empty()) else {
        return true;
    };
    let figure = is_figure(c);
    // The heading above the cell, by absolute column: a figure under a
    // heading is that column's (a ledger's amount may be its first).
    let col = (r.first_col as usize + i).checked_sub(head.first_col as usize);
    let labelled = col.is_some_and(|c| header.get(c).is_some_and(|h| !h.is_empty()));
    !(figure && labelled)
}

/// Whether a cell holds a figure: a number, or text read as an amount.
fn is_figure(c: &CellValue) -> bool {
    match c {
        CellValue::Number(_) => true,
        CellValue::Text(t) => money::parse_amount(t).is_ok_and(|a| a.value().is_some()),
        _ => false,
    }
}

/// Whether a row's filled cells are a total typed into the sheet: a total
/// label first ("Total", "Total expenditure") and no other words before
/// its figures (a note after them is a note). "Total Facilities
/// Management,TFM,expenditure,…" names its line and kind: a service
/// (councils have one), not a total, and is read.
fn typed_total(filled: &[&CellValue]) -> bool {
    let figure = |c: &&CellValue| is_figure(c);
    let words = |c: &CellValue| match c {
        CellValue::Text(t) => !(t.trim().is_empty() || is_total_label(t)),
        _ => false,
    };
    filled.first().is_some_and(|c| is_total_label(&c.display()))
        && !filled[1..]
            .iter()
            .take_while(|c| !figure(c))
            .any(|c| words(c))
}

/// A grid read as a table: the header is the first row naming the columns
/// asked for (or the first row with two or more cells); rows above it are
/// titles; below it each row is data, blank, a note or a typed total. Every
/// row is accounted for, none silently lost.
#[derive(Debug, Clone)]
pub struct Records<'g> {
    pub grid: &'g Grid,
    pub header: Vec<String>,
    header_idx: usize,
    roles: Vec<RowRole>,
    scales: Vec<Decimal>,
}

/// One data row of a table, with access by column name.
#[derive(Debug, Clone, Copy)]
pub struct Record<'g> {
    pub grid: &'g Grid,
    pub row: &'g GridRow,
    /// The unit each column's heading states ("Budget (£000)": 1,000).
    scales: &'g [Decimal],
}

fn header_of(row: &GridRow) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| c.display().trim().to_string())
        .collect()
}

impl<'g> Records<'g> {
    /// A table whose header is the first row with two or more cells.
    pub fn new(grid: &'g Grid) -> Result<Self> {
        let nonblank = |r: &GridRow| r.cells.iter().filter(|c| !c.is_empty()).count();
        let idx = grid
            .rows
            .iter()
            .position(|r| nonblank(r) >= 2)
            .or_else(|| grid.rows.iter().position(|r| nonblank(r) >= 1))
            .ok_or_else(|| Error::Table {
                place: grid.place(),
                message: "is empty; expected a header row and data rows".into(),
            })?;
        Self::build(grid, idx).fields_in_line()
    }

    /// A table with these columns: the header is the first row naming them
    /// all. Merged titles above it are set aside; a missing or doubled
    /// column is an error naming the row that came closest.
    pub fn with_columns(grid: &'g Grid, required: &[&str]) -> Result<Self> {
        Self::with_columns_given(grid, required, None)
    }

    /// As `with_columns`, with a unit given for the file by `flag`
    /// (`--budget-unit`): a title stating that same unit is then no longer
    /// a unit that would be lost.
    pub fn with_columns_given(
        grid: &'g Grid,
        required: &[&str],
        given: Option<(Decimal, &str)>,
    ) -> Result<Self> {
        let score = |r: &GridRow| {
            let h = header_of(r);
            required
                .iter()
                .filter(|c| h.iter().any(|x| names(x, c)))
                .count()
        };
        let full = grid.rows.iter().position(|r| score(r) == required.len());
        let idx = match full {
            Some(i) => i,
            None => {
                let best = grid
                    .rows
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, r)| (score(r), std::cmp::Reverse(*i)))
                    .map(|(i, _)| i);
                let Some(b) = best.filter(|&b| grid.rows[b].cells.iter().any(|c| !c.is_empty()))
                else {
                    return Err(Error::Table {
                        place: grid.place(),
                        message: "is empty; expected a header row and data rows".into(),
                    });
                };
                let t = Self::build(grid, b);
                for c in required {
                    t.col(c)?;
                }
                b
            }
        };
        let t = Self::build(grid, idx);
        for c in required {
            let n = t.header.iter().filter(|h| names(h, c)).count();
            if n > 1 {
                return Err(Error::Table {
                    place: t.header_place(),
                    message: format!(
                        "column {c:?} appears {n} times; each column must be named once"
                    ),
                });
            }
        }
        t.unit_in_title(given)?.fields_in_line()
    }

    /// A unit said only in a title above the table ("Budget 2030/31
    /// (£000)") would be lost: its figures read as pounds, a thousandth of
    /// what they are. Refused unless a column heading carries a unit (then
    /// the headings say which columns it is) or the same unit is `given`.
    fn unit_in_title(self, given: Option<(Decimal, &str)>) -> Result<Self> {
        let titled = self.grid.rows[..self.header_idx].iter().find_map(|r| {
            r.cells.iter().find_map(|c| {
                let text = c.display();
                let (_, scale) = heading_unit(&text);
                (scale != Decimal::ONE).then(|| (self.grid.row_place(r), text, scale))
            })
        });
        if self.scales.iter().any(|s| *s != Decimal::ONE) {
            return Ok(self);
        }
        match (titled, given) {
            (Some((_, _, scale)), Some((g, _))) if scale == g => Ok(self),
            (Some((place, text, scale)), Some((g, flag))) => Err(Error::Table {
                place,
                message: format!(
                    "the title {text:?} says {} but {flag} says {}: give the unit once",
                    money::unit_name(scale),
                    money::unit_name(g)
                ),
            }),
            (titled, _) => self.title_lost(titled),
        }
    }

    /// The refusal of a unit said only in a title, no unit given.
    fn title_lost(self, titled: Option<(String, String, Decimal)>) -> Result<Self> {
        match titled {
            Some((place, text, _)) => Err(Error::Table {
                place,
                message: format!(
                    "the title {text:?} gives a unit the column headings do not: put it in the \
                         headings of the figure columns (e.g. \"Net (£000)\") so it is applied to them"
                ),
            }),
            _ => Ok(self),
        }
    }

    /// A CSV line with more fields than its header: an unquoted comma
    /// (`299,700`) moves every field after it one column on, so it is
    /// refused rather than read into the wrong partner's column. Only a
    /// delimiter ending every data line alike (empty fields, one more than
    /// the header's) is taken as an exporter's habit.
    fn fields_in_line(self) -> Result<Self> {
        let g = self.grid;
        let Some(&width) = g.fields.get(self.header_idx) else {
            return Ok(self);
        };
        let data = || {
            (0..g.rows.len()).filter(|&i| {
                matches!(
                    self.roles[i],
                    RowRole::Data | RowRole::TypedTotal | RowRole::Note
                )
            })
        };
        let trailing =
            |i: usize| g.fields[i] == width + 1 && g.rows[i].cells.len() <= width as usize;
        let habit = data().all(trailing);
        match data().find(|&i| g.fields[i] > width && !habit) {
            None => Ok(self),
            Some(i) => Err(Error::Table {
                place: g.row_place(&g.rows[i]),
                message: format!(
                    "{} fields, but the header ({}) names {width}: a comma inside a figure or \
                     text moves every field after it; put that field in quotes (\"299,700\") \
                     or take the comma out",
                    g.fields[i],
                    self.header_place_short(),
                ),
            }),
        }
    }

    /// "line N", where the header is.
    fn header_place_short(&self) -> String {
        format!("line {}", self.grid.rows[self.header_idx].pos)
    }

    /// The table whose header is row `header_idx` of the grid.
    pub fn at_header(grid: &'g Grid, header_idx: usize) -> Self {
        Self::build(grid, header_idx)
    }

    fn build(grid: &'g Grid, header_idx: usize) -> Self {
        let header = header_of(&grid.rows[header_idx]);
        let roles = grid
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let filled: Vec<&CellValue> = r.cells.iter().filter(|c| !c.is_empty()).collect();
                if i < header_idx {
                    if filled.is_empty() {
                        RowRole::Blank
                    } else {
                        RowRole::Title
                    }
                } else if i == header_idx {
                    RowRole::Header
                } else if filled.is_empty() {
                    RowRole::Blank
                } else if typed_total(&filled) {
                    RowRole::TypedTotal
                } else if filled.len() == 1 && lone_note(r, &grid.rows[header_idx], &header) {
                    RowRole::Note
                } else {
                    RowRole::Data
                }
            })
            .collect();
        let scales = header.iter().map(|h| heading_unit(h).1).collect();
        Records {
            grid,
            header,
            header_idx,
            roles,
            scales,
        }
    }

    fn header_place(&self) -> String {
        match &self.grid.sheet {
            Some(_) => format!(
                "{}, header row {}",
                self.grid.place(),
                self.grid.rows[self.header_idx].pos + 1
            ),
            None => format!(
                "{}, header line {}",
                self.grid.file, self.grid.rows[self.header_idx].pos
            ),
        }
    }

    pub fn col(&self, name: &str) -> Result<usize> {
        self.find_col(name).ok_or_else(|| Error::MissingColumn {
            place: self.header_place(),
            column: name.to_string(),
            hint: String::new(),
            found: self.header.clone(),
        })
    }

    pub fn find_col(&self, name: &str) -> Option<usize> {
        // An exact heading first, then one that differs by spacing or a unit.
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .or_else(|| self.header.iter().position(|h| names(h, name)))
    }

    /// The heading cell of a column.
    pub fn header_cell(&self, col: usize) -> Origin {
        self.grid.origin(&self.grid.rows[self.header_idx], col)
    }

    /// The unit a column's heading states (1 for pounds or none stated).
    pub fn scale(&self, col: usize) -> Decimal {
        self.header
            .get(col)
            .map(|h| heading_unit(h).1)
            .unwrap_or(Decimal::ONE)
    }

    /// The data rows.
    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        let grid = self.grid;
        let scales = &self.scales[..];
        grid.rows
            .iter()
            .zip(&self.roles)
            .filter(|(_, role)| **role == RowRole::Data)
            .map(move |(row, _)| Record { grid, row, scales })
    }

    pub fn len(&self) -> usize {
        self.roles.iter().filter(|r| **r == RowRole::Data).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn roles(&self) -> &[RowRole] {
        &self.roles
    }

    pub fn accounting(&self) -> Accounting {
        let mut a = Accounting {
            place: self.grid.place(),
            read: self.grid.rows.len(),
            header: 0,
            used: 0,
            set_aside: Vec::new(),
            typed: match self.roles.contains(&RowRole::TypedTotal) {
                true => totals::typed_totals(self),
                false => Vec::new(),
            },
        };
        for (row, role) in self.grid.rows.iter().zip(&self.roles) {
            match role {
                RowRole::Header => a.header += 1,
                RowRole::Data => a.used += 1,
                other => a.set_aside.push((
                    self.grid.row_place(row),
                    other.reason(),
                    row.cells
                        .iter()
                        .find(|c| !c.is_empty())
                        .map(|c| c.display())
                        .unwrap_or_default(),
                )),
            }
        }
        a
    }
}

impl<'g> Record<'g> {
    pub fn cell(&self, col: usize) -> &'g CellValue {
        const EMPTY: &CellValue = &CellValue::Empty;
        self.row.cells.get(col).unwrap_or(EMPTY)
    }

    pub fn origin(&self, col: usize) -> Origin {
        self.grid.origin(self.row, col)
    }

    pub fn place(&self) -> String {
        self.grid.row_place(self.row)
    }

    /// Text of a label cell, trimmed; an error naming the cell if blank.
    pub fn text(&self, col: usize, what: &str) -> Result<String> {
        let c = self.cell(col);
        let s = c.display().trim().to_string();
        if s.is_empty() {
            // Merged cells keep their text in the first row only.
            let at = self
                .grid
                .rows
                .iter()
                .position(|r| std::ptr::eq(r, self.row));
            let above = at
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| self.grid.rows[i].cells.get(col))
                .is_some_and(|c| !c.display().trim().is_empty());
            return Err(match above {
                true => self.expected(
                    col,
                    &format!("{what} (if it is merged with the cell above, write it in every row)"),
                ),
                false => self.expected(col, what),
            });
        }
        Ok(s)
    }

    pub fn opt_text(&self, col: usize) -> Option<String> {
        let s = self.cell(col).display().trim().to_string();
        (!s.is_empty()).then_some(s)
    }

    /// An amount: numbers as they are, text parsed as council money, in
    /// pounds (a column headed "£000" is in thousands).
    pub fn amount(&self, col: usize) -> Result<Amount> {
        let a = cell_amount(self.cell(col), || self.origin(col))?;
        let scale = self.scales.get(col).copied().unwrap_or(Decimal::ONE);
        // "£2m" under "Budget (£000)" would be £2bn: which unit is meant?
        if let CellValue::Text(t) = self.cell(col)
            && scale != Decimal::ONE
            && money::unit_suffix(t)
        {
            return Err(self.expected(
                col,
                "a figure without a unit letter: the column's heading gives its unit",
            ));
        }
        match a {
            Amount::Value(d) if scale != Decimal::ONE => d
                .checked_mul(scale)
                .map(Amount::Value)
                .ok_or_else(|| self.expected(col, "an amount small enough to convert to pounds")),
            other => Ok(other),
        }
    }

    /// An amount that must be a figure (N/A and blanks refused).
    pub fn figure(&self, col: usize, what: &str) -> Result<Decimal> {
        match self.amount(col)? {
            Amount::Value(d) => Ok(d),
            _ => Err(self.expected(col, what)),
        }
    }

    pub fn expected(&self, col: usize, what: &str) -> Error {
        let mut found = self.cell(col).describe();
        // A row of one figure fails at its first blank label: say what
        // the row holds ("12", a page number?), not only the blank.
        let filled: Vec<usize> = (0..self.row.cells.len())
            .filter(|&i| !self.row.cells[i].is_empty())
            .collect();
        if let [i] = filled.as_slice()
            && *i != col
        {
            found = format!(
                "{found}: the row holds only {} at {} (a page or footnote number? take it out, or give the row its labels)",
                self.row.cells[*i].describe(),
                self.grid.origin(self.row, *i)
            );
        }
        Error::Cell {
            origin: self.origin(col),
            expected: what.to_string(),
            found,
        }
    }
}

/// Converts a cell to an amount, or says exactly why not.
pub fn cell_amount(cell: &CellValue, origin: impl Fn() -> Origin) -> Result<Amount> {
    let bad = |c: &CellValue| Error::Cell {
        origin: origin(),
        expected: AMOUNT_EXPECTED.to_string(),
        found: c.describe(),
    };
    match cell {
        CellValue::Empty => Ok(Amount::Blank),
        CellValue::Number(d) if d.abs() > money::MAX_AMOUNT => Err(Error::Cell {
            origin: origin(),
            expected: "an amount of at most £1,000,000,000,000,000".into(),
            found: cell.describe(),
        }),
        CellValue::Number(d) => Ok(Amount::Value(*d)),
        // Why not, when it is a mistake councils make ("(-5)", "0,750").
        CellValue::Text(s) => money::parse_amount(s).map_err(|e| match e.reason {
            money::NEGATIVE_TWICE | money::ZERO_THOUSANDS | "two minus signs" => Error::Cell {
                origin: origin(),
                expected: AMOUNT_EXPECTED.to_string(),
                found: format!("{}: {}", cell.describe(), e.reason),
            },
            _ => bad(cell),
        }),
        _ => Err(bad(cell)),
    }
}

#[cfg(test)]
mod tests {
    use super::SharedTexts;

    proptest::proptest! {
        /// `names_a_total` by positions is the plain way by a list of words,
        /// for any text of letters, digits, spaces and punctuation.
        #[test]
        fn names_a_total_is_the_plain_way(s in "[a-zA-Z0-9 :()\\-]{0,30}|(grand|sub|Sub|GRAND)? ?(total|Total|TOTALS|subtotal)s? ?[a-z]{0,6}") {
            let plain = |b: &[u8]| {
                let words: Vec<&[u8]> = b.split(|c| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
                let is = |w: Option<&&[u8]>, any: &[&[u8]]| w.is_some_and(|w| any.iter().any(|t| w.eq_ignore_ascii_case(t)));
                is(words.last(), &[b"total", b"totals", b"subtotal", b"subtotals"])
                    || is(words.first(), &[b"subtotal", b"subtotals"])
                    || is(words.first(), &[b"grand", b"sub"]) && is(words.get(1), &[b"total"])
            };
            proptest::prop_assert_eq!(super::names_a_total(s.as_bytes()), plain(s.as_bytes()), "{:?}", s);
        }
    }

    /// Units as headings and titles say them, and what is no unit: a
    /// threshold ("over £1000"), a price ("£ per head").
    #[test]
    fn units_said_in_headings_and_titles() {
        use rust_decimal::Decimal;
        let k = Some(Decimal::from(1000));
        for h in [
            "Budget (£000)",
            "Budget £ thousand",
            "Amount £000",
            "Net [£'000]",
        ] {
            assert_eq!(super::stated_unit(h).1, k, "{h}");
        }
        assert_eq!(super::stated_unit("Cost £ per head").1, None);
        for t in [
            "Spend (£000)",
            "All figures in £000s",
            "Legal spend £000",
            "Amounts in £000 (unaudited)",
            "Legal spend (£000) April 2024",
            "Legal spend, £000",
            "Legal spend £000s.",
            "All figures in £ thousands",
            "Amounts shown in thousands of pounds",
            "Spend in £ 000",
        ] {
            assert_eq!(super::title_unit(t), k, "{t}");
        }
        assert_eq!(
            super::title_unit("Figures in £ millions"),
            Some(Decimal::from(1_000_000))
        );
        // A row of cells: its one cell, the heading over the amount (pounds:
        // none), else any cell saying a unit.
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            super::title_cell(&row(&["Legal spend (£000)", "", "April 2024"]), Some(2)),
            Some(0)
        );
        assert_eq!(
            super::title_cell(&row(&["", "Budget (£000)", "Spend (£)"]), Some(2)),
            None
        );
        assert_eq!(
            super::title_cell(&row(&["", "", "Budget (£000)"]), Some(3)),
            Some(2)
        );
        for t in [
            "Payments over £1000",
            "Spend over £500 (excluding VAT)",
            "Spend (£)",
            "Made in £ sterling",
        ] {
            assert_eq!(super::title_unit(t), None, "{t}");
        }
    }

    /// An ODS time cell was named "the date PT12H00M00S" in a refusal; an
    /// xlsx one "the date 0.5": both are read as the time they show.
    #[test]
    fn ods_durations_read_as_times() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let t =
            |v: f64| super::excel_date(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(t(0.5), "12:00:00");
        assert_eq!(t(0.25), "06:00:00");
        assert_eq!(t(0.999_999_9), "23:59:59");
        assert_eq!(t(45_747.0), "2025-03-31");
        use super::{CellValue, duration_text};
        assert_eq!(duration_text("PT12H00M00S"), "12:00:00");
        assert_eq!(duration_text("PT36H5M0.5S"), "36:05:00.5");
        assert_eq!(duration_text("P1DT2H"), "P1DT2H");
        let d = CellValue::Date(duration_text("PT09H30M00S").into());
        assert_eq!(d.describe(), "the time 09:30:00");
        assert_eq!(
            CellValue::Date("P1DT2H".into()).describe(),
            "the duration P1DT2H"
        );
        assert_eq!(
            CellValue::Date("2025-03-31".into()).describe(),
            "the date 2025-03-31"
        );
    }

    /// Each text comes back as itself, whether it shares a slot, recurs or
    /// has been pushed out by another.
    #[test]
    fn shared_texts_are_the_texts() {
        let mut t = SharedTexts::default();
        let texts: Vec<String> = (0..20_000).map(|i| format!("C-{}", i % 7_001)).collect();
        for s in texts.iter().chain(texts.iter().rev()) {
            assert_eq!(&*t.text(s), s.as_str());
        }
        let a = t.text("Agency staff");
        assert!(std::sync::Arc::ptr_eq(&a, &t.text("Agency staff")));
    }

    /// Excel's "Unicode Text" (UTF-16 with its byte-order mark, tabs
    /// between fields) is read as its text, an accented letter included.
    #[test]
    fn unicode_text_is_read() {
        let g =
            super::read_csv(std::path::Path::new("tests/errors/unicode-text-ledger.txt")).unwrap();
        let cells: Vec<Vec<String>> = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.display()).collect())
            .collect();
        assert_eq!(cells[0], ["authority", "cost_centre", "amount"]);
        assert_eq!(cells[2], ["DEF", "Cé", "-2"]);
    }

    /// Sheets past the cells a workbook may hold at once are refused one
    /// by one, saying why; asked for by name, such a sheet is read.
    #[test]
    fn a_workbook_is_held_within_its_cells() {
        let path = std::path::Path::new("fixtures/business-cases.xlsx");
        let whole = super::read_file(path, None).unwrap();
        let cells = |g: &super::Grid| g.rows.iter().map(|r| r.cells.len()).sum::<usize>();
        assert!(whole.len() >= 2 && whole.iter().all(|g| g.refused.is_none()));
        let first = cells(&whole[0]);
        let held = super::read_file_within(path, None, first).unwrap();
        assert_eq!(held[0], whole[0]);
        let why = held[1].refused.as_deref().unwrap();
        assert!(
            why.starts_with(&format!("the sheets before it hold {first} cells")),
            "{why}"
        );
        assert!(held[1].rows.is_empty());
        let name = whole[1].sheet.as_deref();
        let alone = super::read_file_within(path, name, first).unwrap();
        assert_eq!(alone, vec![whole[1].clone()]);
    }

    /// A line with more fields than the header is refused, naming it,
    /// whether the extra field holds a figure or is empty (the shifted
    /// line's last field was its empty note); a delimiter ending every
    /// data line alike is read.
    #[test]
    fn lines_wider_than_the_header_are_refused() {
        let read = |text: &str| {
            let g = super::read_csv_str("b.csv", text).unwrap();
            super::Records::new(&g)
                .map(|r| r.iter().count())
                .map_err(|e| e.to_string())
        };
        let head = "service,MBC,SBC,note\n";
        assert_eq!(
            read(&format!("{head}Audit,299700,180110,\nHR,5,6,x\n")),
            Ok(2)
        );
        let shifted = read(&format!("{head}Audit,299,700,180110,\nHR,5,6,x\n")).unwrap_err();
        assert!(shifted.contains("b.csv, line 2: 5 fields"), "{shifted}");
        let extra = read(&format!("{head}Audit,1,2,n\nHR,5,6,x,7\n")).unwrap_err();
        assert!(extra.contains("b.csv, line 3: 5 fields"), "{extra}");
        // Every data line ends with a comma: the exporter's habit, not a shift.
        assert_eq!(read(&format!("{head}Audit,1,2,,\nHR,5,6,x,\n")), Ok(2));
        // One line of many with a comma too many is a shift.
        let one = read(&format!("{head}Audit,1,2,,\nHR,5,6,x\n")).unwrap_err();
        assert!(one.contains("line 2"), "{one}");
    }
}
