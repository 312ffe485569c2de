//! `costshare import`: every non-blank cell of a file with its origin.

use crate::Exit;
use clap::ValueEnum;
use costshare::input::import::{self, Grid};
use costshare::output::cells;
use std::io::Write;
use std::path::PathBuf;

/// Show what a spreadsheet or CSV file holds, cell by cell with its origin
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A .xlsx, .xlsm, .xls, .ods or .csv file
    file: PathBuf,
    /// Only this sheet
    #[arg(long)]
    sheet: Option<String>,
    #[arg(long, value_enum, default_value_t = ImportFormat::Csv)]
    format: ImportFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportFormat {
    Csv,
    Json,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    // A sheet at a time, written as it is read and then dropped: a workbook
    // of many full sheets is never held whole. Written to a spool first: a
    // sheet that cannot be read leaves standard output empty, as every
    // error does (it held the sheets before it, and JSON cut short).
    // With no temporary folder to write in, straight to standard output
    // (as before the spool), said once.
    let copied = match Spool::new() {
        Ok(spool) => list(args, &spool.file, &|e| spool_error(&spool, e)).and_then(|exit| {
            let mut f = std::fs::File::open(&spool.path).map_err(|e| spool_error(&spool, e))?;
            let mut out = std::io::BufWriter::new(out);
            std::io::copy(&mut f, &mut out)
                .and_then(|_| out.flush())
                .map_err(stdout_error)
                .map(|()| exit)
        }),
        Err(e) => {
            eprintln!("costshare: note: {e}; the listing is written as it is read");
            list(args, out, &stdout_error)
        }
    };
    match copied {
        // The reader stopped reading (`| head`): nothing more to say.
        Err(costshare::Error::Write { source, .. }) if broken_pipe(&source) => Ok(Exit::Success),
        other => other,
    }
}

/// A temporary file the listing is written to, removed when dropped.
struct Spool {
    path: PathBuf,
    file: std::fs::File,
}

impl Spool {
    /// A new file in the temporary folder ($TMPDIR): never one already
    /// there, nor a link followed (`create_new`), under a name of the
    /// process and the time, tried again on a clash.
    fn new() -> costshare::Result<Spool> {
        let dir = std::env::temp_dir();
        let mut last = None;
        for attempt in 0..16u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let name = format!(
                ".costshare-import-{}-{nanos}-{attempt}.tmp",
                std::process::id()
            );
            let path = dir.join(name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => return Ok(Spool { path, file }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    last = Some(e);
                    break;
                }
            }
        }
        Err(costshare::Error::Write {
            path: format!(
                "{} (the temporary folder, $TMPDIR, the listing is written to first)",
                dir.display()
            ),
            source: last.unwrap_or_else(|| std::io::Error::other("no name free")),
        })
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn spool_error(spool: &Spool, source: std::io::Error) -> costshare::Error {
    costshare::Error::Write {
        path: spool.path.display().to_string(),
        source,
    }
}

/// Lists every sheet to `out` (the spool, or standard output); `spooled`
/// names a failed write.
fn list(
    args: &Args,
    out: impl Write,
    spooled: &dyn Fn(std::io::Error) -> costshare::Error,
) -> costshare::Result<Exit> {
    let mut out = std::io::BufWriter::new(out);
    let (mut first, mut json) = (true, cells::JsonListing::default());
    let written = import::each_sheet(&args.file, args.sheet.as_deref(), &mut |g| {
        if let Some(why) = &g.refused {
            eprintln!("costshare: warning: {}: not read: {why}", g.place());
        }
        match args.format {
            ImportFormat::Csv => {
                for w in cells::formulas_without_values(std::slice::from_ref(&g)) {
                    eprintln!("costshare: warning: {w}");
                }
                cells::write_listing_csv(&g, first, &mut out).map_err(spooled)?;
                report_rows(&g);
            }
            ImportFormat::Json => json.sheet(&g, &mut out).map_err(spooled)?,
        }
        first = false;
        Ok(())
    });
    let done = written.and_then(|()| match args.format {
        ImportFormat::Json => json.finish(&mut out).map_err(spooled),
        ImportFormat::Csv => Ok(()),
    });
    let flushed = out.flush().map_err(spooled);
    done.and(flushed).map(|()| Exit::Success)
}

/// Whether a write failed because the reader went away, also inside the
/// CSV writer's own error (which reports it as another kind).
fn broken_pipe(e: &std::io::Error) -> bool {
    let csv_io = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<csv::Error>())
        .and_then(|c| match c.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        });
    e.kind() == std::io::ErrorKind::BrokenPipe || csv_io == Some(std::io::ErrorKind::BrokenPipe)
}

fn stdout_error(source: std::io::Error) -> costshare::Error {
    costshare::Error::Write {
        path: "standard output".into(),
        source,
    }
}

/// Says on standard error how many rows were read, used and set aside, and why.
fn report_rows(g: &Grid) {
    if g.hidden {
        eprintln!(
            "costshare: note: {} is a hidden sheet; read like any other",
            g.place()
        );
    }
    match import::Records::new(g) {
        Ok(r) => eprintln!("costshare: {}", r.accounting()),
        Err(_) => eprintln!("costshare: {}: empty", g.place()),
    }
}
