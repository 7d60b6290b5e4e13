//! Node allocatable per provider profile (GKE, EKS, AKS, kubeadm, none, custom).
