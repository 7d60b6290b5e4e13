//! SVG charts drawn by plotters (the only plotters user): cost against a swept value, cost per
//! case by purchase option, per-node packing against allocatable, utilisation per pool, and
//! right-sizing's current against recommended requests per workload.
//!
//! Charts are drawn into a `String` with plotters' SVG backend; text becomes `<text>` elements,
//! so no font is loaded. Every chart has a title, axis descriptions with units, and a legend.

use std::collections::BTreeMap;
use std::error::Error;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Figure;
use super::compare::CompareRow;
use crate::catalog::PurchaseOption;
use crate::money::format_usd;
use crate::plan::{Plan, node_usage};
use crate::resources::ResourceName;
use crate::scenario::{NodeOption, OptionKey, Scenario};
use crate::whatif::Study;

type Drawn = Result<(), Box<dyn Error>>;

const FONT: &str = "sans-serif";
const WIDTH: u32 = 960;

/// Series colours, in order (Tableau 10, then ten lighter companions).
const PALETTE: [RGBColor; 20] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(127, 127, 127),
    RGBColor(174, 199, 232),
    RGBColor(255, 187, 120),
    RGBColor(152, 223, 138),
    RGBColor(255, 152, 150),
    RGBColor(197, 176, 213),
    RGBColor(196, 156, 148),
    RGBColor(247, 182, 210),
    RGBColor(219, 219, 141),
    RGBColor(158, 218, 229),
    RGBColor(199, 199, 199),
];

const LIGHT_GRID: RGBColor = RGBColor(240, 240, 240);

const DAEMONSET_COLOR: RGBColor = RGBColor(90, 90, 90);

/// An SVG colour as plotters writes it (`#1F77B4`).
fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The fill of the k-th series (workloads in the packing chart, in key order), as written in the SVG.
pub fn series_color_hex(k: usize) -> String {
    hex(PALETTE[k % PALETTE.len()])
}

/// The fill of a purchase option, as written in the SVG.
pub fn purchase_color_hex(p: PurchaseOption) -> String {
    hex(purchase_color(p))
}

/// The colour of each purchase option in every chart.
pub fn purchase_color(p: PurchaseOption) -> RGBColor {
    match p {
        PurchaseOption::OnDemand => PALETTE[0],
        PurchaseOption::Reserved1y => PALETTE[2],
        PurchaseOption::Reserved3y => PALETTE[4],
        PurchaseOption::Spot => PALETTE[1],
        PurchaseOption::Reservation => PALETTE[3],
    }
}

fn render(
    stem: &str,
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Drawn,
) -> Figure {
    let mut svg = String::new();
    let res = {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| Box::new(e) as Box<dyn Error>)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(|e| Box::new(e) as Box<dyn Error>))
            .map_err(|e| e.to_string())
    };
    if let Err(e) = res {
        // Drawing into a string does not fail in practice; if it does, say so in the picture.
        svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"40\"><text x=\"10\" y=\"25\">{} could not be drawn: {}</text></svg>",
            size.0,
            escape(title),
            escape(&e)
        );
    }
    Figure { stem: stem.to_string(), title: title.to_string(), svg }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A short dollar figure for axes (`$1.2k`).
fn usd_short(v: f64) -> String {
    if v.abs() >= 10_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else if v.abs() >= 1000.0 {
        format!("${:.1}k", v / 1000.0)
    } else {
        format!("${v:.0}")
    }
}

/// Labels for categorical positions 0..n on a float axis (key points between them get none).
fn category_label(labels: &[String], v: f64, reversed: bool) -> String {
    if (v - v.round()).abs() > 1e-6 || v.round() < 0.0 {
        return String::new();
    }
    let i = v.round() as usize;
    let i = if reversed { labels.len().wrapping_sub(1).wrapping_sub(i) } else { i };
    labels.get(i).cloned().unwrap_or_default()
}

fn label_area(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    (longest * 7 + 16).clamp(60, 340)
}

/// One point of a sweep: its label, its number (when numeric) and its cost (`None`: infeasible).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// The value as written.
    pub label: String,
    /// The value as a number, when it is one.
    pub x: Option<f64>,
    /// Dollars per month, or `None` when no plan exists.
    pub monthly: Option<f64>,
}

