//! Charts for the report pack, drawn with plotters as SVG and PNG. The font
//! (DejaVu Sans) is embedded, so text renders on a machine with no system
//! fonts. Figures are converted to f64 here only to place them on a picture.

use crate::base::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// Width and height of the charts (PNG and SVG alike), in pixels, before
/// a legend under the chart adds to the height.
pub const PNG_SIZE: (u32, u32) = (1400, 800);
static FONTS: Once = Once::new();

/// The embedded font, named in SVGs (whose text is also drawn as outlines,
/// for viewers without it).
const FONT: &str = "DejaVu Sans";

fn ensure_fonts() {
    FONTS.call_once(|| {
        // Registration fails only for a corrupt font file, which is compiled in.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            crate::output::svgtext::REGULAR,
        );
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, crate::output::svgtext::BOLD);
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

pub use crate::base::chart::{Bars, Chart, HBars, Histogram, Plot, Series, Tornado, money_exact};

/// £1.2m, £250k, £900 for axis labels.
/// Negatives in brackets, as the tables beside the chart write them.
pub fn money_label(v: f64) -> String {
    let a = v.abs();
    // Halves round away from zero on the figure as written (£38,550 is
    // £38.6k), not on its nearest double (38.549999…).
    let round = |x: f64, dp: u32| {
        crate::base::money::decimal_from_f64(x)
            .map(|d| {
                d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .to_string()
            })
            .unwrap_or_else(|| format!("{x:.*}", dp as usize))
    };
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let text = if a >= 1_000_000.0 {
        format!("£{}m", trim(round(a / 1_000_000.0, 2)))
    } else if a >= 1_000.0 {
        format!("£{}k", trim(round(a / 1_000.0, 1)))
    } else {
        format!("£{}", round(a, 0))
    };
    // Whatever rounds to zero is zero, not "(£0)".
    if v < 0.0 && text != "£0" {
        format!("({text})")
    } else {
        text
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

/// A value axis from `lo` to `hi` widened to whole steps of 1, 2 or 5
/// times a power of ten (about `most` - 1 of them), with the number of
/// labels that makes plotters mark every step: so an axis reaching below
/// £0 always shows a negative figure, and £0 itself, and the top of the
/// axis (over a tolerance line) is labelled.
fn ticked(lo: f64, hi: f64, most: usize) -> (f64, f64, usize) {
    let raw = (hi - lo) / most.saturating_sub(1).max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return (lo, hi, most);
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    (lo, hi, ((hi - lo) / step).round() as usize + 1)
}

/// A point of the picture (as a chart's coordinates give it) in `area`'s
/// own pixels: an area under a two-line title or over a legend strip does
/// not start at the picture's corner.
fn local<DB: DrawingBackend>(area: &Area<'_, DB>, (x, y): (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// Chart text size: at least 9 pt when the 1400-pixel picture is printed
/// at an A4 page's text width (17 cm: 26.2 pixels to 9 pt). The size given
/// to plotters is a line's height, about 1.24 times the font's em.
const TEXT: u32 = 33;

fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font())
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
    (lo, hi, labels): (f64, f64, usize),
    n: usize,
) -> std::result::Result<ChartContext<'a, DB, Xy>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, title_style)
        .margin(24)
        // Room for the last figure of the axis, centred on its tick.
        .margin_right(70)
        .x_label_area_size(100)
        .y_label_area_size(500)
        .build_cartesian_2d(lo..hi, 0f64..n as f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(labels)
        .y_label_formatter(&|_| String::new())
        .x_label_formatter(&|v| money_label(*v))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style(font(TEXT))
        .axis_desc_style(font(TEXT + 1))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
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
    let st = font(TEXT).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, l) in labels.iter().enumerate() {
        let (px, py) = local(root, chart.backend_coord(&(lo, (n - 1 - i) as f64 + 0.5)));
        // A name too long for its place takes two lines, centred on its bar.
        let lines = if l.chars().count() > 28 {
            two_lines(l)
        } else {
            vec![l.clone()]
        };
        let top = py - 17 * (lines.len() as i32 - 1);
        for (k, line) in lines.iter().enumerate() {
            let at = (px - 10, top + 34 * k as i32);
            root.draw(&Text::new(shorten(line, 28), at, st.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &Chart, source: &str) -> DResult {
    root.fill(&WHITE).map_err(err)?;
    // The source under the chart, as a published figure carries one.
    let root = if source.is_empty() {
        root
    } else {
        let h = root.dim_in_pixel().1;
        let (main, foot) = root.split_vertically(h.saturating_sub(46));
        let st = font(TEXT).color(&RGBColor(90, 90, 90));
        foot.draw(&Text::new(shorten(source, 90), (24, 4), st))
            .map_err(err)?;
        main
    };
    // Long titles shrink to fit the width, down to the text's size; longer
    // still, they take two lines above the chart.
    let (w, _) = root.dim_in_pixel();
    let fits = |t: &str| (w as f64 - 80.0) / (0.56 * t.chars().count().max(1) as f64);
    let mut size = (38.0f64).min(fits(&c.title));
    let mut root = root;
    let mut two_lines = c.clone();
    if size < TEXT as f64 {
        let words: Vec<&str> = c.title.split(' ').collect();
        let half = c.title.len() / 2;
        let mut at = 0;
        let mut split = words.len() / 2;
        for (i, wd) in words.iter().enumerate() {
            at += wd.len() + 1;
            if at >= half {
                split = i + 1;
                break;
            }
        }
        let (a, b) = (words[..split].join(" "), words[split..].join(" "));
        size = (38.0f64).min(fits(&a)).min(fits(&b)).max(TEXT as f64);
        let style = (FONT, size).into_font().style(FontStyle::Bold);
        // A margin above the first line, as the caption has.
        let (_, below) = root.split_vertically(12);
        root = below.titled(&a, style.clone()).map_err(err)?;
        two_lines.title = b;
    }
    let c = &two_lines;
    let title = (FONT, size).into_font().style(FontStyle::Bold);
    match &c.plot {
        Plot::Bars(b) => bars(&root, c, title, b)?,
        Plot::HBars(h) => hbars(&root, c, title, h)?,
        // Legends under the chart, where they cover no data.
        Plot::Tornado(t) => {
            above_legend(&root, &tornado_entries(t), |m| tornado_in(m, c, title, t))?
        }
        Plot::Histogram(h) => above_legend(&root, &histogram_entries(h), |m| {
            histogram_in(m, c, title, h)
        })?,
    }
    root.present().map_err(err)?;
    Ok(())
}

/// The value range bars must show: stacked bars reach the sum of their
/// positive (or negative) parts.
fn bars_range(b: &Bars) -> (f64, f64) {
    let n = b.categories.len().max(1);
    let mut all: Vec<f64> = Vec::new();
    if b.stacked {
        for i in 0..n {
            let (p, m): (f64, f64) = b.series.iter().fold((0.0, 0.0), |(p, m), s| {
                let v = s.values.get(i).copied().unwrap_or(0.0);
                if v >= 0.0 { (p + v, m) } else { (p, m + v) }
            });
            all.push(p);
            all.push(m);
        }
    } else {
        all.extend(b.series.iter().flat_map(|s| s.values.iter().copied()));
    }
    if let Some(l) = &b.line {
        all.extend(l.values.iter().copied());
    }
    if let Some((_, h)) = b.hline {
        all.push(h);
    }
    let (mut lo, mut hi) = range_of(all.into_iter());
    // Room over (and under) the bars for their figures.
    if bars_labelled(b) {
        let span = hi - lo;
        hi += 0.1 * span;
        if lo < 0.0 {
            lo -= 0.1 * span;
        }
    }
    (lo, hi)
}

/// A colour 45 % of the way to white: predicted figures beside actuals.
fn lighter(c: RGBColor) -> RGBColor {
    let f = |v: u8| 255 - ((255 - v as u32) * 45 / 100) as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// The legend's entries of a bar chart: name, colour, and whether a box
/// (bars), a line or a dashed line.
fn bar_entries(b: &Bars) -> Vec<(String, RGBColor, u8)> {
    let mut v: Vec<(String, RGBColor, u8)> = b
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), colour(i), 0))
        .collect();
    if b.has_predicted() {
        v.push(("Lighter bars: predicted".into(), lighter(colour(0)), 0));
    }
    if let Some(l) = &b.line {
        v.push((l.name.clone(), BLACK, 1));
    }
    if let Some((label, _)) = &b.hline {
        v.push((label.clone(), BLACK, 2));
    }
    v
}

/// Each legend entry's lines under the chart, in a column of `col_w`
/// pixels: two lines for a name too long for one (about 15 pixels a
/// character), never cut short where two lines will do.
fn legend_lines(entries: &[(String, RGBColor, u8)], col_w: i32) -> Vec<Vec<String>> {
    let fit = ((col_w - 50) / 15).max(12) as usize;
    entries
        .iter()
        .map(|(name, _, _)| {
            let lines = if name.chars().count() > fit {
                two_lines(name)
            } else {
                vec![name.clone()]
            };
            lines.iter().map(|l| shorten(l, fit)).collect()
        })
        .collect()
}

/// The top of each row of the legend under the chart, and the height of
/// the whole: a row is as tall as its taller entry.
fn legend_strip(lines: &[Vec<String>]) -> (Vec<i32>, i32) {
    let half = lines.len().div_ceil(2);
    let mut tops = Vec::with_capacity(half);
    let mut y = 8;
    for r in 0..half {
        tops.push(y);
        let most = [r, r + half]
            .iter()
            .filter_map(|&i| lines.get(i).map(Vec::len))
            .max()
            .unwrap_or(1);
        y += 40 + 34 * (most as i32 - 1);
    }
    (tops, y + 8)
}

/// A legend of many entries under the chart, in two columns, so that it
/// takes no room from the bars.
fn legend_below<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    entries: &[(String, RGBColor, u8)],
) -> DResult {
    let (w, _) = area.dim_in_pixel();
    let half = entries.len().div_ceil(2);
    let col_w = (w as i32 - 48) / 2;
    let lines = legend_lines(entries, col_w);
    let (tops, _) = legend_strip(&lines);
    for (i, (_, col, kind)) in entries.iter().enumerate() {
        let (x, y) = (48 + col_w * (i / half) as i32, tops[i % half]);
        let mid = y + 16;
        match kind {
            0 => area.draw(&Rectangle::new(
                [(x, mid - 9), (x + 22, mid + 9)],
                col.filled(),
            )),
            1 => area.draw(&PathElement::new(
                vec![(x, mid), (x + 22, mid)],
                col.stroke_width(3),
            )),
            _ => area
                .draw(&PathElement::new(
                    vec![(x, mid), (x + 9, mid)],
                    col.stroke_width(3),
                ))
                .and_then(|_| {
                    area.draw(&PathElement::new(
                        vec![(x + 13, mid), (x + 22, mid)],
                        col.stroke_width(3),
                    ))
                }),
        }
        .map_err(err)?;
        let st = font(TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        for (k, line) in lines[i].iter().enumerate() {
            let at = (x + 32, mid + 34 * k as i32);
            area.draw(&Text::new(line.clone(), at, st.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

fn bars<DB: DrawingBackend>(root: &Area<'_, DB>, c: &Chart, title: FontDesc, b: &Bars) -> DResult {
    // Any legend goes under the chart: inside, it covered bars or
    // stretched the axis far past the data to find room.
    let entries = bar_entries(b);
    if !b.has_legend() {
        return bars_in(root, c, title, b);
    }
    above_legend(root, &entries, |main| bars_in(main, c, title, b))
}

/// Draws a chart (`draw`) over a legend of `entries` under it, the legend's
/// strip as tall as its rows.
fn above_legend<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    entries: &[(String, RGBColor, u8)],
    draw: impl FnOnce(&Area<'_, DB>) -> DResult,
) -> DResult {
    let (w, h) = root.dim_in_pixel();
    let (_, strip) = legend_strip(&legend_lines(entries, (w as i32 - 48) / 2));
    let (main, foot) = root.split_vertically(h.saturating_sub(strip as u32));
    draw(&main)?;
    legend_below(&foot, entries)
}

/// The bar chart itself (its legend, if any, drawn under it by `bars`).
fn bars_in<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    c: &Chart,
    title: FontDesc,
    b: &Bars,
) -> DResult {
    let n = b.categories.len().max(1);
    let (lo, hi) = bars_range(b);
    // A label every 45 pixels or so of plot (title, axis and margins take
    // about 280): a plot squeezed by a long legend below gets fewer.
    let most = ((root.dim_in_pixel().1 as usize).saturating_sub(280) / 45).clamp(4, 10);
    let (lo, hi, labels) = ticked(lo, hi, most);
    // Room under the axis for two lines of category names only when a
    // name needs them (the plot is about 225 pixels narrower than the area).
    let slot = (root.dim_in_pixel().0 as i32 - 225) / n as i32;
    let wraps = b
        .categories
        .iter()
        .any(|cat| cat.contains(' ') && (cat.chars().count() as i32) * 15 >= slot - 12);
    let area = under_title(root, &c.title, title)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(24)
        .margin_top(0)
        .x_label_area_size(if wraps { 120 } else { 84 })
        .y_label_area_size(175)
        .build_cartesian_2d(0f64..n as f64, lo..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(labels)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| money_label(*v))
        .y_desc(c.y_label.as_str())
        .x_desc(c.x_label.as_str())
        .label_style(font(TEXT))
        .axis_desc_style(font(TEXT + 1))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    bar_series(&mut chart, b)?;
    bar_labels(root, &chart, b)?;
    if let Some(l) = &b.line {
        bars_line(&mut chart, l)?;
    }
    if let Some((label, h)) = &b.hline {
        // Black and dashed: apart from every bar's colour (a red bar beside
        // a red line read as one) and from the solid cumulative line.
        let st = ShapeStyle::from(&BLACK).stroke_width(3);
        chart
            .draw_series(
                hline_segments(b, n, *h)
                    .into_iter()
                    .flat_map(|seg| DashedLineSeries::new(seg, 12, 8, st)),
            )
            .map_err(err)?
            .label(label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], st));
    }
    if let Some(m) = &b.mark {
        bars_mark(root, &mut chart, m, n, (lo, hi))?;
    }
    // Category names under each bar group: on two lines when one would run
    // into the next (about 15 pixels a character).
    let st = font(TEXT).pos(Pos::new(HPos::Center, VPos::Top));
    let slot = chart.backend_coord(&(1.0, lo)).0 - chart.backend_coord(&(0.0, lo)).0;
    for (i, cat) in b.categories.iter().enumerate() {
        let (px, py) = local(root, chart.backend_coord(&(i as f64 + 0.5, lo)));
        let fits = |t: &str| (t.chars().count() as i32) * 15 < slot - 12;
        let lines = match cat.rfind(' ').filter(|_| !fits(cat)) {
            Some(_) => two_lines(cat),
            None => vec![cat.clone()],
        };
        for (k, line) in lines.iter().enumerate() {
            let at = (px, py + 8 + 36 * k as i32);
            root.draw(&Text::new(shorten(line, 22), at, st.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The bars themselves: side by side, or stacked up from zero (positive
/// parts up, negative parts down).
fn bar_series<DB: DrawingBackend>(chart: &mut ChartContext<'_, DB, Xy>, b: &Bars) -> DResult {
    let n = b.categories.len().max(1);
    let k = b.series.len().max(1) as f64;
    let mut base_pos = vec![0.0f64; n];
    let mut base_neg = vec![0.0f64; n];
    for (si, s) in b.series.iter().enumerate() {
        let col = colour(si);
        // Predicted figures lighter than actuals, outlined in the same colour.
        let fill = |i: usize| -> ShapeStyle {
            match b
                .categories
                .get(i)
                .is_some_and(|c| crate::base::chart::is_predicted(c))
            {
                true => lighter(col).filled(),
                false => col.filled(),
            }
        };
        let rects: Vec<Rectangle<(f64, f64)>> = s
            .values
            .iter()
            .enumerate()
            .take(n)
            .map(|(i, &v)| {
                let col = fill(i);
                let x = i as f64;
                if b.stacked {
                    let base = if v >= 0.0 {
                        &mut base_pos
                    } else {
                        &mut base_neg
                    };
                    let y0 = base[i];
                    base[i] += v;
                    Rectangle::new([(x + 0.15, y0), (x + 0.85, base[i])], col)
                } else {
                    let w = 0.8 / k;
                    let x0 = x + 0.1 + w * si as f64;
                    Rectangle::new([(x0, 0.0), (x0 + w * 0.92, v)], col)
                }
            })
            .collect();
        let drawn = chart.draw_series(rects).map_err(err)?;
        if b.has_legend() {
            drawn
                .label(s.name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 18, y + 8)], col.filled()));
        }
    }
    if b.has_predicted() {
        let light = lighter(colour(0));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label("Lighter bars: predicted")
            .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 18, y + 8)], light.filled()));
    }
    Ok(())
}

/// Each bar's figure over it, where there are few single bars: three equal
/// bars say nothing until they say how much.
fn bar_labels<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    chart: &ChartContext<'_, DB, Xy>,
    b: &Bars,
) -> DResult {
    let [s] = b.series.as_slice() else {
        return Ok(());
    };
    if !bars_labelled(b) {
        return Ok(());
    }
    let st = font(TEXT).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, &v) in s.values.iter().enumerate().take(b.categories.len()) {
        // The single bar's middle (see `bar_series`: 0.1 in, 0.8 wide);
        // the figure over a bar above £0, under one below.
        let (px, py) = local(root, chart.backend_coord(&(i as f64 + 0.1 + 0.8 * 0.46, v)));
        let y = if v >= 0.0 { py - 42 } else { py + 8 };
        root.draw(&Text::new(money_label(v), (px, y), st.clone()))
            .map_err(err)?;
    }
    Ok(())
}

/// Whether a bar chart's bars carry their figures: one series, side by
/// side, few, and no line that the figures would run into.
fn bars_labelled(b: &Bars) -> bool {
    b.series.len() == 1
        && !b.stacked
        && b.categories.len() <= 8
        && b.line.is_none()
        && b.hline.is_none()
        && b.mark.is_none()
}

/// The reference line's stretches: across the whole chart, or across one
/// series' bars only.
fn hline_segments(b: &Bars, n: usize, h: f64) -> Vec<Vec<(f64, f64)>> {
    match b.hline_over {
        None => vec![vec![(0.0, h), (n as f64, h)]],
        Some(si) => {
            let w = 0.8 / b.series.len().max(1) as f64;
            (0..n)
                .map(|i| {
                    let x0 = i as f64 + 0.1 + w * si as f64 - 0.02;
                    vec![(x0, h), (x0 + w * 0.92 + 0.04, h)]
                })
                .collect()
        }
    }
}

/// A line with a dot at each category (cumulative figures).
fn bars_line<DB: DrawingBackend>(chart: &mut ChartContext<'_, DB, Xy>, l: &Series) -> DResult {
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
    Ok(())
}

/// A dashed upright line at one category, labelled on the side with room.
fn bars_mark<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    chart: &mut ChartContext<'_, DB, Xy>,
    (label, i): &(String, usize),
    n: usize,
    (lo, hi): (f64, f64),
) -> DResult {
    let x = *i as f64 + 0.5;
    let st = ShapeStyle::from(&colour(3)).stroke_width(2);
    chart
        .draw_series(DashedLineSeries::new(vec![(x, lo), (x, hi)], 6, 6, st))
        .map_err(err)?;
    let (px, py) = local(root, chart.backend_coord(&(x, hi)));
    let right_half = x > n as f64 * 0.6;
    let st = font(TEXT).pos(Pos::new(
        if right_half { HPos::Right } else { HPos::Left },
        VPos::Top,
    ));
    let dx = if right_half { -8 } else { 8 };
    root.draw(&Text::new(label.clone(), (px + dx, py + 8), st))
        .map_err(err)
}

fn hbars<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    c: &Chart,
    title: FontDesc,
    h: &HBars,
) -> DResult {
    // Groups named in a legend under the chart, where it covers nothing.
    let entries = group_entries(h);
    if entries.len() <= 1 {
        return hbars_in(root, c, title, h);
    }
    above_legend(root, &entries, |main| hbars_in(main, c, title, h))
}

