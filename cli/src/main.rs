//! The `kplan` binary: a thin shell around `kplan_cli::run`.
#![forbid(unsafe_code)]

fn main() {
    let code = kplan_cli::run_on(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
        kplan_cli::Terminal::detect(),
    );
    std::process::exit(code);
}
