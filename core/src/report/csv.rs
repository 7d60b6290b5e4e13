//! CSV output for spreadsheets (the csv crate's writer, so quoting is right).

/// Writes a header and rows as CSV text.
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_what_needs_quoting() {
        let s = super::to_csv(&["a", "b"], &[vec!["x,y".into(), "plain".into()]]);
        assert_eq!(s, "a,b\n\"x,y\",plain\n");
    }
}
