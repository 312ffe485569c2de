use crate::annual::AnnualInputs;
use crate::business;
use crate::check::{self, CheckReport};
use crate::cli::{DataArgs, emit};
use crate::model;
use crate::report::OutFormat;
use crate::source::Source;
use std::io::Write;

/// Recomputes every table of the annual report and of every model, and
/// compares each published figure with it.
pub fn gather(data: &DataArgs) -> crate::Result<CheckReport> {
    let inputs = AnnualInputs::load(&Source::open(&data.data)?)?;
    for w in inputs.set_aside_notes() {
        eprintln!("costshare: {w}");
    }
    let mut rep = check::compare(&inputs.published, &inputs.tables())?;
    for m in model::load_dir(&data.models)? {
        let r = check::compare(&m.published, &business::tables(&m))?;
        rep.checked += r.checked;
        rep.findings.extend(r.findings);
    }
    Ok(rep)
}

pub fn run(
    strict: bool,
    format: OutFormat,
    data: &DataArgs,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let rep = gather(data)?;
    let text = match format {
        OutFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rep).unwrap_or_default();
            s.push('\n');
            s
        }
        OutFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let _ = w.write_record([
                "table",
                "row",
                "column",
                "published",
                "recomputed",
                "difference",
                "location",
                "source",
            ]);
            for f in &rep.findings {
                let _ = w.write_record([
                    &f.table,
                    &f.row,
                    &f.column,
                    &f.published,
                    &f.recomputed,
                    &f.difference,
                    &f.location,
                    &f.source,
                ]);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        OutFormat::Md => crate::report::check_markdown(&rep),
    };
    emit(out, &text)?;
    if !rep.findings.is_empty() {
        eprintln!(
            "costshare: {} of {} published figures differ from their recomputation",
            rep.findings.len(),
            rep.checked
        );
    }
    Ok(if strict && !rep.findings.is_empty() {
        1
    } else {
        0
    })
}
