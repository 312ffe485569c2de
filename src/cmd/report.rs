use crate::annual::AnnualInputs;
use crate::cli::{DataArgs, emit};
use crate::error::Error;
use crate::money::Negatives;
use crate::report;
use crate::source::Source;
use crate::table::Table;
use std::io::Write;
use std::path::Path;

pub fn write_file(path: &Path, contents: &[u8]) -> crate::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, contents).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// Writes one pack: csv/<table>.csv for each table and one Markdown file.
pub fn write_pack(
    dir: &Path,
    title: &str,
    intro: &str,
    tables: &[Table],
    neg: Negatives,
    extra_md: &str,
) -> crate::Result<Vec<String>> {
    let mut written = Vec::new();
    for t in tables {
        let p = dir.join("csv").join(format!("{}.csv", t.name));
        write_file(&p, report::to_csv(t).as_bytes())?;
        written.push(p.display().to_string());
    }
    let mut md = format!("# {title}\n\n{intro}\n");
    for t in tables {
        md.push('\n');
        md.push_str(&report::to_markdown(t, neg, "##"));
    }
    if !extra_md.is_empty() {
        md.push('\n');
        md.push_str(extra_md);
    }
    let p = dir.join("report.md");
    write_file(&p, md.as_bytes())?;
    written.push(p.display().to_string());
    Ok(written)
}

pub fn run(
    data: &DataArgs,
    out_dir: &Path,
    neg: Negatives,
    out: &mut dyn Write,
) -> crate::Result<i32> {
    let inputs = AnnualInputs::load(&Source::open(&data.data)?)?;
    let tables = inputs.tables();
    let check = crate::check::compare(&inputs.published, &tables)?;
    let intro = format!(
        "Tables of the MKIP Annual Report 2012/13, recomputed by costshare from `{}`.",
        data.data.display()
    );
    let written = write_pack(
        &out_dir.join("annual-report-2012-13"),
        "MKIP Annual Report 2012/13",
        &intro,
        &tables,
        neg,
        &report::check_markdown(&check),
    )?;
    for w in &written {
        emit(out, &format!("wrote {w}\n"))?;
    }
    let models = crate::model::load_dir(&data.models)?;
    for m in &models {
        let tables = crate::business::tables(m);
        let check = crate::check::compare(&m.published, &tables)?;
        let intro = format!("Recomputed by costshare from `{}`.", m.file);
        let extra = if m.published.is_empty() {
            String::new()
        } else {
            report::check_markdown(&check)
        };
        for w in write_pack(
            &out_dir.join(&m.slug),
            &m.name,
            &intro,
            &tables,
            neg,
            &extra,
        )? {
            emit(out, &format!("wrote {w}\n"))?;
        }
    }
    let overall = crate::score::overall_table(&models);
    for w in write_pack(
        &out_dir.join("mkip-overall"),
        "MKIP overall investment score",
        "The five-year investment score of every business case in the models folder, and of MKIP overall.",
        &[overall],
        neg,
        "",
    )? {
        emit(out, &format!("wrote {w}\n"))?;
    }
    Ok(0)
}
