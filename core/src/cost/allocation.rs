//! Cost allocation: each node's price split over the pods on it by their share of requests,
//! CPU and memory priced separately, the unrequested rest shown as idle.
//!
//! **The CPU/memory split** comes from a least-squares regression of on-demand price on vCPUs and
//! GiB, `price ≈ a·vCPU + b·GiB` (no intercept), over the scenario's candidate instance types
//! without GPUs ([`unit_rates`]). When those types do not determine two positive rates (one
//! shape only, or a negative coefficient), the regression runs over every non-GPU type of the
//! provider's embedded catalog in the region (for custom scenarios: AWS us-east-1). A node of
//! price `P`, `V` vCPUs and `M` GiB then has a CPU part `P·aV/(aV+bM)` and a memory part for
//! the rest: the node's own price is split, never replaced by the rates. On a node with GPUs,
//! the part of its price the two rates do not explain (`P − aV − bM`, at least 0) is its GPU
//! part, shared by GPU requests; the CPU and memory parts are then `P·aV/(aV+bM+G)` and so on.
//!
//! **Shares:** a pod's CPU cost is the CPU part × its CPU request / the node's allocatable CPU,
//! and likewise for memory and GPUs. DaemonSet pods are allocated like workload pods (owner
//! `(daemonsets)`). What no request claims is idle.
//!
//! **Cents:** every node's monthly cost is rounded to whole cents once; its lines (per workload
//! and resource, and idle) are whole cents apportioned by the largest-remainder method, so the
//! lines of a node sum to its cost exactly, and every total sums to the nodes' costs exactly.

use std::collections::BTreeMap;

use crate::catalog::{self, Category, InstanceType, Provider, PurchaseOption};
use crate::money::HOURS_PER_MONTH;
use crate::plan::Plan;
use crate::scenario::{NodeOption, Scenario};

/// Owner shown for workloads without one.
pub const NO_OWNER: &str = "(no owner)";
/// Owner of DaemonSet pods.
pub const DAEMONSETS: &str = "(daemonsets)";

/// Price per vCPU-hour and per GiB-hour, and how they were found.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRates {
    /// US dollars per vCPU-hour.
    pub usd_per_vcpu_hour: f64,
    /// US dollars per GiB-hour.
    pub usd_per_gib_hour: f64,
    /// Which types the regression ran over.
    pub basis: String,
}

/// A least-squares fit `price ≈ a·vcpu + b·gib` over `(vcpu, gib, price)`; `None` unless both
/// rates come out positive.
pub fn regress(points: &[(f64, f64, f64)]) -> Option<(f64, f64)> {
    let (mut sxx, mut sxy, mut syy, mut sxp, mut syp) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, y, p) in points {
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
        sxp += x * p;
        syp += y * p;
    }
    let det = sxx * syy - sxy * sxy;
    if det.abs() <= 1e-9 * (sxx * syy).max(1e-12) {
        return None;
    }
    let a = (sxp * syy - syp * sxy) / det;
    let b = (syp * sxx - sxp * sxy) / det;
    (a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()).then_some((a, b))
}

fn points<'a>(types: impl Iterator<Item = &'a InstanceType>, region: &str) -> Vec<(f64, f64, f64)> {
    types
        .filter(|t| t.gpus == 0 && t.category != Category::Gpu)
        .filter_map(|t| {
            let p = t.offer(region, PurchaseOption::OnDemand)?.price.0;
            Some((t.cpu.as_cores_f64(), t.memory.as_gib_f64(), p))
        })
        .collect()
}

