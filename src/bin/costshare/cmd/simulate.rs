//! `costshare simulate`: a seeded simulation of the case's uncertain inputs.

use crate::Exit;
use crate::args::{Format, NegativesArg, emit};
use costshare::Error;
use costshare::output::render;
use costshare::whatif::{self, simulate};
use std::io::Write;
use std::path::PathBuf;

/// Seeded simulation: downside, median and upside of NPV, score and payback; the chance of a tolerance breach, of NPV below zero and of each partner being worse off
#[derive(clap::Args, Debug)]
pub struct Args {
    model: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    trials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// KEY=LOW..HIGH (uniform) or KEY=LOW..HIGH..MODE (triangular), repeatable;
    /// default: [simulation] of the model's scenario file
    #[arg(long, value_name = "KEY=LOW..HIGH[..MODE]")]
    range: Vec<String>,
    /// Scenario file to take the ranges from
    #[arg(long = "scenario", value_name = "FILE")]
    scenario: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    #[command(flatten)]
    negatives: NegativesArg,
    /// No progress on standard error
    #[arg(long)]
    quiet: bool,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let trials = args.trials;
    if trials == 0 {
        return Err(Error::usage("--trials must be at least 1"));
    }
    if trials > simulate::MAX_TRIALS {
        return Err(Error::usage(format!(
            "--trials {trials}: at most {} (percentiles are exact, so every trial is kept in memory)",
            simulate::MAX_TRIALS
        )));
    }
    let file = args.scenario.as_deref();
    let (case, rs) = whatif::ranges(&args.model, &args.range, file, |sf| &sf.ranges, "--range")?;
    let show =
        !args.quiet && trials >= 100_000 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |n: usize| {
        if show {
            eprint!(
                "\rcostshare: simulating… {:>3}% ({n} of {trials} trials)",
                n * 100 / trials
            );
        }
    };
    let o = simulate::simulate(&case, &rs, trials, args.seed, &mut progress)?;
    if show {
        eprintln!();
    }
    let t = simulate::outcome_table(&case, &rs, &o, args.seed)?;
    emit(
        out,
        &render::render(&t, args.format.into(), args.negatives.get())?,
    )?;
    Ok(Exit::Success)
}
