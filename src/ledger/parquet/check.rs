//! Checks a Parquet file's claims before polars reads it.
//!
//! polars sizes its buffers from what the footer and the page headers claim
//! (list lengths, row counts, values per page) and a forged claim makes it
//! reserve terabytes and abort the process, which no error handling can
//! catch (found by the fuzzer: 84 GB of row groups, a page of 2^61 values).
//! So the footer is walked first (Thrift compact protocol): every list and
//! string must claim no more than the bytes left. Then every column chunk's
//! page headers are read: sizes must fit in the chunk, the pages' values
//! must add up to the chunk's, and no column may claim fewer values than
//! its row group has rows or more rows than the file could plausibly hold.

use super::levels::{self, Levels};
use super::window::{PageBytes, read_exact_at, read_whole};
use crate::base::error::{Error, Result};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

type R<T> = std::result::Result<T, &'static str>;

const FORGED: &str = "its footer claims more than the file holds (damaged or forged)";

/// The most rows a file may claim: 10 million plus 1,000 per byte. A
/// column of one repeated value compresses to almost nothing, so bytes
/// alone cannot bound rows; this bound lets through any real ledger and
/// stops a few kilobytes claiming billions of rows.
fn most_rows(file_size: u64) -> u64 {
    10_000_000 + file_size.saturating_mul(1_000)
}

/// A page decompresses to at most this many bytes (writers use about 1 MB).
const MOST_PAGE_BYTES: i64 = 256 << 20;

/// A page header (with its statistics) is read from at most this many bytes.
const MOST_HEADER_BYTES: u64 = 1 << 20;

