//! The report pack: the workbook read back by calamine holds the published
//! figures as numbers, every PNG decodes at report size, every SVG carries
//! its title and axis labels as text, and two runs give identical files.

use calamine::{Data, Reader, open_workbook_auto};
use costshare::base::money::Negatives;
use costshare::output::pack::{self, ALL_PARTS};
use std::path::{Path, PathBuf};
use std::process::Command;

fn write_all(tag: &str) -> PathBuf {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pack-{tag}"));
    let _ = std::fs::remove_dir_all(&out);
    for p in pack::packs(
        Some(Path::new("fixtures/mkip-2012-13.xlsx")),
        Some(Path::new("models")),
    )
    .unwrap()
    {
        pack::write(&p, &out, &ALL_PARTS, Negatives::Brackets).unwrap();
    }
    out
}

fn numbers(path: &Path, sheet: &str) -> Vec<f64> {
    let mut wb = open_workbook_auto(path).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    r.used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        })
        .collect()
}

/// A sheet's cached values and its formulas.
fn values_and_formulas(
    path: &Path,
    sheet: &str,
) -> (calamine::Range<Data>, calamine::Range<String>) {
    let mut wb = open_workbook_auto(path).unwrap();
    let values = wb.worksheet_range(sheet).unwrap();
    (values, wb.worksheet_formula(sheet).unwrap())
}

fn strings(path: &Path, sheet: &str) -> Vec<String> {
    let mut wb = open_workbook_auto(path).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    r.used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// One part of a zip package (a workbook's or Word document's XML).
fn part(path: impl AsRef<Path>, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v = Vec::new();
    fn walk(d: &Path, ext: &str, v: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, ext, v);
            } else if p.extension().is_some_and(|x| x == ext) {
                v.push(p);
            }
        }
    }
    walk(dir, ext, &mut v);
    v.sort();
    v
}

