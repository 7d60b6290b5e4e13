//! Today's cluster end to end: the EKS, GKE and AKS fixtures of `data/examples/cluster/` read
//! (nodes, prices, pods), priced as a plan, verified (what each breaks), planned (every plan
//! verifies), and `kplan current`, `plan --cluster`, `diff` and `verify --cluster` through the CLI.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use kplan_core::catalog::{Provider, PurchaseOption};
use kplan_core::current::{Today, planning_scenario, price};
use kplan_core::input::cluster::{Cluster, default_cluster_options, read_cluster};
use kplan_core::input::manifests::Source;
use kplan_core::plan::verify::{Rule, verify};
use kplan_core::solve::{self, Method, SolveConfig};
use kplan_tests::{kplan, repo_root};

fn dir(name: &str) -> PathBuf {
    repo_root().join("data/examples/cluster").join(name)
}

fn arg(p: &std::path::Path) -> String {
    p.to_str().unwrap().to_string()
}

fn read(name: &str) -> (Cluster, Today) {
    let mut texts = Vec::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir(name)).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        texts.push((f.display().to_string(), std::fs::read_to_string(&f).unwrap()));
    }
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source { name, text }).collect();
    let cluster = read_cluster(&sources, &default_cluster_options()).output.unwrap();
    let today = price(&cluster, None).unwrap();
    (cluster, today)
}

