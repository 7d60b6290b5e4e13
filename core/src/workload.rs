//! Workloads and DaemonSets: what a pod needs, by the API server's rules for effective requests.
//!
//! Effective pod request, per resource (Kubernetes "Resource sharing within containers"):
//! `max(sum of app containers + sum of sidecars, max over init containers of (init + sidecars started before it)) + pod overhead`.
//! A container with a limit and no request gets request = limit; a container with neither gets the
//! namespace LimitRange defaults when there are some, else nothing (and the pod may be BestEffort).

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::Arch;
use crate::diag::Diagnostic;
use crate::quantity::{Bytes, Cpu};
use crate::resources::{ResourceName, Resources};

/// Amounts where each resource may be absent (as in a container spec).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartialResources {
    /// CPU, if given.
    pub cpu: Option<Cpu>,
    /// Memory, if given.
    pub memory: Option<Bytes>,
    /// Ephemeral storage, if given.
    pub ephemeral_storage: Option<Bytes>,
    /// Extended resources given.
    pub extended: BTreeMap<String, u64>,
}

impl PartialResources {
    /// True when nothing is given.
    pub fn is_empty(&self) -> bool {
        self.cpu.is_none()
            && self.memory.is_none()
            && self.ephemeral_storage.is_none()
            && self.extended.is_empty()
    }

    fn get(&self, name: &ResourceName) -> Option<u64> {
        match name {
            ResourceName::Cpu => self.cpu.map(|c| c.0),
            ResourceName::Memory => self.memory.map(|b| b.0),
            ResourceName::EphemeralStorage => self.ephemeral_storage.map(|b| b.0),
            ResourceName::Pods => None,
            ResourceName::Extended(n) => self.extended.get(n).copied(),
        }
    }

    /// Sets the amount of one resource (`pods` is not a container resource and is ignored).
    pub fn set(&mut self, name: &ResourceName, amount: u64) {
        match name {
            ResourceName::Cpu => self.cpu = Some(Cpu(amount)),
            ResourceName::Memory => self.memory = Some(Bytes(amount)),
            ResourceName::EphemeralStorage => self.ephemeral_storage = Some(Bytes(amount)),
            ResourceName::Pods => {}
            ResourceName::Extended(n) => {
                self.extended.insert(n.clone(), amount);
            }
        }
    }

    /// The amount of one resource, if given.
    pub fn amount(&self, name: &ResourceName) -> Option<u64> {
        self.get(name)
    }

    /// The resources given, in a fixed order (cpu, memory, ephemeral-storage, extended by name).
    pub fn names(&self) -> Vec<ResourceName> {
        let mut res = Vec::new();
        if self.cpu.is_some() {
            res.push(ResourceName::Cpu);
        }
        if self.memory.is_some() {
            res.push(ResourceName::Memory);
        }
        if self.ephemeral_storage.is_some() {
            res.push(ResourceName::EphemeralStorage);
        }
        res.extend(self.extended.keys().map(|k| ResourceName::Extended(k.clone())));
        res
    }

    /// The given amounts as a full vector (absent = 0).
    pub fn to_resources(&self) -> Resources {
        let mut res = Resources::default();
        for n in self.names() {
            res.set(&n, self.get(&n).unwrap_or(0));
        }
        res
    }
}

/// One container of a pod template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Container {
    /// Container name.
    pub name: String,
    /// Requests as written.
    pub requests: PartialResources,
    /// Limits as written.
    pub limits: PartialResources,
    /// True for an init container with `restartPolicy: Always` (a sidecar, Kubernetes ≥ 1.29).
    pub sidecar: bool,
}

/// Per-namespace container defaults from a LimitRange (`type: Container`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerDefaults {
    /// `default`: the limit given to containers without one.
    pub default_limits: PartialResources,
    /// `defaultRequest`: the request given to containers without one (falls back to `default`).
    pub default_requests: PartialResources,
}

impl ContainerDefaults {
    /// True when the defaults give nothing.
    pub fn is_empty(&self) -> bool {
        self.default_limits.is_empty() && self.default_requests.is_empty()
    }

