//! Cost: breakdowns by purchase option, the reason each pool is on its option, allocation to
//! namespaces and owners ([`allocation`]), control-plane and storage lines, the four-way
//! reserved-versus-spot comparison ([`finance`]) and the commitment planner ([`commit`]).

pub mod allocation;
pub mod commit;
pub mod finance;

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::PurchaseOption;
use crate::money::Price;
use crate::plan::{Plan, Pool};
use crate::policy;
use crate::scenario::{NodeOption, Scenario, Volume};

/// Nodes and hourly cost of one purchase option.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PurchaseTotal {
    /// Number of nodes.
    pub nodes: u64,
    /// vCPUs of those nodes.
    pub vcpus: f64,
    /// Their hourly cost.
    pub hourly: Price,
}

/// The plan's nodes by purchase option.
pub fn by_purchase(scenario: &Scenario, plan: &Plan) -> BTreeMap<PurchaseOption, PurchaseTotal> {
    let options = scenario.node_options().output;
    let by_key: BTreeMap<crate::scenario::OptionKey, &NodeOption> =
        options.iter().map(|o| (o.key(), o)).collect();
    let mut res: BTreeMap<PurchaseOption, PurchaseTotal> = BTreeMap::new();
    for n in &plan.nodes {
        let e = res.entry(n.purchase).or_default();
        e.nodes += 1;
        e.hourly += n.hourly;
        e.vcpus += by_key.get(&n.option_key()).map_or(0.0, |o| o.capacity.cpu.as_cores_f64());
    }
    res
}

/// The storage line: every scenario volume with its monthly cost.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageCost {
    /// The volumes, in scenario order, with their monthly cost.
    pub volumes: Vec<(Volume, f64)>,
    /// Monthly cost per storage class.
    pub by_class: BTreeMap<String, f64>,
    /// Total per month.
    pub monthly: f64,
}

/// Prices the scenario's volumes.
pub fn storage(scenario: &Scenario) -> StorageCost {
    let mut by_class: BTreeMap<String, f64> = BTreeMap::new();
    let volumes: Vec<(Volume, f64)> =
        scenario.volumes.iter().map(|v| (v.clone(), v.monthly())).collect();
    for (v, m) in &volumes {
        *by_class.entry(v.storage_class.clone()).or_default() += m;
    }
    let monthly = volumes.iter().fold(0.0, |acc, (_, m)| acc + m);
    StorageCost { volumes, by_class, monthly }
}

/// Node cost plus control plane plus storage, per hour (storage converted at 730 h a month).
pub fn all_in_hourly(scenario: &Scenario, plan: &Plan) -> Price {
    plan.hourly()
        + reservations(scenario, plan).iter().map(|r| r.fixed_hourly).sum::<Price>()
        + scenario.control_plane.hourly
        + Price::from_monthly(storage(scenario).monthly)
}

/// How a plan uses one capacity reservation of its scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ReservationUse {
    /// The reservation's name.
    pub name: String,
    /// Instance type.
    pub instance_type: String,
    /// Zone.
    pub zone: String,
    /// Nodes reserved.
    pub available: u32,
    /// Nodes of the plan on the reservation.
    pub used: u32,
    /// Price per node-hour.
    pub price: Price,
    /// Whether unused nodes are charged.
    pub charge_unused: bool,
    /// What the reservation costs per hour beyond the plan's node prices: the whole reservation
    /// when unused nodes are charged (its nodes are priced at 0 in the plan), else nothing.
    pub fixed_hourly: Price,
    /// What the unused reserved nodes cost per hour (0 when they are not charged).
    pub unused_hourly: Price,
}

/// Every reservation of the scenario with the plan's use of it, in scenario order.
pub fn reservations(scenario: &Scenario, plan: &Plan) -> Vec<ReservationUse> {
    scenario
        .reservations
        .iter()
        .map(|r| {
            let used = plan
                .nodes
                .iter()
                .filter(|n| {
                    n.purchase == PurchaseOption::Reservation
                        && n.instance_type == r.instance_type
                        && n.zone == r.zone
                })
                .count() as u32;
            let unused = r.count.saturating_sub(used);
            ReservationUse {
                name: r.name.clone(),
                instance_type: r.instance_type.clone(),
                zone: r.zone.clone(),
                available: r.count,
                used,
                price: r.price,
                charge_unused: r.charge_unused,
                fixed_hourly: if r.charge_unused {
                    Price(r.price.0 * f64::from(r.count))
                } else {
                    Price::ZERO
                },
                unused_hourly: if r.charge_unused {
                    Price(r.price.0 * f64::from(unused))
                } else {
                    Price::ZERO
                },
            }
        })
        .collect()
}