fn group_entries(h: &HBars) -> Vec<(String, RGBColor, u8)> {
    h.group_names
        .iter()
        .enumerate()
        .map(|(g, name)| (name.clone(), colour(g), 0))
        .collect()
}

/// The horizontal bars, each with its figure at its end.
fn hbars_in<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    c: &Chart,
    title: FontDesc,
    h: &HBars,
) -> DResult {
    let n = h.labels.len().max(1);
    let (mut lo, mut hi) = range_of(h.values.iter().copied());
    // Room at the bars' ends for their figures.
    let labelled = n <= 16;
    if labelled {
        let span = hi - lo;
        if h.values.iter().any(|v| *v > 0.0) {
            hi += 0.16 * span;
        }
        if h.values.iter().any(|v| *v < 0.0) {
            lo -= 0.16 * span;
        }
    }
    let (lo, hi, labels) = ticked(lo, hi, 6);
    let mut chart = horizontal(root, c, title, (lo, hi, labels), n)?;
    for g in 0..h.group_names.len().max(1) {
        let col = colour(g);
        let rects: Vec<Rectangle<(f64, f64)>> = h
            .values
            .iter()
            .enumerate()
            .filter(|(i, _)| h.group.get(*i).copied().unwrap_or(0) == g)
            .map(|(i, &v)| {
                let y = (n - 1 - i) as f64;
                Rectangle::new([(0.0, y + 0.15), (v, y + 0.85)], col.filled())
            })
            .collect();
        chart.draw_series(rects).map_err(err)?;
    }
    row_labels(root, &chart, &h.labels, lo)?;
    if labelled {
        value_labels(root, &chart, &h.values)?;
    }
    Ok(())
}

