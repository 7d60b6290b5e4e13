//! CSV readers for the catalogs: the text of `data/catalog/*.csv` in, a [`Catalog`] out.
//!
//! This file and `input/usage/prometheus.rs` (the usage samples) are kplan-core's CSV readers.
//! Every reader is strict: a missing column, a cell that is not what its column needs, a
//! malformed record, two rows that disagree about the same instance type, or a repeated (type, region) row is a [`LoadError`] naming the
//! file, the 1-based line, the column and what was expected. Nothing panics and nothing is
//! silently dropped; the only rows that add nothing are those without any price, which is what
//! an empty price cell means.
//!
//! Rules shared by the three catalogs (`data/README.md` documents the files):
//!
//! - One [`InstanceType`] per name, with one [`RegionPrices`] per (type, region) row that has an
//!   on-demand or a spot price. Types are sorted by name, as [`Catalog::get`] requires.
//! - `vcpus` becomes millicores exactly (at most three decimals); memory in GiB (decimal, such
//!   as `3.75`) becomes bytes rounded down, so capacity never overstates; AWS memory comes from
//!   the exact `memory_mib` column instead.
//! - A fractional `gpu_count` (Azure's NVadsA10 v5 partitions, such as `0.333`) is not a whole
//!   device Kubernetes can schedule: such types get `gpus = 0` and a model text saying which
//!   share of a GPU they carry.

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::{
    Arch, BurstableBaseline, Catalog, Category, InstanceType, Offer, PriceSource, Provider,
    PurchaseOption, RegionPrices,
};
use crate::money::Price;
use crate::quantity::{Bytes, Cpu};

/// The label used in errors for the AWS catalog (`data/catalog/aws.csv`).
pub const AWS_FILE: &str = "aws.csv";
/// The label used in errors for the EKS max-pods table (`data/catalog/aws-max-pods.csv`).
pub const AWS_MAX_PODS_FILE: &str = "aws-max-pods.csv";
/// The label used in errors for the GCP catalog (`data/catalog/gcp.csv`).
pub const GCP_FILE: &str = "gcp.csv";
/// The label used in errors for the Azure catalog (`data/catalog/azure.csv`).
pub const AZURE_FILE: &str = "azure.csv";
/// The label used in errors for the burstable CPU baselines (`data/catalog/burstable-baselines.csv`).
pub const BURSTABLE_FILE: &str = "burstable-baselines.csv";

/// The Spot Instance Advisor's interruption-frequency buckets, as `aws.csv` spells them.
const INTERRUPTION_BUCKETS: [&str; 5] = ["<5%", "5-10%", "10-15%", "15-20%", ">20%"];

/// A catalog file that could not be read, with where and why.
///
/// ```
/// use kplan_core::catalog::load;
/// let csv = "instance_type,vcpus\nm5.large,two\n";
/// let err = load::gcp(csv, "provider,instance_type,vcpus,baseline_vcpu,published_figure,source\n").unwrap_err();
/// assert_eq!(err.file, "gcp.csv");
/// assert_eq!(err.line, 1);
/// assert_eq!(err.column.as_deref(), Some("memory_gib"));
/// assert!(err.to_string().starts_with("gcp.csv:1: column `memory_gib`: missing"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{kind}", column.as_ref().map(|c| format!("column `{c}`: ")).unwrap_or_default())]
pub struct LoadError {
    /// The file label (such as `aws.csv`).
    pub file: String,
    /// The 1-based line of the record (1 is the header).
    pub line: u64,
    /// The column, when the problem is in one cell or one missing column.
    pub column: Option<String>,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong in a catalog file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The header does not name a column the reader needs.
    MissingColumn,
    /// A cell does not hold what its column needs.
    Invalid {
        /// The cell text as found.
        found: String,
        /// What the column needs.
        expected: String,
    },
    /// The record itself is malformed (a wrong number of fields, invalid UTF-8).
    Malformed(String),
}

impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadErrorKind::MissingColumn => f.write_str("missing from the header"),
            LoadErrorKind::Invalid { found, expected } => {
                write!(f, "expected {expected}, found {found:?}")
            }
            LoadErrorKind::Malformed(msg) => write!(f, "malformed record: {msg}"),
        }
    }
}

/// One row of the EKS max-pods table (`aws-max-pods.csv`); empty cells are `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EksMaxPods {
    /// The 1-based line in the file.
    pub line: u64,
    /// The EC2 instance type.
    pub instance_type: String,
    /// ENIs on the default network card (`default_max_enis`).
    pub default_max_enis: Option<u32>,
    /// IPv4 addresses per ENI (`ipv4_addresses_per_interface`).
    pub ipv4_addresses_per_interface: Option<u32>,
    /// ENIs × (IPs per ENI − 1) + 2, as derived in the file (`max_pods_formula`).
    pub max_pods_formula: Option<u32>,
    /// The value of the last published `eni-max-pods.txt` (`max_pods_eni_max_pods_txt`).
    pub max_pods_eni_max_pods_txt: Option<u32>,
}

impl EksMaxPods {
    /// The max pods to use: the formula column, else the published table's value.
    pub fn max_pods(&self) -> Option<u32> {
        self.max_pods_formula.or(self.max_pods_eni_max_pods_txt)
    }
}

