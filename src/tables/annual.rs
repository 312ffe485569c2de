//! A partnership's annual report tables, recomputed from the budget lines,
//! staff counts and savings lines the finance teams hold. What the report is
//! called, its year and the partnership's name come from its `report`
//! sheet; every sheet but `report`, `authorities` and `budget` is optional,
//! and a table whose sheet is absent is absent too.

use crate::base::chart::{Bars, Chart, HBars, Plot, Series, money_exact};
use crate::base::error::{Error, Result};
use crate::base::money::{Amount, Money};
use crate::base::published::PublishedFigure;
use crate::base::table::at;
use crate::base::table::{Cell, Table, Value};
use crate::base::text::{and_list, capitalised, count_word};
pub use crate::base::trace::Sourced;
use crate::input::import::{Accounting, Record, Records};
use crate::input::source::Source;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
    pub code: String,
    pub name: String,
    pub budget: Sourced<Decimal>,
    pub staff: Sourced<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Expenditure,
    Addition,
    Income,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub service: String,
    pub line: String,
    pub kind: LineKind,
    /// One per authority, in the order of `AnnualInputs::authorities`.
    pub amounts: Vec<Sourced<Amount>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    pub service: String,
    pub budget: Sourced<Decimal>,
    pub staff: Sourced<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SavingsLine {
    pub group: String,
    pub line: String,
    pub base_year: Sourced<String>,
    pub annual: Sourced<Decimal>,
    pub cumulative: Sourced<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Performance {
    pub service: String,
    /// Green, amber, red, N/A.
    pub counts: [Sourced<Amount>; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct National {
    pub year: String,
    pub councils: Sourced<Decimal>,
    pub arrangements: Sourced<Decimal>,
    pub savings: Sourced<Decimal>,
}

/// The report's own definition (the `report` sheet: key, value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportInfo {
    /// "Annual Report 2019/20", as the report is titled.
    pub title: String,
    /// The partnership's short name as the report uses it, if it has one.
    pub partnership: Option<String>,
    /// The financial year reported on.
    pub year: String,
    /// The year whose cumulative savings are predicted: the next, unless given.
    pub forecast_year: String,
    /// The year planned growth is for, if given.
    pub growth_year: Option<String>,
    /// Notes by table name (`note.TABLE` keys); they replace a table's
    /// default note.
    pub notes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnnualInputs {
    pub report: ReportInfo,
    pub authorities: Vec<Authority>,
    pub budget: Vec<BudgetLine>,
    pub staff: Vec<(String, Sourced<Decimal>)>,
    pub growth: Vec<Growth>,
    pub savings: Vec<SavingsLine>,
    pub funding: Vec<(String, Sourced<Decimal>)>,
    pub performance: Vec<Performance>,
    pub national: Vec<National>,
    pub published: Vec<PublishedFigure>,
    /// Rows read, used and set aside, sheet by sheet.
    pub accounting: Vec<crate::input::import::Accounting>,
    /// The sheets or files that are none of `SHEETS`, named.
    pub unread: Option<String>,
}

/// The sheets (or CSV files) the annual report's tables are read from.
pub const SHEETS: [&str; 10] = [
    "report",
    "authorities",
    "budget",
    "staff",
    "growth",
    "savings",
    "funding",
    "performance",
    "national",
    "published",
];

pub const TABLES: &[&str] = &[
    "budget-breakdown",
    "budget-headline",
    "staff",
    "savings-programme",
    "performance-summary",
    "national-picture",
];

fn sourced_fig(r: &Record, col: usize, what: &str) -> Result<Sourced<Decimal>> {
    Ok(Sourced {
        value: r.figure(col, what)?,
        origin: r.origin(col),
    })
}

/// A number of staff: none below zero (a minus read as a count turned the
/// total's sign).
fn staff_count(r: &Record, col: usize) -> Result<Sourced<Decimal>> {
    let n = sourced_fig(r, col, "a number of staff")?;
    match n.value.is_sign_negative() && !n.value.is_zero() {
        true => Err(r.expected(col, "a number of staff, zero or more")),
        false => Ok(n),
    }
}

fn sourced_text(r: &Record, col: usize, what: &str) -> Result<Sourced<String>> {
    Ok(Sourced {
        value: r.text(col, what)?,
        origin: r.origin(col),
    })
}

/// An amount or N/A; a blank is refused so that nothing is read as zero by accident.
fn amount_or_na(r: &Record, col: usize) -> Result<Sourced<Amount>> {
    let a = r.amount(col)?;
    match a {
        Amount::Value(_) | Amount::NotApplicable(_) => Ok(Sourced {
            value: a,
            origin: r.origin(col),
        }),
        _ => Err(r.expected(col, "an amount, 0 or N/A")),
    }
}

fn financial_year(r: &Record, col: usize) -> Result<Sourced<String>> {
    let y = sourced_text(r, col, "a financial year such as 2009/10")?;
    if crate::base::year::Year::parse(&y.value).is_none() {
        return Err(r.expected(col, "a financial year such as 2009/10"));
    }
    Ok(y)
}

/// A sheet's rows, or none when the sheet is absent.
fn optional<T>(
    src: &Source,
    acc: &mut Vec<Accounting>,
    name: &str,
    load: fn(&Source, &mut Vec<Accounting>) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    if src.names().iter().any(|n| n.eq_ignore_ascii_case(name)) {
        load(src, acc)
    } else {
        Ok(Vec::new())
    }
}

/// The `report` sheet: `key, value` rows giving `title`, `year` (both
/// required), `partnership`, `forecast_year`, `growth_year` and `note.TABLE`.
fn load_report(src: &Source, acc: &mut Vec<Accounting>) -> Result<ReportInfo> {
    let g = src.grid("report")?;
    let t = Records::with_columns(g, &["key", "value"])?;
    acc.push(t.accounting());
    let (c_k, c_v) = (t.col("key")?, t.col("value")?);
    let mut info = ReportInfo::default();
    let (mut title, mut year, mut forecast) = (None, None, None);
    let mut seen = std::collections::HashMap::new();
    for r in t.iter() {
        let key = r.text(c_k, "a key such as title or year")?;
        // A key given twice (typed again, or a key cell merged down over
        // the next) would be read as the later: which is meant is unknown.
        if let Some(first) = seen.insert(key.to_ascii_lowercase(), r.origin(c_k)) {
            return Err(Error::Table {
                place: r.origin(c_k).to_string(),
                message: format!(
                    "the key {key} appears again (first at {first}); give each key once"
                ),
            });
        }
        let text = || r.text(c_v, &format!("a value for {key}"));
        match key.to_ascii_lowercase().as_str() {
            "title" => title = Some(text()?),
            "partnership" => info.partnership = Some(text()?),
            "year" => year = Some(financial_year(&r, c_v)?.value),
            "forecast_year" => forecast = Some(financial_year(&r, c_v)?.value),
            "growth_year" => info.growth_year = Some(financial_year(&r, c_v)?.value),
            k if k.starts_with("note.") && TABLES.contains(&&k[5..]) => {
                info.notes.push((k[5..].to_string(), text()?));
            }
            _ => {
                return Err(r.expected(
                    c_k,
                    &format!(
                        "title, year, partnership, forecast_year, growth_year or note.TABLE (TABLE one of {})",
                        TABLES.join(", ")
                    ),
                ));
            }
        }
    }
    let missing = |what: &str| Error::Table {
        place: g.place(),
        message: format!(
            "has no {what} row; expected e.g. `{what},{}`",
            match what {
                "title" => "Shared Services Annual Report 2019/20",
                _ => "2019/20",
            }
        ),
    };
    info.title = title.ok_or_else(|| missing("title"))?;
    info.year = year.ok_or_else(|| missing("year"))?;
    info.forecast_year = match forecast {
        Some(f) => f,
        None => crate::base::year::Year::parse(&info.year)
            .map(|y| y.offset(1).to_string())
            .unwrap_or_default(),
    };
    Ok(info)
}

fn load_authorities(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<Authority>> {
    // Authorities first: the budget sheet has one column per authority.
    let g = src.grid("authorities")?;
    let t = Records::with_columns(
        g,
        &["authority", "name", "authority_budget", "approx_staff"],
    )?;
    acc.push(t.accounting());
    let (c_code, c_name, c_budget, c_staff) = (
        t.col("authority")?,
        t.col("name")?,
        t.col("authority_budget")?,
        t.col("approx_staff")?,
    );
    let mut authorities: Vec<Authority> = Vec::new();
    let mut first_at = Vec::new();
    for r in t.iter() {
        let code = r.text(c_code, "an authority code such as ABC")?;
        // Named at the code itself, with where it was first given.
        if let Some(k) = authorities
            .iter()
            .position(|b| b.code.eq_ignore_ascii_case(&code))
        {
            return Err(Error::Cell {
                origin: r.origin(c_code),
                expected: "each authority listed once".into(),
                found: format!("{code} a second time (first at {})", first_at[k]),
            });
        }
        first_at.push(r.origin(c_code).to_string());
        authorities.push(Authority {
            code,
            name: r.text(c_name, "the authority's name")?,
            budget: sourced_fig(&r, c_budget, "the authority's budget in pounds")?,
            staff: sourced_fig(&r, c_staff, "a number of staff")?,
        });
    }
    for a in &authorities {
        if a.budget.value.is_sign_negative() || a.budget.value.is_zero() {
            return Err(Error::Cell {
                origin: a.budget.origin.clone(),
                expected: "an authority budget greater than zero".into(),
                found: a.budget.value.to_string(),
            });
        }
    }
    if authorities.is_empty() {
        return Err(Error::Table {
            place: g.place(),
            message: "has no authorities; expected one row per partner".into(),
        });
    }
    Ok(authorities)
}

fn load_budget(
    src: &Source,
    acc: &mut Vec<Accounting>,
    authorities: &[Authority],
) -> Result<Vec<BudgetLine>> {
    let g = src.grid("budget")?;
    let mut required = vec!["service", "line", "kind"];
    required.extend(authorities.iter().map(|a| a.code.as_str()));
    let t = Records::with_columns(g, &required)?;
    acc.push(t.accounting());
    let (c_service, c_line, c_kind) = (t.col("service")?, t.col("line")?, t.col("kind")?);
    let auth_cols = authorities
        .iter()
        .map(|a| t.col(&a.code))
        .collect::<Result<Vec<_>>>()?;
    unknown_figures(&t, &auth_cols, [c_service, c_line, c_kind])?;
    let mut budget = Vec::new();
    let mut seen = Seen::default();
    for r in t.iter() {
        let key = [c_service, c_line, c_kind].map(|c| r.cell(c).display().trim().to_string());
        if let Some(first) = seen.repeated(&r, &key) {
            return Err(crate::Error::Table {
                place: r.grid.row_place(r.row),
                message: format!(
                    "repeats {first} (service {:?}, line {:?}, {}): it would be counted twice; \
                     remove one, or give each line its own description",
                    key[0], key[1], key[2]
                ),
            });
        }
        // A service's total typed as one of its lines would be added to
        // the lines it totals (costshare works out each service's total).
        if crate::input::import::is_total_label_bytes(key[1].as_bytes()) {
            return Err(r.expected(
                c_line,
                "a budget line, not a total (costshare adds up each service's lines itself; remove the row)",
            ));
        }
        let kind = match r
            .text(c_kind, "expenditure, addition or income")?
            .to_ascii_lowercase()
            .as_str()
        {
            "expenditure" => LineKind::Expenditure,
            "addition" => LineKind::Addition,
            "income" => LineKind::Income,
            _ => return Err(r.expected(c_kind, "expenditure, addition or income")),
        };
        budget.push(BudgetLine {
            service: r.text(c_service, "a service name")?,
            line: r.text(c_line, "a line description")?,
            kind,
            amounts: auth_cols
                .iter()
                .map(|&c| amount_or_na(&r, c))
                .collect::<Result<_>>()?,
        });
    }
    Ok(budget)
}

/// A budget column holding figures that is no authority's (nor service,
/// line, kind or a typed total): an authority missing from the authorities
/// sheet, whose money would be left out without a word.
fn unknown_figures(t: &Records, auth_cols: &[usize], known: [usize; 3]) -> Result<()> {
    for (c, h) in t.header.iter().enumerate() {
        let total = h.eq_ignore_ascii_case("total") || h.to_ascii_lowercase().starts_with("total ");
        // A column without a heading is layout, not a partner.
        if h.is_empty() || auth_cols.contains(&c) || known.contains(&c) || total {
            continue;
        }
        let figure = |r: &Record| matches!(r.amount(c), Ok(Amount::Value(_)));
        if let Some(r) = t.iter().find(figure) {
            return Err(r.expected(
                c,
                &format!(
                    "no figure: column {h:?} is not an authority of the authorities sheet; \
                     add {h} there, or remove the column"
                ),
            ));
        }
    }
    Ok(())
}

/// Each row's key (the cells of `cols`, as shown) once: a row copied twice
/// would be counted twice, as the budget's repeated lines would be.
fn each_once(t: &Records, cols: &[usize], what: &str) -> Result<()> {
    let mut seen = Seen::default();
    for r in t.iter() {
        let key: Vec<String> = cols
            .iter()
            .map(|&c| r.cell(c).display().trim().to_string())
            .collect();
        if let Some(first) = seen.repeated(&r, &key) {
            return Err(crate::Error::Table {
                place: r.grid.row_place(r.row),
                message: format!(
                    "repeats {first} ({what} {:?}): it would be counted twice; remove one",
                    key.join(" / ")
                ),
            });
        }
    }
    Ok(())
}

/// The rows' keys seen so far, each with where it was first.
#[derive(Default)]
struct Seen(std::collections::HashMap<Vec<String>, String>);

impl Seen {
    /// Where `key` was first seen ("line 12", or "row 12": the file is
    /// named once, in the place), if it was; else it is noted at `r`.
    fn repeated(&mut self, r: &crate::input::import::Record, key: &[String]) -> Option<String> {
        let place = r.grid.row_place(r.row);
        let at = place.rsplit(", ").next().unwrap_or_default().to_string();
        self.0.insert(key.to_vec(), at)
    }
}

fn load_staff(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<(String, Sourced<Decimal>)>> {
    let g = src.grid("staff")?;
    let t = Records::with_columns(g, &["service", "staff"])?;
    acc.push(t.accounting());
    let (c_s, c_n) = (t.col("service")?, t.col("staff")?);
    each_once(&t, &[c_s], "service")?;
    let staff = t
        .iter()
        .map(|r| Ok((r.text(c_s, "a service name")?, staff_count(&r, c_n)?)))
        .collect::<Result<_>>()?;
    Ok(staff)
}

fn load_growth(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<Growth>> {
    let g = src.grid("growth")?;
    let t = Records::with_columns(g, &["service", "budget_estimate", "staff"])?;
    acc.push(t.accounting());
    let (c_s, c_b, c_n) = (
        t.col("service")?,
        t.col("budget_estimate")?,
        t.col("staff")?,
    );
    each_once(&t, &[c_s], "service")?;
    let growth = t
        .iter()
        .map(|r| {
            Ok(Growth {
                service: r.text(c_s, "a service name")?,
                budget: sourced_fig(&r, c_b, "a budget estimate such as £2m")?,
                staff: sourced_fig(&r, c_n, "a number of staff")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(growth)
}

fn load_savings(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<SavingsLine>> {
    let g = src.grid("savings")?;
    let t = Records::with_columns(g, &["group", "line", "base_year", "annual", "cumulative"])?;
    acc.push(t.accounting());
    let (c_g, c_l, c_y, c_a, c_c) = (
        t.col("group")?,
        t.col("line")?,
        t.col("base_year")?,
        t.col("annual")?,
        t.col("cumulative")?,
    );
    each_once(&t, &[c_g, c_l], "group / line")?;
    let savings = t
        .iter()
        .map(|r| {
            Ok(SavingsLine {
                group: r.text(c_g, "a savings group")?,
                line: r.text(c_l, "a savings line")?,
                base_year: financial_year(&r, c_y)?,
                annual: sourced_fig(&r, c_a, "annual savings in pounds")?,
                cumulative: sourced_fig(&r, c_c, "cumulative savings in pounds")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(savings)
}

fn load_funding(
    src: &Source,
    acc: &mut Vec<Accounting>,
) -> Result<Vec<(String, Sourced<Decimal>)>> {
    let g = src.grid("funding")?;
    let t = Records::with_columns(g, &["item", "amount"])?;
    acc.push(t.accounting());
    let (c_i, c_a) = (t.col("item")?, t.col("amount")?);
    each_once(&t, &[c_i], "item")?;
    let funding = t
        .iter()
        .map(|r| {
            Ok((
                r.text(c_i, "a funding item")?,
                sourced_fig(&r, c_a, "an amount in pounds")?,
            ))
        })
        .collect::<Result<_>>()?;
    Ok(funding)
}

fn load_performance(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<Performance>> {
    let g = src.grid("performance")?;
    let t = Records::with_columns(g, &["service", "green", "amber", "red", "na"])?;
    acc.push(t.accounting());
    let c_s = t.col("service")?;
    each_once(&t, &[c_s], "service")?;
    let cols = [
        t.col("green")?,
        t.col("amber")?,
        t.col("red")?,
        t.col("na")?,
    ];
    let performance = t
        .iter()
        .map(|r| {
            let c = |i: usize| amount_or_na(&r, cols[i]);
            Ok(Performance {
                service: r.text(c_s, "a service name")?,
                counts: [c(0)?, c(1)?, c(2)?, c(3)?],
            })
        })
        .collect::<Result<_>>()?;
    Ok(performance)
}

fn load_national(src: &Source, acc: &mut Vec<Accounting>) -> Result<Vec<National>> {
    let g = src.grid("national")?;
    let t = Records::with_columns(g, &["year", "councils_sharing", "arrangements", "savings"])?;
    acc.push(t.accounting());
    let (c_y, c_c, c_a, c_s) = (
        t.col("year")?,
        t.col("councils_sharing")?,
        t.col("arrangements")?,
        t.col("savings")?,
    );
    each_once(&t, &[c_y], "year")?;
    let national = t
        .iter()
        .map(|r| {
            Ok(National {
                year: financial_year(&r, c_y)?.value,
                councils: sourced_fig(&r, c_c, "a number of councils")?,
                arrangements: sourced_fig(&r, c_a, "a number of arrangements")?,
                savings: sourced_fig(&r, c_s, "savings such as £156.5m")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(national)
}

impl AnnualInputs {
    /// Reads every sheet of the annual report's inputs, each row traced.
    pub fn load(src: &Source) -> Result<AnnualInputs> {
        let mut accounting = Vec::new();
        let acc = &mut accounting;
        let report = load_report(src, acc)?;
        // Authorities first: the budget sheet has one column per authority.
        let authorities = load_authorities(src, acc)?;
        let budget = load_budget(src, acc, &authorities)?;
        // The other sheets are optional: absent, their tables are too.
        let staff = optional(src, acc, "staff", load_staff)?;
        let growth = optional(src, acc, "growth", load_growth)?;
        let savings = optional(src, acc, "savings", load_savings)?;
        let funding = optional(src, acc, "funding", load_funding)?;
        let performance = optional(src, acc, "performance", load_performance)?;
        let national = optional(src, acc, "national", load_national)?;
        let published = optional(src, acc, "published", load_published)?;
        Ok(AnnualInputs {
            report,
            authorities,
            budget,
            staff,
            growth,
            savings,
            funding,
            performance,
            national,
            published,
            accounting,
            unread: src.unread_note(&SHEETS),
        })
    }

    /// Sheets where rows other than blank ones were set aside, said once.
    /// Where a total typed into an input was set aside (costshare works
    /// out its own): said in the report, not only on standard error.
    pub fn typed_totals(&self) -> Vec<String> {
        let typed = crate::input::import::RowRole::TypedTotal.reason();
        self.accounting
            .iter()
            .flat_map(|a| &a.set_aside)
            .filter(|(_, why, _)| *why == typed)
            .map(|(place, _, _)| place.clone())
            .collect()
    }

    pub fn set_aside_notes(&self) -> Vec<String> {
        let unread = self.unread.iter().cloned();
        self.accounting
            .iter()
            .filter(|a| {
                a.set_aside
                    .iter()
                    .any(|(_, why, _)| *why != crate::input::import::RowRole::Blank.reason())
            })
            .map(|a| a.to_string())
            .chain(unread)
            .collect()
    }

    /// "<short name> shared services", or "shared services" when the partnership
    /// has no short name.
    fn scope(&self) -> String {
        match &self.report.partnership {
            Some(p) => format!("{p} shared services"),
            None => "shared services".into(),
        }
    }

    /// The partnership's short name, or "the partnership".
    fn who(&self) -> String {
        self.report
            .partnership
            .clone()
            .unwrap_or_else(|| "the partnership".into())
    }

    /// The report's own notes for the table, or else its default notes.
    fn add_notes(&self, t: &mut Table, defaults: &[String]) {
        let given: Vec<String> = (self.report.notes.iter())
            .filter(|(n, _)| *n == t.name)
            .map(|(_, text)| text.clone())
            .collect();
        t.notes.extend(if given.is_empty() {
            defaults.to_vec()
        } else {
            given
        });
    }

    /// A table, or None when it is unknown or its sheet is absent.
    pub fn table(&self, name: &str) -> Option<Table> {
        let has = match name {
            "staff" => !self.staff.is_empty(),
            "savings-programme" => !self.savings.is_empty(),
            "performance-summary" => !self.performance.is_empty(),
            "national-picture" => !self.national.is_empty(),
            _ => true,
        };
        if !has {
            return None;
        }
        let mut t = match name {
            "budget-breakdown" => self.budget_breakdown(),
            "budget-headline" => self.budget_headline(),
            "staff" => self.staff_table(),
            "savings-programme" => self.savings_programme(),
            "performance-summary" => self.performance_summary(),
            "national-picture" => self.national_picture(),
            _ => return None,
        };
        // An input with pence is shown with them, so rows add up as printed.
        t.pence_if_any();
        t.rounding_note();
        Some(t)
    }

    pub fn tables(&self) -> Vec<Table> {
        TABLES.iter().filter_map(|n| self.table(n)).collect()
    }

    /// Per authority: (gross expenditure, income, net) over all services.
    fn authority_totals(&self) -> Vec<(Money, Money, Money)> {
        (0..self.authorities.len())
            .map(|a| {
                let mut exp = Money::ZERO;
                let mut inc = Money::ZERO;
                for l in &self.budget {
                    if let Some(v) = l.amounts[a].value.value() {
                        match l.kind {
                            LineKind::Income => inc += Money(v),
                            _ => exp += Money(v),
                        }
                    }
                }
                (exp, inc, exp + inc)
            })
            .collect()
    }

    fn services(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for l in &self.budget {
            if !v.contains(&l.service.as_str()) {
                v.push(&l.service);
            }
        }
        v
    }

    /// Whether authority `a` takes part in `service`: any figure that is not N/A.
    fn in_service(&self, service: &str, a: usize) -> bool {
        self.budget
            .iter()
            .filter(|l| l.service == service)
            .any(|l| l.amounts[a].value.value().is_some())
    }

    pub fn budget_breakdown(&self) -> Table {
        let mut cols = vec!["Service", "Line"];
        let codes: Vec<&str> = self.authorities.iter().map(|a| a.code.as_str()).collect();
        cols.extend(codes.iter().copied());
        cols.push("Total");
        let mut t = Table::new(
            "budget-breakdown",
            format!("Budget breakdown {} ({})", self.report.year, self.scope()),
            &cols,
            2,
        );
        for service in self.services() {
            self.service_rows(&mut t, service);
        }
        let (all_net, all_budget) = self.total_rows(&mut t);
        t.headline = self.breakdown_headline(all_net, all_budget);
        let na = "N/A: the authority is not in that shared service (not zero).";
        self.add_notes(&mut t, &[na.into()]);
        t.charts.push(budget_chart(&t, &self.report.year));
        t
    }

    /// A service's lines as given, its total expenditure before income when
    /// it has additions, and its net expenditure; N/A where an authority is
    /// not in it.
    fn service_rows(&self, t: &mut Table, service: &str) {
        let n = self.authorities.len();
        let na_cell =
            |label: &str| Cell::rule(Value::na(label), "the authority is not in this service");
        let lines: Vec<&BudgetLine> = self
            .budget
            .iter()
            .filter(|l| l.service == service)
            .collect();
        let sum_kind = |a: usize, kinds: &[LineKind]| -> Option<Money> {
            if !self.in_service(service, a) {
                return None;
            }
            Some(
                lines
                    .iter()
                    .filter(|l| kinds.contains(&l.kind))
                    .filter_map(|l| l.amounts[a].value.value())
                    .map(Money)
                    .sum(),
            )
        };
        let derived_row = |label: &str, kinds: &[LineKind], rule: &str| -> Vec<Cell> {
            let mut cells = vec![Cell::label(service), Cell::label(label)];
            let mut total = Money::ZERO;
            for a in 0..n {
                match sum_kind(a, kinds) {
                    Some(m) => {
                        total += m;
                        cells.push(Cell::rule(Value::money(m), format!("{rule} ({service})")));
                    }
                    None => cells.push(na_cell("N/A")),
                }
            }
            cells.push(Cell::rule(Value::money(total), "sum across authorities"));
            cells
        };
        let has_additions = lines.iter().any(|l| l.kind == LineKind::Addition);
        for l in &lines {
            if l.kind == LineKind::Income && has_additions {
                t.push_total(derived_row(
                    "Total expenditure",
                    &[LineKind::Expenditure, LineKind::Addition],
                    "expenditure plus additions",
                ));
            }
            let mut cells = vec![Cell::label(service), Cell::label(&l.line)];
            let mut total = Money::ZERO;
            for s in &l.amounts {
                cells.push(match &s.value {
                    Amount::Value(v) => {
                        total += Money(*v);
                        Cell::input(Value::money(Money(*v)), s.origin.clone())
                    }
                    Amount::NotApplicable(label) => {
                        Cell::input(Value::na(label.clone()), s.origin.clone())
                    }
                    _ => Cell::empty(),
                });
            }
            cells.push(Cell::rule(Value::money(total), "sum across authorities"));
            t.push(cells);
        }
        t.push_total(derived_row(
            "Net expenditure",
            &[LineKind::Expenditure, LineKind::Addition, LineKind::Income],
            "expenditure plus additions less income",
        ));
    }

    /// The totals under the services: their count, net expenditure,
    /// authority budgets and the share of each budget. Returns the net
    /// expenditure and the budgets summed across authorities.
    fn total_rows(&self, t: &mut Table) -> (Money, Decimal) {
        let n = self.authorities.len();
        let totals = self.authority_totals();
        let services = self.services();
        let mut count_row = vec![
            Cell::label("Total"),
            Cell::label("Number of shared services"),
        ];
        for a in 0..n {
            let c = services.iter().filter(|s| self.in_service(s, a)).count();
            count_row.push(Cell::rule(
                Value::num(Decimal::from(c), 0),
                "services with figures (not N/A) for the authority",
            ));
        }
        count_row.push(Cell::rule(
            Value::num(Decimal::from(services.len()), 0),
            "distinct shared services",
        ));
        t.push_total(count_row);

        let mut net_row = vec![Cell::label("Total"), Cell::label("Net expenditure")];
        for (_, _, net) in &totals {
            net_row.push(Cell::rule(
                Value::money(*net),
                "sum of the services' net expenditure",
            ));
        }
        let all_net: Money = totals.iter().map(|t| t.2).sum();
        net_row.push(Cell::rule(Value::money(all_net), "sum across authorities"));
        t.push_total(net_row);

        let mut budget_row = vec![Cell::label("Total"), Cell::label("Authority budget")];
        for a in &self.authorities {
            budget_row.push(Cell::input(
                Value::money(Money(a.budget.value)),
                a.budget.origin.clone(),
            ));
        }
        let all_budget: Decimal = self.authorities.iter().map(|a| a.budget.value).sum();
        budget_row.push(Cell::rule(
            Value::money(Money(all_budget)),
            "sum across authorities",
        ));
        t.push_total(budget_row);

        let mut pct_row = vec![
            Cell::label("Total"),
            Cell::label(format!("Percentage of authority budget in {}", self.who())),
        ];
        for (a, (_, _, net)) in self.authorities.iter().zip(&totals) {
            pct_row.push(Cell::rule(
                Value::pct(percent(net.dec(), a.budget.value), 1),
                "net expenditure / authority budget × 100",
            ));
        }
        pct_row.push(Cell::rule(
            Value::pct(percent(all_net.dec(), all_budget), 1),
            "net expenditure / authority budget × 100",
        ));
        t.push_total(pct_row);
        (all_net, all_budget)
    }

    fn breakdown_headline(&self, all_net: Money, all_budget: Decimal) -> String {
        let totals = self.authority_totals();
        let pcts: Vec<String> = self
            .authorities
            .iter()
            .zip(&totals)
            .map(|(a, (_, _, net))| {
                format!(
                    "{} {}",
                    a.name,
                    crate::base::money::format_percent(
                        percent(net.dec(), a.budget.value),
                        1,
                        Default::default()
                    )
                )
            })
            .collect();
        format!(
            "{} cost {} net in {}: {} of the {} authorities' budgets ({}).",
            capitalised(&self.scope()),
            all_net,
            self.report.year,
            crate::base::money::format_percent(
                percent(all_net.dec(), all_budget),
                1,
                Default::default()
            ),
            count_word(self.authorities.len()),
            pcts.join(", ")
        )
    }

    pub fn budget_headline(&self) -> Table {
        let mut t = Table::new(
            "budget-headline",
            format!("Budgets of {} {}", self.scope(), self.report.year),
            &["Figure", "Value"],
            1,
        );
        let totals = self.authority_totals();
        let exp: Money = totals.iter().map(|t| t.0).sum();
        let inc: Money = totals.iter().map(|t| t.1).sum();
        let net: Money = totals.iter().map(|t| t.2).sum();
        let budget: Decimal = self.authorities.iter().map(|a| a.budget.value).sum();
        let m = |d: Decimal| Value::Millions { amount: d, dp: 2 };
        t.push(vec![
            Cell::label("Expenditure on services"),
            Cell::rule(
                m(exp.dec()),
                "sum of expenditure and additions, all services and authorities",
            ),
        ]);
        t.push(vec![
            Cell::label("Income generated from services"),
            Cell::rule(
                m(-inc.dec()),
                "sum of income lines, shown as a positive figure",
            ),
        ]);
        t.push_total(vec![
            Cell::label("Net expenditure on services"),
            Cell::rule(m(net.dec()), "expenditure less income"),
        ]);
        t.push(vec![
            Cell::label("Total authority budget expenditure"),
            Cell::rule(m(budget), "sum of the authority budgets"),
        ]);
        t.push(vec![
            Cell::label(format!("{} % of total authority expenditure", self.who())),
            Cell::rule(
                Value::pct(percent(net.dec(), budget), 1),
                "net expenditure / authority budgets × 100",
            ),
        ]);
        t.headline = format!(
            "Shared services spent {} gross and {} net, {} of the authorities' £{}m budgets.",
            crate::base::money::format_millions(exp.dec(), 2, Default::default()),
            crate::base::money::format_millions(net.dec(), 2, Default::default()),
            crate::base::money::format_percent(percent(net.dec(), budget), 1, Default::default()),
            crate::base::money::round_dp(budget / Decimal::from(1_000_000), 2)
        );
        self.add_notes(&mut t, &[]);
        // Each £m figure is rounded from exact pounds: said when the net
        // shown is not the expenditure shown less the income shown.
        let shown = |d: Decimal| crate::base::money::round_dp(d / Decimal::from(1_000_000), 2);
        if shown(exp.dec()) - shown(-inc.dec()) != shown(net.dec()) {
            t.notes.push(
                "Each £m figure is rounded from the exact pounds, so the net shown may differ by £0.01m from the expenditure shown less the income shown.".into(),
            );
        }
        t
    }

    pub fn staff_table(&self) -> Table {
        let year = &self.report.year;
        let title = match (&self.report.growth_year, self.growth.is_empty()) {
            (Some(g), false) => format!("Staff numbers {year} and planned growth {g}"),
            (None, false) => format!("Staff numbers {year} and planned growth"),
            _ => format!("Staff numbers {year}"),
        };
        let cols = ["Section", "Item", "Staff", "Staff %", "Budget", "Budget %"];
        let mut t = Table::new("staff", title, &cols, 2);
        let (shared_staff, all_staff) = self.staff_rows(&mut t);
        let pct = |a, dp| {
            crate::base::money::format_percent(percent(a, all_staff), dp, Default::default())
        };
        // Counts as the table prints them: 1,220, not 1220.
        let count = |d: Decimal| crate::base::money::group_thousands(d, 0);
        t.headline = format!(
            "{} staff work in {}, {} of the authorities' {}",
            count(shared_staff),
            self.scope(),
            pct(shared_staff, 2),
            count(all_staff),
        );
        if !self.growth.is_empty() {
            let p_staff = self.growth_rows(&mut t, shared_staff, all_staff);
            let services: Vec<&str> = self.growth.iter().map(|g| g.service.as_str()).collect();
            t.headline += &format!(
                "; with {}, {} ({})",
                and_list(&services),
                count(p_staff),
                pct(p_staff, 1)
            );
        }
        t.headline.push('.');
        self.add_notes(&mut t, &[]);
        t
    }

    /// Staff by service and by authority, with totals and the shared
    /// services' share; returns the shared-service staff and all staff.
    fn staff_rows(&self, t: &mut Table) -> (Decimal, Decimal) {
        let e = Cell::empty;
        let num = |d: Decimal| Value::num(d, 0);
        let sec = "By service";
        let mut mkip_staff = Decimal::ZERO;
        for (s, n) in &self.staff {
            mkip_staff += n.value;
            t.push(vec![
                Cell::label(sec),
                Cell::label(s),
                Cell::input(num(n.value), n.origin.clone()),
                e(),
                e(),
                e(),
            ]);
        }
        t.push_total(vec![
            Cell::label(sec),
            Cell::label("Total"),
            Cell::rule(num(mkip_staff), "sum of staff by service"),
            e(),
            e(),
            e(),
        ]);
        let sec = "By authority";
        let mut all_staff = Decimal::ZERO;
        for a in &self.authorities {
            all_staff += a.staff.value;
            t.push(vec![
                Cell::label(sec),
                Cell::label(&a.name),
                Cell::input(num(a.staff.value), a.staff.origin.clone()),
                e(),
                e(),
                e(),
            ]);
        }
        t.push_total(vec![
            Cell::label(sec),
            Cell::label("Total"),
            Cell::rule(num(all_staff), "sum of approximate staff by authority"),
            e(),
            e(),
            e(),
        ]);
        t.push_total(vec![
            Cell::label(sec),
            Cell::label(format!("{} % of total", self.who())),
            e(),
            Cell::rule(
                Value::pct(percent(mkip_staff, all_staff), 2),
                format!("{} staff / all authority staff × 100", self.who()),
            ),
            e(),
            e(),
        ]);
        (mkip_staff, all_staff)
    }

    /// Planned growth by service and the predicted totals; returns the
    /// predicted staff.
    fn growth_rows(&self, t: &mut Table, shared_staff: Decimal, all_staff: Decimal) -> Decimal {
        let num = |d: Decimal| Value::num(d, 0);
        let net: Decimal = self.authority_totals().iter().map(|t| t.2.dec()).sum();
        let budget: Decimal = self.authorities.iter().map(|a| a.budget.value).sum();
        let (who, year) = (self.who(), &self.report.year);
        let sec = match &self.report.growth_year {
            Some(g) => format!("Planned growth {g}"),
            None => "Planned growth".into(),
        };
        let sec = sec.as_str();
        let staff_rule = format!("staff / {who} staff {year} × 100");
        let (mut g_staff, mut g_budget) = (Decimal::ZERO, Decimal::ZERO);
        let millions = |d: Decimal, dp: u32| Value::Millions { amount: d, dp };
        for g in &self.growth {
            g_staff += g.staff.value;
            g_budget += g.budget.value;
            t.push(vec![
                Cell::label(sec),
                Cell::label(&g.service),
                Cell::input(num(g.staff.value), g.staff.origin.clone()),
                Cell::rule(
                    Value::pct(percent(g.staff.value, shared_staff), 1),
                    &staff_rule,
                ),
                Cell::input(millions(g.budget.value, 0), g.budget.origin.clone()),
                Cell::rule(
                    Value::pct(percent(g.budget.value, net), 1),
                    format!("budget estimate / {who} net expenditure {year} × 100"),
                ),
            ]);
        }
        t.push_total(vec![
            Cell::label(sec),
            Cell::label("Total"),
            Cell::rule(num(g_staff), "sum of planned staff growth"),
            Cell::rule(Value::pct(percent(g_staff, shared_staff), 1), &staff_rule),
            Cell::rule(millions(g_budget, 0), "sum of budget estimates"),
            Cell::rule(
                Value::pct(percent(g_budget, net), 1),
                format!("budget estimates / {who} net expenditure {year} × 100"),
            ),
        ]);
        let p_staff = shared_staff + g_staff;
        let p_budget = net + g_budget;
        t.push_total(vec![
            Cell::label(match &self.report.growth_year {
                Some(g) => format!("Predicted {g}"),
                None => "Predicted".into(),
            }),
            Cell::label("Total"),
            Cell::rule(
                num(p_staff),
                format!("{who} staff {year} plus planned growth"),
            ),
            Cell::rule(
                Value::pct(percent(p_staff, all_staff), 1),
                "predicted staff / all authority staff × 100",
            ),
            Cell::rule(
                millions(p_budget, 0),
                format!("{who} net expenditure {year} plus budget estimates"),
            ),
            Cell::rule(
                Value::pct(percent(p_budget, budget), 1),
                format!("predicted budget / authority budgets {year} × 100"),
            ),
        ]);
        p_staff
    }

    pub fn savings_programme(&self) -> Table {
        let (year, next) = (&self.report.year, &self.report.forecast_year);
        let cols = [
            "Group".to_string(),
            "Line".into(),
            "Base year".into(),
            format!("Annual savings {year}"),
            format!("Cumulative savings {year}"),
            format!("Cumulative savings {next} (predicted)"),
        ];
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let title = match &self.report.partnership {
            Some(p) => format!("{p} and shared service savings"),
            None => "Shared service savings".into(),
        };
        let mut t = Table::new("savings-programme", title, &cols, 2);
        let mut groups: Vec<&str> = Vec::new();
        for l in &self.savings {
            if !groups.contains(&l.group.as_str()) {
                groups.push(&l.group);
            }
        }
        let (mut ta, mut tc) = (Money::ZERO, Money::ZERO);
        for g in groups {
            let (mut ga, mut gc) = (Money::ZERO, Money::ZERO);
            for l in self.savings.iter().filter(|l| l.group == g) {
                let (a, c) = (Money(l.annual.value), Money(l.cumulative.value));
                ga += a;
                gc += c;
                t.push(vec![
                    Cell::label(g),
                    Cell::label(&l.line),
                    Cell::input(Value::text(&l.base_year.value), l.base_year.origin.clone()),
                    Cell::input(Value::money(a), l.annual.origin.clone()),
                    Cell::input(Value::money(c), l.cumulative.origin.clone()),
                    Cell::rule(
                        Value::money(c + a),
                        format!("cumulative {year} plus annual savings (predicted)"),
                    ),
                ]);
            }
            ta += ga;
            tc += gc;
            t.push_total(vec![
                Cell::label(g),
                Cell::label("Subtotal"),
                Cell::empty(),
                Cell::rule(Value::money(ga), format!("sum of {g} lines")),
                Cell::rule(Value::money(gc), format!("sum of {g} lines")),
                Cell::rule(Value::money(gc + ga), format!("sum of {g} lines")),
            ]);
        }
        t.push_total(vec![
            Cell::label("Total"),
            Cell::label(""),
            Cell::empty(),
            Cell::rule(Value::money(ta), "sum of group subtotals"),
            Cell::rule(Value::money(tc), "sum of group subtotals"),
            Cell::rule(Value::money(tc + ta), "sum of group subtotals"),
        ]);
        let mut funding = Money::ZERO;
        for (item, f) in &self.funding {
            funding += Money(f.value);
            t.push(vec![
                Cell::label(item),
                Cell::label(""),
                Cell::empty(),
                Cell::empty(),
                Cell::input(Value::money(-Money(f.value)), f.origin.clone()),
                Cell::input(Value::money(-Money(f.value)), f.origin.clone()),
            ]);
        }
        t.push_total(vec![
            Cell::label("Net cumulative savings"),
            Cell::label(""),
            Cell::empty(),
            Cell::empty(),
            Cell::rule(
                Value::money(tc - funding),
                format!("cumulative savings less {} funding", self.who()),
            ),
            Cell::rule(
                Value::money(tc + ta - funding),
                format!("predicted cumulative savings less {} funding", self.who()),
            ),
        ]);
        t.headline = format!(
            "Net cumulative savings reach {} by {next} after {} of {} funding.",
            tc + ta - funding,
            funding,
            self.who()
        );
        self.add_notes(&mut t, &[]);
        t.charts = savings_charts(&t, &self.report);
        t
    }

    pub fn performance_summary(&self) -> Table {
        let cols = [
            "Service",
            "Green",
            "Amber",
            "Red",
            "N/A",
            "Total",
            "Total incl. N/A",
        ];
        let mut t = Table::new(
            "performance-summary",
            format!(
                "Annual performance summary {} (indicators by status)",
                self.report.year
            ),
            &cols,
            1,
        );
        let mut sums = [Decimal::ZERO; 4];
        for p in &self.performance {
            let mut cells = vec![Cell::label(&p.service)];
            let mut v = [Decimal::ZERO; 4];
            for (i, c) in p.counts.iter().enumerate() {
                match &c.value {
                    Amount::Value(d) => {
                        v[i] = *d;
                        sums[i] += d;
                        cells.push(Cell::input(Value::num(*d, 0), c.origin.clone()));
                    }
                    Amount::NotApplicable(l) => {
                        cells.push(Cell::input(Value::na(l.clone()), c.origin.clone()))
                    }
                    _ => cells.push(Cell::empty()),
                }
            }
            let rated = v[0] + v[1] + v[2];
            cells.push(Cell::rule(Value::num(rated, 0), "green + amber + red"));
            cells.push(Cell::rule(
                Value::num(rated + v[3], 0),
                "rated indicators plus N/A",
            ));
            t.push(cells);
        }
        let rated = sums[0] + sums[1] + sums[2];
        let mut cells = vec![Cell::label("Total")];
        for s in sums {
            cells.push(Cell::rule(Value::num(s, 0), "sum over services"));
        }
        cells.push(Cell::rule(Value::num(rated, 0), "green + amber + red"));
        cells.push(Cell::rule(
            Value::num(rated + sums[3], 0),
            "rated indicators plus N/A",
        ));
        t.push_total(cells);
        t.headline = format!(
            "{} of {} rated indicators were green, {} amber and {} red.",
            sums[0], rated, sums[1], sums[2]
        );
        let na = format!(
            "N/A: indicators not rated in {}; \"-\" where a service had none.",
            self.report.year
        );
        self.add_notes(&mut t, &[na]);
        t
    }

    pub fn national_picture(&self) -> Table {
        let cols = [
            "Year",
            "Councils sharing",
            "Shared arrangements",
            "Savings achieved",
        ];
        let mut t = Table::new(
            "national-picture",
            "National shared service picture",
            &cols,
            1,
        );
        for n in &self.national {
            t.push(vec![
                Cell::label(&n.year),
                Cell::input(Value::num(n.councils.value, 0), n.councils.origin.clone()),
                Cell::input(
                    Value::num(n.arrangements.value, 0),
                    n.arrangements.origin.clone(),
                ),
                Cell::input(
                    Value::Millions {
                        amount: n.savings.value,
                        dp: 1,
                    },
                    n.savings.origin.clone(),
                ),
            ]);
        }
        if let (Some(first), Some(last)) = (self.national.first(), self.national.last()) {
            let g = |a: Decimal, b: Decimal| Value::pct(percent(b - a, a), 0);
            let rule = format!("({} − {}) / {} × 100", last.year, first.year, first.year);
            t.push_total(vec![
                Cell::label("Growth"),
                Cell::rule(g(first.councils.value, last.councils.value), &rule),
                Cell::rule(g(first.arrangements.value, last.arrangements.value), &rule),
                Cell::rule(g(first.savings.value, last.savings.value), &rule),
            ]);
            t.headline = format!(
                "Councils sharing services grew from {} to {}, and savings from {} to {}.",
                first.councils.value,
                last.councils.value,
                crate::base::money::format_millions(first.savings.value, 1, Default::default()),
                crate::base::money::format_millions(last.savings.value, 1, Default::default()),
            );
        }
        self.add_notes(&mut t, &[]);
        t
    }
}

/// Net expenditure by shared service, a bar per authority.
fn budget_chart(t: &Table, year: &str) -> Chart {
    let auths: Vec<String> = t.columns[2..t.columns.len() - 1].to_vec();
    let rows: Vec<_> = t
        .rows
        .iter()
        .filter(|r| {
            let key = t.row_key(r);
            key.ends_with("/ Net expenditure") && !key.starts_with("Total")
        })
        .collect();
    let categories = rows
        .iter()
        .map(|r| {
            let key = t.row_key(r);
            key.trim_end_matches(" / Net expenditure").to_string()
        })
        .collect();
    let series = auths
        .iter()
        .enumerate()
        .map(|(ai, a)| Series {
            name: a.clone(),
            values: rows.iter().map(|r| at(&r.cells[2 + ai].value)).collect(),
        })
        .collect();
    Chart {
        name: "budget-breakdown".into(),
        title: format!("Net expenditure on shared services, {year}"),
        x_label: "Shared service".into(),
        y_label: "Net expenditure".into(),
        plot: Plot::Bars(Bars {
            categories,
            series,
            ..Bars::default()
        }),
    }
}

/// Annual savings by line, coloured by group; and cumulative savings
/// against the partnership's funding.
fn savings_charts(t: &Table, report: &ReportInfo) -> Vec<Chart> {
    let year = &report.year;
    let mut groups: Vec<String> = Vec::new();
    let (mut labels, mut values, mut group) = (Vec::new(), Vec::new(), Vec::new());
    for r in &t.rows {
        let key = t.row_key(r);
        let parts: Vec<&str> = key.split(" / ").collect();
        if r.total || parts.len() != 2 {
            continue;
        }
        let g = parts[0].to_string();
        if !groups.contains(&g) {
            groups.push(g.clone());
        }
        labels.push(parts[1].to_string());
        values.push(at(&r.cells[SAVINGS_ANNUAL_COL].value));
        group.push(groups.iter().position(|x| *x == g).unwrap_or(0));
    }
    let by_line = Chart {
        name: "savings-by-line".into(),
        title: format!("Annual savings {year} by line and group"),
        x_label: format!("Annual savings {year}"),
        y_label: "Savings line".into(),
        plot: Plot::HBars(HBars {
            labels,
            values,
            group,
            group_names: groups,
        }),
    };
    vec![by_line, cumulative_chart(t, report)]
}

/// Column of the savings-programme table with the year's annual savings.
const SAVINGS_ANNUAL_COL: usize = 3;

fn cumulative_chart(t: &Table, report: &ReportInfo) -> Chart {
    let (year, next) = (&report.year, &report.forecast_year);
    let who = report.partnership.as_deref().unwrap_or("partnership");
    let row = |key: &str| t.rows.iter().find(|r| t.row_key(r) == key);
    let pair = |key: &str| match row(key) {
        Some(r) => vec![at(&r.cells[4].value), at(&r.cells[5].value)],
        None => vec![0.0, 0.0],
    };
    let (gross, net) = (pair("Total"), pair("Net cumulative savings"));
    let funding = gross[0] - net[0];
    let passed = match gross.iter().position(|g| *g >= funding) {
        Some(0) => format!(" (passed by {year})"),
        Some(_) => format!(" (passed by {next})"),
        None => " (not yet passed)".into(),
    };
    let series = |name: &str, values| Series {
        name: name.into(),
        values,
    };
    Chart {
        name: "cumulative-savings".into(),
        title: format!("Cumulative savings against {who} funding"),
        x_label: "Year".into(),
        y_label: "Cumulative savings".into(),
        plot: Plot::Bars(Bars {
            categories: vec![year.clone(), format!("{next} (predicted)")],
            series: vec![
                series("Cumulative savings", gross),
                series(&format!("Net of {who} funding"), net),
            ],
            hline: Some((
                format!("Funding {}: break-even{passed}", money_exact(funding)),
                funding,
            )),
            // Gross savings meet the funding; the net bars have it taken off.
            hline_over: Some(0),
            ..Bars::default()
        }),
    }
}

/// a / b × 100, exact (to Decimal's 28 digits); zero when b is zero.
pub fn percent(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() {
        Decimal::ZERO
    } else {
        a * Decimal::ONE_HUNDRED / b
    }
}

fn load_published(
    src: &Source,
    accounting: &mut Vec<crate::input::import::Accounting>,
) -> Result<Vec<PublishedFigure>> {
    let g = src.grid("published")?;
    let t = Records::with_columns(g, &["table", "row", "column", "value", "where"])?;
    accounting.push(t.accounting());
    let (c_t, c_r, c_c, c_v, c_w) = (
        t.col("table")?,
        t.col("row")?,
        t.col("column")?,
        t.col("value")?,
        t.col("where")?,
    );
    t.iter()
        .map(|r| {
            let table = r.text(c_t, "a table name")?;
            if !TABLES.contains(&table.as_str()) {
                return Err(r.expected(c_t, &format!("one of {}", TABLES.join(", "))));
            }
            Ok(PublishedFigure {
                table,
                row: r.text(c_r, "a row label")?,
                column: r.text(c_c, "a column name")?,
                text: r.text(c_v, "the figure as printed")?,
                source: r.opt_text(c_w).unwrap_or_default(),
                origin: r.origin(c_v),
            })
        })
        .collect()
}
