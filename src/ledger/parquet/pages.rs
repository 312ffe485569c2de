//! Row groups too big to read whole, read a page at a time.
//!
//! polars reads a slice of a row group by walking the group's pages from its
//! start and holds the slice decoded, so a file of one 30-million-row group
//! peaked near 300 MB. Here each wanted column's pages are read in turn
//! (never mapped), decoded a batch at a time through a window of the page
//! (`window`), and handed on a run of records at a time: memory is about a
//! megabyte a column and its dictionary, whatever the rows. Only
//! flat columns of text (UTF-8), 32- or 64-bit integers and doubles, in
//! plain or dictionary encoding, are read this way; `usable` sends any
//! other file to polars, so every value means what polars would make of it.

use super::check::{Chunk, FileClaims, Leaf, Page, PageKind, Walk, read_page_header};
use super::window::{Bytes, Hybrid, PageBytes, Window, read_exact_at, read_whole};
use crate::base::error::{Error, Result};
use crate::ledger::LedgerAmount;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// A value's physical type, of those read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Physical {
    Int32,
    Int64,
    Double,
    Text,
    /// A DECIMAL amount: its unscaled integer in 4 or 8 bytes (little
    /// endian) or in `bytes` (big endian, fixed length), and its scale.
    Decimal {
        bytes: u8,
        fixed: bool,
        scale: u8,
    },
}

impl Physical {
    /// Bytes a plain value takes (0: a length comes first).
    fn width(self) -> usize {
        match self {
            Physical::Int32 => 4,
            Physical::Int64 | Physical::Double => 8,
            Physical::Text => 0,
            Physical::Decimal { bytes, .. } => bytes as usize,
        }
    }
}

/// Codecs `levels::decompress` reads; value and level encodings read here
/// (PLAIN, PLAIN_DICTIONARY, RLE levels, RLE_DICTIONARY).
const CODECS: [i64; 6] = [0, 1, 2, 4, 6, 7];
const ENCODINGS: [i64; 4] = [0, 2, 3, 8];

/// How a leaf column of `chunk` would be read here, or None for polars:
/// a top-level, unrepeated column, text marked as UTF-8 (an unmarked byte
/// array is binary to polars), or, for the amount, a plain number.
pub(super) fn usable(leaf: &Leaf, chunk: &Chunk, amount: bool) -> Option<Physical> {
    let flat = leaf.top && leaf.levels.max_rep == 0 && leaf.levels.max_def <= 1;
    let coded = CODECS.contains(&chunk.codec)
        && !chunk.encodings.is_empty()
        && chunk.encodings.iter().all(|e| ENCODINGS.contains(e));
    if !flat || !coded {
        return None;
    }
    let utf8 = matches!(leaf.converted, None | Some(0))
        && matches!(leaf.logical, None | Some(1))
        && (leaf.converted.is_some() || leaf.logical.is_some());
    let bare = leaf.converted.is_none() && leaf.logical.is_none();
    match leaf.physical {
        6 if utf8 => Some(Physical::Text),
        1 if amount && bare => Some(Physical::Int32),
        2 if amount && bare => Some(Physical::Int64),
        5 if amount && bare => Some(Physical::Double),
        1 | 2 | 7 if amount => decimal(leaf),
        _ => None,
    }
}

/// A DECIMAL column (marked as such by its converted and logical types,
/// with a scale) of 4- or 8-byte integers or of up to 16 fixed bytes.
fn decimal(leaf: &Leaf) -> Option<Physical> {
    let marked = leaf.converted == Some(5) && matches!(leaf.logical, None | Some(5));
    let scale = u8::try_from(leaf.scale?)
        .ok()
        .filter(|s| *s <= 38 && marked)?;
    let (bytes, fixed) = match leaf.physical {
        1 => (4, false),
        2 => (8, false),
        _ => (
            u8::try_from(leaf.length?)
                .ok()
                .filter(|n| (1..=16).contains(n))?,
            true,
        ),
    };
    Some(Physical::Decimal {
        bytes,
        fixed,
        scale,
    })
}

/// A column to read: its leaf (from 0), type and definition depth, and
/// whether it is the amount (its dictionary's amounts are worked out once).
#[derive(Debug, Clone, Copy)]
pub(super) struct Col {
    leaf: usize,
    ty: Physical,
    max_def: u32,
    amount: bool,
}

