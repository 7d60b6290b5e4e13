//! Karpenter's provisioning pass for one batch of pending pods: its queue, its in-flight
//! NodeClaims and their narrowing instance-type sets, its topology, and the launch decision.
//!
//! Each rule below names the file of kubernetes-sigs/karpenter (`pkg/controllers/provisioning/
//! scheduling/`, v1.14) or aws/karpenter-provider-aws whose behaviour it models. Nothing is
//! copied; the structure is ours (dense vectors of [`Fleet`], per-workload batches of identical
//! pods).
//!
//! - `queue.go` `NewQueue`/`byCPUAndMemoryDescending`: pods by CPU, then memory, descending;
//!   ties by workload key, standing in for creation time and UID. A pod that fails is pushed to
//!   the back (`Push`) and retried until a whole pass places nothing (`Pop`'s staleness check).
//! - `scheduler.go` `add`: a pod goes on an existing node (consolidation only: `addToExistingNode`,
//!   nodes in name order, here creation order), else on an in-flight NodeClaim
//!   (`addToInflightNode`, after `sort.Slice` by pod count, fewest first; ties in creation order),
//!   else on a new NodeClaim from the first NodePool template that takes it
//!   (`addToNewNodeClaim`; templates ordered by `nodepoolutils.OrderByWeight`).
//! - `nodeclaim.go` `CanAdd`/`filterInstanceTypesByRequirements`/`fits`: a NodeClaim keeps the
//!   instance-type offerings still compatible with every pod on it; a pod joins when some
//!   remaining offering holds the claim's requests plus the pod's plus its DaemonSet overhead
//!   (here the option's `usable`, which has DaemonSets, max pods and the scenario's utilisation
//!   and overcommit caps applied), and the set narrows to those offerings (`Add`).
//! - `topologygroup.go` `nextDomainTopologySpread`/`domainMinCount`: a zone-spread pod may use a
//!   domain whose count + 1 − the minimum over the pod's domains is within max skew, and takes
//!   the one with the fewest (ties: the first zone; Karpenter iterates a map). The claim is pinned
//!   to that zone. Hostname anti-affinity and hostname spread (`nextDomainAntiAffinity`, the
//!   hostname special case) are the fleet's per-node rules (`max_per_node`, anti-affinity groups).
//! - `scheduler.go` `addToNewNodeClaim` + `subtractMax`: a NodePool's `limits.nodes`
//!   (kplan's `max_nodes`) caps the NodeClaims it opens.
//! - Launch (aws/karpenter-provider-aws `pkg/providers/instance/instance.go` `getCapacityType`,
//!   `filter/filter.go` `SpotOfferingFilter`): reserved first, then spot (when a spot offering is
//!   no dearer than the cheapest on-demand one), then on-demand; within the capacity type the
//!   lowest price (on-demand `lowest-price`; for spot the lowest price stands in for
//!   `price-capacity-optimized`), ties by instance type, purchase option and zone.

use std::collections::{BTreeMap, BTreeSet};

use super::CapacitySplit;
use crate::catalog::PurchaseOption;
use crate::fit::{Fleet, NodeState};

/// The requests, limits and pods on a NodeClaim or a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Content {
    pub(super) used: Vec<u64>,
    pub(super) lim_used: Vec<u64>,
    pub(super) counts: BTreeMap<usize, u32>,
    pub(super) n_pods: u32,
}

impl Content {
    fn empty(fleet: &Fleet<'_>) -> Content {
        Content {
            used: vec![0; fleet.dims.len()],
            lim_used: vec![0; fleet.limit_dims.len()],
            counts: BTreeMap::new(),
            n_pods: 0,
        }
    }

    pub(super) fn count(&self, w: usize) -> u32 {
        self.counts.get(&w).copied().unwrap_or(0)
    }

    pub(super) fn add(&mut self, fleet: &Fleet<'_>, w: usize) {
        for (u, r) in self.used.iter_mut().zip(&fleet.req[w]) {
            *u = u.saturating_add(*r);
        }
        for (u, r) in self.lim_used.iter_mut().zip(&fleet.lim[w]) {
            *u = u.saturating_add(*r);
        }
        *self.counts.entry(w).or_insert(0) += 1;
        self.n_pods += 1;
    }
}