fn bad(path: &Path) -> impl Fn(&str) -> Error + '_ {
    move |why| Error::Table {
        place: path.display().to_string(),
        message: format!("not a readable Parquet file: {why}"),
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Checks the claims of the file's footer and returns them; `check_pages`
/// then checks its pages'.
pub(super) fn check_footer(path: &Path) -> Result<FileClaims> {
    let (bad, io) = (&bad(path), &io(path));
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
    Thrift::new(&meta).skip(12, 0).map_err(|_| bad(FORGED))?;
    Thrift::new(&meta).typed(FILE_META, 0).map_err(bad)?;
    let mut file = footer(&meta).map_err(bad)?;
    if file.rows as u64 > most_rows(size) {
        return Err(bad(&format!(
            "it claims {} rows, more than a file of {size} bytes could hold (damaged or forged)",
            file.rows
        )));
    }
    file.data_end = size - 8 - len;
    for c in &file.chunks {
        if file.leaves.get(c.column - 1).is_none() {
            return Err(bad(
                "its row groups have more columns than its schema (damaged or forged)",
            ));
        }
    }
    Ok(file)
}

/// Checks every page header of the file's claims; and the definition
/// levels of the columns `levels` picks by name (those polars will decode).
pub(super) fn check_pages(
    path: &Path,
    file: &FileClaims,
    levels: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let (bad, io) = (&bad(path), &io(path));
    let f = std::fs::File::open(path).map_err(&io)?;
    for c in &file.chunks {
        let leaf = &file.leaves[c.column - 1];
        let l = levels(&leaf.name).then_some(leaf.levels);
        pages(&f, c, l, file.data_end).map_err(|e| match e {
            Walk::Io(source) => io(source),
            Walk::Bad(why) => bad(&format!(
                "row group {}, column {}: {why}",
                c.group, c.column
            )),
        })?;
    }
    Ok(())
}

/// What the footer says of the file: its rows and every column chunk.
#[derive(Default)]
pub(super) struct FileClaims {
    rows: i64,
    /// Where the pages end and the footer begins.
    pub data_end: u64,
    pub chunks: Vec<Chunk>,
    /// Leaf columns of the schema in order.
    pub leaves: Vec<Leaf>,
}

/// A leaf column of the schema.
#[derive(Default, Clone)]
pub(super) struct Leaf {
    pub name: String,
    pub levels: Levels,
    /// SchemaElement field 1 (physical type), -1 if not written.
    pub physical: i64,
    /// Field 6 (converted type) and the field id of field 10's union
    /// (logical type), when written.
    pub converted: Option<i64>,
    pub logical: Option<i64>,
    /// Fields 2 (type_length) and 7 (scale), when written.
    pub length: Option<i64>,
    pub scale: Option<i64>,
    /// A column of the root, not a field of a group.
    pub top: bool,
}

/// One column chunk of one row group, as the footer describes it.
#[derive(Default, Clone)]
pub(super) struct Chunk {
    /// Row group and leaf column, both from 1.
    pub group: usize,
    pub column: usize,
    pub rows: i64,
    pub values: i64,
    pub start: i64,
    pub size: i64,
    /// Compression (ColumnMetaData field 4).
    pub codec: i64,
    /// Encodings of the chunk's pages (field 2).
    pub encodings: Vec<i64>,
}

/// FileMetaData: field 3 num_rows, field 4 row_groups.
fn footer(meta: &[u8]) -> R<FileClaims> {
    let mut t = Thrift::new(meta);
    let mut out = FileClaims::default();
    let (mut group_rows, mut groups) = (0i64, 0usize);
    t.fields(0, |t, id, ty| match (id, ty) {
        (2, 9) => {
            out.leaves = schema(t)?;
            Ok(true)
        }
        (3, 6) => {
            out.rows = t.i64()?;
            Ok(true)
        }
        (4, 9) => {
            t.list(1, |t, ty| {
                if ty != 12 {
                    return Err(FORGED);
                }
                groups += 1;
                let rows = row_group(t, &mut out.chunks, groups)?;
                group_rows = group_rows.checked_add(rows).ok_or(FORGED)?;
                Ok(())
            })?;
            Ok(true)
        }
        _ => Ok(false),
    })?;
    if out.rows < 0 || group_rows != out.rows {
        return Err("its row groups do not add up to its row count (damaged or forged)");
    }
    Ok(out)
}

/// FileMetaData field 2, the schema as a flattened tree (SchemaElement: 3
/// repetition_type, 4 name, 5 num_children; and the types in `Leaf`): its
/// leaves with the depth of
/// their definition (optional or repeated ancestors) and repetition levels.
fn schema(t: &mut Thrift) -> R<Vec<Leaf>> {
    let mut nodes: Vec<(i64, Leaf, i64)> = Vec::new();
    t.list(1, |t, ty| {
        if ty != 12 {
            return Err(FORGED);
        }
        let (mut rep, mut leaf, mut children) = (0i64, Leaf::default(), 0i64);
        leaf.physical = -1;
        t.fields(2, |t, id, ty| match (id, ty) {
            (1..=3 | 5..=7, 5) => {
                let v = t.i64()?;
                match id {
                    1 => leaf.physical = v,
                    2 => leaf.length = Some(v),
                    3 => rep = v,
                    5 => children = v,
                    6 => leaf.converted = Some(v),
                    _ => leaf.scale = Some(v),
                }
                Ok(true)
            }
            (10, 12) => {
                t.fields(3, |_, id, _| {
                    leaf.logical = Some(id);
                    Ok(false)
                })?;
                Ok(true)
            }
            (4, 8) => {
                leaf.name = t.string()?;
                Ok(true)
            }
            _ => Ok(false),
        })?;
        nodes.push((rep, leaf, children));
        Ok(())
    })?;
    let mut leaves = Vec::new();
    // (children left to visit, levels at that depth); the root adds none.
    let mut stack: Vec<(i64, Levels)> = Vec::new();
    for (i, (rep, mut leaf, children)) in nodes.into_iter().enumerate() {
        let parent = stack.last().map(|s| s.1).unwrap_or_default();
        leaf.top = stack.len() == 1;
        let mut here = parent;
        if i > 0 {
            here.max_def += u32::from(rep == 1 || rep == 2);
            here.max_rep += u32::from(rep == 2);
            if let Some(top) = stack.last_mut() {
                top.0 -= 1;
            }
        }
        if children > 0 {
            stack.push((children, here));
        } else if i > 0 {
            leaf.levels = here;
            leaves.push(leaf);
        }
        while stack.last().is_some_and(|s| s.0 <= 0) {
            stack.pop();
        }
        if stack.len() > 64 {
            return Err(FORGED);
        }
    }
    Ok(leaves)
}

/// RowGroup: field 1 columns, field 3 num_rows. Returns the rows.
fn row_group(t: &mut Thrift, chunks: &mut Vec<Chunk>, group: usize) -> R<i64> {
    let first = chunks.len();
    let mut rows = None;
    t.fields(2, |t, id, ty| match (id, ty) {
        (1, 9) => {
            t.list(3, |t, ty| {
                if ty != 12 {
                    return Err(FORGED);
                }
                chunks.push(column_chunk(t)?);
                Ok(())
            })?;
            Ok(true)
        }
        (3, 6) => {
            rows = Some(t.i64()?);
            Ok(true)
        }
        _ => Ok(false),
    })?;
    let rows = rows
        .filter(|r| *r >= 0)
        .ok_or("a row group has no row count")?;
    for (i, c) in chunks[first..].iter_mut().enumerate() {
        (c.group, c.column) = (group, i + 1);
        if c.values < rows {
            return Err(
                "a column claims fewer values than its row group has rows (damaged or forged)",
            );
        }
        c.rows = rows;
    }
    Ok(rows)
}

/// ColumnChunk field 3 is ColumnMetaData: 5 num_values,
/// 7 total_compressed_size, 9 data_page_offset, 11 dictionary_page_offset.
fn column_chunk(t: &mut Thrift) -> R<Chunk> {
    let mut c = Chunk {
        values: -1,
        start: -1,
        ..Chunk::default()
    };
    let mut dictionary = None;
    t.fields(4, |t, id, ty| {
        if (id, ty) != (3, 12) {
            return Ok(false);
        }
        t.fields(5, |t, id, ty| {
            if (id, ty) == (2, 9) {
                // An element of another type is skipped as polars would
                // and marks the chunk as not for the page reader.
                t.list(6, |t, ty| {
                    match ty {
                        5 => c.encodings.push(t.i64()?),
                        _ => {
                            t.skip(ty, 7)?;
                            c.encodings.push(-1);
                        }
                    }
                    Ok(())
                })?;
                return Ok(true);
            }
            let v = match (id, ty) {
                (5 | 7 | 9 | 11, 6) | (4, 5) => t.i64()?,
                _ => return Ok(false),
            };
            match id {
                4 => c.codec = v,
                5 => c.values = v,
                7 => c.size = v,
                9 => c.start = v,
                _ => dictionary = Some(v),
            }
            Ok(true)
        })?;
        Ok(true)
    })?;
    // A dictionary page, when there is one, comes first. Writers put 0 in
    // either offset to mean none (an empty chunk may have only the
    // dictionary's), and no page can start inside the leading "PAR1".
    c.start = [Some(c.start), dictionary]
        .into_iter()
        .flatten()
        .filter(|o| *o >= 4)
        .min()
        .unwrap_or(-1);
    if c.values < 0 || c.start < 4 || c.size < 0 {
        return Err("a column chunk has no place, size or count of values (damaged or forged)");
    }
    Ok(c)
}

pub(super) enum Walk {
    Io(std::io::Error),
    Bad(String),
}

impl From<&str> for Walk {
    fn from(s: &str) -> Self {
        Walk::Bad(s.to_string())
    }
}

impl From<String> for Walk {
    fn from(s: String) -> Self {
        Walk::Bad(s)
    }
}

/// Reads every page header of a chunk: each page must fit in the chunk,
/// claim no negative sizes or counts, decompress to a bounded size, and
/// the data pages' values must add up to the chunk's.
fn pages(
    f: &std::fs::File,
    c: &Chunk,
    levels: Option<Levels>,
    data_end: u64,
) -> std::result::Result<(), Walk> {
    let (start, size) = (c.start as u64, c.size as u64);
    let end = start.checked_add(size).filter(|e| *e <= data_end);
    let end = end.ok_or("it claims bytes past the end of the data (damaged or forged)")?;
    let mut pos = start;
    let mut values = 0i64;
    let mut buf = Vec::new();
    while pos < end {
        let (header, page) = read_page_header(f, pos, end - pos, &mut buf)?;
        if let Some(why) = page.fault(c, values) {
            return Err(Walk::Bad(why.to_string()));
        }
        // Bounded before anything is read from the page: its size is a claim.
        let next = pos + header + page.compressed as u64;
        if next > end {
            return Err("a page runs past the end of its column (damaged or forged)".into());
        }
        if let (Some(_), Some(crc)) = (levels, page.crc) {
            page_crc(f, pos + header, page.compressed as u64, crc)?;
        }
        if let Some(l) = levels.filter(|l| l.max_def > 0 || l.max_rep > 0) {
            page_levels(f, c.codec, l, &page, pos + header)?;
        }
        if !page.dictionary {
            values += page.values;
        }
        pos = next;
    }
    if values != c.values {
        return Err(Walk::Bad(format!(
            "its pages hold {values} values where the footer says {} (damaged or forged)",
            c.values
        )));
    }
    Ok(())
}

/// The page header at `pos` and its length. Headers are small: a few
/// kilobytes are read first, and up to a megabyte only if that was short
/// (long statistics), so the check does not read the data a second time.
pub(super) fn read_page_header(
    f: &std::fs::File,
    pos: u64,
    left: u64,
    buf: &mut Vec<u8>,
) -> std::result::Result<(u64, Page), Walk> {
    for window in [4096, MOST_HEADER_BYTES] {
        let want = left.min(window) as usize;
        buf.resize(want, 0);
        read_exact_at(f, buf, pos).map_err(Walk::Io)?;
        let mut t = Thrift::new(buf);
        let typed = Thrift::new(buf).typed(PAGE_HEADER, 0);
        if let Ok(page) = page_header(&mut t) {
            typed.map_err(Walk::from)?;
            return Ok((t.pos as u64, page));
        }
        if want as u64 == left {
            break;
        }
    }
    Err("a page header is damaged".into())
}

/// A page of a column read, against the CRC-32 its writer stored: a
/// flipped bit in an amount gave a wrong figure, silently (pyarrow refuses
/// it). Read a megabyte at a time.
pub(super) fn page_crc(
    f: &std::fs::File,
    at: u64,
    len: u64,
    want: u32,
) -> std::result::Result<(), Walk> {
    let mut crc = flate2::Crc::new();
    let mut buf = vec![0u8; len.min(1 << 20) as usize];
    let mut done = 0u64;
    while done < len {
        let n = (len - done).min(buf.len() as u64) as usize;
        read_exact_at(f, &mut buf[..n], at + done).map_err(Walk::Io)?;
        crc.update(&buf[..n]);
        done += n as u64;
    }
    match crc.sum() == want {
        true => Ok(()),
        false => Err("a page's bytes do not match the checksum its writer stored (damaged)".into()),
    }
}

/// The definition and repetition levels of one data page: in a v2 page
/// they are stored uncompressed before the values; in a v1 page the whole
/// page is decompressed first.
fn page_levels(
    f: &std::fs::File,
    codec: i64,
    l: Levels,
    page: &Page,
    at: u64,
) -> std::result::Result<(), Walk> {
    let read = |len: u64| -> std::result::Result<Vec<u8>, Walk> {
        let mut b = vec![0u8; len as usize];
        read_exact_at(f, &mut b, at).map_err(Walk::Io)?;
        Ok(b)
    };
    match page.kind {
        PageKind::DataV2 { rep_len, def_len } => {
            let (r, d) = (rep_len.max(0) as u64, def_len.max(0) as u64);
            if r + d > page.compressed as u64 {
                return Err("a page's levels run past the page (damaged or forged)".into());
            }
            let b = read(r + d)?;
            levels::check_runs(&b[..r as usize], l.max_rep, page.values)?;
            levels::check_runs(&b[r as usize..], l.max_def, page.values)?;
        }
        PageKind::DataV1 => {
            let bytes = PageBytes {
                at,
                compressed: page.compressed as u64,
                uncompressed: page.uncompressed as usize,
                codec,
            };
            if let Some(b) = read_whole(f, bytes).map_err(Walk::Io)? {
                levels::check_v1(&b, l, page.values)?;
            }
        }
        PageKind::Other => {}
    }
    Ok(())
}

#[derive(Default, Clone, Copy)]
pub(super) enum PageKind {
    DataV1,
    DataV2 {
        rep_len: i64,
        def_len: i64,
    },
    #[default]
    Other,
}

#[derive(Default)]
pub(super) struct Page {
    pub kind: PageKind,
    pub uncompressed: i64,
    pub compressed: i64,
    pub values: i64,
    rows: Option<i64>,
    pub dictionary: bool,
    /// How the values are written (field 2 of a v1 or dictionary page
    /// header, field 4 of a v2), and a v1 page's definition levels (field 3).
    pub encoding: i64,
    pub def_encoding: i64,
    /// A v2 page's values are compressed unless field 7 says not.
    pub values_plain: bool,
    /// The CRC-32 of the page's bytes as stored, when the writer gave one.
    pub crc: Option<u32>,
}

impl Page {
    /// Why this page cannot be trusted, if it cannot.
    pub(super) fn fault(&self, c: &Chunk, values_before: i64) -> Option<&'static str> {
        if self.compressed < 0 || self.uncompressed < 0 || self.values < 0 {
            Some("a page claims a negative size or count (damaged or forged)")
        } else if self.uncompressed > MOST_PAGE_BYTES {
            Some("a page claims to decompress to more than 256 MB (damaged or forged)")
        } else if self.dictionary && self.values > c.values {
            Some(
                "its dictionary claims more entries than the column has values (damaged or forged)",
            )
        } else if !self.dictionary && values_before + self.values > c.values {
            Some("its pages claim more values than the column has (damaged or forged)")
        } else if self.rows.is_some_and(|r| r < 0 || r > c.rows) {
            Some("a page claims more rows than its row group (damaged or forged)")
        } else {
            None
        }
    }
}

