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
    // Every loop is broken: `plan` holds the engine's `EngineStats` and the Karpenter model's
    // `Allocatable`, which `solve` fills in.
    const STILL_TO_BREAK: &[&[&str]] = &[];
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

/// A function found in Rust source: its name, the line its `fn` is on, and its length in lines
/// (from the `fn` line to the line of its closing brace, inclusive).
#[derive(Debug, PartialEq)]
struct FnSpan {
    name: String,
    line: usize,
    lines: usize,
}

/// `text` with comments blanked and the contents of string and character literals emptied,
/// newlines kept, so that braces and `fn` are code only and line numbers stay the same.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Keeps newlines of skipped text, drops the rest.
    let skip = |out: &mut String, from: usize, to: usize| {
        for c in &chars[from..to.min(chars.len())] {
            if *c == '\n' {
                out.push('\n');
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = chars[i..].iter().position(|&c| c == '\n').map_or(chars.len(), |p| i + p);
            i = end;
        } else if c == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < chars.len() && depth > 0 {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            skip(&mut out, i, j);
            i = j;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !i.checked_sub(1).is_some_and(|p| chars[p].is_alphanumeric() || chars[p] == '_')
        {
            // A raw string `r"…"` / `r#"…"#` (an identifier ending in r is not one).
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String =
                std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let body_start = i + 2 + hashes;
            let rest: String = chars[body_start..].iter().collect();
            let end = rest.find(&close).map_or(chars.len(), |p| {
                body_start + rest[..p].chars().count() + close.chars().count()
            });
            out.push_str("\"\"");
            skip(&mut out, i, end);
            i = end;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            skip(&mut out, i, j + 1);
            i = j + 1;
        } else if c == '\'' {
            // A character literal (`'{'`, `'\n'`, `'\u{7f}'`) or a lifetime (`'a`).
            let end = if next == Some('\\') {
                chars[i + 2..].iter().position(|&c| c == '\'').map(|p| i + 2 + p + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(e) => {
                    out.push_str("' '");
                    i = e;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every function with a body in `text`, nested ones too (a nested function also counts in
/// its parent's length).
fn functions(text: &str) -> Vec<FnSpan> {
    let code = code_only(text);
    let bytes = code.as_bytes();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && is_ident(bytes[at - 1]) {
            continue;
        }
        let name: String = code[at + 3..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue; // a `fn(…)` pointer type
        }
        // The body starts at the first `{` after the signature; a `;` first means no body.
        let Some(open) = code[at..].find(['{', ';']).map(|p| at + p) else { continue };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        let mut close = None;
        for (p, b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(p);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let line = line_of(at);
        out.push(FnSpan { name, line, lines: line_of(close) - line + 1 });
    }
    out
}

/// The longest functions of kplan-core's `input/`, `plan/` and `cost/`, longest first, as
/// (`path:line name`, lines).
fn longest_functions() -> Vec<(String, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    for dir in ["input", "plan", "cost"] {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        for f in files {
            let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&f).unwrap();
            for s in functions(&text) {
                all.push((format!("{rel}:{} {}", s.line, s.name), s.lines));
            }
        }
    }
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all
}

/// A function says what it does in at most 120 lines in `input/`, `plan/` and `cost/`: longer
/// ones are split along the phases their comments mark. The five longest are printed
/// (`cargo test --test tidy -- --nocapture`).
#[test]
fn no_function_over_120_lines_in_input_plan_and_cost() {
    const MAX: usize = 120;
    let all = longest_functions();
    assert!(all.len() > 300, "found only {} functions", all.len());
    println!("the five longest functions in input/, plan/ and cost/:");
    for (f, n) in all.iter().take(5) {
        println!("{n:>5} {f}");
    }
    let over: Vec<String> =
        all.iter().filter(|(_, n)| *n > MAX).map(|(f, n)| format!("{n:>5} {f}")).collect();
    assert!(over.is_empty(), "functions over {MAX} lines:\n{}", over.join("\n"));
}

#[test]
fn the_function_scanner_skips_strings_comments_and_signatures_without_bodies() {
    let text = "//! X.\nfn a() {\n    let s = \"}\";\n    // }\n    let c = '{';\n    let r = r#\"{\"#;\n}\ntrait T {\n    fn b(&self);\n    fn c(&self) -> u8 {\n        /* } */ 1\n    }\n}\nfn d<'a>(f: fn(u8) -> u8, x: &'a str) -> impl Fn() {\n    move || {\n        f(1);\n    }\n}\n";
    assert_eq!(
        functions(text),
        vec![
            FnSpan { name: "a".into(), line: 2, lines: 6 },
            FnSpan { name: "c".into(), line: 10, lines: 3 },
            FnSpan { name: "d".into(), line: 14, lines: 5 },
        ]
    );
}

/// Each place in `text` (non-test code only: what stands before its `#[cfg(test)] mod`)
/// where a `Result`'s error type is a bare `String` or `Vec<String>`, or a `FromStr` says
/// `type Err = String`, as (line, the type as written).
fn string_errors(text: &str) -> Vec<(usize, String)> {
    let code = code_only(text);
    // The first `#[cfg(test)] mod name {` (not `mod name;`, whose file is left out).
    let tests_at = code.match_indices("#[cfg(test)]").map(|(i, _)| i).find(|&i| {
        let rest = code[i + "#[cfg(test)]".len()..].trim_start();
        rest.starts_with("mod ")
            && rest.find(['{', ';']).is_some_and(|j| rest[j..].starts_with('{'))
    });
    let code = &code[..tests_at.unwrap_or(code.len())];
    let mut res = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(i) = code[from..].find("Result<") {
        let start = from + i;
        from = start + "Result<".len();
        // Only the type `Result`, not `MyResult<` or `io::Result<` with one argument.
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let (mut depth, mut end, mut last_comma) = (1usize, from, None);
        while end < bytes.len() && depth > 0 {
            match bytes[end] {
                b'<' => depth += 1,
                b'>' if bytes[end - 1] != b'-' => depth -= 1,
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b',' if depth == 1 => last_comma = Some(end),
                _ => {}
            }
            end += 1;
        }
        let Some(comma) = last_comma else { continue };
        let err: String = code[comma + 1..end - 1].split_whitespace().collect();
        if err == "String" || err == "Vec<String>" {
            res.push((
                line_of(start),
                code[start..end].split_whitespace().collect::<Vec<_>>().join(" "),
            ));
        }
    }
    for (i, line) in code.lines().enumerate() {
        if line.split_whitespace().collect::<String>() == "typeErr=String;" {
            res.push((i + 1, "type Err = String".to_string()));
        }
    }
    res.sort();
    res
}

/// Errors inside kplan-core are typed: no `Result<_, String>` (nor `Vec<String>`) and no
/// `FromStr` with `type Err = String` outside tests. Each error is a small enum (or
/// `diag::UnknownName`) whose variants name what went wrong; messages are their `Display`.
#[test]
fn no_string_errors_in_kplan_core() {
    const ALLOWED: &[(&str, usize)] = &[];
    let mut found = Vec::new();
    for (rel, text) in core_sources() {
        let hits = string_errors(&text);
        let allowed = ALLOWED.iter().find(|(f, _)| *f == rel).map_or(0, |(_, n)| *n);
        if hits.len() != allowed {
            for (line, ty) in hits {
                found.push(format!("  {rel}:{line} {ty}"));
            }
            if allowed > 0 {
                found.push(format!("  ({rel} is allowed exactly {allowed})"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "errors as strings in kplan-core (give each a small error enum):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_string_error_scan_finds_them_outside_tests_and_strings() {
    let text = r#"
fn a() -> Result<u64, String> { todo() }
fn b() -> Result<(usize, Option<String>), Vec<String>> { todo() }
fn c() -> Result<Vec<String>, MyError> { todo() }
pub field: Option<Result<Plan, String>>,
fn d(f: impl Fn() -> u8) -> io::Result<String> { todo() }
impl FromStr for X {
    type Err = String;
}
// fn e() -> Result<u64, String>
const S: &str = "Result<u64, String>";
#[cfg(test)]
mod other;
fn g() -> Result<(), Vec<String>> { todo() }
#[cfg(test)]
mod tests {
    fn f() -> Result<u64, String> { todo() }
}
"#;
    let lines: Vec<usize> = string_errors(text).iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 3, 5, 8, 14], "{:?}", string_errors(text));
}
