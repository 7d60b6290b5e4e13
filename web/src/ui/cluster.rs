//! Today's cluster: `kubectl get nodes -o yaml` and `kubectl get pods -A -o yaml` output pasted,
//! chosen or dropped (one or several files, or one file holding both), priced as `kplan current
//! --cluster` does and planned as `kplan plan --cluster` does; today versus the plan side by side
//! (nodes, $/month, utilisation, per pool, purchase option and namespace, the saving, what today
//! breaks), and the plan's exports (`kplan export --format …`) as downloads.

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use super::fmt::{pct, text, usd};
use super::intake::{Intake, listed};
use crate::protocol::UsageFile;
use crate::state::{Action, ClusterResult, JobKind};

/// Reads every chosen or dropped file, then adds them together (one pricing and plan).
fn add_files(files: Option<web_sys::FileList>, dispatch: &Callback<Action>) {
    let Some(files) = files else { return };
    let dispatch = dispatch.clone();
    browser::read_files(
        files,
        Callback::from(move |read: Vec<(String, Result<String, String>)>| {
            let mut ok = Vec::new();
            let mut failed = Vec::new();
            for (name, text) in read {
                match text {
                    Ok(text) => ok.push(UsageFile { name, text }),
                    Err(message) => failed.push(message),
                }
            }
            if !ok.is_empty() {
                dispatch.emit(Action::AddClusterFiles(ok));
            }
            if !failed.is_empty() {
                dispatch.emit(Action::ClusterFailed(failed.join("\n")));
            }
        }),
    );
}

/// The view.
#[function_component(ClusterView)]
pub fn cluster_view(p: &ViewProps) -> Html {
    let running = p.state.running.as_ref().is_some_and(|r| r.kind == JobKind::Cluster);
    html! {
        <>
            <ClusterInput ..p.clone() />
            { match &p.state.cluster {
                _ if running => html! {
                    <section class="panel"><p id="cluster-waiting">{ "Reading today's cluster and planning its workloads…" }</p></section>
                },
                None => html! {},
                Some(Err(message)) => html! {
                    <section class="panel problems" role="alert">
                        <h2>{ "Not priced" }</h2>
                        <pre id="cluster-error">{ message }</pre>
                    </section>
                },
                Some(Ok(r)) => html! { <Report result={r.clone()} /> },
            } }
        </>
    }
}

#[function_component(ClusterInput)]
fn cluster_input(p: &ViewProps) -> Html {
    let on_paste = p.dispatch.reform(|t: String| {
        let name = if t.trim_start().starts_with('{') { "pasted.json" } else { "pasted.yaml" };
        Action::AddClusterFiles(vec![UsageFile { name: name.to_string(), text: t }])
    });
    let on_files = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |files: web_sys::FileList| add_files(Some(files), &dispatch))
    };
    html! {
        <Intake id="cluster" section_id="cluster-drop" title="Today's cluster"
            help="Drop, choose or paste what kubectl prints: kubectl get nodes -o yaml and kubectl get pods -A -o yaml (YAML or JSON, one file each or one file holding both; Deployments, StatefulSets and autoscalers given too set the desired replicas). Today's cluster is priced from the embedded catalog, its workloads are planned with the SPEC defaults in its region, as kplan current --cluster and kplan plan --cluster do; nothing leaves this page."
            text_label="kubectl output" add_label="Add pasted output" accept=".yaml,.yml,.json"
            files={listed(&p.state.cluster_files)} errors={p.state.cluster_errors.clone()}
            {on_paste} {on_files} on_remove={p.dispatch.reform(Action::RemoveClusterFile)} />
    }
}

#[derive(Clone, PartialEq, Properties)]
struct ReportProps {
    result: Rc<ClusterResult>,
}

/// A list of strings from a JSON array, as list items (or a sentence when there are none).
fn items(id: &str, list: &Value, none: &str) -> Html {
    let list = list.as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        return html! { <p>{ none }</p> };
    }
    html! {
        <ul id={id.to_string()} class="notes">
            { for list.iter().map(|x| html! { <li>{ text(x) }</li> }) }
        </ul>
    }
}

