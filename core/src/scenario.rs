//! The validated scenario (workloads, catalog choice, zones, purchase options, policies) and its node options.
//!
//! A node option is one (instance type, purchase option, zone) with its allocatable and price:
//! the unit the packers choose from. [`Scenario::node_options`] builds them from the embedded
//! catalog, the scenario's custom types, the overhead profile, the DaemonSets and the policies.

use std::collections::BTreeSet;
use std::fmt;

pub use crate::catalog::glob_match;
use crate::catalog::{
    self, Arch, Category, InstanceType, Offer, PriceSource, Provider, PurchaseOption,
};
use crate::diag::{Diagnostic, Warned};
use crate::money::Price;
use crate::overhead::{self, OverheadProfile};
use crate::policy::Policy;
use crate::quantity::{Bytes, Cpu};
use crate::resources::{ResourceName, Resources};
use crate::workload::{DaemonSet, Workload};

/// Which catalog instance types a scenario may use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogFilter {
    /// Only these families (empty: all).
    pub families: Vec<String>,
    /// Only these categories (empty: all but burstable, and GPU unless a workload needs GPUs).
    pub categories: Vec<Category>,
    /// Only these architectures (empty: all).
    pub arch: Vec<Arch>,
    /// Only instance types whose name matches one of these globs (empty: all).
    pub include: Vec<String>,
    /// Never instance types whose name matches one of these globs (`*.metal`).
    pub exclude: Vec<String>,
    /// Smallest vCPU count.
    pub min_cpu: Option<Cpu>,
    /// Largest vCPU count.
    pub max_cpu: Option<Cpu>,
    /// Smallest memory.
    pub min_memory: Option<Bytes>,
    /// Largest memory.
    pub max_memory: Option<Bytes>,
    /// Allow burstable types, planned at their published CPU baseline.
    pub burstable: bool,
}

/// A restriction of candidate node options with node-count bounds, as node groups and autoscalers configure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodePool {
    /// Name.
    pub name: String,
    /// Only these families (empty: any).
    pub families: Vec<String>,
    /// Only these instance types by name glob (empty: any).
    pub instance_types: Vec<String>,
    /// Only these architectures (empty: any).
    pub arch: Vec<Arch>,
    /// Only these purchase options (empty: any).
    pub purchase: Vec<PurchaseOption>,
    /// Smallest instance vCPU.
    pub min_cpu: Option<Cpu>,
    /// Largest instance vCPU.
    pub max_cpu: Option<Cpu>,
    /// At least this many nodes.
    pub min_nodes: u32,
    /// At most this many nodes.
    pub max_nodes: Option<u32>,
}

impl NodePool {
    /// True when the pool admits this node option.
    pub fn admits(&self, option: &NodeOption) -> bool {
        (self.families.is_empty()
            || self.families.iter().any(|f| f.eq_ignore_ascii_case(&option.family)))
            && (self.instance_types.is_empty()
                || self.instance_types.iter().any(|g| glob_match(g, &option.instance_type)))
            && (self.arch.is_empty() || self.arch.contains(&option.arch))
            && (self.purchase.is_empty() || self.purchase.contains(&option.purchase))
            && self.min_cpu.is_none_or(|c| option.capacity.cpu >= c)
            && self.max_cpu.is_none_or(|c| option.capacity.cpu <= c)
    }
}

/// A cap on how many nodes of some node options a plan may hold: the inventory of a custom type
/// (`max_count`, per zone with `max_count_per_zone`) or of a catalog type (`catalog.overrides`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountLimit {
    /// The instance type counted.
    pub instance_type: String,
    /// Only nodes in this zone, when given.
    pub zone: Option<String>,
    /// Only nodes of this purchase option, when given.
    pub purchase: Option<PurchaseOption>,
    /// At most this many nodes.
    pub max_count: u32,
    /// Where the limit is declared (`catalog.custom[0].max_count`), for messages.
    pub path: String,
}

impl CountLimit {
    /// True when a node of this option counts against the limit.
    pub fn covers(&self, option: &NodeOption) -> bool {
        option.instance_type == self.instance_type
            && self.zone.as_ref().is_none_or(|z| *z == option.zone)
            && self.purchase.is_none_or(|p| p == option.purchase)
    }

