//! A CSV record scanner that numbers lines as a text editor shows them.
//!
//! The csv crate's own line count drifts on Windows line endings (rust-csv
//! issue #395), and a citation one line off is a wrong citation. Here CRLF,
//! LF and a lone CR each end exactly one line, inside quoted fields too.
//! Quotes follow RFC 4180 as spreadsheets write it: a quote opens a quoted
//! field only at the start of a field, `""` inside one is a quote, and a quote
//! in the middle of an unquoted field (`12" monitor`) is an ordinary
//! character. Every pass is linear in the input.

use memchr::{memchr, memchr2_iter, memchr3};
use std::borrow::Cow;

/// Where one field lies in the scanned data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// The field began with a quote: its text needs `unquote`.
    pub quoted: bool,
}

/// One record: its first and last line, and where its bytes lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    pub line: u64,
    pub last_line: u64,
    pub start: usize,
    /// Just before the line end.
    pub end: usize,
    /// A quoted field was still open at the end of the data.
    pub unterminated: bool,
    /// Text follows a quoted field's closing quote (`"a"b,`): a quote is
    /// missing or one too many, and the fields cannot be told apart (a
    /// missing closing quote swallows the lines up to the next quote).
    pub stray_quote: bool,
}

/// What `Scanner::next` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Record(Rec),
    /// The data ends inside a record that may go on in more data (only when
    /// the scanner was told more may follow).
    Incomplete {
        in_quotes: bool,
    },
    End,
}

/// Scans records from `data`, starting at a record boundary.
pub struct Scanner<'a> {
    data: &'a [u8],
    pos: usize,
    line: u64,
    delim: u8,
    /// More data may follow `data` (a block of a larger file).
    more: bool,
    /// Where delimiters, quotes and line ends lie in the current 64 bytes;
    /// None: search byte by byte with memchr (the plain way, for tests).
    masks: Option<Masks>,
}

/// Bit masks of the delimiters, quotes and line ends in the 64 bytes of
/// the data from `base` (bit i is byte `base + i`). A ledger line has six
/// short fields: finding each one's end with a search of its own cost more
/// than the line's other work, and one pass over 64 bytes finds them all.
#[derive(Debug, Clone, Copy)]
struct Masks {
    base: usize,
    /// Delimiter, CR or LF: where an unquoted field ends.
    ends: u64,
    quotes: u64,
    /// CR or LF.
    lines: u64,
}

impl Masks {
    const NONE: Masks = Masks {
        base: usize::MAX,
        ends: 0,
        quotes: 0,
        lines: 0,
    };

    /// The masks of `d[base..]`'s first 64 bytes (fewer at its end).
    fn of(d: &[u8], base: usize, delim: u8) -> Masks {
        let w = &d[base..d.len().min(base + 64)];
        let [delims, quotes, lines] = match <&[u8; 64]>::try_from(w) {
            Ok(full) => classify64(full, delim),
            Err(_) => classify_bytes(w, delim),
        };
        Masks {
            base,
            ends: delims | lines,
            quotes,
            lines,
        }
    }
}

/// [delimiter, quote, CR-or-LF] bit masks of up to 64 bytes, a byte at a
/// time.
fn classify_bytes(w: &[u8], delim: u8) -> [u64; 3] {
    let mut m = [0u64; 3];
    for (i, &c) in w.iter().enumerate() {
        let k = match c {
            b'"' => 1,
            b'\n' | b'\r' => 2,
            c if c == delim => 0,
            _ => continue,
        };
        m[k] |= 1 << i;
    }
    m
}

