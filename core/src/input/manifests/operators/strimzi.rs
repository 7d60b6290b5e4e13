//! Strimzi 1.2.0: `Kafka` and `KafkaNodePool` (`kafka.strimzi.io`), KRaft only.
//!
//! Sources (github.com/strimzi/strimzi-kafka-operator at tag 1.2.0):
//! - `cluster-operator/src/main/java/io/strimzi/operator/cluster/model/KafkaPool.java`: the pods
//!   of a node pool are `<cluster>-<pool>` (`componentName`), `spec.replicas` of them, with the
//!   pool's `spec.resources`; `KafkaCluster.java`: one `kafka` container with those resources and
//!   no default, and a `kafka-init` init container with the same resources only for brokers of a
//!   cluster with `spec.kafka.rack` or a `nodeport` listener (`createInitContainer`).
//! - `EntityOperator.java`, `EntityTopicOperator.java`, `EntityUserOperator.java`: the Deployment
//!   `<cluster>-entity-operator` (one replica) with a `topic-operator` and a `user-operator`
//!   container when `spec.entityOperator.topicOperator` / `userOperator` are given, each with
//!   its own `resources` and no default; `CruiseControl.java` and `KafkaExporter.java`: one
//!   replica each (`<cluster>-cruise-control`, `<cluster>-kafka-exporter`), no default resources.
//! - `api/src/main/java/io/strimzi/api/ResourceLabels.java` and
//!   `operator-common/.../model/Labels.java`: `strimzi.io/cluster`, `strimzi.io/name`,
//!   `strimzi.io/kind`, `strimzi.io/pool-name`, `strimzi.io/broker-role`, `strimzi.io/controller-role`.
//! - ZooKeeper-based clusters were removed in Strimzi 0.46: `spec.zookeeper` is not planned.

use std::collections::BTreeMap;

use super::{Operator, PodSet, Read, part};
use crate::input::manifests::{Node, Object, Reader};

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator = Operator { name: "Strimzi", version: "1.2.0" };

fn strimzi_labels(cluster: &str, name: &str) -> BTreeMap<String, String> {
    [
        ("strimzi.io/cluster", cluster.to_string()),
        ("strimzi.io/kind", "Kafka".to_string()),
        ("strimzi.io/name", name.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The pod template's scheduling fields of a component (`template.pod`).
fn pod_template<'a>(n: &Node<'a>) -> Option<Node<'a>> {
    n.get_path(&["template", "pod"])
}

/// One-replica components of a Kafka: the entity operator, Cruise Control, Kafka Exporter.
pub(super) fn kafka<'a>(cx: &mut Reader, o: &Object<'a>, all: &[Object<'a>]) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    if let Some(zk) = spec.get("zookeeper") {
        cx.warn(&zk,
            format!(
                "{}: Strimzi {} runs KRaft clusters only (ZooKeeper was removed in 0.46); spec.zookeeper is not planned",
                o.id(),
                OPERATOR.version
            ),
        );
    }
    let pools = all
        .iter()
        .filter(|p| {
            p.kind == "KafkaNodePool"
                && p.namespace == o.namespace
                && pool_cluster(p).as_deref() == Some(o.name.as_str())
        })
        .count();
    if pools == 0 {
        cx.warn(&o.node,
            format!(
                "{} has no KafkaNodePool among the manifests (labelled strimzi.io/cluster: {}); Strimzi {} runs the brokers and controllers from node pools, so none are planned",
                o.id(),
                o.name,
                OPERATOR.version
            ),
        );
    } else {
        read.notes.push(format!("brokers and controllers from {pools} KafkaNodePool(s)"));
    }
    if let Some(eo) = spec.get("entityOperator") {
        let mut containers = Vec::new();
        for (key, name) in [("topicOperator", "topic-operator"), ("userOperator", "user-operator")]
        {
            if let Some(c) = eo.get(key) {
                containers.push(part(cx, name, c.get("resources"), &c, None));
            }
        }
        if !containers.is_empty() {
            let name = format!("{}-entity-operator", o.name);
            read.sets.push(PodSet {
                object: "Deployment",
                labels: strimzi_labels(&o.name, &name),
                name,
                replicas: 1,
                containers,
                init_containers: Vec::new(),
                scheduling: pod_template(&eo),
                max_per_node: None,
                claims: Vec::new(),
            });
        }
    }
    for (key, suffix, container) in [
        ("cruiseControl", "cruise-control", "cruise-control"),
        ("kafkaExporter", "kafka-exporter", "kafka-exporter"),
    ] {
        if let Some(c) = spec.get(key) {
            let name = format!("{}-{suffix}", o.name);
            read.sets.push(PodSet {
                object: "Deployment",
                labels: strimzi_labels(&o.name, &name),
                name,
                replicas: 1,
                containers: vec![part(cx, container, c.get("resources"), &c, None)],
                init_containers: Vec::new(),
                scheduling: pod_template(&c),
                max_per_node: None,
                claims: Vec::new(),
            });
        }
    }
    read
}

