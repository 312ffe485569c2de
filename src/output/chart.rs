//! Charts for the report pack, drawn with plotters as SVG and PNG. The font
//! (DejaVu Sans) is embedded, so text renders on a machine with no system
//! fonts. Figures are converted to f64 here only to place them on a picture.

use crate::base::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// Width and height of PNG charts, in pixels.
pub const PNG_SIZE: (u32, u32) = (1400, 800);
/// SVG charts use the same proportions.
pub const SVG_SIZE: (u32, u32) = (1400, 800);

static FONTS: Once = Once::new();

fn ensure_fonts() {
    FONTS.call_once(|| {
        // Registration fails only for a corrupt font file, which is compiled in.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        );
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Bold,
            include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
        );
    });
}

/// A palette whose colours differ in lightness too, so it reads in greyscale.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(8, 48, 107),    // dark blue
    RGBColor(253, 141, 60),  // orange
    RGBColor(107, 174, 214), // light blue
    RGBColor(99, 99, 99),    // grey
    RGBColor(165, 15, 21),   // dark red
    RGBColor(198, 219, 239), // pale blue
    RGBColor(49, 130, 60),   // green
    RGBColor(254, 217, 118), // pale yellow
];

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Plot {
    /// Vertical bars by category: grouped, or stacked; an optional line
    /// series (e.g. cumulative cost), horizontal reference line (a
    /// tolerance or funding) and a marked category (break-even).
    Bars {
        categories: Vec<String>,
        series: Vec<Series>,
        stacked: bool,
        line: Option<Series>,
        hline: Option<(String, f64)>,
        mark: Option<(String, usize)>,
    },
    /// Horizontal bars, one per label, coloured by group.
    HBars {
        labels: Vec<String>,
        values: Vec<f64>,
        group: Vec<usize>,
        group_names: Vec<String>,
    },
    /// A tornado: each input's low and high effect around the base.
    Tornado {
        labels: Vec<String>,
        low: Vec<f64>,
        high: Vec<f64>,
        base: f64,
    },
    /// A histogram with marked percentiles.
    Histogram {
        values: Vec<f64>,
        bins: usize,
        markers: Vec<(String, f64)>,
    },
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
    crate::base::money::format_pounds(d, 0, crate::base::money::Negatives::Minus)
}

/// £1.2m, £250k, £900 for axis labels.
pub fn money_label(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    if a >= 1_000_000.0 {
        let s = format!("{:.2}", a / 1_000_000.0);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{sign}£{s}m")
    } else if a >= 1_000.0 {
        let s = format!("{:.1}", a / 1_000.0);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{sign}£{s}k")
    } else {
        format!("{sign}£{a:.0}")
    }
}

type DResult = std::result::Result<(), String>;

/// A drawing error as a sentence (a full disk says so), not a debug dump.
fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn range_of(vals: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in vals {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi == lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { lo }, hi + pad)
}

fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font())
}

type Area<'a, DB> = DrawingArea<DB, Shift>;
type Xy = plotters::coord::cartesian::Cartesian2d<
    plotters::coord::types::RangedCoordf64,
    plotters::coord::types::RangedCoordf64,
>;

