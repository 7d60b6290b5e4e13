//! Which workload a pod belongs to: its owner from the pods' YAML when given, else its name.
//!
//! Controllers name pods after their workload with a known suffix:
//! a Deployment's pod is `<name>-<pod-template-hash>-<5 characters>`, a ReplicaSet's,
//! DaemonSet's or Job's `<name>-<5 characters>`, a CronJob's `<name>-<scheduled minute>-<5
//! characters>` and a StatefulSet's `<name>-<ordinal>`. The generated parts use the API
//! machinery's safe alphabet (`bcdfghjklmnpqrstvwxz2456789`, no vowels and no 0, 1, 3), so a
//! suffix outside it is no controller's.

use crate::input::usage::pods::PodOwners;

/// The characters of generated name parts (`k8s.io/apimachinery/pkg/util/rand`).
const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// How a pod's name relates to its workload's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `<name>-<pod-template-hash>-<suffix>`: a Deployment's.
    TemplateHash,
    /// `<name>-<suffix>`: a ReplicaSet's, DaemonSet's, Job's or ReplicationController's.
    Suffix,
    /// `<name>-<ordinal>`: a StatefulSet's.
    Ordinal,
    /// `<name>-<minute>-<suffix>`: a CronJob's.
    Scheduled,
    /// The pod is the workload.
    Exact,
}

impl Pattern {
    /// The workload kinds that name their pods this way.
    fn kinds(self) -> &'static [&'static str] {
        match self {
            Pattern::TemplateHash => &["Deployment"],
            Pattern::Suffix => &["ReplicaSet", "DaemonSet", "Job", "ReplicationController"],
            Pattern::Ordinal => &["StatefulSet"],
            Pattern::Scheduled => &["CronJob"],
            Pattern::Exact => &["Pod"],
        }
    }

    /// A short description for notes.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Pattern::TemplateHash => "a Deployment's pod name (pod-template-hash and suffix)",
            Pattern::Suffix => {
                "a ReplicaSet's, DaemonSet's or Job's pod name (a 5-character suffix)"
            }
            Pattern::Ordinal => "a StatefulSet's pod name (an ordinal)",
            Pattern::Scheduled => "a CronJob's pod name (scheduled minute and suffix)",
            Pattern::Exact => "the workload's own name (a bare Pod)",
        }
    }
}

fn safe(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| SAFE.contains(&b))
}

/// The pattern of what follows `<workload>-` in a pod's name, if any controller names pods so.
fn pattern(rest: &str) -> Option<Pattern> {
    if !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
        && (rest == "0" || !rest.starts_with('0'))
    {
        return Some(Pattern::Ordinal);
    }
    if safe(rest, 5, 5) {
        return Some(Pattern::Suffix);
    }
    let (head, suffix) = rest.split_once('-')?;
    if !safe(suffix, 5, 5) {
        return None;
    }
    if !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()) {
        Some(Pattern::Scheduled)
    } else if safe(head, 1, 10) {
        Some(Pattern::TemplateHash)
    } else {
        None
    }
}

/// A workload to match against: its namespace, name and kind.
pub(crate) struct Candidate<'a> {
    pub(crate) namespace: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: &'a str,
}

/// How a pod was matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// By its owner in the pods' YAML (`via` says the chain).
    Owner(String),
    /// By its name.
    Name(Pattern),
}

/// Why a pod matches no workload of the scenario.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NoMatch {
    /// Its owner, through `ownerReferences`, is not among the scenario's workloads.
    #[error("its owner {kind} {name} ({via}) is not a workload of the scenario")]
    OwnerNotAWorkload { kind: String, name: String, via: String },
    /// The scenario has no workload in the pod's namespace.
    #[error("the scenario has no workloads in namespace {0}")]
    EmptyNamespace(String),
    /// No workload of the namespace names pods like this one.
    #[error(
        "no workload of namespace {0} is named like it (a Deployment's pods are <name>-<hash>-<suffix>, a StatefulSet's <name>-<ordinal>)"
    )]
    NoNameLikeIt(String),
}

