//! The report pack a person puts straight into an annual report: per report
//! or model, `csv/` (one file per table), `charts/` (SVG and PNG), one
//! formatted workbook and one Markdown file with the charts beside the
//! tables. The same inputs give byte-identical files.

use crate::base::error::{Error, Result};
use crate::base::money::Negatives;
use crate::base::table::{Table, Value};
use crate::base::text::capitalised;
use crate::base::trace::{Origin, Trace, a1};
use crate::input::source::Source;
use crate::model::{self, Model};
use crate::output::chart::{self, Chart};
use crate::output::render;
use crate::tables;
use crate::tables::annual::AnnualInputs;
use crate::tables::check;
use crate::whatif::scenario::{self, Case};
use crate::whatif::simulate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Csv,
    Md,
    Xlsx,
    Charts,
    Docx,
}

pub const ALL_PARTS: [Part; 5] = [Part::Csv, Part::Md, Part::Xlsx, Part::Charts, Part::Docx];

/// One report or model's tables and charts.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Folder name under reports/.
    pub name: String,
    pub title: String,
    pub intro: String,
    pub tables: Vec<Table>,
    /// Markdown appended at the end (the check report).
    pub appendix: String,
    /// Said on standard error: input rows set aside, and why.
    pub warnings: Vec<String>,
    /// The financial year it is about, if one: the workbook is dated at its
    /// end, so that the same inputs give the same bytes.
    pub year: Option<crate::base::year::Year>,
    /// The document the figures come from (a model's `source`); None: the
    /// names of the input files.
    pub source: Option<String>,
    /// "18 published figures checked; 0 differ.": said in the Word document
    /// and the workbook when no table lists differences.
    pub checked: Option<String>,
}

impl Pack {
    /// Where the figures come from, as a chart's footnote or a document's
    /// source line says it: the document, else the input files' names
    /// (without their folders, which mean nothing on paper).
    pub fn source_line(&self) -> Option<String> {
        if let Some(s) = &self.source {
            return Some(s.clone());
        }
        let files: Vec<String> = crate::base::table::input_files(&self.tables)
            .iter()
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .map_or(f.clone(), |n| n.to_string_lossy().into_owned())
            })
            .collect();
        (!files.is_empty()).then(|| files.join(", "))
    }
}

pub fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.display().to_string(),
            source,
        })?;
    }
    crate::base::atomic::write(path, contents)
}

/// Writes the pack under `dir/<name>/`; returns the files written.
pub fn write(pack: &Pack, dir: &Path, parts: &[Part], neg: Negatives) -> Result<Vec<String>> {
    let dir = dir.join(&pack.name);
    // Every part is written into it, whichever are asked for.
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    // Temporary files of an earlier run that was killed go first.
    for d in [dir.clone(), dir.join("csv"), dir.join("charts")] {
        crate::base::atomic::sweep(&d);
    }
    let mut written = Vec::new();
    let charts: Vec<(&str, &Chart)> = pack
        .tables
        .iter()
        .flat_map(|t| t.charts.iter().map(|c| (t.name.as_str(), c)))
        .collect();
    if parts.contains(&Part::Csv) {
        for t in &pack.tables {
            let p = dir.join("csv").join(format!("{}.csv", t.name));
            write_file(&p, render::to_csv(t)?.as_bytes())?;
            written.push(p.display().to_string());
        }
    }
    if parts.contains(&Part::Charts) {
        let source = pack
            .source_line()
            .map_or(String::new(), |s| format!("Source: {s}"));
        for (_, c) in &charts {
            let (svg, png) = chart::write(c, &dir.join("charts"), &source)?;
            written.push(svg.display().to_string());
            written.push(png.display().to_string());
        }
    }
    if parts.contains(&Part::Xlsx) {
        let p = dir.join(format!("{}.xlsx", pack.name));
        workbook(pack, &p)?;
        written.push(p.display().to_string());
    }
    if parts.contains(&Part::Docx) {
        let p = dir.join(format!("{}.docx", pack.name));
        let charts_dir = dir.join("charts");
        let charts = parts
            .contains(&Part::Charts)
            .then_some(charts_dir.as_path());
        let doc = crate::output::docx::Doc {
            title: &pack.title,
            intro: &pack.intro,
            tables: &pack.tables,
            year: pack.year,
            source: pack.source_line(),
            checked: pack.checked.as_deref(),
        };
        crate::output::docx::document(&doc, charts, &p, neg)?;
        written.push(p.display().to_string());
    }
    if parts.contains(&Part::Md) {
        let esc = render::md_escape;
        let mut md = format!("# {}\n\n{}\n", esc(&pack.title), esc(&pack.intro));
        for t in &pack.tables {
            md.push('\n');
            // Each chart after its section's table, as in the Word document.
            md.push_str(&render::to_markdown(t, neg, "##"));
            if parts.contains(&Part::Charts) {
                for (_, c) in charts.iter().filter(|(tn, _)| *tn == t.name) {
                    md.push_str(&format!("\n![{}](charts/{}.svg)\n", esc(&c.title), c.name));
                }
            }
        }
        if !pack.appendix.is_empty() {
            md.push('\n');
            md.push_str(&pack.appendix);
        }
        let p = dir.join("report.md");
        write_file(&p, md.as_bytes())?;
        written.push(p.display().to_string());
    }
    Ok(written)
}

/// Removes what an earlier run wrote in a pack's csv/ and charts/ that
/// this whole run (`written`, by `write`) did not: a table or chart the
/// inputs no longer give would sit beside the new ones as if current.
/// Returns what it removed. Only for a pack written whole (not `--only`),
/// and only in the folders of the `parts` written (`--format md` leaves
/// the CSVs alone).
pub fn remove_stale(
    pack: &Pack,
    dir: &Path,
    parts: &[Part],
    written: &[String],
) -> Result<Vec<String>> {
    let dir = dir.join(&pack.name);
    let mut removed = Vec::new();
    let folders = [
        (Part::Csv, "csv", &["csv"][..]),
        (Part::Charts, "charts", &["svg", "png"][..]),
    ];
    for (part, sub, exts) in folders {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        if !parts.contains(&part) {
            continue;
        }
        let mut stale: Vec<std::path::PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
            .filter(|p| !written.contains(&p.display().to_string()))
            .collect();
        stale.sort();
        for p in stale {
            std::fs::remove_file(&p).map_err(|source| Error::Write {
                path: p.display().to_string(),
                source,
            })?;
            removed.push(p.display().to_string());
        }
    }
    Ok(removed)
}

