//! `costshare apportion`: split an amount between partners exactly.

use crate::Exit;
use crate::args::{Format, emit};
use clap::ValueEnum;
use costshare::Error;
use costshare::base::money::{self, Amount};
use costshare::case::apportion;
use costshare::output::render;
use std::io::Write;

/// Split an amount between partners exactly, rounded by largest remainder
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  costshare apportion --total 785394 --partners ABC,DEF,GHI\n  costshare apportion --total 785394 --basis weights \\\n      --weights ABC=253753,DEF=303926,GHI=403716"
)]
pub struct Args {
    /// The amount to split, e.g. 785394 or "£785,394.00"
    #[arg(long)]
    total: String,
    #[arg(long, value_enum, default_value_t = Basis::Equal)]
    basis: Basis,
    /// Partner weights, e.g. ABC=253753,DEF=303926,GHI=403716 (with --basis weights)
    #[arg(long)]
    weights: Option<String>,
    /// Partners for equal shares, e.g. ABC,DEF,GHI
    #[arg(long)]
    partners: Option<String>,
    /// Rounding unit: 1 (whole pounds) or 0.01 (pence)
    #[arg(long, default_value = "1")]
    unit: String,
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Basis {
    /// Equal shares
    Equal,
    /// Shares in proportion to --weights (baseline budgets, populations, percentages…)
    Weights,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let total = &args.total;
    let amount = match money::parse_amount(total) {
        Ok(Amount::Value(d)) => d,
        Err(e) if e.reason.starts_with("too large") => {
            return Err(Error::usage(format!("--total: {total:?} is {}", e.reason)));
        }
        _ => {
            return Err(Error::usage(format!(
                "--total: {total:?} is not an amount; expected e.g. 785394 or £785,394.00"
            )));
        }
    };
    let unit = match money::parse_amount(&args.unit) {
        Ok(Amount::Value(d)) => d,
        _ => {
            return Err(Error::usage(format!(
                "--unit: {:?}; expected 1 or 0.01",
                args.unit
            )));
        }
    };
    let ws = match (args.basis, &args.weights) {
        (Basis::Weights, Some(w)) => apportion::parse_weights(w)?,
        (Basis::Weights, None) => {
            return Err(Error::usage("--basis weights needs --weights A=x,B=y,…"));
        }
        (Basis::Equal, Some(_)) => {
            return Err(Error::usage(
                "--basis equal takes --partners, not --weights",
            ));
        }
        (Basis::Equal, None) => {
            let Some(partners) = &args.partners else {
                return Err(Error::usage(
                    "--basis equal needs --partners, e.g. --partners ABC,DEF,GHI",
                ));
            };
            let names: Vec<String> = partners
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            apportion::equal_weights(&names)
        }
    };
    let basis = match args.basis {
        Basis::Equal => "equal",
        Basis::Weights => "weights",
    };
    let t = apportion::table(amount, &ws, unit, basis)?;
    let text = render::render(&t, args.format.into(), Default::default())?;
    emit(out, &text)?;
    Ok(Exit::Success)
}
