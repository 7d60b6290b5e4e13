//! The scenario file's raw shape: `Deserialize`-only types that mirror the YAML, before validation.
//!
//! Quantities and enum names are parsed while deserializing, so that their errors carry the
//! parser's exact line:column; cross-field rules are checked afterwards in `scenario.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::catalog::{Arch, Category, Provider, PurchaseOption};
use crate::diag::UnknownName;
use crate::policy::Headroom;
use crate::quantity::{self, Bytes, Cpu};
use crate::resources::{QuantityKind, ResourceName};
use crate::workload::PartialResources;

/// A scalar written as a string or a number, kept as text (`2`, `0.5`, `"250m"`).
pub(crate) struct QuantityText(pub(crate) String);

impl<'de> Deserialize<'de> for QuantityText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<QuantityText, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = QuantityText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as 250m, 2, 512Mi or 1.5Gi")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<QuantityText, E> {
                Ok(QuantityText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<QuantityText, E> {
                Ok(QuantityText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<QuantityText, E> {
                Ok(QuantityText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<QuantityText, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("expected a finite quantity, found {v}")));
                }
                Ok(QuantityText(format!("{v}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A CPU quantity, parsed while deserializing.
pub(crate) struct CpuQ(pub(crate) Cpu);

impl<'de> Deserialize<'de> for CpuQ {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CpuQ, D::Error> {
        let t = QuantityText::deserialize(d)?;
        Cpu::parse(&t.0).map(CpuQ).map_err(de::Error::custom)
    }
}

/// A byte quantity, parsed while deserializing.
pub(crate) struct BytesQ(pub(crate) Bytes);

impl<'de> Deserialize<'de> for BytesQ {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BytesQ, D::Error> {
        let t = QuantityText::deserialize(d)?;
        Bytes::parse(&t.0).map(BytesQ).map_err(de::Error::custom)
    }
}

/// A whole count written as a number or a quantity, parsed while deserializing.
pub(crate) struct CountQ(pub(crate) u64);

impl<'de> Deserialize<'de> for CountQ {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CountQ, D::Error> {
        let t = QuantityText::deserialize(d)?;
        quantity::parse_count(&t.0).map(CountQ).map_err(de::Error::custom)
    }
}

/// A name parsed with `FromStr` while deserializing (providers, architectures, purchase options …).
pub(crate) struct Named<T>(pub(crate) T);

impl<'de, T: FromStr<Err: fmt::Display>> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Named<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: FromStr<Err: fmt::Display>> Visitor<'_> for V<T> {
            type Value = Named<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Named<T>, E> {
                v.parse().map(Named).map_err(E::custom)
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl FromStr for Category {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Category, UnknownName> {
        [
            Category::General,
            Category::Compute,
            Category::Memory,
            Category::Burstable,
            Category::Gpu,
            Category::Storage,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| {
            UnknownName::new(
                "category",
                s,
                "one of general, compute, memory, burstable, gpu, storage",
            )
        })
    }
}

/// The error for a key given twice in a mapping (serde's maps would keep the last silently);
/// `input::yaml_error` points at the second occurrence.
fn duplicate_key<E: de::Error>(key: &str) -> E {
    E::custom(format!("duplicate key `{key}`"))
}

/// Deserializes a string-keyed map, refusing a key given twice.
pub(crate) fn unique_map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Visit<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Visit<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(duplicate_key(&key));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Visit(PhantomData))
}

/// A map of resource name to quantity (`{cpu: 250m, memory: 256Mi, nvidia.com/gpu: 1}`).
pub(crate) struct ResourceList(pub(crate) PartialResources);

impl<'de> Deserialize<'de> for ResourceList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ResourceList, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ResourceList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of resources such as {cpu: 250m, memory: 256Mi}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResourceList, A::Error> {
                let mut res = PartialResources::default();
                let mut seen = std::collections::BTreeSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(duplicate_key(&key));
                    }
                    if matches!(key.as_str(), "gpu" | "gpus") {
                        let n = map.next_value::<CountQ>()?.0;
                        if n > 0 {
                            res.extended.insert(crate::resources::NVIDIA_GPU.to_string(), n);
                        }
                        continue;
                    }
                    match ResourceName::parse(&key).map_err(de::Error::custom)? {
                        ResourceName::Cpu => res.cpu = Some(map.next_value::<CpuQ>()?.0),
                        ResourceName::Memory => res.memory = Some(map.next_value::<BytesQ>()?.0),
                        ResourceName::EphemeralStorage => {
                            res.ephemeral_storage = Some(map.next_value::<BytesQ>()?.0)
                        }
                        ResourceName::Pods => {
                            return Err(de::Error::custom(
                                "pods is not a container resource; a pod always takes one pod slot of its node",
                            ));
                        }
                        name @ ResourceName::Extended(_) => {
                            let n = amount(&mut map, &name)?;
                            if n > 0 {
                                res.extended.insert(name.to_string(), n);
                            }
                        }
                    }
                }
                Ok(ResourceList(res))
            }
        }
        d.deserialize_map(V)
    }
}

