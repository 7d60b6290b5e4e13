//! Kubernetes manifests → workloads, DaemonSets and volume claims, by the API server's and the scheduler's rules.
//!
//! Reads what `kubectl get -o yaml|json` and `helm template` print: multi-document YAML (empty
//! documents and comments included), JSON, `kind: List` and every `*List` kind. The kinds that
//! make pods (Deployment, StatefulSet, ReplicaSet, ReplicationController, DaemonSet, Job, CronJob,
//! Pod) become [`Workload`]s and [`DaemonSet`]s; LimitRange, ResourceQuota, PodDisruptionBudget,
//! HorizontalPodAutoscaler, PersistentVolumeClaim and Namespace shape them; the custom resources
//! of known operators become the workloads their operators create, from each operator's
//! defaults at a named release (see [`OPERATORS`]); every other kind is counted in a summary
//! and skipped.
//!
//! Each document is split off and parsed on its own, so a broken document does not hide the
//! problems of the others; every problem names the file, line:column, document and field path.

mod documents;
mod interpret;
mod jobs;
mod namespace;
mod operators;
mod pods;
mod reader;
mod selectors;
mod summary;
mod text;
mod workloads;

pub use jobs::{HELM_HOOK, OneShot};
pub use operators::{OPERATORS, Operated, Operator};

pub(in crate::input) use documents::*;
pub(in crate::input) use interpret::*;
pub(in crate::input) use namespace::*;
pub(in crate::input) use pods::*;
pub(in crate::input) use reader::*;
pub(in crate::input) use selectors::*;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde_yaml::Value;

use super::{DEFAULT_MAX_INPUT_BYTES, Seg, bare_yaml_message, locate_json, locate_segs};
use crate::catalog::{self, Arch, Provider, PurchaseOption};
use crate::diag::{Diagnostic, LineIndex, Location, Severity, UnknownName, Warned};
use crate::overhead::OverheadProfile;
use crate::policy;
use crate::quantity::{Bytes, Cpu, parse_count};
use crate::resources::{ResourceName, Resources};
use crate::scenario::{CatalogFilter, Scenario, default_zones};
use crate::workload::{
    Container, ContainerDefaults, DaemonSet, PartialResources, Placement, Scalable, Workload,
    ZoneSpread, effective_pod,
};

/// Which replica count to plan for a workload with a HorizontalPodAutoscaler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaMode {
    /// `spec.replicas`, kept within the autoscaler's bounds (the default).
    Current,
    /// The autoscaler's `minReplicas`.
    Min,
    /// The autoscaler's `maxReplicas`.
    Peak,
}

impl ReplicaMode {
    /// The CLI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplicaMode::Current => "current",
            ReplicaMode::Min => "min",
            ReplicaMode::Peak => "peak",
        }
    }
}

impl FromStr for ReplicaMode {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<ReplicaMode, UnknownName> {
        match s {
            "current" => Ok(ReplicaMode::Current),
            "min" => Ok(ReplicaMode::Min),
            "peak" => Ok(ReplicaMode::Peak),
            _ => Err(UnknownName::new("replica mode", s, "current, min or peak")),
        }
    }
}

/// How manifests are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestOptions {
    /// The namespace of objects that name none (`--namespace`).
    pub default_namespace: String,
    /// An annotation or label key checked first for a workload's owner (`--owner-key`).
    pub owner_key: Option<String>,
    /// Replicas of autoscaled workloads (`--replicas`).
    pub replicas: ReplicaMode,
    /// Plan one-shot Jobs and Helm hooks as if they ran for good (`--include-jobs`).
    pub include_jobs: bool,
}

/// The defaults: namespace `default`, the usual owner keys, current replicas, one-shot Jobs and
/// Helm hooks reported and left out.
pub fn default_options() -> ManifestOptions {
    ManifestOptions {
        default_namespace: "default".to_string(),
        owner_key: None,
        replicas: ReplicaMode::Current,
        include_jobs: false,
    }
}

/// The owner keys checked, in order, after `--owner-key`: on the object and its pod template
/// (annotations, then labels), then on its Namespace.
pub const OWNER_KEYS: &[&str] = &["owner", "team", "app.kubernetes.io/part-of"];

/// Where an object was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file (or `<stdin>`).
    pub source: String,
    /// The document in the file, from 0.
    pub document: usize,
    /// Where the object starts.
    pub location: Location,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} [document {}]", self.source, self.location, self.document + 1)
    }
}

/// A workload read from manifests, with its containers as admitted (LimitRange defaults applied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestWorkload {
    /// The workload.
    pub workload: Workload,
    /// App containers, after defaulting.
    pub containers: Vec<Container>,
    /// Init containers (sidecars flagged), after defaulting.
    pub init_containers: Vec<Container>,
    /// Pod overhead (`spec.overhead`, set by a RuntimeClass).
    pub overhead: Resources,
    /// Where it was read.
    pub origin: Origin,
    /// For the pods of a custom resource: its operator, whose defaults were applied.
    pub operator: Option<Operated>,
}

