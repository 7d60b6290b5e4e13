//! The app's state and its reducer. Pure: no browser calls, so it is tested natively.
//!
//! The scenario lives as a document (the scenario YAML read into a JSON value). Every edit
//! changes the document at a field path, then the whole document is checked by the same reader
//! `kplan plan` uses; its problems are shown by field path. Imports are checked in their own
//! text, so their problems carry the file's line:column.

use std::rc::Rc;

use kplan_core::catalog::Provider;
use kplan_core::catalog::default_region;
use kplan_core::diag::Diagnostic;
use kplan_core::examples::{EXAMPLES, example};
use kplan_core::input::document::{
    document_yaml, import_manifests, looks_like_manifests, scenario_document,
};
use kplan_core::input::manifests::default_options;
use kplan_core::input::scenario::read_study;
use kplan_core::input::usage::{UsageSource, read_usage};
use kplan_core::report::json::commit::CommitDto;
use kplan_core::report::json::plan::PlanDto;
use kplan_core::whatif::Study;
use serde_json::{Map, Value, json};

use crate::protocol::{
    CaseResult, ClusterReply, ExportResult, Job, Reply, ReplyBody, RightsizeOptions, Task,
    UsageFile,
};

/// The example a fresh page starts with.
pub const FIRST_EXAMPLE: &str = "web-shop.yaml";

/// The weekly load profile shipped with the examples, the commitment planner's starting point.
pub const WEEKLY_PROFILE: &str = include_str!("../../data/examples/weekly-profile.csv");

/// The page's views, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The workloads table, import and export.
    Workloads,
    /// Provider, region, catalog filters, purchase options and policies.
    Catalog,
    /// The plan: cost, bound, pools, packing.
    Plan,
    /// On-demand, reserved, spot and the blend; allocation; the commitment planner.
    Finance,
    /// Variants and sweeps side by side.
    WhatIf,
    /// Requests from observed usage, the plans before and after.
    Rightsize,
    /// Today's cluster from `kubectl` output versus its plan, and the plan's exports.
    Cluster,
}

impl View {
    /// Every view in tab order.
    pub const ALL: [View; 7] = [
        View::Workloads,
        View::Catalog,
        View::Plan,
        View::Finance,
        View::WhatIf,
        View::Rightsize,
        View::Cluster,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Workloads => "Workloads",
            View::Catalog => "Catalog & policies",
            View::Plan => "Plan",
            View::Finance => "Finance",
            View::WhatIf => "What-if",
            View::Rightsize => "Right-size",
            View::Cluster => "Today's cluster",
        }
    }

    /// A stable id for the tab (`tab-plan`).
    pub fn id(self) -> &'static str {
        match self {
            View::Workloads => "workloads",
            View::Catalog => "catalog",
            View::Plan => "plan",
            View::Finance => "finance",
            View::WhatIf => "whatif",
            View::Rightsize => "rightsize",
            View::Cluster => "cluster",
        }
    }
}

/// Which job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// Plan with finance.
    Plan,
    /// Compare the variants and sweeps.
    Compare,
    /// The commitment planner.
    Commit,
    /// Right-sizing from the usage files.
    Rightsize,
    /// Today's cluster from the `kubectl` files, planned and exported.
    Cluster,
}

/// A problem with the document, by field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `workloads[2].requests.cpu`, when the reader named one.
    pub path: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A job in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    /// The job's id.
    pub id: u64,
    /// What it does.
    pub kind: JobKind,
    /// The scenario YAML it plans.
    pub yaml: String,
    /// Progress: steps done, steps in all, the step under way.
    pub done: usize,
    /// Steps in all (0 until the worker says).
    pub total: usize,
    /// The step under way.
    pub label: String,
}

/// A finished plan.
pub struct PlanResult {
    /// The scenario YAML that was planned.
    pub yaml: String,
    /// `kplan.plan/v1` JSON, as the CLI writes it.
    pub json: String,
    /// The same, read into the schema's types.
    pub plan: PlanDto,
}

// The plan is read from `json`: comparing and showing the texts covers it.
impl PartialEq for PlanResult {
    fn eq(&self, other: &PlanResult) -> bool {
        self.yaml == other.yaml && self.json == other.json
    }
}

impl std::fmt::Debug for PlanResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanResult").field("yaml", &self.yaml).field("json", &self.json).finish()
    }
}

/// A finished comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareResult {
    /// The scenario YAML whose cases were planned.
    pub yaml: String,
    /// The cases, base first.
    pub cases: Vec<CaseResult>,
}

/// A finished commitment plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitResult {
    /// `kplan.commit/v1`, read into its types.
    pub report: CommitDto,
    /// The report in Markdown (for export).
    pub markdown: String,
}

/// A finished right-sizing.
#[derive(Clone, Debug, PartialEq)]
pub struct RightsizeResult {
    /// `kplan.rightsize/v1`, parsed.
    pub value: Value,
    /// The same as text (for export).
    pub json: String,
    /// The right-sized scenario YAML.
    pub scenario_yaml: String,
}

