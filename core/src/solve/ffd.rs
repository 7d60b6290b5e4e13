//! First-fit decreasing: the greedy packer autoscalers use, kept as the baseline the exact engine must beat.
//!
//! Pods are sorted by CPU then memory, descending. Each goes on the first open node with room;
//! otherwise a node is opened with the option of the lowest price per unit of the pod's dominant
//! resource. At the end every node shrinks to the cheapest option that still holds its pods.
//! Zone spread is met by assigning replicas to zones round-robin, the on-demand floor by keeping
//! the first `min_available` replicas of spot workloads off spot, the spot share by opening spot
//! nodes only while the share allows, and headroom by adding nodes until the headroom test passes.

use super::{SolveError, spot_share_ok};
use crate::catalog::PurchaseOption;
use crate::fit::headroom::{self, Lost};
use crate::fit::{Fleet, NodeState};
use crate::policy::Headroom;

/// A run of identical pods to place: workload, target zone (index into the scenario's zones), may go on spot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) workload: usize,
    pub(crate) zone: Option<usize>,
    pub(crate) spot_ok: bool,
    pub(crate) count: u32,
}

/// The zones (indices) a workload may use: allowed by its placement and offered by some admitting option.
pub(crate) fn usable_zones(fleet: &Fleet<'_>, w: usize) -> Vec<usize> {
    let scenario = fleet.scenario;
    (0..scenario.zones.len())
        .filter(|&z| {
            fleet
                .options
                .iter()
                .enumerate()
                .any(|(o, opt)| fleet.admits[w][o] && opt.zone == scenario.zones[z])
        })
        .collect()
}

/// Splits every workload into batches: zone targets round-robin for spread workloads, and the floor.
pub(crate) fn batches(fleet: &Fleet<'_>) -> Vec<Batch> {
    let scenario = fleet.scenario;
    let spot_allowed = scenario.spot_allowed();
    let mut res = Vec::new();
    for w in fleet.decreasing_order() {
        let workload = &scenario.workloads[w];
        if workload.replicas == 0 {
            continue;
        }
        let spot = workload.spot && spot_allowed;
        let floor = if spot && scenario.policy.on_demand_floor {
            workload.min_available.unwrap_or(0)
        } else {
            0
        };
        let floor = floor.min(workload.replicas);
        let zones: Vec<Option<usize>> = match workload.zone_spread {
            Some(_) if scenario.zones.len() > 1 => {
                usable_zones(fleet, w).into_iter().map(Some).collect()
            }
            _ => vec![None],
        };
        let zones = if zones.is_empty() { vec![None] } else { zones };
        // Replica r goes to zone r mod n; replicas below the floor are non-spot.
        let n = zones.len() as u32;
        for (zi, zone) in zones.iter().enumerate() {
            let zi = zi as u32;
            let in_zone = |upto: u32| if upto > zi { (upto - zi).div_ceil(n) } else { 0 };
            let floor_here = in_zone(floor);
            let total_here = in_zone(workload.replicas);
            if floor_here > 0 {
                res.push(Batch { workload: w, zone: *zone, spot_ok: false, count: floor_here });
            }
            if total_here > floor_here {
                res.push(Batch {
                    workload: w,
                    zone: *zone,
                    spot_ok: spot,
                    count: total_here - floor_here,
                });
            }
        }
    }
    res
}

/// Packs the scenario first-fit decreasing and returns the nodes.
pub(crate) fn pack(fleet: &Fleet<'_>) -> Result<Vec<NodeState>, SolveError> {
    let mut nodes: Vec<NodeState> = Vec::new();
    for batch in batches(fleet) {
        place_batch(fleet, &mut nodes, batch)?;
    }
    shrink(fleet, &mut nodes);
    repair_spot_share(fleet, &mut nodes)?;
    ensure_headroom(fleet, &mut nodes)?;
    ensure_pool_minimums(fleet, &mut nodes)?;
    if let Some(l) = (0..fleet.limits.len())
        .find(|&l| fleet.n_limited(&nodes, l) > u64::from(fleet.limits[l].max_count))
    {
        return Err(SolveError::Infeasible(super::Infeasible {
            workload: None,
            reason: format!(
                "the plan needs {} nodes where the inventory allows {}",
                fleet.n_limited(&nodes, l),
                fleet.limits[l].describe()
            ),
        }));
    }
    Ok(nodes)
}

fn zone_ok(fleet: &Fleet<'_>, opt: usize, zone: Option<usize>) -> bool {
    zone.is_none_or(|z| fleet.options[opt].zone == fleet.scenario.zones[z])
}

