//! `{{table:row:column}}` placeholders (`{{pack/table:row:column}}` when
//! several reports have a table of that name) filled from the recomputed
//! tables, in Markdown or a Word document.

use crate::base::error::{Error, Result};
use crate::output::pack::Pack;
use std::io::Write;
use std::path::Path;

/// The placeholders' contents, in order.
pub fn specs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(s) = rest.find("{{") {
        let Some(e) = rest[s..].find("}}") else { break };
        out.push(rest[s + 2..s + e].trim().to_string());
        rest = &rest[s + e + 2..];
    }
    out
}

/// Where a `{{` that no `}}` closes begins, if one does.
pub fn unclosed(text: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(s) = text[at..].find("{{").map(|s| s + at) {
        match text[s..].find("}}") {
            Some(e) => at = s + e + 2,
            None => return Some(s),
        }
    }
    None
}

/// Why no table is found: no report of the name given, or no table of the
/// name in it (or in any), with the names there are to choose from.
fn no_table(packs: &[Pack], pack: Option<&str>, table: &str) -> String {
    let list = |names: Vec<&str>| {
        let mut names: Vec<&str> = names;
        names.sort_unstable();
        names.dedup();
        let more = names.len().saturating_sub(12);
        let shown: Vec<String> = names.iter().take(12).map(|n| format!("{n:?}")).collect();
        match more {
            0 => shown.join(", "),
            _ => format!("{} and {more} more", shown.join(", ")),
        }
    };
    let tables = |ps: &[&Pack]| {
        list(
            ps.iter()
                .flat_map(|p| p.tables.iter().map(|t| t.name.as_str()))
                .collect(),
        )
    };
    match pack {
        Some(p) => match packs.iter().find(|k| k.name == p) {
            None => format!(
                "no report {p:?}: the reports are {}",
                list(packs.iter().map(|k| k.name.as_str()).collect())
            ),
            Some(k) => format!("no table {table:?} in {p}: its tables are {}", tables(&[k])),
        },
        None => format!(
            "no table {table:?}: the tables are {}",
            tables(&packs.iter().collect::<Vec<_>>())
        ),
    }
}

/// The display of the cell a placeholder names; why not, otherwise.
pub fn lookup(packs: &[Pack], spec: &str) -> std::result::Result<String, String> {
    let parts: Vec<&str> = spec.splitn(2, ':').map(str::trim).collect();
    let (&[table, rest], true) = (&parts[..], spec.matches(':').count() >= 2) else {
        return Err(
            "expected {{table:row:column}}, e.g. {{savings-programme:Total:Cumulative 2030/31}}"
                .into(),
        );
    };
    let (pack, table) = match table.split_once('/') {
        Some((p, t)) => (Some(p), t),
        None => (None, table),
    };
    let found: Vec<(&Pack, &crate::base::table::Table)> = packs
        .iter()
        .filter(|p| pack.is_none_or(|n| p.name == n))
        .flat_map(|p| {
            p.tables
                .iter()
                .filter(|t| t.name == table)
                .map(move |t| (p, t))
        })
        .collect();
    let (_, t) = match found.as_slice() {
        [] => return Err(no_table(packs, pack, table)),
        [one] => *one,
        many => {
            let names: Vec<&str> = many.iter().map(|(p, _)| p.name.as_str()).collect();
            return Err(format!(
                "{table:?} is in several reports ({}): write {{{{REPORT/{table}:…}}}}",
                names.join(", ")
            ));
        }
    };
    // A row or column may hold a colon ("Audit: Internal"): each split of
    // the rest at a colon is tried, and the one naming a cell is it.
    let splits: Vec<(&str, &str)> = rest
        .match_indices(':')
        .map(|(i, _)| (rest[..i].trim(), rest[i + 1..].trim()))
        .collect();
    let cells: Vec<_> = splits
        .iter()
        .filter_map(|&(row, column)| t.find(row, column).map(|c| (row, column, c)))
        .collect();
    match cells.as_slice() {
        [(row, column, c)] => {
            let shown = crate::output::render::display(&c.value, Default::default());
            // A blank cell filled the placeholder with nothing, unsaid.
            match shown.trim().is_empty() {
                true => Err(format!(
                    "{}'s cell at row {row:?}, column {column:?} is blank: nothing to fill it with",
                    t.name
                )),
                false => Ok(shown),
            }
        }
        [] => {
            let (row, column) = splits[0];
            // A row named by its last part ("Subtotal") is in several
            // groups: each full name is given to choose from.
            let near: Vec<String> = t
                .rows
                .iter()
                .map(|r| t.row_key(r))
                .filter(|k| {
                    k.rsplit(" / ")
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(row))
                })
                .map(|k| format!("{k:?}"))
                .collect();
            let hint = match near.is_empty() {
                true => String::new(),
                false => format!("; rows so named: {}", near.join(", ")),
            };
            Err(format!(
                "{} has no cell at row \"{row}\", column \"{column}\"{hint}",
                t.name
            ))
        }
        many => Err(format!(
            "names more than one cell of {} (row {:?}, column {:?}, or row {:?}, column {:?})",
            t.name, many[0].0, many[0].1, many[1].0, many[1].1
        )),
    }
}

