//! Today's cluster from what `kubectl` prints: `kubectl get nodes -o yaml|json` and
//! `kubectl get pods -A -o yaml|json`, one file each or both in one, `List` kinds included.
//!
//! Nodes (`nodes`) give their instance type, zone, capacity type, node pool, architecture,
//! capacity and allocatable from their labels and `status`; the provider and region come from
//! the labels and `spec.providerID` unless the caller names them. Pods (`pods`) are read with
//! the manifest reader's rules (effective requests from containers, init containers, sidecars
//! and overhead; spot tolerance, selectors and spreading; owner keys) and resolved to their
//! controller through `ownerReferences`, as right-sizing resolves them. Controller objects given
//! alongside (Deployments, StatefulSets, HorizontalPodAutoscalers …) are read as manifests, so a
//! plan can use their desired replicas rather than the pods seen. Every other kind is counted and
//! skipped. Every problem names the file, line:column, document and field path.

mod nodes;
mod pods;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::manifests::{
    self, FieldPath, ManifestOptions, ManifestWorkload, Manifests, Node, Origin, Reader, Source,
};
use crate::catalog::{Arch, Provider, PurchaseOption};
use crate::diag::{Diagnostic, Warned};
use crate::resources::Resources;
use crate::workload::DaemonSet;

/// How today's cluster is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterOptions {
    /// The provider, when the caller names it (`--provider`); otherwise inferred from the nodes.
    pub provider: Option<Provider>,
    /// The region, when the caller names it (`--region`); otherwise inferred from the nodes.
    pub region: Option<String>,
    /// How pods and controller objects are read (owner key, replicas of autoscaled workloads).
    pub manifests: ManifestOptions,
}

/// The defaults: provider and region inferred, manifests read with their defaults.
pub fn default_cluster_options() -> ClusterOptions {
    ClusterOptions { provider: None, region: None, manifests: manifests::default_options() }
}

/// One node as `kubectl get nodes` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterNode {
    /// `metadata.name`.
    pub name: String,
    /// `node.kubernetes.io/instance-type` (or the beta label); `None` when unlabelled.
    pub instance_type: Option<String>,
    /// `topology.kubernetes.io/zone` (or the beta label).
    pub zone: Option<String>,
    /// `topology.kubernetes.io/region` (or the beta label), or the region of `spec.providerID`'s zone.
    pub region: Option<String>,
    /// The provider its labels or `spec.providerID` name.
    pub provider: Option<Provider>,
    /// How it is bought, from the capacity-type labels (on-demand when none says).
    pub purchase: PurchaseOption,
    /// The label that said so (`karpenter.sh/capacity-type=spot`); `None` when assumed.
    pub purchase_label: Option<String>,
    /// The node pool or node group (`karpenter.sh/nodepool`, `eks.amazonaws.com/nodegroup`,
    /// `cloud.google.com/gke-nodepool`, `kubernetes.azure.com/agentpool`).
    pub node_pool: Option<String>,
    /// The label key that named the pool.
    pub node_pool_label: Option<String>,
    /// `kubernetes.io/arch` (or `status.nodeInfo.architecture`), when amd64 or arm64.
    pub arch: Option<Arch>,
    /// `status.capacity`.
    pub capacity: Resources,
    /// `status.allocatable`.
    pub allocatable: Resources,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
    /// Where it was read.
    pub origin: Origin,
}

/// A pod's `status.phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PodPhase {
    /// Not running yet: not scheduled, or its containers are starting.
    Pending,
    /// Bound to a node and running.
    Running,
    /// Every container ended successfully (a finished Job's pod).
    Succeeded,
    /// Its containers ended and some failed (or it was evicted).
    Failed,
    /// The node stopped reporting it.
    Unknown,
}

impl PodPhase {
    /// The Kubernetes spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }

