//! The cluster reader and today's plan on small inline clusters: unknown and unlabelled nodes,
//! pending and terminated pods, JSON and one file with both lists, located errors.

use super::{Cluster, PodPhase, default_cluster_options, read_cluster};
use crate::catalog::{Provider, PurchaseOption};
use crate::current::{planning_scenario, price};
use crate::input::manifests::Source;
use crate::plan::verify::verify;

fn node(name: &str, labels: &str, provider_id: &str, cpu: &str, memory: &str, pods: u32) -> String {
    format!(
        "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: {name}\n    labels: {{{labels}}}\n  spec: {{providerID: \"{provider_id}\"}}\n  status:\n    capacity: {{cpu: \"{cpu}\", memory: {memory}, pods: \"{pods}\", hugepages-2Mi: \"0\", attachable-volumes-aws-ebs: \"25\"}}\n    allocatable: {{cpu: \"{cpu}\", memory: {memory}, pods: \"{pods}\"}}\n"
    )
}

fn pod(ns: &str, name: &str, owner: &str, node: Option<&str>, phase: &str, cpu: &str) -> String {
    let owner = if owner.is_empty() {
        String::new()
    } else {
        let (kind, oname) = owner.split_once('/').unwrap();
        format!(
            "    ownerReferences: [{{apiVersion: apps/v1, kind: {kind}, name: {oname}, controller: true}}]\n"
        )
    };
    let node = node.map_or(String::new(), |n| format!("    nodeName: {n}\n"));
    format!(
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: {name}\n    namespace: {ns}\n    labels: {{team: shop}}\n{owner}  spec:\n{node}    containers:\n    - name: app\n      resources: {{requests: {{cpu: {cpu}, memory: 256Mi}}}}\n  status:\n    phase: {phase}\n    conditions:\n    - {{type: PodScheduled, status: \"False\", reason: Unschedulable, message: \"0/3 nodes are available: 3 Insufficient cpu.\"}}\n"
    )
}

fn list(items: &[String]) -> String {
    format!(
        "apiVersion: v1\nkind: List\nmetadata: {{resourceVersion: \"\"}}\nitems:\n{}",
        items.concat()
    )
}

fn read(texts: &[(&str, &str)]) -> Result<Cluster, Vec<String>> {
    let sources: Vec<Source<'_>> = texts.iter().map(|(name, text)| Source { name, text }).collect();
    read_cluster(&sources, &default_cluster_options())
        .output
        .map_err(|e| e.iter().map(ToString::to_string).collect())
}

const AWS_A: &str = "node.kubernetes.io/instance-type: m6i.xlarge, topology.kubernetes.io/zone: us-east-1a, eks.amazonaws.com/nodegroup: general, eks.amazonaws.com/capacityType: ON_DEMAND";

#[test]
fn unknown_instance_types_and_unlabelled_nodes_are_named_and_kept_unpriced() {
    let nodes = list(&[
        node("ip-10-0-1-1.ec2.internal", AWS_A, "aws:///us-east-1a/i-01", "4", "16Gi", 58),
        node(
            "ip-10-0-1-2.ec2.internal",
            "node.kubernetes.io/instance-type: m99z.large, topology.kubernetes.io/zone: us-east-1a",
            "aws:///us-east-1a/i-02",
            "2",
            "8Gi",
            29,
        ),
        node(
            "bare-metal-7",
            "kubernetes.io/arch: amd64",
            "aws:///us-east-1a/i-03",
            "8",
            "32Gi",
            110,
        ),
    ]);
    let pods = list(&[
        pod(
            "shop",
            "web-1",
            "StatefulSet/web",
            Some("ip-10-0-1-2.ec2.internal"),
            "Running",
            "500m",
        ),
        pod(
            "shop",
            "web-0",
            "StatefulSet/web",
            Some("ip-10-0-1-1.ec2.internal"),
            "Running",
            "500m",
        ),
        pod("shop", "web-2", "StatefulSet/web", Some("bare-metal-7"), "Running", "500m"),
    ]);
    let cluster = read(&[("nodes.yaml", &nodes), ("pods.yaml", &pods)]).unwrap();
    assert_eq!(cluster.nodes.len(), 3);
    assert_eq!(cluster.nodes[2].instance_type, None);
    let today = price(&cluster, None).unwrap();
    let warnings: Vec<String> = today.plan.warnings.iter().map(ToString::to_string).collect();
    let all = warnings.join("\n");
    assert!(
        all.contains("1 node(s) are not priced (instance type m99z.large is not in the embedded aws catalog): ip-10-0-1-2.ec2.internal"),
        "{all}"
    );
    assert!(
        all.contains("1 node(s) are not priced (no instance-type label (node.kubernetes.io/instance-type)): bare-metal-7"),
        "{all}"
    );
    // Every node stays in today's plan; the unpriced ones at no cost.
    assert_eq!(today.plan.nodes.len(), 3);
    let unpriced: Vec<&str> = today.unpriced().map(|n| n.name.as_str()).collect();
    assert_eq!(unpriced, ["ip-10-0-1-2.ec2.internal", "bare-metal-7"]);
    let hourly: Vec<(String, f64)> =
        today.plan.nodes.iter().map(|n| (n.instance_type.clone(), n.hourly.0)).collect();
    assert_eq!(hourly[0].0, "m6i.xlarge");
    assert!((hourly[0].1 - 0.192).abs() < 1e-9, "{hourly:?}");
    assert!(hourly[1..].iter().all(|(_, h)| *h == 0.0), "{hourly:?}");
    assert!(hourly.iter().any(|(t, _)| t == "unlabelled:bare-metal-7"));
    assert_eq!(today.plan.n_pods(), 3);
    // The unpriced types are today's options only: the new plan never buys a free node.
    let planned = planning_scenario(&cluster, None, &today);
    assert!(planned.custom_types.is_empty());
    assert!(planned.pricing.sheet.is_empty());
    let violations = verify(&today.scenario, &today.plan);
    assert!(
        violations.iter().all(|v| v.rule != crate::plan::verify::Rule::UnknownOption),
        "{violations:?}"
    );
}

#[test]
fn pending_and_terminated_pods_are_reported_and_not_placed() {
    let text = list(&[
        node("ip-10-0-1-1.ec2.internal", AWS_A, "aws:///us-east-1a/i-01", "4", "16Gi", 58),
        pod(
            "shop",
            "api-7d9f8c6b5d-x2k4p",
            "ReplicaSet/api-7d9f8c6b5d",
            Some("ip-10-0-1-1.ec2.internal"),
            "Running",
            "1",
        ),
        pod("shop", "api-7d9f8c6b5d-q8rdz", "ReplicaSet/api-7d9f8c6b5d", None, "Pending", "1"),
        pod(
            "ops",
            "backup-28512345-abcde",
            "Job/backup-28512345",
            Some("ip-10-0-1-1.ec2.internal"),
            "Succeeded",
            "2",
        ),
    ])
    .replace(
        "    labels: {team: shop}\n",
        "    labels: {team: shop, pod-template-hash: 7d9f8c6b5d}\n",
    );
    let cluster = read(&[("all.yaml", &text)]).unwrap();
    let phases: Vec<PodPhase> = cluster.pods.iter().map(|p| p.phase).collect();
    assert_eq!(phases, [PodPhase::Running, PodPhase::Pending, PodPhase::Succeeded]);
    assert_eq!(cluster.pods[0].controller.kind, "Deployment");
    assert_eq!(cluster.pods[0].controller.name, "api");
    let today = price(&cluster, None).unwrap();
    assert_eq!(
        today.pending,
        [(
            "shop/api-7d9f8c6b5d-q8rdz".to_string(),
            Some("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.".to_string())
        )]
    );
    assert_eq!(today.terminated.len(), 1);
    assert_eq!(today.terminated[0].0, "ops/backup-28512345-abcde");
    assert_eq!(today.plan.n_pods(), 1);
    assert_eq!(today.scenario.workloads.len(), 1);
    assert_eq!(today.scenario.workloads[0].owner.as_deref(), Some("shop"));
    // Planning runs the pending pod too.
    let planned = planning_scenario(&cluster, None, &today);
    assert_eq!(planned.workloads[0].replicas, 2);
}

#[test]
fn json_output_and_one_file_with_nodes_and_pods_read_alike() {
    let json = r#"{"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "gke-a", "labels": {"node.kubernetes.io/instance-type": "e2-standard-4", "topology.kubernetes.io/zone": "us-central1-b", "cloud.google.com/gke-nodepool": "pool-1", "cloud.google.com/gke-spot": "true"}},
  "spec": {"providerID": "gce://proj/us-central1-b/gke-a"},
  "status": {"capacity": {"cpu": "4", "memory": "16393520Ki", "pods": "110"}, "allocatable": {"cpu": "3920m", "memory": "13477168Ki", "pods": "110"}}},
 {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0", "namespace": "shop"},
  "spec": {"nodeName": "gke-a", "containers": [{"name": "web", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]},
  "status": {"phase": "Running"}}]}"#;
    let cluster = read(&[("cluster.json", json)]).unwrap();
    assert_eq!((cluster.provider, cluster.region.as_str()), (Provider::Gcp, "us-central1"));
    let n = &cluster.nodes[0];
    assert_eq!(n.purchase, PurchaseOption::Spot);
    assert_eq!(n.purchase_label.as_deref(), Some("cloud.google.com/gke-spot=true"));
    assert_eq!(n.node_pool.as_deref(), Some("pool-1"));
    assert_eq!(n.allocatable.cpu.millis(), 3920);
    assert_eq!(cluster.pods[0].controller.kind, "Pod");
    assert_eq!(cluster.pods[0].read.workload.pod.requests.cpu.millis(), 250);
}