/// A pod's workload (index into the candidates), how it was found, and a note when the kinds
/// disagree; or why there is none.
pub(crate) fn match_pod(
    namespace: &str,
    pod: &str,
    candidates: &[Candidate<'_>],
    owners: Option<&PodOwners>,
) -> Result<(usize, How, Option<String>), NoMatch> {
    let in_ns: Vec<usize> =
        (0..candidates.len()).filter(|&i| candidates[i].namespace == namespace).collect();
    if let Some(owner) = owners.and_then(|o| o.owner(namespace, pod)) {
        let named: Vec<usize> =
            in_ns.iter().copied().filter(|&i| candidates[i].name == owner.name).collect();
        let best = named
            .iter()
            .copied()
            .find(|&i| candidates[i].kind == owner.kind)
            .or_else(|| named.first().copied());
        return match best {
            Some(i) => {
                let note = (candidates[i].kind != owner.kind).then(|| {
                    format!(
                        "pod {namespace}/{pod} belongs to {} {} ({}), which the scenario calls a {}",
                        owner.kind, owner.name, owner.via, candidates[i].kind
                    )
                });
                Ok((i, How::Owner(owner.via.clone()), note))
            }
            None => Err(NoMatch::OwnerNotAWorkload {
                kind: owner.kind.clone(),
                name: owner.name.clone(),
                via: owner.via.clone(),
            }),
        };
    }
    if in_ns.is_empty() {
        return Err(NoMatch::EmptyNamespace(namespace.to_string()));
    }
    // Every workload whose name the pod's name starts with, and the pattern of the rest.
    let mut found: Vec<(usize, Pattern)> = Vec::new();
    for &i in &in_ns {
        let name = candidates[i].name;
        if pod == name {
            found.push((i, Pattern::Exact));
        } else if let Some(rest) = pod.strip_prefix(name).and_then(|r| r.strip_prefix('-'))
            && let Some(p) = pattern(rest)
        {
            found.push((i, p));
        }
    }
    let agrees = |&(i, p): &(usize, Pattern)| p.kinds().contains(&candidates[i].kind);
    // Prefer a workload whose kind names pods this way, then the longest name.
    found.sort_by_key(|f| (!agrees(f), std::cmp::Reverse(candidates[f.0].name.len())));
    let Some(&(i, p)) = found.first() else {
        return Err(NoMatch::NoNameLikeIt(namespace.to_string()));
    };
    let note = (!agrees(&(i, p))).then(|| {
        format!(
            "pod {namespace}/{pod} has {}, but workload {namespace}/{} is a {}",
            p.describe(),
            candidates[i].name,
            candidates[i].kind
        )
    });
    Ok((i, How::Name(p), note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::usage::{UsageSource, pods::read_pod_owners};

    fn cands() -> Vec<Candidate<'static>> {
        vec![
            Candidate { namespace: "shop", name: "api", kind: "Deployment" },
            Candidate { namespace: "shop", name: "api-v2", kind: "Deployment" },
            Candidate { namespace: "shop", name: "db", kind: "StatefulSet" },
            Candidate { namespace: "shop", name: "agent", kind: "DaemonSet" },
            Candidate { namespace: "ops", name: "report", kind: "CronJob" },
            Candidate { namespace: "ops", name: "cache", kind: "Deployment" },
        ]
    }

    fn check(ns: &str, pod: &str) -> Result<(&'static str, How, bool), NoMatch> {
        let c = cands();
        match_pod(ns, pod, &c, None).map(|(i, h, note)| (c[i].name, h, note.is_some()))
    }

    #[test]
    fn names_follow_their_controllers_patterns() {
        assert_eq!(
            check("shop", "api-7d9f8c6b5d-x2k4p"),
            Ok(("api", How::Name(Pattern::TemplateHash), false))
        );
        // The longest name wins: api-v2's pods are not api's.
        assert_eq!(
            check("shop", "api-v2-5f6d7c8b9-bcdfg"),
            Ok(("api-v2", How::Name(Pattern::TemplateHash), false))
        );
        assert_eq!(check("shop", "db-0"), Ok(("db", How::Name(Pattern::Ordinal), false)));
        assert_eq!(check("shop", "db-12"), Ok(("db", How::Name(Pattern::Ordinal), false)));
        assert_eq!(check("shop", "agent-x2k4p"), Ok(("agent", How::Name(Pattern::Suffix), false)));
        assert_eq!(
            check("ops", "report-28512345-bcdfg"),
            Ok(("report", How::Name(Pattern::Scheduled), false))
        );
        // A StatefulSet-like name for a Deployment matches, with a note.
        assert_eq!(check("ops", "cache-0"), Ok(("cache", How::Name(Pattern::Ordinal), true)));
    }

    #[test]
    fn other_names_do_not_match() {
        // Vowels and 0, 1, 3 are not in generated suffixes; leading zeros are no ordinal.
        assert!(check("shop", "api-7d9f8c6b5d-aeiou").is_err());
        assert!(check("shop", "db-01").is_err());
        assert!(check("shop", "apiserver-0").is_err());
        let e = check("kube-system", "coredns-5d78c9869d-x2k4p").unwrap_err().to_string();
        assert_eq!(e, "the scenario has no workloads in namespace kube-system");
        let e = check("shop", "web-7d9f8c6b5d-x2k4p").unwrap_err().to_string();
        assert!(e.starts_with("no workload of namespace shop is named like it"), "{e}");
    }

    #[test]
    fn owners_decide_when_given() {
        let text = "kind: Pod\nmetadata:\n  name: anything-at-all\n  namespace: shop\n  ownerReferences: [{kind: StatefulSet, name: db, controller: true}]\n---\nkind: Pod\nmetadata:\n  name: db-7\n  namespace: shop\n  ownerReferences: [{kind: StatefulSet, name: other, controller: true}]\n";
        let owners = read_pod_owners(&[UsageSource { name: "pods.yaml", text }]).output.unwrap();
        let c = cands();
        let (i, how, note) = match_pod("shop", "anything-at-all", &c, Some(&owners)).unwrap();
        assert_eq!((c[i].name, how, note), ("db", How::Owner("ownerReferences".into()), None));
        let e = match_pod("shop", "db-7", &c, Some(&owners)).unwrap_err().to_string();
        assert_eq!(
            e,
            "its owner StatefulSet other (ownerReferences) is not a workload of the scenario"
        );
        // Pods not in the YAML fall back to their names.
        let (i, _, _) = match_pod("shop", "db-3", &c, Some(&owners)).unwrap();
        assert_eq!(c[i].name, "db");
    }
}
