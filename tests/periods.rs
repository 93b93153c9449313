//! Issue 17: periods that ended (guardian, care, victim support, treatment), a child on the
//! way and family abroad, and the stages of an age challenge with a placement in adult
//! accommodation, each shown where the letter uses it; and the checks on them.

use crate::support::{root, run, toolkit};

const FIXTURE: &str = "tests/fixtures/ended-support-family-age.toml";

fn letter() -> (String, Vec<String>) {
    let p = vtsdraft::prepare(toolkit(), &root().join(FIXTURE), None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let body = crate::support::body_text(&p.document).replace('\u{a0}', " ");
    (body, crate::support::chronology_rows(&p.document))
}

fn has_row(rows: &[String], row: &str) {
    assert!(rows.iter().any(|r| r == row), "{row} not in {rows:#?}");
}

#[test]
fn ended_support_guardian_care_and_treatment_read_as_past() {
    let (body, rows) = letter();
    for row in [
        "July 2025 | Independent Child Trafficking Guardian allocated | ",
        "10 July 2025 | Client becomes looked after by Kentmere County Council | Tab 4",
        "24 October 2025 | Client ceases to be looked after because the local authority assessed her as an adult | Tab 4",
        "November 2025 | Independent Child Trafficking Guardian’s work with the client ends because she was treated as an adult after the age assessment | ",
        "November 2025 | Support under the Modern Slavery Victim Care Contract (Kentmere Victim Care Service) begins | Tab 6",
        "May 2026 | Treatment completed: a course of counselling for young people | Tab 8",
        "30 June 2026 | Support under the Modern Slavery Victim Care Contract (Kentmere Victim Care Service) ends because she moved to another area | Tab 6",
    ] {
        has_row(&rows, row);
    }
    assert!(body.contains("Ms Hoxhaj was supported under the Modern Slavery Victim Care Contract, provided by Kentmere Victim Care Service, from November 2025 until 30 June 2026, when it ended because she moved to another area (Tab 6). That support has ended."), "{body}");
    // Ended support is never described as current.
    assert!(!body.contains("receives support under the Modern Slavery Victim Care Contract"));
    assert!(!body.contains("continues to be supported"));
    assert!(!body.contains("current support is recorded"));
    assert!(body.contains("She had an Independent Child Trafficking Guardian, Grace Mwangi"));
    assert!(body.contains("the guardian’s work with her ended in November 2025, because she was treated as an adult after the age assessment"));
    assert!(!body.contains("She has an Independent Child Trafficking Guardian"));
    assert!(body.contains("Ms Hoxhaj was looked after by Kentmere County Council from 10 July 2025 until 24 October 2025, when that care ended because the local authority assessed her as an adult"));
    assert!(!body.contains("is looked after by"));
    assert!(body.contains("Her social worker while she was looked after was Owen Pryce."));
    // The finished counselling is past; only the CBT is current.
    assert!(body.contains("Ms Hoxhaj has also completed a course of counselling for young people (Kentmere Young People’s Counselling), which ended in May 2026 (Tab 8); that course is over."), "{body}");
    assert!(!body.contains(
        "a course of counselling for young people (Kentmere Young People’s Counselling): under way"
    ));
}

#[test]
fn a_child_on_the_way_and_family_abroad_are_personal_situation_not_health() {
    let (body, rows) = letter();
    has_row(&rows, "April 2027 | Client’s baby due | Tab 9");
    assert!(
        body.contains("Ms Hoxhaj is pregnant, and her baby is due in April 2027 (Tab 9)."),
        "{body}"
    );
    assert!(
        body.contains("her parent, in Albania; Ms Hoxhaj has no contact with them"),
        "{body}"
    );
    assert!(
        body.contains("Arben Hoxhaj, her sibling, whose whereabouts are not known"),
        "{body}"
    );
    // Contact not known is not asserted either way.
    assert!(!body.contains("Arben Hoxhaj, her sibling, whose whereabouts are not known;"));
    // Every paragraph or list that mentions the pregnancy comes from the personal-situation
    // clause: no health, harm or recovery clause lists it.
    let p = vtsdraft::prepare(toolkit(), &root().join(FIXTURE), None).unwrap();
    let mut mentions = Vec::new();
    for block in p.document.sections.iter().flat_map(|s| &s.blocks) {
        let clause = match block {
            vtsdraft::assembly::Block::Para { clause, .. }
            | vtsdraft::assembly::Block::List { clause, .. } => clause.clone(),
            _ => continue,
        };
        if block.plain_text().contains("pregnan") {
            mentions.push(clause);
        }
    }
    assert_eq!(mentions, ["ps.family_expected_child_and_abroad"]);
}

#[test]
fn the_age_challenge_and_the_adult_placement_are_told_in_order() {
    let (body, rows) = letter();
    for row in [
        "3 November 2025 | Client placed in adult accommodation by the Home Office | Tab 4",
        "10 November 2025 | Pre-action letter challenging the age assessment | ",
        "January 2026 | Client exploited again while in adult accommodation | Tab 5",
        "28 January 2026 | Judicial review claim challenging the age assessment lodged | ",
        "February 2026 | Client leaves the adult accommodation | ",
        "15 April 2026 | Permission granted to challenge the age assessment | Tab 3",
        "9 February 2027 | Hearing of the challenge to the age assessment | ",
    ] {
        has_row(&rows, row);
    }
    assert!(
        body.contains("15 April 2026: permission to bring the claim was granted (Tab 3)"),
        "{body}"
    );
    assert!(
        body.contains("9 February 2027: the hearing of the claim is listed"),
        "{body}"
    );
    assert!(body.contains("placed in adult accommodation (a hotel for adult asylum seekers) by the Home Office on 3 November 2025 (Tab 4). She left it in February 2026. While she was placed there, Ms Hoxhaj was exploited again (January 2026): the evidence records that she was approached at the hotel"), "{body}");
}

/// A copy of the fixture with `edit` applied, checked; returns (exit code, stderr).
fn check_edited(edit: impl Fn(&str) -> String) -> (i32, String) {
    let base = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    let edited = edit(&base);
    assert_ne!(edited, base, "the edit changed nothing");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), edited).unwrap();
    let out = run(dir.path(), &["check", "case.toml"]);
    (out.code, out.stderr)
}

