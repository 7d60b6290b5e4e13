//! What the worker does with a job: the same calls `kplan plan`, `kplan compare`, `kplan
//! commit`, `kplan rightsize`, `kplan current --cluster`, `kplan plan --cluster` and `kplan
//! export` make, on the pure backend, so the page shows what the CLI prints.

use std::collections::BTreeMap;

use kplan_core::catalog::load::load_profile;
use kplan_core::cost::commit::plan_commitment;
use kplan_core::cost::finance::{Finance, PLAN_SHARE_OF_TIME_LIMIT, compare_reusing};
use kplan_core::current::{Today, planning_scenario, price, violation_warnings};
use kplan_core::diag::Diagnostic;
use kplan_core::explain::{Explanation, explain as explain_plan};
use kplan_core::input::cluster::{ClusterOptions, read_cluster};
use kplan_core::input::document::{document_yaml, scenario_document};
use kplan_core::input::manifests::{Source, default_options};
use kplan_core::input::scenario::{read_scenario, read_study};
use kplan_core::input::usage::{UsageSource, read_usage};
use kplan_core::plan::Plan;
use kplan_core::plan::verify::verify;
use kplan_core::report::current::{utilization, versus};
use kplan_core::report::diff::plan_diff;
use kplan_core::report::export::{self, Format};
use kplan_core::report::json::read_plan;
use kplan_core::report::rightsize::{RightsizeReport, rightsize_to_json, rightsized_scenario_yaml};
use kplan_core::report::{json, markdown};
use kplan_core::rightsize::{Settings, plan_both, rightsize, settings};
use kplan_core::scenario::Scenario;
use kplan_core::solve::{Backend, Clock, Method, SolveConfig, default_config, solve};
use kplan_core::whatif::{self, Study};

use serde_json::{Value, json};

use crate::protocol::{
    CaseResult, ClusterReply, ExportResult, ReplyBody, RightsizeOptions, Task, UsageFile,
};

/// The name scenarios carry in the worker's diagnostics.
pub const SOURCE: &str = "scenario.yaml";

/// Reports progress: steps done, steps in all, the step under way.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize, &str);

/// Runs a task to its final reply, reporting progress on the way.
pub fn run(task: &Task, clock: &dyn Clock, progress: Progress<'_>) -> ReplyBody {
    match task {
        Task::Plan { yaml, time_limit, explain } => {
            with_scenario(yaml, *time_limit, clock, |job, warnings| {
                job.plan(warnings, *explain, progress)
            })
        }
        Task::Compare { yaml, time_limit } => {
            with_scenario(yaml, *time_limit, clock, |job, _| job.compare(progress))
        }
        Task::Commit { yaml, profile, time_limit } => {
            with_scenario(yaml, *time_limit, clock, |job, _| job.commit(profile, progress))
        }
        Task::Rightsize { yaml, usage, options, time_limit } => {
            with_scenario(yaml, *time_limit, clock, |job, _| {
                job.rightsize(yaml, usage, options, progress)
            })
        }
        Task::Cluster { files, time_limit } => match cluster(files, *time_limit, clock, progress) {
            Ok(reply) => ReplyBody::Clustered(Box::new(reply)),
            Err(message) => ReplyBody::Failed { message },
        },
    }
}

