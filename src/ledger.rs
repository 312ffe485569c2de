//! General-ledger extracts: millions of lines of CSV, read exactly (amounts
//! to integer pence, never through a float), in parallel, in bounded memory,
//! with every bad line counted and the first ones named by line number.
//!
//! The file is read in blocks; each block is cut at the last line end not
//! inside a quoted field (blocks start at a record boundary, so an even
//! count of quotes before a line end means it ends a record), then split in
//! two at another such line end and parsed on two threads with the csv crate. Totals are kept per (authority, cost centre)
//! in i64 pence, which adds exactly and fast.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Bytes read per block: memory stays near twice this, whatever the file size.
pub const BLOCK: usize = 32 * 1024 * 1024;
/// Bad lines described by line number (all are counted).
pub const MAX_BAD_SHOWN: usize = 100;

/// Which header names hold the fields costshare needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub authority: String,
    pub cost_centre: String,
    pub amount: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            authority: "authority".into(),
            cost_centre: "cost_centre".into(),
            amount: "amount".into(),
        }
    }
}

impl Columns {
    /// "amount=Value,cost_centre=CC" renames columns.
    pub fn with_overrides(mut self, spec: &str) -> Result<Columns> {
        for part in spec.split(',').filter(|s| !s.trim().is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| {
                Error::usage(format!(
                    "--columns: {part:?} is not FIELD=HEADER (e.g. amount=Value)"
                ))
            })?;
            let v = v.trim().to_string();
            match k.trim() {
                "authority" => self.authority = v,
                "cost_centre" => self.cost_centre = v,
                "amount" => self.amount = v,
                other => {
                    return Err(Error::usage(format!(
                        "--columns: unknown field {other:?}; expected authority, cost_centre or amount"
                    )));
                }
            }
        }
        Ok(self)
    }
}

/// A small, fast hasher for the (authority, cost centre) keys: the keys
/// come from the council's own ledger, not from an adversary racing a
/// server, so SipHash's protection buys nothing here and costs time.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type Keyed = HashMap<(String, String), i64, std::hash::BuildHasherDefault<FxHasher>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: u64,
    pub reason: String,
}

/// What a ledger adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerTotals {
    /// (authority, cost centre) → pence.
    pub totals: Keyed,
    pub rows: u64,
    pub bad: u64,
    pub bad_lines: Vec<BadLine>,
    /// Sum of every good line, in pence.
    pub total_pence: i128,
}

impl LedgerTotals {
    fn merge(&mut self, other: LedgerTotals) {
        for (k, v) in other.totals {
            *self.totals.entry(k).or_insert(0) += v;
        }
        self.rows += other.rows;
        self.bad += other.bad;
        self.total_pence += other.total_pence;
        for b in other.bad_lines {
            if self.bad_lines.len() < MAX_BAD_SHOWN {
                self.bad_lines.push(b);
            }
        }
    }
}

/// Parses a ledger amount to pence: "-1234.56", "1,234.5", "(12.00)",
/// "£3.20". More than two decimal places is refused, not rounded.
pub fn parse_pence(b: &[u8]) -> std::result::Result<i64, &'static str> {
    let mut s = b;
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    if s.is_empty() {
        return Err("no amount");
    }
    let mut neg = false;
    if let [b'(', inner @ .., b')'] = s {
        neg = true;
        s = inner;
    }
    if let [b'-', rest @ ..] = s {
        neg = !neg;
        s = rest;
    }
    if let [0xC2, 0xA3, rest @ ..] = s {
        s = rest; // "£" in UTF-8
    }
    if let [b'-', rest @ ..] = s {
        neg = !neg;
        s = rest;
    }
    let mut pounds: i64 = 0;
    let mut pence: i64 = 0;
    let mut frac_digits = -1i32;
    let mut digits = 0;
    for &c in s {
        match c {
            b'0'..=b'9' => {
                let d = (c - b'0') as i64;
                if frac_digits >= 0 {
                    frac_digits += 1;
                    if frac_digits > 2 {
                        return Err("more than two decimal places (pence expected)");
                    }
                    pence = pence * 10 + d;
                } else {
                    pounds = pounds
                        .checked_mul(10)
                        .and_then(|p| p.checked_add(d))
                        .ok_or("amount too large")?;
                }
                digits += 1;
            }
            b',' if frac_digits < 0 => {}
            b'.' if frac_digits < 0 => frac_digits = 0,
            _ => return Err("not an amount"),
        }
    }
    if digits == 0 {
        return Err("not an amount");
    }
    if frac_digits == 1 {
        pence *= 10;
    }
    let v = pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence))
        .ok_or("amount too large")?;
    Ok(if neg { -v } else { v })
}

struct Fields {
    authority: usize,
    cost_centre: usize,
    amount: usize,
    width: usize,
}

