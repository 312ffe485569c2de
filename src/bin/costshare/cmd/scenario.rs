//! `costshare scenario`: the base case beside what-if scenarios.

use crate::Exit;
use crate::args::{Format, NegativesArg, emit};
use costshare::output::render;
use costshare::whatif::{self, scenario};
use std::io::Write;
use std::path::PathBuf;

/// Compare the base case with what-if scenarios, side by side
#[derive(clap::Args, Debug)]
#[command(after_help = after_help())]
pub struct Args {
    /// The business-case model
    model: PathBuf,
    /// An override, KEY=VALUE (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// A scenario file of named override sets (repeatable)
    #[arg(long = "scenario", value_name = "FILE")]
    scenario: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    #[command(flatten)]
    negatives: NegativesArg,
}

fn after_help() -> String {
    format!(
        "Keys: {} (ITEM: a unique part of an item's name; P: a partner; YEAR: a financial year; \
see docs/scenario-keys.md).\n\n\
Without --set or --scenario, the scenarios in models/scenarios/<model>.toml are used.\n\n\
Example: costshare scenario models/my-case.toml --set investment.Training.2019/20=50000",
        costshare::whatif::keys::list()
    )
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let (m, base) = whatif::load_case(&args.model)?;
    let files: Vec<PathBuf> = if args.scenario.is_empty() && args.set.is_empty() {
        whatif::default_file(&args.model, &m).into_iter().collect()
    } else {
        args.scenario.clone()
    };
    let (mut scenarios, mut options) = (Vec::new(), Vec::new());
    for sf in whatif::load_files(&files, &m)? {
        scenarios.extend(sf.scenarios);
        options.extend(sf.options);
    }
    if !args.set.is_empty() {
        scenarios.push(scenario::Scenario {
            name: "With --set".into(),
            description: args.set.join(", "),
            set: scenario::parse_assignments(&args.set)?,
        });
    }
    let mut tables = vec![scenario::compare_named(&m.name, &base, &scenarios)?];
    // The options appraisal, when the scenario file holds [[option]]s.
    if !options.is_empty() {
        tables.push(whatif::options::options_table(&base, &options)?);
    }
    let text = tables
        .iter()
        .map(|t| render::render(t, args.format.into(), args.negatives.get()))
        .collect::<costshare::Result<Vec<_>>>()?
        .join("\n");
    emit(out, &text)?;
    Ok(Exit::Success)
}
