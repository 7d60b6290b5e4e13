//! An eksctl `ClusterConfig` (`eksctl.io/v1alpha5`) with one managed node group per pool.

use serde::Serialize;

use super::{ExportOptions, Group, with_headroom};
use crate::input::json_to_yaml;
use crate::plan::Plan;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClusterConfig {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    managed_node_groups: Vec<ManagedNodeGroup>,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    region: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagedNodeGroup {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    instance_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instance_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    spot: bool,
    desired_capacity: u64,
    min_size: u64,
    max_size: u64,
    availability_zones: Vec<String>,
    labels: std::collections::BTreeMap<&'static str, String>,
}

/// The ClusterConfig as YAML, after a comment saying where it comes from.
pub(super) fn cluster_config(plan: &Plan, groups: &[Group], options: &ExportOptions) -> String {
    let config = ClusterConfig {
        api_version: "eksctl.io/v1alpha5",
        kind: "ClusterConfig",
        metadata: Metadata { name: options.cluster_name.clone(), region: plan.region.clone() },
        managed_node_groups: groups
            .iter()
            .map(|g| {
                let spot = g.purchase.is_spot();
                ManagedNodeGroup {
                    name: g.name(),
                    // eksctl takes spot node groups' types as a list.
                    instance_type: (!spot).then(|| g.instance_type.clone()),
                    instance_types: spot.then(|| vec![g.instance_type.clone()]),
                    spot,
                    desired_capacity: g.count,
                    min_size: g.count,
                    max_size: with_headroom(g.count, options),
                    availability_zones: vec![g.zone.clone()],
                    labels: [("kplan.dev/pool", g.name()), ("kplan.dev/family", g.family.clone())]
                        .into_iter()
                        .collect(),
                }
            })
            .collect(),
    };
    let value = serde_json::to_value(&config).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    );
    format!(
        "# eksctl node groups for plan {:?}: one per pool (instance type, purchase option, zone);\n# minSize is the plan's count, maxSize adds {}% headroom. Reserved instances are billed\n# commitments on on-demand node groups.\n{}",
        plan.scenario,
        options.headroom_ppm / 10_000,
        json_to_yaml(&value)
    )
}
