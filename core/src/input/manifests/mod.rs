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

mod jobs;
mod operators;
mod summary;
mod text;

pub use jobs::{HELM_HOOK, OneShot};
pub use operators::{OPERATORS, Operated, Operator};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde_yaml::Value;

use super::{DEFAULT_MAX_INPUT_BYTES, Seg, bare_yaml_message, locate_json, locate_segs};
use crate::catalog::{self, Arch, Provider, PurchaseOption};
use crate::diag::{Diagnostic, LineIndex, Location, Severity, Warned};
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
    type Err = String;
    fn from_str(s: &str) -> Result<ReplicaMode, String> {
        match s {
            "current" => Ok(ReplicaMode::Current),
            "min" => Ok(ReplicaMode::Min),
            "peak" => Ok(ReplicaMode::Peak),
            _ => Err(format!("unknown replica mode {s:?}; expected current, min or peak")),
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

// ---------------------------------------------------------------------------------------------
// Documents and located values.

/// One YAML document of a source.
pub(super) struct Doc<'a> {
    pub(super) source: &'a str,
    text: &'a str,
    start: usize,
    body: &'a str,
    pub(super) index: usize,
    json: bool,
}

impl Doc<'_> {
    /// The absolute offset of a path's value, falling back to its nearest located parent, then to the document.
    fn offset(&self, p: &FieldPath) -> usize {
        let mut segs: &[Seg] = &p.0;
        loop {
            let found = if self.json {
                locate_json(self.body, segs)
            } else if segs.is_empty() {
                None
            } else {
                locate_segs(self.body, segs)
            };
            if let Some(off) = found {
                return self.start + off;
            }
            if segs.is_empty() {
                return self.start + first_content(self.body);
            }
            segs = &segs[..segs.len() - 1];
        }
    }

    fn diag(&self, p: &FieldPath, severity: Severity, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::error(message)
            .with_source(self.source)
            .with_path(p.to_string())
            .with_document(self.index)
            .at_offset(self.text, self.offset(p));
        d.severity = severity;
        d
    }

    fn diag_at_start(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        self.diag(&FieldPath::default(), severity, message)
    }

    fn yaml_error(&self, e: &serde_yaml::Error) -> Diagnostic {
        let d = Diagnostic::error(bare_yaml_message(e))
            .with_source(self.source)
            .with_document(self.index);
        match e.location() {
            Some(loc) => {
                let off = LineIndex::new(self.body)
                    .offset(Location { line: loc.line(), column: loc.column() });
                d.at_offset(self.text, self.start + off)
            }
            None => d.at_offset(self.text, self.start + first_content(self.body)),
        }
    }

    pub(super) fn origin(&self, p: &FieldPath) -> Origin {
        Origin {
            source: self.source.to_string(),
            document: self.index,
            location: LineIndex::new(self.text).location(self.offset(p)),
        }
    }
}

/// The offset of the first character that is not blank or a comment.
fn first_content(body: &str) -> usize {
    let mut off = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if !t.is_empty() && !t.starts_with('#') {
            return off + (line.len() - t.len());
        }
        off += line.len();
    }
    0
}

/// Splits a source into YAML documents at `---` and `...` lines (a leading part with only
/// comments and blank lines is not a document).
fn split_documents<'a>(source: &'a str, text: &'a str) -> Vec<Doc<'a>> {
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (body start, body end)
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut off = start;
    let mut explicit = false;
    let mut first = true;
    for line in text[start..].split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_start = bare.starts_with("---")
            && bare[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        let is_end = bare.starts_with("...")
            && bare[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        if is_start || is_end {
            let body = &text[start..off];
            if !(first && !explicit && first_content_opt(body).is_none()) {
                cuts.push((start, off));
            }
            // After `...`, text before the next `---` is a document only if it has content.
            first = is_end;
            explicit = is_start;
            start = if is_start { off + 3 } else { off + line.len() };
        }
        off += line.len();
    }
    let body = &text[start..];
    if explicit || first_content_opt(body).is_some() {
        cuts.push((start, text.len()));
    }
    cuts.into_iter()
        .enumerate()
        .map(|(index, (s, e))| {
            let body = &text[s..e];
            let json = first_content_opt(body).is_some_and(|o| body[o..].starts_with(['{', '[']));
            Doc { source, text, start: s, body, index, json }
        })
        .collect()
}

fn first_content_opt(body: &str) -> Option<usize> {
    let off = first_content(body);
    let t = body[off..].trim_start();
    (!t.is_empty() && !t.starts_with('#')).then_some(off)
}

/// A field path inside a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct FieldPath(Vec<Seg>);

impl FieldPath {
    fn key(&self, key: &str) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(key.to_string()));
        FieldPath(v)
    }

    fn index(&self, index: usize) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(index));
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if n == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A value with its path and document.
#[derive(Clone)]
pub(super) struct Node<'a> {
    pub(super) v: &'a Value,
    pub(super) p: FieldPath,
    pub(super) doc: &'a Doc<'a>,
}

impl<'a> Node<'a> {
    /// A child by key; `None` when absent or null.
    pub(super) fn get(&self, key: &str) -> Option<Node<'a>> {
        let v = untag(self.v).as_mapping()?.get(key)?;
        (!untag(v).is_null()).then(|| Node { v, p: self.p.key(key), doc: self.doc })
    }

    pub(super) fn get_path(&self, keys: &[&str]) -> Option<Node<'a>> {
        let mut cur = self.clone();
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    pub(super) fn diag(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        self.doc.diag(&self.p, severity, message)
    }

    pub(super) fn str(&self) -> Option<&'a str> {
        untag(self.v).as_str()
    }
}

pub(super) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        v => v,
    }
}

/// Describes a value for "expected …, found …" messages.
pub(super) fn found(v: &Value) -> String {
    match untag(v) {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("{s:?}"),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(_) => "a tagged value".to_string(),
    }
}

/// A scalar as text (numbers and booleans as written).
pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match untag(v) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// The manifest reader: what it found (errors, warnings) and what earlier objects tell later
/// ones (RuntimeClass overheads, the Lists opened).
#[derive(Default)]
pub(super) struct Reader {
    pub(super) errors: Vec<Diagnostic>,
    pub(super) warnings: Vec<Diagnostic>,
    /// Pod overhead by RuntimeClass name (`overhead.podFixed`).
    runtime_classes: BTreeMap<String, Resources>,
    /// Lists opened, and the items they held.
    n_lists: usize,
    n_list_items: usize,
}

/// A Kubernetes object located in its document.
pub(super) struct Object<'a> {
    pub(super) node: Node<'a>,
    pub(super) kind: String,
    api_version: String,
    pub(super) name: String,
    pub(super) namespace: String,
}

impl Object<'_> {
    pub(super) fn id(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "DaemonSet",
    "Job",
    "CronJob",
    "Pod",
];
const SHAPING_KINDS: &[&str] = &[
    "LimitRange",
    "ResourceQuota",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "PersistentVolumeClaim",
    "Namespace",
    "RuntimeClass",
];

impl Reader {
    pub(super) fn err(&mut self, n: &Node<'_>, message: impl Into<String>) {
        self.errors.push(n.diag(Severity::Error, message));
    }

    pub(super) fn warn(&mut self, n: &Node<'_>, message: impl Into<String>) {
        self.warnings.push(n.diag(Severity::Warning, message));
    }

    pub(super) fn string(&mut self, n: &Node<'_>, what: &str) -> Option<String> {
        match scalar_text(n.v) {
            Some(s) if matches!(untag(n.v), Value::String(_)) => Some(s),
            _ => {
                self.err(n, format!("expected {what} (a string), found {}", found(n.v)));
                None
            }
        }
    }

    pub(super) fn mapping<'a>(&mut self, n: &Node<'a>, what: &str) -> Vec<(String, Node<'a>)> {
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

    pub(super) fn seq<'a>(&mut self, n: &Node<'a>, what: &str) -> Vec<Node<'a>> {
        let Some(s) = untag(n.v).as_sequence() else {
            self.err(n, format!("expected {what} (a list), found {}", found(n.v)));
            return Vec::new();
        };
        s.iter().enumerate().map(|(i, v)| Node { v, p: n.p.index(i), doc: n.doc }).collect()
    }

    pub(super) fn count(&mut self, n: &Node<'_>, what: &str) -> Option<u32> {
        match untag(n.v).as_u64().and_then(|x| u32::try_from(x).ok()) {
            Some(x) => Some(x),
            None => {
                self.err(n, format!("expected {what} (a whole number), found {}", found(n.v)));
                None
            }
        }
    }

    pub(super) fn string_map(
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

    /// A Kubernetes resource list (`{cpu: 250m, memory: 256Mi, nvidia.com/gpu: 1}`).
    fn resource_list(&mut self, n: Option<&Node<'_>>) -> PartialResources {
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
    pub(super) fn collect<'a>(
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

// ---------------------------------------------------------------------------------------------
// Node selection: labels the planner understands.

pub(super) const ARCH_KEYS: &[&str] = &["kubernetes.io/arch", "beta.kubernetes.io/arch"];
pub(super) const ZONE_KEYS: &[&str] =
    &["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"];
const HOSTNAME_KEY: &str = "kubernetes.io/hostname";
pub(super) const TYPE_KEYS: &[&str] =
    &["node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"];
const FAMILY_KEYS: &[&str] =
    &["karpenter.k8s.aws/instance-family", "cloud.google.com/machine-family"];
const OS_KEYS: &[&str] = &["kubernetes.io/os", "beta.kubernetes.io/os"];
const GPU_KEYS: &[&str] = &[
    "nvidia.com/gpu",
    "nvidia.com/gpu.present",
    "nvidia.com/gpu.product",
    "cloud.google.com/gke-accelerator",
    "k8s.amazonaws.com/accelerator",
    "karpenter.k8s.aws/instance-gpu-name",
    "karpenter.k8s.aws/instance-gpu-count",
    "kubernetes.azure.com/accelerator",
    "accelerator",
];

/// GPU labels that name a model: the planner does not pick GPU models by label.
const GPU_MODEL_KEYS: &[&str] = &[
    "nvidia.com/gpu.product",
    "cloud.google.com/gke-accelerator",
    "k8s.amazonaws.com/accelerator",
    "karpenter.k8s.aws/instance-gpu-name",
    "kubernetes.azure.com/accelerator",
    "accelerator",
];

/// Spot labels and taints of the field: (key, values meaning spot, values meaning on-demand,
/// whether the label exists only on spot nodes).
const SPOT_KEYS: &[(&str, &[&str], &[&str], bool)] = &[
    ("cloud.google.com/gke-spot", &["true"], &["false"], true),
    ("cloud.google.com/gke-preemptible", &["true"], &["false"], true),
    ("eks.amazonaws.com/capacityType", &["SPOT"], &["ON_DEMAND", "CAPACITY_BLOCK"], false),
    ("karpenter.sh/capacity-type", &["spot"], &["on-demand", "reserved"], false),
    ("kubernetes.azure.com/scalesetpriority", &["spot"], &["regular"], false),
];

fn spot_key(
    key: &str,
) -> Option<&'static (&'static str, &'static [&'static str], &'static [&'static str], bool)> {
    SPOT_KEYS.iter().find(|(k, ..)| *k == key)
}

