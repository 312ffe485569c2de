//! Files from other organisations, some damaged, some forged: each gives a
//! clear error (exit 2) or the right figures, never a panic, a hang or the
//! machine's memory. Each case failed before its fix.

mod common;

use assert_cmd::Command;
use common::{SHEET_HEAD, SHEET_TAIL, forged_xlsx};
use std::path::PathBuf;

fn tmp(tag: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{tag}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn import_fails_with(path: &std::path::Path, says: &str) {
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args(["import", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(says), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn sheet(rows: &str) -> Vec<u8> {
    format!("{SHEET_HEAD}{rows}{SHEET_TAIL}").into_bytes()
}

#[test]
fn a_cell_past_excels_last_row_is_refused() {
    // Before: the rows between were made, 1.7 KB → 1.9 GB.
    let p = tmp("rows").join("far.xlsx");
    forged_xlsx(
        &p,
        || sheet("<row r=\"3000000\"><c r=\"A3000000\"><v>1</v></c></row>"),
        None,
    );
    import_fails_with(&p, "beyond Excel's 1048576 rows");
}

#[test]
fn a_cell_reference_past_u32_is_refused_not_wrapped() {
    // Before: A4294967298 wrapped to A2 and overwrote the real A2.
    let p = tmp("wrap").join("wrap.xlsx");
    forged_xlsx(
        &p,
        || {
            sheet(
                "<row r=\"2\"><c r=\"A2\"><v>100</v></c></row>\
                 <row r=\"4294967298\"><c r=\"A4294967298\"><v>999</v></c></row>",
            )
        },
        None,
    );
    import_fails_with(&p, "cell reference out of range");
}

#[test]
fn a_cell_given_twice_is_refused() {
    // Before: the second B2 silently replaced the first.
    let p = tmp("twice").join("twice.xlsx");
    forged_xlsx(
        &p,
        || sheet("<row r=\"2\"><c r=\"B2\"><v>100</v></c><c r=\"B2\"><v>999</v></c></row>"),
        None,
    );
    import_fails_with(&p, "gives cell B2 twice");
}

#[test]
fn a_shared_strings_table_bigger_than_any_budget_is_refused() {
    // Before: 63 million strings no cell uses were all loaded (≈3 GB).
    let p = tmp("strings").join("strings.xlsx");
    let mut sst = b"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">".to_vec();
    sst.extend(b"<si><t>x</t></si>".repeat(5_000_001));
    sst.extend(b"</sst>");
    forged_xlsx(&p, || sheet(""), Some(sst));
    // Repetitive strings trip the inflation guard first; varied ones, the
    // count (5,000,000) or size (256 MB) cap. Either way: refused, at once.
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args(["import", p.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("shared-strings table is larger") || err.contains("a zip bomb"),
        "{err}"
    );
}

#[test]
fn a_sheet_inflating_to_gigabytes_of_empty_rows_stops() {
    // 300 MB of "<row/>" compresses to a third of a megabyte (a 5 GB one,
    // to 7.8 MB). Before: minutes of parsing; now reading stops at 200 times
    // the compressed size (at least 64 MB).
    let p = tmp("bomb").join("bomb.xlsx");
    forged_xlsx(
        &p,
        || {
            let mut v = SHEET_HEAD.as_bytes().to_vec();
            v.extend(b"<row/>".repeat(50_000_000));
            v.extend(SHEET_TAIL.as_bytes());
            v
        },
        None,
    );
    assert!(std::fs::metadata(&p).unwrap().len() < 8 << 20);
    import_fails_with(&p, "a zip bomb, not a workbook");
}

#[test]
fn ledger_amounts_past_any_council_figure_are_set_aside_not_wrapped() {
    // Before: 92233720368547758.07 + 0.01 wrapped to −£92,233,720,368,547,758.08.
    let dir = tmp("wrap-ledger");
    let l = dir.join("l.csv");
    std::fs::write(
        &l,
        "authority,cost_centre,amount\nMBC,A,92233720368547758.07\nMBC,A,0.01\nMBC,A,1e27\n",
    )
    .unwrap();
    let b = dir.join("b.csv");
    std::fs::write(&b, "authority,service,budget\nMBC,A,1\n").unwrap();
    Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "reconcile",
            "--actuals",
            l.to_str().unwrap(),
            "--budget",
            b.to_str().unwrap(),
            "--format",
            "csv",
        ])
        .assert()
        .code(3)
        .stdout(predicates::str::contains("MBC,A,1.00,0.01,"))
        .stderr(predicates::str::contains(
            "line 2: amount \"92233720368547758.07\": amount over £1 trillion",
        ))
        .stderr(predicates::str::contains(
            "line 4: amount \"1e27\": amount over £1 trillion",
        ));
}

#[test]
fn a_stray_quote_in_a_large_ledger_is_an_ordinary_character() {
    // "12" monitor" in an unquoted field, then quoted descriptions that span
    // lines: before, the block cutter rescanned quote parity at every line
    // end (over 120 s at 32 MB) and the two halves disagreed (phantom bad
    // lines, −£1,000). Now the result is exact and linear.
    let dir = tmp("stray");
    let l = dir.join("l.csv");
    let mut text = String::from("authority,cost_centre,description,amount\n");
    text.push_str("MBC,ICT,12\" monitor,100.00\n");
    for i in 0..60_000 {
        if i % 1000 == 0 {
            text.push_str("MBC,ICT,\"a quoted\ndescription, on two lines\",1.00\n");
        } else {
            text.push_str("MBC,ICT,Stationery,1.00\n");
        }
    }
    std::fs::write(&l, &text).unwrap();
    let cols = costshare::ledger::Columns::default();
    for block in [4096, 65_536, 1 << 30] {
        let t = costshare::ledger::read_csv_blocks(&l, &cols, block, &mut |_, _| {}).unwrap();
        assert_eq!(t.bad, 0, "block {block}: {:?}", t.bad_lines.first());
        assert_eq!(t.rows, 60_001);
        // 100.00 + 60,000 × 1.00
        assert_eq!(t.total_pence, 10_000 + 6_000_000);
        assert_eq!(t.files[0].lines, 60_000 + 60 + 2);
    }
}

#[test]
fn too_many_partners_is_refused() {
    // Before: 100,000 partners took minutes (lookups were quadratic).
    let dir = tmp("partners");
    let names: Vec<String> = (0..2_000).map(|i| format!("\"P{i}\"")).collect();
    let m = dir.join("m.toml");
    std::fs::write(
        &m,
        format!(
            "name = \"Many\"\npartners = [{}]\n[contributions]\nrate_per_head = \"1\"\n",
            names.join(",")
        ),
    )
    .unwrap();
    Command::cargo_bin("costshare")
        .unwrap()
        .args(["table", "contributions", "--model", m.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "key partners: 2000 partners; at most 1000",
        ));
}

#[test]
fn an_ods_of_repeated_cells_is_refused_before_it_is_made() {
    // Before: a 906-byte file asking for 16,384 columns × 1,000,000 rows of
    // "1" took 2.76 GB, even when another sheet was asked for.
    let p = tmp("ods").join("repeat.ods");
    std::fs::copy("fixtures/messy/libreoffice.ods", &p).unwrap();
    common::rewrite(&p, "content.xml", |_| {
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>\
<table:table table:name=\"Sheet1\"><table:table-row table:number-rows-repeated=\"1000000\">\
<table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"1\"/>\
</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
            .to_vec()
    });
    assert!(std::fs::metadata(&p).unwrap().len() < 100_000);
    import_fails_with(&p, "Cell limit exceeded");
}

#[cfg(feature = "parquet")]
#[test]
fn a_parquet_ledger_with_decimal_money_and_a_date_column_is_read() {
    // DECIMAL(18,2) is how databases export money; before, any DECIMAL
    // column panicked (polars' decimal type was not enabled), and a date
    // column was refused without being named, though it is not needed.
    use polars::prelude::*;
    let dir = tmp("parquet-decimal");
    let p = dir.join("l.parquet");
    let amounts = Column::new("amount".into(), ["10.25", "-0.10", "1000.00"])
        .cast(&DataType::Decimal(18, 2))
        .unwrap();
    let dates = Column::new("posted".into(), [19_000i32, 19_001, 19_002])
        .cast(&DataType::Date)
        .unwrap();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("authority".into(), ["MBC", "MBC", "SBC"]),
        Column::new("cost_centre".into(), ["A", "A", "B"]),
        dates,
        amounts,
    ])
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    let t = costshare::ledger::read(&p, &costshare::ledger::Columns::default(), &mut |_, _| {})
        .unwrap();
    assert_eq!(t.bad, 0, "{:?}", t.bad_lines);
    assert_eq!(t.totals[&("MBC".to_string(), "A".to_string())], 1_015);
    assert_eq!(t.total_pence, 101_015);
}

/// Read a row group at a time (on several threads), a Parquet ledger still
/// counts its records from the file's first, and hands its set-aside
/// records on in file order: bad amounts in the first and third groups are
/// records 2 and 8.
#[cfg(feature = "parquet")]
#[test]
fn parquet_records_are_numbered_across_row_groups() {
    use polars::prelude::*;
    let dir = tmp("parquet-groups");
    let p = dir.join("l.parquet");
    // Ten records of £1.00 to £10.00 (2 and 8 unreadable): groups of three.
    let amounts: Vec<String> = (1..=10)
        .map(|i| match i {
            2 | 8 => "n/k".into(),
            _ => format!("{i}.00"),
        })
        .collect();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("authority".into(), vec!["MBC"; 10]),
        Column::new("cost_centre".into(), vec!["A"; 10]),
        Column::new("amount".into(), amounts),
    ])
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .with_row_group_size(Some(3))
        .finish(&mut df)
        .unwrap();
    let mut sunk = Vec::new();
    let t = costshare::ledger::read_with_sink(
        &p,
        &costshare::ledger::Columns::default(),
        &mut |_, _| {},
        &mut |b| {
            sunk.push(b.line);
            Ok(())
        },
    )
    .unwrap();
    // 1 + 2 + ... + 10 = 55, less the unreadable 2 and 8: £45.00 from 8.
    assert_eq!((t.rows, t.bad, t.total_pence), (8, 2, 4_500));
    assert_eq!(sunk, [2, 8]);
    assert_eq!(t.files[0].read, 10);
}

