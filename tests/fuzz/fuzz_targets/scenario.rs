//! The scenario reader: any text gives a scenario or located diagnostics, never a panic; a
//! scenario read has its what-if cases built and its node options computed.
#![no_main]
#![forbid(unsafe_code)]

use kplan_core::input::scenario::read_study;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let read = read_study(text, "fuzz.yaml");
    match read.output {
        Ok(s) => {
            let _ = kplan_core::whatif::cases(&s);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without a diagnostic");
            for e in &errors {
                let _ = e.to_string();
            }
        }
    }
});
