//! Items, the master's kinds of pod, and the maps between them and nodes (a node as a column, columns as nodes).
//!
//! Pods merge into one item when their requests, limits, admitted options and spread agree and
//! nothing else tells them apart (no floor, no `max_per_node`); spread workloads split into
//! per-zone items by round-robin quotas, as FFD assigns zones.

use std::collections::BTreeMap;

use super::master::{Column, Master};
use crate::fit::{Fleet, NodeState};
use crate::solve::ffd::{self, Batch};

/// A kind of pod for the master: one row of demand.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Member workloads and how many of this item's pods belong to each.
    pub(crate) members: Vec<(usize, u32)>,
    /// Scenario zone index for spread items; `None` for any zone.
    pub(crate) zone: Option<usize>,
    pub(crate) demand: u32,
    pub(crate) req: Vec<u64>,
    pub(crate) lim: Vec<u64>,
    pub(crate) per_node: u32,
    /// Floor row index when the (single) member is a spot workload with a PDB floor.
    pub(crate) floor: Option<usize>,
    /// The representative workload (for admission).
    pub(crate) workload: usize,
}

/// The items of a scenario, which items each workload's pods became, and the floor rows.
pub(super) struct Items {
    pub(super) items: Vec<Item>,
    /// Item indices per workload.
    pub(super) items_of: Vec<Vec<usize>>,
    /// Floor rows: (workload, min non-spot replicas).
    pub(super) floors: Vec<(usize, u32)>,
}

/// Builds the items, in the fleet's decreasing order. `floor_on`: spot workloads with a
/// `min_available` get a floor row (the policy is on and some kept option is spot).
pub(super) fn build(fleet: &Fleet<'_>, floor_on: bool) -> Items {
    let scenario = fleet.scenario;
    let mut res = Items {
        items: Vec::new(),
        items_of: vec![Vec::new(); scenario.workloads.len()],
        floors: Vec::new(),
    };
    // Pods merge into one item when requests, limits, admitted options and floor agree.
    type MergeKey = (Vec<u64>, Vec<u64>, Vec<bool>, bool);
    let mut merge: BTreeMap<MergeKey, usize> = BTreeMap::new();
    for w in fleet.decreasing_order() {
        let wl = &scenario.workloads[w];
        if wl.replicas == 0 {
            continue;
        }
        let floor = match (floor_on && wl.spot, wl.min_available) {
            (true, Some(m)) if m > 0 => {
                res.floors.push((w, m.min(wl.replicas)));
                Some(res.floors.len() - 1)
            }
            _ => None,
        };
        let per_node = wl.max_per_node.unwrap_or(u32::MAX);
        let spread = wl.zone_spread.is_some() && scenario.zones.len() > 1;
        let mergeable = floor.is_none() && wl.max_per_node.is_none();
        for (zone, quota) in zone_quotas(fleet, w, spread) {
            let key = (fleet.req[w].clone(), fleet.lim[w].clone(), fleet.admits[w].clone(), spread);
            let existing = if mergeable { merge.get(&key).copied() } else { None };
            let existing = existing.filter(|&i| res.items[i].zone == zone);
            match existing {
                Some(i) => {
                    res.items[i].members.push((w, quota));
                    res.items[i].demand += quota;
                    res.items_of[w].push(i);
                }
                None => {
                    res.items.push(Item {
                        members: vec![(w, quota)],
                        zone,
                        demand: quota,
                        req: fleet.req[w].clone(),
                        lim: fleet.lim[w].clone(),
                        per_node,
                        floor,
                        workload: w,
                    });
                    let i = res.items.len() - 1;
                    if mergeable && zone.is_none() {
                        merge.insert(key, i);
                    }
                    res.items_of[w].push(i);
                }
            }
        }
    }
    res
}

/// A workload's replicas by zone: round-robin quotas over its usable zones when spread, else all in any zone.
fn zone_quotas(fleet: &Fleet<'_>, w: usize, spread: bool) -> Vec<(Option<usize>, u32)> {
    let replicas = fleet.scenario.workloads[w].replicas;
    if !spread {
        return vec![(None, replicas)];
    }
    let zones = ffd::usable_zones(fleet, w);
    let n = zones.len().max(1) as u32;
    zones
        .iter()
        .enumerate()
        .map(|(zi, z)| {
            let zi = zi as u32;
            (Some(*z), if replicas > zi { (replicas - zi).div_ceil(n) } else { 0 })
        })
        .filter(|(_, q)| *q > 0)
        .collect()
}

/// A column for a node state (options mapped to their dominators, workloads to items).
pub(super) fn column_of(m: &Master<'_, '_>, node: &NodeState) -> Option<Column> {
    let opt = m.dominator[node.opt]?;
    let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
    for (&w, &c) in &node.counts {
        let zone = &m.fleet.options[node.opt].zone;
        let item = m.items_of[w]
            .iter()
            .copied()
            .find(|&i| m.items[i].zone.is_none_or(|z| m.fleet.scenario.zones[z] == *zone))?;
        *counts.entry(item).or_insert(0) += c;
    }
    Some(Column { opt, counts: counts.into_iter().collect() })
}

/// Turns column copies into nodes, placing at most each item's demand, split over member
/// workloads by quota; what is left is placed first fit (then on new nodes), per member and
/// zone. Empty when something left cannot be placed.
pub(super) fn expand(m: &Master<'_, '_>, cols: &[(Column, u32)]) -> Vec<NodeState> {
    let fleet = m.fleet;
    let mut left: Vec<Vec<(usize, u32)>> = m.items.iter().map(|it| it.members.clone()).collect();
    let mut nodes = Vec::new();
    for (col, n) in cols {
        for _ in 0..*n {
            let mut node = fleet.empty_node(col.opt);
            for &(i, c) in &col.counts {
                let mut want = c;
                for (w, q) in left[i].iter_mut() {
                    if want == 0 {
                        break;
                    }
                    let take =
                        want.min(*q).min(fleet.room_for(&node, *w).min(u64::from(u32::MAX)) as u32);
                    if take > 0 {
                        fleet.place(&mut node, *w, take);
                        *q -= take;
                        want -= take;
                    }
                }
            }
            nodes.push(node);
        }
    }
    for b in leftover_batches(m, &nodes, &left) {
        if ffd::place_batch(fleet, &mut nodes, b).is_err() {
            return Vec::new();
        }
    }
    nodes
}

/// The batches of what the columns left unplaced: floor replicas off spot first, per member and zone.
fn leftover_batches(
    m: &Master<'_, '_>,
    nodes: &[NodeState],
    left: &[Vec<(usize, u32)>],
) -> Vec<Batch> {
    let fleet = m.fleet;
    let mut batches: Vec<Batch> = Vec::new();
    let spot_allowed = fleet.scenario.spot_allowed();
    for (i, it) in m.items.iter().enumerate() {
        for &(w, q) in &left[i] {
            if q == 0 {
                continue;
            }
            let wl = &fleet.scenario.workloads[w];
            let mut q = q;
            if let Some(f) = it.floor {
                let on_demand: u32 = nodes
                    .iter()
                    .filter(|n| !fleet.options[n.opt].purchase.is_spot())
                    .map(|n| n.count(w))
                    .sum();
                let need = m.floors[f].1.saturating_sub(on_demand).min(q);
                if need > 0 {
                    batches.push(Batch { workload: w, zone: it.zone, spot_ok: false, count: need });
                    q -= need;
                }
            }
            if q > 0 {
                batches.push(Batch {
                    workload: w,
                    zone: it.zone,
                    spot_ok: wl.spot && spot_allowed,
                    count: q,
                });
            }
        }
    }
    batches
}
