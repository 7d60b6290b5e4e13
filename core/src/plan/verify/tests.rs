//! The verifier's tests: every rule names its violation, on plans from the packers made wrong and on plans built by hand.

use super::*;
use crate::catalog::PurchaseOption;
use crate::input::scenario::read_scenario;
use crate::money::Price;
use crate::plan::PodCount;
use crate::solve::{default_config, solve};

const BASE: &str = "name: t\nprovider: custom\nregion: dc\noverhead: none\ncatalog:\n  custom:\n    - {name: small, cpu: 2, memory: 8Gi, max_pods: 4, price: {on_demand: 0.10, spot: 0.03}}\n    - {name: gpu, cpu: 8, memory: 32Gi, gpus: 1, price: {on_demand: 1.0}}\n";

fn setup(body: &str) -> (Scenario, Plan) {
    let s = read_scenario(&format!("{BASE}{body}"), "t.yaml")
        .output
        .unwrap_or_else(|e| panic!("{e:?}"));
    let p = solve(&s, &default_config()).unwrap();
    assert_eq!(verify(&s, &p), vec![], "the unmodified plan must verify");
    (s, p)
}

fn rules(s: &Scenario, p: &Plan) -> Vec<Rule> {
    let mut r: Vec<Rule> = verify(s, p).into_iter().map(|v| v.rule).collect();
    r.sort();
    r.dedup();
    r
}

fn key(name: &str) -> crate::workload::WorkloadKey {
    crate::workload::WorkloadKey { namespace: "default".into(), name: name.into() }
}

#[test]
fn every_rule_names_its_violation() {
    let (s, p) = setup(
        "zones: [a, b]\npurchase: [on-demand, spot]\npolicy: {headroom: node, spot: {max_share: 0.5}, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 4, max_per_node: 2, zone_spread: {max_skew: 1}, requests: {cpu: 500m, memory: 1Gi}}\n  - {name: s, replicas: 2, spot: true, min_available: 1, requests: {cpu: 100m, memory: 128Mi}}\n",
    );

    // Unknown option, price and allocatable mismatches.
    let mut q = p.clone();
    q.nodes[0].instance_type = "huge".into();
    assert!(rules(&s, &q).contains(&Rule::UnknownOption));
    let mut q = p.clone();
    q.nodes[0].hourly = Price(9.0);
    assert_eq!(rules(&s, &q), [Rule::Price]);
    let mut q = p.clone();
    q.nodes[0].allocatable.cpu.0 += 1;
    assert_eq!(rules(&s, &q), [Rule::Allocatable]);

    // A replica dropped, and an unknown workload.
    let mut q = p.clone();
    let i = q.nodes.iter().position(|n| n.pods.iter().any(|pc| pc.workload.name == "w")).unwrap();
    let j = q.nodes[i].pods.iter().position(|pc| pc.workload.name == "w").unwrap();
    q.nodes[i].pods[j].count -= 1;
    assert!(rules(&s, &q).contains(&Rule::Replicas));
    let mut q = p.clone();
    q.nodes[0].pods.push(PodCount { workload: key("ghost"), count: 1 });
    assert!(rules(&s, &q).contains(&Rule::UnknownWorkload));

    // Everything of w on one node: max_per_node, requests, limits (overcommit 1.0), zone spread, headroom.
    let mut q = p.clone();
    for n in &mut q.nodes {
        n.pods.retain(|pc| pc.workload.name != "w");
    }
    q.nodes[0].pods.push(PodCount { workload: key("w"), count: 4 });
    let r = rules(&s, &q);
    for rule in [Rule::MaxPerNode, Rule::ZoneSpread] {
        assert!(r.contains(&rule), "{rule:?} missing from {r:?}");
    }

    // A non-spot workload on a spot node.
    let mut q = p.clone();
    q.nodes[0].purchase = PurchaseOption::Spot;
    q.nodes[0].hourly = Price(0.03);
    assert!(rules(&s, &q).contains(&Rule::Placement));

    // All of the spot workload on spot: the floor breaks; all nodes spot: the share breaks.
    let mut q = p.clone();
    for n in &mut q.nodes {
        n.purchase = PurchaseOption::Spot;
        n.hourly = Price(0.03);
    }
    let r = rules(&s, &q);
    assert!(r.contains(&Rule::SpotShare) && r.contains(&Rule::OnDemandFloor), "{r:?}");

    // Dropping the spare breaks headroom.
    let mut q = p.clone();
    let empty = q.nodes.iter().position(|n| n.pods.is_empty()).expect("a spare node");
    q.nodes.remove(empty);
    assert!(rules(&s, &q).contains(&Rule::Headroom), "{:?}", verify(&s, &q));
}

