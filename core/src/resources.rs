//! Resource vectors: CPU, memory, pods, ephemeral storage and extended resources, all integers.

use std::collections::BTreeMap;
use std::fmt;

use crate::quantity::{Bytes, Cpu};

/// The extended resource name of NVIDIA GPUs.
pub const NVIDIA_GPU: &str = "nvidia.com/gpu";

/// True for a GPU's extended resource name (`<vendor>/gpu`, as the device plugins name them).
pub fn is_gpu_resource(name: &str) -> bool {
    name.ends_with("/gpu")
}

/// An amount of every resource the planner tracks.
///
/// A pod's request counts `pods: 1`; a node's allocatable counts its pod capacity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resources {
    /// CPU in millicores.
    pub cpu: Cpu,
    /// Memory in bytes.
    pub memory: Bytes,
    /// Number of pods.
    pub pods: u64,
    /// Ephemeral (node-local) storage in bytes.
    pub ephemeral_storage: Bytes,
    /// Extended resources such as `nvidia.com/gpu`, as whole counts. Zero entries are not stored.
    pub extended: BTreeMap<String, u64>,
}

/// One resource dimension, for messages and per-resource tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceName {
    /// `cpu`.
    Cpu,
    /// `memory`.
    Memory,
    /// `pods`.
    Pods,
    /// `ephemeral-storage`.
    EphemeralStorage,
    /// An extended resource by its Kubernetes name.
    Extended(String),
}

impl fmt::Display for ResourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceName::Cpu => f.write_str("cpu"),
            ResourceName::Memory => f.write_str("memory"),
            ResourceName::Pods => f.write_str("pods"),
            ResourceName::EphemeralStorage => f.write_str("ephemeral-storage"),
            ResourceName::Extended(name) => f.write_str(name),
        }
    }
}

/// How the amount of a resource is written and counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityKind {
    /// Cores or millicores (`cpu`), counted in millicores.
    Cpu,
    /// Bytes (`memory`, `ephemeral-storage`, `hugepages-<size>`).
    Bytes,
    /// Whole counts (`pods`, extended resources).
    Count,
}

/// The prefix of the huge-page resources (`hugepages-2Mi`, `hugepages-1Gi`), counted in bytes.
pub const HUGEPAGES_PREFIX: &str = "hugepages-";

impl ResourceName {
    /// Formats an amount of this resource with its unit (`250m`, `1.5Gi`, `3`).
    pub fn format_amount(&self, amount: u64) -> String {
        match self.kind() {
            QuantityKind::Cpu => Cpu(amount).human(),
            QuantityKind::Bytes => Bytes(amount).human(),
            QuantityKind::Count => amount.to_string(),
        }
    }

    /// How amounts of this resource are written.
    pub fn kind(&self) -> QuantityKind {
        match self {
            ResourceName::Cpu => QuantityKind::Cpu,
            ResourceName::Memory | ResourceName::EphemeralStorage => QuantityKind::Bytes,
            ResourceName::Extended(n) if n.starts_with(HUGEPAGES_PREFIX) => QuantityKind::Bytes,
            ResourceName::Pods | ResourceName::Extended(_) => QuantityKind::Count,
        }
    }