/// `s` without its `<…>` tags.
fn untagged(s: &str) -> String {
    let mut out = String::new();
    for (k, part) in s.split('<').enumerate() {
        out.push_str(if k == 0 {
            part
        } else {
            part.split_once('>').map_or("", |p| p.1)
        });
    }
    out
}

/// A `<w:t>` text of word/document.xml: where its text lies, the text
/// (entities decoded) and the paragraph it is in.
struct Text {
    body: std::ops::Range<usize>,
    text: String,
    para: usize,
}

/// Every `<w:t>` text, numbered by paragraph (a `<w:p` or `</w:p>` between
/// two texts starts another: text boxes nest paragraphs in paragraphs).
fn texts(xml: &str) -> Vec<Text> {
    let (mut out, mut para, mut at) = (Vec::new(), 0, 0);
    while let Some(s) = xml[at..].find("<w:t").map(|s| s + at) {
        let after = &xml[s + 4..];
        // <w:t> or <w:t xml:space="preserve">, not <w:tbl>, <w:tc>, <w:tr>.
        let (Some(gt), true) = (after.find('>'), after.starts_with(['>', ' '])) else {
            at = s + 4;
            continue;
        };
        let start = s + 4 + gt + 1;
        let Some(len) = xml[start..].find("</w:t>") else {
            break;
        };
        let gap = &xml[at..s];
        para += gap.matches("</w:p>").count() + gap.matches("<w:p>").count();
        para += gap.matches("<w:p ").count();
        let text = crate::base::text::xml_unescape(&xml[start..start + len]);
        out.push(Text {
            body: start..start + len,
            text,
            para,
        });
        at = start + len;
    }
    out
}

/// word/document.xml with each placeholder Word split across runs moved
/// whole into the run it starts in (the runs after it keep their
/// formatting and the rest of their text); the rest as it was. And the
/// text from each `{{` that nothing closes.
fn gathered(xml: &str) -> (String, Vec<String>) {
    let mut ts = texts(xml);
    let mut changed = vec![false; ts.len()];
    let (mut first, mut open) = (0, Vec::new());
    while first < ts.len() {
        let end = (first..ts.len())
            .find(|&k| ts[k].para != ts[first].para)
            .unwrap_or(ts.len());
        open.extend(gather_para(&mut ts[first..end], &mut changed[first..end]));
        first = end;
    }
    let mut out = String::with_capacity(xml.len());
    let mut at = 0;
    for (t, _) in ts.iter().zip(&changed).filter(|(_, c)| **c) {
        // Keep the spaces a figure brings: Word drops a run's edge spaces
        // without xml:space="preserve".
        let tag = xml[..t.body.start].rfind("<w:t").unwrap_or(t.body.start);
        out.push_str(&xml[at..tag]);
        out.push_str("<w:t xml:space=\"preserve\">");
        let escaped = t
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&escaped);
        at = t.body.end;
    }
    out.push_str(&xml[at..]);
    (out, open)
}

/// One paragraph's texts: each placeholder spanning several moved into the
/// first, `changed` marking the texts rewritten; the text from a `{{`
/// nothing closes. Every byte of the paragraph's text goes to the text it
/// was in, or, inside a placeholder, to the text the placeholder starts
/// in; each text is then its bytes in order (two placeholders sharing a
/// run, the second starting where the first ends, both move whole).
fn gather_para(ts: &mut [Text], changed: &mut [bool]) -> Option<String> {
    // Where each text starts in the paragraph's text, joined.
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(ts.len());
    for t in ts.iter() {
        starts.push(joined.len());
        joined.push_str(&t.text);
    }
    let at = |i: usize| starts.partition_point(|&s| s <= i) - 1;
    let mut owner: Vec<usize> = (0..ts.len())
        .flat_map(|k| std::iter::repeat_n(k, ts[k].text.len()))
        .collect();
    let (mut from, mut open) = (0, None);
    while let Some(s) = joined[from..].find("{{").map(|s| s + from) {
        let Some(e) = joined[s..].find("}}").map(|e| e + s + 2) else {
            open = Some(joined[s..].to_string());
            break;
        };
        owner[s..e].fill(at(s));
        from = e;
    }
    let mut texts = vec![String::new(); ts.len()];
    let mut i = 0;
    while i < joined.len() {
        let k = owner[i];
        let j = (i..joined.len())
            .find(|&j| owner[j] != k)
            .unwrap_or(joined.len());
        texts[k].push_str(&joined[i..j]);
        i = j;
    }
    for ((t, c), new) in ts.iter_mut().zip(changed.iter_mut()).zip(texts) {
        if t.text != new {
            t.text = new;
            *c = true;
        }
    }
    open
}

