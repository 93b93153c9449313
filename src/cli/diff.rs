//! `vtsdraft diff`: what changed between two drafts (being written; see issue 6).

use std::path::PathBuf;

/// Flags of `vtsdraft diff`.
#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old case file.
    pub old: PathBuf,
    /// The new case file (default: the old one, when comparing clause libraries).
    pub new: Option<PathBuf>,
}

/// Runs the command and returns its exit code.
pub fn run(_args: &DiffArgs) -> u8 {
    eprintln!("error: `vtsdraft diff` is not available in this build");
    super::EXIT_TOOL
}
