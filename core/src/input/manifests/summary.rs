//! The note that says what a set of manifests held, adding up: documents (empty ones too),
//! objects (items of Lists too), and every object counted once under what became of it.

use std::collections::BTreeMap;

use super::Manifests;
use crate::diag::Diagnostic;
use crate::quantity::Bytes;

/// `1 document`, `2 documents`.
pub(crate) fn counted(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn kind_counts(m: &BTreeMap<String, usize>) -> String {
    m.iter().map(|(k, n)| format!("{k} ×{n}")).collect::<Vec<_>>().join(", ")
}

/// The summary note (see the module docs).
pub(super) fn summary(m: &Manifests) -> Diagnostic {
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for w in &m.workloads {
        *by_kind.entry(w.workload.kind.clone()).or_default() += 1;
    }
    let mut msg = format!("read {}", counted(m.n_documents, "document"));
    if m.n_empty_documents > 0 {
        msg.push_str(&format!(" ({} empty)", m.n_empty_documents));
    }
    msg.push_str(&format!(" with {}", counted(m.n_objects, "object")));
    if m.n_lists > 0 {
        msg.push_str(&format!(
            " ({} of them items of {})",
            m.n_list_items,
            counted(m.n_lists, "List")
        ));
    }
    msg.push_str(&format!(": planned {}", counted(m.workloads.len(), "workload")));
    if !by_kind.is_empty() {
        msg.push_str(&format!(" ({})", kind_counts(&by_kind)));
    }
    msg.push_str(&format!(" and {}", counted(m.daemonsets.len(), "DaemonSet")));
    if !m.volume_claims.is_empty() {
        let total: u64 =
            m.volume_claims.iter().map(|c| c.storage.0.saturating_mul(u64::from(c.count))).sum();
        let n: u64 = m.volume_claims.iter().map(|c| u64::from(c.count)).sum();
        msg.push_str(&format!(
            "; {n} persistent volume claim{} for {} of storage (read, not priced)",
            if n == 1 { "" } else { "s" },
            Bytes(total)
        ));
    }
    let n_cronjobs = m.workloads.iter().filter(|w| w.workload.kind == "CronJob").count();
    if n_cronjobs > 0 {
        msg.push_str(&format!(
            "; {} counted at their job's parallelism as if always running (a peak)",
            counted(n_cronjobs, "CronJob")
        ));
    }
    if !m.operated.is_empty() {
        let mut operators: Vec<String> = m
            .workloads
            .iter()
            .filter_map(|w| w.operator.as_ref())
            .map(|o| format!("{} {}", o.operator.name, o.operator.version))
            .collect();
        operators.sort();
        operators.dedup();
        msg.push_str(&format!(
            "; read as the pods their operators create: {}",
            kind_counts(&m.operated)
        ));
        if !operators.is_empty() {
            msg.push_str(&format!(" (defaults of {})", operators.join(", ")));
        }
    }
    if !m.shaping.is_empty() {
        msg.push_str(&format!("; shaping them: {}", kind_counts(&m.shaping)));
    }
    if !m.one_shot.is_empty() {
        msg.push_str(&format!("; not planned: {}", super::jobs::describe(&m.one_shot)));
    }
    if !m.owned.is_empty() {
        msg.push_str(&format!(
            "; not planned because their controller is planned: {}",
            kind_counts(&m.owned)
        ));
    }
    if !m.skipped.is_empty() {
        msg.push_str(&format!("; skipped (not workloads): {}", kind_counts(&m.skipped)));
    }
    Diagnostic::note(msg)
}

impl Manifests {
    /// Objects accounted for by the summary: every object read lands in exactly one place.
    pub fn n_accounted(&self) -> usize {
        self.workloads.iter().filter(|w| w.operator.is_none()).count()
            + self.operated.values().sum::<usize>()
            + self.daemonsets.len()
            + self.shaping.values().sum::<usize>()
            + self.one_shot.len()
            + self.owned.values().sum::<usize>()
            + self.skipped.values().sum::<usize>()
    }
}
