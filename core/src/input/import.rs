//! The kplan scenario YAML that `kplan import` writes from manifests: `Serialize`-only DTOs.
//!
//! The scenario holds what the manifests say (workloads with their containers as admitted,
//! DaemonSets, autoscaler bounds, budgets, spreading, placement) and the provider and region;
//! policies, catalog filters and zones keep their defaults for the user to edit.
//! `input::scenario::read_scenario` reads it back into the same workloads.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::Provider;
use crate::input::manifests::{ManifestDaemonSet, ManifestOptions, ManifestWorkload, Manifests};
use crate::resources::Resources;
use crate::workload::{Container, PartialResources};

#[derive(Serialize)]
struct ScenarioOut {
    name: String,
    provider: String,
    region: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    daemonsets: Vec<DaemonSetOut>,
    workloads: Vec<WorkloadOut>,
}

type Quantities = BTreeMap<String, String>;

#[derive(Serialize)]
struct DaemonSetOut {
    name: String,
    namespace: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    requests: Quantities,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    limits: Quantities,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    arch: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gpu: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spot: Option<bool>,
}

#[derive(Serialize)]
struct ContainerOut {
    name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    requests: Quantities,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    limits: Quantities,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sidecar: bool,
}

#[derive(Serialize)]
struct ZoneSpreadOut {
    max_skew: u32,
}

#[derive(Serialize)]
struct ScalableOut {
    min: u32,
    max: u32,
}

#[derive(Serialize)]
struct WorkloadOut {
    name: String,
    namespace: String,
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    replicas: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<Quantities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limits: Option<Quantities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    containers: Option<Vec<ContainerOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    init_containers: Option<Vec<ContainerOut>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    overhead: Quantities,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    spot: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_per_node: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zone_spread: Option<ZoneSpreadOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_available: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scalable: Option<ScalableOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    arch: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    instance_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    families: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    zones: Vec<String>,
}

/// Canonical quantities of the resources given (exact: `250m`, `2`, `1536Mi`).
fn partial(p: &PartialResources) -> Quantities {
    let mut res = BTreeMap::new();
    if let Some(c) = p.cpu {
        res.insert("cpu".to_string(), c.to_string());
    }
    if let Some(b) = p.memory {
        res.insert("memory".to_string(), b.to_string());
    }
    if let Some(b) = p.ephemeral_storage {
        res.insert("ephemeral-storage".to_string(), b.to_string());
    }
    for (k, v) in &p.extended {
        res.insert(k.clone(), v.to_string());
    }
    res
}

/// Canonical quantities of the non-zero resources of a full vector (pods left out).
fn full(r: &Resources) -> Quantities {
    let mut res = BTreeMap::new();
    if r.cpu.0 > 0 {
        res.insert("cpu".to_string(), r.cpu.to_string());
    }
    if r.memory.0 > 0 {
        res.insert("memory".to_string(), r.memory.to_string());
    }
    if r.ephemeral_storage.0 > 0 {
        res.insert("ephemeral-storage".to_string(), r.ephemeral_storage.to_string());
    }
    for (k, v) in &r.extended {
        res.insert(k.clone(), v.to_string());
    }
    res
}

fn container(c: &Container) -> ContainerOut {
    ContainerOut {
        name: c.name.clone(),
        requests: partial(&c.requests),
        limits: partial(&c.limits),
        sidecar: c.sidecar,
    }
}

/// The kplan scenario equivalent to a set of manifests, as commented YAML.
///
/// `sources` names the inputs in the header comment.
pub fn import_scenario_yaml(
    name: &str,
    provider: Provider,
    region: &str,
    manifests: &Manifests,
    options: &ManifestOptions,
    sources: &[String],
) -> String {
    let out = ScenarioOut {
        name: name.to_string(),
        provider: provider.to_string(),
        region: region.to_string(),
        daemonsets: manifests.daemonsets.iter().map(daemonset_out).collect(),
        workloads: manifests.workloads.iter().map(workload_out).collect(),
    };
    import_header(manifests, options, sources) + &super::to_yaml(&out)
}

