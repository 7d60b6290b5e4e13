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

/// ANSI styles of the severities: bold red errors, bold yellow warnings, bold cyan notes.
fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Note => "\x1b[1;36m",
    }
}

/// The ANSI reset.
const RESET: &str = "\x1b[0m";

/// Colours the severity word that opens each line of a command's message (`error: …`,
/// `warning: …`); other text is left as it is.
pub fn colour_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for line in message.split_inclusive('\n') {
        let styled =
            [Severity::Error, Severity::Warning, Severity::Note].into_iter().find_map(|s| {
                let word = s.to_string();
                line.strip_prefix(word.as_str())
                    .filter(|rest| rest.starts_with(':'))
                    .map(|rest| format!("{}{word}{RESET}{rest}", severity_style(s)))
            });
        out.push_str(styled.as_deref().unwrap_or(line));
    }
    out
}

/// Renders a diagnostic: the one-line `file:line:col: error: message (at path)` form, then,
/// when the source text is at hand, the offending line with a label. With `colour`, the
/// severity and the label are coloured (ANSI).
pub fn render(d: &Diagnostic, text: Option<&str>, colour: bool) -> String {
    let mut plain = d.clone();
    plain.hints.clear();
    let headline = if colour {
        let prefix = plain.prefix();
        let rest = plain.to_string().split_off(prefix.len());
        let word = d.severity.to_string();
        match rest.strip_prefix(word.as_str()) {
            Some(tail) => format!("{prefix}{}{word}{RESET}{tail}", severity_style(d.severity)),
            None => format!("{prefix}{rest}"),
        }
    } else {
        plain.to_string()
    };
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
    let theme = if colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        // One line per message, whatever the path's length: grep-able, and stable in tests.
        .with_wrap_lines(false);
    if handler.render_report(&mut out, &rendered).is_err() {
        return format!("{}\n", d);
    }
    out
}
