//! Business-case models (models/*.toml): reading, resolving values imported
//! from spreadsheet ranges, and validation. Every figure keeps its origin:
//! the model key, or the spreadsheet cell it was read from.

use crate::base::error::{Error, Result};
use crate::base::money::{self, Amount};
use crate::base::published::PublishedFigure;
use crate::base::trace::{Origin, Sourced, a1, parse_range};
use crate::base::year::Year;
use crate::input::import::{self, CellValue, Grid};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Value as T;

pub mod keys;
mod optimism;
mod prices;
mod reader;
mod trueup;
pub use optimism::UPPER_BOUNDS as OPTIMISM_UPPER_BOUNDS;
use reader::{Reader, cell_origin};
pub use reader::{key_lines, located, toml_doc};

pub type Fig = Sourced<Decimal>;
/// A figure per partner, as the model gives them.
pub type PartnerFigs = Vec<(String, Fig)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    Equal,
    Baseline,
    Population,
    Weights,
    /// An activity driver of `[apportionment.drivers]`: caseload, hours…
    Driver(String),
}

impl Basis {
    pub fn parse(s: &str) -> Option<Basis> {
        match s.trim().to_ascii_lowercase().as_str() {
            "equal" => Some(Basis::Equal),
            "baseline" => Some(Basis::Baseline),
            "population" => Some(Basis::Population),
            "weights" | "fixed" | "percentages" => Some(Basis::Weights),
            _ => None,
        }
    }
    /// A basis as a model names it: one of the four, else an activity
    /// driver (checked against `[apportionment.drivers]` when the model is
    /// validated).
    pub fn named(s: &str) -> Basis {
        Basis::parse(s).unwrap_or_else(|| Basis::Driver(s.trim().to_string()))
    }

