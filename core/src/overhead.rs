//! Node allocatable per provider profile (GKE, EKS, AKS, kubeadm, none, custom), by each provider's published formula.
//!
//! `allocatable = capacity − kube-reserved − system-reserved − hard eviction threshold`, per
//! resource (Kubernetes "Reserve Compute Resources for System Daemons"). The managed services
//! put everything into kube-reserved plus a hard eviction threshold. The formulas and their
//! sources are in `shared/docs/node-overhead.md`; each function below names its own.
//!
//! Rounding always favours the reservation: a fractional millicore or byte reserved rounds up,
//! so allocatable never overstates what the kubelet will report. All arithmetic saturates.
//!
//! Assumptions, stated because providers leave them to the operator:
//! - Node disk (ephemeral-storage capacity): GKE 100 GB boot disk (the `gcloud` default),
//!   EKS 20 GiB root volume (managed node group and Karpenter default), AKS 128 GiB OS disk,
//!   kubeadm and none 100 GiB. Bundled local SSDs are not added. A custom profile sets its own.
//! - Ephemeral-storage reservations are modelled for EKS only (1 GiB kube-reserved plus the
//!   `nodefs.available` 10% eviction threshold); the other profiles reserve memory and CPU only.
//! - EKS: Karpenter's additional 7.5% VM memory overhead estimate is not subtracted (nodeadm
//!   does not apply it; the instance's advertised memory is the capacity). The Karpenter
//!   baseline can pack against that estimate instead ([`OverheadProfile::KarpenterAws`]).

use std::fmt;
use std::str::FromStr;

use crate::catalog::{InstanceType, Provider};
use crate::quantity::{Bytes, Cpu};
use crate::resources::{NVIDIA_GPU, Resources};

/// The extended resource name of AMD GPUs.
pub const AMD_GPU: &str = "amd.com/gpu";

/// The kubelet's default `maxPods` (KubeletConfiguration), used wherever nothing else applies.
pub const DEFAULT_MAX_PODS: u32 = 110;

/// A default GKE node boot disk: 100 GB.
pub const GKE_BOOT_DISK: Bytes = Bytes(100_000_000_000);
/// A default EKS node root volume (managed node groups, Karpenter): 20 GiB.
pub const EKS_ROOT_VOLUME: Bytes = Bytes(20 << 30);
/// A default AKS node OS disk: 128 GiB.
pub const AKS_OS_DISK: Bytes = Bytes(128 << 30);
/// The disk assumed for kubeadm, none and custom profiles without their own: 100 GiB.
pub const DEFAULT_NODE_DISK: Bytes = Bytes(100 << 30);

/// The hard eviction threshold `memory.available` of GKE, EKS, AKS (1.29+) and kubeadm: 100 MiB.
const MEMORY_EVICTION: Bytes = Bytes(100 << 20);

/// How a provider turns a machine's capacity into node allocatable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverheadProfile {
    /// GKE Standard node pools ("Plan GKE Standard node sizes": tiered memory and CPU).
    Gke,
    /// EKS with AL2023 nodeadm or Karpenter (11 MiB per pod + 255 MiB; ENI-limited max pods).
    Eks,
    /// AKS 1.29 and later (CPU table; memory min(20 MiB × max pods + 50 MiB, 25%)).
    Aks,
    /// A plain kubeadm node: only the kubelet's 100 MiB memory eviction threshold.
    Kubeadm,
    /// No overhead at all: allocatable equals capacity.
    None,
    /// The operator's own amounts.
    Custom(CustomOverhead),
    /// Karpenter's AWS provider estimate of allocatable (aws/karpenter-provider-aws
    /// `pkg/providers/instancetype/types.go`: `memory` less `vmMemoryOverheadPercent` 0.075 and,
    /// on arm64, 64 MiB; `kubeReservedResources`; `evictionThreshold`; ENI-limited `pods`).
    /// Used by the Karpenter baseline; not a scenario spelling.
    KarpenterAws,
}

/// A custom overhead profile: fixed amounts reserved on every node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomOverhead {
    /// Reserved for Kubernetes daemons (kubelet, container runtime).
    pub kube_reserved: Resources,
    /// Reserved for the operating system.
    pub system_reserved: Resources,
    /// Hard eviction thresholds.
    pub eviction: Resources,
    /// Max pods per node; 110 when not given.
    pub max_pods: Option<u32>,
    /// Node disk (ephemeral-storage capacity); 100 GiB when not given.
    pub disk: Option<Bytes>,
}

