//! The headroom rule as the verifier states it: after losing any one node (or every node of a zone), the lost pods still fit on the rest.
//!
//! The rule is constructive, as the policy defines it: the lost pods are re-packed first fit
//! decreasing into the free capacity of the surviving nodes. Zone spread and the spot share
//! need not hold after a failure; every other placement rule does (admission, requests, limits,
//! `max_per_node`, anti-affinity). Pods go in decreasing order of CPU, then memory request
//! (ties by workload key), and the survivors are tried in a canonical order (by node option,
//! then content), so the outcome depends on the plan's set of nodes and not on their order.
//! Identical nodes (same option, same pods) fail or pass together, so one of each is tested.
//!
//! This is the packers' definition of the rule, re-stated over `Resources` and the verifier's
//! own admission rules rather than shared with them.

use std::collections::BTreeMap;

use super::admission::refusal;
use super::node::{groups_on, limits_on, requests_on};
use super::{PlanView, Rule, Violations};
use crate::policy::Headroom;
use crate::resources::Resources;

/// Every loss the plan cannot absorb, as a violation naming what was lost and what found no room.
pub(super) fn headroom(plan: &PlanView<'_>, out: &mut Violations) {
    let policy = plan.scenario.policy.headroom;
    let losses: Vec<(String, Vec<usize>)> = match policy {
        Headroom::None => return,
        Headroom::Node => distinct_nodes(plan)
            .into_iter()
            .map(|i| (format!("node {}", plan.nodes[i].name), vec![i]))
            .collect(),
        Headroom::Zone => plan
            .scenario
            .zones
            .iter()
            .map(|z| {
                let lost = (0..plan.nodes.len())
                    .filter(|&i| plan.options[plan.nodes[i].opt].zone == *z)
                    .collect();
                (format!("zone {z}"), lost)
            })
            .collect(),
    };
    let repack = Repack::new(plan);
    for (lost, nodes) in losses {
        let unplaced = repack.after_losing(&nodes);
        if unplaced.is_empty() {
            continue;
        }
        let what: Vec<String> = unplaced
            .iter()
            .map(|(w, c)| format!("{c} × {}", plan.scenario.workloads[*w].key()))
            .collect();
        out.push(
            Rule::Headroom,
            None,
            None,
            format!(
                "headroom {policy}: after losing {lost}, no room is left for {}",
                what.join(", ")
            ),
        );
    }
}

/// One node of each kind (same option, same pods) that holds pods, by first index.
fn distinct_nodes(plan: &PlanView<'_>) -> Vec<usize> {
    let mut first: BTreeMap<(usize, Vec<(usize, u32)>), usize> = BTreeMap::new();
    for (i, node) in plan.nodes.iter().enumerate() {
        if !node.counts.is_empty() {
            let content = node.counts.iter().map(|(w, c)| (*w, *c)).collect();
            first.entry((node.opt, content)).or_insert(i);
        }
    }
    let mut res: Vec<usize> = first.into_values().collect();
    res.sort_unstable();
    res
}

/// What is left on a node: free requests, free limit capacity per overcommit cap of its
/// option, its replicas and its pods per anti-affinity group.
#[derive(Clone, Debug)]
struct Room<'s> {
    opt: usize,
    free: Resources,
    lim_free: Vec<u64>,
    counts: BTreeMap<usize, u32>,
    groups: BTreeMap<&'s str, u64>,
}

/// The plan's nodes as rooms, in the canonical order, and the workloads in decreasing order.
struct Repack<'a> {
    plan: &'a PlanView<'a>,
    /// Node indices in the canonical order (option, then content).
    order: Vec<usize>,
    /// Per node (plan index): its room with its own pods on it.
    rooms: Vec<Room<'a>>,
    /// Workload indices, largest CPU request first, then memory, then key.
    decreasing: Vec<usize>,
    /// `admitted[o][w]` for the options of the plan's nodes (`None` for other options).
    admitted: Vec<Option<Vec<bool>>>,
}