/// The packs' folder names, each once: a model file named as another
/// report's folder (mkip-overall.toml beside the overall score) would
/// write both into one folder, the later over the earlier.
pub fn distinct_folders(packs: &[Pack], hint: &str) -> Result<()> {
    for (i, p) in packs.iter().enumerate() {
        // Case too: Windows and macOS folders ignore it.
        if let Some(q) = packs[..i]
            .iter()
            .find(|q| q.name.eq_ignore_ascii_case(&p.name))
        {
            return Err(Error::usage(format!(
                "two reports would be written to one folder, {}/: {:?} and {:?}; {hint}",
                p.name, q.title, p.title
            )));
        }
    }
    Ok(())
}

/// Excel sheet names: at most 31 characters, none of []:*?/\ .
fn sheet_name(s: &str, used: &[String]) -> String {
    let clean: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        name = format!(
            "{}{suffix}",
            clean.chars().take(31 - suffix.len()).collect::<String>()
        );
        n += 1;
    }
    name
}

/// A number format with `dp` places after `whole` (and `suffix`), negatives
/// in brackets, as the tables print them.
fn bracketed_format(whole: &str, dp: u32, suffix: &str) -> String {
    let body = if dp == 0 {
        format!("{whole}{suffix}")
    } else {
        format!("{whole}.{}{suffix}", "0".repeat(dp as usize))
    };
    format!("{body};({body})")
}

fn money_format(dp: u32) -> String {
    bracketed_format("£#,##0", dp, "")
}

fn number_format(dp: u32) -> String {
    bracketed_format("#,##0", dp, "")
}

fn percent_format(dp: u32) -> String {
    bracketed_format("0", dp, "%")
}

fn xlsx_err(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Write {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// The display width of a value, for column widths.
fn width(v: &Value) -> usize {
    render::display(v, Negatives::Brackets).chars().count()
}

/// One cell of a table sheet: numbers as numbers in the tables' formats;
/// totals as live SUM formulas where they add up exactly.
fn write_value(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    t: &Table,
    (ri, ci): (usize, usize),
    base: &Format,
) -> std::result::Result<(), XlsxError> {
    let cell = &t.rows[ri].cells[ci];
    let base = base.clone();
    // Cells hold numbers, so a reader can total them; xlsx stores
    // every number as a double (the exact figures are in csv/).
    let num = |d: rust_decimal::Decimal| -> f64 {
        rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
    };
    match &t.rows[ri].cells[ci].value {
        // Words among figures (a payback year, "BREACH by £97,430") sit
        // on the right, as the figures do.
        Value::Text { text } if ci >= t.key_cols => {
            let f = base.set_align(rust_xlsxwriter::FormatAlign::Right);
            ws.write_string_with_format(row, col, text, &f)?;
        }
        // Longer than the widest column (60): wrapped, not cut at its edge.
        Value::Text { text } if text.chars().count() > 60 => {
            ws.write_string_with_format(row, col, text, &base.set_text_wrap())?;
        }
        Value::Text { text } => {
            ws.write_string_with_format(row, col, text, &base)?;
        }
        Value::Money { amount, dp } => {
            let f = base.set_num_format(money_format(*dp));
            match total_formula(t, ri, ci) {
                // A live total, its value cached for readers that
                // do not calculate.
                Some(sum) => ws.write_formula_with_format(
                    row,
                    col,
                    Formula::new(sum).set_result(render::plain(&cell.value)),
                    &f,
                )?,
                None => ws.write_number_with_format(row, col, num(*amount), &f)?,
            };
        }
        Value::Millions { amount, dp } => {
            // Negatives in brackets, as every other sum of money is shown.
            let body = format!("£#,##0.{},,\"m\"", "0".repeat((*dp).max(1) as usize));
            let f = format!("{body};({body})");
            ws.write_number_with_format(row, col, num(*amount), &base.set_num_format(f))?;
        }
        Value::Percent { value, dp } => {
            let f = percent_format(*dp);
            ws.write_number_with_format(row, col, num(*value) / 100.0, &base.set_num_format(f))?;
        }
        Value::Points { value, dp } => {
            let body = format!(
                "{}\" pp\"",
                number_format(*dp).split(';').next().unwrap_or("0")
            );
            ws.write_number_with_format(
                row,
                col,
                num(*value),
                &base.set_num_format(format!("{body};({body})")),
            )?;
        }
        Value::Number { value, dp } => {
            ws.write_number_with_format(
                row,
                col,
                num(*value),
                &base.set_num_format(number_format(*dp)),
            )?;
        }
        Value::NotApplicable { label } => {
            ws.write_string_with_format(
                row,
                col,
                label,
                &base.set_align(rust_xlsxwriter::FormatAlign::Right),
            )?;
        }
        Value::Empty => {}
    }
    Ok(())
}

fn write_table(ws: &mut Worksheet, t: &Table) -> std::result::Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_text_wrap();
    // Headers wrap: a table printed across pages keeps its figure columns
    // narrow (a scenario's long name takes three lines, not a wide column).
    let most = if is_paged(t) { 14 } else { 24 };
    let mut widths: Vec<usize> = t
        .columns
        .iter()
        .map(|c| c.chars().count().min(most))
        .collect();
    // The table's title above it; the header row under it.
    let title = Format::new()
        .set_bold()
        .set_font_size(12)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    // A table printed across pages repeats its label column on each: its
    // title and notes go in that column, wrapped, so every page shows them
    // whole (merged across the table, later pages showed them cut).
    let paged = is_paged(t);
    if t.columns.len() > 1 && !paged {
        // Across the table and wrapped within it: a long title must not
        // widen what prints (and so shrink the table to fit the page).
        ws.merge_range(0, 0, 0, t.columns.len() as u16 - 1, &t.title, &title)?;
    } else {
        ws.write_string_with_format(0, 0, &t.title, &title)?;
    }
    for (c, name) in t.columns.iter().enumerate() {
        // Headers of figures sit over them, on the right.
        let h = if c >= t.key_cols {
            header
                .clone()
                .set_align(rust_xlsxwriter::FormatAlign::Right)
        } else {
            header.clone()
        };
        ws.write_string_with_format(
            1,
            c as u16,
            name,
            &h.set_align(rust_xlsxwriter::FormatAlign::Top),
        )?;
    }
    for (ri, r) in t.rows.iter().enumerate() {
        let row = ri as u32 + FIRST_ROW;
        for (ci, cell) in r.cells.iter().enumerate() {
            let col = ci as u16;
            // Bold (total) rows print about a tenth wider.
            let w = width(&cell.value).min(60);
            widths[ci] = widths[ci].max(if r.total { w + w.div_ceil(10) } else { w });
            let base = if r.total {
                Format::new().set_bold()
            } else {
                Format::new()
            };
            write_value(ws, (row, col), t, (ri, ci), &base)?;
        }
    }
    if paged {
        widths[0] = widths[0].max(PAGED_LABELS);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).max(8.0))?;
    }
    wrapped_rows(ws, t, &widths)?;
    let across: usize = if paged {
        widths[0]
    } else {
        widths.iter().map(|w| (*w).max(6) + 2).sum()
    };
    // Bold 12 pt: about 1.4 characters of the columns' width each.
    let title_lines = (t.title.chars().count() * 7 / 5)
        .div_ceil(across.max(20))
        .max(1);
    ws.set_row_height(0, 18.0 * title_lines as f64)?;
    // The header row as tall as its most wrapped header, so no header runs
    // up into the title (a reader does not resize rows on opening).
    let lines = t
        .columns
        .iter()
        .zip(&widths)
        .map(|(h, w)| wrapped_lines(h, (*w + 1).max(7)))
        .max()
        .unwrap_or(1)
        .max(1);
    ws.set_row_height(1, 15.0 * lines as f64)?;
    // The sheet's height in points, for the print scale.
    let tall = 18 * title_lines + 15 * (lines + t.rows.len() + 1) + write_notes(ws, t, across)?;
    ws.set_freeze_panes(FIRST_ROW, t.key_cols as u16)?;
    print_setup(ws, t, &widths, tall)
}

