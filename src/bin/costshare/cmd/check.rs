//! `costshare check`: every published figure that differs from its
//! recomputation.

use crate::Exit;
use crate::args::{DataArgs, Format, emit};
use costshare::output::render;
use costshare::tables::check;
use std::io::Write;

/// List every published figure that differs from its recomputation
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Exit 1 when any published figure differs
    #[arg(long)]
    strict: bool,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    #[command(flatten)]
    data: DataArgs,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let inputs = args.data.resolve()?;
    let (rep, notes) = check::gather(inputs.data.as_deref(), inputs.models.as_deref())?;
    for w in notes {
        eprintln!("costshare: {w}");
    }
    let text = match args.format {
        Format::Json => render::json_text(&rep)?,
        Format::Csv => render::check_csv(&rep)?,
        Format::Md => render::check_markdown(&rep),
    };
    emit(out, &text)?;
    if !rep.findings.is_empty() {
        eprintln!(
            "costshare: {} of {} published figures differ from their recomputation",
            rep.findings.len(),
            rep.checked
        );
    }
    Ok(if args.strict && !rep.findings.is_empty() {
        Exit::Differences
    } else {
        Exit::Success
    })
}
