//! Flags shared by several subcommands, defined once and flattened.

use clap::{Args, ValueEnum};
use costshare::base::money::Negatives;
use costshare::output::render::OutFormat;
use std::io::Write;
use std::path::PathBuf;

/// The file in the folder costshare runs in that says what it reads by
/// default: `data = "…"` (annual-report inputs) and `models = "…"`, paths
/// relative to the file.
pub const PROJECT_FILE: &str = costshare::model::PROJECT_FILE;

#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Annual report inputs: a workbook (one sheet per table) or a folder of CSV files
    /// [default: `data` in ./costshare.toml]
    #[arg(long, value_name = "FILE|DIR")]
    pub data: Option<PathBuf>,
    /// Folder of business-case models (*.toml) [default: `models` in ./costshare.toml, or ./models]
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// What to read: annual-report data and a models folder, either of which
/// may be absent.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub data: Option<PathBuf>,
    pub models: Option<PathBuf>,
    /// The `[monitoring]` table of costshare.toml, as `reconcile` flags
    /// (paths resolved against the file's folder).
    pub monitoring: Option<Vec<String>>,
}

impl DataArgs {
    /// The flags given, else ./costshare.toml, else ./models if it exists.
    pub fn resolve(&self) -> costshare::Result<Inputs> {
        self.resolve_in(std::path::Path::new(""))
    }

    /// As `resolve`, for a partnership folder `dir`: its costshare.toml and
    /// models/ (flags still win).
    pub fn resolve_in(&self, dir: &std::path::Path) -> costshare::Result<Inputs> {
        let project = project_file(dir)?;
        let models = self
            .models
            .clone()
            .or(project.models)
            .or_else(|| Some(dir.join("models")).filter(|p| p.is_dir()));
        Ok(Inputs {
            data: self.data.clone().or(project.data),
            models,
            monitoring: project.monitoring,
        })
    }
}

/// ./costshare.toml, read when present.
fn project_file(dir: &std::path::Path) -> costshare::Result<Inputs> {
    let path = dir.join(PROJECT_FILE);
    let path = path.as_path();
    if !path.exists() {
        return Ok(Inputs::default());
    }
    let text = costshare::input::import::read_text(path)?;
    let file = path.display().to_string();
    let doc = costshare::model::toml_doc(&text, &file)?;
    // Each error on the line of the key it names.
    let lines = costshare::model::key_lines(&text);
    let bad = |key: &str, msg: &str| {
        costshare::model::located(costshare::Error::model(&file, key, msg), &lines)
    };
    let mut out = Inputs::default();
    for (k, v) in &doc {
        if k == "monitoring" {
            let t = v
                .as_table()
                .ok_or_else(|| bad(k, "expected a table: [monitoring] with budget = \"…\" etc."))?;
            out.monitoring = Some(monitoring_flags(dir, t, &bad)?);
            continue;
        }
        // Relative to the file that names them.
        let p = v
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .map(|s| beside(dir, s))
            .ok_or_else(|| bad(k, "expected a path in quotes (not empty)"))?;
        match k.as_str() {
            "data" => out.data = Some(p),
            "models" => out.models = Some(p),
            _ => return Err(bad(k, "unknown key; expected data, models or [monitoring]")),
        }
    }
    Ok(out)
}

/// `path` relative to `dir`, with `x/..` taken out, so messages name
/// `fixtures/ledger.csv` rather than `fixtures/wlp/../ledger.csv`; kept as
/// written when that is another file (`x` a link to another folder).
fn beside(dir: &std::path::Path, path: &str) -> PathBuf {
    let raw = dir.join(path);
    let folded = folded(&raw);
    match (std::fs::canonicalize(&raw), std::fs::canonicalize(&folded)) {
        (Ok(a), Ok(b)) if a != b => raw,
        (Ok(_), Err(_)) => raw,
        _ => folded,
    }
}

