//! SVG chart text drawn as glyph outlines, so that a chart looks the same
//! in any viewer whether or not it has the chart's font: a Word processor,
//! a browser or a printer that lacks DejaVu Sans would otherwise substitute
//! another font, with other widths, and labels would run into each other.
//! Each text element stays in the file, transparent, so the words can still
//! be searched and copied.

use ab_glyph::{Font, FontRef, OutlineCurve, Point};
use std::fmt::Write;

/// The charts' fonts, compiled in.
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// `svg` with every `<text>` element also drawn as a path of its glyphs'
/// outlines. Text it cannot read (a malformed element) is left as it was.
pub fn outlined(svg: &str) -> String {
    let (Ok(regular), Ok(bold)) = (
        FontRef::try_from_slice(REGULAR),
        FontRef::try_from_slice(BOLD),
    ) else {
        return svg.to_string();
    };
    let mut out = String::with_capacity(svg.len() * 3);
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find("</text>") else {
            break;
        };
        let element = &tail[..end + "</text>".len()];
        match Text::parse(element) {
            Some(t) => {
                let font = if t.bold { &bold } else { &regular };
                out.push_str(&t.path(font));
                // Kept, transparent: the words stay searchable.
                out.push_str(&element.replacen("<text ", "<text fill-opacity=\"0\" ", 1));
            }
            None => out.push_str(element),
        }
        rest = &tail[element.len()..];
    }
    out.push_str(rest);
    out
}

/// What plotters writes for a piece of text.
struct Text {
    x: f32,
    y: f32,
    /// "0.76em", "0.5ex", "-0.5ex": the baseline's offset from `y`.
    dy: String,
    anchor: String,
    size: f32,
    bold: bool,
    fill: String,
    opacity: String,
    transform: Option<String>,
    words: String,
}

impl Text {
    fn parse(element: &str) -> Option<Text> {
        let open_end = element.find('>')?;
        let open = &element[..open_end];
        let attr = |name: &str| -> Option<String> {
            let key = format!(" {name}=\"");
            let at = open.find(&key)? + key.len();
            let len = open[at..].find('"')?;
            Some(open[at..at + len].to_string())
        };
        let body = &element[open_end + 1..element.len() - "</text>".len()];
        Some(Text {
            x: attr("x")?.parse().ok()?,
            y: attr("y")?.parse().ok()?,
            dy: attr("dy").unwrap_or_default(),
            anchor: attr("text-anchor").unwrap_or_else(|| "start".into()),
            size: attr("font-size")?.parse().ok()?,
            bold: attr("font-weight").is_some_and(|w| w == "bold"),
            fill: attr("fill").unwrap_or_else(|| "#000000".into()),
            opacity: attr("opacity").unwrap_or_else(|| "1".into()),
            transform: attr("transform"),
            words: crate::base::text::xml_unescape(body.trim_matches('\n')),
        })
    }

    /// The glyphs' outlines as one path, placed as a viewer would place the
    /// text: anchored at x, the baseline `dy` below y.
    fn path(&self, font: &FontRef) -> String {
        let upem = font.units_per_em().unwrap_or(2048.0);
        let s = self.size / upem;
        let ex = font
            .outline(font.glyph_id('x'))
            .map_or(0.5 * upem, |o| o.bounds.max.y)
            * s;
        let dy = match self.dy.as_str() {
            d if d.ends_with("em") => d.trim_end_matches("em").parse().unwrap_or(0.0) * self.size,
            d if d.ends_with("ex") => d.trim_end_matches("ex").parse().unwrap_or(0.0) * ex,
            _ => 0.0,
        };
        let ids: Vec<_> = self.words.chars().map(|c| font.glyph_id(c)).collect();
        let mut width = 0.0;
        for (i, id) in ids.iter().enumerate() {
            width += font.h_advance_unscaled(*id);
            if let Some(next) = ids.get(i + 1) {
                width += font.kern_unscaled(*id, *next);
            }
        }
        let left = match self.anchor.as_str() {
            "middle" => self.x - width * s / 2.0,
            "end" => self.x - width * s,
            _ => self.x,
        };
        let base = self.y + dy;
        let mut d = String::new();
        let mut pen = 0.0;
        for (i, id) in ids.iter().enumerate() {
            if let Some(o) = font.outline(*id) {
                let at = |p: Point| (left + (pen + p.x) * s, base - p.y * s);
                contours(&mut d, &o.curves, at);
            }
            pen += font.h_advance_unscaled(*id);
            if let Some(next) = ids.get(i + 1) {
                pen += font.kern_unscaled(*id, *next);
            }
        }
        let path = format!(
            "<path d=\"{d}\" fill=\"{}\" opacity=\"{}\"/>",
            self.fill, self.opacity
        );
        match &self.transform {
            Some(t) => format!("<g transform=\"{t}\">{path}</g>\n"),
            None => format!("{path}\n"),
        }
    }
}