/// What a pod may or must run on, as far as spot goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SpotReq {
    Any,
    Require,
    Forbid,
}

/// The node restrictions of one selector term (or of a whole pod, once combined).
#[derive(Clone, Debug)]
struct NodeReq {
    arch: Option<BTreeSet<Arch>>,
    zones: Option<BTreeSet<String>>,
    types: Option<BTreeSet<String>>,
    families: Option<BTreeSet<String>>,
    spot: SpotReq,
    gpu: Option<bool>,
    unresolved: Vec<String>,
}

fn any_req() -> NodeReq {
    NodeReq {
        arch: None,
        zones: None,
        types: None,
        families: None,
        spot: SpotReq::Any,
        gpu: None,
        unresolved: Vec::new(),
    }
}

fn and_set<T: Ord + Clone>(a: Option<BTreeSet<T>>, b: Option<BTreeSet<T>>) -> Option<BTreeSet<T>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
    }
}

fn or_set<T: Ord>(a: Option<BTreeSet<T>>, b: Option<BTreeSet<T>>) -> Option<BTreeSet<T>> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            a.extend(b);
            Some(a)
        }
        _ => None,
    }
}

impl NodeReq {
    /// The workload's placement: the architectures, instance types, families and zones this
    /// requirement allows (each sorted; empty for no restriction).
    fn placement(&self) -> Placement {
        let sorted = |s: &Option<BTreeSet<String>>| s.iter().flatten().cloned().collect::<Vec<_>>();
        Placement {
            arch: self.arch.iter().flatten().copied().collect(),
            instance_types: sorted(&self.types),
            families: sorted(&self.families),
            zones: sorted(&self.zones),
        }
    }

    fn and(self, o: NodeReq) -> NodeReq {
        let mut unresolved = self.unresolved;
        unresolved.extend(o.unresolved);
        NodeReq {
            arch: and_set(self.arch, o.arch),
            zones: and_set(self.zones, o.zones),
            types: and_set(self.types, o.types),
            families: and_set(self.families, o.families),
            spot: match (self.spot, o.spot) {
                (SpotReq::Any, x) | (x, SpotReq::Any) => x,
                (SpotReq::Forbid, _) | (_, SpotReq::Forbid) => SpotReq::Forbid,
                _ => SpotReq::Require,
            },
            gpu: self.gpu.or(o.gpu),
            unresolved,
        }
    }

    fn or(self, o: NodeReq) -> NodeReq {
        let mut unresolved = self.unresolved;
        unresolved.extend(o.unresolved);
        NodeReq {
            arch: or_set(self.arch, o.arch),
            zones: or_set(self.zones, o.zones),
            types: or_set(self.types, o.types),
            families: or_set(self.families, o.families),
            spot: if self.spot == o.spot { self.spot } else { SpotReq::Any },
            gpu: if self.gpu == o.gpu { self.gpu } else { None },
            unresolved,
        }
    }
}

/// One `key operator values` requirement.
struct Expr {
    key: String,
    op: String,
    values: Vec<String>,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.values.is_empty() {
            write!(f, "{} {}", self.key, self.op)
        } else {
            write!(f, "{} {} [{}]", self.key, self.op, self.values.join(", "))
        }
    }
}

/// A label selector (`matchLabels` and `matchExpressions`).
#[derive(Default)]
struct Selector {
    labels: BTreeMap<String, String>,
    exprs: Vec<Expr>,
}

impl Selector {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.exprs.iter().all(|e| {
                let have = labels.get(&e.key);
                match e.op.as_str() {
                    "In" => have.is_some_and(|v| e.values.contains(v)),
                    "NotIn" => have.is_none_or(|v| !e.values.contains(v)),
                    "Exists" => have.is_some(),
                    "DoesNotExist" => have.is_none(),
                    _ => false,
                }
            })
    }
}

fn term_req(exprs: &[Expr], bad_arch: &mut Vec<String>) -> NodeReq {
    let mut req = any_req();
    for e in exprs {
        let key = e.key.as_str();
        let vals: BTreeSet<String> = e.values.iter().cloned().collect();
        let mut one = any_req();
        if ARCH_KEYS.contains(&key) {
            let mut set = BTreeSet::new();
            for v in &e.values {
                match v.parse::<Arch>() {
                    Ok(a) => {
                        set.insert(a);
                    }
                    Err(_) if e.op == "In" => bad_arch.push(v.clone()),
                    Err(_) => {}
                }
            }
            one.arch = match e.op.as_str() {
                "In" => Some(set),
                "NotIn" => Some(
                    [Arch::Amd64, Arch::Arm64].into_iter().filter(|a| !set.contains(a)).collect(),
                ),
                "Exists" => None,
                "DoesNotExist" => Some(BTreeSet::new()),
                _ => {
                    one.unresolved.push(e.to_string());
                    None
                }
            };
        } else if ZONE_KEYS.contains(&key) && e.op == "In" {
            one.zones = Some(vals);
        } else if TYPE_KEYS.contains(&key) && e.op == "In" {
            one.types = Some(vals);
        } else if FAMILY_KEYS.contains(&key) && e.op == "In" {
            one.families = Some(vals);
        } else if OS_KEYS.contains(&key) {
            let linux = e.values.iter().any(|v| v == "linux");
            let ok = match e.op.as_str() {
                "In" => linux,
                "NotIn" => !linux,
                "Exists" => true,
                _ => false,
            };
            if !ok {
                one.unresolved.push(e.to_string());
            }
        } else if let Some((_, spot_vals, od_vals, only_on_spot)) = spot_key(key) {
            let is_spot = |v: &String| spot_vals.iter().any(|s| s.eq_ignore_ascii_case(v));
            let is_od = |v: &String| od_vals.iter().any(|s| s.eq_ignore_ascii_case(v));
            one.spot = match e.op.as_str() {
                "In" if !e.values.is_empty() && e.values.iter().all(is_spot) => SpotReq::Require,
                "In" if e.values.iter().all(is_od) => SpotReq::Forbid,
                "NotIn" if e.values.iter().any(is_spot) => SpotReq::Forbid,
                "DoesNotExist" => SpotReq::Forbid,
                "Exists" if *only_on_spot => SpotReq::Require,
                _ => SpotReq::Any,
            };
        } else if GPU_KEYS.contains(&key) {
            if GPU_MODEL_KEYS.contains(&key) && e.op == "In" {
                one.unresolved.push(format!("{e} (a GPU model)"));
            }
            let falsy = |v: &String| v == "false" || v == "0";
            one.gpu = match e.op.as_str() {
                "In" if e.values.iter().all(falsy) => Some(false),
                "In" | "Exists" | "Gt" => Some(true),
                "DoesNotExist" => Some(false),
                _ => None,
            };
        } else {
            one.unresolved.push(e.to_string());
        }
        req = req.and(one);
    }
    req
}

