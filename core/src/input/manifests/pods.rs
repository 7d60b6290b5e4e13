//! Pod templates as the API server admits them and the scheduler places them: containers with LimitRange defaults, pod overhead, node selection, spot, anti-affinity and topology spread.

use super::*;

/// A workload read, before autoscalers, budgets and ownership are applied.
pub(in crate::input) struct Pending<'a> {
    pub(in crate::input) manifest: ManifestWorkload,
    pub(super) obj_kind: String,
    pub(super) node: Node<'a>,
    pub(in crate::input) controller: Option<(String, String)>,
    pub(super) claim_templates: Vec<(String, Bytes, Option<String>)>,
    pub(super) name_node: Node<'a>,
    /// For a DaemonSet: whether it selects GPU nodes and spot nodes.
    pub(super) ds_nodes: (Option<bool>, SpotReq),
    /// For a Job or a Helm hook: what it is (it runs to completion).
    pub(super) one_shot: Option<OneShot>,
    /// Where a BestEffort pod's missing requests belong: its first container's resources.
    pub(super) best_effort_at: Option<Node<'a>>,
}

/// Where a pod may run and how it spreads.
pub(in crate::input) struct Scheduling {
    pub(super) req: NodeReq,
    pub(in crate::input) spot: bool,
    pub(in crate::input) max_per_node: Option<u32>,
    pub(in crate::input) zone_spread: Option<ZoneSpread>,
}

/// What a pod template gives.
pub(super) struct PodInfo {
    pub(super) containers: Vec<Container>,
    pub(super) init_containers: Vec<Container>,
    pub(super) overhead: Resources,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    pub(super) req: NodeReq,
    pub(super) spot: bool,
    pub(super) max_per_node: Option<u32>,
    pub(super) zone_spread: Option<ZoneSpread>,
}

impl Reader {
    pub(super) fn int_or_percent(&mut self, n: &Node<'_>) -> Option<IntOrPercent> {
        match untag(n.v) {
            Value::Number(_) => self.count(n, "a count").map(IntOrPercent::Int),
            Value::String(s) => {
                let parsed = s.strip_suffix('%').and_then(|p| p.parse::<u32>().ok());
                match parsed {
                    Some(p) if p <= 100 => Some(IntOrPercent::Percent(p)),
                    _ => {
                        self.err(n, format!("expected a whole number or a percentage from 0% to 100%, found {s:?}"));
                        None
                    }
                }
            }
            v => {
                self.err(
                    n,
                    format!(
                        "expected a whole number or a percentage such as 50%, found {}",
                        found(v)
                    ),
                );
                None
            }
        }
    }

    pub(super) fn exprs(&mut self, n: Option<&Node<'_>>, node_selector: bool) -> Vec<Expr> {
        let Some(n) = n else { return Vec::new() };
        let mut res = Vec::new();
        for e in self.seq(n, "matchExpressions") {
            let key = e.get("key").and_then(|k| self.string(&k, "key"));
            let Some(op_node) = e.get("operator") else {
                self.err(
                    &e,
                    "this expression has no operator; expected In, NotIn, Exists or DoesNotExist",
                );
                continue;
            };
            let op = self.string(&op_node, "operator");
            let mut allowed = vec!["In", "NotIn", "Exists", "DoesNotExist"];
            if node_selector {
                allowed.extend(["Gt", "Lt"]);
            }
            let (Some(key), Some(op)) = (key, op) else {
                if e.get("key").is_none() {
                    self.err(&e, "this expression has no key");
                }
                continue;
            };
            if !allowed.contains(&op.as_str()) {
                self.err(
                    &op_node,
                    format!("unknown operator {op:?}; expected {}", allowed.join(", ")),
                );
                continue;
            }
            let values: Vec<String> = match e.get("values") {
                Some(v) => self.seq(&v, "values").iter().filter_map(|x| scalar_text(x.v)).collect(),
                None => Vec::new(),
            };
            if matches!(op.as_str(), "In" | "NotIn") && values.is_empty() {
                self.err(&e, format!("operator {op} needs at least one value"));
                continue;
            }
            res.push(Expr { key, op, values });
        }
        res
    }