/// Places a batch: first fit over open nodes, then new nodes.
pub(crate) fn place_batch(
    fleet: &Fleet<'_>,
    nodes: &mut Vec<NodeState>,
    batch: Batch,
) -> Result<(), SolveError> {
    let open = nodes.iter_mut().filter(|node| {
        let opt = &fleet.options[node.opt];
        (!opt.purchase.is_spot() || batch.spot_ok) && zone_ok(fleet, node.opt, batch.zone)
    });
    let mut left = fleet.first_fit(open, batch.workload, batch.count);
    while left > 0 {
        // Reserved nodes with room are used first, in whichever zone they are; otherwise the
        // least loaded zone gets the new node.
        let reserved = (batch.zone.is_none() && fleet.has_reservations)
            .then(|| choose_new_option(fleet, nodes, batch.workload, None, batch.spot_ok))
            .flatten()
            .filter(|&o| fleet.options[o].purchase == PurchaseOption::Reservation);
        let opt = match reserved {
            Some(o) => o,
            None => {
                let zone = batch.zone.or_else(|| least_loaded_zone(fleet, nodes, batch.workload));
                choose_new_option(fleet, nodes, batch.workload, zone, batch.spot_ok)
                    .ok_or_else(|| super::infeasible(fleet, batch.workload))?
            }
        };
        let mut node = fleet.empty_node(opt);
        let room = fleet.room_for(&node, batch.workload).min(u64::from(left)) as u32;
        if room == 0 {
            return Err(super::infeasible(fleet, batch.workload));
        }
        fleet.place(&mut node, batch.workload, room);
        left -= room;
        nodes.push(node);
    }
    Ok(())
}

/// The zone (among those the workload can use) with the least node capacity so far.
fn least_loaded_zone(fleet: &Fleet<'_>, nodes: &[NodeState], w: usize) -> Option<usize> {
    let zones = usable_zones(fleet, w);
    if fleet.scenario.zones.len() <= 1 {
        return zones.first().copied();
    }
    zones.into_iter().min_by_key(|&z| {
        nodes
            .iter()
            .filter(|n| fleet.options[n.opt].zone == fleet.scenario.zones[z])
            .map(|n| fleet.options[n.opt].capacity.cpu.0)
            .sum::<u64>()
    })
}

/// The pod's dominant dimension: the largest share of the biggest admitting option's capacity.
fn dominant_dim(fleet: &Fleet<'_>, w: usize) -> usize {
    let req = &fleet.req[w];
    let mut best = (0usize, -1.0f64);
    for (d, &need) in req.iter().enumerate() {
        if d == 2 || need == 0 {
            continue; // pods: every pod needs one slot, never the dominant resource
        }
        let biggest = (0..fleet.options.len())
            .filter(|&o| fleet.admits[w][o])
            .map(|o| fleet.usable[o][d])
            .max()
            .unwrap_or(0);
        if biggest == 0 {
            continue;
        }
        let share = need as f64 / biggest as f64;
        if share > best.1 {
            best = (d, share);
        }
    }
    best.0
}

/// The option a new node for workload `w` should use, or `None` when no option can take a pod.
fn choose_new_option(
    fleet: &Fleet<'_>,
    nodes: &[NodeState],
    w: usize,
    zone: Option<usize>,
    spot_ok: bool,
) -> Option<usize> {
    let dom = dominant_dim(fleet, w);
    let mut best: Option<(f64, usize)> = None;
    for o in 0..fleet.options.len() {
        let opt = &fleet.options[o];
        if !fleet.admits[w][o] || !zone_ok(fleet, o, zone) {
            continue;
        }
        if opt.purchase.is_spot() && (!spot_ok || !spot_share_ok(fleet, nodes, Some(o), None)) {
            continue;
        }
        if !pool_has_room(fleet, nodes, o) {
            continue;
        }
        if fleet.room_for(&fleet.empty_node(o), w) == 0 {
            continue;
        }
        let unit = fleet.usable[o][dom].max(1) as f64;
        let score = opt.price.0 / unit;
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, o));
        }
    }
    best.map(|(_, o)| o)
}

/// The node pool a node of option `o` belongs to (the first that admits it), if pools are defined.
pub(crate) fn pool_of(fleet: &Fleet<'_>, o: usize) -> Option<usize> {
    fleet.scenario.node_pools.iter().position(|p| p.admits(&fleet.options[o]))
}

