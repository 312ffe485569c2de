#![no_main]
//! Any bytes as a Parquet ledger: an error naming the file, or totals whose
//! keys add up to the total; never a panic or an abort.
use costshare::ledger::{self, Columns};
use libfuzzer_sys::fuzz_target;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

static HOOK: Once = Once::new();
/// Each input gets a file of its own: rewriting one path in place while the
/// reader may still map the last file made crashes that no real use can
/// (one file is never rewritten under a running costshare).
static N: AtomicU64 = AtomicU64::new(0);

fuzz_target!(|data: &[u8]| {
    // A panic inside polars on a damaged file is contained by costshare and
    // made an error; libFuzzer's hook would abort on it, so it lets those be.
    HOOK.call_once(costshare::input::import::quiet_contained_panics);
    let dir = std::env::temp_dir().join(format!("costshare-fuzz-pq-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(format!("l{}.parquet", N.fetch_add(1, Ordering::Relaxed)));
    if std::fs::write(&p, data).is_err() {
        return;
    }
    let read = ledger::read(&p, &Columns::default(), &mut |_, _| {});
    let _ = std::fs::remove_file(&p);
    if let Ok(t) = read {
        let sum: i128 = t.totals.values().sum();
        assert_eq!(sum, t.total_pence);
    }
});
