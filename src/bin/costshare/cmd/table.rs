//! `costshare table NAME`: one table, recomputed from its inputs.

use crate::Exit;
use crate::args::{DataArgs, Format, NegativesArg, emit};
use costshare::Error;
use costshare::input::source::Source;
use costshare::output::render;
use costshare::tables::{self, annual};
use std::io::Write;
use std::path::PathBuf;

/// Print one table, recomputed from its inputs
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Tables: budget-breakdown, budget-headline, staff, savings-programme, \
performance-summary, national-picture (annual report); investment, savings, apportionment, \
contributions, pathfinder-budget, score, partners, partners-by-year, true-up (models; `score` \
without --model is the overall score of the models folder)."
)]
pub struct Args {
    /// Table name, e.g. budget-breakdown
    name: String,
    /// Business-case model for model tables
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    #[command(flatten)]
    negatives: NegativesArg,
    #[command(flatten)]
    data: DataArgs,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let name = args.name.as_str();
    let table = if annual::TABLES.contains(&name) {
        if let Some(m) = &args.model {
            return Err(Error::usage(format!(
                "table {name} comes from the annual report data (--data), not from a model; drop --model {}",
                m.display()
            )));
        }
        let data = args.data.resolve()?.data.ok_or_else(|| {
            Error::usage(format!(
                "table {name} needs annual-report data: give --data FILE or set data in costshare.toml"
            ))
        })?;
        let inputs = annual::AnnualInputs::load(&Source::open(&data)?)?;
        for w in inputs.set_aside_notes() {
            eprintln!("costshare: {w}");
        }
        inputs.table(name).ok_or_else(|| {
            // A known table whose sheet this data has not got.
            let sheet = match name {
                "staff" => "staff",
                "savings-programme" => "savings",
                "performance-summary" => "performance",
                _ => "national",
            };
            let has: Vec<String> = inputs.tables().into_iter().map(|t| t.name).collect();
            Error::usage(format!(
                "{}: no {sheet} sheet, so no {name} table; this data has {}",
                data.display(),
                has.join(", ")
            ))
        })?
    } else if tables::TABLES.contains(&name) {
        let models = args
            .data
            .resolve()?
            .models
            .unwrap_or_else(|| "models".into());
        tables::model_table(name, args.model.as_deref(), &models)?
    } else {
        return Err(Error::usage(format!(
            "unknown table {name:?}; expected one of {}",
            tables::known()
        )));
    };
    emit(
        out,
        &render::render(&table, args.format.into(), args.negatives.get())?,
    )?;
    Ok(Exit::Success)
}
