//! `kplan export`: Karpenter NodePools validate against the Karpenter v1 NodePool CRD's OpenAPI
//! schema, eksctl output against eksctl's JSON schema (both in `../shared/data/schemas/`),
//! Terraform parses with the `hcl` crate and names only arguments the providers document; the
//! commands name each pool once. The plans are today's EKS, GKE and AKS fixtures and a plan of one.
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use kplan_core::current::price;
use kplan_core::input::cluster::{default_cluster_options, read_cluster};
use kplan_core::input::manifests::Source;
use kplan_core::plan::Plan;
use kplan_core::report::export::{Format, default_options, export};
use kplan_tests::{kplan, repo_root};
use serde_json::Value;

fn schemas() -> PathBuf {
    let dir = repo_root().join("../shared/data/schemas");
    assert!(
        dir.is_dir(),
        "the schemas are missing: {} (see shared/data/schemas/SOURCES.md)",
        dir.display()
    );
    dir
}

/// Today's plan of a fixture cluster.
fn today(name: &str) -> Plan {
    let dir = repo_root().join("data/examples/cluster").join(name);
    let mut texts = Vec::new();
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        texts.push((f.display().to_string(), std::fs::read_to_string(&f).unwrap()));
    }
    let sources: Vec<Source<'_>> = texts.iter().map(|(n, t)| Source { name: n, text: t }).collect();
    let cluster = read_cluster(&sources, &default_cluster_options()).output.unwrap();
    price(&cluster, None).unwrap().plan
}

fn text(plan: &Plan, format: Format) -> String {
    let files = export(plan, format, &default_options()).unwrap();
    assert_eq!(files.len(), 1);
    files[0].text.clone()
}

/// Every YAML document of a text, as JSON values.
fn documents(text: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(text)
        .map(|d| Value::deserialize(d).unwrap())
        .filter(|v| !v.is_null())
        .collect()
}

fn nodepool_validator() -> jsonschema::Validator {
    let crd = std::fs::read_to_string(schemas().join("karpenter.sh_nodepools.yaml")).unwrap();
    let crd: Value = serde_yaml::from_str(&crd).unwrap();
    let v1 =
        crd["spec"]["versions"].as_array().unwrap().iter().find(|v| v["name"] == "v1").unwrap();
    jsonschema::validator_for(&v1["schema"]["openAPIV3Schema"]).unwrap()
}

