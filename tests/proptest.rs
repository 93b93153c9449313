//! Property tests: any printable string in a free-text field keeps its characters, lands in the
//! letter exactly once where it belongs, and never changes the letter's structure.

use proptest::prelude::*;

use crate::support::{MINIMAL_CASE, pdf_text, toolkit};

/// Characters a case might hold: markup and template syntax, quotes, backslashes, accented and
/// Vietnamese Latin, Ge'ez, Arabic (right-to-left), a combining mark, zero-width characters and
/// emoji (with a skin-tone modifier).
fn alphabet(pdf_safe: bool) -> Vec<char> {
    let mut chars: Vec<char> = (' '..='~').collect();
    chars.extend("ÀÉÎÕÜçëñøßĂăȘșȚțŁłŻżĐđưƯơỆệ".chars());
    chars.extend("ሰላምተስፋዬ".chars());
    if !pdf_safe {
        // Text extraction reorders right-to-left runs and drops invisible characters, so these
        // are checked in the assembled document rather than in the PDF's text.
        chars.extend("هاواموسى".chars());
        chars.extend([
            '\u{301}',
            '\u{200B}',
            '\u{200D}',
            '\u{200F}',
            '😀',
            '👍',
            '\u{1F3FD}',
        ]);
    } else {
        // A hyphen at a line end cannot be told from hyphenation in extracted text.
        chars.retain(|c| *c != '-');
    }
    chars
}

fn value(pdf_safe: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet(pdf_safe)), 1..40).prop_map(|chars| {
        // Ends are letters: leading or trailing spaces and punctuation are tidied by design.
        format!("Q{}Z", chars.into_iter().collect::<String>())
    })
}

fn toml_string(value: &str) -> String {
    serde_json::to_string(value).unwrap() // a JSON string literal is a valid TOML basic string
}

fn prepared(summary: &str) -> vtsdraft::Prepared {
    let case = MINIMAL_CASE.replace(
        "\"Made to work without pay in a car wash.\"",
        &toml_string(summary),
    );
    let loaded = vtsdraft::facts::load_str(
        std::path::Path::new("case.toml"),
        case,
        vtsdraft::facts::Format::Toml,
        None,
    )
    .unwrap_or_else(|e| panic!("{summary:?}: {e:#?}"));
    vtsdraft::prepare_loaded(toolkit(), loaded).unwrap_or_else(|e| panic!("{summary:?}: {e:#?}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_appears_once_and_keeps_the_structure(summary in value(false)) {
        let baseline = prepared("Made to work without pay in a car wash");
        let p = prepared(&summary);
        let text = p.document.plain_text();
        let set = crate::support::typeset(&summary);
        prop_assert_eq!(text.matches(set.as_str()).count(), 1, "{}", text);
        // Same sections, same number of paragraphs and lists as a plain summary gives.
        let shape = |d: &vtsdraft::assembly::Document| d.sections.iter().map(|s| (s.key, s.blocks.len())).collect::<Vec<_>>();
        prop_assert_eq!(shape(&p.document), shape(&baseline.document));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_printable_text_prints_literally_in_the_pdf(summary in value(true)) {
        let p = prepared(&summary);
        let (_, bytes) = vtsdraft::build(toolkit(), &p).map_err(|e| TestCaseError::fail(format!("{e:#?}")))?;
        // Extraction adds spaces where the font changes (Latin to Ge'ez), so compare without any.
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let text = squeeze(&pdf_text(&bytes));
        let expected = squeeze(&crate::support::typeset(&summary));
        prop_assert_eq!(text.matches(expected.as_str()).count(), 1, "{:?} not found once in:\n{}", expected, text);
    }
}
