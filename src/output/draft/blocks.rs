//! A draft read into paragraphs and tables: Markdown by its lines, Word by
//! its document.xml (`w:p` paragraphs, `w:tbl` tables), each with a place
//! a person can find ("line 12", "paragraph 7", "table 2, row 3").

use crate::base::error::{Error, Result};
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para {
        place: String,
        text: String,
    },
    Table {
        place: String,
        /// The heading or paragraph just above it.
        title: String,
        header: Vec<String>,
        /// Each row's place and cells.
        rows: Vec<(String, Vec<String>)>,
    },
}

/// A draft's document.xml is read at most this far (a Word file is small;
/// a zip bomb is not).
const MAX_XML: u64 = 64 * 1024 * 1024;

/// A Markdown table row's cells: split at each `|` no backslash escapes,
/// bold marks dropped, and each escaped mark (`\|`, `\*`, `\\`) read as
/// the character it stands for, as the report writes names.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let (mut raw, mut cell) = (Vec::new(), String::new());
    let mut chars = t.chars();
    let mut closed = false;
    while let Some(c) = chars.next() {
        closed = c == '|';
        match c {
            '|' => raw.push(std::mem::take(&mut cell)),
            '\\' => {
                cell.push(c);
                cell.extend(chars.next());
            }
            c => cell.push(c),
        }
    }
    if !closed {
        raw.push(cell);
    }
    raw.iter()
        .map(|c| unescape(&c.trim().replace("**", "")))
        .collect()
}

/// The text as Markdown shows it: `\x` as `x` for each ASCII punctuation
/// mark `x`, and a character reference not so escaped (`&lt;`, `&amp;`,
/// `&#124;`) as its character. `\&lt;` stays `&lt;`: `fill` decoded it
/// after unescaping, and found no row of the name the report wrote.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let next = rest[c.len_utf8()..].chars().next();
        let (take, len) = match (c, next) {
            ('\\', Some(n)) if n.is_ascii_punctuation() => (n, 1 + n.len_utf8()),
            ('&', _) => reference(rest).unwrap_or(('&', 1)),
            _ => (c, c.len_utf8()),
        };
        out.push(take);
        rest = &rest[len..];
    }
    out
}

