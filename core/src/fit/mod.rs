//! The fit rules the packers share: dense, integer bookkeeping of nodes and what they hold.
//!
//! A [`Fleet`] indexes the scenario's workloads and node options into dense resource vectors
//! (cpu, memory, pods, ephemeral storage, then each extended resource by name, then one
//! dimension per anti-affinity group) so that fit checks are a few integer comparisons, and
//! records which options admit which workloads. A [`NodeState`] is one node: its option, its
//! free request capacity, its free limit capacity (overcommit) and its replica counts.
//! [`admission`] holds the admission rules, read by both the packers' `admits` and the explanation
//! of a workload that fits no option; [`headroom`] is the constructive headroom test (the re-pack
//! after a loss).
//!
//! The verifier does not use this module: it states every rule again over the scenario model
//! (`plan::verify`), so that a bug here cannot pass it too.

pub mod admission;
pub mod headroom;

use std::collections::BTreeMap;

use crate::resources::{ResourceName, Resources};
use crate::scenario::{CountLimit, NodeOption, Scenario};

/// The name prefix of the synthetic dimension an anti-affinity group occupies.
pub const ANTI_AFFINITY_PREFIX: &str = "anti-affinity/";

/// The resource dimensions of a problem, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dims {
    /// The resource of each dimension.
    pub names: Vec<ResourceName>,
}

impl Dims {
    /// cpu, memory, pods, ephemeral-storage, then every extended resource named by a workload or an option.
    pub fn of(scenario: &Scenario, options: &[NodeOption]) -> Dims {
        let mut names = vec![
            ResourceName::Cpu,
            ResourceName::Memory,
            ResourceName::Pods,
            ResourceName::EphemeralStorage,
        ];
        let mut ext: Vec<String> = scenario
            .workloads
            .iter()
            .flat_map(|w| w.pod.requests.extended.keys().cloned())
            .chain(options.iter().flat_map(|o| o.usable.extended.keys().cloned()))
            .collect();
        ext.sort();
        ext.dedup();
        names.extend(ext.into_iter().map(ResourceName::Extended));
        // Each anti-affinity group is a dimension of capacity 1 per node and 1 per pod.
        let mut groups: Vec<&String> =
            scenario.workloads.iter().filter_map(|w| w.anti_affinity.as_ref()).collect();
        groups.sort();
        groups.dedup();
        names.extend(
            groups
                .into_iter()
                .map(|g| ResourceName::Extended(format!("{ANTI_AFFINITY_PREFIX}{g}"))),
        );
        Dims { names }
    }

    /// The dimension of an anti-affinity group.
    fn group_dim(&self, group: &str) -> Option<usize> {
        let name = ResourceName::Extended(format!("{ANTI_AFFINITY_PREFIX}{group}"));
        self.names.iter().position(|n| *n == name)
    }

    /// The dense vector of a resource amount.
    pub fn vec(&self, r: &Resources) -> Vec<u64> {
        self.names.iter().map(|n| r.get(n)).collect()
    }

    /// Number of dimensions.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no dimensions (never, in practice).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The scenario's workloads and node options in dense form.
#[derive(Clone, Debug)]
pub struct Fleet<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The node options.
    pub options: &'a [NodeOption],
    /// Resource dimensions.
    pub dims: Dims,
    /// Per workload: one pod's requests.
    pub req: Vec<Vec<u64>>,
    /// Per workload: one pod's limits on the overcommit-capped resources, in the order of `limit_dims`.
    pub lim: Vec<Vec<u64>>,
    /// Resources whose limits are capped (overcommit).
    pub limit_dims: Vec<ResourceName>,
    /// Per option: usable request capacity.
    pub usable: Vec<Vec<u64>>,
    /// Per option: limit caps in the order of `limit_dims`.
    pub lim_caps: Vec<Vec<u64>>,
    /// `admits[w][o]`: a pod of workload `w` may be placed on option `o` at all.
    pub admits: Vec<Vec<bool>>,
    /// The options by price, then index (cheapest first).
    pub by_price: Vec<usize>,
    /// The scenario's limits on node counts (inventory).
    pub limits: Vec<CountLimit>,
    /// Per option: the limits that count its nodes (indices into `limits`).
    pub limits_of: Vec<Vec<usize>>,
    /// Some option is a capacity reservation (the packers try those first).
    pub has_reservations: bool,
    /// Per dimension, free capacity that every plan of this fleet is known to keep in total
    /// (empty: none beyond what the headroom policy implies). The engine's headroom bound sets
    /// it for a class of plans (see `solve::headroom`); the master's node-loss rows use it.
    pub free_at_least: Vec<u64>,
}

