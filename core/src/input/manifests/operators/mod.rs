//! Custom resources whose operators run pods: each is read as the workloads its operator creates,
//! from the operator's own defaults (replicas, resources, sidecars, init containers and pod
//! labels) at a named version. One file per operator, each citing where its defaults are written:
//! `prometheus` (prometheus-operator: Prometheus, Alertmanager, ThanosRuler), `eck` (Elastic Cloud
//! on Kubernetes: Elasticsearch, Kibana), `strimzi` (Kafka, KafkaNodePool), `cnpg` (CloudNativePG
//! `Cluster`), `rabbitmq` (RabbitmqCluster), `redis` (OT-CONTAINER-KIT redis-operator `Redis`).
//!
//! A container the resource gives no resources for and its operator sets none by default is
//! planned with no requests, and a warning says so; nothing is invented.

mod cnpg;
mod eck;
mod prometheus;
mod rabbitmq;
mod redis;
mod strimzi;

use std::collections::BTreeMap;

use super::{
    ManifestWorkload, NsLimits, NsMeta, Object, Pending, Reader, SpotReq, owner_of, scalar_text,
    untag,
};
use crate::diag::Severity;
use crate::input::manifests::{ManifestOptions, Node};
use crate::quantity::{Bytes, Cpu};
use crate::workload::{Container, PartialResources, Workload, effective_pod};

/// An operator whose defaults are applied, at the version they were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    /// Its name (`prometheus-operator`).
    pub name: &'static str,
    /// The release whose defaults are used (`v0.93.0`).
    pub version: &'static str,
}

/// Every operator whose resources are read, with the release whose defaults are used.
pub const OPERATORS: &[Operator] = &[
    prometheus::OPERATOR,
    eck::OPERATOR,
    strimzi::OPERATOR,
    cnpg::OPERATOR,
    rabbitmq::OPERATOR,
    redis::OPERATOR,
];

/// Where a workload read from a custom resource came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operated {
    /// The operator whose defaults were applied.
    pub operator: Operator,
    /// The custom resource's kind (`Prometheus`).
    pub kind: String,
    /// The custom resource's name.
    pub name: String,
}

/// Where a container's resources came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum From {
    /// The custom resource gives them.
    Spec,
    /// The operator's default.
    Default,
    /// Neither: the container requests nothing.
    Nothing,
}

/// One container of an operator's pod.
pub(super) struct Part<'a> {
    pub(super) c: Container,
    /// Where its resources are (or would be) written, for located messages.
    pub(super) at: Node<'a>,
    pub(super) from: From,
}

/// One set of identical pods an operator creates for a custom resource.
pub(super) struct PodSet<'a> {
    /// What the operator creates (`StatefulSet`, `Deployment`, `StrimziPodSet`, `Pods`).
    pub(super) object: &'static str,
    /// Its name, as the operator names it.
    pub(super) name: String,
    pub(super) replicas: u32,
    pub(super) containers: Vec<Part<'a>>,
    pub(super) init_containers: Vec<Part<'a>>,
    /// The labels the operator puts on the pods (and those the resource adds).
    pub(super) labels: BTreeMap<String, String>,
    /// Where `nodeSelector`, `affinity`, `tolerations` and `topologySpreadConstraints` are.
    pub(super) scheduling: Option<Node<'a>>,
    /// A per-node limit the operator sets itself (required anti-affinity).
    pub(super) max_per_node: Option<u32>,
    /// Volume claims per pod: (template name, size, storage class).
    pub(super) claims: Vec<(String, Bytes, Option<String>)>,
}

/// What an operator makes of one custom resource.
pub(super) struct Read<'a> {
    pub(super) operator: Operator,
    pub(super) sets: Vec<PodSet<'a>>,
    /// Said in the note besides the pods (defaults applied, fields not modelled).
    pub(super) notes: Vec<String>,
}

impl Read<'_> {
    /// What a reader of `operator`'s resources starts from: no pods, no notes.
    pub(super) fn new(operator: Operator) -> Self {
        Read { operator, sets: Vec::new(), notes: Vec::new() }
    }
}

