//! The bad-input corpus: every file under `tests/bad-inputs/` is refused with exit code 2 and the
//! exact located messages listed for it in `tests/bad-inputs/expected.txt`.
//!
//! Scenario files are planned with `kplan plan <file>`; files under `manifests/` with
//! `kplan plan -f <file> --provider aws`; files under `usage/` with `kplan rightsize
//! data/examples/web-shop.yaml --usage <file>`. A file without an expectation, or an expectation
//! without a file, fails the test.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kplan_tests::{kplan, repo_root};

fn corpus_dir() -> PathBuf {
    repo_root().join("tests").join("bad-inputs")
}

/// Every input file of the corpus, as a path relative to the corpus directory (with `/`).
fn corpus_files(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let rel_name = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if path.is_dir() {
            corpus_files(&path, &rel_name, out);
        } else if name != "expected.txt" && name != "README.md" {
            out.push(rel_name);
        }
    }
}

/// `expected.txt`: blocks of `== <file>` followed by the lines kplan must print for it.
fn expectations(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(file) = line.strip_prefix("== ") {
            assert!(!map.contains_key(file), "expected.txt lists {file} twice");
            map.insert(file.to_string(), Vec::new());
            current = Some(file.to_string());
        } else if line.trim().is_empty() || line.starts_with('#') {
            continue;
        } else {
            let file = current.as_ref().expect("an expectation line before any `== <file>` line");
            map.get_mut(file).expect("the current file").push(line.to_string());
        }
    }
    map
}

/// True when `line` names `file` and a location: `file:L:C: ` or a field path `(at …)`.
fn is_located(file: &str, line: &str) -> bool {
    let Some(rest) = line.strip_prefix(&format!("{file}:")) else { return false };
    let mut parts = rest.splitn(3, ':');
    let (l, c) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let line_col = !l.is_empty()
        && !c.is_empty()
        && l.chars().all(|ch| ch.is_ascii_digit())
        && c.chars().all(|ch| ch.is_ascii_digit());
    line_col || line.contains(" (at ")
}

#[test]
fn every_bad_input_is_refused_with_its_located_message() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    corpus_files(&dir, "", &mut files);
    let table = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let expected = expectations(&table);
    assert!(files.len() >= 50, "the corpus has {} files; it should have at least 50", files.len());

    let mut failures = Vec::new();
    for file in &files {
        if !expected.contains_key(file) {
            failures.push(format!("{file}: no expectation in expected.txt"));
        }
    }
    for file in expected.keys() {
        if !files.contains(file) {
            failures.push(format!("{file}: listed in expected.txt but not in the corpus"));
        }
    }
    let prefix = format!("{}/", dir.display());
    for (file, lines) in &expected {
        if !files.contains(file) {
            continue;
        }
        if lines.is_empty() {
            failures.push(format!("{file}: expected.txt gives no message"));
            continue;
        }
        for line in lines {
            if !is_located(file, line) {
                failures.push(format!(
                    "{file}: the expectation {line:?} names no file:line:column or field path"
                ));
            }
        }
        let path = dir.join(file);
        let path = path.to_str().expect("a UTF-8 path");
        let web_shop = repo_root().join("data/examples/web-shop.yaml");
        let (code, stdout, stderr) = if file.starts_with("manifests/") {
            kplan(&["plan", "-f", path, "--provider", "aws"])
        } else if file.starts_with("usage/") {
            kplan(&["rightsize", web_shop.to_str().expect("a UTF-8 path"), "--usage", path])
        } else {
            kplan(&["plan", path])
        };
        let stderr = stderr.replace(&prefix, "");
        if code != 2 {
            failures.push(format!(
                "{file}: exit code {code}, expected 2\nstdout:\n{stdout}\nstderr:\n{stderr}"
            ));
            continue;
        }
        if !stdout.is_empty() {
            failures.push(format!("{file}: a refused input printed to stdout:\n{stdout}"));
        }
        for line in lines {
            if !stderr.contains(line.as_str()) {
                failures.push(format!("{file}: missing\n  {line}\nin stderr:\n{stderr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n\n"));
}
