//! The plan explained: what each policy in force costs, what one more unit of demand costs, what
//! drives the node count, and the three changes that would save most.
//!
//! [`explain`] takes the scenario, its plan and the configuration the plan was solved with, and
//! re-solves with the same engine, backend and work budgets:
//!
//! - **Price of each policy** ([`PolicyPrice`]): every policy the scenario actually uses is
//!   relaxed one at a time (headroom `node` → `none`, `zone` → `node` and `none`, the spot cap
//!   to 1, the on-demand floor off, zone spread, the utilisation target to 1, the overcommit
//!   cap, `max_per_node` and anti-affinity, node pools, `max_pods_per_node`), the relaxed
//!   scenario is re-solved, and its plan must pass [`verify`] against the relaxed scenario.
//!   The price is the plan's monthly cost less the relaxed plan's; a relaxation can never make
//!   the optimum dearer, so a relaxed re-solve that comes out dearer (the engine is a heuristic
//!   when it does not prove optimality) counts as the plan's cost and is flagged
//!   ([`Relaxed::dearer_resolve`]). A policy binds when its price is positive.
//! - **Marginal costs** ([`Marginal`]): one more replica of each workload, from the converged
//!   root master LP's cover duals ([`EngineStats::replica_duals`](crate::solve::EngineStats))
//!   where the exact engine has them, checked by a re-solve with one more replica for the
//!   [`CHECKED_WORKLOADS`] workloads that cost most; one more vCPU and one more GiB of requests
//!   are estimates from the plan (the monthly cost of the pools the resource binds, per usable
//!   unit of it), and are labelled so.
//! - **What drives the node count** ([`PoolDriver`]): per pool (instance type, purchase option,
//!   zone) the binding resource (the highest share of what workloads may use), and per resource
//!   what is stranded (allocatable less requests, DaemonSets included) in units and in money;
//!   the money is the node price split as cost allocation splits it ([`crate::cost::allocation`]:
//!   its idle part per resource). Node-size guidance ([`Guidance`]) names the pools whose
//!   non-binding resource strands more than [`GUIDANCE_SHARE`] of its capacity, with its money.
//! - **Where to look** ([`Change`]): the three changes with the largest monthly savings from the
//!   three above.
//!
//! **Time:** without a time limit every re-solve runs under the plan's own work budgets, so the
//! explanation is deterministic. With one (`SolveConfig::time_limit`), it bounds the whole
//! explanation: each re-solve gets what is left, and the ones that could not start are listed in
//! [`Explanation::skipped`] with [`Explanation::cut_short`] set.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::catalog::PurchaseOption;
use crate::cost::allocation::{self, Cents};
use crate::money::HOURS_PER_MONTH;
use crate::plan::verify::verify;
use crate::plan::{Plan, SolveStatus, node_usage};
use crate::policy::{self, Headroom, Overcommit, PPM, Ratios};
use crate::resources::ResourceName;
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::solve::{SolveConfig, SolveError, solve};
use crate::workload::WorkloadKey;

/// How many of the costliest workloads get a re-solve with one more replica.
pub const CHECKED_WORKLOADS: usize = 3;

/// The share of a resource's capacity left stranded above which node-size guidance speaks.
pub const GUIDANCE_SHARE: f64 = 0.10;

/// How many changes [`Explanation::top_changes`] names.
pub const TOP_CHANGES: usize = 3;

/// The whole explanation of one plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The plan's node cost per month.
    pub plan_monthly: f64,
    /// Every policy in force with its price, the dearest first (ties by name).
    pub policies: Vec<PolicyPrice>,
    /// What one more unit of demand costs.
    pub marginal: Marginal,
    /// What drives the node count, per pool in plan order.
    pub drivers: Vec<PoolDriver>,
    /// Node-size guidance with its money, the dearest first.
    pub guidance: Vec<Guidance>,
    /// The changes that would save most, at most [`TOP_CHANGES`], the largest first.
    pub top_changes: Vec<Change>,
    /// Re-solves made.
    pub resolves: u32,
    /// Seconds the explanation took (its re-solves and the rest), on the caller's clock.
    pub seconds: f64,
    /// True when the time limit ran out before every re-solve could run.
    pub cut_short: bool,
    /// What was not re-solved because the time ran out, by label.
    pub skipped: Vec<String>,
}

