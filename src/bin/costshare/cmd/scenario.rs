//! `costshare scenario`: the base case beside what-if scenarios.

use crate::Exit;
use crate::args::{Format, NegativesArg, emit};
use costshare::output::render;
use costshare::whatif::{self, scenario};
use std::io::Write;
use std::path::PathBuf;

/// Compare the base case with what-if scenarios, side by side
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Keys: investment.ITEM.YEAR (ITEM: a unique part of the item's name), investment.ITEM.scale, \
optimism_bias_pct, apportionment.basis, apportionment.weights.P, apportionment.joins.P, population.P, savings.start_year, \
savings.realisation, savings.realisation.YEAR, savings.slip_months, savings.shared_service_cost[.P], savings.baseline.P, \
savings.already_budgeted.P, savings.net_saving_per_annum, tolerance_pct, discount_rate_pct.\n\n\
Without --set or --scenario, the scenarios in models/scenarios/<model>.toml are used.\n\n\
Example: costshare scenario models/planning-support.toml --set investment.Redundancy.2014/15=234000"
)]
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

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let (m, base) = whatif::load_case(&args.model)?;
    let files: Vec<PathBuf> = if args.scenario.is_empty() && args.set.is_empty() {
        whatif::default_file(&args.model, &m).into_iter().collect()
    } else {
        args.scenario.clone()
    };
    let mut scenarios: Vec<scenario::Scenario> = Vec::new();
    for sf in whatif::load_files(&files, &m)? {
        scenarios.extend(sf.scenarios);
    }
    if !args.set.is_empty() {
        scenarios.push(scenario::Scenario {
            name: "With --set".into(),
            description: args.set.join(", "),
            set: args
                .set
                .iter()
                .map(|s| scenario::parse_assignment(s))
                .collect::<costshare::Result<_>>()?,
        });
    }
    let t = scenario::compare_named(&m.name, &base, &scenarios)?;
    emit(
        out,
        &render::render(&t, args.format.into(), args.negatives.get())?,
    )?;
    Ok(Exit::Success)
}
