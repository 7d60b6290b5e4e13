//! Rendering core diagnostics for the terminal with miette: the message, then the source line with a label.

use std::fmt;

use kplan_core::diag::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

#[derive(Debug)]
struct Rendered {
    message: String,
    severity: Severity,
    source: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
    help: Option<String>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some("here".to_string()), span))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// Renders a diagnostic: the one-line `file:line:col: error: message (at path)` form, then,
/// when the source text is at hand, the offending line with a label.
pub fn render(d: &Diagnostic, text: Option<&str>) -> String {
    let mut plain = d.clone();
    plain.hints.clear();
    let headline = plain.to_string();
    let (source, span) = match (text, d.offset, &d.source) {
        (Some(t), Some(off), Some(name)) if off <= t.len() => {
            let len = t[off..].chars().next().map_or(0, char::len_utf8);
            (
                Some(NamedSource::new(name.clone(), t.to_string())),
                Some(SourceSpan::from((off, len))),
            )
        }
        _ => (None, None),
    };
    let help = (!d.hints.is_empty()).then(|| d.hints.join("\n"));
    if source.is_none() {
        let mut out = headline;
        for h in &d.hints {
            out.push_str(&format!("\n  hint: {h}"));
        }
        return out + "\n";
    }
    let rendered = Rendered { message: headline, severity: d.severity, source, span, help };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        // One line per message, whatever the path's length: grep-able, and stable in tests.
        .with_wrap_lines(false);
    if handler.render_report(&mut out, &rendered).is_err() {
        return format!("{}\n", d);
    }
    out
}
