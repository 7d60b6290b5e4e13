//! Solving: from a scenario to the cheapest verified plan (exact engine), the greedy baseline
//! (FFD), or what Karpenter would launch (the Karpenter model).
//!
//! [`solve`] is the entry point. The caller supplies the time budget and a [`Clock`]; the core
//! never reads a clock of its own, so it runs unchanged in the browser.

#[cfg(feature = "test-support")]
pub mod bench;
mod budgets;
mod exact;
pub mod ffd;
pub mod greedy;
mod headroom;
pub mod karpenter;
mod knapsack;
pub(crate) mod lp;
#[cfg(test)]
mod tests;

pub use crate::plan::stats::{EngineStats, Improvements, PhaseSeconds};
pub use budgets::{Budgets, default_budgets};
pub use exact::EnginePhase;
pub use lp::LpError;

use std::collections::BTreeMap;
use std::fmt;

use crate::diag::Diagnostic;
use crate::fit::{Fleet, NodeState};
use crate::money::{Price, format_usd};
use crate::plan::{Plan, PlanNode, PodCount, SolveStatus, SolverFacts, finish_nodes};
use crate::policy::{self, LimitMode, kubernetes_limits};
use crate::resources::ResourceName;
use crate::scenario::Scenario;
use crate::workload::WorkloadKey;

/// A source of elapsed time in seconds, supplied by the caller.
pub trait Clock {
    /// Seconds since an arbitrary fixed origin.
    fn now(&self) -> f64;
}

/// A clock that never moves: no time limit is enforced and `seconds` reads 0.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now(&self) -> f64 {
        0.0
    }
}

/// Which packer to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Column generation with a proven lower bound (the default).
    Exact,
    /// First-fit decreasing, the greedy baseline.
    Ffd,
    /// A model of Karpenter v1's provisioning pass (and optionally its consolidation).
    Karpenter,
}

impl Method {
    /// The CLI / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Ffd => "ffd",
            Method::Karpenter => "karpenter",
        }
    }
}

/// Which LP/MILP backend the exact engine uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Pure Rust: clarabel for the LP, microlp for the MILP. Builds everywhere, including wasm32.
    Pure,
    /// HiGHS (native only; the `highs` cargo feature).
    Highs,
}

impl Backend {
    /// The CLI / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Pure => "pure",
            Backend::Highs => "highs",
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = crate::diag::UnknownName;
    fn from_str(s: &str) -> Result<Backend, Self::Err> {
        match s {
            "pure" => Ok(Backend::Pure),
            "highs" => Ok(Backend::Highs),
            _ => Err(crate::diag::UnknownName::new("backend", s, "pure or highs")),
        }
    }
}

/// How to solve.
#[derive(Clone, Copy)]
pub struct SolveConfig<'a> {
    /// The packer.
    pub method: Method,
    /// The LP/MILP backend (exact method only).
    pub backend: Backend,
    /// Stop after this many seconds of the clock with the best plan so far.
    pub time_limit: Option<f64>,
    /// How the Karpenter model runs (the plan with `Method::Karpenter`, the baseline otherwise).
    pub karpenter: karpenter::KarpenterOptions,
    /// The caller's clock.
    pub clock: &'a dyn Clock,
    /// The exact engine's work budgets; `None`: its defaults ([`default_budgets`]).
    pub budgets: Option<Budgets>,
    /// Tests only: a failure to force inside the exact engine.
    #[cfg(any(test, feature = "test-support"))]
    pub fault: Option<Fault>,
}

/// A failure a test forces inside the exact engine, to check that it is reported and survived.
#[cfg(any(test, feature = "test-support"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Every LP (or the MILP) of this phase fails.
    Fail(EnginePhase),
    /// The engine's plan loses a replica before the verifier checks it.
    BreakPlan,
}

