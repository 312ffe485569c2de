//! The business-case calculator: a case flattened from its model into the
//! inputs an S151 officer tests, and every figure computed from them once
//! (investment by year and its apportionment, the shared service's cost to
//! each partner, savings, the tolerance, the investment score). The tables,
//! the scenarios, the sensitivity and the simulation all read these figures.

use crate::base::fastdec::{add, mul, sub};
use crate::base::year::Year;
use crate::case::apportion;
use crate::case::appraise::{self as score, ScoreInputs, ScoreResult};
use crate::model::{Basis, Model, SharedCost};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A partner's net saving a year (`Case::nets_of`), its cost `c` counted
/// only when the case `shared` a cost of the service.
pub(crate) fn net_of(p: &CasePartner, c: Decimal, shared: bool) -> Decimal {
    let cost = if shared { c } else { Decimal::ZERO };
    match p.joins {
        NEVER => Decimal::ZERO,
        _ => p.baseline - cost - p.already,
    }
}

/// Why a case's figures cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("no {basis} weight for partner {partner}")]
    NoWeight { basis: String, partner: String },
    #[error("cannot apportion the shared service cost: {0}")]
    SharedCost(apportion::ApportionError),
    #[error(
        "{amount} of costs in {year}, when no partner is in (none has joined yet, or all \
         have left): no one would pay them; move them to a year a partner is in, or change \
         a partner's join or leave year"
    )]
    NoneJoined { year: Year, amount: String },
    #[error("cannot apportion the {year} costs: {source}")]
    YearCosts {
        year: Year,
        source: apportion::ApportionError,
    },
    #[error(
        "figures too large to work exactly: amounts, uplifts, price indices and \
         realisation together reach about £{0} (at most £{LARGEST:.0e}); \
         check the amounts, index rates and window"
    )]
    TooLarge(String),
}

/// How large the figures a case's inputs make may be, so that every sum
/// and product over its years and partners stays inside Decimal's 28
/// digits (arithmetic past them would stop the run).
pub const LARGEST: f64 = 1e25;