/// Parquet written by pyarrow (data page v2, zstd, DECIMAL, row groups of
/// 70, tiny pages; text amounts in one group) and DuckDB (doubles, row
/// groups of 100; text in one group) passes the page check and is read
/// exactly; an empty file is empty, not damaged.
#[cfg(feature = "parquet")]
#[test]
fn parquet_from_other_writers_is_read_exactly() {
    // scripts/make_parquet.py: line i (0..300) is authority "ABC"[i % 3]
    // (none when i % 5 == 4), cost centre X1 when i is even else X2, and
    // i pounds i pence (i * 101 pence), negative when i % 7 == 0.
    let mut want: std::collections::BTreeMap<(String, String), i128> = Default::default();
    for i in 0..300i128 {
        let a = if i % 5 == 4 {
            ""
        } else {
            ["A", "B", "C"][(i % 3) as usize]
        };
        let c = if i % 2 == 0 { "X1" } else { "X2" };
        let p = i * 101 * if i % 7 == 0 { -1 } else { 1 };
        *want.entry((a.to_string(), c.to_string())).or_default() += p;
    }
    // By hand: 1.01 * (sum 0..299 - 2 * 7 * (0 + ... + 42))
    //        = 1.01 * (44,850 - 12,642) = £32,530.08.
    assert_eq!(want.values().sum::<i128>(), 3_253_008);
    let cols = costshare::ledger::Columns::default();
    for f in [
        "pyarrow-v2-zstd",
        "duckdb-float",
        "duckdb-one-group",
        "pyarrow-one-group",
    ] {
        let p = std::path::Path::new("fixtures/parquet").join(format!("{f}.parquet"));
        let t = costshare::ledger::read(&p, &cols, &mut |_, _| {}).unwrap();
        assert_eq!(t.bad, 0, "{f}: {:?}", t.bad_lines);
        assert_eq!(t.rows, 300, "{f}");
        let got: std::collections::BTreeMap<_, _> =
            t.totals.iter().map(|(k, v)| (k.clone(), *v)).collect();
        assert_eq!(got, want, "{f}");
    }
    let p = std::path::Path::new("fixtures/parquet/pyarrow-empty.parquet");
    let t = costshare::ledger::read(p, &cols, &mut |_, _| {}).unwrap();
    assert_eq!((t.rows, t.bad, t.total_pence), (0, 0, 0));
    // Said as records, which a Parquet file holds (it said "lines").
    let out = assert_cmd::Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "reconcile",
            "--actuals",
            "fixtures/parquet/duckdb-float.parquet",
        ])
        .args(["--budget", "fixtures/wlp-ledger/budget.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("duckdb-float.parquet: 300 records read: 300 used (£32,530.08)"),
        "{err}"
    );
}

