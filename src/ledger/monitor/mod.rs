//! Budget monitoring through the year: a month, the year to date and a
//! forecast out-turn by service, from ledger lines that carry dates. The
//! annual budget is spread over the year's twelve periods by a profile
//! (flat unless given), to the penny, so the months add up to the budget.
//! Every total is the sum of the rows above it; lines dated after the
//! period or outside the year are counted and said, never dropped silently.

use super::reconcile::{
    BudgetLine, Line, Thresholds, authorities, authority_name, line_of, outturn,
};
use super::{LedgerTotals, Sum};
use crate::base::date::FinancialYear;
use crate::base::error::{Error, Result};
use crate::base::trace::Origin;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

mod savings;
mod subjective;
mod tables;
pub use savings::savings_to_date_table;
pub use subjective::{Detail, subjective_table};
pub use tables::{by_month_table, forecast_table, month_table};

/// A service's budget profile: relative weights for periods 1–12.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub weights: [Decimal; 12],
    pub origin: Origin,
}

/// Profiles by (authority, service, account group); an empty authority
/// profiles the service for every authority, an empty group the service as
/// a whole (and any group with no profile of its own).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profiles {
    pub by: HashMap<(String, String, String), Profile>,
    /// What is said of the profiles in the monitoring report's notes
    /// (percentages not adding to 100%).
    pub notes: Vec<String>,
}

impl Profiles {
    pub fn of(&self, authority: &str, service: &str) -> Option<&Profile> {
        self.of_group(authority, service, "")
    }

    /// Where each profile row that matches no budget line is (its budget
    /// stays flat there, so it is said), sorted by that place.
    pub fn unmatched(
        &self,
        budgets: &[crate::ledger::reconcile::BudgetLine],
        groups: &[crate::ledger::reconcile::BudgetLine],
    ) -> Vec<String> {
        let used = |(a, s, g): &(String, String, String)| {
            budgets.iter().chain(groups).any(|l| {
                l.service == *s
                    && (a.is_empty() || l.authority == *a)
                    && (g.is_empty() || l.group.as_deref() == Some(g.as_str()))
            })
        };
        let mut out: Vec<(String, String)> = self
            .by
            .iter()
            .filter(|(k, _)| !used(k))
            .map(|((a, s, g), p)| {
                let what = [("authority", a), ("service", s), ("account group", g)]
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(n, v)| format!("{n} {v:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (p.origin.to_string(), what)
            })
            .collect();
        out.sort();
        out.into_iter().map(|(o, w)| format!("{o} ({w})")).collect()
    }

    /// An account group's profile: its own (for the authority, or for
    /// every authority), else its service's.
    pub fn of_group(&self, authority: &str, service: &str, group: &str) -> Option<&Profile> {
        let get = |a: &str, g: &str| {
            self.by
                .get(&(a.to_string(), service.to_string(), g.to_string()))
        };
        let own = get(authority, group).or_else(|| get("", group));
        match own {
            Some(p) => Some(p),
            None if !group.is_empty() => self.of(authority, service),
            None => None,
        }
    }
}

/// How the out-turn for the year is forecast.
#[derive(Debug, Clone, PartialEq)]
pub enum Forecast {
    /// Actual to date plus the budget profiled for the rest of the year.
    Profile,
    /// Actual to date scaled to twelve periods.
    RunRate,
    /// Each service's own forecast (authority, service); others by profile.
    Given(HashMap<(String, String), (Decimal, Origin)>),
}

/// What to monitor: the year, the period reached and the inputs.
pub struct Monitor<'a> {
    pub year: FinancialYear,
    /// 1 = the year's first month.
    pub period: u32,
    pub budgets: &'a [BudgetLine],
    /// Budgets by account group (lines with a group), each spread by its
    /// service's profile; a service's budget by period is their sum.
    pub group_budgets: &'a [BudgetLine],
    pub profiles: Option<&'a Profiles>,
    pub map: Option<&'a HashMap<String, String>>,
    pub forecast: &'a Forecast,
    /// Orders raised and not yet paid, read as a ledger.
    pub commitments: Option<&'a LedgerTotals>,
    pub thresholds: Thresholds,
}

/// One authority's service (or unmapped or blank cost centre) through the year.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFigures {
    pub authority: String,
    pub line: Line,
    /// The annual budget and where it was read; None: no budget line.
    pub budget: Option<(Decimal, Origin)>,
    /// The budget by period, adding up to the annual budget exactly.
    pub budget_by_period: [Decimal; 12],
    /// Where the profile came from (None: flat).
    pub profile: Option<Origin>,
    /// Ledger lines by period (periods after the one reached included).
    pub actual_by_period: [Decimal; 12],
    pub committed: Decimal,
    pub forecast: Decimal,
    pub forecast_rule: String,
    pub forecast_origin: Option<Origin>,
}

impl RowFigures {
    pub fn annual_budget(&self) -> Decimal {
        self.budget.as_ref().map(|b| b.0).unwrap_or_default()
    }
    pub fn budget_to(&self, period: u32) -> Decimal {
        self.budget_by_period[..period as usize].iter().sum()
    }
    pub fn actual_to(&self, period: u32) -> Decimal {
        self.actual_by_period[..period as usize].iter().sum()
    }
}

