//! General-ledger extracts: a year of monthly files or millions of lines,
//! read exactly (amounts to integer pence plus any exact fraction of a
//! penny, never through a float), in bounded memory, with every line either
//! added to a row or set aside and listed with its file, line and text.
//!
//! CSV files go through costshare's own scanner (`csvscan`), in parallel
//! (`csv` module); workbooks through calamine (`sheet`); Parquet through
//! polars (feature `parquet`).

pub mod accounting;
pub mod amount;
mod csv;
mod generate;
pub mod inputs;
mod keysums;
pub mod monitor;
pub mod names;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod reconcile;
mod sheet;

pub use amount::{LedgerAmount, MAX_PENCE, parse as parse_amount};
// Heading matching lives with the table reader; the ledger uses it too.
pub use crate::input::import::{header_key, heading_is};
pub use csv::{BLOCK, read_csv, read_csv_blocks, read_csv_from};
pub use generate::{Generated, generate};

use crate::base::date::{FinancialYear, Month};
use crate::base::error::{Error, Result};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Set-aside lines kept in memory for the summary and JSON (all of them go
/// to `--rejects`).
pub const MAX_KEPT: usize = 100_000;
/// Set-aside lines printed on standard error (all are counted).
pub const MAX_SHOWN: usize = 100;
/// Float renderings listed by line (all are counted).
pub const MAX_FLOATS_LISTED: usize = 1_000;
/// How much of a set-aside line's text is kept.
pub const RAW_KEPT: usize = 300;

/// Which header names hold the fields costshare needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub authority: String,
    pub cost_centre: String,
    pub amount: String,
    /// Every line's authority, for one council's extract with no authority
    /// column (`--authority`).
    pub fixed_authority: Option<String>,
    /// Amounts are in this many pounds (1,000 for £000), when the heading
    /// does not say so itself (`--actuals-unit`).
    pub unit: Option<Decimal>,
    /// The date column, when figures are wanted by month.
    pub date: Option<String>,
    /// The account (subjective) column, when figures are wanted by account.
    pub account: Option<String>,
    /// The date column holds period numbers (1 = the financial year's
    /// first month), not dates (`--columns period=HEADER`).
    pub date_is_period: bool,
    /// The financial year period numbers count in (from `--period`).
    pub year: Option<FinancialYear>,
    /// The sheets of a ledger workbook to read (`--actuals-sheet`); none:
    /// every sheet with a ledger header.
    pub sheets: Vec<String>,
    /// The flag that names them, for messages: `--actuals-sheet`, or
    /// `--commitments-sheet` for open orders.
    pub sheet_flag: &'static str,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            authority: "authority".into(),
            cost_centre: "cost_centre".into(),
            amount: "amount".into(),
            fixed_authority: None,
            unit: None,
            date: None,
            account: None,
            date_is_period: false,
            year: None,
            sheets: Vec::new(),
            sheet_flag: "--actuals-sheet",
        }
    }
}

impl Columns {
    /// Refuses one column read as two fields (`--columns cost_centre=amount`
    /// made the amount the cost centre too, silently).
    pub fn distinct(&self) -> Result<()> {
        let mut fields = vec![("cost_centre", &self.cost_centre), ("amount", &self.amount)];
        match &self.fixed_authority {
            None => fields.push(("authority", &self.authority)),
            Some(_) if self.authority != Columns::default().authority => {
                return Err(Error::usage(
                    "--columns authority=HEADER names the authority column, --authority NAME says there is none: give one",
                ));
            }
            Some(_) => {}
        }
        let date = if self.date_is_period {
            "period"
        } else {
            "date"
        };
        fields.extend(self.date.as_ref().map(|d| (date, d)));
        fields.extend(self.account.as_ref().map(|a| ("account", a)));
        for (i, (f, name)) in fields.iter().enumerate() {
            if let Some((g, _)) = fields[..i]
                .iter()
                .find(|(_, other)| header_key(other) == header_key(name))
            {
                return Err(Error::usage(format!(
                    "--columns: {g} and {f} both read the column {name:?}; give each field its own column"
                )));
            }
        }
        Ok(())
    }

