//! One file per subcommand, as xsv does: each owns its `Args` and `run`.

pub mod apportion;
pub mod bench;
pub mod check;
pub mod check_draft;
pub mod fill;
pub mod generate_ledger;
pub mod import;
pub mod init;
pub mod reconcile;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod simulate;
pub mod table;
