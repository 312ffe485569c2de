//! Sensitivity (one input swung at a time: a tornado table) and seeded
//! simulation (inputs drawn uniform or triangular: P10/P50/P90 of NPV, score
//! and payback, and the chance of breaching the cost tolerance).
//!
//! The ranges and their draws are `whatif::draw`'s; the trials are run, and
//! the figures shown worked exactly, by `whatif::trials`.

/// Most trials one run may draw: every trial's measures are kept as ranges
/// for exact percentiles, about 100 bytes each, and up to about 220 when
/// every trial must be worked exactly (a range that moves no figure makes
/// every trial tie), so this bounds memory near 200 MB, 450 MB at worst.
pub const MAX_TRIALS: usize = 2_000_000;

use crate::base::chart::{Chart, Histogram, Plot, Tornado};
use crate::base::error::Result;
use crate::base::money::{self, Money};
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::case::score;
use crate::whatif::scenario::{Case, Figures, Target};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub use crate::whatif::draw::{Range, Rng, parse_range};

fn npv_and_score(c: &Case) -> Result<(Decimal, Option<Decimal>)> {
    let inputs = c.score_inputs()?;
    let r = score::evaluate(&inputs);
    Ok((r.npv, r.score))
}

/// The value of a range's input at which NPV crosses zero (its Green Book
/// switching value); None when NPV keeps its sign near the range.
fn switching_value(base: &Case, r: &Range) -> Result<Option<Decimal>> {
    crossing(base, r, &|c| Ok(npv_and_score(c)?.0))
}

/// The value of a range's input at which the case total reaches the cost
/// tolerance maximum (the switching value for the tolerance); None when the
/// case has no tolerance or the input does not move the total there.
fn tolerance_switch(base: &Case, r: &Range) -> Result<Option<Decimal>> {
    if base.tolerance_max().is_none() {
        return Ok(None);
    }
    // Zero or more while within tolerance; a penny over is a breach.
    crossing(base, r, &|c| {
        let room = c.tolerance_max().unwrap_or_default() - c.case_total();
        Ok(if room.is_zero() {
            Decimal::new(1, 6)
        } else {
            room
        })
    })
}

/// Where `f` (of the case with the range's input set) changes sign,
/// searched over ten times the range either side within what the input
/// may be, then halved to a penny (or 1e-6).
fn crossing(
    base: &Case,
    r: &Range,
    f: &dyn Fn(&Case) -> Result<Decimal>,
) -> Result<Option<Decimal>> {
    let npv = |v: Decimal| -> Result<Decimal> {
        let mut c = base.clone();
        c.apply(r.target, v);
        f(&c)
    };
    let w = (r.high - r.low).abs();
    let a = (r.low.min(r.high) - w * Decimal::TEN).max(r.target.least());
    let b = (r.low.max(r.high) + w * Decimal::TEN).min(r.target.most());
    const STEPS: u32 = 40;
    let step = (b - a) / Decimal::from(STEPS);
    if step.is_zero() {
        return Ok(None);
    }
    let (mut x0, mut f0) = (a, npv(a)?);
    for k in 1..=STEPS {
        let x1 = if k == STEPS {
            b
        } else {
            a + step * Decimal::from(k)
        };
        let f1 = npv(x1)?;
        if f0.is_zero() {
            return Ok(Some(x0));
        }
        if f0.is_sign_negative() != f1.is_sign_negative() {
            // Halve the bracket until it is finer than a penny or 1e-6.
            let (mut lo, mut hi, mut flo) = (x0, x1, f0);
            for _ in 0..60 {
                let mid = (lo + hi) / Decimal::TWO;
                let fm = npv(mid)?;
                if fm.is_sign_negative() == flo.is_sign_negative() {
                    (lo, flo) = (mid, fm);
                } else {
                    hi = mid;
                }
            }
            let dp = if r.target.is_money() { 2 } else { 6 };
            return Ok(Some(crate::base::money::round_dp(
                (lo + hi) / Decimal::TWO,
                dp,
            )));
        }
        (x0, f0) = (x1, f1);
    }
    Ok(None)
}

/// One input swung alone: NPV and score at each end, its switching values.
struct Swing<'r> {
    range: &'r Range,
    low: (Decimal, Option<Decimal>),
    high: (Decimal, Option<Decimal>),
    npv_zero: Option<Decimal>,
    breach: Option<Decimal>,
    /// Whether the input moves the case total at all.
    moves_costs: bool,
}