impl From<CaseError> for crate::Error {
    fn from(e: CaseError) -> Self {
        crate::Error::Usage(e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseItem {
    pub name: String,
    pub central: bool,
    /// Funded from outside the partnership: not a cost to it.
    pub external: bool,
    /// One amount per year of the span.
    pub amounts: Vec<Decimal>,
    /// Its own apportionment basis (None: the case's).
    pub basis: Option<Basis>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CasePartner {
    pub name: String,
    pub baseline: Decimal,
    pub already: Decimal,
    pub given_cost: Option<Decimal>,
    pub population: Option<Decimal>,
    pub weight: Option<Decimal>,
    /// Its measure of each activity driver of the case, in `Case::drivers` order.
    pub drivers: Vec<Option<Decimal>>,
    /// What it pays the partners already in when it joins late.
    pub joining_fee: Decimal,
    /// Window index of the year it leaves (`STAYS`: it does not): from then
    /// it shares no costs and saves nothing.
    pub leaves: usize,
    /// What it pays the partners who stay when it leaves.
    pub exit_cost: Decimal,
    /// Window index of the year the partner joins (0: from the start;
    /// `NEVER`: it never joins, so it neither pays nor saves).
    pub joins: usize,
}

/// A business case flattened for what-if testing.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    pub first_year: Year,
    /// Years of the appraisal (the investment score's window).
    pub window: usize,
    /// Years the investment runs over, from the first year: at least the
    /// window. Amounts are kept for every one of them.
    pub span: usize,
    pub items: Vec<CaseItem>,
    pub partners: Vec<CasePartner>,
    pub basis: Basis,
    /// The running cost's basis (None: `basis`).
    pub running_basis: Option<Basis>,
    /// The activity drivers' names.
    pub drivers: Vec<String>,
    /// The shared service's cost when one figure is apportioned.
    pub shared_total: Option<Decimal>,
    pub net_given: Option<Decimal>,
    pub start: usize,
    /// Explicit realisation shares by window year.
    pub realisation: Vec<Option<Decimal>>,
    pub realisation_factor: Decimal,
    pub slip_months: Decimal,
    pub rate_pct: Decimal,
    pub tolerance_pct: Option<Decimal>,
    /// Capital optimism bias: every investment cost uplifted by this %.
    pub optimism_bias_pct: Decimal,
    /// Operating optimism bias: the shared service's cost uplifted by this %.
    pub operating_bias_pct: Decimal,
    /// Works duration optimism bias: the implementation (the years before
    /// savings start, at least one) longer by this %, so savings come later.
    pub duration_bias_pct: Decimal,
    /// Benefits optimism bias: savings short by this %.
    pub benefits_bias_pct: Decimal,
    /// Real and nominal prices; None: figures as given, undeflated.
    pub prices: Option<CasePrices>,
    /// The approved case total, on which the tolerance maximum is set.
    pub approved_total: Decimal,
    pub has_savings: bool,
}

/// How a case's base-year figures become the prices its appraisal shows:
/// rates in % a year.
#[derive(Debug, Clone, PartialEq)]
pub struct CasePrices {
    /// Window index of the price base year (may be before the window).
    pub base: i32,
    pub inflation_pct: Decimal,
    /// None: with inflation.
    pub costs_pct: Option<Decimal>,
    /// None: with inflation.
    pub savings_pct: Option<Decimal>,
    pub nominal: bool,
}

/// (1 + pct/100)^n for any whole n, exact to Decimal's precision; None
/// past Decimal's range (a long window at a rate far from nought).
fn grown(pct: Decimal, n: i32) -> Option<Decimal> {
    let base = Decimal::ONE + pct / Decimal::ONE_HUNDRED;
    let mut v = Decimal::ONE;
    for _ in 0..n.unsigned_abs() {
        v = v.checked_mul(base)?;
    }
    if n < 0 {
        Decimal::ONE.checked_div(v)
    } else {
        Some(v)
    }
}

impl CasePrices {
    fn of(p: &crate::model::Prices, first: Year) -> CasePrices {
        CasePrices {
            base: p.base_year.0 - first.0,
            inflation_pct: p.inflation.value,
            costs_pct: p.costs_index.as_ref().map(|f| f.value),
            savings_pct: p.savings_index.as_ref().map(|f| f.value),
            nominal: p.nominal,
        }
    }

    /// Factors turning year `t`'s base-year figures into the prices shown:
    /// (costs, savings). Real: each index relative to inflation; nominal:
    /// each index alone. The case's magnitude is checked first
    /// (`Case::check_magnitude`), so these stay within Decimal's range.
    pub fn factors(&self, t: usize) -> (Decimal, Decimal) {
        self.checked_factors(t)
            .unwrap_or((Decimal::MAX, Decimal::MAX))
    }

    /// `factors`, None past Decimal's range.
    fn checked_factors(&self, t: usize) -> Option<(Decimal, Decimal)> {
        let n = t as i32 - self.base;
        let i = self.inflation_pct;
        let (c, s) = (self.costs_pct.unwrap_or(i), self.savings_pct.unwrap_or(i));
        let (c, s) = (grown(c, n)?, grown(s, n)?);
        if self.nominal {
            return Some((c, s));
        }
        let deflate = grown(i, n)?;
        Some((c.checked_div(deflate)?, s.checked_div(deflate)?))
    }

    /// The discount rate for the prices shown: the real rate for real
    /// terms; (1 + real)(1 + inflation) − 1 for cash, so NPV is the same.
    pub fn rate_pct(&self, real_pct: Decimal) -> Decimal {
        if !self.nominal {
            return real_pct;
        }
        let h = Decimal::ONE_HUNDRED;
        ((Decimal::ONE + real_pct / h) * (Decimal::ONE + self.inflation_pct / h) - Decimal::ONE) * h
    }
}

/// The figures an S151 officer compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub case_total: Decimal,
    pub central: Decimal,
    pub tolerance_max: Option<Decimal>,
    /// Case costs (central support excluded) by year of the span.
    pub case_cost: Vec<Decimal>,
    /// All costs (central support included) by year of the span.
    pub all_cost: Vec<Decimal>,
    /// Each partner's share of each year's case costs, whole pounds by
    /// largest remainder among the partners engaged that year (None: not
    /// yet joined). None when the basis has no weight for some partner.
    pub shares: Option<Vec<Vec<Option<Decimal>>>>,
    pub partner_cost: Vec<Decimal>,
    pub partner_net: Vec<Decimal>,
    /// Each partner's share of the case cost over the span.
    pub investment_share: Vec<Decimal>,
    pub net_per_annum: Decimal,
    pub score: ScoreResult,
    /// Each partner's own NPV (None: it never joins, or the case gives its
    /// net saving whole).
    pub partner_npv: Vec<Option<Decimal>>,
}

/// What one simulation trial asks of the case (`Case::trial`).
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub summary: score::Summary,
    pub total: Decimal,
    /// Each partner's own NPV against zero (None: it has no own case).
    /// Empty unless asked for.
    pub partner_signs: Vec<Option<std::cmp::Ordering>>,
}

/// The partners whose own NPV is below zero, by name (`npvs` as
/// `Figures::partner_npv`).
pub fn worse_off<'a>(names: &'a [String], npvs: &[Option<Decimal>]) -> Vec<&'a str> {
    names
        .iter()
        .zip(npvs)
        .filter(|(_, n)| n.is_some_and(|v| v.is_sign_negative() && !v.is_zero()))
        .map(|(p, _)| p.as_str())
        .collect()
}

impl Figures {
    /// Pounds over the tolerance maximum, if any.
    pub fn breach(&self) -> Option<Decimal> {
        self.tolerance_max
            .filter(|m| self.case_total > *m)
            .map(|m| self.case_total - m)
    }
}

/// The `joins` of a partner that never joins.
pub const NEVER: usize = usize::MAX;
/// The `leaves` of a partner that stays.
pub const STAYS: usize = usize::MAX;

/// The window index of year `y`, clamped to the window.
pub(crate) fn year_idx(first: Year, y: Year, window: usize) -> usize {
    (y.0 - first.0).clamp(0, window as i32) as usize
}