#[test]
fn ledger_messages_say_what_is_really_wrong() {
    let dir = tmp("messages");
    let cols = costshare::ledger::Columns::default();
    // A header with no final newline is a header (before: "has none").
    let p = dir.join("header-only.csv");
    std::fs::write(&p, "authority,cost_centre,amount").unwrap();
    let t = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap();
    assert_eq!((t.rows, t.bad, t.other), (0, 0, 1));
    // A 200 MB line with no quote in it is a long line, not "a quoted field
    // runs on" (before).
    let p = dir.join("long-line.csv");
    let mut f = std::fs::File::create(&p).unwrap();
    use std::io::Write;
    f.write_all(b"authority,cost_centre,amount\nMBC,").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..200 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b",1.00\n").unwrap();
    drop(f);
    // (Never print what was read: the line is 200 MB.)
    let err = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {})
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    std::fs::remove_file(&p).unwrap();
    assert!(
        err.ends_with("line 2: this line is longer than 128 MB: not a ledger line"),
        "{err}"
    );
    // A quote that is never closed names the lines it swallowed.
    let p = dir.join("open-quote.csv");
    std::fs::write(
        &p,
        "authority,cost_centre,amount\nMBC,A,1.00\nMBC,\"A,2.00\nMBC,A,3.00\nMBC,A,4.00\n",
    )
    .unwrap();
    let t = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap();
    assert_eq!(t.rows, 1);
    assert_eq!(t.bad_lines[0].line, 3);
    assert!(
        t.bad_lines[0]
            .reason
            .contains("lines 3–5 (to the end of the file)"),
        "{}",
        t.bad_lines[0].reason
    );
}

