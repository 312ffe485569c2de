//! The committed reports/ are exactly what `costshare report` writes from
//! the bundled data: same files, same bytes (deterministic output). After a
//! deliberate change, bless the new output with
//!
//!     COSTSHARE_BLESS=1 cargo test --test reports
//!
//! and review the diff of reports/ before committing it.

use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_committed_reports_are_what_the_code_writes() {
    let bless = std::env::var_os("COSTSHARE_BLESS").is_some();
    let out = if bless {
        // Blessing writes afresh, so a file the code no longer writes goes.
        let _ = std::fs::remove_dir_all("reports");
        std::path::PathBuf::from("reports")
    } else {
        let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports");
        let _ = std::fs::remove_dir_all(&d);
        d
    };
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_costshare"))
        .args(["report", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    if bless {
        return;
    }
    let (want, got) = (files(Path::new("reports")), files(&out));
    let _ = std::fs::remove_dir_all(&out);
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let changed: Vec<_> = want
        .iter()
        .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && changed.is_empty(),
        "reports/ differs from what the code writes (COSTSHARE_BLESS=1 to accept):\n\
         no longer written: {missing:?}\nnew: {extra:?}\nchanged: {changed:?}"
    );
}
