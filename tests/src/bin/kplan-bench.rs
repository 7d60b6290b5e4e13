//! The benchmark harness: known-optimum bin-packing sets and the Karpenter-style mix, through the public API.
//!
//! ```text
//! kplan-bench binpacking --data DIR --set SET [--limit N] [--backend pure|highs] [--time-limit S]
//! kplan-bench mix --pods N [--types 400] [--seed 42] [--backend pure|highs] [--time-limit S]
//! ```
//!
//! Every instance becomes a kplan scenario (YAML text), is read with `read_scenario` and solved
//! with `solve`, exactly as the CLI does; every plan is verified.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::solve::{Backend, Clock, Method, SolveConfig, solve};

struct Wall(std::time::Instant);

impl Wall {
    #[expect(clippy::disallowed_methods, reason = "the benchmark harness owns the clock")]
    fn start() -> Wall {
        Wall(std::time::Instant::now())
    }
}

impl Clock for Wall {
    fn now(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

struct Opts {
    args: Vec<String>,
}

impl Opts {
    fn get(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.args.get(i + 1))
            .map(String::as_str)
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("kplan-bench: {msg}");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first().cloned() else {
        fail(
            "usage: kplan-bench binpacking --data DIR --set SET [--limit N] [--backend pure|highs] [--time-limit S] | mix --pods N [--types 400] [--seed 42]",
        );
    };
    let o = Opts { args };
    let backend: Backend =
        o.get("--backend").unwrap_or("pure").parse().unwrap_or_else(|e: String| fail(&e));
    let time_limit: f64 = o
        .get("--time-limit")
        .map_or(10.0, |s| s.parse().unwrap_or_else(|_| fail("--time-limit: a number")));
    match cmd.as_str() {
        "binpacking" => {
            let data = PathBuf::from(o.get("--data").unwrap_or("../shared/data/binpacking"));
            let set = o.get("--set").unwrap_or_else(|| fail("--set is required"));
            let limit: usize = o
                .get("--limit")
                .map_or(usize::MAX, |s| s.parse().unwrap_or_else(|_| fail("--limit: a number")));
            binpacking(&data, set, limit, backend, time_limit);
        }
        "mix" => {
            let pods: usize = o
                .get("--pods")
                .map_or(1000, |s| s.parse().unwrap_or_else(|_| fail("--pods: a number")));
            let types: usize = o
                .get("--types")
                .map_or(400, |s| s.parse().unwrap_or_else(|_| fail("--types: a number")));
            let seed: u64 = o
                .get("--seed")
                .map_or(42, |s| s.parse().unwrap_or_else(|_| fail("--seed: a number")));
            mix(pods, types, seed, backend, time_limit);
        }
        other => fail(&format!("unknown subcommand {other:?}; expected binpacking or mix")),
    }
}

/// An instance: name, capacities (1 or 2 dimensions), items as (sizes, demand), known optimum.
struct Instance {
    name: String,
    cap: Vec<u64>,
    items: Vec<(Vec<u64>, u64)>,
    optimum: Option<u64>,
}

fn numbers(path: &Path) -> Vec<u64> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    text.split_whitespace().filter_map(|t| t.parse().ok()).collect()
}

fn bounds(data: &Path) -> std::collections::BTreeMap<String, u64> {
    let text = std::fs::read_to_string(data.join("bpplib/Bounds.txt"))
        .unwrap_or_else(|e| fail(&format!("cannot read Bounds.txt: {e}")));
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let name = f.next()?.to_string();
            let lb: u64 = f.next()?.parse().ok()?;
            let ub: u64 = f.next()?.parse().ok()?;
            (lb == ub).then_some((name, ub))
        })
        .collect()
}

/// Loads a set: BPPLIB sets from their cutting-stock files, `ct2d` from the Caprara-Toth files.
pub fn load_set(data: &Path, set: &str) -> Vec<Instance> {
    if set == "ct2d" {
        let dir = data.join("vector2d");
        let optima = std::fs::read_to_string(dir.join("caprara_toth_2cbp_optima.csv"))
            .unwrap_or_else(|e| fail(&format!("{e}")));
        let mut res = Vec::new();
        for line in optima.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let Some(opt) = f.get(6).and_then(|s| s.parse::<u64>().ok()) else { continue };
            let nums = numbers(&dir.join("caprara_toth_2cbp").join(f[0]));
            let n = nums[0] as usize;
            let cap = vec![nums[1], nums[2]];
            let mut items: Vec<(Vec<u64>, u64)> = Vec::new();
            for k in 0..n {
                let w = vec![nums[3 + 3 * k + 1], nums[3 + 3 * k + 2]];
                match items.iter_mut().find(|(x, _)| *x == w) {
                    Some(e) => e.1 += 1,
                    None => items.push((w, 1)),
                }
            }
            res.push(Instance { name: f[0].to_string(), cap, items, optimum: Some(opt) });
        }
        return res;
    }
    let dir = match set {
        "falkenauer_u" => "Falkenauer_U",
        "falkenauer_t" => "Falkenauer_T",
        "scholl_1" => "Scholl_1",
        "scholl_2" => "Scholl_2",
        "scholl_3" => "Scholl_3",
        "schwerin" => "Schwerin_1",
        "schwerin_2" => "Schwerin_2",
        "waescher" => "Waescher",
        "hard28" => "Hard28",
        other => fail(&format!("unknown set {other:?}")),
    };
    let opt = bounds(data);
    let mut dirs = vec![data.join("bpplib/csp").join(dir)];
    if set == "schwerin" {
        dirs.push(data.join("bpplib/csp/Schwerin_2"));
    }
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(d)
                .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", d.display())))
        })
        .map(|e| e.map(|e| e.path()).unwrap_or_default())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let nums = numbers(&f);
            let m = nums[0] as usize;
            let cap = vec![nums[1]];
            let items = (0..m).map(|k| (vec![nums[2 + 2 * k]], nums[3 + 2 * k])).collect();
            let name = f.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let optimum = opt.get(&name).copied();
            Instance { name, cap, items, optimum }
        })
        .collect()
}

