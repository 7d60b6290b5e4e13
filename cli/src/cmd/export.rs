//! `kplan export`: a plan to Karpenter NodePools, an eksctl ClusterConfig, Terraform, gcloud or az.

use kplan_core::policy::ratio_to_ppm;
use kplan_core::report::export::{ExportOptions, Format, export};
use kplan_core::report::json::read_plan;

use crate::args::{ExportArgs, ExportFormat};
use crate::{EXIT_BAD_INPUT, EXIT_OK, Failure, Io};

pub(crate) fn run(a: &ExportArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let (name, text) = io.read_input(&a.plan)?;
    let plan = match read_plan(&text, &name) {
        Ok(p) => p,
        Err(d) => {
            io.diagnostics(&[d], Some(&text));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    if !(0.0..=10.0).contains(&a.headroom) {
        return Err(Failure::bad_input(format!(
            "error: --headroom: expected a fraction from 0 to 10, found {}\n",
            a.headroom
        )));
    }
    let format = match a.format {
        ExportFormat::Karpenter => Format::Karpenter,
        ExportFormat::Eksctl => Format::Eksctl,
        ExportFormat::Terraform => Format::Terraform,
        ExportFormat::Gke => Format::Gke,
        ExportFormat::Aks => Format::Aks,
    };
    let options = ExportOptions {
        cluster_name: a.cluster_name.clone(),
        headroom_ppm: ratio_to_ppm(a.headroom),
        node_class: a.node_class.clone(),
    };
    let files = export(&plan, format, &options)
        .map_err(|e| Failure::bad_input(format!("error: {name}: {e}\n")))?;
    match &a.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::bad_input(format!("error: cannot create {}: {e}\n", dir.display()))
            })?;
            for f in &files {
                let path = dir.join(&f.name);
                io.emit(Some(&path), &f.text)?;
                io.note(&format!("wrote {}\n", path.display()));
            }
        }
        None => {
            for f in &files {
                io.emit(None, &f.text)?;
            }
        }
    }
    Ok(EXIT_OK)
}
