//! What-if scenarios: a business case flattened into the figures an S151
//! officer tests, overrides addressed by key, and the side-by-side
//! comparison with the base case.
//!
//! The keys are listed once, in `keys`.

use crate::base::error::{Error, Result};
use crate::base::money::{self, Amount, Money};
use crate::base::table::{Cell, Table, Value};
use crate::base::year::Year;
use crate::case::score;
use crate::model::Basis;
use rust_decimal::Decimal;

use crate::case::calc::year_idx;
pub use crate::case::calc::{Case, CaseItem, CasePartner, Figures};

impl Case {
    /// Applies one override. Errors name the key and say what was expected.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        if let Some(t) = self.target(key)? {
            let v = parse_value(key, t, value)?;
            if let Target::ItemScale(i) = t {
                // A scale multiplies what is there: repeated, it compounds,
                // so the result is bounded, not only the factor.
                let fits = self.items[i].amounts.iter().all(|a| {
                    a.checked_mul(v)
                        .is_some_and(|x| x.abs() <= money::MAX_AMOUNT)
                });
                if !fits {
                    return Err(Error::usage(format!(
                        "{key}={value}: the scaled amounts would be over £1,000,000,000,000,000"
                    )));
                }
            }
            self.apply(t, v);
            return Ok(());
        }
        let bad = |what: &str| Error::usage(format!("{key}={value}: expected {what}"));
        let year = || -> Result<Year> {
            Year::parse(value)
                .ok_or_else(|| bad("a financial year such as 2019/20 (1900/01 to 2199/00)"))
        };
        let parts: Vec<&str> = key.split('.').collect();
        match parts.as_slice() {
            ["apportionment", "basis"] => {
                // Checked once all overrides are in: populations may follow.
                let b = Basis::named(value);
                if matches!(&b, Basis::Driver(d) if !self.drivers.contains(d)) {
                    let mut known = vec!["equal", "baseline", "population", "weights"];
                    known.extend(self.drivers.iter().map(String::as_str));
                    return Err(bad(&known.join(", ")));
                }
                self.basis = b;
            }
            ["apportionment", "joins", p] => {
                let i = self.partner(key, p)?;
                self.partners[i].joins = if value.trim().eq_ignore_ascii_case("never") {
                    crate::case::calc::NEVER
                } else {
                    let y = year()?;
                    self.check_window(key, y)?;
                    year_idx(self.first_year, y, self.window)
                };
            }
            ["window_years"] => {
                let n: usize = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=50).contains(n))
                    .ok_or_else(|| bad("a whole number of years from 1 to 50"))?;
                self.set_window(n);
            }
            ["savings", "start_year"] => {
                let y = year()?;
                self.check_window(key, y)?;
                self.start = year_idx(self.first_year, y, self.window);
            }
            ["savings", "shared_service_cost", p] => {
                let i = self.partner(key, p)?;
                let v = parse_value(key, Target::SharedTotal, value)?;
                if let Some(total) = self.shared_total.take() {
                    // Fix every partner at its apportioned cost, then change one.
                    let costs = self.partner_costs_with(total)?;
                    for (q, c) in self.partners.iter_mut().zip(costs) {
                        q.given_cost = Some(c);
                    }
                }
                self.partners[i].given_cost = Some(v);
            }
            _ => {
                return Err(Error::usage(format!(
                    "{key}: unknown key; expected one of {}",
                    crate::whatif::keys::list()
                )));
            }
        }
        Ok(())
    }

    /// A longer or shorter appraisal: amounts and realisation shares are
    /// kept for every year, zero (or unset) for the years added.
    fn set_window(&mut self, n: usize) {
        if n > self.span {
            for i in &mut self.items {
                i.amounts.resize(n, Decimal::ZERO);
            }
            self.span = n;
        }
        self.realisation.resize(n, None);
        self.window = n;
    }

    fn partner_costs_with(
        &self,
        total: Decimal,
    ) -> std::result::Result<Vec<Decimal>, crate::case::calc::CaseError> {
        let mut c = self.clone();
        c.shared_total = Some(total);
        c.partner_costs()
    }

    fn partner(&self, key: &str, p: &str) -> Result<usize> {
        self.partners
            .iter()
            .position(|q| q.name.eq_ignore_ascii_case(p))
            .ok_or_else(|| {
                Error::usage(format!(
                    "{key}: unknown partner {p:?}; the case's partners are {}",
                    self.partners
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }

    fn item(&self, key: &str, part: &str) -> Result<usize> {
        let needle = part.to_ascii_lowercase();
        let hits: Vec<usize> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.name.to_ascii_lowercase().contains(&needle))
            .map(|(n, _)| n)
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::usage(format!(
                "{key}: no investment item's name contains {part:?}; items: {}",
                self.items
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
            many => Err(Error::usage(format!(
                "{key}: {part:?} matches {} items ({}); use a part of the name that only one has",
                many.len(),
                many.iter()
                    .map(|&n| self.items[n].name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
        }
    }

    fn check_window(&self, key: &str, y: Year) -> Result<()> {
        let last = self.year(self.window - 1);
        if y < self.first_year || y > last {
            return Err(Error::usage(format!(
                "{key}: {y} is outside the case's {}-year window {}–{last}",
                self.window, self.first_year
            )));
        }
        Ok(())
    }
}

/// A numeric input of a case, resolved once from its key so that a
/// simulation can set it many times without parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    TolerancePct,
    RatePct,
    OptimismBias,
    OperatingBias,
    DurationBias,
    BenefitsBias,
    Inflation,
    CostsIndex,
    SavingsIndex,
    Weight(usize),
    Population(usize),
    RealisationFactor,
    RealisationYear(usize),
    SlipMonths,
    SharedTotal,
    Baseline(usize),
    Already(usize),
    NetGiven,
    ItemYear(usize, usize),
    ItemScale(usize),
}

impl Target {
    /// Money is drawn to the penny; shares and rates more finely.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Target::SharedTotal
                | Target::Baseline(_)
                | Target::Already(_)
                | Target::NetGiven
                | Target::ItemYear(..)
        )
    }

    /// Whether a draw of it can change the partners' costs of the shared
    /// service (`Case::saving_costs`): their sum, its uplift, or the
    /// weights it is apportioned by.
    pub fn moves_partner_costs(self) -> bool {
        matches!(
            self,
            Target::OperatingBias
                | Target::Weight(_)
                | Target::Population(_)
                | Target::SharedTotal
                | Target::Baseline(_)
                | Target::NetGiven
        )
    }

    /// A share given as a fraction (0.7), shown as a percentage (70%).
    pub fn is_fraction(self) -> bool {
        matches!(self, Target::RealisationFactor | Target::RealisationYear(_))
    }

    /// A rate in percent (shown with a % sign).
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Target::TolerancePct
                | Target::RatePct
                | Target::OptimismBias
                | Target::OperatingBias
                | Target::DurationBias
                | Target::BenefitsBias
                | Target::Inflation
                | Target::CostsIndex
                | Target::SavingsIndex
        )
    }

    /// The largest value that makes sense: rates and factors are bounded so
    /// that no what-if can take the arithmetic past Decimal's range.
    pub fn most(self) -> Decimal {
        match self {
            Target::TolerancePct
            | Target::RatePct
            | Target::OptimismBias
            | Target::OperatingBias
            | Target::DurationBias => Decimal::from(1_000),
            Target::BenefitsBias
            | Target::Inflation
            | Target::CostsIndex
            | Target::SavingsIndex => Decimal::ONE_HUNDRED,
            // A share: 1 is all of it; 70 meant as 70 % is refused.
            Target::RealisationFactor | Target::RealisationYear(_) => Decimal::TWO,
            Target::ItemScale(_) => Decimal::from(1_000),
            Target::SlipMonths => Decimal::from(1_200),
            Target::Weight(_) | Target::Population(_) => Decimal::from(1_000_000_000_000i64),
            _ => money::MAX_AMOUNT,
        }
    }

    /// Whether a negative value is refused (a partner's budget cost is
    /// also its weight on the baseline basis: never below nothing).
    pub(crate) fn nonneg(self) -> bool {
        !matches!(
            self,
            Target::Already(_)
                | Target::NetGiven
                | Target::ItemYear(..)
                | Target::Inflation
                | Target::CostsIndex
                | Target::SavingsIndex
        )
    }

    /// The smallest value that makes sense: zero where a negative is
    /// refused, −50 % for a price index (as a model may say: at −100 % a
    /// price is nothing and its factor divides by zero), −most otherwise.
    pub fn least(self) -> Decimal {
        match self {
            Target::Inflation | Target::CostsIndex | Target::SavingsIndex => Decimal::from(-50),
            t if t.nonneg() => Decimal::ZERO,
            t => -t.most(),
        }
    }
}

/// A value of `key` (whose target is `target`) in the input's own terms:
/// £234,000 for money, 20% for a rate, 70% for a share of 0.7, 6 months.
pub fn shown(target: Option<Target>, key: &str, value: &str) -> String {
    match (target, value.parse::<Decimal>()) {
        (Some(t), Ok(d)) if t.is_money() => money::format_pounds(d, 0, Default::default()),
        (Some(t), Ok(d)) if t.is_percent() => format!("{}%", d.normalize()),
        _ => crate::whatif::keys::shown(key, value),
    }
}

impl Case {
    /// A setting as a person reads it, in the input's own terms:
    /// "Exit costs, 2030/31: £234,000", "Optimism bias (capital): 20%",
    /// "Share of savings realised: 70%", "Implementation delay: 6 months".
    pub fn setting(&self, key: &str, value: &str) -> String {
        let shown = shown(self.target(key).ok().flatten(), key, value);
        format!("{}: {shown}", crate::whatif::keys::label(key))
    }

    /// Resolves a numeric key; None for keys that take a name or a year.
    pub fn target(&self, key: &str) -> Result<Option<Target>> {
        let parts: Vec<&str> = key.split('.').collect();
        Ok(Some(match parts.as_slice() {
            ["tolerance_pct"] => Target::TolerancePct,
            ["discount_rate_pct"] => Target::RatePct,
            ["optimism_bias_pct"] | ["optimism_bias", "capital_pct"] => Target::OptimismBias,
            ["optimism_bias", "operating_pct"] => Target::OperatingBias,
            ["optimism_bias", "duration_pct"] => Target::DurationBias,
            ["optimism_bias", "benefits_pct"] => Target::BenefitsBias,
            ["prices", "inflation_pct"] => Target::Inflation,
            ["prices", "costs_index_pct"] => Target::CostsIndex,
            ["prices", "savings_index_pct"] => Target::SavingsIndex,
            ["apportionment", "weights", p] => Target::Weight(self.partner(key, p)?),
            ["population", p] => Target::Population(self.partner(key, p)?),
            ["savings", "realisation"] => Target::RealisationFactor,
            ["savings", "slip_months"] => Target::SlipMonths,
            ["savings", "shared_service_cost"] => {
                if self.shared_total.is_none() {
                    return Err(Error::usage(format!(
                        "{key}: this case gives the shared service cost per partner; use {key}.PARTNER"
                    )));
                }
                Target::SharedTotal
            }
            ["savings", "baseline", p] => Target::Baseline(self.partner(key, p)?),
            ["savings", "already_budgeted", p] => Target::Already(self.partner(key, p)?),
            ["savings", "net_saving_per_annum"] => {
                // Given, it would stand for the savings worked partner by
                // partner in the case's score alone: the partners' own
                // figures were left as they were ("none worse off" beside
                // a negative NPV).
                if self.net_given.is_none() && self.has_savings {
                    return Err(Error::usage(format!(
                        "{key}: this case works its savings partner by partner, from each baseline less its share of the cost; vary savings.baseline.PARTNER, savings.already_budgeted.PARTNER or the shared service cost"
                    )));
                }
                Target::NetGiven
            }
            ["savings", "realisation", y] => {
                let y = Year::parse(y).ok_or_else(|| {
                    Error::usage(format!(
                        "{key}: {y:?} is not a financial year such as 2019/20"
                    ))
                })?;
                self.check_window(key, y)?;
                Target::RealisationYear(year_idx(self.first_year, y, self.window))
            }
            ["investment", ..] if parts.len() >= 3 => {
                let last = parts[parts.len() - 1];
                let i = self.item(key, &parts[1..parts.len() - 1].join("."))?;
                if last == "scale" {
                    Target::ItemScale(i)
                } else {
                    let y = Year::parse(last).ok_or_else(|| {
                        Error::usage(format!(
                            "{key}: {last:?} is not a financial year such as 2019/20, nor \"scale\""
                        ))
                    })?;
                    self.check_window(key, y)?;
                    Target::ItemYear(i, year_idx(self.first_year, y, self.window))
                }
            }
            _ => return Ok(None),
        }))
    }

    /// Sets a numeric input. The value has been validated for its target.
    pub fn apply(&mut self, target: Target, v: Decimal) {
        match target {
            Target::TolerancePct => self.tolerance_pct = Some(v),
            Target::RatePct => self.rate_pct = v,
            Target::OptimismBias => self.optimism_bias_pct = v,
            Target::OperatingBias => self.operating_bias_pct = v,
            Target::DurationBias => self.duration_bias_pct = v,
            Target::BenefitsBias => self.benefits_bias_pct = v,
            Target::Inflation => self.prices_mut().inflation_pct = v,
            Target::CostsIndex => self.prices_mut().costs_pct = Some(v),
            Target::SavingsIndex => self.prices_mut().savings_pct = Some(v),
            Target::Weight(i) => self.partners[i].weight = Some(v),
            Target::Population(i) => self.partners[i].population = Some(v),
            Target::RealisationFactor => self.realisation_factor = v,
            Target::RealisationYear(t) => self.realisation[t] = Some(v),
            Target::SlipMonths => self.slip_months = v,
            Target::SharedTotal => self.shared_total = Some(v),
            Target::Baseline(i) => self.partners[i].baseline = v,
            Target::Already(i) => self.partners[i].already = v,
            Target::NetGiven => self.net_given = Some(v),
            Target::ItemYear(i, t) => self.items[i].amounts[t] = v,
            Target::ItemScale(i) => {
                for a in &mut self.items[i].amounts {
                    *a *= v;
                }
            }
        }
    }
}

impl Case {
    /// Puts back what `apply(target, …)` changed, from `base` (the case it
    /// was applied to): a simulation restores the few inputs it drew rather
    /// than copy the whole case for every trial.
    pub fn restore(&mut self, base: &Case, target: Target) {
        match target {
            Target::TolerancePct => self.tolerance_pct = base.tolerance_pct,
            Target::RatePct => self.rate_pct = base.rate_pct,
            Target::OptimismBias => self.optimism_bias_pct = base.optimism_bias_pct,
            Target::OperatingBias => self.operating_bias_pct = base.operating_bias_pct,
            Target::DurationBias => self.duration_bias_pct = base.duration_bias_pct,
            Target::BenefitsBias => self.benefits_bias_pct = base.benefits_bias_pct,
            Target::Inflation | Target::CostsIndex | Target::SavingsIndex => {
                self.prices.clone_from(&base.prices)
            }
            Target::Weight(i) => self.partners[i].weight = base.partners[i].weight,
            Target::Population(i) => self.partners[i].population = base.partners[i].population,
            Target::RealisationFactor => self.realisation_factor = base.realisation_factor,
            Target::RealisationYear(t) => self.realisation[t] = base.realisation[t],
            Target::SlipMonths => self.slip_months = base.slip_months,
            Target::SharedTotal => self.shared_total = base.shared_total,
            Target::Baseline(i) => self.partners[i].baseline = base.partners[i].baseline,
            Target::Already(i) => self.partners[i].already = base.partners[i].already,
            Target::NetGiven => self.net_given = base.net_given,
            Target::ItemYear(i, t) => self.items[i].amounts[t] = base.items[i].amounts[t],
            Target::ItemScale(i) => self.items[i]
                .amounts
                .copy_from_slice(&base.items[i].amounts),
        }
    }

    /// The case's prices, made (base year the first, no inflation) when a
    /// what-if sets one of them on a model without `[prices]`.
    fn prices_mut(&mut self) -> &mut crate::case::calc::CasePrices {
        self.prices.get_or_insert(crate::case::calc::CasePrices {
            base: 0,
            inflation_pct: Decimal::ZERO,
            costs_pct: None,
            savings_pct: None,
            nominal: false,
        })
    }
}

/// Parses a value for a numeric target, refusing negatives where they make no sense.
pub fn parse_value(key: &str, target: Target, value: &str) -> Result<Decimal> {
    // A share written as a percentage ("70%") is that share (0.7); a
    // rate's "%" is its unit already (10% is 10).
    let v = value.trim();
    let (v, per_cent) = match v.strip_suffix('%') {
        Some(v) => (v.trim(), target.is_fraction()),
        None => (v, false),
    };
    let d = match money::parse_amount(v) {
        Ok(Amount::Value(d)) if per_cent => d / Decimal::ONE_HUNDRED,
        Ok(Amount::Value(d)) => d,
        // A number, but past what costshare takes: said so, not "expected
        // a number".
        Err(e) if e.reason.starts_with("too large") => {
            return Err(Error::usage(format!("{key}={value}: {}", e.reason)));
        }
        _ => {
            return Err(Error::usage(format!(
                "{key}={value}: expected a number{}",
                if target.is_money() {
                    " such as 234000 or £234,000"
                } else {
                    " such as 0.7 or 10"
                }
            )));
        }
    };
    if target.nonneg() && d.is_sign_negative() && !d.is_zero() {
        return Err(Error::usage(format!(
            "{key}={value}: expected zero or more"
        )));
    }
    if d < target.least() {
        return Err(Error::usage(format!(
            "{key}={value}: too small; at least {}",
            target.least().normalize()
        )));
    }
    if d.abs() > target.most() {
        let share = match target.is_fraction() {
            true => " (a share: 1 is all of it; write 0.7 or 70% for 70 %)",
            false => "",
        };
        return Err(Error::usage(format!(
            "{key}={value}: too large; at most {}{share}",
            target.most().normalize()
        )));
    }
    Ok(d)
}

/// A named set of overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub set: Vec<(String, String)>,
}

/// Parses "KEY=VALUE".
pub fn parse_assignment(s: &str) -> Result<(String, String)> {
    let (k, v) = s.split_once('=').ok_or_else(|| {
        Error::usage(format!(
            "--set {s:?}: expected KEY=VALUE, e.g. apportionment.basis=equal"
        ))
    })?;
    let (k, v) = (k.trim(), v.trim());
    if k.is_empty() || v.is_empty() {
        return Err(Error::usage(format!(
            "--set {s:?}: expected KEY=VALUE with both parts"
        )));
    }
    Ok((k.to_string(), v.to_string()))
}

/// Parses each "KEY=VALUE"; a key set twice is refused (the later value
/// silently won, while the note listed both).
pub fn parse_assignments(specs: &[String]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(specs.len());
    for s in specs {
        let (k, v) = parse_assignment(s)?;
        if let Some(j) = out.iter().position(|(q, _)| q.eq_ignore_ascii_case(&k)) {
            return Err(Error::usage(format!(
                "--set {s}: sets {k} again (--set {} first); give each input one value",
                specs[j]
            )));
        }
        out.push((k, v));
    }
    Ok(out)
}

impl Scenario {
    pub fn apply(&self, base: &Case) -> Result<Case> {
        let mut c = base.clone();
        let named = |m: String| Error::usage(format!("scenario {:?}: {m}", self.name));
        for (k, v) in &self.set {
            c.set(k, v).map_err(|e| match e {
                Error::Usage(m) => named(m),
                other => other,
            })?;
        }
        c.weights()
            .map_err(|m| named(format!("apportionment.basis={}: {m}", c.basis.name())))?;
        Ok(c)
    }
}

/// `<models_dir>/scenarios/<slug>.toml`, the scenario file of a model, when
/// it exists.
pub fn default_file(models_dir: &std::path::Path, slug: &str) -> Option<std::path::PathBuf> {
    let p = models_dir.join("scenarios").join(format!("{slug}.toml"));
    p.exists().then_some(p)
}

/// Reads a scenario file: `[[scenario]]` entries with name, description and
/// a `set` table of overrides; optional `model` (file stem) it applies to,
/// and `[sensitivity] vary = ["KEY=LOW..HIGH", …]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioFile {
    pub model: Option<String>,
    pub scenarios: Vec<Scenario>,
    /// Options appraised against business as usual (`[[option]]`).
    pub options: Vec<Scenario>,
    pub vary: Vec<String>,
    pub ranges: Vec<String>,
}