/// Why a re-solve gave no plan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unresolved {
    /// The explanation's time limit was spent before this re-solve.
    #[error("not re-solved: the time limit ran out")]
    TimeRanOut,
    /// No plan exists for the changed scenario.
    #[error("infeasible: {}", .0.reason)]
    Infeasible(crate::solve::Infeasible),
    /// The solve failed otherwise.
    #[error(transparent)]
    Solve(SolveError),
    /// The re-solved plan fails the verifier (its first violation).
    #[error("the re-solved plan fails the verifier: {0}")]
    Unverified(String),
}

/// A policy in force and what it costs.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyPrice {
    /// The scenario field (`policy.headroom`, `workloads[].zone_spread` …).
    pub policy: &'static str,
    /// Its value in the scenario.
    pub value: String,
    /// What it is relaxed to.
    pub relaxed_to: String,
    /// The relaxed re-solve, or why there is none (infeasible, cut short).
    pub result: Result<Relaxed, Unresolved>,
}

impl PolicyPrice {
    /// The monthly price when measured, else 0.
    pub fn price_monthly(&self) -> f64 {
        self.result.as_ref().map_or(0.0, |r| r.price_monthly)
    }

    /// `policy.headroom node → none`.
    pub fn label(&self) -> String {
        format!("{} {} → {}", self.policy, self.value, self.relaxed_to)
    }
}

/// A relaxed scenario's re-solve.
#[derive(Clone, Debug, PartialEq)]
pub struct Relaxed {
    /// The relaxed plan's monthly node cost, at most the plan's (see [`Relaxed::dearer_resolve`]).
    pub monthly: f64,
    /// Its nodes.
    pub n_nodes: u64,
    /// The plan's monthly cost less [`Relaxed::monthly`] (never negative).
    pub price_monthly: f64,
    /// True when the price is positive: the policy raises the cost.
    pub binds: bool,
    /// The re-solve came out dearer than the plan (heuristic noise); its cost is then taken as
    /// the plan's, since relaxing a policy cannot raise the optimum.
    pub dearer_resolve: bool,
    /// The re-solve stopped at the time limit.
    pub time_limited: bool,
}

/// What one more unit of demand costs per month.
#[derive(Clone, Debug, PartialEq)]
pub struct Marginal {
    /// One more vCPU of requests (estimate).
    pub vcpu_monthly: f64,
    /// One more GiB of requests (estimate).
    pub gib_monthly: f64,
    /// How the two estimates were made.
    pub unit_basis: String,
    /// True when the master LP's duals are valid (the exact engine's root converged).
    pub duals_valid: bool,
    /// Per workload with replicas, the costliest first (ties by key).
    pub workloads: Vec<ReplicaCost>,
}

/// One more replica of a workload.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaCost {
    /// The workload.
    pub workload: WorkloadKey,
    /// Its replicas in the plan.
    pub replicas: u32,
    /// Its share of the plan's node cost per month (cost allocation, idle excluded).
    pub allocated_monthly: f64,
    /// The master LP's price of one more replica per month, when the duals are valid.
    pub dual_monthly: Option<f64>,
    /// The re-solve with one more replica: its monthly cost less the plan's (whole nodes), or
    /// why there is none; `None` for workloads not checked.
    pub resolved_monthly: Option<Result<f64, Unresolved>>,
}