/// The table's notes under it, as in the report (what a figure means
/// travels with the sheet), each wrapped across the table's width
/// (`across` characters) in merged cells so that it does not widen what
/// prints; in the label column of a table printed across pages. Returns
/// their height in points.
fn write_notes(
    ws: &mut Worksheet,
    t: &Table,
    across: usize,
) -> std::result::Result<usize, XlsxError> {
    let paged = is_paged(t);
    let mut tall = 0;
    let italic = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let last = t.columns.len().saturating_sub(1) as u16;
    for (i, note) in t.notes.iter().enumerate() {
        let row = FIRST_ROW + t.rows.len() as u32 + 1 + i as u32;
        let note = note.replace('`', "");
        if last == 0 || paged {
            ws.write_string_with_format(row, 0, &note, &italic)?;
        } else {
            ws.merge_range(row, 0, row, last, &note, &italic)?;
        }
        let lines = note.chars().count().div_ceil(across.max(20)).max(1);
        ws.set_row_height(row, 15.0 * lines as f64)?;
        tall += 15 * lines;
    }
    Ok(tall)
}

/// Rows holding text wider than its column (which wraps: see `write_value`)
/// as tall as their wrapped lines; a reader does not resize rows on
/// opening, and the lines printed over the rows around them.
fn wrapped_rows(
    ws: &mut Worksheet,
    t: &Table,
    widths: &[usize],
) -> std::result::Result<(), XlsxError> {
    for (ri, r) in t.rows.iter().enumerate() {
        let lines = r
            .cells
            .iter()
            .zip(widths)
            .filter_map(|(c, w)| match &c.value {
                Value::Text { text } if text.chars().count() > 60 => {
                    Some(wrapped_lines(text, *w + 1))
                }
                _ => None,
            })
            .max();
        if let Some(n) = lines.filter(|n| *n > 1) {
            ws.set_row_height(ri as u32 + FIRST_ROW, 15.0 * n as f64)?;
        }
    }
    Ok(())
}

/// Lines `text` takes wrapped at word ends in `width` characters.
fn wrapped_lines(text: &str, width: usize) -> usize {
    let (mut lines, mut used) = (1, 0);
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if used > 0 && used + 1 + n > width {
            lines += 1;
            used = n;
        } else {
            used += n + usize::from(used > 0);
        }
    }
    lines
}

/// A table of more than twelve columns prints across pages, its row labels
/// repeated on each.
fn is_paged(t: &Table) -> bool {
    t.columns.len() > 12 && t.key_cols == 1
}

/// The label column of a table printed across pages: wide enough for its
/// title and notes wrapped in it.
const PAGED_LABELS: usize = 40;

/// Figure columns on each portrait page of a table printed across pages.
const PAGE_FIGURES: usize = 4;

/// The first column of each printed page after the first: at most
/// `PAGE_FIGURES` figure columns a page, a scenario's figure kept with its
/// "Change: " column.
fn page_starts(t: &Table) -> Vec<u32> {
    let mut starts = Vec::new();
    let (mut c, mut on_page) = (t.key_cols, 0);
    while c < t.columns.len() {
        let pair = t
            .columns
            .get(c + 1)
            .is_some_and(|next| *next == format!("Change: {}", t.columns[c]));
        let n = 1 + usize::from(pair);
        if on_page + n > PAGE_FIGURES {
            starts.push(c as u32);
            on_page = 0;
        }
        on_page += n;
        c += n;
    }
    starts
}

/// The discount rate (%) behind a score table: from its second year's
/// discount factor, 1 / (1 + r).
fn discount_rate(t: &Table) -> Option<Decimal> {
    let c = t.columns.iter().position(|h| h == "Discount factor")?;
    let df = t
        .rows
        .get(1)
        .filter(|r| !r.total)?
        .cells
        .get(c)?
        .value
        .figure()?;
    if df.is_zero() {
        return None;
    }
    let r = (Decimal::ONE / df - Decimal::ONE) * Decimal::ONE_HUNDRED;
    Some(crate::base::money::round_dp(r, 6).normalize())
}

/// The cell on the Inputs sheet that holds the discount rate.
const RATE_CELL: &str = "Inputs!$B$3";

