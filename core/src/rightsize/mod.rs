//! Right-sizing: requests recommended from observed usage by a named strategy, written into the
//! scenario, and the cluster planned before and after with the risk stated.
//!
//! [`rightsize`] takes the scenario as a document (its YAML as a JSON value,
//! [`crate::input::document`]), the samples ([`Usage`]) and optionally the pods' owners; it
//! maps every pod to a workload (`matching`), recommends each container's CPU and memory
//! request with [`strategy`], applies the limits policy and writes the new quantities into a
//! copy of the document. Every workload container gets a row, recommended or flagged (no
//! samples, too few, autoscaled); every pod and container that matches nothing is listed.
//! [`plan_both`] then plans the scenario before and after with the same configuration and
//! verifies both plans.

mod matching;
pub mod strategy;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::input::usage::pods::PodOwners;
use crate::input::usage::{Origin, Point, Series, Usage, When};
use crate::money::Price;
use crate::plan::Plan;
use crate::plan::verify::{Violation, verify};
use crate::quantity::{Bytes, Cpu};
use crate::scenario::Scenario;
use crate::solve::{SolveConfig, SolveError, solve};
use crate::workload::WorkloadKey;

pub use strategy::{LimitsPolicy, Rounding, Settings, Strategy, settings};

/// krr's `simple` strategy wants at least this much history (`history_range_enough`, 3 hours).
pub const MIN_HISTORY_MS: i64 = 3 * 3600 * 1000;

/// Why a resource's request was left as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// No samples at all.
    NoSamples,
    /// Fewer samples than the settings require.
    TooFewSamples {
        /// Samples seen (over all pods).
        have: u64,
        /// Samples required.
        need: u64,
    },
    /// The workload has an autoscaler and `allow_hpa` is off.
    Autoscaled,
}

impl Kept {
    /// A short phrase for tables.
    pub fn describe(self) -> String {
        match self {
            Kept::NoSamples => "no samples".to_string(),
            Kept::TooFewSamples { have, need } => format!("too few samples ({have} < {need})"),
            Kept::Autoscaled => "autoscaled (HPA)".to_string(),
        }
    }

    /// A stable name for JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kept::NoSamples => "no-samples",
            Kept::TooFewSamples { .. } => "too-few-samples",
            Kept::Autoscaled => "autoscaled",
        }
    }
}

/// A quantity before and after (`None`: not set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// As the scenario has it.
    pub before: Option<u64>,
    /// As recommended.
    pub after: Option<u64>,
}

/// One resource of one container: samples, what was observed and what changes.
/// CPU amounts are millicores (observations rounded up), memory amounts bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    /// Samples over all pods.
    pub samples: u64,
    /// The largest sample.
    pub peak: Option<u64>,
    /// The strategy's statistic (with the margin), before rounding and floors.
    pub basis: Option<u64>,
    /// The request.
    pub request: Change,
    /// The limit.
    pub limit: Change,
    /// Why the request was kept, if it was.
    pub kept: Option<Kept>,
    /// Pods whose peak is above the new request.
    pub pods_over_request: usize,
    /// Samples above the new request.
    pub samples_over_request: u64,
    /// Pods whose peak is above the new limit.
    pub pods_over_limit: usize,
    /// Pods whose peak plus the memory margin passes the new memory limit (memory only): the
    /// out-of-memory risk.
    pub pods_near_limit: usize,
}

/// One container of one workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The workload.
    pub workload: WorkloadKey,
    /// Its kind.
    pub kind: String,
    /// Its replicas.
    pub replicas: u32,
    /// True when the workload has an autoscaler (`scalable:`).
    pub autoscaled: bool,
    /// The container (for a workload written with pod-level requests, the containers seen).
    pub container: String,
    /// Where its requests are in the scenario (`workloads[3].containers[1]`).
    pub path: String,
    /// Pods seen.
    pub pods: usize,
    /// CPU (millicores).
    pub cpu: Resource,
    /// Memory (bytes).
    pub memory: Resource,
    /// Remarks (summed containers, limits raised to requests, an init container's request).
    pub notes: Vec<String>,
}

