//! Business-case tables from models/, compared with the published figures
//! of the annual report (seed 002), the governance arrangements (seed 001)
//! and the 2007 programme report (seed 004). Expected numbers are typed from
//! those documents; the score is recomputed by hand inside the test.

use costshare::base::table::{Table, Value};
use costshare::model::Model;
use costshare::tables;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

fn model(name: &str) -> Model {
    Model::load(Path::new(&format!("models/{name}.toml"))).expect("model loads")
}

fn table(m: &Model, name: &str) -> Table {
    tables::table(m, name)
        .unwrap()
        .unwrap_or_else(|| panic!("{} has no {name}", m.file))
}

fn fig(t: &Table, row: &str, col: &str) -> Decimal {
    t.find(row, col)
        .unwrap_or_else(|| panic!("{}: no {row:?}/{col:?}", t.name))
        .value
        .figure()
        .unwrap_or_else(|| panic!("{}: {row:?}/{col:?} has no figure", t.name))
}

#[test]
fn planning_support_investment() {
    let t = table(&model("planning-support"), "investment");
    assert_eq!(fig(&t, "Total", "2013/14"), dec!(16400));
    assert_eq!(fig(&t, "Total", "2014/15"), dec!(144300));
    assert_eq!(fig(&t, "Total", "2015/16"), dec!(20000));
    assert_eq!(fig(&t, "Total", "2016/17"), dec!(15000));
    assert_eq!(fig(&t, "Total", "Total"), dec!(195700));
    assert_eq!(
        fig(&t, "Business Improvement / Delivery Sections", "Total"),
        dec!(10700)
    );
    assert_eq!(fig(&t, "HR Support (0.3 FTE)", "Total"), dec!(8000));
    assert_eq!(fig(&t, "Additional mileage costs", "Total"), dec!(45000));
    assert_eq!(fig(&t, "Tolerance maximum (+10%)", "Total"), dec!(215270));
    // Central project support is shown apart, not in the case total.
    assert_eq!(
        fig(&t, "Project Support (MKIP central budget)", "2013/14"),
        dec!(15000)
    );
    assert_eq!(
        fig(&t, "Project Support (MKIP central budget)", "2014/15"),
        dec!(5000)
    );
}

#[test]
fn planning_support_savings() {
    let t = table(&model("planning-support"), "savings");
    let c = "Estimated cost of shared service";
    assert_eq!(fig(&t, "MBC", c), dec!(207299));
    assert_eq!(fig(&t, "SBC", c), dec!(248287));
    assert_eq!(fig(&t, "TWBC", c), dec!(329808));
    assert_eq!(fig(&t, "Total", c), dec!(785394));
    let s = "Calculated staff savings";
    assert_eq!(fig(&t, "MBC", s), dec!(46454));
    assert_eq!(fig(&t, "SBC", s), dec!(55639));
    assert_eq!(fig(&t, "TWBC", s), dec!(73908));
    assert_eq!(fig(&t, "Total", s), dec!(176001));
    let n = "Total net saving per annum";
    assert_eq!(fig(&t, "MBC", n), dec!(46454));
    assert_eq!(fig(&t, "SBC", n), dec!(33699));
    assert_eq!(fig(&t, "TWBC", n), dec!(73908));
    assert_eq!(fig(&t, "Total", n), dec!(154061));
    assert_eq!(fig(&t, "Total", "Budget cost 2013/14"), dec!(961395));
    assert_eq!(
        fig(&t, "SBC", "Less budget saving already included"),
        dec!(21940)
    );
    // The apportioned figure says how it was derived.
    let trace = t.find("MBC", c).unwrap().trace.to_string();
    assert!(
        trace.contains("apportioned by baseline share (253753 / 961395)"),
        "{trace}"
    );
}

#[test]
fn environmental_health_from_the_business_case_workbook() {
    let m = model("environmental-health");
    let t = table(&m, "investment");
    for (y, v) in [
        ("2013/14", dec!(57700)),
        ("2014/15", dec!(27100)),
        ("2015/16", dec!(26100)),
        ("2016/17", dec!(20100)),
        ("2017/18", dec!(17600)),
        ("Total", dec!(148600)),
    ] {
        assert_eq!(fig(&t, "Total", y), v, "{y}");
    }
    assert_eq!(fig(&t, "Additional mileage costs", "Total"), dec!(40400));
    assert_eq!(fig(&t, "Tolerance maximum (+10%)", "Total"), dec!(163460));
    // Read from the workbook, and traced to its cell.
    let c = t
        .find("Redundancy and pension cost allowance", "2013/14")
        .unwrap();
    assert_eq!(
        c.trace.to_string(),
        "fixtures/business-cases.xlsx, sheet \"eh_investment\", cell B5"
    );
    let s = table(&m, "savings");
    assert_eq!(fig(&s, "MBC", "Calculated staff savings"), dec!(4270));
    assert_eq!(fig(&s, "SBC", "Calculated staff savings"), dec!(8330));
    assert_eq!(fig(&s, "TWBC", "Calculated staff savings"), dec!(36840));
    assert_eq!(fig(&s, "Total", "Budget cost 2012/13"), dec!(1402100));
    assert_eq!(
        fig(&s, "Total", "Estimated cost of shared service"),
        dec!(1352660)
    );
    assert_eq!(fig(&s, "Total", "Total net saving per annum"), dec!(49440));
}

