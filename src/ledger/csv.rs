//! Ledger CSV files, read in blocks on every core.
//!
//! A block holds whole records only: the scanner says where the last
//! complete record ends, and the rest waits for the next block. Each block is
//! cut into stretches at the first line end after even cuts, and the
//! stretches are read by every core in turn, each numbering its lines from
//! 0. They are joined in order: each stretch's reader says where its records
//! really end, and a stretch whose guessed start is not that place (the cut
//! fell inside a quoted field that spans lines) is read again from there.
//! The result is always the sequential one.

use super::keysums::KeySums;
use super::{
    BadLine, Columns, FileSummary, FloatLine, LedgerTotals, Sink, field_key, header_key, push_key,
    raw_text,
};
use crate::base::error::{Error, Result};
use crate::input::csvscan::{Scanner, Span, Step, sniff_delimiter, unquote};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Bytes read per block: memory stays near three times this, whatever the
/// file size.
pub const BLOCK: usize = 16 * 1024 * 1024;
/// A record longer than this is not a ledger line.
const MAX_RECORD: usize = 128 * 1024 * 1024;
/// Lines searched for the header (titles may stand above it).
const HEADER_SEARCH: usize = 50;
/// Blocks smaller than this are read on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// Where the needed fields are, and what a repeated header looks like.
struct Fields {
    /// The columns that are none of the others (descriptions): where a
    /// line that keeps its cost centre may name a total.
    words: Vec<usize>,
    authority: Option<usize>,
    fixed_authority: String,
    cost_centre: usize,
    amount: usize,
    /// The date and account columns, when asked for.
    date: Option<usize>,
    account: Option<usize>,
    dating: super::Dating,
    width: usize,
    header: Vec<String>,
    delim: u8,
    place: Arc<str>,
    /// Pounds per unit of the amount column (1,000 for "Amount (£000)").
    scale: rust_decimal::Decimal,
    /// The scale is 1 (asked once, not for every line).
    in_pounds: bool,
}

impl Fields {
    /// The columns that are not the amount, cost centre, authority, date
    /// or account.
    fn other_columns(&self) -> Vec<usize> {
        let keys = [
            Some(self.amount),
            Some(self.cost_centre),
            self.authority,
            self.date,
            self.account,
        ];
        (0..self.width)
            .filter(|&i| !keys.contains(&Some(i)))
            .collect()
    }
}

/// What one stretch of records gave, and where it stopped.
struct Part {
    totals: LedgerTotals,
    /// Bytes of complete records consumed.
    consumed: usize,
    next_line: u64,
    /// The data ended inside a record (and whether inside quotes).
    incomplete: Option<bool>,
    /// A quoted field was never closed: its reason names its lines.
    unterminated: bool,
}

/// Reads records from `data` (which starts at a record boundary on line
/// `first_line`) until the data ends or a record would start at `stop_at`.
fn parse_records(data: &[u8], first_line: u64, more: bool, stop_at: usize, f: &Fields) -> Part {
    let mut t = LedgerTotals::default();
    let mut scan = Scanner::new(data, first_line, f.delim, more);
    let mut spans: Vec<Span> = Vec::with_capacity(f.width + 1);
    let mut key = (String::new(), String::new());
    let mut sums = KeySums::default();
    let (mut incomplete, mut unterminated) = (None, false);
    while scan.position().0 < stop_at {
        match scan.next(&mut spans) {
            Step::Record(rec) => {
                unterminated |= rec.unterminated;
                record(data, rec, &spans, f, (&mut key, &mut sums), &mut t)
            }
            Step::Incomplete { in_quotes } => {
                incomplete = Some(in_quotes);
                break;
            }
            Step::End => break,
        }
    }
    sums.flush(&mut t);
    let (consumed, next_line) = scan.position();
    Part {
        totals: t,
        consumed,
        next_line,
        incomplete,
        unterminated,
    }
}

/// Moves the line numbers of a part read as if it began on line 0 to
/// begin on line `first`.
fn shift_lines(p: &mut Part, first: u64) {
    p.next_line += first;
    for b in &mut p.totals.bad_lines {
        b.line += first;
    }
    for l in &mut p.totals.float_lines {
        l.line += first;
    }
    for c in &mut p.totals.candidates {
        c.line.line += first;
    }
    if let Some(l) = &mut p.totals.reheaded {
        *l += first;
    }
}

