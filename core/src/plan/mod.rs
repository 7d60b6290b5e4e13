//! Plans: the nodes to buy, what runs on each, and the facts about how the plan was found.
//!
//! A plan refers to workloads by key and to node options by (instance type, purchase option,
//! zone), so that it can be written as JSON and verified later against its scenario
//! ([`verify::verify`]).

pub(crate) mod stats;
mod totals;
pub mod verify;

pub use totals::{PlanTotals, plan_totals};

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::{Provider, PurchaseOption};
use crate::diag::Diagnostic;
use crate::money::Price;
use crate::resources::Resources;
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::workload::WorkloadKey;
pub use stats::EngineStats;

/// How a plan's search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveStatus {
    /// Proven optimal: the cost equals the lower bound (within rounding).
    Optimal,
    /// A verified plan, not proven optimal.
    Feasible,
    /// The time budget ran out; the best plan so far.
    TimeLimit,
}

impl SolveStatus {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::Feasible => "feasible",
            SolveStatus::TimeLimit => "time_limit",
        }
    }
}

/// Facts about the search that produced a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct SolverFacts {
    /// `exact`, `ffd` or `karpenter`.
    pub method: String,
    /// `pure` or `highs` for the exact engine; `None` for FFD and Karpenter.
    pub backend: Option<String>,
    /// How the search ended.
    pub status: SolveStatus,
    /// Wall-clock seconds, as measured by the caller's clock (0 without one).
    pub seconds: f64,
    /// A proven lower bound on the hourly cost, when known.
    pub bound: Option<Price>,
    /// The hourly cost of the greedy first-fit-decreasing baseline on the same input, when computed.
    pub ffd_hourly: Option<Price>,
    /// What Karpenter would launch for the same input, when modelled.
    pub karpenter: Option<KarpenterBaseline>,
    /// What the exact engine did (rounds, columns, …), when it ran.
    pub stats: Option<EngineStats>,
}

/// What the Karpenter model launches for a scenario (`solve::karpenter`): the baseline a plan's
/// saving is stated against.
#[derive(Clone, Debug, PartialEq)]
pub struct KarpenterBaseline {
    /// Hourly cost of its nodes.
    pub hourly: Price,
    /// Number of nodes.
    pub n_nodes: usize,
    /// Nodes per instance type and purchase option, sorted.
    pub types: Vec<(String, PurchaseOption, u64)>,
    /// The allocatable it packed against.
    pub allocatable: Allocatable,
    /// Whether consolidation ran after provisioning.
    pub consolidated: bool,
    /// What the model did beyond Karpenter's own pass (the spot split, headroom spares), as sentences.
    pub notes: Vec<String>,
    /// The kplan policies its plan breaks, as the verifier words them (empty: it verifies).
    pub violations: Vec<String>,
}

/// A number of replicas of one workload on one node.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodCount {
    /// The workload.
    pub workload: WorkloadKey,
    /// Replicas on the node.
    pub count: u32,
}

/// One node of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanNode {
    /// Name, unique in the plan.
    pub name: String,
    /// Instance type.
    pub instance_type: String,
    /// Purchase option.
    pub purchase: PurchaseOption,
    /// Zone.
    pub zone: String,
    /// Hourly price, as stated by the plan.
    pub hourly: Price,
    /// Allocatable, as stated by the plan.
    pub allocatable: Resources,
    /// Workload replicas on the node, sorted by workload key.
    pub pods: Vec<PodCount>,
}

impl PlanNode {
    /// The key of its node option: (type, purchase option, zone).
    pub fn option_key(&self) -> OptionKey {
        OptionKey::new(&self.instance_type, self.purchase, &self.zone)
    }

    /// Number of workload pods on the node.
    pub fn n_pods(&self) -> u64 {
        self.pods.iter().map(|p| u64::from(p.count)).sum()
    }
}

/// A group of identical nodes: same instance type, purchase option and zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    /// Instance type.
    pub instance_type: String,
    /// Purchase option.
    pub purchase: PurchaseOption,
    /// Zone.
    pub zone: String,
    /// Number of nodes.
    pub count: u64,
    /// Hourly price of one node.
    pub hourly_each: Price,
}

impl Pool {
    /// The key of the pool's node option: (type, purchase option, zone).
    pub fn option_key(&self) -> OptionKey {
        OptionKey::new(&self.instance_type, self.purchase, &self.zone)
    }
}