/// An overhead profile name that is not one of the built-in ones.
///
/// ```
/// use kplan_core::overhead::OverheadProfile;
/// let err = OverheadProfile::parse_name("gcp").unwrap_err();
/// assert!(err.to_string().starts_with("unknown overhead profile \"gcp\""));
/// assert_eq!(OverheadProfile::parse_name("eks"), Ok(OverheadProfile::Eks));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown overhead profile {name:?}; expected one of gke, eks, aks, kubeadm, none (a custom profile is given by its amounts)"
)]
pub struct UnknownProfile {
    /// The name as given.
    pub name: String,
}

impl OverheadProfile {
    /// The profile of a provider's managed Kubernetes; `custom` clusters get `kubeadm`.
    pub fn default_for(provider: Provider) -> OverheadProfile {
        match provider {
            Provider::Aws => OverheadProfile::Eks,
            Provider::Gcp => OverheadProfile::Gke,
            Provider::Azure => OverheadProfile::Aks,
            Provider::Custom => OverheadProfile::Kubeadm,
        }
    }

    /// The scenario spelling (`gke`, `eks`, `aks`, `kubeadm`, `none`, `custom`).
    pub fn name(&self) -> &'static str {
        match self {
            OverheadProfile::Gke => "gke",
            OverheadProfile::Eks => "eks",
            OverheadProfile::Aks => "aks",
            OverheadProfile::Kubeadm => "kubeadm",
            OverheadProfile::None => "none",
            OverheadProfile::Custom(_) => "custom",
            OverheadProfile::KarpenterAws => "karpenter-aws",
        }
    }

    /// Parses a built-in profile name; `custom` needs amounts, so it is not accepted here.
    pub fn parse_name(name: &str) -> Result<OverheadProfile, UnknownProfile> {
        match name {
            "gke" => Ok(OverheadProfile::Gke),
            "eks" => Ok(OverheadProfile::Eks),
            "aks" => Ok(OverheadProfile::Aks),
            "kubeadm" => Ok(OverheadProfile::Kubeadm),
            "none" => Ok(OverheadProfile::None),
            _ => Err(UnknownProfile { name: name.to_string() }),
        }
    }

    /// The node disk assumed by this profile (see the module documentation).
    pub fn default_disk(&self) -> Bytes {
        match self {
            OverheadProfile::Gke => GKE_BOOT_DISK,
            OverheadProfile::Eks | OverheadProfile::KarpenterAws => EKS_ROOT_VOLUME,
            OverheadProfile::Aks => AKS_OS_DISK,
            OverheadProfile::Kubeadm | OverheadProfile::None => DEFAULT_NODE_DISK,
            OverheadProfile::Custom(c) => c.disk.unwrap_or(DEFAULT_NODE_DISK),
        }
    }
}

impl fmt::Display for OverheadProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OverheadProfile {
    type Err = UnknownProfile;
    fn from_str(s: &str) -> Result<OverheadProfile, UnknownProfile> {
        OverheadProfile::parse_name(s)
    }
}

/// A node's capacity, what the profile reserves, and what is left for pods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeCapacity {
    /// What the machine has: CPU, memory, pods (max pods), node disk, GPUs.
    pub capacity: Resources,
    /// Reserved for Kubernetes daemons.
    pub kube_reserved: Resources,
    /// Reserved for the operating system.
    pub system_reserved: Resources,
    /// Hard eviction thresholds.
    pub eviction: Resources,
    /// What pods can request: capacity minus the three reservations (and, for burstable types,
    /// CPU capped at the published baseline).
    pub allocatable: Resources,
    /// The max pods per node used.
    pub max_pods: u64,
    /// Assumptions and caps worth showing, as sentences.
    pub notes: Vec<String>,
}

