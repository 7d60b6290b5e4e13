//! Nodes: instance type, zone, capacity type, node pool and architecture from their labels;
//! capacity and allocatable from `status`; the provider and region from labels and `spec.providerID`.

use std::collections::BTreeSet;

use super::ClusterNode;
use crate::catalog::{Arch, Provider, PurchaseOption};
use crate::diag::Diagnostic;
use crate::input::manifests::{
    ARCH_KEYS, Node, Object, Reader, TYPE_KEYS, ZONE_KEYS, found, scalar_text, untag,
};
use crate::quantity::{Bytes, Cpu, parse_count};
use crate::resources::Resources;

/// Region labels, the standard one first.
const REGION_KEYS: &[&str] =
    &["topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"];

/// Capacity-type labels: (key, values meaning spot, values meaning on-demand).
/// Karpenter's `reserved` (a capacity reservation) and EKS's `CAPACITY_BLOCK` are billed as
/// on-demand capacity, so they read as on-demand.
const CAPACITY_KEYS: &[(&str, &[&str], &[&str])] = &[
    ("karpenter.sh/capacity-type", &["spot"], &["on-demand", "reserved"]),
    ("eks.amazonaws.com/capacityType", &["SPOT"], &["ON_DEMAND", "CAPACITY_BLOCK"]),
    ("cloud.google.com/gke-spot", &["true"], &["false"]),
    ("cloud.google.com/gke-preemptible", &["true"], &["false"]),
    ("kubernetes.azure.com/scalesetpriority", &["spot"], &["regular"]),
];

/// Node pool labels, in the order they are checked.
const POOL_KEYS: &[&str] = &[
    "karpenter.sh/nodepool",
    "eks.amazonaws.com/nodegroup",
    "cloud.google.com/gke-nodepool",
    "kubernetes.azure.com/agentpool",
    "agentpool",
];

/// Label prefixes that only one provider's nodes carry.
const PROVIDER_PREFIXES: &[(&str, Provider)] = &[
    ("eks.amazonaws.com/", Provider::Aws),
    ("karpenter.k8s.aws/", Provider::Aws),
    ("k8s.amazonaws.com/", Provider::Aws),
    ("cloud.google.com/", Provider::Gcp),
    ("kubernetes.azure.com/", Provider::Azure),
];

/// Reads one Node object; `None` (with the errors recorded) when it cannot be read.
pub(super) fn read_node(cx: &mut Reader, o: &Object<'_>) -> Option<ClusterNode> {
    let n_errors = cx.errors.len();
    let meta = o.node.get("metadata");
    let labels = cx.string_map(meta.as_ref().and_then(|m| m.get("labels")).as_ref(), "labels");
    let label = |keys: &[&str]| keys.iter().find_map(|k| labels.get(*k).cloned());
    let provider_id =
        o.node.get_path(&["spec", "providerID"]).and_then(|n| cx.string(&n, "spec.providerID"));
    let from_id = provider_id.as_deref().and_then(parse_provider_id);
    let zone = label(ZONE_KEYS).or_else(|| from_id.as_ref().and_then(|(_, z)| z.clone()));
    let provider = from_id.as_ref().map(|(p, _)| *p).or_else(|| {
        labels.keys().find_map(|k| {
            PROVIDER_PREFIXES.iter().find(|(prefix, _)| k.starts_with(prefix)).map(|(_, p)| *p)
        })
    });
    let region = label(REGION_KEYS)
        .or_else(|| zone.as_deref().zip(provider).and_then(|(z, p)| region_of_zone(p, z)));

    let mut purchase = PurchaseOption::OnDemand;
    let mut purchase_label = None;
    for (key, spot, on_demand) in CAPACITY_KEYS {
        let Some(v) = labels.get(*key) else { continue };
        if spot.contains(&v.as_str()) {
            purchase = PurchaseOption::Spot;
        } else if !on_demand.contains(&v.as_str()) {
            let at = label_node(&o.node, key);
            let mut all: Vec<&str> = spot.to_vec();
            all.extend(on_demand.iter());
            cx.err(
                &at,
                format!("unknown capacity type {v:?} in label {key}; expected {}", all.join(", ")),
            );
        }
        purchase_label = Some(format!("{key}={v}"));
        break;
    }
    let (node_pool, node_pool_label) = POOL_KEYS
        .iter()
        .find_map(|k| labels.get(*k).map(|v| (Some(v.clone()), Some((*k).to_string()))))
        .unwrap_or((None, None));

    let arch_text = label(ARCH_KEYS).or_else(|| {
        o.node.get_path(&["status", "nodeInfo", "architecture"]).and_then(|n| scalar_text(n.v))
    });
    let arch = match arch_text.as_deref() {
        Some("amd64") => Some(Arch::Amd64),
        Some("arm64") => Some(Arch::Arm64),
        Some(other) => {
            let at = ARCH_KEYS
                .iter()
                .find(|k| labels.contains_key(**k))
                .map_or_else(|| o.node.clone(), |k| label_node(&o.node, k));
            cx.warn(
                &at,
                format!(
                    "node {} has architecture {other:?}; kplan plans amd64 and arm64 nodes only",
                    o.name
                ),
            );
            None
        }
        None => None,
    };
    let status = o.node.get("status");
    let capacity =
        resources(cx, status.as_ref().and_then(|s| s.get("capacity")), &o.node, "capacity");
    let allocatable =
        resources(cx, status.as_ref().and_then(|s| s.get("allocatable")), &o.node, "allocatable");
    let unschedulable = o
        .node
        .get_path(&["spec", "unschedulable"])
        .is_some_and(|n| untag(n.v).as_bool() == Some(true));
    if cx.errors.len() > n_errors {
        return None;
    }
    Some(ClusterNode {
        name: o.name.clone(),
        instance_type: label(TYPE_KEYS),
        zone,
        region,
        provider,
        purchase,
        purchase_label,
        node_pool,
        node_pool_label,
        arch,
        capacity,
        allocatable,
        unschedulable,
        origin: o.node.doc.origin(&o.node.p),
    })
}

