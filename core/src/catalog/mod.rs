//! Instance types, purchase options and prices: the real cloud catalogs embedded from `data/catalog/`.
//!
//! A catalog is region-independent: each [`InstanceType`] carries its prices per region.
//! [`builtin::catalog`] parses the embedded CSV once; [`load`] holds the CSV readers.

pub mod builtin;
pub mod load;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::diag::UnknownName;
use crate::money::Price;
use crate::quantity::{Bytes, Cpu};
use crate::resources::{ResourceName, Resources, is_gpu_resource};

/// A cloud provider, or `custom` for private price sheets and bare metal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    /// Amazon Web Services (EKS).
    Aws,
    /// Google Cloud (GKE).
    Gcp,
    /// Microsoft Azure (AKS).
    Azure,
    /// Only the scenario's own instance types.
    Custom,
}

impl Provider {
    /// Every provider, in display order.
    pub const ALL: [Provider; 4] =
        [Provider::Aws, Provider::Gcp, Provider::Azure, Provider::Custom];

    /// The scenario spelling (`aws`, `gcp`, `azure`, `custom`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
            Provider::Custom => "custom",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Provider, UnknownName> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownName::new("provider", s, "one of aws, gcp, azure, custom"))
    }
}

/// CPU architecture, as the `kubernetes.io/arch` label spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arch {
    /// x86-64.
    Amd64,
    /// 64-bit ARM (Graviton, Tau T2A, Axion, Cobalt, Ampere).
    Arm64,
}

impl Arch {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Arch {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Arch, UnknownName> {
        match s {
            "amd64" | "x86_64" => Ok(Arch::Amd64),
            "arm64" | "aarch64" => Ok(Arch::Arm64),
            _ => Err(UnknownName::new("architecture", s, "amd64 or arm64")),
        }
    }
}

/// What an instance family is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Balanced CPU and memory (AWS m, GCP e2/n, Azure D).
    General,
    /// More CPU per GiB (AWS c, GCP c, Azure F).
    Compute,
    /// More memory per CPU (AWS r/x/z, GCP m, Azure E/M).
    Memory,
    /// A CPU baseline with burst credits (AWS t, GCP e2 shared-core, Azure B).
    Burstable,
    /// Accelerators (AWS g/p, GCP a/g, Azure NC/ND/NV).
    Gpu,
    /// Local-storage optimised (AWS i/d).
    Storage,
}

impl Category {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::General => "general",
            Category::Compute => "compute",
            Category::Memory => "memory",
            Category::Burstable => "burstable",
            Category::Gpu => "gpu",
            Category::Storage => "storage",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a node is bought.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PurchaseOption {
    /// Pay as you go.
    OnDemand,
    /// Reserved instance or committed use, one year.
    Reserved1y,
    /// Reserved instance or committed use, three years.
    Reserved3y,
    /// Spot / preemptible: cheap, interruptible.
    Spot,
    /// A capacity reservation the scenario holds (`reservations:`): a fixed number of nodes of
    /// one type in one zone, already committed to. Not a choice of `purchase:`.
    Reservation,
}

impl PurchaseOption {
    /// Every option that can be bought by choice (`purchase:`), in display order; a
    /// [`PurchaseOption::Reservation`] comes from the scenario's `reservations:` instead.
    pub const ALL: [PurchaseOption; 4] = [
        PurchaseOption::OnDemand,
        PurchaseOption::Reserved1y,
        PurchaseOption::Reserved3y,
        PurchaseOption::Spot,
    ];

    /// The scenario spelling (`on-demand`, `reserved-1y`, `reserved-3y`, `spot`).
    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseOption::OnDemand => "on-demand",
            PurchaseOption::Reserved1y => "reserved-1y",
            PurchaseOption::Reserved3y => "reserved-3y",
            PurchaseOption::Spot => "spot",
            PurchaseOption::Reservation => "reservation",
        }
    }

    /// True for spot / preemptible capacity.
    pub fn is_spot(self) -> bool {
        self == PurchaseOption::Spot
    }
}

impl fmt::Display for PurchaseOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PurchaseOption {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<PurchaseOption, UnknownName> {
        if s == PurchaseOption::Reservation.as_str() {
            return Ok(PurchaseOption::Reservation);
        }
        PurchaseOption::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            UnknownName::new(
                "purchase option",
                s,
                "one of on-demand, reserved-1y, reserved-3y, spot",
            )
        })
    }
}

/// Where a price comes from, so output can say which numbers are estimates.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceSource {
    /// Copied from the embedded catalog.
    Catalog,
    /// AWS spot price estimated as on-demand × (1 − Spot Instance Advisor savings %).
    SpotAdvisorEstimate {
        /// The advisor's average savings versus on-demand, in percent.
        savings_pct: u32,
    },
    /// Derived from a published discount table (`data/`), with that table's source.
    DiscountTable {
        /// The discount, as a fraction of on-demand.
        discount: f64,
        /// Where the discount figure comes from.
        source: String,
    },
    /// Given in the scenario (custom instance types, price sheets, overrides).
    Scenario,
}

impl PriceSource {
    /// True when the price is an estimate rather than a published figure.
    pub fn is_estimate(&self) -> bool {
        matches!(self, PriceSource::SpotAdvisorEstimate { .. } | PriceSource::DiscountTable { .. })
    }
}

/// A price for one purchase option in one region.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// Dollars per hour.
    pub price: Price,
    /// Where the figure comes from.
    pub source: PriceSource,
    /// Spot interruption frequency bucket (`<5%`, `5-10%`, `10-15%`, `15-20%`, `>20%`), where known.
    pub interruption: Option<String>,
}

