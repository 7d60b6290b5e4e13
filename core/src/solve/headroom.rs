//! Headroom inside the engine: plans shaped by it, and a lower bound that counts it.
//!
//! **Shaped plans.** Adding spare nodes to the cheapest plan without headroom is one way to
//! survive a loss; spreading the slack over every node is often cheaper (a loss is absorbed by
//! the survivors' free capacity). So the engine also plans the scenario without headroom and
//! with every node's requests capped at a fraction `t` of its usable capacity — `n/(n+k)` for
//! `headroom: node`, where `n` is the node count of the plan without headroom, and
//! `(Z−1)/Z` less a tenth per further shape for `headroom: zone` over `Z` zones, for
//! `k = 1 ..=` the budgets' `headroom_shapes_node` or `headroom_shapes_zone` — and offers each
//! plan, with the plain one,
//! repaired to the full rules (spares added until the headroom test passes), as a starting
//! incumbent. The cheapest repaired candidate wins; none can make the plan dearer.
//!
//! **The bound.** The headroom test re-packs a lost node's (or zone's) pods into the survivors
//! under every placement rule but zone spread and the spot share. So the survivors of any plan
//! `P` that passes it are a plan of the *relaxed* scenario: headroom none, no on-demand floor, no
//! zone spread, no node-pool minimums (a loss may break those for a while), and a spot share that
//! allows for the loss: any share under zone headroom, under node headroom the share a plan's
//! survivors keep ([`node_loss_share`]).
//! With `L` a lower bound on that scenario's plans:
//! - `headroom: node`: for the node `k` holding the pod hardest to place,
//!   `cost(P) = cost(P∖k) + cost(k) ≥ L + c`, where `c` is the largest, over workloads, of the
//!   cheapest option that admits one of its pods;
//! - `headroom: zone` over `Z ≥ 2` zones: `cost(P) − cost(P_z) ≥ L` for every zone `z`; summed
//!   over the zones, `(Z − 1)·cost(P) ≥ Z·L`, so `cost(P) ≥ L·Z/(Z − 1)`.
//!
//! **The bound by the largest node** (`headroom: node`). Every plan that passes the test falls
//! in the class of its largest node `k` by usable CPU, `U`: its options have at most `U`, and
//! as `k`'s pods fit in the other nodes' free capacity, the plan keeps free, in all, at least
//! `k`'s usable capacity in every dimension (`k`'s own free part plus room for its pods),
//! which is at least the least usable capacity of an option of CPU `U`. Each class is bounded
//! by the master over its options with that free capacity as the node-loss rows' right-hand
//! side ([`Fleet::free_at_least`]), and the least of the classes' bounds holds for every plan.
//! The classes with the least bounds are also planned whole: their plans keep every rule and
//! are starting incumbents (a plan of many small nodes often absorbs a loss more cheaply than
//! spares added to a plan of large ones).
//!
//! The engine's bound is the larger of its own (master rows with two weaker necessary
//! conditions) and these.

use std::collections::BTreeMap;

use super::{Budgets, SolveConfig, exact, ffd, precheck};
use crate::fit::headroom::check;
use crate::fit::{Fleet, NodeState};
use crate::policy::{Headroom, PPM, Ratios};
use crate::scenario::Scenario;

/// A plan of a scenario derived from the one being solved: node options by index (the same
/// options, in the same order) and replicas per workload index.
struct Derived {
    nodes: Vec<(usize, BTreeMap<usize, u32>)>,
    bound: Option<f64>,
}

/// Plans `scenario` (which shares `fleet`'s node options and workloads) with the exact engine
/// on `cfg`'s budgets, within `deadline`; `None` when its options differ or it has no plan.
fn plan_derived(
    fleet: &Fleet<'_>,
    scenario: &Scenario,
    cfg: &SolveConfig<'_>,
    deadline: Option<f64>,
) -> Option<Derived> {
    let built = scenario.node_options();
    let options = built.output;
    let same = options.len() == fleet.options.len()
        && options.iter().zip(fleet.options).all(|(a, b)| {
            a.instance_type == b.instance_type && a.purchase == b.purchase && a.zone == b.zone
        });
    if !same || scenario.workloads.len() != fleet.scenario.workloads.len() {
        return None;
    }
    let derived = Fleet::new(scenario, &options);
    precheck(&derived).ok()?;
    let ffd_nodes = ffd::pack(&derived).ok()?;
    let out = exact::solve(&derived, &ffd_nodes, &exact::Starts::default(), cfg, deadline);
    let nodes = if out.greedy { ffd_nodes } else { out.nodes };
    let bound = if out.greedy { None } else { out.bound };
    Some(Derived { nodes: nodes.into_iter().map(|n| (n.opt, n.counts)).collect(), bound })
}