/// Typed monitoring figures; `tables` renders them.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitoring {
    pub year: FinancialYear,
    pub period: u32,
    pub rows: Vec<RowFigures>,
    /// Lines dated after the period reached, within the year, by authority.
    pub after: BTreeMap<String, Sum>,
    /// Lines dated outside the financial year, by authority.
    pub outside: BTreeMap<String, Sum>,
    pub has_commitments: bool,
    pub thresholds: Thresholds,
    /// Services given a forecast of their own that have no row.
    pub unused_forecasts: Vec<(String, String)>,
    /// Profile rows that match no budget line (a misspelt service, an
    /// authority or account group not budgeted): where each is.
    pub unused_profiles: Vec<String>,
    /// Ledger lines set aside as unreadable (every authority's pack says
    /// so: a line that cannot be read cannot be put to an authority).
    pub set_aside: SetAside,
}

/// The ledger lines set aside as unreadable, as the reports note them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetAside {
    pub lines: u64,
    /// Pence of the lines whose amount was read.
    pub pence: i128,
    /// Lines whose amount could not be read.
    pub unknown: u64,
    pub first: Option<crate::ledger::BadLine>,
}

impl Monitoring {
    /// The lines left out of the figures, every authority's together:
    /// (dated after the period, dated outside the year).
    pub fn left_out(&self) -> (Sum, Sum) {
        let sum = |x: &BTreeMap<String, Sum>| {
            let mut s = Sum::default();
            x.values().for_each(|v| s.add(*v));
            s
        };
        (sum(&self.after), sum(&self.outside))
    }

    /// One authority's part: its rows and its lines left out.
    pub fn for_authority(&self, a: &str) -> Monitoring {
        let only = |m: &BTreeMap<String, Sum>| {
            m.iter()
                .filter(|(k, _)| *k == a)
                .map(|(k, v)| (k.clone(), *v))
                .collect()
        };
        Monitoring {
            rows: self
                .rows
                .iter()
                .filter(|r| r.authority == a)
                .cloned()
                .collect(),
            after: only(&self.after),
            outside: only(&self.outside),
            unused_forecasts: Vec::new(),
            unused_profiles: Vec::new(),
            ..self.clone()
        }
    }

    /// The authorities, in the order of the rows.
    pub fn authorities(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &self.rows {
            if !v.contains(&r.authority) {
                v.push(r.authority.clone());
            }
        }
        v
    }
}

type Key = (String, Line);
type Left = BTreeMap<String, Sum>;

/// Ledger lines by row and period; those outside the year and after the
/// period counted apart, by authority.
fn actuals(totals: &LedgerTotals, m: &Monitor) -> (BTreeMap<Key, [Decimal; 12]>, Left, Left) {
    let (mut by, mut after, mut outside) = (BTreeMap::new(), Left::new(), Left::new());
    for ((a, cc, _, month), sum) in &totals.detail {
        let Some(p) = m.year.period(*month) else {
            outside.entry(authority_name(a)).or_default().add(*sum);
            continue;
        };
        if p > m.period {
            after.entry(authority_name(a)).or_default().add(*sum);
        }
        let row = by
            .entry((authority_name(a), line_of(m.map, cc)))
            .or_insert([Decimal::ZERO; 12]);
        row[p as usize - 1] += sum.pounds();
    }
    (by, after, outside)
}

/// The annual budget spread over the periods by the profile's weights
/// (flat: equal), to the penny, rounding the budget to date: each period's
/// budget to date is its exact share rounded to the penny, so a flat
/// £25,000 is £12,500.00 at period 6 (the largest-remainder pennies all
/// fell in the first periods: £12,500.02), and the periods add up to the
/// budget exactly.
fn spread(budget: Decimal, profile: Option<&Profile>, at: &Origin) -> Result<[Decimal; 12]> {
    let weights = profile
        .map(|p| p.weights.to_vec())
        .unwrap_or_else(|| vec![Decimal::ONE; 12]);
    // The apportionment checks what can be spread (weights, whole pence).
    crate::case::apportion::apportion_values(budget, &weights, Decimal::new(1, 2)).map_err(
        |e| Error::Table {
            place: at.to_string(),
            message: format!("this budget cannot be spread over the year's periods: {e}"),
        },
    )?;
    let all: Decimal = weights.iter().sum();
    let (mut out, mut so_far, mut before) = ([Decimal::ZERO; 12], Decimal::ZERO, Decimal::ZERO);
    for (i, w) in weights.iter().enumerate() {
        so_far += w;
        let to_date = match i {
            11 => budget,
            // Multiplied first, so a half penny is exactly half (£0.06 ×
            // 1/12); divided first only where the product would overflow.
            _ => crate::base::money::round_dp(
                budget
                    .checked_mul(so_far)
                    .map_or_else(|| budget * (so_far / all), |x| x / all),
                2,
            ),
        };
        out[i] = to_date - before;
        before = to_date;
    }
    Ok(out)
}