fn swing<'r>(base: &Case, r: &'r Range) -> Result<Swing<'r>> {
    let at = |v: Decimal| {
        let mut c = base.clone();
        c.apply(r.target, v);
        c
    };
    let (lo, hi) = (at(r.low), at(r.high));
    Ok(Swing {
        range: r,
        low: npv_and_score(&lo)?,
        high: npv_and_score(&hi)?,
        npv_zero: switching_value(base, r)?,
        breach: tolerance_switch(base, r)?,
        moves_costs: lo.case_total() != base.case_total() || hi.case_total() != base.case_total(),
    })
}

fn swing_row(base: &Case, w: &Swing) -> Vec<Cell> {
    let r = w.range;
    let m = |d: Decimal| Value::money(Money(d));
    let sc = |s: Option<Decimal>| s.map(|v| Value::num(v, 2)).unwrap_or(Value::na("n/a"));
    // Inputs that are not money: shown to at most two places (the figure
    // behind keeps its precision).
    let plain = |d: Decimal| {
        let d = d.normalize();
        if r.target.is_money() {
            Value::money(Money(d))
        } else if r.target.is_percent() {
            Value::pct(d, d.scale().min(1))
        } else if r.target.is_fraction() {
            let p = (d * Decimal::ONE_HUNDRED).normalize();
            Value::pct(p, p.scale().min(1))
        } else {
            Value::num(d, d.scale().min(2))
        }
    };
    let zero = match w.npv_zero {
        Some(v) => Cell::rule(plain(v), "the input's switching value: NPV is zero there"),
        None => Cell::rule(
            Value::na("not near"),
            "NPV keeps its sign within ten ranges either side",
        ),
    };
    let breach = match (w.breach, base.tolerance_max().is_some()) {
        (Some(v), _) => Cell::rule(
            plain(v),
            "the case total reaches the tolerance maximum there",
        ),
        (None, true) if !w.moves_costs => Cell::rule(
            Value::na("no effect on costs"),
            "the case total is the same at either end of the range",
        ),
        (None, true) => Cell::rule(
            Value::na("not near"),
            "the case total stays on one side of the tolerance maximum within ten ranges either side",
        ),
        (None, false) => Cell::rule(Value::na("no tolerance"), "the case sets no cost tolerance"),
    };
    vec![
        Cell::label(crate::whatif::keys::label_with_unit(&r.key)),
        Cell::rule(plain(r.low), "given"),
        Cell::rule(plain(r.high), "given"),
        Cell::rule(m(w.low.0), "NPV with this input at its low value"),
        Cell::rule(m(w.high.0), "NPV with this input at its high value"),
        Cell::rule(m((w.high.0 - w.low.0).abs()), "|NPV at high − NPV at low|"),
        Cell::rule(sc(w.low.1), "score at low"),
        Cell::rule(sc(w.high.1), "score at high"),
        zero,
        breach,
    ]
}