/// A DaemonSet read from manifests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestDaemonSet {
    /// The DaemonSet.
    pub daemonset: DaemonSet,
    /// Where it was read.
    pub origin: Origin,
}

/// Storage claimed by a PersistentVolumeClaim or a StatefulSet's volume claim template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeClaim {
    /// Namespace.
    pub namespace: String,
    /// Claim name (for a template: `<template>-<statefulset>`).
    pub name: String,
    /// Storage requested by each claim.
    pub storage: Bytes,
    /// Storage class (`None`: the cluster's default class).
    pub storage_class: Option<String>,
    /// Number of claims (a template makes one per replica).
    pub count: u32,
    /// Where it was read.
    pub origin: Origin,
}

/// Everything read from a set of manifests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifests {
    /// Workloads to plan, in input order.
    pub workloads: Vec<ManifestWorkload>,
    /// DaemonSets (per-node overhead).
    pub daemonsets: Vec<ManifestDaemonSet>,
    /// Persistent storage claimed.
    pub volume_claims: Vec<VolumeClaim>,
    /// Namespaces named by Namespace objects or by the objects read.
    pub namespaces: BTreeSet<String>,
    /// Objects that are not planned, by kind (Services, ConfigMaps, custom resources …).
    pub skipped: BTreeMap<String, usize>,
    /// Objects not planned because their controller was read too, by kind.
    pub owned: BTreeMap<String, usize>,
    /// Objects read to shape the workloads (LimitRange, PodDisruptionBudget, Namespace …), by kind.
    pub shaping: BTreeMap<String, usize>,
    /// Custom resources planned as the pods their operators create, by kind.
    pub operated: BTreeMap<String, usize>,
    /// Jobs and Helm hooks read and not planned (without `include_jobs`).
    pub one_shot: Vec<OneShot>,
    /// Documents read (empty ones included).
    pub n_documents: usize,
    /// Documents with no object.
    pub n_empty_documents: usize,
    /// Objects read, items of Lists included (the Lists themselves not).
    pub n_objects: usize,
    /// Lists opened.
    pub n_lists: usize,
    /// Objects that were items of a List.
    pub n_list_items: usize,
}

impl Manifests {
    /// A note summarising what was read and what became of each object.
    pub fn summary(&self) -> Diagnostic {
        summary::summary(self)
    }
}

/// One input text and its name.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The name used in diagnostics (a file path, `<stdin>`).
    pub name: &'a str,
    /// The text.
    pub text: &'a str,
}

