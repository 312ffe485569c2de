//! General-ledger extracts in Parquet, read with polars (feature `parquet`).
//!
//! Only the three columns needed are read. Amounts become integer pence at
//! once: text as the CSV reader parses it, integers as whole pounds, floats
//! through their shortest round-trip text (a float that is not a whole
//! number of pence is refused, never rounded). Totals are kept in i64 pence,
//! not in polars' Decimal type, which is still marked unstable.

use crate::error::{Error, Result};
use crate::ledger::{
    BadLine, Columns, FileSummary, LedgerAmount, LedgerTotals, Sink, amount, header_key,
};
use polars::prelude::*;
use std::path::Path;
use std::sync::Arc;

fn polars_err(path: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Table {
        place: path.display().to_string(),
        message: format!("not a readable Parquet ledger: {e}"),
    }
}

/// Reads the three columns of a Parquet ledger (and no others). A panic in
/// the Parquet reader on a damaged file is an error naming the file.
pub fn read(path: &Path, cols: &Columns, sink: Sink) -> Result<LedgerTotals> {
    check_footer(path)?;
    crate::import::contained(path, "Parquet", || read_inner(path, cols, sink)).map_err(
        |e| match e {
            Error::Workbook { path, message, .. } => Error::Table {
                place: path,
                message: format!("not a readable Parquet file: {message}"),
            },
            other => other,
        },
    )
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
        found: names.clone(),
    };
    let a_name = match &cols.fixed_authority {
        Some(_) => None,
        None => Some(find(&cols.authority).ok_or_else(|| missing(&cols.authority))?),
    };
    let c_name = find(&cols.cost_centre).ok_or_else(|| missing(&cols.cost_centre))?;
    let m_name = find(&cols.amount).ok_or_else(|| missing(&cols.amount))?;
    let mut wanted: Vec<String> = vec![c_name.clone(), m_name.clone()];
    wanted.extend(a_name.clone());
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
    let amounts = amounts(&df, &m_name, path)?;
    let place: Arc<str> = Arc::from(path.display().to_string());
    let mut out = LedgerTotals::default();
    let fixed = cols.fixed_authority.clone().unwrap_or_default();
    let scale = cols.unit.unwrap_or(rust_decimal::Decimal::ONE);
    for (i, (c, m)) in cc.iter().zip(amounts).enumerate() {
        let record = i as u64 + 1;
        let m = m.and_then(|a| crate::ledger::scaled(a, scale).map_err(str::to_string));
        let a = match m {
            Ok(a) => a,
            Err(why) => {
                let b = BadLine {
                    place: place.clone(),
                    unit: "record",
                    line: record,
                    reason: why,
                    raw: String::new(),
                    pence: None,
                };
                sink(&b)?;
                out.set_aside(b);
                continue;
            }
        };
        let authority = match &auth {
            Some(col) => col.get(i).unwrap_or("").trim().to_string(),
            None => fixed.clone(),
        };
        let key = (authority, c.unwrap_or("").trim().to_string());
        out.add(&key, a);
    }
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

/// Walks a Parquet file's footer (Thrift compact protocol) before polars
/// reads it: every list and string must claim no more than the bytes left.
/// polars sizes its vectors from those claims, and a forged count (found by
/// the fuzzer: 84 GB of row groups) aborts the process, which no error
/// handling can catch.
fn check_footer(path: &Path) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let bad = |why: &str| Error::Table {
        place: path.display().to_string(),
        message: format!("not a readable Parquet file: {why}"),
    };
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    if size < 12 {
        return Err(bad("too short to be Parquet"));
    }
    let mut tail = [0u8; 8];
    f.seek(SeekFrom::End(-8)).map_err(io)?;
    f.read_exact(&mut tail).map_err(io)?;
    let len = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as u64;
    if &tail[4..] != b"PAR1" || len + 8 > size - 4 || len > 64 << 20 {
        return Err(bad("its footer is damaged or forged"));
    }
    let mut meta = vec![0u8; len as usize];
    f.seek(SeekFrom::End(-8 - len as i64)).map_err(io)?;
    f.read_exact(&mut meta).map_err(io)?;
    let mut w = Thrift {
        b: &meta,
        pos: 0,
        steps: 0,
    };
    w.skip(12, 0)
        .map_err(|_| bad("its footer claims more than the file holds (damaged or forged)"))
}

/// Just enough of the Thrift compact protocol to check a footer's claims.
struct Thrift<'a> {
    b: &'a [u8],
    pos: usize,
    steps: u32,
}

impl Thrift<'_> {
    fn byte(&mut self) -> std::result::Result<u8, ()> {
        let v = *self.b.get(self.pos).ok_or(())?;
        self.pos += 1;
        Ok(v)
    }

    fn varint(&mut self) -> std::result::Result<u64, ()> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7F) as u64).checked_shl(shift).ok_or(())?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(())
    }

    /// A claimed count or length, no more than the bytes left.
    fn claim(&self, n: u64) -> std::result::Result<usize, ()> {
        let left = (self.b.len() - self.pos) as u64;
        if n > left { Err(()) } else { Ok(n as usize) }
    }

    /// Skips one value of compact type `t`.
    fn skip(&mut self, t: u8, depth: u32) -> std::result::Result<(), ()> {
        self.steps += 1;
        if depth > 64 || self.steps > 10_000_000 {
            return Err(());
        }
        match t {
            1 | 2 => Ok(()),
            3 => self.byte().map(|_| ()),
            4..=6 => self.varint().map(|_| ()),
            7 => {
                let n = self.claim(8)?;
                self.pos += n;
                Ok(())
            }
            8 => {
                let n = self.varint()?;
                let n = self.claim(n)?;
                self.pos += n;
                Ok(())
            }
            9 | 10 => {
                let h = self.byte()?;
                let mut n = (h >> 4) as u64;
                if n == 15 {
                    n = self.varint()?;
                }
                let n = self.claim(n)?;
                for _ in 0..n {
                    self.skip(h & 0x0F, depth + 1)?;
                }
                Ok(())
            }
            11 => {
                let n = self.varint()?;
                let n = self.claim(n)?;
                if n > 0 {
                    let kv = self.byte()?;
                    for _ in 0..n {
                        self.skip(kv >> 4, depth + 1)?;
                        self.skip(kv & 0x0F, depth + 1)?;
                    }
                }
                Ok(())
            }
            12 => loop {
                let h = self.byte()?;
                if h == 0 {
                    return Ok(());
                }
                if h >> 4 == 0 {
                    self.varint()?; // a long-form field id
                }
                self.skip(h & 0x0F, depth + 1)?;
            },
            _ => Err(()),
        }
    }
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
                .map(|v| match v.map(crate::money::decimal_from_f64) {
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
    let mut f = crate::atomic::Pending::create(out)?;
    ParquetWriter::new(&mut f).finish(&mut df).map_err(&err)?;
    f.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_amounts_follow_the_ledger_rule() {
        let f = |x: f64| amount::from_decimal(crate::money::decimal_from_f64(x).unwrap()).unwrap();
        assert_eq!(f(1234.56).pence, 123456);
        assert_eq!(f(-0.1).pence, -10);
        assert_eq!(
            (f(0.125).pence, f(0.125).sub_penny),
            (12, rust_decimal::Decimal::new(5, 3))
        );
        assert!(f(631.1899999999999).float_rendering);
    }
}