    /// The container as the LimitRange admission plugin leaves it: a missing limit becomes
    /// `default`; a missing request becomes the limit when one was written (the API server's own
    /// defaulting), else `defaultRequest`, else `default`.
    ///
    /// Unlike [`effective_pod`], a defaulted limit below the written request is kept as it is, so
    /// that the caller can report the pod the API server would reject.
    pub fn apply(&self, container: &Container) -> Container {
        let mut names = container.requests.names();
        names.extend(container.limits.names());
        names.extend(self.default_limits.names());
        names.extend(self.default_requests.names());
        names.sort();
        names.dedup();
        let mut res = Container {
            requests: PartialResources::default(),
            limits: PartialResources::default(),
            ..container.clone()
        };
        for n in &names {
            let written_limit = container.limits.get(n);
            let limit = written_limit.or_else(|| self.default_limits.get(n));
            let request = container
                .requests
                .get(n)
                .or(written_limit)
                .or_else(|| self.default_requests.get(n))
                .or_else(|| self.default_limits.get(n));
            if let Some(r) = request {
                res.requests.set(n, r);
            }
            if let Some(l) = limit {
                res.limits.set(n, l);
            }
        }
        res
    }
}

/// A pod's effective requests and limits, and what was noticed computing them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodResources {
    /// Effective requests (with `pods: 1`).
    pub requests: Resources,
    /// Effective limits; a resource without any limit counts its request (see [`effective_pod`]).
    pub limits: Resources,
    /// True when no container requests or limits CPU or memory: a BestEffort pod.
    pub best_effort: bool,
    /// Number of containers (app, init and sidecars), for the cluster limits.
    pub n_containers: u64,
}

/// Computes a pod's effective requests and limits from its containers.
///
/// For the overcommit policy, a container without a limit on a resource counts its request as its
/// limit: an unbounded limit cannot be summed, and the request is what the pod is sure to use.
pub fn effective_pod(
    containers: &[Container],
    init_containers: &[Container],
    pod_overhead: &Resources,
    defaults: Option<&ContainerDefaults>,
) -> PodResources {
    let resolve = |c: &Container| -> (Resources, Resources, bool) {
        let mut names = c.requests.names();
        names.extend(c.limits.names());
        if let Some(d) = defaults {
            names.extend(d.default_limits.names());
            names.extend(d.default_requests.names());
        }
        names.sort();
        names.dedup();
        let mut req = Resources::default();
        let mut lim = Resources::default();
        let mut specified = false;
        for n in &names {
            let (r, l) = match (c.requests.get(n), c.limits.get(n)) {
                (Some(r), Some(l)) => (Some(r), Some(l)),
                (Some(r), None) => {
                    (Some(r), defaults.and_then(|d| d.default_limits.get(n)).map(|l| l.max(r)))
                }
                (None, Some(l)) => (Some(l), Some(l)),
                (None, None) => {
                    let dl = defaults.and_then(|d| d.default_limits.get(n));
                    let dr = defaults.and_then(|d| d.default_requests.get(n)).or(dl);
                    (dr, dl)
                }
            };
            if matches!(n, ResourceName::Cpu | ResourceName::Memory) && (r.is_some() || l.is_some())
            {
                specified = true;
            }
            let r = r.unwrap_or(0);
            req.set(n, r);
            lim.set(n, l.unwrap_or(r).max(r));
        }
        (req, lim, specified)
    };

    let mut app_req = Resources::default();
    let mut app_lim = Resources::default();
    let mut any_specified = false;
    for c in containers {
        let (r, l, s) = resolve(c);
        app_req = app_req.add(&r);
        app_lim = app_lim.add(&l);
        any_specified |= s;
    }
    let mut sidecars_req = Resources::default();
    let mut sidecars_lim = Resources::default();
    let mut init_req_max = Resources::default();
    let mut init_lim_max = Resources::default();
    for c in init_containers {
        let (r, l, s) = resolve(c);
        any_specified |= s;
        if c.sidecar {
            sidecars_req = sidecars_req.add(&r);
            sidecars_lim = sidecars_lim.add(&l);
            init_req_max = init_req_max.component_max(&sidecars_req);
            init_lim_max = init_lim_max.component_max(&sidecars_lim);
        } else {
            init_req_max = init_req_max.component_max(&r.add(&sidecars_req));
            init_lim_max = init_lim_max.component_max(&l.add(&sidecars_lim));
        }
    }
    let mut requests = app_req.add(&sidecars_req).component_max(&init_req_max).add(pod_overhead);
    let mut limits = app_lim.add(&sidecars_lim).component_max(&init_lim_max).add(pod_overhead);
    requests.pods = 1;
    limits.pods = 1;
    PodResources {
        requests,
        limits,
        best_effort: !any_specified,
        n_containers: (containers.len() + init_containers.len()) as u64,
    }
}

/// Topology spread across zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneSpread {
    /// Largest allowed difference between the zone with most and the zone with fewest replicas.
    pub max_skew: u32,
}

/// Horizontal autoscaling bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scalable {
    /// Fewest replicas.
    pub min_replicas: u32,
    /// Most replicas.
    pub max_replicas: u32,
}

