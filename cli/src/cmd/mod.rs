//! One module per subcommand: read files, call the core, render, write.

pub(crate) mod catalog;
pub(crate) mod commit;
pub(crate) mod init;
pub(crate) mod plan;
pub(crate) mod verify;

use kplan_core::diag::Diagnostic;
use kplan_core::input::scenario::read_scenario;
use kplan_core::scenario::Scenario;

use crate::{EXIT_BAD_INPUT, Failure, Io};

/// Reads and validates a scenario file; on errors, renders them and fails with exit code 2.
pub(crate) fn load_scenario(
    path: &std::path::Path,
    io: &mut Io<'_>,
) -> Result<(Scenario, Vec<Diagnostic>), Failure> {
    let (name, text) = crate::read_input(path)?;
    let read = read_scenario(&text, &name);
    match read.output {
        Ok(s) => Ok((s, read.warnings)),
        Err(errors) => {
            io.diagnostics(&errors, Some(&text));
            io.diagnostics(&read.warnings, Some(&text));
            Err(Failure {
                code: EXIT_BAD_INPUT,
                message: format!(
                    "error: {name}: {} problem(s); nothing was planned\n",
                    errors.len()
                ),
            })
        }
    }
}
