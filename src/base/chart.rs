//! What a chart shows, declared by the table it illustrates: plain data,
//! drawn by `output::chart`. Figures become f64 here only to be placed on
//! a picture; labels that state an amount are formatted from it exactly.

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// Vertical bars by category: grouped, or stacked; an optional line series
/// (e.g. cumulative cost), horizontal reference line (a tolerance or
/// funding) and a marked category (break-even).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bars {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub stacked: bool,
    pub line: Option<Series>,
    pub hline: Option<(String, f64)>,
    /// The reference line belongs to this series' bars only (drawn across
    /// them, not across the others).
    pub hline_over: Option<usize>,
    pub mark: Option<(String, usize)>,
}

/// A category whose figures are predicted or forecast, not actual: its
/// bars are drawn lighter, as its label says.
pub fn is_predicted(category: &str) -> bool {
    let c = category.to_lowercase();
    c.contains("predicted") || c.contains("forecast")
}

impl Bars {
    /// One series of bars, one per category.
    pub fn simple(categories: Vec<String>, name: &str, values: Vec<f64>) -> Bars {
        Bars {
            categories,
            series: vec![Series {
                name: name.into(),
                values,
            }],
            ..Bars::default()
        }
    }

    /// Whether a legend is needed: more than one thing is drawn.
    pub fn has_legend(&self) -> bool {
        self.series.len() > 1 || self.line.is_some() || self.hline.is_some() || self.has_predicted()
    }

    pub fn has_predicted(&self) -> bool {
        self.categories.iter().any(|c| is_predicted(c))
    }
}

/// Horizontal bars, one per label, coloured by group.
#[derive(Debug, Clone, PartialEq)]
pub struct HBars {
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    pub group: Vec<usize>,
    pub group_names: Vec<String>,
}

/// A tornado: each input's low and high effect around the base.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    pub labels: Vec<String>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
    pub base: f64,
}

/// A histogram with marked values (percentiles).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub values: Vec<f64>,
    pub bins: usize,
    /// Dashed lines: the percentiles.
    pub markers: Vec<(String, f64)>,
    /// Solid lines the range always includes: the base case, £0.
    pub lines: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Plot {
    Bars(Bars),
    HBars(HBars),
    Tornado(Tornado),
    Histogram(Histogram),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: charts/<name>.svg and .png.
    pub name: String,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub plot: Plot,
}

/// £215,270: exact pounds for legends.
pub fn money_exact(v: f64) -> String {
    let d = rust_decimal::Decimal::from(v.round() as i64);
    crate::base::money::format_pounds(d, 0, crate::base::money::Negatives::Brackets)
}