    /// "amount=Value,cost_centre=CC" renames columns.
    pub fn with_overrides(mut self, spec: &str) -> Result<Columns> {
        let mut given: Vec<&str> = Vec::new();
        for part in spec.split(',').filter(|s| !s.trim().is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| {
                Error::usage(format!(
                    "--columns: {part:?} is not FIELD=HEADER (e.g. amount=Value)"
                ))
            })?;
            let v = v.trim().to_string();
            // amount=A,amount=B: the last was taken, the first dropped.
            if given.contains(&k.trim()) {
                return Err(Error::usage(format!(
                    "--columns: {} is given twice; give each field once",
                    k.trim()
                )));
            }
            given.push(k.trim());
            match k.trim() {
                "authority" => self.authority = v,
                "cost_centre" => self.cost_centre = v,
                "amount" => self.amount = v,
                "date" | "period" if self.date.is_some() => {
                    return Err(Error::usage(
                        "--columns: give date=HEADER or period=HEADER, not both",
                    ));
                }
                "date" => self.date = Some(v),
                "period" => {
                    self.date = Some(v);
                    self.date_is_period = true;
                }
                "account" => self.account = Some(v),
                other => {
                    return Err(Error::usage(format!(
                        "--columns: unknown field {other:?}; expected authority, cost_centre, amount, date, period or account"
                    )));
                }
            }
        }
        Ok(self)
    }

    /// How the date column's text becomes a month.
    pub(crate) fn dating(&self) -> Dating {
        if self.date_is_period {
            Dating::Periods(self.year)
        } else {
            Dating::Dates
        }
    }
}

/// Why `--authority NAME` cannot stand for a ledger whose header has an
/// authority column: every line was put to NAME, the other councils'
/// spending with it.
pub(crate) fn authority_given_twice(column: &str, name: &str) -> String {
    format!(
        "the header has an authority column ({column:?}), and --authority {name:?} would put every line to {name:?}: leave --authority out (it is for one council's extract with no authority column)"
    )
}

/// What the date column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dating {
    Dates,
    /// Period numbers of this financial year (None: not known, an error).
    Periods(Option<FinancialYear>),
}

impl Dating {
    /// The calendar month of a line's date or period; why not, to set the
    /// line aside.
    pub(crate) fn month(self, text: &str) -> std::result::Result<Month, String> {
        match self {
            Dating::Dates => crate::base::date::month_of(text).ok_or_else(|| date_reason(text)),
            Dating::Periods(year) => {
                let p = crate::base::date::period_number(text).ok_or_else(|| {
                    format!(
                        "period {:?}: expected a period number 1 to 12 (13 to 16 for year-end adjustments), as 4, P4, P04 or Period 4",
                        raw_text(text.as_bytes())
                    )
                })?;
                let year = year.ok_or("period numbers need the financial year: give --period")?;
                Ok(year.month(p))
            }
        }
    }
}

/// An amount in `scale` pounds, in pounds, by the amount rule.
pub fn scaled(a: LedgerAmount, scale: Decimal) -> std::result::Result<LedgerAmount, &'static str> {
    if scale == Decimal::ONE {
        return Ok(a);
    }
    let pounds = Decimal::new(a.pence, 2) + a.sub_penny;
    let v = pounds.checked_mul(scale).ok_or("amount too large")?;
    let mut out = amount::from_decimal(v)?;
    out.float_rendering |= a.float_rendering;
    Ok(out)
}

/// A key field's text as the totals hold it: UTF-8, else Windows-1252,
/// trimmed.
pub(crate) fn field_key(b: &[u8]) -> String {
    let mut s = String::new();
    push_key(&mut s, b);
    s
}

/// `field_key`'s text added to `dst`: a buffer kept from line to line
/// makes no allocation for each line's key.
pub(crate) fn push_key(dst: &mut String, b: &[u8]) {
    match std::str::from_utf8(b) {
        Ok(s) => dst.push_str(s.trim()),
        Err(_) => dst.push_str(crate::input::import::decode_cp1252(b).trim()),
    }
}

/// A small, fast hasher for the (authority, cost centre) keys: the keys
/// come from the council's own ledger, not from an adversary racing a
/// server, so SipHash's protection buys nothing here and costs time.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = crate::base::hash::words(self.0, bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = crate::base::hash::step(self.0, i);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// (authority, cost centre) → pence. A blank authority or cost centre is an
/// empty string here: its lines still count, in an "Unassigned" row.
pub type Keyed = HashMap<(String, String), i128, std::hash::BuildHasherDefault<FxHasher>>;

/// A ledger line's place in the detail kept for monitoring: authority,
/// cost centre, account (empty when not asked for) and calendar month
/// (`Month(0)` when no date column was asked for).
pub type DetailKey = (String, String, String, crate::base::date::Month);