/// Each range swung alone, ordered by its effect on NPV.
pub fn sensitivity(base: &Case, ranges: &[Range]) -> Result<Table> {
    let (bnpv, bscore) = npv_and_score(base)?;
    let mut rows = ranges
        .iter()
        .map(|r| swing(base, r))
        .collect::<Result<Vec<_>>>()?;
    rows.sort_by_key(|w| std::cmp::Reverse((w.high.0 - w.low.0).abs()));
    let cols = [
        "Input",
        "Low",
        "High",
        "NPV at low",
        "NPV at high",
        "NPV swing",
        "Score at low",
        "Score at high",
        "NPV zero at",
        "Tolerance reached at",
    ];
    let mut t = Table::new(
        "sensitivity",
        format!("{}: sensitivity (tornado)", base.name),
        &cols,
        1,
    );
    let m = |d: Decimal| Value::money(Money(d));
    let sc = |s: Option<Decimal>| s.map(|v| Value::num(v, 2)).unwrap_or(Value::na("n/a"));
    let e = Cell::empty;
    t.push_total(vec![
        Cell::label("Base case"),
        e(),
        e(),
        Cell::rule(m(bnpv), "base"),
        Cell::rule(m(bnpv), "base"),
        e(),
        Cell::rule(sc(bscore), "base"),
        Cell::rule(sc(bscore), "base"),
        e(),
        e(),
    ]);
    for w in &rows {
        t.push(swing_row(base, w));
    }
    let still = |w: &&Swing| w.high.0 == w.low.0;
    match rows.first() {
        Some(w) if !still(&w) => {
            t.headline = format!(
                "NPV is most sensitive to {}: it moves by {} across its range (base NPV {}).",
                crate::whatif::keys::label(&w.range.key),
                money::format_pounds((w.high.0 - w.low.0).abs(), 0, Default::default()),
                money::format_pounds(bnpv, 0, Default::default())
            );
        }
        Some(_) => t.headline = "No input tested moves the NPV across its range.".into(),
        None => {}
    }
    // An input that moves nothing (a population while the basis is the
    // baseline) is said, not left to read as a finding.
    let idle: Vec<String> = rows
        .iter()
        .filter(still)
        .map(|w| crate::whatif::keys::label(&w.range.key))
        .collect();
    if !idle.is_empty() {
        t.notes.push(format!(
            "NPV does not move with {} over the range tested: check the case uses it (a population while the basis is the baseline moves nothing).",
            crate::base::text::and_list(&idle.iter().map(String::as_str).collect::<Vec<_>>())
        ));
    }
    if let Some(n) = beyond_note(&rows) {
        t.notes.push(n);
    }
    let far = |name: &str| {
        let Some(c) = t.columns.iter().position(|h| h == name) else {
            return false;
        };
        t.rows.iter().any(
            |r| matches!(&r.cells[c].value, Value::NotApplicable { label } if label == "not near"),
        )
    };
    if far("NPV zero at") || far("Tolerance reached at") {
        t.notes.push("\"Not near\": NPV (or the case total) stays on the same side of zero (of the tolerance maximum) however far the input moves, to ten times its range either side.".into());
    }
    t.notes.push("NPVs are shown to the pound; each swing is worked from the unrounded NPVs, so it may differ by £1 from the difference of the two shown.".into());
    t.charts.push(tornado_chart(&t, &base.name, base.window));
    Ok(t)
}

/// Switching values outside their input's range, said for what they are:
/// how far the input would have to go, beyond anything tested; a share
/// realised above 100% cannot happen.
fn beyond_note(rows: &[Swing]) -> Option<String> {
    let mut out = Vec::new();
    for w in rows {
        let Some(v) = w.npv_zero else { continue };
        let r = w.range;
        if v >= r.low && v <= r.high {
            continue;
        }
        let label = crate::whatif::keys::label(&r.key);
        // As the table shows it: 172.3%, 36.7%, £882,868, 29.64 months.
        let places = if r.target.is_fraction() {
            3
        } else if r.target.is_percent() {
            1
        } else {
            2
        };
        let shown = crate::whatif::scenario::shown(
            Some(r.target),
            &r.key,
            &v.round_dp(places).normalize().to_string(),
        );
        out.push(if r.target.is_fraction() && v > Decimal::ONE {
            format!("{label} would have to be {shown}, more than all of it: NPV stays below zero even if every saving is realised")
        } else if v < r.low {
            format!("{label} would have to fall to {shown}")
        } else {
            format!("{label} would have to reach {shown}")
        });
    }
    (!out.is_empty()).then(|| {
        format!(
            "Switching values outside the range tested: for NPV to reach zero, {}.",
            crate::base::text::and_list(&out.iter().map(String::as_str).collect::<Vec<_>>())
        )
    })
}

pub use crate::whatif::trials::{Outcome, Spread};

/// Whether a range draws the cost tolerance.
fn draws_tolerance(ranges: &[Range]) -> bool {
    ranges.iter().any(|r| r.target == Target::TolerancePct)
}

