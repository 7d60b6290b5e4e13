//! `kplan rightsize` on the web-shop usage fixtures: the fixtures are what their generator
//! writes, both plans verify (CSV day, `kubectl top` snapshot set, with and without the pods'
//! owners), the right-sized scenario plans, the recommendations are snapshotted, and bad or
//! unmatched usage is located.
#![forbid(unsafe_code)]

use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::report::json::read_plan;
use kplan_tests::{kplan, repo_root, usage_fixture};
use serde_json::Value;

fn path(rel: &str) -> String {
    repo_root().join(rel).to_str().expect("a UTF-8 path").to_string()
}

/// A fresh directory for one test's files.
fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kplan-rightsize-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rightsize_json(args: &[&str]) -> Value {
    let scenario = path("data/examples/web-shop.yaml");
    let mut argv = vec!["rightsize", scenario.as_str()];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--format", "json", "--quiet"]);
    let (code, stdout, stderr) = kplan(&argv);
    assert_eq!(code, 0, "kplan {argv:?}\nstderr:\n{stderr}");
    serde_json::from_str(&stdout).expect("kplan.rightsize/v1 JSON")
}

#[test]
fn the_committed_fixtures_are_what_the_generator_writes() {
    for (name, text) in usage_fixture::files() {
        let file = repo_root().join("data/examples/usage").join(&name);
        let committed =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            committed == text,
            "{name} differs from the generator's output: run `cargo run -p kplan-tests --bin kplan-fixtures`"
        );
    }
}

#[test]
fn the_fixture_has_a_day_of_five_minute_samples_with_a_daily_peak() {
    // 288 steps; the load curve peaks at 20:00 and is lowest at night.
    let peak = (0..usage_fixture::STEPS).max_by_key(|&i| usage_fixture::load(i)).unwrap();
    assert_eq!(peak, 20 * 12);
    assert!(usage_fixture::load(3 * 12) * 4 < usage_fixture::load(peak));
    let csv = usage_fixture::csv();
    let first = csv.lines().nth(1).unwrap();
    let last = csv.lines().last().unwrap();
    assert!(first.starts_with(&usage_fixture::DAY_START.to_string()), "{first}");
    assert!(last.starts_with(&(usage_fixture::DAY_START + 287 * 300).to_string()), "{last}");
}

fn check_plans(v: &Value) {
    assert_eq!(v["schema"], "kplan.rightsize/v1");
    for which in ["before", "after"] {
        let p = &v["plans"][which];
        assert_eq!(p["verified"], true, "{which}: {p}");
        assert!(p["nodes"].as_u64().unwrap() > 0, "{which}");
    }
    let (before, after) = (
        v["plans"]["before"]["monthly"].as_f64().unwrap(),
        v["plans"]["after"]["monthly"].as_f64().unwrap(),
    );
    assert!(after <= before + 1e-9, "after {after} > before {before}");
    let saving = v["plans"]["saving"]["monthly"].as_f64().unwrap();
    assert!((saving - (before - after)).abs() < 0.011, "{saving} vs {before} - {after}");
}