/// The exact sum of some lines: whole pence and fractions of a penny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sum {
    pub pence: i128,
    pub sub_penny: Decimal,
    pub lines: u64,
}

impl Sum {
    pub fn pounds(self) -> Decimal {
        Decimal::from_i128_with_scale(self.pence, 2) + self.sub_penny
    }
    pub(crate) fn add(&mut self, o: Sum) {
        self.pence += o.pence;
        self.sub_penny += o.sub_penny;
        self.lines += o.lines;
    }
}

/// A line set aside, with where it was and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The file (and sheet) it came from.
    pub place: Arc<str>,
    /// "line" (CSV), "row" (sheet) or "record" (Parquet).
    pub unit: &'static str,
    pub line: u64,
    pub reason: String,
    /// The line as written, cut to `RAW_KEPT` characters.
    pub raw: String,
    /// Its amount, where one could be read.
    pub pence: Option<i64>,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {} {}: {}",
            self.place, self.unit, self.line, self.reason
        )
    }
}

/// An amount written by a float, read as the pence it renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloatLine {
    pub place: Arc<str>,
    pub unit: &'static str,
    pub line: u64,
    pub text: String,
    pub pence: i64,
}

/// What one file (or sheet) gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileSummary {
    pub place: String,
    /// Lines as a text editor counts them (rows for a sheet).
    pub lines: u64,
    /// Records read, the header included (a quoted field may span lines).
    pub read: u64,
    pub used: u64,
    pub blank: u64,
    /// The header, repeated headers, titles above it, typed totals.
    pub other: u64,
    pub set_aside: u64,
    pub pence: i128,
    pub sub_penny: Decimal,
    /// A hidden sheet, or a sheet with no ledger header (not read).
    pub note: Option<String>,
    /// A hidden sheet of a workbook.
    pub hidden: bool,
}

/// What a ledger adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerTotals {
    pub totals: Keyed,
    /// Fractions of a penny by key (only keys that had any).
    pub sub_penny: BTreeMap<(String, String), Decimal>,
    /// Lines added.
    pub rows: u64,
    pub blank: u64,
    /// Headers, repeated headers, titles and typed totals: not ledger lines.
    pub other: u64,
    /// Lines set aside.
    pub bad: u64,
    /// Pence in set-aside lines whose amount could be read.
    pub bad_pence: i128,
    /// Set-aside lines whose amount could not be read.
    pub bad_unknown: u64,
    /// The first `MAX_KEPT` set-aside lines.
    pub bad_lines: Vec<BadLine>,
    pub floats: u64,
    pub float_lines: Vec<FloatLine>,
    /// Sum of every added line: whole pence, and fractions of a penny.
    pub total_pence: i128,
    pub total_sub_penny: Decimal,
    pub files: Vec<FileSummary>,
    /// By authority, cost centre, account and month: kept only when a date
    /// or account column was asked for.
    pub detail: HashMap<DetailKey, Sum>,
    /// Lines taken as totals typed into the file (the sum of the lines
    /// above them): not added, and the first `MAX_FLOATS_LISTED` named.
    pub totals_taken: u64,
    pub totals_taken_lines: Vec<BadLine>,
    /// What is said of the files in the report's notes: files named apart
    /// holding as many lines to the same total (read, both), and hidden
    /// sheets read.
    pub alike: Vec<String>,
    /// Lines with nothing but an amount, not yet added: a typed total if
    /// the amount is the sum of the lines above it, else set aside.
    pub(crate) candidates: Vec<TotalCandidate>,
    /// The first line that is the header again with its columns in
    /// another order (files joined together): the lines after it cannot be
    /// read by the first header's columns.
    pub(crate) reheaded: Option<u64>,
}

/// A line with nothing but an amount (or a total named in its words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TotalCandidate {
    pub line: BadLine,
    pub amount: LedgerAmount,
    /// Pence added before it, from the start of the stretch it was read in.
    pub before: i128,
    /// A line that keeps its cost centre ("Northtown,C1,C1 total,500"): a
    /// subtotal when it agrees, else spending, added under this key.
    pub keyed: Option<KeyedLine>,
}

/// Where a line naming a total in its words is added when it is spending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyedLine {
    pub key: (String, String),
    /// Its account and month, when figures by period were asked for.
    pub detail: Option<(String, crate::base::date::Month)>,
}