/// Today's cluster, its plan, today versus the plan and the exports.
pub struct ClusterResult {
    /// Today's cluster (`kplan current --cluster … --format json`), read into the plan schema's types.
    pub today: PlanDto,
    /// The same as text (for download).
    pub today_json: String,
    /// The plan (`kplan plan --cluster … --format json`), read into the plan schema's types.
    pub plan: PlanDto,
    /// The same as text (for download).
    pub plan_json: String,
    /// Today versus the plan (see [`crate::protocol::ClusterReply::versus`]), parsed.
    pub versus: Value,
    /// Each format's files or why it cannot export.
    pub exports: Vec<ExportResult>,
}

// `today` and `plan` are read from their texts: comparing and showing the texts covers them.
impl PartialEq for ClusterResult {
    fn eq(&self, other: &ClusterResult) -> bool {
        (&self.today_json, &self.plan_json, &self.versus, &self.exports)
            == (&other.today_json, &other.plan_json, &other.versus, &other.exports)
    }
}

impl std::fmt::Debug for ClusterResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterResult")
            .field("today_json", &self.today_json)
            .field("plan_json", &self.plan_json)
            .field("versus", &self.versus)
            .field("exports", &self.exports)
            .finish()
    }
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The scenario document.
    pub doc: Value,
    /// Where the document came from (an example's or a file's name).
    pub source: String,
    /// Increases with every change of the document.
    pub revision: u64,
    /// The document checked by the scenario reader: the scenario, or its problems.
    pub checked: Result<Rc<Study>, Vec<Problem>>,
    /// Notes from the last import (what was read, what was skipped) and the reader's warnings.
    pub notes: Vec<String>,
    /// Problems of the last import, each with its file and line:column; the document is unchanged.
    pub import_errors: Vec<String>,
    /// The view shown.
    pub view: View,
    /// The id the next job gets.
    pub next_job: u64,
    /// Increases whenever the worker must be stopped and replaced (cancel, or a new job while one runs).
    pub worker_generation: u64,
    /// The job in flight.
    pub running: Option<Running>,
    /// The last plan, or why it failed.
    pub plan: Option<Result<Rc<PlanResult>, String>>,
    /// The last comparison, or why it failed.
    pub compare: Option<Result<Rc<CompareResult>, String>>,
    /// The last commitment plan, or why it failed.
    pub commit: Option<Result<Rc<CommitResult>, String>>,
    /// The load profile (CSV `hour,scale`) for the commitment planner.
    pub profile: String,
    /// Seconds for a job (a plan with its finance comparison), or none for the engine's deterministic budgets.
    pub time_limit: Option<f64>,
    /// Plans are explained (the Explain panel asked for it; it stays on until turned off).
    pub explain: bool,
    /// Usage files for right-sizing, each checked when added.
    pub usage: Vec<UsageFile>,
    /// Problems of the last usage file added (not added), each with its file:line:column.
    pub usage_errors: Vec<String>,
    /// Notes of the usage read so far (rows skipped, columns not used).
    pub usage_notes: Vec<String>,
    /// The right-sizing form.
    pub rightsize_options: RightsizeOptions,
    /// The last right-sizing, or why it failed.
    pub rightsize: Option<Result<Rc<RightsizeResult>, String>>,
    /// Today's cluster: `kubectl get nodes` / `get pods -A` output (and controller objects).
    pub cluster_files: Vec<UsageFile>,
    /// A `kubectl` file that could not be read.
    pub cluster_errors: Vec<String>,
    /// Today's cluster and its plan, or why they could not be made.
    pub cluster: Option<Result<Rc<ClusterResult>, String>>,
}

/// What can happen to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the document with an embedded example.
    LoadExample(String),
    /// Paste or drop: a kplan scenario replaces the document; Kubernetes manifests replace its
    /// workloads and DaemonSets. On errors nothing changes and the errors are shown.
    Import {
        /// The file's name (or `pasted.yaml`).
        name: String,
        /// Its text.
        text: String,
    },
    /// A file could not be read; nothing changes.
    ImportFailed(String),
    /// Set (or with `None` remove) the value at a dotted field path (`workloads.2.requests.cpu`,
    /// `policy.spot.max_share`); numeric segments index lists.
    Set {
        /// The path.
        path: String,
        /// The new value.
        value: Option<Value>,
    },
    /// Switch provider: its default region, one zone, the managed overhead, no family filter.
    SetProvider(String),
    /// Switch region within the provider (zones follow).
    SetRegion(String),
    /// Append a new workload.
    AddWorkload,
    /// Copy a workload under a new name, just after it.
    DuplicateWorkload(usize),
    /// Delete a workload.
    DeleteWorkload(usize),
    /// Show a view.
    SetView(View),
    /// Replace the load profile text.
    SetProfile(String),
    /// Set the time limit.
    SetTimeLimit(Option<f64>),
    /// Explain plans (or stop); turning it on re-plans the document with its explanation.
    SetExplain(bool),
    /// Add a usage file (pasted, chosen or dropped); one with errors is not added and its
    /// errors are shown.
    AddUsage {
        /// The file's name (or `pasted.txt`).
        name: String,
        /// Its text.
        text: String,
    },
    /// A usage file could not be read.
    UsageFailed(String),
    /// Remove the usage file at this index.
    RemoveUsage(usize),
    /// Set the right-sizing form.
    SetRightsizeOptions(RightsizeOptions),
    /// Replace the document with the last right-sized scenario.
    UseRightsized,
    /// Add `kubectl` output files (pasted, chosen or dropped; a file of the same name is
    /// replaced), then price today's cluster and plan it.
    AddClusterFiles(Vec<UsageFile>),
    /// A `kubectl` file could not be read.
    ClusterFailed(String),
    /// Remove the `kubectl` file at this index (the rest is priced and planned again).
    RemoveClusterFile(usize),
    /// Start a job on the current document (a job in flight is abandoned).
    Start(JobKind),
    /// A reply from the worker.
    Reply(Reply),
    /// Stop the job in flight.
    Cancel,
    /// The worker died (a panic in the solver); the job in flight fails with this message.
    WorkerFailed(String),
}

