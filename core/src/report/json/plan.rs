//! The `kplan.plan/v1` JSON a plan is written as: its cost, pools, nodes, totals, baseline, solver
//! facts, the policies applied and, when compared, the finance block.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{resources_json, round6};
use crate::money::{Price, round_cents};
use crate::plan::{KarpenterBaseline, Plan, node_usage, plan_totals};
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::solve::EngineStats;

/// The schema name written into every plan.
pub const SCHEMA: &str = "kplan.plan/v1";

/// An amount of money per hour, month (730 hours) and year (8,760 hours).
#[derive(Serialize, Deserialize)]
pub struct MoneyDto {
    /// Dollars per hour.
    pub hourly: f64,
    /// Dollars per month.
    pub monthly: f64,
    /// Dollars per year.
    pub yearly: f64,
}

impl MoneyDto {
    fn of(p: Price) -> MoneyDto {
        MoneyDto {
            hourly: round6(p.hourly()),
            monthly: round_cents(p.monthly()),
            yearly: round_cents(p.yearly()),
        }
    }
}

/// The nodes of one purchase option: how many, their vCPUs and their cost.
#[derive(Serialize, Deserialize)]
pub struct PurchaseDto {
    /// Number of nodes.
    pub nodes: u64,
    /// Their vCPUs.
    pub vcpus: f64,
    /// Dollars per hour.
    pub hourly: f64,
    /// Dollars per month.
    pub monthly: f64,
    /// Dollars per year.
    pub yearly: f64,
}

/// The node and storage cost allocated to one namespace or one owner, by requests.
#[derive(Serialize, Deserialize)]
pub struct ShareDto {
    /// The namespace (in `by_namespace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The owner (in `by_owner`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The CPU part, per month.
    pub cpu_monthly: f64,
    /// The memory part, per month.
    pub memory_monthly: f64,
    /// The GPU part, per month.
    pub gpu_monthly: f64,
    /// Node cost allocated by requests (CPU + memory + GPU), per month.
    pub nodes_monthly: f64,
    /// The volumes' cost, per month.
    pub storage_monthly: f64,
    /// Nodes and storage, per month.
    pub monthly: f64,
}

/// Node cost that no request claims.
#[derive(Serialize, Deserialize)]
pub struct IdleDto {
    /// The CPU part, per month.
    pub cpu_monthly: f64,
    /// The memory part, per month.
    pub memory_monthly: f64,
    /// The GPU part, per month.
    pub gpu_monthly: f64,
    /// Dollars per month.
    pub monthly: f64,
    /// The idle share of the nodes' cost.
    pub fraction: f64,
}

/// The regression rates that split a node's price into a CPU and a memory part.
#[derive(Serialize, Deserialize)]
pub struct RatesDto {
    /// Dollars per vCPU-hour.
    pub usd_per_vcpu_hour: f64,
    /// Dollars per GiB-hour of memory.
    pub usd_per_gib_hour: f64,
    /// What the rates were fitted on.
    pub basis: String,
}

/// The managed control plane's fee.
#[derive(Serialize, Deserialize)]
pub struct ControlPlaneDto {
    /// The tier (`none` without a managed control plane).
    pub tier: String,
    /// Dollars per hour.
    pub hourly: f64,
    /// Dollars per month.
    pub monthly: f64,
    /// Dollars per year.
    pub yearly: f64,
    /// Where the price comes from.
    pub source: String,
}

/// One volume of the scenario and its price.
#[derive(Serialize, Deserialize)]
pub struct VolumeDto {
    /// The volume's name.
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// The owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Its storage class.
    pub storage_class: String,
    /// Its size, as a Kubernetes quantity.
    pub size: String,
    /// How many such volumes.
    pub count: u32,
    /// Dollars per GiB-month.
    pub usd_per_gib_month: f64,
    /// Dollars per month.
    pub monthly: f64,
    /// Where the price comes from.
    pub source: String,
}

/// The cost of the scenario's volumes.
#[derive(Serialize, Deserialize)]
pub struct StorageDto {
    /// Dollars per month.
    pub monthly: f64,
    /// Dollars per year.
    pub yearly: f64,
    /// Dollars per month by storage class.
    pub by_class: BTreeMap<String, f64>,
    /// Each volume.
    pub volumes: Vec<VolumeDto>,
}

/// What the plan costs: its nodes, split by purchase option, namespace and owner, and all-in.
#[derive(Serialize, Deserialize)]
pub struct CostDto {
    /// The nodes' cost per hour (to 6 decimals).
    pub hourly: f64,
    /// The nodes' cost per month (to cents).
    pub monthly: f64,
    /// The nodes' cost per year (to cents).
    pub yearly: f64,
    /// By purchase option present in the plan.
    pub by_purchase: BTreeMap<String, PurchaseDto>,
    /// Allocated to each namespace.
    pub by_namespace: Vec<ShareDto>,
    /// Allocated to each owner.
    pub by_owner: Vec<ShareDto>,
    /// Node cost no request claims.
    pub idle: IdleDto,
    /// The rates the allocation uses.
    pub allocation_rates: RatesDto,
    /// The control plane's fee.
    pub control_plane: ControlPlaneDto,
    /// The volumes' cost.
    pub storage: StorageDto,
    /// Each capacity reservation of the scenario (empty without one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reservations: Vec<ReservationDto>,
    /// Nodes, reservations' fixed charge, control plane and storage.
    pub total: MoneyDto,
}

