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
    /// The amount to split, e.g. 785394, "£785,394.00" or -1200 (a refund)
    #[arg(long, allow_hyphen_values = true)]
    total: String,
    #[arg(long, value_enum, default_value_t = Basis::Equal)]
    basis: Basis,
    /// Partner weights, e.g. ABC=253753,DEF=303926,GHI=403716 (with --basis weights)
    #[arg(long)]
    weights: Option<String>,
    /// Partners for equal shares, e.g. ABC,DEF,GHI
    #[arg(long)]
    partners: Option<String>,
    /// Rounding unit: a power of ten such as 1 (whole pounds), 0.01 (pence) or 1000
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
        Err(e) if [money::NEGATIVE_TWICE, money::ZERO_THOUSANDS].contains(&e.reason) => {
            return Err(Error::usage(format!("--total: {total:?}: {}", e.reason)));
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
                "--unit: {:?}; expected a power of ten such as 1 or 0.01",
                args.unit
            )));
        }
    };
    let ws = match (args.basis, &args.weights) {
        (Basis::Weights, Some(_)) if args.partners.is_some() => {
            return Err(Error::usage(
                "--basis weights names its partners in --weights; leave out --partners",
            ));
        }
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
            let names: Vec<String> = partners.split(',').map(|p| p.trim().to_string()).collect();
            if names.iter().any(String::is_empty) {
                return Err(Error::usage(format!(
                    "--partners {partners:?}: a blank name between commas; expected e.g. ABC,DEF,GHI"
                )));
            }
            // "ABC=253753" is a weight, not a name: shared equally, the
            // weights were dropped unsaid.
            if let Some(p) = names.iter().find(|p| p.contains('=')) {
                return Err(Error::usage(format!(
                    "--partners: {p:?} gives a weight; for shares by weight give --basis weights --weights {partners}"
                )));
            }
            if let Some((_, p)) = names.iter().enumerate().find(|(k, p)| {
                let fold = costshare::base::text::fold;
                names[..*k].iter().any(|n| fold(n) == fold(p))
            }) {
                return Err(Error::usage(format!(
                    "--partners: {p} is given twice (case aside, accents however written); each partner gets one share"
                )));
            }
            apportion::equal_weights(&names)
        }
    };
    let basis = match args.basis {
        Basis::Equal => "equal",
        Basis::Weights => "weights",
    };
    whole_units(amount, unit, total)?;
    let t = apportion::table(amount, &ws, unit, basis)?;
    let text = render::render(&t, args.format.into(), Default::default())?;
    emit(out, &text)?;
    Ok(Exit::Success)
}

/// The parts are whole units and add up to the total, so the total must be
/// whole units too: rounding it quietly would share out another figure.
fn whole_units(
    amount: rust_decimal::Decimal,
    unit: rust_decimal::Decimal,
    total: &str,
) -> costshare::Result<()> {
    // A unit that is no unit (3, 0) is refused by the apportioner.
    if !costshare::case::apportion::is_unit(unit) || (amount % unit).is_zero() {
        return Ok(());
    }
    let shown =
        |d: rust_decimal::Decimal| money::format_pounds(d, d.scale().max(2), Default::default());
    // The largest unit of pounds or pence that shares it exactly, if any
    // (a fraction of a penny has none: £100.005 was misquoted as £100.01,
    // and --unit 0.01 suggested though it was given).
    let fits = ["1000", "100", "10", "1", "0.01"]
        .iter()
        .map(|u| {
            u.parse::<rust_decimal::Decimal>()
                .unwrap_or(rust_decimal::Decimal::ONE)
        })
        .find(|u| (amount % u).is_zero() && *u < unit);
    let hint = match fits {
        Some(u) if u == rust_decimal::Decimal::ONE => "give --unit 1 (whole pounds)".to_string(),
        Some(u) if u == rust_decimal::Decimal::new(1, 2) => "give --unit 0.01 (pence)".to_string(),
        Some(u) => format!("give --unit {u}"),
        None => "no unit of a penny or more shares it: give the total to the penny".to_string(),
    };
    let hint = match fits {
        Some(_) => format!("{hint}, or the total rounded as you intend"),
        None => hint,
    };
    Err(Error::usage(format!(
        "--total {total:?} is not a whole number of the rounding unit ({}): parts of {} each could not add up to {}; \
         {hint}",
        shown(unit),
        shown(unit),
        shown(amount)
    )))
}
