//! Karpenter's own expectations on small cases, each test named after the behaviour its suite
//! checks (kubernetes-sigs/karpenter `scheduling/suite_test.go`, `topology_test.go`,
//! `instance_selection_test.go`, `disruption/consolidation_test.go`), with hand-checked node
//! counts and types.

use super::scheduler::{Model, Node, Scheduler, Tally};
use super::*;
use crate::input::scenario::read_scenario;
use crate::plan::Plan;
use crate::plan::verify::verify;
use crate::scenario::Scenario;
use crate::solve::{Method, SolveConfig, default_config, solve};

/// small 2 vCPU, medium 4, xlarge 8, large 16; on-demand and spot prices.
const TYPES: &str = "provider: custom\nregion: dc\noverhead: none\ncatalog:\n  custom:\n    - {name: small, cpu: 2, memory: 8Gi, price: {on_demand: 0.10, spot: 0.03}}\n    - {name: medium, cpu: 4, memory: 16Gi, price: {on_demand: 0.19, spot: 0.06}}\n    - {name: xlarge, cpu: 8, memory: 32Gi, price: {on_demand: 0.37, spot: 0.12}}\n    - {name: large, cpu: 16, memory: 64Gi, price: {on_demand: 0.72, spot: 0.25}}\n";

fn scenario(text: &str) -> Scenario {
    read_scenario(text, "t.yaml").output.unwrap_or_else(|e| panic!("{e:?}"))
}

/// Plans with the Karpenter model; the plan's violations are exactly the ones its baseline names.
fn karpenter_with(text: &str, opts: KarpenterOptions) -> (Scenario, Plan) {
    let s = scenario(text);
    let cfg = SolveConfig { method: Method::Karpenter, karpenter: opts, ..default_config() };
    let p = solve(&s, &cfg).unwrap_or_else(|e| panic!("{e}"));
    let named: Vec<String> = verify(&s, &p).into_iter().map(|v| v.message).collect();
    let base = p.solver.karpenter.as_ref().expect("a Karpenter plan states its baseline");
    assert_eq!(named, base.violations, "every broken policy is named");
    assert!((base.hourly.0 - p.hourly().0).abs() < 1e-9);
    (s, p)
}

fn karpenter(body: &str) -> (Scenario, Plan) {
    karpenter_with(&format!("name: t\n{TYPES}{body}"), default_options())
}

/// `type/purchase` per node, sorted.
fn types(p: &Plan) -> Vec<String> {
    let mut v: Vec<String> =
        p.nodes.iter().map(|n| format!("{}/{}", n.instance_type, n.purchase)).collect();
    v.sort();
    v
}

fn pods_per_node(p: &Plan) -> Vec<u64> {
    let mut v: Vec<u64> = p.nodes.iter().map(|n| n.n_pods()).collect();
    v.sort_unstable();
    v
}

#[test]
fn should_schedule_a_small_pod_on_the_smallest_instance() {
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 1, requests: {cpu: 500m, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["small/on-demand"]);
}

#[test]
fn should_schedule_multiple_small_pods_on_the_smallest_possible_instance_type() {
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 5, requests: {cpu: 100m, memory: 128Mi}}\n",
    );
    assert_eq!(types(&p), ["small/on-demand"]);
    assert_eq!(pods_per_node(&p), [5]);
}

#[test]
fn should_not_launch_a_second_node_if_there_is_an_in_flight_node_that_can_support_the_pod() {
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 2, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["small/on-demand"]);
}

#[test]
fn should_pack_small_and_large_pods_together() {
    // Two 7-CPU pods fill a large node to 14 of 16 CPUs: 40 of them open 20 NodeClaims. The 20
    // one-CPU pods then go one per NodeClaim (fewest pods first), so no 21st node.
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: big, replicas: 40, requests: {cpu: 7, memory: 1Gi}}\n  - {name: little, replicas: 20, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), vec!["large/on-demand"; 20]);
    assert_eq!(pods_per_node(&p), vec![3; 20]);
}

#[test]
fn should_pack_nodes_tightly() {
    // A 4.5-CPU pod only fits the 5-CPU type; the 1-CPU pod no longer fits beside it and gets
    // the smallest type of its own.
    let text = "name: t\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\ncatalog:\n  custom:\n    - {name: fake-1, cpu: 1, memory: 4Gi, price: {on_demand: 0.05}}\n    - {name: fake-2, cpu: 2, memory: 8Gi, price: {on_demand: 0.10}}\n    - {name: fake-3, cpu: 3, memory: 12Gi, price: {on_demand: 0.15}}\n    - {name: fake-4, cpu: 4, memory: 16Gi, price: {on_demand: 0.20}}\n    - {name: fake-5, cpu: 5, memory: 20Gi, price: {on_demand: 0.25}}\nworkloads:\n  - {name: a, replicas: 1, requests: {cpu: 4500m, memory: 1Gi}}\n  - {name: b, replicas: 1, requests: {cpu: 1, memory: 1Gi}}\n";
    let (_, p) = karpenter_with(text, default_options());
    assert_eq!(types(&p), ["fake-1/on-demand", "fake-5/on-demand"]);
}