/// A line's fields as header keys.
fn keys_of<'d>(width: usize, field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>) -> Vec<String> {
    (0..width)
        .map(|i| header_key(&field_key(&field(i))))
        .collect()
}

fn is_blank(data: &[u8], spans: &[Span]) -> bool {
    spans.iter().all(|s| {
        unquote(&data[s.start..s.end], s.quoted)
            .trim_ascii()
            .is_empty()
    })
}

/// Some(true) for nothing but an amount, or labelled a total ("Total,,10"),
/// or with no cost centre and a total named in its words (",,Subtotal
/// April,300"): a total typed into the file if it is the sum of the lines
/// above (or since the last total), else set aside. Some(false) for a total
/// named in the words of a line that keeps its cost centre ("Northtown,C1,C1
/// total,500"): a subtotal if it agrees, else spending.
fn total_like<'d>(
    (width, data, spans): (usize, &[u8], &[Span]),
    f: &Fields,
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
) -> Option<bool> {
    use crate::input::import::{is_total_label_bytes, names_a_total};
    let blank = |i: usize| field(i).trim_ascii().is_empty();
    if (0..width).all(|i| i == f.amount || blank(i) || is_total_label_bytes(&field(i))) {
        return Some(true);
    }
    // A spending line has a cost centre; an authority's subtotal
    // ("Northtown,,Northtown total,68500") may keep its authority, and a
    // date (so monitored and reconciled ledgers read it alike).
    let unkeyed = blank(f.cost_centre);
    if unkeyed {
        let named = (0..width).any(|i| i != f.amount && names_a_total(&field(i)));
        return named.then_some(true);
    }
    // A line with a cost centre is asked too (every line of a large
    // extract is), by the ends of its description as written first.
    let raw = |i: usize| &data[spans[i].start..spans[i].end];
    let said = |i: &usize| *i < width && may_name_total(raw(*i)) && names_a_total(&field(*i));
    f.words.iter().any(said).then_some(false)
}

/// Whether `b` may name a total (`names_a_total`), by its ends alone: it
/// ends "total" or "totals", or begins "sub" or "grand". Most descriptions
/// are done here.
fn may_name_total(b: &[u8]) -> bool {
    // Index loops: every line's description is asked.
    let mut z = b.len();
    while z > 0 && !b[z - 1].is_ascii_alphanumeric() {
        z -= 1;
    }
    let mut a = 0;
    while a < z && !b[a].is_ascii_alphanumeric() {
        a += 1;
    }
    if a == z {
        return false;
    }
    let w = &b[a..z];
    let ends = |t: &[u8]| w.len() >= t.len() && w[w.len() - t.len()..].eq_ignore_ascii_case(t);
    let begins = |t: &[u8]| w.len() >= t.len() && w[..t.len()].eq_ignore_ascii_case(t);
    // A letter each first: a date, a code or a plural is done there.
    match (w[0] | 0x20, w[w.len() - 1] | 0x20) {
        (_, b'l') if ends(b"total") => true,
        (_, b's') if ends(b"totals") => true,
        (b's', _) => begins(b"sub"),
        (b'g', _) => begins(b"grand"),
        _ => false,
    }
}

/// Why a record's quotes leave its fields unknown: a quote never closed,
/// or text after a closing quote (a missing quote swallows lines).
fn quoting_fault(rec: &crate::input::csvscan::Rec) -> Option<String> {
    if rec.unterminated {
        return Some(format!(
            "a quoted field opened on this line is never closed, so lines {}–{} (to the end of the file) were read as one field: is a closing quote missing?",
            rec.line, rec.last_line
        ));
    }
    rec.stray_quote.then(|| {
        let lines = match rec.last_line > rec.line {
            true => format!("lines {}–{} were read as one line", rec.line, rec.last_line),
            false => "its fields cannot be told apart".into(),
        };
        format!(
            "text follows the closing quote of a quoted field, so {lines}: is a quote missing, or one too many?"
        )
    })
}

