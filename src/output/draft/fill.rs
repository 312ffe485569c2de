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

/// The display of the cell a placeholder names; why not, otherwise.
pub fn lookup(packs: &[Pack], spec: &str) -> std::result::Result<String, String> {
    let parts: Vec<&str> = spec.splitn(3, ':').map(str::trim).collect();
    let [table, row, column] = parts[..] else {
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
        [] => {
            return Err(format!(
                "no table {table:?}{}",
                pack.map(|p| format!(" in {p}")).unwrap_or_default()
            ));
        }
        [one] => *one,
        many => {
            let names: Vec<&str> = many.iter().map(|(p, _)| p.name.as_str()).collect();
            return Err(format!(
                "{table:?} is in several reports ({}): write {{{{REPORT/{table}:…}}}}",
                names.join(", ")
            ));
        }
    };
    match t.find(row, column) {
        Some(c) => Ok(crate::output::render::display(&c.value, Default::default())),
        None => Err(format!(
            "{} has no cell at row {row:?}, column {column:?}",
            t.name
        )),
    }
}

/// The text with every placeholder replaced; an error lists those that
/// name no cell (nothing is half filled).
pub fn fill_text(text: &str, packs: &[Pack], escape: bool) -> Result<String> {
    let mut out = String::new();
    let mut bad = Vec::new();
    let mut rest = text;
    while let Some(s) = rest.find("{{") {
        let Some(e) = rest[s..].find("}}") else { break };
        out.push_str(&rest[..s]);
        let spec = crate::base::text::xml_unescape(rest[s + 2..s + e].trim());
        match lookup(packs, &spec) {
            Ok(v) if escape => out.push_str(&v.replace('&', "&amp;").replace('<', "&lt;")),
            Ok(v) => out.push_str(&v),
            Err(why) => bad.push(format!("{{{{{spec}}}}}: {why}")),
        }
        rest = &rest[s + e + 2..];
    }
    out.push_str(rest);
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
/// not at all. A placeholder Word has split across runs (formatting changed
/// inside it) is not seen: type it again in one go.
pub fn fill_docx(draft: &Path, out: &Path, packs: &[Pack]) -> Result<()> {
    let xml = super::blocks::document_xml(draft)?;
    let filled = fill_text(&xml, packs, true)?;
    let io = |source| Error::Io {
        path: draft.display().to_string(),
        source,
    };
    let f = std::fs::File::open(draft).map_err(io)?;
    let mut z = zip::ZipArchive::new(f).map_err(|e| Error::Table {
        place: draft.display().to_string(),
        message: format!("not a Word document: {e}"),
    })?;
    let zerr = |e: zip::result::ZipError| Error::Table {
        place: out.display().to_string(),
        message: format!("cannot write the document: {e}"),
    };
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let entry = z.by_index_raw(i).map_err(zerr)?;
        if entry.name().is_ok_and(|n| n == "word/document.xml") {
            drop(entry);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zw.start_file("word/document.xml", opts).map_err(zerr)?;
            zw.write_all(filled.as_bytes()).map_err(io)?;
        } else {
            zw.raw_copy_file(entry).map_err(zerr)?;
        }
    }
    let bytes = zw.finish().map_err(zerr)?.into_inner();
    crate::base::atomic::write_with(out, |w| w.write_all(&bytes))?;
    Ok(())
}
