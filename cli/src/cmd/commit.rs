//! `kplan commit`: scenario and demand profile in, the commitment report out (table, JSON, Markdown).

use kplan_core::catalog::load::{PROFILE_FILE, load_profile};
use kplan_core::cost::commit::{CommitError, plan_commitment};
use kplan_core::report::{json, markdown, table};
use kplan_core::solve::SolveError;

use crate::args::{CommitArgs, CommitFormat};
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

pub(crate) fn run(a: &CommitArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (scenario, warnings) = super::load_scenario(&a.scenario, io)?;
    io.diagnostics(&warnings, None);
    let (name, text) = io.read_input(&a.profile)?;
    let profile = load_profile(&text).map_err(|e| {
        Failure::bad_input(format!("error: {}\n", e.to_string().replacen(PROFILE_FILE, &name, 1)))
    })?;
    let clock = WallClock::start();
    let cfg = super::plan::config(
        a.solve.method,
        a.solve.backend,
        a.solve.time_limit,
        kplan_core::solve::karpenter::default_options(),
        &clock,
    );
    let rep = match plan_commitment(&scenario, &profile, &cfg) {
        Ok(r) => r,
        Err(CommitError::Level { error: SolveError::Infeasible(inf), scale }) => {
            io.note(&format!(
                "error: {}: the load level at scale {scale} is infeasible: {}\n",
                a.scenario.display(),
                inf.reason
            ));
            return Ok(EXIT_INFEASIBLE);
        }
        Err(CommitError::Profile(msg)) => {
            return Err(Failure::bad_input(format!("error: {name}: {msg}\n")));
        }
        Err(e @ CommitError::NoOnDemandPrice { .. }) => {
            return Err(Failure::bad_input(format!("error: {}: {e}\n", a.scenario.display())));
        }
        Err(e) => {
            io.note(&format!("error: {}: {e}\n", a.scenario.display()));
            return Ok(EXIT_INFEASIBLE);
        }
    };
    let out = match a.format {
        CommitFormat::Table => table::commit_table(&rep),
        CommitFormat::Json => json::commit_json(&rep),
        CommitFormat::Markdown => markdown::commit_markdown(&rep),
    };
    io.emit(a.out.as_deref(), &out)?;
    Ok(EXIT_OK)
}