/// Reads the AWS catalog with its EKS max-pods table and the burstable baselines.
///
/// Spot prices: `spot_usd_per_hr` when present; otherwise, when the row has an on-demand price
/// and a Spot Instance Advisor `spot_savings_pct`, on-demand × (1 − pct/100), labelled
/// [`PriceSource::SpotAdvisorEstimate`]. `spot_interruption_range` goes into [`Offer::interruption`].
/// Reserved prices are not in the file.
pub fn aws(
    catalog_csv: &str,
    max_pods_csv: &str,
    burstable_csv: &str,
) -> Result<Catalog, LoadError> {
    let sheet = Sheet::read(AWS_FILE, catalog_csv)?;
    let c = AwsColumns::find(&sheet)?;
    let mut builder = Builder::new(Provider::Aws);
    for row in sheet.rows() {
        let name = row.required(c.name, "an instance type name")?;
        let family = row.required(c.family, "the family (text before the first dot)")?.to_string();
        let gpu = gpus(&row, c.gpu_count, c.gpu_model)?;
        let spec = InstanceType {
            provider: Provider::Aws,
            name: name.to_string(),
            category: aws_category(&family, gpu.count),
            family,
            family_aliases: Vec::new(),
            cpu: row.cpu(c.vcpus)?,
            memory: Bytes::mib(u64::from(row.u32(c.memory_mib, "a whole number of MiB")?)),
            gpus: gpu.count,
            gpu_model: gpu.model,
            arch: row.arch(c.arch)?,
            max_pods: None,
            local_storage: None,
            burstable_baseline: None,
            declared: crate::resources::Resources::default(),
            regions: BTreeMap::new(),
        };
        let mut prices = RegionPrices::default();
        let on_demand = row.price(c.on_demand)?;
        let interruption = match row.optional(c.interruption) {
            None => None,
            Some(text) if INTERRUPTION_BUCKETS.contains(&text) => Some(text.to_string()),
            Some(_) => {
                return Err(row.invalid(
                    c.interruption,
                    "one of <5%, 5-10%, 10-15%, 15-20%, >20% or nothing",
                ));
            }
        };
        if let Some(price) = on_demand {
            prices.offers.insert(PurchaseOption::OnDemand, catalog_offer(price));
        }
        let savings_pct = match row.optional(c.savings_pct) {
            None => None,
            Some(_) => {
                let pct = row.u32(c.savings_pct, "a whole percentage from 0 to 100")?;
                if pct > 100 {
                    return Err(row.invalid(c.savings_pct, "a whole percentage from 0 to 100"));
                }
                Some(pct)
            }
        };
        let spot = match (row.price(c.spot)?, on_demand, savings_pct) {
            (Some(price), _, _) => {
                Some(Offer { price, source: PriceSource::Catalog, interruption })
            }
            (None, Some(od), Some(pct)) => Some(Offer {
                price: Price(od.0 * (1.0 - f64::from(pct) / 100.0)),
                source: PriceSource::SpotAdvisorEstimate { savings_pct: pct },
                interruption,
            }),
            _ => None,
        };
        if let Some(offer) = spot {
            prices.offers.insert(PurchaseOption::Spot, offer);
        }
        let region = row.required(c.region, "a region name")?;
        builder.add(&row, c.name, spec, region, prices)?;
    }
    let mut res = builder.finish();
    let max_pods: BTreeMap<String, u32> = eks_max_pods(max_pods_csv)?
        .into_iter()
        .filter_map(|r| Some((r.instance_type.clone(), r.max_pods()?)))
        .collect();
    for it in &mut res.types {
        it.max_pods = max_pods.get(&it.name).copied();
    }
    apply_burstable(&mut res, Provider::Aws, burstable_csv)?;
    Ok(res)
}

/// Reads the GCP catalog and the burstable baselines.
///
/// Offers: on-demand and spot from the hourly columns; reserved 1 and 3 years from the monthly
/// resource-based committed-use prices divided by 730 hours, when present. `local_ssd_gb`
/// (decimal GB) becomes [`InstanceType::local_storage`].
pub fn gcp(catalog_csv: &str, burstable_csv: &str) -> Result<Catalog, LoadError> {
    let sheet = Sheet::read(GCP_FILE, catalog_csv)?;
    let c = GcpColumns::find(&sheet)?;
    let mut builder = Builder::new(Provider::Gcp);
    for row in sheet.rows() {
        let name = row.required(c.common.name, "a machine type name")?;
        let series = row.required(c.series, "the machine series (such as n2)")?.to_string();
        let gpu = gpus(&row, c.common.gpu_count, c.common.gpu_model)?;
        let local_storage = match row.optional(c.local_ssd_gb) {
            None => None,
            Some(_) => Some(Bytes(row.decimal_floor(
                c.local_ssd_gb,
                1_000_000_000,
                "a number of GB such as 375",
            )?)),
        };
        let spec = InstanceType {
            provider: Provider::Gcp,
            name: name.to_string(),
            category: gcp_category(name, &series, gpu.count),
            family: series,
            family_aliases: Vec::new(),
            cpu: row.cpu(c.common.vcpus)?,
            memory: row.gib(c.common.memory_gib)?,
            gpus: gpu.count,
            gpu_model: gpu.model,
            arch: row.arch(c.common.arch)?,
            max_pods: None,
            local_storage,
            burstable_baseline: None,
            declared: crate::resources::Resources::default(),
            regions: BTreeMap::new(),
        };
        let mut prices = common_prices(&row, &c.common)?;
        for (col, option) in
            [(c.month_1y, PurchaseOption::Reserved1y), (c.month_3y, PurchaseOption::Reserved3y)]
        {
            if let Some(monthly) = row.price(col)? {
                prices.offers.insert(option, catalog_offer(Price::from_monthly(monthly.0)));
            }
        }
        let region = row.required(c.common.region, "a region name")?;
        builder.add(&row, c.common.name, spec, region, prices)?;
    }
    let mut res = builder.finish();
    apply_burstable(&mut res, Provider::Gcp, burstable_csv)?;
    Ok(res)
}

/// Reads the Azure catalog and the burstable baselines.
///
/// The family is the size name without `Standard_`, its first run of digits and any
/// constrained-core `-<digits>` part (`Standard_E16-4ads_v5` → `Eads_v5`), with the
/// `sku_family` column (`standardEADSv5Family`) as an alias. An empty `arch` cell is derived
/// from the size's feature letters: `p` means Arm64 (`Dpsv5`, `Epdsv6`), anything else amd64.
pub fn azure(catalog_csv: &str, burstable_csv: &str) -> Result<Catalog, LoadError> {
    let sheet = Sheet::read(AZURE_FILE, catalog_csv)?;
    let c = AzureColumns::find(&sheet)?;
    let mut builder = Builder::new(Provider::Azure);
    for row in sheet.rows() {
        let name = row.required(c.common.name, "a VM size name")?;
        let size = AzureSize::parse(name);
        let gpu = gpus(&row, c.common.gpu_count, c.common.gpu_model)?;
        let arch = match row.optional(c.common.arch) {
            Some(_) => row.arch(c.common.arch)?,
            None if size.features.contains('p') => Arch::Arm64,
            None => Arch::Amd64,
        };
        let spec = InstanceType {
            provider: Provider::Azure,
            name: name.to_string(),
            category: azure_category(size.series, gpu.count),
            family: size.family.clone(),
            family_aliases: row
                .optional(c.sku_family)
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
            cpu: row.cpu(c.common.vcpus)?,
            memory: row.gib(c.common.memory_gib)?,
            gpus: gpu.count,
            gpu_model: gpu.model,
            arch,
            max_pods: None,
            local_storage: None,
            burstable_baseline: None,
            declared: crate::resources::Resources::default(),
            regions: BTreeMap::new(),
        };
        let prices = common_prices(&row, &c.common)?;
        let region = row.required(c.common.region, "a region name")?;
        builder.add(&row, c.common.name, spec, region, prices)?;
    }
    let mut res = builder.finish();
    apply_burstable(&mut res, Provider::Azure, burstable_csv)?;
    Ok(res)
}