#[test]
fn pack_contents() {
    let out = write_all("a");

    // The workbook: published figures as numeric cells (typed from the report).
    let annual = out.join("annual-report-2012-13/annual-report-2012-13.xlsx");
    let bb = numbers(&annual, "Budget breakdown");
    for v in [3925650.0, 2068090.0, 2968200.0, 1327770.0, 19939950.0] {
        assert!(bb.contains(&v), "budget-breakdown lacks {v}");
    }
    let sp = numbers(&annual, "Savings programme");
    for v in [1589480.0, 3910257.0, 5499737.0, 2138257.0, 3727737.0] {
        assert!(sp.contains(&v), "savings-programme lacks {v}");
    }
    // Percentages are stored as fractions with a % format: 19.7 % ≈ 0.197.
    assert!(bb.iter().any(|v| (v - 0.19687).abs() < 0.0001));
    let ps = out.join("planning-support/planning-support.xlsx");
    let inv = numbers(&ps, "Investment");
    for v in [16400.0, 144300.0, 195700.0, 215270.0] {
        assert!(inv.contains(&v), "investment lacks {v}");
    }
    let sav = numbers(&ps, "Savings");
    for v in [207299.0, 248287.0, 329808.0, 154061.0] {
        assert!(sav.contains(&v), "savings lacks {v}");
    }
    // The Sources sheet says where each input came from.
    let src = strings(&annual, "Sources");
    assert!(src.iter().any(|s| s == "fixtures/mkip-2012-13.xlsx"));
    assert!(src.iter().any(|s| s == "D12"));
    let eh = strings(
        &out.join("environmental-health/environmental-health.xlsx"),
        "Sources",
    );
    assert!(eh.iter().any(|s| s == "fixtures/business-cases.xlsx"));
    // Its values are numbers, not figures stored as text (which Excel flags
    // and will not sum).
    let mut wb = open_workbook_auto(&annual).unwrap();
    let r = wb.worksheet_range("Sources").unwrap();
    let values: Vec<&Data> = r.rows().skip(1).map(|row| &row[3]).collect();
    assert!(
        values
            .iter()
            .filter(|d| matches!(d, Data::Float(_)))
            .count()
            > 20
    );
    for d in &values {
        if let Data::String(s) = d {
            let plain = s.replace([',', '£', '(', ')', '%'], "");
            assert!(
                plain.trim().parse::<f64>().is_err(),
                "a figure stored as text: {s}"
            );
        }
    }

    // Every PNG decodes at report size.
    let pngs = files(&out, "png");
    assert!(pngs.len() >= 15, "only {} charts", pngs.len());
    for p in &pngs {
        let dec = png::Decoder::new(std::fs::File::open(p).unwrap());
        let reader = dec.read_info().unwrap();
        let info = reader.info();
        assert!(info.width >= 1200 && info.height >= 700, "{}", p.display());
    }

    // Every SVG has its title and axis labels as text.
    let packs = pack::packs(
        Some(Path::new("fixtures/mkip-2012-13.xlsx")),
        Some(Path::new("models")),
    )
    .unwrap();
    let mut checked = 0;
    for p in &packs {
        let charts: Vec<costshare::output::chart::Chart> = p
            .tables
            .iter()
            .flat_map(|t| t.charts.iter().cloned())
            .collect();
        for c in charts {
            let svg = std::fs::read_to_string(
                out.join(&p.name)
                    .join("charts")
                    .join(format!("{}.svg", c.name)),
            )
            .unwrap();
            let texts: Vec<String> = svg
                .split("<text")
                .skip(1)
                .filter_map(|s| {
                    s.split_once('>')
                        .map(|(_, r)| r.split("</text>").next().unwrap_or("").trim().to_string())
                })
                .collect();
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('\'', "&apos;")
            };
            // A long title takes two lines: read them together.
            let all = texts.join(" ");
            assert!(
                all.contains(&esc(&c.title)),
                "{}: no title {:?}",
                c.name,
                c.title
            );
            for want in [&c.x_label, &c.y_label] {
                assert!(
                    texts.iter().any(|t| *t == esc(want)),
                    "{}: no text {want:?}",
                    c.name
                );
            }
            assert!(
                texts.iter().any(|t| t.contains('£')),
                "{}: no £ axis labels",
                c.name
            );
            checked += 1;
        }
    }
    assert!(checked >= 15);

    // Markdown links each chart beside its table.
    let md = std::fs::read_to_string(out.join("planning-support/report.md")).unwrap();
    assert!(md.contains("![Planning Support shared service: investment by year against the tolerance](charts/investment-profile.svg)"));
    assert!(md.contains("£195,700"));

    // A second run gives byte-identical files.
    let again = write_all("b");
    let a: Vec<PathBuf> = ["csv", "md", "png", "svg", "xlsx"]
        .iter()
        .flat_map(|e| files(&out, e))
        .collect();
    for f in &a {
        let rel = f.strip_prefix(&out).unwrap();
        assert_eq!(
            std::fs::read(f).unwrap(),
            std::fs::read(again.join(rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

#[test]
fn a_failed_pack_write_leaves_the_good_pack_and_no_temporary_files() {
    let out = write_all("atomic");
    // Every file was renamed into place: no temporary file is left.
    let mut names = Vec::new();
    for ext in ["xlsx", "png", "svg", "csv", "md", "tmp"] {
        names.extend(files(&out, ext));
    }
    assert!(names.len() > 20);
    assert!(
        names
            .iter()
            .all(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.')),
        "temporary files left: {names:?}"
    );
    // Killed half way through rewriting a good pack, every file left under
    // its final name is whole: each workbook opens, each PNG decodes.
    let bin = assert_cmd::cargo::cargo_bin("costshare");
    for delay_ms in [150u64, 400, 900] {
        let mut child = std::process::Command::new(&bin)
            .args(["report", "--out", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let whole = |p: &PathBuf| !p.file_name().unwrap().to_string_lossy().starts_with('.');
        for x in files(&out, "xlsx").into_iter().filter(whole) {
            let wb = open_workbook_auto(&x).unwrap_or_else(|e| panic!("{}: {e}", x.display()));
            assert!(!wb.sheet_names().is_empty());
        }
        for p in files(&out, "png").into_iter().filter(whole) {
            let d = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&p).unwrap()));
            let mut r = d
                .read_info()
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let mut buf = vec![0; r.output_buffer_size()];
            r.next_frame(&mut buf)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    // The next complete run tidies what the killed ones left.
    Command::new(&bin)
        .args(["report", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let left: Vec<PathBuf> = ["png", "svg", "tmp", "xlsx", "csv", "md"]
        .iter()
        .flat_map(|e| files(&out, e))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Every sheet of a pack's workbook prints as a finance officer expects:
/// one page wide, the header row repeated on every page, the table's title
/// in the page header and page numbers in the footer; wide tables landscape.
#[test]
fn workbooks_print_one_page_wide_with_titles() {
    let path = Path::new("reports/annual-report-2012-13/annual-report-2012-13.xlsx");
    let text = |name: &str| part(path, name);
    let workbook = text("xl/workbook.xml");
    let sheets = workbook.matches("<sheet ").count();
    assert!(sheets >= 5, "{sheets} sheets");
    // Repeated header rows are "print titles": one per table sheet (not Sources).
    assert!(workbook.matches("_xlnm.Print_Titles").count() >= sheets - 1);
    let mut landscape = 0;
    for i in 1..sheets {
        let s = text(&format!("xl/worksheets/sheet{i}.xml"));
        assert!(s.contains("fitToPage=\"1\""), "sheet {i}: fit to page");
        assert!(
            s.contains("fitToHeight=\"0\""),
            "sheet {i}: fit to one page wide only"
        );
        assert!(
            s.contains("<oddHeader>&amp;C"),
            "sheet {i}: title in the page header"
        );
        assert!(s.contains("Page &amp;P of &amp;N"), "sheet {i}");
        landscape += usize::from(s.contains("orientation=\"landscape\""));
    }
    assert!(landscape > 0, "no wide table printed landscape");
    // Negative money and percentages print in brackets, as the tables do.
    let styles = text("xl/styles.xml");
    assert!(styles.contains("(£#,##0)"), "money in brackets");
    assert!(styles.contains("0.0%;(0.0%)"), "percentages in brackets");
    // Millions too: a negative net expenditure showed -£2.11m beside the
    // tables' (£2.11m).
    assert!(
        styles.contains("£#,##0.00,,&quot;m&quot;;(£#,##0.00,,&quot;m&quot;)"),
        "millions in brackets"
    );
}

/// The Word documents: a table per table (split into parts with the row
/// labels repeated when too wide), the header row repeated on every page,
/// figures right-aligned and unwrapped, a picture per chart, heading and
/// caption styles; and read back, every figure in them agrees with the
/// recomputed tables (check-draft finds nothing).
#[test]
fn word_documents_hold_the_tables_and_charts() {
    use std::io::Read;
    for name in ["planning-support", "annual-report-2012-13"] {
        let path = format!("reports/{name}/{name}.docx");
        let mut z = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut text = |part: &str| {
            let mut s = String::new();
            z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let doc = text("word/document.xml");
        let styles = text("word/styles.xml");
        let tables = doc.matches("<w:tbl>").count();
        let csvs = files(Path::new(&format!("reports/{name}/csv")), "csv").len();
        assert!(
            tables >= csvs,
            "{name}: {tables} Word tables for {csvs} tables"
        );
        assert_eq!(
            doc.matches("<w:tblHeader/>").count(),
            tables,
            "{name}: header rows repeat"
        );
        assert!(doc.contains("<w:jc w:val=\"right\"/>") && doc.contains("<w:noWrap/>"));
        let pngs = files(Path::new(&format!("reports/{name}/charts")), "png").len();
        assert_eq!(
            doc.matches("<w:drawing>").count(),
            pngs,
            "{name}: a picture per chart"
        );
        assert!(
            styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:styleId=\"Caption\"")
        );
        assert!(doc.contains("Table 1: "), "{name}: captions");
        if name == "planning-support" {
            // The comparison, too wide for the page, leaves its change
            // columns to the workbook and says so; the scenarios at a
            // glance come first, on their side.
            assert!(!doc.contains(">Change: "), "{name}: change columns in Word");
            assert!(doc.contains("The change from the base for each scenario is in the workbook"));
            let glance = doc.find("the scenarios at a glance").unwrap();
            assert!(glance < doc.find("base case and scenarios").unwrap());
        }
        let out = assert_cmd::Command::cargo_bin("costshare")
            .unwrap()
            .args(["check-draft", "--strict", &path])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(": 0 findings"));
    }
}

/// Chart text is at least 9 pt when a chart is printed at an A4 page's text
/// width (17 cm, 481.9 pt), in every committed SVG: font size over picture
/// width, times 481.9.
#[test]
fn chart_text_prints_at_nine_points_or_more() {
    let svgs = files(Path::new("reports"), "svg");
    assert!(svgs.len() >= 15);
    for p in &svgs {
        let s = std::fs::read_to_string(p).unwrap();
        let attr = |text: &str, name: &str| -> Vec<f64> {
            text.split(&format!("{name}=\""))
                .skip(1)
                .filter_map(|r| r.split('"').next()?.parse().ok())
                .collect()
        };
        let head = &s[..s.find('>').unwrap()];
        let width = attr(head, "width")[0];
        for size in attr(&s, "font-size") {
            let pt = size / width * 481.9;
            assert!(pt >= 9.0, "{}: text at {pt:.1} pt", p.display());
        }
    }
}

/// The workbook lives: total rows are SUM formulas over the cells they add
/// up, with their values cached, so a reader that does not calculate
/// (calamine here) sees the figures, and one that does gets the same. The
/// budget breakdown's MBC net expenditure (£3,925,650 in the report's own
/// table, reports/…/csv/budget-breakdown.csv) is the sum of the services'
/// net expenditure rows; each sheet opens with the table's title.
#[test]
fn workbook_totals_are_formulas_with_cached_values() {
    let path = Path::new("reports/annual-report-2012-13/annual-report-2012-13.xlsx");
    let (values, formulas) = values_and_formulas(path, "Budget breakdown");
    assert_eq!(
        values.get_value((0, 0)),
        Some(&Data::String(
            "Budget breakdown 2012/13 (MKIP shared services)".into()
        ))
    );
    let csv =
        std::fs::read_to_string("reports/annual-report-2012-13/csv/budget-breakdown.csv").unwrap();
    let mut checked = 0;
    for (i, line) in csv.lines().enumerate().skip(1) {
        let row = i as u32 + 1; // the title row, then the header
        let f: Vec<&str> = line.split(',').collect();
        let col = 2; // MBC
        let formula = formulas.get_value((row, col)).cloned().unwrap_or_default();
        if formula.is_empty() {
            continue;
        }
        assert!(formula.starts_with("SUM(C"), "{formula}");
        let cached = match values.get_value((row, col)) {
            Some(Data::Float(x)) => *x,
            Some(Data::Int(x)) => *x as f64,
            other => panic!("row {row}: {other:?}"),
        };
        assert_eq!(cached, f[col as usize].parse::<f64>().unwrap(), "row {row}");
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} total formulas");
    // The grand total of net expenditure: the services' own totals.
    let net = csv
        .lines()
        .position(|l| l.starts_with("Total,Net expenditure,"))
        .unwrap() as u32
        + 1;
    assert_eq!(values.get_value((net, 2)), Some(&Data::Float(3925650.0)));
}

/// The score sheet's discount factors, present values, NPV and score are
/// formulas over its costs and savings and the Inputs sheet's discount rate
/// (3.5 %, the Green Book's), its costs and savings references to the
/// investment and savings sheets, with the report's own figures cached.
#[test]
fn the_score_sheet_computes_from_its_inputs() {
    let path = Path::new("reports/planning-support/planning-support.xlsx");
    let mut wb = open_workbook_auto(path).unwrap();
    let inputs = wb.worksheet_range("Inputs").unwrap();
    assert_eq!(inputs.get_value((2, 1)), Some(&Data::Float(0.035)));
    let values = wb.worksheet_range("Score").unwrap();
    let formulas = wb.worksheet_formula("Score").unwrap();
    // Row 3 of the sheet is 2014/15 (title, header, 2013/14 first).
    assert_eq!(formulas.get_value((3, 5)).unwrap(), "1/(1+Inputs!$B$3)^1");
    assert_eq!(formulas.get_value((3, 6)).unwrap(), "B4*F4");
    // Costs and savings read the investment and savings sheets: 2013/14's
    // £31,400 is the investment's "Total including central support" (its
    // ninth row, sheet row 11) for 2013/14 (column B); 2014/15's savings
    // £154,061 the savings table's total net saving per annum (F6).
    assert_eq!(formulas.get_value((2, 1)).unwrap(), "'Investment'!B11");
    assert_eq!(formulas.get_value((3, 2)).unwrap(), "'Savings'!F6");
    let investment = wb.worksheet_range("Investment").unwrap();
    let savings = wb.worksheet_range("Savings").unwrap();
    assert_eq!(investment.get_value((10, 1)), Some(&Data::Float(31_400.0)));
    assert_eq!(values.get_value((2, 1)), Some(&Data::Float(31_400.0)));
    assert_eq!(savings.get_value((5, 5)), Some(&Data::Float(154_061.0)));
    assert_eq!(values.get_value((3, 2)), Some(&Data::Float(154_061.0)));
    // The table's notes stand under it (a blank row between), as in the report.
    let csv_rows = std::fs::read_to_string("reports/planning-support/csv/investment.csv")
        .unwrap()
        .lines()
        .count() as u32;
    match investment.get_value((csv_rows + 2, 0)) {
        Some(Data::String(s)) => assert!(s.starts_with("Project support funded"), "{s}"),
        other => panic!("no note under the investment table: {other:?}"),
    }
    // And the investment's total is itself live, over its items.
    let inv_formulas = wb.worksheet_formula("Investment").unwrap();
    assert!(
        inv_formulas
            .get_value((10, 1))
            .unwrap()
            .starts_with("SUM(B")
    );
    let csv = std::fs::read_to_string("reports/planning-support/csv/score.csv").unwrap();
    let npv_line = csv.lines().position(|l| l.starts_with("NPV,")).unwrap() as u32 + 1;
    let npv = formulas.get_value((npv_line, 7)).unwrap();
    assert!(npv.starts_with('H') && npv.contains("-G"), "{npv}");
    let cached = match values.get_value((npv_line, 7)) {
        Some(Data::Float(x)) => *x,
        other => panic!("{other:?}"),
    };
    let want: f64 = csv
        .lines()
        .nth(npv_line as usize - 1)
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(cached, want);
}

/// The apportionment sheet's shares are live: each year's partner shares
/// are largest-remainder formulas over the year's total (itself a
/// reference to the investment sheet) and the weight row, and the share %
/// row is one over the partners' totals, each with the report's figure
/// cached. Worked by hand for Planning Support (baseline budgets MBC
/// 253,753, SBC 303,926, TWBC 403,716; sum 961,395):
/// 2013/14's £16,400 × weight / 961,395 = 4,328.66, 5,184.54, 6,886.81;
/// the floors leave £2, which go to the largest remainders (TWBC .81,
/// MBC .66): £4,329, £5,184, £6,887. Share %: the totals £51,654,
/// £61,867, £82,179 of £195,700 are 263.94, 316.13, 419.92 thousandths;
/// the two thousandths left go to MBC (.94) and TWBC (.92): 26.4%, 31.6%,
/// 42.0%, adding to 100.0%.
#[test]
fn the_apportionment_sheet_shares_by_formula() {
    let path = Path::new("reports/planning-support/planning-support.xlsx");
    let (values, formulas) = values_and_formulas(path, "Apportionment");
    let f = |r: u32, c: u32| formulas.get_value((r, c)).cloned().unwrap_or_default();
    let v = |r: u32, c: u32| match values.get_value((r, c)) {
        Some(Data::Float(x)) => *x,
        other => panic!("({r}, {c}): {other:?}"),
    };
    // Sheet row 2 is 2013/14 (title, header); the weight row is row 8.
    assert_eq!(
        [v(2, 1), v(2, 2), v(2, 3), v(2, 4)],
        [4329.0, 5184.0, 6887.0, 16400.0]
    );
    assert!(
        f(2, 1).starts_with("INT($E3*$B$9/$E$9)+IF(SUMPRODUCT("),
        "{}",
        f(2, 1)
    );
    assert!(
        f(2, 3).contains("SUMPRODUCT(--(($E3*$B$9:$C$9"),
        "{}",
        f(2, 3)
    );
    assert!(f(2, 4).starts_with("'Investment'!"), "{}", f(2, 4));
    assert_eq!(
        [v(8, 1), v(8, 2), v(8, 3), v(8, 4)],
        [253753.0, 303926.0, 403716.0, 961395.0]
    );
    assert_eq!(f(8, 4), "SUM($B$9:$D$9)");
    assert_eq!([v(7, 1), v(7, 2), v(7, 3)], [0.264, 0.316, 0.42]);
    assert!(f(7, 2).starts_with("(INT(1000*$C$7/$E$7)"), "{}", f(7, 2));
    assert!(f(7, 2).ends_with(")/1000"), "{}", f(7, 2));
    // Every year's shares are formulas (all three partners share every year).
    for r in 2..6 {
        for c in 1..4 {
            assert!(f(r, c).starts_with("INT("), "({r}, {c}): {}", f(r, c));
        }
    }
}

/// The scenario comparison (a figure, the base and seven scenarios each with
/// its change: sixteen columns) prints across portrait pages of at most four
/// figure columns, each scenario beside its change: the base and the first
/// scenario's pair on page 1 (columns B–D), then two pairs a page, so the
/// breaks fall before columns E, I and M (0-based 4, 8, 12), with the
/// labels (column A, holding the title and notes) on every page.
#[test]
fn the_scenario_comparison_prints_in_pages_that_keep_pairs() {
    let path = Path::new("reports/planning-support/planning-support.xlsx");
    let text = |name: &str| part(path, name);
    let workbook = text("xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let i = names.iter().position(|n| *n == "Scenario").unwrap() + 1;
    let s = text(&format!("xl/worksheets/sheet{i}.xml"));
    assert!(s.contains("<brk id=\"4\""), "{s}");
    assert!(s.contains("<brk id=\"8\""));
    assert!(s.contains("<brk id=\"12\""));
    assert!(s.contains("orientation=\"portrait\""));
    assert!(
        !s.contains("fitToPage=\"1\""),
        "a fit would override the breaks"
    );
    assert!(workbook.contains("Scenario!$A:$A"));
    // The title is in A1 alone, not merged across the pages.
    assert!(
        !s.contains("<mergeCell ref=\"A1:"),
        "title merged across pages"
    );
}

/// Tables wrap their labels and words, then take 8 point text, before they
/// split: of the bundled Word documents only the scenario comparisons
/// (sixteen columns) are printed in parts; the sensitivity table's ten
/// columns fit the page once "no effect on costs" may wrap, and the overall
/// score's ten at 8 point.
#[test]
fn only_the_widest_tables_print_in_parts() {
    for (pack, split) in [
        ("planning-support", vec!["base case and scenarios"]),
        ("environmental-health", vec!["base case and scenarios"]),
        ("mkip-overall", vec![]),
        ("pathfinder-2007", vec![]),
        ("annual-report-2012-13", vec![]),
        ("mkip-programme", vec![]),
    ] {
        let doc = part(format!("reports/{pack}/{pack}.docx"), "word/document.xml");
        let parted: Vec<&str> = doc
            .split("<w:t xml:space=\"preserve\">Table ")
            .skip(1)
            .filter_map(|s| s.split('<').next())
            .filter(|s| s.ends_with("(part 1 of 2)"))
            .collect();
        assert_eq!(parted.len(), split.len(), "{pack}: {parted:?}");
        for (p, want) in parted.iter().zip(&split) {
            assert!(p.contains(want), "{pack}: {p}");
        }
    }
}

/// A switching value outside its input's range is said for what it is. In
/// Environmental Health NPV is below zero (−£3,833) even with every saving
/// realised, so NPV reaches zero only at 102.4% realised; in Planning
/// Support the share realised would have to fall to 36.7%, below the 60%
/// tested.
#[test]
fn switching_values_beyond_the_range_are_explained() {
    let eh = std::fs::read_to_string("reports/environmental-health/report.md").unwrap();
    assert!(eh.contains("Share of savings realised would have to be 102.4%, more than all of it"));
    let ps = std::fs::read_to_string("reports/planning-support/report.md").unwrap();
    assert!(ps.contains("Share of savings realised would have to fall to 36.7%"));
}

/// The check of the published figures reaches the printed documents too:
/// Planning Support's model lists 18 published figures, all of which its
/// tables reproduce, so its Word document and its workbook's Sources sheet
/// say "18 published figures checked; 0 differ."; the annual report, where
/// 5 of 94 differ, lists them in a table instead (its last).
#[test]
fn word_and_workbook_say_the_published_figures_were_checked() {
    let doc = part(
        "reports/planning-support/planning-support.docx",
        "word/document.xml",
    );
    assert!(doc.contains("18 published figures checked; 0 differ."));
    let mut wb = open_workbook_auto("reports/planning-support/planning-support.xlsx").unwrap();
    let sources = wb.worksheet_range("Sources").unwrap();
    let said = sources.rows().any(|r| {
        r.iter()
            .any(|c| matches!(c, Data::String(s) if s.ends_with("18 published figures checked; 0 differ.")))
    });
    assert!(said);
    let doc = part(
        "reports/annual-report-2012-13/annual-report-2012-13.docx",
        "word/document.xml",
    );
    assert!(doc.contains("Table 7: Published figures that differ from their recomputation"));
    assert!(doc.contains("94 published figures checked; 5 differ."));
}
