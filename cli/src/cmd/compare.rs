//! `kplan compare`: plans the base, every variant and every sweep point in parallel, then lines them up.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use kplan_core::plan::Plan;
use kplan_core::report::{chart, compare, csv, document, html, json};
use kplan_core::solve::{Clock, SolveError, solve};
use kplan_core::whatif;

use crate::args::{CompareArgs, CompareFormat};
use crate::progress::Progress;
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

pub(crate) fn run(a: &CompareArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (study, warnings) = super::load_study(&a.scenario, io)?;
    io.diagnostics(&warnings, None);
    let scenario = &study.base;
    let cases = whatif::cases(&study).map_err(|errors| {
        Failure::bad_input(format!(
            "error: {}: {}\n",
            a.scenario.display(),
            whatif::problems_text(&errors, "\n")
        ))
    })?;
    if cases.len() == 1 {
        io.note(&format!(
            "note: {} has no variants or sweeps; comparing the base alone\n",
            a.scenario.display()
        ));
    }
    let progress = Progress::new(
        Some(cases.len() as u64),
        &format!("planning {} cases", cases.len()),
        a.quiet,
    );
    // Cases are independent: solve them on rayon's pool; `collect` keeps the input order.
    // `--time-limit` bounds the whole comparison: a case gets the time left divided by the
    // rounds of cases still to start (the pool runs `threads` at once).
    let clock = WallClock::start();
    let begun = AtomicUsize::new(0);
    let threads = rayon::current_num_threads().max(1);
    let n_cases = cases.len();
    let results: Vec<Result<Plan, String>> = cases
        .par_iter()
        .map(|case| {
            let k = begun.fetch_add(1, Ordering::Relaxed);
            let share = a.solve.time_limit.map(|t| {
                let rounds = (n_cases - k.min(n_cases - 1)).div_ceil(threads);
                ((t - clock.now()) / rounds as f64).max(0.0)
            });
            let cfg = super::plan::config(
                a.solve.method,
                a.solve.backend,
                share,
                a.karpenter.options(),
                &clock,
            );
            let res = match solve(&case.scenario, &cfg) {
                // The scenario's own warnings, printed above, are every case's too: counted with
                // the plan's, as `kplan plan` lists them.
                Ok(mut p) => {
                    let mut all = warnings.clone();
                    all.append(&mut p.warnings);
                    p.warnings = all;
                    Ok(p)
                }
                Err(SolveError::Infeasible(inf)) => Err(inf.reason),
                Err(e) => Err(e.to_string()),
            };
            progress.inc();
            res
        })
        .collect();
    progress.finish();
    let rows = compare::compare_rows(&cases, &results);
    let base_plan = results.first().and_then(|r| r.as_ref().ok());
    match a.format {
        CompareFormat::Table => {
            io.emit(a.out.as_deref(), &compare::compare_table(&scenario.name, &rows))?
        }
        CompareFormat::Json => {
            io.emit(a.out.as_deref(), &json::compare_to_json(&scenario.name, &rows))?
        }
        CompareFormat::Csv => io.emit(a.out.as_deref(), &csv::compare_csv(&rows))?,
        CompareFormat::Md => {
            let figures = chart::compare_figures(&study, &rows, base_plan);
            let doc = document::compare_document(scenario, &rows, figures.len());
            super::write_markdown(io, a.out.as_deref(), &doc, &figures)?;
        }
        CompareFormat::Html => {
            let figures = chart::compare_figures(&study, &rows, base_plan);
            let doc = document::compare_document(scenario, &rows, figures.len());
            io.emit(a.out.as_deref(), &html::to_html(&doc, &figures))?;
        }
    }
    Ok(if base_plan.is_some() { EXIT_OK } else { EXIT_INFEASIBLE })
}
