//! The plan view: the Explain panel first (see `explain`), then cost, nodes, utilisation, bound and gap, the savings against greedy packing and
//! against what Karpenter would launch,
//! the policies in force (defaults, the headroom's spare nodes, unused zones and purchase
//! options), the pools, the per-node packing charts, warnings, and the exports.

use std::rc::Rc;

use kplan_core::input::scenario::read_scenario;
use kplan_core::report::json::plan::BaselineDto;
use kplan_core::report::json::read_plan;
use kplan_core::report::{Figure, chart, csv, document, markdown};
use serde_json::Value;
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use super::explain::ExplainPanel;
use super::fmt::{pct, text, usd, usd_hourly};
use crate::engine::{self, SOURCE};
use crate::state::PlanResult;

/// The figures of a plan (drawn here, on the page: plotters measures text in the DOM).
pub(crate) fn figures(result: &PlanResult) -> Result<Vec<Figure>, String> {
    let (scenario, _) = engine::scenario(&result.yaml)?;
    let plan = read_plan(&result.json, "plan.json").map_err(|d| d.to_string())?;
    Ok(chart::plan_figures(&scenario, &plan))
}

/// Figures with a download button each.
#[derive(Clone, PartialEq, Properties)]
pub(crate) struct FiguresProps {
    pub figures: Rc<Vec<Figure>>,
    pub prefix: AttrValue,
}

