//! The engine's failures are never silent: a failed LP, dive or MILP, or a plan the verifier rejects, becomes a warning, and `solver.method` names what made the plan.

use super::*;
use crate::input::scenario::read_scenario;
use crate::plan::verify::verify;
use crate::report::{json, table};

/// Three node sizes, node headroom and mixed pods: the bound does not see headroom, so every
/// phase of the engine runs (rounding, both dives, the MILP polish).
const SCENARIO: &str = "name: t\nprovider: custom\nregion: dc\noverhead: none\nzones: [a, b]\ncatalog:\n  custom:\n    - {name: s, cpu: 2, memory: 8Gi, price: {on_demand: 0.10}}\n    - {name: m, cpu: 4, memory: 16Gi, price: {on_demand: 0.19}}\n    - {name: l, cpu: 8, memory: 32Gi, price: {on_demand: 0.39}}\npolicy: {headroom: node}\nworkloads:\n  - {name: a, replicas: 7, requests: {cpu: 1300m, memory: 3Gi}}\n  - {name: b, replicas: 5, requests: {cpu: 700m, memory: 5Gi}}\n  - {name: c, replicas: 9, requests: {cpu: 300m, memory: 1Gi}}\n";

fn scenario() -> Scenario {
    read_scenario(SCENARIO, "t.yaml").output.unwrap_or_else(|e| panic!("{e:?}"))
}

fn exact(fault: Option<Fault>) -> SolveConfig<'static> {
    SolveConfig { method: Method::Exact, fault, ..default_config() }
}

fn plan(s: &Scenario, cfg: &SolveConfig<'_>) -> Plan {
    let p = solve(s, cfg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(verify(s, &p), vec![], "every plan verifies");
    p
}

/// The warnings of a plan that name the engine, and that they reach the JSON and the table.
fn engine_warnings(s: &Scenario, p: &Plan) -> Vec<String> {
    let res: Vec<String> =
        p.warnings.iter().map(|w| w.message.clone()).filter(|m| m.contains("failed")).collect();
    let json = json::plan_value(s, p);
    let table = table::plan_table(s, p);
    for m in &res {
        let in_json = json["warnings"]
            .as_array()
            .is_some_and(|ws| ws.iter().any(|w| w["message"].as_str() == Some(m.as_str())));
        assert!(in_json, "{m} is not in the JSON warnings");
        assert!(table.contains(m.as_str()), "{m} is not in the table:\n{table}");
    }
    res
}

#[test]
fn every_phase_runs_on_the_test_scenario() {
    let s = scenario();
    let p = plan(&s, &exact(None));
    assert_eq!(p.solver.method, "exact");
    assert!(engine_warnings(&s, &p).is_empty(), "{:?}", p.warnings);
    let stats = p.solver.stats.expect("engine stats");
    assert!(
        stats.dive_steps > 0 && stats.milp_runs > 0 && stats.aggregate_bound.is_some(),
        "{stats:?}"
    );
}

// See: issue 12, item 6.
#[test]
fn a_forced_lp_failure_gives_the_greedy_plan_with_a_warning_that_says_so() {
    let s = scenario();
    let greedy = plan(&s, &default_config());
    let p = plan(&s, &exact(Some(Fault::Fail(EnginePhase::ColumnGeneration))));
    assert_eq!(p.nodes, greedy.nodes, "the plan is the first-fit-decreasing plan");
    assert_eq!(p.solver.method, "ffd");
    assert_eq!(p.solver.backend, None);
    assert_eq!(p.solver.bound, None);
    assert_eq!(p.solver.status, SolveStatus::Feasible);
    assert!(p.solver.stats.as_ref().is_some_and(|st| st.lp_error));
    assert_eq!(
        engine_warnings(&s, &p),
        [
            "the exact engine's column generation failed (a failure forced by a test); this plan is the first-fit-decreasing baseline, with no lower bound"
        ]
    );
}

#[test]
fn a_failed_bound_dive_or_polish_is_a_warning_on_the_engines_plan() {
    let s = scenario();
    for (phase, says) in [
        (
            EnginePhase::AggregateBound,
            "the aggregate bound's LP failed (a failure forced by a test); the lower bound comes from column generation alone",
        ),
        (
            EnginePhase::Dive,
            "a dive's LP failed (a failure forced by a test); the dive stopped there and the plan comes from the other phases",
        ),
        (
            EnginePhase::MilpPolish,
            "the MILP polish failed (a failure forced by a test); the plan comes from rounding, the dives and the final improvement",
        ),
    ] {
        let p = plan(&s, &exact(Some(Fault::Fail(phase))));
        assert_eq!(p.solver.method, "exact", "{phase:?}");
        assert!(p.solver.bound.is_some(), "{phase:?}");
        assert_eq!(engine_warnings(&s, &p), [says], "{phase:?}");
    }
}

#[test]
fn an_engine_plan_the_verifier_rejects_is_replaced_by_the_greedy_plan() {
    let s = scenario();
    let greedy = plan(&s, &default_config());
    let p = plan(&s, &exact(Some(Fault::BreakPlan)));
    assert_eq!(p.nodes, greedy.nodes);
    assert_eq!((p.solver.method.as_str(), p.solver.bound), ("ffd", None));
    assert!(p.solver.stats.as_ref().is_some_and(|st| st.fallback_to_ffd));
    let warnings = engine_warnings(&s, &p);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "the exact engine's plan failed the verifier (1 violation, the first: workload default/"
        ) && warnings[0].ends_with(
            "this plan is the first-fit-decreasing baseline instead, with no lower bound"
        ),
        "{warnings:?}"
    );
}

#[test]
fn the_configured_budgets_reach_the_engine() {
    let s = scenario();
    let budgets = Budgets { root_rounds: 1, ..default_budgets() };
    let p = plan(&s, &SolveConfig { budgets: Some(budgets), ..exact(None) });
    assert_eq!(p.solver.stats.and_then(|st| st.root_rounds), Some(1));
}
