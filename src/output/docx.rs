//! Word documents of a report pack, written as Office Open XML by hand (a
//! few small parts in a zip): heading styles; each table with its caption,
//! columns as wide as their figures (split into several tables, the row
//! labels repeated, when they will not fit a portrait page), figures
//! right-aligned and never wrapped, bold totals, the header row repeated on
//! every page; the charts at text width; the commentary; a source line.

use crate::base::error::{Error, Result};
use crate::base::money::Negatives;
use crate::base::table::{Table, Value};
use crate::output::render;
use std::io::Write;
use std::path::Path;

/// A4 portrait, 2 cm margins: the text width in twentieths of a point.
const TEXT_WIDTH: u32 = 11906 - 2 * 1134;
/// Twips a character of 9 pt table text takes.
const CHAR: u32 = 100;

/// Twips a cell takes beyond its text: its margins (57 each side, 40 in a
/// table of 8 point text) and borders, with a little to spare.
fn pad(size: u32) -> u32 {
    if size < 18 { 110 } else { 150 }
}
/// Charts at text width (EMU): 1400 × 800 pixels drawn 17 cm wide.
const IMG_W: u64 = 6_120_000;

/// A chart's height at text width, from its PNG's own size (a chart with a
/// long legend under it is taller).
fn image_height(png: &[u8]) -> u64 {
    let dim = |at: usize| {
        png.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64)
            .filter(|d| *d > 0)
    };
    match (dim(16), dim(20)) {
        (Some(w), Some(h)) => IMG_W * h / w,
        _ => IMG_W * 800 / 1400,
    }
}