fn record(
    data: &[u8],
    rec: crate::input::csvscan::Rec,
    spans: &[Span],
    f: &Fields,
    (key, sums): (&mut (String, String), &mut KeySums),
    t: &mut LedgerTotals,
) {
    let raw = &data[rec.start..rec.end];
    let bad = |t: &mut LedgerTotals, reason: String, pence: Option<i64>| {
        t.set_aside(BadLine {
            place: f.place.clone(),
            unit: "line",
            line: rec.line,
            reason,
            raw: raw_text(raw),
            pence,
        })
    };
    let field = |i: usize| {
        let s = spans[i];
        unquote(&data[s.start..s.end], s.quoted)
    };
    // Only a line with no amount can be blank: check the rest only then.
    let amount_blank = spans
        .get(f.amount)
        .is_none_or(|_| field(f.amount).trim_ascii().is_empty());
    if amount_blank && is_blank(data, spans) {
        t.blank += 1;
        return;
    }
    if let Some(why) = quoting_fault(&rec) {
        return bad(t, why, None);
    }
    // Trailing empty fields (a spreadsheet's stray commas) do not count.
    let mut width = spans.len();
    while width > f.width && field(width - 1).trim_ascii().is_empty() {
        width -= 1;
    }
    if width != f.width {
        let pence = (f.amount < spans.len())
            .then(|| super::amount::parse(&field(f.amount)).ok())
            .flatten()
            .map(|a| a.pence);
        let why = format!("{} fields, expected {}", spans.len(), f.width);
        return bad(t, why, pence);
    }
    let m = field(f.amount);
    let a = match line_amount(f, &m) {
        Ok(a) => a,
        Err(_) if keys_of(width, &field) == f.header => {
            t.other += 1; // the header again, as files joined together have
            return;
        }
        Err(_) if super::reheaded(&f.header, &keys_of(width, &field), f.amount) => {
            t.other += 1;
            t.reheaded.get_or_insert(rec.line);
            return;
        }
        Err(why) => {
            let shown = raw_text(&m);
            return bad(t, format!("amount {shown:?}: {why}"), None);
        }
    };
    if let Some(unkeyed) = total_like((width, data, spans), f, &field) {
        return candidate(unkeyed, (raw, rec.line, a), f, key, &field, t);
    }
    if a.float_rendering {
        t.float(FloatLine {
            place: f.place.clone(),
            unit: "line",
            line: rec.line,
            text: raw_text(&m),
            pence: a.pence,
        });
    }
    if f.date.is_none() && f.account.is_none() {
        let auth = f.authority.map(field);
        let auth = auth.as_deref().unwrap_or(f.fixed_authority.as_bytes());
        return sums.add(t, auth, &field(f.cost_centre), a);
    }
    fill_key(key, f, &field);
    if let Err(why) = add_detail(key, a, f, &field, t) {
        bad(t, why, Some(a.pence));
    }
}

/// A line's amount in pounds (scaled when the column is in thousands).
fn line_amount(f: &Fields, m: &[u8]) -> std::result::Result<super::LedgerAmount, &'static str> {
    let parsed = super::amount::parse(m);
    match f.in_pounds {
        true => parsed,
        false => parsed.and_then(|a| super::scaled(a, f.scale)),
    }
}

/// The line's authority (or the one given for every line) and cost centre.
fn fill_key<'d>(
    key: &mut (String, String),
    f: &Fields,
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
) {
    key.0.clear();
    match f.authority {
        Some(i) => push_key(&mut key.0, &field(i)),
        None => key.0.push_str(&f.fixed_authority),
    }
    key.1.clear();
    push_key(&mut key.1, &field(f.cost_centre));
}

/// A line that may be a total typed into the file, kept to be decided once
/// the lines above it are summed (`settle_candidates`); `unkeyed` as
/// `total_like` gives it. Rare, so kept out of the spending lines' way.
#[cold]
#[inline(never)]
fn candidate<'d>(
    unkeyed: bool,
    (raw, line, a): (&[u8], u64, super::LedgerAmount),
    f: &Fields,
    key: &mut (String, String),
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
    t: &mut LedgerTotals,
) {
    let mut b = BadLine {
        place: f.place.clone(),
        unit: "line",
        line,
        reason: String::new(),
        raw: raw_text(raw),
        pence: None,
    };
    let keyed = match unkeyed {
        true => None,
        false => match keyed(key, f, field) {
            Ok(k) => Some(k),
            Err(why) => {
                (b.reason, b.pence) = (why, Some(a.pence));
                return t.set_aside(b);
            }
        },
    };
    t.candidates.push(super::TotalCandidate {
        line: b,
        amount: a,
        before: t.total_pence,
        keyed,
    });
}

/// Where a line naming a total that keeps its cost centre is added if it is
/// spending; a date that cannot be read is the reason to set it aside.
fn keyed<'d>(
    key: &mut (String, String),
    f: &Fields,
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
) -> std::result::Result<super::KeyedLine, String> {
    fill_key(key, f, field);
    let detail = match f.date.is_none() && f.account.is_none() {
        true => None,
        false => Some(detail_of(f, field)?),
    };
    Ok(super::KeyedLine {
        key: key.clone(),
        detail,
    })
}