/// One resource of a pool.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceUse {
    /// The resource (cpu, memory, pods or the GPU resource).
    pub resource: ResourceName,
    /// Allocatable over the pool's nodes.
    pub allocatable: u64,
    /// Requests over the pool's nodes, DaemonSets included.
    pub requested: u64,
    /// Workload requests over what workloads may use (utilisation target, DaemonSets off).
    pub usable_share: f64,
    /// Allocatable less requests.
    pub stranded: u64,
    /// What the stranded part costs per month (cpu, memory and GPU; `None` for pods).
    pub stranded_monthly: Option<f64>,
}

/// What drives the node count of one pool.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolDriver {
    /// Instance type.
    pub instance_type: String,
    /// Purchase option.
    pub purchase: PurchaseOption,
    /// Zone.
    pub zone: String,
    /// Nodes.
    pub n_nodes: u64,
    /// The pool's monthly cost.
    pub monthly: f64,
    /// The resource closest to full, which sets how many nodes the pool needs; `None` for a
    /// pool whose nodes hold no workload pod (spare capacity the headroom policy keeps).
    pub binding: Option<ResourceName>,
    /// Every resource the pool's nodes offer (cpu, memory, pods, GPUs).
    pub resources: Vec<ResourceUse>,
}

/// Node-size guidance: a pool type that strands a resource, with its money.
#[derive(Clone, Debug, PartialEq)]
pub struct Guidance {
    /// Instance type.
    pub instance_type: String,
    /// The stranded resource.
    pub resource: ResourceName,
    /// The binding resource of those nodes.
    pub binding: ResourceName,
    /// Stranded share of the resource's allocatable.
    pub stranded_share: f64,
    /// What the stranded part costs per month.
    pub monthly: f64,
}

impl Guidance {
    /// "m5.2xlarge nodes strand 22% of their memory (cpu binds): $X/month".
    pub fn sentence(&self) -> String {
        format!(
            "{} nodes strand {:.0}% of their {} ({} binds): {}/month; a type with a different CPU:memory ratio would waste less",
            self.instance_type,
            100.0 * self.stranded_share,
            self.resource,
            self.binding,
            crate::money::format_usd(self.monthly)
        )
    }
}

/// Where a change comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Relaxing a policy (measured by a re-solve).
    Policy,
    /// A node type that strands less (the stranded money, an upper bound).
    NodeSize,
    /// One replica fewer of a workload (the master LP's dual, an estimate).
    Replica,
}

impl ChangeKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Policy => "policy",
            ChangeKind::NodeSize => "node_size",
            ChangeKind::Replica => "replica",
        }
    }
}

/// One of the changes that would save most.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where it comes from.
    pub kind: ChangeKind,
    /// What to change, in a sentence.
    pub what: String,
    /// The saving per month.
    pub saving_monthly: f64,
    /// How the saving was found.
    pub basis: &'static str,
}

/// A scenario with one policy relaxed.
struct Relaxation {
    policy: &'static str,
    value: String,
    relaxed_to: String,
    scenario: Scenario,
}