/// A glyph's curves as path commands: a new contour wherever a curve does
/// not start where the last ended.
fn contours(d: &mut String, curves: &[OutlineCurve], at: impl Fn(Point) -> (f32, f32)) {
    let mut last: Option<Point> = None;
    let p = |d: &mut String, cmd: &str, pts: &[Point]| {
        d.push_str(cmd);
        for q in pts {
            let (x, y) = at(*q);
            let _ = write!(d, "{x:.1} {y:.1} ");
        }
    };
    for c in curves {
        let (start, end) = match c {
            OutlineCurve::Line(a, b) => (*a, *b),
            OutlineCurve::Quad(a, _, b) => (*a, *b),
            OutlineCurve::Cubic(a, _, _, b) => (*a, *b),
        };
        if last != Some(start) {
            if last.is_some() {
                d.push('Z');
            }
            p(d, "M", &[start]);
        }
        match c {
            OutlineCurve::Line(_, b) => p(d, "L", &[*b]),
            OutlineCurve::Quad(_, c1, b) => p(d, "Q", &[*c1, *b]),
            OutlineCurve::Cubic(_, c1, c2, b) => p(d, "C", &[*c1, *c2, *b]),
        }
        last = Some(end);
    }
    if last.is_some() {
        d.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (x, y) points of the first path's commands.
    fn points(svg: &str) -> Vec<(f32, f32)> {
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        d.split(|c: char| c.is_ascii_alphabetic())
            .flat_map(|seg| {
                let v: Vec<f32> = seg
                    .split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect();
                v.chunks(2).map(|p| (p[0], p[1])).collect::<Vec<_>>()
            })
            .collect()
    }

    /// A word becomes a path that starts at its anchor: "Audit" anchored at
    /// its end ends at x = 300 (its last glyph's right side, within a
    /// pixel or two of side bearing); the text stays, transparent.
    #[test]
    fn text_becomes_outlines_where_it_stood() {
        let svg = "<svg><text x=\"300\" y=\"100\" dy=\"0.76em\" text-anchor=\"end\" font-family=\"DejaVu Sans\" font-size=\"30\" opacity=\"1\" fill=\"#000000\">\nAudit &amp; Risk\n</text></svg>";
        let out = outlined(svg);
        assert!(out.contains("<path d=\"M"), "{out}");
        assert!(out.contains("<text fill-opacity=\"0\" x=\"300\""), "{out}");
        let pts = points(&out);
        let xs: Vec<f32> = pts.iter().map(|p| p.0).collect();
        let max = xs.iter().cloned().fold(f32::MIN, f32::max);
        let min = xs.iter().cloned().fold(f32::MAX, f32::min);
        assert!(max <= 300.0 && max > 296.0, "right edge {max}");
        // "Audit & Risk" at 30 px is about 180 px wide.
        assert!(min > 100.0 && min < 140.0, "left edge {min}");
        // The baseline 0.76 em below y = 100: glyphs reach from about
        // 100 (cap height) to 122.8 (the baseline).
        let ys: Vec<f32> = pts.iter().map(|p| p.1).collect();
        let bottom = ys.iter().cloned().fold(f32::MIN, f32::max);
        assert!((bottom - 122.8).abs() < 1.0, "baseline {bottom}");
    }

    #[test]
    fn malformed_text_is_left_alone() {
        let svg = "<svg><text x=\"a\">x</text><text y=\"1\">";
        assert_eq!(outlined(svg), svg);
    }
}
