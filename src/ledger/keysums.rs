//! Sums by key for the readers' inner loops.
//!
//! A ledger has tens or hundreds of (authority, cost centre) keys and
//! millions of lines. Building each line's key as two `String`s, hashing
//! them and comparing them in a `HashMap` took a fifth of a read. Here a
//! line's key is its two fields' bytes as written (no decoding, no
//! trimming), hashed a word at a time and compared once; the fields are
//! decoded and trimmed, and the sums added by key, once per distinct byte
//! form when the stretch is done (`flush`). Two spellings of one key ("CBC"
//! and " CBC") are two entries here and one key after the flush, so the
//! totals are exactly those of adding every line by its decoded key.

use super::{LedgerAmount, LedgerTotals};
use crate::base::hash::words;
use rust_decimal::Decimal;

/// One distinct key, as its fields' bytes, and what its lines add to.
struct Entry {
    hash: u64,
    /// The authority's bytes, then the cost centre's.
    key: Box<[u8]>,
    /// Where the authority's bytes end in `key`.
    split: usize,
    pence: i128,
    sub_penny: Decimal,
    /// Some line had a fraction of a penny (its key is then listed in
    /// `LedgerTotals::sub_penny`, even if the fractions cancel).
    has_sub: bool,
}

/// Sums by the bytes of a line's authority and cost centre.
pub(crate) struct KeySums {
    /// Open addressing: 0 empty, else an index into `entries` plus one.
    slots: Vec<u32>,
    entries: Vec<Entry>,
}

impl Default for KeySums {
    fn default() -> Self {
        KeySums {
            slots: vec![0; 64],
            entries: Vec::new(),
        }
    }
}

/// The first slot to try for hash `h`.
fn slot_of(h: u64, mask: usize) -> usize {
    crate::base::hash::top(h, mask.count_ones())
}

impl KeySums {
    /// Adds line amount `a` under (authority, cost centre) as written, and
    /// counts it in `t`'s lines and totals.
    pub(crate) fn add(&mut self, t: &mut LedgerTotals, auth: &[u8], cc: &[u8], a: LedgerAmount) {
        let e = self.entry(auth, cc);
        e.pence += a.pence as i128;
        if !a.sub_penny.is_zero() {
            e.sub_penny += a.sub_penny;
            e.has_sub = true;
            t.total_sub_penny += a.sub_penny;
        }
        t.rows += 1;
        t.total_pence += a.pence as i128;
    }

    /// The entry of the key, made if new.
    fn entry(&mut self, auth: &[u8], cc: &[u8]) -> &mut Entry {
        let h = words(words(0, auth), cc);
        let mask = self.slots.len() - 1;
        let mut i = slot_of(h, mask);
        loop {
            match self.slots[i] {
                0 => break,
                s => {
                    let e = &self.entries[s as usize - 1];
                    if e.hash == h && e.key[..e.split] == *auth && e.key[e.split..] == *cc {
                        return &mut self.entries[s as usize - 1];
                    }
                }
            }
            i = (i + 1) & mask;
        }
        self.entries.push(Entry {
            hash: h,
            key: [auth, cc].concat().into(),
            split: auth.len(),
            pence: 0,
            sub_penny: Decimal::ZERO,
            has_sub: false,
        });
        self.slots[i] = self.entries.len() as u32;
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        let last = self.entries.len() - 1;
        &mut self.entries[last]
    }

    /// Twice the slots, every entry placed again.
    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        let mask = self.slots.len() - 1;
        for (n, e) in self.entries.iter().enumerate() {
            let mut i = slot_of(e.hash, mask);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = n as u32 + 1;
        }
    }

    /// Adds every entry's sums to `t` under its decoded, trimmed key (the
    /// lines and totals were counted as they came).
    pub(crate) fn flush(self, t: &mut LedgerTotals) {
        for e in self.entries {
            let (auth, cc) = e.key.split_at(e.split);
            let key = (super::field_key(auth), super::field_key(cc));
            if e.has_sub {
                *t.sub_penny.entry(key.clone()).or_default() += e.sub_penny;
            }
            *t.totals.entry(key).or_insert(0) += e.pence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn amount(pence: i64, sub: i64) -> LedgerAmount {
        LedgerAmount {
            pence,
            sub_penny: Decimal::new(sub, 5),
            float_rendering: false,
        }
    }

    proptest! {
        /// The fast sums are the plain ones: every line added by its
        /// decoded key with `LedgerTotals::add`.
        #[test]
        fn fast_sums_are_the_plain_ones(
            lines in proptest::collection::vec(
                (0usize..4, 0usize..5, -100_000i64..100_000, prop_oneof![Just(0i64), -999i64..999]),
                0..400,
            )
        ) {
            let auths: [&[u8]; 4] = [b"CBC", b" CBC ", b"\"A\"", b"\xa3X"];
            let ccs: [&[u8]; 5] = [b"C-1", b"C-1 ", b"", b"C-ICT-01-LONGER-NAME", b"\xc2\xa0C-1"];
            let (mut fast, mut plain) = (LedgerTotals::default(), LedgerTotals::default());
            let mut sums = KeySums::default();
            for &(a, c, p, s) in &lines {
                let am = amount(p, s);
                sums.add(&mut fast, auths[a], ccs[c], am);
                let key = (super::super::field_key(auths[a]), super::super::field_key(ccs[c]));
                plain.add(&key, am);
            }
            sums.flush(&mut fast);
            prop_assert_eq!(fast, plain);
        }
    }

    #[test]
    fn many_keys_grow_the_table() {
        let mut t = LedgerTotals::default();
        let mut sums = KeySums::default();
        for k in 0..1000 {
            let cc = format!("CC{k}");
            sums.add(&mut t, b"A", cc.as_bytes(), amount(k, 0));
            sums.add(&mut t, b"A", cc.as_bytes(), amount(1, 0));
        }
        sums.flush(&mut t);
        assert_eq!(t.totals.len(), 1000);
        assert_eq!(t.totals[&("A".to_string(), "CC999".to_string())], 1000);
        assert_eq!(t.rows, 2000);
    }
}
