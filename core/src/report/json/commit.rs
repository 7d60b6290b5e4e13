//! The `kplan.commit/v1` JSON of the commitment planner's report.

use std::collections::BTreeMap;

use serde::Serialize;

use super::round6;
use crate::money::round_cents;

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
