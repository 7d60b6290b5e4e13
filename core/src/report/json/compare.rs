//! The `kplan.compare/v1` JSON of a comparison of variants and sweeps.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::money::round_cents;
use crate::report::compare::CompareRow;

/// The schema name of a comparison.
pub const COMPARE_SCHEMA: &str = "kplan.compare/v1";

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
pub fn compare_to_json(scenario: &str, rows: &[CompareRow]) -> String {
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