/// The node of a label's value, for diagnostics.
fn label_node<'a>(node: &Node<'a>, key: &str) -> Node<'a> {
    node.get_path(&["metadata", "labels", key]).unwrap_or_else(|| node.clone())
}

/// `status.capacity` or `status.allocatable`: CPU, memory, pods, ephemeral storage and extended
/// resources. Huge pages and attachable volume counts are not planned and are passed over.
fn resources(cx: &mut Reader, list: Option<Node<'_>>, node: &Node<'_>, what: &str) -> Resources {
    let mut res = Resources::default();
    let Some(list) = list else {
        cx.err(
            node,
            format!(
                "this node has no status.{what}; expected what `kubectl get nodes -o yaml` prints"
            ),
        );
        return res;
    };
    for (key, v) in cx.mapping(&list, &format!("status.{what}")) {
        let Some(text) = scalar_text(v.v) else {
            cx.err(&v, format!("expected a quantity, found {}", found(v.v)));
            continue;
        };
        let parsed = match key.as_str() {
            "cpu" => Cpu::parse(&text).map(|c| res.cpu = c),
            "memory" => Bytes::parse(&text).map(|b| res.memory = b),
            "ephemeral-storage" => Bytes::parse(&text).map(|b| res.ephemeral_storage = b),
            "pods" => parse_count(&text).map(|n| res.pods = n),
            k if k.starts_with(crate::resources::HUGEPAGES_PREFIX) => {
                Bytes::parse(&text).map(|b| {
                    if b.0 > 0 {
                        res.extended.insert(k.to_string(), b.0);
                    }
                })
            }
            k if k.starts_with("attachable-volumes-") => Ok(()),
            k if k.contains('/') => parse_count(&text).map(|n| {
                if n > 0 {
                    res.extended.insert(k.to_string(), n);
                }
            }),
            k => {
                cx.warn(&v, format!("resource {k:?} of status.{what} is not planned"));
                Ok(())
            }
        };
        if let Err(e) = parsed {
            cx.err(&v, e.to_string());
        }
    }
    res
}

/// The provider and zone of a `spec.providerID`: `aws:///us-east-1a/i-…`,
/// `gce://project/us-central1-a/name`, `azure:///subscriptions/…`.
fn parse_provider_id(id: &str) -> Option<(Provider, Option<String>)> {
    let (scheme, rest) = id.split_once("://")?;
    let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match scheme {
        "aws" => {
            Some((Provider::Aws, parts.first().filter(|_| parts.len() >= 2).map(|z| z.to_string())))
        }
        "gce" => Some((Provider::Gcp, parts.get(1).map(|z| z.to_string()))),
        "azure" => Some((Provider::Azure, None)),
        _ => None,
    }
}