/// Named references a council's text is likely to hold (HTML has some
/// two thousand; one not listed is left as written).
const NAMED: [(&str, char); 38] = [
    ("lt", '<'),
    ("gt", '>'),
    ("amp", '&'),
    ("quot", '"'),
    ("apos", '\''),
    ("LT", '<'),
    ("GT", '>'),
    ("AMP", '&'),
    ("QUOT", '"'),
    ("nbsp", '\u{a0}'),
    ("pound", '£'),
    ("euro", '€'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("copy", '©'),
    ("reg", '®'),
    ("deg", '°'),
    ("times", '×'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("eacute", 'é'),
    ("Eacute", 'É'),
    ("egrave", 'è'),
    ("ecirc", 'ê'),
    ("aacute", 'á'),
    ("agrave", 'à'),
    ("acirc", 'â'),
    ("ccedil", 'ç'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("auml", 'ä'),
    ("iuml", 'ï'),
    ("szlig", 'ß'),
];

/// The character a reference at the start of `s` names, and its length:
/// a name of `NAMED`, or a decimal or hex number.
fn reference(s: &str) -> Option<(char, usize)> {
    // Within the first bytes only: a text of many `&` stays linear.
    let end = s.bytes().take(34).position(|b| b == b';')?;
    let body = &s[1..end];
    let c = match NAMED.iter().find(|(n, _)| *n == body) {
        Some(&(_, c)) => c,
        None => {
            let n = match body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => body.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(n).filter(|&c| c != '\0')?
        }
    };
    Some((c, end + 1))
}

fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A Markdown draft: headings give tables their titles; a table is a header
/// line, a rule and rows; any other non-blank line is a paragraph.
pub fn markdown(text: &str) -> Vec<Block> {
    // Lines as an editor numbers them: CRLF, LF and a lone CR (an old Mac
    // file: every figure was on "line 1" and its tables were not seen).
    let lines: Vec<&str> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        .collect();
    let mut out = Vec::new();
    let mut title = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        let n = i + 1;
        if l.starts_with('|') && lines.get(i + 1).is_some_and(|r| is_rule(r)) {
            let header = cells(l);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && lines[i].trim().starts_with('|') {
                rows.push((format!("line {}", i + 1), cells(lines[i])));
                i += 1;
            }
            out.push(Block::Table {
                place: format!("line {n}"),
                title: title.clone(),
                header,
                rows,
            });
            continue;
        }
        if let Some(h) = l.strip_prefix('#') {
            title = unescape(h.trim_start_matches('#').trim());
        }
        if !l.is_empty() {
            let text = unescape(&l.trim_start_matches(['#', '>', ' ']).replace("**", ""));
            out.push(Block::Para {
                place: format!("line {n}"),
                text,
            });
        }
        i += 1;
    }
    out
}

/// A table's block, then those of the tables nested in its cells (a
/// layout table holding the figures' table), numbered on in order: the
/// nested table's figures were never checked.
fn table_blocks(
    tbl: &str,
    prefix: &str,
    (tables, title): (&mut usize, &mut String),
    out: &mut Vec<Block>,
) {
    table_blocks_within(tbl, prefix, (tables, title), out, 0);
}

/// Tables nested deeper than this are not read: a forged draft of tables
/// nested a million deep would overflow the stack (Word stops well short).
const NESTED_MOST: usize = 16;

/// `table_blocks` at nesting `depth`.
fn table_blocks_within(
    tbl: &str,
    prefix: &str,
    (tables, title): (&mut usize, &mut String),
    out: &mut Vec<Block>,
    depth: usize,
) {
    *tables += 1;
    let n = *tables;
    let mut rows: Vec<(String, Vec<String>)> = table_rows(tbl)
        .into_iter()
        .enumerate()
        .map(|(r, cells)| (format!("{prefix}table {n}, row {}", r + 1), cells))
        .collect();
    // A title merged across the table's top row is no header: the table's
    // title, when no paragraph above gave one.
    let top = rows.first().map(|r| &r.1);
    if rows.len() > 1 && top.is_some_and(|t| t.len() > 1 && t.iter().all(|c| c == &t[0])) {
        let merged = rows.remove(0).1.swap_remove(0);
        if title.is_empty() {
            *title = merged;
        }
    }
    let header = match rows.is_empty() {
        true => Vec::new(),
        false => rows.remove(0).1,
    };
    // A layout table's cells hold no words of their own: no block.
    if !header
        .iter()
        .chain(rows.iter().flat_map(|r| &r.1))
        .all(String::is_empty)
    {
        out.push(Block::Table {
            place: format!("{prefix}table {n}"),
            title: title.clone(),
            header,
            rows,
        });
    }
    let inner = tbl.find('>').map_or(0, |g| g + 1);
    let nested_tables = match depth < NESTED_MOST {
        true => elements(&tbl[inner..], "w:tbl"),
        false => Vec::new(),
    };
    for nested in nested_tables {
        // Its title is the paragraph above it in its cell, as a heading
        // above a table in the body is (the title of the page it was laid
        // in was taken, and its figures not checked).
        let at = nested.as_ptr() as usize - tbl.as_ptr() as usize;
        let cell = tbl[..at].rfind("<w:tc").unwrap_or(0);
        let above = elements(&tbl[cell..at], "w:p");
        let heading = above.iter().rev().map(|p| runs_text(p).trim().to_string());
        if let Some(h) = heading.into_iter().find(|t| !t.is_empty()) {
            *title = h;
        }
        table_blocks_within(nested, prefix, (&mut *tables, &mut *title), out, depth + 1);
    }
}

/// A paragraph's own text, and the paragraphs of each text box anchored
/// in it: a box is a frame of its own on the page, so its sentences are
/// read as they print, not run into the paragraph around it ("Summary:
/// shared services cost £8.97m … (see box)" matched no commentary). Word's fallback
/// copy of a box is not read again.
fn para_and_boxes(para: &str) -> (String, Vec<Vec<String>>) {
    if !para.contains("<w:txbxContent") {
        return (runs_text(para).trim().to_string(), Vec::new());
    }
    let own = runs_text(&without(para, "w:txbxContent"));
    let once = without(para, "mc:Fallback");
    let inner = once.find('>').map_or(0, |g| g + 1);
    let boxes = elements(&once[inner..], "w:txbxContent")
        .into_iter()
        .map(|b| {
            let inside = b.find('>').map_or(b.len(), |g| g + 1);
            let ps = elements(&b[inside..], "w:p");
            ps.iter().map(|p| runs_text(p).trim().to_string()).collect()
        })
        .collect();
    (own.trim().to_string(), boxes)
}

/// The text of an XML fragment's `w:t` runs, entities decoded.
fn runs_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(s) = rest.find("<w:") {
        // Word writes a text box twice, the second for older readers.
        if let Some(f) = rest[..s].find("<mc:Fallback") {
            let end = rest[f..]
                .find("</mc:Fallback>")
                .map_or(rest.len(), |e| f + e);
            rest = &rest[end..];
            continue;
        }
        let after = &rest[s + 3..];
        // A line break, tab or carriage return parts the texts either side
        // ("£493,020" and "1" were read as "£493,0201").
        let part = ["br", "tab", "cr"].iter().position(|t| {
            after
                .strip_prefix(t)
                .is_some_and(|r| r.starts_with(['/', ' ', '>']))
        });
        if let Some(k) = part {
            out.push(if k == 1 { '\t' } else { '\n' });
            rest = after;
            continue;
        }
        // <w:t> or <w:t xml:space="preserve">, not <w:tbl>, <w:tc>, <w:tr>.
        let Some(after) = after
            .strip_prefix('t')
            .filter(|a| a.starts_with(['>', ' ']))
        else {
            rest = after;
            continue;
        };
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</w:t>") else {
            break;
        };
        out.push_str(&crate::base::text::xml_unescape(&body[..close]));
        rest = &body[close..];
    }
    // A no-break space (Word's Ctrl+Shift+Space, or "(1 in 10)" kept
    // together) reads as a space.
    out.replace('\u{a0}', " ")
}