impl<'a> Fleet<'a> {
    /// Builds the dense view.
    pub fn new(scenario: &'a Scenario, options: &'a [NodeOption]) -> Fleet<'a> {
        let dims = Dims::of(scenario, options);
        let mut limit_dims = Vec::new();
        if scenario.policy.overcommit.cpu.is_some() {
            limit_dims.push(ResourceName::Cpu);
        }
        if scenario.policy.overcommit.memory.is_some() {
            limit_dims.push(ResourceName::Memory);
        }
        let req = scenario
            .workloads
            .iter()
            .map(|w| {
                let mut v = dims.vec(&w.pod.requests);
                if let Some(d) = w.anti_affinity.as_deref().and_then(|g| dims.group_dim(g)) {
                    v[d] = 1;
                }
                v
            })
            .collect();
        let lim = scenario
            .workloads
            .iter()
            .map(|w| limit_dims.iter().map(|n| w.pod.limits.get(n)).collect())
            .collect();
        let usable = options
            .iter()
            .map(|o| {
                let mut v = dims.vec(&o.usable);
                for (d, n) in dims.names.iter().enumerate() {
                    if matches!(n, ResourceName::Extended(e) if e.starts_with(ANTI_AFFINITY_PREFIX))
                    {
                        v[d] = 1;
                    }
                }
                v
            })
            .collect();
        let lim_caps = options
            .iter()
            .map(|o| {
                limit_dims
                    .iter()
                    .map(|n| {
                        o.limit_caps.iter().find(|(m, _)| m == n).map_or(u64::MAX, |(_, c)| *c)
                    })
                    .collect()
            })
            .collect();
        let admits = scenario
            .workloads
            .iter()
            .map(|w| options.iter().map(|o| admission::admits(o, w)).collect())
            .collect();
        let mut by_price: Vec<usize> = (0..options.len()).collect();
        by_price.sort_by(|&a, &b| options[a].price.total_cmp(&options[b].price).then(a.cmp(&b)));
        let limits = scenario.count_limits();
        let has_reservations =
            options.iter().any(|o| o.purchase == crate::catalog::PurchaseOption::Reservation);
        let limits_of = options
            .iter()
            .map(|o| (0..limits.len()).filter(|&l| limits[l].covers(o)).collect())
            .collect();
        Fleet {
            scenario,
            options,
            dims,
            req,
            lim,
            limit_dims,
            usable,
            lim_caps,
            admits,
            by_price,
            limits,
            limits_of,
            has_reservations,
            free_at_least: Vec::new(),
        }
    }

    /// How many of `nodes` count against limit `l`.
    pub fn n_limited(&self, nodes: &[NodeState], l: usize) -> u64 {
        nodes.iter().filter(|n| self.limits_of[n.opt].contains(&l)).count() as u64
    }

    /// True when a node of option `to` may be added (or may replace a node of option `from`)
    /// without exceeding a count limit.
    pub fn limits_allow(&self, nodes: &[NodeState], from: Option<usize>, to: usize) -> bool {
        self.limits_of[to].iter().all(|&l| {
            from.is_some_and(|f| self.limits_of[f].contains(&l))
                || self.n_limited(nodes, l) < u64::from(self.limits[l].max_count)
        })
    }

    /// True when no count limit is exceeded.
    pub fn limits_hold(&self, nodes: &[NodeState]) -> bool {
        (0..self.limits.len())
            .all(|l| self.n_limited(nodes, l) <= u64::from(self.limits[l].max_count))
    }

    /// An empty node of option `opt`.
    pub fn empty_node(&self, opt: usize) -> NodeState {
        NodeState {
            opt,
            free: self.usable[opt].clone(),
            lim_free: self.lim_caps[opt].clone(),
            counts: BTreeMap::new(),
        }
    }

    /// How many more pods of workload `w` fit on `node` (0 when the option does not admit it).
    pub fn room_for(&self, node: &NodeState, w: usize) -> u64 {
        if !self.admits[w][node.opt] {
            return 0;
        }
        let mut room = u64::MAX;
        for (need, free) in self.req[w].iter().zip(&node.free) {
            if *need > 0 {
                room = room.min(free / need);
            }
        }
        for (need, free) in self.lim[w].iter().zip(&node.lim_free) {
            if *need > 0 {
                room = room.min(free / need);
            }
        }
        if let Some(m) = self.scenario.workloads[w].max_per_node {
            room = room.min(u64::from(m).saturating_sub(u64::from(node.count(w))));
        }
        room
    }

    /// Places `n` pods of workload `w` on `node`; the caller has checked [`Fleet::room_for`].
    pub fn place(&self, node: &mut NodeState, w: usize, n: u32) {
        for (free, need) in node.free.iter_mut().zip(&self.req[w]) {
            *free = free.saturating_sub(need.saturating_mul(u64::from(n)));
        }
        for (free, need) in node.lim_free.iter_mut().zip(&self.lim[w]) {
            *free = free.saturating_sub(need.saturating_mul(u64::from(n)));
        }
        *node.counts.entry(w).or_insert(0) += n;
    }

    /// Places up to `count` pods of workload `w` first fit on `nodes`, in their order; returns
    /// how many found no room.
    pub fn first_fit<'n>(
        &self,
        nodes: impl IntoIterator<Item = &'n mut NodeState>,
        w: usize,
        count: u32,
    ) -> u32 {
        let mut left = count;
        for node in nodes {
            if left == 0 {
                break;
            }
            let room = self.room_for(node, w).min(u64::from(left)) as u32;
            if room > 0 {
                self.place(node, w, room);
                left -= room;
            }
        }
        left
    }

    /// Removes `n` pods of workload `w` from `node`.
    pub fn remove(&self, node: &mut NodeState, w: usize, n: u32) {
        let have = node.counts.get(&w).copied().unwrap_or(0);
        let n = n.min(have);
        for (free, need) in node.free.iter_mut().zip(&self.req[w]) {
            *free = free.saturating_add(need.saturating_mul(u64::from(n)));
        }
        for (free, need) in node.lim_free.iter_mut().zip(&self.lim[w]) {
            *free = free.saturating_add(need.saturating_mul(u64::from(n)));
        }
        if have == n {
            node.counts.remove(&w);
        } else {
            node.counts.insert(w, have - n);
        }
    }

    /// True when everything on `node` would fit on an empty node of option `opt`.
    pub fn content_fits(&self, node: &NodeState, opt: usize) -> bool {
        let mut probe = self.empty_node(opt);
        for (&w, &c) in &node.counts {
            if self.room_for(&probe, w) < u64::from(c) {
                return false;
            }
            self.place(&mut probe, w, c);
        }
        true
    }

    /// Workload order for first-fit decreasing: by CPU request, then memory, descending; then by key.
    pub fn decreasing_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.scenario.workloads.len()).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&self.req[a], &self.req[b]);
            rb[0].cmp(&ra[0]).then(rb[1].cmp(&ra[1])).then_with(|| {
                let (wa, wb) = (&self.scenario.workloads[a], &self.scenario.workloads[b]);
                wa.key().cmp(&wb.key())
            })
        });
        order
    }
}

/// One node: its option, free capacity and replica counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeState {
    /// Index of the node option.
    pub opt: usize,
    /// Free request capacity per dimension.
    pub free: Vec<u64>,
    /// Free limit capacity per capped dimension.
    pub lim_free: Vec<u64>,
    /// Replicas per workload index.
    pub counts: BTreeMap<usize, u32>,
}

impl NodeState {
    /// Replicas of workload `w` on this node.
    pub fn count(&self, w: usize) -> u32 {
        self.counts.get(&w).copied().unwrap_or(0)
    }

    /// True when the node holds no pods.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}
