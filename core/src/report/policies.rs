//! The policies a plan was made under, said out loud: each value and whether it is the default,
//! what the headroom's spare capacity costs and how to remove it, and why zones and purchase
//! options that were offered are unused.
//!
//! Every plan output (table, `policy_applied` in `kplan.plan/v1`, Markdown and HTML, the browser's
//! plan view) renders [`applied`], so they all say the same thing.

use std::collections::BTreeSet;

use crate::catalog::PurchaseOption;
use crate::cost::finance::{Finance, Unplanned};
use crate::money::{Price, format_usd};
use crate::plan::Plan;
use crate::policy::{self, Headroom, LimitMode};
use crate::scenario::{Scenario, default_zones};

/// One policy in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyLine {
    /// The scenario field (`policy.headroom`, `zones`, `purchase` …).
    pub name: &'static str,
    /// Its value, as a scenario spells it.
    pub value: String,
    /// True when the value is the default (SPEC §4), whether or not the scenario wrote it.
    pub default: bool,
    /// What it does to this plan, in a sentence.
    pub meaning: String,
}

/// The spare capacity the headroom policy buys: this plan against the same scenario planned with
/// `headroom: none`.
#[derive(Clone, Debug, PartialEq)]
pub struct Spare {
    /// The headroom policy.
    pub headroom: Headroom,
    /// Nodes this plan has beyond the plan without headroom (0 or less: none).
    pub extra_nodes: i64,
    /// What they cost per hour (this plan minus the plan without headroom).
    pub hourly: Price,
    /// How to plan without it.
    pub remove_with: String,
}

/// An offered zone or purchase option that the plan does not use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// The zone or purchase option.
    pub name: String,
    /// Why the plan has no node there.
    pub reason: String,
}

/// Why the headroom's spare capacity has no price.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unmeasured {
    /// The finance comparison, which plans the scenario without headroom, did not run.
    #[error("not measured: the finance comparison did not run (--no-finance)")]
    NoFinance,
    /// The finance comparison ran without planning the scenario without headroom.
    #[error("not measured")]
    NotPlanned,
    /// The plan without headroom failed.
    #[error(transparent)]
    Unplanned(#[from] Unplanned),
}

/// Everything said about the policies of one plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// Every policy, in scenario order.
    pub policies: Vec<PolicyLine>,
    /// The headroom's cost: `Ok` when measured, `Err` with why not; `None` without headroom.
    pub spare: Option<Result<Spare, Unmeasured>>,
    /// Zones of the scenario with no node.
    pub unused_zones: Vec<Unused>,
    /// Purchase options with no node: offered ones and the ones not offered.
    pub unused_purchase: Vec<Unused>,
}

/// The flag and the scenario field that turn the headroom off.
pub const REMOVE_HEADROOM: &str = "--headroom none (or policy.headroom: none in a scenario)";

