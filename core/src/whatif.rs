//! What-if: variants (named overrides) and sweeps (one value over a list) → labelled scenarios.
//!
//! A scenario may carry [`Variant`]s and [`Sweep`]s (read by `input::scenario`). [`cases`] turns
//! them into a fixed-order list of [`Case`]s: the base first, then every variant in file order,
//! then every sweep point in file order. Each case is a complete scenario that plans on its own.

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::{self, Provider, PurchaseOption};
use crate::diag::UnknownName;
use crate::overhead::OverheadProfile;
use crate::policy::{Headroom, Policy, Ratios, ratio_to_ppm};
use crate::scenario::{CatalogFilter, Scenario, default_zones};

/// What a variant or a sweep point changes; every field left `None` (or empty) keeps the base.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Override {
    /// Multiplies every workload's replicas (rounded up), in parts per million.
    pub scale_ppm: Option<u64>,
    /// Replicas of named workloads (`name` or `namespace/name`), applied after `scale`.
    pub replicas: BTreeMap<String, u32>,
    /// Another provider (the overhead profile becomes that provider's default).
    pub provider: Option<Provider>,
    /// Another region.
    pub region: Option<String>,
    /// Other zones (default: the region's default zones when the provider or region changes).
    pub zones: Option<Vec<String>>,
    /// The whole catalog filter to use (the base's, with the fields the override gives replaced).
    pub catalog: Option<CatalogFilter>,
    /// Purchase options.
    pub purchase: Option<Vec<PurchaseOption>>,
    /// The whole policy to use (the base's, with the fields the override gives replaced).
    pub policy: Option<Policy>,
}

/// A named set of overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Name, unique among the variants.
    pub name: String,
    /// What it asks, if said.
    pub description: Option<String>,
    /// The overrides.
    pub overrides: Override,
}

/// The value a sweep varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SweepParam {
    /// `scale`: every workload's replicas multiplied.
    Scale,
    /// `policy.spot.max_share`.
    SpotMaxShare,
    /// `policy.utilization` (the same for every resource).
    Utilization,
    /// `policy.headroom`: none, node or zone.
    Headroom,
    /// `policy.overcommit.cpu`.
    OvercommitCpu,
    /// `policy.overcommit.memory`.
    OvercommitMemory,
    /// `policy.max_pods_per_node`.
    MaxPodsPerNode,
}

impl SweepParam {
    /// Every parameter, in a stable order.
    pub const ALL: [SweepParam; 7] = [
        SweepParam::Scale,
        SweepParam::SpotMaxShare,
        SweepParam::Utilization,
        SweepParam::Headroom,
        SweepParam::OvercommitCpu,
        SweepParam::OvercommitMemory,
        SweepParam::MaxPodsPerNode,
    ];

    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SweepParam::Scale => "scale",
            SweepParam::SpotMaxShare => "policy.spot.max_share",
            SweepParam::Utilization => "policy.utilization",
            SweepParam::Headroom => "policy.headroom",
            SweepParam::OvercommitCpu => "policy.overcommit.cpu",
            SweepParam::OvercommitMemory => "policy.overcommit.memory",
            SweepParam::MaxPodsPerNode => "policy.max_pods_per_node",
        }
    }

    /// True when the values are numbers (a chart can put them on a numeric axis).
    pub fn is_numeric(self) -> bool {
        self != SweepParam::Headroom
    }
}

impl fmt::Display for SweepParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SweepParam {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<SweepParam, UnknownName> {
        SweepParam::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = SweepParam::ALL.iter().map(|p| p.as_str()).collect();
            UnknownName::new("sweep parameter", s, format!("one of {}", names.join(", ")))
        })
    }
}

/// One value of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SweepValue {
    /// A number (a ratio, a scale or a count).
    Number(f64),
    /// A headroom rule.
    Headroom(Headroom),
}

impl fmt::Display for SweepValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepValue::Number(x) => write!(f, "{}", (x * 1e6).round() / 1e6),
            SweepValue::Headroom(h) => f.write_str(h.as_str()),
        }
    }
}

/// One parameter over a list of values, each planned against the base.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The parameter.
    pub param: SweepParam,
    /// The values, in the order given.
    pub values: Vec<SweepValue>,
}

/// A scenario file as `kplan compare` reads it: the base scenario and the what-if variants and
/// sweeps planned against it. A [`Scenario`] has none of its own, so a case cannot hold more.
#[derive(Clone, Debug, PartialEq)]
pub struct Study {
    /// The scenario as written, without its variants and sweeps.
    pub base: Scenario,
    /// Named overrides, in file order.
    pub variants: Vec<Variant>,
    /// One parameter over a list of values each, in file order.
    pub sweeps: Vec<Sweep>,
}

