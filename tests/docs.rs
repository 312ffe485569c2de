//! Documents generated from the code are current, and what they list is
//! what the code takes. Regenerate with `COSTSHARE_BLESS=1 cargo test --test docs`.

use costshare::base::year::Year;
use costshare::model::Model;
use costshare::whatif::keys::{KEYS, markdown};
use costshare::whatif::scenario::Case;
use std::path::Path;

#[test]
fn the_scenario_keys_page_is_current() {
    let path = Path::new("docs/scenario-keys.md");
    if std::env::var_os("COSTSHARE_BLESS").is_some() {
        std::fs::write(path, markdown()).unwrap();
    }
    let got = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        got == markdown(),
        "docs/scenario-keys.md is not what src/whatif/keys.rs lists: COSTSHARE_BLESS=1 cargo test --test docs"
    );
}

fn case(name: &str) -> Case {
    let m = Model::load(Path::new(&format!("models/{name}.toml"))).unwrap();
    Case::from_model(&m).unwrap()
}

/// Each listed key, filled in for a case (its first item, partner and a
/// year of its window), is taken by `Case::set` on at least one bundled
/// model, and each changes the case.
#[test]
fn every_listed_key_is_one_the_parser_takes() {
    // And a case giving its net saving whole (the others work it partner
    // by partner, and refuse savings.net_saving_per_annum).
    let whole = Model::load(Path::new("models/mkip-programme.toml")).unwrap();
    let cases = [
        case("planning-support"),
        case("environmental-health"),
        Case::from_model(&whole).unwrap(),
    ];
    for k in KEYS {
        let mut errors = Vec::new();
        let taken = cases.iter().any(|base| {
            let item = base.items.first().map(|i| i.name.as_str()).unwrap_or("");
            let item = item.split_whitespace().next().unwrap_or("");
            let key = k
                .pattern
                .replace("ITEM", item)
                .replace(".P", &format!(".{}", base.partners[0].name))
                .replace("YEAR", &base.year(1).to_string());
            let value = match Year::parse(k.example) {
                Some(_) => base.year(2).to_string(),
                None => k.example.to_string(),
            };
            let mut c = base.clone();
            match c.set(&key, &value) {
                Ok(()) => c != *base,
                Err(e) => {
                    errors.push(e.to_string());
                    false
                }
            }
        });
        assert!(taken, "{}: {errors:?}", k.pattern);
    }
}

#[test]
fn an_unknown_key_lists_every_key() {
    let mut c = case("planning-support");
    let e = c.set("savings.nonsense", "1").unwrap_err().to_string();
    for k in KEYS {
        assert!(e.contains(k.pattern), "{e} lacks {}", k.pattern);
    }
}

/// Every key the model reader accepts (it refuses any other) is on the
/// reference page.
#[test]
fn every_model_key_is_documented() {
    let page = std::fs::read_to_string("docs/model-reference.md").unwrap();
    let mut missing = Vec::new();
    for (section, keys) in costshare::model::keys::SECTIONS {
        for k in *keys {
            if !page.contains(&format!("`{k}`")) {
                missing.push(format!("{section} {k}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/model-reference.md: {missing:?}"
    );
}

/// The reference names every sheet the annual report reads, and says which
/// the report needs.
#[test]
fn every_annual_report_sheet_is_documented() {
    let page = std::fs::read_to_string("docs/model-reference.md").unwrap();
    for sheet in costshare::tables::annual::SHEETS {
        assert!(page.contains(&format!("| `{sheet}` |")), "{sheet}");
    }
}