    /// What the limit says, for messages: `at most 9 nodes of rack-64 in dc1-a`.
    pub fn describe(&self) -> String {
        let mut res = format!(
            "at most {} node{} of {}",
            self.max_count,
            if self.max_count == 1 { "" } else { "s" },
            self.instance_type
        );
        if let Some(p) = self.purchase {
            res.push_str(&format!(" ({p})"));
        }
        if let Some(z) = &self.zone {
            res.push_str(&format!(" in {z}"));
        }
        res.push_str(&format!(" ({})", self.path));
        res
    }
}

/// A capacity reservation: `count` nodes of one instance type in one zone, held at `price` per
/// node-hour (0 when prepaid), such as an AWS On-Demand Capacity Reservation.
///
/// With `charge_unused` (the default, as AWS bills a reservation whether it is used or not) the
/// whole reservation is a fixed charge and a node on it costs nothing more: its node option's
/// price is 0, and [`crate::cost::reservations`] states the commitment, the nodes used and what
/// the unused ones cost. Without it, a reserved node costs `price` while it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Reservation {
    /// Name (`reservations[0]` when not given).
    pub name: String,
    /// The instance type reserved.
    pub instance_type: String,
    /// The zone it is in.
    pub zone: String,
    /// Nodes reserved.
    pub count: u32,
    /// Price per node-hour.
    pub price: Price,
    /// Whether unused reserved nodes are charged.
    pub charge_unused: bool,
    /// Where it is declared (`reservations[0]`).
    pub path: String,
}

impl Reservation {
    /// The hourly price of one node on this reservation, as the packers see it.
    pub fn node_price(&self) -> Price {
        if self.charge_unused { Price::ZERO } else { self.price }
    }
}

/// Resources a scenario adds to (or replaces in) a catalog instance type, without redefining it:
/// negotiated hardware such as local NVMe as ephemeral storage, or a device plugin's resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeOverride {
    /// The catalog instance type.
    pub instance_type: String,
    /// The declared resources (see [`InstanceType::declare`]).
    pub resources: std::collections::BTreeMap<ResourceName, u64>,
}

/// A planning problem: what runs, where it may run, under which rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// What the scenario is about, if said.
    pub description: Option<String>,
    /// Cloud provider.
    pub provider: Provider,
    /// Region (a key of the catalog's prices; custom scenarios name their own).
    pub region: String,
    /// How node allocatable is computed.
    pub overhead: OverheadProfile,
    /// Which catalog types are candidates.
    pub catalog: CatalogFilter,
    /// The scenario's own instance types (bare metal, private price sheets), priced in `region`.
    pub custom_types: Vec<InstanceType>,
    /// Resources added to catalog instance types (`catalog.overrides`).
    pub type_overrides: Vec<TypeOverride>,
    /// Inventory limits: at most so many nodes of a type (or of a type in a zone).
    pub inventory: Vec<CountLimit>,
    /// Capacity reservations held.
    pub reservations: Vec<Reservation>,
    /// Zones nodes are placed in (at least one).
    pub zones: Vec<String>,
    /// Purchase options that may be bought.
    pub purchase: Vec<PurchaseOption>,
    /// Policies.
    pub policy: Policy,
    /// Per-node overhead.
    pub daemonsets: Vec<DaemonSet>,
    /// What runs.
    pub workloads: Vec<Workload>,
    /// Optional node pools; when present, every node belongs to one.
    pub node_pools: Vec<NodePool>,
    /// Price overrides: negotiated discounts and a private price sheet.
    pub pricing: Pricing,
    /// The managed control plane's fee.
    pub control_plane: ControlPlane,
    /// Persistent volumes, priced per GiB-month by storage class.
    pub volumes: Vec<Volume>,
}

/// A negotiated discount against the on-demand price, for one family or one instance type.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscountOverride {
    /// The family (`m7i`), when the discount is per family.
    pub family: Option<String>,
    /// The instance type (`m7i.large`), when the discount is per type.
    pub instance_type: Option<String>,
    /// The purchase option it prices.
    pub option: PurchaseOption,
    /// The fraction off the on-demand price (0.35 = 35% off).
    pub discount: f64,
}

/// The scenario's price overrides. Precedence, highest first: a price-sheet row for the
/// (type, option); a per-type discount; a per-family discount; the catalog's own price; the
/// published discount table (`data/pricing/reserved-discounts.csv`, reserved options only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pricing {
    /// Discounts against on-demand.
    pub discounts: Vec<DiscountOverride>,
    /// A private price sheet: exact hourly prices per (type, option).
    pub sheet: Vec<catalog::load::PriceSheetRow>,
}

