//! The web-shop usage fixtures of `data/examples/usage/`, generated deterministically: a day of
//! 5-minute samples as a Prometheus-export CSV, hourly `kubectl top pods -A --containers`
//! snapshots of the same day, and the pods' YAML at the end of the day.
//!
//! Integer arithmetic only (no floating point, no system randomness), so the files are the
//! same byte for byte on every machine: `cargo run -p kplan-tests --bin kplan-fixtures` writes
//! them, and `tests/tests/rightsize.rs` checks that the committed files equal the generator's.
//!
//! The day: 2026-03-04 (a Wednesday) UTC. Load follows an hourly curve (night ~0.22, a lunch
//! bump at 13:00, the daily peak at 20:00 UTC), interpolated linearly every 5 minutes; each pod
//! has its own offset (±8%) and each sample its own noise (±10% CPU, ±2% memory). Usage sits
//! well below the web-shop scenario's requests, as padded requests do; `cart` is rolled out
//! (new ReplicaSet) at 14:00, and the cluster's own pods (kube-system, monitoring, logging)
//! are in the data too, as a real export has them.

use std::fmt::Write as _;

use crate::Rng;

/// 2026-03-04T00:00:00Z.
pub const DAY_START: u64 = 1_772_582_400;
/// Samples per day at 5 minutes.
pub const STEPS: usize = 288;
const STEP_SECONDS: u64 = 300;
const MI: u64 = 1 << 20;

/// Load per hour of the day (UTC), in permille of the daily peak.
const HOURLY: [u64; 24] = [
    260, 240, 230, 220, 220, 240, 300, 380, 460, 520, 560, 600, 680, 700, 640, 600, 620, 700, 840,
    960, 1000, 900, 640, 380,
];

/// The load at step `i` (5-minute steps from midnight), in permille.
pub fn load(i: usize) -> u64 {
    let h = (i / 12) % 24;
    let k = (i % 12) as u64;
    let (a, b) = (HOURLY[h], HOURLY[(h + 1) % 24]);
    if b >= a { a + (b - a) * k / 12 } else { a - (a - b) * k / 12 }
}

/// How one container uses CPU (microcores) and memory (bytes) at a load (permille).
#[derive(Clone, Copy)]
struct Shape {
    cpu_base: u64,
    cpu_peak: u64,
    mem_base: u64,
    mem_peak: u64,
    /// Memory that grows through the day (a cache filling), reached at midnight.
    mem_growth: u64,
    /// Permille of samples that burst to twice the CPU (batch-like work).
    bursts: u64,
}

const fn shape(cpu_base_m: u64, cpu_peak_m: u64, mem_base_mi: u64, mem_peak_mi: u64) -> Shape {
    Shape {
        cpu_base: cpu_base_m * 1000,
        cpu_peak: cpu_peak_m * 1000,
        mem_base: mem_base_mi * MI,
        mem_peak: mem_peak_mi * MI,
        mem_growth: 0,
        bursts: 0,
    }
}

/// One workload's pods: how they are named and what their containers do.
struct Pods {
    namespace: &'static str,
    name: &'static str,
    /// `Deployment`, `StatefulSet` or `DaemonSet`.
    kind: &'static str,
    replicas: usize,
    containers: &'static [(&'static str, Shape)],
}

const STOREFRONT: &[(&str, Shape)] = &[("storefront", shape(40, 190, 250, 70))];
const SEARCH: &[(&str, Shape)] = &[("search", shape(120, 430, 1100, 230))];
const CART: &[(&str, Shape)] = &[("cart", shape(15, 75, 170, 25))];
const CHECKOUT: &[(&str, Shape)] =
    &[("app", shape(35, 190, 370, 45)), ("envoy", shape(8, 38, 44, 10))];
const PAYMENTS: &[(&str, Shape)] = &[("payments", shape(25, 85, 410, 35))];
const CATALOG: &[(&str, Shape)] = &[("catalog-api", shape(70, 210, 510, 85))];
const RECOMMENDATIONS: &[(&str, Shape)] = &[("recommendations", shape(180, 480, 2000, 320))];
const RESIZER: &[(&str, Shape)] =
    &[("image-resizer", Shape { bursts: 30, ..shape(60, 820, 280, 380) })];
