//! Numbers as the page shows them, always with their unit.

use serde_json::Value;

/// `$1,234.56` from a JSON number of dollars.
pub(crate) fn usd(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), kplan_core::money::format_usd)
}

/// `$0.0960/h` from a JSON number of dollars per hour.
pub(crate) fn usd_hourly(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), |x| format!("${x:.4}/h"))
}

/// `22.6%` from a JSON fraction.
pub(crate) fn pct(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".to_string(), kplan_core::report::compare::pct)
}

/// A JSON value as plain text (strings unquoted).
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        other => other.to_string(),
    }
}
