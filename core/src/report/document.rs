//! A report as a list of blocks (headings, paragraphs, tables, lists, figures), rendered to Markdown or HTML.

use super::compare::{self, CompareRow};
use crate::catalog::PurchaseOption;
use crate::money::format_usd;
use crate::plan::{Plan, plan_totals};
use crate::resources::ResourceName;
use crate::scenario::Scenario;

/// One block of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A table; `right[i]` right-aligns column i.
    Table {
        /// Column headings.
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
        /// Right alignment per column.
        right: Vec<bool>,
    },
    /// A bulleted list.
    List(Vec<String>),
    /// A figure, by index into the report's figures.
    Figure(usize),
}

/// A titled report.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The title.
    pub title: String,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
}

fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[bool]) -> Block {
    Block::Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        right: right.to_vec(),
    }
}

/// The report of a comparison: the summary table, cost by purchase option, warnings, then the figures.
pub fn compare_document(scenario: &Scenario, rows: &[CompareRow], n_figures: usize) -> Document {
    let mut blocks = vec![Block::Paragraph(format!(
        "{} cases planned for scenario {} ({} {}): the base, {} variant(s) and {} sweep point(s). Costs are per month (730 hours); deltas are against the base.",
        rows.len(),
        scenario.name,
        scenario.provider,
        scenario.region,
        rows.iter().filter(|r| r.kind == "variant").count(),
        rows.iter().filter(|r| r.kind == "sweep").count(),
    ))];
    blocks.push(Block::Heading("Summary".to_string()));
    blocks.push(table(
        &compare::HEADER,
        rows.iter().map(compare::cells).collect(),
        &compare::RIGHT,
    ));
    blocks.push(Block::Heading("Cost by purchase option ($/month)".to_string()));
    let mut header = vec!["case"];
    header.extend(PurchaseOption::ALL.iter().map(|p| p.as_str()));
    header.push("total");
    let purchase_rows = rows
        .iter()
        .map(|r| {
            let mut c = vec![r.label.clone()];
            c.extend(
                PurchaseOption::ALL
                    .iter()
                    .map(|p| format_usd(r.by_purchase.get(p).copied().unwrap_or(0.0))),
            );
            c.push(r.monthly.map_or_else(|| "infeasible".to_string(), format_usd));
            c
        })
        .collect();
    blocks.push(table(&header, purchase_rows, &[false, true, true, true, true, true]));
    if n_figures > 0 {
        blocks.push(Block::Heading("Charts".to_string()));
        blocks.extend((0..n_figures).map(Block::Figure));
    }
    let mut notes = Vec::new();
    for r in rows {
        if let Some(e) = &r.error {
            notes.push(format!("{}: infeasible: {e}", r.label));
        }
        for w in &r.warnings {
            notes.push(format!("{}: {w}", r.label));
        }
    }
    blocks.push(Block::Heading("Warnings".to_string()));
    if notes.is_empty() {
        blocks.push(Block::Paragraph("None.".to_string()));
    } else {
        blocks.push(Block::List(notes));
    }
    Document { title: format!("What-if: {}", scenario.name), blocks }
}

/// The report of one plan: cost, pools, utilisation, cost by purchase option and namespace, warnings, figures.
pub fn plan_document(scenario: &Scenario, plan: &Plan, n_figures: usize) -> Document {
    plan_document_with_finance(scenario, plan, None, n_figures)
}

/// [`plan_document`], with the headroom's measured cost when the finance comparison ran.
pub fn plan_document_with_finance(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
    n_figures: usize,
) -> Document {
    plan_document_explained(scenario, plan, finance, None, n_figures)
}

