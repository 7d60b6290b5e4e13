//! The embedded example scenarios (`data/examples/`) and the commented template `kplan init` writes.

/// The commented scenario template.
pub const INIT_SCENARIO: &str = include_str!("../../data/init.yaml");

/// An embedded example: its file name and text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// File name under `data/examples/`.
    pub file: &'static str,
    /// The scenario text.
    pub text: &'static str,
}

/// Every example scenario, in menu order.
pub const EXAMPLES: &[Example] = &[
    Example { file: "web-shop.yaml", text: include_str!("../../data/examples/web-shop.yaml") },
    Example {
        file: "data-platform.yaml",
        text: include_str!("../../data/examples/data-platform.yaml"),
    },
    Example { file: "inference.yaml", text: include_str!("../../data/examples/inference.yaml") },
    Example { file: "on-prem.yaml", text: include_str!("../../data/examples/on-prem.yaml") },
    Example {
        file: "whatif-shop.yaml",
        text: include_str!("../../data/examples/whatif-shop.yaml"),
    },
];

/// The example with this file name (with or without `.yaml`).
pub fn example(name: &str) -> Option<&'static Example> {
    let name = name.rsplit('/').next().unwrap_or(name);
    EXAMPLES.iter().find(|e| e.file == name || e.file.trim_end_matches(".yaml") == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::scenario::read_scenario;
    use crate::plan::verify::verify;
    use crate::solve::{default_config, solve};

    #[test]
    fn every_example_and_the_template_plan_and_verify() {
        let all = EXAMPLES.iter().map(|e| (e.file, e.text)).chain([("init.yaml", INIT_SCENARIO)]);
        for (file, text) in all {
            let read = read_scenario(text, file);
            let s = read.output.unwrap_or_else(|e| panic!("{file}: {e:?}"));
            let p = solve(&s, &default_config()).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!p.nodes.is_empty(), "{file}");
            assert_eq!(verify(&s, &p), vec![], "{file}");
        }
    }
}
