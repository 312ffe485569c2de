//! The what-if keys: one table that the `--help` text, the unknown-key
//! error and docs/scenario-keys.md are all made from, and that a test runs
//! through `Case::set` so that every key listed is one the parser takes.

/// One key of a what-if override. In a pattern, ITEM is a unique part of an
/// investment item's name, P a partner, YEAR a financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub pattern: &'static str,
    pub meaning: &'static str,
    /// An example value, as `--set KEY=VALUE` takes it.
    pub example: &'static str,
}

pub const KEYS: &[Key] = &[
    Key {
        pattern: "investment.ITEM.YEAR",
        meaning: "one item's amount in one year",
        example: "234000",
    },
    Key {
        pattern: "investment.ITEM.scale",
        meaning: "multiply every year of one item",
        example: "1.2",
    },
    Key {
        pattern: "optimism_bias_pct",
        meaning: "uplift every investment cost by this % (Green Book optimism bias, capital; also optimism_bias.capital_pct)",
        example: "20",
    },
    Key {
        pattern: "optimism_bias.operating_pct",
        meaning: "uplift the shared service's running cost by this % (operating optimism bias)",
        example: "41",
    },
    Key {
        pattern: "optimism_bias.duration_pct",
        meaning: "implementation longer by this % of the years before savings start (at least one): savings later",
        example: "54",
    },
    Key {
        pattern: "optimism_bias.benefits_pct",
        meaning: "savings short by this % (benefits optimism bias)",
        example: "10",
    },
    Key {
        pattern: "prices.inflation_pct",
        meaning: "general inflation (GDP deflator) a year, to deflate to the price base year (real terms)",
        example: "2",
    },
    Key {
        pattern: "prices.costs_index_pct",
        meaning: "how investment costs rise a year (default: with inflation)",
        example: "3",
    },
    Key {
        pattern: "prices.savings_index_pct",
        meaning: "how the services' costs, and so the savings, rise a year (a pay award; default: with inflation)",
        example: "4",
    },
    Key {
        pattern: "apportionment.basis",
        meaning: "equal, baseline, population or weights",
        example: "equal",
    },
    Key {
        pattern: "apportionment.weights.P",
        meaning: "a partner's weight (with basis weights)",
        example: "40",
    },
    Key {
        pattern: "apportionment.joins.P",
        meaning: "the year a partner joins: it shares costs and savings from then (never: it does not join)",
        example: "2019/20",
    },
    Key {
        pattern: "population.P",
        meaning: "a partner's population (with basis population)",
        example: "150000",
    },
    Key {
        pattern: "savings.start_year",
        meaning: "the first year savings are realised",
        example: "2019/20",
    },
    Key {
        pattern: "savings.realisation",
        meaning: "share of the saving realised in every year (0.7 = 70 %)",
        example: "0.7",
    },
    Key {
        pattern: "savings.realisation.YEAR",
        meaning: "share of the saving realised in one year",
        example: "0.5",
    },
    Key {
        pattern: "savings.slip_months",
        meaning: "implementation late by this many months: the savings move later",
        example: "6",
    },
    Key {
        pattern: "savings.shared_service_cost",
        meaning: "the shared service's cost, when one total is apportioned",
        example: "500000",
    },
    Key {
        pattern: "savings.shared_service_cost.P",
        meaning: "one partner's cost of the shared service",
        example: "150000",
    },
    Key {
        pattern: "savings.baseline.P",
        meaning: "a partner's budget cost before sharing",
        example: "250000",
    },
    Key {
        pattern: "savings.already_budgeted.P",
        meaning: "savings already in a partner's budget",
        example: "10000",
    },
    Key {
        pattern: "savings.net_saving_per_annum",
        meaning: "the case's net saving a year, when the model gives it whole",
        example: "150000",
    },
    Key {
        pattern: "tolerance_pct",
        meaning: "the cost tolerance above the approved case total",
        example: "15",
    },
    Key {
        pattern: "window_years",
        meaning: "years of the appraisal (the investment score's window)",
        example: "10",
    },
    Key {
        pattern: "discount_rate_pct",
        meaning: "the discount rate (3.5 = HM Treasury Green Book)",
        example: "6",
    },
];

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
         | key | meaning | example |\n|---|---|---|\n",
    );
    for k in KEYS {
        s.push_str(&format!(
            "| `{}` | {} | `{}={}` |\n",
            k.pattern, k.meaning, k.pattern, k.example
        ));
    }
    s
}