/// The scenario without headroom whose every node is used to at most `t_ppm` of its capacity.
fn capped(scenario: &Scenario, t_ppm: u64) -> Scenario {
    let mut s = scenario.clone();
    s.policy.headroom = Headroom::None;
    let u = &s.policy.utilization;
    s.policy.utilization =
        Ratios { cpu: u.cpu.min(t_ppm), memory: u.memory.min(t_ppm), other: u.other };
    s
}

/// The relaxed scenario of the bound (see the module's text).
fn relaxed(fleet: &Fleet<'_>) -> Scenario {
    let scenario = fleet.scenario;
    let mut s = scenario.clone();
    s.policy.headroom = Headroom::None;
    s.policy.spot_max_share = match scenario.policy.headroom {
        Headroom::Node => node_loss_share(fleet),
        _ => PPM,
    };
    s.policy.on_demand_floor = false;
    for w in &mut s.workloads {
        w.zone_spread = None;
    }
    for p in &mut s.node_pools {
        p.min_nodes = 0;
    }
    s
}

/// The spot share the survivors of one lost node keep: with `s` the share, `V` the largest
/// option's vCPU and `C` the least vCPU that holds every pod's CPU requests, the survivors'
/// spot vCPU is at most `s·(cpu(P∖k) + V) ≤ s·(1 + V/C)·cpu(P∖k)`, as `cpu(P∖k) ≥ C`.
fn node_loss_share(fleet: &Fleet<'_>) -> u64 {
    let share = fleet.scenario.policy.spot_max_share;
    if share == 0 || share >= PPM {
        return share.min(PPM);
    }
    let largest = fleet.options.iter().map(|o| o.capacity.cpu.0).max().unwrap_or(0) as f64;
    // The most usable CPU per vCPU of any option.
    let per_vcpu = (0..fleet.options.len())
        .filter(|&o| fleet.options[o].capacity.cpu.0 > 0)
        .map(|o| fleet.usable[o][0] as f64 / fleet.options[o].capacity.cpu.0 as f64)
        .fold(0.0, f64::max);
    let requests: f64 = (0..fleet.scenario.workloads.len())
        .map(|w| f64::from(fleet.scenario.workloads[w].replicas) * fleet.req[w][0] as f64)
        .sum();
    if per_vcpu <= 0.0 || requests <= 0.0 {
        return PPM;
    }
    let least = requests / per_vcpu;
    let relaxed = (share as f64 * (1.0 + largest / least)).ceil();
    if relaxed >= PPM as f64 { PPM } else { relaxed as u64 }
}

/// What headroom adds to the engine: shaped starting plans (as nodes of `fleet`) and a bound.
pub(super) struct Shaped {
    /// Plans to repair to the full rules.
    pub(super) starts: Vec<Vec<NodeState>>,
    /// Plans that keep every rule as they are.
    pub(super) valid: Vec<Vec<NodeState>>,
    pub(super) bound: Option<f64>,
}

