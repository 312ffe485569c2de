#![no_main]
//! Any bytes as a Parquet ledger: an error naming the file, or totals whose
//! keys add up to the total; never a panic or an abort. Read again by the
//! page reader (as if every row group were big), the same totals.
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
    let cols = Columns::default();
    let read = ledger::read(&p, &cols, &mut |_, _| {});
    // The same file read as if its groups were big: by costshare's page
    // reader when it can read it. Where both read it, they agree.
    let paged = ledger::parquet::read_by_pages(&p, &cols);
    let _ = std::fs::remove_file(&p);
    if let Ok(t) = &read {
        let sum: i128 = t.totals.values().sum();
        assert_eq!(sum, t.total_pence);
    }
    if let (Ok(a), Ok(b)) = (&read, &paged) {
        assert_eq!(
            (a.rows, a.bad, a.total_pence),
            (b.rows, b.bad, b.total_pence)
        );
        assert_eq!(a.totals, b.totals);
    }
});