/// A chart with money along the bottom and one labelled row per item
/// (labels drawn by `row_labels`), as the horizontal bars and tornado use.
fn horizontal<'a, DB: DrawingBackend>(
    root: &'a Area<'a, DB>,
    c: &Chart,
    title_style: FontDesc<'a>,
    lo: f64,
    hi: f64,
    n: usize,
) -> std::result::Result<ChartContext<'a, DB, Xy>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, title_style)
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(330)
        .build_cartesian_2d(lo..hi, 0f64..n as f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .y_label_formatter(&|_| String::new())
        .x_label_formatter(&|v| money_label(*v))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style(font(20))
        .axis_desc_style(font(22))
        .light_line_style(RGBColor(230, 230, 230))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Row names to the left of a horizontal chart, first row at the top.
fn row_labels<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    chart: &ChartContext<'_, DB, Xy>,
    labels: &[String],
    lo: f64,
) -> DResult {
    let n = labels.len().max(1);
    let st = font(19).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, l) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(lo, (n - 1 - i) as f64 + 0.5));
        root.draw(&Text::new(shorten(l, 34), (px - 10, py), st.clone()))
            .map_err(err)?;
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Xy>,
    pos: SeriesLabelPosition,
) -> DResult {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(font(20))
        .draw()
        .map_err(err)
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &Chart) -> DResult {
    root.fill(&WHITE).map_err(err)?;
    // Long titles shrink to fit the width rather than run off the picture.
    let (w, _) = root.dim_in_pixel();
    let chars = c.title.chars().count().max(1) as f64;
    let size = (34.0f64).min((w as f64 - 80.0) / (0.56 * chars)).max(16.0);
    let title_style = ("sans-serif", size).into_font().style(FontStyle::Bold);
    match &c.plot {
        Plot::Bars {
            categories,
            series,
            stacked,
            line,
            hline,
            mark,
        } => {
            let n = categories.len().max(1);
            let mut all: Vec<f64> = Vec::new();
            if *stacked {
                for i in 0..n {
                    let (p, m): (f64, f64) = series.iter().fold((0.0, 0.0), |(p, m), s| {
                        let v = s.values.get(i).copied().unwrap_or(0.0);
                        if v >= 0.0 { (p + v, m) } else { (p, m + v) }
                    });
                    all.push(p);
                    all.push(m);
                }
            } else {
                all.extend(series.iter().flat_map(|s| s.values.iter().copied()));
            }
            if let Some(l) = line {
                all.extend(l.values.iter().copied());
            }
            if let Some((_, h)) = hline {
                all.push(*h);
            }
            let (lo, mut hi) = range_of(all.into_iter());
            // Room above the bars for the legend, so it hides nothing.
            let entries = if series.len() > 1 || line.is_some() || hline.is_some() {
                series.len() + line.is_some() as usize + hline.is_some() as usize
            } else {
                0
            };
            hi += (hi - lo) * 0.075 * entries as f64;
            let mut chart = ChartBuilder::on(&root)
                .caption(&c.title, title_style)
                .margin(24)
                .x_label_area_size(90)
                .y_label_area_size(120)
                .build_cartesian_2d(0f64..n as f64, lo..hi)
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(0)
                .x_label_formatter(&|_| String::new())
                .y_label_formatter(&|v| money_label(*v))
                .y_desc(c.y_label.as_str())
                .x_desc(c.x_label.as_str())
                .label_style(font(20))
                .axis_desc_style(font(22))
                .light_line_style(RGBColor(230, 230, 230))
                .draw()
                .map_err(err)?;
            let k = series.len().max(1) as f64;
            let mut base_pos = vec![0.0f64; n];
            let mut base_neg = vec![0.0f64; n];
            for (si, s) in series.iter().enumerate() {
                let col = colour(si);
                let rects: Vec<Rectangle<(f64, f64)>> = s
                    .values
                    .iter()
                    .enumerate()
                    .take(n)
                    .map(|(i, &v)| {
                        let x = i as f64;
                        if *stacked {
                            let (y0, y1) = if v >= 0.0 {
                                let y0 = base_pos[i];
                                base_pos[i] += v;
                                (y0, base_pos[i])
                            } else {
                                let y0 = base_neg[i];
                                base_neg[i] += v;
                                (y0, base_neg[i])
                            };
                            Rectangle::new([(x + 0.15, y0), (x + 0.85, y1)], col.filled())
                        } else {
                            let w = 0.8 / k;
                            let x0 = x + 0.1 + w * si as f64;
                            Rectangle::new([(x0, 0.0), (x0 + w * 0.92, v)], col.filled())
                        }
                    })
                    .collect();
                let drawn = chart.draw_series(rects).map_err(err)?;
                if series.len() > 1 || line.is_some() || hline.is_some() {
                    drawn.label(s.name.clone()).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 8), (x + 18, y + 8)], col.filled())
                    });
                }
            }
            if let Some(l) = line {
                let pts: Vec<(f64, f64)> = l
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i as f64 + 0.5, *v))
                    .collect();
                let st = ShapeStyle::from(&BLACK).stroke_width(3);
                chart
                    .draw_series(LineSeries::new(pts.clone(), st))
                    .map_err(err)?
                    .label(l.name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
                chart
                    .draw_series(pts.iter().map(|p| Circle::new(*p, 6, BLACK.filled())))
                    .map_err(err)?;
            }
            if let Some((label, h)) = hline {
                let st = ShapeStyle::from(&colour(4)).stroke_width(3);
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(0.0, *h), (n as f64, *h)],
                        12,
                        8,
                        st,
                    ))
                    .map_err(err)?
                    .label(label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
            }
            if let Some((label, i)) = mark {
                let x = *i as f64 + 0.5;
                let st = ShapeStyle::from(&colour(3)).stroke_width(2);
                chart
                    .draw_series(DashedLineSeries::new(vec![(x, lo), (x, hi)], 6, 6, st))
                    .map_err(err)?;
                // The label sits beside the line, on whichever side has room.
                let (px, py) = chart.backend_coord(&(x, hi));
                let right_half = x > n as f64 * 0.6;
                let st = font(20).pos(Pos::new(
                    if right_half { HPos::Right } else { HPos::Left },
                    VPos::Top,
                ));
                let dx = if right_half { -8 } else { 8 };
                root.draw(&Text::new(label.clone(), (px + dx, py + 8), st))
                    .map_err(err)?;
            }
            // Category names under each bar group.
            let st = font(19).pos(Pos::new(HPos::Center, VPos::Top));
            for (i, cat) in categories.iter().enumerate() {
                let (px, py) = chart.backend_coord(&(i as f64 + 0.5, lo));
                root.draw(&Text::new(shorten(cat, 26), (px, py + 8), st.clone()))
                    .map_err(err)?;
            }
            if series.len() > 1 || line.is_some() || hline.is_some() {
                legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
            }
        }
        Plot::HBars {
            labels,
            values,
            group,
            group_names,
        } => {
            let n = labels.len().max(1);
            let (lo, hi) = range_of(values.iter().copied());
            let mut chart = horizontal(&root, c, title_style, lo, hi, n)?;
            for (g, gname) in group_names.iter().enumerate() {
                let col = colour(g);
                let rects: Vec<Rectangle<(f64, f64)>> = values
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| group.get(*i).copied().unwrap_or(0) == g)
                    .map(|(i, &v)| {
                        let y = (n - 1 - i) as f64;
                        Rectangle::new([(0.0, y + 0.15), (v, y + 0.85)], col.filled())
                    })
                    .collect();
                let drawn = chart.draw_series(rects).map_err(err)?;
                if group_names.len() > 1 {
                    drawn.label(gname.clone()).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 8), (x + 18, y + 8)], col.filled())
                    });
                }
            }
            row_labels(&root, &chart, labels, lo)?;
            if group_names.len() > 1 {
                legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            }
        }
        Plot::Tornado {
            labels,
            low,
            high,
            base,
        } => {
            let n = labels.len().max(1);
            let (lo, hi) = range_of(low.iter().chain(high.iter()).copied().chain([*base]));
            let mut chart = horizontal(&root, c, title_style, lo, hi, n)?;
            for (si, (name, vals)) in [
                ("Input at its low value", low),
                ("Input at its high value", high),
            ]
            .iter()
            .enumerate()
            {
                let col = colour(si);
                let rects: Vec<Rectangle<(f64, f64)>> = vals
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let y = (n - 1 - i) as f64;
                        Rectangle::new([(*base, y + 0.2), (v, y + 0.8)], col.filled())
                    })
                    .collect();
                chart
                    .draw_series(rects)
                    .map_err(err)?
                    .label(name.to_string())
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 8), (x + 18, y + 8)], col.filled())
                    });
            }
            let st = ShapeStyle::from(&BLACK).stroke_width(2);
            chart
                .draw_series(LineSeries::new(vec![(*base, 0.0), (*base, n as f64)], st))
                .map_err(err)?
                .label(format!("Base case {}", money_exact(*base)))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
            row_labels(&root, &chart, labels, lo)?;
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        Plot::Histogram {
            values,
            bins,
            markers,
        } => {
            let (mut lo, mut hi) = values
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
            if !lo.is_finite() || !hi.is_finite() || lo >= hi {
                lo = lo.min(0.0);
                hi = lo + 1.0;
            }
            let bins = (*bins).max(1);
            let w = (hi - lo) / bins as f64;
            let mut counts = vec![0usize; bins];
            for v in values {
                let b = (((v - lo) / w) as usize).min(bins - 1);
                counts[b] += 1;
            }
            let ymax = counts.iter().copied().max().unwrap_or(1) as f64 * 1.12;
            let mut chart = ChartBuilder::on(&root)
                .caption(&c.title, title_style)
                .margin(24)
                .x_label_area_size(80)
                .y_label_area_size(110)
                .build_cartesian_2d(lo..hi, 0f64..ymax)
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_label_formatter(&|v| money_label(*v))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .x_desc(c.x_label.as_str())
                .y_desc(c.y_label.as_str())
                .label_style(font(20))
                .axis_desc_style(font(22))
                .light_line_style(RGBColor(230, 230, 230))
                .draw()
                .map_err(err)?;
            let col = colour(2);
            chart
                .draw_series(counts.iter().enumerate().map(|(i, &cnt)| {
                    let x0 = lo + w * i as f64;
                    Rectangle::new([(x0, 0.0), (x0 + w * 0.95, cnt as f64)], col.filled())
                }))
                .map_err(err)?
                .label("Trials")
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 18, y + 8)], col.filled()));
            for (mi, (label, x)) in markers.iter().enumerate() {
                let st = ShapeStyle::from(&colour(if mi == 1 { 0 } else { 4 })).stroke_width(3);
                let text = format!("{label} {}", money_exact(*x));
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(*x, 0.0), (*x, ymax)],
                        10,
                        6,
                        st,
                    ))
                    .map_err(err)?
                    .label(text.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
                let (px, py) = chart.backend_coord(&(*x, ymax));
                root.draw(&Text::new(
                    label.clone(),
                    (px + 6, py + 6 + 24 * mi as i32),
                    font(20),
                ))
                .map_err(err)?;
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max - 1).collect();
        format!("{t}…")
    }
}