/// PageHeader: 2 uncompressed_page_size, 3 compressed_page_size, 5 data
/// page header, 7 dictionary page header, 8 data page header v2; in each,
/// field 1 is num_values (and v2's field 3 num_rows).
fn page_header(t: &mut Thrift) -> R<Page> {
    let mut p = Page::default();
    t.fields(0, |t, id, ty| match (id, ty) {
        (2, 5) => {
            p.uncompressed = t.i64()?;
            Ok(true)
        }
        (3, 5) => {
            p.compressed = t.i64()?;
            Ok(true)
        }
        (4, 5) => {
            p.crc = Some(t.i64()? as i32 as u32);
            Ok(true)
        }
        (5 | 7 | 8, 12) => {
            p.dictionary = id == 7;
            let (mut rep_len, mut def_len) = (0, 0);
            t.fields(1, |t, sub, ty| match (sub, ty) {
                (1, 5) => {
                    p.values = t.i64()?;
                    Ok(true)
                }
                (3, 5) if id == 8 => {
                    p.rows = Some(t.i64()?);
                    Ok(true)
                }
                (2, 5) if id != 8 => {
                    p.encoding = t.i64()?;
                    Ok(true)
                }
                (3, 5) if id == 5 => {
                    p.def_encoding = t.i64()?;
                    Ok(true)
                }
                (4, 5) if id == 8 => {
                    p.encoding = t.i64()?;
                    Ok(true)
                }
                (7, 2) if id == 8 => {
                    p.values_plain = true;
                    Ok(true)
                }
                (5, 5) if id == 8 => {
                    def_len = t.i64()?;
                    Ok(true)
                }
                (6, 5) if id == 8 => {
                    rep_len = t.i64()?;
                    Ok(true)
                }
                _ => Ok(false),
            })?;
            p.kind = match id {
                5 => PageKind::DataV1,
                8 => PageKind::DataV2 { rep_len, def_len },
                _ => PageKind::Other,
            };
            Ok(true)
        }
        _ => Ok(false),
    })?;
    // An index page (or a kind this check does not know) carries no values.
    Ok(p)
}

