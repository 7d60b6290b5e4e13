//! The rules over the whole plan: replicas, zone spread, the spot share, the on-demand floor, node pools and cluster limits.

use std::collections::BTreeMap;

use super::admission::pool_of;
use super::{PlanView, Rule, Violations};
use crate::plan::Plan;
use crate::policy::{self, LimitMode, kubernetes_limits};
use crate::scenario::Scenario;

/// Every workload has exactly its replicas placed.
pub(super) fn replicas(scenario: &Scenario, placed: &[u64], out: &mut Violations) {
    for (w, workload) in scenario.workloads.iter().enumerate() {
        if placed[w] != u64::from(workload.replicas) {
            out.push(
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
}

/// A spread workload's replicas per zone differ by at most its max skew, over the zones it may use.
pub(super) fn zone_spread(plan: &PlanView<'_>, out: &mut Violations) {
    let scenario = plan.scenario;
    for (w, workload) in scenario.workloads.iter().enumerate() {
        let Some(spread) = workload.zone_spread else { continue };
        let mut per_zone: BTreeMap<&str, u64> = scenario
            .zones
            .iter()
            .filter(|z| workload.placement.zones.is_empty() || workload.placement.zones.contains(z))
            .map(|z| (z.as_str(), 0))
            .collect();
        for node in plan.nodes {
            if let Some(c) = per_zone.get_mut(plan.options[node.opt].zone.as_str()) {
                *c += u64::from(node.counts.get(&w).copied().unwrap_or(0));
            }
        }
        let lo = per_zone.values().min().copied().unwrap_or(0);
        let hi = per_zone.values().max().copied().unwrap_or(0);
        if hi - lo > u64::from(spread.max_skew) {
            let shown: Vec<String> = per_zone.iter().map(|(z, c)| format!("{z}: {c}")).collect();
            out.push(
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
}

/// Spot nodes hold at most the allowed share of the cluster's vCPU capacity.
pub(super) fn spot_share(plan: &PlanView<'_>, out: &mut Violations) {
    let cpu = |spot_only: bool| -> u64 {
        plan.nodes
            .iter()
            .map(|n| &plan.options[n.opt])
            .filter(|o| !spot_only || o.purchase.is_spot())
            .map(|o| o.capacity.cpu.0)
            .sum()
    };
    let (total_cpu, spot_cpu) = (cpu(false), cpu(true));
    let allowed = plan.scenario.policy.spot_max_share;
    if u128::from(spot_cpu) * u128::from(policy::PPM) > u128::from(allowed) * u128::from(total_cpu)
    {
        out.push(
            Rule::SpotShare,
            None,
            None,
            format!(
                "spot nodes hold {:.1}% of the cluster's vCPU; the policy allows {:.1}%",
                100.0 * spot_cpu as f64 / total_cpu.max(1) as f64,
                100.0 * policy::ppm_to_ratio(allowed)
            ),
        );
    }
}

/// With the on-demand floor on, a spot workload with a PodDisruptionBudget keeps at least
/// `min_available` replicas on non-spot nodes.
pub(super) fn on_demand_floor(plan: &PlanView<'_>, out: &mut Violations) {
    let scenario = plan.scenario;
    if !scenario.policy.on_demand_floor {
        return;
    }
    for (w, workload) in scenario.workloads.iter().enumerate() {
        let (true, Some(min)) = (workload.spot, workload.min_available) else { continue };
        let on_demand: u64 = plan
            .nodes
            .iter()
            .filter(|n| !plan.options[n.opt].purchase.is_spot())
            .map(|n| u64::from(n.counts.get(&w).copied().unwrap_or(0)))
            .sum();
        if on_demand < u64::from(min) {
            out.push(
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

/// With node pools, every node belongs to one (the first that admits its option) and every
/// pool's node count is within its bounds.
pub(super) fn node_pools(plan: &PlanView<'_>, out: &mut Violations) {
    let pools = &plan.scenario.node_pools;
    if pools.is_empty() {
        return;
    }
    let mut counts = vec![0u64; pools.len()];
    for node in plan.nodes {
        let option = &plan.options[node.opt];
        match pool_of(pools, option) {
            Some(p) => counts[p] += 1,
            None => out.push(
                Rule::NodePool,
                Some(node.name),
                None,
                format!("node {}: {} belongs to no node pool", node.name, option.key()),
            ),
        }
    }
    for (pool, n) in pools.iter().zip(counts) {
        if n < u64::from(pool.min_nodes) {
            out.push(
                Rule::NodePool,
                None,
                None,
                format!("node pool {}: {n} nodes, min_nodes is {}", pool.name, pool.min_nodes),
            );
        }
        if let Some(max) = pool.max_nodes
            && n > u64::from(max)
        {
            out.push(
                Rule::NodePool,
                None,
                None,
                format!("node pool {}: {n} nodes, max_nodes is {max}", pool.name),
            );
        }
    }
}

/// Every count limit (inventory: `max_count`, `max_count_per_zone`) holds.
pub(super) fn inventory(plan: &PlanView<'_>, out: &mut Violations) {
    for limit in plan.scenario.count_limits() {
        let n = plan.nodes.iter().filter(|n| limit.covers(&plan.options[n.opt])).count() as u64;
        if n > u64::from(limit.max_count) {
            out.push(
                Rule::Inventory,
                None,
                None,
                format!("{n} nodes where the inventory allows {}", limit.describe()),
            );
        }
    }
}

/// With `cluster_limits: fail`, the plan stays within the Kubernetes cluster limits.
pub(super) fn cluster_limits(scenario: &Scenario, plan: &Plan, out: &mut Violations) {
    if scenario.policy.cluster_limits != LimitMode::Fail {
        return;
    }
    let lim = kubernetes_limits();
    if plan.nodes.len() as u64 > lim.max_nodes {
        out.push(
            Rule::ClusterLimit,
            None,
            None,
            format!("{} nodes exceed the limit of {}", plan.nodes.len(), lim.max_nodes),
        );
    }
    if plan.n_pods() > lim.max_pods {
        out.push(
            Rule::ClusterLimit,
            None,
            None,
            format!("{} pods exceed the limit of {}", plan.n_pods(), lim.max_pods),
        );
    }
}