#[test]
fn bad_input_names_file_line_column_and_path() {
    let bad_label = list(&[node(
        "ip-10-0-1-1.ec2.internal",
        "node.kubernetes.io/instance-type: m6i.large, karpenter.sh/capacity-type: preemptible",
        "aws:///us-east-1a/i-01",
        "2",
        "8Gi",
        29,
    )]);
    let e = read(&[("nodes.yaml", &bad_label)]).unwrap_err();
    assert_eq!(
        e,
        [
            "nodes.yaml:9:87: error: unknown capacity type \"preemptible\" in label karpenter.sh/capacity-type; expected spot, on-demand, reserved (at items[0].metadata.labels.karpenter.sh/capacity-type) [document 1]"
        ]
    );
    let bad_pod = list(&[pod("shop", "web-0", "", Some("n"), "Runing", "1x")]);
    let e = read(&[("pods.yaml", &bad_pod)]).unwrap_err();
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].starts_with("pods.yaml:17:12: error: unknown pod phase \"Runing\""), "{e:?}");
    assert!(e[1].starts_with("pods.yaml:15:35: error: invalid quantity \"1x\""), "{e:?}");
    let twice = list(&[
        node("n1", AWS_A, "aws:///us-east-1a/i-01", "2", "8Gi", 29),
        node("n1", AWS_A, "aws:///us-east-1a/i-01", "2", "8Gi", 29),
    ]);
    let e = read(&[("nodes.yaml", &twice)]).unwrap_err();
    assert!(e[0].contains("node n1 is listed twice (first at nodes.yaml:5:3"), "{e:?}");
}

#[test]
fn nodes_of_two_providers_or_regions_are_refused() {
    let text = list(&[
        node("a", AWS_A, "aws:///us-east-1a/i-01", "2", "8Gi", 29),
        node(
            "b",
            "topology.kubernetes.io/zone: us-central1-a",
            "gce://p/us-central1-a/b",
            "2",
            "8Gi",
            110,
        ),
    ]);
    let e = read(&[("nodes.yaml", &text)]).unwrap_err();
    assert!(e[0].contains("the nodes belong to different providers (aws, gcp)"), "{e:?}");
    let text = list(&[
        node("a", AWS_A, "aws:///us-east-1a/i-01", "2", "8Gi", 29),
        node(
            "b",
            "topology.kubernetes.io/zone: us-west-2a",
            "aws:///us-west-2a/i-02",
            "2",
            "8Gi",
            29,
        ),
    ]);
    let e = read(&[("nodes.yaml", &text)]).unwrap_err();
    assert!(e[0].contains("the nodes are in different regions (us-east-1, us-west-2)"), "{e:?}");
    assert!(read(&[("pods.yaml", &list(&[]))]).unwrap_err()[0].contains("no nodes were read"));
}
