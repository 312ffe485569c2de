// SPDX-License-Identifier: MIT
//
// Copyright 2016-2026, Johann Tuffe.

use crate::datatype::{Data, DataRef, ExcelDateTime, ExcelDateTimeType};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellFormat {
    Other,
    DateTime,
    TimeDelta,
    /// costshare patch: a number shown as a percentage (0.5 as 50%).
    Percent,
    /// costshare patch: a number shown in a currency other than pounds.
    Foreign,
    /// costshare patch: a number shown divided by 1,000 for each scaling
    /// comma (`#,##0,` shows 1312270 as 1,312; `0.0,,"m"` as 1.3m).
    Scaled(u8),
}

std::thread_local! {
    /// costshare patch: whether numbers shown as percentages or in another
    /// currency are given as the text they show (costshare's import), or as
    /// the numbers they hold (anyone else, and costshare's tests reading
    /// back the numbers it wrote).
    static SHOWN_AS_TEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// costshare patch: whether numbers are being read as the text they show.
pub(crate) fn showing_text() -> bool {
    SHOWN_AS_TEXT.with(|s| s.get())
}

/// costshare patch: the scale a cell's shown text divides its number by
/// (an ODS `number:display-factor`): 1,000 or 1,000,000 when the text,
/// read as a number, is the number over it to the text's own rounding
/// ("75" for 75000; "1.3" for 1312270), else None.
pub(crate) fn scaled_by_text(value: f64, text: &str) -> Option<u8> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '£' | ' ' | '(' | ')' | '-' | '\u{2212}'))
        .collect();
    // A suffix naming the scale ("£75k", "£1.3m", "£2bn") is no digit.
    let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '"');
    let shown: f64 = t.parse().ok()?;
    let places = t.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let half = 0.5 * 10f64.powi(-places);
    [(1u8, 1e3), (2, 1e6)].into_iter().find_map(|(k, scale)| {
        let exact = value.abs() / scale;
        (shown != 0.0 && (exact - shown).abs() <= half * 1.000_001 && (value.abs() - shown).abs() > half)
            .then_some(k)
    })
}

/// costshare patch: runs `f` with percentages and other currencies read as
/// the text they show (see `SHOWN_AS_TEXT`), on this thread.
pub fn shown_as_text<T>(f: impl FnOnce() -> T) -> T {
    let before = SHOWN_AS_TEXT.with(|s| s.replace(true));
    let out = f();
    SHOWN_AS_TEXT.with(|s| s.set(before));
    out
}

/// costshare patch: whether a custom format shows its number as a
/// percentage or not in pounds, so the number is not taken for pounds. A
/// `%` of the format's own (in its first section, not quoted or escaped)
/// shows the number a hundred times over; a quoted or escaped `%`, or a
/// currency other than pounds anywhere in the first section (a symbol,
/// quoted, escaped or bare; a locale tag `[$€-x-euro2]` or code `[$USD]`;
/// a quoted code "CHF "), shows it in another unit. `[$£-809]` and
/// `[$GBP]` are pounds. A format with conditions (`[<1]0%;#,##0`) shows
/// numbers by section: only its currencies are looked at.
fn shown_kind(format: &str) -> Option<CellFormat> {
    const SYMBOLS: [char; 13] = ['€', '$', '¥', '₹', '₽', '₩', '₺', '₪', '¢', '฿', '₦', '₱', '₫'];
    const CODES: [&str; 16] = [
        "USD", "EUR", "CHF", "JPY", "CNY", "INR", "AUD", "CAD", "NZD", "SEK", "NOK", "DKK", "PLN",
        "ZAR", "HKD", "SGD",
    ];
    let (mut plain, mut rest, mut foreign) = (String::new(), format, false);
    while let Some(i) = rest.find("[$") {
        plain.push_str(&rest[..i]);
        let tag = &rest[i + 2..];
        let end = tag.find(']').unwrap_or(tag.len());
        let symbol = tag[..end].split('-').next().unwrap_or("").trim();
        foreign |= !symbol.is_empty() && symbol != "£" && !symbol.eq_ignore_ascii_case("GBP");
        rest = tag.get(end + 1..).unwrap_or("");
    }
    plain.push_str(rest);
    let conditional = ["[<", "[>", "[="].iter().any(|c| plain.contains(c));
    let (mut quoted, mut percent, mut literal) = (false, false, false);
    // Commas after a digit placeholder with none after them scale.
    let (mut after_digit, mut commas, mut scaled) = (false, 0u8, 0u8);
    // After `\` or `*` the next character is shown as it is; after `_` it
    // is not shown at all (`_€` is a space the width of €).
    let (mut shown_next, mut skip_next) = (false, false);
    let mut words = String::new();
    for c in plain.chars() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if std::mem::take(&mut shown_next) {
            literal |= c == '%';
            foreign |= SYMBOLS.contains(&c);
            continue;
        }
        if !quoted && c != '"' {
            let digit = matches!(c, '0' | '#' | '?');
            match c {
                ',' if after_digit => commas = commas.saturating_add(1),
                _ if digit => commas = 0,
                _ => scaled = scaled.saturating_add(std::mem::take(&mut commas)),
            }
            after_digit = digit || c == ',' && after_digit || c == '.' && after_digit;
        }
        match (c, quoted) {
            ('"', _) => {
                quoted = !quoted;
                words.push(' ');
            }
            (';', false) => break,
            ('%', true) => literal = true,
            ('%', false) => percent = true,
            (c, _) if SYMBOLS.contains(&c) => foreign = true,
            ('\\' | '*', false) => shown_next = true,
            ('_', false) => skip_next = true,
            (c, true) => words.push(c),
            _ => (),
        }
    }
    foreign |= words
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| CODES.contains(&w));
    let scaled = scaled.saturating_add(commas);
    match (percent && !conditional, foreign || literal) {
        (true, false) => Some(CellFormat::Percent),
        (_, true) => Some(CellFormat::Foreign),
        _ if scaled > 0 && !conditional => Some(CellFormat::Scaled(scaled)),
        _ => None,
    }
}

