//! Command-line arguments (clap derive): one subcommand per job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kplan: the cheapest set of Kubernetes nodes that runs your workloads, with a proven lower bound.
#[derive(Debug, Parser)]
#[command(name = "kplan", version, about, long_about = None, disable_help_subcommand = true)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
    /// Refuse input files larger than this many bytes (suffixes Ki, Mi and so on allowed; at
    /// most the readers' own cap of 64Mi, the default).
    #[arg(long, global = true, value_name = "BYTES", default_value = "64Mi", value_parser = parse_max_input)]
    pub max_input_size: u64,
    /// When to colour messages and help: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// When to colour output (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When the stream is a terminal and the `NO_COLOR` environment variable is unset or empty.
    #[default]
    Auto,
    /// Always, whatever the stream and `NO_COLOR`.
    Always,
    /// Never.
    Never,
}

impl ColorArg {
    /// Whether a stream gets colour: `always` and `never` decide alone; `auto` colours a
    /// terminal unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn colours(self, terminal: bool, no_color: bool) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal && !no_color,
        }
    }

    /// The `--color` choice among raw arguments, before clap parses them (so that clap's own
    /// errors are coloured as asked); the last one wins, and an unknown value is left to clap.
    pub fn scan<T: AsRef<std::ffi::OsStr>>(args: &[T]) -> ColorArg {
        let mut choice = ColorArg::Auto;
        let mut args = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned());
        while let Some(arg) = args.next() {
            if arg == "--" {
                break;
            }
            let value = match arg.strip_prefix("--color") {
                Some("") => args.next(),
                Some(rest) => rest.strip_prefix('=').map(str::to_string),
                None => None,
            };
            if let Some(c) = value.and_then(|v| ColorArg::from_str(&v, true).ok()) {
                choice = c;
            }
        }
        choice
    }
}

/// Parses `--max-input-size`: a byte quantity from 1 byte to the readers' cap.
fn parse_max_input(text: &str) -> Result<u64, String> {
    let cap = kplan_core::input::DEFAULT_MAX_INPUT_BYTES as u64;
    let bytes = kplan_core::quantity::Bytes::parse(text).map_err(|e| e.to_string())?.0;
    if bytes == 0 || bytes > cap {
        return Err(format!("expected 1 to {cap} bytes (64Mi), found {bytes}"));
    }
    Ok(bytes)
}

/// Subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
pub enum Command {
    /// Plan a scenario and/or Kubernetes manifests (-f): pools, nodes, cost, bound and gap.
    #[command(
        after_help = "Examples:\n  kplan plan data/examples/web-shop.yaml\n  kplan plan -f data/examples/manifests/shop-chart.yaml --provider aws --format json --out plan.json\n  kplan plan --cluster data/examples/cluster/gke/"
    )]
    Plan(PlanArgs),
    /// Write the kplan scenario equivalent to Kubernetes manifests (-f), to edit and keep in git.
    #[command(
        after_help = "Examples:\n  kplan import -f data/examples/manifests/shop-chart.yaml --provider aws --out shop.yaml\n  helm template shop ./chart | kplan import -f - --provider gcp"
    )]
    Import(ImportArgs),
    /// List instance types with prices, or rank them for one pod profile (--fit).
    #[command(
        after_help = "Examples:\n  kplan catalog --provider gcp --family n2\n  kplan catalog --fit 500m,1Gi --provider aws"
    )]
    Catalog(CatalogArgs),
    /// Plan the base, every variant and every sweep point of a scenario, and line them up.
    #[command(
        after_help = "Examples:\n  kplan compare data/examples/whatif-shop.yaml\n  kplan compare data/examples/whatif-shop.yaml --format html --out review.html"
    )]
    Compare(CompareArgs),
    /// What changed between two plans: pools, node counts, cost by purchase option and namespace.
    #[command(
        after_help = "Examples:\n  kplan diff before.json after.json\n  kplan diff today.json plan.json --format md --out diff.md"
    )]
    Diff(DiffArgs),
    /// Check a plan against its scenario; exit 1 and list every violation when it breaks a rule.
    #[command(
        after_help = "Examples:\n  kplan verify data/examples/web-shop.yaml plan.json\n  kplan verify -f data/examples/manifests/shop-chart.yaml plan.json"
    )]
    Verify(VerifyArgs),
    /// Write a commented example scenario.
    #[command(
        after_help = "Examples:\n  kplan init my-cluster.yaml\n  kplan init - > scenario.yaml"
    )]
    Init(InitArgs),
    /// Choose a reserved/committed baseline from an hourly demand profile.
    #[command(
        after_help = "Examples:\n  kplan commit data/examples/web-shop.yaml --profile data/examples/weekly-profile.csv\n  kplan commit data/examples/web-shop.yaml --profile data/examples/weekly-profile.csv --format markdown --out commit.md"
    )]
    Commit(CommitArgs),
    /// Recommend requests from observed usage, write the right-sized scenario, and plan before and after.
    #[command(
        after_help = "Examples:\n  kplan rightsize data/examples/web-shop.yaml --usage data/examples/usage/web-shop.csv --allow-hpa\n  kplan rightsize data/examples/web-shop.yaml --usage data/examples/usage/top/ --pods data/examples/usage/web-shop-pods.yaml --out right-sized.yaml"
    )]
    Rightsize(RightsizeArgs),
    /// Price today's cluster from `kubectl get nodes` and `kubectl get pods -A` output, and list what it breaks.
    #[command(
        after_help = "Examples:\n  kplan current --cluster data/examples/cluster/eks/\n  kplan current --cluster nodes.yaml pods.yaml --format json --out today.json"
    )]
    Current(CurrentArgs),
    /// Export a plan to the tools that provision nodes: Karpenter, eksctl, Terraform, gcloud, az.
    #[command(
        after_help = "Examples:\n  kplan export plan.json --format karpenter --out deploy/\n  kplan export plan.json --format terraform"
    )]
    Export(ExportArgs),
    /// Print a shell completion script: bash, zsh, fish or powershell.
    #[command(
        after_help = "Examples:\n  kplan completions bash > ~/.local/share/bash-completion/completions/kplan\n  kplan completions zsh > ~/.zfunc/_kplan"
    )]
    Completions(CompletionsArgs),
}

/// `kplan completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output formats of the commitment report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CommitFormat {
    /// A table for the terminal.
    Table,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
}

/// `kplan commit`.
#[derive(Debug, Args)]
pub struct CommitArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The demand profile: CSV `hour,scale`, one row per hour (168 for a week).
    #[arg(long, value_name = "LOAD.csv")]
    pub profile: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CommitFormat::Table)]
    pub format: CommitFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Packing method, backend and time limit.
    #[command(flatten)]
    pub solve: SolveArgs,
}

/// The solve flags every planning command shares: `--method`, `--backend`, `--time-limit`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Packing method.
    #[arg(long, value_enum, default_value_t = MethodArg::Exact)]
    pub method: MethodArg,
    /// LP/MILP backend of the exact method (and of the commitment program).
    #[arg(long, value_enum, default_value_t = BackendArg::Pure)]
    pub backend: BackendArg,
    /// Stop after this many seconds with the best plan so far; a command that makes several
    /// plans (plan's finance comparison and explanation, compare's cases, commit's levels,
    /// rightsize's two plans) shares it among them.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// Output formats of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A table for the terminal.
    Table,
    /// `kplan.plan/v1` JSON.
    Json,
    /// The same as YAML.
    Yaml,
    /// CSV of the pools, for spreadsheets.
    Csv,
    /// Markdown, with the charts as SVG files beside it (with --out).
    Md,
    /// One self-contained HTML page with inline SVG charts.
    Html,
}

/// Output formats of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// A table for the terminal.
    Table,
    /// `kplan.compare/v1` JSON.
    Json,
    /// CSV, one row per case.
    Csv,
    /// Markdown, with the charts as SVG files beside it (with --out).
    Md,
    /// One self-contained HTML page with inline SVG charts.
    Html,
}

/// Output formats of a plan diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for the terminal.
    Table,
    /// Markdown (for a pull-request comment).
    Md,
    /// `kplan.diff/v1` JSON.
    Json,
}

