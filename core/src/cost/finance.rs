//! Reserved versus spot: the same workloads planned four ways, with `purchase` restricted; and
//! the price of the headroom policy (the scenario planned once more with `headroom: none`).
//!
//! 1. `all-on-demand`: on-demand only.
//! 2. `reserved`: on-demand and reserved (1 and 3 years), no spot.
//! 3. `spot`: on-demand and spot within the scenario's spot policy (cap and floor).
//! 4. `blend`: every option.
//!
//! Each variant is the scenario with only `purchase` changed, solved by [`solve::solve`] with the
//! caller's configuration (the same method, backend and time limit as the main plan), so the
//! comparison is as deterministic as the plan itself. Reserved prices come from the catalog,
//! the scenario's `pricing:` or the published discount table, as for the plan.
//!
//! Spot risk: nodes and vCPUs on spot; expected interruptions per month, from each spot node's
//! interruption bucket (the AWS Spot Instance Advisor's monthly frequency of interruption, taken
//! at its midpoint: `<5%` 2.5%, `5-10%` 7.5%, `10-15%` 12.5%, `15-20%` 17.5%, and 25% for
//! `>20%`; nodes without a bucket are counted apart); and the capacity kept off spot by the
//! on-demand floor (replicas of spot-tolerant workloads on non-spot nodes, non-spot vCPUs).

use std::collections::BTreeMap;

use crate::catalog::PurchaseOption;
use crate::money::Price;
use crate::plan::Plan;
use crate::plan::verify::verify;
use crate::policy;
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::solve::{self, SolveConfig, SolveError};

/// The four variants, in report order: name and purchase options.
pub const VARIANTS: [(&str, &[PurchaseOption]); 4] = [
    ("all-on-demand", &[PurchaseOption::OnDemand]),
    (
        "reserved",
        &[PurchaseOption::OnDemand, PurchaseOption::Reserved1y, PurchaseOption::Reserved3y],
    ),
    ("spot", &[PurchaseOption::OnDemand, PurchaseOption::Spot]),
    (
        "blend",
        &[
            PurchaseOption::OnDemand,
            PurchaseOption::Reserved1y,
            PurchaseOption::Reserved3y,
            PurchaseOption::Spot,
        ],
    ),
];

/// Spot risk of one plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpotRisk {
    /// Nodes on spot.
    pub spot_nodes: u64,
    /// vCPUs on spot.
    pub spot_vcpus: f64,
    /// Share of the plan's vCPUs on spot.
    pub spot_share: f64,
    /// Expected interruptions per month over the spot nodes that have a bucket.
    pub expected_interruptions_per_month: f64,
    /// Spot nodes without an interruption bucket (GCP, Azure, price sheets).
    pub spot_nodes_without_bucket: u64,
    /// Replicas of spot-tolerant workloads on non-spot nodes (what the floor and the cap keep).
    pub floor_pods: u64,
    /// vCPUs on non-spot nodes.
    pub non_spot_vcpus: f64,
}

/// Why a variant, or the scenario without headroom, has no plan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unplanned {
    /// The comparison's time limit was spent before this solve could start.
    #[error("not planned: the time limit ran out first")]
    TimeRanOut,
    /// The plan fails the verifier.
    #[error("the plan did not verify")]
    Unverified,
    /// The solve failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// One variant's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// `all-on-demand`, `reserved`, `spot` or `blend`.
    pub name: &'static str,
    /// The purchase options it may buy.
    pub purchase: Vec<PurchaseOption>,
    /// The plan's hourly node cost, or why there is no plan.
    pub result: Result<VariantResult, Unplanned>,
}

