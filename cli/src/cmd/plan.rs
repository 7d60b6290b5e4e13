//! `kplan plan`: scenario in, plan out (table, JSON, YAML, CSV, Markdown or HTML).

use kplan_core::cost::finance::{PLAN_SHARE_OF_TIME_LIMIT, compare_reusing};
use kplan_core::current::planning_scenario;
use kplan_core::explain::explain;
use kplan_core::input::json_to_yaml;
use kplan_core::report::{chart, csv, current, document, html, json, table};
use kplan_core::scenario::Scenario;
use kplan_core::solve::karpenter::KarpenterOptions;
use kplan_core::solve::{Backend, Clock, Method, SolveConfig, SolveError, default_config, solve};
use kplan_core::whatif::{self, Study};

use crate::args::{BackendArg, MethodArg, PlanArgs, PlanFormat};
use crate::progress::Progress;
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

/// The core's solve configuration from the command-line choices.
pub(crate) fn config<'a>(
    method: MethodArg,
    backend: BackendArg,
    time_limit: Option<f64>,
    karpenter: KarpenterOptions,
    clock: &'a WallClock,
) -> SolveConfig<'a> {
    SolveConfig {
        method: match method {
            MethodArg::Exact => Method::Exact,
            MethodArg::Ffd => Method::Ffd,
            MethodArg::Karpenter => Method::Karpenter,
        },
        backend: match backend {
            BackendArg::Pure => Backend::Pure,
            BackendArg::Highs => Backend::Highs,
        },
        time_limit,
        karpenter,
        clock,
        ..default_config()
    }
}

/// The scenario of one variant or sweep point, by label.
fn pick_case(study: &Study, name: &str) -> Result<Scenario, String> {
    let cases = whatif::cases(study).map_err(|e| whatif::problems_text(&e, "; "))?;
    let labels: Vec<String> = cases.iter().skip(1).map(|c| format!("{:?}", c.label)).collect();
    cases.into_iter().skip(1).find(|c| c.label == name).map(|c| c.scenario).ok_or_else(|| {
        if labels.is_empty() {
            format!("--variant {name:?}: the scenario has no variants or sweeps")
        } else {
            format!(
                "--variant {name:?} is not a variant or sweep point; expected one of {}",
                labels.join(", ")
            )
        }
    })
}

pub(crate) fn run(a: &PlanArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let mut today = None;
    let (study, warnings) = if a.cluster.is_empty() {
        super::load_input(a.scenario.as_deref(), &a.manifests, io)?
    } else {
        if a.variant.is_some() {
            return Err(Failure::bad_input(
                "error: --variant applies to a scenario's variants, not to --cluster\n".to_string(),
            ));
        }
        let (cluster, base, t, warnings) =
            super::current::load_today(a.scenario.as_deref(), &a.cluster, &a.manifests, io)?;
        let s = planning_scenario(&cluster, base.as_ref(), &t);
        today = Some(t);
        (Study::of(s), warnings)
    };
    let label = match (&a.scenario, today.is_some()) {
        (_, true) => "today's cluster".to_string(),
        (Some(p), false) => p.display().to_string(),
        (None, false) => "manifests".to_string(),
    };
    let scenario = match &a.variant {
        Some(name) => pick_case(&study, name)
            .map_err(|m| Failure::bad_input(format!("error: {label}: {m}\n")))?,
        None => study.base,
    };
    let clock = WallClock::start();
    let cfg =
        config(a.solve.method, a.solve.backend, a.solve.time_limit, a.karpenter.options(), &clock);
    // The explanation re-solves with the plan's own engine; the Karpenter model's plan is not
    // kplan's to explain (it may break kplan's policies).
    let explain_on = !a.no_explain && a.solve.method != MethodArg::Karpenter;
    // `--time-limit` bounds the whole command: the plan gets most of it, and the finance
    // comparison's other purchase variants and the explanation share what is left.
    let alone = a.no_finance && !explain_on;
    let main_cfg = SolveConfig {
        time_limit: a
            .solve
            .time_limit
            .map(|t| if alone { t } else { t * PLAN_SHARE_OF_TIME_LIMIT }),
        ..cfg
    };
    let progress = Progress::new(None, &format!("planning {}", scenario.name), a.quiet);
    let res = solve(&scenario, &main_cfg);
    progress.finish();
    let mut plan = match res {
        Ok(p) => p,
        Err(SolveError::Infeasible(inf)) => {
            io.note(&format!("error: {label}: infeasible: {}\n", inf.reason));
            return Ok(EXIT_INFEASIBLE);
        }
        // A backend not built in is a usage error, not an infeasible scenario.
        Err(e) => return Err(Failure::bad_input(format!("error: {label}: {e}\n"))),
    };
    let mut all = warnings;
    all.append(&mut plan.warnings);
    plan.warnings = all;
    // Under `--time-limit`, the finance comparison and the explanation share what is left
    // after the plan: the finance comparison gets half of it, the explanation the rest.
    let left = |share: f64| a.solve.time_limit.map(|t| ((t - clock.now()) * share).max(0.0));
    let finance_cfg = SolveConfig { time_limit: left(if explain_on { 0.5 } else { 1.0 }), ..cfg };
    let finance = (!a.no_finance).then(|| compare_reusing(&scenario, &finance_cfg, Some(&plan)));
    let finance = finance.as_ref();
    let explanation = explain_on.then(|| {
        let progress = Progress::new(None, &format!("explaining {}", scenario.name), a.quiet);
        let e = explain(&scenario, &plan, &SolveConfig { time_limit: left(1.0), ..cfg });
        progress.finish();
        e
    });
    let explanation = explanation.as_ref();
    match a.format {
        PlanFormat::Table => {
            let mut text = String::new();
            if let Some(t) = &today {
                text.push_str(&current::versus_table(t, &scenario, &plan));
                text.push('\n');
            }
            text.push_str(&table::plan_table_explained(&scenario, &plan, finance, explanation));
            io.emit(a.out.as_deref(), &text)?
        }
        PlanFormat::Json => io.emit(
            a.out.as_deref(),
            &json::plan_to_json_explained(&scenario, &plan, finance, explanation),
        )?,
        PlanFormat::Yaml => io.emit(
            a.out.as_deref(),
            &json_to_yaml(&json::plan_value_explained(&scenario, &plan, finance, explanation)),
        )?,
        PlanFormat::Csv => io.emit(a.out.as_deref(), &csv::plan_csv(&plan))?,
        PlanFormat::Md | PlanFormat::Html => {
            let figures = chart::plan_figures(&scenario, &plan);
            let doc = document::plan_document_explained(
                &scenario,
                &plan,
                finance,
                explanation,
                figures.len(),
            );
            if a.format == PlanFormat::Md {
                super::write_markdown(io, a.out.as_deref(), &doc, &figures)?;
            } else {
                io.emit(a.out.as_deref(), &html::to_html(&doc, &figures))?;
            }
        }
    }
    Ok(EXIT_OK)
}
