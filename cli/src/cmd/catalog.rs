//! `kplan catalog`: list instance types with prices, or rank them for one pod profile (`--fit`).

use kplan_core::catalog::{Arch, Category, Provider, PurchaseOption};
use kplan_core::overhead::OverheadProfile;
use kplan_core::quantity::{Bytes, Cpu};
use kplan_core::query::{self, Query};
use kplan_core::report::csv::to_csv;
use kplan_core::report::text::columns;

use crate::args::{CatalogArgs, CatalogFormat};
use crate::{EXIT_OK, Failure, Io};

fn bad(msg: String) -> Failure {
    Failure::bad_input(format!("error: {msg}\n"))
}

fn build_query(a: &CatalogArgs) -> Result<Query, Failure> {
    let providers = a
        .provider
        .iter()
        .map(|p| p.parse::<Provider>().map_err(|e| bad(format!("--provider: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if providers.contains(&Provider::Custom) {
        return Err(bad(
            "--provider: the custom provider has no catalog; its types live in a scenario".into(),
        ));
    }
    Ok(Query {
        providers,
        region: a.region.clone(),
        families: a.family.clone(),
        names: a.instance_type.clone(),
        arch: a
            .arch
            .as_deref()
            .map(|s| s.parse::<Arch>().map_err(|e| bad(format!("--arch: {e}"))))
            .transpose()?,
        category: a
            .category
            .as_deref()
            .map(|s| s.parse::<Category>().map_err(|e| bad(format!("--category: {e}"))))
            .transpose()?,
        min_cpu: a
            .min_cpu
            .as_deref()
            .map(|s| Cpu::parse(s).map_err(|e| bad(format!("--min-cpu: {e}"))))
            .transpose()?,
        min_memory: a
            .min_memory
            .as_deref()
            .map(|s| Bytes::parse(s).map_err(|e| bad(format!("--min-memory: {e}"))))
            .transpose()?,
    })
}

fn money(p: Option<f64>) -> String {
    p.map_or_else(String::new, |x| format!("{x:.4}"))
}

pub(crate) fn run(a: &CatalogArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let q = build_query(a)?;
    if let Some(region) = &q.region {
        let providers = if q.providers.is_empty() {
            vec![Provider::Aws, Provider::Gcp, Provider::Azure]
        } else {
            q.providers.clone()
        };
        for p in providers {
            let regions = kplan_core::catalog::builtin::catalog(p).regions();
            if !regions.contains(region) {
                return Err(bad(format!(
                    "--region: {p} has no prices in {region:?}; expected one of {}",
                    regions.join(", ")
                )));
            }
        }
    }
    let text = match &a.fit {
        Some(fit) => fit_output(a, &q, fit)?,
        None => list_output(a, &q),
    };
    io.emit(a.out.as_deref(), &text)?;
    Ok(EXIT_OK)
}

fn list_output(a: &CatalogArgs, q: &Query) -> String {
    let rows = query::list(q);
    let header = [
        "provider",
        "instance_type",
        "family",
        "category",
        "vcpus",
        "memory",
        "gpus",
        "arch",
        "region",
        "on_demand",
        "reserved_1y",
        "reserved_3y",
        "spot",
        "spot_estimate",
        "interruption",
    ];
    let price = |r: &query::Row<'_>, o: PurchaseOption| {
        r.prices.iter().find(|(p, _)| *p == o).and_then(|(_, x)| *x).map(|p| p.0)
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let it = r.instance_type;
            vec![
                it.provider.to_string(),
                it.name.clone(),
                it.family.clone(),
                it.category.to_string(),
                it.cpu.human(),
                it.memory.human(),
                it.gpus.to_string(),
                it.arch.to_string(),
                r.region.clone(),
                money(price(r, PurchaseOption::OnDemand)),
                money(price(r, PurchaseOption::Reserved1y)),
                money(price(r, PurchaseOption::Reserved3y)),
                money(price(r, PurchaseOption::Spot)),
                if r.spot_estimate { "yes".into() } else { String::new() },
                r.interruption.clone().unwrap_or_default(),
            ]
        })
        .collect();
    match a.format {
        CatalogFormat::Csv => to_csv(&header, &cells),
        CatalogFormat::Json => json_rows(&header, &cells),
        CatalogFormat::Table => {
            let shown: Vec<Vec<String>> = cells
                .iter()
                .take(a.limit)
                .map(|c| {
                    let spot = if c[13] == "yes" && !c[12].is_empty() {
                        format!("{}*", c[12])
                    } else {
                        c[12].clone()
                    };
                    vec![
                        c[0].clone(),
                        c[1].clone(),
                        c[4].clone(),
                        c[5].clone(),
                        c[6].clone(),
                        c[7].clone(),
                        c[9].clone(),
                        c[10].clone(),
                        spot,
                        c[14].clone(),
                    ]
                })
                .collect();
            let mut out = columns(
                &[
                    "PROVIDER",
                    "INSTANCE TYPE",
                    "VCPU",
                    "MEMORY",
                    "GPU",
                    "ARCH",
                    "ON-DEMAND $/H",
                    "RESERVED-1Y $/H",
                    "SPOT $/H",
                    "INTERRUPTION",
                ],
                &shown,
                &[false, false, true, true, true, false, true, true, true, false],
            );
            out.push_str(&format!(
                "\n{} of {} instance types shown{}; * = estimate (on-demand × (1 − Spot Advisor savings))\n",
                shown.len(),
                cells.len(),
                if shown.len() < cells.len() { " (--limit, or --format csv for all)" } else { "" }
            ));
            out
        }
    }
}

fn json_rows(header: &[&str], rows: &[Vec<String>]) -> String {
    let v: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::Value::Object(
                header
                    .iter()
                    .zip(r)
                    .map(|(h, c)| (h.to_string(), serde_json::Value::String(c.clone())))
                    .collect(),
            )
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("a JSON value always serializes") + "\n"
}

fn fit_output(a: &CatalogArgs, q: &Query, fit: &str) -> Result<String, Failure> {
    let Some((cpu, mem)) = fit.split_once(',') else {
        return Err(bad(format!("--fit: expected CPU,MEMORY such as 500m,1Gi, found {fit:?}")));
    };
    let cpu = Cpu::parse(cpu.trim()).map_err(|e| bad(format!("--fit: {e}")))?;
    let mem = Bytes::parse(mem.trim()).map_err(|e| bad(format!("--fit: {e}")))?;
    if cpu.0 == 0 && mem.0 == 0 {
        return Err(bad("--fit: the pod must request some CPU or memory".into()));
    }
    let profile = a
        .overhead
        .as_deref()
        .map(|s| OverheadProfile::parse_name(s).map_err(|e| bad(format!("--overhead: {e}"))))
        .transpose()?;
    let fits = query::fit(q, cpu, mem, profile.as_ref());
    let header = [
        "rank",
        "provider",
        "instance_type",
        "region",
        "overhead",
        "vcpus",
        "memory",
        "allocatable_cpu",
        "allocatable_memory",
        "pods_per_node",
        "binding",
        "on_demand_hourly",
        "cost_per_pod_month",
        "allocatable_efficiency",
        "stranded_share",
    ];
    let cells: Vec<Vec<String>> = fits
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let it = f.row.instance_type;
            let od = f
                .row
                .prices
                .iter()
                .find(|(o, _)| *o == PurchaseOption::OnDemand)
                .and_then(|(_, p)| *p)
                .map(|p| p.0);
            vec![
                (i + 1).to_string(),
                it.provider.to_string(),
                it.name.clone(),
                f.row.region.clone(),
                f.profile.to_string(),
                it.cpu.human(),
                it.memory.human(),
                f.allocatable.cpu.human(),
                f.allocatable.memory.human(),
                f.pods_per_node.to_string(),
                f.binding.to_string(),
                money(od),
                format!("{:.2}", f.cost_per_pod_month),
                format!("{:.3}", f.allocatable_efficiency),
                format!("{:.3}", f.stranded_share),
            ]
        })
        .collect();
    Ok(match a.format {
        CatalogFormat::Csv => to_csv(&header, &cells),
        CatalogFormat::Json => json_rows(&header, &cells),
        CatalogFormat::Table => {
            let shown: Vec<Vec<String>> = cells
                .iter()
                .take(a.limit)
                .map(|c| {
                    vec![
                        c[0].clone(),
                        format!("{} {}", c[1], c[2]),
                        c[4].clone(),
                        format!("{}/{}", c[7], c[8]),
                        c[9].clone(),
                        c[10].clone(),
                        format!("${}", c[12]),
                        format!("{:.0}%", 100.0 * c[13].parse::<f64>().unwrap_or(0.0)),
                        format!("{:.0}%", 100.0 * c[14].parse::<f64>().unwrap_or(0.0)),
                    ]
                })
                .collect();
            let mut out = format!(
                "Pods of {} CPU and {} memory, cheapest per pod first (on-demand):\n\n",
                cpu.human(),
                mem.human()
            );
            out.push_str(&columns(
                &[
                    "#",
                    "INSTANCE TYPE",
                    "OVERHEAD",
                    "ALLOCATABLE CPU/MEM",
                    "PODS/NODE",
                    "BINDING",
                    "$/POD/MONTH",
                    "ALLOC. EFF.",
                    "STRANDED",
                ],
                &shown,
                &[true, false, false, true, true, false, true, true, true],
            ));
            out.push_str(&format!("\n{} of {} instance types shown\n", shown.len(), cells.len()));
            out
        }
    })
}