/// The Inputs sheet: what the live formulas of the score sheet read.
fn inputs_sheet(
    ws: &mut Worksheet,
    rate: Decimal,
    linked: &[&str],
) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        "Inputs: change a value here and the score sheet follows",
        &bold.clone().set_font_size(12),
    )?;
    let head = bold.clone().set_border_bottom(FormatBorder::Thin);
    ws.write_string_with_format(1, 0, "Input", &head)?;
    ws.write_string_with_format(
        1,
        1,
        "Value",
        &head.set_align(rust_xlsxwriter::FormatAlign::Right),
    )?;
    ws.write_string(2, 0, "Discount rate (HM Treasury Green Book: 3.5%)")?;
    if !linked.is_empty() {
        // Wrapped across both columns: it prints on the page, whole.
        let what = match linked {
            ["investment"] => "costs read the investment sheet",
            ["savings"] => "savings read the savings sheet",
            _ => "costs and savings read the investment and savings sheets",
        };
        ws.merge_range(
            4,
            0,
            4,
            1,
            &format!(
                "The score sheet's {what}: change an item there and the NPV and the score follow."
            ),
            &Format::new()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top),
        )?;
        ws.set_row_height(4, 45)?;
    }
    let v =
        rust_decimal::prelude::ToPrimitive::to_f64(&(rate / Decimal::ONE_HUNDRED)).unwrap_or(0.0);
    // Shaded as an input, the cell a reader may change.
    ws.write_number_with_format(
        2,
        1,
        v,
        &Format::new()
            .set_num_format("0.0##%")
            .set_background_color(rust_xlsxwriter::Color::RGB(0xFFF2CC))
            .set_border(FormatBorder::Thin),
    )?;
    ws.set_column_width(0, 48)?;
    ws.set_column_width(1, 12)?;
    print_pages(ws, "Inputs", false, 1)
}

/// The score sheet's discount factors, present values, net benefit, NPV
/// and investment score as formulas over its costs and savings and the
/// Inputs sheet's discount rate; every value cached.
fn score_formulas(ws: &mut Worksheet, t: &Table) -> std::result::Result<(), XlsxError> {
    let col = |name: &str| t.columns.iter().position(|h| h == name);
    let (Some(c), Some(s), Some(n), Some(cum), Some(df), Some(pc), Some(ps)) = (
        col("Costs"),
        col("Savings"),
        col("Net benefit"),
        col("Cumulative net"),
        col("Discount factor"),
        col("PV costs"),
        col("PV savings"),
    ) else {
        return Ok(());
    };
    let l = |c: usize| crate::base::trace::column_letters(c as u32);
    let years: Vec<usize> = (0..t.rows.len())
        .take_while(|&r| !t.rows[r].total)
        .collect();
    let cell = |r: usize, c: usize| format!("{}{}", l(c), r as u32 + FIRST_ROW + 1);
    let put = |ws: &mut Worksheet, r: usize, c: usize, f: String| put_formula(ws, t, (r, c), f);
    for &r in &years {
        put(ws, r, n, format!("={}-{}", cell(r, s), cell(r, c)))?;
        let prev = if r == 0 {
            String::new()
        } else {
            format!("{}+", cell(r - 1, cum))
        };
        put(ws, r, cum, format!("={prev}{}", cell(r, n)))?;
        put(ws, r, df, format!("=1/(1+{RATE_CELL})^{r}"))?;
        put(ws, r, pc, format!("={}*{}", cell(r, c), cell(r, df)))?;
        put(ws, r, ps, format!("={}*{}", cell(r, s), cell(r, df)))?;
    }
    // The total row, then NPV and the investment score under it.
    let Some(total) = t.rows.iter().position(|r| r.total) else {
        return Ok(());
    };
    let key = |r: usize| t.row_key(&t.rows[r]);
    for r in total + 1..t.rows.len() {
        match key(r).as_str() {
            "NPV" => put(
                ws,
                r,
                ps,
                format!("={}-{}", cell(total, ps), cell(total, pc)),
            )?,
            "Investment score" => put(
                ws,
                r,
                ps,
                format!("={}/{}", cell(total, ps), cell(total, pc)),
            )?,
            _ => {}
        }
    }
    Ok(())
}

/// Writes a formula in place of table cell (`r`, `c`), its figure cached
/// and formatted as the figure would be.
fn put_formula(
    ws: &mut Worksheet,
    t: &Table,
    (r, c): (usize, usize),
    f: String,
) -> std::result::Result<(), XlsxError> {
    let v = &t.rows[r].cells[c].value;
    let (fmt, cached) = match v {
        Value::Number { dp, .. } => (Format::new().set_num_format(number_format(*dp)), None),
        Value::Money { dp, .. } => (Format::new().set_num_format(money_format(*dp)), None),
        // A sheet holds 33.4% as 0.334.
        Value::Percent { value, dp } => (
            Format::new().set_num_format(percent_format(*dp)),
            Some((value / Decimal::ONE_HUNDRED).normalize().to_string()),
        ),
        _ => (Format::new(), None),
    };
    let fmt = if t.rows[r].total { fmt.set_bold() } else { fmt };
    ws.write_formula_with_format(
        r as u32 + FIRST_ROW,
        c as u16,
        Formula::new(f).set_result(cached.unwrap_or_else(|| render::plain(v))),
        &fmt,
    )?;
    Ok(())
}

/// The score sheet's yearly costs and savings as references to the
/// investment and savings sheets where those hold the very figure: the
/// investment's last total row for that year (its items summed by live
/// formulas), the savings table's total net saving per annum. So a changed
/// item flows through to the NPV and the score.
/// Returns the sheets read ("investment", "savings").
fn score_links(
    ws: &mut Worksheet,
    t: &Table,
    sheets: &[(&Table, &str)],
) -> std::result::Result<Vec<&'static str>, XlsxError> {
    let col = |name: &str| t.columns.iter().position(|h| h == name);
    let (Some(c), Some(s)) = (col("Costs"), col("Savings")) else {
        return Ok(Vec::new());
    };
    let (mut costs, mut savings) = (false, false);
    let sheet = |name: &str| sheets.iter().find(|(o, _)| o.name == name).copied();
    let cell_ref = sheet_ref;
    for r in (0..t.rows.len()).take_while(|&r| !t.rows[r].total) {
        let year = t.row_key(&t.rows[r]);
        let want = |ci: usize| t.rows[r].cells[ci].value.figure().filter(|d| !d.is_zero());
        if let (Some(want), Some((inv, name))) = (want(c), sheet("investment"))
            && let Some(at) = year_total(inv, &year, want)
        {
            put_formula(ws, t, (r, c), cell_ref(name, at))?;
            costs = true;
        }
        if let (Some(want), Some((sav, name))) = (want(s), sheet("savings"))
            && let Some(at) = annual_saving(sav, want)
        {
            put_formula(ws, t, (r, s), cell_ref(name, at))?;
            savings = true;
        }
    }
    Ok([(costs, "investment"), (savings, "savings")]
        .into_iter()
        .filter_map(|(l, s)| l.then_some(s))
        .collect())
}