/// The columns named (the amount second) as read here, or None if any
/// chunk of any of them is not (polars reads the file then).
pub(super) fn plan(claims: &FileClaims, names: &[&str]) -> Option<Vec<Col>> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let leaf = claims
            .leaves
            .iter()
            .position(|l| l.top && l.name == *name)?;
        let chunks = claims.chunks.iter().filter(|c| c.column == leaf + 1);
        let amount = i == 1;
        let mut ty = None;
        for c in chunks {
            ty = Some(usable(&claims.leaves[leaf], c, amount)?);
        }
        out.push(Col {
            leaf,
            ty: ty?,
            max_def: claims.leaves[leaf].levels.max_def,
            amount,
        });
    }
    Some(out)
}

/// Records decoded in every stream, ready to be taken.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    /// The first one's number in the file, from 0.
    pub first: u64,
    pub n: usize,
    /// A part ends with these: every `part` records and each group's end.
    pub ends: bool,
}

/// A row group: its number (from 1), the number in the file of its first
/// record (from 0), and its records.
pub(super) type Group = (usize, u64, u64);

/// The file's row groups, in order.
pub(super) fn groups(claims: &FileClaims) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for c in &claims.chunks {
        if out.last().is_none_or(|g| g.0 != c.group) {
            let first = out.last().map_or(0, |g| g.1 + g.2);
            out.push((c.group, first, c.rows.max(0) as u64));
        }
    }
    out
}

/// Reads a row group's records through streams of `cols`, a run at a time.
pub(super) fn read_group(
    (file, path): (&Arc<File>, &Path),
    claims: &FileClaims,
    cols: &[Col],
    (g, mut first, rows): Group,
    part: usize,
    run: &mut dyn FnMut(&[Stream], Run) -> Result<()>,
) -> Result<()> {
    let mut streams = Vec::new();
    for c in cols {
        let chunk = claims
            .chunks
            .iter()
            .find(|k| k.group == g && k.column == c.leaf + 1);
        let chunk = chunk.ok_or_else(|| bad(path, g, &claims.leaves[c.leaf], "missing".into()))?;
        // Not walked before (that check is polars'): bounded here.
        let end = chunk.start.checked_add(chunk.size);
        if end.is_none_or(|e| e as u64 > claims.data_end) {
            let why = "it claims bytes past the end of the data (damaged or forged)";
            return Err(bad(path, g, &claims.leaves[c.leaf], why.into()));
        }
        streams.push(Stream::open(file, chunk, *c));
    }
    let mut done = 0u64;
    while done < rows {
        let mut n = (rows - done).min(part as u64 - done % part as u64) as usize;
        for (s, c) in streams.iter_mut().zip(cols) {
            let left = s
                .fill()
                .map_err(|w| walk(path, g, &claims.leaves[c.leaf], w))?;
            n = n.min(left);
        }
        done += n as u64;
        let ends = done == rows || done.is_multiple_of(part as u64);
        run(&streams, Run { first, n, ends })?;
        streams.iter_mut().for_each(|s| s.take(n));
        first += n as u64;
    }
    Ok(())
}

fn walk(path: &Path, group: usize, leaf: &Leaf, w: Walk) -> Error {
    match w {
        Walk::Io(source) => Error::Io {
            path: path.display().to_string(),
            source,
        },
        Walk::Bad(why) => bad(path, group, leaf, why),
    }
}

fn bad(path: &Path, group: usize, leaf: &Leaf, why: String) -> Error {
    Error::Table {
        place: format!(
            "{}, row group {group}, column {:?}",
            path.display(),
            leaf.name
        ),
        message: format!("not a readable Parquet file: {why}"),
    }
}

/// Values found by position: a page's or a dictionary's bytes and where
/// each value lies in them.
#[derive(Default)]
struct Table {
    bytes: Vec<u8>,
    spans: Vec<(u32, u32)>,
}

impl Table {
    /// `n` plain-encoded values of type `ty`: all of `bytes`'s (a
    /// dictionary page's).
    fn plain(mut bytes: Vec<u8>, n: usize, ty: Physical) -> std::result::Result<Table, String> {
        if bytes.len() > u32::MAX as usize {
            return Err("a page is over 4 GB".into());
        }
        let mut spans = Vec::with_capacity(n.min(bytes.len()));
        let mut at = 0;
        for _ in 0..n {
            let (s, e) = plain(&mut bytes, &mut at, ty)?;
            spans.push((s as u32, e as u32));
        }
        Ok(Table { bytes, spans })
    }

