//! The rules of one node: stated price and allocatable, admission, `max_per_node`, anti-affinity, requests and limits.

use std::collections::BTreeMap;

use super::admission::refusal;
use super::{Node, Rule, Violations};
use crate::plan::PlanNode;
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, Scenario};

/// The stated hourly price is the scenario's.
pub(super) fn price(node: &Node<'_>, stated: &PlanNode, option: &NodeOption, out: &mut Violations) {
    if (stated.hourly.0 - option.price.0).abs() > 1e-9 {
        out.push(
            Rule::Price,
            Some(node.name),
            None,
            format!(
                "node {}: stated price {} differs from the scenario's {}",
                node.name, stated.hourly, option.price
            ),
        );
    }
}

/// The stated allocatable is the scenario's.
pub(super) fn allocatable(
    node: &Node<'_>,
    stated: &PlanNode,
    option: &NodeOption,
    out: &mut Violations,
) {
    if stated.allocatable != option.allocatable {
        out.push(
            Rule::Allocatable,
            Some(node.name),
            None,
            format!(
                "node {}: stated allocatable ({}) differs from the scenario's ({})",
                node.name, stated.allocatable, option.allocatable
            ),
        );
    }
}

/// Every workload on the node may run on its option (spot, GPU, one pod's fit, node selector).
pub(super) fn admission(
    scenario: &Scenario,
    node: &Node<'_>,
    option: &NodeOption,
    out: &mut Violations,
) {
    for &w in node.counts.keys() {
        let workload = &scenario.workloads[w];
        if let Some(why) = refusal(workload, option) {
            let key = workload.key();
            out.push(
                Rule::Placement,
                Some(node.name),
                Some(&key),
                format!("node {}: {key} may not run on {}: {why}", node.name, option.key()),
            );
        }
    }
}

/// No workload has more replicas on the node than its `max_per_node`.
pub(super) fn max_per_node(scenario: &Scenario, node: &Node<'_>, out: &mut Violations) {
    for (&w, &count) in &node.counts {
        let workload = &scenario.workloads[w];
        if let Some(m) = workload.max_per_node
            && count > m
        {
            out.push(
                Rule::MaxPerNode,
                Some(node.name),
                Some(&workload.key()),
                format!(
                    "node {}: {count} replicas of {} exceed max_per_node {m}",
                    node.name,
                    workload.key()
                ),
            );
        }
    }
}

/// The requests of the node's pods, summed.
pub(super) fn requests_on(scenario: &Scenario, counts: &BTreeMap<usize, u32>) -> Resources {
    counts.iter().fold(Resources::default(), |sum, (&w, &c)| {
        sum.add(&scenario.workloads[w].pod.requests.times(u64::from(c)))
    })
}

/// The pods' requests fit the option's usable capacity (utilization × allocatable −
/// DaemonSets) in every resource, max pods included.
pub(super) fn requests(
    scenario: &Scenario,
    node: &Node<'_>,
    option: &NodeOption,
    out: &mut Violations,
) {
    let used = requests_on(scenario, &node.counts);
    for (res, need, have) in used.excess_over(&option.usable) {
        out.push(
            Rule::Requests,
            Some(node.name),
            None,
            format!(
                "node {}: {res} requests {} exceed the usable {} (utilization × allocatable {} − DaemonSets {})",
                node.name,
                res.format_amount(need),
                res.format_amount(have),
                res.format_amount(option.allocatable.get(&res)),
                res.format_amount(option.daemonset_requests.get(&res))
            ),
        );
    }
}

/// Pods per anti-affinity group on the node.
pub(super) fn groups_on<'s>(
    scenario: &'s Scenario,
    counts: &BTreeMap<usize, u32>,
) -> BTreeMap<&'s str, u64> {
    let mut res: BTreeMap<&str, u64> = BTreeMap::new();
    for (&w, &c) in counts {
        if let Some(group) = scenario.workloads[w].anti_affinity.as_deref() {
            *res.entry(group).or_insert(0) += u64::from(c);
        }
    }
    res
}

/// At most one pod of each anti-affinity group on the node.
pub(super) fn anti_affinity(scenario: &Scenario, node: &Node<'_>, out: &mut Violations) {
    for (group, n) in groups_on(scenario, &node.counts) {
        if n > 1 {
            out.push(
                Rule::MaxPerNode,
                Some(node.name),
                None,
                format!(
                    "node {}: {n} pods of anti-affinity group {group} (at most one per node)",
                    node.name
                ),
            );
        }
    }
}

/// The pods' limits, summed, are within every overcommit cap of the option.
pub(super) fn limits(
    scenario: &Scenario,
    node: &Node<'_>,
    option: &NodeOption,
    out: &mut Violations,
) {
    for (res, cap) in &option.limit_caps {
        let used = limits_on(scenario, &node.counts, res);
        if used > *cap {
            out.push(
                Rule::Limits,
                Some(node.name),
                None,
                format!(
                    "node {}: {res} limits {} exceed the overcommit cap {}",
                    node.name,
                    res.format_amount(used),
                    res.format_amount(*cap)
                ),
            );
        }
    }
}

/// The pods' limits of one resource, summed.
pub(super) fn limits_on(
    scenario: &Scenario,
    counts: &BTreeMap<usize, u32>,
    res: &ResourceName,
) -> u64 {
    counts.iter().fold(0u64, |sum, (&w, &c)| {
        sum.saturating_add(scenario.workloads[w].pod.limits.get(res).saturating_mul(u64::from(c)))
    })
}
