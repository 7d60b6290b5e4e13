//! The Explain panel of the plan view: where to look (the three changes that save most), what
//! each policy in force costs, what one more replica, vCPU or GiB costs, and what drives each
//! pool's node count, read from the plan JSON's `explain` block (`kplan plan`'s own).
//!
//! Explaining re-solves the scenario once per policy in force and for the costliest workloads, so
//! it runs when asked: the panel's button turns it on (the plan is made again with its
//! explanation) and it stays on for later plans until turned off.

use serde_json::Value;
use yew::prelude::*;

use super::fmt::{pct, text, usd};
use crate::state::Action;

/// What the panel shows: the plan JSON's value and whether plans are explained.
#[derive(Clone, PartialEq, Properties)]
pub(crate) struct ExplainProps {
    /// The plan JSON's `explain` block (null when the plan was not explained).
    pub value: Value,
    /// Plans are explained.
    pub on: bool,
    /// Applies an action.
    pub dispatch: Callback<Action>,
}

/// `$12.34/month`, or `—`.
fn monthly(v: &Value) -> String {
    if v.is_null() { "—".to_string() } else { format!("{}/month", usd(v)) }
}

#[function_component(ExplainPanel)]
pub(crate) fn explain_panel(p: &ExplainProps) -> Html {
    let e = &p.value;
    let turn_on = p.dispatch.reform(|_| Action::SetExplain(true));
    let turn_off = p.dispatch.reform(|_| Action::SetExplain(false));
    if e.is_null() {
        return html! {
            <section class="panel" id="explain-panel">
                <h2>{ "Explain" }</h2>
                <p>{ "What each policy in force costs, what one more replica, vCPU or GiB costs, and what drives the node count. It re-solves the plan once per policy in force and for the three costliest workloads, so it takes several times the plan's time." }</p>
                <button id="explain-run" onclick={turn_on} disabled={p.on}>
                    { if p.on { "Explaining…" } else { "Explain this plan" } }
                </button>
            </section>
        };
    }
    let policies = e["policies"].as_array().cloned().unwrap_or_default();
    let workloads = e["marginal"]["workloads"].as_array().cloned().unwrap_or_default();
    let drivers = e["drivers"].as_array().cloned().unwrap_or_default();
    let guidance = e["guidance"].as_array().cloned().unwrap_or_default();
    let skipped = e["skipped"].as_array().cloned().unwrap_or_default();
    let m = &e["marginal"];
    let time = format!(
        "{} re-solves in {} s, under the plan's own work budgets{}",
        text(&e["resolves"]),
        text(&e["seconds"]),
        if e["cut_short"].as_bool() == Some(true) {
            format!(
                "; cut short by the time limit, not re-solved: {}",
                skipped.iter().map(text).collect::<Vec<_>>().join(", ")
            )
        } else {
            String::new()
        }
    );
    html! {
        <section class="panel" id="explain-panel">
            <h2>{ "Explain: where to look" }</h2>
            <ol id="explain-top">
                { for e["top_changes"].as_array().into_iter().flatten().map(|c| html! {
                    <li data-saving={text(&c["saving_monthly"])}>
                        { format!("{}: saves {} ({})", text(&c["what"]), monthly(&c["saving_monthly"]), text(&c["basis"])) }
                    </li>
                }) }
            </ol>
            <h3>{ "What each policy costs (re-solved with it relaxed)" }</h3>
            <div class="table-wrap">
                <table id="explain-policies">
                    <thead><tr>
                        <th scope="col">{ "Policy" }</th><th scope="col">{ "Value" }</th>
                        <th scope="col">{ "Relaxed to" }</th><th scope="col" class="num">{ "Costs" }</th>
                        <th scope="col" class="num">{ "Relaxed plan" }</th><th scope="col" class="num">{ "Nodes" }</th>
                        <th scope="col">{ "Binds" }</th>
                    </tr></thead>
                    <tbody>
                        { for policies.iter().map(|r| html! {
                            <tr data-policy={text(&r["policy"])} data-relaxed-to={text(&r["relaxed_to"])} data-price={text(&r["price_monthly"])}>
                                <td>{ text(&r["policy"]) }</td>
                                <td>{ text(&r["value"]) }</td>
                                <td>{ text(&r["relaxed_to"]) }</td>
                                <td class="num">{ monthly(&r["price_monthly"]) }</td>
                                <td class="num">{ monthly(&r["relaxed_monthly"]) }</td>
                                <td class="num">{ text(&r["relaxed_nodes"]) }</td>
                                <td>{ match (r["binds"].as_bool(), r["error"].as_str()) {
                                    (_, Some(err)) => format!("not measured: {err}"),
                                    (Some(true), _) => "binds".to_string(),
                                    _ if r["dearer_resolve"].as_bool() == Some(true) => "no (the re-solve came out dearer; counted as the plan's cost)".to_string(),
                                    _ => "no".to_string(),
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ "What one more unit of demand costs" }</h3>
            <p id="explain-units">
                { format!("One more vCPU of requests: {}; one more GiB: {} ({}).",
                    monthly(&m["vcpu_monthly"]), monthly(&m["gib_monthly"]), text(&m["unit_basis"])) }
            </p>
            if m["duals_valid"].as_bool() != Some(true) {
                <p>{ "The master LP's duals are not available (the exact engine's root column generation did not converge)." }</p>
            }
            <div class="table-wrap">
                <table id="explain-replicas">
                    <thead><tr>
                        <th scope="col">{ "Workload" }</th><th scope="col" class="num">{ "Replicas" }</th>
                        <th scope="col" class="num">{ "Allocated" }</th>
                        <th scope="col" class="num">{ "One more: LP dual (estimate)" }</th>
                        <th scope="col" class="num">{ "One more: re-solved" }</th>
                    </tr></thead>
                    <tbody>
                        { for workloads.iter().map(|w| html! {
                            <tr data-workload={format!("{}/{}", text(&w["namespace"]), text(&w["name"]))}
                                data-dual={text(&w["dual_monthly"])} data-resolved={text(&w["resolved_monthly"])}>
                                <td>{ format!("{}/{}", text(&w["namespace"]), text(&w["name"])) }</td>
                                <td class="num">{ text(&w["replicas"]) }</td>
                                <td class="num">{ monthly(&w["allocated_monthly"]) }</td>
                                <td class="num">{ monthly(&w["dual_monthly"]) }</td>
                                <td class="num">{ match w["resolve_error"].as_str() {
                                    Some(err) => format!("not re-solved: {err}"),
                                    None => monthly(&w["resolved_monthly"]),
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ "What drives the node count" }</h3>
            <div class="table-wrap">
                <table id="explain-drivers">
                    <thead><tr>
                        <th scope="col">{ "Pool" }</th><th scope="col" class="num">{ "Nodes" }</th>
                        <th scope="col" class="num">{ "$/month" }</th><th scope="col">{ "Binding" }</th>
                        <th scope="col">{ "Stranded (allocatable − requests)" }</th>
                    </tr></thead>
                    <tbody>
                        { for drivers.iter().map(|d| {
                            let resources = d["resources"].as_array().cloned().unwrap_or_default();
                            let binding = resources.iter().find(|r| r["resource"] == d["binding"]).map(|r| pct(&r["usable_share"])).unwrap_or_default();
                            let stranded = resources.iter().map(|r| if r["stranded_monthly"].is_null() {
                                format!("{} {}", text(&r["resource"]), text(&r["stranded"]))
                            } else {
                                format!("{} {} ({})", text(&r["resource"]), text(&r["stranded"]), monthly(&r["stranded_monthly"]))
                            }).collect::<Vec<_>>().join(", ");
                            html! {
                                <tr>
                                    <td>{ format!("{} {} {}", text(&d["instance_type"]), text(&d["purchase"]), text(&d["zone"])) }</td>
                                    <td class="num">{ text(&d["nodes"]) }</td>
                                    <td class="num">{ usd(&d["monthly"]) }</td>
                                    <td>{ if d["binding"].is_null() {
                                        "none: no workload pods (spare capacity the headroom keeps)".to_string()
                                    } else {
                                        format!("{} ({binding} of what workloads may use)", text(&d["binding"]))
                                    } }</td>
                                    <td>{ stranded }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if !guidance.is_empty() {
                <ul id="explain-guidance">
                    { for guidance.iter().map(|g| html! { <li>{ text(&g["message"]) }</li> }) }
                </ul>
            }
            <p id="explain-time">{ time }</p>
            if p.on {
                <button id="explain-stop" onclick={turn_off}>{ "Stop explaining plans" }</button>
            }
        </section>
    }
}