#[test]
fn an_ended_treatment_must_not_be_called_ongoing() {
    let (code, err) =
        check_edited(|s| s.replacen("status = \"completed\"", "status = \"ongoing\"", 1));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: treatment 1 has ended (May 2026) but its status is `ongoing`"),
        "{err}"
    );
    assert!(err.contains("field: health.treatments[0].end"), "{err}");
    assert!(
        err.contains("hint: set `status = \"completed\"` if it has finished"),
        "{err}"
    );
}

#[test]
fn an_actual_end_after_the_letter_is_refused() {
    let (code, err) = check_edited(|s| s.replacen("end = \"2026-05\"", "end = \"2027-01\"", 1));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: treatment 1 is given an end (January 2027) after the letter date"),
        "{err}"
    );
    assert!(
        err.contains("a date still to come goes in `planned_end`"),
        "{err}"
    );
    let (code, err) = check_edited(|s| s.replacen("end = \"2025-11\"", "end = \"2027-01\"", 1));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "error: the guardian's work is given an end (January 2027) after the letter date"
        ),
        "{err}"
    );
    assert!(err.contains("field: family.ictg.end"), "{err}");
}

#[test]
fn ends_before_starts_are_refused() {
    let (code, err) = check_edited(|s| {
        s.replacen(
            "start = \"2025-11\"\nend_date",
            "start = \"2026-08\"\nend_date",
            1,
        )
    });
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: the support ends (30 June 2026) before it starts (August 2026)"),
        "{err}"
    );
    assert!(err.contains("field: nrm.support.end_date"), "{err}");
    let (code, err) = check_edited(|s| {
        s.replacen(
            "re_exploitation_date = \"2026-01\"",
            "re_exploitation_date = \"2025-09\"",
            1,
        )
    });
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: the re-exploitation (September 2025) is dated before the placement in adult accommodation (3 November 2025)"), "{err}");
}

#[test]
fn care_that_ended_needs_an_end_and_a_status_that_says_so() {
    let (code, err) = check_edited(|s| s.replacen("end = 2025-10-24\n", "", 1));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: `family.looked_after.status` is `ended` but no `end` date is given"),
        "{err}"
    );
    let (code, err) =
        check_edited(|s| s.replacen("status = \"ended\"", "status = \"section20\"", 1));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: being looked after has ended, but `family.looked_after.status` says the client is still looked after"), "{err}");
}

#[test]
fn only_a_hearing_may_be_dated_after_the_letter() {
    let (code, err) = check_edited(|s| s.replacen("date = 2026-01-28", "date = 2027-01-28", 1));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "error: step 2 of the age challenge is dated after the letter (28 January 2027)"
        ),
        "{err}"
    );
    assert!(err.contains("field: client.age_challenge[1].date"), "{err}");
}

#[test]
fn a_child_due_before_the_letter_is_a_warning_pointing_at_the_dependants() {
    let (code, err) = check_edited(|s| {
        s.replacen(
            "expected_date = \"2027-04\"",
            "expected_date = \"2026-10\"",
            1,
        )
    });
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: the expected child was due October 2026, before the letter date"),
        "{err}"
    );
    assert!(
        err.contains("add them under `[[family.dependants]]`"),
        "{err}"
    );
}

#[test]
fn a_past_planned_end_is_never_expected_to_continue() {
    let (code, err) =
        check_edited(|s| s.replacen("planned_end = \"2027-06\"", "planned_end = \"2026-10\"", 1));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: treatment 2 was planned to end October 2026, before the letter date, and is recorded as ongoing"), "{err}");
    let base = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    let dir = crate::support::case_dir(&base.replacen(
        "planned_end = \"2027-06\"",
        "planned_end = \"2026-10\"",
        1,
    ));
    let p = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None).unwrap();
    let body = crate::support::body_text(&p.document).replace('\u{a0}', " ");
    assert!(
        !body.contains("expected to continue until October 2026"),
        "{body}"
    );
    assert!(
        body.contains("it was planned to end in October 2026 and continues"),
        "{body}"
    );
}
