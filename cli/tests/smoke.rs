//! Process-level smoke tests of the `kplan` binary: exit codes, files, stdin.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn kplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kplan"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kplan-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn plan_json_then_verify_accepts_it() {
    let out = tmp("web-shop.json");
    let status = kplan()
        .args(["plan", "--format", "json", "--out"])
        .arg(&out)
        .arg(repo("data/examples/web-shop.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    let o =
        kplan().arg("verify").arg(repo("data/examples/web-shop.yaml")).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("valid"));
}

#[test]
fn bad_scenario_exits_2_with_location() {
    let path = tmp("bad.yaml");
    std::fs::write(&path, "name: x\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    requests: {cpu: 10mi}\n").unwrap();
    let o = kplan().arg("plan").arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.yaml:6:21: error: invalid quantity \"10mi\""), "{err}");
}

#[test]
fn infeasible_exits_1_naming_the_workload() {
    let path = tmp("huge.yaml");
    std::fs::write(&path, "name: x\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m5]}\nworkloads:\n  - name: giant\n    requests: {cpu: \"500\", memory: 1Gi}\n").unwrap();
    let o = kplan().arg("plan").arg(&path).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("workload default/giant fits no node option")
            && err.contains("requests cpu 500"),
        "{err}"
    );
}

#[test]
fn scenario_from_stdin() {
    let mut child = kplan()
        .args(["plan", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"name: s\nprovider: gcp\nregion: us-central1\nworkloads:\n  - {name: a, replicas: 2, requests: {cpu: 1, memory: 1Gi}}\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "kplan.plan/v1");
}

#[test]
fn missing_file_and_bad_flag_exit_2() {
    let o = kplan().args(["plan", "does-not-exist.yaml"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read does-not-exist.yaml"));
    let o = kplan().args(["plan", "--format", "pdf", "x.yaml"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn manifests_from_stdin_as_helm_template_pipes_them() {
    let chart = std::fs::read(repo("data/examples/manifests/shop-chart.yaml")).unwrap();
    let mut child = kplan()
        .args(["plan", "-f", "-", "--provider", "aws", "--format", "json", "--method", "ffd"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&chart).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totals"]["pods"], 7);
    // A broken document on stdin is located in `<stdin>`.
    let mut child = kplan()
        .args(["plan", "-f", "-", "--provider", "aws"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"---\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, resources: {requests: {cpu: 1x}}}]}\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("<stdin>:4:"), "{err}");
    assert!(err.contains("invalid quantity \"1x\""), "{err}");
}

/// The HiGHS backend plans when the `highs` feature is built in, and is refused clearly (exit 2)
/// when it is not.
#[test]
fn highs_backend_plans_or_is_refused() {
    let o = kplan()
        .args(["plan", "--backend", "highs", "--format", "json"])
        .arg(repo("data/examples/on-prem.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    if cfg!(feature = "highs") {
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        let json = String::from_utf8_lossy(&o.stdout);
        assert!(json.contains("\"backend\": \"highs\""), "{json}");
    } else {
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("highs backend is not built in"), "{stderr}");
    }
}

#[test]
fn commit_reports_json_and_markdown_and_rejects_a_bad_profile() {
    let scenario = tmp("commit.yaml");
    std::fs::write(&scenario, "name: c\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\npurchase: [on-demand, reserved-1y]\ncatalog:\n  custom:\n    - {name: n4, cpu: 4, memory: 16Gi, price: {on_demand: 1.0, reserved_1y: 0.5}}\nworkloads:\n  - {name: api, replicas: 4, max_per_node: 1, scalable: {min: 2, max: 4}, requests: {cpu: 3, memory: 4Gi}}\n").unwrap();
    let profile = tmp("two-levels.csv");
    let mut csv = String::from("hour,scale\n");
    for h in 0..168 {
        csv.push_str(&format!("{h},{}\n", if h < 100 { "1.0" } else { "0.5" }));
    }
    std::fs::write(&profile, csv).unwrap();
    let o = kplan()
        .args(["commit", "--format", "json", "--method", "ffd"])
        .arg(&scenario)
        .arg("--profile")
        .arg(&profile)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "kplan.commit/v1");
    // Break-even 50% < 100/168 hours at full load: all 16 vCPUs are committed.
    assert_eq!(v["commitments"][0]["vcpus"], 16);
    assert_eq!(v["levels"].as_array().unwrap().len(), 2);
    let o = kplan()
        .args(["commit", "--format", "markdown", "--method", "ffd"])
        .arg(&scenario)
        .arg("--profile")
        .arg(&profile)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("# Commitment plan: c"));
    std::fs::write(&profile, "hour,scale\n0,1.0\n2,0.5\n").unwrap();
    let o = kplan().arg("commit").arg(&scenario).arg("--profile").arg(&profile).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("two-levels.csv:3: column `hour`"), "{err}");
}
