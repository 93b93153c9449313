//! Facts the case files now carry, each shown where the letter uses it: the criminal case's
//! charging, listing and trial as separate events, the number charged, the client as a key
//! witness, and the officer in the case's own words.

use crate::support::{case_dir, root, toolkit};

fn letter(example: &str) -> (String, Vec<String>) {
    let p = vtsdraft::prepare(
        toolkit(),
        &root().join(format!("examples/{example}/case.toml")),
        None,
    )
    .unwrap_or_else(|e| panic!("{e:#?}"));
    let body = crate::support::body_text(&p.document).replace('\u{a0}', " ");
    (body, crate::support::chronology_rows(&p.document))
}

#[test]
fn charging_listing_and_trial_are_separate_events_and_the_officer_is_quoted() {
    let (body, rows) = letter("trial-witness");
    for row in [
        "October 2025 | 3 people charged | Tab 3",
        "14 January 2026 | Criminal trial listed | Tab 3",
        "21 October 2026 | Statement of the officer in the case supporting leave | Tab 2",
        "20 September 2027 | Criminal trial due to begin (client a witness) | Tab 3",
    ] {
        assert!(rows.iter().any(|r| r == row), "{row} not in {rows:#?}");
    }
    // The charging date is not given twice (the investigation's status row is left out).
    assert!(
        !rows.iter().any(|r| r.contains("Police: trial listed")),
        "{rows:#?}"
    );
    assert!(body.contains(
        "3 people have been charged (October 2025), and the trial is listed for 20 September 2027. Mr Măgureanu is a key prosecution witness"
    ), "{body}");
    assert!(body.contains(
        "The officer in the case, DC Aisling Reardon, supports the grant of leave (in a statement of 21 October 2026) (Tab 2). In the officer’s words: “Mr Măgureanu’s evidence is central to the prosecution, and it is essential that he remains in the UK until the trial has concluded.”"
    ), "{body}");
    // With the officer's support held, the letter never says no confirmation is held.
    assert!(!body.contains("We do not yet hold written confirmation"));
}

#[test]
fn an_officer_statement_must_point_at_listed_evidence() {
    let base = std::fs::read_to_string(root().join("examples/trial-witness/case.toml")).unwrap();
    let dir = case_dir(&base.replace(
        "evidence = \"police-letter\"\n",
        "evidence = \"police-leter\"\n",
    ));
    let out = crate::support::run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error: `criminal_justice.officer_statement.evidence` refers to evidence `police-leter`, which is not in the evidence list"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_dependant_born_after_the_letter_is_an_error() {
    let base = std::fs::read_to_string(root().join("examples/dependants/case.toml")).unwrap();
    let dir = case_dir(&base.replacen("dob = 2017-10-02", "dob = 2027-02-01", 1));
    let out = crate::support::run(dir.path(), &["check", "case.toml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "error: dependant 1 is given a date of birth after the letter (1 February 2027)\n  --> case.toml:158:7\n  field: family.dependants[0].dob\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: a child not yet born is not a dependant: record the pregnancy under `[family.expected_child]` with its `expected_date`")
    );
}

/// The time to the trial is said to the nearest month, and when the 30-month floor applies the
/// letter says why the request is longer than the trial needs.
#[test]
fn the_time_to_trial_is_rounded_and_the_floor_explained() {
    let (body, _) = letter("trial-witness");
    assert!(body.contains(
        "the trial is listed in about 10 months, and leave must cover the trial, any retrial or sentencing and the recovery that follows giving evidence; as the trial and six months after it come to less than 30 months, we ask for the 30 months we would ask for without a trial"
    ), "{body}");
    let base = std::fs::read_to_string(root().join("examples/trial-witness/case.toml")).unwrap();
    // 14 months and 15 days after the letter: about 15 months.
    let dir = case_dir(&base.replace("trial_date = 2027-09-20", "trial_date = 2028-01-31"));
    let p = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None).unwrap();
    assert!(
        crate::support::body_text(&p.document).contains("the trial is listed in about 15 months"),
        "{}",
        crate::support::body_text(&p.document)
    );
}