    /// True for pods whose containers have ended: they hold no resources.
    pub fn is_terminated(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

impl fmt::Display for PodPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The controller a pod belongs to, resolved through `ownerReferences`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Controller {
    /// Kind (`Deployment`, `StatefulSet`, `DaemonSet`, `CronJob`, `Job`, `Pod` for a bare pod …).
    pub kind: String,
    /// Name.
    pub name: String,
}

/// One pod as `kubectl get pods -A` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPod {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `spec.nodeName`, when bound.
    pub node: Option<String>,
    /// `status.phase`.
    pub phase: PodPhase,
    /// Why it is pending or ended (`status.reason`, the `PodScheduled` condition's message), when said.
    pub reason: Option<String>,
    /// The controller it belongs to.
    pub controller: Controller,
    /// How the controller was found (`ownerReferences`, or the chain through a ReplicaSet or Job).
    pub controller_via: String,
    /// The pod read as the manifest reader reads a Pod: effective requests, owner, spot
    /// tolerance, selectors and spreading (its name is the pod's, its replicas 1).
    pub read: ManifestWorkload,
    /// For a DaemonSet's pod: the DaemonSet's per-node overhead (named after the DaemonSet).
    pub daemonset: Option<DaemonSet>,
}

impl ClusterPod {
    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// Everything read from `kubectl` output.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The provider (given or inferred).
    pub provider: Provider,
    /// The region (given or inferred).
    pub region: String,
    /// How the provider and region were found, as a sentence.
    pub located_by: String,
    /// Nodes, in input order.
    pub nodes: Vec<ClusterNode>,
    /// Pods of every phase, in input order.
    pub pods: Vec<ClusterPod>,
    /// Controller objects given alongside (Deployments, StatefulSets, autoscalers …), read as manifests.
    pub controllers: Manifests,
    /// Objects of other kinds, skipped, by kind.
    pub skipped: BTreeMap<String, usize>,
    /// Documents read.
    pub n_documents: usize,
}

impl Cluster {
    /// Pods that hold resources on a node: bound and not terminated.
    pub fn running(&self) -> impl Iterator<Item = &ClusterPod> {
        self.pods.iter().filter(|p| p.node.is_some() && !p.phase.is_terminated())
    }

    /// Pods not bound to a node and not terminated: waiting to be scheduled.
    pub fn pending(&self) -> impl Iterator<Item = &ClusterPod> {
        self.pods.iter().filter(|p| p.node.is_none() && !p.phase.is_terminated())
    }

    /// Pods whose containers have ended (Succeeded, Failed).
    pub fn terminated(&self) -> impl Iterator<Item = &ClusterPod> {
        self.pods.iter().filter(|p| p.phase.is_terminated())
    }

