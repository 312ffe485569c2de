//! Real council files (fixtures/real/, sources and licences in its README):
//! every pound read, every line cited as a text editor shows it.
//!
//! The expected figures come from fixtures/real/expected.json, written by
//! fixtures/real/compute_expected.py: Python's csv module and Decimal on the
//! raw text (or openpyxl's cell values), independent of costshare. The
//! working for each figure is in the comments.

use assert_cmd::Command;
use costshare::ledger::{self, Columns, LedgerTotals};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::PathBuf;
use std::str::FromStr;

fn expected() -> Value {
    let text = std::fs::read_to_string("fixtures/real/expected.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

fn file(name: &str) -> PathBuf {
    PathBuf::from("fixtures/real").join(name)
}

fn cols(spec: &str, authority: Option<&str>) -> Columns {
    let mut c = Columns::default().with_overrides(spec).unwrap();
    c.fixed_authority = authority.map(str::to_string);
    c
}

fn read(name: &str, c: &Columns) -> LedgerTotals {
    ledger::read(&file(name), c, &mut |_, _| {}).unwrap()
}

/// The independent exact sum, with each float rendering replaced by the
/// pence it renders: that is the amount rule (README, "Amounts").
fn expected_total(e: &Value) -> Decimal {
    costshare::base::money::round_dp(dec(&e["total_amount"]), 2)
}

#[test]
fn the_corpus_is_what_its_readme_says() {
    // Checksums as recorded in fixtures/real/README.md.
    let e = expected();
    for (name, f) in e["files"].as_object().unwrap() {
        let bytes = std::fs::read(file(name)).unwrap();
        let sum = sha256(&bytes);
        assert_eq!(sum, f["sha256"].as_str().unwrap(), "{name}");
        let readme = std::fs::read_to_string("fixtures/real/README.md").unwrap();
        assert!(readme.contains(&sum), "{name}: checksum not in the README");
    }
}

#[test]
fn devon_crlf_and_scientific_notation() {
    let e = &expected()["files"]["devon-2012-07-spend-over-500.csv"];
    let t = read(
        "devon-2012-07-spend-over-500.csv",
        &cols(
            "authority=Name of Body,cost_centre=Expense Area,amount=Amount",
            None,
        ),
    );
    // 300 data lines, CRLF: 729,368.030000000001818990 exactly, of which
    // 2 × 9.09495E-13 is float noise read as £0.00 (lines 78 and 79).
    assert_eq!(t.rows, 300);
    assert_eq!(t.bad, 0);
    assert_eq!(t.total(), expected_total(e));
    assert_eq!(t.total(), Decimal::from_str("729368.03").unwrap());
    let floats: Vec<u64> = t.float_lines.iter().map(|f| f.line).collect();
    assert_eq!(floats, [78, 79]);
    assert_eq!(t.files[0].lines, 301);
    // People Services: 235 lines, £536,921.97 (the noise is in it).
    let people: i128 = t
        .totals
        .iter()
        .filter(|((_, cc), _)| cc == "People Services")
        .map(|(_, p)| *p)
        .sum();
    assert_eq!(people, 53_692_197);
}

#[test]
fn devon_bom_and_float_renderings() {
    let e = &expected()["files"]["devon-2017-07-spend-over-500.csv"];
    let t = read(
        "devon-2017-07-spend-over-500.csv",
        &cols(
            "authority=Name of Body,cost_centre=Expense Area,amount=Amount",
            None,
        ),
    );
    // 595,070.4599999999903 exactly: 73423.70999999999 (line 3) is £73,423.71
    // and 2990.2200000000003 (line 79) is £2,990.22, so £595,070.46.
    assert_eq!(t.rows, 300);
    assert_eq!(t.total(), expected_total(e));
    let f: Vec<(u64, &str, i64)> = t
        .float_lines
        .iter()
        .map(|f| (f.line, f.text.as_str(), f.pence))
        .collect();
    assert_eq!(
        f,
        [
            (3, "73423.70999999999", 7_342_371),
            (79, "2990.2200000000003", 299_022)
        ]
    );
}

#[test]
fn devon_padded_header_blank_cost_centres_and_a_grand_total_line() {
    let e = &expected()["files"]["devon-2026-02-spend-over-500.csv"];
    // The heading is " Amount " and amounts " 1,434.28 ": spaces do not matter.
    let t = read(
        "devon-2026-02-spend-over-500.csv",
        &cols(
            "authority=Name of Body,cost_centre=Expense area,amount=Amount",
            None,
        ),
    );
    // Line 301 holds nothing but 35,249,400.43, the publisher's total of the
    // whole month (the file was cut to 300 lines, so it is not the sum of the
    // lines above): set aside and said, never added as spending.
    assert_eq!(t.bad, 1);
    assert_eq!(t.bad_lines[0].line, 301);
    assert!(t.bad_lines[0].reason.contains("nothing but an amount"));
    assert_eq!(t.bad_pence, 3_524_940_043);
    // 39,935,871.32 in all, less that line: 4,686,470.89 in 299 lines.
    assert_eq!(t.rows, 299);
    assert_eq!(
        t.total() + Decimal::new(3_524_940_043, 2),
        dec(&e["total_amount"])
    );
    // Lines 213 and 239 have a blank cost centre: 35,255,852.39 with the
    // total line, so 6,451.96 on their own, in an Unassigned row.
    let blank: i128 = t
        .totals
        .iter()
        .filter(|((_, cc), _)| cc.is_empty())
        .map(|(_, p)| *p)
        .sum();
    assert_eq!(blank, 645_196);
}

#[test]
fn hyndburn_windows_1252_and_lone_cr_line_ends() {
    let e = &expected()["files"]["hyndburn-2017-05-spend.csv"];
    // The heading "Net Amount(£)" is Windows-1252; "(£)" is its unit.
    let t = read(
        "hyndburn-2017-05-spend.csv",
        &cols(
            "cost_centre=Service Cost Centre,amount=Net Amount",
            Some("Hyndburn"),
        ),
    );
    assert_eq!(e["line_endings"], "mixed");
    assert_eq!(t.rows, 178);
    assert_eq!(t.bad, 0);
    assert_eq!(t.total(), dec(&e["total_amount"]));
    assert_eq!(t.files[0].lines, 179);
    let disabled = t.totals[&(
        "Hyndburn".to_string(),
        "DISABLED FACILITIES GENERAL".to_string(),
    )];
    assert_eq!(disabled, 4_867_346);
}

#[test]
fn hyndburn_title_line_quoted_amounts_and_pound_signs() {
    for (name, cc, amount) in [
        (
            "hyndburn-2023-06-spend.csv",
            "Service Cost Centre",
            "Net Amount",
        ),
        ("hyndburn-2024-03-spend.csv", "Service Area", "Amount Paid"),
        ("hyndburn-2024-10-spend.csv", "Service Area", "Amount Paid"),
    ] {
        let e = &expected()["files"][name];
        let t = read(
            name,
            &cols(&format!("cost_centre={cc},amount={amount}"), Some("HBC")),
        );
        assert_eq!(t.rows, e["data_lines"].as_u64().unwrap(), "{name}");
        assert_eq!(t.bad, 0, "{name}: {:?}", t.bad_lines);
        assert_eq!(t.total(), dec(&e["total_amount"]), "{name}");
    }
}

#[test]
fn oxford_plain_file() {
    let e = &expected()["files"]["oxford-2018-q1-expenditure-over-500.csv"];
    let t = read(
        "oxford-2018-q1-expenditure-over-500.csv",
        &cols(
            "authority=Client,cost_centre=Service Area,amount=Amount",
            None,
        ),
    );
    assert_eq!(t.rows, 300);
    assert_eq!(t.total(), dec(&e["total_amount"]));
}

#[test]
fn lambeth_report_preamble_and_broken_lines_set_aside_by_line() {
    let e = &expected()["files"]["lambeth-2012-06-invoices-over-500.csv"];
    let t = read(
        "lambeth-2012-06-invoices-over-500.csv",
        &cols(
            "authority=Body,cost_centre=Department,amount=Invoice Nett Amount",
            None,
        ),
    );
    // Nine lines of report heading, then the header on line 10.
    assert_eq!(t.other, 10);
    // 60 lines where the publisher ran date and amount together
    // ("25/06/2012900"): five fields, not six. They cannot be read without
    // guessing, so they are set aside, each named by its line.
    let broken: Vec<u64> = e["records_with_wrong_field_count"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(broken.len(), 60);
    let ours: Vec<u64> = t.bad_lines.iter().map(|b| b.line).collect();
    assert_eq!(ours, broken);
    assert_eq!(t.total(), dec(&e["total_amount"]));
}

#[test]
fn a_years_files_at_once_from_a_pattern_and_a_folder() {
    let c = cols("cost_centre=Service Area,amount=Amount Paid", Some("HBC"));
    let files = ledger::expand(&[file("hyndburn-2024-*.csv")]).unwrap();
    assert_eq!(files.len(), 2);
    let t = ledger::read_all(&files, &c, &mut |_, _| {}, &mut |_| Ok(())).unwrap();
    let e = expected();
    let sum = dec(&e["files"]["hyndburn-2024-03-spend.csv"]["total_amount"])
        + dec(&e["files"]["hyndburn-2024-10-spend.csv"]["total_amount"]);
    assert_eq!(t.total(), sum);
    assert_eq!(t.files.len(), 2);
}

#[test]
fn workbook_ledgers_xlsx_and_ods() {
    let e = expected();
    // Lancashire Fire: 919 amounts, 7,152,578.77000000004308 as stored
    // (float renderings such as 532.92999999999995 are pence).
    let t = read(
        "lancashire-fire-spend-2025-26-q1.xlsx",
        &cols(
            "cost_centre=Expenditure Category,amount=Amount",
            Some("LFRS"),
        ),
    );
    let f = &e["files"]["lancashire-fire-spend-2025-26-q1.xlsx"];
    assert_eq!(t.rows, 919);
    assert_eq!(
        t.total(),
        costshare::base::money::round_dp(dec(&f["amount_total"]), 2)
    );
    // Sutton Coldfield: rows stored once with a repeat count are six groups
    // of real payments; the net total is 909,737.63.
    let t = read(
        "sutton-coldfield-tc-payments-over-250-2017-18.ods",
        &cols("cost_centre=Category,amount=£ (net)", Some("SCTC")),
    );
    let f = &e["files"]["sutton-coldfield-tc-payments-over-250-2017-18.ods"];
    assert_eq!(t.rows, f["net_amount_numeric_cells"].as_u64().unwrap());
    assert_eq!(
        t.total(),
        costshare::base::money::round_dp(dec(&f["net_amount_total"]), 2)
    );
    assert_eq!(t.bad, 0, "{:?}", t.bad_lines);
}

#[test]
fn reconcile_on_real_files_from_the_command_line() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("real");
    std::fs::create_dir_all(&dir).unwrap();
    let budget = dir.join("budget.csv");
    // Budgets in £000, as a council's return states them.
    std::fs::write(
        &budget,
        "authority,service,budget (£000)\nDevon County Council,People Services,540\n",
    )
    .unwrap();
    let rejects = dir.join("rejects.csv");
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "reconcile",
            "--actuals",
            "fixtures/real/devon-2012-07-spend-over-500.csv",
            "fixtures/real/devon-2026-02-spend-over-500.csv",
            "--columns",
            "authority=Name of Body,cost_centre=Expense Area,amount=Amount",
            "--budget",
            budget.to_str().unwrap(),
            "--rejects",
            rejects.to_str().unwrap(),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    // The 2026 file's total line is set aside: exit 3, and said first.
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("devon-2026-02-spend-over-500.csv, line 301: nothing but an amount"),
        "{err}"
    );
    assert!(
        err.contains("WARNING: 1 ledger line set aside and not in the tables: £35,249,400.43"),
        "{err}"
    );
    assert!(err.contains("2 amounts written by a float were read as the whole pence they render (e.g. fixtures/real/devon-2012-07-spend-over-500.csv, line 78: 9.09495E-13 read as £0.00)"), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    // £540,000 budget against £536,921.97 (the 2012 file's People Services;
    // the authority in 2026 is written the same way).
    assert!(
        text.contains("Devon County Council,People Services,540000.00,"),
        "{text}"
    );
    let r = std::fs::read_to_string(&rejects).unwrap();
    assert!(r.contains(",line,301,"), "{r}");
    assert!(r.contains("35249400.43"), "{r}");
}

#[test]
fn a_return_in_thousands_read_by_row_label_and_column_heading() {
    // tests/models/capital-financing.toml finds Devon's and Hyndburn's
    // "Total resources used to finance capital expenditure & other
    // transactions" by label (cells Y102 and Y187 today), in £000.
    let e = expected();
    let cells = e["files"]["mhclg-cer-2019-20-b-capital-financing.xlsx"]["cells"]
        .as_array()
        .unwrap();
    let cell = |c: &str| {
        cells
            .iter()
            .find(|x| x["cell"] == c)
            .map(|x| dec(&x["value"]))
            .unwrap()
    };
    let thousand = Decimal::from(1000);
    let out = Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "table",
            "savings",
            "--model",
            "tests/models/capital-financing.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let baseline = |p: &str| {
        let r = rows.iter().find(|r| r["cells"][0]["display"] == p).unwrap();
        (
            dec_any(&r["cells"][1]["value"]),
            r["cells"][1]["trace"].as_str().unwrap().to_string(),
        )
    };
    let (devon, trace) = baseline("Devon");
    assert_eq!(devon, cell("Y102") * thousand);
    assert!(trace.ends_with("sheet \"Financing\", cell Y102"), "{trace}");
    let (hyndburn, trace) = baseline("Hyndburn");
    assert_eq!(hyndburn, cell("Y187") * thousand);
    assert!(trace.ends_with("cell Y187"), "{trace}");
    // A label that is not unique, or not there, is an error naming the key.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-model");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("tests/models/capital-financing.toml").unwrap();
    for (from, to, says) in [
        // "SD" (shire district) stands in 385 cells of 193 rows (openpyxl).
        (
            "row = \"Hyndburn\"",
            "row = \"SD\"",
            "193 rows are labelled \"SD\" (D6, D7, D8",
        ),
        (
            "row = \"Hyndburn\"",
            "row = \"Hyndburn BC\"",
            "no row labelled \"Hyndburn BC\"",
        ),
    ] {
        let p = dir.join("m.toml");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        Command::cargo_bin("costshare")
            .unwrap()
            .args(["table", "savings", "--model", p.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "key savings.baseline.Hyndburn.row",
            ))
            .stderr(predicates::str::contains(says));
    }
    // Without its unit the return's figure was read as pounds (Devon at a
    // thousandth) though its sheet says "All figures in £000s" (A3):
    // refused, naming that cell; `unit = "£"` says they are pounds.
    let p = dir.join("m.toml");
    let devon = "transactions\", unit = \"£000\" }";
    std::fs::write(&p, text.replacen(devon, "transactions\" }", 1)).unwrap();
    let run = || {
        Command::cargo_bin("costshare")
            .unwrap()
            .args(["table", "savings", "--model", p.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("key savings.baseline.Devon.unit: fixtures/real/mhclg-cer-2019-20-b-capital-financing.xlsx, sheet \"Financing\", cell A3 says \"All figures in £000s\": give unit = \"£000\""), "{err}");
    std::fs::write(
        &p,
        text.replacen(devon, "transactions\", unit = \"£\" }", 1),
    )
    .unwrap();
    assert_eq!(run().status.code(), Some(0));
}

fn dec_any(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        Value::Object(o) => dec_any(o.get("value").or(o.get("amount")).unwrap()),
        other => panic!("not a figure: {other}"),
    }
}

/// SHA-256, so the test needs no extra crate (FIPS 180-4).
fn sha256(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64) * 8;
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}