/// True when a toleration lets a pod onto the spot nodes of some provider.
fn tolerates_spot(key: Option<&str>, op: &str, value: Option<&str>) -> bool {
    match key {
        None | Some("") => op == "Exists",
        Some(k) => spot_key(k).is_some_and(|(_, spot_vals, _, _)| {
            op == "Exists"
                || value.is_none_or(|v| {
                    v.is_empty() || spot_vals.iter().any(|s| s.eq_ignore_ascii_case(v))
                })
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Namespace-level objects.

/// One `type: Container` or `type: Pod` item of a LimitRange.
struct LimitRule {
    id: String,
    container: bool,
    max: PartialResources,
    min: PartialResources,
    ratio: BTreeMap<ResourceName, u64>,
}

/// Everything a namespace's LimitRanges say.
#[derive(Default)]
pub(super) struct NsLimits {
    defaults: ContainerDefaults,
    rules: Vec<LimitRule>,
}

/// The LimitRange defaulting of the API server: a missing `default` is `max`; a missing
/// `defaultRequest` is `default`, else `min`.
fn merge_defaults(
    into: &mut ContainerDefaults,
    default: &PartialResources,
    default_request: &PartialResources,
    max: &PartialResources,
    min: &PartialResources,
) {
    let mut all: Vec<ResourceName> =
        [default, default_request, max, min].iter().flat_map(|p| p.names()).collect();
    all.sort();
    all.dedup();
    for n in all {
        let limit = default.amount(&n).or_else(|| max.amount(&n));
        let request = default_request.amount(&n).or(limit).or_else(|| min.amount(&n));
        if let Some(l) = limit
            && into.default_limits.amount(&n).is_none()
        {
            into.default_limits.set(&n, l);
        }
        if let Some(r) = request
            && into.default_requests.amount(&n).is_none()
        {
            into.default_requests.set(&n, r);
        }
    }
}

struct Hpa<'a> {
    node: Node<'a>,
    id: String,
    namespace: String,
    target_kind: String,
    target_name: String,
    min: u32,
    max: u32,
}

/// `minAvailable` or `maxUnavailable`: a count or a percentage.
#[derive(Clone, Copy)]
enum IntOrPercent {
    Int(u32),
    Percent(u32),
}

struct Pdb<'a> {
    node: Node<'a>,
    id: String,
    namespace: String,
    selector: Selector,
    min_available: Option<IntOrPercent>,
    max_unavailable: Option<IntOrPercent>,
    matched: bool,
}

/// The `minAvailable` a PodDisruptionBudget gives a workload of `replicas` pods, as the disruption
/// controller computes it: percentages of either field round up.
fn pdb_min_available(
    replicas: u32,
    min_available: Option<IntOrPercent>,
    max_unavailable: Option<IntOrPercent>,
) -> Option<u32> {
    let scaled = |v: IntOrPercent| match v {
        IntOrPercent::Int(n) => n,
        IntOrPercent::Percent(p) => {
            u32::try_from((u64::from(replicas) * u64::from(p)).div_ceil(100)).unwrap_or(u32::MAX)
        }
    };
    match (min_available, max_unavailable) {
        (Some(m), _) => Some(scaled(m)),
        (None, Some(u)) => Some(replicas.saturating_sub(scaled(u))),
        (None, None) => None,
    }
}

struct Quota<'a> {
    id: String,
    namespace: String,
    hard: Vec<(String, Node<'a>)>,
}

/// A workload read, before autoscalers, budgets and ownership are applied.
pub(super) struct Pending<'a> {
    pub(super) manifest: ManifestWorkload,
    obj_kind: String,
    node: Node<'a>,
    pub(super) controller: Option<(String, String)>,
    claim_templates: Vec<(String, Bytes, Option<String>)>,
    name_node: Node<'a>,
    /// For a DaemonSet: whether it selects GPU nodes and spot nodes.
    ds_nodes: (Option<bool>, SpotReq),
    /// For a Job or a Helm hook: what it is (it runs to completion).
    one_shot: Option<OneShot>,
    /// Where a BestEffort pod's missing requests belong: its first container's resources.
    best_effort_at: Option<Node<'a>>,
}

/// Where a pod may run and how it spreads.
pub(super) struct Scheduling {
    req: NodeReq,
    pub(super) spot: bool,
    pub(super) max_per_node: Option<u32>,
    pub(super) zone_spread: Option<ZoneSpread>,
}

/// What a pod template gives.
struct PodInfo {
    containers: Vec<Container>,
    init_containers: Vec<Container>,
    overhead: Resources,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    req: NodeReq,
    spot: bool,
    max_per_node: Option<u32>,
    zone_spread: Option<ZoneSpread>,
}

impl Reader {
    fn int_or_percent(&mut self, n: &Node<'_>) -> Option<IntOrPercent> {
        match untag(n.v) {
            Value::Number(_) => self.count(n, "a count").map(IntOrPercent::Int),
            Value::String(s) => {
                let parsed = s.strip_suffix('%').and_then(|p| p.parse::<u32>().ok());
                match parsed {
                    Some(p) if p <= 100 => Some(IntOrPercent::Percent(p)),
                    _ => {
                        self.err(n, format!("expected a whole number or a percentage from 0% to 100%, found {s:?}"));
                        None
                    }
                }
            }
            v => {
                self.err(
                    n,
                    format!(
                        "expected a whole number or a percentage such as 50%, found {}",
                        found(v)
                    ),
                );
                None
            }
        }
    }

    fn exprs(&mut self, n: Option<&Node<'_>>, node_selector: bool) -> Vec<Expr> {
        let Some(n) = n else { return Vec::new() };
        let mut res = Vec::new();
        for e in self.seq(n, "matchExpressions") {
            let key = e.get("key").and_then(|k| self.string(&k, "key"));
            let Some(op_node) = e.get("operator") else {
                self.err(
                    &e,
                    "this expression has no operator; expected In, NotIn, Exists or DoesNotExist",
                );
                continue;
            };
            let op = self.string(&op_node, "operator");
            let mut allowed = vec!["In", "NotIn", "Exists", "DoesNotExist"];
            if node_selector {
                allowed.extend(["Gt", "Lt"]);
            }
            let (Some(key), Some(op)) = (key, op) else {
                if e.get("key").is_none() {
                    self.err(&e, "this expression has no key");
                }
                continue;
            };
            if !allowed.contains(&op.as_str()) {
                self.err(
                    &op_node,
                    format!("unknown operator {op:?}; expected {}", allowed.join(", ")),
                );
                continue;
            }
            let values: Vec<String> = match e.get("values") {
                Some(v) => self.seq(&v, "values").iter().filter_map(|x| scalar_text(x.v)).collect(),
                None => Vec::new(),
            };
            if matches!(op.as_str(), "In" | "NotIn") && values.is_empty() {
                self.err(&e, format!("operator {op} needs at least one value"));
                continue;
            }
            res.push(Expr { key, op, values });
        }
        res
    }

    fn selector(&mut self, n: Option<&Node<'_>>) -> Option<Selector> {
        let n = n?;
        Some(Selector {
            labels: self.string_map(n.get("matchLabels").as_ref(), "matchLabels"),
            exprs: self.exprs(n.get("matchExpressions").as_ref(), false),
        })
    }

    fn containers<'a>(&mut self, list: Option<Node<'a>>, init: bool) -> Vec<(Container, Node<'a>)> {
        let Some(list) = list else { return Vec::new() };
        let what = if init { "initContainers" } else { "containers" };
        let mut res = Vec::new();
        for (i, c) in self.seq(&list, what).into_iter().enumerate() {
            let name = match c.get("name") {
                Some(n) => self.string(&n, "a container name").unwrap_or_default(),
                None => format!("{what}[{i}]"),
            };
            let resources = c.get("resources");
            let requests =
                self.resource_list(resources.as_ref().and_then(|r| r.get("requests")).as_ref());
            let limits =
                self.resource_list(resources.as_ref().and_then(|r| r.get("limits")).as_ref());
            let sidecar = init
                && c.get("restartPolicy").and_then(|r| r.str().map(str::to_string)).as_deref()
                    == Some("Always");
            res.push((Container { name, requests, limits, sidecar }, c));
        }
        res
    }

    /// Applies LimitRange defaults to a container and checks it against the LimitRange rules and request ≤ limit.
    fn admit(&mut self, c: &Container, node: &Node<'_>, limits: Option<&NsLimits>) -> Container {
        let admitted = match limits {
            Some(l) if !l.defaults.is_empty() => l.defaults.apply(c),
            _ => c.clone(),
        };
        let at = |cx: &mut Reader, field: &str, n: &ResourceName, msg: String| {
            let target = node
                .get("resources")
                .and_then(|r| r.get(field))
                .and_then(|f| f.get(&n.to_string()));
            let target = target.or_else(|| node.get("resources")).unwrap_or_else(|| node.clone());
            cx.err(&target, msg);
        };
        for n in PartialResources::names(&admitted.requests) {
            let (Some(r), Some(l)) = (admitted.requests.amount(&n), admitted.limits.amount(&n))
            else {
                continue;
            };
            if r > l {
                let from =
                    if c.limits.amount(&n).is_none() { ", the LimitRange default" } else { "" };
                at(
                    self,
                    "requests",
                    &n,
                    format!(
                        "container {}: the {n} request ({}) is above its limit ({}{from}); Kubernetes requires request ≤ limit",
                        c.name,
                        n.format_amount(r),
                        n.format_amount(l)
                    ),
                );
            }
        }
        let Some(l) = limits else { return admitted };
        for rule in l.rules.iter().filter(|r| r.container) {
            for n in PartialResources::names(&rule.max) {
                let max = rule.max.amount(&n).unwrap_or(0);
                match admitted.limits.amount(&n) {
                    Some(v) if v > max => at(
                        self,
                        "limits",
                        &n,
                        format!(
                            "container {}: the {n} limit ({}) is above the maximum ({}) of {}",
                            c.name,
                            n.format_amount(v),
                            n.format_amount(max),
                            rule.id
                        ),
                    ),
                    Some(_) => {}
                    None => at(
                        self,
                        "limits",
                        &n,
                        format!(
                            "container {}: {} sets a maximum {n} limit, so the container needs a {n} limit",
                            c.name, rule.id
                        ),
                    ),
                }
            }
            for n in PartialResources::names(&rule.min) {
                let min = rule.min.amount(&n).unwrap_or(0);
                match admitted.requests.amount(&n) {
                    Some(v) if v < min => at(
                        self,
                        "requests",
                        &n,
                        format!(
                            "container {}: the {n} request ({}) is below the minimum ({}) of {}",
                            c.name,
                            n.format_amount(v),
                            n.format_amount(min),
                            rule.id
                        ),
                    ),
                    Some(_) => {}
                    None => at(
                        self,
                        "requests",
                        &n,
                        format!(
                            "container {}: {} sets a minimum {n} request, so the container needs a {n} request",
                            c.name, rule.id
                        ),
                    ),
                }
            }
            for (n, ratio_milli) in &rule.ratio {
                if let (Some(r), Some(lim)) =
                    (admitted.requests.amount(n), admitted.limits.amount(n))
                    && r > 0
                    && u128::from(lim) * 1000 > u128::from(*ratio_milli) * u128::from(r)
                {
                    at(
                        self,
                        "limits",
                        n,
                        format!(
                            "container {}: the {n} limit ({}) is more than {} times its request ({}), the maxLimitRequestRatio of {}",
                            c.name,
                            n.format_amount(lim),
                            Cpu(*ratio_milli),
                            n.format_amount(r),
                            rule.id
                        ),
                    );
                }
            }
        }
        admitted
    }

    /// Reads a pod template (`metadata` + `spec`): containers, placement, spreading.
    fn pod(
        &mut self,
        meta: Option<Node<'_>>,
        spec: &Node<'_>,
        limits: Option<&NsLimits>,
        what: &str,
    ) -> PodInfo {
        let labels =
            self.string_map(meta.as_ref().and_then(|m| m.get("labels")).as_ref(), "labels");
        let annotations = self
            .string_map(meta.as_ref().and_then(|m| m.get("annotations")).as_ref(), "annotations");
        let containers_node = spec.get("containers");
        if containers_node.is_none() {
            self.err(
                spec,
                format!(
                    "{what} has no containers; expected spec.containers with at least one container"
                ),
            );
        }
        let mut containers = Vec::new();
        for (c, n) in self.containers(containers_node.clone(), false) {
            containers.push(self.admit(&c, &n, limits));
        }
        if containers.is_empty()
            && let Some(n) = &containers_node
        {
            self.err(
                n,
                format!("{what} has an empty container list; expected at least one container"),
            );
        }
        let mut init_containers = Vec::new();
        for (c, n) in self.containers(spec.get("initContainers"), true) {
            init_containers.push(self.admit(&c, &n, limits));
        }
        // Pod overhead: as the RuntimeClass admission sets it on pods, or as a pod already carries it.
        let overhead = match (spec.get("overhead"), spec.get("runtimeClassName")) {
            (Some(o), _) => self.resource_list(Some(&o)).to_resources(),
            (None, Some(rc)) => {
                let name = self.string(&rc, "runtimeClassName").unwrap_or_default();
                match self.runtime_classes.get(&name) {
                    Some(r) => r.clone(),
                    None => {
                        self.warn(&rc, format!(
                            "{what} runs with RuntimeClass {name}, which is not among the manifests; its pod overhead, if any, is not counted"
                        ));
                        Resources::default()
                    }
                }
            }
            (None, None) => Resources::default(),
        };

        let sched = self.scheduling(spec, &labels, what);
        PodInfo {
            containers,
            init_containers,
            overhead,
            labels,
            annotations,
            req: sched.req,
            spot: sched.spot,
            max_per_node: sched.max_per_node,
            zone_spread: sched.zone_spread,
        }
    }

    /// Reads where a pod may run and how it spreads: `nodeSelector`, `affinity`, `tolerations`
    /// and `topologySpreadConstraints` of `spec` (a pod spec, or an operator's resource that
    /// carries these fields itself); `labels` are the pod's own, for anti-affinity against itself.
    pub(super) fn scheduling(
        &mut self,
        spec: &Node<'_>,
        labels: &BTreeMap<String, String>,
        what: &str,
    ) -> Scheduling {
        let req = self.node_selection(spec, what);
        let spot = self.spot_tolerated(spec, req.spot);
        // Spreading: hostname anti-affinity and topology spread constraints.
        let mut max_per_node = self.hostname_anti_affinity(spec, labels, what);
        let zone_spread = self.topology_spread(spec, what, &mut max_per_node);
        Scheduling { req, spot, max_per_node, zone_spread }
    }

    /// Node selection: nodeSelector AND (any required term); an architecture no node has is an
    /// error.
    fn node_selection(&mut self, spec: &Node<'_>, what: &str) -> NodeReq {
        let mut bad_arch = Vec::new();
        let mut req = any_req();
        let selector_node = spec.get("nodeSelector");
        if let Some(ns) = &selector_node {
            let sel = self.string_map(Some(ns), "nodeSelector");
            let exprs: Vec<Expr> = sel
                .into_iter()
                .map(|(key, v)| Expr { key, op: "In".to_string(), values: vec![v] })
                .collect();
            req = req.and(term_req(&exprs, &mut bad_arch));
        }
        let node_affinity = spec.get_path(&["affinity", "nodeAffinity"]);
        let required = node_affinity.as_ref().and_then(|a| {
            a.get_path(&["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"])
        });
        if let Some(terms) = &required {
            let mut any: Option<NodeReq> = None;
            for t in self.seq(terms, "nodeSelectorTerms") {
                let exprs = self.exprs(t.get("matchExpressions").as_ref(), true);
                let r = term_req(&exprs, &mut bad_arch);
                any = Some(match any {
                    None => r,
                    Some(a) => a.or(r),
                });
            }
            if let Some(a) = any {
                req = req.and(a);
            }
        }
        if !bad_arch.is_empty() {
            let at = selector_node
                .as_ref()
                .and_then(|n| ARCH_KEYS.iter().find_map(|k| n.get(k)))
                .or_else(|| required.clone())
                .unwrap_or_else(|| spec.clone());
            self.err(
                &at,
                format!(
                    "{what} selects architecture {}; kplan plans amd64 and arm64 nodes only",
                    bad_arch.join(", ")
                ),
            );
        } else if req.arch.as_ref().is_some_and(BTreeSet::is_empty) {
            let at = selector_node
                .as_ref()
                .and_then(|n| ARCH_KEYS.iter().find_map(|k| n.get(k)))
                .or_else(|| required.clone())
                .unwrap_or_else(|| spec.clone());
            self.err(
                &at,
                format!("{what} selects no architecture that any node has (amd64, arm64)"),
            );
        }
        req
    }

    /// Whether a pod runs on spot nodes: required by its node selection, or, when the selection
    /// leaves it open, tolerated (a spot taint tolerated) or preferred (preferred node affinity).
    fn spot_tolerated(&mut self, spec: &Node<'_>, selected: SpotReq) -> bool {
        let node_affinity = spec.get_path(&["affinity", "nodeAffinity"]);
        let mut preferred_spot = false;
        if let Some(pref) = node_affinity
            .as_ref()
            .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
        {
            for t in self.seq(&pref, "preferredDuringSchedulingIgnoredDuringExecution") {
                let exprs =
                    self.exprs(t.get_path(&["preference", "matchExpressions"]).as_ref(), true);
                preferred_spot |= exprs.iter().any(|e| spot_key(&e.key).is_some());
            }
        }
        let mut tolerated_spot = false;
        if let Some(tols) = spec.get("tolerations") {
            for t in self.seq(&tols, "tolerations") {
                let key = t.get("key").and_then(|k| k.str().map(str::to_string));
                let op = t
                    .get("operator")
                    .and_then(|k| k.str().map(str::to_string))
                    .unwrap_or_else(|| "Equal".to_string());
                let value = t.get("value").and_then(|k| scalar_text(k.v));
                tolerated_spot |= tolerates_spot(key.as_deref(), &op, value.as_deref());
            }
        }
        match selected {
            SpotReq::Forbid => false,
            SpotReq::Require => true,
            SpotReq::Any => tolerated_spot || preferred_spot,
        }
    }

    /// Required pod anti-affinity on the hostname against the pod's own labels: at most one
    /// pod per node. Other anti-affinity and required pod affinity are warned about.
    fn hostname_anti_affinity(
        &mut self,
        spec: &Node<'_>,
        labels: &BTreeMap<String, String>,
        what: &str,
    ) -> Option<u32> {
        let mut max_per_node = None;
        if let Some(anti) = spec.get_path(&[
            "affinity",
            "podAntiAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]) {
            for t in self.seq(&anti, "requiredDuringSchedulingIgnoredDuringExecution") {
                let key = t.get("topologyKey").and_then(|k| self.string(&k, "topologyKey"));
                let sel = self.selector(t.get("labelSelector").as_ref());
                let own = sel.as_ref().is_some_and(|s| s.matches(labels));
                match key.as_deref() {
                    Some(HOSTNAME_KEY) if own => max_per_node = Some(1),
                    Some(k) => self.warn(&t, format!(
                        "{what}: required pod anti-affinity on {k} {} is not modelled; it is planned without it",
                        if own { "against its own pods" } else { "against other pods" }
                    )),
                    None => {}
                }
            }
        }
        if let Some(aff) = spec.get_path(&[
            "affinity",
            "podAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]) {
            self.warn(
                &aff,
                format!("{what}: required pod affinity is not modelled; it is planned without it"),
            );
        }
        max_per_node
    }

    /// Topology spread constraints: a zone skew, or a hostname skew that lowers
    /// `max_per_node`; `ScheduleAnyway` constraints are preferences and do not bind.
    fn topology_spread(
        &mut self,
        spec: &Node<'_>,
        what: &str,
        max_per_node: &mut Option<u32>,
    ) -> Option<ZoneSpread> {
        let mut zone_spread: Option<ZoneSpread> = None;
        if let Some(tscs) = spec.get("topologySpreadConstraints") {
            for t in self.seq(&tscs, "topologySpreadConstraints") {
                let skew = match t.get("maxSkew") {
                    Some(s) => self.count(&s, "maxSkew"),
                    None => {
                        self.err(&t, "this topology spread constraint has no maxSkew; expected a whole number ≥ 1");
                        None
                    }
                };
                if let (Some(0), Some(s)) = (skew, t.get("maxSkew")) {
                    self.err(&s, "maxSkew must be at least 1");
                }
                let key = t.get("topologyKey").and_then(|k| self.string(&k, "topologyKey"));
                let when =
                    t.get("whenUnsatisfiable").and_then(|w| self.string(&w, "whenUnsatisfiable"));
                match when.as_deref() {
                    Some("DoNotSchedule") | Some("ScheduleAnyway") => {}
                    Some(w) => {
                        if let Some(n) = t.get("whenUnsatisfiable") {
                            self.err(&n, format!("unknown whenUnsatisfiable {w:?}; expected DoNotSchedule or ScheduleAnyway"));
                        }
                        continue;
                    }
                    None => {
                        if t.get("whenUnsatisfiable").is_none() {
                            self.err(&t, "this topology spread constraint has no whenUnsatisfiable; expected DoNotSchedule or ScheduleAnyway");
                        }
                        continue;
                    }
                }
                let (Some(skew), Some(key)) = (skew.filter(|s| *s > 0), key) else { continue };
                if when.as_deref() == Some("ScheduleAnyway") {
                    continue;
                }
                if ZONE_KEYS.contains(&key.as_str()) {
                    let s = zone_spread.map_or(skew, |z| z.max_skew.min(skew));
                    zone_spread = Some(ZoneSpread { max_skew: s });
                } else if key == HOSTNAME_KEY {
                    *max_per_node = Some(max_per_node.map_or(skew, |m: u32| m.min(skew)));
                } else {
                    self.warn(&t, format!("{what}: topology spread on {key} is not modelled (only zone and hostname are); it is planned without it"));
                }
            }
        }
        zone_spread
    }
}

// ---------------------------------------------------------------------------------------------
// Interpretation: namespace-level objects first, then workloads, then autoscalers, budgets and quotas.

/// The owner of an object: the first owner key (`--owner-key`, then [`OWNER_KEYS`]) found in its
/// own annotations and labels or its pod template's; failing that, in its Namespace's.
fn owner_of(
    object: &[&BTreeMap<String, String>],
    namespace: &[&BTreeMap<String, String>],
    options: &ManifestOptions,
) -> Option<String> {
    for places in [object, namespace] {
        let keys = options.owner_key.iter().map(String::as_str).chain(OWNER_KEYS.iter().copied());
        for key in keys {
            for place in places {
                if let Some(v) = place.get(key).filter(|v| !v.trim().is_empty()) {
                    return Some(v.clone());
                }
            }
        }
    }
    None
}

/// The controller (kind, name) among an object's `metadata.ownerReferences` (`controller: true`).
pub(super) fn controller_of(meta: Option<&Node<'_>>) -> Option<(String, String)> {
    let refs = meta?.get("ownerReferences")?;
    untag(refs.v).as_sequence()?.iter().find_map(|r| {
        let r = untag(r);
        (r.get("controller").and_then(Value::as_bool) == Some(true)).then(|| {
            (
                r.get("kind").and_then(Value::as_str).unwrap_or_default().to_string(),
                r.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
            )
        })
    })
}

/// An amount in canonical Kubernetes form (`1300m`, `2232Mi`, `3`).
fn canonical(name: &ResourceName, amount: u64) -> String {
    match name {
        ResourceName::Cpu => Cpu(amount).to_string(),
        ResourceName::Memory | ResourceName::EphemeralStorage => Bytes(amount).to_string(),
        _ => amount.to_string(),
    }
}

/// A Namespace object's annotations and labels.
pub(super) type NsMeta = (BTreeMap<String, String>, BTreeMap<String, String>);

/// The plural resource name of a kind, as quotas spell it (`count/deployments.apps`).
fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else if lower.ends_with('s') {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

/// What the first pass reads: which objects are present, how many of each kind per namespace,
/// and the namespace-level objects that shape the workloads read next.
#[derive(Default)]
struct NamespaceObjects<'a> {
    /// (namespace, kind, name) of every object read.
    present: BTreeSet<(String, String, String)>,
    /// Objects per (namespace, kind), for object-count quotas.
    per_ns_kind: BTreeMap<(String, String), u64>,
    /// Each Namespace object's annotations and labels.
    meta: BTreeMap<String, NsMeta>,
    /// Each namespace's LimitRange defaults and bounds.
    limits: BTreeMap<String, NsLimits>,
    hpas: Vec<Hpa<'a>>,
    pdbs: Vec<Pdb<'a>>,
    quotas: Vec<Quota<'a>>,
}

/// Objects whose controller was read too are that controller's pods; Jobs and Helm hooks are
/// one-shot work, listed and not planned unless `include_jobs` is set.
fn without_owned_and_one_shot<'a>(
    pending: Vec<Pending<'a>>,
    present: &BTreeSet<(String, String, String)>,
    options: &ManifestOptions,
    m: &mut Manifests,
) -> Vec<Pending<'a>> {
    let mut kept = Vec::new();
    for p in pending {
        if let Some((kind, name)) = &p.controller
            && present.contains(&(
                p.manifest.workload.namespace.clone(),
                kind.clone(),
                name.clone(),
            ))
        {
            *m.owned.entry(p.obj_kind.clone()).or_default() += 1;
            continue;
        }
        if !options.include_jobs
            && let Some(one_shot) = &p.one_shot
        {
            m.one_shot.push(one_shot.clone());
            continue;
        }
        kept.push(p);
    }
    kept
}