/// The spot share of a plan's vCPU capacity, as a fraction.
pub fn spot_share(scenario: &Scenario, plan: &Plan) -> f64 {
    let t = by_purchase(scenario, plan);
    let total: f64 = t.values().map(|p| p.vcpus).sum();
    let spot = t.get(&PurchaseOption::Spot).map_or(0.0, |p| p.vcpus);
    if total > 0.0 { spot / total } else { 0.0 }
}

fn names(list: &BTreeSet<String>) -> String {
    let v: Vec<&str> = list.iter().map(String::as_str).collect();
    if v.len() > 4 {
        format!("{} and {} more", v[..3].join(", "), v.len() - 3)
    } else {
        v.join(", ")
    }
}

/// Why each pool of the plan is on its purchase option, in [`Plan::pools`] order.
///
/// The reasons are read off the plan and the scenario: which workloads the pool's nodes run
/// (and whether they tolerate spot), the spot share against its cap, the on-demand floor, and
/// the reserved and on-demand prices of the type.
pub fn pool_reasons(scenario: &Scenario, plan: &Plan) -> Vec<(Pool, String)> {
    let why = PoolReasons {
        scenario,
        options: scenario.node_options().output,
        cap: policy::ppm_to_ratio(scenario.policy.spot_max_share),
        share: spot_share(scenario, plan),
        spot_possible: scenario.spot_allowed(),
        reserved_listed: scenario
            .purchase
            .iter()
            .copied()
            .filter(|p| matches!(p, PurchaseOption::Reserved1y | PurchaseOption::Reserved3y))
            .collect(),
    };
    plan.pools()
        .into_iter()
        .map(|pool| {
            let runs = PoolWorkloads::of(scenario, plan, &pool);
            let reason = why.reason(&pool, &runs);
            (pool, reason)
        })
        .collect()
}

/// The workloads a pool's nodes run, by how they stand towards spot.
struct PoolWorkloads {
    /// Workloads that tolerate spot.
    tolerant: BTreeSet<String>,
    /// Workloads that do not.
    intolerant: BTreeSet<String>,
    /// Spot-tolerant workloads whose `min_available` replicas the on-demand floor keeps off spot.
    floor: BTreeSet<String>,
}

impl PoolWorkloads {
    fn of(scenario: &Scenario, plan: &Plan, pool: &Pool) -> PoolWorkloads {
        let mut runs = PoolWorkloads {
            tolerant: BTreeSet::new(),
            intolerant: BTreeSet::new(),
            floor: BTreeSet::new(),
        };
        for n in plan.nodes.iter().filter(|n| {
            n.instance_type == pool.instance_type
                && n.purchase == pool.purchase
                && n.zone == pool.zone
        }) {
            for p in &n.pods {
                if let Some((_, w)) = scenario.workload(&p.workload.namespace, &p.workload.name) {
                    if w.spot {
                        runs.tolerant.insert(w.name.clone());
                        if scenario.policy.on_demand_floor && w.min_available.is_some() {
                            runs.floor.insert(w.name.clone());
                        }
                    } else {
                        runs.intolerant.insert(w.name.clone());
                    }
                }
            }
        }
        runs
    }

    /// Whether the pool runs any pod (a pool that runs none is headroom).
    fn used(&self) -> bool {
        !self.tolerant.is_empty() || !self.intolerant.is_empty()
    }
}

/// What the reasons of a plan's pools are read against: the scenario's options, the spot share
/// and its cap, and the reserved options listed.
struct PoolReasons<'a> {
    scenario: &'a Scenario,
    options: Vec<NodeOption>,
    cap: f64,
    share: f64,
    spot_possible: bool,
    reserved_listed: Vec<PurchaseOption>,
}

