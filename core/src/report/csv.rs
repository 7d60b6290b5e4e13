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

/// The CSV of a comparison: one row per case, raw numbers (dollars per month, fractions).
pub fn compare_csv(rows: &[super::compare::CompareRow]) -> String {
    use crate::catalog::PurchaseOption;
    let mut header = vec![
        "case",
        "kind",
        "parameter",
        "value",
        "nodes",
        "usd_per_month",
        "delta_usd_per_month",
        "delta_fraction",
        "karpenter_usd_per_month",
        "cpu_utilization",
        "memory_utilization",
        "gap",
        "status",
        "warnings",
    ];
    let purchase_cols: Vec<String> =
        PurchaseOption::ALL.iter().map(|p| format!("{p}_usd_per_month")).collect();
    header.extend(purchase_cols.iter().map(String::as_str));
    header.push("error");
    let num = |x: Option<f64>, digits: usize| x.map_or(String::new(), |v| format!("{v:.digits$}"));
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut c = vec![
                r.label.clone(),
                r.kind.to_string(),
                r.param.clone().unwrap_or_default(),
                r.value.clone().unwrap_or_default(),
                r.nodes.map_or(String::new(), |n| n.to_string()),
                num(r.monthly, 2),
                num(r.delta_monthly, 2),
                num(r.delta_fraction, 4),
                num(r.karpenter_monthly, 2),
                num(r.cpu_utilization, 4),
                num(r.memory_utilization, 4),
                num(r.gap, 4),
                r.status.clone(),
                r.warnings.len().to_string(),
            ];
            c.extend(PurchaseOption::ALL.iter().map(|p| num(r.by_purchase.get(p).copied(), 2)));
            c.push(r.error.clone().unwrap_or_default());
            c
        })
        .collect();
    to_csv(&header, &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_what_needs_quoting() {
        let s = super::to_csv(&["a", "b"], &[vec!["x,y".into(), "plain".into()]]);
        assert_eq!(s, "a,b\n\"x,y\",plain\n");
    }
}