/// One capacity reservation: reserved used / available and what it costs.
#[derive(Serialize, Deserialize)]
pub struct ReservationDto {
    /// The reservation's name.
    pub name: String,
    /// The instance type.
    pub instance_type: String,
    /// The zone.
    pub zone: String,
    /// Nodes reserved.
    pub available: u32,
    /// Nodes of the plan on it.
    pub used: u32,
    /// Nodes reserved and not used.
    pub unused: u32,
    /// Dollars per node-hour.
    pub price_per_node_hour: f64,
    /// Whether unused nodes are paid for.
    pub charge_unused: bool,
    /// The charge beyond the nodes' prices (the whole reservation when unused nodes are charged).
    pub fixed: MoneyDto,
    /// What the unused reserved nodes cost.
    pub unused_cost: MoneyDto,
}

fn cents(c: i64) -> f64 {
    c as f64 / 100.0
}

fn cost_dto(scenario: &Scenario, plan: &Plan) -> CostDto {
    let nodes = plan.hourly();
    let alloc = crate::cost::allocation::allocate(scenario, plan);
    let storage = crate::cost::storage(scenario);
    let mut ns_storage: BTreeMap<String, f64> = BTreeMap::new();
    let mut owner_storage: BTreeMap<String, f64> = BTreeMap::new();
    for (v, m) in &storage.volumes {
        *ns_storage.entry(v.namespace.clone()).or_default() += m;
        let owner = v.owner.clone().unwrap_or_else(|| crate::cost::allocation::NO_OWNER.into());
        *owner_storage.entry(owner).or_default() += m;
    }
    let shares = |map: &BTreeMap<String, crate::cost::allocation::Cents>,
                  store: &BTreeMap<String, f64>,
                  by_owner: bool| {
        let keys: std::collections::BTreeSet<&String> = map.keys().chain(store.keys()).collect();
        keys.into_iter()
            .map(|k| {
                let c = map.get(k).copied().unwrap_or_default();
                let st = round_cents(store.get(k).copied().unwrap_or(0.0));
                ShareDto {
                    namespace: (!by_owner).then(|| k.clone()),
                    owner: by_owner.then(|| k.clone()),
                    cpu_monthly: cents(c.cpu),
                    memory_monthly: cents(c.memory),
                    gpu_monthly: cents(c.gpu),
                    nodes_monthly: cents(c.total()),
                    storage_monthly: st,
                    monthly: round_cents(cents(c.total()) + st),
                }
            })
            .collect::<Vec<_>>()
    };
    let cp = scenario.control_plane.hourly;
    CostDto {
        hourly: round6(nodes.hourly()),
        monthly: round_cents(nodes.monthly()),
        yearly: round_cents(nodes.yearly()),
        by_purchase: crate::cost::by_purchase(scenario, plan)
            .into_iter()
            .map(|(p, t)| {
                (
                    p.as_str().to_string(),
                    PurchaseDto {
                        nodes: t.nodes,
                        vcpus: t.vcpus,
                        hourly: round6(t.hourly.0),
                        monthly: round_cents(t.hourly.monthly()),
                        yearly: round_cents(t.hourly.yearly()),
                    },
                )
            })
            .collect(),
        by_namespace: shares(&alloc.by_namespace, &ns_storage, false),
        by_owner: shares(&alloc.by_owner, &owner_storage, true),
        idle: IdleDto {
            cpu_monthly: cents(alloc.idle.cpu),
            memory_monthly: cents(alloc.idle.memory),
            gpu_monthly: cents(alloc.idle.gpu),
            monthly: cents(alloc.idle.total()),
            fraction: if alloc.total_cents > 0 {
                (alloc.idle.total() as f64 / alloc.total_cents as f64 * 1e4).round() / 1e4
            } else {
                0.0
            },
        },
        allocation_rates: RatesDto {
            usd_per_vcpu_hour: round6(alloc.rates.usd_per_vcpu_hour),
            usd_per_gib_hour: round6(alloc.rates.usd_per_gib_hour),
            basis: alloc.rates.basis.clone(),
        },
        control_plane: ControlPlaneDto {
            tier: scenario.control_plane.tier.clone(),
            hourly: round6(cp.0),
            monthly: round_cents(cp.monthly()),
            yearly: round_cents(cp.yearly()),
            source: scenario.control_plane.source.clone(),
        },
        storage: StorageDto {
            monthly: round_cents(storage.monthly),
            yearly: round_cents(storage.monthly * 12.0),
            by_class: storage.by_class.iter().map(|(k, v)| (k.clone(), round_cents(*v))).collect(),
            volumes: storage
                .volumes
                .iter()
                .map(|(v, m)| VolumeDto {
                    name: v.name.clone(),
                    namespace: v.namespace.clone(),
                    owner: v.owner.clone(),
                    storage_class: v.storage_class.clone(),
                    size: v.size.to_string(),
                    count: v.count,
                    usd_per_gib_month: v.usd_per_gib_month,
                    monthly: round_cents(*m),
                    source: v.source.clone(),
                })
                .collect(),
        },
        reservations: crate::cost::reservations(scenario, plan)
            .into_iter()
            .map(|r| ReservationDto {
                unused: r.available.saturating_sub(r.used),
                name: r.name,
                instance_type: r.instance_type,
                zone: r.zone,
                available: r.available,
                used: r.used,
                price_per_node_hour: r.price.0,
                charge_unused: r.charge_unused,
                fixed: MoneyDto::of(r.fixed_hourly),
                unused_cost: MoneyDto::of(r.unused_hourly),
            })
            .collect(),
        total: MoneyDto::of(crate::cost::all_in_hourly(scenario, plan)),
    }
}