/// The policies of `plan`, made for `scenario`; the spare capacity's cost comes from the finance
/// comparison's plan without headroom, when it ran.
pub fn applied(scenario: &Scenario, plan: &Plan, finance: Option<&Finance>) -> Applied {
    let p = &scenario.policy;
    let d = policy::default_policy();
    let ratio = |ppm: u64| {
        let r = policy::ppm_to_ratio(ppm);
        format!("{r}")
    };
    let mut policies = Vec::new();
    let utilization = if p.utilization.cpu == p.utilization.memory
        && p.utilization.memory == p.utilization.other
    {
        ratio(p.utilization.cpu)
    } else {
        format!("cpu {}, memory {}", ratio(p.utilization.cpu), ratio(p.utilization.memory))
    };
    policies.push(PolicyLine {
        name: "policy.utilization",
        value: utilization,
        default: p.utilization == d.utilization,
        meaning: "requests may fill this share of each node's allocatable".to_string(),
    });
    let overcommit = match (p.overcommit.cpu, p.overcommit.memory) {
        (None, None) => "none".to_string(),
        (c, m) => [("cpu", c), ("memory", m)]
            .iter()
            .filter_map(|(n, v)| v.map(|v| format!("{n} {}", ratio(v))))
            .collect::<Vec<_>>()
            .join(", "),
    };
    policies.push(PolicyLine {
        name: "policy.overcommit",
        value: overcommit,
        default: p.overcommit == d.overcommit,
        meaning: if p.overcommit.is_none() {
            "limits are not capped; only requests are packed".to_string()
        } else {
            "the sum of limits on a node may reach this multiple of its allocatable".to_string()
        },
    });
    policies.push(PolicyLine {
        name: "policy.max_pods_per_node",
        value: p.max_pods_per_node.map_or("the provider's".to_string(), |n| n.to_string()),
        default: p.max_pods_per_node == d.max_pods_per_node,
        meaning: "pods per node, DaemonSet pods included".to_string(),
    });
    let spot_share = policy::ppm_to_ratio(p.spot_max_share);
    policies.push(PolicyLine {
        name: "policy.spot.max_share",
        value: format!("{spot_share}"),
        default: p.spot_max_share == d.spot_max_share,
        meaning: if p.spot_max_share == 0 {
            "no spot capacity".to_string()
        } else {
            format!("at most {:.0}% of the cluster's vCPUs on spot nodes", 100.0 * spot_share)
        },
    });
    policies.push(PolicyLine {
        name: "policy.on_demand_floor",
        value: if p.on_demand_floor { "on" } else { "off" }.to_string(),
        default: p.on_demand_floor == d.on_demand_floor,
        meaning: "workloads that are not spot-tolerant, and the PodDisruptionBudget minimum of those that are, stay off spot".to_string(),
    });
    policies.push(PolicyLine {
        name: "policy.headroom",
        value: p.headroom.to_string(),
        default: p.headroom == d.headroom,
        meaning: match p.headroom {
            Headroom::None => {
                "no spare capacity: losing a node may leave pods unscheduled".to_string()
            }
            Headroom::Node => {
                "after losing any one node, every pod still fits on the rest".to_string()
            }
            Headroom::Zone => {
                "after losing any one zone, every pod still fits on the rest".to_string()
            }
        },
    });
    let default_zones = default_zones(scenario.provider, &scenario.region);
    policies.push(PolicyLine {
        name: "zones",
        value: scenario.zones.join(", "),
        default: scenario.zones == default_zones,
        meaning: if scenario.zones.len() == 1 {
            "one zone: nodes are placed there".to_string()
        } else {
            format!("{} zones nodes may be placed in", scenario.zones.len())
        },
    });
    let purchase: Vec<String> = scenario.purchase.iter().map(|o| o.to_string()).collect();
    policies.push(PolicyLine {
        name: "purchase",
        value: purchase.join(", "),
        default: scenario.purchase == [PurchaseOption::OnDemand],
        meaning: "the purchase options nodes may be bought on".to_string(),
    });
    policies.push(PolicyLine {
        name: "policy.node_size_guidance",
        value: if p.node_size_guidance { "on" } else { "off" }.to_string(),
        default: p.node_size_guidance == d.node_size_guidance,
        meaning: "warns about node types that fit few pods or strand resources".to_string(),
    });
    policies.push(PolicyLine {
        name: "policy.cluster_limits",
        value: match p.cluster_limits {
            LimitMode::Warn => "warn",
            LimitMode::Fail => "fail",
            LimitMode::Off => "off",
        }
        .to_string(),
        default: p.cluster_limits == d.cluster_limits,
        meaning: "above 5,000 nodes, 110 pods per node, 150,000 pods or 300,000 containers"
            .to_string(),
    });

    let spare = (p.headroom != Headroom::None).then(|| {
        let Some(f) = finance else {
            return Err(Unmeasured::NoFinance);
        };
        let Some(w) = &f.without_headroom else {
            return Err(Unmeasured::NotPlanned);
        };
        let (n_nodes, hourly) = w.result.clone()?;
        Ok(Spare {
            headroom: p.headroom,
            extra_nodes: plan.nodes.len() as i64 - n_nodes as i64,
            hourly: Price((plan.hourly().0 - hourly.0).max(0.0)),
            remove_with: REMOVE_HEADROOM.to_string(),
        })
    });

    let used_zones: BTreeSet<&str> = plan.nodes.iter().map(|n| n.zone.as_str()).collect();
    let mut unused_zones = Vec::new();
    if !plan.nodes.is_empty() {
        let spread: Vec<u32> =
            scenario.workloads.iter().filter_map(|w| w.zone_spread.map(|z| z.max_skew)).collect();
        let pinned = scenario.workloads.iter().any(|w| !w.placement.zones.is_empty());
        for z in scenario.zones.iter().filter(|z| !used_zones.contains(z.as_str())) {
            let reason = if p.headroom == Headroom::Zone {
                "the cheapest plan that survives the loss of any zone leaves it empty".to_string()
            } else if spread.is_empty() && !pinned {
                format!(
                    "nothing asks for more than one zone: no workload spreads over zones (topologySpreadConstraints on topology.kubernetes.io/zone, zone_spread) and headroom is {}, so the nodes go where they are cheapest; headroom: zone or a zone spread would use it",
                    p.headroom
                )
            } else if spread.is_empty() {
                "no workload spreads over zones, and the workloads pinned to zones name others"
                    .to_string()
            } else {
                format!(
                    "the zone-spread workloads keep their max skew ({}) without a node here",
                    spread.iter().min().copied().unwrap_or(1)
                )
            };
            unused_zones.push(Unused { name: z.clone(), reason });
        }
    }

    let used_purchase: BTreeSet<PurchaseOption> = plan.nodes.iter().map(|n| n.purchase).collect();
    let mut unused_purchase = Vec::new();
    if !plan.nodes.is_empty() {
        let any_spot_workload = scenario.workloads.iter().any(|w| w.spot);
        for o in PurchaseOption::ALL {
            if used_purchase.contains(&o) {
                continue;
            }
            let reason = if !scenario.purchase.contains(&o) {
                format!(
                    "not among the purchase options ({}{}); purchase: in a scenario adds it",
                    purchase.join(", "),
                    if scenario.purchase == [PurchaseOption::OnDemand] {
                        ", the default"
                    } else {
                        ""
                    }
                )
            } else if o.is_spot() && p.spot_max_share == 0 {
                "policy.spot.max_share is 0".to_string()
            } else if o.is_spot() && !any_spot_workload {
                "no workload is spot-tolerant (spot: true, or a spot toleration or node affinity), and the on-demand floor keeps the others off spot".to_string()
            } else if o.is_spot() {
                "within the spot share and the on-demand floor, spot nodes were not cheaper"
                    .to_string()
            } else {
                "no node of this plan is cheaper on it".to_string()
            };
            unused_purchase.push(Unused { name: o.to_string(), reason });
        }
    }
    Applied { policies, spare, unused_zones, unused_purchase }
}

