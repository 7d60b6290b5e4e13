//! Karpenter's consolidation, run to its fixed point on the provisioned nodes.
//!
//! Modelled on kubernetes-sigs/karpenter `pkg/controllers/disruption/` (v1.14):
//! - `controller.go`: the methods run in order — emptiness, (drift: nothing drifts here),
//!   multi-node consolidation, single-node consolidation — and one command runs per pass; we
//!   repeat passes until none finds a command (disruption budgets and `consolidateAfter` only
//!   pace this, so they are left out).
//! - `emptiness.go`: nodes without pods are deleted.
//! - `consolidation.go` `sortCandidates`: candidates by savings ratio, price ÷ reschedule
//!   disruption cost (`types.go`: 1 per node plus 1 per pod, the default eviction cost), highest
//!   first; ties in creation order.
//! - `consolidation.go` `computeConsolidation`: the candidates' pods are scheduled on the other
//!   nodes (`helpers.go` `SimulateScheduling`, the provisioning scheduler with the rest of the
//!   cluster as existing nodes); all placed without a new node → delete; exactly one new
//!   NodeClaim → replace, keeping only instance types whose worst launch price
//!   (`cloudprovider/types.go` `WorstLaunchPrice`: reserved, then spot, then on-demand) is below
//!   the candidates' total; when spot and on-demand both remain the replacement is required to
//!   be spot; all candidates spot and a spot replacement possible → no command (the
//!   `SpotToSpotConsolidation` feature gate is off by default); more than one new NodeClaim → no
//!   command.
//! - `multinodeconsolidation.go` `firstNConsolidationOption`: a binary search for the longest
//!   prefix (at most 100) of the sorted candidates that can be consolidated, with
//!   `filterOutSameInstanceType` (a replacement must be cheaper than the cheapest candidate of an
//!   instance type it could launch as).
//! - `singlenodeconsolidation.go`: each candidate alone, in sorted order interleaved by NodePool;
//!   the first with a command wins.

use std::collections::{BTreeMap, BTreeSet};

use super::scheduler::{Claim, Model, Node, Scheduler, Tally};

/// The fit checks (a pod tried on a node or NodeClaim) consolidation may spend in all, standing
/// in for the timeouts that bound Karpenter's passes (`SingleNodeConsolidationTimeoutDuration`
/// 3 minutes, `MultiNodeConsolidationTimeoutDuration` 1 minute): work counted, not seconds, so
/// the same input consolidates the same way.
pub(super) const WORK_BUDGET: u64 = 20_000_000;

/// What consolidation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Moves {
    pub(super) deleted: usize,
    pub(super) replaced: usize,
    /// True when it stopped at [`WORK_BUDGET`] before its fixed point.
    pub(super) out_of_budget: bool,
}

/// One pass's view: the nodes, their topology counts, and the work spent so far.
struct Pass<'p, 'f, 'a> {
    model: &'p Model<'f, 'a>,
    nodes: &'p [Node],
    tally: Tally,
    work: u64,
}

/// One disruption command: remove these nodes, put their pods where the simulation did.
struct Command {
    remove: Vec<usize>,
    /// Surviving nodes (by index into the node list) that received pods.
    touched: BTreeMap<usize, Node>,
    replacement: Option<Node>,
}

/// Consolidates `nodes` until no command applies.
pub(super) fn run(model: &Model<'_, '_>, nodes: &mut Vec<Node>) -> Moves {
    let mut moves = Moves::default();
    let mut work = 0u64;
    let limit = 4 * nodes.len() + 16;
    for _ in 0..limit {
        let before = nodes.len();
        nodes.retain(|n| n.content.n_pods > 0);
        if nodes.len() < before {
            moves.deleted += before - nodes.len();
            continue;
        }
        let order = sorted_candidates(model, nodes);
        let mut pass = Pass { model, nodes, tally: Tally::of(model, nodes.iter()), work };
        let cmd = multi_node(&mut pass, &order).or_else(|| single_node(&mut pass, &order));
        work = pass.work;
        if work > WORK_BUDGET {
            moves.out_of_budget = true;
            break;
        }
        let Some(cmd) = cmd else { break };
        if cmd.replacement.is_some() {
            moves.replaced += cmd.remove.len();
        } else {
            moves.deleted += cmd.remove.len();
        }
        apply(nodes, cmd);
    }
    moves
}

/// Candidates by savings ratio (price ÷ (1 + pods)), highest first.
fn sorted_candidates(model: &Model<'_, '_>, nodes: &[Node]) -> Vec<usize> {
    let ratio = |i: usize| {
        model.fleet.options[nodes[i].opt].price.0 / (1.0 + f64::from(nodes[i].content.n_pods))
    };
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| ratio(b).total_cmp(&ratio(a)).then(a.cmp(&b)));
    order
}

fn multi_node(pass: &mut Pass<'_, '_, '_>, order: &[usize]) -> Option<Command> {
    if order.len() < 2 {
        return None;
    }
    let most = order.len().min(100);
    let (mut lo, mut hi) = (1usize, if order.len() <= most { order.len() - 1 } else { most });
    let mut saved = None;
    while lo <= hi {
        let mid = (lo + hi) / 2;
        if pass.work > WORK_BUDGET {
            break;
        }
        match compute(pass, &order[..=mid], true) {
            Some(cmd) => {
                saved = Some(cmd);
                lo = mid + 1;
            }
            None => hi = mid - 1,
        }
    }
    saved
}