/// True when a node of option `o` may be added without breaking a pool's `max_nodes` (or pool
/// membership) or a count limit (inventory).
pub(crate) fn pool_has_room(fleet: &Fleet<'_>, nodes: &[NodeState], o: usize) -> bool {
    if !fleet.limits_allow(nodes, None, o) {
        return false;
    }
    if fleet.scenario.node_pools.is_empty() {
        return true;
    }
    let Some(p) = pool_of(fleet, o) else { return false };
    match fleet.scenario.node_pools[p].max_nodes {
        None => true,
        Some(max) => {
            (nodes.iter().filter(|n| pool_of(fleet, n.opt) == Some(p)).count() as u64)
                < u64::from(max)
        }
    }
}

/// Moves every node to the cheapest option in its zone and pool that still holds its pods and
/// whose count limits have room (the lowest index among equal prices).
pub(crate) fn shrink(fleet: &Fleet<'_>, nodes: &mut [NodeState]) {
    // Options by price, then index: the first cheaper one that holds a node's pods is its choice.
    let pooled = !fleet.scenario.node_pools.is_empty();
    for i in 0..nodes.len() {
        let current = nodes[i].opt;
        let cur = &fleet.options[current];
        let used: Vec<u64> = fleet.usable[current]
            .iter()
            .zip(&nodes[i].free)
            .map(|(u, f)| u.saturating_sub(*f))
            .collect();
        let lim_used: Vec<u64> = fleet.lim_caps[current]
            .iter()
            .zip(&nodes[i].lim_free)
            .map(|(u, f)| u.saturating_sub(*f))
            .collect();
        let mut best = current;
        for &o in &fleet.by_price {
            let opt = &fleet.options[o];
            if opt.price.0 >= cur.price.0 {
                break;
            }
            if opt.zone != cur.zone
                || opt.purchase.is_spot() != cur.purchase.is_spot()
                || (pooled && pool_of(fleet, o) != pool_of(fleet, current))
                || !fleet.limits_allow(nodes, Some(current), o)
            {
                continue;
            }
            // What the node holds must fit in every dimension (a necessary condition, cheap).
            if used.iter().zip(&fleet.usable[o]).any(|(u, c)| u > c)
                || lim_used.iter().zip(&fleet.lim_caps[o]).any(|(u, c)| u > c)
            {
                continue;
            }
            if fleet.content_fits(&nodes[i], o) {
                best = o;
                break;
            }
        }
        if best != current {
            let mut node = fleet.empty_node(best);
            for (&w, &c) in &nodes[i].counts {
                fleet.place(&mut node, w, c);
            }
            nodes[i] = node;
        }
    }
}

/// Converts spot nodes to non-spot until the spot share holds (shrinking can lower on-demand capacity).
pub(crate) fn repair_spot_share(
    fleet: &Fleet<'_>,
    nodes: &mut [NodeState],
) -> Result<(), SolveError> {
    while !spot_share_ok(fleet, nodes, None, None) {
        // The smallest spot node converts with the least extra cost.
        let Some(i) = (0..nodes.len())
            .filter(|&i| fleet.options[nodes[i].opt].purchase.is_spot())
            .min_by_key(|&i| (fleet.options[nodes[i].opt].capacity.cpu.0, i))
        else {
            break;
        };
        let zone = fleet.options[nodes[i].opt].zone.clone();
        let pool = pool_of(fleet, nodes[i].opt);
        let target = (0..fleet.options.len())
            .filter(|&o| {
                let opt = &fleet.options[o];
                !opt.purchase.is_spot()
                    && opt.zone == zone
                    // The node stays in its pool, or moves to a pool with room (never to none).
                    && (pool_of(fleet, o) == pool || pool_has_room(fleet, nodes, o))
                    && fleet.limits_allow(nodes, Some(nodes[i].opt), o)
                    && fleet.content_fits(&nodes[i], o)
            })
            .min_by(|&a, &b| fleet.options[a].price.total_cmp(&fleet.options[b].price).then(a.cmp(&b)))
            .ok_or_else(|| SolveError::Infeasible(super::Infeasible {
                workload: None,
                reason: "the spot share cannot be met: a spot node's pods fit no non-spot option in its zone".to_string(),
            }))?;
        let mut node = fleet.empty_node(target);
        for (&w, &c) in &nodes[i].counts {
            fleet.place(&mut node, w, c);
        }
        nodes[i] = node;
    }
    Ok(())
}

