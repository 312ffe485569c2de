//! `costshare sensitivity`: each input swung alone, a tornado table.

use crate::Exit;
use crate::args::{Format, NegativesArg, emit};
use costshare::output::render;
use costshare::whatif::{self, simulate};
use std::io::Write;
use std::path::PathBuf;

/// Swing each input alone between LOW and HIGH: a tornado table of NPV and score
#[derive(clap::Args, Debug)]
pub struct Args {
    model: PathBuf,
    /// KEY=LOW..HIGH (repeatable); default: [sensitivity] of the model's scenario file
    #[arg(long, value_name = "KEY=LOW..HIGH")]
    vary: Vec<String>,
    /// Scenario file to take the ranges from
    #[arg(long = "scenario", value_name = "FILE")]
    scenario: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    #[command(flatten)]
    negatives: NegativesArg,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let file = args.scenario.as_deref();
    let (case, rs) = whatif::ranges(&args.model, &args.vary, file, |sf| &sf.vary, "--vary")?;
    let t = simulate::sensitivity(&case, &rs)?;
    emit(
        out,
        &render::render(&t, args.format.into(), args.negatives.get())?,
    )?;
    Ok(Exit::Success)
}