/// A NodeClaim being scheduled: its NodePool, the offerings (node options) still possible, its
/// capacity-spread domains (the ratio-split workaround) and what it holds.
#[derive(Clone, Debug)]
pub(super) struct Claim {
    pub(super) pool: usize,
    pub(super) candidates: Vec<usize>,
    /// Per dimension, the largest usable capacity among the candidates: a quick reject.
    pub(super) cap: Vec<u64>,
    pub(super) domains: u32,
    pub(super) content: Content,
}

/// A launched node: its option, NodePool, capacity-spread domain and content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Node {
    pub(super) opt: usize,
    pub(super) pool: usize,
    /// The capacity-spread domain bit (all bits when no split is modelled).
    pub(super) domain: u32,
    pub(super) content: Content,
}

/// Why a pod did not go on a claim or node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Miss {
    /// It never will: the claim only narrows and fills.
    Never,
    /// Topology forbids it now; counts elsewhere can change that.
    Now,
}

/// The scheduler's fixed view of the problem.
pub(super) struct Model<'f, 'a> {
    pub(super) fleet: &'f Fleet<'a>,
    /// Per option: the capacity Karpenter packs against (the scenario's, or its AWS estimate,
    /// never above the scenario's).
    pub(super) usable: Vec<Vec<u64>>,
    pub(super) lim_caps: Vec<Vec<u64>>,
    /// Per NodePool template (weight order): its offerings, and its `limits.nodes`.
    pub(super) templates: Vec<(Vec<usize>, Option<u32>)>,
    /// Per option: its zone's index.
    zone_of: Vec<usize>,
    /// Zones that some offering is in (Karpenter's registered topology domains).
    registered: Vec<bool>,
    pub(super) split: Option<CapacitySplit>,
}

impl<'f, 'a> Model<'f, 'a> {
    pub(super) fn new(
        fleet: &'f Fleet<'a>,
        usable: Vec<Vec<u64>>,
        lim_caps: Vec<Vec<u64>>,
        split: Option<CapacitySplit>,
    ) -> Model<'f, 'a> {
        let scenario = fleet.scenario;
        let n = fleet.options.len();
        let templates = if scenario.node_pools.is_empty() {
            vec![((0..n).collect(), None)]
        } else {
            // A kplan node pool is a NodePool; file order is weight order, and an option belongs
            // to the first pool that admits it (as the verifier counts it).
            let pool_of: Vec<Option<usize>> = fleet
                .options
                .iter()
                .map(|o| scenario.node_pools.iter().position(|p| p.admits(o)))
                .collect();
            scenario
                .node_pools
                .iter()
                .enumerate()
                .map(|(p, pool)| {
                    ((0..n).filter(|&o| pool_of[o] == Some(p)).collect(), pool.max_nodes)
                })
                .collect()
        };
        let zone_of: Vec<usize> = fleet
            .options
            .iter()
            .map(|o| scenario.zones.iter().position(|z| *z == o.zone).unwrap_or(0))
            .collect();
        let mut registered = vec![false; scenario.zones.len().max(1)];
        for &z in &zone_of {
            registered[z] = true;
        }
        Model { fleet, usable, lim_caps, templates, zone_of, registered, split }
    }

    /// The max skew of workload `w`'s zone spread, when it has one that can bind.
    fn zone_skew(&self, w: usize) -> Option<u32> {
        let scenario = self.fleet.scenario;
        scenario.workloads[w].zone_spread.filter(|_| scenario.zones.len() > 1).map(|s| s.max_skew)
    }

    /// True when workload `w` carries the capacity-spread topology constraint of the split.
    fn split_spread(&self, w: usize) -> bool {
        self.split.is_some() && self.fleet.scenario.workloads[w].spot
    }

    /// The capacity-spread domains an option can carry.
    pub(super) fn domains_of(&self, o: usize) -> u32 {
        match self.split {
            None => u32::MAX,
            Some(s) => {
                if self.fleet.options[o].purchase.is_spot() {
                    s.spot_mask()
                } else {
                    s.on_demand_mask()
                }
            }
        }
    }

    fn all_domains(&self) -> u32 {
        self.split.map_or(u32::MAX, |s| s.all_mask())
    }