/// Writes charts/<name>.svg and charts/<name>.png; returns both paths.
pub fn write(c: &Chart, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    ensure_fonts();
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let svg = dir.join(format!("{}.svg", c.name));
    let png = dir.join(format!("{}.png", c.name));
    let fail = |p: &Path, m: String| Error::Table {
        place: p.display().to_string(),
        message: format!("cannot draw the chart: {m}"),
    };
    // Drawn to temporary files renamed into place when complete.
    let (svg_tmp, png_tmp) = (
        crate::base::atomic::temp_keeping_extension(&svg),
        crate::base::atomic::temp_keeping_extension(&png),
    );
    let r = draw(SVGBackend::new(&svg_tmp, SVG_SIZE).into_drawing_area(), c);
    crate::base::atomic::finish(&svg_tmp, &svg, r.is_ok())?;
    r.map_err(|m| fail(&svg, m))?;
    let r = draw(
        BitMapBackend::new(&png_tmp, PNG_SIZE).into_drawing_area(),
        c,
    );
    crate::base::atomic::finish(&png_tmp, &png, r.is_ok())?;
    r.map_err(|m| fail(&png, m))?;
    Ok((svg, png))
}

// ---- Charts of the costshare tables -------------------------------------

use crate::base::table::{Table, Value};
use rust_decimal::prelude::ToPrimitive;

