//! `reconcile --period`: the month, the year to date and the forecast
//! out-turn, with the subjective analysis and spend-against-profile charts.

use super::{Monitoring, read_files};
use costshare::Error;
use costshare::base::date::{FinancialYear, Month};
use costshare::base::table::Table;
use costshare::ledger::inputs::{read_accounts, read_forecasts, read_profiles};
use costshare::ledger::monitor::{self, Detail, Forecast, Monitor, Profiles};
use costshare::ledger::reconcile::{BudgetLine, TargetLine, Thresholds};
use costshare::ledger::{Columns, LedgerTotals};
use costshare::output::pack::Pack;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What the monitoring flags ask for, read before the ledger.
pub struct Plan {
    pub year: FinancialYear,
    period: u32,
    profiles: Option<Profiles>,
    forecast: Forecast,
    accounts: Option<HashMap<String, String>>,
}

pub fn plan(
    m: &Monitoring,
    period: &str,
    has_budget: bool,
    unit: Option<Decimal>,
) -> costshare::Result<Plan> {
    let month = Month::parse(period).ok_or_else(|| {
        Error::usage(format!(
            "--period {period:?}: expected a month as YYYY-MM, from {}, e.g. 2024-07",
            costshare::base::date::MONTH_RANGE
        ))
    })?;
    if !has_budget {
        return Err(Error::usage(
            "--period monitors budgets: give --budget FILE too",
        ));
    }
    let year = FinancialYear::holding(month, m.year_start);
    let forecast = match m.forecast.as_str() {
        "profile" => Forecast::Profile,
        "run-rate" | "run_rate" => Forecast::RunRate,
        path => {
            let p = std::path::Path::new(path);
            if !p.exists() {
                return Err(Error::usage(format!(
                    "--forecast {path:?}: expected profile, run-rate, or a file of authority, service, forecast"
                )));
            }
            Forecast::Given(read_forecasts(p, m.forecast_sheet.as_deref(), unit)?)
        }
    };
    Ok(Plan {
        year,
        period: year.period(month).unwrap_or(1),
        profiles: m
            .profile
            .as_deref()
            .map(|p| read_profiles(p, m.profile_sheet.as_deref(), m.year_start))
            .transpose()?,
        forecast,
        accounts: m
            .accounts
            .as_deref()
            .map(|p| read_accounts(p, m.accounts_sheet.as_deref()))
            .transpose()?,
    })
}

/// What reconcile has read, for the monitoring tables.
pub struct Read<'a> {
    pub cols: &'a Columns,
    pub totals: &'a LedgerTotals,
    pub budgets: &'a [BudgetLine],
    /// The budget file's lines, by account group when it has them.
    pub group_budgets: &'a [BudgetLine],
    pub targets: Option<&'a [TargetLine]>,
    pub map: Option<&'a HashMap<String, String>>,
}

/// Open orders, read like the ledger: undated, and from their own sheets.
fn read_commitments(
    args: &super::Monitoring,
    cols: &Columns,
) -> costshare::Result<Option<LedgerTotals>> {
    if args.commitments.is_empty() {
        return Ok(None);
    }
    let plain = Columns {
        date: None,
        account: None,
        date_is_period: false,
        sheets: args.commitments_sheet.clone(),
        sheet_flag: "--commitments-sheet",
        ..cols.clone()
    };
    read_files(&args.commitments, &plain).map(Some)
}

/// The monitoring tables, whether any commitment line was set aside, and
/// the reports for the partnership and each authority (when written with
/// `--pack`, or kept).
pub struct Monitored {
    pub tables: Vec<Table>,
    pub lost: bool,
    pub packs: Vec<Pack>,
}

