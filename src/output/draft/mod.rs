//! Drafts checked against the recomputed tables: every figure in a draft
//! annual report (Markdown or Word) is matched with the table cell or
//! commentary it comes from, and figures that no longer match, years no
//! table speaks of and placeholders that name no cell are listed with the
//! paragraph they sit in and where the right figure is. `{{table:row:column}}`
//! placeholders are filled from the same tables.

pub mod blocks;
pub mod figures;
mod fill;

pub use blocks::Block;
pub use fill::{fill_docx, fill_text};

use crate::base::money::Negatives;
use crate::base::table::{Cell, Table, Value};
use crate::output::pack::Pack;
use crate::output::render;
use crate::tables::check;
use figures::{Figure, Unit};
use rust_decimal::Decimal;

/// Something in the draft that does not follow from the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub place: String,
    pub what: &'static str,
    pub draft: String,
    pub should: String,
    /// The table cell (or commentary) the right figure comes from.
    pub from: String,
    pub paragraph: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Figures read in the draft.
    pub figures: usize,
    /// Figures no table or commentary has.
    pub not_found: Vec<(String, String)>,
}

fn excerpt(s: &str) -> String {
    let s: String = s.chars().take(120).collect();
    if s.len() < 120 { s } else { format!("{s}…") }
}

fn display(v: &Value) -> String {
    render::display(v, Negatives::Brackets)
}

/// A figure of the tables in base units (pounds; percent units) and its kind.
fn base(v: &Value) -> Option<(Decimal, bool)> {
    match v {
        Value::Money { amount, .. } | Value::Millions { amount, .. } => Some((*amount, false)),
        Value::Percent { value, .. } | Value::Points { value, .. } => Some((*value, true)),
        Value::Number { value, .. } => Some((*value, false)),
        _ => None,
    }
}

fn in_base(f: &Figure) -> (Decimal, bool) {
    match f.unit {
        Unit::Thousands => (f.value * Decimal::from(1_000), false),
        Unit::Millions => (f.value * Decimal::from(1_000_000), false),
        Unit::Percent => (f.value, true),
        _ => (f.value, false),
    }
}

/// Every figure the recomputed report has: cells, and figures written in
/// headlines and notes.
struct Index<'a> {
    values: Vec<(Decimal, bool)>,
    /// (shape, text, where, pack) of every headline and note.
    prose: Vec<(String, &'a str, String, usize)>,
    years: std::collections::BTreeSet<String>,
    /// The pack the draft is a copy of (its title is the draft's title):
    /// its tables and commentary are taken before any other report's.
    own: Option<usize>,
}

fn index<'a>(packs: &'a [Pack], blocks: &[Block]) -> Index<'a> {
    let mut ix = Index {
        values: Vec::new(),
        prose: Vec::new(),
        years: Default::default(),
        own: own_pack(blocks, packs),
    };
    let add_text = |ix: &mut Index, s: &str| {
        for (y, _, _) in figures::years(s) {
            ix.years.insert(y);
        }
    };
    for (k, p) in packs.iter().enumerate() {
        add_text(&mut ix, &p.title);
        add_text(&mut ix, &p.intro);
        // An introduction with figures (a monitoring report's two
        // headlines) is commentary the draft repeats; so is "18 published
        // figures checked; 0 differ.", said with no table.
        let checked = p.checked.as_deref().unwrap_or_default();
        let said = [
            (p.intro.as_str(), "introduction"),
            (checked, "check report"),
        ];
        // The check report appended ("0 published figures checked; 0 differ.").
        let appended = p.appendix.lines().map(|l| (l.trim(), "check report"));
        for (s, part) in said.into_iter().chain(appended) {
            if figures::figures(s).is_empty() {
                continue;
            }
            ix.values.extend(figures::figures(s).iter().map(in_base));
            let from = format!("{}: {part}", p.name);
            ix.prose.push((figures::shape(s), s, from, k));
        }
        for t in &p.tables {
            // Published figures that differ are not recomputed figures,
            // though what the table says of them ("94 published figures
            // checked; 5 differ") is the report's commentary.
            if t.name == check::DIFFERENCES {
                ix.commentary((k, p), t);
                continue;
            }
            add_text(&mut ix, &t.title);
            for c in &t.columns {
                add_text(&mut ix, c);
            }
            for r in &t.rows {
                for c in &r.cells {
                    match base(&c.value) {
                        Some(v) => ix.values.push(v),
                        None => add_text(&mut ix, &display(&c.value)),
                    }
                }
            }
            ix.commentary((k, p), t);
        }
    }
    ix
}

