//! Comparing what-if cases: one row per case (nodes, $/month, delta against the base, what
//! Karpenter would launch, utilisation, gap, warnings).

use std::collections::BTreeMap;

use super::text::columns;
use crate::catalog::PurchaseOption;
use crate::money::format_usd;
use crate::plan::{Plan, plan_totals};
use crate::resources::ResourceName;
use crate::whatif::{Case, CaseKind};

/// One case's outcome, lined up against the base.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    /// `base`, the variant's name, or `param = value`.
    pub label: String,
    /// `base`, `variant` or `sweep`.
    pub kind: &'static str,
    /// The swept parameter (sweep points only).
    pub param: Option<String>,
    /// The swept value (sweep points only).
    pub value: Option<String>,
    /// The swept value as a number, when it is one.
    pub value_number: Option<f64>,
    /// Nodes in the plan (`None` when infeasible).
    pub nodes: Option<usize>,
    /// Dollars per month.
    pub monthly: Option<f64>,
    /// Dollars per month minus the base's.
    pub delta_monthly: Option<f64>,
    /// Dollars per month of what Karpenter would launch for the case.
    pub karpenter_monthly: Option<f64>,
    /// The delta as a fraction of the base's cost.
    pub delta_fraction: Option<f64>,
    /// Requested CPU over allocatable CPU, cluster-wide.
    pub cpu_utilization: Option<f64>,
    /// Requested memory over allocatable memory, cluster-wide.
    pub memory_utilization: Option<f64>,
    /// Relative gap to the lower bound, when a bound is known.
    pub gap: Option<f64>,
    /// `optimal`, `feasible`, `time_limit` or `infeasible`.
    pub status: String,
    /// The plan's warnings (messages).
    pub warnings: Vec<String>,
    /// Dollars per month by purchase option (every option, zero when unused).
    pub by_purchase: BTreeMap<PurchaseOption, f64>,
    /// Why no plan exists (infeasible cases).
    pub error: Option<String>,
}

/// Lines up every case's plan (or the reason it has none) against the first case, the base.
pub fn compare_rows<E: std::fmt::Display>(
    cases: &[Case],
    results: &[Result<Plan, E>],
) -> Vec<CompareRow> {
    let base_monthly = results.first().and_then(|r| r.as_ref().ok()).map(|p| p.hourly().monthly());
    cases
        .iter()
        .zip(results)
        .map(|(case, res)| {
            let (kind, param, value, value_number) = match &case.kind {
                CaseKind::Base => ("base", None, None, None),
                CaseKind::Variant(_) => ("variant", None, None, None),
                CaseKind::SweepPoint { param, value, .. } => (
                    "sweep",
                    Some(param.to_string()),
                    Some(value.to_string()),
                    match value {
                        crate::whatif::SweepValue::Number(x) => Some(*x),
                        crate::whatif::SweepValue::Headroom(_) => None,
                    },
                ),
            };
            let mut row = CompareRow {
                label: case.label.clone(),
                kind,
                param,
                value,
                value_number,
                nodes: None,
                monthly: None,
                delta_monthly: None,
                karpenter_monthly: None,
                delta_fraction: None,
                cpu_utilization: None,
                memory_utilization: None,
                gap: None,
                status: "infeasible".to_string(),
                warnings: Vec::new(),
                by_purchase: PurchaseOption::ALL.iter().map(|p| (*p, 0.0)).collect(),
                error: None,
            };
            match res {
                Err(e) => row.error = Some(e.to_string()),
                Ok(plan) => {
                    let monthly = plan.hourly().monthly();
                    let options = case.scenario.node_options().output;
                    let t = plan_totals(&case.scenario, plan, &options);
                    let util = |n: ResourceName| {
                        let a = t.allocatable.get(&n);
                        if a == 0 { 0.0 } else { t.requests.get(&n) as f64 / a as f64 }
                    };
                    row.nodes = Some(plan.nodes.len());
                    row.monthly = Some(monthly);
                    if let Some(b) = base_monthly {
                        row.delta_monthly = Some(monthly - b);
                        row.delta_fraction = (b > 0.0).then(|| (monthly - b) / b);
                    }
                    row.karpenter_monthly =
                        plan.solver.karpenter.as_ref().map(|k| k.hourly.monthly());
                    row.cpu_utilization = Some(util(ResourceName::Cpu));
                    row.memory_utilization = Some(util(ResourceName::Memory));
                    row.gap = plan.gap();
                    row.status = plan.solver.status.as_str().to_string();
                    row.warnings = plan.warnings.iter().map(|w| w.message.clone()).collect();
                    for n in &plan.nodes {
                        *row.by_purchase.entry(n.purchase).or_insert(0.0) += n.hourly.monthly();
                    }
                }
            }
            row
        })
        .collect()
}

/// A percentage with one decimal.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A signed dollar delta with its percentage (`+$12.00 (+3.0%)`).
pub fn delta_text(row: &CompareRow) -> String {
    match (row.kind, row.delta_monthly) {
        ("base", _) => "—".to_string(),
        (_, None) => "—".to_string(),
        (_, Some(d)) => {
            let sign = if d > 0.005 { "+" } else { "" };
            let frac = row
                .delta_fraction
                .map(|f| format!(" ({}{:.1}%)", if f > 0.00005 { "+" } else { "" }, 100.0 * f))
                .unwrap_or_default();
            format!("{sign}{}{frac}", format_usd(d))
        }
    }
}

/// The cells of a row in the fixed column order of [`HEADER`].
pub fn cells(row: &CompareRow) -> Vec<String> {
    let opt = |x: Option<f64>, f: fn(f64) -> String| x.map_or("—".to_string(), f);
    vec![
        row.label.clone(),
        row.nodes.map_or("—".to_string(), |n| n.to_string()),
        row.monthly.map_or_else(|| "infeasible".to_string(), format_usd),
        delta_text(row),
        opt(row.karpenter_monthly, format_usd),
        opt(row.cpu_utilization, pct),
        opt(row.memory_utilization, pct),
        opt(row.gap, pct),
        row.warnings.len().to_string(),
    ]
}

/// The column headings, in order: case, nodes, $/month, delta against the base, what Karpenter
/// would launch ($/month), utilisation, gap, warnings.
pub const HEADER: [&str; 9] = [
    "case",
    "nodes",
    "$/month",
    "Δ vs base",
    "Karpenter $/month",
    "CPU util",
    "memory util",
    "gap",
    "warnings",
];

/// Which columns are right-aligned.
pub const RIGHT: [bool; 9] = [false, true, true, true, true, true, true, true, true];

/// The terminal table of a comparison.
pub fn compare_table(scenario: &str, rows: &[CompareRow]) -> String {
    let mut out = format!("What-if for {scenario}: {} cases\n\n", rows.len());
    let header: Vec<String> = HEADER.iter().map(|h| h.to_uppercase()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    out.push_str(&columns(&header, &body, &RIGHT));
    let errors: Vec<&CompareRow> = rows.iter().filter(|r| r.error.is_some()).collect();
    if !errors.is_empty() {
        out.push('\n');
        for r in errors {
            out.push_str(&format!(
                "{}: infeasible: {}\n",
                r.label,
                r.error.as_deref().unwrap_or("")
            ));
        }
    }
    out
}
