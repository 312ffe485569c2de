use crate::cli::{DataArgs, emit};
use crate::error::Error;
use crate::money::Negatives;
use crate::pack::{self, Part};
use std::io::Write;
use std::path::Path;

pub fn run(
    data: &DataArgs,
    out_dir: &Path,
    only: Option<&str>,
    parts: &[Part],
    neg: Negatives,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let parts: Vec<Part> = if parts.is_empty() {
        pack::ALL_PARTS.to_vec()
    } else {
        parts.to_vec()
    };
    let mut all = pack::packs(&data.data, &data.models)?;
    if let Some(name) = only {
        for p in &mut all {
            p.tables.retain(|t| t.name == name);
            p.extra_charts.retain(|(t, _)| t == name);
            p.appendix.clear();
        }
        all.retain(|p| !p.tables.is_empty());
        if all.is_empty() {
            return Err(Error::usage(format!(
                "--only {name}: no report or model has a table of that name"
            )));
        }
    }
    let n = all.len();
    for (i, p) in all.iter().enumerate() {
        eprintln!("costshare: [{}/{n}] {}", i + 1, p.name);
        for w in &p.warnings {
            eprintln!("costshare: {w}");
        }
        for w in pack::write(p, out_dir, &parts, neg)? {
            emit(out, &format!("wrote {w}\n"))?;
        }
    }
    Ok(0)
}
