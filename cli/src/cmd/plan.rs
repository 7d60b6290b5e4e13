//! `kplan plan`: scenario in, plan out (table, JSON or YAML).

use kplan_core::input::json_to_yaml;
use kplan_core::report::{json, table};
use kplan_core::solve::{Backend, Method, SolveConfig, SolveError, solve};

use crate::args::{BackendArg, MethodArg, PlanArgs, PlanFormat};
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

pub(crate) fn run(a: &PlanArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (scenario, warnings) = super::load_input(a.scenario.as_deref(), &a.manifests, io)?;
    let label = match &a.scenario {
        Some(p) => p.display().to_string(),
        None => "manifests".to_string(),
    };
    let clock = WallClock::start();
    let cfg = SolveConfig {
        method: match a.method {
            MethodArg::Exact => Method::Exact,
            MethodArg::Ffd => Method::Ffd,
        },
        backend: match a.backend {
            BackendArg::Pure => Backend::Pure,
            BackendArg::Highs => Backend::Highs,
        },
        time_limit: a.time_limit,
        clock: &clock,
    };
    let mut plan = match solve(&scenario, &cfg) {
        Ok(p) => p,
        Err(SolveError::Infeasible(inf)) => {
            io.note(&format!("error: {label}: infeasible: {}\n", inf.reason));
            return Ok(EXIT_INFEASIBLE);
        }
        Err(e) => {
            io.note(&format!("error: {label}: {e}\n"));
            return Ok(EXIT_INFEASIBLE);
        }
    };
    let mut all = warnings;
    all.append(&mut plan.warnings);
    plan.warnings = all;
    let text = match a.format {
        PlanFormat::Table => table::plan_table(&scenario, &plan),
        PlanFormat::Json => json::plan_to_json(&scenario, &plan),
        PlanFormat::Yaml => json_to_yaml(&json::plan_value(&scenario, &plan)),
    };
    io.emit(a.out.as_deref(), &text)?;
    Ok(EXIT_OK)
}