/// Each bar's figure at its end (£120k, (£208k)), so a reader need not read
/// it off the axis.
fn value_labels<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    chart: &ChartContext<'_, DB, Xy>,
    values: &[f64],
) -> DResult {
    let n = values.len();
    for (i, &v) in values.iter().enumerate() {
        let (px, py) = local(root, chart.backend_coord(&(v, (n - 1 - i) as f64 + 0.5)));
        let (h, dx) = if v >= 0.0 {
            (HPos::Left, 8)
        } else {
            (HPos::Right, -8)
        };
        let st = font(TEXT).pos(Pos::new(h, VPos::Center));
        root.draw(&Text::new(money_label(v), (px + dx, py), st))
            .map_err(err)?;
    }
    Ok(())
}

/// The tornado's legend, drawn under it: inside, it covered bars or
/// stretched the axis far past the data to find a clear corner.
fn tornado_entries(t: &Tornado) -> Vec<(String, RGBColor, u8)> {
    vec![
        ("Input at its low value".into(), colour(0), 0),
        ("Input at its high value".into(), colour(1), 0),
        (format!("Base case {}", money_exact(t.base)), BLACK, 1),
    ]
}

fn tornado_in<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    c: &Chart,
    title: FontDesc,
    t: &Tornado,
) -> DResult {
    let n = t.labels.len().max(1);
    let (lo, hi) = range_of(t.low.iter().chain(t.high.iter()).copied().chain([t.base]));
    let (lo, hi, labels) = ticked(lo, hi, 6);
    let mut chart = horizontal(root, c, title, (lo, hi, labels), n)?;
    let sides = [
        ("Input at its low value", &t.low),
        ("Input at its high value", &t.high),
    ];
    for (si, (_, vals)) in sides.iter().enumerate() {
        let col = colour(si);
        let rects: Vec<Rectangle<(f64, f64)>> = vals
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let y = (n - 1 - i) as f64;
                Rectangle::new([(t.base, y + 0.2), (v, y + 0.8)], col.filled())
            })
            .collect();
        chart.draw_series(rects).map_err(err)?;
    }
    let st = ShapeStyle::from(&BLACK).stroke_width(2);
    chart
        .draw_series(LineSeries::new(vec![(t.base, 0.0), (t.base, n as f64)], st))
        .map_err(err)?;
    row_labels(root, &chart, &t.labels, lo)
}