    pub fn name(&self) -> &str {
        match self {
            Basis::Equal => "equal",
            Basis::Baseline => "baseline",
            Basis::Population => "population",
            Basis::Weights => "weights",
            Basis::Driver(d) => d,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentItem {
    pub item: String,
    pub amounts: Vec<(Year, Fig)>,
    /// Funded centrally (e.g. "the partnership's central budget"): shown apart from the
    /// case total, but a cost to the partnership in the score.
    pub funded_by: Option<String>,
    /// Funded from outside the partnership (a grant): shown apart too, and
    /// not a cost to the partners, so left out of the score.
    pub external: bool,
    /// Its own apportionment basis (default: `[apportionment] basis`).
    pub basis: Option<Sourced<Basis>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SharedCost {
    /// One figure, apportioned by [apportionment].
    Total(Fig),
    /// Given per partner.
    PerPartner(Vec<(String, Fig)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Savings {
    pub shared_service_cost: Option<SharedCost>,
    pub baseline: Vec<(String, Fig)>,
    pub already_budgeted: Vec<(String, Fig)>,
    /// Given directly (the programme as a whole has no partner table).
    pub net_saving_per_annum: Option<Fig>,
    pub start_year: Option<Sourced<Year>>,
    pub realisation: Vec<(Year, Fig)>,
    /// The year the baseline budgets are for ("2019/20"), for column titles.
    pub budget_year: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Apportionment {
    pub basis: Sourced<Basis>,
    pub weights: Vec<(String, Fig)>,
    /// Clause 11.4: a partner joining later shares costs and savings from
    /// this year.
    /// Partners that join late: the year, or None for a partner that never
    /// joins within the case ("never").
    pub joins: Vec<(String, Sourced<Option<Year>>)>,
    /// Activity drivers by name (caseload, hours recorded), each partner's
    /// measure: bases any cost line may use.
    pub drivers: Vec<(String, PartnerFigs)>,
    /// The shared service's running cost's basis (default: `basis`).
    pub running_basis: Option<Sourced<Basis>>,
    /// What a late joiner pays in its join year, shared among the partners
    /// already in by the basis (their investment, bought into).
    pub joining_fee: PartnerFigs,
    /// Partners that leave: the year from which they share no costs and
    /// save nothing.
    pub leaves: Vec<(String, Sourced<Option<Year>>)>,
    /// What a leaver pays in its leave year, shared among those who stay.
    pub exit_cost: PartnerFigs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contributions {
    pub rate_per_head: Fig,
    pub unspent: Option<Fig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub stream: String,
    pub allocation: Option<Fig>,
    pub estimated_cost: Option<Fig>,
    pub estimated_savings: Option<Sourced<Amount>>,
    pub programme_management: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MgmtCost {
    Amount(Fig),
    /// Annual salary × months/12, plus on-costs.
    Post {
        annual_salary: Fig,
        months: Fig,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct MgmtItem {
    pub item: String,
    pub cost: MgmtCost,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pathfinder {
    pub streams: Vec<Stream>,
    pub on_cost_pct: Fig,
    pub management: Vec<MgmtItem>,
    pub running_costs: Vec<(String, Fig)>,
    pub running_cost_budget_item: Option<String>,
}

/// A year's running cost trued up (`[true_up]`): charged during the year on
/// the budget and estimated activity, due on the out-turn and actual
/// activity; differences recharged only beyond the tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct TrueUp {
    pub year: Year,
    pub budget: Fig,
    pub outturn: Fig,
    pub estimated: PartnerFigs,
    pub actual: PartnerFigs,
    /// Differences within this % of a partner's charge are not recharged.
    pub tolerance: Option<Fig>,
}

/// The price base of a model's figures and how they move year to year
/// (`[prices]`): rates in % a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// The year whose prices the model's figures are in.
    pub base_year: Year,
    /// General inflation (the GDP deflator): nominal to real.
    pub inflation: Fig,
    /// How investment costs rise (default: with inflation).
    pub costs_index: Option<Fig>,
    /// How the services' costs, and so the savings, rise (a pay award;
    /// default: with inflation).
    pub savings_index: Option<Fig>,
    /// Show cash (nominal) figures rather than base-year prices.
    pub nominal: bool,
}

/// Optimism bias by category (Supplementary Green Book Guidance), each a
/// percentage: capital costs uplifted, the shared service's operating cost
/// uplifted, the implementation longer (savings later), the benefits short.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Optimism {
    /// The project type whose upper bounds gave the defaults.
    pub project_type: Option<String>,
    pub capital: Option<Fig>,
    pub operating: Option<Fig>,
    pub duration: Option<Fig>,
    pub benefits: Option<Fig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub file: String,
    /// The partnership file beside the model (its agreement's clauses).
    pub partnership: Partnership,
    /// File stem: the report folder's name.
    pub slug: String,
    pub name: String,
    /// The document its figures come from, as chart footers name it.
    pub source: Option<String>,
    pub partners: Vec<String>,
    pub first_year: Option<Sourced<Year>>,
    pub last_year: Option<Year>,
    pub window_years: u32,
    pub tolerance_pct: Option<Fig>,
    /// Green Book optimism bias by category (capital: every investment cost
    /// uplifted by its %).
    pub optimism: Optimism,
    /// Real and nominal prices; None: the figures are taken as they are.
    pub prices: Option<Prices>,
    /// The annual true-up of a year's running cost.
    pub true_up: Option<TrueUp>,
    pub discount_rate_pct: Fig,
    pub investment: Vec<InvestmentItem>,
    pub savings: Option<Savings>,
    pub apportionment: Apportionment,
    pub population: Vec<(String, Fig)>,
    pub contributions: Option<Contributions>,
    pub pathfinder: Option<Pathfinder>,
    pub published: Vec<PublishedFigure>,
    pub notes: Vec<String>,
    /// Each key's line in the file, for errors found after reading.
    pub lines: std::collections::HashMap<String, u32>,
}

impl Model {
    /// An error about `key` of this model, on the key's line.
    pub fn error(&self, key: &str, message: impl Into<String>) -> Error {
        located(Error::model(&self.file, key, message), &self.lines)
    }

    pub fn load(path: &Path) -> Result<Model> {
        let text = crate::input::import::read_text(path)?;
        Model::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Model> {
        let file = path.display().to_string();
        let doc = toml_doc(text, &file)?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let partnership = load_partnership(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?;
        let mut r = Reader::new(text, path, &partnership);
        r.unknown_keys(&doc, "", keys::TOP)?;
        r.printable(&doc, "")?;
        let name = r.req_str(&doc, "name")?;
        let source = match doc.get("source") {
            None => None,
            Some(_) => Some(r.req_str(&doc, "source")?),
        };
        let partners = r.partners(&doc)?;
        r.partners = partners.clone();
        let first_year = r.opt_year(&doc, "first_year")?;
        let last_year = r.opt_year(&doc, "last_year")?.map(|y| y.value);
        let window_years = r.window_years(&doc)?;
        let optimism_bias_pct = match doc.get("optimism_bias_pct") {
            None => None,
            Some(v) => Some(r.percent(v, "optimism_bias_pct", "a percentage such as 20")?),
        };
        let optimism = r.optimism(doc.get("optimism_bias"), optimism_bias_pct)?;
        let true_up = match doc.get("true_up") {
            None => None,
            Some(v) => Some(r.true_up(v)?),
        };
        let prices = match doc.get("prices") {
            None => None,
            Some(v) => Some(r.prices(v, first_year.as_ref().map(|y| y.value))?),
        };
        let tolerance_pct = match doc.get("tolerance_pct") {
            None => None,
            Some(v) => Some(r.percent(v, "tolerance_pct", "a percentage such as 10")?),
        };
        let discount_rate_pct = r.discount_rate(&doc)?;
        let population = r.population(&doc)?;
        let investment = match doc.get("investment") {
            None => Vec::new(),
            Some(v) => r.investment(v)?,
        };
        let savings = match doc.get("savings") {
            None => None,
            Some(v) => Some(r.savings(v)?),
        };
        let apportionment = r.apportionment(doc.get("apportionment"))?;
        let contributions = match doc.get("contributions") {
            None => None,
            Some(v) => Some(r.contributions(v)?),
        };
        let pathfinder = match doc.get("pathfinder") {
            None => None,
            Some(v) => Some(r.pathfinder(v)?),
        };
        let published = match doc.get("published") {
            None => Vec::new(),
            Some(v) => r.published(v)?,
        };
        let notes = r.notes(&doc)?;
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let m = Model {
            file,
            partnership,
            slug,
            name,
            source,
            partners,
            first_year,
            last_year,
            window_years,
            tolerance_pct,
            optimism,
            prices,
            true_up,
            discount_rate_pct,
            investment,
            savings,
            apportionment,
            population,
            contributions,
            pathfinder,
            published,
            notes,
            lines: std::mem::take(&mut r.lines),
        };
        // Each rule's error on the line of the key it names.
        m.validate().map_err(|e| located(e, &m.lines))?;
        Ok(m)
    }

    /// Cross-key rules that no single key can check.
    pub fn validate(&self) -> Result<()> {
        let e = |key: &str, msg: String| Error::model(&self.file, key, msg);
        if !self.investment.is_empty() {
            let Some(first) = &self.first_year else {
                return Err(e(
                    "first_year",
                    "missing; required when the model has [[investment]]".into(),
                ));
            };
            let last_window = first.value.offset(self.window_years as i32 - 1);
            for (i, it) in self.investment.iter().enumerate() {
                for (y, f) in &it.amounts {
                    if *y < first.value || *y > last_window {
                        return Err(Error::Model {
                            file: self.file.clone(),
                            line: f.origin.model_line(),
                            key: format!("investment[{i}].amounts.\"{y}\""),
                            message: format!(
                                "year {y} ({}) is outside the {}-year window {}–{}",
                                it.item, self.window_years, first.value, last_window
                            ),
                            origin: cell_origin(&f.origin),
                        });
                    }
                }
            }
        }
        if let Some(s) = &self.savings {
            if let (Some(first), Some(start)) = (&self.first_year, &s.start_year) {
                let last_window = first.value.offset(self.window_years as i32 - 1);
                if start.value < first.value || start.value > last_window {
                    return Err(e(
                        "savings.start_year",
                        format!(
                            "{} is outside the {}-year window {}–{}",
                            start.value, self.window_years, first.value, last_window
                        ),
                    ));
                }
            }
            for (y, f) in &s.realisation {
                if let Some(first) = &self.first_year {
                    let last_window = first.value.offset(self.window_years as i32 - 1);
                    if *y < first.value || *y > last_window {
                        return Err(Error::Model {
                            file: self.file.clone(),
                            line: f.origin.model_line(),
                            key: format!("savings.realisation.\"{y}\""),
                            message: format!(
                                "year {y} is outside the window {}–{}",
                                first.value, last_window
                            ),
                            origin: cell_origin(&f.origin),
                        });
                    }
                }
                if f.value.is_sign_negative() && !f.value.is_zero() {
                    return Err(e(
                        &format!("savings.realisation.\"{y}\""),
                        "a realisation share must be zero or more (1 = fully realised)".into(),
                    ));
                }
            }
            if matches!(s.shared_service_cost, Some(SharedCost::Total(_))) {
                match self.apportionment.basis.value {
                    Basis::Baseline if s.baseline.is_empty() => {
                        return Err(e(
                            "apportionment.basis",
                            "is \"baseline\" but [savings] has no baseline budgets".into(),
                        ));
                    }
                    _ => {}
                }
            }
        }
        match self.apportionment.basis.value {
            Basis::Population if self.population.is_empty() && self.uses_apportionment() => {
                return Err(e(
                    "apportionment.basis",
                    "is \"population\" but the model has no population table".into(),
                ));
            }
            Basis::Weights if self.apportionment.weights.is_empty() => {
                return Err(e(
                    "apportionment.weights",
                    "missing; required when apportionment.basis is \"weights\"".into(),
                ));
            }
            _ => {}
        }
        self.validate_drivers()?;
        if self.uses_apportionment() {
            for b in self.bases() {
                self.weights_for(b).map_err(|(k, m)| e(&k, m))?;
            }
        }
        self.validate_contributions()
    }

    /// Every basis named is one of the four or a driver the model gives; a
    /// joining fee is for a partner that joins after the first year.
    fn validate_drivers(&self) -> Result<()> {
        for (p, _) in &self.apportionment.exit_cost {
            if self.leave_year(p).is_none() {
                return Err(Error::model(
                    &self.file,
                    &format!("apportionment.exit_cost.{p}"),
                    format!(
                        "{p} does not leave (apportionment.leaves): an exit cost is paid by a leaver"
                    ),
                ));
            }
        }
        for (p, y) in &self.apportionment.leaves {
            let joined = self
                .join_year(p)
                .flatten()
                .or(self.first_year.as_ref().map(|f| f.value));
            if let (Some(l), Some(j)) = (y.value, joined)
                && l <= j
            {
                return Err(Error::model(
                    &self.file,
                    &format!("apportionment.leaves.{p}"),
                    format!("{p} leaves in {l}, not after it joins ({j})"),
                ));
            }
        }
        for (p, _) in &self.apportionment.joining_fee {
            let late = match (self.join_year(p), &self.first_year) {
                (Some(Some(y)), Some(first)) => y > first.value,
                _ => false,
            };
            if !late {
                return Err(Error::model(
                    &self.file,
                    &format!("apportionment.joining_fee.{p}"),
                    format!(
                        "{p} does not join after the first year (apportionment.joins): a joining fee is paid by a late joiner"
                    ),
                ));
            }
        }
        let mut named: Vec<(String, &Basis)> = vec![(
            "apportionment.basis".into(),
            &self.apportionment.basis.value,
        )];
        if let Some(b) = &self.apportionment.running_basis {
            named.push(("apportionment.running_basis".into(), &b.value));
        }
        for (i, it) in self.investment.iter().enumerate() {
            if let Some(b) = &it.basis {
                named.push((format!("investment[{i}].basis"), &b.value));
            }
        }
        for (key, b) in named {
            if let Basis::Driver(d) = b
                && self.driver(d).is_empty()
            {
                let mut known: Vec<&str> = vec!["equal", "baseline", "population", "weights"];
                known.extend(self.apportionment.drivers.iter().map(|(n, _)| n.as_str()));
                return Err(Error::model(
                    &self.file,
                    &key,
                    format!(
                        "{d:?}: expected {} (activity drivers are named in [apportionment.drivers])",
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Contributions are per head: the populations must add up to something.
    fn validate_contributions(&self) -> Result<()> {
        let e = |key: &str, msg: String| Error::model(&self.file, key, msg);
        if let Some(c) = &self.contributions {
            if self.population.is_empty() {
                return Err(e(
                    "population",
                    "missing; [contributions] are per head of population".into(),
                ));
            }
            let total = self
                .population
                .iter()
                .try_fold(Decimal::ZERO, |a, (_, f)| a.checked_add(f.value));
            match total {
                Some(t) if t.is_zero() => {
                    return Err(e(
                        "population",
                        "sums to zero; contributions and their shares need at least one partner with a population".into(),
                    ));
                }
                None => {
                    return Err(e(
                        "population",
                        "the populations are too large to add up".into(),
                    ));
                }
                Some(t) => {
                    let most = c.rate_per_head.value.abs().max(Decimal::ONE);
                    if t.checked_mul(most).is_none() {
                        return Err(e(
                            "contributions.rate_per_head",
                            "population × rate per head is too large to compute".into(),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// An activity driver's measures (empty when it has none).
    pub fn driver(&self, name: &str) -> &[(String, Fig)] {
        self.apportionment
            .drivers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    fn uses_apportionment(&self) -> bool {
        !self.investment.is_empty()
            || matches!(
                self.savings
                    .as_ref()
                    .and_then(|s| s.shared_service_cost.as_ref()),
                Some(SharedCost::Total(_))
            )
    }

    /// The apportionment weights of every partner, by the model's basis.
    /// Errors are (key, message).
    pub fn weights(&self) -> std::result::Result<Vec<(String, Decimal)>, (String, String)> {
        self.weights_for(&self.apportionment.basis.value)
    }

    /// Every basis the model uses: its own, its running cost's and its items'.
    pub fn bases(&self) -> Vec<&Basis> {
        let mut v = vec![&self.apportionment.basis.value];
        v.extend(self.apportionment.running_basis.as_ref().map(|b| &b.value));
        v.extend(
            self.investment
                .iter()
                .filter_map(|i| i.basis.as_ref().map(|b| &b.value)),
        );
        v.dedup();
        v
    }

    /// The weights of every partner by `basis`. Errors are (key, message).
    pub fn weights_for(
        &self,
        basis: &Basis,
    ) -> std::result::Result<Vec<(String, Decimal)>, (String, String)> {
        let lookup = |m: &[(String, Fig)],
                      what: &str|
         -> std::result::Result<Vec<(String, Decimal)>, (String, String)> {
            self.partners
                .iter()
                .map(|p| {
                    m.iter()
                        .find(|(k, _)| k == p)
                        .map(|(_, f)| (p.clone(), f.value))
                        .ok_or_else(|| {
                            (
                                format!("apportionment.basis = \"{}\"", basis.name()),
                                format!("no {what} for partner {p}"),
                            )
                        })
                })
                .collect()
        };
        let w = match basis {
            Basis::Equal => self
                .partners
                .iter()
                .map(|p| (p.clone(), Decimal::ONE))
                .collect(),
            Basis::Baseline => lookup(
                self.savings
                    .as_ref()
                    .map(|s| s.baseline.as_slice())
                    .unwrap_or(&[]),
                "baseline budget",
            )?,
            Basis::Population => lookup(&self.population, "population")?,
            Basis::Weights => lookup(&self.apportionment.weights, "weight")?,
            Basis::Driver(d) => lookup(self.driver(d), &format!("{d} (activity driver)"))?,
        };
        let driver_key;
        let what = match basis {
            Basis::Equal => "weights",
            Basis::Baseline => "savings.baseline",
            Basis::Population => "population",
            Basis::Weights => "apportionment.weights",
            Basis::Driver(d) => {
                driver_key = format!("apportionment.drivers.{d}");
                driver_key.as_str()
            }
        };
        if let Some((p, v)) = w.iter().find(|(_, v)| v.is_sign_negative() && !v.is_zero()) {
            return Err((
                format!("{what}.{p}"),
                format!("is {v}; weights must be zero or more"),
            ));
        }
        if w.iter().all(|(_, v)| v.is_zero()) {
            return Err((
                what.to_string(),
                "sum to zero; at least one must be positive".to_string(),
            ));
        }
        Ok(w)
    }

    /// Investment years shown in the table: first_year to the last year with
    /// an amount (or last_year).
    pub fn years(&self) -> Vec<Year> {
        let Some(first) = &self.first_year else {
            return Vec::new();
        };
        let mut last = self
            .investment
            .iter()
            .flat_map(|i| i.amounts.iter().map(|(y, _)| *y))
            .max()
            .unwrap_or(first.value);
        if let Some(l) = self.last_year {
            last = last.max(l);
        }
        let mut v = Vec::new();
        let mut y = first.value;
        while y <= last {
            v.push(y);
            y = y.next();
        }
        v
    }

    /// When a partner joins: None from the start, Some(None) never.
    /// The year a partner leaves, if it does.
    pub fn leave_year(&self, partner: &str) -> Option<Year> {
        self.apportionment
            .leaves
            .iter()
            .find(|(p, _)| p == partner)
            .and_then(|(_, y)| y.value)
    }

    pub fn join_year(&self, partner: &str) -> Option<Option<Year>> {
        self.apportionment
            .joins
            .iter()
            .find(|(p, _)| p == partner)
            .map(|(_, y)| y.value)
    }
}

/// Set by `--files-anywhere`: models may read files outside their folder
/// and the working folder.
pub static FILES_ANYWHERE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Most partners a model may name.
pub const MAX_PARTNERS: usize = 1_000;

/// The file beside the models that describes their partnership.
pub const PARTNERSHIP_FILE: &str = "partnership.toml";

/// A project's own file, beside its data and perhaps its models: not a model.
pub const PROJECT_FILE: &str = "costshare.toml";

/// What a folder of models says of its partnership (`partnership.toml`,
/// optional): the short name its reports use, such as "Legal Partnership".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partnership {
    pub name: Option<String>,
    /// The agreement's clauses the tables cite, by what they govern:
    /// `equal_shares`, `joining`, `contributions` (e.g. "11.4").
    pub clauses: BTreeMap<String, String>,
}

/// What a partnership agreement's clause may govern (partnership.toml `[clauses]`).
pub const CLAUSES: &[&str] = &["equal_shares", "joining", "contributions"];

impl Partnership {
    /// "clause 11.4" for what the agreement's clause governs, if it names one.
    pub fn clause(&self, what: &str) -> Option<String> {
        self.clauses.get(what).map(|c| format!("clause {c}"))
    }

    /// "<name>-overall", lower case with hyphens, or "overall".
    pub fn slug(&self, suffix: &str) -> String {
        match &self.name {
            Some(n) => format!("{}-{suffix}", crate::base::text::slug(n)),
            None => suffix.to_string(),
        }
    }
}

/// The partnership file of a models folder, or the default when it has none.
pub fn load_partnership(dir: &Path) -> Result<Partnership> {
    let path = dir.join(PARTNERSHIP_FILE);
    if !path.exists() {
        return Ok(Partnership::default());
    }
    let text = crate::input::import::read_text(&path)?;
    let file = path.display().to_string();
    let doc = toml_doc(&text, &file)?;
    let mut p = Partnership::default();
    for (k, v) in &doc {
        match (k.as_str(), v) {
            ("name", T::String(n)) if !n.trim().is_empty() => p.name = Some(n.trim().to_string()),
            ("name", _) => return Err(Error::model(&file, k, "expected the partnership's name")),
            ("clauses", T::Table(t)) => {
                for (c, v) in t {
                    let key = format!("clauses.{c}");
                    match v.as_str() {
                        Some(s) if CLAUSES.contains(&c.as_str()) => {
                            p.clauses.insert(c.clone(), s.to_string());
                        }
                        _ => {
                            return Err(Error::model(
                                &file,
                                &key,
                                format!("expected one of {} = \"number\"", CLAUSES.join(", ")),
                            ));
                        }
                    }
                }
            }
            _ => {
                return Err(Error::model(
                    &file,
                    k,
                    "unknown key; expected name or [clauses]",
                ));
            }
        }
    }
    Ok(p)
}

/// Every model in a folder, in file-name order (the partnership file apart).
pub fn load_dir(dir: &Path) -> Result<Vec<Model>> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|f| f != PARTNERSHIP_FILE && f != PROJECT_FILE)
        })
        .collect();
    paths.sort();
    paths.iter().map(|p| Model::load(p)).collect()
}

/// For messages: "C5" of an origin, or the key.
pub fn where_(o: &Origin) -> String {
    match o {
        Origin::Cell { row, col, .. } => a1(*row, *col),
        other => other.to_string(),
    }
}
