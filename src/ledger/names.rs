//! A ledger's authorities and cost centres matched to the names the budget
//! and map give them, case and Unicode form aside: "brk" is BRK, and "Ynys
//! Môn" typed with a combining accent is the budget's "Ynys Môn". Matched
//! byte for byte, they stood in rows of their own beside the budget's,
//! printed alike ("no budget" beside "no out-turn"). Each name so read is
//! said in the report's notes.

use super::LedgerTotals;
use std::collections::{BTreeMap, HashMap};

pub use crate::base::text::fold;

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
/// spelling, adding their sums to it, and says each in `totals.alike`.
pub fn match_names<'a>(
    totals: &mut LedgerTotals,
    authorities: impl Iterator<Item = &'a str>,
    centres: impl Iterator<Item = &'a str>,
) {
    let (auth, cc) = (spellings(authorities), spellings(centres));
    let to = |known: &HashMap<String, Option<&str>>, n: &str| -> Option<String> {
        match known.get(&fold(n)) {
            Some(Some(s)) if *s != n => Some(s.to_string()),
            _ => None,
        }
    };
    // (what, as written, as matched) → pence, for the notes.
    let mut said: BTreeMap<(&str, String, String), i128> = BTreeMap::new();
    let mut renamed = |key: &(String, String), pence: i128| -> (String, String) {
        let a = to(&auth, &key.0);
        let c = to(&cc, &key.1);
        if let Some(a) = &a {
            *said
                .entry(("authority", key.0.clone(), a.clone()))
                .or_default() += pence;
        }
        if let Some(c) = &c {
            *said
                .entry(("cost centre", key.1.clone(), c.clone()))
                .or_default() += pence;
        }
        (
            a.unwrap_or_else(|| key.0.clone()),
            c.unwrap_or_else(|| key.1.clone()),
        )
    };
    let old = std::mem::take(&mut totals.totals);
    for (k, p) in old {
        *totals.totals.entry(renamed(&k, p)).or_insert(0) += p;
    }
    let quiet = |k: &(String, String)| {
        let a = to(&auth, &k.0).unwrap_or_else(|| k.0.clone());
        (a, to(&cc, &k.1).unwrap_or_else(|| k.1.clone()))
    };
    for (k, v) in std::mem::take(&mut totals.sub_penny) {
        *totals.sub_penny.entry(quiet(&k)).or_default() += v;
    }
    for ((a, c, account, month), v) in std::mem::take(&mut totals.detail) {
        let (a, c) = quiet(&(a, c));
        totals
            .detail
            .entry((a, c, account, month))
            .or_default()
            .add(v);
    }
    for ((what, from, to), pence) in said {
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
        totals.alike.push(format!(
            "the ledger's {what} \"{from}\", written {how}, is read as \"{to}\", as the budget and map write it ({money})"
        ));
    }
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
