//! Dominance pruning: a node option no cheaper, no larger and no more admissive than another of its class is never needed.

use crate::fit::Fleet;

/// For every fleet option, the kept option that dominates it (or itself); `None` for options
/// no pod may use (or, with node pools, that belong to no pool).
///
/// An option dominates another of the same zone, node pool, count limits and spot class when it is no
/// dearer, has at least the vCPU (the spot share counts vCPU; spot options must have the same
/// vCPU), is at least as large in every usable and limit dimension, and admits every workload
/// the other admits. Among dominators the cheapest wins, then the lowest index; chains resolve
/// so that every dominator is itself kept.
pub(super) fn dominators(fleet: &Fleet<'_>, pool: &[Option<usize>]) -> Vec<Option<usize>> {
    let scenario = fleet.scenario;
    let n_opts = fleet.options.len();
    let usable_any = |o: usize| (0..scenario.workloads.len()).any(|w| fleet.admits[w][o]);
    let allowed = |o: usize| usable_any(o) && (scenario.node_pools.is_empty() || pool[o].is_some());
    let mut dominator: Vec<Option<usize>> = vec![None; n_opts];
    let cands: Vec<usize> = (0..n_opts).filter(|&o| allowed(o)).collect();
    for &o in &cands {
        dominator[o] = Some(best_dominator(fleet, pool, &cands, o));
    }
    resolve_chains(&mut dominator);
    dominator
}

/// The cheapest (then lowest-index) candidate that dominates option `o`, or `o` itself.
fn best_dominator(fleet: &Fleet<'_>, pool: &[Option<usize>], cands: &[usize], o: usize) -> usize {
    let scenario = fleet.scenario;
    let oo = &fleet.options[o];
    let mut dom = o;
    for &p in cands {
        if p == o {
            continue;
        }
        let po = &fleet.options[p];
        if po.zone != oo.zone
            || po.purchase.is_spot() != oo.purchase.is_spot()
            || pool[p] != pool[o]
            || fleet.limits_of[p] != fleet.limits_of[o]
        {
            continue;
        }
        if po.purchase.is_spot() && po.capacity.cpu != oo.capacity.cpu {
            continue;
        }
        if po.price.0 > oo.price.0 || po.capacity.cpu < oo.capacity.cpu {
            continue;
        }
        let bigger = fleet.usable[p].iter().zip(&fleet.usable[o]).all(|(a, b)| a >= b)
            && fleet.lim_caps[p].iter().zip(&fleet.lim_caps[o]).all(|(a, b)| a >= b)
            && (0..scenario.workloads.len()).all(|w| !fleet.admits[w][o] || fleet.admits[w][p]);
        if !bigger {
            continue;
        }
        let strictly = po.price.0 < oo.price.0
            || fleet.usable[p] != fleet.usable[o]
            || fleet.lim_caps[p] != fleet.lim_caps[o]
            || po.capacity.cpu != oo.capacity.cpu;
        if strictly || p < o {
            // Prefer the cheapest dominator, then the lowest index.
            let better = dom == o
                || po.price.0 < fleet.options[dom].price.0
                || (po.price.0 == fleet.options[dom].price.0 && p < dom);
            if better {
                dom = p;
            }
        }
    }
    dom
}

/// Follows dominator chains so every dominator is itself kept.
fn resolve_chains(dominator: &mut [Option<usize>]) {
    let n_opts = dominator.len();
    for o in 0..n_opts {
        let mut d = dominator[o];
        let mut steps = 0;
        while let Some(x) = d {
            if dominator[x] == Some(x) || steps > n_opts {
                break;
            }
            d = dominator[x];
            steps += 1;
        }
        dominator[o] = d;
    }
}
