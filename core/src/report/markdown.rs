//! Markdown reports: tables in GitHub-flavoured Markdown, figures as images of SVG files written beside the report;
//! the commitment planner's report as tables for a pull request or a wiki.

use std::fmt::Write;

use super::Figure;
use super::document::{Block, Document};
use crate::cost::commit::CommitReport;
use crate::money::{HOURS_PER_MONTH, format_usd};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders a document as Markdown; figure `i` links to `{image_prefix}{stem}.svg`.
pub fn to_markdown(doc: &Document, figures: &[Figure], image_prefix: &str) -> String {
    let mut out = format!("# {}\n", doc.title);
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading(h) => out.push_str(&format!("## {h}\n")),
            Block::Paragraph(p) => out.push_str(&format!("{p}\n")),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", i.replace('\n', " ")));
                }
            }
            Block::Table { header, rows, right } => {
                out.push_str(&format!(
                    "| {} |\n",
                    header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
                ));
                let marks: Vec<&str> = (0..header.len())
                    .map(|i| if right.get(i).copied().unwrap_or(false) { "---:" } else { "---" })
                    .collect();
                out.push_str(&format!("| {} |\n", marks.join(" | ")));
                for r in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
            }
            Block::Figure(i) => {
                if let Some(f) = figures.get(*i) {
                    out.push_str(&format!("![{}]({image_prefix}{}.svg)\n", cell(&f.title), f.stem));
                }
            }
        }
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The commitment planner's report as Markdown.
pub fn commit_markdown(r: &CommitReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Commitment plan: {}\n", r.scenario);
    let _ = writeln!(
        out,
        "A {}-hour demand profile in {} load levels; the commitment program ran on the `{}` backend.\n",
        r.profile_hours,
        r.levels.len(),
        r.backend
    );
    out.push_str("| family | term | commit vCPU | $/vCPU-h | on-demand $/vCPU-h | break-even | used | $/month |\n");
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for c in &r.commitments {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.5} | {:.5} | {} | {} | {} |",
            c.family,
            c.option,
            c.vcpus,
            c.hourly,
            c.on_demand_hourly,
            pct(c.break_even),
            if c.vcpus > 0 { pct(c.utilisation) } else { "-".into() },
            format_usd(c.hourly * f64::from(c.vcpus) * HOURS_PER_MONTH)
        );
    }
    let saving = r.monthly_all_on_demand - r.monthly;
    let _ = writeln!(out, "\n| | $/month |\n|---|---:|");
    let _ = writeln!(out, "| with the commitment | {} |", format_usd(r.monthly));
    let _ = writeln!(out, "| committed part | {} |", format_usd(r.monthly_committed));
    let _ = writeln!(out, "| on-demand part | {} |", format_usd(r.monthly_on_demand));
    let _ = writeln!(out, "| spot part | {} |", format_usd(r.monthly_spot));
    let _ = writeln!(out, "| without a commitment | {} |", format_usd(r.monthly_no_commitment));
    let _ = writeln!(out, "| all on-demand | {} |", format_usd(r.monthly_all_on_demand));
    let _ = writeln!(
        out,
        "\nSaving against all on-demand: {}/month ({}). Coverage {} of non-spot vCPU-hours; commitment utilisation {}.\n",
        format_usd(saving),
        pct(if r.monthly_all_on_demand > 0.0 { saving / r.monthly_all_on_demand } else { 0.0 }),
        pct(r.coverage),
        pct(r.utilisation)
    );
    out.push_str("## If demand fell\n\nReservations cannot be refunded: unused committed hours are paid anyway.\n\n");
    out.push_str("| demand | unused vCPU-hours/month | waste $/month | utilisation |\n|---|---:|---:|---:|\n");
    for w in &r.waste {
        let _ = writeln!(
            out,
            "| -{:.0}% | {:.0} | {} | {} |",
            100.0 * w.fall,
            w.unused_vcpu_hours_per_month,
            format_usd(w.monthly),
            pct(w.utilisation)
        );
    }
    out.push_str("\n## Load levels\n\n| scale | hours | pods | non-spot nodes | spot nodes |\n|---|---:|---:|---|---:|\n");
    for l in &r.levels {
        let nodes: Vec<String> = l.non_spot.iter().map(|(t, n)| format!("{n}×{t}")).collect();
        let _ = writeln!(
            out,
            "| {:.2}-{:.2} | {} | {} | {} | {} |",
            l.scale.0,
            l.scale.1,
            l.hours.len(),
            l.replicas.iter().map(|x| u64::from(*x)).sum::<u64>(),
            nodes.join(" "),
            l.spot_nodes
        );
    }
    out
}