/// Reads a custom resource whose operator kplan knows; `None` for any other kind.
pub(super) fn read<'a>(cx: &mut Reader, o: &Object<'a>, all: &[Object<'a>]) -> Option<Read<'a>> {
    let group = o.api_version.split_once('/').map_or("", |(g, _)| g);
    match (group, o.kind.as_str()) {
        ("monitoring.coreos.com", "Prometheus" | "Alertmanager" | "ThanosRuler") => {
            Some(prometheus::read(cx, o))
        }
        ("elasticsearch.k8s.elastic.co", "Elasticsearch") => Some(eck::elasticsearch(cx, o)),
        ("kibana.k8s.elastic.co", "Kibana") => Some(eck::kibana(cx, o)),
        ("kafka.strimzi.io", "Kafka") => Some(strimzi::kafka(cx, o, all)),
        ("kafka.strimzi.io", "KafkaNodePool") => Some(strimzi::node_pool(cx, o, all)),
        ("postgresql.cnpg.io", "Cluster") => Some(cnpg::cluster(cx, o)),
        ("rabbitmq.com", "RabbitmqCluster") => Some(rabbitmq::cluster(cx, o)),
        ("redis.redis.opstreelabs.in", "Redis") => Some(redis::standalone(cx, o)),
        _ => None,
    }
}

/// `requests` and `limits` of a `resources` node (absent: empty).
pub(super) fn resources(
    cx: &mut Reader,
    n: Option<&Node<'_>>,
) -> (PartialResources, PartialResources) {
    let Some(n) = n else { return Default::default() };
    (cx.resource_list(n.get("requests").as_ref()), cx.resource_list(n.get("limits").as_ref()))
}

/// A container whose resources are the resource's `resources` when given, else `default`
/// (requests, limits); `sidecar` for an init container that keeps running.
pub(super) fn part<'a>(
    cx: &mut Reader,
    name: &str,
    given: Option<Node<'a>>,
    at: &Node<'a>,
    default: Option<(PartialResources, PartialResources)>,
) -> Part<'a> {
    let (requests, limits) = resources(cx, given.as_ref());
    let c =
        |requests, limits| Container { name: name.to_string(), requests, limits, sidecar: false };
    let at = given.clone().unwrap_or_else(|| at.clone());
    if !requests.is_empty() || !limits.is_empty() {
        return Part { c: c(requests, limits), at, from: From::Spec };
    }
    match default {
        Some((r, l)) => Part { c: c(r, l), at, from: From::Default },
        None => Part { c: c(requests, limits), at, from: From::Nothing },
    }
}

/// Requests and limits from `(name, amount)` pairs such as `[("memory", "200Mi")]`.
pub(super) fn amounts(pairs: &[(&str, &str)]) -> PartialResources {
    let mut r = PartialResources::default();
    for (k, v) in pairs {
        match *k {
            "cpu" => r.cpu = Cpu::parse(v).ok(),
            _ => r.memory = Bytes::parse(v).ok(),
        }
    }
    r
}

/// Requests equal to limits, as [`amounts`].
pub(super) fn same(pairs: &[(&str, &str)]) -> (PartialResources, PartialResources) {
    let r = amounts(pairs);
    (r.clone(), r)
}

/// How a resource's own containers combine with the operator's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    /// A strategic merge patch (prometheus-operator): the given requests and limits replace the
    /// operator's resource by resource.
    PerResource,
    /// ECK's container defaulter: a container that gives any resources gives all of them.
    Whole,
}

/// Merges the containers a resource lists (`spec.containers`, a pod template's) into the
/// operator's: same name → its resources override as `merge` says; another name → an added
/// container, read as manifests read containers.
pub(super) fn merge_containers<'a>(
    base: &mut Vec<Part<'a>>,
    given: Vec<(Container, Node<'a>)>,
    merge: Merge,
) {
    for (c, at) in given {
        let has = !c.requests.is_empty() || !c.limits.is_empty();
        match base.iter_mut().find(|p| p.c.name == c.name) {
            Some(p) if has => {
                match merge {
                    Merge::Whole => {
                        p.c.requests = c.requests;
                        p.c.limits = c.limits;
                    }
                    Merge::PerResource => {
                        for n in c.requests.names() {
                            if let Some(v) = c.requests.amount(&n) {
                                p.c.requests.set(&n, v);
                            }
                        }
                        for n in c.limits.names() {
                            if let Some(v) = c.limits.amount(&n) {
                                p.c.limits.set(&n, v);
                            }
                        }
                    }
                }
                p.c.sidecar |= c.sidecar;
                p.at = at.get("resources").unwrap_or(at);
                p.from = From::Spec;
            }
            Some(_) => {}
            None => {
                let from = if has { From::Spec } else { From::Nothing };
                base.push(Part { at: at.get("resources").unwrap_or_else(|| at.clone()), c, from });
            }
        }
    }
}