impl Study {
    /// A study of one scenario alone: no variants, no sweeps.
    pub fn of(base: Scenario) -> Study {
        Study { base, variants: Vec::new(), sweeps: Vec::new() }
    }
}

/// What a case is.
#[derive(Clone, Debug, PartialEq)]
pub enum CaseKind {
    /// The scenario as written.
    Base,
    /// A variant (index into `Study::variants`).
    Variant(usize),
    /// A sweep point: the sweep's index and the value.
    SweepPoint {
        /// Index into `Study::sweeps`.
        sweep: usize,
        /// The parameter.
        param: SweepParam,
        /// The value.
        value: SweepValue,
    },
}

/// A labelled scenario to plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// `base`, the variant's name, or `param = value`.
    pub label: String,
    /// What it is.
    pub kind: CaseKind,
    /// The complete scenario.
    pub scenario: Scenario,
}

/// A problem with an override, by field relative to the override (`scale`, `policy.headroom` …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideProblem {
    /// The override's field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A scenario with an override applied, and its warnings.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The scenario.
    pub scenario: Scenario,
    /// Warnings (e.g. a spot share without spot in the purchase options).
    pub warnings: Vec<OverrideProblem>,
}

/// The override a sweep point stands for, against the base scenario.
pub fn sweep_override(base: &Scenario, param: SweepParam, value: SweepValue) -> Override {
    let mut ov = Override::default();
    let mut policy = base.policy.clone();
    match (param, value) {
        (SweepParam::Scale, SweepValue::Number(x)) => {
            ov.scale_ppm = Some(ratio_to_ppm(x));
            return ov;
        }
        (SweepParam::SpotMaxShare, SweepValue::Number(x)) => {
            policy.spot_max_share = ratio_to_ppm(x)
        }
        (SweepParam::Utilization, SweepValue::Number(x)) => {
            policy.utilization = Ratios::uniform(ratio_to_ppm(x))
        }
        (SweepParam::Headroom, SweepValue::Headroom(h)) => policy.headroom = h,
        (SweepParam::OvercommitCpu, SweepValue::Number(x)) => {
            policy.overcommit.cpu = Some(ratio_to_ppm(x))
        }
        (SweepParam::OvercommitMemory, SweepValue::Number(x)) => {
            policy.overcommit.memory = Some(ratio_to_ppm(x))
        }
        (SweepParam::MaxPodsPerNode, SweepValue::Number(x)) => {
            policy.max_pods_per_node = Some(x.round().clamp(1.0, f64::from(u32::MAX)) as u32)
        }
        // A value of the wrong kind is rejected when the sweep is read; keep the base.
        _ => {}
    }
    ov.policy = Some(policy);
    ov
}

