//! What Karpenter would launch: a model of Karpenter v1's provisioning pass (and, optionally,
//! its consolidation) for one batch of pending pods on an empty cluster, the baseline a plan's
//! saving is stated against.
//!
//! The model follows Karpenter's own source, read rule by rule (see the `scheduler` and
//! `consolidation` modules for which file each rule comes from), and runs under kplan's fit rules: a
//! node holds what the scenario's `usable` allows (allocatable after DaemonSets, max pods,
//! utilisation and overcommit caps), so a Karpenter plan is checked by the same verifier as
//! ours. Where Karpenter has no notion of a kplan policy it is stated, not hidden:
//! - **Spot share.** Karpenter launches spot whenever a pod tolerates it. With a spot share below
//!   100% the model applies the documented workaround (karpenter.sh "Scheduling", "On-Demand/Spot
//!   Ratio Split"): spot-tolerant workloads spread with max skew 1 over a `capacity-spread` label
//!   whose values are split between a spot and an on-demand NodePool ([`CapacitySplit`]). That
//!   splits *pods*, not vCPU, so the spot share of the cluster drifts; the verifier names it.
//! - **On-demand floor.** Karpenter does not know `min_available` must stay off spot; the
//!   verifier names the shortfall.
//! - **Headroom and node-pool minimums.** Karpenter keeps no spare capacity; operators run
//!   low-priority placeholder pods for it. The model adds the spare nodes kplan's headroom test
//!   needs (the same constructive step FFD uses), and the empty nodes a pool's `min_nodes` asks
//!   for, and says how many.
//! - **Allocatable.** By default the scenario's overhead profile, so the comparison is like for
//!   like; [`Allocatable::KarpenterAws`] packs against Karpenter's AWS provider estimate instead
//!   (VM memory overhead 7.5%, kube-reserved by its formula, 100Mi and 10% eviction), never above
//!   the scenario's own allocatable (what the kubelet would report).
//!
//! [`pack`] returns the node states the exact engine can start from (as `ffd::pack` does); the
//! plan they make may break the spot share or the on-demand floor, so check it with the verifier
//! before using it as an incumbent.

mod consolidation;
mod scheduler;

use std::collections::BTreeMap;
use std::str::FromStr;

use super::{Infeasible, SolveError, ffd};
use crate::catalog::PurchaseOption;
use crate::fit::{Fleet, NodeState};
use crate::overhead::OverheadProfile;
use crate::plan::KarpenterBaseline;
use crate::policy::PPM;
use crate::resources::ResourceName;
use scheduler::{Claim, Model, Node, Scheduler, Tally};

pub use crate::plan::Allocatable;

impl FromStr for Allocatable {
    type Err = crate::diag::UnknownName;
    fn from_str(s: &str) -> Result<Allocatable, Self::Err> {
        match s {
            "scenario" => Ok(Allocatable::Scenario),
            "karpenter-aws" => Ok(Allocatable::KarpenterAws),
            _ => Err(crate::diag::UnknownName::new(
                "allocatable model",
                s,
                "scenario or karpenter-aws",
            )),
        }
    }
}

/// How the Karpenter model runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KarpenterOptions {
    /// The allocatable it packs against.
    pub allocatable: Allocatable,
    /// Run single- and multi-node consolidation after provisioning.
    pub consolidate: bool,
}

/// The defaults: the scenario's allocatable, provisioning only.
pub fn default_options() -> KarpenterOptions {
    KarpenterOptions { allocatable: Allocatable::Scenario, consolidate: false }
}

/// The documented on-demand/spot ratio split: `domains` values of a `capacity-spread` label,
/// the last `spot_domains` of them on a spot NodePool, the others on an on-demand one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacitySplit {
    /// Values of the label (at most 10).
    pub domains: u32,
    /// Values on the spot NodePool.
    pub spot_domains: u32,
}

impl CapacitySplit {
    /// The split closest to a spot share (ppm) from below, with at most 10 values (ties: fewer
    /// values); `None` when the share allows everything on spot.
    pub fn for_share(share_ppm: u64) -> Option<CapacitySplit> {
        if share_ppm >= PPM {
            return None;
        }
        let mut best = CapacitySplit { domains: 1, spot_domains: 0 };
        for n in 1..=10u32 {
            let k = (share_ppm * u64::from(n) / PPM) as u32;
            // k/n > best.k/best.n, compared without division.
            if u64::from(k) * u64::from(best.domains) > u64::from(best.spot_domains) * u64::from(n)
            {
                best = CapacitySplit { domains: n, spot_domains: k };
            }
        }
        Some(best)
    }

    pub(crate) fn all_mask(self) -> u32 {
        (1u32 << self.domains) - 1
    }

    pub(crate) fn on_demand_mask(self) -> u32 {
        (1u32 << (self.domains - self.spot_domains)) - 1
    }

