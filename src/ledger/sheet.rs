//! Ledgers kept in workbooks (xlsx, xls, ods) read through calamine: every
//! sheet whose header names the ledger's columns is read; any other sheet
//! is listed as not read, so nothing is skipped unseen.

use super::keysums::KeySums;
use super::{BadLine, Columns, FileSummary, FloatLine, LedgerTotals, Sink, header_key};
use crate::base::error::{Error, Result};
use crate::input::import::{self, CellValue, Grid, GridRow, RowRole};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

fn find(header: &[String], name: &str) -> Option<usize> {
    let k = header_key(name);
    header.iter().position(|h| super::heading_is(h, &k))
}

/// Where a sheet's ledger columns are.
#[derive(Debug, Clone, Copy)]
struct At {
    authority: Option<usize>,
    cost_centre: usize,
    amount: usize,
    date: Option<usize>,
    account: Option<usize>,
}

/// The header row's index and the columns, if this sheet has them all.
fn locate(g: &Grid, cols: &Columns) -> Option<(usize, At)> {
    g.rows.iter().take(50).enumerate().find_map(|(i, r)| {
        let h: Vec<String> = r.cells.iter().map(|c| c.display()).collect();
        let optional = |c: &Option<String>| match c {
            Some(name) => find(&h, name).map(Some),
            None => Some(None),
        };
        let at = At {
            cost_centre: find(&h, &cols.cost_centre)?,
            amount: find(&h, &cols.amount)?,
            authority: match &cols.fixed_authority {
                Some(_) => None,
                None => Some(find(&h, &cols.authority)?),
            },
            date: optional(&cols.date)?,
            account: optional(&cols.account)?,
        };
        Some((i, at))
    })
}

/// A header row naming a ledger column twice ("amount" and "Amount"):
/// the first was read and the other passed over, where a CSV or Parquet
/// ledger is refused.
fn named_twice(g: &Grid, hi: usize, cols: &Columns) -> Result<()> {
    let h: Vec<String> = g.rows[hi].cells.iter().map(|c| c.display()).collect();
    let wanted = [
        Some(&cols.cost_centre),
        Some(&cols.amount),
        Some(&cols.authority),
    ];
    let wanted = wanted
        .into_iter()
        .chain([cols.date.as_ref(), cols.account.as_ref()]);
    for w in wanted.flatten() {
        let k = header_key(w);
        if h.iter().filter(|x| super::heading_is(x, &k)).count() > 1 {
            return Err(Error::Table {
                place: g.row_place(&g.rows[hi]),
                message: format!(
                    "the header names column {w:?} more than once; name each column once (columns are matched ignoring case, spaces and underscores, so rename or remove one in the file)"
                ),
            });
        }
    }
    Ok(())
}

fn amount_of(cell: &CellValue) -> std::result::Result<super::LedgerAmount, String> {
    match cell {
        CellValue::Number(d) => super::amount::from_decimal(*d).map_err(str::to_string),
        CellValue::Text(s) => super::amount::parse(s.as_bytes()).map_err(str::to_string),
        CellValue::Empty => Err("no amount".into()),
        other => Err(format!("{} is not an amount", other.display())),
    }
}

fn row_text(r: &GridRow) -> String {
    let cells: Vec<String> = r.cells.iter().map(|c| c.display()).collect();
    super::raw_text(cells.join(",").as_bytes())
}

/// A sheet not read, and why, with the rows it holds.
fn passed_over(g: &Grid, why: &str) -> FileSummary {
    let filled = g
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    FileSummary {
        place: g.place(),
        read: filled.count() as u64,
        lines: g.rows.len() as u64,
        note: Some(why.into()),
        hidden: g.hidden,
        ..Default::default()
    }
}