/// "='Sheet name'!C7": a formula reading table cell (`r`, `c`) of another sheet.
fn sheet_ref(sheet: &str, (r, c): (usize, usize)) -> String {
    let col = crate::base::trace::column_letters(c as u32);
    format!(
        "='{}'!{col}{}",
        sheet.replace('\'', "''"),
        r as u32 + FIRST_ROW + 1
    )
}

/// The apportionment sheet's shares as live formulas: each year's partner
/// shares by largest remainder over the year's total and the weight row,
/// each year's total a reference to the investment sheet, the share %
/// row by largest remainder over the partners' totals. Only where the
/// formula gives the table's very figures in a spreadsheet's doubles
/// (see `exact_shares`); elsewhere (a late joiner's years, pence, shares
/// by several bases) the figures stay as numbers.
fn share_formulas(
    ws: &mut Worksheet,
    t: &Table,
    sheets: &[(&Table, &str)],
) -> std::result::Result<(), XlsxError> {
    let at = |key: &str| {
        t.rows
            .iter()
            .position(|r| !r.total && t.row_key(r).starts_with(key))
    };
    let (Some(w), Some(total)) = (at("Weight: "), t.rows.iter().position(|r| r.total)) else {
        return Ok(());
    };
    let last = t.columns.len() - 1;
    let l = |c: usize| crate::base::trace::column_letters(c as u32);
    let fixed = |r: usize, c: usize| format!("${}${}", l(c), r as u32 + FIRST_ROW + 1);
    let figs = |r: usize| -> Option<Vec<Decimal>> {
        (1..last)
            .map(|c| t.rows[r].cells[c].value.figure())
            .collect()
    };
    let Some(weights) = figs(w) else {
        return Ok(());
    };
    put_formula(
        ws,
        t,
        (w, last),
        format!("=SUM({}:{})", fixed(w, 1), fixed(w, last - 1)),
    )?;
    shade_inputs(ws, t, w, &weights)?;
    let wcells: Vec<String> = (1..last).map(|c| fixed(w, c)).collect();
    let inv = sheets.iter().find(|(o, _)| o.name == "investment");
    for r in 0..total {
        let Some(amount) = t.rows[r].cells[last].value.figure() else {
            continue;
        };
        let year_cell = format!("${}{}", l(last), r as u32 + FIRST_ROW + 1);
        if exact_shares(amount, &weights).is_some_and(|s| Some(s) == figs(r)) {
            for (j, c) in (1..last).enumerate() {
                let f = remainder_formula(&year_cell, &wcells, &fixed(w, last), j);
                put_formula(ws, t, (r, c), format!("={f}"))?;
            }
        }
        let year = t.row_key(&t.rows[r]);
        if let Some(at) = inv.and_then(|(inv, _)| year_total(inv, &year, amount)) {
            put_formula(ws, t, (r, last), sheet_ref(inv.map_or("", |i| i.1), at))?;
        }
    }
    // The share % row: thousandths of the partners' totals.
    let (Some(pct), Some(paid)) = (at("Share %"), figs(total)) else {
        return Ok(());
    };
    let want = figs(pct).map(|v| v.iter().map(|p| p * Decimal::TEN).collect::<Vec<_>>());
    if exact_shares(Decimal::ONE_THOUSAND, &paid).is_some_and(|s| Some(s) == want) {
        let paid_cells: Vec<String> = (1..last).map(|c| fixed(total, c)).collect();
        for (j, c) in (1..last).enumerate() {
            let f = remainder_formula("1000", &paid_cells, &fixed(total, last), j);
            put_formula(ws, t, (pct, c), format!("=({f})/1000"))?;
        }
    }
    Ok(())
}

/// The weight row's figures shaded as inputs, as the Inputs sheet's rate
/// is: the cells a reader may change to re-share the costs.
fn shade_inputs(
    ws: &mut Worksheet,
    t: &Table,
    w: usize,
    weights: &[Decimal],
) -> std::result::Result<(), XlsxError> {
    for (c, v) in (1..).zip(weights) {
        let f = match &t.rows[w].cells[c].value {
            Value::Money { dp, .. } => money_format(*dp),
            Value::Number { dp, .. } => number_format(*dp),
            _ => continue,
        };
        let n = rust_decimal::prelude::ToPrimitive::to_f64(v).unwrap_or(0.0);
        ws.write_number_with_format(
            w as u32 + FIRST_ROW,
            c as u16,
            n,
            &Format::new()
                .set_num_format(f)
                .set_background_color(rust_xlsxwriter::Color::RGB(0xFFF2CC))
                .set_border(FormatBorder::Thin),
        )?;
    }
    Ok(())
}

/// `amount` split by `weights` to whole units by largest remainder, when a
/// spreadsheet's doubles would get it exactly with `remainder_formula`:
/// whole, non-negative amount and weights, each product below 2^52 (so
/// the floor of each quotient is exact, and so each remainder).
fn exact_shares(amount: Decimal, weights: &[Decimal]) -> Option<Vec<Decimal>> {
    let whole = |d: &Decimal| d.fract().is_zero() && !d.is_sign_negative();
    let limit = Decimal::from(1u64 << 52);
    if !whole(&amount)
        || !weights.iter().all(whole)
        || weights
            .iter()
            .any(|w| amount.checked_mul(*w).is_none_or(|p| p >= limit))
    {
        return None;
    }
    crate::case::apportion::apportion_values(amount, weights, Decimal::ONE).ok()
}