/// A service's budget by period: its own spread, or, when it is given by
/// account group, the sum of its groups' spreads, so that the subjective
/// table's groups add up to the service's figures in every period.
fn service_spread(m: &Monitor, b: &BudgetLine, profile: Option<&Profile>) -> Result<[Decimal; 12]> {
    let mut out = [Decimal::ZERO; 12];
    let mut grouped = false;
    let of_group = |g: &BudgetLine| {
        let group = g.group.as_deref().unwrap_or_default();
        m.profiles
            .and_then(|p| p.of_group(&g.authority, &g.service, group))
    };
    let groups = m.group_budgets.iter().filter(|g| g.group.is_some());
    for g in groups.filter(|g| g.authority == b.authority && g.service == b.service) {
        grouped = true;
        for (o, v) in out
            .iter_mut()
            .zip(spread(g.budget, of_group(g), &g.origin)?)
        {
            *o += v;
        }
    }
    if grouped {
        Ok(out)
    } else {
        spread(b.budget, profile, &b.origin)
    }
}

fn forecast_of(r: &mut RowFigures, m: &Monitor) {
    let (ytd, annual) = (r.actual_to(m.period), r.annual_budget());
    let by_profile = ytd + annual - r.budget_to(m.period);
    let profile_rule = "actual to date plus the budget profiled for the rest of the year";
    (r.forecast, r.forecast_rule, r.forecast_origin) = match m.forecast {
        Forecast::Profile => (by_profile, profile_rule.into(), None),
        Forecast::RunRate => (
            (ytd * Decimal::from(12) / Decimal::from(m.period))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            format!(
                "actual to date × 12 / {} periods, to the penny (halves away from zero)",
                m.period
            ),
            None,
        ),
        Forecast::Given(g) => match g.get(&(r.authority.clone(), r.line.label())) {
            Some((v, o)) => (*v, "the service's own forecast".into(), Some(o.clone())),
            None => (
                by_profile,
                format!("no forecast given: {profile_rule}"),
                None,
            ),
        },
    };
}

fn row(
    m: &Monitor,
    key: Key,
    budget: Option<&BudgetLine>,
    actual: [Decimal; 12],
) -> Result<RowFigures> {
    let profile = match &key.1 {
        Line::Service(s) => m.profiles.and_then(|p| p.of(&key.0, s)),
        _ => None,
    };
    let budget_by_period = match budget {
        Some(b) => service_spread(m, b, profile)?,
        None => [Decimal::ZERO; 12],
    };
    let mut r = RowFigures {
        authority: key.0,
        line: key.1,
        budget: budget.map(|b| (b.budget, b.origin.clone())),
        budget_by_period,
        profile: profile.map(|p| p.origin.clone()),
        actual_by_period: actual,
        committed: Decimal::ZERO,
        forecast: Decimal::ZERO,
        forecast_rule: String::new(),
        forecast_origin: None,
    };
    forecast_of(&mut r, m);
    Ok(r)
}

/// Monitors the ledger against the budgets for the period reached.
pub fn monitor(totals: &LedgerTotals, m: &Monitor) -> Result<Monitoring> {
    let (mut by, after, outside) = actuals(totals, m);
    let committed = m.commitments.map(|c| outturn(c, m.map)).unwrap_or_default();
    for k in committed.keys() {
        by.entry(k.clone()).or_insert([Decimal::ZERO; 12]);
    }
    let others = by.keys().map(|(a, _)| a.as_str());
    let mut rows = Vec::new();
    for a in authorities(m.budgets.iter().map(|b| b.authority.as_str()), others) {
        for b in m.budgets.iter().filter(|b| b.authority == a) {
            let key = (a.clone(), Line::Service(b.service.clone()));
            let actual = by.remove(&key).unwrap_or([Decimal::ZERO; 12]);
            rows.push(row(m, key, Some(b), actual)?);
        }
        let rest: Vec<Key> = by.keys().filter(|k| k.0 == a).cloned().collect();
        for key in rest {
            let actual = by.remove(&key).unwrap_or_default();
            rows.push(row(m, key, None, actual)?);
        }
    }
    for r in &mut rows {
        r.committed = committed
            .get(&(r.authority.clone(), r.line.clone()))
            .copied()
            .unwrap_or_default();
    }
    let unused_forecasts = match m.forecast {
        Forecast::Given(g) => {
            let mut v: Vec<(String, String)> = g
                .keys()
                .filter(|k| {
                    !rows
                        .iter()
                        .any(|r| r.authority == k.0 && r.line.label() == k.1)
                })
                .cloned()
                .collect();
            v.sort();
            v
        }
        _ => Vec::new(),
    };
    Ok(Monitoring {
        year: m.year,
        period: m.period,
        rows,
        after,
        outside,
        has_commitments: m.commitments.is_some(),
        thresholds: m.thresholds,
        unused_forecasts,
        unused_profiles: m
            .profiles
            .map(|p| p.unmatched(m.budgets, m.group_budgets))
            .unwrap_or_default(),
        set_aside: SetAside {
            lines: totals.bad,
            pence: totals.bad_pence,
            unknown: totals.bad_unknown,
            first: totals.bad_lines.first().cloned(),
        },
    })
}
