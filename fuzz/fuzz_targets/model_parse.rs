#![no_main]
//! Any text as a model file: an error naming a key, or a model whose tables compute.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = costshare::model::Model::parse(text, std::path::Path::new("fuzz.toml")) {
        let _ = costshare::tables::tables(&m);
        if let Some(c) = costshare::whatif::scenario::Case::from_model(&m) {
            let _ = c.figures();
        }
    }
});