#[test]
fn contributions_30p_per_head() {
    let t = table(&model("mkip-governance"), "contributions");
    assert_eq!(fig(&t, "MBC", "Contribution"), dec!(42840));
    assert_eq!(fig(&t, "SBC", "Contribution"), dec!(38550));
    assert_eq!(fig(&t, "TWBC", "Contribution"), dec!(31380));
    assert_eq!(fig(&t, "Total", "Contribution"), dec!(112770));
    // Unspent funds return in the same proportions, summing exactly.
    let r = "Return of unspent funds";
    let parts = [fig(&t, "MBC", r), fig(&t, "SBC", r), fig(&t, "TWBC", r)];
    assert_eq!(parts.iter().sum::<Decimal>(), fig(&t, "Total", r));
    assert_eq!(parts, [dec!(3798.88), dec!(3418.46), dec!(2782.66)]);
}

#[test]
fn pathfinder_budget_2007() {
    let t = table(&model("pathfinder-2007"), "pathfinder-budget");
    assert_eq!(
        fig(
            &t,
            "Work streams / Total excluding programme management",
            "Estimated cost"
        ),
        dec!(408505)
    );
    let pm = "Programme management budget";
    assert_eq!(
        costshare::base::money::round_dp(fig(&t, &format!("{pm} / Total"), "Estimated cost"), 0),
        dec!(181521)
    );
    // On-costs at 31.2 % on the director's October–March salary.
    let d = format!("{pm} / Position of Pathfinder Director (estimate Oct-March)");
    assert_eq!(fig(&t, &d, "Estimated cost"), dec!(50512));
    assert_eq!(fig(&t, &d, "On-costs"), dec!(38500) * dec!(0.312));
    let s = format!("{pm} / Programme support officer (estimate Oct-March)");
    assert_eq!(
        costshare::base::money::round_dp(fig(&t, &s, "Estimated cost"), 0),
        dec!(17197)
    );
    assert_eq!(
        fig(&t, "Spend against running costs / Total", "Estimated cost"),
        dec!(9686.91)
    );
    // "tbc" savings are not zero.
    assert!(matches!(
        t.find("Work streams / Procurement", "Estimated savings")
            .unwrap()
            .value,
        Value::NotApplicable { .. }
    ));
}

#[test]
fn planning_support_score_computed_by_hand() {
    // SPEC: window 2013/14–2017/18; costs include central support; savings
    // 154,061 a year from 2014/15; discount 3.5 %.
    let costs = [dec!(31400), dec!(149300), dec!(20000), dec!(15000), dec!(0)];
    let savings = [
        dec!(0),
        dec!(154061),
        dec!(154061),
        dec!(154061),
        dec!(154061),
    ];
    let mut pow = dec!(1);
    let (mut pvc, mut pvs) = (dec!(0), dec!(0));
    for t in 0..5 {
        let df = dec!(1) / pow;
        pvc += costs[t] * df;
        pvs += savings[t] * df;
        pow *= dec!(1.035);
    }
    let hand_score = costshare::base::money::round_dp(pvs / pvc, 2);
    assert_eq!(hand_score, dec!(2.72));

    let m = model("planning-support");
    let r = costshare::case::score::evaluate(&costshare::case::score::inputs(&m).unwrap().unwrap());
    assert_eq!(r.pv_costs, pvc);
    assert_eq!(r.pv_savings, pvs);
    assert_eq!(
        costshare::base::money::round_dp(r.score.unwrap(), 2),
        hand_score
    );
    assert_eq!(r.costs, dec!(215700));
    assert_eq!(r.savings, dec!(616244));
    assert_eq!(r.net_benefit, dec!(400544));
    // Cumulative: -31,400; -26,639; +107,422 → payback 2015/16.
    assert_eq!(r.payback.unwrap().to_string(), "2015/16");
    assert_eq!(
        costshare::base::money::round_dp(r.roi_pct.unwrap(), 1),
        costshare::base::money::round_dp(dec!(400544) * dec!(100) / dec!(215700), 1)
    );
    let t = table(&m, "score");
    assert_eq!(fig(&t, "Investment score", "PV savings"), r.score.unwrap());
}