/// The model's partners as the case weighs them.
fn partners_of(m: &Model, first: Year, window: usize) -> Vec<CasePartner> {
    let s = m.savings.as_ref();
    let find = |v: Option<&Vec<(String, crate::model::Fig)>>, p: &str| -> Option<Decimal> {
        v.and_then(|v| v.iter().find(|(q, _)| q == p).map(|(_, f)| f.value))
    };
    m.partners
        .iter()
        .map(|p| CasePartner {
            name: p.clone(),
            baseline: find(s.map(|s| &s.baseline), p).unwrap_or_default(),
            already: find(s.map(|s| &s.already_budgeted), p).unwrap_or_default(),
            given_cost: match s.and_then(|s| s.shared_service_cost.as_ref()) {
                Some(SharedCost::PerPartner(v)) => find(Some(v), p),
                _ => None,
            },
            population: find(Some(&m.population), p),
            weight: find(Some(&m.apportionment.weights), p),
            drivers: m
                .apportionment
                .drivers
                .iter()
                .map(|(_, v)| find(Some(v), p))
                .collect(),
            joining_fee: find(Some(&m.apportionment.joining_fee), p).unwrap_or_default(),
            leaves: m
                .leave_year(p)
                .map_or(STAYS, |y| year_idx(first, y, window)),
            exit_cost: find(Some(&m.apportionment.exit_cost), p).unwrap_or_default(),
            joins: match m.join_year(p) {
                None => 0,
                Some(None) => NEVER,
                Some(Some(y)) => year_idx(first, y, window),
            },
        })
        .collect()
}

/// The model's investment items, one amount per year of the span.
fn items_of(m: &Model, first: Year, span: usize) -> Vec<CaseItem> {
    m.investment
        .iter()
        .map(|i| {
            let mut amounts = vec![Decimal::ZERO; span];
            for (y, f) in &i.amounts {
                let t = (y.0 - first.0) as usize;
                if t < span {
                    amounts[t] += f.value;
                }
            }
            CaseItem {
                name: i.item.clone(),
                central: i.funded_by.is_some(),
                external: i.external,
                amounts,
                basis: i.basis.as_ref().map(|b| b.value.clone()),
            }
        })
        .collect()
}

impl Case {
    /// The case of the model file at `path`, from the crate's root: the
    /// unit tests' cases.
    #[cfg(test)]
    pub(crate) fn of_file(path: &str) -> Case {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        let m = crate::model::Model::load(&path).unwrap();
        Case::from_model(&m).unwrap()
    }

    /// Flattens a model; None when it has no investment window.
    pub fn from_model(m: &Model) -> Option<Case> {
        let first = m.first_year.as_ref()?.value;
        let window = m.window_years as usize;
        let span = window.max(m.years().len());
        let items = items_of(m, first, span);
        // The case total as approved: every item not funded centrally, with
        // the model's own optimism bias (a scenario's bias is measured
        // against it).
        let pct = |f: &Option<crate::model::Fig>| f.as_ref().map_or(Decimal::ZERO, |f| f.value);
        let bias = pct(&m.optimism.capital);
        let approved_total = items
            .iter()
            .filter(|i| !i.central)
            .map(|i| i.amounts.iter().sum::<Decimal>())
            .sum::<Decimal>()
            * (Decimal::ONE + bias / Decimal::ONE_HUNDRED);
        let s = m.savings.as_ref();
        let partners = partners_of(m, first, window);
        let shared_total = match s.and_then(|s| s.shared_service_cost.as_ref()) {
            Some(SharedCost::Total(f)) => Some(f.value),
            _ => None,
        };
        let mut realisation = vec![None; window];
        if let Some(s) = s {
            for (y, f) in &s.realisation {
                let t = (y.0 - first.0) as usize;
                if t < window {
                    realisation[t] = Some(f.value);
                }
            }
        }
        Some(Case {
            name: m.name.clone(),
            first_year: first,
            window,
            span,
            items,
            partners,
            basis: m.apportionment.basis.value.clone(),
            running_basis: m
                .apportionment
                .running_basis
                .as_ref()
                .map(|b| b.value.clone()),
            drivers: m
                .apportionment
                .drivers
                .iter()
                .map(|(n, _)| n.clone())
                .collect(),
            shared_total,
            net_given: s
                .and_then(|s| s.net_saving_per_annum.as_ref())
                .map(|f| f.value),
            start: s
                .and_then(|s| s.start_year.as_ref())
                .map(|y| year_idx(first, y.value, window))
                .unwrap_or(0),
            realisation,
            realisation_factor: Decimal::ONE,
            slip_months: Decimal::ZERO,
            rate_pct: m.discount_rate_pct.value,
            tolerance_pct: m.tolerance_pct.as_ref().map(|f| f.value),
            prices: m.prices.as_ref().map(|p| CasePrices::of(p, first)),
            optimism_bias_pct: bias,
            operating_bias_pct: pct(&m.optimism.operating),
            duration_bias_pct: pct(&m.optimism.duration),
            benefits_bias_pct: pct(&m.optimism.benefits),
            approved_total,
            has_savings: s.is_some(),
        })
    }

    pub fn year(&self, t: usize) -> Year {
        self.first_year.offset(t as i32)
    }