    /// Parses a Kubernetes resource name as a node may offer it and a pod may request it: `cpu`,
    /// `memory`, `pods`, `ephemeral-storage`, `hugepages-<page size>` (such as `hugepages-2Mi`), or
    /// an extended resource `<domain>/<name>` (such as `nvidia.com/gpu` or `example.com/fpga`),
    /// whose domain is a lower-case DNS subdomain outside `kubernetes.io` and whose name is at
    /// most 63 letters, digits, `-`, `_` or `.`, beginning and ending with a letter or digit.
    ///
    /// ```
    /// use kplan_core::resources::ResourceName;
    /// assert_eq!(ResourceName::parse("example.com/fpga"), Ok(ResourceName::Extended("example.com/fpga".into())));
    /// assert!(ResourceName::parse("fpga").unwrap_err().to_string().contains("expected cpu, memory"));
    /// ```
    pub fn parse(text: &str) -> Result<ResourceName, UnknownResource> {
        let name_of = || text.to_string();
        match text {
            "cpu" => return Ok(ResourceName::Cpu),
            "memory" => return Ok(ResourceName::Memory),
            "pods" => return Ok(ResourceName::Pods),
            "ephemeral-storage" | "ephemeral_storage" => return Ok(ResourceName::EphemeralStorage),
            _ => {}
        }
        if let Some(size) = text.strip_prefix(HUGEPAGES_PREFIX) {
            return match Bytes::parse(size) {
                Ok(b) if b.0 > 0 => Ok(ResourceName::Extended(text.to_string())),
                _ => Err(UnknownResource::HugePageSize { name: name_of() }),
            };
        }
        let Some((domain, name)) = text.split_once('/') else {
            return Err(UnknownResource::Unknown { name: name_of() });
        };
        if domain == "kubernetes.io" || domain.ends_with(".kubernetes.io") || domain == "requests" {
            return Err(UnknownResource::ReservedDomain {
                name: name_of(),
                domain: domain.to_string(),
            });
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if domain.len() > 253 || !domain.split('.').all(label_ok) {
            return Err(UnknownResource::BadDomain { name: name_of(), domain: domain.to_string() });
        }
        let name_ok = !name.is_empty()
            && name.len() <= 63
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && name.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
        if !name_ok {
            return Err(UnknownResource::BadName { name: name_of(), short: name.to_string() });
        }
        Ok(ResourceName::Extended(text.to_string()))
    }
}

/// What a valid resource name is, for [`UnknownResource`]'s messages.
const EXPECTED_RESOURCE: &str = "expected cpu, memory, pods, ephemeral-storage, hugepages-<size> (such as hugepages-2Mi) or an extended resource <domain>/<name> (such as nvidia.com/gpu or example.com/fpga)";

/// Why a text is not a resource name ([`ResourceName::parse`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnknownResource {
    /// `hugepages-` without a page size.
    #[error(
        "unknown resource {name:?}: a huge-page resource names its page size, such as hugepages-2Mi or hugepages-1Gi"
    )]
    HugePageSize {
        /// The text.
        name: String,
    },
    /// Neither a standard name nor `<domain>/<name>`.
    #[error("unknown resource {name:?}; {expected}", expected = EXPECTED_RESOURCE)]
    Unknown {
        /// The text.
        name: String,
    },
    /// A domain Kubernetes keeps for its own resources.
    #[error(
        "unknown resource {name:?}: the {domain} domain is reserved for Kubernetes' own resources; {expected}",
        expected = EXPECTED_RESOURCE
    )]
    ReservedDomain {
        /// The text.
        name: String,
        /// Its domain.
        domain: String,
    },
    /// A domain that is not a lower-case DNS subdomain.
    #[error(
        "unknown resource {name:?}: {domain:?} is not a lower-case DNS domain; {expected}",
        expected = EXPECTED_RESOURCE
    )]
    BadDomain {
        /// The text.
        name: String,
        /// Its domain.
        domain: String,
    },
    /// A name part outside the allowed alphabet or length.
    #[error(
        "unknown resource {name:?}: {short:?} is not a resource name (at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit); {expected}",
        expected = EXPECTED_RESOURCE
    )]
    BadName {
        /// The text.
        name: String,
        /// Its part after the domain.
        short: String,
    },
}

impl Resources {
    /// A single pod's worth of nothing but the pod slot.
    pub fn one_pod() -> Resources {
        Resources { pods: 1, ..Resources::default() }
    }

    /// The amount of one resource.
    pub fn get(&self, name: &ResourceName) -> u64 {
        match name {
            ResourceName::Cpu => self.cpu.0,
            ResourceName::Memory => self.memory.0,
            ResourceName::Pods => self.pods,
            ResourceName::EphemeralStorage => self.ephemeral_storage.0,
            ResourceName::Extended(n) => self.extended.get(n).copied().unwrap_or(0),
        }
    }

    /// Sets the amount of one resource (zero removes an extended entry).
    pub fn set(&mut self, name: &ResourceName, amount: u64) {
        match name {
            ResourceName::Cpu => self.cpu = Cpu(amount),
            ResourceName::Memory => self.memory = Bytes(amount),
            ResourceName::Pods => self.pods = amount,
            ResourceName::EphemeralStorage => self.ephemeral_storage = Bytes(amount),
            ResourceName::Extended(n) => {
                if amount == 0 {
                    self.extended.remove(n);
                } else {
                    self.extended.insert(n.clone(), amount);
                }
            }
        }
    }

