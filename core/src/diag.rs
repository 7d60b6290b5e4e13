//! Diagnostics: errors and warnings that name their file, line:column or field path, and what was expected.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input is used, but something deserves attention.
    Warning,
    /// Background information.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A name outside a closed set (a provider, an architecture, a strategy, …):
/// `unknown provider "x"; expected one of aws, gcp, azure, custom`.
///
/// ```
/// use kplan_core::catalog::Provider;
/// let err = "ibm".parse::<Provider>().unwrap_err();
/// assert_eq!(err.what, "provider");
/// assert_eq!(err.to_string(), r#"unknown provider "ibm"; expected one of aws, gcp, azure, custom"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {given:?}; expected {expected}")]
pub struct UnknownName {
    /// What kind of name it should be (`provider`).
    pub what: &'static str,
    /// The name given.
    pub given: String,
    /// The names accepted, as a phrase (`one of aws, gcp, azure, custom`).
    pub expected: String,
}

impl UnknownName {
    /// `given` is not a `what`; `expected` says what is.
    pub fn new(what: &'static str, given: &str, expected: impl Into<String>) -> UnknownName {
        UnknownName { what, given: given.to_string(), expected: expected.into() }
    }
}

/// A 1-based line and column in a source text (columns count characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem or remark about an input, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// What is wrong and what was expected, as a sentence without a trailing period.
    pub message: String,
    /// The file (or `<stdin>`, or a logical name such as `scenario`), when known.
    pub source: Option<String>,
    /// Line and column, when known.
    pub location: Option<Location>,
    /// Byte offset of the location in the source text, when known.
    pub offset: Option<usize>,
    /// The field path (`workloads[2].requests.cpu`), when known.
    pub path: Option<String>,
    /// The document index in a multi-document file (0-based), when the file has several.
    pub document: Option<usize>,
    /// Suggestions for fixing it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error with a message and nothing else.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, message)
    }

    /// A warning with a message and nothing else.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, message)
    }

    /// A note with a message and nothing else.
    pub fn note(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, message)
    }

    pub(crate) fn new(severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            message: message.into(),
            source: None,
            location: None,
            offset: None,
            path: None,
            document: None,
            hints: Vec::new(),
        }
    }

    /// Sets the field path.
    pub fn with_path(mut self, path: impl Into<String>) -> Diagnostic {
        let path = path.into();
        self.path = if path.is_empty() || path == "." { None } else { Some(path) };
        self
    }

    /// Sets the source name.
    pub fn with_source(mut self, source: impl Into<String>) -> Diagnostic {
        self.source = Some(source.into());
        self
    }

    /// Sets the location (and its byte offset when the text is at hand).
    pub fn with_location(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Sets the byte offset and derives line:column from the text.
    pub fn at_offset(mut self, text: &str, offset: usize) -> Diagnostic {
        let offset = offset.min(text.len());
        self.offset = Some(offset);
        self.location = Some(LineIndex::new(text).location(offset));
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// Sets the document index.
    pub fn with_document(mut self, document: usize) -> Diagnostic {
        self.document = Some(document);
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// Where the diagnostic points, as its one-line form begins: `file:line:col: `, `line:col: `,
    /// `file: ` or nothing (the severity follows it).
    pub fn prefix(&self) -> String {
        let mut prefix = String::new();
        if let Some(source) = &self.source {
            prefix.push_str(source);
            if let Some(loc) = self.location {
                prefix.push_str(&format!(":{loc}"));
            }
            prefix.push_str(": ");
        } else if let Some(loc) = self.location {
            prefix.push_str(&format!("{loc}: "));
        }
        prefix
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message (at path) [document N]`, then hints on their own lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}: {}", self.prefix(), self.severity, self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at {path})")?;
        }
        if let Some(doc) = self.document {
            write!(f, " [document {}]", doc + 1)?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A value together with the warnings produced while computing it.
#[derive(Clone, Debug, PartialEq)]
pub struct Warned<T> {
    /// The value.
    pub output: T,
    /// Warnings and notes, in the order they arose.
    pub warnings: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    /// A value with no warnings.
    pub fn ok(output: T) -> Warned<T> {
        Warned { output, warnings: Vec::new() }
    }

    /// Transforms the value and keeps the warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned { output: f(self.output), warnings: self.warnings }
    }
}

/// Maps byte offsets of a text to line:column.
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Location { line: line + 1, column }
    }

    /// The byte offset of a 1-based line and column (clamped to the text).
    pub fn offset(&self, location: Location) -> usize {
        let line = location.line.saturating_sub(1).min(self.line_starts.len() - 1);
        let start = self.line_starts[line];
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_round_trips() {
        let text = "a: 1\nbé: 2\n\nc: 3";
        let idx = LineIndex::new(text);
        assert_eq!(idx.location(0), Location { line: 1, column: 1 });
        assert_eq!(idx.location(5), Location { line: 2, column: 1 });
        let c = text.find('c').unwrap();
        assert_eq!(idx.location(c), Location { line: 4, column: 1 });
        let colon = text.find(": 2").unwrap();
        assert_eq!(idx.location(colon), Location { line: 2, column: 3 });
        assert_eq!(idx.offset(Location { line: 2, column: 3 }), colon);
    }

    #[test]
    fn display_names_file_location_and_path() {
        let d = Diagnostic::error("expected a number")
            .with_source("shop.yaml")
            .with_location(Location { line: 3, column: 7 })
            .with_path("workloads[0].replicas")
            .with_hint("write replicas: 3");
        assert_eq!(
            d.to_string(),
            "shop.yaml:3:7: error: expected a number (at workloads[0].replicas)\n  hint: write replicas: 3"
        );
    }
}
