//! The verifier: re-checks a plan against its scenario from scratch and names every violation (SPEC §6).
//!
//! It rebuilds the scenario's node options, then checks that every replica is placed exactly
//! once; that each node's option exists and its price and allocatable are as stated; per-node fit
//! of requests (utilization, DaemonSets, max pods) and of limits (overcommit); `max_per_node`;
//! spot, GPU and placement rules; zone spread; the spot share; the on-demand floor; node pools;
//! the cluster limits when they are set to fail; and headroom.

use std::collections::BTreeMap;
use std::fmt;

use super::Plan;
use crate::fit::headroom::{self, Lost};
use crate::fit::{ANTI_AFFINITY_PREFIX, Fleet, NodeState};
use crate::policy::{self, LimitMode, kubernetes_limits};
use crate::resources::ResourceName;
use crate::scenario::Scenario;
use crate::workload::WorkloadKey;

/// Which rule a violation breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The node's (type, purchase, zone) is not a node option of the scenario.
    UnknownOption,
    /// The stated price differs from the scenario's.
    Price,
    /// The stated allocatable differs from the scenario's.
    Allocatable,
    /// A pod group names no workload of the scenario.
    UnknownWorkload,
    /// A workload's replicas are not all placed exactly once.
    Replicas,
    /// Requests exceed usable capacity (utilization × allocatable − DaemonSets), including max pods.
    Requests,
    /// Limits exceed the overcommit cap.
    Limits,
    /// More replicas on a node than `max_per_node`.
    MaxPerNode,
    /// A pod on a node it may not use (spot, GPU, architecture, instance type, zone).
    Placement,
    /// Zone spread exceeds the max skew.
    ZoneSpread,
    /// Spot capacity exceeds the allowed share.
    SpotShare,
    /// Fewer than `min_available` replicas of a spot workload on non-spot nodes.
    OnDemandFloor,
    /// A node belongs to no node pool, or a pool's node count is out of bounds.
    NodePool,
    /// A Kubernetes cluster limit is exceeded and the policy says fail.
    ClusterLimit,
    /// Losing a node or a zone leaves pods without room.
    Headroom,
}

/// One broken rule, with the node and workload involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// The node, when the violation is about one.
    pub node: Option<String>,
    /// The workload, when the violation is about one.
    pub workload: Option<WorkloadKey>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks `plan` against `scenario` and returns every violation (empty when the plan is valid).