/// Cost per month against the swept value: one line with a marker and a label per point.
pub fn sweep_chart(stem: &str, param: &str, points: &[SweepPoint]) -> Figure {
    let title = format!("Cost against {param}");
    let numeric = points.iter().all(|p| p.x.is_some());
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let xs: Vec<f64> = points
        .iter()
        .enumerate()
        .map(|(i, p)| if numeric { p.x.unwrap_or(0.0) } else { i as f64 })
        .collect();
    let (mut lo, mut hi) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    if xs.is_empty() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.08 } else { 0.5 };
    let (lo, hi) = (lo - pad, hi + pad);
    let ymax = points.iter().filter_map(|p| p.monthly).fold(0.0, f64::max);
    let ymax = if ymax > 0.0 { ymax * 1.2 } else { 1.0 };
    let feasible: Vec<(f64, f64)> =
        points.iter().zip(&xs).filter_map(|(p, &x)| p.monthly.map(|y| (x, y))).collect();
    let infeasible: Vec<f64> =
        points.iter().zip(&xs).filter(|(p, _)| p.monthly.is_none()).map(|(_, &x)| x).collect();
    let color = PALETTE[0];
    render(stem, &title, (WIDTH, 440), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(lo..hi, 0.0..ymax)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(param.to_string())
            .y_desc("cost ($/month)")
            .y_label_formatter(&|v| usd_short(*v))
            .label_style((FONT, 13))
            .light_line_style(LIGHT_GRID)
            .axis_desc_style((FONT, 15));
        let fmt_cat = |v: &f64| category_label(&labels, *v, false);
        if numeric {
            mesh.draw()?;
        } else {
            mesh.x_labels(labels.len().max(1)).x_label_formatter(&fmt_cat).draw()?;
        }
        chart
            .draw_series(LineSeries::new(feasible.clone(), color.stroke_width(2)))?
            .label("cost per month")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart.draw_series(feasible.iter().map(|&(x, y)| Circle::new((x, y), 5, color.filled())))?;
        chart.draw_series(feasible.iter().map(|&(x, y)| {
            EmptyElement::at((x, y))
                + Text::new(format_usd(y), (-30, -22), (FONT, 12).into_font().color(&BLACK))
        }))?;
        if !infeasible.is_empty() {
            let red = PALETTE[3];
            chart
                .draw_series(infeasible.iter().map(|&x| {
                    EmptyElement::at((x, 0.0))
                        + Cross::new((0, 0), 6, red.stroke_width(2))
                        + Text::new("infeasible", (-24, -20), (FONT, 12).into_font().color(&red))
                }))?
                .label("no plan (infeasible)")
                .legend(move |(x, y)| Cross::new((x + 10, y), 5, red.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    })
}

/// Cost per month of every case, one horizontal bar each, stacked by purchase option.
pub fn purchase_chart(stem: &str, rows: &[CompareRow]) -> Figure {
    let title = "Cost per case by purchase option".to_string();
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let totals: Vec<f64> = rows.iter().map(|r| r.by_purchase.values().sum()).collect();
    let xmax = totals.iter().copied().fold(0.0, f64::max);
    let xmax = if xmax > 0.0 { xmax * 1.3 } else { 1.0 };
    let used: Vec<PurchaseOption> = PurchaseOption::ALL
        .into_iter()
        .filter(|p| rows.iter().any(|r| r.by_purchase.get(p).copied().unwrap_or(0.0) > 0.0))
        .collect();
    let height = 140 + 34 * n.max(1) as u32;
    let y_of = |i: usize| (n - 1 - i) as f64;
    render(stem, &title, (WIDTH, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(label_area(&labels))
            .build_cartesian_2d(0.0..xmax, -0.5..(n as f64 - 0.5))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|v| category_label(&labels, *v, true))
            .x_label_formatter(&|v| usd_short(*v))
            .x_desc("cost ($/month)")
            .label_style((FONT, 13))
            .light_line_style(LIGHT_GRID)
            .axis_desc_style((FONT, 15))
            .draw()?;
        let mut left = vec![0.0; n];
        for p in &used {
            let color = purchase_color(*p);
            let mut bars = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                let v = r.by_purchase.get(p).copied().unwrap_or(0.0);
                if v > 0.0 {
                    let y = y_of(i);
                    bars.push(Rectangle::new(
                        [(left[i], y - 0.32), (left[i] + v, y + 0.32)],
                        color.filled(),
                    ));
                    left[i] += v;
                }
            }
            chart.draw_series(bars)?.label(p.as_str()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
            });
        }
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let text =
                if r.monthly.is_some() { format_usd(totals[i]) } else { "infeasible".to_string() };
            EmptyElement::at((totals[i], y_of(i)))
                + Text::new(text, (6, -7), (FONT, 13).into_font().color(&BLACK))
        }))?;
        chart
            .configure_series_labels()
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    })
}