impl LedgerTotals {
    pub(crate) fn add(&mut self, key: &(String, String), a: LedgerAmount) {
        match self.totals.get_mut(key) {
            Some(v) => *v += a.pence as i128,
            None => {
                self.totals.insert(key.clone(), a.pence as i128);
            }
        }
        if !a.sub_penny.is_zero() {
            *self.sub_penny.entry(key.clone()).or_default() += a.sub_penny;
            self.total_sub_penny += a.sub_penny;
        }
        self.rows += 1;
        self.total_pence += a.pence as i128;
    }

    /// Adds a line that also carries an account and a month.
    pub(crate) fn add_detail(
        &mut self,
        key: &(String, String),
        account: &str,
        month: crate::base::date::Month,
        a: LedgerAmount,
    ) {
        self.add(key, a);
        let d = (key.0.clone(), key.1.clone(), account.to_string(), month);
        self.detail.entry(d).or_default().add(Sum {
            pence: a.pence as i128,
            sub_penny: a.sub_penny,
            lines: 1,
        });
    }

    pub(crate) fn set_aside(&mut self, b: BadLine) {
        self.bad += 1;
        match b.pence {
            Some(p) => self.bad_pence += p as i128,
            None => self.bad_unknown += 1,
        }
        // A block's own list is kept whole (bounded by the block size) so
        // that every line reaches --rejects; the run's list is capped in merge.
        self.bad_lines.push(b);
    }

    /// Decides the lines with nothing but an amount: a total that agrees
    /// with everything added before it in this file is not a ledger line;
    /// any other is set aside, loudly. `file_before` is the file's pence
    /// added before this stretch.
    pub(crate) fn settle_candidates(&mut self, file_before: i128) {
        // Pence added when the last total was taken: a subtotal (one
        // authority's) is the sum since, as a sheet's are.
        let mut taken_at: Option<i128> = None;
        // Keyed lines found to be spending, added here: after the lines
        // read after them, whose sums above lack them.
        let mut added = 0i128;
        for c in std::mem::take(&mut self.candidates) {
            let sum = file_before + c.before + added;
            let p = c.amount.pence as i128;
            let since = taken_at.is_some_and(|t| p == sum - t);
            if c.amount.sub_penny.is_zero() && (p == sum || since) {
                self.take_total(c.line, c.amount.pence);
                taken_at = Some(sum);
                continue;
            }
            if let Some(k) = c.keyed {
                match k.detail {
                    Some((account, month)) => self.add_detail(&k.key, &account, month, c.amount),
                    None => self.add(&k.key, c.amount),
                }
                added += p;
                continue;
            }
            let mut b = c.line;
            b.reason = format!(
                "nothing but an amount on this line (or labelled a total): a total or a note, not a ledger line? It is not the sum of the lines above it in this file ({}), so it is neither added nor taken as a total",
                crate::base::money::format_pounds(
                    Decimal::from_i128_with_scale(sum, 2),
                    2,
                    crate::base::money::Negatives::Brackets
                )
            );
            b.pence = Some(c.amount.pence);
            self.set_aside(b);
        }
        self.bad_lines.sort_by_key(|b| b.line);
    }

    /// A line that is the sum of the lines above it: a total typed into
    /// the file, counted with the headers, not added, and named.
    pub(crate) fn take_total(&mut self, mut b: BadLine, pence: i64) {
        self.other += 1;
        self.totals_taken += 1;
        if self.totals_taken_lines.len() < MAX_FLOATS_LISTED {
            b.pence = Some(pence);
            self.totals_taken_lines.push(b);
        }
    }

    pub(crate) fn float(&mut self, f: FloatLine) {
        self.floats += 1;
        if self.float_lines.len() < MAX_FLOATS_LISTED {
            self.float_lines.push(f);
        }
    }

    /// Adds `other`'s lines after this one's, keeping at most `MAX_KEPT`
    /// set-aside lines.
    pub fn merge(&mut self, other: LedgerTotals) {
        self.merge_keeping(other, MAX_KEPT);
    }

