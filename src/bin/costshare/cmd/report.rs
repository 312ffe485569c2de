//! `costshare report`: the report pack for every report and model.

use crate::Exit;
use crate::args::{DataArgs, NegativesArg, emit};
use clap::ValueEnum;
use costshare::Error;
use costshare::output::pack::{self, Part};
use std::io::Write;
use std::path::PathBuf;

/// Write the report pack: CSV, charts (SVG, PNG), a workbook and Markdown per report and model
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What to report: a partnership folder (with costshare.toml), a folder
    /// of models, or one model file [default: the folder costshare runs in]
    #[arg(value_name = "PATH", conflicts_with_all = ["model", "data", "models"])]
    path: Option<PathBuf>,
    #[command(flatten)]
    data: DataArgs,
    /// Only this model (and its scenario file beside it in scenarios/)
    #[arg(long, value_name = "FILE", conflicts_with = "models")]
    model: Option<PathBuf>,
    /// Output folder
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
    /// Only this table (in every report and model that has it)
    #[arg(long, value_name = "TABLE")]
    only: Option<String>,
    /// What to write (repeatable or comma-separated); default all
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Vec<PartArg>,
    #[command(flatten)]
    negatives: NegativesArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PartArg {
    Csv,
    Md,
    Xlsx,
    Charts,
}

impl From<PartArg> for Part {
    fn from(p: PartArg) -> Self {
        match p {
            PartArg::Csv => Part::Csv,
            PartArg::Md => Part::Md,
            PartArg::Xlsx => Part::Xlsx,
            PartArg::Charts => Part::Charts,
        }
    }
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let parts: Vec<Part> = if args.format.is_empty() {
        pack::ALL_PARTS.to_vec()
    } else {
        args.format.iter().map(|&p| p.into()).collect()
    };
    let model = args
        .model
        .clone()
        .or_else(|| args.path.clone().filter(|p| p.is_file()));
    let mut all = match &model {
        Some(path) => {
            let m = costshare::model::Model::load(path)?;
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            vec![pack::model_pack(&m, dir)?]
        }
        None => {
            let inputs = match &args.path {
                Some(dir) if dir.join(crate::args::PROJECT_FILE).exists() => {
                    args.data.resolve_in(dir)?
                }
                Some(dir) => crate::args::Inputs {
                    data: None,
                    models: Some(dir.clone()),
                },
                None => args.data.resolve()?,
            };
            if inputs.data.is_none() && inputs.models.is_none() {
                return Err(Error::usage(
                    "nothing to report: give --data FILE, --models DIR or --model FILE, or run where a costshare.toml or models/ folder is",
                ));
            }
            pack::packs(inputs.data.as_deref(), inputs.models.as_deref())?
        }
    };
    if let Some(name) = &args.only {
        for p in &mut all {
            p.tables.retain(|t| &t.name == name);
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
        for w in pack::write(p, &args.out, &parts, args.negatives.get())? {
            emit(out, &format!("wrote {w}\n"))?;
        }
    }
    Ok(Exit::Success)
}
