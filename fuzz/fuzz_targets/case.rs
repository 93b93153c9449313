//! Fuzzes case parsing, validation, derivation, matching, assembly and Typst source generation.
//!
//! The first byte picks the format (even: TOML, odd: JSON); the rest is the case file. Any input
//! must give a value or diagnostics, never a panic, and the letter's Typst source must keep one
//! line per generated line, whatever the case text holds. Typesetting is left out: it is Typst's own
//! code and would slow each run a hundredfold.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vtsdraft::facts::{Format, load_str};

fn toolkit() -> &'static vtsdraft::Toolkit {
    static TOOLKIT: OnceLock<vtsdraft::Toolkit> = OnceLock::new();
    TOOLKIT.get_or_init(|| vtsdraft::Toolkit::new(None).expect("the built-in library loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let format = if first % 2 == 0 { Format::Toml } else { Format::Json };
    let Ok(text) = vtsdraft::facts::load::decode(std::path::Path::new("fuzz"), rest.to_vec()) else { return };
    if let Ok(loaded) = load_str(std::path::Path::new("fuzz.toml"), text, format, None) {
        if let Ok(prepared) = vtsdraft::prepare_loaded(toolkit(), loaded) {
            // Each generated line is recorded with the clause that made it; case text is escaped
            // into string literals, so no value (a newline in a name, say) can add a line the
            // record does not know.
            let source = vtsdraft::render::typst_source(&prepared.document);
            assert_eq!(source.body().lines().count(), source.line_clauses.len());
        }
    }
});