/// Pools with nodes, $/month and utilisation.
fn pools_table(id: &str, rows: &Value) -> Html {
    let rows = rows.as_array().cloned().unwrap_or_default();
    html! {
        <table id={id.to_string()}>
            <thead><tr>
                <th scope="col">{ "Pool" }</th><th scope="col" class="num">{ "Nodes" }</th>
                <th scope="col" class="num">{ "$/month" }</th><th scope="col" class="num">{ "CPU requested" }</th>
                <th scope="col" class="num">{ "Memory requested" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td>{ text(&r["pool"]) }</td>
                        <td class="num">{ text(&r["nodes"]) }</td>
                        <td class="num">{ usd(&r["monthly"]) }</td>
                        <td class="num">{ pct(&r["cpu_utilization"]) }</td>
                        <td class="num">{ pct(&r["memory_utilization"]) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// Dollars per month by a name, today and in the plan (`kplan diff`'s sections).
fn changes_table(id: &str, key: &str, rows: &Value) -> Html {
    let rows = rows.as_array().cloned().unwrap_or_default();
    html! {
        <table id={id.to_string()}>
            <thead><tr>
                <th scope="col">{ key }</th><th scope="col" class="num">{ "Today $/month" }</th>
                <th scope="col" class="num">{ "Plan $/month" }</th><th scope="col" class="num">{ "Change" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td>{ text(&r["name"]) }</td>
                        <td class="num">{ usd(&r["old"]) }</td>
                        <td class="num">{ usd(&r["new"]) }</td>
                        <td class="num">{ signed(&r["delta"]) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// `+$12.00` or `-$3.50`, as `kplan diff` prints changes.
fn signed(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), kplan_core::report::diff::signed_usd)
}

/// What an export format writes, for its button.
fn format_label(format: &str) -> &'static str {
    match format {
        "karpenter" => "Karpenter NodePools",
        "eksctl" => "eksctl ClusterConfig",
        "terraform" => "Terraform node pools",
        "gke" => "gcloud node-pools commands",
        "aks" => "az aks nodepool commands",
        _ => "export",
    }
}

/// The type a downloaded export file is offered as.
fn mime(file_name: &str) -> &'static str {
    if file_name.ends_with(".yaml") {
        "application/yaml"
    } else if file_name.ends_with(".sh") {
        "text/x-shellscript"
    } else {
        "text/plain"
    }
}

#[function_component(Report)]
fn report(p: &ReportProps) -> Html {
    let r = &p.result;
    let v = &r.versus;
    let at = |key: &str, i: usize| v[key][i].clone();
    let saving = &v["saving_monthly"];
    let year = saving.as_f64().map(|s| Value::from(s * 12.0)).unwrap_or(Value::Null);
    let save = |name: &str, json: &str| {
        let (name, json) = (name.to_string(), json.to_string());
        Callback::from(move |_| browser::download(&name, "application/json", &json))
    };
    let row = |label: &str, id: &str, today: String, plan: String| {
        html! {
            <tr>
                <th scope="row">{ label }</th>
                <td class="num" id={format!("cluster-{id}-today")}>{ today }</td>
                <td class="num" id={format!("cluster-{id}-plan")}>{ plan }</td>
            </tr>
        }
    };
    let diff = &v["diff"];
    let warnings = &r.today.warnings;
    html! {
        <>
            <section class="panel">
                <h2>{ "Today versus the plan" }</h2>
                <div class="cards">
                    <div class="card"><div class="card-title">{ "Today" }</div>
                        <div class="card-value" id="cluster-today-monthly">{ format!("{}/month", usd(&at("monthly", 0))) }</div>
                        <div class="card-note">{ format!("{} nodes · {} pods · priced from the catalog", text(&at("nodes", 0)), text(&at("pods", 0))) }</div></div>
                    <div class="card"><div class="card-title">{ "The plan" }</div>
                        <div class="card-value" id="cluster-plan-monthly">{ format!("{}/month", usd(&at("monthly", 1))) }</div>
                        <div class="card-note">{ format!("{} nodes · {} pods · gap {}", text(&at("nodes", 1)), text(&at("pods", 1)), pct(&r.plan.gap)) }</div></div>
                    <div class="card"><div class="card-title">{ "Saving" }</div>
                        <div class="card-value" id="cluster-saving">{ format!("{}/month", usd(saving)) }</div>
                        <div class="card-note">{ format!("{} of today · {}/year", pct(&v["saving_fraction"]), usd(&year)) }</div></div>
                </div>
                <table id="cluster-versus">
                    <thead><tr><th scope="col"></th><th scope="col" class="num">{ "Today" }</th><th scope="col" class="num">{ "Plan" }</th></tr></thead>
                    <tbody>
                        { row("Nodes", "nodes", text(&at("nodes", 0)), text(&at("nodes", 1))) }
                        { row("Pods", "pods", text(&at("pods", 0)), text(&at("pods", 1))) }
                        { row("$/month (nodes)", "monthly", usd(&at("monthly", 0)), usd(&at("monthly", 1))) }
                        { row("CPU requested / allocatable", "cpu", pct(&at("cpu_utilization", 0)), pct(&at("cpu_utilization", 1))) }
                        { row("Memory requested / allocatable", "memory", pct(&at("memory_utilization", 0)), pct(&at("memory_utilization", 1))) }
                    </tbody>
                </table>
                if at("pods", 0) != at("pods", 1) {
                    <p class="help">{ format!("The plan runs {} pods where {} run today (desired replicas and pending pods are planned).", text(&at("pods", 1)), text(&at("pods", 0))) }</p>
                }
                <div class="toolbar">
                    <button id="cluster-today-json" onclick={save("today.json", &r.today_json)}>{ "Download today (JSON)" }</button>
                    <button id="cluster-plan-json" onclick={save("plan.json", &r.plan_json)}>{ "Download the plan (JSON)" }</button>
                </div>
            </section>
            <section class="panel">
                <h2>{ "Per pool" }</h2>
                <div class="figures">
                    <div>
                        <h3>{ "Today, by node pool" }</h3>
                        <div class="table-wrap">{ pools_table("cluster-today-pools", &v["pools"]["today"]) }</div>
                    </div>
                    <div>
                        <h3>{ "The plan, by instance type, purchase option and zone" }</h3>
                        <div class="table-wrap">{ pools_table("cluster-plan-pools", &v["pools"]["plan"]) }</div>
                    </div>
                </div>
            </section>
            <section class="panel">
                <h2>{ "Per purchase option and namespace" }</h2>
                <div class="figures">
                    <div class="table-wrap">{ changes_table("cluster-by-purchase", "Purchase option", &diff["by_purchase"]) }</div>
                    <div class="table-wrap">{ changes_table("cluster-by-namespace", "Namespace", &diff["by_namespace"]) }</div>
                </div>
                <p class="help">{ "As kplan diff today.json plan.json: each node's cost split over its pods' namespaces by pod count." }</p>
            </section>
            <Exports result={r.clone()} />
            <section class="panel">
                <h2>{ "What today's cluster breaks" }</h2>
                { items("cluster-breaks", &v["breaks"], "Today's cluster keeps every rule of its scenario.") }
                <h3>{ "Unpriced nodes (not in today's cost)" }</h3>
                { items("cluster-unpriced", &v["unpriced"], "Every node is priced.") }
                <h3>{ "Pending pods (planned, not placed today)" }</h3>
                { items("cluster-pending", &v["pending"], "No pod is pending.") }
                <h3>{ "Terminated pods (not counted)" }</h3>
                { items("cluster-terminated", &v["terminated"], "No pod has ended.") }
                <h3>{ "Reading" }</h3>
                <ul id="cluster-warnings" class="warnings">
                    { for warnings.iter().map(|w| html! {
                        <li><span class="sev">{ &w.severity }</span>{ " " }{ &w.message }</li>
                    }) }
                </ul>
            </section>
        </>
    }
}

#[function_component(Exports)]
fn exports(p: &ReportProps) -> Html {
    html! {
        <section class="panel" id="cluster-export">
            <h2>{ "Export the plan" }</h2>
            <p class="help">{ "The files kplan export plan.json --format F writes (cluster name kplan, 20% headroom, node class default)." }</p>
            <ul class="exports">
                { for p.result.exports.iter().map(|e| {
                    let id = format!("export-{}", e.format);
                    let label = format_label(&e.format);
                    match &e.files {
                        Ok(files) => {
                            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                            let files = files.clone();
                            let onclick = Callback::from(move |_| {
                                for f in &files {
                                    browser::download(&f.name, mime(&f.name), &f.text);
                                }
                            });
                            html! {
                                <li>
                                    <button id={id} {onclick}>{ format!("{label} ({})", e.format) }</button>
                                    <span class="card-note">{ format!(" {}", names.join(", ")) }</span>
                                </li>
                            }
                        }
                        Err(why) => html! {
                            <li>
                                <button id={id.clone()} disabled=true aria-describedby={format!("{id}-why")}>{ format!("{label} ({})", e.format) }</button>
                                <span class="card-note" id={format!("{id}-why")}>{ format!(" cannot export: {why}") }</span>
                            </li>
                        },
                    }
                }) }
            </ul>
        </section>
    }
}
