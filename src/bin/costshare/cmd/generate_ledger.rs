//! `costshare generate-ledger`: a realistic, deterministic ledger extract
//! with its map, budgets and targets, for trying `reconcile` and for
//! benchmarks.

use crate::Exit;
use crate::args::emit;
use costshare::base::money::{Negatives, format_pounds};
use costshare::ledger;
use rust_decimal::Decimal;
use std::io::Write;
use std::path::PathBuf;

/// Write a realistic, deterministic ledger extract with its map, budgets and targets
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Lines to write, at most 100,000,000 (about 6.5 GB)
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(..=100_000_000))]
    rows: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write ledger.csv, map.csv, budget.csv, targets.csv, accounts.csv,
    /// commitments.csv and profile.csv into
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write ledger.parquet
    #[arg(long)]
    parquet: bool,
    /// Overwrite those files when the folder already has them
    #[arg(long)]
    force: bool,
}

/// The files written into the folder.
const WRITTEN: [&str; 7] = [
    "ledger.csv",
    "map.csv",
    "budget.csv",
    "targets.csv",
    "accounts.csv",
    "commitments.csv",
    "profile.csv",
];

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let (dir, rows) = (&args.out, args.rows);
    // A folder of the user's own budgets was overwritten without a word.
    let there: Vec<&str> = WRITTEN
        .into_iter()
        .chain(["ledger.parquet"])
        .filter(|f| dir.join(f).exists())
        .collect();
    if !there.is_empty() && !args.force {
        return Err(costshare::Error::usage(format!(
            "{} already holds {}: give another folder, or --force to overwrite them",
            dir.display(),
            there.join(", ")
        )));
    }
    // An earlier run's Parquet left beside a new CSV would be another
    // ledger (`--actuals 'DIR/ledger.*'` read both).
    let old = dir.join("ledger.parquet");
    if !args.parquet && old.exists() {
        std::fs::remove_file(&old).map_err(|source| costshare::Error::Io {
            path: old.display().to_string(),
            source,
        })?;
        eprintln!(
            "costshare: removed {}: an earlier run's, not written by this one",
            old.display()
        );
    }
    let show = rows >= 1_000_000;
    let g = ledger::generate(dir, rows, args.seed, &mut |n| {
        if show {
            eprint!("\rcostshare: generating… {n} of {rows} lines");
        }
    })?;
    if show {
        eprintln!();
    }
    if args.parquet {
        write_parquet(dir, out)?;
    }
    let total = Decimal::from_i128_with_scale(g.total_pence, 2);
    emit(
        out,
        &format!(
            "wrote {}/ledger.csv ({} lines, total {}), map.csv, budget.csv, targets.csv, accounts.csv, commitments.csv, profile.csv\n",
            dir.display(),
            g.rows,
            format_pounds(total, 2, Negatives::Minus)
        ),
    )?;
    Ok(Exit::Success)
}

#[cfg(feature = "parquet")]
fn write_parquet(dir: &std::path::Path, out: &mut dyn Write) -> costshare::Result<()> {
    ledger::parquet::write_from_csv(&dir.join("ledger.csv"), &dir.join("ledger.parquet"))?;
    emit(out, &format!("wrote {}/ledger.parquet\n", dir.display()))
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(_: &std::path::Path, _: &mut dyn Write) -> costshare::Result<()> {
    Err(costshare::Error::usage(
        "--parquet needs costshare built with the parquet feature (the default)",
    ))
}