/// A workload's identity: namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkloadKey {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl fmt::Display for WorkloadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Restrictions on which nodes a pod may run on (node selectors and required affinity).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// Allowed architectures (empty: any).
    pub arch: Vec<Arch>,
    /// Allowed instance types by name (empty: any).
    pub instance_types: Vec<String>,
    /// Allowed families (empty: any).
    pub families: Vec<String>,
    /// Allowed zones (empty: any).
    pub zones: Vec<String>,
}

impl Placement {
    /// True when nothing is restricted.
    pub fn is_any(&self) -> bool {
        self.arch.is_empty()
            && self.instance_types.is_empty()
            && self.families.is_empty()
            && self.zones.is_empty()
    }
}

/// A set of identical pods to place (a Deployment, StatefulSet, Job, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Kind (`Deployment`, `StatefulSet`, …).
    pub kind: String,
    /// Team that owns it, for cost allocation.
    pub owner: Option<String>,
    /// Labels, for selectors.
    pub labels: BTreeMap<String, String>,
    /// Number of pods.
    pub replicas: u32,
    /// Effective requests and limits of one pod.
    pub pod: PodResources,
    /// May run on spot / preemptible nodes.
    pub spot: bool,
    /// At most this many replicas per node (required anti-affinity on hostname gives 1).
    pub max_per_node: Option<u32>,
    /// Spread across zones.
    pub zone_spread: Option<ZoneSpread>,
    /// Replicas that must stay available (PodDisruptionBudget).
    pub min_available: Option<u32>,
    /// Autoscaling bounds.
    pub scalable: Option<Scalable>,
    /// Node restrictions.
    pub placement: Placement,
    /// Required anti-affinity on hostname across workloads: at most one pod of all the
    /// workloads that name the same group runs on any node.
    pub anti_affinity: Option<String>,
}

impl Workload {
    /// The workload's key.
    pub fn key(&self) -> WorkloadKey {
        WorkloadKey { namespace: self.namespace.clone(), name: self.name.clone() }
    }

    /// A plain workload with flat per-pod requests and limits (limits default to requests).
    pub fn simple(
        name: &str,
        replicas: u32,
        requests: Resources,
        limits: Option<Resources>,
    ) -> Workload {
        let mut requests = requests;
        requests.pods = 1;
        let mut limits = limits.unwrap_or_else(|| requests.clone()).component_max(&requests);
        limits.pods = 1;
        Workload {
            name: name.to_string(),
            namespace: "default".to_string(),
            kind: "Deployment".to_string(),
            owner: None,
            labels: BTreeMap::new(),
            replicas,
            pod: PodResources { requests, limits, best_effort: false, n_containers: 1 },
            spot: false,
            max_per_node: None,
            zone_spread: None,
            min_available: None,
            scalable: None,
            placement: Placement::default(),
            anti_affinity: None,
        }
    }

    /// The BestEffort warning for this workload, if it is one.
    pub fn best_effort_warning(&self) -> Option<Diagnostic> {
        self.pod.best_effort.then(|| {
            Diagnostic::warning(format!(
                "workload {} requests no CPU or memory (BestEffort): it is planned at zero and cannot be sized honestly",
                self.key()
            ))
            .with_hint("set requests on its containers, or a LimitRange with defaultRequest in its namespace")
        })
    }
}

