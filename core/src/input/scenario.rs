//! The kplan scenario YAML → a validated [`Scenario`], with every problem located.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{
    ContainerDto, ControlPlaneDto, CustomTypeDto, DaemonSetDto, Num, OverheadDto, PolicyDto,
    PricingDto, ReservationDto, ResourceList, ScenarioDto, SweepValuesDto, TypeOverrideDto,
    UtilizationDto, VariantDto, VolumeDto, WorkloadDto,
};
use super::{DEFAULT_MAX_INPUT_BYTES, at_path, yaml_error};
use crate::catalog::{
    self, Arch, Category, InstanceType, Offer, PriceSource, Provider, PurchaseOption, RegionPrices,
};
use crate::diag::{Diagnostic, UnknownName, Warned};
use crate::money::Price;
use crate::overhead::{CustomOverhead, OverheadProfile};
use crate::policy::{self, Headroom, Policy, Ratios, ratio_to_ppm};
use crate::quantity::{Bytes, Cpu};
use crate::resources::{ResourceName, Resources, is_gpu_resource};
use crate::scenario::{
    CatalogFilter, ControlPlane, CountLimit, DiscountOverride, NodePool, Pricing, Reservation,
    Scenario, TypeOverride, Volume, default_zones,
};
use crate::whatif::{self, Override, Study, Sweep, SweepParam, SweepValue, Variant};
use crate::workload::{
    Container, DaemonSet, PartialResources, Placement, Scalable, Workload, ZoneSpread,
    effective_pod,
};

/// Reads a scenario from YAML text. `source` names the text in diagnostics (a file name).
///
/// Returns the scenario or every error found, plus warnings either way.
///
/// ```
/// use kplan_core::input::scenario::read_scenario;
/// let text = "name: demo\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: web\n    replicas: 3\n    requests: {cpu: 250m, memory: 256Mi}\n";
/// let scenario = read_scenario(text, "demo.yaml").output.unwrap();
/// assert_eq!(scenario.workloads[0].pod.requests.cpu.millis(), 250);
///
/// let bad = read_scenario("name: demo\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: web\n    requests: {cpu: 10mi}\n", "bad.yaml");
/// let errors = bad.output.unwrap_err();
/// assert_eq!(errors[0].to_string(), "bad.yaml:6:21: error: invalid quantity \"10mi\": unknown suffix \"mi\"; expected one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3 (suffixes are case-sensitive) (at workloads[0].requests.cpu)");
/// ```
pub fn read_scenario(text: &str, source: &str) -> Warned<Result<Scenario, Vec<Diagnostic>>> {
    read_study(text, source).map(|study| study.map(|s| s.base))
}

/// Reads a scenario file with its what-if variants and sweeps (each checked against the base);
/// as [`read_scenario`] otherwise.
pub fn read_study(text: &str, source: &str) -> Warned<Result<Study, Vec<Diagnostic>>> {
    if text.len() > DEFAULT_MAX_INPUT_BYTES {
        let d = Diagnostic::error(format!(
            "the scenario is {} bytes; the limit is {DEFAULT_MAX_INPUT_BYTES} bytes",
            text.len()
        ))
        .with_source(source);
        return Warned::ok(Err(vec![d]));
    }
    if let Some(offset) = super::too_deep(text) {
        let d = Diagnostic::error(super::too_deep_message())
            .with_source(source)
            .at_offset(text, offset);
        return Warned::ok(Err(vec![d]));
    }
    let de = serde_yaml::Deserializer::from_str(text);
    let dto: ScenarioDto = match serde_path_to_error::deserialize(de) {
        Ok(dto) => dto,
        Err(e) => return Warned::ok(Err(vec![yaml_error(e, text, source)])),
    };
    let mut cx = Cx { text, source, errors: Vec::new(), warnings: Vec::new() };
    let study = cx.study(dto);
    let Cx { errors, warnings, .. } = cx;
    Warned { output: if errors.is_empty() { Ok(study) } else { Err(errors) }, warnings }
}