/// The pack whose title the draft's first paragraph is (its heading, or
/// a Word document's title): the report the draft is a copy of. Only the
/// first: a draft naming a model's title further on is no copy of it.
fn own_pack(blocks: &[Block], packs: &[Pack]) -> Option<usize> {
    let first = blocks.iter().find_map(|b| match b {
        Block::Para { text, .. } => Some(text.trim()),
        Block::Table { .. } => None,
    })?;
    packs
        .iter()
        .position(|p| p.title.trim().eq_ignore_ascii_case(first))
}

impl<'a> Index<'a> {
    /// A table's headline and notes: their years, figures and wording.
    fn commentary(&mut self, (k, p): (usize, &Pack), t: &'a Table) {
        for s in std::iter::once(&t.headline).chain(&t.notes) {
            self.years
                .extend(figures::years(s).into_iter().map(|y| y.0));
            self.values.extend(figures::figures(s).iter().map(in_base));
            let from = format!("{} / {}: commentary", p.name, t.name);
            self.prose.push((figures::shape(s), s.as_str(), from, k));
        }
    }

    fn has(&self, f: &Figure) -> bool {
        let pct = f.unit == Unit::Percent;
        self.values
            .iter()
            .any(|(v, is_pct)| (*is_pct == pct || f.unit == Unit::Plain) && f.shows(*v))
    }
}

/// Checks a draft's blocks against the recomputed packs.
pub fn check(blocks: &[Block], packs: &[Pack]) -> Report {
    let ix = index(packs, blocks);
    let mut rep = Report::default();
    for b in blocks {
        match b {
            Block::Para { place, text } => para(&ix, packs, place, text, &mut rep),
            Block::Table {
                place,
                title,
                header,
                rows,
            } => table(&ix, packs, (place, title), header, rows, &mut rep),
        }
    }
    rep
}

fn placeholders(packs: &[Pack], place: &str, text: &str, rep: &mut Report) {
    if let Some(s) = fill::unclosed(text) {
        rep.findings.push(Finding {
            place: place.into(),
            what: "placeholder never closed",
            draft: text[s..].chars().take(60).collect(),
            should: "{{table:row:column}}".into(),
            from: "a {{ with no }} after it".into(),
            paragraph: excerpt(text),
        });
    }
    for spec in fill::specs(text) {
        if let Err(why) = fill::lookup(packs, &spec) {
            rep.findings.push(Finding {
                place: place.into(),
                what: "placeholder names no cell",
                draft: format!("{{{{{spec}}}}}"),
                should: String::new(),
                from: why,
                paragraph: excerpt(text),
            });
        }
    }
}

/// `text` with each closed placeholder made a space: the years and
/// numbers in `{{savings:Total:Saved 2031/32}}` name a cell, they are no
/// figures of the draft (each was counted, and listed as found nowhere).
fn outside_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    let (mut out, mut rest) = (String::with_capacity(text.len()), text);
    while let Some(s) = rest.find("{{") {
        let Some(e) = rest[s..].find("}}") else { break };
        out.push_str(&rest[..s]);
        out.push(' ');
        rest = &rest[s + e + 2..];
    }
    if rest.len() == text.len() {
        return text.into();
    }
    out.push_str(rest);
    out.into()
}

fn para(ix: &Index, packs: &[Pack], place: &str, whole: &str, rep: &mut Report) {
    placeholders(packs, place, whole, rep);
    let text = &*outside_placeholders(whole);
    for (y, _, _) in figures::years(text) {
        if !ix.years.contains(&y) {
            rep.findings.push(Finding {
                place: place.into(),
                what: "a year no table speaks of (stale?)",
                draft: y,
                should: String::new(),
                from: "the recomputed report's titles, columns and commentary".into(),
                paragraph: excerpt(whole),
            });
        }
    }
    let found = figures::figures(text);
    rep.figures += found.len();
    let shape = figures::shape(text);
    // Several reports may say the same thing of different figures: the one
    // that agrees best is the one the paragraph repeats.
    let agree = |canon: &str| {
        found
            .iter()
            .zip(figures::figures(canon))
            .filter(|(d, c)| d.text == c.text || d.shows(in_base(c).0))
            .count()
    };
    // The draft's own report says it, if it does; else whichever agrees.
    let alike = || ix.prose.iter().filter(|p| p.0 == shape);
    let own = alike().any(|p| Some(p.3) == ix.own);
    let best = alike()
        .filter(|p| !own || Some(p.3) == ix.own)
        .max_by_key(|(_, canon, _, _)| (agree(canon), std::cmp::Reverse(canon.len())));
    if let Some((_, canon, from, _)) = best {
        for (d, c) in found.iter().zip(figures::figures(canon)) {
            if d.text != c.text && !d.shows(in_base(&c).0) {
                rep.findings.push(Finding {
                    place: place.into(),
                    what: "differs from the recomputed figure",
                    draft: d.text.clone(),
                    should: as_shown(d, &c),
                    from: from.clone(),
                    paragraph: excerpt(whole),
                });
            }
        }
        return;
    }
    for f in found.iter().filter(|f| !ix.has(f)) {
        rep.not_found.push((place.into(), f.text.clone()));
    }
}