/// Adds capacity until the headroom test passes.
pub(crate) fn ensure_headroom(
    fleet: &Fleet<'_>,
    nodes: &mut Vec<NodeState>,
) -> Result<(), SolveError> {
    let headroom = fleet.scenario.policy.headroom;
    let limit = 4 * (nodes.len() + fleet.scenario.zones.len()) + 16;
    for _ in 0..limit {
        let failures = headroom::check(fleet, nodes, headroom);
        let Some(failure) = failures.first() else { return Ok(()) };
        match &failure.lost {
            Lost::Node(i) => {
                // A spare that can hold the lost node's whole content always repairs this loss.
                let lost = nodes[*i].clone();
                let zone = fleet.options[lost.opt].zone.clone();
                let spare = (0..fleet.options.len())
                    .filter(|&o| {
                        !fleet.options[o].purchase.is_spot() && pool_has_room(fleet, nodes, o)
                    })
                    .filter(|&o| fleet.content_fits(&lost, o))
                    .min_by(|&a, &b| {
                        let (oa, ob) = (&fleet.options[a], &fleet.options[b]);
                        oa.price
                            .total_cmp(&ob.price)
                            .then((oa.zone != zone).cmp(&(ob.zone != zone)))
                            .then(a.cmp(&b))
                    })
                    .ok_or_else(|| headroom_infeasible(fleet, headroom, &failure.unplaced))?;
                nodes.push(fleet.empty_node(spare));
            }
            Lost::Zone(z) => {
                // Pack the stranded pods onto new nodes in the other zones, round-robin.
                let others: Vec<usize> = (0..fleet.scenario.zones.len())
                    .filter(|&k| fleet.scenario.zones[k] != *z)
                    .collect();
                // The spares are built after the plan's nodes (`nodes[base..]`), so that count
                // limits count the spares chosen so far too.
                let base = nodes.len();
                for (k, &(w, c)) in failure.unplaced.iter().enumerate() {
                    let zone = others.get(k % others.len().max(1)).copied();
                    let spot_ok = false;
                    let mut left = fleet.first_fit(&mut nodes[base..], w, c);
                    while left > 0 {
                        let opt = choose_new_option(fleet, nodes, w, zone, spot_ok)
                            .or_else(|| {
                                choose_new_option(fleet, nodes, w, None, spot_ok)
                                    .filter(|&o| fleet.options[o].zone != *z)
                            })
                            .ok_or_else(|| {
                                headroom_infeasible(fleet, headroom, &failure.unplaced)
                            })?;
                        let mut node = fleet.empty_node(opt);
                        let room = fleet.room_for(&node, w).min(u64::from(left)) as u32;
                        fleet.place(&mut node, w, room);
                        left -= room;
                        nodes.push(node);
                    }
                }
                // The spares stand empty until a zone fails; size them for what they would hold.
                shrink(fleet, &mut nodes[base..]);
                for node in &mut nodes[base..] {
                    *node = fleet.empty_node(node.opt);
                }
            }
        }
    }
    Err(headroom_infeasible(fleet, headroom, &[]))
}

fn headroom_infeasible(
    fleet: &Fleet<'_>,
    headroom: Headroom,
    unplaced: &[(usize, u32)],
) -> SolveError {
    let what: Vec<String> = unplaced
        .iter()
        .map(|(w, c)| format!("{c} × {}", fleet.scenario.workloads[*w].key()))
        .collect();
    SolveError::Infeasible(super::Infeasible {
        workload: unplaced.first().map(|(w, _)| fleet.scenario.workloads[*w].key()),
        reason: format!(
            "headroom {headroom} cannot be met{}: the pods of a lost {} fit no other node option (check zone and node selectors, spot rules and node pool limits)",
            if what.is_empty() { String::new() } else { format!(" for {}", what.join(", ")) },
            if headroom == Headroom::Zone { "zone" } else { "node" }
        ),
    })
}