impl SolveConfig<'_> {
    /// The phase a test makes fail (never outside tests).
    pub(crate) fn forced_failure(&self) -> Option<EnginePhase> {
        #[cfg(any(test, feature = "test-support"))]
        if let Some(Fault::Fail(phase)) = self.fault {
            return Some(phase);
        }
        None
    }

    /// True when a test breaks the engine's plan before it is verified (never outside tests).
    fn breaks_plan(&self) -> bool {
        #[cfg(any(test, feature = "test-support"))]
        if self.fault == Some(Fault::BreakPlan) {
            return true;
        }
        false
    }
}

impl fmt::Debug for SolveConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveConfig")
            .field("method", &self.method)
            .field("backend", &self.backend)
            .field("time_limit", &self.time_limit)
            .field("karpenter", &self.karpenter)
            .field("budgets", &self.budgets)
            .finish_non_exhaustive()
    }
}

/// The default configuration: first-fit decreasing with no time limit and no clock.
pub fn default_config() -> SolveConfig<'static> {
    SolveConfig {
        method: Method::Ffd,
        backend: Backend::Pure,
        time_limit: None,
        karpenter: karpenter::default_options(),
        clock: &NoClock,
        budgets: None,
        #[cfg(any(test, feature = "test-support"))]
        fault: None,
    }
}

/// No plan exists: which workload fits nowhere, and why.
///
/// ```
/// use kplan_core::input::scenario::read_scenario;
/// use kplan_core::solve::{SolveError, default_config, solve};
/// let text = "name: t\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m5]}\nworkloads:\n  - name: huge\n    requests: {cpu: \"500\", memory: 1Gi}\n";
/// let scenario = read_scenario(text, "t.yaml").output.unwrap();
/// let err = solve(&scenario, &default_config()).unwrap_err();
/// let SolveError::Infeasible(inf) = err else { panic!("expected infeasible") };
/// assert_eq!(inf.workload.unwrap().name, "huge");
/// assert!(inf.reason.contains("cpu"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Infeasible {
    /// The workload that cannot be placed, when one is to blame.
    pub workload: Option<WorkloadKey>,
    /// Why, in a sentence or two.
    pub reason: String,
}

/// Why solving failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// No plan satisfies the scenario.
    #[error("infeasible: {}", .0.reason)]
    Infeasible(Infeasible),
    /// The requested LP/MILP backend is not compiled into this build.
    #[error("the {0} backend is not built in (enable the cargo feature `{0}`)")]
    BackendUnavailable(String),
}

/// Solves a scenario: the plan, its bound and gap (exact method), warnings.
pub fn solve(scenario: &Scenario, cfg: &SolveConfig<'_>) -> Result<Plan, SolveError> {
    let started = cfg.clock.now();
    let built = scenario.node_options();
    let options = built.output;
    let fleet = Fleet::new(scenario, &options);
    precheck(&fleet)?;
    let ffd_nodes = ffd::pack(&fleet)?;
    let ffd_hourly: Price = ffd_nodes.iter().map(|n| options[n.opt].price).sum();
    let karpenter = karpenter::baseline(&fleet, &cfg.karpenter);
    let mut notes = Vec::new();
    let mut engine_warnings = Vec::new();
    let (nodes, facts) = match cfg.method {
        Method::Ffd => {
            let base = baseline_or_note(karpenter, &mut notes);
            (ffd_nodes, greedy_facts(Method::Ffd, cfg.clock.now() - started, ffd_hourly, base))
        }
        Method::Karpenter => {
            let (nodes, base) = karpenter?;
            // Karpenter knows neither kplan's spot share nor its on-demand floor: say so.
            for v in &base.violations {
                notes.push(
                    Diagnostic::warning(format!("Karpenter's plan breaks a kplan policy: {v}"))
                        .with_hint("the verifier rejects this plan; kplan's own plan (--method exact) keeps the policy"),
                );
            }
            let seconds = cfg.clock.now() - started;
            (nodes, greedy_facts(Method::Karpenter, seconds, ffd_hourly, Some(base)))
        }
        Method::Exact => {
            // Karpenter's plan is one of the engine's starting incumbents (repaired to kplan's rules).
            let mut starts = exact::Starts {
                repair: karpenter.as_ref().map(|(n, _)| vec![n.clone()]).unwrap_or_default(),
                valid: Vec::new(),
            };
            // Under headroom, plans shaped by it are starting incumbents too, and the bound
            // counts it (`headroom`).
            let budgets = cfg.budgets.unwrap_or_else(default_budgets);
            let deadline = cfg.time_limit.map(|t| started + t);
            let shaped = headroom::shape(&fleet, cfg, &budgets, deadline);
            starts.repair.extend(shaped.starts);
            starts.valid.extend(shaped.valid);
            let base = baseline_or_note(karpenter, &mut notes);
            let (nodes, facts, warnings) =
                solve_exact(&fleet, ffd_nodes, &starts, base, cfg, started, shaped.bound)?;
            engine_warnings = warnings;
            (nodes, facts)
        }
    };
    let mut plan = to_plan(&fleet, &nodes, facts);
    plan.warnings.extend(built.warnings);
    plan.warnings.extend(engine_warnings);
    plan.warnings.extend(plan_warnings(&fleet, &nodes));
    plan.warnings.extend(notes);
    check_limits(&fleet, &plan)?;
    Ok(plan)
}

