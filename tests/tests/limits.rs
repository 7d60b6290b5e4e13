//! Resource limits: alias bombs, deep nesting, oversized files and absurd counts or quantities
//! are refused with a clear, located error (exit code 2) in bounded time, without planning.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use kplan_tests::kplan;

/// Each limit must answer well within this, even in a debug build.
const BOUND_SECONDS: f64 = 5.0;

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("limits");
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the input");
    path
}

/// Runs kplan and returns (exit code, stdout, stderr, seconds).
fn timed(args: &[&str]) -> (i32, String, String, f64) {
    #[expect(clippy::disallowed_methods, reason = "a test measures the wall clock of a run")]
    let start = std::time::Instant::now();
    let (code, out, err) = kplan(args);
    (code, out, err, start.elapsed().as_secs_f64())
}

fn assert_refused(args: &[&str], dir: &str, expected: &str) {
    let (code, out, err, seconds) = timed(args);
    let err = err.replace(dir, "");
    assert_eq!(code, 2, "stdout:\n{out}\nstderr:\n{err}");
    assert!(err.contains(expected), "missing\n  {expected}\nin stderr:\n{err}");
    assert!(seconds < BOUND_SECONDS, "took {seconds:.2} s");
}

fn dir_prefix(path: &std::path::Path) -> String {
    format!("{}/", path.parent().expect("a parent").display())
}

/// Nine levels of nine aliases: 9^9 = 387,420,489 strings if expanded.
fn alias_bomb(head: &str) -> String {
    let mut s = format!("{head}x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        s.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    s
}

#[test]
fn an_alias_bomb_is_refused_without_expanding_it() {
    let path =
        tmp("bomb.yaml", &alias_bomb("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"));
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", "-f", p, "--provider", "aws"],
        &dir_prefix(&path),
        "bomb.yaml:1:1: error: YAML aliases (*name) expand to too many values (the repetition limit); an alias bomb is refused rather than expanded [document 1]",
    );
    // A scenario's typed fields stop at the first alias of the wrong shape.
    let path = tmp(
        "bomb-scenario.yaml",
        "name: t\nprovider: aws\nregion: us-east-1\nzones: &a [lol, lol, lol]\nworkloads: &b [*a, *a, *a]\nvariants: [*b, *b, *b]\n",
    );
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", p],
        &dir_prefix(&path),
        "bomb-scenario.yaml:4:8: error: invalid type: sequence, expected a mapping (at workloads[0])",
    );
}

#[test]
fn deep_nesting_is_refused_at_the_recursion_limit() {
    // Deep enough that the YAML parser alone would take minutes (its scan is quadratic in depth).
    let depth = 100_000;
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let path = tmp("deep.yaml", &text);
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", "-f", p, "--provider", "aws"],
        &dir_prefix(&path),
        "deep.yaml:4:135: error: YAML nesting is too deep (the recursion limit is 128 levels); expected a flatter document [document 1]",
    );
    let text = format!(
        "name: t\nprovider: aws\nregion: us-east-1\ndescription: {}\n",
        "{a: ".repeat(depth)
    );
    let path = tmp("deep-scenario.yaml", &text);
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", p],
        &dir_prefix(&path),
        "deep-scenario.yaml:4:526: error: YAML nesting is too deep (the recursion limit is 128 levels); expected a flatter document",
    );
}

#[test]
fn a_file_over_the_default_size_limit_is_refused_before_it_is_read() {
    let path = tmp("huge.yaml", "");
    // A sparse file of 64 MiB + 1 byte: refused by its length, so it is never read.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_len((64 << 20) + 1))
        .expect("a sparse file");
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", p],
        &dir_prefix(&path),
        "error: huge.yaml is 67108865 bytes, over the input size limit of 67108864 bytes (--max-input-size, at most 64Mi)\n",
    );
    assert_refused(
        &["plan", "-f", p, "--provider", "aws"],
        &dir_prefix(&path),
        "error: huge.yaml is 67108865 bytes, over the input size limit of 67108864 bytes (--max-input-size, at most 64Mi)\n",
    );
}

