//! `costshare bench`: simulation speed, trials per second on one core. A
//! measurement to compare builds and machines, never a test.

use crate::Exit;
use crate::args::emit;
use costshare::Error;
use costshare::base::money::format_pounds;
use costshare::whatif::{self, simulate};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Measure simulation speed (trials per second, one core)
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value = "models/planning-support.toml")]
    model: PathBuf,
    #[arg(long, default_value_t = 1_000_000)]
    trials: usize,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let trials = args.trials;
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
    let (case, rs) = whatif::ranges(
        &args.model,
        &default_ranges,
        None,
        |sf| &sf.ranges,
        "--range",
    )?;
    // Warm up, then time one run on one core.
    simulate::simulate(&case, &rs, trials.min(1000), 1, &mut |_| {})?;
    let start = Instant::now();
    let o = simulate::simulate(&case, &rs, trials, 42, &mut |_| {})?;
    let secs = start.elapsed().as_secs_f64();
    let p50 = simulate::percentile(&o.npv, 50)
        .map(|d| format_pounds(d, 0, Default::default()))
        .unwrap_or_default();
    emit(
        out,
        &format!(
            "model: {}\ntrials: {}\nseconds: {:.3}\ntrials per second: {:.0}\nP50 NPV: {p50}\n",
            args.model.display(),
            o.trials,
            secs,
            o.trials as f64 / secs,
        ),
    )?;
    Ok(Exit::Success)
}