/// The facts of a plan from a packer without a bound (FFD, the Karpenter model).
pub(crate) fn greedy_facts(
    method: Method,
    seconds: f64,
    ffd_hourly: Price,
    karpenter: Option<crate::plan::KarpenterBaseline>,
) -> SolverFacts {
    SolverFacts {
        method: method.as_str().to_string(),
        backend: None,
        status: SolveStatus::Feasible,
        seconds: seconds.max(0.0),
        bound: None,
        ffd_hourly: Some(ffd_hourly),
        karpenter,
        stats: None,
    }
}

/// The Karpenter baseline of a plan; when Karpenter would leave pods pending, a note says why.
fn baseline_or_note(
    res: Result<(Vec<NodeState>, crate::plan::KarpenterBaseline), SolveError>,
    notes: &mut Vec<Diagnostic>,
) -> Option<crate::plan::KarpenterBaseline> {
    match res {
        Ok((_, base)) => Some(base),
        Err(e) => {
            let reason = match e {
                SolveError::Infeasible(inf) => inf.reason,
                other => other.to_string(),
            };
            notes.push(Diagnostic::note(format!("no Karpenter baseline: {reason}")));
            None
        }
    }
}

/// The exact engine's plan, with a warning for every phase whose LP or MILP failed. When its
/// column generation fails, or its plan fails the verifier, the greedy plan is returned instead
/// (`solver.method` is then `ffd`) with a warning that says so.
fn solve_exact(
    fleet: &Fleet<'_>,
    ffd_nodes: Vec<NodeState>,
    starts: &exact::Starts,
    karpenter: Option<crate::plan::KarpenterBaseline>,
    cfg: &SolveConfig<'_>,
    started: f64,
    headroom_bound: Option<f64>,
) -> Result<(Vec<NodeState>, SolverFacts, Vec<Diagnostic>), SolveError> {
    if !lp::available(cfg.backend) {
        return Err(SolveError::BackendUnavailable(cfg.backend.as_str().to_string()));
    }
    let deadline = cfg.time_limit.map(|t| started + t);
    let mut out = exact::solve(fleet, &ffd_nodes, starts, cfg, deadline);
    out.stats.headroom_bound = headroom_bound;
    let mut warnings: Vec<Diagnostic> = out.failures.iter().map(|f| f.warning()).collect();
    let ffd_hourly: Price = ffd_nodes.iter().map(|n| fleet.options[n.opt].price).sum();
    let greedy = |stats: EngineStats| SolverFacts {
        stats: Some(stats),
        ..greedy_facts(Method::Ffd, cfg.clock.now() - started, ffd_hourly, karpenter.clone())
    };
    if out.greedy {
        return Ok((ffd_nodes, greedy(out.stats), warnings));
    }
    if cfg.breaks_plan() {
        break_plan(fleet, &mut out.nodes);
    }
    let cost: f64 = out.nodes.iter().map(|n| fleet.options[n.opt].price.0).sum();
    let bound = match (out.bound, headroom_bound) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let bound = bound.map(|b| b.min(cost).max(0.0));
    let status = match bound {
        Some(b) if cost <= b + 1e-6 * cost.max(1.0) => SolveStatus::Optimal,
        _ if out.timed_out => SolveStatus::TimeLimit,
        _ => SolveStatus::Feasible,
    };
    let facts = SolverFacts {
        method: Method::Exact.as_str().to_string(),
        backend: Some(cfg.backend.as_str().to_string()),
        status,
        seconds: (cfg.clock.now() - started).max(0.0),
        bound: bound.map(Price),
        ffd_hourly: Some(ffd_hourly),
        karpenter: karpenter.clone(),
        stats: Some(out.stats),
    };
    // The engine's plans are repaired with the same rules the verifier checks; if one ever
    // is not valid, the greedy plan (which is) is returned instead of a wrong answer.
    let plan = to_plan(fleet, &out.nodes, facts.clone());
    let violations = crate::plan::verify::verify(fleet.scenario, &plan);
    debug_assert!(
        violations.is_empty() || cfg.breaks_plan(),
        "the exact engine's plan fails: {violations:?}"
    );
    let Some(first) = violations.first() else { return Ok((out.nodes, facts, warnings)) };
    warnings.push(Diagnostic::warning(format!(
        "the exact engine's plan failed the verifier ({} violation{}, the first: {}); this plan is the first-fit-decreasing baseline instead, with no lower bound",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" },
        first.message
    )));
    let mut stats = facts.stats.unwrap_or_default();
    stats.fallback_to_ffd = true;
    Ok((ffd_nodes, greedy(stats), warnings))
}