pub fn load_file(path: &std::path::Path) -> Result<ScenarioFile> {
    let text = crate::input::import::read_text(path)?;
    parse_file(&text, &path.display().to_string())
}

/// A scenario file's text; `file` names it in messages, with the line of
/// the key at fault.
pub fn parse_file(text: &str, file: &str) -> Result<ScenarioFile> {
    let doc = crate::model::toml_doc(text, file)?;
    parse_doc(&doc, file).map_err(|e| crate::model::located(e, &crate::model::key_lines(text)))
}

fn parse_doc(doc: &toml::Table, file: &str) -> Result<ScenarioFile> {
    let file = file.to_string();
    let mut out = ScenarioFile {
        model: doc
            .get("model")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        ..Default::default()
    };
    for k in doc.keys() {
        if !["model", "scenario", "option", "sensitivity", "simulation"].contains(&k.as_str()) {
            return Err(Error::model(
                &file,
                k,
                "unknown key; expected model, [[scenario]], [[option]], [sensitivity] or [simulation]",
            ));
        }
    }
    for (section, into) in [
        ("scenario", &mut out.scenarios),
        ("option", &mut out.options),
    ] {
        let Some(arr) = doc.get(section) else {
            continue;
        };
        let toml::Value::Array(a) = arr else {
            return Err(Error::model(
                &file,
                section,
                format!("expected [[{section}]] entries"),
            ));
        };
        for (i, s) in a.iter().enumerate() {
            let s = parse_scenario(&file, &format!("{section}[{i}]"), s)?;
            // Two columns of one name could not be told apart.
            if let Some(j) = into.iter().position(|o| o.name == s.name) {
                return Err(Error::model(
                    &file,
                    &format!("{section}[{i}].name"),
                    format!(
                        "{:?} is also {section}[{j}]'s name; give each its own",
                        s.name
                    ),
                ));
            }
            into.push(s);
        }
    }
    let list = |section: &str, k: &str| -> Result<Vec<String>> {
        match doc.get(section).and_then(|s| s.get(k)) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        Error::model(
                            &file,
                            &format!("{section}.{k}"),
                            "expected a list of \"KEY=LOW..HIGH\" strings",
                        )
                    })
                })
                .collect(),
            Some(_) => Err(Error::model(
                &file,
                &format!("{section}.{k}"),
                "expected a list of \"KEY=LOW..HIGH\" strings",
            )),
        }
    };
    out.vary = list("sensitivity", "vary")?;
    out.ranges = list("simulation", "range")?;
    Ok(out)
}

