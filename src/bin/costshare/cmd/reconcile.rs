//! `costshare reconcile`: budgets against out-turn and savings targets
//! against delivery, from ledger extracts. Nothing read is lost: every
//! set-aside line is listed and makes the command exit 3.

mod monitoring;

use crate::Exit;
use crate::args::{Format, NegativesArg, emit};
use costshare::Error;
use costshare::ledger::accounting::{ledger_json, set_aside_line, summary, write_rejects};
use costshare::ledger::inputs::{read_budget, read_map, read_targets};
use costshare::ledger::reconcile::{self, Thresholds};
use costshare::ledger::{self, Columns, LedgerTotals};
use costshare::output::render::{self, OutFormat};
use rust_decimal::Decimal;
use std::io::Write;
use std::path::PathBuf;

const AFTER_HELP: &str = "The ledger (--actuals) is one or more files, folders or patterns \
(spend-*.csv): CSV in UTF-8 or Windows-1252, or a workbook (xlsx, xls, ods), or Parquet, each with \
a header naming authority, cost_centre and amount (case, spaces and underscores do not matter; \
income negative). Rename with --columns amount=Value,cost_centre=Service Area; for one council's \
extract with no authority column give --authority NAME. --map is CSV cost_centre,service; --budget \
is authority,service,budget (CSV or a spreadsheet); --targets is authority,service,baseline,target.\n\n\
Nothing is lost: blank lines are skipped and counted; lines with a blank cost centre or authority \
go to an Unassigned row; amounts written by a float (631.1899999999999) are read as the pence they \
render and listed; fractions of a penny are kept exactly. Any line that cannot be read is set \
aside, listed on standard error and in --rejects FILE, and the command exits 3 unless \
--allow-rejects is given.\n\n\
Example: costshare generate-ledger --rows 100000 --seed 1 --out /tmp/gl && \
costshare reconcile --actuals /tmp/gl/ledger.csv --map /tmp/gl/map.csv --budget /tmp/gl/budget.csv";

/// Budget against out-turn, and savings targets against delivered, from ledger extracts
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Budgets: authority, service, budget (and optionally account group:
    /// a service's budget is then the sum of its groups')
    #[arg(long, value_name = "FILE")]
    pub budget: Option<PathBuf>,
    /// Sheet of the budget workbook
    #[arg(long, value_name = "NAME")]
    pub budget_sheet: Option<String>,
    /// Savings targets: authority, service, baseline, target
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Sheet of the targets workbook
    #[arg(long, value_name = "NAME")]
    pub targets_sheet: Option<String>,
    /// Ledger extracts: files, folders or patterns (CSV, xlsx/xls/ods, .parquet)
    #[arg(long, value_name = "FILE|DIR", num_args = 1.., required = true)]
    pub actuals: Vec<PathBuf>,
    /// Sheets of ledger workbooks to read, repeatable [default: every sheet
    /// with a ledger header, hidden ones too]
    #[arg(long, value_name = "NAME")]
    pub actuals_sheet: Vec<String>,
    /// Cost centre to service (CSV: cost_centre, service)
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Sheet of the map workbook
    #[arg(long, value_name = "NAME")]
    pub map_sheet: Option<String>,
    /// Ledger header names, e.g. amount=Value,cost_centre=CC,authority=Council;
    /// for monitoring date=HEADER (each line's date) or period=HEADER (its
    /// period number, 1 = the year's first month) and account=HEADER
    #[arg(long, value_name = "FIELD=HEADER,…")]
    pub columns: Option<String>,
    /// The authority of every ledger line, for extracts with no authority column
    #[arg(long, value_name = "NAME")]
    pub authority: Option<String>,
    /// Units of the budget and targets files when their headings do not say
    /// (£, £000, £m); a heading such as "budget (£000)" says it itself
    #[arg(long, value_name = "UNIT")]
    pub budget_unit: Option<String>,
    /// Units of the ledger amounts when the heading does not say (£, £000, £m)
    #[arg(long, value_name = "UNIT")]
    pub actuals_unit: Option<String>,
    /// Write the set-aside lines (file, line, reason, text; the first 100,000, then a line saying how many more) to this CSV file
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Lines set aside are accepted: exit 0 instead of 3 (they are still listed)
    #[arg(long)]
    pub allow_rejects: bool,
    /// RAG: amber beyond this |variance %|
    #[arg(long, default_value = "2")]
    pub amber: String,
    /// RAG: red beyond this |variance %|
    #[arg(long, default_value = "5")]
    pub red: String,
    /// RAG for underspends (favourable variances): amber beyond this
    /// [default: --amber]
    #[arg(long, value_name = "PCT")]
    pub under_amber: Option<String>,
    /// RAG for underspends: red beyond this [default: --red]
    #[arg(long, value_name = "PCT")]
    pub under_red: Option<String>,
    /// Any set-aside ledger line is fatal (exit 2)
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    #[command(flatten)]
    pub negatives: NegativesArg,
    #[command(flatten)]
    pub monitoring: Monitoring,
}