/// Takes one replica off the first node that has any (a test's broken engine plan).
fn break_plan(fleet: &Fleet<'_>, nodes: &mut [NodeState]) {
    if let Some(node) = nodes.iter_mut().find(|n| !n.is_empty())
        && let Some(&w) = node.counts.keys().next()
    {
        fleet.remove(node, w, 1);
    }
}

/// Rejects up front, with the reason, any workload that fits no node option.
pub(crate) fn precheck(fleet: &Fleet<'_>) -> Result<(), SolveError> {
    for (w, workload) in fleet.scenario.workloads.iter().enumerate() {
        if workload.replicas > 0 && !fleet.admits[w].iter().any(|a| *a) {
            return Err(infeasible(fleet, w));
        }
    }
    Ok(())
}

/// Explains why workload `w` fits no node option (the admission rules' own explanation).
pub(crate) fn infeasible(fleet: &Fleet<'_>, w: usize) -> SolveError {
    SolveError::Infeasible(Infeasible {
        workload: Some(fleet.scenario.workloads[w].key()),
        reason: crate::fit::admission::why_no_option(fleet, w),
    })
}

/// True when the spot share holds, optionally with one node of option `add` added and node `drop` removed.
pub(crate) fn spot_share_ok(
    fleet: &Fleet<'_>,
    nodes: &[NodeState],
    add: Option<usize>,
    drop: Option<usize>,
) -> bool {
    let mut total: u128 = 0;
    let mut spot: u128 = 0;
    let mut count = |o: usize, sign: bool| {
        let c = u128::from(fleet.options[o].capacity.cpu.0);
        if sign {
            total += c;
            if fleet.options[o].purchase.is_spot() {
                spot += c;
            }
        } else {
            total -= c.min(total);
            if fleet.options[o].purchase.is_spot() {
                spot -= c.min(spot);
            }
        }
    };
    for n in nodes {
        count(n.opt, true);
    }
    if let Some(o) = add {
        count(o, true);
    }
    if let Some(i) = drop {
        count(nodes[i].opt, false);
    }
    spot * u128::from(policy::PPM) <= u128::from(fleet.scenario.policy.spot_max_share) * total
}

