#![no_main]
//! Money text: parsing never panics, and what parses formats and parses back.
use costshare::base::money::{self, Amount, Negatives};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = money::parse_percent(s);
    if let Ok(Amount::Value(d)) = money::parse_amount(s) {
        for dp in [0, 2] {
            let shown = money::format_pounds(d, dp, Negatives::Brackets);
            assert_eq!(
                money::parse_amount(&shown).ok(),
                Some(Amount::Value(money::round_dp(d, dp))),
                "{s:?} shown as {shown:?}"
            );
        }
    }
});