#[test]
fn max_input_size_sets_a_lower_limit_and_refuses_a_higher_one() {
    let mut text = "name: t\nprovider: aws\nregion: us-east-1\n".to_string();
    text.push_str(&"# padding\n".repeat(200));
    let path = tmp("padded.yaml", &text);
    let p = path.to_str().expect("UTF-8");
    let size = text.len();
    assert_refused(
        &["plan", "--max-input-size", "1Ki", p],
        &dir_prefix(&path),
        &format!(
            "error: padded.yaml is {size} bytes, over the input size limit of 1024 bytes (--max-input-size, at most 64Mi)\n"
        ),
    );
    let (code, _, err) = kplan(&["plan", "--max-input-size", "65Mi", p]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected 1 to 67108864 bytes (64Mi), found 68157440"), "{err}");
    let (code, _, err) = kplan(&["plan", "--max-input-size", "4Ki", p]);
    assert_eq!(code, 0, "the file is under 4 KiB: {err}");
}

#[test]
fn absurd_replica_counts_are_refused_before_planning() {
    let path = tmp(
        "replicas.yaml",
        "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: web\n    replicas: 4000000000\n    requests: {cpu: 250m, memory: 256Mi}\n",
    );
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", p],
        &dir_prefix(&path),
        "replicas.yaml:6:15: error: workload default/web brings the scenario to 4000000000 pods; kplan plans at most 1500000 (ten times the Kubernetes limit of 150000 pods per cluster) (at workloads[0].replicas)",
    );
    let path = tmp(
        "replicas-variant.yaml",
        "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: web\n    replicas: 3\n    requests: {cpu: 250m, memory: 256Mi}\nvariants:\n  - name: typo\n    replicas: {web: 4000000000}\n",
    );
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["compare", "--quiet", p],
        &dir_prefix(&path),
        "replicas-variant.yaml:9:5: error: variant \"typo\": workload default/web brings the scenario to 4000000000 pods; kplan plans at most 1500000 (ten times the Kubernetes limit of 150000 pods per cluster) (at variants[0])",
    );
    let path = tmp(
        "replicas-manifest.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 4000000000\n  template:\n    spec:\n      containers:\n        - name: a\n          resources:\n            requests: {cpu: 10m}\n",
    );
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", "-f", p, "--provider", "aws"],
        &dir_prefix(&path),
        "replicas-manifest.yaml:1:1: error: workload default/web brings the scenario to 4000000000 pods; kplan plans at most 1500000 (ten times the Kubernetes limit of 150000 pods per cluster) [document 1]",
    );
}

#[test]
fn absurd_quantities_are_refused_or_infeasible_in_bounded_time() {
    let scenario = |cpu: &str| {
        format!(
            "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: web\n    replicas: 3\n    requests: {{cpu: {cpu}, memory: 256Mi}}\n"
        )
    };
    // Past 64 bits of millicores: a located quantity error.
    let path = tmp("cpu-overflow.yaml", &scenario("1e400"));
    let p = path.to_str().expect("UTF-8");
    assert_refused(
        &["plan", p],
        &dir_prefix(&path),
        "cpu-overflow.yaml:7:21: error: invalid quantity \"1e400\": the value is too large (it must fit in 64 bits of the unit) (at workloads[0].requests.cpu)",
    );
    // 10^15 cores parses, and no node can hold it: infeasible (exit 1), named, at once.
    let path = tmp("cpu-huge.yaml", &scenario("1e15"));
    let p = path.to_str().expect("UTF-8");
    let (code, _, err, seconds) = timed(&["plan", p]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("infeasible: workload default/web fits no node option: it requests cpu 1000000000000000 per pod"),
        "{err}"
    );
    assert!(seconds < BOUND_SECONDS, "took {seconds:.2} s");
}
