//! Today's cluster as a plan: the nodes that run, priced from the catalog, with the pods on each,
//! checked by the verifier against a scenario made from the same cluster; and the scenario to plan
//! the same workloads from scratch.
//!
//! Running pods are grouped into workloads by their controller (and, when a controller's pods
//! differ in shape, by shape); DaemonSet pods become the scenario's DaemonSets. A node whose
//! instance type the catalog does not know, or a node with no instance-type label, becomes an
//! unpriced instance type of its own (its capacity from `status.capacity`, price 0) and is named
//! in a warning; so is a known type with no price for the node's purchase option. Nothing read is
//! dropped: pods on nodes that were not read, pending and terminated pods are listed.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{
    self, Category, InstanceType, Offer, PriceSource, Provider, PurchaseOption, RegionPrices,
};
use crate::diag::Diagnostic;
use crate::input::cluster::{Cluster, ClusterNode, ClusterPod, Controller};
use crate::input::manifests::manifest_scenario;
use crate::money::Price;
use crate::plan::verify::Violation;
use crate::plan::{Plan, PlanNode, PodCount, SolveStatus, SolverFacts};
use crate::policy::ratio_to_ppm;
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::workload::{DaemonSet, PodResources, Workload, WorkloadKey};

/// The spot share allowed when today's cluster runs spot nodes and no scenario sets one: the
/// field's rule of thumb (SPEC §4), two thirds of the cluster's vCPU.
pub const DEFAULT_SPOT_SHARE: f64 = 2.0 / 3.0;

/// The zone of a node without a zone label.
pub const NO_ZONE: &str = "no-zone";

/// The method name today's plan carries in `solver.method`.
pub const OBSERVED: &str = "observed";

/// One node of today's cluster as priced.
#[derive(Clone, Debug, PartialEq)]
pub struct TodayNode {
    /// The node's name (the plan node of the same name).
    pub name: String,
    /// The node pool or node group, when labelled.
    pub node_pool: Option<String>,
    /// The instance type as planned (the label, or `unlabelled:<node>`).
    pub instance_type: String,
    /// False when the node has no price (unknown type, unlabelled, or no price for its option).
    pub priced: bool,
    /// What the node reports as allocatable (`status.allocatable`).
    pub reported_allocatable: Resources,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
}

impl TodayNode {
    /// The node pool it is listed under: its pool label, or `(none)`.
    pub fn pool_label(&self) -> String {
        self.node_pool.clone().unwrap_or_else(|| "(none)".to_string())
    }
}

/// Today's cluster: its scenario, its plan and what it does not account for.
#[derive(Clone, Debug, PartialEq)]
pub struct Today {
    /// The scenario the plan is verified against: the workloads and DaemonSets running, the
    /// zones and purchase options in use, the given scenario's (or the default) policies.
    pub scenario: Scenario,
    /// The nodes and what runs on each, priced (`solver.method` is `observed`).
    pub plan: Plan,
    /// Per node: pool, pricing, reported allocatable.
    pub nodes: Vec<TodayNode>,
    /// Pods waiting for a node: id and why.
    pub pending: Vec<(String, Option<String>)>,
    /// Pods whose containers ended: id, phase and why.
    pub terminated: Vec<(String, String, Option<String>)>,
    /// Pods bound to nodes that were not read.
    pub unplaced: Vec<String>,
}

impl Today {
    /// The nodes without a price.
    pub fn unpriced(&self) -> impl Iterator<Item = &TodayNode> {
        self.nodes.iter().filter(|n| !n.priced)
    }

    /// Nodes and dollars per month per node pool (`(none)` for nodes in no pool), sorted by pool.
    pub fn by_node_pool(&self) -> BTreeMap<String, (usize, f64)> {
        let mut res: BTreeMap<String, (usize, f64)> = BTreeMap::new();
        for n in &self.nodes {
            let key = n.pool_label();
            let hourly =
                self.plan.nodes.iter().find(|p| p.name == n.name).map_or(0.0, |p| p.hourly.0);
            let e = res.entry(key).or_default();
            e.0 += 1;
            e.1 += Price(hourly).monthly();
        }
        res
    }
}