    /// Every resource named in either vector, in a fixed order (cpu, memory, pods, ephemeral-storage, extended by name).
    pub fn names_with(&self, other: &Resources) -> Vec<ResourceName> {
        let mut res = vec![
            ResourceName::Cpu,
            ResourceName::Memory,
            ResourceName::Pods,
            ResourceName::EphemeralStorage,
        ];
        let mut ext: Vec<&String> = self.extended.keys().chain(other.extended.keys()).collect();
        ext.sort();
        ext.dedup();
        res.extend(ext.into_iter().map(|n| ResourceName::Extended(n.clone())));
        res
    }

    /// Component-wise sum, saturating at `u64::MAX` (which no real cluster reaches).
    pub fn add(&self, other: &Resources) -> Resources {
        self.zip(other, u64::saturating_add)
    }

    /// Component-wise `self - other`, floored at zero.
    pub fn saturating_sub(&self, other: &Resources) -> Resources {
        self.zip(other, u64::saturating_sub)
    }

    /// Component-wise maximum.
    pub fn component_max(&self, other: &Resources) -> Resources {
        self.zip(other, u64::max)
    }

    /// Every component multiplied by `n`, saturating.
    pub fn times(&self, n: u64) -> Resources {
        let mut res = Resources {
            cpu: Cpu(self.cpu.0.saturating_mul(n)),
            memory: Bytes(self.memory.0.saturating_mul(n)),
            pods: self.pods.saturating_mul(n),
            ephemeral_storage: Bytes(self.ephemeral_storage.0.saturating_mul(n)),
            extended: BTreeMap::new(),
        };
        for (k, v) in &self.extended {
            if *v != 0 && n != 0 {
                res.extended.insert(k.clone(), v.saturating_mul(n));
            }
        }
        res
    }

    /// True when every component of `self` is at most the same component of `capacity`.
    pub fn fits_in(&self, capacity: &Resources) -> bool {
        self.cpu <= capacity.cpu
            && self.memory <= capacity.memory
            && self.pods <= capacity.pods
            && self.ephemeral_storage <= capacity.ephemeral_storage
            && self
                .extended
                .iter()
                .all(|(k, v)| *v <= capacity.extended.get(k).copied().unwrap_or(0))
    }

    /// The resources where `self` exceeds `capacity`, with both amounts.
    pub fn excess_over(&self, capacity: &Resources) -> Vec<(ResourceName, u64, u64)> {
        self.names_with(capacity)
            .into_iter()
            .filter_map(|n| {
                let (need, have) = (self.get(&n), capacity.get(&n));
                (need > have).then_some((n, need, have))
            })
            .collect()
    }

    /// True when every component is zero.
    pub fn is_zero(&self) -> bool {
        self.cpu.0 == 0
            && self.memory.0 == 0
            && self.pods == 0
            && self.ephemeral_storage.0 == 0
            && self.extended.values().all(|v| *v == 0)
    }

    /// Each component scaled by a ratio in parts per million, rounded down (`utilization × allocatable`).
    pub fn scale_ppm(&self, ppm: u64) -> Resources {
        let f = |v: u64| {
            ((u128::from(v) * u128::from(ppm)) / 1_000_000).min(u128::from(u64::MAX)) as u64
        };
        let mut res = Resources {
            cpu: Cpu(f(self.cpu.0)),
            memory: Bytes(f(self.memory.0)),
            pods: self.pods,
            ephemeral_storage: Bytes(f(self.ephemeral_storage.0)),
            extended: BTreeMap::new(),
        };
        for (k, v) in &self.extended {
            let scaled = f(*v);
            if scaled != 0 {
                res.extended.insert(k.clone(), scaled);
            }
        }
        res
    }

    /// True when these resources hold a GPU: any extended resource named `<vendor>/gpu`
    /// (`nvidia.com/gpu`, `amd.com/gpu`, …) with a count above zero. The one definition of a pod
    /// that wants a GPU (its requests) and of a GPU node (its capacity).
    pub fn has_gpu(&self) -> bool {
        self.extended.iter().any(|(name, n)| is_gpu_resource(name) && *n > 0)
    }

    /// The huge pages of every page size, in bytes.
    pub fn hugepages(&self) -> Bytes {
        Bytes(
            self.extended
                .iter()
                .filter(|(k, _)| k.starts_with(HUGEPAGES_PREFIX))
                .fold(0u64, |acc, (_, v)| acc.saturating_add(*v)),
        )
    }

