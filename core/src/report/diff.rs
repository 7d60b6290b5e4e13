//! Plan diffs for reviews: pools, node counts and cost per month (total, by purchase option, by namespace).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::text::columns;
use crate::money::format_usd;
use crate::plan::Plan;

/// Dollars per month by purchase option (only options the plan uses).
pub fn cost_by_purchase(plan: &Plan) -> BTreeMap<String, f64> {
    let mut res = BTreeMap::new();
    for n in &plan.nodes {
        *res.entry(n.purchase.to_string()).or_insert(0.0) += n.hourly.monthly();
    }
    res
}

/// Label of the cost of nodes that run no workload pod.
pub const NO_PODS: &str = "(nodes without pods)";

/// Dollars per month by namespace: each node's cost split over its pods' namespaces by pod count.
pub fn cost_by_namespace(plan: &Plan) -> BTreeMap<String, f64> {
    let mut res = BTreeMap::new();
    for n in &plan.nodes {
        let total = n.n_pods();
        if total == 0 {
            *res.entry(NO_PODS.to_string()).or_insert(0.0) += n.hourly.monthly();
            continue;
        }
        for p in &n.pods {
            let share = f64::from(p.count) / total as f64;
            *res.entry(p.workload.namespace.clone()).or_insert(0.0) += n.hourly.monthly() * share;
        }
    }
    res
}

/// A pool in either plan: its node count and monthly cost before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolChange {
    /// `instance type/purchase option/zone`.
    pub pool: String,
    /// Nodes before.
    pub old_count: u64,
    /// Nodes after.
    pub new_count: u64,
    /// Dollars per month before.
    pub old_monthly: f64,
    /// Dollars per month after.
    pub new_monthly: f64,
}

/// A named amount before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// What is measured (a purchase option or a namespace).
    pub name: String,
    /// Before.
    pub old: f64,
    /// After.
    pub new: f64,
}

impl Change {
    /// After minus before.
    pub fn delta(&self) -> f64 {
        self.new - self.old
    }
}

/// What changed between two plans.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanDiff {
    /// The old plan's scenario name.
    pub old_scenario: String,
    /// The new plan's scenario name.
    pub new_scenario: String,
    /// Node counts before and after.
    pub nodes: (usize, usize),
    /// Pods before and after.
    pub pods: (u64, u64),
    /// Dollars per month before and after.
    pub monthly: Change,
    /// Pools whose node count or price changed, sorted by pool.
    pub pools: Vec<PoolChange>,
    /// Pools present in both plans with the same nodes and price.
    pub unchanged_pools: usize,
    /// Dollars per month by purchase option.
    pub by_purchase: Vec<Change>,
    /// Dollars per month by namespace.
    pub by_namespace: Vec<Change>,
}

fn changes(old: &BTreeMap<String, f64>, new: &BTreeMap<String, f64>) -> Vec<Change> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .map(|n| Change {
            name: n.clone(),
            old: old.get(n).copied().unwrap_or(0.0),
            new: new.get(n).copied().unwrap_or(0.0),
        })
        .collect()
}

fn pool_map(plan: &Plan) -> BTreeMap<String, (u64, f64)> {
    plan.pools()
        .into_iter()
        .map(|p| (p.option_key().to_string(), (p.count, p.hourly_each.monthly() * p.count as f64)))
        .collect()
}

/// Compares two plans.
pub fn plan_diff(old: &Plan, new: &Plan) -> PlanDiff {
    let (po, pn) = (pool_map(old), pool_map(new));
    let keys: BTreeSet<&String> = po.keys().chain(pn.keys()).collect();
    let mut pools = Vec::new();
    let mut unchanged_pools = 0;
    for k in keys {
        let (oc, om) = po.get(k).copied().unwrap_or((0, 0.0));
        let (nc, nm) = pn.get(k).copied().unwrap_or((0, 0.0));
        if oc == nc && (om - nm).abs() < 0.005 {
            unchanged_pools += 1;
        } else {
            pools.push(PoolChange {
                pool: k.clone(),
                old_count: oc,
                new_count: nc,
                old_monthly: om,
                new_monthly: nm,
            });
        }
    }
    PlanDiff {
        old_scenario: old.scenario.clone(),
        new_scenario: new.scenario.clone(),
        nodes: (old.nodes.len(), new.nodes.len()),
        pods: (old.n_pods(), new.n_pods()),
        monthly: Change {
            name: "total".to_string(),
            old: old.hourly().monthly(),
            new: new.hourly().monthly(),
        },
        pools,
        unchanged_pools,
        by_purchase: changes(&cost_by_purchase(old), &cost_by_purchase(new)),
        by_namespace: changes(&cost_by_namespace(old), &cost_by_namespace(new)),
    }
}

