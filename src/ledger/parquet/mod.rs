//! General-ledger extracts in Parquet, read with polars (feature `parquet`).
//!
//! Only the columns needed are read (three, and the date and account
//! when figures by month or account are asked for). Amounts become integer pence at
//! once: text as the CSV reader parses it, integers as whole pounds, floats
//! through their shortest round-trip text (a float that is not a whole
//! number of pence is refused, never rounded). Totals are kept in i64 pence,
//! not in polars' Decimal type, which is still marked unstable.

use crate::base::error::{Error, Result};
use crate::ledger::{
    BadLine, Columns, FileSummary, LedgerAmount, LedgerTotals, Sink, amount, header_key,
};
use polars::prelude::*;
use std::path::Path;
use std::sync::Arc;

mod check;
mod levels;
use check::check_footer;

fn polars_err(path: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Table {
        place: path.display().to_string(),
        message: format!("not a readable Parquet ledger: {e}"),
    }
}

/// Reads the needed columns of a Parquet ledger (and no others). A panic in
/// the Parquet reader on a damaged file is an error naming the file.
pub fn read(path: &Path, cols: &Columns, sink: Sink) -> Result<LedgerTotals> {
    // The columns polars will decode, by the names `read_inner` matches.
    let mut wanted = vec![&cols.authority, &cols.cost_centre, &cols.amount];
    wanted.extend([&cols.date, &cols.account].into_iter().flatten());
    let wanted: Vec<String> = wanted.into_iter().map(|c| header_key(c)).collect();
    check_footer(path, &|name| wanted.contains(&header_key(name)))?;
    crate::input::import::contained(path, "Parquet", || read_inner(path, cols, sink)).map_err(|e| {
        match e {
            Error::Workbook { path, message, .. } => Error::Table {
                place: path,
                message: format!("not a readable Parquet file: {message}"),
            },
            other => other,
        }
    })
}

