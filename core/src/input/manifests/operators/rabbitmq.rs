//! RabbitMQ Cluster Operator v2.22.3: `RabbitmqCluster` (`rabbitmq.com/v1beta1`), a StatefulSet
//! `<name>-server`.
//!
//! Sources (github.com/rabbitmq/cluster-operator at tag v2.22.3):
//! - `api/v1beta1/rabbitmqcluster_types.go`: `replicas` (`+kubebuilder:default:=1`), `resources`
//!   (`+kubebuilder:default:={limits: {cpu: "2000m", memory: "2Gi"}, requests: {cpu: "1000m",
//!   memory: "2Gi"}}`), `persistence.storage` (`+kubebuilder:default:="10Gi"`; 0 means no claim).
//!   The API server applies these defaults when the resource is created, so they apply only
//!   when `resources` is absent altogether.
//! - `internal/resource/statefulset.go`: the `rabbitmq` container with `spec.resources`; the
//!   `setup-container` init container with `initContainerCPU = "20m"` and
//!   `initContainerMemory = "64Mi"` as requests and limits; `stsSuffix = "server"`.
//! - `internal/metadata/label.go`: `app.kubernetes.io/name: <name>`,
//!   `app.kubernetes.io/component: rabbitmq`, `app.kubernetes.io/part-of: rabbitmq`.

use std::collections::BTreeMap;

use super::{Operator, PodSet, Read, amounts, part, same};
use crate::input::manifests::{Object, Reader};
use crate::quantity::Bytes;

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator =
    Operator { name: "RabbitMQ Cluster Operator", version: "v2.22.3" };

pub(super) fn cluster<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    // No spec is valid: every field has a default (nothing is read from the object itself).
    let spec = o.node.get("spec").unwrap_or_else(|| o.node.clone());
    let Some(replicas) = super::replicas(cx, &spec, "replicas", 1) else { return read };
    let default = (
        amounts(&[("cpu", "1000m"), ("memory", "2Gi")]),
        amounts(&[("cpu", "2000m"), ("memory", "2Gi")]),
    );
    let containers = vec![part(cx, "rabbitmq", spec.get("resources"), &spec, Some(default))];
    let setup = same(&[("cpu", "20m"), ("memory", "64Mi")]);
    let init = vec![part(cx, "setup-container", None, &spec, Some(setup))];
    let labels: BTreeMap<String, String> = [
        ("app.kubernetes.io/name", o.name.clone()),
        ("app.kubernetes.io/component", "rabbitmq".to_string()),
        ("app.kubernetes.io/part-of", "rabbitmq".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let storage = match spec.get_path(&["persistence", "storage"]) {
        Some(n) => match super::size(cx, &n) {
            Some(b) => b,
            None => return read,
        },
        None => Bytes::gib(10),
    };
    let class = spec
        .get_path(&["persistence", "storageClassName"])
        .and_then(|c| c.str().map(str::to_string));
    let claims =
        if storage.0 == 0 { Vec::new() } else { vec![("persistence".to_string(), storage, class)] };
    if replicas > 0 {
        read.sets.push(PodSet {
            object: "StatefulSet",
            name: format!("{}-server", o.name),
            replicas,
            containers,
            init_containers: init,
            labels,
            scheduling: Some(spec.clone()),
            max_per_node: None,
            claims,
        });
    }
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};

    #[test]
    fn the_crd_defaults_apply_when_resources_are_absent() {
        let text = "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata: {name: mq, namespace: q}\nspec:\n  replicas: 3\n";
        let m =
            read_manifests(&[Source { name: "m.yaml", text }], &default_options()).output.unwrap();
        let w = &m.workloads[0];
        assert_eq!((w.workload.name.as_str(), w.workload.replicas), ("mq-server", 3));
        assert_eq!(shapes(&w.containers), ["rabbitmq 1/2Gi"]);
        assert_eq!(w.containers[0].limits.cpu.map(|c| c.millis()), Some(2000));
        assert_eq!(shapes(&w.init_containers), ["setup-container 20m/64Mi"]);
        assert_eq!(m.volume_claims[0].storage, crate::quantity::Bytes::gib(10));
    }
}
