//! The right-sizing view: usage files pasted, chosen or dropped (`kubectl top pods -A
//! --containers` text or the samples CSV), the strategy, then the recommendations, the plans
//! before and after, the risk, what was not used and the charts; the right-sized scenario can
//! be downloaded or used.

use std::rc::Rc;

use kplan_core::report::rightsize::bars_from_json;
use kplan_core::report::{Figure, chart};
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use super::fmt::{pct, text, usd};
use super::intake::{Intake, listed};
use super::plan::Figures;
use crate::protocol::RightsizeOptions;
use crate::state::{Action, JobKind, RightsizeResult};

/// Reads every chosen or dropped file and adds it as usage.
fn add_files(files: Option<web_sys::FileList>, dispatch: &Callback<Action>) {
    let Some(files) = files else { return };
    let done = {
        let dispatch = dispatch.clone();
        Callback::from(move |(name, text): (String, Result<String, String>)| match text {
            Ok(text) => dispatch.emit(Action::AddUsage { name, text }),
            Err(message) => dispatch.emit(Action::UsageFailed(message)),
        })
    };
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            browser::read_file(f, done.clone());
        }
    }
}

/// The view.
#[function_component(Rightsize)]
pub fn rightsize_view(p: &ViewProps) -> Html {
    html! {
        <>
            <UsageInput ..p.clone() />
            <Form ..p.clone() />
            { match &p.state.rightsize {
                None => html! {},
                Some(Err(message)) => html! {
                    <section class="panel problems" role="alert">
                        <h2>{ "Not right-sized" }</h2>
                        <pre id="rightsize-error">{ message }</pre>
                    </section>
                },
                Some(Ok(r)) => html! { <Report result={r.clone()} dispatch={p.dispatch.clone()} /> },
            } }
        </>
    }
}

#[function_component(UsageInput)]
fn usage_input(p: &ViewProps) -> Html {
    let on_paste = p.dispatch.reform(|t: String| {
        let name = if t.trim_start().to_ascii_lowercase().starts_with("timestamp") {
            "pasted.csv"
        } else {
            "pasted.txt"
        };
        Action::AddUsage { name: name.to_string(), text: t }
    });
    let on_files = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |files: web_sys::FileList| add_files(Some(files), &dispatch))
    };
    let state = &p.state;
    html! {
        <Intake id="usage" title="Observed usage"
            help="Paste or drop `kubectl top pods -A --containers` output (one or more snapshots) or a CSV of samples exported from Prometheus with the header timestamp,namespace,pod,container,cpu,memory (CPU in cores, memory in bytes; docs/rightsize.md has the PromQL). Several files add up; nothing leaves this page."
            text_label="Usage text" add_label="Add pasted usage" accept=".txt,.csv,.log"
            files={listed(&state.usage)} errors={state.usage_errors.clone()}
            {on_paste} {on_files} on_remove={p.dispatch.reform(Action::RemoveUsage)}>
            if !state.usage_notes.is_empty() {
                <ul class="notes">{ for state.usage_notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
        </Intake>
    }
}

#[function_component(Form)]
fn form(p: &ViewProps) -> Html {
    let o = p.state.rightsize_options.clone();
    let set = |f: fn(&mut RightsizeOptions, String)| {
        let o = o.clone();
        p.dispatch.reform(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(s) => s.value(),
                None => {
                    let i: HtmlInputElement = e.target_unchecked_into();
                    if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() }
                }
            };
            let mut next = o.clone();
            f(&mut next, value);
            Action::SetRightsizeOptions(next)
        })
    };
    let on_strategy = set(|o, v| o.strategy = v);
    let on_limits = set(|o, v| o.limits = (!v.is_empty()).then_some(v));
    let on_rounding = set(|o, v| o.rounding = (!v.is_empty()).then_some(v));
    let on_hpa = set(|o, v| o.allow_hpa = v == "true");
    let on_samples = set(|o, v| o.min_samples = v.trim().parse().ok());
    let run = p.dispatch.reform(|_| Action::Start(JobKind::Rightsize));
    let running = p.state.running.as_ref().is_some_and(|r| r.kind == JobKind::Rightsize);
    let option = |value: &str, label: &str, current: &Option<String>| {
        let selected = current.as_deref().unwrap_or("") == value;
        html! { <option value={value.to_string()} {selected}>{ label }</option> }
    };
    html! {
        <section class="panel">
            <h2>{ "Strategy" }</h2>
            <div class="grid">
                <label for="rs-strategy">{ "Strategy" }</label>
                <select id="rs-strategy" onchange={on_strategy}>
                    <option value="simple" selected={o.strategy == "simple"}>{ "simple (krr's: CPU at the largest per-pod p95, memory at the peak + 15%)" }</option>
                    <option value="percentile" selected={o.strategy == "percentile"}>{ "percentile (CPU p95, memory p99 + 15% of all samples)" }</option>
                </select>
                <label for="rs-limits">{ "Limits" }</label>
                <select id="rs-limits" onchange={on_limits}>
                    { option("", "the strategy's (simple: remove-cpu, percentile: keep-ratio)", &o.limits) }
                    { option("remove-cpu", "remove CPU limits, memory limit = request", &o.limits) }
                    { option("keep", "keep limits", &o.limits) }
                    { option("keep-ratio", "keep each limit's ratio to its request", &o.limits) }
                </select>
                <label for="rs-rounding">{ "Rounding" }</label>
                <select id="rs-rounding" onchange={on_rounding}>
                    { option("", "the strategy's (simple: exact, percentile: friendly)", &o.rounding) }
                    { option("exact", "exact (1m, 1Mi)", &o.rounding) }
                    { option("friendly", "friendly (steps that grow with the amount)", &o.rounding) }
                </select>
                <label for="rs-min-samples">{ "Fewest samples per resource" }</label>
                <input id="rs-min-samples" type="number" min="1" placeholder="100"
                    value={o.min_samples.map(|n| n.to_string()).unwrap_or_default()} onchange={on_samples} />
                <label for="rs-allow-hpa">{ "Autoscaled workloads" }</label>
                <span class="check"><input id="rs-allow-hpa" type="checkbox" checked={o.allow_hpa} onchange={on_hpa} />
                    { " right-size them too (their HPA targets are relative to requests)" }</span>
            </div>
            <div class="toolbar">
                <button id="rightsize" onclick={run}
                    disabled={running || p.state.usage.is_empty() || p.state.checked.is_err()}>{ "Right-size and plan before and after" }</button>
            </div>
        </section>
    }
}