/// The policies of `scenario` that are in force, each with the scenario relaxed.
fn relaxations(scenario: &Scenario) -> Vec<Relaxation> {
    let p = &scenario.policy;
    let mut res = Vec::new();
    let mut push = |policy: &'static str, value: String, to: &str, f: &dyn Fn(&mut Scenario)| {
        let mut s = scenario.clone();
        f(&mut s);
        res.push(Relaxation { policy, value, relaxed_to: to.to_string(), scenario: s });
    };
    let headroom = |h: Headroom| move |s: &mut Scenario| s.policy.headroom = h;
    match p.headroom {
        Headroom::Node => push("policy.headroom", "node".into(), "none", &headroom(Headroom::None)),
        Headroom::Zone => {
            push("policy.headroom", "zone".into(), "node", &headroom(Headroom::Node));
            push("policy.headroom", "zone".into(), "none", &headroom(Headroom::None));
        }
        Headroom::None => {}
    }
    let spot_offered = scenario.purchase.contains(&PurchaseOption::Spot)
        && scenario.workloads.iter().any(|w| w.spot && w.replicas > 0);
    if spot_offered && p.spot_max_share < PPM {
        push(
            "policy.spot.max_share",
            format!("{}", policy::ppm_to_ratio(p.spot_max_share)),
            "1",
            &|s| s.policy.spot_max_share = PPM,
        );
    }
    if spot_offered && p.spot_max_share > 0 && p.on_demand_floor {
        push("policy.on_demand_floor", "on".into(), "off", &|s| s.policy.on_demand_floor = false);
    }
    let spread = scenario.workloads.iter().filter(|w| w.zone_spread.is_some()).count();
    if spread > 0 && scenario.zones.len() > 1 {
        push("workloads[].zone_spread", counted(spread as u64, "workload"), "none", &|s| {
            s.workloads.iter_mut().for_each(|w| w.zone_spread = None)
        });
    }
    let u = p.utilization;
    if u.cpu < PPM || u.memory < PPM || u.other < PPM {
        let value = if u.cpu == u.memory && u.memory == u.other {
            format!("{}", policy::ppm_to_ratio(u.cpu))
        } else {
            format!(
                "cpu {}, memory {}",
                policy::ppm_to_ratio(u.cpu),
                policy::ppm_to_ratio(u.memory)
            )
        };
        push("policy.utilization", value, "1", &|s| {
            let r = s.policy.utilization;
            s.policy.utilization =
                Ratios { cpu: r.cpu.max(PPM), memory: r.memory.max(PPM), other: r.other.max(PPM) }
        });
    }
    if !p.overcommit.is_none() {
        let value = [("cpu", p.overcommit.cpu), ("memory", p.overcommit.memory)]
            .iter()
            .filter_map(|(n, v)| v.map(|v| format!("{n} {}", policy::ppm_to_ratio(v))))
            .collect::<Vec<_>>()
            .join(", ");
        push("policy.overcommit", value, "none", &|s| s.policy.overcommit = Overcommit::default());
    }
    let capped = scenario
        .workloads
        .iter()
        .filter(|w| w.max_per_node.is_some() || w.anti_affinity.is_some())
        .count();
    if capped > 0 {
        push("workloads[].max_per_node", counted(capped as u64, "workload"), "none", &|s| {
            s.workloads.iter_mut().for_each(|w| {
                w.max_per_node = None;
                w.anti_affinity = None;
            })
        });
    }
    if !scenario.node_pools.is_empty() {
        push("node_pools", counted(scenario.node_pools.len() as u64, "pool"), "none", &|s| {
            s.node_pools.clear()
        });
    }
    if let Some(n) = p.max_pods_per_node {
        push("policy.max_pods_per_node", n.to_string(), "the provider's", &|s| {
            s.policy.max_pods_per_node = None
        });
    }
    res
}

/// The time left for the explanation, and what ran out.
struct Budget<'c, 'a> {
    cfg: &'c SolveConfig<'a>,
    deadline: Option<f64>,
    resolves: u32,
    skipped: Vec<String>,
}

impl Budget<'_, '_> {
    /// Solves `scenario` within what is left and verifies its plan; `Err` says why there is none.
    fn resolve(&mut self, label: &str, scenario: &Scenario) -> Result<Plan, Unresolved> {
        let left = self.deadline.map(|d| d - self.cfg.clock.now());
        if left.is_some_and(|l| l <= 0.0) {
            self.skipped.push(label.to_string());
            return Err(Unresolved::TimeRanOut);
        }
        self.resolves += 1;
        let cfg = SolveConfig { time_limit: left, ..*self.cfg };
        let plan = solve(scenario, &cfg).map_err(|e| match e {
            SolveError::Infeasible(inf) => Unresolved::Infeasible(inf),
            other => Unresolved::Solve(other),
        })?;
        let violations = verify(scenario, &plan);
        match violations.first() {
            None => Ok(plan),
            Some(v) => Err(Unresolved::Unverified(v.message.clone())),
        }
    }
}

