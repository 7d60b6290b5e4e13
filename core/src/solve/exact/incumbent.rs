//! The incumbent: the best valid plan found so far, its cost, and the phase that found it.

use super::improve::finalize;
use super::master::Master;
use super::stats::EngineStats;
pub(crate) use super::stats::Source;
use crate::fit::{Fleet, NodeState};

/// The best plan so far: every candidate is repaired with the verifier's rules
/// ([`finalize`]) before it may replace the incumbent, so the incumbent is always a valid plan.
#[derive(Clone, Debug)]
pub(crate) struct Incumbent {
    /// The nodes.
    pub(crate) nodes: Vec<NodeState>,
    /// Their hourly cost.
    pub(crate) cost: f64,
    /// The phase that found it.
    pub(crate) source: Source,
}

impl Incumbent {
    /// The greedy plan as the first incumbent.
    pub(crate) fn ffd(fleet: &Fleet<'_>, nodes: &[NodeState]) -> Incumbent {
        Incumbent { nodes: nodes.to_vec(), cost: cost(fleet, nodes), source: Source::Ffd }
    }

    /// Repairs a candidate from `source` and takes it when it is strictly cheaper; true when it did.
    /// An empty candidate (a phase that could not place every pod) is ignored.
    pub(crate) fn offer(
        &mut self,
        m: &Master<'_, '_>,
        nodes: Vec<NodeState>,
        source: Source,
        stats: &mut EngineStats,
    ) -> bool {
        if nodes.is_empty() && !m.items.is_empty() {
            return false;
        }
        let Some(n) = finalize(m, nodes) else { return false };
        let c = cost(m.fleet, &n);
        if c < self.cost - 1e-9 {
            self.cost = c;
            self.nodes = n;
            self.source = source;
            stats.improved_by.record(source);
            return true;
        }
        false
    }
}

impl Incumbent {
    /// Takes a plan that is already valid (a greedy packer's, finished by the same rules as
    /// first-fit decreasing) when it is strictly cheaper; true when it did.
    pub(crate) fn offer_valid(
        &mut self,
        fleet: &Fleet<'_>,
        nodes: Vec<NodeState>,
        source: Source,
        stats: &mut EngineStats,
    ) -> bool {
        let c = cost(fleet, &nodes);
        if c < self.cost - 1e-9 {
            self.cost = c;
            self.nodes = nodes;
            self.source = source;
            stats.improved_by.record(source);
            return true;
        }
        false
    }
}

/// The hourly cost of a node set.
pub(crate) fn cost(fleet: &Fleet<'_>, nodes: &[NodeState]) -> f64 {
    nodes.iter().map(|n| fleet.options[n.opt].price.0).sum()
}
