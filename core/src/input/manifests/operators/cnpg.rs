//! CloudNativePG v1.30.0: `Cluster` (`postgresql.cnpg.io/v1`), instances run as pods the operator
//! creates itself (no StatefulSet).
//!
//! Sources (github.com/cloudnative-pg/cloudnative-pg at tag v1.30.0):
//! - `api/v1/cluster_types.go`: `instances` (`+kubebuilder:default:=1`), `resources` with no
//!   default; `affinity.enablePodAntiAffinity` (on unless set false), `podAntiAffinityType`
//!   (`preferred` unless `required`), `topologyKey`, `nodeSelector`, `tolerations`.
//! - `pkg/specs/pods.go` `createClusterPodSpec`: the `postgres` container and one init
//!   container, `bootstrap-controller`, both with `spec.resources` (`pkg/specs/containers.go`
//!   `createBootstrapContainer`); `nodeSelector` and `tolerations` from `spec.affinity`,
//!   `topologySpreadConstraints` from `spec`.
//! - `pkg/utils/labels_annotations.go`: `cnpg.io/cluster: <name>` (`ClusterLabelName`),
//!   `cnpg.io/podRole: instance`.
//! - `pkg/specs/pvcs.go`: a `storage.size` claim per instance, and `walStorage.size` when set.

use std::collections::BTreeMap;

use super::{Operator, PodSet, Read, part};
use crate::input::manifests::{Object, Reader};

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator = Operator { name: "CloudNativePG", version: "v1.30.0" };

pub(super) fn cluster<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let Some(instances) = super::replicas(cx, &spec, "instances", 1) else { return read };
    if instances == 0 {
        if let Some(n) = spec.get("instances") {
            cx.err(&n, "instances must be at least 1");
        }
        return read;
    }
    let resources = spec.get("resources");
    let containers = vec![part(cx, "postgres", resources.clone(), &spec, None)];
    let init = vec![part(cx, "bootstrap-controller", resources, &spec, None)];
    let mut labels = BTreeMap::new();
    labels.insert("cnpg.io/cluster".to_string(), o.name.clone());
    labels.insert("cnpg.io/podRole".to_string(), "instance".to_string());
    let affinity = spec.get("affinity");
    let flag = |k: &str| {
        affinity
            .as_ref()
            .and_then(|a| a.get(k))
            .and_then(|v| crate::input::manifests::untag(v.v).as_bool())
    };
    let ty = affinity
        .as_ref()
        .and_then(|a| a.get("podAntiAffinityType"))
        .and_then(|t| cx.string(&t, "podAntiAffinityType"));
    let key = affinity
        .as_ref()
        .and_then(|a| a.get("topologyKey"))
        .and_then(|t| t.str().map(str::to_string));
    let required =
        flag("enablePodAntiAffinity") != Some(false) && ty.as_deref() == Some("required");
    let max_per_node =
        (required && key.as_deref().is_none_or(|k| k == "kubernetes.io/hostname")).then_some(1);
    if required && max_per_node.is_none() {
        read.notes.push(format!(
            "required pod anti-affinity on {} is not modelled",
            key.as_deref().unwrap_or_default()
        ));
    }
    let mut claims = Vec::new();
    for (key, name) in [("storage", "pgdata"), ("walStorage", "pgwal")] {
        if let Some(size) = spec.get_path(&[key, "size"])
            && let Some(b) = super::size(cx, &size)
        {
            let class =
                spec.get_path(&[key, "storageClass"]).and_then(|c| c.str().map(str::to_string));
            claims.push((name.to_string(), b, class));
        }
    }
    read.sets.push(PodSet {
        object: "Pods",
        name: o.name.clone(),
        replicas: instances,
        containers,
        init_containers: init,
        labels,
        // nodeSelector and tolerations sit in spec.affinity; topology spread in spec.
        scheduling: affinity.or_else(|| Some(spec.clone())),
        max_per_node,
        claims,
    });
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};

    #[test]
    fn instances_with_the_bootstrap_controller_and_required_anti_affinity() {
        let text = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec:\n  instances: 3\n  resources: {requests: {cpu: \"1\", memory: 4Gi}, limits: {memory: 4Gi}}\n  affinity: {podAntiAffinityType: required}\n  storage: {size: 50Gi}\n";
        let m =
            read_manifests(&[Source { name: "m.yaml", text }], &default_options()).output.unwrap();
        let w = &m.workloads[0];
        assert_eq!(
            (w.workload.name.as_str(), w.workload.replicas, w.workload.max_per_node),
            ("pg", 3, Some(1))
        );
        assert_eq!(shapes(&w.containers), ["postgres 1/4Gi"]);
        assert_eq!(shapes(&w.init_containers), ["bootstrap-controller 1/4Gi"]);
        assert_eq!(w.workload.labels["cnpg.io/cluster"], "pg");
        assert_eq!((m.volume_claims[0].name.as_str(), m.volume_claims[0].count), ("pgdata-pg", 3));
    }
}