/// The CPU and memory unit rates used to split node prices (see the module docs).
pub fn unit_rates(scenario: &Scenario) -> UnitRates {
    let candidates = scenario.candidate_types().output;
    if let Some((a, b)) = regress(&points(candidates.iter(), &scenario.region)) {
        return UnitRates {
            usd_per_vcpu_hour: a,
            usd_per_gib_hour: b,
            basis: format!(
                "regression of on-demand price on vCPU and GiB over the {} candidate types",
                candidates.len()
            ),
        };
    }
    let (provider, region) = match scenario.provider {
        Provider::Custom => (Provider::Aws, "us-east-1"),
        p => (p, scenario.region.as_str()),
    };
    let all = catalog::builtin::catalog(provider);
    match regress(&points(all.types.iter(), region)) {
        Some((a, b)) => UnitRates {
            usd_per_vcpu_hour: a,
            usd_per_gib_hour: b,
            basis: format!(
                "regression of on-demand price on vCPU and GiB over every non-GPU {provider} type in {region} (the candidates alone do not determine two rates)"
            ),
        },
        None => UnitRates {
            usd_per_vcpu_hour: 1.0,
            usd_per_gib_hour: 0.0,
            basis: "no regression possible; all cost allocated by CPU".to_string(),
        },
    }
}

/// Whole cents of CPU, memory and GPU cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cents {
    /// CPU part.
    pub cpu: i64,
    /// Memory part.
    pub memory: i64,
    /// GPU part (GPU nodes only).
    pub gpu: i64,
}

impl Cents {
    /// CPU plus memory plus GPU.
    pub fn total(self) -> i64 {
        self.cpu + self.memory + self.gpu
    }

    fn add(&mut self, other: Cents) {
        self.cpu += other.cpu;
        self.memory += other.memory;
        self.gpu += other.gpu;
    }
}

/// One line of a node's allocation: a workload's (or DaemonSet's) pods on the node.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocationLine {
    /// Namespace.
    pub namespace: String,
    /// Workload or DaemonSet name.
    pub name: String,
    /// Owner ([`NO_OWNER`] or [`DAEMONSETS`] when there is none).
    pub owner: String,
    /// Monthly cost.
    pub cents: Cents,
}

/// One node's cost split into lines and idle.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeAllocation {
    /// Node name.
    pub node: String,
    /// The node's monthly cost in whole cents.
    pub monthly_cents: i64,
    /// Lines, in workload order.
    pub lines: Vec<AllocationLine>,
    /// The unrequested part.
    pub idle: Cents,
}

/// A plan's node cost, allocated.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// The unit rates behind the CPU/memory split.
    pub rates: UnitRates,
    /// Per node.
    pub nodes: Vec<NodeAllocation>,
    /// Totals per namespace.
    pub by_namespace: BTreeMap<String, Cents>,
    /// Totals per owner.
    pub by_owner: BTreeMap<String, Cents>,
    /// Total idle.
    pub idle: Cents,
    /// Sum of the nodes' monthly costs in cents.
    pub total_cents: i64,
}

/// Apportions `total` whole units over fractional `amounts` by the largest-remainder method.
pub fn apportion(total: i64, amounts: &[f64]) -> Vec<i64> {
    let mut res: Vec<i64> = amounts.iter().map(|a| a.max(0.0).floor() as i64).collect();
    let mut left = total - res.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    order.sort_by(|&i, &j| {
        let (fi, fj) = (amounts[i] - amounts[i].floor(), amounts[j] - amounts[j].floor());
        fj.total_cmp(&fi).then(i.cmp(&j))
    });
    let n = order.len().max(1);
    let mut k = 0;
    while left > 0 && !amounts.is_empty() {
        res[order[k % n]] += 1;
        left -= 1;
        k += 1;
    }
    // A float sum slightly above the total (never by a whole cent in practice) is taken back
    // from the largest lines.
    while left < 0 && !amounts.is_empty() {
        let i = (0..res.len()).max_by_key(|&i| (res[i], std::cmp::Reverse(i))).unwrap_or(0);
        res[i] -= 1;
        left += 1;
    }
    res
}

