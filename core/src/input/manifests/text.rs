//! Checks on the text before and around YAML parsing: inputs cut short (an interrupted download
//! or copy) and unrendered Helm templates (`{{ … }}`), each named as such and located.

use serde_yaml::Value;

use super::{Doc, LineIndex, Location};
use crate::diag::Diagnostic;

/// The advice that closes every "cut short" message.
const CUT_SHORT: &str =
    "it looks cut short (an interrupted download or copy?); nothing is planned from a partial file";

/// A file that stops after a key with no value, or inside a word, and has no final newline:
/// kubectl and helm end every file with a newline, so this is a file cut short. Returns the
/// offset of its end and the message.
pub(super) fn cut_short(text: &str) -> Option<(usize, String)> {
    if text.is_empty() || text.ends_with('\n') {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let last = *lines.last()?;
    let content: Vec<&str> =
        lines.iter().copied().filter(|l| !l.trim().is_empty() && !is_comment(l)).collect();
    let last_content = *content.last()?;
    let is_marker = |l: &str| l.starts_with("---") || l.starts_with("...");
    if is_comment(last) || is_marker(last.trim_start()) {
        return None;
    }
    let trimmed = last_content.trim_end();
    if trimmed.ends_with(':') && !trimmed.trim_start().starts_with('-') || trimmed == "-" {
        return Some((
            text.len(),
            format!(
                "the file ends after {:?} with no value and no final newline: {CUT_SHORT}",
                trimmed.trim()
            ),
        ));
    }
    // A bare word on the last line, under a key that opened a block: a key cut inside its name.
    let word = last.trim();
    if !word.is_empty()
        && last == last_content
        && !word.contains(':')
        && !word.starts_with(['-', '{', '[', '"', '\'', '#', '|', '>'])
        && content.len() >= 2
        && content[content.len() - 2].trim_end().ends_with(':')
    {
        return Some((
            text.len(),
            format!(
                "the file ends inside {word:?} with no final newline, where a key was expected: {CUT_SHORT}"
            ),
        ));
    }
    None
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// A parse error at the very end of a source's text: the input ended inside a flow collection,
/// a quoted string or a key. Says so, with where the unclosed part opened when the parser says.
pub(super) fn ends_inside(doc: &Doc<'_>, err: &serde_yaml::Error, d: Diagnostic) -> Diagnostic {
    let Some(loc) = err.location() else { return d };
    let off = doc.start
        + LineIndex::new(doc.body).offset(Location { line: loc.line(), column: loc.column() });
    let last_line = doc.text.trim_end().rfind('\n').map_or(0, |i| i + 1);
    let at_end =
        off >= doc.text.trim_end().len() || (!doc.text.ends_with('\n') && off >= last_line);
    if !at_end || doc.start + doc.body.len() < doc.text.len() {
        return d;
    }
    let full = err.to_string();
    // "…, while parsing a flow mapping at line 1 column 8": where the unclosed part opened.
    let opened = full.split(", while ").nth(1).and_then(|what| {
        let (what, at) = what.split_once(" at line ")?;
        let what = what.trim_start_matches("parsing ").trim_start_matches("scanning ");
        let what = if what == "a simple key" { "a key" } else { what };
        let (line, column) = at.split_once(" column ")?;
        let line: usize = line.trim().parse().ok()?;
        let column: usize = column.trim().parse().ok()?;
        let off = doc.start + LineIndex::new(doc.body).offset(Location { line, column });
        Some(format!(" {what} opened at {}", LineIndex::new(doc.text).location(off)))
    });
    let mut d = d.at_offset(doc.text, doc.text.len());
    d.message = match opened {
        Some(o) => format!("the file ends inside{o}: {CUT_SHORT}"),
        None => format!("the file ends in the middle of an object ({}): {CUT_SHORT}", d.message),
    };
    d
}

/// The offset of the first `{{` outside a comment, in a document's body.
pub(super) fn template_at(body: &str) -> Option<usize> {
    let mut off = 0;
    for line in body.split_inclusive('\n') {
        let code = line.find(" #").map_or(line, |i| &line[..i]);
        // A template inside a quoted string is text (alert templates in a PrometheusRule).
        if !is_comment(line)
            && let Some(i) = code.find("{{")
            && !code[..i].contains(['"', '\''])
        {
            return Some(off + i);
        }
        off += line.len();
    }
    None
}

/// True when a parsed value holds what unquoted `{{ x }}` parses to: a mapping whose only key is
/// itself a one-entry mapping with a null value (Kubernetes objects never have such keys).
pub(super) fn holds_template(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => m
            .iter()
            .any(|(k, v)| matches!(k, Value::Mapping(_) | Value::Sequence(_)) || holds_template(v)),
        Value::Sequence(s) => s.iter().any(holds_template),
        Value::Tagged(t) => holds_template(&t.value),
        _ => false,
    }
}

/// The error for an unrendered Helm template in a document.
pub(super) fn template_error(doc: &Doc<'_>, at: usize) -> Diagnostic {
    let line_end = doc.body[at..].find('\n').map_or(doc.body.len(), |e| at + e);
    let snippet: String = doc.body[at..line_end].trim_end().chars().take(60).collect();
    Diagnostic::error(format!(
        "this looks like an unrendered Helm template ({snippet}): kplan reads manifests as helm template prints them"
    ))
    .with_source(doc.source)
    .with_document(doc.index)
    .at_offset(doc.text, doc.start + at)
    .with_hint("render the chart first: helm template RELEASE CHART -f values.yaml | kplan plan -f - --provider …")
}

#[cfg(test)]
mod tests {
    use crate::input::manifests::{Source, default_options, read_manifests};

    fn first_error(text: &str) -> String {
        match read_manifests(&[Source { name: "m.yaml", text }], &default_options()).output {
            Ok(_) => "no error".to_string(),
            Err(e) => e[0].to_string(),
        }
    }

    const DEP: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n";

    // See: the issue about a partial download planned as an empty cluster or a BestEffort pod.
    #[test]
    fn inputs_cut_short_are_errors_located_at_their_end() {
        let cut = |marker: &str| {
            let i = DEP.find(marker).unwrap() + marker.len();
            DEP[..i].to_string()
        };
        let cases: Vec<(String, &str)> = vec![
            // Unclosed flow mapping, cut inside a value.
            (
                cut("memory: 25"),
                "m.yaml:11:45: error: the file ends inside a flow mapping opened at 11:23: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file [document 1]",
            ),
            // Unclosed quote.
            (
                DEP.replace("name: web", "name: \"web").split("spec:").next().unwrap().to_string(),
                "m.yaml:5:1: error: the file ends inside a quoted scalar opened at 4:9: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file [document 1]",
            ),
            // A block cut after a key, inside a mapping (no final newline).
            (
                cut("resources:"),
                "m.yaml:10:21: error: the file ends after \"resources:\" with no value and no final newline: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file",
            ),
            (
                cut("resources:\n      "),
                "m.yaml:11:7: error: the file ends after \"resources:\" with no value and no final newline: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file",
            ),
            // A key cut inside its name, under a block.
            (
                cut("resources:\n            req"),
                "m.yaml:11:16: error: the file ends inside \"req\" with no final newline, where a key was expected: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file",
            ),
            // A key cut inside its name, beside its siblings: the parser's error, said as a cut.
            (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  names".to_string(),
                "m.yaml:5:8: error: the file ends inside a key opened at 5:3: it looks cut short (an interrupted download or copy?); nothing is planned from a partial file [document 1]",
            ),
        ];
        let mut failures = Vec::new();
        for (i, (text, expect)) in cases.iter().enumerate() {
            let got = first_error(text);
            if got != *expect {
                failures.push(format!("case {i}:\n  got:      {got}\n  expected: {expect}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // A whole file without a final newline is fine; so is a key with no value at the end of a
        // file that ends with a newline (helm prints `resources:` for empty values).
        assert_eq!(first_error(DEP.trim_end()), "no error");
        assert_eq!(first_error(&format!("{DEP}      nodeSelector:\n")), "no error");
    }

    #[test]
    fn unrendered_helm_templates_are_named_as_such() {
        let hint = "render the chart first: helm template RELEASE CHART -f values.yaml | kplan plan -f - --provider …";
        // Parsed as YAML (a mapping key), and not parsed at all.
        let parsed = DEP.replace("name: web", "name: {{ .Release.Name }}-web");
        let read = read_manifests(&[Source { name: "m.yaml", text: &parsed }], &default_options());
        let errors = read.output.unwrap_err();
        assert_eq!(
            errors[0].to_string().lines().next().unwrap(),
            "m.yaml:4:9: error: this looks like an unrendered Helm template ({{ .Release.Name }}-web): kplan reads manifests as helm template prints them [document 1]"
        );
        assert_eq!(errors[0].hints, [hint]);
        let broken = DEP.replace(
            "          resources:\n            requests: {cpu: 250m, memory: 256Mi}\n",
            "          resources:\n{{- toYaml .Values.resources | nindent 12 }}\n",
        );
        assert_eq!(
            first_error(&broken).lines().next().unwrap(),
            "m.yaml:11:1: error: this looks like an unrendered Helm template ({{- toYaml .Values.resources | nindent 12 }}): kplan reads manifests as helm template prints them [document 1]"
        );
        // Templates inside quoted strings are text (alerting rules carry them).
        let quoted = format!(
            "{DEP}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: rules}}\ndata:\n  summary: \"{{{{ $labels.instance }}}} is down\"\n"
        );
        assert_eq!(first_error(&quoted), "no error");
    }
}
