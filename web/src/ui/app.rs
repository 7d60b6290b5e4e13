//! The root component: header (example menu, job bar), tabs, the view, and the effects.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::browser::{self, WorkerHost};
use super::{catalog, cluster, finance, plan, rightsize, whatif, workloads};
use crate::share;
use crate::state::{Action, FIRST_EXAMPLE, JobKind, State, View};

/// How long the document must stay unchanged before it is planned again.
pub const REPLAN_PAUSE_MS: u32 = 600;

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// What every view gets: the state and a way to change it.
#[derive(Clone, PartialEq, Properties)]
pub struct ViewProps {
    /// The state (compared by identity: every change makes a new one).
    pub state: UseReducerHandle<State>,
    /// Applies an action.
    pub dispatch: Callback<Action>,
}

/// The state a page starts with: the scenario in the link, else the saved one, else an example.
fn initial_state() -> State {
    match share::decode(&browser::fragment()) {
        Some(Ok(text)) => {
            if let Some(s) = State::restored(&text, "link") {
                return s;
            }
            let mut s = State::with_example(FIRST_EXAMPLE);
            s.import_errors =
                vec!["the link's scenario is not valid; an example was loaded".into()];
            return s;
        }
        Some(Err(message)) => {
            let mut s = State::with_example(FIRST_EXAMPLE);
            s.import_errors = vec![message];
            return s;
        }
        None => {}
    }
    browser::stored()
        .and_then(|(text, source)| State::restored(&text, &source))
        .unwrap_or_else(|| State::with_example(FIRST_EXAMPLE))
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let dispatch = {
        let d = state.dispatcher();
        Callback::from(move |a: Action| d.dispatch(a))
    };
    let worker: Rc<RefCell<Option<(u64, WorkerHost)>>> = use_mut_ref(|| None);

    // The worker of the current generation, and the job in flight posted to it once.
    {
        let running = state.running.as_ref().map(|r| r.id);
        let generation = state.worker_generation;
        let job = state.job();
        let dispatch = dispatch.clone();
        use_effect_with((running, generation), move |_| {
            let mut slot = worker.borrow_mut();
            if slot.as_ref().map(|(g, _)| *g) != Some(generation) {
                *slot = None; // terminates the old worker
                let on_reply = dispatch.reform(Action::Reply);
                let on_failure = dispatch.reform(Action::WorkerFailed);
                match WorkerHost::spawn(on_reply, on_failure.clone()) {
                    Ok(host) => *slot = Some((generation, host)),
                    Err(message) => on_failure.emit(message),
                }
            }
            if let (Some(job), Some((_, host))) = (job, slot.as_ref()) {
                host.post(&job);
            }
        });
    }

    // Re-plan after a pause in editing; save the scenario in local storage and in the link.
    {
        let valid = state.checked.is_ok();
        let yaml = state.yaml();
        let source = state.source.clone();
        let dispatch = dispatch.clone();
        use_effect_with(state.revision, move |_| {
            browser::save(&yaml, &source);
            browser::set_fragment(&share::encode(&yaml));
            let timer = valid.then(|| {
                Timeout::new(REPLAN_PAUSE_MS, move || dispatch.emit(Action::Start(JobKind::Plan)))
            });
            move || drop(timer)
        });
    }

    let props = ViewProps { state: state.clone(), dispatch: dispatch.clone() };
    let view = match state.view {
        View::Workloads => html! { <workloads::Workloads ..props.clone() /> },
        View::Catalog => html! { <catalog::Catalog ..props.clone() /> },
        View::Plan => html! { <plan::PlanView ..props.clone() /> },
        View::Finance => html! { <finance::Finance ..props.clone() /> },
        View::WhatIf => html! { <whatif::WhatIf ..props.clone() /> },
        View::Rightsize => html! { <rightsize::Rightsize ..props.clone() /> },
        View::Cluster => html! { <cluster::ClusterView ..props.clone() /> },
    };
    html! {
        <>
            <header class="top">
                <h1>{ "kplan" }<span class="sub">{ " capacity and cost planner" }</span></h1>
                <ExampleMenu ..props.clone() />
                <JobBar ..props.clone() />
            </header>
            <nav class="tabs" role="tablist" aria-label="Views">
                { for View::ALL.iter().map(|&v| {
                    let onclick = dispatch.reform(move |_| Action::SetView(v));
                    let selected = state.view == v;
                    html! {
                        <button id={format!("tab-{}", v.id())} role="tab" aria-selected={selected.to_string()}
                            class={classes!("tab", selected.then_some("active"))} {onclick}>
                            { v.label() }
                        </button>
                    }
                }) }
            </nav>
            <main id={format!("view-{}", state.view.id())} role="tabpanel">{ view }</main>
            <footer>
                { "Everything runs in this page: nothing you enter leaves it. Prices: the embedded catalogs (see the CLI's data/README.md)." }
            </footer>
        </>
    }
}

/// The "load example" menu and the scenario's name.
#[function_component(ExampleMenu)]
fn example_menu(p: &ViewProps) -> Html {
    let onchange = p.dispatch.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::LoadExample(select.value())
    });
    let name = p.state.checked.as_ref().map(|s| s.base.name.clone()).unwrap_or_default();
    html! {
        <div class="examples">
            <label for="example">{ "Load example" }</label>
            <select id="example" {onchange}>
                <option value="" selected=true disabled=true>{ "choose…" }</option>
                { for kplan_core::examples::EXAMPLES.iter().map(|e| html! {
                    <option value={e.file}>{ e.file }</option>
                }) }
            </select>
            <span class="scenario-name" id="scenario-name">{ name }</span>
            <span class="source">{ format!(" ({})", p.state.source) }</span>
        </div>
    }
}

/// Progress of the job in flight, with its cancel button; otherwise the last plan's cost.
#[function_component(JobBar)]
fn job_bar(p: &ViewProps) -> Html {
    match &p.state.running {
        Some(r) => {
            let cancel = p.dispatch.reform(|_| Action::Cancel);
            let steps = if r.total > 0 {
                html! { <progress id="job-progress" max={r.total.to_string()} value={r.done.to_string()}></progress> }
            } else {
                html! { <progress id="job-progress"></progress> }
            };
            html! {
                <div class="jobbar" role="status" aria-live="polite">
                    { steps }
                    <span id="job-label">{ &r.label }</span>
                    <button id="cancel" onclick={cancel}>{ "Cancel" }</button>
                </div>
            }
        }
        None => {
            let replan = p.dispatch.reform(|_| Action::Start(JobKind::Plan));
            let last = match &p.state.plan {
                Some(Ok(r)) => {
                    format!("last plan: {}/month", super::fmt::usd(&r.plan.cost.monthly))
                }
                Some(Err(_)) => "last plan failed".to_string(),
                None => String::new(),
            };
            html! {
                <div class="jobbar" role="status" aria-live="polite">
                    <span id="job-idle">{ last }</span>
                    <button id="replan" onclick={replan} disabled={p.state.checked.is_err()}>{ "Plan now" }</button>
                </div>
            }
        }
    }
}
