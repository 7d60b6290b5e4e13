//! Today's cluster in the terminal: node pools, unpriced nodes, pending and terminated pods, the
//! rules today's cluster breaks; and today versus a plan (nodes, $/month, utilisation, per pool
//! and namespace, the saving).

use std::fmt::Write;

use super::diff::{diff_table, plan_diff, signed_usd};
use super::text::columns;
use crate::current::Today;
use crate::money::format_usd;
use crate::plan::verify::Violation;
use crate::plan::{Plan, plan_totals};
use crate::scenario::{NodeOption, Scenario};

/// What today's cluster holds beyond its plan: node pools, unpriced nodes, pending and terminated
/// pods, and the rules it breaks (the verifier's violations).
pub fn today_section(today: &Today, violations: &[Violation]) -> String {
    let mut out = String::from("\nToday by node pool:\n");
    let rows: Vec<Vec<String>> = today
        .by_node_pool()
        .into_iter()
        .map(|(pool, (n, monthly))| vec![pool, n.to_string(), format_usd(monthly)])
        .collect();
    out.push_str(&columns(&["POOL", "NODES", "$/MONTH"], &rows, &[false, true, true]));
    let unpriced: Vec<String> =
        today.unpriced().map(|n| format!("{} ({})", n.name, n.instance_type)).collect();
    if !unpriced.is_empty() {
        let _ = writeln!(out, "\nUnpriced nodes (not in today's cost): {}", unpriced.join(", "));
    }
    if !today.pending.is_empty() {
        let _ = writeln!(out, "\nPending pods ({}):", today.pending.len());
        for (id, why) in &today.pending {
            let _ = writeln!(out, "  {id}: {}", why.as_deref().unwrap_or("no reason given"));
        }
    }
    if !today.terminated.is_empty() {
        let _ = writeln!(out, "\nTerminated pods, not counted ({}):", today.terminated.len());
        for (id, phase, why) in &today.terminated {
            let _ = writeln!(
                out,
                "  {id}: {phase}{}",
                why.as_ref().map_or(String::new(), |w| format!(" ({w})"))
            );
        }
    }
    if !today.unplaced.is_empty() {
        let _ = writeln!(
            out,
            "\nPods on nodes that were not read ({}): {}",
            today.unplaced.len(),
            today.unplaced.join(", ")
        );
    }
    if violations.is_empty() {
        out.push_str("\nToday's cluster keeps every rule of its scenario.\n");
    } else {
        let _ = writeln!(out, "\nWhat today's cluster breaks ({} violation(s)):", violations.len());
        for v in violations {
            let _ = writeln!(out, "  {:?}: {}", v.rule, v.message);
        }
    }
    out
}

/// Today versus a plan, in numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Versus {
    /// Nodes today and in the plan.
    pub nodes: (usize, usize),
    /// Dollars per month for nodes today and in the plan.
    pub monthly: (f64, f64),
    /// CPU requested / allocatable today and in the plan (DaemonSets included).
    pub cpu_utilization: (f64, f64),
    /// Memory requested / allocatable today and in the plan.
    pub memory_utilization: (f64, f64),
    /// Pods placed today and in the plan.
    pub pods: (u64, u64),
}

impl Versus {
    /// Today's cost minus the plan's, per month.
    pub fn saving(&self) -> f64 {
        self.monthly.0 - self.monthly.1
    }
}

/// CPU and memory requested / allocatable of a plan's nodes (DaemonSets included), with the
/// scenario's node options given.
pub fn utilization(scenario: &Scenario, plan: &Plan, options: &[NodeOption]) -> (f64, f64) {
    let t = plan_totals(scenario, plan, options);
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (
        ratio(t.requests.cpu.0, t.allocatable.cpu.0),
        ratio(t.requests.memory.0, t.allocatable.memory.0),
    )
}

/// Today (its scenario and plan) versus a plan of the planning scenario.
pub fn versus(today: &Today, scenario: &Scenario, plan: &Plan) -> Versus {
    let (c0, m0) = utilization(&today.scenario, &today.plan, &today.scenario.node_options().output);
    let (c1, m1) = utilization(scenario, plan, &scenario.node_options().output);
    Versus {
        nodes: (today.plan.nodes.len(), plan.nodes.len()),
        monthly: (today.plan.hourly().monthly(), plan.hourly().monthly()),
        cpu_utilization: (c0, c1),
        memory_utilization: (m0, m1),
        pods: (today.plan.n_pods(), plan.n_pods()),
    }
}

/// The terminal rendering of today versus a plan, with the pool, purchase and namespace changes.
pub fn versus_table(today: &Today, scenario: &Scenario, plan: &Plan) -> String {
    let v = versus(today, scenario, plan);
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let saving = v.saving();
    let saving_pct = if v.monthly.0 > 0.0 { saving / v.monthly.0 } else { 0.0 };
    let rows = vec![
        vec!["nodes".to_string(), v.nodes.0.to_string(), v.nodes.1.to_string()],
        vec!["pods".to_string(), v.pods.0.to_string(), v.pods.1.to_string()],
        vec!["$/month (nodes)".to_string(), format_usd(v.monthly.0), format_usd(v.monthly.1)],
        vec!["CPU requested".to_string(), pct(v.cpu_utilization.0), pct(v.cpu_utilization.1)],
        vec![
            "memory requested".to_string(),
            pct(v.memory_utilization.0),
            pct(v.memory_utilization.1),
        ],
    ];
    let mut out = String::from("Today versus the plan\n");
    out.push_str(&columns(&["", "TODAY", "PLAN"], &rows, &[false, true, true]));
    let _ = writeln!(
        out,
        "Saving: {}/month ({}), {}/year",
        format_usd(saving),
        pct(saving_pct),
        format_usd(saving * 12.0)
    );
    if v.pods.0 != v.pods.1 {
        let _ = writeln!(
            out,
            "The plan runs {} pods where {} run today (desired replicas and pending pods are planned).",
            v.pods.1, v.pods.0
        );
    }
    out.push_str("\nToday by node pool:\n");
    let rows: Vec<Vec<String>> = today
        .by_node_pool()
        .into_iter()
        .map(|(pool, (n, monthly))| vec![pool, n.to_string(), format_usd(monthly)])
        .collect();
    out.push_str(&columns(&["POOL", "NODES", "$/MONTH"], &rows, &[false, true, true]));
    out.push('\n');
    out.push_str(&diff_table(&plan_diff(&today.plan, plan)));
    let _ = writeln!(out, "\n(plan minus today: {}/month)", signed_usd(-saving));
    out
}
