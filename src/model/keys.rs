//! Every key a model file may have, section by section: the reader refuses
//! any other (a typo is worth an error), and docs/model-reference.md
//! documents each (a test checks both).

/// The top level.
pub const TOP: &[&str] = &[
    "name",
    "source",
    "partners",
    "first_year",
    "last_year",
    "window_years",
    "tolerance_pct",
    "optimism_bias_pct",
    "optimism_bias",
    "prices",
    "true_up",
    "discount_rate_pct",
    "savings",
    "apportionment",
    "investment",
    "population",
    "contributions",
    "pathfinder",
    "published",
    "notes",
];
/// A value read from a spreadsheet: `{ file, sheet, range }` or labels.
pub const CELL_REF: &[&str] = &[
    "file",
    "sheet",
    "range",
    "aggregate",
    "unit",
    "blanks",
    "row",
    "column",
];
/// One `[[investment]]` item.
pub const INVESTMENT: &[&str] = &["item", "amounts", "funded_by", "external", "basis"];
pub const SAVINGS: &[&str] = &[
    "shared_service_cost",
    "baseline",
    "already_budgeted",
    "net_saving_per_annum",
    "start_year",
    "realisation",
    "budget_year",
];
pub const APPORTIONMENT: &[&str] = &[
    "basis",
    "weights",
    "joins",
    "drivers",
    "running_basis",
    "joining_fee",
    "leaves",
    "exit_cost",
];
/// `[true_up]`: a year's running cost trued up.
pub const TRUE_UP: &[&str] = &[
    "year",
    "budget",
    "outturn",
    "estimated",
    "actual",
    "tolerance_pct",
];
/// `[prices]`: real and nominal.
pub const PRICES: &[&str] = &[
    "base_year",
    "inflation_pct",
    "costs_index_pct",
    "savings_index_pct",
    "shown",
];
/// `[optimism_bias]`, by category.
pub const OPTIMISM: &[&str] = &[
    "project_type",
    "capital_pct",
    "operating_pct",
    "duration_pct",
    "benefits_pct",
];
pub const CONTRIBUTIONS: &[&str] = &["rate_per_head", "unspent"];
pub const PATHFINDER: &[&str] = &[
    "streams",
    "on_cost_pct",
    "management",
    "running_costs",
    "running_cost_budget_item",
];
/// One `[[pathfinder.streams]]` work stream.
pub const STREAM: &[&str] = &[
    "stream",
    "allocation",
    "estimated_cost",
    "estimated_savings",
    "programme_management",
    "detail",
];
/// One `[[pathfinder.management]]` item.
pub const MANAGEMENT: &[&str] = &["item", "amount", "annual_salary", "months"];
/// One `[[pathfinder.running_costs]]` item.
pub const RUNNING_COST: &[&str] = &["item", "amount"];
/// One `[[published]]` figure.
pub const PUBLISHED: &[&str] = &["table", "row", "column", "value", "where"];

/// Every section with its keys, as the reference documents them.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("", TOP),
    ("{ file, … }", CELL_REF),
    ("[[investment]]", INVESTMENT),
    ("[savings]", SAVINGS),
    ("[apportionment]", APPORTIONMENT),
    ("[optimism_bias]", OPTIMISM),
    ("[prices]", PRICES),
    ("[true_up]", TRUE_UP),
    ("[contributions]", CONTRIBUTIONS),
    ("[pathfinder]", PATHFINDER),
    ("[[pathfinder.streams]]", STREAM),
    ("[[pathfinder.management]]", MANAGEMENT),
    ("[[pathfinder.running_costs]]", RUNNING_COST),
    ("[[published]]", PUBLISHED),
];
