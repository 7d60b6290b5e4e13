//! Plain-text tables for the terminal: a plan's pools, totals, bound and gap, utilisation and warnings.

use std::fmt::Write;

use super::text::columns;
use crate::money::{Price, format_usd};
use crate::plan::{Plan, plan_totals};
use crate::resources::ResourceName;
use crate::scenario::Scenario;

/// "Karpenter would launch: N nodes, $X/month (types…); this plan saves $Y (Z%)", then what the
/// model added and every kplan policy its plan breaks; empty when the plan states no baseline.
pub fn karpenter_lines(plan: &Plan) -> Vec<String> {
    let Some(k) = &plan.solver.karpenter else { return Vec::new() };
    let mut by_count: Vec<&(String, crate::catalog::PurchaseOption, u64)> =
        k.types.iter().collect();
    by_count.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, a.1).cmp(&(&b.0, b.1))));
    let mut types: Vec<String> =
        by_count.iter().take(4).map(|(t, p, c)| format!("{c} × {t} {p}")).collect();
    if k.types.len() > 4 {
        types.push(format!("{} more types", k.types.len() - 4));
    }
    let how = match (k.consolidated, k.allocatable) {
        (false, crate::solve::karpenter::Allocatable::Scenario) => String::new(),
        (c, a) => format!(
            " [{}{}]",
            if c { "after consolidation" } else { "provisioning only" },
            if a == crate::solve::karpenter::Allocatable::Scenario {
                String::new()
            } else {
                format!(", {a} allocatable")
            }
        ),
    };
    let launch = format!(
        "Karpenter would launch: {} nodes, {}/month ({}){how}",
        k.n_nodes,
        format_usd(k.hourly.monthly()),
        types.join(", ")
    );
    let mut res = vec![if plan.solver.method == crate::solve::Method::Karpenter.as_str() {
        format!("{launch}: this plan")
    } else {
        let saving = k.hourly - plan.hourly();
        let frac = if k.hourly.0 > 0.0 { saving.0 / k.hourly.0 } else { 0.0 };
        if saving.0 >= 0.0 {
            format!(
                "{launch}; this plan saves {}/month ({})",
                format_usd(saving.monthly()),
                pct(frac)
            )
        } else {
            format!(
                "{launch}; this plan costs {}/month more ({})",
                format_usd(-saving.monthly()),
                pct(-frac)
            )
        }
    }];
    res.extend(k.notes.iter().map(|n| format!("  Karpenter model: {n}")));
    res.extend(k.violations.iter().map(|v| format!("  Karpenter's plan breaks: {v}")));
    res
}

/// `1 node`, `2 nodes`.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The terminal rendering of a plan.
pub fn plan_table(scenario: &Scenario, plan: &Plan) -> String {
    plan_table_with_finance(scenario, plan, None)
}

fn usd_cents(c: i64) -> String {
    format_usd(c as f64 / 100.0)
}

/// The cost lines: by purchase option, control plane, storage, total, reasons, allocation.
fn cost_section(scenario: &Scenario, plan: &Plan, out: &mut String) {
    let by_purchase = crate::cost::by_purchase(scenario, plan);
    let parts: Vec<String> = by_purchase
        .iter()
        .map(|(p, t)| {
            format!("{p} {} {}/month", counted(t.nodes, "node"), format_usd(t.hourly.monthly()))
        })
        .collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "By purchase: {}", parts.join(" · "));
    }
    let cp = &scenario.control_plane;
    let _ =
        writeln!(out, "Control plane: {} tier {}/month", cp.tier, format_usd(cp.hourly.monthly()));
    let storage = crate::cost::storage(scenario);
    if !storage.volumes.is_empty() {
        let classes: Vec<String> =
            storage.by_class.iter().map(|(k, v)| format!("{k} {}", format_usd(*v))).collect();
        let _ = writeln!(
            out,
            "Storage:     {}/month ({})",
            format_usd(storage.monthly),
            classes.join(" · ")
        );
    }
    for r in crate::cost::reservations(scenario, plan) {
        let unused = r.available.saturating_sub(r.used);
        let charge = if r.charge_unused {
            format!(
                "{}/month committed (unused {}/month)",
                format_usd(r.fixed_hourly.monthly()),
                format_usd(r.unused_hourly.monthly())
            )
        } else {
            format!("unused nodes not charged ({unused} free)")
        };
        let _ = writeln!(
            out,
            "Reservation: {} ({} in {}): {} of {} used · {charge}",
            r.name, r.instance_type, r.zone, r.used, r.available
        );
    }
    let total = crate::cost::all_in_hourly(scenario, plan);
    let with_reservations = if scenario.reservations.is_empty() { "" } else { ", reservations" };
    let _ = writeln!(
        out,
        "Total:       {}/month · {}/year (nodes{with_reservations}, control plane and storage)",
        format_usd(total.monthly()),
        format_usd(total.yearly())
    );
}

