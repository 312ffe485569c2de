//! The MKIP Annual Report 2012/13 tables, regenerated from the fixtures and
//! compared with the figures printed in the report (seed 002). Expected
//! numbers are typed from the source document, not captured from output.

use costshare::base::table::{Table, Value};
use costshare::input::source::Source;
use costshare::tables::annual::AnnualInputs;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

fn inputs(path: &str) -> AnnualInputs {
    AnnualInputs::load(&Source::open(Path::new(path)).expect("open fixture")).expect("load")
}

fn xlsx() -> AnnualInputs {
    inputs("fixtures/mkip-2012-13.xlsx")
}

fn table(name: &str) -> Table {
    xlsx().table(name).expect("known table")
}

/// The exact figure at (row key, column).
fn fig(t: &Table, row: &str, col: &str) -> Decimal {
    let c = t
        .find(row, col)
        .unwrap_or_else(|| panic!("{}: no cell {row:?} / {col:?}", t.name));
    c.value
        .figure()
        .unwrap_or_else(|| panic!("{}: {row:?} / {col:?} is {:?}", t.name, c.value))
}

/// The figure rounded as the report prints it.
fn printed(t: &Table, row: &str, col: &str, dp: u32) -> Decimal {
    costshare::base::money::round_dp(fig(t, row, col), dp)
}

#[test]
fn budget_breakdown_matches_the_report() {
    let t = table("budget-breakdown");
    let expect = [
        (
            "ICT / Total expenditure",
            [dec!(1327770), dec!(1016990), dec!(1502570)],
        ),
        (
            "ICT / Net expenditure",
            [dec!(1178170), dec!(1016990), dec!(1461670)],
        ),
        (
            "Legal / Total expenditure",
            [dec!(548540), dec!(415330), dec!(484080)],
        ),
        (
            "Legal / Net expenditure",
            [dec!(433900), dec!(367530), dec!(444680)],
        ),
        (
            "Audit / Net expenditure",
            [dec!(191360), dec!(180110), dec!(133370)],
        ),
        (
            "Total / Net expenditure",
            [dec!(3925650), dec!(2068090), dec!(2968200)],
        ),
        (
            "Total / Number of shared services",
            [dec!(6), dec!(5), dec!(4)],
        ),
    ];
    for (row, vals) in expect {
        for (col, v) in ["MBC", "SBC", "TWBC"].iter().zip(vals) {
            assert_eq!(fig(&t, row, col), v, "{row} {col}");
        }
    }
    assert_eq!(fig(&t, "HR / Net expenditure", "MBC"), dec!(517330));
    assert_eq!(fig(&t, "HR / Net expenditure", "SBC"), dec!(377760));
    assert_eq!(
        fig(&t, "Revenues & Benefits / Net expenditure", "MBC"),
        dec!(1361290)
    );
    assert_eq!(
        fig(&t, "Revenues & Benefits / Net expenditure", "TWBC"),
        dec!(928480)
    );
    assert_eq!(
        fig(&t, "Parking - Admin / Net expenditure", "MBC"),
        dec!(243600)
    );
    assert_eq!(
        fig(&t, "Parking - Admin / Net expenditure", "SBC"),
        dec!(125700)
    );
    // N/A is "not in this service", not zero.
    assert!(matches!(
        t.find("Parking - Admin / Net expenditure", "TWBC")
            .unwrap()
            .value,
        Value::NotApplicable { .. }
    ));
    assert!(matches!(
        t.find("HR / HR", "TWBC").unwrap().value,
        Value::NotApplicable { .. }
    ));
    // Percentages to the printed precision: 19.7 %, 12.8 % (printed 12.7 %), 20.8 %.
    let pct = "Total / Percentage of authority budget in MKIP";
    assert_eq!(printed(&t, pct, "MBC", 1), dec!(19.7));
    assert_eq!(printed(&t, pct, "SBC", 1), dec!(12.8));
    assert_eq!(printed(&t, pct, "TWBC", 1), dec!(20.8));
    // Maidstone's illegible ICT base figure follows from its total.
    assert_eq!(fig(&t, "ICT / ICT", "MBC"), dec!(1327770) - dec!(15500));
}