/// A variant that planned.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantResult {
    /// Hourly node cost.
    pub hourly: Price,
    /// Nodes.
    pub nodes: u64,
    /// Nodes by purchase option.
    pub by_purchase: BTreeMap<PurchaseOption, u64>,
    /// Spot risk.
    pub risk: SpotRisk,
    /// How the search ended.
    pub status: &'static str,
    /// The published discounts behind the plan's estimated reserved prices (source text, with
    /// its basis: `typical` or `maximum`), sorted and deduplicated.
    pub estimated_prices: Vec<String>,
}

/// The four-way comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Finance {
    /// The variants in [`VARIANTS`] order.
    pub variants: Vec<Variant>,
    /// The same scenario planned with `headroom: none`, when its headroom is `node` or `zone`:
    /// what the spare capacity costs.
    pub without_headroom: Option<WithoutHeadroom>,
}

/// The scenario's own purchase options planned without headroom (the spare capacity's price).
#[derive(Clone, Debug, PartialEq)]
pub struct WithoutHeadroom {
    /// The headroom the scenario asks for.
    pub headroom: policy::Headroom,
    /// Nodes and hourly cost of the plan without headroom, or why it was not planned.
    pub result: Result<(u64, Price), Unplanned>,
}

impl Finance {
    /// The all-on-demand hourly cost, when that variant planned.
    pub fn on_demand_hourly(&self) -> Option<Price> {
        self.variants.first().and_then(|v| v.result.as_ref().ok()).map(|r| r.hourly)
    }

    /// Savings of a variant against all on-demand: (dollars per hour, fraction).
    pub fn savings(&self, v: &Variant) -> Option<(Price, f64)> {
        let od = self.on_demand_hourly()?;
        let r = v.result.as_ref().ok()?;
        let saved = od - r.hourly;
        Some((saved, if od.0 > 0.0 { saved.0 / od.0 } else { 0.0 }))
    }
}

/// The monthly interruption rate of an interruption bucket (its midpoint; 25% for `>20%`).
pub fn bucket_rate(bucket: &str) -> Option<f64> {
    match bucket {
        "<5%" => Some(0.025),
        "5-10%" => Some(0.075),
        "10-15%" => Some(0.125),
        "15-20%" => Some(0.175),
        ">20%" => Some(0.25),
        _ => None,
    }
}

/// Spot risk of a plan.
pub fn spot_risk(scenario: &Scenario, plan: &Plan) -> SpotRisk {
    let options = scenario.node_options().output;
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let mut r = SpotRisk::default();
    let mut total = 0.0;
    for n in &plan.nodes {
        let opt = by_key.get(&n.option_key()).copied();
        let vcpus = opt.map_or(0.0, |o| o.capacity.cpu.as_cores_f64());
        total += vcpus;
        if n.purchase.is_spot() {
            r.spot_nodes += 1;
            r.spot_vcpus += vcpus;
            match opt.and_then(|o| o.interruption.as_deref()).and_then(bucket_rate) {
                Some(rate) => r.expected_interruptions_per_month += rate,
                None => r.spot_nodes_without_bucket += 1,
            }
        } else {
            r.non_spot_vcpus += vcpus;
            for p in &n.pods {
                if scenario
                    .workload(&p.workload.namespace, &p.workload.name)
                    .is_some_and(|(_, w)| w.spot)
                {
                    r.floor_pods += u64::from(p.count);
                }
            }
        }
    }
    r.spot_share = if total > 0.0 { r.spot_vcpus / total } else { 0.0 };
    r
}

/// The share of a time limit given to the plan itself when the finance comparison follows it
/// (`kplan plan --time-limit` and the browser app); the comparison's solves share the rest.
pub const PLAN_SHARE_OF_TIME_LIMIT: f64 = 0.7;

/// Plans the scenario four ways (see the module docs).
///
/// `cfg.time_limit`, when set, bounds the whole comparison rather than each solve: every solve
/// gets the time left divided by the solves still to run (the engine returns its best verified
/// plan when its share is spent). [`compare_reusing`] also skips a variant when less time is left
/// than the main plan spent outside the engine's budgeted phases.
pub fn compare(scenario: &Scenario, cfg: &SolveConfig<'_>) -> Finance {
    compare_reusing(scenario, cfg, None)
}

