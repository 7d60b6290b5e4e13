//! A plan exported to the tools that provision nodes: Karpenter v1 `NodePool`s, an eksctl
//! `ClusterConfig`, Terraform node-pool resources (EKS, GKE, AKS), and `gcloud` or `az` commands.
//!
//! Every format starts from the plan's pools (instance type × purchase option × zone, with their
//! node counts) and the embedded catalog (architecture, vCPU, memory). YAML is written from serde
//! types (`karpenter`, `eksctl`), Terraform with the `hcl` crate (`terraform`), commands as argument
//! lists quoted for a POSIX shell (`commands`). Node groups get `min` = the plan's count and `max`
//! = the count plus the headroom; Karpenter NodePools get `limits` of the plan's capacity plus the
//! headroom and weights that try spot first, so the purchase mix of the plan is reproduced.

mod commands;
mod eksctl;
mod karpenter;
mod terraform;

use std::fmt;
use std::str::FromStr;

use crate::catalog::{self, Arch, Provider, PurchaseOption};
use crate::diag::UnknownName;
use crate::plan::Plan;
use crate::policy::ratio_to_ppm;

/// What a plan is exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Karpenter v1 `NodePool` documents (AWS or Azure).
    Karpenter,
    /// An eksctl `ClusterConfig` with `managedNodeGroups` (AWS).
    Eksctl,
    /// Terraform resources: `aws_eks_node_group`, `google_container_node_pool` or
    /// `azurerm_kubernetes_cluster_node_pool`, by the plan's provider.
    Terraform,
    /// `gcloud container node-pools create` commands (GCP).
    Gke,
    /// `az aks nodepool add` commands (Azure).
    Aks,
}

impl Format {
    /// Every format, in display order.
    pub const ALL: [Format; 5] =
        [Format::Karpenter, Format::Eksctl, Format::Terraform, Format::Gke, Format::Aks];

    /// The CLI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Karpenter => "karpenter",
            Format::Eksctl => "eksctl",
            Format::Terraform => "terraform",
            Format::Gke => "gke",
            Format::Aks => "aks",
        }
    }

    /// The providers the format provisions.
    pub fn providers(self) -> &'static [Provider] {
        match self {
            Format::Karpenter => &[Provider::Aws, Provider::Azure],
            Format::Eksctl => &[Provider::Aws],
            Format::Terraform => &[Provider::Aws, Provider::Gcp, Provider::Azure],
            Format::Gke => &[Provider::Gcp],
            Format::Aks => &[Provider::Azure],
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Format, UnknownName> {
        Format::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| {
            UnknownName::new("export format", s, "karpenter, eksctl, terraform, gke or aks")
        })
    }
}

/// How a plan is exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// The cluster's name (eksctl `metadata.name`, `--cluster`, Terraform variables' defaults).
    pub cluster_name: String,
    /// Room above the plan, in ppm: node groups' `max` and NodePools' `limits` are the plan's
    /// amount times (1 + headroom), rounded up.
    pub headroom_ppm: u64,
    /// The node class Karpenter NodePools refer to (`EC2NodeClass` or `AKSNodeClass`).
    pub node_class: String,
}

/// The defaults: cluster `kplan`, 20% headroom, node class `default`.
pub fn default_options() -> ExportOptions {
    ExportOptions {
        cluster_name: "kplan".to_string(),
        headroom_ppm: ratio_to_ppm(0.2),
        node_class: "default".to_string(),
    }
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name (`nodepools.yaml`, `cluster.yaml`, `node-pools.tf`, `node-pools.sh`).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Why a plan cannot be exported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The format does not provision the plan's provider.
    #[error("{format} exports {expected} plans; this plan is for {provider}")]
    Provider {
        /// The format.
        format: Format,
        /// The plan's provider.
        provider: Provider,
        /// The providers the format provisions.
        expected: String,
    },
    /// A pool's instance type is not in the embedded catalog (an unpriced or custom type).
    #[error(
        "instance type {0} is not in the embedded catalog, so it cannot be provisioned; plan without it"
    )]
    UnknownType(String),
    /// The plan has no nodes.
    #[error("the plan has no nodes to export")]
    Empty,
}

