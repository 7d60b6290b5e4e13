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

/// A module of kplan-core (`["report", "json"]` for `src/report/json.rs`) and the module paths
/// its library code names: `crate::a::b` paths, and `super::` paths resolved from the module.
/// Test files (`tests.rs`, `#[cfg(test)]` onwards) and comment lines do not count.
fn module_uses(rel: &str, text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut module: Vec<String> =
        rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if module.last().is_some_and(|m| m == "mod" || m == "lib") {
        module.pop();
    }
    let lib_part = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut uses = Vec::new();
    for line in lib_part.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            if line[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue; // `kplan_crate::` and the like
            }
            uses.push(path_after(&line[i + "crate::".len()..]));
        }
        let mut rest = line;
        while let Some(i) = rest.find("super::") {
            let before = &rest[..i];
            if before.ends_with("super::")
                || before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                rest = &rest[i + 7..];
                continue;
            }
            let mut tail = &rest[i..];
            let mut up = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                up += 1;
                tail = t;
            }
            if up <= module.len() {
                let mut path = module[..module.len() - up].to_vec();
                path.extend(path_after(tail));
                uses.push(path);
            }
            rest = tail;
        }
    }
    (module, uses)
}

/// The `a::b::c` module path at the start of `text` (lower-case segments only: types and
/// functions are not modules, `{` lists stop it).
fn path_after(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seg in text.split("::") {
        let name: String =
            seg.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let is_module = !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name.len() == seg.len();
        if !is_module {
            // The last segment may still be a module (`use crate::report::json;`).
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                out.push(name);
            }
            break;
        }
        out.push(name);
    }
    out
}

/// The import graphs whose loops the tidy test refuses: between the crate's top-level modules,
/// and between the direct submodules of each of them. Returns every loop found, each as the
/// modules of one strongly connected component, in order.
fn import_loops(files: &[(String, String)]) -> Vec<Vec<String>> {
    use std::collections::{BTreeMap, BTreeSet};
    // graph name → node → successors
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (rel, text) in files {
        let (module, uses) = module_uses(rel, text);
        let Some(top) = module.first() else { continue };
        for used in uses {
            let Some(used_top) = used.first() else { continue };
            if used_top != top {
                graphs
                    .entry("crate".into())
                    .or_default()
                    .entry(top.clone())
                    .or_default()
                    .insert(used_top.clone());
            } else if let (Some(a), Some(b)) = (module.get(1), used.get(1))
                && a != b
            {
                graphs
                    .entry(top.clone())
                    .or_default()
                    .entry(a.clone())
                    .or_default()
                    .insert(b.clone());
            }
        }
    }
    let mut loops = Vec::new();
    for (name, graph) in &graphs {
        for comp in strongly_connected(graph) {
            if comp.len() > 1 {
                let prefix = if name == "crate" { String::new() } else { format!("{name}::") };
                loops.push(comp.iter().map(|m| format!("{prefix}{m}")).collect());
            }
        }
    }
    loops
}

/// Tarjan's strongly connected components, each sorted, in a deterministic order.
fn strongly_connected(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Vec<String>> {
    use std::collections::BTreeMap;
    struct Walk<'a> {
        graph: &'a BTreeMap<String, std::collections::BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        if let Some(next) = w.graph.get(v) {
            for u in next {
                let u = u.as_str();
                if !w.index.contains_key(u) {
                    visit(w, u);
                    let l = w.low[v].min(w.low[u]);
                    w.low.insert(v, l);
                } else if w.stack.contains(&u) {
                    let l = w.low[v].min(w.index[u]);
                    w.low.insert(v, l);
                }
            }
        }
        if w.low[v] == w.index[v] {
            let mut comp = Vec::new();
            while let Some(u) = w.stack.pop() {
                comp.push(u.to_string());
                if u == v {
                    break;
                }
            }
            comp.sort();
            w.out.push(comp);
        }
    }
    let mut w = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.out
}

/// kplan-core's library sources as (path under `src/`, text), test files left out.
fn core_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter(|f| f.file_name().is_none_or(|n| n != "tests.rs"))
        .map(|f| {
            let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect()
}

/// No module of kplan-core imports one that imports it back, directly or around a loop: the
/// layers read bottom-up (quantity, resources, catalog … scenario, fit, solve, plan … report).
#[test]
fn no_import_loops_in_kplan_core() {
    // A ratchet: the loops still to break, each named; a loop broken must leave this list, and
    // no new one may appear. `plan` records the engine's `EngineStats` and the Karpenter
    // model's `Allocatable`, both defined under `solve`, which builds plans.
    const STILL_TO_BREAK: &[&[&str]] = &[&["plan", "solve"]];
    let files = core_sources();
    assert!(files.len() > 50, "found only {} files", files.len());
    let loops = import_loops(&files);
    let known: Vec<Vec<String>> =
        STILL_TO_BREAK.iter().map(|l| l.iter().map(|m| m.to_string()).collect()).collect();
    assert!(
        loops == known,
        "import loops between modules (each line one loop):\n{}\nexpected only: {known:?}",
        loops.iter().map(|l| l.join(" <-> ")).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_loop_check_finds_a_loop_added_on_purpose() {
    let mut files = core_sources();
    // `catalog` is near the bottom; make it use `report`, which uses `catalog`.
    files.push(("catalog/looped.rs".into(), "//! A loop.\nuse crate::report::json;\n".into()));
    let loops = import_loops(&files);
    assert!(
        loops
            .iter()
            .any(|l| l.contains(&"catalog".to_string()) && l.contains(&"report".to_string())),
        "{loops:?}"
    );
    // And a loop inside one top-level module, between its submodules.
    let mut files = core_sources();
    files.push(("report/csv_loop.rs".into(), "//! A loop.\nuse super::looped_back;\n".into()));
    files.push((
        "report/looped_back.rs".into(),
        "//! A loop.\nuse crate::report::csv_loop::X;\n".into(),
    ));
    let loops = import_loops(&files);
    assert!(
        loops.contains(&vec!["report::csv_loop".into(), "report::looped_back".into()]),
        "{loops:?}"
    );
}

#[test]
fn module_paths_are_read_from_crate_and_super_paths() {
    let (module, uses) = module_uses(
        "report/export/karpenter.rs",
        "//! X.\nuse crate::plan::{Plan, PlanNode};\nuse super::super::json::plan_totals;\nuse super::Export;\n// use crate::solve;\nlet x = crate::money::format_usd(y);\n#[cfg(test)]\nuse crate::input;\n",
    );
    assert_eq!(module, ["report", "export", "karpenter"]);
    assert_eq!(
        uses,
        vec![
            vec!["plan".to_string()],
            vec!["report".to_string(), "json".to_string(), "plan_totals".to_string()],
            vec!["report".to_string(), "export".to_string()],
            vec!["money".to_string(), "format_usd".to_string()],
        ]
    );
}

/// Rules written once: what makes a GPU resource (`<vendor>/gpu`) is spelled only in
/// `resources.rs` (`is_gpu_resource`, `Resources::has_gpu`); everything else asks it.
#[test]
fn each_rule_is_written_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["core/src", "cli/src", "web/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let lib_part = text.split("#[cfg(test)]").next().unwrap_or("");
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if lib_part.contains("\"/gpu\"") {
            assert_eq!(rel, "core/src/resources.rs", "{rel} spells the GPU rule again");
        }
    }
}
