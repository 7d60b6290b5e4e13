//! Pods' owners from their YAML or JSON (`kubectl get pods,replicasets,jobs -A -o yaml`): which
//! workload each pod belongs to, by its controller's `ownerReferences`.
//!
//! A pod owned by a ReplicaSet belongs to the ReplicaSet's own controller when that ReplicaSet
//! is in the input (its Deployment), otherwise to the Deployment named by the ReplicaSet's name
//! less the pod's `pod-template-hash` label (`web-7d9f8c6b5d` with hash `7d9f8c6b5d` → `web`),
//! which is how the Deployment controller names them. A pod owned by a Job belongs to the Job's
//! CronJob when that Job is in the input. StatefulSet, DaemonSet and ReplicationController
//! owners are taken as they are; a pod without a controller is its own workload (kind Pod).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::UsageSource;
use crate::diag::{Diagnostic, Location, Warned};

/// The workload a pod belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Its kind (`Deployment`, `StatefulSet`, `CronJob`, `Pod` …).
    pub kind: String,
    /// Its name.
    pub name: String,
    /// How it was found (`ownerReferences`, or the chain: `ReplicaSet web-7d9f8c6b5d → Deployment web`).
    pub via: String,
}

/// Every pod read, by (namespace, name), with its owner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodOwners {
    /// Owners by (namespace, pod name).
    pub pods: BTreeMap<(String, String), Owner>,
    /// Objects of other kinds read and not used, by kind.
    pub skipped: BTreeMap<String, usize>,
}

impl PodOwners {
    /// The owner of a pod, if the pod was read.
    pub fn owner(&self, namespace: &str, pod: &str) -> Option<&Owner> {
        self.pods.get(&(namespace.to_string(), pod.to_string()))
    }
}

/// A pod as read, before its owner is resolved.
pub(crate) struct PodRef {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) controller: Option<(String, String)>,
    pub(crate) template_hash: Option<String>,
}

