//! Kubernetes manifests through the CLI: every example plans, its JSON verifies, and the scenario `kplan import` writes plans to the same JSON.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use kplan_core::input::manifests::{
    Source, default_options, manifest_scenario, merge_into, read_manifests,
};
use kplan_core::plan::verify::verify;
use kplan_core::report::json::read_plan;
use kplan_tests::{kplan, repo_root};

fn examples() -> Vec<PathBuf> {
    let dir = repo_root().join("data/examples/manifests");
    let mut res: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    res.sort();
    res
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kplan-manifests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stem(p: &std::path::Path) -> String {
    p.file_stem().unwrap().to_str().unwrap().to_string()
}

fn monthly(json: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["cost"]["monthly"].as_f64().unwrap()
}

#[test]
fn every_manifest_example_plans_to_json_and_verifies() {
    let examples = examples();
    assert_eq!(examples.len(), 11, "{examples:?}");
    for f in examples {
        let path = f.to_str().unwrap();
        let args = ["-f", path, "--provider", "aws", "--region", "us-east-1"];
        let (code, json, err) = kplan(&[&["plan"][..], &args, &["--format", "json"]].concat());
        assert_eq!(code, 0, "{path}: {err}");
        let out = tmp(&format!("{}.json", stem(&f)));
        std::fs::write(&out, &json).unwrap();
        let (code, stdout, err) =
            kplan(&[&["verify"][..], &args, &[out.to_str().unwrap()]].concat());
        assert_eq!(code, 0, "{path}: {stdout}{err}");
        assert!(stdout.contains("valid"), "{stdout}");
        // The same check in-process, from the core's own reading of the manifests.
        let mut texts = Vec::new();
        collect(&f, &mut texts);
        let sources: Vec<Source<'_>> =
            texts.iter().map(|(n, t)| Source { name: n, text: t }).collect();
        let manifests = read_manifests(&sources, &default_options()).output.unwrap();
        let mut scenario =
            manifest_scenario("manifests", kplan_core::catalog::Provider::Aws, Some("us-east-1"))
                .unwrap();
        merge_into(&mut scenario, &manifests).unwrap();
        let plan = read_plan(&json, "plan.json").unwrap();
        assert_eq!(verify(&scenario, &plan), vec![], "{path}");
        assert_eq!(plan.n_pods(), scenario.n_pods(), "{path}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["warnings"][0]["severity"], "note", "{path}: the summary comes first");
    }
}

fn collect(p: &std::path::Path, out: &mut Vec<(String, String)>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(p).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                collect(&e, out);
            }
        }
    } else {
        out.push((p.display().to_string(), std::fs::read_to_string(p).unwrap()));
    }
}

/// A plan's JSON with its two `"seconds"` (the plan's and the explanation's wall time) zeroed and, for a plan of manifests, the
/// diagnostics of reading them left out: the summary note (the first warning) and every warning
/// located in `source`. Those describe the manifest files, which the imported scenario no longer
/// names (`kplan import` printed them when it read the files); everything else must match.
fn normalised(json: &str, manifests: Option<&str>) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    for pointer in ["/solver/seconds", "/explain/seconds"] {
        if let Some(secs) = v.pointer_mut(pointer) {
            *secs = serde_json::json!(0.0);
        }
    }
    if let Some(source) = manifests {
        let warnings = v["warnings"].as_array_mut().unwrap();
        let first = warnings.remove(0);
        assert!(first["message"].as_str().unwrap().starts_with("read "), "{first}");
        warnings.retain(|w| !w["source"].as_str().is_some_and(|s| s.starts_with(source)));
    }
    serde_json::to_string_pretty(&v).unwrap()
}

