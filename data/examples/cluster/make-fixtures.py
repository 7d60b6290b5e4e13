#!/usr/bin/env python3
"""Writes the `kubectl get nodes/pods -o yaml` fixtures of data/examples/cluster/.

The clusters are synthetic; each object has the fields and key order `kubectl get -o yaml`
(v1.31) prints: sorted keys, `kind: List` with `metadata.resourceVersion: ""`, quantities as
strings, ownerReferences with uids, phases and conditions. Run from this folder:
python3 make-fixtures.py (needs PyYAML).
"""
import hashlib
import yaml

def uid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

def suffix(*parts, n=5):
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    h = int(hashlib.sha1("/".join(parts).encode()).hexdigest(), 16)
    out = ""
    for _ in range(n):
        out += alphabet[h % len(alphabet)]
        h //= len(alphabet)
    return out

def ki(gib, loss=0.0):
    return f"{int(gib * 1024 * 1024 * (1 - loss))}Ki"

def node(name, labels, provider_id, cpu, mem_gib, pods, alloc_cpu_m, alloc_mem_ki, taints=None, arch="amd64"):
    cap = {"cpu": str(cpu), "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0",
           "hugepages-2Mi": "0", "memory": ki(mem_gib, 0.012), "pods": str(pods)}
    alloc = {"cpu": f"{alloc_cpu_m}m", "ephemeral-storage": "76224326324", "hugepages-1Gi": "0",
             "hugepages-2Mi": "0", "memory": f"{alloc_mem_ki}Ki", "pods": str(pods)}
    labels = dict(labels)
    labels.update({"beta.kubernetes.io/arch": arch, "beta.kubernetes.io/os": "linux",
                   "kubernetes.io/arch": arch, "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"})
    spec = {"providerID": provider_id}
    if taints:
        spec["taints"] = taints
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
                     "creationTimestamp": "2026-11-28T06:14:09Z", "labels": labels, "name": name,
                     "resourceVersion": str(int(hashlib.sha1(name.encode()).hexdigest()[:6], 16)),
                     "uid": uid("node", name)},
        "spec": spec,
        "status": {
            "addresses": [{"address": "10.0.0.1", "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": alloc, "capacity": cap,
            "conditions": [
                {"lastHeartbeatTime": "2026-12-02T17:58:12Z", "lastTransitionTime": "2026-11-28T06:14:31Z",
                 "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory",
                 "status": "False", "type": "MemoryPressure"},
                {"lastHeartbeatTime": "2026-12-02T17:58:12Z", "lastTransitionTime": "2026-11-28T06:14:41Z",
                 "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}],
            "nodeInfo": {"architecture": arch, "containerRuntimeVersion": "containerd://1.7.22",
                         "kernelVersion": "6.1.115", "kubeProxyVersion": "v1.31.2", "kubeletVersion": "v1.31.2",
                         "operatingSystem": "linux", "osImage": "Linux"}},
    }

DEFAULT_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]

def container(name, image, requests=None, limits=None):
    c = {"image": image, "imagePullPolicy": "IfNotPresent", "name": name,
         "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
         "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": True}]}
    if requests:
        c["resources"]["requests"] = requests
    if limits:
        c["resources"]["limits"] = limits
    return c