/// Reads pods (and the ReplicaSets and Jobs that own them) from YAML or JSON texts: single
/// objects, multi-document YAML and `kind: List`. Errors carry the file and line:column.
///
/// ```
/// use kplan_core::input::usage::{UsageSource, pods::read_pod_owners};
/// let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7d9f8c6b5d-x2k4p\n  namespace: shop\n  labels: {pod-template-hash: 7d9f8c6b5d}\n  ownerReferences:\n  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f8c6b5d, controller: true}\n";
/// let owners = read_pod_owners(&[UsageSource { name: "pods.yaml", text }]).output.unwrap();
/// let o = owners.owner("shop", "web-7d9f8c6b5d-x2k4p").unwrap();
/// assert_eq!((o.kind.as_str(), o.name.as_str()), ("Deployment", "web"));
/// ```
pub fn read_pod_owners(sources: &[UsageSource<'_>]) -> Warned<Result<PodOwners, Vec<Diagnostic>>> {
    let mut errors = Vec::new();
    let mut pods: Vec<PodRef> = Vec::new();
    let mut controllers: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for src in sources {
        if let Some(off) = crate::input::too_deep(src.text) {
            errors.push(
                Diagnostic::error(crate::input::too_deep_message())
                    .with_source(src.name)
                    .at_offset(src.text, off),
            );
            continue;
        }
        for (doc_index, doc) in serde_yaml::Deserializer::from_str(src.text).enumerate() {
            let value = match Value::deserialize(doc) {
                Ok(v) => v,
                Err(e) => {
                    let mut d = Diagnostic::error(crate::input::bare_yaml_message(&e))
                        .with_source(src.name);
                    if let Some(l) = e.location() {
                        d = d.with_location(Location { line: l.line(), column: l.column() });
                    }
                    errors.push(d);
                    break;
                }
            };
            let mut objects = Vec::new();
            flatten(&value, String::new(), &mut objects);
            for (path, obj) in objects {
                let kind = obj["kind"].as_str().unwrap_or("");
                let meta = &obj["metadata"];
                let Some(name) = meta["name"].as_str().filter(|n| !n.is_empty()) else {
                    if matches!(kind, "Pod" | "ReplicaSet" | "Job") {
                        let parent = if path.is_empty() {
                            "metadata".to_string()
                        } else {
                            format!("{path}.metadata")
                        };
                        let mut d = Diagnostic::error(format!("a {kind} without metadata.name"))
                            .with_source(src.name)
                            .with_path(format!("{parent}.name"));
                        // Paths are located in the first document (later ones start elsewhere).
                        if doc_index == 0
                            && let Some(off) = crate::input::locate(src.text, &parent)
                        {
                            d = d.at_offset(src.text, off);
                        } else if doc_index > 0 {
                            d = d.with_document(doc_index);
                        }
                        errors.push(d);
                    }
                    continue;
                };
                let namespace = meta["namespace"].as_str().unwrap_or("default").to_string();
                let controller = controller_of(meta);
                match kind {
                    "Pod" => pods.push(PodRef {
                        namespace,
                        name: name.to_string(),
                        controller,
                        template_hash: meta["labels"]["pod-template-hash"]
                            .as_str()
                            .map(str::to_string),
                    }),
                    "ReplicaSet" | "Job" => {
                        if let Some(c) = controller {
                            controllers.insert((kind.to_string(), namespace, name.to_string()), c);
                        }
                    }
                    "" => *skipped.entry("(no kind)".to_string()).or_default() += 1,
                    k => *skipped.entry(k.to_string()).or_default() += 1,
                }
            }
        }
    }
    if !errors.is_empty() {
        return Warned::ok(Err(errors));
    }
    let mut res = PodOwners { pods: BTreeMap::new(), skipped };
    for p in pods {
        let owner = resolve(&p, &controllers);
        res.pods.insert((p.namespace, p.name), owner);
    }
    let mut warnings = Vec::new();
    if res.pods.is_empty() {
        warnings.push(Diagnostic::warning(
            "the pod files hold no Pod objects; pods are matched to workloads by their names",
        ));
    }
    Warned { output: Ok(res), warnings }
}

/// Every object of a value, with its path: a `kind: List` (or `*List`) gives its items.
fn flatten<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    let kind = v["kind"].as_str().unwrap_or("");
    if let (true, Some(items)) = (kind.ends_with("List"), v["items"].as_array()) {
        for (i, item) in items.iter().enumerate() {
            let p =
                if path.is_empty() { format!("items[{i}]") } else { format!("{path}.items[{i}]") };
            flatten(item, p, out);
        }
    } else if v.is_object() {
        out.push((path, v));
    }
}

/// The controlling owner reference (`controller: true`, else the only one).
fn controller_of(meta: &Value) -> Option<(String, String)> {
    let refs = meta["ownerReferences"].as_array()?;
    let pick = refs
        .iter()
        .find(|r| r["controller"].as_bool() == Some(true))
        .or_else(|| (refs.len() == 1).then(|| &refs[0]))?;
    Some((pick["kind"].as_str()?.to_string(), pick["name"].as_str()?.to_string()))
}

