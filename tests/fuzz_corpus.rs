//! Replays the fuzzers' kept corpus (`fuzz/corpus/`) through the same entry points, so every input
//! that once found new code paths, or once crashed, is checked on every run without `cargo fuzz`.

use std::path::Path;

use crate::support::{root, toolkit};

/// Runs every file under `fuzz/corpus/<target>` and returns (files, letters drafted).
fn replay(target: &str, run: fn(&vtsdraft::Toolkit, &[u8]) -> usize) -> (usize, usize) {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files = 0;
    let mut drafted = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(toolkit(), &bytes)));
        match result {
            Ok(n) => drafted += n,
            Err(_) => panic!("{} panicked: {}", target, name(&path)),
        }
        files += 1;
    }
    (files, drafted)
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn the_case_corpus_loads_or_is_refused_without_a_panic() {
    let (files, drafted) = replay("case", vtsdraft::fuzzing::case);
    // The seeds are the examples and fixtures: a replay that drafted none of them would mean the
    // entry point stopped reaching assembly and the corpus tests nothing past parsing.
    assert!(files >= 45, "only {files} corpus files");
    assert!(
        drafted >= 40,
        "only {drafted} letters drafted from {files} files"
    );
}

#[test]
fn the_csv_corpus_loads_or_is_refused_without_a_panic() {
    let (files, drafted) = replay("csv", vtsdraft::fuzzing::csv);
    assert!(files >= 4, "only {files} corpus files");
    assert!(
        drafted >= 2,
        "only {drafted} letters drafted from {files} files"
    );
}