/// Why each pool is on its option, and the node cost by namespace and by owner.
fn allocation_section(scenario: &Scenario, plan: &Plan, out: &mut String) {
    let storage = crate::cost::storage(scenario);
    out.push_str("\nWhy each pool is on its purchase option:\n");
    for (p, reason) in crate::cost::pool_reasons(scenario, plan) {
        let _ = writeln!(out, "  {} × {} in {}: {reason}", p.count, p.instance_type, p.zone);
    }
    let alloc = crate::cost::allocation::allocate(scenario, plan);
    if alloc.nodes.is_empty() {
        return;
    }
    let mut ns_storage: std::collections::BTreeMap<&str, f64> = Default::default();
    for (v, m) in &storage.volumes {
        *ns_storage.entry(v.namespace.as_str()).or_default() += m;
    }
    let gpu = alloc.nodes.iter().any(|n| n.idle.gpu > 0 || n.lines.iter().any(|l| l.cents.gpu > 0));
    let row = |name: String, c: crate::cost::allocation::Cents, storage: Option<f64>| {
        let mut r = vec![name, usd_cents(c.cpu), usd_cents(c.memory)];
        if gpu {
            r.push(usd_cents(c.gpu));
        }
        r.push(storage.map(format_usd).unwrap_or_default());
        r.push(format_usd(c.total() as f64 / 100.0 + storage.unwrap_or(0.0)));
        r
    };
    let mut rows: Vec<Vec<String>> = alloc
        .by_namespace
        .iter()
        .map(|(ns, c)| {
            row(ns.clone(), *c, Some(ns_storage.get(ns.as_str()).copied().unwrap_or(0.0)))
        })
        .collect();
    rows.push(row("(idle)".into(), alloc.idle, None));
    let mut header = vec!["NAMESPACE", "CPU/MONTH", "MEMORY/MONTH"];
    if gpu {
        header.push("GPU/MONTH");
    }
    header.extend(["STORAGE/MONTH", "$/MONTH"]);
    let mut right = vec![true; header.len()];
    right[0] = false;
    out.push('\n');
    out.push_str(&columns(&header, &rows, &right));
    let rows: Vec<Vec<String>> = alloc
        .by_owner
        .iter()
        .map(|(o, c)| {
            let mut r = row(o.clone(), *c, None);
            r.remove(r.len() - 2);
            r
        })
        .collect();
    let mut header = vec!["OWNER", "CPU/MONTH", "MEMORY/MONTH"];
    if gpu {
        header.push("GPU/MONTH");
    }
    header.push("NODES $/MONTH");
    let mut right = vec![true; header.len()];
    right[0] = false;
    out.push('\n');
    out.push_str(&columns(&header, &rows, &right));
    let _ = writeln!(
        out,
        "(node cost split by requests; CPU ${:.5}/vCPU-h, memory ${:.5}/GiB-h from a {})",
        alloc.rates.usd_per_vcpu_hour, alloc.rates.usd_per_gib_hour, alloc.rates.basis
    );
}

