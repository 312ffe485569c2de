//! What-if testing: scenarios (named overrides of a case), sensitivity and
//! seeded simulation.

pub mod draw;
pub mod keys;
pub mod options;
pub mod ranks;
pub mod scenario;
pub mod simulate;
pub mod trials;

use crate::Error;
use crate::model::Model;
use scenario::{Case, ScenarioFile};
use simulate::Range;
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

/// scenarios/<model>.toml beside the model, when it exists.
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

/// The case and its ranges: those `given`, or else those of the scenario
/// `file` (default: the model's own), picked by `pick`. `flag` names the
/// command-line flag in the message when there are none.
pub fn ranges(
    model: &Path,
    given: &[String],
    file: Option<&Path>,
    pick: fn(&ScenarioFile) -> &Vec<String>,
    flag: &str,
) -> crate::Result<(Case, Vec<Range>)> {
    let (m, case) = load_case(model)?;
    let (specs, from): (Vec<String>, _) = if !given.is_empty() {
        (given.to_vec(), None)
    } else {
        let f = file
            .map(Path::to_path_buf)
            .or_else(|| default_file(model, &m));
        match f {
            Some(f) => (
                load_files(std::slice::from_ref(&f), &m)?
                    .iter()
                    .flat_map(|sf| pick(sf).clone())
                    .collect(),
                Some(f),
            ),
            None => (Vec::new(), None),
        }
    };
    // A range from a scenario file is said as the file's, by its key.
    let key = flag.trim_start_matches('-');
    let said = |m: String| match &from {
        Some(f) => Error::usage(format!("{}, {key}: {m}", f.display())),
        None => Error::usage(m),
    };
    let named = |s: &str| match from {
        Some(_) => s.to_string(),
        None => format!("{flag} {s}"),
    };
    if specs.is_empty() {
        return Err(Error::usage(format!(
            "no ranges: give {flag} KEY=LOW..HIGH (e.g. {flag} savings.realisation=0.7..1) or a scenario file with them"
        )));
    }
    let rs = specs
        .iter()
        .map(|s| {
            simulate::parse_range(&case, s).map_err(|e| match e {
                Error::Usage(m) => said(m),
                other => other,
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    // Drawn twice, the later range would silently win.
    for (k, r) in rs.iter().enumerate() {
        if let Some(j) = rs[..k].iter().position(|q| q.target == r.target) {
            return Err(said(format!(
                "{}: draws the same input as {}; give each input one range",
                named(&specs[k]),
                named(&specs[j])
            )));
        }
    }
    Ok((case, rs))
}
