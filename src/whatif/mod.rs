//! What-if testing: scenarios (named overrides of a case), sensitivity and
//! seeded simulation.

pub mod keys;
pub mod options;
pub mod scenario;
pub mod simulate;

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
    let specs: Vec<String> = if !given.is_empty() {
        given.to_vec()
    } else {
        let f = file
            .map(Path::to_path_buf)
            .or_else(|| default_file(model, &m));
        match f {
            Some(f) => load_files(&[f], &m)?
                .iter()
                .flat_map(|sf| pick(sf).clone())
                .collect(),
            None => Vec::new(),
        }
    };
    if specs.is_empty() {
        return Err(Error::usage(format!(
            "no ranges: give {flag} KEY=LOW..HIGH (e.g. {flag} savings.realisation=0.7..1) or a scenario file with them"
        )));
    }
    let rs = specs
        .iter()
        .map(|s| simulate::parse_range(&case, s))
        .collect::<crate::Result<Vec<_>>>()?;
    // Drawn twice, the later range would silently win.
    for (k, r) in rs.iter().enumerate() {
        if let Some(j) = rs[..k].iter().position(|q| q.target == r.target) {
            return Err(Error::usage(format!(
                "{flag} {}: draws the same input as {flag} {}; give each input one range",
                specs[k], specs[j]
            )));
        }
    }
    Ok((case, rs))
}
