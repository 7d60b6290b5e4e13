//! The benchmark harness: known-optimum bin-packing sets and the Karpenter-style mix, through the public API.
//!
//! ```text
//! kplan-bench binpacking --data DIR --set SET [--limit N] [--backend pure|highs] [--time-limit S] [--stats]
//! kplan-bench mix --pods N [--types 400] [--seed 42] [--backend pure|highs] [--time-limit S] [--stats]
//! kplan-bench mix --pods N [--types 400] [--seed 42] --write FILE
//! kplan-bench karpenter [--pods 1000,10000] [--backend pure|highs] [--time-limit S] [--consolidate]
//! kplan-bench vbp --data DIR [--limit N] [--backend pure|highs] [--time-limit S]
//! kplan-bench vbp-gen --d D --seed S [--count 10] [--types 25] --out DIR
//! kplan-bench examples [--scales 1,10,100] [--backend pure|highs] [--time-limit S]
//! ```
//!
//! `examples` plans every embedded example scenario at each scale (every workload's replicas
//! multiplied, as a what-if `scale` does), with its headroom as written and with
//! `headroom: none`, on the engine's default budgets unless a limit is given, verifies each plan
//! and prints one CSV line per case: cost and bound per month, gap, status, seconds.
//!
//! `vbp` reads every `DIR/*.vbp` (VPSolver's d-dimensional vector packing format, see
//! `kplan_tests::vbp`), plans each with the exact engine and with first-fit decreasing, verifies
//! both plans, and prints a CSV line per instance (bins of each, the engine's bound, seconds, the
//! optimum when `DIR/optima.csv` has `instance,opt`) and a summary. `vbp-gen` writes seeded
//! random instances (`vbp-d<D>-s<S>-<k>.vbp`).
//!
//! `--write` writes the mix scenario to FILE instead of solving it (for `kplan plan FILE`).
//!
//! `karpenter` plans every example scenario, every manifest example (AWS us-east-1) and the mix
//! at each `--pods` size, with the Karpenter model and the exact engine, and prints one line per
//! input: what Karpenter would launch, our cost, the saving, and the kplan policies Karpenter's
//! plan breaks (named by the verifier). `--consolidate` adds Karpenter's consolidation.
//!
//! Every instance becomes a kplan scenario (YAML text), is read with `read_scenario` and solved
//! with `solve`, exactly as the CLI does; every plan is verified.
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kplan_core::catalog::Provider;
use kplan_core::input::manifests::{
    Source, default_options as manifest_options, manifest_scenario, merge_into, read_manifests,
};
use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::scenario::Scenario;
use kplan_core::solve::karpenter::{Allocatable, KarpenterOptions};
use kplan_core::solve::{Backend, Clock, Method, SolveConfig, default_config, solve};
use kplan_tests::mix_scenario;

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