/// Check excel number format is datetime
pub fn detect_custom_number_format(format: &str) -> CellFormat {
    if let Some(kind) = shown_kind(format) {
        return kind;
    }
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false, // if escaped, ignore
            // `\` escapes, `_` skips width, `*` fills; the next char is always a literal, not a format token.
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other, // first format only
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return CellFormat::TimeDelta, // if closing
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime
            }
            _ => {
                if hms && s.eq_ignore_ascii_case(&prev) {
                    // ok ...
                } else {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

pub fn builtin_format_by_id(id: &str) -> CellFormat {
    match id {
        // mm-dd-yy
        "14" |
        // d-mmm-yy
        "15" |
        // d-mmm
        "16" |
        // mmm-yy
        "17" |
        // h:mm AM/PM
        "18" |
        // h:mm:ss AM/PM
        "19" |
        // h:mm
        "20" |
        // h:mm:ss
        "21" |
        // m/d/yy h:mm
        "22" |
        // mm:ss
        "45" |
        // mmss.0
        "47" => CellFormat::DateTime,
        // East Asian built-in formats vary by locale and include dates and
        // clock times. Both use DateTime, rather than the duration category.
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => CellFormat::DateTime,
        // [h]:mm:ss
        "46" => CellFormat::TimeDelta,
        // costshare patch: 0% and 0.00%.
        "9" | "10" => CellFormat::Percent,
        _ => CellFormat::Other
    }
}

// Get the format code string for a builtin number format id.
//
// The ids and format codes are defined in ECMA-376 section 18.8.30. Returns
// `None` for ids that are not built in, such as custom formats and the reserved and
// locale-specific formats.
pub(crate) fn builtin_format_code_by_id(id: u32) -> Option<&'static str> {
    match id {
        0 => Some("General"),
        1 => Some("0"),
        2 => Some("0.00"),
        3 => Some("#,##0"),
        4 => Some("#,##0.00"),
        9 => Some("0%"),
        10 => Some("0.00%"),
        11 => Some("0.00E+00"),
        12 => Some("# ?/?"),
        13 => Some("# ??/??"),
        14 => Some("mm-dd-yy"),
        15 => Some("d-mmm-yy"),
        16 => Some("d-mmm"),
        17 => Some("mmm-yy"),
        18 => Some("h:mm AM/PM"),
        19 => Some("h:mm:ss AM/PM"),
        20 => Some("h:mm"),
        21 => Some("h:mm:ss"),
        22 => Some("m/d/yy h:mm"),
        37 => Some("#,##0 ;(#,##0)"),
        38 => Some("#,##0 ;[Red](#,##0)"),
        39 => Some("#,##0.00;(#,##0.00)"),
        40 => Some("#,##0.00;[Red](#,##0.00)"),
        41 => Some("_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)"),
        42 => Some("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)"),
        43 => Some("_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)"),
        44 => Some("_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)"),
        45 => Some("mm:ss"),
        46 => Some("[h]:mm:ss"),
        47 => Some("mmss.0"),
        48 => Some("##0.0E+0"),
        49 => Some("@"),
        _ => None,
    }
}

/// Check if code corresponds to builtin date format
///
/// See `builtin_format_by_id`
pub fn builtin_format_by_code(code: u16) -> CellFormat {
    match code {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => CellFormat::DateTime,
        46 => CellFormat::TimeDelta,
        9 | 10 => CellFormat::Percent,
        _ => CellFormat::Other,
    }
}

// Convert an i64 to a date if the cell format is a date or time format.
#[inline]
pub fn format_excel_i64_ref(
    value: i64,
    format: Option<&CellFormat>,
    is_1904: bool,
) -> DataRef<'static> {
    match format {
        Some(
            CellFormat::DateTime
            | CellFormat::TimeDelta
            | CellFormat::Percent
            | CellFormat::Foreign
            | CellFormat::Scaled(_),
        ) => format_excel_f64_ref(value as f64, format, is_1904),
        _ => DataRef::Int(value),
    }
}

// Convert an i64 to a date if the cell format is a date or time format.
pub fn format_excel_i64(value: i64, format: Option<&CellFormat>, is_1904: bool) -> Data {
    format_excel_i64_ref(value, format, is_1904).into()
}