#[function_component(Figures)]
pub(crate) fn figures_view(p: &FiguresProps) -> Html {
    html! {
        <div class="figures">
            { for p.figures.iter().map(|f| {
                let (name, svg) = (format!("{}{}.svg", p.prefix, f.stem), f.svg.clone());
                let save = Callback::from(move |_| browser::download(&name, "image/svg+xml", &svg));
                html! {
                    <figure id={format!("figure-{}", f.stem)}>
                        <figcaption>{ &f.title }</figcaption>
                        <div class="svg">{ Html::from_html_unchecked(AttrValue::from(f.svg.clone())) }</div>
                        <button onclick={save} aria-label={format!("Download {} as SVG", f.title)}>{ "SVG" }</button>
                    </figure>
                }
            }) }
        </div>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct ResultProps {
    result: Rc<PlanResult>,
    /// Plans are explained.
    explain: bool,
    dispatch: Callback<crate::state::Action>,
}

/// The view.
#[function_component(PlanView)]
pub fn plan_view(p: &ViewProps) -> Html {
    match &p.state.plan {
        None if p.state.checked.is_err() => html! {
            <section class="panel"><p>{ "The scenario has problems; fix them in Workloads or Catalog & policies and it is planned." }</p></section>
        },
        None => html! {
            <section class="panel"><p id="plan-waiting">{ "Planning…" }</p></section>
        },
        Some(Err(message)) => html! {
            <section class="panel problems" role="alert">
                <h2>{ "No plan" }</h2>
                <pre id="plan-error">{ message }</pre>
            </section>
        },
        Some(Ok(result)) => html! {
            <PlanBody result={result.clone()} explain={p.state.explain} dispatch={p.dispatch.clone()} />
        },
    }
}

#[function_component(PlanBody)]
fn plan_body(p: &ResultProps) -> Html {
    let v = &p.result.plan;
    let figures = {
        let result = p.result.clone();
        use_memo(result, |r| figures(r))
    };
    let card = |id: &str, title: &str, value: String, note: String| {
        html! {
            <div class="card">
                <div class="card-title">{ title }</div>
                <div class="card-value" id={id.to_string()}>{ value }</div>
                <div class="card-note">{ note }</div>
            </div>
        }
    };
    let totals = &v.totals;
    let status = &v.solver.status;
    let bound_note = match v.gap {
        Some(g) => format!("gap {} ({status})", pct(&g)),
        None => status.clone(),
    };
    let (pools, warnings) = (&v.pools, &v.warnings);
    // The policies in force, which are defaults, the headroom's spare nodes and unused options.
    let policy_lines = &v.policy_applied.lines;
    let name = &v.scenario;
    let baseline = v.baseline.as_ref();
    let exports = {
        let r = p.result.clone();
        let json_name = format!("{name}-plan.json");
        let json =
            Callback::from(move |_| browser::download(&json_name, "application/json", &r.json));
        let r = p.result.clone();
        let csv_name = format!("{name}-plan.csv");
        let csv = Callback::from(move |_| {
            if let Ok(plan) = read_plan(&r.json, "plan.json") {
                browser::download(&csv_name, "text/csv", &csv::plan_csv(&plan));
            }
        });
        let r = p.result.clone();
        let md_name = format!("{name}-plan.md");
        let md = Callback::from(move |_| {
            let scenario = read_scenario(&r.yaml, SOURCE).output;
            if let (Ok(s), Ok(plan)) = (scenario, read_plan(&r.json, "plan.json")) {
                let doc = document::plan_document(&s, &plan, 0);
                browser::download(&md_name, "text/markdown", &markdown::to_markdown(&doc, &[], ""));
            }
        });
        html! {
            <div class="toolbar">
                <span class="label">{ "Export the plan:" }</span>
                <button id="export-json" onclick={json}>{ "JSON" }</button>
                <button id="export-csv" onclick={csv}>{ "CSV" }</button>
                <button id="export-md" onclick={md}>{ "Markdown" }</button>
            </div>
        }
    };
    html! {
        <>
            <ExplainPanel value={v.explain.clone().unwrap_or(serde_json::Value::Null)} on={p.explain} dispatch={p.dispatch.clone()} />
            <section class="panel">
                <h2>{ format!("Plan for {name}") }</h2>
                <div class="cards">
                    { card("plan-monthly", "Nodes, per month", format!("{}/month", usd(&v.cost.monthly)),
                        format!("{} · {}/year", usd_hourly(&v.cost.hourly), usd(&v.cost.yearly))) }
                    { card("plan-total", "All-in, per month", format!("{}/month", usd(&v.cost.total.monthly)),
                        format!("with control plane {}/month and storage {}/month",
                            usd(&v.cost.control_plane.monthly), usd(&v.cost.storage.monthly))) }
                    { card("plan-nodes", "Nodes", totals.nodes.to_string(),
                        format!("{} pods on {} vCPU", totals.pods, Value::from(totals.vcpus))) }
                    { card("plan-utilization", "Utilisation (requests / allocatable)",
                        format!("CPU {} · memory {}", pct(&totals.utilization.get("cpu").copied()), pct(&totals.utilization.get("memory").copied())),
                        format!("idle {}/month", usd(&v.cost.idle.monthly))) }
                    { card("plan-bound", "Lower bound, per month", format!("{}/month", usd(&v.bound.as_ref().map(|b| b.monthly))), bound_note) }
                    { card("plan-saving", "Saving against greedy packing",
                        format!("{}/month", usd(&baseline.map(|b| b.saving_monthly))),
                        format!("{} less than first-fit decreasing at {}/month",
                            pct(&baseline.map(|b| b.saving_fraction)), usd(&baseline.map(|b| b.ffd_monthly)))) }
                    { card("plan-karpenter", "Saving against what Karpenter would launch",
                        format!("{}/month", usd(&baseline.and_then(|b| b.karpenter_saving_monthly))),
                        karpenter_note(baseline)) }
                </div>
                { exports }
            </section>
            <section class="panel">
                <h2>{ "Policies" }</h2>
                <p>{ "\"default\" marks the value used when none is given." }</p>
                <ul id="plan-policies">
                    { for policy_lines.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
                </ul>
            </section>
            <section class="panel">
                <h2>{ "Node pools" }</h2>
                <div class="table-wrap">
                    <table id="pools-table">
                        <thead><tr>
                            <th scope="col">{ "Instance type" }</th><th scope="col">{ "Purchase" }</th>
                            <th scope="col">{ "Zone" }</th><th scope="col" class="num">{ "Nodes" }</th>
                            <th scope="col" class="num">{ "Allocatable each" }</th>
                            <th scope="col" class="num">{ "$/h each" }</th><th scope="col" class="num">{ "$/month" }</th>
                            <th scope="col">{ "Why this option" }</th>
                        </tr></thead>
                        <tbody>
                            { for pools.iter().map(|pool| html! {
                                <tr>
                                    <td>{ &pool.instance_type }</td>
                                    <td>{ &pool.purchase }</td>
                                    <td>{ &pool.zone }</td>
                                    <td class="num">{ pool.count }</td>
                                    <td class="num">{ format!("{} CPU, {} memory, {} pods",
                                        text(&pool.allocatable_each["cpu"]), text(&pool.allocatable_each["memory"]),
                                        text(&pool.allocatable_each["pods"])) }</td>
                                    <td class="num">{ usd_hourly(&pool.hourly_each) }</td>
                                    <td class="num">{ usd(&pool.monthly_total) }</td>
                                    <td class="reason">{ &pool.reason }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="panel">
                <h2>{ "Packing: one bar per node, stacked by workload, against allocatable" }</h2>
                { match &*figures {
                    Ok(f) => html! { <Figures figures={Rc::new(f.clone())} prefix={AttrValue::from(format!("{name}-"))} /> },
                    Err(e) => html! { <pre class="problems">{ e }</pre> },
                } }
            </section>
            if !warnings.is_empty() {
                <section class="panel">
                    <h2>{ format!("Warnings ({})", warnings.len()) }</h2>
                    <ul id="plan-warnings" class="warnings">
                        { for warnings.iter().map(|w| html! {
                            <li>
                                <span class={classes!("sev", w.severity.clone())}>{ &w.severity }</span>
                                { " " }{ &w.message }
                                { for w.hints.iter().map(|h| html! { <div class="hint">{ format!("hint: {h}") }</div> }) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </>
    }
}

/// The Karpenter card's note: its plan's size and cost, and the kplan policies it breaks.
fn karpenter_note(baseline: Option<&BaselineDto>) -> String {
    let Some((b, k)) = baseline.and_then(|b| Some((b, b.karpenter.as_ref()?))) else {
        return "no Karpenter baseline for this scenario (see the warnings)".to_string();
    };
    let breaks = k.violations.len();
    format!(
        "{} less than Karpenter's {} nodes at {}/month{}",
        pct(&b.karpenter_saving_fraction),
        k.nodes,
        usd(&b.karpenter_monthly),
        match breaks {
            0 => String::new(),
            1 => "; its plan breaks 1 kplan policy".to_string(),
            n => format!("; its plan breaks {n} kplan policies"),
        }
    )
}
