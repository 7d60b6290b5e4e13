//! The only good_lp user: a small LP/MILP model, solved by the named backend, with duals.
//!
//! Every row is `Σ coef·x ≥ rhs` (a `≤` row is written negated), every variable is `x ≥ 0`,
//! and the objective is minimised. Duals come back non-negative, one per row.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, variable};

#[cfg(feature = "highs")]
use good_lp::{ResolutionError, WithInitialSolution, WithTimeLimit};

use super::Backend;

/// A row `Σ coef·x ≥ rhs`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    pub(crate) coefs: Vec<(usize, f64)>,
    pub(crate) rhs: f64,
}

/// A minimisation over `x ≥ 0`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Model {
    pub(crate) costs: Vec<f64>,
    pub(crate) rows: Vec<Row>,
}

/// Why an LP or MILP solve gave no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LpError {
    /// The backend is not built into this binary.
    #[error("the {0} backend is not built into this binary")]
    Unavailable(&'static str),
    /// The backend failed (numerics, or it found the model infeasible or unbounded).
    #[error("{backend} backend: {message}")]
    Solver {
        /// The backend's name.
        backend: &'static str,
        /// Its own description of the failure.
        message: String,
    },
    /// A test forced the failure (`SolveConfig::fault`, in test builds only).
    #[error("a failure forced by a test")]
    Forced,
}

fn solver_error(backend: Backend, e: impl std::fmt::Display) -> LpError {
    LpError::Solver { backend: backend.as_str(), message: e.to_string() }
}

/// An LP optimum with its row duals.
#[derive(Clone, Debug)]
pub(crate) struct LpSolution {
    pub(crate) x: Vec<f64>,
    pub(crate) duals: Vec<f64>,
}

fn build(
    model: &Model,
    integer_bounds: Option<&[f64]>,
) -> (ProblemVariables, Vec<Variable>, Expression) {
    let mut vars = ProblemVariables::new();
    let xs: Vec<Variable> = (0..model.costs.len())
        .map(|j| match integer_bounds {
            Some(ub) => vars.add(variable().integer().min(0.0).max(ub[j])),
            None => vars.add(variable().min(0.0)),
        })
        .collect();
    let mut objective = Expression::from(0.0);
    for (j, c) in model.costs.iter().enumerate() {
        objective.add_mul(*c, xs[j]);
    }
    (vars, xs, objective)
}

fn row_expr(row: &Row, xs: &[Variable]) -> Expression {
    let mut e = Expression::from(0.0);
    for (j, c) in &row.coefs {
        e.add_mul(*c, xs[*j]);
    }
    e
}

/// Solves the LP relaxation and returns primal values and non-negative row duals.
pub(crate) fn solve_lp(model: &Model, backend: Backend) -> Result<LpSolution, LpError> {
    let (vars, xs, objective) = build(model, None);
    match backend {
        #[cfg(feature = "pure")]
        Backend::Pure => {
            use good_lp::solvers::{DualValues, SolutionWithDual};
            let mut pb = vars.minimise(objective).using(good_lp::solvers::clarabel::clarabel);
            let refs: Vec<_> =
                model.rows.iter().map(|r| pb.add_constraint(row_expr(r, &xs).geq(r.rhs))).collect();
            let mut sol = pb.solve().map_err(|e| solver_error(backend, e))?;
            let x = xs.iter().map(|v| sol.value(*v)).collect();
            let dual = sol.compute_dual();
            let duals = refs.into_iter().map(|c| dual.dual(c).max(0.0)).collect();
            Ok(LpSolution { x, duals })
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            use good_lp::solvers::{DualValues, SolutionWithDual};
            let mut pb =
                vars.minimise(objective).using(good_lp::solvers::highs::highs).set_threads(1);
            let refs: Vec<_> =
                model.rows.iter().map(|r| pb.add_constraint(row_expr(r, &xs).geq(r.rhs))).collect();
            let mut sol = pb.solve().map_err(|e| solver_error(backend, e))?;
            let x = xs.iter().map(|v| sol.value(*v)).collect();
            let dual = sol.compute_dual();
            let duals = refs.into_iter().map(|c| dual.dual(c).max(0.0)).collect();
            Ok(LpSolution { x, duals })
        }
        #[allow(unreachable_patterns)]
        other => Err(LpError::Unavailable(other.as_str())),
    }
}

