//! Markdown reports: tables in GitHub-flavoured Markdown, figures as images of SVG files written beside the report.

use super::Figure;
use super::document::{Block, Document};

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