/// Reads the EKS max-pods table (`aws-max-pods.csv`), every row, in file order.
pub fn eks_max_pods(max_pods_csv: &str) -> Result<Vec<EksMaxPods>, LoadError> {
    let sheet = Sheet::read(AWS_MAX_PODS_FILE, max_pods_csv)?;
    let name = sheet.column("instance_type")?;
    let enis = sheet.column("default_max_enis")?;
    let ips = sheet.column("ipv4_addresses_per_interface")?;
    let formula = sheet.column("max_pods_formula")?;
    let txt = sheet.column("max_pods_eni_max_pods_txt")?;
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut res = Vec::new();
    for row in sheet.rows() {
        let instance_type = row.required(name, "an instance type name")?.to_string();
        if let Some(first) = seen.insert(instance_type.clone(), row.line) {
            return Err(row
                .invalid(name, &format!("one row per instance type (line {first} has this one)")));
        }
        let optional_u32 = |col: Col| -> Result<Option<u32>, LoadError> {
            match row.optional(col) {
                None => Ok(None),
                Some(_) => row.u32(col, "a whole number or nothing").map(Some),
            }
        };
        res.push(EksMaxPods {
            line: row.line,
            instance_type,
            default_max_enis: optional_u32(enis)?,
            ipv4_addresses_per_interface: optional_u32(ips)?,
            max_pods_formula: optional_u32(formula)?,
            max_pods_eni_max_pods_txt: optional_u32(txt)?,
        });
    }
    Ok(res)
}

/// The category of an AWS family by its prefix; any type with GPUs is `gpu`.
fn aws_category(family: &str, gpus: u32) -> Category {
    let f = family.to_ascii_lowercase();
    if gpus > 0 || ["inf", "trn", "dl"].iter().any(|p| f.starts_with(p)) {
        return Category::Gpu;
    }
    if f.starts_with("hpc") {
        return Category::Compute;
    }
    if ["im", "is"].iter().any(|p| f.starts_with(p)) {
        return Category::Storage;
    }
    match f.as_bytes().first() {
        Some(b'c') => Category::Compute,
        Some(b'r' | b'x' | b'z' | b'u') => Category::Memory,
        Some(b't') => Category::Burstable,
        Some(b'g' | b'p') => Category::Gpu,
        Some(b'i' | b'd' | b'h') => Category::Storage,
        _ => Category::General,
    }
}

/// The category of a GCP machine type by its series; the shared-core E2 types are burstable.
fn gcp_category(name: &str, series: &str, gpus: u32) -> Category {
    if matches!(name, "e2-micro" | "e2-small" | "e2-medium") {
        return Category::Burstable;
    }
    if gpus > 0 {
        return Category::Gpu;
    }
    match series {
        "c2" | "c2d" | "c3" | "c3d" | "c4" | "c4a" | "c4d" | "c4n" | "h3" => Category::Compute,
        "m1" | "m2" | "m3" | "m4" => Category::Memory,
        "a2" | "a3" | "g2" | "g4" => Category::Gpu,
        _ => Category::General,
    }
}

/// The category of an Azure size by its series letters (`B`, `D`, `DS`, `F`, `FX`, `NC`, …).
fn azure_category(series: &str, gpus: u32) -> Category {
    if gpus > 0 || ["NC", "ND", "NV"].iter().any(|p| series.starts_with(p)) {
        return Category::Gpu;
    }
    match series.as_bytes().first() {
        Some(b'B') => Category::Burstable,
        Some(b'F') => Category::Compute,
        Some(b'E' | b'M') => Category::Memory,
        _ => Category::General,
    }
}

/// The parts of an Azure size name such as `Standard_E16-4ads_v5`.
#[derive(Debug, PartialEq)]
struct AzureSize<'a> {
    /// The letters before the vCPU count (`E`, `DS`, `NC`, `FX`).
    series: &'a str,
    /// The lower-case feature letters after the vCPU count (`ads`, `ps`, or empty).
    features: &'a str,
    /// The name without `Standard_`, the vCPU count and the constrained-core part (`Eads_v5`).
    family: String,
}