    pub(crate) fn merge_keeping(&mut self, other: LedgerTotals, keep: usize) {
        for (k, v) in other.totals {
            *self.totals.entry(k).or_insert(0) += v;
        }
        for (k, v) in other.sub_penny {
            *self.sub_penny.entry(k).or_default() += v;
        }
        for (k, v) in other.detail {
            self.detail.entry(k).or_default().add(v);
        }
        self.rows += other.rows;
        self.blank += other.blank;
        self.other += other.other;
        self.bad += other.bad;
        self.bad_pence += other.bad_pence;
        self.bad_unknown += other.bad_unknown;
        self.floats += other.floats;
        for mut c in other.candidates {
            c.before += self.total_pence;
            self.candidates.push(c);
        }
        self.total_pence += other.total_pence;
        self.total_sub_penny += other.total_sub_penny;
        self.reheaded = self.reheaded.or(other.reheaded);
        let room = keep.saturating_sub(self.bad_lines.len());
        self.bad_lines
            .extend(other.bad_lines.into_iter().take(room));
        self.totals_taken += other.totals_taken;
        let room = MAX_FLOATS_LISTED.saturating_sub(self.totals_taken_lines.len());
        self.totals_taken_lines
            .extend(other.totals_taken_lines.into_iter().take(room));
        let room = MAX_FLOATS_LISTED.saturating_sub(self.float_lines.len());
        self.float_lines
            .extend(other.float_lines.into_iter().take(room));
        self.files.extend(other.files);
    }

    /// Everything added, exactly, in pounds.
    pub fn total(&self) -> Decimal {
        Decimal::from_i128_with_scale(self.total_pence, 2) + self.total_sub_penny
    }

    /// Any line that might carry money was set aside.
    pub fn lost_anything(&self) -> bool {
        self.bad > 0
    }
}

/// Whether a line or row, its cells as header keys (`row`), is the header
/// again with its columns moved: its amount cell names another of the
/// header's columns, and at least half as many of its cells as the header
/// has name the header's (a second extract joined on, its columns
/// reordered or one renamed: "supplier" for "description"). Blank cells
/// name nothing: a blank amount under a header with a blank heading is
/// not a header.
pub(crate) fn reheaded(header: &[String], row: &[String], amount: usize) -> bool {
    let named = |n: &String| !n.is_empty() && header.contains(n);
    let at_amount = row
        .get(amount)
        .is_some_and(|n| named(n) && Some(n) != header.get(amount));
    at_amount && 2 * row.iter().filter(|n| named(n)).count() >= header.len()
}

/// Said of a header repeated with its columns moved.
pub(crate) const REHEADED: &str = "the header again, with its columns in another order (extracts joined together?): the lines after it would be read by the first header's columns; give each extract as a file of its own";

/// Where set-aside lines are written as they are found.
pub type Sink<'a> = &'a mut dyn FnMut(&BadLine) -> Result<()>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Workbook,
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Parquet,
}

fn kind_of(path: &Path) -> Kind {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "parquet" | "pq" => Kind::Parquet,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Kind::Workbook,
        _ => Kind::Csv,
    }
}

/// The ledger files named: files as they are, a folder's ledger files
/// (sorted by name), or a pattern with `*` and `?` in the file name.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for a in args {
        let name = a.file_name().map(|n| n.to_string_lossy().into_owned());
        let pattern = name.as_deref().filter(|n| n.contains(['*', '?']));
        if let Some(pat) = pattern {
            let dir = a.parent().filter(|p| !p.as_os_str().is_empty());
            let dir = dir.unwrap_or(Path::new("."));
            let found = list_dir(dir, |n| wildcard(pat, n))?;
            if found.is_empty() {
                return Err(Error::usage(format!(
                    "{}: no file matches {pat:?}",
                    dir.display()
                )));
            }
            out.extend(found);
        } else if a.is_dir() {
            let found = list_dir(a, |n| {
                let l = n.to_ascii_lowercase();
                [".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet"]
                    .iter()
                    .any(|e| l.ends_with(e))
            })?;
            if found.is_empty() {
                return Err(Error::usage(format!(
                    "{}: the folder has no ledger files (.csv, .txt, .xlsx, .xls, .ods, .parquet)",
                    a.display()
                )));
            }
            out.extend(found);
        } else {
            out.push(a.clone());
        }
    }
    once_each(&out)?;
    Ok(out)
}