/// The four-way comparison as a table.
pub fn finance_table(finance: &crate::cost::finance::Finance) -> String {
    let rows: Vec<Vec<String>> = finance
        .variants
        .iter()
        .map(|v| match &v.result {
            Ok(r) => {
                let (saved, frac) = finance.savings(v).unwrap_or((Price::ZERO, 0.0));
                vec![
                    v.name.to_string(),
                    format_usd(r.hourly.monthly()),
                    format_usd(r.hourly.yearly()),
                    format!("{} ({})", format_usd(saved.monthly()), pct(frac)),
                    r.nodes.to_string(),
                    r.risk.spot_nodes.to_string(),
                    if r.risk.spot_nodes == 0 {
                        "0".into()
                    } else if r.risk.spot_nodes_without_bucket == r.risk.spot_nodes {
                        "unknown".into()
                    } else {
                        format!("{:.2}", r.risk.expected_interruptions_per_month)
                    },
                    if v.purchase.contains(&crate::catalog::PurchaseOption::Spot) {
                        r.risk.floor_pods.to_string()
                    } else {
                        "-".into()
                    },
                ]
            }
            Err(e) => vec![v.name.to_string(), format!("no plan: {e}")],
        })
        .collect();
    let mut notes: Vec<&str> = finance
        .variants
        .iter()
        .filter_map(|v| v.result.as_ref().ok())
        .flat_map(|r| r.estimated_prices.iter().map(String::as_str))
        .collect();
    notes.sort();
    notes.dedup();
    let mut out = columns(
        &[
            "VARIANT",
            "$/MONTH",
            "$/YEAR",
            "SAVES/MONTH",
            "NODES",
            "SPOT NODES",
            "INTERRUPTIONS/MONTH",
            "FLOOR PODS",
        ],
        &rows,
        &[false, true, true, true, true, true, true, true],
    );
    for n in notes {
        let _ = writeln!(out, "  estimated price: {n}");
    }
    out
}

/// The terminal rendering of a plan, with the four-way comparison when given.
pub fn plan_table_with_finance(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
) -> String {
    plan_table_explained(scenario, plan, finance, None)
}

