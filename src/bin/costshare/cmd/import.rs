//! `costshare import`: every non-blank cell of a file with its origin.

use crate::Exit;
use crate::args::emit;
use clap::ValueEnum;
use costshare::input::import::{self, Grid};
use costshare::output::cells;
use std::io::Write;
use std::path::PathBuf;

/// Show what a spreadsheet or CSV file holds, cell by cell with its origin
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A .xlsx, .xlsm, .xls, .ods or .csv file
    file: PathBuf,
    /// Only this sheet
    #[arg(long)]
    sheet: Option<String>,
    #[arg(long, value_enum, default_value_t = ImportFormat::Csv)]
    format: ImportFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportFormat {
    Csv,
    Json,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let grids = import::read_file(&args.file, args.sheet.as_deref())?;
    for g in &grids {
        if let Some(why) = &g.refused {
            eprintln!("costshare: warning: {}: not read: {why}", g.place());
        }
    }
    match args.format {
        ImportFormat::Csv => {
            let text = cells::listing_csv(&grids)?;
            for w in cells::formulas_without_values(&grids) {
                eprintln!("costshare: warning: {w}");
            }
            emit(out, &text)?;
            grids.iter().for_each(report_rows);
        }
        ImportFormat::Json => emit(out, &cells::listing_json(&grids)?)?,
    }
    Ok(Exit::Success)
}

/// Says on standard error how many rows were read, used and set aside, and why.
fn report_rows(g: &Grid) {
    if g.hidden {
        eprintln!(
            "costshare: note: {} is a hidden sheet; read like any other",
            g.place()
        );
    }
    match import::Records::new(g) {
        Ok(r) => eprintln!("costshare: {}", r.accounting()),
        Err(_) => eprintln!("costshare: {}: empty", g.place()),
    }
}