impl PoolReasons<'_> {
    fn price_of(&self, t: &str, p: PurchaseOption) -> Option<Price> {
        self.options.iter().find(|o| o.instance_type == t && o.purchase == p).map(|o| o.price)
    }

    fn reason(&self, pool: &Pool, runs: &PoolWorkloads) -> String {
        let od = self.price_of(&pool.instance_type, PurchaseOption::OnDemand);
        match pool.purchase {
            PurchaseOption::Reservation => {
                let r = self.scenario.reservation_for(&pool.instance_type, &pool.zone);
                match r {
                    Some(r) if r.charge_unused => format!(
                        "reservation {}: {} of its {} nodes are paid for whether used or not, so using them costs nothing more",
                        r.name, pool.count, r.count
                    ),
                    Some(r) => format!(
                        "reservation {}: {} of its {} nodes at ${:.4}/h each, only while used",
                        r.name, pool.count, r.count, pool.hourly_each.0
                    ),
                    None => "reservation".to_string(),
                }
            }
            PurchaseOption::Spot => format!(
                "spot: {} tolerate{} spot, and spot holds {:.0}% of the cluster's vCPU, within the {:.0}% cap",
                if runs.tolerant.is_empty() {
                    "its pods".to_string()
                } else {
                    names(&runs.tolerant)
                },
                if runs.tolerant.len() == 1 { "s" } else { "" },
                100.0 * self.share,
                100.0 * self.cap
            ),
            PurchaseOption::Reserved1y | PurchaseOption::Reserved3y => {
                let vs = match od {
                    Some(od) if od.0 > 0.0 => format!(
                        "${:.4}/h against ${:.4}/h on-demand ({:.0}% less)",
                        pool.hourly_each.0,
                        od.0,
                        100.0 * (1.0 - pool.hourly_each.0 / od.0)
                    ),
                    _ => format!("${:.4}/h, no on-demand price to compare", pool.hourly_each.0),
                };
                format!(
                    "{}: cheapest option for a node that runs all the time{}: {vs}",
                    pool.purchase,
                    if runs.used() { "" } else { " (a spare node kept for headroom)" }
                )
            }
            PurchaseOption::OnDemand => self.on_demand(pool, runs, od),
        }
    }

    /// Why a pool is on-demand: headroom, its pods, the floor or the spot cap; then whether a
    /// reserved price would have been cheaper.
    fn on_demand(&self, pool: &Pool, runs: &PoolWorkloads, od: Option<Price>) -> String {
        let mut why = Vec::new();
        let used = runs.used();
        if !used {
            why.push("a spare node kept for headroom".to_string());
        }
        if !runs.intolerant.is_empty() {
            why.push(format!(
                "runs {} that do{} not tolerate spot",
                names(&runs.intolerant),
                if runs.intolerant.len() == 1 { "es" } else { "" }
            ));
        } else if !runs.floor.is_empty() {
            why.push(format!(
                "PDB floor: keeps the min_available replicas of {} off spot",
                names(&runs.floor)
            ));
        } else if used && self.spot_possible && self.share + 1e-9 >= self.cap {
            why.push(format!("the spot share is at its {:.0}% cap", 100.0 * self.cap));
        }
        if used && !self.spot_possible && runs.intolerant.is_empty() {
            why.push(if !self.scenario.purchase.contains(&PurchaseOption::Spot) {
                "spot is not a purchase option".to_string()
            } else {
                "the policy allows no spot share".to_string()
            });
        }
        let cheaper_reserved = self
            .reserved_listed
            .iter()
            .filter_map(|p| Some((*p, self.price_of(&pool.instance_type, *p)?)))
            .filter(|(_, price)| od.is_some_and(|od| price.0 < od.0))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match cheaper_reserved {
            Some((p, price)) => {
                why.push(format!("{p} would cost ${:.4}/h, but the packer kept on-demand", price.0))
            }
            None if self.reserved_listed.is_empty() => {
                why.push("reserved is not a purchase option".to_string())
            }
            None => why.push(format!("{} has no cheaper reserved price", pool.instance_type)),
        }
        format!("on-demand: {}", why.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
    use crate::solve::{default_config, solve};

    const BASE: &str =
        "name: r\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\n";

    // Hand computation: one type, 4 vCPU / 16 GiB, on-demand $0.20/h. A steady workload that
    // fills one node. With reserved-1y at $0.19/h the reserved node is cheaper and chosen; at
    // $0.21/h it is dearer and on-demand is chosen; at exactly $0.20/h nothing is gained and
    // the tie goes to on-demand (the first option in order).
    #[test]
    fn a_reserved_node_is_chosen_exactly_when_it_is_cheaper() {
        for (reserved, expect) in [
            (0.19, PurchaseOption::Reserved1y),
            (0.21, PurchaseOption::OnDemand),
            (0.20, PurchaseOption::OnDemand),
        ] {
            let text = format!(
                "{BASE}purchase: [on-demand, reserved-1y]\ncatalog:\n  custom:\n    - {{name: n4, cpu: 4, memory: 16Gi, price: {{on_demand: 0.20, reserved_1y: {reserved}}}}}\nworkloads:\n  - {{name: app, replicas: 2, requests: {{cpu: 2, memory: 4Gi}}}}\n"
            );
            let s = read_scenario(&text, "r.yaml").output.unwrap();
            for cfg in [
                default_config(),
                crate::solve::SolveConfig {
                    method: crate::solve::Method::Exact,
                    ..default_config()
                },
            ] {
                let plan = solve(&s, &cfg).unwrap();
                assert_eq!(verify(&s, &plan), vec![]);
                assert_eq!(plan.nodes.len(), 1);
                assert_eq!(plan.nodes[0].purchase, expect, "reserved at {reserved}");
                let reasons = pool_reasons(&s, &plan);
                assert!(reasons[0].1.starts_with(expect.as_str()), "{}", reasons[0].1);
            }
        }
    }

    // Hand computation for the spot cap and the on-demand floor. Type n4: 4 vCPU / 16 GiB,
    // on-demand $0.20/h, spot $0.06/h. Workload `batch`: 8 pods of 2 CPU, spot-tolerant, so
    // 4 nodes' worth. With a 50% cap at most 2 of the 4 nodes may be spot (8 of 16 vCPU) and
    // the plan costs 2 × 0.20 + 2 × 0.06 = $0.52/h. With a 100% cap all 4 go spot, unless the
    // floor binds: min_available 6 keeps 6 pods = 3 nodes on-demand, so 3 × 0.20 + 0.06.
    #[test]
    fn the_spot_cap_and_the_on_demand_floor_bind_where_they_should() {
        let run = |cap: &str, min_available: Option<u32>| {
            let mut text = format!(
                "{BASE}purchase: [on-demand, spot]\npolicy: {{headroom: none, spot: {{max_share: {cap}}}}}\ncatalog:\n  custom:\n    - {{name: n4, cpu: 4, memory: 16Gi, price: {{on_demand: 0.20, spot: 0.06}}}}\nworkloads:\n  - {{name: batch, replicas: 8, spot: true, requests: {{cpu: 2, memory: 4Gi}}"
            );
            text = text.replacen("policy: {headroom: none}\n", "", 1);
            if let Some(m) = min_available {
                text.push_str(&format!(", min_available: {m}"));
            }
            text.push_str("}\n");
            let s = read_scenario(&text, "s.yaml").output.unwrap();
            let plan = solve(
                &s,
                &crate::solve::SolveConfig {
                    method: crate::solve::Method::Exact,
                    ..default_config()
                },
            )
            .unwrap();
            assert_eq!(verify(&s, &plan), vec![]);
            let t = by_purchase(&s, &plan);
            let n = |p| t.get(&p).map_or(0, |x: &PurchaseTotal| x.nodes);
            (
                n(PurchaseOption::OnDemand),
                n(PurchaseOption::Spot),
                plan.hourly().0,
                pool_reasons(&s, &plan),
            )
        };
        let (od, spot, cost, reasons) = run("0.5", None);
        assert_eq!((od, spot), (2, 2));
        assert!((cost - 0.52).abs() < 1e-9);
        let od_reason =
            &reasons.iter().find(|(p, _)| p.purchase == PurchaseOption::OnDemand).unwrap().1;
        assert!(od_reason.contains("at its 50% cap"), "{od_reason}");
        let (od, spot, cost, _) = run("1.0", None);
        assert_eq!((od, spot), (0, 4));
        assert!((cost - 0.24).abs() < 1e-9);
        let (od, spot, cost, reasons) = run("1.0", Some(6));
        assert_eq!((od, spot), (3, 1));
        assert!((cost - 0.66).abs() < 1e-9);
        let od_reason =
            &reasons.iter().find(|(p, _)| p.purchase == PurchaseOption::OnDemand).unwrap().1;
        assert!(od_reason.contains("PDB floor"), "{od_reason}");
    }
}