/// The exact engine on `backend` with a time limit (or its default work budgets alone) on the harness's clock.
fn exact_config(backend: Backend, time_limit: Option<f64>, clock: &Wall) -> SolveConfig<'_> {
    SolveConfig { method: Method::Exact, backend, time_limit, clock, ..default_config() }
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
    let backend: Backend = o
        .get("--backend")
        .unwrap_or("pure")
        .parse::<Backend>()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let given: Option<f64> =
        o.get("--time-limit").map(|s| s.parse().unwrap_or_else(|_| fail("--time-limit: a number")));
    // `mix` runs on the engine's default work budgets unless a limit is given; the other
    // subcommands default to 10 s per instance.
    let time_limit = given.unwrap_or(10.0);
    // `--stats` prints the engine's counters per instance on stderr.
    let stats = o.args.iter().any(|a| a == "--stats");
    match cmd.as_str() {
        "binpacking" => {
            let data = PathBuf::from(o.get("--data").unwrap_or("../shared/data/binpacking"));
            let set = o.get("--set").unwrap_or_else(|| fail("--set is required"));
            let limit: usize = o
                .get("--limit")
                .map_or(usize::MAX, |s| s.parse().unwrap_or_else(|_| fail("--limit: a number")));
            binpacking(&data, set, limit, backend, time_limit, stats);
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
            if let Some(path) = o.get("--write") {
                std::fs::write(path, mix_scenario(pods, types, seed))
                    .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
                return;
            }
            mix(pods, types, seed, backend, given, stats);
        }
        "greedy" => {
            let pods: usize = o
                .get("--pods")
                .map_or(1000, |s| s.parse().unwrap_or_else(|_| fail("--pods: a number")));
            greedy(pods);
        }
        "karpenter" => {
            let sizes: Vec<usize> = o
                .get("--pods")
                .unwrap_or("1000,10000")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap_or_else(|_| fail("--pods: numbers separated by commas")))
                .collect();
            let consolidate = o.args.iter().any(|a| a == "--consolidate");
            karpenter(&sizes, backend, time_limit, consolidate);
        }
        "vbp" => {
            let data = PathBuf::from(o.get("--data").unwrap_or_else(|| fail("--data is required")));
            let limit: usize = o
                .get("--limit")
                .map_or(usize::MAX, |s| s.parse().unwrap_or_else(|_| fail("--limit: a number")));
            vbp(&data, limit, backend, time_limit);
        }
        "examples" => {
            let scales: Vec<u64> = o
                .get("--scales")
                .unwrap_or("1,10,100")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse().unwrap_or_else(|_| fail("--scales: numbers separated by commas"))
                })
                .collect();
            examples(&scales, backend, given);
        }
        "vbp-gen" => {
            let num = |name: &str, default: Option<u64>| -> u64 {
                match (o.get(name), default) {
                    (Some(s), _) => {
                        s.parse().unwrap_or_else(|_| fail(&format!("{name}: a number")))
                    }
                    (None, Some(d)) => d,
                    (None, None) => fail(&format!("{name} is required")),
                }
            };
            let (d, seed) = (num("--d", None) as usize, num("--seed", None));
            let (count, types) = (num("--count", Some(10)), num("--types", Some(25)) as usize);
            let out = PathBuf::from(o.get("--out").unwrap_or_else(|| fail("--out is required")));
            std::fs::create_dir_all(&out)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
            for k in 0..count {
                let inst = kplan_tests::vbp::vbp_generate(d, seed.wrapping_add(k), types);
                let path = out.join(format!("vbp-d{d}-s{seed}-{k}.vbp"));
                std::fs::write(&path, kplan_tests::vbp::write_vbp(&inst))
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
            }
        }
        other => fail(&format!(
            "unknown subcommand {other:?}; expected binpacking, mix, greedy, karpenter, examples, vbp or vbp-gen"
        )),
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
fn load_set(data: &Path, set: &str) -> Vec<Instance> {
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
fn instance_scenario(inst: &Instance) -> String {
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

fn binpacking(
    data: &Path,
    set: &str,
    limit: usize,
    backend: Backend,
    time_limit: f64,
    stats: bool,
) {
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
        let cfg = exact_config(backend, Some(time_limit), &clock);
        let plan = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&format!("{}: {e}", inst.name)));
        let secs = clock.now();
        if stats {
            eprintln!("{}: {}", inst.name, engine_stats(&plan));
        }
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

/// Plans every `.vbp` instance of `data` with the exact engine and FFD.
fn vbp(data: &Path, limit: usize, backend: Backend, time_limit: f64) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", data.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vbp"))
        .collect();
    files.sort();
    let optima: std::collections::BTreeMap<String, u64> =
        match std::fs::read_to_string(data.join("optima.csv")) {
            Ok(text) => text
                .lines()
                .enumerate()
                .filter(|(i, l)| !(l.trim().is_empty() || (*i == 0 && l.starts_with("instance"))))
                .map(|(i, l)| {
                    let (name, opt) = l.split_once(',').unwrap_or_else(|| {
                        fail(&format!("optima.csv:{}:1: expected instance,opt", i + 1))
                    });
                    let opt = opt.trim().parse().unwrap_or_else(|_| {
                        fail(&format!(
                            "optima.csv:{}:{}: expected a whole number of bins, found {:?}",
                            i + 1,
                            name.len() + 2,
                            opt.trim()
                        ))
                    });
                    (name.trim().trim_end_matches(".vbp").to_string(), opt)
                })
                .collect(),
            Err(_) => Default::default(),
        };
    println!("instance,d,items,exact_bins,ffd_bins,bound,optimum,exact_seconds,ffd_seconds,status");
    let (mut n, mut exact_total, mut ffd_total, mut bound_total) = (0usize, 0u64, 0u64, 0u64);
    let (mut n_opt, mut at_opt, mut proven, mut secs_total, mut secs_max) =
        (0usize, 0usize, 0usize, 0.0f64, 0.0f64);
    for path in files.into_iter().take(limit) {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let file = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
        let inst = kplan_tests::vbp::read_vbp(&text, &file).unwrap_or_else(|e| fail(&e));
        let scenario_text = kplan_tests::vbp::vbp_scenario(&name, &inst);
        let scenario = read_scenario(&scenario_text, &file)
            .output
            .unwrap_or_else(|e| fail(&format!("{file}: {e:?}")));
        let clock = Wall::start();
        let plan = solve(&scenario, &exact_config(backend, Some(time_limit), &clock))
            .unwrap_or_else(|e| fail(&format!("{file}: {e}")));
        let exact_secs = clock.now();
        let clock = Wall::start();
        let cfg = SolveConfig { method: Method::Ffd, clock: &clock, ..default_config() };
        let ffd = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
        let ffd_secs = clock.now();
        for (label, p) in [("exact", &plan), ("ffd", &ffd)] {
            let violations = verify(&scenario, p);
            if !violations.is_empty() {
                fail(&format!("{file}: the {label} plan fails verification: {:?}", violations[0]));
            }
        }
        let (bins, ffd_bins) = (plan.nodes.len() as u64, ffd.nodes.len() as u64);
        let bound = plan.solver.bound.map_or(0, |b| (b.0 - 1e-6).ceil().max(0.0) as u64);
        let opt = optima.get(&name).copied();
        println!(
            "{name},{},{},{bins},{ffd_bins},{bound},{},{exact_secs:.3},{ffd_secs:.3},{}",
            inst.d(),
            inst.n_items(),
            opt.map_or(String::new(), |o| o.to_string()),
            plan.solver.status.as_str()
        );
        n += 1;
        exact_total += bins;
        ffd_total += ffd_bins;
        bound_total += bound;
        proven += usize::from(bins == bound);
        if let Some(o) = opt {
            n_opt += 1;
            at_opt += usize::from(bins == o);
        }
        secs_total += exact_secs;
        secs_max = secs_max.max(exact_secs);
    }
    let optimum_part =
        if n_opt > 0 { format!(" at_optimum={at_opt}/{n_opt}") } else { String::new() };
    println!(
        "summary instances={n} exact_bins={exact_total} ffd_bins={ffd_total} bound={bound_total} proven={proven}{optimum_part} mean_s={:.3} max_s={secs_max:.3}",
        if n > 0 { secs_total / n as f64 } else { 0.0 }
    );
}

