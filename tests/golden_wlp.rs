//! The second partnership: the Wessex Legal Partnership, invented for these
//! tests (four councils, 2024/25, costs shared by population, Elmstead
//! joining a year late, a ten-year case). Every expected figure is worked out
//! by hand below from the fixture files, not copied from costshare's output;
//! and nothing costshare writes for it may speak of the other partnership.

use costshare::base::table::Table;
use costshare::input::source::Source;
use costshare::model::Model;
use costshare::tables::{self, annual::AnnualInputs};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

const DATA: &str = "fixtures/wlp-2024-25";
const MODELS: &str = "fixtures/wlp-models";

fn annual(name: &str) -> Table {
    let inputs = AnnualInputs::load(&Source::open(Path::new(DATA)).unwrap()).unwrap();
    inputs.table(name).unwrap_or_else(|| panic!("no {name}"))
}

fn model(name: &str) -> Model {
    Model::load(Path::new(&format!("{MODELS}/{name}.toml"))).unwrap()
}

fn table(m: &Model, name: &str) -> Table {
    tables::table(m, name).unwrap().unwrap()
}

fn fig(t: &Table, row: &str, col: &str) -> Decimal {
    t.find(row, col)
        .unwrap_or_else(|| panic!("{}: no {row:?}/{col:?}", t.name))
        .value
        .figure()
        .unwrap_or_else(|| panic!("{}: {row:?}/{col:?} has no figure", t.name))
}

#[test]
fn budget_breakdown_by_hand() {
    let t = annual("budget-breakdown");
    // Legal, BRK: 412,000 + 38,400 + 12,000 (recharges in) − 25,000 = 437,400.
    assert_eq!(fig(&t, "Legal / Net expenditure", "BRK"), dec!(437400));
    // Legal, before income, CLN: 398,500 + 41,250 + 9,500 = 449,250.
    assert_eq!(fig(&t, "Legal / Total expenditure", "CLN"), dec!(449250));
    // Land Charges, ELM: 64,200 − 71,250 = −7,050 (a net income).
    assert_eq!(
        fig(&t, "Land Charges / Net expenditure", "ELM"),
        dec!(-7050)
    );
    // Per council: BRK 437,400 − 22,000 = 415,400; CLN 430,750 − 27,100 +
    // 220,000 = 623,650; DRN 297,200 − 9,700 + 166,900 = 454,400; ELM
    // −7,050 + 153,850 = 146,800; in all 1,640,250.
    assert_eq!(fig(&t, "Total / Net expenditure", "CLN"), dec!(623650));
    assert_eq!(fig(&t, "Total / Net expenditure", "ELM"), dec!(146800));
    assert_eq!(fig(&t, "Total / Net expenditure", "Total"), dec!(1640250));
    // ELM is in two of the three services (no Legal).
    assert_eq!(fig(&t, "Total / Number of shared services", "ELM"), dec!(2));
    // 1,640,250 / 53,950,000 = 3.040 %.
    let pct = fig(&t, "Total / Percentage of authority budget in WLP", "Total");
    assert_eq!(pct.round_dp(3), dec!(3.040));
    assert!(t.headline.starts_with(
        "WLP shared services cost £1,640,250 net in 2024/25: 3.0% of the four authorities' budgets"
    ));
}

#[test]
fn savings_programme_by_hand() {
    let t = annual("savings-programme");
    // Annual 85,000 + 42,000 + 18,500 = 145,500; cumulative 160,000 +
    // 42,000 + 0 = 202,000; predicted 347,500; less 120,000 of funding:
    // 82,000 now and 227,500 by 2025/26.
    assert_eq!(fig(&t, "Total", "Annual savings 2024/25"), dec!(145500));
    assert_eq!(fig(&t, "Total", "Cumulative savings 2024/25"), dec!(202000));
    let predicted = "Cumulative savings 2025/26 (predicted)";
    assert_eq!(fig(&t, "Total", predicted), dec!(347500));
    assert_eq!(fig(&t, "Net cumulative savings", predicted), dec!(227500));
    assert_eq!(
        t.headline,
        "Net cumulative savings reach £227,500 by 2025/26 after £120,000 of WLP funding."
    );
    assert_eq!(
        t.notes,
        ["Savings are against each council's 2021/22 budget for the service."]
    );
}

