//! One-shot pods: Jobs and Helm hooks run to completion, so they are reported and not planned as
//! permanent capacity unless asked (`--include-jobs`). CronJobs keep their peak (their job's
//! parallelism, as if always running), since they come back on schedule.

use super::{Object, Origin, untag};

/// A Job or Helm hook that is read and checked but not planned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneShot {
    /// `Job`, or the kind of a Helm hook (`Pod`, `Job` …).
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The `helm.sh/hook` annotation (`pre-install,pre-upgrade`, `test` …), for a hook.
    pub hook: Option<String>,
    /// Where it was read.
    pub origin: Origin,
}

/// The annotation that makes an object a Helm hook.
pub const HELM_HOOK: &str = "helm.sh/hook";

/// Why an object runs once: a Helm hook (with its events) or a Job; `None` for everything else.
pub(super) fn one_shot(o: &Object<'_>) -> Option<OneShot> {
    let hook = o
        .node
        .get_path(&["metadata", "annotations", HELM_HOOK])
        .and_then(|h| untag(h.v).as_str().map(str::to_string));
    (hook.is_some() || o.kind == "Job").then(|| OneShot {
        kind: o.kind.clone(),
        namespace: o.namespace.clone(),
        name: o.name.clone(),
        hook,
        origin: o.node.doc.origin(&o.node.p),
    })
}

/// How the summary names the one-shot objects: hooks with their events, then Jobs.
pub(super) fn describe(one_shot: &[OneShot]) -> String {
    let mut hooks = Vec::new();
    let mut jobs = Vec::new();
    for o in one_shot {
        match &o.hook {
            Some(h) => hooks.push(format!("{} {}/{} ({h})", o.kind, o.namespace, o.name)),
            None => jobs.push(format!("{}/{}", o.namespace, o.name)),
        }
    }
    let mut parts = Vec::new();
    if !hooks.is_empty() {
        parts.push(format!(
            "{} Helm hook{} {}",
            hooks.len(),
            if hooks.len() == 1 { "" } else { "s" },
            hooks.join(", ")
        ));
    }
    if !jobs.is_empty() {
        parts.push(format!(
            "{} one-shot Job{} {}",
            jobs.len(),
            if jobs.len() == 1 { "" } else { "s" },
            jobs.join(", ")
        ));
    }
    format!(
        "{} (they run to completion; --include-jobs plans them as if they ran for good)",
        parts.join(" and ")
    )
}