/// Monitoring through the year (`--period`).
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "Monitoring through the year")]
pub struct Monitoring {
    /// Monitor to the end of this month (YYYY-MM): the month, the year to
    /// date and a forecast out-turn, from the ledger's dates
    #[arg(long, visible_alias = "to", value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// The financial year's first month (4 = April: period 1 is April)
    #[arg(long, value_name = "MONTH", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=12))]
    pub year_start: u32,
    /// Budget profiles: service (authority and account group optional) and
    /// twelve weights headed P1…P12 or by month [default: flat]
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Sheet of the profile workbook
    #[arg(long, value_name = "NAME")]
    pub profile_sheet: Option<String>,
    /// Forecast out-turn: profile (actual to date plus the rest of the
    /// profiled budget), run-rate, or a FILE of authority, service, forecast
    #[arg(long, value_name = "METHOD|FILE", default_value = "profile")]
    pub forecast: String,
    /// Sheet of the forecast workbook
    #[arg(long, value_name = "NAME")]
    pub forecast_sheet: Option<String>,
    /// Orders raised, not yet paid: ledger files read like --actuals
    #[arg(long, value_name = "FILE|DIR", num_args = 1..)]
    pub commitments: Vec<PathBuf>,
    /// Sheets of commitments workbooks to read, repeatable [default: every
    /// sheet with a ledger header]
    #[arg(long, value_name = "NAME")]
    pub commitments_sheet: Vec<String>,
    /// Account to account group (account, group): the subjective analysis
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// Sheet of the accounts workbook
    #[arg(long, value_name = "NAME")]
    pub accounts_sheet: Option<String>,
    /// Subjective analysis down to account groups or to each account
    /// (needs an account column)
    #[arg(long, value_enum)]
    pub detail: Option<DetailArg>,
    /// Write monitoring reports (Markdown, CSV, a workbook and the
    /// spend-against-profile charts) for the partnership and each authority
    /// into this folder
    #[arg(long, value_name = "DIR")]
    pub pack: Option<PathBuf>,
    /// Keep the monitoring reports (for check-draft and fill), written or not.
    #[arg(skip)]
    pub keep_packs: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailArg {
    Group,
    Account,
}

fn unit(flag: &str, v: Option<&str>) -> costshare::Result<Option<Decimal>> {
    v.map(|u| {
        costshare::base::money::unit_scale(u)
            .ok_or_else(|| Error::usage(format!("--{flag} {u:?}: expected £, £000 or £m")))
    })
    .transpose()
}

fn pct(name: &str, v: &str) -> costshare::Result<Decimal> {
    match costshare::base::money::parse_percent(v) {
        Some(d) if !d.is_sign_negative() => Ok(d),
        _ => Err(Error::usage(format!(
            "{name} {v:?}: expected a percentage such as 5"
        ))),
    }
}

/// Reads every ledger file named, printing each set-aside line and the
/// summary on standard error and writing --rejects.
fn read_ledger(args: &Args, cols: &Columns) -> costshare::Result<LedgerTotals> {
    let totals = read_files(&args.actuals, cols)?;
    if let Some(r) = &args.rejects {
        write_rejects(r, &totals.bad_lines, totals.bad)?;
    }
    if totals.lost_anything() {
        eprintln!("costshare: {}", set_aside_line(&totals));
        if args.strict {
            let first = totals.bad_lines.first();
            return Err(Error::CsvLine {
                path: first.map(|b| b.place.to_string()).unwrap_or_default(),
                line: first.map(|b| b.line).unwrap_or(0),
                message: format!(
                    "{} line{} set aside (--strict); the first: {}",
                    totals.bad,
                    if totals.bad == 1 { "" } else { "s" },
                    first.map(|b| b.reason.as_str()).unwrap_or("")
                ),
            });
        }
    }
    Ok(totals)
}

/// --rejects must not be an input (it was overwritten by the list of
/// lines set aside), nor land in a ledger folder, where the next run
/// would read it as a ledger.
fn rejects_apart(args: &Args) -> costshare::Result<()> {
    let Some(r) = &args.rejects else {
        return Ok(());
    };
    if r.is_dir() {
        return Err(Error::usage(format!(
            "--rejects {}: a folder; give the CSV file to write, e.g. {}",
            r.display(),
            r.join("rejects.csv").display()
        )));
    }
    let m = &args.monitoring;
    let mut inputs = ledger::expand(&args.actuals)?;
    inputs.extend(ledger::expand(&m.commitments)?);
    inputs.extend(
        [
            &args.map,
            &args.budget,
            &args.targets,
            &m.profile,
            &m.accounts,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    if !matches!(m.forecast.as_str(), "profile" | "run-rate") {
        inputs.push(PathBuf::from(&m.forecast));
    }
    if let Some(i) = inputs.iter().find(|i| crate::args::same_file(i, r)) {
        return Err(Error::usage(format!(
            "--rejects {}: is the input {}; name a new file for the lines set aside",
            r.display(),
            i.display()
        )));
    }
    let folder = r.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(std::path::Path::new("."));
    let ledgers = args
        .actuals
        .iter()
        .chain(&m.commitments)
        .filter(|a| a.is_dir());
    match ledgers
        .into_iter()
        .find(|a| crate::args::same_file(a, folder))
    {
        Some(a) => Err(Error::usage(format!(
            "--rejects {}: in the ledger folder {}, where the next run would read it as a ledger; write it elsewhere",
            r.display(),
            a.display()
        ))),
        None => Ok(()),
    }
}

/// Reads ledger files (folders and patterns expanded), listing set-aside
/// lines and the summary on standard error.
fn read_files(paths: &[PathBuf], cols: &Columns) -> costshare::Result<LedgerTotals> {
    let files = ledger::expand(paths)?;
    let size: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Progress on a terminal only: a log file gets the summary, not the spinner.
    let show = size > 64 * 1024 * 1024 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |done: u64, all: u64| {
        if show && all > 0 {
            eprint!("\rcostshare: reading the ledger… {:>3}%", done * 100 / all);
        }
    };
    let mut shown = 0usize;
    let mut sink = |b: &ledger::BadLine| -> costshare::Result<()> {
        if shown < ledger::MAX_SHOWN {
            // A Parquet record shows its authority and cost centre.
            match b.raw.is_empty() {
                true => eprintln!("costshare: set aside {b}"),
                false => eprintln!("costshare: set aside {b}: {}", b.raw),
            }
        }
        shown += 1;
        Ok(())
    };
    let totals = ledger::read_all(&files, cols, &mut progress, &mut sink)?;
    if show {
        eprintln!();
    }
    for a in &totals.alike {
        eprintln!("costshare: warning: {a}");
    }
    if totals.bad as usize > ledger::MAX_SHOWN {
        eprintln!(
            "costshare: … and {} more set aside",
            totals.bad as usize - ledger::MAX_SHOWN
        );
    }
    for line in summary(&totals) {
        eprintln!("costshare: {line}");
    }
    Ok(totals)
}

/// The tables in the chosen format; Markdown opens with the warning when
/// lines were set aside, JSON carries the ledger's own accounting.
fn render(
    args: &Args,
    tables: &[costshare::base::table::Table],
    totals: &LedgerTotals,
) -> costshare::Result<String> {
    let neg = args.negatives.get();
    Ok(match OutFormat::from(args.format) {
        OutFormat::Json => {
            let v: Vec<serde_json::Value> = tables.iter().map(render::to_json_value).collect();
            let doc = serde_json::json!({"tables": v, "ledger": ledger_json(totals)});
            render::json_text(&doc)?
        }
        f => {
            let body = tables
                .iter()
                .map(|t| render::render(t, f, neg))
                .collect::<costshare::Result<Vec<_>>>()?
                .join("\n");
            if f == OutFormat::Md && totals.lost_anything() {
                let also = if args.rejects.is_some() {
                    " and in the rejects file"
                } else {
                    ""
                };
                format!(
                    "**{}** (listed on standard error{also}).\n\n{body}",
                    set_aside_line(totals)
                )
            } else {
                body
            }
        }
    })
}

/// The RAG thresholds, each setting named by `name` in errors (its flag
/// here, its costshare.toml key when `report` reads `[monitoring]`).
pub fn thresholds(args: &Args, name: &dyn Fn(&str) -> String) -> costshare::Result<Thresholds> {
    let th = Thresholds {
        amber_pct: pct(&name("amber"), &args.amber)?,
        red_pct: pct(&name("red"), &args.red)?,
        under: match (&args.under_amber, &args.under_red) {
            (None, None) => None,
            (a, r) => Some((
                pct(&name("under-amber"), a.as_deref().unwrap_or(&args.amber))?,
                pct(&name("under-red"), r.as_deref().unwrap_or(&args.red))?,
            )),
        },
    };
    let above = |(a, r): (Decimal, Decimal), (an, rn): (&str, &str)| {
        Error::usage(format!(
            "{} {a} must not be above {} {r} (amber is the lesser variance %)",
            name(an),
            name(rn)
        ))
    };
    if th.amber_pct > th.red_pct {
        return Err(above((th.amber_pct, th.red_pct), ("amber", "red")));
    }
    if let Some(u) = th.under.filter(|(a, r)| a > r) {
        return Err(above(u, ("under-amber", "under-red")));
    }
    Ok(th)
}

fn columns(args: &Args) -> costshare::Result<Columns> {
    let mut cols = match &args.columns {
        Some(c) => Columns::default().with_overrides(c)?,
        None => Columns::default(),
    };
    cols.fixed_authority = args.authority.clone();
    cols.unit = unit("actuals-unit", args.actuals_unit.as_deref())?;
    cols.sheets = args.actuals_sheet.clone();
    let m = &args.monitoring;
    if m.period.is_some() && cols.date.is_none() {
        cols.date = Some("date".into());
    }
    if (m.accounts.is_some() || m.detail.is_some()) && cols.account.is_none() {
        cols.account = Some("account".into());
    }
    if m.period.is_none()
        && (cols.date.is_some()
            || m.profile.is_some()
            || !m.commitments.is_empty()
            || m.pack.is_some())
    {
        return Err(Error::usage(
            "--profile, --commitments, --pack and a date or period column are for monitoring: give --period YYYY-MM (the month reached)",
        ));
    }
    cols.distinct()?;
    Ok(cols)
}

/// A sheet flag names a sheet of the file its own flag gives: without the
/// file it was passed over, and the command went on as if it were read.
/// Open orders from the out-turn's own file or sheets are refused too.
pub fn sheets_with_files(args: &Args) -> costshare::Result<()> {
    let m = &args.monitoring;
    let given_file = matches!(m.forecast.as_str(), "profile" | "run-rate" | "run_rate");
    let pairs = [
        ("budget", args.budget.is_some(), args.budget_sheet.is_some()),
        (
            "targets",
            args.targets.is_some(),
            args.targets_sheet.is_some(),
        ),
        ("map", args.map.is_some(), args.map_sheet.is_some()),
        ("profile", m.profile.is_some(), m.profile_sheet.is_some()),
        ("accounts", m.accounts.is_some(), m.accounts_sheet.is_some()),
        ("forecast", !given_file, m.forecast_sheet.is_some()),
        (
            "commitments",
            !m.commitments.is_empty(),
            !m.commitments_sheet.is_empty(),
        ),
    ];
    if let Some((name, _, _)) = pairs.iter().find(|(_, file, sheet)| *sheet && !file) {
        return Err(Error::usage(format!(
            "--{name}-sheet names a sheet of the --{name} workbook, but no --{name} FILE is given"
        )));
    }
    // And open orders are read from sheets the out-turn is not.
    ledger::apart(
        (&args.actuals, &args.actuals_sheet),
        (&m.commitments, &m.commitments_sheet),
    )
}

/// Targets of several years measure one out-turn against each: refused in
/// the annual table, where nothing says which year the ledger is.
fn one_year(targets: &[reconcile::TargetLine]) -> costshare::Result<()> {
    let years: std::collections::BTreeSet<i32> = targets.iter().filter_map(|g| g.year).collect();
    if years.len() > 1 {
        let list: Vec<String> = years
            .iter()
            .map(|y| costshare::base::year::Year(*y).to_string())
            .collect();
        return Err(Error::usage(format!(
            "--targets holds targets for several years ({}): give --period YYYY-MM to monitor one year (earlier years' targets not yet delivered are brought forward)",
            list.join(", ")
        )));
    }
    Ok(())
}

/// What `reconcile` works out: its tables, the ledger read, whether any
/// money was set aside, and the monitoring reports (when kept).
struct Worked {
    tables: Vec<costshare::base::table::Table>,
    totals: LedgerTotals,
    lost: bool,
    packs: Vec<costshare::output::pack::Pack>,
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    let w = work(args)?;
    let text = render(args, &w.tables, &w.totals)?;
    emit(out, &text)?;
    Ok(if w.lost && !args.allow_rejects {
        Exit::SetAside
    } else {
        Exit::Success
    })
}

/// The monitoring reports `args` (with `--period`) make, as `--pack` would
/// write them: for checking and filling drafts against; and whether money
/// was set aside unaccepted (reconcile would exit 3).
pub fn monitoring_packs(
    args: &Args,
) -> costshare::Result<(Vec<costshare::output::pack::Pack>, bool)> {
    let w = work(args)?;
    Ok((w.packs, w.lost && !args.allow_rejects))
}

/// The ledger's names as the budget, targets and map write them (see
/// `ledger::names`), each name so read said on standard error too.
pub(super) fn same_names(
    totals: &mut LedgerTotals,
    (budgets, targets): (&[reconcile::BudgetLine], &[reconcile::TargetLine]),
    map: Option<&std::collections::HashMap<String, String>>,
) {
    let lines = budgets.iter().map(|b| (&b.authority, &b.service));
    let lines = lines.chain(targets.iter().map(|t| (&t.authority, &t.service)));
    let (authorities, services): (Vec<&String>, Vec<&String>) = lines.unzip();
    let centres: Vec<&String> = match map {
        Some(m) => m.keys().collect(),
        None => services,
    };
    let said = ledger::names::match_names(
        totals,
        authorities.iter().map(|s| s.as_str()),
        centres.iter().map(|s| s.as_str()),
    );
    for said in said {
        eprintln!("costshare: note: {said}");
    }
}

fn work(args: &Args) -> costshare::Result<Worked> {
    if args.budget.is_none() && args.targets.is_none() {
        return Err(Error::usage(
            "reconcile needs --budget FILE, --targets FILE, or both",
        ));
    }
    let th = thresholds(args, &|k| format!("--{k}"))?;
    rejects_apart(args)?;
    sheets_with_files(args)?;
    let mut cols = columns(args)?;
    let budget_unit = unit("budget-unit", args.budget_unit.as_deref())?;
    // Read the small files first: a mistake in them should not wait for the ledger.
    let map = args
        .map
        .as_deref()
        .map(|m| read_map(m, args.map_sheet.as_deref()))
        .transpose()?;
    // Budgets as given (perhaps by account group), and one per service.
    let budget_lines = args
        .budget
        .as_deref()
        .map(|b| read_budget(b, args.budget_sheet.as_deref(), budget_unit))
        .transpose()?;
    let budgets = budget_lines.as_deref().map(reconcile::service_budgets);
    let target_lines = args
        .targets
        .as_deref()
        .map(|t| read_targets(t, args.targets_sheet.as_deref(), budget_unit))
        .transpose()?;
    if args.monitoring.period.is_none() {
        target_lines.as_deref().map(one_year).transpose()?;
    }
    let plan = match &args.monitoring.period {
        Some(p) => Some(monitoring::plan(
            &args.monitoring,
            p,
            budgets.is_some(),
            budget_unit,
        )?),
        None => None,
    };
    // Period numbers count in the financial year being monitored.
    cols.year = plan.as_ref().map(|p| p.year);
    let mut totals = read_ledger(args, &cols)?;
    let lines = (
        budget_lines.as_deref().unwrap_or_default(),
        target_lines.as_deref().unwrap_or_default(),
    );
    same_names(&mut totals, lines, map.as_ref());
    let mut lost = totals.lost_anything();
    let (mut tables, mut packs) = (Vec::new(), Vec::new());
    match (&plan, &budgets) {
        (Some(plan), Some(b)) => {
            let read = monitoring::Read {
                cols: &cols,
                totals: &totals,
                budgets: b,
                group_budgets: budget_lines.as_deref().unwrap_or_default(),
                targets: target_lines.as_deref(),
                map: map.as_ref(),
            };
            let m = monitoring::tables(plan, args, read, th)?;
            lost |= m.lost;
            tables.extend(m.tables);
            packs = m.packs;
        }
        (_, Some(b)) => tables.push(reconcile::budget_table(&totals, map.as_ref(), b, &th)),
        _ => {}
    }
    if let (None, Some(g)) = (&plan, &target_lines) {
        tables.push(reconcile::savings_table(&totals, map.as_ref(), g));
    }
    Ok(Worked {
        tables,
        totals,
        lost,
        packs,
    })
}