impl<'a> AzureSize<'a> {
    fn parse(name: &'a str) -> AzureSize<'a> {
        let s = name.strip_prefix("Standard_").unwrap_or(name);
        let digits_at = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        let series = &s[..digits_at];
        let mut rest = s[digits_at..].trim_start_matches(|c: char| c.is_ascii_digit());
        if let Some(after_dash) = rest.strip_prefix('-') {
            let constrained = after_dash.trim_start_matches(|c: char| c.is_ascii_digit());
            if constrained.len() < after_dash.len() {
                rest = constrained;
            }
        }
        let features_end = rest.find(|c: char| !c.is_ascii_lowercase()).unwrap_or(rest.len());
        AzureSize { series, features: &rest[..features_end], family: format!("{series}{rest}") }
    }
}

/// Attaches the published CPU baselines of `burstable-baselines.csv` to this provider's types.
fn apply_burstable(
    catalog: &mut Catalog,
    catalog_provider: Provider,
    burstable_csv: &str,
) -> Result<(), LoadError> {
    let sheet = Sheet::read(BURSTABLE_FILE, burstable_csv)?;
    let provider_col = sheet.column("provider")?;
    let name_col = sheet.column("instance_type")?;
    let vcpus_col = sheet.column("vcpus")?;
    let baseline_col = sheet.column("baseline_vcpu")?;
    let figure_col = sheet.column("published_figure")?;
    let source_col = sheet.column("source")?;
    for row in sheet.rows() {
        let provider: Provider = row
            .required(provider_col, "aws, gcp or azure")?
            .parse()
            .map_err(|_| row.invalid(provider_col, "aws, gcp or azure"))?;
        if provider != catalog_provider {
            continue;
        }
        let name = row.required(name_col, "an instance type name")?;
        let vcpus = row.cpu(vcpus_col)?;
        let baseline = row.cpu(baseline_col)?;
        let figure =
            row.required(figure_col, "the published figure (such as 20% of each of 2 vCPUs)")?;
        let source = row.required(source_col, "the documentation page the figure comes from")?;
        let Ok(i) = catalog.types.binary_search_by(|t| t.name.as_str().cmp(name)) else {
            return Err(
                row.invalid(name_col, &format!("an instance type of the {provider} catalog"))
            );
        };
        let it = &mut catalog.types[i];
        if it.cpu != vcpus {
            return Err(
                row.invalid(vcpus_col, &format!("{} (the catalog's vCPUs for {name})", it.cpu))
            );
        }
        if baseline.0 == 0 || baseline > it.cpu {
            return Err(row.invalid(
                baseline_col,
                &format!("a baseline above 0 and at most {} vCPUs", it.cpu),
            ));
        }
        if it.burstable_baseline.is_some() {
            return Err(row.invalid(name_col, "one row per instance type"));
        }
        it.burstable_baseline = Some(BurstableBaseline {
            cpu: baseline,
            source: format!("{name}: {figure}; {source}"),
        });
    }
    Ok(())
}

fn catalog_offer(price: Price) -> Offer {
    Offer { price, source: PriceSource::Catalog, interruption: None }
}

/// On-demand and spot offers from the common hourly columns (GCP, Azure).
fn common_prices(row: &Row<'_>, c: &CommonColumns) -> Result<RegionPrices, LoadError> {
    let mut prices = RegionPrices::default();
    if let Some(price) = row.price(c.on_demand)? {
        prices.offers.insert(PurchaseOption::OnDemand, catalog_offer(price));
    }
    if let Some(price) = row.price(c.spot)? {
        prices.offers.insert(PurchaseOption::Spot, catalog_offer(price));
    }
    Ok(prices)
}

struct Gpus {
    count: u32,
    model: Option<String>,
}

/// `gpu_count` and `gpu_model`; a fractional count is a GPU partition, not a schedulable device.
fn gpus(row: &Row<'_>, count_col: Col, model_col: Col) -> Result<Gpus, LoadError> {
    let model = row.optional(model_col).map(str::to_string);
    let Some(text) = row.optional(count_col) else {
        return Ok(Gpus { count: 0, model });
    };
    const EXPECTED: &str = "a GPU count such as 0, 1, 8 or a fraction such as 0.5";
    let millis = row.decimal_floor(count_col, 1000, EXPECTED)?;
    if millis % 1000 == 0 {
        let count = u32::try_from(millis / 1000).map_err(|_| row.invalid(count_col, EXPECTED))?;
        Ok(Gpus { count, model })
    } else {
        let model = format!("{} ({text} of a GPU)", model.as_deref().unwrap_or("GPU"));
        Ok(Gpus { count: 0, model: Some(model) })
    }
}

/// Collects rows into instance types, checking that rows of one type agree.
struct Builder {
    provider: Provider,
    /// Spec (regions empty), its regions and the line that first gave it, by name.
    types: BTreeMap<String, (InstanceType, BTreeMap<String, RegionPrices>, u64)>,
    /// The line of each (type, region) row.
    rows: BTreeMap<(String, String), u64>,
}

impl Builder {
    fn new(provider: Provider) -> Builder {
        Builder { provider, types: BTreeMap::new(), rows: BTreeMap::new() }
    }

    fn add(
        &mut self,
        row: &Row<'_>,
        name_col: Col,
        spec: InstanceType,
        region: &str,
        prices: RegionPrices,
    ) -> Result<(), LoadError> {
        debug_assert_eq!(spec.provider, self.provider);
        if let Some(first) = self.rows.insert((spec.name.clone(), region.to_string()), row.line) {
            return Err(row.invalid(
                name_col,
                &format!("one row per instance type and region (line {first} has {region})"),
            ));
        }
        let entry = self
            .types
            .entry(spec.name.clone())
            .or_insert_with(|| (spec.clone(), BTreeMap::new(), row.line));
        if entry.0 != spec {
            let first = entry.2;
            return Err(row.invalid(
                name_col,
                &format!("the same vCPUs, memory, GPUs, arch and family as on line {first}"),
            ));
        }
        if !prices.offers.is_empty() {
            entry.1.insert(region.to_string(), prices);
        }
        Ok(())
    }

    fn finish(self) -> Catalog {
        // BTreeMap iteration is sorted by name, as `Catalog::get` requires.
        let types = self
            .types
            .into_values()
            .map(|(mut it, regions, _)| {
                it.regions = regions;
                it
            })
            .collect();
        Catalog { types }
    }
}

/// The label used in errors for the reserved discount table (`data/pricing/reserved-discounts.csv`).
pub const DISCOUNTS_FILE: &str = "reserved-discounts.csv";
/// The label used in errors for the control-plane fee table (`data/pricing/control-plane.csv`).
pub const CONTROL_PLANE_FILE: &str = "control-plane.csv";
/// The label used in errors for the storage price table (`data/pricing/storage.csv`).
pub const STORAGE_FILE: &str = "storage.csv";
/// The label used in errors for a scenario's private price sheet (`pricing.sheet`).
pub const PRICE_SHEET_FILE: &str = "pricing.sheet";
/// The label used in errors for a load profile (`kplan commit --profile`).
pub const PROFILE_FILE: &str = "profile";

/// One row of the reserved discount table: a published discount against on-demand.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscountRow {
    /// The provider.
    pub provider: Provider,
    /// The family it applies to, or `*` for every family of the provider.
    pub family: String,
    /// `reserved-1y` or `reserved-3y`.
    pub option: PurchaseOption,
    /// The discount as a fraction of the on-demand price (0.30 = 30% off).
    pub discount: f64,
    /// `typical` (a typical published rate) or `maximum` (the published "up to" figure).
    pub basis: String,
    /// The published source.
    pub source: String,
    /// The date of the source.
    pub date: String,
}

/// Reads the reserved discount table (`provider, family, option, discount, basis, source, date`).
pub fn reserved_discounts(csv_text: &str) -> Result<Vec<DiscountRow>, LoadError> {
    let sheet = Sheet::read(DISCOUNTS_FILE, csv_text)?;
    let (provider, family, option, discount, basis, source, date) = (
        sheet.column("provider")?,
        sheet.column("family")?,
        sheet.column("option")?,
        sheet.column("discount")?,
        sheet.column("basis")?,
        sheet.column("source")?,
        sheet.column("date")?,
    );
    let mut res = Vec::new();
    for row in sheet.rows() {
        let option_value: PurchaseOption = row
            .text(option)
            .parse()
            .ok()
            .filter(|o| matches!(o, PurchaseOption::Reserved1y | PurchaseOption::Reserved3y))
            .ok_or_else(|| row.invalid(option, "reserved-1y or reserved-3y"))?;
        let basis_value = row.required(basis, "typical or maximum")?;
        if basis_value != "typical" && basis_value != "maximum" {
            return Err(row.invalid(basis, "typical or maximum"));
        }
        res.push(DiscountRow {
            provider: row.provider(provider)?,
            family: row.required(family, "a family name or *")?.to_string(),
            option: option_value,
            discount: row.fraction(discount)?,
            basis: basis_value.to_string(),
            source: row.required(source, "the published source")?.to_string(),
            date: row.required(date, "the date of the source")?.to_string(),
        });
    }
    Ok(res)
}

