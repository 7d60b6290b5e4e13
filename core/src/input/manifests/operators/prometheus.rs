//! prometheus-operator v0.93.0: `Prometheus`, `Alertmanager` and `ThanosRuler`
//! (`monitoring.coreos.com/v1`), each a StatefulSet of its own pods.
//!
//! Sources (github.com/prometheus-operator/prometheus-operator at tag v0.93.0):
//! - `cmd/operator/main.go`: `defaultReloaderCPU = "10m"`, `defaultReloaderMemory = "50Mi"`, given to
//!   `operator.DefaultConfig`, which (`pkg/operator/config.go`) makes them both the requests and
//!   the limits of every `config-reloader` sidecar and `init-config-reloader` init container
//!   (flags `--config-reloader-cpu-request` … change them on the operator).
//! - `pkg/prometheus/common.go`: `ReplicasNumberPtr` (replicas default 1; negative → 1),
//!   `shardsNumber` (shards default 1), `prometheusNameByShard` (`prometheus-<name>`, then
//!   `prometheus-<name>-shard-<n>`), `BuildConfigReloader` (`config-reloader`, and as an init
//!   container `init-config-reloader`).
//! - `pkg/prometheus/server/statefulset.go`: the `prometheus` container takes `spec.resources`
//!   with no default (no requests when none are given); a `thanos-sidecar` with
//!   `spec.thanos.resources` (no default) when `spec.thanos` is set; `spec.containers` and
//!   `spec.initContainers` are strategic-merge patches over the operator's containers.
//! - `pkg/prometheus/server/operator.go` `makeSelectorLabels`: `app.kubernetes.io/name:
//!   prometheus`, `app.kubernetes.io/managed-by: prometheus-operator`, `app.kubernetes.io/instance`,
//!   `operator.prometheus.io/name` and `prometheus: <name>`; `operator.prometheus.io/shard`.
//! - `pkg/alertmanager/statefulset.go`: replicas default 1 (`minReplicas`), a memory request of
//!   200Mi when `spec.resources.requests.memory` is absent, `config-reloader` and
//!   `init-config-reloader`; `pkg/alertmanager/operator.go` `makeSelectorLabels`
//!   (`app.kubernetes.io/name: alertmanager`, `alertmanager: <name>`, …).
//! - `pkg/thanos/statefulset.go`: a memory request of 200Mi when none is given, a
//!   `config-reloader` sidecar and no operator init container; replicas as given (the
//!   StatefulSet's default 1); `pkg/thanos/operator.go` `makeSelectorLabels`
//!   (`app.kubernetes.io/name: thanos-ruler`, `thanos-ruler: <name>`, …).

use std::collections::BTreeMap;

use super::{
    Merge, Operator, Part, PodSet, Read, add_labels, amounts, merge_containers, part, same,
};
use crate::input::manifests::{Object, Reader};

/// The operator and release whose defaults are used.
pub(super) const OPERATOR: Operator = Operator { name: "prometheus-operator", version: "v0.93.0" };

/// The config reloader's requests and limits (`cmd/operator/main.go`).
fn reloader() -> (crate::workload::PartialResources, crate::workload::PartialResources) {
    same(&[("cpu", "10m"), ("memory", "50Mi")])
}