/// Parses one chunk of whole lines; `first_line` is the file line number of
/// the chunk's first line.
fn parse_chunk(data: &[u8], first_line: u64, f: &Fields) -> LedgerTotals {
    let mut out = LedgerTotals::default();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rec = csv::ByteRecord::new();
    let bad = |out: &mut LedgerTotals, line: u64, reason: String| {
        out.bad += 1;
        if out.bad_lines.len() < MAX_BAD_SHOWN {
            out.bad_lines.push(BadLine { line, reason });
        }
    };
    // Reused key buffers: a lookup allocates nothing for a key seen before.
    let mut key = (String::new(), String::new());
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = first_line + e.position().map(|p| p.line()).unwrap_or(1) - 1;
                bad(&mut out, line, format!("not valid CSV: {e}"));
                continue;
            }
        }
        let line = first_line + rec.position().map(|p| p.line()).unwrap_or(1) - 1;
        if rec.len() != f.width {
            bad(
                &mut out,
                line,
                format!("{} fields, expected {}", rec.len(), f.width),
            );
            continue;
        }
        let (a, c, m) = (&rec[f.authority], &rec[f.cost_centre], &rec[f.amount]);
        let pence = match parse_pence(m) {
            Ok(p) => p,
            Err(why) => {
                bad(
                    &mut out,
                    line,
                    format!("amount {:?}: {why}", String::from_utf8_lossy(m)),
                );
                continue;
            }
        };
        let (Ok(a), Ok(c)) = (std::str::from_utf8(a), std::str::from_utf8(c)) else {
            bad(
                &mut out,
                line,
                "authority or cost centre is not UTF-8 text".into(),
            );
            continue;
        };
        let (a, c) = (a.trim(), c.trim());
        if a.is_empty() || c.is_empty() {
            bad(&mut out, line, "no authority or no cost centre".into());
            continue;
        }
        key.0.clear();
        key.0.push_str(a);
        key.1.clear();
        key.1.push_str(c);
        match out.totals.get_mut(&key) {
            Some(v) => *v += pence,
            None => {
                out.totals.insert(key.clone(), pence);
            }
        }
        out.rows += 1;
        out.total_pence += pence as i128;
    }
    out
}

fn quotes_in(data: &[u8]) -> usize {
    memchr::memchr_iter(b'"', data).count()
}

/// Just after the first line end at or after `from` that is not inside a
/// quoted field; `data` starts at a record boundary.
fn record_end_after(data: &[u8], from: usize) -> Option<usize> {
    let mut in_quotes = quotes_in(&data[..from]) % 2 == 1;
    for i in memchr::memchr2_iter(b'"', b'\n', &data[from..]) {
        let i = from + i;
        if data[i] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            return Some(i + 1);
        }
    }
    None
}

/// Just after the last line end of `data` not inside a quoted field;
/// `data` starts at a record boundary.
fn last_record_end(data: &[u8]) -> Option<usize> {
    let mut search = data.len();
    while let Some(i) = memchr::memrchr(b'\n', &data[..search]) {
        if quotes_in(&data[..i]) % 2 == 0 {
            return Some(i + 1);
        }
        search = i;
    }
    None
}

fn count_lines(data: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', data).count() as u64
}

/// Reads a ledger extract: Parquet (with the `parquet` feature) or CSV.
pub fn read(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    let is_parquet = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"));
    if is_parquet {
        #[cfg(feature = "parquet")]
        return crate::parquet::read(path, cols);
        #[cfg(not(feature = "parquet"))]
        return Err(Error::usage(format!(
            "{}: Parquet ledgers need costshare built with the parquet feature (the default)",
            path.display()
        )));
    }
    read_csv(path, cols, progress)
}

/// Reads a ledger CSV. `progress` is called with bytes read so far.
pub fn read_csv(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    read_csv_blocks(path, cols, BLOCK, progress)
}

