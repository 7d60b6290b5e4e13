//! The commitment planner: from an hourly demand profile, the reserved baseline that minimises
//! the total cost, with on-demand (and spot, within its cap) on top.
//!
//! 1. **Load levels.** The profile gives a scale factor per hour (a typical week: 168 rows).
//!    A workload with `scalable: {min, max}` (an HPA) runs `clamp(ceil(replicas × scale), min,
//!    max)` replicas in that hour; `replicas` is its count at scale 1. Other workloads keep
//!    their replicas. Hours with the same replica counts form one level.
//! 2. **Sizing.** Each level is planned with [`solve::solve`] (the caller's method, backend and
//!    time limit) with the scenario's purchase options minus the reserved ones, so spot is used
//!    up to its cap and the floor holds at every level. `min_available` is capped at the
//!    level's replicas.
//! 3. **Commitment MILP** (`solve/lp.rs`, the configured backend), per instance family `f` in
//!    vCPU units (regional AWS reservations and Azure reservations are size-flexible within a
//!    family, GCP committed use is per vCPU of a series; the levels may pick different sizes):
//!    per family and reserved option `k`, an integer `r[f][k]` of committed vCPUs, paid every
//!    hour; per family and level `l`, on-demand vCPUs `o[f][l]`, paid in that level's hours.
//!    Minimise `Σ r[f][k]·price[f][k]·H + Σ o[f][l]·on_demand[f]·hours[l]` subject to
//!    `Σ_k r[f][k] + o[f][l] ≥ n[f][l]`, where `n[f][l]` is the vCPUs of the level plan's
//!    non-spot nodes of family `f` (over all zones: commitments are regional). A family's
//!    on-demand price per vCPU-hour is its planned nodes' on-demand dollars over their
//!    vCPU-hours (weighted by hours, so the no-commitment cost is exact); its reserved price is
//!    that times the same weighted ratio of reserved to on-demand prices. Spot stays as sized.
//! 4. **Report.** Coverage (committed vCPU-hours used / non-spot vCPU-hours), commitment
//!    utilisation, cost per month (730 h; the profile's hours are scaled to a month) against
//!    all on-demand (every node of every level at its on-demand price), the break-even
//!    utilisation of each commitment (its price / the on-demand price: below that share of
//!    hours in use, on-demand would have been cheaper), and the waste if demand fell 10%, 20%
//!    or 30% (each level's vCPUs per family scaled down and rounded up; committed vCPU-hours
//!    left unused, at the committed price: reservations cannot be refunded).

use std::collections::BTreeMap;

use crate::catalog::{InstanceType, PurchaseOption};
use crate::money::HOURS_PER_MONTH;
use crate::plan::verify::verify;
use crate::scenario::Scenario;
use crate::solve::lp::{Model, Row, solve_milp};
use crate::solve::{self, Backend, LpError, SolveConfig};
use crate::workload::Workload;

/// Branch-and-bound nodes for the commitment program (a deterministic budget; it is small and
/// finishes far below it).
const COMMIT_NODE_LIMIT: u64 = 100_000;

/// The demand falls the report prices the waste of.
pub const DEMAND_FALLS: [f64; 3] = [0.10, 0.20, 0.30];

/// Replicas of a workload at a scale factor (see the module docs).
pub fn replicas_at(w: &Workload, scale: f64) -> u32 {
    match w.scalable {
        Some(s) => {
            let want = (f64::from(w.replicas) * scale - 1e-9).ceil().max(0.0) as u32;
            want.clamp(s.min_replicas, s.max_replicas)
        }
        None => w.replicas,
    }
}

/// One load level: the hours it covers and what was planned for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    /// Hours of the profile at this level (0-based).
    pub hours: Vec<usize>,
    /// Smallest and largest scale factor among those hours.
    pub scale: (f64, f64),
    /// Replicas per workload, in scenario order.
    pub replicas: Vec<u32>,
    /// Non-spot nodes per instance type.
    pub non_spot: BTreeMap<String, u32>,
    /// Spot nodes.
    pub spot_nodes: u32,
    /// Hourly cost of the spot nodes.
    pub spot_hourly: f64,
    /// Hourly cost of the non-spot nodes as planned (on-demand).
    pub non_spot_hourly: f64,
    /// Hourly cost of the level's nodes if all were on-demand.
    pub on_demand_hourly: f64,
}