pub fn verify(scenario: &Scenario, plan: &Plan) -> Vec<Violation> {
    let options = scenario.node_options().output;
    let fleet = Fleet::new(scenario, &options);
    let mut out = Vec::new();
    let mut v =
        |rule: Rule, node: Option<&str>, workload: Option<&WorkloadKey>, message: String| {
            out.push(Violation {
                rule,
                node: node.map(str::to_string),
                workload: workload.cloned(),
                message,
            });
        };
    let by_key: BTreeMap<String, usize> =
        options.iter().enumerate().map(|(i, o)| (o.key(), i)).collect();
    let index: BTreeMap<WorkloadKey, usize> =
        scenario.workloads.iter().enumerate().map(|(i, w)| (w.key(), i)).collect();

    let mut placed = vec![0u64; scenario.workloads.len()];
    let mut states: Vec<NodeState> = Vec::new();
    let mut state_names: Vec<&str> = Vec::new();
    let mut names = BTreeMap::new();
    for node in &plan.nodes {
        let name = node.name.as_str();
        if names.insert(name, ()).is_some() {
            v(Rule::UnknownOption, Some(name), None, format!("node name {name} is used twice"));
        }
        let Some(&opt) = by_key.get(&node.option_key()) else {
            v(
                Rule::UnknownOption,
                Some(name),
                None,
                format!(
                    "node {name}: {} ({} in {}) is not a node option of the scenario (filtered out, not offered in {}, or unknown)",
                    node.instance_type, node.purchase, node.zone, scenario.region
                ),
            );
            for p in &node.pods {
                if let Some(&w) = index.get(&p.workload) {
                    placed[w] += u64::from(p.count);
                }
            }
            continue;
        };
        let option = &options[opt];
        if (node.hourly.0 - option.price.0).abs() > 1e-9 {
            v(
                Rule::Price,
                Some(name),
                None,
                format!(
                    "node {name}: stated price {} differs from the scenario's {}",
                    node.hourly, option.price
                ),
            );
        }
        if node.allocatable != option.allocatable {
            v(
                Rule::Allocatable,
                Some(name),
                None,
                format!(
                    "node {name}: stated allocatable ({}) differs from the scenario's ({})",
                    node.allocatable, option.allocatable
                ),
            );
        }
        let mut state = fleet.empty_node(opt);
        let mut used = vec![0u64; fleet.dims.len()];
        let mut used_lim = vec![0u64; fleet.limit_dims.len()];
        for p in &node.pods {
            let Some(&w) = index.get(&p.workload) else {
                v(
                    Rule::UnknownWorkload,
                    Some(name),
                    Some(&p.workload),
                    format!("node {name}: workload {} is not in the scenario", p.workload),
                );
                continue;
            };
            let workload = &scenario.workloads[w];
            placed[w] += u64::from(p.count);
            if !fleet.admits[w][opt] {
                let why = if option.purchase.is_spot() && !workload.spot {
                    "it does not tolerate spot".to_string()
                } else if option.has_gpu()
                    && !workload.pod.requests.extended.keys().any(|k| k.ends_with("/gpu"))
                {
                    "GPU nodes are kept for pods that request GPUs".to_string()
                } else if !workload.pod.requests.fits_in(&option.usable) {
                    "one pod does not fit the node's usable capacity".to_string()
                } else if !option.limits_fit(&workload.pod.limits) {
                    "one pod's limits exceed the node's overcommit cap".to_string()
                } else {
                    "its node selector (architecture, instance type, family or zone) excludes this node".to_string()
                };
                v(
                    Rule::Placement,
                    Some(name),
                    Some(&p.workload),
                    format!("node {name}: {} may not run on {}: {why}", p.workload, option.key()),
                );
            }
            if let Some(m) = workload.max_per_node
                && p.count > m
            {
                v(
                    Rule::MaxPerNode,
                    Some(name),
                    Some(&p.workload),
                    format!(
                        "node {name}: {} replicas of {} exceed max_per_node {m}",
                        p.count, p.workload
                    ),
                );
            }
            for (u, r) in used.iter_mut().zip(&fleet.req[w]) {
                *u = u.saturating_add(r.saturating_mul(u64::from(p.count)));
            }
            for (u, r) in used_lim.iter_mut().zip(&fleet.lim[w]) {
                *u = u.saturating_add(r.saturating_mul(u64::from(p.count)));
            }
            fleet.place(&mut state, w, p.count);
        }
        for (d, (u, cap)) in used.iter().zip(&fleet.usable[opt]).enumerate() {
            if u > cap {
                let res = &fleet.dims.names[d];
                if let ResourceName::Extended(e) = res
                    && let Some(group) = e.strip_prefix(ANTI_AFFINITY_PREFIX)
                {
                    v(
                        Rule::MaxPerNode,
                        Some(name),
                        None,
                        format!(
                            "node {name}: {u} pods of anti-affinity group {group} (at most one per node)"
                        ),
                    );
                    continue;
                }
                v(
                    Rule::Requests,
                    Some(name),
                    None,
                    format!(
                        "node {name}: {res} requests {} exceed the usable {} (utilization × allocatable {} − DaemonSets {})",
                        res.format_amount(*u),
                        res.format_amount(*cap),
                        res.format_amount(option.allocatable.get(res)),
                        res.format_amount(option.daemonset_requests.get(res))
                    ),
                );
            }
        }
        for (d, (u, cap)) in used_lim.iter().zip(&fleet.lim_caps[opt]).enumerate() {
            if u > cap {
                let res = &fleet.limit_dims[d];
                v(
                    Rule::Limits,
                    Some(name),
                    None,
                    format!(
                        "node {name}: {res} limits {} exceed the overcommit cap {}",
                        res.format_amount(*u),
                        res.format_amount(*cap)
                    ),
                );
            }
        }
        states.push(state);
        state_names.push(name);
    }

    for (w, workload) in scenario.workloads.iter().enumerate() {
        if placed[w] != u64::from(workload.replicas) {
            v(
                Rule::Replicas,
                None,
                Some(&workload.key()),
                format!(
                    "workload {}: {} replicas placed, {} wanted",
                    workload.key(),
                    placed[w],
                    workload.replicas
                ),
            );
        }
    }

    // Zone spread, over the zones the workload may use.
    for (w, workload) in scenario.workloads.iter().enumerate() {
        let Some(spread) = workload.zone_spread else { continue };
        let zones: Vec<&String> = scenario
            .zones
            .iter()
            .filter(|z| workload.placement.zones.is_empty() || workload.placement.zones.contains(z))
            .collect();
        let mut per_zone: BTreeMap<&str, u64> = zones.iter().map(|z| (z.as_str(), 0)).collect();
        for s in &states {
            if let Some(c) = per_zone.get_mut(options[s.opt].zone.as_str()) {
                *c += u64::from(s.count(w));
            }
        }
        let (lo, hi) = (
            per_zone.values().min().copied().unwrap_or(0),
            per_zone.values().max().copied().unwrap_or(0),
        );
        if hi - lo > u64::from(spread.max_skew) {
            let shown: Vec<String> = per_zone.iter().map(|(z, c)| format!("{z}: {c}")).collect();
            v(
                Rule::ZoneSpread,
                None,
                Some(&workload.key()),
                format!(
                    "workload {}: zone skew {} exceeds max_skew {} ({})",
                    workload.key(),
                    hi - lo,
                    spread.max_skew,
                    shown.join(", ")
                ),
            );
        }
    }

    // Spot share of vCPU capacity.
    let total_cpu: u64 = states.iter().map(|s| options[s.opt].capacity.cpu.0).sum();
    let spot_cpu: u64 = states
        .iter()
        .filter(|s| options[s.opt].purchase.is_spot())
        .map(|s| options[s.opt].capacity.cpu.0)
        .sum();
    if u128::from(spot_cpu) * u128::from(policy::PPM)
        > u128::from(scenario.policy.spot_max_share) * u128::from(total_cpu)
    {
        v(
            Rule::SpotShare,
            None,
            None,
            format!(
                "spot nodes hold {:.1}% of the cluster's vCPU; the policy allows {:.1}%",
                100.0 * spot_cpu as f64 / total_cpu.max(1) as f64,
                100.0 * policy::ppm_to_ratio(scenario.policy.spot_max_share)
            ),
        );
    }

    // On-demand floor for spot workloads with a PodDisruptionBudget.
    if scenario.policy.on_demand_floor {
        for (w, workload) in scenario.workloads.iter().enumerate() {
            let (true, Some(min)) = (workload.spot, workload.min_available) else { continue };
            let on_demand: u64 = states
                .iter()
                .filter(|s| !options[s.opt].purchase.is_spot())
                .map(|s| u64::from(s.count(w)))
                .sum();
            if on_demand < u64::from(min) {
                v(
                    Rule::OnDemandFloor,
                    None,
                    Some(&workload.key()),
                    format!(
                        "workload {}: {on_demand} replicas on non-spot nodes, min_available needs {min}",
                        workload.key()
                    ),
                );
            }
        }
    }

    // Node pools: each node belongs to the first pool that admits it.
    if !scenario.node_pools.is_empty() {
        let mut counts = vec![0u64; scenario.node_pools.len()];
        for (s, name) in states.iter().zip(&state_names) {
            match scenario.node_pools.iter().position(|p| p.admits(&options[s.opt])) {
                Some(p) => counts[p] += 1,
                None => v(
                    Rule::NodePool,
                    Some(name),
                    None,
                    format!("node {name}: {} belongs to no node pool", options[s.opt].key()),
                ),
            }
        }
        for (pool, n) in scenario.node_pools.iter().zip(counts) {
            if n < u64::from(pool.min_nodes) {
                v(
                    Rule::NodePool,
                    None,
                    None,
                    format!("node pool {}: {n} nodes, min_nodes is {}", pool.name, pool.min_nodes),
                );
            }
            if let Some(max) = pool.max_nodes
                && n > u64::from(max)
            {
                v(
                    Rule::NodePool,
                    None,
                    None,
                    format!("node pool {}: {n} nodes, max_nodes is {max}", pool.name),
                );
            }
        }
    }

    // Cluster limits, when the policy makes them binding.
    if scenario.policy.cluster_limits == LimitMode::Fail {
        let lim = kubernetes_limits();
        if plan.nodes.len() as u64 > lim.max_nodes {
            v(
                Rule::ClusterLimit,
                None,
                None,
                format!("{} nodes exceed the limit of {}", plan.nodes.len(), lim.max_nodes),
            );
        }
        if plan.n_pods() > lim.max_pods {
            v(
                Rule::ClusterLimit,
                None,
                None,
                format!("{} pods exceed the limit of {}", plan.n_pods(), lim.max_pods),
            );
        }
    }

    for failure in headroom::check(&fleet, &states, scenario.policy.headroom) {
        let lost = match &failure.lost {
            Lost::Node(i) => format!("node {}", state_names[*i]),
            Lost::Zone(z) => format!("zone {z}"),
        };
        let what: Vec<String> = failure
            .unplaced
            .iter()
            .map(|(w, c)| format!("{c} × {}", scenario.workloads[*w].key()))
            .collect();
        v(
            Rule::Headroom,
            None,
            None,
            format!(
                "headroom {}: after losing {lost}, no room is left for {}",
                scenario.policy.headroom,
                what.join(", ")
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::PurchaseOption;
    use crate::input::scenario::read_scenario;
    use crate::money::Price;
    use crate::plan::PodCount;
    use crate::solve::{default_config, solve};

    const BASE: &str = "name: t\nprovider: custom\nregion: dc\noverhead: none\ncatalog:\n  custom:\n    - {name: small, cpu: 2, memory: 8Gi, max_pods: 4, price: {on_demand: 0.10, spot: 0.03}}\n    - {name: gpu, cpu: 8, memory: 32Gi, gpus: 1, price: {on_demand: 1.0}}\n";

    fn setup(body: &str) -> (Scenario, Plan) {
        let s = read_scenario(&format!("{BASE}{body}"), "t.yaml")
            .output
            .unwrap_or_else(|e| panic!("{e:?}"));
        let p = solve(&s, &default_config()).unwrap();
        assert_eq!(verify(&s, &p), vec![], "the unmodified plan must verify");
        (s, p)
    }

    fn rules(s: &Scenario, p: &Plan) -> Vec<Rule> {
        let mut r: Vec<Rule> = verify(s, p).into_iter().map(|v| v.rule).collect();
        r.sort();
        r.dedup();
        r
    }

    fn key(name: &str) -> crate::workload::WorkloadKey {
        crate::workload::WorkloadKey { namespace: "default".into(), name: name.into() }
    }

    #[test]
    fn every_rule_names_its_violation() {
        let (s, p) = setup(
            "zones: [a, b]\npurchase: [on-demand, spot]\npolicy: {headroom: node, spot: {max_share: 0.5}, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 4, max_per_node: 2, zone_spread: {max_skew: 1}, requests: {cpu: 500m, memory: 1Gi}}\n  - {name: s, replicas: 2, spot: true, min_available: 1, requests: {cpu: 100m, memory: 128Mi}}\n",
        );

        // Unknown option, price and allocatable mismatches.
        let mut q = p.clone();
        q.nodes[0].instance_type = "huge".into();
        assert!(rules(&s, &q).contains(&Rule::UnknownOption));
        let mut q = p.clone();
        q.nodes[0].hourly = Price(9.0);
        assert_eq!(rules(&s, &q), [Rule::Price]);
        let mut q = p.clone();
        q.nodes[0].allocatable.cpu.0 += 1;
        assert_eq!(rules(&s, &q), [Rule::Allocatable]);

        // A replica dropped, and an unknown workload.
        let mut q = p.clone();
        let i =
            q.nodes.iter().position(|n| n.pods.iter().any(|pc| pc.workload.name == "w")).unwrap();
        let j = q.nodes[i].pods.iter().position(|pc| pc.workload.name == "w").unwrap();
        q.nodes[i].pods[j].count -= 1;
        assert!(rules(&s, &q).contains(&Rule::Replicas));
        let mut q = p.clone();
        q.nodes[0].pods.push(PodCount { workload: key("ghost"), count: 1 });
        assert!(rules(&s, &q).contains(&Rule::UnknownWorkload));

        // Everything of w on one node: max_per_node, requests, limits (overcommit 1.0), zone spread, headroom.
        let mut q = p.clone();
        for n in &mut q.nodes {
            n.pods.retain(|pc| pc.workload.name != "w");
        }
        q.nodes[0].pods.push(PodCount { workload: key("w"), count: 4 });
        let r = rules(&s, &q);
        for rule in [Rule::MaxPerNode, Rule::ZoneSpread] {
            assert!(r.contains(&rule), "{rule:?} missing from {r:?}");
        }

        // A non-spot workload on a spot node.
        let mut q = p.clone();
        q.nodes[0].purchase = PurchaseOption::Spot;
        q.nodes[0].hourly = Price(0.03);
        assert!(rules(&s, &q).contains(&Rule::Placement));

        // All of the spot workload on spot: the floor breaks; all nodes spot: the share breaks.
        let mut q = p.clone();
        for n in &mut q.nodes {
            n.purchase = PurchaseOption::Spot;
            n.hourly = Price(0.03);
        }
        let r = rules(&s, &q);
        assert!(r.contains(&Rule::SpotShare) && r.contains(&Rule::OnDemandFloor), "{r:?}");

        // Dropping the spare breaks headroom.
        let mut q = p.clone();
        let empty = q.nodes.iter().position(|n| n.pods.is_empty()).expect("a spare node");
        q.nodes.remove(empty);
        assert!(rules(&s, &q).contains(&Rule::Headroom), "{:?}", verify(&s, &q));
    }

    #[test]
    fn requests_limits_and_pod_caps_are_checked_per_node() {
        let (s, p) = setup(
            "policy: {headroom: none, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 6, requests: {cpu: 300m, memory: 100Mi}, limits: {cpu: 600m}}\n",
        );
        let mut q = p.clone();
        let all: u32 = q.nodes.iter().flat_map(|n| n.pods.iter().map(|pc| pc.count)).sum();
        for n in &mut q.nodes {
            n.pods.clear();
        }
        q.nodes[0].pods.push(PodCount { workload: key("w"), count: all });
        let r = rules(&s, &q);
        // 6 pods on a 4-pod node, 3.6 cores of limits on 2 cores.
        assert!(r.contains(&Rule::Requests) && r.contains(&Rule::Limits), "{r:?}");
        let msgs: Vec<String> = verify(&s, &q).into_iter().map(|v| v.message).collect();
        assert!(msgs.iter().any(|m| m.contains("pods requests 6 exceed the usable 4")), "{msgs:?}");
    }

    #[test]
    fn gpu_nodes_are_kept_for_gpu_pods() {
        let (s, p) = setup(
            "policy: {headroom: none}\nworkloads:\n  - {name: w, replicas: 1, requests: {cpu: 100m, memory: 100Mi}}\n",
        );
        let mut q = p.clone();
        q.nodes[0].instance_type = "gpu".into();
        q.nodes[0].hourly = Price(1.0);
        q.nodes[0].allocatable = s
            .node_options()
            .output
            .iter()
            .find(|o| o.instance_type == "gpu")
            .unwrap()
            .allocatable
            .clone();
        let v = verify(&s, &q);
        assert!(
            v.iter().any(|v| v.rule == Rule::Placement && v.message.contains("GPU nodes are kept")),
            "{v:?}"
        );
    }
}
