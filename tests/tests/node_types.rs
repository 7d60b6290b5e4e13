//! Node types as users have them: every resource a node offers, limited inventory, reservations.
//!
//! Each scenario is planned by the exact engine (on every backend built in), first-fit decreasing
//! and the Karpenter model, and every plan is checked by the verifier.
#![forbid(unsafe_code)]

use kplan_core::plan::Plan;
use kplan_core::plan::verify::verify;
use kplan_core::quantity::Bytes;
use kplan_core::resources::ResourceName;
use kplan_core::scenario::Scenario;
use kplan_core::solve::{Backend, Method, SolveConfig, SolveError, default_config, solve};
use kplan_tests::{backends, scenario};

/// Plans with the exact engine on every backend and with FFD; every plan verifies.
fn plans(s: &Scenario) -> Vec<(String, Plan)> {
    let mut res = Vec::new();
    let mut run = |label: String, method: Method, backend: Backend| {
        let cfg = SolveConfig { method, backend, ..default_config() };
        let p = solve(s, &cfg).unwrap_or_else(|e| panic!("{label}: solve failed: {e}"));
        let v = verify(s, &p);
        assert!(v.is_empty(), "{label} plan fails its verifier: {v:?}");
        res.push((label, p));
    };
    for backend in backends() {
        run(format!("exact/{backend:?}"), Method::Exact, backend);
    }
    run("ffd".to_string(), Method::Ffd, Backend::Pure);
    res
}

fn infeasible(s: &Scenario, method: Method) -> String {
    let cfg = SolveConfig { method, ..default_config() };
    match solve(s, &cfg) {
        Err(SolveError::Infeasible(inf)) => inf.reason,
        Err(e) => panic!("expected infeasible, got {e}"),
        Ok(p) => panic!("expected infeasible, got a plan of {} nodes", p.nodes.len()),
    }
}

