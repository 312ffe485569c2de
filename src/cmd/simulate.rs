use super::scenario::{default_file, load_case, load_files};
use crate::cli::emit;
use crate::error::Error;
use crate::money::Negatives;
use crate::report::{self, OutFormat};
use crate::simulate::{self, Range};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The ranges given, or those of the model's scenario file.
fn ranges(
    model: &Path,
    given: &[String],
    file: Option<&PathBuf>,
    pick: fn(&crate::scenario::ScenarioFile) -> &Vec<String>,
    flag: &str,
) -> crate::Result<(crate::scenario::Case, Vec<Range>)> {
    let (m, case) = load_case(model)?;
    let specs: Vec<String> = if !given.is_empty() {
        given.to_vec()
    } else {
        let f = file.cloned().or_else(|| default_file(model, &m));
        match f {
            Some(f) => load_files(&[f], &m)?
                .iter()
                .flat_map(|sf| pick(sf).clone())
                .collect(),
            None => Vec::new(),
        }
    };
    if specs.is_empty() {
        return Err(Error::usage(format!(
            "no ranges: give {flag} KEY=LOW..HIGH (e.g. {flag} savings.realisation=0.7..1) or a scenario file with them"
        )));
    }
    let rs = specs
        .iter()
        .map(|s| simulate::parse_range(&case, s))
        .collect::<crate::Result<Vec<_>>>()?;
    Ok((case, rs))
}

pub fn sensitivity(
    model: &Path,
    vary: &[String],
    file: Option<&PathBuf>,
    format: OutFormat,
    neg: Negatives,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let (case, rs) = ranges(model, vary, file, |sf| &sf.vary, "--vary")?;
    let t = simulate::sensitivity(&case, &rs)?;
    emit(out, &report::render(&t, format, neg))?;
    Ok(0)
}

#[allow(clippy::too_many_arguments)]
pub fn simulate(
    model: &Path,
    trials: usize,
    seed: u64,
    range: &[String],
    file: Option<&PathBuf>,
    format: OutFormat,
    neg: Negatives,
    quiet: bool,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    if trials == 0 {
        return Err(Error::usage("--trials must be at least 1"));
    }
    if trials > simulate::MAX_TRIALS {
        return Err(Error::usage(format!(
            "--trials {trials}: at most {} (percentiles are exact, so every trial is kept in memory)",
            simulate::MAX_TRIALS
        )));
    }
    let (case, rs) = ranges(model, range, file, |sf| &sf.ranges, "--range")?;
    let show = !quiet && trials >= 100_000 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |n: usize| {
        if show {
            eprint!(
                "\rcostshare: simulating… {:>3}% ({n} of {trials} trials)",
                n * 100 / trials
            );
        }
    };
    let o = simulate::simulate(&case, &rs, trials, seed, &mut progress)?;
    if show {
        eprintln!();
    }
    let t = simulate::outcome_table(&case, &rs, &o, seed)?;
    emit(out, &report::render(&t, format, neg))?;
    Ok(0)
}

/// Trials per second on a model: the speed benchmark (not a test).
pub fn bench(model: &Path, trials: usize, out: &mut dyn Write) -> crate::Result<i32> {
    if trials == 0 || trials > simulate::MAX_TRIALS {
        return Err(Error::usage(format!(
            "--trials {trials}: expected 1 to {}",
            simulate::MAX_TRIALS
        )));
    }
    let default_ranges = [
        "investment.Redundancy.2014/15=58500..234000..117000".to_string(),
        "savings.realisation=0.6..1.0..0.9".to_string(),
        "optimism_bias_pct=0..40".to_string(),
        "savings.slip_months=0..12".to_string(),
    ];
    let (case, rs) = ranges(model, &default_ranges, None, |sf| &sf.ranges, "--range")?;
    // Warm up, then time one run on one core.
    simulate::simulate(&case, &rs, trials.min(1000), 1, &mut |_| {})?;
    let start = Instant::now();
    let o = simulate::simulate(&case, &rs, trials, 42, &mut |_| {})?;
    let secs = start.elapsed().as_secs_f64();
    emit(
        out,
        &format!(
            "model: {}\ntrials: {}\nseconds: {:.3}\ntrials per second: {:.0}\nP50 NPV: {}\n",
            model.display(),
            o.trials,
            secs,
            o.trials as f64 / secs,
            simulate::percentile(&o.npv, 50)
                .map(|d| crate::money::format_pounds(d, 0, Default::default()))
                .unwrap_or_default()
        ),
    )?;
    Ok(0)
}