/// The node allocatable of an instance type under a profile.
///
/// Max pods: `max_pods_override` when given; otherwise EKS uses the type's ENI limit
/// ([`InstanceType::max_pods`], ENIs × (IPv4 addresses per ENI − 1) + 2) or 110 when unknown;
/// AKS uses 110, the kubenet default (Azure CNI Overlay defaults to 250 and Azure CNI with
/// node-subnet networking to 30; pass an override for those); GKE, kubeadm and none use 110;
/// a custom profile uses its own value or 110. A custom instance type's own `max_pods` wins over the profile.
pub fn node_capacity(
    profile: &OverheadProfile,
    it: &InstanceType,
    max_pods_override: Option<u32>,
) -> NodeCapacity {
    let mut notes = Vec::new();
    let max_pods = match (max_pods_override, profile) {
        (Some(n), _) => n,
        // A scenario's own instance type states its pod capacity itself.
        (None, _) if it.provider == Provider::Custom && it.max_pods.is_some() => {
            it.max_pods.unwrap_or(DEFAULT_MAX_PODS)
        }
        // So does a catalog type whose override declares `pods`.
        (None, _) if it.declared.pods > 0 => u32::try_from(it.declared.pods).unwrap_or(u32::MAX),
        (None, OverheadProfile::Eks | OverheadProfile::KarpenterAws) => {
            it.max_pods.unwrap_or_else(|| {
                notes.push(format!(
                "{} has no published ENI limit; max pods is the kubelet default {DEFAULT_MAX_PODS}",
                it.name
            ));
                DEFAULT_MAX_PODS
            })
        }
        (None, OverheadProfile::Custom(c)) => c.max_pods.unwrap_or(DEFAULT_MAX_PODS),
        (None, _) => DEFAULT_MAX_PODS,
    };
    // A declared disk is the node's disk; otherwise the profile's default root volume.
    let disk = if it.declared.ephemeral_storage.0 > 0 {
        it.declared.ephemeral_storage
    } else {
        profile.default_disk()
    };
    let mut capacity = Resources {
        cpu: it.cpu,
        memory: it.memory,
        pods: u64::from(max_pods),
        ephemeral_storage: disk,
        ..Resources::default()
    };
    if it.gpus > 0 && !it.declares_gpus() {
        capacity
            .extended
            .insert(gpu_resource_name(it.gpu_model.as_deref()).to_string(), u64::from(it.gpus));
    }
    for (name, amount) in &it.declared.extended {
        if *amount > 0 {
            capacity.extended.insert(name.clone(), *amount);
        }
    }

    let mut kube_reserved = Resources::default();
    let mut system_reserved = Resources::default();
    let mut eviction = Resources::default();
    match profile {
        OverheadProfile::Gke => {
            kube_reserved.cpu = tiered_cpu_reserved(it.cpu);
            kube_reserved.memory = gke_memory_reserved(it.memory);
            eviction.memory = MEMORY_EVICTION;
        }
        OverheadProfile::Eks => {
            kube_reserved.cpu = tiered_cpu_reserved(it.cpu);
            kube_reserved.memory = eks_memory_reserved(max_pods);
            kube_reserved.ephemeral_storage = Bytes::gib(1);
            eviction.memory = MEMORY_EVICTION;
            eviction.ephemeral_storage = Bytes(disk.0.div_ceil(10));
        }
        OverheadProfile::Aks => {
            kube_reserved.cpu = aks_cpu_reserved(it.cpu);
            kube_reserved.memory = aks_memory_reserved(it.memory, max_pods);
            eviction.memory = MEMORY_EVICTION;
        }
        OverheadProfile::KarpenterAws => {
            // Karpenter reports less memory capacity than the instance has, then reserves from it.
            let vm_overhead = karpenter_vm_memory_overhead(it);
            if vm_overhead.0 > 0 {
                notes.push(format!(
                    "Karpenter's AWS estimate takes {} off {}'s memory (vmMemoryOverheadPercent 0.075{})",
                    vm_overhead,
                    it.name,
                    if it.arch == crate::catalog::Arch::Arm64 { ", and 64 MiB on arm64" } else { "" }
                ));
            }
            capacity.memory = Bytes(capacity.memory.0.saturating_sub(vm_overhead.0));
            kube_reserved.cpu = karpenter_cpu_reserved(it.cpu);
            kube_reserved.memory = eks_memory_reserved(max_pods);
            kube_reserved.ephemeral_storage = Bytes::gib(1);
            eviction.memory = MEMORY_EVICTION;
            eviction.ephemeral_storage = Bytes(disk.0.div_ceil(10));
        }
        OverheadProfile::Kubeadm => eviction.memory = MEMORY_EVICTION,
        OverheadProfile::None => {}
        OverheadProfile::Custom(c) => {
            kube_reserved = c.kube_reserved.clone();
            system_reserved = c.system_reserved.clone();
            eviction = c.eviction.clone();
        }
    }

    let mut allocatable = capacity
        .saturating_sub(&kube_reserved)
        .saturating_sub(&system_reserved)
        .saturating_sub(&eviction);
    // Pre-allocated huge pages are not memory pods can request (the kubelet takes them out of
    // allocatable memory).
    let hugepages = capacity.hugepages();
    if hugepages.0 > 0 {
        allocatable.memory = Bytes(allocatable.memory.0.saturating_sub(hugepages.0));
        notes.push(format!(
            "{} of {}'s memory is pre-allocated as huge pages and left out of allocatable memory",
            hugepages, it.name
        ));
    }
    if let Some(baseline) = &it.burstable_baseline {
        if baseline.cpu < allocatable.cpu {
            notes.push(format!(
                "allocatable CPU capped at the published burstable baseline of {} (from {}): {}",
                baseline.cpu, allocatable.cpu, baseline.source
            ));
            allocatable.cpu = baseline.cpu;
        } else {
            notes.push(format!(
                "burstable baseline {} does not bind below allocatable CPU {}: {}",
                baseline.cpu, allocatable.cpu, baseline.source
            ));
        }
    }
    for (resource, have, left) in [
        ("CPU", capacity.cpu.0, allocatable.cpu.0),
        ("memory", capacity.memory.0, allocatable.memory.0),
        ("ephemeral storage", capacity.ephemeral_storage.0, allocatable.ephemeral_storage.0),
    ] {
        if have > 0 && left == 0 {
            notes.push(format!(
                "the {} reservations take all of {}'s {resource}",
                profile.name(),
                it.name
            ));
        }
    }
    NodeCapacity {
        capacity,
        kube_reserved,
        system_reserved,
        eviction,
        allocatable,
        max_pods: u64::from(max_pods),
        notes,
    }
}

