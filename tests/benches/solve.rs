//! Criterion benches of the engine's hot paths: one master LP, one pricing round, whole solves.
//!
//! `cargo bench -p kplan-tests --bench solve` (add `--features highs` for the HiGHS backend).
//! The scenarios are the Karpenter-style mix of `kplan-bench mix` at 1,000 and 10,000 pods.
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kplan_core::input::scenario::read_scenario;
use kplan_core::scenario::Scenario;
use kplan_core::solve::bench::{HotPath, run};
use kplan_core::solve::{Backend, Method, SolveConfig, default_config, solve};
use kplan_tests::mix_scenario;

fn mix(pods: usize) -> Scenario {
    let text = mix_scenario(pods, 400, 42);
    read_scenario(&text, "mix.yaml").output.expect("the mix scenario reads")
}

fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Pure];
    if cfg!(feature = "highs") {
        b.push(Backend::Highs);
    }
    b
}

fn hot_paths(c: &mut Criterion) {
    let s = mix(1000);
    let mut g = c.benchmark_group("hot");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for backend in backends() {
        let name = backend.as_str();
        g.bench_function(format!("master_lp/mix-1000/{name}"), |b| {
            b.iter(|| run(black_box(&s), backend, HotPath::MasterLp).expect("solves"))
        });
        g.bench_function(format!("pricing_round/mix-1000/{name}"), |b| {
            b.iter(|| run(black_box(&s), backend, HotPath::PricingRound).expect("solves"))
        });
    }
    g.finish();
}

fn whole_solves(c: &mut Criterion) {
    let mut g = c.benchmark_group("solve");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    for pods in [1000, 10_000] {
        let s = mix(pods);
        let ffd = SolveConfig { method: Method::Ffd, backend: Backend::Pure, ..default_config() };
        g.bench_function(format!("ffd/mix-{pods}"), |b| {
            b.iter(|| solve(black_box(&s), &ffd).expect("solves"))
        });
        for backend in backends() {
            let cfg = SolveConfig { method: Method::Exact, backend, ..default_config() };
            g.bench_function(format!("exact/mix-{pods}/{}", backend.as_str()), |b| {
                b.iter(|| solve(black_box(&s), &cfg).expect("solves"))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, hot_paths, whole_solves);
criterion_main!(benches);