    pub(crate) fn uplift(&self) -> Decimal {
        // A trial asks three times for the same bias's uplift; a division
        // is slow. Kept by the bias's bytes, not its value: 40 and 40.0
        // give the same value in different bytes.
        thread_local! {
            static LAST: std::cell::Cell<([u8; 16], Decimal)> =
                const { std::cell::Cell::new(([0xFF; 16], Decimal::ONE)) };
        }
        let key = self.optimism_bias_pct.serialize();
        LAST.with(|c| match c.get() {
            (k, up) if k == key => up,
            _ => {
                let up = Decimal::ONE + self.optimism_bias_pct / Decimal::ONE_HUNDRED;
                c.set((key, up));
                up
            }
        })
    }

    /// Apportionment weights by the current basis, without names.
    pub fn weight_values(&self) -> Result<Vec<Decimal>, CaseError> {
        self.weight_values_for(&self.basis)
    }

    /// Apportionment weights by `basis`, without names.
    pub fn weight_values_for(&self, basis: &Basis) -> Result<Vec<Decimal>, CaseError> {
        let driver = match basis {
            Basis::Driver(d) => self.drivers.iter().position(|n| n == d),
            _ => None,
        };
        self.partners
            .iter()
            .map(|p| {
                if p.joins == NEVER {
                    // It shares nothing, so it is charged nothing.
                    return Ok(Decimal::ZERO);
                }
                match basis {
                    Basis::Equal => Some(Decimal::ONE),
                    Basis::Baseline => Some(p.baseline),
                    Basis::Population => p.population,
                    Basis::Weights => p.weight,
                    Basis::Driver(_) => driver.and_then(|i| p.drivers.get(i).copied().flatten()),
                }
                .ok_or_else(|| CaseError::NoWeight {
                    basis: basis.name().to_string(),
                    partner: p.name.clone(),
                })
            })
            .collect()
    }

    /// Apportionment weights by the current basis.
    pub fn weights(&self) -> Result<Vec<(String, Decimal)>, CaseError> {
        Ok(self
            .partners
            .iter()
            .map(|p| p.name.clone())
            .zip(self.weight_values()?)
            .collect())
    }

    /// Each partner's cost of the shared service: given, or apportioned,
    /// after any operating optimism bias.
    pub fn partner_costs(&self) -> Result<Vec<Decimal>, CaseError> {
        let up = Decimal::ONE + self.operating_bias_pct / Decimal::ONE_HUNDRED;
        match self.shared_total {
            Some(total) => {
                let w =
                    self.weight_values_for(self.running_basis.as_ref().unwrap_or(&self.basis))?;
                let total = total * up;
                apportion::apportion_values(total, &w, apportion::unit_for(total))
                    .map_err(CaseError::SharedCost)
            }
            None => Ok(self
                .partners
                .iter()
                .map(|p| p.given_cost.unwrap_or_default() * up)
                .collect()),
        }
    }

    /// Months the works duration optimism bias moves the savings later: the
    /// bias % of the implementation period (the years before savings start,
    /// at least one).
    pub fn duration_slip_months(&self) -> Decimal {
        let years = Decimal::from(self.start.max(1));
        self.duration_bias_pct / Decimal::ONE_HUNDRED * years * Decimal::from(12)
    }

    /// Realisation share per window year, after start year, factor, slip
    /// and the benefits and works duration optimism bias.
    pub fn realisation_profile(&self) -> Vec<Decimal> {
        // Worked with `fastdec`: rust_decimal's very figures, in a trial's time.
        let short = sub(Decimal::ONE, self.benefits_bias_pct / Decimal::ONE_HUNDRED);
        let mut profile: Vec<Decimal> = (0..self.window)
            .map(|t| {
                let r = self.realisation[t].unwrap_or(if t < self.start {
                    Decimal::ZERO
                } else {
                    Decimal::ONE
                });
                mul(mul(r, self.realisation_factor), short)
            })
            .collect();
        let slip = self.slip_months + self.duration_slip_months();
        if slip.is_zero() {
            return profile;
        }
        // Moving the profile later by k whole years and a fraction f of a
        // year: from the last year back, so each year is read before it is
        // overwritten.
        let twelve = Decimal::from(12);
        let k = (slip / twelve).floor();
        let f = (slip - k * twelve) / twelve;
        let rest = sub(Decimal::ONE, f);
        let k: usize = k.try_into().unwrap_or(usize::MAX);
        for t in (0..self.window).rev() {
            let at = |i: Option<usize>| i.map_or(Decimal::ZERO, |i| profile[i]);
            let a = at(t.checked_sub(k));
            let b = at(t.checked_sub(k.saturating_add(1)));
            profile[t] = add(mul(rest, a), mul(f, b));
        }
        profile
    }

    /// Year `t`'s (costs, savings) price factors: 1 without `[prices]`.
    pub fn price_factors(&self, t: usize) -> (Decimal, Decimal) {
        self.prices
            .as_ref()
            .map_or((Decimal::ONE, Decimal::ONE), |p| p.factors(t))
    }

    /// The discount rate for the prices the appraisal shows.
    pub fn shown_rate_pct(&self) -> Decimal {
        self.prices
            .as_ref()
            .map_or(self.rate_pct, |p| p.rate_pct(self.rate_pct))
    }

    /// The realisation profile with each year's savings price factor in it.
    pub(crate) fn priced_profile(&self) -> Vec<Decimal> {
        let mut r = self.realisation_profile();
        if self.prices.is_some() {
            for (t, v) in r.iter_mut().enumerate() {
                *v *= self.price_factors(t).1;
            }
        }
        r
    }