/// Allocates a plan's node cost to its workloads, DaemonSets and idle.
pub fn allocate(scenario: &Scenario, plan: &Plan) -> Allocation {
    let rates = unit_rates(scenario);
    let options = scenario.node_options().output;
    let by_key: BTreeMap<crate::scenario::OptionKey, &NodeOption> =
        options.iter().map(|o| (o.key(), o)).collect();
    let mut res = Allocation {
        rates: rates.clone(),
        nodes: Vec::new(),
        by_namespace: BTreeMap::new(),
        by_owner: BTreeMap::new(),
        idle: Cents::default(),
        total_cents: 0,
    };
    for node in &plan.nodes {
        let opt = by_key.get(&node.option_key()).copied();
        let monthly_cents = (node.hourly.0 * HOURS_PER_MONTH * 100.0).round() as i64;
        let (vcpu, gib) = opt.map_or((1.0, 0.0), |o| {
            (o.capacity.cpu.as_cores_f64(), o.capacity.memory.as_gib_f64())
        });
        let cpu_value = rates.usd_per_vcpu_hour * vcpu;
        let mem_value = rates.usd_per_gib_hour * gib;
        let alloc = opt.map_or_else(|| node.allocatable.clone(), |o| o.allocatable.clone());
        // On a GPU node, what the CPU and memory rates do not explain is the GPU part.
        let gpu_value =
            if alloc.gpus() > 0 { (node.hourly.0 - cpu_value - mem_value).max(0.0) } else { 0.0 };
        let sum = cpu_value + mem_value + gpu_value;
        let (cpu_weight, gpu_weight) =
            if sum > 0.0 { (cpu_value / sum, gpu_value / sum) } else { (1.0, 0.0) };
        let cpu_part = monthly_cents as f64 * cpu_weight;
        let gpu_part = monthly_cents as f64 * gpu_weight;
        let mem_part = monthly_cents as f64 - cpu_part - gpu_part;
        let share = |req: u64, of: u64| if of == 0 { 0.0 } else { req as f64 / of as f64 };
        // Raw lines: (namespace, name, owner, cpu millicores, memory bytes, GPUs).
        let mut raw: Vec<(String, String, String, u64, u64, u64)> = Vec::new();
        for p in &node.pods {
            if let Some((_, w)) = scenario.workload(&p.workload.namespace, &p.workload.name) {
                let n = u64::from(p.count);
                raw.push((
                    w.namespace.clone(),
                    w.name.clone(),
                    w.owner.clone().unwrap_or_else(|| NO_OWNER.to_string()),
                    w.pod.requests.cpu.0 * n,
                    w.pod.requests.memory.0 * n,
                    w.pod.requests.gpus() * n,
                ));
            }
        }
        if let Some(o) = opt {
            for ds in &scenario.daemonsets {
                let runs = (ds.arch.is_empty() || ds.arch.contains(&o.arch))
                    && ds.gpu.is_none_or(|g| g == o.has_gpu())
                    && ds.spot.is_none_or(|s| s == o.purchase.is_spot());
                if runs {
                    raw.push((
                        ds.namespace.clone(),
                        ds.name.clone(),
                        DAEMONSETS.to_string(),
                        ds.pod.requests.cpu.0,
                        ds.pod.requests.memory.0,
                        ds.pod.requests.gpus(),
                    ));
                }
            }
        }
        let mut amounts = Vec::with_capacity(3 * raw.len() + 3);
        let (mut cpu_used, mut mem_used, mut gpu_used) = (0.0, 0.0, 0.0);
        for (_, _, _, c, m, g) in &raw {
            let a = cpu_part * share(*c, alloc.cpu.0);
            let b = mem_part * share(*m, alloc.memory.0);
            let d = gpu_part * share(*g, alloc.gpus());
            cpu_used += a;
            mem_used += b;
            gpu_used += d;
            amounts.extend([a, b, d]);
        }
        amounts.push((cpu_part - cpu_used).max(0.0));
        amounts.push((mem_part - mem_used).max(0.0));
        amounts.push((gpu_part - gpu_used).max(0.0));
        let cents = apportion(monthly_cents, &amounts);
        let mut lines = Vec::new();
        for (i, (namespace, name, owner, _, _, _)) in raw.into_iter().enumerate() {
            let c = Cents { cpu: cents[3 * i], memory: cents[3 * i + 1], gpu: cents[3 * i + 2] };
            res.by_namespace.entry(namespace.clone()).or_default().add(c);
            res.by_owner.entry(owner.clone()).or_default().add(c);
            lines.push(AllocationLine { namespace, name, owner, cents: c });
        }
        let k = cents.len();
        let idle = Cents { cpu: cents[k - 3], memory: cents[k - 2], gpu: cents[k - 1] };
        res.idle.add(idle);
        res.total_cents += monthly_cents;
        res.nodes.push(NodeAllocation { node: node.name.clone(), monthly_cents, lines, idle });
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
    use crate::solve::{default_config, solve};

    #[test]
    fn regression_recovers_exact_rates() {
        let pts = [
            (2.0, 8.0, 2.0 * 0.03 + 8.0 * 0.004),
            (4.0, 8.0, 4.0 * 0.03 + 8.0 * 0.004),
            (8.0, 64.0, 8.0 * 0.03 + 64.0 * 0.004),
        ];
        let (a, b) = regress(&pts).unwrap();
        assert!((a - 0.03).abs() < 1e-9 && (b - 0.004).abs() < 1e-9, "{a} {b}");
        // One shape only: no split can be derived.
        assert_eq!(regress(&[(2.0, 8.0, 0.1), (4.0, 16.0, 0.2)]), None);
    }

    #[test]
    fn apportion_keeps_the_total_exactly() {
        assert_eq!(apportion(100, &[33.4, 33.3, 33.3]), vec![34, 33, 33]);
        assert_eq!(apportion(7, &[2.5, 2.5, 2.0]), vec![3, 2, 2]);
        assert_eq!(apportion(0, &[0.0, 0.0]), vec![0, 0]);
    }

    // Hand computation. One custom type, 4 vCPU / 16 GiB at $0.20/h on-demand; a second type
    // (2 vCPU / 16 GiB at $0.14/h) lets the regression find a = $0.03/vCPU-h, b = $0.005/GiB-h.
    // Node cost 0.20 × 730 = $146.00 = 14,600 cents; CPU weight 0.12/0.20 = 0.6 → 8,760 cents
    // CPU, 5,840 cents memory. Allocatable (overhead none) is the capacity. Web: 2 pods of
    // 1 CPU / 2 GiB → CPU 8,760 × 2/4 = 4,380, memory 5,840 × 4/16 = 1,460. Idle: CPU 4,380,
    // memory 4,380. Total 4,380 + 1,460 + 4,380 + 4,380 = 14,600.
    #[test]
    fn allocation_sums_to_the_node_cost_to_the_cent() {
        let text = "name: a\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\ncatalog:\n  custom:\n    - {name: big, cpu: 4, memory: 16Gi, price: {on_demand: 0.20}}\n    - {name: slim, cpu: 2, memory: 16Gi, price: {on_demand: 0.14}}\nworkloads:\n  - {name: web, namespace: shop, owner: web-team, replicas: 2, max_per_node: 2, requests: {cpu: 1, memory: 2Gi}, instance_types: [big]}\n";
        let s = read_scenario(text, "a.yaml").output.unwrap();
        let plan = solve(&s, &default_config()).unwrap();
        assert_eq!(verify(&s, &plan), vec![]);
        assert_eq!(plan.nodes.len(), 1);
        let a = allocate(&s, &plan);
        assert!((a.rates.usd_per_vcpu_hour - 0.03).abs() < 1e-9);
        assert!((a.rates.usd_per_gib_hour - 0.005).abs() < 1e-9);
        let n = &a.nodes[0];
        assert_eq!(n.monthly_cents, 14_600);
        assert_eq!(n.lines.len(), 1);
        assert_eq!(n.lines[0].cents, Cents { cpu: 4_380, memory: 1_460, gpu: 0 });
        assert_eq!(n.idle, Cents { cpu: 4_380, memory: 4_380, gpu: 0 });
        assert_eq!(a.by_namespace["shop"].total(), 5_840);
        assert_eq!(a.by_owner["web-team"].total(), 5_840);
        assert_eq!(
            a.by_namespace.values().map(|c| c.total()).sum::<i64>() + a.idle.total(),
            a.total_cents
        );
    }

    #[test]
    fn allocation_of_a_real_plan_sums_per_node_and_overall() {
        let text = "name: b\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m7i, c7i, r7i]}\ndaemonsets:\n  - {name: agent, namespace: kube-system, requests: {cpu: 100m, memory: 200Mi}}\nworkloads:\n  - {name: web, namespace: shop, owner: a, replicas: 7, requests: {cpu: 700m, memory: 1500Mi}}\n  - {name: db, namespace: data, replicas: 2, max_per_node: 1, requests: {cpu: 1300m, memory: 9Gi}}\n";
        let s = read_scenario(text, "b.yaml").output.unwrap();
        let plan = solve(&s, &default_config()).unwrap();
        assert_eq!(verify(&s, &plan), vec![]);
        let a = allocate(&s, &plan);
        for n in &a.nodes {
            let sum: i64 = n.lines.iter().map(|l| l.cents.total()).sum::<i64>() + n.idle.total();
            assert_eq!(sum, n.monthly_cents, "{}", n.node);
            assert!(n.idle.cpu >= 0 && n.idle.memory >= 0);
        }
        let expected: i64 = plan.nodes.iter().map(|n| (n.hourly.0 * 73_000.0).round() as i64).sum();
        assert_eq!(a.total_cents, expected);
        let by_ns: i64 = a.by_namespace.values().map(|c| c.total()).sum();
        let by_owner: i64 = a.by_owner.values().map(|c| c.total()).sum();
        assert_eq!(by_ns + a.idle.total(), a.total_cents);
        assert_eq!(by_owner + a.idle.total(), a.total_cents);
        assert!(a.by_owner.contains_key(NO_OWNER) && a.by_owner.contains_key(DAEMONSETS));
    }

    // A GPU node: 4 vCPU / 16 GiB / 1 GPU at $1.00/h, with rates $0.03/vCPU-h and
    // $0.005/GiB-h from two CPU-only types: CPU value 0.12, memory 0.08, GPU 1.00 − 0.20 = 0.80.
    // 73,000 cents: CPU 8,760, memory 5,840, GPU 58,400. One pod of 2 CPU / 8 GiB / 1 GPU takes
    // half the CPU, half the memory and all the GPU: 4,380 + 2,920 + 58,400.
    #[test]
    fn gpu_nodes_charge_their_premium_to_gpu_requests() {
        let text = "name: g\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\ncatalog:\n  custom:\n    - {name: gpu, cpu: 4, memory: 16Gi, gpus: 1, price: {on_demand: 1.0}}\n    - {name: big, cpu: 4, memory: 16Gi, price: {on_demand: 0.20}}\n    - {name: slim, cpu: 2, memory: 16Gi, price: {on_demand: 0.14}}\nworkloads:\n  - {name: model, requests: {cpu: 2, memory: 8Gi, nvidia.com/gpu: 1}}\n";
        let s = read_scenario(text, "g.yaml").output.unwrap();
        let plan = solve(&s, &default_config()).unwrap();
        assert_eq!(verify(&s, &plan), vec![]);
        let a = allocate(&s, &plan);
        let n = &a.nodes[0];
        assert_eq!(n.monthly_cents, 73_000);
        assert_eq!(n.lines[0].cents, Cents { cpu: 4_380, memory: 2_920, gpu: 58_400 });
        assert_eq!(n.idle, Cents { cpu: 4_380, memory: 2_920, gpu: 0 });
    }
}
