//! Reading spreadsheets and CSV into traced grids, with limits on size.

pub mod csvscan;
pub mod import;
mod rows;
pub mod source;