/// `kplan compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario file, with `variants:` and/or `sweeps:` (`-` reads stdin).
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write the output to this file instead of stdout (Markdown also writes its SVG charts beside it).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Packing method, backend and time limit.
    #[command(flatten)]
    pub solve: SolveArgs,
    /// The Karpenter model.
    #[command(flatten)]
    pub karpenter: KarpenterArgs,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `kplan diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old plan (`kplan.plan/v1` JSON).
    pub old: PathBuf,
    /// The new plan (`kplan.plan/v1` JSON).
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Packing method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Column generation with a proven lower bound.
    Exact,
    /// First-fit decreasing (the greedy baseline).
    Ffd,
    /// What Karpenter would launch: a model of its provisioning pass (and, with
    /// --karpenter-consolidate, its consolidation).
    Karpenter,
}

/// Which allocatable the Karpenter model packs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KarpenterAllocatableArg {
    /// The scenario's overhead profile (like for like with kplan's plan).
    Scenario,
    /// Karpenter's AWS provider estimate (7.5% VM memory overhead, its kube-reserved and eviction).
    KarpenterAws,
}

/// How the Karpenter model runs (shared by plan and compare).
#[derive(Debug, Args)]
pub struct KarpenterArgs {
    /// Let the Karpenter model consolidate after provisioning (single- and multi-node, as its
    /// disruption controller decides).
    #[arg(long)]
    pub karpenter_consolidate: bool,
    /// The allocatable the Karpenter model packs against.
    #[arg(long, value_enum, default_value_t = KarpenterAllocatableArg::Scenario, value_name = "MODEL")]
    pub karpenter_allocatable: KarpenterAllocatableArg,
}

impl KarpenterArgs {
    /// The core's options.
    pub fn options(&self) -> kplan_core::solve::karpenter::KarpenterOptions {
        use kplan_core::solve::karpenter::{Allocatable, KarpenterOptions};
        KarpenterOptions {
            allocatable: match self.karpenter_allocatable {
                KarpenterAllocatableArg::Scenario => Allocatable::Scenario,
                KarpenterAllocatableArg::KarpenterAws => Allocatable::KarpenterAws,
            },
            consolidate: self.karpenter_consolidate,
        }
    }
}

/// LP/MILP backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    /// Pure Rust (clarabel + microlp), always available.
    Pure,
    /// HiGHS (needs the `highs` cargo feature).
    Highs,
}

/// Replicas of autoscaled workloads in manifests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReplicasArg {
    /// `spec.replicas`, within the HorizontalPodAutoscaler's bounds.
    Current,
    /// The HorizontalPodAutoscaler's minReplicas.
    Min,
    /// The HorizontalPodAutoscaler's maxReplicas.
    Peak,
}

/// Kubernetes manifests as input (shared by plan, verify and import).
#[derive(Debug, Args)]
pub struct ManifestArgs {
    /// Kubernetes manifests: a file, a directory (recursively: *.yaml, *.yml, *.json) or - for stdin; repeatable.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Provider when no scenario is given: aws, gcp or azure.
    #[arg(long)]
    pub provider: Option<String>,
    /// Region when no scenario is given (default: us-east-1, us-central1, eastus).
    #[arg(long)]
    pub region: Option<String>,
    /// Namespace of manifests that name none.
    #[arg(long, default_value = "default")]
    pub namespace: String,
    /// Annotation or label key naming a workload's owner, checked before owner, team and app.kubernetes.io/part-of.
    #[arg(long, value_name = "KEY")]
    pub owner_key: Option<String>,
    /// Replicas of workloads with a HorizontalPodAutoscaler.
    #[arg(long, value_enum, default_value_t = ReplicasArg::Current)]
    pub replicas: ReplicasArg,
    /// Plan one-shot Jobs and Helm hook Jobs and Pods as if they ran for good (they are reported and left out otherwise).
    #[arg(long)]
    pub include_jobs: bool,
    /// Headroom policy, overriding the scenario's (default node): none, node (survive losing any node) or zone.
    #[arg(long, value_enum, value_name = "POLICY")]
    pub headroom: Option<HeadroomArg>,
}

/// The headroom policy on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HeadroomArg {
    /// No spare capacity.
    None,
    /// After losing any one node, every pod still fits on the rest.
    Node,
    /// After losing any one zone, every pod still fits on the rest.
    Zone,
}

/// `kplan plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The scenario file (`-` reads stdin); optional with -f, where it supplies policies, catalog and extra workloads.
    pub scenario: Option<PathBuf>,
    /// Manifests.
    #[command(flatten)]
    pub manifests: ManifestArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Packing method, backend and time limit.
    #[command(flatten)]
    pub solve: SolveArgs,
    /// The Karpenter model.
    #[command(flatten)]
    pub karpenter: KarpenterArgs,
    /// No progress spinner.
    #[arg(long, short)]
    pub quiet: bool,
    /// Plan this variant or sweep point of the scenario (its name, or `param = value`) instead of the base.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
    /// Skip the four-way reserved-versus-spot comparison (four more solves).
    #[arg(long)]
    pub no_finance: bool,
    /// Skip the explanation: what each policy in force costs, marginal costs, what drives the
    /// node count (a re-solve per policy in force and for the three costliest workloads).
    #[arg(long)]
    pub no_explain: bool,
    /// Plan today's cluster read from `kubectl get nodes/pods` output (files, directories or -),
    /// and show today versus the plan.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub cluster: Vec<PathBuf>,
}

