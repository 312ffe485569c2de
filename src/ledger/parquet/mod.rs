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
    BadLine, Columns, FileSummary, LedgerAmount, LedgerTotals, Sink, amount, header_key, heading_is,
};
use polars::prelude::*;
use std::path::Path;
use std::sync::Arc;

mod check;
mod levels;
mod ordered;
mod pages;
mod snappy;
mod window;
use check::{check_footer, check_pages};

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
    read_with(path, cols, progress, sink, LIMITS)
}

/// Reads `path` as if every row group were too big to read whole: by the
/// page reader when it can read the file, else by polars. For the fuzz
/// target that reads each file both ways; `read` is the way to read.
#[doc(hidden)]
pub fn read_by_pages(path: &Path, cols: &Columns) -> Result<LedgerTotals> {
    let limits = Limits { most: 0, ..LIMITS };
    read_with(path, cols, &mut |_, _| {}, &mut |_| Ok(()), limits)
}

fn read_with(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
    limits: Limits,
) -> Result<LedgerTotals> {
    let claims = check_footer(path)?;
    crate::input::import::contained(path, "Parquet", || {
        read_inner(path, &claims, cols, progress, sink, limits)
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
    claims: &check::FileClaims,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
    limits: Limits,
) -> Result<LedgerTotals> {
    let err = polars_err(path);
    let schema = ParquetReader::new(open(path)?).schema().map_err(&err)?;
    let names = Names::of(
        path,
        cols,
        schema.iter_names().map(|s| s.to_string()).collect(),
    )?;
    kinds_read(path, &schema, &names)?;
    // The amount column's unit, said in its name or by the flag.
    let cols = &Columns {
        unit: Some(names.unit(path, cols)?),
        ..cols.clone()
    };
    let mut reader = ParquetReader::new(open(path)?);
    let meta = reader.get_metadata().map_err(&err)?.clone();
    let place: Arc<str> = Arc::from(path.display().to_string());
    let groups: Vec<usize> = meta.row_groups.iter().map(|g| g.num_rows()).collect();
    let mut out = LedgerTotals::default();
    let mut take = |part: LedgerTotals| -> Result<()> {
        // Set-aside lines reach the sink in file order; merged part by
        // part, the lines kept stay capped.
        part.bad_lines.iter().try_for_each(&mut *sink)?;
        out.merge(part);
        progress(out.rows + out.bad, meta.num_rows as u64);
        Ok(())
    };
    // A file with a row group too big to read whole is read by the page
    // reader when its columns are of the kinds it reads; else by polars
    // (the big groups in slices).
    let wanted = names.wanted();
    let big = groups.iter().any(|&n| n > limits.most);
    let plan = match big && limits.pages {
        true => pages::plan(
            claims,
            &wanted.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        false => None,
    };
    // Every page header, and the levels of the columns polars will decode,
    // are checked before polars reads them; the page reader checks each page
    // as it comes to it and sizes nothing from the levels.
    if plan.is_none() {
        check_pages(path, claims, &|name| wanted.iter().any(|w| w == name))?;
    }
    match plan {
        Some(plan) => read_pages(path, claims, &plan, (&names, cols), &place, &mut take)?,
        None => read_groups(
            (path, &place),
            (&meta, &groups),
            (&names, cols),
            limits,
            &mut take,
        )?,
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

/// Text the page reader has checked is UTF-8 (missing: empty).
fn utf8(b: Option<&[u8]>) -> &str {
    std::str::from_utf8(b.unwrap_or_default()).unwrap_or("")
}

fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Threads read up to `AHEAD` records past the part being taken; a part
/// with lines set aside waits its turn (the lines are all kept until then).
fn sharing(sizes: &[u64], workers: usize) -> ordered::Sharing<'_, LedgerTotals> {
    ordered::Sharing {
        sizes,
        ahead: AHEAD,
        workers,
        heavy: |t| !t.bad_lines.is_empty(),
    }
}

const AHEAD: u64 = 8 << 20;

/// Records handed on at a time by the page reader: the set-aside lines of
/// a part are all kept until it is handed on.
const PART: usize = 1 << 16;

/// Reads the file's records through the page reader, a part at a time.
fn read_pages(
    path: &Path,
    claims: &check::FileClaims,
    plan: &[pages::Col],
    (names, cols): (&Names, &Columns),
    place: &Arc<str>,
    take: &mut dyn FnMut(LedgerTotals) -> Result<()>,
) -> Result<()> {
    let fixed = cols.fixed_authority.clone().unwrap_or_default();
    let detail = names.date.is_some() || names.account.is_some();
    // Streams in the order of `Names::wanted`: cost centre, amount, then
    // authority, date and account when read.
    let mut next = 2..;
    let mut at = |named: bool| named.then(|| next.next().unwrap_or(0));
    let (auth, date, account) = (
        at(names.auth.is_some()),
        at(names.date.is_some()),
        at(names.account.is_some()),
    );
    let file = Arc::new(open(path)?);
    let groups = pages::groups(claims);
    // A row group to a thread, its parts handed on in order.
    let work = |i: usize, send: &mut dyn FnMut(LedgerTotals) -> Result<()>| {
        let mut adder = Adder::new(cols, place, detail);
        let mut run = |s: &[pages::Stream], run: pages::Run| {
            for j in 0..run.n {
                let a = match auth {
                    Some(k) => s[k].text(j).unwrap_or_default(),
                    None => fixed.as_bytes(),
                };
                let c = s[0].text(j).unwrap_or_default();
                let extra = match detail {
                    true => (
                        date.map(|k| utf8(s[k].text(j))),
                        account.map_or("", |k| utf8(s[k].text(j))),
                    ),
                    false => (None, ""),
                };
                adder.add(run.first + j as u64 + 1, (a, c), s[1].amount(j), extra)?;
            }
            if run.ends {
                send(std::mem::replace(&mut adder, Adder::new(cols, place, detail)).finish())?;
            }
            Ok(())
        };
        pages::read_group((&file, path), claims, plan, groups[i], PART, &mut run)
    };
    let sizes: Vec<u64> = groups.iter().map(|g| g.2).collect();
    ordered::in_order(sharing(&sizes, crate::base::cores()), work, take)
}

/// Reads the file's records with polars, row groups (or slices of big
/// ones) in order.
fn read_groups(
    (path, place): (&Path, &Arc<str>),
    (meta, groups): (&FileMetadataRef, &[usize]),
    (names, cols): (&Names, &Columns),
    limits: Limits,
    take: &mut dyn FnMut(LedgerTotals) -> Result<()>,
) -> Result<()> {
    let err = polars_err(path);
    let wanted = names.wanted();
    let stretches = slices(groups.iter().copied(), limits);
    // A slice of a row group bigger than a stretch costs memory for the
    // whole group's pages, and each slice walks the group's pages from its
    // start: such files are read one slice at a time, a column at a time
    // (polars decodes a lone group's columns side by side otherwise), in
    // slices of `limits.slice`. A DuckDB-written group of 30 million rows
    // read so: 3.8-4.4 s and 291-302 MB, against 4.0-4.6 s and 339 MB in
    // slices of half as many records, columns side by side (the page reader,
    // when it can read the file: 2.2-2.5 s and 31 MB).
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
        let mut r = ParquetReader::new(open(path)?);
        r.set_metadata(meta.clone());
        let df = r
            .with_columns(Some(wanted.clone()))
            .with_slice(Some((first, rows)))
            .read_parallel(columns)
            .finish()
            .map_err(&err)?;
        let texts = Texts::of(&df, names, path)?;
        let exact = df
            .column(&names.amount)
            .is_ok_and(|c| matches!(c.dtype(), DataType::Decimal(..)));
        let column = amount_column(&df, &names.amount, path)?;
        records(
            &texts,
            amounts(&column, path, exact)?,
            (first as u64, cols),
            place,
        )
    };
    let work =
        |i: usize, send: &mut dyn FnMut(LedgerTotals) -> Result<()>| send(read(stretches[i])?);
    let sizes: Vec<u64> = stretches.iter().map(|s| s.1 as u64).collect();
    ordered::in_order(sharing(&sizes, workers), work, take)
}

/// The most records of a row group read whole, on every core; a bigger
/// group is read in slices of `slice` records, one at a time.
#[derive(Debug, Clone, Copy)]
struct Limits {
    most: usize,
    slice: usize,
    /// Big groups read a page at a time where `pages` can (tests set it
    /// false to compare with polars' reading).
    pages: bool,
}

const LIMITS: Limits = Limits {
    most: 1 << 20,
    slice: 1 << 21,
    pages: true,
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

/// Refuses, by name and type, a column read of a type costshare does not
/// decode (polars said "cannot create series from Int8"), and a timestamp
/// with a time zone (its day in UTC may be the day before the council's).
fn kinds_read(path: &Path, schema: &ArrowSchema, names: &Names) -> Result<()> {
    use polars::prelude::ArrowDataType as A;
    for name in names.wanted() {
        let Some(field) = schema.get(name.as_str()) else {
            continue;
        };
        let why = match &field.dtype {
            A::Int8 | A::Int16 | A::UInt8 | A::UInt16 | A::Float16 => format!(
                "is of type {:?}, which costshare does not read: save it as 64- or 32-bit integers, doubles, decimals or text",
                field.dtype
            ),
            A::Timestamp(_, Some(tz)) => format!(
                "holds timestamps in time zone {tz}, whose day may not be the council's: save dates as dates or as text (2025-03-31)"
            ),
            _ => continue,
        };
        return Err(Error::Table {
            place: format!("{}, column {name:?}", path.display()),
            message: why,
        });
    }
    Ok(())
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
        let missing = |want: &str| Error::MissingColumn {
            place: path.display().to_string(),
            column: want.to_string(),
            hint: String::new(),
            found: found.clone(),
        };
        // As a CSV header is read: "Amount (£000)" is the amount column, and
        // a name matched twice ("Amount" and "amount") is refused.
        let find = |want: &str| -> Result<String> {
            let k = header_key(want);
            let mut hits = found.iter().filter(|n| heading_is(n, &k));
            let first = hits.next().ok_or_else(|| missing(want))?;
            match hits.next() {
                None => Ok(first.clone()),
                Some(again) => Err(Error::Table {
                    place: path.display().to_string(),
                    message: format!(
                        "columns {first:?} and {again:?} both name {want:?}; name each column once (columns are matched ignoring case, spaces and underscores, so rename or remove one in the file)"
                    ),
                }),
            }
        };
        let auth = match &cols.fixed_authority {
            Some(name) if find(&cols.authority).is_ok() => {
                return Err(Error::Table {
                    place: path.display().to_string(),
                    message: crate::ledger::authority_given_twice(&cols.authority, name),
                });
            }
            Some(_) => None,
            None => Some(find(&cols.authority)?),
        };
        let optional = |c: &Option<String>| c.as_deref().map(find);
        Ok(Names {
            auth,
            cc: find(&cols.cost_centre)?,
            amount: find(&cols.amount)?,
            date: optional(&cols.date).transpose()?,
            account: optional(&cols.account).transpose()?,
        })
    }

    /// The amount column's unit: its name's ("amount (£000)"), or
    /// `--actuals-unit`'s; the two disagreeing is refused.
    fn unit(&self, path: &Path, cols: &Columns) -> Result<rust_decimal::Decimal> {
        crate::input::import::column_unit(&self.amount, cols.unit, "--actuals-unit").map_err(
            |message| Error::Table {
                place: format!("{}, column {:?}", path.display(), self.amount),
                message,
            },
        )
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
    let fixed = cols.fixed_authority.clone().unwrap_or_default();
    let mut adder = Adder::new(cols, place, t.dates.is_some() || t.accounts.is_some());
    let mut auth: Box<dyn Iterator<Item = Option<&str>>> = match &t.auth {
        Some(col) => Box::new(col.iter()),
        None => Box::new(std::iter::repeat(Some(fixed.as_str()))),
    };
    for (i, (c, m)) in t.cc.iter().zip(amounts).enumerate() {
        let authority = auth.next().flatten().unwrap_or("");
        let (date, account) = match adder.detail {
            true => (
                t.dates.as_ref().map(|col| col.get(i).unwrap_or("")),
                t.accounts.as_ref().and_then(|col| col.get(i)),
            ),
            false => (None, None),
        };
        let key = (authority.as_bytes(), c.unwrap_or("").as_bytes());
        adder.add(first + i as u64 + 1, key, m, (date, account.unwrap_or("")))?;
    }
    Ok(adder.finish())
}

/// Adds records to a stretch's totals one at a time, by the ledger rules.
struct Adder<'p> {
    out: LedgerTotals,
    sums: crate::ledger::keysums::KeySums,
    /// One key buffer for every record: no allocation per record.
    key: (String, String),
    scale: Option<rust_decimal::Decimal>,
    dating: crate::ledger::Dating,
    /// Dates or accounts are read: figures by month and account are kept.
    detail: bool,
    place: &'p Arc<str>,
}

impl<'p> Adder<'p> {
    fn new(cols: &Columns, place: &'p Arc<str>, detail: bool) -> Self {
        Adder {
            out: LedgerTotals::default(),
            sums: Default::default(),
            key: Default::default(),
            scale: cols.unit.filter(|u| *u != rust_decimal::Decimal::ONE),
            dating: cols.dating(),
            detail,
            place,
        }
    }

    /// Adds `record` (numbered from 1) under its authority and cost centre
    /// as written; with its date and account when `detail`. A record whose
    /// amount or month cannot be read is set aside with the reason.
    fn add(
        &mut self,
        record: u64,
        (auth, cc): (&[u8], &[u8]),
        m: std::result::Result<LedgerAmount, String>,
        (date, account): (Option<&str>, &str),
    ) -> Result<()> {
        let m = match (m, self.scale) {
            (Ok(a), Some(scale)) => crate::ledger::scaled(a, scale).map_err(str::to_string),
            (m, _) => m,
        };
        let a = match m {
            Ok(a) => a,
            Err(why) => return self.set_aside(record, why, None, (auth, cc)),
        };
        // Listed as the CSV reader lists them (they were read, unsaid).
        if a.float_rendering {
            self.out.float(crate::ledger::FloatLine {
                place: self.place.clone(),
                unit: "record",
                line: record,
                text: "the value stored".into(),
                pence: a.pence,
            });
        }
        if !self.detail {
            self.sums.add(&mut self.out, auth, cc, a);
            return Ok(());
        }
        let text = |b| std::str::from_utf8(b).unwrap_or("").trim();
        self.key.0.clear();
        self.key.0.push_str(text(auth));
        self.key.1.clear();
        self.key.1.push_str(text(cc));
        let month = match date {
            Some(d) => self.dating.month(d.trim()),
            None => Ok(crate::base::date::Month(0)),
        };
        match month {
            Ok(month) => self.out.add_detail(&self.key, account.trim(), month, a),
            Err(reason) => self.set_aside(record, reason, Some(a.pence), (auth, cc))?,
        }
        Ok(())
    }

    /// A record set aside, its authority and cost centre as its text (a
    /// record has no line of its own to show; the rejects file had none).
    fn set_aside(
        &mut self,
        line: u64,
        reason: String,
        pence: Option<i64>,
        (auth, cc): (&[u8], &[u8]),
    ) -> Result<()> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).trim().to_string();
        self.out.set_aside(BadLine {
            place: self.place.clone(),
            unit: "record",
            line,
            reason,
            raw: crate::ledger::raw_text(format!("{},{}", text(auth), text(cc)).as_bytes()),
            pence,
        });
        Ok(())
    }

    fn finish(mut self) -> LedgerTotals {
        self.sums.flush(&mut self.out);
        self.out
    }
}

/// Each record's amount, worked out as the records are read (a stretch's
/// amounts are never all held at once).
type Amounts<'c> = Box<dyn Iterator<Item = std::result::Result<LedgerAmount, String>> + 'c>;

/// The amount column cast to the type its amounts are read from: Float32
/// (its own shortest text), Float64, Int64, or text (DECIMAL, UINT64 (whose
/// largest values an Int64 cannot hold) and anything else, exactly).
fn amount_column(df: &DataFrame, name: &str, path: &Path) -> Result<Column> {
    let err = polars_err(path);
    let col = df.column(name).map_err(&err)?;
    match col.dtype() {
        DataType::Float32 => Ok(col.clone()),
        DataType::Float64 => Ok(col.clone()),
        DataType::UInt64 => col.cast(&DataType::String).map_err(&err),
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
fn amounts<'c>(col: &'c Column, path: &Path, exact: bool) -> Result<Amounts<'c>> {
    let err = polars_err(path);
    let none = || Err("no amount".to_string());
    Ok(match col.dtype() {
        DataType::Float64 => Box::new(
            col.f64()
                .map_err(&err)?
                .iter()
                .map(move |v| v.map_or_else(none, from_float)),
        ),
        DataType::Float32 => Box::new(
            col.f32()
                .map_err(&err)?
                .iter()
                .map(move |v| v.map_or_else(none, from_f32)),
        ),
        DataType::Int64 => Box::new(
            col.i64()
                .map_err(&err)?
                .iter()
                .map(move |v| v.map_or_else(none, from_int)),
        ),
        _ if exact => Box::new(
            col.str()
                .map_err(&err)?
                .iter()
                .map(move |v| v.map_or_else(none, from_decimal_text)),
        ),
        _ => Box::new(
            col.str()
                .map_err(&err)?
                .iter()
                .map(move |v| v.map_or_else(none, from_text)),
        ),
    })
}

/// A DECIMAL amount's text, exactly: a DECIMAL is no float, so
/// -0.0000000001 is kept, not taken for a float's rendering of £0.00. A
/// scale past Decimal's 28 places (DECIMAL(38,30)) writes zeros there for
/// any amount in pence: they are dropped, not the amount.
fn from_decimal_text(s: &str) -> std::result::Result<LedgerAmount, String> {
    let t = s.trim();
    let t = match t.contains('.') {
        true => t.trim_end_matches('0').trim_end_matches('.'),
        false => t,
    };
    // Decimal would round a 29th place away: said, not lost.
    if t.split_once('.').is_some_and(|(_, f)| f.len() > 28) {
        return Err(format!("amount {s}: more than 28 decimal places"));
    }
    match t.parse::<rust_decimal::Decimal>() {
        Ok(d) => amount::exact(d).map_err(|w| format!("amount {s}: {w}")),
        Err(_) => from_text(s),
    }
}

/// A float amount, through its shortest round-trip text.
fn from_float(v: f64) -> std::result::Result<LedgerAmount, String> {
    match crate::base::money::decimal_from_f64(v) {
        Some(d) => amount::from_decimal(d).map_err(|w| format!("amount {d}: {w}")),
        None => Err("amount is not a finite number".into()),
    }
}

/// A single-precision float amount, through its own shortest round-trip
/// text (12.34 as f32 is £12.34; by its f64 value it was £12.3400001…).
fn from_f32(v: f32) -> std::result::Result<LedgerAmount, String> {
    match v.is_finite() {
        true => from_text(&v.to_string()),
        false => Err("amount is not a finite number".into()),
    }
}

/// An integer amount, in whole pounds.
fn from_int(i: i64) -> std::result::Result<LedgerAmount, String> {
    amount::from_decimal(rust_decimal::Decimal::from(i)).map_err(|w| format!("amount {i}: {w}"))
}

/// A text amount, read as the CSV reader reads it.
fn from_text(s: &str) -> std::result::Result<LedgerAmount, String> {
    amount::parse(s.as_bytes()).map_err(|w| format!("amount {s:?}: {w}"))
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
    use proptest::prelude::*;

    /// DECIMAL(38,30) writes £12.34 as 12.34 and 28 zeros: past Decimal's
    /// 28 places, it was set aside. A digit that far out is still refused.
    #[test]
    fn a_decimal_scale_past_28_places_keeps_its_amount() {
        let text = format!("12.34{}", "0".repeat(28));
        assert_eq!(from_decimal_text(&text).unwrap().pence, 1234);
        assert_eq!(from_decimal_text(&format!("-{text}")).unwrap().pence, -1234);
        assert_eq!(from_decimal_text("100.").unwrap().pence, 10000);
        assert_eq!(from_decimal_text("100").unwrap().pence, 10000);
        let tiny = format!("0.{}1", "0".repeat(29));
        assert!(from_decimal_text(&tiny).is_err());
    }

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
        // One group of ten; then groups of six and four, the first big;
        // by polars and by the page reader.
        let shapes = [(None, (4, 3)), (Some(6), (5, 3))];
        for ((group, limits), pages) in shapes.into_iter().flat_map(|s| [(s, false), (s, true)]) {
            ParquetWriter::new(std::fs::File::create(&p).unwrap())
                .with_row_group_size(group)
                .finish(&mut df)
                .unwrap();
            let mut sunk = Vec::new();
            let limits = Limits {
                most: limits.0,
                slice: limits.1,
                pages,
            };
            let mut sink = |b: &crate::ledger::BadLine| {
                sunk.push(b.line);
                Ok(())
            };
            let claims = check_footer(&p).unwrap();
            let cols = Columns::default();
            let t = read_inner(&p, &claims, &cols, &mut |_, _| {}, &mut sink, limits);
            let t = t.unwrap();
            // 1 + 2 + ... + 10 = 55, less the unreadable 2 and 8: £45.00 from 8.
            assert_eq!((t.rows, t.bad, t.total_pence), (8, 2, 4_500), "{group:?}");
            assert_eq!(sunk, [2, 8], "{group:?}");
            // Shown by its authority and cost centre (the rejects file
            // had an empty text for a record).
            assert_eq!(t.bad_lines[0].raw, "MBC,A", "{group:?}");
            assert_eq!(t.files[0].read, 10);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Reads `p` page by page (as a big group) and with polars (whole):
    /// totals and set-aside lines handed on.
    fn both_ways(
        p: &Path,
        cols: &Columns,
    ) -> [(std::result::Result<LedgerTotals, String>, Vec<BadLine>); 2] {
        let claims = check_footer(p).unwrap();
        [true, false].map(|pages| {
            let mut sunk = Vec::new();
            let mut sink = |b: &BadLine| {
                sunk.push(b.clone());
                Ok(())
            };
            // polars reads the group whole.
            let limits = Limits {
                most: if pages { 0 } else { usize::MAX },
                slice: 7,
                pages,
            };
            let t = read_inner(p, &claims, cols, &mut |_, _| {}, &mut sink, limits);
            (t.map_err(|e| e.to_string()), sunk)
        })
    }

    fn pages_can_read(p: &Path, names: &[&str]) -> bool {
        pages::plan(&check_footer(p).unwrap(), names).is_some()
    }

    /// Page checksums are checked, by the page reader and before polars
    /// reads: pyarrow's file with CRCs reads (40 lines, line i of i - 500
    /// pounds: 780 - 20,000 = -£19,220), and its copy with one bit of an
    /// amount flipped is refused (it gave a wrong total, exit 0).
    #[test]
    fn page_checksums_are_checked() {
        let p = Path::new("fixtures/parquet/pyarrow-page-crc.parquet");
        let [paged, polars] = both_ways(p, &Columns::default());
        assert_eq!(
            paged.0.as_ref().map(|t| t.total_pence).ok(),
            Some(-1_922_000)
        );
        assert_eq!(paged, polars);
        let p = Path::new("fixtures/parquet/pyarrow-page-crc-flipped.parquet");
        for (got, _) in both_ways(p, &Columns::default()) {
            let err = got.unwrap_err();
            assert!(
                err.contains("do not match the checksum its writer stored"),
                "{err}"
            );
        }
    }

    /// Files from DuckDB (a dictionary page, one data page a column,
    /// DECIMAL amounts in 4, 8 and 16 bytes) and pyarrow (v2 pages of a few
    /// values, plain text, 64- and 32-bit whole pounds, DECIMAL in 6 bytes
    /// in five groups) give by the page reader what polars gives. Totals worked by hand from
    /// scripts/make_parquet.py: line i (0..300) has amount i * 101 pence,
    /// negative when i % 7 == 0: 1.01 * (44,850 - 2 * 7 * (0 + ... + 42))
    /// = £32,530.08; as whole pounds 44,850 - 2 * 6,321 = £32,208; fee
    /// (i % 4 + 1) * 2.50, 75 of each: 75 * £25.00 = £1,875.00.
    #[test]
    fn the_page_reader_reads_as_polars_does() {
        let cases = [
            ("duckdb-one-group", "amount", Some(3_253_008)),
            ("duckdb-one-group", "fee", Some(187_500)),
            ("duckdb-one-group", "dec9", Some(3_253_008)),
            ("duckdb-one-group", "dec18", Some(3_253_008)),
            ("duckdb-one-group", "dec38", Some(3_253_008)),
            ("duckdb-float", "amount", Some(3_253_008)),
            ("pyarrow-one-group", "amount", Some(3_253_008)),
            ("pyarrow-one-group", "pounds", Some(3_220_800)),
            ("pyarrow-one-group", "pounds32", Some(3_220_800)),
            ("pyarrow-v2-zstd", "amount", Some(3_253_008)),
        ];
        for (file, amount, pence) in cases {
            let p = Path::new("fixtures/parquet").join(format!("{file}.parquet"));
            let cols = Columns {
                amount: amount.into(),
                ..Columns::default()
            };
            let names = ["cost_centre", amount, "authority"];
            assert_eq!(
                pages_can_read(&p, &names),
                pence.is_some(),
                "{file} {amount}"
            );
            let [paged, polars] = both_ways(&p, &cols);
            assert_eq!(paged, polars, "{file} {amount}");
            if let Some(pence) = pence {
                assert_eq!(paged.0.map(|t| t.total_pence), Ok(pence), "{file} {amount}");
            }
        }
    }

    /// Pages of megabytes (one page a column), decoded through a window
    /// of them and, with snappy, a decoder that keeps only 64 KB: the same
    /// as polars, whatever the codec. 200,000 records, amounts as text.
    #[test]
    fn pages_bigger_than_the_window_read_the_same() {
        let dir = std::env::temp_dir().join(format!("costshare-window-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.parquet");
        let n = 200_000;
        let amounts: Vec<Option<String>> = (0..n)
            .map(|i| (i % 97 != 5).then(|| format!("{}.{:02}", i * 7919 % 100_003, i % 100)))
            .collect();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new(
                "authority".into(),
                (0..n).map(|i| ["MBC", "SBC"][i % 2]).collect::<Vec<_>>(),
            ),
            Column::new(
                "cost_centre".into(),
                (0..n).map(|i| format!("C{}", i % 301)).collect::<Vec<_>>(),
            ),
            Column::new("amount".into(), amounts),
        ])
        .unwrap();
        for codec in [
            ParquetCompression::Snappy,
            ParquetCompression::Zstd(None),
            ParquetCompression::Uncompressed,
            ParquetCompression::Lz4Raw,
        ] {
            ParquetWriter::new(std::fs::File::create(&p).unwrap())
                .with_compression(codec)
                .with_data_page_size(Some(64 << 20))
                .finish(&mut df)
                .unwrap();
            assert!(pages_can_read(&p, &["cost_centre", "amount", "authority"]));
            let [paged, polars] = both_ways(&p, &Columns::default());
            let t = paged.0.as_ref().unwrap();
            // Every 97th record from the sixth has no amount.
            assert_eq!((t.rows, t.bad), (n as u64 - 2062, 2062), "{codec:?}");
            assert_eq!(paged, polars, "{codec:?}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    /// DECIMAL amounts with a fraction of a penny keep it: 0.005, -1.234
    /// and 1.00 at scale 3 are -23 pence and £0.001 (0.005 - 0.004), by
    /// hand; the same by polars.
    #[test]
    fn decimal_fractions_of_a_penny_are_kept() {
        let dir = std::env::temp_dir().join(format!("costshare-dec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.parquet");
        let amounts = Column::new("amount".into(), ["0.005", "-1.234", "1.00"]);
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("authority".into(), ["MBC"; 3]),
            Column::new("cost_centre".into(), ["A"; 3]),
            amounts.cast(&DataType::Decimal(38, 3)).unwrap(),
        ])
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&p).unwrap())
            .finish(&mut df)
            .unwrap();
        assert!(pages_can_read(&p, &["cost_centre", "amount", "authority"]));
        let [paged, polars] = both_ways(&p, &Columns::default());
        let t = paged.0.as_ref().unwrap();
        assert_eq!(t.total_pence, -23);
        assert_eq!(t.total_sub_penny, rust_decimal::Decimal::new(1, 3));
        assert_eq!(paged, polars);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Two records of MBC's cost centre A with `amount` (and `more`
    /// columns), written to `p`.
    fn two_records(p: &Path, amount: Column, more: Vec<Column>) {
        let mut cols = vec![
            Column::new("authority".into(), ["MBC"; 2]),
            Column::new("cost_centre".into(), ["A"; 2]),
            amount,
        ];
        cols.extend(more);
        let mut df = DataFrame::new_infer_height(cols).unwrap();
        ParquetWriter::new(std::fs::File::create(p).unwrap())
            .finish(&mut df)
            .unwrap();
    }

    /// A DECIMAL is exact: -0.0000000001 is kept (it was taken for a
    /// float's rendering of £0.00), so 1.1111111111 - 0.0000000001 =
    /// £1.1111111110, by the page reader and by polars. A double written by
    /// a float (631.1899999999999) is read as £631.19 and listed, as the CSV
    /// reader lists it (Parquet listed none).
    #[test]
    fn decimals_are_exact_and_float_renderings_listed() {
        let dir = std::env::temp_dir().join(format!("costshare-pq-exact-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.parquet");
        let amounts = Column::new("amount".into(), ["1.1111111111", "-0.0000000001"]);
        two_records(
            &p,
            amounts.cast(&DataType::Decimal(38, 10)).unwrap(),
            vec![],
        );
        let [paged, polars] = both_ways(&p, &Columns::default());
        let t = paged.0.as_ref().unwrap();
        assert_eq!(t.total(), rust_decimal::Decimal::new(11_111_111_110, 10));
        assert_eq!(t.floats, 0);
        assert_eq!(paged, polars);
        let floats = Column::new("amount".into(), [631.1899999999999f64, 1.0]);
        two_records(&p, floats, vec![]);
        let [paged, polars] = both_ways(&p, &Columns::default());
        let t = paged.0.as_ref().unwrap();
        assert_eq!((t.total_pence, t.floats), (63_219, 1));
        assert_eq!((t.float_lines[0].line, t.float_lines[0].pence), (1, 63_119));
        assert_eq!(paged, polars);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A column named with its unit, "amount (£000)", is the amount in
    /// thousands, as in a CSV: 1.5 + 2.5 = £4,000 (it was missed, or, named
    /// with --columns, read as £4); by the page reader and by polars. Two
    /// columns naming the amount ("Amount" and "amount") are refused (the
    /// first was read, the other's £300 unsaid).
    #[test]
    fn a_column_named_with_its_unit_and_one_named_twice() {
        let dir = std::env::temp_dir().join(format!("costshare-pq-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.parquet");
        let write = |amount: &str, twice: bool| {
            let more = match twice {
                true => vec![Column::new("amount".into(), [100.0f64, 200.0])],
                false => vec![],
            };
            two_records(&p, Column::new(amount.into(), [1.5f64, 2.5]), more);
        };
        write("amount (£000)", false);
        let [paged, polars] = both_ways(&p, &Columns::default());
        assert_eq!(paged.0.as_ref().unwrap().total_pence, 400_000);
        assert_eq!(paged, polars);
        write("Amount", true);
        let err = read(&p, &Columns::default(), &mut |_, _| {}, &mut |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("columns \"Amount\" and \"amount\" both name \"amount\""),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A column chunk claiming bytes past the data (or past any offset) is
    /// refused by the page reader, naming the column, before anything is
    /// read from it.
    #[test]
    fn a_chunk_past_the_data_is_refused() {
        let p = Path::new("fixtures/parquet/duckdb-one-group.parquet");
        for size in [i64::MAX, 1 << 40] {
            let mut claims = check_footer(p).unwrap();
            claims.chunks[2].size = size;
            let limits = Limits { most: 0, ..LIMITS };
            let cols = Columns::default();
            let e = read_inner(p, &claims, &cols, &mut |_, _| {}, &mut |_| Ok(()), limits);
            let e = e.unwrap_err().to_string();
            assert!(
                e.contains("column \"amount\"") && e.contains("past the end of the data"),
                "{e}"
            );
        }
    }

    /// One random ledger record: authority, cost centre, date, and an
    /// amount as text, whole pounds and a float (each possibly missing).
    type Rec = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        (
            Option<&'static str>,
            Option<i64>,
            Option<f64>,
            Option<&'static str>,
        ),
    );

    fn record() -> impl Strategy<Value = Rec> {
        let pick = |v: &'static [&'static str]| {
            proptest::option::weighted(0.9, proptest::sample::select(v))
        };
        let auth = pick(&["MBC", " SBC ", "", "Tunbridge Wells", "Ünïcode"]);
        let cc = pick(&["A", "B ", "C-1", "€"]);
        let date = pick(&["2024-07-31", "2024-13-01", "", "31/07/2024", "2025-04-01"]);
        let text = pick(&[
            "1.00", "-2.50", "(3.00)", "1,234.56", "n/k", "", "0.005", "£12", "1e3",
        ]);
        let int = proptest::option::weighted(0.9, prop_oneof![-1000i64..1000, Just(i64::MAX)]);
        let floats = [
            0.1,
            1.5,
            -2.25,
            1e20,
            f64::NAN,
            631.1899999999999,
            0.125,
            -0.0,
        ];
        let float = proptest::option::weighted(0.9, proptest::sample::select(floats.to_vec()));
        let dec = pick(&[
            "1.00",
            "-2.50",
            "0.01",
            "12345.67",
            "-0.99",
            "1234567.89",
            "0",
        ]);
        (auth, cc, date, (text, int, float, dec))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// A row group written by polars, in pages of any size and with any
        /// codec, reads the same by the page reader as by polars: totals,
        /// figures by month, set-aside lines and their reasons, with a fixed
        /// authority or amounts in thousands; amounts as text, integers,
        /// floats and DECIMALs.
        #[test]
        fn random_groups_read_the_same_by_pages(
            recs in proptest::collection::vec(record(), 0..300),
            page in 16usize..4096,
            codec in 0usize..6,
            amount in proptest::sample::select(vec!["amount", "pounds", "float", "dec", "dec38"]),
            by_month: bool,
            fixed: bool,
            thousands: bool,
        ) {
            let dir = std::env::temp_dir().join(format!("costshare-pages-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let p = dir.join("l.parquet");
            let col = |name: &str, f: fn(&Rec) -> Option<&'static str>| {
                Column::new(name.into(), recs.iter().map(f).collect::<Vec<_>>())
            };
            let mut df = DataFrame::new_infer_height(vec![
                col("authority", |r| r.0),
                col("cost_centre", |r| r.1),
                col("date", |r| r.2),
                col("amount", |r| r.3.0),
                Column::new("pounds".into(), recs.iter().map(|r| r.3.1).collect::<Vec<_>>()),
                Column::new("float".into(), recs.iter().map(|r| r.3.2).collect::<Vec<_>>()),
                col("dec", |r| r.3.3).cast(&DataType::Decimal(9, 2)).unwrap(),
                col("dec38", |r| r.3.3).cast(&DataType::Decimal(38, 3)).unwrap(),
            ])
            .unwrap();
            let codec = [
                ParquetCompression::Uncompressed,
                ParquetCompression::Snappy,
                ParquetCompression::Gzip(None),
                ParquetCompression::Brotli(None),
                ParquetCompression::Zstd(None),
                ParquetCompression::Lz4Raw,
            ][codec];
            ParquetWriter::new(std::fs::File::create(&p).unwrap())
                .with_compression(codec)
                .with_data_page_size(Some(page))
                .finish(&mut df)
                .unwrap();
            // One council's extract (no authority column read), and
            // amounts in £ thousand.
            let cols = Columns {
                amount: amount.into(),
                date: by_month.then(|| "date".into()),
                fixed_authority: fixed.then(|| "XBC".into()),
                unit: thousands.then(|| rust_decimal::Decimal::from(1000)),
                ..Columns::default()
            };
            let mut names = vec!["cost_centre", amount];
            names.extend((!fixed).then_some("authority"));
            names.extend(by_month.then_some("date"));
            prop_assert!(recs.is_empty() || pages_can_read(&p, &names));
            let [paged, polars] = both_ways(&p, &cols);
            prop_assert_eq!(paged, polars);
        }

        /// Damaged pages give an error or figures, never a panic or a hang.
        #[test]
        fn damaged_pages_are_refused_or_read(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            file in proptest::sample::select(vec!["duckdb-one-group", "pyarrow-one-group", "duckdb-float"]),
        ) {
            let dir = std::env::temp_dir().join(format!("costshare-damaged-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let p = dir.join(format!("{file}.parquet"));
            let mut b = std::fs::read(Path::new("fixtures/parquet").join(format!("{file}.parquet"))).unwrap();
            // The pages only: the footer has its own checks.
            let footer = u32::from_le_bytes(b[b.len() - 8..b.len() - 4].try_into().unwrap()) as usize;
            let pages = b.len() - 8 - footer;
            for (at, byte) in flips {
                b[4 + at.index(pages - 4)] ^= byte | 1;
            }
            std::fs::write(&p, &b).unwrap();
            let Ok(claims) = check_footer(&p) else { return Ok(()) };
            let limits = Limits { most: 0, slice: 7, pages: true };
            let cols = Columns::default();
            let r = read_inner(&p, &claims, &cols, &mut |_, _| {}, &mut |_| Ok(()), limits);
            if let Err(e) = r {
                prop_assert!(e.to_string().contains(file), "{e}");
            }
        }
    }

    /// FLOAT amounts read by their own shortest text: 1234567.89 as an
    /// f32 is 1234567.875, which prints as 1234567.9 (£1,234,567.90; by its
    /// f64 value it was £1,234,567.875), and 12.34 is £12.34: 123,458,024
    /// pence in all. A UINT64 over what an Int64 holds (2^64 − 1) is set
    /// aside as too large, not as no amount; 5 is £5.00.
    #[test]
    #[allow(clippy::excessive_precision)] // the digits f32 cannot hold are the point
    fn float32_and_uint64_amounts() {
        let dir = std::env::temp_dir().join(format!("costshare-f32-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, amounts: Column| {
            let p = dir.join(name);
            let mut df = DataFrame::new_infer_height(vec![
                Column::new("authority".into(), ["MBC"; 2]),
                Column::new("cost_centre".into(), ["A"; 2]),
                amounts,
            ])
            .unwrap();
            ParquetWriter::new(std::fs::File::create(&p).unwrap())
                .finish(&mut df)
                .unwrap();
            both_ways(&p, &Columns::default())
        };
        let [paged, polars] = write(
            "f.parquet",
            Column::new("amount".into(), [1234567.89f32, 12.34]),
        );
        assert_eq!(paged, polars);
        let (t, bad) = (paged.0.unwrap(), paged.1);
        assert_eq!((t.total_pence, bad.len()), (123_458_024, 0));
        let [paged, polars] = write("u.parquet", Column::new("amount".into(), [u64::MAX, 5]));
        assert_eq!(paged, polars);
        let (t, bad) = (paged.0.unwrap(), paged.1);
        assert_eq!((t.total_pence, bad.len()), (500, 1));
        assert!(bad[0].reason.contains("too large"), "{}", bad[0].reason);
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
