//! The usage readers: `read_usage` (kubectl top text and the samples CSV) and
//! `read_pod_owners` never panic, every error is located in its source, and what reads
//! right-sizes the web-shop example without panicking.
#![no_main]
#![forbid(unsafe_code)]

use kplan_core::examples::example;
use kplan_core::input::document::scenario_document;
use kplan_core::input::usage::pods::read_pod_owners;
use kplan_core::input::usage::{UsageSource, read_usage};
use kplan_core::rightsize::{Strategy, rightsize, settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sources = [UsageSource { name: "fuzz", text }];
    let owners = read_pod_owners(&sources).output.ok();
    match read_usage(&sources).output {
        Ok(usage) => {
            let doc = scenario_document(example("web-shop").unwrap().text, "web-shop.yaml")
                .output
                .unwrap();
            for s in [Strategy::Simple, Strategy::Percentile] {
                let _ = rightsize(&doc, &usage, owners.as_ref(), &settings(s));
            }
        }
        Err(errors) => {
            for e in errors {
                assert!(e.source.is_some() || e.message.starts_with('…'), "unlocated: {e}");
            }
        }
    }
});