fn daemonset_out(d: &ManifestDaemonSet) -> DaemonSetOut {
    let ds = &d.daemonset;
    // Limits equal to requests are left out: reading them back gives the same pod.
    let mut limits = full(&ds.pod.limits);
    let requests = full(&ds.pod.requests);
    limits.retain(|k, v| requests.get(k) != Some(v));
    DaemonSetOut {
        name: ds.name.clone(),
        namespace: ds.namespace.clone(),
        requests,
        limits,
        arch: ds.arch.iter().map(|a| a.to_string()).collect(),
        gpu: ds.gpu,
        spot: ds.spot,
    }
}

/// A workload read from manifests as the scenario writes it: one container's requests and
/// limits flat, several containers (or init containers, or pod overhead) listed.
fn workload_out(mw: &ManifestWorkload) -> WorkloadOut {
    let w = &mw.workload;
    let flat = mw.containers.len() == 1
        && mw.init_containers.is_empty()
        && mw.overhead == Resources::default();
    let (requests, limits, containers, init_containers) = if flat {
        let c = &mw.containers[0];
        let (r, l) = (partial(&c.requests), partial(&c.limits));
        ((!r.is_empty()).then_some(r), (!l.is_empty()).then_some(l), None, None)
    } else {
        let init = (!mw.init_containers.is_empty())
            .then(|| mw.init_containers.iter().map(container).collect());
        (None, None, Some(mw.containers.iter().map(container).collect()), init)
    };
    WorkloadOut {
        name: w.name.clone(),
        namespace: w.namespace.clone(),
        kind: w.kind.clone(),
        owner: w.owner.clone(),
        replicas: w.replicas,
        requests,
        limits,
        containers,
        init_containers,
        overhead: full(&mw.overhead),
        spot: w.spot,
        max_per_node: w.max_per_node,
        zone_spread: w.zone_spread.map(|z| ZoneSpreadOut { max_skew: z.max_skew }),
        min_available: w.min_available,
        scalable: w.scalable.map(|s| ScalableOut { min: s.min_replicas, max: s.max_replicas }),
        arch: w.placement.arch.iter().map(|a| a.to_string()).collect(),
        instance_types: w.placement.instance_types.clone(),
        families: w.placement.families.clone(),
        zones: w.placement.zones.clone(),
    }
}

/// The header comment: the sources, the replica mode, what was skipped, which workloads an
/// operator's defaults gave, the storage claims, and the defaults taken.
fn import_header(manifests: &Manifests, options: &ManifestOptions, sources: &[String]) -> String {
    let mut header =
        String::from("# A kplan scenario imported from Kubernetes manifests by `kplan import`.\n");
    header.push_str(&format!("# Sources: {}.\n", sources.join(", ")));
    header.push_str(&format!(
        "# Replicas: {} (autoscaled workloads carry their bounds under `scalable`).\n",
        options.replicas.as_str()
    ));
    if !manifests.skipped.is_empty() {
        let list: Vec<String> =
            manifests.skipped.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        header.push_str(&format!("# Skipped (not workloads): {}.\n", list.join(", ")));
    }
    let mut operated: Vec<String> = manifests
        .workloads
        .iter()
        .filter_map(|mw| {
            mw.operator.as_ref().map(|o| {
                format!(
                    "# {} {}/{}: the pods of {} {}/{} with {} {}'s defaults.\n",
                    mw.workload.kind,
                    mw.workload.namespace,
                    mw.workload.name,
                    o.kind,
                    mw.workload.namespace,
                    o.name,
                    o.operator.name,
                    o.operator.version
                )
            })
        })
        .collect();
    operated.dedup();
    header.extend(operated);
    for c in &manifests.volume_claims {
        header.push_str(&format!(
            "# Storage (not priced yet): {}/{} {} × {} ({}).\n",
            c.namespace,
            c.name,
            c.count,
            c.storage,
            c.storage_class.as_deref().unwrap_or("default class")
        ));
    }
    header.push_str("# Policies, zones, purchase options and catalog filters take their defaults: see `kplan init`.\n");
    header
}
