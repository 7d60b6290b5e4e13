//! The headroom test: after losing any one node (or zone), does every pod still fit on the rest?
//!
//! The test is constructive: the lost pods are re-packed first-fit decreasing into the free
//! capacity of the surviving nodes, under every placement rule except zone spread and the spot
//! share (which a failure may break for a while). A plan passes when that re-pack succeeds; the
//! packers enforce headroom with this test, and the verifier states the same rule on its own.

use std::collections::BTreeMap;

use super::{Fleet, NodeState};
use crate::policy::Headroom;

/// What was lost in a failed headroom test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lost {
    /// The node at this index (a representative of its identical group).
    Node(usize),
    /// Every node of this zone.
    Zone(String),
}

/// A failed headroom test: what was lost and which replicas found no room, as (workload, count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadroomFailure {
    /// The lost node or zone.
    pub lost: Lost,
    /// Replicas that could not be re-placed.
    pub unplaced: Vec<(usize, u32)>,
}

/// Runs the headroom test for the policy and returns every failure (empty when the plan passes).
pub fn check(fleet: &Fleet<'_>, nodes: &[NodeState], headroom: Headroom) -> Vec<HeadroomFailure> {
    match headroom {
        Headroom::None => Vec::new(),
        Headroom::Node => {
            // Identical nodes (same option, same content) fail or pass together: test one of each.
            let mut seen: BTreeMap<(usize, Vec<(usize, u32)>), usize> = BTreeMap::new();
            for (i, n) in nodes.iter().enumerate() {
                if n.is_empty() {
                    continue;
                }
                let key = (n.opt, n.counts.iter().map(|(w, c)| (*w, *c)).collect());
                seen.entry(key).or_insert(i);
            }
            let mut reps: Vec<usize> = seen.into_values().collect();
            reps.sort_unstable();
            reps.into_iter()
                .filter_map(|i| {
                    let unplaced = fleet.repack_after_loss(nodes, &[i]);
                    (!unplaced.is_empty())
                        .then_some(HeadroomFailure { lost: Lost::Node(i), unplaced })
                })
                .collect()
        }
        Headroom::Zone => fleet
            .scenario
            .zones
            .iter()
            .filter_map(|z| {
                let lost: Vec<usize> =
                    (0..nodes.len()).filter(|&i| fleet.options[nodes[i].opt].zone == *z).collect();
                let unplaced = fleet.repack_after_loss(nodes, &lost);
                (!unplaced.is_empty())
                    .then(|| HeadroomFailure { lost: Lost::Zone(z.clone()), unplaced })
            })
            .collect(),
    }
}

impl Fleet<'_> {
    /// Re-packs the pods of the `lost` nodes into the free space of the others, first-fit
    /// decreasing, and returns what did not fit as (workload, count).
    ///
    /// This is the headroom test: zone spread and spot shares are not required after a failure,
    /// but every other placement rule is.
    pub fn repack_after_loss(&self, nodes: &[NodeState], lost: &[usize]) -> Vec<(usize, u32)> {
        let mut lost_mask = vec![false; nodes.len()];
        for &i in lost {
            lost_mask[i] = true;
        }
        let mut demand: BTreeMap<usize, u32> = BTreeMap::new();
        for &i in lost {
            for (&w, &c) in &nodes[i].counts {
                *demand.entry(w).or_insert(0) += c;
            }
        }
        if demand.is_empty() {
            return Vec::new();
        }
        let mut survivors: Vec<NodeState> = nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| !lost_mask[*i])
            .map(|(_, n)| n.clone())
            .collect();
        // A canonical order, so that the outcome depends on the set of nodes and not their order.
        survivors
            .sort_by(|a, b| a.opt.cmp(&b.opt).then_with(|| a.counts.iter().cmp(b.counts.iter())));
        let mut unplaced = Vec::new();
        for w in self.decreasing_order() {
            let Some(&need) = demand.get(&w) else { continue };
            let left = self.first_fit(&mut survivors, w, need);
            if left > 0 {
                unplaced.push((w, left));
            }
        }
        unplaced
    }
}
