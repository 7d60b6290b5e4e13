//! Process-level tests that need a fresh process: rayon's global pool size (set once per process,
//! here through `RAYON_NUM_THREADS`) and the input size limit on stdin.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn kplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kplan"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// `kplan compare --format json` of the what-if example with `threads` rayon threads (`None`:
/// rayon's default), with the solver's wall-clock `"seconds"` lines removed (nothing else).
fn compare_json(threads: Option<&str>) -> String {
    let mut cmd = kplan();
    cmd.args(["compare", "--quiet", "--format", "json"])
        .arg(repo("data/examples/whatif-shop.yaml"));
    cmd.env_remove("RAYON_NUM_THREADS");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let o = cmd.output().expect("run kplan");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).expect("UTF-8 output");
    out.lines()
        .filter(|l| !l.trim_start().starts_with("\"seconds\":"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn compare_is_identical_on_one_thread_and_on_the_default_pool() {
    let one = compare_json(Some("1"));
    let default = compare_json(None);
    let four = compare_json(Some("4"));
    assert!(one.contains("\"kplan.compare/v1\""), "{one}");
    assert_eq!(one, default, "RAYON_NUM_THREADS=1 and the default pool disagree");
    assert_eq!(one, four, "RAYON_NUM_THREADS=1 and 4 disagree");
}

#[test]
fn stdin_over_the_size_limit_is_refused_after_reading_at_most_the_limit() {
    let mut child = kplan()
        .args(["plan", "--max-input-size", "1Ki", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kplan");
    let mut stdin = child.stdin.take().expect("stdin");
    // 1 MiB of comments: kplan stops reading after 1 KiB + 1 byte, so the write may be cut short.
    let chunk = "# padding padding padding padding padding padding padding padding\n".repeat(16);
    for _ in 0..1000 {
        if stdin.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    drop(stdin);
    let o = child.wait_with_output().expect("kplan exits");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err,
        "error: <stdin> is more than 1024 bytes, over the input size limit of 1024 bytes (--max-input-size, at most 64Mi)\n"
    );
}