fn read_inner(path: &Path, cols: &Columns, sink: Sink) -> Result<LedgerTotals> {
    let err = polars_err(path);
    let open = || {
        std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let schema = ParquetReader::new(open()?).schema().map_err(&err)?;
    let names: Vec<String> = schema.iter_names().map(|s| s.to_string()).collect();
    let find = |want: &str| -> Option<String> {
        let k = header_key(want);
        names.iter().find(|n| header_key(n) == k).cloned()
    };
    let missing = |want: &str| Error::MissingColumn {
        place: path.display().to_string(),
        column: want.to_string(),
        hint: String::new(),
        found: names.clone(),
    };
    let a_name = match &cols.fixed_authority {
        Some(_) => None,
        None => Some(find(&cols.authority).ok_or_else(|| missing(&cols.authority))?),
    };
    let c_name = find(&cols.cost_centre).ok_or_else(|| missing(&cols.cost_centre))?;
    let m_name = find(&cols.amount).ok_or_else(|| missing(&cols.amount))?;
    let optional = |c: &Option<String>| c.as_deref().map(|c| find(c).ok_or_else(|| missing(c)));
    let d_name = optional(&cols.date).transpose()?;
    let k_name = optional(&cols.account).transpose()?;
    let mut wanted: Vec<String> = vec![c_name.clone(), m_name.clone()];
    wanted.extend([&a_name, &d_name, &k_name].into_iter().flatten().cloned());
    let df = ParquetReader::new(open()?)
        .with_columns(Some(wanted))
        .finish()
        .map_err(&err)?;
    let text = |name: &str| -> Result<StringChunked> {
        let c = df.column(name).map_err(&err)?;
        let c = c.cast(&DataType::String).map_err(|e| Error::Table {
            place: format!("{}, column {name:?}", path.display()),
            message: format!("cannot be read as text: {e}"),
        })?;
        Ok(c.str().map_err(&err)?.clone())
    };
    let cc = text(&c_name)?;
    let auth = a_name.as_deref().map(text).transpose()?;
    // Dates as text: polars writes a Date as 2024-07-31, which the date
    // reader takes; period numbers as their digits.
    let dates = d_name.as_deref().map(text).transpose()?;
    let accounts = k_name.as_deref().map(text).transpose()?;
    let amounts = amounts(&df, &m_name, path)?;
    let place: Arc<str> = Arc::from(path.display().to_string());
    let texts = Texts {
        cc,
        auth,
        dates,
        accounts,
    };
    let mut out = records(&texts, amounts, cols, &place, sink)?;
    out.files.push(FileSummary {
        place: place.to_string(),
        read: out.rows + out.bad,
        lines: out.rows + out.bad,
        used: out.rows,
        set_aside: out.bad,
        pence: out.total_pence,
        sub_penny: out.total_sub_penny,
        ..Default::default()
    });
    Ok(out)
}

/// The text columns read: cost centre, and authority, date and account
/// when the file has them and they are wanted.
struct Texts {
    cc: StringChunked,
    auth: Option<StringChunked>,
    dates: Option<StringChunked>,
    accounts: Option<StringChunked>,
}

/// Adds each record, or sets it aside with its reason.
fn records(
    t: &Texts,
    amounts: Amounts,
    cols: &Columns,
    place: &Arc<str>,
    sink: Sink,
) -> Result<LedgerTotals> {
    let mut out = LedgerTotals::default();
    let fixed = cols.fixed_authority.clone().unwrap_or_default();
    let scale = cols.unit.unwrap_or(rust_decimal::Decimal::ONE);
    let dating = cols.dating();
    let mut bad = |out: &mut LedgerTotals, line, reason, pence| {
        let b = BadLine {
            place: place.clone(),
            unit: "record",
            line,
            reason,
            raw: String::new(),
            pence,
        };
        sink(&b)?;
        out.set_aside(b);
        Ok::<_, Error>(())
    };
    for (i, (c, m)) in t.cc.iter().zip(amounts).enumerate() {
        let record = i as u64 + 1;
        let a = match m.and_then(|a| crate::ledger::scaled(a, scale).map_err(str::to_string)) {
            Ok(a) => a,
            Err(why) => {
                bad(&mut out, record, why, None)?;
                continue;
            }
        };
        let authority = match &t.auth {
            Some(col) => col.get(i).unwrap_or("").trim().to_string(),
            None => fixed.clone(),
        };
        let key = (authority, c.unwrap_or("").trim().to_string());
        if t.dates.is_none() && t.accounts.is_none() {
            out.add(&key, a);
            continue;
        }
        let month = match &t.dates {
            Some(col) => dating.month(col.get(i).unwrap_or("").trim()),
            None => Ok(crate::base::date::Month(0)),
        };
        match month {
            Ok(month) => {
                let account = t.accounts.as_ref().and_then(|col| col.get(i));
                out.add_detail(&key, account.unwrap_or("").trim(), month, a);
            }
            Err(reason) => bad(&mut out, record, reason, Some(a.pence))?,
        }
    }
    Ok(out)
}

type Amounts = Vec<std::result::Result<LedgerAmount, String>>;

/// Each record's amount by the ledger amount rule: floats through their
/// shortest round-trip text, integers as whole pounds, decimals and text
/// exactly.
fn amounts(df: &DataFrame, name: &str, path: &Path) -> Result<Amounts> {
    let err = polars_err(path);
    let col = df.column(name).map_err(&err)?;
    let none = || Err("no amount".to_string());
    Ok(match col.dtype() {
        DataType::Float32 | DataType::Float64 => {
            let c = col.cast(&DataType::Float64).map_err(&err)?;
            c.f64()
                .map_err(&err)?
                .iter()
                .map(|v| match v.map(crate::base::money::decimal_from_f64) {
                    Some(Some(d)) => {
                        amount::from_decimal(d).map_err(|w| format!("amount {d}: {w}"))
                    }
                    Some(None) => Err("amount is not a finite number".into()),
                    None => none(),
                })
                .collect()
        }
        dt if dt.is_integer() => {
            let c = col.cast(&DataType::Int64).map_err(&err)?;
            c.i64()
                .map_err(&err)?
                .iter()
                .map(|v| match v {
                    Some(i) => amount::from_decimal(rust_decimal::Decimal::from(i))
                        .map_err(|w| format!("amount {i}: {w}")),
                    None => none(),
                })
                .collect()
        }
        _ => {
            let c = col.cast(&DataType::String).map_err(|e| Error::Table {
                place: format!("{}, column {name:?}", path.display()),
                message: format!("cannot be read as an amount: {e}"),
            })?;
            c.str()
                .map_err(&err)?
                .iter()
                .map(|v| match v {
                    Some(s) => {
                        amount::parse(s.as_bytes()).map_err(|w| format!("amount {s:?}: {w}"))
                    }
                    None => none(),
                })
                .collect()
        }
    })
}

/// Writes a generated ledger CSV's date, key and account columns and its amounts (as text, exact)
/// to Parquet: for tests and `generate-ledger --parquet`.
pub fn write_from_csv(csv_path: &Path, out: &Path) -> Result<u64> {
    let mut rdr = csv::Reader::from_path(csv_path).map_err(|e| Error::Table {
        place: csv_path.display().to_string(),
        message: e.to_string(),
    })?;
    let (mut a, mut c, mut m, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut k = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| Error::Table {
            place: csv_path.display().to_string(),
            message: e.to_string(),
        })?;
        d.push(r.get(0).unwrap_or("").to_string());
        a.push(r.get(1).unwrap_or("").to_string());
        c.push(r.get(2).unwrap_or("").to_string());
        k.push(r.get(3).unwrap_or("").to_string());
        m.push(r.get(5).unwrap_or("").to_string());
    }
    let n = a.len() as u64;
    let err = polars_err(out);
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("date".into(), d),
        Column::new("authority".into(), a),
        Column::new("cost_centre".into(), c),
        Column::new("account".into(), k),
        Column::new("amount".into(), m),
    ])
    .map_err(&err)?;
    let mut f = crate::base::atomic::Pending::create(out)?;
    ParquetWriter::new(&mut f).finish(&mut df).map_err(&err)?;
    f.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_amounts_follow_the_ledger_rule() {
        let f = |x: f64| {
            amount::from_decimal(crate::base::money::decimal_from_f64(x).unwrap()).unwrap()
        };
        assert_eq!(f(1234.56).pence, 123456);
        assert_eq!(f(-0.1).pence, -10);
        assert_eq!(
            (f(0.125).pence, f(0.125).sub_penny),
            (12, rust_decimal::Decimal::new(5, 3))
        );
        assert!(f(631.1899999999999).float_rendering);
    }
}
