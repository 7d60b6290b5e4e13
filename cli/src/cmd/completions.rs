//! `kplan completions SHELL`: the shell completion script, generated from the argument parser.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::{EXIT_OK, Failure, Io};

pub(crate) fn run(a: &CompletionsArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "kplan", &mut script);
    let script = String::from_utf8(script).expect("clap_complete writes UTF-8 scripts");
    io.emit(None, &script)?;
    Ok(EXIT_OK)
}
