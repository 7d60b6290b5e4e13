//! The stable `kplan.plan/v1` JSON shape: serialization DTOs (the only `Serialize` types) and reading a plan back.
//!
//! Quantities are written in canonical Kubernetes form (`3920m`, `7442Mi`) so that a plan read
//! back is exactly the plan written. Node prices keep full precision; totals are rounded
//! (hourly to 6 decimals, monthly and yearly to cents).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::PurchaseOption;
use crate::diag::{Diagnostic, Location, Severity};
use crate::money::{Price, round_cents};
use crate::plan::{
    KarpenterBaseline, Plan, PlanNode, PodCount, SolveStatus, SolverFacts, node_usage,
};
use crate::quantity::{self, Bytes, Cpu};
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::solve::EngineStats;
use crate::workload::WorkloadKey;

/// The schema name written into every plan.
pub const SCHEMA: &str = "kplan.plan/v1";

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A resource amount as a JSON object of canonical quantities (`{"cpu": "250m", "memory": "1Gi", "pods": 3}`).
pub fn resources_json(r: &Resources) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("cpu".into(), Value::String(r.cpu.to_string()));
    m.insert("memory".into(), Value::String(r.memory.to_string()));
    m.insert("pods".into(), Value::from(r.pods));
    if r.ephemeral_storage.0 != 0 {
        m.insert("ephemeral-storage".into(), Value::String(r.ephemeral_storage.to_string()));
    }
    for (k, v) in &r.extended {
        m.insert(k.clone(), Value::from(*v));
    }
    Value::Object(m)
}

#[derive(Serialize)]
struct MoneyDto {
    hourly: f64,
    monthly: f64,
    yearly: f64,
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

#[derive(Serialize)]
struct PurchaseDto {
    nodes: u64,
    vcpus: f64,
    hourly: f64,
    monthly: f64,
    yearly: f64,
}

#[derive(Serialize)]
struct ShareDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    cpu_monthly: f64,
    memory_monthly: f64,
    gpu_monthly: f64,
    nodes_monthly: f64,
    storage_monthly: f64,
    monthly: f64,
}

#[derive(Serialize)]
struct IdleDto {
    cpu_monthly: f64,
    memory_monthly: f64,
    gpu_monthly: f64,
    monthly: f64,
    fraction: f64,
}

#[derive(Serialize)]
struct RatesDto {
    usd_per_vcpu_hour: f64,
    usd_per_gib_hour: f64,
    basis: String,
}

#[derive(Serialize)]
struct ControlPlaneDto {
    tier: String,
    hourly: f64,
    monthly: f64,
    yearly: f64,
    source: String,
}

#[derive(Serialize)]
struct VolumeDto {
    name: String,
    namespace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    storage_class: String,
    size: String,
    count: u32,
    usd_per_gib_month: f64,
    monthly: f64,
    source: String,
}

#[derive(Serialize)]
struct StorageDto {
    monthly: f64,
    yearly: f64,
    by_class: BTreeMap<String, f64>,
    volumes: Vec<VolumeDto>,
}

#[derive(Serialize)]
struct CostDto {
    hourly: f64,
    monthly: f64,
    yearly: f64,
    by_purchase: BTreeMap<&'static str, PurchaseDto>,
    by_namespace: Vec<ShareDto>,
    by_owner: Vec<ShareDto>,
    idle: IdleDto,
    allocation_rates: RatesDto,
    control_plane: ControlPlaneDto,
    storage: StorageDto,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reservations: Vec<ReservationDto>,
    total: MoneyDto,
}