fn esc(s: &str) -> String {
    crate::base::text::xml_safe(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn run(text: &str, bold: bool, size: Option<u32>) -> String {
    let mut rpr = String::new();
    if bold {
        rpr.push_str("<w:b/>");
    }
    if let Some(s) = size {
        rpr.push_str(&format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>"));
    }
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    format!(
        "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(text)
    )
}

fn para(text: &str, style: Option<&str>) -> String {
    let ppr = style
        .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
        .unwrap_or_default();
    // Markdown's code quotes mean nothing in a printed report.
    format!(
        "<w:p>{ppr}{}</w:p>",
        run(&text.replace('`', ""), false, None)
    )
}

fn is_figure(v: &Value) -> bool {
    !matches!(v, Value::Text { .. } | Value::Empty)
}

/// Each column's width: its widest figure, or its header's longest word
/// (headers may wrap between words), at least 6 characters, in text of
/// `size` half-points.
fn widths(t: &Table, neg: Negatives, label_cap: usize, size: u32) -> Vec<u32> {
    let char_w = CHAR * size / 18;
    (0..t.columns.len())
        .map(|c| {
            // Header words are bold: letters about as wide as digits, and
            // one for luck.
            let head = t.columns[c]
                .split_whitespace()
                .map(|w| w.chars().count() + 1)
                .max()
                .unwrap_or(0);
            let body = t
                .rows
                .iter()
                .filter_map(|r| r.cells.get(c))
                .map(|cell| {
                    let text = render::display(&cell.value, neg);
                    let n = text.chars().count();
                    // Labels and words among the figures ("BREACH by
                    // £97,430", "no effect on costs") wrap between words,
                    // down to `label_cap` but never inside a word (of up
                    // to 20 letters); figures never wrap.
                    if is_figure(&cell.value) && !text.contains(' ') && c >= t.key_cols {
                        return figure_chars(&text);
                    }
                    // A line may also break after a dash (2030/31–2034/35).
                    // (Two more for wide letters: "management".)
                    let word = text.split([' ', '–']).map(|w| w.chars().count() + 2).max();
                    n.min(label_cap.max(word.unwrap_or(0).min(20)))
                })
                .max()
                .unwrap_or(0);
            head.max(body).max(6) as u32 * char_w + pad(size)
        })
        .collect()
}

/// A figure's width in digits: in Arial a comma, point or bracket is about
/// half a digit wide, a per cent sign one and a half.
fn figure_chars(text: &str) -> usize {
    let halves: usize = text
        .chars()
        .map(|c| match c {
            ',' | '.' | '(' | ')' => 1,
            '%' => 3,
            _ => 2,
        })
        .sum();
    halves.div_ceil(2)
}

/// Column widths and text size (half-points): row labels and words among
/// figures wrap (to 24, 14, then 10 characters), then the text goes from
/// 9 to 8 point, to fit the figures on the page before a table is split; a
/// table that fits gets the room left back.
fn fitted_widths(t: &Table, neg: Negatives) -> (Vec<u32>, u32) {
    for (cap, size) in [(24, 18), (14, 18), (10, 18), (14, 16), (10, 16)] {
        let w = widths(t, neg, cap, size);
        if w.iter().sum::<u32>() <= TEXT_WIDTH {
            let all: Vec<usize> = (0..w.len()).collect();
            return (widen(t, neg, w, &all, size), size);
        }
    }
    // Split in parts: labels of 14 characters leave the parts readable.
    (widths(t, neg, 14, 18), 18)
}

/// A table (or the part of it in columns `cols`) narrower than the page
/// given the room it has left: wrapped labels and headers grow, in turn
/// from the left, towards one line each.
fn widen(t: &Table, neg: Negatives, mut w: Vec<u32>, cols: &[usize], size: u32) -> Vec<u32> {
    let mut spare = TEXT_WIDTH.saturating_sub(cols.iter().map(|&c| w[c]).sum());
    for &c in cols {
        let wc = &mut w[c];
        let head = t.columns[c].chars().count() * 9 / 8 + 1;
        let body = t
            .rows
            .iter()
            .filter_map(|r| r.cells.get(c))
            .map(|cell| render::display(&cell.value, neg).chars().count())
            .max()
            .unwrap_or(0);
        let natural = head.max(body).max(6) as u32 * (CHAR * size / 18) + pad(size);
        let more = natural.saturating_sub(*wc).min(spare);
        *wc += more;
        spare -= more;
    }
    w
}

/// The columns of each part of a table too wide for the page: the row
/// labels, then as many other columns as fit.
fn parts(w: &[u32], key_cols: usize, shown: &[usize]) -> Vec<Vec<usize>> {
    // As many parts as the page needs, but as even as they can be: no
    // last part of one lonely column.
    let n = parts_within(w, key_cols, shown, TEXT_WIDTH).len();
    let key_w: u32 = (0..key_cols.min(w.len())).map(|k| w[k]).sum();
    let rest: u32 = shown
        .iter()
        .filter(|&&c| c >= key_cols)
        .map(|&c| w[c])
        .sum();
    let mut limit = key_w + rest / n.max(1) as u32;
    while limit < TEXT_WIDTH {
        let p = parts_within(w, key_cols, shown, limit);
        if p.len() <= n {
            return p;
        }
        limit += CHAR;
    }
    parts_within(w, key_cols, shown, TEXT_WIDTH)
}

/// The parts when each may be `limit` wide.
fn parts_within(w: &[u32], key_cols: usize, shown: &[usize], limit: u32) -> Vec<Vec<usize>> {
    let keys: Vec<usize> = (0..key_cols.min(w.len())).collect();
    let key_w: u32 = keys.iter().map(|&k| w[k]).sum();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur = keys.clone();
    let mut used = key_w;
    for &c in shown.iter().filter(|&&c| c >= key_cols) {
        let wc = w[c];
        if used + wc > limit && cur.len() > keys.len() {
            out.push(std::mem::replace(&mut cur, keys.clone()));
            used = key_w;
        }
        cur.push(c);
        used += wc;
    }
    out.push(cur);
    out
}

/// Table `t`'s columns `cols` at widths `w`, in text of `size` half-points;
/// `then_note`: a note follows, which its last row keeps with.
fn table_xml(
    t: &Table,
    cols: &[usize],
    w: &[u32],
    neg: Negatives,
    size: u32,
    then_note: bool,
) -> String {
    let total: u32 = cols.iter().map(|&c| w[c]).sum();
    // Shrunk to the page when even one column of figures will not fit.
    let scale = |x: u32| (x as u64 * TEXT_WIDTH.min(total) as u64 / total.max(1) as u64) as u32;
    let mut x = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>{}</w:tblPr><w:tblGrid>",
        scale(total),
        // Closer margins for 8 point text, as `pad` counts them.
        if size < 18 {
            "<w:tblCellMar><w:left w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"40\" w:type=\"dxa\"/></w:tblCellMar>"
        } else {
            ""
        }
    );
    for &c in cols {
        x.push_str(&format!("<w:gridCol w:w=\"{}\"/>", scale(w[c])));
    }
    x.push_str("</w:tblGrid>");
    // A table short enough to sit on the rest of most pages stays on one
    // (each row keeps with the next); a longer one flows, its header
    // repeated, so that it never leaves a page empty behind it.
    let widths: Vec<u32> = w.iter().map(|&x| scale(x)).collect();
    let keep = printed_lines(t, cols, &widths, neg, size) <= 24;
    // Rows that keep with the next: all but the last of a short table (its
    // last may part from what follows, or a chart after it would carry the
    // whole section over); in a long one the header and first two rows,
    // and the last three, so that no page holds one lonely row. The last
    // keeps with a note under the table, which then ends the block.
    let n = t.rows.len();
    let keeps =
        |i: usize| (i + 1 < n && (keep || i < 2 || i + 3 >= n)) || (i + 1 == n && then_note);
    let cell = |text: &str, width: u32, right: bool, bold: bool, keep: bool| {
        let jc = if right { "<w:jc w:val=\"right\"/>" } else { "" };
        let jc = if keep {
            format!("<w:keepNext/>{jc}")
        } else {
            jc.to_string()
        };
        let nowrap = if right && !text.contains(' ') {
            "<w:noWrap/>"
        } else {
            ""
        };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{nowrap}</w:tcPr><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/>{jc}</w:pPr>{}</w:p></w:tc>",
            run(text, bold, Some(size))
        )
    };
    x.push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for &c in cols {
        x.push_str(&cell(
            &bracketed_whole(&t.columns[c]),
            scale(w[c]),
            c >= t.key_cols,
            true,
            true,
        ));
    }
    x.push_str("</w:tr>");
    for (i, r) in t.rows.iter().enumerate() {
        // A row with nothing in this part's figure columns (the NPV, whose
        // figure is in the last column) is left to the part that has it.
        let empty = |c: &usize| {
            *c < t.key_cols
                || matches!(r.cells.get(*c).map(|c| &c.value), None | Some(Value::Empty))
        };
        if cols.iter().any(|c| *c >= t.key_cols) && cols.iter().all(empty) {
            continue;
        }
        x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for &c in cols {
            let v = r.cells.get(c).map(|c| &c.value).unwrap_or(&Value::Empty);
            x.push_str(&cell(
                &render::display(v, neg),
                scale(w[c]),
                // Words among figures sit on the right, as the figures and
                // their header do.
                c >= t.key_cols,
                r.total,
                keeps(i),
            ));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

/// A heading's words in brackets joined by no-break spaces, so "(1 in 10)"
/// wraps as a whole, never as "(1 in / 10)".
fn bracketed_whole(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .map(|ch| {
            match ch {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ' ' if depth > 0 => return '\u{a0}',
                _ => {}
            }
            ch
        })
        .collect()
}

/// A table's length in printed lines: labels wrap in their columns (of
/// `w` twips, text of `size` half-points).
fn printed_lines(t: &Table, cols: &[usize], w: &[u32], neg: Negatives, size: u32) -> usize {
    t.rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|&c| {
                    let n = r
                        .cells
                        .get(c)
                        .map_or(0, |v| render::display(&v.value, neg).chars().count());
                    let fit = (w[c] / (CHAR * size / 18)).saturating_sub(1).max(1) as usize;
                    n.div_ceil(fit).max(1)
                })
                .max()
                .unwrap_or(1)
        })
        .sum()
}

fn picture(rid: &str, n: usize, descr: &str, img_h: u64) -> String {
    format!(
        "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"240\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{IMG_W}\" cy=\"{img_h}\"/><wp:docPr id=\"{n}\" name=\"Chart {n}\" descr=\"{d}\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{IMG_W}\" cy=\"{img_h}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        d = esc(descr)
    )
}

/// What a document holds: a report pack's title, introduction and tables.
pub struct Doc<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub tables: &'a [Table],
    /// The financial year it is about: the document is dated at its end.
    pub year: Option<crate::base::year::Year>,
    /// Where the figures come from (the source line).
    pub source: Option<String>,
    /// The check of the published figures, when none differs.
    pub checked: Option<&'a str>,
}

