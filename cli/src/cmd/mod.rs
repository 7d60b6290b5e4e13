//! One module per subcommand: read files, call the core, render, write.

pub(crate) mod catalog;
pub(crate) mod commit;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod current;
pub(crate) mod diff;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod plan;
pub(crate) mod rightsize;
pub(crate) mod verify;

use std::path::{Path, PathBuf};

use kplan_core::catalog::Provider;
use kplan_core::diag::Diagnostic;
use kplan_core::input::manifests::{
    ManifestOptions, Manifests, ReplicaMode, Source, manifest_scenario, merge_into, read_manifests,
};
use kplan_core::input::scenario::read_study;
use kplan_core::scenario::Scenario;
use kplan_core::whatif::Study;

use kplan_core::policy::Headroom;

use crate::args::{HeadroomArg, ManifestArgs, ReplicasArg};
use crate::{EXIT_BAD_INPUT, Failure, Io};

/// Reads and validates a scenario file; on errors, renders them and fails with exit code 2.
pub(crate) fn load_scenario(
    path: &std::path::Path,
    io: &mut Io<'_>,
) -> Result<(Scenario, Vec<Diagnostic>), Failure> {
    load_study(path, io).map(|(study, warnings)| (study.base, warnings))
}

/// Reads a scenario file with its variants and sweeps, as [`load_scenario`] otherwise.
pub(crate) fn load_study(
    path: &std::path::Path,
    io: &mut Io<'_>,
) -> Result<(Study, Vec<Diagnostic>), Failure> {
    let (name, text) = io.read_input(path)?;
    let read = read_study(&text, &name);
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
/// The scenario to plan: a scenario file, manifests (-f), or a scenario with manifests added;
/// `--headroom` applied. Warnings (the manifests' summary first) come along.
pub(crate) fn load_input(
    scenario: Option<&Path>,
    m: &ManifestArgs,
    io: &mut Io<'_>,
) -> Result<(Study, Vec<Diagnostic>), Failure> {
    load_input_at(scenario, m, None, io)
}

/// [`load_input`], with the provider and region to plan manifests for when `--provider` is not
/// given (`kplan verify` takes them from the plan).
pub(crate) fn load_input_at(
    scenario: Option<&Path>,
    m: &ManifestArgs,
    site: Option<(Provider, &str)>,
    io: &mut Io<'_>,
) -> Result<(Study, Vec<Diagnostic>), Failure> {
    let (mut study, warnings) = load_input_as_written(scenario, m, site, io)?;
    let s = &mut study.base;
    if let Some(h) = m.headroom {
        s.policy.headroom = match h {
            HeadroomArg::None => Headroom::None,
            HeadroomArg::Node => Headroom::Node,
            HeadroomArg::Zone => Headroom::Zone,
        };
    }
    if s.workloads.is_empty() && !m.files.is_empty() {
        return Err(Failure::bad_input(format!(
            "error: nothing to plan: {}\n",
            warnings.first().map_or_else(
                || "the input holds no workloads".to_string(),
                |summary| format!("{}; no workload to plan", summary.message)
            )
        )));
    }
    Ok((study, warnings))
}

fn load_input_as_written(
    scenario: Option<&Path>,
    m: &ManifestArgs,
    site: Option<(Provider, &str)>,
    io: &mut Io<'_>,
) -> Result<(Study, Vec<Diagnostic>), Failure> {
    if m.files.is_empty() {
        if m.provider.is_some() || m.region.is_some() {
            return Err(Failure::bad_input(
                "error: --provider and --region apply to manifests given with -f\n".to_string(),
            ));
        }
        let Some(path) = scenario else {
            return Err(Failure::bad_input(
                "error: give a scenario file, or Kubernetes manifests with -f PATH\n".to_string(),
            ));
        };
        return load_study(path, io);
    }
    if scenario.is_some_and(|p| p == Path::new("-")) && m.files.iter().any(|f| f == Path::new("-"))
    {
        return Err(Failure::bad_input(
            "error: stdin can hold the scenario or the manifests, not both\n".to_string(),
        ));
    }
    let (manifests, mut warnings) = load_manifests(m, io)?;
    let (mut base, scenario_warnings) = match scenario {
        Some(path) => {
            if m.provider.is_some() || m.region.is_some() {
                return Err(Failure::bad_input(format!(
                    "error: {} names its provider and region; --provider and --region apply to manifests planned without a scenario\n",
                    path.display()
                )));
            }
            load_study(path, io)?
        }
        None => match site {
            Some((provider, region)) if m.provider.is_none() && m.region.is_none() => {
                let base = manifest_scenario("manifests", provider, Some(region))
                    .map_err(|d| Failure::bad_input(format!("error: {}\n", d.message)))?;
                (Study::of(base), Vec::new())
            }
            _ => (Study::of(manifest_base(m, "manifests")?), Vec::new()),
        },
    };
    warnings.extend(scenario_warnings);
    if let Err(errors) = merge_into(&mut base.base, &manifests) {
        io.diagnostics(&errors, None);
        return Err(Failure::bad_input(format!(
            "error: {} problem(s); nothing was planned\n",
            errors.len()
        )));
    }
    Ok((base, warnings))
}

/// A scenario with defaults for `--provider` and `--region`.
pub(crate) fn manifest_base(m: &ManifestArgs, name: &str) -> Result<Scenario, Failure> {
    let Some(provider) = &m.provider else {
        return Err(Failure::bad_input(
            "error: manifests carry no provider: give --provider (aws, gcp or azure) and --region, or a scenario file\n"
                .to_string(),
        ));
    };
    let provider: Provider =
        provider.parse().map_err(|e| Failure::bad_input(format!("error: --provider: {e}\n")))?;
    manifest_scenario(name, provider, m.region.as_deref())
        .map_err(|d| Failure::bad_input(format!("error: {}\n", d.message)))
}

/// Reads every manifest path (files, directories, stdin); renders the problems and fails with
/// exit code 2 when there are any. Returns what was read and its warnings, the summary first.
pub(crate) fn load_manifests(
    m: &ManifestArgs,
    io: &mut Io<'_>,
) -> Result<(Manifests, Vec<Diagnostic>), Failure> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for path in &m.files {
        if path != Path::new("-") && path.is_dir() {
            let mut files = Vec::new();
            manifest_files(path, &mut files).map_err(|e| {
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
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source { name, text }).collect();
    let options = manifest_options(m);
    let read = read_manifests(&sources, &options);
    let text_of = |d: &Diagnostic| {
        d.source.as_ref().and_then(|s| texts.iter().find(|(n, _)| n == s)).map(|(_, t)| t.as_str())
    };
    match read.output {
        Ok(manifests) => {
            let mut warnings = vec![manifests.summary()];
            warnings.extend(read.warnings);
            Ok((manifests, warnings))
        }
        Err(errors) => {
            for d in errors.iter().chain(&read.warnings) {
                io.diagnostics(std::slice::from_ref(d), text_of(d));
            }
            Err(Failure::bad_input(format!(
                "error: {} problem(s) in the manifests; nothing was planned\n",
                errors.len()
            )))
        }
    }
}

/// The reading options given on the command line.
pub(crate) fn manifest_options(m: &ManifestArgs) -> ManifestOptions {
    ManifestOptions {
        default_namespace: m.namespace.clone(),
        owner_key: m.owner_key.clone(),
        replicas: match m.replicas {
            ReplicasArg::Current => ReplicaMode::Current,
            ReplicasArg::Min => ReplicaMode::Min,
            ReplicasArg::Peak => ReplicaMode::Peak,
        },
        include_jobs: m.include_jobs,
    }
}

/// The `*.yaml`, `*.yml` and `*.json` files under a directory, recursively, sorted by path.
pub(crate) fn manifest_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            manifest_files(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
    Ok(())
}
