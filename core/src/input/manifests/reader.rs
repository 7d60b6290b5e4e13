//! The manifest reader and the objects it collects: typed reads of located values (strings, counts, mappings, resource lists) whose problems become its errors.

use super::*;

/// The manifest reader: what it found (errors, warnings) and what earlier objects tell later
/// ones (RuntimeClass overheads, the Lists opened).
#[derive(Default)]
pub(in crate::input) struct Reader {
    pub(in crate::input) errors: Vec<Diagnostic>,
    pub(in crate::input) warnings: Vec<Diagnostic>,
    /// Pod overhead by RuntimeClass name (`overhead.podFixed`).
    pub(super) runtime_classes: BTreeMap<String, Resources>,
    /// Lists opened, and the items they held.
    pub(super) n_lists: usize,
    pub(super) n_list_items: usize,
}

/// A Kubernetes object located in its document.
pub(in crate::input) struct Object<'a> {
    pub(in crate::input) node: Node<'a>,
    pub(in crate::input) kind: String,
    pub(super) api_version: String,
    pub(in crate::input) name: String,
    pub(in crate::input) namespace: String,
}

impl Object<'_> {
    pub(in crate::input) fn id(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

pub(super) const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "DaemonSet",
    "Job",
    "CronJob",
    "Pod",
];
pub(super) const SHAPING_KINDS: &[&str] = &[
    "LimitRange",
    "ResourceQuota",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "PersistentVolumeClaim",
    "Namespace",
    "RuntimeClass",
];

impl Reader {
    pub(in crate::input) fn err(&mut self, n: &Node<'_>, message: impl Into<String>) {
        self.errors.push(n.diag(Severity::Error, message));
    }

    pub(in crate::input) fn warn(&mut self, n: &Node<'_>, message: impl Into<String>) {
        self.warnings.push(n.diag(Severity::Warning, message));
    }

    pub(in crate::input) fn string(&mut self, n: &Node<'_>, what: &str) -> Option<String> {
        match scalar_text(n.v) {
            Some(s) if matches!(untag(n.v), Value::String(_)) => Some(s),
            _ => {
                self.err(n, format!("expected {what} (a string), found {}", found(n.v)));
                None
            }
        }
    }