/// How a resource is shown in the packing chart.
fn unit(resource: &ResourceName) -> (&'static str, f64) {
    match resource {
        ResourceName::Cpu => ("vCPU", 1000.0),
        ResourceName::Memory | ResourceName::EphemeralStorage => ("GiB", (1u64 << 30) as f64),
        _ => ("count", 1.0),
    }
}

/// One horizontal bar per node, stacked by workload (and DaemonSets), against the node's allocatable (outline).
pub fn packing_chart(
    stem: &str,
    scenario: &Scenario,
    plan: &Plan,
    resource: &ResourceName,
) -> Figure {
    let (unit_name, per_unit) = unit(resource);
    let title = format!("Per-node packing: {resource} requests against allocatable ({unit_name})");
    let options = scenario.node_options().output;
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let n = plan.nodes.len();
    let labels: Vec<String> = plan.nodes.iter().map(|node| node.name.clone()).collect();
    let mut workloads: Vec<String> = plan
        .nodes
        .iter()
        .flat_map(|node| node.pods.iter().map(|p| p.workload.to_string()))
        .collect();
    workloads.sort();
    workloads.dedup();
    let amount = |node_i: usize, key: &str| -> f64 {
        let node = &plan.nodes[node_i];
        node.pods
            .iter()
            .filter(|p| p.workload.to_string() == key)
            .filter_map(|p| {
                scenario
                    .workload(&p.workload.namespace, &p.workload.name)
                    .map(|(_, w)| w.pod.requests.get(resource) as f64 * f64::from(p.count))
            })
            .sum::<f64>()
            / per_unit
    };
    let daemonsets: Vec<f64> = plan
        .nodes
        .iter()
        .map(|node| {
            by_key
                .get(&node.option_key())
                .map_or(0.0, |o| o.daemonset_requests.get(resource) as f64 / per_unit)
        })
        .collect();
    let allocatable: Vec<f64> = plan
        .nodes
        .iter()
        .map(|node| {
            let u = node_usage(scenario, node, by_key.get(&node.option_key()).copied());
            u.allocatable.get(resource) as f64 / per_unit
        })
        .collect();
    let xmax = allocatable.iter().copied().fold(0.0, f64::max);
    let xmax = if xmax > 0.0 { xmax * 1.45 } else { 1.0 };
    let legend_rows = workloads.len() + 2;
    let height = (120 + 26 * n.max(1) as u32).max(140 + 22 * legend_rows as u32);
    let y_of = |i: usize| (n - 1 - i) as f64;
    render(stem, &title, (WIDTH, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 20))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(label_area(&labels))
            .build_cartesian_2d(0.0..xmax, -0.5..(n as f64 - 0.5))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|v| category_label(&labels, *v, true))
            .x_desc(format!("{resource} ({unit_name})"))
            .label_style((FONT, 12))
            .light_line_style(LIGHT_GRID)
            .axis_desc_style((FONT, 15))
            .draw()?;
        let mut left = daemonsets.clone();
        chart
            .draw_series(daemonsets.iter().enumerate().filter(|(_, v)| **v > 0.0).map(
                |(i, &v)| {
                    Rectangle::new(
                        [(0.0, y_of(i) - 0.34), (v, y_of(i) + 0.34)],
                        DAEMONSET_COLOR.filled(),
                    )
                },
            ))?
            .label("DaemonSets")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], DAEMONSET_COLOR.filled())
            });
        for (k, w) in workloads.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let mut bars = Vec::new();
            for (i, start) in left.iter_mut().enumerate() {
                let v = amount(i, w);
                if v > 0.0 {
                    bars.push(Rectangle::new(
                        [(*start, y_of(i) - 0.34), (*start + v, y_of(i) + 0.34)],
                        color.filled(),
                    ));
                    *start += v;
                }
            }
            chart.draw_series(bars)?.label(w.clone()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
            });
        }
        chart
            .draw_series(allocatable.iter().enumerate().map(|(i, &a)| {
                Rectangle::new([(0.0, y_of(i) - 0.42), (a, y_of(i) + 0.42)], BLACK.stroke_width(1))
            }))?
            .label("allocatable (outline)")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], BLACK.stroke_width(1)));
        chart
            .configure_series_labels()
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()?;
        Ok(())
    })
}