/// A first responder given only by its kind is named in words in the chronology ("an NGO"),
/// never by its internal label.
#[test]
fn a_first_responder_without_a_name_is_named_in_words() {
    let base = std::fs::read_to_string(root().join("examples/g-o-thin/case.toml")).unwrap();
    assert!(
        base.contains("[nrm.first_responder]"),
        "the example has a first responder"
    );
    let start = base.find("[nrm.first_responder]").unwrap();
    let end = start + base[start..].find("\n\n").unwrap();
    let edited = format!(
        "{}[nrm.first_responder]\nkind = \"ngo\"{}",
        &base[..start],
        &base[end..]
    );
    let dir = case_dir(&edited);
    let p = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let rows = crate::support::chronology_rows(&p.document);
    assert!(
        rows.iter()
            .any(|r| r.contains("Referral to the National Referral Mechanism by an NGO")),
        "{rows:#?}"
    );
}

/// Why earlier leave ended is said where the letter recounts it.
#[test]
fn why_leave_ended_is_said() {
    let base = std::fs::read_to_string(root().join("examples/g-o-thin/case.toml")).unwrap();
    let edited = base.replacen(
        "category = \"visitor\"\nstart = \"2018-04\"\nend = \"2018-10\"\n",
        "category = \"health_care_worker\"\nstart = \"2018-04\"\nend = \"2018-10\"\nended_because = \"her sponsor's licence was revoked\"\n",
        1,
    );
    assert_ne!(edited, base);
    let dir = case_dir(&edited);
    let p = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let body = crate::support::body_text(&p.document).replace('\u{a0}', " ");
    assert!(
        body.contains("has held leave in the past (as a health and care worker, until October 2018, which ended because her sponsor’s licence was revoked), but it has ended."),
        "{body}"
    );
}

/// The solicitor's own grounds for reconsideration are put, after the refusal is described.
#[test]
fn grounds_for_reconsideration_are_put() {
    let p = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/d-t-reconsideration/case.toml"),
        None,
    )
    .unwrap();
    let body = crate::support::body_text(&p.document);
    assert!(
        body.contains("Beyond answering the reasons the decision gives, we ask for reconsideration on these grounds:\nThe decision did not consider the psychologist’s report, although it was before the decision maker.\nThe decision treated the end of NHS talking therapy as the end of Mr Dawit’s recovery needs."),
        "{body}"
    );
    let refusal = body.find("the Secretary of State refused").unwrap();
    assert!(body.find("Beyond answering").unwrap() > refusal);
}

/// A CG decision known only as the month in which the client turned 18: the chronology gives the
/// age there as a range and the 18th birthday beside it, though no other date makes the client a
/// child (the exploitation here began after the birthday).
#[test]
fn the_18th_birthday_is_in_the_chronology_when_the_cg_month_holds_it() {
    let base =
        std::fs::read_to_string(root().join("tests/legal/cg-month-holds-18th-birthday/case.toml"))
            .unwrap();
    let text = base.replace(
        "start = \"2025-05\"\nend = \"2025-09\"",
        "start = \"2026-04\"\nend = \"2026-05\"",
    );
    assert_ne!(text, base);
    let dir = case_dir(&text);
    let p = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(!p.derived.child.child_at_any_key_date);
    let rows = crate::support::chronology_rows(&p.document);
    for row in [
        "10 March 2026 | Client turns 18 | ",
        "March 2026 | Conclusive grounds decision (positive); client aged 17 or 18 years | Tab 1",
    ] {
        assert!(rows.iter().any(|r| r == row), "{row} not in {rows:#?}");
    }
}

