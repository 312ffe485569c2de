//! `costshare check-draft`: the figures of a draft annual report (Markdown
//! or Word) against the recomputed tables.

use crate::Exit;
use crate::args::{DataArgs, Format, emit};
use costshare::Error;
use costshare::output::draft;
use costshare::output::render::{self, OutFormat};
use std::io::Write;
use std::path::PathBuf;

const AFTER_HELP: &str = "Every figure in the draft is matched with the table it sits in (a table \
under a heading that is the recomputed table's title: cell by cell, row and column by name), or \
with the commentary it repeats (the same sentence with other figures), or with any figure of the \
recomputed report. Listed: figures that differ (with the cell they should come from), columns and \
rows the tables no longer have, years no table speaks of, and {{table:row:column}} placeholders that \
name no cell. Figures found nowhere are counted in a note.\n\n\
Example: costshare check-draft draft.docx --strict (a copy of a report pack's report.md, edited, \
is a draft too).";

/// Check a draft annual report's figures against the recomputed tables
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The draft: Markdown (.md) or Word (.docx)
    #[arg(value_name = "DRAFT")]
    draft: PathBuf,
    /// Exit 1 when anything is found
    #[arg(long)]
    strict: bool,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    #[command(flatten)]
    data: DataArgs,
}

/// The draft's paragraphs and tables, by its kind.
pub fn read(path: &std::path::Path) -> costshare::Result<Vec<draft::Block>> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" => draft::blocks::docx(path),
        "md" | "markdown" | "txt" => Ok(draft::blocks::markdown(
            &costshare::input::import::read_text(path)?,
        )),
        _ => Err(Error::usage(format!(
            "{}: expected a Markdown (.md) or Word (.docx) draft",
            path.display()
        ))),
    }
}

/// The recomputed report: the annual report, every model and the monthly
/// monitoring reports; what was not there to check against (no
/// annual-report data, or no models: none given, or a models folder
/// holding none), or left out; and whether ledger lines were set aside
/// unaccepted (exit 3, as `report` and `reconcile` exit).
pub fn packs(data: &DataArgs) -> costshare::Result<Packs> {
    let inputs = data.resolve()?;
    let (data, models) = (inputs.data.as_deref(), inputs.models.as_deref());
    let mut packs = match (data, models) {
        (None, None) => Vec::new(),
        _ => costshare::output::pack::packs(data, models)?,
    };
    let has_models = packs.len() > usize::from(data.is_some());
    // The monthly monitoring reports `report` writes from costshare.toml.
    let mut set_aside = false;
    if let Some(flags) = &inputs.monitoring {
        let (more, lost) = monitoring_packs(flags)?;
        packs.extend(more);
        set_aside = lost;
    }
    let folder = models
        .map(|m| format!(" in {}", m.display()))
        .unwrap_or_default();
    let missing = match (data.is_some(), has_models) {
        (false, false) if inputs.monitoring.is_some() => Vec::new(),
        (false, false) => {
            return Err(Error::usage(format!(
                "nothing to check against: no annual-report data and no models{folder}; give --data FILE or --models DIR, or run where a costshare.toml is"
            )));
        }
        (false, true) => vec![
            "No annual-report data was given (--data FILE, or a costshare.toml naming it): the draft is checked against the models' tables only.".to_string(),
        ],
        (true, false) => vec![format!(
            "No models were found{folder} (--models DIR): the draft is checked against the annual report's tables only."
        )],
        _ => Vec::new(),
    };
    let mut missing = missing;
    if set_aside {
        missing.push("Ledger lines were set aside reading the monitoring reports' ledger (said above): their figures leave that money out; allow-rejects = true in [monitoring] accepts it (exit 3 until then).".into());
    }
    Ok(Packs {
        packs,
        missing,
        set_aside,
    })
}

/// What `packs` gives.
pub struct Packs {
    pub packs: Vec<costshare::output::pack::Pack>,
    pub missing: Vec<String>,
    pub set_aside: bool,
}

/// The monitoring reports of costshare.toml's `[monitoring]`, worked out
/// as `report` writes them (they could not be checked: their figures were
/// found in no table).
fn monitoring_packs(
    flags: &[String],
) -> costshare::Result<(Vec<costshare::output::pack::Pack>, bool)> {
    let file = std::path::Path::new(crate::args::PROJECT_FILE);
    let mut r = super::report::reconcile_args(flags, file, None, "brackets")?;
    r.monitoring.keep_packs = true;
    super::reconcile::monitoring_packs(&r).map_err(|e| match e {
        Error::Usage(m) => crate::args::monitoring_error(file, &m),
        other => other,
    })
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let blocks = read(&args.draft)?;
    let Packs {
        packs,
        missing,
        set_aside,
    } = packs(&args.data)?;
    let rep = draft::check(&blocks, &packs);
    let mut t = draft::report_table(&rep, &args.draft.display().to_string());
    // Said first, and on standard error: a draft checked against half the
    // report passes whatever its other figures say.
    for m in missing.iter().rev() {
        eprintln!("costshare: warning: {m}");
        t.notes.insert(0, m.clone());
    }
    let text = match OutFormat::from(args.format) {
        // No findings: the headline, and any note (figures found nowhere).
        OutFormat::Md if rep.findings.is_empty() => {
            let notes: String = t.notes.iter().map(|n| format!("\n> {n}\n")).collect();
            format!("{}\n{notes}", t.headline)
        }
        f => render::render(&t, f, Default::default())?,
    };
    emit(out, &text)?;
    eprintln!("costshare: {}", t.headline);
    Ok(if args.strict && !rep.findings.is_empty() {
        Exit::Differences
    } else if set_aside {
        Exit::SetAside
    } else {
        Exit::Success
    })
}
