//! The model file walked key by key: every value read with its origin (the
//! model key, or the spreadsheet cell a `{ file, sheet, label }` or `range`
//! lookup found), every unknown key and wrong type an error naming the key.

use super::*;
use std::collections::HashMap;

pub(super) struct Reader<'a> {
    pub(super) file: String,
    /// The agreement's clause for equal shares, cited by the default basis.
    pub(super) equal_shares: Option<String>,
    pub(super) dir: PathBuf,
    pub(super) partners: Vec<String>,
    pub(super) grids: BTreeMap<(PathBuf, String), Grid>,
    /// Each key's line in the file (`key_lines`).
    pub(super) lines: HashMap<String, u32>,
    pub(super) _p: std::marker::PhantomData<&'a ()>,
}

/// A TOML file (a model, scenarios, costshare.toml); a syntax error names
/// its line and column.
pub fn toml_doc(text: &str, file: &str) -> Result<toml::Table> {
    text.parse::<toml::Table>().map_err(|e: toml::de::Error| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        Error::Model {
            file: file.to_string(),
            line: 0,
            key: format!("(line {line}, column {col})"),
            message: format!("not valid TOML: {}", e.message()),
            origin: None,
        }
    })
}

/// The line each key of a model file is on, by its path as the reader
/// names it (`savings.baseline.A`, `investment[0].amounts.<year>`): a
/// figure's origin names the line a text editor shows it on.
pub fn key_lines(text: &str) -> HashMap<String, u32> {
    use toml::de::{DeTable, DeValue};
    // Where each line ends, found once: a key's line is then a binary
    // search (counting from the start for every key was quadratic, and a
    // 2 MB file of keys took minutes).
    struct Lines(Vec<usize>);
    impl Lines {
        fn of(&self, at: usize) -> u32 {
            self.0.partition_point(|&end| end < at) as u32 + 1
        }
    }
    fn walk(t: &DeTable, prefix: &str, lines: &Lines, out: &mut HashMap<String, u32>) {
        for (k, v) in t {
            let path = match prefix {
                "" => k.get_ref().to_string(),
                p => format!("{p}.{}", k.get_ref()),
            };
            value(v, path, lines, out);
        }
    }
    fn value(
        v: &toml::Spanned<DeValue>,
        path: String,
        lines: &Lines,
        out: &mut HashMap<String, u32>,
    ) {
        out.entry(path.clone())
            .or_insert_with(|| lines.of(v.span().start));
        match v.get_ref() {
            DeValue::Table(t) => walk(t, &path, lines, out),
            DeValue::Array(a) => {
                for (i, e) in a.iter().enumerate() {
                    value(e, format!("{path}[{i}]"), lines, out);
                }
            }
            _ => {}
        }
    }
    let lines = Lines(text.match_indices('\n').map(|(i, _)| i).collect());
    let mut out = HashMap::new();
    if let Ok(doc) = DeTable::parse(text) {
        walk(doc.get_ref(), "", &lines, &mut out);
    }
    out
}

/// The line of `key` in `lines` (`key_lines`), or of the nearest table or
/// list holding it (a missing key is said where it was looked for);
/// errors quote years. 0: none.
pub(crate) fn line_near(lines: &HashMap<String, u32>, key: &str) -> u32 {
    let mut k = key.replace('"', "");
    loop {
        if let Some(&n) = lines.get(&k) {
            return n;
        }
        match k.rfind(['.', '[']) {
            Some(i) => k.truncate(i),
            None => return 0,
        }
    }
}

/// A TOML file's error placed on the line of the key it names.
pub fn located(e: Error, lines: &HashMap<String, u32>) -> Error {
    match e {
        Error::Model {
            file,
            line: 0,
            key,
            message,
            origin,
        } => Error::Model {
            line: line_near(lines, &key),
            file,
            key,
            message,
            origin,
        },
        other => other,
    }
}

/// The origin of 0-based cell (r, c) of a grid, as Excel (or an editor) shows it.
fn cell_at(g: &Grid, r: u32, c: u32) -> Origin {
    match &g.sheet {
        Some(s) => Origin::Cell {
            file: g.file.clone(),
            sheet: s.clone(),
            row: r,
            col: c,
        },
        None => Origin::Csv {
            file: g.file.clone(),
            line: r as u64 + 1,
            col: c,
        },
    }
}

