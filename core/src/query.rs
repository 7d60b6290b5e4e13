//! Catalog queries (`kplan catalog`, the browser's catalog view): listing instance types with
//! prices, and ranking them for one pod profile. Outside `catalog`, because ranking needs each
//! provider's allocatable formula (`overhead`), which itself reads the catalog.
//!
//! `fit` answers the instance calculator's question — "for pods of this size, which node type
//! is cheapest per pod?" — with the provider's allocatable formula applied, which is where the
//! calculators that divide raw vCPUs go wrong.

use crate::catalog::{
    Arch, Category, InstanceType, Provider, PurchaseOption, builtin, default_region, glob_match,
};
use crate::money::Price;
use crate::overhead::{self, OverheadProfile};
use crate::quantity::{Bytes, Cpu};
use crate::resources::Resources;

/// Which instance types to list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Providers (empty: aws, gcp and azure).
    pub providers: Vec<Provider>,
    /// Region (default: each provider's [`default_region`]).
    pub region: Option<String>,
    /// Families (empty: all).
    pub families: Vec<String>,
    /// Name globs (empty: all).
    pub names: Vec<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// Category.
    pub category: Option<Category>,
    /// Smallest vCPU.
    pub min_cpu: Option<Cpu>,
    /// Smallest memory.
    pub min_memory: Option<Bytes>,
}

/// One instance type in one region with its prices.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<'a> {
    /// The instance type.
    pub instance_type: &'a InstanceType,
    /// The region of the prices.
    pub region: String,
    /// Prices by purchase option (`None`: not sold there).
    pub prices: Vec<(PurchaseOption, Option<Price>)>,
    /// True when the spot price is an estimate.
    pub spot_estimate: bool,
    /// Spot interruption bucket, where known.
    pub interruption: Option<String>,
}

fn providers(q: &Query) -> Vec<Provider> {
    if q.providers.is_empty() {
        vec![Provider::Aws, Provider::Gcp, Provider::Azure]
    } else {
        q.providers.clone()
    }
}

/// Lists instance types matching the query, sorted by provider, vCPU, memory and name.
pub fn list(q: &Query) -> Vec<Row<'static>> {
    let mut res = Vec::new();
    for p in providers(q) {
        let region = q.region.clone().unwrap_or_else(|| default_region(p).to_string());
        for it in &builtin::catalog(p).types {
            let Some(rp) = it.regions.get(&region) else { continue };
            let ok = (q.families.is_empty() || q.families.iter().any(|f| it.in_family(f)))
                && (q.names.is_empty() || q.names.iter().any(|g| glob_match(g, &it.name)))
                && q.arch.is_none_or(|a| a == it.arch)
                && q.category.is_none_or(|c| c == it.category)
                && q.min_cpu.is_none_or(|c| it.cpu >= c)
                && q.min_memory.is_none_or(|m| it.memory >= m);
            if !ok {
                continue;
            }
            let spot = rp.offers.get(&PurchaseOption::Spot);
            res.push(Row {
                instance_type: it,
                region: region.clone(),
                prices: PurchaseOption::ALL
                    .iter()
                    .map(|o| (*o, rp.offers.get(o).map(|x| x.price)))
                    .collect(),
                spot_estimate: spot.is_some_and(|s| s.source.is_estimate()),
                interruption: spot.and_then(|s| s.interruption.clone()),
            });
        }
    }
    res.sort_by(|a, b| {
        let (x, y) = (a.instance_type, b.instance_type);
        x.provider
            .cmp(&y.provider)
            .then(x.cpu.cmp(&y.cpu))
            .then(x.memory.cmp(&y.memory))
            .then(x.name.cmp(&y.name))
    });
    res
}

/// How well one instance type serves one pod profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit<'a> {
    /// The listing row.
    pub row: Row<'a>,
    /// The overhead profile applied.
    pub profile: &'static str,
    /// Node allocatable under that profile.
    pub allocatable: Resources,
    /// Pods of the profile per node.
    pub pods_per_node: u64,
    /// What limits the pod count: `cpu`, `memory` or `pods`.
    pub binding: &'static str,
    /// On-demand cost per pod per month.
    pub cost_per_pod_month: f64,
    /// Allocatable ÷ capacity, mean of CPU and memory.
    pub allocatable_efficiency: f64,
    /// Share of allocatable CPU and memory left unused when the node is full of pods (the larger of the two).
    pub stranded_share: f64,
}

