//! Shared helpers for the workspace-level tests and the benchmark harness.
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the CLI in-process and returns (exit code, stdout, stderr).
pub fn kplan(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("kplan").chain(args.iter().copied());
    let code = kplan_cli::run(argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

pub mod usage_fixture;

/// Every LP/MILP backend compiled into this build: pure, and HiGHS with the `highs` feature.
pub fn backends() -> Vec<kplan_core::solve::Backend> {
    let mut b = vec![kplan_core::solve::Backend::Pure];
    if cfg!(feature = "highs") {
        b.push(kplan_core::solve::Backend::Highs);
    }
    b
}

/// A test's own scenario text, read; a text the reader refuses fails the test with its errors.
pub fn scenario(text: &str) -> kplan_core::scenario::Scenario {
    match kplan_core::input::scenario::read_scenario(text, "test.yaml").output {
        Ok(s) => s,
        Err(e) => panic!("bad test scenario: {e:?}\n{text}"),
    }
}
pub mod vbp;

/// A tiny deterministic generator (xorshift64*), so the mix is reproducible without a dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// The Karpenter scheduling benchmark's mix as a scenario: 400 types (i vCPU, 2i GiB, 10i pods,
/// $0.1 per vCPU + $0.1 per GiB) and pods in five equal groups.
///
/// Modelling choices: zone spread and hostname spread are per workload (label × shape); the
/// hostname spread (max skew 1, over a cluster with more nodes than pods per label) is one pod
/// per node; zone self-affinity pins each label to one zone; the hostname anti-affinity group
/// (all pods share `app: nginx`) allows one pod of the whole group per node.
pub fn mix_scenario(pods: usize, types: usize, seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let cpus = [100u64, 250, 500, 1000, 1500];
    let mems = [100u64, 256, 512, 1024, 2048, 4096];
    let labels = ["a", "b", "c", "d", "e", "f", "g"];
    let zones = ["zone-a", "zone-b", "zone-c"];
    let mut counts: std::collections::BTreeMap<(usize, &str, u64, u64), u64> =
        std::collections::BTreeMap::new();
    let per = pods / 5;
    for g in 0..5 {
        let n = if g == 0 { pods - 4 * per } else { per };
        for _ in 0..n {
            let label = rng.pick(&labels);
            let c = rng.pick(&cpus);
            let m = rng.pick(&mems);
            *counts.entry((g, label, c, m)).or_insert(0) += 1;
        }
    }
    let mut s = format!(
        "name: mix-{pods}\nprovider: custom\nregion: bench\noverhead: none\nzones: [{}]\npolicy: {{headroom: none}}\ncatalog:\n  custom:\n",
        zones.join(", ")
    );
    for i in 1..=types {
        let _ = writeln!(
            s,
            "    - {{name: type-{i:03}, cpu: {i}, memory: {}Gi, max_pods: {}, price: {{on_demand: {}}}}}",
            2 * i,
            10 * i,
            0.1 * i as f64 + 0.1 * 2.0 * i as f64
        );
    }
    s.push_str("workloads:\n");
    for ((g, label, c, m), n) in counts {
        let name = format!("g{g}-{label}-{c}m-{m}mi");
        let extra = match g {
            1 => ", zone_spread: {max_skew: 1}".to_string(),
            2 => ", max_per_node: 1".to_string(),
            3 => format!(
                ", zones: [{}]",
                zones[labels.iter().position(|l| *l == label).unwrap_or(0) % zones.len()]
            ),
            4 => ", anti_affinity: nginx".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "  - {{name: {name}, replicas: {n}, requests: {{cpu: {c}m, memory: {m}Mi}}{extra}}}"
        );
    }
    s
}