/// (pool, instance type, purchase, zone) per node, in input order.
fn nodes(c: &Cluster) -> Vec<(String, String, PurchaseOption, String)> {
    c.nodes
        .iter()
        .map(|n| {
            (
                n.node_pool.clone().unwrap_or_default(),
                n.instance_type.clone().unwrap_or_default(),
                n.purchase,
                n.zone.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// Hourly price per (type, purchase) in today's plan.
fn prices(t: &Today) -> BTreeMap<(String, PurchaseOption), f64> {
    t.plan.nodes.iter().map(|n| ((n.instance_type.clone(), n.purchase), n.hourly.0)).collect()
}

/// Workload replicas in a scenario: `namespace/name` → replicas.
fn replicas(s: &kplan_core::scenario::Scenario) -> BTreeMap<String, u32> {
    s.workloads.iter().map(|w| (w.key().to_string(), w.replicas)).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Plans the planning scenario and checks the plan against it.
fn plan_verifies(cluster: &Cluster, today: &Today) -> kplan_core::plan::Plan {
    let s = planning_scenario(cluster, None, today);
    let cfg = SolveConfig { method: Method::Ffd, ..solve::default_config() };
    let plan = solve::solve(&s, &cfg).unwrap();
    assert_eq!(verify(&s, &plan), vec![]);
    plan
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn eks_with_karpenter_and_managed_node_groups_reads_and_prices() {
    let (cluster, today) = read("eks");
    assert_eq!((cluster.provider, cluster.region.as_str()), (Provider::Aws, "us-east-1"));
    use PurchaseOption::{OnDemand, Spot};
    assert_eq!(
        nodes(&cluster),
        [
            (s("system"), s("m6i.large"), OnDemand, s("us-east-1a")),
            (s("system"), s("m6i.large"), OnDemand, s("us-east-1b")),
            (s("batch-spot"), s("m5.xlarge"), Spot, s("us-east-1a")),
            (s("batch-spot"), s("m5.xlarge"), Spot, s("us-east-1c")),
            (s("default"), s("c6i.2xlarge"), OnDemand, s("us-east-1b")),
            (s("default"), s("m6a.xlarge"), Spot, s("us-east-1a")),
            (s("default"), s("m6a.xlarge"), Spot, s("us-east-1c")),
        ]
    );
    assert_eq!(
        cluster.nodes[0].purchase_label.as_deref(),
        Some("eks.amazonaws.com/capacityType=ON_DEMAND")
    );
    assert_eq!(cluster.nodes[5].purchase_label.as_deref(), Some("karpenter.sh/capacity-type=spot"));
    assert_eq!(cluster.nodes[0].allocatable.cpu.millis(), 1930);
    assert_eq!(cluster.nodes[0].capacity.pods, 29);
    // On-demand prices from the catalog; AWS spot from the Spot Instance Advisor's savings (66% and 57%).
    let p = prices(&today);
    assert!(close(p[&(s("m6i.large"), OnDemand)], 0.096));
    assert!(close(p[&(s("c6i.2xlarge"), OnDemand)], 0.34));
    assert!(close(p[&(s("m5.xlarge"), Spot)], 0.192 * (1.0 - 0.66)), "{p:?}");
    assert!(close(p[&(s("m6a.xlarge"), Spot)], 0.1728 * (1.0 - 0.57)), "{p:?}");
    assert_eq!(format!("{:.2}", today.plan.hourly().monthly()), "592.15");
    // Pods: 45 listed, 42 on nodes (21 of them the three DaemonSets'), 1 pending, 2 ended.
    assert_eq!(cluster.pods.len(), 45);
    assert_eq!(cluster.running().count(), 42);
    assert_eq!(cluster.running().filter(|p| p.daemonset.is_some()).count(), 21);
    let ds: Vec<&str> = today.scenario.daemonsets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(ds, ["aws-node", "kube-proxy", "ebs-csi-node"]);
    assert_eq!(today.scenario.daemonsets[2].pod.requests.memory.0, 120 << 20);
    assert_eq!(
        today.pending.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["shop/api-7kqsdzrdj4-9lqt7"]
    );
    assert!(today.pending[0].1.as_deref().unwrap().contains("3 Insufficient memory"));
    let ended: Vec<(&str, &str)> =
        today.terminated.iter().map(|(id, phase, _)| (id.as_str(), phase.as_str())).collect();
    assert_eq!(
        ended,
        [("batch/report-29408160-qnsmm", "Succeeded"), ("shop/web-zw945bt5pv-c5pcc", "Failed")]
    );
    let expected: BTreeMap<String, u32> = [
        ("batch/report-29409600", 1),
        ("karpenter/karpenter", 2),
        ("kube-system/coredns", 2),
        ("kube-system/ebs-csi-controller", 2),
        ("monitoring/kube-state-metrics", 1),
        ("monitoring/prometheus", 1),
        ("shop/api", 3),
        ("shop/checkout", 2),
        ("shop/postgres", 1),
        ("shop/web", 6),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(replicas(&today.scenario), expected);
    let postgres = today.scenario.workload("shop", "postgres").unwrap().1;
    assert_eq!(postgres.kind, "StatefulSet");
    assert_eq!(postgres.owner.as_deref(), Some("storefront"));
    assert_eq!(postgres.pod.requests.cpu.millis(), 2050);
    assert!(today.scenario.workload("shop", "web").unwrap().1.spot);
    assert!(!today.scenario.workload("shop", "api").unwrap().1.spot);
    let pools = today.by_node_pool();
    assert_eq!(pools["default"].0, 3);
    assert_eq!(format!("{:.2}", pools["system"].1), "140.16");
    // What today's cluster breaks: losing the database node leaves no room for its pods.
    let v = verify(&today.scenario, &today.plan);
    assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), [Rule::Headroom], "{v:?}");
    assert!(v[0].message.contains("after losing node ip-10-0-2-19.ec2.internal"), "{v:?}");
    // The plan runs the pending api pod too, and verifies.
    let plan = plan_verifies(&cluster, &today);
    assert_eq!(plan.n_pods(), 22);
}

#[test]
fn gke_runs_spot_above_the_cap_and_plans_the_controllers_desired_replicas() {
    let (cluster, today) = read("gke");
    assert_eq!((cluster.provider, cluster.region.as_str()), (Provider::Gcp, "us-central1"));
    let n = nodes(&cluster);
    assert_eq!(n.len(), 7);
    assert_eq!(n.iter().filter(|x| x.0 == "spot-pool" && x.2 == PurchaseOption::Spot).count(), 4);
    assert_eq!(
        n[0],
        (s("default-pool"), s("e2-standard-4"), PurchaseOption::OnDemand, s("us-central1-a"))
    );
    let p = prices(&today);
    assert!(close(p[&(s("e2-standard-4"), PurchaseOption::OnDemand)], 0.13402284));
    assert!(close(p[&(s("n2-standard-8"), PurchaseOption::Spot)], 0.18424));
    // kube-proxy runs as a static pod: one per node, counted like a DaemonSet.
    let ds: Vec<&str> = today.scenario.daemonsets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(ds, ["fluentbit-gke", "gke-metrics-agent", "kube-proxy"]);
    assert_eq!(cluster.pods.len(), 37);
    assert_eq!(today.plan.n_pods(), 16);
    let v = verify(&today.scenario, &today.plan);
    assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), [Rule::SpotShare], "{v:?}");
    assert_eq!(
        v[0].message,
        "spot nodes hold 72.7% of the cluster's vCPU; the policy allows 66.7%"
    );
    // Deployments given: cart wants 4 where 3 pods run; frontend's autoscaler bounds come along.
    assert_eq!(replicas(&today.scenario)["shop/cart"], 3);
    let planned = planning_scenario(&cluster, None, &today);
    let r = replicas(&planned);
    assert_eq!((r["shop/cart"], r["shop/frontend"], r["shop/search"]), (4, 6, 4));
    let frontend = planned.workload("shop", "frontend").unwrap().1;
    let bounds = frontend.scalable.as_ref().map(|s| (s.min_replicas, s.max_replicas));
    assert_eq!(bounds, Some((6, 12)));
    let plan = plan_verifies(&cluster, &today);
    assert_eq!(plan.n_pods(), 17);
}

#[test]
fn aks_reads_its_spot_pool_and_pending_pods() {
    let (cluster, today) = read("aks");
    assert_eq!((cluster.provider, cluster.region.as_str()), (Provider::Azure, "eastus"));
    let n = nodes(&cluster);
    assert_eq!(n.len(), 6);
    assert_eq!(n[5], (s("spot"), s("Standard_D8as_v5"), PurchaseOption::Spot, s("eastus-3")));
    assert_eq!(
        cluster.nodes[5].purchase_label.as_deref(),
        Some("kubernetes.azure.com/scalesetpriority=spot")
    );
    let p = prices(&today);
    assert!(close(p[&(s("Standard_D4s_v5"), PurchaseOption::OnDemand)], 0.192));
    assert!(close(p[&(s("Standard_D8s_v5"), PurchaseOption::OnDemand)], 0.384));
    assert!(close(p[&(s("Standard_D8as_v5"), PurchaseOption::Spot)], 0.07482));
    assert_eq!(format!("{:.2}", today.plan.hourly().monthly()), "1175.90");
    assert_eq!(today.pending.len(), 2);
    assert!(today.pending.iter().all(|(id, _)| id.starts_with("payments/gateway-")));
    let r = replicas(&today.scenario);
    assert_eq!(
        (r["payments/gateway"], r["payments/ledger-worker"], r["payments/rabbitmq"]),
        (6, 4, 1)
    );
    assert!(today.scenario.workload("payments", "ledger-worker").unwrap().1.spot);
    assert_eq!(verify(&today.scenario, &today.plan), vec![]);
    let plan = plan_verifies(&cluster, &today);
    assert_eq!(plan.n_pods(), 17);
}

#[test]
fn current_diff_and_verify_work_on_todays_plan() {
    let eks = arg(&dir("eks"));
    let (code, table, err) = kplan(&["current", "--cluster", &eks]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "Plan for today (aws us-east-1): observed",
        "What today's cluster breaks (1 violation(s)):",
        "Pending pods (1):",
        "batch-spot      2   $95.31",
    ] {
        assert!(table.contains(line), "{line}\n{table}");
    }
    let tmp = std::env::temp_dir().join(format!("kplan-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let today_json = tmp.join("today.json");
    let plan_json = tmp.join("plan.json");
    let (code, _, err) =
        kplan(&["current", "--cluster", &eks, "--format", "json", "--out", &arg(&today_json)]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&today_json).unwrap()).unwrap();
    assert_eq!(v["schema"], "kplan.plan/v1");
    assert_eq!(v["solver"]["method"], "observed");
    assert_eq!(v["totals"]["nodes"], 7);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message"].as_str().unwrap().starts_with("today's cluster breaks Headroom"))
    );
    let (code, out, err) = kplan(&[
        "plan",
        "--cluster",
        &eks,
        "--method",
        "ffd",
        "--no-finance",
        "--format",
        "json",
        "--out",
        &arg(&plan_json),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, diff, err) = kplan(&["diff", &arg(&today_json), &arg(&plan_json)]);
    assert_eq!(code, 0, "{err}");
    assert!(diff.starts_with("Plan diff: today → today (planned)\nCost: $592.15 → "), "{diff}");
    assert!(diff.contains("Nodes: 7 → "), "{diff}");
    assert!(diff.contains("Cost by namespace:"), "{diff}");
    // verify --cluster rebuilds today's scenario and names what today's plan breaks.
    let (code, out, err) = kplan(&["verify", &arg(&today_json), "--cluster", &eks]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("1 violation(s)"), "{out}");
    assert!(
        out.contains("Headroom: headroom node: after losing node ip-10-0-2-19.ec2.internal"),
        "{out}"
    );
    let (code, out, _) = kplan(&["verify", &arg(&today_json), "--cluster", &arg(&dir("aks"))]);
    assert_eq!(code, 1, "{out}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn plan_cluster_shows_today_versus_the_plan() {
    let (code, out, err) =
        kplan(&["plan", "--cluster", &arg(&dir("gke")), "--method", "ffd", "--no-finance"]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "Today versus the plan",
        "$/month (nodes)   $831.49",
        "Saving: ",
        "Today by node pool:",
        "Cost by namespace:",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(out.contains("The plan runs 17 pods where 16 run today"), "{out}");
    let (code, _, err) = kplan(&["plan", "--cluster", &arg(&dir("gke")), "--variant", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("--variant applies to a scenario's variants"), "{err}");
}