/// The managed control plane: provider tier and hourly fee per cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlPlane {
    /// The tier (`standard`, `extended`, `free`, …).
    pub tier: String,
    /// The fee per hour.
    pub hourly: Price,
    /// Where the fee comes from.
    pub source: String,
}

impl ControlPlane {
    /// The provider's default tier from `data/pricing/control-plane.csv`.
    pub fn default_for(provider: Provider) -> ControlPlane {
        catalog::builtin::control_plane_fees()
            .iter()
            .find(|r| r.provider == provider && r.default)
            .map(|r| ControlPlane {
                tier: r.tier.clone(),
                hourly: r.hourly,
                source: format!("{} ({})", r.source, r.date),
            })
            .unwrap_or(ControlPlane {
                tier: "none".into(),
                hourly: Price::ZERO,
                source: String::new(),
            })
    }
}

/// A persistent volume (or a set of identical ones) and its price.
#[derive(Clone, Debug, PartialEq)]
pub struct Volume {
    /// Name.
    pub name: String,
    /// Namespace, for allocation.
    pub namespace: String,
    /// Owning team, for allocation.
    pub owner: Option<String>,
    /// Storage class.
    pub storage_class: String,
    /// Size of one volume.
    pub size: Bytes,
    /// Number of identical volumes (one per StatefulSet replica, say).
    pub count: u32,
    /// US dollars per GiB-month.
    pub usd_per_gib_month: f64,
    /// Where the price comes from.
    pub source: String,
}

impl Volume {
    /// The monthly cost of all `count` volumes.
    pub fn monthly(&self) -> f64 {
        self.size.0 as f64 / (1u64 << 30) as f64 * self.usd_per_gib_month * f64::from(self.count)
    }
}

/// What names a node option, a plan's node and its pool: (instance type, purchase option,
/// zone). Displayed `type/purchase/zone`; ordered by type, then purchase option, then zone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OptionKey {
    /// Instance type name.
    pub instance_type: String,
    /// Purchase option.
    pub purchase: PurchaseOption,
    /// Zone.
    pub zone: String,
}

impl OptionKey {
    /// The key of `instance_type` bought on `purchase` in `zone`.
    pub fn new(instance_type: &str, purchase: PurchaseOption, zone: &str) -> OptionKey {
        OptionKey { instance_type: instance_type.to_string(), purchase, zone: zone.to_string() }
    }
}

impl fmt::Display for OptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.instance_type, self.purchase, self.zone)
    }
}

/// One (instance type, purchase option, zone) with everything a packer needs.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeOption {
    /// Instance type name.
    pub instance_type: String,
    /// Family.
    pub family: String,
    /// Category.
    pub category: Category,
    /// Architecture.
    pub arch: Arch,
    /// GPU model, if any.
    pub gpu_model: Option<String>,
    /// Purchase option.
    pub purchase: PurchaseOption,
    /// Zone.
    pub zone: String,
    /// Node capacity (pods = max pods).
    pub capacity: Resources,
    /// Kubelet allocatable (capacity minus reservations and eviction threshold).
    pub allocatable: Resources,
    /// Requests of the DaemonSet pods that run on this node.
    pub daemonset_requests: Resources,
    /// Limits of those DaemonSet pods.
    pub daemonset_limits: Resources,
    /// What workload pods may request in sum: utilization × allocatable − DaemonSet requests.
    pub usable: Resources,
    /// Per-resource caps on the sum of workload pod limits (overcommit ratio × allocatable − DaemonSet limits).
    pub limit_caps: Vec<(ResourceName, u64)>,
    /// Hourly price.
    pub price: Price,
    /// Where the price comes from.
    pub price_source: PriceSource,
    /// Spot interruption bucket, where known.
    pub interruption: Option<String>,
}

impl NodeOption {
    /// Its key: (type, purchase option, zone).
    pub fn key(&self) -> OptionKey {
        OptionKey::new(&self.instance_type, self.purchase, &self.zone)
    }

    /// True for GPU nodes (pods that request no GPU are not placed on them: GPU pools are tainted).
    pub fn has_gpu(&self) -> bool {
        self.capacity.has_gpu()
    }
}