/// Applies an override to a scenario, checking what only the combination can tell.
pub fn apply(base: &Scenario, ov: &Override) -> Result<Applied, Vec<OverrideProblem>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let problem =
        |field: &str, message: String| OverrideProblem { field: field.to_string(), message };
    let mut s = base.clone();

    if let Some(p) = ov.provider
        && p != s.provider
    {
        s.provider = p;
        s.overhead = OverheadProfile::default_for(p);
        if ov.region.is_none() {
            errors
                .push(problem("provider", format!("changing the provider to {p} needs a region")));
        }
    }
    let place_changed = ov.provider.is_some_and(|p| p != base.provider)
        || ov.region.as_ref().is_some_and(|r| *r != base.region);
    if let Some(r) = &ov.region {
        s.region = r.clone();
    }
    if place_changed && s.provider != Provider::Custom {
        let regions = catalog::builtin::catalog(s.provider).regions();
        if !regions.contains(&s.region) {
            errors.push(problem(
                "region",
                format!(
                    "region {:?} has no prices in the embedded {} catalog; expected one of {}",
                    s.region,
                    s.provider,
                    regions.join(", ")
                ),
            ));
        }
    }
    match &ov.zones {
        Some(z) => s.zones = z.clone(),
        None if place_changed => s.zones = default_zones(s.provider, &s.region),
        None => {}
    }
    if let Some(c) = &ov.catalog {
        s.catalog = c.clone();
    }
    if s.provider != Provider::Custom && (place_changed || ov.catalog.is_some()) {
        let cat = catalog::builtin::catalog(s.provider);
        for fam in &s.catalog.families {
            if !cat.types.iter().any(|t| t.in_family(fam)) {
                errors.push(problem(
                    "catalog.families",
                    format!("no {} instance family is named {fam:?}", s.provider),
                ));
            }
        }
    }
    if let Some(p) = &ov.purchase {
        s.purchase = p.clone();
    }
    if let Some(p) = &ov.policy {
        s.policy = p.clone();
    }
    if let Some(scale) = ov.scale_ppm {
        for w in &mut s.workloads {
            let scaled = (u64::from(w.replicas) * scale).div_ceil(crate::policy::PPM);
            w.replicas = u32::try_from(scaled).unwrap_or(u32::MAX);
        }
    }
    for (name, &n) in &ov.replicas {
        let hits: Vec<usize> = s
            .workloads
            .iter()
            .enumerate()
            .filter(|(_, w)| w.name == *name || w.key().to_string() == *name)
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [] => errors.push(problem(
                &format!("replicas.{name}"),
                format!("no workload is named {name:?}"),
            )),
            [i] => s.workloads[*i].replicas = n,
            _ => errors.push(problem(
                &format!("replicas.{name}"),
                format!(
                    "{name:?} names {} workloads in different namespaces; write namespace/name",
                    hits.len()
                ),
            )),
        }
    }
    if ov.scale_ppm.is_some() || !ov.replicas.is_empty() {
        let field = if ov.replicas.is_empty() { "scale" } else { "replicas" };
        for w in &s.workloads {
            if let Some(m) = w.min_available
                && m > w.replicas
            {
                errors.push(problem(
                    field,
                    format!(
                        "workload {} would have {} replicas, below its min_available ({m})",
                        w.key(),
                        w.replicas
                    ),
                ));
            }
        }
    }
    if ov.zones.is_some() || place_changed {
        for z in &s.zones {
            if s.provider != Provider::Custom && !z.starts_with(s.region.as_str()) {
                errors.push(problem(
                    "zones",
                    format!(
                        "zone {z:?} is not in region {}; expected a zone of the region, such as {}",
                        s.region,
                        default_zones(s.provider, &s.region)[0]
                    ),
                ));
            }
        }
        for w in &s.workloads {
            for z in w.placement.zones.iter().filter(|z| !s.zones.contains(z)) {
                errors.push(problem(
                    "zones",
                    format!(
                        "workload {} is placed in zone {z:?}, which is not one of the zones {}",
                        w.key(),
                        s.zones.join(", ")
                    ),
                ));
            }
        }
    }
    if s.policy.headroom == Headroom::Zone && s.zones.len() < 2 {
        errors.push(problem(
            "policy.headroom",
            format!("headroom: zone needs at least two zones, found {}", s.zones.len()),
        ));
    }
    if s.policy.spot_max_share > 0 && !s.purchase.contains(&PurchaseOption::Spot) {
        let field = if ov.purchase.is_some() { "purchase" } else { "policy.spot.max_share" };
        warnings.push(problem(
            field,
            "a spot share is set but purchase does not list spot, so no spot nodes will be planned"
                .to_string(),
        ));
    }
    if errors.is_empty() { Ok(Applied { scenario: s, warnings }) } else { Err(errors) }
}

/// The label of a sweep point.
pub fn sweep_label(param: SweepParam, value: SweepValue) -> String {
    format!("{param} = {value}")
}

/// An override that does not apply to the base, by the case it makes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseProblem {
    /// A variant's override.
    #[error("variant {variant:?}: {}: {}", problem.field, problem.message)]
    Variant {
        /// The variant's name.
        variant: String,
        /// What is wrong, and in which field.
        problem: OverrideProblem,
    },
    /// A sweep point's override.
    #[error("sweep {label}: {}", problem.message)]
    SweepPoint {
        /// The point's label (`policy.spot.max_share = 0.5`).
        label: String,
        /// What is wrong.
        problem: OverrideProblem,
    },
}

/// The problems of [`cases`], one a line.
pub fn problems_text(problems: &[CaseProblem], separator: &str) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
}