    /// True when the pod fits this option on top of `content` (requests, limits, per-node rules).
    fn fits(&self, content: &Content, o: usize, w: usize) -> bool {
        let f = self.fleet;
        if !f.admits[w][o] {
            return false;
        }
        let cap = &self.usable[o];
        for (d, &r) in f.req[w].iter().enumerate() {
            if r > 0 && content.used[d].saturating_add(r) > cap[d] {
                return false;
            }
        }
        let lim_cap = &self.lim_caps[o];
        for (d, &r) in f.lim[w].iter().enumerate() {
            if r > 0 && content.lim_used[d].saturating_add(r) > lim_cap[d] {
                return false;
            }
        }
        true
    }

    fn max_per_node_reached(&self, content: &Content, w: usize) -> bool {
        self.fleet.scenario.workloads[w].max_per_node.is_some_and(|m| content.count(w) >= m)
    }

    /// The zones workload `w` may use among Karpenter's registered domains.
    fn pod_zone_ok(&self, w: usize, z: usize) -> bool {
        let scenario = self.fleet.scenario;
        let zones = &scenario.workloads[w].placement.zones;
        self.registered[z] && (zones.is_empty() || zones.contains(&scenario.zones[z]))
    }

    /// Picks the spread domain with the fewest pods among `allowed` whose count + 1 − min is
    /// within `skew` (`nextDomainTopologySpread`); `min` is over `supported`.
    fn spread_pick(
        counts: &[u32],
        supported: impl Fn(usize) -> bool,
        allowed: impl Fn(usize) -> bool,
        skew: u32,
    ) -> Option<usize> {
        let min = (0..counts.len()).filter(|&d| supported(d)).map(|d| counts[d]).min()?;
        (0..counts.len())
            .filter(|&d| allowed(d) && (counts[d] + 1).saturating_sub(min) <= skew)
            .min_by_key(|&d| (counts[d], d))
    }
}

/// Where a pod went.
enum Placed {
    Existing(usize),
    Claim(usize),
    NewClaim,
}

/// The mutable state of one scheduling simulation.
pub(super) struct Scheduler<'m, 'f, 'a> {
    pub(super) model: &'m Model<'f, 'a>,
    /// Nodes already running (consolidation's simulations); read-only but for copies in `touched`.
    pub(super) existing: Vec<&'m Node>,
    /// Existing nodes that received pods in this simulation.
    pub(super) touched: BTreeMap<usize, Node>,
    pub(super) claims: Vec<Claim>,
    /// In-flight claims by (pod count, creation order): the order `add` tries them in.
    order: BTreeSet<(u32, usize)>,
    /// Topology counts and NodePool node limits left.
    pub(super) tally: Tally,
    /// Per workload: claims (and existing nodes) its pods can never join.
    closed_claims: Vec<Vec<bool>>,
    closed_existing: Vec<Vec<bool>>,
    /// Give up once this many new claims are open (consolidation needs at most one).
    pub(super) max_claims: usize,
    /// Fit checks made (claims and nodes tried), the work consolidation budgets.
    pub(super) work: u64,
}

/// Pods per topology domain and the NodeClaims each NodePool may still open, given some nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tally {
    /// Per workload: pods per zone and per capacity-spread domain.
    zone_counts: Vec<Vec<u32>>,
    split_counts: Vec<Vec<u32>>,
    /// Per NodePool template: NodeClaims it may still open (`limits.nodes`).
    nodes_left: Vec<Option<u32>>,
}

impl Tally {
    /// The counts of these running nodes.
    pub(super) fn of<'n>(
        model: &Model<'_, '_>,
        nodes: impl IntoIterator<Item = &'n Node>,
    ) -> Tally {
        let scenario = model.fleet.scenario;
        let n_w = scenario.workloads.len();
        let n_z = scenario.zones.len().max(1);
        let n_d = model.split.map_or(0, |s| s.domains as usize);
        let mut tally = Tally {
            zone_counts: vec![vec![0u32; n_z]; n_w],
            split_counts: vec![vec![0u32; n_d]; n_w],
            nodes_left: model.templates.iter().map(|t| t.1).collect(),
        };
        for node in nodes {
            tally.count(model, node, true);
        }
        tally
    }

    /// Adds (or takes away) a node's pods and its NodePool slot.
    pub(super) fn count(&mut self, model: &Model<'_, '_>, node: &Node, add: bool) {
        let z = model.zone_of[node.opt];
        let n_d = self.split_counts.first().map_or(0, Vec::len);
        for (&w, &c) in &node.content.counts {
            let zc = &mut self.zone_counts[w][z];
            *zc = if add { *zc + c } else { zc.saturating_sub(c) };
            if n_d > 0 {
                let sc = &mut self.split_counts[w][node.domain.trailing_zeros() as usize % n_d];
                *sc = if add { *sc + c } else { sc.saturating_sub(c) };
            }
        }
        if let Some(left) = self.nodes_left[node.pool].as_mut() {
            *left = if add { left.saturating_sub(1) } else { *left + 1 };
        }
    }
}

