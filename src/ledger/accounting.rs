//! What a ledger read came to, said to a person: per-file counts, the loud
//! line when money was set aside, the rejects file and the JSON account.

use crate::base::money::{self, Negatives};
use crate::ledger::{BadLine, LedgerTotals};
use rust_decimal::Decimal;
use std::path::Path;

fn pounds(p: i128) -> String {
    money::format_pounds(Decimal::from_i128_with_scale(p, 2), 2, Negatives::Brackets)
}

/// The per-file lines and the set-aside summary, for standard error.
pub fn summary(t: &LedgerTotals) -> Vec<String> {
    let mut v = Vec::new();
    for f in &t.files {
        // What the file holds: a sheet's rows, a Parquet file's records
        // (it has no lines), a text file's lines.
        let unit = if f.place.contains(", sheet ") {
            "row"
        } else if f.place.to_ascii_lowercase().ends_with(".parquet") {
            "record"
        } else {
            "line"
        };
        let read = if f.lines == f.read {
            format!("{} {unit}{}", f.read, if f.read == 1 { "" } else { "s" })
        } else {
            format!("{} lines ({} records)", f.lines, f.read)
        };
        let mut s = format!(
            "{}: {read} read: {} used ({}), {} blank, {} header, title or total, {} set aside",
            f.place,
            f.used,
            // A minus inside the brackets: "((£550,001.00))" read badly.
            money::format_pounds(
                Decimal::from_i128_with_scale(f.pence, 2) + f.sub_penny,
                2,
                Negatives::Minus
            ),
            f.blank,
            f.other,
            f.set_aside
        );
        if let Some(n) = &f.note {
            s.push_str(&format!(" ({n})"));
        }
        v.push(s);
    }
    if t.totals_taken > 0 {
        let named: Vec<String> = t
            .totals_taken_lines
            .iter()
            .take(5)
            .map(|b| {
                format!(
                    "{}, {} {} ({})",
                    b.place,
                    b.unit,
                    b.line,
                    pounds(b.pence.unwrap_or(0) as i128)
                )
            })
            .collect();
        let more = t.totals_taken - named.len() as u64;
        let one = t.totals_taken == 1;
        v.push(format!(
            "{} taken as {} typed into the file ({} sum of the lines above it), not added: {}{}",
            if one {
                "1 line".to_string()
            } else {
                format!("{} lines", t.totals_taken)
            },
            if one { "a total" } else { "totals" },
            if one { "the" } else { "each the" },
            named.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if t.floats > 0 {
        let eg = t
            .float_lines
            .first()
            .map(|f| {
                format!(
                    " (e.g. {}, {} {}: {} read as {})",
                    f.place,
                    f.unit,
                    f.line,
                    f.text,
                    pounds(f.pence as i128)
                )
            })
            .unwrap_or_default();
        v.push(format!(
            "{} amounts written by a float were read as the whole pence they render{eg}",
            t.floats
        ));
    }
    v
}

/// The loud first line when money may be missing.
pub fn set_aside_line(t: &LedgerTotals) -> String {
    let readable = t.bad - t.bad_unknown;
    format!(
        "WARNING: {} ledger line{} set aside and not in the tables: {} in the {} whose amount could be read, and {} with no readable amount",
        t.bad,
        if t.bad == 1 { "" } else { "s" },
        pounds(t.bad_pence),
        readable,
        t.bad_unknown
    )
}

pub fn write_rejects(path: &Path, lines: &[BadLine], all: u64) -> crate::Result<()> {
    crate::base::atomic::write_with(path, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["file", "place", "number", "reason", "amount", "text"])?;
        for b in lines {
            let amount = b
                .pence
                .map(|p| Decimal::new(p, 2).to_string())
                .unwrap_or_default();
            c.write_record([
                &*b.place,
                b.unit,
                &b.line.to_string(),
                &b.reason,
                &amount,
                &b.raw,
            ])?;
        }
        if all as usize > lines.len() {
            let more = format!(
                "{} more lines set aside; only the first {} are kept",
                all as usize - lines.len(),
                lines.len()
            );
            c.write_record(["", "", "", &more, "", ""])?;
        }
        c.flush()?;
        Ok(())
    })
}

pub fn ledger_json(t: &LedgerTotals) -> serde_json::Value {
    let bad: Vec<serde_json::Value> = t
        .bad_lines
        .iter()
        .map(|b| {
            serde_json::json!({"file": &*b.place, b.unit: b.line, "reason": b.reason, "text": b.raw,
                "amount": b.pence.map(|p| Decimal::new(p, 2).to_string())})
        })
        .collect();
    let floats: Vec<serde_json::Value> = t
        .float_lines
        .iter()
        .map(|f| serde_json::json!({"file": &*f.place, f.unit: f.line, "text": f.text, "read_as": Decimal::new(f.pence, 2).to_string()}))
        .collect();
    let files: Vec<serde_json::Value> = t
        .files
        .iter()
        .map(|f| serde_json::json!({"file": f.place, "read": f.read, "used": f.used, "blank": f.blank,
            "header_or_title": f.other, "set_aside": f.set_aside,
            "total": (Decimal::from_i128_with_scale(f.pence, 2) + f.sub_penny).to_string(), "note": f.note}))
        .collect();
    serde_json::json!({
        "lines_used": t.rows, "total": t.total().to_string(),
        "set_aside": t.bad, "set_aside_amount_readable": Decimal::from_i128_with_scale(t.bad_pence, 2).to_string(),
        "set_aside_amount_unknown_lines": t.bad_unknown,
        "set_aside_lines": bad, "set_aside_lines_complete": t.bad as usize == t.bad_lines.len(),
        "float_renderings": t.floats, "float_rendering_lines": floats, "files": files,
    })
}
