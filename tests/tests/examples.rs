//! Every example scenario plans from the CLI, its JSON verifies, and the plan's shape is snapshotted.
#![forbid(unsafe_code)]

use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::report::json::read_plan;
use kplan_tests::{kplan, repo_root};

/// The example scenarios, sorted.
fn example_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join("data/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_plans_to_json_and_verifies() {
    let files = example_files();
    assert!(files.len() >= 3);
    for f in files {
        let path = f.to_str().unwrap();
        let (code, json, err) = kplan(&["plan", path, "--format", "json"]);
        assert_eq!(code, 0, "{path}: {err}");
        let out = std::env::temp_dir().join(format!(
            "kplan-examples-{}-{}.json",
            std::process::id(),
            f.file_stem().unwrap().to_str().unwrap()
        ));
        std::fs::write(&out, &json).unwrap();
        let (code, stdout, err) = kplan(&["verify", path, out.to_str().unwrap()]);
        assert_eq!(code, 0, "{path}: {stdout}{err}");
        // The same check in-process, to be sure the JSON carries the whole plan.
        let text = std::fs::read_to_string(&f).unwrap();
        let scenario = read_scenario(&text, path).output.unwrap();
        let plan = read_plan(&json, "plan.json").unwrap();
        assert_eq!(verify(&scenario, &plan), vec![]);
        // The whole JSON reads into the schema's types, as the browser app reads it, and
        // writes back the same JSON.
        let dto: kplan_core::report::json::plan::PlanDto = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{path}: the plan does not read as its schema: {e}"));
        assert_eq!(
            serde_json::to_value(&dto).unwrap(),
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
            "{path}"
        );
        // Every exact plan states what Karpenter would launch, and reads it back.
        let k = plan
            .solver
            .karpenter
            .as_ref()
            .unwrap_or_else(|| panic!("{path}: no Karpenter baseline"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["baseline"]["karpenter_hourly"].as_f64(),
            Some((k.hourly.0 * 1e6).round() / 1e6)
        );
        assert!(v["baseline"]["karpenter_monthly"].as_f64().is_some(), "{path}");
        // Buying from more options never reports a dearer cluster: the blend is the cheapest
        // of the four-way comparison, and reserved and spot are no dearer than all on-demand.
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let monthly = |name: &str| {
            v["finance"]["variants"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["name"] == name))
                .and_then(|x| x["monthly"].as_f64())
        };
        if let (Some(od), Some(blend)) = (monthly("all-on-demand"), monthly("blend")) {
            for other in ["all-on-demand", "reserved", "spot"] {
                if let Some(m) = monthly(other) {
                    assert!(blend <= m + 0.005, "{path}: blend {blend} > {other} {m}");
                    assert!(m <= od + 0.005, "{path}: {other} {m} > all on-demand {od}");
                }
            }
        }
        insta::assert_snapshot!(
            format!("plan-{}", f.file_stem().unwrap().to_str().unwrap()),
            summary(&json)
        );
        // The explanation ran whole (no time limit), and a policy binds exactly when it has a price.
        let e = &v["explain"];
        assert_eq!(e["cut_short"], false, "{path}");
        for p in e["policies"].as_array().unwrap() {
            let price = p["price_monthly"].as_f64().unwrap_or_else(|| panic!("{path}: {p}"));
            assert!(price >= 0.0 && (price > 0.0) == (p["binds"] == true), "{path}: {p}");
        }
        // The explanation: what each policy costs, one more replica, what drives the pools.
        insta::assert_snapshot!(
            format!("explain-{}", f.file_stem().unwrap().to_str().unwrap()),
            explain_summary(&v["explain"])
        );
    }
}

