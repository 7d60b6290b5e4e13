//! The embedded catalogs.
