//! Writes the generated fixtures of `data/examples/usage/` (web-shop's day of usage, its
//! hourly `kubectl top` snapshots and its pods' YAML): `cargo run -p kplan-tests --bin
//! kplan-fixtures [DIR]` (default: the repository's `data/examples/usage`).
#![forbid(unsafe_code)]

use std::path::PathBuf;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| kplan_tests::repo_root().join("data/examples/usage"));
    for (name, text) in kplan_tests::usage_fixture::files() {
        let path = dir.join(&name);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!("kplan-fixtures: cannot create {}: {e}", parent.display());
            std::process::exit(2);
        }
        if let Err(e) = std::fs::write(&path, &text) {
            eprintln!("kplan-fixtures: cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
        println!("{} ({} bytes)", path.display(), text.len());
    }
}
