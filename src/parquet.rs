//! General-ledger extracts in Parquet, read with polars (feature `parquet`).
//!
//! Only the three columns needed are read. Amounts become integer pence at
//! once: text as the CSV reader parses it, integers as whole pounds, floats
//! through their shortest round-trip text (a float that is not a whole
//! number of pence is refused, never rounded). Totals are kept in i64 pence,
//! not in polars' Decimal type, which is still marked unstable.

use crate::error::{Error, Result};
use crate::ledger::{BadLine, Columns, LedgerTotals, MAX_BAD_SHOWN, parse_pence};
use polars::prelude::*;
use std::path::Path;

fn polars_err(path: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Table {
        place: path.display().to_string(),
        message: format!("not a readable Parquet ledger: {e}"),
    }
}

/// Pence from a float amount, exactly or not at all.
fn float_pence(f: f64) -> std::result::Result<i64, &'static str> {
    let d = crate::money::decimal_from_f64(f).ok_or("not a finite number")?;
    parse_pence(d.to_string().as_bytes())
}

pub fn read(path: &Path, cols: &Columns) -> Result<LedgerTotals> {
    let err = polars_err(path);
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let df = ParquetReader::new(file).finish().map_err(&err)?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let find = |want: &str| -> Result<String> {
        names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(want))
            .cloned()
            .ok_or_else(|| Error::MissingColumn {
                place: path.display().to_string(),
                column: want.to_string(),
                found: names.clone(),
            })
    };
    let (a_name, c_name, m_name) = (
        find(&cols.authority)?,
        find(&cols.cost_centre)?,
        find(&cols.amount)?,
    );
    let text = |name: &str| -> Result<StringChunked> {
        let c = df.column(name).map_err(&err)?;
        let c = c.cast(&DataType::String).map_err(&err)?;
        Ok(c.str().map_err(&err)?.clone())
    };
    let (auth, cc) = (text(&a_name)?, text(&c_name)?);
    let amount_col = df.column(&m_name).map_err(&err)?;
    let amounts: Vec<std::result::Result<i64, String>> = match amount_col.dtype() {
        DataType::Float32 | DataType::Float64 => {
            let c = amount_col.cast(&DataType::Float64).map_err(&err)?;
            c.f64()
                .map_err(&err)?
                .iter()
                .map(|v| match v {
                    Some(f) => float_pence(f).map_err(|w| format!("amount {f}: {w}")),
                    None => Err("no amount".into()),
                })
                .collect()
        }
        dt if dt.is_integer() => {
            let c = amount_col.cast(&DataType::Int64).map_err(&err)?;
            c.i64()
                .map_err(&err)?
                .iter()
                .map(|v| match v {
                    Some(i) => i
                        .checked_mul(100)
                        .ok_or_else(|| format!("amount {i}: too large")),
                    None => Err("no amount".into()),
                })
                .collect()
        }
        _ => {
            let c = amount_col.cast(&DataType::String).map_err(&err)?;
            c.str()
                .map_err(&err)?
                .iter()
                .map(|v| match v {
                    Some(s) => parse_pence(s.as_bytes()).map_err(|w| format!("amount {s:?}: {w}")),
                    None => Err("no amount".into()),
                })
                .collect()
        }
    };
    let mut out = LedgerTotals::default();
    for (i, ((a, c), m)) in auth.iter().zip(cc.iter()).zip(amounts).enumerate() {
        let record = i as u64 + 1;
        let bad = |out: &mut LedgerTotals, reason: String| {
            out.bad += 1;
            if out.bad_lines.len() < MAX_BAD_SHOWN {
                out.bad_lines.push(BadLine {
                    line: record,
                    reason,
                });
            }
        };
        let pence = match m {
            Ok(p) => p,
            Err(why) => {
                bad(&mut out, why);
                continue;
            }
        };
        let (Some(a), Some(c)) = (
            a.map(str::trim).filter(|s| !s.is_empty()),
            c.map(str::trim).filter(|s| !s.is_empty()),
        ) else {
            bad(&mut out, "no authority or no cost centre".into());
            continue;
        };
        *out.totals
            .entry((a.to_string(), c.to_string()))
            .or_insert(0) += pence;
        out.rows += 1;
        out.total_pence += pence as i128;
    }
    Ok(out)
}

/// Writes a ledger CSV's three key columns and its amounts (as text, exact)
/// to Parquet: for tests and `generate-ledger --parquet`.
pub fn write_from_csv(csv_path: &Path, out: &Path) -> Result<u64> {
    let mut rdr = csv::Reader::from_path(csv_path).map_err(|e| Error::Table {
        place: csv_path.display().to_string(),
        message: e.to_string(),
    })?;
    let (mut a, mut c, mut m, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rdr.records() {
        let r = r.map_err(|e| Error::Table {
            place: csv_path.display().to_string(),
            message: e.to_string(),
        })?;
        d.push(r.get(0).unwrap_or("").to_string());
        a.push(r.get(1).unwrap_or("").to_string());
        c.push(r.get(2).unwrap_or("").to_string());
        m.push(r.get(5).unwrap_or("").to_string());
    }
    let n = a.len() as u64;
    let err = polars_err(out);
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("date".into(), d),
        Column::new("authority".into(), a),
        Column::new("cost_centre".into(), c),
        Column::new("amount".into(), m),
    ])
    .map_err(&err)?;
    let f = std::fs::File::create(out).map_err(|source| Error::Write {
        path: out.display().to_string(),
        source,
    })?;
    ParquetWriter::new(f).finish(&mut df).map_err(&err)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_amounts_are_exact_or_refused() {
        assert_eq!(float_pence(1234.56), Ok(123456));
        assert_eq!(float_pence(-0.1), Ok(-10));
        assert!(float_pence(0.125).is_err());
        assert!(float_pence(f64::NAN).is_err());
    }
}