#[test]
fn optional_sheets_absent_tables_absent() {
    let inputs = AnnualInputs::load(&Source::open(Path::new(DATA)).unwrap()).unwrap();
    let names: Vec<String> = inputs.tables().into_iter().map(|t| t.name).collect();
    // No performance, national or growth sheet: no such tables, and the
    // staff table has no growth section.
    assert_eq!(
        names,
        [
            "budget-breakdown",
            "budget-headline",
            "staff",
            "savings-programme"
        ]
    );
    let staff = annual("staff");
    assert_eq!(staff.title, "Staff numbers 2024/25");
    // 31 + 12 + 17 = 60 of 410 + 520 + 330 + 280 = 1,540 staff: 3.90 %.
    assert_eq!(fig(&staff, "By service / Total", "Staff"), dec!(60));
    assert!(staff.headline.contains("3.90%"));
}

#[test]
fn legal_case_apportioned_by_population_with_a_late_joiner() {
    let m = model("legal-shared-service");
    let t = table(&m, "apportionment");
    // 2024/25: £150,000 among BRK, CLN, DRN (populations 96,000, 128,000,
    // 74,000; sum 298,000): exact 48,322.15, 64,429.53, 37,248.32; floors
    // sum to 149,999; the one pound left goes to the largest remainder, CLN.
    assert_eq!(fig(&t, "2024/25", "BRK"), dec!(48322));
    assert_eq!(fig(&t, "2024/25", "CLN"), dec!(64430));
    assert_eq!(fig(&t, "2024/25", "DRN"), dec!(37248));
    // 2025/26: £15,000 among all four (sum 360,000): 4,000 exactly, and
    // 5,333.33, 3,083.33, 2,583.33, equal remainders; the pound left goes
    // to the first listed of them, CLN.
    assert_eq!(fig(&t, "2025/26", "CLN"), dec!(5334));
    assert_eq!(fig(&t, "2025/26", "ELM"), dec!(2583));
    // Over the case: 52,322 + 69,764 + 40,331 + 2,583 = 165,000.
    assert_eq!(fig(&t, "Total", "ELM"), dec!(2583));
    assert_eq!(fig(&t, "Total", "Total"), dec!(165000));
    // Shares as paid, not by weight (ELM's weight is 17.2 %): 31.710 %,
    // 42.281 %, 24.443 %, 1.565 %; to 0.1 % the floors 31.7 + 42.2 + 24.4
    // + 1.5 = 99.8, the two tenths left to the largest remainders (CLN .81,
    // ELM .65): 31.7, 42.3, 24.4, 1.6, adding up to 100.0.
    assert_eq!(fig(&t, "Share %", "CLN"), dec!(42.3));
    assert_eq!(fig(&t, "Share %", "ELM"), dec!(1.6));
    let shown: Decimal = ["BRK", "CLN", "DRN", "ELM"]
        .iter()
        .map(|p| fig(&t, "Share %", p))
        .sum();
    assert_eq!(shown, dec!(100.0));
}