    pub(in crate::input) fn mapping<'a>(
        &mut self,
        n: &Node<'a>,
        what: &str,
    ) -> Vec<(String, Node<'a>)> {
        let Some(m) = untag(n.v).as_mapping() else {
            self.err(n, format!("expected {what} (a mapping), found {}", found(n.v)));
            return Vec::new();
        };
        let mut res = Vec::new();
        for (k, v) in m {
            match scalar_text(k) {
                Some(key) => res.push((key.clone(), Node { v, p: n.p.key(&key), doc: n.doc })),
                None => self.err(n, format!("expected string keys in {what}, found {}", found(k))),
            }
        }
        res
    }

    pub(in crate::input) fn seq<'a>(&mut self, n: &Node<'a>, what: &str) -> Vec<Node<'a>> {
        let Some(s) = untag(n.v).as_sequence() else {
            self.err(n, format!("expected {what} (a list), found {}", found(n.v)));
            return Vec::new();
        };
        s.iter().enumerate().map(|(i, v)| Node { v, p: n.p.index(i), doc: n.doc }).collect()
    }

    pub(in crate::input) fn count(&mut self, n: &Node<'_>, what: &str) -> Option<u32> {
        match untag(n.v).as_u64().and_then(|x| u32::try_from(x).ok()) {
            Some(x) => Some(x),
            None => {
                self.err(n, format!("expected {what} (a whole number), found {}", found(n.v)));
                None
            }
        }
    }

    pub(in crate::input) fn string_map(
        &mut self,
        n: Option<&Node<'_>>,
        what: &str,
    ) -> BTreeMap<String, String> {
        let Some(n) = n else { return BTreeMap::new() };
        let mut res = BTreeMap::new();
        for (k, v) in self.mapping(n, what) {
            match scalar_text(v.v) {
                Some(s) => {
                    res.insert(k, s);
                }
                None => self.err(&v, format!("expected a string value, found {}", found(v.v))),
            }
        }
        res
    }

    /// An object's `metadata.labels` and `metadata.annotations` (empty when absent).
    pub(in crate::input) fn labels_and_annotations(
        &mut self,
        meta: Option<&Node<'_>>,
    ) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let labels = self.string_map(meta.and_then(|m| m.get("labels")).as_ref(), "labels");
        let ann = self.string_map(meta.and_then(|m| m.get("annotations")).as_ref(), "annotations");
        (labels, ann)
    }

    /// A Kubernetes resource list (`{cpu: 250m, memory: 256Mi, nvidia.com/gpu: 1}`).
    pub(super) fn resource_list(&mut self, n: Option<&Node<'_>>) -> PartialResources {
        let mut res = PartialResources::default();
        let Some(n) = n else { return res };
        for (key, v) in self.mapping(n, "a resource list") {
            let Some(text) = scalar_text(v.v).filter(|_| !matches!(untag(v.v), Value::Bool(_)))
            else {
                self.err(
                    &v,
                    format!("expected a quantity such as 250m or 1Gi, found {}", found(v.v)),
                );
                continue;
            };
            let err = |e: crate::quantity::QuantityError| e.to_string();
            match key.as_str() {
                "cpu" => match Cpu::parse(&text) {
                    Ok(c) => res.cpu = Some(c),
                    Err(e) => self.err(&v, err(e)),
                },
                "memory" => match Bytes::parse(&text) {
                    Ok(b) => res.memory = Some(b),
                    Err(e) => self.err(&v, err(e)),
                },
                "ephemeral-storage" => match Bytes::parse(&text) {
                    Ok(b) => res.ephemeral_storage = Some(b),
                    Err(e) => self.err(&v, err(e)),
                },
                k if k.starts_with(crate::resources::HUGEPAGES_PREFIX) => {
                    match crate::resources::ResourceName::parse(k)
                        .map_err(|e| e.to_string())
                        .and_then(|_| Bytes::parse(&text).map_err(err))
                    {
                        Ok(b) if b.0 == 0 => {}
                        Ok(b) => {
                            res.extended.insert(k.to_string(), b.0);
                        }
                        Err(e) => self.err(&v, e),
                    }
                }
                k if k.contains('/') && !k.starts_with("kubernetes.io/") => {
                    match parse_count(&text) {
                        Ok(0) => {}
                        Ok(c) => {
                            res.extended.insert(k.to_string(), c);
                        }
                        Err(e) => self.err(&v, err(e)),
                    }
                }
                k => self.err(
                    &v,
                    format!(
                        "unknown resource {k:?}; expected cpu, memory, ephemeral-storage or an extended resource such as nvidia.com/gpu"
                    ),
                ),
            }
        }
        res
    }

    /// Walks a document: lists are opened, objects collected.
    pub(in crate::input) fn collect<'a>(
        &mut self,
        node: Node<'a>,
        options: &ManifestOptions,
        out: &mut Vec<Object<'a>>,
    ) {
        if untag(node.v).is_null() {
            return;
        }
        if untag(node.v).as_mapping().is_none() {
            self.err(
                &node,
                format!(
                    "expected a Kubernetes object (a mapping with apiVersion and kind), found {}",
                    found(node.v)
                ),
            );
            return;
        }
        let Some(kind_node) = node.get("kind") else {
            self.err(
                &node,
                "this object has no kind; expected a Kubernetes object with apiVersion and kind",
            );
            return;
        };
        let Some(kind) = self.string(&kind_node, "kind") else { return };
        let api_version =
            node.get("apiVersion").and_then(|a| a.str().map(str::to_string)).unwrap_or_default();
        if kind.ends_with("List") && untag(node.v).get("items").is_some() {
            let items = node.get("items").into_iter().flat_map(|i| self.seq(&i, "items"));
            let items: Vec<_> = items.collect();
            self.n_lists += 1;
            self.n_list_items += items.len();
            for item in items {
                self.collect(item, options, out);
            }
            return;
        }
        let meta = node.get("metadata");
        let name = match meta.as_ref().and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        {
            Some(n) => self.string(&n, "metadata.name").unwrap_or_default(),
            None => {
                if WORKLOAD_KINDS.contains(&kind.as_str()) || SHAPING_KINDS.contains(&kind.as_str())
                {
                    self.err(
                        meta.as_ref().unwrap_or(&node),
                        format!("this {kind} has no metadata.name; expected a name"),
                    );
                }
                String::new()
            }
        };
        let namespace = if kind == "Namespace" {
            name.clone()
        } else {
            match meta.as_ref().and_then(|m| m.get("namespace")) {
                Some(ns) => self.string(&ns, "metadata.namespace").unwrap_or_default(),
                None => options.default_namespace.clone(),
            }
        };
        out.push(Object { node, kind, api_version, name, namespace });
    }
}