/// The default zone names of a provider's region: one zone, named as the provider names its first zone.
pub fn default_zones(provider: Provider, region: &str) -> Vec<String> {
    vec![match provider {
        Provider::Aws => format!("{region}a"),
        Provider::Gcp => format!("{region}-a"),
        Provider::Azure => format!("{region}-1"),
        Provider::Custom => format!("{region}-a"),
    }]
}

impl Scenario {
    /// True when any workload requests a GPU.
    pub fn needs_gpus(&self) -> bool {
        self.workloads.iter().any(|w| w.pod.requests.has_gpu())
    }

    /// The candidate instance types after the catalog filter, with a note per exclusion reason.
    pub fn candidate_types(&self) -> Warned<Vec<InstanceType>> {
        let mut warnings = Vec::new();
        let builtin: &[InstanceType] = if self.provider == Provider::Custom {
            &[]
        } else {
            &catalog::builtin::catalog(self.provider).types
        };
        let f = &self.catalog;
        let needs_gpus = self.needs_gpus();
        let mut n_burstable_skipped = 0usize;
        let mut n_no_baseline = 0usize;
        let mut res: Vec<InstanceType> = Vec::new();
        for it in builtin {
            if !it.regions.contains_key(&self.region) {
                continue;
            }
            let named = !f.families.is_empty() && f.families.iter().any(|fam| it.in_family(fam));
            if !f.families.is_empty() && !named {
                continue;
            }
            if !f.categories.is_empty() && !f.categories.contains(&it.category) {
                continue;
            }
            if it.category == Category::Gpu && f.categories.is_empty() && !named && !needs_gpus {
                continue;
            }
            if it.category == Category::Burstable {
                if !f.burstable {
                    n_burstable_skipped += usize::from(named);
                    continue;
                }
                if it.burstable_baseline.is_none() {
                    n_no_baseline += 1;
                    continue;
                }
            }
            if !self.type_passes_shape_filter(it) {
                continue;
            }
            res.push(self.with_overrides(it));
        }
        if n_burstable_skipped > 0 {
            warnings.push(
                Diagnostic::warning(format!(
                    "{n_burstable_skipped} burstable instance types in the chosen families were left out: they sell a CPU baseline, not whole cores"
                ))
                .with_path("catalog.burstable")
                .with_hint("set catalog.burstable: true to plan them at their published baseline"),
            );
        }
        if n_no_baseline > 0 {
            warnings.push(Diagnostic::note(format!(
                "{n_no_baseline} burstable instance types have no published CPU baseline in data/catalog/burstable-baselines.csv and were left out"
            )));
        }
        for it in &self.custom_types {
            res.push(it.clone());
        }
        res.sort_by(|a, b| a.name.cmp(&b.name));
        Warned { output: res, warnings }
    }

    fn type_passes_shape_filter(&self, it: &InstanceType) -> bool {
        let f = &self.catalog;
        (f.arch.is_empty() || f.arch.contains(&it.arch))
            && (f.include.is_empty() || f.include.iter().any(|g| glob_match(g, &it.name)))
            && !f.exclude.iter().any(|g| glob_match(g, &it.name))
            && f.min_cpu.is_none_or(|c| it.cpu >= c)
            && f.max_cpu.is_none_or(|c| it.cpu <= c)
            && f.min_memory.is_none_or(|m| it.memory >= m)
            && f.max_memory.is_none_or(|m| it.memory <= m)
    }

    /// Every limit on node counts: the inventory limits, then each reservation's count.
    pub fn count_limits(&self) -> Vec<CountLimit> {
        let mut res = self.inventory.clone();
        res.extend(self.reservations.iter().map(|r| CountLimit {
            instance_type: r.instance_type.clone(),
            zone: Some(r.zone.clone()),
            purchase: Some(PurchaseOption::Reservation),
            max_count: r.count,
            path: format!("{}.count", r.path),
        }));
        res
    }

    /// The reservation of an instance type in a zone, if the scenario holds one.
    pub fn reservation_for(&self, instance_type: &str, zone: &str) -> Option<&Reservation> {
        self.reservations.iter().find(|r| r.instance_type == instance_type && r.zone == zone)
    }

