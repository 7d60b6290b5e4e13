//! The right-sizing report: the recommendation table, the plans before and after with the
//! saving, the risk, what was kept and what was not used; as a terminal table, the
//! `kplan.rightsize/v1` JSON (docs/rightsize-schema.md), a report document (Markdown, HTML), the
//! chart's data, and the right-sized scenario YAML.

use std::fmt::Write;

use serde_json::{Value, json};

use super::document::{Block, Document};
use super::json::diagnostic_json;
use super::text::columns;
use crate::input::document::document_yaml;
use crate::input::usage::format_timestamp;
use crate::money::format_usd;
use crate::plan::Plan;
use crate::quantity::{Bytes, Cpu};
use crate::rightsize::strategy::ppm_text;
use crate::rightsize::{Planned, Resource, Rightsizing, Row, WorkloadSaving, savings};
use crate::scenario::Scenario;

/// The schema name of the JSON.
pub const SCHEMA: &str = "kplan.rightsize/v1";

/// Everything the report shows.
#[derive(Clone, Copy)]
pub struct RightsizeReport<'a> {
    /// The recommendations.
    pub rightsizing: &'a Rightsizing,
    /// The scenario as it is.
    pub before: &'a Scenario,
    /// The right-sized scenario.
    pub after: &'a Scenario,
    /// Both plans.
    pub planned: &'a Planned,
}

/// What could go wrong with the new requests, from what was observed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    /// Pods observed (in recommended rows).
    pub pods: usize,
    /// Pods whose CPU peak passes the new CPU request, and the containers with any.
    pub cpu_pods_over_request: usize,
    /// CPU samples above the new request, of all CPU samples of recommended containers.
    pub cpu_samples_over_request: (u64, u64),
    /// Pods whose CPU peak passes a CPU limit that stays.
    pub cpu_pods_over_limit: usize,
    /// Pods whose memory peak passes the new memory request (first to be evicted under node
    /// memory pressure).
    pub memory_pods_over_request: usize,
    /// Containers (`namespace/workload container`) with pods whose memory peak passes the new
    /// memory limit (killed at such a peak), with the number of pods.
    pub oom_over_limit: Vec<(String, usize)>,
    /// Containers with pods whose memory peak plus the margin passes the memory limit.
    pub oom_near_limit: Vec<(String, usize)>,
}

fn label(r: &Row) -> String {
    format!("{} {}", r.workload, r.container)
}

/// The risk of the recommendations.
pub fn risk(r: &Rightsizing) -> Risk {
    let mut res = Risk::default();
    for row in &r.rows {
        if row.cpu.kept.is_none() {
            res.cpu_pods_over_request += row.cpu.pods_over_request;
            res.cpu_samples_over_request.0 += row.cpu.samples_over_request;
            res.cpu_samples_over_request.1 += row.cpu.samples;
            res.cpu_pods_over_limit += row.cpu.pods_over_limit;
        }
        if row.memory.kept.is_none() {
            res.memory_pods_over_request += row.memory.pods_over_request;
        }
        if row.cpu.kept.is_none() || row.memory.kept.is_none() {
            res.pods += row.pods;
        }
        if row.memory.pods_over_limit > 0 {
            res.oom_over_limit.push((label(row), row.memory.pods_over_limit));
        }
        if row.memory.pods_near_limit > 0 {
            res.oom_near_limit.push((label(row), row.memory.pods_near_limit));
        }
    }
    res
}