/// The EKS VPC CNI pod limit without prefix delegation: ENIs × (IPv4 addresses per ENI − 1) + 2
/// (`amazon-eks-ami` nodeadm `eni_max_pods.go`; the two are host-network pods).
pub fn eni_max_pods(enis: u32, ipv4_addresses_per_eni: u32) -> u32 {
    enis.saturating_mul(ipv4_addresses_per_eni.saturating_sub(1)).saturating_add(2)
}

/// The extended resource a GPU model is scheduled as: AMD models (Radeon, Instinct `MI…`)
/// are `amd.com/gpu`; NVIDIA and unknown models are `nvidia.com/gpu`.
pub fn gpu_resource_name(model: Option<&str>) -> &'static str {
    let Some(model) = model else {
        return NVIDIA_GPU;
    };
    let lower = model.to_ascii_lowercase();
    let instinct =
        lower.strip_prefix("mi").is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    if lower.contains("amd") || lower.contains("radeon") || instinct { AMD_GPU } else { NVIDIA_GPU }
}

/// `amount × numerator / denominator`, rounded up, saturating.
fn share_ceil(amount: u64, numerator: u64, denominator: u64) -> u64 {
    let v = (u128::from(amount) * u128::from(numerator)).div_ceil(u128::from(denominator.max(1)));
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// Sums `rate` parts per `per` of each band `[from, to)` of `amount`, rounding the total up.
fn banded_ceil(amount: u64, bands: &[(u64, u64, u64)], per: u64) -> u64 {
    let total: u128 = bands
        .iter()
        .map(|&(from, to, rate)| u128::from(amount.min(to).saturating_sub(from)) * u128::from(rate))
        .sum();
    u64::try_from(total.div_ceil(u128::from(per))).unwrap_or(u64::MAX)
}

/// GKE and EKS kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of cores 3-4,
/// 0.25% of every core above 4 (GKE "Plan GKE Standard node sizes"; nodeadm
/// `getCPUMillicoresToReserve` with 600/100/50/25 basis points).
fn tiered_cpu_reserved(cpu: Cpu) -> Cpu {
    Cpu(banded_ceil(
        cpu.0,
        &[(0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50), (4000, u64::MAX, 25)],
        10_000,
    ))
}

/// Karpenter's kube-reserved CPU (`kubeReservedResources`): the same bands as
/// [`tiered_cpu_reserved`], each band's share truncated to whole millicores.
fn karpenter_cpu_reserved(cpu: Cpu) -> Cpu {
    let bands: [(u64, u64, u64); 4] =
        [(0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50), (4000, u64::MAX, 25)];
    Cpu(bands
        .iter()
        .map(|&(from, to, rate)| {
            let r = u128::from(cpu.0.min(to).saturating_sub(from));
            u64::try_from(r * u128::from(rate) / 10_000).unwrap_or(u64::MAX)
        })
        .fold(0u64, u64::saturating_add))
}

/// The memory Karpenter's AWS provider does not count as capacity: 64 MiB on arm64, then
/// `vmMemoryOverheadPercent` (0.075) of what is left, rounded up to the MiB (`memory`).
fn karpenter_vm_memory_overhead(it: &InstanceType) -> Bytes {
    const MIB: u64 = 1 << 20;
    let arm = if it.arch == crate::catalog::Arch::Arm64 { 64 } else { 0 };
    let mib = (it.memory.0 / MIB).saturating_sub(arm);
    let vm = (u128::from(mib) * 75).div_ceil(1000);
    let reported = mib.saturating_sub(u64::try_from(vm).unwrap_or(u64::MAX));
    Bytes(it.memory.0.saturating_sub(reported.saturating_mul(MIB)))
}

/// GKE kube-reserved memory: 255 MiB below 1 GiB; otherwise 25% of the first 4 GiB, 20% of the
/// next 4, 10% of the next 8, 6% of the next 112 and 2% above 128 GiB.
fn gke_memory_reserved(memory: Bytes) -> Bytes {
    const GIB: u64 = 1 << 30;
    if memory.0 < GIB {
        return Bytes::mib(255);
    }
    Bytes(banded_ceil(
        memory.0,
        &[
            (0, 4 * GIB, 25),
            (4 * GIB, 8 * GIB, 20),
            (8 * GIB, 16 * GIB, 10),
            (16 * GIB, 128 * GIB, 6),
            (128 * GIB, u64::MAX, 2),
        ],
        100,
    ))
}

/// EKS kube-reserved memory: 11 MiB × max pods + 255 MiB (nodeadm `getMemoryMebibytesToReserve`).
fn eks_memory_reserved(max_pods: u32) -> Bytes {
    mib_saturating(11u64.saturating_mul(u64::from(max_pods)).saturating_add(255))
}

/// `n` MiB, saturating instead of losing high bits.
fn mib_saturating(n: u64) -> Bytes {
    Bytes(n.saturating_mul(1 << 20))
}

/// AKS kube-reserved CPU from the published table (1 core 60m, 2 → 100m, 4 → 140m, 8 → 180m,
/// 16 → 260m, 32 → 420m, 64 → 740m), linear between its points. Above 4 cores every point lies
/// on 140m + 10m per further core, so that slope also extends the table beyond 64 cores; below
/// one core it is 60m per core.
fn aks_cpu_reserved(cpu: Cpu) -> Cpu {
    let c = cpu.0;
    Cpu(match c {
        0..=1000 => share_ceil(c, 60, 1000),
        1001..=2000 => 60 + share_ceil(c - 1000, 40, 1000),
        2001..=4000 => 100 + share_ceil(c - 2000, 20, 1000),
        _ => 140u64.saturating_add(share_ceil(c - 4000, 10, 1000)),
    })
}

/// AKS (1.29+) kube-reserved memory: the lesser of 20 MiB × max pods + 50 MiB and 25% of the
/// memory. Microsoft's page writes "MB"; we read it as MiB, as the kubelet flags are set.
fn aks_memory_reserved(memory: Bytes, max_pods: u32) -> Bytes {
    let per_pod = mib_saturating(20u64.saturating_mul(u64::from(max_pods)).saturating_add(50));
    Bytes(per_pod.0.min(share_ceil(memory.0, 25, 100)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::catalog::{Arch, BurstableBaseline, Category, builtin};

    fn instance(name: &str, cpu_millis: u64, memory: Bytes) -> InstanceType {
        InstanceType {
            provider: Provider::Custom,
            name: name.to_string(),
            family: "test".to_string(),
            family_aliases: Vec::new(),
            category: Category::General,
            cpu: Cpu(cpu_millis),
            memory,
            gpus: 0,
            gpu_model: None,
            arch: Arch::Amd64,
            max_pods: None,
            local_storage: None,
            burstable_baseline: None,
            declared: crate::resources::Resources::default(),
            regions: BTreeMap::new(),
        }
    }

    fn catalog_type(provider: Provider, name: &str) -> &'static InstanceType {
        builtin::catalog(provider)
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the {provider} catalog"))
    }

    /// Exact compact form: `cpu memory pods ephemeral-storage [gpu…]`, zero parts left out.
    fn show(r: &Resources) -> String {
        let mut parts = Vec::new();
        if r.cpu.0 != 0 {
            parts.push(format!("cpu={}m", r.cpu.0));
        }
        if r.memory.0 != 0 {
            parts.push(format!("mem={}", r.memory));
        }
        if r.pods != 0 {
            parts.push(format!("pods={}", r.pods));
        }
        if r.ephemeral_storage.0 != 0 {
            parts.push(format!("disk={}", r.ephemeral_storage));
        }
        parts.extend(r.extended.iter().map(|(k, v)| format!("{k}={v}")));
        if parts.is_empty() { "-".to_string() } else { parts.join(" ") }
    }

    /// Compares `kube | system | eviction | allocatable` in the exact compact form.
    fn check(
        profile: &OverheadProfile,
        it: &InstanceType,
        max_pods_override: Option<u32>,
        expect: &str,
    ) {
        let n = node_capacity(profile, it, max_pods_override);
        let got = format!(
            "kube {} | system {} | evict {} | alloc {}",
            show(&n.kube_reserved),
            show(&n.system_reserved),
            show(&n.eviction),
            show(&n.allocatable)
        );
        assert_eq!(got, expect, "{} on {}", profile.name(), it.name);
        assert_eq!(n.allocatable.pods, n.max_pods);
    }

    #[test]
    fn gke_4_vcpu_node_has_3920m_allocatable_cpu() {
        // 60 + 10 + 10 = 80m reserved, the example output of the GKE page; memory 25% of 4 GiB
        // + 20% of 4 GiB + 10% of 8 GiB = 2.6 GiB (rounded up to the byte), plus 100 MiB eviction.
        let n2 = catalog_type(Provider::Gcp, "n2-standard-4");
        check(
            &OverheadProfile::Gke,
            n2,
            None,
            "kube cpu=80m mem=2791728743 | system - | evict mem=100Mi | alloc cpu=3920m mem=14283282841 pods=110 disk=97656250Ki",
        );
        assert_eq!(16u64 << 30, 14_283_282_841 + 2_791_728_743 + (100 << 20));
    }

    #[test]
    fn gke_memory_tiers_cover_small_and_large_machines() {
        assert_eq!(gke_memory_reserved(Bytes::mib(600)), Bytes::mib(255));
        assert_eq!(gke_memory_reserved(Bytes::gib(1)), Bytes::mib(256));
        assert_eq!(gke_memory_reserved(Bytes::gib(4)), Bytes::gib(1));
        // 1 + 0.8 + 0.8 + 6.72 + 2.56 = 11.88 GiB for 256 GiB.
        assert_eq!(gke_memory_reserved(Bytes::gib(256)), Bytes(12_756_052_870));
        assert_eq!(tiered_cpu_reserved(Cpu(1000)), Cpu(60));
        assert_eq!(tiered_cpu_reserved(Cpu(250)), Cpu(15));
        assert_eq!(tiered_cpu_reserved(Cpu(96_000)), Cpu(310));
        assert_eq!(tiered_cpu_reserved(Cpu(4001)), Cpu(81));
    }

    #[test]
    fn eks_m5_large_reserves_574mi_and_70m() {
        let m5 = catalog_type(Provider::Aws, "m5.large");
        check(
            &OverheadProfile::Eks,
            m5,
            None,
            "kube cpu=70m mem=574Mi disk=1Gi | system - | evict mem=100Mi disk=2Gi | alloc cpu=1930m mem=7518Mi pods=29 disk=17Gi",
        );
        // An override replaces the ENI limit, and the per-pod memory follows it.
        check(
            &OverheadProfile::Eks,
            m5,
            Some(110),
            "kube cpu=70m mem=1465Mi disk=1Gi | system - | evict mem=100Mi disk=2Gi | alloc cpu=1930m mem=6627Mi pods=110 disk=17Gi",
        );
    }

    #[test]
    fn karpenter_aws_estimate_matches_its_published_allocatable() {
        // Karpenter's instance-type reference (aws/karpenter-provider-aws
        // website/content/en/preview/reference/instance-types.md) lists m5.large at cpu 1930m,
        // memory 6903Mi, pods 29, ephemeral-storage 17Gi, and m6g.large (arm64) at 6844Mi:
        // 8192 MiB less 615 (7.5%, rounded up), less 574 kube-reserved and 100 eviction; on
        // arm64 64 MiB first, then 610.
        let m5 = catalog_type(Provider::Aws, "m5.large");
        check(
            &OverheadProfile::KarpenterAws,
            m5,
            None,
            "kube cpu=70m mem=574Mi disk=1Gi | system - | evict mem=100Mi disk=2Gi | alloc cpu=1930m mem=6903Mi pods=29 disk=17Gi",
        );
        let m6g = catalog_type(Provider::Aws, "m6g.large");
        assert_eq!(
            node_capacity(&OverheadProfile::KarpenterAws, m6g, None).allocatable.memory,
            Bytes::mib(6844)
        );
        // Its CPU bands truncate where the EKS profile rounds the sum up: 5 vCPUs reserve 82m, not 83m.
        assert_eq!(karpenter_cpu_reserved(Cpu(5000)), Cpu(82));
        assert_eq!(tiered_cpu_reserved(Cpu(5000)), Cpu(83));
    }

    #[test]
    fn eks_max_pods_formula_reproduces_every_row_of_the_table() {
        let mut n_checked = 0;
        let mut n_published = 0;
        for row in builtin::eks_max_pods_table() {
            let (Some(enis), Some(ips)) = (row.default_max_enis, row.ipv4_addresses_per_interface)
            else {
                continue;
            };
            let computed = eni_max_pods(enis, ips);
            if let Some(formula) = row.max_pods_formula {
                assert_eq!(
                    computed, formula,
                    "line {} {}: max_pods_formula",
                    row.line, row.instance_type
                );
                n_checked += 1;
            }
            if let Some(published) = row.max_pods_eni_max_pods_txt {
                assert_eq!(
                    computed, published,
                    "line {} {}: eni-max-pods.txt",
                    row.line, row.instance_type
                );
                n_published += 1;
            }
        }
        assert!(n_checked > 1000, "checked {n_checked} rows");
        assert_eq!(n_published, 1191, "rows in both sources (data/README.md)");
    }

    #[test]
    fn eks_unknown_type_falls_back_to_110_pods_with_a_note() {
        let it = instance("x9.large", 2000, Bytes::gib(8));
        let n = node_capacity(&OverheadProfile::Eks, &it, None);
        assert_eq!(n.max_pods, 110);
        assert!(n.notes.iter().any(|s| s.contains("kubelet default 110")), "{:?}", n.notes);
    }

    #[test]
    fn aks_published_memory_examples() {
        // Microsoft's example: 8 GB VM, 30 max pods → 20 × 30 + 50 = 650 reserved, + 100 eviction.
        // Read as MiB that leaves 8192 − 750 = 7442 MiB (90.8%; the page's decimal-GB arithmetic
        // says 7.25 GB, 90.625%).
        check(
            &OverheadProfile::Aks,
            &instance("8gb", 2000, Bytes::gib(8)),
            Some(30),
            "kube cpu=100m mem=650Mi | system - | evict mem=100Mi | alloc cpu=1900m mem=7442Mi pods=30 disk=128Gi",
        );
        // 4 GB VM with 70 pods: 20 × 70 + 50 = 1450 MiB exceeds 25% (1024 MiB), so 25% binds
        // (the page, in decimal units, says 1000 MB).
        check(
            &OverheadProfile::Aks,
            &instance("4gb", 2000, Bytes::gib(4)),
            Some(70),
            "kube cpu=100m mem=1Gi | system - | evict mem=100Mi | alloc cpu=1900m mem=2972Mi pods=70 disk=128Gi",
        );
        // The default max pods is 110: 2250 MiB, under 25% of 16 GiB.
        assert_eq!(aks_memory_reserved(Bytes::gib(16), DEFAULT_MAX_PODS), Bytes::mib(2250));
    }

    #[test]
    fn aks_cpu_table_points_and_interpolation() {
        for (cores, reserved) in
            [(1, 60), (2, 100), (4, 140), (8, 180), (16, 260), (32, 420), (64, 740)]
        {
            assert_eq!(aks_cpu_reserved(Cpu::cores(cores)), Cpu(reserved), "{cores} cores");
        }
        assert_eq!(aks_cpu_reserved(Cpu::cores(12)), Cpu(220));
        assert_eq!(aks_cpu_reserved(Cpu::cores(3)), Cpu(120));
        assert_eq!(aks_cpu_reserved(Cpu::cores(96)), Cpu(1060));
        assert_eq!(aks_cpu_reserved(Cpu(500)), Cpu(30));
        assert_eq!(aks_cpu_reserved(Cpu(0)), Cpu(0));
    }

    #[test]
    fn kubeadm_none_and_custom_profiles() {
        let it = instance("rack-4", 4000, Bytes::gib(16));
        check(
            &OverheadProfile::Kubeadm,
            &it,
            None,
            "kube - | system - | evict mem=100Mi | alloc cpu=4000m mem=16284Mi pods=110 disk=100Gi",
        );
        check(
            &OverheadProfile::None,
            &it,
            None,
            "kube - | system - | evict - | alloc cpu=4000m mem=16Gi pods=110 disk=100Gi",
        );
        let custom = CustomOverhead {
            kube_reserved: Resources {
                cpu: Cpu(100),
                memory: Bytes::mib(512),
                ..Resources::default()
            },
            system_reserved: Resources {
                cpu: Cpu(50),
                memory: Bytes::mib(256),
                ..Resources::default()
            },
            eviction: Resources {
                memory: Bytes::mib(200),
                ephemeral_storage: Bytes::gib(5),
                ..Resources::default()
            },
            max_pods: Some(64),
            disk: Some(Bytes::gib(50)),
        };
        check(
            &OverheadProfile::Custom(custom),
            &it,
            None,
            "kube cpu=100m mem=512Mi | system cpu=50m mem=256Mi | evict mem=200Mi disk=5Gi | alloc cpu=3850m mem=15416Mi pods=64 disk=45Gi",
        );
    }

    #[test]
    fn burstable_types_are_capped_at_their_baseline_with_the_source() {
        let t3 = catalog_type(Provider::Aws, "t3.small");
        let n = node_capacity(&OverheadProfile::Eks, t3, None);
        assert_eq!((n.capacity.cpu, n.allocatable.cpu), (Cpu(2000), Cpu(400)));
        assert!(
            n.notes.iter().any(|s| s.contains("capped") && s.contains("docs.aws.amazon.com")),
            "{:?}",
            n.notes
        );
        // e2-micro: GKE reserves 15m of its 250m, which leaves less than the 250m baseline.
        let micro = catalog_type(Provider::Gcp, "e2-micro");
        let n = node_capacity(&OverheadProfile::Gke, micro, None);
        assert_eq!(n.allocatable.cpu, Cpu(235));
        assert!(n.notes.iter().any(|s| s.contains("does not bind")), "{:?}", n.notes);
        let mut it = instance("burst", 2000, Bytes::gib(4));
        it.burstable_baseline =
            Some(BurstableBaseline { cpu: Cpu(600), source: "test".to_string() });
        assert_eq!(node_capacity(&OverheadProfile::None, &it, None).allocatable.cpu, Cpu(600));
    }

    #[test]
    fn gpus_become_extended_resources_by_vendor() {
        let p4d = catalog_type(Provider::Aws, "p4d.24xlarge");
        assert_eq!(
            node_capacity(&OverheadProfile::Eks, p4d, None).allocatable.extended.get(NVIDIA_GPU),
            Some(&8)
        );
        let g4ad = catalog_type(Provider::Aws, "g4ad.xlarge");
        assert_eq!(
            node_capacity(&OverheadProfile::Eks, g4ad, None).capacity.extended.get(AMD_GPU),
            Some(&1)
        );
        let nv4 = catalog_type(Provider::Azure, "Standard_NV4as_v4");
        assert_eq!(
            node_capacity(&OverheadProfile::Aks, nv4, None).capacity.extended.get(AMD_GPU),
            Some(&1)
        );
        assert_eq!(gpu_resource_name(Some("MI300X")), AMD_GPU);
        assert_eq!(gpu_resource_name(Some("NVIDIA H100")), NVIDIA_GPU);
        assert_eq!(gpu_resource_name(Some("M60")), NVIDIA_GPU);
        assert_eq!(gpu_resource_name(None), NVIDIA_GPU);
    }

    #[test]
    fn reservations_larger_than_the_node_leave_zero_without_panicking() {
        let tiny = instance("tiny", 100, Bytes::mib(200));
        let n = node_capacity(&OverheadProfile::Eks, &tiny, Some(u32::MAX));
        assert_eq!((n.allocatable.cpu, n.allocatable.memory), (Cpu(94), Bytes(0)));
        assert!(n.notes.iter().any(|s| s.contains("take all of tiny's memory")), "{:?}", n.notes);
        let huge = instance("huge", u64::MAX, Bytes(u64::MAX));
        for profile in [OverheadProfile::Gke, OverheadProfile::Eks, OverheadProfile::Aks] {
            let n = node_capacity(&profile, &huge, Some(u32::MAX));
            assert!(n.allocatable.cpu.0 > 0, "{profile}");
        }
        assert_eq!(eni_max_pods(u32::MAX, u32::MAX), u32::MAX);
        assert_eq!(eni_max_pods(3, 0), 2);
    }

    #[test]
    fn profile_names_round_trip_and_defaults_follow_the_provider() {
        for name in ["gke", "eks", "aks", "kubeadm", "none"] {
            assert_eq!(OverheadProfile::parse_name(name).map(|p| p.name()), Ok(name));
        }
        assert!(OverheadProfile::parse_name("custom").is_err());
        assert_eq!(OverheadProfile::Custom(CustomOverhead::default()).name(), "custom");
        assert_eq!(OverheadProfile::default_for(Provider::Aws), OverheadProfile::Eks);
        assert_eq!(OverheadProfile::default_for(Provider::Gcp), OverheadProfile::Gke);
        assert_eq!(OverheadProfile::default_for(Provider::Azure), OverheadProfile::Aks);
        assert_eq!(OverheadProfile::default_for(Provider::Custom), OverheadProfile::Kubeadm);
    }
}
