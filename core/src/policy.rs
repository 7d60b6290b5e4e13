//! Policies: utilisation, overcommit, pod caps, spot share, on-demand floor, headroom, guidance and limits (SPEC §4).
//!
//! Ratios are stored as integer parts per million so that resource arithmetic stays integer.

use crate::diag::UnknownName;
use std::fmt;
use std::str::FromStr;

/// Parts per million in a ratio of 1.
pub const PPM: u64 = 1_000_000;

/// Converts a ratio such as 0.85 to parts per million, rounding to the nearest.
pub fn ratio_to_ppm(ratio: f64) -> u64 {
    (ratio * PPM as f64).round().max(0.0) as u64
}

/// A ratio in parts per million as a float, for display and the LP.
pub fn ppm_to_ratio(ppm: u64) -> f64 {
    ppm as f64 / PPM as f64
}

/// What must survive a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Headroom {
    /// No spare capacity.
    None,
    /// After losing any one node, every pod still fits on the rest.
    Node,
    /// After losing any one zone, every pod still fits on the rest.
    Zone,
}

impl Headroom {
    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Headroom::None => "none",
            Headroom::Node => "node",
            Headroom::Zone => "zone",
        }
    }
}

impl fmt::Display for Headroom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Headroom {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Headroom, UnknownName> {
        match s {
            "none" => Ok(Headroom::None),
            "node" => Ok(Headroom::Node),
            "zone" => Ok(Headroom::Zone),
            _ => Err(UnknownName::new("headroom", s, "none, node or zone")),
        }
    }
}

/// What to do above the Kubernetes cluster limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitMode {
    /// Warn.
    Warn,
    /// Refuse the plan.
    Fail,
    /// Say nothing.
    Off,
}

/// Per-resource ratios in parts per million (pods are never scaled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratios {
    /// CPU.
    pub cpu: u64,
    /// Memory.
    pub memory: u64,
    /// Ephemeral storage and extended resources.
    pub other: u64,
}

impl Ratios {
    /// The same ratio for every resource.
    pub fn uniform(ppm: u64) -> Ratios {
        Ratios { cpu: ppm, memory: ppm, other: ppm }
    }
}

/// Overcommit on limits: per node, sum of limits ≤ ratio × allocatable, for each resource given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overcommit {
    /// CPU ratio in ppm, if limited.
    pub cpu: Option<u64>,
    /// Memory ratio in ppm, if limited.
    pub memory: Option<u64>,
}

impl Overcommit {
    /// True when no resource is limited.
    pub fn is_none(&self) -> bool {
        self.cpu.is_none() && self.memory.is_none()
    }
}

/// The Kubernetes scalability thresholds (SPEC §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClusterLimits {
    /// Nodes per cluster.
    pub max_nodes: u64,
    /// Pods per node.
    pub max_pods_per_node: u64,
    /// Pods per cluster.
    pub max_pods: u64,
    /// Containers per cluster.
    pub max_containers: u64,
}

/// The published Kubernetes limits: 5,000 nodes, 110 pods per node, 150,000 pods, 300,000 containers.
pub fn kubernetes_limits() -> ClusterLimits {
    ClusterLimits {
        max_nodes: 5000,
        max_pods_per_node: 110,
        max_pods: 150_000,
        max_containers: 300_000,
    }
}

/// Every policy of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Per node, sum of requests ≤ utilization × allocatable, per resource.
    pub utilization: Ratios,
    /// Per node, sum of limits ≤ ratio × allocatable, for the resources given.
    pub overcommit: Overcommit,
    /// Cap on pods per node, overriding the provider's.
    pub max_pods_per_node: Option<u32>,
    /// Share of cluster vCPU allowed on spot nodes, in ppm.
    pub spot_max_share: u64,
    /// Non-spot workloads and the `min_available` replicas of spot workloads stay on non-spot nodes.
    pub on_demand_floor: bool,
    /// Spare capacity for failures.
    pub headroom: Headroom,
    /// Warn about node types that fit few pods or strand resources.
    pub node_size_guidance: bool,
    /// What to do above the cluster limits.
    pub cluster_limits: LimitMode,
}

/// The SPEC §4 defaults: utilization 1.0, no overcommit limit, provider's max pods, no spot,
/// on-demand floor on, headroom `node`, guidance on, cluster limits warn.
pub fn default_policy() -> Policy {
    Policy {
        utilization: Ratios::uniform(PPM),
        overcommit: Overcommit::default(),
        max_pods_per_node: None,
        spot_max_share: 0,
        on_demand_floor: true,
        headroom: Headroom::Node,
        node_size_guidance: true,
        cluster_limits: LimitMode::Warn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_spec() {
        let p = default_policy();
        assert_eq!(p.utilization, Ratios::uniform(PPM));
        assert_eq!(p.spot_max_share, 0);
        assert_eq!(p.headroom, Headroom::Node);
        assert!(p.on_demand_floor);
        assert!(p.overcommit.is_none());
    }

    #[test]
    fn ratios_round_to_ppm() {
        assert_eq!(ratio_to_ppm(0.85), 850_000);
        assert_eq!(ratio_to_ppm(0.66), 660_000);
        assert_eq!(ratio_to_ppm(2.0 / 3.0), 666_667);
        assert!((ppm_to_ratio(660_000) - 0.66).abs() < 1e-12);
    }
}