    pub fn score_inputs(&self) -> Result<ScoreInputs, CaseError> {
        self.check_magnitude()?;
        self.checked_score_inputs()
    }

    /// `score_inputs` of a case whose magnitude is already checked.
    fn checked_score_inputs(&self) -> Result<ScoreInputs, CaseError> {
        let pc = self.saving_costs()?;
        Ok(self.score_inputs_with(pc.as_deref(), self.priced_profile()))
    }

    /// Each partner's cost of the shared service, when the savings are
    /// worked partner by partner (None: a net saving given whole, or none).
    pub fn saving_costs(&self) -> Result<Option<Vec<Decimal>>, CaseError> {
        match self.net_given.is_none() && self.has_savings {
            true => self.partner_costs().map(Some),
            false => Ok(None),
        }
    }

    /// The score inputs, from the partners' costs (`saving_costs`) and the
    /// priced realisation profile.
    fn score_inputs_with(&self, pc: Option<&[Decimal]>, realisation: Vec<Decimal>) -> ScoreInputs {
        let up = self.uplift();
        let costs = (0..self.window)
            .map(|t| {
                let paid = self.items.iter().filter(|i| !i.external);
                let sum = paid.map(|i| i.amounts[t]).sum::<Decimal>();
                mul(mul(sum, up), self.price_factors(t).0)
            })
            .collect();
        let savers = match (self.net_given, pc) {
            (Some(n), _) => vec![(n, 0, usize::MAX)],
            (None, None) => vec![],
            (None, Some(costs)) => self
                .partners
                .iter()
                .zip(costs)
                .map(|(p, &c)| (p.baseline - c - p.already, p.joins, p.leaves))
                .collect(),
        };
        ScoreInputs {
            first_year: self.first_year,
            costs,
            savers,
            realisation,
            rate_pct: self.shown_rate_pct(),
        }
    }

    /// What one simulation trial asks of the case: the score's headline
    /// figures, the case total and (when `partners`) whether each partner's
    /// own NPV is below, at or above zero, the partners' costs and the
    /// realisation profile worked once for all of them. The very figures
    /// `score_inputs`, `case_total` and `partner_npvs` give (a test says so).
    pub fn trial(&self, partners: bool) -> Result<Trial, CaseError> {
        self.trial_with(partners, self.saving_costs()?.as_deref())
    }

    /// `trial` given the partners' costs (`saving_costs`): a simulation
    /// that draws nothing they depend on works them once.
    pub fn trial_with(&self, partners: bool, pc: Option<&[Decimal]>) -> Result<Trial, CaseError> {
        let profile = self.priced_profile();
        // From proportional shares where the signs are clear (`near`), else
        // from the apportioned costs.
        let near = || {
            let kept = (None, &self.near_factors()[..], &self.near_amounts()[..]);
            let mut scratch = super::near::Scratch::default();
            let signs =
                self.partner_signs_near(pc?, &super::near::bounded(&profile), kept, &mut scratch);
            signs.map(|s| s.to_vec())
        };
        let partner_signs = match partners {
            true => match near() {
                Some(signs) => signs,
                None => self.partner_signs(pc, &profile)?,
            },
            false => Vec::new(),
        };
        let inputs = self.score_inputs_with(pc, profile);
        Ok(Trial {
            summary: score::summarise(&inputs),
            total: self.case_total(),
            partner_signs,
        })
    }

    /// The places its appraisal money is shown to: pence when any sum of
    /// money the case is given has them, as its investment table does
    /// (they showed £1,000 and £333 beside an investment of £1,000.40
    /// shared as £333.47), else whole pounds.
    pub fn money_places(&self) -> u32 {
        let items = self.items.iter().flat_map(|i| &i.amounts);
        let partners = self.partners.iter().flat_map(|p| {
            [p.baseline, p.already, p.joining_fee, p.exit_cost]
                .into_iter()
                .chain(p.given_cost)
        });
        let given = [self.shared_total, self.net_given].into_iter().flatten();
        let pence = items
            .copied()
            .chain(partners)
            .chain(given)
            .any(|d| !d.fract().is_zero());
        if pence { 2 } else { 0 }
    }

    /// Each partner's own NPV against zero from its apportioned costs and
    /// the priced realisation `profile` (None: it has no own case).
    pub(crate) fn partner_signs(
        &self,
        pc: Option<&[Decimal]>,
        profile: &[Decimal],
    ) -> Result<Vec<Option<std::cmp::Ordering>>, CaseError> {
        self.each_partner(pc, profile, |c, s, p, r, n| {
            score::own_npv_sign(c, s, p, r, n)
        })
    }

    pub fn case_total(&self) -> Decimal {
        let up = self.uplift();
        self.items
            .iter()
            .filter(|i| !i.central)
            .map(|i| mul(i.amounts.iter().sum::<Decimal>(), up))
            .sum()
    }

    pub fn tolerance_max(&self) -> Option<Decimal> {
        self.tolerance_pct
            .map(|t| self.approved_total * (Decimal::ONE + t / Decimal::ONE_HUNDRED))
    }