/// The recomputed figure written as the draft writes it (£8.96m for a
/// draft's £8.97m), so the two can be compared at a glance.
fn as_shown(d: &Figure, c: &Figure) -> String {
    let v = in_base(c).0;
    let r = |x: Decimal| crate::base::money::format_plain(x, d.dp);
    match d.unit {
        _ if d.unit == c.unit => c.text.clone(),
        Unit::Millions => format!("£{}m", r(v / Decimal::from(1_000_000))),
        Unit::Thousands => format!("£{}k", r(v / Decimal::from(1_000))),
        _ => c.text.clone(),
    }
}

/// A caption's table title: "Table 3: Savings (part 1 of 2)" is "Savings".
fn caption_title(s: &str) -> &str {
    let s = s.trim();
    let s = match s.strip_prefix("Table ").and_then(|r| r.split_once(": ")) {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => s,
    };
    match s.rfind(" (part ") {
        Some(i) if s.ends_with(')') => &s[..i],
        _ => s,
    }
}

/// The recomputed table a draft table's title names: the draft's own
/// report's (`own`), else, of several packs' tables of that title (each
/// pack has its "Published figures that differ"; the partnership's and
/// each authority's monitoring reports have the same tables), the first
/// holding the most of the draft's rows, then the most of its cells as
/// the draft shows them. The first of the title was taken, so a model's
/// report checked against itself was found to have rows the annual
/// report's table does not.
fn titled<'a>(
    packs: &'a [Pack],
    own: Option<usize>,
    title: &str,
    (header, rows): (&[String], &[(String, Vec<String>)]),
) -> Option<(&'a Pack, &'a Table)> {
    let want = caption_title(title).to_lowercase();
    // The draft's own report's table, when it has one of the title: a row
    // or figure copied from another report is then found, not matched.
    let of = |p: &'a Pack| {
        let t = p
            .tables
            .iter()
            .find(|t| t.title.trim().to_lowercase() == want);
        t.map(|t| (p, t))
    };
    if let Some(mine) = own.and_then(|k| of(&packs[k])) {
        return Some(mine);
    }
    let named = packs.iter().flat_map(|p| {
        let of_title = p
            .tables
            .iter()
            .filter(|t| t.title.trim().to_lowercase() == want);
        of_title.map(move |t| (p, t))
    });
    let fit = |t: &Table| {
        let (mut held, mut agree) = (0, 0);
        for (_, cells) in rows {
            let key = row_key(t, cells);
            if !has_row(t, &key) {
                continue;
            }
            held += 1;
            let shown = header.iter().zip(cells).skip(t.key_cols);
            agree += shown
                .filter(|(h, text)| t.find(&key, h).is_some_and(|c| same(text, c)))
                .count();
        }
        (held, agree)
    };
    named
        .fold(None, |best: Option<((&Pack, &Table), _)>, (p, t)| {
            let n = fit(t);
            match best {
                Some((_, m)) if m >= n => best,
                _ => Some(((p, t), n)),
            }
        })
        .map(|(pt, _)| pt)
}

/// A draft row's key as the table's rows give theirs.
fn row_key(t: &Table, cells: &[String]) -> String {
    let key: Vec<&str> = cells
        .iter()
        .take(t.key_cols)
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    key.join(" / ")
}

fn has_row(t: &Table, key: &str) -> bool {
    t.rows
        .iter()
        .any(|r| t.row_key(r).eq_ignore_ascii_case(key))
}

