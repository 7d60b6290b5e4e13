//! Karpenter v1 `NodePool`s: one per purchase option (spot, on-demand), with the plan's instance
//! types, zones and architectures as requirements, `limits` of the plan's capacity plus headroom,
//! and weights that try spot first; disruption is left to the user, in a comment.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{ExportOptions, Group};
use crate::catalog::Provider;
use crate::input::json_to_yaml;
use crate::plan::Plan;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NodePool {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Serialize)]
struct Metadata {
    name: String,
    labels: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Spec {
    template: Template,
    limits: Limits,
    weight: u32,
}

#[derive(Serialize)]
struct Template {
    spec: TemplateSpec,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplateSpec {
    node_class_ref: NodeClassRef,
    requirements: Vec<Requirement>,
}

#[derive(Serialize)]
struct NodeClassRef {
    group: &'static str,
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct Requirement {
    key: &'static str,
    operator: &'static str,
    values: Vec<String>,
}

#[derive(Serialize)]
struct Limits {
    cpu: String,
    memory: String,
}

/// The NodePools as a multi-document YAML text, each document after its comment.
pub(super) fn nodepools(plan: &Plan, groups: &[Group], options: &ExportOptions) -> String {
    let (group, kind) = match plan.provider {
        Provider::Azure => ("karpenter.azure.com", "AKSNodeClass"),
        _ => ("karpenter.k8s.aws", "EC2NodeClass"),
    };
    let mut docs = Vec::new();
    for spot in [true, false] {
        let mine: Vec<&Group> = groups.iter().filter(|g| g.purchase.is_spot() == spot).collect();
        if mine.is_empty() {
            continue;
        }
        let set = |f: &dyn Fn(&Group) -> String| -> Vec<String> {
            mine.iter().map(|g| f(g)).collect::<BTreeSet<_>>().into_iter().collect()
        };
        let capacity_type = if spot { "spot" } else { "on-demand" };
        let n_nodes: u64 = mine.iter().map(|g| g.count).sum();
        let vcpus: f64 = mine.iter().map(|g| g.vcpus * g.count as f64).sum();
        let gib: f64 = mine.iter().map(|g| g.memory_gib * g.count as f64).sum();
        let scale = 1.0 + options.headroom_ppm as f64 / 1e6;
        let cpu_limit = (vcpus * scale - 1e-9).ceil() as u64;
        let mem_limit = (gib * scale - 1e-9).ceil() as u64;
        let name = format!("kplan-{capacity_type}");
        let types: Vec<String> = {
            let mut by_type: std::collections::BTreeMap<&str, u64> = Default::default();
            for g in &mine {
                *by_type.entry(&g.instance_type).or_default() += g.count;
            }
            by_type.into_iter().map(|(t, n)| format!("{n} × {t}")).collect()
        };
        let pool = NodePool {
            api_version: "karpenter.sh/v1",
            kind: "NodePool",
            metadata: Metadata {
                name: name.clone(),
                labels: [("app.kubernetes.io/managed-by", "kplan".to_string())]
                    .into_iter()
                    .collect(),
            },
            spec: Spec {
                template: Template {
                    spec: TemplateSpec {
                        node_class_ref: NodeClassRef {
                            group,
                            kind,
                            name: options.node_class.clone(),
                        },
                        requirements: vec![
                            Requirement {
                                key: "karpenter.sh/capacity-type",
                                operator: "In",
                                values: vec![capacity_type.to_string()],
                            },
                            Requirement {
                                key: "node.kubernetes.io/instance-type",
                                operator: "In",
                                values: set(&|g| g.instance_type.clone()),
                            },
                            Requirement {
                                key: "topology.kubernetes.io/zone",
                                operator: "In",
                                values: set(&|g| g.zone.clone()),
                            },
                            Requirement {
                                key: "kubernetes.io/arch",
                                operator: "In",
                                values: set(&|g| g.arch.as_str().to_string()),
                            },
                            Requirement {
                                key: "kubernetes.io/os",
                                operator: "In",
                                values: vec!["linux".to_string()],
                            },
                        ],
                    },
                },
                limits: Limits { cpu: cpu_limit.to_string(), memory: format!("{mem_limit}Gi") },
                weight: if spot { 50 } else { 10 },
            },
        };
        let value = serde_json::to_value(&pool).expect("a value of plain data types (strings, numbers, maps with string keys) always serializes");
        let mut doc = format!(
            "# NodePool {name}, from plan {:?}: {n_nodes} {capacity_type} node(s) ({}), {vcpus:.0} vCPU and {gib:.0} GiB;\n# limits are those plus {}% headroom.{}\n",
            plan.scenario,
            types.join(", "),
            options.headroom_ppm / 10_000,
            if spot {
                " Weight 50 makes Karpenter try this pool first and move on to\n# kplan-on-demand once the limits are reached, which keeps the plan's spot share."
            } else {
                "\n# Pods that must not run on spot nodes should select karpenter.sh/capacity-type: on-demand."
            },
        );
        doc.push_str(
            "# Disruption is left to you: Karpenter's defaults are consolidationPolicy\n# WhenEmptyOrUnderutilized and consolidateAfter 0s; for example, under spec:\n#   disruption:\n#     consolidationPolicy: WhenEmptyOrUnderutilized\n#     consolidateAfter: 5m\n#     budgets: [{nodes: \"10%\"}]\n",
        );
        doc.push_str(&json_to_yaml(&value));
        docs.push(doc);
    }
    docs.join("---\n")
}
