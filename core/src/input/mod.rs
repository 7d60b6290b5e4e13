//! Reading inputs: the kplan scenario YAML, Kubernetes manifests and observed usage, with located diagnostics.
//!
//! This folder is the only user of the YAML crate. Raw text is deserialized into schema types
//! (`schema.rs`, `Deserialize` only) and then validated into the model; every problem becomes a
//! [`Diagnostic`] naming the source, line:column and field path.

pub mod cluster;
pub mod document;
pub mod import;
pub mod manifests;
pub mod scenario;
pub(crate) mod schema;
pub mod usage;

use crate::diag::{Diagnostic, LineIndex, Location};

/// The largest input text accepted, by default (64 MiB).
pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 << 20;

/// The most pods kplan plans for one scenario (or variant): ten times the Kubernetes limit of
/// 150,000 pods per cluster (SPEC §4). Between the two, `policy.cluster_limits` decides (warn or
/// fail); past this, the input is refused before planning, so a typo such as `replicas:
/// 4000000000` never becomes billions of pods to pack.
pub const MAX_PODS: u64 = 1_500_000;

/// The most containers kplan plans for one scenario: ten times the Kubernetes limit of 300,000.
pub const MAX_CONTAINERS: u64 = 3_000_000;

/// The first workload (index) at which the running total of pods (replicas, or the autoscaling
/// maximum when larger) or containers passes [`MAX_PODS`] or [`MAX_CONTAINERS`], with the message.
pub(crate) fn past_planning_limits(
    workloads: &[crate::workload::Workload],
) -> Option<(usize, String)> {
    let (mut pods, mut containers) = (0u64, 0u64);
    for (i, w) in workloads.iter().enumerate() {
        let n = u64::from(w.replicas.max(w.scalable.as_ref().map_or(0, |s| s.max_replicas)));
        pods = pods.saturating_add(n);
        containers = containers.saturating_add(n.saturating_mul(w.pod.n_containers.max(1)));
        if pods > MAX_PODS {
            return Some((
                i,
                format!(
                    "workload {} brings the scenario to {pods} pods; kplan plans at most {MAX_PODS} (ten times the Kubernetes limit of 150000 pods per cluster)",
                    w.key()
                ),
            ));
        }
        if containers > MAX_CONTAINERS {
            return Some((
                i,
                format!(
                    "workload {} brings the scenario to {containers} containers; kplan plans at most {MAX_CONTAINERS} (ten times the Kubernetes limit of 300000 containers per cluster)",
                    w.key()
                ),
            ));
        }
    }
    None
}

/// Turns a YAML deserialization error (with the field path it happened at) into a diagnostic.
pub(crate) fn yaml_error(
    err: serde_path_to_error::Error<serde_yaml::Error>,
    text: &str,
    source: &str,
) -> Diagnostic {
    // A syntax error inside a mapping ends its path in `?` (the key not read yet): show the
    // mapping's path, and keep the parser's own line:column, which is where the syntax breaks.
    let mut path = err.path().to_string();
    let unread_key = path.ends_with('?');
    while let Some(p) = path.strip_suffix(".?").or_else(|| path.strip_suffix('?')) {
        path = p.to_string();
    }
    let inner = err.into_inner();
    let mut message = inner.to_string();
    // serde_yaml appends " at line L column C" and prefixes its own coarser path; keep the message bare.
    if let Some(i) = message.rfind(" at line ")
        && message[i + 9..].split(" column ").count() == 2
    {
        message.truncate(i);
    }
    if let Some(i) = message.find(" at line ") {
        // Syntax errors read "… at line L column C, while parsing …": drop the location part only.
        let rest = &message[i + 9..];
        if let Some(comma) = rest.find(", ") {
            message = format!("{}{}", &message[..i], &rest[comma..]);
        }
    }
    if let Some(prefix) = message.find(": ")
        && !path.is_empty()
        && path != "."
        && path.starts_with(&message[..prefix])
    {
        message = message[prefix + 2..].to_string();
    }
    let unknown_field = message.starts_with("unknown field");
    // The second occurrence of a duplicated key, and the start of a second document, are where
    // the problem is; serde_yaml gives the enclosing mapping or nothing.
    let pinned = if let Some(key) = message
        .strip_prefix("duplicate field `")
        .or_else(|| message.strip_prefix("duplicate key `"))
        .and_then(|r| r.strip_suffix('`'))
    {
        duplicate_key_offset(text, &path, key)
    } else if message.contains("more than one document") {
        message = "a scenario is one YAML document; a second document starts here".to_string();
        second_document_offset(text)
    } else {
        None
    };
    let message = explain_limits(&message);
    let mut diag = Diagnostic::error(message).with_source(source).with_path(path.clone());
    if let Some(offset) = pinned {
        return diag.at_offset(text, offset);
    }
    // serde_yaml locates custom errors at the enclosing mapping; the path finds the exact value.
    if path != "."
        && !path.is_empty()
        && !unknown_field
        && !unread_key
        && let Some(offset) = locate(text, &path)
    {
        diag = diag.at_offset(text, offset);
    } else if let Some(loc) = inner.location() {
        let location = Location { line: loc.line(), column: loc.column() };
        diag = diag.with_location(location);
        diag.offset = Some(LineIndex::new(text).offset(location));
    }
    diag
}

