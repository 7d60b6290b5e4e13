//! `kplan diff`: what changed between two plans, for pull-request reviews.

use std::path::Path;

use kplan_core::plan::Plan;
use kplan_core::report::{diff, json};

use crate::args::{DiffArgs, DiffFormat};
use crate::{EXIT_BAD_INPUT, EXIT_OK, Failure, Io};

fn load_plan(path: &Path, io: &mut Io<'_>) -> Result<Plan, Failure> {
    let (name, text) = io.read_input(path)?;
    json::read_plan(&text, &name).map_err(|d| {
        io.diagnostics(std::slice::from_ref(&d), Some(&text));
        Failure { code: EXIT_BAD_INPUT, message: format!("error: {name}: not a readable plan\n") }
    })
}

pub(crate) fn run(a: &DiffArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let old = load_plan(&a.old, io)?;
    let new = load_plan(&a.new, io)?;
    let d = diff::plan_diff(&old, &new);
    let text = match a.format {
        DiffFormat::Table => diff::diff_table(&d),
        DiffFormat::Md => diff::diff_markdown(&d),
        DiffFormat::Json => json::diff_to_json(&d),
    };
    io.emit(a.out.as_deref(), &text)?;
    Ok(EXIT_OK)
}
