//! The `kplan.diff/v1` JSON of the difference between two plans.

use serde::Serialize;

use crate::money::round_cents;
use crate::report::diff::{Change, PlanDiff};

/// The schema name of a plan diff.
pub const DIFF_SCHEMA: &str = "kplan.diff/v1";

#[derive(Serialize)]
struct ChangeDto<'a> {
    name: &'a str,
    old: f64,
    new: f64,
    delta: f64,
}

#[derive(Serialize)]
struct PoolChangeDto<'a> {
    pool: &'a str,
    old_nodes: u64,
    new_nodes: u64,
    old_monthly: f64,
    new_monthly: f64,
    delta_monthly: f64,
}

#[derive(Serialize)]
struct CountChangeDto {
    old: u64,
    new: u64,
    delta: i64,
}

#[derive(Serialize)]
struct DiffDto<'a> {
    schema: &'static str,
    old_scenario: &'a str,
    new_scenario: &'a str,
    nodes: CountChangeDto,
    pods: CountChangeDto,
    monthly: ChangeDto<'a>,
    pools: Vec<PoolChangeDto<'a>>,
    unchanged_pools: usize,
    by_purchase: Vec<ChangeDto<'a>>,
    by_namespace: Vec<ChangeDto<'a>>,
}

fn named_changes(list: &[Change]) -> Vec<ChangeDto<'_>> {
    list.iter()
        .map(|c| ChangeDto {
            name: c.name.as_str(),
            old: round_cents(c.old),
            new: round_cents(c.new),
            delta: round_cents(c.delta()),
        })
        .collect()
}

/// A plan diff as `kplan.diff/v1` JSON (money rounded to cents).
pub fn diff_to_json(d: &PlanDiff) -> String {
    let change = |c: &'_ Change| ChangeDto {
        name: "",
        old: round_cents(c.old),
        new: round_cents(c.new),
        delta: round_cents(c.delta()),
    };
    let count = |o: u64, n: u64| CountChangeDto {
        old: o,
        new: n,
        delta: i64::try_from(n).unwrap_or(i64::MAX) - i64::try_from(o).unwrap_or(i64::MAX),
    };
    let mut monthly = change(&d.monthly);
    monthly.name = "total";
    let dto = DiffDto {
        schema: DIFF_SCHEMA,
        old_scenario: &d.old_scenario,
        new_scenario: &d.new_scenario,
        nodes: count(d.nodes.0 as u64, d.nodes.1 as u64),
        pods: count(d.pods.0, d.pods.1),
        monthly,
        pools: d
            .pools
            .iter()
            .map(|p| PoolChangeDto {
                pool: &p.pool,
                old_nodes: p.old_count,
                new_nodes: p.new_count,
                old_monthly: round_cents(p.old_monthly),
                new_monthly: round_cents(p.new_monthly),
                delta_monthly: round_cents(p.new_monthly - p.old_monthly),
            })
            .collect(),
        unchanged_pools: d.unchanged_pools,
        by_purchase: named_changes(&d.by_purchase),
        by_namespace: named_changes(&d.by_namespace),
    };
    serde_json::to_string_pretty(&dto).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    ) + "\n"
}