/// A line's account and month (figures by period were asked for).
fn detail_of<'d>(
    f: &Fields,
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
) -> std::result::Result<(String, crate::base::date::Month), String> {
    let month = match f.date.map(|i| field_key(&field(i))) {
        None => crate::base::date::Month(0),
        Some(d) => f.dating.month(&d)?,
    };
    let account = f.account.map(|i| field_key(&field(i))).unwrap_or_default();
    Ok((account, month))
}

/// Adds a line with its month and account (figures by period were asked
/// for); a date that cannot be read is the reason to set it aside.
fn add_detail<'d>(
    key: &(String, String),
    a: super::LedgerAmount,
    f: &Fields,
    field: &dyn Fn(usize) -> std::borrow::Cow<'d, [u8]>,
    t: &mut LedgerTotals,
) -> std::result::Result<(), String> {
    let (account, month) = detail_of(f, field)?;
    t.add_detail(key, &account, month, a);
    Ok(())
}

/// Stretches a block is cut into, taken in turn by the threads: a thread
/// held up (by the reading thread, or a slow stretch) leaves the others more.
const STRETCHES: usize = 8;

/// Where each stretch of `data` starts: 0, then the first line end after
/// each even cut (a guess: it may fall inside a quoted field).
fn stretch_starts(data: &[u8], n: usize) -> Vec<usize> {
    let mut starts = vec![0];
    for k in 1..n {
        let cut = data.len() * k / n;
        let end =
            memchr::memchr(b'\n', &data[cut..]).or_else(|| memchr::memchr(b'\r', &data[cut..]));
        if let Some(at) = end.map(|i| cut + i + 1).filter(|&at| at < data.len())
            && at > *starts.last().unwrap_or(&0)
        {
            starts.push(at);
        }
    }
    starts
}

/// Reads `data` (whole records from `line` on) on every core, a stretch at
/// a time; the result is always the sequential one.
fn parse_block(data: &[u8], line: u64, more: bool, split: bool, f: &Fields) -> Part {
    let starts = if split {
        stretch_starts(data, STRETCHES)
    } else {
        vec![0]
    };
    if starts.len() == 1 {
        return parse_records(data, line, more, usize::MAX, f);
    }
    let ends: Vec<usize> = starts[1..].iter().copied().chain([usize::MAX]).collect();
    // Stretches after the first number their lines from 0; they are moved
    // once the stretch before says where it ended.
    let read = |i: usize| {
        let first = if i == 0 { line } else { 0 };
        parse_records(
            &data[starts[i]..],
            first,
            more,
            ends[i].saturating_sub(starts[i]),
            f,
        )
    };
    let parts = in_turn(starts.len(), crate::base::cores().max(1), read);
    stitch(data, (line, more, f), &starts, parts)
}

/// `read(i)` for i in 0..n on `threads` threads, each taking the next i in
/// turn; the results in order of i.
fn in_turn<T: Send>(n: usize, threads: usize, read: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut got = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                return got;
            }
            got.push((i, read(i)));
        }
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads.min(n)).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // A helper that panicked: its stretches are read again below.
            all.extend(h.join().unwrap_or_default());
        }
        all
    });
    all.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(n);
    let mut all = all.into_iter().peekable();
    for i in 0..n {
        match all.next_if(|(j, _)| *j == i) {
            Some((_, t)) => out.push(t),
            None => out.push(read(i)),
        }
    }
    out
}

/// Joins the stretches' parts in order. A stretch whose guessed start was
/// not where the records before it really ended (its start fell inside a
/// quoted field) is read again from where they did.
fn stitch(
    data: &[u8],
    (line, more, f): (u64, bool, &Fields),
    starts: &[usize],
    parts: Vec<Part>,
) -> Part {
    let mut parts = parts.into_iter();
    let mut acc = parts
        .next()
        .unwrap_or_else(|| parse_records(data, line, more, usize::MAX, f));
    for (i, part) in parts.enumerate() {
        let (s, e) = (starts[i + 1], starts.get(i + 2).copied());
        if acc.incomplete.is_some() || e.is_some_and(|e| acc.consumed >= e) {
            continue;
        }
        let from = acc.consumed;
        let stop = e.map_or(usize::MAX, |e| e - from);
        let next = match part {
            mut p if from == s && !p.unterminated => {
                shift_lines(&mut p, acc.next_line);
                p
            }
            // Read again with its true first line (an unclosed quote's
            // reason names its lines).
            _ => parse_records(&data[from..], acc.next_line, more, stop, f),
        };
        acc.totals.merge_keeping(next.totals, usize::MAX);
        acc.consumed = from + next.consumed;
        acc.next_line = next.next_line;
        acc.incomplete = next.incomplete;
        acc.unterminated |= next.unterminated;
    }
    acc
}