/// One [[scenario]]: its name, description and overrides.
fn parse_scenario(file: &str, key: &str, s: &toml::Value) -> Result<Scenario> {
    let Some(t) = s.as_table() else {
        return Err(Error::model(
            file,
            key,
            "expected a table with name and set",
        ));
    };
    if let Some(k) = t
        .keys()
        .find(|k| !["name", "description", "set"].contains(&k.as_str()))
    {
        return Err(Error::model(
            file,
            &format!("{key}.{k}"),
            "unknown key; expected name, description and set",
        ));
    }
    let name = t.get("name").and_then(|v| v.as_str()).ok_or_else(|| {
        Error::model(
            file,
            &format!("{key}.name"),
            "missing; expected the scenario's name",
        )
    })?;
    let set_t = t.get("set").and_then(|v| v.as_table()).ok_or_else(|| Error::model(file, &format!("{key}.set"), "missing; expected a table of overrides such as { \"apportionment.basis\" = \"equal\" }"))?;
    let set = set_t
        .iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => money::decimal_from_f64(*f)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                _ => {
                    return Err(Error::model(
                        file,
                        &format!("{key}.set.{k}"),
                        "expected a number or a string",
                    ));
                }
            };
            Ok((k.clone(), v))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Scenario {
        name: name.to_string(),
        description: t
            .get("description")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        set,
    })
}

