//! The what-if keys: one table that the `--help` text, the unknown-key
//! error and docs/scenario-keys.md are all made from, and that a test runs
//! through `Case::set` so that every key listed is one the parser takes.

/// One key of a what-if override. In a pattern, ITEM is a unique part of an
/// investment item's name, P a partner, YEAR a financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub pattern: &'static str,
    /// Plain English for charts and tables: {ITEM}, {P} and {YEAR} stand for
    /// the key's parts.
    pub label: &'static str,
    pub meaning: &'static str,
    /// An example value, as `--set KEY=VALUE` takes it.
    pub example: &'static str,
}

pub const KEYS: &[Key] = &[
    Key {
        pattern: "investment.ITEM.YEAR",
        label: "{ITEM}, {YEAR}",
        meaning: "one item's amount in one year",
        example: "234000",
    },
    Key {
        pattern: "investment.ITEM.scale",
        label: "{ITEM} (scale)",
        meaning: "multiply every year of one item",
        example: "1.2",
    },
    Key {
        pattern: "optimism_bias_pct",
        label: "Optimism bias (capital)",
        meaning: "uplift every investment cost by this % (Green Book optimism bias, capital; also optimism_bias.capital_pct)",
        example: "20",
    },
    Key {
        pattern: "optimism_bias.operating_pct",
        label: "Optimism bias (operating)",
        meaning: "uplift the shared service's running cost by this % (operating optimism bias)",
        example: "41",
    },
    Key {
        pattern: "optimism_bias.duration_pct",
        label: "Optimism bias (works duration)",
        meaning: "implementation longer by this % of the years before savings start (at least one): savings later",
        example: "54",
    },
    Key {
        pattern: "optimism_bias.benefits_pct",
        label: "Optimism bias (benefits)",
        meaning: "savings short by this % (benefits optimism bias)",
        example: "10",
    },
    Key {
        pattern: "prices.inflation_pct",
        label: "Inflation",
        meaning: "general inflation (GDP deflator) a year, to deflate to the price base year (real terms); −50 to 100",
        example: "2",
    },
    Key {
        pattern: "prices.costs_index_pct",
        label: "Investment cost index",
        meaning: "how investment costs rise a year (default: with inflation)",
        example: "3",
    },
    Key {
        pattern: "prices.savings_index_pct",
        label: "Savings index (pay award)",
        meaning: "how the services' costs, and so the savings, rise a year (a pay award; default: with inflation)",
        example: "4",
    },
    Key {
        pattern: "apportionment.basis",
        label: "Apportionment basis",
        meaning: "equal, baseline, population or weights",
        example: "equal",
    },
    Key {
        pattern: "apportionment.weights.P",
        label: "{P}'s weight",
        meaning: "a partner's weight (with basis weights)",
        example: "40",
    },
    Key {
        pattern: "apportionment.joins.P",
        label: "{P}'s join year",
        meaning: "the year a partner joins: it shares costs and savings from then (never: it does not join)",
        example: "2019/20",
    },
    Key {
        pattern: "population.P",
        label: "{P}'s population",
        meaning: "a partner's population (with basis population)",
        example: "150000",
    },
    Key {
        pattern: "savings.start_year",
        label: "Year savings start",
        meaning: "the first year savings are realised",
        example: "2019/20",
    },
    Key {
        pattern: "savings.realisation",
        label: "Share of savings realised",
        meaning: "share of the saving realised in every year (0.7 or 70%; at most 2)",
        example: "0.7",
    },
    Key {
        pattern: "savings.realisation.YEAR",
        label: "Share of savings realised, {YEAR}",
        meaning: "share of the saving realised in one year",
        example: "0.5",
    },
    Key {
        pattern: "savings.slip_months",
        label: "Implementation delay",
        meaning: "implementation late by this many months: the savings move later",
        example: "6",
    },
    Key {
        pattern: "savings.shared_service_cost",
        label: "Shared service cost",
        meaning: "the shared service's cost, when one total is apportioned",
        example: "500000",
    },
    Key {
        pattern: "savings.shared_service_cost.P",
        label: "{P}'s shared service cost",
        meaning: "one partner's cost of the shared service",
        example: "150000",
    },
    Key {
        pattern: "savings.baseline.P",
        label: "{P}'s baseline budget",
        meaning: "a partner's budget cost before sharing",
        example: "250000",
    },
    Key {
        pattern: "savings.already_budgeted.P",
        label: "{P}'s savings already budgeted",
        meaning: "savings already in a partner's budget",
        example: "10000",
    },
    Key {
        pattern: "savings.net_saving_per_annum",
        label: "Net saving a year",
        meaning: "the case's net saving a year, when the model gives it whole",
        example: "150000",
    },
    Key {
        pattern: "tolerance_pct",
        label: "Cost tolerance",
        meaning: "the cost tolerance above the approved case total",
        example: "15",
    },
    Key {
        pattern: "window_years",
        label: "Appraisal period (years)",
        meaning: "years of the appraisal (the investment score's window)",
        example: "10",
    },
    Key {
        pattern: "discount_rate_pct",
        label: "Discount rate",
        meaning: "the discount rate (3.5 = HM Treasury Green Book)",
        example: "6",
    },
];

