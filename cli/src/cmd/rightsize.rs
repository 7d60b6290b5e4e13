//! `kplan rightsize`: a scenario (or manifests) and observed usage in; recommended requests,
//! the right-sized scenario (`--out`) and both plans, verified, with the saving and the risk out.

use std::path::{Path, PathBuf};

use serde_json::Value;

use kplan_core::diag::Diagnostic;
use kplan_core::input::document::{document_yaml, scenario_document};
use kplan_core::input::import::import_scenario_yaml;
use kplan_core::input::manifests::merge_into;
use kplan_core::input::scenario::read_scenario;
use kplan_core::input::usage::pods::{PodOwners, read_pod_owners};
use kplan_core::input::usage::{Usage, UsageSource, read_usage};
use kplan_core::quantity::{Bytes, Cpu};
use kplan_core::report::rightsize::{
    RightsizeReport, bars, rightsize_document, rightsize_table, rightsize_to_json,
    rightsized_scenario_yaml,
};
use kplan_core::report::{chart, html};
use kplan_core::rightsize::strategy::{Rounding, parse_margin, parse_percentile};
use kplan_core::rightsize::{LimitsPolicy, Settings, Strategy, plan_both, rightsize, settings};
use kplan_core::scenario::Scenario;

use crate::args::{LimitsArg, RightsizeArgs, RightsizeFormat, StrategyArg};
use crate::progress::Progress;
use crate::{EXIT_INFEASIBLE, EXIT_OK, Failure, Io, WallClock};

/// The settings from the strategy's defaults and the flags given.
fn settings_of(a: &RightsizeArgs) -> Result<Settings, Failure> {
    let strategy = match a.strategy {
        StrategyArg::Simple => Strategy::Simple,
        StrategyArg::Percentile => Strategy::Percentile,
    };
    let bad = |flag: &str, e: String| Failure::bad_input(format!("error: {flag}: {e}\n"));
    let mut s = settings(strategy);
    if let Some(p) = &a.cpu_percentile {
        s.cpu_percentile =
            parse_percentile(p).map_err(|e| bad("--cpu-percentile", e.to_string()))?;
    }
    if let Some(p) = &a.memory_percentile {
        if strategy == Strategy::Simple {
            return Err(bad(
                "--memory-percentile",
                "the simple strategy takes the memory peak; give --strategy percentile for a memory percentile".to_string(),
            ));
        }
        s.memory_percentile =
            parse_percentile(p).map_err(|e| bad("--memory-percentile", e.to_string()))?;
    }
    if let Some(m) = &a.memory_margin {
        s.memory_margin = parse_margin(m).map_err(|e| bad("--memory-margin", e.to_string()))?;
    }
    if let Some(c) = &a.min_cpu {
        s.min_cpu = Cpu::parse(c).map_err(|e| bad("--min-cpu", e.to_string()))?;
    }
    if let Some(m) = &a.min_memory {
        s.min_memory = Bytes::parse(m).map_err(|e| bad("--min-memory", e.to_string()))?;
    }
    if let Some(r) = &a.round {
        s.rounding = r.parse::<Rounding>().map_err(|e| bad("--round", e.to_string()))?;
    }
    if let Some(l) = a.limits {
        s.limits = match l {
            LimitsArg::RemoveCpu => LimitsPolicy::RemoveCpu,
            LimitsArg::Keep => LimitsPolicy::Keep,
            LimitsArg::KeepRatio => LimitsPolicy::KeepRatio,
        };
    }
    if let Some(n) = a.min_samples {
        if n == 0 {
            return Err(bad("--min-samples", "at least 1 sample is needed".to_string()));
        }
        s.min_samples = n;
    }
    s.allow_hpa = a.allow_hpa;
    Ok(s)
}

/// Fails with the diagnostics rendered against their texts.
fn failed(
    io: &mut Io<'_>,
    errors: &[Diagnostic],
    texts: &[(String, String)],
    what: &str,
) -> Failure {
    for d in errors {
        let text = d
            .source
            .as_ref()
            .and_then(|s| texts.iter().find(|(n, _)| n == s))
            .map(|(_, t)| t.as_str());
        io.diagnostics(std::slice::from_ref(d), text);
    }
    Failure::bad_input(format!(
        "error: {} problem(s) in {what}; nothing was planned\n",
        errors.len()
    ))
}