    fn get(&self, i: u32) -> &[u8] {
        let (s, e) = self.spans[i as usize];
        &self.bytes[s as usize..e as usize]
    }
}

/// A dictionary value whose amount is worked out record by record.
const WORK_OUT: i64 = i64::MIN;

/// An id that stands for a missing value.
const NONE: u32 = u32::MAX;

/// Values decoded at a time from a page (a writer may put a whole column
/// chunk in one page: DuckDB writes 30 million values to a page).
const BATCH: usize = 4096;

/// One column chunk, read a page at a time and decoded a batch at a time.
pub(super) struct Stream {
    file: Arc<File>,
    pos: u64,
    end: u64,
    col: Col,
    values_read: i64,
    chunk: Chunk,
    header: Vec<u8>,
    dict: Option<Table>,
    /// The whole pence each dictionary value reads as, worked out once
    /// (`WORK_OUT`: one that is not plain pence, worked out each time).
    dict_pence: Vec<i64>,
    /// The current data page's values, and its definition levels.
    body: Option<Window>,
    levels: Vec<u8>,
    defs: Hybrid,
    /// The batch's definition levels.
    present: Vec<u32>,
    /// Dictionary ids (a dictionary page) or the next plain value's place.
    ids_in: Hybrid,
    plain_at: usize,
    from_dict: bool,
    page_left: usize,
    /// The batch: ids into the dictionary or into `spans` of the page.
    spans: Vec<(usize, usize)>,
    ids: Vec<u32>,
    at: usize,
}

impl Stream {
    fn open(file: &Arc<File>, chunk: &Chunk, col: Col) -> Stream {
        Stream {
            file: file.clone(),
            pos: chunk.start as u64,
            end: (chunk.start + chunk.size) as u64,
            col,
            values_read: 0,
            chunk: chunk.clone(),
            header: Vec::new(),
            dict: None,
            dict_pence: Vec::new(),
            body: None,
            levels: Vec::new(),
            defs: Hybrid::default(),
            ids_in: Hybrid::default(),
            plain_at: 0,
            from_dict: false,
            page_left: 0,
            spans: Vec::new(),
            ids: Vec::new(),
            present: Vec::new(),
            at: 0,
        }
    }

    /// Values decoded and not yet taken; decodes (and reads pages) until
    /// there are some.
    pub(super) fn fill(&mut self) -> std::result::Result<usize, Walk> {
        while self.at == self.ids.len() {
            if self.page_left > 0 {
                self.batch().map_err(Walk::Bad)?;
            } else if self.pos >= self.end {
                return Err("a column ends before its row group's last record (damaged)".into());
            } else {
                self.next_page()?;
            }
        }
        Ok(self.ids.len() - self.at)
    }

    /// The `i`th value not yet taken, None when missing.
    pub(super) fn text(&self, i: usize) -> Option<&[u8]> {
        match self.ids[self.at + i] {
            NONE => None,
            id if self.from_dict => self.dict.as_ref().map(|d| d.get(id)),
            id => {
                let (s, e) = self.spans[id as usize];
                self.body.as_ref().map(|b| b.loaded(s, e))
            }
        }
    }

    /// The `i`th value not yet taken, as an amount.
    pub(super) fn amount(&self, i: usize) -> std::result::Result<LedgerAmount, String> {
        match self.ids[self.at + i] {
            NONE => Err("no amount".into()),
            id if self.from_dict && !self.dict_pence.is_empty() => {
                match self.dict_pence[id as usize] {
                    WORK_OUT => amount_of(self.col.ty, self.text(i).unwrap_or_default()),
                    pence => Ok(LedgerAmount {
                        pence,
                        sub_penny: rust_decimal::Decimal::ZERO,
                        float_rendering: false,
                    }),
                }
            }
            _ => amount_of(self.col.ty, self.text(i).unwrap_or_default()),
        }
    }

    pub(super) fn take(&mut self, n: usize) {
        self.at += n;
    }

    fn next_page(&mut self) -> std::result::Result<(), Walk> {
        let left = self.end - self.pos;
        let (len, page) = read_page_header(&self.file, self.pos, left, &mut self.header)?;
        if let Some(why) = page.fault(&self.chunk, self.values_read) {
            return Err(why.into());
        }
        let at = self.pos + len;
        self.pos = at + page.compressed as u64;
        if self.pos > self.end {
            return Err("a page runs past the end of its column (damaged or forged)".into());
        }
        if let Some(crc) = page.crc {
            super::check::page_crc(&self.file, at, page.compressed as u64, crc)?;
        }
        self.body = None;
        match page.kind {
            _ if page.dictionary => self.dictionary(&page, at),
            PageKind::DataV1 | PageKind::DataV2 { .. } => {
                self.values_read += page.values;
                self.data(&page, at)
            }
            PageKind::Other => Ok(()),
        }
    }

