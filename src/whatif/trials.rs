//! The simulation's trials, run on every core: each trial's NPV, score and
//! case total kept as ranges (`case::near_trial`), its signs and payback
//! year settled, and the figures a simulation shows worked exactly.
//!
//! How the shown figures stay exact:
//! - a percentile is the figure at a rank: every trial whose range could
//!   hold that rank is worked again exactly, from its block's seed, and the
//!   exact figures are ranked (those whose ranges lie wholly below are
//!   counted, not worked);
//! - a mean is the exact mean of the trials' exact figures, rounded half
//!   away from zero to the places shown (the pound; two places for the
//!   score), as the table would round it: the ranges' sums bound it, and
//!   when the bounds round apart every trial is worked exactly;
//! - a sign, a tolerance breach or a payback year too close to call sends
//!   that trial down the exact path.

use crate::base::bounded::Bounded;
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::case::near_trial::Kept;
use crate::whatif::draw::Range;
use crate::whatif::ranks::{self, Window};
use crate::whatif::scenario::{Case, Target};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Trials per block. Each block draws from a stream of its own (the seed and
/// the block's number), so the draws, and so the output, are the same
/// whatever the number of threads that share the blocks.
pub const BLOCK: usize = 4096;

pub use crate::whatif::ranks::PERCENTILES;
use crate::whatif::ranks::{exact_mean, rank};

/// A measure's percentiles and mean over the trials, exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The 10th, 50th and 90th percentiles (nearest rank).
    pub p: [Option<Decimal>; 3],
    /// The exact mean of the trials' figures (the score: of those with
    /// one), rounded half away from zero to the places shown (`Measure`);
    /// None when none has one.
    pub mean: Option<Decimal>,
}

impl Spread {
    /// The `q`th percentile, q one of `PERCENTILES`.
    pub fn at(&self, q: u32) -> Option<Decimal> {
        PERCENTILES
            .iter()
            .position(|&p| p == q)
            .and_then(|i| self.p[i])
    }
}

/// What a simulation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub trials: usize,
    pub npv: Spread,
    /// A trial with no costs has no score: it ranks above every score (its
    /// percentile is `Decimal::MAX`) and is left out of the mean.
    pub score: Spread,
    pub case_total: Spread,
    /// Trials by window index of payback; the last, `window`: none within it.
    pub payback: Vec<usize>,
    pub breaches: usize,
    /// Trials whose NPV is below zero.
    pub below_zero: usize,
    /// Trials in which each partner's own NPV is below zero (empty when the
    /// case has no partner's case: a net saving given whole).
    pub partner_worse: Vec<usize>,
    /// Each trial's NPV in floating point, in trial order: the chart's.
    pub npv_values: Vec<f64>,
}

impl Outcome {
    /// The `q`th percentile payback year's window index (nearest rank).
    pub fn payback_at(&self, q: u32) -> Option<usize> {
        let rank = rank(self.trials, q)?;
        let mut seen = 0;
        self.payback.iter().position(|&n| {
            seen += n;
            seen >= rank
        })
    }
}

/// One trial's figures as ranges: a score of none is +∞, exactly.
#[derive(Debug, Clone, Copy)]
struct Ranged {
    npv: Bounded,
    score: Bounded,
    total: Bounded,
}

const NO_SCORE: Bounded = Bounded {
    v: f64::INFINITY,
    e: 0.0,
};

impl Default for Ranged {
    fn default() -> Self {
        Ranged {
            npv: Bounded::ZERO,
            score: NO_SCORE,
            total: Bounded::ZERO,
        }
    }
}

/// The counts one thread keeps.
#[derive(Debug, Clone, Default)]
struct Tally {
    payback: Vec<usize>,
    breaches: usize,
    below_zero: usize,
    partner_worse: Vec<usize>,
    /// The exact figures of the trials worked exactly, by trial number
    /// (kept: a percentile or mean may ask for them again).
    known: Vec<(usize, Exact)>,
}