/// Partner `j`'s share of `amount` by `weights` (cells of one row, `sum`
/// their total), largest remainder to whole units, ties to the partner
/// listed first, as costshare's apportionment does: the floor of its exact
/// share, plus one unit when fewer partners rank above it (a larger
/// remainder, or an equal one listed earlier) than there are units left.
fn remainder_formula(amount: &str, weights: &[String], sum: &str, j: usize) -> String {
    let floor = |w: &str| format!("INT({amount}*{w}/{sum})");
    let rem = |w: &str| format!("({amount}*{w}-{sum}*{})", floor(w));
    let all = format!("{}:{}", weights[0], weights[weights.len() - 1]);
    let mut above = format!("SUMPRODUCT(--({}>{}))", rem(&all), rem(&weights[j]));
    if j > 0 {
        let before = format!("{}:{}", weights[0], weights[j - 1]);
        above += &format!("+SUMPRODUCT(--({}={}))", rem(&before), rem(&weights[j]));
    }
    let left = format!("{amount}-SUMPRODUCT({})", floor(&all));
    format!("{}+IF({above}<{left},1,0)", floor(&weights[j]))
}

/// The cell of the investment table's last total row, in the year's
/// column, that holds `want`.
fn year_total(inv: &Table, year: &str, want: Decimal) -> Option<(usize, usize)> {
    let c = inv.columns.iter().position(|h| h == year)?;
    let r = inv
        .rows
        .iter()
        .rposition(|r| r.total && r.cells.get(c).and_then(|v| v.value.figure()) == Some(want))?;
    Some((r, c))
}

/// The cell of the savings table's total row, last column, when it holds
/// `want` (a full year's saving).
fn annual_saving(sav: &Table, want: Decimal) -> Option<(usize, usize)> {
    let r = sav.rows.iter().rposition(|r| r.total)?;
    let c = sav.columns.len().checked_sub(1)?;
    (sav.rows[r].cells.get(c)?.value.figure()? == want).then_some((r, c))
}

/// The sheet row (0-based) of a table's first data row: the title, then
/// the header.
const FIRST_ROW: u32 = 2;

/// A total row's money cell as a SUM over the cells it adds up, when they
/// give its value exactly: the data rows since the last total, else the
/// totals above it, else every data row above it.
fn total_formula(t: &Table, ri: usize, ci: usize) -> Option<String> {
    let row = &t.rows[ri];
    let want = row.cells.get(ci)?.value.figure()?;
    if !row.total {
        return None;
    }
    let money = |r: usize| match &t.rows[r].cells.get(ci)?.value {
        v @ Value::Money { .. } => v.figure(),
        _ => None,
    };
    let since = t.rows[..ri]
        .iter()
        .rposition(|r| r.total)
        .map_or(0, |p| p + 1);
    let candidates: [Vec<usize>; 3] = [
        (since..ri).filter(|&r| !t.rows[r].total).collect(),
        (0..ri).filter(|&r| t.rows[r].total).collect(),
        (0..ri).filter(|&r| !t.rows[r].total).collect(),
    ];
    let col = crate::base::trace::column_letters(ci as u32);
    candidates.iter().find_map(|rows| {
        let figs: Vec<Decimal> = rows.iter().filter_map(|&r| money(r)).collect();
        if figs.is_empty() || figs.iter().sum::<Decimal>() != want {
            return None;
        }
        let cells: Vec<String> = rows
            .iter()
            .filter(|&&r| money(r).is_some())
            .map(|&r| format!("{col}{}", r as u32 + FIRST_ROW + 1))
            .collect();
        Some(format!("=SUM({})", ranges(&cells)))
    })
}

/// "C3,C4,C5,C7" as "C3:C5,C7".
fn ranges(cells: &[String]) -> String {
    let num = |c: &str| {
        c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
            .parse::<u32>()
            .unwrap_or(0)
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let mut j = i;
        while j + 1 < cells.len() && num(&cells[j + 1]) == num(&cells[j]) + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}:{}", cells[i], cells[j])
        } else {
            cells[i].clone()
        });
        i = j + 1;
    }
    out.join(",")
}

/// Printing as a finance officer expects: landscape when the table is
/// wide, one page wide, the header row on every page, the table's title
/// above it and page numbers below.
/// A table of more than twelve columns prints across portrait pages of a
/// few figure columns each, its row labels repeated on every page: fitted
/// to one page, the scenario comparison's sixteen columns printed at about
/// 4 pt.
fn print_setup(
    ws: &mut Worksheet,
    t: &Table,
    widths: &[usize],
    tall: usize,
) -> std::result::Result<(), XlsxError> {
    let paged = is_paged(t);
    print_pages(ws, &t.title, t.columns.len() > 5 && !paged, 1)?;
    if paged {
        // Portrait pages of a few columns each, breaks where they keep
        // pairs together, at a scale at which the widest page fits across
        // A4 (about 660 pixels inside the margins; a column of width w is
        // about 7w + 19 pixels in Excel, and LibreOffice lays it out wider:
        // 8w + 16 covers both) and the table with its notes fits down it
        // (about 700 points, with room for wrapping at word ends).
        let starts = page_starts(t);
        let px = |a: usize, b: usize| widths[a..b].iter().map(|w| 8 * (w + 2)).sum::<usize>();
        let mut edges = vec![t.key_cols];
        edges.extend(starts.iter().map(|s| *s as usize));
        edges.push(t.columns.len());
        let widest = edges
            .windows(2)
            .map(|p| px(0, t.key_cols) + px(p[0], p[1]))
            .max()
            .unwrap_or(1);
        // (A scale replaces print_pages' fit to one page wide, which
        // would override the breaks.)
        let scale = (66_000 / widest.max(1)).min(70_000 / (tall + tall / 6).max(1));
        ws.set_print_scale(scale.clamp(10, 100) as u16);
        ws.set_vertical_page_breaks(&starts)?;
        ws.set_repeat_columns(0, t.key_cols as u16 - 1)?;
    }
    Ok(())
}

/// Landscape when wide, one page wide, the header row (`header`) on every
/// page, the title above and page numbers below.
fn print_pages(
    ws: &mut Worksheet,
    title: &str,
    wide: bool,
    header: u32,
) -> std::result::Result<(), XlsxError> {
    if wide {
        ws.set_landscape();
    }
    // A4 (9 in the format's list), as councils print; never US Letter.
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header, header)?;
    // "&" starts a header code in Excel: a literal one is written "&&".
    // Excel holds 255 characters of header: a long title is cut with "…"
    // (the sheet's title row holds it whole).
    let mut head = String::new();
    for c in title.chars() {
        if head.chars().count() + 2 > 240 {
            head.push('…');
            break;
        }
        head.push(c);
        if c == '&' {
            head.push('&');
        }
    }
    ws.set_header(format!("&C&\"-,Bold\"{head}"));
    ws.set_footer("&CPage &P of &N");
    Ok(())
}