impl Row {
    /// True when a request or a limit changes.
    pub fn changed(&self) -> bool {
        [&self.cpu, &self.memory]
            .iter()
            .any(|r| r.request.before != r.request.after || r.limit.before != r.limit.after)
    }
}

/// A pod (or one container of a matched pod) whose samples were not used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    /// Namespace.
    pub namespace: String,
    /// Pod.
    pub pod: String,
    /// The container, when the pod matched but this container is not the workload's.
    pub container: Option<String>,
    /// Where its first sample was read.
    pub origin: Origin,
    /// Samples not used.
    pub samples: u64,
    /// Why.
    pub reason: String,
}

/// What was read, for the report's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageFacts {
    /// Samples (container × instant).
    pub samples: u64,
    /// Pods seen.
    pub pods: usize,
    /// Pods matched to a workload.
    pub matched_pods: usize,
    /// First and last CSV timestamp.
    pub span_ms: Option<(i64, i64)>,
    /// `kubectl top` snapshots.
    pub snapshots: u32,
}

/// The outcome of right-sizing: one row per workload container, what was not used, the notes,
/// and the right-sized document.
#[derive(Clone, Debug, PartialEq)]
pub struct Rightsizing {
    /// The settings used.
    pub settings: Settings,
    /// Every container of every workload, in scenario order.
    pub rows: Vec<Row>,
    /// Pods and containers whose samples were not used.
    pub unmatched: Vec<Unmatched>,
    /// Warnings and notes (located where they have a place).
    pub notes: Vec<Diagnostic>,
    /// What was read.
    pub usage: UsageFacts,
    /// The scenario document with the recommended requests and limits.
    pub document: Value,
}

/// A workload container of the document.
struct Slot {
    name: Option<String>,
    pointer: String,
    path: String,
    cpu_request: Option<u64>,
    memory_request: Option<u64>,
    cpu_limit: Option<u64>,
    memory_limit: Option<u64>,
}

