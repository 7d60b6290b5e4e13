//! The quantity grammar: `Cpu::parse`, `Bytes::parse` and `parse_count` never panic, and what
//! parses prints back to text that parses to the same value.
#![no_main]
#![forbid(unsafe_code)]

use kplan_core::quantity::{Bytes, Cpu, parse_count};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(c) = Cpu::parse(text) {
        assert_eq!(Cpu::parse(&c.to_string()), Ok(c), "cpu {text:?} → {c}");
        let _ = c.human();
    }
    if let Ok(b) = Bytes::parse(text) {
        assert_eq!(Bytes::parse(&b.to_string()), Ok(b), "bytes {text:?} → {b}");
        let _ = b.human();
    }
    let _ = parse_count(text);
});
