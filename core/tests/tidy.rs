//! Tidy checks: kplan-core stays pure, and every source file says what it is.
#![forbid(unsafe_code)]

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

/// The verifier shares only the scenario model with the packers: a bug in their fit rules
/// (`fit`) or in the engine (`solve`) cannot then pass the verifier too.
#[test]
fn the_verifier_does_not_use_the_packers_fit_rules() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plan/verify"), &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        if f.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let lib_part = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: Vec<&str> =
            lib_part.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        for word in ["crate::fit", "crate::solve", "super::super", ".admits("] {
            assert!(!code.iter().any(|l| l.contains(word)), "{} uses {word}", f.display());
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
                rel == "catalog/load.rs"
                    || rel == "report/csv.rs"
                    || rel == "input/usage/prometheus.rs",
                "{rel}: the csv crate is used only in catalog/load.rs, input/usage/prometheus.rs and report/csv.rs"
            );
        }
        if text.contains("hcl::") {
            assert!(
                rel == "report/export/terraform.rs",
                "{rel}: the hcl crate is used only in report/export/terraform.rs"
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

/// Every crate root of ours (libraries, binaries, integration tests, benches, fuzz targets)
/// says `#![forbid(unsafe_code)]`, on top of the workspace lint, and every package inherits the
/// workspace lints.
#[test]
fn every_crate_root_forbids_unsafe_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut roots: Vec<PathBuf> = Vec::new();
    for krate in ["core", "cli", "web", "tests"] {
        for f in ["src/lib.rs", "src/main.rs"] {
            let p = root.join(krate).join(f);
            if p.exists() {
                roots.push(p);
            }
        }
        for dir in ["src/bin", "tests", "benches"] {
            let d = root.join(krate).join(dir);
            if let Ok(entries) = std::fs::read_dir(&d) {
                roots.extend(
                    entries
                        .map(|e| e.unwrap().path())
                        .filter(|p| p.extension().is_some_and(|e| e == "rs")),
                );
            }
        }
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("[lints]\nworkspace = true"),
            "{krate}/Cargo.toml does not inherit the workspace lints"
        );
    }
    let fuzz = root.join("tests/fuzz/fuzz_targets");
    roots.extend(std::fs::read_dir(&fuzz).unwrap().map(|e| e.unwrap().path()));
    assert!(roots.len() > 20, "found only {} crate roots", roots.len());
    let missing: Vec<_> = roots
        .iter()
        .filter(|p| !std::fs::read_to_string(p).unwrap().contains("#![forbid(unsafe_code)]"))
        .collect();
    assert!(missing.is_empty(), "crate roots without #![forbid(unsafe_code)]: {missing:?}");
}