def pod(ns, name, owner, node_name, containers, labels=None, phase="Running", extra_spec=None,
        reason=None, message=None, scheduled=True, qos="Burstable", init=None, gen=None):
    meta = {"creationTimestamp": "2026-12-01T09:30:00Z", "labels": labels or {}, "name": name, "namespace": ns,
            "resourceVersion": str(int(hashlib.sha1(name.encode()).hexdigest()[:6], 16)), "uid": uid("pod", ns, name)}
    if gen:
        meta["generateName"] = gen
    if owner:
        kind, oname = owner
        api = {"ReplicaSet": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "Job": "batch/v1", "Node": "v1"}[kind]
        meta["ownerReferences"] = [{"apiVersion": api, "blockOwnerDeletion": True, "controller": True,
                                    "kind": kind, "name": oname, "uid": uid(kind, ns, oname)}]
        if kind == "Node":
            del meta["ownerReferences"][0]["blockOwnerDeletion"]
    spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": "default",
            "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
            "tolerations": list(DEFAULT_TOLERATIONS),
            "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}}]}
    if init:
        spec["initContainers"] = init
    if node_name:
        spec["nodeName"] = node_name
    if extra_spec:
        for k, v in extra_spec.items():
            if k == "tolerations":
                spec["tolerations"] = v + spec["tolerations"]
            else:
                spec[k] = v
    conds = []
    if scheduled:
        conds = [
            {"lastProbeTime": None, "lastTransitionTime": "2026-12-01T09:30:02Z", "status": "True" if phase == "Running" else "False", "type": "Ready"},
            {"lastProbeTime": None, "lastTransitionTime": "2026-12-01T09:30:00Z", "status": "True", "type": "PodScheduled"}]
    else:
        conds = [{"lastProbeTime": None, "lastTransitionTime": "2026-12-02T17:41:19Z",
                  "message": message, "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    status = {"conditions": conds, "phase": phase, "qosClass": qos}
    if node_name:
        status["hostIP"] = "10.0.0.1"
        status["podIP"] = "10.0.0.2"
        status["startTime"] = "2026-12-01T09:30:00Z"
    if reason:
        status["reason"] = reason
        status["message"] = message
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}

def deployment_pods(ns, name, replicas, nodes, c, labels, pending=0, pending_message=None, extra_spec=None):
    h = suffix(ns, name, "rs", n=10).lower()
    out = []
    for i in range(replicas + pending):
        pname = f"{name}-{h}-{suffix(ns, name, str(i))}"
        lab = dict(labels)
        lab["pod-template-hash"] = h
        running = i < replicas
        out.append(pod(ns, pname, ("ReplicaSet", f"{name}-{h}"), nodes[i % len(nodes)] if running else None,
                       [dict(x) for x in c], lab, phase="Running" if running else "Pending",
                       extra_spec=extra_spec, scheduled=running, message=pending_message, gen=f"{name}-{h}-"))
    return out

def statefulset_pods(ns, name, nodes, c, labels, extra_spec=None):
    out = []
    for i, n in enumerate(nodes):
        lab = dict(labels)
        lab["statefulset.kubernetes.io/pod-name"] = f"{name}-{i}"
        lab["apps.kubernetes.io/pod-index"] = str(i)
        out.append(pod(ns, f"{name}-{i}", ("StatefulSet", name), n, [dict(x) for x in c], lab, extra_spec=extra_spec, gen=f"{name}-"))
    return out

def daemonset_pods(ns, name, nodes, c, labels):
    out = []
    for n in nodes:
        lab = dict(labels)
        lab["controller-revision-hash"] = suffix(ns, name, n=10).lower()
        aff = {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [n]}]}]}}},
               "priorityClassName": "system-node-critical",
               "tolerations": [{"operator": "Exists"}]}
        out.append(pod(ns, f"{name}-{suffix(ns, name, n)}", ("DaemonSet", name), n, [dict(x) for x in c], lab, extra_spec=aff, gen=f"{name}-"))
    return out

class KubectlDumper(yaml.SafeDumper):
    """Quotes strings with double quotes, as kubectl (sigs.k8s.io/yaml) does."""

def quoted(dumper, text):
    plain = yaml.safe_dump(text, default_flow_style=False).strip()
    style = '"' if plain.startswith("'") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

KubectlDumper.add_representer(str, quoted)

def dump(path, items):
    doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    with open(path, "w") as f:
        yaml.dump(doc, f, Dumper=KubectlDumper, sort_keys=True, default_flow_style=False, width=1000)

# ---------------------------------------------------------------------------------------------
# EKS in us-east-1: managed node groups (system on-demand, batch-spot spot) and a Karpenter NodePool.

