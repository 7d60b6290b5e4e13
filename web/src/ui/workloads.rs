//! The workloads view: the editable table, import by paste, file or drop, export as YAML.

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use crate::state::{Action, count_value, text_value};

/// One editable column: the document field under the workload, its heading (with units), and
/// how a cell's text becomes a value.
struct Column {
    field: &'static str,
    heading: &'static str,
    hint: &'static str,
    value: fn(&str) -> Option<Value>,
}

const COLUMNS: &[Column] = &[
    Column { field: "name", heading: "Name", hint: "", value: text_value },
    Column { field: "namespace", heading: "Namespace", hint: "default", value: text_value },
    Column { field: "owner", heading: "Owner", hint: "team", value: text_value },
    Column { field: "replicas", heading: "Replicas", hint: "1", value: count_value },
    Column {
        field: "requests.cpu",
        heading: "CPU request (cores or m)",
        hint: "500m",
        value: text_value,
    },
    Column {
        field: "requests.memory",
        heading: "Memory request (Mi, Gi)",
        hint: "512Mi",
        value: text_value,
    },
    Column {
        field: "limits.cpu",
        heading: "CPU limit (cores or m)",
        hint: "none",
        value: text_value,
    },
    Column {
        field: "limits.memory",
        heading: "Memory limit (Mi, Gi)",
        hint: "none",
        value: text_value,
    },
    Column {
        field: "max_per_node",
        heading: "Max per node (pods)",
        hint: "any",
        value: count_value,
    },
];

fn cell_text(w: &Value, field: &str) -> String {
    field.split('.').try_fold(w, |v, k| v.get(k)).map(super::fmt::text).unwrap_or_default()
}

/// The view.
#[function_component(Workloads)]
pub fn workloads(p: &ViewProps) -> Html {
    let state = &p.state;
    let problems = state.checked.as_ref().err().cloned().unwrap_or_default();
    let scenario = state.checked.as_ref().ok().map(|s| &s.base);
    let bad = |i: usize, field: &str| {
        let prefix = format!("workloads[{i}].{field}");
        problems.iter().any(|pr| pr.path.as_deref().is_some_and(|x| x.starts_with(&prefix)))
    };
    let rows = state.workloads().iter().enumerate().map(|(i, w)| {
        let name = cell_text(w, "name");
        let per_container = w.get("containers").is_some();
        let cells = COLUMNS.iter().map(|c| {
            let resource = c.field.starts_with("requests.") || c.field.starts_with("limits.");
            if per_container && resource {
                // Containers carry their own requests: show the pod's effective request, read-only.
                let effective = scenario.and_then(|s| s.workloads.get(i)).map(|wl| {
                    let r = if c.field.starts_with("requests.") { &wl.pod.requests } else { &wl.pod.limits };
                    if c.field.ends_with("cpu") { r.cpu.to_string() } else { r.memory.to_string() }
                });
                return html! {
                    <td class="derived" title="per container in the scenario; the pod's effective value">
                        { effective.unwrap_or_default() }{ " (pod)" }
                    </td>
                };
            }
            let path = format!("workloads.{i}.{}", c.field);
            let convert = c.value;
            let onchange = p.dispatch.reform(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                Action::Set { path: path.clone(), value: convert(&input.value()) }
            });
            let label = format!("{} {}", if name.is_empty() { "new workload" } else { &name }, c.heading);
            html! {
                <td class={classes!(bad(i, c.field).then_some("bad"))}>
                    <input type="text" aria-label={label} value={cell_text(w, c.field)}
                        placeholder={c.hint} {onchange} />
                </td>
            }
        });
        let spot = w.get("spot").and_then(Value::as_bool).unwrap_or(false);
        let spot_path = format!("workloads.{i}.spot");
        let on_spot = p.dispatch.reform(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::Set {
                path: spot_path.clone(),
                value: input.checked().then_some(Value::Bool(true)),
            }
        });
        let duplicate = p.dispatch.reform(move |_| Action::DuplicateWorkload(i));
        let delete = p.dispatch.reform(move |_| Action::DeleteWorkload(i));
        html! {
            <tr>
                { for cells }
                <td class="center">
                    <input type="checkbox" aria-label={format!("{name} may run on spot")} checked={spot} onchange={on_spot} />
                </td>
                <td class="actions">
                    <button onclick={duplicate} aria-label={format!("Duplicate {name}")}>{ "Duplicate" }</button>
                    <button onclick={delete} aria-label={format!("Delete {name}")}>{ "Delete" }</button>
                </td>
            </tr>
        }
    });
    let add = p.dispatch.reform(|_| Action::AddWorkload);
    let yaml = state.yaml();
    let file_name = format!("{}.yaml", scenario.map_or("scenario".to_string(), |s| s.name.clone()));
    let export = Callback::from(move |_| browser::download(&file_name, "application/yaml", &yaml));
    let daemonsets: Vec<String> = state
        .doc
        .get("daemonsets")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|d| cell_text(d, "name")).collect())
        .unwrap_or_default();
    html! {
        <>
            <section class="panel">
                <h2>{ "Workloads" }</h2>
                <p class="help">{ "Quantities in Kubernetes notation: CPU in cores (0.5, 2) or millicores (250m); memory with Ki/Mi/Gi or k/M/G. Edits are re-planned after a short pause." }</p>
                <div class="table-wrap">
                    <table id="workloads-table">
                        <thead><tr>
                            { for COLUMNS.iter().map(|c| html! { <th scope="col">{ c.heading }</th> }) }
                            <th scope="col">{ "Spot" }</th>
                            <th scope="col">{ "Actions" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                <div class="toolbar">
                    <button id="add-workload" onclick={add}>{ "Add workload" }</button>
                    <button id="export-yaml" onclick={export}>{ "Export scenario (YAML)" }</button>
                </div>
                if !daemonsets.is_empty() {
                    <p class="help">{ format!("DaemonSets (taken from every node): {}", daemonsets.join(", ")) }</p>
                }
                <Problems ..p.clone() />
            </section>
            <Import ..p.clone() />
        </>
    }
}