/// The worker's cluster reply with its JSON texts parsed.
fn cluster_result(r: ClusterReply) -> Result<ClusterResult, String> {
    fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| format!("unreadable {what}: {e}"))
    }
    Ok(ClusterResult {
        today: parse(&r.today, "today's cluster")?,
        plan: parse(&r.plan, "plan")?,
        versus: parse(&r.versus, "comparison")?,
        today_json: r.today,
        plan_json: r.plan,
        exports: r.exports,
    })
}

impl State {
    /// A state holding an embedded example.
    pub fn with_example(file: &str) -> State {
        let mut s = State::empty();
        s.apply(Action::LoadExample(file.to_string()));
        s
    }

    /// A state restored from stored or linked scenario text; `None` when the text is not a valid
    /// scenario (the caller then starts from an example).
    pub fn restored(text: &str, source: &str) -> Option<State> {
        let doc = scenario_document(text, source).output.ok()?;
        let mut s = State::empty();
        s.doc = doc;
        s.source = source.to_string();
        s.check();
        Some(s)
    }

    fn empty() -> State {
        State {
            doc: json!({}),
            source: String::new(),
            revision: 0,
            checked: Err(Vec::new()),
            notes: Vec::new(),
            import_errors: Vec::new(),
            view: View::Plan,
            next_job: 1,
            worker_generation: 0,
            running: None,
            plan: None,
            compare: None,
            commit: None,
            profile: WEEKLY_PROFILE.to_string(),
            time_limit: None,
            explain: false,
            usage: Vec::new(),
            usage_errors: Vec::new(),
            usage_notes: Vec::new(),
            rightsize_options: RightsizeOptions::simple(),
            rightsize: None,
            cluster_files: Vec::new(),
            cluster_errors: Vec::new(),
            cluster: None,
        }
    }

    /// The document as scenario YAML.
    pub fn yaml(&self) -> String {
        document_yaml(&self.doc)
    }

    /// The workloads in the document.
    pub fn workloads(&self) -> &[Value] {
        self.doc.get("workloads").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }

    /// The value at a dotted path, if any.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.doc, |v, seg| match v {
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?),
            Value::Object(m) => m.get(seg),
            _ => None,
        })
    }

    /// The job the worker should run for the job in flight.
    pub fn job(&self) -> Option<Job> {
        let r = self.running.as_ref()?;
        let (yaml, time_limit) = (r.yaml.clone(), self.time_limit);
        let task = match r.kind {
            JobKind::Plan => Task::Plan { yaml, time_limit, explain: self.explain },
            JobKind::Compare => Task::Compare { yaml, time_limit },
            JobKind::Commit => Task::Commit { yaml, profile: self.profile.clone(), time_limit },
            JobKind::Rightsize => Task::Rightsize {
                yaml,
                usage: self.usage.clone(),
                options: self.rightsize_options.clone(),
                time_limit,
            },
            JobKind::Cluster => Task::Cluster { files: self.cluster_files.clone(), time_limit },
        };
        Some(Job { id: r.id, task })
    }

    /// Applies an action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::LoadExample(file) => match example(&file) {
                Some(e) => match scenario_document(e.text, e.file).output {
                    Ok(doc) => self.replace(doc, e.file, Vec::new()),
                    Err(errors) => self.import_errors = lines(&errors),
                },
                None => {
                    let names: Vec<&str> = EXAMPLES.iter().map(|e| e.file).collect();
                    self.import_errors =
                        vec![format!("no example {file:?}; expected one of {}", names.join(", "))];
                }
            },
            Action::Import { name, text } => self.import(&name, &text),
            Action::ImportFailed(message) => self.import_errors = vec![message],
            Action::Set { path, value } => {
                set_path(&mut self.doc, &path, value);
                self.changed();
            }
            Action::SetProvider(p) => {
                let Ok(provider) = p.parse::<Provider>() else { return };
                let obj = self.object();
                obj.insert("provider".into(), json!(provider.to_string()));
                obj.insert("region".into(), json!(default_region(provider)));
                for key in ["zones", "overhead", "control_plane"] {
                    obj.remove(key);
                }
                if let Some(Value::Object(c)) = obj.get_mut("catalog") {
                    c.remove("families");
                    c.remove("instance_types");
                }
                self.changed();
            }
            Action::SetRegion(region) => {
                let obj = self.object();
                obj.insert("region".into(), json!(region));
                obj.remove("zones");
                self.changed();
            }
            Action::AddWorkload => {
                let names = self.names();
                let name = unique("workload", &names);
                self.list("workloads").push(json!({
                    "name": name,
                    "namespace": "default",
                    "replicas": 1,
                    "requests": {"cpu": "500m", "memory": "512Mi"},
                }));
                self.changed();
            }
            Action::DuplicateWorkload(i) => {
                let names = self.names();
                let list = self.list("workloads");
                if let Some(mut w) = list.get(i).cloned() {
                    let base = w.get("name").and_then(Value::as_str).unwrap_or("workload");
                    w["name"] = json!(unique(&format!("{base}-copy"), &names));
                    list.insert(i + 1, w);
                    self.changed();
                }
            }
            Action::DeleteWorkload(i) => {
                let list = self.list("workloads");
                if i < list.len() {
                    list.remove(i);
                    self.changed();
                }
            }
            Action::SetView(v) => self.view = v,
            Action::SetProfile(p) => self.profile = p,
            Action::SetTimeLimit(t) => self.time_limit = t.filter(|t| t.is_finite() && *t > 0.0),
            Action::SetExplain(on) => {
                self.explain = on;
                if on && self.checked.is_ok() {
                    self.apply(Action::Start(JobKind::Plan));
                }
            }
            Action::AddUsage { name, text } => self.add_usage(name, text),
            Action::UsageFailed(message) => self.usage_errors = vec![message],
            Action::RemoveUsage(i) => {
                if i < self.usage.len() {
                    self.usage.remove(i);
                    self.usage_errors.clear();
                    self.usage_notes.clear();
                }
            }
            Action::SetRightsizeOptions(o) => self.rightsize_options = o,
            Action::UseRightsized => {
                if let Some(Ok(r)) = self.rightsize.clone() {
                    let read = scenario_document(&r.scenario_yaml, "right-sized.yaml");
                    match read.output {
                        Ok(doc) => {
                            self.replace(doc, "right-sized.yaml", lines(&read.warnings));
                            self.view = View::Plan;
                        }
                        Err(errors) => self.import_errors = lines(&errors),
                    }
                }
            }
            Action::AddClusterFiles(files) => {
                self.cluster_errors.clear();
                for f in files {
                    self.cluster_files.retain(|g| g.name != f.name);
                    self.cluster_files.push(f);
                }
                self.apply(Action::Start(JobKind::Cluster));
            }
            Action::ClusterFailed(message) => self.cluster_errors = vec![message],
            Action::RemoveClusterFile(i) => {
                if i < self.cluster_files.len() {
                    self.cluster_files.remove(i);
                    self.cluster_errors.clear();
                    self.cluster = None;
                    if !self.cluster_files.is_empty() {
                        self.apply(Action::Start(JobKind::Cluster));
                    } else if self.running.as_ref().is_some_and(|r| r.kind == JobKind::Cluster) {
                        self.apply(Action::Cancel);
                    }
                }
            }
            Action::Start(kind) => {
                if self.running.is_some() {
                    self.worker_generation += 1;
                }
                let id = self.next_job;
                self.next_job += 1;
                let label = match kind {
                    JobKind::Plan => "planning",
                    JobKind::Compare => "planning every case",
                    JobKind::Commit => "planning the commitment",
                    JobKind::Rightsize => "right-sizing",
                    JobKind::Cluster => "reading and planning today's cluster",
                };
                self.running = Some(Running {
                    id,
                    kind,
                    yaml: self.yaml(),
                    done: 0,
                    total: 0,
                    label: label.to_string(),
                });
            }
            Action::Reply(reply) => self.reply(reply),
            Action::Cancel => {
                if self.running.take().is_some() {
                    self.worker_generation += 1;
                }
            }
            Action::WorkerFailed(message) => {
                if let Some(r) = self.running.take() {
                    self.worker_generation += 1;
                    self.finish(r.kind, Err(format!("the solver stopped: {message}")));
                }
            }
        }
    }

    fn reply(&mut self, reply: Reply) {
        let Some(running) = self.running.as_mut().filter(|r| r.id == reply.id) else {
            return; // a reply to an abandoned job
        };
        let kind = running.kind;
        let yaml = running.yaml.clone();
        match reply.body {
            ReplyBody::Progress { done, total, label } => {
                running.done = done;
                running.total = total;
                running.label = label;
            }
            ReplyBody::Planned { json } => {
                self.running = None;
                let result = serde_json::from_str(&json)
                    .map(|plan| Rc::new(PlanResult { yaml, json, plan }))
                    .map_err(|e| format!("unreadable plan: {e}"));
                self.plan = Some(result);
            }
            ReplyBody::Compared { cases } => {
                self.running = None;
                self.compare = Some(Ok(Rc::new(CompareResult { yaml, cases })));
            }
            ReplyBody::Committed { json, markdown } => {
                self.running = None;
                let result = serde_json::from_str::<CommitDto>(&json)
                    .map(|report| Rc::new(CommitResult { report, markdown }))
                    .map_err(|e| format!("unreadable commitment report: {e}"));
                self.commit = Some(result);
            }
            ReplyBody::Rightsized { json, scenario_yaml } => {
                self.running = None;
                let result = serde_json::from_str(&json)
                    .map(|value| Rc::new(RightsizeResult { value, json, scenario_yaml }))
                    .map_err(|e| format!("unreadable right-sizing report: {e}"));
                self.rightsize = Some(result);
            }
            ReplyBody::Clustered(reply) => {
                self.running = None;
                self.cluster = Some(cluster_result(*reply).map(Rc::new));
            }
            ReplyBody::Failed { message } => {
                self.running = None;
                self.finish(kind, Err(message));
            }
        }
    }

    fn finish(&mut self, kind: JobKind, failed: Result<(), String>) {
        let Err(message) = failed else { return };
        match kind {
            JobKind::Plan => self.plan = Some(Err(message)),
            JobKind::Compare => self.compare = Some(Err(message)),
            JobKind::Commit => self.commit = Some(Err(message)),
            JobKind::Rightsize => self.rightsize = Some(Err(message)),
            JobKind::Cluster => self.cluster = Some(Err(message)),
        }
    }

    /// Checks a usage file on its own: added when it reads, else its errors are shown.
    fn add_usage(&mut self, name: String, text: String) {
        let read = read_usage(&[UsageSource { name: &name, text: &text }]);
        match read.output {
            Ok(_) => {
                self.usage_errors.clear();
                self.usage_notes = lines(&read.warnings);
                // The same name again replaces the file.
                self.usage.retain(|u| u.name != name);
                self.usage.push(UsageFile { name, text });
            }
            Err(errors) => self.usage_errors = lines(&errors),
        }
    }

    fn import(&mut self, name: &str, text: &str) {
        if looks_like_manifests(text) {
            let provider = self
                .get("provider")
                .and_then(Value::as_str)
                .and_then(|p| p.parse::<Provider>().ok())
                .filter(|p| *p != Provider::Custom)
                .unwrap_or(Provider::Aws);
            let region = self
                .get("region")
                .and_then(Value::as_str)
                .map_or_else(|| default_region(provider).to_string(), str::to_string);
            match import_manifests(text, name, provider, &region, &default_options()) {
                Ok(imported) => {
                    let mut doc = self.doc.clone();
                    let obj = doc.as_object_mut().expect("the document is a mapping");
                    obj.insert("workloads".into(), imported.workloads);
                    match imported.daemonsets {
                        Value::Array(a) if a.is_empty() => {
                            obj.remove("daemonsets");
                        }
                        ds => {
                            obj.insert("daemonsets".into(), ds);
                        }
                    }
                    let notes = imported.notes.iter().map(|d| d.message.clone()).collect();
                    let source = self.source.clone();
                    self.replace(doc, &source, notes);
                }
                Err(errors) => self.import_errors = lines(&errors),
            }
        } else {
            let read = scenario_document(text, name);
            match read.output {
                Ok(doc) => {
                    let notes = lines(&read.warnings);
                    self.replace(doc, name, notes);
                }
                Err(errors) => self.import_errors = lines(&errors),
            }
        }
    }

    fn replace(&mut self, doc: Value, source: &str, notes: Vec<String>) {
        self.doc = doc;
        self.source = source.to_string();
        self.import_errors.clear();
        self.plan = None;
        self.compare = None;
        self.commit = None;
        self.rightsize = None;
        self.changed();
        self.notes = notes;
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.notes.clear();
        self.check();
    }

    fn check(&mut self) {
        let read = read_study(&self.yaml(), &self.source);
        self.checked = match read.output {
            Ok(s) => Ok(Rc::new(s)),
            Err(errors) => Err(errors
                .into_iter()
                .map(|d| Problem { path: d.path, message: d.message })
                .collect()),
        };
    }

    fn object(&mut self) -> &mut Map<String, Value> {
        if !self.doc.is_object() {
            self.doc = json!({});
        }
        self.doc.as_object_mut().expect("just made a mapping")
    }

    fn list(&mut self, key: &str) -> &mut Vec<Value> {
        let obj = self.object();
        let entry = obj.entry(key.to_string()).or_insert_with(|| json!([]));
        if !entry.is_array() {
            *entry = json!([]);
        }
        entry.as_array_mut().expect("just made a list")
    }

    fn names(&self) -> Vec<String> {
        self.workloads()
            .iter()
            .filter_map(|w| w.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    }
}

