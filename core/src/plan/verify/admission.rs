//! Admission as the verifier states it: may a pod of this workload run on this node option at all, and which node pool is a node in.
//!
//! These rules are written here again on purpose, from the scenario model alone, rather than
//! shared with the packers (`fit::admission`): a mistake in the packers' statement
//! of a rule then cannot make the verifier accept the plans it produces.

use crate::resources::Resources;
use crate::scenario::{NodeOption, NodePool, glob_match};
use crate::workload::Workload;

/// Why a pod of `workload` may not run on `option`, or `None` when it may.
///
/// The checks, in order: spot tolerance; GPU nodes are kept for pods that request a GPU (GPU
/// pools are tainted); one pod's requests fit the usable capacity and its limits the
/// overcommit caps; the node selector (architecture, instance type, family, zone).
pub(super) fn refusal(workload: &Workload, option: &NodeOption) -> Option<String> {
    if option.purchase.is_spot() && !workload.spot {
        return Some("it does not tolerate spot".to_string());
    }
    if is_gpu_node(option) && !requests_gpu(&workload.pod.requests) {
        return Some("GPU nodes are kept for pods that request GPUs".to_string());
    }
    if !one_pod_fits(&workload.pod.requests, &option.usable) {
        return Some("one pod does not fit the node's usable capacity".to_string());
    }
    if !limits_within_caps(&workload.pod.limits, option) {
        return Some("one pod's limits exceed the node's overcommit cap".to_string());
    }
    selector_refusal(workload, option)
}

/// True when the node option carries a GPU (any extended resource named `…/gpu`).
fn is_gpu_node(option: &NodeOption) -> bool {
    option.capacity.has_gpu()
}

/// True when a pod requests a GPU.
fn requests_gpu(requests: &Resources) -> bool {
    requests.has_gpu()
}

/// True when every resource one pod requests is within the usable capacity.
fn one_pod_fits(requests: &Resources, usable: &Resources) -> bool {
    requests.excess_over(usable).is_empty()
}

/// True when one pod's limits are within every overcommit cap of the option.
fn limits_within_caps(limits: &Resources, option: &NodeOption) -> bool {
    option.limit_caps.iter().all(|(name, cap)| limits.get(name) <= *cap)
}

/// Which part of the workload's node selector excludes the option, if any.
fn selector_refusal(workload: &Workload, option: &NodeOption) -> Option<String> {
    let p = &workload.placement;
    if !p.arch.is_empty() && !p.arch.contains(&option.arch) {
        let allowed: Vec<&str> = p.arch.iter().map(|a| a.as_str()).collect();
        return Some(format!(
            "its architecture selector ({}) excludes {}",
            allowed.join(", "),
            option.arch
        ));
    }
    if !p.instance_types.is_empty()
        && !p.instance_types.iter().any(|g| glob_match(g, &option.instance_type))
    {
        return Some(format!(
            "its instance-type selector ({}) excludes {}",
            p.instance_types.join(", "),
            option.instance_type
        ));
    }
    if !p.families.is_empty() && !p.families.iter().any(|f| f.eq_ignore_ascii_case(&option.family))
    {
        return Some(format!(
            "its family selector ({}) excludes family {}",
            p.families.join(", "),
            option.family
        ));
    }
    if !p.zones.is_empty() && !p.zones.contains(&option.zone) {
        return Some(format!(
            "its zone selector ({}) excludes zone {}",
            p.zones.join(", "),
            option.zone
        ));
    }
    None
}

/// The first node pool whose requirements the option meets (families, instance types,
/// architectures, purchase options, vCPU range), as the scenario's pools are matched in order.
pub(super) fn pool_of(pools: &[NodePool], option: &NodeOption) -> Option<usize> {
    pools.iter().position(|pool| {
        let family = pool.families.is_empty()
            || pool.families.iter().any(|f| f.eq_ignore_ascii_case(&option.family));
        let instance_type = pool.instance_types.is_empty()
            || pool.instance_types.iter().any(|g| glob_match(g, &option.instance_type));
        let arch = pool.arch.is_empty() || pool.arch.contains(&option.arch);
        let purchase = pool.purchase.is_empty() || pool.purchase.contains(&option.purchase);
        let cpu = option.capacity.cpu;
        let size = pool.min_cpu.is_none_or(|c| cpu >= c) && pool.max_cpu.is_none_or(|c| cpu <= c);
        family && instance_type && arch && purchase && size
    })
}