/// A replica count at `key` of `n`, `default` when absent; located errors otherwise.
pub(super) fn replicas(cx: &mut Reader, n: &Node<'_>, key: &str, default: u32) -> Option<u32> {
    match n.get(key) {
        Some(r) => cx.count(&r, key),
        None => Some(default),
    }
}

/// A storage size (`10Gi`) at `n`, located when it is not one.
pub(super) fn size(cx: &mut Reader, n: &Node<'_>) -> Option<Bytes> {
    let text = scalar_text(n.v).filter(|_| !matches!(untag(n.v), serde_yaml::Value::Bool(_)));
    match text.map(|t| Bytes::parse(&t)) {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            cx.err(n, e.to_string());
            None
        }
        None => {
            cx.err(n, format!("expected a size such as 10Gi, found {}", super::found(n.v)));
            None
        }
    }
}

/// The pod labels of `podMetadata.labels`-style fields, added to the operator's.
pub(super) fn add_labels(
    cx: &mut Reader,
    labels: &mut BTreeMap<String, String>,
    n: Option<Node<'_>>,
    what: &str,
) {
    for (k, v) in cx.string_map(n.as_ref(), what) {
        labels.entry(k).or_insert(v);
    }
}

/// `cpu/memory` of a container, for the note.
fn shape(c: &Container) -> String {
    let cpu = c.requests.cpu.map_or_else(|| "0".to_string(), |c| c.to_string());
    let mem = c.requests.memory.map_or_else(|| "0".to_string(), |b| b.to_string());
    format!("{cpu}/{mem}")
}

