//! The exact engine's work budgets and tuning constants, in one value with a named default.

/// How much work each phase of the exact engine may do, and the thresholds that choose how.
///
/// Budgets count work (rounds, columns, branch-and-bound nodes, attempts), never seconds, so
/// the same input gives the same plan on any machine; the caller's time limit
/// ([`SolveConfig::time_limit`](super::SolveConfig::time_limit)) is separate and is the only
/// clock. The two MILP timings below are safety nets that a node limit normally reaches first.
///
/// The whole solve is bounded by the LP work budget: every LP the engine solves (column
/// generation at the root and in the dives, the aggregate bound; the MILP polish counts
/// [`Budgets::milp_work_factor`] LPs) costs its nonzeros and columns times its rows over a
/// hundred. It scales with the input ([`Budgets::lp_work_for`]): once spent, column generation
/// and the dives stop with what they have, so every input ends within a time that grows with
/// its size on any machine, and the same input gives the same plan.
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
    /// Options × items up to which a mid-size problem (past `small_pricing`, priced by greedy
    /// fills) is certified after the integer phases: column generation resumes over the whole
    /// pool with the exact branch and bound whenever the greedy fills find nothing, so the
    /// bound is the converged master's instead of the last heuristic round's.
    pub certify_pricing: usize,
    /// Branch-and-bound nodes per heuristic knapsack on small problems.
    pub heuristic_knapsack_nodes: usize,
    /// Branch-and-bound nodes per certifying knapsack.
    pub exact_knapsack_nodes: usize,
    /// Cells (binary copies of items × capacity units) up to which a knapsack in which one
    /// dimension binds is priced exactly by dynamic programming instead.
    pub dp_knapsack_cells: usize,
    /// Most kept options for the dynamic-programming pricing to run: with several node shapes
    /// the branch and bound's near-optimal patterns give the dives more to choose from.
    pub dp_max_options: usize,
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
    /// The MILP polish's LP work: its model's, this many times over (it runs only when the LP
    /// work budget can pay for it).
    pub milp_work_factor: u64,
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
    /// Under `headroom: node`, the plans shaped by it (each a solve without headroom at a
    /// utilisation cap) offered as starting incumbents, besides the plain plan; 0 runs neither,
    /// only the headroom bound's solve.
    pub headroom_shapes_node: usize,
    /// The same under `headroom: zone`.
    pub headroom_shapes_zone: usize,
    /// Most pods for the headroom solves (shaped plans and the headroom bound) to run.
    pub headroom_max_pods: u64,
    /// Most pods for the node-loss classes of `headroom: node` (a solve for each usable CPU a
    /// node option has: plans whose largest node has it) to run.
    pub headroom_classes_max_pods: u64,
    /// The node-loss classes with the least bounds that are planned whole (their plans are
    /// starting incumbents); the others are only bounded.
    pub headroom_class_plans: usize,
    /// LP work (each LP: its nonzeros and columns times its rows over a hundred) every input may use…
    pub lp_work_base: u64,
    /// …plus this much per pod of the scenario.
    pub lp_work_per_pod: u64,
    /// Most LP work any input may use, however large.
    pub lp_work_max: u64,
    /// The greedy packers' node sizes: each packer runs once per size, opening nodes of at
    /// most this many millicores of CPU capacity (`u64::MAX`: any size) and sizing every node
    /// to its content at the end.
    pub greedy_node_cpus: [u64; 3],
    /// Pod placements all greedy runs together may make: the runs (in the order of
    /// `GreedyRun::all`) stop when the next would pass it, but two always run.
    pub greedy_placements: u64,
    /// Nodes a best-fit greedy keeps open at once (a bounded-space packing).
    pub greedy_open_nodes: usize,
    /// Compaction of each greedy plan (`greedy/compact.rs`): the node visits it may make
    /// (each looks at one node, or one of its workloads, as a home for a pod of another)…
    pub compact_visits: u64,
    /// …and of the plan the large-neighbourhood search ends with.
    pub compact_final_visits: u64,
    /// Large-neighbourhood search: neighbourhoods tried (each frees some nodes of one zone and
    /// purchase class and re-packs their pods)…
    pub lns_attempts: usize,
    /// …and, at most, this many per node of the incumbent…
    pub lns_attempts_per_node: usize,
    /// …and, at most, this many divided by the incumbent's nodes (each neighbourhood's
    /// bookkeeping visits every node, so large plans try fewer).
    pub lns_node_visits: usize,
    /// Nodes freed per neighbourhood.
    pub lns_nodes: usize,
}

impl Budgets {
    /// The LP work an input of `pods` pods may use: `lp_work_base + lp_work_per_pod × pods`,
    /// at most `lp_work_max`.
    pub fn lp_work_for(&self, pods: u64) -> u64 {
        self.lp_work_base
            .saturating_add(self.lp_work_per_pod.saturating_mul(pods))
            .min(self.lp_work_max)
    }
}

/// The engine's default budgets (the exact engine uses them when the configuration names none).
pub fn default_budgets() -> Budgets {
    Budgets {
        root_rounds: 500,
        max_new_columns: 60,
        extra_columns: 10,
        extra_options: 8,
        small_pricing: 4000,
        certify_pricing: 40_000,
        heuristic_knapsack_nodes: 3000,
        exact_knapsack_nodes: 20_000,
        dp_knapsack_cells: 2_000_000,
        dp_max_options: 1,
        dive_steps: 400,
        dive_rounds: 60,
        dive_tabu: 30,
        milp_max_columns: 3000,
        milp_nodes: 1000,
        milp_work_factor: 50,
        milp_safety_seconds: 60.0,
        milp_min_seconds: 0.05,
        improve_max_nodes: 2000,
        improve_attempts_per_node: 2,
        improve_extra_attempts: 10,
        shrink_candidates: 8,
        headroom_shapes_node: 0,
        headroom_shapes_zone: 1,
        headroom_max_pods: 20_000,
        headroom_classes_max_pods: 1_000,
        headroom_class_plans: 2,
        lp_work_base: 1_000_000,
        lp_work_per_pod: 10,
        lp_work_max: 2_000_000,
        greedy_node_cpus: [u64::MAX, 16_000, 4_000],
        greedy_placements: 1_000_000,
        greedy_open_nodes: 256,
        compact_visits: 2_000_000,
        compact_final_visits: 4_000_000,
        lns_attempts: 300,
        lns_attempts_per_node: 4,
        lns_node_visits: 1_000_000,
        lns_nodes: 12,
    }
}