/// [delimiter, quote, CR-or-LF] bit masks of 64 bytes, 16 at a time.
#[cfg(target_arch = "x86_64")]
fn classify64(w: &[u8; 64], delim: u8) -> [u64; 3] {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86_64 processor; each load reads the
    // 16 bytes of one `chunks_exact(16)` chunk of `w`.
    unsafe {
        let (d, cr, lf, q) = (
            _mm_set1_epi8(delim as i8),
            _mm_set1_epi8(b'\r' as i8),
            _mm_set1_epi8(b'\n' as i8),
            _mm_set1_epi8(b'"' as i8),
        );
        let mut m = [0u64; 3];
        for (k, chunk) in w.chunks_exact(16).enumerate() {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let bits = |x| (_mm_movemask_epi8(x) as u16 as u64) << (16 * k);
            m[0] |= bits(_mm_cmpeq_epi8(v, d));
            m[1] |= bits(_mm_cmpeq_epi8(v, q));
            m[2] |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        }
        m
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify64(w: &[u8; 64], delim: u8) -> [u64; 3] {
    classify_bytes(w, delim)
}

/// Line ends in `b`: every LF, and every CR not followed by LF. `next` is
/// the byte after `b`, for a CR at its very end.
pub fn count_line_ends(b: &[u8], next: Option<u8>) -> u64 {
    let mut n = 0;
    for i in memchr2_iter(b'\n', b'\r', b) {
        if b[i] == b'\n' || b.get(i + 1).copied().or(next) != Some(b'\n') {
            n += 1;
        }
    }
    n
}

impl<'a> Scanner<'a> {
    pub fn new(data: &'a [u8], first_line: u64, delim: u8, more: bool) -> Self {
        Scanner {
            data,
            pos: 0,
            line: first_line,
            delim,
            more,
            masks: Some(Masks::NONE),
        }
    }

    /// A scanner that searches with memchr, byte by byte: what the masked
    /// search must equal.
    #[cfg(test)]
    fn plain(data: &'a [u8], first_line: u64, delim: u8, more: bool) -> Self {
        Scanner {
            masks: None,
            ..Scanner::new(data, first_line, delim, more)
        }
    }

    /// The first byte at or after `from` that `pick` marks in the masks.
    fn find(&mut self, from: usize, pick: impl Fn(&Masks) -> u64) -> Option<usize> {
        let d = self.data;
        let m = self.masks.as_mut()?;
        let mut base = from & !63;
        while base < d.len() {
            if m.base != base {
                *m = Masks::of(d, base, self.delim);
            }
            let bits = pick(&*m) & (!0u64 << (from.max(base) - base));
            if bits != 0 {
                return Some(base + bits.trailing_zeros() as usize);
            }
            base += 64;
        }
        None
    }

    /// The first delimiter or line end at or after `from`.
    fn field_end(&mut self, from: usize) -> Option<usize> {
        if self.masks.is_none() {
            return memchr3(self.delim, b'\n', b'\r', &self.data[from..]).map(|i| from + i);
        }
        self.find(from, |m| m.ends)
    }

    /// The first quote at or after `from`.
    fn quote_at(&mut self, from: usize) -> Option<usize> {
        if self.masks.is_none() {
            return memchr(b'"', &self.data[from..]).map(|i| from + i);
        }
        self.find(from, |m| m.quotes)
    }

    /// Where the next record starts, and its line.
    pub fn position(&self) -> (usize, u64) {
        (self.pos, self.line)
    }

    /// The next record, with its fields' spans in `fields`.
    pub fn next(&mut self, fields: &mut Vec<Span>) -> Step {
        fields.clear();
        let d = self.data;
        if self.pos >= d.len() {
            return Step::End;
        }
        let (start, line) = (self.pos, self.line);
        let mut pos = self.pos;
        let mut lines_inside = 0u64;
        let mut stray_quote = false;
        loop {
            let fstart = pos;
            let quoted = d.get(pos) == Some(&b'"');
            if quoted {
                match self.closing_quote(pos) {
                    Quote::Closed { after, lines } => {
                        lines_inside += lines;
                        pos = after;
                        stray_quote |= self.text_after(after);
                    }
                    Quote::NeedMore => return Step::Incomplete { in_quotes: true },
                    Quote::Unclosed => {
                        // A line end closing the file starts no line of its own.
                        let ends = count_line_ends(&d[pos..], None);
                        let closing = d.last().is_some_and(|b| matches!(b, b'\n' | b'\r'));
                        let last_line = line + lines_inside + ends - u64::from(closing && ends > 0);
                        fields.push(Span {
                            start: fstart,
                            end: d.len(),
                            quoted: true,
                        });
                        self.pos = d.len();
                        self.line = last_line + 1;
                        return Step::Record(Rec {
                            line,
                            last_line,
                            start,
                            end: d.len(),
                            unterminated: true,
                            stray_quote,
                        });
                    }
                }
            }
            // The rest of the field: up to a delimiter or a line end.
            match self.field_end(pos).map(|e| e - pos) {
                Some(i) if d[pos + i] == self.delim => {
                    fields.push(Span {
                        start: fstart,
                        end: pos + i,
                        quoted,
                    });
                    pos += i + 1;
                }
                Some(i) => {
                    let end = pos + i;
                    let mut next = end + 1;
                    if d[end] == b'\r' {
                        match d.get(next) {
                            Some(b'\n') => next += 1,
                            None if self.more => return Step::Incomplete { in_quotes: false },
                            _ => {}
                        }
                    }
                    fields.push(Span {
                        start: fstart,
                        end,
                        quoted,
                    });
                    self.pos = next;
                    self.line = line + lines_inside + 1;
                    return Step::Record(Rec {
                        line,
                        last_line: line + lines_inside,
                        start,
                        end,
                        unterminated: false,
                        stray_quote,
                    });
                }
                None => {
                    if self.more {
                        return Step::Incomplete { in_quotes: false };
                    }
                    fields.push(Span {
                        start: fstart,
                        end: d.len(),
                        quoted,
                    });
                    self.pos = d.len();
                    self.line = line + lines_inside + 1;
                    return Step::Record(Rec {
                        line,
                        last_line: line + lines_inside,
                        start,
                        end: d.len(),
                        unterminated: false,
                        stray_quote,
                    });
                }
            }
        }
    }
}

/// Where a quoted field's closing quote is.
enum Quote {
    /// Just after it, and the line ends passed on the way.
    Closed { after: usize, lines: u64 },
    /// The data ends first, and more may follow.
    NeedMore,
    /// The data ends first, and nothing follows: never closed.
    Unclosed,
}

impl Scanner<'_> {
    /// Whether anything but blanks comes between a closing quote at
    /// `after - 1` and the field's end.
    fn text_after(&self, after: usize) -> bool {
        let rest = &self.data[after.min(self.data.len())..];
        rest.iter()
            .find(|&&c| !matches!(c, b' ' | b'\t') || c == self.delim)
            .is_some_and(|&c| !matches!(c, b'\n' | b'\r') && c != self.delim)
    }

    /// Finds the quote closing the field opened at `open`, stepping over
    /// `""` pairs. A quote at the very end of a block may be the first of a
    /// pair whose second is in the next block, so more is needed to decide.
    fn closing_quote(&mut self, open: usize) -> Quote {
        let d = self.data;
        let mut p = open + 1;
        loop {
            match self.quote_at(p).map(|q| q - p) {
                Some(i) if d.get(p + i + 1) == Some(&b'"') => p += i + 2,
                Some(i) if p + i + 1 == d.len() && self.more => return Quote::NeedMore,
                Some(i) => {
                    let lines = match self.masks {
                        // Most quoted fields hold no line end.
                        Some(m) if open >= m.base && p + i - m.base < 64 => {
                            let inside = (!0u64 << (open - m.base)) & !(!0u64 << (p + i - m.base));
                            if m.lines & inside == 0 {
                                0
                            } else {
                                count_line_ends(&d[open..p + i], Some(b'"'))
                            }
                        }
                        _ => count_line_ends(&d[open..p + i], Some(b'"')),
                    };
                    return Quote::Closed {
                        after: p + i + 1,
                        lines,
                    };
                }
                None if self.more => return Quote::NeedMore,
                None => return Quote::Unclosed,
            }
        }
    }
}

/// A field's text: quotes removed and `""` made `"`, as a spreadsheet reads it.
pub fn unquote(raw: &[u8], quoted: bool) -> Cow<'_, [u8]> {
    if !quoted {
        return Cow::Borrowed(raw);
    }
    let inner = &raw[1..];
    // The common case: "text" with no quote inside.
    if let Some(i) = memchr(b'"', inner) {
        if i + 1 == inner.len() {
            return Cow::Borrowed(&inner[..i]);
        }
    } else {
        return Cow::Borrowed(inner);
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut in_quotes = true;
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if c == b'"' && in_quotes {
            if inner.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 2;
                continue;
            }
            in_quotes = false;
        } else {
            out.push(c);
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// The field delimiter a header line uses: comma, unless semicolons or
/// tabs outnumber commas (European and "Unicode text" exports).
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    let (commas, semis, tabs) = (count(b','), count(b';'), count(b'\t'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// Every record of a whole text, with its fields unquoted.
pub fn records(data: &[u8], delim: u8) -> Vec<(Rec, Vec<Vec<u8>>)> {
    let mut s = Scanner::new(data, 1, delim, false);
    let mut spans = Vec::new();
    let mut out = Vec::new();
    while let Step::Record(r) = s.next(&mut spans) {
        let fields = spans
            .iter()
            .map(|f| unquote(&data[f.start..f.end], f.quoted).into_owned())
            .collect();
        out.push((r, fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, Vec<String>)> {
        records(text.as_bytes(), b',')
            .into_iter()
            .map(|(r, f)| {
                (
                    r.line,
                    f.into_iter()
                        .map(|b| String::from_utf8(b).unwrap())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn every_line_ending_counts_once() {
        for nl in ["\n", "\r\n", "\r"] {
            let t = format!("a,b{nl}1,2{nl}{nl}3,4{nl}");
            let got = lines(&t);
            assert_eq!(got.len(), 4, "{nl:?}");
            assert_eq!(got[0].0, 1);
            assert_eq!(got[1], (2, vec!["1".into(), "2".into()]));
            assert_eq!(got[2], (3, vec!["".into()]));
            assert_eq!(got[3], (4, vec!["3".into(), "4".into()]));
        }
        // Mixed endings, as a file edited on two systems has.
        let got = lines("a\r\nb\nc\rd");
        let nums: Vec<u64> = got.iter().map(|g| g.0).collect();
        assert_eq!(nums, vec![1, 2, 3, 4]);
    }

    #[test]
    fn quoted_fields_and_stray_quotes() {
        let got = lines("x,\"a \"\"b\"\", c\",y\n12\" monitor,\"two\r\nlines\",z\nnext,1,2");
        assert_eq!(got[0].1, vec!["x", "a \"b\", c", "y"]);
        assert_eq!(got[1].0, 2);
        assert_eq!(got[1].1, vec!["12\" monitor", "two\r\nlines", "z"]);
        assert_eq!(got[2].0, 4);
    }

    #[test]
    fn unterminated_quote_runs_to_the_end_and_says_so() {
        let r = records(b"a,\"open\nb\nc", b',');
        assert_eq!(r.len(), 1);
        assert!(r[0].0.unterminated);
        assert_eq!((r[0].0.line, r[0].0.last_line), (1, 3));
        // The file's last line end closes line 3; it starts no line 4.
        for end in ["\n", "\r\n", "\r"] {
            let r = records(format!("a,\"open\nb\nc{end}").as_bytes(), b',');
            assert_eq!((r[0].0.line, r[0].0.last_line), (1, 3), "{end:?}");
        }
    }

    #[test]
    fn a_doubled_quote_split_across_blocks_waits_for_the_next() {
        // `"a""` then `b"`: the quote ending the first block may be half of "".
        let mut s = Scanner::new(b"x,\"a\"\"", 1, b',', true);
        let mut f = Vec::new();
        assert_eq!(s.next(&mut f), Step::Incomplete { in_quotes: true });
        let r = records(b"x,\"a\"\"b\"\n", b',');
        assert_eq!(r[0].1[1], b"a\"b");
    }

    #[test]
    fn incomplete_when_more_may_follow() {
        let mut s = Scanner::new(b"a,b\nc,\"d", 1, b',', true);
        let mut f = Vec::new();
        assert!(matches!(s.next(&mut f), Step::Record(_)));
        assert_eq!(s.next(&mut f), Step::Incomplete { in_quotes: true });
        assert_eq!(s.position(), (4, 2));
        let mut s = Scanner::new(b"a,b\r", 1, b',', true);
        assert_eq!(s.next(&mut f), Step::Incomplete { in_quotes: false });
    }

    #[test]
    fn delimiter_from_the_header() {
        assert_eq!(sniff_delimiter(b"a,b,c"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
    }

    proptest::proptest! {
        /// The masked search finds what memchr finds, byte by byte: the
        /// same records, fields, line numbers and stops, for any bytes
        /// (quotes, line ends of every kind, delimiters, across windows).
        #[test]
        fn masked_scan_is_the_plain_scan(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b','), proptest::strategy::Just(b'"'),
                    proptest::strategy::Just(b'\n'), proptest::strategy::Just(b'\r'),
                    proptest::strategy::Just(b';'), b'a'..=b'e',
                ],
                0..300,
            ),
            more in proptest::bool::ANY,
            delim in proptest::prop_oneof![proptest::strategy::Just(b','), proptest::strategy::Just(b';')],
        ) {
            let (mut fast, mut plain) = (
                Scanner::new(&bytes, 1, delim, more),
                Scanner::plain(&bytes, 1, delim, more),
            );
            let (mut a, mut b) = (Vec::new(), Vec::new());
            loop {
                let (x, y) = (fast.next(&mut a), plain.next(&mut b));
                proptest::prop_assert_eq!(x, y);
                proptest::prop_assert_eq!(&a, &b);
                proptest::prop_assert_eq!(fast.position(), plain.position());
                if !matches!(x, Step::Record(_)) {
                    break;
                }
            }
        }
    }
}
