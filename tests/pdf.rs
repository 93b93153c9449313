//! PDF smoke tests: a real PDF, with the client's name and the section headings in its text,
//! byte-identical across builds.

use crate::support::{MINIMAL_CASE, case_dir, pdf_text, root, run, toolkit};

#[test]
fn example_letter_is_a_pdf_with_name_headings_and_tabs() {
    let prepared =
        vtsdraft::prepare(toolkit(), &root().join("examples/thi-h/case.toml"), None).unwrap();
    let (_, bytes) = vtsdraft::build(toolkit(), &prepared).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(bytes.len() > 20_000);
    let text = pdf_text(&bytes);
    for needle in [
        "Nguyễn Thị Hoa",
        "Request",
        "Chronology",
        "Legal framework",
        "Recovery from physical or psychological harm",
        "Evidence index",
        "Conclusion and request",
        "Tab 1",
        "16 November 2026",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle:?}:\n{text}");
    }
}

#[test]
fn two_builds_are_byte_identical_in_process_and_across_processes() {
    let prepared = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/child-at-decision/case.toml"),
        None,
    )
    .unwrap();
    let (_, first) = vtsdraft::build(toolkit(), &prepared).unwrap();
    let (_, second) = vtsdraft::build(toolkit(), &prepared).unwrap();
    assert_eq!(first, second);

    let dir = case_dir(MINIMAL_CASE);
    assert_eq!(
        run(dir.path(), &["build", "case.toml", "-o", "a.pdf"]).code,
        0
    );
    let out = run(dir.path(), &["build", "case.toml", "-o", "b.pdf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let a = std::fs::read(dir.path().join("a.pdf")).unwrap();
    let b = std::fs::read(dir.path().join("b.pdf")).unwrap();
    assert_eq!(a, b, "same inputs must give the same bytes");
}

#[test]
fn non_latin_names_render_with_bundled_fonts() {
    // Emoji, Albanian, Vietnamese, Polish, Romanian, Amharic (Ge'ez) and Arabic script.
    let names = [
        "Ëndrit Çela",
        "Nguyễn Thị Hoa",
        "Zofia Łukasiewicz-Żółć",
        "Ștefan Măgureanu",
        "ሰላም ተስፋዬ",
        "هاوا موسى",
    ];
    for name in names {
        let case = MINIMAL_CASE.replace(
            "full_name = \"Ana Example\"",
            &format!("full_name = \"{name}\""),
        );
        let dir = case_dir(&case);
        let loaded = vtsdraft::facts::load(&dir.path().join("case.toml"), None).unwrap();
        let prepared = vtsdraft::prepare_loaded(toolkit(), loaded).unwrap();
        let (_, bytes) =
            vtsdraft::build(toolkit(), &prepared).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        let text = pdf_text(&bytes);
        // The extractor gives right-to-left text in visual order: the Arabic name comes out
        // reversed, character for character. Either way the whole name must be there, in order.
        let reversed: String = name.chars().rev().collect();
        let found = text.contains(name) || text.contains(&reversed);
        assert!(found, "{name} missing from the PDF text");
    }
}

#[test]
fn a_character_no_font_covers_is_an_error_naming_the_field() {
    // U+0F00 (Tibetan) is in none of the bundled fonts.
    let case = MINIMAL_CASE.replace(
        "summary = \"Made to work without pay in a car wash.\"",
        "summary = \"Made to work \u{0F00} without pay.\"",
    );
    let dir = case_dir(&case);
    let out = run(dir.path(), &["build", "case.toml", "-o", "x.pdf"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("exploitation.episodes[0].summary"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("U+0F00"), "{}", out.stderr);
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn letters_declare_pdf_a_3a_and_pdf_ua_1_and_are_tagged() {
    let prepared = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/age-disputed/case.toml"),
        None,
    )
    .unwrap();
    let (_, bytes) = vtsdraft::build(toolkit(), &prepared).unwrap();
    crate::support::assert_pdf_a3a_and_ua(&bytes);
}

#[test]
fn evidence_references_link_to_their_rows_of_the_evidence_index() {
    // Single tabs, "Tabs 2, 3 and 4", and "further evidence to follow".
    for example in ["child-at-decision", "g-o-thin"] {
        let prepared = vtsdraft::prepare(
            toolkit(),
            &root().join(format!("examples/{example}/case.toml")),
            None,
        )
        .unwrap();
        let (expected, rows) = crate::support::evidence_links(&prepared.document);
        assert!(
            expected.iter().any(|a| a.starts_with("ev-later-")),
            "{example}"
        );
        assert!(expected.len() > 5, "{example}: {expected:?}");
        // The chronology's "Tab N" cells are among them.
        let chronology_links: usize = prepared
            .document
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|b| match b {
                vtsdraft::assembly::Block::Table(t) if t.name == "chronology" => {
                    t.links.iter().flatten().count()
                }
                _ => 0,
            })
            .sum();
        assert!(chronology_links > 0, "{example}: no chronology links");
        // Every link has a row to go to.
        for anchor in &expected {
            assert!(rows.contains(anchor), "{example}: no row for {anchor}");
        }

        let (_, bytes) = vtsdraft::build(toolkit(), &prepared).unwrap();
        let (links, other) = crate::support::internal_links(&bytes);
        assert_eq!(other, 0, "{example}: links that go nowhere in the document");
        // One annotation per link (PDF/UA joins a link broken over two lines into one).
        assert_eq!(links.len(), expected.len(), "{example}: {links:?}");

        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
        let index_page = pages
            .iter()
            .position(|p| p.contains("Evidence index"))
            .expect("the annex is in the PDF");
        // Links and anchors pair up in reading order: the same anchor always lands on the same
        // spot, and rows further down the index land further down the pages.
        let mut spots: Vec<(usize, (usize, f32))> = Vec::new();
        for (link, anchor) in links.iter().zip(&expected) {
            assert!(link.page < index_page, "{example}: a link in the annex");
            assert!(
                link.dest_page >= index_page,
                "{example}: {anchor} → {link:?}"
            );
            let row = rows.iter().position(|r| r == anchor).unwrap();
            let spot = (link.dest_page, link.dest_y);
            match spots.iter().find(|(r, _)| *r == row) {
                Some((_, seen)) => assert_eq!(*seen, spot, "{example}: {anchor}"),
                None => spots.push((row, spot)),
            }
        }
        spots.sort_by_key(|(row, _)| *row);
        for pair in spots.windows(2) {
            let ((_, (page_a, y_a)), (_, (page_b, y_b))) = (pair[0], pair[1]);
            assert!(
                page_a < page_b || (page_a == page_b && y_a > y_b),
                "{example}: rows out of order: {spots:?}"
            );
        }
    }
}

/// A date is never broken across lines, so its column must be wide enough for the longest one
/// ("30 September 2026"): too narrow, the date ran into the next cell, and a reader of the page
/// saw "23 October 20262". Read with poppler's `pdftotext`, which joins glyphs that touch.
#[test]
fn dates_in_the_evidence_index_fit_their_column() {
    let months = vtsdraft::facts::date::MONTHS;
    let dir = tempfile::tempdir().unwrap();
    for example in ["dependants", "child-at-decision", "thi-h"] {
        let prepared = vtsdraft::prepare(
            toolkit(),
            &root().join(format!("examples/{example}/case.toml")),
            None,
        )
        .unwrap();
        let (_, bytes) = vtsdraft::build(toolkit(), &prepared).unwrap();
        let pdf = dir.path().join(format!("{example}.pdf"));
        std::fs::write(&pdf, bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs (.ci/test installs poppler-utils)");
        let text = String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert!(words.len() > 1000, "{example}: no text read");
        for pair in words.windows(2) {
            let run_on = months.contains(&pair[0])
                && pair[1].len() > 4
                && pair[1].chars().take(5).all(|c| c.is_ascii_digit());
            assert!(
                !run_on,
                "{example}: a date runs into the next column: `{} {}`",
                pair[0], pair[1]
            );
        }
    }
}
