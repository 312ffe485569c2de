//! `costshare bench`: simulation speed, trials per second on every core. A
//! measurement to compare builds and machines, never a test
//! (scripts/bench-simulate.sh sets it beside numpy).

use crate::Exit;
use crate::args::emit;
use costshare::Error;
use costshare::base::money::format_pounds;
use costshare::whatif::{self, simulate};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Measure simulation speed (trials per second, every core)
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The business-case model whose case is simulated [default: the first
    /// model with an investment window in the models folder]
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Folder of business-case models (*.toml) [default: `models` in
    /// ./costshare.toml, or ./models]
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
    #[arg(long, default_value_t = 1_000_000)]
    trials: usize,
}

/// The first model of the models folder that has an investment window.
fn first_case(models: Option<&PathBuf>) -> costshare::Result<PathBuf> {
    let data = crate::args::DataArgs {
        data: None,
        models: models.cloned(),
    };
    let Some(dir) = data.resolve()?.models else {
        return Err(Error::usage(
            "no models folder here (./models, or `models` in ./costshare.toml): give --model FILE or --models DIR",
        ));
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| costshare::Error::Io {
            path: dir.display().to_string(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .find(|p| whatif::load_case(p).is_ok_and(|(_, c)| !c.items.is_empty()))
        .ok_or_else(|| {
            Error::usage(format!(
                "{}: no model with an investment window to simulate; give --model FILE",
                dir.display()
            ))
        })
}

/// Uncertain inputs any case has: its largest item's first amount (half to
/// double, most likely as budgeted), realisation, optimism bias and slip.
fn bench_ranges(case: &costshare::whatif::scenario::Case) -> Vec<String> {
    let mut v = vec![
        "savings.realisation=0.6..1.0..0.9".to_string(),
        "optimism_bias_pct=0..40".to_string(),
        "savings.slip_months=0..12".to_string(),
    ];
    let largest = case.items.iter().filter(|i| !i.central).max_by_key(|i| {
        i.amounts
            .iter()
            .map(|a| a.abs())
            .sum::<rust_decimal::Decimal>()
    });
    if let Some(item) = largest
        && let Some(t) = item.amounts.iter().position(|a| !a.is_zero())
        && t < case.window
    {
        let a = item.amounts[t];
        // The whole name is the one unique part, unless it holds what
        // separates a range. A refund (below zero) is halved and doubled
        // too, LOW the lesser; doubled past the largest amount, it is not.
        let two = rust_decimal::Decimal::TWO;
        let (low, high) = ((a / two).min(a * two), (a / two).max(a * two));
        let fits = high.abs().max(low.abs()) <= costshare::base::money::MAX_AMOUNT;
        if !item.name.contains('=') && !item.name.contains("..") && fits {
            let key = format!("investment.{}.{}", item.name, case.year(t));
            v.insert(0, format!("{key}={low}..{high}..{a}"));
        }
    }
    v
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let trials = args.trials;
    if trials == 0 || trials > simulate::MAX_TRIALS {
        return Err(Error::usage(format!(
            "--trials {trials}: expected 1 to {}",
            simulate::MAX_TRIALS
        )));
    }
    let model = match &args.model {
        Some(m) => m.clone(),
        None => first_case(args.models.as_ref())?,
    };
    let (_, case) = whatif::load_case(&model)?;
    let ranges = bench_ranges(&case);
    let (case, rs) = whatif::ranges(&model, &ranges, None, |sf| &sf.ranges, "--range")?;
    // Warm up, then time one run on every core.
    simulate::simulate(&case, &rs, trials.min(1000), 1, &mut |_| {})?;
    let start = Instant::now();
    let o = simulate::simulate(&case, &rs, trials, 42, &mut |_| {})?;
    let secs = start.elapsed().as_secs_f64();
    let p50 = o
        .npv
        .at(50)
        .map(|d| format_pounds(d, 0, Default::default()))
        .unwrap_or_default();
    emit(
        out,
        &format!(
            "model: {}\ncores: {}\ntrials: {}\nseconds: {:.3}\ntrials per second: {:.0}\nP50 NPV: {p50}\n",
            model.display(),
            costshare::base::cores(),
            o.trials,
            secs,
            o.trials as f64 / secs,
        ),
    )?;
    Ok(Exit::Success)
}
