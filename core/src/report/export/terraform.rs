//! Terraform node-pool resources, written with the `hcl` crate: `aws_eks_node_group`,
//! `google_container_node_pool` or `azurerm_kubernetes_cluster_node_pool`, one per pool, with the
//! variables they refer to.

use hcl::expr::{FuncCall, Traversal, Variable};
use hcl::{Block, Body, Expression};

use super::{ExportOptions, Group, with_headroom};
use crate::catalog::Provider;
use crate::plan::Plan;

/// The type `string`.
fn string() -> Expression {
    Variable::unchecked("string").into()
}

/// `var.<name>`.
fn var(name: &str) -> Expression {
    Traversal::builder(Variable::unchecked("var")).attr(name).build().into()
}

/// `var.<name>["<key>"]`.
fn var_index(name: &str, key: &str) -> Expression {
    Traversal::builder(Variable::unchecked("var")).attr(name).index(key).build().into()
}

/// `variable "<name>" { type = <type>, description = "…", default = … }`.
fn variable(name: &str, ty: Expression, description: &str, default: Option<Expression>) -> Block {
    let mut b = Block::builder("variable")
        .add_label(name)
        .add_attribute(("type", ty))
        .add_attribute(("description", description));
    if let Some(d) = default {
        b = b.add_attribute(("default", d));
    }
    b.build()
}

fn labels(g: &Group) -> Expression {
    [("kplan.dev/pool", Expression::from(g.name())), ("kplan.dev/family", g.family.clone().into())]
        .into_iter()
        .collect()
}

fn eks(g: &Group, options: &ExportOptions) -> Block {
    Block::builder("resource")
        .add_label("aws_eks_node_group")
        .add_label(g.name())
        .add_attribute(("cluster_name", var("cluster_name")))
        .add_attribute(("node_group_name", g.name()))
        .add_attribute(("node_role_arn", var("node_role_arn")))
        .add_attribute(("subnet_ids", Expression::from(vec![var_index("subnet_ids", &g.zone)])))
        .add_attribute(("instance_types", vec![g.instance_type.clone()]))
        .add_attribute(("capacity_type", if g.purchase.is_spot() { "SPOT" } else { "ON_DEMAND" }))
        .add_block(
            Block::builder("scaling_config")
                .add_attribute(("desired_size", g.count))
                .add_attribute(("min_size", g.count))
                .add_attribute(("max_size", with_headroom(g.count, options)))
                .build(),
        )
        .add_attribute(("labels", labels(g)))
        .build()
}

fn gke(plan: &Plan, g: &Group, options: &ExportOptions) -> Block {
    let mut node_config =
        Block::builder("node_config").add_attribute(("machine_type", g.instance_type.clone()));
    if g.purchase.is_spot() {
        node_config = node_config.add_attribute(("spot", true));
    }
    Block::builder("resource")
        .add_label("google_container_node_pool")
        .add_label(g.name())
        .add_attribute(("name", g.name()))
        .add_attribute(("cluster", var("cluster_name")))
        .add_attribute(("location", plan.region.clone()))
        .add_attribute(("node_locations", vec![g.zone.clone()]))
        .add_attribute(("initial_node_count", g.count))
        .add_block(
            Block::builder("autoscaling")
                .add_attribute(("min_node_count", g.count))
                .add_attribute(("max_node_count", with_headroom(g.count, options)))
                .build(),
        )
        .add_block(node_config.add_attribute(("labels", labels(g))).build())
        .build()
}

/// An AKS node pool name: at most 12 lowercase letters and digits, starting with a letter.
fn aks_name(index: usize, g: &Group) -> String {
    format!("kp{index:02}{}", if g.purchase.is_spot() { "spot" } else { "od" })
}

/// The zone number of an Azure zone (`eastus-2` → `2`).
pub(super) fn azure_zone(zone: &str) -> String {
    zone.rsplit_once('-').map_or(zone, |(_, n)| n).to_string()
}

fn aks(index: usize, g: &Group, options: &ExportOptions) -> Block {
    let mut b = Block::builder("resource")
        .add_label("azurerm_kubernetes_cluster_node_pool")
        .add_label(g.name())
        .add_attribute(("name", aks_name(index, g)))
        .add_attribute(("kubernetes_cluster_id", var("kubernetes_cluster_id")))
        .add_attribute(("vm_size", g.instance_type.clone()))
        .add_attribute(("zones", vec![azure_zone(&g.zone)]))
        .add_attribute(("node_count", g.count))
        .add_attribute(("auto_scaling_enabled", true))
        .add_attribute(("min_count", g.count))
        .add_attribute(("max_count", with_headroom(g.count, options)))
        .add_attribute(("node_labels", labels(g)));
    if g.purchase.is_spot() {
        b = b
            .add_attribute(("priority", "Spot"))
            .add_attribute(("eviction_policy", "Delete"))
            .add_attribute(("spot_max_price", -1));
    }
    b.build()
}

/// The resources and their variables as HCL text.
pub(super) fn node_pools(plan: &Plan, groups: &[Group], options: &ExportOptions) -> String {
    let cluster_default = Some(Expression::from(options.cluster_name.clone()));
    let mut body = Body::builder();
    match plan.provider {
        Provider::Aws => {
            body = body
                .add_block(variable(
                    "cluster_name",
                    string(),
                    "The EKS cluster's name.",
                    cluster_default,
                ))
                .add_block(variable("node_role_arn", string(), "The IAM role of the nodes.", None))
                .add_block(variable(
                    "subnet_ids",
                    FuncCall::builder("map").arg(string()).build().into(),
                    "A subnet per availability zone.",
                    None,
                ));
            for g in groups {
                body = body.add_block(eks(g, options));
            }
        }
        Provider::Gcp => {
            body = body.add_block(variable(
                "cluster_name",
                string(),
                "The GKE cluster's name.",
                cluster_default,
            ));
            for g in groups {
                body = body.add_block(gke(plan, g, options));
            }
        }
        _ => {
            body = body.add_block(variable(
                "kubernetes_cluster_id",
                string(),
                "The AKS cluster's resource id.",
                None,
            ));
            for (i, g) in groups.iter().enumerate() {
                body = body.add_block(aks(i + 1, g, options));
            }
        }
    }
    let text = hcl::to_string(&body.build()).unwrap_or_default();
    format!(
        "# Node pools for plan {:?}: one per pool (instance type, purchase option, zone); the\n# minimum is the plan's count, the maximum adds {}% headroom.\n{text}",
        plan.scenario,
        options.headroom_ppm / 10_000
    )
}
