//! What-if end to end: `kplan compare` in every format, the charts' series, `kplan diff`, and
//! every case of the example planning to a verified plan.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

use kplan_core::catalog::PurchaseOption;
use kplan_core::input::scenario::read_study;
use kplan_core::plan::Plan;
use kplan_core::plan::verify::verify;
use kplan_core::report::{chart, compare};
use kplan_core::solve::{self, Method, SolveConfig};
use kplan_core::whatif;
use kplan_tests::{kplan, repo_root};

const EXAMPLE: &str = "data/examples/whatif-shop.yaml";

fn example_path() -> String {
    repo_root().join(EXAMPLE).to_str().unwrap().to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kplan-whatif-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every case of the example, each with its plan.
fn example_cases(method: Method) -> (whatif::Study, Vec<whatif::Case>, Vec<Plan>) {
    let text = std::fs::read_to_string(repo_root().join(EXAMPLE)).unwrap();
    let scenario = read_study(&text, EXAMPLE).output.unwrap();
    let cases = whatif::cases(&scenario).unwrap();
    let cfg = SolveConfig { method, ..solve::default_config() };
    let plans = cases.iter().map(|c| solve::solve(&c.scenario, &cfg).unwrap()).collect();
    (scenario, cases, plans)
}

#[test]
fn the_example_has_three_variants_and_two_sweeps_and_every_case_verifies() {
    for method in [Method::Ffd, Method::Exact] {
        let (scenario, cases, plans) = example_cases(method);
        assert!(scenario.variants.len() >= 3, "{}", scenario.variants.len());
        assert!(scenario.sweeps.len() >= 2, "{}", scenario.sweeps.len());
        let expected: usize = 1
            + scenario.variants.len()
            + scenario.sweeps.iter().map(|s| s.values.len()).sum::<usize>();
        assert_eq!(cases.len(), expected);
        for (case, plan) in cases.iter().zip(&plans) {
            assert_eq!(verify(&case.scenario, plan), vec![], "{:?} {}", method, case.label);
        }
    }
}

#[test]
fn compare_plans_every_case_in_a_fixed_order() {
    let path = example_path();
    let (code, table, err) = kplan(&["compare", &path, "--method", "ffd"]);
    assert_eq!(code, 0, "{err}");
    let (_, cases, plans) = example_cases(Method::Ffd);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[2].starts_with("CASE")
            && lines[2].contains("$/MONTH")
            && lines[2].contains("Δ VS BASE")
    );
    for (i, (case, plan)) in cases.iter().zip(&plans).enumerate() {
        let line = lines[3 + i];
        assert!(line.starts_with(&case.label), "row {i}: {line}");
        let cost = kplan_core::money::format_usd(plan.hourly().monthly());
        assert!(line.contains(&cost), "{line} should show {cost}");
    }
    // The same run twice gives the same bytes, although the cases are solved in parallel.
    let (_, again, _) = kplan(&["compare", &path, "--method", "ffd"]);
    assert_eq!(table, again);
    // Stderr is not a terminal here, so no progress is drawn.
    assert!(!err.contains("planning"), "{err}");
}

