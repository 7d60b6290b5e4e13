//! Rendering plans and comparisons: JSON (`kplan.plan/v1`), terminal tables, and the report formats.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod table;