/// One row of the control-plane fee table.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlPlaneRow {
    /// The provider.
    pub provider: Provider,
    /// The tier (`standard`, `extended`, `free`, `autopilot`, `none`).
    pub tier: String,
    /// The fee per cluster.
    pub hourly: Price,
    /// True for the tier a scenario gets when it names none.
    pub default: bool,
    /// The published source.
    pub source: String,
    /// The date of the source.
    pub date: String,
}

/// Reads the control-plane fee table (`provider, tier, usd_per_hour, default, source, date`).
pub fn control_plane_fees(csv_text: &str) -> Result<Vec<ControlPlaneRow>, LoadError> {
    let sheet = Sheet::read(CONTROL_PLANE_FILE, csv_text)?;
    let (provider, tier, fee, default, source, date) = (
        sheet.column("provider")?,
        sheet.column("tier")?,
        sheet.column("usd_per_hour")?,
        sheet.column("default")?,
        sheet.column("source")?,
        sheet.column("date")?,
    );
    let mut res = Vec::new();
    for row in sheet.rows() {
        let default_value = match row.text(default) {
            "yes" => true,
            "no" => false,
            _ => return Err(row.invalid(default, "yes or no")),
        };
        res.push(ControlPlaneRow {
            provider: row.provider(provider)?,
            tier: row.required(tier, "a tier name")?.to_string(),
            hourly: row
                .price(fee)?
                .ok_or_else(|| row.invalid(fee, "a fee in US dollars per hour"))?,
            default: default_value,
            source: row.required(source, "the published source")?.to_string(),
            date: row.required(date, "the date of the source")?.to_string(),
        });
    }
    Ok(res)
}

/// One row of the storage price table.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageRow {
    /// The provider.
    pub provider: Provider,
    /// The storage class (or volume type) name.
    pub storage_class: String,
    /// US dollars per GiB-month.
    pub usd_per_gib_month: f64,
    /// The published source.
    pub source: String,
    /// The date of the source.
    pub date: String,
}

/// Reads the storage price table (`provider, storage_class, usd_per_gib_month, source, date`).
pub fn storage_prices(csv_text: &str) -> Result<Vec<StorageRow>, LoadError> {
    let sheet = Sheet::read(STORAGE_FILE, csv_text)?;
    let (provider, class, price, source, date) = (
        sheet.column("provider")?,
        sheet.column("storage_class")?,
        sheet.column("usd_per_gib_month")?,
        sheet.column("source")?,
        sheet.column("date")?,
    );
    let mut res = Vec::new();
    for row in sheet.rows() {
        res.push(StorageRow {
            provider: row.provider(provider)?,
            storage_class: row.required(class, "a storage class name")?.to_string(),
            usd_per_gib_month: row
                .price(price)?
                .ok_or_else(|| row.invalid(price, "a price in US dollars per GiB-month"))?
                .0,
            source: row.required(source, "the published source")?.to_string(),
            date: row.required(date, "the date of the source")?.to_string(),
        });
    }
    Ok(res)
}

/// One row of a private price sheet: an hourly price for one instance type and purchase option.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceSheetRow {
    /// The 1-based line in the sheet (1 is the header).
    pub line: u64,
    /// The instance type.
    pub instance_type: String,
    /// The purchase option.
    pub option: PurchaseOption,
    /// The hourly price.
    pub hourly: Price,
}

/// Reads a private price sheet (`type, option, hourly`); a (type, option) pair may appear once.
pub fn price_sheet(csv_text: &str) -> Result<Vec<PriceSheetRow>, LoadError> {
    let sheet = Sheet::read(PRICE_SHEET_FILE, csv_text)?;
    let (name, option, hourly) =
        (sheet.column("type")?, sheet.column("option")?, sheet.column("hourly")?);
    let mut seen: BTreeMap<(String, PurchaseOption), u64> = BTreeMap::new();
    let mut res = Vec::new();
    for row in sheet.rows() {
        let instance_type = row.required(name, "an instance type name")?.to_string();
        let option_value: PurchaseOption = row
            .text(option)
            .parse()
            .map_err(|_| row.invalid(option, "one of on-demand, reserved-1y, reserved-3y, spot"))?;
        let price = row
            .price(hourly)?
            .ok_or_else(|| row.invalid(hourly, "a price in US dollars per hour such as 0.096"))?;
        if let Some(first) = seen.insert((instance_type.clone(), option_value), row.line) {
            return Err(row.invalid(
                name,
                &format!("one row per instance type and option (line {first} has this one)"),
            ));
        }
        res.push(PriceSheetRow {
            line: row.line,
            instance_type,
            option: option_value,
            hourly: price,
        });
    }
    Ok(res)
}

/// Reads a load profile (`hour, scale`): hours 0, 1, 2, … in order, each with a scale factor ≥ 0.
pub fn load_profile(csv_text: &str) -> Result<Vec<f64>, LoadError> {
    let sheet = Sheet::read(PROFILE_FILE, csv_text)?;
    let (hour, scale) = (sheet.column("hour")?, sheet.column("scale")?);
    let mut res = Vec::new();
    for row in sheet.rows() {
        let h = row.u32(hour, &format!("the hour number {}", res.len()))?;
        if h as usize != res.len() {
            return Err(row
                .invalid(hour, &format!("the hour number {} (hours in order from 0)", res.len())));
        }
        let x =
            row.price(scale)?.ok_or_else(|| row.invalid(scale, "a scale factor such as 0.75"))?;
        res.push(x.0);
    }
    if res.is_empty() {
        return Err(LoadError {
            file: PROFILE_FILE.to_string(),
            line: 1,
            column: None,
            kind: LoadErrorKind::Malformed("the profile has no hours".to_string()),
        });
    }
    Ok(res)
}

/// A column index with its name, for messages.
#[derive(Clone, Copy)]
struct Col {
    index: usize,
    name: &'static str,
}

