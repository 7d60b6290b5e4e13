//! The benchmark harness: known-optimum bin-packing sets and the Karpenter-style mix, through the public API.

fn main() {
    eprintln!("kplan-bench: subcommands arrive with the exact engine (binpacking, mix)");
    std::process::exit(2);
}