/// Reads a ledger CSV. `progress` is called with bytes read so far.
pub fn read_csv(
    path: &Path,
    cols: &Columns,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    read_csv_sink(path, cols, BLOCK, progress, &mut |_| Ok(()))
}

/// `read_csv` with a chosen block size (tests use tiny blocks to cross
/// every kind of boundary).
pub fn read_csv_blocks(
    path: &Path,
    cols: &Columns,
    block: usize,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LedgerTotals> {
    read_csv_sink(path, cols, block, progress, &mut |_| Ok(()))
}

fn open(path: &Path) -> Result<(std::fs::File, u64)> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: file.clone(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::Table {
            place: file,
            message: "is not a regular file (a folder, device or pipe); give a ledger file".into(),
        });
    }
    let f = std::fs::File::open(path).map_err(|source| Error::Io { path: file, source })?;
    Ok((f, meta.len()))
}

/// Finds the header among the first lines: the first record naming every
/// needed column. Returns the fields and where the data starts.
fn find_header(
    buf: &[u8],
    eof: bool,
    cols: &Columns,
    place: &Arc<str>,
) -> Result<Option<(Fields, usize, u64, u64)>> {
    let mut wanted = vec![header_key(&cols.cost_centre), header_key(&cols.amount)];
    let extra: Vec<String> = [&cols.date, &cols.account]
        .into_iter()
        .flatten()
        .map(|c| header_key(c))
        .collect();
    wanted.extend(extra);
    let auth = header_key(&cols.authority);
    let mut first: Option<Vec<String>> = None;
    // A title line's text stating a unit, and its line.
    let mut above: Vec<(Vec<String>, u64)> = Vec::new();
    let first_line = buf.split(|&b| b == b'\n' || b == b'\r').next();
    let delim = sniff_delimiter(first_line.unwrap_or(b""));
    let mut scan = Scanner::new(buf, 1, delim, !eof);
    let mut spans = Vec::new();
    for titles in 0..HEADER_SEARCH as u64 {
        let rec = match scan.next(&mut spans) {
            Step::Record(r) => r,
            Step::Incomplete { .. } => return Ok(None),
            Step::End if !eof => return Ok(None),
            Step::End => break,
        };
        let names: Vec<String> = spans
            .iter()
            .map(|s| header_key(&field_key(&unquote(&buf[s.start..s.end], s.quoted))))
            .collect();
        let pos = |w: &str| names.iter().position(|n| super::heading_is(n, w));
        let has_auth = pos(&auth).is_some();
        if has_auth && !wanted.contains(&auth) && cols.fixed_authority.is_none() {
            wanted.push(auth.clone());
        }
        if wanted.iter().all(|w| pos(w).is_some()) {
            for w in &wanted {
                if names.iter().filter(|n| super::heading_is(n, w)).count() > 1 {
                    return Err(Error::CsvLine {
                        path: place.to_string(),
                        line: rec.line,
                        message: format!(
                            "the header names column {w:?} more than once; name each column once (columns are matched ignoring case, spaces and underscores, so rename or remove one in the file)"
                        ),
                    });
                }
            }
            let authority = match (&cols.fixed_authority, pos(&auth)) {
                (Some(name), Some(_)) => {
                    return Err(Error::CsvLine {
                        path: place.to_string(),
                        line: rec.line,
                        message: super::authority_given_twice(&cols.authority, name),
                    });
                }
                (Some(_), None) => None,
                (None, Some(i)) => Some(i),
                (None, None) => {
                    return Err(Error::MissingColumn {
                        place: format!("{place}, header line {}", rec.line),
                        column: cols.authority.clone(),
                        hint: " (or give --authority NAME for one council's extract)".into(),
                        found: names_as_written(buf, &spans),
                    });
                }
            };
            let amount_col = pos(&wanted[1]).unwrap_or(0);
            // Said as the file writes it, not as the header was matched.
            let heading = names_as_written(buf, &spans).swap_remove(amount_col);
            let titled = title_over(&above, amount_col);
            let scale = amount_scale(&heading, titled.as_ref(), cols, place, rec.line)?;
            let mut fields = Fields {
                words: Vec::new(),
                scale,
                in_pounds: scale == rust_decimal::Decimal::ONE,
                authority,
                fixed_authority: cols.fixed_authority.clone().unwrap_or_default(),
                cost_centre: pos(&wanted[0]).unwrap_or(0),
                amount: pos(&wanted[1]).unwrap_or(0),
                date: cols.date.as_ref().and_then(|d| pos(&header_key(d))),
                account: cols.account.as_ref().and_then(|d| pos(&header_key(d))),
                dating: cols.dating(),
                width: spans.len(),
                header: names,
                delim,
                place: place.clone(),
            };
            fields.words = fields.other_columns();
            let (start, line) = scan.position();
            return Ok(Some((fields, start, line, titles)));
        }
        if first.is_none() && rec.start < rec.end {
            first = Some(names_as_written(buf, &spans));
        }
        above.push((names_as_written(buf, &spans), rec.line));
    }
    Err(no_header(cols, place, first.unwrap_or_default()))
}

