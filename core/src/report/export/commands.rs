//! `gcloud container node-pools create` and `az aks nodepool add` commands, one per pool, built as
//! argument lists and quoted for a POSIX shell.

use super::{ExportOptions, Group, with_headroom};
use crate::plan::Plan;

/// Quotes an argument for a POSIX shell when it needs it (`'…'`, with `'` as `'\''`).
fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain { arg.to_string() } else { format!("'{}'", arg.replace('\'', "'\\''")) }
}

fn line(args: &[String]) -> String {
    let quoted: Vec<String> = args.iter().map(|a| quote(a)).collect();
    format!("{}\n", quoted.join(" "))
}

fn header(plan: &Plan, tool: &str, options: &ExportOptions) -> String {
    format!(
        "#!/bin/sh\n# {tool} commands for plan {:?}: one node pool per pool (instance type, purchase option,\n# zone); autoscaling from the plan's count up to {}% headroom.\nset -eu\n",
        plan.scenario,
        options.headroom_ppm / 10_000
    )
}

/// `gcloud container node-pools create` per pool.
pub(super) fn gcloud(plan: &Plan, groups: &[Group], options: &ExportOptions) -> String {
    let mut out = header(plan, "gcloud", options);
    for g in groups {
        let mut args: Vec<String> =
            ["gcloud", "container", "node-pools", "create"].iter().map(|s| s.to_string()).collect();
        args.push(g.name());
        args.push(format!("--cluster={}", options.cluster_name));
        args.push(format!("--region={}", plan.region));
        args.push(format!("--node-locations={}", g.zone));
        args.push(format!("--machine-type={}", g.instance_type));
        args.push(format!("--num-nodes={}", g.count));
        args.push("--enable-autoscaling".to_string());
        args.push(format!("--min-nodes={}", g.count));
        args.push(format!("--max-nodes={}", with_headroom(g.count, options)));
        args.push(format!("--node-labels=kplan.dev/pool={}", g.name()));
        if g.purchase.is_spot() {
            args.push("--spot".to_string());
        }
        out.push_str(&line(&args));
    }
    out
}

/// `az aks nodepool add` per pool; the resource group comes from `$RESOURCE_GROUP`.
pub(super) fn az(plan: &Plan, groups: &[Group], options: &ExportOptions) -> String {
    let mut out = header(plan, "az", options);
    out.push_str(": \"${RESOURCE_GROUP:?set RESOURCE_GROUP to the cluster's resource group}\"\n");
    for (i, g) in groups.iter().enumerate() {
        let name = format!("kp{:02}{}", i + 1, if g.purchase.is_spot() { "spot" } else { "od" });
        let mut args: Vec<String> =
            ["az", "aks", "nodepool", "add"].iter().map(|s| s.to_string()).collect();
        let mut rest = vec![
            "--resource-group".to_string(),
            "RESOURCE_GROUP".to_string(),
            "--cluster-name".to_string(),
            options.cluster_name.clone(),
            "--name".to_string(),
            name,
            "--node-vm-size".to_string(),
            g.instance_type.clone(),
            "--zones".to_string(),
            super::terraform::azure_zone(&g.zone),
            "--node-count".to_string(),
            g.count.to_string(),
            "--enable-cluster-autoscaler".to_string(),
            "--min-count".to_string(),
            g.count.to_string(),
            "--max-count".to_string(),
            with_headroom(g.count, options).to_string(),
            "--labels".to_string(),
            format!("kplan.dev/pool={}", g.name()),
        ];
        if g.purchase.is_spot() {
            rest.extend(
                ["--priority", "Spot", "--eviction-policy", "Delete", "--spot-max-price", "-1"]
                    .iter()
                    .map(|s| s.to_string()),
            );
        }
        args.append(&mut rest);
        // The resource group is the shell's variable, so it is not quoted as a literal.
        let text = line(&args).replacen(" RESOURCE_GROUP ", " \"$RESOURCE_GROUP\" ", 1);
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn arguments_are_quoted_only_when_needed() {
        assert_eq!(quote("--machine-type=e2-standard-4"), "--machine-type=e2-standard-4");
        assert_eq!(quote("my cluster"), "'my cluster'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
