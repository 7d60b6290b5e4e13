//! The plan's explanation ([`crate::explain`]) in sentences: the "where to look" lines that open
//! the table, the Markdown/HTML report and the browser's Explain panel, and the full section.
//!
//! The table, the report and the browser all print these lines, so they say the same thing.

use crate::explain::{Explanation, PolicyPrice, ReplicaCost, counted};
use crate::money::format_usd;

fn per_month(usd: f64) -> String {
    format!("{}/month", format_usd(usd))
}

/// The changes that would save most, one sentence each, numbered.
pub fn where_to_look(e: &Explanation) -> Vec<String> {
    if e.top_changes.is_empty() {
        return vec!["no policy in force binds and nothing stranded is worth a change".to_string()];
    }
    e.top_changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!("{}. {}: saves {} ({})", i + 1, c.what, per_month(c.saving_monthly), c.basis)
        })
        .collect()
}

/// What a policy costs, in a sentence.
pub fn policy_sentence(p: &PolicyPrice) -> String {
    let head = format!("{} {}", p.policy, p.value);
    match &p.result {
        Err(why) => format!("{head}: not measured ({why})"),
        Ok(r) => {
            let mut s = if r.binds {
                format!(
                    "{head} costs {}; with {} the plan would cost {} ({})",
                    per_month(r.price_monthly),
                    p.relaxed_to,
                    per_month(r.monthly),
                    counted(r.n_nodes, "node")
                )
            } else {
                format!("{head} does not bind: with {} the plan costs the same", p.relaxed_to)
            };
            if r.dearer_resolve {
                s.push_str(" (the re-solve came out dearer; relaxing a policy cannot raise the optimum, so it counts as the plan's cost)");
            }
            if r.time_limited {
                s.push_str(" (the re-solve stopped at the time limit)");
            }
            s
        }
    }
}

/// One more replica of a workload, in a sentence.
pub fn replica_sentence(w: &ReplicaCost) -> String {
    let dual = match w.dual_monthly {
        Some(d) => {
            format!("{} by the master LP's dual (an estimate: a share of a node)", per_month(d))
        }
        None => "no LP dual".to_string(),
    };
    let resolved = match &w.resolved_monthly {
        None => String::new(),
        Some(Ok(m)) => format!("; {} by re-solving (whole nodes)", per_month(*m)),
        Some(Err(why)) => format!("; not re-solved ({why})"),
    };
    format!(
        "one more replica of {} ({} now, {} allocated): {dual}{resolved}",
        w.workload,
        w.replicas,
        per_month(w.allocated_monthly)
    )
}

/// Every line of the explanation, in sections: the policies, marginal costs, what drives the
/// node count, node-size guidance, and the time it took.
pub fn explain_lines(e: &Explanation) -> Vec<(&'static str, Vec<String>)> {
    let mut res = Vec::new();
    let policies: Vec<String> = if e.policies.is_empty() {
        vec!["no policy in force to relax".to_string()]
    } else {
        e.policies.iter().map(policy_sentence).collect()
    };
    res.push(("What each policy costs (re-solved with it relaxed)", policies));
    let m = &e.marginal;
    let mut marginal = vec![format!(
        "one more vCPU of requests: {}; one more GiB: {} ({})",
        per_month(m.vcpu_monthly),
        per_month(m.gib_monthly),
        m.unit_basis
    )];
    if !m.duals_valid {
        marginal.push("the master LP's duals are not available (the exact engine did not run, or its root column generation did not converge)".to_string());
    }
    marginal.extend(m.workloads.iter().map(replica_sentence));
    res.push(("What one more unit of demand costs", marginal));
    let drivers = e
        .drivers
        .iter()
        .map(|d| {
            let binding = match &d.binding {
                None => "no workload pods: spare capacity the headroom keeps".to_string(),
                Some(b) => {
                    let share = d.resources.iter().find(|r| r.resource == *b);
                    format!(
                        "{b} binds ({:.0}% of what workloads may use)",
                        100.0 * share.map_or(0.0, |r| r.usable_share)
                    )
                }
            };
            let stranded: Vec<String> = d
                .resources
                .iter()
                .map(|r| match r.stranded_monthly {
                    Some(m) => format!(
                        "{} {} ({})",
                        r.resource,
                        r.resource.format_amount(r.stranded),
                        per_month(m)
                    ),
                    None => format!("{} {}", r.resource, r.resource.format_amount(r.stranded)),
                })
                .collect();
            format!(
                "{} {} {} ({}, {}): {binding}; stranded {}",
                d.instance_type,
                d.purchase,
                d.zone,
                counted(d.n_nodes, "node"),
                per_month(d.monthly),
                stranded.join(", ")
            )
        })
        .collect();
    res.push(("What drives the node count", drivers));
    let guidance = if e.guidance.is_empty() {
        vec!["no node type strands more than 10% of a resource".to_string()]
    } else {
        e.guidance.iter().map(|g| g.sentence()).collect()
    };
    res.push(("Node-size guidance", guidance));
    res.push(("Time", vec![time_line(e)]));
    res
}

/// How long the explanation took, and whether it was cut short.
pub fn time_line(e: &Explanation) -> String {
    let mut s = format!(
        "the explanation made {} re-solves in {:.2} s, under the plan's own work budgets",
        e.resolves, e.seconds
    );
    if e.cut_short {
        s.push_str(&format!(
            "; cut short by the time limit, not re-solved: {}",
            e.skipped.join(", ")
        ));
    }
    s
}
