//! Small pieces of English for titles and headlines written from data.

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "three" for 3: counts of partners read as words in a sentence.
pub fn count_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// Text an XML file may hold: characters XML 1.0 forbids (control
/// characters but tab and line ends, U+FFFE, U+FFFF) become U+FFFD, so a
/// name read with one (a ledger's, a workbook's) cannot spoil a Word
/// document or a chart. Borrowed when there are none.
pub fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    match s.chars().any(bad) {
        false => std::borrow::Cow::Borrowed(s),
        true => s
            .chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into(),
    }
}

/// XML text with its five entities decoded (Word's runs, an SVG's text).
pub fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The first letter upper case.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `slug(s)`, or `fallback` for a name of no letters or digits ("&&&"
/// named a folder ending in a hyphen).
pub fn slug_or(s: &str, fallback: &str) -> String {
    let out = slug(s);
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// "North Vale DC" → "north-vale-dc": lower case words joined by
/// hyphens, for file and table names.
pub fn slug(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// A name as names are matched: in its compatibility form (NFKC: "o" and
/// a combining accent are "ô", a no-break space a space, "ＡＢＣ" ABC),
/// without zero-width characters, its spaces as one, in lower case.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        let words: Vec<&str> = s.split_ascii_whitespace().collect();
        return words.join(" ").to_ascii_lowercase();
    }
    let plain: String = s
        .nfkc()
        .filter(|c| !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'))
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    /// Names written apart only by Unicode's forms, spaces or case are one.
    #[test]
    fn names_fold_alike() {
        use super::fold;
        for (a, b) in [
            ("Ynys M\u{f4}n", "ynys mo\u{302}n"),
            ("Ynys\u{a0}M\u{f4}n", "Ynys M\u{f4}n"),
            ("\u{ff21}\u{ff22}\u{ff23}", "ABC"),
            ("A\u{200b}BC", "abc"),
            ("Tunbridge  Wells", "tunbridge wells"),
        ] {
            assert_eq!(fold(a), fold(b), "{a:?} {b:?}");
        }
        assert_ne!(fold("ABC"), fold("XYZ"));
    }

    /// A name of punctuation alone has no slug: the fallback stands in.
    #[test]
    fn slugs_never_end_a_name_with_nothing() {
        assert_eq!(
            super::slug_or("North Vale DC", "authority"),
            "north-vale-dc"
        );
        assert_eq!(super::slug_or("&&&", "authority"), "authority");
    }
}
