#![no_main]
//! Any bytes as a CSV export: read, find the table, account for every row.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(g) = costshare::input::import::read_csv_str("fuzz.csv", &text) {
        if let Ok(r) = costshare::input::import::Records::new(&g) {
            let a = r.accounting();
            assert!(a.balances(), "{a}");
            for rec in r.iter() {
                for i in 0..rec.row.cells.len() {
                    let _ = rec.amount(i);
                }
            }
        }
    }
});