/// A quote that closes before more text (`"unclosed,5.00` then the next
/// line's `…,"Salaries",93.11`) swallowed line 3 into line 2's field, and
/// the record read as BDC's £93.11 booked to ADC with line 2's £5.00 gone,
/// exit 0. Both lines are now set aside, named; line 4's £10.00 is read.
/// In a CSV table (an annual report's sheet) it is an error at its line.
#[test]
fn text_after_a_closing_quote_is_set_aside() {
    let dir = tmp("stray-quote");
    let cols = costshare::ledger::Columns::default();
    let p = dir.join("ledger.csv");
    std::fs::write(
        &p,
        "authority,cost_centre,description,amount\n\
         ADC,A-A-01,\"unclosed,5.00\n\
         BDC,B-L-02,\"Salaries\",93.11\n\
         BDC,B-L-02,\"Salaries\" ,10.00\n",
    )
    .unwrap();
    let t = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap();
    assert_eq!((t.rows, t.bad, t.total_pence), (1, 1, 1000));
    assert_eq!(t.bad_lines[0].line, 2);
    assert!(
        t.bad_lines[0].reason.starts_with(
            "text follows the closing quote of a quoted field, so lines 2–3 were read as one line"
        ),
        "{}",
        t.bad_lines[0].reason
    );
    // On one line: `"Smith" Ltd` cannot be told from two fields.
    std::fs::write(&p, "authority,cost_centre,amount\n\"A\"B,C1,1.00\n").unwrap();
    let t = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap();
    assert_eq!((t.rows, t.bad), (0, 1));
    assert!(
        t.bad_lines[0]
            .reason
            .contains("its fields cannot be told apart")
    );
    let src = costshare::input::import::read_csv(&p);
    let err = src.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains("line 2: text follows the closing quote"),
        "{err}"
    );
}

/// A line labelled a total ("Total,,15") is the publisher's total when it
/// is the sum of the lines above it (£10 + £5), not spending by an
/// authority called Total (it was added: out-turn £30); one that is not
/// the sum (£16) is set aside and said, as a bare ",,16" is.
#[test]
fn a_line_labelled_total_is_a_total_not_an_authority() {
    let dir = tmp("labelled-total");
    let cols = costshare::ledger::Columns::default();
    let read = |name: &str, last: &str| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!("authority,cost_centre,amount\nA,C1,10\nA,C1,5\n{last}\n"),
        )
        .unwrap();
        costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap()
    };
    for last in ["Total,,15", "Grand total,,15.00", " TOTAL: ,,15"] {
        let t = read("agrees.csv", last);
        assert_eq!((t.rows, t.bad, t.other), (2, 0, 2), "{last}");
        assert_eq!(t.total_pence, 1500, "{last}");
        // Taken as a total, and named: a £15 line with no cost centre
        // that happened to equal the lines above was dropped unseen.
        assert_eq!(t.totals_taken, 1, "{last}");
        let said = costshare::ledger::accounting::summary(&t).join("\n");
        let at = dir.join("agrees.csv").display().to_string();
        assert!(
            said.contains(&format!(
                "1 line taken as a total typed into the file (the sum of the lines above it), not added: {at}, line 4 (£15.00)"
            )),
            "{said}"
        );
    }
    let t = read("differs.csv", "Total,,16");
    assert_eq!(
        (t.rows, t.bad, t.bad_pence, t.total_pence),
        (2, 1, 1600, 1500)
    );
    assert!(t.bad_lines[0].reason.contains("(or labelled a total)"));
    // An authority whose name only begins like one is spending.
    let t = read("totnes.csv", "Totnes Town Council,C1,15");
    assert_eq!((t.rows, t.total_pence), (3, 3000));
}