fn table(
    ix: &Index,
    packs: &[Pack],
    (place, title): (&str, &str),
    header: &[String],
    rows: &[(String, Vec<String>)],
    rep: &mut Report,
) {
    let Some((p, t)) = titled(packs, ix.own, title, (header, rows)) else {
        // No recomputed table of that title: check the figures one by one.
        for (at, cells) in rows {
            para(ix, packs, at, &cells.join(" | "), rep);
        }
        return;
    };
    // Published figures said to differ in a report none of whose figures
    // does (it has no such table): each row is another report's.
    if let Some(own) = ix.own.map(|k| &packs[k])
        && t.name == check::DIFFERENCES
        && !std::ptr::eq(own, p)
    {
        for (at, cells) in rows {
            rep.findings.push(Finding {
                place: at.clone(),
                what: "a row the table does not have",
                draft: row_key(t, cells),
                should: String::new(),
                from: format!("{}: no published figure differs", own.name),
                paragraph: excerpt(&cells.join(" | ")),
            });
        }
        return;
    }
    let missing: Vec<&String> = header
        .iter()
        .filter(|h| !t.columns.iter().any(|c| c.eq_ignore_ascii_case(h)))
        .collect();
    for h in &missing {
        rep.findings.push(Finding {
            place: place.into(),
            what: "a column the table no longer has (stale year?)",
            draft: (*h).clone(),
            should: t.columns.join(", "),
            from: format!("{} / {}", p.name, t.name),
            paragraph: excerpt(title),
        });
    }
    for (at, cells) in rows {
        let key = row_key(t, cells);
        if !has_row(t, &key) {
            rep.findings.push(Finding {
                place: at.clone(),
                what: "a row the table does not have",
                draft: key.clone(),
                should: String::new(),
                from: format!("{} / {}", p.name, t.name),
                paragraph: excerpt(&cells.join(" | ")),
            });
            continue;
        }
        for (h, text) in header.iter().zip(cells).skip(t.key_cols) {
            // A placeholder to be filled is checked as one, not as a figure.
            if fill::unclosed(text).is_some() || !fill::specs(text).is_empty() {
                placeholders(packs, at, text, rep);
                continue;
            }
            let Some(cell) = t.find(&key, h) else {
                continue;
            };
            rep.figures += usize::from(!figures::figures(text).is_empty());
            if !same(text, cell) {
                rep.findings.push(Finding {
                    place: at.clone(),
                    what: "differs from the recomputed figure",
                    draft: text.clone(),
                    should: display(&cell.value),
                    from: format!("{} / {} / {key} / {h}", p.name, t.name),
                    paragraph: excerpt(&cells.join(" | ")),
                });
            }
        }
    }
}

/// A draft cell shows the recomputed cell: the same text, or a figure that
/// rounds to it at the draft's precision.
fn same(text: &str, cell: &Cell) -> bool {
    let shown = display(&cell.value);
    if text.trim() == shown || text.trim().eq_ignore_ascii_case(shown.trim()) {
        return true;
    }
    let fs = figures::figures(text);
    match (fs.as_slice(), base(&cell.value)) {
        ([f], Some((v, _))) => f.shows(v),
        _ => false,
    }
}

/// The findings as a table, for Markdown, CSV or JSON.
pub fn report_table(rep: &Report, draft: &str) -> Table {
    let cols = [
        "Place",
        "Finding",
        "Draft says",
        "Should be",
        "From",
        "Paragraph",
    ];
    let mut t = Table::new(
        "draft-check",
        format!("Figures in {draft} against the recomputed tables"),
        &cols,
        1,
    );
    for f in &rep.findings {
        t.push(vec![
            Cell::label(&f.place),
            Cell::label(f.what),
            Cell::label(&f.draft),
            Cell::label(&f.should),
            Cell::label(&f.from),
            Cell::label(&f.paragraph),
        ]);
    }
    t.headline = format!(
        "{} figure{} read: {} finding{}; {} figure{} found in no table or commentary.",
        rep.figures,
        if rep.figures == 1 { "" } else { "s" },
        rep.findings.len(),
        if rep.findings.len() == 1 { "" } else { "s" },
        rep.not_found.len(),
        if rep.not_found.len() == 1 { "" } else { "s" },
    );
    if !rep.not_found.is_empty() {
        let list: Vec<String> = rep
            .not_found
            .iter()
            .take(20)
            .map(|(p, f)| format!("{f} ({p})"))
            .collect();
        t.notes.push(format!(
            "Not found in any table (not errors, but worth a look): {}.",
            list.join(", ")
        ));
    }
    t
}
