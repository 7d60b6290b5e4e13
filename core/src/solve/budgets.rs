//! The exact engine's work budgets and tuning constants, in one value with a named default.

/// How much work each phase of the exact engine may do, and the thresholds that choose how.
///
/// Budgets count work (rounds, columns, branch-and-bound nodes, attempts), never seconds, so
/// the same input gives the same plan on any machine; the caller's time limit
/// ([`SolveConfig::time_limit`](super::SolveConfig::time_limit)) is separate and is the only
/// clock. The two MILP timings below are safety nets that a node limit normally reaches first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budgets {
    /// Column-generation rounds at the root.
    pub root_rounds: usize,
    /// Most columns added to the master per round.
    pub max_new_columns: usize,
    /// Extra columns per option and round (the best pattern with a valuable item forced in).
    pub extra_columns: usize,
    /// On large problems, how many of the best-pricing options also get extra columns.
    pub extra_options: usize,
    /// Options × items up to which a problem is small: its pricing runs branch and bound from
    /// the start, certifies with exact knapsacks and gives every option extra columns.
    pub small_pricing: usize,
    /// Branch-and-bound nodes per heuristic knapsack on small problems.
    pub heuristic_knapsack_nodes: usize,
    /// Branch-and-bound nodes per certifying knapsack.
    pub exact_knapsack_nodes: usize,
    /// Steps per dive (each fixes columns and re-solves the residual).
    pub dive_steps: usize,
    /// Column-generation rounds per dive step.
    pub dive_rounds: usize,
    /// Columns made tabu after which the guarded dive stops.
    pub dive_tabu: usize,
    /// Most columns in the pool for the MILP polish to run.
    pub milp_max_columns: usize,
    /// Branch-and-bound nodes of the MILP polish.
    pub milp_nodes: u64,
    /// Seconds after which the MILP polish stops whatever its nodes, when there is no time limit.
    pub milp_safety_seconds: f64,
    /// Under a time limit, the least time left (seconds) for the MILP polish to start.
    pub milp_min_seconds: f64,
    /// Most nodes in a plan for the final improvement (deleting and shrinking nodes) to run.
    pub improve_max_nodes: usize,
    /// Node deletions the final improvement tries: this many per node of the plan…
    pub improve_attempts_per_node: usize,
    /// …plus this many.
    pub improve_extra_attempts: usize,
    /// Cheaper options tried per node when the final improvement shrinks it.
    pub shrink_candidates: usize,
}

/// The engine's default budgets (the exact engine uses them when the configuration names none).
pub fn default_budgets() -> Budgets {
    Budgets {
        root_rounds: 500,
        max_new_columns: 60,
        extra_columns: 10,
        extra_options: 8,
        small_pricing: 4000,
        heuristic_knapsack_nodes: 3000,
        exact_knapsack_nodes: 20_000,
        dive_steps: 400,
        dive_rounds: 60,
        dive_tabu: 30,
        milp_max_columns: 3000,
        milp_nodes: 1000,
        milp_safety_seconds: 60.0,
        milp_min_seconds: 0.05,
        improve_max_nodes: 2000,
        improve_attempts_per_node: 2,
        improve_extra_attempts: 10,
        shrink_candidates: 8,
    }
}
