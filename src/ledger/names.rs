//! A ledger's authorities and cost centres matched to the names the budget
//! and map give them, case and Unicode form aside: "brk" is BRK, and "Ynys
//! Môn" typed with a combining accent is the budget's "Ynys Môn". Matched
//! byte for byte, they stood in rows of their own beside the budget's,
//! printed alike ("no budget" beside "no out-turn"). Each name so read is
//! said in the report's notes.

use super::LedgerTotals;
use std::collections::{BTreeMap, HashMap};

use crate::base::text::fold;

/// The spelling each folded name stands for, when only one does.
fn spellings<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, Option<&'a str>> {
    let mut out: HashMap<String, Option<&'a str>> = HashMap::new();
    for n in names {
        out.entry(fold(n))
            .and_modify(|s| {
                if *s != Some(n) {
                    *s = None; // two spellings of one name: which is unknown
                }
            })
            .or_insert(Some(n));
    }
    out
}

/// Renames the ledger's authorities and cost centres that match one of
/// `authorities` or `centres` only case or Unicode form aside to that
/// spelling, adding their sums to it, and says each in `totals.alike`;
/// returns what it said.
pub fn match_names<'a>(
    totals: &mut LedgerTotals,
    authorities: impl Iterator<Item = &'a str>,
    centres: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let (auth, cc) = (spellings(authorities), spellings(centres));
    let to = |known: &HashMap<String, Option<&str>>, n: &str| -> Option<String> {
        match known.get(&fold(n)) {
            Some(Some(s)) if *s != n => Some(s.to_string()),
            _ => None,
        }
    };
    // Each (authority, cost centre) renamed, worked once: the sums of
    // pence, fractions of a penny and detail all hold the same keys.
    let mut moves: HashMap<(String, String), (String, String)> = HashMap::new();
    // (what, as written, as matched) → pence, for the notes.
    let mut said: BTreeMap<(&str, String, String), i128> = BTreeMap::new();
    for (key, &pence) in &totals.totals {
        let (a, c) = (to(&auth, &key.0), to(&cc, &key.1));
        if a.is_none() && c.is_none() {
            continue;
        }
        for (what, from, to) in [("authority", &key.0, &a), ("cost centre", &key.1, &c)] {
            if let Some(to) = to {
                *said.entry((what, from.clone(), to.clone())).or_default() += pence;
            }
        }
        let a = a.unwrap_or_else(|| key.0.clone());
        moves.insert(key.clone(), (a, c.unwrap_or_else(|| key.1.clone())));
    }
    let moved = |k: (String, String)| moves.get(&k).cloned().unwrap_or(k);
    for (k, p) in std::mem::take(&mut totals.totals) {
        *totals.totals.entry(moved(k)).or_insert(0) += p;
    }
    for (k, v) in std::mem::take(&mut totals.sub_penny) {
        *totals.sub_penny.entry(moved(k)).or_default() += v;
    }
    for ((a, c, account, month), v) in std::mem::take(&mut totals.detail) {
        let (a, c) = moved((a, c));
        totals
            .detail
            .entry((a, c, account, month))
            .or_default()
            .add(v);
    }
    let notes: Vec<String> = said
        .into_iter()
        .map(|((what, from, to), pence)| note(what, &from, &to, pence))
        .collect();
    totals.alike.extend(notes.iter().cloned());
    notes
}

/// The note for a name read as the budget's spelling.
fn note(what: &str, from: &str, to: &str, pence: i128) -> String {
    let money = crate::base::money::format_pounds(
        rust_decimal::Decimal::from_i128_with_scale(pence, 2),
        2,
        crate::base::money::Negatives::Brackets,
    );
    // Two forms of one accent look alike: the note says which differs.
    let how = match from.to_lowercase() == to.to_lowercase() {
        true => "in another case",
        false => "in another Unicode form (a letter and its accent apart)",
    };
    format!(
        "the ledger's {what} \"{from}\", written {how}, is read as \"{to}\", as the budget and map write it ({money})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name the budget spells two ways ("BRK" and "Brk") matches neither:
    /// which was meant cannot be known, so the ledger's "brk" stays as it
    /// is; a name spelt one way takes the ledger's other forms in.
    #[test]
    fn a_name_spelt_two_ways_takes_nothing_in() {
        let mut t = LedgerTotals::default();
        for (a, p) in [("brk", 200), ("CLN", 5), ("cln", 7)] {
            t.totals.insert((a.to_string(), "C1".to_string()), p);
        }
        match_names(
            &mut t,
            ["BRK", "Brk", "CLN"].into_iter(),
            ["C1"].into_iter(),
        );
        let got: BTreeMap<_, _> = t
            .totals
            .iter()
            .map(|((a, _), p)| (a.as_str(), *p))
            .collect();
        assert_eq!(got, BTreeMap::from([("brk", 200), ("CLN", 12)]));
        assert_eq!(t.alike.len(), 1, "{:?}", t.alike);
        assert!(t.alike[0].contains("\"cln\", written in another case, is read as \"CLN\""));
        assert_eq!(fold("Ynys Mo\u{302}n"), fold("YNYS M\u{d4}N"));
    }
}