#[test]
fn should_create_new_nodes_when_a_node_is_at_capacity_due_to_pod_limits_per_node() {
    // Every type holds 5 pods: 25 pods are five NodeClaims, each launched as the smallest type.
    let text = "name: t\nprovider: custom\nregion: dc\noverhead: none\npolicy: {headroom: none}\ncatalog:\n  custom:\n    - {name: small, cpu: 2, memory: 8Gi, max_pods: 5, price: {on_demand: 0.10}}\n    - {name: large, cpu: 16, memory: 64Gi, max_pods: 5, price: {on_demand: 0.72}}\nworkloads:\n  - {name: a, replicas: 25, requests: {cpu: 1m, memory: 1Mi}}\n";
    let (_, p) = karpenter_with(text, default_options());
    assert_eq!(types(&p), vec!["small/on-demand"; 5]);
    assert_eq!(pods_per_node(&p), vec![5; 5]);
}

#[test]
fn pods_pack_onto_one_nodeclaim_until_no_type_holds_them() {
    // 20 one-CPU pods: the first NodeClaim keeps every type that still holds its pods, so it
    // takes 16 (the large type's CPUs) before a second opens; the rest launch as a medium.
    // A whole batch collapses onto one large node.
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 20, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["large/on-demand", "medium/on-demand"]);
    assert_eq!(pods_per_node(&p), [4, 16]);
}

#[test]
fn inflight_nodeclaims_are_tried_fewest_pods_first() {
    // Two 10-CPU pods need a large NodeClaim each; the four 1-CPU pods that follow alternate
    // between them (the scheduler re-sorts its NodeClaims by pod count before every pod), where
    // first fit would stack all four on the first.
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: big, replicas: 2, requests: {cpu: 10, memory: 1Gi}}\n  - {name: little, replicas: 4, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["large/on-demand", "large/on-demand"]);
    assert_eq!(pods_per_node(&p), [3, 3]);
}

#[test]
fn should_separate_nodes_using_simple_pod_anti_affinity_on_hostname() {
    // Hostname anti-affinity: a NodeClaim per pod, each launched as the smallest type.
    let (_, p) = karpenter(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 3, max_per_node: 1, requests: {cpu: 100m, memory: 128Mi}}\n  - {name: b, replicas: 2, anti_affinity: web, requests: {cpu: 100m, memory: 128Mi}}\n  - {name: c, replicas: 1, anti_affinity: web, requests: {cpu: 100m, memory: 128Mi}}\n",
    );
    // b and c share the group `web`: three pods, never two on a node; a's three pods join them.
    assert_eq!(types(&p), vec!["small/on-demand"; 3]);
    assert_eq!(pods_per_node(&p), [2, 2, 2]);
}