    /// Costs in year `t` of the span of the items `which` picks.
    /// `up` is `uplift()`, worked once by the caller.
    pub(crate) fn cost_in(
        &self,
        t: usize,
        up: Decimal,
        which: impl Fn(&CaseItem) -> bool,
    ) -> Decimal {
        let sum: Decimal = self
            .items
            .iter()
            .filter(|i| which(i))
            .map(|i| i.amounts[t])
            .sum();
        mul(sum, up)
    }

    /// The bases the case costs are shared by: the case's, then each item's
    /// own, in order, once each.
    pub(crate) fn cost_bases(&self) -> Vec<&Basis> {
        let mut v = vec![&self.basis];
        for i in self.items.iter().filter(|i| !i.central) {
            if let Some(b) = &i.basis
                && !v.contains(&b)
            {
                v.push(b);
            }
        }
        v
    }

    /// Each year's case costs apportioned between the partners engaged that
    /// year (a later joiner shares from its join year), each cost line by
    /// its own basis; None when a basis has no weight for some partner.
    fn shares(&self) -> Result<Option<Vec<Vec<Option<Decimal>>>>, CaseError> {
        let mut out = vec![vec![None; self.partners.len()]; self.span];
        let up = self.uplift();
        // The partners engaged in a year, by index, and their weights made
        // ready once while the same partners share (the simulation asks for
        // every year's parts in every trial).
        let mut engaged = Vec::new();
        for basis in self.cost_bases() {
            let Ok(w) = self.weight_values_for(basis) else {
                return Ok(None);
            };
            let mine = |i: &CaseItem| self.shared_by(i, basis);
            let mut ready: Option<(Vec<usize>, apportion::Apportioner)> = None;
            for (t, year) in out.iter_mut().enumerate() {
                self.engaged_in(t, &mut engaged);
                if engaged.is_empty() {
                    // Costs no one shares would drop out of every partner's figures.
                    let cost = self.cost_in(t, up, mine);
                    if !cost.is_zero() {
                        return Err(CaseError::NoneJoined {
                            year: self.year(t),
                            amount: crate::base::money::format_pounds(cost, 0, Default::default()),
                        });
                    }
                    continue;
                }
                let a = match ready.take() {
                    Some((e, a)) if e == engaged => (e, a),
                    _ => {
                        let ws: Vec<Decimal> = engaged.iter().map(|&i| w[i]).collect();
                        let a = apportion::Apportioner::new(&ws)
                            .map_err(|e| self.year_error(t, &engaged, e))?;
                        (engaged.clone(), a)
                    }
                };
                let cost = self.cost_in(t, up, mine);
                a.1.parts_each(cost, apportion::unit_for(cost), |k, part| {
                    let i = engaged[k];
                    year[i] = Some(year[i].unwrap_or_default() + part);
                })
                .map_err(|e| self.year_error(t, &engaged, e))?;
                ready = Some(a);
            }
        }
        self.joining_fees(&mut out)?;
        Ok(Some(out))
    }

    /// The partners sharing year `t`'s costs (joined and not yet left), by
    /// index, into `out`.
    pub(crate) fn engaged_in(&self, t: usize, out: &mut Vec<usize>) {
        out.clear();
        let p = &self.partners;
        out.extend((0..p.len()).filter(|&i| p[i].joins <= t && t < p[i].leaves));
    }

    /// Whether item `i`'s costs are shared by `basis` (its own, or the
    /// case's): `shares` and the simulation's `near` pick the same items.
    pub(crate) fn shared_by(&self, i: &CaseItem, basis: &Basis) -> bool {
        !i.central && i.basis.as_ref().unwrap_or(&self.basis) == basis
    }

    /// Year `t`'s apportionment error, a negative weight named by the
    /// partner (`engaged` gives the partners apportioned between, by index).
    fn year_error(&self, t: usize, engaged: &[usize], e: apportion::ApportionError) -> CaseError {
        let source = match e {
            apportion::ApportionError::NegativeWeight(k) => {
                let k: usize = k.parse().unwrap_or(0);
                let name = engaged.get(k).map(|&i| self.partners[i].name.clone());
                apportion::ApportionError::NegativeWeight(name.unwrap_or_default())
            }
            other => other,
        };
        CaseError::YearCosts {
            year: self.year(t),
            source,
        }
    }

    /// A late joiner's fee and a leaver's exit cost: added to the payer's
    /// share in its join (or leave) year and shared among the partners it
    /// pays (those already in; those who stay) by the case's basis (largest
    /// remainder), so each year still adds up to its case cost.
    fn joining_fees(&self, out: &mut [Vec<Option<Decimal>>]) -> Result<(), CaseError> {
        let w = self.weight_values()?;
        for (j, p) in self.partners.iter().enumerate() {
            let t = p.joins;
            if !p.joining_fee.is_zero() && t > 0 && t < out.len() {
                let already = |q: &CasePartner| q.joins < t && t < q.leaves;
                self.transfer(out, &w, (j, t, p.joining_fee), already)?;
            }
            let t = p.leaves;
            if !p.exit_cost.is_zero() && t < out.len() {
                let staying = |q: &CasePartner| q.joins <= t && t < q.leaves;
                self.transfer(out, &w, (j, t, p.exit_cost), staying)?;
            }
        }
        Ok(())
    }