#[derive(Clone, PartialEq, Properties)]
struct ReportProps {
    result: Rc<RightsizeResult>,
    dispatch: Callback<Action>,
}

fn request(res: &Value) -> String {
    let q = |v: &Value| v.as_str().unwrap_or("none").to_string();
    if !res["kept"].is_null() {
        return format!("{} (kept)", q(&res["request"]["before"]));
    }
    let (b, a) = (q(&res["request"]["before"]), q(&res["request"]["after"]));
    if a == b { b } else { format!("{b} → {a}") }
}

fn limit(res: &Value) -> String {
    let q = |v: &Value| v.as_str().unwrap_or("none").to_string();
    let (b, a) = (q(&res["limit"]["before"]), q(&res["limit"]["after"]));
    if a == b { b } else { format!("{b} → {a}") }
}

#[function_component(Report)]
fn report(p: &ReportProps) -> Html {
    let v = &p.result.value;
    let figures: Rc<Vec<Figure>> = {
        let value = p.result.value.clone();
        use_memo(p.result.json.clone(), move |_| chart::rightsize_figures(&bars_from_json(&value)))
    };
    let name = text(&v["scenario"]);
    let save_yaml = {
        let (yaml, file) = (p.result.scenario_yaml.clone(), format!("{name}-right-sized.yaml"));
        Callback::from(move |_| browser::download(&file, "application/yaml", &yaml))
    };
    let save_json = {
        let (json, file) = (p.result.json.clone(), format!("{name}-rightsize.json"));
        Callback::from(move |_| browser::download(&file, "application/json", &json))
    };
    let use_it = p.dispatch.reform(|_| Action::UseRightsized);
    let (before, after, saving) =
        (&v["plans"]["before"], &v["plans"]["after"], &v["plans"]["saving"]);
    let recs = v["recommendations"].as_array().cloned().unwrap_or_default();
    let unmatched = v["unmatched"].as_array().cloned().unwrap_or_default();
    let statement = v["risk"]["statement"].as_array().cloned().unwrap_or_default();
    html! {
        <>
            <section class="panel">
                <h2>{ "Before and after" }</h2>
                <div class="cards">
                    <div class="card"><div class="card-title">{ "Before" }</div>
                        <div class="card-value" id="rs-before">{ format!("{}/month", usd(&before["monthly"])) }</div>
                        <div class="card-note">{ format!("{} nodes · {}", text(&before["nodes"]), if before["verified"] == true { "verified" } else { "NOT verified" }) }</div></div>
                    <div class="card"><div class="card-title">{ "After" }</div>
                        <div class="card-value" id="rs-after">{ format!("{}/month", usd(&after["monthly"])) }</div>
                        <div class="card-note">{ format!("{} nodes · {}", text(&after["nodes"]), if after["verified"] == true { "verified" } else { "NOT verified" }) }</div></div>
                    <div class="card"><div class="card-title">{ "Saves" }</div>
                        <div class="card-value" id="rs-saving">{ format!("{}/month", usd(&saving["monthly"])) }</div>
                        <div class="card-note">{ format!("{} · nodes {} → {}", pct(&saving["fraction"]), text(&before["nodes"]), text(&after["nodes"])) }</div></div>
                </div>
                if v["plans"]["engine_after_monthly"].is_number() {
                    <p class="help">{ format!("The engine's plan for the right-sized scenario costs {}/month; the plan before runs the right-sized workloads too (verified) and costs less, so it is the plan after.", usd(&v["plans"]["engine_after_monthly"])) }</p>
                }
                <p class="help">{ format!("Lower bounds: {}/month before, {}/month after. {}", usd(&before["bound_monthly"]), usd(&after["bound_monthly"]), text(&v["settings"]["description"])) }</p>
                <div class="toolbar">
                    <button id="rs-use" onclick={use_it}>{ "Use the right-sized scenario" }</button>
                    <button id="rs-export-yaml" onclick={save_yaml}>{ "Download the right-sized scenario (YAML)" }</button>
                    <button id="rs-export-json" onclick={save_json}>{ "Download the report (JSON)" }</button>
                </div>
            </section>
            <section class="panel">
                <h2>{ "Recommendations" }</h2>
                <div class="table-wrap">
                    <table id="rs-table">
                        <thead><tr>
                            <th scope="col">{ "Workload" }</th><th scope="col">{ "Container" }</th>
                            <th scope="col" class="num">{ "Pods" }</th><th scope="col" class="num">{ "Samples" }</th>
                            <th scope="col" class="num">{ "CPU peak" }</th><th scope="col">{ "CPU request" }</th>
                            <th scope="col" class="num">{ "Memory peak" }</th><th scope="col">{ "Memory request" }</th>
                            <th scope="col">{ "Limits CPU / memory" }</th><th scope="col">{ "Note" }</th>
                        </tr></thead>
                        <tbody>
                            { for recs.iter().map(|r| {
                                let kept = [&r["cpu"]["kept"], &r["memory"]["kept"]]
                                    .iter()
                                    .filter_map(|k| k["detail"].as_str().map(str::to_string))
                                    .collect::<Vec<_>>();
                                let mut notes = kept;
                                notes.dedup();
                                notes.extend(r["notes"].as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_string)));
                                let peak_mem = r["memory"]["peak_bytes"].as_u64()
                                    .map_or("—".to_string(), |b| kplan_core::quantity::Bytes(b).human());
                                let peak_cpu = r["cpu"]["peak_millicores"].as_u64()
                                    .map_or("—".to_string(), |m| kplan_core::quantity::Cpu(m).to_string());
                                html! {
                                    <tr class={classes!((r["changed"] == true).then_some("changed"))}>
                                        <td>{ text(&r["workload"]) }</td><td>{ text(&r["container"]) }</td>
                                        <td class="num">{ text(&r["pods"]) }</td><td class="num">{ text(&r["cpu"]["samples"]) }</td>
                                        <td class="num">{ peak_cpu }</td><td>{ request(&r["cpu"]) }</td>
                                        <td class="num">{ peak_mem }</td><td>{ request(&r["memory"]) }</td>
                                        <td>{ format!("{} / {}", limit(&r["cpu"]), limit(&r["memory"])) }</td>
                                        <td class="reason">{ notes.join("; ") }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                <Figures figures={figures} prefix={AttrValue::from(format!("{name}-"))} />
            </section>
            <section class="panel">
                <h2>{ "Risk" }</h2>
                <ul id="rs-risk">{ for statement.iter().map(|s| html! { <li>{ text(s) }</li> }) }</ul>
                <h3>{ format!("Not used ({})", unmatched.len()) }</h3>
                if unmatched.is_empty() {
                    <p>{ "Every pod and container matched a workload." }</p>
                } else {
                    <ul id="rs-unmatched" class="notes">
                        { for unmatched.iter().map(|u| {
                            let what = match u["container"].as_str() {
                                Some(c) => format!("{}/{} container {c}", text(&u["namespace"]), text(&u["pod"])),
                                None => format!("{}/{}", text(&u["namespace"]), text(&u["pod"])),
                            };
                            html! { <li>{ format!("{what} ({}:{}:{}, {} samples): {}", text(&u["source"]), text(&u["line"]), text(&u["column"]), text(&u["samples"]), text(&u["reason"])) }</li> }
                        }) }
                    </ul>
                }
            </section>
        </>
    }
}