#[test]
fn should_balance_pods_across_zones_with_max_skew_1_over_three_zones() {
    // Each pod takes the zone with the fewest (ties: the first); a NodeClaim pinned to a zone
    // takes another pod there only within the skew. Six pods: a small node per zone, two pods each.
    let (s, p) = karpenter(
        "zones: [a, b, c]\npolicy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 6, zone_spread: {max_skew: 1}, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), vec!["small/on-demand"; 3]);
    let per_zone: Vec<u64> = s
        .zones
        .iter()
        .map(|z| p.nodes.iter().filter(|n| &n.zone == z).map(|n| n.n_pods()).sum())
        .collect();
    assert_eq!(per_zone, [2, 2, 2]);
}

#[test]
fn should_schedule_on_one_of_the_cheapest_instances_pod_ct_spot() {
    // A spot-tolerant pod with spot allowed without limit launches spot (reserved, spot,
    // on-demand), on the cheapest spot offering.
    let (_, p) = karpenter(
        "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 1.0}}\nworkloads:\n  - {name: a, replicas: 1, spot: true, requests: {cpu: 1, memory: 1Gi}}\n  - {name: b, replicas: 1, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    // b may not run on spot: it joins a's NodeClaim (still open to both capacity types) and
    // narrows it to on-demand.
    assert_eq!(types(&p), ["small/on-demand"]);
    let (_, p) = karpenter(
        "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 1.0}}\nworkloads:\n  - {name: a, replicas: 1, spot: true, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["small/spot"]);
}

#[test]
fn reserved_offerings_launch_before_spot_and_on_demand() {
    let (_, p) = karpenter(
        "purchase: [on-demand, reserved-1y, spot]\npricing:\n  discounts:\n    - {family: small, option: reserved-1y, discount: 0.3}\n    - {family: medium, option: reserved-1y, discount: 0.3}\n    - {family: xlarge, option: reserved-1y, discount: 0.3}\n    - {family: large, option: reserved-1y, discount: 0.3}\npolicy: {headroom: none, spot: {max_share: 1.0}}\nworkloads:\n  - {name: a, replicas: 1, spot: true, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["small/reserved-1y"]);
}

#[test]
fn spot_share_split_misses_the_floor_and_the_share() {
    // Spot share 50%: capacity-spread over two values, one spot. Ten one-CPU pods alternate
    // between an on-demand and a spot NodeClaim (5 each, large enough for 5 CPUs: xlarge). The
    // PodDisruptionBudget wants 8 replicas off spot: Karpenter has no such rule, and the
    // verifier names it.
    let (_, p) = karpenter(
        "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 0.5}}\nworkloads:\n  - {name: web, replicas: 10, spot: true, min_available: 8, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["xlarge/on-demand", "xlarge/spot"]);
    let base = p.solver.karpenter.as_ref().unwrap();
    assert_eq!(base.violations.len(), 1, "{:?}", base.violations);
    assert!(base.violations[0].contains("5 replicas on non-spot nodes, min_available needs 8"));
    assert!(base.notes.iter().any(|n| n.contains("2 capacity-spread values, 1 of them spot")));
    assert!(p.warnings.iter().any(|w| w.message.contains("breaks a kplan policy")));

    // Spot share 30%: ten values, three spot. Four 6-CPU pods take four on-demand values first
    // (fewest pods, ties to the first value), so no spot at all: the split misses the share
    // from below and the saving spot would give.
    let (_, p) = karpenter(
        "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 0.3}}\nworkloads:\n  - {name: api, replicas: 4, spot: true, requests: {cpu: 6, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), vec!["xlarge/on-demand"; 4]);
    let base = p.solver.karpenter.as_ref().unwrap();
    assert!(base.violations.is_empty());
    assert!(base.notes.iter().any(|n| n.contains("spot holds 0% of vCPU")), "{:?}", base.notes);
}

#[test]
fn capacity_split_is_the_closest_ratio_from_below() {
    let split = |share: f64| {
        CapacitySplit::for_share(crate::policy::ratio_to_ppm(share))
            .map(|s| (s.spot_domains, s.domains))
    };
    assert_eq!(split(1.0), None);
    assert_eq!(split(0.8), Some((4, 5))); // the documented 4:1 example
    assert_eq!(split(0.5), Some((1, 2)));
    assert_eq!(split(0.3), Some((3, 10)));
    assert_eq!(split(0.05), Some((0, 1)));
}

#[test]
fn the_highest_weight_nodepool_is_used_first_within_its_node_limit() {
    // Node pools in file order are NodePools by weight. `big` (large only, one node) takes the
    // first pod although a small node would be cheaper; its limit reached, the second pod (one
    // per node) goes to `rest`.
    let (_, p) = karpenter(
        "node_pools:\n  - {name: big, instance_types: [large], max_nodes: 1}\n  - {name: rest}\npolicy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 2, max_per_node: 1, requests: {cpu: 1, memory: 1Gi}}\n",
    );
    assert_eq!(types(&p), ["large/on-demand", "small/on-demand"]);
}

#[test]
fn headroom_spares_are_added_and_stated() {
    let (_, p) =
        karpenter("workloads:\n  - {name: a, replicas: 2, requests: {cpu: 1500m, memory: 1Gi}}\n");
    // 3 CPUs on one medium; losing it needs an empty second medium.
    assert_eq!(types(&p), ["medium/on-demand", "medium/on-demand"]);
    let base = p.solver.karpenter.as_ref().unwrap();
    assert!(base.notes.iter().any(|n| n.starts_with("1 spare nodes added for headroom node")));
    assert!(base.violations.is_empty());
}

#[test]
fn karpenter_aws_allocatable_needs_a_larger_node() {
    // A 7 GiB pod fits m5.large under the EKS profile (7518 MiB allocatable) but not under
    // Karpenter's estimate (6903 MiB after the 7.5% VM overhead): m5.xlarge.
    let text = "name: t\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m5]}\npolicy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 1, requests: {cpu: 1, memory: 7Gi}}\n";
    let (_, p) = karpenter_with(text, default_options());
    assert_eq!(types(&p), ["m5.large/on-demand"]);
    let opts = KarpenterOptions { allocatable: Allocatable::KarpenterAws, consolidate: false };
    let (_, p) = karpenter_with(text, opts);
    assert_eq!(types(&p), ["m5.xlarge/on-demand"]);
    assert_eq!(p.solver.karpenter.as_ref().unwrap().allocatable, Allocatable::KarpenterAws);
}

#[test]
fn every_exact_plan_states_the_karpenter_baseline() {
    let s = scenario(&format!(
        "name: t\n{TYPES}policy: {{headroom: none}}\nworkloads:\n  - {{name: a, replicas: 20, requests: {{cpu: 1, memory: 1Gi}}}}\n"
    ));
    let cfg = SolveConfig { method: Method::Exact, ..default_config() };
    let p = solve(&s, &cfg).unwrap();
    assert!(verify(&s, &p).is_empty());
    let base = p.solver.karpenter.as_ref().expect("baseline");
    // Karpenter: large (16 pods) + medium (4), $0.91/h, which is also the cheapest way to buy
    // 20 CPUs here (large + 2 small $0.92, 2 xlarge + medium $0.93).
    assert!((base.hourly.0 - 0.91).abs() < 1e-9, "{}", base.hourly.0);
    assert!(p.hourly().0 <= base.hourly.0 + 1e-9);
}

/// Consolidates hand-made nodes (type, purchase, pods of the one-CPU workload) to the fixed point.
fn consolidated(spot: bool, spec: &[(&str, PurchaseOption, u32)]) -> Vec<String> {
    let purchase = if spot {
        "purchase: [on-demand, spot]\npolicy: {headroom: none, spot: {max_share: 1.0}}\n"
    } else {
        "policy: {headroom: none}\n"
    };
    let s = scenario(&format!(
        "name: t\n{TYPES}{purchase}workloads:\n  - {{name: a, replicas: 1, spot: {spot}, requests: {{cpu: 1, memory: 1Gi}}}}\n"
    ));
    let options = s.node_options().output;
    let fleet = Fleet::new(&s, &options);
    let model = Model::new(&fleet, fleet.usable.clone(), fleet.lim_caps.clone(), None);
    let mut nodes: Vec<Node> = spec
        .iter()
        .map(|&(name, purchase, pods)| {
            let o = (0..options.len())
                .find(|&o| options[o].instance_type == name && options[o].purchase == purchase)
                .unwrap();
            let sched = Scheduler::new(&model, Vec::new(), Tally::of(&model, []));
            let mut claim = sched.fresh_claim(0);
            claim.candidates = vec![o];
            for _ in 0..pods {
                claim.content.add(&fleet, 0);
            }
            Node::launch(&model, &claim).unwrap()
        })
        .collect();
    consolidation::run(&model, &mut nodes);
    let mut v: Vec<String> = nodes
        .iter()
        .map(|n| {
            let o = &options[n.opt];
            format!("{}/{}:{}", o.instance_type, o.purchase, n.content.n_pods)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn consolidation_can_delete_nodes() {
    // The large node's pod fits beside the small node's: single-node consolidation deletes it.
    // (Multi-node would replace both by a small, the type it keeps: filterOutSameInstanceType.)
    let od = PurchaseOption::OnDemand;
    assert_eq!(consolidated(false, &[("large", od, 1), ("small", od, 1)]), ["small/on-demand:2"]);
}

#[test]
fn consolidation_can_merge_nodes_into_one_cheaper_node() {
    // Two mediums with one pod each: both go, replaced by one node cheaper than a medium (a
    // medium would be a type being removed: filterOutSameInstanceType).
    let od = PurchaseOption::OnDemand;
    assert_eq!(consolidated(false, &[("medium", od, 1), ("medium", od, 1)]), ["small/on-demand:2"]);
    // When the pods tolerate spot, the replacement of on-demand nodes is required to be spot,
    // and its price is compared at the spot price (WorstLaunchPrice).
    assert_eq!(consolidated(true, &[("medium", od, 1), ("medium", od, 1)]), ["small/spot:2"]);
}

#[test]
fn cannot_replace_spot_with_spot_if_the_spot_to_spot_consolidation_is_disabled() {
    assert_eq!(consolidated(true, &[("large", PurchaseOption::Spot, 1)]), ["large/spot:1"]);
}

#[test]
fn consolidate_option_never_raises_the_cost_and_verifies() {
    let text = format!(
        "name: t\n{TYPES}zones: [a, b]\npolicy: {{headroom: none}}\nworkloads:\n  - {{name: a, replicas: 3, zone_spread: {{max_skew: 1}}, requests: {{cpu: 3, memory: 1Gi}}}}\n  - {{name: b, replicas: 5, requests: {{cpu: 500m, memory: 1Gi}}}}\n"
    );
    let (_, plain) = karpenter_with(&text, default_options());
    let opts = KarpenterOptions { allocatable: Allocatable::Scenario, consolidate: true };
    let (_, cons) = karpenter_with(&text, opts);
    assert!(cons.hourly().0 <= plain.hourly().0 + 1e-9);
    assert!(cons.solver.karpenter.as_ref().unwrap().consolidated);
}