/// Counts per bin over the values' range.
fn bin_counts(values: &[f64], bins: usize, lines: &[(String, f64)]) -> (f64, f64, Vec<usize>) {
    let (mut lo, mut hi) = values
        .iter()
        .chain(lines.iter().map(|l| &l.1))
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if !lo.is_finite() || !hi.is_finite() || lo >= hi {
        lo = lo.min(0.0);
        hi = lo + 1.0;
    }
    // A little room either side, so a line at the edge is not hidden by it.
    let pad = (hi - lo) * 0.02;
    let (lo, hi) = (lo - pad, hi + pad);
    let w = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in values {
        let b = (((v - lo) / w) as usize).min(bins - 1);
        counts[b] += 1;
    }
    (lo, hi, counts)
}

/// The area under a chart's title, with room between them for the value
/// axis's top label (centred on the plot's top edge, it ran into a title
/// drawn as the chart's caption).
fn under_title<'a, DB: DrawingBackend>(
    root: &Area<'a, DB>,
    text: &str,
    style: FontDesc,
) -> std::result::Result<Area<'a, DB>, String> {
    Ok(root
        .margin(24, 0, 0, 0)
        .titled(text, style)
        .map_err(err)?
        .margin(22, 0, 0, 0))
}

/// The histogram's legend, drawn under it: the bars, the percentile
/// markers (dashed), the base case (solid) and break-even (dotted).
fn histogram_entries(h: &Histogram) -> Vec<(String, RGBColor, u8)> {
    let mut v = vec![("Trials".to_string(), colour(2), 0)];
    for (mi, (label, x)) in h.markers.iter().enumerate() {
        let col = colour(if mi == 1 { 0 } else { 4 });
        v.push((format!("{label} {}", money_exact(*x)), col, 2));
    }
    for (li, (label, x)) in h.lines.iter().enumerate() {
        let (col, kind) = if li == 0 { (BLACK, 1) } else { (colour(3), 2) };
        v.push((format!("{label} {}", money_exact(*x)), col, kind));
    }
    v
}