#[test]
fn requests_limits_and_pod_caps_are_checked_per_node() {
    let (s, p) = setup(
        "policy: {headroom: none, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 6, requests: {cpu: 300m, memory: 100Mi}, limits: {cpu: 600m}}\n",
    );
    let mut q = p.clone();
    let all: u32 = q.nodes.iter().flat_map(|n| n.pods.iter().map(|pc| pc.count)).sum();
    for n in &mut q.nodes {
        n.pods.clear();
    }
    q.nodes[0].pods.push(PodCount { workload: key("w"), count: all });
    let r = rules(&s, &q);
    // 6 pods on a 4-pod node, 3.6 cores of limits on 2 cores.
    assert!(r.contains(&Rule::Requests) && r.contains(&Rule::Limits), "{r:?}");
    let msgs: Vec<String> = verify(&s, &q).into_iter().map(|v| v.message).collect();
    assert!(msgs.iter().any(|m| m.contains("pods requests 6 exceed the usable 4")), "{msgs:?}");
}

#[test]
fn gpu_nodes_are_kept_for_gpu_pods() {
    let (s, p) = setup(
        "policy: {headroom: none}\nworkloads:\n  - {name: w, replicas: 1, requests: {cpu: 100m, memory: 100Mi}}\n",
    );
    let mut q = p.clone();
    q.nodes[0].instance_type = "gpu".into();
    q.nodes[0].hourly = Price(1.0);
    q.nodes[0].allocatable = s
        .node_options()
        .output
        .iter()
        .find(|o| o.instance_type == "gpu")
        .unwrap()
        .allocatable
        .clone();
    let v = verify(&s, &q);
    assert!(
        v.iter().any(|v| v.rule == Rule::Placement && v.message.contains("GPU nodes are kept")),
        "{v:?}"
    );
}

/// Three node types in two zones: `x86.small` and `arm.small` (2 vCPU, 8 GiB, 4 pods; spot
/// too) and `gpu.big` (8 vCPU, 32 GiB, one GPU).
const HAND: &str = "name: hand\nprovider: custom\nregion: dc\noverhead: none\nzones: [a, b]\npurchase: [on-demand, spot]\ncatalog:\n  custom:\n    - {name: x86.small, family: x86, arch: amd64, cpu: 2, memory: 8Gi, max_pods: 4, price: {on_demand: 0.10, spot: 0.03}}\n    - {name: arm.small, family: arm, arch: arm64, cpu: 2, memory: 8Gi, max_pods: 4, price: {on_demand: 0.08, spot: 0.02}}\n    - {name: gpu.big, family: gpu, arch: amd64, cpu: 8, memory: 32Gi, gpus: 1, price: {on_demand: 1.0}}\n";

/// A scenario from the three hand types plus `body` (policy, node pools, workloads).
fn hand_scenario(body: &str) -> Scenario {
    read_scenario(&format!("{HAND}{body}"), "hand.yaml").output.unwrap_or_else(|e| panic!("{e:?}"))
}

/// One node of a plan written by hand: `type/purchase/zone` and its pods as (workload, count).
type HandNode<'a> = (&'a str, &'a [(&'a str, u32)]);