impl<'m, 'f, 'a> Scheduler<'m, 'f, 'a> {
    /// A simulation on top of `existing` nodes, whose pods `tally` counts.
    pub(super) fn new(
        model: &'m Model<'f, 'a>,
        existing: Vec<&'m Node>,
        tally: Tally,
    ) -> Scheduler<'m, 'f, 'a> {
        let n_w = model.fleet.scenario.workloads.len();
        Scheduler {
            model,
            existing,
            touched: BTreeMap::new(),
            claims: Vec::new(),
            order: BTreeSet::new(),
            tally,
            closed_claims: vec![Vec::new(); n_w],
            closed_existing: vec![Vec::new(); n_w],
            max_claims: usize::MAX,
            work: 0,
        }
    }

    /// Schedules the batch `pods` (workload, count) in queue order; returns the pods left pending.
    pub(super) fn schedule(&mut self, pods: &[(usize, u32)]) -> Vec<(usize, u32)> {
        let mut queue: Vec<(usize, u32)> = pods.to_vec();
        let fleet = self.model.fleet;
        let rank: BTreeMap<usize, usize> =
            fleet.decreasing_order().into_iter().enumerate().map(|(i, w)| (w, i)).collect();
        queue.sort_by_key(|&(w, _)| rank.get(&w).copied().unwrap_or(usize::MAX));
        loop {
            let mut pending = Vec::new();
            let mut progress = false;
            for &(w, n) in &queue {
                for i in 0..n {
                    if self.add(w) {
                        progress = true;
                    } else {
                        // The state did not change, so the identical pods behind it fail too.
                        pending.push((w, n - i));
                        break;
                    }
                }
            }
            if pending.is_empty() || !progress {
                return pending;
            }
            queue = pending;
        }
    }

    /// Tries one pod of workload `w`; true when it was placed.
    fn add(&mut self, w: usize) -> bool {
        match self.find(w) {
            Some((Placed::Existing(i), _, _)) => {
                let mut node = self.touched.remove(&i).unwrap_or_else(|| self.existing[i].clone());
                node.content.add(self.model.fleet, w);
                self.record(w, self.model.zone_of[node.opt], node.domain);
                self.touched.insert(i, node);
                true
            }
            Some((Placed::Claim(c), candidates, domains)) => {
                self.order.remove(&(self.claims[c].content.n_pods, c));
                self.commit(c, w, candidates, domains);
                self.order.insert((self.claims[c].content.n_pods, c));
                true
            }
            Some((Placed::NewClaim, _, _)) => true,
            None => false,
        }
    }

    /// Finds where a pod of `w` goes (and, for a new claim, opens it).
    fn find(&mut self, w: usize) -> Option<(Placed, Vec<usize>, u32)> {
        let model = self.model;
        for i in 0..self.existing.len() {
            if self.closed_existing[w].get(i).copied().unwrap_or(false) {
                continue;
            }
            let node = self.touched.get(&i).unwrap_or(self.existing[i]);
            self.work += 1;
            match self.try_node(node, w) {
                Ok(()) => return Some((Placed::Existing(i), Vec::new(), 0)),
                Err(Miss::Never) => close(&mut self.closed_existing[w], i),
                Err(Miss::Now) => {}
            }
        }
        let mut found = None;
        let mut never = Vec::new();
        for &(_, c) in &self.order {
            if self.closed_claims[w].get(c).copied().unwrap_or(false) {
                continue;
            }
            self.work += 1;
            match self.try_claim(&self.claims[c], w) {
                Ok(narrowed) => {
                    found = Some((c, narrowed));
                    break;
                }
                Err(Miss::Never) => never.push(c),
                Err(Miss::Now) => {}
            }
        }
        for c in never {
            close(&mut self.closed_claims[w], c);
        }
        if let Some((c, (candidates, domains))) = found {
            return Some((Placed::Claim(c), candidates, domains));
        }
        if self.claims.len() >= self.max_claims {
            return None;
        }
        for (p, (offerings, _)) in model.templates.iter().enumerate() {
            if self.tally.nodes_left[p] == Some(0) || offerings.is_empty() {
                continue;
            }
            let fresh = self.fresh_claim(p);
            if let Ok((candidates, domains)) = self.try_claim(&fresh, w) {
                if let Some(left) = self.tally.nodes_left[p].as_mut() {
                    *left -= 1;
                }
                let c = self.claims.len();
                self.claims.push(fresh);
                self.commit(c, w, candidates, domains);
                self.order.insert((self.claims[c].content.n_pods, c));
                return Some((Placed::NewClaim, Vec::new(), 0));
            }
        }
        None
    }

    /// A NodeClaim of NodePool `p` with every offering of the pool.
    pub(super) fn fresh_claim(&self, p: usize) -> Claim {
        let model = self.model;
        let candidates = model.templates[p].0.clone();
        let cap = max_capacity(model, &candidates);
        Claim {
            pool: p,
            candidates,
            cap,
            domains: model.all_domains(),
            content: Content::empty(model.fleet),
        }
    }

    /// Puts a pod of `w` on claim `c` with its narrowed offerings and domains.
    fn commit(&mut self, c: usize, w: usize, candidates: Vec<usize>, domains: u32) {
        let model = self.model;
        let zone = candidates.first().map(|&o| model.zone_of[o]);
        let pinned_zone = zone.filter(|&z| candidates.iter().all(|&o| model.zone_of[o] == z));
        let claim = &mut self.claims[c];
        claim.cap = max_capacity(model, &candidates);
        claim.candidates = candidates;
        claim.domains = domains;
        claim.content.add(model.fleet, w);
        if let Some(z) = pinned_zone {
            self.record(w, z, domains);
        } else {
            self.record_split(w, domains);
        }
    }

    /// Counts a placed pod in its topology domains (`Topology.Record`).
    fn record(&mut self, w: usize, zone: usize, domains: u32) {
        if self.model.zone_skew(w).is_some() {
            self.tally.zone_counts[w][zone] += 1;
        }
        self.record_split(w, domains);
    }

    fn record_split(&mut self, w: usize, domains: u32) {
        if self.model.split_spread(w) && domains.count_ones() == 1 {
            self.tally.split_counts[w][domains.trailing_zeros() as usize] += 1;
        }
    }

    /// Can a pod of `w` join this running node?
    fn try_node(&self, node: &Node, w: usize) -> Result<(), Miss> {
        let model = self.model;
        if model.max_per_node_reached(&node.content, w) || !model.fits(&node.content, node.opt, w) {
            return Err(Miss::Never);
        }
        if let Some(skew) = model.zone_skew(w) {
            let z = model.zone_of[node.opt];
            let counts = &self.tally.zone_counts[w];
            if Model::spread_pick(counts, |d| model.pod_zone_ok(w, d), |d| d == z, skew).is_none() {
                return Err(Miss::Now);
            }
        }
        if model.split_spread(w) {
            let d = node.domain.trailing_zeros() as usize;
            if Model::spread_pick(&self.tally.split_counts[w], |_| true, |k| k == d, 1).is_none() {
                return Err(Miss::Now);
            }
        }
        Ok(())
    }

    /// Can a pod of `w` join this claim? On success, the claim's narrowed offerings and domains.
    fn try_claim(&self, claim: &Claim, w: usize) -> Result<(Vec<usize>, u32), Miss> {
        let model = self.model;
        let fleet = model.fleet;
        if model.max_per_node_reached(&claim.content, w) {
            return Err(Miss::Never);
        }
        for (d, &r) in fleet.req[w].iter().enumerate() {
            if r > 0 && claim.content.used[d].saturating_add(r) > claim.cap[d] {
                return Err(Miss::Never);
            }
        }
        // A pod that may not run on spot asks for an on-demand capacity-spread domain.
        let mut domains = claim.domains;
        if !fleet.scenario.workloads[w].spot
            && let Some(s) = model.split
        {
            domains &= s.on_demand_mask();
        }
        if domains == 0 {
            return Err(Miss::Never);
        }
        let mut fit: Vec<usize> = claim
            .candidates
            .iter()
            .copied()
            .filter(|&o| model.domains_of(o) & domains != 0 && model.fits(&claim.content, o, w))
            .collect();
        if fit.is_empty() {
            return Err(Miss::Never);
        }
        if let Some(skew) = model.zone_skew(w) {
            // The claim's zones, as its requirements state them (not yet narrowed by fit).
            let mut claim_zones = vec![false; model.registered.len()];
            for &o in &claim.candidates {
                if fleet.admits[w][o] {
                    claim_zones[model.zone_of[o]] = true;
                }
            }
            let counts = &self.tally.zone_counts[w];
            let z = Model::spread_pick(
                counts,
                |d| model.pod_zone_ok(w, d),
                |d| claim_zones[d] && model.pod_zone_ok(w, d),
                skew,
            )
            .ok_or(Miss::Now)?;
            fit.retain(|&o| model.zone_of[o] == z);
        }
        if model.split_spread(w) {
            let counts = &self.tally.split_counts[w];
            let d = Model::spread_pick(counts, |_| true, |k| domains & (1 << k) != 0, 1)
                .ok_or(Miss::Now)?;
            domains = 1 << d;
            fit.retain(|&o| model.domains_of(o) & domains != 0);
        }
        if fit.is_empty() {
            return Err(Miss::Now);
        }
        Ok((fit, domains))
    }
}

