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
use crate::plan::{Plan, PlanNode, PodCount, SolveStatus, SolverFacts, node_usage};
use crate::quantity::{self, Bytes, Cpu};
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, Scenario};
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
struct CostDto {
    hourly: f64,
    monthly: f64,
    yearly: f64,
}

impl CostDto {
    fn of(p: Price) -> CostDto {
        CostDto {
            hourly: round6(p.hourly()),
            monthly: round_cents(p.monthly()),
            yearly: round_cents(p.yearly()),
        }
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
    let by_key: BTreeMap<String, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
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
    serde_json::to_string_pretty(&plan_value(scenario, plan)).unwrap_or_default() + "\n"
}

/// The plan as a JSON value (for YAML output and embedding).
pub fn plan_value(scenario: &Scenario, plan: &Plan) -> Value {
    let options = scenario.node_options().output;
    let by_key: BTreeMap<String, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
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
    let pools = plan
        .pools()
        .into_iter()
        .map(|p| {
            let key = format!("{}/{}/{}", p.instance_type, p.purchase, p.zone);
            let opt = by_key.get(&key).copied();
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
        cost: CostDto::of(cost),
        bound: plan
            .solver
            .bound
            .map(|b| BoundDto { hourly: round6(b.0), monthly: round_cents(b.monthly()) }),
        gap: plan.gap().map(|g| (g * 1e6).round() / 1e6),
        baseline: plan.solver.ffd_hourly.map(|f| BaselineDto {
            ffd_hourly: round6(f.0),
            ffd_monthly: round_cents(f.monthly()),
            saving_monthly: round_cents(f.monthly() - cost.monthly()),
            saving_fraction: if f.0 > 0.0 {
                ((f.0 - cost.0) / f.0 * 1e4).round() / 1e4
            } else {
                0.0
            },
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
            // Per-phase timings (`seconds_*`) vary between runs; the JSON keeps only the
            // deterministic counters, and the total time in `seconds`.
            stats: plan
                .solver
                .stats
                .iter()
                .filter(|(k, _)| !k.starts_with("seconds_"))
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        },
    };
    serde_json::to_value(&dto).unwrap_or(Value::Null)
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

/// Reads a `kplan.plan/v1` JSON plan back (for `kplan verify` and `kplan diff`).
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
        warnings: Vec::new(),
        solver: SolverFacts {
            method: dto.solver.method,
            backend: dto.solver.backend,
            status,
            seconds: dto.solver.seconds,
            bound: dto.bound.map(|b| Price(b.hourly)),
            ffd_hourly: dto.baseline.map(|b| Price(b.ffd_hourly)),
            stats: dto.solver.stats,
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
    serde_json::to_string_pretty(&dto).unwrap_or_default() + "\n"
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
    serde_json::to_string_pretty(&dto).unwrap_or_default() + "\n"
}