#[test]
fn the_csv_day_plans_before_and_after_both_verified() {
    let v = rightsize_json(&["--usage", &path("data/examples/usage/web-shop.csv")]);
    check_plans(&v);
    // krr's default: autoscaled workloads are kept; the four others are right-sized.
    let changed: Vec<&str> = v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["changed"] == true)
        .map(|r| r["workload"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        ["shop/payments", "shop/orders-db", "shop/orders-db", "shop/redis", "backoffice/admin"]
    );
    // The cluster's own pods are listed, located, not dropped.
    let unmatched = v["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 11);
    assert!(unmatched.iter().all(|u| u["line"].as_u64().unwrap() > 1 && u["column"] == 1));
    assert_eq!(v["usage"]["samples"], 22752);
    assert_eq!(v["usage"]["from"], "2026-03-04T00:00:00Z");
    assert_eq!(v["usage"]["to"], "2026-03-04T23:55:00Z");
}

#[test]
fn with_autoscaled_workloads_the_saving_is_in_nodes_and_dollars() {
    let dir = temp_dir("out");
    let out = dir.join("right-sized.yaml");
    let out_s = out.to_str().unwrap();
    let v = rightsize_json(&[
        "--usage",
        &path("data/examples/usage/web-shop.csv"),
        "--allow-hpa",
        "--out",
        out_s,
    ]);
    check_plans(&v);
    let saving = v["plans"]["saving"]["monthly"].as_f64().unwrap();
    assert!(saving > 100.0, "saving {saving}");
    // Every container with enough samples changed.
    assert!(v["recommendations"].as_array().unwrap().iter().all(|r| r["changed"] == true));
    // The right-sized scenario reads back and plans; its plan verifies.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# Right-sized by `kplan rightsize`."), "{text}");
    let scenario = read_scenario(&text, out_s).output.unwrap();
    let (code, stdout, stderr) =
        kplan(&["plan", out_s, "--format", "json", "--no-finance", "--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let plan = read_plan(&stdout, "plan.json").unwrap();
    assert_eq!(verify(&scenario, &plan), vec![]);
    let (_, storefront) = scenario.workload("shop", "storefront").unwrap();
    let rec = v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["workload"] == "shop/storefront")
        .unwrap();
    assert_eq!(
        storefront.pod.requests.cpu.to_string(),
        rec["cpu"]["request"]["after"].as_str().unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_top_snapshot_set_plans_too_and_flags_workloads_with_too_few_samples() {
    let v = rightsize_json(&[
        "--usage",
        &path("data/examples/usage/top"),
        "--allow-hpa",
        "--method",
        "ffd",
    ]);
    check_plans(&v);
    assert_eq!(v["usage"]["snapshots"], 24);
    assert_eq!(v["usage"]["from"], Value::Null);
    let recs = v["recommendations"].as_array().unwrap();
    let kept = |w: &str| {
        recs.iter().find(|r| r["workload"] == w).unwrap()["cpu"]["kept"]["reason"].clone()
    };
    // 12 pods × 24 snapshots = 288 samples: recommended; 3 pods × 24 = 72 < 100: flagged.
    assert_eq!(kept("shop/storefront"), Value::Null);
    assert_eq!(kept("shop/payments"), "too-few-samples");
    let payments = recs.iter().find(|r| r["workload"] == "shop/payments").unwrap();
    assert_eq!(payments["cpu"]["kept"]["detail"], "too few samples (72 < 100)");
    assert_eq!(payments["changed"], false);
    // With a lower threshold they are recommended.
    let v = rightsize_json(&[
        "--usage",
        &path("data/examples/usage/top"),
        "--min-samples",
        "24",
        "--method",
        "ffd",
    ]);
    let recs = v["recommendations"].as_array().unwrap();
    let payments = recs.iter().find(|r| r["workload"] == "shop/payments").unwrap();
    assert_eq!(payments["changed"], true);
}

#[test]
fn the_pods_owners_give_the_same_matches_as_the_names() {
    let csv = path("data/examples/usage/web-shop.csv");
    let by_name = rightsize_json(&["--usage", &csv, "--allow-hpa", "--method", "ffd"]);
    let by_owner = rightsize_json(&[
        "--usage",
        &csv,
        "--allow-hpa",
        "--method",
        "ffd",
        "--pods",
        &path("data/examples/usage/web-shop-pods.yaml"),
    ]);
    assert_eq!(by_name["recommendations"], by_owner["recommendations"]);
    // The kube-system pods are now unmatched by their owners.
    let reasons: Vec<&str> = by_owner["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(
            &"its owner DaemonSet aws-node (ownerReferences) is not a workload of the scenario"
        ),
        "{reasons:?}"
    );
}

#[test]
fn recommendations_snapshot() {
    let v = rightsize_json(&[
        "--usage",
        &path("data/examples/usage/web-shop.csv"),
        "--allow-hpa",
        "--method",
        "ffd",
    ]);
    let mut text = String::new();
    for r in v["recommendations"].as_array().unwrap() {
        let q = |res: &str, f: &str, w: &str| r[res][f][w].as_str().unwrap_or("none").to_string();
        text.push_str(&format!(
            "{} {}: pods {} samples {} · CPU peak {}m request {} → {} limit {} → {} · memory peak {} request {} → {} limit {} → {}\n",
            r["workload"].as_str().unwrap(),
            r["container"].as_str().unwrap(),
            r["pods"],
            r["cpu"]["samples"],
            r["cpu"]["peak_millicores"],
            q("cpu", "request", "before"),
            q("cpu", "request", "after"),
            q("cpu", "limit", "before"),
            q("cpu", "limit", "after"),
            r["memory"]["peak_bytes"],
            q("memory", "request", "before"),
            q("memory", "request", "after"),
            q("memory", "limit", "before"),
            q("memory", "limit", "after"),
        ));
    }
    insta::assert_snapshot!("recommendations-web-shop-simple", text);
}

#[test]
fn markdown_and_html_reports_carry_the_charts() {
    let dir = temp_dir("md");
    let md = dir.join("report.md");
    let csv = path("data/examples/usage/web-shop.csv");
    let scenario = path("data/examples/web-shop.yaml");
    let md_s = md.to_str().unwrap();
    let (code, _, stderr) = kplan(&[
        "rightsize",
        &scenario,
        "--usage",
        &csv,
        "--allow-hpa",
        "--format",
        "md",
        "--report",
        md_s,
        "--quiet",
        "--method",
        "ffd",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Right-sizing: web-shop\n"), "{text}");
    assert!(text.contains(
        "![CPU request per pod: current and recommended (cores)](report-rightsize-cpu.svg)"
    ));
    for chart in ["rightsize-cpu", "rightsize-memory"] {
        let svg = std::fs::read_to_string(dir.join(format!("report-{chart}.svg"))).unwrap();
        // One current and one recommended bar per workload (12), and each colour's swatch in the
        // legend; a peak mark per workload and the legend's.
        for colour in ["#1F77B4", "#FF7F0E"] {
            assert_eq!(svg.matches(&format!("fill=\"{colour}\"")).count(), 13, "{chart} {colour}");
        }
        assert_eq!(svg.matches("stroke=\"#D62728\"").count(), 13, "{chart}");
        assert!(svg.contains("observed peak"), "{chart}");
    }
    let (code, html, stderr) = kplan(&[
        "rightsize",
        &scenario,
        "--usage",
        &csv,
        "--allow-hpa",
        "--format",
        "html",
        "--quiet",
        "--method",
        "ffd",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "the page loads nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_pod_is_listed_with_its_place_and_nothing_is_dropped() {
    let dir = temp_dir("unknown");
    let file = dir.join("usage.csv");
    std::fs::write(
        &file,
        "timestamp,namespace,pod,container,cpu,memory\n1772582400,shop,payments-x2k4pbcdfg-bcdfg,payments,0.1,100000000\n1772582400,shop,paymnets-x2k4pbcdfg-bcdfg,payments,0.1,100000000\n",
    )
    .unwrap();
    let scenario = path("data/examples/web-shop.yaml");
    let (code, stdout, stderr) = kplan(&[
        "rightsize",
        &scenario,
        "--usage",
        file.to_str().unwrap(),
        "--quiet",
        "--method",
        "ffd",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let place = format!("{}:3:1", file.display());
    assert!(
        stdout.contains(&format!("shop/paymnets-x2k4pbcdfg-bcdfg ({place}, 1 samples): no workload of namespace shop is named like it")),
        "{stdout}"
    );
    assert!(
        stderr.contains("the samples of 1 pod(s) or container(s) match no workload"),
        "{stderr}"
    );
    // payments has 1 sample: flagged, not guessed.
    assert!(stdout.contains("shop/payments payments: too few samples (1 < 100)"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_report_is_the_same_bytes_twice() {
    let top = path("data/examples/usage/top");
    let run = || {
        let scenario = path("data/examples/web-shop.yaml");
        let (code, stdout, stderr) = kplan(&[
            "rightsize",
            &scenario,
            "--usage",
            &top,
            "--strategy",
            "percentile",
            "--allow-hpa",
            "--format",
            "json",
            "--quiet",
        ]);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    assert_eq!(run(), run());
}
