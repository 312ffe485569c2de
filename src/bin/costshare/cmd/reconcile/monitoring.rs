//! `reconcile --period`: the month, the year to date and the forecast
//! out-turn, with the subjective analysis and spend-against-profile charts.

use super::{Monitoring, read_files};
use costshare::Error;
use costshare::base::date::{FinancialYear, Month};
use costshare::base::table::Table;
use costshare::ledger::inputs::{read_accounts, read_forecasts, read_profiles};
use costshare::ledger::monitor::{self, Detail, Forecast, Monitor, Profiles};
use costshare::ledger::reconcile::{BudgetLine, Thresholds};
use costshare::ledger::{Columns, LedgerTotals};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What the monitoring flags ask for, read before the ledger.
pub struct Plan {
    year: FinancialYear,
    period: u32,
    profiles: Option<Profiles>,
    forecast: Forecast,
    accounts: Option<HashMap<String, String>>,
}

pub fn plan(
    m: &Monitoring,
    period: &str,
    has_budget: bool,
    unit: Decimal,
) -> costshare::Result<Plan> {
    let month = Month::parse(period).ok_or_else(|| {
        Error::usage(format!(
            "--period {period:?}: expected a month as YYYY-MM, e.g. 2024-07"
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
            Forecast::Given(read_forecasts(p, unit)?)
        }
    };
    Ok(Plan {
        year,
        period: year.period(month).unwrap_or(1),
        profiles: m
            .profile
            .as_deref()
            .map(|p| read_profiles(p, m.year_start))
            .transpose()?,
        forecast,
        accounts: m.accounts.as_deref().map(read_accounts).transpose()?,
    })
}

/// The monitoring tables; whether any commitment line was set aside.
pub fn tables(
    plan: &Plan,
    args: &Monitoring,
    cols: &Columns,
    totals: &LedgerTotals,
    budgets: &[BudgetLine],
    map: Option<&HashMap<String, String>>,
    thresholds: Thresholds,
) -> costshare::Result<(Vec<Table>, bool)> {
    let commitments = if args.commitments.is_empty() {
        None
    } else {
        let plain = Columns {
            date: None,
            account: None,
            ..cols.clone()
        };
        Some(read_files(&args.commitments, &plain)?)
    };
    let m = Monitor {
        year: plan.year,
        period: plan.period,
        budgets,
        profiles: plan.profiles.as_ref(),
        map,
        forecast: &plan.forecast,
        commitments: commitments.as_ref(),
        thresholds,
    };
    let figures = monitor::monitor(totals, &m)?;
    let mut tables = vec![
        monitor::month_table(&figures),
        monitor::forecast_table(&figures),
        monitor::by_month_table(&figures, None),
    ];
    if cols.account.is_some() {
        let detail = match args.detail {
            Some(super::DetailArg::Account) => Detail::Account,
            _ => Detail::Group,
        };
        tables.push(monitor::subjective_table(
            totals,
            &m,
            plan.accounts.as_ref(),
            detail,
        ));
    }
    if let Some(dir) = &args.charts {
        write_charts(&figures, &tables[2], dir)?;
    }
    let lost = commitments.as_ref().is_some_and(|c| c.lost_anything());
    Ok((tables, lost))
}

/// The partnership's chart and, with more than one authority, each one's.
fn write_charts(
    figures: &monitor::Monitoring,
    whole: &Table,
    dir: &std::path::Path,
) -> costshare::Result<()> {
    let mut authorities: Vec<&str> = Vec::new();
    for r in &figures.rows {
        if !authorities.contains(&r.authority.as_str()) {
            authorities.push(&r.authority);
        }
    }
    let mut charts = whole.charts.clone();
    if authorities.len() > 1 {
        for a in authorities {
            charts.extend(monitor::by_month_table(figures, Some(a)).charts);
        }
    }
    for c in &charts {
        let (svg, png) = costshare::output::chart::write(c, dir)?;
        eprintln!("costshare: wrote {} and {}", svg.display(), png.display());
    }
    Ok(())
}
