//! The `.vbp` reader (VPSolver's vector packing format) and its scenarios: generated instances
//! of 3, 5 and 10 dimensions parse, plan with the exact engine and FFD, and verify.
#![forbid(unsafe_code)]

use kplan_core::input::scenario::read_scenario;
use kplan_core::plan::verify::verify;
use kplan_core::solve::{Method, SolveConfig, default_config, solve};
use kplan_tests::vbp::{Vbp, read_vbp, vbp_generate, vbp_scenario, write_vbp};

// See: issue 19
#[test]
fn generated_instances_read_back_and_their_plans_verify() {
    for d in [3usize, 5, 10] {
        let inst = vbp_generate(d, 1, 12);
        let text = write_vbp(&inst);
        let read = read_vbp(&text, "gen.vbp").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, inst);
        assert_eq!(read.d(), d);
        assert_eq!(read.items.len(), 12);
        // The same seed gives the same instance.
        assert_eq!(vbp_generate(d, 1, 12), inst);
        assert_ne!(vbp_generate(d, 2, 12), inst);
        let scenario = read_scenario(&vbp_scenario("gen", &inst), "gen.yaml")
            .output
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(scenario.workloads.len(), 12);
        for method in [Method::Exact, Method::Ffd] {
            let cfg = SolveConfig { method, ..default_config() };
            let plan = solve(&scenario, &cfg).unwrap_or_else(|e| panic!("d={d}: {e}"));
            let v = verify(&scenario, &plan);
            assert!(v.is_empty(), "d={d} {method:?}: {v:?}");
            let bins = plan.nodes.len() as u64;
            assert!(bins >= inst.volume_bound(), "d={d} {method:?}: {bins} bins");
            assert_eq!(plan.n_pods(), inst.n_items());
            if method == Method::Exact {
                let bound = plan.solver.bound.expect("the engine's bound").0;
                assert!(bound <= bins as f64 + 1e-6, "d={d}: bound {bound} > {bins}");
            }
        }
    }
}

#[test]
fn every_dimension_is_a_resource_of_the_bin() {
    let inst = Vbp {
        capacity: vec![10, 20, 30, 40, 50],
        items: vec![(vec![1, 2, 3, 4, 5], 2), (vec![0, 0, 0, 40, 0], 1)],
    };
    let scenario = read_scenario(&vbp_scenario("five", &inst), "five.yaml").output.unwrap();
    let options = scenario.node_options().output;
    let cap = &options[0].capacity;
    assert_eq!(cap.cpu.0, 10);
    assert_eq!(cap.memory.0, 20 << 20);
    assert_eq!(cap.ephemeral_storage.0, 30 << 20);
    assert_eq!(cap.extended.get("vbp.kplan.dev/dim-3"), Some(&40));
    assert_eq!(cap.extended.get("vbp.kplan.dev/dim-4"), Some(&50));
    // Two items of dim-3 size 40 cannot share a bin of 40 with anything sized there.
    let plan = solve(&scenario, &default_config()).unwrap();
    assert!(verify(&scenario, &plan).is_empty());
    assert_eq!(plan.nodes.len(), 2);
}

#[test]
fn bad_vbp_text_is_refused_with_its_place() {
    let cases = [
        ("", "x.vbp:1:1: the file ends early; expected the number of dimensions d"),
        (
            "2\n10 10\n1\n3 x 1\n",
            "x.vbp:4:3: expected sizes and a multiplicity (whole numbers), found \"x\"",
        ),
        ("2\n10\n", "x.vbp:2:1: expected 2 bin capacities (d = 2), found 1"),
        ("2\n10 10\n2\n3 3 1\n", "x.vbp:5:1: the file ends early; expected item type 2 of 2"),
        (
            "2\n10 10\n1\n3 3\n",
            "x.vbp:4:1: expected 3 numbers (2 sizes and a multiplicity), found 2",
        ),
        ("2\n10 10\n1\n30 3 1\n", "x.vbp:4:1: size 30 in dimension 1 exceeds the bin capacity 10"),
        ("2\n10 -1\n", "x.vbp:2:4: expected the bin capacities (whole numbers), found \"-1\""),
        ("0\n", "x.vbp:1:1: the number of dimensions is 0; expected 1 to 64"),
        ("1\n5\n1\n2 1\n2 1\n", "x.vbp:5:1: expected the end of the file after 1 item types"),
    ];
    for (text, expected) in cases {
        let err = read_vbp(text, "x.vbp").unwrap_err();
        assert!(err.starts_with(expected), "{text:?}: {err}");
    }
}