fn eksctl_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(schemas().join("eksctl-v1alpha5-schema.json")).unwrap();
    // Its `$ref`s name Go package paths with `|` (`#/definitions/github.com|aws|…`), which the
    // draft-07 meta-schema's `uri-reference` format refuses; percent-encoded, the same pointers
    // resolve to the same definitions.
    let text = text.replace("\"$ref\": \"#/definitions/", "\"$ref\": \"#/definitions/\u{0}");
    let text: String = text
        .split('\u{0}')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_string();
            }
            let end = part.find('"').unwrap();
            format!("{}{}", part[..end].replace('|', "%7C"), &part[end..])
        })
        .collect();
    jsonschema::validator_for(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn karpenter_nodepools_validate_against_the_crd_schema() {
    let validator = nodepool_validator();
    for (cluster, n_pools) in [("eks", 2), ("aks", 2)] {
        let plan = today(cluster);
        let docs = documents(&text(&plan, Format::Karpenter));
        assert_eq!(docs.len(), n_pools, "{cluster}");
        for d in &docs {
            assert_eq!(errors(&validator, d), Vec::<String>::new(), "{cluster}: {d}");
        }
        // The spot pool comes first, tried first by weight, with the spot nodes' types and zones.
        assert_eq!(docs[0]["metadata"]["name"], "kplan-spot");
        assert!(docs[0]["spec"]["weight"].as_u64() > docs[1]["spec"]["weight"].as_u64());
        let req = &docs[0]["spec"]["template"]["spec"]["requirements"];
        assert_eq!(req[0]["key"], "karpenter.sh/capacity-type");
        assert_eq!(req[0]["values"][0], "spot");
    }
    let eks = documents(&text(&today("eks"), Format::Karpenter));
    let req = &eks[0]["spec"]["template"]["spec"]["requirements"];
    assert_eq!(req[1]["values"], serde_json::json!(["m5.xlarge", "m6a.xlarge"]));
    assert_eq!(req[2]["values"], serde_json::json!(["us-east-1a", "us-east-1c"]));
    // 16 vCPU and 64 GiB of spot today, plus 20%.
    assert_eq!(eks[0]["spec"]["limits"], serde_json::json!({"cpu": "20", "memory": "77Gi"}));
    assert_eq!(eks[1]["spec"]["limits"], serde_json::json!({"cpu": "15", "memory": "39Gi"}));
    // The validator is real: a NodePool without its node class is refused.
    let mut broken = eks[0].clone();
    broken["spec"]["template"]["spec"].as_object_mut().unwrap().remove("nodeClassRef");
    assert!(!errors(&validator, &broken).is_empty());
    broken["spec"]["template"]["spec"]["requirements"][0]["operator"] = "Maybe".into();
    assert!(
        errors(&validator, &broken).iter().any(|e| e.contains("Maybe")),
        "{:?}",
        errors(&validator, &broken)
    );
}

#[test]
fn eksctl_config_validates_against_its_json_schema() {
    let validator = eksctl_validator();
    let docs = documents(&text(&today("eks"), Format::Eksctl));
    assert_eq!(docs.len(), 1);
    let config = &docs[0];
    assert_eq!(errors(&validator, config), Vec::<String>::new(), "{config}");
    let groups = config["managedNodeGroups"].as_array().unwrap();
    let by_name: BTreeMap<&str, &Value> =
        groups.iter().map(|g| (g["name"].as_str().unwrap(), g)).collect();
    assert_eq!(by_name.len(), 7, "{:?}", by_name.keys());
    let spot = by_name["m5-xlarge-spot-us-east-1a"];
    assert_eq!(spot["spot"], true);
    assert_eq!(spot["instanceTypes"], serde_json::json!(["m5.xlarge"]));
    assert_eq!((spot["minSize"].as_u64(), spot["maxSize"].as_u64()), (Some(1), Some(2)));
    let od = by_name["m6i-large-od-us-east-1a"];
    assert_eq!(od["instanceType"], "m6i.large");
    assert_eq!(od["availabilityZones"], serde_json::json!(["us-east-1a"]));
    // The validator is real: an unknown node group field is refused.
    let mut broken = config.clone();
    broken["managedNodeGroups"][0]["instanceSize"] = "large".into();
    assert!(!errors(&validator, &broken).is_empty());
}

/// The arguments and nested blocks each resource type's provider documents (Terraform Registry:
/// hashicorp/aws `aws_eks_node_group`, hashicorp/google `google_container_node_pool`,
/// hashicorp/azurerm 4.x `azurerm_kubernetes_cluster_node_pool`), and a `variable` block's.
fn documented() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let list = |items: &[&'static str]| items.iter().copied().collect::<BTreeSet<_>>();
    [
        (
            "aws_eks_node_group",
            list(&[
                "cluster_name",
                "node_group_name",
                "node_group_name_prefix",
                "node_role_arn",
                "subnet_ids",
                "scaling_config",
                "scaling_config.desired_size",
                "scaling_config.min_size",
                "scaling_config.max_size",
                "ami_type",
                "capacity_type",
                "disk_size",
                "force_update_version",
                "instance_types",
                "labels",
                "launch_template",
                "release_version",
                "remote_access",
                "tags",
                "taint",
                "update_config",
                "version",
            ]),
        ),
        (
            "google_container_node_pool",
            list(&[
                "cluster",
                "name",
                "name_prefix",
                "location",
                "node_locations",
                "initial_node_count",
                "node_count",
                "max_pods_per_node",
                "version",
                "project",
                "autoscaling",
                "autoscaling.min_node_count",
                "autoscaling.max_node_count",
                "autoscaling.total_min_node_count",
                "autoscaling.total_max_node_count",
                "autoscaling.location_policy",
                "management",
                "upgrade_settings",
                "node_config",
                "node_config.machine_type",
                "node_config.spot",
                "node_config.preemptible",
                "node_config.labels",
                "node_config.disk_size_gb",
                "node_config.taint",
            ]),
        ),
        (
            "azurerm_kubernetes_cluster_node_pool",
            list(&[
                "name",
                "kubernetes_cluster_id",
                "vm_size",
                "zones",
                "node_count",
                "auto_scaling_enabled",
                "min_count",
                "max_count",
                "node_labels",
                "node_taints",
                "priority",
                "eviction_policy",
                "spot_max_price",
                "mode",
                "os_type",
                "max_pods",
                "os_disk_size_gb",
                "tags",
                "upgrade_settings",
                "vnet_subnet_id",
            ]),
        ),
        (
            "variable",
            list(&["type", "description", "default", "sensitive", "nullable", "validation"]),
        ),
    ]
    .into_iter()
    .collect()
}

/// Per block type (`resource` blocks by their resource type), the attribute and nested block
/// names used, nested ones as `block.attribute`.
fn names_used(body: &hcl::Body) -> BTreeMap<String, BTreeSet<String>> {
    let mut res: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for block in body.blocks() {
        let kind = match block.identifier() {
            "resource" => block.labels()[0].as_str().to_string(),
            other => other.to_string(),
        };
        let names = res.entry(kind).or_default();
        for a in block.body().attributes() {
            names.insert(a.key().to_string());
        }
        for inner in block.body().blocks() {
            names.insert(inner.identifier().to_string());
            for a in inner.body().attributes() {
                names.insert(format!("{}.{}", inner.identifier(), a.key()));
            }
        }
    }
    res
}

#[test]
fn terraform_parses_and_names_only_documented_arguments() {
    let documented = documented();
    for (cluster, resource, n) in [
        ("eks", "aws_eks_node_group", 7),
        ("gke", "google_container_node_pool", 6),
        ("aks", "azurerm_kubernetes_cluster_node_pool", 6),
    ] {
        let tf = text(&today(cluster), Format::Terraform);
        let body = hcl::parse(&tf).unwrap_or_else(|e| panic!("{cluster}: {e}\n{tf}"));
        let n_resources = body.blocks().filter(|b| b.identifier() == "resource").count();
        assert_eq!(n_resources, n, "{cluster}");
        let used = names_used(&body);
        assert!(used.contains_key(resource), "{cluster}: {used:?}");
        for (kind, names) in &used {
            let allowed = &documented[kind.as_str()];
            let unknown: Vec<&String> =
                names.iter().filter(|n| !allowed.contains(n.as_str())).collect();
            assert!(unknown.is_empty(), "{cluster}: {kind} names undocumented {unknown:?}");
        }
    }
    let gke = text(&today("gke"), Format::Terraform);
    assert!(gke.contains("machine_type = \"n2-standard-8\""), "{gke}");
    assert!(gke.contains("spot = true"), "{gke}");
    let aks = text(&today("aks"), Format::Terraform);
    assert!(aks.contains("priority = \"Spot\""), "{aks}");
    assert!(aks.contains("zones = [\n    \"3\"\n  ]"), "{aks}");
}

#[test]
fn gcloud_and_az_commands_create_every_pool() {
    let gke = text(&today("gke"), Format::Gke);
    let creates: Vec<&str> =
        gke.lines().filter(|l| l.starts_with("gcloud container node-pools create ")).collect();
    assert_eq!(creates.len(), 6, "{gke}");
    assert!(
        creates.iter().any(|l| l.contains("--machine-type=n2-standard-8")
            && l.contains("--node-locations=us-central1-a")
            && l.contains("--num-nodes=2")
            && l.ends_with(" --spot")),
        "{gke}"
    );
    let aks = text(&today("aks"), Format::Aks);
    let adds: Vec<&str> = aks.lines().filter(|l| l.starts_with("az aks nodepool add ")).collect();
    assert_eq!(adds.len(), 6, "{aks}");
    assert!(adds.iter().all(|l| l.contains("--resource-group \"$RESOURCE_GROUP\"")), "{aks}");
    assert!(adds.iter().any(|l| l.contains("--priority Spot")), "{aks}");
    // Names are AKS-valid: at most 12 lowercase letters and digits.
    for l in &adds {
        let name = l.split(" --name ").nth(1).unwrap().split(' ').next().unwrap();
        assert!(
            name.len() <= 12 && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{name}"
        );
    }
    let err = export(&today("eks"), Format::Gke, &default_options()).unwrap_err();
    assert_eq!(err.to_string(), "gke exports gcp plans; this plan is for aws");
}

#[test]
fn export_writes_files_from_a_planned_cluster() {
    let tmp = std::env::temp_dir().join(format!("kplan-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let plan = tmp.join("plan.json");
    let dir = repo_root().join("data/examples/cluster/aks");
    let (code, _, err) = kplan(&[
        "plan",
        "--cluster",
        dir.to_str().unwrap(),
        "--method",
        "ffd",
        "--no-finance",
        "--format",
        "json",
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = tmp.join("out");
    let (code, _, err) = kplan(&[
        "export",
        plan.to_str().unwrap(),
        "--format",
        "karpenter",
        "--out",
        out.to_str().unwrap(),
        "--cluster-name",
        "payments",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nodepools.yaml"), "{err}");
    let written = std::fs::read_to_string(out.join("nodepools.yaml")).unwrap();
    let validator = nodepool_validator();
    for d in documents(&written) {
        assert_eq!(errors(&validator, &d), Vec::<String>::new());
        assert_eq!(d["spec"]["template"]["spec"]["nodeClassRef"]["kind"], "AKSNodeClass");
    }
    let (code, _, err) = kplan(&["export", plan.to_str().unwrap(), "--format", "eksctl"]);
    assert_eq!(code, 2);
    assert!(err.contains("eksctl exports aws plans; this plan is for azure"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}