fn mix(
    pods: usize,
    types: usize,
    seed: u64,
    backend: Backend,
    time_limit: Option<f64>,
    stats: bool,
) {
    let text = mix_scenario(pods, types, seed);
    let scenario = read_scenario(&text, "mix").output.unwrap_or_else(|e| fail(&format!("{e:?}")));
    let clock = Wall::start();
    let mut cfg = exact_config(backend, time_limit, &clock);
    // `KPLAN_BENCH_LP_WORK=BASE,PER_POD` overrides the LP work budget (for calibration).
    if let Ok(v) = std::env::var("KPLAN_BENCH_LP_WORK") {
        let mut b = kplan_core::solve::default_budgets();
        let mut it = v.split(',').map(|x| {
            x.parse::<u64>().unwrap_or_else(|_| fail("KPLAN_BENCH_LP_WORK: BASE,PER_POD"))
        });
        b.lp_work_base = it.next().unwrap_or(b.lp_work_base);
        b.lp_work_per_pod = it.next().unwrap_or(b.lp_work_per_pod);
        b.lp_work_max = u64::MAX;
        cfg.budgets = Some(b);
    }
    // `KPLAN_BENCH_LNS=ATTEMPTS,NODES` overrides the large-neighbourhood search's budget.
    if let Ok(v) = std::env::var("KPLAN_BENCH_LNS") {
        let mut b = cfg.budgets.unwrap_or_else(kplan_core::solve::default_budgets);
        let mut it = v.split(',').map(|x| {
            x.parse::<usize>().unwrap_or_else(|_| fail("KPLAN_BENCH_LNS: ATTEMPTS,NODES"))
        });
        b.lns_attempts = it.next().unwrap_or(b.lns_attempts);
        b.lns_nodes = it.next().unwrap_or(b.lns_nodes);
        b.lns_attempts_per_node = usize::MAX;
        b.lns_node_visits = usize::MAX;
        cfg.budgets = Some(b);
    }
    let plan = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&e.to_string()));
    let secs = clock.now();
    if stats {
        eprintln!("{}", engine_stats(&plan));
    }
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