/// The elements `<tag …>…</tag>` at the top of `xml` (not nested in each
/// other), in order.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    each_element(xml, tag, usize::MAX)
}

/// The first such element: found without reading the rest of `xml` (a
/// draft's paragraphs are taken one at a time).
fn first_element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    each_element(xml, tag, 1).into_iter().next()
}

/// Up to `most` of the elements `<tag …>…</tag>` at the top of `xml`.
fn each_element<'a>(xml: &'a str, tag: &str, most: usize) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = xml[at..].find(&open).map(|s| s + at) {
        if out.len() == most {
            break;
        }
        let next = xml.as_bytes().get(s + open.len());
        if !matches!(next, Some(b'>') | Some(b' ') | Some(b'/')) {
            at = s + open.len();
            continue;
        }
        // <w:p/>: an empty element, no closing tag.
        if let Some(gt) = xml[s..].find('>').map(|g| g + s)
            && xml.as_bytes()[gt - 1] == b'/'
        {
            out.push(&xml[s..=gt]);
            at = gt + 1;
            continue;
        }
        let Some(e) = closing(xml, s, &open, &close) else {
            break;
        };
        out.push(&xml[s..e]);
        at = e;
    }
    out
}

/// A table's rows of cell texts, merged cells laid out as they print: a
/// cell spanning columns (`gridSpan`) stands in each column it covers (a
/// label "Legal" across service and line is "Legal / Legal"), and a cell
/// continuing a merge down (`vMerge`) has the text above (the columns
/// after a merged cell were read one to the left).
fn table_rows(tbl: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for tr in elements(tbl, "w:tr") {
        let mut cells = Vec::new();
        for c in elements(tr, "w:tc") {
            let props = c
                .find("<w:tcPr")
                .and_then(|p| c[p..].find("</w:tcPr>").map(|e| &c[p..p + e]));
            let val = |tag: &str| props.and_then(|p| tag_value(p, tag));
            let span = val("<w:gridSpan").and_then(|v| v.parse::<usize>().ok());
            let merged_down = props.is_some_and(|p| p.contains("<w:vMerge"));
            let text = match merged_down && val("<w:vMerge") != Some("restart") {
                true => rows.last().and_then(|r| r.get(cells.len())).cloned(),
                false => None,
            };
            let text = text.unwrap_or_else(|| runs_text(&without(c, "w:tbl")).trim().to_string());
            let covered = span.unwrap_or(1).clamp(1, 64) - 1;
            cells.extend(std::iter::repeat_n(text.clone(), covered));
            cells.push(text);
        }
        rows.push(cells);
    }
    rows
}

