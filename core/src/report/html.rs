//! Self-contained HTML reports: inline CSS and inline SVG figures, no external requests.

use super::Figure;
use super::document::{Block, Document};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #1f77b4;padding-bottom:.3rem}
h2{font-size:1.2rem;margin-top:2rem;color:#1f4e79}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem}
th{background:#eef3f8;text-align:left}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}
figure{margin:1.5rem 0}
figure svg{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:.85rem;color:#555}
footer{margin-top:2rem;font-size:.8rem;color:#777}";

/// Renders a document as one HTML page with its figures inline.
pub fn to_html(doc: &Document, figures: &[Figure]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&doc.title),
        escape(&doc.title)
    );
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Block::Paragraph(p) => out.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows, right } => {
                let class = |i: usize| {
                    if right.get(i).copied().unwrap_or(false) { " class=\"r\"" } else { "" }
                };
                out.push_str("<table>\n<thead><tr>");
                for (i, h) in header.iter().enumerate() {
                    out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        out.push_str(&format!("<td{}>{}</td>", class(i), escape(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Figure(i) => {
                if let Some(f) = figures.get(*i) {
                    out.push_str(&format!(
                        "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                        escape(&f.stem),
                        strip_xml_declaration(&f.svg),
                        escape(&f.title)
                    ));
                }
            }
        }
    }
    out.push_str("<footer>Made by kplan. This page is self-contained: it loads nothing from the network.</footer>\n</body>\n</html>\n");
    out
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest.find("?>").map_or(svg, |i| rest[i + 2..].trim_start()),
        None => svg,
    }
}
