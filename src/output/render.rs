//! Rendering tables as CSV (machine form), Markdown (report form) and JSON
//! (with every cell's trace).

use crate::base::money::{self, Negatives};
use crate::base::table::{Table, Value};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutFormat {
    #[default]
    Csv,
    Md,
    Json,
}

/// Plain machine form: no £, no separators, minus for negatives.
pub fn plain(v: &Value) -> String {
    match v {
        Value::Text { text } => text.clone(),
        Value::Money { amount, dp } => money::format_plain(*amount, *dp),
        Value::Millions { amount, .. } => money::format_plain(*amount, 0),
        Value::Percent { value, dp }
        | Value::Points { value, dp }
        | Value::Number { value, dp } => money::format_plain(*value, *dp),
        Value::NotApplicable { label } => label.clone(),
        Value::Empty => String::new(),
    }
}

/// Report form: £1,234, (£1,234), £9.83m, 19.7%.
pub fn display(v: &Value, neg: Negatives) -> String {
    match v {
        Value::Text { text } => text.clone(),
        Value::Money { amount, dp } => money::format_pounds(*amount, *dp, neg),
        Value::Millions { amount, dp } => money::format_millions(*amount, *dp, neg),
        Value::Percent { value, dp } => money::format_percent(*value, *dp, neg),
        Value::Points { value, dp } => {
            // Percentage points, signed as money is.
            let body = format!("{} pp", money::group_thousands(value.abs(), *dp));
            let r = money::round_dp(*value, *dp);
            match (r.is_sign_negative() && !r.is_zero(), neg) {
                (true, Negatives::Brackets) => format!("({body})"),
                (true, Negatives::Minus) => format!("-{body}"),
                _ => body,
            }
        }
        Value::Number { value, dp } => {
            let s = money::group_thousands(*value, *dp);
            if money::round_dp(*value, *dp).is_sign_negative()
                && !money::round_dp(*value, *dp).is_zero()
            {
                match neg {
                    Negatives::Brackets => format!("({s})"),
                    Negatives::Minus => format!("-{s}"),
                }
            } else {
                s
            }
        }
        Value::NotApplicable { label } => label.clone(),
        Value::Empty => String::new(),
    }
}

pub fn to_csv(t: &Table) -> crate::Result<String> {
    let header = std::iter::once(t.columns.iter().map(|c| not_formula(c.clone())).collect());
    let rows = t.rows.iter().map(|r| {
        r.cells
            .iter()
            .map(|c| match &c.value {
                Value::Text { .. } | Value::NotApplicable { .. } => not_formula(plain(&c.value)),
                v => plain(v),
            })
            .collect::<Vec<_>>()
    });
    csv_text(header.chain(rows))
}

/// A name as a CSV cell that a spreadsheet opens as text, not as a
/// formula: one starting `=`, `+`, `@`, a tab or a line end, or `-` and
/// more (`-2+3`, a DDE command), gets a leading apostrophe, as Excel
/// itself marks text (a name from a ledger is not trusted to be harmless).
pub fn not_formula(s: String) -> String {
    let risky = matches!(
        s.as_bytes(),
        [b'=' | b'+' | b'@' | b'\t' | b'\r', ..] | [b'-', _, ..]
    );
    match risky {
        true => format!("'{s}"),
        false => s,
    }
}

/// CSV text (LF line ends), one record per item. Every record is written
/// whatever its width, so a ragged row is never dropped.
pub fn csv_text<R, F>(records: impl IntoIterator<Item = R>) -> crate::Result<String>
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let err = |e: csv::Error| crate::Error::Write {
        path: "CSV output".into(),
        source: std::io::Error::other(e),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    for r in records {
        w.write_record(r).map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|e| crate::Error::Write {
        path: "CSV output".into(),
        source: std::io::Error::other(e),
    })
}

