//! Elastic Cloud on Kubernetes (ECK) v3.5.0: `Elasticsearch` (a StatefulSet per node set) and
//! `Kibana` (a Deployment).
//!
//! Sources (github.com/elastic/cloud-on-k8s at tag v3.5.0):
//! - `pkg/controller/elasticsearch/nodespec/defaults.go`: `DefaultResources` of the
//!   `elasticsearch` container, memory 2Gi requested and limited, no CPU.
//! - `pkg/controller/elasticsearch/initcontainer/initcontainer.go`: the init containers
//!   `elastic-internal-init-filesystem` (`prepare_fs.go`: 100m/50Mi requested and limited),
//!   `elastic-internal-init-keystore` when `spec.secureSettings` is set (`keystore.go`: 500m/196Mi)
//!   and `elastic-internal-suspend` (`suspend.go`: no resources of its own).
//! - `pkg/controller/common/defaults/pod_template.go` `WithInitContainerDefaults`: an init
//!   container without resources inherits the main container's (`container/defaulter.go`
//!   `WithResources`: only when it sets neither requests nor limits); so does a container of
//!   the pod template, whose resources otherwise replace the defaults whole.
//! - `pkg/apis/elasticsearch/v1/elasticsearch_types.go`: `nodeSets[].count` (absent: 0);
//!   `pkg/controller/elasticsearch/volume/defaults.go`: the default `elasticsearch-data` claim
//!   of 1Gi when a node set gives no `volumeClaimTemplates`;
//!   `pkg/controller/elasticsearch/label/label.go`: `elasticsearch.k8s.elastic.co/cluster-name`
//!   and `elasticsearch.k8s.elastic.co/statefulset-name` (`<name>-es-<node set>`).
//! - `pkg/controller/kibana/pod.go`: `DefaultResources` of the `kibana` container, memory 2Gi
//!   requested and limited (raised from 1Gi for Kibana 9); `pkg/controller/kibana/initcontainer/keystore.go`:
//!   100m/128Mi for the keystore init container when `spec.secureSettings` is set;
//!   `pkg/apis/kibana/v1/kibana_types.go`: `count` with no default (the Deployment `<name>-kb`
//!   is made with `count` replicas, so none when it is absent); `pkg/controller/kibana/label/label.go`:
//!   `kibana.k8s.elastic.co/name`.

use std::collections::BTreeMap;

use super::{From, Merge, Operator, Part, PodSet, Read, add_labels, merge_containers, part, same};
use crate::input::manifests::{Node, Object, Reader};
use crate::quantity::Bytes;
use crate::workload::PartialResources;

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator = Operator { name: "ECK", version: "v3.5.0" };

/// The main container (named `main`) with the pod template's containers merged in, and the
/// init containers: the operator's, then the template's, those without resources inheriting
/// the main container's.
fn pod_parts<'a>(
    cx: &mut Reader,
    template_spec: Option<&Node<'a>>,
    at: &Node<'a>,
    main: &str,
    default: (PartialResources, PartialResources),
    operator_init: Vec<Part<'a>>,
) -> (Vec<Part<'a>>, Vec<Part<'a>>) {
    let mut containers = vec![part(cx, main, None, at, Some(default))];
    if let Some(t) = template_spec {
        let given = cx.containers(t.get("containers"), false);
        merge_containers(&mut containers, given, Merge::Whole);
    }
    let mut init = operator_init;
    if let Some(t) = template_spec {
        let given = cx.containers(t.get("initContainers"), true);
        merge_containers(&mut init, given, Merge::Whole);
    }
    let (req, lim) = (containers[0].c.requests.clone(), containers[0].c.limits.clone());
    for p in &mut init {
        if p.from == From::Nothing {
            p.c.requests = req.clone();
            p.c.limits = lim.clone();
            p.from = From::Default;
        }
    }
    (containers, init)
}

pub(super) fn elasticsearch<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let Some(sets) = spec.get("nodeSets") else {
        cx.err(&spec, format!("{} has no spec.nodeSets; expected a list of node sets", o.id()));
        return read;
    };
    let keystore = spec.get("secureSettings").is_some();
    for ns in cx.seq(&sets, "nodeSets") {
        let Some(set_name) = ns.get("name").and_then(|n| cx.string(&n, "a node set name")) else {
            if ns.get("name").is_none() {
                cx.err(&ns, "this node set has no name");
            }
            continue;
        };
        let Some(count) = super::replicas(cx, &ns, "count", 0) else { continue };
        let template = ns.get("podTemplate");
        let tspec = template.as_ref().and_then(|t| t.get("spec"));
        let mut operator_init = vec![part(
            cx,
            "elastic-internal-init-filesystem",
            None,
            &ns,
            Some(same(&[("cpu", "100m"), ("memory", "50Mi")])),
        )];
        if keystore {
            operator_init.push(part(
                cx,
                "elastic-internal-init-keystore",
                None,
                &ns,
                Some(same(&[("cpu", "500m"), ("memory", "196Mi")])),
            ));
        }
        operator_init.push(part(cx, "elastic-internal-suspend", None, &ns, None));
        let (containers, init) = pod_parts(
            cx,
            tspec.as_ref(),
            &ns,
            "elasticsearch",
            same(&[("memory", "2Gi")]),
            operator_init,
        );
        let name = format!("{}-es-{set_name}", o.name);
        let mut labels = BTreeMap::new();
        add_labels(
            cx,
            &mut labels,
            template.as_ref().and_then(|t| t.get_path(&["metadata", "labels"])),
            "podTemplate.metadata.labels",
        );
        for (k, v) in [
            ("common.k8s.elastic.co/type", "elasticsearch".to_string()),
            ("elasticsearch.k8s.elastic.co/cluster-name", o.name.clone()),
            ("elasticsearch.k8s.elastic.co/statefulset-name", name.clone()),
        ] {
            labels.insert(k.to_string(), v);
        }
        let claims = match ns.get("volumeClaimTemplates") {
            Some(vcts) => cx.claim_templates(&vcts),
            None => vec![("elasticsearch-data".to_string(), Bytes::gib(1), None)],
        };
        read.sets.push(PodSet {
            object: "StatefulSet",
            name,
            replicas: count,
            containers,
            init_containers: init,
            labels,
            scheduling: tspec,
            max_per_node: None,
            claims,
        });
    }
    read.sets.retain(|s| s.replicas > 0);
    read
}