/// Words serde_yaml's resource limits the way a user can act on: an alias bomb (aliases that
/// expand past the repetition limit) and nesting past the recursion limit (128 levels).
pub(crate) fn explain_limits(message: &str) -> String {
    // Also words the Rust type names serde reports as what a user writes.
    let message = &message
        .replace("expected u32", "expected a whole number from 0 to 4294967295")
        .replace("expected u64", "expected a whole number from 0 to 18446744073709551615");
    let message = match (message.find("expected struct "), message.find("Dto")) {
        (Some(i), Some(j)) if j > i => {
            format!("{}expected a mapping{}", &message[..i], &message[j + 3..])
        }
        _ => message.to_string(),
    };
    if message.starts_with("repetition limit exceeded") {
        "YAML aliases (*name) expand to too many values (the repetition limit); an alias bomb is refused rather than expanded".to_string()
    } else if message.starts_with("recursion limit exceeded") {
        "YAML nesting is too deep (the recursion limit is 128 levels); expected a flatter document"
            .to_string()
    } else {
        message
    }
}

/// The deepest flow nesting (`[` and `{`) the readers hand to the YAML parser: the parser's own
/// recursion limit (128 levels) refuses anything deeper, but only after scanning it in time
/// quadratic in the depth (seconds for 30,000 levels), so deeper text is refused first.
pub(crate) const MAX_FLOW_DEPTH: usize = 128;

/// The message for nesting past the limit (the same as the parser's, reworded).
pub(crate) fn too_deep_message() -> String {
    explain_limits("recursion limit exceeded")
}

/// The offset of the first `[` or `{` nested deeper than [`MAX_FLOW_DEPTH`], if any. Brackets in
/// comment lines are skipped; quoted brackets are counted (it takes more than a hundred unclosed
/// ones in one document to matter).
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            for (i, b) in line.bytes().enumerate() {
                match b {
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some(off + i);
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        off += line.len();
    }
    None
}

/// The offset of the second `key:` of the mapping at `path` (`.` or empty: the top level).
fn duplicate_key_offset(text: &str, path: &str, key: &str) -> Option<usize> {
    let from = if path.is_empty() || path == "." { 0 } else { locate(text, path)? };
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut col: Option<usize> = None;
    let mut off = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut rest = body.trim_start_matches(' ');
        let mut indent = body.len() - rest.len();
        if let Some(r) = rest.strip_prefix("- ") {
            let r2 = r.trim_start_matches(' ');
            indent += rest.len() - r2.len();
            rest = r2;
        }
        let starts_key = rest.strip_prefix(key).is_some_and(|r| r.starts_with(':'));
        if starts_key {
            match col {
                None => col = Some(indent),
                Some(c) if c == indent => return Some(off + indent),
                Some(_) => {}
            }
        } else if let Some(c) = col
            && !rest.is_empty()
            && !rest.starts_with('#')
            && indent < c
        {
            return None;
        }
        off += line.len();
    }
    None
}

