//! The embedded catalogs: `data/catalog/*.csv` compiled in with `include_str!` and parsed once.
//!
//! The embedded data is part of the program, so a load failure here is a bug in the data or the
//! reader (the tests below load every file); it panics with the loader's message.

use std::sync::OnceLock;

use crate::catalog::load::{self, EksMaxPods};
use crate::catalog::{Catalog, Provider};

/// `data/catalog/aws.csv`: EC2 types, us-east-1 and eu-west-1 rows (see `data/README.md`).
pub const AWS_CSV: &str = include_str!("../../../data/catalog/aws.csv");
/// `data/catalog/aws-max-pods.csv`: per-type EKS max-pods inputs and results.
pub const AWS_MAX_PODS_CSV: &str = include_str!("../../../data/catalog/aws-max-pods.csv");
/// `data/catalog/gcp.csv`: Compute Engine machine types in four regions.
pub const GCP_CSV: &str = include_str!("../../../data/catalog/gcp.csv");
/// `data/catalog/azure.csv`: Azure VM sizes in four regions.
pub const AZURE_CSV: &str = include_str!("../../../data/catalog/azure.csv");
/// `data/catalog/burstable-baselines.csv`: published CPU baselines of burstable types.
pub const BURSTABLE_CSV: &str = include_str!("../../../data/catalog/burstable-baselines.csv");

/// The embedded catalog of a provider, parsed on first use; `custom` has no types of its own.
pub fn catalog(provider: Provider) -> &'static Catalog {
    static AWS: OnceLock<Catalog> = OnceLock::new();
    static GCP: OnceLock<Catalog> = OnceLock::new();
    static AZURE: OnceLock<Catalog> = OnceLock::new();
    static EMPTY: Catalog = Catalog { types: Vec::new() };
    match provider {
        Provider::Aws => AWS.get_or_init(|| {
            load::aws(AWS_CSV, AWS_MAX_PODS_CSV, BURSTABLE_CSV)
                .unwrap_or_else(|e| embedded_data_bug(&e))
        }),
        Provider::Gcp => GCP.get_or_init(|| {
            load::gcp(GCP_CSV, BURSTABLE_CSV).unwrap_or_else(|e| embedded_data_bug(&e))
        }),
        Provider::Azure => AZURE.get_or_init(|| {
            load::azure(AZURE_CSV, BURSTABLE_CSV).unwrap_or_else(|e| embedded_data_bug(&e))
        }),
        Provider::Custom => &EMPTY,
    }
}

/// Every row of the embedded EKS max-pods table, in file order, parsed on first use.
pub fn eks_max_pods_table() -> &'static [EksMaxPods] {
    static TABLE: OnceLock<Vec<EksMaxPods>> = OnceLock::new();
    TABLE.get_or_init(|| {
        load::eks_max_pods(AWS_MAX_PODS_CSV).unwrap_or_else(|e| embedded_data_bug(&e))
    })
}

/// `data/pricing/reserved-discounts.csv`: published reserved discounts for AWS and Azure.
pub const DISCOUNTS_CSV: &str = include_str!("../../../data/pricing/reserved-discounts.csv");
/// `data/pricing/control-plane.csv`: managed control-plane fees per provider and tier.
pub const CONTROL_PLANE_CSV: &str = include_str!("../../../data/pricing/control-plane.csv");
/// `data/pricing/storage.csv`: persistent volume prices per GiB-month by storage class.
pub const STORAGE_CSV: &str = include_str!("../../../data/pricing/storage.csv");

/// Every row of the embedded reserved discount table, parsed on first use.
pub fn reserved_discounts() -> &'static [load::DiscountRow] {
    static TABLE: OnceLock<Vec<load::DiscountRow>> = OnceLock::new();
    TABLE.get_or_init(|| {
        load::reserved_discounts(DISCOUNTS_CSV).unwrap_or_else(|e| embedded_data_bug(&e))
    })
}

/// Every row of the embedded control-plane fee table, parsed on first use.
pub fn control_plane_fees() -> &'static [load::ControlPlaneRow] {
    static TABLE: OnceLock<Vec<load::ControlPlaneRow>> = OnceLock::new();
    TABLE.get_or_init(|| {
        load::control_plane_fees(CONTROL_PLANE_CSV).unwrap_or_else(|e| embedded_data_bug(&e))
    })
}

/// Every row of the embedded storage price table, parsed on first use.
pub fn storage_prices() -> &'static [load::StorageRow] {
    static TABLE: OnceLock<Vec<load::StorageRow>> = OnceLock::new();
    TABLE
        .get_or_init(|| load::storage_prices(STORAGE_CSV).unwrap_or_else(|e| embedded_data_bug(&e)))
}

