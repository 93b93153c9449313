//! Entry points shared by the fuzz targets (`fuzz/`) and the test that replays their corpus.
//!
//! Each takes arbitrary bytes and runs them as far down the pipeline as a valid input would go,
//! short of typesetting (which is measured, not fuzzed: one compile takes 0.1 s). The contract
//! under test is the one every driver relies on: bad input comes back as diagnostics, never as a
//! panic, a hang or unbounded memory.

use std::path::Path;

use crate::facts::{self, Format};
use crate::{Toolkit, prepare_loaded, render};

/// Reads `bytes` as a case file in both formats and, where it loads, drafts the letter source.
/// Returns how many letters were drafted, so the corpus test can tell it reached assembly.
pub fn case(toolkit: &Toolkit, bytes: &[u8]) -> usize {
    let Ok(text) = decode(bytes) else {
        return 0;
    };
    let mut drafted = 0;
    for (name, format) in [("fuzz.toml", Format::Toml), ("fuzz.json", Format::Json)] {
        if let Ok(loaded) = facts::load_str(Path::new(name), text.clone(), format, None) {
            drafted += draft(toolkit, loaded);
        }
    }
    drafted
}

/// Reads `bytes` as a batch CSV and drafts the letter source for every row that loads.
/// Returns how many letters were drafted.
pub fn csv(toolkit: &Toolkit, bytes: &[u8]) -> usize {
    let Ok(text) = decode(bytes) else {
        return 0;
    };
    let path = Path::new("fuzz.csv");
    let Ok(rows) = facts::csv::parse(path, &text) else {
        return 0;
    };
    rows.into_iter()
        .filter_map(|row| facts::load::from_row(path, row.line, row.tree, None).ok())
        .map(|loaded| draft(toolkit, loaded))
        .sum()
}

/// The same decoding (byte-order mark, UTF-8 check) every file read goes through.
fn decode(bytes: &[u8]) -> Result<String, crate::diag::Diagnostic> {
    facts::load::decode(Path::new("fuzz"), bytes.to_vec())
}

fn draft(toolkit: &Toolkit, loaded: facts::LoadedCase) -> usize {
    let Ok(prepared) = prepare_loaded(toolkit, loaded) else {
        return 0;
    };
    let source = render::typst_source(&prepared.document);
    // A letter always has a body; an empty one would mean assembly lost the case.
    assert!(
        !source.body().trim().is_empty(),
        "a prepared case rendered to nothing"
    );
    1
}
