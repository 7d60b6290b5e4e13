//! The command line's habits: a closed pipe exits 0, completions for four shells, colour only
//! when asked (`--color`, `NO_COLOR`), and every subcommand's help shows two examples.
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use kplan_cli::Terminal;

fn kplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kplan"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// A stdout whose reader has gone away.
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::from(io::ErrorKind::BrokenPipe))
    }
    fn flush(&mut self) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// A stdout that fails for another reason (a full disk).
struct FullDisk;

impl Write for FullDisk {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::from(io::ErrorKind::StorageFull))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn run_on(args: &[&str], stdout: &mut dyn Write, terminal: Terminal) -> (i32, String) {
    let mut err = Vec::new();
    let argv = std::iter::once("kplan").chain(args.iter().copied());
    let code = kplan_cli::run_on(argv, stdout, &mut err, terminal);
    (code, String::from_utf8_lossy(&err).into_owned())
}

#[test]
fn a_closed_stdout_ends_the_run_with_exit_0_and_no_message() {
    let scenario = repo("data/examples/web-shop.yaml");
    let scenario = scenario.to_str().unwrap();
    for args in [
        vec!["plan", scenario, "--format", "json", "--quiet"],
        vec!["catalog", "--provider", "aws"],
        vec!["completions", "bash"],
        vec!["--help"],
    ] {
        let (code, err) = run_on(&args, &mut ClosedPipe, Terminal::default());
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn any_other_write_failure_is_still_an_error() {
    let (code, err) = run_on(&["catalog", "--provider", "aws"], &mut FullDisk, Terminal::default());
    assert_eq!(code, 2);
    assert!(err.starts_with("error: cannot write output:"), "{err}");
}

#[test]
fn the_binary_piped_into_head_exits_0() {
    // The catalog of three providers is far larger than a pipe's buffer, so the writer meets
    // the closed pipe after `head` has read its first line and gone.
    let mut child = kplan()
        .args(["catalog", "--format", "csv", "--limit", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn completions_are_written_for_each_shell_and_name_the_subcommands() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef kplan"),
        ("fish", "complete -c kplan"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let mut out = Vec::new();
        let (code, err) = run_on(&["completions", shell], &mut out, Terminal::default());
        assert_eq!(code, 0, "{shell}: {err}");
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
        for sub in ["plan", "compare", "verify", "export", "current", "rightsize"] {
            assert!(script.contains(sub), "{shell} script does not complete {sub}");
        }
        assert!(script.contains("time-limit"), "{shell} script lacks the flags");
    }
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let out = kplan().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let path = std::env::temp_dir().join(format!("kplan-completion-{}.bash", std::process::id()));
    std::fs::write(&path, &out.stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, err) = run_on(&["completions", "tcsh"], &mut Vec::new(), Terminal::default());
    assert_eq!(code, 2);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

const ESC: &str = "\x1b[";

/// A scenario error, located in its file (miette renders the line), and a usage error from clap.
fn coloured(args_extra: &[&str], terminal: Terminal) -> (bool, bool) {
    let dir = std::env::temp_dir().join(format!("kplan-colour-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "name: x\nprovider: aws\nregion: us-east-1\nworkloads:\n  - name: a\n    requests: {cpu: 10mi}\n").unwrap();
    let mut args = vec!["plan", bad.to_str().unwrap()];
    args.extend_from_slice(args_extra);
    let (code, diag) = run_on(&args, &mut Vec::new(), terminal);
    assert_eq!(code, 2, "{diag}");
    assert!(diag.contains("bad.yaml:6:"), "{diag}");
    let mut args = vec!["plan", "--no-such-flag"];
    args.extend_from_slice(args_extra);
    let (code, usage) = run_on(&args, &mut Vec::new(), terminal);
    assert_eq!(code, 2, "{usage}");
    assert!(usage.contains("--no-such-flag"), "{usage}");
    (diag.contains(ESC), usage.contains(ESC))
}

#[test]
fn colour_follows_the_terminal_no_color_and_the_color_flag() {
    let tty = Terminal { stdout: true, stderr: true, no_color: false };
    let tty_no_color = Terminal { no_color: true, ..tty };
    let pipe = Terminal::default();
    // auto: a terminal is coloured, unless NO_COLOR; a pipe never.
    assert_eq!(coloured(&[], tty), (true, true));
    assert_eq!(coloured(&[], tty_no_color), (false, false));
    assert_eq!(coloured(&[], pipe), (false, false));
    assert_eq!(coloured(&["--color", "auto"], tty_no_color), (false, false));
    // never wins over a terminal; always wins over a pipe and over NO_COLOR.
    assert_eq!(coloured(&["--color", "never"], tty), (false, false));
    assert_eq!(coloured(&["--color=always"], pipe), (true, true));
    assert_eq!(coloured(&["--color", "always"], tty_no_color), (true, true));
}

#[test]
fn no_color_in_the_environment_keeps_the_binary_plain_and_color_always_colours_it() {
    let bad = repo("tests/bad-inputs");
    let any_bad = std::fs::read_dir(&bad)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .expect("a bad-input case");
    let plain = kplan().arg("plan").arg(&any_bad).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(plain.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&plain.stderr).contains(ESC));
    let forced = kplan()
        .args(["--color", "always", "plan"])
        .arg(&any_bad)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&forced.stderr).contains(ESC));
}

#[test]
fn tables_and_json_on_stdout_are_never_coloured() {
    let tty = Terminal { stdout: true, stderr: true, no_color: false };
    let scenario = repo("data/examples/web-shop.yaml");
    let mut out = Vec::new();
    let (code, err) = run_on(
        &["plan", scenario.to_str().unwrap(), "--quiet", "--color", "always"],
        &mut out,
        tty,
    );
    assert_eq!(code, 0, "{err}");
    assert!(!String::from_utf8_lossy(&out).contains(ESC));
}

/// The subcommands, as `kplan --help` lists them.
fn subcommands() -> Vec<String> {
    let mut out = Vec::new();
    let (code, _) = run_on(&["--help"], &mut out, Terminal::default());
    assert_eq!(code, 0);
    let help = String::from_utf8(out).unwrap();
    let list = help.split("Commands:").nth(1).expect("a command list");
    let list = list.split("\n\n").next().unwrap();
    list.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn every_subcommand_help_shows_two_examples_that_name_real_files() {
    let subs = subcommands();
    assert!(subs.len() >= 12, "{subs:?}");
    for sub in &subs {
        let mut out = Vec::new();
        let (code, err) = run_on(&[sub, "--help"], &mut out, Terminal::default());
        assert_eq!(code, 0, "{sub}: {err}");
        let help = String::from_utf8(out).unwrap();
        let examples = help.split("Examples:\n").nth(1).unwrap_or_else(|| panic!("{sub}: {help}"));
        let lines: Vec<&str> =
            examples.lines().filter(|l| l.trim_start().contains(&format!("kplan {sub}"))).collect();
        assert!(lines.len() >= 2, "{sub} shows {} example(s):\n{help}", lines.len());
        for line in lines {
            for word in line.split_whitespace().filter(|w| w.starts_with("data/")) {
                assert!(repo(word).exists(), "{sub}: example names {word}, which does not exist");
            }
        }
    }
}

#[test]
fn the_help_examples_that_need_only_the_repository_run() {
    // Each subcommand's first example reads only files the repository has (or none): run it.
    for sub in ["plan", "catalog", "compare", "commit", "current"] {
        let mut out = Vec::new();
        let (_, _) = run_on(&[sub, "--help"], &mut out, Terminal::default());
        let help = String::from_utf8(out).unwrap();
        let first = help.split("Examples:\n").nth(1).unwrap().lines().next().unwrap().trim();
        let args: Vec<String> = first
            .split_whitespace()
            .skip(1)
            .map(|w| if w.starts_with("data/") { repo(w).display().to_string() } else { w.into() })
            .chain(
                ["--time-limit".to_string(), "30".to_string()]
                    .into_iter()
                    .filter(|_| ["plan", "compare", "commit"].contains(&sub)),
            )
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        let (code, err) = run_on(&args, &mut out, Terminal::default());
        assert_eq!(code, 0, "`{first}` failed: {err}");
        assert!(!out.is_empty(), "`{first}` printed nothing");
    }
}
