//! costshare: the finance of shared services between partner councils.
//!
//! The calculation core (`money`, `apportion`, `annual`, `investment`,
//! `savings`, `score`, `scenario`, `check`) does no IO; `import`, `source`
//! and `model` read files, `report` and `chart` write them, and `cli` with
//! `cmd` is the command line.

pub mod annual;
pub mod apportion;
pub mod atomic;
pub mod business;
pub mod chart;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod contributions;
pub mod csvscan;
pub mod error;
pub mod import;
pub mod investment;
pub mod ledger;
pub mod model;
pub mod money;
pub mod pack;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pathfinder;
pub mod reconcile;
pub mod report;
pub mod savings;
pub mod scenario;
pub mod score;
pub mod simulate;
pub mod source;
pub mod table;
pub mod trace;
pub mod year;

pub use error::{Error, Result};
