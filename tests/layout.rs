//! The shape of the source, checked: the library's layers depend only on
//! the layers before them, no module depends on itself through others, the
//! library never parses arguments, and no function outside tests is over
//! 100 lines. A newcomer who breaks one of these learns it here, with the
//! module or function named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's layers, each a folder of src/, in the order they may use
/// one another: a layer uses only layers to its left.
const LAYERS: &[&str] = &[
    "base", "input", "model", "case", "tables", "whatif", "ledger", "output",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Library modules by path ("ledger::parquet") and their source, tests cut.
fn library() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut mods = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix("src").unwrap();
        let mut parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().to_string())
            .collect();
        if parts[0] == "bin" || parts == ["lib.rs"] {
            continue;
        }
        let last = parts.pop().unwrap();
        if last != "mod.rs" {
            parts.push(last.trim_end_matches(".rs").to_string());
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = match text.find("#[cfg(test)]") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        mods.insert(parts.join("::"), code);
    }
    mods
}

/// The modules each module names through `crate::`.
fn uses(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, code) in mods {
        let deps = g.entry(m.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let path: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            // The longest prefix that is a module is the one used.
            let used = (1..=segs.len())
                .rev()
                .map(|k| segs[..k].join("::"))
                .find(|c| mods.contains_key(c));
            if let Some(u) = used {
                let nested = m.starts_with(&format!("{u}::")) || u.starts_with(&format!("{m}::"));
                if u != *m && !nested {
                    deps.insert(u);
                }
            }
        }
    }
    g
}

#[test]
fn layers_use_only_the_layers_before_them() {
    let g = uses(&library());
    let layer = |m: &str| LAYERS.iter().position(|l| m.split("::").next() == Some(l));
    let mut wrong = Vec::new();
    for (m, deps) in &g {
        let Some(mine) = layer(m) else {
            wrong.push(format!("{m} is in no layer: put it in one of {LAYERS:?}"));
            continue;
        };
        for d in deps {
            if layer(d).is_some_and(|theirs| theirs > mine) {
                wrong.push(format!("{m} uses {d}, a later layer"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_module_depends_on_itself() {
    let g = uses(&library());
    // Depth-first search for a path back to the start.
    for start in g.keys() {
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for d in g.get(&m).into_iter().flatten() {
                if d == start {
                    panic!("module cycle: {} -> {start}", path.join(" -> "));
                }
                if seen.insert(d.clone()) {
                    let mut p = path.clone();
                    p.push(d.clone());
                    stack.push((d.clone(), p));
                }
            }
        }
    }
}

#[test]
fn the_library_parses_no_arguments() {
    for (m, code) in library() {
        assert!(
            !code.contains("clap"),
            "{m} uses clap: the command line belongs in src/bin/costshare/"
        );
    }
}

/// Lengths of the functions in `code`, by name (brace matching; strings
/// and comments with braces are rare enough in this code base not to
/// matter, and would only make a function look longer).
fn function_lengths(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        let t = t.strip_prefix("pub ").unwrap_or(t);
        let t = t.strip_prefix("pub(crate) ").unwrap_or(t);
        let t = t.strip_prefix("pub(super) ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("fn ") else {
            i += 1;
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut started, mut j) = (0i32, false, i);
        while j < lines.len() {
            for ch in lines[j].chars() {
                match ch {
                    '{' => (depth, started) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (started && depth == 0) || (!started && lines[j].trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        out.push((name, i + 1, j - i + 1));
        i = if started { j + 1 } else { i + 1 };
    }
    out
}

#[test]
fn no_function_is_over_100_lines() {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = match text.find("#[cfg(test)]") {
            Some(i) => &text[..i],
            None => &text,
        };
        for (name, line, n) in function_lengths(code) {
            if n > 100 {
                long.push(format!("{}:{line}: fn {name} is {n} lines", f.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these into named steps:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_sees_a_long_function() {
    let body = "    x += 1;\n".repeat(101);
    let code = format!("fn short() {{ }}\npub fn long() {{\n{body}}}\n");
    let got = function_lengths(&code);
    assert_eq!(got[0], ("short".to_string(), 1, 1));
    assert_eq!(got[1], ("long".to_string(), 2, 103));
}

/// Names and years of the bundled partnerships' data: the code must not
/// know them (titles, headlines and notes come from the data).
const BUNDLED: &[&str] = &[
    "MKIP",
    "Mid Kent",
    "Maidstone",
    "Swale",
    "Tunbridge",
    "MBC",
    "SBC",
    "TWBC",
    "2007/08",
    "2012/13",
    "2013/14",
    "2014/15",
    "2015/16",
    "2016/17",
    "2017/18",
    "2012_13",
    "Redundancy",
    "WLP",
    "Wessex",
    "Brackley",
    "Colnbrook",
    "Durnford",
    "Elmstead",
    "\"BRK",
    "\"CLN",
    "\"DRN",
    "\"ELM",
    "2023/24",
    "2024/25",
    "2025/26",
];

#[test]
fn the_code_names_no_bundled_partnership_council_or_year() {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = match text.find("#[cfg(test)]") {
            Some(i) => &text[..i],
            None => &text,
        };
        for (n, line) in code.lines().enumerate() {
            for b in BUNDLED {
                if line.contains(b) {
                    found.push(format!("{}:{}: {b}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
