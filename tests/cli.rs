//! Functional tests: each subcommand run as a binary, its output checked.

use assert_cmd::Command;
use predicates::prelude::*;

fn cs() -> Command {
    Command::cargo_bin("costshare").unwrap()
}

/// A copy of the bundled annual-report data in a folder of its own.
fn annual_copy(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir("fixtures/mkip-2012-13")
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    dir
}

/// A scenario comparison without its last note (which quotes what was
/// typed after --set).
fn before_set_note(s: &str) -> String {
    s.rsplit_once("> With --set").unwrap().0.to_string()
}

fn stdout(args: &[&str]) -> String {
    let out = cs().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_lists_the_subcommands() {
    let out = stdout(&["--help"]);
    for sub in ["import", "table", "report", "check", "apportion"] {
        assert!(out.contains(sub), "--help lacks {sub}");
    }
    assert!(out.contains("Exit codes"));
}

#[test]
fn import_lists_cells_with_their_origin() {
    let out = stdout(&["import", "fixtures/mkip-2012-13.xlsx", "--sheet", "budget"]);
    assert!(out.starts_with("file,sheet,cell,type,value\n"));
    assert!(out.contains("fixtures/mkip-2012-13.xlsx,budget,D12,number,299700\n"));
    assert!(out.contains("fixtures/mkip-2012-13.xlsx,budget,F9,text,N/A\n"));
    let csv = stdout(&["import", "fixtures/mkip-2012-13/budget.csv"]);
    assert!(csv.contains("fixtures/mkip-2012-13/budget.csv,,line 12 column 4,text,299700\n"));
}

/// A workbook whose second sheet cannot be read: exit 2 and nothing on
/// standard output. The first sheet's cells were written before the
/// error (and JSON cut short, unreadable). The listing goes through a
/// temporary file, which is gone afterwards.
#[test]
fn import_writes_nothing_when_a_later_sheet_fails() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-later-sheet");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("two.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("a")
        .unwrap()
        .write(0, 0, "x")
        .unwrap();
    wb.add_worksheet()
        .set_name("b")
        .unwrap()
        .write(0, 0, "y")
        .unwrap();
    wb.save(&path).unwrap();
    // Sheet b's one cell points past the shared strings table.
    let bytes = std::fs::read(&path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            text = text.replace("<v>1</v>", "<v>999</v>");
            assert!(text.contains("<v>999</v>"), "{text}");
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
    for format in ["csv", "json"] {
        let o = cs()
            .args(["import", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(String::from_utf8_lossy(&o.stderr).contains("sheet \"b\""));
    }
    // With no temporary folder, the listing is written as it is read (as
    // before the spool), and that is said: the same bytes.
    let staff = ["import", "fixtures/mkip-2012-13/staff.csv"];
    let o = cs()
        .env("TMPDIR", "/nonexistent")
        .args(staff)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout, cs().args(staff).output().unwrap().stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/nonexistent (the temporary folder, $TMPDIR"),
        "{err}"
    );
    assert!(
        err.contains("the listing is written as it is read"),
        "{err}"
    );
}

/// A partner named twice, once with its accent typed as a letter and a
/// combining mark ("Ynys Mo\u{302}n") and once composed ("Ynys Môn"), was
/// given two shares, printed alike: refused, as "A" and "a" are.
#[test]
fn a_partner_written_in_two_unicode_forms_is_one() {
    let (nfc, nfd) = ("Ynys M\u{f4}n", "Ynys Mo\u{302}n");
    for args in [
        vec!["--partners".to_string(), format!("{nfc},{nfd}")],
        vec![
            "--basis".into(),
            "weights".into(),
            "--weights".into(),
            format!("{nfc}=1,{nfd}=1"),
        ],
    ] {
        let o = cs()
            .args(["apportion", "--total", "100"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("is given twice"),
            "{args:?}"
        );
    }
}

#[test]
fn import_json_is_valid_and_reports_formulas_without_values() {
    let out = stdout(&[
        "import",
        "fixtures/bad/formula-no-value.xlsx",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = &v[0]["rows"][2];
    assert_eq!(row["row"], 3);
    assert_eq!(row["cells"][1]["cell"], "B3");
    assert_eq!(row["cells"][1]["type"], "formula_without_value");
    // Rows are numbered as Excel and an editor show them, alike: a sheet's
    // first row was 0 and a file's first line 1. Each cell says where it is.
    for (file, sheet, first) in [
        ("fixtures/mkip-2012-13.xlsx", Some("staff"), "A1"),
        ("fixtures/mkip-2012-13/staff.csv", None, "line 1 column 1"),
    ] {
        let mut args = vec!["import", file, "--format", "json"];
        args.extend(sheet.map(|s| ["--sheet", s]).into_iter().flatten());
        let v: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
        let row = &v[0]["rows"][0];
        assert_eq!(row["row"], 1, "{file}");
        assert_eq!(row["cells"][0]["cell"], first, "{file}");
        assert_eq!(row["cells"][0]["value"], "service", "{file}");
    }
    cs().args(["import", "fixtures/bad/formula-no-value.xlsx"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "B3,formula-without-value,=SUM(B2:B2)",
        ))
        .stderr(predicate::str::contains(
            "cell B3: formula =SUM(B2:B2) has no saved result",
        ));
}

#[test]
fn table_csv_is_plain_with_a_total_row() {
    let out = stdout(&["table", "budget-breakdown"]);
    assert!(out.starts_with("Service,Line,MBC,SBC,TWBC,Total\n"));
    assert!(out.contains("\nTotal,Net expenditure,3925650,2068090,2968200,8961940\n"));
    assert!(out.contains("\nICT,Income,-149600,0,-40900,-190500\n"));
    assert!(out.contains("\nHR,HR,758650,376590,N/A,1135240\n"));
}

#[test]
fn table_markdown_is_formatted_for_the_report() {
    let out = stdout(&["table", "savings-programme", "--format", "md"]);
    assert!(out.contains("| **Total** |  |  | **£1,589,480** | **£3,910,257** | **£5,499,737** |"));
    assert!(out.contains("(£1,772,000)"));
    assert!(out.contains(
        "Net cumulative savings reach £3,727,737 by 2013/14 after £1,772,000 of MKIP funding."
    ));
    let minus = stdout(&[
        "table",
        "savings-programme",
        "--format",
        "md",
        "--negatives",
        "minus",
    ]);
    assert!(minus.contains("-£1,772,000"));
}

#[test]
fn table_json_carries_every_cells_trace() {
    let out = stdout(&["table", "budget-headline", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], "budget-headline");
    assert_eq!(v["rows"][0]["cells"][1]["display"], "£9.83m");
    assert!(
        v["rows"][0]["cells"][1]["trace"]
            .as_str()
            .unwrap()
            .starts_with("rule: ")
    );
}

#[test]
fn table_reads_the_csv_folder_the_same_as_the_workbook() {
    let a = stdout(&["table", "staff", "--data", "fixtures/mkip-2012-13"]);
    let b = stdout(&["table", "staff", "--data", "fixtures/mkip-2012-13.xlsx"]);
    assert_eq!(a, b);
}

#[test]
fn model_tables() {
    let inv = stdout(&[
        "table",
        "investment",
        "--model",
        "models/planning-support.toml",
    ]);
    assert!(inv.contains("\nTotal,16400,144300,20000,15000,195700\n"));
    assert!(inv.contains("\nTolerance maximum (+10%),,,,,215270\n"));
    let sav = stdout(&[
        "table",
        "savings",
        "--model",
        "models/planning-support.toml",
    ]);
    assert!(sav.contains("\nSBC,303926,248287,55639,21940,33699\n"));
    assert!(sav.contains("\nTotal,961395,785394,176001,21940,154061\n"));
    let con = stdout(&["table", "contributions"]);
    assert!(con.contains("\nMBC,142800,0.30,42840,38.0,3798.88\n"));
    let pf = stdout(&["table", "pathfinder-budget"]);
    assert!(pf.contains("Programme management budget,Total,,165419.50,16101.54,181521,\n"));
    let score = stdout(&["table", "score", "--format", "md"]);
    assert!(score.contains("MKIP overall"));
    cs().args(["table", "investment"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("choose one with --model"));
}

#[test]
fn apportion_by_weights_and_equally() {
    let out = stdout(&[
        "apportion",
        "--total",
        "785394",
        "--basis",
        "weights",
        "--weights",
        "MBC=253753,SBC=303926,TWBC=403716",
    ]);
    let parts: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(parts, ["207299", "248287", "329808", "785394"]);
    let eq = stdout(&[
        "apportion",
        "--total",
        "785394",
        "--partners",
        "MBC,SBC,TWBC",
    ]);
    // £785,394 / 3 = £261,798 exactly; the shares of 100% by largest
    // remainder to 0.01%: 33.33 each leaves 0.01, to the first listed,
    // so the shown percentages add to 100.00.
    assert!(eq.contains("\nMBC,1,33.34,261798.000000,261798\n"), "{eq}");
    assert!(eq.contains("\nSBC,1,33.33,261798.000000,261798\n"), "{eq}");
    assert!(eq.contains("\nTWBC,1,33.33,261798.000000,261798\n"), "{eq}");
    let pence = stdout(&[
        "apportion",
        "--total",
        "100",
        "--partners",
        "A,B,C",
        "--unit",
        "0.01",
        "--format",
        "md",
    ]);
    assert!(pence.contains("£33.34") && pence.contains("**£100.00**"));
}

#[test]
fn check_lists_differences_and_strict_exits_1() {
    cs().arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("| 12.7% | 12.8% |"))
        .stdout(predicate::str::contains("sheet \"published\", cell D31"));
    cs().args(["check", "--strict"]).assert().code(1);
    let csv = stdout(&["check", "--format", "csv"]);
    assert!(csv.starts_with("table,row,column,published,recomputed,difference,location,source\n"));
}

#[test]
fn report_writes_every_pack_and_is_deterministic() {
    let a = tempdir("a");
    let b = tempdir("b");
    cs().args(["report", "--out", a.to_str().unwrap()])
        .assert()
        .success();
    cs().args(["report", "--out", b.to_str().unwrap()])
        .assert()
        .success();
    let files = list(&a);
    for must in [
        "annual-report-2012-13/report.md",
        "annual-report-2012-13/csv/budget-breakdown.csv",
        "planning-support/csv/investment.csv",
        "environmental-health/csv/score.csv",
        "mkip-governance/csv/contributions.csv",
        "pathfinder-2007/csv/pathfinder-budget.csv",
        "mkip-overall/csv/score.csv",
    ] {
        assert!(files.iter().any(|f| f == must), "missing {must}");
    }
    assert_eq!(files, list(&b));
    for f in &files {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{tag}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn list(dir: &std::path::Path) -> Vec<String> {
    fn walk(base: &std::path::Path, d: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

#[test]
fn bench_reports_trials_per_second() {
    let out = stdout(&["bench", "--trials", "2000"]);
    assert!(out.contains("trials: 2000\n"));
    assert!(out.lines().any(|l| l.starts_with("trials per second: ")));
}

/// A path in costshare.toml through a link: `link/../data` is the folder
/// beside the link's target, not `data` beside the project file, so it is
/// kept as written (only `x/..` naming the same place is taken out).
#[cfg(unix)]
#[test]
fn project_paths_through_a_link_are_followed() {
    let dir = tempdir("project-link");
    let (target, data, proj) = (dir.join("far/sub"), dir.join("far/data"), dir.join("proj"));
    for d in [&target, &data, &proj] {
        std::fs::create_dir_all(d).unwrap();
    }
    for f in std::fs::read_dir("fixtures/wlp-2024-25").unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&f, data.join(f.file_name().unwrap())).unwrap();
        }
    }
    std::os::unix::fs::symlink(&target, proj.join("link")).unwrap();
    let models = std::fs::canonicalize("fixtures/wlp-models").unwrap();
    let toml = format!(
        "data = \"link/../data\"\nmodels = {:?}\n",
        models.display().to_string()
    );
    std::fs::write(proj.join("costshare.toml"), toml).unwrap();
    let out = dir.join("out");
    cs().arg("report")
        .arg(&proj)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("annual-report-2024-25/report.md").exists());
}

/// SPEC's CSV contract: the total row's first cell is `Total`.
#[test]
fn csv_totals_start_with_total() {
    for args in [
        &["table", "budget-breakdown"][..],
        &["table", "savings-programme"],
        &["table", "performance-summary"],
        &[
            "table",
            "investment",
            "--model",
            "models/planning-support.toml",
        ],
        &[
            "table",
            "savings",
            "--model",
            "models/environmental-health.toml",
        ],
        &["table", "score", "--model", "models/planning-support.toml"],
        &["table", "score"],
        &["table", "contributions"],
        &["apportion", "--total", "100", "--partners", "A,B"],
    ] {
        let out = stdout(args);
        assert!(
            out.lines().any(|l| l.starts_with("Total,")),
            "{args:?}:\n{out}"
        );
    }
}

/// A refund is shared as a cost is: `--total -1000` needs no `=`. £1,000
/// in three equal parts is £333.33…: £333 each and the £1 left over to
/// the first (largest remainders tie), so −£334, −£333, −£333.
#[test]
fn apportion_takes_a_negative_total() {
    let out = stdout(&["apportion", "--total", "-1000", "--partners", "A,B,C"]);
    let parts: Vec<&str> = out.lines().map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(
        parts,
        ["Apportioned", "-334", "-333", "-333", "-1000"],
        "{out}"
    );
}

/// Every subcommand on the second partnership (fixtures/wlp-*), whose
/// figures tests/golden_wlp.rs works out by hand: each runs, and says what
/// the data says.
#[test]
fn every_subcommand_runs_on_the_second_partnership() {
    let (data, models) = ("fixtures/wlp-2024-25", "fixtures/wlp-models");
    let case = "fixtures/wlp-models/legal-shared-service.toml";
    let out = stdout(&["import", "fixtures/wlp-2024-25/authorities.csv"]);
    assert!(out.contains("Elmstead Borough Council"));
    let out = stdout(&["table", "budget-breakdown", "--data", data]);
    assert!(out.contains("Total,Net expenditure,415400,623650,454400,146800,1640250"));
    let out = stdout(&["table", "investment", "--model", case]);
    assert!(out.contains("Total,150000,15000,165000"));
    let out = stdout(&["table", "score", "--models", models]);
    assert!(out.lines().any(|l| l.starts_with("Total,")));
    let out = stdout(&["check", "--data", data, "--models", models]);
    assert!(
        out.contains("2 published figures checked; 0 differ"),
        "{out}"
    );
    let out = stdout(&[
        "apportion",
        "--total",
        "1020000",
        "--basis",
        "weights",
        "--weights",
        "BRK=96000,CLN=128000,DRN=74000,ELM=62000",
    ]);
    // As the savings table: 272,000, 362,667, 209,667, 175,666.
    assert!(
        out.contains("CLN,128000,35.56,362666.666667,362667"),
        "{out}"
    );
    let out = stdout(&["scenario", case]);
    assert!(out.contains("Costs 20% higher") && out.contains("BREACH by £16,500"));
    let out = stdout(&["sensitivity", case]);
    assert!(out.contains("Share of savings realised"));
    let out = stdout(&["simulate", case, "--trials", "500", "--quiet"]);
    assert!(out.contains("simulation of 500 trials"));
    let out = stdout(&["bench", "--model", case, "--trials", "200"]);
    assert!(out.contains("trials per second"));
    // By hand: BRK Legal 34,250 + 34,250 + 6,200.50 = 74,700.50; all lines
    // 105,140.25 (one on an unmapped cost centre, £480).
    let out = stdout(&[
        "reconcile",
        "--actuals",
        "fixtures/wlp-ledger/ledger.csv",
        "--map",
        "fixtures/wlp-ledger/map.csv",
        "--budget",
        "fixtures/wlp-ledger/budget.csv",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("BRK,Legal,75000.00,74700.50,-299.50,-0.4,Green"),
        "{out}"
    );
    assert!(out.contains("ELM,Unmapped cost centre ZZZ99,no budget,480.00"));
    assert!(out.contains("Total,,105500.00,105140.25,-359.75,-0.3,"));
    // Variance adds up, unmapped spend included (#14): ELM 250 + 480 = 730.
    assert!(out.contains("ELM,Unmapped cost centre ZZZ99,no budget,480.00,480.00,,unmapped"));
    assert!(out.contains("ELM,Total,2500.00,3230.00,730.00,29.2,"));
    // Income: CLN's search fees 519.75 short of a −12,000 budget are adverse,
    // +4.3 %; DRN's 310 more than budgeted favourable, −4.4 %, amber only
    // under its own underspend thresholds.
    let out = stdout(&[
        "reconcile",
        "--actuals",
        "fixtures/wlp-ledger/ledger.csv",
        "--map",
        "fixtures/wlp-ledger/map.csv",
        "--budget",
        "fixtures/wlp-ledger/budget.csv",
        "--format",
        "csv",
        "--under-amber",
        "4",
        "--under-red",
        "8",
    ]);
    assert!(
        out.contains("CLN,Land Charges,-12000.00,-11480.25,519.75,4.3,Amber"),
        "{out}"
    );
    assert!(
        out.contains("DRN,Land Charges,-7000.00,-7310.00,-310.00,-4.4,Amber"),
        "{out}"
    );
    assert!(
        out.contains("CLN,Legal,34000.00,33100.00,-900.00,-2.6,Green"),
        "{out}"
    );
}

/// `init` then `report` in a new folder: a complete pack from the template,
/// with no other data; a second `init` overwrites nothing.
#[test]
fn init_then_report_gives_a_complete_pack() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("init");
    let _ = std::fs::remove_dir_all(&dir);
    cs().args(["init"]).arg(&dir).assert().success();
    cs().current_dir(&dir).args(["report"]).assert().success();
    for f in [
        "reports/annual-report-2025-26/report.md",
        "reports/annual-report-2025-26/csv/budget-breakdown.csv",
        "reports/example-case/report.md",
        "reports/example-case/csv/score.csv",
        "reports/example-case/csv/scenario.csv",
        "reports/example-partnership-overall/report.md",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let md = std::fs::read_to_string(dir.join("reports/example-case/report.md")).unwrap();
    // Costs 40,000 + 60,000 in 2025/26 and 10,000 in 2026/27: 110,000.
    assert!(
        md.contains("The case costs £110,000 over 2025/26–2026/27"),
        "{md}"
    );
    // The same folder reported from elsewhere: its costshare.toml is read,
    // its paths resolved relative to it.
    let elsewhere = dir.join("elsewhere");
    cs().current_dir(std::env::temp_dir())
        .arg("report")
        .arg(&dir)
        .arg("--out")
        .arg(&elsewhere)
        .assert()
        .success();
    assert!(elsewhere.join("annual-report-2025-26/report.md").exists());
    // One model file, and a folder of models.
    let one = dir.join("one");
    cs().arg("report")
        .arg(dir.join("models/example-case.toml"))
        .arg("--out")
        .arg(&one)
        .assert()
        .success();
    assert!(one.join("example-case/report.md").exists());
    assert!(!one.join("annual-report-2025-26").exists());
    // Each Word report checks clean against the recomputed tables, its
    // "Table 6" and "Figure 7" no figures found nowhere (they were).
    for doc in [
        "annual-report-2025-26",
        "example-case",
        "example-partnership-overall",
    ] {
        let p = dir.join(format!("reports/{doc}/{doc}.docx"));
        let out = cs()
            .current_dir(&dir)
            .arg("check-draft")
            .arg(&p)
            .output()
            .unwrap();
        let md = String::from_utf8_lossy(&out.stdout);
        assert!(
            md.contains(": 0 findings; 0 figures found in no table or commentary."),
            "{doc}: {md}"
        );
    }
    cs().args(["init"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists already"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--set` takes scientific notation as the ledger and the budgets do:
/// 8e5 is the shared service cost 800,000 (it was refused as no number).
#[test]
fn scenario_set_reads_scientific_notation() {
    let case = "models/planning-support.toml";
    let key = "savings.shared_service_cost";
    let plain = stdout(&["scenario", case, "--set", &format!("{key}=800000")]);
    let sci = stdout(&["scenario", case, "--set", &format!("{key}=8e5")]);
    // The same tables; only the note quoting what was typed differs.
    assert_eq!(before_set_note(&plain), before_set_note(&sci));
    assert!(
        sci.ends_with("=8e5 (Shared service cost set to £800,000)\n"),
        "{sci}"
    );
    // And it moved the figures: 800,000 less 785,394 is £14,606 more cost.
    assert!(
        plain.contains("| Net saving per annum | £154,061 | £139,455 | (£14,606) |"),
        "{plain}"
    );
}

/// An interrupted generate-ledger leaves its hidden half-written file
/// (Ctrl-C runs no tidying); the next run into that folder removes it and
/// leaves the user's own files.
#[test]
fn generate_ledger_tidies_an_interrupted_run() {
    let dir = std::env::temp_dir().join(format!("costshare-gen-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let left = dir.join(".ledger.csv.999999999.tmp");
    std::fs::write(&left, "date,authority\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let d = dir.display().to_string();
    stdout(&["generate-ledger", "--rows", "10", "--out", &d]);
    assert!(!left.exists());
    assert!(dir.join("notes.txt").exists() && dir.join("ledger.csv").exists());
    // A folder already holding its files (a user's own budget.csv was
    // overwritten without a word) is refused, naming them; --force writes.
    std::fs::write(
        dir.join("budget.csv"),
        "authority,service,budget\nMY,Own,1\n",
    )
    .unwrap();
    let again = cs()
        .args(["generate-ledger", "--rows", "10", "--out", &d])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{d} already holds ledger.csv, map.csv, budget.csv"
        )),
        "{err}"
    );
    assert!(err.contains("or --force to overwrite them"), "{err}");
    assert!(
        std::fs::read_to_string(dir.join("budget.csv"))
            .unwrap()
            .contains("MY,Own,1")
    );
    stdout(&["generate-ledger", "--rows", "10", "--out", &d, "--force"]);
    assert!(
        !std::fs::read_to_string(dir.join("budget.csv"))
            .unwrap()
            .contains("MY,Own")
    );
    // An earlier run's ledger.parquet is not left beside the new CSV, where
    // `--actuals 'DIR/ledger.*'` read both.
    std::fs::write(dir.join("ledger.parquet"), "an earlier run's").unwrap();
    stdout(&["generate-ledger", "--rows", "10", "--out", &d, "--force"]);
    assert!(!dir.join("ledger.parquet").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A report written again after its model lost its investment: the
/// investment, apportionment and score CSVs and charts of the first run
/// are removed (and said), so no table of old figures sits beside the new
/// ones; a file of the user's own in csv/ stays. With --only, nothing is.
#[test]
fn report_removes_what_an_earlier_run_wrote() {
    let dir = std::env::temp_dir().join(format!("costshare-stale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("case.toml");
    let text = std::fs::read_to_string("models/planning-support.toml").unwrap();
    std::fs::write(&model, &text).unwrap();
    let (m, out) = (
        model.display().to_string(),
        dir.join("out").display().to_string(),
    );
    stdout(&["report", &m, "--out", &out]);
    let csv = dir.join("out/case/csv");
    assert!(csv.join("investment.csv").exists());
    std::fs::write(csv.join("mine.txt"), "kept").unwrap();
    let cut = text.find("[[investment]]").unwrap();
    std::fs::write(&model, &text[..cut]).unwrap();
    stdout(&["report", &m, "--out", &out, "--only", "savings"]);
    assert!(
        csv.join("investment.csv").exists(),
        "--only removes nothing"
    );
    stdout(&["report", &m, "--out", &out, "--format", "md"]);
    assert!(
        csv.join("investment.csv").exists(),
        "nor a run that writes no CSV"
    );
    let run = cs().args(["report", &m, "--out", &out]).output().unwrap();
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!csv.join("investment.csv").exists() && !csv.join("score.csv").exists());
    assert!(
        err.contains(&format!("removed {}", csv.join("investment.csv").display())),
        "{err}"
    );
    assert!(csv.join("savings.csv").exists() && csv.join("mine.txt").exists());
    let charts: Vec<_> = std::fs::read_dir(dir.join("out/case/charts"))
        .unwrap()
        .flatten()
        .collect();
    assert!(
        charts
            .iter()
            .all(|e| !e.file_name().to_string_lossy().starts_with("investment"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// init's next steps paste into a shell as they are: a folder with a space
/// is quoted (`cd np ü/x` split in two).
#[test]
fn init_quotes_a_folder_with_a_space() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("init with space");
    let _ = std::fs::remove_dir_all(&dir);
    let out = stdout(&["init", &dir.display().to_string()]);
    assert!(
        out.contains(&format!("  cd '{}' && costshare report", dir.display())),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // A folder starting with a dash is not taken for an option of cd.
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let _ = std::fs::remove_dir_all(tmp.join("-dash"));
    let out = cs()
        .current_dir(tmp)
        .args(["init", "--", "-dash"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("  cd ./-dash && costshare report"), "{out}");
    std::fs::remove_dir_all(tmp.join("-dash")).unwrap();
}

/// A share written as a percentage is that share: `savings.realisation=70%`
/// gives the figures 0.7 does (it gave 70 times the savings, £43.1m of
/// five-year savings against £616,244).
#[test]
fn a_realisation_percentage_is_a_share() {
    let case = "models/planning-support.toml";
    let pct = stdout(&["scenario", case, "--set", "savings.realisation=70%"]);
    let share = stdout(&["scenario", case, "--set", "savings.realisation=0.7"]);
    assert_eq!(before_set_note(&pct), before_set_note(&share));
    // 70 % of £616,244 by the realisation profile: £431,371 (as 0.7).
    assert!(
        pct.contains("| Five-year savings | £616,244 | £431,371 |"),
        "{pct}"
    );
}

/// An annual-report budget with pence (Audit £299,700.40 and £180,110.40)
/// is shown with pence, so the row adds up as printed: £299,700.40 +
/// £180,110.40 + £166,200.00 = £646,010.80 (it showed £299,700, £180,110,
/// £166,200 and £646,011).
#[test]
fn annual_report_pence_are_shown() {
    let dir = annual_copy("costshare-annual-pence");
    let budget = dir.join("budget.csv");
    let text = std::fs::read_to_string(&budget).unwrap().replace(
        "Audit,Audit,expenditure,299700,180110,166200",
        "Audit,Audit,expenditure,299700.4,180110.4,166200",
    );
    std::fs::write(&budget, text).unwrap();
    let d = dir.display().to_string();
    let md = stdout(&["table", "budget-breakdown", "--data", &d, "--format", "md"]);
    assert!(
        md.contains("| Audit | Audit | £299,700.40 | £180,110.40 | £166,200.00 | £646,010.80 |"),
        "{md}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A service named "Total Facilities Management" (with its line and kind)
/// is read, not set aside as a typed total: its £15,000 was dropped from
/// the net expenditure (£8,961,940 + £15,000 = £8,976,940). A "Total" row
/// with figures only is still set aside.
#[test]
fn a_service_named_total_something_is_read() {
    let dir = annual_copy("costshare-tfm");
    let budget = dir.join("budget.csv");
    let mut text = std::fs::read_to_string(&budget).unwrap();
    text.push_str("Total Facilities Management,TFM,expenditure,5000,5000,5000,\nTotal,,,1,2,3,\n");
    std::fs::write(&budget, text).unwrap();
    let d = dir.display().to_string();
    let out = cs()
        .args(["table", "budget-breakdown", "--data", &d, "--format", "md"])
        .output()
        .unwrap();
    let (md, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(md.contains("| **Total** | **Net expenditure** | **£3,930,650** | **£2,073,090** | **£2,973,200** | **£8,976,940** |"), "{md}");
    assert!(
        err.contains("1 set aside (1 total typed into the sheet"),
        "{err}"
    );
    // The report says so too, not only standard error.
    let out = dir.join("out").display().to_string();
    stdout(&["report", "--data", &d, "--out", &out]);
    let md = std::fs::read_to_string(dir.join("out/annual-report-2012-13/report.md")).unwrap();
    let line = format!("{}, line 17", budget.display());
    assert!(
        md.contains(&format!(
            "Totals typed into the inputs were set aside, costshare working out its own: {line}."
        )),
        "{md}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A total typed into a sheet that is not the sum of the rows above it is
/// a published figure that does not add up: `check` lists it. Worked from
/// the sheets: MKIP's staff are 12 + 17 + 42 + 23 = 94 (a subtotal that
/// agrees, not listed), then 1 + 4 + 64 = 69 (another), and under it a
/// grand total of every row, 94 + 69 = 163, typed as 164; its budget's
/// SBC column adds to £2,068,090 (the published net expenditure), typed as
/// 2,068,091, while MBC's 3,925,650 and TWBC's 2,968,200 agree. WLP's
/// staff are 31 + 12 + 17 = 60, typed as 59.
#[test]
fn typed_totals_that_do_not_add_up_are_listed() {
    let dir = annual_copy("costshare-typed-totals");
    let edit = |file: &str, f: &dyn Fn(String) -> String| {
        let p = dir.join(file);
        std::fs::write(&p, f(std::fs::read_to_string(&p).unwrap())).unwrap();
    };
    edit("staff.csv", &|t| {
        t.replace("Legal,23\n", "Legal,23\nSubtotal,94\n") + "Subtotal,69\nTotal,164\n"
    });
    edit("budget.csv", &|t| t + "Total,,,3925650,2068091,2968200,\n");
    let d = dir.display().to_string();
    let out = cs()
        .args(["check", "--data", &d, "--models", &d])
        .output()
        .unwrap();
    let (md, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let staff = format!("{}, line 11, column 2", dir.join("staff.csv").display());
    let budget = format!("{}, line 16, column 5", dir.join("budget.csv").display());
    let why = "a total typed into the file: the sum of the rows above it";
    assert!(
        md.contains(&format!(
            "| staff.csv | Total | staff | 164 | 163 | -1 | {why} | {staff} |"
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "| budget.csv | Total | SBC | 2068091 | 2068090 | -1 | {why} | {budget} |"
        )),
        "{md}"
    );
    assert_eq!(md.matches(why).count(), 2, "{md}");
    assert!(
        err.contains(&format!(
            "typed total at {staff}: 164 is not the sum of the rows above it (163)"
        )),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let wlp = std::env::temp_dir().join(format!("costshare-typed-wlp-{}", std::process::id()));
    std::fs::create_dir_all(&wlp).unwrap();
    for e in std::fs::read_dir("fixtures/wlp-2024-25").unwrap().flatten() {
        std::fs::copy(e.path(), wlp.join(e.file_name())).unwrap();
    }
    let p = wlp.join("staff.csv");
    std::fs::write(&p, std::fs::read_to_string(&p).unwrap() + "Total,59\n").unwrap();
    let w = wlp.display().to_string();
    let csv = stdout(&["check", "--data", &w, "--models", &w, "--format", "csv"]);
    let line = format!("{}, line 5, column 2", p.display());
    assert!(
        csv.contains(&format!("staff.csv,Total,staff,59,60,1,\"{line}\",{why}")),
        "{csv}"
    );
    std::fs::remove_dir_all(&wlp).unwrap();
}

/// An input that moves nothing (a population while the basis is the
/// baseline) is said; the headline called it the input NPV was "most
/// sensitive to", moving by £0.
#[test]
fn sensitivity_says_an_input_that_moves_nothing() {
    let out = stdout(&[
        "sensitivity",
        "models/planning-support.toml",
        "--vary",
        "population.MBC=100000..200000",
    ]);
    assert!(
        out.contains("No input tested moves the NPV across its range."),
        "{out}"
    );
    assert!(
        out.contains("> NPV does not move with MBC's population over the range tested"),
        "{out}"
    );
    assert!(!out.contains("most sensitive"), "{out}");
}

/// simulate says a range that moves no figure (a population while the
/// basis is the baseline), as scenario and sensitivity do; one that moves
/// the NPV is not flagged.
#[test]
fn simulate_says_a_range_that_moves_nothing() {
    let out = stdout(&[
        "simulate",
        "models/planning-support.toml",
        "--trials",
        "2000",
        "--range",
        "population.MBC=100000..200000",
        "--range",
        "savings.realisation=0.6..1",
    ]);
    assert!(out.contains("> MBC's population: drawn uniformly from 100,000 to 200,000; it moves no figure of this case"), "{out}");
    assert!(
        out.contains("> Share of savings realised: drawn uniformly from 60% to 100%\n"),
        "{out}"
    );
}

/// With MBC's ICT at £1,319,539 the headline table shows £9.83m less
/// £0.87m as £8.97m (each rounded from exact pounds: £9,834,999 is
/// £9.83m, £865,790 is £0.87m, and their difference £8,969,209 is £8.97m):
/// a note says why; the bundled figures, which add up as shown, have none.
#[test]
fn the_headline_says_when_rounded_millions_do_not_add_up() {
    let dir = annual_copy("costshare-headline-round");
    let budget = dir.join("budget.csv");
    let text = std::fs::read_to_string(&budget)
        .unwrap()
        .replace("ICT,ICT,expenditure,1312270", "ICT,ICT,expenditure,1319539");
    std::fs::write(&budget, text).unwrap();
    let d = dir.display().to_string();
    let note = "> Each £m figure is rounded from the exact pounds";
    let md = stdout(&["table", "budget-headline", "--data", &d, "--format", "md"]);
    assert!(md.contains("| Expenditure on services | £9.83m |"), "{md}");
    assert!(
        md.contains("| **Net expenditure on services** | **£8.97m** |"),
        "{md}"
    );
    assert!(md.contains(note), "{md}");
    let bundled = stdout(&["table", "budget-headline", "--format", "md"]);
    assert!(!bundled.contains(note), "{bundled}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Each part asked for alone is written into a new folder: `--format xlsx`
/// failed with "No such file or directory" (only the CSV and Word writers
/// made the folder). On both bundled data sets, the workbook alone.
#[test]
fn each_part_alone_writes_into_a_new_folder() {
    let base = std::env::temp_dir().join(format!("costshare-alone-{}", std::process::id()));
    for (data, models, folder) in [
        ("fixtures/mkip-2012-13", "models", "annual-report-2012-13"),
        (
            "fixtures/wlp-2024-25",
            "fixtures/wlp-models",
            "annual-report-2024-25",
        ),
    ] {
        for (part, file) in [
            ("xlsx", format!("{folder}.xlsx")),
            ("docx", format!("{folder}.docx")),
            ("md", "report.md".to_string()),
            ("csv", "csv".to_string()),
            ("charts", "charts".to_string()),
        ] {
            let out = base.join(format!("{folder}-{part}"));
            let o = out.display().to_string();
            stdout(&[
                "report", "--data", data, "--models", models, "--format", part, "--out", &o,
            ]);
            let p = out.join(folder).join(&file);
            assert!(p.exists(), "{part}: {} not written", p.display());
        }
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// A sheet none of the annual report's is named, not passed over: staff.csv
/// saved as staf.csv left the report without its staff table and nothing
/// said which file was not read. The note is on standard error (table),
/// and check, refusing a published staff figure whose table is missing,
/// says which file was passed over.
#[test]
fn a_sheet_costshare_does_not_read_is_named() {
    let dir = annual_copy("costshare-unread-sheet");
    std::fs::rename(dir.join("staff.csv"), dir.join("staf.csv")).unwrap();
    let d = dir.display().to_string();
    let want = format!(
        "{d}: files not read, being none of report, authorities, budget, staff, growth, \
         savings, funding, performance, national, published: \"staf\""
    );
    let out = cs()
        .args(["table", "budget-breakdown", "--data", &d])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.contains(&want), "{err}");
    let out = cs()
        .args(["check", "--data", &d, "--models", &d])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "names table \"staff\", which was not computed ({want})"
        )),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `table --help` lists every table `table` makes (partners-by-year and
/// true-up were missing from it, though the unknown-table error had them).
#[test]
fn table_help_lists_every_table() {
    let help = stdout(&["table", "--help"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for t in costshare::tables::annual::TABLES
        .iter()
        .chain(costshare::tables::TABLES)
    {
        assert!(
            help.contains(&format!(" {t},")) || help.contains(&format!(" {t} (")),
            "{t}: {help}"
        );
    }
}

/// bench on a case whose largest item is a refund (−£1,000) halves and
/// doubles it all the same, LOW the lesser (−£2,000 to −£500): it failed,
/// "LOW (-500) is greater than HIGH (-2000)", a range nobody gave. Run
/// where there is no models folder, it says so and what to give (it said
/// "models: cannot read the file").
#[test]
fn bench_takes_a_refund_and_says_when_there_is_no_models_folder() {
    let dir = std::env::temp_dir().join(format!("costshare-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("refund.toml");
    std::fs::write(
        &model,
        "name = \"Refund\"\npartners = [\"A\", \"B\", \"C\"]\nfirst_year = \"2030/31\"\n\
         [[investment]]\nitem = \"Refund\"\namounts = { \"2030/31\" = -1000 }\n\
         [savings]\nnet_saving_per_annum = -100\n[apportionment]\nbasis = \"equal\"\n",
    )
    .unwrap();
    let m = model.display().to_string();
    let out = stdout(&["bench", "--model", &m, "--trials", "200"]);
    assert!(out.contains("trials: 200"), "{out}");
    let none = cs()
        .current_dir(&dir)
        .args(["bench", "--trials", "10"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&none.stderr);
    assert_eq!(none.status.code(), Some(2), "{err}");
    assert!(err.contains("no models folder here (./models, or `models` in ./costshare.toml): give --model FILE or --models DIR"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A case given sums with pence shows pence in its appraisal tables too,
/// as in its investment table: £1,000.40 of set-up shared equally is
/// £333.47, £333.47 and £333.46 (1,000.40 / 3 = 333.4666…, the extra
/// penny to the first partner), and the score's costs are £1,000.40; they
/// showed £1,000 and £333.
#[test]
fn a_case_in_pence_is_appraised_in_pence() {
    let dir = std::env::temp_dir().join(format!("costshare-pence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("pence.toml");
    std::fs::write(
        &model,
        "name = \"Pence case\"\npartners = [\"A\", \"B\", \"C\"]\nfirst_year = \"2030/31\"\n\
         [[investment]]\nitem = \"Set-up\"\namounts = { \"2030/31\" = \"1000.40\" }\n\
         [savings]\nshared_service_cost = \"300.03\"\nbaseline = { A = \"400.10\", B = 200, C = 100 }\n\
         [apportionment]\nbasis = \"equal\"\n",
    )
    .unwrap();
    let m = model.display().to_string();
    let score = stdout(&["table", "score", "--model", &m, "--format", "md"]);
    assert!(score.contains("| 2030/31 | £1,000.40 |"), "{score}");
    let partners = stdout(&["table", "partners", "--model", &m, "--format", "md"]);
    for (p, c) in [("A", "£333.47"), ("B", "£333.47"), ("C", "£333.46")] {
        assert!(partners.contains(&format!("| {p} | {c} |")), "{partners}");
    }
    let by_year = stdout(&["table", "partners-by-year", "--model", &m, "--format", "md"]);
    assert!(by_year.contains("| C | 2030/31 | £333.46 |"), "{by_year}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The apportionment's Share % row: a refund of £1,000 shared equally is
/// (£334), (£333), (£333), so 33.4%, 33.3%, 33.3% of it (the row was blank
/// beside a Total of 100.0%); a case whose years cancel (£1,000 then
/// (£1,000)) shares by its weights 1:1:2, 25%, 25%, 50%, with no note on
/// equal amounts showing different percentages (all £0, but the
/// percentages are the weights').
#[test]
fn share_percentages_of_a_refund_and_of_nothing() {
    let dir = std::env::temp_dir().join(format!("costshare-shares-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, amounts: &str, basis: &str| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!(
                "name = \"C\"\npartners = [\"A\", \"B\", \"C\"]\nfirst_year = \"2030/31\"\n\
                 [[investment]]\nitem = \"Cost\"\namounts = {{ {amounts} }}\n\
                 [savings]\nnet_saving_per_annum = 10\n[apportionment]\n{basis}\n"
            ),
        )
        .unwrap();
        p.display().to_string()
    };
    let refund = write("refund.toml", "\"2030/31\" = -1000", "basis = \"equal\"");
    let t = stdout(&[
        "table",
        "apportionment",
        "--model",
        &refund,
        "--format",
        "md",
    ]);
    assert!(
        t.contains("| Share % | 33.4% | 33.3% | 33.3% | 100.0% |"),
        "{t}"
    );
    let zero = write(
        "zero.toml",
        "\"2030/31\" = 1000, \"2031/32\" = -1000",
        "basis = \"weights\"\nweights = { A = 1, B = 1, C = 2 }",
    );
    let t = stdout(&["table", "apportionment", "--model", &zero, "--format", "md"]);
    assert!(
        t.contains("| Share % | 25.0% | 25.0% | 50.0% | 100.0% |"),
        "{t}"
    );
    assert!(
        !t.contains("equal amounts can show different percentages"),
        "{t}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Standard error a pipe whose reader has gone (`2>&1 >/dev/null | true`)
/// when a note is printed: the run ends with exit 2, not a panic's 101.
#[test]
fn a_closed_standard_error_is_no_panic() {
    // A pipe whose reading end is closed before the run starts.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_costshare"))
        .arg("check")
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}
