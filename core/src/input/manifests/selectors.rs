//! Node selection: the node labels the planner understands (arch, zone, instance type, spot, GPU), label selectors, and what a pod's node selector and affinity terms ask for.

use super::*;

pub(in crate::input) const ARCH_KEYS: &[&str] = &["kubernetes.io/arch", "beta.kubernetes.io/arch"];
pub(in crate::input) const ZONE_KEYS: &[&str] =
    &["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"];
pub(super) const HOSTNAME_KEY: &str = "kubernetes.io/hostname";
pub(in crate::input) const TYPE_KEYS: &[&str] =
    &["node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"];
pub(super) const FAMILY_KEYS: &[&str] =
    &["karpenter.k8s.aws/instance-family", "cloud.google.com/machine-family"];
pub(super) const OS_KEYS: &[&str] = &["kubernetes.io/os", "beta.kubernetes.io/os"];
pub(super) const GPU_KEYS: &[&str] = &[
    "nvidia.com/gpu",
    "nvidia.com/gpu.present",
    "nvidia.com/gpu.product",
    "cloud.google.com/gke-accelerator",
    "k8s.amazonaws.com/accelerator",
    "karpenter.k8s.aws/instance-gpu-name",
    "karpenter.k8s.aws/instance-gpu-count",
    "kubernetes.azure.com/accelerator",
    "accelerator",
];

/// GPU labels that name a model: the planner does not pick GPU models by label.
pub(super) const GPU_MODEL_KEYS: &[&str] = &[
    "nvidia.com/gpu.product",
    "cloud.google.com/gke-accelerator",
    "k8s.amazonaws.com/accelerator",
    "karpenter.k8s.aws/instance-gpu-name",
    "kubernetes.azure.com/accelerator",
    "accelerator",
];

/// Spot labels and taints of the field: (key, values meaning spot, values meaning on-demand,
/// whether the label exists only on spot nodes).
pub(super) const SPOT_KEYS: &[(&str, &[&str], &[&str], bool)] = &[
    ("cloud.google.com/gke-spot", &["true"], &["false"], true),
    ("cloud.google.com/gke-preemptible", &["true"], &["false"], true),
    ("eks.amazonaws.com/capacityType", &["SPOT"], &["ON_DEMAND", "CAPACITY_BLOCK"], false),
    ("karpenter.sh/capacity-type", &["spot"], &["on-demand", "reserved"], false),
    ("kubernetes.azure.com/scalesetpriority", &["spot"], &["regular"], false),
];

pub(super) fn spot_key(
    key: &str,
) -> Option<&'static (&'static str, &'static [&'static str], &'static [&'static str], bool)> {
    SPOT_KEYS.iter().find(|(k, ..)| *k == key)
}

/// What a pod may or must run on, as far as spot goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SpotReq {
    Any,
    Require,
    Forbid,
}

/// The node restrictions of one selector term (or of a whole pod, once combined).
#[derive(Clone, Debug)]
pub(super) struct NodeReq {
    pub(super) arch: Option<BTreeSet<Arch>>,
    pub(super) zones: Option<BTreeSet<String>>,
    pub(super) types: Option<BTreeSet<String>>,
    pub(super) families: Option<BTreeSet<String>>,
    pub(super) spot: SpotReq,
    pub(super) gpu: Option<bool>,
    pub(super) unresolved: Vec<String>,
}

pub(super) fn any_req() -> NodeReq {
    NodeReq {
        arch: None,
        zones: None,
        types: None,
        families: None,
        spot: SpotReq::Any,
        gpu: None,
        unresolved: Vec::new(),
    }
}

pub(super) fn and_set<T: Ord + Clone>(
    a: Option<BTreeSet<T>>,
    b: Option<BTreeSet<T>>,
) -> Option<BTreeSet<T>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
    }
}

pub(super) fn or_set<T: Ord>(
    a: Option<BTreeSet<T>>,
    b: Option<BTreeSet<T>>,
) -> Option<BTreeSet<T>> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            a.extend(b);
            Some(a)
        }
        _ => None,
    }
}

impl NodeReq {
    /// The workload's placement: the architectures, instance types, families and zones this
    /// requirement allows (each sorted; empty for no restriction).
    pub(super) fn placement(&self) -> Placement {
        let sorted = |s: &Option<BTreeSet<String>>| s.iter().flatten().cloned().collect::<Vec<_>>();
        Placement {
            arch: self.arch.iter().flatten().copied().collect(),
            instance_types: sorted(&self.types),
            families: sorted(&self.families),
            zones: sorted(&self.zones),
        }
    }

    pub(super) fn and(self, o: NodeReq) -> NodeReq {
        let mut unresolved = self.unresolved;
        unresolved.extend(o.unresolved);
        NodeReq {
            arch: and_set(self.arch, o.arch),
            zones: and_set(self.zones, o.zones),
            types: and_set(self.types, o.types),
            families: and_set(self.families, o.families),
            spot: match (self.spot, o.spot) {
                (SpotReq::Any, x) | (x, SpotReq::Any) => x,
                (SpotReq::Forbid, _) | (_, SpotReq::Forbid) => SpotReq::Forbid,
                _ => SpotReq::Require,
            },
            gpu: self.gpu.or(o.gpu),
            unresolved,
        }
    }