/// Explains `plan`, made for `scenario` with `cfg` (see the module docs).
pub fn explain(scenario: &Scenario, plan: &Plan, cfg: &SolveConfig<'_>) -> Explanation {
    let started = cfg.clock.now();
    let mut budget =
        Budget { cfg, deadline: cfg.time_limit.map(|t| started + t), resolves: 0, skipped: vec![] };
    let plan_monthly = plan.hourly().monthly();
    let mut policies: Vec<PolicyPrice> = relaxations(scenario)
        .into_iter()
        .map(|r| {
            let label = format!("{} → {}", r.policy, r.relaxed_to);
            let result = budget.resolve(&label, &r.scenario).map(|p| {
                let resolved = p.hourly().monthly();
                let monthly = resolved.min(plan_monthly);
                let price_monthly = crate::money::round_cents(plan_monthly - monthly);
                Relaxed {
                    monthly,
                    n_nodes: p.nodes.len() as u64,
                    price_monthly,
                    binds: price_monthly > 0.0,
                    dearer_resolve: resolved > plan_monthly + 0.005,
                    time_limited: p.solver.status == SolveStatus::TimeLimit,
                }
            });
            PolicyPrice { policy: r.policy, value: r.value, relaxed_to: r.relaxed_to, result }
        })
        .collect();
    policies.sort_by(|a, b| {
        b.price_monthly().total_cmp(&a.price_monthly()).then_with(|| a.label().cmp(&b.label()))
    });
    let options = scenario.node_options().output;
    let alloc = allocation::allocate(scenario, plan);
    let drivers = drivers(scenario, plan, &options, &alloc);
    let guidance = guidance(&drivers);
    let marginal = marginal(scenario, plan, &alloc, &drivers, &mut budget);
    let top_changes = top_changes(&policies, &guidance, &marginal);
    Explanation {
        plan_monthly,
        policies,
        marginal,
        drivers,
        guidance,
        top_changes,
        resolves: budget.resolves,
        seconds: (cfg.clock.now() - started).max(0.0),
        cut_short: !budget.skipped.is_empty(),
        skipped: budget.skipped,
    }
}

/// Per pool of the plan: its binding resource and what it strands.
fn drivers(
    scenario: &Scenario,
    plan: &Plan,
    options: &[NodeOption],
    alloc: &allocation::Allocation,
) -> Vec<PoolDriver> {
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let idle_of: BTreeMap<&str, Cents> =
        alloc.nodes.iter().map(|n| (n.node.as_str(), n.idle)).collect();
    let mut res = Vec::new();
    for pool in plan.pools() {
        let key = pool.option_key();
        let opt = by_key.get(&key).copied();
        let nodes: Vec<_> = plan.nodes.iter().filter(|n| n.option_key() == key).collect();
        let mut names = vec![ResourceName::Cpu, ResourceName::Memory, ResourceName::Pods];
        let gpu = ResourceName::Extended(crate::resources::NVIDIA_GPU.to_string());
        if nodes.iter().any(|n| n.allocatable.gpus() > 0) {
            names.push(gpu.clone());
        }
        let mut idle = Cents::default();
        let mut resources = Vec::new();
        for n in &nodes {
            let i = idle_of.get(n.name.as_str()).copied().unwrap_or_default();
            idle.cpu += i.cpu;
            idle.memory += i.memory;
            idle.gpu += i.gpu;
        }
        for name in &names {
            let (mut allocatable, mut requested, mut workload_req, mut usable) = (0, 0, 0, 0);
            for n in &nodes {
                let u = node_usage(scenario, n, opt);
                allocatable += u.allocatable.get(name);
                requested += u.requests.get(name);
                let ds = opt.map_or(0, |o| o.daemonset_requests.get(name));
                workload_req += u.requests.get(name).saturating_sub(ds);
                usable += opt.map_or(u.allocatable.get(name), |o| o.usable.get(name));
            }
            let usable_share = if usable == 0 { 0.0 } else { workload_req as f64 / usable as f64 };
            let cents = match name {
                ResourceName::Cpu => Some(idle.cpu),
                ResourceName::Memory => Some(idle.memory),
                ResourceName::Pods => None,
                _ => Some(idle.gpu),
            };
            resources.push(ResourceUse {
                resource: name.clone(),
                allocatable,
                requested,
                usable_share,
                stranded: allocatable.saturating_sub(requested),
                stranded_monthly: cents.map(|c| c as f64 / 100.0),
            });
        }
        let holds_pods = nodes.iter().any(|n| n.pods.iter().any(|p| p.count > 0));
        let binding = resources
            .iter()
            .filter(|_| holds_pods)
            .max_by(|a, b| {
                a.usable_share.total_cmp(&b.usable_share).then_with(|| b.resource.cmp(&a.resource))
            })
            .map(|r| r.resource.clone());
        res.push(PoolDriver {
            instance_type: pool.instance_type.clone(),
            purchase: pool.purchase,
            zone: pool.zone.clone(),
            n_nodes: pool.count,
            monthly: pool.hourly_each.monthly() * pool.count as f64,
            binding,
            resources,
        });
    }
    res
}

