//! `[true_up]`: a year's running cost charged on estimates, trued up to
//! the out-turn and actual activity at the year end.

use super::TrueUp;
use super::reader::Reader;
use crate::base::error::Result;
use toml::Value as T;

impl Reader<'_> {
    pub(super) fn true_up(&mut self, v: &T) -> Result<TrueUp> {
        let t = v
            .as_table()
            .ok_or_else(|| self.err("true_up", "expected a table: [true_up]"))?;
        self.unknown_keys(t, "true_up", super::keys::TRUE_UP)?;
        let year = self.opt_year(t, "year")?.ok_or_else(|| {
            self.err(
                "true_up.year",
                "missing; expected the year trued up, e.g. \"2031/32\"",
            )
        })?;
        let need = |r: &mut Self, key: &str, what: &str| match t.get(key) {
            Some(v) => r.nonneg(v, &format!("true_up.{key}"), what),
            None => Err(r.err(
                &format!("true_up.{key}"),
                format!("missing; expected {what}"),
            )),
        };
        let budget = need(self, "budget", "the running cost charged during the year")?;
        let outturn = need(self, "outturn", "the running cost's out-turn")?;
        let tolerance = match t.get("tolerance_pct") {
            None => None,
            Some(v) => Some(self.percent(v, "true_up.tolerance_pct", "a percentage such as 5")?),
        };
        let map = |r: &mut Self, key: &str| match t.get(key) {
            Some(v) => r.partner_map(v, &format!("true_up.{key}")),
            None => Err(r.err(
                &format!("true_up.{key}"),
                "missing; expected each partner's measure, e.g. { ABC = 1200, DEF = 800 }",
            )),
        };
        Ok(TrueUp {
            year: year.value,
            budget,
            outturn,
            estimated: map(self, "estimated")?,
            actual: map(self, "actual")?,
            tolerance,
        })
    }
}