/// Catalog output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// A table for the terminal.
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
}

/// `kplan catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Provider (aws, gcp, azure); repeat for several; default all three.
    #[arg(long)]
    pub provider: Vec<String>,
    /// Region (default: us-east-1, us-central1, eastus).
    #[arg(long)]
    pub region: Option<String>,
    /// Instance family (repeatable).
    #[arg(long)]
    pub family: Vec<String>,
    /// Instance type name glob (repeatable), e.g. "m7i.*".
    #[arg(long = "type")]
    pub instance_type: Vec<String>,
    /// Architecture: amd64 or arm64.
    #[arg(long)]
    pub arch: Option<String>,
    /// Category: general, compute, memory, burstable, gpu, storage.
    #[arg(long)]
    pub category: Option<String>,
    /// Smallest vCPU count (a CPU quantity: 4, 0.5).
    #[arg(long, value_name = "CPU")]
    pub min_cpu: Option<String>,
    /// Smallest memory (a quantity: 16Gi).
    #[arg(long, value_name = "MEMORY")]
    pub min_memory: Option<String>,
    /// Rank types for one pod profile, e.g. --fit 500m,1Gi: pods per node and cost per pod.
    #[arg(long, value_name = "CPU,MEMORY")]
    pub fit: Option<String>,
    /// Overhead profile for --fit (default: each provider's own).
    #[arg(long)]
    pub overhead: Option<String>,
    /// Show at most this many rows (table format).
    #[arg(long, default_value_t = 40)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `kplan verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// `[SCENARIO] PLAN`: the scenario file (optional with -f) and the plan (`kplan.plan/v1` JSON).
    #[arg(num_args = 1..=2, required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Manifests, as given to `kplan plan`.
    #[command(flatten)]
    pub manifests: ManifestArgs,
    /// Check the plan against today's cluster read from `kubectl` output (as `kplan current --cluster`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub cluster: Vec<PathBuf>,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Karpenter v1 NodePools (AWS, Azure).
    Karpenter,
    /// An eksctl ClusterConfig with managed node groups (AWS).
    Eksctl,
    /// Terraform node-pool resources (EKS, GKE, AKS).
    Terraform,
    /// `gcloud container node-pools create` commands (GKE).
    Gke,
    /// `az aks nodepool add` commands (AKS).
    Aks,
}

/// `kplan export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan (`kplan.plan/v1` JSON, as `kplan plan --format json` writes it).
    pub plan: PathBuf,
    /// What to export to.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write the files into this directory (created if missing) instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The cluster's name in the exported configuration.
    #[arg(long, default_value = "kplan")]
    pub cluster_name: String,
    /// Room above the plan for node groups' maximum and NodePools' limits, as a fraction.
    #[arg(long, default_value_t = 0.2)]
    pub headroom: f64,
    /// The node class Karpenter NodePools refer to.
    #[arg(long, default_value = "default")]
    pub node_class: String,
}