/// The spot exposure of one finance variant's plan.
#[derive(Serialize, Deserialize)]
pub struct SpotRiskDto {
    /// Spot nodes.
    pub spot_nodes: u64,
    /// Their vCPUs.
    pub spot_vcpus: f64,
    /// Spot's share of the vCPUs.
    pub spot_share: f64,
    /// Expected interruptions per month, from the Spot Advisor buckets.
    pub expected_interruptions_per_month: f64,
    /// Spot nodes whose interruption bucket is unknown.
    pub spot_nodes_without_bucket: u64,
    /// Replicas of spot-tolerant workloads kept on non-spot nodes.
    pub floor_pods: u64,
    /// vCPUs not on spot.
    pub non_spot_vcpus: f64,
}

/// One way of buying the same workloads in the finance comparison: its plan's cost, or why it has none.
#[derive(Serialize, Deserialize)]
pub struct VariantDto {
    /// `all-on-demand`, `reserved`, `spot` or `blend`.
    pub name: String,
    /// The purchase options it may buy.
    pub purchase: Vec<String>,
    /// Dollars per hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hourly: Option<f64>,
    /// Dollars per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly: Option<f64>,
    /// Dollars per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yearly: Option<f64>,
    /// Saved against all on-demand, per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_monthly: Option<f64>,
    /// Saved against all on-demand, per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_yearly: Option<f64>,
    /// Saved against all on-demand, as a fraction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_fraction: Option<f64>,
    /// Number of nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<u64>,
    /// Nodes by purchase option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_purchase: Option<BTreeMap<String, u64>>,
    /// Its spot exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spot_risk: Option<SpotRiskDto>,
    /// How its search ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The published discounts behind estimated reserved prices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub estimated_prices: Vec<String>,
    /// Why it has no plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The same workloads planned four ways (all on-demand, reserved, spot, blend).
#[derive(Serialize, Deserialize)]
pub struct FinanceDto {
    /// The largest spot share of vCPU the policy allows.
    pub spot_cap: f64,
    /// Whether the on-demand floor applies.
    pub on_demand_floor: bool,
    /// The four variants, in order.
    pub variants: Vec<VariantDto>,
}

fn finance_dto(scenario: &Scenario, f: &crate::cost::finance::Finance) -> FinanceDto {
    FinanceDto {
        spot_cap: crate::cost::finance::spot_cap(scenario),
        on_demand_floor: scenario.policy.on_demand_floor,
        variants: f
            .variants
            .iter()
            .map(|v| {
                let purchase = v.purchase.iter().map(|p| p.as_str().to_string()).collect();
                match &v.result {
                    Ok(r) => {
                        let sv = f.savings(v);
                        VariantDto {
                            name: v.name.to_string(),
                            purchase,
                            hourly: Some(round6(r.hourly.0)),
                            monthly: Some(round_cents(r.hourly.monthly())),
                            yearly: Some(round_cents(r.hourly.yearly())),
                            savings_monthly: sv.map(|(p, _)| round_cents(p.monthly())),
                            savings_yearly: sv.map(|(p, _)| round_cents(p.yearly())),
                            savings_fraction: sv.map(|(_, x)| (x * 1e4).round() / 1e4),
                            nodes: Some(r.nodes),
                            by_purchase: Some(
                                r.by_purchase
                                    .iter()
                                    .map(|(p, n)| (p.as_str().to_string(), *n))
                                    .collect(),
                            ),
                            spot_risk: Some(SpotRiskDto {
                                spot_nodes: r.risk.spot_nodes,
                                spot_vcpus: r.risk.spot_vcpus,
                                spot_share: (r.risk.spot_share * 1e4).round() / 1e4,
                                expected_interruptions_per_month: (r
                                    .risk
                                    .expected_interruptions_per_month
                                    * 1e3)
                                    .round()
                                    / 1e3,
                                spot_nodes_without_bucket: r.risk.spot_nodes_without_bucket,
                                floor_pods: r.risk.floor_pods,
                                non_spot_vcpus: r.risk.non_spot_vcpus,
                            }),
                            status: Some(r.status.to_string()),
                            estimated_prices: r.estimated_prices.clone(),
                            error: None,
                        }
                    }
                    Err(e) => VariantDto {
                        name: v.name.to_string(),
                        purchase,
                        hourly: None,
                        monthly: None,
                        yearly: None,
                        savings_monthly: None,
                        savings_yearly: None,
                        savings_fraction: None,
                        nodes: None,
                        by_purchase: None,
                        spot_risk: None,
                        status: None,
                        estimated_prices: Vec::new(),
                        error: Some(e.to_string()),
                    },
                }
            })
            .collect(),
    }
}

/// A proven lower bound on the cost.
#[derive(Serialize, Deserialize)]
pub struct BoundDto {
    /// Dollars per hour.
    pub hourly: f64,
    /// Dollars per month.
    pub monthly: f64,
}

/// The greedy first-fit-decreasing cost and what Karpenter would launch, with the plan's savings against each.
#[derive(Serialize, Deserialize)]
pub struct BaselineDto {
    /// The greedy plan's cost per hour.
    pub ffd_hourly: f64,
    /// The greedy plan's cost per month.
    pub ffd_monthly: f64,
    /// The plan's saving against it, per month.
    pub saving_monthly: f64,
    /// The same as a fraction.
    pub saving_fraction: f64,
    /// Karpenter's plan's cost per hour (none when it would leave pods pending).
    pub karpenter_hourly: Option<f64>,
    /// Karpenter's plan's cost per month.
    pub karpenter_monthly: Option<f64>,
    /// The plan's saving against it, per month.
    pub karpenter_saving_monthly: Option<f64>,
    /// The same as a fraction.
    pub karpenter_saving_fraction: Option<f64>,
    /// What Karpenter would launch.
    pub karpenter: Option<KarpenterDto>,
}

/// What the Karpenter model launched (`solve::karpenter`), beside its cost in the baseline.
#[derive(Serialize, Deserialize)]
pub struct KarpenterDto {
    /// Number of nodes.
    pub nodes: usize,
    /// Nodes by instance type and purchase option.
    pub types: Vec<KarpenterTypeDto>,
    /// The allocatable model packed against (`scenario` or `karpenter-aws`).
    pub allocatable: String,
    /// Whether consolidation ran.
    pub consolidated: bool,
    /// What the model added beyond Karpenter's own pass.
    pub notes: Vec<String>,
    /// The kplan policies its plan breaks (empty: it verifies).
    pub violations: Vec<String>,
}

/// Nodes of one instance type and purchase option in Karpenter's plan.
#[derive(Serialize, Deserialize)]
pub struct KarpenterTypeDto {
    /// The instance type.
    pub instance_type: String,
    /// The purchase option (`on-demand`, `reserved-1y`, `reserved-3y`, `spot`, `reservation`).
    pub purchase: String,
    /// How many.
    pub count: u64,
}

fn karpenter_dto(k: &KarpenterBaseline) -> KarpenterDto {
    KarpenterDto {
        nodes: k.n_nodes,
        types: k
            .types
            .iter()
            .map(|(t, p, c)| KarpenterTypeDto {
                instance_type: t.clone(),
                purchase: p.to_string(),
                count: *c,
            })
            .collect(),
        allocatable: k.allocatable.as_str().to_string(),
        consolidated: k.consolidated,
        notes: k.notes.clone(),
        violations: k.violations.clone(),
    }
}

/// The saving of `cost` against `baseline`, as a fraction rounded to 4 places.
fn saving_fraction(baseline: Price, cost: Price) -> f64 {
    if baseline.0 > 0.0 { ((baseline.0 - cost.0) / baseline.0 * 1e4).round() / 1e4 } else { 0.0 }
}

/// The nodes of one (instance type, purchase option, zone).
#[derive(Serialize, Deserialize)]
pub struct PoolDto {
    /// The instance type.
    pub instance_type: String,
    /// The purchase option (`on-demand`, `reserved-1y`, `reserved-3y`, `spot`, `reservation`).
    pub purchase: String,
    /// The zone.
    pub zone: String,
    /// How many.
    pub count: u64,
    /// Dollars per hour of each node.
    pub hourly_each: f64,
    /// Dollars per month of all its nodes.
    pub monthly_total: f64,
    /// `catalog`, `scenario` or `estimate (…)`.
    pub price_source: String,
    /// The spot interruption bucket, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interruption: Option<String>,
    /// Each node's allocatable, as canonical quantities.
    pub allocatable_each: Value,
    /// Why the pool is on its purchase option.
    pub reason: String,
}

/// Replicas of one workload on a node.
#[derive(Serialize, Deserialize)]
pub struct PodDto {
    /// The workload's name.
    pub workload: String,
    /// The namespace.
    pub namespace: String,
    /// Replicas on the node.
    pub count: u32,
}

/// One node of the plan and what runs on it.
#[derive(Serialize, Deserialize)]
pub struct NodeDto {
    /// The node's name.
    pub name: String,
    /// The instance type.
    pub instance_type: String,
    /// The purchase option (`on-demand`, `reserved-1y`, `reserved-3y`, `spot`, `reservation`).
    pub purchase: String,
    /// The zone.
    pub zone: String,
    /// Its price per hour (full precision).
    pub hourly: f64,
    /// Allocatable, as canonical quantities.
    pub allocatable: Value,
    /// Requests of workloads and DaemonSets, as canonical quantities.
    pub requests: Value,
    /// Limits of workloads and DaemonSets, as canonical quantities.
    pub limits: Value,
    /// Requests over allocatable of cpu, memory and pods.
    pub utilization: BTreeMap<String, f64>,
    /// The replicas on it, by workload.
    pub pods: Vec<PodDto>,
}

/// A warning (or note) about the plan or its input.
#[derive(Serialize, Deserialize)]
pub struct WarningDto {
    /// `error`, `warning` or `note`.
    pub severity: String,
    /// What it says.
    pub message: String,
    /// The file it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its line (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Its column (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Its document in a multi-document file (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// The field path it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

/// How the plan was found.
#[derive(Serialize, Deserialize)]
pub struct SolverDto {
    /// `exact`, `ffd` or `karpenter`.
    pub method: String,
    /// `pure` or `highs` (exact only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    /// `optimal`, `feasible` or `time_limit`.
    pub status: String,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The exact engine's deterministic counters by name.
    pub stats: BTreeMap<String, f64>,
}

/// Aggregates over the plan's nodes.
#[derive(Serialize, Deserialize)]
pub struct TotalsDto {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of pods.
    pub pods: u64,
    /// vCPUs of all nodes.
    pub vcpus: f64,
    /// Allocatable, as canonical quantities.
    pub allocatable: Value,
    /// Requests of workloads and DaemonSets, as canonical quantities.
    pub requests: Value,
    /// Requests over allocatable of cpu, memory and pods.
    pub utilization: BTreeMap<String, f64>,
    /// Free capacity on nodes whose other resource is at least 90% requested.
    pub stranded: Value,
}

/// A plan as `kplan.plan/v1` JSON (docs/plan-schema.md): written by [`plan_value`], read back whole by the browser app.
#[derive(Serialize, Deserialize)]
pub struct PlanDto {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The scenario's name.
    pub scenario: String,
    /// Its provider.
    pub provider: String,
    /// Its region.
    pub region: String,
    /// What the plan costs.
    pub cost: CostDto,
    /// A proven lower bound (exact method).
    pub bound: Option<BoundDto>,
    /// (cost − bound) / cost.
    pub gap: Option<f64>,
    /// The greedy and Karpenter baselines.
    pub baseline: Option<BaselineDto>,
    /// Aggregates over the nodes.
    pub totals: TotalsDto,
    /// The nodes by pool.
    pub pools: Vec<PoolDto>,
    /// Every node.
    pub nodes: Vec<NodeDto>,
    /// Warnings about the plan and its input.
    pub warnings: Vec<WarningDto>,
    /// How it was found.
    pub solver: SolverDto,
    /// The policies in force.
    pub policy_applied: PolicyAppliedDto,
    /// The four-way finance comparison, when made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finance: Option<FinanceDto>,
    /// The plan explained (policy prices, marginal costs, what drives the node count, where to
    /// look; docs/plan-schema.md), when made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Value>,
}

/// The policies the plan was made under.
#[derive(Serialize, Deserialize)]
pub struct PolicyAppliedDto {
    /// Each policy and its value.
    pub policies: Vec<PolicyLineDto>,
    /// What the headroom costs (none without headroom).
    pub headroom_spare: Option<SpareDto>,
    /// Zones the plan does not use.
    pub unused_zones: Vec<UnusedDto>,
    /// Purchase options the plan does not use.
    pub unused_purchase: Vec<UnusedDto>,
    /// The sentences the table prints.
    pub lines: Vec<String>,
}

/// One policy in force.
#[derive(Serialize, Deserialize)]
pub struct PolicyLineDto {
    /// The policy.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Whether the value is the default.
    pub default: bool,
    /// What the value means.
    pub meaning: String,
}

/// What the headroom's spare nodes cost, against the same scenario planned without headroom.
#[derive(Serialize, Deserialize)]
pub struct SpareDto {
    /// The headroom policy.
    pub headroom: String,
    /// Nodes added for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_nodes: Option<i64>,
    /// Their cost per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly: Option<f64>,
    /// The setting that removes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_with: Option<String>,
    /// Why it was not measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_measured: Option<String>,
}

/// A zone or purchase option of the scenario the plan does not use, and why.
#[derive(Serialize, Deserialize)]
pub struct UnusedDto {
    /// The zone or purchase option.
    pub name: String,
    /// Why the plan does not use it.
    pub reason: String,
}

fn policy_applied_dto(
    a: &super::super::policies::Applied,
    headroom: crate::policy::Headroom,
) -> PolicyAppliedDto {
    PolicyAppliedDto {
        policies: a
            .policies
            .iter()
            .map(|l| PolicyLineDto {
                name: l.name.to_string(),
                value: l.value.clone(),
                default: l.default,
                meaning: l.meaning.clone(),
            })
            .collect(),
        headroom_spare: a.spare.as_ref().map(|s| match s {
            Ok(s) => SpareDto {
                headroom: s.headroom.as_str().to_string(),
                extra_nodes: Some(s.extra_nodes.max(0)),
                monthly: Some(round_cents(s.hourly.monthly())),
                remove_with: Some(s.remove_with.clone()),
                not_measured: None,
            },
            Err(e) => SpareDto {
                headroom: headroom.as_str().to_string(),
                extra_nodes: None,
                monthly: None,
                remove_with: Some(super::super::policies::REMOVE_HEADROOM.to_string()),
                not_measured: Some(e.to_string()),
            },
        }),
        unused_zones: a
            .unused_zones
            .iter()
            .map(|u| UnusedDto { name: u.name.clone(), reason: u.reason.clone() })
            .collect(),
        unused_purchase: a
            .unused_purchase
            .iter()
            .map(|u| UnusedDto { name: u.name.clone(), reason: u.reason.clone() })
            .collect(),
        lines: a.lines(),
    }
}

/// Utilization (requests / allocatable) of cpu, memory and pods, rounded to 4 decimals.
fn utilization(requests: &Resources, allocatable: &Resources) -> BTreeMap<String, f64> {
    [ResourceName::Cpu, ResourceName::Memory, ResourceName::Pods]
        .iter()
        .map(|n| {
            let a = allocatable.get(n);
            let u = if a == 0 { 0.0 } else { requests.get(n) as f64 / a as f64 };
            (n.to_string(), (u * 1e4).round() / 1e4)
        })
        .collect()
}

/// Serializes a plan as `kplan.plan/v1` JSON (pretty, deterministic).
pub fn plan_to_json(scenario: &Scenario, plan: &Plan) -> String {
    serde_json::to_string_pretty(&plan_value(scenario, plan))
        .expect("a JSON value always serializes")
        + "\n"
}

/// Serializes a plan with its four-way finance comparison (see [`crate::cost::finance`]).
pub fn plan_to_json_with_finance(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
) -> String {
    plan_to_json_explained(scenario, plan, finance, None)
}

/// Serializes a plan with its finance comparison and its explanation (the `explain` block, see
/// [`crate::explain`]), each when given.
pub fn plan_to_json_explained(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
    explanation: Option<&crate::explain::Explanation>,
) -> String {
    serde_json::to_string_pretty(&plan_value_explained(scenario, plan, finance, explanation))
        .expect("a JSON value always serializes")
        + "\n"
}

/// The plan as a JSON value (for YAML output and embedding).
pub fn plan_value(scenario: &Scenario, plan: &Plan) -> Value {
    plan_value_with_finance(scenario, plan, None)
}

/// The plan as a JSON value, with the `finance` block when a comparison is given.
pub fn plan_value_with_finance(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
) -> Value {
    plan_value_explained(scenario, plan, finance, None)
}

/// The plan as a JSON value, with the `finance` and `explain` blocks when given.
pub fn plan_value_explained(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
    explanation: Option<&crate::explain::Explanation>,
) -> Value {
    let options = scenario.node_options().output;
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let cost = plan.hourly();
    let totals = plan_totals(scenario, plan, &options);
    let nodes = plan
        .nodes
        .iter()
        .map(|n| {
            let opt = by_key.get(&n.option_key()).copied();
            let u = node_usage(scenario, n, opt);
            NodeDto {
                name: n.name.clone(),
                instance_type: n.instance_type.clone(),
                purchase: n.purchase.as_str().to_string(),
                zone: n.zone.clone(),
                hourly: n.hourly.0,
                allocatable: resources_json(&n.allocatable),
                requests: resources_json(&u.requests),
                limits: resources_json(&u.limits),
                utilization: utilization(&u.requests, &u.allocatable),
                pods: n
                    .pods
                    .iter()
                    .map(|p| PodDto {
                        workload: p.workload.name.clone(),
                        namespace: p.workload.namespace.clone(),
                        count: p.count,
                    })
                    .collect(),
            }
        })
        .collect();
    let pools = crate::cost::pool_reasons(scenario, plan)
        .into_iter()
        .map(|(p, reason)| {
            let opt = by_key.get(&p.option_key()).copied();
            PoolDto {
                purchase: p.purchase.as_str().to_string(),
                monthly_total: round_cents(p.hourly_each.monthly() * p.count as f64),
                price_source: opt
                    .map_or("unknown", |o| match o.price_source {
                        crate::catalog::PriceSource::Catalog => "catalog",
                        crate::catalog::PriceSource::SpotAdvisorEstimate { .. } => {
                            "estimate (spot advisor savings)"
                        }
                        crate::catalog::PriceSource::DiscountTable { .. } => {
                            "estimate (discount table)"
                        }
                        crate::catalog::PriceSource::Scenario => "scenario",
                    })
                    .to_string(),
                interruption: opt.and_then(|o| o.interruption.clone()),
                allocatable_each: opt.map_or(Value::Null, |o| resources_json(&o.allocatable)),
                reason,
                instance_type: p.instance_type,
                zone: p.zone,
                count: p.count,
                hourly_each: p.hourly_each.0,
            }
        })
        .collect();
    let dto = PlanDto {
        schema: SCHEMA.to_string(),
        scenario: plan.scenario.clone(),
        provider: plan.provider.to_string(),
        region: plan.region.clone(),
        cost: cost_dto(scenario, plan),
        bound: plan
            .solver
            .bound
            .map(|b| BoundDto { hourly: round6(b.0), monthly: round_cents(b.monthly()) }),
        gap: plan.gap().map(|g| (g * 1e6).round() / 1e6),
        baseline: plan.solver.ffd_hourly.map(|f| {
            let k = plan.solver.karpenter.as_ref();
            BaselineDto {
                ffd_hourly: round6(f.0),
                ffd_monthly: round_cents(f.monthly()),
                saving_monthly: round_cents(f.monthly() - cost.monthly()),
                saving_fraction: saving_fraction(f, cost),
                karpenter_hourly: k.map(|k| round6(k.hourly.0)),
                karpenter_monthly: k.map(|k| round_cents(k.hourly.monthly())),
                karpenter_saving_monthly: k
                    .map(|k| round_cents(k.hourly.monthly() - cost.monthly())),
                karpenter_saving_fraction: k.map(|k| saving_fraction(k.hourly, cost)),
                karpenter: k.map(karpenter_dto),
            }
        }),
        totals: TotalsDto {
            nodes: plan.nodes.len(),
            pods: plan.n_pods(),
            vcpus: totals.vcpus,
            allocatable: resources_json(&totals.allocatable),
            requests: resources_json(&totals.requests),
            utilization: utilization(&totals.requests, &totals.allocatable),
            stranded: resources_json(&totals.stranded),
        },
        pools,
        nodes,
        warnings: plan
            .warnings
            .iter()
            .map(|w| WarningDto {
                severity: w.severity.to_string(),
                message: w.message.clone(),
                source: w.source.clone(),
                line: w.location.map(|l| l.line),
                column: w.location.map(|l| l.column),
                document: w.document.map(|d| d + 1),
                path: w.path.clone(),
                hints: w.hints.clone(),
            })
            .collect(),
        solver: SolverDto {
            method: plan.solver.method.clone(),
            backend: plan.solver.backend.clone(),
            status: plan.solver.status.as_str().to_string(),
            seconds: (plan.solver.seconds * 1e3).round() / 1e3,
            // Per-phase timings vary between runs; the JSON keeps only the deterministic
            // counters, and the total time in `seconds`.
            stats: plan
                .solver
                .stats
                .as_ref()
                .map(EngineStats::counters)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        },
        policy_applied: policy_applied_dto(
            &super::super::policies::applied(scenario, plan, finance),
            scenario.policy.headroom,
        ),
        finance: finance.map(|f| finance_dto(scenario, f)),
        explain: explanation.map(|e| {
            serde_json::to_value(super::explain::explain_dto(e))
                .expect("the explain block serialises: numbers, strings and lists")
        }),
    };
    serde_json::to_value(&dto).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
    use crate::report::json::read_plan;
    use crate::solve::{default_config, solve};

    #[test]
    fn plan_round_trips_through_json_and_still_verifies() {
        let text = "name: t\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m7i, c7i]}\nworkloads:\n  - {name: web, replicas: 5, requests: {cpu: 500m, memory: 1Gi}}\n  - {name: db, replicas: 2, max_per_node: 1, requests: {cpu: 2, memory: 8Gi}}\n";
        let s = read_scenario(text, "t.yaml").output.unwrap();
        let p = solve(&s, &default_config()).unwrap();
        let json = plan_to_json(&s, &p);
        let back = read_plan(&json, "plan.json").unwrap();
        assert_eq!(back.nodes, p.nodes);
        assert_eq!(verify(&s, &back), vec![]);
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        for field in ["hourly", "monthly", "yearly"] {
            assert!(v["cost"][field].as_f64().unwrap() > 0.0);
        }
        let node = &v["nodes"][0];
        for field in [
            "name",
            "instance_type",
            "purchase",
            "zone",
            "allocatable",
            "requests",
            "limits",
            "pods",
        ] {
            assert!(!node[field].is_null(), "{field}");
        }
        assert!(v["pools"][0]["hourly_each"].as_f64().is_some());
        assert_eq!(v["solver"]["method"], "ffd");
    }

    #[test]
    fn cost_and_finance_blocks_are_written_and_add_up() {
        let text = "name: t\nprovider: custom\nregion: dc\noverhead: none\npurchase: [on-demand]\npolicy: {headroom: none, spot: {max_share: 0.5}}\ncatalog:\n  custom:\n    - {name: n4, cpu: 4, memory: 16Gi, price: {on_demand: 0.20, reserved_1y: 0.12, spot: 0.06}}\n    - {name: n2, cpu: 2, memory: 16Gi, price: {on_demand: 0.14}}\nworkloads:\n  - {name: web, namespace: shop, owner: a, replicas: 3, requests: {cpu: 1500m, memory: 3Gi}, instance_types: [n4]}\n  - {name: batch, namespace: jobs, replicas: 2, spot: true, requests: {cpu: 1, memory: 1Gi}, instance_types: [n4]}\nvolumes:\n  - {name: data, namespace: shop, owner: a, storage_class: fast, size: 100Gi, count: 2, price_per_gib_month: 0.1}\n";
        let s = read_scenario(text, "t.yaml").output.unwrap();
        let cfg = default_config();
        let p = solve(&s, &cfg).unwrap();
        assert_eq!(verify(&s, &p), vec![]);
        let f = crate::cost::finance::compare_reusing(&s, &cfg, Some(&p));
        let v: Value = serde_json::from_str(&plan_to_json_with_finance(&s, &p, Some(&f))).unwrap();
        let c = &v["cost"];
        assert_eq!(c["by_purchase"]["on-demand"]["nodes"], p.nodes.len());
        // Node cost allocated + idle = the nodes' monthly costs, each in whole cents.
        let node_cents: i64 = p.nodes.iter().map(|n| (n.hourly.0 * 73_000.0).round() as i64).sum();
        let allocated: f64 = c["by_namespace"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["nodes_monthly"].as_f64().unwrap())
            .sum();
        let idle = c["idle"]["monthly"].as_f64().unwrap();
        assert_eq!(((allocated + idle) * 100.0).round() as i64, node_cents);
        let shop = c["by_namespace"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["namespace"] == "shop")
            .unwrap();
        assert_eq!(shop["storage_monthly"], 20.0);
        assert_eq!(c["storage"]["monthly"], 20.0);
        assert_eq!(c["control_plane"]["tier"], "none");
        assert!(c["by_owner"].as_array().unwrap().iter().any(|x| x["owner"] == "a"));
        let total = c["total"]["monthly"].as_f64().unwrap();
        assert!((total - (c["monthly"].as_f64().unwrap() + 20.0)).abs() < 0.011);
        assert!(v["pools"][0]["reason"].as_str().unwrap().starts_with("on-demand: "));
        let names: Vec<&str> = v["finance"]["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["all-on-demand", "reserved", "spot", "blend"]);
        assert_eq!(v["finance"]["variants"][0]["monthly"], c["monthly"]);
        assert!(v["finance"]["variants"][3]["savings_fraction"].as_f64().unwrap() > 0.0);
        // The whole plan reads back into its DTOs (as the browser app reads it) and writes the
        // same JSON again.
        let json = plan_to_json_with_finance(&s, &p, Some(&f));
        let dto: PlanDto = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_value(&dto).unwrap(), v);
        assert_eq!(dto.finance.as_ref().map(|f| f.variants.len()), Some(4));
        // Without a comparison there is no finance block, and the plan still reads back.
        let plain: Value = serde_json::from_str(&plan_to_json(&s, &p)).unwrap();
        assert!(plain.get("finance").is_none());
        assert_eq!(read_plan(&plan_to_json(&s, &p), "p.json").unwrap().nodes, p.nodes);
    }

    #[test]
    fn bad_plan_json_is_located() {
        let e = read_plan("{\n  \"schema\": 3\n}", "p.json").unwrap_err();
        assert_eq!(e.location, Some(Location { line: 2, column: 13 }));
        assert!(
            e.message.starts_with("not a kplan plan: invalid type: integer `3`, expected a string"),
            "{}",
            e.message
        );
        let e = read_plan("{\"schema\":\"kplan.plan/v9\",\"scenario\":\"x\",\"provider\":\"aws\",\"region\":\"r\",\"nodes\":[],\"solver\":{\"method\":\"ffd\",\"status\":\"feasible\"}}", "p.json").unwrap_err();
        assert!(e.message.contains("unknown plan schema"));
    }
}