const ORDERS_DB: &[(&str, Shape)] =
    &[("postgres", shape(260, 690, 5300, 600)), ("exporter", shape(4, 6, 17, 2))];
const REDIS: &[(&str, Shape)] =
    &[("redis", Shape { mem_growth: 220 * MI, ..shape(35, 115, 2350, 40) })];
const ORDER_WORKER: &[(&str, Shape)] = &[("order-worker", shape(45, 240, 290, 95))];
const ADMIN: &[(&str, Shape)] = &[("admin", shape(4, 22, 140, 12))];
const COREDNS: &[(&str, Shape)] = &[("coredns", shape(3, 9, 16, 4))];
const AWS_NODE: &[(&str, Shape)] =
    &[("aws-node", shape(3, 4, 42, 2)), ("aws-eks-nodeagent", shape(1, 1, 22, 1))];
const NODE_EXPORTER: &[(&str, Shape)] = &[("node-exporter", shape(2, 6, 18, 3))];
const FLUENT_BIT: &[(&str, Shape)] = &[("fluent-bit", shape(6, 30, 38, 12))];

const WORKLOADS: &[Pods] = &[
    Pods {
        namespace: "shop",
        name: "storefront",
        kind: "Deployment",
        replicas: 12,
        containers: STOREFRONT,
    },
    Pods { namespace: "shop", name: "search", kind: "Deployment", replicas: 6, containers: SEARCH },
    Pods { namespace: "shop", name: "cart", kind: "Deployment", replicas: 6, containers: CART },
    Pods {
        namespace: "shop",
        name: "checkout",
        kind: "Deployment",
        replicas: 6,
        containers: CHECKOUT,
    },
    Pods {
        namespace: "shop",
        name: "payments",
        kind: "Deployment",
        replicas: 3,
        containers: PAYMENTS,
    },
    Pods {
        namespace: "shop",
        name: "catalog-api",
        kind: "Deployment",
        replicas: 4,
        containers: CATALOG,
    },
    Pods {
        namespace: "shop",
        name: "recommendations",
        kind: "Deployment",
        replicas: 4,
        containers: RECOMMENDATIONS,
    },
    Pods {
        namespace: "shop",
        name: "image-resizer",
        kind: "Deployment",
        replicas: 3,
        containers: RESIZER,
    },
    Pods {
        namespace: "shop",
        name: "orders-db",
        kind: "StatefulSet",
        replicas: 3,
        containers: ORDERS_DB,
    },
    Pods { namespace: "shop", name: "redis", kind: "StatefulSet", replicas: 3, containers: REDIS },
    Pods {
        namespace: "backoffice",
        name: "order-worker",
        kind: "Deployment",
        replicas: 4,
        containers: ORDER_WORKER,
    },
    Pods {
        namespace: "backoffice",
        name: "admin",
        kind: "Deployment",
        replicas: 2,
        containers: ADMIN,
    },
    Pods {
        namespace: "kube-system",
        name: "coredns",
        kind: "Deployment",
        replicas: 2,
        containers: COREDNS,
    },
    Pods {
        namespace: "kube-system",
        name: "aws-node",
        kind: "DaemonSet",
        replicas: 3,
        containers: AWS_NODE,
    },
    Pods {
        namespace: "monitoring",
        name: "node-exporter",
        kind: "DaemonSet",
        replicas: 3,
        containers: NODE_EXPORTER,
    },
    Pods {
        namespace: "logging",
        name: "fluent-bit",
        kind: "DaemonSet",
        replicas: 3,
        containers: FLUENT_BIT,
    },
];

/// The workload rolled out during the day, and the step its new ReplicaSet starts.
const ROLLOUT: (&str, usize) = ("cart", 14 * 12);

/// The API machinery's safe alphabet for generated names.
const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn safe_string(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| SAFE[(rng.next() % SAFE.len() as u64) as usize] as char).collect()
}

