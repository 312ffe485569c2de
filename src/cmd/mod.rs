//! One file per subcommand, as xsv does; `run` dispatches.

mod apportion;
mod check;
mod import;
pub mod reconcile;
mod report;
mod scenario;
mod simulate;
mod table;

use crate::cli::Command;
use std::io::Write;

/// Runs a subcommand; the exit code for success (0, or 1 for
/// `check --strict` with findings). Errors exit 2 in `cli::main`.
pub fn run(cmd: Command, out: &mut dyn Write) -> crate::Result<i32> {
    match cmd {
        Command::Import {
            file,
            sheet,
            format,
        } => import::run(&file, sheet.as_deref(), format, out),
        Command::Table {
            name,
            model,
            format,
            negatives,
            data,
        } => table::run(
            &name,
            model.as_deref(),
            format,
            negatives.into(),
            &data,
            out,
        ),
        Command::Report {
            data,
            out: dir,
            only,
            format,
            negatives,
        } => report::run(&data, &dir, only.as_deref(), &format, negatives.into(), out),
        Command::Apportion {
            total,
            basis,
            weights,
            partners,
            unit,
            format,
        } => apportion::run(
            &total,
            basis,
            weights.as_deref(),
            &partners,
            &unit,
            format,
            out,
        ),
        Command::Scenario {
            model,
            set,
            scenario,
            format,
            negatives,
        } => scenario::run(&model, &set, &scenario, format, negatives.into(), out),
        Command::Sensitivity {
            model,
            vary,
            scenario,
            format,
            negatives,
        } => simulate::sensitivity(
            &model,
            &vary,
            scenario.as_ref(),
            format,
            negatives.into(),
            out,
        ),
        Command::Simulate {
            model,
            trials,
            seed,
            range,
            scenario,
            format,
            negatives,
            quiet,
        } => simulate::simulate(
            &model,
            trials,
            seed,
            &range,
            scenario.as_ref(),
            format,
            negatives.into(),
            quiet,
            out,
        ),
        Command::Bench { model, trials } => simulate::bench(&model, trials, out),
        Command::Reconcile(args) => reconcile::run(&args, out),
        Command::GenerateLedger {
            rows,
            seed,
            out: dir,
            parquet,
        } => reconcile::generate(&dir, rows, seed, parquet, out),
        Command::Check {
            strict,
            format,
            data,
        } => check::run(strict, format, &data, out),
    }
}
