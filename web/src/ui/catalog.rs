//! The catalog and policies view: provider, region, families, architectures, purchase options,
//! zones; utilisation, overcommit, spot share, headroom, pods per node; the time limit.

use kplan_core::catalog::{Provider, builtin};
use kplan_core::policy::{Headroom, ppm_to_ratio};
use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::app::ViewProps;
use crate::state::{Action, count_value, number_value};

fn list_text(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(super::fmt::text).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

fn list_value(text: &str) -> Option<Value> {
    let items: Vec<Value> =
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| json!(s)).collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

/// The view.
#[function_component(Catalog)]
pub fn catalog(p: &ViewProps) -> Html {
    let state = &p.state;
    let scenario = state.checked.as_ref().ok().map(|s| &s.base);
    let provider: Option<Provider> =
        state.get("provider").and_then(Value::as_str).and_then(|s| s.parse().ok());
    let region = state.get("region").and_then(Value::as_str).unwrap_or_default().to_string();
    let set = |path: &'static str, convert: fn(&str) -> Option<Value>| {
        p.dispatch.reform(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::Set { path: path.to_string(), value: convert(&input.value()) }
        })
    };
    let on_provider = p.dispatch.reform(|e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        Action::SetProvider(s.value())
    });
    let on_region = p.dispatch.reform(|e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        Action::SetRegion(s.value())
    });
    let regions = match provider {
        Some(p) if p != Provider::Custom => builtin::catalog(p).regions(),
        _ => Vec::new(),
    };
    let families: Vec<String> = match provider {
        Some(p) if p != Provider::Custom => {
            let mut f: Vec<String> =
                builtin::catalog(p).types.iter().map(|t| t.family.clone()).collect();
            f.sort();
            f.dedup();
            f
        }
        _ => Vec::new(),
    };
    // Checkbox lists: arch and purchase options.
    let checks = |path: &'static str, options: &[&'static str], current: Vec<String>| {
        let boxes = options.iter().map(|&opt| {
            let checked = current.iter().any(|c| c == opt);
            let current = current.clone();
            let onchange = p.dispatch.reform(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut next: Vec<String> = current.iter().filter(|c| *c != opt).cloned().collect();
                if input.checked() {
                    next.push(opt.to_string());
                }
                Action::Set {
                    path: path.to_string(),
                    value: (!next.is_empty()).then(|| json!(next)),
                }
            });
            let id = format!("{}-{opt}", path.replace('.', "-"));
            html! {
                <label class="check" for={id.clone()}>
                    <input type="checkbox" id={id} {checked} {onchange} />{ opt }
                </label>
            }
        });
        boxes.collect::<Html>()
    };
    let arch: Vec<String> = match scenario {
        Some(s) if state.get("catalog.arch").is_some() => {
            s.catalog.arch.iter().map(|a| a.to_string()).collect()
        }
        _ => Vec::new(),
    };
    let purchase: Vec<String> =
        scenario.map(|s| s.purchase.iter().map(|p| p.to_string()).collect()).unwrap_or_default();
    let policy =
        scenario.map(|s| s.policy.clone()).unwrap_or_else(kplan_core::policy::default_policy);
    let utilization = ppm_to_ratio(policy.utilization.cpu);
    let spot_share = ppm_to_ratio(policy.spot_max_share);
    let headroom = match policy.headroom {
        Headroom::None => "none",
        Headroom::Node => "node",
        Headroom::Zone => "zone",
    };
    let on_headroom = p.dispatch.reform(|e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        Action::Set { path: "policy.headroom".into(), value: Some(json!(s.value())) }
    });
    let on_time_limit = p.dispatch.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::SetTimeLimit(input.value().trim().parse::<f64>().ok())
    });
    let spot_offered = purchase.iter().any(|p| p == "spot");
    let zones = scenario.map(|s| s.zones.join(", ")).unwrap_or_default();
    let zone_count = scenario.map_or(0, |s| s.zones.len());
    html! {
        <>
            <section class="panel">
                <h2>{ "Catalog" }</h2>
                <div class="grid">
                    <label for="provider">{ "Provider" }</label>
                    <select id="provider" onchange={on_provider}>
                        { for [Provider::Aws, Provider::Gcp, Provider::Azure].iter().map(|pr| html! {
                            <option value={pr.to_string()} selected={provider == Some(*pr)}>{ pr.to_string() }</option>
                        }) }
                        if provider == Some(Provider::Custom) { <option value="custom" selected=true>{ "custom" }</option> }
                    </select>
                    <label for="region">{ "Region" }</label>
                    <select id="region" onchange={on_region}>
                        { for regions.iter().map(|r| html! {
                            <option value={r.clone()} selected={*r == region}>{ r }</option>
                        }) }
                        if regions.is_empty() { <option selected=true>{ region.clone() }</option> }
                    </select>
                    <label for="families">{ "Families (comma-separated; empty = every family)" }</label>
                    <input id="families" type="text" list="family-list" value={list_text(state.get("catalog.families"))}
                        onchange={set("catalog.families", list_value)} />
                    <datalist id="family-list">{ for families.iter().map(|f| html! { <option value={f.clone()} /> }) }</datalist>
                    <label for="exclude">{ "Exclude types (globs, comma-separated)" }</label>
                    <input id="exclude" type="text" value={list_text(state.get("catalog.exclude"))}
                        onchange={set("catalog.exclude", list_value)} />
                    <label for="max-cpu">{ "Largest node (vCPU)" }</label>
                    <input id="max-cpu" type="text" value={state.get("catalog.max_cpu").map(super::fmt::text).unwrap_or_default()}
                        placeholder="any" onchange={set("catalog.max_cpu", crate::state::text_value)} />
                    <span class="label">{ "Architectures (none checked = both)" }</span>
                    <span class="checks">{ checks("catalog.arch", &["amd64", "arm64"], arch) }</span>
                    <span class="label">{ "Purchase options" }</span>
                    <span class="checks">{ checks("purchase", &["on-demand", "spot", "reserved-1y", "reserved-3y"], purchase) }</span>
                    <label for="zones">{ format!("Zones (comma-separated; {zone_count} now)") }</label>
                    <input id="zones" type="text" value={zones} onchange={set("zones", list_value)} />
                </div>
            </section>
            <section class="panel">
                <h2>{ "Policies" }</h2>
                <div class="grid">
                    <label for="utilization">{ "Utilisation target (requests ≤ this share of allocatable)" }</label>
                    <span class="slider">
                        <input id="utilization" type="range" min="0.5" max="1" step="0.05" value={format!("{utilization}")}
                            onchange={set("policy.utilization", number_value)} />
                        <output for="utilization">{ format!("{:.0}%", 100.0 * utilization) }</output>
                    </span>
                    <label for="overcommit-cpu">{ "CPU overcommit (limits ≤ × allocatable)" }</label>
                    <input id="overcommit-cpu" type="number" min="1" step="0.5" value={policy.overcommit.cpu.map(|x| ppm_to_ratio(x).to_string()).unwrap_or_default()} placeholder="no limit"
                        onchange={set("policy.overcommit.cpu", number_value)} />
                    <label for="overcommit-memory">{ "Memory overcommit (limits ≤ × allocatable)" }</label>
                    <input id="overcommit-memory" type="number" min="1" step="0.1" value={policy.overcommit.memory.map(|x| ppm_to_ratio(x).to_string()).unwrap_or_default()} placeholder="no limit"
                        onchange={set("policy.overcommit.memory", number_value)} />
                    <label for="spot-share">{ "Spot share (at most this share of vCPU on spot)" }</label>
                    <span class="slider">
                        <input id="spot-share" type="range" min="0" max="1" step="0.05" value={format!("{spot_share}")}
                            onchange={set("policy.spot.max_share", number_value)} />
                        <output id="spot-share-value" for="spot-share">{ format!("{:.0}%", 100.0 * spot_share) }</output>
                    </span>
                    if !spot_offered {
                        <span></span><span class="help">{ "Spot is not among the purchase options, so the share has no effect." }</span>
                    }
                    <label for="headroom">{ "Headroom" }</label>
                    <select id="headroom" onchange={on_headroom}>
                        <option value="none" selected={headroom == "none"}>{ "none" }</option>
                        <option value="node" selected={headroom == "node"}>{ "node: survive losing any one node" }</option>
                        <option value="zone" selected={headroom == "zone"}>{ "zone: survive losing any one zone" }</option>
                    </select>
                    <label for="max-pods">{ "Max pods per node (empty = the provider's limit)" }</label>
                    <input id="max-pods" type="number" min="1" value={policy.max_pods_per_node.map(|n| n.to_string()).unwrap_or_default()}
                        onchange={set("policy.max_pods_per_node", count_value)} />
                    <label for="time-limit">{ "Time limit (s; the plan and its finance comparison together; empty = the engine's own budget, the same plan every time)" }</label>
                    <input id="time-limit" type="number" min="0.5" step="0.5" value={state.time_limit.map(|t| t.to_string()).unwrap_or_default()}
                        onchange={on_time_limit} />
                </div>
            </section>
            if let Err(problems) = &state.checked {
                <section class="panel problems" role="alert">
                    <ul>{ for problems.iter().map(|pr| html! {
                        <li>{ match &pr.path { Some(path) => format!("{path}: {}", pr.message), None => pr.message.clone() } }</li>
                    }) }</ul>
                </section>
            }
        </>
    }
}