/// Runs `trials` draws on every core, in blocks. `progress` is called with
/// the number done, now and then.
pub fn simulate(
    base: &Case,
    ranges: &[Range],
    trials: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome> {
    let cores = crate::base::cores();
    simulate_on(base, ranges, (trials, seed), cores, progress)
}

/// As `simulate`, on `threads` threads: the outcome is the same for any.
pub fn simulate_on(
    base: &Case,
    ranges: &[Range],
    (trials, seed): (usize, u64),
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome> {
    // Every draw within the ranges' largest values keeps the figures in
    // range (the trials themselves are not checked).
    let mut extreme = base.clone();
    for r in ranges {
        let v = if r.low.abs() > r.high.abs() {
            r.low
        } else {
            r.high
        };
        extreme.apply(r.target, v);
    }
    extreme.check_magnitude()?;
    crate::whatif::trials::run(base, ranges, (trials, seed), threads, progress)
}

pub fn outcome_table(base: &Case, ranges: &[Range], o: &Outcome, seed: u64) -> Result<Table> {
    let bf = base.figures()?;
    // Each column reads one way for every measure: the downside is the low
    // NPV and score but the high case total and the late payback.
    let cols = [
        "Measure",
        "Base case",
        "Downside (1 in 10)",
        "Median",
        "Upside (1 in 10)",
        "Mean",
    ];
    let title = format!(
        "{}: simulation of {} trials",
        base.name,
        crate::base::money::group_thousands(Decimal::from(o.trials), 0)
    );
    let mut t = Table::new("simulation", title, &cols, 1);
    let m = |d: Decimal| Value::money(Money(d));
    let mean = |v: &Spread| v.mean.map(m).unwrap_or(Value::Empty);
    t.push(percentile_row(
        "NPV",
        m(bf.score.npv),
        &o.npv,
        &m,
        mean(&o.npv),
        Better::Higher,
    ));
    t.push(score_row(&bf, &o.score));
    let total = m(bf.case_total);
    t.push(percentile_row(
        "Case total",
        total,
        &o.case_total,
        &m,
        mean(&o.case_total),
        Better::Lower,
    ));
    t.push(payback_row(base, &bf, o));
    let prob = if o.trials == 0 {
        Decimal::ZERO
    } else {
        Decimal::from(o.breaches * 100) / Decimal::from(o.trials)
    };
    let tolerance = bf.tolerance_max.is_some() || draws_tolerance(ranges);
    if tolerance {
        t.push(breach_row(&bf, prob));
    }
    t.push(loss_row(&bf, o));
    partner_rows(&mut t, base, &bf, o)?;
    t.headline = outcome_headline(o, tolerance.then_some(prob));
    if let Some(n) = base_outside(&bf, o) {
        t.notes.push(n);
    }
    for r in ranges {
        // In the input's own terms: £58,500, 40%, 60% (of 0.6), 12 months.
        let v = |d: Decimal| {
            crate::whatif::scenario::shown(Some(r.target), &r.key, &d.normalize().to_string())
        };
        let label = crate::whatif::keys::label(&r.key);
        let idle = match moves_nothing(base, r)? {
            true => {
                "; it moves no figure of this case (is it used? a population while the basis is the baseline is not)"
            }
            false => "",
        };
        let drawn = match r.mode {
            Some(m) => format!(
                "{label}: drawn from a triangular distribution from {} to {}, most likely {}",
                v(r.low),
                v(r.high),
                v(m)
            ),
            None => format!(
                "{label}: drawn uniformly from {} to {}",
                v(r.low),
                v(r.high)
            ),
        };
        t.notes.push(format!("{drawn}{idle}"));
    }
    t.notes.push(format!(
        "The draws are repeatable: run again with seed {seed}, the simulation gives the same figures."
    ));
    t.charts
        .push(distribution_chart(&base.name, base.window, o, bf.score.npv));
    Ok(t)
}

/// Whether a range moves no figure from the base case's, at its ends and
/// its most likely value: the appraisal (NPV, score, payback), the case
/// total, the tolerance and each partner's own NPV (a setting the case
/// does not use). Comparing the ends with each other said a range of one
/// value (0.5..0.5), or a partner's weight, moved nothing.
fn moves_nothing(base: &Case, r: &Range) -> Result<bool> {
    type Seen = (
        score::ScoreResult,
        Decimal,
        Option<Decimal>,
        Option<Vec<Option<Decimal>>>,
    );
    let of = |c: &Case| -> Result<Seen> {
        let r = score::evaluate(&c.score_inputs()?);
        let total = c.case_total();
        Ok((r, total, c.tolerance_max(), c.partner_npvs().ok()))
    };
    let b = of(base)?;
    for v in [Some(r.low), Some(r.high), r.mode].into_iter().flatten() {
        let mut c = base.clone();
        c.apply(r.target, v);
        if of(&c)? != b {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Why the base case can lie outside the simulated range, said when it does.
fn base_outside(bf: &Figures, o: &Outcome) -> Option<String> {
    let (lo, hi) = (o.npv.at(10)?, o.npv.at(90)?);
    let base = bf.score.npv;
    let side = if base > hi {
        "above the upside"
    } else if base < lo {
        "below the downside"
    } else {
        return None;
    };
    Some(format!(
        "The base case's NPV of {} is {side}: it takes every input at the business case's own figure, while the trials draw each input from the range below, around its most likely value.",
        money::format_pounds(base, 0, Default::default())
    ))
}

/// Which way a measure is better: the downside column holds its 10th
/// percentile when higher is better, its 90th when lower is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Better {
    Higher,
    Lower,
}

impl Better {
    /// The percentiles shown as downside, median and upside.
    fn percentiles(self) -> [u32; 3] {
        match self {
            Better::Higher => [10, 50, 90],
            Better::Lower => [90, 50, 10],
        }
    }
}

fn percentile_rule(q: u32) -> String {
    format!("{q}th percentile of the trials (nearest rank)")
}

/// The probability that each partner is worse off: its own NPV (its share
/// of the costs against its own saving) below zero.
fn partner_rows(t: &mut Table, base: &Case, bf: &Figures, o: &Outcome) -> Result<()> {
    for (i, worse) in o.partner_worse.iter().enumerate() {
        let p = &base.partners[i];
        if p.joins == crate::case::calc::NEVER {
            continue;
        }
        let Some(npv) = bf.partner_npv.get(i).copied().flatten() else {
            continue;
        };
        let prob = Decimal::from(worse * 100) / Decimal::from(o.trials.max(1));
        t.push(vec![
            Cell::label(format!("Probability that {} is worse off", p.name)),
            certain(
                npv.is_sign_negative() && !npv.is_zero(),
                "base case: 100% when its own NPV is below zero, else 0%",
            ),
            Cell::empty(),
            Cell::empty(),
            Cell::empty(),
            Cell::rule(
                Value::pct(prob, 1),
                format!(
                    "share of trials in which {}'s own NPV is below zero",
                    p.name
                ),
            ),
        ]);
    }
    Ok(())
}

/// A measure's base value, its P10, P50 and P90 over the trials shown by
/// `f`, and its mean.
fn percentile_row(
    label: &str,
    base: Value,
    v: &Spread,
    f: &dyn Fn(Decimal) -> Value,
    mean: Value,
    better: Better,
) -> Vec<Cell> {
    let p = |q: u32| Cell::rule(v.at(q).map(f).unwrap_or(Value::Empty), percentile_rule(q));
    let [down, mid, up] = better.percentiles();
    vec![
        Cell::label(label),
        Cell::rule(base, "base case"),
        p(down),
        p(mid),
        p(up),
        Cell::rule(mean, "mean of the trials, rounded to the pound"),
    ]
}

/// The investment score: a trial with no costs has none (kept as MAX so it
/// sorts last, shown n/a), and the mean is over the trials with one.
fn score_row(bf: &Figures, scores: &Spread) -> Vec<Cell> {
    let na = || Value::na("n/a");
    let sc = |d: Decimal| {
        if d == Decimal::MAX {
            na()
        } else {
            Value::num(d, 2)
        }
    };
    let base = bf.score.score.map(|s| Value::num(s, 2)).unwrap_or_else(na);
    let mean = scores.mean.map(|d| Value::num(d, 2)).unwrap_or_else(na);
    let mut row = percentile_row("Investment score", base, scores, &sc, mean, Better::Higher);
    row[5] = Cell::rule(
        row[5].value.clone(),
        "mean of the trials with costs, rounded to two places",
    );
    row
}

/// The payback year by window index; past the window there is none.
fn payback_row(base: &Case, bf: &Figures, o: &Outcome) -> Vec<Cell> {
    let py = |i: usize| {
        Value::text(if i >= base.window {
            "none within window".to_string()
        } else {
            base.year(i).to_string()
        })
    };
    let p = |q: u32| {
        Cell::rule(
            o.payback_at(q).map(py).unwrap_or(Value::Empty),
            percentile_rule(q),
        )
    };
    let text = Value::text(score::payback_text(bf.score.payback));
    // Later is worse: the downside is the 90th percentile.
    let [down, mid, up] = Better::Lower.percentiles();
    vec![
        Cell::label("Payback year"),
        Cell::rule(text, "base case"),
        p(down),
        p(mid),
        p(up),
        Cell::empty(),
    ]
}

fn breach_row(bf: &Figures, prob: Decimal) -> Vec<Cell> {
    vec![
        Cell::label("Probability of breaching the cost tolerance"),
        certain(
            bf.breach().is_some(),
            "base case: 100% when it breaches the tolerance, else 0%",
        ),
        Cell::empty(),
        Cell::empty(),
        Cell::empty(),
        Cell::rule(
            Value::pct(prob, 1),
            "share of trials whose case total exceeds the tolerance maximum",
        ),
    ]
}

/// The base case's probability of an event: it is one case, so the event
/// happens (100%) or not (0%), beside the share of trials in the mean column.
fn certain(happens: bool, rule: &str) -> Cell {
    let p = if happens {
        Decimal::ONE_HUNDRED
    } else {
        Decimal::ZERO
    };
    Cell::rule(Value::pct(p, 0), rule)
}

/// The probability that the case loses money: NPV below zero.
fn loss_row(bf: &Figures, o: &Outcome) -> Vec<Cell> {
    let p = below_zero(o);
    vec![
        Cell::label("Probability that NPV is below zero"),
        certain(
            bf.score.npv.is_sign_negative() && !bf.score.npv.is_zero(),
            "base case: 100% when its NPV is below zero, else 0%",
        ),
        Cell::empty(),
        Cell::empty(),
        Cell::empty(),
        Cell::rule(Value::pct(p, 1), "share of trials whose NPV is below zero"),
    ]
}

/// The NPV's spread, and the chance of a tolerance breach (`breach`), or
/// of a loss when the case sets no tolerance.
fn outcome_headline(o: &Outcome, breach: Option<Decimal>) -> String {
    let npv = |q: u32| {
        o.npv
            .at(q)
            .map(|d| money::format_pounds(d, 0, Default::default()))
            .unwrap_or_default()
    };
    let pct = |p: Decimal| money::format_percent(p, 1, Default::default());
    let chance = match breach {
        Some(p) => format!("the cost tolerance is breached in {} of trials", pct(p)),
        None => format!("the NPV is below zero in {} of trials", pct(below_zero(o))),
    };
    format!(
        "Across {} trials the NPV is {} at P10, {} at P50 and {} at P90; {chance}.",
        money::group_thousands(Decimal::from(o.trials), 0),
        npv(10),
        npv(50),
        npv(90),
    )
}

/// Each input's low and high NPV around the base case.
fn tornado_chart(t: &Table, case: &str, window: usize) -> Chart {
    let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
    let base = t.rows.first().map(|r| at(&r.cells[3].value)).unwrap_or(0.0);
    Chart {
        name: "tornado".into(),
        title: format!("{case}: sensitivity of NPV (tornado)"),
        x_label: format!(
            "Net present value over {} years",
            crate::base::text::count_word(window)
        ),
        y_label: "Input".into(),
        plot: Plot::Tornado(Tornado {
            labels: rows.iter().map(|r| t.row_key(r)).collect(),
            low: rows.iter().map(|r| at(&r.cells[3].value)).collect(),
            high: rows.iter().map(|r| at(&r.cells[4].value)).collect(),
            base,
        }),
    }
}

/// The share of trials (in percent units) whose NPV is below zero.
fn below_zero(o: &Outcome) -> Decimal {
    Decimal::from(o.below_zero * 100) / Decimal::from(o.trials.max(1))
}

/// The distribution of simulated NPVs with P10/P50/P90 marked.
fn distribution_chart(case: &str, window: usize, o: &Outcome, base: Decimal) -> Chart {
    let p = |q: u32| o.npv.at(q).and_then(|d| d.to_f64()).unwrap_or(0.0);
    Chart {
        name: "npv-distribution".into(),
        title: format!(
            "{case}: simulated NPV ({} trials)",
            crate::base::money::group_thousands(Decimal::from(o.trials), 0)
        ),
        x_label: format!(
            "Net present value over {} years",
            crate::base::text::count_word(window)
        ),
        y_label: "Number of trials".into(),
        plot: Plot::Histogram(Histogram {
            values: o.npv_values.clone(),
            bins: 40,
            markers: vec![
                ("P10".into(), p(10)),
                ("P50".into(), p(50)),
                ("P90".into(), p(90)),
            ],
            lines: vec![
                ("Base case".into(), base.to_f64().unwrap_or(0.0)),
                (
                    format!(
                        "Break-even ({} of trials below)",
                        money::format_percent(below_zero(o), 1, Default::default())
                    ),
                    0.0,
                ),
            ],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A draw of an input `moves_partner_costs` says leaves the partners'
    /// costs alone does leave them as they were (so a simulation works them
    /// once), for every kind of input; and the test sees a draw that does
    /// move them (the shared cost, a baseline by which it is apportioned,
    /// the operating bias).
    /// A range moves nothing only when no figure leaves the base case's:
    /// one of a single value away from the base moves NPV (it was said to
    /// move nothing, its ends being equal); a population while the costs
    /// are shared by baseline moves nothing; a weight moving only the
    /// partners' own NPVs moves them.
    #[test]
    fn a_range_moves_nothing_only_when_no_figure_moves() {
        let c = Case::of_file("models/planning-support.toml");
        let moves = |k: &str| !moves_nothing(&c, &parse_range(&c, k).unwrap()).unwrap();
        assert!(moves("savings.realisation=0.5..0.5"));
        assert!(moves("savings.realisation=0.5..1"));
        assert!(!moves("population.MBC=1..1000"));
        // A's and B's NPVs move with C's weight; NPV and the total do not.
        let path = std::env::temp_dir().join(format!("cs-zero-weight-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "name = \"Zero weight\"\npartners = [\"A\", \"B\", \"C\"]\nfirst_year = \"2030/31\"\n\
             window_years = 3\n[[investment]]\nitem = \"System\"\n\
             amounts = { \"2030/31\" = 90001, \"2031/32\" = 9000 }\n[savings]\n\
             shared_service_cost = 150000\nbaseline = { A = 80000, B = 80000, C = 50000 }\n\
             [apportionment]\nbasis = \"weights\"\nweights = { A = 1, B = 2, C = 0 }\n",
        )
        .unwrap();
        let c = Case::of_file(path.to_str().unwrap());
        let _ = std::fs::remove_file(&path);
        let moves = |k: &str| !moves_nothing(&c, &parse_range(&c, k).unwrap()).unwrap();
        assert!(moves("apportionment.weights.C=0..3"));
        // Inflation in a nominal case moves only the payback year (NPV is
        // the real terms' either way), and so moves a figure. By hand: at
        // 2% the first two years' savings are £49,900 × (1.02 + 1.02²) =
        // £102,814, over the £100,000 spent (paid back 2032/33); at 0.1%
        // at most £49,900 × (1.001 + 1.001²) = £99,950 (2033/34).
        let path = std::env::temp_dir().join(format!("cs-nominal-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "name = \"Nominal\"\npartners = [\"A\", \"B\"]\nfirst_year = \"2030/31\"\n\
             window_years = 4\n[[investment]]\nitem = \"System\"\namounts = { \"2030/31\" = 100000 }\n\
             [savings]\nnet_saving_per_annum = 49900\nstart_year = \"2031/32\"\n\
             [prices]\ninflation_pct = 2\nshown = \"nominal\"\n",
        )
        .unwrap();
        let c = Case::of_file(path.to_str().unwrap());
        let _ = std::fs::remove_file(&path);
        assert!(
            !moves_nothing(&c, &parse_range(&c, "prices.inflation_pct=0..0.1").unwrap()).unwrap()
        );
    }

    /// A drawn cost tolerance is each trial's own: with the redundancy
    /// drawn at £234,000 the case total is £312,700, over the base
    /// tolerance's £215,270 but within 100%'s £391,400 (the scenario
    /// table's figures), so no trial breaches; every trial did, against
    /// the base case's tolerance.
    #[test]
    fn a_drawn_tolerance_is_each_trials_own() {
        let c = Case::of_file("models/planning-support.toml");
        let run = |keys: &[&str]| {
            let ranges: Vec<Range> = keys.iter().map(|k| parse_range(&c, k).unwrap()).collect();
            simulate_on(&c, &ranges, (300, 7), 2, &mut |_| {})
                .unwrap()
                .breaches
        };
        assert_eq!(run(&["investment.Redundancy.2014/15=234000..234000"]), 300);
        let both = [
            "investment.Redundancy.2014/15=234000..234000",
            "tolerance_pct=100..100",
        ];
        assert_eq!(run(&both), 0);
    }

    #[test]
    fn inputs_said_not_to_move_partner_costs_do_not() {
        let keys: [(&str, &[&str]); 3] = [
            (
                "models/planning-support.toml",
                &[
                    "tolerance_pct=0..20",
                    "discount_rate_pct=0..10",
                    "optimism_bias_pct=0..40",
                    "optimism_bias.operating_pct=0..40",
                    "optimism_bias.duration_pct=0..40",
                    "optimism_bias.benefits_pct=0..20",
                    "prices.inflation_pct=0..5",
                    "prices.costs_index_pct=0..5",
                    "prices.savings_index_pct=0..5",
                    "savings.realisation=0.5..1",
                    "savings.slip_months=0..12",
                    "savings.shared_service_cost=700000..900000",
                    "savings.baseline.MBC=200000..300000",
                    "savings.already_budgeted.SBC=0..50000",
                    "savings.realisation.2015/16=0..1",
                    "investment.Redundancy.scale=0.5..2",
                    "investment.Redundancy.2014/15=0..300000",
                    "apportionment.weights.MBC=1..3",
                ],
            ),
            ("tests/models/bases.toml", &["population.A=1000..90000"]),
            (
                "models/mkip-programme.toml",
                &["savings.net_saving_per_annum=0..900000"],
            ),
        ];
        let mut moved = Vec::new();
        for (model, keys) in keys {
            let base = Case::of_file(model);
            for k in keys {
                let r = parse_range(&base, k).unwrap();
                let mut rng = crate::base::rng::Rng::new(5);
                for _ in 0..20 {
                    let mut work = base.clone();
                    work.apply(r.target, r.draw(&mut rng));
                    let same = work.saving_costs().unwrap() == base.saving_costs().unwrap();
                    assert!(same || r.target.moves_partner_costs(), "{model}: {k}");
                    if !same {
                        moved.push(k.split('=').next().unwrap());
                    }
                }
            }
        }
        for k in [
            "savings.shared_service_cost",
            "savings.baseline.MBC",
            "optimism_bias.operating_pct",
        ] {
            assert!(moved.contains(&k), "{k}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The simulation's fast partner NPVs are the plain ones to the
        /// last digit, for random draws of every kind of input the
        /// bundled simulations vary, in both bundled models with partner
        /// cases and in the test models of a late joiner and a leaver.
        #[test]
        fn fast_partner_npvs_are_the_plain_ones(seed in any::<u64>(), which in 0usize..4) {
            let shared = [
                "savings.realisation=0.5..1.1",
                "savings.slip_months=0..18",
                "optimism_bias_pct=0..60",
            ];
            let (model, ranges) = match which {
                0 => ("models/environmental-health.toml", shared),
                1 => ("models/planning-support.toml", [
                    "savings.realisation=0.5..1.1",
                    "savings.slip_months=0..18",
                    "investment.Redundancy.2014/15=0..300000",
                ]),
                // A late joiner paying a fee, and a leaver: the partners
                // sharing a year's costs change from year to year.
                2 => ("tests/models/joining-fee.toml", shared),
                _ => ("tests/models/leaver.toml", shared),
            };
            let base = Case::of_file(model);
            let ranges: Vec<Range> = ranges.iter().map(|r| parse_range(&base, r).unwrap()).collect();
            let mut rng = crate::base::rng::Rng::new(seed);
            let mut work = base.clone();
            for r in &ranges {
                let v = r.draw(&mut rng);
                work.apply(r.target, v);
            }
            prop_assert_eq!(work.partner_npvs().unwrap(), work.partner_npvs_plain().unwrap());
            // One trial's figures are the case's own, worked one by one.
            let trial = work.trial(true).unwrap();
            prop_assert_eq!(trial.summary, score::summarise(&work.score_inputs().unwrap()));
            prop_assert_eq!(trial.total, work.case_total());
            let signs: Vec<_> = work.partner_npvs().unwrap().iter()
                .map(|n| n.map(|n| n.cmp(&Decimal::ZERO)))
                .collect();
            prop_assert_eq!(trial.partner_signs, signs);
            // Putting back what was drawn gives the case drawn from.
            for r in &ranges {
                work.restore(&base, r.target);
            }
            prop_assert_eq!(&work, &base);
        }

        /// Every kind of input a range can vary is put back by `restore`,
        /// even one a draw scales (an item's every year) or creates (prices).
        #[test]
        fn restore_undoes_apply(seed in any::<u64>()) {
            let base = Case::of_file("models/planning-support.toml");
            let keys = [
                "tolerance_pct=0..20", "discount_rate_pct=0..10", "optimism_bias_pct=0..40",
                "savings.realisation=0.5..1", "savings.slip_months=0..12",
                "prices.inflation_pct=0..5", "prices.costs_index_pct=0..5",
                "investment.Redundancy.scale=0.5..2", "investment.Redundancy.2014/15=0..300000",
                "savings.baseline.MBC=200000..300000", "savings.already_budgeted.SBC=0..50000",
                "savings.shared_service_cost=700000..900000", "savings.realisation.2015/16=0..1",
                "apportionment.weights.MBC=1..3", "optimism_bias.benefits_pct=0..20",
            ];
            let mut rng = crate::base::rng::Rng::new(seed);
            let mut work = base.clone();
            for k in keys {
                let r = parse_range(&base, k).unwrap();
                let v = r.draw(&mut rng);
                work.apply(r.target, v);
                work.restore(&base, r.target);
                prop_assert_eq!(&work, &base, "{}", k);
            }
        }
    }
}