/// Node-size guidance per instance type: a non-binding CPU or memory stranded above
/// [`GUIDANCE_SHARE`] of its capacity, with its money (pools of one type summed).
fn guidance(drivers: &[PoolDriver]) -> Vec<Guidance> {
    // (type, stranded resource) -> (binding, stranded, allocatable, money)
    let mut by_type: BTreeMap<(String, ResourceName), (ResourceName, u64, u64, f64)> =
        BTreeMap::new();
    // Spare nodes strand everything by design (the headroom's price says what they cost).
    for d in drivers {
        let Some(binding) = &d.binding else { continue };
        for r in &d.resources {
            let priced = matches!(r.resource, ResourceName::Cpu | ResourceName::Memory);
            if !priced || r.resource == *binding {
                continue;
            }
            let e = by_type.entry((d.instance_type.clone(), r.resource.clone())).or_insert((
                binding.clone(),
                0,
                0,
                0.0,
            ));
            e.1 += r.stranded;
            e.2 += r.allocatable;
            e.3 += r.stranded_monthly.unwrap_or(0.0);
        }
    }
    let mut res: Vec<Guidance> = by_type
        .into_iter()
        .filter_map(|((instance_type, resource), (binding, stranded, allocatable, money))| {
            let share = if allocatable == 0 { 0.0 } else { stranded as f64 / allocatable as f64 };
            (share > GUIDANCE_SHARE && money >= 0.01).then_some(Guidance {
                instance_type,
                resource,
                binding,
                stranded_share: share,
                monthly: crate::money::round_cents(money),
            })
        })
        .collect();
    res.sort_by(|a, b| {
        b.monthly.total_cmp(&a.monthly).then_with(|| a.instance_type.cmp(&b.instance_type))
    });
    res
}