/// [`compare`], reusing `main` (the scenario's own plan, solved with `cfg`) for the variant whose
/// purchase options are exactly the scenario's: that solve would repeat it.
pub fn compare_reusing(scenario: &Scenario, cfg: &SolveConfig<'_>, main: Option<&Plan>) -> Finance {
    let mut own = scenario.purchase.clone();
    own.sort();
    // Each variant's own plan first; then a variant whose options include an earlier variant's
    // keeps the cheaper of the two plans (the earlier plan is valid for it too, and is
    // re-verified), so buying more options never reports a dearer cluster.
    let mut plans: Vec<(Scenario, Result<Plan, Unplanned>)> = Vec::new();
    let deadline = cfg.time_limit.map(|t| cfg.clock.now() + t);
    // The part of a solve that no time limit shortens (setup and the first-fit-decreasing seed),
    // as the main plan measured it: a variant is not started with less time than that left (an
    // earlier variant's plan, valid for it, stands in when there is one).
    let fixed = main.map_or(0.0, |p| {
        let phases: f64 = p.solver.stats.as_ref().map_or(0.0, |s| s.seconds.total());
        (p.solver.seconds - phases).max(0.0)
    });
    let mut to_solve = VARIANTS.iter().filter(|(_, p)| main.is_none() || p.to_vec() != own).count();
    for (_, purchase) in VARIANTS.iter() {
        let mut s = scenario.clone();
        s.purchase = purchase.to_vec();
        let mut solved = match main {
            Some(plan) if own == s.purchase => Ok(plan.clone()),
            _ => {
                let left = deadline.map(|d| d - cfg.clock.now());
                let share = left.map(|l| (l / to_solve.max(1) as f64).max(0.0));
                to_solve = to_solve.saturating_sub(1);
                if left.is_some_and(|l| l <= fixed) {
                    Err(Unplanned::TimeRanOut)
                } else {
                    let cfg = SolveConfig { time_limit: share, ..*cfg };
                    solve::solve(&s, &cfg).map_err(Unplanned::Solve)
                }
            }
        };
        for (earlier, (_, prev)) in VARIANTS.iter().zip(&plans) {
            let subset = earlier.1.iter().all(|p| purchase.contains(p));
            if let (true, Ok(prev)) = (subset, prev) {
                let cheaper = match &solved {
                    Ok(plan) => prev.hourly().0 < plan.hourly().0 - 1e-9,
                    Err(_) => true,
                };
                if cheaper && verify(&s, prev).is_empty() {
                    solved = Ok(prev.clone());
                }
            }
        }
        plans.push((s, solved));
    }
    let variants = VARIANTS
        .iter()
        .zip(plans)
        .map(|((name, purchase), (s, solved))| {
            let result = match solved {
                Ok(plan) if verify(&s, &plan).is_empty() => {
                    let mut by_purchase = BTreeMap::new();
                    for n in &plan.nodes {
                        *by_purchase.entry(n.purchase).or_insert(0u64) += 1;
                    }
                    let options = s.node_options().output;
                    let mut estimated_prices: Vec<String> = plan
                        .nodes
                        .iter()
                        .filter_map(|n| {
                            let o = options.iter().find(|o| o.key() == n.option_key())?;
                            match &o.price_source {
                                crate::catalog::PriceSource::DiscountTable { discount, source } => {
                                    Some(format!(
                                        "{} {:.0}% off: {source}",
                                        n.purchase,
                                        100.0 * discount
                                    ))
                                }
                                _ => None,
                            }
                        })
                        .collect();
                    estimated_prices.sort();
                    estimated_prices.dedup();
                    Ok(VariantResult {
                        hourly: plan.hourly(),
                        nodes: plan.nodes.len() as u64,
                        by_purchase,
                        risk: spot_risk(&s, &plan),
                        status: plan.solver.status.as_str(),
                        estimated_prices,
                    })
                }
                Ok(_) => Err(Unplanned::Unverified),
                Err(e) => Err(e),
            };
            Variant { name, purchase: purchase.to_vec(), result }
        })
        .collect();
    let without_headroom = (scenario.policy.headroom != policy::Headroom::None).then(|| {
        let mut s = scenario.clone();
        s.policy.headroom = policy::Headroom::None;
        let left = deadline.map(|d| d - cfg.clock.now());
        let result = if left.is_some_and(|l| l <= fixed) {
            Err(Unplanned::TimeRanOut)
        } else {
            let cfg = SolveConfig { time_limit: left.map(|l| l.max(0.0)), ..*cfg };
            match solve::solve(&s, &cfg) {
                Ok(plan) if verify(&s, &plan).is_empty() => {
                    Ok((plan.nodes.len() as u64, plan.hourly()))
                }
                Ok(_) => Err(Unplanned::Unverified),
                Err(e) => Err(Unplanned::Solve(e)),
            }
        };
        WithoutHeadroom { headroom: scenario.policy.headroom, result }
    });
    Finance { variants, without_headroom }
}

