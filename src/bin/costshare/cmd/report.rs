//! `costshare report`: the report pack for every report and model.

use crate::Exit;
use crate::args::{DataArgs, NegativesArg, emit};
use clap::ValueEnum;
use costshare::Error;
use costshare::output::pack::{self, Part};
use std::io::Write;
use std::path::PathBuf;

/// Write the report pack: CSV, charts (SVG, PNG), a workbook, a Word document and Markdown per report and model
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
    Docx,
}

impl From<PartArg> for Part {
    fn from(p: PartArg) -> Self {
        match p {
            PartArg::Csv => Part::Csv,
            PartArg::Md => Part::Md,
            PartArg::Xlsx => Part::Xlsx,
            PartArg::Charts => Part::Charts,
            PartArg::Docx => Part::Docx,
        }
    }
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    if args.out.exists() && !args.out.is_dir() {
        return Err(Error::usage(format!(
            "--out {}: a file, not a folder; give the folder the reports go in",
            args.out.display()
        )));
    }
    let parts: Vec<Part> = if args.format.is_empty() {
        pack::ALL_PARTS.to_vec()
    } else {
        args.format.iter().map(|&p| p.into()).collect()
    };
    let model = args
        .model
        .clone()
        .or_else(|| args.path.clone().filter(|p| p.is_file()));
    let mut monitoring = None;
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
                    models: Some(dir.clone()),
                    ..Default::default()
                },
                None => args.data.resolve()?,
            };
            // Monitoring belongs to the whole pack, not to --only one table.
            monitoring = match (&inputs.monitoring, &args.only) {
                (Some(flags), None) => {
                    let dir = args.path.as_deref().unwrap_or(std::path::Path::new(""));
                    let file = dir.join(crate::args::PROJECT_FILE);
                    let neg = args.negatives.name();
                    Some(reconcile_args(flags, &file, Some(&args.out), neg)?)
                }
                _ => None,
            };
            if inputs.data.is_none() && inputs.models.is_none() && inputs.monitoring.is_none() {
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
        let written = pack::write(p, &args.out, &parts, args.negatives.get())?;
        for w in &written {
            emit(out, &format!("wrote {w}\n"))?;
        }
        // A whole pack: what an earlier run left in csv/ and charts/ goes.
        if args.only.is_none() {
            for r in pack::remove_stale(p, &args.out, &parts, &written)? {
                eprintln!("costshare: removed {r}: an earlier run's, not written by this one");
            }
        }
    }
    match monitoring {
        Some(r) => {
            eprintln!(
                "costshare: monitoring to {}",
                r.monitoring.period.as_deref().unwrap_or("")
            );
            // The tables go into the pack; standard output lists what was
            // written. A mistake in a value is said as the file's.
            super::reconcile::run(&r, &mut std::io::sink()).map_err(|e| match e {
                Error::Usage(m) => {
                    let dir = args.path.as_deref().unwrap_or(std::path::Path::new(""));
                    crate::args::monitoring_error(&dir.join(crate::args::PROJECT_FILE), &m)
                }
                other => other,
            })
        }
        None => Ok(Exit::Success),
    }
}

/// The monitoring reports costshare.toml's `[monitoring]` asks for, as
/// `reconcile --pack` into `out` (None: not written); read before anything
/// is written, so a mistake in it stops the run early.
pub fn reconcile_args(
    flags: &[String],
    path: &std::path::Path,
    out: Option<&std::path::Path>,
    negatives: &str,
) -> costshare::Result<super::reconcile::Args> {
    let file = path.display().to_string();
    let said = |m: String| crate::args::monitoring_error(path, &m);
    #[derive(clap::Parser)]
    struct Reconcile {
        #[command(flatten)]
        args: super::reconcile::Args,
    }
    let mut argv = vec![format!("{file} [monitoring]")];
    argv.extend(flags.iter().cloned());
    if let Some(out) = out {
        argv.push("--pack".into());
        argv.push(out.display().to_string());
    }
    argv.push(format!("--negatives={negatives}"));
    let r = <Reconcile as clap::Parser>::try_parse_from(&argv).map_err(|e| {
        let text = e.render().to_string();
        let first = text.lines().next().unwrap_or_default();
        said(first.trim_start_matches("error: ").to_string())
    })?;
    let period = r.args.monitoring.period.as_deref().unwrap_or_default();
    if costshare::base::date::Month::parse(period).is_none() {
        return Err(said(format!(
            "period {period:?}: expected the month reached as YYYY-MM, from {}, e.g. 2030-07",
            costshare::base::date::MONTH_RANGE
        )));
    }
    let forecast = &r.args.monitoring.forecast;
    if !matches!(forecast.as_str(), "profile" | "run-rate") && !PathBuf::from(forecast).is_file() {
        return Err(said(format!(
            "forecast {forecast:?}: expected profile, run-rate, or a file of authority, service, forecast"
        )));
    }
    // Said by their keys in the file, not as the flags they become.
    super::reconcile::thresholds(&r.args, &|k| k.to_string()).map_err(|e| said(e.to_string()))?;
    super::reconcile::sheets_with_files(&r.args).map_err(|e| said(e.to_string()))?;
    sheets_named(&r.args).map_err(said)?;
    ledger_sheets_named(&r.args).map_err(said)?;
    Ok(r.args)
}