/// A picture: its relationship id and PNG bytes.
type Image = (String, Vec<u8>);

/// The document's body and its pictures.
/// The document's last lines: the check of the published figures (when
/// no table lists differences) and where the figures come from.
fn closing(pack: &Doc) -> String {
    let mut x = String::new();
    if let Some(c) = pack.checked {
        x.push_str(&para(
            &format!("Published figures recomputed: {c}"),
            Some("Note"),
        ));
    }
    if let Some(src) = &pack.source {
        x.push_str(&para(
            &format!("Source: figures recomputed from {src}."),
            Some("Note"),
        ));
    }
    x
}

fn body(pack: &Doc, charts: Option<&Path>, neg: Negatives) -> Result<(String, Vec<Image>)> {
    let mut x = para(pack.title, Some("Title"));
    x.push_str(&para(pack.intro, None));
    let mut images = Vec::new();
    let mut n_table = 0;
    for t in pack.tables {
        x.push_str(&para(&t.title, Some("Heading1")));
        if !t.headline.is_empty() {
            // Kept with the table's caption: a heading and its headline
            // never end a page without the table.
            x.push_str(&para(&t.headline, None).replacen(
                "<w:p>",
                "<w:p><w:pPr><w:keepNext/></w:pPr>",
                1,
            ));
        }
        let (w, size) = fitted_widths(t, neg);
        // A comparison too wide for the page leaves its change columns to
        // the workbook: the figures side by side read better than a table
        // in many parts.
        let all: Vec<usize> = (0..t.columns.len()).collect();
        let mut ps = parts(&w, t.key_cols, &all);
        let changes = |c: &usize| t.columns[*c].starts_with("Change: ");
        if ps.len() > 1 && all.iter().any(changes) {
            let shown: Vec<usize> = all.iter().copied().filter(|c| !changes(c)).collect();
            ps = parts(&w, t.key_cols, &shown);
        }
        let dropped = ps.iter().flatten().count() < t.columns.len() + (ps.len() - 1) * t.key_cols;
        n_table += 1;
        for (i, cols) in ps.iter().enumerate() {
            let more = if ps.len() > 1 {
                format!(" (part {} of {})", i + 1, ps.len())
            } else {
                String::new()
            };
            x.push_str(&para(
                &format!("Table {n_table}: {}{more}", t.title),
                Some("Caption"),
            ));
            let w = if ps.len() > 1 {
                widen(t, neg, w.clone(), cols, size)
            } else {
                w.clone()
            };
            let last = i + 1 == ps.len();
            let note = last && !t.notes.is_empty();
            x.push_str(&table_xml(t, cols, &w, neg, size, note));
        }
        if dropped {
            x.push_str(&para(
                &format!(
                    "The change from the base for each scenario is in the workbook's {} sheet.",
                    render::tab_name(&t.name)
                ),
                Some("Note"),
            ));
        }
        for note in &t.notes {
            x.push_str(&para(note, Some("Note")));
        }
        for c in &t.charts {
            let Some(dir) = charts else { continue };
            let png = dir.join(format!("{}.png", c.name));
            let bytes = std::fs::read(&png).map_err(|source| Error::Io {
                path: png.display().to_string(),
                source,
            })?;
            let rid = format!("rIdImg{}", images.len() + 1);
            x.push_str(&picture(
                &rid,
                images.len() + 1,
                &c.title,
                image_height(&bytes),
            ));
            // A figure's caption ends its block: unlike a table's, it does
            // not keep with what follows (that would carry the chart over to
            // the next section's page, leaving a gap).
            x.push_str(
                &para(
                    &format!("Figure {}: {}", images.len() + 1, c.title),
                    Some("Caption"),
                )
                .replacen(
                    "<w:pStyle w:val=\"Caption\"/>",
                    "<w:pStyle w:val=\"Caption\"/><w:keepNext w:val=\"false\"/>",
                    1,
                ),
            );
            images.push((rid, bytes));
        }
    }
    x.push_str(&closing(pack));
    Ok((x, images))
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="80" w:after="80"/></w:pPr><w:rPr><w:i/><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:color="808080"/><w:left w:val="single" w:sz="4" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:color="808080"/><w:right w:val="single" w:sz="4" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:color="BFBFBF"/><w:insideV w:val="single" w:sz="4" w:color="BFBFBF"/></w:tblBorders><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// Writes the pack as a Word document, whole or not at all.
pub fn document(pack: &Doc, charts: Option<&Path>, path: &Path, neg: Negatives) -> Result<()> {
    let (body, images) = body(pack, charts, neg)?;
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    for (i, (rid, _)) in images.iter().enumerate() {
        rels.push_str(&format!("<Relationship Id=\"{rid}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart{}.png\"/>", i + 1));
    }
    rels.push_str("</Relationships>");
    // Dated by its data, like the workbook: the same inputs give the same bytes.
    let year = pack.year.map_or(2000, |y| y.0 + 1);
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dcterms:created xsi:type=\"dcterms:W3CDTF\">{year}-03-31T00:00:00Z</dcterms:created></cp:coreProperties>",
        esc(pack.title)
    );
    let files: Vec<(String, Vec<u8>)> = [
        (
            "[Content_Types].xml".to_string(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("word/document.xml".into(), doc.into_bytes()),
        ("word/styles.xml".into(), STYLES.as_bytes().to_vec()),
        (
            "word/header1.xml".into(),
            header_xml(pack.title).into_bytes(),
        ),
        ("word/footer1.xml".into(), FOOTER.as_bytes().to_vec()),
        ("word/_rels/document.xml.rels".into(), rels.into_bytes()),
    ]
    .into_iter()
    .chain(
        images
            .into_iter()
            .enumerate()
            .map(|(i, (_, b))| (format!("word/media/chart{}.png", i + 1), b)),
    )
    .collect();
    let zerr = |e: zip::result::ZipError| Error::Write {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time for every entry: byte-identical output.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        zw.start_file(name, opts).map_err(zerr)?;
        zw.write_all(&bytes).map_err(|e| zerr(e.into()))?;
    }
    let bytes = zw.finish().map_err(zerr)?.into_inner();
    crate::base::atomic::write(path, &bytes)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

/// The report's title at the top right of every page.
fn header_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>{}</w:p></w:hdr>",
        run(title, false, Some(18))
    )
}

/// "Page n of N" at the foot of every page (Word's PAGE and NUMPAGES fields),
/// every run of the fields in the footer's size (a field's number takes the
/// size of the run that begins it).
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> of </w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::money::Money;
    use crate::base::table::Cell;
    use rust_decimal::Decimal;

    fn score_like() -> Table {
        let mut t = Table::new("t", "T", &["Year", "Costs", "Savings", "PV savings"], 1);
        let m = |v: i64| Cell::rule(Value::money(Money(Decimal::from(v))), "x");
        t.push(vec![Cell::label("2030/31"), m(1), m(2), m(3)]);
        t.push(vec![Cell::label("2031/32"), m(4), m(5), m(6)]);
        t.push(vec![Cell::label("NPV"), Cell::empty(), Cell::empty(), m(7)]);
        t
    }

    /// A part of a split table leaves out a row with nothing in its
    /// columns (the NPV, whose figure is in the last column).
    #[test]
    fn bracketed_words_stay_together() {
        assert_eq!(
            bracketed_whole("Downside (1 in 10)"),
            "Downside (1\u{a0}in\u{a0}10)"
        );
        assert_eq!(bracketed_whole("NPV at low"), "NPV at low");
    }

    /// A name read with a control character (a ledger's "Legal\u{1}",
    /// a partner's ESC) is written as U+FFFD: XML 1.0 cannot hold it and
    /// Word refused the document.
    #[test]
    fn control_characters_do_not_reach_the_xml() {
        let mut t = score_like();
        let one = || Cell::rule(Value::money(Money(Decimal::ONE)), "x");
        t.push(vec![
            Cell::label("Legal\u{1}\u{1b}[31m"),
            one(),
            one(),
            one(),
        ]);
        let x = table_xml(
            &t,
            &[0, 1, 2, 3],
            &[1000; 4],
            Negatives::Brackets,
            18,
            false,
        );
        assert!(!x.chars().any(|c| c < ' '), "{x:?}");
        assert!(x.contains(">Legal\u{FFFD}\u{FFFD}[31m<"), "{x}");
    }

    #[test]
    fn a_part_leaves_out_rows_empty_in_it() {
        let t = score_like();
        let w = vec![1000; 4];
        let first = table_xml(&t, &[0, 1, 2], &w, Negatives::Brackets, 18, false);
        let second = table_xml(&t, &[0, 3], &w, Negatives::Brackets, 18, false);
        assert!(!first.contains(">NPV<"), "{first}");
        assert!(second.contains(">NPV<"), "{second}");
    }

    /// A short table keeps together, but its last row does not keep with
    /// what follows: 4 header cells and 2 × 4 cells of the first two rows
    /// keep with the next; the last row's 4 do not.
    #[test]
    fn a_kept_tables_last_row_lets_go() {
        let t = score_like();
        let x = table_xml(
            &t,
            &[0, 1, 2, 3],
            &[1000; 4],
            Negatives::Brackets,
            18,
            false,
        );
        assert_eq!(x.matches("<w:keepNext/>").count(), 4 + 2 * 4, "{x}");
    }
}