/// The scenario for a bin-packing instance: one custom node type of the bin's capacity, price 1.
pub fn instance_scenario(inst: &Instance) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "name: {}\nprovider: custom\nregion: bench\noverhead: none\npolicy: {{headroom: none}}",
        inst.name
    );
    let mem = inst.cap.get(1).map_or("1Gi".to_string(), |m| format!("{m}Mi"));
    let _ = writeln!(
        s,
        "catalog:\n  custom:\n    - {{name: bin, cpu: {}m, memory: {mem}, max_pods: 1000000, price: {{on_demand: 1}}}}",
        inst.cap[0]
    );
    s.push_str("workloads:\n");
    for (k, (w, d)) in inst.items.iter().enumerate() {
        let mem = w.get(1).map_or(String::new(), |m| format!(", memory: {m}Mi"));
        let _ = writeln!(s, "  - {{name: i{k}, replicas: {d}, requests: {{cpu: {}m{mem}}}}}", w[0]);
    }
    s
}

fn binpacking(data: &Path, set: &str, limit: usize, backend: Backend, time_limit: f64) {
    let instances = load_set(data, set);
    println!("set,instance,items,optimum,found,bound,seconds,status");
    let (mut n, mut optimal, mut within_one, mut total, mut max) =
        (0usize, 0usize, 0usize, 0.0f64, 0.0f64);
    for inst in instances.into_iter().filter(|i| i.optimum.is_some()).take(limit) {
        let text = instance_scenario(&inst);
        let scenario = read_scenario(&text, &inst.name)
            .output
            .unwrap_or_else(|e| fail(&format!("{}: {e:?}", inst.name)));
        let clock = Wall::start();
        let cfg = SolveConfig {
            method: Method::Exact,
            backend,
            time_limit: Some(time_limit),
            clock: &clock,
        };
        let plan = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&format!("{}: {e}", inst.name)));
        let secs = clock.now();
        let violations = verify(&scenario, &plan);
        if !violations.is_empty() {
            fail(&format!("{}: the plan fails verification: {:?}", inst.name, violations[0]));
        }
        let found = plan.nodes.len() as u64;
        let bound = plan.solver.bound.map_or(0, |b| (b.0 - 1e-6).ceil() as u64);
        let opt = inst.optimum.unwrap_or(0);
        let n_items: u64 = inst.items.iter().map(|(_, d)| d).sum();
        println!(
            "{set},{},{n_items},{opt},{found},{bound},{secs:.3},{}",
            inst.name,
            plan.solver.status.as_str()
        );
        n += 1;
        optimal += usize::from(found == opt);
        within_one += usize::from(found <= opt + 1);
        total += secs;
        max = max.max(secs);
    }
    println!(
        "summary set={set} instances={n} optimal={optimal} within_one={within_one} mean_s={:.3} max_s={max:.3}",
        if n > 0 { total / n as f64 } else { 0.0 }
    );
}

/// A tiny deterministic generator (xorshift64*), so the mix is reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
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

fn mix(pods: usize, types: usize, seed: u64, backend: Backend, time_limit: f64) {
    let text = mix_scenario(pods, types, seed);
    let scenario = read_scenario(&text, "mix").output.unwrap_or_else(|e| fail(&format!("{e:?}")));
    let clock = Wall::start();
    let cfg =
        SolveConfig { method: Method::Exact, backend, time_limit: Some(time_limit), clock: &clock };
    let plan = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&e.to_string()));
    let secs = clock.now();
    let violations = verify(&scenario, &plan);
    if !violations.is_empty() {
        fail(&format!("the plan fails verification: {:?}", violations[0]));
    }
    let hourly = plan.hourly().0;
    println!("pods,nodes,hourly,ffd_hourly,bound,gap,seconds,pods_per_s");
    println!(
        "{pods},{},{hourly:.4},{:.4},{:.4},{:.4},{secs:.3},{:.0}",
        plan.nodes.len(),
        plan.solver.ffd_hourly.map_or(0.0, |p| p.0),
        plan.solver.bound.map_or(0.0, |b| b.0),
        plan.gap().unwrap_or(1.0),
        pods as f64 / secs.max(1e-9)
    );
}
