use crate::cli::emit;
use crate::error::Error;
use crate::model::Model;
use crate::money::Negatives;
use crate::report::{self, OutFormat};
use crate::scenario::{self, Case, Scenario, ScenarioFile};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The model, flattened for what-if testing.
pub fn load_case(model: &Path) -> crate::Result<(Model, Case)> {
    let m = Model::load(model)?;
    let c = Case::from_model(&m).ok_or_else(|| {
        Error::usage(format!(
            "{}: has no investment window (first_year and [[investment]]) to test scenarios on",
            model.display()
        ))
    })?;
    Ok((m, c))
}

/// models/scenarios/<model>.toml beside the model, when it exists.
pub fn default_file(model: &Path, m: &Model) -> Option<PathBuf> {
    scenario::default_file(model.parent()?, &m.slug)
}

/// Reads scenario files, refusing one written for another model.
pub fn load_files(files: &[PathBuf], m: &Model) -> crate::Result<Vec<ScenarioFile>> {
    files
        .iter()
        .map(|f| {
            let sf = scenario::load_file(f)?;
            if let Some(for_model) = &sf.model
                && *for_model != m.slug
            {
                return Err(Error::usage(format!(
                    "{}: is for model {for_model:?}, not {:?} ({})",
                    f.display(),
                    m.slug,
                    m.file
                )));
            }
            Ok(sf)
        })
        .collect()
}

pub fn run(
    model: &Path,
    sets: &[String],
    files: &[PathBuf],
    format: OutFormat,
    neg: Negatives,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let (m, base) = load_case(model)?;
    let mut scenarios: Vec<Scenario> = Vec::new();
    let files: Vec<PathBuf> = if files.is_empty() && sets.is_empty() {
        default_file(model, &m).into_iter().collect()
    } else {
        files.to_vec()
    };
    for sf in load_files(&files, &m)? {
        scenarios.extend(sf.scenarios);
    }
    if !sets.is_empty() {
        scenarios.push(Scenario {
            name: "With --set".into(),
            description: sets.join(", "),
            set: sets
                .iter()
                .map(|s| scenario::parse_assignment(s))
                .collect::<crate::Result<_>>()?,
        });
    }
    let t = scenario::compare_named(&m.name, &base, &scenarios)?;
    emit(out, &report::render(&t, format, neg))?;
    Ok(0)
}