    /// An instance type by name as the scenario sees it (custom, or catalog with its overrides),
    /// whether or not the catalog filter keeps it.
    pub fn instance_type(&self, name: &str) -> Option<InstanceType> {
        if let Some(t) = self.custom_types.iter().find(|t| t.name == name) {
            return Some(t.clone());
        }
        if self.provider == Provider::Custom {
            return None;
        }
        Some(self.with_overrides(catalog::builtin::catalog(self.provider).get(name)?))
    }

    /// A catalog type with the resources `catalog.overrides` add to it.
    fn with_overrides(&self, it: &InstanceType) -> InstanceType {
        let mut it = it.clone();
        let name = it.name.clone();
        for o in self.type_overrides.iter().filter(|o| o.instance_type == name) {
            it.declare(&o.resources);
        }
        it
    }

    /// Whether spot options are worth building: the policy allows a share and some workload tolerates spot.
    pub fn spot_allowed(&self) -> bool {
        self.purchase.contains(&PurchaseOption::Spot)
            && self.policy.spot_max_share > 0
            && self.workloads.iter().any(|w| w.spot)
    }

    /// Every node option of the scenario, sorted by key.
    pub fn node_options(&self) -> Warned<Vec<NodeOption>> {
        let Warned { output: types, mut warnings } = self.candidate_types();
        let mut res = Vec::new();
        let mut missing_prices = BTreeSet::new();
        for it in &types {
            let cap = overhead::node_capacity(&self.overhead, it, self.policy.max_pods_per_node);
            for purchase in &self.purchase {
                if purchase.is_spot() && !self.spot_allowed() {
                    continue;
                }
                let Some(offer) = self.offer(it, *purchase) else {
                    if *purchase != PurchaseOption::Spot || it.provider == Provider::Custom {
                        missing_prices.insert(*purchase);
                    }
                    continue;
                };
                // A commitment that is not cheaper than on-demand is never worth its risk.
                let reserved =
                    matches!(purchase, PurchaseOption::Reserved1y | PurchaseOption::Reserved3y);
                if reserved
                    && self.purchase.contains(&PurchaseOption::OnDemand)
                    && self
                        .offer(it, PurchaseOption::OnDemand)
                        .is_some_and(|od| offer.price.0 >= od.price.0)
                {
                    continue;
                }
                for zone in &self.zones {
                    res.push(self.build_option(it, &cap, *purchase, zone, &offer));
                }
            }
        }
        for r in &self.reservations {
            let Some(it) = self.instance_type(&r.instance_type) else { continue };
            let cap = overhead::node_capacity(&self.overhead, &it, self.policy.max_pods_per_node);
            let offer =
                Offer { price: r.node_price(), source: PriceSource::Scenario, interruption: None };
            res.push(self.build_option(&it, &cap, PurchaseOption::Reservation, &r.zone, &offer));
        }
        for p in missing_prices {
            if p != PurchaseOption::OnDemand {
                warnings.push(Diagnostic::note(format!(
                    "some candidate instance types have no {p} price in {}; they are offered without it",
                    self.region
                )));
            }
        }
        res.sort_by(|a, b| {
            a.instance_type
                .cmp(&b.instance_type)
                .then(a.purchase.cmp(&b.purchase))
                .then(a.zone.cmp(&b.zone))
        });
        Warned { output: res, warnings }
    }

    /// The offer of an instance type for a purchase option in the scenario's region, after the
    /// scenario's `pricing:` overrides and the published discount table (see [`Pricing`]).
    pub fn offer(&self, it: &InstanceType, purchase: PurchaseOption) -> Option<Offer> {
        if let Some(row) =
            self.pricing.sheet.iter().find(|r| r.instance_type == it.name && r.option == purchase)
        {
            return Some(Offer {
                price: row.hourly,
                source: PriceSource::Scenario,
                interruption: it.offer(&self.region, purchase).and_then(|o| o.interruption.clone()),
            });
        }
        let on_demand = self
            .pricing
            .sheet
            .iter()
            .find(|r| r.instance_type == it.name && r.option == PurchaseOption::OnDemand)
            .map(|r| r.hourly)
            .or_else(|| it.offer(&self.region, PurchaseOption::OnDemand).map(|o| o.price));
        let by_type =
            self.pricing.discounts.iter().find(|d| {
                d.option == purchase && d.instance_type.as_deref() == Some(it.name.as_str())
            });
        let by_family =
            self.pricing.discounts.iter().find(|d| {
                d.option == purchase && d.family.as_deref().is_some_and(|f| it.in_family(f))
            });
        if let (Some(d), Some(od)) = (by_type.or(by_family), on_demand) {
            return Some(Offer {
                price: Price(od.0 * (1.0 - d.discount)),
                source: PriceSource::Scenario,
                interruption: it.offer(&self.region, purchase).and_then(|o| o.interruption.clone()),
            });
        }
        if let Some(o) = it.offer(&self.region, purchase) {
            return Some(o.clone());
        }
        if !matches!(purchase, PurchaseOption::Reserved1y | PurchaseOption::Reserved3y) {
            return None;
        }
        let od = on_demand?;
        let table = catalog::builtin::reserved_discounts();
        let row = table
            .iter()
            .find(|r| r.provider == it.provider && r.option == purchase && it.in_family(&r.family))
            .or_else(|| {
                table
                    .iter()
                    .find(|r| r.provider == it.provider && r.option == purchase && r.family == "*")
            })?;
        Some(Offer {
            price: Price(od.0 * (1.0 - row.discount)),
            source: PriceSource::DiscountTable {
                discount: row.discount,
                source: format!("{} ({}, {} figure)", row.source, row.date, row.basis),
            },
            interruption: None,
        })
    }

