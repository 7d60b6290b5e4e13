//! The CSV readers of `kplan_core::catalog::load`: the first byte picks the reader, the rest is
//! the file. Any text gives rows or a `LoadError`, never a panic.
#![no_main]
#![forbid(unsafe_code)]

use kplan_core::catalog::load;
use libfuzzer_sys::fuzz_target;

/// The burstable-baselines header, so the catalog readers reach their own rows.
const BURSTABLE: &str = "provider,instance_type,vcpus,baseline_vcpu,published_figure,source\n";
/// The EKS max-pods header.
const MAX_PODS: &str = "instance_type,default_max_enis,ipv4_addresses_per_interface,max_pods_formula,max_pods_eni_max_pods_txt\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match which % 9 {
        0 => drop(load::price_sheet(text)),
        1 => drop(load::aws(text, MAX_PODS, BURSTABLE)),
        2 => drop(load::gcp(text, BURSTABLE)),
        3 => drop(load::azure(text, BURSTABLE)),
        4 => drop(load::eks_max_pods(text)),
        5 => drop(load::reserved_discounts(text)),
        6 => drop(load::control_plane_fees(text)),
        7 => drop(load::storage_prices(text)),
        _ => drop(load::load_profile(text)),
    }
});
