//! costshare: the finance of shared services between partner councils.
//!
//! The layers, each a folder; a module uses only those above it:
//!
//! - `base`: money, years, traces (where a figure came from), the `Table`
//!   every result is, errors, atomic writes.
//! - `input`: spreadsheets and CSV read into traced grids (`import`),
//!   the annual-report source (`source`), the CSV scanner.
//! - `model`: business-case model files, read and validated.
//! - `case`: the business-case calculations (investment, savings,
//!   apportionment, contributions, score).
//! - `tables`: the registry of tables a model or annual report yields, and
//!   the check of published figures against their recomputation.
//! - `whatif`: scenarios, sensitivity and simulation.
//! - `ledger`: general-ledger extracts (CSV, workbooks, Parquet) and the
//!   reconciliation of budgets and savings targets with them.
//! - `output`: renderers (CSV, Markdown, JSON), charts and the report pack.
//!
//! The command line is the `costshare` binary (`src/bin/costshare/`); the
//! library does no argument parsing.

pub mod base;
pub mod case;
pub mod input;
pub mod ledger;
pub mod model;
pub mod output;
pub mod tables;
pub mod whatif;

pub use base::error::{Error, Result};
