//! Scenario → plan → verify on small scenarios made from the bytes: up to three custom node types,
//! up to five workloads, zones, spot, headroom and the placement rules. Both packers run (the
//! exact engine on the pure backend, with its work budgets and no clock); a plan that fails the
//! verifier, a bound above the plan's cost, an exact plan dearer than first-fit decreasing, or a
//! packer that finds a plan where the other finds none is a crash.
#![no_main]
#![forbid(unsafe_code)]

use std::fmt::Write as _;

use arbitrary::{Result, Unstructured};
use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::solve::{Backend, Method, SolveConfig, default_config, solve};
use libfuzzer_sys::fuzz_target;

/// A small scenario as YAML text.
fn scenario(u: &mut Unstructured<'_>) -> Result<String> {
    let mut s = String::from("name: fuzz\nprovider: custom\nregion: test\noverhead: none\n");
    let n_zones = u.int_in_range(1..=3u8)?;
    let zones: Vec<String> = (1..=n_zones).map(|z| format!("z{z}")).collect();
    let _ = writeln!(s, "zones: [{}]", zones.join(", "));
    let spot = u.arbitrary::<bool>()?;
    s.push_str(if spot { "purchase: [on-demand, spot]\n" } else { "purchase: [on-demand]\n" });
    let headroom = match u.int_in_range(0..=2u8)? {
        1 => "node",
        2 if n_zones >= 2 => "zone",
        _ => "none",
    };
    let _ = write!(s, "policy: {{headroom: {headroom}");
    if u.arbitrary::<bool>()? {
        let _ = write!(s, ", utilization: 0.{}", u.int_in_range(5..=9u8)?);
    }
    if spot && u.arbitrary::<bool>()? {
        let _ = write!(s, ", spot: {{max_share: 0.{}}}", u.int_in_range(1..=9u8)?);
    }
    if u.arbitrary::<bool>()? {
        let _ = write!(s, ", on_demand_floor: {}", u.arbitrary::<bool>()?);
    }
    if u.arbitrary::<bool>()? {
        let _ = write!(s, ", max_pods_per_node: {}", u.int_in_range(2..=30u32)?);
    }
    s.push_str("}\n");
    s.push_str("catalog:\n  custom:\n");
    let n_types = u.int_in_range(1..=3u8)?;
    // Types alternate between families f0 and f1; name only families that have a type.
    let families = (n_types - 1).min(1);
    for k in 0..n_types {
        let cpu = u.int_in_range(1..=16u32)?;
        let gib = u.int_in_range(1..=64u32)?;
        let cents = u.int_in_range(1..=200u32)?;
        let od = f64::from(cents) / 100.0;
        let max_pods = u.int_in_range(4..=110u32)?;
        let _ = write!(
            s,
            "    - {{name: t{k}, family: f{}, cpu: \"{cpu}\", memory: {gib}Gi, max_pods: {max_pods}, price: {{on_demand: {od}",
            k % 2
        );
        if u.arbitrary::<bool>()? {
            let _ = write!(s, ", spot: {}", od * f64::from(u.int_in_range(1..=9u8)?) / 10.0);
        }
        s.push_str("}}\n");
    }
    if u.arbitrary::<bool>()? {
        let _ = writeln!(
            s,
            "daemonsets:\n  - {{name: agent, requests: {{cpu: {}m, memory: {}Mi}}}}",
            u.int_in_range(10..=500u32)?,
            u.int_in_range(16..=1024u32)?
        );
    }
    s.push_str("workloads:\n");
    let n_loads = u.int_in_range(1..=5u8)?;
    for k in 0..n_loads {
        let replicas = u.int_in_range(1..=12u32)?;
        let _ = write!(
            s,
            "  - {{name: w{k}, replicas: {replicas}, requests: {{cpu: {}m, memory: {}Mi}}",
            u.int_in_range(10..=4000u32)?,
            u.int_in_range(16..=16384u32)?
        );
        if u.arbitrary::<bool>()? {
            s.push_str(", spot: true");
        }
        if u.arbitrary::<bool>()? {
            let _ = write!(s, ", max_per_node: {}", u.int_in_range(1..=4u32)?);
        }
        if n_zones >= 2 && u.arbitrary::<bool>()? {
            let _ = write!(s, ", zone_spread: {{max_skew: {}}}", u.int_in_range(1..=2u32)?);
        }
        if u.arbitrary::<bool>()? {
            let _ = write!(s, ", min_available: {}", u.int_in_range(0..=replicas)?);
        }
        if u.arbitrary::<bool>()? {
            s.push_str(", anti_affinity: group");
        }
        if u.arbitrary::<bool>()? {
            let _ = write!(s, ", families: [f{}]", u.int_in_range(0..=families)?);
        }
        s.push_str("}\n");
    }
    if u.arbitrary::<bool>()? {
        let _ = writeln!(
            s,
            "node_pools:\n  - {{name: p, families: [f{}], min_nodes: {}}}",
            u.int_in_range(0..=families)?,
            u.int_in_range(0..=2u32)?
        );
    }
    Ok(s)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(text) = scenario(&mut u) else { return };
    // `KPLAN_FUZZ_PRINT=1 target/.../plan_verify crash-…` shows the scenario of a crash.
    if std::env::var_os("KPLAN_FUZZ_PRINT").is_some() {
        eprintln!("{text}");
    }
    // The generator writes only valid scenarios, so a reader error is a finding too.
    let s = match read_scenario(&text, "fuzz.yaml").output {
        Ok(s) => s,
        Err(e) => panic!("generated scenario rejected: {e:?}\n{text}"),
    };
    let ffd_cfg = SolveConfig { method: Method::Ffd, backend: Backend::Pure, ..default_config() };
    let exact_cfg = SolveConfig { method: Method::Exact, ..ffd_cfg };
    let (ffd, exact) = match (solve(&s, &ffd_cfg), solve(&s, &exact_cfg)) {
        (Ok(f), Ok(e)) => (f, e),
        (Err(_), Err(_)) => return,
        (f, e) => panic!(
            "one packer only found a plan: ffd {:?}, exact {:?}\n{text}",
            f.is_ok(),
            e.is_ok()
        ),
    };
    let v = verify(&s, &ffd);
    assert!(v.is_empty(), "FFD plan fails its verifier: {v:?}\n{text}");
    let v = verify(&s, &exact);
    assert!(v.is_empty(), "exact plan fails its verifier: {v:?}\n{text}");
    let (cost, greedy) = (exact.hourly().0, ffd.hourly().0);
    assert!(cost <= greedy + 1e-9, "exact {cost} > FFD {greedy}\n{text}");
    if let Some(b) = exact.solver.bound {
        assert!(b.0 <= cost + 1e-9, "bound {} > cost {cost}\n{text}", b.0);
    }
});