/// The history's answers must fit together: a quashed conviction listed again as a conviction
/// (the letter would argue it as one), a revocation granted while the order is still recorded as
/// made, a request to revoke dated before the order, an appeal decided before it was lodged.
#[test]
fn contradictory_history_is_an_error_naming_the_field() {
    let base =
        std::fs::read_to_string(root().join("tests/fixtures/history-non-punishment.toml")).unwrap();
    let bad = base
        .replace(
            "date = 2025-03-03\noutcome = \"pending\"",
            "date = 2020-03-03\noutcome = \"granted\"",
        )
        .replace("decided = 2023-05-10", "decided = 2021-05-10")
        + "\n[[suitability.convictions]]\noffence = \"production of a controlled drug of Class B (cannabis)\"\ndate = 2020-12-14\n";
    let dir = case_dir(&bad);
    let out = crate::support::run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for expected in [
        "error: appeal 1 is decided (10 May 2021) before it was lodged (March 2022) [immigration.asylum.appeals[0].decided]",
        "error: the request to revoke the deportation order (3 March 2020) is dated before the order (15 January 2021) [immigration.deportation.revocation_request.date]",
        "error: the request to revoke the deportation order was granted, but `immigration.deportation.status` is still `order_made` [immigration.deportation.revocation_request.outcome]",
        "is recorded as quashed (`suitability.non_punishment[0]`) and also as a conviction: the letter would argue it as a conviction [suitability.convictions[0]]",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
}

/// The chronology has a row for each appeal decision, the revocation request and each
/// proceeding that left no conviction standing, each with its tab; the CG row says a protection
/// claim was pending.
#[test]
fn the_history_is_in_the_chronology() {
    let p = vtsdraft::prepare(
        toolkit(),
        &root().join("tests/fixtures/history-non-punishment.toml"),
        None,
    )
    .unwrap_or_else(|e| panic!("{e:#?}"));
    let rows: Vec<String> = crate::support::chronology_rows(&p.document)
        .into_iter()
        .map(|r| r.replace('\u{a0}', " "))
        .collect();
    for expected in [
        "November 2019 | Not charged: Theft | ",
        "14 September 2020 | Asylum claim made | Tab 2",
        "15 January 2021 | Deportation order made | Tab 5",
        "10 May 2023 | First-tier Tribunal dismisses the appeal (protection claim) | Tab 3",
        "20 February 2024 | Upper Tribunal allows the appeal (protection claim) | Tab 4",
        "9 September 2024 | Conclusive grounds decision (positive); client aged 28 years 7 months; protection claim pending | Tab 1",
        "December 2024 | Prosecution discontinued because the client is a victim of trafficking: Possession of an identity document with improper intention; Crown Prosecution Service | Tab 8",
        "3 March 2025 | Request made to the Home Office to revoke the deportation order | Tab 6",
        "7 October 2025 | Conviction quashed: Production of a controlled drug of Class B (cannabis); Court of Appeal (Criminal Division) | Tab 7",
    ] {
        assert!(rows.iter().any(|r| r == expected), "{expected}\n{rows:#?}");
    }
    // The Home Office's refusal comes before the appeal against it, in the same month.
    let refusal = rows
        .iter()
        .position(|r| r.contains("Home Office decision on the asylum claim"));
    let lodged = rows
        .iter()
        .position(|r| r.contains("Appeal to the First-tier Tribunal lodged"));
    assert!(refusal < lodged, "{rows:#?}");
}

/// A decision on an asylum claim dated before the claim is refused, but only when every day
/// the dates could be says so: a decision known only as the claim's own month may follow it.
#[test]
fn an_asylum_decision_before_its_claim_is_an_error_unless_a_day_could_reconcile_them() {
    let base =
        std::fs::read_to_string(root().join("tests/fixtures/history-non-punishment.toml")).unwrap();
    let check = |decision: &str| {
        let text = base.replacen("decision_date = 2022-03-01", decision, 1);
        assert_ne!(text, base);
        let dir = case_dir(&text);
        crate::support::run(dir.path(), &["check", "case.toml", "--format", "short"])
    };
    let out = check("decision_date = \"2020-08\"");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "error: the decision on the asylum claim (August 2020) is dated before the claim was made (14 September 2020) [immigration.asylum.decision_date]"
        ),
        "{}",
        out.stderr
    );
    let out = check("decision_date = \"2020-09\"");
    assert!(
        !out.stderr.contains("the decision on the asylum claim"),
        "{}",
        out.stderr
    );
}
