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

/// The pools of a plan as CSV: type, purchase option, zone, nodes, $/hour each, $/month.
pub fn plan_csv(plan: &crate::plan::Plan) -> String {
    let rows: Vec<Vec<String>> = plan
        .pools()
        .iter()
        .map(|p| {
            vec![
                plan.scenario.clone(),
                p.instance_type.clone(),
                p.purchase.to_string(),
                p.zone.clone(),
                p.count.to_string(),
                format!("{:.6}", p.hourly_each.0),
                format!("{:.2}", p.hourly_each.monthly() * p.count as f64),
            ]
        })
        .collect();
    to_csv(
        &[
            "scenario",
            "instance_type",
            "purchase",
            "zone",
            "nodes",
            "usd_per_hour_each",
            "usd_per_month",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_what_needs_quoting() {
        let s = super::to_csv(&["a", "b"], &[vec!["x,y".into(), "plain".into()]]);
        assert_eq!(s, "a,b\n\"x,y\",plain\n");
    }
}