def eks_node(name, itype, zone, cpu, mem, pods, alloc_cpu, extra, family):
    labels = {"failure-domain.beta.kubernetes.io/region": "us-east-1", "failure-domain.beta.kubernetes.io/zone": zone,
              "k8s.io/cloud-provider-aws": "a1b2c3d4e5f60718293a4b5c6d7e8f90", "node.kubernetes.io/instance-type": itype,
              "beta.kubernetes.io/instance-type": itype, "topology.ebs.csi.aws.com/zone": zone,
              "topology.k8s.aws/zone-id": {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2", "us-east-1c": "use1-az4"}[zone],
              "topology.kubernetes.io/region": "us-east-1", "topology.kubernetes.io/zone": zone}
    labels.update(extra)
    mem_ki = int(mem * 1024 * 1024 * 0.988) - (255 + 11 * pods + 100) * 1024
    return node(name, labels, f"aws:///{zone}/i-0{hashlib.sha1(name.encode()).hexdigest()[:16]}", cpu, mem, pods, alloc_cpu, mem_ki)

def ng(group, cap):
    return {"eks.amazonaws.com/capacityType": cap, "eks.amazonaws.com/nodegroup": group,
            "eks.amazonaws.com/nodegroup-image": "ami-0c2a3f0a8e3b54f11",
            "eks.amazonaws.com/sourceLaunchTemplateId": "lt-0f1e2d3c4b5a69788", "eks.amazonaws.com/sourceLaunchTemplateVersion": "3"}

def kp(cap, family, size):
    return {"karpenter.sh/capacity-type": cap, "karpenter.sh/nodepool": "default", "karpenter.sh/initialized": "true",
            "karpenter.sh/registered": "true", "karpenter.k8s.aws/ec2nodeclass": "default",
            "karpenter.k8s.aws/instance-family": family, "karpenter.k8s.aws/instance-size": size,
            "karpenter.k8s.aws/instance-category": family[0], "karpenter.k8s.aws/instance-generation": family[1]}

N1, N2 = "ip-10-0-1-23.ec2.internal", "ip-10-0-2-141.ec2.internal"
N3, N4 = "ip-10-0-1-87.ec2.internal", "ip-10-0-3-52.ec2.internal"
N5, N6, N7 = "ip-10-0-2-19.ec2.internal", "ip-10-0-1-200.ec2.internal", "ip-10-0-3-77.ec2.internal"
eks_nodes = [
    eks_node(N1, "m6i.large", "us-east-1a", 2, 8, 29, 1930, ng("system", "ON_DEMAND"), "m6i"),
    eks_node(N2, "m6i.large", "us-east-1b", 2, 8, 29, 1930, ng("system", "ON_DEMAND"), "m6i"),
    eks_node(N3, "m5.xlarge", "us-east-1a", 4, 16, 58, 3920, ng("batch-spot", "SPOT"), "m5"),
    eks_node(N4, "m5.xlarge", "us-east-1c", 4, 16, 58, 3920, ng("batch-spot", "SPOT"), "m5"),
    eks_node(N5, "c6i.2xlarge", "us-east-1b", 8, 16, 58, 7910, kp("on-demand", "c6i", "2xlarge"), "c6i"),
    eks_node(N6, "m6a.xlarge", "us-east-1a", 4, 16, 58, 3920, kp("spot", "m6a", "xlarge"), "m6a"),
    eks_node(N7, "m6a.xlarge", "us-east-1c", 4, 16, 58, 3920, kp("spot", "m6a", "xlarge"), "m6a"),
]
ALL = [N1, N2, N3, N4, N5, N6, N7]
prefer_spot = {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
    {"preference": {"matchExpressions": [{"key": "karpenter.sh/capacity-type", "operator": "In", "values": ["spot"]}]}, "weight": 50}]}}}
eks_pods = []
eks_pods += daemonset_pods("kube-system", "aws-node", ALL, [
    container("aws-node", "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.18.5", {"cpu": "25m"}),
    container("aws-eks-nodeagent", "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.2", {"cpu": "25m"})],
    {"app.kubernetes.io/instance": "aws-vpc-cni", "app.kubernetes.io/name": "aws-node", "k8s-app": "aws-node"})
eks_pods += daemonset_pods("kube-system", "kube-proxy", ALL, [
    container("kube-proxy", "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.31.2-eksbuild.3", {"cpu": "100m"})],
    {"k8s-app": "kube-proxy"})
eks_pods += daemonset_pods("kube-system", "ebs-csi-node", ALL, [
    container("ebs-plugin", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.36.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"}),
    container("node-driver-registrar", "public.ecr.aws/eks-distro/kubernetes-csi/node-driver-registrar:v2.12.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"}),
    container("liveness-probe", "public.ecr.aws/eks-distro/kubernetes-csi/livenessprobe:v2.14.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"})],
    {"app": "ebs-csi-node", "app.kubernetes.io/name": "aws-ebs-csi-driver"})
