//! Flags shared by several subcommands, defined once and flattened.

use clap::{Args, ValueEnum};
use costshare::base::money::Negatives;
use costshare::output::render::OutFormat;
use std::io::Write;
use std::path::PathBuf;

/// The annual report workbook the bundled fixtures provide.
pub const DEFAULT_DATA: &str = "fixtures/mkip-2012-13.xlsx";
pub const DEFAULT_MODELS: &str = "models";

#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Annual report inputs: a workbook (one sheet per table) or a folder of CSV files
    #[arg(long, value_name = "FILE|DIR", default_value = DEFAULT_DATA)]
    pub data: PathBuf,
    /// Folder of business-case models (*.toml)
    #[arg(long, value_name = "DIR", default_value = DEFAULT_MODELS)]
    pub models: PathBuf,
}

/// How negatives are shown in Markdown.
#[derive(Args, Debug, Clone, Copy)]
pub struct NegativesArg {
    /// How negatives are shown in Markdown
    #[arg(long = "negatives", value_enum, default_value_t = NegArg::Brackets)]
    pub negatives: NegArg,
}

impl NegativesArg {
    pub fn get(self) -> Negatives {
        match self.negatives {
            NegArg::Brackets => Negatives::Brackets,
            NegArg::Minus => Negatives::Minus,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum NegArg {
    /// (£1,234)
    #[default]
    Brackets,
    /// -£1,234
    Minus,
}

/// The output formats of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Md,
    Json,
}

impl From<Format> for OutFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Csv => OutFormat::Csv,
            Format::Md => OutFormat::Md,
            Format::Json => OutFormat::Json,
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn emit(out: &mut dyn Write, s: &str) -> costshare::Result<()> {
    match out.write_all(s.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(costshare::Error::Write {
            path: "standard output".into(),
            source,
        }),
    }
}