/// Reads a workbook ledger.
pub fn read(path: &Path, cols: &Columns, sink: Sink) -> Result<LedgerTotals> {
    let mut total = LedgerTotals::default();
    let mut any = false;
    // The first sheet's place and fullest early row (of the sheets named,
    // when some are), for the error when no sheet names the columns.
    let mut first: Option<(String, Vec<String>)> = None;
    let mut named_found = false;
    // A sheet at a time: a month a sheet adds up to more than one holds.
    import::each_sheet(path, None, &mut |g| {
        let named = |s: &String| {
            g.sheet
                .as_ref()
                .is_some_and(|n| import::same_sheet_name(n, s))
        };
        if !cols.sheets.is_empty() && !cols.sheets.iter().any(named) {
            total.files.push(passed_over(
                &g,
                &format!("not named by {}: not read", cols.sheet_flag),
            ));
            return Ok(());
        }
        named_found |= !cols.sheets.is_empty();
        // A sheet too large to read could hold ledger lines: never skip it.
        let g = g.usable()?;
        let early = || {
            let row = g.rows.iter().find(|r| r.cells.len() >= 2);
            let cells = row.map(|r| r.cells.iter().map(|c| c.display()).collect());
            (g.place(), cells.unwrap_or_default())
        };
        first.get_or_insert_with(early);
        let Some((hi, at)) = locate(g, cols) else {
            // A sheet named to be read is read, or refused.
            if !cols.sheets.is_empty() {
                let (place, found) = early();
                return Err(no_header(place, found, cols));
            }
            let why = "no header naming the ledger's columns: not read";
            total.files.push(passed_over(g, why));
            return Ok(());
        };
        any = true;
        named_twice(g, hi, cols)?;
        let header: Vec<String> = g.rows[hi].cells.iter().map(|c| c.display()).collect();
        if let Some(name) = &cols.fixed_authority
            && find(&header, &cols.authority).is_some()
        {
            return Err(Error::Table {
                place: g.row_place(&g.rows[hi]),
                message: super::authority_given_twice(&cols.authority, name),
            });
        }
        let t = read_grid(g, hi, at, cols, sink)?;
        total.merge(t);
        Ok(())
    })?;
    if !named_found && !cols.sheets.is_empty() {
        return Err(Error::UnknownSheet {
            path: path.display().to_string(),
            sheet: cols.sheets.join(" or "),
            available: import::sheet_names(path)?,
        });
    }
    if !any {
        let (place, found) = first.unwrap_or((path.display().to_string(), Vec::new()));
        return Err(no_header(place, found, cols));
    }
    Ok(total)
}