#[test]
fn legal_case_savings_and_score_by_hand() {
    let m = model("legal-shared-service");
    let s = table(&m, "savings");
    // £1,020,000 by population: BRK 272,000 exactly; CLN 362,666.67, DRN
    // 209,666.67, ELM 175,666.67; two pounds left to the first two of the
    // equal remainders: CLN 362,667, DRN 209,667, ELM 175,666.
    let cost = "Estimated cost of shared service";
    assert_eq!(fig(&s, "CLN", cost), dec!(362667));
    assert_eq!(fig(&s, "ELM", cost), dec!(175666));
    // CLN: 325,000 − 362,667 = −37,667 a year: worse off, and flagged. In
    // all 1,090,000 − 1,020,000 = 70,000.
    let net = "Total net saving per annum";
    assert_eq!(fig(&s, "CLN", net), dec!(-37667));
    assert_eq!(fig(&s, "Total", net), dec!(70000));
    assert!(
        s.notes
            .iter()
            .any(|n| n.starts_with("Worse off: CLN (£37,667 a year more)")),
        "{:?}",
        s.notes
    );

    let t = table(&m, "score");
    // Costs 170,000 (case 150,000 + grant-funded support 20,000) in 2024/25
    // and 15,000 in 2025/26; savings 70,000 a year from 2025/26.
    // PV costs = 170,000 + 15,000 / 1.035 = 184,492.75;
    // PV savings = 70,000 × (1/1.035 + 1/1.035² + 1/1.035³ + 1/1.035⁴)
    //            = 70,000 × 3.673079 = 257,115.54;
    // NPV 72,622.80; score 257,115.54 / 184,492.75 = 1.3936.
    let r = dec!(1.035);
    let pv_costs = dec!(170000) + dec!(15000) / r;
    let pv_savings: Decimal = (1..=4)
        .map(|t| dec!(70000) / (0..t).fold(Decimal::ONE, |a, _| a * r))
        .sum();
    assert_eq!(
        fig(&t, "Total", "PV costs").round_dp(2),
        pv_costs.round_dp(2)
    );
    assert_eq!(fig(&t, "NPV", "PV savings").round_dp(2), dec!(72622.79));
    assert_eq!(
        fig(&t, "Investment score", "PV savings").round_dp(4),
        (pv_savings / pv_costs).round_dp(4)
    );
    // Cumulative −170,000, −115,000, −45,000, +25,000: payback 2027/28.
    let payback = t.find("Payback year", "PV savings").unwrap();
    assert_eq!(costshare::output::render::plain(&payback.value), "2027/28");
}

#[test]
fn investment_names_its_funder_and_ten_years_say_so() {
    let inv = table(&model("legal-shared-service"), "investment");
    assert!(
        inv.headline
            .ends_with("£20,000 of project support comes from the DLUHC transformation grant."),
        "{}",
        inv.headline
    );
    let ds = model("democratic-services");
    let t = table(&ds, "score");
    assert_eq!(
        t.title,
        "Democratic services review: ten-year investment score"
    );
    // 120,000 in 2024/25; 45,000 a year for nine years from 2025/26:
    // savings 405,000, net 285,000, ROI 285,000 / 120,000 = 237.5 %.
    assert_eq!(fig(&t, "Total", "Savings"), dec!(405000));
    assert_eq!(fig(&t, "ROI %", "PV savings"), dec!(237.5));
    // Equal shares of 120,000: 30,000 each.
    let a = table(&ds, "apportionment");
    assert_eq!(fig(&a, "2024/25", "DRN"), dec!(30000));
}

#[test]
fn the_overall_score_is_named_by_the_partnership_file() {
    let models = costshare::model::load_dir(Path::new(MODELS)).unwrap();
    assert_eq!(models.len(), 2, "partnership.toml is not a model");
    let p = costshare::model::load_partnership(Path::new(MODELS)).unwrap();
    let t = costshare::case::score::overall_table(&models, p.name.as_deref()).unwrap();
    // Windows of five and ten years: no single number of years to name.
    assert_eq!(t.title, "WLP overall investment score");
    assert!(t.headline.starts_with("Across 2 cases WLP returns £"));
}

