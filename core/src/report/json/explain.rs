//! The `explain` block of `kplan.plan/v1`: the explanation of a plan ([`crate::explain`]) as JSON DTOs.

use serde::Serialize;

use crate::explain::{Explanation, PolicyPrice, PoolDriver, ReplicaCost};
use crate::money::round_cents;

#[derive(Serialize)]
pub(super) struct ExplainDto {
    plan_monthly: f64,
    top_changes: Vec<ChangeDto>,
    policies: Vec<PolicyDto>,
    marginal: MarginalDto,
    drivers: Vec<DriverDto>,
    guidance: Vec<GuidanceDto>,
    resolves: u32,
    /// Wall-clock seconds the explanation added (varies between runs).
    seconds: f64,
    cut_short: bool,
    skipped: Vec<String>,
}

#[derive(Serialize)]
struct ChangeDto {
    kind: &'static str,
    what: String,
    saving_monthly: f64,
    basis: &'static str,
}

#[derive(Serialize)]
struct PolicyDto {
    policy: &'static str,
    value: String,
    relaxed_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    binds: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relaxed_monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relaxed_nodes: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dearer_resolve: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    time_limited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct MarginalDto {
    vcpu_monthly: f64,
    gib_monthly: f64,
    unit_basis: String,
    duals_valid: bool,
    workloads: Vec<ReplicaDto>,
}

#[derive(Serialize)]
struct ReplicaDto {
    namespace: String,
    name: String,
    replicas: u32,
    allocated_monthly: f64,
    dual_monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved_monthly: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolve_error: Option<String>,
}

#[derive(Serialize)]
struct DriverDto {
    instance_type: String,
    purchase: String,
    zone: String,
    nodes: u64,
    monthly: f64,
    binding: Option<String>,
    resources: Vec<ResourceDto>,
}

#[derive(Serialize)]
struct ResourceDto {
    resource: String,
    allocatable: String,
    requested: String,
    stranded: String,
    usable_share: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stranded_monthly: Option<f64>,
}

#[derive(Serialize)]
struct GuidanceDto {
    instance_type: String,
    resource: String,
    binding: String,
    stranded_share: f64,
    monthly: f64,
    message: String,
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

fn policy_dto(p: &PolicyPrice) -> PolicyDto {
    let (ok, error) = match &p.result {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    PolicyDto {
        policy: p.policy,
        value: p.value.clone(),
        relaxed_to: p.relaxed_to.clone(),
        binds: ok.map(|r| r.binds),
        price_monthly: ok.map(|r| round_cents(r.price_monthly)),
        relaxed_monthly: ok.map(|r| round_cents(r.monthly)),
        relaxed_nodes: ok.map(|r| r.n_nodes),
        dearer_resolve: ok.is_some_and(|r| r.dearer_resolve),
        time_limited: ok.is_some_and(|r| r.time_limited),
        error,
    }
}

fn replica_dto(w: &ReplicaCost) -> ReplicaDto {
    let (resolved, error) = match &w.resolved_monthly {
        None => (None, None),
        Some(Ok(m)) => (Some(round_cents(*m)), None),
        Some(Err(e)) => (None, Some(e.to_string())),
    };
    ReplicaDto {
        namespace: w.workload.namespace.clone(),
        name: w.workload.name.clone(),
        replicas: w.replicas,
        allocated_monthly: round_cents(w.allocated_monthly),
        dual_monthly: w.dual_monthly.map(round_cents),
        resolved_monthly: resolved,
        resolve_error: error,
    }
}

fn driver_dto(d: &PoolDriver) -> DriverDto {
    DriverDto {
        instance_type: d.instance_type.clone(),
        purchase: d.purchase.to_string(),
        zone: d.zone.clone(),
        nodes: d.n_nodes,
        monthly: round_cents(d.monthly),
        binding: d.binding.as_ref().map(ToString::to_string),
        resources: d
            .resources
            .iter()
            .map(|r| ResourceDto {
                resource: r.resource.to_string(),
                allocatable: r.resource.format_amount(r.allocatable),
                requested: r.resource.format_amount(r.requested),
                stranded: r.resource.format_amount(r.stranded),
                usable_share: round4(r.usable_share),
                stranded_monthly: r.stranded_monthly.map(round_cents),
            })
            .collect(),
    }
}

/// The `explain` block of an explanation.
pub(super) fn explain_dto(e: &Explanation) -> ExplainDto {
    ExplainDto {
        plan_monthly: round_cents(e.plan_monthly),
        top_changes: e
            .top_changes
            .iter()
            .map(|c| ChangeDto {
                kind: c.kind.as_str(),
                what: c.what.clone(),
                saving_monthly: round_cents(c.saving_monthly),
                basis: c.basis,
            })
            .collect(),
        policies: e.policies.iter().map(policy_dto).collect(),
        marginal: MarginalDto {
            vcpu_monthly: round_cents(e.marginal.vcpu_monthly),
            gib_monthly: round_cents(e.marginal.gib_monthly),
            unit_basis: e.marginal.unit_basis.clone(),
            duals_valid: e.marginal.duals_valid,
            workloads: e.marginal.workloads.iter().map(replica_dto).collect(),
        },
        drivers: e.drivers.iter().map(driver_dto).collect(),
        guidance: e
            .guidance
            .iter()
            .map(|g| GuidanceDto {
                instance_type: g.instance_type.clone(),
                resource: g.resource.to_string(),
                binding: g.binding.to_string(),
                stranded_share: round4(g.stranded_share),
                monthly: round_cents(g.monthly),
                message: g.sentence(),
            })
            .collect(),
        resolves: e.resolves,
        seconds: (e.seconds * 1e3).round() / 1e3,
        cut_short: e.cut_short,
        skipped: e.skipped.clone(),
    }
}
