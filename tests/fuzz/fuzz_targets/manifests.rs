//! The manifest reader: any text gives manifests or located diagnostics, never a panic; what is
//! read merges into a scenario for manifests alone.
#![no_main]
#![forbid(unsafe_code)]

use kplan_core::catalog::Provider;
use kplan_core::input::manifests::{
    Source, default_options, manifest_scenario, merge_into, read_manifests,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let read = read_manifests(&[Source { name: "fuzz.yaml", text }], &default_options());
    match read.output {
        Ok(m) => {
            let _ = m.summary().to_string();
            if let Ok(mut s) = manifest_scenario("fuzz", Provider::Aws, None) {
                let _ = merge_into(&mut s, &m);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without a diagnostic");
            for e in &errors {
                let _ = e.to_string();
            }
        }
    }
});
