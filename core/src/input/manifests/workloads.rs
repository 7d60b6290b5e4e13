//! Workload objects (Deployments, StatefulSets, DaemonSets, Jobs, Pods, …) read into pending workloads: replicas, pod template, pod-level limits and node-selection warnings.

use super::*;

impl Reader {
    /// Says how to plan a custom resource that clearly runs pods (an operator-managed workload).
    pub(super) fn operator_hint(&mut self, o: &Object<'_>) {
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

    pub(in crate::input) fn workload<'a>(
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
        let (obj_labels, obj_ann) = self.labels_and_annotations(meta.as_ref());
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
    pub(super) fn replicas_and_template<'a>(
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
                            self.err(spec, format!("{what} has no jobTemplate.spec"));
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
                    self.err(spec, format!("{what} has no pod template (spec.template)"));
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
    pub(super) fn check_pod_limits(
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
    pub(super) fn warn_node_selection(
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

    pub(in crate::input) fn daemonset(&self, p: &Pending<'_>) -> ManifestDaemonSet {
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
}
