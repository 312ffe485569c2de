//! Optimism bias by category, as HM Treasury's Supplementary Green Book
//! Guidance: Optimism Bias (2003, from Mott MacDonald's Review of Large
//! Public Procurement in the UK, 2002) sets it out: capital costs, operating
//! costs, works duration and benefits each adjusted by their own
//! percentage. A project type gives the guidance's upper bounds as
//! defaults; any category the model states wins.

use super::reader::Reader;
use super::{Fig, Optimism};
use crate::base::error::Result;
use rust_decimal::Decimal;
use toml::Value as T;

/// The guidance's upper bounds (Table 1): works duration and capital
/// expenditure by project type; operating expenditure for outsourcing.
/// (project type, duration %, capital %, operating %)
pub const UPPER_BOUNDS: &[(&str, u32, u32, u32)] = &[
    ("standard buildings", 4, 24, 0),
    ("non-standard buildings", 39, 51, 0),
    ("standard civil engineering", 20, 44, 0),
    ("non-standard civil engineering", 25, 66, 0),
    ("equipment/development", 54, 200, 0),
    ("outsourcing", 0, 0, 41),
];

impl Reader<'_> {
    /// `[optimism_bias]`; `top` is the older `optimism_bias_pct` (capital).
    pub(super) fn optimism(&mut self, v: Option<&T>, top: Option<Fig>) -> Result<Optimism> {
        let Some(v) = v else {
            return Ok(Optimism {
                capital: top,
                ..Optimism::default()
            });
        };
        let t = v
            .as_table()
            .ok_or_else(|| self.err("optimism_bias", "expected a table: [optimism_bias]"))?;
        self.unknown_keys(t, "optimism_bias", super::keys::OPTIMISM)?;
        if top.is_some() && t.contains_key("capital_pct") {
            return Err(self.err(
                "optimism_bias_pct",
                "give capital optimism bias once: optimism_bias_pct or optimism_bias.capital_pct",
            ));
        }
        let bounds = match t.get("project_type") {
            None => None,
            Some(p) => Some(self.project_type(p)?),
        };
        let mut o = Optimism {
            project_type: bounds.map(|b| b.0.to_string()),
            ..Optimism::default()
        };
        let default = |pct: u32| -> Option<Fig> {
            (pct > 0).then(|| {
                Fig::new(
                    Decimal::from(pct),
                    self.origin_on(
                        "optimism_bias.project_type (Green Book upper bound)",
                        "optimism_bias.project_type",
                    ),
                )
            })
        };
        let (d, c, op) = bounds.map_or((None, None, None), |b| {
            (default(b.1), default(b.2), default(b.3))
        });
        o.capital = self.category(t, "capital_pct")?.or(top).or(c);
        o.operating = self.category(t, "operating_pct")?.or(op);
        o.duration = self.category(t, "duration_pct")?.or(d);
        o.benefits = self.category(t, "benefits_pct")?;
        if o.benefits
            .as_ref()
            .is_some_and(|b| b.value > Decimal::ONE_HUNDRED)
        {
            return Err(self.err(
                "optimism_bias.benefits_pct",
                "expected a shortfall of at most 100%",
            ));
        }
        Ok(o)
    }

    fn category(&mut self, t: &toml::Table, key: &str) -> Result<Option<Fig>> {
        let full = format!("optimism_bias.{key}");
        t.get(key)
            .map(|v| self.percent(v, &full, "a percentage such as 20"))
            .transpose()
    }

    fn project_type(&self, v: &T) -> Result<&'static (&'static str, u32, u32, u32)> {
        let key = "optimism_bias.project_type";
        let s = v
            .as_str()
            .ok_or_else(|| self.err(key, "expected a project type in quotes"))?;
        let want = s.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        UPPER_BOUNDS
            .iter()
            .find(|b| b.0.replace(['-', '/'], " ") == want.replace('/', " "))
            .ok_or_else(|| {
                let names: Vec<&str> = UPPER_BOUNDS.iter().map(|b| b.0).collect();
                self.err(key, format!("{s:?}: expected one of {}", names.join(", ")))
            })
    }
}