/// Per-node overhead from a DaemonSet: one pod on every node it selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaemonSet {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Effective requests and limits of its pod.
    pub pod: PodResources,
    /// Only on nodes of these architectures (empty: all).
    pub arch: Vec<Arch>,
    /// Only on GPU nodes (`Some(true)`), only on non-GPU nodes (`Some(false)`), or all (`None`).
    pub gpu: Option<bool>,
    /// Only on spot nodes (`Some(true)`), only on non-spot (`Some(false)`), or all (`None`).
    pub spot: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pr(cpu: Option<&str>, mem: Option<&str>) -> PartialResources {
        PartialResources {
            cpu: cpu.map(|c| Cpu::parse(c).unwrap()),
            memory: mem.map(|m| Bytes::parse(m).unwrap()),
            ..PartialResources::default()
        }
    }

    fn c(name: &str, req: PartialResources, lim: PartialResources) -> Container {
        Container { name: name.into(), requests: req, limits: lim, sidecar: false }
    }

    fn check(pod: PodResources, cpu_req: u64, mem_req_mib: u64, cpu_lim: u64, mem_lim_mib: u64) {
        assert_eq!(pod.requests.cpu, Cpu(cpu_req), "cpu request");
        assert_eq!(pod.requests.memory, Bytes::mib(mem_req_mib), "memory request");
        assert_eq!(pod.limits.cpu, Cpu(cpu_lim), "cpu limit");
        assert_eq!(pod.limits.memory, Bytes::mib(mem_lim_mib), "memory limit");
        assert_eq!(pod.requests.pods, 1);
    }

    #[test]
    fn init_container_larger_than_sum_of_app_containers_wins() {
        // The SPEC's orders-db: postgres 2/8Gi + exporter 50m/32Mi, init migrate 1/1Gi.
        let pod = effective_pod(
            &[
                c("postgres", pr(Some("2"), Some("8Gi")), pr(None, Some("8Gi"))),
                c("exporter", pr(Some("50m"), Some("32Mi")), pr(None, None)),
            ],
            &[c("migrate", pr(Some("3"), Some("1Gi")), pr(None, None))],
            &Resources::default(),
            None,
        );
        // CPU: max(2050, 3000) = 3000; memory: max(8224Mi, 1024Mi).
        check(pod, 3000, 8224, 3000, 8224);
    }

    #[test]
    fn limit_only_container_requests_its_limit_and_overhead_adds() {
        let overhead = Resources { cpu: Cpu(250), memory: Bytes::mib(120), ..Resources::default() };
        let pod = effective_pod(
            &[c("app", pr(None, None), pr(Some("500m"), Some("256Mi")))],
            &[],
            &overhead,
            None,
        );
        check(pod.clone(), 750, 376, 750, 376);
        assert!(!pod.best_effort);
    }

    #[test]
    fn no_requests_no_defaults_is_best_effort() {
        let pod = effective_pod(
            &[c("app", pr(None, None), pr(None, None))],
            &[],
            &Resources::default(),
            None,
        );
        assert!(pod.best_effort);
        check(pod, 0, 0, 0, 0);
    }

    #[test]
    fn limit_range_defaults_fill_missing_values() {
        let d = ContainerDefaults {
            default_limits: pr(Some("1"), Some("512Mi")),
            default_requests: pr(Some("100m"), None),
        };
        // No request, no limit: request = defaultRequest (cpu) or default (memory); limit = default.
        let pod = effective_pod(
            &[c("app", pr(None, None), pr(None, None))],
            &[],
            &Resources::default(),
            Some(&d),
        );
        assert!(!pod.best_effort);
        check(pod, 100, 512, 1000, 512);
        // A request but no limit: the limit is the default.
        let pod = effective_pod(
            &[c("app", pr(Some("200m"), None), pr(None, None))],
            &[],
            &Resources::default(),
            Some(&d),
        );
        check(pod, 200, 512, 1000, 512);
    }

    #[test]
    fn applied_defaults_give_the_same_pod_as_defaults_inside_effective_pod() {
        let d = ContainerDefaults {
            default_limits: pr(Some("1"), Some("512Mi")),
            default_requests: pr(Some("100m"), None),
        };
        let cases = [
            c("bare", pr(None, None), pr(None, None)),
            c("req", pr(Some("200m"), None), pr(None, None)),
            c("lim", pr(None, None), pr(Some("500m"), Some("256Mi"))),
            c("both", pr(Some("300m"), Some("128Mi")), pr(Some("2"), Some("1Gi"))),
        ];
        for case in cases {
            let applied = d.apply(&case);
            let direct =
                effective_pod(std::slice::from_ref(&case), &[], &Resources::default(), Some(&d));
            let via =
                effective_pod(std::slice::from_ref(&applied), &[], &Resources::default(), None);
            assert_eq!(direct, via, "{}", case.name);
        }
        // Hand-computed: a bare container gets request 100m/512Mi and limit 1/512Mi.
        let bare = d.apply(&c("bare", pr(None, None), pr(None, None)));
        assert_eq!(bare.requests, pr(Some("100m"), Some("512Mi")));
        assert_eq!(bare.limits, pr(Some("1"), Some("512Mi")));
        // A limit-only container requests its limit, not the default request.
        let lim = d.apply(&c("lim", pr(None, None), pr(Some("500m"), None)));
        assert_eq!(lim.requests, pr(Some("500m"), Some("512Mi")));
    }

    #[test]
    fn sidecars_count_in_the_sum_and_before_later_inits() {
        let mut sidecar = c("proxy", pr(Some("100m"), Some("64Mi")), pr(None, None));
        sidecar.sidecar = true;
        let init_late = c("late", pr(Some("1"), Some("100Mi")), pr(None, None));
        let pod = effective_pod(
            &[c("app", pr(Some("500m"), Some("256Mi")), pr(None, None))],
            &[sidecar, init_late],
            &Resources::default(),
            None,
        );
        // App + sidecar = 600m / 320Mi; late init + sidecar = 1100m / 164Mi.
        check(pod, 1100, 320, 1100, 320);
    }
}
