//! Reading a `kplan.plan/v1` JSON plan back, warnings included, with located errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::SCHEMA;
use super::plan::KarpenterDto;
use crate::catalog::PurchaseOption;
use crate::diag::{Diagnostic, Location, Severity, UnknownName};
use crate::money::Price;
use crate::plan::{KarpenterBaseline, Plan, PlanNode, PodCount, SolveStatus, SolverFacts};
use crate::quantity::{self, Bytes, Cpu};
use crate::resources::Resources;
use crate::solve::EngineStats;
use crate::workload::WorkloadKey;

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

/// A plan's resource map that does not read back, at its field path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
enum ResourcesError {
    /// The value is neither a string nor a number.
    #[error("{path}: expected a quantity")]
    NotAQuantity { path: String },
    /// The quantity does not parse.
    #[error("{path}: {source}")]
    Quantity { path: String, source: quantity::QuantityError },
}

fn read_resources(map: &BTreeMap<String, Value>, path: &str) -> Result<Resources, ResourcesError> {
    let mut r = Resources::default();
    for (k, v) in map {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(ResourcesError::NotAQuantity { path: format!("{path}.{k}") }),
        };
        let bad = |source: quantity::QuantityError| ResourcesError::Quantity {
            path: format!("{path}.{k}"),
            source,
        };
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
    let provider = dto
        .provider
        .parse()
        .map_err(|e: UnknownName| err(e.to_string(), None).with_path("provider"))?;
    let mut nodes = Vec::new();
    for (i, n) in dto.nodes.into_iter().enumerate() {
        let path = format!("nodes[{i}]");
        let purchase: PurchaseOption = n.purchase.parse().map_err(|e: UnknownName| {
            err(e.to_string(), None).with_path(format!("{path}.purchase"))
        })?;
        let allocatable = read_resources(&n.allocatable, &format!("{path}.allocatable"))
            .map_err(|e| err(e.to_string(), None))?;
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
