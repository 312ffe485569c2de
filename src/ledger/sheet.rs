//! Ledgers kept in workbooks (xlsx, xls, ods) read through calamine: every
//! sheet whose header names the ledger's columns is read; any other sheet
//! is listed as not read, so nothing is skipped unseen.

use super::{BadLine, Columns, FileSummary, FloatLine, LedgerTotals, Sink, header_key};
use crate::error::{Error, Result};
use crate::import::{self, CellValue, Grid, GridRow, RowRole};
use std::path::Path;
use std::sync::Arc;

fn find(header: &[String], name: &str) -> Option<usize> {
    let k = header_key(name);
    header.iter().position(|h| super::heading_is(h, &k))
}

/// The header row's index and the three columns, if this sheet has them.
fn locate(g: &Grid, cols: &Columns) -> Option<(usize, Option<usize>, usize, usize)> {
    g.rows.iter().take(50).enumerate().find_map(|(i, r)| {
        let h: Vec<String> = r.cells.iter().map(|c| c.display()).collect();
        let (c, m) = (find(&h, &cols.cost_centre)?, find(&h, &cols.amount)?);
        let a = match &cols.fixed_authority {
            Some(_) => None,
            None => Some(find(&h, &cols.authority)?),
        };
        Some((i, a, c, m))
    })
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

/// Reads a workbook ledger.
pub fn read(path: &Path, cols: &Columns, sink: Sink) -> Result<LedgerTotals> {
    let grids = import::read_file(path, None)?;
    let mut total = LedgerTotals::default();
    let mut any = false;
    for g in &grids {
        // A sheet too large to read could hold ledger lines: never skip it.
        let g = g.usable()?;
        let Some((hi, a, c, m)) = locate(g, cols) else {
            let filled = g
                .rows
                .iter()
                .filter(|r| r.cells.iter().any(|c| !c.is_empty()));
            total.files.push(FileSummary {
                place: g.place(),
                read: filled.count() as u64,
                lines: g.rows.len() as u64,
                note: Some("no header naming the ledger's columns: not read".into()),
                ..Default::default()
            });
            continue;
        };
        any = true;
        let t = read_grid(g, hi, (a, c, m), cols, sink)?;
        total.merge(t);
    }
    if !any {
        let first = grids.first();
        let found = first
            .and_then(|g| g.rows.iter().find(|r| r.cells.len() >= 2))
            .map(|r| r.cells.iter().map(|c| c.display()).collect())
            .unwrap_or_default();
        return Err(Error::MissingColumn {
            place: first
                .map(|g| g.place())
                .unwrap_or(path.display().to_string()),
            column: format!(
                "{}, {} and {}",
                cols.authority, cols.cost_centre, cols.amount
            ),
            found,
        });
    }
    Ok(total)
}

fn read_grid(
    g: &Grid,
    header_idx: usize,
    (a, c, m): (Option<usize>, usize, usize),
    cols: &Columns,
    sink: Sink,
) -> Result<LedgerTotals> {
    let place: Arc<str> = Arc::from(g.place());
    let roles = import::Records::at_header(g, header_idx);
    let mut t = LedgerTotals::default();
    let get = |r: &GridRow, i: usize| r.cells.get(i).cloned().unwrap_or(CellValue::Empty);
    let scale = match cols.unit {
        Some(u) => u,
        None => roles.scale(m),
    };
    let amount_of =
        |c: &CellValue| amount_of(c).and_then(|a| super::scaled(a, scale).map_err(str::to_string));
    let mut key = (String::new(), String::new());
    // Pence added since the header or the last typed total that agreed.
    let mut since_total = 0i128;
    for (r, role) in g.rows.iter().zip(roles.roles()) {
        let line = r.pos + 1;
        match role {
            RowRole::Blank => t.blank += 1,
            RowRole::TypedTotal => {
                // A total row that agrees with the lines above is not a ledger
                // line; any other is set aside, loudly ("Total Gas & Power"
                // is a supplier, not a total).
                let amount = amount_of(&get(r, m)).ok();
                if amount.is_some_and(|x| x.pence as i128 == since_total && x.sub_penny.is_zero()) {
                    t.other += 1;
                    since_total = 0;
                    continue;
                }
                let b = BadLine {
                    place: place.clone(),
                    unit: "row",
                    line,
                    reason: format!(
                        "starts like a total row but its amount is not the sum of the lines above ({}); check whether it is a ledger line",
                        crate::money::format_pounds(
                            rust_decimal::Decimal::from_i128_with_scale(since_total, 2),
                            2,
                            crate::money::Negatives::Brackets
                        )
                    ),
                    raw: row_text(r),
                    pence: amount.map(|x| x.pence),
                };
                sink(&b)?;
                t.set_aside(b);
            }
            RowRole::Data => {
                let cell = get(r, m);
                let amount = match amount_of(&cell) {
                    Ok(x) => x,
                    Err(why) => {
                        let b = BadLine {
                            place: place.clone(),
                            unit: "row",
                            line,
                            reason: format!("amount: {why}"),
                            raw: row_text(r),
                            pence: None,
                        };
                        sink(&b)?;
                        t.set_aside(b);
                        continue;
                    }
                };
                let only_amount = r
                    .cells
                    .iter()
                    .enumerate()
                    .all(|(i, c)| i == m || c.is_empty());
                if only_amount {
                    t.candidates.push(super::TotalCandidate {
                        line: BadLine {
                            place: place.clone(),
                            unit: "row",
                            line,
                            reason: String::new(),
                            raw: row_text(r),
                            pence: None,
                        },
                        amount,
                        before: since_total,
                    });
                    let agreed = amount.sub_penny.is_zero() && amount.pence as i128 == since_total;
                    t.settle_candidates(0);
                    if agreed {
                        since_total = 0;
                    } else if let Some(b) = t.bad_lines.iter().find(|b| b.line == line) {
                        sink(b)?;
                    }
                    continue;
                }
                if amount.float_rendering {
                    t.float(FloatLine {
                        place: place.clone(),
                        unit: "row",
                        line,
                        text: cell.display(),
                        pence: amount.pence,
                    });
                }
                key.0 = match a {
                    Some(i) => get(r, i).display().trim().to_string(),
                    None => cols.fixed_authority.clone().unwrap_or_default(),
                };
                key.1 = get(r, c).display().trim().to_string();
                since_total += amount.pence as i128;
                t.add(&key, amount);
            }
            // Titles, the header, notes and typed totals are not ledger lines.
            _ => t.other += 1,
        }
    }
    t.files.push(FileSummary {
        place: place.to_string(),
        lines: g.rows.len() as u64,
        read: g.rows.len() as u64,
        used: t.rows,
        blank: t.blank,
        other: t.other,
        set_aside: t.bad,
        pence: t.total_pence,
        sub_penny: t.total_sub_penny,
        note: g.hidden.then(|| "a hidden sheet".to_string()),
    });
    Ok(t)
}