#[test]
fn overall_score_is_the_ratio_of_summed_present_values() {
    let models = costshare::model::load_dir(Path::new("models")).unwrap();
    let (mut pvc, mut pvs) = (dec!(0), dec!(0));
    let mut cases = 0;
    for m in &models {
        if let Some(i) = costshare::case::score::inputs(m).unwrap() {
            let r = costshare::case::score::evaluate(&i);
            pvc += r.pv_costs;
            pvs += r.pv_savings;
            cases += 1;
        }
    }
    assert_eq!(
        cases, 3,
        "planning support, environmental health, the programme"
    );
    let t = costshare::case::score::overall_table(&models, Some("MKIP")).unwrap();
    assert_eq!(fig(&t, "Total", "Investment score"), pvs / pvc);
}

#[test]
fn every_model_published_figure_but_one_agrees() {
    let mut findings = Vec::new();
    let mut checked = 0;
    for m in costshare::model::load_dir(Path::new("models")).unwrap() {
        let r =
            costshare::tables::check::compare(&m.published, &tables::tables(&m).unwrap()).unwrap();
        checked += r.checked;
        findings.extend(r.findings);
    }
    assert!(checked >= 40);
    // The 2007 report's Appendix 1 rounds the programme management budget
    // (181,521) up to 182,000: reported, not corrected.
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].published, "182,000");
    assert_eq!(findings[0].difference, "-479");
}

#[test]
fn a_later_joiner_shares_costs_from_its_join_year() {
    let text = std::fs::read_to_string("models/planning-support.toml")
        .unwrap()
        .replace(
            "basis = \"baseline\"",
            "basis = \"equal\"\njoins = { SBC = \"2014/15\" }",
        );
    let m = Model::parse(&text, Path::new("models/planning-support.toml")).unwrap();
    let t = table(&m, "apportionment");
    // 2013/14: 16,400 between MBC and TWBC only.
    assert_eq!(fig(&t, "2013/14", "MBC"), dec!(8200));
    assert_eq!(fig(&t, "2013/14", "TWBC"), dec!(8200));
    assert!(matches!(
        t.find("2013/14", "SBC").unwrap().value,
        Value::NotApplicable { .. }
    ));
    // 2014/15: 144,300 in three equal parts.
    assert_eq!(fig(&t, "2014/15", "SBC"), dec!(48100));
}

/// A model with pence (the attack run's: £1,000.40 and £2,000.40 of
/// investment, a £785,394.45 shared service) is shared to the penny and
/// shown with pence; it was shared as £1,000 and £2,000 (80p gone from
/// the apportionment) and shown as whole pounds beside a £3,001 total.
/// By hand, weights 1,000 : 2,000 : 3,000 (sixths):
/// - 2013/14, 100,040p: A 16,673.33 → 16,673 (rem .33), B 33,346.67 →
///   33,346 (rem .67), C 50,020 exactly; 100,039 given, the last penny to
///   B (largest remainder): £166.73, £333.47, £500.20.
/// - 2014/15, 200,040p: 33,340, 66,680, 100,020 exactly.
/// - Shared cost 78,539,445p: A 13,089,907.5, B 26,179,815, C 39,269,722.5;
///   floors sum to 78,539,444, the penny left tied between A and C (.5
///   each) goes to A, listed first: £130,899.08, £261,798.15, £392,697.22.
#[test]
fn a_model_with_pence_is_shared_to_the_penny() {
    let dir = std::env::temp_dir().join(format!("costshare-pence-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("pence.toml");
    std::fs::write(
        &p,
        r#"name = "Pence"
partners = ["A", "B", "C"]
first_year = "2030/31"
[savings]
shared_service_cost = "785394.45"
baseline = { A = 1000, B = 2000, C = 3000 }
start_year = "2031/32"
[apportionment]
basis = "baseline"
[[investment]]
item = "Set-up"
amounts = { "2030/31" = "1000.40", "2031/32" = 2000.40 }
"#,
    )
    .unwrap();
    let m = Model::load(&p).unwrap();
    let a = table(&m, "apportionment");
    for (row, want) in [
        (
            "2030/31",
            [dec!(166.73), dec!(333.47), dec!(500.20), dec!(1000.40)],
        ),
        (
            "2031/32",
            [dec!(333.40), dec!(666.80), dec!(1000.20), dec!(2000.40)],
        ),
        (
            "Total",
            [dec!(500.13), dec!(1000.27), dec!(1500.40), dec!(3000.80)],
        ),
    ] {
        for (col, w) in ["A", "B", "C", "Total"].iter().zip(want) {
            assert_eq!(fig(&a, row, col), w, "{row} {col}");
        }
    }
    let s = table(&m, "savings");
    let col = "Estimated cost of shared service";
    assert_eq!(fig(&s, "A", col), dec!(130899.08));
    assert_eq!(fig(&s, "B", col), dec!(261798.15));
    assert_eq!(fig(&s, "C", col), dec!(392697.22));
    // Shown with pence, so the rows add up as printed.
    let md = costshare::output::render::render(
        &table(&m, "investment"),
        costshare::output::render::OutFormat::Md,
        costshare::base::money::Negatives::Brackets,
    )
    .unwrap();
    assert!(
        md.contains("| Set-up | £1,000.40 | £2,000.40 | £3,000.80 |"),
        "{md}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