impl Applied {
    /// The lines printed under "Policies" by the table and the documents.
    pub fn lines(&self) -> Vec<String> {
        let mut res: Vec<String> = self
            .policies
            .iter()
            .map(|l| {
                format!(
                    "{} {}{}: {}",
                    l.name,
                    l.value,
                    if l.default { " (default)" } else { "" },
                    l.meaning
                )
            })
            .collect();
        match &self.spare {
            Some(Ok(s)) if s.extra_nodes > 0 || s.hourly.0 > 0.005 / 730.0 => res.push(format!(
                "headroom {} adds {} spare node{} for {}/month over the same plan without headroom; {} removes {}",
                s.headroom,
                s.extra_nodes.max(0),
                if s.extra_nodes == 1 { "" } else { "s" },
                format_usd(s.hourly.monthly()),
                s.remove_with,
                if s.extra_nodes == 1 { "it" } else { "them" }
            )),
            Some(Ok(s)) => res.push(format!(
                "headroom {} costs nothing here: the plan without headroom is no cheaper",
                s.headroom
            )),
            Some(Err(e)) => res.push(format!("the headroom's spare capacity: {e}")),
            None => {}
        }
        for u in &self.unused_zones {
            res.push(format!("zone {} unused: {}", u.name, u.reason));
        }
        for u in &self.unused_purchase {
            res.push(format!("{} unused: {}", u.name, u.reason));
        }
        res
    }
}