/// File, sheet, cell or line, and model key of an input's origin.
fn source_place(o: &Origin) -> [String; 4] {
    let none = String::new;
    match o {
        Origin::Cell {
            file,
            sheet,
            row,
            col,
        } => [file.clone(), sheet.clone(), a1(*row, *col), none()],
        Origin::Csv { file, line, col } => [
            file.clone(),
            none(),
            format!("line {line}, column {}", col + 1),
            none(),
        ],
        Origin::Model { file, key, line } => {
            let at = (*line > 0).then(|| format!("line {line}"));
            [file.clone(), none(), at.unwrap_or_default(), key.clone()]
        }
        Origin::Override { key } => [none(), none(), none(), key.clone()],
        sum @ Origin::Sum { .. } => [
            sum.file().unwrap_or_default().to_string(),
            none(),
            sum.to_string(),
            none(),
        ],
    }
}

/// The Sources sheet: every input figure of the pack's tables and where it
/// was read; figures as numbers, so they can be summed and checked.
/// One cell of the Sources sheet: the value (column 3) as a number with
/// its format, or words on the right; the file set in from it.
fn source_cell(
    ws: &mut Worksheet,
    (r, c): (u32, u16),
    value: &Value,
    v: &str,
) -> std::result::Result<(), XlsxError> {
    // Display only: the exact figure is in the tables' CSV.
    let number = value
        .figure()
        .and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d));
    let is_money = matches!(value, Value::Money { .. } | Value::Millions { .. });
    match number.filter(|_| c == 3) {
        Some(n) if is_money => {
            let dp = match value {
                Value::Money { dp, .. } => *dp,
                _ => 0,
            };
            let f = Format::new().set_num_format(money_format(dp));
            ws.write_number_with_format(r, c, n, &f)?
        }
        Some(n) => ws.write_number_with_format(
            r,
            c,
            n,
            &Format::new().set_num_format("#,##0.######;(#,##0.######)"),
        )?,
        // Words among the values ("tbc", "N/A") on the right, as the
        // figures are.
        None if c == 3 => ws.write_string_with_format(
            r,
            c,
            v,
            &Format::new().set_align(rust_xlsxwriter::FormatAlign::Right),
        )?,
        // The file set in from the figures beside it.
        None if c == 4 => ws.write_string_with_format(r, c, v, &Format::new().set_indent(1))?,
        None => ws.write_string(r, c, v)?,
    };
    Ok(())
}

fn sources_sheet(ws: &mut Worksheet, pack: &Pack) -> std::result::Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let cols = [
        "Table",
        "Row",
        "Column",
        "Value",
        "File",
        "Sheet",
        "Cell or line",
        "Model key",
    ];
    for (c, h) in cols.iter().enumerate() {
        // The value's heading over the figures, on the right.
        let f = if c == 3 {
            bold.clone().set_align(rust_xlsxwriter::FormatAlign::Right)
        } else {
            bold.clone()
        };
        ws.write_string_with_format(0, c as u16, *h, &f)?;
    }
    let mut r = 1u32;
    let mut widths = cols.map(|c| c.len());
    for t in &pack.tables {
        for row in &t.rows {
            for (ci, cell) in row.cells.iter().enumerate() {
                let Trace::Input(o) = &cell.trace else {
                    continue;
                };
                let [file, sheet, place, key] = source_place(o);
                let value = render::plain(&cell.value);
                let vals = [
                    t.name.clone(),
                    t.row_key(row),
                    t.columns[ci].clone(),
                    value,
                    file,
                    sheet,
                    place,
                    key,
                ];
                for (c, v) in vals.iter().enumerate() {
                    // The value as it prints (£ and separators), so it
                    // never shows as ###.
                    let shown = match c {
                        3 => render::display(&cell.value, Default::default()),
                        _ => v.clone(),
                    };
                    widths[c] = widths[c].max(shown.chars().count().min(60));
                    source_cell(ws, (r, c as u16), &cell.value, v)?;
                }
                r += 1;
            }
        }
    }
    if r == 1 {
        ws.write_string(
            1,
            0,
            "No figure in these tables is read straight from an input file: each is worked out from the figures of other tables.",
        )?;
        r += 1;
    }
    if let Some(c) = &pack.checked {
        ws.write_string(r + 1, 0, format!("Published figures recomputed: {c}"))?;
    }
    for (c, w) in widths.iter().enumerate() {
        // The values stand on the right: a gap before the file name.
        let gap = if c == 3 { 5.0 } else { 2.0 };
        ws.set_column_width(c as u16, *w as f64 + gap)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_pages(ws, "Sources of the input figures", true, 0)
}

/// One sheet per table, and a "Sources" sheet naming where each input came from.
pub fn workbook(pack: &Pack, path: &Path) -> Result<()> {
    let e = xlsx_err(path);
    let mut wb = Workbook::new();
    // Dated by its data, not the clock, so the file is byte-identical
    // between runs: 31 March at the end of its year (1 January 2000 when
    // it has none).
    let date = match pack.year {
        Some(y) => ExcelDateTime::from_ymd((y.0 + 1) as u16, 3, 31),
        None => ExcelDateTime::from_ymd(2000, 1, 1),
    }
    .map_err(&e)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&pack.title)
            .set_author("costshare")
            .set_creation_datetime(&date),
    );
    // Every sheet's name first: the score sheet refers to the others.
    let (mut used, mut inputs) = (Vec::new(), Vec::new());
    let mut names = Vec::new();
    for t in &pack.tables {
        let name = sheet_name(&render::tab_name(&t.name), &used);
        used.push(name.clone());
        names.push(name);
        if t.name == "score" && discount_rate(t).is_some() {
            inputs.push(sheet_name("Inputs", &used));
            used.push(inputs[inputs.len() - 1].clone());
        }
    }
    let sheets: Vec<(&Table, &str)> = pack
        .tables
        .iter()
        .zip(names.iter().map(String::as_str))
        .collect();
    let mut inputs = inputs.iter();
    for (t, name) in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).map_err(&e)?;
        write_table(ws, t).map_err(&e)?;
        if t.name == "apportionment" {
            share_formulas(ws, t, &sheets).map_err(&e)?;
        }
        if t.name == "score"
            && let Some(rate) = discount_rate(t)
        {
            score_formulas(ws, t).map_err(&e)?;
            let linked = score_links(ws, t, &sheets).map_err(&e)?;
            let ws = wb.add_worksheet();
            ws.set_name(inputs.next().map_or("Inputs", String::as_str))
                .map_err(&e)?;
            inputs_sheet(ws, rate, &linked).map_err(&e)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("Sources", &used)).map_err(&e)?;
    sources_sheet(ws, pack).map_err(&e)?;
    // Saved whole or not at all: a killed run never leaves half a workbook.
    let bytes = wb.save_to_buffer().map_err(&e)?;
    crate::base::atomic::write(path, &bytes)
}

