//! Fuzzes CSV reading, row validation, derivation, matching, assembly and Typst source
//! generation with arbitrary bytes. The body is `vtsdraft::fuzzing::csv`, shared
//! with the test that replays the corpus; typesetting is left out (Typst's own code, and a
//! hundredfold slower per run).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use vtsdraft::Toolkit;

// Loading the library and fonts once keeps each run to the work the input causes.
static TOOLKIT: LazyLock<Toolkit> =
    LazyLock::new(|| Toolkit::new(None).expect("the built-in library loads"));

fuzz_target!(|data: &[u8]| {
    vtsdraft::fuzzing::csv(&TOOLKIT, data);
});
