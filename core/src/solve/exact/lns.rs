//! Large-neighbourhood search: free a few nodes of one zone and purchase class, re-pack their
//! pods with every greedy packer, and keep the cheapest re-pack when it costs less than the
//! nodes it replaces and every rule still holds; then compact the result (`greedy/compact.rs`).
//!
//! Neighbourhoods rotate over the classes (zone, spot or not, node pool) and over three ways
//! of choosing nodes: the most wasteful ones (the largest share of CPU and memory left free),
//! a sample of the most wasteful few, and a sample of the whole class. The samples come from a
//! fixed-seed generator, so the search is the same on every run. Its budget is a number of
//! neighbourhoods ([`Budgets::lns_attempts`](crate::solve::Budgets::lns_attempts)).

use std::collections::BTreeMap;

use super::colgen::Engine;
use super::incumbent::{Incumbent, Source};
use crate::fit::{NodeState, headroom};
use crate::policy::{Headroom, PPM};
use crate::solve::ffd::{self, Batch, pool_of};
use crate::solve::greedy::{GreedyRun, Heuristic, Packer};

/// A fixed-seed xorshift generator: the neighbourhood samples, the same on every run.
struct Sampler(u64);

impl Sampler {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x % n.max(1) as u64) as usize
    }
}

/// The seed of the neighbourhood samples.
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// Runs the search on the incumbent and takes what it finds.
pub(super) fn search(eng: &mut Engine<'_, '_, '_>, best: &mut Incumbent) {
    let fleet = eng.m.fleet;
    let budgets = eng.budgets;
    let n = best.nodes.len().max(1);
    let attempts = budgets
        .lns_attempts
        .min(budgets.lns_attempts_per_node.saturating_mul(n))
        .min(budgets.lns_node_visits / n);
    // The bin-centric packers re-pack a neighbourhood best; the best-fit ones only add time.
    let runs: Vec<GreedyRun> = GreedyRun::all(&budgets)
        .into_iter()
        .filter(|r| matches!(r.heuristic, Heuristic::Presized | Heuristic::VectorBalance))
        .collect();
    let mut nodes = best.nodes.clone();
    let mut rng = Sampler(SEED);
    let mut classes = classes_of(eng, &nodes);
    let mut improved = false;
    for a in 0..attempts {
        if eng.past_deadline() {
            break;
        }
        let busy: Vec<&Vec<usize>> = classes.values().filter(|c| c.len() >= 2).collect();
        if busy.is_empty() {
            break;
        }
        eng.stats.lns_attempts += 1;
        let class = busy[(a / 3) % busy.len()];
        let k = budgets.lns_nodes.min(class.len());
        let freed: Vec<usize> = match a % 3 {
            0 => class[..k].to_vec(),
            1 => sample(&mut rng, &class[..(3 * k).min(class.len())], k),
            _ => sample(&mut rng, class, k),
        };
        if let Some(new) = repack(eng, &nodes, &freed, &runs) {
            let mut mask = vec![false; nodes.len()];
            for &i in &freed {
                mask[i] = true;
            }
            let mut cand: Vec<NodeState> = nodes
                .iter()
                .enumerate()
                .filter(|(i, _)| !mask[*i])
                .map(|(_, n)| n.clone())
                .collect();
            cand.extend(new);
            let h = fleet.scenario.policy.headroom;
            if h == Headroom::None || headroom::check(fleet, &cand, h).is_empty() {
                eng.stats.lns_moves += 1;
                nodes = cand;
                classes = classes_of(eng, &nodes);
                improved = true;
            }
        }
    }
    // The neighbourhoods' re-packs leave each node rounded up to its option: compaction (and
    // the greedy plans' repairs: spot share, headroom spares, pool minimums) takes what it can.
    if let Ok(compacted) =
        crate::solve::greedy::finish(fleet, nodes.clone(), budgets.compact_final_visits)
        && super::incumbent::cost(fleet, &compacted) < super::incumbent::cost(fleet, &nodes) - 1e-9
    {
        nodes = compacted;
        improved = true;
    }
    if improved {
        let cost = super::incumbent::cost(fleet, &nodes);
        if cost < best.cost - 1e-9 {
            *best = Incumbent { nodes, cost, source: Source::Lns };
            eng.stats.improved_by.record(Source::Lns);
        }
    }
}