impl Tally {
    fn new(base: &Case) -> Tally {
        Tally {
            payback: vec![0; base.window + 1],
            partner_worse: vec![0; usize::from(has_partner_cases(base)) * base.partners.len()],
            ..Tally::default()
        }
    }

    fn add(&mut self, o: &Tally) {
        let sum =
            |a: &mut Vec<usize>, b: &Vec<usize>| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        sum(&mut self.payback, &o.payback);
        sum(&mut self.partner_worse, &o.partner_worse);
        self.breaches += o.breaches;
        self.below_zero += o.below_zero;
        self.known.extend_from_slice(&o.known);
    }

    /// A trial's settled facts: payback, breach, loss, partners worse off.
    fn count(
        &mut self,
        payback: Option<usize>,
        breach: bool,
        loss: bool,
        signs: &[Option<Ordering>],
    ) {
        let w = self.payback.len() - 1;
        self.payback[payback.unwrap_or(w).min(w)] += 1;
        self.breaches += usize::from(breach);
        self.below_zero += usize::from(loss);
        for (w, sign) in self.partner_worse.iter_mut().zip(signs) {
            *w += usize::from(*sign == Some(Ordering::Less));
        }
    }
}

/// Whether each partner's own case can be drawn: savings by partner.
fn has_partner_cases(c: &Case) -> bool {
    c.has_savings && c.net_given.is_none()
}

/// The seed of block `b`'s stream.
fn block_seed(seed: u64, b: usize) -> u64 {
    seed ^ (b as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03)
}

/// What every trial of a run shares.
struct Run<'a> {
    base: &'a Case,
    ranges: &'a [Range],
    seed: u64,
    /// The base case's tolerance maximum, unless a range draws it.
    max: Option<Decimal>,
    drawn_max: bool,
    partners: bool,
    /// The partners' costs, when no draw moves them: worked once.
    fixed: Option<Option<Vec<Decimal>>>,
}

impl<'a> Run<'a> {
    fn new(base: &'a Case, ranges: &'a [Range], seed: u64) -> Result<Run<'a>> {
        let fixed = match ranges.iter().any(|r| r.target.moves_partner_costs()) {
            true => None,
            false => Some(base.saving_costs()?),
        };
        Ok(Run {
            base,
            ranges,
            seed,
            max: base.tolerance_max(),
            drawn_max: ranges.iter().any(|r| r.target == Target::TolerancePct),
            partners: has_partner_cases(base),
            fixed,
        })
    }

    /// Calls `each` with the case of every trial of block `b` up to `last`
    /// (its position in the block) and the position.
    fn replay(
        &self,
        b: usize,
        last: usize,
        mut each: impl FnMut(&Case, usize) -> Result<()>,
    ) -> Result<()> {
        let mut rng = Rng::new(block_seed(self.seed, b));
        let mut work = self.base.clone();
        for pos in 0..=last {
            for r in self.ranges {
                let v = r.draw(&mut rng);
                work.apply(r.target, v);
            }
            each(&work, pos)?;
            // Put back what was drawn: cheaper than a copy of the case.
            for r in self.ranges {
                work.restore(self.base, r.target);
            }
        }
        Ok(())
    }

    /// The partners' costs of a trial's case: the ones worked once, when
    /// no draw moves them.
    fn costs(&self, work: &Case) -> Result<Cow<'_, Option<Vec<Decimal>>>> {
        match &self.fixed {
            Some(pc) => Ok(Cow::Borrowed(pc)),
            None => Ok(Cow::Owned(work.saving_costs()?)),
        }
    }

    /// Trial number `at`'s ranges, its settled facts counted in `tally`.
    fn trial(
        &self,
        (work, at): (&Case, usize),
        kept: &mut Kept,
        tally: &mut Tally,
    ) -> Result<Ranged> {
        let pc = self.costs(work)?;
        let pc = pc.as_deref();
        let max = match self.drawn_max {
            true => work.tolerance_max(),
            false => self.max,
        };
        let Some(near) = work.near_trial(self.partners, pc, kept) else {
            return self.exact_trial((work, at), pc, max, tally);
        };
        let breach = match max {
            Some(m) => near.total.minus(Bounded::of(m)).sign(),
            None => Some(Ordering::Less),
        };
        let loss = near.npv.sign();
        let (Some(breach), Some(loss)) = (breach, loss) else {
            return self.exact_trial((work, at), pc, max, tally);
        };
        tally.count(
            near.payback_idx,
            breach == Ordering::Greater,
            loss == Ordering::Less,
            near.partner_signs,
        );
        Ok(Ranged {
            npv: near.npv,
            score: near.score.unwrap_or(NO_SCORE),
            total: near.total,
        })
    }
}