    fn dictionary(&mut self, page: &Page, at: u64) -> std::result::Result<(), Walk> {
        if !matches!(page.encoding, 0 | 2) || self.dict.is_some() {
            return Err("a dictionary page is not plain, or not the first page".into());
        }
        let bytes = PageBytes {
            at,
            compressed: page.compressed as u64,
            uncompressed: page.uncompressed as usize,
            codec: self.chunk.codec,
        };
        let bytes = read_whole(&self.file, bytes).map_err(Walk::Io)?;
        let bytes = bytes.ok_or("a page does not decompress (damaged)")?;
        let n = page.values as usize;
        let dict = Table::plain(bytes, n, self.col.ty).map_err(Walk::Bad)?;
        // Worked out once when there are fewer values than records.
        self.dict_pence.clear();
        if self.col.amount && (n as i64) < self.chunk.values {
            let ty = self.col.ty;
            let pence = |i| match amount_of(ty, dict.get(i)) {
                Ok(a) if a.sub_penny.is_zero() && !a.float_rendering && a.pence != WORK_OUT => {
                    a.pence
                }
                _ => WORK_OUT,
            };
            self.dict_pence = (0..n as u32).map(pence).collect();
        }
        self.dict = Some(dict);
        Ok(())
    }

    /// A data page: its definition levels read, its values made ready to
    /// decode as they are needed.
    fn data(&mut self, page: &Page, at: u64) -> std::result::Result<(), Walk> {
        let mut bytes = PageBytes {
            at,
            compressed: page.compressed as u64,
            uncompressed: page.uncompressed as usize,
            codec: self.chunk.codec,
        };
        let mut from = 0;
        self.levels.clear();
        if let PageKind::DataV2 { rep_len, def_len } = page.kind {
            // Levels first, never compressed; then the values.
            let (r, d) = (rep_len.max(0) as u64, def_len.max(0) as u64);
            if r + d > bytes.compressed || (r + d) as usize > bytes.uncompressed {
                return Err("a page's levels run past it".into());
            }
            self.levels.resize(d as usize, 0);
            read_exact_at(&self.file, &mut self.levels, at + r).map_err(Walk::Io)?;
            bytes.at += r + d;
            bytes.compressed -= r + d;
            bytes.uncompressed -= (r + d) as usize;
            if page.values_plain {
                bytes.codec = 0;
            }
        }
        let mut body = Window::open(&self.file, bytes).map_err(Walk::Io)?;
        if matches!(page.kind, PageKind::DataV1) && self.col.max_def > 0 {
            if page.def_encoding != 3 {
                return Err("a page's levels are not RLE-encoded".into());
            }
            let len = body.bytes(0, 4)?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            self.levels.extend_from_slice(body.bytes(4, 4 + len)?);
            from = 4 + len;
        }
        self.from_dict = match page.encoding {
            0 => false,
            2 | 8 if self.dict.is_some() => true,
            2 | 8 => return Err("a page's dictionary is missing".into()),
            _ => return Err("a page's encoding is not one read here".into()),
        };
        self.defs = Hybrid::new(0, 1);
        self.plain_at = from;
        if self.from_dict {
            let width = body.bytes(from, from + 1)?[0] as u32;
            if width > 32 {
                return Err("a page's dictionary ids are damaged".into());
            }
            self.ids_in = Hybrid::new(from + 1, width);
        }
        self.body = Some(body);
        self.page_left = page.values as usize;
        Ok(())
    }