/// Validation context: the text (for locating paths) and what was found.
struct Cx<'a> {
    text: &'a str,
    source: &'a str,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        let d = at_path(message, self.text, self.source, path);
        self.errors.push(d);
    }

    fn warn(&mut self, path: &str, message: impl Into<String>) {
        let mut d = at_path(message, self.text, self.source, path);
        d.severity = crate::diag::Severity::Warning;
        self.warnings.push(d);
    }

    fn ratio(
        &mut self,
        path: &str,
        v: Option<Num>,
        min_exclusive: f64,
        max: f64,
        what: &str,
    ) -> Option<u64> {
        let x = v?.0;
        if x <= min_exclusive || x > max {
            self.error(
                path,
                format!("{what} must be greater than {min_exclusive} and at most {max}, found {x}"),
            );
            return None;
        }
        Some(ratio_to_ppm(x))
    }

    fn study(&mut self, mut dto: ScenarioDto) -> Study {
        let variant_dtos = std::mem::take(&mut dto.variants);
        let reservation_dtos = std::mem::take(&mut dto.reservations);
        let sweep_dtos = std::mem::take(&mut dto.sweeps);
        if dto.name.trim().is_empty() {
            self.error("name", "the scenario name must not be empty");
        }
        let provider = dto.provider.0;
        let region = self.region(dto.region, provider);
        let overhead = self.overhead(dto.overhead, provider);
        let policy = self.policy("policy", policy::default_policy(), dto.policy);
        let zones = self.zones(dto.zones, provider, &region);
        if policy.headroom == Headroom::Zone && zones.len() < 2 {
            self.error(
                "policy.headroom",
                format!("headroom: zone needs at least two zones, found {}", zones.len()),
            );
        }
        let purchase = self.purchase(dto.purchase, &policy);
        if policy.spot_max_share > 0 && !purchase.contains(&PurchaseOption::Spot) {
            self.warn(
                "policy.spot.max_share",
                "a spot share is set but purchase does not list spot",
            );
        }

        let (catalog_filter, custom_dtos, override_dtos) =
            self.catalog_filter(dto.catalog, provider);
        let mut inventory = Vec::new();
        let custom_types = self.custom_types(custom_dtos, &region, &zones, &mut inventory);
        let type_overrides =
            self.type_overrides(override_dtos, provider, &custom_types, &zones, &mut inventory);
        if provider == Provider::Custom && custom_types.is_empty() {
            self.error(
                "catalog.custom",
                "a custom-provider scenario needs at least one instance type in catalog.custom",
            );
        }
        let daemonsets =
            dto.daemonsets.into_iter().enumerate().map(|(i, d)| self.daemonset(i, d)).collect();
        let workloads = self.workloads(dto.workloads, &zones);
        let node_pools = self.node_pools(dto.node_pools);
        let pricing = self.pricing(dto.pricing, provider, &custom_types);
        let control_plane = self.control_plane(dto.control_plane, provider);
        let volumes = self.volumes(dto.volumes, provider);
        let mut res = Scenario {
            name: dto.name,
            description: dto.description,
            provider,
            region,
            overhead,
            catalog: catalog_filter,
            custom_types,
            type_overrides,
            inventory,
            reservations: Vec::new(),
            zones,
            purchase,
            policy,
            daemonsets,
            workloads,
            node_pools,
            pricing,
            control_plane,
            volumes,
        };
        res.reservations = self.reservations(reservation_dtos, &res);
        let mut study = Study::of(res);
        self.variants_and_sweeps(&mut study, variant_dtos, sweep_dtos);
        study
    }

    /// The region: required except for the custom provider, and priced by the embedded catalog.
    fn region(&mut self, dto: Option<String>, provider: Provider) -> String {
        let region = match (dto, provider) {
            (Some(r), _) => r,
            (None, Provider::Custom) => "custom".to_string(),
            (None, _) => {
                self.error("provider", format!("a {provider} scenario needs a region"));
                String::new()
            }
        };
        if provider != Provider::Custom && !region.is_empty() {
            let regions = catalog::builtin::catalog(provider).regions();
            if !regions.contains(&region) {
                self.error(
                    "region",
                    format!("region {region:?} has no prices in the embedded {provider} catalog; expected one of {}", regions.join(", ")),
                );
            }
        }
        region
    }

    /// The node overhead profile: a named one, a custom one, or the provider's default.
    fn overhead(&mut self, dto: Option<OverheadDto>, provider: Provider) -> OverheadProfile {
        match dto {
            None => OverheadProfile::default_for(provider),
            Some(OverheadDto::Name(n)) => match OverheadProfile::parse_name(&n) {
                Ok(p) => p,
                Err(e) => {
                    self.error("overhead", e.to_string());
                    OverheadProfile::default_for(provider)
                }
            },
            Some(OverheadDto::Custom(c)) => {
                let c = c.custom;
                OverheadProfile::Custom(CustomOverhead {
                    kube_reserved: c.kube_reserved.map(|r| r.0.to_resources()).unwrap_or_default(),
                    system_reserved: c
                        .system_reserved
                        .map(|r| r.0.to_resources())
                        .unwrap_or_default(),
                    eviction: c.eviction.map(|r| r.0.to_resources()).unwrap_or_default(),
                    max_pods: c.max_pods,
                    disk: c.disk.map(|d| d.0),
                })
            }
        }
    }

    /// The zones: listed once each and, for a cloud provider, in the region; one default zone
    /// when left out.
    fn zones(&mut self, dto: Option<Vec<String>>, provider: Provider, region: &str) -> Vec<String> {
        match dto {
            None => default_zones(provider, region),
            Some(z) => {
                if z.is_empty() {
                    self.error(
                        "zones",
                        "zones must list at least one zone (or be left out for one default zone)",
                    );
                }
                let mut seen = BTreeSet::new();
                for (i, zone) in z.iter().enumerate() {
                    if zone.trim().is_empty() {
                        self.error(&format!("zones[{i}]"), "a zone name must not be empty");
                    } else if !seen.insert(zone.clone()) {
                        self.error(
                            &format!("zones[{i}]"),
                            format!("zone {zone:?} is listed twice"),
                        );
                    } else if provider != Provider::Custom && !zone.starts_with(region) {
                        // The catalogs price regions, not zones, so zone names are labels; but on
                        // AWS, GCP and Azure every zone of a region is named after it.
                        self.error(
                            &format!("zones[{i}]"),
                            format!(
                                "zone {zone:?} is not in region {region}; expected a zone of the region, such as {}",
                                default_zones(provider, region)[0]
                            ),
                        );
                    }
                }
                z
            }
        }
    }

    /// The purchase options: each once, never `reservation`; on-demand (and spot with a spot
    /// share) when left out.
    fn purchase(
        &mut self,
        dto: Option<Vec<super::schema::Named<PurchaseOption>>>,
        policy: &Policy,
    ) -> Vec<PurchaseOption> {
        match dto {
            None => {
                let mut p = vec![PurchaseOption::OnDemand];
                if policy.spot_max_share > 0 {
                    p.push(PurchaseOption::Spot);
                }
                p
            }
            Some(list) => {
                let res = self.purchase_list("purchase", list);
                if res.contains(&PurchaseOption::Spot) && policy.spot_max_share == 0 {
                    self.warn(
                        "purchase",
                        "spot is listed but policy.spot.max_share is 0, so no spot nodes will be planned",
                    );
                }
                res
            }
        }
    }

    /// The workloads: each named once, in the scenario's zones; BestEffort ones warned about.
    fn workloads(&mut self, dtos: Vec<WorkloadDto>, zones: &[String]) -> Vec<Workload> {
        let mut seen = BTreeMap::new();
        let mut workloads = Vec::new();
        for (i, w) in dtos.into_iter().enumerate() {
            let w = self.workload(i, w);
            for (j, zone) in w.placement.zones.iter().enumerate() {
                if !zones.contains(zone) {
                    self.error(
                        &format!("workloads[{i}].zones[{j}]"),
                        format!(
                            "zone {zone:?} is not one of the scenario's zones; expected one of {}",
                            zones.join(", ")
                        ),
                    );
                }
            }
            if let Some(prev) = seen.insert(w.key(), i) {
                self.error(
                    &format!("workloads[{i}].name"),
                    format!("workload {} is defined twice (also at workloads[{prev}])", w.key()),
                );
            }
            if let Some(warning) = w.best_effort_warning() {
                let mut warning =
                    warning.with_source(self.source).with_path(format!("workloads[{i}]"));
                if let Some(off) = super::locate(self.text, &format!("workloads[{i}]")) {
                    warning = warning.at_offset(self.text, off);
                }
                self.warnings.push(warning);
            }
            workloads.push(w);
        }
        if workloads.is_empty() {
            self.warn("workloads", "the scenario has no workloads; the plan will be empty");
        }
        if let Some((i, message)) = super::past_planning_limits(&workloads) {
            self.error(&format!("workloads[{i}].replicas"), message);
        }
        workloads
    }

    /// The node pools: each named once, with `max_nodes` not below `min_nodes`.
    fn node_pools(&mut self, dtos: Vec<super::schema::NodePoolDto>) -> Vec<NodePool> {
        let mut node_pools = Vec::new();
        let mut pool_names = BTreeSet::new();
        for (i, p) in dtos.into_iter().enumerate() {
            if !pool_names.insert(p.name.clone()) {
                self.error(
                    &format!("node_pools[{i}].name"),
                    format!("node pool {:?} is defined twice", p.name),
                );
            }
            if let Some(max) = p.max_nodes
                && max < p.min_nodes
            {
                self.error(
                    &format!("node_pools[{i}].max_nodes"),
                    format!("max_nodes ({max}) is below min_nodes ({})", p.min_nodes),
                );
            }
            node_pools.push(NodePool {
                name: p.name,
                families: p.families,
                instance_types: p.instance_types,
                arch: p.arch.into_iter().map(|a| a.0).collect(),
                purchase: p.purchase.into_iter().map(|a| a.0).collect(),
                min_cpu: p.min_cpu.map(|c| c.0),
                max_cpu: p.max_cpu.map(|c| c.0),
                min_nodes: p.min_nodes,
                max_nodes: p.max_nodes,
            });
        }
        node_pools
    }

    /// The variants and sweeps, each checked against the base.
    fn variants_and_sweeps(
        &mut self,
        study: &mut Study,
        variant_dtos: Vec<VariantDto>,
        sweep_dtos: Vec<BTreeMap<String, SweepValuesDto>>,
    ) {
        // Overrides are applied to the base to check them; that needs a valid base.
        let base_ok = self.errors.is_empty();
        let mut names = BTreeMap::new();
        for (i, v) in variant_dtos.into_iter().enumerate() {
            if let Some(prev) = names.insert(v.name.clone(), i) {
                self.error(
                    &format!("variants[{i}].name"),
                    format!("variant {:?} is defined twice (also at variants[{prev}])", v.name),
                );
            }
            let variant = self.variant(i, &study.base, v, base_ok);
            study.variants.push(variant);
        }
        for (i, map) in sweep_dtos.into_iter().enumerate() {
            if let Some(sweep) = self.sweep(i, &study.base, map, base_ok) {
                study.sweeps.push(sweep);
            }
        }
    }

    /// Reads one variant and checks it against the base; every problem names the variant.
    fn variant(&mut self, i: usize, base: &Scenario, d: VariantDto, base_ok: bool) -> Variant {
        let path = format!("variants[{i}]");
        let (n_errors, n_warnings) = (self.errors.len(), self.warnings.len());
        if d.name.trim().is_empty() {
            self.error(&format!("{path}.name"), "a variant name must not be empty");
        }
        let mut ov = Override::default();
        if let Some(scale) = d.scale {
            if scale.0 <= 0.0 || scale.0 > 1000.0 {
                self.error(
                    &format!("{path}.scale"),
                    format!("scale must be greater than 0 and at most 1000, found {}", scale.0),
                );
            } else {
                ov.scale_ppm = Some(ratio_to_ppm(scale.0));
            }
        }
        ov.replicas = d.replicas;
        ov.provider = d.provider.map(|p| p.0);
        ov.region = d.region;
        if let Some(z) = d.zones {
            if z.is_empty() {
                self.error(&format!("{path}.zones"), "zones must list at least one zone");
            }
            let mut seen = BTreeSet::new();
            for (j, zone) in z.iter().enumerate() {
                if zone.trim().is_empty() || !seen.insert(zone.clone()) {
                    self.error(
                        &format!("{path}.zones[{j}]"),
                        format!("zone {zone:?} is empty or listed twice"),
                    );
                }
            }
            ov.zones = Some(z);
        }
        if d.catalog.is_some() || d.arch.is_some() {
            ov.catalog = Some(self.variant_catalog(&path, &base.catalog, d.catalog, d.arch));
        }
        if let Some(list) = d.purchase {
            ov.purchase = Some(self.variant_purchase(&path, list));
        }
        if let Some(p) = d.policy {
            ov.policy = Some(self.policy(&format!("{path}.policy"), base.policy.clone(), Some(p)));
        }
        if base_ok && self.errors.len() == n_errors {
            self.check_variant(&path, base, &ov);
        }
        let prefix = format!("variant {:?}: ", d.name);
        for e in &mut self.errors[n_errors..] {
            e.message.insert_str(0, &prefix);
        }
        for w in &mut self.warnings[n_warnings..] {
            w.message.insert_str(0, &prefix);
        }
        Variant { name: d.name, description: d.description, overrides: ov }
    }

    /// A variant's catalog: the base's, with the fields `catalog` gives and `arch` replaced.
    fn variant_catalog(
        &mut self,
        path: &str,
        base: &CatalogFilter,
        catalog: Option<super::schema::CatalogOverrideDto>,
        arch: Option<Vec<super::schema::Named<crate::catalog::Arch>>>,
    ) -> CatalogFilter {
        let mut f = base.clone();
        if let Some(c) = catalog {
            if c.arch.is_some() && arch.is_some() {
                self.error(
                    &format!("{path}.arch"),
                    "give arch or catalog.arch in a variant, not both",
                );
            }
            if let Some(v) = c.families {
                f.families = v;
            }
            if let Some(v) = c.categories {
                f.categories = v.into_iter().map(|x| x.0).collect();
            }
            if let Some(v) = c.arch {
                f.arch = v.into_iter().map(|x| x.0).collect();
            }
            if let Some(v) = c.include {
                f.include = v;
            }
            if let Some(v) = c.exclude {
                f.exclude = v;
            }
            if let Some(v) = c.min_cpu {
                f.min_cpu = Some(v.0);
            }
            if let Some(v) = c.max_cpu {
                f.max_cpu = Some(v.0);
            }
            if let Some(v) = c.min_memory {
                f.min_memory = Some(v.0);
            }
            if let Some(v) = c.max_memory {
                f.max_memory = Some(v.0);
            }
            if let Some(v) = c.burstable {
                f.burstable = v;
            }
        }
        if let Some(a) = arch {
            if a.is_empty() {
                self.error(&format!("{path}.arch"), "arch must list at least one architecture");
            }
            f.arch = a.into_iter().map(|x| x.0).collect();
        }
        if let (Some(lo), Some(hi)) = (f.min_cpu, f.max_cpu)
            && lo > hi
        {
            self.error(
                &format!("{path}.catalog.max_cpu"),
                format!("max_cpu ({hi}) is below min_cpu ({lo})"),
            );
        }
        f
    }

    /// A variant's purchase list, checked as the base's is.
    fn variant_purchase(
        &mut self,
        path: &str,
        list: Vec<super::schema::Named<PurchaseOption>>,
    ) -> Vec<PurchaseOption> {
        self.purchase_list(&format!("{path}.purchase"), list)
    }

    /// A purchase list at `path` (the base's `purchase` or a variant's): no `reservation` (held,
    /// not bought), none twice, at least one; sorted.
    fn purchase_list(
        &mut self,
        path: &str,
        list: Vec<super::schema::Named<PurchaseOption>>,
    ) -> Vec<PurchaseOption> {
        let mut res = Vec::new();
        for (i, p) in list.into_iter().enumerate() {
            if p.0 == PurchaseOption::Reservation {
                self.error(
                    &format!("{path}[{i}]"),
                    "reservation is not bought by choice; list the reservations you hold under reservations: (instance_type, zone, count, price)",
                );
            } else if res.contains(&p.0) {
                self.error(
                    &format!("{path}[{i}]"),
                    format!("purchase option {} is listed twice", p.0),
                );
            } else {
                res.push(p.0);
            }
        }
        if res.is_empty() {
            self.error(path, "purchase must list at least one purchase option");
        }
        res.sort();
        res
    }

    /// A variant applied to the base: its warnings and problems, at the variant's fields.
    fn check_variant(&mut self, path: &str, base: &Scenario, ov: &Override) {
        match whatif::apply(base, ov) {
            Ok(a) => {
                for w in a.warnings {
                    self.warn(&format!("{path}.{}", w.field), w.message);
                }
                if let Some((_, message)) = super::past_planning_limits(&a.scenario.workloads) {
                    self.error(path, message);
                }
            }
            Err(problems) => {
                for p in problems {
                    self.error(&format!("{path}.{}", p.field), p.message);
                }
            }
        }
    }

    /// Reads one sweep (`{parameter: [values]}` or `{parameter: {from, to, step}}`) and checks every point.
    fn sweep(
        &mut self,
        i: usize,
        base: &Scenario,
        map: BTreeMap<String, SweepValuesDto>,
        base_ok: bool,
    ) -> Option<Sweep> {
        let path = &format!("sweeps[{i}]");
        if map.len() != 1 {
            self.error(
                path,
                format!(
                    "a sweep names exactly one parameter, such as {{policy.spot.max_share: [0, 0.5]}}; found {}",
                    map.len()
                ),
            );
            return None;
        }
        let (key, values) = map.into_iter().next()?;
        let key = key.as_str();
        let param: SweepParam = match key.parse() {
            Ok(p) => p,
            Err(e) => {
                self.sweep_error(path, key, e.to_string());
                return None;
            }
        };
        let out = self.sweep_points(path, key, param, values);
        if out.len() > MAX_SWEEP_POINTS {
            self.sweep_error(
                path,
                key,
                format!(
                    "sweep {param}: {} values; at most {MAX_SWEEP_POINTS} are planned",
                    out.len()
                ),
            );
        }
        if base_ok {
            self.check_sweep_points(path, key, base, param, &out);
        }
        Some(Sweep { param, values: out })
    }

    /// A sweep error, located at the sweep and naming its parameter (whose name holds dots).
    fn sweep_error(&mut self, path: &str, key: &str, message: String) {
        let mut d = at_path(message, self.text, self.source, path);
        d.path = Some(format!("{path}.{key}"));
        self.errors.push(d);
    }

    /// A sweep's points: its list, or its range `{from, to, step}` counted out.
    fn sweep_points(
        &mut self,
        path: &str,
        key: &str,
        param: SweepParam,
        values: SweepValuesDto,
    ) -> Vec<SweepValue> {
        let mut out = Vec::new();
        match values {
            SweepValuesDto::List(texts) => {
                if texts.is_empty() {
                    self.sweep_error(
                        path,
                        key,
                        format!("sweep {param}: the list of values is empty"),
                    );
                }
                for t in texts {
                    match sweep_value(param, &t.0) {
                        Ok(v) => out.push(v),
                        Err(e) => self.sweep_error(path, key, format!("sweep {param}: {e}")),
                    }
                }
            }
            SweepValuesDto::Range(r) => {
                let (from, to, step) = (r.from.0, r.to.0, r.step.0);
                if !param.is_numeric() {
                    self.sweep_error(
                        path,
                        key,
                        format!("sweep {param}: give a list of values, not a range"),
                    );
                } else if step <= 0.0 || to < from {
                    self.sweep_error(path, key, format!(
                            "sweep {param}: a range needs from ≤ to and step > 0, found from {from}, to {to}, step {step}"
                        ),
                    );
                } else {
                    // Counted in f64 first: a range like 0 to 1e300 has more points than a u64 holds.
                    let points = ((to - from) / step + 1e-9).floor() + 1.0;
                    let n = points as u64;
                    if points > MAX_SWEEP_POINTS as f64 {
                        let shown =
                            if points < 1e15 { n.to_string() } else { format!("{points:e}") };
                        self.sweep_error(path, key, format!(
                                "sweep {param}: the range has {shown} points; at most {MAX_SWEEP_POINTS} are planned"
                            ),
                        );
                    } else {
                        for k in 0..n {
                            let x = ((from + k as f64 * step) * 1e9).round() / 1e9;
                            match sweep_value(param, &x.to_string()) {
                                Ok(v) => out.push(v),
                                Err(e) => {
                                    self.sweep_error(path, key, format!("sweep {param}: {e}"))
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Each point of a sweep applied to the base: within the planning limits, its warnings kept.
    fn check_sweep_points(
        &mut self,
        path: &str,
        key: &str,
        base: &Scenario,
        param: SweepParam,
        out: &[SweepValue],
    ) {
        for &v in out {
            let ov = whatif::sweep_override(base, param, v);
            match whatif::apply(base, &ov) {
                Ok(a) => {
                    if let Some((_, message)) = super::past_planning_limits(&a.scenario.workloads) {
                        self.sweep_error(path, key, format!("sweep {param} = {v}: {message}"));
                    }
                    for w in a.warnings {
                        let mut d = at_path(
                            format!("sweep {param} = {v}: {}", w.message),
                            self.text,
                            self.source,
                            path,
                        );
                        d.path = Some(format!("{path}.{key}"));
                        d.severity = crate::diag::Severity::Warning;
                        self.warnings.push(d);
                    }
                }
                Err(problems) => {
                    for p in problems {
                        self.sweep_error(path, key, format!("sweep {param} = {v}: {}", p.message));
                    }
                }
            }
        }
    }

    fn pricing(
        &mut self,
        dto: Option<PricingDto>,
        provider: Provider,
        custom: &[InstanceType],
    ) -> Pricing {
        let Some(dto) = dto else { return Pricing::default() };
        let builtin: &[InstanceType] = if provider == Provider::Custom {
            &[]
        } else {
            &catalog::builtin::catalog(provider).types
        };
        let type_known = |name: &str| builtin.iter().chain(custom).any(|t| t.name == name);
        let family_known = |family: &str| builtin.iter().chain(custom).any(|t| t.in_family(family));
        let mut res = Pricing::default();
        for (i, d) in dto.discounts.into_iter().enumerate() {
            let path = format!("pricing.discounts[{i}]");
            if d.family.is_some() == d.instance_type.is_some() {
                self.error(
                    &path,
                    "a discount names either a family or an instance_type (one of the two)",
                );
                continue;
            }
            if !(0.0..1.0).contains(&d.discount.0) {
                self.error(
                    &format!("{path}.discount"),
                    format!("a discount is a fraction from 0 to below 1 (such as 0.35 or 35%), found {}", d.discount.0),
                );
                continue;
            }
            if d.option.0 == PurchaseOption::OnDemand {
                self.error(&format!("{path}.option"), "discounts price reserved-1y, reserved-3y or spot against on-demand; give a negotiated on-demand price in pricing.sheet");
                continue;
            }
            if let Some(f) = d.family.as_deref().filter(|f| !family_known(f)) {
                self.error(
                    &format!("{path}.family"),
                    format!("no {provider} instance family is named {f:?}"),
                );
                continue;
            }
            if let Some(t) = d.instance_type.as_deref().filter(|t| !type_known(t)) {
                self.error(
                    &format!("{path}.instance_type"),
                    format!("no {provider} instance type is named {t:?}"),
                );
                continue;
            }
            let dup = res.discounts.iter().any(|e: &DiscountOverride| {
                e.option == d.option.0 && e.family == d.family && e.instance_type == d.instance_type
            });
            if dup {
                self.error(&path, "this family or type already has a discount for this option");
                continue;
            }
            res.discounts.push(DiscountOverride {
                family: d.family,
                instance_type: d.instance_type,
                option: d.option.0,
                discount: d.discount.0,
            });
        }
        if let Some(text) = dto.sheet {
            match catalog::load::price_sheet(&text) {
                Ok(rows) => {
                    for r in rows.iter().filter(|r| !type_known(&r.instance_type)) {
                        self.error(
                            "pricing.sheet",
                            format!(
                                "the price sheet, line {}: no {provider} instance type is named {:?}",
                                r.line, r.instance_type
                            ),
                        );
                    }
                    res.sheet = rows;
                }
                Err(e) => self.error(
                    "pricing.sheet",
                    format!(
                        "the price sheet (CSV with columns type, option, hourly) is invalid: {e}"
                    ),
                ),
            }
        }
        res
    }

    fn control_plane(&mut self, dto: Option<ControlPlaneDto>, provider: Provider) -> ControlPlane {
        let Some(dto) = dto else { return ControlPlane::default_for(provider) };
        let table = catalog::builtin::control_plane_fees();
        match table.iter().find(|r| r.provider == provider && r.tier == dto.tier) {
            Some(r) => ControlPlane {
                tier: r.tier.clone(),
                hourly: r.hourly,
                source: format!("{} ({})", r.source, r.date),
            },
            None => {
                let tiers: Vec<&str> = table
                    .iter()
                    .filter(|r| r.provider == provider)
                    .map(|r| r.tier.as_str())
                    .collect();
                self.error(
                    "control_plane.tier",
                    format!(
                        "unknown {provider} control-plane tier {:?}; expected one of {}",
                        dto.tier,
                        tiers.join(", ")
                    ),
                );
                ControlPlane::default_for(provider)
            }
        }
    }

    fn volumes(&mut self, dtos: Vec<VolumeDto>, provider: Provider) -> Vec<Volume> {
        let table = catalog::builtin::storage_prices();
        let mut res: Vec<Volume> = Vec::new();
        for (i, d) in dtos.into_iter().enumerate() {
            let path = format!("volumes[{i}]");
            let namespace = d.namespace.unwrap_or_else(|| "default".to_string());
            if res.iter().any(|v| v.name == d.name && v.namespace == namespace) {
                self.error(
                    &format!("{path}.name"),
                    format!("volume {namespace}/{} is defined twice", d.name),
                );
            }
            let count = d.count.unwrap_or(1);
            if count == 0 {
                self.error(&format!("{path}.count"), "count must be at least 1");
            }
            let (price, source) = match d.price_per_gib_month {
                Some(p) if p.0 >= 0.0 => (p.0, "scenario".to_string()),
                Some(p) => {
                    self.error(
                        &format!("{path}.price_per_gib_month"),
                        format!("a price must not be negative, found {}", p.0),
                    );
                    (0.0, String::new())
                }
                None => match table
                    .iter()
                    .find(|r| r.provider == provider && r.storage_class == d.storage_class)
                {
                    Some(r) => (r.usd_per_gib_month, format!("{} ({})", r.source, r.date)),
                    None => {
                        let known: Vec<&str> = table
                            .iter()
                            .filter(|r| r.provider == provider)
                            .map(|r| r.storage_class.as_str())
                            .collect();
                        self.error(
                            &format!("{path}.storage_class"),
                            format!(
                                "no {provider} price for storage class {:?} in data/pricing/storage.csv (known: {}); give price_per_gib_month",
                                d.storage_class,
                                if known.is_empty() { "none".to_string() } else { known.join(", ") }
                            ),
                        );
                        (0.0, String::new())
                    }
                },
            };
            res.push(Volume {
                name: d.name,
                namespace,
                owner: d.owner,
                storage_class: d.storage_class,
                size: d.size.0,
                count,
                usd_per_gib_month: price,
                source,
            });
        }
        res
    }

    fn policy(&mut self, prefix: &str, base: Policy, dto: Option<PolicyDto>) -> Policy {
        let mut p = base;
        let Some(dto) = dto else { return p };
        match dto.utilization {
            None => {}
            Some(UtilizationDto::Uniform(n)) => {
                if let Some(v) =
                    self.ratio(&format!("{prefix}.utilization"), Some(n), 0.0, 1.0, "utilization")
                {
                    p.utilization = Ratios::uniform(v);
                }
            }
            Some(UtilizationDto::PerResource(r)) => {
                let d = p.utilization;
                let cpu = self
                    .ratio(&format!("{prefix}.utilization.cpu"), r.cpu, 0.0, 1.0, "utilization")
                    .unwrap_or(d.cpu);
                let memory = self
                    .ratio(
                        &format!("{prefix}.utilization.memory"),
                        r.memory,
                        0.0,
                        1.0,
                        "utilization",
                    )
                    .unwrap_or(d.memory);
                let other = self
                    .ratio(&format!("{prefix}.utilization.other"), r.other, 0.0, 1.0, "utilization")
                    .unwrap_or(d.other);
                p.utilization = Ratios { cpu, memory, other };
            }
        }
        if let Some(o) = dto.overcommit {
            let what = "an overcommit ratio";
            if o.cpu.is_some() {
                p.overcommit.cpu =
                    self.ratio(&format!("{prefix}.overcommit.cpu"), o.cpu, 0.0, 100.0, what);
            }
            if o.memory.is_some() {
                p.overcommit.memory =
                    self.ratio(&format!("{prefix}.overcommit.memory"), o.memory, 0.0, 100.0, what);
            }
        }
        if let Some(m) = dto.max_pods_per_node {
            if m == 0 {
                self.error(
                    &format!("{prefix}.max_pods_per_node"),
                    "max_pods_per_node must be at least 1",
                );
            } else {
                p.max_pods_per_node = Some(m);
            }
        }
        if let Some(s) = dto.spot
            && let Some(share) = s.max_share
        {
            if !(0.0..=1.0).contains(&share.0) {
                self.error(
                    &format!("{prefix}.spot.max_share"),
                    format!("spot.max_share must be between 0 and 1, found {}", share.0),
                );
            } else {
                p.spot_max_share = ratio_to_ppm(share.0);
            }
        }
        if let Some(f) = dto.on_demand_floor {
            p.on_demand_floor = f;
        }
        if let Some(h) = dto.headroom {
            p.headroom = h.0;
        }
        if let Some(g) = dto.node_size_guidance {
            p.node_size_guidance = g;
        }
        if let Some(l) = dto.cluster_limits {
            p.cluster_limits = l.0.0;
        }
        p
    }

    fn catalog_filter(
        &mut self,
        dto: Option<super::schema::CatalogDto>,
        provider: Provider,
    ) -> (CatalogFilter, Vec<CustomTypeDto>, Vec<TypeOverrideDto>) {
        let Some(dto) = dto else { return (CatalogFilter::default(), Vec::new(), Vec::new()) };
        if provider != Provider::Custom {
            let cat = catalog::builtin::catalog(provider);
            for (i, fam) in dto.families.iter().enumerate() {
                if !cat.types.iter().any(|t| t.in_family(fam)) {
                    let mut known: Vec<&str> =
                        cat.types.iter().map(|t| t.family.as_str()).collect();
                    known.sort();
                    known.dedup();
                    let close: Vec<&str> = known
                        .iter()
                        .copied()
                        .filter(|k| {
                            // The first character, not byte: a family name may be any text.
                            let first: String = fam.chars().take(1).collect();
                            k.to_ascii_lowercase().starts_with(&first.to_ascii_lowercase())
                        })
                        .take(12)
                        .collect();
                    self.error(
                        &format!("catalog.families[{i}]"),
                        if close.is_empty() {
                            format!("no {provider} instance family is named {fam:?}; expected a family of the embedded catalog (`kplan catalog` lists them)")
                        } else {
                            format!("no {provider} instance family is named {fam:?}; families starting alike: {}", close.join(", "))
                        },
                    );
                }
            }
        }
        let filter = CatalogFilter {
            families: dto.families,
            categories: dto.categories.into_iter().map(|c| c.0).collect(),
            arch: dto.arch.into_iter().map(|a| a.0).collect(),
            include: dto.include,
            exclude: dto.exclude,
            min_cpu: dto.min_cpu.map(|c| c.0),
            max_cpu: dto.max_cpu.map(|c| c.0),
            min_memory: dto.min_memory.map(|m| m.0),
            max_memory: dto.max_memory.map(|m| m.0),
            burstable: dto.burstable,
        };
        if let (Some(lo), Some(hi)) = (filter.min_cpu, filter.max_cpu)
            && lo > hi
        {
            self.error("catalog.max_cpu", format!("max_cpu ({hi}) is below min_cpu ({lo})"));
        }
        if let (Some(lo), Some(hi)) = (filter.min_memory, filter.max_memory)
            && lo > hi
        {
            self.error(
                "catalog.max_memory",
                format!("max_memory ({hi}) is below min_memory ({lo})"),
            );
        }
        (filter, dto.custom, dto.overrides)
    }

    /// `max_count` and `max_count_per_zone` of an instance type (custom or overridden) → inventory limits.
    fn inventory_limits(
        &mut self,
        path: &str,
        instance_type: &str,
        max_count: Option<u32>,
        per_zone: BTreeMap<String, u32>,
        zones: &[String],
        out: &mut Vec<CountLimit>,
    ) {
        if let Some(n) = max_count {
            out.push(CountLimit {
                instance_type: instance_type.to_string(),
                zone: None,
                purchase: None,
                max_count: n,
                path: format!("{path}.max_count"),
            });
        }
        for (zone, n) in per_zone {
            let field = format!("{path}.max_count_per_zone.{zone}");
            if !zones.contains(&zone) {
                self.error(
                    &field,
                    format!(
                        "zone {zone:?} is not one of the scenario's zones; expected one of {}",
                        zones.join(", ")
                    ),
                );
                continue;
            }
            out.push(CountLimit {
                instance_type: instance_type.to_string(),
                zone: Some(zone),
                purchase: None,
                max_count: n,
                path: field,
            });
        }
    }

    /// `reservations:` → capacity reservations, priced at the type's on-demand price unless given.
    fn reservations(&mut self, dtos: Vec<ReservationDto>, s: &Scenario) -> Vec<Reservation> {
        let mut res: Vec<Reservation> = Vec::new();
        for (i, d) in dtos.into_iter().enumerate() {
            let path = format!("reservations[{i}]");
            let Some(it) = s.instance_type(&d.instance_type) else {
                self.error(
                    &format!("{path}.instance_type"),
                    format!(
                        "no instance type is named {:?}; expected a custom type or a type of the embedded {} catalog (`kplan catalog` lists them)",
                        d.instance_type, s.provider
                    ),
                );
                continue;
            };
            if !s.zones.contains(&d.zone) {
                self.error(
                    &format!("{path}.zone"),
                    format!(
                        "zone {:?} is not one of the scenario's zones; expected one of {}",
                        d.zone,
                        s.zones.join(", ")
                    ),
                );
                continue;
            }
            if let Some(prev) =
                res.iter().find(|r| r.instance_type == d.instance_type && r.zone == d.zone)
            {
                self.error(
                    &format!("{path}.zone"),
                    format!(
                        "{} in {} is reserved twice (also at {}); give one reservation per type and zone",
                        d.instance_type, d.zone, prev.path
                    ),
                );
                continue;
            }
            let price = match d.price {
                Some(p) if p.0 < 0.0 => {
                    self.error(
                        &format!("{path}.price"),
                        format!("a price must not be negative, found {}", p.0),
                    );
                    continue;
                }
                Some(p) => Price(p.0),
                None => match s.offer(&it, PurchaseOption::OnDemand) {
                    Some(o) => o.price,
                    None => {
                        self.error(
                            &format!("{path}.price"),
                            format!(
                                "{} has no on-demand price in {} to charge the reservation at; give its price per node-hour (0 when prepaid)",
                                d.instance_type, s.region
                            ),
                        );
                        continue;
                    }
                },
            };
            res.push(Reservation {
                name: d.name.unwrap_or_else(|| path.clone()),
                instance_type: d.instance_type,
                zone: d.zone,
                count: d.count,
                price,
                charge_unused: d.charge_unused.unwrap_or(true),
                path,
            });
        }
        res
    }

    /// `catalog.overrides`: resources and inventory limits for catalog types.
    fn type_overrides(
        &mut self,
        dtos: Vec<TypeOverrideDto>,
        provider: Provider,
        custom: &[InstanceType],
        zones: &[String],
        inventory: &mut Vec<CountLimit>,
    ) -> Vec<TypeOverride> {
        let builtin: &[InstanceType] = if provider == Provider::Custom {
            &[]
        } else {
            &catalog::builtin::catalog(provider).types
        };
        let mut res: Vec<TypeOverride> = Vec::new();
        for (i, d) in dtos.into_iter().enumerate() {
            let path = format!("catalog.overrides[{i}]");
            if custom.iter().any(|t| t.name == d.instance_type) {
                self.error(
                    &format!("{path}.instance_type"),
                    format!(
                        "{:?} is a custom instance type; give its resources and max_count in catalog.custom",
                        d.instance_type
                    ),
                );
                continue;
            }
            if !builtin.iter().any(|t| t.name == d.instance_type) {
                self.error(
                    &format!("{path}.instance_type"),
                    format!(
                        "no {provider} instance type is named {:?}; expected a type of the embedded catalog (`kplan catalog` lists them)",
                        d.instance_type
                    ),
                );
                continue;
            }
            if res.iter().any(|o| o.instance_type == d.instance_type) {
                self.error(
                    &format!("{path}.instance_type"),
                    format!("{:?} is overridden twice; give one entry per type", d.instance_type),
                );
                continue;
            }
            self.inventory_limits(
                &path,
                &d.instance_type,
                d.max_count,
                d.max_count_per_zone,
                zones,
                inventory,
            );
            res.push(TypeOverride {
                instance_type: d.instance_type,
                resources: d.resources.map(|r| r.0).unwrap_or_default(),
            });
        }
        res
    }

    fn custom_types(
        &mut self,
        dtos: Vec<CustomTypeDto>,
        region: &str,
        zones: &[String],
        inventory: &mut Vec<CountLimit>,
    ) -> Vec<InstanceType> {
        let mut res: Vec<InstanceType> = Vec::new();
        for (i, d) in dtos.into_iter().enumerate() {
            let path = format!("catalog.custom[{i}]");
            if res.iter().any(|t| t.name == d.name) {
                self.error(
                    &format!("{path}.name"),
                    format!("custom instance type {:?} is defined twice", d.name),
                );
            }
            let (declared, from_fields) = self.custom_capacity(&path, &d);
            self.inventory_limits(
                &path,
                &d.name,
                d.max_count,
                d.max_count_per_zone,
                zones,
                inventory,
            );
            let offers = self.custom_offers(&path, &d.price);
            let declares_gpus = declared.keys().any(|k| is_gpu_resource(&k.to_string()));
            let category = d.category.map(|c| c.0).unwrap_or(if d.gpus > 0 || declares_gpus {
                Category::Gpu
            } else {
                Category::General
            });
            let mut regions = BTreeMap::new();
            regions.insert(region.to_string(), RegionPrices { offers });
            res.push(InstanceType {
                provider: Provider::Custom,
                family: d.family.unwrap_or_else(|| d.name.clone()),
                name: d.name,
                family_aliases: Vec::new(),
                category,
                cpu: Cpu(0),
                memory: Bytes(0),
                gpus: d.gpus,
                gpu_model: d.gpu_model,
                arch: d.arch.map(|a| a.0).unwrap_or(Arch::Amd64),
                max_pods: None,
                local_storage: None,
                burstable_baseline: None,
                declared: crate::resources::Resources::default(),
                regions,
            });
            if let Some(it) = res.last_mut() {
                it.declare(&from_fields);
                it.declare(&declared);
            }
        }
        res
    }

    /// A custom type's capacity, from `resources:` (`declared`) and from its fields (`cpu`,
    /// `memory`, `max_pods`, `ephemeral_storage`), each resource given once; CPU and memory are
    /// needed.
    fn custom_capacity(
        &mut self,
        path: &str,
        d: &CustomTypeDto,
    ) -> (BTreeMap<ResourceName, u64>, BTreeMap<ResourceName, u64>) {
        let declared = d.resources.as_ref().map(|r| r.0.clone()).unwrap_or_default();
        let mut from_fields = BTreeMap::new();
        for (name, value, field) in [
            (ResourceName::Cpu, d.cpu.as_ref().map(|c| c.0.0), "cpu"),
            (ResourceName::Memory, d.memory.as_ref().map(|m| m.0.0), "memory"),
            (ResourceName::Pods, d.max_pods.map(u64::from), "max_pods"),
            (
                ResourceName::EphemeralStorage,
                d.ephemeral_storage.as_ref().map(|e| e.0.0),
                "ephemeral_storage",
            ),
        ] {
            let Some(v) = value else { continue };
            if declared.contains_key(&name) {
                self.error(
                    &format!("{path}.{field}"),
                    format!("{name} is given twice: here and in {path}.resources; give it once"),
                );
            }
            from_fields.insert(name, v);
        }
        let cpu = declared.get(&ResourceName::Cpu).or(from_fields.get(&ResourceName::Cpu));
        if cpu.is_none_or(|c| *c == 0) {
            self.error(
                &format!("{path}.{}", if d.cpu.is_some() { "cpu" } else { "resources" }),
                "a custom instance type needs a CPU capacity above 0 (cpu: or resources: {cpu: …})",
            );
        }
        let memory = declared.get(&ResourceName::Memory).or(from_fields.get(&ResourceName::Memory));
        if memory.is_none_or(|m| *m == 0) {
            self.error(
            &format!("{path}.{}", if d.memory.is_some() { "memory" } else { "resources" }),
            "a custom instance type needs a memory capacity above 0 (memory: or resources: {memory: …})",
        );
        }
        if d.gpus > 0 && declared.keys().any(|k| is_gpu_resource(&k.to_string())) {
            self.error(
                &format!("{path}.gpus"),
                "the GPUs are given twice: here and as a GPU resource in resources; give them once",
            );
        }
        (declared, from_fields)
    }

    /// A custom type's offers, one per price given (none negative; at least one).
    fn custom_offers(
        &mut self,
        path: &str,
        price: &super::schema::CustomPriceDto,
    ) -> BTreeMap<PurchaseOption, Offer> {
        let mut offers = BTreeMap::new();
        for (option, value, field) in [
            (PurchaseOption::OnDemand, price.on_demand, "on_demand"),
            (PurchaseOption::Spot, price.spot, "spot"),
            (PurchaseOption::Reserved1y, price.reserved_1y, "reserved_1y"),
            (PurchaseOption::Reserved3y, price.reserved_3y, "reserved_3y"),
        ] {
            if let Some(v) = value {
                if v.0 < 0.0 {
                    self.error(
                        &format!("{path}.price.{field}"),
                        format!("a price must not be negative, found {}", v.0),
                    );
                    continue;
                }
                offers.insert(
                    option,
                    Offer { price: Price(v.0), source: PriceSource::Scenario, interruption: None },
                );
            }
        }
        if offers.is_empty() {
            self.error(&format!("{path}.price"), "a custom instance type needs at least one price (on_demand, spot, reserved_1y or reserved_3y, in $/hour)");
        }
        offers
    }

    /// Flat requests/limits or containers → containers.
    fn containers(
        &mut self,
        path: &str,
        requests: Option<ResourceList>,
        limits: Option<ResourceList>,
        containers: Option<Vec<ContainerDto>>,
    ) -> Vec<Container> {
        match containers {
            Some(list) => {
                if requests.is_some() || limits.is_some() {
                    self.error(
                        &format!("{path}.containers"),
                        "give either flat requests/limits or containers, not both",
                    );
                }
                if list.is_empty() {
                    self.error(
                        &format!("{path}.containers"),
                        "containers must list at least one container",
                    );
                }
                self.container_list(list)
            }
            None => vec![Container {
                name: "main".to_string(),
                requests: requests.map(|r| r.0).unwrap_or_default(),
                limits: limits.map(|r| r.0).unwrap_or_default(),
                sidecar: false,
            }],
        }
    }

    fn container_list(&mut self, list: Vec<ContainerDto>) -> Vec<Container> {
        list.into_iter()
            .map(|c| Container {
                name: c.name,
                requests: c.requests.map(|r| r.0).unwrap_or_default(),
                limits: c.limits.map(|r| r.0).unwrap_or_default(),
                sidecar: c.sidecar,
            })
            .collect()
    }

    fn workload(&mut self, i: usize, d: WorkloadDto) -> Workload {
        let path = format!("workloads[{i}]");
        if d.name.trim().is_empty() {
            self.error(&format!("{path}.name"), "a workload name must not be empty");
        }
        let replicas = d.replicas.unwrap_or(1);
        let containers = self.containers(&path, d.requests, d.limits, d.containers);
        let init = d.init_containers.map(|l| self.container_list(l)).unwrap_or_default();
        let overhead = d.overhead.map(|o| o.0.to_resources()).unwrap_or_default();
        let pod = effective_pod(&containers, &init, &overhead, None);
        if let Some(m) = d.max_per_node
            && m == 0
        {
            self.error(&format!("{path}.max_per_node"), "max_per_node must be at least 1");
        }
        if let Some(z) = &d.zone_spread
            && z.max_skew == 0
        {
            self.error(&format!("{path}.zone_spread.max_skew"), "max_skew must be at least 1");
        }
        if let Some(m) = d.min_available
            && m > replicas
        {
            self.error(
                &format!("{path}.min_available"),
                format!("min_available ({m}) is more than the {replicas} replicas"),
            );
        }
        if let Some(s) = &d.scalable
            && s.min > s.max
        {
            self.error(
                &format!("{path}.scalable.max"),
                format!("scalable.max ({}) is below scalable.min ({})", s.max, s.min),
            );
        }
        for (j, c) in containers.iter().enumerate() {
            self.check_limits(&format!("{path}.containers[{j}]"), &c.requests, &c.limits);
        }
        Workload {
            name: d.name,
            namespace: d.namespace.unwrap_or_else(|| "default".to_string()),
            kind: d.kind.unwrap_or_else(|| "Deployment".to_string()),
            owner: d.owner,
            labels: d.labels,
            replicas,
            pod,
            spot: d.spot,
            max_per_node: d.max_per_node,
            zone_spread: d.zone_spread.map(|z| ZoneSpread { max_skew: z.max_skew }),
            min_available: d.min_available,
            scalable: d.scalable.map(|s| Scalable { min_replicas: s.min, max_replicas: s.max }),
            placement: Placement {
                arch: d.arch.into_iter().map(|a| a.0).collect(),
                instance_types: d.instance_types,
                families: d.families,
                zones: d.zones,
            },
            anti_affinity: d.anti_affinity,
        }
    }

    /// Kubernetes rejects a request above its limit; so do we.
    fn check_limits(&mut self, path: &str, requests: &PartialResources, limits: &PartialResources) {
        let r = requests.to_resources();
        let l = limits.to_resources();
        for name in r.names_with(&l) {
            let (rv, lv) = (r.get(&name), l.get(&name));
            let has_limit = match &name {
                crate::resources::ResourceName::Cpu => limits.cpu.is_some(),
                crate::resources::ResourceName::Memory => limits.memory.is_some(),
                crate::resources::ResourceName::EphemeralStorage => {
                    limits.ephemeral_storage.is_some()
                }
                crate::resources::ResourceName::Extended(n) => limits.extended.contains_key(n),
                crate::resources::ResourceName::Pods => false,
            };
            if has_limit && rv > lv {
                let shown = if path.contains("containers[0]") && !self.text.contains("containers:")
                {
                    path.replace(".containers[0]", "")
                } else {
                    path.to_string()
                };
                self.error(
                    &format!("{shown}.requests.{name}"),
                    format!(
                        "the {name} request ({}) is above its limit ({}); Kubernetes requires request ≤ limit",
                        name.format_amount(rv),
                        name.format_amount(lv)
                    ),
                );
            }
        }
    }

    fn daemonset(&mut self, i: usize, d: DaemonSetDto) -> DaemonSet {
        let path = format!("daemonsets[{i}]");
        let containers = self.containers(&path, d.requests, d.limits, d.containers);
        let pod = effective_pod(&containers, &[], &Resources::default(), None);
        DaemonSet {
            name: d.name,
            namespace: d.namespace.unwrap_or_else(|| "kube-system".to_string()),
            pod,
            arch: d.arch.into_iter().map(|a| a.0).collect(),
            gpu: d.gpu,
            spot: d.spot,
        }
    }
}

/// The most points one sweep may have.
const MAX_SWEEP_POINTS: usize = 100;

/// Why a sweep value is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
enum SweepValueError {
    /// A headroom that is not one of its names.
    #[error(transparent)]
    Headroom(#[from] UnknownName),
    /// Not a number (nor a percentage).
    #[error("expected a number such as 0.5 or 50%, found {0:?}")]
    NotANumber(String),
    /// A number outside the parameter's range.
    #[error("value {value} is out of range; expected {expected}")]
    OutOfRange { value: String, expected: &'static str },
}

/// Parses one sweep value for its parameter and checks its range.
fn sweep_value(param: SweepParam, text: &str) -> Result<SweepValue, SweepValueError> {
    if param == SweepParam::Headroom {
        return Ok(SweepValue::Headroom(text.trim().parse::<Headroom>()?));
    }
    let t = text.trim();
    let (v, pct) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), true),
        None => (t, false),
    };
    let x: f64 = v
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| SweepValueError::NotANumber(t.to_string()))?;
    let x = if pct { x / 100.0 } else { x };
    let ok = match param {
        SweepParam::Scale => x > 0.0 && x <= 1000.0,
        SweepParam::SpotMaxShare => (0.0..=1.0).contains(&x),
        SweepParam::Utilization => x > 0.0 && x <= 1.0,
        SweepParam::OvercommitCpu | SweepParam::OvercommitMemory => x > 0.0 && x <= 100.0,
        SweepParam::MaxPodsPerNode => x >= 1.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX),
        SweepParam::Headroom => false,
    };
    if !ok {
        let expected = match param {
            SweepParam::Scale => "greater than 0 and at most 1000",
            SweepParam::SpotMaxShare => "between 0 and 1",
            SweepParam::Utilization => "greater than 0 and at most 1",
            SweepParam::OvercommitCpu | SweepParam::OvercommitMemory => {
                "greater than 0 and at most 100"
            }
            _ => "a whole number of at least 1",
        };
        return Err(SweepValueError::OutOfRange { value: t.to_string(), expected });
    }
    Ok(SweepValue::Number(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "name: t\nprovider: aws\nregion: us-east-1\n";

    fn ok(text: &str) -> Scenario {
        ok_study(text).base
    }

    fn ok_study(text: &str) -> Study {
        let res = read_study(text, "s.yaml");
        match res.output {
            Ok(s) => s,
            Err(e) => panic!("{}", e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        }
    }

    #[test]
    fn reads_the_spec_example_shape() {
        let s = ok(&format!(
            "{BASE}zones: [us-east-1a, us-east-1b]\npurchase: [on-demand, spot]\npolicy:\n  utilization: 0.85\n  overcommit: {{cpu: 2.0, memory: 1.0}}\n  spot: {{max_share: 0.66}}\n  headroom: zone\ndaemonsets:\n  - name: node-exporter\n    requests: {{cpu: 100m, memory: 64Mi}}\nworkloads:\n  - name: frontend\n    namespace: shop\n    owner: web-team\n    replicas: 6\n    requests: {{cpu: 250m, memory: 256Mi}}\n    limits: {{cpu: \"1\", memory: 512Mi}}\n    spot: true\n    max_per_node: 1\n    zone_spread: {{max_skew: 1}}\n    min_available: 4\n"
        ));
        assert_eq!(s.zones.len(), 2);
        assert_eq!(s.policy.utilization.cpu, 850_000);
        assert_eq!(s.policy.overcommit.cpu, Some(2_000_000));
        assert_eq!(s.policy.spot_max_share, 660_000);
        assert_eq!(s.policy.headroom, Headroom::Zone);
        let w = &s.workloads[0];
        assert_eq!(
            (w.replicas, w.spot, w.max_per_node, w.min_available),
            (6, true, Some(1), Some(4))
        );
        assert_eq!(w.pod.limits.cpu.millis(), 1000);
        assert_eq!(w.owner.as_deref(), Some("web-team"));
        assert_eq!(s.daemonsets[0].pod.requests.memory, Bytes::mib(64));
    }

    #[test]
    fn bad_inputs_name_location_and_path() {
        let cases: &[(&str, &str)] = &[
            (
                "name: t\nprovider: aws\nregion: us-east-1\nbogus: 1\n",
                "s.yaml:4:1: error: unknown field `bogus`, expected one of",
            ),
            (
                "name: t\nprovider: amazon\nregion: us-east-1\n",
                "s.yaml:2:11: error: unknown provider \"amazon\"; expected one of aws, gcp, azure, custom (at provider)",
            ),
            (
                "name: t\nprovider: aws\nregion: mars-1\n",
                "s.yaml:3:9: error: region \"mars-1\" has no prices in the embedded aws catalog",
            ),
            ("name: t\nprovider: aws\n", "error: a aws scenario needs a region (at provider)"),
            (
                &format!("{BASE}workloads:\n  - name: a\n    replicas: -2\n"),
                "s.yaml:6:15: error: invalid type: integer `-2`, expected a whole number from 0 to 4294967295 (at workloads[0].replicas)",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    requests: {{cpu: 1.2.3}}\n"),
                "s.yaml:6:21: error: invalid quantity \"1.2.3\"",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    requests:\n      memory: 10mi\n"),
                "s.yaml:7:15: error: invalid quantity \"10mi\": unknown suffix \"mi\"",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    requests: {{cpus: 1}}\n"),
                "error: unknown resource \"cpus\"; expected cpu, memory, pods, ephemeral-storage, hugepages-<size>",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    requests: {{nvidia.com/gpu: 0.5}}\n"),
                "expected a whole number (at workloads[0].requests.nvidia.com/gpu)",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n  - name: a\n"),
                "s.yaml:6:11: error: workload default/a is defined twice (also at workloads[0]) (at workloads[1].name)",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    replicas: 2\n    min_available: 3\n"),
                "s.yaml:7:20: error: min_available (3) is more than the 2 replicas (at workloads[0].min_available)",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    max_per_node: 0\n"),
                "s.yaml:6:19: error: max_per_node must be at least 1",
            ),
            (
                &format!("{BASE}workloads:\n  - name: a\n    zone_spread: {{max_skew: 0}}\n"),
                "s.yaml:6:29: error: max_skew must be at least 1 (at workloads[0].zone_spread.max_skew)",
            ),
            (
                &format!("{BASE}policy:\n  utilization: 1.5\n"),
                "s.yaml:5:16: error: utilization must be greater than 0 and at most 1, found 1.5 (at policy.utilization)",
            ),
            (
                &format!("{BASE}policy:\n  spot: {{max_share: 2}}\n"),
                "s.yaml:5:21: error: spot.max_share must be between 0 and 1, found 2",
            ),
            (
                &format!("{BASE}policy:\n  headroom: rack\n"),
                "s.yaml:5:13: error: unknown headroom \"rack\"; expected none, node or zone (at policy.headroom)",
            ),
            (
                &format!("{BASE}policy:\n  headroom: zone\n"),
                "error: headroom: zone needs at least two zones, found 1 (at policy.headroom)",
            ),
            (
                &format!("{BASE}purchase: [on-demand, reserved]\n"),
                "s.yaml:4:23: error: unknown purchase option \"reserved\"; expected one of on-demand, reserved-1y, reserved-3y, spot (at purchase[1])",
            ),
            (
                &format!("{BASE}zones: [us-east-1a, us-east-1a]\n"),
                "error: zone \"us-east-1a\" is listed twice (at zones[1])",
            ),
        ];
        assert_first_errors(cases);
    }

    #[test]
    fn bad_catalogs_containers_prices_and_volumes_name_location_and_path() {
        let cases: &[(&str, &str)] = &[
            (
                &format!("{BASE}catalog:\n  families: [m7x]\n"),
                "error: no aws instance family is named \"m7x\"",
            ),
            (
                &format!(
                    "{BASE}workloads:\n  - name: a\n    requests: {{cpu: 2}}\n    limits: {{cpu: 1}}\n"
                ),
                "error: the cpu request (2) is above its limit (1); Kubernetes requires request ≤ limit (at workloads[0].requests.cpu)",
            ),
            (
                &format!(
                    "{BASE}workloads:\n  - name: a\n    requests: {{cpu: 1}}\n    containers:\n      - name: c\n"
                ),
                "error: give either flat requests/limits or containers, not both (at workloads[0].containers)",
            ),
            (
                "name: t\nprovider: custom\ncatalog:\n  custom:\n    - name: box\n      cpu: 8\n      memory: 32Gi\n      price: {}\n",
                "error: a custom instance type needs at least one price",
            ),
            (
                "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    requests: {cpu: 1\n",
                "s.yaml:7:1: error: did not find expected ',' or '}', while parsing a flow mapping",
            ),
            (&format!("{BASE}overhead: gke-autopilot\n"), "unknown overhead profile"),
            (
                &format!("{BASE}catalog:\n  min_cpu: 8\n  max_cpu: 4\n"),
                "error: max_cpu (4) is below min_cpu (8) (at catalog.max_cpu)",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  discounts:\n    - {{family: m7i, option: reserved-1y, discount: 1.5}}\n"
                ),
                "s.yaml:6:52: error: a discount is a fraction from 0 to below 1 (such as 0.35 or 35%), found 1.5 (at pricing.discounts[0].discount)",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  discounts:\n    - {{option: reserved-1y, discount: 0.3}}\n"
                ),
                "s.yaml:6:7: error: a discount names either a family or an instance_type (one of the two) (at pricing.discounts[0])",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  discounts:\n    - {{family: m7i, option: reserved-5y, discount: 0.3}}\n"
                ),
                "s.yaml:6:29: error: unknown purchase option \"reserved-5y\"; expected one of on-demand, reserved-1y, reserved-3y, spot (at pricing.discounts[0].option)",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  sheet: |\n    type,option,hourly\n    m7i.large,on-demand,cheap\n"
                ),
                "s.yaml:5:10: error: the price sheet (CSV with columns type, option, hourly) is invalid: pricing.sheet:2: column `hourly`: expected a price in US dollars such as 0.096, or nothing, found \"cheap\" (at pricing.sheet)",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  sheet: |\n    type,option,hourly\n    m7i.large,on-demand,0.09\n    m7i.huge,on-demand,0.5\n"
                ),
                "s.yaml:5:10: error: the price sheet, line 3: no aws instance type is named \"m7i.huge\" (at pricing.sheet)",
            ),
            (
                &format!(
                    "{BASE}pricing:\n  discounts:\n    - {{family: m9z, option: spot, discount: 0.7}}\n"
                ),
                "s.yaml:6:16: error: no aws instance family is named \"m9z\" (at pricing.discounts[0].family)",
            ),
            (
                &format!("{BASE}control_plane: {{tier: gold}}\n"),
                "error: unknown aws control-plane tier \"gold\"; expected one of standard, extended (at control_plane.tier)",
            ),
            (
                &format!("{BASE}volumes:\n  - {{name: d, storage_class: fancy, size: 10Gi}}\n"),
                "error: no aws price for storage class \"fancy\" in data/pricing/storage.csv (known: gp3, gp2, io1, io2, st1, sc1); give price_per_gib_month (at volumes[0].storage_class)",
            ),
            (
                &format!(
                    "{BASE}volumes:\n  - {{name: d, storage_class: gp3, size: 10Gi, count: 0}}\n"
                ),
                "error: count must be at least 1 (at volumes[0].count)",
            ),
        ];
        assert_first_errors(cases);
    }

    /// Each text's first error contains its expected text (all cases checked, all failures shown).
    fn assert_first_errors(cases: &[(&str, &str)]) {
        let mut failures = Vec::new();
        for (text, expect) in cases {
            let res = read_scenario(text, "s.yaml");
            let got = match res.output {
                Err(errors) => errors[0].to_string(),
                Ok(_) => "no error".to_string(),
            };
            if !got.contains(expect) {
                failures.push(format!("got:      {got}\nexpected: {expect}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn variants_and_sweeps_are_read_and_applied() {
        let s = ok_study(&format!(
            "{BASE}zones: [us-east-1a, us-east-1b]\npurchase: [on-demand, spot]\nworkloads:\n  - name: a\n    replicas: 4\n    requests: {{cpu: 1, memory: 1Gi}}\nvariants:\n  - name: grow\n    scale: 1.5\n    policy: {{utilization: 0.7}}\n  - name: arm\n    arch: [arm64]\n    replicas: {{a: 2}}\nsweeps:\n  - policy.spot.max_share: [0, 25%, 0.5]\n  - scale: {{from: 1, to: 2, step: 0.25}}\n  - policy.headroom: [none, zone]\n"
        ));
        assert_eq!(s.variants.len(), 2);
        assert_eq!(s.variants[0].overrides.scale_ppm, Some(1_500_000));
        let p = s.variants[0].overrides.policy.as_ref().unwrap();
        assert_eq!(p.utilization.cpu, 700_000);
        // Fields the variant does not give keep the base's value.
        assert_eq!(p.headroom, s.base.policy.headroom);
        assert_eq!(s.variants[1].overrides.catalog.as_ref().unwrap().arch, vec![Arch::Arm64]);
        assert_eq!(s.sweeps.len(), 3);
        assert_eq!(
            s.sweeps[0].values,
            vec![SweepValue::Number(0.0), SweepValue::Number(0.25), SweepValue::Number(0.5)]
        );
        let scales: Vec<String> = s.sweeps[1].values.iter().map(|v| v.to_string()).collect();
        assert_eq!(scales, vec!["1", "1.25", "1.5", "1.75", "2"]);
        assert_eq!(s.sweeps[2].values[1], SweepValue::Headroom(Headroom::Zone));
    }

    #[test]
    fn override_errors_name_the_variant_the_field_and_the_line() {
        let head = format!(
            "{BASE}zones: [us-east-1a, us-east-1b]\nworkloads:\n  - name: a\n    replicas: 4\n    min_available: 3\n    requests: {{cpu: 1, memory: 1Gi}}\n"
        );
        let cases: &[(&str, &str)] = &[
            (
                "variants:\n  - name: held\n    purchase: [on-demand, reservation]\n",
                "variant \"held\": reservation is not bought by choice; list the reservations you hold under reservations: (instance_type, zone, count, price) (at variants[0].purchase[1])",
            ),
            (
                "variants:\n  - name: none\n    purchase: []\n",
                "variant \"none\": purchase must list at least one purchase option (at variants[0].purchase)",
            ),
            (
                "variants:\n  - name: big\n    scale: 0\n",
                "s.yaml:12:12: error: variant \"big\": scale must be greater than 0 and at most 1000, found 0 (at variants[0].scale)",
            ),
            (
                "variants:\n  - name: half\n    scale: 0.5\n",
                "s.yaml:12:12: error: variant \"half\": workload default/a would have 2 replicas, below its min_available (3) (at variants[0].scale)",
            ),
            (
                "variants:\n  - name: x\n    replicas: {b: 3}\n",
                "error: variant \"x\": no workload is named \"b\" (at variants[0].replicas.b)",
            ),
            (
                "variants:\n  - name: hot\n    policy:\n      utilization: 1.2\n",
                "s.yaml:13:20: error: variant \"hot\": utilization must be greater than 0 and at most 1, found 1.2 (at variants[0].policy.utilization)",
            ),
            (
                "variants:\n  - name: one zone\n    zones: [us-east-1a]\n    policy: {headroom: zone}\n",
                "error: variant \"one zone\": headroom: zone needs at least two zones, found 1 (at variants[0].policy.headroom)",
            ),
            (
                "variants:\n  - name: gcp\n    provider: gcp\n    region: mars\n",
                "s.yaml:13:13: error: variant \"gcp\": region \"mars\" has no prices in the embedded gcp catalog",
            ),
            (
                "variants:\n  - name: m\n    catalog: {families: [zz9]}\n",
                "error: variant \"m\": no aws instance family is named \"zz9\" (at variants[0].catalog.families)",
            ),
            (
                "variants:\n  - name: p\n    purchase: [on-demand, reserved]\n",
                "error: unknown purchase option \"reserved\"",
            ),
            (
                "variants:\n  - name: p\n    bogus: 1\n",
                "error: unknown field `bogus`, expected one of",
            ),
            (
                "variants:\n  - name: a\n    scale: 2\n  - name: a\n    scale: 3\n",
                "error: variant \"a\" is defined twice (also at variants[0]) (at variants[1].name)",
            ),
            (
                "sweeps:\n  - policy.spot.max_share: [0, 2]\n",
                "s.yaml:11:5: error: sweep policy.spot.max_share: value 2 is out of range; expected between 0 and 1 (at sweeps[0].policy.spot.max_share)",
            ),
            (
                "sweeps:\n  - policy.headroom: [none, rack]\n",
                "error: sweep policy.headroom: unknown headroom \"rack\"; expected none, node or zone (at sweeps[0].policy.headroom)",
            ),
            (
                "sweeps:\n  - policy.color: [1]\n",
                "error: unknown sweep parameter \"policy.color\"; expected one of scale, policy.spot.max_share",
            ),
            (
                "sweeps:\n  - scale: {from: 2, to: 1, step: 0.5}\n",
                "error: sweep scale: a range needs from ≤ to and step > 0, found from 2, to 1, step 0.5",
            ),
            (
                "sweeps:\n  - scale: [0.5]\n",
                "error: sweep scale = 0.5: workload default/a would have 2 replicas, below its min_available (3) (at sweeps[0].scale)",
            ),
            (
                "sweeps:\n  - {scale: [1], policy.headroom: [none]}\n",
                "error: a sweep names exactly one parameter",
            ),
        ];
        let mut failures = Vec::new();
        for (tail, expect) in cases {
            let text = format!("{head}{tail}");
            let got = match read_scenario(&text, "s.yaml").output {
                Err(errors) => errors[0].to_string(),
                Ok(_) => "no error".to_string(),
            };
            if !got.contains(expect) {
                failures.push(format!("got:      {got}\nexpected: {expect}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn best_effort_and_empty_scenarios_warn() {
        let res = read_scenario(&format!("{BASE}workloads:\n  - name: idle\n"), "s.yaml");
        assert!(res.output.is_ok());
        assert!(
            res.warnings.iter().any(|w| w.message.contains("BestEffort") && w.location.is_some())
        );
        let res = read_scenario(BASE, "s.yaml");
        assert!(res.warnings.iter().any(|w| w.message.contains("no workloads")));
    }

    #[test]
    fn pricing_overrides_follow_their_precedence() {
        // m7i.large on-demand in the catalog: $0.1008/h.
        let od = 0.1008;
        let s = ok(&format!(
            "{BASE}purchase: [on-demand, reserved-1y, reserved-3y]\ncatalog: {{include: [m7i.large, m7i.xlarge]}}\npricing:\n  discounts:\n    - {{family: m7i, option: reserved-1y, discount: 40%}}\n    - {{instance_type: m7i.xlarge, option: reserved-1y, discount: 0.5}}\n  sheet: |\n    type,option,hourly\n    m7i.large,reserved-3y,0.03\nworkloads:\n  - {{name: a, requests: {{cpu: 1, memory: 1Gi}}}}\n"
        ));
        let price = |t: &str, p: PurchaseOption| {
            let it = catalog::builtin::catalog(Provider::Aws).get(t).unwrap();
            s.offer(it, p).map(|o| (o.price.0, o.source))
        };
        let (p, src) = price("m7i.large", PurchaseOption::OnDemand).unwrap();
        assert!((p - od).abs() < 1e-12 && src == PriceSource::Catalog);
        // Per family: 40% off.
        let (p, src) = price("m7i.large", PurchaseOption::Reserved1y).unwrap();
        assert!((p - od * 0.6).abs() < 1e-12 && src == PriceSource::Scenario);
        // Per type beats per family: 50% off the xlarge's on-demand price.
        let (p, _) = price("m7i.xlarge", PurchaseOption::Reserved1y).unwrap();
        assert!((p - 0.2016 * 0.5).abs() < 1e-12, "{p}");
        // The sheet's exact price.
        let (p, src) = price("m7i.large", PurchaseOption::Reserved3y).unwrap();
        assert!((p - 0.03).abs() < 1e-12 && src == PriceSource::Scenario);
        // No override: the published table (AWS 3-year, typically 63% off), labelled as such.
        let (p, src) = price("m7i.xlarge", PurchaseOption::Reserved3y).unwrap();
        assert!((p - 0.2016 * 0.37).abs() < 1e-12, "{p}");
        assert!(
            matches!(src, PriceSource::DiscountTable { discount, .. } if (discount - 0.63).abs() < 1e-12)
        );
        // Node options carry those prices.
        let opts = s.node_options().output;
        assert!(opts.iter().any(|o| o.instance_type == "m7i.large"
            && o.purchase == PurchaseOption::Reserved3y
            && (o.price.0 - 0.03).abs() < 1e-12));
    }

    #[test]
    fn control_plane_and_volumes_are_priced_from_the_tables() {
        let s = ok(&format!(
            "{BASE}control_plane: {{tier: extended}}\nvolumes:\n  - {{name: d, namespace: db, storage_class: gp3, size: 100Gi, count: 3}}\n  - {{name: e, storage_class: fancy, size: 1Ti, price_per_gib_month: 0.02}}\n"
        ));
        assert_eq!(s.control_plane.tier, "extended");
        assert!((s.control_plane.hourly.0 - 0.60).abs() < 1e-12);
        assert!((s.volumes[0].monthly() - 3.0 * 100.0 * 0.08).abs() < 1e-9);
        assert!((s.volumes[1].monthly() - 1024.0 * 0.02).abs() < 1e-9);
        let d = ok(BASE);
        assert_eq!(d.control_plane.tier, "standard");
        assert!((d.control_plane.hourly.0 - 0.10).abs() < 1e-12);
        let azure = ok("name: t\nprovider: azure\nregion: eastus\n");
        assert_eq!(
            (azure.control_plane.tier.as_str(), azure.control_plane.hourly.0),
            ("free", 0.0)
        );
    }

    #[test]
    fn custom_types_are_priced_in_the_scenario_region() {
        let s = ok(
            "name: t\nprovider: custom\nregion: dc1\ncatalog:\n  custom:\n    - name: rack-64\n      cpu: \"64\"\n      memory: 256Gi\n      max_pods: 110\n      price: {on_demand: 1.20}\nworkloads:\n  - name: a\n    requests: {cpu: 1, memory: 1Gi}\n",
        );
        let t = &s.custom_types[0];
        assert_eq!(t.offer("dc1", PurchaseOption::OnDemand).map(|o| o.price), Some(Price(1.2)));
        let opts = s.node_options().output;
        assert_eq!(opts.len(), 1);
        assert_eq!(opts[0].zone, "dc1-a");
    }
}