fn seed(text: &str) -> u64 {
    // FNV-1a: a fixed, portable hash of the name.
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// One pod: its name, its ReplicaSet's hash (Deployments), and the steps it ran.
struct Pod {
    name: String,
    template_hash: Option<String>,
    steps: std::ops::Range<usize>,
    /// Permille offset of this pod's usage (−80..=80).
    offset: i64,
}

fn pods_of(w: &Pods) -> Vec<Pod> {
    let mut rng = Rng(seed(w.name) | 1);
    let rollout = (w.name == ROLLOUT.0).then_some(ROLLOUT.1);
    // One ReplicaSet for the day, or two around the rollout: the steps each one's pods ran.
    let mut generations: Vec<std::ops::Range<usize>> = Vec::new();
    match rollout {
        Some(at) => generations.extend([0..at, at..STEPS]),
        None => generations.push(0..STEPS),
    }
    let mut res = Vec::new();
    for steps in generations {
        let hash = (w.kind == "Deployment").then(|| safe_string(&mut rng, 10));
        for ordinal in 0..w.replicas {
            let name = match (w.kind, &hash) {
                ("StatefulSet", _) => format!("{}-{ordinal}", w.name),
                (_, Some(h)) => format!("{}-{h}-{}", w.name, safe_string(&mut rng, 5)),
                _ => format!("{}-{}", w.name, safe_string(&mut rng, 5)),
            };
            let offset = (rng.next() % 161) as i64 - 80;
            res.push(Pod { name, template_hash: hash.clone(), steps: steps.clone(), offset });
        }
    }
    res
}

/// `value × (1000 + permille) / 1000`.
fn scale(value: u64, permille: i64) -> u64 {
    ((value as i128 * (1000 + permille as i128)) / 1000).max(0) as u64
}

/// CPU (microcores) and memory (bytes) of one container of one pod at one step.
fn sample(s: &Shape, pod: &Pod, i: usize, rng: &mut Rng) -> (u64, u64) {
    let l = load(i);
    let mut cpu = s.cpu_base + s.cpu_peak * l / 1000;
    cpu = scale(cpu, pod.offset + (rng.next() % 201) as i64 - 100);
    if s.bursts > 0 && rng.next() % 1000 < s.bursts {
        cpu *= 2;
    }
    let mut mem = s.mem_base + s.mem_peak * l / 1000 + s.mem_growth * i as u64 / STEPS as u64;
    mem = scale(mem, pod.offset / 4 + (rng.next() % 41) as i64 - 20);
    (cpu.max(1000), mem)
}

/// Every sample: (step, workload index, pod, container, microcores, bytes), in export order
/// (by series, then time).
fn samples() -> Vec<(usize, usize, String, &'static str, u64, u64)> {
    let mut res = Vec::new();
    for (wi, w) in WORKLOADS.iter().enumerate() {
        for pod in pods_of(w) {
            for (c, s) in w.containers {
                let mut rng = Rng(seed(&format!("{}/{c}", pod.name)) | 1);
                for i in pod.steps.clone() {
                    let (cpu, mem) = sample(s, &pod, i, &mut rng);
                    res.push((i, wi, pod.name.clone(), *c, cpu, mem));
                }
            }
        }
    }
    res
}

/// The CSV: `timestamp,namespace,pod,container,cpu,memory`, CPU in cores (six decimals, as a
/// rate gives them), memory in bytes.
pub fn csv() -> String {
    let mut out = String::from("timestamp,namespace,pod,container,cpu,memory\n");
    for (i, wi, pod, c, cpu, mem) in samples() {
        let _ = writeln!(
            out,
            "{},{},{pod},{c},{}.{:06},{mem}",
            DAY_START + i as u64 * STEP_SECONDS,
            WORKLOADS[wi].namespace,
            cpu / 1_000_000,
            cpu % 1_000_000
        );
    }
    out
}

/// The `kubectl top pods -A --containers` snapshot at each hour (as kubectl prints: CPU in
/// whole millicores, memory in whole MiB rounded down, columns aligned, sorted by namespace and
/// pod, containers by name), keyed by file name.
pub fn top_snapshots() -> Vec<(String, String)> {
    let all = samples();
    (0..24)
        .map(|h| {
            let step = h * 12;
            let mut rows: Vec<(String, String, String, String, String)> = all
                .iter()
                .filter(|s| s.0 == step)
                .map(|(_, wi, pod, c, cpu, mem)| {
                    (
                        WORKLOADS[*wi].namespace.to_string(),
                        pod.clone(),
                        c.to_string(),
                        format!("{}m", cpu / 1000),
                        format!("{}Mi", mem / MI),
                    )
                })
                .collect();
            rows.sort();
            let header = (
                "NAMESPACE".to_string(),
                "POD".to_string(),
                "NAME".to_string(),
                "CPU(cores)".to_string(),
                "MEMORY(bytes)".to_string(),
            );
            let mut widths = [0usize; 5];
            for r in std::iter::once(&header).chain(&rows) {
                for (k, cell) in [&r.0, &r.1, &r.2, &r.3, &r.4].iter().enumerate() {
                    widths[k] = widths[k].max(cell.len());
                }
            }
            let mut text = String::new();
            for r in std::iter::once(&header).chain(&rows) {
                let cells = [&r.0, &r.1, &r.2, &r.3, &r.4];
                let mut line = String::new();
                for (k, cell) in cells.iter().enumerate() {
                    line.push_str(cell);
                    if k < 4 {
                        // kubectl's tab writer: padding 3, cells at least 10 wide.
                        line.push_str(&" ".repeat((widths[k] + 3).max(10) - cell.len()));
                    }
                }
                text.push_str(line.trim_end());
                text.push('\n');
            }
            (format!("top-{h:02}00.txt"), text)
        })
        .collect()
}

/// The pods running at the end of the day, with their ReplicaSets, as `kubectl get
/// pods,replicasets -A -o yaml` lists them (the fields kplan reads, labels and owners).
pub fn pods_yaml() -> String {
    let mut out = String::from(
        "# The web-shop cluster's pods and ReplicaSets at 2026-03-04T23:55Z, as `kubectl get pods,replicasets -A -o yaml`\n# lists them (trimmed to metadata). Generated by `cargo run -p kplan-tests --bin kplan-fixtures`.\napiVersion: v1\nkind: List\nitems:\n",
    );
    for w in WORKLOADS {
        let pods: Vec<Pod> = pods_of(w).into_iter().filter(|p| p.steps.end == STEPS).collect();
        if let Some(hash) = pods.first().and_then(|p| p.template_hash.clone()) {
            let _ = write!(
                out,
                "- apiVersion: apps/v1\n  kind: ReplicaSet\n  metadata:\n    name: {n}-{hash}\n    namespace: {ns}\n    labels: {{app: {n}, pod-template-hash: {hash}}}\n    ownerReferences:\n    - {{apiVersion: apps/v1, kind: Deployment, name: {n}, controller: true, blockOwnerDeletion: true}}\n",
                n = w.name,
                ns = w.namespace
            );
        }
        for p in &pods {
            let (owner_kind, owner_name) = match (&p.template_hash, w.kind) {
                (Some(h), _) => ("ReplicaSet", format!("{}-{h}", w.name)),
                (None, kind) => (kind, w.name.to_string()),
            };
            let hash_label = p
                .template_hash
                .as_ref()
                .map(|h| format!(", pod-template-hash: {h}"))
                .unwrap_or_default();
            let _ = write!(
                out,
                "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: {}\n    namespace: {}\n    labels: {{app: {}{hash_label}}}\n    ownerReferences:\n    - {{apiVersion: apps/v1, kind: {owner_kind}, name: {owner_name}, controller: true, blockOwnerDeletion: true}}\n",
                p.name, w.namespace, w.name
            );
        }
    }
    out
}

/// Every fixture file, by path under `data/examples/usage/`.
pub fn files() -> Vec<(String, String)> {
    let mut res =
        vec![("web-shop.csv".to_string(), csv()), ("web-shop-pods.yaml".to_string(), pods_yaml())];
    res.extend(top_snapshots().into_iter().map(|(n, t)| (format!("top/{n}"), t)));
    res
}