/// A plan built by hand, each node priced and sized from the scenario's own options (a node
/// whose option the scenario lacks gets a price of 0 and no allocatable).
fn hand_plan(s: &Scenario, nodes: &[HandNode<'_>]) -> Plan {
    let options = s.node_options().output;
    let nodes = nodes
        .iter()
        .map(|(key, pods)| {
            let parts: Vec<&str> = key.split('/').collect();
            let option = options.iter().find(|o| o.key().to_string() == *key);
            PlanNode {
                name: String::new(),
                instance_type: parts[0].to_string(),
                purchase: parts[1].parse().unwrap(),
                zone: parts[2].to_string(),
                hourly: option.map_or(Price(0.0), |o| o.price),
                allocatable: option.map(|o| o.allocatable.clone()).unwrap_or_default(),
                pods: pods
                    .iter()
                    .map(|(w, c)| PodCount { workload: key_of(w), count: *c })
                    .collect(),
            }
        })
        .collect();
    Plan {
        scenario: s.name.clone(),
        provider: s.provider,
        region: s.region.clone(),
        nodes: crate::plan::finish_nodes(nodes),
        warnings: Vec::new(),
        solver: crate::plan::SolverFacts {
            method: "hand".into(),
            backend: None,
            status: crate::plan::SolveStatus::Feasible,
            seconds: 0.0,
            bound: None,
            ffd_hourly: None,
            karpenter: None,
            stats: None,
        },
    }
}

fn key_of(name: &str) -> WorkloadKey {
    WorkloadKey { namespace: "default".into(), name: name.into() }
}

/// The plan breaks exactly `rule`, and its message says `says`.
fn breaks(s: &Scenario, nodes: &[HandNode<'_>], rule: Rule, says: &str) {
    let p = hand_plan(s, nodes);
    let found = verify(s, &p);
    assert_eq!(rules(s, &p), [rule], "{found:?}");
    assert!(found.iter().any(|v| v.message.contains(says)), "no message says {says:?}: {found:?}");
}

/// The plan breaks no rule.
fn holds(s: &Scenario, nodes: &[HandNode<'_>]) {
    let p = hand_plan(s, nodes);
    assert_eq!(verify(s, &p), vec![]);
}

const NONE: &str = "policy: {headroom: none}\n";

#[test]
fn hand_made_plans_break_capacity_limits_and_per_node_rules() {
    let s = hand_scenario(&format!(
        "{NONE}workloads:\n  - {{name: w, replicas: 3, requests: {{cpu: 1, memory: 1Gi}}}}\n"
    ));
    holds(&s, &[("x86.small/on-demand/a", &[("w", 2)]), ("x86.small/on-demand/b", &[("w", 1)])]);
    breaks(&s, &[("x86.small/on-demand/a", &[("w", 3)])], Rule::Requests, "cpu requests 3 exceed");
    let s = hand_scenario(&format!(
        "{NONE}workloads:\n  - {{name: w, replicas: 5, requests: {{cpu: 100m, memory: 100Mi}}}}\n"
    ));
    breaks(&s, &[("x86.small/on-demand/a", &[("w", 5)])], Rule::Requests, "pods requests 5");
    let s = hand_scenario(
        "policy: {headroom: none, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 2, requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 1500m}}\n",
    );
    breaks(&s, &[("x86.small/on-demand/a", &[("w", 2)])], Rule::Limits, "cpu limits 3 exceed");
    let s = hand_scenario(&format!(
        "{NONE}workloads:\n  - {{name: w, replicas: 2, max_per_node: 1, requests: {{cpu: 100m, memory: 100Mi}}}}\n"
    ));
    breaks(&s, &[("x86.small/on-demand/a", &[("w", 2)])], Rule::MaxPerNode, "max_per_node 1");
    let s = hand_scenario(&format!(
        "{NONE}workloads:\n  - {{name: u, anti_affinity: g, requests: {{cpu: 100m, memory: 100Mi}}}}\n  - {{name: v, anti_affinity: g, requests: {{cpu: 100m, memory: 100Mi}}}}\n"
    ));
    holds(&s, &[("x86.small/on-demand/a", &[("u", 1)]), ("x86.small/on-demand/a", &[("v", 1)])]);
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("u", 1), ("v", 1)])],
        Rule::MaxPerNode,
        "anti-affinity group g",
    );
}

/// Where each workload of the admission scenario may run.
fn home(workload: &str) -> &'static str {
    match workload {
        "s" => "arm.small/spot/b",
        "arm" | "fam" | "typed" => "arm.small/on-demand/b",
        _ => "x86.small/on-demand/a",
    }
}