/// Solves the MILP with integer `x ≤ ub`, warm-started from `initial`; `Ok(None)` when the
/// search ends at its limits without a solution, an error when the backend fails. The search
/// stops after `node_limit` branch-and-bound nodes (a deterministic budget: the same input
/// gives the same answer on any machine) or `seconds`, whichever comes first; the time is a
/// safety net, set well above what the nodes take.
pub(crate) fn solve_milp(
    model: &Model,
    ub: &[f64],
    initial: &[f64],
    backend: Backend,
    node_limit: u64,
    seconds: f64,
) -> Result<Option<Vec<f64>>, LpError> {
    match backend {
        // microlp directly: good_lp's wrapper has a time limit but no node limit.
        #[cfg(feature = "pure")]
        Backend::Pure => {
            use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions};
            let mut pb = Problem::new(OptimizationDirection::Minimize);
            let xs: Vec<microlp::Variable> = model
                .costs
                .iter()
                .zip(ub)
                .map(|(c, u)| pb.add_integer_var(*c, (0, u.clamp(0.0, f64::from(i32::MAX)) as i32)))
                .collect();
            for r in &model.rows {
                let terms: Vec<(microlp::Variable, f64)> =
                    r.coefs.iter().map(|(j, c)| (xs[*j], *c)).collect();
                pb.add_constraint(terms.as_slice(), ComparisonOp::Ge, r.rhs);
            }
            let mut options = SolveOptions::default();
            options.node_limit = Some(node_limit);
            options.time_limit = Some(std::time::Duration::from_secs_f64(seconds.max(0.01)));
            options.warm_start = Some(xs.iter().copied().zip(initial.iter().copied()).collect());
            match pb.solve_with(options).map(microlp::SolveOutcome::into_solution) {
                Ok(Ok(sol)) => Ok(Some(xs.iter().map(|v| sol[*v].round().max(0.0)).collect())),
                // Interrupted by the node or time limit before a solution.
                Ok(Err(_)) => Ok(None),
                Err(e) => Err(solver_error(backend, e)),
            }
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            let (vars, xs, objective) = build(model, Some(ub));
            let warm: Vec<(Variable, f64)> =
                xs.iter().copied().zip(initial.iter().copied()).collect();
            let extract = |sol: &dyn Solution| -> Vec<f64> {
                xs.iter().map(|v| sol.value(*v).round().max(0.0)).collect()
            };
            let mut pb = vars
                .minimise(objective)
                .using(good_lp::solvers::highs::highs)
                .set_threads(1)
                .set_option("mip_max_nodes", i32::try_from(node_limit).unwrap_or(i32::MAX))
                .with_time_limit(seconds.max(0.01))
                .with_initial_solution(warm);
            for r in &model.rows {
                pb.add_constraint(row_expr(r, &xs).geq(r.rhs));
            }
            match pb.solve() {
                Ok(sol) => Ok(Some(extract(&sol))),
                // good_lp's word for a search that stopped at its limits without a solution.
                Err(ResolutionError::Other("NoSolutionFound")) => Ok(None),
                Err(e) => Err(solver_error(backend, e)),
            }
        }
        #[allow(unreachable_patterns)]
        other => Err(LpError::Unavailable(other.as_str())),
    }
}

/// True when the backend is compiled in.
pub(crate) fn available(backend: Backend) -> bool {
    match backend {
        Backend::Pure => cfg!(feature = "pure"),
        Backend::Highs => cfg!(feature = "highs"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        // min x0 + x1  s.t.  x0 + 2 x1 ≥ 4,  3 x0 + x1 ≥ 6.
        Model {
            costs: vec![1.0, 1.0],
            rows: vec![
                Row { coefs: vec![(0, 1.0), (1, 2.0)], rhs: 4.0 },
                Row { coefs: vec![(0, 3.0), (1, 1.0)], rhs: 6.0 },
            ],
        }
    }

    fn check_lp(backend: Backend) {
        let s = solve_lp(&tiny(), backend).unwrap();
        // Optimum at x = (1.6, 1.2), objective 2.8; duals (0.4, 0.2).
        assert!((s.x[0] - 1.6).abs() < 1e-6 && (s.x[1] - 1.2).abs() < 1e-6, "{:?}", s.x);
        assert!(
            (s.duals[0] - 0.4).abs() < 1e-6 && (s.duals[1] - 0.2).abs() < 1e-6,
            "{:?}",
            s.duals
        );
    }

    fn check_milp(backend: Backend) {
        let x =
            solve_milp(&tiny(), &[10.0, 10.0], &[4.0, 4.0], backend, 1000, 5.0).unwrap().unwrap();
        assert_eq!(x[0] + x[1], 3.0, "{x:?}");
    }

    #[test]
    fn pure_backend_gives_primal_and_duals() {
        check_lp(Backend::Pure);
        check_milp(Backend::Pure);
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_backend_gives_primal_and_duals() {
        check_lp(Backend::Highs);
        check_milp(Backend::Highs);
    }
}
