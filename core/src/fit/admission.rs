//! Placement admission: whether a pod of a workload may be placed on a node option at all, and,
//! when a workload fits no option, why.
//!
//! The rules are written once, as [`Rule`]s checked in a fixed order by [`refusal`]. The packers'
//! admission ([`admits`], through [`super::Fleet::admits`]) and the infeasibility explanation
//! ([`why_no_option`]) both read [`refusal`], so a rule changed here changes both.

use crate::resources::Resources;
use crate::scenario::{NodeOption, glob_match};
use crate::workload::{Placement, Workload};

use super::Fleet;

/// One admission rule, in the order [`refusal`] checks them and the explanation reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// Spot nodes take only workloads that allow spot.
    Spot,
    /// The workload's node selection: architecture, zone, family, instance type.
    Placement,
    /// GPU nodes are tainted: only pods that request a GPU go there.
    Gpu,
    /// A pod's requests fit within the option's usable capacity.
    Requests,
    /// A pod's limits fit within the option's overcommit caps.
    Limits,
}

/// The first rule, in [`Rule`] order, by which `option` refuses a pod of `workload`; `None` when
/// it admits one (ignoring what else is on the node).
pub fn refusal(option: &NodeOption, workload: &Workload) -> Option<Rule> {
    if option.purchase.is_spot() && !workload.spot {
        return Some(Rule::Spot);
    }
    if !placement_admits(&workload.placement, option) {
        return Some(Rule::Placement);
    }
    if option.has_gpu() && !workload.pod.requests.has_gpu() {
        return Some(Rule::Gpu);
    }
    if !workload.pod.requests.fits_in(&option.usable) {
        return Some(Rule::Requests);
    }
    if !limits_fit(option, &workload.pod.limits) {
        return Some(Rule::Limits);
    }
    None
}

/// True when a pod of `workload` may be placed on `option` at all (ignoring what else is on the node).
pub fn admits(option: &NodeOption, workload: &Workload) -> bool {
    refusal(option, workload).is_none()
}

/// True when `option` passes every rule up to and including `rule` for `workload`.
pub fn passes(option: &NodeOption, workload: &Workload, rule: Rule) -> bool {
    refusal(option, workload).is_none_or(|r| r > rule)
}

/// True when a sum of pod limits is within `option`'s overcommit caps.
pub fn limits_fit(option: &NodeOption, limits: &Resources) -> bool {
    option.limit_caps.iter().all(|(name, cap)| limits.get(name) <= *cap)
}

fn placement_admits(p: &Placement, o: &NodeOption) -> bool {
    (p.arch.is_empty() || p.arch.contains(&o.arch))
        && (p.instance_types.is_empty()
            || p.instance_types.iter().any(|g| glob_match(g, &o.instance_type)))
        && (p.families.is_empty() || p.families.iter().any(|f| f.eq_ignore_ascii_case(&o.family)))
        && (p.zones.is_empty() || p.zones.contains(&o.zone))
}

/// Why workload `w` fits no node option: the sentence `workload K fits no node option: …`,
/// naming the first rules (in [`Rule`] order) that leave no candidate, or the inventory limits
/// when every admitting option is limited.
pub fn why_no_option(fleet: &Fleet<'_>, w: usize) -> String {
    let scenario = fleet.scenario;
    let workload = &scenario.workloads[w];
    let options = fleet.options;
    let admitting: Vec<usize> = (0..options.len()).filter(|&o| fleet.admits[w][o]).collect();
    let reason = if !admitting.is_empty()
        && admitting.iter().all(|&o| !fleet.limits_of[o].is_empty())
    {
        let mut limits: Vec<usize> =
            admitting.iter().flat_map(|&o| fleet.limits_of[o].iter().copied()).collect();
        limits.sort_unstable();
        limits.dedup();
        format!(
            "every node option that can hold its pods is limited, and the inventory runs out: {}",
            limits.iter().map(|&l| fleet.limits[l].describe()).collect::<Vec<_>>().join("; ")
        )
    } else if options.is_empty() {
        format!(
            "the catalog filter leaves no node option in {} for purchase options {}",
            scenario.region,
            scenario.purchase.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
        )
    } else {
        rules_refusing(options, workload).join("; ")
    };
    format!("workload {} fits no node option: {reason}", workload.key())
}