/// Whether a file is a workbook, by its name: sheets are asked of it.
fn workbook(f: &std::path::Path) -> bool {
    let ext = f.extension().map(|e| e.to_string_lossy().to_lowercase());
    matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    )
}

/// Why `file` has none of the sheets `wanted` names, if it has none.
fn lacks_sheet(file: &std::path::Path, wanted: &[String]) -> Option<String> {
    use costshare::input::import::{same_sheet_name, sheet_names};
    if !workbook(file) {
        return Some(format!(
            "{} is not a workbook and has no sheets",
            file.display()
        ));
    }
    let names = match sheet_names(file) {
        Ok(n) => n,
        Err(e) => return Some(e.to_string()),
    };
    let has = |n: &String| wanted.iter().any(|s| same_sheet_name(n, s));
    if names.iter().any(has) {
        return None;
    }
    let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    Some(format!(
        "{} has no sheet of that name; it has {}",
        file.display(),
        list.join(", ")
    ))
}

/// Each ledger (and open orders) workbook has a sheet `actuals-sheet`
/// (`commitments-sheet`) names: reading it would refuse one that has none,
/// after every other pack was written.
fn ledger_sheets_named(a: &super::reconcile::Args) -> Result<(), String> {
    let m = &a.monitoring;
    let lists = [
        ("actuals", "ledger", &a.actuals, &a.actuals_sheet),
        (
            "commitments",
            "commitments",
            &m.commitments,
            &m.commitments_sheet,
        ),
    ];
    for (key, what, files, wanted) in lists {
        if wanted.is_empty() {
            continue;
        }
        let at = |why: String| format!("{key}-sheet {:?}: {why}", wanted.join(" or "));
        let files = costshare::ledger::expand(files).map_err(|e| at(e.to_string()))?;
        let books: Vec<&PathBuf> = files.iter().filter(|f| workbook(f)).collect();
        if books.is_empty() {
            return Err(at(format!(
                "no {what} file is a workbook (xlsx, xls or ods)"
            )));
        }
        if let Some(why) = books.iter().find_map(|f| lacks_sheet(f, wanted)) {
            return Err(at(why));
        }
    }
    Ok(())
}

/// Each `*-sheet` key names a sheet its workbook has: found only after
/// every other pack was written, and said as the workbook's, not the key's.
fn sheets_named(a: &super::reconcile::Args) -> Result<(), String> {
    let m = &a.monitoring;
    let forecast = Some(PathBuf::from(&m.forecast)).filter(|p| p.is_file());
    let pairs = [
        ("budget", a.budget.clone(), &a.budget_sheet),
        ("targets", a.targets.clone(), &a.targets_sheet),
        ("map", a.map.clone(), &a.map_sheet),
        ("profile", m.profile.clone(), &m.profile_sheet),
        ("accounts", m.accounts.clone(), &m.accounts_sheet),
        ("forecast", forecast, &m.forecast_sheet),
    ];
    for (key, file, sheet) in pairs {
        let (Some(file), Some(sheet)) = (file, sheet) else {
            continue;
        };
        if let Some(why) = lacks_sheet(&file, std::slice::from_ref(sheet)) {
            return Err(format!("{key}-sheet {sheet:?}: {why}"));
        }
    }
    Ok(())
}