    pub(crate) fn spot_mask(self) -> u32 {
        self.all_mask() & !self.on_demand_mask()
    }
}

/// The Karpenter model's nodes and what it noticed doing them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) nodes: Vec<NodeState>,
    pub(crate) notes: Vec<String>,
}

/// The nodes Karpenter would launch for the scenario, as node states of `fleet` (the same type
/// `ffd::pack` returns, for the exact engine to start from).
pub fn pack(fleet: &Fleet<'_>, opts: &KarpenterOptions) -> Result<Vec<NodeState>, SolveError> {
    simulate(fleet, opts).map(|o| o.nodes)
}

/// Runs the model: provisioning, consolidation when asked, then headroom spares and pool minimums.
pub(crate) fn simulate(fleet: &Fleet<'_>, opts: &KarpenterOptions) -> Result<Outcome, SolveError> {
    let scenario = fleet.scenario;
    let (usable, lim_caps) = match opts.allocatable {
        Allocatable::Scenario => (fleet.usable.clone(), fleet.lim_caps.clone()),
        Allocatable::KarpenterAws => aws_capacity(fleet),
    };
    let split = if scenario.spot_allowed() && fleet.options.iter().any(|o| o.purchase.is_spot()) {
        CapacitySplit::for_share(scenario.policy.spot_max_share)
    } else {
        None
    };
    let model = Model::new(fleet, usable, lim_caps, split);
    let pods: Vec<(usize, u32)> = scenario
        .workloads
        .iter()
        .enumerate()
        .filter(|(_, w)| w.replicas > 0)
        .map(|(i, w)| (i, w.replicas))
        .collect();
    let mut sched = Scheduler::new(&model, Vec::new(), Tally::of(&model, []));
    let pending = sched.schedule(&pods);
    if let Some(&(w, n)) = pending.first() {
        return Err(pending_error(fleet, opts, w, n));
    }
    let mut nodes: Vec<Node> = Vec::with_capacity(sched.claims.len());
    // Nodes launched so far per count limit.
    let mut used = vec![0u64; fleet.limits.len()];
    for claim in &sched.claims {
        // An offering whose reservation or inventory is used up fails to launch (an
        // insufficient-capacity error), and Karpenter falls back to the claim's other offerings;
        // when every offering is used up the node is launched anyway and the verifier names it.
        let available: Vec<usize> = if fleet.limits.is_empty() {
            Vec::new()
        } else {
            claim
                .candidates
                .iter()
                .copied()
                .filter(|&o| {
                    fleet.limits_of[o]
                        .iter()
                        .all(|&l| used[l] < u64::from(fleet.limits[l].max_count))
                })
                .collect()
        };
        let narrowed;
        let claim = if available.is_empty() || available.len() == claim.candidates.len() {
            claim
        } else {
            narrowed = Claim { candidates: available, ..claim.clone() };
            &narrowed
        };
        let node = Node::launch(&model, claim).ok_or_else(|| {
            SolveError::Infeasible(Infeasible {
                workload: None,
                reason: "a Karpenter NodeClaim has no offering to launch".to_string(),
            })
        })?;
        for &l in &fleet.limits_of[node.opt] {
            used[l] += 1;
        }
        nodes.push(node);
    }
    let mut notes = Vec::new();
    if let Some(s) = split {
        notes.push(format!(
            "spot share {:.0}% modelled as Karpenter's documented ratio split: spot-tolerant pods spread (max skew 1) over {} capacity-spread values, {} of them spot",
            100.0 * crate::policy::ppm_to_ratio(scenario.policy.spot_max_share),
            s.domains,
            s.spot_domains
        ));
    }
    if opts.consolidate {
        let moves = consolidation::run(&model, &mut nodes);
        notes.push(format!(
            "consolidation deleted {} nodes and replaced {} by cheaper ones{}",
            moves.deleted,
            moves.replaced,
            if moves.out_of_budget {
                format!(
                    ", then stopped at its work budget ({} fit checks, standing in for Karpenter's consolidation timeouts)",
                    consolidation::WORK_BUDGET
                )
            } else {
                String::new()
            }
        ));
    }
    let mut states: Vec<NodeState> = nodes.iter().map(|n| n.to_state(fleet)).collect();
    let launched = states.len();
    ffd::ensure_headroom(fleet, &mut states)?;
    if states.len() > launched {
        notes.push(format!(
            "{} spare nodes added for headroom {} (Karpenter keeps none; placeholder pods would hold them)",
            states.len() - launched,
            scenario.policy.headroom
        ));
    }
    let with_spares = states.len();
    ffd::ensure_pool_minimums(fleet, &mut states)?;
    if states.len() > with_spares {
        notes.push(format!(
            "{} empty nodes added for node-pool minimums",
            states.len() - with_spares
        ));
    }
    Ok(Outcome { nodes: states, notes })
}