/// The offset of the `---` that starts a second document (after content).
fn second_document_offset(text: &str) -> Option<usize> {
    let mut seen_content = false;
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let marker = body.starts_with("---")
            && body[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        if marker && seen_content {
            return Some(off);
        }
        let t = body.trim_start();
        if !marker && !t.is_empty() && !t.starts_with('#') {
            seen_content = true;
        }
        off += line.len();
    }
    None
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Parses `workloads[2].requests.cpu` into segments.
pub(crate) fn parse_path(path: &str) -> Vec<Seg> {
    let mut res = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                res.push(Seg::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(i) = stripped[..end].parse() {
                    res.push(Seg::Index(i));
                }
                rest = &stripped[end + 1..];
            }
        } else if !rest.is_empty() {
            res.push(Seg::Key(rest.to_string()));
        }
    }
    res
}

struct Line<'a> {
    start: usize,
    indent: usize,
    text: &'a str,
}

/// Finds the byte offset of a field path in block-style YAML (best effort; `None` when not found).
///
/// Used for problems found after deserialization (duplicates, cross-field rules), so that they
/// carry a line:column like the parser's own errors. It understands block mappings and
/// sequences, `- key:` items and keys inside a one-line flow mapping.
pub(crate) fn locate(text: &str, path: &str) -> Option<usize> {
    locate_segs(text, &parse_path(path))
}

/// [`locate`] for a path given as segments (keys may contain dots, as label keys do).
pub(crate) fn locate_segs(text: &str, segs: &[Seg]) -> Option<usize> {
    let mut lines = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        if !trimmed.is_empty() && !trimmed.starts_with('#') && trimmed != "---" && trimmed != "..."
        {
            lines.push(Line { start, indent: body.len() - trimmed.len(), text: body });
        }
        start += raw.len();
    }
    // The current node: lines[a..b), with its content starting at column `col` on line `a`.
    let (mut a, mut b, mut col) = (0usize, lines.len(), lines.first().map_or(0, |l| l.indent));
    let mut found = lines.first().map(|l| l.start + l.indent);
    for (k, seg) in segs.iter().enumerate() {
        if a >= b {
            return None;
        }
        match seg {
            Seg::Key(key) => {
                let mut hit = None;
                for (i, line) in lines.iter().enumerate().take(b).skip(a) {
                    let c = if i == a { col } else { line.indent };
                    if i != a && c != col {
                        continue;
                    }
                    let content = line.text.get(c..).unwrap_or("");
                    if let Some(after) = key_match(content, key) {
                        hit = Some((i, c, c + after));
                        break;
                    }
                    // A flow mapping on one line: `requests: {cpu: 1, memory: 2Gi}`.
                    if i == a
                        && content.starts_with('{')
                        && let Some(mut off) = flow_key(content, key)
                    {
                        // Nested flow mappings: follow the remaining keys inside them.
                        for seg in &segs[k + 1..] {
                            let Seg::Key(next) = seg else { break };
                            let inner = &content[off..];
                            match flow_key(inner, next).filter(|_| inner.starts_with('{')) {
                                Some(o) => off += o,
                                None => break,
                            }
                        }
                        return Some(line.start + c + off);
                    }
                }
                let (i, key_col, value_col) = hit?;
                let line = &lines[i];
                let value_text = line.text.get(value_col..).unwrap_or("");
                let value_pad = value_text.len() - value_text.trim_start().len();
                let inline =
                    !value_text.trim().is_empty() && !value_text.trim_start().starts_with('#');
                let last = k + 1 == segs.len();
                if inline {
                    found = Some(line.start + if last { value_col + value_pad } else { key_col });
                    a = i;
                    b = i + 1;
                    col = value_col + value_pad;
                } else {
                    found = Some(line.start + key_col);
                    let end = (i + 1..b)
                        .find(|&j| {
                            let l = &lines[j];
                            l.indent < key_col
                                || (l.indent == key_col && !l.text[l.indent..].starts_with('-'))
                        })
                        .unwrap_or(b);
                    a = i + 1;
                    b = end;
                    col = lines.get(a).map_or(0, |l| l.indent);
                }
            }
            Seg::Index(idx) => {
                let mut n = 0;
                let mut hit = None;
                for (i, line) in lines.iter().enumerate().take(b).skip(a) {
                    let c = if i == a { col } else { line.indent };
                    if c != col {
                        continue;
                    }
                    let content = line.text.get(c..).unwrap_or("");
                    if content == "-" || content.starts_with("- ") {
                        if n == *idx {
                            hit = Some((i, c));
                            break;
                        }
                        n += 1;
                    }
                }
                let (i, dash) = hit?;
                let line = &lines[i];
                let after = line.text.get(dash + 1..).unwrap_or("");
                let item_col = dash + 1 + (after.len() - after.trim_start().len());
                found = Some(line.start + item_col.min(line.text.len()));
                let end = (i + 1..b).find(|&j| lines[j].indent <= dash).unwrap_or(b);
                a = i;
                b = end;
                col = item_col;
            }
        }
    }
    found
}

