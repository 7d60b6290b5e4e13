//! `kplan init`: write the commented example scenario.

use std::path::PathBuf;

use kplan_core::examples::INIT_SCENARIO;

use crate::args::InitArgs;
use crate::{EXIT_OK, Failure, Io};

pub(crate) fn run(a: &InitArgs, io: &mut Io<'_>) -> Result<i32, Failure> {
    let path = a.path.clone().unwrap_or_else(|| PathBuf::from("scenario.yaml"));
    if path.as_os_str() == "-" {
        io.emit(None, INIT_SCENARIO)?;
        return Ok(EXIT_OK);
    }
    if path.exists() && !a.force {
        return Err(Failure::bad_input(format!(
            "error: {} exists; pass --force to overwrite it\n",
            path.display()
        )));
    }
    io.emit(Some(&path), INIT_SCENARIO)?;
    io.note(&format!("wrote {}; plan it with: kplan plan {}\n", path.display(), path.display()));
    Ok(EXIT_OK)
}