/// A subtotal typed under a month's lines with no cost centre, labelled
/// with more than the total word ("Subtotal April", "April total", "Net
/// total"), was added as spending by a blank authority: out-turn £1,000
/// where the lines are £100 + £200 + £400 = £700. Now it is a total when
/// it is the sum above (£300), in a CSV and in a workbook; one that is
/// not (£301) is set aside. A cost centre with "Total" in its line's
/// description is spending.
#[test]
fn a_subtotal_labelled_in_words_is_a_total_not_spending() {
    let dir = tmp("worded-subtotal");
    let cols = costshare::ledger::Columns::default();
    let rows = |label: &str, sub: &str| {
        vec![
            ["BRK", "LEG01", "a", "100.00"].map(String::from),
            ["BRK", "LEG01", "b", "200.00"].map(String::from),
            ["", "", label, sub].map(String::from),
            ["BRK", "LEG01", "Total Gas & Power", "400.00"].map(String::from),
        ]
    };
    let read_csv = |rows: &[[String; 4]]| {
        let p = dir.join("ledger.csv");
        let mut text = "authority,cost_centre,description,amount\n".to_string();
        for r in rows {
            text += &format!("{}\n", r.join(","));
        }
        std::fs::write(&p, text).unwrap();
        costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap()
    };
    let read_xlsx = |rows: &[[String; 4]]| {
        let p = dir.join("ledger.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_row(0, 0, ["authority", "cost_centre", "description", "amount"])
            .unwrap();
        for (i, r) in rows.iter().enumerate() {
            ws.write_row(i as u32 + 1, 0, r[..3].iter().map(String::as_str))
                .unwrap();
            ws.write(i as u32 + 1, 3, r[3].parse::<f64>().unwrap())
                .unwrap();
        }
        wb.save(&p).unwrap();
        costshare::ledger::read_all(&[p], &cols, &mut |_, _| {}, &mut |_| Ok(())).unwrap()
    };
    for label in ["Subtotal April", "April total", "Net total", "Totals:"] {
        for t in [
            read_csv(&rows(label, "300.00")),
            read_xlsx(&rows(label, "300.00")),
        ] {
            assert_eq!((t.rows, t.bad, t.total_pence), (3, 0, 70_000), "{label}");
            assert_eq!(t.totals_taken, 1, "{label}");
        }
        for t in [
            read_csv(&rows(label, "301.00")),
            read_xlsx(&rows(label, "301.00")),
        ] {
            assert_eq!((t.rows, t.bad, t.bad_pence), (3, 1, 30_100), "{label}");
        }
    }
    // Each authority's subtotal, its authority kept ("BRK total"), is the
    // sum since the last: £300, then £50. A supplier named "Total Gas &
    // Power Ltd" on a dated line with no cost centre is spending, though
    // its £350 is the sum above: 100 + 200 + 50 + 350 = £700.
    let p = dir.join("dated.csv");
    std::fs::write(
        &p,
        "date,authority,cost_centre,description,amount\n\
         2024-04-01,BRK,LEG01,a,100\n2024-04-02,BRK,LEG01,b,200\n,BRK,,BRK total,300\n\
         2024-04-03,CLN,LEG01,c,50\n,CLN,,CLN subtotal,50\n\
         2024-04-04,CLN,,Total Gas & Power Ltd,350\n",
    )
    .unwrap();
    let dated = costshare::ledger::Columns {
        date: Some("date".into()),
        ..Default::default()
    };
    let t = costshare::ledger::read_csv(&p, &dated, &mut |_, _| {}).unwrap();
    assert_eq!(
        (t.rows, t.bad, t.totals_taken, t.total_pence),
        (4, 0, 2, 70_000)
    );
}

/// A subtotal that keeps its cost centre ("BRK,LEG01,LEG01 total,500")
/// was added as spending: out-turn £1,649 + £650 = £2,299 where the lines
/// are 300 + 200 (LEG01), 100 + 50 (LEG02) and a line "Annual total" of
/// £999 that is not the sum of anything above = £1,649. Now "LEG01 total"
/// (£500, the sum above) and "LEG02 total" (£150, the sum since) are
/// totals, and "Annual total" is spending, in a CSV (plain and dated, as
/// monitoring reads it) and in a workbook.
#[test]
fn a_subtotal_keeping_its_cost_centre_is_a_total_when_it_agrees() {
    let dir = tmp("keyed-subtotal");
    let lines = [
        ("2024-05-03", "LEG01", "Counsel fees", 300.0),
        ("2024-05-09", "LEG01", "Land registry", 200.0),
        ("2024-05-31", "LEG01", "LEG01 total", 500.0),
        ("2024-06-01", "LEG02", "Books", 100.0),
        ("2024-06-02", "LEG02", "Subscriptions", 50.0),
        ("2024-06-30", "LEG02", "LEG02 total", 150.0),
        ("2024-06-30", "LEG02", "Annual total", 999.0),
    ];
    let mut plain = "authority,cost_centre,description,amount\n".to_string();
    let mut dated = "date,authority,cost_centre,description,amount\n".to_string();
    let xlsx = dir.join("ledger.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(0, 0, ["authority", "cost_centre", "description", "amount"])
        .unwrap();
    for (i, (date, cc, what, amount)) in lines.iter().enumerate() {
        plain += &format!("BRK,{cc},{what},{amount}\n");
        dated += &format!("{date},BRK,{cc},{what},{amount}\n");
        ws.write_row(i as u32 + 1, 0, ["BRK", cc, what]).unwrap();
        ws.write(i as u32 + 1, 3, *amount).unwrap();
    }
    wb.save(&xlsx).unwrap();
    let (p, d) = (dir.join("plain.csv"), dir.join("dated.csv"));
    std::fs::write(&p, plain).unwrap();
    std::fs::write(&d, dated).unwrap();
    let cols = costshare::ledger::Columns::default();
    let by_date = costshare::ledger::Columns {
        date: Some("date".into()),
        ..Default::default()
    };
    let none = &mut |_: &costshare::ledger::BadLine| Ok(());
    for t in [
        costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap(),
        costshare::ledger::read_csv(&d, &by_date, &mut |_, _| {}).unwrap(),
        costshare::ledger::read_all(&[xlsx], &cols, &mut |_, _| {}, none).unwrap(),
    ] {
        assert_eq!(
            (t.rows, t.bad, t.totals_taken, t.total_pence),
            (5, 0, 2, 164_900)
        );
        let key = ("BRK".to_string(), "LEG02".to_string());
        assert_eq!(t.totals[&key], 114_900);
    }
}

/// A ledger whose title says its unit ("Legal spend April 2024 (£000)")
/// above an amount heading that says none was read in pounds: £100.50
/// where the extract means £100,500. Refused, in a CSV (naming line 1)
/// and a workbook (naming the title's cell), as a budget file's is; with
/// `--actuals-unit £000` it is read as £100,500.00, and a unit in the
/// heading itself is read as before.
#[test]
fn a_ledgers_unit_said_only_in_its_title_is_not_lost() {
    let dir = tmp("ledger-title-unit");
    let title = "Legal spend April 2024 (£000)";
    let csv = dir.join("l.csv");
    std::fs::write(
        &csv,
        format!("{title}\nauthority,cost_centre,amount\nBRK,LEG01,100.5\n"),
    )
    .unwrap();
    let xlsx = dir.join("l.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Spend").unwrap();
    ws.write(0, 1, title).unwrap();
    ws.write_row(1, 0, ["authority", "cost_centre", "amount"])
        .unwrap();
    ws.write_row(2, 0, ["BRK", "LEG01"]).unwrap();
    ws.write(2, 2, 100.5).unwrap();
    wb.save(&xlsx).unwrap();
    let read = |p: &std::path::Path, unit: Option<i64>| {
        let cols = costshare::ledger::Columns {
            unit: unit.map(rust_decimal::Decimal::from),
            ..Default::default()
        };
        costshare::ledger::read_all(&[p.to_path_buf()], &cols, &mut |_, _| {}, &mut |_| Ok(()))
    };
    for (p, at) in [
        (&csv, "l.csv, line 1: "),
        (&xlsx, "sheet \"Spend\", cell B1: "),
    ] {
        let err = read(p, None).unwrap_err().to_string();
        assert!(err.contains(at), "{err}");
        assert!(
            err.contains(&format!(
                "the title \"{title}\" gives a unit the amount heading \"amount\" does not"
            )),
            "{err}"
        );
        // A unit given outright is the amounts' (the title may speak of
        // another column): £100.5m.
        assert_eq!(
            read(p, Some(1_000_000)).unwrap().total_pence,
            10_050_000_000
        );
        assert_eq!(read(p, Some(1000)).unwrap().total_pence, 10_050_000);
    }
    std::fs::write(
        &csv,
        format!("{title}\nauthority,cost_centre,amount (£000)\nBRK,LEG01,100.5\n"),
    )
    .unwrap();
    assert_eq!(read(&csv, None).unwrap().total_pence, 10_050_000);
    // A threshold in a title is no unit.
    let over = "Payments over £1000\nauthority,cost_centre,amount\nBRK,LEG01,1500\n";
    std::fs::write(&csv, over).unwrap();
    assert_eq!(read(&csv, None).unwrap().total_pence, 150_000);
    // Said without brackets, it is a unit all the same.
    for title in [
        "All figures in £000s",
        "Legal spend £000",
        "Amounts in £000 (unaudited)",
    ] {
        std::fs::write(
            &csv,
            format!("{title}\nauthority,cost_centre,amount\nBRK,LEG01,34.25\n"),
        )
        .unwrap();
        let err = read(&csv, None).unwrap_err().to_string();
        assert!(
            err.contains("gives a unit the amount heading"),
            "{title}: {err}"
        );
    }
    // A line of headings over the columns says the unit of its own column:
    // "Annual budget (£000)" over another column is not the amount's.
    let two = ",,Annual budget (£000),Spend (£)\nauthority,cost_centre,budget,amount\nBRK,LEG01,75,34250\n";
    std::fs::write(&csv, two).unwrap();
    assert_eq!(read(&csv, None).unwrap().total_pence, 3_425_000);
}

/// Two extracts joined in one file, the second with its columns moved: its
/// header was set aside as "not a number" and every line after it read by
/// the first header's columns (account 1001 taken as £1,001.00, the £200
/// lost). Refused, naming the second header's line, whatever the blocks
/// the file is read in; the header repeated as it was is still passed over.
#[test]
fn a_header_repeated_with_its_columns_moved_is_refused() {
    let dir = tmp("reheaded");
    let p = dir.join("joined.csv");
    let mut text = String::from("authority,cost_centre,account,amount\n");
    for i in 0..40 {
        text += &format!("BRK,LEG01,1001,{i}.00\n");
    }
    let second = text.clone();
    text += "authority,cost_centre,amount,account\nBRK,LEG01,200.00,1001\n";
    std::fs::write(&p, &text).unwrap();
    let cols = costshare::ledger::Columns::default();
    for block in [16, 64, 100, 1 << 20] {
        let err = costshare::ledger::read_csv_blocks(&p, &cols, block, &mut |_, _| {})
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "joined.csv, line 42: the header again, with its columns in another order"
            ),
            "{block}: {err}"
        );
    }
    // One column renamed as well ("supplier" for "description"): as moved.
    let renamed = "authority,cost_centre,description,amount,account\nBRK,LEG01,a,100.00,1001\n\
                   authority,cost_centre,supplier,account,amount\nBRK,LEG01,b,1001,200.00\n";
    std::fs::write(&p, renamed).unwrap();
    let err = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("joined.csv, line 3: the header again"),
        "{err}"
    );
    // And in a workbook's sheet.
    let book = dir.join("joined.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Spend").unwrap();
    ws.write_row(0, 0, ["authority", "cost_centre", "amount", "account"])
        .unwrap();
    ws.write_row(1, 0, ["BRK", "LEG01"]).unwrap();
    ws.write_row(1, 2, [100, 1001]).unwrap();
    ws.write_row(2, 0, ["authority", "cost_centre", "account", "amount"])
        .unwrap();
    ws.write_row(3, 0, ["BRK", "LEG01"]).unwrap();
    ws.write_row(3, 2, [1001, 200]).unwrap();
    wb.save(&book).unwrap();
    let err = costshare::ledger::read_all(&[book], &cols, &mut |_, _| {}, &mut |_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sheet \"Spend\", row 3: the header again"),
        "{err}"
    );
    std::fs::write(&p, format!("{second}{second}")).unwrap();
    let t = costshare::ledger::read_csv(&p, &cols, &mut |_, _| {}).unwrap();
    // 0 + 1 + … + 39 = 780, twice.
    assert_eq!((t.rows, t.bad, t.total_pence), (80, 0, 156_000));
}