/// If `content` starts with `key:` (plain or quoted), the column just after the colon.
fn key_match(content: &str, key: &str) -> Option<usize> {
    for quoted in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = content.strip_prefix(quoted.as_str()) {
            let rest_trim = rest.trim_start_matches(' ');
            if rest_trim.starts_with(':') {
                let colon = quoted.len() + (rest.len() - rest_trim.len());
                return Some(colon + 1);
            }
        }
    }
    None
}

/// The offset of `key`'s value inside a one-line flow mapping.
fn flow_key(content: &str, key: &str) -> Option<usize> {
    // An empty key (a map entry with no key text) would match everywhere without advancing.
    if key.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = content[from..].find(key) {
        let at = from + i;
        let before = content[..at].trim_end_matches(' ');
        let after = &content[at + key.len()..];
        if (before.ends_with('{') || before.ends_with(',')) && after.trim_start().starts_with(':') {
            let colon = at + key.len() + (after.len() - after.trim_start().len());
            let value = &content[colon + 1..];
            return Some(colon + 1 + (value.len() - value.trim_start().len()));
        }
        from = at + key.len();
    }
    None
}

/// A diagnostic at a field path, located in the text when the path can be found.
pub(crate) fn at_path(
    message: impl Into<String>,
    text: &str,
    source: &str,
    path: &str,
) -> Diagnostic {
    let diag = Diagnostic::error(message).with_source(source).with_path(path);
    match locate(text, path) {
        Some(offset) => diag.at_offset(text, offset),
        None => diag,
    }
}

