//! Right-sizing on small hand-made scenarios and samples, every number computed by hand.

use super::*;
use crate::input::document::{document_yaml, scenario_document};
use crate::input::scenario::read_scenario;
use crate::input::usage::{UsageSource, read_usage};

const MI: u64 = 1 << 20;

const SCENARIO: &str = "name: t
provider: aws
region: us-east-1
workloads:
  - name: web
    namespace: shop
    replicas: 2
    requests: {cpu: 500m, memory: 512Mi}
    limits: {cpu: \"2\", memory: 1Gi}
  - name: db
    namespace: shop
    kind: StatefulSet
    replicas: 1
    containers:
      - {name: postgres, requests: {cpu: \"1\", memory: 2Gi}, limits: {memory: 2Gi}}
      - {name: exporter, requests: {cpu: 50m, memory: 64Mi}}
    init_containers:
      - {name: migrate, requests: {cpu: \"2\", memory: 1Gi}}
  - name: api
    namespace: shop
    replicas: 3
    requests: {cpu: 250m, memory: 256Mi}
    scalable: {min: 1, max: 3}
";

/// CPU (millicores) and memory (bytes) of the i-th sample.
type Samples = fn(usize) -> (u64, u64);

/// `n` samples a minute apart for each (pod, container), CPU and memory from functions of the index.
fn csv(rows: &[(&str, &str, usize, Samples)]) -> String {
    let mut out = String::from("timestamp,namespace,pod,container,cpu_millicores,memory\n");
    for (pod, container, n, f) in rows {
        for i in 0..*n {
            let (cpu, mem) = f(i);
            out.push_str(&format!(
                "{},shop,{pod},{container},{cpu},{mem}\n",
                1_714_521_600 + 60 * i
            ));
        }
    }
    out
}

fn run(usage_text: &str, s: &Settings) -> Rightsizing {
    let doc = scenario_document(SCENARIO, "t.yaml").output.unwrap();
    let usage = read_usage(&[UsageSource { name: "u.csv", text: usage_text }]).output.unwrap();
    rightsize(&doc, &usage, None, s)
}

fn row<'a>(r: &'a Rightsizing, workload: &str, container: &str) -> &'a Row {
    r.rows
        .iter()
        .find(|x| x.workload.name == workload && x.container == container)
        .unwrap_or_else(|| panic!("no row {workload}/{container}: {:?}", r.rows))
}

#[test]
fn simple_recommends_the_per_pod_p95_and_the_peak_plus_margin() {
    // web: two pods, 100 samples each. Pod a's CPU is 1..=100m (p95: rank 94.05 → 95.05m → 96m),
    // pod b's flat 40m; memory peaks at 299Mi (pod a's last sample).
    let text = csv(&[
        ("web-7d9f8c6b5d-x2k4p", "web", 100, |i| (i as u64 + 1, (200 + i as u64) * MI)),
        ("web-7d9f8c6b5d-bcdfg", "web", 100, |_| (40, 150 * MI)),
    ]);
    let r = run(&text, &settings(Strategy::Simple));
    let w = row(&r, "web", "web");
    assert_eq!(w.pods, 2);
    assert_eq!(w.cpu.samples, 200);
    assert_eq!(w.cpu.basis, Some(96));
    assert_eq!(w.cpu.request, Change { before: Some(500), after: Some(96) });
    // krr: no CPU limit.
    assert_eq!(w.cpu.limit, Change { before: Some(2000), after: None });
    // Memory: 299Mi × 1.15 = 343.85Mi → 344Mi; the limit equals the request.
    assert_eq!(w.memory.peak, Some(299 * MI));
    assert_eq!(w.memory.request, Change { before: Some(512 * MI), after: Some(344 * MI) });
    assert_eq!(w.memory.limit, Change { before: Some(1024 * MI), after: Some(344 * MI) });
    // Risk: pod a's CPU peak (100m) passes 96m, in 4 samples (97..=100); memory never does.
    assert_eq!((w.cpu.pods_over_request, w.cpu.samples_over_request), (1, 4));
    assert_eq!((w.memory.pods_over_request, w.memory.pods_near_limit), (0, 0));
    // The document carries the new quantities; the scenario reads back with them.
    let after = read_scenario(&document_yaml(&r.document), "after.yaml").output.unwrap();
    let (_, web) = after.workload("shop", "web").unwrap();
    assert_eq!(web.pod.requests.cpu, Cpu(96));
    assert_eq!(web.pod.requests.memory, Bytes(344 * MI));
    // No CPU limit: the limit counts its request (the overcommit rule).
    assert_eq!(web.pod.limits.cpu, Cpu(96));
    assert_eq!(r.document["workloads"][0]["limits"], serde_json::json!({"memory": "344Mi"}));
}

#[test]
fn too_few_samples_no_samples_and_autoscaled_are_flagged_not_guessed() {
    // db's postgres: 99 samples (one short); exporter none; api autoscaled.
    let text = csv(&[
        ("db-0", "postgres", 99, |_| (300, 900 * MI)),
        ("api-7d9f8c6b5d-x2k4p", "api", 200, |_| (10, 50 * MI)),
    ]);
    let r = run(&text, &settings(Strategy::Simple));
    let pg = row(&r, "db", "postgres");
    assert_eq!(pg.cpu.kept, Some(Kept::TooFewSamples { have: 99, need: 100 }));
    assert_eq!(pg.cpu.request, Change { before: Some(1000), after: Some(1000) });
    let ex = row(&r, "db", "exporter");
    assert_eq!((ex.cpu.kept, ex.memory.kept), (Some(Kept::NoSamples), Some(Kept::NoSamples)));
    let api = row(&r, "api", "api");
    assert_eq!(api.cpu.kept, Some(Kept::Autoscaled));
    assert!(!api.changed());
    // Nothing changed: the document is the same.
    assert_eq!(r.document, scenario_document(SCENARIO, "t.yaml").output.unwrap());
    // With allow_hpa and a lower threshold, both are recommended.
    let s = Settings { allow_hpa: true, min_samples: 50, ..settings(Strategy::Simple) };
    let r = run(&text, &s);
    assert_eq!(row(&r, "db", "postgres").cpu.request.after, Some(300));
    // api: 10m p95 → 10m (the floor is 10m too); 50Mi × 1.15 = 57.5Mi → 58Mi → floor 100Mi.
    let api = row(&r, "api", "api");
    assert_eq!(api.cpu.request.after, Some(10));
    assert_eq!(api.memory.request.after, Some(100 * MI));
    // The init container's 2 CPU and 1Gi keep the db pod's request up: said in a note.
    let notes = &row(&r, "db", "exporter").notes;
    // (Its memory, 1Gi, is below postgres' 1035Mi + exporter's 64Mi.)
    assert!(
        notes
            .iter()
            .any(|n| n
                == "init container migrate requests CPU 2: the pod's request stays at least that"),
        "{notes:?}"
    );
}

#[test]
fn percentile_strategy_pools_samples_and_keeps_limit_ratios() {
    let text = csv(&[
        ("web-7d9f8c6b5d-x2k4p", "web", 100, |i| (i as u64 + 1, (200 + i as u64) * MI)),
        ("web-7d9f8c6b5d-bcdfg", "web", 100, |_| (40, 150 * MI)),
    ]);
    let r = run(&text, &settings(Strategy::Percentile));
    let w = row(&r, "web", "web");
    // 200 pooled CPU samples: 100 × 40m and 1..=100m. Sorted, rank 0.95 × 199 = 189.05: the
    // 190th and 191st values are 90m and 91m → 90.05m → 91m; friendly rounding → 95m.
    assert_eq!(w.cpu.basis, Some(91));
    assert_eq!(w.cpu.request.after, Some(95));
    // Limit ratio 2000/500 = 4: 380m, friendly → 380m.
    assert_eq!(w.cpu.limit.after, Some(380));
    // Memory p99 of the 200 values (100 × 150Mi, 200..=299Mi): rank 197.01, the 198th and
    // 199th values are 297Mi and 298Mi → 297.01Mi; + 15% = 341.5615Mi; friendly (32Mi) → 352Mi.
    assert_eq!(w.memory.request.after, Some(352 * MI));
    // Limit ratio 1Gi/512Mi = 2: 704Mi, friendly → 704Mi.
    assert_eq!(w.memory.limit.after, Some(704 * MI));
    // p99 is below the peak (299Mi): nobody passes 352Mi, but the risk is counted exactly.
    assert_eq!(w.memory.pods_over_request, 0);
}

#[test]
fn keep_limits_raises_a_limit_below_the_new_request_and_flags_oom_risk() {
    // db postgres peaks at 1900Mi against its 2Gi limit: 1900 × 1.15 = 2185Mi → request 2185Mi
    // above the 2Gi limit, which is raised; the peak is within 15% of it.
    let text = csv(&[("db-0", "postgres", 120, |i| (100 + i as u64, (1780 + i as u64) * MI))]);
    let s = Settings { limits: LimitsPolicy::Keep, ..settings(Strategy::Simple) };
    let r = run(&text, &s);
    let pg = row(&r, "db", "postgres");
    assert_eq!(pg.memory.peak, Some(1899 * MI));
    let req = (1899 * MI * 115).div_ceil(100).div_ceil(MI) * MI;
    assert_eq!(pg.memory.request.after, Some(req));
    assert_eq!(pg.memory.limit.after, Some(req));
    assert!(pg.notes.iter().any(|n| n.starts_with("memory limit raised to the new request")));
    // Keep with a lower statistic: no raise, and a peak near the kept limit is the OOM risk.
    let text = csv(&[("db-0", "postgres", 120, |_| (100, 1800 * MI))]);
    let s = Settings { limits: LimitsPolicy::Keep, memory_margin: 0, ..settings(Strategy::Simple) };
    let r = run(&text, &s);
    let pg = row(&r, "db", "postgres");
    assert_eq!(pg.memory.request.after, Some(1800 * MI));
    assert_eq!(pg.memory.limit.after, Some(2048 * MI));
    // With no margin configured nothing is "near"; with the default 15% 1800Mi would be (2070Mi > 2048Mi).
    assert_eq!(pg.memory.pods_near_limit, 0);
    // The percentile strategy at p50: most samples at 1000Mi, 20 at 1850Mi. The request
    // 1000Mi × 1.15 = 1150Mi → 1152Mi (friendly); the peak passes it, and 1850Mi × 1.15 =
    // 2127.5Mi passes the kept 2Gi limit: the out-of-memory risk.
    let text =
        csv(&[("db-0", "postgres", 120, |i| (100, if i < 100 { 1000 * MI } else { 1850 * MI }))]);
    let s = Settings {
        limits: LimitsPolicy::Keep,
        memory_percentile: 500_000,
        ..settings(Strategy::Percentile)
    };
    let r = run(&text, &s);
    let pg = row(&r, "db", "postgres");
    assert_eq!(pg.memory.request.after, Some(1152 * MI));
    assert_eq!(pg.memory.limit.after, Some(2048 * MI));
    assert_eq!((pg.memory.pods_over_request, pg.memory.samples_over_request), (1, 20));
    assert_eq!((pg.memory.pods_over_limit, pg.memory.pods_near_limit), (0, 1));
}

#[test]
fn unmatched_pods_and_containers_are_listed_with_their_place() {
    let text = "timestamp,namespace,pod,container,cpu,memory\n\
                1714521600,kube-system,coredns-5d78c9869d-x2k4p,coredns,0.003,15000000\n\
                1714521600,shop,web-7d9f8c6b5d-x2k4p,web,0.1,100000000\n\
                1714521600,shop,db-0,migrate,0.5,100000000\n\
                1714521600,shop,db-0,sidecar,0.01,100000000\n\
                1714521600,shop,payments-0,app,0.01,100000000\n";
    let r = run(text, &settings(Strategy::Simple));
    let got: Vec<(String, Option<String>, String)> = r
        .unmatched
        .iter()
        .map(|u| (format!("{}/{}", u.namespace, u.pod), u.container.clone(), u.origin.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("kube-system/coredns-5d78c9869d-x2k4p".into(), None, "u.csv:2:1".into()),
            ("shop/payments-0".into(), None, "u.csv:6:1".into()),
            ("shop/db-0".into(), Some("migrate".into()), "u.csv:4:1".into()),
            ("shop/db-0".into(), Some("sidecar".into()), "u.csv:5:1".into()),
        ]
    );
    let messages: Vec<String> = r.notes.iter().map(|d| d.to_string()).collect();
    assert!(messages.contains(&"u.csv:2:1: warning: pod kube-system/coredns-5d78c9869d-x2k4p: the scenario has no workloads in namespace kube-system; its 1 sample(s) are not used".to_string()), "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.starts_with(
            "u.csv:4:1: warning: container migrate of pod shop/db-0: migrate is an init container"
        )),
        "{messages:#?}"
    );
    assert!(messages.iter().any(|m| m.starts_with("u.csv:5:1: warning: container sidecar of pod shop/db-0: workload shop/db has no container sidecar (its containers: postgres, exporter)")), "{messages:#?}");
    // A span under three hours is said.
    assert!(messages.iter().any(|m| m.contains("the timed samples span 0s")), "{messages:#?}");
    assert_eq!((r.usage.pods, r.usage.matched_pods), (4, 2));
}

#[test]
fn a_pod_level_workload_sums_its_containers_per_instant() {
    // web has flat requests; its pods run app + envoy. At each minute the sum is taken; one
    // instant has only app's sample and is left out.
    let text = csv(&[
        ("web-7d9f8c6b5d-x2k4p", "app", 101, |_| (100, 100 * MI)),
        ("web-7d9f8c6b5d-x2k4p", "envoy", 100, |_| (20, 30 * MI)),
    ]);
    let r = run(&text, &settings(Strategy::Simple));
    let w = row(&r, "web", "app+envoy");
    assert_eq!(w.cpu.samples, 100);
    assert_eq!(w.cpu.basis, Some(120));
    // 130Mi × 1.15 = 149.5Mi → 150Mi.
    assert_eq!(w.memory.request.after, Some(150 * MI));
    assert!(
        w.notes.iter().any(|n| n.contains("containers app, envoy are summed")),
        "{:?}",
        w.notes
    );
    assert!(w.notes.iter().any(|n| n.starts_with("1 instant(s) left out")), "{:?}", w.notes);
}

#[test]
fn plans_before_and_after_verify_and_savings_count_replicas() {
    let text = csv(&[
        ("web-7d9f8c6b5d-x2k4p", "web", 100, |_| (100, 200 * MI)),
        ("web-7d9f8c6b5d-bcdfg", "web", 100, |_| (100, 200 * MI)),
    ]);
    let r = run(&text, &settings(Strategy::Simple));
    let before = read_scenario(SCENARIO, "t.yaml").output.unwrap();
    let after = read_scenario(&document_yaml(&r.document), "after.yaml").output.unwrap();
    let planned = plan_both(&before, &after, &crate::solve::default_config()).unwrap();
    assert!(planned.before_violations.is_empty() && planned.after_violations.is_empty());
    assert!(planned.after.hourly().0 <= planned.before.hourly().0);
    let s = savings(&before, &after);
    let web = s.iter().find(|w| w.workload.name == "web").unwrap();
    // 500m → 100m and 512Mi → 230Mi, two replicas.
    assert_eq!(web.cpu_saved(), 800);
    assert_eq!(web.memory_saved(), 2 * (512 - 230) * i128::from(MI));
}