fn histogram_in<DB: DrawingBackend>(
    root: &Area<'_, DB>,
    c: &Chart,
    title: FontDesc,
    h: &Histogram,
) -> DResult {
    let bins = h.bins.max(1);
    let (lo, hi, counts) = bin_counts(&h.values, bins, &h.lines);
    let w = (hi - lo) / bins as f64;
    // The lines stop a little above the tallest bar, where they are named.
    let top = counts.iter().copied().max().unwrap_or(1) as f64 * 1.08;
    // Both axes widened to whole steps; the bins keep their own edges.
    let (ax_lo, ax_hi, labels) = ticked(lo, hi, 8);
    let (_, ymax, ylabels) = ticked(0.0, top * 1.08, 6);
    let area = under_title(root, &c.title, title)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(24)
        .margin_top(0)
        .margin_right(70)
        .x_label_area_size(110)
        .y_label_area_size(165)
        .build_cartesian_2d(ax_lo..ax_hi, 0f64..ymax)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels)
        .y_labels(ylabels)
        .x_label_formatter(&|v| money_label(*v))
        .y_label_formatter(&|v| {
            crate::base::money::group_thousands(rust_decimal::Decimal::from(v.round() as i64), 0)
        })
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style(font(TEXT))
        .axis_desc_style(font(TEXT + 1))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    let col = colour(2);
    chart
        .draw_series(counts.iter().enumerate().map(|(i, &cnt)| {
            let x0 = lo + w * i as f64;
            Rectangle::new([(x0, 0.0), (x0 + w * 0.95, cnt as f64)], col.filled())
        }))
        .map_err(err)?;
    for (mi, (label, x)) in h.markers.iter().enumerate() {
        let st = ShapeStyle::from(&colour(if mi == 1 { 0 } else { 4 })).stroke_width(3);
        chart
            .draw_series(DashedLineSeries::new(vec![(*x, 0.0), (*x, top)], 10, 6, st))
            .map_err(err)?;
        // Named at its top.
        let (px, py) = local(root, chart.backend_coord(&(*x, top)));
        root.draw(&Text::new(label.clone(), (px + 6, py), font(TEXT)))
            .map_err(err)?;
    }
    for (li, (_, x)) in h.lines.iter().enumerate() {
        let st = ShapeStyle::from(&if li == 0 { BLACK } else { colour(3) }).stroke_width(3);
        chart
            .draw_series(
                // The base case solid, break-even dotted: told apart even
                // when they stand side by side.
                DashedLineSeries::new(
                    vec![(*x, 0.0), (*x, top)],
                    if li == 0 { 1000 } else { 4 },
                    if li == 0 { 0 } else { 6 },
                    st,
                ),
            )
            .map_err(err)?;
    }
    Ok(())
}

