//! The what-if view: the scenario's variants and sweeps planned side by side, with the sweep
//! chart, the cost by purchase option and the base plan's packing.

use std::rc::Rc;

use kplan_core::plan::Plan;
use kplan_core::report::compare::{CompareRow, HEADER, cells, compare_rows};
use kplan_core::report::json::read_plan;
use kplan_core::report::{Figure, chart, csv};
use kplan_core::whatif;
use yew::prelude::*;

use super::app::ViewProps;
use super::browser;
use super::plan::Figures;
use crate::engine;
use crate::state::{Action, CompareResult, JobKind};

/// The comparison's rows and charts, rebuilt on the page from the worker's plans.
fn lined_up(result: &CompareResult) -> Result<(Vec<CompareRow>, Vec<Figure>), String> {
    let (study, _) = engine::study(&result.yaml)?;
    let cases = whatif::cases(&study).map_err(|e| whatif::problems_text(&e, "\n"))?;
    let plans: Vec<Result<Plan, String>> = result
        .cases
        .iter()
        .map(|c| match &c.plan {
            Ok(json) => read_plan(json, &c.label).map_err(|d| d.to_string()),
            Err(e) => Err(e.clone()),
        })
        .collect();
    let rows = compare_rows(&cases, &plans);
    let base = plans.first().and_then(|p| p.as_ref().ok());
    let figures = chart::compare_figures(&study, &rows, base);
    Ok((rows, figures))
}

#[derive(Clone, PartialEq, Properties)]
struct ResultProps {
    result: Rc<CompareResult>,
}

#[function_component(Comparison)]
fn comparison(p: &ResultProps) -> Html {
    let lined = use_memo(p.result.clone(), |r| lined_up(r));
    match &*lined {
        Err(e) => html! { <pre class="problems" role="alert">{ e }</pre> },
        Ok((rows, figures)) => {
            let csv_text = csv::compare_csv(rows);
            let export =
                Callback::from(move |_| browser::download("whatif.csv", "text/csv", &csv_text));
            html! {
                <>
                    <div class="table-wrap">
                        <table id="compare-table">
                            <thead><tr>{ for HEADER.iter().enumerate().map(|(i, h)| html! {
                                <th scope="col" class={classes!((i > 0).then_some("num"))}>{ *h }</th>
                            }) }</tr></thead>
                            <tbody>
                                { for rows.iter().map(|r| html! {
                                    <tr title={r.error.clone().unwrap_or_default()}>
                                        { for cells(r).into_iter().enumerate().map(|(i, c)| html! {
                                            <td class={classes!((i > 0).then_some("num"))}>{ c }</td>
                                        }) }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <div class="toolbar"><button id="export-compare" onclick={export}>{ "Export the comparison (CSV)" }</button></div>
                    <Figures figures={Rc::new(figures.clone())} prefix="whatif-" />
                </>
            }
        }
    }
}

/// The view.
#[function_component(WhatIf)]
pub fn what_if(p: &ViewProps) -> Html {
    let scenario = p.state.checked.as_ref().ok();
    let variants: Vec<String> =
        scenario.map(|s| s.variants.iter().map(|v| v.name.clone()).collect()).unwrap_or_default();
    let sweeps: Vec<String> = scenario
        .map(|s| {
            s.sweeps
                .iter()
                .map(|sw| format!("{} over {} values", sw.param.as_str(), sw.values.len()))
                .collect()
        })
        .unwrap_or_default();
    let run = p.dispatch.reform(|_| Action::Start(JobKind::Compare));
    let running = p.state.running.as_ref().is_some_and(|r| r.kind == JobKind::Compare);
    let nothing = variants.is_empty() && sweeps.is_empty();
    html! {
        <section class="panel">
            <h2>{ "What-if" }</h2>
            if nothing {
                <p>{ "This scenario has no variants or sweeps. Import a scenario with `variants:` and `sweeps:` (the example whatif-shop.yaml has both); the base is still planned alone." }</p>
            } else {
                <p>{ format!("Variants: {}. Sweeps: {}.",
                    if variants.is_empty() { "none".to_string() } else { variants.join(", ") },
                    if sweeps.is_empty() { "none".to_string() } else { sweeps.join("; ") }) }</p>
            }
            <div class="toolbar">
                <button id="compare" onclick={run} disabled={running || p.state.checked.is_err()}>{ "Plan every case" }</button>
            </div>
            { match &p.state.compare {
                None => html! {},
                Some(Err(e)) => html! { <pre class="problems" role="alert">{ e }</pre> },
                Some(Ok(r)) => html! { <Comparison result={r.clone()} /> },
            } }
        </section>
    }
}
