//! Namespace-level objects: LimitRanges, HorizontalPodAutoscalers, PodDisruptionBudgets, ResourceQuotas and volume claims.

use super::*;

/// One `type: Container` or `type: Pod` item of a LimitRange.
pub(super) struct LimitRule {
    pub(super) id: String,
    pub(super) container: bool,
    pub(super) max: PartialResources,
    pub(super) min: PartialResources,
    pub(super) ratio: BTreeMap<ResourceName, u64>,
}

/// Everything a namespace's LimitRanges say.
#[derive(Default)]
pub(in crate::input) struct NsLimits {
    pub(super) defaults: ContainerDefaults,
    pub(super) rules: Vec<LimitRule>,
}

/// The LimitRange defaulting of the API server: a missing `default` is `max`; a missing
/// `defaultRequest` is `default`, else `min`.
pub(super) fn merge_defaults(
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

pub(super) struct Hpa<'a> {
    pub(super) node: Node<'a>,
    pub(super) id: String,
    pub(super) namespace: String,
    pub(super) target_kind: String,
    pub(super) target_name: String,
    pub(super) min: u32,
    pub(super) max: u32,
}

/// `minAvailable` or `maxUnavailable`: a count or a percentage.
#[derive(Clone, Copy)]
pub(super) enum IntOrPercent {
    Int(u32),
    Percent(u32),
}

pub(super) struct Pdb<'a> {
    pub(super) node: Node<'a>,
    pub(super) id: String,
    pub(super) namespace: String,
    pub(super) selector: Selector,
    pub(super) min_available: Option<IntOrPercent>,
    pub(super) max_unavailable: Option<IntOrPercent>,
    pub(super) matched: bool,
}

/// The `minAvailable` a PodDisruptionBudget gives a workload of `replicas` pods, as the disruption
/// controller computes it: percentages of either field round up.
pub(super) fn pdb_min_available(
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

pub(super) struct Quota<'a> {
    pub(super) id: String,
    pub(super) namespace: String,
    pub(super) hard: Vec<(String, Node<'a>)>,
}

impl Reader {
    pub(super) fn limit_range(&mut self, o: &Object<'_>, into: &mut NsLimits) {
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

    pub(super) fn hpa<'a>(&mut self, o: &Object<'a>) -> Option<Hpa<'a>> {
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

    pub(super) fn pdb<'a>(&mut self, o: &Object<'a>) -> Option<Pdb<'a>> {
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
    pub(in crate::input) fn claim_templates(
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
    pub(super) fn claim_spec(
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

    pub(super) fn check_quota(
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

    pub(super) fn quota_over(
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