/// A key in plain English ("Shared service cost", "ABC's weight",
/// "System, 2030/31"); the key itself when no pattern fits.
/// The unit of a key's values where a bare number would not say it.
pub fn unit(key: &str) -> Option<&'static str> {
    (key == "savings.slip_months").then_some("months")
}

/// A key's label and unit, for a table's row: "Implementation delay (months)".
pub fn label_with_unit(key: &str) -> String {
    match unit(key) {
        Some(u) => format!("{} ({u})", label(key)),
        None => label(key),
    }
}

/// A key's value as a person reads it: a share as a percentage (0.7 is
/// 70%), a number with its unit (6 months).
pub fn shown(key: &str, value: &str) -> String {
    let fraction = key == "savings.realisation" || key.starts_with("savings.realisation.");
    match value.parse::<rust_decimal::Decimal>() {
        Ok(d) if fraction => format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).normalize()),
        // 142,800 people, as the tables print counts.
        Ok(d) if d.abs() >= rust_decimal::Decimal::from(1000) && unit(key).is_none() => {
            let d = d.normalize();
            let body = crate::base::money::group_thousands(d, d.scale());
            if d.is_sign_negative() {
                format!("-{body}")
            } else {
                body
            }
        }
        _ => match unit(key) {
            Some(u) => format!("{value} {u}"),
            None => value.to_string(),
        },
    }
}

pub fn label(key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    for k in KEYS {
        let pat: Vec<&str> = k.pattern.split('.').collect();
        let fill = |item: &str, p: &str, year: &str| {
            k.label
                .replace("{ITEM}", item)
                .replace("{P}", p)
                .replace("{YEAR}", year)
        };
        // ITEM may itself hold dots: it is everything between the ends.
        if pat.first() == Some(&"investment")
            && parts.first() == Some(&"investment")
            && parts.len() >= 3
        {
            let (item, last) = (parts[1..parts.len() - 1].join("."), parts[parts.len() - 1]);
            match (pat[2], last) {
                ("scale", "scale") => return fill(&item, "", ""),
                ("YEAR", l) if l != "scale" => return fill(&item, "", l),
                _ => continue,
            }
        }
        if pat.len() != parts.len() {
            continue;
        }
        let (mut p, mut year) = ("", "");
        let fits = pat.iter().zip(&parts).all(|(a, b)| match *a {
            "P" => {
                p = b;
                true
            }
            "YEAR" => {
                year = b;
                true
            }
            lit => lit == *b,
        });
        if fits {
            return fill("", p, year);
        }
    }
    key.to_string()
}

/// The patterns, comma-separated: for help and error messages.
pub fn list() -> String {
    KEYS.iter()
        .map(|k| k.pattern)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keys as a Markdown table (docs/scenario-keys.md).
pub fn markdown() -> String {
    let mut s = String::from(
        "# What-if keys\n\n\
         Overrides for `costshare scenario --set KEY=VALUE`, scenario files, `--vary` and \
         `--range`. ITEM is a unique part of an investment item's name, P a partner, YEAR a \
         financial year such as 2019/20. This page is generated from `src/whatif/keys.rs` \
         (`COSTSHARE_BLESS=1 cargo test --test docs`).\n\n\
         | key | label | meaning | example |\n|---|---|---|---|\n",
    );
    for k in KEYS {
        s.push_str(&format!(
            "| `{}` | {} | {} | `{}={}` |\n",
            k.pattern, k.label, k.meaning, k.pattern, k.example
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_in_plain_english() {
        use super::label;
        assert_eq!(label("savings.shared_service_cost"), "Shared service cost");
        assert_eq!(label("apportionment.weights.ABC"), "ABC's weight");
        assert_eq!(label("investment.System.2030/31"), "System, 2030/31");
        assert_eq!(label("investment.Set-up.scale"), "Set-up (scale)");
        assert_eq!(label("savings.realisation"), "Share of savings realised");
        assert_eq!(
            label("savings.realisation.2031/32"),
            "Share of savings realised, 2031/32"
        );
        assert_eq!(label("nonsense.key"), "nonsense.key");
    }
}