/// The workload a pod belongs to, from its controller and the controllers of the ReplicaSets
/// and Jobs read (keyed by kind, namespace and name).
pub(crate) fn resolve(
    p: &PodRef,
    controllers: &BTreeMap<(String, String, String), (String, String)>,
) -> Owner {
    let Some((kind, name)) = &p.controller else {
        return Owner { kind: "Pod".into(), name: p.name.clone(), via: "no controller".into() };
    };
    let read = |k: &str| controllers.get(&(k.to_string(), p.namespace.clone(), name.clone()));
    match kind.as_str() {
        "ReplicaSet" => {
            if let Some((k2, n2)) = read("ReplicaSet") {
                return Owner {
                    kind: k2.clone(),
                    name: n2.clone(),
                    via: format!("ReplicaSet {name} → {k2} {n2}"),
                };
            }
            if let Some(base) =
                p.template_hash.as_ref().and_then(|h| name.strip_suffix(&format!("-{h}")))
            {
                return Owner {
                    kind: "Deployment".into(),
                    name: base.to_string(),
                    via: format!("ReplicaSet {name} (pod-template-hash) → Deployment {base}"),
                };
            }
            Owner { kind: kind.clone(), name: name.clone(), via: "ownerReferences".into() }
        }
        "Job" => match read("Job") {
            Some((k2, n2)) => {
                Owner {
                    kind: k2.clone(), name: n2.clone(), via: format!("Job {name} → {k2} {n2}")
                }
            }
            None => Owner { kind: kind.clone(), name: name.clone(), via: "ownerReferences".into() },
        },
        _ => Owner { kind: kind.clone(), name: name.clone(), via: "ownerReferences".into() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(text: &str) -> PodOwners {
        read_pod_owners(&[UsageSource { name: "pods.yaml", text }]).output.unwrap()
    }

    #[test]
    fn resolves_replicasets_jobs_and_statefulsets_from_a_list() {
        let text = r#"{"apiVersion": "v1", "kind": "List", "items": [
 {"kind": "Pod", "metadata": {"name": "api-5f6d7c8b9-abcde", "namespace": "shop",
   "ownerReferences": [{"kind": "ReplicaSet", "name": "api-5f6d7c8b9", "controller": true}]}},
 {"kind": "ReplicaSet", "metadata": {"name": "api-5f6d7c8b9", "namespace": "shop",
   "ownerReferences": [{"kind": "Deployment", "name": "api-v2", "controller": true}]}},
 {"kind": "Pod", "metadata": {"name": "db-0", "namespace": "shop",
   "ownerReferences": [{"kind": "StatefulSet", "name": "db", "controller": true}]}},
 {"kind": "Pod", "metadata": {"name": "report-28512345-xyzab", "namespace": "ops",
   "ownerReferences": [{"kind": "Job", "name": "report-28512345", "controller": true}]}},
 {"kind": "Job", "metadata": {"name": "report-28512345", "namespace": "ops",
   "ownerReferences": [{"kind": "CronJob", "name": "report", "controller": true}]}},
 {"kind": "Pod", "metadata": {"name": "debug", "namespace": "ops"}},
 {"kind": "Service", "metadata": {"name": "api", "namespace": "shop"}}
]}"#;
        let o = owners(text);
        let get = |ns: &str, p: &str| {
            let o = o.owner(ns, p).unwrap();
            (o.kind.clone(), o.name.clone())
        };
        assert_eq!(get("shop", "api-5f6d7c8b9-abcde"), ("Deployment".into(), "api-v2".into()));
        assert_eq!(get("shop", "db-0"), ("StatefulSet".into(), "db".into()));
        assert_eq!(get("ops", "report-28512345-xyzab"), ("CronJob".into(), "report".into()));
        assert_eq!(get("ops", "debug"), ("Pod".into(), "debug".into()));
        assert_eq!(o.skipped.get("Service"), Some(&1));
        assert_eq!(
            o.owner("shop", "api-5f6d7c8b9-abcde").unwrap().via,
            "ReplicaSet api-5f6d7c8b9 → Deployment api-v2"
        );
    }

    #[test]
    fn syntax_errors_and_nameless_pods_are_located() {
        let e = read_pod_owners(&[UsageSource {
            name: "pods.yaml",
            text: "kind: Pod\nmetadata: {name: [\n",
        }])
        .output
        .unwrap_err();
        assert!(e[0].to_string().starts_with("pods.yaml:3:1: error:"), "{}", e[0]);
        let e = read_pod_owners(&[UsageSource {
            name: "pods.yaml",
            text: "kind: List\nitems:\n- kind: Pod\n  metadata: {namespace: a}\n",
        }])
        .output
        .unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "pods.yaml:4:13: error: a Pod without metadata.name (at items[0].metadata.name)"
        );
    }
}
