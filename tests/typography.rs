//! The letter's typography: typographic quotes, dates and registrations that do not break, the
//! "Supports" column in words, the enclosures and signature lines, and a sign-off that never
//! stands alone on a page.

use crate::support::{root, toolkit};

fn g_o_thin_with(extra: &str) -> vtsdraft::Prepared {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.toml");
    let base = std::fs::read_to_string(root().join("examples/g-o-thin/case.toml")).unwrap();
    std::fs::write(&path, format!("{base}\n{extra}")).unwrap();
    vtsdraft::prepare(toolkit(), &path, None).unwrap_or_else(|e| panic!("{e:#?}"))
}

/// Whatever the length of the last paragraph, it and the sign-off share a page. The paragraph
/// is lengthened a line or two at a time (an added paragraph at the end of the conclusion) so
/// that the page break falls at every place near the sign-off, up to about 40 lines (a last
/// paragraph longer than a page still breaks, and then only its end is with the sign-off).
#[test]
fn the_sign_off_never_stands_alone_on_a_page() {
    let mut alone_would_be_possible = false;
    for words in (300..=600).step_by(20) {
        let filler = "word ".repeat(words);
        let extra = format!(
            "[[drafting]]\naction = \"add\"\nsection = \"conclusion\"\nplace = \"end\"\ntext = \"Finally, {filler}end of letter.\"\n"
        );
        let prepared = g_o_thin_with(&extra);
        let (_, pdf) = vtsdraft::build(toolkit(), &prepared).unwrap();
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
        let page_of = |needle: &str| {
            pages
                .iter()
                .position(|p| p.contains(needle))
                .unwrap_or_else(|| panic!("`{needle}` is in the letter"))
        };
        let (last, signoff) = (page_of("end of letter."), page_of("Yours faithfully,"));
        assert_eq!(
            last,
            signoff,
            "with {words} words, the last paragraph ends on page {} and the sign-off is on page {}",
            last + 1,
            signoff + 1
        );
        // The sign-off would have fitted below a shorter paragraph: the top of a page is where
        // it would otherwise land alone.
        let head = pages[signoff]
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .trim_start();
        if head.starts_with("Finally") {
            alone_would_be_possible = true;
        }
    }
    assert!(
        alone_would_be_possible,
        "the lengths tried moved the last paragraph to a new page at least once"
    );
}

#[test]
fn quotes_dates_registrations_and_the_supports_column_are_set_for_reading() {
    let prepared = g_o_thin_with("");
    let text = prepared.document.plain_text();
    assert!(
        text.contains("Ms Okonkwo’s case"),
        "apostrophes are typographic"
    );
    assert!(!text.contains('\''), "no straight apostrophe is left");
    assert!(!text.contains('"'), "no straight quote is left");
    assert!(
        text.contains("14\u{a0}December\u{a0}2026"),
        "a date does not break"
    );
    let index = prepared
        .document
        .sections
        .iter()
        .find(|s| s.key == vtsdraft::assembly::SectionKind::EvidenceIndex)
        .unwrap();
    let vtsdraft::assembly::Block::Table(table) = &index.blocks[0] else {
        panic!("the index is a table")
    };
    let supports: Vec<&str> = table.rows.iter().map(|r| r[5].as_str()).collect();
    for internal in [
        "framework",
        "personal_situation",
        "child_best_interests",
        "duration",
    ] {
        assert!(
            supports.iter().all(|s| !s.contains(internal)),
            "{internal} in {supports:?}"
        );
    }
    assert!(supports.contains(&"recovery"), "{supports:?}");
    assert_eq!(
        prepared.document.enclosures.as_deref(),
        Some("Enclosures: the documents listed in the evidence index (Tabs 1 to 4)")
    );
}

#[test]
fn a_registration_number_is_one_unit_in_the_index() {
    let prepared =
        vtsdraft::prepare(toolkit(), &root().join("examples/thi-h/case.toml"), None).unwrap();
    let cells: Vec<String> = prepared
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            vtsdraft::assembly::Block::Table(t) if t.name == "evidence_index" => Some(t),
            _ => None,
        })
        .flat_map(|t| t.rows.iter().map(|r| r[2].clone()))
        .filter(|c| c.contains("HCPC") || c.contains("GMC"))
        .collect();
    assert!(!cells.is_empty());
    for cell in cells {
        let registration = &cell[cell.rfind('(').unwrap()..];
        assert!(
            !registration.contains(' ') && !registration.contains('-'),
            "breakable: {registration:?}"
        );
    }
}

