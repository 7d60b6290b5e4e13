//! Numbers as the page shows them, always with their unit.

use serde_json::Value;

/// A number the page shows, or none (`—`): a field of a report's types or a JSON value.
pub(crate) trait Amount {
    /// The number, when there is one.
    fn amount(&self) -> Option<f64>;
}

impl Amount for f64 {
    fn amount(&self) -> Option<f64> {
        Some(*self)
    }
}

impl Amount for Option<f64> {
    fn amount(&self) -> Option<f64> {
        *self
    }
}

impl Amount for Value {
    fn amount(&self) -> Option<f64> {
        self.as_f64()
    }
}

/// `$1,234.56` from dollars.
pub(crate) fn usd(v: &impl Amount) -> String {
    v.amount().map_or_else(|| "—".to_string(), kplan_core::money::format_usd)
}

/// `$0.0960/h` from dollars per hour.
pub(crate) fn usd_hourly(v: &impl Amount) -> String {
    v.amount().map_or_else(|| "—".to_string(), |x| format!("${x:.4}/h"))
}

/// `22.6%` from a fraction.
pub(crate) fn pct(v: &impl Amount) -> String {
    v.amount().map_or_else(|| "—".to_string(), kplan_core::report::compare::pct)
}

/// A JSON value as plain text (strings unquoted).
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        other => other.to_string(),
    }
}
