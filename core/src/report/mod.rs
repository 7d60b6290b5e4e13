//! Rendering plans, comparisons and right-sizing: JSON (`kplan.plan/v1`, `kplan.rightsize/v1`), terminal tables, CSV, Markdown, HTML and SVG charts.

#[cfg(feature = "charts")]
pub mod chart;
pub mod compare;
pub mod csv;
pub mod current;
pub mod diff;
pub mod document;
pub mod explain;
pub mod export;
pub mod html;
pub mod json;
pub mod markdown;
pub mod policies;
pub mod rightsize;
pub mod table;
pub mod text;

/// A drawn chart: an SVG document with its title and a file stem (`cost-by-purchase`).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// File name without extension, for the SVG written beside a Markdown report.
    pub stem: String,
    /// Title (also the image's alternative text).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}