/// The nodes to run a scenario on.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The scenario's name.
    pub scenario: String,
    /// Provider.
    pub provider: Provider,
    /// Region.
    pub region: String,
    /// The nodes, in a deterministic order.
    pub nodes: Vec<PlanNode>,
    /// Warnings about the plan (node-size guidance, cluster limits, estimates, input warnings).
    pub warnings: Vec<Diagnostic>,
    /// How it was found.
    pub solver: SolverFacts,
}

impl Plan {
    /// Total hourly cost of the nodes.
    pub fn hourly(&self) -> Price {
        self.nodes.iter().map(|n| n.hourly).sum()
    }

    /// The relative gap between cost and bound: (cost − bound) / cost, when a bound is known.
    pub fn gap(&self) -> Option<f64> {
        let bound = self.solver.bound?;
        let cost = self.hourly().0;
        Some(if cost <= 0.0 { 0.0 } else { ((cost - bound.0) / cost).max(0.0) })
    }

    /// Nodes grouped into pools, sorted by instance type, purchase option and zone.
    pub fn pools(&self) -> Vec<Pool> {
        let mut map: BTreeMap<(String, PurchaseOption, String), Pool> = BTreeMap::new();
        for n in &self.nodes {
            let e = map
                .entry((n.instance_type.clone(), n.purchase, n.zone.clone()))
                .or_insert_with(|| Pool {
                    instance_type: n.instance_type.clone(),
                    purchase: n.purchase,
                    zone: n.zone.clone(),
                    count: 0,
                    hourly_each: n.hourly,
                });
            e.count += 1;
        }
        map.into_values().collect()
    }

    /// Total workload pods placed.
    pub fn n_pods(&self) -> u64 {
        self.nodes.iter().map(PlanNode::n_pods).sum()
    }
}

/// A node's content measured against its scenario: requests, limits and utilisation.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeUsage {
    /// Sum of requests: workload pods plus DaemonSet pods.
    pub requests: Resources,
    /// Sum of limits: workload pods plus DaemonSet pods.
    pub limits: Resources,
    /// Allocatable.
    pub allocatable: Resources,
}

impl NodeUsage {
    /// requests / allocatable for a resource, 0 when nothing is allocatable.
    pub fn utilization(&self, name: &crate::resources::ResourceName) -> f64 {
        let a = self.allocatable.get(name);
        if a == 0 { 0.0 } else { self.requests.get(name) as f64 / a as f64 }
    }
}

/// Computes a node's usage from its pods, the scenario's workloads and its node option.
pub fn node_usage(scenario: &Scenario, node: &PlanNode, option: Option<&NodeOption>) -> NodeUsage {
    let mut requests = Resources::default();
    let mut limits = Resources::default();
    for p in &node.pods {
        if let Some((_, w)) = scenario.workload(&p.workload.namespace, &p.workload.name) {
            requests = requests.add(&w.pod.requests.times(u64::from(p.count)));
            limits = limits.add(&w.pod.limits.times(u64::from(p.count)));
        }
    }
    if let Some(o) = option {
        requests = requests.add(&o.daemonset_requests);
        limits = limits.add(&o.daemonset_limits);
    }
    NodeUsage {
        requests,
        limits,
        allocatable: option.map_or_else(|| node.allocatable.clone(), |o| o.allocatable.clone()),
    }
}

/// Names nodes `<type>-<zone>-<n>` in their final order and sorts them deterministically.
pub fn finish_nodes(mut nodes: Vec<PlanNode>) -> Vec<PlanNode> {
    for n in &mut nodes {
        n.pods.retain(|p| p.count > 0);
        n.pods.sort();
    }
    nodes.sort_by(|a, b| {
        a.instance_type
            .cmp(&b.instance_type)
            .then(a.purchase.cmp(&b.purchase))
            .then(a.zone.cmp(&b.zone))
            .then_with(|| b.n_pods().cmp(&a.n_pods()))
            .then_with(|| a.pods.cmp(&b.pods))
    });
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    for n in &mut nodes {
        let key = format!("{}-{}-{}", n.instance_type, n.purchase, n.zone);
        let c = counters.entry(key.clone()).or_insert(0);
        *c += 1;
        n.name = format!("{key}-{}", *c);
    }
    nodes
}

/// Which allocatable the Karpenter model packs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allocatable {
    /// The scenario's own overhead profile (like for like with kplan's plan).
    Scenario,
    /// Karpenter's AWS provider estimate (aws/karpenter-provider-aws
    /// `pkg/providers/instancetype/types.go`), capped at the scenario's.
    KarpenterAws,
}

impl Allocatable {
    /// The CLI / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Allocatable::Scenario => "scenario",
            Allocatable::KarpenterAws => "karpenter-aws",
        }
    }
}

impl fmt::Display for Allocatable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