fn close(flags: &mut Vec<bool>, i: usize) {
    if flags.len() <= i {
        flags.resize(i + 1, false);
    }
    flags[i] = true;
}

fn max_capacity(model: &Model<'_, '_>, candidates: &[usize]) -> Vec<u64> {
    let mut cap = vec![0u64; model.fleet.dims.len()];
    for &o in candidates {
        for (c, u) in cap.iter_mut().zip(&model.usable[o]) {
            *c = (*c).max(*u);
        }
    }
    cap
}

/// True for the reserved purchase options and capacity reservations (Karpenter's `reserved`
/// capacity type).
fn is_reserved(p: PurchaseOption) -> bool {
    matches!(
        p,
        PurchaseOption::Reserved1y | PurchaseOption::Reserved3y | PurchaseOption::Reservation
    )
}

/// The offering a NodeClaim launches as (`getCapacityType`, `SpotOfferingFilter`, CreateFleet's
/// lowest price), among `candidates`.
pub(super) fn launch_option(fleet: &Fleet<'_>, candidates: &[usize]) -> Option<usize> {
    let cheapest = |pred: &dyn Fn(PurchaseOption) -> bool| {
        candidates.iter().copied().filter(|&o| pred(fleet.options[o].purchase)).min_by(|&a, &b| {
            fleet.options[a].price.total_cmp(&fleet.options[b].price).then(a.cmp(&b))
        })
    };
    if let Some(o) = cheapest(&is_reserved) {
        return Some(o);
    }
    let spot = cheapest(&|p| p.is_spot());
    let on_demand = cheapest(&|p| p == PurchaseOption::OnDemand);
    match (spot, on_demand) {
        (Some(s), Some(d)) if fleet.options[s].price.0 <= fleet.options[d].price.0 => Some(s),
        (Some(s), None) => Some(s),
        (_, Some(d)) => Some(d),
        (None, None) => None,
    }
}

impl Node {
    /// Launches claim `claim`: the offering it gets and the capacity-spread domain label.
    pub(super) fn launch(model: &Model<'_, '_>, claim: &Claim) -> Option<Node> {
        let opt = launch_option(model.fleet, &claim.candidates)?;
        let domains = claim.domains & model.domains_of(opt);
        let domain = if model.split.is_some() { 1 << domains.trailing_zeros() } else { u32::MAX };
        Some(Node { opt, pool: claim.pool, domain, content: claim.content.clone() })
    }

    /// The node as the fleet's node state (free capacity on the scenario's own allocatable).
    pub(super) fn to_state(&self, fleet: &Fleet<'_>) -> NodeState {
        let mut state = fleet.empty_node(self.opt);
        for (&w, &c) in &self.content.counts {
            fleet.place(&mut state, w, c);
        }
        state
    }
}