impl Reader {
    /// Turns one pod set of a custom resource into a workload to plan, as the API server admits
    /// its pods (the namespace's LimitRange defaults and rules apply to operator pods too).
    pub(super) fn operated<'a>(
        &mut self,
        o: &Object<'a>,
        read: &Read<'a>,
        set: PodSet<'a>,
        limits: Option<&NsLimits>,
        ns: Option<&NsMeta>,
        options: &ManifestOptions,
    ) -> Option<Pending<'a>> {
        let what = o.id();
        let n_errors = self.errors.len();
        let admit = |cx: &mut Reader, parts: &[Part<'_>]| -> Vec<Container> {
            parts.iter().map(|p| cx.admit(&p.c, &p.at, limits)).collect()
        };
        let containers = admit(self, &set.containers);
        let init_containers = admit(self, &set.init_containers);
        let sched = match &set.scheduling {
            Some(s) => self.scheduling(s, &set.labels, &what),
            None => {
                let empty =
                    Node { v: &serde_yaml::Value::Null, p: o.node.p.clone(), doc: o.node.doc };
                self.scheduling(&empty, &set.labels, &what)
            }
        };
        if self.errors.len() > n_errors {
            return None;
        }
        let pod = effective_pod(&containers, &init_containers, &Default::default(), None);
        self.warn_bare_containers(
            &what,
            read,
            &set,
            [&containers, &init_containers],
            pod.best_effort,
        );
        let (obj_labels, obj_ann) = self.labels_and_annotations(o.node.get("metadata").as_ref());
        let empty = BTreeMap::new();
        let (ns_ann, ns_labels) = ns.map_or((&empty, &empty), |(a, l)| (a, l));
        let owner = owner_of(&[&obj_ann, &obj_labels, &set.labels], &[ns_ann, ns_labels], options);
        if !sched.req.unresolved.is_empty() {
            let at = set.scheduling.clone().unwrap_or_else(|| o.node.clone());
            self.warn(
                &at,
                format!(
                    "{what} selects nodes by {}, which kplan cannot resolve; it is planned as if every node qualified",
                    sched.req.unresolved.join(", ")
                ),
            );
        }
        if sched.req.spot == SpotReq::Require {
            let at = set.scheduling.clone().unwrap_or_else(|| o.node.clone());
            self.warn(&at, format!(
                "{what} requires spot nodes; it is planned as spot-tolerant, so it may also be placed on on-demand nodes"
            ));
        }
        let max_per_node = match (sched.max_per_node, set.max_per_node) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let workload = Workload {
            name: set.name.clone(),
            namespace: o.namespace.clone(),
            kind: o.kind.clone(),
            owner,
            labels: set.labels.clone(),
            replicas: set.replicas,
            pod,
            spot: sched.spot,
            max_per_node,
            zone_spread: sched.zone_spread,
            min_available: None,
            scalable: None,
            placement: sched.req.placement(),
            anti_affinity: None,
        };
        Some(Pending {
            manifest: ManifestWorkload {
                workload,
                containers,
                init_containers,
                overhead: Default::default(),
                origin: o.node.doc.origin(&o.node.p),
                operator: Some(Operated {
                    operator: read.operator,
                    kind: o.kind.clone(),
                    name: o.name.clone(),
                }),
            },
            obj_kind: o.kind.clone(),
            node: o.node.clone(),
            controller: None,
            claim_templates: set.claims,
            name_node: o.node.get_path(&["metadata", "name"]).unwrap_or_else(|| o.node.clone()),
            ds_nodes: (None, SpotReq::Any),
            one_shot: None,
            best_effort_at: None,
        })
    }

    /// Containers that request nothing, after LimitRange defaulting: said once per pod set, with
    /// where to give them requests. `admitted` are the set's containers and init containers as
    /// admitted.
    fn warn_bare_containers(
        &mut self,
        what: &str,
        read: &Read<'_>,
        set: &PodSet<'_>,
        admitted: [&[Container]; 2],
        best_effort: bool,
    ) {
        let bare_parts: Vec<&Part<'_>> = set
            .containers
            .iter()
            .chain(&set.init_containers)
            .zip(admitted[0].iter().chain(admitted[1]))
            .filter(|(p, c)| p.from == From::Nothing && c.requests.is_empty())
            .map(|(p, _)| p)
            .collect();
        let bare: Vec<&str> = bare_parts.iter().map(|p| p.c.name.as_str()).collect();
        let wheres: Vec<String> = bare_parts
            .iter()
            .map(|p| {
                let path = p.at.p.to_string();
                let path =
                    if path.ends_with("resources") { path } else { format!("{path}.resources") };
                format!("{} at {path}", p.c.name)
            })
            .collect();
        if !bare.is_empty() {
            let at = bare_parts[0].at.clone();
            let noun = if bare.len() == 1 { "container" } else { "containers" };
            let effect = if best_effort {
                "the pod requests no CPU or memory (BestEffort): it is planned at zero and cannot be sized honestly"
            } else {
                "they are planned at zero"
            };
            let d = at
                .diag(
                    Severity::Warning,
                    format!(
                        "{what}: {} {} sets no default resources and the resource gives none for {noun} {} of {} {}: {effect}",
                        read.operator.name,
                        read.operator.version,
                        bare.join(", "),
                        set.object,
                        set.name,
                    ),
                )
                .with_hint(format!("give them requests: {}", wheres.join("; ")));
            self.warnings.push(d);
        }
    }

    /// The note that names the operator, its version and the pods read from a custom resource.
    pub(super) fn operated_note(&mut self, o: &Object<'_>, read: &Read<'_>) {
        let sets: Vec<String> = read
            .sets
            .iter()
            .map(|s| {
                let part = |p: &Part<'_>| {
                    let from = match p.from {
                        From::Spec => "given",
                        From::Default => "default",
                        From::Nothing => "none",
                    };
                    format!("{} {} ({from})", p.c.name, shape(&p.c))
                };
                let mut text = format!(
                    "{} {} × {}: {}",
                    s.object,
                    s.name,
                    s.replicas,
                    s.containers.iter().map(part).collect::<Vec<_>>().join(", ")
                );
                if !s.init_containers.is_empty() {
                    text.push_str(&format!(
                        "; init {}",
                        s.init_containers.iter().map(part).collect::<Vec<_>>().join(", ")
                    ));
                }
                text
            })
            .collect();
        let pods = if sets.is_empty() { "no pods".to_string() } else { sets.join("; ") };
        let mut message = format!(
            "{} ({}) is planned as the pods {} {} creates for it, with its defaults where the resource sets none: {pods}",
            o.id(),
            o.api_version,
            read.operator.name,
            read.operator.version,
        );
        for n in &read.notes {
            message.push_str("; ");
            message.push_str(n);
        }
        self.warnings.push(o.node.diag(Severity::Note, message));
    }
}

/// The requests (cpu, memory) of every container, for tests: `name cpu/memory`.
#[cfg(test)]
pub(super) fn shapes(d: &[Container]) -> Vec<String> {
    d.iter().map(|c| format!("{} {}", c.name, shape(c))).collect()
}
