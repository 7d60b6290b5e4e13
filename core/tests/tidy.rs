//! Tidy checks: kplan-core stays pure, and every source file says what it is.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn workspace_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in
        ["core/src", "core/tests", "cli/src", "cli/tests", "tests/src", "tests/tests", "web/src"]
    {
        let d = root.join(dir);
        if d.exists() {
            rust_files(&d, &mut files);
        }
    }
    files
}

#[test]
fn core_does_no_io_and_reads_no_clock() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let forbidden = [
        "std::fs",
        "std::env",
        "std::net",
        "std::process",
        "Instant::now",
        "SystemTime",
        "println!",
        "eprintln!(",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Test modules may print while debugging, but nothing in the library may.
        let lib_part = text.split("#[cfg(test)]").next().unwrap_or("");
        for word in forbidden {
            assert!(
                !lib_part.contains(word),
                "{} uses {word}: kplan-core must stay pure",
                f.display()
            );
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_doc_sentence() {
    for f in workspace_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.starts_with("//! "), "{} must start with a //! sentence", f.display());
    }
}

#[test]
fn one_dependency_one_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("serde_yaml") {
            assert!(rel.starts_with("input/"), "{rel}: the YAML crate is used only in input/");
        }
        if text.contains("good_lp") {
            assert!(rel == "solve/lp.rs", "{rel}: good_lp is used only in solve/lp.rs");
        }
        if text.contains("csv::") {
            assert!(
                rel == "catalog/load.rs" || rel == "report/csv.rs",
                "{rel}: the csv crate is used only in catalog/load.rs and report/csv.rs"
            );
        }
        if text.contains("plotters") {
            assert!(rel == "report/chart.rs", "{rel}: plotters is used only in report/chart.rs");
        }
        assert!(!text.contains("rayon"), "{rel}: the core stays single-threaded");
    }
}

#[test]
fn cli_dependencies_stay_in_their_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("indicatif") {
            assert!(rel == "progress.rs", "{rel}: indicatif is used only in cli/src/progress.rs");
        }
        if text.contains("rayon") {
            assert!(rel == "cmd/compare.rs", "{rel}: rayon is used only in cli/src/cmd/compare.rs");
        }
    }
}
