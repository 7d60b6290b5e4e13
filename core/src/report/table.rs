//! Plain-text tables for the terminal: a plan's pools, totals, bound and gap, utilisation and warnings.

use std::fmt::Write;

use super::json::plan_totals;
use crate::money::{Price, format_usd};
use crate::plan::Plan;
use crate::resources::ResourceName;
use crate::scenario::Scenario;

/// Formats rows as left/right aligned columns (`right[i]` aligns column i to the right).
pub fn columns(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The terminal rendering of a plan.
pub fn plan_table(scenario: &Scenario, plan: &Plan) -> String {
    let mut out = String::new();
    let solver = &plan.solver;
    let backend = solver.backend.as_deref().map(|b| format!(" ({b})")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Plan for {} ({} {}): {}{}, {}, {:.2} s",
        plan.scenario,
        plan.provider,
        plan.region,
        solver.method,
        backend,
        solver.status.as_str(),
        solver.seconds
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = plan
        .pools()
        .iter()
        .map(|p| {
            vec![
                p.instance_type.clone(),
                p.purchase.to_string(),
                p.zone.clone(),
                p.count.to_string(),
                format!("{:.4}", p.hourly_each.0),
                format_usd(p.hourly_each.monthly() * p.count as f64),
            ]
        })
        .collect();
    out.push_str(&columns(
        &["INSTANCE TYPE", "PURCHASE", "ZONE", "NODES", "$/HOUR EACH", "$/MONTH"],
        &rows,
        &[false, false, false, true, true, true],
    ));
    let cost = plan.hourly();
    out.push('\n');
    let _ = writeln!(
        out,
        "Cost:        {}/hour · {}/month · {}/year ({} nodes, {} pods)",
        format_usd(cost.hourly()),
        format_usd(cost.monthly()),
        format_usd(cost.yearly()),
        plan.nodes.len(),
        plan.n_pods()
    );
    if let Some(bound) = solver.bound {
        let gap = plan.gap().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "Lower bound: {}/month · gap {} (no plan can cost less than the bound)",
            format_usd(bound.monthly()),
            pct(gap)
        );
    }
    if let Some(ffd) = solver.ffd_hourly {
        let saving = ffd - cost;
        let frac = if ffd.0 > 0.0 { saving.0 / ffd.0 } else { 0.0 };
        let _ = writeln!(
            out,
            "Greedy FFD:  {}/month · this plan saves {}/month ({})",
            format_usd(ffd.monthly()),
            format_usd(Price(saving.0).monthly()),
            pct(frac)
        );
    }
    let options = scenario.node_options().output;
    let t = plan_totals(scenario, plan, &options);
    let util = |n: ResourceName| {
        let a = t.allocatable.get(&n);
        if a == 0 { 0.0 } else { t.requests.get(&n) as f64 / a as f64 }
    };
    let _ = writeln!(
        out,
        "Utilisation: cpu {} · memory {} · pods {} (requests incl. DaemonSets / allocatable)",
        pct(util(ResourceName::Cpu)),
        pct(util(ResourceName::Memory)),
        pct(util(ResourceName::Pods))
    );
    let _ = writeln!(
        out,
        "Allocatable: cpu {} · memory {} · {:.0} vCPU bought",
        t.allocatable.cpu.human(),
        t.allocatable.memory.human(),
        t.vcpus
    );
    if !t.stranded.is_zero() {
        let _ = writeln!(
            out,
            "Stranded:    cpu {} · memory {} (free on nodes whose other resource is ≥ 90% requested)",
            t.stranded.cpu.human(),
            t.stranded.memory.human()
        );
    }
    if plan.nodes.len() <= 40 && !plan.nodes.is_empty() {
        out.push('\n');
        let by_key: std::collections::BTreeMap<String, &crate::scenario::NodeOption> =
            options.iter().map(|o| (o.key(), o)).collect();
        let rows: Vec<Vec<String>> = plan
            .nodes
            .iter()
            .map(|n| {
                let u = crate::plan::node_usage(scenario, n, by_key.get(&n.option_key()).copied());
                let pods: Vec<String> =
                    n.pods.iter().map(|p| format!("{}×{}", p.count, p.workload.name)).collect();
                vec![
                    n.name.clone(),
                    pct(u.utilization(&ResourceName::Cpu)),
                    pct(u.utilization(&ResourceName::Memory)),
                    if pods.is_empty() { "(spare)".to_string() } else { pods.join(" ") },
                ]
            })
            .collect();
        out.push_str(&columns(
            &["NODE", "CPU", "MEMORY", "PODS"],
            &rows,
            &[false, true, true, false],
        ));
    } else if !plan.nodes.is_empty() {
        let _ = writeln!(
            out,
            "\n({} nodes; --format json lists the per-node packing)",
            plan.nodes.len()
        );
    }
    if !plan.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &plan.warnings {
            // Input warnings name their file, line:column, path and document; plan warnings are bare.
            let mut line = w.clone();
            line.hints.clear();
            let _ = writeln!(out, "  {line}");
            for h in &w.hints {
                let _ = writeln!(out, "    hint: {h}");
            }
        }
    }
    out
}