/// Pretty JSON with a final newline.
pub fn json_text<T: Serialize + ?Sized>(v: &T) -> crate::Result<String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| crate::Error::Write {
        path: "JSON output".into(),
        source: std::io::Error::other(e),
    })?;
    s.push('\n');
    Ok(s)
}

/// A table cell or heading on one line: a line break (a name read from a
/// quoted CSV field) a space, as a row must be one line; and what Markdown
/// would read as markup escaped, so a name shows as written and cannot end
/// its cell: `\`, `|`, `*`, `` ` ``, `<`, a `_` at a word's edge, and `[`
/// in text that could be a link.
pub(crate) fn md_escape(s: &str) -> String {
    let s = s.replace("\r\n", " ").replace(['\n', '\r'], " ");
    let link = s.contains("](");
    let chars: Vec<char> = s.chars().collect();
    let word = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '|' | '*' | '`' | '<' => true,
            '_' => !(word(i.checked_sub(1)) && word(Some(i + 1))),
            '[' => link,
            // `&lt;` or `&#124;` would show as the character it names.
            '&' => entity_at(&chars[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `rest` (what follows a `&`) reads as a character reference:
/// a name, `#` and digits, or `#x` and hex digits, then `;`.
fn entity_at(rest: &[char]) -> bool {
    let end = rest.iter().take(33).position(|&c| c == ';');
    let Some(body) = end.map(|e| &rest[..e]) else {
        return false;
    };
    match body {
        ['#', 'x' | 'X', hex @ ..] => !hex.is_empty() && hex.iter().all(|c| c.is_ascii_hexdigit()),
        ['#', dec @ ..] => !dec.is_empty() && dec.iter().all(|c| c.is_ascii_digit()),
        name => {
            name.first().is_some_and(|c| c.is_ascii_alphabetic())
                && name.iter().all(|c| c.is_ascii_alphanumeric())
        }
    }
}

fn is_figure_column(t: &Table, col: usize) -> bool {
    col >= t.key_cols && t.rows.iter().any(|r| r.cells[col].value.figure().is_some())
}

/// One table as the annual report prints it, with its headline and notes.
pub fn to_markdown(t: &Table, neg: Negatives, heading: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("{heading} {}\n\n", md_escape(&t.title)));
    out.push('|');
    for c in &t.columns {
        out.push_str(&format!(" {} |", md_escape(c)));
    }
    out.push_str("\n|");
    for i in 0..t.columns.len() {
        out.push_str(if is_figure_column(t, i) {
            "---:|"
        } else {
            "---|"
        });
    }
    out.push('\n');
    for r in &t.rows {
        out.push('|');
        for c in &r.cells {
            let s = md_escape(&display(&c.value, neg));
            if r.total && !s.is_empty() {
                out.push_str(&format!(" **{s}** |"));
            } else {
                out.push_str(&format!(" {s} |"));
            }
        }
        out.push('\n');
    }
    // Escaped as the cells are: a name in a note is not markup either.
    if !t.headline.is_empty() {
        out.push_str(&format!("\n{}\n", md_escape(&t.headline)));
    }
    for n in &t.notes {
        out.push_str(&format!("\n> {}\n", md_escape(n)));
    }
    out
}

#[derive(Serialize)]
struct JsonCell<'a> {
    value: &'a Value,
    display: String,
    trace: String,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    total: bool,
    cells: Vec<JsonCell<'a>>,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    name: &'a str,
    title: &'a str,
    columns: &'a [String],
    rows: Vec<JsonRow<'a>>,
    headline: &'a str,
    notes: &'a [String],
}

pub fn to_json_value(t: &Table) -> serde_json::Value {
    let jt = JsonTable {
        name: &t.name,
        title: &t.title,
        columns: &t.columns,
        rows: t
            .rows
            .iter()
            .map(|r| JsonRow {
                total: r.total,
                cells: r
                    .cells
                    .iter()
                    .map(|c| JsonCell {
                        value: &c.value,
                        display: display(&c.value, Negatives::Minus),
                        trace: c.trace.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        headline: &t.headline,
        notes: &t.notes,
    };
    serde_json::to_value(jt).unwrap_or(serde_json::Value::Null)
}

pub fn to_json(t: &Table) -> crate::Result<String> {
    json_text(&to_json_value(t))
}

pub fn render(t: &Table, f: OutFormat, neg: Negatives) -> crate::Result<String> {
    match f {
        OutFormat::Csv => to_csv(t),
        OutFormat::Md => Ok(to_markdown(t, neg, "###")),
        OutFormat::Json => to_json(t),
    }
}

/// The check report as a Markdown section.
pub fn check_markdown(rep: &crate::tables::check::CheckReport) -> String {
    let mut s = format!(
        "## Published figures that differ from their recomputation\n\n{}\n",
        rep.summary()
    );
    if !rep.findings.is_empty() {
        s.push_str("\n| Table | Row | Column | Published | Recomputed | Difference | Where printed | Read from |\n|---|---|---|---:|---:|---:|---|---|\n");
        for f in &rep.findings {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                md_escape(&f.table),
                md_escape(&f.row),
                md_escape(&f.column),
                md_escape(&f.published),
                md_escape(&f.recomputed),
                md_escape(&f.difference),
                md_escape(&f.source),
                md_escape(&f.location)
            ));
        }
    }
    s
}

/// The findings as CSV.
pub fn check_csv(rep: &crate::tables::check::CheckReport) -> crate::Result<String> {
    let header = [
        "table",
        "row",
        "column",
        "published",
        "recomputed",
        "difference",
        "location",
        "source",
    ]
    .map(String::from);
    // Figures as printed (£…, -0.01) stay as they are; names are guarded.
    let rows = rep.findings.iter().map(|f| {
        [
            not_formula(f.table.clone()),
            not_formula(f.row.clone()),
            not_formula(f.column.clone()),
            f.published.clone(),
            f.recomputed.clone(),
            f.difference.clone(),
            not_formula(f.location.clone()),
            not_formula(f.source.clone()),
        ]
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// A sheet's tab as a person reads it: "budget-breakdown" is "Budget
/// breakdown", beside "Inputs" and "Sources".
pub fn tab_name(table: &str) -> String {
    crate::base::text::capitalised(&table.replace('-', " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::table::{Cell, Table};

    /// A name with a line break (a quoted CSV field over two lines) stays
    /// in its row and a `|` in its cell: the row split in two before.
    /// Names a spreadsheet would run as formulas are written as text; a
    /// figure (-2) and a lone "-" (not applicable) are not touched.
    #[test]
    fn csv_names_are_not_formulas() {
        let mut t = Table::new("t", "T", &["=Partner", "Figure"], 1);
        t.push(vec![Cell::label("=cmd|' /C calc'!A0"), Cell::label("-")]);
        t.push(vec![Cell::label("-2+3"), Cell::label("@SUM(A1)")]);
        t.push(vec![Cell::label("+SUM(1)"), Cell::label("North-East")]);
        let csv = to_csv(&t).unwrap();
        assert_eq!(
            csv,
            "'=Partner,Figure\n'=cmd|' /C calc'!A0,-\n'-2+3,'@SUM(A1)\n'+SUM(1),North-East\n"
        );
    }

    #[test]
    fn markdown_rows_stay_on_one_line() {
        let mut t = Table::new("t", "Partners\nby year", &["Partner", "Note"], 1);
        t.push(vec![Cell::label("I\nJ"), Cell::label("a|b")]);
        let md = to_markdown(&t, Negatives::Brackets, "###");
        assert_eq!(
            md.lines().take(5).collect::<Vec<_>>(),
            [
                "### Partners by year",
                "",
                "| Partner | Note |",
                "|---|---|",
                "| I J | a\\|b |"
            ]
        );
    }
}