#[test]
fn budget_headline_matches_the_report() {
    let t = table("budget-headline");
    let m = |row: &str| costshare::base::money::round_dp(fig(&t, row, "Value") / dec!(1000000), 2);
    assert_eq!(m("Expenditure on services"), dec!(9.83));
    assert_eq!(m("Income generated from services"), dec!(0.87));
    assert_eq!(m("Net expenditure on services"), dec!(8.96));
    assert_eq!(m("Total authority budget expenditure"), dec!(50.38));
    assert_eq!(
        printed(&t, "MKIP % of total authority expenditure", "Value", 1),
        dec!(17.8)
    );
    // Net is exactly the sum of the three authorities' totals.
    assert_eq!(
        fig(&t, "Net expenditure on services", "Value"),
        dec!(3925650) + dec!(2068090) + dec!(2968200)
    );
}

#[test]
fn staff_matches_the_report() {
    let t = table("staff");
    assert_eq!(fig(&t, "By service / Total", "Staff"), dec!(163));
    assert_eq!(fig(&t, "By authority / Total", "Staff"), dec!(1220));
    assert_eq!(
        printed(&t, "By authority / MKIP % of total", "Staff %", 2),
        dec!(13.36)
    );
    let g = "Planned growth 2014/15";
    assert_eq!(
        printed(&t, &format!("{g} / Environmental Health"), "Staff %", 1),
        dec!(22.7)
    );
    assert_eq!(
        printed(&t, &format!("{g} / Planning Support"), "Staff %", 1),
        dec!(25.8)
    );
    assert_eq!(fig(&t, &format!("{g} / Total"), "Staff"), dec!(79));
    assert_eq!(
        printed(&t, &format!("{g} / Total"), "Staff %", 1),
        dec!(48.5)
    );
    assert_eq!(fig(&t, "Predicted 2014/15 / Total", "Staff"), dec!(242));
    assert_eq!(
        printed(&t, "Predicted 2014/15 / Total", "Staff %", 1),
        dec!(19.8)
    );
    assert_eq!(
        printed(&t, "Predicted 2014/15 / Total", "Budget %", 1),
        dec!(23.7)
    );
    assert_eq!(
        costshare::base::money::round_dp(
            fig(&t, "Predicted 2014/15 / Total", "Budget") / dec!(1000000),
            0
        ),
        dec!(12)
    );
}

#[test]
fn savings_programme_matches_the_report() {
    let t = table("savings-programme");
    let (a, c, p) = (
        "Annual savings 2012/13",
        "Cumulative savings 2012/13",
        "Cumulative savings 2013/14 (predicted)",
    );
    assert_eq!(fig(&t, "Shared Services / Subtotal", a), dec!(850290));
    assert_eq!(fig(&t, "Shared Services / Subtotal", c), dec!(1757030));
    assert_eq!(fig(&t, "Shared Services / Subtotal", p), dec!(2607320));
    assert_eq!(fig(&t, "Transformation / Subtotal", a), dec!(578190));
    assert_eq!(fig(&t, "Transformation / Subtotal", c), dec!(1874227));
    assert_eq!(fig(&t, "Transformation / Subtotal", p), dec!(2452417));
    assert_eq!(fig(&t, "Procurement / Subtotal", a), dec!(161000));
    assert_eq!(fig(&t, "Procurement / Subtotal", c), dec!(279000));
    assert_eq!(fig(&t, "Procurement / Subtotal", p), dec!(440000));
    assert_eq!(fig(&t, "Total", a), dec!(1589480));
    assert_eq!(fig(&t, "Total", c), dec!(3910257));
    assert_eq!(fig(&t, "Total", p), dec!(5499737));
    assert_eq!(
        fig(&t, "MKIP funding and implementation costs", c),
        dec!(-1772000)
    );
    assert_eq!(fig(&t, "Net cumulative savings", c), dec!(2138257));
    assert_eq!(fig(&t, "Net cumulative savings", p), dec!(3727737));
    assert_eq!(fig(&t, "Shared Services / Audit", p), dec!(368680));
    assert_eq!(fig(&t, "Transformation / Finance", p), dec!(374117));
    assert_eq!(
        fig(&t, "Procurement / Parking Enforcement contract", p),
        dec!(386000)
    );
    assert!(t.headline.contains("£3,727,737") && t.headline.contains("£1,772,000"));
}