/// One capacity reservation: reserved used / available and what it costs.
#[derive(Serialize)]
struct ReservationDto {
    name: String,
    instance_type: String,
    zone: String,
    available: u32,
    used: u32,
    unused: u32,
    price_per_node_hour: f64,
    charge_unused: bool,
    /// The charge beyond the nodes' prices (the whole reservation when unused nodes are charged).
    fixed: MoneyDto,
    /// What the unused reserved nodes cost.
    unused_cost: MoneyDto,
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
                    p.as_str(),
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

#[derive(Serialize)]
struct SpotRiskDto {
    spot_nodes: u64,
    spot_vcpus: f64,
    spot_share: f64,
    expected_interruptions_per_month: f64,
    spot_nodes_without_bucket: u64,
    floor_pods: u64,
    non_spot_vcpus: f64,
}

#[derive(Serialize)]
struct VariantDto {
    name: &'static str,
    purchase: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hourly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    yearly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    savings_monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    savings_yearly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    savings_fraction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nodes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_purchase: Option<BTreeMap<&'static str, u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spot_risk: Option<SpotRiskDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    estimated_prices: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct FinanceDto {
    spot_cap: f64,
    on_demand_floor: bool,
    variants: Vec<VariantDto>,
}

fn finance_dto(scenario: &Scenario, f: &crate::cost::finance::Finance) -> FinanceDto {
    FinanceDto {
        spot_cap: crate::cost::finance::spot_cap(scenario),
        on_demand_floor: scenario.policy.on_demand_floor,
        variants: f
            .variants
            .iter()
            .map(|v| {
                let purchase = v.purchase.iter().map(|p| p.as_str()).collect();
                match &v.result {
                    Ok(r) => {
                        let sv = f.savings(v);
                        VariantDto {
                            name: v.name,
                            purchase,
                            hourly: Some(round6(r.hourly.0)),
                            monthly: Some(round_cents(r.hourly.monthly())),
                            yearly: Some(round_cents(r.hourly.yearly())),
                            savings_monthly: sv.map(|(p, _)| round_cents(p.monthly())),
                            savings_yearly: sv.map(|(p, _)| round_cents(p.yearly())),
                            savings_fraction: sv.map(|(_, x)| (x * 1e4).round() / 1e4),
                            nodes: Some(r.nodes),
                            by_purchase: Some(
                                r.by_purchase.iter().map(|(p, n)| (p.as_str(), *n)).collect(),
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
                            status: Some(r.status),
                            estimated_prices: r.estimated_prices.clone(),
                            error: None,
                        }
                    }
                    Err(e) => VariantDto {
                        name: v.name,
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
                        error: Some(e.clone()),
                    },
                }
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct BoundDto {
    hourly: f64,
    monthly: f64,
}

#[derive(Serialize)]
struct BaselineDto {
    ffd_hourly: f64,
    ffd_monthly: f64,
    saving_monthly: f64,
    saving_fraction: f64,
    karpenter_hourly: Option<f64>,
    karpenter_monthly: Option<f64>,
    karpenter_saving_monthly: Option<f64>,
    karpenter_saving_fraction: Option<f64>,
    karpenter: Option<KarpenterDto>,
}

/// What the Karpenter model launched (`solve::karpenter`), beside its cost in the baseline.
#[derive(Serialize, Deserialize)]
struct KarpenterDto {
    nodes: usize,
    types: Vec<KarpenterTypeDto>,
    allocatable: String,
    consolidated: bool,
    notes: Vec<String>,
    violations: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct KarpenterTypeDto {
    instance_type: String,
    purchase: String,
    count: u64,
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

#[derive(Serialize)]
struct PoolDto {
    instance_type: String,
    purchase: &'static str,
    zone: String,
    count: u64,
    hourly_each: f64,
    monthly_total: f64,
    price_source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    interruption: Option<String>,
    allocatable_each: Value,
    reason: String,
}

#[derive(Serialize)]
struct PodDto {
    workload: String,
    namespace: String,
    count: u32,
}

#[derive(Serialize)]
struct NodeDto {
    name: String,
    instance_type: String,
    purchase: &'static str,
    zone: String,
    hourly: f64,
    allocatable: Value,
    requests: Value,
    limits: Value,
    utilization: BTreeMap<String, f64>,
    pods: Vec<PodDto>,
}

#[derive(Serialize)]
struct WarningDto {
    severity: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hints: Vec<String>,
}

#[derive(Serialize)]
struct SolverDto {
    method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    backend: Option<String>,
    status: &'static str,
    seconds: f64,
    stats: BTreeMap<String, f64>,
}

#[derive(Serialize)]
struct TotalsDto {
    nodes: usize,
    pods: u64,
    vcpus: f64,
    allocatable: Value,
    requests: Value,
    utilization: BTreeMap<String, f64>,
    stranded: Value,
}

#[derive(Serialize)]
struct PlanDto {
    schema: &'static str,
    scenario: String,
    provider: String,
    region: String,
    cost: CostDto,
    bound: Option<BoundDto>,
    gap: Option<f64>,
    baseline: Option<BaselineDto>,
    totals: TotalsDto,
    pools: Vec<PoolDto>,
    nodes: Vec<NodeDto>,
    warnings: Vec<WarningDto>,
    solver: SolverDto,
    policy_applied: PolicyAppliedDto,
    #[serde(skip_serializing_if = "Option::is_none")]
    finance: Option<FinanceDto>,
}

#[derive(Serialize)]
struct PolicyAppliedDto {
    policies: Vec<PolicyLineDto>,
    headroom_spare: Option<SpareDto>,
    unused_zones: Vec<UnusedDto>,
    unused_purchase: Vec<UnusedDto>,
    lines: Vec<String>,
}

#[derive(Serialize)]
struct PolicyLineDto {
    name: &'static str,
    value: String,
    default: bool,
    meaning: String,
}

#[derive(Serialize)]
struct SpareDto {
    headroom: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_nodes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remove_with: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_measured: Option<String>,
}

#[derive(Serialize)]
struct UnusedDto {
    name: String,
    reason: String,
}

fn policy_applied_dto(
    a: &super::policies::Applied,
    headroom: crate::policy::Headroom,
) -> PolicyAppliedDto {
    PolicyAppliedDto {
        policies: a
            .policies
            .iter()
            .map(|l| PolicyLineDto {
                name: l.name,
                value: l.value.clone(),
                default: l.default,
                meaning: l.meaning.clone(),
            })
            .collect(),
        headroom_spare: a.spare.as_ref().map(|s| match s {
            Ok(s) => SpareDto {
                headroom: s.headroom.as_str(),
                extra_nodes: Some(s.extra_nodes.max(0)),
                monthly: Some(round_cents(s.hourly.monthly())),
                remove_with: Some(s.remove_with.clone()),
                not_measured: None,
            },
            Err(e) => SpareDto {
                headroom: headroom.as_str(),
                extra_nodes: None,
                monthly: None,
                remove_with: Some(super::policies::REMOVE_HEADROOM.to_string()),
                not_measured: Some(e.clone()),
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

/// Aggregate facts about a plan: totals, utilization and stranded capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanTotals {
    /// Sum of node allocatable.
    pub allocatable: Resources,
    /// Sum of requests (workloads and DaemonSets).
    pub requests: Resources,
    /// Capacity left free on nodes whose CPU or memory is at least 90% requested.
    pub stranded: Resources,
    /// Sum of vCPU capacity.
    pub vcpus: f64,
}

/// Computes totals for a plan against its scenario's node options.
pub fn plan_totals(scenario: &Scenario, plan: &Plan, options: &[NodeOption]) -> PlanTotals {
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let mut t = PlanTotals {
        allocatable: Resources::default(),
        requests: Resources::default(),
        stranded: Resources::default(),
        vcpus: 0.0,
    };
    for n in &plan.nodes {
        let opt = by_key.get(&n.option_key()).copied();
        let u = node_usage(scenario, n, opt);
        t.allocatable = t.allocatable.add(&u.allocatable);
        t.requests = t.requests.add(&u.requests);
        t.vcpus += opt.map_or(0.0, |o| o.capacity.cpu.as_cores_f64());
        let free = u.allocatable.saturating_sub(&u.requests);
        let (uc, um) = (u.utilization(&ResourceName::Cpu), u.utilization(&ResourceName::Memory));
        if uc >= 0.9 && um < 0.9 {
            t.stranded.memory.0 += free.memory.0;
        } else if um >= 0.9 && uc < 0.9 {
            t.stranded.cpu.0 += free.cpu.0;
        }
    }
    t
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
    serde_json::to_string_pretty(&plan_value_with_finance(scenario, plan, finance))
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
                purchase: n.purchase.as_str(),
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
                purchase: p.purchase.as_str(),
                monthly_total: round_cents(p.hourly_each.monthly() * p.count as f64),
                price_source: opt.map_or("unknown", |o| match o.price_source {
                    crate::catalog::PriceSource::Catalog => "catalog",
                    crate::catalog::PriceSource::SpotAdvisorEstimate { .. } => {
                        "estimate (spot advisor savings)"
                    }
                    crate::catalog::PriceSource::DiscountTable { .. } => {
                        "estimate (discount table)"
                    }
                    crate::catalog::PriceSource::Scenario => "scenario",
                }),
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
        schema: SCHEMA,
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
            status: plan.solver.status.as_str(),
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
            &super::policies::applied(scenario, plan, finance),
            scenario.policy.headroom,
        ),
        finance: finance.map(|f| finance_dto(scenario, f)),
    };
    serde_json::to_value(&dto).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct CommitLevelDto {
    hours: usize,
    scale_min: f64,
    scale_max: f64,
    pods: u64,
    non_spot_nodes: BTreeMap<String, u32>,
    spot_nodes: u32,
    hourly_as_planned_without_commitment: f64,
    hourly_all_on_demand: f64,
}

#[derive(Serialize)]
struct CommitmentDto {
    family: String,
    option: &'static str,
    vcpus: u32,
    hourly_per_vcpu: f64,
    on_demand_hourly_per_vcpu: f64,
    break_even_utilisation: f64,
    utilisation: f64,
    monthly: f64,
}

#[derive(Serialize)]
struct WasteDto {
    demand_fall: f64,
    unused_vcpu_hours_per_month: f64,
    monthly: f64,
    utilisation: f64,
}

#[derive(Serialize)]
struct CommitDto {
    schema: &'static str,
    scenario: String,
    profile_hours: usize,
    backend: &'static str,
    coverage: f64,
    utilisation: f64,
    monthly: f64,
    monthly_committed: f64,
    monthly_on_demand: f64,
    monthly_spot: f64,
    monthly_no_commitment: f64,
    monthly_all_on_demand: f64,
    savings_monthly: f64,
    savings_fraction: f64,
    commitments: Vec<CommitmentDto>,
    levels: Vec<CommitLevelDto>,
    waste: Vec<WasteDto>,
}

/// The schema name of the commitment report.
pub const COMMIT_SCHEMA: &str = "kplan.commit/v1";

/// The commitment planner's report as JSON (pretty, deterministic).
pub fn commit_json(r: &crate::cost::commit::CommitReport) -> String {
    let r4 = |x: f64| (x * 1e4).round() / 1e4;
    let dto = CommitDto {
        schema: COMMIT_SCHEMA,
        scenario: r.scenario.clone(),
        profile_hours: r.profile_hours,
        backend: r.backend,
        coverage: r4(r.coverage),
        utilisation: r4(r.utilisation),
        monthly: round_cents(r.monthly),
        monthly_committed: round_cents(r.monthly_committed),
        monthly_on_demand: round_cents(r.monthly_on_demand),
        monthly_spot: round_cents(r.monthly_spot),
        monthly_no_commitment: round_cents(r.monthly_no_commitment),
        monthly_all_on_demand: round_cents(r.monthly_all_on_demand),
        savings_monthly: round_cents(r.monthly_all_on_demand - r.monthly),
        savings_fraction: if r.monthly_all_on_demand > 0.0 {
            r4((r.monthly_all_on_demand - r.monthly) / r.monthly_all_on_demand)
        } else {
            0.0
        },
        commitments: r
            .commitments
            .iter()
            .map(|c| CommitmentDto {
                family: c.family.clone(),
                option: c.option.as_str(),
                vcpus: c.vcpus,
                hourly_per_vcpu: round6(c.hourly),
                on_demand_hourly_per_vcpu: round6(c.on_demand_hourly),
                break_even_utilisation: r4(c.break_even),
                utilisation: r4(c.utilisation),
                monthly: round_cents(c.hourly * f64::from(c.vcpus) * crate::money::HOURS_PER_MONTH),
            })
            .collect(),
        levels: r
            .levels
            .iter()
            .map(|l| CommitLevelDto {
                hours: l.hours.len(),
                scale_min: l.scale.0,
                scale_max: l.scale.1,
                pods: l.replicas.iter().map(|x| u64::from(*x)).sum(),
                non_spot_nodes: l.non_spot.clone(),
                spot_nodes: l.spot_nodes,
                hourly_as_planned_without_commitment: round6(l.spot_hourly + l.non_spot_hourly),
                hourly_all_on_demand: round6(l.on_demand_hourly),
            })
            .collect(),
        waste: r
            .waste
            .iter()
            .map(|w| WasteDto {
                demand_fall: w.fall,
                unused_vcpu_hours_per_month: (w.unused_vcpu_hours_per_month * 10.0).round() / 10.0,
                monthly: round_cents(w.monthly),
                utilisation: r4(w.utilisation),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&dto).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    ) + "\n"
}

#[derive(Deserialize)]
struct ReadPodDto {
    workload: String,
    #[serde(default = "default_namespace")]
    namespace: String,
    count: u32,
}

fn default_namespace() -> String {
    "default".to_string()
}

#[derive(Deserialize)]
struct ReadNodeDto {
    name: String,
    instance_type: String,
    purchase: String,
    zone: String,
    hourly: f64,
    allocatable: BTreeMap<String, Value>,
    #[serde(default)]
    pods: Vec<ReadPodDto>,
}

#[derive(Deserialize)]
struct ReadBoundDto {
    hourly: f64,
}

#[derive(Deserialize)]
struct ReadSolverDto {
    method: String,
    backend: Option<String>,
    status: String,
    #[serde(default)]
    seconds: f64,
    #[serde(default)]
    stats: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
struct ReadBaselineDto {
    ffd_hourly: f64,
    #[serde(default)]
    karpenter_hourly: Option<f64>,
    #[serde(default)]
    karpenter: Option<KarpenterDto>,
}

impl ReadBaselineDto {
    /// The Karpenter baseline, when the plan states one (and its spellings are known).
    fn karpenter(&self) -> Option<KarpenterBaseline> {
        let (hourly, k) = (self.karpenter_hourly?, self.karpenter.as_ref()?);
        let mut types = Vec::new();
        for t in &k.types {
            types.push((t.instance_type.clone(), t.purchase.parse().ok()?, t.count));
        }
        Some(KarpenterBaseline {
            hourly: Price(hourly),
            n_nodes: k.nodes,
            types,
            allocatable: k.allocatable.parse().ok()?,
            consolidated: k.consolidated,
            notes: k.notes.clone(),
            violations: k.violations.clone(),
        })
    }
}

#[derive(Deserialize)]
struct ReadWarningDto {
    severity: String,
    message: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    column: Option<usize>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    hints: Vec<String>,
}

impl ReadWarningDto {
    fn into_diagnostic(self) -> Diagnostic {
        let severity = match self.severity.as_str() {
            "error" => Severity::Error,
            "note" => Severity::Note,
            _ => Severity::Warning,
        };
        let mut d = Diagnostic::new(severity, self.message);
        d.source = self.source;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            d.location = Some(Location { line, column });
        }
        d.path = self.path;
        d.hints = self.hints;
        d
    }
}

#[derive(Deserialize)]
struct ReadPlanDto {
    schema: String,
    scenario: String,
    provider: String,
    region: String,
    nodes: Vec<ReadNodeDto>,
    bound: Option<ReadBoundDto>,
    baseline: Option<ReadBaselineDto>,
    solver: ReadSolverDto,
    #[serde(default)]
    warnings: Vec<ReadWarningDto>,
}

fn read_resources(map: &BTreeMap<String, Value>, path: &str) -> Result<Resources, String> {
    let mut r = Resources::default();
    for (k, v) in map {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(format!("{path}.{k}: expected a quantity")),
        };
        let bad = |e: quantity::QuantityError| format!("{path}.{k}: {e}");
        match k.as_str() {
            "cpu" => r.cpu = Cpu::parse(&text).map_err(bad)?,
            "memory" => r.memory = Bytes::parse(&text).map_err(bad)?,
            "ephemeral-storage" => r.ephemeral_storage = Bytes::parse(&text).map_err(bad)?,
            "pods" => r.pods = quantity::parse_count(&text).map_err(bad)?,
            other => {
                let n = quantity::parse_count(&text).map_err(bad)?;
                if n > 0 {
                    r.extended.insert(other.to_string(), n);
                }
            }
        }
    }
    Ok(r)
}

/// Reads a `kplan.plan/v1` JSON plan back (for `kplan verify`, `kplan diff` and the browser app,
/// whose worker sends plans as JSON), warnings included.
pub fn read_plan(text: &str, source: &str) -> Result<Plan, Diagnostic> {
    let err = |msg: String, loc: Option<Location>| {
        let d = Diagnostic::error(msg).with_source(source);
        match loc {
            Some(l) => d.with_location(l),
            None => d,
        }
    };
    let dto: ReadPlanDto = serde_json::from_str(text).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(i) = msg.rfind(" at line ") {
            msg.truncate(i);
        }
        err(
            format!("not a kplan plan: {msg}"),
            Some(Location { line: e.line(), column: e.column() }),
        )
    })?;
    if dto.schema != SCHEMA {
        return Err(err(
            format!("unknown plan schema {:?}; expected {SCHEMA:?}", dto.schema),
            None,
        )
        .with_path("schema"));
    }
    let provider = dto.provider.parse().map_err(|e: String| err(e, None).with_path("provider"))?;
    let mut nodes = Vec::new();
    for (i, n) in dto.nodes.into_iter().enumerate() {
        let path = format!("nodes[{i}]");
        let purchase: PurchaseOption = n
            .purchase
            .parse()
            .map_err(|e: String| err(e, None).with_path(format!("{path}.purchase")))?;
        let allocatable = read_resources(&n.allocatable, &format!("{path}.allocatable"))
            .map_err(|e| err(e, None))?;
        nodes.push(PlanNode {
            name: n.name,
            instance_type: n.instance_type,
            purchase,
            zone: n.zone,
            hourly: Price(n.hourly),
            allocatable,
            pods: n
                .pods
                .into_iter()
                .map(|p| PodCount {
                    workload: WorkloadKey { namespace: p.namespace, name: p.workload },
                    count: p.count,
                })
                .collect(),
        });
    }
    let status = match dto.solver.status.as_str() {
        "optimal" => SolveStatus::Optimal,
        "time_limit" => SolveStatus::TimeLimit,
        _ => SolveStatus::Feasible,
    };
    Ok(Plan {
        scenario: dto.scenario,
        provider,
        region: dto.region,
        nodes,
        warnings: dto.warnings.into_iter().map(ReadWarningDto::into_diagnostic).collect(),
        solver: SolverFacts {
            method: dto.solver.method,
            backend: dto.solver.backend,
            status,
            seconds: dto.solver.seconds,
            bound: dto.bound.map(|b| Price(b.hourly)),
            ffd_hourly: dto.baseline.as_ref().map(|b| Price(b.ffd_hourly)),
            karpenter: dto.baseline.as_ref().and_then(ReadBaselineDto::karpenter),
            stats: EngineStats::from_counters(&dto.solver.stats),
        },
    })
}

/// A diagnostic as a JSON object (for machine-readable error output).
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    serde_json::json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "note" },
        "message": d.message,
        "source": d.source,
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "path": d.path,
        "hints": d.hints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
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

/// The schema name of a comparison.
pub const COMPARE_SCHEMA: &str = "kplan.compare/v1";

/// The schema name of a plan diff.
pub const DIFF_SCHEMA: &str = "kplan.diff/v1";

#[derive(Serialize)]
struct CompareDto<'a> {
    schema: &'static str,
    scenario: &'a str,
    cases: Vec<CaseDto<'a>>,
}

#[derive(Serialize)]
struct CaseDto<'a> {
    label: &'a str,
    kind: &'static str,
    parameter: Option<&'a str>,
    value: Option<&'a str>,
    status: &'a str,
    nodes: Option<usize>,
    monthly: Option<f64>,
    delta_monthly: Option<f64>,
    delta_fraction: Option<f64>,
    karpenter_monthly: Option<f64>,
    utilization: Option<BTreeMap<&'static str, f64>>,
    gap: Option<f64>,
    by_purchase: BTreeMap<&'static str, f64>,
    warnings: &'a [String],
    error: Option<&'a str>,
}

/// A comparison as `kplan.compare/v1` JSON (pretty, deterministic; money rounded to cents).
pub fn compare_to_json(scenario: &str, rows: &[super::compare::CompareRow]) -> String {
    let r4 = |x: f64| (x * 1e4).round() / 1e4;
    let cases = rows
        .iter()
        .map(|r| CaseDto {
            label: &r.label,
            kind: r.kind,
            parameter: r.param.as_deref(),
            value: r.value.as_deref(),
            status: &r.status,
            nodes: r.nodes,
            monthly: r.monthly.map(round_cents),
            delta_monthly: r.delta_monthly.map(round_cents),
            delta_fraction: r.delta_fraction.map(r4),
            karpenter_monthly: r.karpenter_monthly.map(round_cents),
            utilization: match (r.cpu_utilization, r.memory_utilization) {
                (Some(c), Some(m)) => Some(BTreeMap::from([("cpu", r4(c)), ("memory", r4(m))])),
                _ => None,
            },
            gap: r.gap.map(|g| (g * 1e6).round() / 1e6),
            by_purchase: r.by_purchase.iter().map(|(p, v)| (p.as_str(), round_cents(*v))).collect(),
            warnings: &r.warnings,
            error: r.error.as_deref(),
        })
        .collect();
    let dto = CompareDto { schema: COMPARE_SCHEMA, scenario, cases };
    serde_json::to_string_pretty(&dto).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    ) + "\n"
}

#[derive(Serialize)]
struct ChangeDto<'a> {
    name: &'a str,
    old: f64,
    new: f64,
    delta: f64,
}

#[derive(Serialize)]
struct PoolChangeDto<'a> {
    pool: &'a str,
    old_nodes: u64,
    new_nodes: u64,
    old_monthly: f64,
    new_monthly: f64,
    delta_monthly: f64,
}

#[derive(Serialize)]
struct CountChangeDto {
    old: u64,
    new: u64,
    delta: i64,
}

#[derive(Serialize)]
struct DiffDto<'a> {
    schema: &'static str,
    old_scenario: &'a str,
    new_scenario: &'a str,
    nodes: CountChangeDto,
    pods: CountChangeDto,
    monthly: ChangeDto<'a>,
    pools: Vec<PoolChangeDto<'a>>,
    unchanged_pools: usize,
    by_purchase: Vec<ChangeDto<'a>>,
    by_namespace: Vec<ChangeDto<'a>>,
}

fn named_changes(list: &[super::diff::Change]) -> Vec<ChangeDto<'_>> {
    list.iter()
        .map(|c| ChangeDto {
            name: c.name.as_str(),
            old: round_cents(c.old),
            new: round_cents(c.new),
            delta: round_cents(c.delta()),
        })
        .collect()
}

/// A plan diff as `kplan.diff/v1` JSON (money rounded to cents).
pub fn diff_to_json(d: &super::diff::PlanDiff) -> String {
    let change = |c: &'_ super::diff::Change| ChangeDto {
        name: "",
        old: round_cents(c.old),
        new: round_cents(c.new),
        delta: round_cents(c.delta()),
    };
    let count = |o: u64, n: u64| CountChangeDto {
        old: o,
        new: n,
        delta: i64::try_from(n).unwrap_or(i64::MAX) - i64::try_from(o).unwrap_or(i64::MAX),
    };
    let mut monthly = change(&d.monthly);
    monthly.name = "total";
    let dto = DiffDto {
        schema: DIFF_SCHEMA,
        old_scenario: &d.old_scenario,
        new_scenario: &d.new_scenario,
        nodes: count(d.nodes.0 as u64, d.nodes.1 as u64),
        pods: count(d.pods.0, d.pods.1),
        monthly,
        pools: d
            .pools
            .iter()
            .map(|p| PoolChangeDto {
                pool: &p.pool,
                old_nodes: p.old_count,
                new_nodes: p.new_count,
                old_monthly: round_cents(p.old_monthly),
                new_monthly: round_cents(p.new_monthly),
                delta_monthly: round_cents(p.new_monthly - p.old_monthly),
            })
            .collect(),
        unchanged_pools: d.unchanged_pools,
        by_purchase: named_changes(&d.by_purchase),
        by_namespace: named_changes(&d.by_namespace),
    };
    serde_json::to_string_pretty(&dto).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    ) + "\n"
}