    pub(super) fn or(self, o: NodeReq) -> NodeReq {
        let mut unresolved = self.unresolved;
        unresolved.extend(o.unresolved);
        NodeReq {
            arch: or_set(self.arch, o.arch),
            zones: or_set(self.zones, o.zones),
            types: or_set(self.types, o.types),
            families: or_set(self.families, o.families),
            spot: if self.spot == o.spot { self.spot } else { SpotReq::Any },
            gpu: if self.gpu == o.gpu { self.gpu } else { None },
            unresolved,
        }
    }
}

/// One `key operator values` requirement.
pub(super) struct Expr {
    pub(super) key: String,
    pub(super) op: String,
    pub(super) values: Vec<String>,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.values.is_empty() {
            write!(f, "{} {}", self.key, self.op)
        } else {
            write!(f, "{} {} [{}]", self.key, self.op, self.values.join(", "))
        }
    }
}

/// A label selector (`matchLabels` and `matchExpressions`).
#[derive(Default)]
pub(super) struct Selector {
    pub(super) labels: BTreeMap<String, String>,
    pub(super) exprs: Vec<Expr>,
}

impl Selector {
    pub(super) fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.exprs.iter().all(|e| {
                let have = labels.get(&e.key);
                match e.op.as_str() {
                    "In" => have.is_some_and(|v| e.values.contains(v)),
                    "NotIn" => have.is_none_or(|v| !e.values.contains(v)),
                    "Exists" => have.is_some(),
                    "DoesNotExist" => have.is_none(),
                    _ => false,
                }
            })
    }
}

pub(super) fn term_req(exprs: &[Expr], bad_arch: &mut Vec<String>) -> NodeReq {
    let mut req = any_req();
    for e in exprs {
        let key = e.key.as_str();
        let vals: BTreeSet<String> = e.values.iter().cloned().collect();
        let mut one = any_req();
        if ARCH_KEYS.contains(&key) {
            let mut set = BTreeSet::new();
            for v in &e.values {
                match v.parse::<Arch>() {
                    Ok(a) => {
                        set.insert(a);
                    }
                    Err(_) if e.op == "In" => bad_arch.push(v.clone()),
                    Err(_) => {}
                }
            }
            one.arch = match e.op.as_str() {
                "In" => Some(set),
                "NotIn" => Some(
                    [Arch::Amd64, Arch::Arm64].into_iter().filter(|a| !set.contains(a)).collect(),
                ),
                "Exists" => None,
                "DoesNotExist" => Some(BTreeSet::new()),
                _ => {
                    one.unresolved.push(e.to_string());
                    None
                }
            };
        } else if ZONE_KEYS.contains(&key) && e.op == "In" {
            one.zones = Some(vals);
        } else if TYPE_KEYS.contains(&key) && e.op == "In" {
            one.types = Some(vals);
        } else if FAMILY_KEYS.contains(&key) && e.op == "In" {
            one.families = Some(vals);
        } else if OS_KEYS.contains(&key) {
            let linux = e.values.iter().any(|v| v == "linux");
            let ok = match e.op.as_str() {
                "In" => linux,
                "NotIn" => !linux,
                "Exists" => true,
                _ => false,
            };
            if !ok {
                one.unresolved.push(e.to_string());
            }
        } else if let Some((_, spot_vals, od_vals, only_on_spot)) = spot_key(key) {
            let is_spot = |v: &String| spot_vals.iter().any(|s| s.eq_ignore_ascii_case(v));
            let is_od = |v: &String| od_vals.iter().any(|s| s.eq_ignore_ascii_case(v));
            one.spot = match e.op.as_str() {
                "In" if !e.values.is_empty() && e.values.iter().all(is_spot) => SpotReq::Require,
                "In" if e.values.iter().all(is_od) => SpotReq::Forbid,
                "NotIn" if e.values.iter().any(is_spot) => SpotReq::Forbid,
                "DoesNotExist" => SpotReq::Forbid,
                "Exists" if *only_on_spot => SpotReq::Require,
                _ => SpotReq::Any,
            };
        } else if GPU_KEYS.contains(&key) {
            if GPU_MODEL_KEYS.contains(&key) && e.op == "In" {
                one.unresolved.push(format!("{e} (a GPU model)"));
            }
            let falsy = |v: &String| v == "false" || v == "0";
            one.gpu = match e.op.as_str() {
                "In" if e.values.iter().all(falsy) => Some(false),
                "In" | "Exists" | "Gt" => Some(true),
                "DoesNotExist" => Some(false),
                _ => None,
            };
        } else {
            one.unresolved.push(e.to_string());
        }
        req = req.and(one);
    }
    req
}

/// True when a toleration lets a pod onto the spot nodes of some provider.
pub(super) fn tolerates_spot(key: Option<&str>, op: &str, value: Option<&str>) -> bool {
    match key {
        None | Some("") => op == "Exists",
        Some(k) => spot_key(k).is_some_and(|(_, spot_vals, _, _)| {
            op == "Exists"
                || value.is_none_or(|v| {
                    v.is_empty() || spot_vals.iter().any(|s| s.eq_ignore_ascii_case(v))
                })
        }),
    }
}
