use crate::annual::{self, AnnualInputs};
use crate::business;
use crate::cli::{DataArgs, emit};
use crate::error::Error;
use crate::model::{self, Model};
use crate::money::Negatives;
use crate::report::{self, OutFormat};
use crate::score;
use crate::source::Source;
use crate::table::Table;
use std::io::Write;
use std::path::Path;

fn known() -> String {
    annual::TABLES
        .iter()
        .chain(business::TABLES)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// A model table: from --model, or from the one model in --models that has it.
fn model_table(name: &str, model: Option<&Path>, data: &DataArgs) -> crate::Result<Table> {
    if let Some(p) = model {
        let m = Model::load(p)?;
        return business::table(&m, name).ok_or_else(|| {
            let has: Vec<String> = business::tables(&m).into_iter().map(|t| t.name).collect();
            Error::usage(format!(
                "{}: this model has no {name} table; it has {}",
                p.display(),
                if has.is_empty() {
                    "none".into()
                } else {
                    has.join(", ")
                }
            ))
        });
    }
    let models = model::load_dir(&data.models)?;
    if name == "score" {
        return Ok(score::overall_table(&models));
    }
    let with: Vec<&Model> = models
        .iter()
        .filter(|m| business::table(m, name).is_some())
        .collect();
    match with.as_slice() {
        [m] => Ok(business::table(m, name).unwrap_or_else(|| Table::new(name, "", &[], 0))),
        [] => Err(Error::usage(format!(
            "no model in {} has a {name} table",
            data.models.display()
        ))),
        many => Err(Error::usage(format!(
            "table {name} is in several models; choose one with --model: {}",
            many.iter()
                .map(|m| m.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub fn run(
    name: &str,
    model: Option<&Path>,
    format: OutFormat,
    neg: Negatives,
    data: &DataArgs,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let table = if annual::TABLES.contains(&name) {
        if let Some(m) = model {
            return Err(Error::usage(format!(
                "table {name} comes from the annual report data (--data), not from a model; drop --model {}",
                m.display()
            )));
        }
        let inputs = AnnualInputs::load(&Source::open(&data.data)?)?;
        for w in inputs.set_aside_notes() {
            eprintln!("costshare: {w}");
        }
        inputs
            .table(name)
            .ok_or_else(|| Error::usage(format!("unknown table {name}")))?
    } else if business::TABLES.contains(&name) {
        model_table(name, model, data)?
    } else {
        return Err(Error::usage(format!(
            "unknown table {name:?}; expected one of {}",
            known()
        )));
    };
    emit(out, &report::render(&table, format, neg))?;
    Ok(0)
}