fn embedded_data_bug(err: &load::LoadError) -> ! {
    panic!(
        "the embedded catalog data does not load (a bug in data/catalog or catalog/load.rs): {err}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Arch, Category, PriceSource, PurchaseOption};
    use crate::quantity::{Bytes, Cpu};

    fn count_in(provider: Provider, region: &str) -> usize {
        catalog(provider).types.iter().filter(|t| t.regions.contains_key(region)).count()
    }

    /// Checks one offer: price within a tenth of a cent-per-hour, source, interruption bucket.
    fn check_offer(
        provider: Provider,
        name: &str,
        region: &str,
        purchase: PurchaseOption,
        price: f64,
        source: PriceSource,
        interruption: Option<&str>,
    ) {
        let it = catalog(provider)
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the {provider} catalog"));
        let offer =
            it.offer(region, purchase).unwrap_or_else(|| panic!("{name} {region} {purchase}"));
        assert!(
            (offer.price.0 - price).abs() < 1e-6,
            "{name} {region} {purchase}: {} != {price}",
            offer.price.0
        );
        assert_eq!(offer.source, source, "{name} {region} {purchase}");
        assert_eq!(offer.interruption.as_deref(), interruption, "{name} {region} {purchase}");
    }

    #[test]
    fn every_embedded_catalog_loads_sorted_with_plausible_counts() {
        for (provider, region, min) in [
            (Provider::Aws, "us-east-1", 900),
            (Provider::Gcp, "us-central1", 500),
            (Provider::Gcp, "europe-west4", 480),
            (Provider::Azure, "eastus", 1100),
            (Provider::Azure, "westeurope", 1100),
        ] {
            let n = count_in(provider, region);
            assert!(n >= min, "{provider} {region}: {n} types, expected at least {min}");
            let names: Vec<&str> =
                catalog(provider).types.iter().map(|t| t.name.as_str()).collect();
            assert!(names.windows(2).all(|w| w[0] < w[1]), "{provider} types sorted and unique");
        }
        assert_eq!(catalog(Provider::Aws).types.len(), 917);
        assert_eq!(catalog(Provider::Gcp).types.len(), 506);
        assert_eq!(catalog(Provider::Azure).types.len(), 1149);
        assert!(catalog(Provider::Custom).types.is_empty());
        // eu-west-1 rows carry neither an on-demand nor a spot price (see data/README.md).
        assert_eq!(count_in(Provider::Aws, "eu-west-1"), 0);
    }

    #[test]
    fn aws_m5_large_has_on_demand_and_a_labelled_spot_estimate() {
        let it = catalog(Provider::Aws).get("m5.large").expect("m5.large");
        assert_eq!(
            (it.cpu, it.memory, it.arch, it.category),
            (Cpu(2000), Bytes::gib(8), Arch::Amd64, Category::General)
        );
        assert_eq!((it.family.as_str(), it.max_pods, it.gpus), ("m5", Some(29), 0));
        check_offer(
            Provider::Aws,
            "m5.large",
            "us-east-1",
            PurchaseOption::OnDemand,
            0.096,
            PriceSource::Catalog,
            None,
        );
        check_offer(
            Provider::Aws,
            "m5.large",
            "us-east-1",
            PurchaseOption::Spot,
            0.096 * 0.34,
            PriceSource::SpotAdvisorEstimate { savings_pct: 66 },
            Some("15-20%"),
        );
        assert!(
            it.offer("us-east-1", PurchaseOption::Spot).is_some_and(|o| o.source.is_estimate())
        );
        assert!(it.offer("us-east-1", PurchaseOption::Reserved1y).is_none());
    }

    #[test]
    fn aws_types_carry_gpus_arch_and_burstable_baselines() {
        let aws = catalog(Provider::Aws);
        let t3_small = aws.get("t3.small").expect("t3.small");
        assert_eq!(t3_small.category, Category::Burstable);
        let baseline = t3_small.burstable_baseline.as_ref().expect("t3.small baseline");
        assert_eq!(baseline.cpu, Cpu(400));
        assert!(baseline.source.contains("20% of each of 2 vCPUs"), "{}", baseline.source);
        assert_eq!(
            aws.get("t2.2xlarge").and_then(|t| t.burstable_baseline.as_ref()).map(|b| b.cpu),
            Some(Cpu(1360))
        );
        assert_eq!(aws.get("t4g.micro").map(|t| t.arch), Some(Arch::Arm64));
        let p4d = aws.get("p4d.24xlarge").expect("p4d.24xlarge");
        assert_eq!(
            (p4d.gpus, p4d.gpu_model.as_deref(), p4d.category),
            (8, Some("NVIDIA A100"), Category::Gpu)
        );
        assert_eq!(aws.get("t2.nano").map(|t| t.memory), Some(Bytes::mib(512)));
        // Every burstable AWS type in the catalog has a baseline; no other type does.
        for it in &aws.types {
            assert_eq!(
                it.burstable_baseline.is_some(),
                it.category == Category::Burstable,
                "{}",
                it.name
            );
        }
    }

    #[test]
    fn gcp_n2_standard_4_has_spot_and_committed_use_offers() {
        let it = catalog(Provider::Gcp).get("n2-standard-4").expect("n2-standard-4");
        assert_eq!(
            (it.cpu, it.memory, it.family.as_str(), it.category),
            (Cpu(4000), Bytes::gib(16), "n2", Category::General)
        );
        let r = "us-central1";
        check_offer(
            Provider::Gcp,
            "n2-standard-4",
            r,
            PurchaseOption::OnDemand,
            0.194236,
            PriceSource::Catalog,
            None,
        );
        check_offer(
            Provider::Gcp,
            "n2-standard-4",
            r,
            PurchaseOption::Spot,
            0.09212,
            PriceSource::Catalog,
            None,
        );
        check_offer(
            Provider::Gcp,
            "n2-standard-4",
            r,
            PurchaseOption::Reserved1y,
            89.32572 / 730.0,
            PriceSource::Catalog,
            None,
        );
        check_offer(
            Provider::Gcp,
            "n2-standard-4",
            r,
            PurchaseOption::Reserved3y,
            63.81076 / 730.0,
            PriceSource::Catalog,
            None,
        );
    }

    #[test]
    fn gcp_types_carry_shared_core_baselines_local_ssd_and_arm() {
        let gcp = catalog(Provider::Gcp);
        let micro = gcp.get("e2-micro").expect("e2-micro");
        assert_eq!((micro.cpu, micro.category), (Cpu(250), Category::Burstable));
        assert_eq!(micro.burstable_baseline.as_ref().map(|b| b.cpu), Some(Cpu(250)));
        assert_eq!(gcp.get("t2a-standard-4").map(|t| t.arch), Some(Arch::Arm64));
        assert_eq!(gcp.get("c3-standard-4").map(|t| t.category), Some(Category::Compute));
        assert_eq!(gcp.get("m3-megamem-64").map(|t| t.category), Some(Category::Memory));
        let ssd =
            gcp.types.iter().find(|t| t.local_storage.is_some()).expect("a type with local SSD");
        assert_eq!(ssd.local_storage.map(|b| b.0 % 1_000_000_000), Some(0), "{}", ssd.name);
        let a2 = gcp.get("a2-highgpu-1g").expect("a2-highgpu-1g");
        assert_eq!((a2.gpus, a2.category), (1, Category::Gpu));
    }

    #[test]
    fn azure_sizes_carry_family_alias_category_and_derived_arch() {
        let azure = catalog(Provider::Azure);
        let d4s = azure.get("Standard_D4s_v5").expect("Standard_D4s_v5");
        assert_eq!(
            (d4s.cpu, d4s.memory, d4s.category),
            (Cpu(4000), Bytes::gib(16), Category::General)
        );
        assert!(d4s.in_family("Ds_v5") && d4s.in_family("standardDSv5Family"));
        check_offer(
            Provider::Azure,
            "Standard_D4s_v5",
            "eastus",
            PurchaseOption::OnDemand,
            0.192,
            PriceSource::Catalog,
            None,
        );
        check_offer(
            Provider::Azure,
            "Standard_D4s_v5",
            "eastus",
            PurchaseOption::Spot,
            0.040723,
            PriceSource::Catalog,
            None,
        );
        // The autoscaler list has no arch for the v7 sizes: derived from the feature letters.
        assert_eq!(azure.get("Standard_D4s_v7").map(|t| t.arch), Some(Arch::Amd64));
        assert_eq!(azure.get("Standard_D4ps_v6").map(|t| t.arch), Some(Arch::Arm64));
        assert_eq!(azure.get("Standard_E16-4ads_v5").map(|t| t.family.as_str()), Some("Eads_v5"));
        let b2s = azure.get("Standard_B2s").expect("Standard_B2s");
        assert_eq!(
            (b2s.category, b2s.burstable_baseline.as_ref().map(|b| b.cpu)),
            (Category::Burstable, Some(Cpu(400)))
        );
        let b2pts = azure.get("Standard_B2pts_v2").expect("Standard_B2pts_v2");
        assert_eq!(
            (b2pts.arch, b2pts.burstable_baseline.as_ref().map(|b| b.cpu)),
            (Arch::Arm64, Some(Cpu(400)))
        );
        assert_eq!(
            azure.get("Standard_NC6s_v3").map(|t| (t.category, t.gpus)),
            Some((Category::Gpu, 1))
        );
        assert_eq!(azure.get("Standard_FX4mds").map(|t| t.category), Some(Category::Compute));
        // A fraction of a GPU is not a schedulable device.
        let nv6 = azure.get("Standard_NV6ads_A10_v5").expect("Standard_NV6ads_A10_v5");
        assert_eq!((nv6.gpus, nv6.gpu_model.as_deref()), (0, Some("A10 (0.167 of a GPU)")));
        for it in &azure.types {
            assert_eq!(
                it.burstable_baseline.is_some(),
                it.category == Category::Burstable,
                "{}",
                it.name
            );
        }
    }

    #[test]
    fn eks_max_pods_table_loads_every_row() {
        let table = eks_max_pods_table();
        assert_eq!(table.len(), 1390);
        assert!(table.iter().any(|r| r.instance_type == "m5.large" && r.max_pods() == Some(29)));
    }
}
