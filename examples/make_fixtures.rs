//! Rebuilds the spreadsheet fixtures from the hand-typed CSV files beside
//! them, with a real xlsx writer, so the workbooks can always be recreated:
//!
//!     cargo run --example make_fixtures
//!
//! fixtures/<name>/*.csv  →  fixtures/<name>.xlsx (one sheet per CSV file).
//! Plain numbers become numeric cells; everything else ("N/A", "£2m", "-")
//! stays text, as a finance team's workbook would hold it. Also writes the
//! small broken workbooks under fixtures/bad/ that the error tests use.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// A fixed creation date keeps the files byte-identical between runs.
fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    let date = ExcelDateTime::from_ymd(2013, 6, 12)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("costshare make_fixtures")
        .set_creation_datetime(&date))
}

/// "1312270", "-149600", "9686.91" but not "1,234", "£2m" or "007".
fn plain_number(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    !i.is_empty()
        && i.chars().all(|c| c.is_ascii_digit())
        && f.chars().all(|c| c.is_ascii_digit())
        && !(i.len() > 1 && i.starts_with('0'))
}

fn write_csv_sheet(ws: &mut Worksheet, csv_path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bold = Format::new().set_bold();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(csv_path)?;
    let mut widths: Vec<usize> = Vec::new();
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec?;
        for (c, field) in rec.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            if widths.len() <= c {
                widths.push(8);
            }
            widths[c] = widths[c].max(field.chars().count().min(60));
            if r == 0 {
                ws.write_string_with_format(row, col, field, &bold)?;
            } else if field.is_empty() {
                continue;
            } else if plain_number(field) {
                // xlsx stores every number as an IEEE double; the figures here
                // are integers or pence, which doubles hold exactly.
                let n: f64 = field.parse()?;
                ws.write_number(row, col, n)?;
            } else {
                ws.write_string(row, col, field)?;
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64) + 2.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

type Tweak<'a> = &'a dyn Fn(&str, &mut Worksheet) -> Result<(), XlsxError>;

fn workbook_from_dir(
    dir: &Path,
    out: &Path,
    title: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    workbook_from_dir_with(dir, out, title, &|_, _| Ok(()))
}

/// As `workbook_from_dir`, then `tweak` may overwrite cells of each sheet.
fn workbook_from_dir_with(
    dir: &Path,
    out: &Path,
    title: &str,
    tweak: Tweak,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(title)?);
    for f in &files {
        let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("Sheet");
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_csv_sheet(ws, f)?;
        tweak(name, ws)?;
    }
    wb.save(out)?;
    println!("wrote {} ({} sheets)", out.display(), files.len());
    Ok(())
}