/// The region of a zone name: `us-east-1a` → `us-east-1`, `us-central1-b` → `us-central1`,
/// `eastus-2` → `eastus`.
fn region_of_zone(provider: Provider, zone: &str) -> Option<String> {
    match provider {
        Provider::Aws => {
            let z = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
            (z.len() < zone.len() && z.ends_with(|c: char| c.is_ascii_digit()))
                .then(|| z.to_string())
        }
        Provider::Gcp | Provider::Azure => {
            let (region, suffix) = zone.rsplit_once('-')?;
            (!suffix.is_empty() && suffix.len() <= 2).then(|| region.to_string())
        }
        Provider::Custom => None,
    }
}

/// The cluster's provider and region: the caller's, or the one every node agrees on.
pub(super) fn locate(
    nodes: &[ClusterNode],
    options: &super::ClusterOptions,
) -> Result<(Provider, String, String), Diagnostic> {
    let at = |n: &ClusterNode, d: Diagnostic| {
        d.with_source(n.origin.source.clone())
            .with_location(n.origin.location)
            .with_document(n.origin.document)
    };
    let providers: BTreeSet<Provider> = nodes.iter().filter_map(|n| n.provider).collect();
    let (provider, how) = match options.provider {
        Some(p) => (p, "given".to_string()),
        None => match providers.len() {
            1 => (
                *providers.iter().next().unwrap_or(&Provider::Custom),
                "from the nodes' labels and providerID".to_string(),
            ),
            0 => {
                return Err(Diagnostic::error(if nodes.is_empty() {
                    "no nodes were read, so the provider is unknown; give `kubectl get nodes -o yaml` output, or --provider and --region"
                } else {
                    "no node names its provider (spec.providerID or provider labels); give --provider"
                }));
            }
            _ => {
                let second = providers.iter().nth(1).copied();
                let n = nodes.iter().find(|n| n.provider == second).unwrap_or(&nodes[0]);
                let names: Vec<&str> = providers.iter().map(|p| p.as_str()).collect();
                return Err(at(
                    n,
                    Diagnostic::error(format!(
                        "the nodes belong to different providers ({}); kplan prices one cluster of one provider",
                        names.join(", ")
                    )),
                ));
            }
        },
    };
    if provider == Provider::Custom {
        return Err(Diagnostic::error(
            "the custom provider has no catalog to price nodes with; give aws, gcp or azure",
        ));
    }
    let regions: BTreeSet<&str> = nodes.iter().filter_map(|n| n.region.as_deref()).collect();
    let region = match &options.region {
        Some(r) => r.clone(),
        None => match regions.len() {
            1 => regions.iter().next().map(|r| r.to_string()).unwrap_or_default(),
            0 => {
                return Err(Diagnostic::error(
                    "no node names its region (topology.kubernetes.io/region or a zone); give --region",
                ));
            }
            _ => {
                let names: Vec<&str> = regions.iter().copied().collect();
                let n = nodes
                    .iter()
                    .find(|n| n.region.as_deref() == Some(names[1]))
                    .unwrap_or(&nodes[0]);
                return Err(at(
                    n,
                    Diagnostic::error(format!(
                        "the nodes are in different regions ({}); kplan prices one region at a time: give --region",
                        names.join(", ")
                    )),
                ));
            }
        },
    };
    let how = match (&options.provider, &options.region) {
        (Some(_), Some(_)) => "provider and region given".to_string(),
        (None, Some(_)) => format!("provider {how}, region given"),
        (Some(_), None) => "provider given, region from the nodes' labels".to_string(),
        (None, None) => format!("provider and region {how}"),
    };
    Ok((provider, region, how))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_ids_and_zones_give_provider_and_region() {
        assert_eq!(
            parse_provider_id("aws:///us-east-1b/i-0123456789abcdef0"),
            Some((Provider::Aws, Some("us-east-1b".to_string())))
        );
        assert_eq!(
            parse_provider_id("gce://shop-prod/us-central1-c/gke-shop-default-pool-1a2b3c4d-x7k2"),
            Some((Provider::Gcp, Some("us-central1-c".to_string())))
        );
        assert_eq!(
            parse_provider_id(
                "azure:///subscriptions/0000/resourceGroups/mc_rg/providers/Microsoft.Compute/virtualMachineScaleSets/aks-system-1-vmss/virtualMachines/0"
            ),
            Some((Provider::Azure, None))
        );
        assert_eq!(parse_provider_id("kind://docker/kind/kind-worker"), None);
        assert_eq!(region_of_zone(Provider::Aws, "us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(
            region_of_zone(Provider::Gcp, "europe-west4-b").as_deref(),
            Some("europe-west4")
        );
        assert_eq!(region_of_zone(Provider::Azure, "eastus2-3").as_deref(), Some("eastus2"));
        assert_eq!(region_of_zone(Provider::Aws, "us-east-1"), None);
    }
}