/// Turns node states into a plan.
pub(crate) fn to_plan(fleet: &Fleet<'_>, nodes: &[NodeState], solver: SolverFacts) -> Plan {
    let scenario = fleet.scenario;
    let plan_nodes = nodes
        .iter()
        .map(|n| {
            let o = &fleet.options[n.opt];
            PlanNode {
                name: String::new(),
                instance_type: o.instance_type.clone(),
                purchase: o.purchase,
                zone: o.zone.clone(),
                hourly: o.price,
                allocatable: o.allocatable.clone(),
                pods: n
                    .counts
                    .iter()
                    .map(|(&w, &c)| PodCount { workload: scenario.workloads[w].key(), count: c })
                    .collect(),
            }
        })
        .collect();
    Plan {
        scenario: scenario.name.clone(),
        provider: scenario.provider,
        region: scenario.region.clone(),
        nodes: finish_nodes(plan_nodes),
        warnings: Vec::new(),
        solver,
    }
}

/// Node-size guidance, cluster limits and price-estimate notes for a packed plan (SPEC §4).
pub(crate) fn plan_warnings(fleet: &Fleet<'_>, nodes: &[NodeState]) -> Vec<Diagnostic> {
    let scenario = fleet.scenario;
    let mut res = Vec::new();
    if scenario.policy.cluster_limits != LimitMode::Off {
        res.extend(cluster_limit_warnings(fleet, nodes));
    }
    if scenario.policy.node_size_guidance && !nodes.is_empty() {
        res.extend(node_size_warnings(fleet, nodes));
    }
    res.extend(price_estimate_note(fleet, nodes));
    res
}

/// The Kubernetes cluster limits the plan passes (nodes, pods, containers, pods per node).
fn cluster_limit_warnings(fleet: &Fleet<'_>, nodes: &[NodeState]) -> Vec<Diagnostic> {
    let scenario = fleet.scenario;
    let mut res = Vec::new();
    let limits = kubernetes_limits();
    let n_pods = scenario.n_pods();
    let n_containers: u64 =
        scenario.workloads.iter().map(|w| u64::from(w.replicas) * w.pod.n_containers).sum();
    if nodes.len() as u64 > limits.max_nodes {
        res.push(Diagnostic::warning(format!(
            "{} nodes exceed the Kubernetes limit of {} nodes per cluster",
            nodes.len(),
            limits.max_nodes
        )));
    }
    if n_pods > limits.max_pods {
        res.push(Diagnostic::warning(format!(
            "{n_pods} pods exceed the Kubernetes limit of {} pods per cluster",
            limits.max_pods
        )));
    }
    if n_containers > limits.max_containers {
        res.push(Diagnostic::warning(format!(
            "{n_containers} containers exceed the Kubernetes limit of {} containers per cluster",
            limits.max_containers
        )));
    }
    let busiest = nodes
        .iter()
        .map(|n| n.counts.values().map(|c| u64::from(*c)).sum::<u64>())
        .max()
        .unwrap_or(0);
    if busiest > limits.max_pods_per_node {
        res.push(Diagnostic::warning(format!(
            "a node holds {busiest} pods, above the Kubernetes guidance of {} pods per node",
            limits.max_pods_per_node
        )));
    }
    res
}