/// A file named twice (itself and in its folder, by two spellings, or by a
/// link) would be counted twice: refused, naming both. So is a copy of
/// it ("spend-2024-10 (1).csv" beside "spend-2024-10.csv"): two files of
/// the same bytes with ledger lines in them.
fn once_each(files: &[PathBuf]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    let mut sizes: std::collections::HashMap<u64, Vec<&PathBuf>> = Default::default();
    for f in files {
        let Ok(real) = std::fs::canonicalize(f) else {
            continue; // read later, and its error said then
        };
        if let Some(first) = seen.insert(real, f) {
            return Err(Error::usage(format!(
                "{} and {} are the same file: its lines would be counted twice; name it once",
                first.display(),
                f.display()
            )));
        }
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        let same = sizes.entry(size).or_default();
        if let Some(first) = same.iter().find(|g| copies(g, f)) {
            return Err(Error::usage(format!(
                "{} and {} hold the same bytes, ledger lines and all: the same extract saved twice? Its lines would be counted twice; name one",
                first.display(),
                f.display()
            )));
        }
        same.push(f);
    }
    Ok(())
}

/// Open orders read from a file of the out-turn are counted twice: as spent
/// and as committed. Refused, naming both, unless they are one workbook's
/// sheets and each flag names its own (`actuals` and `commitments` are the
/// files as given; each list of sheets is its flag's).
pub fn apart(
    (actuals, a_sheets): (&[PathBuf], &[String]),
    (commitments, c_sheets): (&[PathBuf], &[String]),
) -> Result<()> {
    let (actuals, commitments) = (expand(actuals)?, expand(commitments)?);
    for c in &commitments {
        let real = std::fs::canonicalize(c).ok();
        let Some(a) = actuals.iter().find(|a| {
            let size = |f: &PathBuf| std::fs::metadata(f).map(|m| m.len()).ok();
            real.is_some() && std::fs::canonicalize(a).ok() == real
                || size(a).is_some() && size(a) == size(c) && copies(a, c)
        }) else {
            continue;
        };
        let sheets_apart = kind_of(c) == Kind::Workbook
            && !a_sheets.is_empty()
            && !c_sheets.is_empty()
            && !a_sheets.iter().any(|x| {
                c_sheets
                    .iter()
                    .any(|y| crate::input::import::same_sheet_name(x, y))
            });
        if sheets_apart {
            continue;
        }
        let how = match std::fs::canonicalize(a).ok() == real {
            true => "is given as --actuals and as --commitments:".to_string(),
            false => format!(
                "and {} hold the same bytes, given as --actuals and as --commitments:",
                a.display()
            ),
        };
        let fix = match kind_of(c) {
            Kind::Workbook => {
                "give open orders a file of their own, or name each flag's sheets (--actuals-sheet, --commitments-sheet) apart"
            }
            _ => "give open orders a file of their own",
        };
        return Err(Error::usage(format!(
            "{} {how} the lines would be counted as spent and as committed; {fix}",
            c.display()
        )));
    }
    Ok(())
}

/// Open orders that hold as many lines to the same total, to the fraction
/// of a penny, as a file of the out-turn are its lines again, whatever their
/// bytes (`apart` catches a byte copy; a copy saved with other line ends or
/// as another format is caught here, once both are read): counted as spent
/// and as committed. Refused, naming both. A file of one line proves
/// nothing.
pub fn not_the_outturn(actuals: &LedgerTotals, commitments: &LedgerTotals) -> Result<()> {
    for c in commitments.files.iter().filter(|f| f.used > 1) {
        let same =
            |a: &&FileSummary| (a.used, a.pence, a.sub_penny) == (c.used, c.pence, c.sub_penny);
        let Some(a) = actuals.files.iter().find(same) else {
            continue;
        };
        let money = crate::base::money::format_pounds(
            Decimal::from_i128_with_scale(c.pence, 2) + c.sub_penny,
            2,
            Default::default(),
        );
        return Err(Error::usage(format!(
            "{} (--commitments) and {} (--actuals) hold the same {} ledger lines totalling {money}: \
             the out-turn's own lines again (a copy saved with other line ends, or as another \
             format)? They would be counted as spent and as committed; give open orders a file \
             of their own",
            c.place, a.place, c.used
        )));
    }
    Ok(())
}

/// Whether two files hold the same bytes and more than a header line (two
/// months with no spending may well be the same header alone).
fn copies(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    // Lines: LFs (CRs in a file with none), and a last line with no end.
    let (mut lf, mut cr, mut last) = (0usize, 0usize, b'\n');
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            let lines = if lf > 0 { lf } else { cr } + usize::from(!matches!(last, b'\n' | b'\r'));
            return rb.read(&mut bb[..1]).is_ok_and(|m| m == 0) && lines > 1;
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
        lf += memchr::memchr_iter(b'\n', &ba[..n]).count();
        cr += memchr::memchr_iter(b'\r', &ba[..n]).count();
        last = ba[n - 1];
    }
}