struct CommonColumns {
    name: Col,
    vcpus: Col,
    memory_gib: Col,
    gpu_count: Col,
    gpu_model: Col,
    arch: Col,
    region: Col,
    on_demand: Col,
    spot: Col,
}

impl CommonColumns {
    fn find(sheet: &Sheet) -> Result<CommonColumns, LoadError> {
        Ok(CommonColumns {
            name: sheet.column("instance_type")?,
            vcpus: sheet.column("vcpus")?,
            memory_gib: sheet.column("memory_gib")?,
            gpu_count: sheet.column("gpu_count")?,
            gpu_model: sheet.column("gpu_model")?,
            arch: sheet.column("arch")?,
            region: sheet.column("region")?,
            on_demand: sheet.column("ondemand_usd_per_hr")?,
            spot: sheet.column("spot_usd_per_hr")?,
        })
    }
}

struct AwsColumns {
    name: Col,
    vcpus: Col,
    memory_mib: Col,
    gpu_count: Col,
    gpu_model: Col,
    arch: Col,
    region: Col,
    on_demand: Col,
    spot: Col,
    family: Col,
    savings_pct: Col,
    interruption: Col,
}

impl AwsColumns {
    fn find(sheet: &Sheet) -> Result<AwsColumns, LoadError> {
        Ok(AwsColumns {
            name: sheet.column("instance_type")?,
            vcpus: sheet.column("vcpus")?,
            memory_mib: sheet.column("memory_mib")?,
            gpu_count: sheet.column("gpu_count")?,
            gpu_model: sheet.column("gpu_model")?,
            arch: sheet.column("arch")?,
            region: sheet.column("region")?,
            on_demand: sheet.column("ondemand_usd_per_hr")?,
            spot: sheet.column("spot_usd_per_hr")?,
            family: sheet.column("family")?,
            savings_pct: sheet.column("spot_savings_pct")?,
            interruption: sheet.column("spot_interruption_range")?,
        })
    }
}

struct GcpColumns {
    common: CommonColumns,
    series: Col,
    local_ssd_gb: Col,
    month_1y: Col,
    month_3y: Col,
}

impl GcpColumns {
    fn find(sheet: &Sheet) -> Result<GcpColumns, LoadError> {
        Ok(GcpColumns {
            common: CommonColumns::find(sheet)?,
            series: sheet.column("series")?,
            local_ssd_gb: sheet.column("local_ssd_gb")?,
            month_1y: sheet.column("month_1y_cud_usd")?,
            month_3y: sheet.column("month_3y_cud_usd")?,
        })
    }
}

struct AzureColumns {
    common: CommonColumns,
    sku_family: Col,
}

impl AzureColumns {
    fn find(sheet: &Sheet) -> Result<AzureColumns, LoadError> {
        Ok(AzureColumns {
            common: CommonColumns::find(sheet)?,
            sku_family: sheet.column("sku_family")?,
        })
    }
}

/// A whole CSV file read into memory: header plus records with their lines.
struct Sheet {
    label: &'static str,
    header: csv::StringRecord,
    records: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    fn read(label: &'static str, text: &str) -> Result<Sheet, LoadError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let malformed = |err: csv::Error| LoadError {
            file: label.to_string(),
            line: err.position().map_or(1, |p| p.line()),
            column: None,
            kind: LoadErrorKind::Malformed(match err.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("expected {expected_len} fields as in the header, found {len}")
                }
                csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8".to_string(),
                _ => err.to_string(),
            }),
        };
        let header = reader.headers().map_err(malformed)?.clone();
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(malformed)?;
            let line = record.position().map_or(0, |p| p.line());
            records.push((line, record));
        }
        Ok(Sheet { label, header, records })
    }

    fn column(&self, name: &'static str) -> Result<Col, LoadError> {
        match self.header.iter().position(|h| h == name) {
            Some(index) => Ok(Col { index, name }),
            None => Err(LoadError {
                file: self.label.to_string(),
                line: 1,
                column: Some(name.to_string()),
                kind: LoadErrorKind::MissingColumn,
            }),
        }
    }

    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(|(line, record)| Row { label: self.label, line: *line, record })
    }
}

/// One record with typed, error-reporting accessors.
struct Row<'a> {
    label: &'static str,
    line: u64,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn text(&self, col: Col) -> &str {
        self.record.get(col.index).unwrap_or("")
    }

    fn invalid(&self, col: Col, expected: &str) -> LoadError {
        LoadError {
            file: self.label.to_string(),
            line: self.line,
            column: Some(col.name.to_string()),
            kind: LoadErrorKind::Invalid {
                found: self.text(col).to_string(),
                expected: expected.to_string(),
            },
        }
    }

    /// The cell, or `None` when it is empty.
    fn optional(&self, col: Col) -> Option<&str> {
        Some(self.text(col)).filter(|s| !s.is_empty())
    }

    fn required(&self, col: Col, expected: &str) -> Result<&str, LoadError> {
        self.optional(col).ok_or_else(|| self.invalid(col, expected))
    }

    fn u32(&self, col: Col, expected: &str) -> Result<u32, LoadError> {
        let text = self.text(col);
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.invalid(col, expected));
        }
        text.parse().map_err(|_| self.invalid(col, expected))
    }

    /// A plain decimal (`2`, `0.25`) times `units_per_one`, rounded down.
    fn decimal_floor(
        &self,
        col: Col,
        units_per_one: u128,
        expected: &str,
    ) -> Result<u64, LoadError> {
        decimal_floor(self.text(col), units_per_one).ok_or_else(|| self.invalid(col, expected))
    }

    /// vCPUs as a plain decimal with at most three decimals, exactly in millicores.
    fn cpu(&self, col: Col) -> Result<Cpu, LoadError> {
        const EXPECTED: &str = "a number of vCPUs such as 2 or 0.25 (at most three decimals)";
        let text = self.text(col);
        let exact = decimal_floor(text, 1000)
            .and_then(|m| m.checked_mul(1000))
            .is_some_and(|m| decimal_floor(text, 1_000_000) == Some(m));
        if !exact {
            return Err(self.invalid(col, EXPECTED));
        }
        Cpu::parse(text).map_err(|_| self.invalid(col, EXPECTED))
    }

    /// Memory in GiB as a plain decimal, in bytes rounded down.
    fn gib(&self, col: Col) -> Result<Bytes, LoadError> {
        self.decimal_floor(col, 1 << 30, "a number of GiB such as 16 or 3.75").map(Bytes)
    }

    fn arch(&self, col: Col) -> Result<Arch, LoadError> {
        self.text(col).parse().map_err(|_| self.invalid(col, "amd64 or arm64"))
    }

    fn provider(&self, col: Col) -> Result<Provider, LoadError> {
        self.text(col).parse().map_err(|_| self.invalid(col, "one of aws, gcp, azure, custom"))
    }

    /// A fraction from 0 to 1 (such as 0.30).
    fn fraction(&self, col: Col) -> Result<f64, LoadError> {
        match self.price(col) {
            Ok(Some(p)) if p.0 <= 1.0 => Ok(p.0),
            _ => Err(self.invalid(col, "a fraction from 0 to 1 such as 0.30")),
        }
    }

    /// A price in dollars, or `None` for an empty cell.
    fn price(&self, col: Col) -> Result<Option<Price>, LoadError> {
        let Some(text) = self.optional(col) else {
            return Ok(None);
        };
        let valid = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        match text.parse::<f64>() {
            Ok(v) if valid && v.is_finite() => Ok(Some(Price(v))),
            _ => Err(self.invalid(col, "a price in US dollars such as 0.096, or nothing")),
        }
    }
}

