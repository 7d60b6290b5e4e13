//! Interpretation: namespace-level objects first, then workloads, then autoscalers, budgets and quotas.

use super::*;

/// The owner of an object: the first owner key (`--owner-key`, then [`OWNER_KEYS`]) found in its
/// own annotations and labels or its pod template's; failing that, in its Namespace's.
pub(super) fn owner_of(
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
pub(in crate::input) fn controller_of(meta: Option<&Node<'_>>) -> Option<(String, String)> {
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
pub(super) fn canonical(name: &ResourceName, amount: u64) -> String {
    match name {
        ResourceName::Cpu => Cpu(amount).to_string(),
        ResourceName::Memory | ResourceName::EphemeralStorage => Bytes(amount).to_string(),
        _ => amount.to_string(),
    }
}

/// A Namespace object's annotations and labels.
pub(in crate::input) type NsMeta = (BTreeMap<String, String>, BTreeMap<String, String>);

/// The plural resource name of a kind, as quotas spell it (`count/deployments.apps`).
pub(super) fn plural(kind: &str) -> String {
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
pub(super) struct NamespaceObjects<'a> {
    /// (namespace, kind, name) of every object read.
    pub(super) present: BTreeSet<(String, String, String)>,
    /// Objects per (namespace, kind), for object-count quotas.
    pub(super) per_ns_kind: BTreeMap<(String, String), u64>,
    /// Each Namespace object's annotations and labels.
    pub(super) meta: BTreeMap<String, NsMeta>,
    /// Each namespace's LimitRange defaults and bounds.
    pub(super) limits: BTreeMap<String, NsLimits>,
    pub(super) hpas: Vec<Hpa<'a>>,
    pub(super) pdbs: Vec<Pdb<'a>>,
    pub(super) quotas: Vec<Quota<'a>>,
}

/// Objects whose controller was read too are that controller's pods; Jobs and Helm hooks are
/// one-shot work, listed and not planned unless `include_jobs` is set.
pub(super) fn without_owned_and_one_shot<'a>(
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
    pub(in crate::input) fn interpret(
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
    pub(super) fn namespace_objects<'a>(
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
    pub(super) fn namespace_object<'a>(
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
                let (labels, ann) = self.labels_and_annotations(o.node.get("metadata").as_ref());
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
    pub(super) fn read_workloads<'a>(
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
    pub(super) fn apply_autoscalers(
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
    pub(super) fn apply_disruption_budgets(
        &mut self,
        pdbs: &mut [Pdb<'_>],
        pending: &mut [Pending<'_>],
    ) {
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
    pub(super) fn check_unique_names(&mut self, pending: &[Pending<'_>]) {
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
    pub(super) fn warn_best_effort(&mut self, p: &Pending<'_>) {
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
}
