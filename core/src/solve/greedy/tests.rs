//! The greedy packers on small scenarios: every plan verifies, and the balancing packer pairs
//! CPU-heavy with memory-heavy pods.

use super::{GreedyRun, Heuristic, pack};
use crate::fit::Fleet;
use crate::input::scenario::read_scenario;
use crate::plan::verify::verify;
use crate::solve::{Method, default_budgets, default_config, greedy_facts, to_plan};

fn scenario(body: &str) -> crate::scenario::Scenario {
    let text = format!(
        "name: t\nprovider: custom\nregion: dc\noverhead: none\ncatalog:\n  custom:\n    - {{name: s, cpu: 2, memory: 4Gi, price: {{on_demand: 0.10}}}}\n    - {{name: m, cpu: 4, memory: 8Gi, price: {{on_demand: 0.20}}}}\n    - {{name: l, cpu: 8, memory: 16Gi, price: {{on_demand: 0.40}}}}\n{body}"
    );
    read_scenario(&text, "t.yaml").output.unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn every_run_gives_a_plan_that_verifies() {
    let s = scenario(
        "zones: [a, b]\npolicy: {headroom: node}\nworkloads:\n  - {name: c, replicas: 6, zone_spread: {max_skew: 1}, requests: {cpu: 1500m, memory: 512Mi}}\n  - {name: m, replicas: 5, max_per_node: 2, requests: {cpu: 250m, memory: 3Gi}}\n",
    );
    let options = s.node_options().output;
    let fleet = Fleet::new(&s, &options);
    let budgets = default_budgets();
    let _ = default_config();
    for run in GreedyRun::all(&budgets) {
        let nodes = pack(&fleet, run, &budgets).unwrap_or_else(|| panic!("{}", run.label()));
        let facts = greedy_facts(Method::Ffd, 0.0, crate::money::Price::ZERO, None);
        let plan = to_plan(&fleet, &nodes, facts);
        let v = verify(&s, &plan);
        assert!(v.is_empty(), "{}: {v:?}", run.label());
    }
}

#[test]
fn vector_balance_pairs_cpu_heavy_with_memory_heavy_pods() {
    // Two CPU-heavy pods (1.5 CPU, 0.5 GiB) and two memory-heavy ones (0.25 CPU, 3 GiB): one
    // CPU-heavy and one memory-heavy pod fill an `s` node (1.75 CPU, 3.5 GiB) each.
    let s = scenario(
        "policy: {headroom: none}\nworkloads:\n  - {name: c, replicas: 2, requests: {cpu: 1500m, memory: 512Mi}}\n  - {name: m, replicas: 2, requests: {cpu: 250m, memory: 3Gi}}\n",
    );
    let options = s.node_options().output;
    let fleet = Fleet::new(&s, &options);
    let run = GreedyRun { heuristic: Heuristic::VectorBalance, max_node_cpu: 2000 };
    let nodes = pack(&fleet, run, &default_budgets()).expect("a plan");
    assert_eq!(nodes.len(), 2);
    for n in &nodes {
        assert_eq!(options[n.opt].instance_type, "s");
        assert_eq!(n.counts.values().copied().collect::<Vec<_>>(), [1, 1]);
    }
}

#[test]
fn compaction_moves_a_pod_so_that_a_node_shrinks() {
    // Node 0 (`m`, 4 CPU) holds 2.5 CPU: one 0.5-CPU pod more than an `s` node takes. Node 1
    // (`s`, 2 CPU) holds 1.5 CPU and has room for it. Moving it makes node 0 an `s`: $0.10 less.
    let s = scenario(
        "policy: {headroom: none}\nworkloads:\n  - {name: a, replicas: 1, requests: {cpu: 1500m, memory: 1Gi}}\n  - {name: b, replicas: 1, requests: {cpu: 2000m, memory: 1Gi}}\n  - {name: c, replicas: 1, requests: {cpu: 500m, memory: 512Mi}}\n",
    );
    let options = s.node_options().output;
    let fleet = Fleet::new(&s, &options);
    let opt = |name: &str| options.iter().position(|o| o.instance_type == name).expect(name);
    let w = |name: &str| s.workloads.iter().position(|x| x.name == name).expect(name);
    let mut small = fleet.empty_node(opt("s"));
    fleet.place(&mut small, w("a"), 1);
    let mut medium = fleet.empty_node(opt("m"));
    fleet.place(&mut medium, w("b"), 1);
    fleet.place(&mut medium, w("c"), 1);
    let mut nodes = vec![medium, small];
    assert!(super::compact::compact(&fleet, &mut nodes, 1_000));
    let types: Vec<&str> = nodes.iter().map(|n| options[n.opt].instance_type.as_str()).collect();
    assert_eq!(types, ["s", "s"]);
    assert_eq!(nodes[1].count(w("c")), 1);
    let facts = greedy_facts(Method::Ffd, 0.0, crate::money::Price::ZERO, None);
    let v = verify(&s, &to_plan(&fleet, &nodes, facts));
    assert!(v.is_empty(), "{v:?}");
    // With no visits to spend it changes nothing.
    let mut again = vec![fleet.empty_node(opt("m"))];
    fleet.place(&mut again[0], w("b"), 1);
    assert!(!super::compact::compact(&fleet, &mut again, 0));
}