    /// Decodes the next batch of the page's values.
    fn batch(&mut self) -> std::result::Result<(), String> {
        let n = self.page_left.min(BATCH);
        self.ids.clear();
        self.spans.clear();
        let size = self.dict.as_ref().map_or(0, |d| d.spans.len() as u32);
        let body = self.body.as_mut().ok_or("a page has no values")?;
        // What the last batch used is done with.
        body.discard(match self.from_dict {
            true => self.ids_in.needed(),
            false => self.plain_at,
        });
        // Levels, then the values present, each a run at a time.
        self.present.clear();
        match self.col.max_def {
            0 => self.present.resize(n, 1),
            _ => self
                .defs
                .take_into(&mut self.levels, n, &mut self.present)?,
        }
        let k = self.present.iter().filter(|d| **d != 0).count();
        if self.from_dict {
            self.ids_in.take_into(body, k, &mut self.ids)?;
            if self.ids.iter().any(|id| *id >= size) {
                return Err("a page refers past its dictionary (damaged)".into());
            }
        } else {
            for i in 0..k {
                self.spans
                    .push(plain(body, &mut self.plain_at, self.col.ty)?);
                self.ids.push(i as u32);
            }
        }
        if k < n {
            // Missing values between them, from the back.
            self.ids.resize(n, NONE);
            let mut from = k;
            for i in (0..n).rev() {
                if self.present[i] != 0 {
                    from -= 1;
                    self.ids[i] = self.ids[from];
                } else {
                    self.ids[i] = NONE;
                }
            }
        }
        self.page_left -= n;
        self.at = 0;
        Ok(())
    }
}

/// The place of the plain value at `at` (then moved past it), in a page
/// or its window.
fn plain(
    b: &mut impl Bytes,
    at: &mut usize,
    ty: Physical,
) -> std::result::Result<(usize, usize), String> {
    let mut start = *at;
    let len = match ty.width() {
        0 => {
            let l = b.bytes(start, start + 4)?;
            start += 4;
            u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize
        }
        w => w,
    };
    let end = start
        .checked_add(len)
        .ok_or("a value's length is damaged")?;
    let v = b.bytes(start, end)?;
    if ty == Physical::Text && std::str::from_utf8(v).is_err() {
        return Err("a value is not UTF-8 text".into());
    }
    *at = end;
    Ok((start, end))
}

/// A value as an amount, by the ledger amount rule (as `super::amounts`).
fn amount_of(ty: Physical, b: &[u8]) -> std::result::Result<LedgerAmount, String> {
    match ty {
        Physical::Int32 => {
            super::from_int(i32::from_le_bytes(b.try_into().unwrap_or_default()).into())
        }
        Physical::Int64 => super::from_int(i64::from_le_bytes(b.try_into().unwrap_or_default())),
        Physical::Double => super::from_float(f64::from_le_bytes(b.try_into().unwrap_or_default())),
        Physical::Text => super::from_text(std::str::from_utf8(b).unwrap_or_default()),
        Physical::Decimal {
            fixed: false,
            scale,
            ..
        } => {
            let v = match b.len() {
                4 => i32::from_le_bytes(b.try_into().unwrap_or_default()).into(),
                _ => i64::from_le_bytes(b.try_into().unwrap_or_default()).into(),
            };
            decimal_amount(v, scale)
        }
        Physical::Decimal { scale, .. } => {
            // Big-endian two's complement, sign-extended.
            let first = b.first().map_or(0, |x| *x as i8 as i128);
            let v = b[1.min(b.len())..]
                .iter()
                .fold(first, |acc, x| acc << 8 | *x as i128);
            decimal_amount(v, scale)
        }
    }
}

/// An unscaled DECIMAL as an amount: whole pence at once when it is a
/// whole number of pence well inside the limit (what its text would give),
/// else through its text, as polars's reading gives it.
fn decimal_amount(v: i128, scale: u8) -> std::result::Result<LedgerAmount, String> {
    let pence = match scale {
        0..=2 => 10i128
            .checked_pow(2 - scale as u32)
            .and_then(|f| v.checked_mul(f)),
        _ => 10i128
            .checked_pow(scale as u32 - 2)
            .filter(|f| v % f == 0)
            .map(|f| v / f),
    };
    match pence.and_then(|p| i64::try_from(p).ok()) {
        Some(pence) if pence.unsigned_abs() < crate::ledger::MAX_PENCE as u64 => Ok(LedgerAmount {
            pence,
            sub_penny: rust_decimal::Decimal::ZERO,
            float_rendering: false,
        }),
        _ => super::from_decimal_text(&decimal_text(v, scale)),
    }
}

/// An unscaled DECIMAL as text, as polars writes it when it casts one to
/// text (which its reading of a DECIMAL amount does): every digit of the
/// scale, `-` before a negative.
fn decimal_text(v: i128, scale: u8) -> String {
    let digits = v.unsigned_abs().to_string();
    let scale = scale as usize;
    let sign = if v < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (whole, frac) = digits.split_at(digits.len() - scale);
    format!("{sign}{whole}.{frac}")
}