/// What each rule, applied in order to the options that passed the ones before, leaves out.
fn rules_refusing(options: &[NodeOption], workload: &Workload) -> Vec<String> {
    let mut parts = Vec::new();
    let selected: Vec<&NodeOption> =
        options.iter().filter(|o| passes(o, workload, Rule::Placement)).collect();
    if selected.is_empty() {
        parts.push(
            "its node selector (architecture, zone, family or instance type) matches no node option"
                .to_string(),
        );
        return parts;
    }
    let candidates: Vec<&NodeOption> =
        selected.into_iter().filter(|o| passes(o, workload, Rule::Gpu)).collect();
    if candidates.is_empty() {
        parts
            .push("only GPU nodes match, and they are kept for pods that request GPUs".to_string());
    }
    let requests = &workload.pod.requests;
    for name in requests.names_with(requests) {
        let need = requests.get(&name);
        if need == 0 {
            continue;
        }
        if !options.iter().any(|o| o.capacity.get(&name) > 0) {
            parts.push(format!(
                "it requests {name} {} per pod, and no node option offers {name} (declare it in a node type's resources: map)",
                name.format_amount(need)
            ));
            continue;
        }
        let best = candidates.iter().max_by_key(|o| o.usable.get(&name));
        if let Some(best) = best
            && best.usable.get(&name) < need
        {
            parts.push(format!(
                "it requests {name} {} per pod, and the most any candidate offers is {} ({}, after overhead, DaemonSets and utilization)",
                name.format_amount(need),
                name.format_amount(best.usable.get(&name)),
                best.instance_type
            ));
        }
    }
    for (name, _) in candidates.first().map(|o| o.limit_caps.clone()).unwrap_or_default() {
        let need = workload.pod.limits.get(&name);
        let best = candidates
            .iter()
            .filter_map(|o| o.limit_caps.iter().find(|(n, _)| *n == name))
            .map(|(_, c)| *c)
            .max();
        if let Some(best) = best
            && best < need
        {
            parts.push(format!(
                "its {name} limit {} per pod exceeds every overcommit cap (at most {})",
                name.format_amount(need),
                name.format_amount(best)
            ));
        }
    }
    if parts.is_empty() {
        parts.push("no single node option satisfies all of its requests together".to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::scenario::Scenario;

    /// Two zones; `n4` (4 vCPU, 16 GiB) on demand and spot, and `g4`, the same with one GPU;
    /// CPU limits overcommitted at most twice. Each workload but `fits` and `spot-ok` is refused by one rule
    /// on every option.
    const SCENARIO: &str = "name: t
provider: custom
region: test
zones: [test-a, test-b]
overhead: none
purchase: [on-demand, spot]
policy: {overcommit: {cpu: 2}, spot: {max_share: 0.5}}
catalog:
  custom:
    - {name: n4, family: n, cpu: \"4\", memory: 16Gi, max_pods: 110, price: {on_demand: 0.20, spot: 0.06}}
    - {name: g4, family: g, cpu: \"4\", memory: 16Gi, gpus: 1, max_pods: 110, price: {on_demand: 0.90, spot: 0.30}}
workloads:
  - {name: fits, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}}
  - {name: arm, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}, arch: [arm64]}
  - {name: typed, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}, instance_types: [\"m5.*\"]}
  - {name: on-gpu-family, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}, families: [g]}
  - {name: huge, replicas: 1, requests: {cpu: \"6\", memory: 1Gi}}
  - {name: many-gpus, replicas: 1, requests: {cpu: \"1\", memory: 1Gi, nvidia.com/gpu: 2}, families: [g]}
  - {name: wide-limits, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}, limits: {cpu: \"9\"}}
  - {name: spot-ok, replicas: 1, requests: {cpu: \"1\", memory: 1Gi}, spot: true}
";

    fn scenario() -> (Scenario, Vec<NodeOption>) {
        let s = read_scenario(SCENARIO, "t.yaml").output.unwrap_or_else(|e| panic!("{e:?}"));
        let built = s.node_options();
        let keys: Vec<String> = built.output.iter().map(|o| o.key().to_string()).collect();
        assert_eq!(
            keys.len(),
            8,
            "2 types x 2 purchase options x 2 zones: {keys:?} {:?}",
            built.warnings
        );
        let options = built.output;
        (s, options)
    }

    /// The furthest rule any option reaches for workload `w` (`None`: some option admits it).
    fn furthest(options: &[NodeOption], workload: &Workload) -> Option<Rule> {
        let refusals: Vec<Option<Rule>> = options.iter().map(|o| refusal(o, workload)).collect();
        if refusals.iter().any(Option::is_none) {
            None
        } else {
            refusals.into_iter().flatten().max()
        }
    }

    #[test]
    fn each_workload_is_refused_by_the_rule_it_breaks() {
        let (s, options) = scenario();
        let expected = [
            ("fits", None),
            ("arm", Some(Rule::Placement)),
            ("typed", Some(Rule::Placement)),
            ("on-gpu-family", Some(Rule::Gpu)),
            ("huge", Some(Rule::Requests)),
            ("many-gpus", Some(Rule::Requests)),
            ("wide-limits", Some(Rule::Limits)),
            ("spot-ok", None),
        ];
        for (w, (name, rule)) in s.workloads.iter().zip(expected) {
            assert_eq!(w.name, name);
            assert_eq!(furthest(&options, w), rule, "{name}");
        }
        // Spot options refuse workloads that do not allow spot, before any other rule.
        let fits = &s.workloads[0];
        for o in &options {
            let want = match (o.purchase.is_spot(), o.has_gpu()) {
                (true, _) => Some(Rule::Spot),
                (false, true) => Some(Rule::Gpu),
                (false, false) => None,
            };
            assert_eq!(refusal(o, fits), want, "{}", o.key());
        }
    }

    /// Admission and the explanation read the same rules: the packers admit exactly what
    /// `refusal` lets through, and for each workload admitted nowhere the explanation names the
    /// furthest rule the options reach (a change to a rule moves both).
    #[test]
    fn the_explanation_names_the_rule_admission_stops_at() {
        let (s, options) = scenario();
        let fleet = Fleet::new(&s, &options);
        for (w, workload) in s.workloads.iter().enumerate() {
            for (o, option) in options.iter().enumerate() {
                assert_eq!(fleet.admits[w][o], refusal(option, workload).is_none());
                assert_eq!(fleet.admits[w][o], admits(option, workload));
            }
            let Some(rule) = furthest(&options, workload) else {
                assert!(fleet.admits[w].iter().any(|a| *a), "{}", workload.name);
                continue;
            };
            assert!(fleet.admits[w].iter().all(|a| !*a), "{}", workload.name);
            let why = why_no_option(&fleet, w);
            let prefix = format!("workload default/{} fits no node option: ", workload.name);
            let reason = why.strip_prefix(&prefix).unwrap_or_else(|| panic!("{why}"));
            let named = match rule {
                Rule::Spot | Rule::Placement => reason.starts_with("its node selector"),
                Rule::Gpu => reason.starts_with("only GPU nodes match"),
                Rule::Requests => reason.starts_with("it requests "),
                Rule::Limits => reason.starts_with("its cpu limit"),
            };
            assert!(named, "{}: {rule:?} but {reason}", workload.name);
        }
    }

    #[test]
    fn the_explanation_keeps_its_messages() {
        let (s, options) = scenario();
        let fleet = Fleet::new(&s, &options);
        let why = |name: &str| {
            let w = s.workloads.iter().position(|w| w.name == name).unwrap();
            why_no_option(&fleet, w)
        };
        assert_eq!(
            why("arm"),
            "workload default/arm fits no node option: its node selector (architecture, zone, family or instance type) matches no node option"
        );
        assert_eq!(
            why("on-gpu-family"),
            "workload default/on-gpu-family fits no node option: only GPU nodes match, and they are kept for pods that request GPUs"
        );
        assert_eq!(
            why("huge"),
            "workload default/huge fits no node option: it requests cpu 6 per pod, and the most any candidate offers is 4 (n4, after overhead, DaemonSets and utilization)"
        );
        assert_eq!(
            why("many-gpus"),
            "workload default/many-gpus fits no node option: it requests nvidia.com/gpu 2 per pod, and the most any candidate offers is 1 (g4, after overhead, DaemonSets and utilization)"
        );
        assert_eq!(
            why("wide-limits"),
            "workload default/wide-limits fits no node option: its cpu limit 9 per pod exceeds every overcommit cap (at most 8)"
        );
    }
}