/// The document's problems, by field path.
#[function_component(Problems)]
fn problems(p: &ViewProps) -> Html {
    match &p.state.checked {
        Ok(_) => html! {},
        Err(problems) => html! {
            <div class="problems" role="alert">
                <h3>{ format!("{} problem(s); the plan waits until they are fixed", problems.len()) }</h3>
                <ul id="problems">
                    { for problems.iter().map(|pr| html! {
                        <li>{ match &pr.path { Some(path) => format!("{path}: {}", pr.message), None => pr.message.clone() } }</li>
                    }) }
                </ul>
            </div>
        },
    }
}

/// Import by paste, file or drop: a kplan scenario, or Kubernetes manifests (which replace the workloads).
#[function_component(Import)]
fn import(p: &ViewProps) -> Html {
    let text = use_state(String::new);
    let dragging = use_state(|| false);
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let import_pasted = {
        let text = text.clone();
        p.dispatch
            .reform(move |_| Action::Import { name: "pasted.yaml".into(), text: (*text).clone() })
    };
    let imported = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |(name, text): (String, Result<String, String>)| match text {
            Ok(text) => dispatch.emit(Action::Import { name, text }),
            Err(message) => dispatch.emit(Action::ImportFailed(message)),
        })
    };
    let on_file = {
        let imported = imported.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                browser::read_file(file, imported.clone());
            }
            input.set_value("");
        })
    };
    let [on_drag_over, on_drag_leave, on_drop] = browser::drop_zone(
        dragging.clone(),
        Callback::from(move |files: web_sys::FileList| {
            if let Some(file) = files.get(0) {
                browser::read_file(file, imported.clone());
            }
        }),
    );
    let state = &p.state;
    html! {
        <section class={classes!("panel", "import", (*dragging).then_some("dragging"))}
            ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <h2>{ "Import" }</h2>
            <p class="help">{ "Paste or drop a kplan scenario (it replaces everything) or Kubernetes manifests — Deployments, StatefulSets, DaemonSets, Jobs, as kubectl or helm print them (they replace the workloads; policies and catalog stay)." }</p>
            <label for="import-text">{ "Scenario or manifests (YAML or JSON)" }</label>
            <textarea id="import-text" rows="8" spellcheck="false" value={(*text).clone()} oninput={on_text} />
            <div class="toolbar">
                <button id="import" onclick={import_pasted} disabled={text.trim().is_empty()}>{ "Import pasted text" }</button>
                <label for="import-file" class="file">{ "…or choose a file: " }</label>
                <input id="import-file" type="file" accept=".yaml,.yml,.json" onchange={on_file} />
            </div>
            if !state.import_errors.is_empty() {
                <div class="problems" role="alert">
                    <h3>{ "Not imported; nothing changed:" }</h3>
                    <ul id="import-errors">
                        { for state.import_errors.iter().map(|e| html! { <li><pre>{ e }</pre></li> }) }
                    </ul>
                </div>
            }
            if !state.notes.is_empty() {
                <ul id="import-notes" class="notes">
                    { for state.notes.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
        </section>
    }
}
