//! Scenarios, sensitivity and simulation: overrides change exactly what the
//! rules say (expected figures computed by hand here), a scenario with no
//! overrides is the base case, and the same seed gives the same output.

use assert_cmd::Command;
use costshare::case::{investment, savings, score};
use costshare::model::{self, Model};
use costshare::whatif::scenario::{Case, Scenario};
use costshare::whatif::simulate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

fn case(name: &str) -> Case {
    Case::from_model(&Model::load(Path::new(&format!("models/{name}.toml"))).unwrap()).unwrap()
}

fn with(c: &Case, sets: &[(&str, &str)]) -> Case {
    Scenario {
        name: "test".into(),
        description: String::new(),
        set: sets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
    .apply(c)
    .unwrap()
}

/// Planning Support shares its cost by baseline budgets: a population set
/// alone moves no figure and is said to; set with the basis changed to
/// population, it is used and not said (each setting is judged among the
/// scenario's others).
#[test]
fn a_setting_that_moves_no_figure_is_said() {
    let c = case("planning-support");
    let scenario = |set: &[(&str, &str)]| Scenario {
        name: "S".into(),
        description: String::new(),
        set: set
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    let notes = |set: &[(&str, &str)]| {
        let t = costshare::whatif::scenario::compare_named("Planning", &c, &[scenario(set)]);
        t.unwrap().notes.join("\n")
    };
    let idle = "S: population.MBC=5 changes no figure of the case";
    assert!(notes(&[("population.MBC", "5")]).contains(idle));
    let used = notes(&[
        ("apportionment.basis", "population"),
        ("population.MBC", "5"),
        ("population.SBC", "6"),
        ("population.TWBC", "7"),
    ]);
    assert!(!used.contains("changes no figure"), "{used}");
}

#[test]
fn equal_shares_of_the_planning_support_cost() {
    let c = with(
        &case("planning-support"),
        &[("apportionment.basis", "equal")],
    );
    let f = c.figures().unwrap();
    assert_eq!(
        f.partner_cost,
        vec![dec!(261798), dec!(261798), dec!(261798)]
    );
    // MBC's budget cost is below an equal share: it would lose 8,045 a year.
    assert_eq!(f.partner_net[0], dec!(253753) - dec!(261798));
    // The total saving does not depend on how the cost is shared.
    assert_eq!(f.net_per_annum, dec!(154061));
}

#[test]
fn doubled_redundancy_breaches_the_tolerance() {
    let base = case("planning-support");
    let c = with(&base, &[("investment.Redundancy.2014/15", "234000")]);
    let f = c.figures().unwrap();
    assert_eq!(f.case_total, dec!(195700) - dec!(117000) + dec!(234000));
    assert_eq!(f.case_total, dec!(312700));
    assert_eq!(f.tolerance_max, Some(dec!(215270)));
    assert_eq!(f.breach(), Some(dec!(312700) - dec!(215270)));
    assert!(base.figures().unwrap().breach().is_none());
}

/// The scenarios at a glance: a row per scenario, each cell the
/// comparison's own. Worked by hand: the redundancy at the top of its range
/// (£234,000 for £117,000) puts the case total at £312,700 and over the
/// £215,270 tolerance by £97,430; the base is within it.
#[test]
fn the_scenarios_at_a_glance_are_the_comparisons_columns() {
    let base = case("planning-support");
    let file =
        costshare::whatif::scenario::load_file(Path::new("models/scenarios/planning-support.toml"))
            .unwrap();
    let t = costshare::whatif::scenario::compare_named("PS", &base, &file.scenarios).unwrap();
    let g = costshare::whatif::scenario::at_a_glance("PS", &t);
    assert_eq!(g.rows.len(), 1 + file.scenarios.len());
    let row = |name: &str| {
        g.rows
            .iter()
            .find(|r| g.row_key(r) == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let col = |name: &str| g.columns.iter().position(|c| c == name).unwrap();
    let top = row("Redundancy at top of range");
    assert_eq!(
        top.cells[col("Case total")].value.figure(),
        Some(dec!(312700))
    );
    assert_eq!(
        costshare::output::render::display(
            &top.cells[col("Within tolerance")].value,
            Default::default()
        ),
        "BREACH by £97,430"
    );
    let b = row("Base");
    assert_eq!(
        b.cells[col("Case total")].value.figure(),
        Some(dec!(195700))
    );
    // Every cell is the comparison's: its figure in the scenario's column.
    for r in &g.rows {
        let c = t.columns.iter().position(|c| *c == g.row_key(r)).unwrap();
        for (i, name) in g.columns.iter().enumerate().skip(1) {
            let src = t.rows.iter().find(|x| t.row_key(x) == *name).unwrap();
            assert_eq!(r.cells[i].value, src.cells[c].value, "{name}");
        }
    }
}

#[test]
fn realisation_and_slip_follow_the_rules() {
    let base = case("planning-support");
    // 70 % realised: every year's saving × 0.7.
    let f = with(&base, &[("savings.realisation", "0.7")])
        .figures()
        .unwrap();
    assert_eq!(f.score.savings, dec!(154061) * dec!(4) * dec!(0.7));
    // Six months late: 2014/15 gets half a year, later years the full saving.
    let f = with(&base, &[("savings.slip_months", "6")])
        .figures()
        .unwrap();
    assert_eq!(f.score.savings, dec!(154061) * dec!(3.5));
    // A later start: savings from 2015/16 only.
    let f = with(&base, &[("savings.start_year", "2015/16")])
        .figures()
        .unwrap();
    assert_eq!(f.score.savings, dec!(154061) * dec!(3));
    // Optimism bias uplifts every cost, central support included.
    let f = with(&base, &[("optimism_bias_pct", "20")])
        .figures()
        .unwrap();
    assert_eq!(f.case_total, dec!(195700) * dec!(1.2));
    assert_eq!(f.score.costs, dec!(215700) * dec!(1.2));
}

#[test]
fn a_later_joiner_saves_only_from_its_join_year() {
    let base = case("planning-support");
    let f = with(&base, &[("apportionment.joins.SBC", "2015/16")])
        .figures()
        .unwrap();
    // SBC's 33,699 a year is missing in 2014/15 only.
    assert_eq!(f.score.savings, dec!(154061) * dec!(4) - dec!(33699));
}

/// The figures as the model's tables show them: what an officer reads must
/// be what the scenarios and the simulation compute from.
fn model_figures(
    m: &Model,
) -> (
    Decimal,
    Option<Decimal>,
    Option<Decimal>,
    score::ScoreResult,
) {
    let figure = |t: &costshare::base::table::Table, row: &str, col: &str| {
        t.rows
            .iter()
            .find(|r| t.row_key(r).starts_with(row))
            .and_then(|r| {
                r.cells[t.columns.iter().position(|c| c == col).unwrap()]
                    .value
                    .figure()
            })
    };
    let inv = investment::table(m).unwrap().unwrap();
    let net = savings::table(m)
        .unwrap()
        .and_then(|t| figure(&t, "Total", "Total net saving per annum"));
    (
        figure(&inv, "Total", "Total").unwrap(),
        figure(&inv, "Tolerance maximum", "Total"),
        net.or_else(|| {
            m.savings
                .as_ref()
                .and_then(|s| s.net_saving_per_annum.as_ref())
                .map(|f| f.value)
        }),
        score::evaluate(&score::inputs(m).unwrap().unwrap()),
    )
}

#[test]
fn no_override_scenario_is_the_base_for_every_model() {
    let mut n = 0;
    for m in model::load_dir(Path::new("models")).unwrap() {
        let Some(base) = Case::from_model(&m) else {
            continue;
        };
        if score::inputs(&m).unwrap().is_none() {
            continue;
        }
        n += 1;
        let f = with(&base, &[]).figures().unwrap();
        assert_eq!(f, base.figures().unwrap(), "{}", m.file);
        let (total, max, net, sc) = model_figures(&m);
        assert_eq!(f.case_total, total, "{}", m.file);
        assert_eq!(f.tolerance_max, max, "{}", m.file);
        if let Some(net) = net {
            assert_eq!(f.net_per_annum, net, "{}", m.file);
        }
        assert_eq!(f.score, sc, "{}", m.file);
    }
    assert_eq!(n, 3);
}

fn identity_overrides(c: &Case) -> Vec<(String, String)> {
    let mut v = vec![
        ("optimism_bias_pct".to_string(), "0".to_string()),
        ("savings.realisation".into(), "1".into()),
        ("savings.slip_months".into(), "0".into()),
        ("discount_rate_pct".into(), c.rate_pct.to_string()),
        ("apportionment.basis".into(), c.basis.name().into()),
    ];
    for i in &c.items {
        v.push((format!("investment.{}.scale", i.name), "1".into()));
        for (t, a) in i.amounts.iter().enumerate() {
            v.push((
                format!("investment.{}.{}", i.name, c.year(t)),
                a.to_string(),
            ));
        }
    }
    for p in &c.partners {
        if c.net_given.is_none() && c.has_savings {
            v.push((
                format!("savings.baseline.{}", p.name),
                p.baseline.to_string(),
            ));
            v.push((
                format!("savings.already_budgeted.{}", p.name),
                p.already.to_string(),
            ));
        }
    }
    if let Some(t) = c.tolerance_pct {
        v.push(("tolerance_pct".into(), t.to_string()));
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any set of overrides that restates the base's own values leaves every
    /// figure as it was, for every model.
    #[test]
    fn restating_base_values_changes_nothing(model_idx in 0usize..3, picks in prop::collection::vec(any::<prop::sample::Index>(), 0..12)) {
        let names = ["planning-support", "environmental-health", "mkip-programme"];
        let base = case(names[model_idx]);
        let all = identity_overrides(&base);
        let chosen: Vec<(String, String)> = picks.iter().map(|i| i.get(&all).clone()).collect();
        let s = Scenario { name: "identity".into(), description: String::new(), set: chosen };
        let c = s.apply(&base).unwrap();
        prop_assert_eq!(c.figures().unwrap(), base.figures().unwrap());
    }

    /// The simulation's fast path agrees with the full evaluation.
    #[test]
    fn summary_matches_evaluate(
        costs in prop::collection::vec(0i64..10_000_000, 1..8),
        savers in prop::collection::vec((-1_000_000i64..1_000_000, 0usize..8), 0..4),
        real in prop::collection::vec(0i64..1000, 8),
        rate in 0i64..200,
    ) {
        let n = costs.len();
        let inputs = score::ScoreInputs {
            first_year: costshare::base::year::Year(2013),
            costs: costs.iter().map(|c| Decimal::new(*c, 2)).collect(),
            savers: savers.iter().map(|(s, f)| (Decimal::new(*s, 0), *f, usize::MAX)).collect(),
            realisation: real[..n].iter().map(|r| Decimal::new(*r, 3)).collect(),
            rate_pct: Decimal::new(rate, 1),
        };
        let full = score::evaluate(&inputs);
        let fast = score::summarise(&inputs);
        prop_assert_eq!(fast.npv, full.npv);
        prop_assert_eq!(fast.score, full.score);
        prop_assert_eq!(fast.payback_idx.map(|t| inputs.first_year.offset(t as i32)), full.payback);
    }
}

#[test]
fn a_range_is_drawn_within_its_bounds_and_seeded() {
    let c = case("planning-support");
    let r =
        simulate::parse_range(&c, "investment.Redundancy.2014/15=58500..234000..117000").unwrap();
    let mut a = simulate::Rng::new(7);
    let mut b = simulate::Rng::new(7);
    for _ in 0..10_000 {
        let x = r.draw(&mut a);
        assert!(x >= dec!(58500) && x <= dec!(234000));
        assert_eq!(x, r.draw(&mut b));
        assert_eq!(x.scale(), 2);
    }
}

#[test]
fn sensitivity_is_ordered_by_effect() {
    let c = case("planning-support");
    let ranges = ["discount_rate_pct=1.5..6", "savings.realisation=0.6..1"]
        .iter()
        .map(|s| simulate::parse_range(&c, s).unwrap())
        .collect::<Vec<_>>();
    let t = simulate::sensitivity(&c, &ranges).unwrap();
    let first = t.row_key(&t.rows[1]);
    assert_eq!(
        first, "Share of savings realised",
        "the larger swing comes first"
    );
    // NPV at realisation 0.6, by hand: base NPV less 40 % of PV savings.
    let base = score::evaluate(&c.score_inputs().unwrap());
    let at_low = t
        .find("Share of savings realised", "NPV at low")
        .unwrap()
        .value
        .figure()
        .unwrap();
    assert_eq!(at_low, base.npv - base.pv_savings * dec!(0.4));
}

fn cs() -> Command {
    Command::cargo_bin("costshare").unwrap()
}

#[test]
fn cli_scenario_flags_the_breach() {
    cs().args([
        "scenario",
        "models/planning-support.toml",
        "--set",
        "investment.Redundancy.2014/15=234000",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(
        "Case total,195700,312700,117000\n",
    ))
    .stdout(predicates::str::contains(
        "Within tolerance,yes,\"BREACH by £97,430\",\n",
    ));
    // The bundled scenarios run by default.
    cs().args(["scenario", "models/environmental-health.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Six months late"));
}

#[test]
fn cli_simulate_is_byte_identical_for_a_seed() {
    let run = |seed: &str| {
        cs().args([
            "simulate",
            "models/planning-support.toml",
            "--trials",
            "2000",
            "--seed",
            seed,
            "--format",
            "csv",
        ])
        .output()
        .unwrap()
    };
    let (a, b, c) = (run("5"), run("5"), run("6"));
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(text.starts_with(
        "Measure,Base case,Downside (1 in 10),Median,Upside (1 in 10),Mean\nNPV,358028,"
    ));
    // The base case (£195,700) is within its tolerance (£215,270): 0%.
    assert!(
        text.contains("Probability of breaching the cost tolerance,0,,,,"),
        "{text}"
    );
}

#[test]
fn cli_sensitivity_uses_the_scenario_file_by_default() {
    cs().args([
        "sensitivity",
        "models/planning-support.toml",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains(
        "Shared service cost,745000,825000,",
    ));
}

/// Every change column cross-casts: the scenario's figure as shown less the
/// base's as shown, to the last digit printed (CSV prints each at its own
/// precision); a change of percentages is in percentage points.
#[test]
fn change_columns_are_the_difference_of_the_figures_shown() {
    for model in [
        "models/planning-support.toml",
        "models/environmental-health.toml",
        "fixtures/wlp-models/legal-shared-service.toml",
    ] {
        let out = Command::cargo_bin("costshare")
            .unwrap()
            .args(["scenario", model, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{model}");
        let text = String::from_utf8(out.stdout).unwrap();
        // The comparison is the first table (an options table may follow).
        let first = text.split("\n\n").next().unwrap();
        let mut rows = csv::Reader::from_reader(first.as_bytes());
        let head: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
        let mut checked = 0;
        for r in rows.records() {
            let r = r.unwrap();
            for (c, h) in head.iter().enumerate() {
                if !h.starts_with("Change: ") || r[c].is_empty() {
                    continue;
                }
                let d = |s: &str| rust_decimal::Decimal::from_str_exact(s).unwrap();
                assert_eq!(
                    d(&r[c]),
                    d(&r[c - 1]) - d(&r[1]),
                    "{model}: {} / {h}",
                    &r[0]
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{model}: only {checked} changes");
    }
    let md = Command::cargo_bin("costshare")
        .unwrap()
        .args(["scenario", "models/planning-support.toml"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    let roi = md.lines().find(|l| l.starts_with("| ROI %")).unwrap();
    assert!(roi.contains(" pp"), "{roi}");
}

/// The simulation gives the same outcome on one thread or several: each
/// block of trials draws from its own stream, whoever runs it.
#[test]
fn the_simulation_is_the_same_on_any_number_of_threads() {
    let c = case("planning-support");
    let ranges: Vec<simulate::Range> = [
        "savings.realisation=0.6..1.0..0.9",
        "discount_rate_pct=1.5..6",
    ]
    .iter()
    .map(|s| simulate::parse_range(&c, s).unwrap())
    .collect();
    let run =
        |threads| simulate::simulate_on(&c, &ranges, (10_000, 7), threads, &mut |_| {}).unwrap();
    let one = run(1);
    assert_eq!(one.npv_values.len(), 10_000);
    assert_eq!(one.payback.iter().sum::<usize>(), 10_000);
    // To the byte: 1.0 and 1.00 are equal Decimals, not the same output.
    let bytes = |o: &simulate::Outcome| {
        let spreads = [&o.npv, &o.score, &o.case_total];
        let all = spreads
            .into_iter()
            .flat_map(|s| s.p.iter().chain([&s.mean]));
        all.map(|d| d.map(|d| d.serialize())).collect::<Vec<_>>()
    };
    for t in [2, 3, 8] {
        let many = run(t);
        assert_eq!(many, one, "{t} threads");
        assert!(bytes(&many) == bytes(&one), "{t} threads");
    }
}

proptest! {
    /// The simulation's fast count of partners worse off agrees with the
    /// full figures, whatever the realisation and the shared service cost.
    #[test]
    fn partner_npvs_fast_path_matches_the_figures(
        real in 0u32..150,
        cost in 600_000i64..1_000_000,
    ) {
        let mut c = case("planning-support");
        c.set("savings.realisation", &format!("{}", real as f64 / 100.0)).unwrap();
        c.set("savings.shared_service_cost", &cost.to_string()).unwrap();
        let f = c.figures().unwrap();
        prop_assert_eq!(c.partner_npvs().unwrap(), f.partner_npv);
    }
}

/// A case with no cost tolerance (the Democratic Services review) has no
/// breach row, and its headline gives the chance of a loss instead of a
/// tolerance "breached in 0.0% of trials" it never set. By hand, from its
/// base case (NPV £222,346, score 2.85, so PV costs ≈ £120,187 and PV
/// savings ≈ £342,533, both in proportion to the share realised for
/// savings): NPV = 342,533 r − 120,187 is below zero for r < 0.3509, so
/// with r drawn uniformly from 0.2 to 1 about (0.3509 − 0.2) / 0.8 =
/// 18.9% of trials lose money (± 0.3 points at 20,000 trials).
#[test]
fn cli_simulate_without_a_tolerance_heads_with_the_chance_of_a_loss() {
    let out = cs()
        .args(["simulate", "fixtures/wlp-models/democratic-services.toml"])
        .args(["--range", "savings.realisation=0.2..1", "--trials", "20000"])
        .args(["--seed", "3", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("tolerance"), "{text}");
    let shown = text
        .split("the NPV is below zero in ")
        .nth(1)
        .and_then(|t| t.split("% of trials.").next())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        text.contains(&format!(
            "| Probability that NPV is below zero | 0% |  |  |  | {shown}% |"
        )),
        "{text}"
    );
    let p: f64 = shown.parse().unwrap();
    assert!((p - 18.9).abs() < 1.5, "{p}");
}
