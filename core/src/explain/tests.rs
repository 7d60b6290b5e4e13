//! Hand-computed explanations: a policy that binds and one that does not, a replica's LP price as a node fraction, the time limit.

use std::cell::Cell;

use super::*;
use crate::input::scenario::read_scenario;
use crate::solve::{Backend, Clock, Method, default_config};

/// One node type `n4`: 4 vCPU, 16 GiB, $0.20/h (spot $0.06/h), no overhead and no DaemonSets.
const N4: &str = "name: t
provider: custom
region: test
overhead: none
catalog:
  custom:
    - {name: n4, cpu: \"4\", memory: 16Gi, max_pods: 110, price: {on_demand: 0.20, spot: 0.06}}
";

fn scenario(rest: &str) -> Scenario {
    let text = format!("{N4}{rest}");
    let read = read_scenario(&text, "t.yaml");
    read.output.unwrap_or_else(|e| panic!("{e:?}"))
}

fn exact() -> SolveConfig<'static> {
    SolveConfig { method: Method::Exact, backend: Backend::Pure, ..default_config() }
}

fn explained(s: &Scenario, cfg: &SolveConfig<'_>) -> (Plan, Explanation) {
    let plan = solve(s, cfg).expect("solves");
    assert!(verify(s, &plan).is_empty());
    let e = explain(s, &plan, cfg);
    (plan, e)
}

fn price<'e>(e: &'e Explanation, policy: &str) -> &'e Relaxed {
    let p = e.policies.iter().find(|p| p.policy == policy).unwrap_or_else(|| panic!("{policy}"));
    p.result.as_ref().unwrap_or_else(|m| panic!("{policy}: {m}"))
}