/// One custom node type with a 10Gi disk, and `replicas` pods requesting `disk` of ephemeral storage each.
fn disk_scenario(replicas: u32, disk: &str) -> Scenario {
    scenario(&format!(
        "name: disk
provider: custom
region: dc1
overhead: kubeadm
policy: {{headroom: none}}
catalog:
  custom:
    - name: box
      resources: {{cpu: \"16\", memory: 64Gi, pods: 110, ephemeral-storage: 10Gi}}
      price: {{on_demand: 0.50}}
workloads:
  - name: scratch
    replicas: {replicas}
    requests: {{cpu: 500m, memory: 1Gi, ephemeral-storage: {disk}}}
"
    ))
}

// See: issue 19
#[test]
fn a_declared_disk_is_the_nodes_disk() {
    let s = disk_scenario(3, "4Gi");
    let options = s.node_options().output;
    assert_eq!(options[0].capacity.ephemeral_storage, Bytes::gib(10));
    assert_eq!(options[0].allocatable.ephemeral_storage, Bytes::gib(10));
    for (label, p) in plans(&s) {
        assert_eq!(p.nodes.len(), 2, "{label}: three 4Gi pods on 10Gi nodes take two nodes");
    }
}

// See: issue 19
#[test]
fn no_10gi_node_holds_a_15gi_pod() {
    let s = disk_scenario(3, "15Gi");
    for method in [Method::Exact, Method::Ffd, Method::Karpenter] {
        let reason = infeasible(&s, method);
        assert!(
            reason.contains("ephemeral-storage 15Gi per pod")
                && reason.contains("the most any candidate offers is 10Gi (box"),
            "{method:?}: {reason}"
        );
    }
}

const FPGA: &str = "name: fpga
provider: custom
region: dc1
overhead: none
policy: {headroom: none}
catalog:
  custom:
    - name: cpu-box
      resources: {cpu: \"32\", memory: 128Gi}
      price: {on_demand: 0.80}
    - name: fpga-box
      capacity: {cpu: \"16\", memory: 64Gi, pods: 64, example.com/fpga: 2, hugepages-1Gi: 8Gi}
      price: {on_demand: 1.60}
workloads:
  - name: web
    replicas: 8
    requests: {cpu: \"2\", memory: 4Gi}
  - name: inference
    replicas: 5
    requests: {cpu: \"2\", memory: 4Gi, example.com/fpga: 1, hugepages-1Gi: 2Gi}
";

// See: issue 19
#[test]
fn an_fpga_on_nodes_and_pods_plans_and_verifies() {
    let s = scenario(FPGA);
    let fpga = ResourceName::Extended("example.com/fpga".into());
    let box_option =
        s.node_options().output.into_iter().find(|o| o.instance_type == "fpga-box").unwrap();
    assert_eq!(box_option.capacity.get(&fpga), 2);
    assert_eq!(box_option.capacity.pods, 64);
    // Huge pages are offered as declared and taken out of allocatable memory.
    assert_eq!(box_option.allocatable.memory, Bytes::gib(56));
    for (label, p) in plans(&s) {
        let fpga_nodes = p.nodes.iter().filter(|n| n.instance_type == "fpga-box").count();
        assert_eq!(fpga_nodes, 3, "{label}: five pods of one FPGA each need three 2-FPGA nodes");
        for node in &p.nodes {
            let on_fpga = node.pods.iter().any(|c| c.workload.name == "inference");
            assert!(!on_fpga || node.instance_type == "fpga-box", "{label}: {node:?}");
        }
    }
}

// See: issue 19
#[test]
fn a_resource_no_node_offers_is_infeasible_with_that_reason() {
    let s = scenario(&FPGA.replace("example.com/fpga: 1,", "example.com/tpu: 1,"));
    for method in [Method::Exact, Method::Ffd, Method::Karpenter] {
        let reason = infeasible(&s, method);
        assert!(
            reason.contains("inference")
                && reason.contains("example.com/tpu")
                && reason.contains("no node option offers"),
            "{method:?}: {reason}"
        );
    }
}

// See: issue 19
#[test]
fn a_catalog_type_gains_local_nvme_as_ephemeral_storage() {
    let base = "name: nvme
provider: aws
region: us-east-1
policy: {headroom: none}
catalog:
  include: [m6id.2xlarge, m7i.2xlarge]
";
    let workloads = "workloads:
  - name: cache
    replicas: 4
    requests: {cpu: 500m, memory: 2Gi, ephemeral-storage: 90Gi}
";
    let plain = scenario(&format!("{base}{workloads}"));
    let reason = infeasible(&plain, Method::Ffd);
    assert!(reason.contains("ephemeral-storage 90Gi per pod"), "{reason}");
    let s = scenario(&format!(
        "{base}  overrides:\n    - instance_type: m6id.2xlarge\n      resources: {{ephemeral-storage: 474G}}\n{workloads}"
    ));
    let m6id = s.node_options().output.into_iter().find(|o| o.instance_type == "m6id.2xlarge");
    assert_eq!(m6id.unwrap().capacity.ephemeral_storage, Bytes(474_000_000_000));
    for (label, p) in plans(&s) {
        assert!(p.nodes.iter().all(|n| n.instance_type == "m6id.2xlarge"), "{label}");
        assert_eq!(p.nodes.len(), 1, "{label}: four 90Gi pods fit one 474G disk");
    }
}

/// Racks of 64 cores ($1.20/h) limited to `max`, and dearer 32-core servers ($0.80/h); 100 pods of
/// 6 cores (ten per rack, five per server).
fn racks(limit: &str) -> Scenario {
    scenario(&format!(
        "name: racks
provider: custom
region: dc1
zones: [dc1-a, dc1-b]
overhead: none
policy: {{headroom: none}}
catalog:
  custom:
    - name: rack-64
      resources: {{cpu: \"64\", memory: 256Gi, pods: 110}}
      price: {{on_demand: 1.20}}
{limit}    - name: server-32
      resources: {{cpu: \"32\", memory: 128Gi, pods: 110}}
      price: {{on_demand: 0.80}}
workloads:
  - name: batch
    replicas: 100
    requests: {{cpu: \"6\", memory: 8Gi}}
"
    ))
}

fn count(p: &Plan, instance_type: &str) -> usize {
    p.nodes.iter().filter(|n| n.instance_type == instance_type).count()
}

// See: issue 19
#[test]
fn a_type_limited_to_9_nodes_forces_a_second_type() {
    let unlimited = racks("");
    for (label, p) in plans(&unlimited) {
        assert_eq!((count(&p, "rack-64"), count(&p, "server-32")), (10, 0), "{label}");
    }
    let s = racks("      max_count: 9\n");
    for (label, p) in plans(&s) {
        assert_eq!(count(&p, "rack-64"), 9, "{label}: the inventory has 9 racks");
        assert_eq!(count(&p, "server-32"), 2, "{label}: ten pods are left for the servers");
        assert!((p.hourly().0 - (9.0 * 1.20 + 2.0 * 0.80)).abs() < 1e-9, "{label}");
    }
    // The verifier refuses the unlimited plan against the limited scenario.
    let (_, free) = plans(&unlimited).remove(0);
    let violations = verify(&s, &free);
    assert!(
        violations.iter().any(|v| v.message
            == "10 nodes where the inventory allows at most 9 nodes of rack-64 (catalog.custom[0].max_count)"),
        "{violations:?}"
    );
}

// See: issue 19
#[test]
fn a_limit_per_zone_holds_in_each_zone() {
    let s = racks("      max_count_per_zone: {dc1-a: 3, dc1-b: 4}\n");
    for (label, p) in plans(&s) {
        let racks_in = |z: &str| {
            p.nodes.iter().filter(|n| n.instance_type == "rack-64" && n.zone == z).count()
        };
        assert!(racks_in("dc1-a") <= 3 && racks_in("dc1-b") <= 4, "{label}");
        assert_eq!(count(&p, "rack-64"), 7, "{label}");
        assert_eq!(count(&p, "server-32"), 6, "{label}");
    }
}

// See: issue 19
#[test]
fn an_inventory_too_small_for_the_workloads_is_infeasible_with_that_reason() {
    let s = scenario(
        "name: small
provider: custom
region: dc1
overhead: none
policy: {headroom: none}
catalog:
  custom:
    - name: rack-64
      resources: {cpu: \"64\", memory: 256Gi}
      max_count: 2
      price: {on_demand: 1.20}
workloads:
  - name: batch
    replicas: 30
    requests: {cpu: \"6\", memory: 8Gi}
",
    );
    for method in [Method::Exact, Method::Ffd] {
        let reason = infeasible(&s, method);
        assert!(
            reason.contains("inventory")
                && reason.contains("at most 2 nodes of rack-64 (catalog.custom[0].max_count)"),
            "{method:?}: {reason}"
        );
    }
}

/// m7i.2xlarge and m7i.4xlarge on demand, a reservation `reservation` (YAML), and `replicas` pods of 1 vCPU.
fn reserved(reservation: &str, replicas: u32) -> Scenario {
    scenario(&format!(
        "name: odcr
provider: aws
region: us-east-1
zones: [us-east-1a, us-east-1b]
policy: {{headroom: none}}
catalog:
  include: [m7i.2xlarge, m7i.4xlarge]
reservations:
{reservation}workloads:
  - name: api
    replicas: {replicas}
    requests: {{cpu: \"1\", memory: 2Gi}}
"
    ))
}

const ODCR: &str = "  - {name: odcr-1, instance_type: m7i.2xlarge, zone: us-east-1a, count: 20}\n";

fn on_reservation(p: &Plan) -> usize {
    p.nodes
        .iter()
        .filter(|n| n.purchase == kplan_core::catalog::PurchaseOption::Reservation)
        .count()
}

// See: issue 19
#[test]
fn a_reservation_of_20_is_used_first() {
    let s = reserved(ODCR, 180);
    let r = &s.reservations[0];
    assert!((r.price.0 - 0.4032).abs() < 1e-9, "charged at the on-demand price: {r:?}");
    assert!(r.charge_unused);
    for (label, p) in plans(&s) {
        assert_eq!(on_reservation(&p), 20, "{label}: every reserved node is used");
        let uses = kplan_core::cost::reservations(&s, &p);
        assert_eq!((uses[0].used, uses[0].available), (20, 20), "{label}");
        assert_eq!(uses[0].unused_hourly.0, 0.0, "{label}");
        for n in p.nodes.iter().filter(|n| n.purchase.as_str() == "reservation") {
            assert_eq!((n.instance_type.as_str(), n.zone.as_str()), ("m7i.2xlarge", "us-east-1a"));
            assert_eq!(n.hourly.0, 0.0, "{label}: a reserved node is paid for by the reservation");
        }
    }
}

// See: issue 19
#[test]
fn the_unused_part_of_a_reservation_is_reported_with_its_cost() {
    let s = reserved(ODCR, 100);
    for (label, p) in plans(&s) {
        // 100 pods fit on the reservation: nothing else is bought.
        assert_eq!(on_reservation(&p), p.nodes.len(), "{label}");
        let u = &kplan_core::cost::reservations(&s, &p)[0];
        assert!(u.used >= 15 && u.used <= 20, "{label}: {u:?}");
        let unused = f64::from(20 - u.used);
        assert!((u.unused_hourly.0 - unused * 0.4032).abs() < 1e-9, "{label}: {u:?}");
        assert!((u.fixed_hourly.0 - 20.0 * 0.4032).abs() < 1e-9, "{label}: {u:?}");
        let all_in = kplan_core::cost::all_in_hourly(&s, &p).0 - s.control_plane.hourly.0;
        assert!((all_in - 20.0 * 0.4032).abs() < 1e-9, "{label}: the plan costs the reservation");
    }
    // The table and the JSON say so.
    let (_, p) = plans(&s).remove(0);
    let used = kplan_core::cost::reservations(&s, &p)[0].used;
    let table = kplan_core::report::table::plan_table(&s, &p);
    let line = format!("Reservation: odcr-1 (m7i.2xlarge in us-east-1a): {used} of 20 used · $");
    assert!(table.contains(&line), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&kplan_core::report::json::plan_to_json(&s, &p)).unwrap();
    let r = &json["cost"]["reservations"][0];
    assert_eq!(r["available"], 20);
    assert_eq!(r["used"], u64::from(used));
    assert_eq!(r["unused"], u64::from(20 - used));
    let unused_monthly = r["unused_cost"]["monthly"].as_f64().unwrap();
    assert!((unused_monthly - f64::from(20 - used) * 0.4032 * 730.0).abs() < 0.01, "{r}");
}

// See: issue 19
#[test]
fn a_reservation_not_charged_when_unused_costs_only_its_nodes() {
    let s = reserved(
        "  - {instance_type: m7i.2xlarge, zone: us-east-1b, count: 4, price: 0.30, charge_unused: false}\n",
        100,
    );
    for (label, p) in plans(&s) {
        let u = &kplan_core::cost::reservations(&s, &p)[0];
        assert_eq!(u.used, 4, "{label}: the cheaper reserved nodes are used first");
        assert_eq!((u.fixed_hourly.0, u.unused_hourly.0), (0.0, 0.0), "{label}");
        for n in p.nodes.iter().filter(|n| n.purchase.as_str() == "reservation") {
            assert!((n.hourly.0 - 0.30).abs() < 1e-9, "{label}");
        }
    }
}

// See: issue 19
#[test]
fn karpenter_launches_reserved_capacity_while_it_lasts() {
    // Karpenter fills a NodeClaim up to its largest offering (m7i.4xlarge, 15 pods here); five
    // of them are reserved, and the claims after those fall back to on-demand.
    let s = reserved("  - {instance_type: m7i.4xlarge, zone: us-east-1b, count: 5}\n", 100);
    let cfg = SolveConfig { method: Method::Karpenter, ..default_config() };
    let p = solve(&s, &cfg).unwrap_or_else(|e| panic!("{e}"));
    let v = verify(&s, &p);
    assert!(v.is_empty(), "{v:?}");
    assert_eq!(on_reservation(&p), 5, "{:?}", p.nodes);
    assert!(p.nodes.len() > 5);
}
