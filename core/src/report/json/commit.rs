//! The `kplan.commit/v1` JSON of the commitment planner's report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::round6;
use crate::money::round_cents;

/// One load level: the profile hours at one set of replicas, and its plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitLevelDto {
    /// How many hours of the profile are at this level.
    pub hours: usize,
    /// Smallest scale factor of those hours.
    pub scale_min: f64,
    /// Largest scale factor of those hours.
    pub scale_max: f64,
    /// Pods planned.
    pub pods: u64,
    /// Non-spot nodes by instance type.
    pub non_spot_nodes: BTreeMap<String, u32>,
    /// Spot nodes.
    pub spot_nodes: u32,
    /// Dollars per hour as planned, without a commitment.
    pub hourly_as_planned_without_commitment: f64,
    /// Dollars per hour were every node on demand.
    pub hourly_all_on_demand: f64,
}

/// One commitment: vCPUs of a family bought on a reserved option.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentDto {
    /// Instance family.
    pub family: String,
    /// Purchase option (`reserved-1y`, `reserved-3y`).
    pub option: String,
    /// vCPUs committed.
    pub vcpus: u32,
    /// Dollars per vCPU-hour committed.
    pub hourly_per_vcpu: f64,
    /// Dollars per vCPU-hour on demand.
    pub on_demand_hourly_per_vcpu: f64,
    /// Break-even utilisation: `hourly_per_vcpu / on_demand_hourly_per_vcpu`.
    pub break_even_utilisation: f64,
    /// Share of committed node-hours in use over the profile.
    pub utilisation: f64,
    /// Dollars per month.
    pub monthly: f64,
}

/// What a commitment wastes if demand falls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WasteDto {
    /// The fall (0.1 = 10%).
    pub demand_fall: f64,
    /// Committed vCPU-hours left unused per month.
    pub unused_vcpu_hours_per_month: f64,
    /// Their dollars per month.
    pub monthly: f64,
    /// Commitment utilisation after the fall.
    pub utilisation: f64,
}

/// The `kplan.commit/v1` document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitDto {
    /// `kplan.commit/v1`.
    pub schema: String,
    /// The scenario's name.
    pub scenario: String,
    /// Hours in the load profile.
    pub profile_hours: usize,
    /// The LP backend.
    pub backend: String,
    /// Committed vCPU-hours used over non-spot vCPU-hours.
    pub coverage: f64,
    /// Committed vCPU-hours used over committed vCPU-hours.
    pub utilisation: f64,
    /// Dollars per month with the commitment.
    pub monthly: f64,
    /// Of which committed.
    pub monthly_committed: f64,
    /// Of which on demand.
    pub monthly_on_demand: f64,
    /// Of which spot.
    pub monthly_spot: f64,
    /// Dollars per month as planned without a commitment.
    pub monthly_no_commitment: f64,
    /// Dollars per month all on demand.
    pub monthly_all_on_demand: f64,
    /// Saved per month against all on demand.
    pub savings_monthly: f64,
    /// The same as a fraction.
    pub savings_fraction: f64,
    /// Commitments per (family, option) with a price, chosen or not.
    pub commitments: Vec<CommitmentDto>,
    /// The load levels, by rising demand.
    pub levels: Vec<CommitLevelDto>,
    /// What the commitment wastes as demand falls.
    pub waste: Vec<WasteDto>,
}

/// The schema name of the commitment report.
pub const COMMIT_SCHEMA: &str = "kplan.commit/v1";

/// The commitment planner's report as JSON (pretty, deterministic).
pub fn commit_json(r: &crate::cost::commit::CommitReport) -> String {
    let r4 = |x: f64| (x * 1e4).round() / 1e4;
    let dto = CommitDto {
        schema: COMMIT_SCHEMA.to_string(),
        scenario: r.scenario.clone(),
        profile_hours: r.profile_hours,
        backend: r.backend.to_string(),
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
                option: c.option.as_str().to_string(),
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
