//! The finance view: all on-demand, reserved, spot and the optimal blend side by side; the
//! break-even of reserving; cost by namespace and owner; the commitment planner.

use kplan_core::report::json::plan::ShareDto;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use super::fmt::{pct, usd, usd_hourly};
use crate::state::{Action, JobKind};

fn allocation_table(id: &str, key: &str, rows: &[ShareDto]) -> Html {
    html! {
        <table id={id.to_string()}>
            <thead><tr>
                <th scope="col">{ key }</th><th scope="col" class="num">{ "CPU $/month" }</th>
                <th scope="col" class="num">{ "Memory $/month" }</th><th scope="col" class="num">{ "GPU $/month" }</th>
                <th scope="col" class="num">{ "Storage $/month" }</th><th scope="col" class="num">{ "Total $/month" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td>{ r.namespace.as_ref().or(r.owner.as_ref()).cloned().unwrap_or_default() }</td>
                        <td class="num">{ usd(&r.cpu_monthly) }</td>
                        <td class="num">{ usd(&r.memory_monthly) }</td>
                        <td class="num">{ usd(&r.gpu_monthly) }</td>
                        <td class="num">{ usd(&r.storage_monthly) }</td>
                        <td class="num">{ usd(&r.monthly) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// The view.
#[function_component(Finance)]
pub fn finance(p: &ViewProps) -> Html {
    let plan = match &p.state.plan {
        Some(Ok(r)) => Some(r.clone()),
        _ => None,
    };
    let comparison = match &plan {
        None => {
            html! { <p>{ "The four-way comparison appears once the scenario is planned (see Plan)." }</p> }
        }
        Some(r) => {
            let v = &r.plan;
            let variants = v.finance.as_ref().map_or(&[][..], |f| &f.variants[..]);
            let on_demand =
                variants.iter().find(|x| x.name == "all-on-demand").and_then(|x| x.monthly);
            let rows = variants.iter().map(|x| {
                let break_even = match (x.monthly, on_demand) {
                    (Some(m), Some(od)) if x.name.starts_with("reserved") && od > 0.0 => {
                        format!("pays off above {:.0}% of the hours", 100.0 * m / od)
                    }
                    _ => "—".to_string(),
                };
                let risk = x.spot_risk.as_ref();
                let interruptions = risk
                    .map_or("—".to_string(), |r| format!("{:.2}", r.expected_interruptions_per_month));
                let or_dash = |n: Option<u64>| n.map_or("—".to_string(), |n| n.to_string());
                if x.monthly.is_some() {
                    html! {
                        <tr>
                            <td>{ &x.name }</td>
                            <td class="num">{ usd(&x.monthly) }</td>
                            <td class="num">{ usd(&x.yearly) }</td>
                            <td class="num">{ format!("{} ({})", usd(&x.savings_monthly), pct(&x.savings_fraction)) }</td>
                            <td class="num">{ or_dash(x.nodes) }</td>
                            <td class="num">{ or_dash(risk.map(|r| r.spot_nodes)) }</td>
                            <td class="num">{ interruptions }</td>
                            <td>{ break_even }</td>
                        </tr>
                    }
                } else {
                    html! { <tr><td>{ &x.name }</td><td colspan="7">{ format!("no plan: {}", x.error.as_deref().unwrap_or("—")) }</td></tr> }
                }
            });
            let (by_namespace, by_owner) = (&v.cost.by_namespace, &v.cost.by_owner);
            html! {
                <>
                    <div class="table-wrap">
                        <table id="finance-table">
                            <thead><tr>
                                <th scope="col">{ "Buying" }</th><th scope="col" class="num">{ "$/month" }</th>
                                <th scope="col" class="num">{ "$/year" }</th><th scope="col" class="num">{ "Saves per month" }</th>
                                <th scope="col" class="num">{ "Nodes" }</th><th scope="col" class="num">{ "Spot nodes" }</th>
                                <th scope="col" class="num">{ "Interruptions/month" }</th><th scope="col">{ "Break-even against on-demand" }</th>
                            </tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    </div>
                    <p class="help">{ format!("Spot at most {} of vCPU; the break-even is the share of hours a reserved node must be needed for reserving to cost less than paying on demand for those hours.", pct(&v.finance.as_ref().map(|f| f.spot_cap))) }</p>
                    <h3>{ "Cost by namespace" }</h3>
                    <div class="table-wrap">{ allocation_table("by-namespace", "namespace", by_namespace) }</div>
                    <h3>{ "Cost by owner" }</h3>
                    <div class="table-wrap">{ allocation_table("by-owner", "owner", by_owner) }</div>
                    <p class="help">{ format!("Idle capacity: {}/month ({} of the nodes' cost). Rates: {} per vCPU-hour, {} per GiB-hour ({}).",
                        usd(&v.cost.idle.monthly), pct(&v.cost.idle.fraction),
                        usd_hourly(&v.cost.allocation_rates.usd_per_vcpu_hour),
                        usd_hourly(&v.cost.allocation_rates.usd_per_gib_hour),
                        v.cost.allocation_rates.basis) }</p>
                </>
            }
        }
    };
    html! {
        <>
            <section class="panel">
                <h2>{ "On-demand, reserved, spot and the optimal blend" }</h2>
                { comparison }
            </section>
            <Commitment ..p.clone() />
        </>
    }
}

/// The commitment planner: a load profile in, the reserved baseline out.
#[function_component(Commitment)]
fn commitment(p: &ViewProps) -> Html {
    let on_profile = p.dispatch.reform(|e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        Action::SetProfile(area.value())
    });
    let on_file = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                let dispatch = dispatch.clone();
                browser::read_file(
                    file,
                    Callback::from(move |(_, text): (String, Result<String, String>)| {
                        if let Ok(t) = text {
                            dispatch.emit(Action::SetProfile(t));
                        }
                    }),
                );
            }
        })
    };
    let run = p.dispatch.reform(|_| Action::Start(JobKind::Commit));
    let running = p.state.running.as_ref().is_some_and(|r| r.kind == JobKind::Commit);
    let result = match &p.state.commit {
        None => html! {},
        Some(Err(message)) => {
            html! { <pre class="problems" id="commit-error" role="alert">{ message }</pre> }
        }
        Some(Ok(r)) => {
            let v = &r.report;
            let markdown = r.markdown.clone();
            let name = format!("{}-commitment.md", v.scenario);
            let export =
                Callback::from(move |_| browser::download(&name, "text/markdown", &markdown));
            html! {
                <>
                    <div class="cards">
                        <div class="card"><div class="card-title">{ "With the commitment" }</div>
                            <div class="card-value" id="commit-monthly">{ format!("{}/month", usd(&v.monthly)) }</div>
                            <div class="card-note">{ format!("committed {} + on-demand {} + spot {}", usd(&v.monthly_committed), usd(&v.monthly_on_demand), usd(&v.monthly_spot)) }</div></div>
                        <div class="card"><div class="card-title">{ "Without a commitment" }</div>
                            <div class="card-value">{ format!("{}/month", usd(&v.monthly_no_commitment)) }</div>
                            <div class="card-note">{ format!("all on-demand {}/month", usd(&v.monthly_all_on_demand)) }</div></div>
                        <div class="card"><div class="card-title">{ "Saves" }</div>
                            <div class="card-value">{ format!("{}/month", usd(&v.savings_monthly)) }</div>
                            <div class="card-note">{ format!("{} · coverage {} · utilisation {}", pct(&v.savings_fraction), pct(&v.coverage), pct(&v.utilisation)) }</div></div>
                    </div>
                    <div class="table-wrap">
                        <table id="commit-table">
                            <thead><tr>
                                <th scope="col">{ "Family" }</th><th scope="col">{ "Option" }</th>
                                <th scope="col" class="num">{ "vCPU committed" }</th><th scope="col" class="num">{ "$/vCPU-hour" }</th>
                                <th scope="col" class="num">{ "Break-even utilisation" }</th><th scope="col" class="num">{ "Expected utilisation" }</th>
                                <th scope="col" class="num">{ "$/month" }</th>
                            </tr></thead>
                            <tbody>
                                { for v.commitments.iter().map(|c| html! {
                                    <tr>
                                        <td>{ c.family.clone() }</td><td>{ c.option.clone() }</td>
                                        <td class="num">{ c.vcpus.to_string() }</td>
                                        <td class="num">{ usd_hourly(&c.hourly_per_vcpu) }</td>
                                        <td class="num">{ pct(&c.break_even_utilisation) }</td>
                                        <td class="num">{ pct(&c.utilisation) }</td>
                                        <td class="num">{ usd(&c.monthly) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <div class="toolbar"><button id="export-commit" onclick={export}>{ "Export the report (Markdown)" }</button></div>
                </>
            }
        }
    };
    html! {
        <section class="panel">
            <h2>{ "Commitment planner" }</h2>
            <p class="help">{ "An hourly load profile (CSV with columns hour,scale; scale multiplies every workload's replicas within its autoscaling bounds). Each load level is planned, then the reserved baseline that minimises the month's cost is chosen. Starts with the weekly profile shipped with the examples." }</p>
            <label for="profile">{ "Load profile (hour,scale)" }</label>
            <textarea id="profile" rows="6" spellcheck="false" value={p.state.profile.clone()} oninput={on_profile} />
            <div class="toolbar">
                <label for="profile-file" class="file">{ "Upload a profile: " }</label>
                <input id="profile-file" type="file" accept=".csv,.txt" onchange={on_file} />
                <button id="commit" onclick={run} disabled={running || p.state.checked.is_err()}>{ "Plan the commitment" }</button>
            </div>
            { result }
        </section>
    }
}
