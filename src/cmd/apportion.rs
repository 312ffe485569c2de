use crate::apportion;
use crate::cli::{ApportionBasis, emit};
use crate::error::Error;
use crate::money::{self, Amount, Money};
use crate::report::{self, OutFormat};
use crate::table::{Cell, Table, Value};
use rust_decimal::Decimal;
use std::io::Write;

/// "MBC=253753,SBC=303926" → [(MBC, 253753), …], in the order given.
pub fn parse_weights(s: &str) -> crate::Result<Vec<(String, Decimal)>> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, w) = part.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "--weights: {part:?} is not NAME=WEIGHT (e.g. MBC=253753)"
            ))
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::usage(format!(
                "--weights: {part:?} has no partner name"
            )));
        }
        if out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Err(Error::usage(format!(
                "--weights: partner {name} is given twice"
            )));
        }
        let w = w.trim().trim_end_matches('%');
        let d = match money::parse_amount(w) {
            Ok(Amount::Value(d)) => d,
            _ => {
                return Err(Error::usage(format!(
                    "--weights: the weight of {name} is {w:?}; expected a number such as 40 or 253,753"
                )));
            }
        };
        out.push((name.to_string(), d));
    }
    if out.is_empty() {
        return Err(Error::usage(
            "--weights: no partners given; expected e.g. MBC=40,SBC=30,TWBC=30",
        ));
    }
    Ok(out)
}

pub fn run(
    total: &str,
    basis: ApportionBasis,
    weights: Option<&str>,
    partners: &str,
    unit: &str,
    format: OutFormat,
    out: &mut dyn Write,
) -> crate::Result<i32> {
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
    let unit_d = match money::parse_amount(unit) {
        Ok(Amount::Value(d)) => d,
        _ => {
            return Err(Error::usage(format!(
                "--unit: {unit:?}; expected 1 or 0.01"
            )));
        }
    };
    let ws = match (basis, weights) {
        (ApportionBasis::Weights, Some(w)) => parse_weights(w)?,
        (ApportionBasis::Weights, None) => {
            return Err(Error::usage("--basis weights needs --weights A=x,B=y,…"));
        }
        (ApportionBasis::Equal, Some(_)) => {
            return Err(Error::usage(
                "--basis equal takes --partners, not --weights",
            ));
        }
        (ApportionBasis::Equal, None) => {
            let names: Vec<String> = partners
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            apportion::equal_weights(&names)
        }
    };
    let parts = apportion::apportion(amount, &ws, unit_d)
        .map_err(|e| Error::usage(format!("cannot apportion: {e}")))?;
    let dp = unit_d.normalize().scale();
    let mut t = Table::new(
        "apportionment",
        format!(
            "Apportionment of {} ({} basis)",
            Money(amount),
            match basis {
                ApportionBasis::Equal => "equal",
                ApportionBasis::Weights => "weights",
            }
        ),
        &["Partner", "Weight", "Share %", "Exact share", "Apportioned"],
        1,
    );
    let wsum: Decimal = ws.iter().map(|(_, w)| *w).sum();
    let rule = format!("largest remainder to units of {}", unit_d.normalize());
    for p in &parts {
        t.push(vec![
            Cell::label(&p.partner),
            Cell::rule(Value::num(p.weight, p.weight.scale()), "given"),
            Cell::rule(
                Value::pct(p.weight * Decimal::ONE_HUNDRED / wsum, 2),
                "weight / sum of weights",
            ),
            Cell::rule(Value::num(p.exact, 6), "amount × weight / sum of weights"),
            Cell::rule(Value::money_dp(Money(p.rounded), dp), &rule),
        ]);
    }
    let sum: Decimal = parts.iter().map(|p| p.rounded).sum();
    t.push_total(vec![
        Cell::label("Total"),
        Cell::rule(Value::num(wsum, wsum.scale()), "sum"),
        Cell::rule(Value::pct(Decimal::ONE_HUNDRED, 2), "all"),
        Cell::rule(Value::num(amount, 6), "given"),
        Cell::rule(Value::money_dp(Money(sum), dp), "sum of the parts"),
    ]);
    emit(out, &report::render(&t, format, Default::default()))?;
    Ok(0)
}
