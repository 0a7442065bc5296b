//! `hailsham`: the command line, all of it in the library beside this file (`lib.rs`), which
//! the Python wheel's script calls too.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(hailsham_cli::main(std::env::args_os()))
}