/// One commitment the planner chose (or considered, with 0 vCPUs).
#[derive(Clone, Debug, PartialEq)]
pub struct Commitment {
    /// Instance family.
    pub family: String,
    /// `reserved-1y` or `reserved-3y`.
    pub option: PurchaseOption,
    /// Committed vCPUs.
    pub vcpus: u32,
    /// Hourly price of one committed vCPU.
    pub hourly: f64,
    /// On-demand hourly price of one vCPU of the family (node-hour weighted over its types).
    pub on_demand_hourly: f64,
    /// Break-even utilisation: `hourly / on_demand_hourly`.
    pub break_even: f64,
    /// Share of committed node-hours in use over the profile.
    pub utilisation: f64,
}

/// What a demand fall would cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Waste {
    /// The fall (0.1 = 10%).
    pub fall: f64,
    /// Committed vCPU-hours unused, per month.
    pub unused_vcpu_hours_per_month: f64,
    /// Their cost per month.
    pub monthly: f64,
    /// Commitment utilisation after the fall.
    pub utilisation: f64,
}

/// The commitment planner's report.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitReport {
    /// Scenario name.
    pub scenario: String,
    /// Hours in the profile.
    pub profile_hours: usize,
    /// Load levels, by rising demand.
    pub levels: Vec<Level>,
    /// Commitments per (family, option) with a price, chosen or not.
    pub commitments: Vec<Commitment>,
    /// Committed vCPU-hours used / non-spot vCPU-hours.
    pub coverage: f64,
    /// Committed vCPU-hours used / committed vCPU-hours.
    pub utilisation: f64,
    /// Cost per month with the commitment: committed + on-demand + spot.
    pub monthly: f64,
    /// Committed part per month.
    pub monthly_committed: f64,
    /// On-demand part per month.
    pub monthly_on_demand: f64,
    /// Spot part per month.
    pub monthly_spot: f64,
    /// Every node at its on-demand price, per month.
    pub monthly_all_on_demand: f64,
    /// Cost per month without any commitment (on-demand and spot as sized).
    pub monthly_no_commitment: f64,
    /// Waste for each of [`DEMAND_FALLS`].
    pub waste: Vec<Waste>,
    /// The LP backend used.
    pub backend: &'static str,
}

/// Why no report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommitError {
    /// The profile is unusable.
    #[error("profile: {0}")]
    Profile(String),
    /// A load level could not be planned.
    #[error("load level at scale {scale}: {error}")]
    Level {
        /// The level's largest scale factor.
        scale: String,
        /// Why.
        error: solve::SolveError,
    },
    /// The commitment program failed.
    #[error("commitment program: {0}")]
    Lp(ProgramError),
    /// A load level's plan fails the verifier.
    #[error("commitment program: the plan of the level at scale {scale} does not verify")]
    LevelUnverified {
        /// The level's largest scale factor.
        scale: String,
    },
    /// A planned node's type has no on-demand price, which every commitment is weighed against.
    #[error(
        "instance type {instance_type} has no on-demand price in {region}, and the commitment plan weighs every node against on-demand: give it one (price.on_demand) or leave it out of the catalog"
    )]
    NoOnDemandPrice {
        /// The instance type.
        instance_type: String,
        /// The scenario's region.
        region: String,
    },
}

/// Why the commitment program gave no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProgramError {
    /// The LP backend failed.
    #[error(transparent)]
    Lp(#[from] LpError),
    /// The MILP stopped at its limits without a solution.
    #[error("the MILP solver returned no solution")]
    NoSolution,
}