/// A workbook ledger whose first column is the amount: a row holding only
/// an amount (£250, no labels) was taken as a note and dropped (0 set
/// aside, exit 0). It is set aside, loudly, as the same CSV line is.
#[test]
fn an_amount_alone_under_the_amount_heading_is_not_a_note() {
    let dir = tmp("lone-amount-first");
    let p = dir.join("l.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(0, 0, ["amount", "authority", "cost_centre"])
        .unwrap();
    ws.write(1, 0, 100).unwrap();
    ws.write_row(1, 1, ["BRK", "LEG01"]).unwrap();
    ws.write(2, 0, 250).unwrap();
    wb.save(&p).unwrap();
    let cols = costshare::ledger::Columns::default();
    let t = costshare::ledger::read_all(&[p], &cols, &mut |_, _| {}, &mut |_| Ok(())).unwrap();
    assert_eq!(
        (t.rows, t.bad, t.bad_pence, t.total_pence),
        (1, 1, 25_000, 10_000)
    );
}

#[test]
fn a_scale_repeated_until_it_overflows_is_refused() {
    // Found by the scenario fuzzer: each scale=1000 is allowed, but five of
    // them compounded to 10^15 × the amount, and the score overflowed (a
    // panic). A key given twice is now refused; a scale that takes a large
    // amount (£10 trillion × 1,000) past the limit still is.
    let mut args = vec!["scenario", "models/planning-support.toml"];
    for _ in 0..5 {
        args.extend(["--set", "investment.Redundancy.scale=1000"]);
    }
    let run = |args: &[&str], said: &str| {
        Command::cargo_bin("costshare")
            .unwrap()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(said.to_string()));
    };
    run(&args, "sets investment.Redundancy.scale again");
    let big = "investment.Redundancy.2013/14=10000000000000";
    run(
        &[
            "scenario",
            "models/planning-support.toml",
            "--set",
            big,
            "--set",
            "investment.Redundancy.scale=1000",
        ],
        "investment.Redundancy.scale=1000: the scaled amounts would be over £1,000,000,000,000,000",
    );
}