/// Requests over allocatable for CPU and memory, per pool (instance type × purchase option × zone).
pub fn pool_utilization_chart(stem: &str, scenario: &Scenario, plan: &Plan) -> Figure {
    let title = "Utilisation per pool (requests / allocatable)".to_string();
    let options = scenario.node_options().output;
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let mut pools: BTreeMap<String, (u64, [f64; 4])> = BTreeMap::new();
    for node in &plan.nodes {
        let u = node_usage(scenario, node, by_key.get(&node.option_key()).copied());
        let e = pools.entry(node.option_key().to_string()).or_insert((0, [0.0; 4]));
        e.0 += 1;
        e.1[0] += u.requests.cpu.0 as f64;
        e.1[1] += u.allocatable.cpu.0 as f64;
        e.1[2] += u.requests.memory.0 as f64;
        e.1[3] += u.allocatable.memory.0 as f64;
    }
    let labels: Vec<String> = pools.iter().map(|(k, (c, _))| format!("{k} ×{c}")).collect();
    let ratio = |a: f64, b: f64| if b > 0.0 { 100.0 * a / b } else { 0.0 };
    let values: Vec<(f64, f64)> =
        pools.values().map(|(_, v)| (ratio(v[0], v[1]), ratio(v[2], v[3]))).collect();
    let n = labels.len();
    let policy_cpu = crate::policy::ppm_to_ratio(scenario.policy.utilization.cpu) * 100.0;
    let height = 150 + 44 * n.max(1) as u32;
    let y_of = |i: usize| (n - 1 - i) as f64;
    let (cpu_color, mem_color, limit_color) = (PALETTE[0], PALETTE[1], PALETTE[3]);
    render(stem, &title, (WIDTH, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(label_area(&labels))
            .build_cartesian_2d(0.0..130.0, -0.5..(n as f64 - 0.5))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|v| category_label(&labels, *v, true))
            .x_label_formatter(&|v| format!("{v:.0}%"))
            .x_desc("requested share of allocatable (%)")
            .label_style((FONT, 12))
            .light_line_style(LIGHT_GRID)
            .axis_desc_style((FONT, 15))
            .draw()?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, (c, _))| {
                Rectangle::new([(0.0, y_of(i) + 0.02), (*c, y_of(i) + 0.36)], cpu_color.filled())
            }))?
            .label("CPU")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], cpu_color.filled())
            });
        chart
            .draw_series(values.iter().enumerate().map(|(i, (_, m))| {
                Rectangle::new([(0.0, y_of(i) - 0.36), (*m, y_of(i) - 0.02)], mem_color.filled())
            }))?
            .label("memory")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], mem_color.filled())
            });
        chart.draw_series(values.iter().enumerate().flat_map(|(i, (c, m))| {
            [
                EmptyElement::at((*c, y_of(i) + 0.19))
                    + Text::new(format!("{c:.1}%"), (4, -6), (FONT, 11).into_font().color(&BLACK)),
                EmptyElement::at((*m, y_of(i) - 0.19))
                    + Text::new(format!("{m:.1}%"), (4, -6), (FONT, 11).into_font().color(&BLACK)),
            ]
        }))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(policy_cpu, -0.5), (policy_cpu, n as f64 - 0.5)],
                limit_color.stroke_width(2),
            )))?
            .label(format!("utilization policy ({policy_cpu:.0}% CPU)"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], limit_color.stroke_width(2))
            });
        chart
            .configure_series_labels()
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    })
}

/// The charts of a comparison: cost against each sweep, cost per case by purchase option, and the
/// base plan's packing (CPU and memory) and utilisation per pool.
pub fn compare_figures(
    study: &Study,
    rows: &[CompareRow],
    base_plan: Option<&Plan>,
) -> Vec<Figure> {
    let base = &study.base;
    let mut figures = Vec::new();
    for (i, sweep) in study.sweeps.iter().enumerate() {
        let param = sweep.param.as_str();
        let points: Vec<SweepPoint> = rows
            .iter()
            .filter(|r| r.kind == "sweep" && r.param.as_deref() == Some(param))
            .map(|r| SweepPoint {
                label: r.value.clone().unwrap_or_default(),
                x: r.value_number,
                monthly: r.monthly,
            })
            .collect();
        let stem = format!("sweep-{}-{}", i + 1, param.replace(['.', '_'], "-"));
        figures.push(sweep_chart(&stem, param, &points));
    }
    figures.push(purchase_chart("cost-by-purchase", rows));
    if let Some(plan) = base_plan {
        figures.extend(plan_figures(base, plan).into_iter().map(|mut f| {
            f.stem = format!("base-{}", f.stem);
            f.title = format!("Base plan — {}", f.title);
            f
        }));
    }
    figures
}