/// Every example and manifest example planned with the Karpenter model: each plan passes the
/// verifier, or the verifier names exactly the kplan policies the plan itself says it breaks.
/// Every example's commitment report (`kplan.commit/v1`, the weekly profile) reads whole into
/// its types, as the browser app reads it, and writes back the same JSON.
#[test]
fn every_example_commitment_report_reads_into_its_types_and_writes_the_same_json() {
    let profile = repo_root().join("data/examples/weekly-profile.csv");
    let profile = profile.to_str().unwrap();
    let mut read = 0;
    for f in example_files() {
        let path = f.to_str().unwrap();
        let (code, json, err) =
            kplan(&["commit", path, "--profile", profile, "--format", "json", "--method", "ffd"]);
        assert_eq!(code, 0, "{path}: {err}");
        let dto: kplan_core::report::json::commit::CommitDto = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{path}: the report does not read as its schema: {e}"));
        assert_eq!(dto.schema, kplan_core::report::json::COMMIT_SCHEMA);
        assert_eq!(
            serde_json::to_value(&dto).unwrap(),
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
            "{path}"
        );
        read += 1;
    }
    assert!(read >= 3);
}

#[test]
fn every_karpenter_plan_verifies_or_names_what_it_breaks() {
    let dir = repo_root().join("data/examples");
    let mut inputs: Vec<Vec<String>> = Vec::new();
    for f in example_files() {
        inputs.push(vec![f.to_str().unwrap().to_string()]);
    }
    let mut manifests: Vec<_> =
        std::fs::read_dir(dir.join("manifests")).unwrap().map(|e| e.unwrap().path()).collect();
    manifests.sort();
    for f in manifests {
        let f = f.to_str().unwrap().to_string();
        inputs.push(vec!["-f".into(), f, "--provider".into(), "aws".into()]);
    }
    assert_eq!(inputs.len(), 5 + 11);
    let mut n_breaking = 0;
    for input in inputs {
        let args: Vec<&str> = input.iter().map(String::as_str).collect();
        let label = input.join(" ");
        let (code, json, err) = kplan(
            &[&["plan", "--method", "karpenter", "--no-finance", "--format", "json"][..], &args]
                .concat(),
        );
        assert_eq!(code, 0, "{label}: {err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["solver"]["method"], "karpenter", "{label}");
        assert_eq!(v["baseline"]["karpenter_monthly"], v["cost"]["monthly"], "{label}");
        let stated: Vec<String> = v["baseline"]["karpenter"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect();
        let out = std::env::temp_dir().join(format!(
            "kplan-karpenter-{}-{}.json",
            std::process::id(),
            label.replace(['/', ' '], "_")
        ));
        std::fs::write(&out, &json).unwrap();
        let (code, stdout, err) =
            kplan(&[&["verify"][..], &args, &[out.to_str().unwrap()]].concat());
        if stated.is_empty() {
            assert_eq!(code, 0, "{label}: {stdout}{err}");
        } else {
            n_breaking += 1;
            assert_eq!(code, 1, "{label}: {stdout}{err}");
            for s in &stated {
                assert!(stdout.contains(s.as_str()), "{label}: {s:?} not in {stdout}");
            }
            // The plan's own warnings say so too.
            let warned = v["warnings"].as_array().unwrap().iter().filter(|w| {
                w["message"].as_str().is_some_and(|m| m.starts_with("Karpenter's plan breaks"))
            });
            assert_eq!(warned.count(), stated.len(), "{label}");
        }
        insta::assert_snapshot!(format!("karpenter-{}", label_stem(&label)), summary(&json));
    }
    // web-shop and whatif-shop keep PodDisruptionBudget replicas off spot; Karpenter does not.
    assert!(n_breaking >= 2, "{n_breaking}");
}

fn label_stem(label: &str) -> String {
    let path = label.split(' ').find(|a| a.contains('/')).unwrap_or(label);
    let name = std::path::Path::new(path).file_stem().unwrap().to_str().unwrap();
    if label.starts_with("-f") { format!("manifests-{name}") } else { name.to_string() }
}

/// A stable text summary of a plan: pools and cost in cents (the snapshot).
fn summary(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut s = format!(
        "method {} status {}\nnodes {} pods {}\nmonthly {:.2}\n",
        v["solver"]["method"],
        v["solver"]["status"],
        v["totals"]["nodes"],
        v["totals"]["pods"],
        v["cost"]["monthly"].as_f64().unwrap()
    );
    for p in v["pools"].as_array().unwrap() {
        s.push_str(&format!(
            "{} {} {} x{} @{}\n",
            p["instance_type"].as_str().unwrap(),
            p["purchase"].as_str().unwrap(),
            p["zone"].as_str().unwrap(),
            p["count"],
            p["hourly_each"]
        ));
    }
    s
}

/// A stable text summary of a plan's `explain` block (all but its seconds): the changes that save
/// most, each policy's price, one more replica, vCPU and GiB, and each pool's binding resource.
fn explain_summary(e: &serde_json::Value) -> String {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut s = format!(
        "plan {} resolves {} cut_short {}\n",
        e["plan_monthly"], e["resolves"], e["cut_short"]
    );
    for c in e["top_changes"].as_array().unwrap() {
        s.push_str(&format!(
            "top {} {} saves {}\n",
            text(&c["kind"]),
            text(&c["what"]),
            c["saving_monthly"]
        ));
    }
    for p in e["policies"].as_array().unwrap() {
        s.push_str(&format!(
            "policy {} {} -> {}: binds {} price {} relaxed {} nodes {}{}\n",
            text(&p["policy"]),
            text(&p["value"]),
            text(&p["relaxed_to"]),
            p["binds"],
            p["price_monthly"],
            p["relaxed_monthly"],
            p["relaxed_nodes"],
            if p["dearer_resolve"] == true { " (dearer re-solve)" } else { "" }
        ));
    }
    let m = &e["marginal"];
    s.push_str(&format!(
        "vcpu {} gib {} duals_valid {}\n",
        m["vcpu_monthly"], m["gib_monthly"], m["duals_valid"]
    ));
    for w in m["workloads"].as_array().unwrap() {
        s.push_str(&format!(
            "replica {}/{} x{}: allocated {} dual {} resolved {}\n",
            text(&w["namespace"]),
            text(&w["name"]),
            w["replicas"],
            w["allocated_monthly"],
            w["dual_monthly"],
            w["resolved_monthly"]
        ));
    }
    for d in e["drivers"].as_array().unwrap() {
        s.push_str(&format!(
            "pool {} {} {} x{}: binding {}\n",
            text(&d["instance_type"]),
            text(&d["purchase"]),
            text(&d["zone"]),
            d["nodes"],
            text(&d["binding"])
        ));
    }
    for g in e["guidance"].as_array().unwrap() {
        s.push_str(&format!("guidance {}\n", text(&g["message"])));
    }
    s
}

#[test]
fn same_input_gives_byte_identical_json() {
    let path = repo_root().join("data/examples/web-shop.yaml");
    let p = path.to_str().unwrap();
    // The explanation's determinism is `determinism.rs`'s (and the explain snapshots'); here
    // the plan alone, four times.
    let first = kplan(&["plan", p, "--format", "json", "--no-explain"]).1;
    for _ in 0..3 {
        let again = kplan(&["plan", p, "--format", "json", "--no-explain"]).1;
        // The solver's seconds differ between runs; everything else must not.
        let strip = |s: &str| {
            s.lines().filter(|l| !l.contains("\"seconds\"")).collect::<Vec<_>>().join("\n")
        };
        assert_eq!(strip(&first), strip(&again));
    }
}

#[test]
fn init_writes_a_scenario_that_plans() {
    let path = std::env::temp_dir().join(format!("kplan-init-{}.yaml", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let p = path.to_str().unwrap();
    assert_eq!(kplan(&["init", p]).0, 0);
    assert_eq!(kplan(&["init", p]).0, 2, "refuses to overwrite");
    let (code, out, err) = kplan(&["plan", p]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Cost:"));
}

#[test]
fn catalog_fit_ranks_by_cost_per_pod() {
    let (code, out, _) =
        kplan(&["catalog", "--provider", "aws", "--fit", "500m,1Gi", "--format", "csv"]);
    assert_eq!(code, 0);
    let costs: Vec<f64> =
        out.lines().skip(1).map(|l| l.split(',').nth(12).unwrap().parse().unwrap()).collect();
    assert!(costs.len() > 100);
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "sorted by cost per pod");
    let (code, _, err) = kplan(&["catalog", "--fit", "500m"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected CPU,MEMORY"));
}