/// The spot cap of a scenario as a fraction, for reports.
pub fn spot_cap(scenario: &Scenario) -> f64 {
    policy::ppm_to_ratio(scenario.policy.spot_max_share)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::solve::{Method, default_config};

    // Hand computation: type n4 (4 vCPU), on-demand $0.20/h, reserved-1y $0.12/h, spot
    // $0.06/h; 4 nodes' worth of pods, half of them spot-tolerant, 50% spot cap.
    // all-on-demand 4 × 0.20 = 0.80; reserved 4 × 0.12 = 0.48; spot: the 2 nodes of the
    // tolerant workload on spot, 2 × 0.20 + 2 × 0.06 = 0.52; blend 2 × 0.12 + 2 × 0.06 = 0.36.
    #[test]
    fn four_way_comparison_matches_a_hand_calculation() {
        let text = "name: f\nprovider: custom\nregion: dc\noverhead: none\npurchase: [on-demand]\npolicy: {headroom: none, spot: {max_share: 0.5}}\ncatalog:\n  custom:\n    - {name: n4, cpu: 4, memory: 16Gi, price: {on_demand: 0.20, reserved_1y: 0.12, spot: 0.06}}\nworkloads:\n  - {name: steady, replicas: 4, requests: {cpu: 2, memory: 4Gi}}\n  - {name: batch, replicas: 4, spot: true, requests: {cpu: 2, memory: 4Gi}}\n";
        let s = read_scenario(text, "f.yaml").output.unwrap();
        let f = compare(&s, &SolveConfig { method: Method::Exact, ..default_config() });
        let costs: Vec<f64> =
            f.variants.iter().map(|v| v.result.as_ref().unwrap().hourly.0).collect();
        for (got, want) in costs.iter().zip([0.80, 0.48, 0.52, 0.36]) {
            assert!((got - want).abs() < 1e-9, "{costs:?}");
        }
        let spot = f.variants[2].result.as_ref().unwrap();
        assert_eq!(spot.risk.spot_nodes, 2);
        assert!((spot.risk.spot_share - 0.5).abs() < 1e-9);
        assert_eq!(spot.risk.spot_nodes_without_bucket, 2);
        let (saved, frac) = f.savings(&f.variants[3]).unwrap();
        assert!((saved.0 - 0.44).abs() < 1e-9 && (frac - 0.55).abs() < 1e-9);
    }

    #[test]
    fn interruption_buckets_have_rates() {
        assert_eq!(bucket_rate("<5%"), Some(0.025));
        assert_eq!(bucket_rate(">20%"), Some(0.25));
        assert_eq!(bucket_rate("unknown"), None);
    }
}