pub(super) fn read<'a>(cx: &mut Reader, o: &Object<'a>) -> Read<'a> {
    let mut read = Read::new(OPERATOR);
    let Some(spec) = o.node.get("spec") else {
        cx.err(&o.node, format!("{} has no spec", o.id()));
        return read;
    };
    let (app, prefix, main) = match o.kind.as_str() {
        "Prometheus" => ("prometheus", "prometheus", "prometheus"),
        "Alertmanager" => ("alertmanager", "alertmanager", "alertmanager"),
        _ => ("thanos-ruler", "thanos-ruler", "thanos-ruler"),
    };
    let Some(replicas) = super::replicas(cx, &spec, "replicas", 1) else { return read };
    let shards = match o.kind.as_str() {
        "Prometheus" => match super::replicas(cx, &spec, "shards", 1) {
            Some(s) => s.max(1),
            None => return read,
        },
        _ => 1,
    };

    // The main container: spec.resources, with the operator's memory default where it has one.
    let default = match o.kind.as_str() {
        "Prometheus" => None,
        _ => Some((amounts(&[("memory", "200Mi")]), Default::default())),
    };
    let resources = spec.get("resources");
    let mut main_part = part(cx, main, resources.clone(), &spec, default.clone());
    if let Some((req, _)) = &default
        && main_part.c.requests.memory.is_none()
    {
        // The default fills in a missing memory request even when other resources are given.
        main_part.c.requests.memory = req.memory;
    }
    let mut containers: Vec<Part<'a>> = vec![main_part];
    if o.kind == "Prometheus"
        && let Some(thanos) = spec.get("thanos")
    {
        containers.push(part(cx, "thanos-sidecar", thanos.get("resources"), &thanos, None));
    }
    containers.push(part(cx, "config-reloader", None, &spec, Some(reloader())));
    let given = cx.containers(spec.get("containers"), false);
    merge_containers(&mut containers, given, Merge::PerResource);
    let mut init: Vec<Part<'a>> = Vec::new();
    if o.kind != "ThanosRuler" {
        init.push(part(cx, "init-config-reloader", None, &spec, Some(reloader())));
    }
    let given = cx.containers(spec.get("initContainers"), true);
    merge_containers(&mut init, given, Merge::PerResource);

    let mut labels = BTreeMap::new();
    add_labels(cx, &mut labels, spec.get_path(&["podMetadata", "labels"]), "podMetadata.labels");
    for (k, v) in [
        ("app.kubernetes.io/name", app.to_string()),
        ("app.kubernetes.io/managed-by", "prometheus-operator".to_string()),
        ("app.kubernetes.io/instance", o.name.clone()),
        (app, o.name.clone()),
    ] {
        labels.insert(k.to_string(), v);
    }
    if o.kind == "Prometheus" {
        labels.insert("operator.prometheus.io/name".to_string(), o.name.clone());
    }

    let mut claims = Vec::new();
    if let Some(t) = spec.get_path(&["storage", "volumeClaimTemplate"]) {
        let name = t
            .get_path(&["metadata", "name"])
            .and_then(|n| n.str().map(str::to_string))
            .unwrap_or_else(|| format!("{prefix}-{}-db", o.name));
        if let Some((storage, class)) = cx.claim_spec(t.get("spec"), &t) {
            claims.push((name, storage, class));
        }
    }
    let copy = |p: &Part<'a>| Part { c: p.c.clone(), at: p.at.clone(), from: p.from };
    for shard in 0..shards {
        let mut labels = labels.clone();
        let name = if shard == 0 {
            format!("{prefix}-{}", o.name)
        } else {
            format!("{prefix}-{}-shard-{shard}", o.name)
        };
        if o.kind == "Prometheus" {
            labels.insert("operator.prometheus.io/shard".to_string(), shard.to_string());
        }
        read.sets.push(PodSet {
            object: "StatefulSet",
            name,
            replicas,
            containers: containers.iter().map(copy).collect(),
            init_containers: init.iter().map(copy).collect(),
            labels,
            scheduling: Some(spec.clone()),
            max_per_node: None,
            claims: claims.clone(),
        });
    }
    if shards > 1 {
        read.notes.push(format!("{shards} shards, a StatefulSet each"));
    }
    read
}

#[cfg(test)]
mod tests {
    use super::super::shapes;
    use crate::input::manifests::{Source, default_options, read_manifests};

    #[test]
    fn config_reloader_defaults_and_the_alertmanager_memory_default() {
        let text = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: mon}\nspec:\n  replicas: 3\n---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: mon}\nspec:\n  replicas: 2\n  shards: 2\n  resources: {requests: {cpu: 500m, memory: 2Gi}}\n  containers:\n    - name: config-reloader\n      resources: {requests: {cpu: 20m}, limits: {cpu: 20m}}\n";
        let res = read_manifests(&[Source { name: "m.yaml", text }], &default_options());
        let m = res.output.unwrap();
        let am = &m.workloads[0];
        assert_eq!((am.workload.name.as_str(), am.workload.replicas), ("alertmanager-main", 3));
        assert_eq!(shapes(&am.containers), ["alertmanager 0/200Mi", "config-reloader 10m/50Mi"]);
        assert_eq!(shapes(&am.init_containers), ["init-config-reloader 10m/50Mi"]);
        // 10m + 0 CPU; 200Mi + 50Mi memory (the init container is smaller than the app containers).
        assert_eq!(am.workload.pod.requests.cpu.millis(), 10);
        assert_eq!(am.workload.pod.requests.memory, crate::quantity::Bytes::mib(250));
        let names: Vec<&str> = m.workloads[1..].iter().map(|w| w.workload.name.as_str()).collect();
        assert_eq!(names, ["prometheus-k8s", "prometheus-k8s-shard-1"]);
        // The patch raises the reloader's CPU request and limit and keeps its memory.
        assert_eq!(
            shapes(&m.workloads[1].containers),
            ["prometheus 500m/2Gi", "config-reloader 20m/50Mi"]
        );
        assert_eq!(m.workloads[2].workload.labels["operator.prometheus.io/shard"], "1");
    }
}
