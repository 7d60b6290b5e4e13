//! The exact engine's counters, typed: what each phase did, and their `solver.stats` form for the plan JSON.

use std::collections::BTreeMap;

/// Which phase produced a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The first-fit-decreasing baseline the engine starts from.
    Ffd,
    /// A greedy packer of `solve::greedy`, or the Karpenter model's plan.
    Greedy,
    /// Rounding the root LP down, the rest placed first fit.
    Rounding,
    /// A dive: columns fixed step by step, the residual re-solved.
    Dive,
    /// The MILP polish over the generated columns.
    Milp,
    /// The large-neighbourhood search.
    Lns,
}

/// What the exact engine did, phase by phase (see `solve/exact/mod.rs`).
///
/// Every counter counts work, so it is the same on every run of the same input and backend;
/// [`EngineStats::seconds`] is the exception and never reaches the plan JSON.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineStats {
    /// Items (rows of demand) in the master.
    pub items: u64,
    /// Node options kept after dominance pruning.
    pub options: u64,
    /// Column-generation rounds, at the root and in the dives (each one master LP).
    pub cg_rounds: u64,
    /// Certifying (branch-and-bound) knapsack pricings.
    pub exact_pricings: u64,
    /// Knapsack pricings solved exactly by dynamic programming (one binding dimension).
    pub dp_pricings: u64,
    /// Columns added by column generation, once a round has reached the point of adding any.
    pub columns: Option<u64>,
    /// The most negative reduced cost of the last round that added columns.
    pub last_min_rc: Option<f64>,
    /// The root's column generation failed: its LP backend reported an error.
    pub lp_error: bool,
    /// The root master LP's value.
    pub root_lp: Option<f64>,
    /// Column-generation rounds at the root.
    pub root_rounds: Option<u64>,
    /// Column-generation rounds of the certification pass (mid-size problems, after the
    /// integer phases: exact pricing whenever the greedy fills find nothing).
    pub certify_rounds: u64,
    /// The aggregate bound (pooled capacity), when its LP solved.
    pub aggregate_bound: Option<f64>,
    /// The headroom bound (the relaxed scenario's bound plus what a loss costs), before it is
    /// capped at the plan's cost.
    pub headroom_bound: Option<f64>,
    /// Which phases improved the incumbent.
    pub improved_by: Improvements,
    /// Dive steps (each a fix and a residual column generation).
    pub dive_steps: u64,
    /// Fixes the guarded dive undid.
    pub dive_backtracks: u64,
    /// MILP polish runs.
    pub milp_runs: u64,
    /// LP work: the nonzeros (and columns) of every LP solved, summed.
    pub lp_work: u64,
    /// The LP work budget of this input.
    pub lp_budget: u64,
    /// Greedy packer runs offered as incumbents.
    pub greedy_runs: u64,
    /// Neighbourhoods the large-neighbourhood search tried…
    pub lns_attempts: u64,
    /// …and the re-packs it kept.
    pub lns_moves: u64,
    /// Columns in the pool at the end.
    pub pool: Option<u64>,
    /// The engine's plan failed the verifier and the greedy plan was returned instead.
    pub fallback_to_ffd: bool,
    /// Seconds per phase, as the caller's clock measured them.
    pub seconds: PhaseSeconds,
    /// Per workload (scenario order), the converged root master LP's price of one more replica
    /// in dollars per hour (`None` for a workload without replicas); `None` when the root did not
    /// converge. Used by the plan's explanation, not written to `solver.stats`.
    pub replica_duals: Option<Vec<Option<f64>>>,
}

/// Which phases found a plan cheaper than the incumbent of their time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Improvements {
    /// Rounding the root LP down.
    pub rounding: bool,
    /// A dive.
    pub dive: bool,
    /// The MILP polish.
    pub milp: bool,
    /// A greedy packer or the Karpenter model.
    pub greedy: bool,
    /// The large-neighbourhood search.
    pub lns: bool,
}

impl Improvements {
    /// Records that `source` improved the incumbent.
    pub(crate) fn record(&mut self, source: Source) {
        match source {
            Source::Rounding => self.rounding = true,
            Source::Dive => self.dive = true,
            Source::Milp => self.milp = true,
            Source::Greedy => self.greedy = true,
            Source::Lns => self.lns = true,
            Source::Ffd => {}
        }
    }
}

/// Seconds spent per phase (`None` for a phase that did not run); they vary between runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhaseSeconds {
    /// Setup and the root's column generation.
    pub root: Option<f64>,
    /// Rounding and the dives.
    pub dive: Option<f64>,
    /// The greedy packers and the Karpenter model's plan as incumbents.
    pub greedy: Option<f64>,
    /// The MILP polish.
    pub milp: Option<f64>,
    /// The large-neighbourhood search.
    pub lns: Option<f64>,
    /// The final improvement.
    pub improve: Option<f64>,
}

impl PhaseSeconds {
    /// The seconds of every phase that ran.
    pub fn total(&self) -> f64 {
        [self.greedy, self.root, self.dive, self.milp, self.lns, self.improve]
            .into_iter()
            .flatten()
            .sum()
    }
}