/// The cluster a node pool belongs to: its `strimzi.io/cluster` label.
fn pool_cluster(o: &Object<'_>) -> Option<String> {
    let v = o.node.get_path(&["metadata", "labels", "strimzi.io/cluster"])?;
    v.str().map(str::to_string)
}

pub(super) fn node_pool<'a>(cx: &mut Reader, o: &Object<'a>, all: &[Object<'a>]) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let Some(cluster) = pool_cluster(o) else {
        let at = o.node.get("metadata").unwrap_or_else(|| o.node.clone());
        cx.err(
            &at,
            format!("{} has no strimzi.io/cluster label; expected the name of its Kafka", o.id()),
        );
        return read;
    };
    let Some(replicas) = super::replicas(cx, &spec, "replicas", 0) else { return read };
    if spec.get("replicas").is_none() {
        cx.err(&spec, format!("{} has no spec.replicas; expected a whole number", o.id()));
        return read;
    }
    let roles: Vec<String> = match spec.get("roles") {
        Some(r) => cx.seq(&r, "roles").iter().filter_map(|n| n.str().map(str::to_string)).collect(),
        None => {
            cx.err(
                &spec,
                format!("{} has no spec.roles; expected broker, controller or both", o.id()),
            );
            return read;
        }
    };
    let broker = roles.iter().any(|r| r == "broker");
    let controller = roles.iter().any(|r| r == "controller");
    let kafka =
        all.iter().find(|k| k.kind == "Kafka" && k.namespace == o.namespace && k.name == cluster);
    let needs_init = broker
        && kafka.is_some_and(|k| {
            let ks = k.node.get_path(&["spec", "kafka"]);
            let rack = ks.as_ref().and_then(|s| s.get("rack")).is_some();
            let nodeport = ks.as_ref().and_then(|s| s.get("listeners")).is_some_and(|l| {
                serde_yaml::Value::as_sequence(crate::input::manifests::untag(l.v)).is_some_and(
                    |items| {
                        items.iter().any(|i| {
                            crate::input::manifests::untag(i)
                                .get("type")
                                .and_then(serde_yaml::Value::as_str)
                                == Some("nodeport")
                        })
                    },
                )
            });
            rack || nodeport
        });
    if kafka.is_none() {
        cx.warn(&o.node,
            format!(
                "{}: its Kafka {}/{cluster} is not among the manifests; its pods are planned from the pool alone",
                o.id(),
                o.namespace
            ),
        );
    }
    let resources = spec.get("resources");
    let containers = vec![part(cx, "kafka", resources.clone(), &spec, None)];
    let init =
        if needs_init { vec![part(cx, "kafka-init", resources, &spec, None)] } else { Vec::new() };
    let mut labels = strimzi_labels(&cluster, &format!("{cluster}-kafka"));
    labels.insert("strimzi.io/pool-name".to_string(), o.name.clone());
    labels.insert("strimzi.io/broker-role".to_string(), broker.to_string());
    labels.insert("strimzi.io/controller-role".to_string(), controller.to_string());
    let mut claims = Vec::new();
    if let Some(storage) = spec.get("storage") {
        let volumes = match storage.get("volumes") {
            Some(v) => cx.seq(&v, "volumes"),
            None => vec![storage.clone()],
        };
        for (i, v) in volumes.iter().enumerate() {
            let ty = v.get("type").and_then(|t| t.str().map(str::to_string));
            if ty.as_deref() != Some("persistent-claim") {
                continue;
            }
            let Some(size) = v.get("size") else {
                cx.err(
                    v,
                    "this persistent-claim volume has no size; expected a size such as 100Gi",
                );
                continue;
            };
            let Some(bytes) = super::size(cx, &size) else { continue };
            let class = v.get("class").and_then(|c| c.str().map(str::to_string));
            let id = v.get("id").and_then(|n| crate::input::manifests::scalar_text(n.v));
            let name = match (storage.get("volumes").is_some(), id) {
                (true, Some(id)) => format!("data-{id}"),
                (true, None) => format!("data-{i}"),
                (false, _) => "data".to_string(),
            };
            claims.push((name, bytes, class));
        }
    }
    if replicas > 0 {
        read.sets.push(PodSet {
            object: "StrimziPodSet",
            name: format!("{cluster}-{}", o.name),
            replicas,
            containers,
            init_containers: init,
            labels,
            scheduling: pod_template(&spec),
            max_per_node: None,
            claims,
        });
    }
    read.notes.push(format!("roles {}", roles.join(", ")));
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};

    #[test]
    fn node_pools_are_the_brokers_and_the_entity_operator_its_own_pod() {
        let text = "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata: {name: events, namespace: k}\nspec:\n  kafka:\n    rack: {topologyKey: topology.kubernetes.io/zone}\n    listeners: [{name: plain, port: 9092, type: internal, tls: false}]\n  entityOperator:\n    topicOperator: {resources: {requests: {cpu: 100m, memory: 256Mi}}}\n    userOperator: {}\n---\napiVersion: kafka.strimzi.io/v1\nkind: KafkaNodePool\nmetadata: {name: brokers, namespace: k, labels: {strimzi.io/cluster: events}}\nspec:\n  replicas: 3\n  roles: [broker]\n  resources: {requests: {cpu: \"2\", memory: 8Gi}}\n  storage: {type: jbod, volumes: [{id: 0, type: persistent-claim, size: 100Gi}]}\n";
        let res = read_manifests(&[Source { name: "m.yaml", text }], &default_options());
        let m = res.output.unwrap();
        let w: Vec<(&str, u32)> =
            m.workloads.iter().map(|w| (w.workload.name.as_str(), w.workload.replicas)).collect();
        assert_eq!(w, [("events-entity-operator", 1), ("events-brokers", 3)]);
        assert_eq!(
            shapes(&m.workloads[0].containers),
            ["topic-operator 100m/256Mi", "user-operator 0/0"]
        );
        // A rack-aware cluster's brokers start with kafka-init, with the pool's resources.
        assert_eq!(shapes(&m.workloads[1].init_containers), ["kafka-init 2/8Gi"]);
        assert_eq!(m.volume_claims[0].name, "data-0-events-brokers");
        let bare =
            res.warnings.iter().find(|d| d.message.contains("sets no default resources")).unwrap();
        assert_eq!(
            bare.to_string().lines().next().unwrap(),
            "m.yaml:10:19: warning: Kafka k/events: Strimzi 1.2.0 sets no default resources and the resource gives none for container user-operator of Deployment events-entity-operator: they are planned at zero (at spec.entityOperator.userOperator) [document 1]"
        );
        assert_eq!(
            bare.hints,
            ["give them requests: user-operator at spec.entityOperator.userOperator.resources"]
        );
    }
}