/// `text` (digits with at most one dot) times `units_per_one`, rounded down; `None` when the
/// text is not such a number or the result does not fit 64 bits.
fn decimal_floor(text: &str, units_per_one: u128) -> Option<u64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + frac.len() == 0
        || !digits_only(whole)
        || !digits_only(frac)
        || whole.len() + frac.len() > 30
    {
        return None;
    }
    let mut numerator: u128 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        numerator = numerator.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let denominator = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    u64::try_from(numerator.checked_mul(units_per_one)? / denominator).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BURSTABLE_HEADER: &str =
        "provider,instance_type,vcpus,baseline_vcpu,published_figure,source\n";
    const GCP_HEADER: &str = "instance_type,vcpus,memory_gib,gpu_count,gpu_model,arch,region,zone,ondemand_usd_per_hr,spot_usd_per_hr,series,local_ssd_gb,month_usd,month_1y_cud_usd,month_3y_cud_usd,month_spot_usd\n";

    /// Loads a GCP-format text (header included) and compares the error, if any, with `expect`
    /// as `file:line: column: message` text.
    fn check_gcp_error(body: &str, burstable: &str, expect: &str) {
        let err = gcp(body, burstable).expect_err("the text should not load");
        assert_eq!(err.to_string(), expect);
    }

    #[test]
    fn missing_column_names_file_header_line_and_column() {
        let text = GCP_HEADER.replace(",series,", ",family,");
        check_gcp_error(
            &text,
            BURSTABLE_HEADER,
            "gcp.csv:1: column `series`: missing from the header",
        );
    }

    /// Found by the `catalog_csv` fuzz target: a vCPU count whose millicores times 1000 overflow
    /// a u64 panicked (overflow check) or wrapped; it is now an error naming the cell.
    #[test]
    fn huge_vcpus_is_an_error_not_an_overflow() {
        let text = format!(
            "{GCP_HEADER}e2-standard-2,200000000000000,8,0,,amd64,us-central1,,0.067,0.02,e2,,,,,\n"
        );
        let err = gcp(&text, BURSTABLE_HEADER).expect_err("huge vcpus");
        assert_eq!(
            err.to_string(),
            "gcp.csv:2: column `vcpus`: expected a number of vCPUs such as 2 or 0.25 (at most three decimals), found \"200000000000000\""
        );
    }

    #[test]
    fn non_numeric_vcpus_names_its_line_and_column() {
        let text = format!(
            "{GCP_HEADER}e2-standard-2,2,8,0,,amd64,us-central1,,0.067,0.02,e2,,,,,\ne2-standard-4,four,16,0,,amd64,us-central1,,0.134,0.04,e2,,,,,\n"
        );
        let err = gcp(&text, BURSTABLE_HEADER).expect_err("bad vcpus");
        assert_eq!(
            (err.file.as_str(), err.line, err.column.as_deref()),
            ("gcp.csv", 3, Some("vcpus"))
        );
        assert_eq!(
            err.to_string(),
            "gcp.csv:3: column `vcpus`: expected a number of vCPUs such as 2 or 0.25 (at most three decimals), found \"four\""
        );
    }

    #[test]
    fn bad_cells_are_errors_not_panics() {
        let row = |cells: &str| format!("{GCP_HEADER}{cells}\n");
        let cases = [
            (
                "n2-standard-2,2,8,0,,amd64,us-central1,,abc,,n2,,,,,",
                "gcp.csv:2: column `ondemand_usd_per_hr`: expected a price in US dollars such as 0.096, or nothing, found \"abc\"",
            ),
            (
                "n2-standard-2,2,8,0,,amd64,us-central1,,-1,,n2,,,,,",
                "gcp.csv:2: column `ondemand_usd_per_hr`: expected a price in US dollars such as 0.096, or nothing, found \"-1\"",
            ),
            (
                "n2-standard-2,2,8Gi,0,,amd64,us-central1,,0.1,,n2,,,,,",
                "gcp.csv:2: column `memory_gib`: expected a number of GiB such as 16 or 3.75, found \"8Gi\"",
            ),
            (
                "n2-standard-2,2,8,0,,sparc,us-central1,,0.1,,n2,,,,,",
                "gcp.csv:2: column `arch`: expected amd64 or arm64, found \"sparc\"",
            ),
            (
                "n2-standard-2,0.0001,8,0,,amd64,us-central1,,0.1,,n2,,,,,",
                "gcp.csv:2: column `vcpus`: expected a number of vCPUs such as 2 or 0.25 (at most three decimals), found \"0.0001\"",
            ),
            (
                "n2-standard-2,2,8,0,,amd64,us-central1,,0.1,,n2",
                "gcp.csv:2: malformed record: expected 16 fields as in the header, found 11",
            ),
            (
                "n2-standard-2,2,8,0,,amd64,,,0.1,,n2,,,,,",
                "gcp.csv:2: column `region`: expected a region name, found \"\"",
            ),
        ];
        for (cells, expect) in cases {
            check_gcp_error(&row(cells), BURSTABLE_HEADER, expect);
        }
    }

    #[test]
    fn rows_of_one_type_must_agree_and_not_repeat_a_region() {
        let text = format!(
            "{GCP_HEADER}n2-standard-2,2,8,0,,amd64,us-central1,,0.1,,n2,,,,,\nn2-standard-2,2,16,0,,amd64,us-east1,,0.1,,n2,,,,,\n"
        );
        check_gcp_error(
            &text,
            BURSTABLE_HEADER,
            "gcp.csv:3: column `instance_type`: expected the same vCPUs, memory, GPUs, arch and family as on line 2, found \"n2-standard-2\"",
        );
        let text = format!(
            "{GCP_HEADER}n2-standard-2,2,8,0,,amd64,us-central1,,0.1,,n2,,,,,\nn2-standard-2,2,8,0,,amd64,us-central1,,0.2,,n2,,,,,\n"
        );
        check_gcp_error(
            &text,
            BURSTABLE_HEADER,
            "gcp.csv:3: column `instance_type`: expected one row per instance type and region (line 2 has us-central1), found \"n2-standard-2\"",
        );
    }

    #[test]
    fn burstable_rows_must_name_catalog_types_with_matching_vcpus() {
        let text =
            format!("{GCP_HEADER}e2-micro,0.25,1,0,,amd64,us-central1,,0.0084,0.0025,e2,,,,,\n");
        check_gcp_error(
            &text,
            &format!("{BURSTABLE_HEADER}aws,t3.small,2,0.4,x,y\ngcp,e2-nano,0.25,0.25,x,y\n"),
            "burstable-baselines.csv:3: column `instance_type`: expected an instance type of the gcp catalog, found \"e2-nano\"",
        );
        check_gcp_error(
            &text,
            &format!("{BURSTABLE_HEADER}gcp,e2-micro,2,0.25,x,y\n"),
            "burstable-baselines.csv:2: column `vcpus`: expected 250m (the catalog's vCPUs for e2-micro), found \"2\"",
        );
        let catalog = gcp(
            &text,
            &format!("{BURSTABLE_HEADER}gcp,e2-micro,0.25,0.25,0.25 vCPU,Google docs\n"),
        )
        .expect("valid text");
        let baseline = catalog.get("e2-micro").and_then(|t| t.burstable_baseline.clone());
        assert_eq!(
            baseline,
            Some(BurstableBaseline {
                cpu: Cpu(250),
                source: "e2-micro: 0.25 vCPU; Google docs".to_string()
            })
        );
    }

    #[test]
    fn rows_without_prices_add_no_region_and_cud_prices_are_monthly() {
        let text = format!(
            "{GCP_HEADER}n2-standard-2,2,8,0,,amd64,us-central1,,0.1,0.03,n2,375,58.4,73,36.5,\nn2-standard-2,2,8,0,,amd64,us-east1,,,,n2,375,,,,\n"
        );
        let catalog = gcp(&text, BURSTABLE_HEADER).expect("valid text");
        let it = catalog.get("n2-standard-2").expect("loaded");
        assert_eq!(it.regions.keys().collect::<Vec<_>>(), ["us-central1"]);
        assert_eq!(it.local_storage, Some(Bytes(375_000_000_000)));
        let price = |p| it.offer("us-central1", p).map(|o| o.price.0);
        assert_eq!(price(PurchaseOption::OnDemand), Some(0.1));
        assert!((price(PurchaseOption::Reserved1y).unwrap_or(0.0) - 0.1).abs() < 1e-12);
        assert!((price(PurchaseOption::Reserved3y).unwrap_or(0.0) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn azure_family_and_features_come_from_the_size_name() {
        let cases = [
            ("Standard_D2s_v3", "D", "s", "Ds_v3"),
            ("Standard_E16ads_v5", "E", "ads", "Eads_v5"),
            ("Standard_E16-4ads_v5", "E", "ads", "Eads_v5"),
            ("Standard_B2ms", "B", "ms", "Bms"),
            ("Standard_NC6s_v3", "NC", "s", "NCs_v3"),
            ("Standard_M128ms", "M", "ms", "Mms"),
            ("Standard_DS11-1_v2", "DS", "", "DS_v2"),
            ("Standard_D16pds_v5", "D", "pds", "Dpds_v5"),
            ("Standard_FX12-6mds_v2", "FX", "mds", "FXmds_v2"),
            ("Standard_D1", "D", "", "D"),
            ("Standard_NC24ads_A100_v4", "NC", "ads", "NCads_A100_v4"),
        ];
        for (name, series, features, family) in cases {
            let size = AzureSize::parse(name);
            assert_eq!(
                (size.series, size.features, size.family.as_str()),
                (series, features, family),
                "{name}"
            );
        }
    }

    #[test]
    fn categories_follow_family_prefixes() {
        assert_eq!(aws_category("m5", 0), Category::General);
        assert_eq!(aws_category("c7g", 0), Category::Compute);
        assert_eq!(aws_category("x2idn", 0), Category::Memory);
        assert_eq!(aws_category("t4g", 0), Category::Burstable);
        assert_eq!(aws_category("inf2", 0), Category::Gpu);
        assert_eq!(aws_category("i4i", 0), Category::Storage);
        assert_eq!(aws_category("g6f", 0), Category::Gpu);
        assert_eq!(aws_category("m5", 1), Category::Gpu);
        assert_eq!(gcp_category("e2-small", "e2", 0), Category::Burstable);
        assert_eq!(gcp_category("e2-standard-2", "e2", 0), Category::General);
        assert_eq!(gcp_category("h3-standard-88", "h3", 0), Category::Compute);
        assert_eq!(gcp_category("a2-highgpu-1g", "a2", 1), Category::Gpu);
        assert_eq!(azure_category("B", 0), Category::Burstable);
        assert_eq!(azure_category("FX", 0), Category::Compute);
        assert_eq!(azure_category("DS", 0), Category::General);
        assert_eq!(azure_category("M", 0), Category::Memory);
        assert_eq!(azure_category("NV", 0), Category::Gpu);
    }

    #[test]
    fn decimals_convert_exactly_or_round_down() {
        assert_eq!(decimal_floor("3.75", 1 << 30), Some(4_026_531_840));
        assert_eq!(decimal_floor("0.5", 1 << 30), Some(1 << 29));
        assert_eq!(decimal_floor("1.8", 1 << 30), Some(1_932_735_283));
        assert_eq!(decimal_floor("7.50", 1000), Some(7500));
        assert_eq!(decimal_floor("", 1000), None);
        assert_eq!(decimal_floor(".", 1000), None);
        assert_eq!(decimal_floor("1.2.3", 1000), None);
        assert_eq!(decimal_floor("1e3", 1000), None);
        assert_eq!(decimal_floor("99999999999999999999", 1 << 30), None);
    }
}
