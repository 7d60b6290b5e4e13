//! The stable JSON shapes kplan writes, one file per schema: plans (`kplan.plan/v1`, written in
//! `plan` and read back in `read`), comparisons (`kplan.compare/v1`), plan diffs (`kplan.diff/v1`) and
//! commitment reports (`kplan.commit/v1`); `explain` holds the plan's `explain` block. Their DTOs are the only `Serialize` types.
//!
//! Quantities are written in canonical Kubernetes form (`3920m`, `7442Mi`) so that a plan read
//! back is exactly the plan written. Node prices keep full precision; totals are rounded
//! (hourly to 6 decimals, monthly and yearly to cents).

pub mod commit;
mod compare;
mod diff;
mod explain;
pub mod plan;
mod read;

pub use commit::{COMMIT_SCHEMA, commit_json};
pub use compare::{COMPARE_SCHEMA, compare_to_json};
pub use diff::{DIFF_SCHEMA, diff_to_json};
pub use plan::{
    SCHEMA, plan_to_json, plan_to_json_explained, plan_to_json_with_finance, plan_value,
    plan_value_explained, plan_value_with_finance,
};
pub use read::read_plan;

use serde_json::Value;

use crate::diag::{Diagnostic, Severity};
use crate::resources::Resources;

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A resource amount as a JSON object of canonical quantities (`{"cpu": "250m", "memory": "1Gi", "pods": 3}`).
pub fn resources_json(r: &Resources) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("cpu".into(), Value::String(r.cpu.to_string()));
    m.insert("memory".into(), Value::String(r.memory.to_string()));
    m.insert("pods".into(), Value::from(r.pods));
    if r.ephemeral_storage.0 != 0 {
        m.insert("ephemeral-storage".into(), Value::String(r.ephemeral_storage.to_string()));
    }
    for (k, v) in &r.extended {
        m.insert(k.clone(), Value::from(*v));
    }
    Value::Object(m)
}

/// A diagnostic as a JSON object (for machine-readable error output).
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    serde_json::json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "note" },
        "message": d.message,
        "source": d.source,
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "path": d.path,
        "hints": d.hints,
    })
}
