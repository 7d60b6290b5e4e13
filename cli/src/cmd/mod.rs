//! One module per subcommand: read files, call the core, render, write.

pub(crate) mod catalog;
pub(crate) mod compare;
pub(crate) mod diff;
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

/// Writes a Markdown report; with `--out report.md`, its charts go beside it as `report-<chart>.svg`.
pub(crate) fn write_markdown(
    io: &mut Io<'_>,
    out: Option<&std::path::Path>,
    doc: &kplan_core::report::document::Document,
    figures: &[kplan_core::report::Figure],
) -> Result<(), Failure> {
    use kplan_core::report::markdown::to_markdown;
    match out {
        Some(path) if path != std::path::Path::new("-") => {
            let stem = path.file_stem().map_or("report".into(), |s| s.to_string_lossy());
            let prefix = format!("{stem}-");
            let dir = path.parent().unwrap_or(std::path::Path::new(""));
            for f in figures {
                let svg_path = dir.join(format!("{prefix}{}.svg", f.stem));
                std::fs::write(&svg_path, &f.svg).map_err(|e| {
                    Failure::bad_input(format!("error: cannot write {}: {e}\n", svg_path.display()))
                })?;
            }
            io.emit(Some(path), &to_markdown(doc, figures, &prefix))
        }
        _ => {
            io.note("note: Markdown on stdout has no charts; give --out report.md to write them beside it\n");
            io.emit(None, &to_markdown(doc, &[], ""))
        }
    }
}