/// The first title line's cell saying the amounts' unit (see
/// `import::title_cell`), with its line.
fn title_over(titles: &[(Vec<String>, u64)], amount: usize) -> Option<(String, u64)> {
    titles.iter().find_map(|(fields, line)| {
        let i = crate::input::import::title_cell(fields, Some(amount))?;
        Some((fields[i].clone(), *line))
    })
}

/// The amount column's unit: its heading's, or the one given; a unit said
/// only in a title line (`titled`: its text and line) is refused.
fn amount_scale(
    heading: &str,
    titled: Option<&(String, u64)>,
    cols: &Columns,
    place: &Arc<str>,
    line: u64,
) -> Result<rust_decimal::Decimal> {
    let flag = "--actuals-unit";
    let lost = titled.and_then(|(title, at)| {
        crate::input::import::title_unit_lost(heading, title, cols.unit, flag).map(|m| (*at, m))
    });
    let unit = crate::input::import::column_unit(heading, cols.unit, flag);
    let (line, message) = match (lost, unit) {
        (Some(lost), _) => lost,
        (None, Ok(scale)) => return Ok(scale),
        (None, Err(message)) => (line, message),
    };
    Err(Error::CsvLine {
        path: place.to_string(),
        line,
        message,
    })
}

/// The error when no line names the needed columns: the first column the
/// first line lacks, and what that line has.
fn no_header(cols: &Columns, place: &Arc<str>, first: Vec<String>) -> Error {
    if first.is_empty() {
        return Error::Table {
            place: place.to_string(),
            message: "is empty; expected a header line and ledger lines".into(),
        };
    }
    let mut needed = vec![&cols.cost_centre, &cols.amount];
    needed.extend([&cols.date, &cols.account].into_iter().flatten());
    if cols.fixed_authority.is_none() {
        needed.insert(0, &cols.authority);
    }
    let keys: Vec<String> = first.iter().map(|s| header_key(s)).collect();
    let column = needed
        .into_iter()
        .find(|c| !keys.iter().any(|k| super::heading_is(k, &header_key(c))))
        .cloned()
        .unwrap_or_default();
    let hint = if cols.date.as_ref() == Some(&column) && cols.date_is_period {
        " (each line's period number, for figures by month; name the column with --columns period=HEADER)"
    } else if cols.date.as_ref() == Some(&column) {
        " (each line's date, for figures by month; name the column with --columns date=HEADER)"
    } else if cols.account.as_ref() == Some(&column) {
        " (each line's account; name the column with --columns account=HEADER)"
    } else {
        ""
    };
    Error::MissingColumn {
        place: format!("{place}, header line 1"),
        column,
        hint: hint.into(),
        found: first,
    }
}

fn names_as_written(buf: &[u8], spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .map(|s| field_key(&unquote(&buf[s.start..s.end], s.quoted)))
        .collect()
}

