//! Messages between the page and the solver's web worker, sent as JSON text.

use serde::{Deserialize, Serialize};

/// The worker's first message: it listens now. The page holds a job until then, because a
/// message posted while the worker's wasm still loads finds no handler and is lost.
pub const READY: &str = "ready";

/// A job for the worker. `id` ties its replies to it; the page ignores replies to older jobs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Increases with every job the page sends.
    pub id: u64,
    /// What to do.
    pub task: Task,
}

/// The work itself. Every task carries the scenario as YAML, exactly as it is planned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// Plan the scenario (exact engine, pure backend) with the four-way finance comparison,
    /// and its explanation when asked (as `kplan plan` does unless `--no-explain`).
    Plan {
        /// Scenario YAML.
        yaml: String,
        /// Seconds, or none for the engine's own (deterministic) work budgets.
        time_limit: Option<f64>,
        /// Explain the plan too (a re-solve per policy in force and for the costliest workloads).
        #[serde(default)]
        explain: bool,
    },
    /// Plan the base, every variant and every sweep point.
    Compare {
        /// Scenario YAML.
        yaml: String,
        /// Seconds per case, or none.
        time_limit: Option<f64>,
    },
    /// Plan the commitment for an hourly load profile (CSV `hour,scale`).
    Commit {
        /// Scenario YAML.
        yaml: String,
        /// The profile's CSV text.
        profile: String,
        /// Seconds per load level, or none.
        time_limit: Option<f64>,
    },
    /// Recommend requests from observed usage and plan the scenario before and after, as
    /// `kplan rightsize` does.
    Rightsize {
        /// Scenario YAML.
        yaml: String,
        /// The usage files (`kubectl top` text or the samples CSV).
        usage: Vec<UsageFile>,
        /// The strategy and its options.
        options: RightsizeOptions,
        /// Seconds for both plans together, or none.
        time_limit: Option<f64>,
    },
    /// Today's cluster from `kubectl get nodes` / `kubectl get pods -A` output: priced as
    /// `kplan current --cluster` does, planned as `kplan plan --cluster` does, and the plan
    /// exported in every format as `kplan export` writes it.
    Cluster {
        /// The `kubectl` output files (nodes, pods, controller objects; one file may hold all).
        files: Vec<UsageFile>,
        /// Seconds for the plan and its finance comparison, or none.
        time_limit: Option<f64>,
    },
}

/// An input file (usage, or `kubectl` output): its name (for the diagnostics'
/// file:line:column) and its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageFile {
    /// The file's name (or `pasted.txt`).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// What the right-sizing form chooses (every other setting takes the strategy's default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RightsizeOptions {
    /// `simple` or `percentile`.
    pub strategy: String,
    /// `remove-cpu`, `keep` or `keep-ratio`; none for the strategy's default.
    pub limits: Option<String>,
    /// `exact`, `friendly` or `CPU,MEMORY`; none for the strategy's default.
    pub rounding: Option<String>,
    /// The fewest samples to recommend from; none for the default (100).
    pub min_samples: Option<u64>,
    /// Right-size autoscaled workloads too.
    pub allow_hpa: bool,
}

impl RightsizeOptions {
    /// The form's starting point: krr's `simple`.
    pub fn simple() -> RightsizeOptions {
        RightsizeOptions {
            strategy: "simple".to_string(),
            limits: None,
            rounding: None,
            min_samples: None,
            allow_hpa: false,
        }
    }
}

/// A reply from the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The job's id.
    pub id: u64,
    /// What happened.
    pub body: ReplyBody,
}

/// One case of a comparison: its label and its plan (`kplan.plan/v1` JSON) or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// `base`, a variant's name, or `param = value`.
    pub label: String,
    /// The plan's JSON, or the reason it could not be planned.
    pub plan: Result<String, String>,
}

/// Today's cluster and its plan, as the CLI writes them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterReply {
    /// Today's cluster as `kplan current --cluster … --format json` writes it (`kplan.plan/v1`,
    /// the reading summary, warnings and what it breaks among its warnings).
    pub today: String,
    /// The plan as `kplan plan --cluster … --format json` writes it (finance included).
    pub plan: String,
    /// Today versus the plan: nodes, pods, $/month, utilisation, the saving, today by node pool,
    /// the diff by pool, purchase option and namespace (`kplan diff --format json`), the rules
    /// today breaks, pending, terminated and unplaced pods, unpriced nodes.
    pub versus: String,
    /// The plan exported in each format, in `Format::ALL` order.
    pub exports: Vec<ExportResult>,
}

/// One export format: the files `kplan export --format F` writes, or why it cannot export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportResult {
    /// `karpenter`, `eksctl`, `terraform`, `gke` or `aks`.
    pub format: String,
    /// The files (name and text), or the reason.
    pub files: Result<Vec<UsageFile>, String>,
}

/// What the worker says about a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReplyBody {
    /// Work in progress: `done` of `total` steps, and what is being done now.
    Progress {
        /// Steps finished.
        done: usize,
        /// Steps in all.
        total: usize,
        /// The step under way.
        label: String,
    },
    /// The plan, as `kplan plan --format json` writes it (finance included).
    Planned {
        /// `kplan.plan/v1` JSON.
        json: String,
    },
    /// Every case of the comparison, base first.
    Compared {
        /// The cases in order.
        cases: Vec<CaseResult>,
    },
    /// The right-sizing report and the right-sized scenario.
    Rightsized {
        /// `kplan.rightsize/v1` JSON.
        json: String,
        /// The right-sized scenario YAML, as `kplan rightsize --out` writes it.
        scenario_yaml: String,
    },
    /// Today's cluster, the plan of its workloads, today versus the plan, and the exports.
    Clustered(Box<ClusterReply>),
    /// The commitment plan.
    Committed {
        /// `kplan.commit/v1` JSON.
        json: String,
        /// The same report in Markdown.
        markdown: String,
    },
    /// No result: the scenario is infeasible or invalid, or the worker failed.
    Failed {
        /// What went wrong, one problem per line.
        message: String,
    },
}

impl Job {
    /// The job as the text posted to the worker.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("a value of plain data types (strings, numbers, maps with string keys) always serializes")
    }

    /// Reads a job posted by the page.
    pub fn from_text(text: &str) -> Result<Job, String> {
        serde_json::from_str(text).map_err(|e| format!("not a job: {e}"))
    }
}

impl Reply {
    /// The reply as the text posted to the page.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("a value of plain data types (strings, numbers, maps with string keys) always serializes")
    }

    /// Reads a reply posted by the worker.
    pub fn from_text(text: &str) -> Result<Reply, String> {
        serde_json::from_str(text).map_err(|e| format!("not a reply: {e}"))
    }
}
