//! `vtsdraft diff` tests (issue 6).

use std::path::Path;

use crate::support::{MINIMAL_CASE, Output, case_dir, copy_dir, pdf_text, root, run};

/// MINIMAL_CASE with the client born so that she was 17 at the CG decision and is 18 now.
fn child_case() -> String {
    let changed = MINIMAL_CASE.replace("dob_claimed = 1995-01-15", "dob_claimed = 2008-09-15");
    assert_ne!(changed, MINIMAL_CASE);
    changed
}

const TREATMENT_CLAUSE: &str = "recovery/rec.treatment_plan_ongoing.md";

/// Two libraries beside the case: `lib-v1` (as shipped) and `lib-v2`, where one sentence of
/// `rec.treatment_plan_ongoing` changed with `edit`.
fn two_libraries(dir: &Path, edit: impl Fn(&str) -> String) {
    copy_dir(&root().join("clauses"), &dir.join("lib-v1"));
    copy_dir(&root().join("clauses"), &dir.join("lib-v2"));
    let path = dir.join("lib-v2").join(TREATMENT_CLAUSE);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change the clause");
    std::fs::write(path, edited).unwrap();
}

/// `vtsdraft diff` of the case in `dir` between the libraries of [`two_libraries`], with `extra`.
fn diff_libraries(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "diff",
        "case.toml",
        "--clauses-old",
        "lib-v1",
        "--clauses",
        "lib-v2",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// The edit most tests make: a phrase in the middle of the treatment paragraph.
fn structured_programme(text: &str) -> String {
    text.replace(
        "delivered as a planned course, and",
        "delivered as a structured programme, and",
    )
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Every block of the letter that is not unchanged, as (status, clause) pairs.
fn changed_blocks(redline: &serde_json::Value) -> Vec<(String, String)> {
    redline["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["blocks"].as_array().unwrap().iter())
        .filter(|b| b["status"] != "same")
        .map(|b| {
            (
                b["status"].as_str().unwrap().to_string(),
                b["clause"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn unchanged_input_exits_0_with_no_differences() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("same.toml"), MINIMAL_CASE).unwrap();
    let out = run(dir.path(), &["diff", "case.toml", "same.toml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no differences"), "{}", out.stdout);

    // The same library twice is no difference either.
    let out = run(
        dir.path(),
        &[
            "diff",
            "case.toml",
            "--clauses-old",
            &root().join("clauses").display().to_string(),
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no differences"), "{}", out.stdout);
}

#[test]
fn a_date_that_makes_the_client_a_child_names_the_clause_and_the_reason() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("child.toml"), child_case()).unwrap();
    let out = run(dir.path(), &["diff", "case.toml", "child.toml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    // The summary comes before the letter's text.
    let summary = text.find("summary").expect("a summary");
    let letter = text.find("\nletter:").expect("the letter's changes");
    assert!(summary < letter, "{text}");
    let summary = &text[summary..letter];
    assert!(summary.contains("clauses added"), "{summary}");
    assert!(
        summary.contains("ch.ecat_14_2_child_permit"),
        "the child clause is named:\n{summary}"
    );
    assert!(
        summary.contains("now selected because `derived.child_at_cg` = true (was false)"),
        "with the reason from matching:\n{summary}"
    );
    // Derived facts: child status, ages at key dates, the requested duration.
    assert!(
        summary.contains("derived.child_at_cg: false → true"),
        "{summary}"
    );
    assert!(
        summary.contains(
            "(age at conclusive grounds decision): \"31 years 4 months\" → \"17 years 8 months\""
        ),
        "{summary}"
    );
    assert!(
        summary.contains("derived.duration.months: 30 → 60"),
        "{summary}"
    );
    assert!(summary.contains("warnings that appeared"), "{summary}");
    // In the letter: the new date of birth, word by word, and the new section.
    assert!(
        // (the spaces of a date are no-break spaces: a date is never split across lines)
        text.contains("15\u{a0}[-January\u{a0}1995-][+September\u{a0}2008+]"),
        "{text}"
    );
    assert!(
        text.contains("## [+Best interests of the child+]"),
        "{text}"
    );
    // Not a terminal, so no colour.
    assert!(!text.contains('\x1b'), "{text}");

    // The reverse names the same clause as removed, with the reason.
    let back = run(dir.path(), &["diff", "child.toml", "case.toml"]);
    assert_eq!(back.code, 1, "{}", back.stderr);
    assert!(
        back.stdout
            .contains("no longer selected because `derived.child_at_cg` = false (was true)"),
        "{}",
        back.stdout
    );

    // JSON carries the same, structured.
    let out = run(
        dir.path(),
        &["diff", "case.toml", "child.toml", "--format", "json"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out.stdout);
    let added = v["summary"]["clauses_added"].as_array().unwrap();
    let child = added
        .iter()
        .find(|c| c["id"] == "ch.ecat_14_2_child_permit")
        .expect("the clause is listed");
    assert_eq!(child["facts"][0]["path"], "derived.child_at_cg");
    assert_eq!(child["new_reason"]["kind"], "condition_true");
    assert_eq!(child["old_reason"]["kind"], "condition_false");
}

#[test]
fn evidence_changes_are_listed_by_id() {
    let mut changed = MINIMAL_CASE.replace(
        "date = 2026-09-01\nstatus = \"enclosed\"",
        "date = 2026-09-01\nstatus = \"requested\"",
    );
    changed.push_str(
        "\n[[evidence]]\nid = \"mlr\"\ndoc_type = \"medico_legal_report\"\ndescription = \"Psychiatric report\"\nstatus = \"awaited\"\nexpected = 2026-12-01\nsupports = [\"recovery\"]\n",
    );
    assert_ne!(changed, MINIMAL_CASE);
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("new.toml"), changed).unwrap();
    let out = run(dir.path(), &["diff", "case.toml", "new.toml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("+ mlr  added: Psychiatric report (awaited)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("status: was enclosed, now requested"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_clause_library_change_changes_only_its_paragraph() {
    let dir = case_dir(MINIMAL_CASE);
    two_libraries(dir.path(), structured_programme);
    let out = diff_libraries(dir.path(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let v = json(&out.stdout);
    assert_eq!(
        changed_blocks(&v),
        vec![(
            "changed".to_string(),
            "rec.treatment_plan_ongoing".to_string()
        )]
    );
    let stats = &v["stats"];
    assert_eq!(stats["paragraphs_changed"], 1);
    assert_eq!(stats["paragraphs_added"], 0);
    assert_eq!(stats["paragraphs_removed"], 0);
    assert_eq!(stats["rows_changed"], 0);
    assert_eq!(stats["heading_lines_changed"], 0);
    let summary = &v["summary"];
    assert_eq!(summary["clauses_added"], serde_json::json!([]));
    assert_eq!(summary["clauses_removed"], serde_json::json!([]));
    assert_eq!(summary["derived"], serde_json::json!([]));
    assert_eq!(
        summary["clauses_revised"][0]["id"],
        "rec.treatment_plan_ongoing"
    );
    assert_eq!(summary["clauses_revised"][0]["text_changed"], true);
    assert_ne!(v["old"]["library_version"], v["new"]["library_version"]);

    // Against the built-in library (the default new one), the same single paragraph differs.
    let out = run(
        dir.path(),
        &["diff", "case.toml", "--clauses-old", "lib-v2"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("1 paragraph(s) edited, 0 added, 0 removed"),
        "{}",
        out.stdout
    );
}

#[test]
fn inserted_words_are_marked_word_by_word_not_as_a_new_paragraph() {
    let dir = case_dir(MINIMAL_CASE);
    two_libraries(dir.path(), |t| {
        t.replace(
            "Leave is necessary so that this treatment",
            "Leave is plainly and urgently necessary so that this treatment",
        )
    });
    let out = diff_libraries(dir.path(), &[]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains(
            "Leave is [+plainly and urgently +]necessary so that this treatment can continue"
        ),
        "{text}"
    );
    // No deletion at all: the old paragraph is not replaced wholesale.
    assert!(!text.contains("[-"), "{text}");
    assert!(
        text.contains("edited [rec.treatment_plan_ongoing]"),
        "{text}"
    );

    // With colour: green underlined insertions (ANSI), and no plain markers.
    let out = diff_libraries(dir.path(), &["--color", "always"]);
    assert!(
        out.stdout
            .contains("Leave is \x1b[32;4mplainly and urgently \x1b[0mnecessary"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("[+"), "{}", out.stdout);
}

#[test]
fn redline_pdf_shows_inserted_and_deleted_words_and_is_reproducible() {
    let dir = case_dir(MINIMAL_CASE);
    two_libraries(dir.path(), structured_programme);
    let out = diff_libraries(dir.path(), &["--pdf", "redline.pdf"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("wrote redline.pdf"), "{}", out.stdout);
    let bytes = std::fs::read(dir.path().join("redline.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&bytes);
    assert!(
        text.contains("structured programme"),
        "inserted words: {text}"
    );
    assert!(text.contains("planned course"), "deleted words: {text}");
    // The cover page comes first and names the revised clause.
    let cover = text.find("Redline").expect("a cover page");
    let letter = text.find("Dear Sir or Madam").expect("the letter");
    assert!(cover < letter);
    assert!(
        text[..letter].contains("rec.treatment_plan_ongoing"),
        "{text}"
    );

    // An existing file is not overwritten without --force (exit 2: 1 means "different").
    let again = diff_libraries(dir.path(), &["--pdf", "redline.pdf"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("redline.pdf")).unwrap(),
        bytes
    );

    // Same inputs, same bytes.
    let out = diff_libraries(dir.path(), &["--pdf", "redline.pdf", "--force"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("redline.pdf")).unwrap(),
        bytes
    );
}

#[test]
fn redline_pdf_for_changed_facts_strikes_old_words_and_adds_new_ones() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("child.toml"), child_case()).unwrap();
    let out = run(
        dir.path(),
        &["diff", "case.toml", "child.toml", "--pdf", "redline.pdf"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let text = pdf_text(&std::fs::read(dir.path().join("redline.pdf")).unwrap());
    let letter = text.find("Dear Sir or Madam").expect("the letter");
    let body = &text[letter..];
    assert!(body.contains("January 1995"), "deleted: {body}");
    assert!(body.contains("September 2008"), "inserted: {body}");
    assert!(body.contains("Best interests of the child"), "{body}");
}

#[test]
fn bad_input_exits_2() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(dir.path(), &["diff", "case.toml", "missing.toml"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("missing.toml"), "{}", out.stderr);
    let out = run(dir.path(), &["diff", "case.toml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--clauses-old"), "{}", out.stderr);
}

#[test]
fn injection_in_case_text_stays_text_in_the_redline() {
    let hostile = MINIMAL_CASE.replace(
        "Made to work without pay in a car wash.",
        "Made to work #read(\\\"/etc/passwd\\\") ] [ * _ in a car wash.",
    );
    assert_ne!(hostile, MINIMAL_CASE);
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("new.toml"), &hostile).unwrap();
    let out = run(
        dir.path(),
        &["diff", "case.toml", "new.toml", "--pdf", "redline.pdf"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let text = pdf_text(&std::fs::read(dir.path().join("redline.pdf")).unwrap());
    // Typeset as case text always is: typographic quotes.
    assert!(text.contains("#read(“/etc/passwd”)"), "{text}");
}

#[test]
fn a_usage_error_in_diff_is_exit_2_not_1() {
    let out = crate::support::run(
        &crate::support::root(),
        &["diff", "--no-such-flag", "a.toml"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}