/// A spreadsheet origin worth naming beside the model key; a model key is
/// already named.
pub(super) fn cell_origin(o: &Origin) -> Option<Box<Origin>> {
    match o {
        Origin::Model { .. } | Origin::Override { .. } => None,
        other => Some(Box::new(other.clone())),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn type_name(v: &T) -> &'static str {
    match v {
        T::String(_) => "a string",
        T::Integer(_) => "an integer",
        T::Float(_) => "a number",
        T::Boolean(_) => "a boolean",
        T::Datetime(_) => "a date",
        T::Array(_) => "a list",
        T::Table(_) => "a table",
    }
}

/// Why a range's row labelled a total is refused.
fn total_row(item: &str) -> String {
    format!(
        "{item:?} reads as a total row: costshare adds the items itself; end the range above it"
    )
}

/// Whether a row's amounts are, year by year, the sums of the items above
/// (to the pound).
fn sums_above(items: &[(InvestmentItem, Origin)], amounts: &[(Year, Fig)]) -> bool {
    let mut sums: std::collections::BTreeMap<Year, Decimal> = Default::default();
    for (i, _) in items {
        for (y, f) in &i.amounts {
            *sums.entry(*y).or_default() += f.value;
        }
    }
    sums.retain(|_, v| !v.is_zero());
    let mut own: std::collections::BTreeMap<Year, Decimal> = Default::default();
    for (y, f) in amounts {
        *own.entry(*y).or_default() += f.value;
    }
    own.retain(|_, v| !v.is_zero());
    // To the pound: items a workbook holds as thirds add to a penny off.
    let near = |a: Option<&Decimal>, b: Option<&Decimal>| {
        (a.copied().unwrap_or_default() - b.copied().unwrap_or_default()).abs() <= Decimal::ONE
    };
    let years: std::collections::BTreeSet<&Year> = own.keys().chain(sums.keys()).collect();
    !own.is_empty() && years.iter().all(|y| near(own.get(y), sums.get(y)))
}

/// A column of an investment range's header row.
#[derive(Clone, Copy, PartialEq)]
enum RangeCol {
    Item,
    Year(Year),
    FundedBy,
}

/// A cell above `at` (a title, a note, a heading), or before it in its row
/// (its label: "Net saving (£000)"), saying the sheet's figures are in a
/// unit ("All figures in £000s"): a figure read with no `unit` would be
/// taken as pounds, a thousandth of itself.
fn unit_said_above(g: &Grid, at: &Origin) -> Option<(Origin, String)> {
    let (before, col) = match at {
        Origin::Cell { row, col, .. } => (*row as u64, *col),
        Origin::Csv { line, col, .. } => (*line, *col),
        _ => return None,
    };
    g.rows.iter().take_while(|r| r.pos <= before).find_map(|r| {
        r.cells.iter().enumerate().find_map(|(i, c)| {
            let left = r.pos < before || (r.first_col + i as u32) < col;
            let CellValue::Text(text) = c else {
                return None;
            };
            let scale = crate::input::import::stated_unit(text).1?;
            (left && scale != Decimal::ONE).then(|| (g.origin(r, i), text.to_string()))
        })
    })
}

impl Reader<'_> {
    pub(super) fn new<'a>(text: &str, path: &Path, p: &Partnership) -> Reader<'a> {
        Reader {
            lines: key_lines(text),
            file: path.display().to_string(),
            equal_shares: p.clause("equal_shares"),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            partners: Vec::new(),
            grids: BTreeMap::new(),
            _p: std::marker::PhantomData,
        }
    }

    pub(super) fn origin(&self, key: &str) -> Origin {
        self.origin_on(key, key)
    }

    /// The origin `key` names, on the line of `line_key` (a default's, on
    /// the line of the setting it follows from).
    pub(super) fn origin_on(&self, key: &str, line_key: &str) -> Origin {
        Origin::Model {
            file: self.file.clone(),
            key: key.to_string(),
            line: self.lines.get(line_key).copied().unwrap_or(0),
        }
    }

    /// The line of `key`, or of the nearest table or list holding it (a
    /// missing key is said where it was looked for); errors quote years.
    fn line_near(&self, key: &str) -> u32 {
        line_near(&self.lines, key)
    }

    /// Refuses a control character in any key or text of the file (a
    /// `\u0001` escape): no Word document or chart can hold one, and a
    /// terminal would act on it. Line ends are refused too, but in notes.
    pub(super) fn printable(&self, t: &toml::Table, prefix: &str) -> Result<()> {
        let bad = |s: &str, lines_ok: bool| {
            s.chars()
                .find(|&c| c.is_control() && !(c == '\t' || (lines_ok && matches!(c, '\n' | '\r'))))
        };
        let said = |key: &str, c: char| {
            let what = if c == '\n' || c == '\r' {
                "a line break"
            } else {
                "a control character"
            };
            self.err(key, format!("contains {what} (U+{:04X}); write the text on one line, in printable characters", c as u32))
        };
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if let Some(c) = bad(k, false) {
                return Err(said(&key, c));
            }
            self.printable_value(v, &key, &|s: &str| bad(s, key.starts_with("notes")), &said)?;
            self.not_too_long(v, &key)?;
        }
        Ok(())
    }

    /// A name (the model's, a partner's, an item's) of at most 200
    /// characters, any other text of at most 2,000: a title holds the name,
    /// and Excel's page header 255 characters, its cells 32,767.
    fn not_too_long(&self, v: &T, key: &str) -> Result<()> {
        let name = key == "name" || key == "partners" || key.ends_with(".item") || key == "item";
        let most = if name { 200 } else { 2_000 };
        let long = |s: &str| s.chars().count() > most;
        let too = match v {
            T::String(s) => long(s),
            T::Array(a) => a.iter().any(|x| x.as_str().is_some_and(long)),
            _ => false,
        };
        match too {
            true => Err(self.err(key, format!("is over {most} characters; shorten it"))),
            false => Ok(()),
        }
    }

    fn printable_value(
        &self,
        v: &T,
        key: &str,
        bad: &dyn Fn(&str) -> Option<char>,
        said: &dyn Fn(&str, char) -> Error,
    ) -> Result<()> {
        match v {
            T::String(s) => bad(s).map_or(Ok(()), |c| Err(said(key, c))),
            T::Table(t) => self.printable(t, key),
            T::Array(a) => a
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| self.printable_value(x, &format!("{key}[{i}]"), bad, said)),
            _ => Ok(()),
        }
    }

    pub(super) fn err(&self, key: &str, msg: impl Into<String>) -> Error {
        Error::Model {
            file: self.file.clone(),
            line: self.line_near(key),
            key: key.to_string(),
            message: msg.into(),
            origin: None,
        }
    }

    pub(super) fn err_at(&self, key: &str, msg: impl Into<String>, origin: &Origin) -> Error {
        Error::Model {
            file: self.file.clone(),
            line: self.line_near(key),
            key: key.to_string(),
            message: msg.into(),
            origin: cell_origin(origin),
        }
    }

    pub(super) fn unknown_keys(
        &self,
        t: &toml::Table,
        prefix: &str,
        allowed: &[&str],
    ) -> Result<()> {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                return Err(self.err(
                    &key,
                    format!("unknown key; expected one of {}", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn req_str(&self, t: &toml::Table, key: &str) -> Result<String> {
        match t.get(key) {
            Some(T::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(v) => Err(self.err(
                key,
                format!("expected a non-empty string, found {}", type_name(v)),
            )),
            None => Err(self.err(key, "missing; it is required")),
        }
    }

    pub(super) fn partners(&self, t: &toml::Table) -> Result<Vec<String>> {
        let Some(v) = t.get("partners") else {
            return Err(self.err(
                "partners",
                "missing; expected a list such as [\"ABC\", \"DEF\", \"GHI\"]",
            ));
        };
        let T::Array(a) = v else {
            return Err(self.err(
                "partners",
                format!("expected a list of names, found {}", type_name(v)),
            ));
        };
        // England has 317 councils; a partnership of more is a forged file,
        // and partner lookups are by list.
        if a.len() > MAX_PARTNERS {
            return Err(self.err(
                "partners",
                format!("{} partners; at most {MAX_PARTNERS}", a.len()),
            ));
        }
        let mut out: Vec<String> = Vec::new();
        for (i, p) in a.iter().enumerate() {
            let Some(s) = p.as_str().map(str::trim).filter(|s| !s.is_empty()) else {
                return Err(self.err(&format!("partners[{i}]"), "expected a partner name"));
            };
            let fold = crate::base::text::fold;
            if out.iter().any(|o| fold(o) == fold(s)) {
                return Err(self.err(
                    &format!("partners[{i}]"),
                    format!("partner {s} is listed twice"),
                ));
            }
            out.push(s.to_string());
        }
        if out.is_empty() {
            return Err(self.err("partners", "is empty; expected at least one partner"));
        }
        Ok(out)
    }

    pub(super) fn year_of(&self, s: &str, key: &str) -> Result<Year> {
        Year::parse(s).ok_or_else(|| {
            self.err(
                key,
                format!("expected a financial year such as \"2019/20\" (1900/01 to 2199/00), found {s:?}"),
            )
        })
    }

    pub(super) fn opt_year(&self, t: &toml::Table, key: &str) -> Result<Option<Sourced<Year>>> {
        match t.get(key) {
            None => Ok(None),
            Some(T::String(s)) => Ok(Some(Sourced::new(self.year_of(s, key)?, self.origin(key)))),
            Some(v) => Err(self.err(
                key,
                format!(
                    "expected a financial year such as \"2019/20\" (1900/01 to 2199/00), found {}",
                    type_name(v)
                ),
            )),
        }
    }

    /// The grid of a spreadsheet named by a `{ file, sheet }` reference.
    pub(super) fn grid(&mut self, file: &str, sheet: Option<&str>, key: &str) -> Result<Grid> {
        // Relative to the model file that names it; else (as older models
        // were written) to the folder costshare runs in.
        let mut p = self.dir.join(file);
        if !p.exists() {
            let alt = PathBuf::from(file);
            if alt.exists() {
                p = alt;
            }
        }
        self.allowed(&p, key)?;
        let cache_key = (p.clone(), sheet.unwrap_or("").to_string());
        if let Some(g) = self.grids.get(&cache_key) {
            return Ok(g.clone());
        }
        let grids = import::read_file(&p, sheet)
            .map_err(|e| self.err(key, format!("cannot import: {e}")))?;
        let g = grids
            .into_iter()
            .next()
            .ok_or_else(|| self.err(key, "the file has no sheets"))?;
        g.usable()
            .map_err(|e| self.err(key, format!("cannot import: {e}")))?;
        if g.hidden {
            // Hidden sheets hold workings and superseded figures as often as
            // real ones: read it, but say so.
            eprintln!(
                "costshare: warning: {}, key {key}: reads {}, a hidden sheet",
                self.file,
                g.place()
            );
        }
        self.grids.insert(cache_key, g.clone());
        Ok(g)
    }

    /// The file rule: a model reads files under its own folder or the
    /// folder costshare runs in, so a model received from elsewhere cannot
    /// read (and echo) any file on the machine. `--files-anywhere` lifts it.
    pub(super) fn allowed(&self, p: &Path, key: &str) -> Result<()> {
        if FILES_ANYWHERE.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let Ok(real) = p.canonicalize() else {
            return Ok(()); // missing: reading it says so, naming the file
        };
        let roots = [std::env::current_dir().ok(), Some(self.dir.clone())];
        let inside = roots
            .iter()
            .flatten()
            .filter_map(|r| r.canonicalize().ok())
            .any(|r| real.starts_with(r));
        if inside {
            return Ok(());
        }
        Err(self.err(
            &format!("{key}.file"),
            format!(
                "{} is outside the model's folder and the folder costshare runs in; \
                 copy it beside the model, or run with --files-anywhere if you trust the model",
                p.display()
            ),
        ))
    }

    /// Cells of a `{ file, sheet, range }` reference, row by row, with
    /// origins; or the one cell found by `{ file, sheet, row, column }`
    /// labels. Figures are converted to pounds by the reference's `unit`.
    pub(super) fn range_cells(
        &mut self,
        t: &toml::Table,
        key: &str,
    ) -> Result<Vec<Vec<(CellValue, Origin)>>> {
        self.unknown_keys(t, key, super::keys::CELL_REF)?;
        let file = t
            .get("file")
            .and_then(T::as_str)
            .ok_or_else(|| {
                self.err(
                    &format!("{key}.file"),
                    "missing; expected the spreadsheet's path",
                )
            })?
            .to_string();
        let sheet = t.get("sheet").and_then(T::as_str).map(str::to_string);
        let scale = self.unit_scale(t, key)?;
        let g = self.grid(&file, sheet.as_deref(), key)?;
        let mut rows = if t.contains_key("row") || t.contains_key("column") {
            vec![vec![self.by_label(&g, t, key)?]]
        } else {
            self.by_range(&g, t, key)?
        };
        if !t.contains_key("unit")
            && let Some(first) = rows.first().and_then(|r| r.first())
            && let Some((o, text)) = unit_said_above(&g, &first.1)
        {
            return Err(self.err_at(
                &format!("{key}.unit"),
                format!(
                    "{o} says {text:?}: give unit = \"£000\" (or the unit it says) so the figures are read in it, or unit = \"£\" if they are pounds"
                ),
                &first.1,
            ));
        }
        if scale != Decimal::ONE {
            for (v, o) in rows.iter_mut().flatten() {
                let d = match v {
                    CellValue::Number(d) => *d,
                    CellValue::Text(s) => match money::parse_amount(s) {
                        Ok(Amount::Value(d)) => d,
                        _ => continue,
                    },
                    _ => continue,
                };
                let scaled = d
                    .checked_mul(scale)
                    .ok_or_else(|| self.err_at(key, format!("{d} × {scale} is too large"), o))?;
                *v = CellValue::Number(scaled);
            }
        }
        Ok(rows)
    }

    /// `unit = "£000"` (thousands, as government returns are), "£m", "£".
    pub(super) fn unit_scale(&self, t: &toml::Table, key: &str) -> Result<Decimal> {
        let Some(u) = t.get("unit") else {
            return Ok(Decimal::ONE);
        };
        match u.as_str().and_then(money::unit_scale) {
            Some(scale) => Ok(scale),
            None => Err(self.err(
                &format!("{key}.unit"),
                format!("expected \"£\", \"£000\" or \"£m\", found {}", describe(u)),
            )),
        }
    }

    pub(super) fn by_range(
        &self,
        g: &Grid,
        t: &toml::Table,
        key: &str,
    ) -> Result<Vec<Vec<(CellValue, Origin)>>> {
        let range_s = t.get("range").and_then(T::as_str).ok_or_else(|| {
            self.err(
                &format!("{key}.range"),
                "missing; expected a range such as \"B2:D4\", or row and column labels",
            )
        })?;
        let ((r1, c1), (r2, c2)) = parse_range(range_s).ok_or_else(|| {
            self.err(
                &format!("{key}.range"),
                format!("expected a range such as \"B2:D4\", found {range_s:?}"),
            )
        })?;
        if (r2 - r1 + 1) as u64 * (c2 - c1 + 1) as u64 > 100_000 {
            return Err(self.err(
                &format!("{key}.range"),
                "range is larger than 100,000 cells",
            ));
        }
        let mut rows = Vec::new();
        for r in r1..=r2 {
            // Rows are in order: a binary search, not a scan per row.
            let want = match &g.sheet {
                Some(_) => r as u64,
                None => r as u64 + 1,
            };
            let grow = g
                .rows
                .binary_search_by_key(&want, |gr| gr.pos)
                .ok()
                .map(|i| &g.rows[i]);
            let mut cells = Vec::new();
            for c in c1..=c2 {
                let v = grow
                    .and_then(|gr| c.checked_sub(gr.first_col))
                    .and_then(|i| grow?.cells.get(i as usize))
                    .cloned()
                    .unwrap_or(CellValue::Empty);
                cells.push((v, cell_at(g, r, c)));
            }
            rows.push(cells);
        }
        Ok(rows)
    }

    /// The cell in the row whose label is `row` and the column headed
    /// `column`: rows move between years, labels do not.
    pub(super) fn by_label(
        &self,
        g: &Grid,
        t: &toml::Table,
        key: &str,
    ) -> Result<(CellValue, Origin)> {
        let get = |k: &str| {
            t.get(k)
                .and_then(T::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    self.err(
                        &format!("{key}.{k}"),
                        "missing; a lookup by label names both row and column",
                    )
                })
        };
        let (row, column) = (get("row")?, get("column")?);
        let matches = |c: &CellValue, want: &str| {
            matches!(
                c,
                CellValue::Text(_) | CellValue::Number(_) | CellValue::Date(_)
            ) && crate::input::import::header_key(&c.display())
                == crate::input::import::header_key(want)
        };
        let places = |found: &[(usize, u32)]| -> String {
            found
                .iter()
                .take(5)
                .map(|&(i, c)| where_(&cell_at(g, g.rows[i].pos as u32, c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut row_hits: Vec<(usize, u32)> = Vec::new();
        let mut col_hits: Vec<(usize, u32)> = Vec::new();
        for (i, r) in g.rows.iter().enumerate() {
            for (j, c) in r.cells.iter().enumerate() {
                let col = r.first_col + j as u32;
                if matches(c, &row) && !row_hits.iter().any(|h| h.0 == i) {
                    row_hits.push((i, col));
                }
                if matches(c, &column) {
                    col_hits.push((i, col));
                }
            }
        }
        let one =
            |hits: &[(usize, u32)], what: &str, label: &str, k: &str| -> Result<(usize, u32)> {
                match hits {
                [h] => Ok(*h),
                [] => Err(self.err(
                    &format!("{key}.{k}"),
                    format!("no {what} labelled {label:?} in {}", g.place()),
                )),
                _ => Err(self.err(
                    &format!("{key}.{k}"),
                    format!(
                        "{} {what}s are labelled {label:?} ({}); the lookup must find exactly one",
                        hits.len(),
                        places(hits)
                    ),
                )),
            }
            };
        let (ri, _) = one(&row_hits, "row", &row, "row")?;
        // Column headings above the row; the same heading in several places
        // of one column is one column.
        let mut cols: Vec<(usize, u32)> = col_hits.into_iter().filter(|h| h.0 < ri).collect();
        cols.dedup_by_key(|h| h.1);
        let mut distinct = cols.clone();
        distinct.sort_by_key(|h| h.1);
        distinct.dedup_by_key(|h| h.1);
        let (_, c) = one(&distinct, "column", &column, "column")?;
        let r = &g.rows[ri];
        let v = c
            .checked_sub(r.first_col)
            .and_then(|i| r.cells.get(i as usize))
            .cloned()
            .unwrap_or(CellValue::Empty);
        let row_num = match &g.sheet {
            Some(_) => r.pos as u32,
            None => r.pos.saturating_sub(1) as u32,
        };
        Ok((v, cell_at(g, row_num, c)))
    }

    pub(super) fn cell_fig(&self, v: &CellValue, origin: &Origin, key: &str) -> Result<Fig> {
        match import::cell_amount(v, || origin.clone()) {
            Ok(Amount::Value(d)) => Ok(Fig::new(d, origin.clone())),
            Ok(_) => Err(self.err_at(
                key,
                format!("expected a number at {origin}, found {:?}", v.display()),
                origin,
            )),
            Err(Error::Cell {
                expected, found, ..
            }) => Err(self.err_at(key, format!("expected {expected}, found {found}"), origin)),
            Err(e) => Err(self.err_at(key, e.to_string(), origin)),
        }
    }

    /// A number: inline (integer, float or money text such as "£1,234.56")
    /// or a one-cell range (or a summed range with aggregate = "sum").
    pub(super) fn scalar(&mut self, v: &T, key: &str) -> Result<Fig> {
        let f = self.scalar_any(v, key)?;
        if f.value.abs() > money::MAX_AMOUNT {
            return Err(self.err_at(
                key,
                format!(
                    "{} is too large; figures are at most 1,000,000,000,000,000",
                    f.value
                ),
                &f.origin,
            ));
        }
        Ok(f)
    }

    pub(super) fn scalar_any(&mut self, v: &T, key: &str) -> Result<Fig> {
        let o = self.origin(key);
        match v {
            T::Integer(i) => Ok(Fig::new(Decimal::from(*i), o)),
            // TOML floats arrive as f64; the shortest round-trip text gives
            // back exactly what was typed (3.5, 0.3).
            T::Float(f) => money::decimal_from_f64(*f)
                .map(|d| Fig::new(d, o))
                .ok_or_else(|| self.err(key, "expected a finite number")),
            T::String(s) => match money::parse_amount(s) {
                Ok(Amount::Value(d)) => Ok(Fig::new(d, o)),
                // A number past the limit is said to be so, not no number.
                Err(e) if e.reason.starts_with("too large") => Err(self.err(
                    key,
                    format!("{s:?} is too large; figures are at most 1,000,000,000,000,000"),
                )),
                Ok(_) | Err(_) => money::parse_percent(s)
                    .filter(|_| s.trim_end().ends_with('%'))
                    .map(|d| Fig::new(d, o.clone()))
                    .ok_or_else(|| self.err(key, format!("expected a number, found {s:?}"))),
            },
            T::Table(t) if (t.contains_key("range") || t.contains_key("row")) => {
                let cells = self.range_cells(t, key)?;
                let flat: Vec<&(CellValue, Origin)> = cells.iter().flatten().collect();
                let sum = t.get("aggregate").and_then(T::as_str) == Some("sum");
                if flat.len() == 1 {
                    self.cell_fig(&flat[0].0, &flat[0].1, key)
                } else if sum {
                    let blanks = t.get("blanks").and_then(T::as_str).unwrap_or("error");
                    if !matches!(blanks, "error" | "zero") {
                        return Err(self.err(
                            &format!("{key}.blanks"),
                            format!("expected \"error\" (a blank cell is a mistake) or \"zero\" (a blank cell adds nothing), found {blanks:?}"),
                        ));
                    }
                    let mut total = Decimal::ZERO;
                    for (c, o) in &flat {
                        let blank = matches!(
                            import::cell_amount(c, || o.clone()),
                            Ok(Amount::Blank | Amount::NotApplicable(_))
                        );
                        if blank && blanks == "zero" {
                            continue;
                        }
                        total = total
                            .checked_add(self.cell_fig(c, o, key)?.value)
                            .ok_or_else(|| self.err_at(key, "the sum is too large", o))?;
                    }
                    // Traced to every cell summed, not the first alone.
                    let parts = flat.iter().map(|(_, o)| o.clone()).collect();
                    Ok(Fig::new(total, Origin::Sum { parts }))
                } else {
                    Err(self.err(key, format!("expected one cell, but the range has {}; add aggregate = \"sum\" to add them up", flat.len())))
                }
            }
            other => Err(self.err(
                key,
                format!("expected a number, found {}", type_name(other)),
            )),
        }
    }

    /// A rate in percent, from 0 to 1,000.
    pub(super) fn percent(&mut self, v: &T, key: &str, what: &str) -> Result<Fig> {
        let f = self.nonneg(v, key, what)?;
        if f.value > Decimal::from(1_000) {
            return Err(self.err(
                key,
                format!("expected {what}, at most 1000, found {}", f.value),
            ));
        }
        Ok(f)
    }

    pub(super) fn nonneg(&mut self, v: &T, key: &str, what: &str) -> Result<Fig> {
        let f = self
            .scalar(v, key)
            .map_err(|_| self.err(key, format!("expected {what}, found {}", describe(v))))?;
        if f.value.is_sign_negative() && !f.value.is_zero() {
            return Err(self.err(
                key,
                format!("expected {what} (zero or more), found {}", f.value),
            ));
        }
        Ok(f)
    }

    /// label → number, inline (`{ ABC = 1 }`) or from a two-column (label,
    /// value) or two-row range.
    pub(super) fn label_map(
        &mut self,
        v: &T,
        key: &str,
        order: Option<&[String]>,
    ) -> Result<Vec<(String, Fig)>> {
        match v {
            T::Table(t) if t.contains_key("range") => {
                let cells = self.range_cells(t, key)?;
                // One column (or row) of values: the partners in the model's order.
                let single_line = cells.len() == 1 || cells.iter().all(|r| r.len() == 1);
                if let (true, Some(names)) = (single_line, order) {
                    let flat: Vec<(CellValue, Origin)> = cells.into_iter().flatten().collect();
                    if flat.len() != names.len() {
                        return Err(self.err(&format!("{key}.range"), format!(
                            "has {} cells but the model has {} partners; give one value per partner, in the order {}",
                            flat.len(), names.len(), names.join(", ")
                        )));
                    }
                    let mut out = Vec::new();
                    for ((v, o), n) in flat.iter().zip(names) {
                        out.push((n.clone(), self.cell_fig(v, o, key)?));
                    }
                    return Ok(out);
                }
                let pairs: Vec<((CellValue, Origin), (CellValue, Origin))> =
                    if cells.first().is_some_and(|r| r.len() == 2) {
                        cells
                            .into_iter()
                            .map(|r| {
                                let mut it = r.into_iter();
                                (
                                    it.next().unwrap_or((CellValue::Empty, self.origin(key))),
                                    it.next().unwrap_or((CellValue::Empty, self.origin(key))),
                                )
                            })
                            .collect()
                    } else if cells.len() == 2 {
                        let (a, b) = (cells[0].clone(), cells[1].clone());
                        a.into_iter().zip(b).collect()
                    } else {
                        return Err(self.err(
                            &format!("{key}.range"),
                            "expected two columns (label, value) or two rows (labels, values)",
                        ));
                    };
                let mut out = Vec::new();
                for ((l, lo), (v, vo)) in pairs {
                    let label = l.display().trim().to_string();
                    if label.is_empty() {
                        return Err(self.err_at(
                            key,
                            format!("expected a label at {lo}, found a blank cell"),
                            &lo,
                        ));
                    }
                    out.push((label, self.cell_fig(&v, &vo, key)?));
                }
                Ok(out)
            }
            T::Table(t) => {
                let mut out = Vec::new();
                for (k, val) in t {
                    let sub = format!("{key}.{k}");
                    out.push((k.clone(), self.scalar(val, &sub)?));
                }
                Ok(out)
            }
            other => Err(self.err(
                key,
                format!(
                    "expected a table such as {{ ABC = 1000 }}, found {}",
                    type_name(other)
                ),
            )),
        }
    }

    pub(super) fn partner_map(&mut self, v: &T, key: &str) -> Result<Vec<(String, Fig)>> {
        let names = self.partners.clone();
        let m = self.label_map(v, key, Some(&names))?;
        let mut out: Vec<(String, Fig)> = Vec::new();
        for (k, f) in m {
            let fold = crate::base::text::fold;
            let Some(p) = self.partners.iter().find(|p| fold(p) == fold(&k)) else {
                return Err(self.err_at(
                    &format!("{key}.{k}"),
                    format!(
                        "unknown partner {k:?}; the model's partners are {}",
                        self.partners.join(", ")
                    ),
                    &f.origin,
                ));
            };
            if out.iter().any(|(q, _)| q == p) {
                return Err(self.err_at(
                    &format!("{key}.{k}"),
                    format!("partner {p} is given twice"),
                    &f.origin,
                ));
            }
            out.push((p.clone(), f));
        }
        // Partner order, so tables follow the model's list.
        out.sort_by_key(|(p, _)| self.partners.iter().position(|q| q == p));
        Ok(out)
    }

    pub(super) fn year_map(&mut self, v: &T, key: &str) -> Result<Vec<(Year, Fig)>> {
        let m = self.label_map(v, key, None)?;
        let mut out: Vec<(Year, Fig)> = Vec::new();
        for (k, f) in m {
            let y = Year::parse(&k).ok_or_else(|| {
                self.err_at(
                    &format!("{key}.\"{k}\""),
                    format!("expected a financial year such as \"2019/20\" (1900/01 to 2199/00), found {k:?}"),
                    &f.origin,
                )
            })?;
            if out.iter().any(|(q, _)| *q == y) {
                return Err(self.err(
                    &format!("{key}.\"{k}\""),
                    format!("year {y} is given twice"),
                ));
            }
            out.push((y, f));
        }
        out.sort_by_key(|(y, _)| *y);
        Ok(out)
    }

    /// Shares by year (1 = all of it): a percentage written as one ("50%")
    /// is that share (0.5), and a share is at most 2, so 50 meaning 50 %
    /// is not taken as fifty times the savings.
    fn shares(&mut self, v: &T, key: &str) -> Result<Vec<(Year, Fig)>> {
        let mut m = self.year_map(v, key)?;
        for (y, f) in &mut m {
            let written = v.get(y.to_string()).or_else(|| {
                v.as_table()?
                    .iter()
                    .find(|(k, _)| Year::parse(k) == Some(*y))
                    .map(|(_, x)| x)
            });
            if written
                .and_then(T::as_str)
                .is_some_and(|s| s.trim_end().ends_with('%'))
            {
                f.value /= Decimal::ONE_HUNDRED;
            }
            if f.value > Decimal::TWO {
                return Err(self.err_at(
                    &format!("{key}.\"{y}\""),
                    format!(
                        "is {}: a share is 1 for all of it (0.7, or \"70%\", for 70 %), at most 2",
                        f.value.normalize()
                    ),
                    &f.origin,
                ));
            }
        }
        Ok(m)
    }

    pub(super) fn investment(&mut self, v: &T) -> Result<Vec<InvestmentItem>> {
        match v {
            T::Array(items) => {
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    let key = format!("investment[{i}]");
                    let T::Table(t) = it else {
                        return Err(self.err(&key, "expected a table with item and amounts"));
                    };
                    self.unknown_keys(t, &key, super::keys::INVESTMENT)?;
                    let item = match t.get("item") {
                        Some(T::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
                        _ => {
                            return Err(self
                                .err(&format!("{key}.item"), "missing; expected the item's name"));
                        }
                    };
                    // The investment table closes on its own Total row: an
                    // item so named reads as it (check-draft mixed the two).
                    let totals = crate::input::import::TOTAL_WORDS;
                    if totals.iter().any(|w| item.eq_ignore_ascii_case(w)) {
                        return Err(self.err(
                            &format!("{key}.item"),
                            format!("{item:?} reads as the investment table's own total row; name the item for what it is"),
                        ));
                    }
                    // Scenarios and ranges address an item by its name.
                    if let Some(j) = out
                        .iter()
                        .position(|o: &InvestmentItem| o.item.to_lowercase() == item.to_lowercase())
                    {
                        return Err(self.err(
                            &format!("{key}.item"),
                            format!(
                                "{item:?} is also investment[{j}]'s name; give each item its own"
                            ),
                        ));
                    }
                    let amounts = match t.get("amounts") {
                        Some(a) => self.year_map(a, &format!("{key}.amounts"))?,
                        None => {
                            return Err(self.err(
                                &format!("{key}.amounts"),
                                "missing; expected { \"2019/20\" = 117000 }",
                            ));
                        }
                    };
                    let funded_by = t.get("funded_by").and_then(T::as_str).map(str::to_string);
                    let external = match t.get("external") {
                        None => false,
                        Some(T::Boolean(b)) if !*b || funded_by.is_some() => *b,
                        Some(_) => {
                            return Err(self.err(
                                &format!("{key}.external"),
                                "expected true (with funded_by naming the outside funder) or false",
                            ));
                        }
                    };
                    let basis = match t.get("basis") {
                        None => None,
                        Some(T::String(b)) => Some(Sourced::new(
                            Basis::named(b),
                            self.origin(&format!("{key}.basis")),
                        )),
                        Some(_) => {
                            return Err(self.err(
                                &format!("{key}.basis"),
                                "expected a basis in quotes: equal, baseline, population, weights or an activity driver",
                            ));
                        }
                    };
                    out.push(InvestmentItem {
                        item,
                        amounts,
                        funded_by,
                        external,
                        basis,
                    });
                }
                Ok(out)
            }
            T::Table(t) if t.contains_key("range") => self.investment_range(t),
            other => Err(self.err(
                "investment",
                format!(
                    "expected [[investment]] items or a {{ file, sheet, range }} table, found {}",
                    type_name(other)
                ),
            )),
        }
    }

    /// An investment table from a spreadsheet: header row "item", years…,
    /// optionally "funded_by"; one row per item; blank cells have no amount.
    pub(super) fn investment_range(&mut self, t: &toml::Table) -> Result<Vec<InvestmentItem>> {
        let key = "investment";
        let cells = self.range_cells(t, key)?;
        let Some((header, rows)) = cells.split_first() else {
            return Err(self.err(key, "the range is empty"));
        };
        let cols = self.range_header(header, key)?;
        let mut out: Vec<(InvestmentItem, Origin)> = Vec::new();
        for row in rows {
            if row.iter().all(|(v, _)| v.is_empty()) {
                continue;
            }
            let (mut item, mut amounts, mut funded_by) = (None, Vec::new(), None);
            for ((v, o), c) in row.iter().zip(&cols) {
                match c {
                    RangeCol::Item => item = Some(self.range_item(v, o, &out, key)?),
                    RangeCol::FundedBy => {
                        let s = v.display().trim().to_string();
                        funded_by = (!s.is_empty()).then_some(s);
                    }
                    RangeCol::Year(y) if !v.is_empty() => {
                        amounts.push((*y, self.cell_fig(v, o, key)?));
                    }
                    RangeCol::Year(_) => {}
                }
            }
            // The header has an item column, so every row gave a name.
            let Some((item, at)) = item else { continue };
            // "Total investment" with the items' sums is their total.
            if crate::input::import::is_total_label_bytes(item.as_bytes())
                && sums_above(&out, &amounts)
            {
                return Err(self.err_at(key, total_row(&item), &at));
            }
            // A note under the items ("* provisional figures") was an item of £0.
            if amounts.is_empty() {
                return Err(self.err_at(key, format!(
                    "{item:?} has no amount in any year: a note? End the range above it, or give the item 0"
                ), &at));
            }
            let item = InvestmentItem {
                item,
                amounts,
                funded_by,
                external: false,
                basis: None,
            };
            out.push((item, at));
        }
        Ok(out.into_iter().map(|(i, _)| i).collect())
    }

    /// The columns of an investment range's header row: "item", years and
    /// "funded_by", each once (a year twice showed one cell and added both).
    fn range_header(&self, header: &[(CellValue, Origin)], key: &str) -> Result<Vec<RangeCol>> {
        let mut cols: Vec<(RangeCol, &Origin)> = Vec::new();
        for (v, o) in header {
            let h = v.display().trim().to_string();
            let col = if h.eq_ignore_ascii_case("item") {
                RangeCol::Item
            } else if h.eq_ignore_ascii_case("funded_by") {
                RangeCol::FundedBy
            } else if let Some(y) = Year::parse(&h) {
                RangeCol::Year(y)
            } else {
                return Err(self.err_at(key, format!("header {h:?} at {o} is not \"item\", a financial year such as 2019/20, or \"funded_by\""), o));
            };
            if let Some((_, first)) = cols.iter().find(|(c, _)| *c == col) {
                let what = match col {
                    RangeCol::Year(y) => format!("year {y}"),
                    RangeCol::Item => "\"item\"".into(),
                    RangeCol::FundedBy => "\"funded_by\"".into(),
                };
                return Err(self.err_at(
                    key,
                    format!(
                        "the header gives {what} twice (first at {first}): give each column once"
                    ),
                    o,
                ));
            }
            cols.push((col, o));
        }
        if !cols.iter().any(|(c, _)| *c == RangeCol::Item) {
            return Err(self.err(
                key,
                format!(
                    "the range's header row (at {}) has no \"item\" column",
                    header[0].1
                ),
            ));
        }
        Ok(cols.into_iter().map(|(c, _)| c).collect())
    }

    /// An investment range's item name, with its cell: neither blank, nor a
    /// total row (the table's own Total counted again, doubling the case),
    /// nor an earlier item's name.
    fn range_item(
        &self,
        v: &CellValue,
        o: &Origin,
        before: &[(InvestmentItem, Origin)],
        key: &str,
    ) -> Result<(String, Origin)> {
        let s = v.display().trim().to_string();
        if s.is_empty() {
            return Err(self.err_at(
                key,
                format!("expected an item name at {o}, found a blank cell"),
                o,
            ));
        }
        // "Total", "Net total", "Subtotal": a total row whatever its figures
        // ("Total Mobile licences" is an item, unless it sums those above).
        let exact = crate::input::import::TOTAL_WORDS
            .iter()
            .any(|w| s.eq_ignore_ascii_case(w));
        if exact || crate::input::import::names_a_total(s.as_bytes()) {
            return Err(self.err_at(key, total_row(&s), o));
        }
        // Scenarios and ranges name an item, case aside.
        if let Some((i, first)) = before
            .iter()
            .find(|(i, _)| i.item.to_lowercase() == s.to_lowercase())
        {
            return Err(self.err_at(
                key,
                format!(
                    "{s:?} is also the item {:?} at {first}; give each item its own name",
                    i.item
                ),
                o,
            ));
        }
        Ok((s, o.clone()))
    }

    pub(super) fn savings(&mut self, v: &T) -> Result<Savings> {
        let T::Table(t) = v else {
            return Err(self.err("savings", "expected a [savings] table"));
        };
        self.unknown_keys(t, "savings", super::keys::SAVINGS)?;
        let key = "savings.shared_service_cost";
        let shared_service_cost = match t.get("shared_service_cost") {
            None => None,
            Some(v) if is_map(v) => Some(SharedCost::PerPartner(self.partner_map(v, key)?)),
            Some(v) => Some(SharedCost::Total(self.nonneg(
                v,
                key,
                "an amount in pounds",
            )?)),
        };
        let baseline = match t.get("baseline") {
            None => Vec::new(),
            Some(v) => self.partner_map(v, "savings.baseline")?,
        };
        let already_budgeted = match t.get("already_budgeted") {
            None => Vec::new(),
            Some(v) => self.partner_map(v, "savings.already_budgeted")?,
        };
        let net_saving_per_annum = match t.get("net_saving_per_annum") {
            None => None,
            Some(v) => Some(self.scalar(v, "savings.net_saving_per_annum")?),
        };
        let start_year = match t.get("start_year") {
            None => None,
            Some(T::String(s)) => Some(Sourced::new(
                self.year_of(s, "savings.start_year")?,
                self.origin("savings.start_year"),
            )),
            Some(v) => {
                return Err(self.err(
                    "savings.start_year",
                    format!(
                        "expected a financial year such as \"2019/20\" (1900/01 to 2199/00), found {}",
                        type_name(v)
                    ),
                ));
            }
        };
        let realisation = match t.get("realisation") {
            None => Vec::new(),
            Some(v) => self.shares(v, "savings.realisation")?,
        };
        let budget_year = t.get("budget_year").and_then(T::as_str).map(str::to_string);
        if shared_service_cost.is_none() && net_saving_per_annum.is_none() {
            return Err(self.err(
                "savings.shared_service_cost",
                "missing; give the shared service's cost (or net_saving_per_annum)",
            ));
        }
        if shared_service_cost.is_some() {
            for p in self.partners.clone() {
                if !baseline.iter().any(|(q, _)| *q == p) {
                    return Err(self.err(
                        "savings.baseline",
                        format!("missing the baseline budget of partner {p}"),
                    ));
                }
            }
        }
        Ok(Savings {
            shared_service_cost,
            baseline,
            already_budgeted,
            net_saving_per_annum,
            start_year,
            realisation,
            budget_year,
        })
    }

    pub(super) fn apportionment(&mut self, v: Option<&T>) -> Result<Apportionment> {
        let default = Apportionment {
            basis: Sourced::new(
                Basis::Equal,
                self.origin(&match &self.equal_shares {
                    Some(c) => format!("apportionment.basis (default: equal shares, {c})"),
                    None => "apportionment.basis (default: equal shares)".into(),
                }),
            ),
            weights: Vec::new(),
            joins: Vec::new(),
            drivers: Vec::new(),
            running_basis: None,
            joining_fee: Vec::new(),
            leaves: Vec::new(),
            exit_cost: Vec::new(),
        };
        let Some(v) = v else { return Ok(default) };
        let T::Table(t) = v else {
            return Err(self.err("apportionment", "expected an [apportionment] table"));
        };
        self.unknown_keys(t, "apportionment", super::keys::APPORTIONMENT)?;
        let basis = match t.get("basis") {
            None => default.basis,
            Some(T::String(s)) => Sourced::new(Basis::named(s), self.origin("apportionment.basis")),
            Some(v) => {
                return Err(self.err(
                    "apportionment.basis",
                    format!(
                        "expected equal, baseline, population or weights, found {}",
                        type_name(v)
                    ),
                ));
            }
        };
        let weights = match t.get("weights") {
            None => Vec::new(),
            Some(v) => self.partner_map(v, "apportionment.weights")?,
        };
        let joins = self.joins_or_leaves(t.get("joins"), "joins")?;
        let drivers = self.drivers(t.get("drivers"))?;
        let running_basis = match t.get("running_basis") {
            None => None,
            Some(T::String(s)) => Some(Sourced::new(
                Basis::named(s),
                self.origin("apportionment.running_basis"),
            )),
            Some(_) => {
                return Err(self.err(
                    "apportionment.running_basis",
                    "expected a basis in quotes: equal, baseline, population, weights or an activity driver",
                ));
            }
        };
        let joining_fee = match t.get("joining_fee") {
            None => Vec::new(),
            Some(v) => self.partner_map(v, "apportionment.joining_fee")?,
        };
        let leaves = self.joins_or_leaves(t.get("leaves"), "leaves")?;
        if let Some((p, _)) = leaves.iter().find(|(_, y)| y.value.is_none()) {
            return Err(self.err(
                &format!("apportionment.leaves.{p}"),
                "expected the financial year it leaves, such as \"2032/33\"",
            ));
        }
        let exit_cost = match t.get("exit_cost") {
            None => Vec::new(),
            Some(v) => self.partner_map(v, "apportionment.exit_cost")?,
        };
        Ok(Apportionment {
            basis,
            weights,
            joins,
            drivers,
            running_basis,
            joining_fee,
            leaves,
            exit_cost,
        })
    }

    /// `apportionment.joins` (or `leaves`): partner → a year, or "never".
    fn joins_or_leaves(
        &mut self,
        j: Option<&T>,
        what: &str,
    ) -> Result<Vec<(String, Sourced<Option<Year>>)>> {
        let mut joins = Vec::new();
        if let Some(j) = j {
            let T::Table(jt) = j else {
                return Err(self.err(
                    &format!("apportionment.{what}"),
                    "expected a table such as { DEF = \"2019/20\" }",
                ));
            };
            for (k, y) in jt {
                let key = format!("apportionment.{what}.{k}");
                let Some(p) = self
                    .partners
                    .iter()
                    .find(|p| crate::base::text::fold(p) == crate::base::text::fold(k))
                    .cloned()
                else {
                    return Err(self.err(
                        &key,
                        format!(
                            "unknown partner {k:?}; the model's partners are {}",
                            self.partners.join(", ")
                        ),
                    ));
                };
                let Some(ys) = y.as_str() else {
                    return Err(self.err(
                        &key,
                        "expected a financial year such as \"2019/20\", or \"never\"",
                    ));
                };
                let year = match ys.trim().eq_ignore_ascii_case("never") {
                    true => None,
                    false => Some(self.year_of(ys, &key)?),
                };
                joins.push((p, Sourced::new(year, self.origin(&key))));
            }
        }
        Ok(joins)
    }

    /// `[apportionment.drivers]`: activity drivers by name, each a partner map.
    fn drivers(&mut self, d: Option<&T>) -> Result<Vec<(String, PartnerFigs)>> {
        let mut drivers = Vec::new();
        let Some(d) = d else {
            return Ok(drivers);
        };
        let T::Table(dt) = d else {
            return Err(self.err(
                "apportionment.drivers",
                "expected a table such as { caseload = { ABC = 1200, DEF = 800 } }",
            ));
        };
        for (name, v) in dt {
            if Basis::parse(name).is_some() {
                return Err(self.err(
                    &format!("apportionment.drivers.{name}"),
                    "a driver needs a name of its own, not equal, baseline, population or weights",
                ));
            }
            let map = self.partner_map(v, &format!("apportionment.drivers.{name}"))?;
            drivers.push((name.clone(), map));
        }
        Ok(drivers)
    }

    pub(super) fn contributions(&mut self, v: &T) -> Result<Contributions> {
        let T::Table(t) = v else {
            return Err(self.err("contributions", "expected a [contributions] table"));
        };
        self.unknown_keys(t, "contributions", super::keys::CONTRIBUTIONS)?;
        let rate_per_head = match t.get("rate_per_head") {
            Some(v) => self.nonneg(
                v,
                "contributions.rate_per_head",
                "an amount per head such as \"0.30\"",
            )?,
            None => {
                return Err(self.err(
                    "contributions.rate_per_head",
                    "missing; expected an amount per head such as \"0.30\"",
                ));
            }
        };
        let unspent = match t.get("unspent") {
            None => None,
            Some(v) => Some(self.nonneg(v, "contributions.unspent", "an amount in pounds")?),
        };
        Ok(Contributions {
            rate_per_head,
            unspent,
        })
    }

    pub(super) fn opt_fig(&mut self, t: &toml::Table, k: &str, key: &str) -> Result<Option<Fig>> {
        match t.get(k) {
            None => Ok(None),
            Some(v) => Ok(Some(self.scalar(v, &format!("{key}.{k}"))?)),
        }
    }

    pub(super) fn table_list(&self, t: &toml::Table, k: &str) -> Result<Vec<toml::Table>> {
        match t.get(k) {
            None => Ok(Vec::new()),
            Some(T::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    x.as_table().cloned().ok_or_else(|| {
                        self.err(&format!("pathfinder.{k}[{i}]"), "expected a table")
                    })
                })
                .collect(),
            Some(_) => Err(self.err(&format!("pathfinder.{k}"), "expected a list of tables")),
        }
    }

    /// How many years the appraisal covers: 5 unless the model says.
    pub(super) fn window_years(&mut self, doc: &toml::Table) -> Result<u32> {
        let r = self;
        Ok(match doc.get("window_years") {
            None => 5,
            Some(v) => {
                let d = r.scalar(v, "window_years")?.value;
                if d < Decimal::ONE || d > Decimal::from(50) || !d.fract().is_zero() {
                    return Err(r.err(
                        "window_years",
                        "expected a whole number of years from 1 to 50",
                    ));
                }
                d.try_into().unwrap_or(5)
            }
        })
    }

    /// The discount rate: HM Treasury's Green Book 3.5 % unless the model says.
    pub(super) fn discount_rate(&mut self, doc: &toml::Table) -> Result<Fig> {
        let file = self.file.clone();
        let r = self;
        Ok(match doc.get("discount_rate_pct") {
            None => Fig::new(
                Decimal::new(35, 1),
                Origin::Model {
                    file: file.clone(),
                    key: "discount_rate_pct (default: HM Treasury Green Book 3.5)".into(),
                    line: 0,
                },
            ),
            Some(v) => r.percent(v, "discount_rate_pct", "a percentage such as 3.5")?,
        })
    }

    pub(super) fn population(&mut self, doc: &toml::Table) -> Result<Vec<(String, Fig)>> {
        let r = self;
        Ok(match doc.get("population") {
            None => Vec::new(),
            Some(v) => {
                let p = r.partner_map(v, "population")?;
                for (k, f) in &p {
                    if f.value.is_sign_negative() {
                        return Err(r.err_at(
                            &format!("population.{k}"),
                            "a population must be zero or more",
                            &f.origin,
                        ));
                    }
                }
                p
            }
        })
    }

    pub(super) fn notes(&self, doc: &toml::Table) -> Result<Vec<String>> {
        let r = self;
        Ok(match doc.get("notes") {
            None => Vec::new(),
            Some(T::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    n.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| r.err(&format!("notes[{i}]"), "expected a string"))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(r.err("notes", "expected a list of strings")),
        })
    }

    pub(super) fn pathfinder(&mut self, v: &T) -> Result<Pathfinder> {
        let T::Table(t) = v else {
            return Err(self.err("pathfinder", "expected a [pathfinder] table"));
        };
        self.unknown_keys(t, "pathfinder", super::keys::PATHFINDER)?;
        let streams_t = self.table_list(t, "streams")?;
        let management_t = self.table_list(t, "management")?;
        let running_t = self.table_list(t, "running_costs")?;
        let streams = streams_t
            .iter()
            .enumerate()
            .map(|(i, s)| self.stream(s, i))
            .collect::<Result<Vec<_>>>()?;
        let on_cost_pct = match t.get("on_cost_pct") {
            Some(v) => self.nonneg(v, "pathfinder.on_cost_pct", "a percentage such as 31.2")?,
            None => {
                return Err(self.err(
                    "pathfinder.on_cost_pct",
                    "missing; expected a percentage such as 31.2",
                ));
            }
        };
        let management = management_t
            .iter()
            .enumerate()
            .map(|(i, m)| self.management_item(m, i))
            .collect::<Result<Vec<_>>>()?;
        let running_costs = running_t
            .iter()
            .enumerate()
            .map(|(i, m)| self.running_cost(m, i))
            .collect::<Result<Vec<_>>>()?;
        let running_cost_budget_item = t
            .get("running_cost_budget_item")
            .and_then(T::as_str)
            .map(str::to_string);
        Ok(Pathfinder {
            streams,
            on_cost_pct,
            management,
            running_costs,
            running_cost_budget_item,
        })
    }

    pub(super) fn stream(&mut self, s: &toml::Table, i: usize) -> Result<Stream> {
        let key = format!("pathfinder.streams[{i}]");
        self.unknown_keys(s, &key, super::keys::STREAM)?;
        let stream = s
            .get("stream")
            .and_then(T::as_str)
            .ok_or_else(|| {
                self.err(
                    &format!("{key}.stream"),
                    "missing; expected the work stream's name",
                )
            })?
            .to_string();
        let estimated_savings = match s.get("estimated_savings") {
            None => None,
            Some(T::String(x)) => Some(Sourced::new(
                money::parse_amount(x).map_err(|_| {
                    self.err(
                        &format!("{key}.estimated_savings"),
                        format!("expected an amount or \"tbc\", found {x:?}"),
                    )
                })?,
                self.origin(&format!("{key}.estimated_savings")),
            )),
            Some(v) => {
                let f = self.scalar(v, &format!("{key}.estimated_savings"))?;
                Some(Sourced::new(Amount::Value(f.value), f.origin))
            }
        };
        Ok(Stream {
            stream,
            allocation: self.opt_fig(s, "allocation", &key)?,
            estimated_cost: self.opt_fig(s, "estimated_cost", &key)?,
            estimated_savings,
            programme_management: s
                .get("programme_management")
                .and_then(T::as_bool)
                .unwrap_or(false),
            detail: s
                .get("detail")
                .and_then(T::as_str)
                .unwrap_or("")
                .to_string(),
        })
    }

    pub(super) fn management_item(&mut self, m: &toml::Table, i: usize) -> Result<MgmtItem> {
        let key = format!("pathfinder.management[{i}]");
        self.unknown_keys(m, &key, super::keys::MANAGEMENT)?;
        let item = m
            .get("item")
            .and_then(T::as_str)
            .ok_or_else(|| self.err(&format!("{key}.item"), "missing; expected the item's name"))?
            .to_string();
        let cost = match (
            self.opt_fig(m, "amount", &key)?,
            self.opt_fig(m, "annual_salary", &key)?,
        ) {
            (Some(a), None) => MgmtCost::Amount(a),
            (None, Some(s)) => MgmtCost::Post {
                annual_salary: s,
                months: self.opt_fig(m, "months", &key)?.unwrap_or_else(|| {
                    Fig::new(
                        Decimal::from(12),
                        self.origin(&format!("{key}.months (default 12)")),
                    )
                }),
            },
            _ => {
                return Err(self.err(
                    &key,
                    "expected either amount or annual_salary (with months)",
                ));
            }
        };
        Ok(MgmtItem { item, cost })
    }

    pub(super) fn running_cost(&mut self, m: &toml::Table, i: usize) -> Result<(String, Fig)> {
        let key = format!("pathfinder.running_costs[{i}]");
        self.unknown_keys(m, &key, super::keys::RUNNING_COST)?;
        let item = m
            .get("item")
            .and_then(T::as_str)
            .ok_or_else(|| self.err(&format!("{key}.item"), "missing"))?
            .to_string();
        let amount = self.opt_fig(m, "amount", &key)?.ok_or_else(|| {
            self.err(
                &format!("{key}.amount"),
                "missing; expected an amount such as \"3,995.00\"",
            )
        })?;
        Ok((item, amount))
    }

    pub(super) fn published(&mut self, v: &T) -> Result<Vec<PublishedFigure>> {
        let T::Array(a) = v else {
            return Err(self.err("published", "expected [[published]] entries"));
        };
        let mut out = Vec::new();
        for (i, p) in a.iter().enumerate() {
            let key = format!("published[{i}]");
            let T::Table(t) = p else {
                return Err(self.err(&key, "expected a table with table, row, column and value"));
            };
            self.unknown_keys(t, &key, super::keys::PUBLISHED)?;
            let get = |k: &str| -> Result<String> {
                match t.get(k) {
                    Some(T::String(s)) => Ok(s.clone()),
                    Some(T::Integer(n)) => Ok(n.to_string()),
                    _ => Err(self.err(&format!("{key}.{k}"), "missing; expected a string")),
                }
            };
            out.push(PublishedFigure {
                table: get("table")?,
                row: get("row")?,
                column: get("column")?,
                text: get("value")?,
                source: t.get("where").and_then(T::as_str).unwrap_or("").to_string(),
                origin: self.origin(&format!("{key}.value")),
            });
        }
        Ok(out)
    }
}

/// A table of values (inline, or a range of more than one cell) rather than
/// one figure.
fn is_map(v: &T) -> bool {
    match v {
        T::Table(m) => match m.get("range").and_then(T::as_str).and_then(parse_range) {
            None => !m.contains_key("range") && !m.contains_key("row"),
            Some((a, b)) => a != b,
        },
        _ => false,
    }
}

fn describe(v: &T) -> String {
    match v {
        T::String(s) => format!("{s:?}"),
        other => type_name(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    /// Each key's line as an editor numbers them (by hand below): tables
    /// by header, arrays of tables by index, inline tables, dotted keys,
    /// a list over several lines (each element on its own line), CRLF.
    #[test]
    fn key_lines_are_the_editors() {
        let text = "name = \"x\"\r\n\
                    partners = [\r\n  \"A\",\r\n  \"B\",\r\n]\r\n\
                    \r\n\
                    [savings]\r\n\
                    baseline = { A = 1, B = 2 }\r\n\
                    prices.inflation_pct = 2\r\n\
                    \r\n\
                    [[investment]]\r\n\
                    item = \"S\"\r\n\
                    \r\n\
                    [[investment]]\r\n\
                    amounts = { \"2030/31\" = 1 }\r\n";
        let lines = super::key_lines(text);
        for (key, line) in [
            ("name", 1),
            ("partners[0]", 3),
            ("partners[1]", 4),
            ("savings.baseline.B", 8),
            ("savings.prices.inflation_pct", 9),
            ("investment[0].item", 12),
            ("investment[1].amounts.2030/31", 15),
        ] {
            assert_eq!(lines.get(key), Some(&line), "{key}");
        }
    }
}
