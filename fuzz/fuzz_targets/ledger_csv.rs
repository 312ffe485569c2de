#![no_main]
//! Any bytes as a ledger CSV: read in blocks of every size (two threads,
//! guessed splits) and in one sequential pass, the results must agree
//! exactly: the same totals to the fraction of a penny, the same set-aside
//! lines by number, every record accounted for.
use costshare::ledger::{self, Columns, LedgerTotals};
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], block: usize) -> Result<LedgerTotals, String> {
    let mut r = data;
    ledger::read_csv_from(
        &mut r,
        data.len() as u64,
        "fuzz.csv",
        &Columns::default(),
        block,
        &mut |_, _| {},
        &mut |_| Ok(()),
    )
    .map_err(|e| e.to_string())
}

fuzz_target!(|data: &[u8]| {
    let whole = read(data, 1 << 30);
    for block in [1, 5, 64, 4096] {
        let part = read(data, block);
        match (&whole, &part) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.totals, b.totals, "block {block}");
                assert_eq!(a.sub_penny, b.sub_penny, "block {block}");
                assert_eq!(a.total_pence, b.total_pence, "block {block}");
                assert_eq!(a.total_sub_penny, b.total_sub_penny, "block {block}");
                let lines =
                    |t: &LedgerTotals| t.bad_lines.iter().map(|b| b.line).collect::<Vec<_>>();
                assert_eq!(lines(a), lines(b), "block {block}");
                assert_eq!(
                    (a.rows, a.blank, a.other, a.bad),
                    (b.rows, b.blank, b.other, b.bad),
                    "block {block}"
                );
                // Every pound added is in some key's total.
                let sum: i128 = a.totals.values().sum();
                assert_eq!(sum, a.total_pence);
            }
            (Err(x), Err(y)) => assert_eq!(x, y, "block {block}"),
            (x, y) => panic!("block {block}: {x:?} against {y:?}"),
        }
    }
});
