//! Pods: phase, node, the manifest reader's reading of the pod, and the controller it belongs to.

use std::collections::{BTreeMap, BTreeSet};

use super::{ClusterPod, Controller, PodPhase};
use crate::input::manifests::{
    ManifestOptions, NsMeta, Object, Reader, controller_of, scalar_text,
};
use crate::input::usage::pods::{PodRef, resolve};

/// The controllers of ReplicaSets and Jobs: (kind, namespace, name) → (kind, name).
pub(super) type Owners = BTreeMap<(String, String, String), (String, String)>;

/// Which controllers' reading warnings were already kept: (namespace, kind, name).
pub(super) type Warned = BTreeSet<(String, String, String)>;

/// The annotations and labels of the Namespace objects read (their owner keys apply to their pods).
pub(super) fn namespace_meta(cx: &mut Reader, objects: &[Object<'_>]) -> BTreeMap<String, NsMeta> {
    let mut res = BTreeMap::new();
    for o in objects.iter().filter(|o| o.kind == "Namespace") {
        let (labels, annotations) = cx.labels_and_annotations(o.node.get("metadata").as_ref());
        res.insert(o.name.clone(), (annotations, labels));
    }
    res
}

/// The controllers of the ReplicaSets and Jobs read, for resolving their pods' controllers.
pub(super) fn owner_chain(objects: &[Object<'_>]) -> Owners {
    objects
        .iter()
        .filter(|o| o.kind == "ReplicaSet" || o.kind == "Job")
        .filter_map(|o| {
            let c = controller_of(o.node.get("metadata").as_ref())?;
            Some(((o.kind.clone(), o.namespace.clone(), o.name.clone()), c))
        })
        .collect()
}

/// Reads one Pod object; `None` (with the errors recorded) when it cannot be read. Reading
/// warnings (selectors kplan cannot resolve, say) are kept for the first pod of each controller.
pub(super) fn read_pod(
    cx: &mut Reader,
    o: &Object<'_>,
    namespaces: &BTreeMap<String, NsMeta>,
    owners: &Owners,
    options: &ManifestOptions,
    warned: &mut Warned,
) -> Option<ClusterPod> {
    let n_errors = cx.errors.len();
    let n_warnings = cx.warnings.len();
    let node = o.node.get_path(&["spec", "nodeName"]).and_then(|n| cx.string(&n, "spec.nodeName"));
    let phase = match o.node.get_path(&["status", "phase"]) {
        Some(n) => match cx.string(&n, "status.phase").as_deref() {
            Some("Pending") => PodPhase::Pending,
            Some("Running") => PodPhase::Running,
            Some("Succeeded") => PodPhase::Succeeded,
            Some("Failed") => PodPhase::Failed,
            Some("Unknown") => PodPhase::Unknown,
            Some(other) => {
                cx.err(&n, format!("unknown pod phase {other:?}; expected Pending, Running, Succeeded, Failed or Unknown"));
                PodPhase::Unknown
            }
            None => PodPhase::Unknown,
        },
        None => {
            cx.warn(
                &o.node,
                format!(
                    "pod {}/{} has no status.phase (is this `kubectl get pods -o yaml` output?); it is read as {}",
                    o.namespace,
                    o.name,
                    if node.is_some() { "running on its node" } else { "pending" }
                ),
            );
            if node.is_some() { PodPhase::Running } else { PodPhase::Pending }
        }
    };
    let reason = pod_reason(o);
    let read = cx.workload(o, None, namespaces.get(&o.namespace), options)?;
    let labels = &read.manifest.workload.labels;
    let pod_ref = PodRef {
        namespace: o.namespace.clone(),
        name: o.name.clone(),
        controller: read.controller.clone(),
        template_hash: labels.get("pod-template-hash").cloned(),
    };
    let mut owner = resolve(&pod_ref, owners);
    // A static pod's mirror (kube-proxy on GKE, say) is owned by its Node and named
    // `<pod>-<node>`: one per node, like a DaemonSet's pods.
    if owner.kind == "Node" {
        let base = o.name.strip_suffix(&format!("-{}", owner.name)).unwrap_or(&o.name);
        owner.via = format!("static pod of node {}", owner.name);
        owner.name = base.to_string();
    }
    if !warned.insert((o.namespace.clone(), owner.kind.clone(), owner.name.clone())) {
        cx.warnings.truncate(n_warnings);
    }
    let daemonset = (owner.kind == "DaemonSet" || owner.kind == "Node").then(|| {
        let mut ds = cx.daemonset(&read).daemonset;
        ds.name.clone_from(&owner.name);
        ds
    });
    if cx.errors.len() > n_errors {
        return None;
    }
    Some(ClusterPod {
        name: o.name.clone(),
        namespace: o.namespace.clone(),
        node,
        phase,
        reason,
        controller: Controller { kind: owner.kind, name: owner.name },
        controller_via: owner.via,
        read: read.manifest,
        daemonset,
    })
}

/// Why a pod is pending or ended: `status.reason` and `status.message`, else the message of a
/// `PodScheduled` condition that is not true (`0/6 nodes are available: 3 Insufficient cpu …`).
fn pod_reason(o: &Object<'_>) -> Option<String> {
    let status = o.node.get("status")?;
    let text = |key: &str| status.get(key).and_then(|n| scalar_text(n.v));
    if let Some(r) = text("reason") {
        return Some(match text("message") {
            Some(m) => format!("{r}: {m}"),
            None => r,
        });
    }
    let conditions = status.get("conditions")?;
    let list = crate::input::manifests::untag(conditions.v).as_sequence()?;
    list.iter().find_map(|c| {
        let c = crate::input::manifests::untag(c);
        let kind = c.get("type").and_then(|v| v.as_str())?;
        let ok = c.get("status").and_then(|v| v.as_str())?;
        if kind != "PodScheduled" || ok == "True" {
            return None;
        }
        let reason = c.get("reason").and_then(|v| v.as_str()).unwrap_or("Unschedulable");
        Some(match c.get("message").and_then(|v| v.as_str()) {
            Some(m) => format!("{reason}: {m}"),
            None => reason.to_string(),
        })
    })
}
