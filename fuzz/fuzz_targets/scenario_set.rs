#![no_main]
//! Any bytes as what-if overrides (`--set KEY=VALUE` lines), simulation
//! ranges (`--range`) and a scenario file: errors, never a panic or an
//! overflow, and every figure of an accepted case computes.
use costshare::model::Model;
use costshare::whatif::scenario::{self, Case};
use libfuzzer_sys::fuzz_target;

const MODEL: &str = include_str!("../../models/planning-support.toml");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let m = Model::parse(MODEL, std::path::Path::new("planning-support.toml")).unwrap();
    let base = Case::from_model(&m).unwrap();
    let mut case = base.clone();
    for line in text.lines().take(64) {
        if let Ok((k, v)) = scenario::parse_assignment(line) {
            let _ = case.set(&k, &v);
        }
        let _ = costshare::whatif::simulate::parse_range(&base, line);
    }
    let _ = case.figures();
    if let Ok(f) = scenario::parse_file(&text, "fuzz.toml") {
        for s in &f.scenarios {
            if let Ok(c) = s.apply(&base) {
                let _ = c.figures();
            }
        }
    }
});
