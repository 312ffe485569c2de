#![no_main]
//! Any bytes as a workbook (xlsx, xls, ods): an error or grids, never a panic
//! that escapes. A panic inside calamine is contained by costshare and made
//! an error; libFuzzer's hook would abort on it, so it is told to let those be.
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(costshare::input::import::quiet_contained_panics);
    if let Ok(grids) = costshare::input::import::read_workbook_bytes("fuzz.xlsx", data.to_vec()) {
        for g in &grids {
            if let Ok(r) = costshare::input::import::Records::new(g) {
                assert!(r.accounting().balances());
            }
        }
    }
});