/// One pod of each workload at home, but `moved` (workload, node) elsewhere.
fn placed(
    moved: Option<(&'static str, &'static str)>,
) -> Vec<(&'static str, Vec<(&'static str, u32)>)> {
    let mut nodes: Vec<(&'static str, Vec<(&'static str, u32)>)> = vec![
        ("x86.small/on-demand/a", Vec::new()),
        ("arm.small/spot/b", Vec::new()),
        ("arm.small/on-demand/b", Vec::new()),
    ];
    for w in ["w", "s", "arm", "zoned", "fam", "typed"] {
        let node = match moved {
            Some((m, node)) if m == w => node,
            _ => home(w),
        };
        match nodes.iter_mut().find(|(k, _)| *k == node) {
            Some((_, pods)) => pods.push((w, 1)),
            None => nodes.push((node, vec![(w, 1)])),
        }
    }
    nodes
}

#[test]
fn hand_made_plans_break_each_admission_rule() {
    let s = hand_scenario(
        "policy: {headroom: none, spot: {max_share: 1.0}}\nworkloads:\n  - {name: w, requests: {cpu: 100m, memory: 100Mi}}\n  - {name: s, spot: true, requests: {cpu: 100m, memory: 100Mi}}\n  - {name: arm, arch: [arm64], requests: {cpu: 100m, memory: 100Mi}}\n  - {name: zoned, zones: [a], requests: {cpu: 100m, memory: 100Mi}}\n  - {name: fam, families: [arm], requests: {cpu: 100m, memory: 100Mi}}\n  - {name: typed, instance_types: [\"arm.*\"], requests: {cpu: 100m, memory: 100Mi}}\n",
    );
    let as_hand = |nodes: &[(&'static str, Vec<(&'static str, u32)>)]| -> Plan {
        let hand: Vec<HandNode<'_>> = nodes.iter().map(|(k, p)| (*k, p.as_slice())).collect();
        hand_plan(&s, &hand)
    };
    assert_eq!(verify(&s, &as_hand(&placed(None))), vec![]);
    for (moved, says) in [
        (("w", "x86.small/spot/a"), "does not tolerate spot"),
        (("w", "gpu.big/on-demand/a"), "GPU nodes are kept for pods that request GPUs"),
        (("arm", "x86.small/on-demand/a"), "architecture selector (arm64) excludes amd64"),
        (("zoned", "x86.small/on-demand/b"), "zone selector (a) excludes zone b"),
        (("fam", "x86.small/on-demand/a"), "family selector (arm) excludes family x86"),
        (("typed", "x86.small/on-demand/a"), "instance-type selector (arm.*) excludes x86.small"),
    ] {
        let p = as_hand(&placed(Some(moved)));
        let found = verify(&s, &p);
        assert_eq!(rules(&s, &p), [Rule::Placement], "{moved:?}: {found:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains(says), "{moved:?}: {found:?}");
        assert_eq!(found[0].workload, Some(key_of(moved.0)));
    }
    // One pod larger than the node: not admitted, and over its capacity.
    let s = hand_scenario(&format!(
        "{NONE}workloads:\n  - {{name: big, requests: {{cpu: 3, memory: 1Gi}}}}\n"
    ));
    let p = hand_plan(&s, &[("x86.small/on-demand/a", &[("big", 1)])]);
    assert_eq!(rules(&s, &p), [Rule::Requests, Rule::Placement]);
    assert!(verify(&s, &p).iter().any(|v| v.message.contains("one pod does not fit")));
}