/// The amount of a resource, read as its kind is written (cores, bytes or a whole count).
fn amount<'de, A: MapAccess<'de>>(map: &mut A, name: &ResourceName) -> Result<u64, A::Error> {
    Ok(match name.kind() {
        QuantityKind::Cpu => map.next_value::<CpuQ>()?.0.0,
        QuantityKind::Bytes => map.next_value::<BytesQ>()?.0.0,
        QuantityKind::Count => map.next_value::<CountQ>()?.0,
    })
}

/// A node type's resource map (`resources:` or `capacity:`): any Kubernetes resource name with
/// its amount (`{cpu: 64, memory: 256Gi, pods: 110, ephemeral-storage: 10Gi, example.com/fpga: 2}`).
pub(crate) struct NodeResourceList(pub(crate) BTreeMap<ResourceName, u64>);

impl<'de> Deserialize<'de> for NodeResourceList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NodeResourceList, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NodeResourceList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of resources such as {cpu: 64, memory: 256Gi, ephemeral-storage: 1Ti, example.com/fpga: 2}")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<NodeResourceList, A::Error> {
                let mut res = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let name = ResourceName::parse(&key).map_err(de::Error::custom)?;
                    if res.contains_key(&name) {
                        return Err(duplicate_key(&key));
                    }
                    let n = amount(&mut map, &name)?;
                    res.insert(name, n);
                }
                Ok(NodeResourceList(res))
            }
        }
        d.deserialize_map(V)
    }
}

/// A number in a range, for ratios and shares.
#[derive(Clone, Copy)]
pub(crate) struct Num(pub(crate) f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        let t = QuantityText::deserialize(d)?;
        let text = t.0.trim();
        let (v, pct) = match text.strip_suffix('%') {
            Some(p) => (p.trim(), true),
            None => (text, false),
        };
        let x: f64 = v.parse().map_err(|_| {
            de::Error::custom(format!("expected a number such as 0.85 or 85%, found {text:?}"))
        })?;
        if !x.is_finite() {
            return Err(de::Error::custom(format!("expected a finite number, found {text:?}")));
        }
        Ok(Num(if pct { x / 100.0 } else { x }))
    }
}