// Convert an f64 to a date if the cell format is a date or time format.
#[inline]
pub fn format_excel_f64_ref(
    value: f64,
    format: Option<&CellFormat>,
    is_1904: bool,
) -> DataRef<'static> {
    match format {
        Some(CellFormat::DateTime) => DataRef::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            is_1904,
        )),
        Some(CellFormat::TimeDelta) => DataRef::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::TimeDelta,
            is_1904,
        )),
        // costshare patch: the text it shows, so it is not read as pounds.
        Some(CellFormat::Percent) if SHOWN_AS_TEXT.with(|s| s.get()) => {
            DataRef::String(format!("{}%", (value * 1e12).round() / 1e10))
        }
        Some(CellFormat::Foreign) if SHOWN_AS_TEXT.with(|s| s.get()) => {
            DataRef::String(format!("{value} shown in another currency or unit"))
        }
        Some(CellFormat::Scaled(k)) if SHOWN_AS_TEXT.with(|s| s.get()) => {
            let unit = match k {
                1 => "thousands",
                2 => "millions",
                _ => "thousands of millions or more",
            };
            DataRef::String(format!(
                "{value} shown in {unit} by its cell format"
            ))
        }
        _ => DataRef::Float(value),
    }
}

// Convert an f64 to a date if the cell format is a date or time format.
pub fn format_excel_f64(value: f64, format: Option<&CellFormat>, is_1904: bool) -> Data {
    format_excel_f64_ref(value, format, is_1904).into()
}

/// Ported from openpyxl, MIT License
/// https://foss.heptapod.net/openpyxl/openpyxl/-/blob/a5e197c530aaa49814fd1d993dd776edcec35105/openpyxl/styles/tests/test_number_style.py
#[test]
fn test_is_date_format() {
    assert_eq!(
        detect_custom_number_format("DD/MM/YY"),
        CellFormat::DateTime
    );
    assert_eq!(
        detect_custom_number_format("H:MM:SS;@"),
        CellFormat::DateTime
    );
    assert_eq!(
        detect_custom_number_format("#,##0\\ [$\\u20bd-46D]"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("m\"M\"d\"D\";@"),
        CellFormat::DateTime
    );
    assert_eq!(
        detect_custom_number_format("[h]:mm:ss"),
        CellFormat::TimeDelta
    );
    assert_eq!(
        detect_custom_number_format("\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("#,##0\\ [$''u20bd-46D]"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("\"$\"#,##0_);[Red](\"$\"#,##0)"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("[$-404]e\"\\xfc\"m\"\\xfc\"d\"\\xfc\""),
        CellFormat::DateTime
    );
    assert_eq!(
        detect_custom_number_format("0_ ;[Red]\\-0\\ "),
        CellFormat::Other
    );
    assert_eq!(detect_custom_number_format("\\Y000000"), CellFormat::Other);
    assert_eq!(
        detect_custom_number_format("#,##0.0####\" YMD\""),
        CellFormat::Other
    );
    assert_eq!(detect_custom_number_format("[h]"), CellFormat::TimeDelta);
    assert_eq!(detect_custom_number_format("[ss]"), CellFormat::TimeDelta);
    assert_eq!(
        detect_custom_number_format("[s].000"),
        CellFormat::TimeDelta
    );
    assert_eq!(detect_custom_number_format("[m]"), CellFormat::TimeDelta);
    assert_eq!(detect_custom_number_format("[mm]"), CellFormat::TimeDelta);
    assert_eq!(
        detect_custom_number_format("[Blue]\\+[h]:mm;[Red]\\-[h]:mm;[Green][h]:mm"),
        CellFormat::TimeDelta
    );
    assert_eq!(
        detect_custom_number_format("[>=100][Magenta][s].00"),
        CellFormat::TimeDelta
    );
    assert_eq!(
        detect_custom_number_format("[h]:mm;[=0]\\-"),
        CellFormat::TimeDelta
    );
    assert_eq!(
        detect_custom_number_format("[>=100][Magenta].00"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("[>=100][Magenta]General"),
        CellFormat::Other
    );
    assert_eq!(
        detect_custom_number_format("ha/p\\\\m"),
        CellFormat::DateTime
    );
    assert_eq!(
        detect_custom_number_format("#,##0.00\\ _M\"H\"_);[Red]#,##0.00\\ _M\"S\"_)"),
        CellFormat::Other
    );
    // The `*` fill operator repeats the next character to fill the cell, so
    // that character is a literal and must not be read as a date token even
    // when it happens to be one (here `y`, `d`, `m`).
    assert_eq!(detect_custom_number_format("#,##0*y"), CellFormat::Other);
    assert_eq!(detect_custom_number_format("0\"x\"*d"), CellFormat::Other);
    assert_eq!(detect_custom_number_format("*-#,##0"), CellFormat::Other);
    // A real date token after the single fill char is still detected.
    assert_eq!(
        detect_custom_number_format("*-yyyy-mm-dd"),
        CellFormat::DateTime
    );
}