#[test]
fn hand_made_plans_break_node_pools_and_cluster_rules() {
    let pods = "workloads:\n  - {name: w, replicas: 2, requests: {cpu: 100m, memory: 100Mi}}\n";
    let s = hand_scenario(&format!(
        "{NONE}node_pools:\n  - {{name: arm, families: [arm], min_nodes: 2, max_nodes: 3}}\n{pods}"
    ));
    holds(&s, &[("arm.small/on-demand/a", &[("w", 1)]), ("arm.small/on-demand/b", &[("w", 1)])]);
    breaks(
        &s,
        &[("arm.small/on-demand/a", &[("w", 1)]), ("x86.small/on-demand/b", &[("w", 1)])],
        Rule::NodePool,
        "belongs to no node pool",
    );
    breaks(&s, &[("arm.small/on-demand/a", &[("w", 2)])], Rule::NodePool, "min_nodes is 2");
    let four: [HandNode<'_>; 4] = [
        ("arm.small/on-demand/a", &[("w", 1)]),
        ("arm.small/on-demand/b", &[("w", 1)]),
        ("arm.small/on-demand/a", &[]),
        ("arm.small/on-demand/b", &[]),
    ];
    breaks(&s, &four, Rule::NodePool, "max_nodes is 3");

    let s = hand_scenario(&format!("{NONE}{pods}"));
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 1)])],
        Rule::Replicas,
        "1 replicas placed, 2 wanted",
    );
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 2), ("ghost", 1)])],
        Rule::UnknownWorkload,
        "workload default/ghost is not in the scenario",
    );
    breaks(&s, &[("huge/on-demand/a", &[("w", 2)])], Rule::UnknownOption, "is not a node option");
    let mut p = hand_plan(&s, &[("x86.small/on-demand/a", &[("w", 2)])]);
    p.nodes[0].hourly = Price(0.01);
    assert_eq!(rules(&s, &p), [Rule::Price]);
    p.nodes[0].hourly = Price(0.10);
    p.nodes[0].allocatable.memory.0 += 1;
    assert_eq!(rules(&s, &p), [Rule::Allocatable]);

    let s = hand_scenario(
        "policy: {headroom: none}\nworkloads:\n  - {name: w, replicas: 3, zone_spread: {max_skew: 1}, requests: {cpu: 100m, memory: 100Mi}}\n",
    );
    holds(&s, &[("x86.small/on-demand/a", &[("w", 2)]), ("x86.small/on-demand/b", &[("w", 1)])]);
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 3)])],
        Rule::ZoneSpread,
        "zone skew 3 exceeds max_skew 1",
    );

    let spot = "workloads:\n  - {name: s, replicas: 2, spot: true, min_available: 1, requests: {cpu: 100m, memory: 100Mi}}\n";
    let s = hand_scenario(&format!("policy: {{headroom: none, spot: {{max_share: 0.5}}}}\n{spot}"));
    holds(&s, &[("x86.small/spot/a", &[("s", 1)]), ("x86.small/on-demand/b", &[("s", 1)])]);
    breaks(
        &s,
        &[
            ("x86.small/spot/a", &[("s", 1)]),
            ("x86.small/spot/b", &[]),
            ("x86.small/on-demand/b", &[("s", 1)]),
        ],
        Rule::SpotShare,
        "spot nodes hold 66.7% of the cluster's vCPU; the policy allows 50.0%",
    );
    let s = hand_scenario(&format!("policy: {{headroom: none, spot: {{max_share: 1.0}}}}\n{spot}"));
    breaks(&s, &[("x86.small/spot/a", &[("s", 2)])], Rule::OnDemandFloor, "min_available needs 1");

    let s = hand_scenario(
        "policy: {headroom: none, cluster_limits: fail}\nworkloads:\n  - {name: w, replicas: 5001, max_per_node: 1, requests: {cpu: 100m, memory: 100Mi}}\n",
    );
    let nodes: Vec<HandNode<'_>> = vec![("x86.small/on-demand/a", &[("w", 1)]); 5001];
    breaks(&s, &nodes, Rule::ClusterLimit, "5001 nodes exceed the limit of 5000");
}