fn f(v: &Value) -> f64 {
    v.figure().and_then(|d| d.to_f64()).unwrap_or(0.0)
}

fn cell(t: &Table, row: &str, col: &str) -> f64 {
    t.find(row, col).map(|c| f(&c.value)).unwrap_or(0.0)
}

fn col_idx(t: &Table, name: &str) -> Option<usize> {
    t.columns.iter().position(|c| c == name)
}

/// The charts that illustrate a table, if any.
pub fn charts_for(t: &Table, case: &str) -> Vec<Chart> {
    let mut out = Vec::new();
    match t.name.as_str() {
        "budget-breakdown" => {
            let auths: Vec<String> = t.columns[2..t.columns.len() - 1].to_vec();
            let rows: Vec<_> = t
                .rows
                .iter()
                .filter(|r| {
                    t.row_key(r).ends_with("/ Net expenditure")
                        && !t.row_key(r).starts_with("Total")
                })
                .collect();
            let categories: Vec<String> = rows
                .iter()
                .map(|r| {
                    t.row_key(r)
                        .trim_end_matches(" / Net expenditure")
                        .to_string()
                })
                .collect();
            let series = auths
                .iter()
                .enumerate()
                .map(|(ai, a)| Series {
                    name: a.clone(),
                    values: rows.iter().map(|r| f(&r.cells[2 + ai].value)).collect(),
                })
                .collect();
            out.push(Chart {
                name: "budget-breakdown".into(),
                title: "Net expenditure on shared services, 2012/13".into(),
                x_label: "Shared service".into(),
                y_label: "Net expenditure".into(),
                plot: Plot::Bars {
                    categories,
                    series,
                    stacked: false,
                    line: None,
                    hline: None,
                    mark: None,
                },
            });
        }
        "savings-programme" => {
            let mut groups: Vec<String> = Vec::new();
            let (mut labels, mut values, mut group) = (Vec::new(), Vec::new(), Vec::new());
            let annual = col_idx(t, "Annual savings 2012/13").unwrap_or(3);
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
                values.push(f(&r.cells[annual].value));
                group.push(groups.iter().position(|x| *x == g).unwrap_or(0));
            }
            out.push(Chart {
                name: "savings-by-line".into(),
                title: "Annual savings 2012/13 by line and group".into(),
                x_label: "Annual savings 2012/13".into(),
                y_label: "Savings line".into(),
                plot: Plot::HBars {
                    labels,
                    values,
                    group,
                    group_names: groups,
                },
            });
            let (c1, c2) = (
                "Cumulative savings 2012/13",
                "Cumulative savings 2013/14 (predicted)",
            );
            let gross = vec![cell(t, "Total", c1), cell(t, "Total", c2)];
            let net = vec![
                cell(t, "Net cumulative savings", c1),
                cell(t, "Net cumulative savings", c2),
            ];
            let funding = gross[0] - net[0];
            let passed = match gross.iter().position(|g| *g >= funding) {
                Some(0) => " (passed by 2012/13)",
                Some(_) => " (passed by 2013/14)",
                None => " (not yet passed)",
            };
            out.push(Chart {
                name: "cumulative-savings".into(),
                title: "Cumulative savings against MKIP funding".into(),
                x_label: "Year".into(),
                y_label: "Cumulative savings".into(),
                plot: Plot::Bars {
                    categories: vec!["2012/13".into(), "2013/14 (predicted)".into()],
                    series: vec![
                        Series {
                            name: "Cumulative savings".into(),
                            values: gross,
                        },
                        Series {
                            name: "Net of MKIP funding".into(),
                            values: net,
                        },
                    ],
                    stacked: false,
                    line: None,
                    hline: Some((
                        format!(
                            "MKIP funding and implementation costs {}: break-even{passed}",
                            money_exact(funding)
                        ),
                        funding,
                    )),
                    mark: None,
                },
            });
        }
        "investment" => {
            let years: Vec<String> = t.columns[1..t.columns.len() - 1].to_vec();
            let mut series = Vec::new();
            let mut tol = None;
            for r in &t.rows {
                let key = t.row_key(r);
                if key.starts_with("Tolerance maximum") {
                    tol = Some((key.clone(), f(&r.cells[t.columns.len() - 1].value)));
                    continue;
                }
                if r.total {
                    continue;
                }
                series.push(Series {
                    name: key,
                    values: (1..t.columns.len() - 1)
                        .map(|i| f(&r.cells[i].value))
                        .collect(),
                });
            }
            let totals: Vec<f64> = (1..t.columns.len() - 1)
                .map(|i| cell(t, "Total", &t.columns[i]))
                .collect();
            let mut cum = 0.0;
            let cumulative: Vec<f64> = totals
                .iter()
                .map(|v| {
                    cum += v;
                    cum
                })
                .collect();
            out.push(Chart {
                name: "investment-profile".into(),
                title: if tol.is_some() {
                    format!("{case}: investment by year against the tolerance")
                } else {
                    format!("{case}: investment by year")
                },
                x_label: "Financial year".into(),
                y_label: "Investment".into(),
                plot: Plot::Bars {
                    categories: years,
                    series,
                    stacked: true,
                    line: Some(Series {
                        name: "Cumulative case cost (excluding central support)".into(),
                        values: cumulative,
                    }),
                    hline: tol.map(|(k, v)| (format!("{k}: {}", money_exact(v)), v)),
                    mark: None,
                },
            });
        }
        "savings" => {
            let net = t.columns.len() - 1;
            let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
            out.push(Chart {
                name: "net-saving-by-partner".into(),
                title: format!("{case}: net saving per annum by partner"),
                x_label: "Partner".into(),
                y_label: "Net saving per annum".into(),
                plot: Plot::Bars {
                    categories: rows.iter().map(|r| t.row_key(r)).collect(),
                    series: vec![Series {
                        name: "Net saving per annum".into(),
                        values: rows.iter().map(|r| f(&r.cells[net].value)).collect(),
                    }],
                    stacked: false,
                    line: None,
                    hline: None,
                    mark: None,
                },
            });
        }
        "apportionment" => {
            let partners: Vec<String> = t.columns[1..t.columns.len() - 1].to_vec();
            out.push(Chart {
                name: "apportionment-shares".into(),
                title: format!("{case}: investment apportioned between partners"),
                x_label: "Partner".into(),
                y_label: "Share of the case cost".into(),
                plot: Plot::Bars {
                    categories: partners.clone(),
                    series: vec![Series {
                        name: "Share".into(),
                        values: partners.iter().map(|p| cell(t, "Total", p)).collect(),
                    }],
                    stacked: false,
                    line: None,
                    hline: None,
                    mark: None,
                },
            });
        }
        "score" if t.columns.first().is_some_and(|c| c == "Year") => {
            let years: Vec<_> = t
                .rows
                .iter()
                .filter(|r| !r.total && crate::base::year::Year::parse(&t.row_key(r)).is_some())
                .collect();
            let cats: Vec<String> = years.iter().map(|r| t.row_key(r)).collect();
            let net = years.iter().map(|r| f(&r.cells[3].value)).collect();
            let cumulative: Vec<f64> = years.iter().map(|r| f(&r.cells[4].value)).collect();
            let mark = cumulative
                .iter()
                .position(|v| *v >= 0.0)
                .map(|i| (format!("Payback {}", cats[i]), i));
            out.push(Chart {
                name: "cumulative-net-benefit".into(),
                title: format!("{case}: net benefit and payback over five years"),
                x_label: "Financial year".into(),
                y_label: "Net benefit (savings less costs)".into(),
                plot: Plot::Bars {
                    categories: cats,
                    series: vec![Series {
                        name: "Net benefit in the year".into(),
                        values: net,
                    }],
                    stacked: false,
                    line: Some(Series {
                        name: "Cumulative net benefit".into(),
                        values: cumulative,
                    }),
                    hline: None,
                    mark,
                },
            });
        }
        "contributions" => {
            let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
            let c = col_idx(t, "Contribution").unwrap_or(3);
            out.push(Chart {
                name: "contributions".into(),
                title: format!("{case}: contributions by partner"),
                x_label: "Partner".into(),
                y_label: "Contribution per annum".into(),
                plot: Plot::Bars {
                    categories: rows.iter().map(|r| t.row_key(r)).collect(),
                    series: vec![Series {
                        name: "Contribution".into(),
                        values: rows.iter().map(|r| f(&r.cells[c].value)).collect(),
                    }],
                    stacked: false,
                    line: None,
                    hline: None,
                    mark: None,
                },
            });
        }
        "pathfinder-budget" => {
            let c = col_idx(t, "Estimated cost").unwrap_or(5);
            let rows: Vec<_> = t
                .rows
                .iter()
                .filter(|r| !r.total && t.row_key(r).starts_with("Work streams / "))
                .collect();
            out.push(Chart {
                name: "pathfinder-costs".into(),
                title: "Pathfinder programme: estimated cost by work stream".into(),
                x_label: "Estimated cost".into(),
                y_label: "Work stream".into(),
                plot: Plot::HBars {
                    labels: rows
                        .iter()
                        .map(|r| {
                            t.row_key(r)
                                .trim_start_matches("Work streams / ")
                                .to_string()
                        })
                        .collect(),
                    values: rows.iter().map(|r| f(&r.cells[c].value)).collect(),
                    group: vec![0; rows.len()],
                    group_names: vec!["Estimated cost".into()],
                },
            });
        }
        "sensitivity" => {
            let rows: Vec<_> = t.rows.iter().filter(|r| !r.total).collect();
            let base = t.rows.first().map(|r| f(&r.cells[3].value)).unwrap_or(0.0);
            out.push(Chart {
                name: "tornado".into(),
                title: format!("{case}: sensitivity of NPV (tornado)"),
                x_label: "Net present value over five years".into(),
                y_label: "Input".into(),
                plot: Plot::Tornado {
                    labels: rows.iter().map(|r| t.row_key(r)).collect(),
                    low: rows.iter().map(|r| f(&r.cells[3].value)).collect(),
                    high: rows.iter().map(|r| f(&r.cells[4].value)).collect(),
                    base,
                },
            });
        }
        _ => {}
    }
    out
}

/// The distribution of simulated NPVs with P10/P50/P90 marked.
pub fn distribution(case: &str, npv: &[rust_decimal::Decimal]) -> Chart {
    let vals: Vec<f64> = npv.iter().map(|d| d.to_f64().unwrap_or(0.0)).collect();
    let p = |q: u32| {
        crate::whatif::simulate::percentile(npv, q)
            .and_then(|d| d.to_f64())
            .unwrap_or(0.0)
    };
    Chart {
        name: "npv-distribution".into(),
        title: format!("{case}: simulated NPV ({} trials)", npv.len()),
        x_label: "Net present value over five years".into(),
        y_label: "Number of trials".into(),
        plot: Plot::Histogram {
            values: vals,
            bins: 40,
            markers: vec![
                ("P10".into(), p(10)),
                ("P50".into(), p(50)),
                ("P90".into(), p(90)),
            ],
        },
    }
}