/// The instance type a node is planned as: its label, or `unlabelled:<node>`.
fn type_of(n: &ClusterNode) -> String {
    n.instance_type.clone().unwrap_or_else(|| format!("unlabelled:{}", n.name))
}

fn zone_of(n: &ClusterNode) -> String {
    n.zone.clone().unwrap_or_else(|| NO_ZONE.to_string())
}

/// One workload per controller and pod shape: the running pods (and, for planning, pending ones).
struct Group<'a> {
    key: WorkloadKey,
    controller: &'a Controller,
    first: &'a ClusterPod,
    pod: &'a PodResources,
    running: Vec<&'a ClusterPod>,
    pending: u32,
}

/// Groups the pods (DaemonSet pods and terminated pods left out) into workloads, in input order.
fn groups<'a>(cluster: &'a Cluster, warnings: &mut Vec<Diagnostic>) -> Vec<Group<'a>> {
    let mut res: Vec<Group<'a>> = Vec::new();
    // (namespace, controller) → indices of its groups, one per pod shape.
    let mut by_controller: BTreeMap<(&str, &Controller), Vec<usize>> = BTreeMap::new();
    for p in &cluster.pods {
        if p.daemonset.is_some() || p.phase.is_terminated() {
            continue;
        }
        let shapes = by_controller.entry((p.namespace.as_str(), &p.controller)).or_default();
        let at = shapes.iter().copied().find(|&i| res[i].pod == &p.read.workload.pod);
        let i = match at {
            Some(i) => i,
            None => {
                let name = if shapes.is_empty() {
                    p.controller.name.clone()
                } else {
                    format!("{}~{}", p.controller.name, shapes.len() + 1)
                };
                res.push(Group {
                    key: WorkloadKey { namespace: p.namespace.clone(), name },
                    controller: &p.controller,
                    first: p,
                    pod: &p.read.workload.pod,
                    running: Vec::new(),
                    pending: 0,
                });
                shapes.push(res.len() - 1);
                res.len() - 1
            }
        };
        if p.node.is_some() {
            res[i].running.push(p);
        } else {
            res[i].pending += 1;
        }
    }
    for shapes in by_controller.values().filter(|s| s.len() > 1) {
        let g = &res[shapes[0]];
        let names: Vec<String> = shapes.iter().map(|&i| res[i].key.name.clone()).collect();
        warnings.push(Diagnostic::warning(format!(
            "the pods of {} {}/{} request {} different shapes (a rollout in progress, or a vertical autoscaler); each shape is a workload of its own: {}",
            g.controller.kind,
            g.key.namespace,
            g.controller.name,
            shapes.len(),
            names.join(", ")
        )));
    }
    // Names are unique per namespace across kinds (a Deployment and a StatefulSet both called `web`).
    let mut seen: BTreeMap<WorkloadKey, usize> = BTreeMap::new();
    for g in &mut res {
        let n = seen.entry(g.key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            g.key.name = format!("{} ({})", g.key.name, g.controller.kind);
        }
    }
    res
}

/// The workload of a group with a number of replicas.
fn workload(g: &Group<'_>, replicas: u32, spot_nodes: &BTreeSet<&str>) -> Workload {
    let mut w = g.first.read.workload.clone();
    w.name.clone_from(&g.key.name);
    w.kind.clone_from(&g.controller.kind);
    w.replicas = replicas;
    w.spot |= g.running.iter().any(|p| p.node.as_deref().is_some_and(|n| spot_nodes.contains(n)));
    w
}

/// DaemonSets from their running pods (the first pod's requests; a warning when pods differ).
fn daemonsets(cluster: &Cluster, warnings: &mut Vec<Diagnostic>) -> Vec<DaemonSet> {
    let mut res: Vec<DaemonSet> = Vec::new();
    let mut differ = BTreeSet::new();
    for p in cluster.pods.iter().filter(|p| !p.phase.is_terminated()) {
        let Some(ds) = &p.daemonset else { continue };
        match res.iter().find(|d| d.namespace == ds.namespace && d.name == ds.name) {
            Some(d) if d.pod != ds.pod => {
                differ.insert(format!("{}/{}", ds.namespace, ds.name));
            }
            Some(_) => {}
            None => res.push(ds.clone()),
        }
    }
    for d in differ {
        warnings.push(Diagnostic::warning(format!(
            "the pods of DaemonSet {d} request different resources; the first pod's requests are counted on every node"
        )));
    }
    res
}

