//! Real and nominal prices, as the Green Book asks (its guidance on
//! discounting and the treatment of inflation): a model's figures are in the
//! prices of one base year; costs and savings may rise faster or slower
//! than general inflation (a pay award above it, say); the appraisal
//! deflates to real terms (base-year prices) by the GDP deflator before
//! discounting at the real rate, or shows cash (nominal) figures discounted
//! at the equivalent nominal rate, which gives the same NPV.

use super::reader::Reader;
use super::{Fig, Prices};
use crate::base::error::Result;
use crate::base::year::Year;
use toml::Value as T;

impl Reader<'_> {
    /// `[prices]`; `first` is the model's first year (the default base).
    pub(super) fn prices(&mut self, v: &T, first: Option<Year>) -> Result<Prices> {
        let t = v
            .as_table()
            .ok_or_else(|| self.err("prices", "expected a table: [prices]"))?;
        self.unknown_keys(t, "prices", super::keys::PRICES)?;
        let base_year = match self.opt_year(t, "base_year")? {
            Some(y) => y.value,
            None => first.ok_or_else(|| {
                self.err(
                    "prices.base_year",
                    "give the price base year (or the model's first_year)",
                )
            })?,
        };
        let pct = |r: &mut Self, key: &str| -> Result<Option<Fig>> {
            let full = format!("prices.{key}");
            t.get(key).map(|v| r.rate(v, &full)).transpose()
        };
        let inflation = pct(self, "inflation_pct")?.ok_or_else(|| {
            self.err(
                "prices.inflation_pct",
                "give general inflation (the GDP deflator), e.g. 2",
            )
        })?;
        let nominal = match t.get("shown").map(|s| s.as_str()) {
            None | Some(Some("real")) => false,
            Some(Some("nominal")) => true,
            _ => {
                return Err(self.err(
                    "prices.shown",
                    "expected \"real\" (base-year prices, the Green Book's default) or \"nominal\" (cash)",
                ));
            }
        };
        Ok(Prices {
            base_year,
            inflation,
            costs_index: pct(self, "costs_index_pct")?,
            savings_index: pct(self, "savings_index_pct")?,
            nominal,
        })
    }

    /// A yearly rate: −50 % to 100 %.
    fn rate(&mut self, v: &T, key: &str) -> Result<Fig> {
        let f = self.scalar_any(v, key)?;
        let d = f.value;
        if d <= rust_decimal::Decimal::from(-50) || d > rust_decimal::Decimal::ONE_HUNDRED {
            return Err(self.err(
                key,
                format!("expected a yearly rate in % between -50 and 100, found {d}"),
            ));
        }
        Ok(f)
    }
}
