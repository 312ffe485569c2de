//! The tables a business-case model or annual report yields, and the check
//! of published figures against their recomputation.

pub mod annual;
pub mod check;

use crate::base::error::Error;
use crate::base::table::Table;
use crate::case::{contributions, investment, partners, pathfinder, savings, score};
use crate::model::{self, Model};
use std::path::Path;

pub const TABLES: &[&str] = &[
    "investment",
    "savings",
    "apportionment",
    "contributions",
    "pathfinder-budget",
    "score",
    "partners",
    "partners-by-year",
    "true-up",
];

/// One table of a model, or None when the model has no such section. An
/// error is a model whose figures cannot be computed, never "no table".
pub fn table(m: &Model, name: &str) -> crate::Result<Option<Table>> {
    let t = match name {
        "investment" => investment::table(m)?,
        "savings" => savings::table(m)?,
        "apportionment" => investment::shares_table(m)?,
        "contributions" => contributions::table(m),
        "pathfinder-budget" => pathfinder::table(m),
        "score" => score::table(m)?,
        "partners" => partners::table(m)?,
        "partners-by-year" => partners::by_year_table(m)?,
        "true-up" => crate::case::trueup::table(m)?,
        _ => None,
    };
    Ok(t.map(|mut t| {
        if name == "investment" || name == "savings" {
            t.notes.extend(m.notes.iter().cloned());
        }
        t.rounding_note();
        t
    }))
}

/// Every table the model has.
pub fn tables(m: &Model) -> crate::Result<Vec<Table>> {
    let mut out = Vec::new();
    for n in TABLES {
        out.extend(table(m, n)?);
    }
    Ok(out)
}

/// Every table name, annual report's first.
pub fn known() -> String {
    annual::TABLES
        .iter()
        .chain(TABLES)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// A model table: from `model`, or from the one model in `models_dir`
/// that has it (`score` there is the overall score of every model).
pub fn model_table(name: &str, model: Option<&Path>, models_dir: &Path) -> crate::Result<Table> {
    if let Some(p) = model {
        let m = Model::load(p)?;
        if let Some(t) = table(&m, name)? {
            return Ok(t);
        }
        // Only now, for the message: which tables it does have.
        let has: Vec<String> = tables(&m)?.into_iter().map(|t| t.name).collect();
        return Err(Error::usage(format!(
            "{}: this model has no {name} table; it has {}",
            p.display(),
            if has.is_empty() {
                "none".into()
            } else {
                has.join(", ")
            }
        )));
    }
    let models = model::load_dir(models_dir)?;
    if name == "score" {
        let p = model::load_partnership(models_dir)?;
        return score::overall_table(&models, p.name.as_deref());
    }
    let mut with: Vec<(Table, &Model)> = Vec::new();
    for m in &models {
        if let Some(t) = table(m, name)? {
            with.push((t, m));
        }
    }
    match with.len() {
        1 => Ok(with.remove(0).0),
        0 => Err(Error::usage(format!(
            "no model in {} has a {name} table",
            models_dir.display()
        ))),
        _ => Err(Error::usage(format!(
            "table {name} is in several models; choose one with --model: {}",
            with.iter()
                .map(|(_, m)| m.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