/// A label split at the space nearest its middle.
fn two_lines(s: &str) -> Vec<String> {
    let mid = s.chars().count() / 2;
    let split = s
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .min_by_key(|i| (s[..*i].chars().count() as i64 - mid as i64).abs());
    match split {
        Some(i) => vec![s[..i].to_string(), s[i + 1..].to_string()],
        None => vec![s.to_string()],
    }
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
/// `source` is printed under the chart (empty: nothing).
/// The picture's size: 1400 × 800 pixels, taller by the legend under the
/// chart when it has one, so that the legend takes nothing from the plot.
fn picture_size(c: &Chart) -> (u32, u32) {
    let (w, h) = PNG_SIZE;
    let below = match &c.plot {
        Plot::Bars(b) if b.has_legend() => bar_entries(b),
        Plot::Histogram(h) => histogram_entries(h),
        Plot::HBars(hb) if hb.group_names.len() > 1 => group_entries(hb),
        Plot::Tornado(t) => tornado_entries(t),
        _ => return (w, h),
    };
    let (_, strip) = legend_strip(&legend_lines(&below, (w as i32 - 48) / 2));
    (w, h + strip.max(0) as u32)
}

pub fn write(c: &Chart, dir: &Path, source: &str) -> Result<(PathBuf, PathBuf)> {
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
    let r = draw(
        SVGBackend::new(&svg_tmp, picture_size(c)).into_drawing_area(),
        c,
        source,
    );
    // Its text as outlines too, so it looks the same where the font is missing.
    let r = r.and_then(|()| {
        let text = std::fs::read_to_string(&svg_tmp).map_err(|e| e.to_string())?;
        let text = crate::base::text::xml_safe(&text);
        std::fs::write(&svg_tmp, crate::output::svgtext::outlined(&text)).map_err(|e| e.to_string())
    });
    crate::base::atomic::finish(&svg_tmp, &svg, r.is_ok())?;
    r.map_err(|m| fail(&svg, m))?;
    let r = draw(
        BitMapBackend::new(&png_tmp, picture_size(c)).into_drawing_area(),
        c,
        source,
    );
    crate::base::atomic::finish(&png_tmp, &png, r.is_ok())?;
    r.map_err(|m| fail(&png, m))?;
    Ok((svg, png))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels round halves away from zero on the figure as written: £38,550
    /// is £38.6k (its double, 38.549999…, printed £38.5k), as £64,150 is
    /// £64.2k; negatives in brackets; whole thousands without ".0".
    #[test]
    fn money_labels_round_halves_up() {
        assert_eq!(money_label(38_550.0), "£38.6k");
        assert_eq!(money_label(64_150.0), "£64.2k");
        assert_eq!(money_label(-20_000.0), "(£20k)");
        assert_eq!(money_label(1_250_000.0), "£1.25m");
        assert_eq!(money_label(999.5), "£1000");
        assert_eq!(money_label(-0.4), "£0");
    }

    #[test]
    fn axes_below_zero_get_whole_steps() {
        // (£31,400) to £400,544 in about nine steps: £50,000 steps, from
        // (£50,000) to £450,000, eleven labels.
        assert_eq!(ticked(-31_400.0, 400_544.0, 10), (-50_000.0, 450_000.0, 11));
        // (£356,281) to £627,817 in about five: £200,000 steps.
        assert_eq!(ticked(-356_281.0, 627_817.0, 6), (-400_000.0, 800_000.0, 7));
    }
}