/// How a placeholder opened at the start of `open` and never closed is
/// said: its first line, as a person reads it (without a Word document's
/// XML).
fn never_closed(open: &str) -> String {
    // Enough of it for a line of sixty characters, tags and all.
    let mut cut = open.len().min(8192);
    while !open.is_char_boundary(cut) {
        cut -= 1;
    }
    let open = untagged(&open[..cut]);
    let open: String = open
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    format!("{open}…: opened with {{{{ and never closed with }}}}")
}

/// The text with every placeholder replaced; an error lists those that
/// name no cell (nothing is half filled).
pub fn fill_text(text: &str, packs: &[Pack], escape: bool) -> Result<String> {
    let mut out = String::new();
    let mut bad = Vec::new();
    // The next `}}` and line end, found again only once passed: a search
    // from each `{{` ran to the far `}}` of a draft of many lines, each
    // opening one (quadratic).
    let (mut at, mut close, mut line_end) = (0, None, None);
    while let Some(s) = text[at..].find("{{").map(|s| s + at) {
        let Some(e) = super::blocks::next_from(text, s, "}}", &mut close) else {
            break;
        };
        // In Markdown a placeholder is on one line: one left open was
        // closed by the next line's, and the two read as one (check-draft,
        // reading line by line, found it never closed).
        if !escape && super::blocks::next_from(text, s, "\n", &mut line_end).is_some_and(|n| n < e)
        {
            bad.push(never_closed(&text[s..]));
            out.push_str(&text[at..s + 2]);
            at = s + 2;
            continue;
        }
        out.push_str(&text[at..s]);
        // Word's text is XML; Markdown's is escaped as the report writes it
        // (`A\|B` in a table cell is the row A|B), and so is what is filled.
        let spec = match escape {
            true => crate::base::text::xml_unescape(text[s + 2..e].trim()),
            false => super::blocks::unescape(text[s + 2..e].trim()),
        };
        match lookup(packs, &spec) {
            Ok(v) if escape => out.push_str(&v.replace('&', "&amp;").replace('<', "&lt;")),
            Ok(v) => out.push_str(&crate::output::render::md_escape(&v)),
            Err(why) => bad.push(format!("{{{{{spec}}}}}: {why}")),
        }
        at = e + 2;
    }
    let rest = &text[at..];
    out.push_str(rest);
    if let Some(s) = unclosed(rest) {
        bad.push(never_closed(&rest[s..]));
    }
    if !bad.is_empty() {
        return Err(Error::usage(format!(
            "{} placeholder{} cannot be filled: {}",
            bad.len(),
            if bad.len() == 1 { "" } else { "s" },
            bad.join("; ")
        )));
    }
    Ok(out)
}

/// A Word document with its placeholders filled, written to `out` whole or
/// not at all. Word splits text into runs wherever formatting, spelling
/// marks or editing history change, often inside a placeholder: each one is
/// first gathered into the run it starts in.
pub fn fill_docx(draft: &Path, out: &Path, packs: &[Pack]) -> Result<()> {
    let mut filled = std::collections::HashMap::new();
    for (name, xml) in super::blocks::text_parts(draft)? {
        let at = |m: String| match name.as_str() {
            "word/document.xml" => format!("{}: {m}", draft.display()),
            _ => format!(
                "{}, {}: {m}",
                draft.display(),
                super::blocks::part_label(&name)
            ),
        };
        // Deleted text would be filled as if it were there, and a
        // deletion inside a placeholder breaks it (insertions are text).
        if xml.contains("<w:del ") || xml.contains("<w:moveFrom ") {
            return Err(Error::usage(at(
                "has tracked changes: accept or reject them (Review, Accept) and save, then fill"
                    .into(),
            )));
        }
        let (xml, open) = gathered(&xml);
        if let Some(o) = open.first() {
            let o: String = o.chars().take(60).collect();
            return Err(Error::usage(at(format!(
                "{o}…: opened with {{{{ and never closed with }}}}"
            ))));
        }
        let text = fill_text(&xml, packs, true).map_err(|e| match e {
            Error::Usage(m) if name != "word/document.xml" => Error::usage(at(m)),
            other => other,
        })?;
        filled.insert(name, text);
    }
    write_parts(draft, out, &filled)
}