pub fn tables(
    plan: &Plan,
    all: &super::Args,
    read: Read,
    thresholds: Thresholds,
) -> costshare::Result<Monitored> {
    let (args, neg) = (&all.monitoring, all.negatives.get());
    let Read {
        cols,
        totals,
        budgets,
        group_budgets,
        targets,
        map,
    } = read;
    let mut commitments = read_commitments(args, cols)?;
    if let Some(c) = &commitments {
        costshare::ledger::not_the_outturn(totals, c)?;
    }
    // Open orders' names as the budget and map write them, as the ledger's.
    if let Some(c) = commitments.as_mut() {
        let lines = (group_budgets, targets.unwrap_or_default());
        super::same_names(c, lines, map);
    }
    let m = Monitor {
        year: plan.year,
        period: plan.period,
        budgets,
        group_budgets,
        profiles: plan.profiles.as_ref(),
        map,
        forecast: &plan.forecast,
        commitments: commitments.as_ref(),
        thresholds,
    };
    let figures = monitor::monitor(totals, &m)?;
    warn_outside(&figures, totals.rows);
    for p in &figures.unused_profiles {
        eprintln!("costshare: warning: profile row at {p} matches no budget line: not used");
    }
    let detail = cols.account.as_ref().map(|_| match args.detail {
        Some(super::DetailArg::Account) => Detail::Account,
        _ => Detail::Group,
    });
    let set = |f: &monitor::Monitoring, a: Option<&str>| {
        let mut month = monitor::month_table(f);
        // Files read alike, hidden sheets read: said as plain reconcile says them.
        month.notes.extend(totals.alike.iter().cloned());
        month
            .notes
            .extend(plan.profiles.iter().flat_map(|p| p.notes.iter().cloned()));
        let mut v = vec![
            month,
            monitor::forecast_table(f),
            monitor::by_month_table(f, a),
        ];
        if let Some(d) = detail {
            v.push(monitor::subjective_table(
                totals,
                &m,
                plan.accounts.as_ref(),
                d,
                a,
            )?);
        }
        if let Some(g) = targets {
            let mine: Vec<TargetLine> = g
                .iter()
                .filter(|x| a.is_none_or(|a| x.authority == a))
                .cloned()
                .collect();
            v.push(monitor::savings_to_date_table(f, &m, &mine)?);
        }
        Ok::<_, Error>(v)
    };
    let tables = set(&figures, None)?;
    let mut packs = Vec::new();
    if args.pack.is_some() || args.keep_packs {
        packs.push(pack(&figures, None, tables.clone()));
        let authorities = figures.authorities();
        if authorities.len() > 1 {
            for a in &authorities {
                let f = figures.for_authority(a);
                packs.push(pack(&f, Some(a), set(&f, Some(a))?));
            }
        }
    }
    if let Some(dir) = &args.pack {
        write_packs(&packs, dir, neg)?;
    }
    let lost = commitments.as_ref().is_some_and(|c| c.lost_anything());
    Ok(Monitored {
        tables,
        lost,
        packs,
    })
}

/// Writes the reports into `dir`, each in its folder, removing what an
/// earlier run left there.
fn write_packs(
    packs: &[Pack],
    dir: &std::path::Path,
    neg: costshare::base::money::Negatives,
) -> costshare::Result<()> {
    // "ADC" and "adc", or "A B" and "A-B": one folder, one pack lost.
    costshare::output::pack::distinct_folders(
        packs,
        "their names differ only in case or punctuation, which folder names cannot tell apart: rename one in the ledger",
    )?;
    let all = &costshare::output::pack::ALL_PARTS;
    for p in packs {
        let written = costshare::output::pack::write(p, dir, all, neg)?;
        eprintln!("costshare: wrote {}", dir.join(&p.name).display());
        for r in costshare::output::pack::remove_stale(p, dir, all, &written)? {
            eprintln!("costshare: removed {r}: an earlier run's, not written by this one");
        }
    }
    Ok(())
}

/// A monitoring report: the partnership's, or one authority's.
fn pack(f: &monitor::Monitoring, authority: Option<&str>, tables: Vec<Table>) -> Pack {
    let fy = costshare::base::text::slug(&f.year.label());
    let mut name = format!("monitoring-{fy}-p{:02}", f.period);
    if let Some(a) = authority {
        name = format!("{name}-{}", costshare::base::text::slug_or(a, "authority"));
    }
    let when = format!(
        "{} (period {} of {})",
        f.year.month(f.period),
        f.period,
        f.year.label()
    );
    let intro: Vec<&str> = tables.iter().take(2).map(|t| t.headline.as_str()).collect();
    Pack {
        name,
        title: match authority {
            Some(a) => format!("Budget monitoring, {a}: {when}"),
            None => format!("Budget monitoring: {when}"),
        },
        intro: intro.join(" "),
        tables,
        appendix: String::new(),
        warnings: Vec::new(),
        year: (f.year.first.number() == 4)
            .then(|| costshare::base::year::Year(f.year.first.year())),
        source: None,
        checked: None,
    }
}

/// Says on standard error when most of the ledger is dated outside the
/// year asked for: the tables would show it as nothing spent, which a
/// wrong --period (or year-start) makes look like a quiet month.
fn warn_outside(f: &monitor::Monitoring, used: u64) {
    let (_, outside) = f.left_out();
    if outside.lines > 0 && outside.lines * 2 >= used {
        eprintln!(
            "costshare: WARNING: {} of the {used} ledger lines ({}) are dated outside {}, so are not in these figures: is the period right?",
            outside.lines,
            costshare::base::money::format_pounds(outside.pounds(), 2, Default::default()),
            f.year.label()
        );
    }
}