/// Ranks instance types for a pod of `cpu` and `memory`: cheapest per pod first.
///
/// Each provider's default overhead profile applies unless `profile` is given. Burstable types
/// are left out (their baseline is not a whole core). Types that fit no pod are left out.
pub fn fit(
    q: &Query,
    cpu: Cpu,
    memory: Bytes,
    profile: Option<&OverheadProfile>,
) -> Vec<Fit<'static>> {
    let mut res = Vec::new();
    for row in list(q) {
        let it = row.instance_type;
        if it.category == Category::Burstable || it.category == Category::Gpu {
            continue;
        }
        let Some(on_demand) =
            row.prices.iter().find(|(o, _)| *o == PurchaseOption::OnDemand).and_then(|(_, p)| *p)
        else {
            continue;
        };
        let prof = profile.cloned().unwrap_or_else(|| OverheadProfile::default_for(it.provider));
        let cap = overhead::node_capacity(&prof, it, None);
        let a = &cap.allocatable;
        let by_cpu = a.cpu.0.checked_div(cpu.0).unwrap_or(u64::MAX);
        let by_mem = a.memory.0.checked_div(memory.0).unwrap_or(u64::MAX);
        let n = by_cpu.min(by_mem).min(a.pods);
        if n == 0 {
            continue;
        }
        let binding = if n == a.pods && a.pods < by_cpu.min(by_mem) {
            "pods"
        } else if by_cpu <= by_mem {
            "cpu"
        } else {
            "memory"
        };
        let eff = 0.5
            * (a.cpu.0 as f64 / it.cpu.0.max(1) as f64
                + a.memory.0 as f64 / it.memory.0.max(1) as f64);
        let used_cpu = (n * cpu.0) as f64 / a.cpu.0.max(1) as f64;
        let used_mem = (n * memory.0) as f64 / a.memory.0.max(1) as f64;
        res.push(Fit {
            profile: prof.name(),
            allocatable: a.clone(),
            pods_per_node: n,
            binding,
            cost_per_pod_month: on_demand.monthly() / n as f64,
            allocatable_efficiency: eff,
            stranded_share: (1.0 - used_cpu).max(1.0 - used_mem).max(0.0),
            row,
        });
    }
    res.sort_by(|a, b| {
        a.cost_per_pod_month
            .total_cmp(&b.cost_per_pod_month)
            .then(a.row.instance_type.provider.cmp(&b.row.instance_type.provider))
            .then(a.row.instance_type.name.cmp(&b.row.instance_type.name))
    });
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_and_sorts() {
        let q = Query {
            providers: vec![Provider::Aws],
            families: vec!["m5".into()],
            ..Query::default()
        };
        let rows = list(&q);
        assert!(rows.iter().all(|r| r.instance_type.family == "m5"));
        assert_eq!(rows[0].instance_type.name, "m5.large");
        let od =
            rows[0].prices.iter().find(|(o, _)| *o == PurchaseOption::OnDemand).unwrap().1.unwrap();
        assert!((od.0 - 0.096).abs() < 1e-12);
        assert!(rows[0].spot_estimate);
    }

    #[test]
    fn fit_counts_pods_after_overhead() {
        // m5.large under EKS: 1930m CPU allocatable, so four 450m pods fit, not 4.4.
        let q = Query {
            providers: vec![Provider::Aws],
            names: vec!["m5.large".into()],
            ..Query::default()
        };
        let f = fit(&q, Cpu(450), Bytes::mib(512), None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].allocatable.cpu, Cpu(1930));
        assert_eq!(f[0].pods_per_node, 4);
        assert_eq!(f[0].binding, "cpu");
        assert!((f[0].cost_per_pod_month - 0.096 * 730.0 / 4.0).abs() < 1e-9);
        // Tiny pods hit the ENI pod limit of 29 first.
        let f = fit(&q, Cpu(10), Bytes::mib(16), None);
        assert_eq!((f[0].pods_per_node, f[0].binding), (29, "pods"));
    }
}
