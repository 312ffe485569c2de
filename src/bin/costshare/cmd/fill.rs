//! `costshare fill`: a draft's {{table:row:column}} placeholders replaced by
//! the recomputed figures.

use crate::Exit;
use crate::args::{DataArgs, emit};
use costshare::Error;
use costshare::output::draft;
use std::io::Write;
use std::path::PathBuf;

/// Fill a draft's {{table:row:column}} placeholders from the recomputed tables
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A placeholder names a table, a row and a column as the report pack \
shows them: {{savings-programme:Total:Cumulative 2030/31}}; when several reports have a table of \
that name, put the report's folder name first: {{planning-support/score:NPV:PV savings}}. A \
placeholder that names no cell stops the fill, and nothing is written."
)]
pub struct Args {
    /// The draft: Markdown (.md) or Word (.docx)
    #[arg(value_name = "DRAFT")]
    draft: PathBuf,
    /// Where to write the filled draft (the same kind as the draft)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    // Two spellings of one file, or a link to it, are the same draft.
    if crate::args::same_file(&args.out, &args.draft) {
        return Err(Error::usage(
            "--out must differ from the draft: keep the placeholders to fill again next year",
        ));
    }
    if args.out.is_dir() {
        return Err(Error::usage(format!(
            "--out {}: a folder; give the file to write, e.g. {}",
            args.out.display(),
            args.out.join("report.docx").display()
        )));
    }
    let is_docx = |p: &std::path::Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
    };
    let docx = is_docx(&args.draft);
    // A Word document named report.md (or a text named .docx) opens as
    // nonsense: the output keeps the draft's kind.
    if docx != is_docx(&args.out) {
        let kind = match docx {
            true => "a Word draft is filled into a Word document: give a name ending .docx",
            false => "a text draft is filled into text: give a name not ending .docx",
        };
        return Err(Error::usage(format!(
            "--out {}: {kind}",
            args.out.display()
        )));
    }
    let super::check_draft::Packs {
        packs, set_aside, ..
    } = super::check_draft::packs(&args.data)?;
    if docx {
        draft::fill_docx(&args.draft, &args.out, &packs)?;
    } else {
        super::check_draft::read(&args.draft)?;
        let text = costshare::input::import::read_text(&args.draft)?;
        let filled = draft::fill_text(&text, &packs, false)?;
        costshare::base::atomic::write(&args.out, filled.as_bytes())?;
    }
    emit(out, &format!("wrote {}\n", args.out.display()))?;
    if set_aside {
        eprintln!(
            "costshare: warning: ledger lines were set aside reading the monitoring reports' ledger (said above): the figures filled leave that money out; allow-rejects = true in [monitoring] accepts it"
        );
        return Ok(Exit::SetAside);
    }
    Ok(Exit::Success)
}