/// Small workbooks that must fail with a precise message.
fn bad_fixtures(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;

    // A formula whose result was never calculated: must be reported, not read as 0.
    let mut wb = Workbook::new();
    wb.set_properties(&properties("formula without a saved result")?);
    let ws = wb.add_worksheet();
    ws.set_name("budget")?;
    ws.set_formula_result_default("");
    ws.write_string(0, 0, "service")?;
    ws.write_string(0, 1, "amount")?;
    ws.write_string(1, 0, "Audit")?;
    ws.write_number(1, 1, 299700.0)?;
    ws.write_string(2, 0, "Total")?;
    ws.write_formula(2, 1, Formula::new("=SUM(B2:B2)"))?;
    // And one with its result saved, which is read as that value.
    ws.write_string(3, 0, "Total (calculated)")?;
    ws.write_formula(3, 1, Formula::new("=SUM(B2:B2)").set_result("299700"))?;
    wb.save(dir.join("formula-no-value.xlsx"))?;

    // Text where money is expected, in the annual report layout.
    let src = Path::new("fixtures/mkip-2012-13");
    let tmp = std::env::temp_dir().join("costshare-bad-fixture");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    for e in std::fs::read_dir(src)? {
        let p = e?.path();
        let name = p.file_name().ok_or("no file name")?;
        let mut text = std::fs::read_to_string(&p)?;
        if name == "budget.csv" {
            text = text.replace(
                "Audit,Audit,expenditure,299700,",
                "Audit,Audit,expenditure,about 300k,",
            );
        }
        std::fs::write(tmp.join(name), text)?;
    }
    workbook_from_dir(
        &tmp,
        &dir.join("text-for-money.xlsx"),
        "text where money is expected",
    )?;

    // A budget cell holding a formula that was never calculated.
    workbook_from_dir_with(
        src,
        &dir.join("formula-in-budget.xlsx"),
        "formula with no saved result",
        &|name, ws| {
            if name == "budget" {
                ws.set_formula_result_default("");
                ws.write_formula(11, 3, Formula::new("=D2+D3"))?;
            }
            Ok(())
        },
    )?;

    // CSV folders: a missing column, and text where money is expected.
    for (case, file, from, to) in [
        (
            "missing-column",
            "budget.csv",
            "service,line,kind,MBC,SBC,TWBC,note",
            "service,line,kind,MBC,SBC,TW,note",
        ),
        (
            "text-for-money-csv",
            "savings.csv",
            "Legal,2008/09,82500,195000",
            "Legal,2008/09,about 82500,195000",
        ),
    ] {
        let out = dir.join(case);
        std::fs::create_dir_all(&out)?;
        for e in std::fs::read_dir(src)? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "csv") {
                let name = p.file_name().ok_or("no file name")?;
                let mut text = std::fs::read_to_string(&p)?;
                if name == file {
                    assert!(text.contains(from), "{case}: {from} not in {file}");
                    text = text.replace(from, to);
                }
                std::fs::write(out.join(name), text)?;
            }
        }
    }

    // A workbook cut short, as an interrupted download leaves it.
    let good = std::fs::read("fixtures/mkip-2012-13.xlsx")?;
    std::fs::write(dir.join("truncated.xlsx"), &good[..good.len() / 2])?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    workbook_from_dir(
        Path::new("fixtures/mkip-2012-13"),
        Path::new("fixtures/mkip-2012-13.xlsx"),
        "MKIP Annual Report 2012/13: inputs and published figures",
    )?;
    workbook_from_dir(
        Path::new("fixtures/business-cases"),
        Path::new("fixtures/business-cases.xlsx"),
        "MKIP business cases: Planning Support and Environmental Health",
    )?;
    bad_fixtures(Path::new("fixtures/bad"))?;
    println!("wrote fixtures/bad/");
    messy_fixtures(Path::new("fixtures/messy"))?;
    println!("wrote fixtures/messy/");
    Ok(())
}