/// Adds empty nodes until every node pool has its `min_nodes`.
pub(crate) fn ensure_pool_minimums(
    fleet: &Fleet<'_>,
    nodes: &mut Vec<NodeState>,
) -> Result<(), SolveError> {
    for (p, pool) in fleet.scenario.node_pools.iter().enumerate() {
        let have = nodes.iter().filter(|n| pool_of(fleet, n.opt) == Some(p)).count() as u64;
        if have >= u64::from(pool.min_nodes) {
            continue;
        }
        if !(0..fleet.options.len()).any(|o| pool_of(fleet, o) == Some(p)) {
            return Err(SolveError::Infeasible(super::Infeasible {
                workload: None,
                reason: format!(
                    "node pool {} admits no node option, but min_nodes is {}",
                    pool.name, pool.min_nodes
                ),
            }));
        }
        for _ in have..u64::from(pool.min_nodes) {
            // The cheapest option of the pool that keeps the spot share (a spare spot node can break it).
            let cheapest = (0..fleet.options.len())
                .filter(|&o| pool_of(fleet, o) == Some(p) && fleet.limits_allow(nodes, None, o))
                .filter(|&o| {
                    !fleet.options[o].purchase.is_spot()
                        || spot_share_ok(fleet, nodes, Some(o), None)
                })
                .min_by(|&a, &b| {
                    fleet.options[a].price.total_cmp(&fleet.options[b].price).then(a.cmp(&b))
                })
                .ok_or_else(|| {
                    SolveError::Infeasible(super::Infeasible {
                        workload: None,
                        reason: format!(
                            "node pool {} needs {} nodes, but every option it admits is spot and the spot share is used up",
                            pool.name, pool.min_nodes
                        ),
                    })
                })?;
            nodes.push(fleet.empty_node(cheapest));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
    use crate::solve::{default_config, solve};

    const TYPES: &str = "provider: custom\nregion: dc\ncatalog:\n  custom:\n    - {name: small, cpu: 2, memory: 8Gi, price: {on_demand: 0.10, spot: 0.03}}\n    - {name: medium, cpu: 4, memory: 16Gi, price: {on_demand: 0.19, spot: 0.06}}\n    - {name: large, cpu: 16, memory: 64Gi, price: {on_demand: 0.72, spot: 0.25}}\noverhead: none\n";

    fn plan(body: &str) -> (crate::scenario::Scenario, crate::plan::Plan) {
        let text = format!("name: t\n{TYPES}{body}");
        let s = read_scenario(&text, "t.yaml").output.unwrap_or_else(|e| panic!("{e:?}"));
        let p = solve(&s, &default_config()).unwrap_or_else(|e| panic!("{e}"));
        let v = verify(&s, &p);
        assert!(v.is_empty(), "violations: {v:?}");
        (s, p)
    }

    fn types(p: &crate::plan::Plan) -> Vec<String> {
        p.nodes.iter().map(|n| format!("{}/{}", n.instance_type, n.purchase)).collect()
    }

    #[test]
    fn small_workload_lands_on_cheapest_fitting_type() {
        let (_, p) = plan(
            "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 1, requests: {cpu: 500m, memory: 1Gi}}\n",
        );
        assert_eq!(types(&p), ["small/on-demand"]);
    }

    #[test]
    fn large_demand_opens_large_nodes_then_shrinks_the_last() {
        // 17 cores: one large (16) and the 1 core left shrinks to a small.
        let (_, p) = plan(
            "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 17, requests: {cpu: 1, memory: 1Gi}}\n",
        );
        assert_eq!(types(&p), ["large/on-demand", "small/on-demand"]);
    }

    #[test]
    fn max_per_node_spreads_replicas() {
        let (_, p) = plan(
            "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 3, max_per_node: 1, requests: {cpu: 100m, memory: 128Mi}}\n",
        );
        assert_eq!(p.nodes.len(), 3);
        assert!(p.nodes.iter().all(|n| n.pods[0].count == 1));
    }

    #[test]
    fn node_headroom_adds_a_spare_that_holds_any_lost_node() {
        let (_, p) =
            plan("workloads:\n  - {name: a, replicas: 2, requests: {cpu: 1500m, memory: 1Gi}}\n");
        // Both pods share one medium node; losing it needs a second, empty medium.
        assert_eq!(types(&p), ["medium/on-demand", "medium/on-demand"]);
        assert_eq!(p.nodes.iter().map(|n| n.n_pods()).collect::<Vec<_>>(), [2, 0]);
    }

    #[test]
    fn zone_spread_and_zone_headroom() {
        let (s, p) = plan(
            "zones: [a, b, c]\npolicy: {headroom: zone}\nworkloads:\n  - {name: a, replicas: 6, zone_spread: {max_skew: 1}, requests: {cpu: 1, memory: 1Gi}}\n",
        );
        let per_zone: Vec<usize> = s
            .zones
            .iter()
            .map(|z| p.nodes.iter().filter(|n| &n.zone == z).map(|n| n.n_pods() as usize).sum())
            .collect();
        assert_eq!(per_zone, [2, 2, 2]);
    }

    #[test]
    fn spot_share_and_floor_hold() {
        let (_, p) = plan(
            "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 0.5}}\nworkloads:\n  - {name: web, replicas: 20, spot: true, min_available: 5, requests: {cpu: 1, memory: 1Gi}}\n",
        );
        assert!(p.nodes.iter().any(|n| n.purchase.is_spot()), "{:?}", types(&p));
    }
}