impl Run<'_> {
    /// The trial worked exactly: its facts counted, its figures as ranges
    /// around the exact ones.
    fn exact_trial(
        &self,
        (work, at): (&Case, usize),
        pc: Option<&[Decimal]>,
        max: Option<Decimal>,
        tally: &mut Tally,
    ) -> Result<Ranged> {
        let t = work.trial_with(self.partners, pc)?;
        let s = t.summary;
        tally.count(
            s.payback_idx,
            max.is_some_and(|m| t.total > m),
            s.npv.is_sign_negative() && !s.npv.is_zero(),
            &t.partner_signs,
        );
        let exact = Exact {
            npv: s.npv,
            score: s.score.unwrap_or(Decimal::MAX),
            total: t.total,
        };
        tally.known.push((at, exact));
        Ok(Ranged {
            npv: Bounded::of(s.npv),
            score: s.score.map_or(NO_SCORE, Bounded::of),
            total: Bounded::of(t.total),
        })
    }

    /// The exact (NPV, score, case total) of each trial in `which`
    /// (ascending trial numbers), worked again from their blocks' seeds.
    fn exact(&self, which: &[usize]) -> Result<Vec<Exact>> {
        let mut out = Vec::with_capacity(which.len());
        let mut i = 0;
        while i < which.len() {
            let b = which[i] / BLOCK;
            let mine = which[i..].iter().take_while(|&&t| t / BLOCK == b).count();
            let want = &which[i..i + mine];
            let mut next = 0;
            self.replay(b, want[mine - 1] % BLOCK, |work, pos| {
                if want.get(next).is_some_and(|&t| t % BLOCK == pos) {
                    let pc = self.costs(work)?;
                    let s = work.trial_with(false, pc.as_deref())?;
                    out.push(Exact {
                        npv: s.summary.npv,
                        score: s.summary.score.unwrap_or(Decimal::MAX),
                        total: s.total,
                    });
                    next += 1;
                }
                Ok(())
            })?;
            i += mine;
        }
        Ok(out)
    }

    /// Adds to `known` (sorted by trial) the exact figures of the trials
    /// in `which` (ascending) it lacks, worked on two cores.
    fn fill(&self, known: &mut Vec<(usize, Exact)>, which: &[usize]) -> Result<()> {
        let has = |t: &&usize| known.binary_search_by_key(*t, |k| k.0).is_ok();
        let lack: Vec<usize> = which.iter().filter(|t| !has(t)).copied().collect();
        // Halves split at a block's start, so no block is replayed twice.
        let mut cut = lack.len() / 2;
        while cut > 0 && cut < lack.len() && lack[cut] / BLOCK == lack[cut - 1] / BLOCK {
            cut += 1;
        }
        let (a, b) = lack.split_at(cut.min(lack.len()));
        let (ea, eb) = std::thread::scope(|sc| {
            let other = sc.spawn(|| self.exact(b));
            let mine = self.exact(a);
            (
                mine,
                other
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            )
        });
        known.reserve_exact(lack.len());
        known.extend(lack.iter().copied().zip(ea?.into_iter().chain(eb?)));
        known.sort_unstable_by_key(|k| k.0);
        Ok(())
    }
}