/// The commitment program on its own: `levels` are (hours, nodes per type), `on_demand` the
/// hourly price per type, `reserved[t]` the (option, hourly price) offers of type `t`.
/// Returns the committed nodes `r[t][k]`, in `reserved[t]` order.
pub fn commitment_program(
    levels: &[(f64, Vec<u32>)],
    on_demand: &[f64],
    reserved: &[Vec<(PurchaseOption, f64)>],
    backend: solve::Backend,
) -> Result<Vec<Vec<u32>>, ProgramError> {
    let total_hours: f64 = levels.iter().map(|(h, _)| h).sum();
    let n_types = on_demand.len();
    let mut model = Model::default();
    let (mut ub, mut initial) = (Vec::new(), Vec::new());
    let mut r_index = Vec::with_capacity(n_types);
    for t in 0..n_types {
        let peak = levels.iter().map(|(_, n)| n[t]).max().unwrap_or(0);
        let mut idx = Vec::new();
        for (_, price) in &reserved[t] {
            idx.push(model.costs.len());
            model.costs.push(price * total_hours);
            ub.push(f64::from(peak));
            initial.push(0.0);
        }
        r_index.push(idx);
    }
    for (hours, n) in levels {
        for t in 0..n_types {
            let o = model.costs.len();
            model.costs.push(on_demand[t] * hours);
            ub.push(f64::from(n[t]));
            initial.push(f64::from(n[t]));
            let mut coefs: Vec<(usize, f64)> = r_index[t].iter().map(|&j| (j, 1.0)).collect();
            coefs.push((o, 1.0));
            model.rows.push(Row { coefs, rhs: f64::from(n[t]) });
        }
    }
    if model.costs.is_empty() {
        return Ok(vec![Vec::new(); n_types]);
    }
    let x = solve_milp(&model, &ub, &initial, backend, COMMIT_NODE_LIMIT, 30.0)?
        .ok_or(ProgramError::NoSolution)?;
    Ok(r_index
        .iter()
        .map(|idx| idx.iter().map(|&j| x[j].round().max(0.0) as u32).collect())
        .collect())
}

/// Runs the planner (see the module docs): load levels, one sized plan per level, the
/// commitment program per family, the report.
pub fn plan_commitment(
    scenario: &Scenario,
    profile: &[f64],
    cfg: &SolveConfig<'_>,
) -> Result<CommitReport, CommitError> {
    if profile.is_empty() {
        return Err(CommitError::Profile("the profile has no hours".into()));
    }
    if let Some(h) = profile.iter().position(|x| !x.is_finite() || *x < 0.0) {
        return Err(CommitError::Profile(format!("hour {h}: the scale must be a number ≥ 0")));
    }
    let groups = load_levels(scenario, profile);
    let prices = OnDemandPrices::of(scenario);
    let levels = size_levels(scenario, profile, groups, &prices, cfg)?;
    let program = FamilyProgram::of(scenario, &prices, &levels)?;
    let chosen =
        commitment_program(&program.levels, &program.on_demand, &program.reserved, cfg.backend)
            .map_err(CommitError::Lp)?;
    Ok(report(scenario, profile, levels, &program, &chosen, cfg.backend))
}

/// Step 1, the load levels: the profile's hours grouped by the replicas each workload has at that
/// hour's scale, smallest total first.
fn load_levels(scenario: &Scenario, profile: &[f64]) -> Vec<(Vec<u32>, Vec<usize>)> {
    let mut by_replicas: BTreeMap<Vec<u32>, Vec<usize>> = BTreeMap::new();
    for (h, scale) in profile.iter().enumerate() {
        let r: Vec<u32> = scenario.workloads.iter().map(|w| replicas_at(w, *scale)).collect();
        by_replicas.entry(r).or_default().push(h);
    }
    let mut groups: Vec<(Vec<u32>, Vec<usize>)> = by_replicas.into_iter().collect();
    groups.sort_by(|a, b| {
        let (sa, sb): (u64, u64) =
            (a.0.iter().map(|x| u64::from(*x)).sum(), b.0.iter().map(|x| u64::from(*x)).sum());
        sa.cmp(&sb).then_with(|| a.0.cmp(&b.0))
    });
    groups
}

/// The candidate types and their on-demand prices, the yardstick of every commitment.
struct OnDemandPrices {
    candidates: Vec<InstanceType>,
}

impl OnDemandPrices {
    fn of(scenario: &Scenario) -> OnDemandPrices {
        OnDemandPrices { candidates: scenario.candidate_types().output }
    }

    /// A candidate type by name.
    fn candidate(&self, t: &str) -> Option<&InstanceType> {
        self.candidates.iter().find(|it| it.name == t)
    }

    /// A planned type and its on-demand price. Never $0 for a missing offer: that would make
    /// the all-on-demand comparison look cheap.
    fn get(&self, scenario: &Scenario, t: &str) -> Result<(&InstanceType, f64), CommitError> {
        self.candidate(t)
            .and_then(|it| scenario.offer(it, PurchaseOption::OnDemand).map(|o| (it, o.price.0)))
            .ok_or_else(|| CommitError::NoOnDemandPrice {
                instance_type: t.to_string(),
                region: scenario.region.clone(),
            })
    }