/// No header naming the ledger's columns at `place`, whose fullest early
/// row is `found`.
fn no_header(place: String, found: Vec<String>, cols: &Columns) -> Error {
    let mut names = vec![&cols.authority, &cols.cost_centre, &cols.amount];
    names.extend([&cols.date, &cols.account].into_iter().flatten());
    Error::MissingColumn {
        place,
        column: crate::base::text::and_list(&names.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
        hint: String::new(),
        found,
    }
}

/// The rows of one sheet being read, and the running sum a total row must
/// agree with.
struct Rows<'s, 'k> {
    place: Arc<str>,
    t: LedgerTotals,
    /// Pence added since the header or the last typed total that agreed.
    since_total: i128,
    /// Pence added in the whole sheet: a grand total under subtotals.
    sheet_total: i128,
    sink: &'s mut Sink<'k>,
    sums: KeySums,
}

impl Rows<'_, '_> {
    /// Adds a data row by its authority and cost centre (and month and
    /// account when asked for); a date that cannot be read sets it aside.
    fn add_line(
        &mut self,
        r: &GridRow,
        at: &At,
        cols: &Columns,
        amount: super::LedgerAmount,
    ) -> Result<()> {
        let get = |i: usize| r.cells.get(i).unwrap_or(&CellValue::Empty);
        let auth = match at.authority {
            Some(i) => text_of(get(i)),
            None => Cow::Borrowed(cols.fixed_authority.as_deref().unwrap_or_default()),
        };
        let cc = text_of(get(at.cost_centre));
        let month = match at.date.map(|i| get(i).display()) {
            None => crate::base::date::Month(0),
            Some(d) => match cols.dating().month(&d) {
                Ok(mo) => mo,
                Err(why) => return self.set_aside(r.pos + 1, why, r, Some(amount.pence)),
            },
        };
        self.since_total += amount.pence as i128;
        self.sheet_total += amount.pence as i128;
        if at.date.is_none() && at.account.is_none() {
            self.sums
                .add(&mut self.t, auth.as_bytes(), cc.as_bytes(), amount);
        } else {
            let key = (auth.trim().to_string(), cc.trim().to_string());
            let account = at.account.map(|i| get(i).display());
            let account = account.as_deref().unwrap_or_default().trim();
            self.t.add_detail(&key, account, month, amount);
        }
        Ok(())
    }

    fn set_aside(
        &mut self,
        line: u64,
        reason: String,
        r: &GridRow,
        pence: Option<i64>,
    ) -> Result<()> {
        let b = BadLine {
            place: self.place.clone(),
            unit: "row",
            line,
            reason,
            raw: row_text(r),
            pence,
        };
        (self.sink)(&b)?;
        self.t.set_aside(b);
        Ok(())
    }

    /// Whether `x` is the sum of the rows above, or of those since the last
    /// total taken.
    fn agrees(&self, x: &super::LedgerAmount) -> bool {
        let p = x.pence as i128;
        x.sub_penny.is_zero() && (p == self.since_total || p == self.sheet_total)
    }

    /// Takes row `r` as a total typed into the sheet: not added, named.
    fn take(&mut self, line: u64, r: &GridRow, x: super::LedgerAmount) {
        let b = BadLine {
            place: self.place.clone(),
            unit: "row",
            line,
            reason: String::new(),
            raw: row_text(r),
            pence: None,
        };
        self.t.take_total(b, x.pence);
        self.since_total = 0;
    }

    /// A row labelled as a total, or holding nothing but an amount: a total
    /// if it agrees with the rows above it, else set aside, loudly ("Total
    /// Gas & Power" is a supplier, not a total).
    fn total_like(
        &mut self,
        line: u64,
        r: &GridRow,
        amount: Option<super::LedgerAmount>,
    ) -> Result<()> {
        if let Some(x) = amount.filter(|x| self.agrees(x)) {
            self.take(line, r, x);
            return Ok(());
        }
        let above = crate::base::money::format_pounds(
            rust_decimal::Decimal::from_i128_with_scale(self.since_total, 2),
            2,
            crate::base::money::Negatives::Brackets,
        );
        let reason = format!(
            "looks like a total (labelled so, or nothing but an amount) but is not the sum of the rows above it ({above}); neither added nor taken as a total"
        );
        self.set_aside(line, reason, r, amount.map(|x| x.pence))
    }
}

/// Whether a row with an amount is a total typed into the sheet: Some(true)
/// for nothing but the amount, or, with no cost centre, a total named in its
/// words ("Subtotal April", "Northtown total"), dated or not; Some(false)
/// for a total named in the words of a row that keeps its cost centre
/// ("LEG01 total"): a subtotal only if it agrees, else spending.
fn total_row(r: &GridRow, at: &At) -> Option<bool> {
    let m = at.amount;
    let blank = |i: usize| r.cells.get(i).is_none_or(CellValue::is_empty);
    if (0..r.cells.len()).all(|i| i == m || blank(i)) {
        return Some(true);
    }
    let words =
        |(i, c): (usize, &CellValue)| i != m && import::names_a_total(text_of(c).as_bytes());
    let named = r.cells.iter().enumerate().any(words);
    named.then(|| blank(at.cost_centre))
}

/// A row's cells as header keys.
fn keys_of(r: &GridRow) -> Vec<String> {
    r.cells
        .iter()
        .map(|c| import::header_key(&text_of(c)))
        .collect()
}

/// A cell's text as written, without a copy when it is text.
fn text_of(c: &CellValue) -> Cow<'_, str> {
    match c {
        CellValue::Text(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.display()),
    }
}