/// Diagnostics as the lines shown, each with its file and line:column.
fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// `base`, or `base-2`, `base-3` … whichever is not taken.
fn unique(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(c)).unwrap_or_default()
}

/// Sets or removes the value at a dotted path, creating mappings on the way; removing the last
/// key of a mapping removes the mapping too.
fn set_path(doc: &mut Value, path: &str, value: Option<Value>) {
    let segs: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let Some((last, parents)) = segs.split_last() else { return };
    let mut cur = &mut *doc;
    for seg in parents {
        cur = match cur {
            Value::Array(a) => match seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(v) => v,
                None => return,
            },
            other => {
                if !other.is_object() {
                    if value.is_none() {
                        return;
                    }
                    *other = json!({});
                }
                let m = other.as_object_mut().expect("a mapping");
                if value.is_none() && !m.contains_key(*seg) {
                    return;
                }
                m.entry(seg.to_string()).or_insert_with(|| json!({}))
            }
        };
    }
    match (cur, value) {
        (Value::Array(a), Some(v)) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                *slot = v;
            }
        }
        (Value::Array(a), None) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < a.len()) {
                a.remove(i);
            }
        }
        (Value::Object(m), Some(v)) => {
            m.insert(last.to_string(), v);
        }
        (Value::Object(m), None) => {
            m.remove(*last);
        }
        _ => {}
    }
    prune_empty(doc, &segs[..segs.len() - 1]);
}

/// Removes mappings left empty along the path, deepest first.
fn prune_empty(doc: &mut Value, parents: &[&str]) {
    for depth in (1..=parents.len()).rev() {
        let (key, above) = (parents[depth - 1], &parents[..depth - 1]);
        if let Some(Value::Object(m)) = walk_mut(doc, above)
            && m.get(key).is_some_and(|v| v.as_object().is_some_and(Map::is_empty))
        {
            m.remove(key);
        }
    }
}