/// The draft with `filled` parts in place of its own, written to `out`
/// whole or not at all.
fn write_parts(
    draft: &Path,
    out: &Path,
    filled: &std::collections::HashMap<String, String>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: draft.display().to_string(),
        source,
    };
    let f = std::fs::File::open(draft).map_err(io)?;
    let mut z = zip::ZipArchive::new(f).map_err(|e| Error::Table {
        place: draft.display().to_string(),
        message: format!("not a Word document: {e}"),
    })?;
    super::blocks::twice(draft, &z).map_err(|message| Error::Table {
        place: draft.display().to_string(),
        message,
    })?;
    let zerr = |e: zip::result::ZipError| Error::Table {
        place: out.display().to_string(),
        message: format!("cannot write the document: {e}"),
    };
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let entry = z.by_index_raw(i).map_err(zerr)?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        match filled.get(&name) {
            Some(text) => {
                drop(entry);
                let opts = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                zw.start_file(name, opts).map_err(zerr)?;
                zw.write_all(text.as_bytes()).map_err(io)?;
            }
            None => zw.raw_copy_file(entry).map_err(zerr)?,
        }
    }
    let bytes = zw.finish().map_err(zerr)?.into_inner();
    crate::base::atomic::write_with(out, |w| w.write_all(&bytes))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::table::{Cell, Table, Value};

    fn pack() -> Pack {
        let mut t = Table::new("budget", "Budget", &["Service", "Net: MBC", "SBC"], 1);
        let n = |v: i64| Cell::rule(Value::num(v.into(), 0), "x");
        t.push(vec![Cell::label("Audit: Internal"), n(1), n(2)]);
        t.push(vec![Cell::label("Audit"), n(3), n(4)]);
        Pack {
            name: "p".into(),
            title: String::new(),
            intro: String::new(),
            tables: vec![t],
            appendix: String::new(),
            warnings: Vec::new(),
            year: None,
            source: None,
            checked: None,
        }
    }

    /// A row or column holding a colon is found by the split that names a
    /// cell ("Audit: Internal" read as row "Audit", column "Internal:SBC"
    /// before); two splits naming cells are said, not guessed between.
    #[test]
    fn labels_with_colons() {
        let p = [pack()];
        assert_eq!(lookup(&p, "budget:Audit: Internal:SBC"), Ok("2".into()));
        assert_eq!(lookup(&p, "budget:Audit:SBC"), Ok("4".into()));
        assert_eq!(
            lookup(&p, "budget:Audit: Internal:Net: MBC"),
            Ok("1".into())
        );
        assert!(lookup(&p, "budget:Audit").is_err());
    }

    /// A paragraph of Word runs, one per piece.
    fn para(pieces: &[&str]) -> String {
        let runs: String = pieces
            .iter()
            .map(|p| format!("<w:r><w:t>{p}</w:t></w:r>"))
            .collect();
        format!("<w:p>{runs}</w:p>")
    }

    /// Two placeholders split across runs, the second starting in the run
    /// the first ends in (a word of each bolded): each moves whole into the
    /// run it starts in. This panicked (a slice past the end of the run the
    /// first placeholder had already shortened).
    #[test]
    fn two_split_placeholders_sharing_a_run() {
        let xml = para(&["a {{x:", "y:z}} mid é {{p", ":q:r}}."]);
        let (out, open) = gathered(&xml);
        assert!(open.is_empty());
        let got: Vec<String> = texts(&out).into_iter().map(|t| t.text).collect();
        assert_eq!(got, ["a {{x:y:z}}", " mid é {{p:q:r}}", "."]);
    }

    proptest::proptest! {
        /// However Word cuts a paragraph into runs, gathering keeps its
        /// text and puts every placeholder whole into one run.
        #[test]
        fn any_cut_keeps_the_text_and_each_placeholder_whole(
            parts in proptest::collection::vec(("[a é€&]{0,3}", "[a-c:]{1,4}"), 1..4),
            cuts in proptest::collection::vec(0usize..60, 0..6),
        ) {
            let text: String = parts.iter().map(|(t, p)| format!("{t}{{{{{p}}}}}")).collect();
            let mut at: Vec<usize> = cuts
                .into_iter()
                .map(|c| c % (text.len() + 1))
                .filter(|&c| text.is_char_boundary(c))
                .collect();
            at.extend([0, text.len()]);
            at.sort_unstable();
            at.dedup();
            let pieces: Vec<String> = at
                .windows(2)
                .map(|w| text[w[0]..w[1]].replace('&', "&amp;"))
                .collect();
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let (out, open) = gathered(&para(&refs));
            proptest::prop_assert!(open.is_empty());
            let got: Vec<String> = texts(&out).into_iter().map(|t| t.text).collect();
            proptest::prop_assert_eq!(got.concat(), text.clone());
            let whole = got.iter().map(|t| t.matches("{{").count()).sum::<usize>();
            proptest::prop_assert_eq!(whole, parts.len());
            for t in &got {
                proptest::prop_assert_eq!(t.matches("{{").count(), t.matches("}}").count());
            }
        }
    }
}