/// Every example at every scale, with its headroom and without, planned, verified and printed.
fn examples(scales: &[u64], backend: Backend, time_limit: Option<f64>) {
    use kplan_core::money::HOURS_PER_MONTH;
    use kplan_core::policy::Headroom;
    use kplan_core::whatif::{Override, apply};
    println!("example,scale,headroom,nodes,monthly,bound_monthly,gap,status,seconds");
    for ex in kplan_core::examples::EXAMPLES {
        let base = read_scenario(ex.text, ex.file)
            .output
            .unwrap_or_else(|e| fail(&format!("{}: {e:?}", ex.file)));
        for &k in scales {
            let ov = Override { scale_ppm: Some(k * 1_000_000), ..Override::default() };
            let scaled = apply(&base, &ov)
                .unwrap_or_else(|e| fail(&format!("{} ×{k}: {e:?}", ex.file)))
                .scenario;
            let mut cases =
                vec![(format!("{:?}", scaled.policy.headroom).to_lowercase(), scaled.clone())];
            if scaled.policy.headroom != Headroom::None {
                let mut none = scaled;
                none.policy.headroom = Headroom::None;
                cases.push(("none".to_string(), none));
            }
            for (headroom, s) in cases {
                let clock = Wall::start();
                let mut cfg = exact_config(backend, time_limit, &clock);
                // `KPLAN_BENCH_HEADROOM_SHAPES=NODE,ZONE` overrides the shaped plans under headroom.
                if let Ok(v) = std::env::var("KPLAN_BENCH_HEADROOM_SHAPES") {
                    let mut b = kplan_core::solve::default_budgets();
                    let mut it = v.split(',').map(|x| {
                        x.parse::<usize>()
                            .unwrap_or_else(|_| fail("KPLAN_BENCH_HEADROOM_SHAPES: NODE,ZONE"))
                    });
                    b.headroom_shapes_node = it.next().unwrap_or(b.headroom_shapes_node);
                    b.headroom_shapes_zone = it.next().unwrap_or(b.headroom_shapes_zone);
                    cfg.budgets = Some(b);
                }
                let plan = solve(&s, &cfg).unwrap_or_else(|e| fail(&format!("{}: {e}", ex.file)));
                let secs = clock.now();
                let violations = verify(&s, &plan);
                if !violations.is_empty() {
                    fail(&format!(
                        "{} ×{k}: the plan fails verification: {:?}",
                        ex.file, violations[0]
                    ));
                }
                println!(
                    "{},{k},{headroom},{},{:.2},{:.2},{:.4},{:?},{secs:.3}",
                    ex.file.trim_end_matches(".yaml"),
                    plan.nodes.len(),
                    plan.hourly().0 * HOURS_PER_MONTH,
                    plan.solver.bound.map_or(0.0, |b| b.0 * HOURS_PER_MONTH),
                    plan.gap().unwrap_or(1.0),
                    plan.solver.status,
                );
            }
        }
    }
}

/// Every greedy packer's plan of the mix, with its cost, verified.
fn greedy(pods: usize) {
    let text = mix_scenario(pods, 400, 42);
    let scenario = read_scenario(&text, "mix").output.unwrap_or_else(|e| fail(&format!("{e:?}")));
    let budgets = kplan_core::solve::default_budgets();
    let clock = Wall::start();
    let runs = kplan_core::solve::greedy::plans(&scenario, &budgets)
        .unwrap_or_else(|e| fail(&e.to_string()));
    println!("greedy,nodes,hourly,verified,seconds");
    for (run, plan) in runs {
        let plan_of = plan.clone();
        match plan {
            Some(p) => println!(
                "{},{},{:.4},{},{:.3}",
                run.label(),
                p.nodes.len(),
                p.hourly().0,
                verify(&scenario, &p).is_empty(),
                clock.now()
            ),
            None => println!("{},,,no plan,{:.3}", run.label(), clock.now()),
        }
        if std::env::var_os("KPLAN_BENCH_NODES").is_some()
            && let Some(p) = &plan_of
        {
            for n in &p.nodes {
                let (mut c, mut m) = (0u64, 0u64);
                for pc in &n.pods {
                    let w = scenario.workloads.iter().find(|w| w.key() == pc.workload).expect("w");
                    c += w.pod.requests.cpu.0 * u64::from(pc.count);
                    m += w.pod.requests.memory.0 * u64::from(pc.count);
                }
                eprintln!(
                    "{} {} cpu {}/{} mem {}/{} pods {}",
                    n.instance_type,
                    n.zone,
                    c,
                    n.allocatable.cpu.0,
                    m >> 20,
                    n.allocatable.memory.0 >> 20,
                    n.n_pods()
                );
            }
        }
    }
}