/// Reads the scenario (with its variants and sweeps), then runs the job on it with the reader's
/// warnings.
fn with_scenario(
    yaml: &str,
    time_limit: Option<f64>,
    clock: &dyn Clock,
    f: impl FnOnce(&Job<'_>, Vec<Diagnostic>) -> ReplyBody,
) -> ReplyBody {
    match study(yaml) {
        Ok((study, warnings)) => {
            f(&Job { scenario: &study.base, study: &study, time_limit, clock }, warnings)
        }
        Err(message) => ReplyBody::Failed { message },
    }
}

/// Reads a job's scenario YAML: the scenario and its warnings, or its errors one per line.
pub fn scenario(yaml: &str) -> Result<(Scenario, Vec<Diagnostic>), String> {
    study(yaml).map(|(study, warnings)| (study.base, warnings))
}

/// Reads a job's scenario YAML with its variants and sweeps; as [`scenario`] otherwise.
pub fn study(yaml: &str) -> Result<(Study, Vec<Diagnostic>), String> {
    let read = read_study(yaml, SOURCE);
    match read.output {
        Ok(s) => Ok((s, read.warnings)),
        Err(errors) => Err(errors.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

/// A checked scenario and how to solve it.
struct Job<'a> {
    scenario: &'a Scenario,
    /// The scenario with its variants and sweeps, for the comparison.
    study: &'a Study,
    time_limit: Option<f64>,
    clock: &'a dyn Clock,
}

impl<'a> Job<'a> {
    fn config(&self, time_limit: Option<f64>) -> SolveConfig<'a> {
        SolveConfig {
            method: Method::Exact,
            backend: Backend::Pure,
            time_limit,
            clock: self.clock,
            ..default_config()
        }
    }

    fn plan(&self, warnings: Vec<Diagnostic>, explain: bool, progress: Progress<'_>) -> ReplyBody {
        match self.plan_explained(warnings, explain, progress) {
            Ok((plan, finance, explanation)) => ReplyBody::Planned {
                json: json::plan_to_json_explained(
                    self.scenario,
                    &plan,
                    Some(&finance),
                    explanation.as_ref(),
                ),
            },
            Err(message) => ReplyBody::Failed { message },
        }
    }

    /// The plan and its finance comparison, as `kplan plan` computes them.
    fn plan_with_finance(
        &self,
        warnings: Vec<Diagnostic>,
        progress: Progress<'_>,
    ) -> Result<(Plan, Finance), String> {
        self.plan_explained(warnings, false, progress).map(|(plan, finance, _)| (plan, finance))
    }

    /// The plan, its finance comparison and (when asked) its explanation, as `kplan plan`
    /// computes them.
    fn plan_explained(
        &self,
        warnings: Vec<Diagnostic>,
        explain: bool,
        progress: Progress<'_>,
    ) -> Result<(Plan, Finance, Option<Explanation>), String> {
        // As `kplan plan`: a time limit bounds plan, finance and explanation together.
        let started = self.clock.now();
        let cfg = self.config(self.time_limit.map(|t| t * PLAN_SHARE_OF_TIME_LIMIT));
        let steps = if explain { 3 } else { 2 };
        progress(0, steps, "planning");
        let mut plan = solve(self.scenario, &cfg).map_err(|e| e.to_string())?;
        // As `kplan plan`: the reader's warnings first, then the plan's.
        let mut all = warnings;
        all.append(&mut plan.warnings);
        plan.warnings = all;
        progress(1, steps, "finance: all on-demand, reserved, spot and the optimal blend");
        let left = |share: f64| {
            self.time_limit.map(|t| ((t - (self.clock.now() - started)) * share).max(0.0))
        };
        let finance = compare_reusing(
            self.scenario,
            &self.config(left(if explain { 0.5 } else { 1.0 })),
            Some(&plan),
        );
        let explanation = explain.then(|| {
            progress(2, steps, "explaining: a re-solve per policy in force and workload checked");
            explain_plan(self.scenario, &plan, &self.config(left(1.0)))
        });
        progress(steps, steps, "done");
        Ok((plan, finance, explanation))
    }

    fn compare(&self, progress: Progress<'_>) -> ReplyBody {
        let cases = match whatif::cases(self.study) {
            Ok(c) => c,
            Err(problems) => {
                return ReplyBody::Failed { message: whatif::problems_text(&problems, "\n") };
            }
        };
        let cfg = self.config(self.time_limit);
        let total = cases.len();
        let mut out = Vec::with_capacity(total);
        for (i, case) in cases.iter().enumerate() {
            progress(i, total, &case.label);
            let plan = solve(&case.scenario, &cfg)
                .map(|p| json::plan_to_json(&case.scenario, &p))
                .map_err(|e| e.to_string());
            out.push(CaseResult { label: case.label.clone(), plan });
        }
        progress(total, total, "done");
        ReplyBody::Compared { cases: out }
    }

    fn rightsize(
        &self,
        yaml: &str,
        usage: &[UsageFile],
        options: &RightsizeOptions,
        progress: Progress<'_>,
    ) -> ReplyBody {
        let failed = |errors: &[Diagnostic]| ReplyBody::Failed {
            message: errors.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
        };
        let settings = match settings_of(options) {
            Ok(s) => s,
            Err(message) => return ReplyBody::Failed { message },
        };
        let sources: Vec<UsageSource<'_>> =
            usage.iter().map(|u| UsageSource { name: &u.name, text: &u.text }).collect();
        if sources.is_empty() {
            return ReplyBody::Failed {
                message: "no usage: paste or drop kubectl top output or a samples CSV".into(),
            };
        }
        progress(0, 3, "reading the usage");
        let read = read_usage(&sources);
        let usage = match read.output {
            Ok(u) => u,
            Err(errors) => return failed(&errors),
        };
        let doc = match scenario_document(yaml, SOURCE).output {
            Ok(d) => d,
            Err(errors) => return failed(&errors),
        };
        let r = rightsize(&doc, &usage, None, &settings);
        let after = match read_scenario(&document_yaml(&r.document), SOURCE).output {
            Ok(s) => s,
            Err(errors) => return failed(&errors),
        };
        progress(1, 3, "planning before and after");
        let planned = match plan_both(self.scenario, &after, &self.config(self.time_limit)) {
            Ok(p) => p,
            Err(e) => return ReplyBody::Failed { message: e.to_string() },
        };
        progress(3, 3, "done");
        let rep = RightsizeReport {
            rightsizing: &r,
            before: self.scenario,
            after: &after,
            planned: &planned,
        };
        let names: Vec<String> = usage_names(&sources);
        ReplyBody::Rightsized {
            json: rightsize_to_json(&rep),
            scenario_yaml: rightsized_scenario_yaml(&r, &names),
        }
    }

    fn commit(&self, profile: &str, progress: Progress<'_>) -> ReplyBody {
        let hours = match load_profile(profile) {
            Ok(h) => h,
            Err(e) => return ReplyBody::Failed { message: e.to_string() },
        };
        progress(0, 1, "planning each load level and the commitment");
        match plan_commitment(self.scenario, &hours, &self.config(self.time_limit)) {
            Ok(report) => ReplyBody::Committed {
                json: json::commit_json(&report),
                markdown: markdown::commit_markdown(&report),
            },
            Err(e) => ReplyBody::Failed { message: e.to_string() },
        }
    }
}

/// The name the plan carries in the exports' diagnostics (as `kplan export plan.json`).
pub const PLAN_SOURCE: &str = "plan.json";

/// Today's cluster, its workloads planned, today versus the plan and the plan's exports: what
/// `kplan current --cluster FILES --format json`, `kplan plan --cluster FILES --format json`,
/// `kplan diff today.json plan.json --format json` and `kplan export plan.json --format F` write
/// (no scenario: SPEC defaults in the cluster's region, provider and region from the nodes).
pub fn cluster(
    files: &[UsageFile],
    time_limit: Option<f64>,
    clock: &dyn Clock,
    progress: Progress<'_>,
) -> Result<ClusterReply, String> {
    if files.is_empty() {
        return Err("no kubectl output: drop or paste `kubectl get nodes -o yaml` and `kubectl get pods -A -o yaml`".to_string());
    }
    let lines =
        |errors: &[Diagnostic]| errors.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n");
    let sources: Vec<Source<'_>> =
        files.iter().map(|f| Source { name: &f.name, text: &f.text }).collect();
    let options = ClusterOptions { provider: None, region: None, manifests: default_options() };
    let read = read_cluster(&sources, &options);
    let cluster = match read.output {
        Ok(c) => c,
        Err(errors) => {
            return Err(format!(
                "{}\n{} problem(s) in the cluster's kubectl output; nothing was priced",
                lines(&errors),
                errors.len()
            ));
        }
    };
    let mut warnings = vec![cluster.summary()];
    warnings.extend(read.warnings);
    let mut today = price(&cluster, None).map_err(|d| d.message)?;
    let scenario = planning_scenario(&cluster, None, &today);
    let study = Study::of(scenario);
    let scenario = &study.base;
    let job = Job { scenario, study: &study, time_limit, clock };
    let (plan, finance) = job.plan_with_finance(warnings.clone(), progress)?;
    let plan_json = json::plan_to_json_with_finance(scenario, &plan, Some(&finance));
    let v = versus(&today, scenario, &plan);
    let pools = json!({
        "today": today_pools(&today),
        "plan": plan_pools(scenario, &plan),
    });
    // As `kplan current`: the reading warnings, today's own, then what it breaks.
    let violations = verify(&today.scenario, &today.plan);
    let mut all = warnings;
    all.append(&mut today.plan.warnings);
    all.extend(violation_warnings(&violations));
    today.plan.warnings = all;
    let today_json = json::plan_to_json(&today.scenario, &today.plan);
    // As `kplan diff today.json plan.json` and `kplan export plan.json`: the plans read back.
    let today_read = read_plan(&today_json, "today.json").map_err(|d| d.to_string())?;
    let plan_read = read_plan(&plan_json, PLAN_SOURCE).map_err(|d| d.to_string())?;
    let diff: Value =
        serde_json::from_str(&json::diff_to_json(&plan_diff(&today_read, &plan_read)))
            .map_err(|e| format!("unreadable diff: {e}"))?;
    let saving = v.saving();
    let versus = json!({
        "nodes": [v.nodes.0, v.nodes.1],
        "pods": [v.pods.0, v.pods.1],
        "monthly": [v.monthly.0, v.monthly.1],
        "cpu_utilization": [v.cpu_utilization.0, v.cpu_utilization.1],
        "memory_utilization": [v.memory_utilization.0, v.memory_utilization.1],
        "saving_monthly": saving,
        "saving_fraction": if v.monthly.0 > 0.0 { saving / v.monthly.0 } else { 0.0 },
        "pools": pools,
        "diff": diff,
        "breaks": violations.iter().map(|x| format!("{:?}: {}", x.rule, x.message)).collect::<Vec<_>>(),
        "unpriced": today.unpriced().map(|n| format!("{} ({})", n.name, n.instance_type)).collect::<Vec<_>>(),
        "pending": today.pending.iter().map(|(id, why)| format!("{id}: {}", why.as_deref().unwrap_or("no reason given"))).collect::<Vec<_>>(),
        "terminated": today.terminated.iter().map(|(id, phase, why)| match why {
            Some(w) => format!("{id}: {phase} ({w})"),
            None => format!("{id}: {phase}"),
        }).collect::<Vec<_>>(),
        "unplaced": today.unplaced,
    });
    let exports = exports(&plan_read);
    Ok(ClusterReply {
        today: today_json,
        plan: plan_json,
        versus: serde_json::to_string(&versus).unwrap_or_default(),
        exports,
    })
}

/// The plan exported in every format with `kplan export`'s defaults, or why it cannot be.
pub fn exports(plan: &Plan) -> Vec<ExportResult> {
    Format::ALL
        .into_iter()
        .map(|f| ExportResult {
            format: f.as_str().to_string(),
            files: export::export(plan, f, &export::default_options())
                .map(|files| {
                    files.into_iter().map(|x| UsageFile { name: x.name, text: x.text }).collect()
                })
                .map_err(|e| e.to_string()),
        })
        .collect()
}

/// A row per pool of a plan's nodes (the nodes grouped by `names`: pool → node names): nodes,
/// dollars per month and CPU and memory requested / allocatable.
fn pool_rows(scenario: &Scenario, plan: &Plan, by_pool: BTreeMap<String, Vec<&str>>) -> Vec<Value> {
    let options = scenario.node_options().output;
    by_pool
        .into_iter()
        .map(|(label, names)| {
            let part = Plan {
                nodes: plan
                    .nodes
                    .iter()
                    .filter(|n| names.contains(&n.name.as_str()))
                    .cloned()
                    .collect(),
                ..plan.clone()
            };
            let (cpu, memory) = utilization(scenario, &part, &options);
            json!({
                "pool": label,
                "nodes": part.nodes.len(),
                "monthly": part.hourly().monthly(),
                "cpu_utilization": cpu,
                "memory_utilization": memory,
            })
        })
        .collect()
}

/// Today by node pool (Karpenter NodePool, node group, GKE node pool, AKS agent pool).
fn today_pools(today: &Today) -> Vec<Value> {
    let mut by_pool: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in &today.nodes {
        by_pool.entry(n.pool_label()).or_default().push(&n.name);
    }
    pool_rows(&today.scenario, &today.plan, by_pool)
}

/// The plan by pool (instance type / purchase option / zone).
fn plan_pools(scenario: &Scenario, plan: &Plan) -> Vec<Value> {
    let mut by_pool: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in &plan.nodes {
        by_pool.entry(n.option_key().to_string()).or_default().push(&n.name);
    }
    pool_rows(scenario, plan, by_pool)
}

/// The right-sizing settings of the form's options: the strategy's defaults, then what was chosen.
pub fn settings_of(o: &RightsizeOptions) -> Result<Settings, String> {
    let text = |e: &dyn std::fmt::Display| e.to_string();
    let mut s = settings(o.strategy.parse().map_err(|e| text(&e))?);
    if let Some(l) = &o.limits {
        s.limits = l.parse().map_err(|e| text(&e))?;
    }
    if let Some(r) = &o.rounding {
        s.rounding = r.parse().map_err(|e| text(&e))?;
    }
    if let Some(n) = o.min_samples {
        if n == 0 {
            return Err("at least 1 sample is needed to recommend from".to_string());
        }
        s.min_samples = n;
    }
    s.allow_hpa = o.allow_hpa;
    Ok(s)
}

fn usage_names(sources: &[UsageSource<'_>]) -> Vec<String> {
    sources.iter().map(|s| s.name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplan_core::examples::example;
    use kplan_core::plan::verify::verify;
    use kplan_core::report::json::read_plan;
    use kplan_core::solve::NoClock;

    fn run_quietly(task: &Task) -> (ReplyBody, Vec<(usize, usize)>) {
        let mut steps = Vec::new();
        let body = run(task, &NoClock, &mut |d, t, _| steps.push((d, t)));
        (body, steps)
    }

    #[test]
    fn plan_replies_with_the_cli_json_and_the_plan_verifies() {
        let yaml = example("on-prem").unwrap().text;
        let (body, steps) =
            run_quietly(&Task::Plan { yaml: yaml.to_string(), time_limit: None, explain: false });
        let ReplyBody::Planned { json } = body else { panic!("{body:?}") };
        let dto: kplan_core::report::json::plan::PlanDto = serde_json::from_str(&json).unwrap();
        assert_eq!(dto.schema, "kplan.plan/v1");
        assert_eq!(dto.solver.method, "exact");
        assert_eq!(dto.solver.backend.as_deref(), Some("pure"));
        assert_eq!(dto.finance.map(|f| f.variants.len()), Some(4));
        let scenario = read_scenario(yaml, SOURCE).output.unwrap();
        let plan = read_plan(&json, "plan.json").unwrap();
        assert_eq!(verify(&scenario, &plan), vec![]);
        assert_eq!(steps, vec![(0, 2), (1, 2), (2, 2)]);
    }

    fn plan_failure(yaml: &str) -> String {
        let (body, _) =
            run_quietly(&Task::Plan { yaml: yaml.to_string(), time_limit: None, explain: false });
        let ReplyBody::Failed { message } = body else { panic!("{body:?}") };
        message
    }

    #[test]
    fn a_bad_scenario_fails_with_located_messages() {
        let message = plan_failure(
            "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    replicas: lots\n",
        );
        assert!(message.starts_with("scenario.yaml:6:15: error:"), "{message}");
    }

    #[test]
    fn an_infeasible_scenario_names_the_workload() {
        let message = plan_failure(
            "name: t\nprovider: aws\nregion: us-east-1\ncatalog: {families: [m5]}\nworkloads:\n  - name: huge\n    requests: {cpu: \"500\", memory: 1Gi}\n",
        );
        assert!(message.contains("huge"), "{message}");
    }

    #[test]
    fn compare_plans_every_case_in_order() {
        let yaml = example("whatif-shop").unwrap().text;
        let (body, steps) =
            run_quietly(&Task::Compare { yaml: yaml.to_string(), time_limit: None });
        let ReplyBody::Compared { cases } = body else { panic!("{body:?}") };
        let study = read_study(yaml, SOURCE).output.unwrap();
        let expected = whatif::cases(&study).unwrap();
        assert_eq!(cases.len(), expected.len());
        assert_eq!(steps.len(), expected.len() + 1);
        for (got, case) in cases.iter().zip(&expected) {
            assert_eq!(got.label, case.label);
            let plan = read_plan(got.plan.as_ref().unwrap(), "case.json").unwrap();
            assert_eq!(verify(&case.scenario, &plan), vec![], "{}", case.label);
        }
    }

    #[test]
    fn commit_reads_the_profile_and_rejects_a_bad_one() {
        let yaml = example("on-prem").unwrap().text.to_string();
        let profile = "hour,scale\n0,0.5\n1,1\n2,1\n".to_string();
        let task = Task::Commit { yaml: yaml.clone(), profile, time_limit: None };
        let (body, _) = run_quietly(&task);
        let ReplyBody::Committed { json, markdown } = body else { panic!("{body:?}") };
        assert!(json.contains("kplan.commit/v1"));
        assert!(!markdown.is_empty());
        let bad = Task::Commit { yaml, profile: "hour,scale\n0,lots\n".into(), time_limit: None };
        let (body, _) = run_quietly(&bad);
        let ReplyBody::Failed { message } = body else { panic!("{body:?}") };
        assert!(message.contains("lots") || message.contains("line 2"), "{message}");
    }

    #[test]
    fn rightsize_replies_with_the_cli_json_both_plans_verified() {
        let yaml = example("web-shop").unwrap().text.to_string();
        let csv = "timestamp,namespace,pod,container,cpu,memory\n".to_string()
            + &(0..120)
                .map(|i| {
                    format!(
                        "{},shop,payments-x2k4pbcdfg-bcdfg,payments,0.05,200000000\n",
                        1_772_582_400 + 300 * i
                    )
                })
                .collect::<String>();
        let task = Task::Rightsize {
            yaml: yaml.clone(),
            usage: vec![UsageFile { name: "u.csv".into(), text: csv }],
            options: RightsizeOptions::simple(),
            time_limit: None,
        };
        let (body, steps) = run_quietly(&task);
        let ReplyBody::Rightsized { json, scenario_yaml } = body else { panic!("{body:?}") };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["schema"], "kplan.rightsize/v1");
        assert_eq!(v["plans"]["before"]["verified"], true);
        assert_eq!(v["plans"]["after"]["verified"], true);
        let payments = v["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["workload"] == "shop/payments")
            .unwrap();
        // 50m flat → 50m; 200,000,000 bytes × 1.15 = 219.3Mi → 220Mi.
        assert_eq!(payments["cpu"]["request"]["after"], "50m");
        assert_eq!(payments["memory"]["request"]["after"], "220Mi");
        assert!(scenario_yaml.starts_with("# Right-sized by `kplan rightsize`."));
        assert!(read_scenario(&scenario_yaml, "r.yaml").output.is_ok());
        assert_eq!(steps.last(), Some(&(3, 3)));
        // A bad usage file fails with its file:line:column.
        let bad = Task::Rightsize {
            yaml,
            usage: vec![UsageFile {
                name: "u.csv".into(),
                text: "timestamp,namespace,pod,container,cpu,memory\n1,a,b,c,1,180m\n".into(),
            }],
            options: RightsizeOptions::simple(),
            time_limit: None,
        };
        let (body, _) = run_quietly(&bad);
        let ReplyBody::Failed { message } = body else { panic!("{body:?}") };
        assert!(message.starts_with("u.csv:2:"), "{message}");
    }
}