/// Trials and seed of the simulation in the report pack: fixed, so the pack
/// is the same on every run.
const PACK_TRIALS: usize = 10_000;
const PACK_SEED: u64 = 1;

/// Scenario, sensitivity and simulation tables for a model with a scenario file.
fn what_if(m: &Model, models_dir: &Path, p: &mut Pack) -> crate::Result<()> {
    let (Some(base), Some(file)) = (
        Case::from_model(m),
        scenario::default_file(models_dir, &m.slug),
    ) else {
        return Ok(());
    };
    let sf = scenario::load_file(&file)?;
    if !sf.scenarios.is_empty() {
        let t = scenario::compare_named(&m.name, &base, &sf.scenarios)?;
        p.tables.push(scenario::at_a_glance(&m.name, &t));
        p.tables.push(t);
    }
    if !sf.options.is_empty() {
        p.tables
            .push(crate::whatif::options::options_table(&base, &sf.options)?);
    }
    let parse = |v: &[String]| {
        v.iter()
            .map(|s| simulate::parse_range(&base, s))
            .collect::<crate::Result<Vec<_>>>()
    };
    if !sf.vary.is_empty() {
        p.tables
            .push(simulate::sensitivity(&base, &parse(&sf.vary)?)?);
    }
    if !sf.ranges.is_empty() {
        let rs = parse(&sf.ranges)?;
        let o = simulate::simulate(&base, &rs, PACK_TRIALS, PACK_SEED, &mut |_| {})?;
        p.tables
            .push(simulate::outcome_table(&base, &rs, &o, PACK_SEED)?);
    }
    Ok(())
}

/// Every pack: the annual report (when there is annual-report data), each
/// model of `models_dir` (with its what-if tables when it has a scenario
/// file) and the overall score of the models.
pub fn packs(data: Option<&Path>, models_dir: Option<&Path>) -> crate::Result<Vec<Pack>> {
    let mut packs = Vec::new();
    if let Some(data) = data {
        packs.push(annual_pack(data)?);
    }
    let Some(dir) = models_dir else {
        return Ok(packs);
    };
    let models = model::load_dir(dir)?;
    for m in &models {
        packs.push(model_pack(m, dir)?);
    }
    if !models.is_empty() {
        packs.push(overall_pack(&models, dir)?);
    }
    distinct_folders(&packs, "rename one of their files")?;
    Ok(packs)
}

/// The annual report's tables, with the check of its published figures.
pub fn annual_pack(data: &Path) -> crate::Result<Pack> {
    let inputs = AnnualInputs::load(&Source::open(data)?)?;
    let tables = inputs.tables();
    let chk = check::compare_annual(&inputs, &tables)?;
    let r = &inputs.report;
    let mut p = Pack {
        name: format!("annual-report-{}", r.year.replace('/', "-")),
        title: r.title.clone(),
        intro: format!(
            "Tables of the {}, recomputed from {}.",
            r.title,
            data.file_name().map_or(data.display().to_string(), |n| n
                .to_string_lossy()
                .into_owned())
        ),
        tables,
        appendix: render::check_markdown(&chk),
        warnings: inputs.set_aside_notes(),
        year: crate::base::year::Year::parse(&r.year),
        source: None,
        checked: (chk.checked > 0).then(|| chk.summary()),
    };
    let typed = inputs.typed_totals();
    if !typed.is_empty() {
        p.intro.push_str(&format!(
            " Totals typed into the inputs were set aside, costshare working out its own: {}.",
            typed.join("; ")
        ));
    }
    with_differences(&mut p, &chk);
    Ok(p)
}

/// The published figures that differ, as the pack's last table (so the
/// Word document and the workbook show them too) in place of the
/// appendix's list.
fn with_differences(p: &mut Pack, chk: &check::CheckReport) {
    if let Some(t) = chk.table(&p.tables) {
        p.tables.push(t);
        p.appendix.clear();
        p.checked = None;
    }
}

/// One model's tables, its what-if tables when `models_dir` has its
/// scenario file, and the check of its published figures.
pub fn model_pack(m: &Model, models_dir: &Path) -> crate::Result<Pack> {
    let tables = tables::tables(m)?;
    let chk = check::compare(&m.published, &tables)?;
    let mut p = Pack {
        name: m.slug.clone(),
        title: m.name.clone(),
        intro: format!(
            "Recomputed from {}.",
            m.source.clone().unwrap_or_else(|| {
                let f = Path::new(&m.file).file_name();
                f.map_or(m.file.clone(), |n| n.to_string_lossy().into_owned())
            })
        ),
        tables,
        appendix: if m.published.is_empty() {
            String::new()
        } else {
            render::check_markdown(&chk)
        },
        warnings: Vec::new(),
        year: m.first_year.as_ref().map(|y| y.value),
        source: m.source.clone(),
        checked: (chk.checked > 0).then(|| chk.summary()),
    };
    what_if(m, models_dir, &mut p)?;
    with_differences(&mut p, &chk);
    Ok(p)
}

/// The overall score of the models, named by the partnership file.
fn overall_pack(models: &[Model], models_dir: &Path) -> crate::Result<Pack> {
    let partnership = model::load_partnership(models_dir)?;
    let overall = crate::case::score::overall_table(models, partnership.name.as_deref())?;
    let who = match &partnership.name {
        Some(n) => format!("of {n} overall"),
        None => "overall".into(),
    };
    // "five-year investment score": the title after "[name] overall".
    let what = overall
        .title
        .rsplit_once("verall ")
        .map_or("investment score", |(_, w)| w)
        .to_string();
    Ok(Pack {
        name: partnership.slug("overall"),
        title: format!("{} investment score", capitalised(&who.replace("of ", ""))),
        intro: format!("The {what} of every business case, and {who}."),
        tables: vec![overall],
        appendix: String::new(),
        warnings: Vec::new(),
        year: None,
        source: None,
        checked: None,
    })
}