/// Just enough of the Thrift compact protocol to check a file's claims.
struct Thrift<'a> {
    b: &'a [u8],
    pos: usize,
    steps: u32,
}

impl<'a> Thrift<'a> {
    fn new(b: &'a [u8]) -> Self {
        Thrift {
            b,
            pos: 0,
            steps: 0,
        }
    }

    fn byte(&mut self) -> R<u8> {
        let v = *self.b.get(self.pos).ok_or(FORGED)?;
        self.pos += 1;
        Ok(v)
    }

    fn varint(&mut self) -> R<u64> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7F) as u64).checked_shl(shift).ok_or(FORGED)?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(FORGED)
    }

    /// A string (binary), lossily as UTF-8.
    fn string(&mut self) -> R<String> {
        let n = self.varint()?;
        let n = self.claim(n)?;
        let s = String::from_utf8_lossy(&self.b[self.pos..self.pos + n]).into_owned();
        self.pos += n;
        Ok(s)
    }

    /// A zigzag integer (i16, i32 and i64 are all written this way).
    fn i64(&mut self) -> R<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A claimed count or length, no more than the bytes left.
    fn claim(&self, n: u64) -> R<usize> {
        let left = (self.b.len() - self.pos) as u64;
        if n > left {
            Err(FORGED)
        } else {
            Ok(n as usize)
        }
    }

    fn count_step(&mut self, depth: u32) -> R<()> {
        self.steps += 1;
        if depth > 64 || self.steps > 10_000_000 {
            return Err(FORGED);
        }
        Ok(())
    }

    /// Reads a struct's fields, handing each to `f` with its id and type;
    /// `f` reads the value and returns true, or returns false to skip it.
    fn fields(&mut self, depth: u32, mut f: impl FnMut(&mut Self, i64, u8) -> R<bool>) -> R<()> {
        let mut last = 0i64;
        loop {
            self.count_step(depth)?;
            let h = self.byte()?;
            if h == 0 {
                return Ok(());
            }
            let ty = h & 0x0F;
            let id = match h >> 4 {
                0 => self.i64()?,
                delta => last + delta as i64,
            };
            last = id;
            if !f(self, id, ty)? {
                self.skip(ty, depth + 1)?;
            }
        }
    }

    /// Reads a list, handing each element's type to `f`, which reads it.
    fn list(&mut self, depth: u32, mut f: impl FnMut(&mut Self, u8) -> R<()>) -> R<()> {
        let h = self.byte()?;
        let mut n = (h >> 4) as u64;
        if n == 15 {
            n = self.varint()?;
        }
        let n = self.claim(n)?;
        for _ in 0..n {
            self.count_step(depth)?;
            f(self, h & 0x0F)?;
        }
        Ok(())
    }

    /// Skips one value of compact type `t`.
    fn skip(&mut self, t: u8, depth: u32) -> R<()> {
        self.count_step(depth)?;
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
            9 | 10 => self.list(depth + 1, |t, ty| t.skip(ty, depth + 1)),
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
            12 => self.fields(depth + 1, |_, _, _| Ok(false)),
            _ => Err(FORGED),
        }
    }
}