/// The scenario as a document: the scenario file's, the manifests' (as `kplan import` writes
/// them), or the scenario's with the manifests' workloads and DaemonSets added.
fn load_document(a: &RightsizeArgs, io: &mut Io<'_>) -> Result<(Value, String), Failure> {
    let m = &a.manifests;
    let scenario = match &a.scenario {
        Some(path) => {
            let (name, text) = io.read_input(path)?;
            let read = scenario_document(&text, &name);
            let texts = [(name.clone(), text)];
            match read.output {
                Ok(doc) => {
                    io.diagnostics(&read.warnings, Some(&texts[0].1));
                    Some((doc, name))
                }
                Err(errors) => return Err(failed(io, &errors, &texts, &name)),
            }
        }
        None => None,
    };
    if m.files.is_empty() {
        if m.provider.is_some() || m.region.is_some() {
            return Err(Failure::bad_input(
                "error: --provider and --region apply to manifests given with -f\n".to_string(),
            ));
        }
        return scenario.ok_or_else(|| {
            Failure::bad_input(
                "error: give a scenario file, or Kubernetes manifests with -f PATH\n".to_string(),
            )
        });
    }
    if a.scenario.as_deref().is_some_and(|p| p == Path::new("-"))
        && m.files.iter().any(|f| f == Path::new("-"))
    {
        return Err(Failure::bad_input(
            "error: stdin can hold the scenario or the manifests, not both\n".to_string(),
        ));
    }
    if m.headroom.is_some() {
        return Err(Failure::bad_input(
            "error: --headroom applies to plan and verify; give policy.headroom in a scenario\n"
                .to_string(),
        ));
    }
    let (manifests, warnings) = super::load_manifests(m, io)?;
    io.diagnostics(&warnings, None);
    let options = super::manifest_options(m);
    let sources: Vec<String> = m.files.iter().map(|p| p.display().to_string()).collect();
    let base: Scenario = match &scenario {
        Some((doc, name)) => {
            if m.provider.is_some() || m.region.is_some() {
                return Err(Failure::bad_input(format!(
                    "error: {name} names its provider and region; --provider and --region apply to manifests planned without a scenario\n"
                )));
            }
            let yaml = document_yaml(doc);
            read_scenario(&yaml, name).output.map_err(|e| failed(io, &e, &[], name))?
        }
        None => super::manifest_base(m, "manifests")?,
    };
    // The same check `kplan plan` makes: no workload both in the scenario and the manifests.
    let mut merged = base.clone();
    if let Err(errors) = merge_into(&mut merged, &manifests) {
        return Err(failed(io, &errors, &[], "the manifests"));
    }
    let yaml = import_scenario_yaml(
        &base.name,
        base.provider,
        &base.region,
        &manifests,
        &options,
        &sources,
    );
    let imported = scenario_document(&yaml, "manifests")
        .output
        .map_err(|e| failed(io, &e, &[], "the imported manifests"))?;
    match scenario {
        None => Ok((imported, "manifests".to_string())),
        Some((mut doc, name)) => {
            for field in ["workloads", "daemonsets"] {
                let add = imported[field].as_array().cloned().unwrap_or_default();
                if add.is_empty() {
                    continue;
                }
                match doc.get_mut(field) {
                    Some(Value::Array(list)) => list.extend(add),
                    _ => doc[field] = Value::Array(add),
                }
            }
            Ok((doc, name))
        }
    }
}

/// Every file of the paths given: a directory gives its files (not hidden ones), sorted.
fn files_of(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut res = Vec::new();
    for p in paths {
        if p != Path::new("-") && p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .and_then(|d| d.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>())
                .map_err(|e| {
                    Failure::bad_input(format!("error: cannot read {}: {e}\n", p.display()))
                })?;
            entries.retain(|e| {
                e.is_file()
                    && !e.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
            });
            entries.sort();
            if entries.is_empty() {
                return Err(Failure::bad_input(format!("error: {} holds no files\n", p.display())));
            }
            res.extend(entries);
        } else {
            res.push(p.clone());
        }
    }
    Ok(res)
}

fn load_usage(a: &RightsizeArgs, io: &mut Io<'_>) -> Result<(Usage, Vec<String>), Failure> {
    let mut texts = Vec::new();
    for f in files_of(&a.usage)? {
        texts.push(io.read_input(&f)?);
    }
    let sources: Vec<UsageSource<'_>> =
        texts.iter().map(|(name, text)| UsageSource { name, text }).collect();
    let read = read_usage(&sources);
    let names = texts.iter().map(|(n, _)| n.clone()).collect();
    match read.output {
        Ok(u) => {
            for d in &read.warnings {
                io.note(&format!("{d}\n"));
            }
            Ok((u, names))
        }
        Err(errors) => Err(failed(io, &errors, &texts, "the usage")),
    }
}