    /// A note summarising what was read.
    pub fn summary(&self) -> Diagnostic {
        let n_ds = self.running().filter(|p| p.daemonset.is_some()).count();
        let mut msg = format!(
            "read {} document(s): {} node(s), {} pod(s) ({} running on nodes, {n_ds} of them DaemonSet pods; {} pending; {} terminated) in {} {}",
            self.n_documents,
            self.nodes.len(),
            self.pods.len(),
            self.running().count(),
            self.pending().count(),
            self.terminated().count(),
            self.provider,
            self.region,
        );
        let c = &self.controllers;
        if !c.workloads.is_empty() || !c.daemonsets.is_empty() {
            msg.push_str(&format!(
                "; {} controller(s) given, {} DaemonSet(s)",
                c.workloads.len(),
                c.daemonsets.len()
            ));
        }
        if !self.skipped.is_empty() {
            let kinds: Vec<String> =
                self.skipped.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            msg.push_str(&format!("; skipped: {}", kinds.join(", ")));
        }
        Diagnostic::note(msg)
    }
}

/// Kinds the cluster reader reads itself; every other kind goes to the manifest reader.
const CLUSTER_KINDS: &[&str] = &["Node", "Pod"];

/// Reads today's cluster from `kubectl get nodes` and `kubectl get pods -A` output (YAML or
/// JSON, any number of texts, `List` kinds). Returns the cluster, or every error found;
/// warnings either way.
///
/// ```
/// use kplan_core::input::cluster::{default_cluster_options, read_cluster};
/// use kplan_core::input::manifests::Source;
/// let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: ip-10-0-1-10.ec2.internal\n    labels: {node.kubernetes.io/instance-type: m6i.large, topology.kubernetes.io/zone: us-east-1a, karpenter.sh/capacity-type: spot}\n  spec: {providerID: 'aws:///us-east-1a/i-0a1b2c3d4e5f60001'}\n  status:\n    capacity: {cpu: '2', memory: 7869056Ki, pods: '29'}\n    allocatable: {cpu: 1930m, memory: 7179904Ki, pods: '29'}\n";
/// let cluster = read_cluster(&[Source { name: "nodes.yaml", text }], &default_cluster_options()).output.unwrap();
/// assert_eq!((cluster.provider.as_str(), cluster.region.as_str()), ("aws", "us-east-1"));
/// assert_eq!(cluster.nodes[0].instance_type.as_deref(), Some("m6i.large"));
/// assert!(cluster.nodes[0].purchase.is_spot());
///
/// let bad = text.replace("1930m", "19x");
/// let errors = read_cluster(&[Source { name: "nodes.yaml", text: &bad }], &default_cluster_options()).output.unwrap_err();
/// assert!(errors[0].to_string().starts_with("nodes.yaml:12:24: error: invalid quantity \"19x\""), "{}", errors[0]);
/// ```
pub fn read_cluster(
    sources: &[Source<'_>],
    options: &ClusterOptions,
) -> Warned<Result<Cluster, Vec<Diagnostic>>> {
    let mut cx = Reader::default();
    let (n_documents, parsed) = manifests::parse_documents(&mut cx, sources);
    let mut objects = Vec::new();
    for (doc, v) in &parsed {
        cx.collect(Node { v, p: FieldPath::default(), doc }, &options.manifests, &mut objects);
    }
    let (ours, theirs): (Vec<_>, Vec<_>) =
        objects.into_iter().partition(|o| CLUSTER_KINDS.contains(&o.kind.as_str()));
    let mut controllers = cx.interpret(&theirs, &options.manifests);
    let skipped = std::mem::take(&mut controllers.skipped);
    let namespaces = pods::namespace_meta(&mut cx, &theirs);
    let owners = pods::owner_chain(&theirs);

    let mut nodes = Vec::new();
    let mut seen_nodes: BTreeMap<String, String> = BTreeMap::new();
    let mut cluster_pods = Vec::new();
    let mut seen_pods: BTreeSet<(String, String)> = BTreeSet::new();
    let mut warned_controllers = BTreeSet::new();
    for o in &ours {
        match o.kind.as_str() {
            "Node" => {
                let Some(n) = nodes::read_node(&mut cx, o) else { continue };
                if let Some(first) = seen_nodes.get(&n.name) {
                    let at =
                        o.node.get_path(&["metadata", "name"]).unwrap_or_else(|| o.node.clone());
                    cx.err(&at, format!("node {} is listed twice (first at {first})", n.name));
                    continue;
                }
                seen_nodes.insert(n.name.clone(), n.origin.to_string());
                nodes.push(n);
            }
            _ => {
                if !seen_pods.insert((o.namespace.clone(), o.name.clone())) {
                    let at =
                        o.node.get_path(&["metadata", "name"]).unwrap_or_else(|| o.node.clone());
                    cx.err(&at, format!("pod {}/{} is listed twice", o.namespace, o.name));
                    continue;
                }
                let read = pods::read_pod(
                    &mut cx,
                    o,
                    &namespaces,
                    &owners,
                    &options.manifests,
                    &mut warned_controllers,
                );
                if let Some(p) = read {
                    cluster_pods.push(p);
                }
            }
        }
    }
    for p in &cluster_pods {
        if let Some(node) = &p.node
            && !seen_nodes.is_empty()
            && !seen_nodes.contains_key(node)
        {
            cx.warnings.push(
                Diagnostic::warning(format!(
                    "pod {} runs on node {node}, which is not among the nodes read; it is counted as unplaced",
                    p.id()
                ))
                .with_source(p.read.origin.source.clone())
                .with_location(p.read.origin.location)
                .with_document(p.read.origin.document),
            );
        }
    }
    let located = if cx.errors.is_empty() {
        nodes::locate(&nodes, options).map_err(|d| cx.errors.push(d)).ok()
    } else {
        None
    };
    let Reader { errors, warnings, .. } = cx;
    let output = match located {
        Some((provider, region, located_by)) if errors.is_empty() => Ok(Cluster {
            provider,
            region,
            located_by,
            nodes,
            pods: cluster_pods,
            controllers,
            skipped,
            n_documents,
        }),
        _ => Err(errors),
    };
    Warned { output, warnings }
}