/// Every file `report` writes for the second partnership, read as text
/// where it is text, names nothing of the first.
#[test]
fn its_report_pack_speaks_only_of_itself() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wlp");
    let _ = std::fs::remove_dir_all(&out);
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_costshare"))
        .args(["report", "--data", DATA, "--models", MODELS, "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let mut seen = 0;
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "md" || x == "csv" || x == "svg")
            {
                let text = std::fs::read_to_string(&p).unwrap();
                for word in ["MKIP", "Mid Kent", "MBC", "TWBC", "2012/13", "2013/14"] {
                    assert!(!text.contains(word), "{} says {word}", p.display());
                }
                seen += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(seen > 20, "only {seen} files");
    assert!(!out.join("mkip-overall").exists());
}

/// A model may carry the Green Book's optimism bias itself: every
/// investment cost is uplifted in the tables and the score, and the
/// approved total (on which the tolerance is set) includes it.
#[test]
fn optimism_bias_in_the_model() {
    let path = format!("{MODELS}/legal-shared-service.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "tolerance_pct = 10",
        "tolerance_pct = 10\noptimism_bias_pct = 20",
    );
    let m = Model::parse(&text, Path::new(&path)).unwrap();
    let t = table(&m, "investment");
    // Case costs 150,000 and 15,000, × 1.2: 180,000 and 18,000; 198,000 in
    // all, of which 33,000 is the bias. Tolerance 198,000 × 1.1 = 217,800.
    assert_eq!(fig(&t, "Optimism bias (+20%)", "2024/25"), dec!(30000));
    assert_eq!(fig(&t, "Optimism bias (+20%)", "Total"), dec!(33000));
    assert_eq!(fig(&t, "Total", "Total"), dec!(198000));
    assert_eq!(fig(&t, "Tolerance maximum (+10%)", "Total"), dec!(217800));
    // The grant-funded support too: 20,000 × 0.2 = 4,000; all costs 222,000.
    let support = "Optimism bias on central support (+20%)";
    assert_eq!(fig(&t, support, "Total"), dec!(4000));
    assert_eq!(
        fig(&t, "Total including central support", "Total"),
        dec!(222000)
    );
    let s = table(&m, "score");
    assert_eq!(fig(&s, "Total", "Costs"), dec!(222000));
}

/// Funding from outside the partnership (`external = true`) offsets the
/// partners' cost: shown, but not a cost in the score.
#[test]
fn external_funding_is_not_a_cost_to_the_partners() {
    let path = format!("{MODELS}/legal-shared-service.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "funded_by = \"DLUHC transformation grant\"",
        "funded_by = \"DLUHC transformation grant\"\nexternal = true",
    );
    let m = Model::parse(&text, Path::new(&path)).unwrap();
    let s = table(&m, "score");
    // Costs 150,000 and 15,000 only: the grant's 20,000 is not the partners'.
    assert_eq!(fig(&s, "Total", "Costs"), dec!(165000));
    let t = table(&m, "investment");
    assert!(
        t.headline.ends_with(
            "£20,000 more is funded from outside the partnership by the DLUHC transformation grant."
        ),
        "{}",
        t.headline
    );
    assert!(t.find("Total including central support", "Total").is_none());
}

/// A partner that never joins pays nothing and saves nothing; the shared
/// service's cost is apportioned among the others.
#[test]
fn a_partner_that_never_joins() {
    let path = format!("{MODELS}/legal-shared-service.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "joins = { ELM = \"2025/26\" }",
        "joins = { ELM = \"never\" }",
    );
    let m = Model::parse(&text, Path::new(&path)).unwrap();
    let s = table(&m, "savings");
    // £1,020,000 among BRK, CLN, DRN by population (96,000, 128,000,
    // 74,000; sum 298,000): 328,590.60, 438,120.81, 253,288.59; floors sum
    // to 1,019,998; the two pounds left go to the two largest remainders,
    // CLN (.81) and BRK (.60).
    let cost = "Estimated cost of shared service";
    assert_eq!(fig(&s, "BRK", cost), dec!(328591));
    assert_eq!(fig(&s, "CLN", cost), dec!(438121));
    assert_eq!(fig(&s, "DRN", cost), dec!(253288));
    assert!(
        s.find("ELM", cost).is_none(),
        "no row for a council not in it"
    );
    assert!(s.notes.iter().any(|n| n.starts_with("ELM does not join")));
    // 1,090,000 − 215,000 (ELM's baseline) − 1,020,000 = −145,000 a year.
    assert_eq!(
        fig(&s, "Total", "Total net saving per annum"),
        dec!(-145000)
    );
    let a = table(&m, "apportionment");
    assert_eq!(fig(&a, "Total", "ELM"), dec!(0));
}

/// The scenario comparison says which council is worse off, and where: CLN
/// pays 362,667 for a service its own budget did for 325,000, in every case.
#[test]
fn scenarios_say_who_is_worse_off() {
    let (m, base) =
        costshare::whatif::load_case(Path::new(&format!("{MODELS}/legal-shared-service.toml")))
            .unwrap();
    let file = costshare::whatif::default_file(Path::new(&format!("{MODELS}/x.toml")), &m).unwrap();
    let sf = costshare::whatif::load_files(&[file], &m).unwrap();
    let t = costshare::whatif::scenario::compare_named(&m.name, &base, &sf[0].scenarios).unwrap();
    assert!(t.notes.contains(
        &"A net saving below zero (the shared service costs more than the partner's own budget): CLN in the base case, Elmstead from the start and Costs 20% higher."
            .to_string()
    ));
}

/// Each partner's own case (#13). BRK pays 48,322 in 2024/25 and 4,000 in
/// 2025/26 and saves 38,000 a year from 2025/26: NPV = 38,000 × 3.673079 −
/// 48,322 − 4,000 / 1.035 = 139,577.01 − 52,186.73 = 87,390.28. CLN saves
/// −37,667 a year: worse off, and the headline says so.
#[test]
fn each_partner_has_its_own_case() {
    let t = table(&model("legal-shared-service"), "partners");
    assert_eq!(fig(&t, "BRK", "Costs"), dec!(52322));
    assert_eq!(fig(&t, "BRK", "Savings"), dec!(152000));
    assert_eq!(fig(&t, "BRK", "NPV").round_dp(2), dec!(87390.28));
    assert!(fig(&t, "CLN", "NPV").is_sign_negative());
    assert!(t.headline.starts_with("Worse off: CLN"), "{}", t.headline);
}

/// The simulation says how likely the case is to lose money: the share of
/// trials whose NPV is below zero, counted here from the trials themselves.
#[test]
fn the_simulation_gives_the_probability_of_a_loss() {
    use costshare::whatif::simulate;
    let path = format!("{MODELS}/legal-shared-service.toml");
    let (case, ranges) = costshare::whatif::ranges(
        Path::new(&path),
        &["savings.realisation=0.3..1.0".to_string()],
        None,
        |sf| &sf.ranges,
        "--range",
    )
    .unwrap();
    let o = simulate::simulate(&case, &ranges, 4000, 7, &mut |_| {}).unwrap();
    let t = simulate::outcome_table(&case, &ranges, &o, 7).unwrap();
    // Each trial's NPV in floating point: within a millionth of a pound of
    // the exact one, so its sign is the exact sign unless a trial lands
    // that near zero (none does in these 4,000).
    assert!(o.npv_values.iter().all(|v| v.abs() > 1e-6));
    let below = o.npv_values.iter().filter(|v| **v < 0.0).count();
    let want = Decimal::from(below * 100) / Decimal::from(4000);
    assert!(
        below > 0 && below < 4000,
        "{below}: the range must straddle zero"
    );
    assert_eq!(fig(&t, "Probability that NPV is below zero", "Mean"), want);
}

/// Switching values (#13): NPV is linear in the realisation share f:
/// NPV(f) = 257,115.54 f − 184,492.75, zero at f = 184,492.75 / 257,115.54
/// = 0.717548.
#[test]
fn sensitivity_gives_switching_values() {
    let path = format!("{MODELS}/legal-shared-service.toml");
    let (case, ranges) = costshare::whatif::ranges(
        Path::new(&path),
        &["savings.realisation=0.7..1".to_string()],
        None,
        |sf| &sf.vary,
        "--vary",
    )
    .unwrap();
    let t = costshare::whatif::simulate::sensitivity(&case, &ranges).unwrap();
    let r = dec!(1.035);
    let pv_costs = dec!(170000) + dec!(15000) / r;
    let pv_savings: Decimal = (1..=4)
        .map(|t| dec!(70000) / (0..t).fold(Decimal::ONE, |a, _| a * r))
        .sum();
    let want = (pv_costs / pv_savings).round_dp(6);
    assert_eq!(want, dec!(0.717548));
    // A share is shown as a percentage: 71.7548%.
    assert_eq!(
        fig(&t, "Share of savings realised", "NPV zero at"),
        want * dec!(100)
    );
}