/// A signed dollar amount (`+$12.00`, `-$3.50`, `$0.00`).
pub fn signed_usd(d: f64) -> String {
    if d >= 0.005 { format!("+{}", format_usd(d)) } else { format_usd(d) }
}

fn signed_count(old: u64, new: u64) -> String {
    match new.cmp(&old) {
        std::cmp::Ordering::Greater => format!("+{}", new - old),
        std::cmp::Ordering::Less => format!("-{}", old - new),
        std::cmp::Ordering::Equal => "0".to_string(),
    }
}

fn pct_change(c: &Change) -> String {
    if c.delta().abs() < 0.005 {
        "0.0%".to_string()
    } else if c.old.abs() < 0.005 {
        "new".to_string()
    } else {
        format!("{:+.1}%", 100.0 * c.delta() / c.old)
    }
}

/// The tables of a diff: (title, header, rows, right alignment).
type Section = (&'static str, Vec<&'static str>, Vec<Vec<String>>, Vec<bool>);

fn sections(d: &PlanDiff) -> Vec<Section> {
    let pools = d
        .pools
        .iter()
        .map(|p| {
            vec![
                p.pool.clone(),
                p.old_count.to_string(),
                p.new_count.to_string(),
                signed_count(p.old_count, p.new_count),
                format_usd(p.old_monthly),
                format_usd(p.new_monthly),
                signed_usd(p.new_monthly - p.old_monthly),
            ]
        })
        .collect();
    let money = |list: &[Change]| {
        list.iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    format_usd(c.old),
                    format_usd(c.new),
                    signed_usd(c.delta()),
                    pct_change(c),
                ]
            })
            .collect::<Vec<_>>()
    };
    let r5 = vec![false, true, true, true, true];
    vec![
        (
            "Pools that changed",
            vec![
                "pool",
                "old nodes",
                "new nodes",
                "Δ nodes",
                "old $/month",
                "new $/month",
                "Δ $/month",
            ],
            pools,
            vec![false, true, true, true, true, true, true],
        ),
        (
            "Cost by purchase option",
            vec!["purchase option", "old $/month", "new $/month", "Δ $/month", "Δ %"],
            money(&d.by_purchase),
            r5.clone(),
        ),
        (
            "Cost by namespace",
            vec!["namespace", "old $/month", "new $/month", "Δ $/month", "Δ %"],
            money(&d.by_namespace),
            r5,
        ),
    ]
}

fn headline(d: &PlanDiff) -> Vec<String> {
    let names = if d.old_scenario == d.new_scenario {
        d.old_scenario.clone()
    } else {
        format!("{} → {}", d.old_scenario, d.new_scenario)
    };
    vec![
        format!("Plan diff: {names}"),
        format!(
            "Cost: {} → {}/month ({}, {})",
            format_usd(d.monthly.old),
            format_usd(d.monthly.new),
            signed_usd(d.monthly.delta()),
            pct_change(&d.monthly)
        ),
        format!(
            "Nodes: {} → {} ({}) · pods: {} → {} · {} pool(s) changed, {} unchanged",
            d.nodes.0,
            d.nodes.1,
            signed_count(d.nodes.0 as u64, d.nodes.1 as u64),
            d.pods.0,
            d.pods.1,
            d.pools.len(),
            d.unchanged_pools
        ),
    ]
}

/// The terminal rendering of a diff.
pub fn diff_table(d: &PlanDiff) -> String {
    let mut out = String::new();
    for l in headline(d) {
        let _ = writeln!(out, "{l}");
    }
    for (title, header, rows, right) in sections(d) {
        let _ = writeln!(out, "\n{title}:");
        if rows.is_empty() {
            out.push_str("(none)\n");
        } else {
            let upper: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
            let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
            out.push_str(&columns(&upper, &rows, &right));
        }
    }
    out
}

/// The Markdown rendering of a diff (for a pull-request comment).
pub fn diff_markdown(d: &PlanDiff) -> String {
    let lines = headline(d);
    let mut out = format!("# {}\n\n", lines[0]);
    for l in &lines[1..] {
        let _ = writeln!(out, "- {l}");
    }
    for (title, header, rows, right) in sections(d) {
        let _ = writeln!(out, "\n## {title}\n");
        if rows.is_empty() {
            out.push_str("None.\n");
            continue;
        }
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let marks: Vec<&str> = right.iter().map(|r| if *r { "---:" } else { "---" }).collect();
        let _ = writeln!(out, "| {} |", marks.join(" | "));
        for r in rows {
            let _ = writeln!(out, "| {} |", r.join(" | ").replace('\n', " "));
        }
    }
    out
}