/// `k` distinct entries of `from`, in their order there.
fn sample(rng: &mut Sampler, from: &[usize], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..from.len()).collect();
    for i in 0..k.min(idx.len()) {
        let j = i + rng.below(idx.len() - i);
        idx.swap(i, j);
    }
    let mut chosen: Vec<usize> = idx[..k.min(idx.len())].to_vec();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| from[i]).collect()
}

/// The nodes by class (zone, spot, pool), each class most wasteful first (ties by index).
fn classes_of(
    eng: &Engine<'_, '_, '_>,
    nodes: &[NodeState],
) -> BTreeMap<(String, bool, Option<usize>), Vec<usize>> {
    let fleet = eng.m.fleet;
    let mut classes: BTreeMap<(String, bool, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.is_empty() {
            continue;
        }
        let o = &fleet.options[n.opt];
        classes
            .entry((o.zone.clone(), o.purchase.is_spot(), pool_of(fleet, n.opt)))
            .or_default()
            .push(i);
    }
    let waste = |i: usize| {
        let n = &nodes[i];
        let u = &fleet.usable[n.opt];
        let share = |d: usize| if u[d] == 0 { 0.0 } else { n.free[d] as f64 / u[d] as f64 };
        share(0) + share(1)
    };
    for class in classes.values_mut() {
        class.sort_by(|&a, &b| waste(b).total_cmp(&waste(a)).then(a.cmp(&b)));
    }
    classes
}

/// The cheapest re-pack of the `freed` nodes' pods, when it costs less than they do and keeps
/// the spot share and the node pools' bounds.
fn repack(
    eng: &Engine<'_, '_, '_>,
    nodes: &[NodeState],
    freed: &[usize],
    runs: &[GreedyRun],
) -> Option<Vec<NodeState>> {
    let fleet = eng.m.fleet;
    let scenario = fleet.scenario;
    let mut demand: BTreeMap<(usize, Option<usize>, bool), u32> = BTreeMap::new();
    let mut old_cost = 0.0;
    for &i in freed {
        let opt = &fleet.options[nodes[i].opt];
        old_cost += opt.price.0;
        // The pods keep their zone (a scenario without zones has one, unnamed).
        let zone = scenario.zones.iter().position(|z| *z == opt.zone);
        for (&w, &c) in &nodes[i].counts {
            // Pods off spot may count towards an on-demand floor: they stay off spot.
            let spot_ok = opt.purchase.is_spot();
            *demand.entry((w, zone, spot_ok)).or_insert(0) += c;
        }
    }
    let batches: Vec<Batch> = demand
        .into_iter()
        .map(|((workload, zone, spot_ok), count)| Batch { workload, zone, spot_ok, count })
        .collect();
    let mut mask = vec![false; nodes.len()];
    for &i in freed {
        mask[i] = true;
    }
    let outside: Vec<usize> =
        nodes.iter().enumerate().filter(|(i, _)| !mask[*i]).map(|(_, n)| n.opt).collect();
    let base = Packer::new(fleet, u64::MAX).beside(&outside);
    let mut best: Option<(f64, Vec<NodeState>)> = None;
    for run in runs {
        let mut p = base.clone().with_max_cpu(run.max_node_cpu);
        if !p.run(&batches, run.heuristic, &eng.budgets) {
            continue;
        }
        let mut new = p.nodes;
        ffd::shrink(fleet, &mut new);
        let cost: f64 = new.iter().map(|n| fleet.options[n.opt].price.0).sum();
        if best.as_ref().is_none_or(|(c, _)| cost < *c - 1e-9) {
            best = Some((cost, new));
        }
    }
    let (cost, new) = best?;
    if cost >= old_cost - 1e-9 {
        return None;
    }
    // The spot share and the pools' bounds over the whole plan.
    let (mut spot, mut total) = (0u128, 0u128);
    let mut per_pool = vec![0u64; scenario.node_pools.len()];
    for o in outside.iter().copied().chain(new.iter().map(|n| n.opt)) {
        let opt = &fleet.options[o];
        let c = u128::from(opt.capacity.cpu.0);
        total += c;
        if opt.purchase.is_spot() {
            spot += c;
        }
        if let Some(p) = pool_of(fleet, o) {
            per_pool[p] += 1;
        }
    }
    if spot * u128::from(PPM) > u128::from(scenario.policy.spot_max_share) * total {
        return None;
    }
    let pools_ok = scenario.node_pools.iter().zip(&per_pool).all(|(pool, &n)| {
        n >= u64::from(pool.min_nodes) && pool.max_nodes.is_none_or(|m| n <= u64::from(m))
    });
    pools_ok.then_some(new)
}
