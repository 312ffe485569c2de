//! One case per error message, as hledger keeps them: tests/errors/NAME.args
//! holds the command line, NAME.stderr the exact message. Every case must
//! exit 2, print nothing on stdout and never panic.

use assert_cmd::Command;
use std::path::Path;

#[test]
fn every_error_message_is_as_reviewed() {
    let dir = Path::new("tests/errors");
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "args"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "only {} error cases found", cases.len());
    let mut failures = Vec::new();
    for args_path in &cases {
        let args = std::fs::read_to_string(args_path).unwrap();
        let expected = std::fs::read_to_string(args_path.with_extension("stderr"))
            .unwrap_or_else(|_| panic!("{} has no .stderr", args_path.display()));
        let out = Command::cargo_bin("costshare")
            .unwrap()
            .args(args.split_whitespace())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(2) || stderr != expected || !out.stdout.is_empty() {
            failures.push(format!(
                "{}: exit {:?}\n  expected: {}  got:      {}  stdout: {:?}",
                args_path.display(),
                out.status.code(),
                expected,
                stderr,
                String::from_utf8_lossy(&out.stdout)
            ));
        }
        assert!(
            !stderr.contains("panicked"),
            "{}: panic",
            args_path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