/// Runs the model and describes its plan as a baseline: cost, node types, and the kplan
/// policies it breaks, as the verifier words them.
pub(crate) fn baseline(
    fleet: &Fleet<'_>,
    opts: &KarpenterOptions,
) -> Result<(Vec<NodeState>, KarpenterBaseline), SolveError> {
    let out = simulate(fleet, opts)?;
    // The facts only label the plan the verifier checks; the caller states its own.
    let facts = super::greedy_facts(super::Method::Karpenter, 0.0, crate::money::Price::ZERO, None);
    let plan = super::to_plan(fleet, &out.nodes, facts);
    let violations =
        crate::plan::verify::verify(fleet.scenario, &plan).into_iter().map(|v| v.message).collect();
    let mut notes = out.notes;
    if notes.iter().any(|n| n.contains("ratio split")) {
        let total: u64 = plan.nodes.iter().map(|n| node_cpu(fleet, n)).sum();
        let spot: u64 =
            plan.nodes.iter().filter(|n| n.purchase.is_spot()).map(|n| node_cpu(fleet, n)).sum();
        notes.push(format!(
            "under the split, spot holds {:.0}% of vCPU; the policy allows {:.0}%",
            100.0 * spot as f64 / total.max(1) as f64,
            100.0 * crate::policy::ppm_to_ratio(fleet.scenario.policy.spot_max_share)
        ));
    }
    let mut types: BTreeMap<(String, PurchaseOption), u64> = BTreeMap::new();
    for n in &plan.nodes {
        *types.entry((n.instance_type.clone(), n.purchase)).or_insert(0) += 1;
    }
    let base = KarpenterBaseline {
        hourly: plan.hourly(),
        n_nodes: plan.nodes.len(),
        types: types.into_iter().map(|((t, p), c)| (t, p, c)).collect(),
        allocatable: opts.allocatable,
        consolidated: opts.consolidate,
        notes,
        violations,
    };
    Ok((out.nodes, base))
}

/// The vCPU of a plan node (its option's capacity).
fn node_cpu(fleet: &Fleet<'_>, node: &crate::plan::PlanNode) -> u64 {
    fleet
        .options
        .iter()
        .find(|o| {
            o.instance_type == node.instance_type
                && o.purchase == node.purchase
                && o.zone == node.zone
        })
        .map_or(0, |o| o.capacity.cpu.0)
}

/// Pods Karpenter's scheduler leaves pending, as an error naming the workload and why.
fn pending_error(fleet: &Fleet<'_>, opts: &KarpenterOptions, w: usize, n: u32) -> SolveError {
    let workload = &fleet.scenario.workloads[w];
    let why = if !fleet.admits[w].iter().any(|a| *a) {
        match super::infeasible(fleet, w) {
            SolveError::Infeasible(inf) => inf.reason,
            other => other.to_string(),
        }
    } else if opts.allocatable == Allocatable::KarpenterAws {
        "no NodePool offers an instance type that holds it under Karpenter's AWS allocatable estimate, within its limits and topology".to_string()
    } else {
        "no NodePool can launch a NodeClaim for it (node pool max_nodes reached, or its topology spread has no domain within max skew)".to_string()
    };
    SolveError::Infeasible(Infeasible {
        workload: Some(workload.key()),
        reason: format!(
            "Karpenter's scheduler would leave {n} pods of {} pending: {why}",
            workload.key()
        ),
    })
}

/// Per option, the usable capacity and limit caps under Karpenter's AWS allocatable estimate,
/// never above the scenario's.
fn aws_capacity(fleet: &Fleet<'_>) -> (Vec<Vec<u64>>, Vec<Vec<u64>>) {
    let mut alt = fleet.scenario.clone();
    alt.overhead = OverheadProfile::KarpenterAws;
    let alt_options = alt.node_options().output;
    let alt_fleet = Fleet::new(&alt, &alt_options);
    let by_key: BTreeMap<crate::scenario::OptionKey, usize> =
        alt_options.iter().enumerate().map(|(i, o)| (o.key(), i)).collect();
    let dim_of = |name: &ResourceName| alt_fleet.dims.names.iter().position(|n| n == name);
    let dims: Vec<Option<usize>> = fleet.dims.names.iter().map(dim_of).collect();
    let mut usable = fleet.usable.clone();
    let mut lim_caps = fleet.lim_caps.clone();
    for (o, opt) in fleet.options.iter().enumerate() {
        let Some(&a) = by_key.get(&opt.key()) else { continue };
        for (d, alt_d) in dims.iter().enumerate() {
            if let Some(k) = alt_d {
                usable[o][d] = usable[o][d].min(alt_fleet.usable[a][*k]);
            }
        }
        for (d, cap) in lim_caps[o].iter_mut().enumerate() {
            if let Some(alt_cap) = alt_fleet.lim_caps[a].get(d) {
                *cap = (*cap).min(*alt_cap);
            }
        }
    }
    (usable, lim_caps)
}

#[cfg(test)]
mod tests;
