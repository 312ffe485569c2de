//! The README's examples, run: each `$ costshare …` command in a `text`
//! block is run from the project folder, and each line shown under it must
//! be a line of what it prints, in order (a line `…` stands for lines left
//! out; the Markdown tables' `|---|` rows are left out). The README had
//! drifted: an apportionment shown at 26.39% prints 26.40%.

use std::path::Path;

/// The README's examples: each command and the lines shown after it.
fn examples(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let (mut in_text, mut command) = (false, false);
    let mut lines = text.lines().peekable();
    while let Some(l) = lines.next() {
        // A block's lines before its first command belong to none.
        if l.starts_with("```") {
            in_text = l == "```text";
            command = false;
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(cmd) = l.strip_prefix("$ ") {
            let mut cmd = cmd.to_string();
            while cmd.ends_with('\\') {
                cmd.pop();
                cmd.push(' ');
                cmd.push_str(lines.next().unwrap_or_default().trim());
            }
            out.push((cmd, Vec::new()));
            command = true;
        } else if let Some((_, shown)) = out.last_mut().filter(|_| command)
            && !l.trim().is_empty()
            && !l.starts_with('…')
        {
            shown.push(l.to_string());
        }
    }
    out
}

/// Whether a printed line is the line shown, where a `…` in the shown
/// line stands for text left out.
fn shows(printed: &str, shown: &str) -> bool {
    let parts: Vec<&str> = shown.split('…').collect();
    let [first, .., last] = parts.as_slice() else {
        return printed == shown;
    };
    let mut rest = match printed.strip_prefix(first) {
        Some(r) if r.len() >= last.len() => r,
        _ => return false,
    };
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[test]
fn every_readme_example_prints_what_it_shows() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let t = tmp.display().to_string();
    let bin = env!("CARGO_BIN_EXE_costshare");
    let mut ran = 0;
    for (cmd, shown) in examples(&readme) {
        let Some(rest) = cmd.strip_prefix("costshare ") else {
            continue;
        };
        let run = format!("{bin} {rest}")
            .replace("/tmp/", &format!("{t}/"))
            .replace(" filled.docx", &format!(" {t}/filled.docx"));
        let out = std::process::Command::new("sh")
            .args(["-c", &run])
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        let printed: Vec<&str> = stdout.lines().collect();
        let mut at = 0;
        for line in &shown {
            match printed[at..].iter().position(|p| shows(p, line)) {
                Some(i) => at += i + 1,
                None => assert!(
                    stderr.lines().any(|p| shows(p, line)),
                    "`$ {cmd}` does not print, in order:\n{line}\n--- it printed:\n{stdout}{stderr}"
                ),
            }
        }
        ran += 1;
    }
    assert!(ran >= 12, "only {ran} examples found");
}