/// The `w:val` of the element `tag` ("<w:gridSpan") in `xml`.
fn tag_value<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let s = xml.find(tag)?;
    let end = xml[s..].find('>')? + s;
    let v = xml[s..end].find("w:val=\"")? + s + 7;
    let close = xml[v..end].find('"')? + v;
    Some(&xml[v..close])
}

/// `xml` without its `tag` elements: a cell's text without a table nested
/// in it (whose words ran into the cell's: "Legal" read as "Legalnotex").
fn without(xml: &str, tag: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut at = 0;
    // The cell's own tag first: its nested elements are inside it.
    let inner = xml.find('>').map_or(0, |g| g + 1);
    for e in elements(&xml[inner..], tag) {
        let s = e.as_ptr() as usize - xml.as_ptr() as usize;
        out.push_str(&xml[at..s]);
        at = s + e.len();
    }
    out.push_str(&xml[at..]);
    out
}

/// Where `pat` next occurs at or after `from`, remembered in `cache` and
/// looked for again only once `from` has passed it: searching afresh from
/// every tag of a long part made its reading quadratic.
pub(super) fn next_from(
    text: &str,
    from: usize,
    pat: &str,
    cache: &mut Option<Option<usize>>,
) -> Option<usize> {
    if cache.is_some_and(|c| c.is_some_and(|c| c < from)) {
        *cache = None;
    }
    *cache.get_or_insert_with(|| text[from..].find(pat).map(|i| i + from))
}