impl EngineStats {
    /// The deterministic counters by their `solver.stats` names (a counter that is zero, false
    /// or unset is left out); the timings are not among them.
    pub fn counters(&self) -> BTreeMap<&'static str, f64> {
        let counts = [
            ("items", Some(self.items)),
            ("options", Some(self.options)),
            ("cg_rounds", nonzero(self.cg_rounds)),
            ("exact_pricings", nonzero(self.exact_pricings)),
            ("dp_pricings", nonzero(self.dp_pricings)),
            ("columns", self.columns),
            ("root_rounds", self.root_rounds),
            ("certify_rounds", nonzero(self.certify_rounds)),
            ("dive_steps", nonzero(self.dive_steps)),
            ("dive_backtracks", nonzero(self.dive_backtracks)),
            ("milp_runs", nonzero(self.milp_runs)),
            ("lp_work", nonzero(self.lp_work)),
            ("lp_budget", nonzero(self.lp_budget)),
            ("greedy_runs", nonzero(self.greedy_runs)),
            ("lns_attempts", nonzero(self.lns_attempts)),
            ("lns_moves", nonzero(self.lns_moves)),
            ("pool", self.pool),
        ];
        let values = [
            ("last_min_rc", self.last_min_rc),
            ("root_lp", self.root_lp),
            ("aggregate_bound", self.aggregate_bound),
            ("headroom_bound", self.headroom_bound),
        ];
        let flags = [
            ("lp_error", self.lp_error),
            ("improved_by_rounding", self.improved_by.rounding),
            ("improved_by_dive", self.improved_by.dive),
            ("improved_by_milp", self.improved_by.milp),
            ("improved_by_greedy", self.improved_by.greedy),
            ("improved_by_lns", self.improved_by.lns),
            ("fallback_to_ffd", self.fallback_to_ffd),
        ];
        let mut res = BTreeMap::new();
        res.extend(counts.into_iter().filter_map(|(k, v)| Some((k, v? as f64))));
        res.extend(values.into_iter().filter_map(|(k, v)| Some((k, v?))));
        res.extend(flags.into_iter().filter(|(_, on)| *on).map(|(k, _)| (k, 1.0)));
        res
    }

    /// The counters read back from their `solver.stats` form (unknown names are ignored);
    /// `None` when there are none (a plan the exact engine did not run for).
    pub fn from_counters(map: &BTreeMap<String, f64>) -> Option<EngineStats> {
        if map.is_empty() {
            return None;
        }
        let count = |k: &str| map.get(k).map(|v| *v as u64);
        let flag = |k: &str| map.get(k).is_some_and(|v| *v != 0.0);
        Some(EngineStats {
            items: count("items").unwrap_or(0),
            options: count("options").unwrap_or(0),
            cg_rounds: count("cg_rounds").unwrap_or(0),
            exact_pricings: count("exact_pricings").unwrap_or(0),
            dp_pricings: count("dp_pricings").unwrap_or(0),
            columns: count("columns"),
            last_min_rc: map.get("last_min_rc").copied(),
            lp_error: flag("lp_error"),
            root_lp: map.get("root_lp").copied(),
            root_rounds: count("root_rounds"),
            certify_rounds: count("certify_rounds").unwrap_or(0),
            aggregate_bound: map.get("aggregate_bound").copied(),
            headroom_bound: map.get("headroom_bound").copied(),
            improved_by: Improvements {
                rounding: flag("improved_by_rounding"),
                dive: flag("improved_by_dive"),
                milp: flag("improved_by_milp"),
                greedy: flag("improved_by_greedy"),
                lns: flag("improved_by_lns"),
            },
            dive_steps: count("dive_steps").unwrap_or(0),
            dive_backtracks: count("dive_backtracks").unwrap_or(0),
            milp_runs: count("milp_runs").unwrap_or(0),
            lp_work: count("lp_work").unwrap_or(0),
            lp_budget: count("lp_budget").unwrap_or(0),
            greedy_runs: count("greedy_runs").unwrap_or(0),
            lns_attempts: count("lns_attempts").unwrap_or(0),
            lns_moves: count("lns_moves").unwrap_or(0),
            pool: count("pool"),
            fallback_to_ffd: flag("fallback_to_ffd"),
            seconds: PhaseSeconds::default(),
            replica_duals: None,
        })
    }
}

fn nonzero(v: u64) -> Option<u64> {
    (v != 0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_round_trip_and_leave_out_timings_and_unset_ones() {
        let stats = EngineStats {
            items: 4,
            options: 2,
            cg_rounds: 7,
            columns: Some(0),
            root_lp: Some(1.5),
            improved_by: Improvements { dive: true, ..Improvements::default() },
            seconds: PhaseSeconds { root: Some(0.25), ..PhaseSeconds::default() },
            ..EngineStats::default()
        };
        let counters = stats.counters();
        let names: Vec<&str> = counters.keys().copied().collect();
        assert_eq!(
            names,
            ["cg_rounds", "columns", "improved_by_dive", "items", "options", "root_lp"]
        );
        let owned: BTreeMap<String, f64> =
            counters.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let back = EngineStats::from_counters(&owned).expect("counters");
        assert_eq!(back, EngineStats { seconds: PhaseSeconds::default(), ..stats });
        assert_eq!(EngineStats::from_counters(&BTreeMap::new()), None);
    }
}