    /// Partner `j` pays `amount` in year `t` to the partners `to` picks, by
    /// weight `w`.
    fn transfer(
        &self,
        out: &mut [Vec<Option<Decimal>>],
        w: &[Decimal],
        (j, t, amount): (usize, usize, Decimal),
        to: impl Fn(&CasePartner) -> bool,
    ) -> Result<(), CaseError> {
        let receivers: Vec<(String, Decimal)> = self
            .partners
            .iter()
            .zip(w)
            .filter(|(q, _)| to(q))
            .map(|(q, w)| (q.name.clone(), *w))
            .collect();
        if receivers.is_empty() {
            return Ok(());
        }
        let unit = apportion::unit_for(amount);
        let parts = apportion::apportion(amount, &receivers, unit).map_err(|source| {
            CaseError::YearCosts {
                year: self.year(t),
                source,
            }
        })?;
        let year = &mut out[t];
        year[j] = Some(year[j].unwrap_or_default() + amount);
        for (slot, q) in year.iter_mut().zip(&self.partners) {
            if let Some(x) = parts.iter().find(|x| x.partner == q.name) {
                *slot = Some(slot.unwrap_or_default() - x.rounded);
            }
        }
        Ok(())
    }

    /// Every figure of the case, computed once.
    /// Each partner's cost of the shared service and its net saving a year.
    fn costs_and_nets(&self) -> Result<(Vec<Decimal>, Vec<Decimal>), CaseError> {
        let costs = match self.has_shared_cost() {
            true => self.partner_costs()?,
            false => vec![Decimal::ZERO; self.partners.len()],
        };
        let nets = self.nets_of(&costs);
        Ok((costs, nets))
    }

    /// A shared service cost is given (whole, or partner by partner).
    pub(crate) fn has_shared_cost(&self) -> bool {
        self.shared_total.is_some() || self.partners.iter().any(|p| p.given_cost.is_some())
    }

    /// Each partner's net saving a year, from its cost of the shared
    /// service (`partner_costs`, taken as zero when no cost is given).
    pub(crate) fn nets_of(&self, pc: &[Decimal]) -> Vec<Decimal> {
        let shared = self.has_shared_cost();
        let partners = self.partners.iter().zip(pc);
        partners.map(|(p, &c)| net_of(p, c, shared)).collect()
    }

    /// Each partner's own NPV (None: it never joins, or the case gives its
    /// net saving whole), without the rest of the figures: the simulation's
    /// count of partners worse off.
    pub fn partner_npvs(&self) -> Result<Vec<Option<Decimal>>, CaseError> {
        let pc = self.saving_costs()?;
        // A closure, not the fn itself: `each_partner` lends the costs for
        // any lifetime, which a generic fn item cannot take.
        self.each_partner(pc.as_deref(), &self.priced_profile(), |c, s, p, r, n| {
            score::own_npv(c, s, p, r, n)
        })
    }

    /// `f` of each partner's own case (its yearly costs, its (net saving,
    /// join, leave), the profile, the rate and the window), as `own_npv`
    /// takes them; None where it has none.
    fn each_partner<T>(
        &self,
        pc: Option<&[Decimal]>,
        profile: &[Decimal],
        f: impl Fn(&dyn Fn(usize) -> Decimal, (Decimal, usize, usize), &[Decimal], Decimal, usize) -> T,
    ) -> Result<Vec<Option<T>>, CaseError> {
        let none = || (0..self.partners.len()).map(|_| None).collect();
        let Some(pc) = pc else {
            return Ok(none());
        };
        let nets = self.nets_of(pc);
        let Some(shares) = self.shares()? else {
            return Ok(none());
        };
        let rate = self.shown_rate_pct();
        Ok((0..self.partners.len())
            .map(|i| {
                let p = &self.partners[i];
                (p.joins != NEVER).then(|| {
                    // The costs `own_inputs` gives, year by year.
                    let cost = |t: usize| {
                        let share = shares.get(t).and_then(|y| y.get(i).copied().flatten());
                        mul(share.unwrap_or_default(), self.price_factors(t).0)
                    };
                    f(
                        &cost,
                        (nets[i], p.joins, p.leaves),
                        profile,
                        rate,
                        self.window,
                    )
                })
            })
            .collect())
    }

    /// Each partner's own NPV the plain way, through its full score inputs:
    /// what `partner_npvs` must equal.
    #[cfg(test)]
    pub(crate) fn partner_npvs_plain(&self) -> Result<Vec<Option<Decimal>>, CaseError> {
        if self.net_given.is_some() || !self.has_savings {
            return Ok(vec![None; self.partners.len()]);
        }
        let (_, nets) = self.costs_and_nets()?;
        let Some(shares) = self.shares()? else {
            return Ok(vec![None; self.partners.len()]);
        };
        let (profile, rate) = (self.priced_profile(), self.shown_rate_pct());
        Ok((0..self.partners.len())
            .map(|i| {
                (self.partners[i].joins != NEVER).then(|| {
                    let inp = self.own_inputs(&shares, nets[i], i, profile.clone(), rate);
                    score::summarise(&inp).npv
                })
            })
            .collect())
    }