    pub(super) fn selector(&mut self, n: Option<&Node<'_>>) -> Option<Selector> {
        let n = n?;
        Some(Selector {
            labels: self.string_map(n.get("matchLabels").as_ref(), "matchLabels"),
            exprs: self.exprs(n.get("matchExpressions").as_ref(), false),
        })
    }

    pub(super) fn containers<'a>(
        &mut self,
        list: Option<Node<'a>>,
        init: bool,
    ) -> Vec<(Container, Node<'a>)> {
        let Some(list) = list else { return Vec::new() };
        let what = if init { "initContainers" } else { "containers" };
        let mut res = Vec::new();
        for (i, c) in self.seq(&list, what).into_iter().enumerate() {
            let name = match c.get("name") {
                Some(n) => self.string(&n, "a container name").unwrap_or_default(),
                None => format!("{what}[{i}]"),
            };
            let resources = c.get("resources");
            let requests =
                self.resource_list(resources.as_ref().and_then(|r| r.get("requests")).as_ref());
            let limits =
                self.resource_list(resources.as_ref().and_then(|r| r.get("limits")).as_ref());
            let sidecar = init
                && c.get("restartPolicy").and_then(|r| r.str().map(str::to_string)).as_deref()
                    == Some("Always");
            res.push((Container { name, requests, limits, sidecar }, c));
        }
        res
    }

    /// Applies LimitRange defaults to a container and checks it against the LimitRange rules and request ≤ limit.
    pub(super) fn admit(
        &mut self,
        c: &Container,
        node: &Node<'_>,
        limits: Option<&NsLimits>,
    ) -> Container {
        let admitted = match limits {
            Some(l) if !l.defaults.is_empty() => l.defaults.apply(c),
            _ => c.clone(),
        };
        let at = |cx: &mut Reader, field: &str, n: &ResourceName, msg: String| {
            let target = node
                .get("resources")
                .and_then(|r| r.get(field))
                .and_then(|f| f.get(&n.to_string()));
            let target = target.or_else(|| node.get("resources")).unwrap_or_else(|| node.clone());
            cx.err(&target, msg);
        };
        for n in PartialResources::names(&admitted.requests) {
            let (Some(r), Some(l)) = (admitted.requests.amount(&n), admitted.limits.amount(&n))
            else {
                continue;
            };
            if r > l {
                let from =
                    if c.limits.amount(&n).is_none() { ", the LimitRange default" } else { "" };
                at(
                    self,
                    "requests",
                    &n,
                    format!(
                        "container {}: the {n} request ({}) is above its limit ({}{from}); Kubernetes requires request ≤ limit",
                        c.name,
                        n.format_amount(r),
                        n.format_amount(l)
                    ),
                );
            }
        }
        let Some(l) = limits else { return admitted };
        for rule in l.rules.iter().filter(|r| r.container) {
            for n in PartialResources::names(&rule.max) {
                let max = rule.max.amount(&n).unwrap_or(0);
                match admitted.limits.amount(&n) {
                    Some(v) if v > max => at(
                        self,
                        "limits",
                        &n,
                        format!(
                            "container {}: the {n} limit ({}) is above the maximum ({}) of {}",
                            c.name,
                            n.format_amount(v),
                            n.format_amount(max),
                            rule.id
                        ),
                    ),
                    Some(_) => {}
                    None => at(
                        self,
                        "limits",
                        &n,
                        format!(
                            "container {}: {} sets a maximum {n} limit, so the container needs a {n} limit",
                            c.name, rule.id
                        ),
                    ),
                }
            }
            for n in PartialResources::names(&rule.min) {
                let min = rule.min.amount(&n).unwrap_or(0);
                match admitted.requests.amount(&n) {
                    Some(v) if v < min => at(
                        self,
                        "requests",
                        &n,
                        format!(
                            "container {}: the {n} request ({}) is below the minimum ({}) of {}",
                            c.name,
                            n.format_amount(v),
                            n.format_amount(min),
                            rule.id
                        ),
                    ),
                    Some(_) => {}
                    None => at(
                        self,
                        "requests",
                        &n,
                        format!(
                            "container {}: {} sets a minimum {n} request, so the container needs a {n} request",
                            c.name, rule.id
                        ),
                    ),
                }
            }
            for (n, ratio_milli) in &rule.ratio {
                if let (Some(r), Some(lim)) =
                    (admitted.requests.amount(n), admitted.limits.amount(n))
                    && r > 0
                    && u128::from(lim) * 1000 > u128::from(*ratio_milli) * u128::from(r)
                {
                    at(
                        self,
                        "limits",
                        n,
                        format!(
                            "container {}: the {n} limit ({}) is more than {} times its request ({}), the maxLimitRequestRatio of {}",
                            c.name,
                            n.format_amount(lim),
                            Cpu(*ratio_milli),
                            n.format_amount(r),
                            rule.id
                        ),
                    );
                }
            }
        }
        admitted
    }

    /// Reads a pod template (`metadata` + `spec`): containers, placement, spreading.
    pub(super) fn pod(
        &mut self,
        meta: Option<Node<'_>>,
        spec: &Node<'_>,
        limits: Option<&NsLimits>,
        what: &str,
    ) -> PodInfo {
        let (labels, annotations) = self.labels_and_annotations(meta.as_ref());
        let containers_node = spec.get("containers");
        if containers_node.is_none() {
            self.err(
                spec,
                format!(
                    "{what} has no containers; expected spec.containers with at least one container"
                ),
            );
        }
        let mut containers = Vec::new();
        for (c, n) in self.containers(containers_node.clone(), false) {
            containers.push(self.admit(&c, &n, limits));
        }
        if containers.is_empty()
            && let Some(n) = &containers_node
        {
            self.err(
                n,
                format!("{what} has an empty container list; expected at least one container"),
            );
        }
        let mut init_containers = Vec::new();
        for (c, n) in self.containers(spec.get("initContainers"), true) {
            init_containers.push(self.admit(&c, &n, limits));
        }
        // Pod overhead: as the RuntimeClass admission sets it on pods, or as a pod already carries it.
        let overhead = match (spec.get("overhead"), spec.get("runtimeClassName")) {
            (Some(o), _) => self.resource_list(Some(&o)).to_resources(),
            (None, Some(rc)) => {
                let name = self.string(&rc, "runtimeClassName").unwrap_or_default();
                match self.runtime_classes.get(&name) {
                    Some(r) => r.clone(),
                    None => {
                        self.warn(&rc, format!(
                            "{what} runs with RuntimeClass {name}, which is not among the manifests; its pod overhead, if any, is not counted"
                        ));
                        Resources::default()
                    }
                }
            }
            (None, None) => Resources::default(),
        };

        let sched = self.scheduling(spec, &labels, what);
        PodInfo {
            containers,
            init_containers,
            overhead,
            labels,
            annotations,
            req: sched.req,
            spot: sched.spot,
            max_per_node: sched.max_per_node,
            zone_spread: sched.zone_spread,
        }
    }

    /// Reads where a pod may run and how it spreads: `nodeSelector`, `affinity`, `tolerations`
    /// and `topologySpreadConstraints` of `spec` (a pod spec, or an operator's resource that
    /// carries these fields itself); `labels` are the pod's own, for anti-affinity against itself.
    pub(in crate::input) fn scheduling(
        &mut self,
        spec: &Node<'_>,
        labels: &BTreeMap<String, String>,
        what: &str,
    ) -> Scheduling {
        let req = self.node_selection(spec, what);
        let spot = self.spot_tolerated(spec, req.spot);
        // Spreading: hostname anti-affinity and topology spread constraints.
        let mut max_per_node = self.hostname_anti_affinity(spec, labels, what);
        let zone_spread = self.topology_spread(spec, what, &mut max_per_node);
        Scheduling { req, spot, max_per_node, zone_spread }
    }

    /// Node selection: nodeSelector AND (any required term); an architecture no node has is an
    /// error.
    pub(super) fn node_selection(&mut self, spec: &Node<'_>, what: &str) -> NodeReq {
        let mut bad_arch = Vec::new();
        let mut req = any_req();
        let selector_node = spec.get("nodeSelector");
        if let Some(ns) = &selector_node {
            let sel = self.string_map(Some(ns), "nodeSelector");
            let exprs: Vec<Expr> = sel
                .into_iter()
                .map(|(key, v)| Expr { key, op: "In".to_string(), values: vec![v] })
                .collect();
            req = req.and(term_req(&exprs, &mut bad_arch));
        }
        let node_affinity = spec.get_path(&["affinity", "nodeAffinity"]);
        let required = node_affinity.as_ref().and_then(|a| {
            a.get_path(&["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"])
        });
        if let Some(terms) = &required {
            let mut any: Option<NodeReq> = None;
            for t in self.seq(terms, "nodeSelectorTerms") {
                let exprs = self.exprs(t.get("matchExpressions").as_ref(), true);
                let r = term_req(&exprs, &mut bad_arch);
                any = Some(match any {
                    None => r,
                    Some(a) => a.or(r),
                });
            }
            if let Some(a) = any {
                req = req.and(a);
            }
        }
        // An architecture problem is located at the arch label, else the required terms.
        let arch_at = || {
            selector_node
                .as_ref()
                .and_then(|n| ARCH_KEYS.iter().find_map(|k| n.get(k)))
                .or_else(|| required.clone())
                .unwrap_or_else(|| spec.clone())
        };
        if !bad_arch.is_empty() {
            self.err(
                &arch_at(),
                format!(
                    "{what} selects architecture {}; kplan plans amd64 and arm64 nodes only",
                    bad_arch.join(", ")
                ),
            );
        } else if req.arch.as_ref().is_some_and(BTreeSet::is_empty) {
            self.err(
                &arch_at(),
                format!("{what} selects no architecture that any node has (amd64, arm64)"),
            );
        }
        req
    }

    /// Whether a pod runs on spot nodes: required by its node selection, or, when the selection
    /// leaves it open, tolerated (a spot taint tolerated) or preferred (preferred node affinity).
    pub(super) fn spot_tolerated(&mut self, spec: &Node<'_>, selected: SpotReq) -> bool {
        let node_affinity = spec.get_path(&["affinity", "nodeAffinity"]);
        let mut preferred_spot = false;
        if let Some(pref) = node_affinity
            .as_ref()
            .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
        {
            for t in self.seq(&pref, "preferredDuringSchedulingIgnoredDuringExecution") {
                let exprs =
                    self.exprs(t.get_path(&["preference", "matchExpressions"]).as_ref(), true);
                preferred_spot |= exprs.iter().any(|e| spot_key(&e.key).is_some());
            }
        }
        let mut tolerated_spot = false;
        if let Some(tols) = spec.get("tolerations") {
            for t in self.seq(&tols, "tolerations") {
                let key = t.get("key").and_then(|k| k.str().map(str::to_string));
                let op = t
                    .get("operator")
                    .and_then(|k| k.str().map(str::to_string))
                    .unwrap_or_else(|| "Equal".to_string());
                let value = t.get("value").and_then(|k| scalar_text(k.v));
                tolerated_spot |= tolerates_spot(key.as_deref(), &op, value.as_deref());
            }
        }
        match selected {
            SpotReq::Forbid => false,
            SpotReq::Require => true,
            SpotReq::Any => tolerated_spot || preferred_spot,
        }
    }

    /// Required pod anti-affinity on the hostname against the pod's own labels: at most one
    /// pod per node. Other anti-affinity and required pod affinity are warned about.
    pub(super) fn hostname_anti_affinity(
        &mut self,
        spec: &Node<'_>,
        labels: &BTreeMap<String, String>,
        what: &str,
    ) -> Option<u32> {
        let mut max_per_node = None;
        if let Some(anti) = spec.get_path(&[
            "affinity",
            "podAntiAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]) {
            for t in self.seq(&anti, "requiredDuringSchedulingIgnoredDuringExecution") {
                let key = t.get("topologyKey").and_then(|k| self.string(&k, "topologyKey"));
                let sel = self.selector(t.get("labelSelector").as_ref());
                let own = sel.as_ref().is_some_and(|s| s.matches(labels));
                match key.as_deref() {
                    Some(HOSTNAME_KEY) if own => max_per_node = Some(1),
                    Some(k) => self.warn(&t, format!(
                        "{what}: required pod anti-affinity on {k} {} is not modelled; it is planned without it",
                        if own { "against its own pods" } else { "against other pods" }
                    )),
                    None => {}
                }
            }
        }
        if let Some(aff) = spec.get_path(&[
            "affinity",
            "podAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ]) {
            self.warn(
                &aff,
                format!("{what}: required pod affinity is not modelled; it is planned without it"),
            );
        }
        max_per_node
    }

    /// Topology spread constraints: a zone skew, or a hostname skew that lowers
    /// `max_per_node`; `ScheduleAnyway` constraints are preferences and do not bind.
    pub(super) fn topology_spread(
        &mut self,
        spec: &Node<'_>,
        what: &str,
        max_per_node: &mut Option<u32>,
    ) -> Option<ZoneSpread> {
        let mut zone_spread: Option<ZoneSpread> = None;
        if let Some(tscs) = spec.get("topologySpreadConstraints") {
            for t in self.seq(&tscs, "topologySpreadConstraints") {
                let skew = match t.get("maxSkew") {
                    Some(s) => self.count(&s, "maxSkew"),
                    None => {
                        self.err(&t, "this topology spread constraint has no maxSkew; expected a whole number ≥ 1");
                        None
                    }
                };
                if let (Some(0), Some(s)) = (skew, t.get("maxSkew")) {
                    self.err(&s, "maxSkew must be at least 1");
                }
                let key = t.get("topologyKey").and_then(|k| self.string(&k, "topologyKey"));
                let when =
                    t.get("whenUnsatisfiable").and_then(|w| self.string(&w, "whenUnsatisfiable"));
                match when.as_deref() {
                    Some("DoNotSchedule") | Some("ScheduleAnyway") => {}
                    Some(w) => {
                        if let Some(n) = t.get("whenUnsatisfiable") {
                            self.err(&n, format!("unknown whenUnsatisfiable {w:?}; expected DoNotSchedule or ScheduleAnyway"));
                        }
                        continue;
                    }
                    None => {
                        if t.get("whenUnsatisfiable").is_none() {
                            self.err(&t, "this topology spread constraint has no whenUnsatisfiable; expected DoNotSchedule or ScheduleAnyway");
                        }
                        continue;
                    }
                }
                let (Some(skew), Some(key)) = (skew.filter(|s| *s > 0), key) else { continue };
                if when.as_deref() == Some("ScheduleAnyway") {
                    continue;
                }
                if ZONE_KEYS.contains(&key.as_str()) {
                    let s = zone_spread.map_or(skew, |z| z.max_skew.min(skew));
                    zone_spread = Some(ZoneSpread { max_skew: s });
                } else if key == HOSTNAME_KEY {
                    *max_per_node = Some(max_per_node.map_or(skew, |m: u32| m.min(skew)));
                } else {
                    self.warn(&t, format!("{what}: topology spread on {key} is not modelled (only zone and hostname are); it is planned without it"));
                }
            }
        }
        zone_spread
    }
}
