//! The messy-input corpus (fixtures/messy/README.md): each file is read to
//! the same tables as the clean fixture, or refused with exit 2 and a
//! message naming the file and cell or line; every import accounts for
//! every row.

use assert_cmd::Command;
use costshare::base::table::Value;
use costshare::input::import::{self, Records};
use costshare::input::source::Source;
use costshare::tables::annual::AnnualInputs;
use std::path::Path;

fn values(path: &str) -> Vec<Vec<Vec<Value>>> {
    let a = AnnualInputs::load(&Source::open(Path::new(path)).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    a.tables()
        .iter()
        .map(|t| {
            t.rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.value.clone()).collect())
                .collect()
        })
        .collect()
}

#[test]
fn messy_files_read_to_the_clean_tables() {
    let clean = values("fixtures/mkip-2012-13.xlsx");
    for f in [
        "merged-title.xlsx",
        "notes-and-totals.xlsx",
        "hidden-sheet.xlsx",
        "numbers-as-text.xlsx",
        "formulas-with-results.xlsx",
        "formatted-empty-rows.xlsx",
        "long-text.xlsx",
        "legacy-excel.xls",
        "libreoffice.ods",
        "windows-1252",
        "bom",
        "semicolon",
    ] {
        assert_eq!(values(&format!("fixtures/messy/{f}")), clean, "{f}");
    }
}

fn refused(args: &[&str], message: &str) {
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end(),
        format!("costshare: error: {message}"),
        "{args:?}"
    );
}

#[test]
fn messy_files_refused_with_their_place() {
    refused(
        &[
            "table",
            "budget-breakdown",
            "--data",
            "fixtures/messy/date-for-money.xlsx",
        ],
        "fixtures/messy/date-for-money.xlsx, sheet \"budget\", cell D12: expected an amount such as 1,234, £1,234.56, (1,234), -1,234, £9.83m, N/A or -, found the date 2013-04-01",
    );
    refused(
        &[
            "table",
            "staff",
            "--data",
            "fixtures/messy/duplicate-partner",
        ],
        "fixtures/messy/duplicate-partner/authorities.csv, line 3, column 1: expected each authority listed once, found MBC a second time (first at fixtures/messy/duplicate-partner/authorities.csv, line 2, column 1)",
    );
    refused(
        &[
            "table",
            "budget-breakdown",
            "--data",
            "fixtures/messy/duplicate-column",
        ],
        "fixtures/messy/duplicate-column/budget.csv, header line 1: column \"SBC\" appears 2 times; each column must be named once",
    );
    refused(
        &["table", "staff", "--data", "fixtures/messy/negative-budget"],
        "fixtures/messy/negative-budget/authorities.csv, line 4, column 3: expected an authority budget greater than zero, found -14254450",
    );
    refused(
        &[
            "table",
            "contributions",
            "--model",
            "fixtures/messy/negative-population.toml",
        ],
        "fixtures/messy/negative-population.toml, line 4, key population.SBC: a population must be zero or more",
    );
    refused(
        &[
            "table",
            "contributions",
            "--model",
            "fixtures/messy/duplicate-partner.toml",
        ],
        "fixtures/messy/duplicate-partner.toml, line 3, key partners[2]: partner MBC is listed twice",
    );
}

/// Every sheet of every messy file: rows read = header + used + set aside.
#[test]
fn every_row_is_accounted_for() {
    let mut sheets = 0;
    for e in std::fs::read_dir("fixtures/messy").unwrap() {
        let p = e.unwrap().path();
        let grids = if p.is_dir() {
            std::fs::read_dir(&p)
                .unwrap()
                .map(|f| import::read_csv(&f.unwrap().path()).unwrap())
                .collect::<Vec<_>>()
        } else if import::format_of(&p).is_ok() {
            import::read_file(&p, None).unwrap()
        } else {
            continue;
        };
        for g in &grids {
            let a = Records::new(g).unwrap().accounting();
            assert!(a.balances(), "{a}");
            sheets += 1;
        }
    }
    assert!(sheets >= 100, "only {sheets} sheets checked");
}

#[test]
fn set_aside_rows_are_named_with_their_reason() {
    let g = import::read_file(
        Path::new("fixtures/messy/notes-and-totals.xlsx"),
        Some("budget"),
    )
    .unwrap();
    let a = Records::new(&g[0]).unwrap().accounting();
    assert_eq!(
        (a.read, a.header, a.used, a.set_aside.len()),
        (18, 1, 14, 3)
    );
    let why: Vec<&str> = a.set_aside.iter().map(|s| s.1).collect();
    assert_eq!(
        why,
        [
            "total typed into the sheet (costshare recomputes totals)",
            "blank",
            "note (text in one cell only)"
        ]
    );
    assert_eq!(a.set_aside[2].2, "*All figures exclude recharges");

    let g = import::read_file(
        Path::new("fixtures/messy/merged-title.xlsx"),
        Some("budget"),
    )
    .unwrap();
    let r = Records::with_columns(&g[0], &["service", "line", "kind"]).unwrap();
    let a = r.accounting();
    assert_eq!(
        (a.read, a.header, a.used, a.set_aside.len()),
        (16, 1, 14, 1)
    );
    assert_eq!(a.set_aside[0].1, "title above the header");

    let g = import::read_file(
        Path::new("fixtures/messy/hidden-sheet.xlsx"),
        Some("published"),
    )
    .unwrap();
    assert!(g[0].hidden);
    let g = import::read_file(
        Path::new("fixtures/messy/formatted-empty-rows.xlsx"),
        Some("budget"),
    )
    .unwrap();
    assert_eq!(g[0].rows.len(), 15, "formatted empty rows hold nothing");
}

#[test]
fn import_reports_the_counts() {
    Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "import",
            "fixtures/messy/notes-and-totals.xlsx",
            "--sheet",
            "budget",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "sheet \"budget\": read 18 rows: 1 header, 14 used, 3 set aside",
        ))
        .stderr(predicates::str::contains(
            "row 18: note (text in one cell only): *All figures exclude recharges",
        ));
    Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "import",
            "fixtures/messy/hidden-sheet.xlsx",
            "--sheet",
            "published",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "is a hidden sheet; read like any other",
        ));
}

#[test]
fn an_excel_binary_workbook_is_read_like_any_other() {
    // fixtures/messy/budget.xlsb is written record by record by
    // scripts/make_xlsb.py: MBC Audit 299,700 and SBC Audit 1,234.50.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("xlsb");
    std::fs::create_dir_all(&dir).unwrap();
    let ledger = dir.join("l.csv");
    std::fs::write(
        &ledger,
        "authority,cost_centre,amount\nMBC,Audit,299700\nSBC,Audit,1234.50\n",
    )
    .unwrap();
    Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "reconcile",
            "--actuals",
            ledger.to_str().unwrap(),
            "--budget",
            "fixtures/messy/budget.xlsb",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "MBC,Audit,299700.00,299700.00,0.00,0.0,Green\n",
        ))
        .stdout(predicates::str::contains(
            "SBC,Audit,1234.50,1234.50,0.00,0.0,Green\n",
        ));
}