/// The example scenarios, the manifest examples (as AWS us-east-1 scenarios) and the mix sizes.
fn karpenter_inputs(sizes: &[usize]) -> Vec<(String, Scenario)> {
    let root = kplan_tests::repo_root().join("data/examples");
    let mut res = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", root.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| fail(&format!("{e}")));
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let s =
            read_scenario(&text, &name).output.unwrap_or_else(|e| fail(&format!("{name}: {e:?}")));
        res.push((name, s));
    }
    let dir = root.join("manifests");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    entries.sort();
    for e in entries {
        let mut texts = Vec::new();
        manifest_texts(&e, &mut texts);
        let sources: Vec<Source<'_>> =
            texts.iter().map(|(n, t)| Source { name: n, text: t }).collect();
        let name = format!(
            "manifests/{}",
            e.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        );
        let manifests = read_manifests(&sources, &manifest_options())
            .output
            .unwrap_or_else(|e| fail(&format!("{name}: {e:?}")));
        let mut s = manifest_scenario("manifests", Provider::Aws, Some("us-east-1"))
            .unwrap_or_else(|e| fail(&format!("{name}: {e}")));
        merge_into(&mut s, &manifests).unwrap_or_else(|e| fail(&format!("{name}: {e:?}")));
        res.push((name, s));
    }
    for &pods in sizes {
        let text = mix_scenario(pods, 400, 42);
        let s = read_scenario(&text, "mix").output.unwrap_or_else(|e| fail(&format!("{e:?}")));
        res.push((format!("mix-{pods}"), s));
    }
    res
}

fn manifest_texts(p: &Path, out: &mut Vec<(String, String)>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                manifest_texts(&e, out);
            }
        }
    } else {
        let text =
            std::fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
        out.push((p.display().to_string(), text));
    }
}

/// One line per input: the Karpenter plan (verified; its broken kplan policies counted), the
/// exact plan (verified) and the saving.
fn karpenter(sizes: &[usize], backend: Backend, time_limit: f64, consolidate: bool) {
    let opts = KarpenterOptions { allocatable: Allocatable::Scenario, consolidate };
    for (name, scenario) in karpenter_inputs(sizes) {
        let clock = Wall::start();
        let k_cfg = SolveConfig {
            method: Method::Karpenter,
            time_limit: None,
            karpenter: opts,
            ..exact_config(backend, Some(time_limit), &clock)
        };
        let k_plan =
            solve(&scenario, &k_cfg).unwrap_or_else(|e| fail(&format!("{name}: karpenter: {e}")));
        let k_secs = clock.now();
        let named: Vec<String> =
            verify(&scenario, &k_plan).into_iter().map(|v| v.message).collect();
        let base = k_plan.solver.karpenter.clone().unwrap_or_else(|| fail("no baseline"));
        if named != base.violations {
            fail(&format!("{name}: the verifier's findings differ from the plan's: {named:?}"));
        }
        let clock = Wall::start();
        let cfg =
            SolveConfig { karpenter: opts, ..exact_config(backend, Some(time_limit), &clock) };
        let plan = solve(&scenario, &cfg).unwrap_or_else(|e| fail(&format!("{name}: exact: {e}")));
        let secs = clock.now();
        let violations = verify(&scenario, &plan);
        if !violations.is_empty() {
            fail(&format!("{name}: the exact plan fails verification: {:?}", violations[0]));
        }
        let k = k_plan.hourly().monthly();
        let ours = plan.hourly().monthly();
        let mut rules: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        for v in verify(&scenario, &k_plan) {
            *rules.entry(format!("{:?}", v.rule)).or_insert(0) += 1;
        }
        let rules: Vec<String> = rules.into_iter().map(|(r, n)| format!("{r}x{n}")).collect();
        println!(
            "karpenter input={name} pods={} karpenter_nodes={} karpenter_monthly={k:.2} exact_nodes={} exact_monthly={ours:.2} saving_monthly={:.2} saving_pct={:.1} status={} gap={:.4} karpenter_breaks={} karpenter_s={k_secs:.3} exact_s={secs:.3}",
            scenario.n_pods(),
            k_plan.nodes.len(),
            plan.nodes.len(),
            k - ours,
            if k > 0.0 { 100.0 * (k - ours) / k } else { 0.0 },
            plan.solver.status.as_str(),
            plan.gap().unwrap_or(1.0),
            if rules.is_empty() { "none".to_string() } else { rules.join("+") },
        );
    }
}

/// The engine's counters and its per-phase seconds, for `--stats`.
fn engine_stats(plan: &kplan_core::plan::Plan) -> String {
    match &plan.solver.stats {
        Some(s) => format!("{:?} seconds {:?}", s.counters(), s.seconds),
        None => "{}".to_string(),
    }
}