/// Shaped plans and the headroom bound for `fleet`'s scenario; nothing without headroom, or
/// when the budgets give headroom no solves.
pub(super) fn shape(
    fleet: &Fleet<'_>,
    cfg: &SolveConfig<'_>,
    budgets: &Budgets,
    deadline: Option<f64>,
) -> Shaped {
    let scenario = fleet.scenario;
    let headroom = scenario.policy.headroom;
    let mut shaped = Shaped { starts: Vec::new(), valid: Vec::new(), bound: None };
    let zones = scenario.zones.len() as u64;
    let shapes = match headroom {
        Headroom::None => return shaped,
        Headroom::Node => budgets.headroom_shapes_node,
        Headroom::Zone => budgets.headroom_shapes_zone,
    };
    if scenario.n_pods() > budgets.headroom_max_pods || (headroom == Headroom::Zone && zones < 2) {
        return shaped;
    }
    let classes =
        if headroom == Headroom::Node && scenario.n_pods() <= budgets.headroom_classes_max_pods {
            loss_classes(fleet)
        } else {
            Vec::new()
        };
    // Each derived solve gets an equal share of what is left of a time limit (half of it: the
    // engine's own solve follows).
    let class_plans = budgets.headroom_class_plans.min(classes.len());
    let solves = if shapes == 0 { 1 } else { shapes + 2 } + classes.len() + class_plans;
    let share = |k: usize| {
        deadline.map(|d| {
            let now = cfg.clock.now();
            now + (d - now).max(0.0) / (solves - k) as f64 / 2.0
        })
    };
    let plain_scenario = capped(scenario, PPM);
    let mut plain_bound = None;
    if shapes > 0 {
        let Some(plain) = plan_derived(fleet, &plain_scenario, cfg, share(0)) else {
            return shaped;
        };
        let n = plain.nodes.len() as u64;
        plain_bound = Some(plain.bound);
        let mut plans = vec![plain];
        for k in 1..=shapes as u64 {
            let t = match headroom {
                Headroom::Zone => PPM * (zones - 1) / zones * (10 - k + 1) / 10,
                _ => PPM * n / (n + k),
            };
            if let Some(p) = plan_derived(fleet, &capped(scenario, t), cfg, share(k as usize)) {
                plans.push(p);
            }
        }
        shaped.starts = plans.iter().map(|p| in_fleet(fleet, &p.nodes)).collect();
    }
    let relax = relaxed(fleet);
    let lower = match plain_bound {
        Some(b) if relax == plain_scenario => b,
        _ => {
            // Only its bound is used: the integer phases are left out.
            let cfg = SolveConfig { budgets: Some(bound_only(budgets)), ..*cfg };
            plan_derived(fleet, &relax, &cfg, share(solves - 1 - classes.len() - class_plans))
                .and_then(|p| p.bound)
        }
    };
    shaped.bound = lower.map(|l| match headroom {
        Headroom::Zone => l * zones as f64 / (zones - 1) as f64,
        _ => l + hardest_pod_node(fleet),
    });
    if !classes.is_empty() {
        let first = solves - classes.len() - class_plans;
        let bound_only = bound_only(budgets);
        let bound_cfg = SolveConfig { budgets: Some(bound_only), ..*cfg };
        // Every class is bounded (until one's bound is no better than the bound already known:
        // the least then cannot raise it); the classes with the least bounds are then planned
        // whole.
        let mut bounds: Vec<(f64, usize)> = Vec::new();
        let mut complete = true;
        for (k, class) in classes.iter().enumerate() {
            match plan_class(fleet, class, &bound_cfg, share(first + k)) {
                ClassPlan::None => {}
                ClassPlan::Planned(p) => {
                    let b = p.bound.unwrap_or(0.0);
                    bounds.push((b, k));
                    if shaped.bound.is_some_and(|known| b <= known) {
                        complete = false;
                        break;
                    }
                }
                ClassPlan::Unbounded => complete = false,
            }
        }
        bounds.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if complete && let Some(&(least, _)) = bounds.first() {
            shaped.bound = Some(shaped.bound.map_or(least, |b| b.max(least)));
        }
        for (j, &(_, k)) in bounds.iter().take(class_plans).enumerate() {
            let deadline = share(first + classes.len() + j);
            if let ClassPlan::Planned(p) = plan_class(fleet, &classes[k], cfg, deadline) {
                // The class's plan keeps every rule of `fleet` (its options are `fleet`'s,
                // its pods admitted by fewer); the headroom test is run again, as the
                // re-pack's outcome is `fleet`'s to decide.
                let nodes = in_fleet(fleet, &p.nodes);
                if check(fleet, &nodes, Headroom::Node).is_empty() {
                    shaped.valid.push(nodes.clone());
                }
                shaped.starts.push(nodes);
            }
        }
    }
    shaped
}

/// `budgets` for a solve whose bound alone is used: no integer phases, and the fewest greedy runs.
fn bound_only(budgets: &Budgets) -> Budgets {
    Budgets {
        dive_steps: 0,
        milp_max_columns: 0,
        lns_attempts: 0,
        improve_max_nodes: 0,
        greedy_placements: 0,
        ..*budgets
    }
}

