//! A set of named input tables: the sheets of one workbook, or the CSV files
//! of one folder (sheet "budget" is budget.csv). The two are interchangeable.

use crate::base::error::{Error, Result};
use crate::input::import::{self, Grid};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    grids: Vec<Grid>,
    is_dir: bool,
}

impl Source {
    /// Opens a workbook (every sheet) or a folder of CSV files.
    pub fn open(path: &Path) -> Result<Source> {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                .collect();
            entries.sort();
            // "Budget.csv" beside "budget.csv": one would be read and the
            // other passed over unsaid, which one by the names' order.
            let mut seen = std::collections::HashMap::new();
            for p in &entries {
                let stem = p.file_stem().map(|s| s.to_string_lossy().to_lowercase());
                if let Some(first) = seen.insert(stem, p) {
                    return Err(Error::Table {
                        place: path.display().to_string(),
                        message: format!(
                            "holds {} and {}: one table twice, its names differing only in case; keep one",
                            first.file_name().unwrap_or_default().to_string_lossy(),
                            p.file_name().unwrap_or_default().to_string_lossy()
                        ),
                    });
                }
            }
            let grids = entries
                .iter()
                .map(|p| import::read_csv(p))
                .collect::<Result<Vec<_>>>()?;
            Ok(Source {
                path: path.to_path_buf(),
                grids,
                is_dir: true,
            })
        } else {
            Ok(Source {
                path: path.to_path_buf(),
                grids: import::read_file(path, None)?,
                is_dir: false,
            })
        }
    }

    fn grid_name(&self, g: &Grid) -> String {
        match &g.sheet {
            Some(s) => s.clone(),
            None => Path::new(&g.file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// A note naming the sheets (or CSV files) none of `known` names:
    /// "Staf" for "staff" was passed over unsaid, its table missing.
    pub fn unread_note(&self, known: &[&str]) -> Option<String> {
        let unread: Vec<String> = self
            .names()
            .into_iter()
            .filter(|n| !known.iter().any(|k| k.eq_ignore_ascii_case(n)))
            .map(|n| format!("{n:?}"))
            .collect();
        let what = match self.is_dir {
            true => "files",
            false => "sheets",
        };
        (!unread.is_empty()).then(|| {
            format!(
                "{}: {what} not read, being none of {}: {}",
                self.path.display(),
                known.join(", "),
                unread.join(", ")
            )
        })
    }

    pub fn names(&self) -> Vec<String> {
        self.grids.iter().map(|g| self.grid_name(g)).collect()
    }

    /// The table named `name`: a sheet of that name, or `name.csv`.
    pub fn grid(&self, name: &str) -> Result<&Grid> {
        let found = self
            .grids
            .iter()
            .find(|g| self.grid_name(g).eq_ignore_ascii_case(name));
        if let Some(g) = found {
            return g.usable();
        }
        Err({
            if self.is_dir {
                Error::Table {
                    place: self.path.join(format!("{name}.csv")).display().to_string(),
                    message: format!(
                        "missing; expected a CSV file for the {name} table in this folder (found: {})",
                        self.names().join(", ")
                    ),
                }
            } else {
                Error::UnknownSheet {
                    path: self.path.display().to_string(),
                    sheet: name.to_string(),
                    available: self.names(),
                }
            }
        })
    }
}