/// The client is named in full once (with the title), then by the short form the case gives;
/// a case without one repeats the full name.
#[test]
fn the_client_is_named_in_full_once_then_by_the_short_form() {
    let body = |p: &vtsdraft::Prepared| crate::support::body_text(&p.document);
    let prepared = g_o_thin_with("");
    let text = body(&prepared);
    assert_eq!(text.matches("Grace Ogechi Okonkwo").count(), 1, "{text}");
    let first = text.find("Ms Grace Ogechi Okonkwo").unwrap();
    let short = text.find("Ms Okonkwo").expect("the short form is used");
    assert!(first < short);
    assert!(text.matches("Ms Okonkwo").count() > 10);
    // The solicitor's own text names the client the same way (here, after the first mention).
    let drafted = g_o_thin_with(
        "[[drafting]]\naction = \"add\"\nsection = \"conclusion\"\nplace = \"end\"\ntext = \"{{client}} asks for a prompt decision.\"\n",
    );
    assert!(body(&drafted).contains("Ms Okonkwo asks for a prompt decision."));
    // Without a short form the full name is repeated, as before.
    let base = std::fs::read_to_string(root().join("examples/dependants/case.toml")).unwrap();
    let without = base.replacen("short_name = \"Ms Musa\"\n", "", 1);
    assert_ne!(without, base);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), without).unwrap();
    let plain = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None).unwrap();
    assert!(body(&plain).matches("Ms Hauwa Abubakar Musa").count() > 5);
    assert!(!body(&plain).contains("Ms Musa"));
}

/// Treatment that has finished is never listed as current, and a planned end that has passed
/// never reads "expected to continue until".
#[test]
fn finished_treatment_is_not_current_and_a_past_end_is_not_expected() {
    let base = std::fs::read_to_string(root().join("examples/thi-h/case.toml")).unwrap();
    let edited = base
        .replace("planned_end = \"2027-06\"", "planned_end = \"2026-09\"")
        .replace(
            "[health.treatment_abroad]",
            "[[health.treatments]]\nkind = \"therapy\"\ndescription = \"a six-week stabilisation group\"\nprovider = \"Eastbank NHS Trauma Service\"\nstatus = \"completed\"\nstart = \"2026-02\"\nplanned_end = \"2026-03\"\n\n[health.treatment_abroad]",
        );
    assert_ne!(edited, base);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), edited).unwrap();
    let prepared = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let text = prepared.document.plain_text().replace('\u{a0}', " ");
    let list = &text[text.find("Ms Hoa is receiving treatment:").unwrap()..];
    let list = &list[..list.find("\n\n1").unwrap_or(list.len()).min(600)];
    assert!(!list.contains("stabilisation group"), "{list}");
    assert!(
        text.contains("it was planned to end in September 2026 and continues"),
        "{text}"
    );
    assert!(!text.contains("expected to continue until September 2026"));
    assert!(
        text.contains(
            // Without an actual `end`, the planned end is given as planned, not as a fact.
            "Ms Hoa has also completed a six-week stabilisation group (Eastbank NHS Trauma Service), which was planned to end in March 2026; that course is over."
        ),
        "{text}"
    );
    // A course not yet begun, beside one under way, is given as awaited, never as current.
    let witness = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/trial-witness/case.toml"),
        None,
    )
    .unwrap();
    let text = witness.document.plain_text().replace('\u{a0}', " ");
    assert!(
        text.contains("Mr Măgureanu is also on the waiting list for NHS talking therapy (guided self-help, then CBT) (Greater Manchester NHS Talking Therapies) since September 2026 (Tab 4)."),
        "{text}"
    );
}

/// Where the date of birth is disputed the chronology gives both ages, and for a client who was
/// a child at a key date it shows the 18th birthday (on each date of birth).
#[test]
fn the_chronology_gives_both_ages_and_the_eighteenth_birthdays() {
    let rows = |example: &str| -> Vec<String> {
        let p = vtsdraft::prepare(
            toolkit(),
            &root().join(format!("examples/{example}/case.toml")),
            None,
        )
        .unwrap();
        crate::support::chronology_rows(&p.document)
    };
    let disputed = rows("age-disputed");
    for row in [
        "1 March 2025 | Client turns 18 (accepted date of birth) | ",
        "8 July 2026 | Conclusive grounds decision (positive); client aged 17 years 4 months; 19 years 4 months on the accepted date of birth; protection claim pending | Tab 1",
        "1 March 2027 | Client turns 18 (claimed date of birth) | ",
    ] {
        assert!(
            disputed.iter().any(|r| r == row),
            "{row} not in {disputed:#?}"
        );
    }
    // In the same month, the arrival comes before the exploitation in the UK that followed it.
    let arrival = disputed
        .iter()
        .position(|r| r.contains("Client arrives in the UK"))
        .unwrap();
    let in_uk = disputed
        .iter()
        .position(|r| r.contains("Labour exploitation in the United Kingdom begins"))
        .unwrap();
    assert_eq!(in_uk, arrival + 1, "{disputed:#?}");
    // After the letter's own row, in date order.
    let letter = disputed
        .iter()
        .position(|r| r.contains("These representations"))
        .unwrap();
    let turns = disputed
        .iter()
        .position(|r| r.contains("turns 18 (claimed"))
        .unwrap();
    assert!(turns > letter);
    let child = rows("child-at-decision");
    assert!(
        child
            .iter()
            .any(|r| r == "14 February 2028 | Client turns 18 | "),
        "{child:#?}"
    );
    // An adult throughout: no such row.
    assert!(!rows("g-o-thin").iter().any(|r| r.contains("turns 18")));
}