fn list_dir(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| keep(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    v.sort();
    Ok(v)
}

/// `*` any run of characters, `?` one character.
fn wildcard(pat: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pat.chars().collect(), name.chars().collect());
    // Iterative matching with one backtrack point: linear in practice.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// Reads one ledger file of any kind.
pub fn read(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    read_with_sink(path, cols, progress, &mut |_| Ok(()))
}

/// Reads one ledger file, passing each set-aside line to `sink`.
pub fn read_with_sink(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    match kind_of(path) {
        Kind::Csv => csv::read_csv_sink(path, cols, BLOCK, progress, sink),
        Kind::Workbook => sheet::read(path, cols, sink),
        Kind::Parquet => {
            #[cfg(feature = "parquet")]
            return crate::ledger::parquet::read(path, cols, progress, sink);
            #[cfg(not(feature = "parquet"))]
            return Err(Error::usage(format!(
                "{}: Parquet ledgers need costshare built with the parquet feature (the default)",
                path.display()
            )));
        }
    }
}

/// Reads every file named (folders and patterns expanded), in order.
pub fn read_all(
    paths: &[PathBuf],
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    let mut total = LedgerTotals::default();
    for p in paths {
        let t = read_with_sink(p, cols, progress, sink)?;
        total.merge(t);
    }
    let sheets = |f: &FileSummary| f.place.contains(", sheet ");
    if !cols.sheets.is_empty() && !total.files.iter().any(sheets) {
        return Err(Error::usage(format!(
            "{} names sheets of ledger workbooks, but no ledger file read is a workbook (xlsx, xls or ods)",
            cols.sheet_flag
        )));
    }
    // Each sheet named is some workbook's: one misspelt in a list was
    // passed over, its money with it.
    let sheet_of = |f: &FileSummary| f.place.split_once(", sheet ").map(|(_, s)| s.to_string());
    let seen: Vec<String> = total.files.iter().filter_map(sheet_of).collect();
    for w in &cols.sheets {
        let named = format!("{w:?}");
        let alike = |n: &String| crate::input::import::same_sheet_name(n, &named);
        if !seen.iter().any(alike) {
            return Err(Error::usage(format!(
                "{} {w:?}: no ledger workbook read has a sheet of that name (it has {})",
                cols.sheet_flag,
                seen.join(", ")
            )));
        }
    }
    total.alike = same_lines(&total.files, cols.sheet_flag)?;
    total
        .alike
        .extend(hidden_read(&total.files, cols.sheet_flag));
    Ok(total)
}

/// A hidden sheet's lines are in the out-turn, though Excel does not show
/// them: said in the report's notes, not only on standard error (a hidden
/// sheet of workings, read, put the out-turn far from what Excel showed).
fn hidden_read(files: &[FileSummary], flag: &str) -> Vec<String> {
    let hidden = files.iter().filter(|f| f.hidden && f.used > 0);
    hidden
        .map(|f| {
            let money = crate::base::money::format_pounds(
                Decimal::from_i128_with_scale(f.pence, 2) + f.sub_penny,
                2,
                Default::default(),
            );
            format!(
                "{} is a hidden sheet, which Excel does not show: its {} ledger line{} ({money}) {} counted; {flag} names the sheets to read",
                f.place,
                f.used,
                if f.used == 1 { "" } else { "s" },
                if f.used == 1 { "is" } else { "are" }
            )
        })
        .collect()
}

/// Two files (or sheets) holding as many lines to the same total, to the
/// fraction of a penny, named alike ("ledger.csv" and "ledger.parquet",
/// "june.csv" and "june (1).csv"), are one extract twice, whatever their
/// bytes: both were counted (the out-turn doubled, exit 0), so they are
/// refused, naming both. Named apart (two months of the same standing
/// orders may match), they are read and each pair said, to be put in the
/// report's notes. A file of one line proves nothing.
fn same_lines(files: &[FileSummary], flag: &str) -> Result<Vec<String>> {
    let mut seen: HashMap<(u64, i128, Decimal), &FileSummary> = HashMap::new();
    let mut alike = Vec::new();
    // A journal netting to nothing is as much a copy as any other.
    for f in files.iter().filter(|f| f.used > 1) {
        let Some(first) = seen.insert((f.used, f.pence, f.sub_penny), f) else {
            continue;
        };
        let money = crate::base::money::format_pounds(
            Decimal::from_i128_with_scale(f.pence, 2),
            2,
            Default::default(),
        );
        let both = format!(
            "{} and {} hold the same {} ledger lines totalling {money}",
            first.place, f.place, f.used
        );
        if !named_alike(&first.place, &f.place) {
            alike.push(format!(
                "{both}: both are counted; check they are not one extract twice"
            ));
            continue;
        }
        let one = match first.place.split_once(", sheet ") {
            Some((file, _)) if f.place.starts_with(&format!("{file}, sheet ")) => {
                format!("name the sheet to read with {flag}")
            }
            _ => "name one".to_string(),
        };
        return Err(Error::usage(format!(
            "{both}: the same extract twice (a CSV and its Parquet copy, or a copy saved \
             again)? Its lines would be counted twice; {one}"
        )));
    }
    Ok(alike)
}

/// Whether two places are named as one and its copy: two files whose
/// names before the extension are the same, or one the other's with a word
/// added ("june" and "june-resaved", "june (1)", "Copy of june"); two
/// sheets of one workbook by their sheet names alike. "P1" and "P10", or
/// sheets "April" and "May", are named apart.
fn named_alike(a: &str, b: &str) -> bool {
    let split = |p: &str| {
        let (file, sheet) = p.split_once(", sheet ").unwrap_or((p, ""));
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase());
        (
            file.to_string(),
            stem.unwrap_or_default(),
            sheet.trim_matches('"').to_lowercase(),
        )
    };
    let ((fa, sa, ha), (fb, sb, hb)) = (split(a), split(b));
    match fa == fb {
        true => alike(&ha, &hb),
        false => alike(&sa, &sb),
    }
}

