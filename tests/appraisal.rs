//! The S151 officer's appraisal, with figures worked by hand from the
//! model files in tests/models/ (the working is in each test's comment).

mod common;
use common::{fig, table};
use costshare::model::Model;
use rust_decimal_macros::dec;
use std::path::Path;

/// tests/models/optimism-bias.toml: two partners, equal shares, a £100,000
/// system in 2030/31, a £200,000 shared service against baselines of
/// £150,000 each, savings from 2031/32, three years at 0 % (so each figure
/// can be checked on paper). Project type equipment/development (Green
/// Book upper bounds: works duration 54 %, capital 200 %), with capital
/// overridden to 20 %, operating 10 %, benefits 25 %:
///
/// - capital: £100,000 × 1.20 = £120,000 of costs in 2030/31;
/// - operating: £200,000 × 1.10 = £220,000, £110,000 each; net saving
///   £150,000 − £110,000 = £40,000 each, £80,000 a year;
/// - benefits: realisation 0, 1, 1 becomes 0, 0.75, 0.75;
/// - duration: 54 % of the one year before savings start = 6.48 months,
///   so each year keeps 1 − 0.54 = 0.46 of its own share and takes 0.54 of
///   the year before's: 0, 0.46 × 0.75 = 0.345, 0.75;
/// - savings £80,000 × 0.345 = £27,600 and £60,000: £87,600; NPV £87,600 −
///   £120,000 = −£32,400; score 87,600 / 120,000 = 0.73; each partner pays
///   £60,000 and saves £43,800: worse off by £16,200.
///
/// Without any bias: costs £100,000, net saving £50,000 each (£100,000 a
/// year), savings £200,000, NPV +£100,000.
#[test]
fn optimism_bias_by_category() {
    let m = Model::load(Path::new("tests/models/optimism-bias.toml")).unwrap();
    let s = table(&m, "score");
    assert_eq!(fig(&s, "2030/31", "Costs"), dec!(120000));
    assert_eq!(fig(&s, "2031/32", "Savings"), dec!(27600));
    assert_eq!(fig(&s, "2032/33", "Savings"), dec!(60000));
    assert_eq!(fig(&s, "NPV", "PV savings"), dec!(-32400));
    assert_eq!(fig(&s, "Investment score", "PV savings"), dec!(0.73));
    let note = s
        .notes
        .iter()
        .find(|n| n.starts_with("Optimism bias"))
        .unwrap();
    assert!(note.contains("capital costs +20%"), "{note}");
    assert!(
        note.contains("works duration +54% (savings 6.5 months later)"),
        "{note}"
    );
    assert!(note.contains("equipment/development"), "{note}");
    let p = table(&m, "partners");
    for partner in ["A", "B"] {
        assert_eq!(fig(&p, partner, "Costs"), dec!(60000));
        assert_eq!(fig(&p, partner, "Savings"), dec!(43800));
        assert_eq!(fig(&p, partner, "NPV"), dec!(-16200));
    }
    assert!(p.headline.starts_with("Worse off: A"), "{}", p.headline);

    // Each category is a what-if key; all four at zero give the plain case.
    let mut c = costshare::case::calc::Case::from_model(&m).unwrap();
    for k in [
        "optimism_bias.capital_pct",
        "optimism_bias.operating_pct",
        "optimism_bias.duration_pct",
        "optimism_bias.benefits_pct",
    ] {
        c.set(k, "0").unwrap();
    }
    let f = c.figures().unwrap();
    assert_eq!(f.case_total, dec!(100000));
    assert_eq!(f.net_per_annum, dec!(100000));
    assert_eq!(f.score.npv, dec!(100000));
}

/// A project type alone gives the guidance's upper bounds; a category the
/// model states wins; an unknown type is refused with the list.
#[test]
fn green_book_upper_bounds_as_defaults() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ob");
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string("tests/models/optimism-bias.toml").unwrap();
    let head = &base[..base.find("[optimism_bias]").unwrap()];
    let load = |tail: &str| {
        let p = dir.join("m.toml");
        std::fs::write(&p, format!("{head}[optimism_bias]\n{tail}")).unwrap();
        Model::load(&p)
    };
    let m = load("project_type = \"standard buildings\"\n").unwrap();
    let v = |f: &Option<costshare::model::Fig>| f.as_ref().map(|f| f.value);
    assert_eq!(v(&m.optimism.capital), Some(dec!(24)));
    assert_eq!(v(&m.optimism.duration), Some(dec!(4)));
    assert_eq!(v(&m.optimism.operating), None);
    let m = load("project_type = \"Outsourcing\"\ncapital_pct = 5\n").unwrap();
    assert_eq!(v(&m.optimism.operating), Some(dec!(41)));
    assert_eq!(v(&m.optimism.capital), Some(dec!(5)));
    let e = load("project_type = \"bridges\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("equipment/development"), "{e}");
    let e = load("benefits_pct = 120\n").unwrap_err().to_string();
    assert!(e.contains("at most 100%"), "{e}");
}

