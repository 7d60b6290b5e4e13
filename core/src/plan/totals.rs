//! Aggregate facts about a plan: its totals, utilization and stranded capacity.

use std::collections::BTreeMap;

use super::{Plan, node_usage};
use crate::resources::{ResourceName, Resources};
use crate::scenario::{NodeOption, OptionKey, Scenario};

/// Aggregate facts about a plan: totals, utilization and stranded capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanTotals {
    /// Sum of node allocatable.
    pub allocatable: Resources,
    /// Sum of requests (workloads and DaemonSets).
    pub requests: Resources,
    /// Capacity left free on nodes whose CPU or memory is at least 90% requested.
    pub stranded: Resources,
    /// Sum of vCPU capacity.
    pub vcpus: f64,
}

/// Computes totals for a plan against its scenario's node options.
pub fn plan_totals(scenario: &Scenario, plan: &Plan, options: &[NodeOption]) -> PlanTotals {
    let by_key: BTreeMap<OptionKey, &NodeOption> = options.iter().map(|o| (o.key(), o)).collect();
    let mut t = PlanTotals {
        allocatable: Resources::default(),
        requests: Resources::default(),
        stranded: Resources::default(),
        vcpus: 0.0,
    };
    for n in &plan.nodes {
        let opt = by_key.get(&n.option_key()).copied();
        let u = node_usage(scenario, n, opt);
        t.allocatable = t.allocatable.add(&u.allocatable);
        t.requests = t.requests.add(&u.requests);
        t.vcpus += opt.map_or(0.0, |o| o.capacity.cpu.as_cores_f64());
        let free = u.allocatable.saturating_sub(&u.requests);
        let (uc, um) = (u.utilization(&ResourceName::Cpu), u.utilization(&ResourceName::Memory));
        if uc >= 0.9 && um < 0.9 {
            t.stranded.memory.0 += free.memory.0;
        } else if um >= 0.9 && uc < 0.9 {
            t.stranded.cpu.0 += free.cpu.0;
        }
    }
    t
}