/// An unpriced instance type for a node the catalog cannot price: its capacity from `status.capacity`.
fn unpriced_type(
    n: &ClusterNode,
    region: &str,
    purchases: &BTreeSet<PurchaseOption>,
) -> InstanceType {
    let name = type_of(n);
    let offers = purchases
        .iter()
        .map(|p| {
            (*p, Offer { price: Price::ZERO, source: PriceSource::Scenario, interruption: None })
        })
        .collect();
    let mut regions = BTreeMap::new();
    regions.insert(region.to_string(), RegionPrices { offers });
    // The node's own capacity is declared as it was observed: its disk and every extended
    // resource (GPUs of any vendor, huge pages, device plugins' resources).
    let mut declared = BTreeMap::new();
    if n.capacity.ephemeral_storage.0 > 0 {
        declared.insert(ResourceName::EphemeralStorage, n.capacity.ephemeral_storage.0);
    }
    for (k, v) in &n.capacity.extended {
        declared.insert(ResourceName::Extended(k.clone()), *v);
    }
    let mut res = InstanceType {
        provider: Provider::Custom,
        family: name.split('.').next().unwrap_or(&name).to_string(),
        name,
        family_aliases: Vec::new(),
        category: Category::General,
        cpu: n.capacity.cpu,
        memory: n.capacity.memory,
        gpus: 0,
        gpu_model: None,
        arch: n.arch.unwrap_or(catalog::Arch::Amd64),
        max_pods: u32::try_from(n.capacity.pods).ok().filter(|p| *p > 0),
        local_storage: None,
        burstable_baseline: None,
        declared: Resources::default(),
        regions,
    };
    res.declare(&declared);
    if res.gpus > 0 {
        res.category = Category::Gpu;
    }
    res
}

/// The scenario both today's plan and the new plan start from: the given one, or a scenario with
/// the SPEC defaults in the cluster's provider and region.
fn base_scenario(cluster: &Cluster, base: Option<&Scenario>) -> Result<Scenario, Diagnostic> {
    match base {
        Some(s) => {
            if s.provider != cluster.provider || s.region != cluster.region {
                return Err(Diagnostic::error(format!(
                    "the scenario {} plans {} {}, but the cluster runs in {} {}",
                    s.name, s.provider, s.region, cluster.provider, cluster.region
                ))
                .with_path("provider")
                .with_hint("plan the cluster's own provider and region, or give --provider and --region to price it as another region"));
            }
            let mut s = s.clone();
            s.workloads.clear();
            s.daemonsets.clear();
            Ok(s)
        }
        None => {
            let mut s = manifest_scenario("today", cluster.provider, Some(&cluster.region))?;
            s.description = Some(format!("today's cluster ({})", cluster.located_by));
            let mut zones: Vec<String> = cluster.nodes.iter().map(zone_of).collect();
            zones.sort();
            zones.dedup();
            if !zones.is_empty() {
                s.zones = zones;
            }
            if cluster.nodes.iter().any(|n| n.purchase.is_spot()) {
                s.purchase.push(PurchaseOption::Spot);
                s.policy.spot_max_share = ratio_to_ppm(DEFAULT_SPOT_SHARE);
            }
            Ok(s)
        }
    }
}