/// Just past the `</tag>` closing the element opened at `s`, counting the
/// same elements nested in it (a paragraph in a text box inside a
/// paragraph, a table in a table's cell): the first `</w:p>` closed the
/// outer paragraph there, and the text after the box was never read.
fn closing(xml: &str, s: usize, open: &str, close: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = s;
    // The next opening and closing tags, found again only once passed: a
    // search from each tag for the other ran to the end of the file for
    // every level of a table nested thousands deep (a hang).
    let (mut next_o, mut next_c) = (None, None);
    loop {
        let o = next_from(xml, at, open, &mut next_o);
        let c = next_from(xml, at, close, &mut next_c)?;
        match o.filter(|&o| o < c) {
            Some(o) => {
                let next = xml.as_bytes().get(o + open.len());
                let gt = xml[o..].find('>').map_or(xml.len(), |g| g + o);
                let empty = xml.as_bytes().get(gt.wrapping_sub(1)) == Some(&b'/');
                if matches!(next, Some(b'>' | b' ' | b'/')) && !empty {
                    depth += 1;
                }
                at = o + open.len();
            }
            None => {
                depth = depth.saturating_sub(1);
                at = c + close.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// word/document.xml of a .docx, read within the limit.
pub fn document_xml(path: &Path) -> Result<String> {
    let mut parts = text_parts(path)?;
    Ok(parts.swap_remove(0).1)
}

/// Whether a part of a .docx holds text a reader sees besides the body:
/// headers, footers, footnotes and endnotes.
fn side_part(name: &str) -> bool {
    let Some(file) = name
        .strip_prefix("word/")
        .and_then(|n| n.strip_suffix(".xml"))
    else {
        return false;
    };
    let numbered = |kind: &str| {
        file.strip_prefix(kind)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    numbered("header") || numbered("footer") || file == "footnotes" || file == "endnotes"
}

/// How a person names a part: "header 1", "footnotes".
pub fn part_label(name: &str) -> String {
    let file = name.trim_start_matches("word/").trim_end_matches(".xml");
    let digits = file.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    match digits.is_empty() {
        true => file.to_string(),
        false => format!("{} {digits}", &file[..file.len() - digits.len()]),
    }
}

/// The text parts of a .docx, each read within the limit and checked well
/// formed: word/document.xml first, then its headers, footers, footnotes
/// and endnotes by name (a figure or placeholder there was never seen).
pub fn text_parts(path: &Path) -> Result<Vec<(String, String)>> {
    let bad = |m: String| Error::Table {
        place: path.display().to_string(),
        message: m,
    };
    let f = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut z =
        zip::ZipArchive::new(f).map_err(|e| bad(format!("not a Word document (.docx): {e}")))?;
    twice(path, &z).map_err(bad)?;
    let mut names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| side_part(n))
        .collect();
    names.sort();
    if z.index_for_name("word/document.xml").is_none() {
        return Err(bad(
            "not a Word document: it has no word/document.xml".into()
        ));
    }
    names.insert(0, "word/document.xml".into());
    let mut out = Vec::with_capacity(names.len());
    let mut read = 0u64;
    for name in names {
        let entry = z
            .by_name(&name)
            .map_err(|e| bad(format!("{name} cannot be read: {e}")))?;
        let mut xml = String::new();
        entry
            .take(MAX_XML + 1 - read)
            .read_to_string(&mut xml)
            .map_err(|e| bad(format!("{name} cannot be read: {e}")))?;
        read += xml.len() as u64;
        if read > MAX_XML {
            return Err(bad(format!(
                "{name}: its text parts are over 64 MB: not a draft report"
            )));
        }
        well_formed(&xml).map_err(|m| bad(format!("{name} {m}")))?;
        out.push((name, xml));
    }
    Ok(out)
}

/// A part held twice in one .docx: which copy Word would show cannot be
/// known, so the draft is refused (the check read one copy, the fill
/// wrote both). The zip reader keeps one entry a name, so the entries the
/// file's own directory counts are compared with those it kept.
pub fn twice<R: std::io::Read + std::io::Seek>(
    path: &Path,
    z: &zip::ZipArchive<R>,
) -> std::result::Result<(), String> {
    let Ok(bytes) = tail(path) else {
        return Ok(());
    };
    // The end of central directory record: "PK\x05\x06", its entries at 10.
    let Some(at) = bytes.windows(4).rposition(|w| w == b"PK\x05\x06") else {
        return Ok(());
    };
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    // The record and its comment fit in what is left of the file (bytes
    // added after it do not hide it); else those bytes were part of a
    // comment, not the record.
    let ends = u16_at(at + 20).is_some_and(|c| at + 22 + usize::from(c) <= bytes.len());
    let count = u16_at(at + 10).filter(|_| ends);
    match count {
        // 0xFFFF: counted in the Zip64 record instead; not a draft's size.
        Some(n) if n != u16::MAX && usize::from(n) > z.len() => Err(format!(
            "holds {} entries under {} names: a part twice, a damaged or altered file; \
             open it in Word and save it again",
            n,
            z.len()
        )),
        _ => Ok(()),
    }
}

/// The last 64 KB and 22 bytes of a file: where a zip's directory ends.
fn tail(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Seek;
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    f.seek(std::io::SeekFrom::Start(len.saturating_sub(65_557)))?;
    let mut out = Vec::new();
    f.read_to_end(&mut out)?;
    Ok(out)
}

/// Whether `xml` is well formed (every element closed, by its own name,
/// no DOCTYPE: Word writes none), or where it is not, by line and column:
/// a damaged draft was read as one with no paragraphs.
fn well_formed(xml: &str) -> std::result::Result<(), String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    let at = |pos: u64| {
        let before = &xml.as_bytes()[..(pos as usize).min(xml.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("line {line}, column {col}")
    };
    let mut open = Vec::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => open.push(e.name().as_ref().to_string()),
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::DocType(_)) => {
                return Err(format!(
                    "holds a DOCTYPE ({}), which Word never writes",
                    at(r.buffer_position())
                ));
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(format!(
                    "is not well-formed XML: {e} at {}",
                    at(r.error_position())
                ));
            }
            Ok(_) => {}
        }
    }
    match open.last() {
        None => Ok(()),
        Some(name) => Err(format!(
            "is not well-formed XML: <{name}> is not closed by the end of the file"
        )),
    }
}

/// A Word draft: its body's paragraphs and tables, in order, then its
/// headers', footers', footnotes' and endnotes' ("header 1, paragraph 1").
pub fn docx(path: &Path) -> Result<Vec<Block>> {
    let mut out = Vec::new();
    for (name, xml) in text_parts(path)? {
        let prefix = match name == "word/document.xml" {
            true => String::new(),
            false => format!("{}, ", part_label(&name)),
        };
        part_blocks(&xml, &prefix, &mut out);
    }
    Ok(out)
}

/// One part's paragraphs and tables, each place led by `prefix`.
fn part_blocks(xml: &str, prefix: &str, out: &mut Vec<Block>) {
    let body = xml.find("<w:body").map(|s| &xml[s..]).unwrap_or(xml);
    let (mut paras, mut tables, mut boxes) = (0, 0, 0);
    let mut title = String::new();
    let mut at = 0;
    // The next table's place, found again only once passed: each search
    // ran to the end of the file, for every paragraph.
    let mut next_table = None;
    loop {
        let p = body[at..].find("<w:p").map(|x| x + at);
        let t = next_from(body, at, "<w:tbl>", &mut next_table);
        match (p, t) {
            (Some(t0), Some(tb)) if tb < t0 => {
                let Some(tbl) = first_element(&body[tb..], "w:tbl") else {
                    break;
                };
                table_blocks(tbl, prefix, (&mut tables, &mut title), out);
                at = tb + tbl.len();
            }
            (Some(p0), _) => {
                let Some(para) = first_element(&body[p0..], "w:p") else {
                    at = p0 + 4;
                    continue;
                };
                at = p0 + para.len();
                let (text, boxed) = para_and_boxes(para);
                if !text.is_empty() {
                    paras += 1;
                    title = text.clone();
                    out.push(Block::Para {
                        place: format!("{prefix}paragraph {paras}"),
                        text,
                    });
                }
                for box_paras in boxed {
                    boxes += 1;
                    let texts = box_paras.into_iter().filter(|t| !t.is_empty());
                    out.extend(texts.enumerate().map(|(k, text)| Block::Para {
                        place: format!("{prefix}text box {boxes}, paragraph {}", k + 1),
                        text,
                    }));
                }
            }
            (None, Some(_)) | (None, None) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The first element, found without reading the rest, is the one
        /// reading them all finds first, for well- and ill-formed runs of
        /// paragraphs (unclosed, empty, lookalike tags).
        #[test]
        fn first_element_is_the_first_of_all(parts in proptest::collection::vec(0u8..6, 0..12)) {
            let xml: String = parts
                .iter()
                .map(|p| match p {
                    0 => "<w:p><w:r><w:t>a</w:t></w:r></w:p>",
                    1 => "<w:p/>",
                    2 => "<w:pPr>x</w:pPr>",
                    3 => "<w:p w:rsidR=\"1\">b</w:p>",
                    4 => "<w:p>unclosed",
                    _ => "text",
                })
                .collect();
            prop_assert_eq!(super::first_element(&xml, "w:p"), super::elements(&xml, "w:p").first().copied());
        }

        /// A name the report writes in a Markdown table cell is read back
        /// as written, whatever marks it holds (`x\|y` was written `x\\|y`,
        /// whose `|` ended the cell), and stays one cell beside another.
        #[test]
        fn markdown_cells_read_back_as_written(
            a in "[ a-z|\\\\*_`<>\\[\\]()!#&;-]{0,12}",
            b in "[a-z|\\\\*_]{0,6}",
        ) {
            let md = crate::output::render::md_escape;
            let line = format!("| {} | {} |", md(&a), md(&b));
            prop_assert_eq!(super::cells(&line), vec![a.trim().to_string(), b.clone()]);
        }
    }

    /// What a Markdown reader would take for markup is escaped; a word's
    /// own underscore and brackets with no link are left alone.
    #[test]
    fn markdown_marks_are_escaped() {
        let md = crate::output::render::md_escape;
        assert_eq!(md("x\\|y"), "x\\\\\\|y");
        assert_eq!(md("**bold** <b>"), "\\*\\*bold\\*\\* \\<b>");
        assert_eq!(md("cost_centre _x_"), "cost_centre \\_x\\_");
        assert_eq!(md("published[4].value"), "published[4].value");
        assert_eq!(md("[link](http://x)"), "\\[link](http://x)");
        // A character reference would show as the character it names; an
        // ampersand in words is left alone.
        assert_eq!(
            md("A &lt;B&gt; &#124; &#x7C;"),
            "A \\&lt;B\\&gt; \\&#124; \\&#x7C;"
        );
        assert_eq!(
            md("Wells & Co; R&D costs; &#; &x y;"),
            "Wells & Co; R&D costs; &#; &x y;"
        );
        // Read back as Markdown shows it: an escaped reference as written,
        // one not escaped as its character.
        let un = super::unescape;
        assert_eq!(un(&md("Rev [1] \\ &lt;")), "Rev [1] \\ &lt;");
        assert_eq!(
            un("R&amp;D &lt;x&gt; &#124; &#x41; &bogus; & \\&amp;"),
            "R&D <x> | A &bogus; & &amp;"
        );
        assert_eq!(un("&#0; &#xFFFFFFFF; &#"), "&#0; &#xFFFFFFFF; &#");
        assert_eq!(
            un("Caf&eacute; &pound;5 &ndash; &AMP; &copy;"),
            "Café £5 – & ©"
        );
    }

    /// A line break or tab between a run's texts parts them: "£493,020"
    /// and "1" were read as "£493,0201", one figure. The parts of a .docx
    /// read besides its body, and how they are named.
    #[test]
    fn breaks_part_texts_and_side_parts_are_named() {
        let xml = "<w:r><w:t>£493,020</w:t><w:br/><w:t>1</w:t><w:tab/><w:t>2</w:t></w:r>";
        assert_eq!(super::runs_text(xml), "£493,020\n1\t2");
        assert!(super::side_part("word/header1.xml") && super::side_part("word/footnotes.xml"));
        assert!(!super::side_part("word/headerx.xml") && !super::side_part("word/styles.xml"));
        assert_eq!(super::part_label("word/footer12.xml"), "footer 12");
        assert_eq!(super::part_label("word/endnotes.xml"), "endnotes");
    }

    /// A paragraph holding a text box (a paragraph inside it) is read
    /// whole: its text after the box was lost. The box's paragraphs are
    /// read apart from it, once (not again from Word's fallback copy). A
    /// cell holding a table is read without the nested table's words.
    #[test]
    fn nested_paragraphs_and_tables() {
        let para = "<w:p><w:r><w:t>Before</w:t></w:r><mc:AlternateContent><mc:Choice>\
                    <w:txbxContent><w:p><w:r><w:t> box</w:t></w:r></w:p></w:txbxContent>\
                    </mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t> box</w:t></w:r>\
                    </w:p></w:txbxContent></mc:Fallback></mc:AlternateContent>\
                    <w:r><w:t> after £8.97m</w:t></w:r></w:p><w:p><w:r><w:t>Next</w:t></w:r></w:p>";
        let ps = super::elements(para, "w:p");
        assert_eq!(ps.len(), 2);
        assert_eq!(super::runs_text(ps[0]), "Before box after £8.97m");
        let (own, boxes) = super::para_and_boxes(ps[0]);
        assert_eq!(
            (own.as_str(), boxes),
            ("Before after £8.97m", vec![vec!["box".to_string()]])
        );
        let cell = "<w:tc><w:p><w:r><w:t>Legal</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r>\
                    <w:t>note</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>";
        assert_eq!(super::runs_text(&super::without(cell, "w:tbl")), "Legal");
    }

    /// Merged cells as they print: "Legal" across two columns stands in
    /// both, and a service merged down three rows is in each (the figures
    /// after a merged cell were read a column to the left, and checked
    /// against the wrong column or not at all).
    #[test]
    fn merged_cells_are_laid_out_as_printed() {
        let tc = |props: &str, text: &str| {
            format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
        };
        let tr = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
        let tbl = format!(
            "<w:tbl>{}{}{}</w:tbl>",
            tr(&[tc("<w:gridSpan w:val=\"2\"/>", "Legal"), tc("", "£493,020")]),
            tr(&[
                tc("<w:vMerge w:val=\"restart\"/>", "Audit"),
                tc("", "Audit"),
                tc("", "1")
            ]),
            tr(&[tc("<w:vMerge/>", ""), tc("", "Income"), tc("", "2")]),
        );
        assert_eq!(
            super::table_rows(&tbl),
            [
                vec!["Legal", "Legal", "£493,020"],
                vec!["Audit", "Audit", "1"],
                vec!["Audit", "Income", "2"],
            ]
        );
    }

    /// Where a damaged draft is damaged, as an editor numbers it.
    #[test]
    fn ill_formed_xml_is_placed() {
        assert_eq!(super::well_formed("<a>\n<b></a>"), Err("is not well-formed XML: ill-formed document: expected `</b>`, but `</a>` was found at line 2, column 4".into()));
        assert!(super::well_formed("<a><b/></a>").is_ok());
    }
}