/// `read_csv` with a chosen block size (tests use tiny blocks to cross
/// every kind of boundary).
pub fn read_csv_blocks(
    path: &Path,
    cols: &Columns,
    block: usize,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    let block = block.max(1);
    let file = path.display().to_string();
    let io = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf: Vec<u8> = Vec::with_capacity(block + 1024);
    let mut chunk = vec![0u8; block];
    // The header line.
    let mut header_bytes = Vec::new();
    loop {
        let n = f.read(&mut chunk).map_err(|e| Error::Io {
            path: file.clone(),
            source: e,
        })?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            header_bytes = buf[..i].to_vec();
            buf.drain(..=i);
            break;
        }
        if buf.len() > 1 << 20 {
            return Err(Error::CsvLine {
                path: file,
                line: 1,
                message: "the header line is longer than 1 MB".into(),
            });
        }
    }
    if header_bytes.is_empty() && buf.is_empty() {
        return Err(Error::Table {
            place: file,
            message: "is empty; expected a header line and ledger lines".into(),
        });
    }
    let header_text = String::from_utf8_lossy(&header_bytes);
    let header_text = header_text
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\r');
    let header: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header_text.as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let find = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::MissingColumn {
                place: format!("{file}, header line 1"),
                column: name.to_string(),
                found: header.clone(),
            })
    };
    let fields = Fields {
        authority: find(&cols.authority)?,
        cost_centre: find(&cols.cost_centre)?,
        amount: find(&cols.amount)?,
        width: header.len(),
    };
    let mut total = LedgerTotals::default();
    let mut line = 2u64;
    let mut read_so_far = header_bytes.len() as u64 + 1;
    let mut eof = false;
    while !eof {
        let n = f.read(&mut chunk).map_err(|e| Error::Io {
            path: file.clone(),
            source: e,
        })?;
        if n == 0 {
            eof = true;
        } else {
            buf.extend_from_slice(&chunk[..n]);
            read_so_far += n as u64;
            if buf.len() < block && !eof {
                continue;
            }
        }
        // Whole records only; the rest waits for the next block.
        let end = if eof {
            buf.len()
        } else {
            last_record_end(&buf).unwrap_or(0)
        };
        if end == 0 {
            if buf.len() > (4 * block).max(128 << 20) {
                return Err(Error::CsvLine {
                    path: file,
                    line,
                    message:
                        "a quoted field runs on for more than 128 MB: is a closing quote missing?"
                            .into(),
                });
            }
            continue;
        }
        let data = &buf[..end];
        let mid = record_end_after(data, data.len() / 2).unwrap_or(data.len());
        let (a, b) = data.split_at(mid);
        let line_b = line + count_lines(a);
        let (ra, rb) = std::thread::scope(|s| {
            let h = s.spawn(|| parse_chunk(b, line_b, &fields));
            let ra = parse_chunk(a, line, &fields);
            (ra, h.join())
        });
        total.merge(ra);
        total.merge(rb.map_err(|_| Error::Table {
            place: file.clone(),
            message: "a reader thread failed".into(),
        })?);
        line = line_b + count_lines(b);
        buf.drain(..end);
        progress(read_so_far.min(size), size);
    }
    total.bad_lines.sort_by_key(|b| b.line);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pence() {
        assert_eq!(parse_pence(b"-1234.56"), Ok(-123456));
        assert_eq!(parse_pence(b"1,234.5"), Ok(123450));
        assert_eq!(parse_pence(b"(12.00)"), Ok(-1200));
        assert_eq!(parse_pence("£3.20".as_bytes()), Ok(320));
        assert_eq!(parse_pence(b" 7 "), Ok(700));
        assert!(parse_pence(b"1.234").is_err());
        assert!(parse_pence(b"abc").is_err());
        assert!(parse_pence(b"").is_err());
        assert!(parse_pence(b"99999999999999999999").is_err());
    }
}

/// The services, cost centres and ledger lines `generate` draws from.
const SERVICES: &[(&str, u32)] = &[
    ("Audit", 2),
    ("HR", 3),
    ("ICT", 6),
    ("Legal", 3),
    ("Revenues & Benefits", 6),
    ("Parking", 3),
    ("Environmental Health", 4),
    ("Planning Support", 3),
];
const AUTHORITIES: &[(&str, char)] = &[("MBC", 'M'), ("SBC", 'S'), ("TWBC", 'T')];
const DESCRIPTIONS: &[(&str, u32, bool)] = &[
    ("Salaries", 1001, false),
    ("Employer's pension contributions", 1010, false),
    ("Agency staff, temporary cover", 1100, false),
    ("Travel and mileage", 1200, false),
    ("Rent, rates and service charges", 2001, false),
    ("Stationery, printing and postage", 4010, false),
    ("Software licences \"annual\" renewal", 4100, false),
    ("Professional fees", 4200, false),
    ("Fees and charges", 9001, true),
    ("Recharges to partners", 9100, true),
];

/// What `generate` wrote and the exact totals it generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub rows: u64,
    pub total_pence: i128,
    /// (authority, cost centre) → pence, as generated.
    pub totals: Keyed,
}