/// Reads a ledger CSV in blocks of `block` bytes, passing each set-aside
/// line to `sink` as it is found.
pub fn read_csv_sink(
    path: &Path,
    cols: &Columns,
    block: usize,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    let (mut file, size) = open(path)?;
    let label = path.display().to_string();
    if size == 0 {
        return read_csv_from(&mut file, size, &label, cols, block, progress, sink);
    }
    // SAFETY: the map is read only while this function runs. Were another
    // program to shorten the file meanwhile, reading past its new end would
    // stop the process (as a changing file gives any reader wrong lines);
    // ledgers read here are exports, written once.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|source| Error::Io {
        path: label.clone(),
        source,
    })?;
    if crate::input::import::is_utf16(&map).is_some() {
        return Err(Error::Table {
            place: label,
            message: "is UTF-16 text (as Excel's \"Unicode Text\" saves it): save it as \
                      \"CSV UTF-8 (Comma delimited)\" and give that"
                .into(),
        });
    }
    let src = Mapped {
        mmap: &map,
        map: &map,
        released: 0,
        pos: 0,
        end: 0,
        piece: block.clamp(1, BLOCK / 4),
        place: Arc::from(label.as_str()),
    };
    read_blocks(src, (size, &label, cols, block.max(1)), progress, sink)
}

/// Where a ledger's bytes come from, a piece at a time: the pieces of a
/// reading thread, or a file mapped into memory.
trait Source {
    /// The bytes taken in and not yet read as records.
    fn data(&self) -> &[u8];
    fn consume(&mut self, n: usize);
    /// Takes in the next piece (none at the end).
    fn fill(&mut self) -> Result<()>;
    /// Every byte has been taken in.
    fn eof(&self) -> bool;
    /// Bytes taken in so far.
    fn read(&self) -> u64;
    fn place(&self) -> &Arc<str>;
}

/// A file mapped into memory: its pieces are taken in without a copy.
struct Mapped<'m> {
    /// To hand back the pages read (on Unix).
    #[cfg_attr(not(unix), allow(dead_code))]
    mmap: &'m memmap2::Mmap,
    map: &'m [u8],
    /// The bytes before this are read and handed back (see `consume`).
    released: usize,
    pos: usize,
    end: usize,
    piece: usize,
    place: Arc<str>,
}

/// The read part of a map is handed back in steps this size.
const RELEASE: usize = 8 << 20;

impl Mapped<'_> {
    /// Tells the system the bytes read are not wanted again, so the pages
    /// of the file read so far do not all stay in the process's memory
    /// (they stay in the system's file cache).
    fn release(&mut self) {
        let upto = self.pos / RELEASE * RELEASE;
        if upto > self.released {
            #[cfg(unix)]
            // SAFETY: the map is read-only and those bytes are never read
            // again; read again, they would come back from the file.
            let _ = unsafe {
                self.mmap.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    self.released,
                    upto - self.released,
                )
            };
            self.released = upto;
        }
    }
}

impl Source for Mapped<'_> {
    fn data(&self) -> &[u8] {
        &self.map[self.pos..self.end]
    }
    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.release();
    }
    fn fill(&mut self) -> Result<()> {
        self.end = self.end.saturating_add(self.piece).min(self.map.len());
        Ok(())
    }
    fn eof(&self) -> bool {
        self.end == self.map.len()
    }
    fn read(&self) -> u64 {
        self.end as u64
    }
    fn place(&self) -> &Arc<str> {
        &self.place
    }
}

/// The bytes of a ledger, read a block at a time.
struct Blocks {
    /// Pieces read by the reading thread, in order (empty at the end).
    pieces: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    /// Pieces handed back to be read into again.
    spent: std::sync::mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
    eof: bool,
    read: u64,
    place: Arc<str>,
}

impl Source for Blocks {
    fn data(&self) -> &[u8] {
        &self.buf
    }
    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
    }
    fn eof(&self) -> bool {
        self.eof
    }
    fn read(&self) -> u64 {
        self.read
    }
    fn place(&self) -> &Arc<str> {
        &self.place
    }
    fn fill(&mut self) -> Result<()> {
        let piece = match self.pieces.recv() {
            Ok(p) => p.map_err(|source| Error::Io {
                path: self.place.to_string(),
                source,
            })?,
            Err(_) => Vec::new(),
        };
        self.eof |= piece.is_empty();
        self.buf.extend_from_slice(&piece);
        self.read += piece.len() as u64;
        let _ = self.spent.send(piece);
        Ok(())
    }
}