/// A copy of the annual report CSV folder with text replacements; panics
/// (in this generator only) if a replacement finds nothing to replace.
fn variant(
    name: &str,
    edits: &[(&str, &str, &str)],
) -> Result<std::path::PathBuf, Box<dyn std::error::Error>> {
    let src = Path::new("fixtures/mkip-2012-13");
    let out = std::env::temp_dir().join(format!("costshare-messy-{name}"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    for e in std::fs::read_dir(src)? {
        let p = e?.path();
        if p.extension().is_none_or(|x| x != "csv") {
            continue;
        }
        let file = p
            .file_name()
            .ok_or("no file name")?
            .to_string_lossy()
            .into_owned();
        let mut text = std::fs::read_to_string(&p)?;
        for (f, from, to) in edits {
            if *f == file {
                assert!(text.contains(from), "{name}: {from:?} not in {file}");
                text = text.replacen(from, to, 1);
            }
        }
        std::fs::write(out.join(&file), text)?;
    }
    Ok(out)
}

/// The messy-input corpus: the annual report inputs as real council
/// workbooks and CSV exports arrive. tests/messy.rs says what each must do.
fn messy_fixtures(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let clean = || variant("clean", &[]);

    // A merged title above the header row.
    let title = "Budget breakdown 2012/13 (MKIP shared services)";
    let v = variant(
        "merged",
        &[(
            "budget.csv",
            "service,line,kind",
            &format!("{title}\nservice,line,kind"),
        )],
    )?;
    workbook_from_dir_with(
        &v,
        &dir.join("merged-title.xlsx"),
        "merged title",
        &|name, ws| {
            if name == "budget" {
                ws.merge_range(0, 0, 0, 6, title, &Format::new().set_bold())?;
            }
            Ok(())
        },
    )?;

    // A total typed in by hand, a blank row and a footnote under the table.
    let v = variant(
        "notes",
        &[(
            "budget.csv",
            "Parking - Admin,Income,income,-36390,-23000,N/A,\n",
            "Parking - Admin,Income,income,-36390,-23000,N/A,\nTotal,,,3925650,2068090,2968200,typed by hand\n,,,,,,\n*All figures exclude recharges\n",
        )],
    )?;
    workbook_from_dir(
        &v,
        &dir.join("notes-and-totals.xlsx"),
        "notes and typed totals",
    )?;

    // The published figures on a hidden sheet.
    workbook_from_dir_with(
        &clean()?,
        &dir.join("hidden-sheet.xlsx"),
        "hidden sheet",
        &|name, ws| {
            if name == "published" {
                ws.set_hidden(true);
            }
            Ok(())
        },
    )?;

    // Numbers stored as text, with stray spaces, separators and brackets.
    workbook_from_dir_with(
        &clean()?,
        &dir.join("numbers-as-text.xlsx"),
        "numbers stored as text",
        &|name, ws| {
            if name == "budget" {
                ws.write_string(1, 3, " 1,312,270 ")?;
                ws.write_string(3, 3, "(149,600)")?;
                ws.write_string(2, 4, "390400 ")?;
                ws.write_string(11, 3, "£299,700.00")?;
            }
            Ok(())
        },
    )?;

    // A date where an amount should be.
    workbook_from_dir_with(
        &clean()?,
        &dir.join("date-for-money.xlsx"),
        "a date for money",
        &|name, ws| {
            if name == "budget" {
                let d = ExcelDateTime::from_ymd(2013, 4, 1)?;
                ws.write_datetime_with_format(
                    11,
                    3,
                    &d,
                    &Format::new().set_num_format("dd/mm/yyyy"),
                )?;
            }
            Ok(())
        },
    )?;

    // Formulas with their results saved: the results are read.
    workbook_from_dir_with(
        &clean()?,
        &dir.join("formulas-with-results.xlsx"),
        "formulas with results",
        &|name, ws| {
            if name == "budget" {
                ws.write_formula(11, 3, Formula::new("=299000+700").set_result("299700"))?;
                ws.write_formula(12, 3, Formula::new("=-108000-340").set_result("-108340"))?;
            }
            Ok(())
        },
    )?;

    // Every row of the sheet formatted, down to row 1,048,576.
    workbook_from_dir_with(
        &clean()?,
        &dir.join("formatted-empty-rows.xlsx"),
        "formatted empty rows",
        &|name, ws| {
            if name == "budget" {
                let f = Format::new()
                    .set_num_format("#,##0")
                    .set_background_color("#FFF2CC");
                for r in 15..1_048_576u32 {
                    ws.set_row_format(r, &f)?;
                }
            }
            Ok(())
        },
    )?;

    // A very long text cell (Excel's limit is 32,767 characters).
    workbook_from_dir_with(
        &clean()?,
        &dir.join("long-text.xlsx"),
        "long text",
        &|name, ws| {
            if name == "budget" {
                let long = "Budget note. ".repeat(2_500);
                ws.write_string(5, 6, &long[..32_000])?;
            }
            Ok(())
        },
    )?;

    // CSV exports: Windows-1252 with "£", a UTF-8 BOM, semicolons.
    let csv_dir = |name: &str| -> Result<std::path::PathBuf, Box<dyn std::error::Error>> {
        let d = dir.join(name);
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d)?;
        Ok(d)
    };
    let src = clean()?;
    let mut files: Vec<_> = std::fs::read_dir(&src)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (cp, bom, semi) = (
        csv_dir("windows-1252")?,
        csv_dir("bom")?,
        csv_dir("semicolon")?,
    );
    for p in &files {
        let name = p.file_name().ok_or("no file name")?;
        let text = std::fs::read_to_string(p)?;
        // Windows-1252: every character here is ASCII but "£" (0xA3).
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| if c == '£' { 0xA3 } else { c as u8 })
            .collect();
        std::fs::write(cp.join(name), bytes)?;
        std::fs::write(bom.join(name), format!("\u{feff}{text}"))?;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_path(semi.join(name))?;
        for rec in rdr.records() {
            w.write_record(&rec?)?;
        }
        w.flush()?;
    }

    // Duplicate partners: an authority listed twice; a column named twice.
    for (case, file, from, to) in [
        (
            "duplicate-partner",
            "authorities.csv",
            "SBC,Swale",
            "MBC,Swale",
        ),
        (
            "duplicate-column",
            "budget.csv",
            "service,line,kind,MBC,SBC,TWBC,note",
            "service,line,kind,MBC,SBC,TWBC,SBC",
        ),
        (
            "negative-budget",
            "authorities.csv",
            "TWBC,Tunbridge Wells,14254450",
            "TWBC,Tunbridge Wells,-14254450",
        ),
    ] {
        let v = variant(case, &[(file, from, to)])?;
        let d = csv_dir(case)?;
        for e in std::fs::read_dir(&v)? {
            let p = e?.path();
            std::fs::copy(&p, d.join(p.file_name().ok_or("no file name")?))?;
        }
    }
    Ok(())
}