/// Prices today's cluster: its scenario (with `base`'s policies, catalog filter and pricing when
/// given) and its plan, every node with the pods that run on it. The plan's warnings name
/// unpriced nodes, allocatable the nodes report that differs from kplan's model, and what is not
/// counted.
pub fn price(cluster: &Cluster, base: Option<&Scenario>) -> Result<Today, Diagnostic> {
    let mut warnings = Vec::new();
    let mut scenario = base_scenario(cluster, base)?;
    let spot_nodes: BTreeSet<&str> =
        cluster.nodes.iter().filter(|n| n.purchase.is_spot()).map(|n| n.name.as_str()).collect();

    // Zones and purchase options in use must be options of today's scenario.
    for n in &cluster.nodes {
        let z = zone_of(n);
        if !scenario.zones.contains(&z) {
            scenario.zones.push(z);
        }
        if !scenario.purchase.contains(&n.purchase) {
            scenario.purchase.push(n.purchase);
        }
    }
    scenario.zones.sort();

    // Unknown and unlabelled instance types; known types without a price for their option.
    let catalog = catalog::builtin::catalog(cluster.provider);
    let mut purchases_of: BTreeMap<String, BTreeSet<PurchaseOption>> = BTreeMap::new();
    for n in &cluster.nodes {
        purchases_of.entry(type_of(n)).or_default().insert(n.purchase);
    }
    let mut unpriced: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut added_types = BTreeSet::new();
    for n in &cluster.nodes {
        let name = type_of(n);
        let known = catalog.get(&name);
        let priced = known.is_some_and(|it| scenario.offer(it, n.purchase).is_some());
        if priced {
            continue;
        }
        let why = match (&n.instance_type, known) {
            (None, _) => "no instance-type label (node.kubernetes.io/instance-type)".to_string(),
            (Some(t), None) => {
                format!("instance type {t} is not in the embedded {} catalog", cluster.provider)
            }
            (Some(t), Some(_)) => format!("{t} has no {} price in {}", n.purchase, cluster.region),
        };
        unpriced.entry(why).or_default().push(&n.name);
        if known.is_none() && added_types.insert(name.clone()) {
            scenario.custom_types.push(unpriced_type(n, &cluster.region, &purchases_of[&name]));
        } else if known.is_some() {
            scenario.pricing.sheet.push(catalog::load::PriceSheetRow {
                line: 0,
                instance_type: name.clone(),
                option: n.purchase,
                hourly: Price::ZERO,
            });
        }
    }
    for (why, names) in &unpriced {
        warnings.push(
            Diagnostic::warning(format!(
                "{} node(s) are not priced ({why}): {}; today's cost leaves them out",
                names.len(),
                names.join(", ")
            ))
            .with_hint("a scenario's pricing.sheet or catalog.custom can price them"),
        );
    }

    let groups = groups(cluster, &mut warnings);
    scenario.workloads = groups
        .iter()
        .filter(|g| !g.running.is_empty())
        .map(|g| workload(g, u32::try_from(g.running.len()).unwrap_or(u32::MAX), &spot_nodes))
        .collect();
    scenario.daemonsets = daemonsets(cluster, &mut warnings);
    let observed_spot: Vec<String> = groups
        .iter()
        .filter(|g| !g.first.read.workload.spot)
        .filter(|g| {
            g.running.iter().any(|p| p.node.as_deref().is_some_and(|n| spot_nodes.contains(n)))
        })
        .map(|g| g.key.to_string())
        .collect();
    if !observed_spot.is_empty() {
        warnings.push(Diagnostic::note(format!(
            "{} workload(s) run pods on spot nodes without a spot toleration or affinity kplan recognises, so they are taken as spot-tolerant: {}",
            observed_spot.len(),
            observed_spot.join(", ")
        )));
    }

    // The plan: every node read, with its pods.
    let options = scenario.node_options().output;
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let group_of: BTreeMap<(&str, &str), &WorkloadKey> = groups
        .iter()
        .flat_map(|g| {
            g.running.iter().map(move |p| ((p.namespace.as_str(), p.name.as_str()), &g.key))
        })
        .collect();
    let mut plan_nodes = Vec::new();
    let mut today_nodes = Vec::new();
    let mut model_gaps: BTreeMap<String, (usize, &ClusterNode, Resources)> = BTreeMap::new();
    for n in &cluster.nodes {
        let instance_type = type_of(n);
        let zone = zone_of(n);
        let option = by_key.get(&OptionKey::new(&instance_type, n.purchase, &zone));
        let mut counts: BTreeMap<&WorkloadKey, u32> = BTreeMap::new();
        for p in cluster.running().filter(|p| p.node.as_deref() == Some(n.name.as_str())) {
            if let Some(k) = group_of.get(&(p.namespace.as_str(), p.name.as_str())) {
                *counts.entry(k).or_default() += 1;
            }
        }
        let (hourly, allocatable) = match option {
            Some(o) => (o.price, o.allocatable.clone()),
            None => {
                let price = catalog
                    .get(&instance_type)
                    .and_then(|it| scenario.offer(it, n.purchase))
                    .map_or(Price::ZERO, |o| o.price);
                (price, n.allocatable.clone())
            }
        };
        if let Some(o) = option
            && differs(&n.allocatable, &o.allocatable)
        {
            let e =
                model_gaps.entry(instance_type.clone()).or_insert((0, n, o.allocatable.clone()));
            e.0 += 1;
        }
        plan_nodes.push(PlanNode {
            name: n.name.clone(),
            instance_type: instance_type.clone(),
            purchase: n.purchase,
            zone,
            hourly,
            allocatable,
            pods: counts
                .into_iter()
                .map(|(k, count)| PodCount { workload: k.clone(), count })
                .collect(),
        });
        today_nodes.push(TodayNode {
            name: n.name.clone(),
            node_pool: n.node_pool.clone(),
            priced: !unpriced.values().any(|names| names.contains(&n.name.as_str())),
            instance_type,
            reported_allocatable: n.allocatable.clone(),
            unschedulable: n.unschedulable,
        });
    }
    for (t, (count, n, model)) in &model_gaps {
        warnings.push(Diagnostic::note(format!(
            "{t} ({count} node(s), {} the first): the nodes report allocatable {}; kplan's {} model gives {}; today's plan and the new one both use the model",
            n.name,
            brief(&n.allocatable),
            scenario.overhead.name(),
            brief(model)
        )));
    }
    let cordoned: Vec<&str> =
        cluster.nodes.iter().filter(|n| n.unschedulable).map(|n| n.name.as_str()).collect();
    if !cordoned.is_empty() {
        warnings.push(Diagnostic::note(format!(
            "{} node(s) are cordoned (spec.unschedulable) and priced as running: {}",
            cordoned.len(),
            cordoned.join(", ")
        )));
    }
    plan_nodes.sort_by(|a, b| {
        a.instance_type
            .cmp(&b.instance_type)
            .then(a.purchase.cmp(&b.purchase))
            .then(a.zone.cmp(&b.zone))
            .then(a.name.cmp(&b.name))
    });

    let node_names: BTreeSet<&str> = cluster.nodes.iter().map(|n| n.name.as_str()).collect();
    let unplaced: Vec<String> = cluster
        .running()
        .filter(|p| p.node.as_deref().is_some_and(|n| !node_names.contains(n)))
        .map(ClusterPod::id)
        .collect();
    // Pods on nodes not read are not part of today's workloads: they are listed instead.
    if !unplaced.is_empty() {
        for w in &mut scenario.workloads {
            let off = cluster
                .running()
                .filter(|p| p.node.as_deref().is_some_and(|n| !node_names.contains(n)))
                .filter(|p| {
                    group_of.get(&(p.namespace.as_str(), p.name.as_str())) == Some(&&w.key())
                })
                .count();
            w.replicas = w.replicas.saturating_sub(u32::try_from(off).unwrap_or(u32::MAX));
        }
        scenario.workloads.retain(|w| w.replicas > 0);
    }
    let pending: Vec<(String, Option<String>)> =
        cluster.pending().map(|p| (p.id(), p.reason.clone())).collect();
    if !pending.is_empty() {
        warnings.push(Diagnostic::warning(format!(
            "{} pod(s) are pending (not on any node): {}",
            pending.len(),
            pending.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let terminated: Vec<(String, String, Option<String>)> =
        cluster.terminated().map(|p| (p.id(), p.phase.to_string(), p.reason.clone())).collect();
    if !terminated.is_empty() {
        warnings.push(Diagnostic::note(format!(
            "{} terminated pod(s) hold no resources and are not counted: {}",
            terminated.len(),
            terminated
                .iter()
                .map(|(id, phase, _)| format!("{id} ({phase})"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    let plan = Plan {
        scenario: scenario.name.clone(),
        provider: scenario.provider,
        region: scenario.region.clone(),
        nodes: plan_nodes,
        warnings,
        solver: SolverFacts {
            method: OBSERVED.to_string(),
            backend: None,
            status: SolveStatus::Feasible,
            seconds: 0.0,
            bound: None,
            ffd_hourly: None,
            karpenter: None,
            stats: None,
        },
    };
    Ok(Today { scenario, plan, nodes: today_nodes, pending, terminated, unplaced })
}

/// The verifier's violations of today's cluster as plan warnings (`today's cluster breaks …`), so
/// that the plan's JSON carries them too (`kplan current` and the browser app).
pub fn violation_warnings(violations: &[Violation]) -> Vec<Diagnostic> {
    violations
        .iter()
        .map(|v| Diagnostic::warning(format!("today's cluster breaks {:?}: {}", v.rule, v.message)))
        .collect()
}

/// The scenario to plan today's workloads from scratch: the given scenario's catalog, zones,
/// purchase options and policies (or today's zones, purchase options and architectures with the
/// defaults), the
/// controllers' desired replicas where their objects were read, otherwise the pods seen
/// (running and pending); unpriced instance types are not candidates.
pub fn planning_scenario(cluster: &Cluster, base: Option<&Scenario>, today: &Today) -> Scenario {
    let mut s = today.scenario.clone();
    if let Some(b) = base {
        s.zones.clone_from(&b.zones);
        s.purchase.clone_from(&b.purchase);
        s.custom_types.clone_from(&b.custom_types);
        s.pricing.clone_from(&b.pricing);
    } else {
        s.custom_types.clear();
        s.pricing.sheet.clear();
        // Images built for today's architectures only are the safe assumption.
        let mut arch: Vec<catalog::Arch> = cluster.nodes.iter().filter_map(|n| n.arch).collect();
        arch.sort();
        arch.dedup();
        s.catalog.arch = arch;
        s.zones.retain(|z| z != NO_ZONE);
        if s.zones.is_empty() {
            s.zones = crate::scenario::default_zones(s.provider, &s.region);
        }
    }
    s.name = format!("{} (planned)", today.scenario.name);
    let spot_nodes: BTreeSet<&str> =
        cluster.nodes.iter().filter(|n| n.purchase.is_spot()).map(|n| n.name.as_str()).collect();
    let mut ignored = Vec::new();
    let groups = groups(cluster, &mut ignored);
    let controllers = &cluster.controllers;
    let mut workloads = Vec::new();
    let mut used = BTreeSet::new();
    for g in &groups {
        let seen = u32::try_from(g.running.len()).unwrap_or(u32::MAX).saturating_add(g.pending);
        let desired = controllers.workloads.iter().find(|m| {
            m.workload.namespace == g.key.namespace
                && m.workload.name == g.controller.name
                && m.workload.kind == g.controller.kind
        });
        let mut w = workload(g, seen, &spot_nodes);
        if let Some(d) = desired {
            used.insert(d.workload.key());
            // The controller's desired replicas go to the first shape of its pods read.
            w.replicas = if g.key.name == g.controller.name { d.workload.replicas } else { 0 };
            w.scalable.clone_from(&d.workload.scalable);
            w.min_available = d.workload.min_available.or(w.min_available);
        }
        workloads.push(w);
    }
    workloads.retain(|w| w.replicas > 0);
    for m in &controllers.workloads {
        if !used.contains(&m.workload.key()) && m.workload.replicas > 0 {
            workloads.push(m.workload.clone());
        }
    }
    s.workloads = workloads;
    for d in &controllers.daemonsets {
        if !s
            .daemonsets
            .iter()
            .any(|x| x.namespace == d.daemonset.namespace && x.name == d.daemonset.name)
        {
            s.daemonsets.push(d.daemonset.clone());
        }
    }
    s
}

/// True when reported and modelled allocatable differ by more than 2% in CPU or memory, or in pods.
fn differs(reported: &Resources, model: &Resources) -> bool {
    let off = |a: u64, b: u64| a.abs_diff(b) as f64 > 0.02 * (b.max(1) as f64);
    off(reported.cpu.0, model.cpu.0)
        || off(reported.memory.0, model.memory.0)
        || reported.pods != model.pods
}

/// CPU, memory and pods, briefly.
fn brief(r: &Resources) -> String {
    format!("{} CPU, {:.2}Gi memory, {} pods", r.cpu, r.memory.as_gib_f64(), r.pods)
}