    /// A planned type's on-demand price (see [`OnDemandPrices::get`]).
    fn price(&self, scenario: &Scenario, t: &str) -> Result<f64, CommitError> {
        self.get(scenario, t).map(|(_, price)| price)
    }
}

/// Whole vCPUs of a type, the unit commitments are counted in.
fn vcpus(it: &InstanceType) -> u32 {
    it.cpu.millis().div_ceil(1000) as u32
}

/// Step 2, sizing: each level planned on on-demand and spot (the reserved options are what the
/// program decides), verified, with its nodes counted per type.
fn size_levels(
    scenario: &Scenario,
    profile: &[f64],
    groups: Vec<(Vec<u32>, Vec<usize>)>,
    prices: &OnDemandPrices,
    cfg: &SolveConfig<'_>,
) -> Result<Vec<Level>, CommitError> {
    let od_price = |t: &str| prices.price(scenario, t);
    let mut sizing = scenario.clone();
    sizing.purchase.retain(|p| matches!(p, PurchaseOption::OnDemand | PurchaseOption::Spot));
    if !sizing.purchase.contains(&PurchaseOption::OnDemand) {
        sizing.purchase.insert(0, PurchaseOption::OnDemand);
    }
    let mut levels = Vec::new();
    // `cfg.time_limit` bounds every level's solve together: each gets the time left divided by
    // the levels still to solve.
    let deadline = cfg.time_limit.map(|t| cfg.clock.now() + t);
    let n_levels = groups.len();
    for (k, (replicas, hours)) in groups.into_iter().enumerate() {
        let share = deadline.map(|d| ((d - cfg.clock.now()) / (n_levels - k) as f64).max(0.0));
        let level_cfg = SolveConfig { time_limit: share, ..*cfg };
        let mut s = sizing.clone();
        for (w, r) in s.workloads.iter_mut().zip(&replicas) {
            w.replicas = *r;
            w.min_available = w.min_available.map(|m| m.min(*r));
        }
        let scales: Vec<f64> = hours.iter().map(|&h| profile[h]).collect();
        let lo = scales.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = scales.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let plan = solve::solve(&s, &level_cfg)
            .map_err(|error| CommitError::Level { scale: format!("{hi}"), error })?;
        if !verify(&s, &plan).is_empty() {
            return Err(CommitError::LevelUnverified { scale: format!("{hi}") });
        }
        let mut non_spot: BTreeMap<String, u32> = BTreeMap::new();
        let (mut spot_nodes, mut spot_hourly, mut od_hourly, mut non_spot_hourly) =
            (0u32, 0.0, 0.0, 0.0);
        for n in &plan.nodes {
            od_hourly +=
                if n.purchase.is_spot() { od_price(&n.instance_type)? } else { n.hourly.0 };
            if n.purchase.is_spot() {
                spot_nodes += 1;
                spot_hourly += n.hourly.0;
            } else {
                non_spot_hourly += n.hourly.0;
                *non_spot.entry(n.instance_type.clone()).or_default() += 1;
            }
        }
        levels.push(Level {
            hours,
            scale: (lo, hi),
            replicas,
            non_spot,
            spot_nodes,
            spot_hourly,
            non_spot_hourly,
            on_demand_hourly: od_hourly,
        });
    }
    Ok(levels)
}

/// Step 3, the program's input, per family in vCPU units: node-hour weighted on-demand and reserved
/// prices per vCPU, and each level's vCPUs per family on types that can be committed.
struct FamilyProgram {
    /// The families, in order.
    types: Vec<String>,
    /// On-demand $/vCPU-hour per family.
    on_demand: Vec<f64>,
    /// Per family, the (term, $/vCPU-hour) offers cheaper than on-demand.
    reserved: Vec<Vec<(PurchaseOption, f64)>>,
    /// (hours, vCPUs per family) per level.
    levels: Vec<(f64, Vec<u32>)>,
}

