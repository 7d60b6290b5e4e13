//! What went wrong in the engine: the phases that solve an LP or a MILP, their failures, and the warnings they become on the plan.

use crate::diag::Diagnostic;
use crate::solve::lp::LpError;

/// A phase of the exact engine that solves LPs or a MILP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnginePhase {
    /// Column generation at the root: the master LP, round after round.
    ColumnGeneration,
    /// The aggregate bound's LP.
    AggregateBound,
    /// The dives' residual column generation.
    Dive,
    /// The MILP polish.
    MilpPolish,
}

/// A phase whose LP or MILP failed: its first error, and how often it failed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EngineFailure {
    pub(crate) phase: EnginePhase,
    pub(crate) error: LpError,
    pub(crate) times: u32,
}

impl EngineFailure {
    /// The warning on the plan: what failed, why, and what the plan is made of instead.
    pub(crate) fn warning(&self) -> Diagnostic {
        let (what, instead) = match self.phase {
            EnginePhase::ColumnGeneration => (
                "the exact engine's column generation",
                "this plan is the first-fit-decreasing baseline, with no lower bound",
            ),
            EnginePhase::AggregateBound => {
                ("the aggregate bound's LP", "the lower bound comes from column generation alone")
            }
            EnginePhase::Dive => {
                ("a dive's LP", "the dive stopped there and the plan comes from the other phases")
            }
            EnginePhase::MilpPolish => (
                "the MILP polish",
                "the plan comes from rounding, the dives and the final improvement",
            ),
        };
        let times = if self.times > 1 { format!(", {} times", self.times) } else { String::new() };
        Diagnostic::warning(format!("{what} failed ({}{times}); {instead}", self.error))
    }
}

/// Adds a failure: one entry per phase, the first error kept and the repeats counted.
pub(crate) fn record(failures: &mut Vec<EngineFailure>, phase: EnginePhase, error: LpError) {
    match failures.iter_mut().find(|f| f.phase == phase) {
        Some(f) => f.times += 1,
        None => failures.push(EngineFailure { phase, error, times: 1 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_that_fails_again_is_one_warning_with_a_count() {
        let mut failures = Vec::new();
        let error = |m: &str| LpError::Solver { backend: "pure", message: m.to_string() };
        record(&mut failures, EnginePhase::Dive, error("Singular matrix"));
        record(&mut failures, EnginePhase::MilpPolish, error("problem is infeasible"));
        record(&mut failures, EnginePhase::Dive, error("another"));
        let messages: Vec<String> = failures.iter().map(|f| f.warning().message).collect();
        assert_eq!(
            messages,
            [
                "a dive's LP failed (pure backend: Singular matrix, 2 times); the dive stopped there and the plan comes from the other phases",
                "the MILP polish failed (pure backend: problem is infeasible); the plan comes from rounding, the dives and the final improvement",
            ]
        );
    }
}