    /// Refuses a case whose figures could pass `LARGEST`: the money it is
    /// given, times its largest uplift, price factor and realisation share,
    /// times its years (a bound worked in floats: a guard, not a figure).
    pub fn check_magnitude(&self) -> Result<(), CaseError> {
        let f = |d: Decimal| d.abs().to_f64().unwrap_or(f64::MAX);
        let items: f64 = self
            .items
            .iter()
            .flat_map(|i| &i.amounts)
            .map(|&a| f(a))
            .sum();
        let partners: f64 = self
            .partners
            .iter()
            .map(|p| f(p.baseline) + f(p.already) + f(p.given_cost.unwrap_or_default()))
            .sum();
        let given = [self.shared_total, self.net_given, Some(self.approved_total)];
        let money = items + partners + given.iter().flatten().map(|&d| f(d)).sum::<f64>();
        let up = f(self.uplift()).max(f(
            Decimal::ONE + self.operating_bias_pct / Decimal::ONE_HUNDRED
        ));
        // Past Decimal's range is too large (f64::MAX).
        let factors = |t: usize| match &self.prices {
            Some(p) => p.checked_factors(t),
            None => Some((Decimal::ONE, Decimal::ONE)),
        };
        let prices = (0..self.span.max(self.window))
            .map(|t| factors(t).map_or(f64::MAX, |(c, s)| f(c).max(f(s))))
            .fold(1.0, f64::max);
        let realised = self
            .realisation
            .iter()
            .flatten()
            .map(|&r| f(r))
            .fold(1.0, f64::max);
        let bound = money
            * up
            * prices
            * realised
            * f(self.realisation_factor).max(1.0)
            * (self.span.max(self.window) as f64);
        match bound.is_finite() && bound <= LARGEST {
            true => Ok(()),
            false if bound.is_finite() => Err(CaseError::TooLarge(format!("{bound:.0e}"))),
            // A price factor past Decimal's range, or a sum past floats'.
            false => Err(CaseError::TooLarge("7.9e28 or more".into())),
        }
    }

    pub fn figures(&self) -> Result<Figures, CaseError> {
        self.check_magnitude()?;
        let (costs, partner_net) = self.costs_and_nets()?;
        let net_per_annum = self.net_given.unwrap_or_else(|| partner_net.iter().sum());
        let shares = self.shares()?;
        let mut investment_share = vec![Decimal::ZERO; self.partners.len()];
        for year in shares.iter().flatten() {
            for (s, v) in investment_share.iter_mut().zip(year) {
                *s += v.unwrap_or_default();
            }
        }
        let up = self.uplift();
        let mut f = Figures {
            case_total: self.case_total(),
            central: self
                .items
                .iter()
                .filter(|i| i.central && !i.external)
                .map(|i| i.amounts.iter().sum::<Decimal>() * up)
                .sum(),
            tolerance_max: self.tolerance_max(),
            case_cost: (0..self.span)
                .map(|t| self.cost_in(t, up, |i| !i.central))
                .collect(),
            all_cost: (0..self.span)
                .map(|t| self.cost_in(t, up, |i| !i.external))
                .collect(),
            shares,
            partner_cost: costs,
            partner_net,
            investment_share,
            net_per_annum,
            score: score::evaluate(&self.checked_score_inputs()?),
            partner_npv: Vec::new(),
        };
        f.partner_npv = (0..self.partners.len())
            .map(|i| {
                (self.partners[i].joins != NEVER)
                    .then(|| self.partner_score_inputs(&f, i))
                    .flatten()
                    .map(|inp| score::summarise(&inp).npv)
            })
            .collect();
        Ok(f)
    }
}

impl Case {
    /// One partner's own case, for its S151 officer: its share of each
    /// year's case costs as its costs, and its own net saving from the
    /// year it joins as its savings. None when the case gives its net saving
    /// whole (no partner's share of it is known).
    pub fn partner_score_inputs(&self, f: &Figures, i: usize) -> Option<ScoreInputs> {
        if self.net_given.is_some() || !self.has_savings {
            return None;
        }
        let shares = f.shares.as_ref()?;
        self.partners.get(i)?;
        let (profile, rate) = (self.priced_profile(), self.shown_rate_pct());
        Some(self.own_inputs(shares, f.partner_net[i], i, profile, rate))
    }

    /// Partner `i`'s score inputs from the year's shares and its net saving.
    fn own_inputs(
        &self,
        shares: &[Vec<Option<Decimal>>],
        net: Decimal,
        i: usize,
        realisation: Vec<Decimal>,
        rate_pct: Decimal,
    ) -> ScoreInputs {
        let costs = (0..self.window)
            .map(|t| {
                shares
                    .get(t)
                    .and_then(|y| y.get(i).copied().flatten())
                    .unwrap_or_default()
                    * self.price_factors(t).0
            })
            .collect();
        let p = &self.partners[i];
        ScoreInputs {
            first_year: self.first_year,
            costs,
            savers: vec![(net, p.joins, p.leaves)],
            realisation,
            rate_pct,
        }
    }
}

impl Case {
    /// A model's case and every figure of it; None when the model has no
    /// investment window. An error names the model file and `key`.
    pub fn of_model(m: &Model, key: &str) -> crate::Result<Option<(Case, Figures)>> {
        let Some(c) = Case::from_model(m) else {
            return Ok(None);
        };
        let f = c.figures().map_err(|e| m.error(key, e.to_string()))?;
        Ok(Some((c, f)))
    }
}
