//! Same input, same output: ten in-process runs of `kplan plan --format json` give byte-identical
//! JSON once the wall-clock `"seconds"` lines (the solver's and the explanation's) are removed
//! (nothing else is stripped); the explanation's re-solves are deterministic too.
#![forbid(unsafe_code)]

use kplan_tests::kplan;

/// A small scenario with spreading, spot and a floor, so that ties between node options matter.
const SCENARIO: &str = "name: det
provider: aws
region: us-east-1
zones: [us-east-1a, us-east-1b, us-east-1c]
purchase: [on-demand, spot]
catalog:
  families: [m7i, c7i, r7i]
  max_cpu: \"16\"
policy:
  spot: {max_share: 0.5}
  headroom: node
workloads:
  - name: web
    replicas: 6
    requests: {cpu: 500m, memory: 512Mi}
    spot: true
    zone_spread: {max_skew: 1}
    min_available: 4
  - name: api
    replicas: 4
    requests: {cpu: \"1\", memory: 2Gi}
    max_per_node: 2
  - name: cache
    replicas: 3
    requests: {cpu: 250m, memory: 4Gi}
";

fn without_seconds(json: &str) -> String {
    json.lines()
        .filter(|l| !l.trim_start().starts_with("\"seconds\":"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ten_runs_agree(method: &str) {
    let dir =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("determinism-{method}"));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("det.yaml");
    std::fs::write(&path, SCENARIO).expect("write the scenario");
    let p = path.to_str().expect("a UTF-8 path");
    let run = || {
        let (code, out, err) = kplan(&["plan", p, "--format", "json", "--method", method]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let first = run();
    assert!(first.contains("\"kplan.plan/v1\""), "{first}");
    let removed = first.lines().count() - without_seconds(&first).lines().count();
    assert_eq!(
        removed, 2,
        "exactly two \"seconds\" lines are stripped: the plan's and the explanation's"
    );
    for i in 1..10 {
        let again = run();
        assert_eq!(without_seconds(&first), without_seconds(&again), "run {i} differs ({method})");
    }
}

#[test]
fn ten_exact_plans_of_the_same_input_are_byte_identical() {
    ten_runs_agree("exact");
}

#[test]
fn ten_ffd_plans_of_the_same_input_are_byte_identical() {
    ten_runs_agree("ffd");
}