/// `kplan current`.
#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// A scenario whose policies, catalog filter and pricing apply (default: SPEC defaults in the cluster's region).
    pub scenario: Option<PathBuf>,
    /// `kubectl get nodes -o yaml|json` and `kubectl get pods -A -o yaml|json` output: files, directories or - (stdin).
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub cluster: Vec<PathBuf>,
    /// Controller objects given with the pods (`--replicas`, `--owner-key`), and the provider and region
    /// when the nodes do not say.
    #[command(flatten)]
    pub manifests: ManifestArgs,
    /// Output format: a table, or today's cluster as a `kplan.plan/v1` document.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `kplan import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Manifests.
    #[command(flatten)]
    pub manifests: ManifestArgs,
    /// The scenario's name.
    #[arg(long, default_value = "imported")]
    pub name: String,
    /// Write the scenario to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `kplan init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the scenario (default: scenario.yaml; `-` writes to stdout).
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Right-sizing strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// krr's simple: CPU at the largest per-pod p95, memory at the peak + 15%, no CPU limit.
    Simple,
    /// Chosen percentiles of all samples: CPU p95 and memory p99 + 15% by default.
    Percentile,
}

/// What happens to limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LimitsArg {
    /// No CPU limit; memory limit = the new memory request (krr's).
    RemoveCpu,
    /// Limits as they are (raised to a new request that passes them).
    Keep,
    /// Each limit keeps its ratio to its request.
    KeepRatio,
}

/// Output formats of the right-sizing report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RightsizeFormat {
    /// A table for the terminal.
    Table,
    /// `kplan.rightsize/v1` JSON.
    Json,
    /// Markdown, with the charts as SVG files beside it (with --report).
    Md,
    /// One self-contained HTML page with inline SVG charts.
    Html,
}

/// `kplan rightsize`.
#[derive(Debug, Args)]
pub struct RightsizeArgs {
    /// The scenario file; optional with -f, where it supplies policies, catalog and extra workloads.
    pub scenario: Option<PathBuf>,
    /// Manifests.
    #[command(flatten)]
    pub manifests: ManifestArgs,
    /// Observed usage: `kubectl top pods -A --containers` output (one snapshot or several per
    /// file) or a CSV `timestamp,namespace,pod,container,cpu,memory`; a file, a directory or -;
    /// several after one flag, or the flag repeated.
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    pub usage: Vec<PathBuf>,
    /// The pods' YAML or JSON (`kubectl get pods,replicasets,jobs -A -o yaml`): their
    /// ownerReferences decide which workload each pod belongs to; repeatable.
    #[arg(long, value_name = "PATH")]
    pub pods: Vec<PathBuf>,
    /// The recommendation strategy.
    #[arg(long, value_enum, default_value_t = StrategyArg::Simple)]
    pub strategy: StrategyArg,
    /// CPU percentile (default 95).
    #[arg(long, value_name = "P")]
    pub cpu_percentile: Option<String>,
    /// Memory percentile, for --strategy percentile (default 99; simple takes the peak).
    #[arg(long, value_name = "P")]
    pub memory_percentile: Option<String>,
    /// Added to the memory statistic (default 15%).
    #[arg(long, value_name = "MARGIN")]
    pub memory_margin: Option<String>,
    /// The smallest CPU request recommended (default 10m).
    #[arg(long, value_name = "CPU")]
    pub min_cpu: Option<String>,
    /// The smallest memory request recommended (default 100Mi).
    #[arg(long, value_name = "MEMORY")]
    pub min_memory: Option<String>,
    /// Rounding up: exact (1m, 1Mi), friendly (steps that grow with the amount) or CPU,MEMORY
    /// steps such as 50m,64Mi (default: exact for simple, friendly for percentile).
    #[arg(long, value_name = "ROUNDING")]
    pub round: Option<String>,
    /// Limits policy (default: remove-cpu for simple, keep-ratio for percentile).
    #[arg(long, value_enum)]
    pub limits: Option<LimitsArg>,
    /// Fewest samples per resource (over all of a container's pods) to recommend from (default 100).
    #[arg(long, value_name = "N")]
    pub min_samples: Option<u64>,
    /// Right-size workloads with an autoscaler too (their HPA targets are relative to requests).
    #[arg(long)]
    pub allow_hpa: bool,
    /// Write the right-sized scenario to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = RightsizeFormat::Table)]
    pub format: RightsizeFormat,
    /// Write the report to this file instead of stdout (Markdown writes its SVG charts beside it).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Packing method, backend and time limit.
    #[command(flatten)]
    pub solve: SolveArgs,
    /// No progress spinner.
    #[arg(long, short)]
    pub quiet: bool,
}
