//! OT-CONTAINER-KIT redis-operator v0.26.0: `Redis` (`redis.redis.opstreelabs.in/v1beta2`), a
//! standalone Redis in a one-replica StatefulSet named after the resource.
//!
//! Sources (github.com/OT-CONTAINER-KIT/redis-operator at tag v0.26.0):
//! - `internal/k8sutils/redis-standalone.go`: one replica; the `redis` container with
//!   `spec.kubernetesConfig.resources` (no default); the `redis-exporter` sidecar when
//!   `spec.redisExporter.enabled`, with `spec.redisExporter.resources` (no default); the
//!   `spec.initContainer` when enabled and every `spec.sidecars[]` with their own resources.
//! - `internal/k8sutils/labels.go` `getRedisStableLabels`: `app: <name>`,
//!   `redis_setup_type: standalone`, `role: standalone`.
//! - `api/common/v1beta2/common_types.go`: `storage.volumeClaimTemplate`.

use std::collections::BTreeMap;

use super::{Operator, PodSet, Read, part};
use crate::input::manifests::{Object, Reader, untag};

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator =
    Operator { name: "redis-operator (OT-CONTAINER-KIT)", version: "v0.26.0" };

pub(super) fn standalone<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let kc = spec.get("kubernetesConfig");
    let at = kc.clone().unwrap_or_else(|| spec.clone());
    let mut containers =
        vec![part(cx, "redis", kc.as_ref().and_then(|k| k.get("resources")), &at, None)];
    let enabled = |n: &crate::input::manifests::Node<'_>| {
        n.get("enabled").and_then(|e| untag(e.v).as_bool()) == Some(true)
    };
    if let Some(e) = spec.get("redisExporter")
        && enabled(&e)
    {
        containers.push(part(cx, "redis-exporter", e.get("resources"), &e, None));
    }
    if let Some(s) = spec.get("sidecars") {
        for (c, n) in cx.containers(Some(s), false) {
            let from = if c.requests.is_empty() && c.limits.is_empty() {
                super::From::Nothing
            } else {
                super::From::Spec
            };
            containers.push(super::Part { at: n.get("resources").unwrap_or(n), c, from });
        }
    }
    let mut init = Vec::new();
    if let Some(i) = spec.get("initContainer")
        && enabled(&i)
    {
        init.push(part(cx, "initredis", i.get("resources"), &i, None));
    }
    let labels: BTreeMap<String, String> = [
        ("app", o.name.clone()),
        ("redis_setup_type", "standalone".to_string()),
        ("role", "standalone".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut claims = Vec::new();
    if let Some(t) = spec.get_path(&["storage", "volumeClaimTemplate"])
        && let Some((storage, class)) = cx.claim_spec(t.get("spec"), &t)
    {
        claims.push((o.name.clone(), storage, class));
    }
    read.sets.push(PodSet {
        object: "StatefulSet",
        name: o.name.clone(),
        replicas: 1,
        containers,
        init_containers: init,
        labels,
        scheduling: Some(spec.clone()),
        max_per_node: None,
        claims,
    });
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};

    #[test]
    fn the_exporter_sidecar_counts_when_enabled() {
        let text = "apiVersion: redis.redis.opstreelabs.in/v1beta2\nkind: Redis\nmetadata: {name: cache, namespace: r}\nspec:\n  kubernetesConfig:\n    image: quay.io/opstree/redis:v7.0.15\n    resources: {requests: {cpu: 200m, memory: 512Mi}}\n  redisExporter:\n    enabled: true\n    image: quay.io/opstree/redis-exporter:v1.44.0\n";
        let res = read_manifests(&[Source { name: "m.yaml", text }], &default_options());
        let m = res.output.unwrap();
        let w = &m.workloads[0];
        assert_eq!((w.workload.name.as_str(), w.workload.replicas), ("cache", 1));
        assert_eq!(shapes(&w.containers), ["redis 200m/512Mi", "redis-exporter 0/0"]);
        assert!(
            res.warnings
                .iter()
                .any(|d| d.message.contains("for container redis-exporter of StatefulSet cache")),
            "{:#?}",
            res.warnings
        );
    }
}