/// Marginal costs: per workload from the duals and re-solves, per vCPU and GiB estimated.
fn marginal(
    scenario: &Scenario,
    plan: &Plan,
    alloc: &allocation::Allocation,
    drivers: &[PoolDriver],
    budget: &mut Budget<'_, '_>,
) -> Marginal {
    let duals = plan.solver.stats.as_ref().and_then(|s| s.replica_duals.as_ref());
    let duals = duals.filter(|d| d.len() == scenario.workloads.len());
    let mut cents: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for node in &alloc.nodes {
        for line in &node.lines {
            if line.owner != allocation::DAEMONSETS {
                *cents.entry((line.namespace.as_str(), line.name.as_str())).or_default() +=
                    line.cents.total();
            }
        }
    }
    let mut workloads: Vec<(usize, ReplicaCost)> = scenario
        .workloads
        .iter()
        .enumerate()
        .filter(|(_, w)| w.replicas > 0)
        .map(|(i, w)| {
            let c = cents.get(&(w.namespace.as_str(), w.name.as_str())).copied().unwrap_or(0);
            let dual =
                duals.and_then(|d| d[i]).map(|h| crate::money::round_cents(h * HOURS_PER_MONTH));
            let cost = ReplicaCost {
                workload: w.key(),
                replicas: w.replicas,
                allocated_monthly: c as f64 / 100.0,
                dual_monthly: dual,
                resolved_monthly: None,
            };
            (i, cost)
        })
        .collect();
    workloads.sort_by(|(_, a), (_, b)| {
        b.allocated_monthly
            .total_cmp(&a.allocated_monthly)
            .then_with(|| a.workload.cmp(&b.workload))
    });
    let plan_monthly = plan.hourly().monthly();
    for (i, cost) in workloads.iter_mut().take(CHECKED_WORKLOADS) {
        let mut s = scenario.clone();
        s.workloads[*i].replicas += 1;
        let label = format!("{} + 1 replica", cost.workload);
        cost.resolved_monthly =
            Some(budget.resolve(&label, &s).map(|p| {
                crate::money::round_cents((p.hourly().monthly() - plan_monthly).max(0.0))
            }));
    }
    // Per unit: the pools where the resource binds, their monthly cost per usable unit.
    let per_unit = |name: ResourceName, unit: f64| {
        let (mut money, mut units) = (0.0, 0.0);
        for d in drivers.iter().filter(|d| d.binding.as_ref() == Some(&name)) {
            if let Some(r) = d.resources.iter().find(|r| r.resource == name) {
                money += d.monthly;
                units += r.allocatable as f64 / unit;
            }
        }
        if units > 0.0 { crate::money::round_cents(money / units) } else { 0.0 }
    };
    Marginal {
        vcpu_monthly: per_unit(ResourceName::Cpu, 1000.0),
        gib_monthly: per_unit(ResourceName::Memory, (1u64 << 30) as f64),
        unit_basis: "estimate: the monthly cost of the pools where the resource binds, per allocatable unit of it; 0 where it binds nowhere (one more unit fits in what is stranded)".to_string(),
        duals_valid: duals.is_some(),
        workloads: workloads.into_iter().map(|(_, c)| c).collect(),
    }
}

/// The changes that would save most, from the three parts above.
fn top_changes(
    policies: &[PolicyPrice],
    guidance: &[Guidance],
    marginal: &Marginal,
) -> Vec<Change> {
    let mut res = Vec::new();
    for p in policies {
        if let Ok(r) = &p.result
            && r.binds
        {
            res.push(Change {
                kind: ChangeKind::Policy,
                what: format!("relax {} from {} to {}", p.policy, p.value, p.relaxed_to),
                saving_monthly: r.price_monthly,
                basis: "re-solved",
            });
        }
    }
    for g in guidance {
        res.push(Change {
            kind: ChangeKind::NodeSize,
            what: format!(
                "{} nodes strand {:.0}% of their {}: pick a type with a different CPU:memory ratio",
                g.instance_type,
                100.0 * g.stranded_share,
                g.resource
            ),
            saving_monthly: g.monthly,
            basis: "stranded capacity, at most",
        });
    }
    for w in &marginal.workloads {
        if let Some(d) = w.dual_monthly
            && d > 0.0
        {
            res.push(Change {
                kind: ChangeKind::Replica,
                what: format!("one replica fewer of {} ({} now)", w.workload, w.replicas),
                saving_monthly: d,
                basis: "the master LP's dual, an estimate",
            });
        }
    }
    res.sort_by(|a, b| {
        b.saving_monthly.total_cmp(&a.saving_monthly).then_with(|| a.what.cmp(&b.what))
    });
    res.truncate(TOP_CHANGES);
    res
}

/// Formats a monthly amount for the text reports (`$270.10/month`).
pub fn per_month(usd: f64) -> String {
    format!("{}/month", crate::money::format_usd(usd))
}

/// `1 node`, `2 nodes` (as the table says it; the reports above this module use it too).
pub(crate) fn counted(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