/// The value at a path of keys and list indices, if every step exists.
fn walk_mut<'a>(doc: &'a mut Value, segs: &[&str]) -> Option<&'a mut Value> {
    segs.iter().try_fold(doc, |v, seg| match v {
        Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?),
        Value::Object(m) => m.get_mut(*seg),
        _ => None,
    })
}

/// A quantity cell's new value: trimmed text, or removal when empty.
pub fn text_value(text: &str) -> Option<Value> {
    let t = text.trim();
    (!t.is_empty()).then(|| json!(t))
}

/// A whole-number cell's new value: the number when it is one, else the text (which the reader
/// then reports at its field path), or removal when empty.
pub fn count_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(t.parse::<u64>().map_or_else(|_| json!(t), |n| json!(n)))
}

/// A fraction or factor's new value, as [`count_value`].
pub fn number_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(t.parse::<f64>().ok().filter(|x| x.is_finite()).map_or_else(|| json!(t), |x| json!(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's scenario planned, as the worker replies it.
    fn plan_json(s: &State) -> String {
        let scenario = s.checked.clone().unwrap().base.clone();
        let plan = kplan_core::solve::solve(&scenario, &kplan_core::solve::default_config());
        kplan_core::report::json::plan_to_json(&scenario, &plan.unwrap())
    }

    fn problems(s: &State) -> Vec<Problem> {
        s.checked.clone().err().unwrap_or_default()
    }

    #[test]
    fn starts_from_an_example_that_checks() {
        let s = State::with_example(FIRST_EXAMPLE);
        assert_eq!(s.source, "web-shop.yaml");
        let scenario = s.checked.clone().unwrap().base.clone();
        assert_eq!(scenario.name, "web-shop");
        assert_eq!(s.workloads().len(), scenario.workloads.len());
        assert!(s.import_errors.is_empty());
    }

    #[test]
    fn every_example_loads() {
        for e in EXAMPLES {
            let s = State::with_example(e.file);
            assert!(s.checked.is_ok(), "{}: {:?}", e.file, s.checked);
        }
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::LoadExample("nope".into()));
        assert!(s.import_errors[0].contains("web-shop.yaml"), "{:?}", s.import_errors);
    }

    #[test]
    fn a_bad_edit_is_reported_at_its_field_and_fixing_it_clears_it() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        let rev = s.revision;
        s.apply(Action::Set { path: "workloads.1.requests.cpu".into(), value: text_value("10mi") });
        assert_eq!(s.revision, rev + 1);
        let p = problems(&s);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path.as_deref(), Some("workloads[1].requests.cpu"));
        assert!(p[0].message.contains("10mi"), "{}", p[0].message);
        s.apply(Action::Set { path: "workloads.1.requests.cpu".into(), value: text_value(" 2 ") });
        let scenario = s.checked.clone().unwrap().base.clone();
        assert_eq!(scenario.workloads[1].pod.requests.cpu.millis(), 2000);
    }

    #[test]
    fn replicas_that_are_not_a_number_stay_visible_as_a_problem() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::Set { path: "workloads.0.replicas".into(), value: count_value("lots") });
        assert_eq!(problems(&s)[0].path.as_deref(), Some("workloads[0].replicas"));
        s.apply(Action::Set { path: "workloads.0.replicas".into(), value: count_value("9") });
        assert_eq!(s.checked.clone().unwrap().base.clone().workloads[0].replicas, 9);
    }

    #[test]
    fn removing_the_last_limit_removes_the_empty_mapping() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::Set { path: "workloads.0.limits.cpu".into(), value: None });
        s.apply(Action::Set { path: "workloads.0.limits.memory".into(), value: None });
        assert_eq!(s.get("workloads.0.limits"), None);
        assert!(s.checked.is_ok());
        s.apply(Action::Set { path: "policy.spot.max_share".into(), value: number_value("0.2") });
        assert_eq!(s.checked.clone().unwrap().base.clone().policy.spot_max_share, 200_000);
    }

    #[test]
    fn add_duplicate_and_delete_workloads() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        let n = s.workloads().len();
        s.apply(Action::AddWorkload);
        s.apply(Action::AddWorkload);
        assert_eq!(s.workloads().len(), n + 2);
        assert_eq!(s.workloads()[n]["name"], "workload");
        assert_eq!(s.workloads()[n + 1]["name"], "workload-2");
        s.apply(Action::DuplicateWorkload(0));
        assert_eq!(s.workloads()[1]["name"], "storefront-copy");
        assert_eq!(s.workloads()[1]["replicas"], s.workloads()[0]["replicas"]);
        s.apply(Action::DuplicateWorkload(0));
        assert_eq!(s.workloads()[1]["name"], "storefront-copy-2");
        s.apply(Action::DeleteWorkload(1));
        s.apply(Action::DeleteWorkload(1));
        s.apply(Action::DeleteWorkload(999));
        assert_eq!(s.workloads().len(), n + 2);
        assert!(s.checked.is_ok(), "{:?}", s.checked);
    }

    #[test]
    fn switching_provider_takes_its_defaults() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::SetProvider("gcp".into()));
        // The volumes' storage class is AWS's: reported at its field, not dropped.
        let p = problems(&s);
        assert_eq!(p[0].path.as_deref(), Some("volumes[0].storage_class"), "{p:?}");
        s.apply(Action::Set { path: "volumes".into(), value: None });
        let sc = s.checked.clone().unwrap().base.clone();
        assert_eq!(sc.provider, Provider::Gcp);
        assert_eq!(sc.region, "us-central1");
        assert_eq!(sc.zones, vec!["us-central1-a".to_string()]);
        s.apply(Action::SetRegion("europe-west4".into()));
        assert_eq!(
            s.checked.clone().unwrap().base.clone().zones,
            vec!["europe-west4-a".to_string()]
        );
    }

    #[test]
    fn a_manifest_with_an_error_shows_its_line_and_column_and_changes_nothing() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        let before = s.doc.clone();
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {requests: {cpu: 2 cores}}\n";
        s.apply(Action::Import { name: "bad.yaml".into(), text: text.into() });
        assert_eq!(s.doc, before);
        assert!(s.import_errors[0].starts_with("bad.yaml:10:"), "{:?}", s.import_errors);
    }

    #[test]
    fn manifests_replace_the_workloads_and_keep_the_policies() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        let policy = s.get("policy").cloned();
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {requests: {cpu: 250m, memory: 256Mi}}\n";
        s.apply(Action::Import { name: "web.yaml".into(), text: text.into() });
        assert!(s.import_errors.is_empty(), "{:?}", s.import_errors);
        assert_eq!(s.workloads().len(), 1);
        assert_eq!(s.get("policy").cloned(), policy);
        assert_eq!(s.get("daemonsets"), None);
        let sc = s.checked.clone().unwrap().base.clone();
        assert_eq!(sc.workloads[0].replicas, 3);
        assert!(s.notes[0].contains("1 workload"), "{:?}", s.notes);
    }

    #[test]
    fn a_pasted_scenario_replaces_the_document_and_a_bad_one_is_located() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::Import { name: "x.yaml".into(), text: EXAMPLES[3].text.into() });
        assert_eq!(s.source, "x.yaml");
        assert_eq!(s.checked.clone().unwrap().base.clone().name, "on-prem");
        let bad = "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    replicas: -1\n";
        s.apply(Action::Import { name: "bad.yaml".into(), text: bad.into() });
        assert!(s.import_errors[0].starts_with("bad.yaml:6:15: error:"), "{:?}", s.import_errors);
        assert_eq!(s.source, "x.yaml");
    }

    #[test]
    fn jobs_take_the_document_and_ignore_stale_replies() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::Start(JobKind::Plan));
        let first = s.job().unwrap();
        assert_eq!(first.task, Task::Plan { yaml: s.yaml(), time_limit: None, explain: false });
        s.apply(Action::Start(JobKind::Plan));
        assert_eq!(s.worker_generation, 1, "a job in flight is abandoned with its worker");
        let second = s.job().unwrap();
        assert!(second.id > first.id);
        let json = plan_json(&s);
        s.apply(Action::Reply(Reply {
            id: first.id,
            body: ReplyBody::Planned { json: json.clone() },
        }));
        assert!(s.plan.is_none() && s.running.is_some(), "stale reply ignored");
        let progress = ReplyBody::Progress { done: 1, total: 2, label: "finance".into() };
        s.apply(Action::Reply(Reply { id: second.id, body: progress }));
        assert_eq!(s.running.as_ref().unwrap().label, "finance");
        let reply = ReplyBody::Planned { json: json.clone() };
        s.apply(Action::Reply(Reply { id: second.id, body: reply }));
        assert!(s.running.is_none());
        let plan = s.plan.clone().unwrap().unwrap();
        let written: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(Value::from(plan.plan.cost.monthly), written["cost"]["monthly"]);
        assert_eq!(plan.plan.nodes.len(), written["nodes"].as_array().unwrap().len());
        assert_eq!(plan.yaml, s.yaml());
        // A reply that is not a whole plan is an error the page shows, not a panic.
        s.apply(Action::Start(JobKind::Plan));
        let third = s.job().unwrap();
        let partial = r#"{"schema":"kplan.plan/v1","cost":{"monthly":1.0}}"#.to_string();
        s.apply(Action::Reply(Reply { id: third.id, body: ReplyBody::Planned { json: partial } }));
        let err = s.plan.clone().unwrap().unwrap_err();
        assert!(err.starts_with("unreadable plan: missing field"), "{err}");
    }

    #[test]
    fn kubectl_files_start_a_cluster_job_and_its_reply_is_kept() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        let file = |name: &str, text: &str| UsageFile { name: name.into(), text: text.into() };
        s.apply(Action::AddClusterFiles(vec![file("nodes.yaml", "a"), file("pods.yaml", "b")]));
        let job = s.job().unwrap();
        let Task::Cluster { files, time_limit: None } = &job.task else { panic!("{job:?}") };
        assert_eq!(files.len(), 2);
        // The same name again replaces the file and starts over (the old job is abandoned).
        s.apply(Action::AddClusterFiles(vec![file("pods.yaml", "c")]));
        assert_eq!(s.worker_generation, 1);
        assert_eq!(s.cluster_files.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        let id = s.job().unwrap().id;
        let plan = plan_json(&s);
        let reply = ClusterReply {
            today: plan.clone(),
            plan: plan.clone(),
            versus: r#"{"saving_monthly":1.0}"#.into(),
            exports: vec![ExportResult { format: "gke".into(), files: Err("not gcp".into()) }],
        };
        s.apply(Action::Reply(Reply { id, body: ReplyBody::Clustered(Box::new(reply)) }));
        assert!(s.running.is_none());
        let r = s.cluster.clone().unwrap().unwrap();
        let written: Value = serde_json::from_str(&plan).unwrap();
        assert_eq!(Value::from(r.today.cost.monthly), written["cost"]["monthly"]);
        assert_eq!(r.versus["saving_monthly"], 1.0);
        assert_eq!(r.plan_json, plan);
        // An edit of the scenario leaves today's cluster alone.
        s.apply(Action::AddWorkload);
        assert!(s.cluster.is_some());
        // Removing a file plans the rest again; removing the last one stops.
        s.apply(Action::RemoveClusterFile(1));
        assert!(s.cluster.is_none());
        assert!(matches!(s.job().unwrap().task, Task::Cluster { .. }));
        s.apply(Action::RemoveClusterFile(0));
        assert!(s.running.is_none() && s.cluster_files.is_empty());
        // A failed job says why; an unreadable file is shown and nothing is added.
        s.apply(Action::AddClusterFiles(vec![file("x.yaml", "x")]));
        let id = s.job().unwrap().id;
        let failed = ReplyBody::Failed { message: "x.yaml:1:1: error: no nodes".into() };
        s.apply(Action::Reply(Reply { id, body: failed }));
        assert_eq!(s.cluster, Some(Err("x.yaml:1:1: error: no nodes".into())));
        s.apply(Action::ClusterFailed("y.yaml: cannot be read".into()));
        assert_eq!(s.cluster_errors, ["y.yaml: cannot be read"]);
        assert_eq!(s.cluster_files.len(), 1);
    }

    #[test]
    fn cancel_and_worker_failure_stop_the_job() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::Start(JobKind::Compare));
        s.apply(Action::Cancel);
        assert!(s.running.is_none());
        assert_eq!(s.worker_generation, 1);
        s.apply(Action::Cancel);
        assert_eq!(s.worker_generation, 1, "nothing to cancel");
        s.apply(Action::Start(JobKind::Commit));
        assert!(matches!(s.job().unwrap().task, Task::Commit { .. }));
        s.apply(Action::WorkerFailed("panicked at x".into()));
        assert_eq!(s.commit, Some(Err("the solver stopped: panicked at x".into())));
        assert_eq!(s.worker_generation, 2);
    }

    #[test]
    fn usage_files_are_checked_when_added_and_the_right_sized_scenario_can_be_used() {
        let mut s = State::with_example(FIRST_EXAMPLE);
        s.apply(Action::AddUsage {
            name: "top.txt".into(),
            text: "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop redis-0 redis 12m 180m\n"
                .into(),
        });
        assert!(s.usage.is_empty());
        assert!(s.usage_errors[0].starts_with("top.txt:2:"), "{:?}", s.usage_errors);
        let good = "NAMESPACE POD NAME CPU(cores) MEMORY(bytes)\nshop redis-0 redis 12m 180Mi\n";
        s.apply(Action::AddUsage { name: "top.txt".into(), text: good.into() });
        s.apply(Action::AddUsage { name: "top.txt".into(), text: good.into() });
        assert_eq!(s.usage.len(), 1, "the same name replaces the file");
        assert!(s.usage_errors.is_empty());
        s.apply(Action::Start(JobKind::Rightsize));
        let job = s.job().unwrap();
        let Task::Rightsize { usage, options, .. } = &job.task else { panic!("{job:?}") };
        assert_eq!((usage.len(), options.strategy.as_str()), (1, "simple"));
        // A reply with a right-sized scenario; using it replaces the document.
        let yaml = s.yaml().replace("replicas: 12", "replicas: 11");
        s.apply(Action::Reply(Reply {
            id: job.id,
            body: ReplyBody::Rightsized {
                json: "{\"schema\": \"kplan.rightsize/v1\"}".into(),
                scenario_yaml: yaml,
            },
        }));
        assert!(matches!(&s.rightsize, Some(Ok(_))));
        s.apply(Action::UseRightsized);
        assert_eq!(s.source, "right-sized.yaml");
        assert_eq!(s.view, View::Plan);
        assert_eq!(s.get("workloads.0.replicas"), Some(&json!(11)));
        assert!(s.rightsize.is_none(), "a new document drops the old result");
        s.apply(Action::RemoveUsage(0));
        assert!(s.usage.is_empty());
    }

    #[test]
    fn a_restored_scenario_checks_and_garbage_is_refused() {
        let s = State::restored(EXAMPLES[1].text, "stored").unwrap();
        assert_eq!(s.checked.clone().unwrap().base.clone().name, "data-platform");
        assert!(State::restored("workloads: 3", "stored").is_none());
    }

    #[test]
    fn cell_values_keep_bad_text_for_the_reader() {
        assert_eq!(count_value(" 12 "), Some(json!(12)));
        assert_eq!(count_value("1.5"), Some(json!("1.5")));
        assert_eq!(count_value(""), None);
        assert_eq!(number_value("0.25"), Some(json!(0.25)));
        assert_eq!(number_value("half"), Some(json!("half")));
        assert_eq!(text_value("  "), None);
    }
}
