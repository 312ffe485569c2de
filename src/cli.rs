//! The command line: argument definitions and dispatch. Each subcommand
//! lives in `cmd/`.

use crate::money::Negatives;
use crate::report::OutFormat;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// The annual report workbook the bundled fixtures provide.
pub const DEFAULT_DATA: &str = "fixtures/mkip-2012-13.xlsx";
pub const DEFAULT_MODELS: &str = "models";
pub const DEFAULT_OUT: &str = "reports";

#[derive(Parser, Debug)]
#[command(
    name = "costshare",
    version,
    about = "Exact, traceable finance for shared services between partner councils",
    long_about = "costshare imports budget spreadsheets, reproduces the published tables of \
shared-service annual reports and business cases to the pound, checks published figures \
against their recomputation, apportions costs between partners and scores investments.\n\n\
Run it from the project folder: by default it reads fixtures/mkip-2012-13.xlsx and models/.",
    after_help = "Exit codes: 0 success; 1 `check --strict` found differences; 2 bad input or usage; \
3 `reconcile` set ledger lines aside (accept with --allow-rejects)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Let models read spreadsheets outside their own folder and the current folder
    #[arg(long, global = true)]
    pub files_anywhere: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Annual report inputs: a workbook (one sheet per table) or a folder of CSV files
    #[arg(long, value_name = "FILE|DIR", default_value = DEFAULT_DATA)]
    pub data: PathBuf,
    /// Folder of business-case models (*.toml)
    #[arg(long, value_name = "DIR", default_value = DEFAULT_MODELS)]
    pub models: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum NegArg {
    /// (£1,234)
    #[default]
    Brackets,
    /// -£1,234
    Minus,
}