/// tests/models/worse-off.toml: one year at 0 %, a £20,000 set-up shared
/// equally (£10,000 each) and a £200,000 service (£100,000 each). A saves
/// £150,000 − £100,000 = £50,000: NPV £40,000, never worse off. B's NPV is
/// its baseline − £100,000 − £10,000, so with its baseline drawn uniformly
/// from £100,000 to £120,000 it is below zero exactly when the baseline is
/// under £110,000: half the time. 20,000 trials put the share within ±1.5
/// points of 50 % (three standard errors, √(0.25 / 20,000) = 0.35 points,
/// with room to spare); the seed makes the run the same every time.
#[test]
fn the_probability_that_each_partner_is_worse_off() {
    let out = assert_cmd::Command::cargo_bin("costshare")
        .unwrap()
        .args(["simulate", "tests/models/worse-off.toml", "--range"])
        .args(["savings.baseline.B=100000..120000", "--trials", "20000"])
        .args(["--seed", "7", "--quiet", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mean = |label: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(label)).unwrap();
        line.rsplit(',').next().unwrap().parse().unwrap()
    };
    assert_eq!(mean("Probability that A is worse off"), 0.0);
    let b = mean("Probability that B is worse off");
    assert!((48.5..=51.5).contains(&b), "{b}");
    // Columns read one way: the downside of the case total is its high end.
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "Measure,Base case,Downside (1 in 10),Median,Upside (1 in 10),Mean"
    );
}

