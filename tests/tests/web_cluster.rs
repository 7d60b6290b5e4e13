//! The browser app's cluster view computes what the CLI writes: for each fixture of
//! `data/examples/cluster/`, the worker's reply holds `kplan current --cluster … --format json`,
//! `kplan plan --cluster … --backend pure --format json` (but for `solver.seconds`, the wall
//! clock's) and `kplan diff today.json plan.json
//! --format json` byte for byte, and each export button's file is what `kplan export plan.json
//! --format F` prints (or the worker says why, as the CLI does).
#![forbid(unsafe_code)]

use std::path::PathBuf;

use kplan_core::report::json::read_plan;
use kplan_core::solve::NoClock;
use kplan_tests::{kplan, repo_root};
use kplan_web::engine;
use kplan_web::protocol::{ClusterReply, UsageFile};
use serde_json::Value;

/// The fixture's files, sorted, named by their path (as the CLI names them).
fn files(name: &str) -> Vec<UsageFile> {
    let dir = repo_root().join("data/examples/cluster").join(name);
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| UsageFile {
            name: p.display().to_string(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn reply(files: &[UsageFile]) -> ClusterReply {
    engine::cluster(files, None, &NoClock, &mut |_, _, _| {}).unwrap()
}

fn cli(args: &[&str]) -> String {
    let (code, out, err) = kplan(args);
    assert_eq!(code, 0, "kplan {args:?}: {err}");
    out
}

/// A plan's JSON with `solver.seconds` (the wall clock the CLI reads) set to 0, as text.
fn without_seconds(json: &str) -> String {
    let mut v: Value = serde_json::from_str(json).unwrap();
    v["solver"]["seconds"] = Value::from(0.0);
    serde_json::to_string_pretty(&v).unwrap()
}

fn check(name: &str, provider: &str, exported: &[&str]) {
    let files = files(name);
    let r = reply(&files);
    let mut cluster: Vec<&str> = vec!["--cluster"];
    cluster.extend(files.iter().map(|f| f.name.as_str()));
    let today = cli(&[&["current"], cluster.as_slice(), &["--format", "json"]].concat());
    assert_eq!(r.today, today, "{name}: today differs from kplan current");
    let plan = cli(&[
        &["plan"],
        cluster.as_slice(),
        &["--backend", "pure", "--format", "json", "--quiet", "--no-explain"],
    ]
    .concat());
    assert_eq!(without_seconds(&r.plan), without_seconds(&plan), "{name}: the plan differs");

    let dir = std::env::temp_dir().join(format!("kplan-web-cluster-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (today_path, plan_path) = (dir.join("today.json"), dir.join("plan.json"));
    std::fs::write(&today_path, &today).unwrap();
    std::fs::write(&plan_path, &plan).unwrap();
    let (t, p) = (today_path.to_str().unwrap(), plan_path.to_str().unwrap());

    // Today versus the plan: the diff is `kplan diff`'s, the totals are the two plans'.
    let v: Value = serde_json::from_str(&r.versus).unwrap();
    let diff: Value = serde_json::from_str(&cli(&["diff", t, p, "--format", "json"])).unwrap();
    assert_eq!(v["diff"], diff, "{name}");
    let (tj, pj): (Value, Value) =
        (serde_json::from_str(&today).unwrap(), serde_json::from_str(&plan).unwrap());
    let cents = |x: &Value| (x.as_f64().unwrap() * 100.0).round() as i64;
    assert_eq!(cents(&v["monthly"][0]), cents(&tj["cost"]["monthly"]), "{name}");
    assert_eq!(cents(&v["monthly"][1]), cents(&pj["cost"]["monthly"]), "{name}");
    assert_eq!(v["nodes"][0].as_u64().unwrap() as usize, tj["nodes"].as_array().unwrap().len());
    assert_eq!(v["nodes"][1].as_u64().unwrap() as usize, pj["nodes"].as_array().unwrap().len());
    let saving = v["saving_monthly"].as_f64().unwrap();
    assert!(
        (saving - (v["monthly"][0].as_f64().unwrap() - v["monthly"][1].as_f64().unwrap())).abs()
            < 1e-9
    );
    // Per pool: the pools add up to the totals.
    for (side, i) in [("today", 0), ("plan", 1)] {
        let rows = v["pools"][side].as_array().unwrap();
        let n: u64 = rows.iter().map(|r| r["nodes"].as_u64().unwrap()).sum();
        assert_eq!(n, v["nodes"][i].as_u64().unwrap(), "{name} {side}");
        let m: f64 = rows.iter().map(|r| r["monthly"].as_f64().unwrap()).sum();
        assert!((m - v["monthly"][i].as_f64().unwrap()).abs() < 0.01, "{name} {side}: {m}");
        for r in rows {
            let u = r["cpu_utilization"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&u), "{name} {side}: {r}");
        }
    }

    assert_eq!(pj["provider"], provider, "{name}");
    assert!(!read_plan(&r.plan, "plan.json").unwrap().nodes.is_empty());

    // Exports: the same bytes as `kplan export`, or the CLI's reason.
    assert_eq!(r.exports.len(), 5);
    for e in &r.exports {
        let (code, out, err) = kplan(&["export", p, "--format", &e.format]);
        match &e.files {
            Ok(files) => {
                assert!(exported.contains(&e.format.as_str()), "{name}: {} exported", e.format);
                assert_eq!(code, 0, "{name} {}: {err}", e.format);
                let all: String = files.iter().map(|f| f.text.as_str()).collect();
                assert_eq!(all, out, "{name}: {} differs from kplan export", e.format);
            }
            Err(why) => {
                assert!(
                    !exported.contains(&e.format.as_str()),
                    "{name}: {} refused: {why}",
                    e.format
                );
                assert_eq!(code, 2, "{name} {}", e.format);
                assert_eq!(err, format!("error: {p}: {why}\n"), "{name} {}", e.format);
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn eks_cluster_view_equals_the_cli() {
    check("eks", "aws", &["karpenter", "eksctl", "terraform"]);
}

#[test]
fn gke_cluster_view_equals_the_cli() {
    check("gke", "gcp", &["terraform", "gke"]);
}

#[test]
fn aks_cluster_view_equals_the_cli() {
    check("aks", "azure", &["karpenter", "terraform", "aks"]);
}

#[test]
fn one_file_holding_nodes_and_pods_reads_as_two() {
    let two = files("eks");
    let both = UsageFile {
        name: "cluster.yaml".to_string(),
        text: two.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join("\n---\n"),
    };
    let (a, b) = (reply(&two), reply(&[both]));
    let (pa, pb) = (read_plan(&a.plan, "a").unwrap(), read_plan(&b.plan, "b").unwrap());
    assert_eq!(pa.nodes, pb.nodes);
    let (va, vb): (Value, Value) =
        (serde_json::from_str(&a.versus).unwrap(), serde_json::from_str(&b.versus).unwrap());
    assert_eq!(va, vb);
    assert_eq!(a.exports, b.exports);
}

#[test]
fn a_broken_kubectl_file_fails_with_its_line_and_column() {
    let mut files = files("eks");
    files[0].text = files[0].text.replacen("kind: List", "kind: List\n  broken: [", 1);
    let err = engine::cluster(&files, None, &NoClock, &mut |_, _, _| {}).unwrap_err();
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("{}:", files[0].name)), "{err}");
    assert!(err.ends_with("nothing was priced"), "{err}");
    let none = engine::cluster(&[], None, &NoClock, &mut |_, _, _| {}).unwrap_err();
    assert!(none.starts_with("no kubectl output"), "{none}");
}

#[test]
fn today_breaks_what_kplan_verify_names() {
    let r = reply(&files("eks"));
    let v: Value = serde_json::from_str(&r.versus).unwrap();
    let today: Value = serde_json::from_str(&r.today).unwrap();
    let breaks: Vec<&str> =
        v["breaks"].as_array().unwrap().iter().map(|b| b.as_str().unwrap()).collect();
    let warned: Vec<&str> = today["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["message"].as_str()?.strip_prefix("today's cluster breaks "))
        .collect();
    assert_eq!(breaks, warned);
}
