//! `kplan plan`: scenario in, plan out (table, JSON or YAML).

use kplan_core::cost::finance::compare_reusing;
use kplan_core::input::json_to_yaml;
use kplan_core::report::{json, table};
use kplan_core::solve::{Backend, Method, SolveConfig, SolveError, solve};

use crate::args::{BackendArg, MethodArg, PlanArgs, PlanFormat};
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

pub(crate) fn run(a: &PlanArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (scenario, warnings) = super::load_scenario(&a.scenario, io)?;
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
            io.note(&format!("error: {}: infeasible: {}\n", a.scenario.display(), inf.reason));
            return Ok(EXIT_INFEASIBLE);
        }
        Err(e) => {
            io.note(&format!("error: {}: {e}\n", a.scenario.display()));
            return Ok(EXIT_INFEASIBLE);
        }
    };
    let mut all = warnings;
    all.append(&mut plan.warnings);
    plan.warnings = all;
    let finance = (!a.no_finance).then(|| compare_reusing(&scenario, &cfg, Some(&plan)));
    let finance = finance.as_ref();
    let text = match a.format {
        PlanFormat::Table => table::plan_table_with_finance(&scenario, &plan, finance),
        PlanFormat::Json => json::plan_to_json_with_finance(&scenario, &plan, finance),
        PlanFormat::Yaml => json_to_yaml(&json::plan_value_with_finance(&scenario, &plan, finance)),
    };
    io.emit(a.out.as_deref(), &text)?;
    Ok(EXIT_OK)
}