/// The plans whose largest node (by usable CPU) has usable CPU `cpu`. Their options have at
/// most that, and the free capacity they keep in total is at least `free` in every dimension
/// (see [`loss_classes`]).
struct LossClass {
    cpu: u64,
    free: Vec<u64>,
}

/// Under `headroom: node`, one class per usable CPU among the options some pod may use.
///
/// Every plan that passes the test belongs to the class of its largest node `k`: its
/// options have no more usable CPU than `k`'s, and, as `k`'s pods fit in the others' free
/// capacity, the plan's free capacity in all is at least `k`'s usable capacity, which is at
/// least the least usable capacity of an option of that CPU, in every dimension. Each class
/// is planned with those two conditions (the second as the master's node-loss rows), and the
/// least of the classes' bounds is a bound on every plan.
fn loss_classes(fleet: &Fleet<'_>) -> Vec<LossClass> {
    let used: Vec<usize> = (0..fleet.options.len())
        .filter(|&o| (0..fleet.scenario.workloads.len()).any(|w| fleet.admits[w][o]))
        .collect();
    let mut cpus: Vec<u64> = used.iter().map(|&o| fleet.usable[o][0]).collect();
    cpus.sort_unstable();
    cpus.dedup();
    cpus.into_iter()
        .map(|cpu| {
            let of_cpu = || used.iter().filter(move |&&o| fleet.usable[o][0] == cpu);
            let free = (0..fleet.dims.len())
                .map(|d| of_cpu().map(|&o| fleet.usable[o][d]).min().unwrap_or(0))
                .collect();
            LossClass { cpu, free }
        })
        .collect()
}

/// What planning one class gave.
enum ClassPlan {
    /// No plan has its largest node in the class (some pod fits no option small enough).
    None,
    /// The class's plan, with its bound.
    Planned(Derived),
    /// The class was not planned to a bound: the classes' bound does not hold.
    Unbounded,
}

/// Plans one node-loss class: `fleet` with the options above the class's CPU closed to every
/// pod and the class's free capacity in the master.
fn plan_class(
    fleet: &Fleet<'_>,
    class: &LossClass,
    cfg: &SolveConfig<'_>,
    deadline: Option<f64>,
) -> ClassPlan {
    let mut derived = fleet.clone();
    for admits in &mut derived.admits {
        for (o, a) in admits.iter_mut().enumerate() {
            *a = *a && fleet.usable[o][0] <= class.cpu;
        }
    }
    derived.free_at_least = class.free.clone();
    if precheck(&derived).is_err() {
        return ClassPlan::None;
    }
    let Ok(ffd_nodes) = ffd::pack(&derived) else { return ClassPlan::Unbounded };
    let out = exact::solve(&derived, &ffd_nodes, &exact::Starts::default(), cfg, deadline);
    match (out.greedy, out.bound) {
        (false, Some(bound)) => ClassPlan::Planned(Derived {
            nodes: out.nodes.into_iter().map(|n| (n.opt, n.counts)).collect(),
            bound: Some(bound),
        }),
        _ => ClassPlan::Unbounded,
    }
}

/// The derived plan's nodes, rebuilt in `fleet` (whose capacity holds them: its utilisation is
/// at least the derived scenario's).
fn in_fleet(fleet: &Fleet<'_>, nodes: &[(usize, BTreeMap<usize, u32>)]) -> Vec<NodeState> {
    nodes
        .iter()
        .map(|(opt, counts)| {
            let mut node = fleet.empty_node(*opt);
            for (&w, &c) in counts {
                fleet.place(&mut node, w, c);
            }
            node
        })
        .collect()
}

/// The largest, over workloads with replicas, of the cheapest option admitting one of its pods:
/// a plan has a node at least this dear.
fn hardest_pod_node(fleet: &Fleet<'_>) -> f64 {
    (0..fleet.scenario.workloads.len())
        .filter(|&w| fleet.scenario.workloads[w].replicas > 0)
        .filter_map(|w| {
            (0..fleet.options.len())
                .filter(|&o| fleet.admits[w][o])
                .map(|o| fleet.options[o].price.0)
                .min_by(f64::total_cmp)
        })
        .max_by(f64::total_cmp)
        .unwrap_or(0.0)
}
