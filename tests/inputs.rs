//! Inputs as councils send them: every line ending, workbooks with hidden
//! and oversized sheets, formulas whose saved result is empty.

mod common;

use assert_cmd::Command;
use common::rewrite;
use std::path::{Path, PathBuf};

fn tmp(tag: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("inputs-{tag}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cs() -> Command {
    Command::cargo_bin("costshare").unwrap()
}

/// A model whose partner A's population is `cell` of `file`.
fn model(dir: &Path, file: &Path, cell: &str, sheet: Option<&str>) -> PathBuf {
    let sheet = sheet
        .map(|s| format!("sheet = \"{s}\", "))
        .unwrap_or_default();
    let text = format!(
        "name = \"Contributions\"\npartners = [\"A\", \"B\"]\n\
population = {{ A = {{ file = \"{}\", {sheet}range = \"{cell}\" }}, B = 5 }}\n\
[contributions]\nrate_per_head = \"1\"\n",
        file.display()
    );
    let p = dir.join("m.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn every_line_ending_cites_the_line_an_editor_shows() {
    let dir = tmp("endings");
    // Line 1 header, line 2 A=100, line 3 blank, line 4 B=200: Excel's B4.
    for (tag, nl) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"), ("mixed", "")] {
        let text = if nl.is_empty() {
            "partner,population\r\nA,100\n\rB,200\r\n".to_string()
        } else {
            format!("partner,population{nl}A,100{nl}{nl}B,200{nl}")
        };
        let csv = dir.join(format!("{tag}.csv"));
        std::fs::write(&csv, text).unwrap();
        let out = cs()
            .args(["import", csv.to_str().unwrap()])
            .output()
            .unwrap();
        let listing = String::from_utf8(out.stdout).unwrap();
        assert!(
            listing.contains(",line 4 column 2,text,200\n"),
            "{tag}: {listing}"
        );
        assert!(
            listing.contains(",line 2 column 2,text,100\n"),
            "{tag}: {listing}"
        );
        // A model's B4 is the 200 on line 4, as Excel shows it.
        let m = model(&dir, &csv, "B4", None);
        let out = cs()
            .args([
                "table",
                "contributions",
                "--model",
                m.to_str().unwrap(),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("\"display\": \"200\""), "{tag}: {text}");
        assert!(
            text.contains(&format!("{tag}.csv, line 4, column 2")),
            "{tag}: {text}"
        );
    }
}

/// A workbook: a budget sheet, and a hidden sheet of workings.
fn workbook(path: &Path, workings_wide: bool) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    s.set_name("budget").unwrap();
    s.write(0, 0, "authority").unwrap();
    s.write(0, 1, "service").unwrap();
    s.write(0, 2, "budget").unwrap();
    s.write(1, 0, "MBC").unwrap();
    s.write(1, 1, "Audit").unwrap();
    s.write(1, 2, 1000).unwrap();
    let w = wb.add_worksheet();
    w.set_name("workings").unwrap();
    w.write(0, 0, 42).unwrap();
    if workings_wide {
        // Column 2,762: a sheet no budget table is, as one real return has.
        w.write(0, 2761, 1).unwrap();
    }
    w.set_hidden(true);
    wb.save(path).unwrap();
}

#[test]
fn a_huge_hidden_sheet_does_not_block_the_others() {
    let dir = tmp("wide");
    let wb = dir.join("return.xlsx");
    workbook(&wb, true);
    // The budget sheet is read; only the oversized sheet is refused, with a warning.
    let out = cs()
        .args(["import", wb.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("sheet \"workings\": not read:"), "{err}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains(",budget,C2,number,1000\n")
    );
    let ledger = dir.join("ledger.csv");
    std::fs::write(&ledger, "authority,cost_centre,amount\nMBC,Audit,990\n").unwrap();
    cs().args([
        "reconcile",
        "--actuals",
        ledger.to_str().unwrap(),
        "--budget",
        wb.to_str().unwrap(),
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(
        "MBC,Audit,1000.00,990.00,-10.00,-1.0,Green\n",
    ));
    // Asked for by name, the oversized sheet is an error naming it.
    let m = model(&dir, &wb, "A1", Some("workings"));
    cs().args(["table", "contributions", "--model", m.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("beyond the 1000 columns"));
}

#[test]
fn a_figure_from_a_hidden_sheet_is_read_and_said_to_be_hidden() {
    let dir = tmp("hidden");
    let wb = dir.join("return.xlsx");
    workbook(&wb, false);
    let m = model(&dir, &wb, "A1", Some("workings"));
    cs().args([
        "table",
        "contributions",
        "--model",
        m.to_str().unwrap(),
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains("A,42,"))
    .stderr(predicates::str::contains("key population.A: reads "))
    .stderr(predicates::str::contains(
        "sheet \"workings\", a hidden sheet",
    ));
}

#[test]
fn an_empty_formula_result_is_blank_not_a_missing_calculation() {
    let dir = tmp("formula");
    let p = dir.join("return.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    s.set_formula_result_default("");
    s.write(0, 0, "figure").unwrap();
    s.write(1, 0, 5).unwrap();
    // =IF(A2>10,A2,"") saved by a spreadsheet program: an empty result.
    // Its saved result is "": `<c t="str"><f>…</f><v></v></c>`.
    s.write_formula(2, 0, "=IF(A2>10,A2,\"\")").unwrap();
    wb.save(&p).unwrap();
    // Written by a library, the workbook asks to be calculated on opening:
    // its formulas have never been calculated, and costshare says so.
    let out = cs().args(["import", p.to_str().unwrap()]).output().unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("A3,formula-without-value")
    );
    // Saved by a spreadsheet program (no recalculation asked for), the
    // empty result is just blank: no false alarm.
    rewrite(&p, "xl/workbook.xml", |x| {
        x.replace(" fullCalcOnLoad=\"1\"", "").into_bytes()
    });
    let out = cs().args(["import", p.to_str().unwrap()]).output().unwrap();
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(!listing.contains("A3"), "{listing}");
    assert!(
        !String::from_utf8(out.stderr)
            .unwrap()
            .contains("no saved result")
    );
}

#[test]
fn government_missing_value_marks_are_not_available() {
    use costshare::base::money::{Amount, parse_amount};
    for mark in ["..", "...", "x", "[c]", "[x]", "[z]", "-"] {
        assert!(
            matches!(parse_amount(mark), Ok(Amount::NotApplicable(_))),
            "{mark}"
        );
    }
    // In a summed range, blanks = "zero" lets them add nothing.
    let dir = tmp("marks");
    let csv = dir.join("return.csv");
    std::fs::write(
        &csv,
        "area,population\nNorth,100\nSouth,..\nEast,[c]\nWest,\n",
    )
    .unwrap();
    let text = format!(
        "name = \"Marks\"\npartners = [\"A\", \"B\"]\n\
population = {{ A = {{ file = \"{}\", range = \"B2:B5\", aggregate = \"sum\", blanks = \"zero\" }}, B = 5 }}\n\
[contributions]\nrate_per_head = \"1\"\n",
        csv.display()
    );
    let m = dir.join("m.toml");
    std::fs::write(&m, &text).unwrap();
    cs().args([
        "table",
        "contributions",
        "--model",
        m.to_str().unwrap(),
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains("A,100,"));
    // Without it, a blank is a mistake and says where.
    std::fs::write(&m, text.replace(", blanks = \"zero\"", "")).unwrap();
    cs().args(["table", "contributions", "--model", m.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 3, column 2"));
}

#[test]
fn check_cites_the_same_lines_whatever_the_line_endings() {
    // The annual-report CSV folder, once as committed (LF) and once with
    // Windows line endings: every citation must be the same.
    let dir = tmp("check-crlf");
    let crlf = dir.join("mkip");
    std::fs::create_dir_all(&crlf).unwrap();
    for e in std::fs::read_dir("fixtures/mkip-2012-13").unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains('\r'));
        std::fs::write(
            crlf.join(p.file_name().unwrap()),
            text.replace('\n', "\r\n"),
        )
        .unwrap();
    }
    let run = |data: &str| {
        let out = cs().args(["check", "--data", data]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let lf = run("fixtures/mkip-2012-13");
    let windows = run(crlf.to_str().unwrap());
    assert!(lf.contains("line "), "{lf}");
    assert_eq!(
        windows.replace(crlf.to_str().unwrap(), "fixtures/mkip-2012-13"),
        lf
    );
}

#[test]
fn subtotals_and_a_grand_total_in_a_ledger_sheet_are_not_spending() {
    // Two sections, each with its subtotal, then a grand total: none is a
    // ledger line. A "Total Gas & Power" supplier row is spending.
    let dir = tmp("subtotals");
    let p = dir.join("ledger.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    let rows: [(&str, &str, f64); 7] = [
        ("MBC", "Audit", 100.0),
        ("MBC", "Audit", 50.0),
        ("Total", "", 150.0),
        ("MBC", "Total Gas & Power", 20.0),
        ("MBC", "HR", 5.0),
        ("Subtotal", "", 25.0),
        ("Grand total", "", 175.0),
    ];
    for (c, h) in ["authority", "cost_centre", "amount"].iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
    }
    for (i, (a, c, m)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        s.write(r, 0, *a).unwrap();
        if !c.is_empty() {
            s.write(r, 1, *c).unwrap();
        }
        s.write(r, 2, *m).unwrap();
    }
    wb.save(&p).unwrap();
    let t = costshare::ledger::read(&p, &costshare::ledger::Columns::default(), &mut |_, _| {})
        .unwrap();
    // 100 + 50 + 20 + 5 = 175, every total recognised, nothing set aside.
    assert_eq!(t.total_pence, 17_500);
    assert_eq!((t.rows, t.bad), (4, 0), "{:?}", t.bad_lines);
    assert_eq!(t.other, 4); // the header and three totals
}

/// A figure summed over a range is traced to every cell summed (it named
/// the first alone): an investment of 100 + 250 + 40 = £390 from lines 2–4
/// of a CSV's second column.
#[test]
fn a_summed_range_is_traced_to_every_cell() {
    let dir = tmp("sum-trace");
    let csv = dir.join("costs.csv");
    std::fs::write(&csv, "item,cost\nA,100\nB,250\nC,40\n").unwrap();
    let m = dir.join("m.toml");
    std::fs::write(
        &m,
        format!(
            "name = \"Summed\"\npartners = [\"A\", \"B\"]\nfirst_year = \"2030/31\"\n\
             [[investment]]\nitem = \"System\"\n\
             amounts = {{ \"2030/31\" = {{ file = \"{}\", range = \"B2:B4\", aggregate = \"sum\" }} }}\n\
             [savings]\nnet_saving_per_annum = 1000\n",
            csv.display()
        ),
    )
    .unwrap();
    let out = cs()
        .args([
            "table",
            "investment",
            "--model",
            m.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&out.stdout);
    let want = format!("the sum of {}, lines 2, 3 and 4, column 2", csv.display());
    assert!(json.contains(&want), "{json}");
    assert!(json.contains("\"amount\": \"390\""), "{json}");
}

/// An investment range is the items alone. Its sheet's own Total row was
/// read as one more item (the case at £36,000 where Set-up £15,000 and
/// Training £3,000 make £18,000); a note under the items was an item of
/// £0; a year in the header twice showed one cell and added both; an item
/// named twice (case aside) was two items. Each is refused, naming its
/// cell; the items alone give £18,000.
#[test]
fn an_investment_range_is_its_items_alone() {
    let dir = tmp("investment-range");
    let toml = "name = \"Range\"\npartners = [\"A\", \"B\"]\nfirst_year = \"2013/14\"\n\
investment = { file = \"inv.csv\", range = \"A1:D4\" }\n\
[savings]\nnet_saving_per_annum = 10000\nstart_year = \"2014/15\"\n\
[apportionment]\nbasis = \"equal\"\n";
    std::fs::write(dir.join("case.toml"), toml).unwrap();
    let items = "item,2013/14,2014/15,funded_by\nSet-up,10000,5000,\nTraining,2000,1000,\n";
    let run = |fourth: &str, header: Option<&str>| {
        let text = match header {
            Some(h) => format!("{h}\nSet-up,100,50,10\n"),
            None => format!("{items}{fourth}\n"),
        };
        std::fs::write(dir.join("inv.csv"), text).unwrap();
        cs().current_dir(&dir)
            .args([
                "table",
                "investment",
                "--model",
                "case.toml",
                "--format",
                "csv",
            ])
            .output()
            .unwrap()
    };
    let refused = [
        (
            "Total,12000,6000,",
            None,
            "\"Total\" reads as a total row: costshare adds the items itself; end the range above it (value from inv.csv, line 4, column 1)",
        ),
        // Named for what it totals, with the items' sums.
        (
            "Total investment,12000,6000,",
            None,
            "\"Total investment\" reads as a total row",
        ),
        // To the pound: thirds held by a workbook add to a penny off.
        (
            "Total investment,12000.4,6000,",
            None,
            "\"Total investment\" reads as a total row",
        ),
        (
            "Net total,12000,6000,",
            None,
            "\"Net total\" reads as a total row",
        ),
        (
            "* provisional figures,,,",
            None,
            "\"* provisional figures\" has no amount in any year: a note?",
        ),
        (
            "set-up,1,1,",
            None,
            "\"set-up\" is also the item \"Set-up\" at inv.csv, line 2, column 1",
        ),
        (
            "",
            Some("item,2013/14,2013-14,2014/15"),
            "the header gives year 2013/14 twice (first at inv.csv, line 1, column 2)",
        ),
    ];
    for (fourth, header, said) in refused {
        let out = run(fourth, header);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(out.stdout.is_empty());
        assert!(err.contains(said), "{err}");
    }
    let out = run("", None);
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(csv.contains("Total,12000,6000,18000"), "{csv}");
    // An item whose name begins "Total" is an item when it is not the sum.
    let out = run("Total Mobile licences,500,500,", None);
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("Total,12500,6500,19000"), "{csv}");
}

/// A figure looked up by its row's label, the label saying its unit ("Net
/// saving (£000)"), with no `unit` key: read as £1,589.48, a thousandth
/// of itself. Refused, naming the label's cell; `unit = "£000"` reads it
/// as £1,589,480.
#[test]
fn a_row_label_saying_its_unit_is_not_lost() {
    let dir = tmp("row-label-unit");
    std::fs::write(
        dir.join("ret.csv"),
        "measure,value\nNet saving (£000),1589.48\n",
    )
    .unwrap();
    let model = |unit: &str| {
        format!(
            "name = \"Label unit\"\npartners = [\"A\", \"B\"]\nfirst_year = \"2013/14\"\n\
[[investment]]\nitem = \"Set-up\"\namounts = {{ \"2013/14\" = 1000 }}\n\
[savings]\nnet_saving_per_annum = {{ file = \"ret.csv\", row = \"Net saving (£000)\", column = \"value\"{unit} }}\n\
start_year = \"2014/15\"\n[apportionment]\nbasis = \"equal\"\n"
        )
    };
    let run = |unit: &str| {
        std::fs::write(dir.join("m.toml"), model(unit)).unwrap();
        cs().current_dir(&dir)
            .args(["table", "score", "--model", "m.toml", "--format", "csv"])
            .output()
            .unwrap()
    };
    let out = run("");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ret.csv, line 2, column 1 says \"Net saving (£000)\": give unit = \"£000\""),
        "{err}"
    );
    let out = run(", unit = \"£000\"");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(csv.contains("1589480"), "{csv}");
}