impl Reader {
    pub(super) fn interpret(
        &mut self,
        objects: &[Object<'_>],
        options: &ManifestOptions,
    ) -> Manifests {
        let mut m = Manifests::default();
        let mut ns = self.namespace_objects(objects, &mut m);
        let pending = self.read_workloads(objects, &ns, options, &mut m);
        let mut pending = without_owned_and_one_shot(pending, &ns.present, options, &mut m);
        self.apply_autoscalers(&ns.hpas, &mut pending, options);
        self.apply_disruption_budgets(&mut ns.pdbs, &mut pending);
        self.check_unique_names(&pending);
        for p in &pending {
            for (tmpl, storage, class) in &p.claim_templates {
                m.volume_claims.push(VolumeClaim {
                    namespace: p.manifest.workload.namespace.clone(),
                    name: format!("{tmpl}-{}", p.manifest.workload.name),
                    storage: *storage,
                    storage_class: class.clone(),
                    count: p.manifest.workload.replicas,
                    origin: p.manifest.origin.clone(),
                });
            }
        }
        for q in &ns.quotas {
            self.check_quota(q, &pending, &ns.per_ns_kind, &m.volume_claims);
        }
        for p in pending {
            self.warn_best_effort(&p);
            m.workloads.push(p.manifest);
        }
        m
    }

    /// The first pass: duplicates refused, objects counted, and the namespace-level objects
    /// (RuntimeClasses, Namespaces, LimitRanges, autoscalers, budgets, quotas, claims) read.
    fn namespace_objects<'a>(
        &mut self,
        objects: &[Object<'a>],
        m: &mut Manifests,
    ) -> NamespaceObjects<'a> {
        let mut ns = NamespaceObjects::default();
        let mut seen: BTreeMap<(String, String, String), String> = BTreeMap::new();
        let known = |k: &str| WORKLOAD_KINDS.contains(&k) || SHAPING_KINDS.contains(&k);
        for o in objects {
            if known(&o.kind) && !o.name.is_empty() {
                let key = (o.kind.clone(), o.namespace.clone(), o.name.clone());
                let origin = o.node.doc.origin(&o.node.p);
                if let Some(first) = seen.get(&key) {
                    let at =
                        o.node.get_path(&["metadata", "name"]).unwrap_or_else(|| o.node.clone());
                    self.err(&at, format!("{} is defined twice (first at {first})", o.id()));
                    continue;
                }
                seen.insert(key, origin.to_string());
            }
            ns.present.insert((o.namespace.clone(), o.kind.clone(), o.name.clone()));
            if SHAPING_KINDS.contains(&o.kind.as_str()) {
                *m.shaping.entry(o.kind.clone()).or_default() += 1;
            }
            *ns.per_ns_kind.entry((o.namespace.clone(), o.kind.clone())).or_default() += 1;
            if o.kind != "Namespace"
                && o.kind != "List"
                && !o.namespace.is_empty()
                && known(&o.kind)
            {
                m.namespaces.insert(o.namespace.clone());
            }
            self.namespace_object(o, &mut ns, m);
        }
        ns
    }

