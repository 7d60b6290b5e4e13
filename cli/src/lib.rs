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

use kplan_core::diag::Diagnostic;
use kplan_core::solve::Clock;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: infeasible scenario, or a plan with violations.
pub const EXIT_INFEASIBLE: i32 = 1;
/// Exit code: bad input.
pub const EXIT_BAD_INPUT: i32 = 2;

/// What the output streams are: terminals or not, and whether `NO_COLOR` asks for no colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal.
    pub stdout: bool,
    /// Standard error is a terminal.
    pub stderr: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
}

impl Terminal {
    /// The process's own streams and environment.
    pub fn detect() -> Terminal {
        use std::io::IsTerminal;
        Terminal {
            stdout: std::io::stdout().is_terminal(),
            stderr: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }
}

/// Runs the command line with `args` (including the program name) and returns the exit code,
/// writing to streams that are not terminals (no colour unless `--color always`).
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_on(args, stdout, stderr, Terminal::default())
}

/// Runs the command line on streams described by `terminal` and returns the exit code.
///
/// A closed standard output (`kplan plan … | head`) ends the run quietly with exit 0, as
/// ripgrep and the coreutils do.
pub fn run_on<I, T>(
    args: I,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminal: Terminal,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let color = args::ColorArg::scan(&args);
    let colour_out = color.colours(terminal.stdout, terminal.no_color);
    let colour_err = color.colours(terminal.stderr, terminal.no_color);
    let parsed = args::Cli::command()
        .color(if colour_out || colour_err {
            clap::ColorChoice::Always
        } else {
            clap::ColorChoice::Never
        })
        .try_get_matches_from(args)
        .and_then(|m| args::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK };
            let styled = e.render();
            let colour = if e.use_stderr() { colour_err } else { colour_out };
            let text = if colour { styled.ansi().to_string() } else { styled.to_string() };
            let written = if e.use_stderr() {
                stderr.write_all(text.as_bytes())
            } else {
                stdout.write_all(text.as_bytes())
            };
            // `kplan --help | head` closes the pipe early: still a success.
            return if written.is_err() && !e.use_stderr() { EXIT_OK } else { code };
        }
    };
    let mut io = Io { stdout, stderr, max_input: cli.max_input_size, colour: colour_err };
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
        args::Command::Completions(a) => cmd::completions::run(&a, &mut io),
    };
    match res {
        Ok(code) => code,
        Err(Failure { code, message }) => {
            let message = if io.colour { diagnostics::colour_message(&message) } else { message };
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
    /// Messages on stderr are coloured (`--color`, `NO_COLOR`, a terminal).
    pub(crate) colour: bool,
}

impl Io<'_> {
    /// Writes `text` to `out` (a file) or to stdout.
    pub(crate) fn emit(&mut self, out: Option<&Path>, text: &str) -> Result<(), Failure> {
        match out {
            Some(path) if path != Path::new("-") => std::fs::write(path, text).map_err(|e| {
                Failure::bad_input(format!("error: cannot write {}: {e}\n", path.display()))
            }),
            _ => match self.stdout.write_all(text.as_bytes()).and_then(|()| self.stdout.flush()) {
                Ok(()) => Ok(()),
                // The reader went away (`| head`): nothing more to say, and not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    Err(Failure { code: EXIT_OK, message: String::new() })
                }
                Err(e) => Err(Failure {
                    code: EXIT_BAD_INPUT,
                    message: format!("error: cannot write output: {e}\n"),
                }),
            },
        }
    }

    /// Writes a line to stderr.
    pub(crate) fn note(&mut self, text: &str) {
        let _ = self.stderr.write_all(text.as_bytes());
    }

    /// Renders diagnostics (with their source text when given) to stderr.
    pub(crate) fn diagnostics(&mut self, diags: &[Diagnostic], text: Option<&str>) {
        for d in diags {
            let _ = self.stderr.write_all(diagnostics::render(d, text, self.colour).as_bytes());
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