/// A workload of the document.
struct Target {
    key: WorkloadKey,
    kind: String,
    replicas: u32,
    autoscaled: bool,
    flat: bool,
    slots: Vec<Slot>,
    /// Plain init containers (not right-sized), with their CPU and memory requests.
    inits: Vec<(String, Option<u64>, Option<u64>)>,
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn quantities(container: &Value, field: &str) -> (Option<u64>, Option<u64>) {
    let m = &container[field];
    let cpu = text_of(&m["cpu"]).and_then(|t| Cpu::parse(&t).ok()).map(|c| c.0);
    let memory = text_of(&m["memory"]).and_then(|t| Bytes::parse(&t).ok()).map(|b| b.0);
    (cpu, memory)
}

fn slot(name: Option<String>, pointer: String, path: String, c: &Value) -> Slot {
    let (cpu_request, memory_request) = quantities(c, "requests");
    let (cpu_limit, memory_limit) = quantities(c, "limits");
    // A container with a limit and no request requests its limit (the API server's defaulting).
    Slot {
        name,
        pointer,
        path,
        cpu_request: cpu_request.or(cpu_limit),
        memory_request: memory_request.or(memory_limit),
        cpu_limit,
        memory_limit,
    }
}

/// The workloads of a scenario document, with their containers' requests and limits.
fn targets(doc: &Value) -> Vec<Target> {
    let Some(workloads) = doc["workloads"].as_array() else { return Vec::new() };
    let mut res = Vec::new();
    for (i, w) in workloads.iter().enumerate() {
        let key = WorkloadKey {
            namespace: w["namespace"].as_str().unwrap_or("default").to_string(),
            name: w["name"].as_str().unwrap_or_default().to_string(),
        };
        let mut slots = Vec::new();
        let mut inits = Vec::new();
        let flat = !w["containers"].is_array();
        if flat {
            slots.push(slot(None, format!("/workloads/{i}"), format!("workloads[{i}]"), w));
        } else {
            for (j, c) in w["containers"].as_array().into_iter().flatten().enumerate() {
                slots.push(slot(
                    c["name"].as_str().map(str::to_string),
                    format!("/workloads/{i}/containers/{j}"),
                    format!("workloads[{i}].containers[{j}]"),
                    c,
                ));
            }
        }
        for (j, c) in w["init_containers"].as_array().into_iter().flatten().enumerate() {
            let name = c["name"].as_str().unwrap_or_default().to_string();
            if c["sidecar"].as_bool() == Some(true) {
                slots.push(slot(
                    Some(name),
                    format!("/workloads/{i}/init_containers/{j}"),
                    format!("workloads[{i}].init_containers[{j}]"),
                    c,
                ));
            } else {
                let (cr, mr) = quantities(c, "requests");
                let (cl, ml) = quantities(c, "limits");
                inits.push((name, cr.or(cl), mr.or(ml)));
            }
        }
        res.push(Target {
            key,
            kind: w["kind"].as_str().unwrap_or("Deployment").to_string(),
            replicas: w["replicas"].as_u64().map_or(1, |r| r.min(u64::from(u32::MAX)) as u32),
            autoscaled: w["scalable"].is_object(),
            flat,
            slots,
            inits,
        });
    }
    res
}

/// One pod's samples for one slot: CPU (nanocores) and memory (bytes) values.
#[derive(Default)]
struct PodSamples {
    cpu: Vec<u64>,
    memory: Vec<u64>,
}

/// Sums the series of one pod per instant (a workload written with pod-level requests); an
/// instant counts for a resource only when every container that reports it has a value then.
/// Returns the sums and the instants left out.
fn summed(series: &[&Series]) -> (PodSamples, u64) {
    let mut at: BTreeMap<When, (u64, usize, u64, usize)> = BTreeMap::new();
    let with_cpu = series.iter().filter(|s| s.points.iter().any(|p| p.cpu_nanos.is_some())).count();
    let with_mem = series.iter().filter(|s| s.points.iter().any(|p| p.memory.is_some())).count();
    for s in series {
        for p in &s.points {
            let e = at.entry(p.when).or_default();
            if let Some(c) = p.cpu_nanos {
                e.0 = e.0.saturating_add(c);
                e.1 += 1;
            }
            if let Some(m) = p.memory {
                e.2 = e.2.saturating_add(m);
                e.3 += 1;
            }
        }
    }
    let mut res = PodSamples::default();
    let mut dropped = 0;
    for (c, nc, m, nm) in at.into_values() {
        let mut partial = false;
        if nc == with_cpu && nc > 0 {
            res.cpu.push(c);
        } else if nc > 0 {
            partial = true;
        }
        if nm == with_mem && nm > 0 {
            res.memory.push(m);
        } else if nm > 0 {
            partial = true;
        }
        dropped += u64::from(partial);
    }
    (res, dropped)
}

fn samples_of(points: &[Point]) -> PodSamples {
    PodSamples {
        cpu: points.iter().filter_map(|p| p.cpu_nanos).collect(),
        memory: points.iter().filter_map(|p| p.memory).collect(),
    }
}

/// Recommends requests from usage and writes them into a copy of the scenario document.
///
/// `doc` is a valid scenario's document ([`crate::input::document::scenario_document`]); `owners`
/// (from the pods' YAML) decides which workload a pod belongs to where it knows the pod,
/// otherwise the pod's name does.
pub fn rightsize(
    doc: &Value,
    usage: &Usage,
    owners: Option<&PodOwners>,
    settings: &Settings,
) -> Rightsizing {
    let targets = targets(doc);
    let candidates: Vec<matching::Candidate<'_>> = targets
        .iter()
        .map(|t| matching::Candidate {
            namespace: &t.key.namespace,
            name: &t.key.name,
            kind: &t.kind,
        })
        .collect();
    let mut notes: Vec<Diagnostic> = Vec::new();
    let mut unmatched: Vec<Unmatched> = Vec::new();
    // Series grouped by pod (series are sorted by namespace, pod, container).
    let mut pods: Vec<(&str, &str, Vec<&Series>)> = Vec::new();
    for s in &usage.series {
        match pods.last_mut() {
            Some((ns, pod, v)) if *ns == s.namespace && *pod == s.pod => v.push(s),
            _ => pods.push((&s.namespace, &s.pod, vec![s])),
        }
    }
    // Per target: its pods, each with its series.
    let mut matched: Vec<Vec<(&str, Vec<&Series>)>> = vec![Vec::new(); targets.len()];
    let mut kind_notes: BTreeMap<String, usize> = BTreeMap::new();
    for (ns, pod, series) in pods {
        let n_samples: u64 = series.iter().map(|s| s.points.len() as u64).sum();
        match matching::match_pod(ns, pod, &candidates, owners) {
            Ok((i, _how, note)) => {
                if let Some(n) = note {
                    *kind_notes.entry(n).or_default() += 1;
                }
                matched[i].push((pod, series));
            }
            Err(reason) => unmatched.push(Unmatched {
                namespace: ns.to_string(),
                pod: pod.to_string(),
                container: None,
                origin: series[0].origin.clone(),
                samples: n_samples,
                reason: reason.to_string(),
            }),
        }
    }
    for (n, _) in kind_notes {
        notes.push(Diagnostic::note(n));
    }
    let mut document = doc.clone();
    let mut rows = Vec::new();
    for (t, pods) in targets.iter().zip(&matched) {
        // Container-level workloads: each series goes to the slot of its name.
        let slot_names: Vec<&str> = t.slots.iter().filter_map(|s| s.name.as_deref()).collect();
        if !t.flat {
            for (pod, series) in pods {
                for s in series.iter().filter(|s| !slot_names.contains(&s.container.as_str())) {
                    let init = t.inits.iter().any(|(n, _, _)| *n == s.container);
                    let reason = if init {
                        format!(
                            "{} is an init container of {}: it runs before the app containers and is not right-sized",
                            s.container, t.key
                        )
                    } else {
                        format!(
                            "workload {} has no container {} (its containers: {})",
                            t.key,
                            s.container,
                            slot_names.join(", ")
                        )
                    };
                    unmatched.push(Unmatched {
                        namespace: t.key.namespace.clone(),
                        pod: pod.to_string(),
                        container: Some(s.container.clone()),
                        origin: s.origin.clone(),
                        samples: s.points.len() as u64,
                        reason,
                    });
                }
            }
        }
        for slot in &t.slots {
            let mut row_notes = Vec::new();
            let mut per_pod: Vec<PodSamples> = Vec::new();
            let mut seen_names: Vec<&str> = Vec::new();
            let mut dropped = 0u64;
            for (_, series) in pods {
                match &slot.name {
                    Some(name) if !t.flat => {
                        if let Some(s) = series.iter().find(|s| s.container == *name) {
                            per_pod.push(samples_of(&s.points));
                        }
                    }
                    _ => {
                        for s in series {
                            if !seen_names.contains(&s.container.as_str()) {
                                seen_names.push(&s.container);
                            }
                        }
                        if series.len() == 1 {
                            per_pod.push(samples_of(&series[0].points));
                        } else {
                            let (sum, d) = summed(series);
                            dropped += d;
                            per_pod.push(sum);
                        }
                    }
                }
            }
            seen_names.sort_unstable();
            if t.flat && seen_names.len() > 1 {
                row_notes.push(format!(
                    "written with pod-level requests: its containers {} are summed per instant",
                    seen_names.join(", ")
                ));
            }
            if dropped > 0 {
                row_notes.push(format!(
                    "{dropped} instant(s) left out of the sums: not every container had a sample then"
                ));
            }
            let container = match (&slot.name, seen_names.as_slice()) {
                (Some(n), _) if !t.flat => n.clone(),
                (_, []) => "(pod)".to_string(),
                (_, names) => names.join("+"),
            };
            let mut row = Row {
                workload: t.key.clone(),
                kind: t.kind.clone(),
                replicas: t.replicas,
                autoscaled: t.autoscaled,
                container,
                path: slot.path.clone(),
                pods: per_pod.len(),
                cpu: Resource::default(),
                memory: Resource::default(),
                notes: row_notes,
            };
            recommend(t, slot, &per_pod, settings, &mut row);
            if row.changed() {
                write_slot(&mut document, slot, &row);
            }
            rows.push(row);
        }
        // The pod's request is the larger of its app containers' sum and its init containers'.
        for (name, cpu, mem) in &t.inits {
            let after_cpu: u64 = rows
                .iter()
                .filter(|r| r.workload == t.key)
                .map(|r| r.cpu.request.after.unwrap_or(0))
                .sum();
            let after_mem: u64 = rows
                .iter()
                .filter(|r| r.workload == t.key)
                .map(|r| r.memory.request.after.unwrap_or(0))
                .sum();
            let over_cpu = cpu.is_some_and(|c| c > after_cpu);
            let over_mem = mem.is_some_and(|m| m > after_mem);
            if over_cpu || over_mem {
                let what: Vec<String> = [
                    over_cpu.then(|| format!("CPU {}", Cpu(cpu.unwrap_or(0)))),
                    over_mem.then(|| format!("memory {}", Bytes(mem.unwrap_or(0)))),
                ]
                .into_iter()
                .flatten()
                .collect();
                if let Some(last) = rows.iter_mut().rev().find(|r| r.workload == t.key) {
                    last.notes.push(format!(
                        "init container {name} requests {}: the pod's request stays at least that",
                        what.join(" and ")
                    ));
                }
            }
        }
    }
    if let Some((a, z)) = usage.span_ms
        && z - a < MIN_HISTORY_MS
    {
        notes.push(Diagnostic::warning(format!(
            "the timed samples span {}; krr's simple strategy asks for at least 3 hours of history, and a day or more shows the daily peak",
            duration_text(z - a)
        )));
    }
    for u in &unmatched {
        let what = match &u.container {
            Some(c) => format!("container {c} of pod {}/{}", u.namespace, u.pod),
            None => format!("pod {}/{}", u.namespace, u.pod),
        };
        notes.push(
            Diagnostic::warning(format!(
                "{what}: {}; its {} sample(s) are not used",
                u.reason, u.samples
            ))
            .with_source(u.origin.source.clone())
            .with_location(u.origin.location),
        );
    }
    let matched_pods = matched.iter().map(Vec::len).sum();
    let facts = UsageFacts {
        samples: usage.n_points(),
        pods: usage.n_pods(),
        matched_pods,
        span_ms: usage.span_ms,
        snapshots: usage.sources.iter().map(|s| s.snapshots).sum(),
    };
    Rightsizing { settings: *settings, rows, unmatched, notes, usage: facts, document }
}

/// `1h 20m`, `3d 2h`, `45s`.
pub fn duration_text(ms: i64) -> String {
    let s = ms / 1000;
    let (d, h, m) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// Fills the row's CPU and memory: the recommendation or why there is none, the limits, the risk.
fn recommend(t: &Target, slot: &Slot, per_pod: &[PodSamples], s: &Settings, row: &mut Row) {
    let cpu_pods: Vec<Vec<u64>> = per_pod.iter().map(|p| p.cpu.clone()).collect();
    let mem_pods: Vec<Vec<u64>> = per_pod.iter().map(|p| p.memory.clone()).collect();
    let cpu_millis: Vec<Vec<u64>> =
        cpu_pods.iter().map(|v| v.iter().map(|n| n.div_ceil(1_000_000)).collect()).collect();
    let kept = |samples: u64| -> Option<Kept> {
        if t.autoscaled && !s.allow_hpa {
            Some(Kept::Autoscaled)
        } else if samples == 0 {
            Some(Kept::NoSamples)
        } else if samples < s.min_samples {
            Some(Kept::TooFewSamples { have: samples, need: s.min_samples })
        } else {
            None
        }
    };
    // What was observed, and the requests and limits as they are until a recommendation.
    let observed = |units: &[Vec<u64>], basis: Option<u64>, request, limit| {
        let samples = units.iter().map(|v| v.len() as u64).sum();
        Resource {
            samples,
            peak: units.iter().flatten().copied().max(),
            basis,
            request: Change { before: request, after: request },
            limit: Change { before: limit, after: limit },
            kept: kept(samples),
            ..Resource::default()
        }
    };
    row.cpu = observed(
        &cpu_millis,
        strategy::cpu_statistic(s, &cpu_pods),
        slot.cpu_request,
        slot.cpu_limit,
    );
    row.memory = observed(
        &mem_pods,
        strategy::memory_statistic(s, &mem_pods),
        slot.memory_request,
        slot.memory_limit,
    );
    if row.cpu.kept.is_none()
        && let Some(b) = row.cpu.basis
    {
        let req = strategy::cpu_request(s, b);
        row.cpu.request.after = Some(req);
        row.cpu.limit.after = match s.limits {
            LimitsPolicy::RemoveCpu => None,
            LimitsPolicy::Keep => slot.cpu_limit.map(|l| l.max(req)),
            LimitsPolicy::KeepRatio => slot
                .cpu_limit
                .map(|l| s.rounding.cpu(scaled(req, l, slot.cpu_request.unwrap_or(l))).max(req)),
        };
        if s.limits == LimitsPolicy::Keep && slot.cpu_limit.is_some_and(|l| l < req) {
            row.notes.push(format!("CPU limit raised to the new request {}", Cpu(req)));
        }
    }
    if row.memory.kept.is_none()
        && let Some(b) = row.memory.basis
    {
        let req = strategy::memory_request(s, b);
        row.memory.request.after = Some(req);
        row.memory.limit.after = match s.limits {
            LimitsPolicy::RemoveCpu => Some(req),
            LimitsPolicy::Keep => slot.memory_limit.map(|l| l.max(req)),
            LimitsPolicy::KeepRatio => slot.memory_limit.map(|l| {
                s.rounding.memory(scaled(req, l, slot.memory_request.unwrap_or(l))).max(req)
            }),
        };
        if s.limits == LimitsPolicy::Keep && slot.memory_limit.is_some_and(|l| l < req) {
            row.notes.push(format!("memory limit raised to the new request {}", Bytes(req)));
        }
    }
    // The risk against what the container will have.
    risk(&mut row.cpu, &cpu_millis, None);
    risk(&mut row.memory, &mem_pods, Some(s.memory_margin));
}

/// `value × numerator / denominator`, rounded up (a limit keeping its ratio to the request).
fn scaled(value: u64, numerator: u64, denominator: u64) -> u64 {
    if denominator == 0 {
        return value;
    }
    let v = (u128::from(value) * u128::from(numerator)).div_ceil(u128::from(denominator));
    u64::try_from(v).unwrap_or(u64::MAX)
}

fn risk(r: &mut Resource, per_pod: &[Vec<u64>], margin: Option<u64>) {
    let request = r.request.after;
    let limit = r.limit.after;
    for v in per_pod {
        let peak = v.iter().copied().max();
        if let (Some(p), Some(q)) = (peak, request) {
            r.pods_over_request += usize::from(p > q);
            r.samples_over_request += v.iter().filter(|&&x| x > q).count() as u64;
        }
        if let (Some(p), Some(l)) = (peak, limit) {
            r.pods_over_limit += usize::from(p > l);
            if let Some(m) = margin {
                r.pods_near_limit += usize::from(strategy::with_margin(p, m) > l);
            }
        }
    }
}

/// Writes a row's requests and limits into its container in the document.
fn write_slot(doc: &mut Value, slot: &Slot, row: &Row) {
    let Some(Value::Object(c)) = doc.pointer_mut(&slot.pointer) else { return };
    let set =
        |c: &mut Map<String, Value>, field: &str, key: &str, value: Option<String>| match value {
            Some(v) => {
                let entry = c.entry(field.to_string()).or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Value::Object(m) = entry {
                    m.insert(key.to_string(), Value::String(v));
                }
            }
            None => {
                if let Some(Value::Object(m)) = c.get_mut(field) {
                    m.remove(key);
                    if m.is_empty() {
                        c.remove(field);
                    }
                }
            }
        };
    let cpu = |v: Option<u64>| v.map(|x| Cpu(x).to_string());
    let mem = |v: Option<u64>| v.map(|x| Bytes(x).to_string());
    if row.cpu.kept.is_none() {
        set(c, "requests", "cpu", cpu(row.cpu.request.after));
        set(c, "limits", "cpu", cpu(row.cpu.limit.after));
    }
    if row.memory.kept.is_none() {
        set(c, "requests", "memory", mem(row.memory.request.after));
        set(c, "limits", "memory", mem(row.memory.limit.after));
    }
}

/// The cluster before and after, planned with the same configuration, and what the verifier
/// says of each plan.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The plan of the scenario as it is.
    pub before: Plan,
    /// The plan of the right-sized scenario.
    pub after: Plan,
    /// Violations of the plan before (empty when it verifies).
    pub before_violations: Vec<Violation>,
    /// Violations of the plan after.
    pub after_violations: Vec<Violation>,
    /// When the plan before also runs the right-sized scenario (the verifier says so) and costs
    /// less than the engine's plan for it, that plan is the plan after: this is the engine's
    /// own plan's hourly cost, for the report to say so.
    pub engine_after_hourly: Option<Price>,
}

/// Which plan failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{which}: {error}")]
pub struct PlanFailure {
    /// `before` or `after`.
    pub which: &'static str,
    /// Why.
    pub error: SolveError,
}

/// Plans both scenarios (a time limit is shared: the first plan gets half, the second what is
/// left) and verifies both plans.
///
/// The plan after is the cheaper of the engine's plan for the right-sized scenario and the
/// plan before, when the verifier accepts the plan before for the right-sized scenario: smaller
/// requests leave every node of the plan before with room to spare, and a heuristic engine can
/// land on a dearer plan for an easier problem. The bound stays the right-sized scenario's own.
pub fn plan_both(
    before: &Scenario,
    after: &Scenario,
    cfg: &SolveConfig<'_>,
) -> Result<Planned, PlanFailure> {
    let started = cfg.clock.now();
    let first = SolveConfig { time_limit: cfg.time_limit.map(|t| t / 2.0), ..*cfg };
    let plan_before =
        solve(before, &first).map_err(|error| PlanFailure { which: "before", error })?;
    let left = cfg.time_limit.map(|t| (t - (cfg.clock.now() - started)).max(0.0));
    let second = SolveConfig { time_limit: left, ..*cfg };
    let mut plan_after =
        solve(after, &second).map_err(|error| PlanFailure { which: "after", error })?;
    let mut engine_after_hourly = None;
    if plan_before.hourly().0 < plan_after.hourly().0 && verify(after, &plan_before).is_empty() {
        engine_after_hourly = Some(plan_after.hourly());
        let mut kept = plan_before.clone();
        kept.scenario = plan_after.scenario.clone();
        kept.solver.bound = plan_after.solver.bound;
        kept.solver.ffd_hourly = plan_after.solver.ffd_hourly;
        kept.solver.status = plan_after.solver.status;
        kept.warnings = plan_after.warnings.clone();
        plan_after = kept;
    }
    Ok(Planned {
        before_violations: verify(before, &plan_before),
        after_violations: verify(after, &plan_after),
        before: plan_before,
        after: plan_after,
        engine_after_hourly,
    })
}

/// One workload's requests before and after, over all its replicas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadSaving {
    /// The workload.
    pub workload: WorkloadKey,
    /// Replicas.
    pub replicas: u32,
    /// The pod's effective CPU request before and after (millicores).
    pub cpu: (u64, u64),
    /// The pod's effective memory request before and after (bytes).
    pub memory: (u64, u64),
}

impl WorkloadSaving {
    /// CPU freed over all replicas (negative: more is requested), in millicores.
    pub fn cpu_saved(&self) -> i128 {
        (i128::from(self.cpu.0) - i128::from(self.cpu.1)) * i128::from(self.replicas)
    }

    /// Memory freed over all replicas, in bytes.
    pub fn memory_saved(&self) -> i128 {
        (i128::from(self.memory.0) - i128::from(self.memory.1)) * i128::from(self.replicas)
    }
}

/// Each workload's effective pod request (init containers, sidecars and overhead included)
/// before and after, by the API server's rules as the planner sees them.
pub fn savings(before: &Scenario, after: &Scenario) -> Vec<WorkloadSaving> {
    before
        .workloads
        .iter()
        .filter_map(|w| {
            let (_, a) = after.workload(&w.namespace, &w.name)?;
            Some(WorkloadSaving {
                workload: w.key(),
                replicas: w.replicas,
                cpu: (w.pod.requests.cpu.0, a.pod.requests.cpu.0),
                memory: (w.pod.requests.memory.0, a.pod.requests.memory.0),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
