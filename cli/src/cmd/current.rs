//! `kplan current`: today's cluster from `kubectl` output, priced as a plan, with what it breaks.

use std::path::{Path, PathBuf};

use kplan_core::catalog::Provider;
use kplan_core::current::{Today, price, violation_warnings};
use kplan_core::diag::Diagnostic;
use kplan_core::input::cluster::{Cluster, ClusterOptions, read_cluster};
use kplan_core::input::json_to_yaml;
use kplan_core::input::manifests::Source;
use kplan_core::plan::verify::verify;
use kplan_core::report::{chart, csv, current, document, html, json, table};
use kplan_core::scenario::Scenario;

use crate::args::{CurrentArgs, ManifestArgs, PlanFormat};
use crate::{EXIT_OK, Failure, Io};

/// Reads `kubectl` output (files, directories, stdin); renders the problems and fails with exit
/// code 2 when there are any. Returns the cluster and its warnings, the summary first.
pub(crate) fn load_cluster(
    paths: &[PathBuf],
    m: &ManifestArgs,
    io: &mut Io<'_>,
) -> Result<(Cluster, Vec<Diagnostic>), Failure> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for path in paths {
        if path != Path::new("-") && path.is_dir() {
            let mut files = Vec::new();
            super::manifest_files(path, &mut files).map_err(|e| {
                Failure::bad_input(format!("error: cannot read {}: {e}\n", path.display()))
            })?;
            if files.is_empty() {
                return Err(Failure::bad_input(format!(
                    "error: {} holds no *.yaml, *.yml or *.json files\n",
                    path.display()
                )));
            }
            for f in files {
                texts.push(io.read_input(&f)?);
            }
        } else {
            texts.push(io.read_input(path)?);
        }
    }
    let provider = match &m.provider {
        Some(p) => Some(
            p.parse::<Provider>()
                .map_err(|e| Failure::bad_input(format!("error: --provider: {e}\n")))?,
        ),
        None => None,
    };
    let options = ClusterOptions {
        provider,
        region: m.region.clone(),
        manifests: super::manifest_options(m),
    };
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source { name, text }).collect();
    let read = read_cluster(&sources, &options);
    let text_of = |d: &Diagnostic| {
        d.source.as_ref().and_then(|s| texts.iter().find(|(n, _)| n == s)).map(|(_, t)| t.as_str())
    };
    match read.output {
        Ok(cluster) => {
            let mut warnings = vec![cluster.summary()];
            warnings.extend(read.warnings);
            Ok((cluster, warnings))
        }
        Err(errors) => {
            for d in errors.iter().chain(&read.warnings) {
                io.diagnostics(std::slice::from_ref(d), text_of(d));
            }
            Err(Failure::bad_input(format!(
                "error: {} problem(s) in the cluster's kubectl output; nothing was priced\n",
                errors.len()
            )))
        }
    }
}

/// Today's cluster: read, priced against the scenario (when given), with its reading warnings.
pub(crate) fn load_today(
    scenario: Option<&Path>,
    paths: &[PathBuf],
    m: &ManifestArgs,
    io: &mut Io<'_>,
) -> Result<(Cluster, Option<Scenario>, Today, Vec<Diagnostic>), Failure> {
    if !m.files.is_empty() {
        return Err(Failure::bad_input(
            "error: -f applies to manifests; give controller objects (Deployments, autoscalers …) to --cluster with the pods\n"
                .to_string(),
        ));
    }
    let (cluster, mut warnings) = load_cluster(paths, m, io)?;
    let base = match scenario {
        Some(path) => {
            let (s, w) = super::load_scenario(path, io)?;
            warnings.extend(w);
            Some(s)
        }
        None => None,
    };
    let today = price(&cluster, base.as_ref())
        .map_err(|d| Failure::bad_input(format!("error: {}\n", d.message)))?;
    Ok((cluster, base, today, warnings))
}

pub(crate) fn run(a: &CurrentArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (_, _, mut today, warnings) =
        load_today(a.scenario.as_deref(), &a.cluster, &a.manifests, io)?;
    let violations = verify(&today.scenario, &today.plan);
    let mut all = warnings;
    all.append(&mut today.plan.warnings);
    all.extend(violation_warnings(&violations));
    today.plan.warnings = all;
    let (scenario, plan) = (&today.scenario, &today.plan);
    match a.format {
        PlanFormat::Table => {
            let mut text = table::plan_table(scenario, plan);
            text.push_str(&current::today_section(&today, &violations));
            io.emit(a.out.as_deref(), &text)?;
        }
        PlanFormat::Json => io.emit(a.out.as_deref(), &json::plan_to_json(scenario, plan))?,
        PlanFormat::Yaml => {
            io.emit(a.out.as_deref(), &json_to_yaml(&json::plan_value(scenario, plan)))?
        }
        PlanFormat::Csv => io.emit(a.out.as_deref(), &csv::plan_csv(plan))?,
        PlanFormat::Md => {
            let figures = chart::plan_figures(scenario, plan);
            let doc = document::plan_document(scenario, plan, figures.len());
            super::write_markdown(io, a.out.as_deref(), &doc, &figures)?;
        }
        PlanFormat::Html => {
            let figures = chart::plan_figures(scenario, plan);
            let doc = document::plan_document(scenario, plan, figures.len());
            io.emit(a.out.as_deref(), &html::to_html(&doc, &figures))?;
        }
    }
    Ok(EXIT_OK)
}