fn single_node(pass: &mut Pass<'_, '_, '_>, order: &[usize]) -> Option<Command> {
    let nodes = pass.nodes;
    // Interleave the sorted candidates by NodePool.
    let mut by_pool: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in order {
        by_pool.entry(nodes[i].pool).or_default().push(i);
    }
    let longest = by_pool.values().map(Vec::len).max().unwrap_or(0);
    let interleaved: Vec<usize> = (0..longest)
        .flat_map(|k| by_pool.values().filter_map(move |v| v.get(k).copied()))
        .collect();
    for i in interleaved {
        if pass.work > WORK_BUDGET {
            return None;
        }
        if let Some(cmd) = compute(pass, &[i], false) {
            return Some(cmd);
        }
    }
    None
}

/// Simulates removing `candidates`; the command, if Karpenter would take it.
fn compute(pass: &mut Pass<'_, '_, '_>, candidates: &[usize], multi: bool) -> Option<Command> {
    let (model, nodes) = (pass.model, pass.nodes);
    let fleet = model.fleet;
    let removed: BTreeSet<usize> = candidates.iter().copied().collect();
    let survivors: Vec<usize> = (0..nodes.len()).filter(|i| !removed.contains(i)).collect();
    let mut pods: BTreeMap<usize, u32> = BTreeMap::new();
    for &i in candidates {
        for (&w, &c) in &nodes[i].content.counts {
            *pods.entry(w).or_insert(0) += c;
        }
    }
    let pods: Vec<(usize, u32)> = pods.into_iter().collect();
    let mut tally = pass.tally.clone();
    for &i in candidates {
        tally.count(model, &nodes[i], false);
    }
    let mut sched = Scheduler::new(model, survivors.iter().map(|&i| &nodes[i]).collect(), tally);
    // A second new NodeClaim makes the command void; stop the simulation there.
    sched.max_claims = 1;
    let pending = sched.schedule(&pods);
    pass.work += sched.work;
    if !pending.is_empty() {
        return None;
    }
    let touched: BTreeMap<usize, Node> =
        std::mem::take(&mut sched.touched).into_iter().map(|(k, n)| (survivors[k], n)).collect();
    let Some(claim) = sched.claims.first() else {
        return Some(Command { remove: candidates.to_vec(), touched, replacement: None });
    };
    let price = |i: usize| fleet.options[nodes[i].opt].price.0;
    let candidate_price: f64 = candidates.iter().map(|&i| price(i)).sum();
    let is_spot = |o: usize| fleet.options[o].purchase.is_spot();
    if candidates.iter().all(|&i| is_spot(nodes[i].opt))
        && claim.candidates.iter().any(|&o| is_spot(o))
    {
        return None;
    }
    let mut offerings = below_worst_price(model, &claim.candidates, candidate_price);
    if multi {
        // filterOutSameInstanceType: never replace by a type that is being removed unless cheaper.
        let mut cheapest: BTreeMap<&str, f64> = BTreeMap::new();
        for &i in candidates {
            let name = fleet.options[nodes[i].opt].instance_type.as_str();
            let p = cheapest.entry(name).or_insert(f64::MAX);
            *p = p.min(price(i));
        }
        let max_price = offerings
            .iter()
            .filter_map(|&o| cheapest.get(fleet.options[o].instance_type.as_str()).copied())
            .fold(f64::MAX, f64::min);
        offerings = below_worst_price(model, &offerings, max_price);
    }
    if offerings.is_empty() {
        return None;
    }
    if offerings.iter().any(|&o| is_spot(o)) {
        offerings.retain(|&o| is_spot(o));
    }
    let replacement = Node::launch(model, &Claim { candidates: offerings, ..claim.clone() })?;
    Some(Command { remove: candidates.to_vec(), touched, replacement: Some(replacement) })
}

/// The offerings of instance types whose worst launch price is below `max_price`.
fn below_worst_price(model: &Model<'_, '_>, offerings: &[usize], max_price: f64) -> Vec<usize> {
    let options = model.fleet.options;
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &o in offerings {
        by_type.entry(options[o].instance_type.as_str()).or_default().push(o);
    }
    let mut keep = Vec::new();
    for group in by_type.values() {
        let reserved: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&o| {
                !options[o].purchase.is_spot()
                    && options[o].purchase != crate::catalog::PurchaseOption::OnDemand
            })
            .collect();
        let spot: Vec<usize> =
            group.iter().copied().filter(|&o| options[o].purchase.is_spot()).collect();
        let launch = if !reserved.is_empty() {
            reserved
        } else if !spot.is_empty() {
            spot
        } else {
            group.clone()
        };
        let worst = launch.iter().map(|&o| options[o].price.0).fold(f64::MIN, f64::max);
        if worst < max_price {
            keep.extend(group.iter().copied());
        }
    }
    keep.sort_unstable();
    keep
}

fn apply(nodes: &mut Vec<Node>, cmd: Command) {
    for (i, node) in cmd.touched {
        nodes[i] = node;
    }
    let removed: BTreeSet<usize> = cmd.remove.into_iter().collect();
    let mut i = 0;
    nodes.retain(|_| {
        let keep = !removed.contains(&i);
        i += 1;
        keep
    });
    nodes.extend(cmd.replacement);
}