impl FamilyProgram {
    fn of(
        scenario: &Scenario,
        prices: &OnDemandPrices,
        levels: &[Level],
    ) -> Result<FamilyProgram, CommitError> {
        let listed: Vec<PurchaseOption> = scenario
            .purchase
            .iter()
            .copied()
            .filter(|p| matches!(p, PurchaseOption::Reserved1y | PurchaseOption::Reserved3y))
            .collect();
        let terms = if listed.is_empty() {
            vec![PurchaseOption::Reserved1y, PurchaseOption::Reserved3y]
        } else {
            listed
        };
        // Per family: node-hour weighted vCPU-hours, on-demand dollars, and per term the on-demand
        // and reserved dollars of the types that have that term.
        #[derive(Default)]
        struct Acc {
            vcpu_hours: f64,
            od_dollars: f64,
            terms: BTreeMap<PurchaseOption, (f64, f64)>,
        }
        let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
        for l in levels {
            let h = l.hours.len() as f64;
            for (t, n) in &l.non_spot {
                let (it, od) = prices.get(scenario, t)?;
                let a = acc.entry(it.family.clone()).or_default();
                a.vcpu_hours += h * f64::from(*n) * f64::from(vcpus(it));
                a.od_dollars += h * f64::from(*n) * od;
                for k in &terms {
                    if let Some(p) = scenario.offer(it, *k).map(|o| o.price.0).filter(|p| *p < od) {
                        let e = a.terms.entry(*k).or_insert((0.0, 0.0));
                        e.0 += h * f64::from(*n) * od;
                        e.1 += h * f64::from(*n) * p;
                    }
                }
            }
        }
        let types: Vec<String> = acc.keys().cloned().collect();
        let on_demand: Vec<f64> = acc
            .values()
            .map(|a| if a.vcpu_hours > 0.0 { a.od_dollars / a.vcpu_hours } else { 0.0 })
            .collect();
        let reserved: Vec<Vec<(PurchaseOption, f64)>> = acc
            .values()
            .zip(&on_demand)
            .map(|(a, od)| {
                a.terms
                    .iter()
                    .filter(|(_, (o, _))| *o > 0.0)
                    .map(|(k, (o, r))| (*k, od * r / o))
                    .collect()
            })
            .collect();
        let lp_levels: Vec<(f64, Vec<u32>)> = levels
            .iter()
            .map(|l| {
                let mut per_family: BTreeMap<String, u32> = BTreeMap::new();
                for (t, n) in &l.non_spot {
                    if let Some(it) = prices.candidate(t) {
                        *per_family.entry(it.family.clone()).or_default() += n * vcpus(it);
                    }
                }
                (
                    l.hours.len() as f64,
                    types.iter().map(|f| per_family.get(f).copied().unwrap_or(0)).collect(),
                )
            })
            .collect();
        Ok(FamilyProgram { types, on_demand, reserved, levels: lp_levels })
    }
}