    /// One namespace-level object into `ns` (or `m`'s namespaces and claims); others are left.
    fn namespace_object<'a>(
        &mut self,
        o: &Object<'a>,
        ns: &mut NamespaceObjects<'a>,
        m: &mut Manifests,
    ) {
        match o.kind.as_str() {
            "RuntimeClass" => {
                let fixed = o.node.get_path(&["overhead", "podFixed"]);
                let overhead = self.resource_list(fixed.as_ref()).to_resources();
                self.runtime_classes.insert(o.name.clone(), overhead);
            }
            "Namespace" => {
                let meta = o.node.get("metadata");
                let labels =
                    self.string_map(meta.as_ref().and_then(|x| x.get("labels")).as_ref(), "labels");
                let ann = self.string_map(
                    meta.as_ref().and_then(|x| x.get("annotations")).as_ref(),
                    "annotations",
                );
                m.namespaces.insert(o.name.clone());
                ns.meta.insert(o.name.clone(), (ann, labels));
            }
            "LimitRange" => self.limit_range(o, ns.limits.entry(o.namespace.clone()).or_default()),
            "HorizontalPodAutoscaler" => {
                if let Some(h) = self.hpa(o) {
                    ns.hpas.push(h);
                }
            }
            "PodDisruptionBudget" => {
                if let Some(p) = self.pdb(o) {
                    ns.pdbs.push(p);
                }
            }
            "ResourceQuota" => {
                let hard = o.node.get_path(&["spec", "hard"]);
                let hard = hard.map(|h| self.mapping(&h, "spec.hard")).unwrap_or_default();
                if o.node.get_path(&["spec", "scopes"]).is_some()
                    || o.node.get_path(&["spec", "scopeSelector"]).is_some()
                {
                    self.warn(
                        &o.node,
                        format!("{} has scopes; scoped quotas are not checked", o.id()),
                    );
                } else {
                    ns.quotas.push(Quota { id: o.id(), namespace: o.namespace.clone(), hard });
                }
            }
            "PersistentVolumeClaim" => {
                if let Some((storage, class)) = self.claim_spec(o.node.get("spec"), &o.node) {
                    m.volume_claims.push(VolumeClaim {
                        namespace: o.namespace.clone(),
                        name: o.name.clone(),
                        storage,
                        storage_class: class,
                        count: 1,
                        origin: o.node.doc.origin(&o.node.p),
                    });
                }
            }
            _ => {}
        }
    }

    /// The second pass: each workload object, and each operator's custom resource, read into
    /// its pending workloads; DaemonSets go straight into `m`.
    fn read_workloads<'a>(
        &mut self,
        objects: &[Object<'a>],
        ns: &NamespaceObjects<'a>,
        options: &ManifestOptions,
        m: &mut Manifests,
    ) -> Vec<Pending<'a>> {
        let mut pending: Vec<Pending<'_>> = Vec::new();
        for o in objects {
            let limits = ns.limits.get(&o.namespace);
            let meta = ns.meta.get(&o.namespace);
            if !WORKLOAD_KINDS.contains(&o.kind.as_str()) {
                if SHAPING_KINDS.contains(&o.kind.as_str()) {
                    continue;
                }
                let n_errors = self.errors.len();
                let Some(mut read) = operators::read(self, o, objects) else {
                    *m.skipped.entry(o.kind.clone()).or_default() += 1;
                    self.operator_hint(o);
                    continue;
                };
                *m.operated.entry(o.kind.clone()).or_default() += 1;
                if self.errors.len() > n_errors {
                    continue;
                }
                self.operated_note(o, &read);
                for set in std::mem::take(&mut read.sets) {
                    if let Some(p) = self.operated(o, &read, set, limits, meta, options) {
                        pending.push(p);
                    }
                }
                continue;
            }
            if let Some(p) = self.workload(o, limits, meta, options) {
                if o.kind == "DaemonSet" {
                    if let Some(c) = &p.controller
                        && ns.present.contains(&(o.namespace.clone(), c.0.clone(), c.1.clone()))
                    {
                        *m.owned.entry(o.kind.clone()).or_default() += 1;
                        continue;
                    }
                    m.daemonsets.push(self.daemonset(&p));
                    continue;
                }
                pending.push(p);
            }
        }
        pending
    }

    /// Autoscalers: bounds and the replicas of the chosen mode.
    fn apply_autoscalers(
        &mut self,
        hpas: &[Hpa<'_>],
        pending: &mut [Pending<'_>],
        options: &ManifestOptions,
    ) {
        for h in hpas {
            let target = pending.iter_mut().find(|p| {
                p.manifest.workload.namespace == h.namespace
                    && p.obj_kind == h.target_kind
                    && p.manifest.workload.name == h.target_name
            });
            let Some(p) = target else {
                let at =
                    h.node.get_path(&["spec", "scaleTargetRef"]).unwrap_or_else(|| h.node.clone());
                self.warn(
                    &at,
                    format!(
                        "{} scales {} {}/{}, which is not among the workloads read; it is ignored",
                        h.id, h.target_kind, h.namespace, h.target_name
                    ),
                );
                continue;
            };
            let w = &mut p.manifest.workload;
            if w.scalable.is_some() {
                let at =
                    h.node.get_path(&["spec", "scaleTargetRef"]).unwrap_or_else(|| h.node.clone());
                self.warn(&at, format!("{} scales {}, which another autoscaler scales too; the first one read is used", h.id, w.key()));
                continue;
            }
            w.scalable = Some(Scalable { min_replicas: h.min, max_replicas: h.max });
            w.replicas = match options.replicas {
                ReplicaMode::Current => w.replicas.clamp(h.min, h.max),
                ReplicaMode::Min => h.min,
                ReplicaMode::Peak => h.max,
            };
        }
    }

    /// Disruption budgets: the largest minAvailable of the budgets that select a workload's pods.
    fn apply_disruption_budgets(&mut self, pdbs: &mut [Pdb<'_>], pending: &mut [Pending<'_>]) {
        for p in pending.iter_mut() {
            let w = &mut p.manifest.workload;
            for b in pdbs.iter_mut().filter(|b| b.namespace == w.namespace) {
                if !b.selector.matches(&w.labels) {
                    continue;
                }
                b.matched = true;
                let Some(min) = pdb_min_available(w.replicas, b.min_available, b.max_unavailable)
                else {
                    continue;
                };
                let min = if min > w.replicas {
                    let at = b
                        .node
                        .get_path(&["spec", "minAvailable"])
                        .unwrap_or_else(|| b.node.clone());
                    self.warn(&at, format!(
                        "{} asks for {min} available pods of {}, which has {} replicas: no voluntary disruption is possible",
                        b.id, w.key(), w.replicas
                    ));
                    w.replicas
                } else {
                    min
                };
                w.min_available = Some(w.min_available.map_or(min, |m| m.max(min)));
            }
        }
        for b in pdbs.iter().filter(|b| !b.matched) {
            let at = b.node.get_path(&["spec", "selector"]).unwrap_or_else(|| b.node.clone());
            self.warn(&at, format!("{} selects no pods of the workloads read", b.id));
        }
    }

    /// Names must be unique per namespace across kinds, as a scenario's workloads are.
    fn check_unique_names(&mut self, pending: &[Pending<'_>]) {
        let mut keys: BTreeMap<crate::workload::WorkloadKey, String> = BTreeMap::new();
        for p in pending {
            let key = p.manifest.workload.key();
            if let Some(first) = keys.get(&key) {
                self.err(&p.name_node, format!(
                    "{} {key} has the namespace and name of {first}; kplan needs workload names unique per namespace",
                    p.obj_kind
                ));
            } else {
                keys.insert(key, format!("the {} at {}", p.obj_kind, p.manifest.origin));
            }
        }
    }

    /// A workload of BestEffort pods (no container requests anything) is warned about, at its
    /// first container's resources, unless an operator made it.
    fn warn_best_effort(&mut self, p: &Pending<'_>) {
        let Some(w) =
            p.manifest.workload.best_effort_warning().filter(|_| p.manifest.operator.is_none())
        else {
            return;
        };
        let at = p.best_effort_at.clone().unwrap_or_else(|| p.node.clone());
        let names: Vec<&str> = p.manifest.containers.iter().map(|c| c.name.as_str()).collect();
        let (noun, verb) =
            if names.len() == 1 { ("container", "sets") } else { ("containers", "set") };
        let message = format!("{}: {noun} {} {verb} no requests", w.message, names.join(", "));
        let mut d = at.diag(Severity::Warning, message);
        d.hints = w.hints;
        self.warnings.push(d);
    }

    fn limit_range(&mut self, o: &Object<'_>, into: &mut NsLimits) {
        let Some(items) = o.node.get_path(&["spec", "limits"]) else {
            self.err(&o.node, format!("{} has no spec.limits; expected a list of limits", o.id()));
            return;
        };
        for item in self.seq(&items, "spec.limits") {
            let ty = item.get("type").and_then(|t| self.string(&t, "type"));
            let get = |cx: &mut Reader, k: &str| cx.resource_list(item.get(k).as_ref());
            let (default, default_request) = (get(self, "default"), get(self, "defaultRequest"));
            let (max, min) = (get(self, "max"), get(self, "min"));
            let ratio_list = item.get("maxLimitRequestRatio");
            let mut ratio = BTreeMap::new();
            if let Some(r) = &ratio_list {
                for (k, v) in self.mapping(r, "maxLimitRequestRatio") {
                    let name = match k.as_str() {
                        "cpu" => ResourceName::Cpu,
                        "memory" => ResourceName::Memory,
                        "ephemeral-storage" => ResourceName::EphemeralStorage,
                        other => ResourceName::Extended(other.to_string()),
                    };
                    match scalar_text(v.v).map(|t| Cpu::parse(&t)) {
                        Some(Ok(c)) => {
                            ratio.insert(name, c.0);
                        }
                        Some(Err(e)) => self.err(&v, e.to_string()),
                        None => self.err(&v, format!("expected a number, found {}", found(v.v))),
                    }
                }
            }
            match ty.as_deref() {
                Some("Container") => {
                    merge_defaults(&mut into.defaults, &default, &default_request, &max, &min);
                    into.rules.push(LimitRule { id: o.id(), container: true, max, min, ratio });
                }
                Some("Pod") => {
                    into.rules.push(LimitRule { id: o.id(), container: false, max, min, ratio })
                }
                Some("PersistentVolumeClaim") => {}
                Some(other) => {
                    if let Some(t) = item.get("type") {
                        self.err(&t, format!("unknown limit type {other:?}; expected Container, Pod or PersistentVolumeClaim"));
                    }
                }
                None => {
                    if item.get("type").is_none() {
                        self.err(&item, "this limit has no type; expected Container, Pod or PersistentVolumeClaim");
                    }
                }
            }
        }
    }

    fn hpa<'a>(&mut self, o: &Object<'a>) -> Option<Hpa<'a>> {
        let spec = match o.node.get("spec") {
            Some(s) => s,
            None => {
                self.err(&o.node, format!("{} has no spec", o.id()));
                return None;
            }
        };
        let target = spec.get("scaleTargetRef");
        let kind = target
            .as_ref()
            .and_then(|t| t.get("kind"))
            .and_then(|k| self.string(&k, "scaleTargetRef.kind"));
        let name = target
            .as_ref()
            .and_then(|t| t.get("name"))
            .and_then(|k| self.string(&k, "scaleTargetRef.name"));
        if kind.is_none() || name.is_none() {
            self.err(
                target.as_ref().unwrap_or(&spec),
                "expected scaleTargetRef with kind and name",
            );
        }
        let min = match spec.get("minReplicas") {
            Some(n) => self.count(&n, "minReplicas")?,
            None => 1,
        };
        let max = match spec.get("maxReplicas") {
            Some(n) => self.count(&n, "maxReplicas")?,
            None => {
                self.err(&spec, format!("{} has no maxReplicas; expected a whole number", o.id()));
                return None;
            }
        };
        if max < min.max(1) {
            let at = spec.get("maxReplicas").unwrap_or_else(|| spec.clone());
            self.err(
                &at,
                format!("maxReplicas ({max}) must be at least 1 and at least minReplicas ({min})"),
            );
            return None;
        }
        Some(Hpa {
            node: o.node.clone(),
            id: o.id(),
            namespace: o.namespace.clone(),
            target_kind: kind?,
            target_name: name?,
            min,
            max,
        })
    }

    fn pdb<'a>(&mut self, o: &Object<'a>) -> Option<Pdb<'a>> {
        let Some(spec) = o.node.get("spec") else {
            self.err(&o.node, format!("{} has no spec", o.id()));
            return None;
        };
        let min_available = spec.get("minAvailable").and_then(|n| self.int_or_percent(&n));
        let max_unavailable = spec.get("maxUnavailable").and_then(|n| self.int_or_percent(&n));
        if let (Some(_), Some(n)) = (spec.get("minAvailable"), spec.get("maxUnavailable")) {
            self.err(&n, "minAvailable and maxUnavailable cannot both be set");
            return None;
        }
        if spec.get("minAvailable").is_none() && spec.get("maxUnavailable").is_none() {
            self.warn(
                &spec,
                format!("{} sets neither minAvailable nor maxUnavailable; it is ignored", o.id()),
            );
        }
        let selector = match self.selector(spec.get("selector").as_ref()) {
            Some(s) => s,
            None => {
                self.warn(&spec, format!("{} has no selector, so it selects no pods", o.id()));
                return None;
            }
        };
        Some(Pdb {
            node: o.node.clone(),
            id: o.id(),
            namespace: o.namespace.clone(),
            selector,
            min_available,
            max_unavailable,
            matched: false,
        })
    }

    /// A StatefulSet's `volumeClaimTemplates` (or an operator's): each template's name
    /// (`volume-<i>` when it has none), requested storage and storage class.
    pub(super) fn claim_templates(
        &mut self,
        vcts: &Node<'_>,
    ) -> Vec<(String, Bytes, Option<String>)> {
        let mut claims = Vec::new();
        for (i, t) in self.seq(vcts, "volumeClaimTemplates").into_iter().enumerate() {
            let name = t
                .get_path(&["metadata", "name"])
                .and_then(|n| n.str().map(str::to_string))
                .unwrap_or_else(|| format!("volume-{i}"));
            if let Some((storage, class)) = self.claim_spec(t.get("spec"), &t) {
                claims.push((name, storage, class));
            }
        }
        claims
    }

    /// `spec.resources.requests.storage` and `spec.storageClassName` of a claim.
    fn claim_spec(
        &mut self,
        spec: Option<Node<'_>>,
        at: &Node<'_>,
    ) -> Option<(Bytes, Option<String>)> {
        let Some(spec) = spec else {
            self.err(at, "this claim has no spec; expected spec.resources.requests.storage");
            return None;
        };
        let class = spec.get("storageClassName").and_then(|c| self.string(&c, "storageClassName"));
        let Some(storage) = spec.get_path(&["resources", "requests", "storage"]) else {
            self.err(&spec, "this claim requests no storage; expected spec.resources.requests.storage such as 10Gi");
            return None;
        };
        let text = scalar_text(storage.v).unwrap_or_default();
        match Bytes::parse(&text) {
            Ok(b) => Some((b, class)),
            Err(e) => {
                self.err(&storage, e.to_string());
                None
            }
        }
    }

    /// Says how to plan a custom resource that clearly runs pods (an operator-managed workload).
    fn operator_hint(&mut self, o: &Object<'_>) {
        let Some(spec) = o.node.get("spec") else { return };
        let (Some(replicas), Some(resources)) = (spec.get("replicas"), spec.get("resources"))
        else {
            return;
        };
        let Some(n) = untag(replicas.v).as_u64() else { return };
        if untag(resources.v).as_mapping().is_none() {
            return;
        }
        let mut scratch = Reader::default();
        let requests = scratch.resource_list(resources.get("requests").as_ref());
        let mut req = String::new();
        if let Some(c) = requests.cpu {
            req.push_str(&format!("cpu: {c}"));
        }
        if let Some(b) = requests.memory {
            req.push_str(&format!("{}memory: {b}", if req.is_empty() { "" } else { ", " }));
        }
        let d = replicas
            .diag(Severity::Warning, format!(
                "{} ({}) carries spec.replicas ({n}) and spec.resources, so its operator runs pods for it; they are not planned",
                o.id(),
                o.api_version
            ))
            .with_hint(format!(
                "to plan them, add a workload to a scenario: - {{name: {}, namespace: {}, kind: {}, replicas: {n}, requests: {{{req}}}}}",
                o.name, o.namespace, o.kind
            ));
        self.warnings.push(d);
    }

    pub(super) fn workload<'a>(
        &mut self,
        o: &Object<'a>,
        limits: Option<&NsLimits>,
        ns: Option<&NsMeta>,
        options: &ManifestOptions,
    ) -> Option<Pending<'a>> {
        let kind = o.kind.as_str();
        let what = o.id();
        let Some(spec) = o.node.get("spec") else {
            self.err(&o.node, format!("{what} has no spec"));
            return None;
        };
        let n_errors = self.errors.len();
        let (replicas, template_meta, pod_spec) = self.replicas_and_template(o, &spec, &what)?;
        let info = self.pod(template_meta, &pod_spec, limits, &what);
        let meta = o.node.get("metadata");
        let obj_labels =
            self.string_map(meta.as_ref().and_then(|m| m.get("labels")).as_ref(), "labels");
        let obj_ann = self
            .string_map(meta.as_ref().and_then(|m| m.get("annotations")).as_ref(), "annotations");
        let empty = BTreeMap::new();
        let (ns_ann, ns_labels) = ns.map_or((&empty, &empty), |(a, l)| (a, l));
        let owner = owner_of(
            &[&obj_ann, &obj_labels, &info.annotations, &info.labels],
            &[ns_ann, ns_labels],
            options,
        );
        let controller = controller_of(meta.as_ref());
        let pod_labels = if kind == "Pod" { obj_labels.clone() } else { info.labels.clone() };
        let pod = effective_pod(&info.containers, &info.init_containers, &info.overhead, None);

        self.check_pod_limits(limits, &pod, &pod_spec, &what);

        self.warn_node_selection(kind, &info.req, pod.requests.has_gpu(), &pod_spec, &what);
        let claim_templates = match spec.get("volumeClaimTemplates") {
            Some(vcts) if kind == "StatefulSet" => self.claim_templates(&vcts),
            _ => Vec::new(),
        };
        if self.errors.len() > n_errors {
            return None;
        }
        let best_effort_at = pod.best_effort.then(|| {
            let first = pod_spec.get("containers").and_then(|c| {
                let c0 =
                    Node { v: untag(c.v).as_sequence()?.first()?, p: c.p.index(0), doc: c.doc };
                Some(c0.get("resources").unwrap_or(c0))
            });
            first.unwrap_or_else(|| pod_spec.clone())
        });
        let workload = Workload {
            name: o.name.clone(),
            namespace: o.namespace.clone(),
            kind: o.kind.clone(),
            owner,
            labels: pod_labels,
            replicas,
            pod,
            spot: info.spot,
            max_per_node: info.max_per_node,
            zone_spread: info.zone_spread,
            min_available: None,
            scalable: None,
            placement: info.req.placement(),
            anti_affinity: None,
        };
        let pending = Pending {
            manifest: ManifestWorkload {
                workload,
                containers: info.containers,
                init_containers: info.init_containers,
                overhead: info.overhead,
                origin: o.node.doc.origin(&o.node.p),
                operator: None,
            },
            obj_kind: o.kind.clone(),
            node: o.node.clone(),
            controller,
            claim_templates,
            name_node: o.node.get_path(&["metadata", "name"]).unwrap_or_else(|| o.node.clone()),
            ds_nodes: (info.req.gpu, info.req.spot),
            one_shot: jobs::one_shot(o),
            best_effort_at,
        };
        Some(pending)
    }

    /// A workload object's replicas, pod template metadata and pod spec, by kind: a Pod is its
    /// own template; a Job (or a CronJob's job template) runs `min(parallelism, completions)`
    /// pods at once; the others give `spec.replicas` (a DaemonSet counts 1 per node).
    fn replicas_and_template<'a>(
        &mut self,
        o: &Object<'a>,
        spec: &Node<'a>,
        what: &str,
    ) -> Option<(u32, Option<Node<'a>>, Node<'a>)> {
        let kind = o.kind.as_str();
        match kind {
            "Pod" => Some((1, o.node.get("metadata"), spec.clone())),
            "CronJob" | "Job" => {
                let job = if kind == "CronJob" {
                    match spec.get_path(&["jobTemplate", "spec"]) {
                        Some(j) => j,
                        None => {
                            self.err(&spec, format!("{what} has no jobTemplate.spec"));
                            return None;
                        }
                    }
                } else {
                    spec.clone()
                };
                let parallelism = match job.get("parallelism") {
                    Some(n) => self.count(&n, "parallelism")?,
                    None => 1,
                };
                let completions = match job.get("completions") {
                    Some(n) => Some(self.count(&n, "completions")?),
                    None => None,
                };
                let Some(t) = job.get("template") else {
                    self.err(&job, format!("{what} has no pod template (template)"));
                    return None;
                };
                let Some(s) = t.get("spec") else {
                    self.err(&t, format!("{what} has no pod spec (template.spec)"));
                    return None;
                };
                Some((
                    completions.map_or(parallelism, |c| c.min(parallelism)),
                    t.get("metadata"),
                    s,
                ))
            }
            _ => {
                let replicas = match spec.get("replicas") {
                    Some(n) if kind != "DaemonSet" => self.count(&n, "replicas")?,
                    _ => 1,
                };
                let Some(t) = spec.get("template") else {
                    self.err(&spec, format!("{what} has no pod template (spec.template)"));
                    return None;
                };
                let Some(s) = t.get("spec") else {
                    self.err(&t, format!("{what} has no pod spec (spec.template.spec)"));
                    return None;
                };
                Some((replicas, t.get("metadata"), s))
            }
        }
    }

    /// Pod-level LimitRange rules check the pod's effective requests and limits.
    fn check_pod_limits(
        &mut self,
        limits: Option<&NsLimits>,
        pod: &crate::workload::PodResources,
        pod_spec: &Node<'_>,
        what: &str,
    ) {
        for rule in limits.iter().flat_map(|l| l.rules.iter()).filter(|r| !r.container) {
            for n in PartialResources::names(&rule.max) {
                let (max, v) = (rule.max.amount(&n).unwrap_or(0), pod.limits.get(&n));
                if v > max {
                    self.err(
                        pod_spec,
                        format!(
                            "{what}: the pod's {n} limit ({}) is above the maximum ({}) of {}",
                            n.format_amount(v),
                            n.format_amount(max),
                            rule.id
                        ),
                    );
                }
            }
            for n in PartialResources::names(&rule.min) {
                let (min, v) = (rule.min.amount(&n).unwrap_or(0), pod.requests.get(&n));
                if v < min {
                    self.err(
                        pod_spec,
                        format!(
                            "{what}: the pod's {n} request ({}) is below the minimum ({}) of {}",
                            n.format_amount(v),
                            n.format_amount(min),
                            rule.id
                        ),
                    );
                }
            }
        }
    }

    /// Unresolvable node selection is planned as "any node", and said so; so is a pod that
    /// requires spot nodes (it is planned as spot-tolerant).
    fn warn_node_selection(
        &mut self,
        kind: &str,
        req: &NodeReq,
        wants_gpu: bool,
        pod_spec: &Node<'_>,
        what: &str,
    ) {
        let mut unresolved = req.unresolved.clone();
        if req.gpu == Some(true) && !wants_gpu && kind != "DaemonSet" {
            unresolved.push("a GPU node label (the pod requests no GPU)".to_string());
        }
        if !unresolved.is_empty() {
            let at = pod_spec
                .get("nodeSelector")
                .or_else(|| pod_spec.get("affinity"))
                .unwrap_or_else(|| pod_spec.clone());
            let effect = if kind == "DaemonSet" {
                "it is counted on every node"
            } else {
                "it is planned as if every node qualified"
            };
            self.warn(
                &at,
                format!(
                    "{what} selects nodes by {}, which kplan cannot resolve; {effect}",
                    unresolved.join(", ")
                ),
            );
        }
        if req.spot == SpotReq::Require && kind != "DaemonSet" {
            let at = pod_spec
                .get("nodeSelector")
                .or_else(|| pod_spec.get("affinity"))
                .unwrap_or_else(|| pod_spec.clone());
            self.warn(&at, format!(
                "{what} requires spot nodes; it is planned as spot-tolerant, so it may also be placed on on-demand nodes"
            ));
        }
    }

    pub(super) fn daemonset(&self, p: &Pending<'_>) -> ManifestDaemonSet {
        let w = &p.manifest.workload;
        let (gpu, spot) = p.ds_nodes;
        ManifestDaemonSet {
            daemonset: DaemonSet {
                name: w.name.clone(),
                namespace: w.namespace.clone(),
                pod: w.pod.clone(),
                arch: w.placement.arch.clone(),
                gpu,
                spot: match spot {
                    SpotReq::Any => None,
                    SpotReq::Require => Some(true),
                    SpotReq::Forbid => Some(false),
                },
            },
            origin: p.manifest.origin.clone(),
        }
    }

    fn check_quota(
        &mut self,
        q: &Quota<'_>,
        pending: &[Pending<'_>],
        per_ns_kind: &BTreeMap<(String, String), u64>,
        claims: &[VolumeClaim],
    ) {
        let ws: Vec<&Workload> = pending
            .iter()
            .map(|p| &p.manifest.workload)
            .filter(|w| w.namespace == q.namespace)
            .collect();
        for (key, v) in &q.hard {
            let text = scalar_text(v.v).unwrap_or_default();
            let is_limit = key.starts_with("limits.");
            let resource = key
                .strip_prefix("requests.")
                .or_else(|| key.strip_prefix("limits."))
                .unwrap_or(key);
            let name = match resource {
                "cpu" => Some(ResourceName::Cpu),
                "memory" => Some(ResourceName::Memory),
                "ephemeral-storage" => Some(ResourceName::EphemeralStorage),
                r if r.contains('/') && key != resource => {
                    Some(ResourceName::Extended(r.to_string()))
                }
                _ => None,
            };
            if let Some(name) = name {
                let hard = match name {
                    ResourceName::Cpu => Cpu::parse(&text).map(|c| c.0),
                    ResourceName::Memory | ResourceName::EphemeralStorage => {
                        Bytes::parse(&text).map(|b| b.0)
                    }
                    _ => parse_count(&text),
                };
                let hard = match hard {
                    Ok(h) => h,
                    Err(e) => {
                        self.err(v, e.to_string());
                        continue;
                    }
                };
                let per_pod = |w: &Workload| {
                    if is_limit { w.pod.limits.get(&name) } else { w.pod.requests.get(&name) }
                };
                let used = ws
                    .iter()
                    .map(|w| per_pod(w).saturating_mul(u64::from(w.replicas)))
                    .fold(0u64, u64::saturating_add);
                if used > hard {
                    let detail = ws
                        .iter()
                        .filter(|w| per_pod(w) > 0 && w.replicas > 0)
                        .map(|w| {
                            format!("{} {} × {}", w.name, w.replicas, canonical(&name, per_pod(w)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.quota_over(
                        q,
                        v,
                        key,
                        &canonical(&name, used),
                        &canonical(&name, hard),
                        &detail,
                    );
                }
                continue;
            }
            let storage = key == "requests.storage";
            let used: u64 = match key.as_str() {
                "pods" | "count/pods" => ws.iter().map(|w| u64::from(w.replicas)).sum(),
                "requests.storage" => claims
                    .iter()
                    .filter(|c| c.namespace == q.namespace)
                    .map(|c| c.storage.0.saturating_mul(u64::from(c.count)))
                    .fold(0u64, u64::saturating_add),
                "persistentvolumeclaims" | "count/persistentvolumeclaims" => claims
                    .iter()
                    .filter(|c| c.namespace == q.namespace)
                    .map(|c| u64::from(c.count))
                    .sum(),
                k => {
                    // Object counts: `count/deployments.apps`, `services`, `configmaps` …
                    let resource = k.strip_prefix("count/").unwrap_or(k);
                    let plural_name = resource.split_once('.').map_or(resource, |(p, _)| p);
                    per_ns_kind
                        .iter()
                        .filter(|((ns, kind), _)| *ns == q.namespace && plural(kind) == plural_name)
                        .map(|(_, n)| *n)
                        .sum()
                }
            };
            let hard = if storage { Bytes::parse(&text).map(|b| b.0) } else { parse_count(&text) };
            let hard = match hard {
                Ok(h) => h,
                Err(e) => {
                    self.err(v, e.to_string());
                    continue;
                }
            };
            if used > hard {
                let (u, h) = if storage {
                    (Bytes(used).to_string(), Bytes(hard).to_string())
                } else {
                    (used.to_string(), hard.to_string())
                };
                self.quota_over(q, v, key, &u, &h, "");
            }
        }
    }

    fn quota_over(
        &mut self,
        q: &Quota<'_>,
        at: &Node<'_>,
        key: &str,
        used: &str,
        hard: &str,
        detail: &str,
    ) {
        let detail = if detail.is_empty() { String::new() } else { format!(" ({detail})") };
        self.warn(at, format!(
            "{}: the planned pods need {key} {used}{detail}, above the hard limit {hard}; the API server would refuse the pods beyond it",
            q.id
        ));
    }
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