/// What polars expects a field to hold. polars's Thrift reader reads a
/// known field by its id whatever type the file declares, so a list field
/// declared as a number makes it read a list header out of the number's
/// bytes and reserve gigabytes (found by the fuzzer). Every known container
/// field must therefore be declared as what it is.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// A list of structs with this schema.
    Structs(&'static [(i64, Kind)]),
    /// A list of numbers or strings.
    List,
    /// A struct with this schema.
    Struct(&'static [(i64, Kind)]),
    /// A string or binary.
    Bin,
}

use Kind::{Bin, List, Struct, Structs};

const STATISTICS: &[(i64, Kind)] = &[(1, Bin), (2, Bin), (5, Bin), (6, Bin)];
const KEY_VALUE: &[(i64, Kind)] = &[(1, Bin), (2, Bin)];
const SCHEMA_ELEMENT: &[(i64, Kind)] = &[(4, Bin), (10, Struct(&[]))];
const COLUMN_META: &[(i64, Kind)] = &[
    (2, List),
    (3, List),
    (8, Structs(KEY_VALUE)),
    (12, Struct(STATISTICS)),
    (13, Structs(&[])),
    (16, Struct(&[])),
];
const COLUMN_CHUNK: &[(i64, Kind)] = &[
    (1, Bin),
    (3, Struct(COLUMN_META)),
    (8, Struct(&[])),
    (9, Bin),
];
const ROW_GROUP: &[(i64, Kind)] = &[(1, Structs(COLUMN_CHUNK)), (4, Structs(&[]))];
/// FileMetaData.
pub(super) const FILE_META: &[(i64, Kind)] = &[
    (2, Structs(SCHEMA_ELEMENT)),
    (4, Structs(ROW_GROUP)),
    (5, Structs(KEY_VALUE)),
    (6, Bin),
    (7, Structs(&[])),
    (8, Struct(&[])),
    (9, Bin),
];
/// PageHeader.
pub(super) const PAGE_HEADER: &[(i64, Kind)] = &[
    (5, Struct(&[(5, Struct(STATISTICS))])),
    (6, Struct(&[])),
    (7, Struct(&[])),
    (8, Struct(&[(8, Struct(STATISTICS))])),
];

impl Thrift<'_> {
    /// Walks a struct, checking that every field `schema` knows is declared
    /// as the kind polars will read it as.
    pub(super) fn typed(&mut self, schema: &[(i64, Kind)], depth: u32) -> R<()> {
        self.fields(depth, |t, id, ty| {
            let Some((_, kind)) = schema.iter().find(|(f, _)| *f == id) else {
                return Ok(false);
            };
            t.kind(*kind, ty, depth + 1)?;
            Ok(true)
        })
    }

    fn kind(&mut self, kind: Kind, ty: u8, depth: u32) -> R<()> {
        const WRONG: &str = "a footer or page field is not of its type (damaged or forged)";
        match kind {
            Bin if ty == 8 => self.skip(8, depth),
            List if ty == 9 || ty == 10 => self.skip(ty, depth),
            Struct(inner) if ty == 12 => self.typed(inner, depth),
            Structs(inner) if ty == 9 || ty == 10 => self.list(depth, |t, et| {
                if et != 12 {
                    return Err(WRONG);
                }
                t.typed(inner, depth + 1)
            }),
            _ => Err(WRONG),
        }
    }
}