/// Node types too small for the typical pod, and nodes that strand one resource while the other is full.
fn node_size_warnings(fleet: &Fleet<'_>, nodes: &[NodeState]) -> Vec<Diagnostic> {
    let scenario = fleet.scenario;
    let mut res = Vec::new();
    // The typical pod: mean requests over all replicas.
    let n_pods = scenario.n_pods().max(1);
    let (mut cpu, mut mem) = (0u128, 0u128);
    for (w, workload) in scenario.workloads.iter().enumerate() {
        cpu += u128::from(fleet.req[w][0]) * u128::from(workload.replicas);
        mem += u128::from(fleet.req[w][1]) * u128::from(workload.replicas);
    }
    let (cpu, mem) = ((cpu / u128::from(n_pods)) as u64, (mem / u128::from(n_pods)) as u64);
    // One verdict per instance type (its options differ only in zone and purchase option).
    let mut by_type: BTreeMap<&str, (usize, Vec<&NodeState>)> = BTreeMap::new();
    for n in nodes {
        by_type
            .entry(fleet.options[n.opt].instance_type.as_str())
            .or_insert((n.opt, Vec::new()))
            .1
            .push(n);
    }
    for (_, (o, group)) in by_type {
        let opt = &fleet.options[o];
        let usable = &fleet.usable[o];
        let fit_cpu = usable[0].checked_div(cpu).unwrap_or(u64::MAX);
        let fit_mem = usable[1].checked_div(mem).unwrap_or(u64::MAX);
        let fits = fit_cpu.min(fit_mem).min(usable[2]);
        if fits < 5 && (cpu > 0 || mem > 0) {
            res.push(
                Diagnostic::warning(format!(
                    "{} fits only {fits} typical pods ({} CPU, {} memory); small nodes waste a larger share on overhead and DaemonSets",
                    opt.instance_type,
                    ResourceName::Cpu.format_amount(cpu),
                    ResourceName::Memory.format_amount(mem)
                ))
                .with_hint("prefer a larger instance size for this pool"),
            );
        }
        // Stranded: capacity left on a resource while another is (nearly) exhausted.
        let pods_held: u64 = group
            .iter()
            .map(|n| n.counts.values().map(|c| u64::from(*c)).sum::<u64>())
            .sum::<u64>()
            / group.len() as u64;
        let threshold = if pods_held > 10 { 0.05 } else { 0.10 };
        for (d, name) in [(0usize, ResourceName::Cpu), (1usize, ResourceName::Memory)] {
            let other = 1 - d;
            let (mut stranded, mut total) = (0u128, 0u128);
            for n in &group {
                let used_other = usable[other].saturating_sub(n.free[other]);
                if usable[other] > 0 && used_other as f64 >= 0.9 * usable[other] as f64 {
                    stranded += u128::from(n.free[d]);
                }
                total += u128::from(usable[d]);
            }
            if total > 0
                && stranded as f64 / total as f64 > threshold
                && !group.iter().all(|n| n.is_empty())
            {
                res.push(Diagnostic::warning(format!(
                    "{} nodes strand {:.0}% of their {name} (the other resource is full); a type with a different CPU:memory ratio would waste less",
                    opt.instance_type,
                    100.0 * stranded as f64 / total as f64
                )));
            }
        }
    }
    res
}

/// A note naming the node types whose prices are estimates.
fn price_estimate_note(fleet: &Fleet<'_>, nodes: &[NodeState]) -> Option<Diagnostic> {
    let estimates: Vec<&str> = {
        let mut v: Vec<&str> = nodes
            .iter()
            .map(|n| &fleet.options[n.opt])
            .filter(|o| o.price_source.is_estimate())
            .map(|o| o.instance_type.as_str())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    (!estimates.is_empty()).then(|| {
        Diagnostic::note(format!(
            "prices of {} are estimates (AWS spot = on-demand × (1 − Spot Instance Advisor savings); AWS/Azure reserved = on-demand × (1 − the discount in data/pricing/reserved-discounts.csv))",
            estimates.join(", ")
        ))
    })
}

/// Refuses a plan above the cluster limits when the policy says fail.
fn check_limits(fleet: &Fleet<'_>, plan: &Plan) -> Result<(), SolveError> {
    if fleet.scenario.policy.cluster_limits != LimitMode::Fail {
        return Ok(());
    }
    let limits = kubernetes_limits();
    if plan.nodes.len() as u64 > limits.max_nodes || plan.n_pods() > limits.max_pods {
        return Err(SolveError::Infeasible(Infeasible {
            workload: None,
            reason: format!(
                "the plan needs {} nodes for {} pods, above the cluster limits ({} nodes, {} pods) and policy.cluster_limits is fail; cost would be {}/month",
                plan.nodes.len(),
                plan.n_pods(),
                limits.max_nodes,
                limits.max_pods,
                format_usd(plan.hourly().monthly())
            ),
        }));
    }
    Ok(())
}