/// `path` with `.` and each `x/..` taken out, by its words alone.
fn folded(path: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A mistake in a `[monitoring]` value found once it is read, said at its
/// key's line of costshare.toml (`file`), as a mistake in the table itself
/// is: the key is the message's first word, or the flag it names.
pub fn monitoring_error(file: &std::path::Path, message: &str) -> costshare::Error {
    let keys = [
        &MONITORING_PATHS[..],
        &MONITORING_VALUES[..],
        &["allow-rejects"],
    ]
    .concat();
    let first = message.split([' ', ':']).next().unwrap_or_default();
    let key = keys
        .iter()
        .find(|k| first.trim_start_matches("--") == **k)
        .or_else(|| keys.iter().find(|k| message.contains(&format!("'--{k}"))));
    let text = std::fs::read_to_string(file).ok();
    match (key, text) {
        (Some(k), Some(text)) => costshare::model::located(
            costshare::Error::model(
                &file.display().to_string(),
                &format!("monitoring.{k}"),
                message,
            ),
            &costshare::model::key_lines(&text),
        ),
        _ => costshare::Error::usage(format!("{} [monitoring]: {message}", file.display())),
    }
}

/// `[monitoring]` keys that name files, relative to costshare.toml.
const MONITORING_PATHS: [&str; 8] = [
    "actuals",
    "commitments",
    "budget",
    "map",
    "targets",
    "profile",
    "accounts",
    "forecast",
];
/// `[monitoring]` keys taken as they are.
const MONITORING_VALUES: [&str; 19] = [
    "period",
    "year-start",
    "columns",
    "authority",
    "detail",
    "budget-sheet",
    "map-sheet",
    "targets-sheet",
    "actuals-sheet",
    "commitments-sheet",
    "profile-sheet",
    "accounts-sheet",
    "forecast-sheet",
    "budget-unit",
    "actuals-unit",
    "amber",
    "red",
    "under-amber",
    "under-red",
];

/// The `[monitoring]` table as `reconcile` flags: each key is the flag of
/// the same name; `actuals` and `commitments` may list several files.
fn monitoring_flags(
    dir: &std::path::Path,
    t: &toml::Table,
    bad: &dyn Fn(&str, &str) -> costshare::Error,
) -> costshare::Result<Vec<String>> {
    let mut flags = Vec::new();
    for (k, v) in t {
        let key = format!("monitoring.{k}");
        // A switch: lines set aside are accepted (said in the pack and on
        // standard error, not an exit 3).
        if k == "allow-rejects" {
            match v.as_bool() {
                Some(true) => flags.push("--allow-rejects".to_string()),
                Some(false) => {}
                None => return Err(bad(&key, "expected true or false, without quotes")),
            }
            continue;
        }
        let values: Vec<String> = match v {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Integer(i) => vec![i.to_string()],
            toml::Value::Float(f) => vec![f.to_string()],
            toml::Value::Array(a)
                if matches!(
                    k.as_str(),
                    "actuals" | "commitments" | "actuals-sheet" | "commitments-sheet"
                ) =>
            {
                a.iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<_>>()
                    .ok_or_else(|| bad(&key, "expected a list of paths in quotes"))?
            }
            _ => return Err(bad(&key, "expected a value in quotes")),
        };
        let is_path = MONITORING_PATHS.contains(&k.as_str());
        // A number is no path ("5" was read as one), an empty list or
        // path names nothing (`[""]` read the project's own folder).
        if is_path && !matches!(v, toml::Value::String(_) | toml::Value::Array(_)) {
            return Err(bad(&key, "expected a path in quotes"));
        }
        if values.is_empty() || values.iter().any(|x| x.trim().is_empty()) {
            return Err(bad(&key, "expected a value, not an empty one"));
        }
        if !is_path && !MONITORING_VALUES.contains(&k.as_str()) {
            let known = [
                &MONITORING_PATHS[..],
                &MONITORING_VALUES[..],
                &["allow-rejects"],
            ]
            .concat();
            return Err(bad(
                &key,
                &format!("unknown key; expected one of {}", known.join(", ")),
            ));
        }
        for v in values {
            // A forecast method is a word, not a file.
            let word = k == "forecast" && matches!(v.as_str(), "profile" | "run-rate");
            let v = match is_path && !word {
                true => beside(dir, &v).display().to_string(),
                false => v,
            };
            // Said at its key's line, not as the file's error alone (a
            // ledger pattern such as "spend-*.csv" is matched later).
            let pattern = v.contains(['*', '?']);
            let at = std::path::Path::new(&v);
            if is_path && k != "forecast" && !pattern && !at.exists() {
                return Err(bad(&key, &format!("{v}: no such file or folder")));
            }
            // Only ledgers may be folders of files.
            let folders = matches!(k.as_str(), "actuals" | "commitments");
            if is_path && !folders && at.is_dir() {
                return Err(bad(&key, &format!("{v}: is a folder; expected a file")));
            }
            // Joined by "=": a value such as -1 or "--strict" is the
            // key's value, not another flag.
            flags.push(format!("--{k}={v}"));
        }
    }
    if !t.contains_key("period") || !t.contains_key("budget") || !t.contains_key("actuals") {
        return Err(bad(
            "monitoring",
            "needs at least actuals, budget and period (the month reached, YYYY-MM)",
        ));
    }
    Ok(flags)
}

/// How negatives are shown in Markdown.
#[derive(Args, Debug, Clone, Copy)]
pub struct NegativesArg {
    /// How negatives are shown in Markdown
    #[arg(long = "negatives", value_enum, default_value_t = NegArg::Brackets)]
    pub negatives: NegArg,
}

impl NegativesArg {
    /// The flag's value as written on the command line.
    pub fn name(self) -> &'static str {
        match self.negatives {
            NegArg::Brackets => "brackets",
            NegArg::Minus => "minus",
        }
    }
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
/// Whether two paths name one file: the same spelling, or two spellings
/// (or a link) that resolve to it.
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let real = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    a == b || real(a).is_some_and(|x| Some(x) == real(b))
}

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