#[test]
fn hand_made_plans_break_node_and_zone_headroom() {
    let pods = "workloads:\n  - {name: w, replicas: 2, requests: {cpu: 1, memory: 1Gi}}\n";
    let s = hand_scenario(&format!("policy: {{headroom: node}}\n{pods}"));
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 2)])],
        Rule::Headroom,
        "headroom node: after losing node x86.small-on-demand-a-1, no room is left for 2 × default/w",
    );
    // A spare the lost pods may not use (GPU nodes are kept for GPU pods) does not help; one
    // that admits them does.
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 2)]), ("gpu.big/on-demand/b", &[])],
        Rule::Headroom,
        "no room is left for 2 × default/w",
    );
    holds(&s, &[("x86.small/on-demand/a", &[("w", 2)]), ("x86.small/on-demand/b", &[])]);
    holds(&s, &[("x86.small/on-demand/a", &[("w", 1)]), ("x86.small/on-demand/b", &[("w", 1)])]);
    // The re-pack keeps the placement rules: a spare on spot does not take a pod that does not tolerate spot.
    let s = hand_scenario(&format!(
        "policy: {{headroom: node, spot: {{max_share: 1.0}}}}\n{pods}  - {{name: s, spot: true, requests: {{cpu: 100m, memory: 100Mi}}}}\n"
    ));
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 2)]), ("x86.small/spot/b", &[("s", 1)])],
        Rule::Headroom,
        "no room is left for 2 × default/w",
    );

    let s = hand_scenario(&format!("policy: {{headroom: zone}}\n{pods}"));
    breaks(
        &s,
        &[("x86.small/on-demand/a", &[("w", 1)]), ("x86.small/on-demand/a", &[("w", 1)])],
        Rule::Headroom,
        "headroom zone: after losing zone a, no room is left for 2 × default/w",
    );
    holds(&s, &[("x86.small/on-demand/a", &[("w", 1)]), ("x86.small/on-demand/b", &[("w", 1)])]);
}

/// The verifier's headroom re-pack and the packers' (`crate::fit`) are two statements of one
/// rule: on plans from the packers, and on those plans with nodes taken away, they agree.
#[test]
fn the_verifiers_headroom_rule_agrees_with_the_packers() {
    use crate::fit::{Fleet, headroom};
    let (mut passed, mut failed) = (0, 0);
    for body in [
        "zones: [a, b, c]\npolicy: {headroom: node}\nworkloads:\n  - {name: w, replicas: 7, requests: {cpu: 700m, memory: 3Gi}}\n  - {name: v, replicas: 5, max_per_node: 2, requests: {cpu: 300m, memory: 1Gi}}\n",
        "zones: [a, b, c]\npolicy: {headroom: zone}\nworkloads:\n  - {name: w, replicas: 6, zone_spread: {max_skew: 1}, requests: {cpu: 1, memory: 1Gi}}\n  - {name: v, replicas: 3, anti_affinity: g, requests: {cpu: 200m, memory: 2Gi}}\n",
        "zones: [a, b]\npurchase: [on-demand, spot]\npolicy: {headroom: node, spot: {max_share: 0.6}, overcommit: {cpu: 1.0}}\nworkloads:\n  - {name: w, replicas: 5, spot: true, requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 1}}\n  - {name: v, replicas: 4, requests: {cpu: 250m, memory: 2Gi}, limits: {cpu: 900m}}\n",
    ] {
        let s = read_scenario(&format!("{BASE}{body}"), "t.yaml")
            .output
            .unwrap_or_else(|e| panic!("{e:?}"));
        let options = s.node_options().output;
        let fleet = Fleet::new(&s, &options);
        let p = solve(&s, &default_config()).unwrap();
        for drop in 0..=p.nodes.len() {
            let mut q = p.clone();
            if drop < q.nodes.len() {
                let gone = q.nodes.remove(drop);
                // Keep every replica: the dropped node's pods go to the first node.
                if let Some(first) = q.nodes.first_mut() {
                    first.pods.extend(gone.pods);
                }
            }
            let states: Vec<_> = q
                .nodes
                .iter()
                .map(|n| {
                    let o = options.iter().position(|o| o.key() == n.option_key()).unwrap();
                    let mut state = fleet.empty_node(o);
                    for pc in &n.pods {
                        let (w, _) = s.workload(&pc.workload.namespace, &pc.workload.name).unwrap();
                        fleet.place(&mut state, w, pc.count);
                    }
                    state
                })
                .collect();
            let packers = headroom::check(&fleet, &states, s.policy.headroom).is_empty();
            let verifier = !rules(&s, &q).contains(&Rule::Headroom);
            assert_eq!(packers, verifier, "{body} without node {drop}: {:?}", verify(&s, &q));
            if verifier {
                passed += 1;
            } else {
                failed += 1;
            }
        }
    }
    // Both verdicts occur, so the agreement is not trivial.
    assert!(passed > 0 && failed > 0, "{passed} passed, {failed} failed");
}