/// Eight 1-vCPU pods on 4-vCPU nodes at $0.20/h: two nodes without headroom, three with node
/// headroom (losing one leaves 8 vCPUs). A cap of 20 pods per node never binds.
const EIGHT_PODS: &str = "policy: {headroom: node, max_pods_per_node: 20}
workloads:
  - {name: web, replicas: 8, requests: {cpu: \"1\", memory: 1Gi}}
";

#[test]
fn headroom_binds_at_one_node_and_the_pod_cap_is_free() {
    let s = scenario(EIGHT_PODS);
    let (plan, e) = explained(&s, &exact());
    assert_eq!(plan.nodes.len(), 3);
    assert!((e.plan_monthly - 0.60 * 730.0).abs() < 1e-6);
    let headroom = price(&e, "policy.headroom");
    assert_eq!(headroom.n_nodes, 2);
    assert!((headroom.price_monthly - 0.20 * 730.0).abs() < 0.005, "{headroom:?}");
    assert!(headroom.binds);
    let cap = price(&e, "policy.max_pods_per_node");
    assert_eq!(cap.price_monthly, 0.0);
    assert!(!cap.binds);
    // The dearest first; only the policies in force are listed.
    let names: Vec<&str> = e.policies.iter().map(|p| p.policy).collect();
    assert_eq!(names, ["policy.headroom", "policy.max_pods_per_node"]);
    assert_eq!(e.top_changes[0].kind, ChangeKind::Policy);
    assert!((e.top_changes[0].saving_monthly - 146.0).abs() < 0.005);
    assert_eq!(e.resolves, 2 + 1);
    assert!(!e.cut_short && e.skipped.is_empty());
}

#[test]
fn a_replica_costs_a_quarter_node_by_the_dual_and_a_whole_node_by_re_solving() {
    let s = scenario(EIGHT_PODS);
    let (_, e) = explained(&s, &exact());
    assert!(e.marginal.duals_valid);
    let web = &e.marginal.workloads[0];
    assert_eq!(web.workload.name, "web");
    // A node holds four pods: one more pod is a quarter of a $146/month node in the LP.
    let dual = web.dual_monthly.expect("dual");
    assert!((dual - 0.20 * 730.0 / 4.0).abs() < 0.01, "dual {dual}");
    // Nine pods under node headroom need four nodes: one more whole node.
    let resolved = web.resolved_monthly.clone().expect("checked").expect("re-solved");
    assert!((resolved - 146.0).abs() < 0.005, "re-solve {resolved}");
    // CPU binds: $438/month over 12 allocatable vCPUs; memory binds nowhere.
    assert!((e.marginal.vcpu_monthly - 36.5).abs() < 0.005);
    assert_eq!(e.marginal.gib_monthly, 0.0);
}

#[test]
fn the_pool_is_driven_by_cpu_and_strands_memory() {
    let s = scenario(EIGHT_PODS);
    let (plan, e) = explained(&s, &exact());
    assert_eq!(e.drivers.len(), 1);
    let d = &e.drivers[0];
    assert_eq!((d.instance_type.as_str(), d.n_nodes), ("n4", 3));
    assert_eq!(d.binding, Some(ResourceName::Cpu));
    let cpu = &d.resources[0];
    assert_eq!((cpu.allocatable, cpu.requested, cpu.stranded), (12_000, 8_000, 4_000));
    let mem = &d.resources[1];
    assert_eq!(mem.resource, ResourceName::Memory);
    assert_eq!(mem.stranded, 40 << 30);
    // The stranded money is the allocation's idle part, which with the requested part makes up
    // the plan's cost to the cent.
    let alloc = allocation::allocate(&s, &plan);
    let stranded: f64 = d.resources.iter().filter_map(|r| r.stranded_monthly).sum();
    assert!((stranded - alloc.idle.total() as f64 / 100.0).abs() < 1e-9);
    let web = e.marginal.workloads[0].allocated_monthly;
    assert!((stranded + web - 438.0).abs() < 0.005, "{stranded} + {web}");
    // 40 of 48 GiB stranded: node-size guidance names memory with its money.
    let g = &e.guidance[0];
    assert_eq!((g.instance_type.as_str(), &g.resource), ("n4", &ResourceName::Memory));
    assert!((g.stranded_share - 40.0 / 48.0).abs() < 1e-9);
    assert!(g.sentence().starts_with("n4 nodes strand 83% of their memory (cpu binds): $"));
}

/// Spot at $0.06/h against $0.20/h on demand, capped at half the vCPUs; four spot-tolerant pods
/// of 4 vCPU each, no headroom: two nodes on demand and two on spot ($0.52/h), all four on
/// spot without the cap ($0.24/h). The floor keeps nothing off spot (no PodDisruptionBudget
/// and every workload tolerates spot), so it is free.
#[test]
fn the_spot_cap_binds_and_the_on_demand_floor_does_not() {
    let s = scenario(
        "purchase: [on-demand, spot]
policy: {headroom: none, spot: {max_share: 0.5}}
workloads:
  - {name: batch, replicas: 4, spot: true, requests: {cpu: \"4\", memory: 1Gi}}
",
    );
    let (plan, e) = explained(&s, &exact());
    assert!((plan.hourly().0 - 0.52).abs() < 1e-9);
    let cap = price(&e, "policy.spot.max_share");
    assert!((cap.monthly - 0.24 * 730.0).abs() < 0.005);
    assert!((cap.price_monthly - 0.28 * 730.0).abs() < 0.005);
    assert!(cap.binds);
    let floor = price(&e, "policy.on_demand_floor");
    assert_eq!((floor.price_monthly, floor.binds), (0.0, false));
}

/// A clock that moves one second every time it is read.
struct Ticking(Cell<f64>);

impl Clock for Ticking {
    fn now(&self) -> f64 {
        let t = self.0.get();
        self.0.set(t + 1.0);
        t
    }
}

#[test]
fn a_time_limit_cuts_the_explanation_short_and_says_what_it_skipped() {
    let s = scenario(EIGHT_PODS);
    let plan = solve(&s, &exact()).expect("solves");
    let clock = Ticking(Cell::new(0.0));
    let cfg = SolveConfig { time_limit: Some(0.5), clock: &clock, ..exact() };
    let e = explain(&s, &plan, &cfg);
    assert!(e.cut_short);
    assert_eq!(e.resolves, 0);
    assert_eq!(e.skipped.len(), 3, "{:?}", e.skipped);
    assert!(e.policies.iter().all(|p| p.result.is_err()));
    assert!(e.seconds > 0.0);
}
