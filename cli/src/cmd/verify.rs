//! `kplan verify`: re-check a plan against its scenario; exit 1 with every violation listed.

use kplan_core::plan::verify::verify;
use kplan_core::report::json::read_plan;

use crate::args::VerifyArgs;
use crate::{EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK, Failure, Io};

pub(crate) fn run(a: &VerifyArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (scenario_path, plan_path) = match a.paths.as_slice() {
        [plan] => (None, plan),
        [scenario, plan] => (Some(scenario.as_path()), plan),
        _ => {
            return Err(Failure::bad_input("error: expected [SCENARIO] PLAN\n".to_string()));
        }
    };
    let (name, text) = io.read_input(plan_path)?;
    let plan = match read_plan(&text, &name) {
        Ok(p) => p,
        Err(d) => {
            io.diagnostics(&[d], Some(&text));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    // Manifests carry no provider: the plan records the one it was made for.
    let site = Some((plan.provider, plan.region.as_str()));
    let scenario = if a.cluster.is_empty() {
        super::load_input_at(scenario_path, &a.manifests, site, io)?.0.base
    } else {
        super::current::load_today(scenario_path, &a.cluster, &a.manifests, io)?.2.scenario
    };
    if plan.scenario != scenario.name {
        io.note(&format!(
            "warning: the plan is for scenario {:?}, checking it against {:?}\n",
            plan.scenario, scenario.name
        ));
    }
    let violations = verify(&scenario, &plan);
    if violations.is_empty() {
        io.emit(
            None,
            &format!("{name}: valid ({} nodes, {} pods)\n", plan.nodes.len(), plan.n_pods()),
        )?;
        return Ok(EXIT_OK);
    }
    let mut out = format!("{name}: {} violation(s)\n", violations.len());
    for v in &violations {
        out.push_str(&format!("  {:?}: {}\n", v.rule, v.message));
    }
    io.emit(None, &out)?;
    Ok(EXIT_INFEASIBLE)
}