eks_pods += deployment_pods("kube-system", "coredns", 2, [N1, N2], [
    container("coredns", "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2", {"cpu": "100m", "memory": "70Mi"}, {"memory": "170Mi"})],
    {"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns", "team": "platform"})
eks_pods += deployment_pods("kube-system", "ebs-csi-controller", 2, [N1, N2], [
    container("ebs-plugin", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.36.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"}),
    container("csi-provisioner", "public.ecr.aws/eks-distro/kubernetes-csi/external-provisioner:v5.1.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"}),
    container("csi-attacher", "public.ecr.aws/eks-distro/kubernetes-csi/external-attacher:v4.7.0", {"cpu": "10m", "memory": "40Mi"}, {"memory": "256Mi"})],
    {"app": "ebs-csi-controller", "team": "platform"})
eks_pods += deployment_pods("karpenter", "karpenter", 2, [N1, N2], [
    container("controller", "public.ecr.aws/karpenter/controller:1.1.0", {"cpu": "500m", "memory": "512Mi"}, {"cpu": "1", "memory": "1Gi"})],
    {"app.kubernetes.io/instance": "karpenter", "app.kubernetes.io/name": "karpenter", "team": "platform"},
    extra_spec={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "karpenter.sh/nodepool", "operator": "DoesNotExist"}]}]}}}})
eks_pods += deployment_pods("shop", "web", 6, [N3, N4, N6, N7, N5, N6], [
    container("web", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:2.14.1", {"cpu": "250m", "memory": "512Mi"}, {"memory": "512Mi"})],
    {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "storefront"}, extra_spec=prefer_spot)
eks_pods += deployment_pods("shop", "api", 3, [N1, N2, N5], [
    container("api", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:5.2.0", {"cpu": "500m", "memory": "1Gi"}, {"memory": "1Gi"})],
    {"app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "storefront"}, pending=1,
    pending_message="0/7 nodes are available: 3 Insufficient memory, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/7 nodes are available: 3 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.",
    extra_spec={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "karpenter.sh/capacity-type", "operator": "NotIn", "values": ["spot"]},
                              {"key": "eks.amazonaws.com/capacityType", "operator": "NotIn", "values": ["SPOT"]}]}]}}}})
