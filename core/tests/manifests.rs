//! The manifest corpus in `data/examples/manifests/`: every workload read exactly as hand-computed.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kplan_core::catalog::Arch;
use kplan_core::input::import::import_scenario_yaml;
use kplan_core::input::manifests::{
    ManifestOptions, Manifests, ReplicaMode, Source, default_options, read_manifests,
};
use kplan_core::input::scenario::read_scenario;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/examples/manifests")
}

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                files(&e, out);
            } else if e.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json") {
                out.push(e);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn texts(name: &str) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    files(&corpus().join(name), &mut paths);
    paths
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

fn read_with(name: &str, options: &ManifestOptions) -> Manifests {
    let texts = texts(name);
    let sources: Vec<Source<'_>> = texts.iter().map(|(n, t)| Source { name: n, text: t }).collect();
    let res = read_manifests(&sources, options);
    match res.output {
        Ok(m) => m,
        Err(e) => panic!("{}", e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

fn read(name: &str) -> Manifests {
    read_with(name, &default_options())
}

fn warnings(name: &str) -> Vec<String> {
    let texts = texts(name);
    let sources: Vec<Source<'_>> = texts.iter().map(|(n, t)| Source { name: n, text: t }).collect();
    let res = read_manifests(&sources, &default_options());
    let root = corpus().display().to_string();
    res.warnings.iter().map(|w| w.to_string().replace(&root, "")).collect()
}

/// One workload as a line: kind ns/name ×replicas, requests and limits (cpu in millicores,
/// memory in MiB), then the flags that are set.
fn rows(m: &Manifests) -> Vec<String> {
    m.workloads
        .iter()
        .map(|mw| {
            let w = &mw.workload;
            let mib = |b: kplan_core::quantity::Bytes| b.0 as f64 / 1048576.0;
            let mut s = format!(
                "{} {}/{} x{} req {}m/{}Mi lim {}m/{}Mi",
                w.kind,
                w.namespace,
                w.name,
                w.replicas,
                w.pod.requests.cpu.0,
                mib(w.pod.requests.memory),
                w.pod.limits.cpu.0,
                mib(w.pod.limits.memory)
            );
            for (k, v) in &w.pod.requests.extended {
                s.push_str(&format!(" {k}={v}"));
            }
            if let Some(m) = w.max_per_node {
                s.push_str(&format!(" max_per_node={m}"));
            }
            if w.spot {
                s.push_str(" spot");
            }
            if let Some(m) = w.min_available {
                s.push_str(&format!(" min_available={m}"));
            }
            if let Some(z) = w.zone_spread {
                s.push_str(&format!(" zone_skew={}", z.max_skew));
            }
            if let Some(sc) = w.scalable {
                s.push_str(&format!(" hpa={}..{}", sc.min_replicas, sc.max_replicas));
            }
            if !w.placement.arch.is_empty() {
                let a: Vec<&str> = w.placement.arch.iter().map(|a| a.as_str()).collect();
                s.push_str(&format!(" arch={}", a.join(",")));
            }
            if !w.placement.instance_types.is_empty() {
                s.push_str(&format!(" types={}", w.placement.instance_types.join(",")));
            }
            if let Some(o) = &w.owner {
                s.push_str(&format!(" owner={o}"));
            }
            s
        })
        .collect()
}

fn check(m: &Manifests, expect: &[&str]) {
    let got = rows(m);
    assert_eq!(got, expect.iter().map(|s| s.to_string()).collect::<Vec<_>>());
}

fn counts(m: &BTreeMap<String, usize>) -> Vec<(&str, usize)> {
    m.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

#[test]
fn chart_like_multi_document_file_with_empty_documents() {
    let m = read("shop-chart.yaml");
    // frontend: web 250m/256Mi (limit 1/512Mi) + envoy 50m/64Mi (no limit: its request counts);
    // HPA 3..10 keeps spec.replicas 4; maxUnavailable 25% of 4 rounds up to 1, so 3 stay available.
    // catalog: init migrate 1 CPU beats the app's 500m; memory max(1Gi, 256Mi); minAvailable 50% of 3 rounds up to 2.
    check(
        &m,
        &[
            "Deployment shop/frontend x4 req 300m/320Mi lim 1050m/576Mi max_per_node=1 min_available=3 zone_skew=1 hpa=3..10 owner=web-team",
            "Deployment shop/catalog x3 req 1000m/1024Mi lim 1000m/1024Mi min_available=2 owner=storefront",
        ],
    );
    assert_eq!(m.n_documents, 13);
    assert_eq!(counts(&m.skipped), [("ConfigMap", 1), ("Service", 2), ("ServiceAccount", 1)]);
    assert!(m.daemonsets.is_empty());
}

#[test]
fn replicas_follow_the_autoscaler_by_mode() {
    let opts = |replicas| ManifestOptions { replicas, ..default_options() };
    // Peak: 10 replicas; 25% of 10 = 2.5 rounds up to 3 unavailable, so 7 available.
    let peak = read_with("shop-chart.yaml", &opts(ReplicaMode::Peak));
    assert_eq!(rows(&peak)[0].split(" req").next().unwrap(), "Deployment shop/frontend x10");
    assert_eq!(peak.workloads[0].workload.min_available, Some(7));
    // Min: 3 replicas; 25% of 3 = 0.75 rounds up to 1, so 2 available.
    let min = read_with("shop-chart.yaml", &opts(ReplicaMode::Min));
    assert_eq!(min.workloads[0].workload.replicas, 3);
    assert_eq!(min.workloads[0].workload.min_available, Some(2));
    // catalog has no autoscaler: 3 replicas in every mode.
    assert_eq!(peak.workloads[1].workload.replicas, 3);
}

#[test]
fn kubectl_list_skips_what_controllers_own() {
    let m = read("cluster-list.yaml");
    check(
        &m,
        &[
            "Deployment payments/api x2 req 750m/768Mi lim 750m/768Mi owner=payments-team",
            "StatefulSet payments/ledger-db x3 req 2050m/8224Mi lim 2050m/8224Mi max_per_node=1 owner=data-team",
            "ReplicationController payments/legacy-queue x1 req 200m/256Mi lim 200m/256Mi",
            "Pod payments/debug-shell x1 req 100m/128Mi lim 100m/128Mi",
        ],
    );
    assert_eq!(counts(&m.owned), [("Pod", 2), ("ReplicaSet", 1)]);
    let ds: Vec<String> = m
        .daemonsets
        .iter()
        .map(|d| {
            let d = &d.daemonset;
            format!(
                "{}/{} {}m/{}Mi lim {}Mi arch={:?} gpu={:?} spot={:?}",
                d.namespace,
                d.name,
                d.pod.requests.cpu.0,
                d.pod.requests.memory.0 >> 20,
                d.pod.limits.memory.0 >> 20,
                d.arch,
                d.gpu,
                d.spot
            )
        })
        .collect();
    assert_eq!(
        ds,
        [
            "monitoring/node-exporter 100m/64Mi lim 128Mi arch=[] gpu=None spot=None",
            "monitoring/arm-agent 50m/32Mi lim 32Mi arch=[Arm64] gpu=None spot=None",
        ]
    );
    let claims: Vec<String> = m
        .volume_claims
        .iter()
        .map(|c| {
            format!("{}/{} {}x{} {:?}", c.namespace, c.name, c.count, c.storage, c.storage_class)
        })
        .collect();
    assert_eq!(claims, ["payments/data-ledger-db 3x100Gi Some(\"gp3\")"]);
    assert_eq!(m.n_documents, 1);
}

#[test]
fn json_list_of_jobs_and_cronjobs() {
    // Jobs run to completion: read, checked and reported, not planned; the CronJob counts its
    // job's parallelism as a peak, since it comes back on schedule.
    let m = read("batch.json");
    check(&m, &["CronJob batch/hourly-sync x3 req 250m/512Mi lim 250m/512Mi owner=data-team"]);
    let one_shot: Vec<String> = m
        .one_shot
        .iter()
        .map(|o| format!("{} {}/{} {:?}", o.kind, o.namespace, o.name, o.hook))
        .collect();
    assert_eq!(one_shot, ["Job batch/nightly-report None", "Job batch/reindex None"]);
    assert_eq!(counts(&m.owned), [("Job", 1)]);
    assert_eq!(counts(&m.skipped), [("Secret", 1)]);
    assert_eq!(m.n_accounted(), m.n_objects);
    assert!(m.summary().message.ends_with(
        "; 1 CronJob counted at their job's parallelism as if always running (a peak); not planned: 2 one-shot Jobs batch/nightly-report, batch/reindex (they run to completion; --include-jobs plans them as if they ran for good); not planned because their controller is planned: Job ×1; skipped (not workloads): Secret ×1"
    ), "{}", m.summary().message);
    // With --include-jobs, Jobs run min(parallelism, completions) pods as if always running.
    let all = read_with("batch.json", &ManifestOptions { include_jobs: true, ..default_options() });
    check(
        &all,
        &[
            "Job batch/nightly-report x4 req 500m/1024Mi lim 500m/2048Mi owner=finance-analytics",
            "Job batch/reindex x2 req 1000m/2048Mi lim 1000m/2048Mi",
            "CronJob batch/hourly-sync x3 req 250m/512Mi lim 250m/512Mi owner=data-team",
        ],
    );
}

#[test]
fn limit_ranges_quotas_init_containers_and_overhead() {
    let m = read("limits.yaml");
    // notebook: jupyter gets defaultRequest 100m and (from default) 512Mi, limits 500m/512Mi;
    // the sidecar log-shipper 50m/64Mi gets the default limits 500m/512Mi; fetch-model 1/2Gi.
    // requests: max(app + sidecar = 150m/576Mi, fetch + sidecar = 1050m/2112Mi) + overhead 250m/120Mi = 1300m/2232Mi.
    // limits:   max(1000m/1024Mi, 1500m/2560Mi) + overhead = 1750m/2680Mi.
    // scratch: the limit-only CPU requests 300m; memory from the LimitRange default, 512Mi.
    check(
        &m,
        &[
            "Deployment analytics/notebook x3 req 1300m/2232Mi lim 1750m/2680Mi owner=data-team",
            "Pod analytics/scratch x1 req 300m/512Mi lim 300m/512Mi owner=data-team",
            "Deployment analytics/etl x4 req 400m/1024Mi lim 1000m/1024Mi owner=etl-team",
        ],
    );
    assert_eq!(m.volume_claims.len(), 1);
    assert_eq!(m.volume_claims[0].storage, kplan_core::quantity::Bytes::gib(500));
    // requests.cpu: 3 × 1300m + 300m + 4 × 400m = 5800m > 2; requests.memory: 3 × 2232Mi + 512Mi + 4 × 1Gi
    // = 11304Mi > 4Gi; limits.cpu: 3 × 1750m + 300m + 4 × 1 = 9550m > 4. pods 8 ≤ 10; 2 Deployments ≤ 2.
    let w = warnings("limits.yaml");
    let quota: Vec<&String> = w.iter().filter(|w| w.contains("ResourceQuota")).collect();
    assert_eq!(quota.len(), 3, "{w:#?}");
    assert_eq!(
        quota[0],
        "/limits.yaml:35:19: warning: ResourceQuota analytics/analytics-quota: the planned pods need requests.cpu 5800m (notebook 3 × 1300m, scratch 1 × 300m, etl 4 × 400m), above the hard limit 2; the API server would refuse the pods beyond it (at spec.hard.requests.cpu) [document 3]"
    );
    assert!(quota[1].starts_with("/limits.yaml:36:22: warning: ResourceQuota analytics/analytics-quota: the planned pods need requests.memory 11304Mi (notebook 3 × 2232Mi, scratch 1 × 512Mi, etl 4 × 1Gi), above the hard limit 4Gi"), "{}", quota[1]);
    assert!(quota[2].starts_with("/limits.yaml:37:17: warning: ResourceQuota analytics/analytics-quota: the planned pods need limits.cpu 9550m"), "{}", quota[2]);
}

#[test]
fn spot_tolerance_from_gke_eks_karpenter_and_aks() {
    let m = read("spot.yaml");
    check(
        &m,
        &[
            "Deployment jobs/gke-worker x5 req 500m/512Mi lim 500m/512Mi spot min_available=3",
            "Deployment jobs/eks-worker x2 req 500m/512Mi lim 500m/512Mi spot",
            "Deployment jobs/karpenter-worker x2 req 500m/512Mi lim 500m/512Mi spot",
            "Deployment jobs/aks-worker x2 req 500m/512Mi lim 500m/512Mi spot",
            "Deployment jobs/payments-core x2 req 1000m/1024Mi lim 1000m/1024Mi",
            "Deployment jobs/ledger x2 req 1000m/1024Mi lim 1000m/1024Mi",
            "Deployment jobs/plain x1 req 100m/128Mi lim 100m/128Mi",
        ],
    );
    let ds: Vec<(String, Option<bool>)> =
        m.daemonsets.iter().map(|d| (d.daemonset.name.clone(), d.daemonset.spot)).collect();
    assert_eq!(
        ds,
        [("spot-handler".to_string(), Some(true)), ("on-demand-agent".to_string(), Some(false))]
    );
    let w = warnings("spot.yaml");
    assert!(
        w.iter().any(|w| w.starts_with(
            "/spot.yaml:49:7: warning: Deployment jobs/eks-worker requires spot nodes"
        )),
        "{w:#?}"
    );
}

#[test]
fn arch_gpu_and_daemonset_selectors() {
    let m = read("gpu-arm.yaml");
    check(
        &m,
        &[
            "Deployment ml/llm-server x2 req 3000m/12288Mi lim 3000m/12288Mi nvidia.com/gpu=1 owner=ml-platform",
            "Deployment ml/arm-api x2 req 500m/1024Mi lim 500m/1024Mi arch=arm64",
            "Deployment ml/multiarch x2 req 250m/256Mi lim 250m/256Mi arch=amd64,arm64",
            "Deployment ml/pinned x1 req 1000m/2048Mi lim 1000m/2048Mi types=m7i.xlarge",
            "Prometheus monitoring/prometheus-k8s x2 req 510m/2098Mi lim 510m/2098Mi",
        ],
    );
    assert_eq!(m.workloads[1].workload.placement.arch, [Arch::Arm64]);
    let ds: Vec<(String, Option<bool>)> =
        m.daemonsets.iter().map(|d| (d.daemonset.name.clone(), d.daemonset.gpu)).collect();
    assert_eq!(ds, [("dcgm-exporter".to_string(), Some(true)), ("ssd-cache".to_string(), None)]);
    // The Prometheus custom resource is read as prometheus-operator's StatefulSet: 500m/2Gi
    // given, plus the config-reloader's 10m/50Mi (requests = limits); the prometheus
    // container's missing limits count its requests.
    assert_eq!(counts(&m.skipped), [("ServiceMonitor", 1)]);
    assert_eq!(counts(&m.operated), [("Prometheus", 1)]);
    let w = warnings("gpu-arm.yaml");
    assert!(w.iter().any(|w| w.starts_with("/gpu-arm.yaml:144:7: warning: DaemonSet kube-system/ssd-cache selects nodes by disktype In [ssd], which kplan cannot resolve; it is counted on every node")), "{w:#?}");
    let prom = w.iter().find(|w| w.contains("Prometheus monitoring/k8s")).unwrap();
    assert!(prom.starts_with("/gpu-arm.yaml:152:1: note: Prometheus monitoring/k8s (monitoring.coreos.com/v1) is planned as the pods prometheus-operator v0.93.0 creates for it"), "{prom}");
}

#[test]
fn directory_read_recursively_with_a_typed_list_and_json() {
    let m = read("platform");
    // gateway: hostname spread with maxSkew 2 → at most 2 per node; HPA 4..12 keeps 6; PDB minAvailable 2.
    check(
        &m,
        &[
            "Deployment platform/gateway x6 req 300m/384Mi lim 600m/384Mi max_per_node=2 min_available=2 hpa=4..12 owner=platform-team",
            "Deployment platform/worker x2 req 750m/1536Mi lim 750m/1536Mi owner=platform-team",
        ],
    );
    // --owner-key is checked first: the object's own key, else its namespace's.
    let opts = ManifestOptions { owner_key: Some("cost-center".to_string()), ..default_options() };
    let m = read_with("platform", &opts);
    let owners: Vec<Option<&str>> =
        m.workloads.iter().map(|w| w.workload.owner.as_deref()).collect();
    assert_eq!(owners, [Some("cc-1042"), Some("cc-2077")]);
}

#[test]
fn imported_scenarios_read_back_to_the_same_workloads() {
    for name in [
        "shop-chart.yaml",
        "cluster-list.yaml",
        "batch.json",
        "limits.yaml",
        "spot.yaml",
        "gpu-arm.yaml",
        "platform",
        "monitoring-stack.yaml",
        "strimzi-kafka.yaml",
        "cnpg-cluster.yaml",
    ] {
        let m = read(name);
        let yaml = import_scenario_yaml(
            "imported",
            kplan_core::catalog::Provider::Aws,
            "us-east-1",
            &m,
            &default_options(),
            &[name.to_string()],
        );
        let s = match read_scenario(&yaml, "imported.yaml").output {
            Ok(s) => s,
            Err(e) => panic!("{name}:\n{yaml}\n{e:#?}"),
        };
        assert_eq!(s.workloads.len(), m.workloads.len(), "{name}");
        for (a, b) in s.workloads.iter().zip(&m.workloads) {
            let mut b = b.workload.clone();
            // The scenario does not carry labels; everything planned is the same.
            b.labels.clear();
            assert_eq!(a, &b, "{name}\n{yaml}");
        }
        let ds: Vec<_> = m.daemonsets.iter().map(|d| d.daemonset.clone()).collect();
        assert_eq!(s.daemonsets.len(), ds.len(), "{name}");
        for (a, b) in s.daemonsets.iter().zip(&ds) {
            assert_eq!(
                (&a.name, &a.namespace, &a.pod.requests, &a.pod.limits, &a.arch, a.gpu, a.spot),
                (&b.name, &b.namespace, &b.pod.requests, &b.pod.limits, &b.arch, b.gpu, b.spot),
                "{name}"
            );
        }
    }
}

#[test]
fn no_prefix_of_the_corpus_panics_and_every_error_is_located() {
    for name in [
        "shop-chart.yaml",
        "cluster-list.yaml",
        "batch.json",
        "limits.yaml",
        "spot.yaml",
        "gpu-arm.yaml",
        "monitoring-stack.yaml",
        "strimzi-kafka.yaml",
        "cnpg-cluster.yaml",
    ] {
        let (_, text) = texts(name).remove(0);
        let mut cut = 0;
        while cut < text.len() {
            let prefix = &text[..cut];
            let res =
                read_manifests(&[Source { name: "p.yaml", text: prefix }], &default_options());
            if let Err(errors) = res.output {
                for e in errors {
                    assert!(e.location.is_some() && e.source.is_some(), "{name} cut at {cut}: {e}");
                }
            }
            cut += 13;
            while !text.is_char_boundary(cut.min(text.len())) {
                cut += 1;
            }
        }
    }
}

// See: the summary that read "95 documents" and then skipped 121 items, with Namespaces and
// PodDisruptionBudgets never listed.
#[test]
fn the_summary_adds_up_documents_list_items_and_every_kind() {
    for name in [
        "shop-chart.yaml",
        "cluster-list.yaml",
        "batch.json",
        "limits.yaml",
        "spot.yaml",
        "gpu-arm.yaml",
        "platform",
        "monitoring-stack.yaml",
        "strimzi-kafka.yaml",
        "cnpg-cluster.yaml",
    ] {
        let m = read(name);
        assert_eq!(m.n_accounted(), m.n_objects, "{name}: {}", m.summary().message);
    }
    let m = read("shop-chart.yaml");
    assert_eq!(
        m.summary().message,
        "read 13 documents (3 empty) with 10 objects: planned 2 workloads (Deployment ×2) and 0 DaemonSets; shaping them: HorizontalPodAutoscaler ×1, Namespace ×1, PodDisruptionBudget ×2; skipped (not workloads): ConfigMap ×1, Service ×2, ServiceAccount ×1"
    );
}

// See: the admission webhook's `create` and `patch` hook Jobs planned as pods that run forever.
#[test]
fn helm_hooks_and_one_shot_jobs_are_reported_not_planned() {
    let m = read("hooks-chart.yaml");
    check(
        &m,
        &[
            "Deployment ingress/ingress-controller x2 req 100m/90Mi lim 100m/90Mi owner=edge",
            "CronJob ingress/ingress-log-cleanup x1 req 100m/64Mi lim 100m/64Mi",
        ],
    );
    let one_shot: Vec<String> = m
        .one_shot
        .iter()
        .map(|o| {
            format!("{} {}/{} {}", o.kind, o.namespace, o.name, o.hook.as_deref().unwrap_or("-"))
        })
        .collect();
    assert_eq!(
        one_shot,
        [
            "Job ingress/ingress-admission-create pre-install,pre-upgrade",
            "Job ingress/ingress-admission-patch post-install,post-upgrade",
            "Pod ingress/ingress-test-connection test",
        ]
    );
    assert_eq!(m.n_accounted(), m.n_objects);
    assert!(m.summary().message.contains("not planned: 3 Helm hooks Job ingress/ingress-admission-create (pre-install,pre-upgrade), Job ingress/ingress-admission-patch (post-install,post-upgrade), Pod ingress/ingress-test-connection (test) (they run to completion; --include-jobs plans them as if they ran for good)"), "{}", m.summary().message);
    let all =
        read_with("hooks-chart.yaml", &ManifestOptions { include_jobs: true, ..default_options() });
    assert_eq!(all.workloads.len(), 5);
    assert!(all.one_shot.is_empty());
}

// See: the monitoring stack's Prometheus (2 replicas) and Alertmanager (3) skipped with a
// warning, their operator's sidecars left out, and their PodDisruptionBudgets warning
// "selects no pods".
#[test]
fn a_monitoring_stack_plans_prometheus_and_alertmanager_as_the_operator_runs_them() {
    let m = read("monitoring-stack.yaml");
    // grafana: two k8s-sidecars 50m/64Mi (no limits: their requests count) and grafana
    // 250m/512Mi (memory limit 1Gi). Prometheus: 500m/2Gi (memory limit 4Gi) given, plus
    // prometheus-operator's config-reloader 10m/50Mi; required hostname anti-affinity against
    // its own pods; the chart's PDB minAvailable 1. Alertmanager: no resources given, so the
    // operator's memory request 200Mi, plus the config-reloader; the PDB's maxUnavailable 1 of
    // 3 → 2. The init-config-reloader (10m/50Mi) is below both pods' app containers.
    check(
        &m,
        &[
            "Deployment monitoring/kube-prometheus-stack-operator x1 req 100m/128Mi lim 100m/256Mi owner=observability",
            "Deployment monitoring/kube-prometheus-stack-grafana x1 req 350m/640Mi lim 350m/1152Mi owner=observability",
            "Deployment monitoring/kube-prometheus-stack-kube-state-metrics x1 req 100m/190Mi lim 100m/256Mi owner=observability",
            "Prometheus monitoring/prometheus-kube-prometheus-stack-prometheus x2 req 510m/2098Mi lim 510m/4146Mi max_per_node=1 min_available=1 owner=observability",
            "Alertmanager monitoring/alertmanager-kube-prometheus-stack-alertmanager x3 req 10m/250Mi lim 10m/250Mi min_available=2 owner=observability",
        ],
    );
    let prom = &m.workloads[3];
    let shape = |cs: &[kplan_core::workload::Container]| -> Vec<String> {
        cs.iter()
            .map(|c| {
                let cpu = c.requests.cpu.map_or(0, |c| c.0);
                let mem = c.requests.memory.map_or(0, |b| b.0 >> 20);
                format!("{} {cpu}m/{mem}Mi{}", c.name, if c.sidecar { " sidecar" } else { "" })
            })
            .collect()
    };
    assert_eq!(shape(&prom.containers), ["prometheus 500m/2048Mi", "config-reloader 10m/50Mi"]);
    assert_eq!(shape(&prom.init_containers), ["init-config-reloader 10m/50Mi"]);
    let am = &m.workloads[4];
    assert_eq!(shape(&am.containers), ["alertmanager 0m/200Mi", "config-reloader 10m/50Mi"]);
    // The pods carry the labels the operator sets (the budgets select them) and podMetadata's.
    assert_eq!(am.workload.labels["alertmanager"], "kube-prometheus-stack-alertmanager");
    assert_eq!(am.workload.labels["app.kubernetes.io/managed-by"], "prometheus-operator");
    assert_eq!(am.workload.labels["tier"], "alerting");
    let op = am.operator.as_ref().unwrap();
    assert_eq!((op.operator.name, op.operator.version), ("prometheus-operator", "v0.93.0"));
    assert_eq!(m.daemonsets.len(), 1);
    // Prometheus's volume claim template: 50Gi per replica.
    let claims: Vec<(String, u32)> =
        m.volume_claims.iter().map(|c| (c.name.clone(), c.count)).collect();
    assert_eq!(
        claims,
        [(
            "prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus"
                .to_string(),
            2
        )]
    );
    let w = warnings("monitoring-stack.yaml");
    assert!(!w.iter().any(|w| w.contains("selects no pods")), "{w:#?}");
    let notes: Vec<&String> = w.iter().filter(|w| w.contains(": note: ")).collect();
    assert_eq!(notes.len(), 2, "{w:#?}");
    assert!(notes[1].starts_with("/monitoring-stack.yaml:165:1: note: Alertmanager monitoring/kube-prometheus-stack-alertmanager (monitoring.coreos.com/v1) is planned as the pods prometheus-operator v0.93.0 creates for it, with its defaults where the resource sets none: StatefulSet alertmanager-kube-prometheus-stack-alertmanager × 3: alertmanager 0/200Mi (default), config-reloader 10m/50Mi (default); init init-config-reloader 10m/50Mi (default)"), "{}", notes[1]);
    assert!(m.summary().message.contains("read as the pods their operators create: Alertmanager ×1, Prometheus ×1 (defaults of prometheus-operator v0.93.0)"), "{}", m.summary().message);
}

#[test]
fn a_strimzi_kraft_cluster_plans_its_node_pools_and_entity_operator() {
    let m = read("strimzi-kafka.yaml");
    // Entity operator: topic- and user-operator 100m/256Mi each (memory limits 512Mi).
    // Kafka Exporter: 50m/64Mi given (Strimzi has no default; without them the pod would be
    // BestEffort, and a warning would say so).
    // Pools: their resources for the kafka container; the brokers of a rack-aware cluster also
    // start a kafka-init container with the same resources; required hostname anti-affinity
    // from the pool's template.
    check(
        &m,
        &[
            "Kafka kafka/events-entity-operator x1 req 200m/512Mi lim 200m/1024Mi owner=streaming",
            "Kafka kafka/events-kafka-exporter x1 req 50m/64Mi lim 50m/128Mi owner=streaming",
            "KafkaNodePool kafka/events-controllers x3 req 500m/2048Mi lim 500m/2048Mi",
            "KafkaNodePool kafka/events-brokers x3 req 2000m/8192Mi lim 2000m/8192Mi max_per_node=1",
        ],
    );
    assert_eq!(m.workloads[3].init_containers[0].name, "kafka-init");
    assert!(m.workloads[2].init_containers.is_empty(), "controllers need no kafka-init");
    assert_eq!(m.workloads[3].workload.labels["strimzi.io/pool-name"], "brokers");
    assert_eq!(m.workloads[3].workload.labels["strimzi.io/cluster"], "events");
    // 3 controllers × 20Gi, 3 brokers × 2 JBOD volumes × 200Gi.
    let claims: Vec<(String, u64, u32)> =
        m.volume_claims.iter().map(|c| (c.name.clone(), c.storage.0 >> 30, c.count)).collect();
    assert_eq!(
        claims,
        [
            ("data-events-controllers".to_string(), 20, 3),
            ("data-0-events-brokers".to_string(), 200, 3),
            ("data-1-events-brokers".to_string(), 200, 3),
        ]
    );
    let w = warnings("strimzi-kafka.yaml");
    assert!(!w.iter().any(|w| w.contains("sets no default resources")), "{w:#?}");
    assert!(w.iter().any(|w| w.contains("KafkaNodePool kafka/brokers (kafka.strimzi.io/v1) is planned as the pods Strimzi 1.2.0 creates for it")), "{w:#?}");
}

#[test]
fn a_cloudnativepg_cluster_plans_its_instances() {
    let m = read("cnpg-cluster.yaml");
    // Three instances of postgres 1/4Gi (memory limit 4Gi; no CPU limit: the request counts),
    // the bootstrap-controller init container with the same resources; required anti-affinity
    // → one per node; our PDB on cnpg.io/cluster → minAvailable 2.
    check(
        &m,
        &[
            "Cluster orders/orders-db x3 req 1000m/4096Mi lim 1000m/4096Mi max_per_node=1 min_available=2 owner=payments",
            "Deployment orders/orders-api x3 req 500m/512Mi lim 500m/1024Mi owner=payments",
        ],
    );
    let claims: Vec<(String, u64, u32)> =
        m.volume_claims.iter().map(|c| (c.name.clone(), c.storage.0 >> 30, c.count)).collect();
    assert_eq!(
        claims,
        [("pgdata-orders-db".to_string(), 50, 3), ("pgwal-orders-db".to_string(), 10, 3)]
    );
    let op = m.workloads[0].operator.as_ref().unwrap();
    assert_eq!((op.operator.name, op.operator.version), ("CloudNativePG", "v1.30.0"));
    assert_eq!(counts(&m.skipped), [("ScheduledBackup", 1)]);
    assert!(!warnings("cnpg-cluster.yaml").iter().any(|w| w.contains("selects no pods")));
}