/// Switching values for the cost tolerance, models/planning-support.toml:
/// the approved case total is £195,700 and the tolerance 10 %, so the
/// maximum is £215,270 (the business case's own "maximum investment").
/// - The redundancy allowance is £117,000 in 2014/15; the total reaches the
///   maximum when it is £117,000 + (£215,270 − £195,700) = £136,570.
/// - Optimism bias b on every case cost: £195,700 × (1 + b) = £215,270
///   when b = 10 %.
/// - The shared service's cost is not a case cost: no effect.
#[test]
fn switching_values_for_the_cost_tolerance() {
    let out = assert_cmd::Command::cargo_bin("costshare")
        .unwrap()
        .args([
            "sensitivity",
            "models/planning-support.toml",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let c = head
        .iter()
        .position(|h| h == "Tolerance reached at")
        .unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let at = |key: &str| rows.iter().find(|x| &x[0] == key).unwrap()[c].to_string();
    assert_eq!(at("Redundancy, 2014/15"), "136570");
    assert_eq!(at("Optimism bias (capital)"), "10");
    assert_eq!(at("Shared service cost"), "no effect on costs");
}

/// tests/models/prices.toml: figures in 2030/31 prices; a £100,000 system in
/// 2030/31 and a net saving of £50,000 a year from 2030/31, over two years at
/// the Green Book's 3.5 %. General inflation 2 %, the services' costs (and
/// so the savings) rise 4 % a year (a pay award), investment costs with
/// inflation.
/// - Cash (nominal): savings £50,000 and £50,000 × 1.04 = £52,000.
/// - Real (2030/31 prices): £52,000 / 1.02 = £50,980.39.
/// - NPV, real: −£100,000 + £50,000 + £50,980.39 / 1.035 = −£743.58.
/// - Nominal is discounted at (1.035 × 1.02 − 1) = 5.57 %: £52,000 / 1.0557
///   = £49,256.42, the same PV, so the same NPV: (£744) either way.
#[test]
fn real_and_nominal_prices() {
    let m = Model::load(Path::new("tests/models/prices.toml")).unwrap();
    let s = table(&m, "score");
    assert!(
        s.title.ends_with("(real terms, 2030/31 prices)"),
        "{}",
        s.title
    );
    assert_eq!(fig(&s, "2031/32", "Savings").round_dp(2), dec!(50980.39));
    let npv = fig(&s, "NPV", "PV savings");
    assert_eq!(npv.round_dp(2), dec!(-743.58));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("prices");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("tests/models/prices.toml").unwrap();
    let p = dir.join("nominal.toml");
    std::fs::write(&p, format!("{text}shown = \"nominal\"\n")).unwrap();
    let n = Model::load(&p).unwrap();
    let s = table(&n, "score");
    assert!(s.title.ends_with("(cash, nominal prices)"), "{}", s.title);
    assert_eq!(fig(&s, "2031/32", "Savings"), dec!(52000));
    assert_eq!(
        fig(&s, "2031/32", "Discount factor").round_dp(4),
        dec!(0.9472)
    );
    assert_eq!(fig(&s, "NPV", "PV savings").round_dp(2), npv.round_dp(2));
    let note = s.notes.iter().find(|x| x.starts_with("Prices:")).unwrap();
    assert!(note.contains("discounted at 5.57%"), "{note}");
    // Inflation is a what-if key: with none, real = nominal = £52,000.
    let mut c = costshare::case::calc::Case::from_model(&m).unwrap();
    c.set("prices.inflation_pct", "0").unwrap();
    let inp = c.score_inputs().unwrap();
    assert_eq!(inp.savings_in(1), dec!(52000));
}

/// tests/models/options.toml and its [[option]]s, two years at 0 %: a
/// £40,000 system; a £200,000 shared service against baselines A £140,000,
/// B £100,000.
/// - The business case (equal shares): £100,000 each; A saves £40,000 a
///   year, B nothing; NPV 2 × £40,000 − £40,000 = £40,000; A −£20,000 +
///   £80,000 = £60,000; B −£20,000: worse off.
/// - Shares by baseline (140:100): the service £116,667 / £83,333 (the
///   largest remainder, .667, to A), the system £23,333 / £16,667 (.667 to
///   B); A saves £23,333 a year, NPV −£23,333 + £46,666 = £23,333; B saves
///   £16,667, NPV −£16,667 + £33,334 = £16,667; in all £40,000.
/// - Outsource: £190,000 (£95,000 each), the system doubled (£80,000); A
///   saves £45,000, B £5,000: £50,000 a year, NPV £100,000 − £80,000 =
///   £20,000; B −£40,000 + £10,000 = −£30,000: worse off.
///
/// The rule: the highest NPV leaving no partner worse off — the business
/// case and Shares by baseline tie at £40,000, but B is worse off under the
/// business case, so Shares by baseline.
#[test]
fn an_options_appraisal() {
    let m = Model::load(Path::new("tests/models/options.toml")).unwrap();
    let base = costshare::case::calc::Case::from_model(&m).unwrap();
    let sf =
        costshare::whatif::scenario::load_file(Path::new("tests/models/scenarios/options.toml"))
            .unwrap();
    let t = costshare::whatif::options::options_table(&base, &sf.options).unwrap();
    let row = |o: &str| -> Vec<String> {
        let r = t.rows.iter().find(|r| t.row_key(r) == o).unwrap();
        r.cells
            .iter()
            .map(|c| costshare::output::render::plain(&c.value))
            .collect()
    };
    assert_eq!(row("Business as usual")[1..4], ["0", "0", "n/a"]);
    assert_eq!(
        row("Options test (the business case)")[1..],
        ["40000", "40000", "2.00", "2030/31", "60000", "-20000", "B"]
    );
    assert_eq!(
        row("Shares by baseline")[1..],
        [
            "40000", "40000", "2.00", "2030/31", "23333", "16667", "none"
        ]
    );
    assert_eq!(
        row("Outsource")[1..],
        ["80000", "20000", "1.25", "2031/32", "50000", "-30000", "B"]
    );
    assert_eq!(
        t.headline,
        "Preferred option: Shares by baseline (NPV £40,000)."
    );
}

/// tests/models/bases.toml: a basis per cost line and an activity driver.
/// Population 50:30:20, caseload 100:300:600, one year at 0 %.
/// - Set-up £10,000 by population: £5,000, £3,000, £2,000.
/// - Licences £3,001 by caseload: 300.1, 900.3, 1,800.6; whole pounds 300,
///   900, 1,800 leave £1, to the largest remainder (C, .6): 300, 900, 1,801.
/// - Each partner's share: A £5,300, B £3,900, C £3,801; in all £13,001.
/// - The running cost £100,000 by caseload: £10,000, £30,000, £60,000;
///   against baselines £20,000, £40,000, £70,000 each saves £10,000.
/// - NPVs: A £4,700, B £6,100, C £6,199.
#[test]
fn a_basis_per_cost_line_and_activity_drivers() {
    let m = Model::load(Path::new("tests/models/bases.toml")).unwrap();
    let a = table(&m, "apportionment");
    for (p, v) in [("A", dec!(5300)), ("B", dec!(3900)), ("C", dec!(3801))] {
        assert_eq!(fig(&a, "2030/31", p), v, "{p}");
    }
    assert_eq!(fig(&a, "2030/31", "Total"), dec!(13001));
    assert!(
        a.title
            .contains("Case system licences by caseload, the rest by population"),
        "{}",
        a.title
    );
    let s = table(&m, "savings");
    for (p, v) in [("A", dec!(10000)), ("B", dec!(30000)), ("C", dec!(60000))] {
        assert_eq!(fig(&s, p, "Estimated cost of shared service"), v, "{p}");
    }
    let p = table(&m, "partners");
    for (who, v) in [("A", dec!(4700)), ("B", dec!(6100)), ("C", dec!(6199))] {
        assert_eq!(fig(&p, who, "NPV"), v, "{who}");
    }
    // The basis is a what-if key that takes a driver's name too.
    let mut c = costshare::case::calc::Case::from_model(&m).unwrap();
    c.set("apportionment.basis", "caseload").unwrap();
    let f = c.figures().unwrap();
    // £13,001 all by caseload: 1,300.1, 3,900.3, 7,800.6 → 1,300, 3,900, 7,801.
    assert_eq!(f.investment_share, [dec!(1300), dec!(3900), dec!(7801)]);
    assert!(c.set("apportionment.basis", "hours").is_err());
}

/// tests/models/true-up.toml: £300,000 charged on estimated activity
/// 100:300:600 (£30,000, £90,000, £180,000); the out-turn £310,000 on actual
/// activity 150:250:600 is £46,500, £77,500, £186,000. Differences: A
/// +£16,500 (beyond 5 % of £30,000 = £1,500: recharged), B −£12,500 (beyond
/// £4,500: refunded), C +£6,000 (within £9,000: not recharged). Recharged
/// in all £4,000; the £6,000 within tolerance stays with the partnership.
#[test]
fn an_annual_true_up_with_a_tolerance() {
    let m = Model::load(Path::new("tests/models/true-up.toml")).unwrap();
    let t = table(&m, "true-up");
    let col = "Recharge (refund)";
    assert_eq!(fig(&t, "A", col), dec!(16500));
    assert_eq!(fig(&t, "B", col), dec!(-12500));
    assert_eq!(fig(&t, "C", col), dec!(0));
    assert_eq!(fig(&t, "Total", "Difference"), dec!(10000));
    assert_eq!(fig(&t, "Total", col), dec!(4000));
    assert_eq!(fig(&t, "C", "Due on the out-turn"), dec!(186000));
    assert!(
        t.headline
            .ends_with("£4,000 recharged, £6,000 within tolerance carried by the partnership."),
        "{}",
        t.headline
    );
    // In pence: £300,000.01 charged on 100:300:600 is 30,000.001,
    // 90,000.003 and 180,000.006, so £30,000.00, £90,000.00 and
    // £180,000.01 (the penny left to C's largest remainder); the out-turn
    // £299,999.99 alike is 29,999.999, 89,999.997, 179,999.994, so
    // £30,000.00, £90,000.00, £179,999.99 (two pennies, to A and B).
    // Differences 0, 0 and −£0.02, within 5%: £0.00 recharged and (£0.02)
    // carried. The headline said "£0 recharged" in whole pounds.
    let text = std::fs::read_to_string("tests/models/true-up.toml")
        .unwrap()
        .replace("budget = 300000", "budget = \"300000.01\"")
        .replace("outturn = 310000", "outturn = \"299999.99\"")
        .replace(
            "actual = { A = 150, B = 250, C = 600 }",
            "actual = { A = 100, B = 300, C = 600 }",
        );
    let p = std::env::temp_dir().join(format!("true-up-pence-{}.toml", std::process::id()));
    std::fs::write(&p, text).unwrap();
    let t = table(&Model::load(&p).unwrap(), "true-up");
    assert_eq!(fig(&t, "Total", "Difference"), dec!(-0.02));
    assert!(
        t.headline.ends_with(
            "out-turn of £299,999.99 against a budget of £300,000.01: £0.00 recharged, \
             (£0.02) within tolerance carried by the partnership."
        ),
        "{}",
        t.headline
    );
    std::fs::remove_file(&p).unwrap();
}

/// tests/models/joining-fee.toml: A and B from 2030/31, C joins in 2031/32
/// paying a £20,001 fee; equal shares; the system costs £90,000 then £9,000.
/// - 2030/31: £45,000 each for A and B.
/// - 2031/32: £3,000 each for the three; C also pays £20,001, shared by A
///   and B equally: £10,000.50 each, whole pounds £10,000 each and the £1
///   left to the first of the tie, A. A £3,000 − £10,001 = −£7,001; B
///   −£7,000; C £23,001; the year still adds up to £9,000.
#[test]
fn a_late_joiners_fee() {
    let m = Model::load(Path::new("tests/models/joining-fee.toml")).unwrap();
    let a = table(&m, "apportionment");
    assert_eq!(fig(&a, "2031/32", "A"), dec!(-7001));
    assert_eq!(fig(&a, "2031/32", "B"), dec!(-7000));
    assert_eq!(fig(&a, "2031/32", "C"), dec!(23001));
    assert_eq!(fig(&a, "2031/32", "Total"), dec!(9000));
    assert_eq!(fig(&a, "Total", "Total"), dec!(99000));
    assert!(
        a.notes
            .iter()
            .any(|n| n.starts_with("C's joining fee of £20,001")),
        "{:?}",
        a.notes
    );
    let p = table(&m, "partners");
    assert_eq!(fig(&p, "C", "Costs"), dec!(23001));
    // Paybacks: each in-partner's service share is £150,000 / 3 = £50,000,
    // so A saves £80,000 − £50,000 = £30,000 a year, C £50,000 − £50,000 =
    // nothing. A: 2030/31 −£45,000 + £30,000 = −£15,000; 2031/32 it pays
    // −£7,001 and saves £30,000: +£22,001, paid back in 2031/32. C is not
    // in during 2030/31 (nothing paid and nothing saved is no payback; it
    // was shown as 2030/31) and in 2031/32 pays £23,001 and saves nothing:
    // none within the window.
    let payback =
        |who: &str| costshare::output::render::plain(&p.find(who, "Payback year").unwrap().value);
    assert_eq!(payback("A"), "2031/32");
    assert_eq!(payback("C"), "none within window");
}

/// tests/models/leaver.toml: three partners in equal shares; C leaves in
/// 2032/33 paying a £9,001 exit cost; the system costs £30,000, £6,000,
/// £6,000; the service £150,000 (£50,000 each) against £60,000 baselines.
/// - 2030/31 £10,000 each; 2031/32 £2,000 each.
/// - 2032/33: A and B share £6,000 (£3,000 each) and C's £9,001
///   (£4,500.50 each: £4,501 to A, the first of the tie, £4,500 to B):
///   A −£1,501, B −£1,500, C £9,001; the year adds up to £6,000.
/// - Each saves £10,000 a year while in: C for two years. Savings £30,000,
///   £30,000, £20,000; C's NPV £20,000 − £21,001 = −£1,001.
#[test]
fn a_leaver_and_its_exit_cost() {
    let m = Model::load(Path::new("tests/models/leaver.toml")).unwrap();
    let a = table(&m, "apportionment");
    assert_eq!(fig(&a, "2032/33", "A"), dec!(-1501));
    assert_eq!(fig(&a, "2032/33", "B"), dec!(-1500));
    assert_eq!(fig(&a, "2032/33", "C"), dec!(9001));
    assert_eq!(fig(&a, "2032/33", "Total"), dec!(6000));
    let s = table(&m, "score");
    assert_eq!(fig(&s, "2032/33", "Savings"), dec!(20000));
    let p = table(&m, "partners");
    assert_eq!(fig(&p, "C", "Savings"), dec!(20000));
    assert_eq!(fig(&p, "C", "NPV"), dec!(-1001));
    assert_eq!(fig(&p, "A", "NPV"), dec!(19501));
    // Year by year: C pays its exit cost and saves nothing in 2032/33.
    let y = table(&m, "partners-by-year");
    let cell = |who: &str, year: &str, col: &str| fig(&y, &format!("{who} / {year}"), col);
    assert_eq!(cell("C", "2032/33", "Savings"), dec!(0));
    assert_eq!(cell("C", "2032/33", "Costs"), dec!(9001));
    assert_eq!(cell("C", "Total", "PV net benefit"), dec!(-1001));
    assert_eq!(cell("A", "Total", "PV net benefit"), dec!(19501));
}

/// tests/models/refund-only.toml: investment lines that are all refunds
/// (−£8,000 in 2030/31, −£2,700 in 2031/32) and a shared service dearer
/// than the partners' budgets. PV costs are −£8,000 − £2,700 / 1.035
/// ≈ −£10,609, below nothing, so savings per £1 of costs would divide two
/// negatives into a glowing 269.85 (ROI 29,036 %) for a case losing £2.85m.
/// There is no investment score, nor ROI, and the headline says why.
#[test]
fn refunds_above_spending_have_no_investment_score() {
    let m = Model::load(Path::new("tests/models/refund-only.toml")).unwrap();
    let t = table(&m, "score");
    let row = |r: &str| {
        let c = t.find(r, t.columns.last().unwrap()).unwrap();
        costshare::output::render::plain(&c.value)
    };
    assert_eq!(row("Investment score"), "n/a");
    assert_eq!(row("ROI %"), "n/a");
    assert!(fig(&t, "NPV", t.columns.last().unwrap()) < dec!(-2_000_000));
    assert!(
        t.headline
            .contains("has no investment score (no costs paid"),
        "{}",
        t.headline
    );
    assert!(!t.headline.contains("per £1"), "{}", t.headline);
}

/// tests/models/late-cost.toml: £10,000 a year saved from 2030/31, a
/// £100,000 system bought in 2031/32. Cumulative net by hand: +10,000,
/// −80,000, −70,000, −60,000, −50,000: never back above zero once the
/// system is bought, so no payback (2030/31 was given, from its first
/// year's +10,000). With the saving at £30,000 a year: +30,000, −40,000,
/// −10,000, +20,000, +50,000: paid back in 2033/34, the year from which
/// it stays above zero.
#[test]
fn payback_is_the_year_from_which_the_case_stays_paid_back() {
    let m = Model::load(Path::new("tests/models/late-cost.toml")).unwrap();
    let t = table(&m, "score");
    let last = t.columns.last().unwrap().clone();
    let payback = |t: &costshare::base::table::Table| {
        costshare::output::render::plain(&t.find("Payback year", &last).unwrap().value)
    };
    assert_eq!(fig(&t, "2031/32", "Cumulative net"), dec!(-80000));
    assert_eq!(payback(&t), "none within window");
    let text = std::fs::read_to_string("tests/models/late-cost.toml")
        .unwrap()
        .replace(
            "net_saving_per_annum = 10000",
            "net_saving_per_annum = 30000",
        );
    let m = Model::parse(&text, Path::new("tests/models/late-cost.toml")).unwrap();
    assert_eq!(payback(&table(&m, "score")), "2033/34");
    // £10,000 a year, £30,000 bought in 2031/32 and 99.9964 % of 2032/33's
    // saving realised (£9,999.64): cumulative +10,000, −10,000, −0.36,
    // +9,999.64. Not paid back in 2032/33, and its −£0.36 is shown so,
    // not as "£0" beside a payback year of 2033/34.
    let text = std::fs::read_to_string("tests/models/late-cost.toml")
        .unwrap()
        .replace(
            "net_saving_per_annum = 10000",
            "net_saving_per_annum = 10000\nrealisation = { \"2032/33\" = 0.999964 }",
        )
        .replace("\"2031/32\" = 100000", "\"2031/32\" = 30000");
    let m = Model::parse(&text, Path::new("tests/models/late-cost.toml")).unwrap();
    let t = table(&m, "score");
    assert_eq!(fig(&t, "2032/33", "Cumulative net"), dec!(-0.36));
    let shown = |v: &costshare::base::table::Value| {
        costshare::output::render::display(v, Default::default())
    };
    assert_eq!(
        shown(&t.find("2032/33", "Cumulative net").unwrap().value),
        "(£0.36)"
    );
    assert_eq!(payback(&t), "2033/34");
}