/// Step 4, the report: commitments with their utilisation, coverage, the month's cost split, and the
/// waste if demand falls.
fn report(
    scenario: &Scenario,
    profile: &[f64],
    levels: Vec<Level>,
    program: &FamilyProgram,
    chosen: &[Vec<u32>],
    backend: Backend,
) -> CommitReport {
    let FamilyProgram { types, on_demand, reserved, levels: lp_levels } = program;
    let total_hours = profile.len() as f64;
    let per_month = HOURS_PER_MONTH / total_hours;
    let committed_of = |t: usize| -> u32 { chosen[t].iter().sum() };
    let committed_price = |t: usize| -> f64 {
        let n = committed_of(t);
        if n == 0 {
            return 0.0;
        }
        reserved[t].iter().zip(&chosen[t]).map(|((_, p), c)| p * f64::from(*c)).sum::<f64>()
            / f64::from(n)
    };
    let used_hours = |t: usize, fall: f64| -> f64 {
        let r = committed_of(t);
        lp_levels
            .iter()
            .map(|(h, n)| {
                let need = (f64::from(n[t]) * (1.0 - fall) - 1e-9).ceil().max(0.0) as u32;
                h * f64::from(r.min(need))
            })
            .sum()
    };
    let mut commitments = Vec::new();
    for t in 0..types.len() {
        let r = committed_of(t);
        let util = if r > 0 { used_hours(t, 0.0) / (f64::from(r) * total_hours) } else { 0.0 };
        for ((k, price), count) in reserved[t].iter().zip(&chosen[t]) {
            commitments.push(Commitment {
                family: types[t].clone(),
                option: *k,
                vcpus: *count,
                hourly: *price,
                on_demand_hourly: on_demand[t],
                break_even: if on_demand[t] > 0.0 { price / on_demand[t] } else { 1.0 },
                utilisation: if *count > 0 { util } else { 0.0 },
            });
        }
    }
    let committed_node_hours: f64 =
        (0..types.len()).map(|t| f64::from(committed_of(t)) * total_hours).sum();
    let used: f64 = (0..types.len()).map(|t| used_hours(t, 0.0)).sum();
    let demand_node_hours: f64 =
        lp_levels.iter().map(|(h, n)| h * n.iter().map(|x| f64::from(*x)).sum::<f64>()).sum();
    let weekly_committed: f64 = (0..types.len())
        .map(|t| committed_price(t) * f64::from(committed_of(t)) * total_hours)
        .sum();
    let weekly_on_demand: f64 = lp_levels
        .iter()
        .map(|(h, n)| {
            h * (0..types.len())
                .map(|t| f64::from(n[t].saturating_sub(committed_of(t))) * on_demand[t])
                .sum::<f64>()
        })
        .sum();
    let weekly_spot: f64 = levels.iter().map(|l| l.hours.len() as f64 * l.spot_hourly).sum();
    let weekly_all_od: f64 = levels.iter().map(|l| l.hours.len() as f64 * l.on_demand_hourly).sum();
    let weekly_no_commit: f64 = lp_levels
        .iter()
        .map(|(h, n)| h * (0..types.len()).map(|t| f64::from(n[t]) * on_demand[t]).sum::<f64>())
        .sum::<f64>()
        + weekly_spot;
    let waste = DEMAND_FALLS
        .iter()
        .map(|&fall| {
            let unused: Vec<f64> = (0..types.len())
                .map(|t| f64::from(committed_of(t)) * total_hours - used_hours(t, fall))
                .collect();
            let used_after: f64 = (0..types.len()).map(|t| used_hours(t, fall)).sum();
            Waste {
                fall,
                unused_vcpu_hours_per_month: unused.iter().sum::<f64>() * per_month,
                monthly: unused
                    .iter()
                    .enumerate()
                    .map(|(t, u)| u * committed_price(t))
                    .sum::<f64>()
                    * per_month,
                utilisation: if committed_node_hours > 0.0 {
                    used_after / committed_node_hours
                } else {
                    0.0
                },
            }
        })
        .collect();
    CommitReport {
        scenario: scenario.name.clone(),
        profile_hours: profile.len(),
        levels,
        commitments,
        coverage: if demand_node_hours > 0.0 { used / demand_node_hours } else { 0.0 },
        utilisation: if committed_node_hours > 0.0 { used / committed_node_hours } else { 0.0 },
        monthly: (weekly_committed + weekly_on_demand + weekly_spot) * per_month,
        monthly_committed: weekly_committed * per_month,
        monthly_on_demand: weekly_on_demand * per_month,
        monthly_spot: weekly_spot * per_month,
        monthly_all_on_demand: weekly_all_od * per_month,
        monthly_no_commitment: weekly_no_commit * per_month,
        waste,
        backend: backend.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::solve::{Backend, default_config};

    // Hand calculation, one type at $1.00/h on-demand; demand 4 nodes for 100 hours and 2 nodes
    // for 68 hours (168 h). The first two committed nodes are used all 168 h; the third and
    // fourth only 100 of 168 h = 59.5%. A commitment pays off when it is used more than its
    // break-even share (price / on-demand). At $0.50/h (break-even 50%): commit 4, cost
    // 4 × 0.5 × 168 = 336 (against 2 × 0.5 × 168 + 2 × 100 = 368 for 2). At $0.65/h
    // (break-even 65% > 59.5%): commit 2, cost 2 × 0.65 × 168 + 2 × 100 = 418.4 (against
    // 436.8 for 4 and 427.6 for 3).
    #[test]
    fn the_commitment_program_picks_the_hand_calculated_baseline() {
        let levels = vec![(100.0, vec![4]), (68.0, vec![2])];
        for (price, expect) in [(0.50, 4), (0.65, 2)] {
            let r = commitment_program(
                &levels,
                &[1.0],
                &[vec![(PurchaseOption::Reserved1y, price)]],
                Backend::Pure,
            )
            .unwrap();
            assert_eq!(r, vec![vec![expect]], "reserved at {price}");
        }
        // Two terms: only the cheaper one is bought.
        let r = commitment_program(
            &levels,
            &[1.0],
            &[vec![(PurchaseOption::Reserved1y, 0.7), (PurchaseOption::Reserved3y, 0.45)]],
            Backend::Pure,
        )
        .unwrap();
        assert_eq!(r, vec![vec![0, 4]]);
    }

    // The same two-level case end to end: a custom type that fits one pod per node, a scalable
    // workload of 4 replicas at scale 1 (HPA 2..4), a profile of 100 hours at 1.0 and 68 at 0.5.
    #[test]
    fn the_planner_sizes_two_levels_and_commits_the_baseline() {
        let text = "name: c\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\npurchase: [on-demand, reserved-1y]\ncatalog:\n  custom:\n    - {name: n4, cpu: 4, memory: 16Gi, price: {on_demand: 1.0, reserved_1y: 0.65}}\nworkloads:\n  - {name: api, replicas: 4, max_per_node: 1, scalable: {min: 2, max: 4}, requests: {cpu: 3, memory: 4Gi}}\n";
        let s = read_scenario(text, "c.yaml").output.unwrap();
        let mut profile = vec![1.0; 100];
        profile.extend(vec![0.5; 68]);
        let r = plan_commitment(&s, &profile, &default_config()).unwrap();
        assert_eq!(r.levels.len(), 2);
        assert_eq!(r.levels[0].non_spot["n4"], 2);
        assert_eq!(r.levels[1].non_spot["n4"], 4);
        assert_eq!(r.commitments.len(), 1);
        // Two nodes of 4 vCPUs: 8 vCPUs of family n4.
        assert_eq!(r.commitments[0].family, "n4");
        assert_eq!(r.commitments[0].vcpus, 8);
        assert!((r.commitments[0].break_even - 0.65).abs() < 1e-12);
        assert!((r.utilisation - 1.0).abs() < 1e-12);
        // Coverage: 2 × 168 committed node-hours used of 4 × 100 + 2 × 68 = 536 (×4 vCPUs).
        assert!((r.coverage - 336.0 / 536.0).abs() < 1e-12);
        let per_month = 730.0 / 168.0;
        assert!((r.monthly - 418.4 * per_month).abs() < 1e-6);
        assert!((r.monthly_all_on_demand - 536.0 * per_month).abs() < 1e-6);
        // A 30% fall: 8 → 5.6 → 6 committed-family vCPUs at the low level: 2 of the 8
        // committed vCPUs idle for 68 h a week, at $0.65/4 per vCPU-hour.
        assert!(r.waste[0].monthly.abs() < 1e-9, "{:?}", r.waste[0]);
        let w30 = &r.waste[2];
        assert!((w30.monthly - 2.0 * 68.0 * 0.65 / 4.0 * per_month).abs() < 1e-6, "{w30:?}");
    }

    // A spot-only custom type planned as spot has no on-demand price to weigh it against: the
    // planner says so instead of counting it at $0 in the all-on-demand comparison.
    #[test]
    fn a_planned_type_without_an_on_demand_price_is_an_error_not_zero_dollars() {
        let text = "name: c\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none, spot: {max_share: 1.0}}\npurchase: [on-demand, spot, reserved-1y]\ncatalog:\n  custom:\n    - {name: n4, cpu: 4, memory: 16Gi, price: {on_demand: 1.0, reserved_1y: 0.65}}\n    - {name: s4, cpu: 4, memory: 16Gi, price: {spot: 0.2}}\nworkloads:\n  - {name: api, replicas: 4, max_per_node: 1, spot: true, requests: {cpu: 3, memory: 4Gi}}\n";
        let s = read_scenario(text, "c.yaml").output.unwrap();
        let err = plan_commitment(&s, &[1.0; 24], &default_config()).unwrap_err();
        match &err {
            CommitError::NoOnDemandPrice { instance_type, region } => {
                assert_eq!((instance_type.as_str(), region.as_str()), ("s4", "dc"));
            }
            other => panic!("expected a missing on-demand price, got {other}"),
        }
        assert!(err.to_string().contains("s4 has no on-demand price in dc"), "{err}");
    }

    #[test]
    fn replicas_follow_the_scale_within_the_hpa_bounds() {
        let mut w = Workload::simple("w", 10, crate::resources::Resources::default(), None);
        assert_eq!(replicas_at(&w, 0.5), 10);
        w.scalable = Some(crate::workload::Scalable { min_replicas: 3, max_replicas: 12 });
        assert_eq!(replicas_at(&w, 0.5), 5);
        assert_eq!(replicas_at(&w, 0.21), 3);
        assert_eq!(replicas_at(&w, 1.5), 12);
        assert_eq!(replicas_at(&w, 0.45), 5);
    }
}