/// Reads manifests from texts. Returns everything read, or every error found; warnings either way.
///
/// ```
/// use kplan_core::input::manifests::{Source, default_options, read_manifests};
/// let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {requests: {cpu: 250m, memory: 256Mi}}\n";
/// let read = read_manifests(&[Source { name: "web.yaml", text }], &default_options());
/// let m = read.output.unwrap();
/// assert_eq!(m.workloads[0].workload.replicas, 3);
/// assert_eq!(m.workloads[0].workload.pod.requests.cpu.millis(), 250);
///
/// let bad = text.replace("250m", "10mi");
/// let errors = read_manifests(&[Source { name: "web.yaml", text: &bad }], &default_options()).output.unwrap_err();
/// assert!(errors[0].to_string().starts_with("web.yaml:10:39: error: invalid quantity \"10mi\""));
/// ```
pub fn read_manifests(
    sources: &[Source<'_>],
    options: &ManifestOptions,
) -> Warned<Result<Manifests, Vec<Diagnostic>>> {
    let mut cx = Reader::default();
    let (n_documents, parsed) = parse_documents(&mut cx, sources);
    let mut objects = Vec::new();
    let mut n_empty_documents = n_documents - parsed.len();
    for (doc, v) in &parsed {
        n_empty_documents += usize::from(untag(v).is_null());
        let node = Node { v, p: FieldPath::default(), doc };
        cx.collect(node, options, &mut objects);
    }
    let mut m = cx.interpret(&objects, options);
    m.n_documents = n_documents;
    m.n_empty_documents = n_empty_documents;
    m.n_objects = objects.len();
    m.n_lists = cx.n_lists;
    m.n_list_items = cx.n_list_items;
    let Reader { errors, warnings, .. } = cx;
    Warned { output: if errors.is_empty() { Ok(m) } else { Err(errors) }, warnings }
}

/// Splits every source into documents and parses each on its own; problems go to `cx`.
/// Returns the number of documents and the parsed ones.
pub(super) fn parse_documents<'a>(
    cx: &mut Reader,
    sources: &[Source<'a>],
) -> (usize, Vec<(Doc<'a>, Value)>) {
    let mut docs = Vec::new();
    for source in sources {
        if source.text.len() > DEFAULT_MAX_INPUT_BYTES {
            cx.errors.push(
                Diagnostic::error(format!(
                    "the input is {} bytes; the limit is {DEFAULT_MAX_INPUT_BYTES} bytes",
                    source.text.len()
                ))
                .with_source(source.name),
            );
            continue;
        }
        if let Some((off, message)) = text::cut_short(source.text) {
            cx.errors.push(
                Diagnostic::error(message).with_source(source.name).at_offset(source.text, off),
            );
        }
        docs.extend(split_documents(source.name, source.text));
    }
    let n_documents = docs.len();
    let mut parsed: Vec<(Doc<'_>, Value)> = Vec::new();
    for doc in docs {
        if let Some(off) = super::too_deep(doc.body) {
            let d = Diagnostic::error(super::too_deep_message())
                .with_source(doc.source)
                .with_document(doc.index)
                .at_offset(doc.text, doc.start + off);
            cx.errors.push(d);
            continue;
        }
        match serde_yaml::from_str::<Value>(doc.body) {
            Ok(mut v) => {
                if let Err(e) = v.apply_merge() {
                    cx.errors.push(doc.diag_at_start(Severity::Error, bare_yaml_message(&e)));
                    continue;
                }
                if text::holds_template(&v)
                    && let Some(at) = text::template_at(doc.body)
                {
                    cx.errors.push(text::template_error(&doc, at));
                    continue;
                }
                parsed.push((doc, v));
            }
            Err(e) => match text::template_at(doc.body) {
                Some(at) => cx.errors.push(text::template_error(&doc, at)),
                None => cx.errors.push(text::ends_inside(&doc, &e, doc.yaml_error(&e))),
            },
        }
    }
    (n_documents, parsed)
}

/// A scenario for manifests alone: a provider and region, SPEC defaults for everything else.
pub fn manifest_scenario(
    name: &str,
    provider: Provider,
    region: Option<&str>,
) -> Result<Scenario, Diagnostic> {
    if provider == Provider::Custom {
        return Err(Diagnostic::error(
            "the custom provider has no catalog; give its instance types in a scenario",
        ));
    }
    let region =
        region.map_or_else(|| catalog::default_region(provider).to_string(), str::to_string);
    let regions = catalog::builtin::catalog(provider).regions();
    if !regions.contains(&region) {
        return Err(Diagnostic::error(format!(
            "region {region:?} has no prices in the embedded {provider} catalog; expected one of {}",
            regions.join(", ")
        )));
    }
    Ok(Scenario {
        name: name.to_string(),
        description: None,
        provider,
        zones: default_zones(provider, &region),
        region,
        overhead: OverheadProfile::default_for(provider),
        catalog: CatalogFilter::default(),
        custom_types: Vec::new(),
        type_overrides: Vec::new(),
        inventory: Vec::new(),
        reservations: Vec::new(),
        purchase: vec![PurchaseOption::OnDemand],
        policy: policy::default_policy(),
        daemonsets: Vec::new(),
        workloads: Vec::new(),
        node_pools: Vec::new(),
        pricing: crate::scenario::Pricing::default(),
        control_plane: crate::scenario::ControlPlane::default_for(provider),
        volumes: Vec::new(),
    })
}

/// Adds the manifests' workloads and DaemonSets to a scenario. A workload defined in both is an error.
pub fn merge_into(scenario: &mut Scenario, manifests: &Manifests) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for mw in &manifests.workloads {
        let w = &mw.workload;
        if scenario.workload(&w.namespace, &w.name).is_some() {
            errors.push(
                Diagnostic::error(format!(
                    "workload {} is defined both in the scenario and in the manifests",
                    w.key()
                ))
                .with_source(mw.origin.source.clone())
                .with_location(mw.origin.location)
                .with_document(mw.origin.document)
                .with_hint("remove one of them, or rename the scenario's workload"),
            );
        } else {
            scenario.workloads.push(w.clone());
        }
    }
    for ds in &manifests.daemonsets {
        scenario.daemonsets.push(ds.daemonset.clone());
    }
    if errors.is_empty()
        && let Some((i, message)) = super::past_planning_limits(&scenario.workloads)
    {
        let w = &scenario.workloads[i];
        let mut d = Diagnostic::error(message);
        if let Some(mw) = manifests.workloads.iter().find(|m| m.workload.key() == w.key()) {
            d = d
                .with_source(mw.origin.source.clone())
                .with_location(mw.origin.location)
                .with_document(mw.origin.document);
        }
        errors.push(d);
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n";

    fn read(text: &str) -> Warned<Result<Manifests, Vec<Diagnostic>>> {
        read_manifests(&[Source { name: "m.yaml", text }], &default_options())
    }

    fn errors(text: &str) -> Vec<String> {
        match read(text).output {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn ok(text: &str) -> Manifests {
        match read(text).output {
            Ok(m) => m,
            Err(e) => panic!("{}", e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        }
    }

    #[test]
    fn bad_manifests_name_file_location_path_and_document() {
        let with = |from: &str, to: &str| {
            assert!(DEP.contains(from), "{from}");
            DEP.replace(from, to)
        };
        let cases: Vec<(String, &str)> = vec![
            ("just a string\n".into(), "m.yaml:1:1: error: expected a Kubernetes object (a mapping with apiVersion and kind), found \"just a string\" [document 1]"),
            ("apiVersion: v1\nmetadata: {name: x}\n".into(), "m.yaml:1:1: error: this object has no kind; expected a Kubernetes object with apiVersion and kind [document 1]"),
            (with("kind: Deployment", "kind: [Deployment]"), "m.yaml:2:7: error: expected kind (a string), found a list (at kind) [document 1]"),
            (with("  name: web\n", ""), "m.yaml:3:1: error: this Deployment has no metadata.name; expected a name (at metadata) [document 1]"),
            (with("replicas: 2", "replicas: -1"), "m.yaml:7:13: error: expected replicas (a whole number), found -1 (at spec.replicas) [document 1]"),
            (with("replicas: 2", "replicas: three"), "m.yaml:7:13: error: expected replicas (a whole number), found \"three\" (at spec.replicas) [document 1]"),
            (with("cpu: 250m", "cpu: 10mi"), "m.yaml:13:29: error: invalid quantity \"10mi\": unknown suffix \"mi\""),
            (with("cpu: 250m", "cpus: 1"), "m.yaml:13:30: error: unknown resource \"cpus\"; expected cpu, memory, ephemeral-storage or an extended resource such as nvidia.com/gpu (at spec.template.spec.containers[0].resources.requests.cpus) [document 1]"),
            (with("cpu: 250m", "nvidia.com/gpu: 0.5"), "m.yaml:13:40: error: invalid quantity \"0.5\": expected a whole number (at spec.template.spec.containers[0].resources.requests.nvidia.com/gpu) [document 1]"),
            (with("{cpu: 250m, memory: 256Mi}", "{cpu: \"2\"}\n            limits: {cpu: \"1\"}"), "m.yaml:13:29: error: container app: the cpu request (2) is above its limit (1); Kubernetes requires request ≤ limit (at spec.template.spec.containers[0].resources.requests.cpu) [document 1]"),
            (with("      containers:\n        - name: app\n          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n", "      nodeSelector: {}\n"), "m.yaml:9:5: error: Deployment shop/web has no containers; expected spec.containers with at least one container (at spec.template.spec) [document 1]"),
            (with("  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n", "  paused: true\n"), "m.yaml:6:1: error: Deployment shop/web has no pod template (spec.template) (at spec) [document 1]"),
            (with("    spec:\n", "    spec:\n      topologySpreadConstraints:\n        - maxSkew: 0\n          topologyKey: topology.kubernetes.io/zone\n          whenUnsatisfiable: DoNotSchedule\n"), "m.yaml:11:20: error: maxSkew must be at least 1 (at spec.template.spec.topologySpreadConstraints[0].maxSkew) [document 1]"),
            (with("    spec:\n", "    spec:\n      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: topology.kubernetes.io/zone\n          whenUnsatisfiable: Never\n"), "m.yaml:13:30: error: unknown whenUnsatisfiable \"Never\"; expected DoNotSchedule or ScheduleAnyway (at spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable) [document 1]"),
            (with("    spec:\n", "    spec:\n      nodeSelector:\n        kubernetes.io/arch: s390x\n"), "m.yaml:11:29: error: Deployment shop/web selects architecture s390x; kplan plans amd64 and arm64 nodes only (at spec.template.spec.nodeSelector.kubernetes.io/arch) [document 1]"),
            (with("    spec:\n", "    spec:\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n              - matchExpressions:\n                  - {key: kubernetes.io/arch, operator: Equals, values: [arm64]}\n"), "m.yaml:15:57: error: unknown operator \"Equals\"; expected In, NotIn, Exists, DoesNotExist, Gt, Lt (at spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator) [document 1]"),
            (format!("{DEP}---\n{DEP}"), "m.yaml:18:9: error: Deployment shop/web is defined twice (first at m.yaml:1:1 [document 1]) (at metadata.name) [document 2]"),
            (format!("{DEP}---\n{}", DEP.replace("kind: Deployment", "kind: StatefulSet")), "m.yaml:18:9: error: StatefulSet shop/web has the namespace and name of the Deployment at m.yaml:1:1 [document 1]; kplan needs workload names unique per namespace (at metadata.name) [document 2]"),
            (format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr, namespace: shop}}\nspec:\n  limits:\n    - type: Container\n      max: {{cpu: 200m}}\n---\n{DEP}"), "m.yaml:21:29: error: container app: the cpu request (250m) is above its limit (200m, the LimitRange default); Kubernetes requires request ≤ limit (at spec.template.spec.containers[0].resources.requests.cpu) [document 2]"),
            (format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr, namespace: shop}}\nspec:\n  limits:\n    - type: Container\n      min: {{memory: 512Mi}}\n---\n{DEP}"), "m.yaml:21:43: error: container app: the memory request (256Mi) is below the minimum (512Mi) of LimitRange shop/lr (at spec.template.spec.containers[0].resources.requests.memory) [document 2]"),
            (format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr, namespace: shop}}\nspec:\n  limits:\n    - type: Container\n      max: {{cpu: \"2\"}}\n---\n{}", DEP.replace("memory: 256Mi}", "memory: 256Mi}\n            limits: {cpu: \"4\"}")), "m.yaml:22:27: error: container app: the cpu limit (4) is above the maximum (2) of LimitRange shop/lr (at spec.template.spec.containers[0].resources.limits.cpu) [document 2]"),
            ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n".into(), "m.yaml:6:19: error: minAvailable and maxUnavailable cannot both be set (at spec.maxUnavailable) [document 1]"),
            ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  minAvailable: 150%\n  selector: {matchLabels: {app: web}}\n".into(), "m.yaml:5:17: error: expected a whole number or a percentage from 0% to 100%, found \"150%\" (at spec.minAvailable) [document 1]"),
            ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  maxUnavailable: \"3\"\n  selector: {matchLabels: {app: web}}\n".into(), "m.yaml:5:19: error: expected a whole number or a percentage from 0% to 100%, found \"3\" (at spec.maxUnavailable) [document 1]"),
            ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 5\n  maxReplicas: 2\n".into(), "m.yaml:7:16: error: maxReplicas (2) must be at least 1 and at least minReplicas (5) (at spec.maxReplicas) [document 1]"),
            ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n".into(), "m.yaml:4:1: error: HorizontalPodAutoscaler default/h has no maxReplicas; expected a whole number (at spec) [document 1]"),
            ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  storageClassName: gp3\n".into(), "m.yaml:4:1: error: this claim requests no storage; expected spec.resources.requests.storage such as 10Gi (at spec) [document 1]"),
            ("apiVersion: v1\nkind: List\nitems:\n  kind: Deployment\n".into(), "m.yaml:3:1: error: expected items (a list), found a mapping (at items) [document 1]"),
            ("{\n  \"apiVersion\": \"apps/v1\",\n  \"kind\": \"Deployment\",\n  \"metadata\": {\"name\": \"web\"},\n  \"spec\": {\"replicas\": \"2\", \"template\": {\"spec\": {\"containers\": [{\"name\": \"a\"}]}}}\n}\n".into(), "m.yaml:5:24: error: expected replicas (a whole number), found \"2\" (at spec.replicas) [document 1]"),
            ("{\n  \"apiVersion\": \"apps/v1\",\n  \"kind\": \"Deployment\"\n  \"metadata\": {}\n}\n".into(), "m.yaml:4:3: error: did not find expected ',' or '}', while parsing a flow mapping [document 1]"),
            (format!("{DEP}---\nkind: Deployment\nmetadata: {{name: [web\n"), "m.yaml:17:1: error: the file ends inside a flow sequence opened at 16:18: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file [document 2]"),
        ];
        let mut failures = Vec::new();
        for (i, (text, expect)) in cases.iter().enumerate() {
            let got = errors(text).first().cloned().unwrap_or_else(|| "no error".to_string());
            if expect.is_empty() || !got.starts_with(expect) {
                failures.push(format!("case {i}:\n  got:      {got}\n  expected: {expect}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn deployment(name: &str, replicas: u32, labels: &str, resources: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  replicas: {replicas}\n  template:\n    metadata: {{labels: {labels}}}\n    spec:\n      containers:\n        - name: app\n          resources: {resources}\n"
        )
    }

    #[test]
    fn pdb_percentages_round_up_as_kubernetes_does() {
        use IntOrPercent::{Int, Percent};
        // (replicas, minAvailable, maxUnavailable, expected min_available), each computed by hand.
        let cases = [
            (3, Some(Percent(50)), None, 2),  // 1.5 rounds up to 2
            (4, Some(Percent(50)), None, 2),  // exactly 2
            (10, Some(Percent(33)), None, 4), // 3.3 rounds up to 4
            (5, Some(Percent(100)), None, 5),
            (5, Some(Percent(0)), None, 0),
            (4, None, Some(Percent(25)), 3),  // 1 unavailable
            (10, None, Some(Percent(25)), 7), // 2.5 rounds up to 3 unavailable
            (7, None, Some(Percent(30)), 4),  // 2.1 rounds up to 3 unavailable
            (3, None, Some(Percent(100)), 0),
            (3, None, Some(Int(1)), 2),
            (3, None, Some(Int(5)), 0),
            (3, Some(Int(2)), None, 2),
        ];
        for (replicas, min, max, expect) in cases {
            assert_eq!(pdb_min_available(replicas, min, max), Some(expect), "{replicas} replicas");
        }
        // Through manifests: 7 replicas, maxUnavailable 30% → 4; a budget asking for more pods
        // than there are replicas is kept at the replica count, with a warning.
        let text = format!(
            "{}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: a, namespace: shop}}\nspec:\n  maxUnavailable: 30%\n  selector: {{matchLabels: {{app: a}}}}\n---\n{}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: b, namespace: shop}}\nspec:\n  minAvailable: 4\n  selector: {{matchLabels: {{app: b}}}}\n",
            deployment("a", 7, "{app: a}", "{requests: {cpu: 100m}}"),
            deployment("b", 3, "{app: b}", "{requests: {cpu: 100m}}"),
        );
        let res = read(&text);
        let m = res.output.unwrap();
        let mins: Vec<Option<u32>> = m.workloads.iter().map(|w| w.workload.min_available).collect();
        assert_eq!(mins, [Some(4), Some(3)]);
        assert_eq!(
            res.warnings[0].to_string(),
            "m.yaml:36:17: warning: PodDisruptionBudget shop/b asks for 4 available pods of shop/b, which has 3 replicas: no voluntary disruption is possible (at spec.minAvailable) [document 4]"
        );
    }

    #[test]
    fn hpa_bounds_choose_replicas_by_mode() {
        let hpa = |name: &str, min: &str, max: u32| {
            format!(
                "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}\n{min}  maxReplicas: {max}\n"
            )
        };
        let text = [
            deployment("low", 1, "{app: low}", "{requests: {cpu: 100m}}"),
            hpa("low", "  minReplicas: 2\n", 8),
            deployment("high", 20, "{app: high}", "{requests: {cpu: 100m}}"),
            hpa("high", "  minReplicas: 3\n", 8),
            deployment("nomin", 4, "{app: nomin}", "{requests: {cpu: 100m}}"),
            hpa("nomin", "", 6),
            hpa("ghost", "", 6),
        ]
        .join("---\n");
        // current: spec.replicas kept within the bounds (1 → 2, 20 → 8, 4 stays); min and peak: the bounds.
        // A missing minReplicas is 1.
        for (mode, expect) in [
            (ReplicaMode::Current, [2, 8, 4]),
            (ReplicaMode::Min, [2, 3, 1]),
            (ReplicaMode::Peak, [8, 8, 6]),
        ] {
            let opts = ManifestOptions { replicas: mode, ..default_options() };
            let res = read_manifests(&[Source { name: "m.yaml", text: &text }], &opts);
            let m = res.output.unwrap();
            let got: Vec<u32> = m.workloads.iter().map(|w| w.workload.replicas).collect();
            assert_eq!(got, expect, "{mode:?}");
            let bounds: Vec<(u32, u32)> = m
                .workloads
                .iter()
                .map(|w| w.workload.scalable.map(|s| (s.min_replicas, s.max_replicas)).unwrap())
                .collect();
            assert_eq!(bounds, [(2, 8), (3, 8), (1, 6)]);
            assert!(
                res.warnings.iter().any(|w| w.message
                    == "HorizontalPodAutoscaler shop/ghost scales Deployment shop/ghost, which is not among the workloads read; it is ignored"),
                "{:?}",
                res.warnings
            );
        }
    }

    #[test]
    fn limit_range_defaults_follow_the_api_server() {
        // max cpu 2 and no default: the default limit is the max, and the default request the
        // default limit. default memory 512Mi and no defaultRequest: requests default to 512Mi.
        let lr = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      max: {cpu: \"2\"}\n      default: {memory: 512Mi}\n---\n";
        let two = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: two, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n        - name: bare\n        - name: cpu-only\n          resources: {requests: {cpu: 100m}}\n---\n";
        let other = "apiVersion: v1\nkind: Pod\nmetadata: {name: elsewhere, namespace: other}\nspec:\n  containers:\n    - name: bare\n";
        let res = read(&format!("{lr}{two}{other}"));
        let m = res.output.unwrap();
        let two = &m.workloads[0];
        // bare: cpu request 2 / limit 2 (from max), memory 512Mi / 512Mi.
        assert_eq!(two.containers[0].requests.cpu, Some(Cpu(2000)));
        assert_eq!(two.containers[0].limits.cpu, Some(Cpu(2000)));
        assert_eq!(two.containers[0].requests.memory, Some(Bytes::mib(512)));
        // cpu-only: its own request 100m, limit 2; memory 512Mi / 512Mi.
        assert_eq!(two.containers[1].requests.cpu, Some(Cpu(100)));
        assert_eq!(two.containers[1].limits.cpu, Some(Cpu(2000)));
        // The pod: requests 2100m / 1Gi, limits 4 / 1Gi.
        let pod = &two.workload.pod;
        assert_eq!((pod.requests.cpu, pod.requests.memory), (Cpu(2100), Bytes::gib(1)));
        assert_eq!((pod.limits.cpu, pod.limits.memory), (Cpu(4000), Bytes::gib(1)));
        assert!(!pod.best_effort);
        // Another namespace gets nothing: a BestEffort pod, with a located warning.
        assert!(m.workloads[1].workload.pod.best_effort);
        let w = res.warnings.iter().find(|w| w.message.contains("BestEffort")).unwrap();
        assert_eq!(
            w.to_string().lines().next().unwrap(),
            "m.yaml:26:7: warning: workload other/elsewhere requests no CPU or memory (BestEffort): it is planned at zero and cannot be sized honestly: container bare sets no requests (at spec.containers[0]) [document 3]"
        );
    }

    #[test]
    fn resource_quota_overages_are_each_reported() {
        let quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: shop}\nspec:\n  hard:\n    pods: \"4\"\n    requests.memory: 1Gi\n    limits.memory: 8Gi\n    count/deployments.apps: \"1\"\n    requests.nvidia.com/gpu: \"1\"\n---\n";
        let text = format!(
            "{quota}{}---\n{}",
            deployment("a", 3, "{app: a}", "{requests: {memory: 256Mi}, limits: {memory: 1Gi}}"),
            deployment("b", 2, "{app: b}", "{requests: {memory: 512Mi}}"),
        );
        let res = read(&text);
        assert!(res.output.is_ok());
        let got: Vec<String> = res.warnings.iter().map(|w| w.to_string()).collect();
        // pods: 3 + 2 = 5 > 4; requests.memory: 3 × 256Mi + 2 × 512Mi = 1792Mi > 1Gi;
        // limits.memory: 3 × 1Gi + 2 × 512Mi = 4Gi ≤ 8Gi; 2 Deployments > 1; no GPUs requested.
        assert_eq!(
            got,
            [
                "m.yaml:6:11: warning: ResourceQuota shop/q: the planned pods need pods 5, above the hard limit 4; the API server would refuse the pods beyond it (at spec.hard.pods) [document 1]",
                "m.yaml:7:22: warning: ResourceQuota shop/q: the planned pods need requests.memory 1792Mi (a 3 × 256Mi, b 2 × 512Mi), above the hard limit 1Gi; the API server would refuse the pods beyond it (at spec.hard.requests.memory) [document 1]",
                "m.yaml:9:29: warning: ResourceQuota shop/q: the planned pods need count/deployments.apps 2, above the hard limit 1; the API server would refuse the pods beyond it (at spec.hard.count/deployments.apps) [document 1]",
            ]
        );
    }

    #[test]
    fn init_containers_sidecars_and_overhead_add_up_as_the_scheduler_counts() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  overhead: {cpu: 100m, memory: 64Mi}\n  initContainers:\n    - name: init1\n      resources: {requests: {cpu: \"2\", memory: 1Gi}}\n    - name: sidecar\n      restartPolicy: Always\n      resources: {requests: {cpu: 200m, memory: 256Mi}}\n    - name: init2\n      resources: {requests: {cpu: 500m, memory: 4Gi}}\n  containers:\n    - name: app\n      resources: {requests: {cpu: \"1\", memory: 2Gi}}\n";
        let m = ok(text);
        let pod = &m.workloads[0].workload.pod;
        // init1 alone: 2000m/1024Mi; init2 with the sidecar started before it: 700m/4352Mi;
        // app + sidecar: 1200m/2304Mi. Per resource the largest: 2000m and 4352Mi, plus overhead 100m/64Mi.
        assert_eq!(pod.requests.cpu, Cpu(2100));
        assert_eq!(pod.requests.memory, Bytes::mib(4416));
        assert_eq!(pod.n_containers, 4);
        assert_eq!(m.workloads[0].init_containers.iter().filter(|c| c.sidecar).count(), 1);
    }

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let text = format!(
            "kind: Deployment\nmetadata: {{name: [x\n---\n{}---\n{}",
            deployment("fine", 1, "{app: a}", "{requests: {cpu: 100m}}"),
            deployment("bad", 1, "{app: b}", "{requests: {cpu: 1.2.3}}")
        );
        let errors = errors(&text);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].starts_with("m.yaml:3:1: error: did not find expected ',' or ']'"),
            "{}",
            errors[0]
        );
        assert!(errors[0].ends_with("[document 1]"));
        assert!(
            errors[1].starts_with("m.yaml:26:39: error: invalid quantity \"1.2.3\""),
            "{}",
            errors[1]
        );
        assert!(errors[1].ends_with(
            "(at spec.template.spec.containers[0].resources.requests.cpu) [document 3]"
        ));
    }

    #[test]
    fn documents_split_at_markers_only() {
        let docs =
            split_documents("s", "# c\n---\na: 1\n--- # x\nb: |\n  ---not a marker\n...\n---\n");
        let bodies: Vec<&str> = docs.iter().map(|d| d.body).collect();
        assert_eq!(bodies, ["\na: 1\n", " # x\nb: |\n  ---not a marker\n", "\n"]);
        assert_eq!(split_documents("s", "").len(), 0);
        assert_eq!(split_documents("s", "# only a comment\n").len(), 0);
        assert_eq!(split_documents("s", "a: 1\n").len(), 1);
    }

    #[test]
    fn objects_without_a_namespace_take_the_option() {
        let text = "kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: a, resources: {requests: {cpu: 1}}}]}\n---\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n---\nkind: List\nitems: null\n";
        let opts = ManifestOptions { default_namespace: "team-a".to_string(), ..default_options() };
        let m = read_manifests(&[Source { name: "m.yaml", text }], &opts).output.unwrap();
        let w = &m.workloads[0].workload;
        assert_eq!((w.namespace.as_str(), w.replicas, w.min_available), ("team-a", 1, Some(1)));
        assert_eq!(m.n_documents, 3);
        assert!(m.skipped.is_empty());
    }

    #[test]
    fn custom_resources_of_unknown_operators_get_a_hint_and_known_ones_their_pods() {
        let text = "apiVersion: dragonflydb.io/v1alpha1\nkind: Dragonfly\nmetadata: {name: cache, namespace: c}\nspec:\n  replicas: 2\n  resources: {requests: {cpu: 500m, memory: 1Gi}}\n---\napiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata: {name: mq, namespace: c}\n";
        let res = read(text);
        let m = res.output.unwrap();
        assert_eq!(m.skipped.get("Dragonfly"), Some(&1));
        assert_eq!(m.operated.get("RabbitmqCluster"), Some(&1));
        let hint = res.warnings.iter().find(|w| w.message.contains("Dragonfly")).unwrap();
        assert_eq!(
            hint.to_string().lines().next().unwrap(),
            "m.yaml:5:13: warning: Dragonfly c/cache (dragonflydb.io/v1alpha1) carries spec.replicas (2) and spec.resources, so its operator runs pods for it; they are not planned (at spec.replicas) [document 1]"
        );
        assert_eq!(
            hint.hints,
            [
                "to plan them, add a workload to a scenario: - {name: cache, namespace: c, kind: Dragonfly, replicas: 2, requests: {cpu: 500m, memory: 1Gi}}"
            ]
        );
        // A RabbitmqCluster with no spec at all: the CRD's defaults, one replica.
        let w = &m.workloads[0].workload;
        assert_eq!((w.name.as_str(), w.replicas), ("mq-server", 1));
        assert_eq!((w.pod.requests.cpu.millis(), w.pod.requests.memory), (1000, Bytes::gib(2)));
        assert_eq!(m.n_accounted(), m.n_objects);
    }

    #[test]
    fn runtime_class_overhead_and_gpu_models() {
        let rc = "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata}\nhandler: kata\noverhead: {podFixed: {cpu: 100m, memory: 200Mi}}\n---\n";
        let pod = |name: &str, extra: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n{extra}  containers: [{{name: a, resources: {{requests: {{cpu: 1, memory: 1Gi, nvidia.com/gpu: 1}}}}}}]\n"
            )
        };
        let text = [
            format!("{rc}{}", pod("kata", "  runtimeClassName: kata\n")),
            pod("gvisor", "  runtimeClassName: gvisor\n"),
            pod("l4", "  nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}\n"),
        ]
        .join("---\n");
        let res = read(&text);
        let m = res.output.unwrap();
        let cpu: Vec<u64> = m.workloads.iter().map(|w| w.workload.pod.requests.cpu.0).collect();
        assert_eq!(cpu, [1100, 1000, 1000]);
        assert_eq!(m.workloads[0].workload.pod.requests.memory, Bytes::mib(1224));
        let w: Vec<String> = res.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            w,
            [
                "m.yaml:18:21: warning: Pod default/gvisor runs with RuntimeClass gvisor, which is not among the manifests; its pod overhead, if any, is not counted (at spec.runtimeClassName) [document 3]",
                "m.yaml:25:17: warning: Pod default/l4 selects nodes by cloud.google.com/gke-accelerator In [nvidia-l4] (a GPU model), which kplan cannot resolve; it is planned as if every node qualified (at spec.nodeSelector) [document 4]",
            ]
        );
    }
}