/// Takes in pieces until the header is found (titles may stand above it);
/// returns the fields, the data's first line and how many title lines there
/// were.
fn header(src: &mut impl Source, cols: &Columns) -> Result<(Fields, u64, u64)> {
    let mut bom_checked = false;
    loop {
        src.fill()?;
        // One byte-order mark, at the very start, once the first three
        // bytes are in (a block may be smaller than that).
        if !bom_checked && (src.data().len() >= 3 || src.eof()) {
            bom_checked = true;
            if src.data().starts_with(b"\xEF\xBB\xBF") {
                src.consume(3);
            }
        }
        if let Some((f, start, line, titles)) =
            find_header(src.data(), src.eof(), cols, src.place())?
        {
            src.consume(start);
            return Ok((f, line, titles));
        }
        if src.data().len() > 1 << 20 {
            return Err(Error::CsvLine {
                path: src.place().to_string(),
                line: 1,
                message: "no header line naming the ledger's columns in the first 1 MB".into(),
            });
        }
    }
}

/// Reads a ledger CSV from any reader (`label` names it in messages): the
/// fuzz targets' bytes, and empty files (files are otherwise read from a
/// map, `read_csv_sink`). A thread of its own reads the next pieces while
/// every core parses the last block.
pub fn read_csv_from(
    file: &mut (dyn Read + Send),
    size: u64,
    label: &str,
    cols: &Columns,
    block: usize,
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    let block = block.max(1);
    // Read in pieces of at most a quarter block: a huge block (one
    // sequential pass, in tests) must not allocate its size up front, and
    // the pieces in flight (one read, one waiting, one spent) stay small
    // beside the block.
    let piece = block.min(BLOCK / 4);
    // Up to a block's pieces wait while one more is read, so the next block
    // is in when the last is parsed; memory stays bounded.
    let (tx, pieces) = std::sync::mpsc::sync_channel(4);
    let (spent, back) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut p = back.try_recv().unwrap_or_default();
                p.resize(piece, 0);
                let r = file.read(&mut p).map(|n| {
                    p.truncate(n);
                    p
                });
                let end = !matches!(&r, Ok(p) if !p.is_empty());
                // The reader is gone (an error, or done): stop.
                if tx.send(r).is_err() || end {
                    break;
                }
            }
        });
        let src = Blocks {
            pieces,
            spent,
            // A block and the piece that completes it, without regrowing.
            buf: Vec::with_capacity(block.min(BLOCK) + piece + 1024),
            eof: false,
            read: 0,
            place: Arc::from(label),
        };
        read_blocks(src, (size, label, cols, block), progress, sink)
    })
}

/// The blocks of a ledger CSV, header first.
fn read_blocks(
    mut src: impl Source,
    (size, label, cols, block): (u64, &str, &Columns, usize),
    progress: &mut dyn FnMut(u64, u64),
    sink: Sink,
) -> Result<LedgerTotals> {
    let (fields, mut line, titles) = header(&mut src, cols)?;
    let mut total = LedgerTotals {
        other: 1 + titles,
        ..Default::default()
    };
    loop {
        if !src.eof() && src.data().len() < block {
            src.fill()?;
            continue;
        }
        // Tiny blocks (tests) split too, so every boundary case is crossed.
        let split = src.data().len() >= PARALLEL_MIN || block < PARALLEL_MIN;
        let mut part = parse_block(src.data(), line, !src.eof(), split, &fields);
        // Before its lines are said set aside: they were read by the wrong
        // header's columns.
        if let Some(at) = part.totals.reheaded {
            return Err(Error::CsvLine {
                path: label.to_string(),
                line: at,
                message: super::REHEADED.into(),
            });
        }
        part.totals.settle_candidates(total.total_pence);
        for b in &part.totals.bad_lines {
            sink(b)?;
        }
        total.merge(part.totals);
        line = part.next_line;
        src.consume(part.consumed);
        progress(src.read().min(size), size);
        let Some(in_quotes) = part.incomplete else {
            if src.eof() {
                break;
            }
            continue;
        };
        if src.data().len() >= MAX_RECORD.max(4 * block) {
            return Err(Error::CsvLine {
                path: label.to_string(),
                line,
                message: if in_quotes {
                    "a quoted field opened on this line runs on for more than 128 MB: is a closing quote missing?"
                } else {
                    "this line is longer than 128 MB: not a ledger line"
                }
                .into(),
            });
        }
        // Not enough for one record: read more before trying again.
        src.fill()?;
    }
    total.files.push(FileSummary {
        place: label.to_string(),
        lines: line - 1,
        read: total.rows + total.blank + total.other + total.bad,
        used: total.rows,
        blank: total.blank,
        other: total.other,
        set_aside: total.bad,
        pence: total.total_pence,
        sub_penny: total.total_sub_penny,
        note: None,
        hidden: false,
    });
    Ok(total)
}