/// The risk in sentences.
pub fn risk_statement(r: &Rightsizing) -> Vec<String> {
    let k = risk(r);
    let margin = ppm_text(r.settings.memory_margin, 10_000);
    let (over, all) = k.cpu_samples_over_request;
    let mut res = vec![format!(
        "CPU: {} of {} observed pods peaked above their new CPU request ({} of {} samples, {}). CPU is compressible: above its request a container slows down when the node is busy{}.",
        k.cpu_pods_over_request,
        k.pods,
        over,
        all,
        fraction(over, all),
        if k.cpu_pods_over_limit > 0 {
            format!(
                ", and {} pod(s) peaked above a CPU limit that stays: they are throttled",
                k.cpu_pods_over_limit
            )
        } else {
            "; no pod peaked above a CPU limit that stays".to_string()
        }
    )];
    res.push(format!(
        "Memory: {} pod(s) peaked above their new memory request (first to be evicted when a node runs short of memory).",
        k.memory_pods_over_request
    ));
    let list = |v: &[(String, usize)]| {
        v.iter().map(|(l, n)| format!("{l} ({n} pod(s))")).collect::<Vec<_>>().join(", ")
    };
    if k.oom_over_limit.is_empty() {
        res.push("Out of memory: no pod peaked above its new memory limit.".to_string());
    } else {
        res.push(format!(
            "Out of memory: pods peaked above the new memory limit of {}: they are killed at such a peak.",
            list(&k.oom_over_limit)
        ));
    }
    if k.oom_near_limit.is_empty() {
        res.push(format!(
            "Out-of-memory risk: no container's memory peak is within the {margin}% margin of its memory limit."
        ));
    } else {
        res.push(format!(
            "Out-of-memory risk: the memory peak is within the {margin}% margin of the memory limit for {}.",
            list(&k.oom_near_limit)
        ));
    }
    let mut hpa: Vec<String> = r
        .rows
        .iter()
        .filter(|x| x.autoscaled && x.changed())
        .map(|x| x.workload.to_string())
        .collect();
    hpa.dedup();
    if !hpa.is_empty() {
        res.push(format!(
            "Autoscaled: {} right-sized with --allow-hpa. An HPA's utilisation target is relative to requests, so with lower requests it scales out sooner; the plan keeps the scenario's replicas.",
            hpa.join(", ")
        ));
    }
    res
}

fn fraction(a: u64, b: u64) -> String {
    if b == 0 { "0.0%".to_string() } else { format!("{:.1}%", 100.0 * a as f64 / b as f64) }
}

fn cpu_text(v: Option<u64>) -> String {
    v.map_or_else(|| "none".to_string(), |m| Cpu(m).to_string())
}

fn mem_text(v: Option<u64>) -> String {
    v.map_or_else(|| "none".to_string(), |b| Bytes(b).to_string())
}

fn change(res: &Resource, q: fn(Option<u64>) -> String) -> String {
    if res.kept.is_some() {
        return format!("{} (kept)", q(res.request.before));
    }
    if res.request.before == res.request.after {
        q(res.request.before)
    } else {
        format!("{} → {}", q(res.request.before), q(res.request.after))
    }
}

