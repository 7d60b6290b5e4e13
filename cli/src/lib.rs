//! The kplan command line: parses arguments, reads files, calls kplan-core, writes output.
//!
//! [`run`] maps every outcome to an exit code: 0 ok, 1 infeasible (or a plan that fails
//! verification), 2 bad input (unreadable files, invalid scenarios, bad arguments).
#![forbid(unsafe_code)]

pub mod args;
mod cmd;
pub mod diagnostics;
mod progress;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;

use clap::Parser;
use kplan_core::diag::Diagnostic;
use kplan_core::solve::Clock;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: infeasible scenario, or a plan with violations.
pub const EXIT_INFEASIBLE: i32 = 1;
/// Exit code: bad input.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Runs the command line with `args` (including the program name) and returns the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                stderr.write_all(text.as_bytes())
            } else {
                stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let mut io = Io { stdout, stderr, max_input: cli.max_input_size };
    let res = match cli.command {
        args::Command::Plan(a) => cmd::plan::run(&a, &mut io),
        args::Command::Import(a) => cmd::import::run(&a, &mut io),
        args::Command::Catalog(a) => cmd::catalog::run(&a, &mut io),
        args::Command::Compare(a) => cmd::compare::run(&a, &mut io),
        args::Command::Diff(a) => cmd::diff::run(&a, &mut io),
        args::Command::Verify(a) => cmd::verify::run(&a, &mut io),
        args::Command::Init(a) => cmd::init::run(&a, &mut io),
        args::Command::Commit(a) => cmd::commit::run(&a, &mut io),
        args::Command::Rightsize(a) => cmd::rightsize::run(&a, &mut io),
        args::Command::Current(a) => cmd::current::run(&a, &mut io),
        args::Command::Export(a) => cmd::export::run(&a, &mut io),
    };
    match res {
        Ok(code) => code,
        Err(Failure { code, message }) => {
            let _ = io.stderr.write_all(message.as_bytes());
            code
        }
    }
}

/// Where output goes.
pub(crate) struct Io<'a> {
    pub(crate) stdout: &'a mut dyn Write,
    pub(crate) stderr: &'a mut dyn Write,
    /// The largest input file accepted, in bytes (`--max-input-size`).
    pub(crate) max_input: u64,
}

impl Io<'_> {
    /// Writes `text` to `out` (a file) or to stdout.
    pub(crate) fn emit(&mut self, out: Option<&Path>, text: &str) -> Result<(), Failure> {
        match out {
            Some(path) if path != Path::new("-") => std::fs::write(path, text).map_err(|e| {
                Failure::bad_input(format!("error: cannot write {}: {e}\n", path.display()))
            }),
            _ => self.stdout.write_all(text.as_bytes()).map_err(|e| Failure {
                code: EXIT_BAD_INPUT,
                message: format!("error: cannot write output: {e}\n"),
            }),
        }
    }

    /// Writes a line to stderr.
    pub(crate) fn note(&mut self, text: &str) {
        let _ = self.stderr.write_all(text.as_bytes());
    }

    /// Renders diagnostics (with their source text when given) to stderr.
    pub(crate) fn diagnostics(&mut self, diags: &[Diagnostic], text: Option<&str>) {
        for d in diags {
            let _ = self.stderr.write_all(diagnostics::render(d, text).as_bytes());
        }
    }
}

/// A command that ends with an exit code and a message for stderr.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: i32,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn bad_input(message: String) -> Failure {
        Failure { code: EXIT_BAD_INPUT, message }
    }
}

impl Io<'_> {
    /// Reads a file, or stdin for `-`, refusing more than `--max-input-size` bytes before
    /// reading them (a file by its length, stdin by reading at most one byte past the limit).
    /// Returns the display name and the text.
    pub(crate) fn read_input(&self, path: &Path) -> Result<(String, String), Failure> {
        let limit = self.max_input;
        let too_big = |name: &str, size: String| {
            Failure::bad_input(format!(
                "error: {name} is {size} bytes, over the input size limit of {limit} bytes (--max-input-size, at most 64Mi)\n"
            ))
        };
        let bytes = if path == Path::new("-") {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::bad_input(format!("error: cannot read stdin: {e}\n")))?;
            if bytes.len() as u64 > limit {
                return Err(too_big("<stdin>", format!("more than {limit}")));
            }
            bytes
        } else {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::bad_input(format!("error: cannot read {name}: {e}\n")))?;
            let len = file
                .metadata()
                .map_err(|e| Failure::bad_input(format!("error: cannot read {name}: {e}\n")))?
                .len();
            if len > limit {
                return Err(too_big(&name, len.to_string()));
            }
            let mut bytes = Vec::new();
            // A file that grows while being read is still cut at the limit.
            file.take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::bad_input(format!("error: cannot read {name}: {e}\n")))?;
            if bytes.len() as u64 > limit {
                return Err(too_big(&name, format!("more than {limit}")));
            }
            bytes
        };
        let name =
            if path == Path::new("-") { "<stdin>".to_string() } else { path.display().to_string() };
        let text = String::from_utf8(bytes).map_err(|e| {
            Failure::bad_input(format!(
                "error: {name} is not UTF-8 text (byte {})\n",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok((name, text))
    }
}

/// The wall clock, for time budgets and the `seconds` figure.
pub(crate) struct WallClock(std::time::Instant);

impl WallClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI owns the clock; the core never reads one"
    )]
    pub(crate) fn start() -> WallClock {
        WallClock(std::time::Instant::now())
    }
}

impl Clock for WallClock {
    fn now(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}