    fn build_option(
        &self,
        it: &InstanceType,
        cap: &overhead::NodeCapacity,
        purchase: PurchaseOption,
        zone: &str,
        offer: &Offer,
    ) -> NodeOption {
        let gpu = cap.capacity.has_gpu();
        let mut ds_req = Resources::default();
        let mut ds_lim = Resources::default();
        for ds in &self.daemonsets {
            let arch_ok = ds.arch.is_empty() || ds.arch.contains(&it.arch);
            let gpu_ok = ds.gpu.is_none_or(|g| g == gpu);
            let spot_ok = ds.spot.is_none_or(|s| s == purchase.is_spot());
            if arch_ok && gpu_ok && spot_ok {
                ds_req = ds_req.add(&ds.pod.requests);
                ds_lim = ds_lim.add(&ds.pod.limits);
            }
        }
        let u = &self.policy.utilization;
        let mut scaled = cap.allocatable.clone();
        scaled.cpu = cap.allocatable.scale_ppm(u.cpu).cpu;
        scaled.memory = cap.allocatable.scale_ppm(u.memory).memory;
        let other = cap.allocatable.scale_ppm(u.other);
        scaled.ephemeral_storage = other.ephemeral_storage;
        scaled.extended = other.extended;
        let usable = scaled.saturating_sub(&ds_req);
        let oc = &self.policy.overcommit;
        let mut limit_caps = Vec::new();
        if let Some(r) = oc.cpu {
            let c = cap.allocatable.scale_ppm(r).cpu.0.saturating_sub(ds_lim.cpu.0);
            limit_caps.push((ResourceName::Cpu, c));
        }
        if let Some(r) = oc.memory {
            let m = cap.allocatable.scale_ppm(r).memory.0.saturating_sub(ds_lim.memory.0);
            limit_caps.push((ResourceName::Memory, m));
        }
        NodeOption {
            instance_type: it.name.clone(),
            family: it.family.clone(),
            category: it.category,
            arch: it.arch,
            gpu_model: it.gpu_model.clone(),
            purchase,
            zone: zone.to_string(),
            capacity: cap.capacity.clone(),
            allocatable: cap.allocatable.clone(),
            daemonset_requests: ds_req,
            daemonset_limits: ds_lim,
            usable,
            limit_caps,
            price: offer.price,
            price_source: offer.source.clone(),
            interruption: offer.interruption.clone(),
        }
    }

    /// The workload at an index's key, or the workload with a key.
    pub fn workload(&self, namespace: &str, name: &str) -> Option<(usize, &Workload)> {
        self.workloads.iter().enumerate().find(|(_, w)| w.namespace == namespace && w.name == name)
    }

    /// Total replicas.
    pub fn n_pods(&self) -> u64 {
        self.workloads.iter().map(|w| u64::from(w.replicas)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.metal", "m5.metal"));
        assert!(!glob_match("*.metal", "m5.large"));
        assert!(glob_match("m7?.*", "m7i.large"));
        assert!(glob_match("*", ""));
        assert!(glob_match("Standard_D*s_v5", "Standard_D4s_v5"));
        assert!(!glob_match("Standard_D*s_v5", "Standard_D4s_v4"));
    }
}
