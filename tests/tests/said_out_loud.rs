//! What the CLI says about what it read and did: the policies in force and which are defaults,
//! the headroom's spare nodes and their cost, one-shot Jobs and hooks, empty inputs, and the
//! consistency of `verify` and `compare` with `plan`.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use kplan_tests::{kplan, repo_root};

fn manifest(name: &str) -> String {
    repo_root().join("data/examples/manifests").join(name).display().to_string()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kplan-said-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// The table's "Policies" section, up to the blank line that ends it.
fn policies_section(table: &str) -> String {
    let start = table.find("Policies (").expect("a Policies section");
    let rest = &table[start..];
    rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
}

// See: the demo whose bill doubled with no line naming the headroom default, its cost or the flag.
#[test]
fn the_table_states_every_policy_and_the_spare_nodes_cost() {
    let (code, out, err) =
        kplan(&["plan", "-f", &manifest("shop-chart.yaml"), "--provider", "aws"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("policies-shop-chart", policies_section(&out));
    assert!(out.contains("(5 nodes, 7 pods)"), "{out}");

    // The flag the table names removes the spare node and its cost.
    let (code, without, err) = kplan(&[
        "plan",
        "-f",
        &manifest("shop-chart.yaml"),
        "--provider",
        "aws",
        "--headroom",
        "none",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, with, _) = kplan(&[
        "plan",
        "-f",
        &manifest("shop-chart.yaml"),
        "--provider",
        "aws",
        "--format",
        "json",
    ]);
    let (with, without) = (json(&with), json(&without));
    let spare = &with["policy_applied"]["headroom_spare"];
    assert_eq!(spare["extra_nodes"], 1);
    let saved =
        with["cost"]["monthly"].as_f64().unwrap() - without["cost"]["monthly"].as_f64().unwrap();
    assert!((spare["monthly"].as_f64().unwrap() - saved).abs() < 0.01, "{spare} vs {saved}");
    assert_eq!(
        with["totals"]["nodes"].as_u64().unwrap(),
        without["totals"]["nodes"].as_u64().unwrap() + 1
    );
    assert!(without["policy_applied"]["headroom_spare"].is_null());
    let headroom = without["policy_applied"]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "policy.headroom")
        .unwrap()
        .clone();
    assert_eq!(
        (headroom["value"].as_str(), headroom["default"].as_bool()),
        (Some("none"), Some(false))
    );
}

#[test]
fn markdown_and_html_state_the_policies_too() {
    for format in ["md", "html"] {
        let (code, out, err) = kplan(&[
            "plan",
            "-f",
            &manifest("shop-chart.yaml"),
            "--provider",
            "aws",
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("policy.headroom node (default)"), "{format}: {out}");
        assert!(
            out.contains("headroom node adds 1 spare node for $49.64/month"),
            "{format}: {out}"
        );
    }
}

// See: a policies scenario with three zones that put both nodes in one zone with no note why.
#[test]
fn unused_zones_and_purchase_options_carry_their_reason() {
    let path = tmp("zones.yaml");
    std::fs::write(
        &path,
        "name: zones\nprovider: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b, us-east-1c]\npurchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 0.5}}\nworkloads:\n  - {name: api, replicas: 2, requests: {cpu: 500m, memory: 512Mi}}\n",
    )
    .unwrap();
    let (code, out, err) =
        kplan(&["plan", path.to_str().unwrap(), "--format", "json", "--no-finance"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let zones = v["policy_applied"]["unused_zones"].as_array().unwrap();
    assert_eq!(zones.len(), 2, "{zones:?}");
    assert!(
        zones[0]["reason"].as_str().unwrap().starts_with("nothing asks for more than one zone")
    );
    let purchase = v["policy_applied"]["unused_purchase"].as_array().unwrap();
    let spot = purchase.iter().find(|p| p["name"] == "spot").unwrap();
    assert!(spot["reason"].as_str().unwrap().starts_with("no workload is spot-tolerant"), "{spot}");
}

// See: `kplan verify -f PATH PLAN.json`, as the README writes it, asked for --provider and --region.
#[test]
fn verify_takes_provider_and_region_from_the_plan() {
    let plan = tmp("shop-plan.json");
    let (code, out, err) = kplan(&[
        "plan",
        "-f",
        &manifest("shop-chart.yaml"),
        "--provider",
        "gcp",
        "--region",
        "europe-west1",
        "--format",
        "json",
        "--no-finance",
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(&plan, out).unwrap();
    let (code, out, err) =
        kplan(&["verify", "-f", &manifest("shop-chart.yaml"), plan.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": valid ("), "{out}");
}

// See: `kplan compare` printing "WARNINGS 0" under eight printed warnings.
#[test]
fn compare_counts_the_warnings_it_prints() {
    let path = tmp("warned.yaml");
    std::fs::write(
        &path,
        "name: warned\nprovider: aws\nregion: us-east-1\npolicy: {headroom: none}\nworkloads:\n  - {name: api, replicas: 2, requests: {cpu: 500m, memory: 512Mi}}\n  - {name: bare, replicas: 1}\nvariants:\n  - {name: double, scale: 2}\n",
    )
    .unwrap();
    let (code, out, err) = kplan(&["compare", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let printed = err.lines().filter(|l| l.contains("warning:")).count();
    assert!(printed >= 1, "{err}");
    for case in json(&out)["cases"].as_array().unwrap() {
        let n = case["warnings"]
            .as_array()
            .map_or_else(|| case["warnings"].as_u64().unwrap() as usize, Vec::len);
        assert!(n >= printed, "{case} counts {n} warnings, {printed} printed:\n{err}");
    }
}

// See: a file truncated at 700 bytes planned as a $0.00, 0-node cluster with exit 0.
#[test]
fn manifests_with_nothing_to_plan_exit_2_naming_what_was_read() {
    let path = tmp("services.yaml");
    std::fs::write(&path, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n").unwrap();
    let (code, out, err) = kplan(&["plan", "-f", path.to_str().unwrap(), "--provider", "aws"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    assert!(err.contains("error: nothing to plan: read 2 documents with 2 objects: planned 0 workloads and 0 DaemonSets; skipped (not workloads): ConfigMap ×1, Service ×1; no workload to plan"), "{err}");
    let (code, _, err) = kplan(&["import", "-f", path.to_str().unwrap(), "--provider", "aws"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error: nothing to import: read 2 documents"), "{err}");
}

#[test]
fn hook_jobs_are_planned_only_with_include_jobs() {
    let pods = |extra: &[&str]| {
        let mut args = vec![
            "plan",
            "-f",
            &manifest("hooks-chart.yaml").leak()[..],
            "--provider",
            "aws",
            "--format",
            "json",
            "--no-finance",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = kplan(&args);
        assert_eq!(code, 0, "{err}");
        json(&out)["totals"]["pods"].as_u64().unwrap()
    };
    // The controller's 2 replicas and the CronJob's 1; with --include-jobs, 2 hook Jobs and the test Pod too.
    assert_eq!(pods(&[]), 3);
    assert_eq!(pods(&["--include-jobs"]), 6);
}
