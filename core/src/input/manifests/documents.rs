//! Documents and located values: each text split into documents, each value with its field path and document, for diagnostics at line:column.

use super::*;

/// One YAML document of a source.
pub(in crate::input) struct Doc<'a> {
    pub(in crate::input) source: &'a str,
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) body: &'a str,
    pub(in crate::input) index: usize,
    pub(super) json: bool,
}

impl Doc<'_> {
    /// The absolute offset of a path's value, falling back to its nearest located parent, then to the document.
    pub(super) fn offset(&self, p: &FieldPath) -> usize {
        let mut segs: &[Seg] = &p.0;
        loop {
            let found = if self.json {
                locate_json(self.body, segs)
            } else if segs.is_empty() {
                None
            } else {
                locate_segs(self.body, segs)
            };
            if let Some(off) = found {
                return self.start + off;
            }
            if segs.is_empty() {
                return self.start + first_content(self.body);
            }
            segs = &segs[..segs.len() - 1];
        }
    }

    pub(super) fn diag(
        &self,
        p: &FieldPath,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(message)
            .with_source(self.source)
            .with_path(p.to_string())
            .with_document(self.index)
            .at_offset(self.text, self.offset(p));
        d.severity = severity;
        d
    }

    pub(super) fn diag_at_start(
        &self,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diag(&FieldPath::default(), severity, message)
    }

    pub(super) fn yaml_error(&self, e: &serde_yaml::Error) -> Diagnostic {
        let d = Diagnostic::error(bare_yaml_message(e))
            .with_source(self.source)
            .with_document(self.index);
        match e.location() {
            Some(loc) => {
                let off = LineIndex::new(self.body)
                    .offset(Location { line: loc.line(), column: loc.column() });
                d.at_offset(self.text, self.start + off)
            }
            None => d.at_offset(self.text, self.start + first_content(self.body)),
        }
    }

    pub(in crate::input) fn origin(&self, p: &FieldPath) -> Origin {
        Origin {
            source: self.source.to_string(),
            document: self.index,
            location: LineIndex::new(self.text).location(self.offset(p)),
        }
    }
}

/// The offset of the first character that is not blank or a comment.
pub(super) fn first_content(body: &str) -> usize {
    let mut off = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if !t.is_empty() && !t.starts_with('#') {
            return off + (line.len() - t.len());
        }
        off += line.len();
    }
    0
}

/// Splits a source into YAML documents at `---` and `...` lines (a leading part with only
/// comments and blank lines is not a document).
pub(super) fn split_documents<'a>(source: &'a str, text: &'a str) -> Vec<Doc<'a>> {
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (body start, body end)
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut off = start;
    let mut explicit = false;
    let mut first = true;
    for line in text[start..].split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let is_start = bare.starts_with("---")
            && bare[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        let is_end = bare.starts_with("...")
            && bare[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        if is_start || is_end {
            let body = &text[start..off];
            if !(first && !explicit && first_content_opt(body).is_none()) {
                cuts.push((start, off));
            }
            // After `...`, text before the next `---` is a document only if it has content.
            first = is_end;
            explicit = is_start;
            start = if is_start { off + 3 } else { off + line.len() };
        }
        off += line.len();
    }
    let body = &text[start..];
    if explicit || first_content_opt(body).is_some() {
        cuts.push((start, text.len()));
    }
    cuts.into_iter()
        .enumerate()
        .map(|(index, (s, e))| {
            let body = &text[s..e];
            let json = first_content_opt(body).is_some_and(|o| body[o..].starts_with(['{', '[']));
            Doc { source, text, start: s, body, index, json }
        })
        .collect()
}

pub(super) fn first_content_opt(body: &str) -> Option<usize> {
    let off = first_content(body);
    let t = body[off..].trim_start();
    (!t.is_empty() && !t.starts_with('#')).then_some(off)
}

/// A field path inside a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(in crate::input) struct FieldPath(Vec<Seg>);

impl FieldPath {
    pub(super) fn key(&self, key: &str) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(key.to_string()));
        FieldPath(v)
    }

    pub(super) fn index(&self, index: usize) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(index));
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if n == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A value with its path and document.
#[derive(Clone)]
pub(in crate::input) struct Node<'a> {
    pub(in crate::input) v: &'a Value,
    pub(in crate::input) p: FieldPath,
    pub(in crate::input) doc: &'a Doc<'a>,
}

impl<'a> Node<'a> {
    /// A child by key; `None` when absent or null.
    pub(in crate::input) fn get(&self, key: &str) -> Option<Node<'a>> {
        let v = untag(self.v).as_mapping()?.get(key)?;
        (!untag(v).is_null()).then(|| Node { v, p: self.p.key(key), doc: self.doc })
    }

    pub(in crate::input) fn get_path(&self, keys: &[&str]) -> Option<Node<'a>> {
        let mut cur = self.clone();
        for k in keys {
            cur = cur.get(k)?;
        }
        Some(cur)
    }

    pub(in crate::input) fn diag(
        &self,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.doc.diag(&self.p, severity, message)
    }

    pub(in crate::input) fn str(&self) -> Option<&'a str> {
        untag(self.v).as_str()
    }
}

pub(in crate::input) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        v => v,
    }
}

/// Describes a value for "expected …, found …" messages.
pub(in crate::input) fn found(v: &Value) -> String {
    match untag(v) {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("{s:?}"),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(_) => "a tagged value".to_string(),
    }
}

/// A scalar as text (numbers and booleans as written).
pub(in crate::input) fn scalar_text(v: &Value) -> Option<String> {
    match untag(v) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
