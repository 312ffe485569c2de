//! Rendering tables as CSV (machine form), Markdown (report form) and JSON
//! (with every cell's trace).

use crate::money::{self, Negatives};
use crate::table::{Table, Value};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
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
        Value::Percent { value, dp } | Value::Number { value, dp } => {
            money::format_plain(*value, *dp)
        }
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

pub fn to_csv(t: &Table) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&t.columns);
    for r in &t.rows {
        let _ = w.write_record(r.cells.iter().map(|c| plain(&c.value)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

fn is_figure_column(t: &Table, col: usize) -> bool {
    col >= t.key_cols && t.rows.iter().any(|r| r.cells[col].value.figure().is_some())
}

/// One table as the annual report prints it, with its headline and notes.
pub fn to_markdown(t: &Table, neg: Negatives, heading: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("{heading} {}\n\n", t.title));
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
    if !t.headline.is_empty() {
        out.push_str(&format!("\n{}\n", t.headline));
    }
    for n in &t.notes {
        out.push_str(&format!("\n> {n}\n"));
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

pub fn to_json(t: &Table) -> String {
    let mut s = serde_json::to_string_pretty(&to_json_value(t)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn render(t: &Table, f: OutFormat, neg: Negatives) -> String {
    match f {
        OutFormat::Csv => to_csv(t),
        OutFormat::Md => to_markdown(t, neg, "###"),
        OutFormat::Json => to_json(t),
    }
}

/// The check report as a Markdown section.
pub fn check_markdown(rep: &crate::check::CheckReport) -> String {
    let mut s = format!(
        "## Published figures that differ from their recomputation\n\n{} published figures checked; {} differ.\n",
        rep.checked,
        rep.findings.len()
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
