//! The verifier: re-checks a plan against its scenario from scratch and names every violation (SPEC §6).
//!
//! It rebuilds the scenario's node options and resolves every node of the plan against them
//! (`resolve`: the option exists, each pod group names a workload), then checks one rule per
//! function: per node (`node`) the stated price and allocatable, admission (`admission`:
//! spot, GPU, one pod's fit, the node selector), `max_per_node` and anti-affinity, requests
//! against usable capacity (utilization, DaemonSets, max pods) and limits against the
//! overcommit caps; over the plan (`cluster`) that every replica is placed exactly once, zone
//! spread, the spot share, the on-demand floor, node pools and the cluster limits when they are
//! set to fail; and headroom (`headroom`).
//!
//! The verifier shares only the scenario model (`Scenario`, `NodeOption`, `Workload`,
//! `Resources`) with the packers. It states capacity, admission and the headroom re-pack on its
//! own, over `Resources`, instead of using the packers' fit rules (`crate::fit`), so that a bug
//! there cannot pass the verifier too.

mod admission;
mod cluster;
mod headroom;
mod node;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use super::{Plan, PlanNode};
use crate::scenario::{NodeOption, OptionKey, Scenario};
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
    /// More nodes of an instance type (in a zone, of a purchase option) than the inventory has.
    Inventory,
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
    let mut out = Violations(Vec::new());
    let (nodes, placed) = resolve(scenario, &options, plan, &mut out);
    for (node, plan_node) in &nodes {
        let option = &options[node.opt];
        node::price(node, plan_node, option, &mut out);
        node::allocatable(node, plan_node, option, &mut out);
        node::admission(scenario, node, option, &mut out);
        node::max_per_node(scenario, node, &mut out);
        node::requests(scenario, node, option, &mut out);
        node::anti_affinity(scenario, node, &mut out);
        node::limits(scenario, node, option, &mut out);
    }
    let nodes: Vec<Node<'_>> = nodes.into_iter().map(|(n, _)| n).collect();
    let plan_view = PlanView { scenario, options: &options, nodes: &nodes };
    cluster::replicas(scenario, &placed, &mut out);
    cluster::zone_spread(&plan_view, &mut out);
    cluster::spot_share(&plan_view, &mut out);
    cluster::on_demand_floor(&plan_view, &mut out);
    cluster::node_pools(&plan_view, &mut out);
    cluster::inventory(&plan_view, &mut out);
    cluster::cluster_limits(scenario, plan, &mut out);
    headroom::headroom(&plan_view, &mut out);
    out.0
}

/// A node of the plan whose option the scenario has: its name, option index and replicas per
/// workload index (zero counts left out).
struct Node<'p> {
    name: &'p str,
    opt: usize,
    counts: BTreeMap<usize, u32>,
}

/// The resolved plan, for the rules over the whole plan.
struct PlanView<'a> {
    scenario: &'a Scenario,
    options: &'a [NodeOption],
    nodes: &'a [Node<'a>],
}

/// The violations found so far.
struct Violations(Vec<Violation>);

impl Violations {
    fn push(
        &mut self,
        rule: Rule,
        node: Option<&str>,
        workload: Option<&WorkloadKey>,
        message: String,
    ) {
        self.0.push(Violation {
            rule,
            node: node.map(str::to_string),
            workload: workload.cloned(),
            message,
        });
    }
}

/// Resolves every node against the scenario's options and workloads. A node name used twice, a
/// node whose option the scenario does not have, and a pod group naming no workload are
/// violations; such a node still counts its replicas (so none is reported missing twice) but no
/// other rule sees it. Returns the resolved nodes and the replicas placed per workload.
fn resolve<'p>(
    scenario: &Scenario,
    options: &[NodeOption],
    plan: &'p Plan,
    out: &mut Violations,
) -> (Vec<(Node<'p>, &'p PlanNode)>, Vec<u64>) {
    let by_key: BTreeMap<OptionKey, usize> =
        options.iter().enumerate().map(|(i, o)| (o.key(), i)).collect();
    let keys: Vec<WorkloadKey> = scenario.workloads.iter().map(|w| w.key()).collect();
    let index: BTreeMap<&WorkloadKey, usize> =
        keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut placed = vec![0u64; scenario.workloads.len()];
    let mut names = BTreeMap::new();
    let mut nodes = Vec::new();
    for plan_node in &plan.nodes {
        let name = plan_node.name.as_str();
        if names.insert(name, ()).is_some() {
            out.push(
                Rule::UnknownOption,
                Some(name),
                None,
                format!("node name {name} is used twice"),
            );
        }
        let opt = by_key.get(&plan_node.option_key()).copied();
        if opt.is_none() {
            out.push(
                Rule::UnknownOption,
                Some(name),
                None,
                format!(
                    "node {name}: {} ({} in {}) is not a node option of the scenario (filtered out, not offered in {}, or unknown)",
                    plan_node.instance_type, plan_node.purchase, plan_node.zone, scenario.region
                ),
            );
        }
        let mut counts = BTreeMap::new();
        for p in &plan_node.pods {
            match index.get(&p.workload) {
                Some(&w) => {
                    placed[w] += u64::from(p.count);
                    if p.count > 0 {
                        let c = counts.entry(w).or_insert(0u32);
                        *c = c.saturating_add(p.count);
                    }
                }
                None if opt.is_some() => out.push(
                    Rule::UnknownWorkload,
                    Some(name),
                    Some(&p.workload),
                    format!("node {name}: workload {} is not in the scenario", p.workload),
                ),
                None => {}
            }
        }
        if let Some(opt) = opt {
            nodes.push((Node { name, opt, counts }, plan_node));
        }
    }
    (nodes, placed)
}