fn load_owners(a: &RightsizeArgs, io: &mut Io<'_>) -> Result<Option<PodOwners>, Failure> {
    if a.pods.is_empty() {
        return Ok(None);
    }
    let mut texts = Vec::new();
    for f in files_of(&a.pods)? {
        texts.push(io.read_input(&f)?);
    }
    let sources: Vec<UsageSource<'_>> =
        texts.iter().map(|(name, text)| UsageSource { name, text }).collect();
    let read = read_pod_owners(&sources);
    match read.output {
        Ok(o) => {
            for d in &read.warnings {
                io.note(&format!("{d}\n"));
            }
            Ok(Some(o))
        }
        Err(errors) => Err(failed(io, &errors, &texts, "the pods")),
    }
}

pub(crate) fn run(a: &RightsizeArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let s = settings_of(a)?;
    if a.usage.iter().filter(|p| *p == Path::new("-")).count()
        + usize::from(a.scenario.as_deref() == Some(Path::new("-")))
        + a.manifests.files.iter().filter(|p| *p == Path::new("-")).count()
        + a.pods.iter().filter(|p| *p == Path::new("-")).count()
        > 1
    {
        return Err(Failure::bad_input("error: stdin (-) can be given once\n".to_string()));
    }
    let (doc, label) = load_document(a, io)?;
    let (usage, usage_names) = load_usage(a, io)?;
    let owners = load_owners(a, io)?;
    let r = rightsize(&doc, &usage, owners.as_ref(), &s);
    let (n_unmatched, other): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        r.notes.iter().partition(|d| d.source.is_some());
    for d in other {
        io.note(&format!("{d}\n"));
    }
    if !n_unmatched.is_empty() {
        io.note(&format!(
            "warning: the samples of {} pod(s) or container(s) match no workload and are not used; the report lists each with its file:line:column (\"Not used\")\n",
            r.unmatched.len()
        ));
    }
    let before_yaml = document_yaml(&doc);
    let after_yaml = document_yaml(&r.document);
    let before =
        read_scenario(&before_yaml, &label).output.map_err(|e| failed(io, &e, &[], &label))?;
    let after = read_scenario(&after_yaml, &format!("{label} (right-sized)"))
        .output
        .map_err(|e| failed(io, &e, &[], "the right-sized scenario"))?;
    if let Some(out) = &a.out {
        io.emit(Some(out), &rightsized_scenario_yaml(&r, &usage_names))?;
    }
    let clock = WallClock::start();
    let cfg = super::plan::config(
        a.solve.method,
        a.solve.backend,
        a.solve.time_limit,
        kplan_core::solve::karpenter::default_options(),
        &clock,
    );
    let progress =
        Progress::new(None, &format!("planning {} before and after", before.name), a.quiet);
    let res = plan_both(&before, &after, &cfg);
    progress.finish();
    let planned = match res {
        Ok(p) => p,
        Err(f) => {
            return match f.error {
                kplan_core::solve::SolveError::Infeasible(inf) => {
                    io.note(&format!(
                        "error: {label}: the plan {} right-sizing is infeasible: {}\n",
                        f.which, inf.reason
                    ));
                    Ok(EXIT_INFEASIBLE)
                }
                e => Err(Failure::bad_input(format!("error: {label}: {e}\n"))),
            };
        }
    };
    let rep =
        RightsizeReport { rightsizing: &r, before: &before, after: &after, planned: &planned };
    let out = a.report.as_deref();
    match a.format {
        RightsizeFormat::Table => io.emit(out, &rightsize_table(&rep))?,
        RightsizeFormat::Json => io.emit(out, &rightsize_to_json(&rep))?,
        RightsizeFormat::Md => {
            let figures = chart::rightsize_figures(&bars(&rep));
            let doc = rightsize_document(&rep, figures.len());
            super::write_markdown(io, out, &doc, &figures)?;
        }
        RightsizeFormat::Html => {
            let figures = chart::rightsize_figures(&bars(&rep));
            let doc = rightsize_document(&rep, figures.len());
            io.emit(out, &html::to_html(&doc, &figures))?;
        }
    }
    let mut code = EXIT_OK;
    for (which, v) in [("before", &planned.before_violations), ("after", &planned.after_violations)]
    {
        if !v.is_empty() {
            for x in v.iter() {
                io.note(&format!("error: the plan {which} right-sizing breaks a rule: {x}\n"));
            }
            code = EXIT_INFEASIBLE;
        }
    }
    Ok(code)
}