impl<'a> Repack<'a> {
    fn new(plan: &'a PlanView<'a>) -> Repack<'a> {
        let scenario = plan.scenario;
        let rooms: Vec<Room<'a>> = plan
            .nodes
            .iter()
            .map(|n| {
                let option = &plan.options[n.opt];
                Room {
                    opt: n.opt,
                    free: option.usable.saturating_sub(&requests_on(scenario, &n.counts)),
                    lim_free: option
                        .limit_caps
                        .iter()
                        .map(|(res, cap)| cap.saturating_sub(limits_on(scenario, &n.counts, res)))
                        .collect(),
                    counts: n.counts.clone(),
                    groups: groups_on(scenario, &n.counts),
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..rooms.len()).collect();
        order.sort_by(|&a, &b| {
            (rooms[a].opt, &rooms[a].counts).cmp(&(rooms[b].opt, &rooms[b].counts))
        });
        let mut decreasing: Vec<usize> = (0..scenario.workloads.len()).collect();
        decreasing.sort_by(|&a, &b| {
            let (ra, rb) =
                (&scenario.workloads[a].pod.requests, &scenario.workloads[b].pod.requests);
            rb.cpu
                .cmp(&ra.cpu)
                .then(rb.memory.cmp(&ra.memory))
                .then_with(|| scenario.workloads[a].key().cmp(&scenario.workloads[b].key()))
        });
        let mut admitted: Vec<Option<Vec<bool>>> = vec![None; plan.options.len()];
        for n in plan.nodes {
            admitted[n.opt].get_or_insert_with(|| {
                let option = &plan.options[n.opt];
                scenario.workloads.iter().map(|w| refusal(w, option).is_none()).collect()
            });
        }
        Repack { plan, order, rooms, decreasing, admitted }
    }

    /// Re-packs the pods of the `lost` nodes onto the others; what found no room, as (workload, count).
    fn after_losing(&self, lost: &[usize]) -> Vec<(usize, u32)> {
        let mut demand: BTreeMap<usize, u32> = BTreeMap::new();
        for &i in lost {
            for (&w, &c) in &self.rooms[i].counts {
                *demand.entry(w).or_insert(0) += c;
            }
        }
        if demand.is_empty() {
            return Vec::new();
        }
        let mut is_lost = vec![false; self.rooms.len()];
        for &i in lost {
            is_lost[i] = true;
        }
        let survivors: Vec<usize> = self.order.iter().copied().filter(|&i| !is_lost[i]).collect();
        // Rooms that received pods in this re-pack; the others are read from `self.rooms`.
        let mut touched: BTreeMap<usize, Room<'a>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        for &w in &self.decreasing {
            let Some(&need) = demand.get(&w) else { continue };
            let mut left = need;
            for &i in &survivors {
                if left == 0 {
                    break;
                }
                let room = touched.get(&i).unwrap_or(&self.rooms[i]);
                let n = self.copies(room, w).min(u64::from(left)) as u32;
                if n > 0 {
                    let room = touched.entry(i).or_insert_with(|| self.rooms[i].clone());
                    self.place(room, w, n);
                    left -= n;
                }
            }
            if left > 0 {
                unplaced.push((w, left));
            }
        }
        unplaced
    }

    /// How many more pods of workload `w` fit in `room` under every placement rule.
    fn copies(&self, room: &Room<'_>, w: usize) -> u64 {
        if !self.admitted[room.opt].as_ref().is_some_and(|a| a[w]) {
            return 0;
        }
        let workload = &self.plan.scenario.workloads[w];
        let mut n = copies_within(&room.free, &workload.pod.requests);
        for ((res, _), free) in self.plan.options[room.opt].limit_caps.iter().zip(&room.lim_free) {
            if let Some(fits) = free.checked_div(workload.pod.limits.get(res)) {
                n = n.min(fits);
            }
        }
        if let Some(m) = workload.max_per_node {
            let here = room.counts.get(&w).copied().unwrap_or(0);
            n = n.min(u64::from(m.saturating_sub(here)));
        }
        if let Some(group) = workload.anti_affinity.as_deref() {
            n = n.min(1u64.saturating_sub(room.groups.get(group).copied().unwrap_or(0)));
        }
        n
    }

    /// Puts `n` pods of workload `w` in `room`.
    fn place(&self, room: &mut Room<'a>, w: usize, n: u32) {
        let workload = &self.plan.scenario.workloads[w];
        room.free = room.free.saturating_sub(&workload.pod.requests.times(u64::from(n)));
        for ((res, _), free) in
            self.plan.options[room.opt].limit_caps.iter().zip(room.lim_free.iter_mut())
        {
            *free = free.saturating_sub(workload.pod.limits.get(res).saturating_mul(u64::from(n)));
        }
        *room.counts.entry(w).or_insert(0) += n;
        if let Some(group) = workload.anti_affinity.as_deref() {
            *room.groups.entry(group).or_insert(0) += u64::from(n);
        }
    }
}

/// How many copies of `need` fit in `free` (every resource it requests).
fn copies_within(free: &Resources, need: &Resources) -> u64 {
    let mut n = u64::MAX;
    let mut take = |have: u64, want: u64| {
        if let Some(fits) = have.checked_div(want) {
            n = n.min(fits);
        }
    };
    take(free.cpu.0, need.cpu.0);
    take(free.memory.0, need.memory.0);
    take(free.pods, need.pods);
    take(free.ephemeral_storage.0, need.ephemeral_storage.0);
    for (name, want) in &need.extended {
        take(free.extended.get(name).copied().unwrap_or(0), *want);
    }
    n
}