#[test]
fn performance_summary_matches_the_report() {
    let t = table("performance-summary");
    let total = "Total";
    assert_eq!(fig(&t, total, "Green"), dec!(38));
    assert_eq!(fig(&t, total, "Amber"), dec!(5));
    assert_eq!(fig(&t, total, "Red"), dec!(10));
    assert_eq!(fig(&t, total, "N/A"), dec!(4));
    assert_eq!(fig(&t, total, "Total"), dec!(53));
    assert_eq!(fig(&t, total, "Total incl. N/A"), dec!(57));
    assert_eq!(fig(&t, "ICT", "Total"), dec!(10));
    assert_eq!(fig(&t, "ICT", "Total incl. N/A"), dec!(11));
    assert_eq!(
        fig(&t, "Revenues and Benefits", "Total incl. N/A"),
        dec!(17)
    );
    assert_eq!(fig(&t, "Human Resources", "Total"), dec!(14));
}

#[test]
fn national_picture_matches_the_report() {
    let t = table("national-picture");
    assert_eq!(printed(&t, "Growth", "Councils sharing", 0), dec!(54));
    assert_eq!(printed(&t, "Growth", "Shared arrangements", 0), dec!(127));
    assert_eq!(printed(&t, "Growth", "Savings achieved", 0), dec!(78));
}

/// The values of a table without the traces (which name different files).
fn values(t: &Table) -> Vec<Vec<Value>> {
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.value.clone()).collect())
        .collect()
}

#[test]
fn xlsx_and_csv_fixtures_give_identical_tables() {
    let a = xlsx();
    let b = inputs("fixtures/mkip-2012-13");
    for name in costshare::tables::annual::TABLES {
        let (ta, tb) = (a.table(name).unwrap(), b.table(name).unwrap());
        assert_eq!(values(&ta), values(&tb), "table {name}");
        assert_eq!(ta.headline, tb.headline);
    }
    assert_eq!(a.published.len(), b.published.len());
}

#[test]
fn every_input_figure_is_traced_to_its_cell() {
    let t = table("budget-breakdown");
    let c = t.find("Audit / Audit", "MBC").unwrap();
    assert_eq!(
        c.trace.to_string(),
        "fixtures/mkip-2012-13.xlsx, sheet \"budget\", cell D12"
    );
    let derived = t.find("Audit / Net expenditure", "MBC").unwrap();
    assert!(derived.trace.to_string().starts_with("rule: "));
}

#[test]
fn check_finds_the_swale_percentage_and_the_budget_growth() {
    let a = xlsx();
    let rep = costshare::tables::check::compare(&a.published, &a.tables()).unwrap();
    assert_eq!(rep.checked, 94);
    let swale: Vec<_> = rep
        .findings
        .iter()
        .filter(|f| f.column == "SBC" && f.row.contains("Percentage"))
        .collect();
    assert_eq!(swale.len(), 2, "both 12.7% and 12.79 differ from 12.78%");
    assert!(
        swale
            .iter()
            .any(|f| f.published == "12.7%" && f.recomputed == "12.8%")
    );
    assert!(
        swale
            .iter()
            .any(|f| f.published == "12.79" && f.recomputed == "12.78%")
    );
    assert!(swale[0].location.contains("sheet \"published\", cell D31"));
    let growth: Vec<_> = rep
        .findings
        .iter()
        .filter(|f| f.column == "Budget %")
        .collect();
    assert_eq!(growth.len(), 3);
    assert_eq!(rep.findings.len(), 5);
}
