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
pub fn read(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    // The columns polars will decode, by the names `read_inner` matches.
    let mut wanted = vec![&cols.authority, &cols.cost_centre, &cols.amount];
    wanted.extend([&cols.date, &cols.account].into_iter().flatten());
    let wanted: Vec<String> = wanted.into_iter().map(|c| header_key(c)).collect();
    check_footer(path, &|name| wanted.contains(&header_key(name)))?;
    crate::input::import::contained(path, "Parquet", || {
        read_inner(path, cols, progress, sink, LIMITS)
    })
    .map_err(|e| match e {
        Error::Workbook { path, message, .. } => Error::Table {
            place: path,
            message: format!("not a readable Parquet file: {message}"),
        },
        other => other,
    })
}

fn read_inner(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
    limits: Limits,
) -> Result<LedgerTotals> {
    let err = polars_err(path);
    let open = || {
        std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let schema = ParquetReader::new(open()?).schema().map_err(&err)?;
    let names = Names::of(
        path,
        cols,
        schema.iter_names().map(|s| s.to_string()).collect(),
    )?;
    let wanted = names.wanted();
    let mut reader = ParquetReader::new(open()?);
    let meta = reader.get_metadata().map_err(&err)?.clone();
    let place: Arc<str> = Arc::from(path.display().to_string());
    let groups: Vec<usize> = meta.row_groups.iter().map(|g| g.num_rows()).collect();
    let stretches = slices(groups.iter().copied(), limits);
    // A slice of a row group bigger than a stretch costs memory for the
    // whole group's pages, and each slice walks the group's pages from its
    // start: such files are read one slice at a time, a column at a time
    // (polars decodes a lone group's columns side by side otherwise), in
    // slices of `limits.slice`. A DuckDB-written group of 30 million rows:
    // 3.8-4.4 s and 291-302 MB, against 4.0-4.6 s and 339 MB in slices of
    // half as many records, columns side by side.
    let workers = match groups.iter().any(|&n| n > limits.most) {
        true => 1,
        false => crate::base::cores(),
    };
    // Not when small groups sit beside the big ones: polars then walks the
    // groups before a slice one by one (a file of one 3M-row group and 70
    // of 100k: 5.2 s, against 0.9 s without).
    let columns = match groups.iter().all(|&n| n > limits.most) {
        true => ParallelStrategy::None,
        false => ParallelStrategy::Auto,
    };
    // A row group (or a slice of a big one) at a time: memory follows the
    // row group's size, never the file's.
    let read = |(first, rows): (usize, usize)| -> Result<LedgerTotals> {
        let mut r = ParquetReader::new(open()?);
        r.set_metadata(meta.clone());
        let df = r
            .with_columns(Some(wanted.clone()))
            .with_slice(Some((first, rows)))
            .read_parallel(columns)
            .finish()
            .map_err(&err)?;
        let texts = Texts::of(&df, &names, path)?;
        let column = amount_column(&df, &names.amount, path)?;
        records(
            &texts,
            amounts(&column, path)?,
            (first as u64, cols),
            &place,
        )
    };
    let mut out = LedgerTotals::default();
    in_order(&stretches, workers, read, &mut |part| {
        // Set-aside lines reach the sink in file order; merged stretch by
        // stretch, the lines kept stay capped.
        part.bad_lines.iter().try_for_each(&mut *sink)?;
        out.merge(part);
        progress(out.rows + out.bad, meta.num_rows as u64);
        Ok(())
    })?;
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

/// Reads every stretch on `workers` threads and hands each one's totals
/// to `take` in file order (the stretches after a failed one are not read).
fn in_order(
    stretches: &[(usize, usize)],
    workers: usize,
    read: impl Fn((usize, usize)) -> Result<LedgerTotals> + Sync,
    take: &mut dyn FnMut(LedgerTotals) -> Result<()>,
) -> Result<()> {
    let workers = workers.min(stretches.len());
    if workers <= 1 {
        return stretches.iter().try_for_each(|&s| take(read(s)?));
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, read) = (&next, &stop, &read);
            scope.spawn(move || {
                use std::sync::atomic::Ordering::Relaxed;
                while !stop.load(Relaxed) {
                    let i = next.fetch_add(1, Relaxed);
                    let Some(&s) = stretches.get(i) else { break };
                    if tx.send((i, read(s))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Parts arrive in any order; each is taken when all before it are.
        let mut waiting = std::collections::BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        for (i, part) in rx {
            waiting.insert(i, part);
            while result.is_ok()
                && let Some(part) = waiting.remove(&want)
            {
                want += 1;
                result = part.and_then(&mut *take);
            }
            if result.is_err() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        result
    })
}

/// The most records of a row group read whole, on every core; a bigger
/// group is read in slices of `slice` records, one at a time.
#[derive(Debug, Clone, Copy)]
struct Limits {
    most: usize,
    slice: usize,
}

const LIMITS: Limits = Limits {
    most: 1 << 20,
    slice: 1 << 21,
};

/// (first record, records) of each stretch read: the row groups in order,
/// those over `limits.most` cut into `limits.slice`.
fn slices(groups: impl Iterator<Item = usize>, limits: Limits) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut first = 0;
    for rows in groups {
        let most = if rows > limits.most {
            limits.slice
        } else {
            rows
        };
        let mut done = 0;
        while done < rows {
            let n = (rows - done).min(most);
            out.push((first + done, n));
            done += n;
        }
        first += rows;
    }
    out
}

/// The file's names of the columns read.
struct Names {
    auth: Option<String>,
    cc: String,
    amount: String,
    date: Option<String>,
    account: Option<String>,
}

impl Names {
    /// The columns `cols` asks for among the file's `found`, matched as
    /// headers are (case, spaces and punctuation aside).
    fn of(path: &Path, cols: &Columns, found: Vec<String>) -> Result<Names> {
        let find = |want: &str| -> Option<String> {
            let k = header_key(want);
            found.iter().find(|n| header_key(n) == k).cloned()
        };
        let missing = |want: &str| Error::MissingColumn {
            place: path.display().to_string(),
            column: want.to_string(),
            hint: String::new(),
            found: found.clone(),
        };
        let auth = match &cols.fixed_authority {
            Some(_) => None,
            None => Some(find(&cols.authority).ok_or_else(|| missing(&cols.authority))?),
        };
        let optional = |c: &Option<String>| c.as_deref().map(|c| find(c).ok_or_else(|| missing(c)));
        Ok(Names {
            auth,
            cc: find(&cols.cost_centre).ok_or_else(|| missing(&cols.cost_centre))?,
            amount: find(&cols.amount).ok_or_else(|| missing(&cols.amount))?,
            date: optional(&cols.date).transpose()?,
            account: optional(&cols.account).transpose()?,
        })
    }

    /// The columns for polars to decode: cost centre and amount, then the
    /// authority, date and account when read.
    fn wanted(&self) -> Vec<String> {
        let mut wanted = vec![self.cc.clone(), self.amount.clone()];
        wanted.extend(
            [&self.auth, &self.date, &self.account]
                .into_iter()
                .flatten()
                .cloned(),
        );
        wanted
    }
}

/// The text columns read: cost centre, and authority, date and account
/// when the file has them and they are wanted.
struct Texts {
    cc: StringChunked,
    auth: Option<StringChunked>,
    dates: Option<StringChunked>,
    accounts: Option<StringChunked>,
}

impl Texts {
    fn of(df: &DataFrame, n: &Names, path: &Path) -> Result<Texts> {
        let err = polars_err(path);
        let text = |name: &str| -> Result<StringChunked> {
            let c = df.column(name).map_err(&err)?;
            let c = c.cast(&DataType::String).map_err(|e| Error::Table {
                place: format!("{}, column {name:?}", path.display()),
                message: format!("cannot be read as text: {e}"),
            })?;
            Ok(c.str().map_err(&err)?.clone())
        };
        // Dates as text: polars writes a Date as 2024-07-31, which the date
        // reader takes; period numbers as their digits.
        Ok(Texts {
            cc: text(&n.cc)?,
            auth: n.auth.as_deref().map(text).transpose()?,
            dates: n.date.as_deref().map(text).transpose()?,
            accounts: n.account.as_deref().map(text).transpose()?,
        })
    }
}

/// Adds each record of a stretch whose first record is `first` (0-based),
/// or sets it aside with its reason (every one kept: the stretch is bounded).
fn records(
    t: &Texts,
    amounts: Amounts<'_>,
    (first, cols): (u64, &Columns),
    place: &Arc<str>,
) -> Result<LedgerTotals> {
    let mut out = LedgerTotals::default();
    let out = &mut out;
    let fixed = cols.fixed_authority.clone().unwrap_or_default();
    let scale = cols.unit.unwrap_or(rust_decimal::Decimal::ONE);
    let dating = cols.dating();
    let bad = |out: &mut LedgerTotals, line, reason, pence| {
        out.set_aside(BadLine {
            place: place.clone(),
            unit: "record",
            line,
            reason,
            raw: String::new(),
            pence,
        });
        Ok::<_, Error>(())
    };
    // One key buffer for every record: no allocation per record.
    let mut key = (String::new(), String::new());
    let mut sums = crate::ledger::keysums::KeySums::default();
    let mut auth: Box<dyn Iterator<Item = Option<&str>>> = match &t.auth {
        Some(col) => Box::new(col.iter()),
        None => Box::new(std::iter::repeat(Some(fixed.as_str()))),
    };
    let unscaled = scale == rust_decimal::Decimal::ONE;
    for (i, (c, m)) in t.cc.iter().zip(amounts).enumerate() {
        let record = first + i as u64 + 1;
        let authority = auth.next().flatten().unwrap_or("");
        let m = match m {
            Ok(a) if !unscaled => crate::ledger::scaled(a, scale).map_err(str::to_string),
            m => m,
        };
        let a = match m {
            Ok(a) => a,
            Err(why) => {
                bad(out, record, why, None)?;
                continue;
            }
        };
        if t.dates.is_none() && t.accounts.is_none() {
            sums.add(out, authority.as_bytes(), c.unwrap_or("").as_bytes(), a);
            continue;
        }
        key.0.clear();
        key.0.push_str(authority.trim());
        key.1.clear();
        key.1.push_str(c.unwrap_or("").trim());
        let month = match &t.dates {
            Some(col) => dating.month(col.get(i).unwrap_or("").trim()),
            None => Ok(crate::base::date::Month(0)),
        };
        match month {
            Ok(month) => {
                let account = t.accounts.as_ref().and_then(|col| col.get(i));
                out.add_detail(&key, account.unwrap_or("").trim(), month, a);
            }
            Err(reason) => bad(out, record, reason, Some(a.pence))?,
        }
    }
    sums.flush(out);
    Ok(std::mem::take(out))
}

/// Each record's amount, worked out as the records are read (a stretch's
/// amounts are never all held at once).
type Amounts<'c> = Box<dyn Iterator<Item = std::result::Result<LedgerAmount, String>> + 'c>;

/// The amount column cast to the type its amounts are read from: Float64,
/// Int64, or text (DECIMAL and anything else, exactly).
fn amount_column(df: &DataFrame, name: &str, path: &Path) -> Result<Column> {
    let err = polars_err(path);
    let col = df.column(name).map_err(&err)?;
    match col.dtype() {
        DataType::Float32 | DataType::Float64 => col.cast(&DataType::Float64).map_err(&err),
        dt if dt.is_integer() => col.cast(&DataType::Int64).map_err(&err),
        _ => col.cast(&DataType::String).map_err(|e| Error::Table {
            place: format!("{}, column {name:?}", path.display()),
            message: format!("cannot be read as an amount: {e}"),
        }),
    }
}

/// Each record's amount by the ledger amount rule: floats through their
/// shortest round-trip text, integers as whole pounds, decimals and text
/// exactly.
fn amounts<'c>(col: &'c Column, path: &Path) -> Result<Amounts<'c>> {
    let err = polars_err(path);
    let none = || Err("no amount".to_string());
    Ok(match col.dtype() {
        DataType::Float64 => Box::new(col.f64().map_err(&err)?.iter().map(move |v| {
            match v.map(crate::base::money::decimal_from_f64) {
                Some(Some(d)) => amount::from_decimal(d).map_err(|w| format!("amount {d}: {w}")),
                Some(None) => Err("amount is not a finite number".into()),
                None => none(),
            }
        })),
        DataType::Int64 => Box::new(col.i64().map_err(&err)?.iter().map(move |v| {
            match v {
                Some(i) => amount::from_decimal(rust_decimal::Decimal::from(i))
                    .map_err(|w| format!("amount {i}: {w}")),
                None => none(),
            }
        })),
        _ => Box::new(col.str().map_err(&err)?.iter().map(move |v| match v {
            Some(s) => amount::parse(s.as_bytes()).map_err(|w| format!("amount {s:?}: {w}")),
            None => none(),
        })),
    })
}

/// Writes a generated ledger CSV's date, key and account columns and its
/// amounts (as text, exact) to Parquet: for tests and `generate-ledger
/// --parquet`. A row group at a time, so memory does not grow with the rows.
pub fn write_from_csv(csv_path: &Path, out: &Path) -> Result<u64> {
    let mut rdr = csv::Reader::from_path(csv_path).map_err(|e| Error::Table {
        place: csv_path.display().to_string(),
        message: e.to_string(),
    })?;
    let err = polars_err(out);
    let mut f = crate::base::atomic::Pending::create(out)?;
    let mut n = 0u64;
    {
        let mut w: Option<polars::io::parquet::write::BatchedWriter<_>> = None;
        let mut batch: [Vec<String>; 5] = Default::default();
        let mut records = rdr.records();
        loop {
            let r = records.next().transpose().map_err(|e| Error::Table {
                place: csv_path.display().to_string(),
                message: e.to_string(),
            })?;
            if let Some(r) = &r {
                for (col, field) in batch.iter_mut().zip([0, 1, 2, 3, 5]) {
                    col.push(r.get(field).unwrap_or("").to_string());
                }
                n += 1;
            }
            let full = batch[0].len() == ROW_GROUP;
            if full || (r.is_none() && (!batch[0].is_empty() || w.is_none())) {
                let df = ledger_frame(std::mem::take(&mut batch)).map_err(&err)?;
                if w.is_none() {
                    w = Some(
                        ParquetWriter::new(&mut f)
                            .batched(df.schema())
                            .map_err(&err)?,
                    );
                }
                if let Some(w) = &mut w {
                    w.write_batch(&df).map_err(&err)?;
                }
            }
            if r.is_none() {
                break;
            }
        }
        if let Some(w) = w {
            w.finish().map_err(&err)?;
        }
    }
    f.commit()?;
    Ok(n)
}

/// Rows in each row group `write_from_csv` writes (polars' own default).
const ROW_GROUP: usize = 512 * 512;

/// A batch of generated ledger lines as a frame.
fn ledger_frame([d, a, c, k, m]: [Vec<String>; 5]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("date".into(), d),
        Column::new("authority".into(), a),
        Column::new("cost_centre".into(), c),
        Column::new("account".into(), k),
        Column::new("amount".into(), m),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_row_groups_are_read_in_slices() {
        let (m, b) = (LIMITS.most, LIMITS.slice);
        assert_eq!(slices([3, 0, 2].into_iter(), LIMITS), [(0, 3), (3, 2)]);
        // A group of `most` is read whole; one more record, in slices.
        assert_eq!(slices([m, 5].into_iter(), LIMITS), [(0, m), (m, 5)]);
        assert_eq!(
            slices([2 * b + 1, 5].into_iter(), LIMITS),
            [(0, b), (b, b), (2 * b, 1), (2 * b + 1, 5)]
        );
    }

    /// A row group over the limit is read in slices, one at a time (a
    /// column at a time when every group is big): its records are still
    /// numbered from the file's first and its set-aside ones handed on in
    /// order. Ten records of £1.00 to £10.00, 2 and 8 unreadable, in slices
    /// of three.
    #[test]
    fn a_big_row_group_is_read_in_slices() {
        let dir = std::env::temp_dir().join(format!("costshare-big-group-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.parquet");
        let amounts: Vec<String> = (1..=10)
            .map(|i| match i {
                2 | 8 => "n/k".into(),
                _ => format!("{i}.00"),
            })
            .collect();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("authority".into(), vec!["MBC"; 10]),
            Column::new("cost_centre".into(), vec!["A"; 10]),
            Column::new("amount".into(), amounts),
        ])
        .unwrap();
        // One group of ten; then groups of six and four, the first big.
        for (group, limits) in [(None, (4, 3)), (Some(6), (5, 3))] {
            ParquetWriter::new(std::fs::File::create(&p).unwrap())
                .with_row_group_size(group)
                .finish(&mut df)
                .unwrap();
            let mut sunk = Vec::new();
            let limits = Limits {
                most: limits.0,
                slice: limits.1,
            };
            let mut sink = |b: &crate::ledger::BadLine| {
                sunk.push(b.line);
                Ok(())
            };
            let t = read_inner(&p, &Columns::default(), &mut |_, _| {}, &mut sink, limits);
            let t = t.unwrap();
            // 1 + 2 + ... + 10 = 55, less the unreadable 2 and 8: £45.00 from 8.
            assert_eq!((t.rows, t.bad, t.total_pence), (8, 2, 4_500), "{group:?}");
            assert_eq!(sunk, [2, 8], "{group:?}");
            assert_eq!(t.files[0].read, 10);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

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
