use crate::annual::{self, AnnualInputs};
use crate::cli::{DataArgs, emit};
use crate::error::Error;
use crate::money::Negatives;
use crate::report::{self, OutFormat};
use crate::source::Source;
use std::io::Write;
use std::path::Path;

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
        inputs.table(name).ok_or_else(|| Error::usage(format!("unknown table {name}")))?
    } else {
        return Err(Error::usage(format!(
            "unknown table {name:?}; expected one of {}",
            annual::TABLES.join(", ")
        )));
    };
    emit(out, &report::render(&table, format, neg))?;
    Ok(0)
}