/// Every manifest example and the scenario `kplan import` writes from it plan to the same JSON,
/// byte for byte but for the wall time and the manifest-reading diagnostics (see [`normalised`]),
/// with both packers.
#[test]
fn imported_scenarios_plan_to_identical_json() {
    for f in examples() {
        let path = f.to_str().unwrap();
        let out = tmp(&format!("{}-imported.yaml", stem(&f)));
        let (code, _, err) = kplan(&[
            "import",
            "-f",
            path,
            "--provider",
            "aws",
            "--name",
            "manifests",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{path}: {err}");
        for method in ["exact", "ffd"] {
            let (code, direct, err) = kplan(&[
                "plan",
                "-f",
                path,
                "--provider",
                "aws",
                "--format",
                "json",
                "--method",
                method,
            ]);
            assert_eq!(code, 0, "{path}: {err}");
            let (code, imported, err) =
                kplan(&["plan", out.to_str().unwrap(), "--format", "json", "--method", method]);
            assert_eq!(code, 0, "{path}: {err}");
            assert_eq!(monthly(&direct), monthly(&imported), "{path} ({method})");
            let (direct, imported) = (normalised(&direct, Some(path)), normalised(&imported, None));
            assert!(direct == imported, "{path} ({method}):\n{direct}\n---\n{imported}");
        }
    }
}

#[test]
fn import_writes_a_commented_editable_scenario() {
    let path = repo_root().join("data/examples/manifests/shop-chart.yaml");
    let (code, yaml, err) =
        kplan(&["import", "-f", path.to_str().unwrap(), "--provider", "gcp", "--name", "shop"]);
    assert_eq!(code, 0, "{err}");
    assert!(yaml.starts_with("# A kplan scenario imported from Kubernetes manifests"), "{yaml}");
    assert!(
        yaml.contains("# Skipped (not workloads): ConfigMap ×1, Service ×2, ServiceAccount ×1.")
    );
    assert!(yaml.contains("name: shop\nprovider: gcp\nregion: us-central1\n"), "{yaml}");
    assert!(yaml.contains("- name: frontend\n  namespace: shop\n  kind: Deployment\n  owner: web-team\n  replicas: 4\n"), "{yaml}");
    assert!(
        err.contains(
            "note: read 13 documents (3 empty) with 10 objects: planned 2 workloads (Deployment ×2)"
        ),
        "{err}"
    );
}

#[test]
fn a_scenario_supplies_policies_and_extra_workloads() {
    let scenario = tmp("policies.yaml");
    std::fs::write(
        &scenario,
        "name: shop-with-policies\nprovider: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\npolicy:\n  utilization: 0.8\n  headroom: node\nworkloads:\n  - {name: redis, namespace: shop, replicas: 2, requests: {cpu: 500m, memory: 2Gi}}\n",
    )
    .unwrap();
    let chart = repo_root().join("data/examples/manifests/shop-chart.yaml");
    let (s, c) = (scenario.to_str().unwrap(), chart.to_str().unwrap());
    let (code, json, err) = kplan(&["plan", s, "-f", c, "--format", "json", "--method", "ffd"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scenario"], "shop-with-policies");
    // redis 2 + frontend 4 + catalog 3.
    assert_eq!(v["totals"]["pods"], 9);
    let out = tmp("policies-plan.json");
    std::fs::write(&out, &json).unwrap();
    let (code, stdout, err) = kplan(&["verify", s, "-f", c, out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{err}");
    // A workload defined twice, and a provider given twice, are refused.
    std::fs::write(
        &scenario,
        "name: dup\nprovider: aws\nregion: us-east-1\nworkloads:\n  - {name: frontend, namespace: shop, requests: {cpu: 1}}\n",
    )
    .unwrap();
    let (code, _, err) = kplan(&["plan", s, "-f", c]);
    assert_eq!(code, 2);
    assert!(
        err.contains("workload shop/frontend is defined both in the scenario and in the manifests"),
        "{err}"
    );
    let (code, _, err) = kplan(&["plan", s, "-f", c, "--provider", "gcp"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--provider and --region apply to manifests planned without a scenario"),
        "{err}"
    );
}

#[test]
fn bad_manifests_exit_2_with_every_problem_located() {
    let dir = tmp("bad");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(
        dir.join("a.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: many\n  template:\n    spec:\n      containers: [{name: c}]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("nested/b.json"),
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"b\"}, \"spec\": {\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"memory\": \"1Gb\"}}}]}}\n",
    )
    .unwrap();
    let (code, _, err) = kplan(&["plan", "-f", dir.to_str().unwrap(), "--provider", "aws"]);
    assert_eq!(code, 2, "{err}");
    let a = dir.join("a.yaml").display().to_string();
    let b = dir.join("nested/b.json").display().to_string();
    // The rendered report wraps long lines; the headline starts with file:line:column.
    assert!(err.contains(&format!("{a}:5:13: error: expected replicas (a whole number)")), "{err}");
    assert!(err.contains(&format!("{b}:1:139: error: invalid quantity")), "{err}");
    assert!(err.contains("error: 2 problem(s) in the manifests; nothing was planned"), "{err}");
    // Missing provider, empty directory, unreadable path.
    let ok = repo_root().join("data/examples/manifests/batch.json");
    let (code, _, err) = kplan(&["plan", "-f", ok.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("manifests carry no provider: give --provider"), "{err}");
    let empty = tmp("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = kplan(&["plan", "-f", empty.to_str().unwrap(), "--provider", "aws"]);
    assert_eq!(code, 2);
    assert!(err.contains("holds no *.yaml, *.yml or *.json files"), "{err}");
    let (code, _, err) = kplan(&["plan", "-f", "no-such-dir/x.yaml", "--provider", "aws"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no-such-dir/x.yaml"), "{err}");
}

#[test]
fn replicas_flag_plans_the_autoscaler_peak() {
    let path = repo_root().join("data/examples/manifests/shop-chart.yaml");
    let p = path.to_str().unwrap();
    let pods = |mode: &str| {
        let (code, json, err) = kplan(&[
            "plan",
            "-f",
            p,
            "--provider",
            "aws",
            "--format",
            "json",
            "--method",
            "ffd",
            "--replicas",
            mode,
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["totals"]["pods"].as_u64().unwrap()
    };
    // frontend 4 / 3 / 10 replicas, catalog 3 in every mode.
    assert_eq!((pods("current"), pods("min"), pods("peak")), (7, 6, 13));
}

#[test]
fn spot_tolerant_manifests_use_spot_under_a_scenario_policy() {
    let scenario = tmp("spot-policy.yaml");
    std::fs::write(
        &scenario,
        "name: spot-policy\nprovider: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\npurchase: [on-demand, spot]\npolicy:\n  spot: {max_share: 0.6}\n",
    )
    .unwrap();
    let spot = repo_root().join("data/examples/manifests/spot.yaml");
    let (s, m) = (scenario.to_str().unwrap(), spot.to_str().unwrap());
    let (code, json, err) = kplan(&["plan", s, "-f", m, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let spot_pods: Vec<String> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["purchase"] == "spot")
        .flat_map(|n| {
            n["pods"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["workload"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(!spot_pods.is_empty(), "{json}");
    // Only the workloads that tolerate spot run there (the verifier checks it too).
    for w in &spot_pods {
        assert!(
            ["gke-worker", "eks-worker", "karpenter-worker", "aks-worker"].contains(&w.as_str()),
            "{w}"
        );
    }
    let out = tmp("spot-policy-plan.json");
    std::fs::write(&out, &json).unwrap();
    let (code, stdout, err) = kplan(&["verify", s, "-f", m, out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{err}");
}

// See: the monitoring stack's largest consumers, operator-managed custom resources, skipped with
// a warning; their PodDisruptionBudgets then warning "selects no pods".
#[test]
fn operator_pods_are_planned_and_the_json_names_the_operator_and_version() {
    for (file, operator) in [
        ("monitoring-stack.yaml", "prometheus-operator v0.93.0"),
        ("strimzi-kafka.yaml", "Strimzi 1.2.0"),
        ("cnpg-cluster.yaml", "CloudNativePG v1.30.0"),
    ] {
        let path = repo_root().join("data/examples/manifests").join(file);
        let path = path.to_str().unwrap();
        let (code, json, err) =
            kplan(&["plan", "-f", path, "--provider", "aws", "--no-finance", "--format", "json"]);
        assert_eq!(code, 0, "{file}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let warnings = v["warnings"].as_array().unwrap();
        let notes: Vec<&str> = warnings
            .iter()
            .filter(|w| w["severity"] == "note")
            .filter_map(|w| w["message"].as_str())
            .filter(|m| m.contains(&format!("is planned as the pods {operator} creates for it")))
            .collect();
        assert!(!notes.is_empty(), "{file}: {warnings:#?}");
        assert!(
            !warnings.iter().any(|w| w["message"].as_str().unwrap().contains("selects no pods")),
            "{file}"
        );
        assert!(
            warnings[0]["message"].as_str().unwrap().contains(&format!("(defaults of {operator})")),
            "{file}"
        );
        // The operator's pods are on the plan's nodes.
        let pods: u64 = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|n| n["pods"].as_array().unwrap())
            .filter(|p| {
                let w = p["workload"].as_str().unwrap_or_default();
                ["prometheus-", "alertmanager-", "events-", "orders-db"]
                    .iter()
                    .any(|s| w.contains(s))
            })
            .map(|p| p["count"].as_u64().unwrap_or(1))
            .sum();
        assert!(pods > 0, "{file}: {json}");
    }
}
