//! CSV readers for the catalogs.