/// A copy of an extract in the same folder ("spend (1).csv") would count
/// every line twice: refused. Two months with no spending may be the
/// same header alone: read.
#[test]
fn a_copy_of_an_extract_is_refused_but_two_empty_months_are_read() {
    let dir = tmp("copies");
    let w = |n: &str, t: &str| std::fs::write(dir.join(n), t).unwrap();
    w("2025-04.csv", "authority,cost_centre,amount\r\n");
    w("2025-05.csv", "authority,cost_centre,amount\r\n");
    let files = costshare::ledger::expand(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(files.len(), 2);
    w("2025-06.csv", "authority,cost_centre,amount\nA,C1,10\n");
    w("2025-06 (1).csv", "authority,cost_centre,amount\nA,C1,10\n");
    let err = costshare::ledger::expand(std::slice::from_ref(&dir))
        .unwrap_err()
        .to_string();
    assert!(err.contains("hold the same bytes"), "{err}");
}

/// A file whose lines add up to a refund says so with a minus sign in the
/// summary's brackets ("used ((£5.00))" read badly).
#[test]
fn a_negative_file_total_reads_plainly() {
    let dir = tmp("negative-summary");
    let p = dir.join("l.csv");
    std::fs::write(&p, "authority,cost_centre,amount\nA,C1,-5\n").unwrap();
    let t = costshare::ledger::read_csv(&p, &Default::default(), &mut |_, _| {}).unwrap();
    let said = costshare::ledger::accounting::summary(&t).join("\n");
    assert!(
        said.contains(": 2 lines read: 1 used (-£5.00), 0 blank"),
        "{said}"
    );
}

/// A budget cell shown as a percentage or in another currency is not a sum
/// of pounds: 0.5 shown as 50% was read as £0.50, and 1,312,270 shown in
/// euros as £1,312,270. Each is refused at its cell, by what it shows; in
/// pounds (a plain £ format, or the locale tag [$£-809]) it is read. In
/// xlsx (written by rust_xlsxwriter) and ODS (scripts/make_ods_fixtures.py).
#[test]
fn percentages_and_other_currencies_are_not_pounds() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tmp("shown-formats");
    let budget = |fmt: &str, v: f64| {
        // Named by the format's bytes: one file each.
        let name: String = fmt.bytes().map(|b| format!("{b:02x}")).collect();
        let p = dir.join(format!("b-{name}.xlsx"));
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_row(0, 0, ["authority", "service", "budget"])
            .unwrap();
        ws.write_row(1, 0, ["MBC", "Audit"]).unwrap();
        ws.write_number_with_format(1, 2, v, &Format::new().set_num_format(fmt))
            .unwrap();
        wb.save(&p).unwrap();
        p
    };
    let run = |p: &std::path::Path| {
        Command::cargo_bin("costshare")
            .unwrap()
            .args([
                "reconcile",
                "--actuals",
                "tests/errors/small-ledger.csv",
                "--budget",
            ])
            .arg(p)
            .output()
            .unwrap()
    };
    let refused = [
        (
            budget("0%", 0.5),
            "cell C2: expected an amount",
            "found \"50%\"",
        ),
        (
            budget("0.00%", 0.125),
            "cell C2: expected an amount",
            "found \"12.5%\"",
        ),
        (
            budget("[$€-x-euro2] #,##0", 1312270.0),
            "cell C2: expected an amount",
            "found \"1312270 shown in another currency or unit\"",
        ),
    ];
    // A % or currency quoted or escaped shows the number in another unit
    // all the same ("75000%", "$75,000", "CHF 75,000"): each was read as
    // £75,000.
    let shown = "found \"75000 shown in another currency or unit\"";
    let refused: Vec<_> = refused
        .into_iter()
        .chain(
            [
                "0\"%\"",
                "0\\%",
                "#,##0.00\\ \\€",
                "\\$#,##0",
                "₹#,##0",
                "\"CHF \"#,##0",
                "[$USD] #,##0",
            ]
            .map(|f| (budget(f, 75000.0), "cell C2: expected an amount", shown)),
        )
        // Scaling commas show 1,312,270 as 1,312 or 1.3m: under a heading of
        // £000 it was read as £1,312,270,000 (a thousand times over).
        .chain(
            [
                ("#,##0,", "thousands"),
                ("#,##0,;(#,##0,)", "thousands"),
                ("£#,##0.0,,\"m\"", "millions"),
                ("0,,", "millions"),
            ]
            .map(|(f, unit)| {
                let found = format!("found \"1312270 shown in {unit} by its cell format\"");
                (
                    budget(f, 1312270.0),
                    "cell C2: expected an amount",
                    found.leak() as &str,
                )
            }),
        )
        .collect();
    for (p, at, found) in &refused {
        let out = run(p);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(at) && err.contains(found), "{err}");
    }
    // Pounds, by symbol, locale tag or code; a conditional format shows
    // 1,312,270 by its second section, as a number.
    for fmt in [
        "£#,##0",
        "[$£-809]#,##0.00",
        "#,##0",
        "[$GBP] #,##0.00",
        "#,##0.00 [$GBP]",
        "[<1]0%;#,##0",
        "_-£* #,##0_-;-£* #,##0_-",
        // A space the width of € (`_€`) shows no euro.
        "#,##0.00_€",
        // Commas between digits separate thousands; in a date or in quotes
        // they are shown as they are.
        "0,0",
        "#,##0.00\",\"",
    ] {
        let out = run(&budget(fmt, 1312270.0));
        let md = String::from_utf8_lossy(&out.stdout);
        assert!(
            md.contains("| MBC | Audit | £1,312,270.00 |"),
            "{fmt}: {md}"
        );
    }
    // fixtures/bad/ods-budget-thousands.ods (written by LibreOffice 7.4):
    // 75000 shown as 75 by a number style's display-factor of 1000.
    for (f, found) in [
        ("percentage", "\"50%\""),
        ("euros", "\"€1,312,270\""),
        (
            "thousands",
            "\"75000 shown in thousands by its cell format\"",
        ),
        // LibreOffice's `£#,##0,"k"`, shown "£75k".
        (
            "thousands-k",
            "\"75000 shown in thousands by its cell format\"",
        ),
    ] {
        let out = run(std::path::Path::new(&format!(
            "fixtures/bad/ods-budget-{f}.ods"
        )));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cell C2") && err.contains(found), "{err}");
    }
    // GBP, in capitals or not (ODF does not say which), is pounds.
    for f in ["pounds", "pounds-lower-case"] {
        let out = run(std::path::Path::new(&format!(
            "fixtures/bad/ods-budget-{f}.ods"
        )));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("| MBC | Audit | £1,312,270.00 |"),
            "{f}"
        );
    }
}

/// ODS rows of values repeated past row 1,048,576 (a sheet's last) were
/// dropped with only a log line: 951,425 of 2,000,000 lines (£951,425),
/// exit 0. Refused, saying how many; a sheet padded with empty rows to its
/// end, as LibreOffice writes one, is still read (its one line, £1.00).
#[test]
fn ods_rows_past_the_last_row_are_refused() {
    for (f, n) in [("rows-past-last", "951425"), ("line-past-last", "1")] {
        import_fails_with(
            std::path::Path::new(&format!("fixtures/bad/ods-{f}.ods")),
            &format!(
                "a row of values repeated past row 1,048,576, a sheet's last: {n} of its rows would be lost"
            ),
        );
    }
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "reconcile",
            "--actuals",
            "fixtures/bad/ods-padded-to-the-end.ods",
        ])
        .args(["--budget", "tests/errors/good-budget.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 rows read: 1 used (£1.00)"), "{err}");
}
