//! The costshare command line: a thin layer over the library. Each
//! subcommand is one file in `cmd/` owning its arguments and its `run`.

mod args;
mod cmd;
mod memory;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "costshare",
    version,
    about = "Exact, traceable finance for shared services between partner councils",
    long_about = "costshare imports budget spreadsheets, reproduces the published tables of \
shared-service annual reports and business cases to the pound, checks published figures \
against their recomputation, apportions costs between partners and scores investments.\n\n\
Run it from the project folder: by default it reads fixtures/mkip-2012-13.xlsx and models/.",
    after_help = "Exit codes: 0 success; 1 `check --strict` or `check-draft --strict` found differences; 2 bad input or usage; \
3 `reconcile` set ledger lines aside (accept with --allow-rejects), as did `report`, `check-draft` or `fill` reading a [monitoring] ledger (allow-rejects = true)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Let models read spreadsheets outside their own folder and the current folder
    #[arg(long, global = true)]
    files_anywhere: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    Init(cmd::init::Args),
    Import(cmd::import::Args),
    Table(cmd::table::Args),
    Report(cmd::report::Args),
    Apportion(cmd::apportion::Args),
    Scenario(cmd::scenario::Args),
    Sensitivity(cmd::sensitivity::Args),
    Simulate(cmd::simulate::Args),
    Bench(cmd::bench::Args),
    Reconcile(Box<cmd::reconcile::Args>),
    GenerateLedger(cmd::generate_ledger::Args),
    Check(cmd::check::Args),
    CheckDraft(cmd::check_draft::Args),
    Fill(cmd::fill::Args),
}

/// How the process ends; the numbers are documented in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// `check --strict` found published figures that differ.
    Differences = 1,
    /// Bad input or usage: the message names the file and place.
    BadInput = 2,
    /// `reconcile` set ledger lines aside and `--allow-rejects` was not given.
    SetAside = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

fn run(command: Command, out: &mut dyn Write) -> costshare::Result<Exit> {
    match command {
        Command::Init(a) => cmd::init::run(&a, out),
        Command::Import(a) => cmd::import::run(&a, out),
        Command::Table(a) => cmd::table::run(&a, out),
        Command::Report(a) => cmd::report::run(&a, out),
        Command::Apportion(a) => cmd::apportion::run(&a, out),
        Command::Scenario(a) => cmd::scenario::run(&a, out),
        Command::Sensitivity(a) => cmd::sensitivity::run(&a, out),
        Command::Simulate(a) => cmd::simulate::run(&a, out),
        Command::Bench(a) => cmd::bench::run(&a, out),
        Command::Reconcile(a) => cmd::reconcile::run(&a, out),
        Command::GenerateLedger(a) => cmd::generate_ledger::run(&a, out),
        Command::Check(a) => cmd::check::run(&a, out),
        Command::CheckDraft(a) => cmd::check_draft::run(&a, out),
        Command::Fill(a) => cmd::fill::run(&a, out),
    }
}

fn main() -> ExitCode {
    memory::keep_freed_memory();
    // A panic inside a spreadsheet decoder is turned into an error message
    // by the library; say nothing for it here. Any other panic is reported.
    costshare::input::import::quiet_contained_panics();
    stderr_gone_is_no_panic();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print(); // stderr gone: the exit code still tells
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    Exit::Success.into()
                }
                _ => Exit::BadInput.into(),
            };
        }
    };
    if cli.files_anywhere {
        costshare::model::FILES_ANYWHERE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = run(cli.command, &mut out);
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(code), Ok(())) => code.into(),
        (Ok(code), Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => code.into(),
        (Ok(_), Err(e)) => {
            eprintln!("costshare: error: standard output: {e}");
            Exit::BadInput.into()
        }
        (Err(e), _) => {
            eprintln!("costshare: error: {}", excerpt(&e.to_string()));
            Exit::BadInput.into()
        }
    }
}

/// Standard error closed (`2>&1 >/dev/null | true`): a note or warning
/// could not be printed, and eprintln! panics (exit 101). Nothing more can
/// be said there, so the run ends as a failed one, quietly.
fn stderr_gone_is_no_panic() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if text.starts_with("failed printing to stderr") {
            std::process::exit(Exit::BadInput as i32);
        }
        hook(info);
    }));
}

/// Most characters of an error message shown: input quoted in a message
/// (a TOML line, a value given on the command line) is never echoed whole.
const MAX_MESSAGE: usize = 2_000;

fn excerpt(msg: &str) -> String {
    if msg.chars().count() <= MAX_MESSAGE {
        return msg.to_string();
    }
    let head: String = msg.chars().take(MAX_MESSAGE).collect();
    format!("{head}… (message cut at {MAX_MESSAGE} characters)")
}