/// One name and the other the same, or it with a word added after a space
/// or mark, or "copy of " before it.
fn alike(a: &str, b: &str) -> bool {
    let (a, b) = (
        a.trim_start_matches("copy of "),
        b.trim_start_matches("copy of "),
    );
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let added = long.strip_prefix(short);
    !short.is_empty()
        && added.is_some_and(|x| x.is_empty() || x.starts_with(|c: char| !c.is_alphanumeric()))
}

/// Why a line whose date cannot be read is set aside.
fn date_reason(text: &str) -> String {
    if text.trim().is_empty() {
        "no date, and figures by month were asked for (--columns date=…)".into()
    } else {
        format!(
            "date {:?}: expected a day-first date such as 31/03/2025, 31 Mar 2025 or 2025-03-31",
            raw_text(text.as_bytes())
        )
    }
}

/// The line as written, cut short, for listings.
pub fn raw_text(b: &[u8]) -> String {
    let cut = &b[..b.len().min(RAW_KEPT * 4)];
    let s = match std::str::from_utf8(cut) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(cut).into_owned(),
        Err(_) => crate::input::import::decode_cp1252(cut),
    };
    let mut out: String = s.chars().take(RAW_KEPT).collect();
    if s.chars().count() > RAW_KEPT || b.len() > cut.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_as_people_mean_them() {
        assert_eq!(header_key(" Name of  Body "), "name of body");
        assert_eq!(header_key("\u{feff}Cost_Centre"), "cost centre");
        assert_eq!(header_key("AMOUNT"), "amount");
    }

    /// Named as one and its copy, or apart.
    #[test]
    fn names_alike() {
        for (a, b) in [
            ("d/ledger.csv", "d/ledger.parquet"),
            ("d/june.csv", "d/june-resaved.csv"),
            ("d/june.csv", "d/June (1).csv"),
            ("d/june.csv", "d/Copy of june.csv"),
            ("w.xlsx, sheet \"April\"", "w.xlsx, sheet \"April (2)\""),
        ] {
            assert!(named_alike(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("d/P1.csv", "d/P10.csv"),
            ("d/april.csv", "d/may.csv"),
            ("w.xlsx, sheet \"April\"", "w.xlsx, sheet \"May\""),
        ] {
            assert!(!named_alike(a, b), "{a} {b}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("spend-*.csv", "spend-2024-04.csv"));
        assert!(wildcard("*", "x"));
        assert!(wildcard("a?c", "abc"));
        assert!(!wildcard("spend-*.csv", "spend-2024-04.xlsx"));
        assert!(!wildcard("a?c", "ac"));
    }
}