impl From<NegArg> for Negatives {
    fn from(n: NegArg) -> Self {
        match n {
            NegArg::Brackets => Negatives::Brackets,
            NegArg::Minus => Negatives::Minus,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show what a spreadsheet or CSV file holds, cell by cell with its origin
    Import {
        /// A .xlsx, .xlsm, .xls, .ods or .csv file
        file: PathBuf,
        /// Only this sheet
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long, value_enum, default_value_t = ImportFormat::Csv)]
        format: ImportFormat,
    },
    /// Print one table, recomputed from its inputs
    #[command(
        after_help = "Tables: budget-breakdown, budget-headline, staff, savings-programme, \
performance-summary, national-picture (annual report); investment, savings, apportionment, \
contributions, pathfinder-budget, score (models; `score` without --model is the MKIP overall score)."
    )]
    Table {
        /// Table name, e.g. budget-breakdown
        name: String,
        /// Business-case model for model tables
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
        format: OutFormat,
        /// How negatives are shown in Markdown
        #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
        negatives: NegArg,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Write the report pack: CSV, charts (SVG, PNG), a workbook and Markdown per report and model
    Report {
        #[command(flatten)]
        data: DataArgs,
        /// Output folder
        #[arg(long, value_name = "DIR", default_value = DEFAULT_OUT)]
        out: PathBuf,
        /// Only this table (in every report and model that has it)
        #[arg(long, value_name = "TABLE")]
        only: Option<String>,
        /// What to write (repeatable or comma-separated); default all
        #[arg(long, value_enum, value_delimiter = ',')]
        format: Vec<crate::pack::Part>,
        /// How negatives are shown in Markdown
        #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
        negatives: NegArg,
    },
    /// Split an amount between partners exactly, rounded by largest remainder
    #[command(
        after_help = "Example: costshare apportion --total 785394 --basis weights \\\n    --weights MBC=253753,SBC=303926,TWBC=403716"
    )]
    Apportion {
        /// The amount to split, e.g. 785394 or "£785,394.00"
        #[arg(long)]
        total: String,
        #[arg(long, value_enum, default_value_t = ApportionBasis::Equal)]
        basis: ApportionBasis,
        /// Partner weights, e.g. MBC=253753,SBC=303926,TWBC=403716 (with --basis weights)
        #[arg(long)]
        weights: Option<String>,
        /// Partners for equal shares
        #[arg(long, default_value = "MBC,SBC,TWBC")]
        partners: String,
        /// Rounding unit: 1 (whole pounds) or 0.01 (pence)
        #[arg(long, default_value = "1")]
        unit: String,
        #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
        format: OutFormat,
    },
    /// Compare the base case with what-if scenarios, side by side
    #[command(
        after_help = "Keys: investment.ITEM.YEAR (ITEM: a unique part of the item's name), investment.ITEM.scale, \
optimism_bias_pct, apportionment.basis, apportionment.weights.P, apportionment.joins.P, population.P, savings.start_year, \
savings.realisation, savings.realisation.YEAR, savings.slip_months, savings.shared_service_cost[.P], savings.baseline.P, \
savings.already_budgeted.P, savings.net_saving_per_annum, tolerance_pct, discount_rate_pct.\n\n\
Without --set or --scenario, the scenarios in models/scenarios/<model>.toml are used.\n\n\
Example: costshare scenario models/planning-support.toml --set investment.Redundancy.2014/15=234000"
    )]
    Scenario {
        /// The business-case model
        model: PathBuf,
        /// An override, KEY=VALUE (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// A scenario file of named override sets (repeatable)
        #[arg(long = "scenario", value_name = "FILE")]
        scenario: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutFormat::Md)]
        format: OutFormat,
        #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
        negatives: NegArg,
    },
    /// Swing each input alone between LOW and HIGH: a tornado table of NPV and score
    Sensitivity {
        model: PathBuf,
        /// KEY=LOW..HIGH (repeatable); default: [sensitivity] of the model's scenario file
        #[arg(long, value_name = "KEY=LOW..HIGH")]
        vary: Vec<String>,
        /// Scenario file to take the ranges from
        #[arg(long = "scenario", value_name = "FILE")]
        scenario: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutFormat::Md)]
        format: OutFormat,
        #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
        negatives: NegArg,
    },
    /// Seeded simulation: P10/P50/P90 of NPV, score and payback, and the chance of a tolerance breach
    Simulate {
        model: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        trials: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// KEY=LOW..HIGH (uniform) or KEY=LOW..HIGH..MODE (triangular), repeatable;
        /// default: [simulation] of the model's scenario file
        #[arg(long, value_name = "KEY=LOW..HIGH[..MODE]")]
        range: Vec<String>,
        /// Scenario file to take the ranges from
        #[arg(long = "scenario", value_name = "FILE")]
        scenario: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutFormat::Md)]
        format: OutFormat,
        #[arg(long, value_enum, default_value_t = NegArg::Brackets)]
        negatives: NegArg,
        /// No progress on standard error
        #[arg(long)]
        quiet: bool,
    },
    /// Measure simulation speed (trials per second, one core)
    Bench {
        #[arg(long, default_value = "models/planning-support.toml")]
        model: PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        trials: usize,
    },
    /// Budget against out-turn, and savings targets against delivered, from ledger extracts
    #[command(after_help = crate::cmd::reconcile::AFTER_HELP)]
    Reconcile(crate::cmd::reconcile::Args),
    /// Write a realistic, deterministic ledger extract with its map, budgets and targets
    GenerateLedger {
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write ledger.csv, map.csv, budget.csv and targets.csv into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write ledger.parquet
        #[arg(long)]
        parquet: bool,
    },
    /// List every published figure that differs from its recomputation
    Check {
        /// Exit 1 when any published figure differs
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = OutFormat::Md)]
        format: OutFormat,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ApportionBasis {
    /// Equal shares (clause 18.1's default)
    Equal,
    /// Shares in proportion to --weights (baseline budgets, populations, percentages…)
    Weights,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    Csv,
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    // A panic inside a spreadsheet decoder is turned into an error message
    // by `import`; say nothing for it here. Any other panic is reported.
    crate::import::quiet_contained_panics();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
        }
    };
    if cli.files_anywhere {
        crate::model::FILES_ANYWHERE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = crate::cmd::run(cli.command, &mut out);
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("costshare: error: {}", excerpt(&e.to_string()));
            2
        }
    }
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

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn emit(out: &mut dyn Write, s: &str) -> crate::Result<()> {
    match out.write_all(s.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(crate::Error::Write {
            path: "standard output".into(),
            source,
        }),
    }
}