/// `utilization: 0.85` or `utilization: {cpu: 0.8, memory: 0.9}`.
#[derive(Deserialize)]
#[serde(untagged, expecting = "a number such as 0.85, or a map {cpu: 0.8, memory: 0.9}")]
pub(crate) enum UtilizationDto {
    Uniform(Num),
    PerResource(PerResourceRatio),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PerResourceRatio {
    pub(crate) cpu: Option<Num>,
    pub(crate) memory: Option<Num>,
    #[serde(alias = "ephemeral-storage", alias = "ephemeral_storage")]
    pub(crate) other: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OvercommitDto {
    pub(crate) cpu: Option<Num>,
    pub(crate) memory: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpotDto {
    pub(crate) max_share: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyDto {
    pub(crate) utilization: Option<UtilizationDto>,
    pub(crate) overcommit: Option<OvercommitDto>,
    pub(crate) max_pods_per_node: Option<u32>,
    pub(crate) spot: Option<SpotDto>,
    pub(crate) on_demand_floor: Option<bool>,
    pub(crate) headroom: Option<Named<Headroom>>,
    pub(crate) node_size_guidance: Option<bool>,
    pub(crate) cluster_limits: Option<Named<LimitModeName>>,
}

/// `cluster_limits: warn | fail | off`.
pub(crate) struct LimitModeName(pub(crate) crate::policy::LimitMode);

impl FromStr for LimitModeName {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<LimitModeName, UnknownName> {
        use crate::policy::LimitMode;
        match s {
            "warn" => Ok(LimitModeName(LimitMode::Warn)),
            "fail" => Ok(LimitModeName(LimitMode::Fail)),
            "off" => Ok(LimitModeName(LimitMode::Off)),
            _ => Err(UnknownName::new("cluster_limits", s, "warn, fail or off")),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomPriceDto {
    pub(crate) on_demand: Option<Num>,
    pub(crate) spot: Option<Num>,
    pub(crate) reserved_1y: Option<Num>,
    pub(crate) reserved_3y: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomTypeDto {
    pub(crate) name: String,
    pub(crate) family: Option<String>,
    pub(crate) category: Option<Named<Category>>,
    pub(crate) cpu: Option<CpuQ>,
    pub(crate) memory: Option<BytesQ>,
    /// Every resource the type offers, by its Kubernetes name (`capacity:` is the same map).
    #[serde(alias = "capacity")]
    pub(crate) resources: Option<NodeResourceList>,
    #[serde(default)]
    pub(crate) gpus: u32,
    pub(crate) gpu_model: Option<String>,
    pub(crate) arch: Option<Named<Arch>>,
    pub(crate) max_pods: Option<u32>,
    #[serde(alias = "ephemeral-storage")]
    pub(crate) ephemeral_storage: Option<BytesQ>,
    pub(crate) price: CustomPriceDto,
    pub(crate) max_count: Option<u32>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) max_count_per_zone: BTreeMap<String, u32>,
}

/// `catalog.overrides[]`: a catalog type with resources added (or replaced) and an inventory limit.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypeOverrideDto {
    pub(crate) instance_type: String,
    #[serde(alias = "capacity")]
    pub(crate) resources: Option<NodeResourceList>,
    pub(crate) max_count: Option<u32>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) max_count_per_zone: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogDto {
    #[serde(default)]
    pub(crate) families: Vec<String>,
    #[serde(default)]
    pub(crate) categories: Vec<Named<Category>>,
    #[serde(default)]
    pub(crate) arch: Vec<Named<Arch>>,
    #[serde(default)]
    pub(crate) include: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    pub(crate) min_cpu: Option<CpuQ>,
    pub(crate) max_cpu: Option<CpuQ>,
    pub(crate) min_memory: Option<BytesQ>,
    pub(crate) max_memory: Option<BytesQ>,
    #[serde(default)]
    pub(crate) burstable: bool,
    #[serde(default)]
    pub(crate) custom: Vec<CustomTypeDto>,
    #[serde(default)]
    pub(crate) overrides: Vec<TypeOverrideDto>,
}

/// `overhead: eks` or `overhead: {custom: {...}}`.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a profile name (gke, eks, aks, kubeadm, none) or {custom: {kube_reserved: …, system_reserved: …, eviction: …}}"
)]
pub(crate) enum OverheadDto {
    Name(String),
    Custom(Box<CustomOverheadWrap>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomOverheadWrap {
    pub(crate) custom: CustomOverheadDto,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomOverheadDto {
    pub(crate) kube_reserved: Option<ResourceList>,
    pub(crate) system_reserved: Option<ResourceList>,
    pub(crate) eviction: Option<ResourceList>,
    pub(crate) max_pods: Option<u32>,
    pub(crate) disk: Option<BytesQ>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerDto {
    pub(crate) name: String,
    pub(crate) requests: Option<ResourceList>,
    pub(crate) limits: Option<ResourceList>,
    #[serde(default)]
    pub(crate) sidecar: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ZoneSpreadDto {
    pub(crate) max_skew: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScalableDto {
    pub(crate) min: u32,
    pub(crate) max: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkloadDto {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) owner: Option<String>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) replicas: Option<u32>,
    pub(crate) requests: Option<ResourceList>,
    pub(crate) limits: Option<ResourceList>,
    pub(crate) containers: Option<Vec<ContainerDto>>,
    pub(crate) init_containers: Option<Vec<ContainerDto>>,
    pub(crate) overhead: Option<ResourceList>,
    #[serde(default)]
    pub(crate) spot: bool,
    pub(crate) max_per_node: Option<u32>,
    pub(crate) zone_spread: Option<ZoneSpreadDto>,
    pub(crate) min_available: Option<u32>,
    pub(crate) scalable: Option<ScalableDto>,
    #[serde(default)]
    pub(crate) arch: Vec<Named<Arch>>,
    #[serde(default)]
    pub(crate) instance_types: Vec<String>,
    #[serde(default)]
    pub(crate) families: Vec<String>,
    #[serde(default)]
    pub(crate) zones: Vec<String>,
    pub(crate) anti_affinity: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DaemonSetDto {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) requests: Option<ResourceList>,
    pub(crate) limits: Option<ResourceList>,
    pub(crate) containers: Option<Vec<ContainerDto>>,
    #[serde(default)]
    pub(crate) arch: Vec<Named<Arch>>,
    pub(crate) gpu: Option<bool>,
    pub(crate) spot: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodePoolDto {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) families: Vec<String>,
    #[serde(default)]
    pub(crate) instance_types: Vec<String>,
    #[serde(default)]
    pub(crate) arch: Vec<Named<Arch>>,
    #[serde(default)]
    pub(crate) purchase: Vec<Named<PurchaseOption>>,
    pub(crate) min_cpu: Option<CpuQ>,
    pub(crate) max_cpu: Option<CpuQ>,
    #[serde(default)]
    pub(crate) min_nodes: u32,
    pub(crate) max_nodes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscountDto {
    pub(crate) family: Option<String>,
    pub(crate) instance_type: Option<String>,
    pub(crate) option: Named<PurchaseOption>,
    pub(crate) discount: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PricingDto {
    #[serde(default)]
    pub(crate) discounts: Vec<DiscountDto>,
    pub(crate) sheet: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ControlPlaneDto {
    pub(crate) tier: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VolumeDto {
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) storage_class: String,
    pub(crate) size: BytesQ,
    pub(crate) count: Option<u32>,
    pub(crate) price_per_gib_month: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioDto {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) provider: Named<Provider>,
    pub(crate) region: Option<String>,
    pub(crate) overhead: Option<OverheadDto>,
    pub(crate) catalog: Option<CatalogDto>,
    pub(crate) zones: Option<Vec<String>>,
    pub(crate) purchase: Option<Vec<Named<PurchaseOption>>>,
    pub(crate) policy: Option<PolicyDto>,
    #[serde(default)]
    pub(crate) node_pools: Vec<NodePoolDto>,
    #[serde(default)]
    pub(crate) daemonsets: Vec<DaemonSetDto>,
    #[serde(default)]
    pub(crate) workloads: Vec<WorkloadDto>,
    #[serde(default)]
    pub(crate) variants: Vec<VariantDto>,
    #[serde(default)]
    pub(crate) sweeps: Vec<BTreeMap<String, SweepValuesDto>>,
    pub(crate) pricing: Option<PricingDto>,
    pub(crate) control_plane: Option<ControlPlaneDto>,
    #[serde(default)]
    pub(crate) volumes: Vec<VolumeDto>,
    #[serde(default)]
    pub(crate) reservations: Vec<ReservationDto>,
}

/// One entry of `reservations:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReservationDto {
    pub(crate) name: Option<String>,
    pub(crate) instance_type: String,
    pub(crate) zone: String,
    pub(crate) count: u32,
    pub(crate) price: Option<Num>,
    pub(crate) charge_unused: Option<bool>,
}

/// A catalog filter override: every field given replaces the base's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CatalogOverrideDto {
    pub(crate) families: Option<Vec<String>>,
    pub(crate) categories: Option<Vec<Named<Category>>>,
    pub(crate) arch: Option<Vec<Named<Arch>>>,
    pub(crate) include: Option<Vec<String>>,
    pub(crate) exclude: Option<Vec<String>>,
    pub(crate) min_cpu: Option<CpuQ>,
    pub(crate) max_cpu: Option<CpuQ>,
    pub(crate) min_memory: Option<BytesQ>,
    pub(crate) max_memory: Option<BytesQ>,
    pub(crate) burstable: Option<bool>,
}

/// One entry of `variants:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VariantDto {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) scale: Option<Num>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) replicas: BTreeMap<String, u32>,
    pub(crate) provider: Option<Named<Provider>>,
    pub(crate) region: Option<String>,
    pub(crate) zones: Option<Vec<String>>,
    pub(crate) arch: Option<Vec<Named<Arch>>>,
    pub(crate) catalog: Option<CatalogOverrideDto>,
    pub(crate) purchase: Option<Vec<Named<PurchaseOption>>>,
    pub(crate) policy: Option<PolicyDto>,
}

/// The values of one sweep: a list, or a range `{from, to, step}`.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a list of values such as [0, 0.25, 0.5] or a range {from: 1, to: 2, step: 0.25}"
)]
pub(crate) enum SweepValuesDto {
    List(Vec<QuantityText>),
    Range(SweepRangeDto),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SweepRangeDto {
    pub(crate) from: Num,
    pub(crate) to: Num,
    pub(crate) step: Num,
}
