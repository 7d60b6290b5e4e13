//! A scenario as an editable document: its YAML read into a JSON value (and written back), and
//! Kubernetes manifests imported into it. The browser app edits scenarios this way; every check
//! still goes through [`read_scenario`], so an edited document is validated like a file.

use serde_json::Value;

use crate::catalog::Provider;
use crate::diag::{Diagnostic, Warned};
use crate::input::import::import_scenario_yaml;
use crate::input::manifests::{ManifestOptions, Source, read_manifests};
use crate::input::scenario::read_scenario;

/// Reads a scenario's YAML into a document: the same value the YAML holds, as JSON (aliases
/// expanded, comments dropped). The scenario reader checks it first, so a document is returned
/// only for a valid scenario; otherwise its located errors.
pub fn scenario_document(text: &str, source: &str) -> Warned<Result<Value, Vec<Diagnostic>>> {
    let read = read_scenario(text, source);
    let output = match read.output {
        Err(errors) => Err(errors),
        Ok(_) => serde_yaml::from_str::<Value>(text).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot read the scenario as a document: {e}"))
                    .with_source(source),
            ]
        }),
    };
    Warned { output, warnings: read.warnings }
}

/// The document as scenario YAML (what is exported, stored and planned).
pub fn document_yaml(doc: &Value) -> String {
    super::json_to_yaml(doc)
}

/// True when the text holds Kubernetes objects (some document has top-level `apiVersion` and
/// `kind`, or it is JSON with both) rather than a kplan scenario.
pub fn looks_like_manifests(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") {
            api = false;
            kind = false;
            continue;
        }
        api |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
        if api && kind {
            return true;
        }
    }
    let t = text.trim_start();
    t.starts_with('{') && t.contains("\"apiVersion\"") && t.contains("\"kind\"")
}

/// What [`import_manifests`] read: the workloads and DaemonSets as document values, and the
/// reader's summary line (what was read and what was skipped).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// `workloads:` entries, as `kplan import` writes them.
    pub workloads: Value,
    /// `daemonsets:` entries.
    pub daemonsets: Value,
    /// The summary of what was read, then the reader's warnings.
    pub notes: Vec<Diagnostic>,
}

/// Reads Kubernetes manifests into the workloads and DaemonSets of a document whose provider and
/// region are given (they decide nothing about the workloads, only the written scenario's header).
/// Errors carry the source name, line:column and field path, as `kplan plan -f` prints them.
pub fn import_manifests(
    text: &str,
    source: &str,
    provider: Provider,
    region: &str,
    options: &ManifestOptions,
) -> Result<Imported, Vec<Diagnostic>> {
    let read = read_manifests(&[Source { name: source, text }], options);
    let manifests = read.output?;
    let yaml = import_scenario_yaml(
        "imported",
        provider,
        region,
        &manifests,
        options,
        &[source.to_string()],
    );
    let doc: Value = serde_yaml::from_str(&yaml).map_err(|e| {
        vec![Diagnostic::error(format!("cannot read the imported workloads back: {e}"))]
    })?;
    let mut notes = vec![manifests.summary()];
    notes.extend(read.warnings);
    Ok(Imported {
        workloads: doc.get("workloads").cloned().unwrap_or(Value::Array(Vec::new())),
        daemonsets: doc.get("daemonsets").cloned().unwrap_or(Value::Array(Vec::new())),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::EXAMPLES;
    use crate::input::manifests::default_options;

    #[test]
    fn every_example_round_trips_through_a_document() {
        for e in EXAMPLES {
            let doc = scenario_document(e.text, e.file).output.unwrap();
            let again = read_scenario(&document_yaml(&doc), e.file).output.unwrap();
            let first = read_scenario(e.text, e.file).output.unwrap();
            assert_eq!(first, again, "{}", e.file);
        }
    }

    #[test]
    fn a_bad_scenario_gives_located_errors_not_a_document() {
        let text = "name: t\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    requests: {cpu: 10mi}\n";
        let errors = scenario_document(text, "t.yaml").output.unwrap_err();
        let first = errors[0].to_string();
        assert!(first.starts_with("t.yaml:6:21: error: invalid quantity \"10mi\""), "{first}");
    }

    #[test]
    fn tells_manifests_from_scenarios() {
        assert!(looks_like_manifests("apiVersion: v1\nkind: Pod\n"));
        assert!(looks_like_manifests("# c\n---\nkind: Deployment\napiVersion: apps/v1\n"));
        assert!(looks_like_manifests(
            "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}"
        ));
        assert!(!looks_like_manifests(EXAMPLES[0].text));
        assert!(!looks_like_manifests("apiVersion: v1\n---\nkind: Pod\n"));
    }

    #[test]
    fn manifests_import_as_workloads_with_located_errors() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {requests: {cpu: 250m, memory: 256Mi}}\n";
        let opts = default_options();
        let got = import_manifests(text, "web.yaml", Provider::Aws, "us-east-1", &opts).unwrap();
        assert_eq!(got.workloads[0]["name"], "web");
        assert_eq!(got.workloads[0]["replicas"], 3);
        assert_eq!(got.workloads[0]["requests"]["cpu"], "250m");
        let bad = text.replace("250m", "10mi");
        let errors =
            import_manifests(&bad, "web.yaml", Provider::Aws, "us-east-1", &opts).unwrap_err();
        assert!(errors[0].to_string().starts_with("web.yaml:10:39: error: invalid quantity"));
    }
}
