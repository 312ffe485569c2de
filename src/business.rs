//! The tables a business-case model yields.

use crate::model::Model;
use crate::table::Table;
use crate::{contributions, investment, pathfinder, savings, score};

pub const TABLES: &[&str] = &[
    "investment",
    "savings",
    "apportionment",
    "contributions",
    "pathfinder-budget",
    "score",
];

/// One table of a model, or None when the model has no such section.
pub fn table(m: &Model, name: &str) -> Option<Table> {
    let mut t = match name {
        "investment" => investment::table(m),
        "savings" => savings::table(m),
        "apportionment" => investment::shares_table(m),
        "contributions" => contributions::table(m),
        "pathfinder-budget" => pathfinder::table(m),
        "score" => score::table(m),
        _ => None,
    }?;
    if name == "investment" || name == "savings" {
        t.notes.extend(m.notes.iter().cloned());
    }
    Some(t)
}

/// Every table the model has.
pub fn tables(m: &Model) -> Vec<Table> {
    TABLES.iter().filter_map(|n| table(m, n)).collect()
}