    /// The GPU count (`nvidia.com/gpu`).
    pub fn gpus(&self) -> u64 {
        self.extended.get(NVIDIA_GPU).copied().unwrap_or(0)
    }

    fn zip(&self, other: &Resources, f: impl Fn(u64, u64) -> u64) -> Resources {
        let mut extended = BTreeMap::new();
        for k in self.extended.keys().chain(other.extended.keys()) {
            let v = f(
                self.extended.get(k).copied().unwrap_or(0),
                other.extended.get(k).copied().unwrap_or(0),
            );
            if v != 0 {
                extended.insert(k.clone(), v);
            }
        }
        Resources {
            cpu: Cpu(f(self.cpu.0, other.cpu.0)),
            memory: Bytes(f(self.memory.0, other.memory.0)),
            pods: f(self.pods, other.pods),
            ephemeral_storage: Bytes(f(self.ephemeral_storage.0, other.ephemeral_storage.0)),
            extended,
        }
    }
}

impl fmt::Display for Resources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cpu {}, memory {}", self.cpu.human(), self.memory.human())?;
        if self.pods != 0 {
            write!(f, ", pods {}", self.pods)?;
        }
        if self.ephemeral_storage.0 != 0 {
            write!(f, ", ephemeral-storage {}", self.ephemeral_storage.human())?;
        }
        for (k, v) in &self.extended {
            write!(f, ", {k} {}", ResourceName::Extended(k.clone()).format_amount(*v))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(cpu: u64, mem_mib: u64, gpus: u64) -> Resources {
        let mut res = Resources {
            cpu: Cpu(cpu),
            memory: Bytes::mib(mem_mib),
            pods: 1,
            ..Resources::default()
        };
        if gpus > 0 {
            res.extended.insert(NVIDIA_GPU.to_string(), gpus);
        }
        res
    }

    #[test]
    fn fit_checks_every_dimension_including_extended() {
        let node = r(2000, 8192, 0).times(1);
        assert!(r(1000, 1024, 0).fits_in(&node));
        assert!(!r(3000, 1024, 0).fits_in(&node));
        assert!(!r(100, 1024, 1).fits_in(&node));
        let excess = r(100, 9000, 1).excess_over(&node);
        assert_eq!(
            excess.iter().map(|e| e.0.to_string()).collect::<Vec<_>>(),
            ["memory", "nvidia.com/gpu"]
        );
    }

    #[test]
    fn resource_names_follow_the_kubernetes_syntax() {
        let ok = |t: &str| ResourceName::parse(t).map(|n| n.to_string());
        for name in [
            "cpu",
            "memory",
            "pods",
            "ephemeral-storage",
            "hugepages-2Mi",
            "hugepages-1Gi",
            "nvidia.com/gpu",
            "amd.com/gpu",
            "example.com/fpga",
            "smarter-devices/fuse",
            "xilinx.com/fpga-xilinx_u250_gen3x16_xdma_shell_3_1",
        ] {
            assert_eq!(ok(name).as_deref(), Ok(name));
        }
        for (bad, why) in [
            ("fpga", "expected cpu, memory"),
            ("hugepages-2Mb", "page size"),
            ("hugepages-", "page size"),
            ("kubernetes.io/gpu", "reserved"),
            ("Example.com/fpga", "DNS domain"),
            ("example.com/", "not a resource name"),
            ("example.com/-fpga", "not a resource name"),
            ("example..com/fpga", "DNS domain"),
        ] {
            let err = ok(bad).unwrap_err().to_string();
            assert!(err.contains(why) && err.contains(bad), "{bad}: {err}");
        }
        assert_eq!(ResourceName::Extended("hugepages-2Mi".into()).kind(), QuantityKind::Bytes);
        assert_eq!(ResourceName::Extended("example.com/fpga".into()).kind(), QuantityKind::Count);
    }

    #[test]
    fn arithmetic_keeps_zero_extended_out() {
        let a = r(100, 10, 1);
        let d = a.saturating_sub(&a);
        assert!(d.is_zero());
        assert!(d.extended.is_empty());
        assert_eq!(a.times(3).gpus(), 3);
        assert_eq!(r(1000, 1000, 0).scale_ppm(850_000).cpu, Cpu(850));
    }
}
