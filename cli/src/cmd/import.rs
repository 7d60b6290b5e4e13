//! `kplan import`: Kubernetes manifests in, the equivalent kplan scenario YAML out.

use kplan_core::input::import::import_scenario_yaml;

use crate::args::ImportArgs;
use crate::{EXIT_OK, Failure, Io};

pub(crate) fn run(a: &ImportArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    if a.manifests.files.is_empty() {
        return Err(Failure::bad_input(
            "error: give the manifests to import with -f PATH (a file, a directory or -)\n"
                .to_string(),
        ));
    }
    if a.manifests.headroom.is_some() {
        return Err(Failure::bad_input(
            "error: --headroom applies to plan and verify; the imported scenario takes policy.headroom\n"
                .to_string(),
        ));
    }
    let base = super::manifest_base(&a.manifests, &a.name)?;
    let (manifests, warnings) = super::load_manifests(&a.manifests, io)?;
    if manifests.workloads.is_empty() {
        return Err(Failure::bad_input(format!(
            "error: nothing to import: {}; no workload to plan\n",
            warnings[0].message
        )));
    }
    io.diagnostics(&warnings, None);
    let options = super::manifest_options(&a.manifests);
    let sources: Vec<String> = a.manifests.files.iter().map(|p| p.display().to_string()).collect();
    let text =
        import_scenario_yaml(&a.name, base.provider, &base.region, &manifests, &options, &sources);
    io.emit(a.out.as_deref(), &text)?;
    Ok(EXIT_OK)
}