/// The prices of an instance type in one region, by purchase option.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionPrices {
    /// Offers by purchase option; an option without an offer cannot be bought there.
    pub offers: BTreeMap<PurchaseOption, Offer>,
}

/// A CPU baseline for a burstable type: what can be planned for steady requests.
#[derive(Clone, Debug, PartialEq)]
pub struct BurstableBaseline {
    /// The plannable CPU (the published baseline, e.g. 20% of 2 vCPUs = 400m).
    pub cpu: Cpu,
    /// The published source of the figure.
    pub source: String,
}

/// A machine type a cloud sells (or a custom one from the scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceType {
    /// The provider.
    pub provider: Provider,
    /// The provider's name (`m7i.large`, `n2-standard-4`, `Standard_D4s_v5`).
    pub name: String,
    /// The family used by catalog filters (`m7i`, `n2`, `Ds_v5`).
    pub family: String,
    /// Other names the family filter accepts (e.g. Azure's `standardDSv5Family`).
    pub family_aliases: Vec<String>,
    /// What the family is built for.
    pub category: Category,
    /// CPU capacity (vCPUs × 1000).
    pub cpu: Cpu,
    /// Memory capacity.
    pub memory: Bytes,
    /// GPUs.
    pub gpus: u32,
    /// GPU model, where known.
    pub gpu_model: Option<String>,
    /// CPU architecture.
    pub arch: Arch,
    /// Provider-published max pods for this type (EKS: ENIs × (IPs per ENI − 1) + 2), where known.
    pub max_pods: Option<u32>,
    /// Local ephemeral storage that comes with the type (bundled local SSD), where known.
    pub local_storage: Option<Bytes>,
    /// For burstable types: the plannable CPU baseline, where published.
    pub burstable_baseline: Option<BurstableBaseline>,
    /// Node capacity the scenario declares (a `resources:` map): a non-zero `pods` is the
    /// type's pod capacity, a non-zero `ephemeral_storage` its node disk (instead of the
    /// overhead profile's default), and each extended entry (huge pages in bytes, device
    /// resources as counts) is offered as given. Empty for catalog types without an override.
    pub declared: Resources,
    /// Prices by region name.
    pub regions: BTreeMap<String, RegionPrices>,
}

impl InstanceType {
    /// The number of vCPUs.
    pub fn vcpus(&self) -> f64 {
        self.cpu.as_cores_f64()
    }

    /// The offer for a purchase option in a region, if it can be bought there.
    pub fn offer(&self, region: &str, purchase: PurchaseOption) -> Option<&Offer> {
        self.regions.get(region)?.offers.get(&purchase)
    }

    /// Applies a declared resource map (a custom type's or a catalog override's `resources:`):
    /// cpu and memory replace the type's own, `pods` its pod capacity, ephemeral storage its
    /// node disk; huge pages and extended resources (GPUs and any device) are added as given,
    /// and a declared GPU resource sets the GPU count.
    pub fn declare(&mut self, resources: &BTreeMap<ResourceName, u64>) {
        for (name, amount) in resources {
            match name {
                ResourceName::Cpu => self.cpu = Cpu(*amount),
                ResourceName::Memory => self.memory = Bytes(*amount),
                ResourceName::Pods => {
                    self.declared.pods = *amount;
                    self.max_pods = Some(u32::try_from(*amount).unwrap_or(u32::MAX));
                }
                ResourceName::EphemeralStorage => self.declared.ephemeral_storage = Bytes(*amount),
                ResourceName::Extended(key) => {
                    self.declared.extended.insert(key.clone(), *amount);
                }
            }
        }
        let gpus: u64 = self
            .declared
            .extended
            .iter()
            .filter(|(k, _)| is_gpu_resource(k))
            .map(|(_, v)| *v)
            .sum();
        if gpus > 0 {
            self.gpus = u32::try_from(gpus).unwrap_or(u32::MAX);
        }
    }

    /// True when the scenario declares a GPU resource by name for this type (then the GPU count
    /// is not offered a second time under the model's default name).
    pub fn declares_gpus(&self) -> bool {
        self.declared.extended.keys().any(|k| is_gpu_resource(k))
    }

    /// True when the family filter entry `family` selects this type (case-insensitive, aliases included).
    pub fn in_family(&self, family: &str) -> bool {
        self.family.eq_ignore_ascii_case(family)
            || self.family_aliases.iter().any(|a| a.eq_ignore_ascii_case(family))
    }
}

/// All instance types of one provider.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// Instance types sorted by name.
    pub types: Vec<InstanceType>,
}

impl Catalog {
    /// The instance type with this exact name.
    pub fn get(&self, name: &str) -> Option<&InstanceType> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }

    /// The regions any type has prices in, sorted.
    pub fn regions(&self) -> Vec<String> {
        let mut res: Vec<String> =
            self.types.iter().flat_map(|t| t.regions.keys().cloned()).collect();
        res.sort();
        res.dedup();
        res
    }
}

/// The region used for a provider when none is given.
pub fn default_region(provider: Provider) -> &'static str {
    match provider {
        Provider::Aws => "us-east-1",
        Provider::Gcp => "us-central1",
        Provider::Azure => "eastus",
        Provider::Custom => "custom",
    }
}

/// Matches a name against a glob with `*` (any run) and `?` (any one character).
pub fn glob_match(glob: &str, name: &str) -> bool {
    let (g, n): (Vec<char>, Vec<char>) = (glob.chars().collect(), name.chars().collect());
    let (mut gi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if gi < g.len() && (g[gi] == '?' || g[gi] == n[ni]) {
            gi += 1;
            ni += 1;
        } else if gi < g.len() && g[gi] == '*' {
            star = Some(gi);
            mark = ni;
            gi += 1;
        } else if let Some(s) = star {
            gi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|c| *c == '*')
}
