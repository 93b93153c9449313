//! The `vtsdraft` binary: everything is in the library; see `vtsdraft::cli`.

fn main() -> std::process::ExitCode {
    vtsdraft::cli::main(std::env::args_os())
}