/// The charts of one plan: packing per node (CPU, memory) and utilisation per pool.
pub fn plan_figures(scenario: &Scenario, plan: &Plan) -> Vec<Figure> {
    vec![
        packing_chart("packing-cpu", scenario, plan, &ResourceName::Cpu),
        packing_chart("packing-memory", scenario, plan, &ResourceName::Memory),
        pool_utilization_chart("utilization-per-pool", scenario, plan),
    ]
}

/// Current versus recommended requests per pod, one workload per row, with the observed peak
/// (the sum of its containers' peaks) as a mark: CPU in cores or memory in GiB.
pub fn rightsize_chart(stem: &str, bars: &[super::rightsize::Bar], cpu: bool) -> Figure {
    let (title, unit) = if cpu {
        ("CPU request per pod: current and recommended (cores)", "cores per pod")
    } else {
        ("Memory request per pod: current and recommended (GiB)", "GiB per pod")
    };
    let scale = |v: u64| if cpu { v as f64 / 1000.0 } else { v as f64 / (1u64 << 30) as f64 };
    let labels: Vec<String> = bars.iter().map(|b| b.workload.clone()).collect();
    let values: Vec<(f64, f64, Option<f64>)> = bars
        .iter()
        .map(|b| {
            let (now, rec, peak) = if cpu { b.cpu } else { b.memory };
            (scale(now), scale(rec), peak.map(scale))
        })
        .collect();
    let n = labels.len();
    let top = values
        .iter()
        .map(|(a, b, p)| a.max(*b).max(p.unwrap_or(0.0)))
        .fold(0.0f64, f64::max)
        .max(0.001)
        * 1.15;
    let height = 150 + 44 * n.max(1) as u32;
    let y_of = |i: usize| (n.max(1) - 1 - i.min(n.max(1) - 1)) as f64;
    let (now_color, rec_color, peak_color) = (PALETTE[0], PALETTE[1], PALETTE[3]);
    let title_text = title.to_string();
    render(stem, title, (WIDTH, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title_text, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(label_area(&labels))
            .build_cartesian_2d(0.0..top, -0.5..(n.max(1) as f64 - 0.5))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n.max(1))
            .y_label_formatter(&|v| category_label(&labels, *v, true))
            .x_label_formatter(&|v| format!("{v:.2}"))
            .x_desc(unit)
            .label_style((FONT, 12))
            .light_line_style(LIGHT_GRID)
            .axis_desc_style((FONT, 15))
            .draw()?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, (now, _, _))| {
                Rectangle::new([(0.0, y_of(i) + 0.02), (*now, y_of(i) + 0.36)], now_color.filled())
            }))?
            .label("current request")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], now_color.filled())
            });
        chart
            .draw_series(values.iter().enumerate().map(|(i, (_, rec, _))| {
                Rectangle::new([(0.0, y_of(i) - 0.36), (*rec, y_of(i) - 0.02)], rec_color.filled())
            }))?
            .label("recommended request")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], rec_color.filled())
            });
        chart
            .draw_series(values.iter().enumerate().filter_map(|(i, (_, _, p))| {
                p.map(|p| {
                    PathElement::new(
                        vec![(p, y_of(i) - 0.42), (p, y_of(i) + 0.42)],
                        peak_color.stroke_width(3),
                    )
                })
            }))?
            .label("observed peak")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x + 7, y - 7), (x + 7, y + 7)], peak_color.stroke_width(3))
            });
        chart
            .configure_series_labels()
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
        Ok(())
    })
}

/// The right-sizing report's charts: CPU and memory per pod, current against recommended.
pub fn rightsize_figures(bars: &[super::rightsize::Bar]) -> Vec<Figure> {
    vec![
        rightsize_chart("rightsize-cpu", bars, true),
        rightsize_chart("rightsize-memory", bars, false),
    ]
}