/// Every case of a study, in a fixed order: the base, the variants, then each sweep's points.
///
/// The scenario reader already applied every override, so this fails only on a study built
/// by hand; the problems name the variant or sweep.
pub fn cases(study: &Study) -> Result<Vec<Case>, Vec<CaseProblem>> {
    let base = &study.base;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    out.push(Case { label: "base".to_string(), kind: CaseKind::Base, scenario: base.clone() });
    for (i, v) in study.variants.iter().enumerate() {
        match apply(base, &v.overrides) {
            Ok(a) => out.push(Case {
                label: v.name.clone(),
                kind: CaseKind::Variant(i),
                scenario: a.scenario,
            }),
            Err(ps) => errors.extend(
                ps.into_iter()
                    .map(|problem| CaseProblem::Variant { variant: v.name.clone(), problem }),
            ),
        }
    }
    for (i, sw) in study.sweeps.iter().enumerate() {
        for &value in &sw.values {
            let ov = sweep_override(base, sw.param, value);
            let label = sweep_label(sw.param, value);
            match apply(base, &ov) {
                Ok(a) => out.push(Case {
                    label,
                    kind: CaseKind::SweepPoint { sweep: i, param: sw.param, value },
                    scenario: a.scenario,
                }),
                Err(ps) => errors.extend(
                    ps.into_iter()
                        .map(|problem| CaseProblem::SweepPoint { label: label.clone(), problem }),
                ),
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_study;

    fn scenario(extra: &str) -> Scenario {
        study(extra).base
    }

    fn study(extra: &str) -> Study {
        let text = format!(
            "name: t\nprovider: aws\nregion: us-east-1\nzones: [us-east-1a, us-east-1b]\npurchase: [on-demand, spot]\nworkloads:\n  - name: web\n    replicas: 3\n    min_available: 2\n    spot: true\n    requests: {{cpu: 500m, memory: 512Mi}}\n  - name: db\n    namespace: data\n    replicas: 2\n    requests: {{cpu: 1, memory: 2Gi}}\n{extra}"
        );
        match read_study(&text, "t.yaml").output {
            Ok(s) => s,
            Err(e) => panic!("{}", e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        }
    }

    #[test]
    fn scale_rounds_replicas_up_and_names_override_replicas() {
        let base = scenario("");
        let ov = Override {
            scale_ppm: Some(1_300_000),
            replicas: BTreeMap::from([("data/db".to_string(), 5)]),
            ..Override::default()
        };
        let a = apply(&base, &ov).unwrap();
        let reps: Vec<u32> = a.scenario.workloads.iter().map(|w| w.replicas).collect();
        assert_eq!(reps, vec![4, 5]);
    }

    #[test]
    fn problems_name_the_field() {
        let base = scenario("");
        let ov = Override {
            scale_ppm: Some(500_000),
            replicas: BTreeMap::from([("nope".to_string(), 1)]),
            ..Override::default()
        };
        let errs = apply(&base, &ov).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["replicas.nope"]);
        let ov = Override { scale_ppm: Some(300_000), ..Override::default() };
        let errs = apply(&base, &ov).unwrap_err();
        assert_eq!(errs[0].field, "scale");
        assert!(errs[0].message.contains("below its min_available (2)"), "{}", errs[0].message);
        let ov = Override {
            provider: Some(Provider::Gcp),
            region: Some("mars".into()),
            ..Override::default()
        };
        let errs = apply(&base, &ov).unwrap_err();
        assert_eq!(errs[0].field, "region");
    }

    #[test]
    fn provider_change_takes_that_providers_zones_and_overhead() {
        let base = scenario("");
        let ov = Override {
            provider: Some(Provider::Gcp),
            region: Some("us-central1".into()),
            ..Override::default()
        };
        let a = apply(&base, &ov).unwrap();
        assert_eq!(a.scenario.provider, Provider::Gcp);
        assert_eq!(a.scenario.overhead, OverheadProfile::default_for(Provider::Gcp));
        assert_eq!(a.scenario.zones, default_zones(Provider::Gcp, "us-central1"));
    }

    #[test]
    fn cases_come_base_then_variants_then_sweep_points() {
        let study = study(
            "variants:\n  - name: double\n    scale: 2\nsweeps:\n  - policy.spot.max_share: [0, 0.5]\n  - policy.headroom: [none, zone]\n",
        );
        let cases = cases(&study).unwrap();
        let labels: Vec<&str> = cases.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "base",
                "double",
                "policy.spot.max_share = 0",
                "policy.spot.max_share = 0.5",
                "policy.headroom = none",
                "policy.headroom = zone"
            ]
        );
        assert_eq!(cases[3].scenario.policy.spot_max_share, 500_000);
        assert_eq!(cases[5].scenario.policy.headroom, Headroom::Zone);
        assert_eq!(cases[0].scenario, study.base);
    }
}