/// [`plan_document_with_finance`] with the explanation when given: "Where to look" opens the
/// report, and an "Explanation" section comes before the charts.
pub fn plan_document_explained(
    scenario: &Scenario,
    plan: &Plan,
    finance: Option<&crate::cost::finance::Finance>,
    explanation: Option<&crate::explain::Explanation>,
    n_figures: usize,
) -> Document {
    let cost = plan.hourly();
    let mut facts = vec![
        format!(
            "Cost: {}/hour · {}/month · {}/year",
            format_usd(cost.hourly()),
            format_usd(cost.monthly()),
            format_usd(cost.yearly())
        ),
        format!("{} nodes, {} pods", plan.nodes.len(), plan.n_pods()),
    ];
    if let Some(b) = plan.solver.bound {
        facts.push(format!(
            "Lower bound: {}/month · gap {}",
            format_usd(b.monthly()),
            compare::pct(plan.gap().unwrap_or(0.0))
        ));
    }
    facts.extend(super::table::karpenter_lines(plan).into_iter().map(|l| l.trim().to_string()));
    let options = scenario.node_options().output;
    let t = plan_totals(scenario, plan, &options);
    let util = |n: ResourceName| {
        let a = t.allocatable.get(&n);
        if a == 0 { 0.0 } else { t.requests.get(&n) as f64 / a as f64 }
    };
    facts.push(format!(
        "Utilisation: CPU {} · memory {}",
        compare::pct(util(ResourceName::Cpu)),
        compare::pct(util(ResourceName::Memory))
    ));
    facts.push(format!(
        "Solver: {}{} ({})",
        plan.solver.method,
        plan.solver.backend.as_deref().map(|b| format!(" / {b}")).unwrap_or_default(),
        plan.solver.status.as_str()
    ));
    let mut blocks = Vec::new();
    if let Some(e) = explanation {
        blocks.push(Block::Heading("Where to look".to_string()));
        blocks.push(Block::List(super::explain::where_to_look(e)));
    }
    blocks.extend([
        Block::Paragraph(format!(
            "Scenario {} on {} {}.",
            scenario.name, scenario.provider, scenario.region
        )),
        Block::List(facts),
        Block::Heading("Policies".to_string()),
        Block::Paragraph("\"default\" marks the value used when none is given.".to_string()),
        Block::List(super::policies::applied(scenario, plan, finance).lines()),
        Block::Heading("Pools".to_string()),
    ]);
    let pool_rows = super::table::pool_rows(plan);
    blocks.push(table(
        &["instance type", "purchase", "zone", "nodes", "$/hour each", "$/month"],
        pool_rows,
        &[false, false, false, true, true, true],
    ));
    blocks.push(Block::Heading("Cost by purchase option and namespace ($/month)".to_string()));
    let by_purchase = super::diff::cost_by_purchase(plan);
    let by_namespace = super::diff::cost_by_namespace(plan);
    let mut rows: Vec<Vec<String>> = by_purchase
        .iter()
        .map(|(k, v)| vec!["purchase option".to_string(), k.clone(), format_usd(*v)])
        .collect();
    rows.extend(
        by_namespace.iter().map(|(k, v)| vec!["namespace".to_string(), k.clone(), format_usd(*v)]),
    );
    blocks.push(table(&["by", "name", "$/month"], rows, &[false, false, true]));
    blocks.push(Block::Paragraph(
        "A node's cost is split over the namespaces of the pods on it, in proportion to their pod count.".to_string(),
    ));
    if let Some(e) = explanation {
        for (title, lines) in super::explain::explain_lines(e) {
            blocks.push(Block::Heading(format!("Explanation: {title}")));
            blocks.push(Block::List(lines));
        }
    }
    if n_figures > 0 {
        blocks.push(Block::Heading("Charts".to_string()));
        blocks.extend((0..n_figures).map(Block::Figure));
    }
    blocks.push(Block::Heading("Warnings".to_string()));
    if plan.warnings.is_empty() {
        blocks.push(Block::Paragraph("None.".to_string()));
    } else {
        blocks.push(Block::List(plan.warnings.iter().map(|w| w.message.clone()).collect()));
    }
    Document { title: format!("Plan: {}", plan.scenario), blocks }
}
