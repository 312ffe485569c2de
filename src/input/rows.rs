//! A streamed sheet's rows, built as its cells arrive.
//!
//! Writers put a sheet's cells in order, row by row and left to right, so
//! each cell goes straight to the end of its row: no staging map, and no
//! second copy of the sheet while the grid is built (the sheet's memory is
//! its cells'). A cell out of order (allowed by the format, rare) is put in
//! place at the end; one given twice is damage.

use super::import::{CellValue, GridRow};

/// The rows so far: each row's cells start at its own first column until
/// `finish` lines them up.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    rows: Vec<GridRow>,
    /// Cells that came after a cell to their right or below them.
    stray: Vec<(u32, u32, CellValue)>,
}

/// A cell given twice: its row and column.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Twice(pub u32, pub u32);

impl Rows {
    pub(crate) fn add(&mut self, r: u32, col: u32, v: CellValue) {
        let last = self
            .rows
            .last()
            .map(|l| (l.pos as u32, l.first_col, l.cells.len()));
        match last {
            Some((pos, first, len)) if pos == r && col >= first + len as u32 => {
                let row = self.rows.last_mut().expect("a last row");
                let i = (col - first) as usize;
                row.cells.resize(i, CellValue::Empty);
                row.cells.push(v);
            }
            Some((pos, _, len)) if pos < r => {
                // Blank rows between count as rows, as the range reader counts them.
                for p in pos + 1..r {
                    self.rows.push(blank(p));
                }
                self.start(r, col, v, len);
            }
            None => self.start(r, col, v, 0),
            Some(_) => self.stray.push((r, col, v)),
        }
    }

    fn start(&mut self, r: u32, col: u32, v: CellValue, width: usize) {
        // As wide as the row before: a ledger's rows are alike, so no
        // capacity is wasted on growing.
        let mut cells = Vec::with_capacity(width.max(1));
        cells.push(v);
        self.rows.push(GridRow {
            pos: r as u64,
            first_col: col,
            cells,
        });
    }

    /// The rows from the first with a value to the last, every one from the
    /// sheet's first column with a value.
    pub(crate) fn finish(mut self) -> Result<Vec<GridRow>, Twice> {
        for (r, col, v) in std::mem::take(&mut self.stray) {
            self.place(r, col, v)?;
        }
        let first_col = self
            .rows
            .iter()
            .filter(|r| !r.cells.is_empty())
            .map(|r| r.first_col)
            .min()
            .unwrap_or(0);
        for row in &mut self.rows {
            if row.cells.is_empty() {
                row.first_col = first_col;
            } else if row.first_col > first_col {
                let pad = (row.first_col - first_col) as usize;
                row.cells
                    .splice(0..0, std::iter::repeat_n(CellValue::Empty, pad));
                row.first_col = first_col;
            }
        }
        Ok(self.rows)
    }

    /// Puts a cell that came out of order in its row.
    fn place(&mut self, r: u32, col: u32, v: CellValue) -> Result<(), Twice> {
        let first = self.rows.first().map_or(r, |f| f.pos as u32);
        if r < first {
            let more: Vec<GridRow> = (r..first).map(blank).collect();
            self.rows.splice(0..0, more);
        }
        let first = self.rows.first().map_or(r, |f| f.pos as u32);
        let row = &mut self.rows[(r - first) as usize];
        if row.cells.is_empty() {
            row.first_col = col;
        } else if col < row.first_col {
            let pad = (row.first_col - col) as usize;
            row.cells
                .splice(0..0, std::iter::repeat_n(CellValue::Empty, pad));
            row.first_col = col;
        }
        let i = (col - row.first_col) as usize;
        if row.cells.len() <= i {
            row.cells.resize(i + 1, CellValue::Empty);
        }
        // Stored cells are never Empty (blanks are not kept), so a value
        // already here is the same cell given twice.
        if !matches!(row.cells[i], CellValue::Empty) {
            return Err(Twice(r, col));
        }
        row.cells[i] = v;
        Ok(())
    }
}

fn blank(pos: u32) -> GridRow {
    GridRow {
        pos: pos as u64,
        first_col: 0,
        cells: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain way: every cell into a map by row and column, then the
    /// rows from the first to the last, from the first column.
    fn plain(cells: &[(u32, u32, i64)]) -> Result<Vec<GridRow>, Twice> {
        let mut map = std::collections::BTreeMap::new();
        for &(r, c, v) in cells {
            if map.insert((r, c), v).is_some() {
                return Err(Twice(r, c));
            }
        }
        let Some((&(first, _), _)) = map.first_key_value() else {
            return Ok(Vec::new());
        };
        let last = map.last_key_value().map_or(first, |(k, _)| k.0);
        let first_col = map.keys().map(|k| k.1).min().unwrap_or(0);
        Ok((first..=last)
            .map(|r| {
                let mut cells = Vec::new();
                for (&(_, c), &v) in map.range((r, 0)..=(r, u32::MAX)) {
                    let i = (c - first_col) as usize;
                    cells.resize(i, CellValue::Empty);
                    cells.push(CellValue::Number(v.into()));
                }
                GridRow {
                    pos: r as u64,
                    first_col,
                    cells,
                }
            })
            .collect())
    }

    fn built(cells: &[(u32, u32, i64)]) -> Result<Vec<GridRow>, Twice> {
        let mut rows = Rows::default();
        for &(r, c, v) in cells {
            rows.add(r, c, CellValue::Number(v.into()));
        }
        rows.finish()
    }

    #[test]
    fn cells_in_order_need_no_staging() {
        let cells = [(2, 1, 1), (2, 3, 2), (4, 0, 3)];
        let rows = built(&cells).unwrap();
        assert_eq!(rows, plain(&cells).unwrap());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells.len(), 4);
        assert!(rows[1].cells.is_empty());
    }

    proptest! {
        /// In any order, with gaps and repeats, the rows are the plain
        /// way's, and a cell given twice is found (whichever the plain way
        /// names, the same cell).
        #[test]
        fn rows_match_the_plain_way(
            cells in proptest::collection::vec((0u32..12, 0u32..8, -5i64..5), 0..40),
            sorted in any::<bool>(),
        ) {
            let mut cells = cells;
            if sorted {
                cells.sort_by_key(|&(r, c, _)| (r, c));
            }
            match (built(&cells), plain(&cells)) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "built {:?}, plain {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
}