/// [`plan_table_with_finance`] with the explanation when given: its "where to look" lines come
/// right after the title, its full section before the warnings.
pub fn plan_table_explained(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
    explanation: Option<&crate::explain::Explanation>,
) -> String {
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
    if let Some(e) = explanation {
        out.push_str(
            "\nWhere to look (the changes that would save most; details under Explanation):\n",
        );
        for line in super::explain::where_to_look(e) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push('\n');
    let rows = pool_rows(plan);
    out.push_str(&columns(
        &["INSTANCE TYPE", "PURCHASE", "ZONE", "NODES", "$/HOUR EACH", "$/MONTH"],
        &rows,
        &[false, false, false, true, true, true],
    ));
    let cost = plan.hourly();
    out.push('\n');
    let _ = writeln!(
        out,
        "Cost:        {}/hour · {}/month · {}/year ({}, {})",
        format_usd(cost.hourly()),
        format_usd(cost.monthly()),
        format_usd(cost.yearly()),
        counted(plan.nodes.len() as u64, "node"),
        counted(plan.n_pods(), "pod")
    );
    cost_section(scenario, plan, &mut out);
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
    for line in karpenter_lines(plan) {
        let _ = writeln!(out, "{line}");
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
    out.push_str("\nPolicies (\"default\": the value used when none is given):\n");
    for line in super::policies::applied(scenario, plan, finance).lines() {
        let _ = writeln!(out, "  {line}");
    }
    if plan.nodes.len() <= 40 && !plan.nodes.is_empty() {
        out.push('\n');
        let by_key: std::collections::BTreeMap<
            crate::scenario::OptionKey,
            &crate::scenario::NodeOption,
        > = options.iter().map(|o| (o.key(), o)).collect();
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
    allocation_section(scenario, plan, &mut out);
    if let Some(f) = finance {
        out.push_str("\nReserved versus spot (the same workloads, purchase options restricted):\n");
        out.push_str(&finance_table(f));
    }
    if let Some(e) = explanation {
        out.push_str("\nExplanation:\n");
        for (title, lines) in super::explain::explain_lines(e) {
            let _ = writeln!(out, "  {title}:");
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
        }
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

/// The commitment planner's report for the terminal.
pub fn commit_table(r: &crate::cost::commit::CommitReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Commitment plan for {} over a {}-hour profile ({} load levels, commitment program on the {} backend)\n",
        r.scenario,
        r.profile_hours,
        r.levels.len(),
        r.backend
    );
    let rows: Vec<Vec<String>> = r
        .commitments
        .iter()
        .map(|c| {
            vec![
                c.family.clone(),
                c.option.to_string(),
                c.vcpus.to_string(),
                format!("{:.5}", c.hourly),
                format!("{:.5}", c.on_demand_hourly),
                pct(c.break_even),
                if c.vcpus > 0 { pct(c.utilisation) } else { "-".into() },
                format_usd(c.hourly * f64::from(c.vcpus) * crate::money::HOURS_PER_MONTH),
            ]
        })
        .collect();
    out.push_str(&columns(
        &[
            "FAMILY",
            "TERM",
            "COMMIT vCPU",
            "$/vCPU-H",
            "ON-DEMAND $/vCPU-H",
            "BREAK-EVEN",
            "USED",
            "$/MONTH",
        ],
        &rows,
        &[false, false, true, true, true, true, true, true],
    ));
    out.push('\n');
    let saving = r.monthly_all_on_demand - r.monthly;
    let _ = writeln!(
        out,
        "Cost:          {}/month with the commitment (committed {}, on-demand {}, spot {})",
        format_usd(r.monthly),
        format_usd(r.monthly_committed),
        format_usd(r.monthly_on_demand),
        format_usd(r.monthly_spot)
    );
    let _ = writeln!(
        out,
        "All on-demand: {}/month · saves {}/month ({}); without a commitment {}/month",
        format_usd(r.monthly_all_on_demand),
        format_usd(saving),
        pct(if r.monthly_all_on_demand > 0.0 { saving / r.monthly_all_on_demand } else { 0.0 }),
        format_usd(r.monthly_no_commitment)
    );
    let _ = writeln!(
        out,
        "Coverage:      {} of non-spot vCPU-hours committed · commitment utilisation {}",
        pct(r.coverage),
        pct(r.utilisation)
    );
    out.push_str("\nIf demand fell (reservations cannot be refunded):\n");
    let rows: Vec<Vec<String>> = r
        .waste
        .iter()
        .map(|w| {
            vec![
                format!("-{:.0}%", 100.0 * w.fall),
                format!("{:.0}", w.unused_vcpu_hours_per_month),
                format_usd(w.monthly),
                pct(w.utilisation),
            ]
        })
        .collect();
    out.push_str(&columns(
        &["DEMAND", "UNUSED vCPU-H/MONTH", "WASTE $/MONTH", "UTILISATION"],
        &rows,
        &[false, true, true, true],
    ));
    out.push_str("\nLoad levels:\n");
    let rows: Vec<Vec<String>> = r
        .levels
        .iter()
        .map(|l| {
            let nodes: Vec<String> = l.non_spot.iter().map(|(t, n)| format!("{n}×{t}")).collect();
            vec![
                format!("{:.2}-{:.2}", l.scale.0, l.scale.1),
                l.hours.len().to_string(),
                l.replicas.iter().map(|x| u64::from(*x)).sum::<u64>().to_string(),
                nodes.join(" "),
                l.spot_nodes.to_string(),
            ]
        })
        .collect();
    out.push_str(&columns(
        &["SCALE", "HOURS", "PODS", "NON-SPOT NODES", "SPOT NODES"],
        &rows,
        &[false, true, true, false, true],
    ));
    out
}

/// One row per pool: instance type, purchase option, zone, nodes, $/hour each, $/month
/// (the terminal table and the reports share it).
pub(crate) fn pool_rows(plan: &Plan) -> Vec<Vec<String>> {
    plan.pools()
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
        .collect()
}