/// Writes a realistic, deterministic ledger (ledger.csv), its cost-centre map
/// (map.csv), budgets (budget.csv) and savings targets (targets.csv) to `dir`.
/// Quoted descriptions with commas and quotes, income as negatives, a few
/// cost centres missing from the map, one budget line with no spending.
pub fn generate(
    dir: &Path,
    rows: u64,
    seed: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<Generated> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let wr = |p: &Path| -> Result<std::io::BufWriter<std::fs::File>> {
        std::fs::File::create(p)
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .map_err(|source| Error::Write {
                path: p.display().to_string(),
                source,
            })
    };
    let werr = |p: &Path| {
        let path = p.display().to_string();
        move |source| Error::Write {
            path: path.clone(),
            source,
        }
    };
    // Cost centres: M-AUD-01 … per authority and service; two per authority unmapped.
    let mut centres: Vec<(String, String, Option<String>)> = Vec::new();
    for (a, letter) in AUTHORITIES {
        for (s, n) in SERVICES {
            let code: String = s
                .chars()
                .filter(|c| c.is_ascii_uppercase())
                .take(3)
                .collect();
            for i in 1..=*n {
                centres.push((
                    a.to_string(),
                    format!("{letter}-{code}-{i:02}"),
                    Some(s.to_string()),
                ));
            }
        }
        for i in 1..=2 {
            centres.push((a.to_string(), format!("{letter}-X-9{i:02}"), None));
        }
    }
    let mut rng = crate::simulate::Rng::new(seed);
    let ledger = dir.join("ledger.csv");
    let mut w = wr(&ledger)?;
    let e = werr(&ledger);
    writeln!(w, "date,authority,cost_centre,account,description,amount").map_err(&e)?;
    let mut made = Generated {
        rows,
        total_pence: 0,
        totals: Keyed::default(),
    };
    for n in 0..rows {
        let r = rng.next_u64();
        // Unmapped centres get about 1 line in 200.
        let c = if r % 200 == 0 {
            let unm: Vec<&(String, String, Option<String>)> =
                centres.iter().filter(|c| c.2.is_none()).collect();
            unm[((r >> 8) % unm.len() as u64) as usize]
        } else {
            &centres[((r >> 8) % centres.len() as u64) as usize]
        };
        let (desc, account, income) =
            DESCRIPTIONS[((r >> 20) % DESCRIPTIONS.len() as u64) as usize];
        let r2 = rng.next_u64();
        let mut pence = (r2 % 250_000) as i64 + 1; // up to £2,500.00
        if income {
            pence = -pence;
        }
        let day = (r2 >> 32) % 365;
        let (month, dom) = (day / 31, day % 28 + 1);
        let (y, m) = if month < 9 {
            (2014, month + 4)
        } else {
            (2015, month - 8)
        };
        let desc_q = desc.replace('"', "\"\"");
        let sign = if pence < 0 { "-" } else { "" };
        writeln!(
            w,
            "{y}-{m:02}-{dom:02},{},{},{account},\"{desc_q}\",{sign}{}.{:02}",
            c.0,
            c.1,
            pence.unsigned_abs() / 100,
            pence.unsigned_abs() % 100
        )
        .map_err(&e)?;
        *made.totals.entry((c.0.clone(), c.1.clone())).or_insert(0) += pence;
        made.total_pence += pence as i128;
        if n % 1_000_000 == 999_999 {
            progress(n + 1);
        }
    }
    w.flush().map_err(&e)?;

    let map = dir.join("map.csv");
    let mut w = wr(&map)?;
    let e = werr(&map);
    writeln!(w, "cost_centre,service").map_err(&e)?;
    for (_, cc, s) in &centres {
        if let Some(s) = s {
            writeln!(w, "{cc},{s}").map_err(&e)?;
        }
    }
    w.flush().map_err(&e)?;

    // Budgets: the generated out-turn of each service, moved by up to ±8 %,
    // to whole pounds; plus a service budgeted but never spent on.
    let budget = dir.join("budget.csv");
    let targets = dir.join("targets.csv");
    let (mut wb, mut wt) = (wr(&budget)?, wr(&targets)?);
    let (eb, et) = (werr(&budget), werr(&targets));
    writeln!(wb, "authority,service,budget").map_err(&eb)?;
    writeln!(wt, "authority,service,baseline,target").map_err(&et)?;
    for (a, _) in AUTHORITIES {
        for (s, _) in SERVICES {
            let spent: i64 = centres
                .iter()
                .filter(|c| c.0 == *a && c.2.as_deref() == Some(*s))
                .map(|c| {
                    made.totals
                        .get(&(c.0.clone(), c.1.clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .sum();
            let swing = (rng.next_u64() % 1601) as i64 - 800; // basis points
            let budget_p = spent + spent / 10_000 * swing;
            writeln!(wb, "{a},{s},{}", budget_p / 100).map_err(&eb)?;
            // Baseline before sharing 12 % above the budget; target 10 % of it.
            let baseline = budget_p / 100 * 112 / 100;
            writeln!(wt, "{a},{s},{baseline},{}", baseline / 10).map_err(&et)?;
        }
        writeln!(wb, "{a},Shared Fraud Investigation,25000").map_err(&eb)?;
    }
    wb.flush().map_err(&eb)?;
    wt.flush().map_err(&et)?;
    Ok(made)
}