#[test]
fn compare_csv_and_markdown_snapshots() {
    let path = example_path();
    let (code, csv, err) = kplan(&["compare", &path, "--method", "ffd", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let (_, cases, _) = example_cases(Method::Ffd);
    assert_eq!(csv.lines().count(), cases.len() + 1);
    insta::assert_snapshot!("compare-whatif-shop-csv", csv);

    let dir = temp_dir("md");
    let out = dir.join("report.md");
    let (code, _, err) = kplan(&[
        "compare",
        &path,
        "--method",
        "ffd",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    // Every image the Markdown links to was written beside it, and is an SVG.
    let links: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![").and_then(|r| r.split("](").nth(1)))
        .map(|r| r.trim_end_matches(')'))
        .collect();
    assert_eq!(links.len(), 3 + 1 + 3, "{links:?}");
    for l in &links {
        let svg = std::fs::read_to_string(dir.join(l)).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{l}");
    }
    insta::assert_snapshot!("compare-whatif-shop-md", md);
}

/// plotters writes text on a line of its own: `<text …>\nlabel\n</text>`; join it to `>label</text>`.
fn flat(svg: &str) -> String {
    svg.replace(">\n", ">").replace("\n</text>", "</text>")
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// Checks that a page loads nothing: the only URLs are the SVG namespace.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for bad in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(!lower.contains(bad), "the page holds {bad}");
    }
    let xmlns = count(&lower, "xmlns=\"http://www.w3.org/2000/svg\"");
    assert_eq!(
        count(&lower, "http://") + count(&lower, "https://"),
        xmlns,
        "a URL other than the SVG namespace"
    );
    for attr in ["src=", "href="] {
        assert_eq!(count(&lower, attr), 0, "{attr} found");
    }
}

#[test]
fn compare_html_holds_an_svg_per_chart_and_loads_nothing() {
    let path = example_path();
    let dir = temp_dir("html");
    let out = dir.join("report.html");
    let (code, _, err) = kplan(&[
        "compare",
        &path,
        "--method",
        "ffd",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Three sweeps, cost by purchase option, and the base plan's two packing charts and pool utilisation.
    assert_eq!(count(&html, "<svg "), 7);
    assert_eq!(count(&html, "<figure"), 7);
    for title in [
        "Cost against policy.spot.max_share",
        "Cost against scale",
        "Cost against policy.headroom",
        "Cost per case by purchase option",
        "Per-node packing: cpu requests against allocatable (vCPU)",
        "Per-node packing: memory requests against allocatable (GiB)",
        "Utilisation per pool",
    ] {
        assert!(html.contains(title), "{title}");
    }
    assert_self_contained(&html);
    assert!(html.contains("<style>"));
}

#[test]
fn plan_reports_in_markdown_html_and_csv() {
    let path = example_path();
    let dir = temp_dir("plan");
    let md = dir.join("plan.md");
    let (code, _, err) =
        kplan(&["plan", &path, "--method", "ffd", "--format", "md", "--out", md.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Plan: whatif-shop\n"));
    for stem in ["packing-cpu", "packing-memory", "utilization-per-pool"] {
        assert!(text.contains(&format!("(plan-{stem}.svg)")), "{stem}");
        assert!(dir.join(format!("plan-{stem}.svg")).exists(), "{stem}");
    }
    let (code, html, _) = kplan(&["plan", &path, "--method", "ffd", "--format", "html"]);
    assert_eq!(code, 0);
    assert_eq!(count(&html, "<svg "), 3);
    assert_self_contained(&html);
    let (code, csv, _) = kplan(&["plan", &path, "--method", "ffd", "--format", "csv"]);
    assert_eq!(code, 0);
    let (_, _, plans) = example_cases(Method::Ffd);
    assert_eq!(csv.lines().count(), plans[0].pools().len() + 1);
    assert!(csv.starts_with("scenario,instance_type,purchase,zone,nodes,"));
    let monthly: f64 =
        csv.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap()).sum();
    assert!((monthly - plans[0].hourly().monthly()).abs() < 0.05, "{monthly}");
}

#[test]
fn each_chart_draws_its_series() {
    let (scenario, cases, plans) = example_cases(Method::Ffd);
    let results: Vec<Result<Plan, String>> = plans.iter().cloned().map(Ok).collect();
    let rows = compare::compare_rows(&cases, &results);

    // Cost against a sweep: one line (plus its legend stroke) and one marker per point.
    let figures: Vec<_> = chart::compare_figures(&scenario, &rows, Some(&plans[0]))
        .into_iter()
        .map(|mut f| {
            f.svg = flat(&f.svg);
            f
        })
        .collect();
    let stems: Vec<&str> = figures.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(
        stems,
        vec![
            "sweep-1-policy-spot-max-share",
            "sweep-2-scale",
            "sweep-3-policy-headroom",
            "cost-by-purchase",
            "base-packing-cpu",
            "base-packing-memory",
            "base-utilization-per-pool"
        ]
    );
    let line = chart::series_color_hex(0);
    for (i, sweep) in scenario.sweeps.iter().enumerate() {
        let svg = &figures[i].svg;
        assert_eq!(count(svg, "<circle"), sweep.values.len(), "{}", sweep.param);
        assert_eq!(
            count(svg, &format!("stroke=\"{line}\" stroke-width=\"2\"")),
            2,
            "{}",
            sweep.param
        );
        assert!(svg.contains(">cost per month</text>"));
        assert!(svg.contains(&format!(">{}</text>", sweep.param)), "x axis names {}", sweep.param);
        assert!(svg.contains(">cost ($/month)</text>"));
    }
    // The headroom sweep labels its categories.
    for h in ["none", "node", "zone"] {
        assert!(figures[2].svg.contains(&format!(">{h}</text>")), "{h}");
    }

    // Cost by purchase option: one bar segment per case that buys the option, plus a legend swatch.
    let svg = &figures[3].svg;
    for p in PurchaseOption::ALL {
        let n_cases = rows.iter().filter(|r| r.by_purchase[&p] > 0.0).count();
        let fill = format!("fill=\"{}\"", chart::purchase_color_hex(p));
        let expected = if n_cases == 0 { 0 } else { n_cases + 1 };
        assert_eq!(count(svg, &fill), expected, "{p}");
        assert_eq!(svg.contains(&format!(">{p}</text>")), n_cases > 0, "{p} in the legend");
    }
    for r in &rows {
        assert!(svg.contains(&format!(">{}</text>", r.label.replace('&', "&amp;"))), "{}", r.label);
    }

    // Packing: one segment per (node, workload) pair, plus a swatch per workload; an outline per node.
    let base = &plans[0];
    let svg = &figures[4].svg;
    let mut workloads: Vec<String> =
        base.nodes.iter().flat_map(|n| n.pods.iter().map(|p| p.workload.to_string())).collect();
    workloads.sort();
    workloads.dedup();
    for (k, w) in workloads.iter().enumerate() {
        let n_nodes = base
            .nodes
            .iter()
            .filter(|n| n.pods.iter().any(|p| p.workload.to_string() == *w))
            .count();
        let fill = format!("fill=\"{}\"", chart::series_color_hex(k));
        assert_eq!(count(svg, &fill), n_nodes + 1, "{w}");
        assert!(svg.contains(&format!(">{w}</text>")), "{w} in the legend");
    }
    assert!(svg.contains(">DaemonSets</text>") && svg.contains(">allocatable (outline)</text>"));
    for n in &base.nodes {
        assert!(svg.contains(&format!(">{}</text>", n.name)), "{}", n.name);
    }
    // Outlines: one per node, one legend swatch, plus the legend's own border.
    assert_eq!(count(svg, "fill=\"none\" stroke=\"#000000\""), base.nodes.len() + 2);

    // Utilisation per pool: two bars per pool (CPU, memory) plus two swatches, and the policy line.
    let svg = &figures[6].svg;
    let n_pools = base.pools().len();
    assert_eq!(count(svg, &format!("fill=\"{}\"", chart::series_color_hex(0))), n_pools + 1);
    assert_eq!(count(svg, &format!("fill=\"{}\"", chart::series_color_hex(1))), n_pools + 1);
    assert!(svg.contains(">utilization policy (85% CPU)</text>"));
    for p in base.pools() {
        let label = format!(">{}/{}/{} ×{}</text>", p.instance_type, p.purchase, p.zone, p.count);
        assert!(svg.contains(&label), "{label}");
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn diff_of_a_plan_before_and_after_a_variant() {
    let path = example_path();
    let dir = temp_dir("diff");
    let (code, old, err) = kplan(&["plan", &path, "--method", "ffd", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let (code, new, err) =
        kplan(&["plan", &path, "--method", "ffd", "--format", "json", "--variant", "api x2"]);
    assert_eq!(code, 0, "{err}");
    let (old_path, new_path) = (write(&dir, "old.json", &old), write(&dir, "new.json", &new));

    // The variant's plan is a valid plan of the variant's scenario.
    let (_, cases, _) = example_cases(Method::Ffd);
    let variant = cases.iter().find(|c| c.label == "api x2").unwrap();
    let new_plan = kplan_core::report::json::read_plan(&new, "new.json").unwrap();
    assert_eq!(verify(&variant.scenario, &new_plan), vec![]);

    let (code, json, err) = kplan(&["diff", &old_path, &new_path, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&json).unwrap();
    let o: serde_json::Value = serde_json::from_str(&old).unwrap();
    let n: serde_json::Value = serde_json::from_str(&new).unwrap();
    assert_eq!(d["schema"], "kplan.diff/v1");
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    // Totals against the plans' own cost and totals fields.
    let cost_delta = f(&n["cost"]["monthly"]) - f(&o["cost"]["monthly"]);
    assert!((f(&d["monthly"]["delta"]) - cost_delta).abs() < 0.015, "{json}");
    assert_eq!(d["nodes"]["old"], o["totals"]["nodes"]);
    assert_eq!(d["nodes"]["new"], n["totals"]["nodes"]);
    // api goes from 4 to 8 replicas.
    assert_eq!(d["pods"]["delta"], 4);
    // Pool node deltas add up to the node delta, and each matches the plans' pools.
    let pool_count = |plan: &serde_json::Value, key: &str| -> i64 {
        plan["pools"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                format!(
                    "{}/{}/{}",
                    p["instance_type"].as_str().unwrap(),
                    p["purchase"].as_str().unwrap(),
                    p["zone"].as_str().unwrap()
                ) == key
            })
            .map(|p| p["count"].as_i64().unwrap())
            .sum()
    };
    let mut node_delta = 0;
    for p in d["pools"].as_array().unwrap() {
        let key = p["pool"].as_str().unwrap();
        assert_eq!(p["old_nodes"].as_i64().unwrap(), pool_count(&o, key), "{key}");
        assert_eq!(p["new_nodes"].as_i64().unwrap(), pool_count(&n, key), "{key}");
        node_delta += p["new_nodes"].as_i64().unwrap() - p["old_nodes"].as_i64().unwrap();
    }
    assert_eq!(node_delta, d["nodes"]["delta"].as_i64().unwrap());
    // By purchase option: from the plans' pools; by namespace: shares add up to the total.
    for c in d["by_purchase"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let sum = |plan: &serde_json::Value| -> f64 {
            plan["pools"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["purchase"] == name)
                .map(|p| f(&p["monthly_total"]))
                .sum()
        };
        assert!((f(&c["old"]) - sum(&o)).abs() < 0.05, "{name}");
        assert!((f(&c["new"]) - sum(&n)).abs() < 0.05, "{name}");
    }
    let ns: Vec<&serde_json::Value> = d["by_namespace"].as_array().unwrap().iter().collect();
    let ns_delta: f64 = ns.iter().map(|c| f(&c["delta"])).sum();
    assert!((ns_delta - cost_delta).abs() < 0.05);
    let names: Vec<&str> = ns.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"shop") && names.contains(&"data") && names.contains(&"jobs"),
        "{names:?}"
    );

    // The table and Markdown show the same total delta.
    let total = kplan_core::report::diff::signed_usd(f(&d["monthly"]["delta"]));
    for format in ["table", "md"] {
        let (code, text, _) = kplan(&["diff", &old_path, &new_path, "--format", format]);
        assert_eq!(code, 0);
        assert!(text.contains(&total), "{format}: {text}");
    }
    // A plan against itself: nothing changed.
    let (_, same, _) = kplan(&["diff", &old_path, &old_path, "--format", "json"]);
    let s: serde_json::Value = serde_json::from_str(&same).unwrap();
    assert_eq!(s["monthly"]["delta"], 0.0);
    assert_eq!(s["pools"].as_array().unwrap().len(), 0);
    // A file that is not a plan is bad input.
    let bad = write(&dir, "bad.json", "{\"schema\": \"nope\"}");
    let (code, _, err) = kplan(&["diff", &bad, &old_path]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_bad_variant_stops_compare_with_a_located_error() {
    let text = std::fs::read_to_string(repo_root().join(EXAMPLE)).unwrap();
    let bad = text.replace("replicas: {api: 8}", "replicas: {apx: 8}");
    let dir = temp_dir("bad");
    let path = write(&dir, "bad.yaml", &bad);
    let (code, _, err) = kplan(&["compare", &path, "--method", "ffd"]);
    assert_eq!(code, 2, "{err}");
    // The report wraps long lines at the terminal width (the path's length varies): unwrap it.
    let flat = err.split_whitespace().filter(|t| *t != "│").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("variant \"api x2\": no workload is named \"apx\""), "{err}");
    assert!(flat.contains("variants[3].replicas.apx"), "{err}");
}

#[test]
fn an_infeasible_case_is_reported_not_fatal() {
    let text = std::fs::read_to_string(repo_root().join(EXAMPLE)).unwrap();
    let text = text.replace(
        "sweeps:\n",
        "  - name: tiny nodes\n    catalog: {max_cpu: \"1\"}\nsweeps:\n  - policy.utilization: [0.5, 0.9]\n",
    );
    let dir = temp_dir("infeasible");
    let path = write(&dir, "s.yaml", &text);
    let (code, table, err) = kplan(&["compare", &path, "--method", "ffd"]);
    assert_eq!(code, 0, "{err}");
    let line = table.lines().find(|l| l.starts_with("tiny nodes")).unwrap();
    assert!(line.contains("infeasible"), "{line}");
    assert!(table.contains("tiny nodes: infeasible: "), "{table}");
    let (code, json, _) = kplan(&["compare", &path, "--method", "ffd", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let case = v["cases"].as_array().unwrap().iter().find(|c| c["label"] == "tiny nodes").unwrap();
    assert_eq!(case["status"], "infeasible");
    assert!(case["error"].as_str().unwrap().contains("fits no node option"), "{case}");
    assert!(case["monthly"].is_null());
    let (code, html, _) = kplan(&["compare", &path, "--method", "ffd", "--format", "html"]);
    assert_eq!(code, 0);
    assert_eq!(count(&html, "<svg "), 8);
    assert_self_contained(&html);
}