fn money_v(d: Decimal) -> Value {
    Value::money(Money(d))
}

/// Applies named scenarios to the base and compares them side by side, each
/// scenario's overrides (and description) stated in the notes.
pub fn compare_named(model_name: &str, base: &Case, scenarios: &[Scenario]) -> Result<Table> {
    let applied = scenarios
        .iter()
        .map(|s| Ok((s.name.clone(), s.apply(base)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut t = compare(model_name, base, &applied)?;
    for s in scenarios {
        // "Share of savings realised set to 70%": what the scenario changes,
        // not a repeat of its name.
        let how = s
            .set
            .iter()
            .map(|(k, v)| base.setting(k, v).replacen(": ", " set to ", 1))
            .collect::<Vec<_>>()
            .join(", ");
        t.notes.push(if s.description.is_empty() {
            format!("{}: {how}", s.name)
        } else {
            format!("{}: {} ({how})", s.name, s.description)
        });
    }
    t.notes.extend(idle_settings(base, scenarios, &applied)?);
    Ok(t)
}

/// A setting that moves no figure of its scenario (a population when the
/// basis stays baseline budgets): said, so a scenario is not taken to have
/// tested what it did not. Each is left out in turn from the rest.
fn idle_settings(
    base: &Case,
    scenarios: &[Scenario],
    applied: &[(String, Case)],
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (s, (_, case)) in scenarios.iter().zip(applied) {
        let all = case.figures()?;
        for (i, (k, v)) in s.set.iter().enumerate() {
            let mut rest = base.clone();
            let others = s.set.iter().enumerate().filter(|(j, _)| *j != i);
            let set = others
                .map(|(_, (k, v))| rest.set(k, v))
                .collect::<Result<Vec<_>>>();
            if set.is_ok() && rest.figures().is_ok_and(|f| f == all) {
                out.push(format!(
                    "{}: {k}={v} changes no figure of the case (is it used as the case stands?)",
                    s.name
                ));
            }
        }
    }
    Ok(out)
}

/// The comparison's headline rows, at a glance: a row for the base and for
/// each scenario (its column of the comparison), a column for each figure
/// below. Narrow enough for a portrait page; every cell is the comparison's
/// own, with its trace.
const AT_A_GLANCE: &[&str] = &[
    "Case total",
    "Within tolerance",
    "NPV",
    "Investment score",
    "Payback year",
    "Partners worse off",
];

/// The comparison `t` turned on its side for its headline figures: the
/// scenarios as rows.
pub fn at_a_glance(model_name: &str, t: &Table) -> Table {
    let rows: Vec<&crate::base::table::Row> = AT_A_GLANCE
        .iter()
        .filter_map(|f| t.rows.iter().find(|r| t.row_key(r) == *f))
        .collect();
    let mut cols = vec!["Scenario"];
    cols.extend(rows.iter().map(|r| match &r.cells[0].value {
        Value::Text { text } => text.as_str(),
        _ => "",
    }));
    let mut out = Table::new(
        "scenario-summary",
        format!("{model_name}: the scenarios at a glance"),
        &cols,
        1,
    );
    let scenarios = t
        .columns
        .iter()
        .enumerate()
        .skip(t.key_cols)
        .filter(|(_, c)| !c.starts_with("Change: "));
    for (ci, name) in scenarios {
        let mut cells = vec![Cell::label(name)];
        cells.extend(rows.iter().map(|r| r.cells[ci].clone()));
        out.push(cells);
    }
    out.headline = match t.rows.iter().find(|r| t.row_key(r) == "NPV") {
        Some(npv) => lowest_npv(t, npv),
        None => String::new(),
    };
    out.notes.push(
        "One row for each scenario; the scenario comparison gives every other figure, and each one's change from the base case."
            .into(),
    );
    out
}

/// "Lowest NPV: £188,264, with 70% of savings realised."
fn lowest_npv(t: &Table, npv: &crate::base::table::Row) -> String {
    let low = (t.key_cols..t.columns.len())
        .filter(|&c| !t.columns[c].starts_with("Change: "))
        .filter_map(|c| npv.cells[c].value.figure().map(|d| (d, c)))
        .min_by_key(|(d, _)| *d);
    match low {
        Some((d, c)) => format!(
            "Lowest NPV: {}, with {}.",
            money::format_pounds(d, 0, Default::default()),
            t.columns[c]
        ),
        None => String::new(),
    }
}

/// One row of the comparison: how to read its figure from a case's
/// figures, and whether the change from the base is shown.
type Getter = Box<dyn Fn(&Figures) -> Option<Value>>;

struct Line {
    label: String,
    get: Getter,
    diff: bool,
}

fn line(label: &str, diff: bool, get: impl Fn(&Figures) -> Option<Value> + 'static) -> Line {
    Line {
        label: label.into(),
        get: Box::new(get),
        diff,
    }
}

/// The rows of the comparison, in order; tolerance rows only when the case
/// has one, partner rows per partner.
fn lines(base: &Case, bf: &Figures) -> Vec<Line> {
    // "Five-year": the base case's window (a scenario may change it).
    let years = crate::base::text::capitalised(&format!(
        "{}-year",
        crate::base::text::count_word(base.window)
    ));
    let mut v = vec![line("Case total", true, |f| Some(money_v(f.case_total)))];
    if bf.tolerance_max.is_some() {
        v.push(line("Tolerance maximum", true, |f| {
            f.tolerance_max.map(money_v)
        }));
        v.push(line("Within tolerance", false, |f| {
            Some(Value::text(match f.breach() {
                Some(b) => format!(
                    "BREACH by {}",
                    money::format_pounds(b, 0, Default::default())
                ),
                None => "yes".into(),
            }))
        }));
    }
    v.push(line("Central project support", true, |f| {
        Some(money_v(f.central))
    }));
    type Pick = fn(&Figures) -> &Vec<Decimal>;
    let mut per_partner = |what: &str, pick: Pick| {
        for (i, p) in base.partners.iter().enumerate() {
            let label = format!("{} {what}", p.name);
            v.push(line(&label, true, move |f| {
                pick(f).get(i).map(|d| money_v(*d))
            }));
        }
    };
    per_partner("investment share", |f| &f.investment_share);
    if base.has_savings && base.net_given.is_none() {
        per_partner("shared service cost", |f| &f.partner_cost);
        per_partner("net saving per annum", |f| &f.partner_net);
    }
    let n_a = || Value::na("n/a");
    let own_npv = base.has_savings && base.net_given.is_none();
    v.extend([
        line("Net saving per annum", true, |f| {
            Some(money_v(f.net_per_annum))
        }),
        line(&format!("{years} costs"), true, |f| {
            Some(money_v(f.score.costs))
        }),
        line(&format!("{years} savings"), true, |f| {
            Some(money_v(f.score.savings))
        }),
        line("NPV", true, |f| Some(money_v(f.score.npv))),
        line("Investment score", true, move |f| {
            Some(f.score.score.map(|s| Value::num(s, 2)).unwrap_or_else(n_a))
        }),
        line("Payback year", false, |f| {
            Some(Value::text(score::payback_text(f.score.payback)))
        }),
        line("ROI %", true, move |f| {
            Some(
                f.score
                    .roi_pct
                    .map(|p| Value::pct(p, 1))
                    .unwrap_or_else(n_a),
            )
        }),
    ]);
    if own_npv {
        partner_positions(base, &mut v);
    }
    v
}

/// Each partner's own NPV, and who is worse off, under every scenario.
fn partner_positions(base: &Case, v: &mut Vec<Line>) {
    for (i, p) in base.partners.iter().enumerate() {
        v.push(line(&format!("{} own NPV", p.name), true, move |f| {
            f.partner_npv.get(i).copied().flatten().map(money_v)
        }));
    }
    let names: Vec<String> = base.partners.iter().map(|p| p.name.clone()).collect();
    v.push(line("Partners worse off", false, move |f| {
        let worse = crate::case::calc::worse_off(&names, &f.partner_npv);
        Some(Value::text(if worse.is_empty() {
            "none".to_string()
        } else {
            worse.join(", ")
        }))
    }));
}

/// The change from the base: the difference of the figures as shown
/// (each rounded as displayed first), so that it cross-casts with them;
/// a change of percentages is in percentage points.
fn change(diff: bool, b: Option<&Value>, v: Option<&Value>) -> Value {
    let (x, y) = (b.and_then(Value::figure), v.and_then(Value::figure));
    let shown = |d: Decimal, dp: u32| money::round_dp(d, dp);
    match (diff, x, y, v) {
        (true, Some(x), Some(y), Some(Value::Money { dp, .. })) => {
            Value::money_dp(Money(shown(y, *dp) - shown(x, *dp)), *dp)
        }
        (true, Some(x), Some(y), Some(Value::Number { dp, .. })) => {
            Value::num(shown(y, *dp) - shown(x, *dp), *dp)
        }
        (true, Some(x), Some(y), Some(Value::Percent { dp, .. })) => {
            Value::points(shown(y, *dp) - shown(x, *dp), *dp)
        }
        _ => Value::Empty,
    }
}

/// Base and scenarios side by side, with the change from the base.
pub fn compare(base_name: &str, base: &Case, scenarios: &[(String, Case)]) -> Result<Table> {
    let fig = |c: &Case, n: &str| c.figures().map_err(|m| Error::usage(format!("{n}: {m}")));
    let bf = fig(base, base_name)?;
    let sfs = scenarios
        .iter()
        .map(|(n, c)| fig(c, n))
        .collect::<Result<Vec<_>>>()?;
    let mut cols = vec!["Figure".to_string(), "Base".to_string()];
    for (n, _) in scenarios {
        cols.push(n.clone());
        cols.push(format!("Change: {n}"));
    }
    let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let title = format!("{}: base case and scenarios", base.name);
    let mut t = Table::new("scenario", title, &colrefs, 1);
    for l in lines(base, &bf) {
        let b = (l.get)(&bf);
        let mut cells = vec![Cell::label(&l.label)];
        cells.push(Cell::rule(b.clone().unwrap_or(Value::Empty), "base case"));
        for f in &sfs {
            let v = (l.get)(f);
            let ch = change(l.diff, b.as_ref(), v.as_ref());
            cells.push(Cell::rule(v.unwrap_or(Value::Empty), "scenario"));
            cells.push(Cell::rule(ch, "scenario less base"));
        }
        t.push(cells);
    }
    t.headline = compare_headline(&bf, scenarios, &sfs);
    if let Some(note) = worse_off(base, &bf, scenarios, &sfs) {
        t.notes.push(note);
    }
    t.notes.push("The tolerance maximum is set on the approved case total; a scenario breaches it when its case total is higher.".into());
    Ok(t)
}

/// Which partners are worse off (a negative net saving a year), in the
/// base and in which scenarios: an S151 officer signs for their own council.
fn worse_off(
    base: &Case,
    bf: &Figures,
    scenarios: &[(String, Case)],
    sfs: &[Figures],
) -> Option<String> {
    let cases = std::iter::once(("the base case", bf))
        .chain(scenarios.iter().map(|(n, _)| n.as_str()).zip(sfs));
    let mut by_partner: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, f) in cases {
        for (p, net) in base.partners.iter().zip(&f.partner_net) {
            if net.is_sign_negative() && !net.is_zero() {
                match by_partner.iter_mut().find(|(q, _)| *q == p.name) {
                    Some((_, v)) => v.push(name),
                    None => by_partner.push((p.name.clone(), vec![name])),
                }
            }
        }
    }
    if by_partner.is_empty() {
        return None;
    }
    let parts: Vec<String> = by_partner
        .iter()
        .map(|(p, v)| format!("{p} in {}", crate::base::text::and_list(v)))
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    Some(format!(
        "A net saving below zero (the shared service costs more than the partner's own budget): {}.",
        crate::base::text::and_list(&parts)
    ))
}

fn compare_headline(bf: &Figures, scenarios: &[(String, Case)], sfs: &[Figures]) -> String {
    let breaches: Vec<&str> = scenarios
        .iter()
        .zip(sfs)
        .filter(|(_, f)| f.breach().is_some())
        .map(|((n, _), _)| n.as_str())
        .collect();
    let base = format!(
        "Base: investment score {}, NPV {}",
        score::score_text(bf.score.score),
        money::format_pounds(bf.score.npv, 0, Default::default())
    );
    if breaches.is_empty() {
        format!("{base}; no scenario breaches the cost tolerance.")
    } else {
        format!(
            "{base}; {} breach{} the cost tolerance: {}.",
            breaches.len(),
            if breaches.len() == 1 { "es" } else { "" },
            breaches.join("; ")
        )
    }
}