/// A trial's exact figures; a score of none is `Decimal::MAX`.
#[derive(Debug, Clone, Copy)]
struct Exact {
    npv: Decimal,
    score: Decimal,
    total: Decimal,
}

/// The measures a simulation ranks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Measure {
    Npv,
    Score,
    Total,
}

impl Measure {
    fn ranged(self, r: &Ranged) -> Bounded {
        match self {
            Measure::Npv => r.npv,
            Measure::Score => r.score,
            Measure::Total => r.total,
        }
    }

    fn exact(self, e: &Exact) -> Decimal {
        match self {
            Measure::Npv => e.npv,
            Measure::Score => e.score,
            Measure::Total => e.total,
        }
    }

    /// Places of its mean, as the table shows it: the pound, or two for
    /// the score.
    fn places(self) -> u32 {
        match self {
            Measure::Score => 2,
            _ => 0,
        }
    }
}

/// Runs `trials` draws on `threads` threads, in blocks. `progress` is
/// called with the number done, now and then.
pub fn run(
    base: &Case,
    ranges: &[Range],
    (trials, seed): (usize, u64),
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Outcome> {
    let run = Run::new(base, ranges, seed)?;
    let mut found = vec![Ranged::default(); trials];
    let tally = run_blocks(&run, &mut found, threads, progress)?;
    progress(trials);
    outcome(&run, &found, tally)
}

/// What the trials found: the figures at the ranks and the means worked
/// exactly, beside the counts.
fn outcome(run: &Run, found: &[Ranged], mut tally: Tally) -> Result<Outcome> {
    let trials = found.len();
    let mut known = std::mem::take(&mut tally.known);
    known.sort_unstable_by_key(|k| k.0);
    let windows = windows(found);
    // The trials that could sit at a rank, worked exactly once for all
    // three measures.
    let mut need: Vec<usize> = windows.iter().flat_map(|w| w.candidates()).collect();
    need.sort_unstable();
    need.dedup();
    run.fill(&mut known, &need)?;
    let measures = [Measure::Npv, Measure::Score, Measure::Total];
    let mut means = [0, 1, 2].map(|i| windows[i].mean());
    if means.iter().any(Option::is_none) {
        // A mean the ranges leave in doubt: every trial worked exactly.
        run.fill(&mut known, &(0..trials).collect::<Vec<_>>())?;
        for (i, m) in measures.iter().enumerate() {
            let all = known.iter().map(|(_, e)| m.exact(e));
            means[i] = Some(exact_mean(all.filter(|d| *d != Decimal::MAX), m.places()));
        }
    }
    let spread = |i: usize| -> Result<Spread> {
        let m = measures[i];
        let exact = |t: usize| {
            let at = known.binary_search_by_key(&t, |k| k.0).ok();
            at.map(|j| m.exact(&known[j].1))
        };
        let p = windows[i].percentiles(&exact).ok_or_else(|| {
            Error::usage("the simulation's ranges did not hold a percentile: please report this")
        })?;
        Ok(Spread {
            p,
            mean: means[i].flatten(),
        })
    };
    Ok(Outcome {
        trials,
        npv: spread(0)?,
        score: spread(1)?,
        case_total: spread(2)?,
        payback: tally.payback,
        breaches: tally.breaches,
        below_zero: tally.below_zero,
        partner_worse: tally.partner_worse,
        npv_values: found.iter().map(|r| r.npv.v).collect(),
    })
}

/// Each measure's `ranks::Window`, the NPV's on another core.
fn windows(found: &[Ranged]) -> [Window; 3] {
    let window = |m: Measure| {
        let vals: Vec<Bounded> = found.iter().map(|r| m.ranged(r)).collect();
        ranks::window(&vals, m.places())
    };
    std::thread::scope(|sc| {
        let npv = sc.spawn(|| window(Measure::Npv));
        let rest = (window(Measure::Score), window(Measure::Total));
        let npv = npv.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        [npv, rest.0, rest.1]
    })
}

/// Fills `found` block by block, the blocks shared round the threads; the
/// counts of all, or the error of the first block that failed.
fn run_blocks(
    run: &Run,
    found: &mut [Ranged],
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Tally> {
    let blocks: Vec<(usize, &mut [Ranged])> = found.chunks_mut(BLOCK).enumerate().collect();
    let threads = threads.clamp(1, blocks.len().max(1));
    let mut shares: Vec<Vec<(usize, &mut [Ranged])>> = (0..threads).map(|_| Vec::new()).collect();
    for (b, slots) in blocks {
        shares[b % threads].push((b, slots));
    }
    let done = AtomicUsize::new(0);
    let results: Vec<std::result::Result<Tally, (usize, Error)>> = std::thread::scope(|sc| {
        let workers: Vec<_> = shares
            .into_iter()
            .map(|mine| {
                let done = &done;
                sc.spawn(move || run_share(run, mine, done))
            })
            .collect();
        let mut shown = 0;
        while workers.iter().any(|w| !w.is_finished()) {
            let now = done.load(Relaxed);
            if now != shown {
                progress(now);
                shown = now;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // A worker that panicked loses its blocks: said, never passed over.
        let lost = || {
            Err((
                0,
                Error::usage("the simulation stopped: a worker thread failed"),
            ))
        };
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| lost()))
            .collect()
    });
    let mut tally = Tally::new(run.base);
    let mut failed: Option<(usize, Error)> = None;
    for r in results {
        match r {
            Ok(t) => tally.add(&t),
            Err((b, e)) if failed.as_ref().is_none_or(|(first, _)| b < *first) => {
                failed = Some((b, e))
            }
            Err(_) => {}
        }
    }
    match failed {
        Some((_, e)) => Err(e),
        None => Ok(tally),
    }
}

/// One thread's blocks, in turn: their counts, or the first failure.
fn run_share(
    run: &Run,
    mine: Vec<(usize, &mut [Ranged])>,
    done: &AtomicUsize,
) -> std::result::Result<Tally, (usize, Error)> {
    let mut tally = Tally::new(run.base);
    let prep = run.fixed.as_ref().and_then(|_| run.base.shares_prep());
    let mut kept = Kept::new(prep);
    for (b, slots) in mine {
        let n = slots.len();
        run.replay(b, n - 1, |work, pos| {
            slots[pos] = run.trial((work, b * BLOCK + pos), &mut kept, &mut tally)?;
            Ok(())
        })
        .map_err(|e| (b, e))?;
        done.fetch_add(n, Relaxed);
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::draw::parse_range;
    use crate::whatif::ranks::percentile;
    use proptest::prelude::*;

    /// A model and the ranges drawn on it.
    fn setup(which: usize) -> (Case, Vec<Range>) {
        let (model, ranges): (&str, &[&str]) = match which {
            0 => (
                "models/planning-support.toml",
                &[
                    "investment.Redundancy.2014/15=58500..234000..117000",
                    "savings.realisation=0.6..1.0..0.9",
                    "optimism_bias_pct=0..40",
                    "savings.slip_months=0..12",
                ],
            ),
            1 => (
                "models/environmental-health.toml",
                &[
                    "savings.realisation=0.2..1.1",
                    "savings.slip_months=0..30",
                    "tolerance_pct=0..20",
                ],
            ),
            2 => (
                "tests/models/leaver.toml",
                &["savings.realisation=0.5..1.1", "optimism_bias_pct=0..60"],
            ),
            _ => (
                "models/mkip-programme.toml",
                &["savings.realisation=0.1..1.0", "discount_rate_pct=0..12"],
            ),
        };
        let base = Case::of_file(model);
        let ranges = ranges
            .iter()
            .map(|r| parse_range(&base, r).unwrap())
            .collect();
        (base, ranges)
    }

    /// The plain way: every trial worked exactly, the figures sorted and
    /// ranked, the means summed exactly.
    fn plain(base: &Case, ranges: &[Range], (trials, seed): (usize, u64)) -> Outcome {
        let run = Run::new(base, ranges, seed).unwrap();
        let (mut all, mut tally) = (Vec::new(), Tally::new(base));
        for b in 0..trials.div_ceil(BLOCK) {
            let n = BLOCK.min(trials - b * BLOCK);
            run.replay(b, n - 1, |work, _| {
                let pc = run.costs(work)?;
                let max = if run.drawn_max {
                    work.tolerance_max()
                } else {
                    run.max
                };
                let t = work.trial_with(run.partners, pc.as_deref())?;
                let npv = t.summary.npv;
                let loss = npv.is_sign_negative() && !npv.is_zero();
                let breach = max.is_some_and(|m| t.total > m);
                tally.count(t.summary.payback_idx, breach, loss, &t.partner_signs);
                let score = t.summary.score.unwrap_or(Decimal::MAX);
                all.push(Exact {
                    npv,
                    score,
                    total: t.total,
                });
                Ok(())
            })
            .unwrap();
        }
        let spread = |m: Measure| {
            let mut v: Vec<Decimal> = all.iter().map(|e| m.exact(e)).collect();
            v.sort_unstable_by(crate::whatif::ranks::in_full);
            let with = v.iter().copied().filter(|d| *d != Decimal::MAX);
            Spread {
                p: PERCENTILES.map(|q| percentile(&v, q)),
                mean: exact_mean(with, m.places()),
            }
        };
        Outcome {
            trials,
            npv: spread(Measure::Npv),
            score: spread(Measure::Score),
            case_total: spread(Measure::Total),
            payback: tally.payback,
            breaches: tally.breaches,
            below_zero: tally.below_zero,
            partner_worse: tally.partner_worse,
            npv_values: Vec::new(),
        }
    }

    fn fast(base: &Case, ranges: &[Range], trials: (usize, u64), threads: usize) -> Outcome {
        let mut o = run(base, ranges, trials, threads, &mut |_| {}).unwrap();
        o.npv_values.clear();
        o
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        /// The fast simulation's outcome is the plain one's, on one thread
        /// or two, over one block or more.
        #[test]
        fn fast_outcomes_are_the_plain_ones(seed in any::<u64>(), which in 0usize..4, trials in 1usize..6000) {
            let (base, ranges) = setup(which);
            let want = plain(&base, &ranges, (trials, seed));
            prop_assert_eq!(&fast(&base, &ranges, (trials, seed), 1), &want);
            prop_assert_eq!(&fast(&base, &ranges, (trials, seed), 2), &want);
        }
    }

    /// Ranges widened a hundred-billion-fold, so that percentiles meet
    /// many trials and the means' bounds round apart: the exact path
    /// gives the same figures.
    #[test]
    fn wide_ranges_give_the_same_figures() {
        for which in 0..4 {
            let (base, ranges) = setup(which);
            let run = Run::new(&base, &ranges, 9).unwrap();
            let mut found = vec![Ranged::default(); 5000];
            let tally = run_blocks(&run, &mut found, 2, &mut |_| {}).unwrap();
            let wide = |b: Bounded| Bounded {
                v: b.v,
                e: b.e * 1e11 + 1e-3,
            };
            let widened: Vec<Ranged> = found
                .iter()
                .map(|r| Ranged {
                    npv: wide(r.npv),
                    score: if r.score.v.is_infinite() {
                        r.score
                    } else {
                        wide(r.score)
                    },
                    total: wide(r.total),
                })
                .collect();
            let mut got = outcome(&run, &widened, tally).unwrap();
            got.npv_values.clear();
            assert_eq!(got, plain(&base, &ranges, (5000, 9)), "{which}");
        }
    }
}