/// One pool of the plan with what the catalog says of its type.
#[derive(Clone, Debug, PartialEq)]
struct Group {
    instance_type: String,
    family: String,
    arch: Arch,
    purchase: PurchaseOption,
    zone: String,
    count: u64,
    vcpus: f64,
    memory_gib: f64,
}

impl Group {
    /// A node group name: `m6i-large-spot-us-east-1a` (lowercase letters, digits and dashes).
    fn name(&self) -> String {
        let raw = format!("{}-{}-{}", self.instance_type, purchase_word(self.purchase), self.zone);
        raw.to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    }
}

/// `spot` or `od` (reserved instances are on-demand capacity with a billing commitment).
fn purchase_word(p: PurchaseOption) -> &'static str {
    if p.is_spot() { "spot" } else { "od" }
}

/// The count plus the headroom, rounded up.
fn with_headroom(n: u64, options: &ExportOptions) -> u64 {
    let scaled = u128::from(n) * u128::from(1_000_000 + options.headroom_ppm);
    u64::try_from(scaled.div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

fn groups(plan: &Plan) -> Result<Vec<Group>, ExportError> {
    if plan.nodes.is_empty() {
        return Err(ExportError::Empty);
    }
    let catalog = catalog::builtin::catalog(plan.provider);
    plan.pools()
        .into_iter()
        .map(|p| {
            let it = catalog
                .get(&p.instance_type)
                .ok_or_else(|| ExportError::UnknownType(p.instance_type.clone()))?;
            Ok(Group {
                family: it.family.clone(),
                arch: it.arch,
                vcpus: it.vcpus(),
                memory_gib: it.memory.as_gib_f64(),
                instance_type: p.instance_type,
                purchase: p.purchase,
                zone: p.zone,
                count: p.count,
            })
        })
        .collect()
}

/// Exports a plan in a format. Returns the files to write, or why the plan cannot be exported.
///
/// ```
/// use kplan_core::input::scenario::read_scenario;
/// use kplan_core::report::export::{Format, default_options, export};
/// use kplan_core::solve::{Method, SolveConfig, default_config, solve};
/// let text = "name: shop\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m6i]}\npolicy: {headroom: none}\nworkloads:\n  - {name: web, replicas: 4, requests: {cpu: 500m, memory: 1Gi}}\n";
/// let scenario = read_scenario(text, "shop.yaml").output.unwrap();
/// let plan = solve(&scenario, &SolveConfig { method: Method::Ffd, ..default_config() }).unwrap();
/// let files = export(&plan, Format::Eksctl, &default_options()).unwrap();
/// assert_eq!(files[0].name, "cluster.yaml");
/// assert!(files[0].text.contains("kind: ClusterConfig"));
/// let gke = export(&plan, Format::Gke, &default_options()).unwrap_err();
/// assert_eq!(gke.to_string(), "gke exports gcp plans; this plan is for aws");
/// ```
pub fn export(
    plan: &Plan,
    format: Format,
    options: &ExportOptions,
) -> Result<Vec<ExportFile>, ExportError> {
    if !format.providers().contains(&plan.provider) {
        let expected: Vec<&str> = format.providers().iter().map(|p| p.as_str()).collect();
        return Err(ExportError::Provider {
            format,
            provider: plan.provider,
            expected: expected.join(" or "),
        });
    }
    let groups = groups(plan)?;
    let file = |name: &str, text: String| vec![ExportFile { name: name.to_string(), text }];
    Ok(match format {
        Format::Karpenter => file("nodepools.yaml", karpenter::nodepools(plan, &groups, options)),
        Format::Eksctl => file("cluster.yaml", eksctl::cluster_config(plan, &groups, options)),
        Format::Terraform => file("node-pools.tf", terraform::node_pools(plan, &groups, options)),
        Format::Gke => file("node-pools.sh", commands::gcloud(plan, &groups, options)),
        Format::Aks => file("node-pools.sh", commands::az(plan, &groups, options)),
    })
}