pub(super) fn kibana<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let Some(count) = super::replicas(cx, &spec, "count", 0) else { return read };
    if count == 0 {
        if spec.get("count").is_none() {
            cx.warn(&spec,
                format!(
                    "{} sets no spec.count: ECK {} makes its Deployment with 0 replicas, so it runs no pods",
                    o.id(),
                    OPERATOR.version
                ),
            );
        }
        return read;
    }
    let template = spec.get("podTemplate");
    let tspec = template.as_ref().and_then(|t| t.get("spec"));
    let mut operator_init = Vec::new();
    if spec.get("secureSettings").is_some() {
        operator_init.push(part(
            cx,
            "elastic-internal-init-keystore",
            None,
            &spec,
            Some(same(&[("cpu", "100m"), ("memory", "128Mi")])),
        ));
    }
    let (containers, init) =
        pod_parts(cx, tspec.as_ref(), &spec, "kibana", same(&[("memory", "2Gi")]), operator_init);
    let mut labels = BTreeMap::new();
    add_labels(
        cx,
        &mut labels,
        template.as_ref().and_then(|t| t.get_path(&["metadata", "labels"])),
        "podTemplate.metadata.labels",
    );
    labels.insert("common.k8s.elastic.co/type".to_string(), "kibana".to_string());
    labels.insert("kibana.k8s.elastic.co/name".to_string(), o.name.clone());
    read.sets.push(PodSet {
        object: "Deployment",
        name: format!("{}-kb", o.name),
        replicas: count,
        containers,
        init_containers: init,
        labels,
        scheduling: tspec,
        max_per_node: None,
        claims: Vec::new(),
    });
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};
    use crate::quantity::Bytes;

    #[test]
    fn elasticsearch_node_sets_inherit_the_main_container_into_init_containers() {
        let text = "apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata: {name: logs, namespace: es}\nspec:\n  version: 9.1.0\n  nodeSets:\n    - name: masters\n      count: 3\n    - name: data\n      count: 2\n      podTemplate:\n        spec:\n          initContainers:\n            - name: sysctl\n          containers:\n            - name: elasticsearch\n              resources: {requests: {cpu: \"2\", memory: 8Gi}, limits: {memory: 8Gi}}\n---\napiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata: {name: kb, namespace: es}\nspec:\n  count: 1\n";
        let m =
            read_manifests(&[Source { name: "m.yaml", text }], &default_options()).output.unwrap();
        let w: Vec<(&str, u32)> =
            m.workloads.iter().map(|w| (w.workload.name.as_str(), w.workload.replicas)).collect();
        assert_eq!(w, [("logs-es-masters", 3), ("logs-es-data", 2), ("kb-kb", 1)]);
        let masters = &m.workloads[0];
        assert_eq!(shapes(&masters.containers), ["elasticsearch 0/2Gi"]);
        assert_eq!(
            shapes(&masters.init_containers),
            ["elastic-internal-init-filesystem 100m/50Mi", "elastic-internal-suspend 0/2Gi"]
        );
        // The filesystem init container's 100m is the pod's CPU request; memory 2Gi.
        assert_eq!(masters.workload.pod.requests.cpu.millis(), 100);
        assert_eq!(masters.workload.pod.requests.memory, Bytes::gib(2));
        let data = &m.workloads[1];
        assert_eq!(shapes(&data.containers), ["elasticsearch 2/8Gi"]);
        assert_eq!(
            shapes(&data.init_containers),
            [
                "elastic-internal-init-filesystem 100m/50Mi",
                "elastic-internal-suspend 2/8Gi",
                "sysctl 2/8Gi"
            ]
        );
        assert_eq!(m.workloads[2].workload.pod.requests.memory, Bytes::gib(2));
        let claims: Vec<(&str, u32)> =
            m.volume_claims.iter().map(|c| (c.name.as_str(), c.count)).collect();
        assert_eq!(
            claims,
            [("elasticsearch-data-logs-es-masters", 3), ("elasticsearch-data-logs-es-data", 2)]
        );
    }
}