/// Finds the byte offset of a path's value in JSON text (`kubectl get -o json`); `None` when absent.
pub(crate) fn locate_json(text: &str, segs: &[Seg]) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = skip_json_ws(b, 0);
    for seg in segs {
        match (seg, *b.get(i)?) {
            (Seg::Key(key), b'{') => {
                i += 1;
                loop {
                    i = skip_json_ws(b, i);
                    if *b.get(i)? != b'"' {
                        return None;
                    }
                    let end = skip_json_string(b, i)?;
                    let found = &text[i + 1..end - 1] == key.as_str();
                    i = skip_json_ws(b, end);
                    if *b.get(i)? != b':' {
                        return None;
                    }
                    i = skip_json_ws(b, i + 1);
                    if found {
                        break;
                    }
                    i = skip_json_ws(b, skip_json_value(b, i)?);
                    if *b.get(i)? != b',' {
                        return None;
                    }
                    i += 1;
                }
            }
            (Seg::Index(n), b'[') => {
                i += 1;
                for _ in 0..*n {
                    i = skip_json_ws(b, i);
                    i = skip_json_ws(b, skip_json_value(b, i)?);
                    if *b.get(i)? != b',' {
                        return None;
                    }
                    i += 1;
                }
                i = skip_json_ws(b, i);
                if *b.get(i)? == b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(i)
}

fn skip_json_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The index just after the string starting at `i` (which holds `"`).
fn skip_json_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The index just after the value starting at `i`.
fn skip_json_value(b: &[u8], mut i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_json_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_json_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']') && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// A YAML error's message without the " at line L column C" the YAML crate appends.
pub(crate) fn bare_yaml_message(err: &serde_yaml::Error) -> String {
    let mut message = err.to_string();
    // Every " at line L column C" goes: the diagnostic carries the location, relative to the file.
    while let Some(i) = message.find(" at line ") {
        let rest = &message[i + 9..];
        let end = rest
            .find(" column ")
            .map(|c| {
                let digits = rest[c + 8..].chars().take_while(char::is_ascii_digit).count();
                c + 8 + digits
            })
            .unwrap_or(0);
        message = format!("{}{}", &message[..i], &rest[end..]);
    }
    explain_limits(&message)
}

/// Writes any serializable DTO as YAML; the YAML crate stays in this folder.
pub(crate) fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect(
        "a value of plain data types (strings, numbers, maps with string keys) always serializes",
    )
}

/// Writes a JSON value as YAML (plan `--format yaml`); the YAML crate stays in this folder.
pub fn json_to_yaml(value: &serde_json::Value) -> String {
    serde_yaml::to_string(value).expect("a JSON value always serializes as YAML")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, path: &str, expect: (usize, usize)) {
        let off = locate(text, path).unwrap_or_else(|| panic!("{path} not found"));
        let loc = LineIndex::new(text).location(off);
        assert_eq!((loc.line, loc.column), expect, "{path}");
    }

    #[test]
    fn locates_block_and_flow_paths() {
        let text = "name: shop\n# comment\nworkloads:\n  - name: a\n    replicas: 2\n  - name: b\n    requests: {cpu: 1, memory: 2Gi}\n    limits:\n      cpu: 2\npolicy:\n  spot: {max_share: 0.5}\n";
        check(text, "name", (1, 7));
        check(text, "workloads", (3, 1));
        check(text, "workloads[1]", (6, 5));
        check(text, "workloads[0].replicas", (5, 15));
        check(text, "workloads[1].name", (6, 11));
        check(text, "workloads[1].requests.memory", (7, 32));
        check(text, "workloads[1].limits.cpu", (9, 12));
        check(text, "policy.spot.max_share", (11, 21));
    }

    #[test]
    fn sequences_at_the_parent_indent() {
        let text = "workloads:\n- name: a\n- name: b\n  replicas: 3\nzones: [a]\n";
        check(text, "workloads[1].replicas", (4, 13));
        check(text, "zones", (5, 8));
    }

    #[test]
    fn locates_json_paths() {
        let text = "{\n  \"kind\": \"List\",\n  \"items\": [\n    {\"a\": [1, {\"b\": \"x,}\"}]},\n    {\"spec\": {\"replicas\": 3}}\n  ]\n}\n";
        let at = |segs: &[Seg]| {
            let off = locate_json(text, segs).unwrap();
            let loc = LineIndex::new(text).location(off);
            (loc.line, loc.column)
        };
        let k = |s: &str| Seg::Key(s.to_string());
        assert_eq!(at(&[k("kind")]), (2, 11));
        assert_eq!(at(&[k("items"), Seg::Index(1), k("spec"), k("replicas")]), (5, 27));
        assert_eq!(at(&[k("items"), Seg::Index(0), k("a"), Seg::Index(1), k("b")]), (4, 21));
        assert_eq!(locate_json(text, &[k("items"), Seg::Index(2)]), None);
        assert_eq!(locate_json(text, &[k("nope")]), None);
    }

    #[test]
    fn path_parsing() {
        assert_eq!(
            parse_path("workloads[2].containers[0].requests.cpu"),
            vec![
                Seg::Key("workloads".into()),
                Seg::Index(2),
                Seg::Key("containers".into()),
                Seg::Index(0),
                Seg::Key("requests".into()),
                Seg::Key("cpu".into())
            ]
        );
    }

    /// Found by the `manifests` fuzz target: locating an empty key in a flow mapping looped
    /// forever (a 438-byte manifest hung `kplan plan -f`).
    #[test]
    fn flow_key_with_an_empty_key_ends() {
        assert_eq!(flow_key("{app: web, : x}", ""), None);
        assert_eq!(flow_key("{app: web}", "app"), Some(6));
    }
}