/// Why a row's requests were kept, once for both resources when the reason is the same.
fn kept_note(row: &Row) -> Option<String> {
    let hint = |k: crate::rightsize::Kept| match k {
        crate::rightsize::Kept::Autoscaled => {
            format!("{}: kept; --allow-hpa right-sizes it", k.describe())
        }
        _ => k.describe(),
    };
    match (row.cpu.kept, row.memory.kept) {
        (None, None) => None,
        (Some(a), Some(b)) if a == b => Some(hint(a)),
        (c, m) => Some(
            [c.map(|k| format!("CPU {}", hint(k))), m.map(|k| format!("memory {}", hint(k)))]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

fn limit_change(res: &Resource, q: fn(Option<u64>) -> String) -> String {
    if res.limit.before == res.limit.after {
        q(res.limit.before)
    } else {
        format!("{} → {}", q(res.limit.before), q(res.limit.after))
    }
}

/// CPU freed (millicores; negative: more is requested) as `1.16 cores` or `446m`.
fn cpu_saved_text(m: i128) -> String {
    let a = m.unsigned_abs() as u64;
    let text = if a >= 1000 { format!("{} cores", Cpu(a).human()) } else { Cpu(a).to_string() };
    if m < 0 { format!("{text} more") } else { text }
}

/// Memory freed (bytes; negative: more is requested) as `1.4Gi`.
fn mem_saved_text(b: i128) -> String {
    let text = Bytes(b.unsigned_abs() as u64).human();
    if b < 0 { format!("{text} more") } else { text }
}

/// The recommendation table's rows: workload, container, pods, samples, peaks, requests and
/// limits (current → recommended), and the note.
fn rec_rows(r: &Rightsizing) -> Vec<Vec<String>> {
    r.rows
        .iter()
        .map(|row| {
            let samples = row.cpu.samples.max(row.memory.samples);
            vec![
                row.workload.to_string(),
                row.container.clone(),
                row.pods.to_string(),
                samples.to_string(),
                row.cpu.peak.map_or("-".to_string(), |m| Cpu(m).to_string()),
                change(&row.cpu, cpu_text),
                row.memory.peak.map_or("-".to_string(), |b| Bytes(b).human()),
                change(&row.memory, mem_text),
                format!(
                    "{} / {}",
                    limit_change(&row.cpu, cpu_text),
                    limit_change(&row.memory, mem_text)
                ),
                kept_note(row)
                    .into_iter()
                    .chain(row.notes.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect()
}

const REC_HEADER: [&str; 10] = [
    "workload",
    "container",
    "pods",
    "samples",
    "CPU peak",
    "CPU request",
    "memory peak",
    "memory request",
    "limits CPU / memory",
    "note",
];
const REC_RIGHT: [bool; 10] = [false, false, true, true, true, false, true, false, false, false];

fn saving_rows(s: &[WorkloadSaving]) -> Vec<Vec<String>> {
    s.iter()
        .filter(|w| w.cpu.0 != w.cpu.1 || w.memory.0 != w.memory.1)
        .map(|w| {
            vec![
                w.workload.to_string(),
                w.replicas.to_string(),
                format!("{} → {}", Cpu(w.cpu.0), Cpu(w.cpu.1)),
                format!("{} → {}", Bytes(w.memory.0).human(), Bytes(w.memory.1).human()),
                cpu_saved_text(w.cpu_saved()),
                mem_saved_text(w.memory_saved()),
            ]
        })
        .collect()
}

const SAVING_HEADER: [&str; 6] =
    ["workload", "replicas", "pod CPU", "pod memory", "CPU freed", "memory freed"];
const SAVING_RIGHT: [bool; 6] = [false, true, false, false, true, true];

fn totals(s: &[WorkloadSaving]) -> (i128, i128) {
    (
        s.iter().map(WorkloadSaving::cpu_saved).sum(),
        s.iter().map(WorkloadSaving::memory_saved).sum(),
    )
}

/// `3 × m7i.xlarge on-demand, 1 × r7i.large spot` (zones summed).
fn pools_text(plan: &Plan) -> String {
    let mut by: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for p in plan.pools() {
        *by.entry((p.instance_type.clone(), p.purchase.to_string())).or_default() += p.count;
    }
    by.iter().map(|((t, o), n)| format!("{n} × {t} {o}")).collect::<Vec<_>>().join(", ")
}

fn verified(v: &[crate::plan::verify::Violation]) -> String {
    if v.is_empty() { "verified".to_string() } else { format!("{} VIOLATION(S)", v.len()) }
}

/// The plans' lines: before, after, saving, and the lower bounds.
fn plan_lines(rep: &RightsizeReport<'_>) -> Vec<String> {
    let p = rep.planned;
    let (b, a) = (p.before.hourly().monthly(), p.after.hourly().monthly());
    let (nb, na) = (p.before.nodes.len() as i64, p.after.nodes.len() as i64);
    let mut res = vec![
        format!(
            "before: {nb} nodes, {}/month ({}; {})",
            format_usd(b),
            pools_text(&p.before),
            verified(&p.before_violations)
        ),
        format!(
            "after:  {na} nodes, {}/month ({}; {})",
            format_usd(a),
            pools_text(&p.after),
            verified(&p.after_violations)
        ),
    ];
    if let Some(engine) = p.engine_after_hourly {
        res.push(format!(
            "the engine's plan for the right-sized scenario costs {}/month; the plan before runs the right-sized workloads too (verified) and costs less, so it is the plan after",
            format_usd(engine.monthly())
        ));
    }
    res.push(format!(
        "saving: {}/month, {}/year ({}); nodes {nb} → {na}",
        format_usd(b - a),
        format_usd((b - a) * 12.0),
        if b > 0.0 { format!("{:.1}%", 100.0 * (b - a) / b) } else { "-".to_string() }
    ));
    if let (Some(lb), Some(la)) = (p.before.solver.bound, p.after.solver.bound) {
        let gap = |x: Option<f64>| x.map_or("-".to_string(), |g| format!("{:.1}%", 100.0 * g));
        res.push(format!(
            "lower bounds: {}/month before, {}/month after (no plan can cost less; gaps {} and {})",
            format_usd(lb.monthly()),
            format_usd(la.monthly()),
            gap(p.before.gap()),
            gap(p.after.gap())
        ));
    }
    res
}

fn usage_line(r: &Rightsizing) -> String {
    let u = &r.usage;
    let span = match u.span_ms {
        Some((a, z)) => format!(
            ", {} to {} ({})",
            format_timestamp(a),
            format_timestamp(z),
            crate::rightsize::duration_text(z - a)
        ),
        None => String::new(),
    };
    let snaps = if u.snapshots > 0 {
        format!(", {} kubectl top snapshot(s)", u.snapshots)
    } else {
        String::new()
    };
    format!(
        "{} samples of {} pods ({} matched to workloads){span}{snaps}",
        u.samples, u.pods, u.matched_pods
    )
}

fn kept_lines(r: &Rightsizing) -> Vec<String> {
    r.rows.iter().filter_map(|row| kept_note(row).map(|n| format!("{}: {n}", label(row)))).collect()
}

fn unmatched_lines(r: &Rightsizing) -> Vec<String> {
    r.unmatched
        .iter()
        .map(|u| {
            let what = match &u.container {
                Some(c) => format!("{}/{} container {c}", u.namespace, u.pod),
                None => format!("{}/{}", u.namespace, u.pod),
            };
            format!("{what} ({}, {} samples): {}", u.origin, u.samples, u.reason)
        })
        .collect()
}

/// The terminal rendering.
pub fn rightsize_table(rep: &RightsizeReport<'_>) -> String {
    let r = rep.rightsizing;
    let mut out = String::new();
    let _ = writeln!(out, "Right-sizing {} from {}.", rep.before.name, usage_line(r));
    let _ = writeln!(out, "{}.\n", r.settings.describe());
    out.push_str(&columns(&REC_HEADER, &rec_rows(r), &REC_RIGHT));
    let s = savings(rep.before, rep.after);
    let rows = saving_rows(&s);
    if !rows.is_empty() {
        out.push_str(
            "\nRequests per pod (as the planner counts them) and what all replicas free:\n",
        );
        out.push_str(&columns(&SAVING_HEADER, &rows, &SAVING_RIGHT));
        let (c, m) = totals(&s);
        let _ = writeln!(
            out,
            "In all: {} of CPU and {} of memory freed",
            cpu_saved_text(c),
            mem_saved_text(m)
        );
    }
    let _ = writeln!(
        out,
        "\nPlans ({} {}, nodes only; both checked by the verifier):",
        rep.planned.before.solver.method,
        rep.planned.before.solver.backend.as_deref().unwrap_or("")
    );
    for l in plan_lines(rep) {
        let _ = writeln!(out, "  {l}");
    }
    out.push_str("\nRisk:\n");
    for l in risk_statement(r) {
        let _ = writeln!(out, "  {l}");
    }
    let kept = kept_lines(r);
    if !kept.is_empty() {
        let _ = writeln!(out, "\nKept as they are ({}):", kept.len());
        for l in kept {
            let _ = writeln!(out, "  {l}");
        }
    }
    let unmatched = unmatched_lines(r);
    if !unmatched.is_empty() {
        let _ = writeln!(
            out,
            "\nNot used ({} pod(s) or container(s) match no workload):",
            unmatched.len()
        );
        for l in unmatched {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

fn resource_json(res: &Resource, cpu: bool) -> Value {
    let q = |v: Option<u64>| v.map(|x| if cpu { Cpu(x).to_string() } else { Bytes(x).to_string() });
    let unit = if cpu { "millicores" } else { "bytes" };
    let mut v = json!({
        "samples": res.samples,
        "request": {"before": q(res.request.before), "after": q(res.request.after)},
        "limit": {"before": q(res.limit.before), "after": q(res.limit.after)},
        "kept": res.kept.map(|k| json!({"reason": k.as_str(), "detail": k.describe()})),
        "pods_over_request": res.pods_over_request,
        "samples_over_request": res.samples_over_request,
        "pods_over_limit": res.pods_over_limit,
    });
    if let Value::Object(m) = &mut v {
        m.insert(format!("peak_{unit}"), json!(res.peak));
        m.insert(format!("basis_{unit}"), json!(res.basis));
        if !cpu {
            m.insert("pods_near_limit".to_string(), json!(res.pods_near_limit));
        }
    }
    v
}

fn plan_json(scenario: &Scenario, plan: &Plan, violations: usize) -> Value {
    let pools: Vec<Value> = plan
        .pools()
        .iter()
        .map(|p| {
            json!({
                "instance_type": p.instance_type,
                "purchase": p.purchase.to_string(),
                "zone": p.zone,
                "count": p.count,
                "hourly_each": crate::money::round_cents(p.hourly_each.0 * 10_000.0) / 10_000.0,
            })
        })
        .collect();
    json!({
        "nodes": plan.nodes.len(),
        "pods": plan.n_pods(),
        "hourly": crate::money::round_cents(plan.hourly().hourly() * 100.0) / 100.0,
        "monthly": crate::money::round_cents(plan.hourly().monthly()),
        "monthly_all_in": crate::money::round_cents(crate::cost::all_in_hourly(scenario, plan).monthly()),
        "bound_monthly": plan.solver.bound.map(|b| crate::money::round_cents(b.monthly())),
        "gap": plan.gap(),
        "method": plan.solver.method,
        "backend": plan.solver.backend,
        "status": plan.solver.status.as_str(),
        "pools": pools,
        "verified": violations == 0,
        "violations": violations,
    })
}

/// The `kplan.rightsize/v1` value.
pub fn rightsize_value(rep: &RightsizeReport<'_>) -> Value {
    let r = rep.rightsizing;
    let s = &r.settings;
    let recs: Vec<Value> = r
        .rows
        .iter()
        .map(|row| {
            json!({
                "workload": row.workload.to_string(),
                "namespace": row.workload.namespace,
                "name": row.workload.name,
                "kind": row.kind,
                "replicas": row.replicas,
                "autoscaled": row.autoscaled,
                "container": row.container,
                "path": row.path,
                "pods": row.pods,
                "changed": row.changed(),
                "cpu": resource_json(&row.cpu, true),
                "memory": resource_json(&row.memory, false),
                "notes": row.notes,
            })
        })
        .collect();
    let sv = savings(rep.before, rep.after);
    let workloads: Vec<Value> = sv
        .iter()
        .map(|w| {
            json!({
                "workload": w.workload.to_string(),
                "replicas": w.replicas,
                "pod_cpu_millicores": {"before": w.cpu.0, "after": w.cpu.1},
                "pod_memory_bytes": {"before": w.memory.0, "after": w.memory.1},
                "cpu_saved_millicores": w.cpu_saved() as i64,
                "memory_saved_bytes": w.memory_saved() as i64,
            })
        })
        .collect();
    let p = rep.planned;
    let (b, a) = (p.before.hourly().monthly(), p.after.hourly().monthly());
    let k = risk(r);
    let list = |v: &[(String, usize)]| -> Vec<Value> {
        v.iter().map(|(l, n)| json!({"container": l, "pods": n})).collect()
    };
    let (tc, tm) = totals(&sv);
    json!({
        "schema": SCHEMA,
        "scenario": rep.before.name,
        "settings": {
            "strategy": s.strategy.as_str(),
            "cpu_percentile": ppm_text(s.cpu_percentile, 10_000).parse::<f64>().unwrap_or(0.0),
            "memory_percentile": match s.strategy {
                crate::rightsize::Strategy::Simple => Value::Null,
                crate::rightsize::Strategy::Percentile => json!(ppm_text(s.memory_percentile, 10_000).parse::<f64>().unwrap_or(0.0)),
            },
            "memory_margin": s.memory_margin as f64 / 1e6,
            "min_cpu": Cpu(s.min_cpu.0).to_string(),
            "min_memory": s.min_memory.to_string(),
            "rounding": s.rounding.to_string(),
            "limits": s.limits.as_str(),
            "min_samples": s.min_samples,
            "allow_hpa": s.allow_hpa,
            "description": s.describe(),
        },
        "usage": {
            "samples": r.usage.samples,
            "pods": r.usage.pods,
            "matched_pods": r.usage.matched_pods,
            "snapshots": r.usage.snapshots,
            "from": r.usage.span_ms.map(|(a, _)| format_timestamp(a)),
            "to": r.usage.span_ms.map(|(_, z)| format_timestamp(z)),
        },
        "recommendations": recs,
        "workloads": workloads,
        "saved": {"cpu_millicores": tc as i64, "memory_bytes": tm as i64},
        "plans": {
            "before": plan_json(rep.before, &p.before, p.before_violations.len()),
            "after": plan_json(rep.after, &p.after, p.after_violations.len()),
            "engine_after_monthly": p.engine_after_hourly.map(|h| crate::money::round_cents(h.monthly())),
            "saving": {
                "nodes": p.before.nodes.len() as i64 - p.after.nodes.len() as i64,
                "monthly": crate::money::round_cents(b - a),
                "yearly": crate::money::round_cents((b - a) * 12.0),
                "fraction": if b > 0.0 { (b - a) / b } else { 0.0 },
            },
        },
        "risk": {
            "pods": k.pods,
            "cpu_pods_over_request": k.cpu_pods_over_request,
            "cpu_samples_over_request": k.cpu_samples_over_request.0,
            "cpu_samples": k.cpu_samples_over_request.1,
            "cpu_pods_over_limit": k.cpu_pods_over_limit,
            "memory_pods_over_request": k.memory_pods_over_request,
            "oom_over_limit": list(&k.oom_over_limit),
            "oom_near_limit": list(&k.oom_near_limit),
            "statement": risk_statement(r),
        },
        "unmatched": r.unmatched.iter().map(|u| json!({
            "namespace": u.namespace,
            "pod": u.pod,
            "container": u.container,
            "source": u.origin.source,
            "line": u.origin.location.line,
            "column": u.origin.location.column,
            "samples": u.samples,
            "reason": u.reason,
        })).collect::<Vec<_>>(),
        "notes": r.notes.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}

/// The `kplan.rightsize/v1` JSON text.
pub fn rightsize_to_json(rep: &RightsizeReport<'_>) -> String {
    let mut s = serde_json::to_string_pretty(&rightsize_value(rep))
        .expect("a JSON value always serializes");
    s.push('\n');
    s
}

fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[bool]) -> Block {
    Block::Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        right: right.to_vec(),
    }
}

/// The report as a document (Markdown, HTML): plans, recommendations, savings, chart, risk,
/// what was kept and not used.
pub fn rightsize_document(rep: &RightsizeReport<'_>, n_figures: usize) -> Document {
    let r = rep.rightsizing;
    let mut blocks = vec![
        Block::Paragraph(format!(
            "Scenario {} on {} {}, right-sized from {}.",
            rep.before.name,
            rep.before.provider,
            rep.before.region,
            usage_line(r)
        )),
        Block::Paragraph(format!("{}.", r.settings.describe())),
        Block::Heading("Plans before and after".to_string()),
        Block::List(plan_lines(rep)),
        Block::Heading("Recommendations".to_string()),
        table(&REC_HEADER, rec_rows(r), &REC_RIGHT),
    ];
    let s = savings(rep.before, rep.after);
    let rows = saving_rows(&s);
    if !rows.is_empty() {
        blocks.push(Block::Heading("Requests per pod and what all replicas free".to_string()));
        blocks.push(table(&SAVING_HEADER, rows, &SAVING_RIGHT));
        let (c, m) = totals(&s);
        blocks.push(Block::Paragraph(format!(
            "In all: {} of CPU and {} of memory freed. Pod requests are the planner's (init containers, sidecars and overhead included).",
            cpu_saved_text(c),
            mem_saved_text(m)
        )));
    }
    if n_figures > 0 {
        blocks.push(Block::Heading("Current versus recommended".to_string()));
        blocks.extend((0..n_figures).map(Block::Figure));
    }
    blocks.push(Block::Heading("Risk".to_string()));
    blocks.push(Block::List(risk_statement(r)));
    let kept = kept_lines(r);
    blocks.push(Block::Heading("Kept as they are".to_string()));
    blocks.push(if kept.is_empty() {
        Block::Paragraph("None.".to_string())
    } else {
        Block::List(kept)
    });
    let unmatched = unmatched_lines(r);
    blocks.push(Block::Heading("Not used".to_string()));
    blocks.push(if unmatched.is_empty() {
        Block::Paragraph("Every pod and container matched a workload.".to_string())
    } else {
        Block::List(unmatched)
    });
    let notes: Vec<String> =
        r.notes.iter().filter(|d| d.source.is_none()).map(|d| d.message.clone()).collect();
    if !notes.is_empty() {
        blocks.push(Block::Heading("Notes".to_string()));
        blocks.push(Block::List(notes));
    }
    Document { title: format!("Right-sizing: {}", rep.before.name), blocks }
}

/// One workload in the chart: per-pod CPU (millicores) and memory (bytes), current,
/// recommended and the observed peak (the sum of its containers' peaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// `namespace/name`.
    pub workload: String,
    /// Per-pod CPU request now, recommended, and the peak seen.
    pub cpu: (u64, u64, Option<u64>),
    /// Per-pod memory request now, recommended, and the peak seen.
    pub memory: (u64, u64, Option<u64>),
}

/// The chart's data: one bar pair per workload with samples.
pub fn bars(rep: &RightsizeReport<'_>) -> Vec<Bar> {
    bars_from_json(&rightsize_value(rep))
}

/// The chart's data read from the JSON (the browser app draws it from the worker's reply).
pub fn bars_from_json(v: &Value) -> Vec<Bar> {
    let recs = v["recommendations"].as_array().cloned().unwrap_or_default();
    v["workloads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| {
            let name = w["workload"].as_str()?.to_string();
            let of: Vec<&Value> = recs.iter().filter(|r| r["workload"] == name.as_str()).collect();
            let peak = |res: &str, field: &str| -> Option<u64> {
                let vals: Vec<u64> = of.iter().filter_map(|r| r[res][field].as_u64()).collect();
                (!vals.is_empty()).then(|| vals.iter().sum())
            };
            let (cp, mp) = (peak("cpu", "peak_millicores"), peak("memory", "peak_bytes"));
            if cp.is_none() && mp.is_none() {
                return None;
            }
            let get = |k: &str, f: &str| w[k][f].as_u64().unwrap_or(0);
            Some(Bar {
                workload: name,
                cpu: (get("pod_cpu_millicores", "before"), get("pod_cpu_millicores", "after"), cp),
                memory: (get("pod_memory_bytes", "before"), get("pod_memory_bytes", "after"), mp),
            })
        })
        .collect()
}

/// The right-sized scenario as YAML, with a header saying what was done (comments of the
/// original are not kept: the document holds values only).
pub fn rightsized_scenario_yaml(r: &Rightsizing, usage_sources: &[String]) -> String {
    let changed = r.rows.iter().filter(|x| x.changed()).count();
    let mut header = String::from("# Right-sized by `kplan rightsize`.\n");
    let _ = writeln!(header, "# Usage: {}.", usage_sources.join(", "));
    let _ = writeln!(header, "# {}.", r.settings.describe());
    let _ = writeln!(
        header,
        "# {changed} of {} container(s) changed; the rest are kept (see the report for why).",
        r.rows.len()
    );
    header + &document_yaml(&r.document)
}