eks_pods += deployment_pods("shop", "checkout", 2, [N6, N7], [
    container("checkout", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/checkout:1.9.3", {"cpu": "300m", "memory": "384Mi"}, {"memory": "768Mi"})],
    {"app.kubernetes.io/name": "checkout", "app.kubernetes.io/part-of": "storefront"}, extra_spec=prefer_spot)
eks_pods += statefulset_pods("shop", "postgres", [N5], [
    container("postgres", "postgres:16.4", {"cpu": "2", "memory": "8Gi"}, {"memory": "8Gi"}),
    container("exporter", "quay.io/prometheuscommunity/postgres-exporter:v0.15.0", {"cpu": "50m", "memory": "64Mi"}, {"memory": "128Mi"})],
    {"app.kubernetes.io/name": "postgres", "app.kubernetes.io/part-of": "storefront"})
eks_pods += statefulset_pods("monitoring", "prometheus", [N5], [
    container("prometheus", "quay.io/prometheus/prometheus:v2.54.1", {"cpu": "1", "memory": "4Gi"}, {"memory": "6Gi"}),
    container("config-reloader", "quay.io/prometheus-operator/prometheus-config-reloader:v0.77.1", {"cpu": "10m", "memory": "50Mi"}, {"cpu": "10m", "memory": "50Mi"})],
    {"app.kubernetes.io/name": "prometheus", "team": "observability"},
    )
eks_pods += deployment_pods("monitoring", "kube-state-metrics", 1, [N4], [
    container("kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0", {"cpu": "100m", "memory": "256Mi"}, {"memory": "512Mi"})],
    {"app.kubernetes.io/name": "kube-state-metrics", "team": "observability"},
    extra_spec={"tolerations": [{"effect": "NoSchedule", "key": "eks.amazonaws.com/capacityType", "operator": "Equal", "value": "SPOT"}]})
# A CronJob's Jobs: yesterday's run ended, today's runs on a spot node of the batch group.
for run, node_name, phase in [("29408160", None, "Succeeded"), ("29409600", N3, "Running")]:
    job = f"report-{run}"
    p = pod("batch", f"{job}-{suffix('batch', job)}", ("Job", job), node_name or N4, [
        container("report", "123456789012.dkr.ecr.us-east-1.amazonaws.com/batch/report:0.8.2", {"cpu": "1", "memory": "2Gi"}, {"memory": "2Gi"})],
        {"batch.kubernetes.io/controller-uid": uid("Job", "batch", job), "batch.kubernetes.io/job-name": job, "job-name": job, "team": "analytics"},
        phase=phase, extra_spec={"restartPolicy": "Never", "tolerations": [{"effect": "NoSchedule", "key": "eks.amazonaws.com/capacityType", "operator": "Equal", "value": "SPOT"}]},
        reason="Completed" if phase == "Succeeded" else None, message=None)
    if phase == "Succeeded":
        del p["status"]["message"]
    p["spec"]["restartPolicy"] = "Never"
    eks_pods.append(p)
# A pod the kubelet evicted under memory pressure: Failed, still listed.
ev = pod("shop", f"web-{suffix('shop','web','rs',n=10).lower()}-{suffix('shop','web','evicted')}", ("ReplicaSet", f"web-{suffix('shop','web','rs',n=10).lower()}"), N3, [
    container("web", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:2.14.1", {"cpu": "250m", "memory": "512Mi"}, {"memory": "512Mi"})],
    {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "storefront", "pod-template-hash": suffix('shop','web','rs',n=10).lower()},
    phase="Failed", reason="Evicted", message="The node was low on resource: memory. Threshold quantity: 100Mi, available: 91244Ki.", extra_spec=prefer_spot)
eks_pods.append(ev)
dump("eks/nodes.yaml", eks_nodes)
dump("eks/pods.yaml", eks_pods)

# ---------------------------------------------------------------------------------------------
# GKE in us-central1: default-pool on-demand, spot-pool spot; Deployments given too.

def gke_node(name, itype, zone, cpu, mem, pool, spot, alloc_cpu, alloc_mem_ki):
    labels = {"cloud.google.com/gke-boot-disk": "pd-balanced", "cloud.google.com/gke-container-runtime": "containerd",
              "cloud.google.com/gke-cpu-scaling-level": str(cpu), "cloud.google.com/gke-logging-variant": "DEFAULT",
              "cloud.google.com/gke-max-pods-per-node": "110", "cloud.google.com/gke-nodepool": pool,
              "cloud.google.com/gke-os-distribution": "cos", "cloud.google.com/gke-provisioning": "spot" if spot else "standard",
              "cloud.google.com/machine-family": itype.split("-")[0], "cloud.google.com/private-node": "false",
              "failure-domain.beta.kubernetes.io/region": "us-central1", "failure-domain.beta.kubernetes.io/zone": zone,
              "node.kubernetes.io/instance-type": itype, "beta.kubernetes.io/instance-type": itype,
              "topology.gke.io/zone": zone, "topology.kubernetes.io/region": "us-central1", "topology.kubernetes.io/zone": zone}
    if spot:
        labels["cloud.google.com/gke-spot"] = "true"
    return node(name, labels, f"gce://shop-prod-4821/{zone}/{name}", cpu, mem, 110, alloc_cpu, alloc_mem_ki)

G = [("gke-shop-prod-default-pool-6f1c2a3b-7xk2", "us-central1-a"), ("gke-shop-prod-default-pool-9d4e5f60-m2qp", "us-central1-b"),
     ("gke-shop-prod-default-pool-1a2b3c4d-w9zt", "us-central1-c")]
S = [("gke-shop-prod-spot-pool-2b7c8d9e-4hvn", "us-central1-a"), ("gke-shop-prod-spot-pool-5e6f7a8b-q8rd", "us-central1-b"),
     ("gke-shop-prod-spot-pool-8c9d0e1f-t3lx", "us-central1-c"), ("gke-shop-prod-spot-pool-3f4a5b6c-k7wm", "us-central1-a")]
gke_nodes = [gke_node(n, "e2-standard-4", z, 4, 16, "default-pool", False, 3920, 13368048) for n, z in G]
gke_nodes += [gke_node(n, "n2-standard-8", z, 8, 32, "spot-pool", True, 7910, 29154516) for n, z in S]
GN = [n for n, _ in G]
SN = [n for n, _ in S]
gke_pods = []
gke_pods += daemonset_pods("kube-system", "fluentbit-gke", GN + SN, [
    container("fluentbit", "gke.gcr.io/fluent-bit:v1.8.12-gke.34", {"cpu": "50m", "memory": "100Mi"}, {"memory": "250Mi"}),
    container("fluentbit-gke", "gke.gcr.io/fluent-bit-gke-exporter:v0.24.0-gke.1", {"cpu": "50m", "memory": "100Mi"}, {"memory": "250Mi"})],
    {"component": "fluentbit-gke", "k8s-app": "fluentbit-gke"})
gke_pods += daemonset_pods("kube-system", "gke-metrics-agent", GN + SN, [
    container("gke-metrics-agent", "gke.gcr.io/gke-metrics-agent:1.12.3-gke.2", {"cpu": "8m", "memory": "60Mi"}, {"memory": "60Mi"})],
    {"component": "gke-metrics-agent", "k8s-app": "gke-metrics-agent"})
# kube-proxy runs as a static pod on GKE: its mirror pod is owned by the Node.
for n in GN + SN:
    gke_pods.append(pod("kube-system", f"kube-proxy-{n}", ("Node", n), n, [
        container("kube-proxy", "gke.gcr.io/kube-proxy-amd64:v1.31.1-gke.1678000", {"cpu": "100m"})],
        {"component": "kube-proxy", "tier": "node"}, extra_spec={"priorityClassName": "system-node-critical", "tolerations": [{"operator": "Exists"}]}))
gke_pods += deployment_pods("kube-system", "kube-dns", 2, [GN[0], GN[1]], [
    container("kubedns", "gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9", {"cpu": "100m", "memory": "70Mi"}, {"memory": "210Mi"}),
    container("dnsmasq", "gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9", {"cpu": "150m", "memory": "20Mi"}),
    container("sidecar", "gke.gcr.io/k8s-dns-sidecar:1.23.0-gke.9", {"cpu": "10m", "memory": "20Mi"})],
    {"k8s-app": "kube-dns", "team": "platform"})
spot_select = {"nodeSelector": {"cloud.google.com/gke-spot": "true"}, "terminationGracePeriodSeconds": 25}
gke_pods += deployment_pods("shop", "frontend", 6, SN + SN, [
    container("frontend", "us-docker.pkg.dev/shop-prod-4821/shop/frontend:3.1.0", {"cpu": "500m", "memory": "1Gi"}, {"memory": "1Gi"})],
    {"app": "frontend", "team": "storefront"}, extra_spec=spot_select)
gke_pods += deployment_pods("shop", "search", 4, SN, [
    container("search", "us-docker.pkg.dev/shop-prod-4821/shop/search:1.4.2", {"cpu": "1", "memory": "3Gi"}, {"memory": "3Gi"})],
    {"app": "search", "team": "search"}, extra_spec=spot_select)
gke_pods += deployment_pods("shop", "cart", 3, GN, [
    container("cart", "us-docker.pkg.dev/shop-prod-4821/shop/cart:2.0.7", {"cpu": "250m", "memory": "512Mi"}, {"memory": "512Mi"})],
    {"app": "cart", "team": "storefront"})
gke_pods += statefulset_pods("shop", "redis", [GN[2]], [
    container("redis", "redis:7.4", {"cpu": "1", "memory": "4Gi"}, {"memory": "4Gi"})],
    {"app": "redis", "team": "storefront"})
dump("gke/nodes.yaml", gke_nodes)
dump("gke/pods.yaml", gke_pods)

def deployment(ns, name, replicas, c, labels, extra_spec=None):
    spec = {"containers": c, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "securityContext": {}, "terminationGracePeriodSeconds": 30}
    if extra_spec:
        spec.update(extra_spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"annotations": {"deployment.kubernetes.io/revision": "7"}, "creationTimestamp": "2026-10-02T11:20:00Z",
                         "generation": 9, "labels": labels, "name": name, "namespace": ns,
                         "resourceVersion": "884213", "uid": uid("Deployment", ns, name)},
            "spec": {"progressDeadlineSeconds": 600, "replicas": replicas, "revisionHistoryLimit": 10,
                     "selector": {"matchLabels": {"app": name}},
                     "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
                     "template": {"metadata": {"labels": labels}, "spec": spec}},
            "status": {"availableReplicas": replicas, "observedGeneration": 9, "readyReplicas": replicas, "replicas": replicas, "updatedReplicas": replicas}}

# The Deployments as `kubectl get deploy -n shop -o yaml` prints them: cart wants 4 (one pod is
# still being created), frontend has an autoscaler between 6 and 12.
gke_deploys = [
    deployment("shop", "frontend", 6, [container("frontend", "us-docker.pkg.dev/shop-prod-4821/shop/frontend:3.1.0", {"cpu": "500m", "memory": "1Gi"}, {"memory": "1Gi"})],
               {"app": "frontend", "team": "storefront"}, spot_select),
    deployment("shop", "cart", 4, [container("cart", "us-docker.pkg.dev/shop-prod-4821/shop/cart:2.0.7", {"cpu": "250m", "memory": "512Mi"}, {"memory": "512Mi"})],
               {"app": "cart", "team": "storefront"}),
    {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
     "metadata": {"creationTimestamp": "2026-10-02T11:20:00Z", "name": "frontend", "namespace": "shop", "resourceVersion": "884217", "uid": uid("HPA", "shop", "frontend")},
     "spec": {"maxReplicas": 12, "metrics": [{"resource": {"name": "cpu", "target": {"averageUtilization": 70, "type": "Utilization"}}, "type": "Resource"}],
              "minReplicas": 6, "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "frontend"}},
     "status": {"currentReplicas": 6, "desiredReplicas": 6}},
]
dump("gke/deployments.yaml", gke_deploys)

# ---------------------------------------------------------------------------------------------
# AKS in eastus: system and user pools on regular VMs, a spot pool with its taint.

def aks_node(name, itype, zone, cpu, mem, pool, mode, spot, alloc_cpu, alloc_mem_ki, index):
    labels = {"agentpool": pool, "kubernetes.azure.com/agentpool": pool, "kubernetes.azure.com/cluster": "MC_payments-rg_payments-aks_eastus",
              "kubernetes.azure.com/consolidated-additional-properties": "0d7f7b7a-9c1e-4f55-8b2b-7bb41a0f8e7e",
              "kubernetes.azure.com/kubelet-identity-client-id": "4a8f3c2e-1b6d-4e9a-9c7f-2d5e8b1a6c34",
              "kubernetes.azure.com/mode": mode, "kubernetes.azure.com/node-image-version": "AKSUbuntu-2204gen2containerd-202411.12.0",
              "kubernetes.azure.com/nodepool-type": "VirtualMachineScaleSets", "kubernetes.azure.com/os-sku": "Ubuntu",
              "kubernetes.azure.com/role": "agent", "failure-domain.beta.kubernetes.io/region": "eastus",
              "failure-domain.beta.kubernetes.io/zone": zone, "node.kubernetes.io/instance-type": itype,
              "beta.kubernetes.io/instance-type": itype, "topology.disk.csi.azure.com/zone": zone,
              "topology.kubernetes.io/region": "eastus", "topology.kubernetes.io/zone": zone}
    taints = None
    if spot:
        labels["kubernetes.azure.com/scalesetpriority"] = "spot"
        taints = [{"effect": "NoSchedule", "key": "kubernetes.azure.com/scalesetpriority", "value": "spot"}]
    pid = (f"azure:///subscriptions/7c2f4e1a-5b3d-4c8e-9f0a-1d2e3f4a5b6c/resourceGroups/mc_payments-rg_payments-aks_eastus/providers/"
           f"Microsoft.Compute/virtualMachineScaleSets/aks-{pool}-31415926-vmss/virtualMachines/{index}")
    return node(name, labels, pid, cpu, mem, 110, alloc_cpu, alloc_mem_ki, taints=taints)

A_SYS = [("aks-system-31415926-vmss000000", "eastus-1", 0), ("aks-system-31415926-vmss000001", "eastus-2", 1)]
A_USR = [("aks-user-31415926-vmss000000", "eastus-1", 0), ("aks-user-31415926-vmss000001", "eastus-2", 1),
         ("aks-user-31415926-vmss000002", "eastus-3", 2)]
A_SPOT = [("aks-spot-31415926-vmss000000", "eastus-3", 0)]
aks_nodes = [aks_node(n, "Standard_D4s_v5", z, 4, 16, "system", "System", False, 3860, 12879464, i) for n, z, i in A_SYS]
aks_nodes += [aks_node(n, "Standard_D8s_v5", z, 8, 32, "user", "User", False, 7820, 28632360, i) for n, z, i in A_USR]
aks_nodes += [aks_node(n, "Standard_D8as_v5", z, 8, 32, "spot", "User", True, 7820, 28632360, i) for n, z, i in A_SPOT]
AN = [n for n, _, _ in A_SYS + A_USR + A_SPOT]
aks_pods = []
aks_pods += daemonset_pods("kube-system", "kube-proxy", AN, [
    container("kube-proxy", "mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.31.1-hotfix.20241011", {"cpu": "100m"})], {"component": "kube-proxy", "tier": "node"})
aks_pods += daemonset_pods("kube-system", "azure-ip-masq-agent", AN, [
    container("azure-ip-masq-agent", "mcr.microsoft.com/aks/ip-masq-agent-v2:v0.1.13", {"cpu": "100m", "memory": "50Mi"}, {"cpu": "500m", "memory": "250Mi"})],
    {"k8s-app": "azure-ip-masq-agent", "tier": "node"})
aks_pods += daemonset_pods("kube-system", "csi-azuredisk-node", AN, [
    container("liveness-probe", "mcr.microsoft.com/oss/kubernetes-csi/livenessprobe:v2.13.1", {"cpu": "10m", "memory": "20Mi"}, {"memory": "100Mi"}),
    container("node-driver-registrar", "mcr.microsoft.com/oss/kubernetes-csi/csi-node-driver-registrar:v2.11.1", {"cpu": "10m", "memory": "20Mi"}, {"memory": "100Mi"}),
    container("azuredisk", "mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.5", {"cpu": "10m", "memory": "20Mi"}, {"memory": "200Mi"})],
    {"app": "csi-azuredisk-node"})
aks_pods += deployment_pods("kube-system", "coredns", 2, [A_SYS[0][0], A_SYS[1][0]], [
    container("coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-2", {"cpu": "100m", "memory": "70Mi"}, {"memory": "500Mi"})],
    {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "team": "platform"})
aks_pods += deployment_pods("kube-system", "metrics-server", 2, [A_SYS[0][0], A_SYS[1][0]], [
    container("metrics-server", "mcr.microsoft.com/oss/kubernetes/metrics-server:v0.7.2", {"cpu": "150m", "memory": "100Mi"}, {"cpu": "1", "memory": "2000Mi"})],
    {"k8s-app": "metrics-server", "team": "platform"})
USR = [n for n, _, _ in A_USR]
aks_pods += deployment_pods("payments", "gateway", 6, USR + USR, [
    container("gateway", "paymentsacr.azurecr.io/gateway:4.0.2", {"cpu": "1", "memory": "2Gi"}, {"memory": "2Gi"})],
    {"app": "gateway", "team": "payments"}, pending=2,
    pending_message="0/6 nodes are available: 1 node(s) had untolerated taint {kubernetes.azure.com/scalesetpriority: spot}, 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient cpu. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    extra_spec={"nodeSelector": {"kubernetes.azure.com/mode": "User"}})
aks_pods += deployment_pods("payments", "ledger-worker", 4, [A_SPOT[0][0]], [
    container("worker", "paymentsacr.azurecr.io/ledger-worker:1.12.0", {"cpu": "1500m", "memory": "4Gi"}, {"memory": "4Gi"})],
    {"app": "ledger-worker", "team": "ledger"},
    extra_spec={"tolerations": [{"effect": "NoSchedule", "key": "kubernetes.azure.com/scalesetpriority", "operator": "Equal", "value": "spot"}]})
aks_pods += statefulset_pods("payments", "rabbitmq", [USR[2]], [
    container("rabbitmq", "rabbitmq:3.13-management", {"cpu": "1", "memory": "2Gi"}, {"memory": "2Gi"})],
    {"app": "rabbitmq", "team": "payments"})
dump("aks/nodes.yaml", aks_nodes)
dump("aks/pods.yaml", aks_pods)