/// A unit said in a title row above the header and not in the amount
/// heading is refused (see `import::title_unit_lost`), naming its cell.
/// `m` is the amount's place in the header row.
fn title_unit(
    g: &Grid,
    (header_idx, m): (usize, usize),
    heading: &str,
    cols: &Columns,
) -> Result<()> {
    // The amount's absolute column, as each row above places its cells.
    let at = g.rows[header_idx].first_col as usize + m;
    for r in &g.rows[..header_idx] {
        let texts: Vec<String> = r.cells.iter().map(|c| text_of(c).into_owned()).collect();
        let amount = at.checked_sub(r.first_col as usize);
        let Some(i) = import::title_cell(&texts, amount) else {
            continue;
        };
        let title = texts[i].as_str();
        if let Some(message) = import::title_unit_lost(heading, title, cols.unit, "--actuals-unit")
        {
            let place = g.origin(r, i).to_string();
            return Err(Error::Table { place, message });
        }
        return Ok(());
    }
    Ok(())
}

fn read_grid<'g>(
    g: &'g Grid,
    header_idx: usize,
    at: At,
    cols: &Columns,
    mut sink: Sink,
) -> Result<LedgerTotals> {
    let m = at.amount;
    let records = import::Records::at_header(g, header_idx);
    const EMPTY: &CellValue = &CellValue::Empty;
    let get = |r: &'g GridRow, i: usize| r.cells.get(i).unwrap_or(EMPTY);
    let heading = records.header.get(m).map_or("", String::as_str);
    let header_keys: Vec<String> = records
        .header
        .iter()
        .map(|h| import::header_key(h))
        .collect();
    title_unit(g, (header_idx, m), heading, cols)?;
    let scale = import::column_unit(heading, cols.unit, "--actuals-unit").map_err(|message| {
        Error::Table {
            place: records.header_cell(m).to_string(),
            message,
        }
    })?;
    let amount_of =
        |c: &CellValue| amount_of(c).and_then(|a| super::scaled(a, scale).map_err(str::to_string));
    let mut rows = Rows {
        place: Arc::from(g.place()),
        t: LedgerTotals::default(),
        since_total: 0,
        sheet_total: 0,
        sink: &mut sink,
        sums: KeySums::default(),
    };
    for (r, role) in g.rows.iter().zip(records.roles()) {
        let line = r.pos + 1;
        match role {
            RowRole::Blank => rows.t.blank += 1,
            RowRole::TypedTotal => rows.total_like(line, r, amount_of(get(r, m)).ok())?,
            RowRole::Data => {
                let cell = get(r, m);
                let amount = match amount_of(cell) {
                    Ok(x) => x,
                    Err(_) if super::reheaded(&header_keys, &keys_of(r), m) => {
                        return Err(Error::Table {
                            place: g.row_place(r),
                            message: super::REHEADED.into(),
                        });
                    }
                    Err(why) => {
                        rows.set_aside(line, format!("amount: {why}"), r, None)?;
                        continue;
                    }
                };
                match total_row(r, &at) {
                    Some(true) => {
                        rows.total_like(line, r, Some(amount))?;
                        continue;
                    }
                    // A subtotal keeping its cost centre, when it agrees;
                    // else spending.
                    Some(false) if rows.agrees(&amount) => {
                        rows.take(line, r, amount);
                        continue;
                    }
                    _ => {}
                }
                if amount.float_rendering {
                    rows.t.float(FloatLine {
                        place: rows.place.clone(),
                        unit: "row",
                        line,
                        text: cell.display(),
                        pence: amount.pence,
                    });
                }
                rows.add_line(r, &at, cols, amount)?;
            }
            // Titles, the header and notes are not ledger lines.
            _ => rows.t.other += 1,
        }
    }
    let mut t = rows.t;
    rows.sums.flush(&mut t);
    t.files.push(FileSummary {
        place: g.place(),
        lines: g.rows.len() as u64,
        read: g.rows.len() as u64,
        used: t.rows,
        blank: t.blank,
        other: t.other,
        set_aside: t.bad,
        pence: t.total_pence,
        sub_penny: t.total_sub_penny,
        note: g.hidden.then(|| "a hidden sheet".to_string()),
        hidden: g.hidden,
    });
    Ok(t)
}
