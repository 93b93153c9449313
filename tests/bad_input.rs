//! Bad input: every problem gets exit code 1 and a message naming file, line, field and fix.

use crate::support::{MINIMAL_CASE, case_dir, run};

/// Runs `check --format short` on `text` and returns (exit code, stderr).
fn check(text: &str) -> (i32, String) {
    let dir = case_dir(text);
    let out = run(dir.path(), &["check", "--format", "short", "case.toml"]);
    (out.code, out.stderr)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn the_minimal_case_is_valid() {
    let (code, stderr) = check(MINIMAL_CASE);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn impossible_date_names_field_line_and_reason() {
    let text = MINIMAL_CASE.replace(
        "date = 2026-06-01\nexploitation_types",
        "date = \"2026-02-30\"\nexploitation_types",
    );
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    let line = line_of(&text, "2026-02-30");
    assert!(stderr.contains(&format!("case.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("[nrm.cg_decision.date]"), "{stderr}");
    assert!(stderr.contains("February 2026 has no day 30"), "{stderr}");
}

#[test]
fn wrong_type_says_expected_and_found() {
    let text = MINIMAL_CASE.replace("nationality = [\"Albania\"]", "nationality = \"Albania\"");
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`client.nationality`: expected a list of strings, found a string"),
        "{stderr}"
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let dir = case_dir(&MINIMAL_CASE.replace("full_name = ", "ful_name = "));
    let out = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("unknown field `ful_name` in `client`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `full_name`?"),
        "{}",
        out.stderr
    );
    // Every problem at once: the missing `full_name` too.
    assert!(
        out.stderr
            .contains("missing required field `client.full_name`"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_enum_value_lists_choices_and_suggests() {
    let (code, stderr) = check(&MINIMAL_CASE.replace(
        "letter_mode = \"pre_decision\"",
        "letter_mode = \"reconsidertion\"",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("expected one of `pre_decision`, `reconsideration`"),
        "{stderr}"
    );
    let dir = case_dir(&MINIMAL_CASE.replace(
        "letter_mode = \"pre_decision\"",
        "letter_mode = \"reconsidertion\"",
    ));
    let human = run(dir.path(), &["check", "case.toml"]);
    assert!(
        human.stderr.contains("did you mean `reconsideration`?"),
        "{}",
        human.stderr
    );
}

#[test]
fn missing_required_fact_is_named_with_help() {
    let text = MINIMAL_CASE.replace("dob_claimed = 1995-01-15\n", "");
    let dir = case_dir(&text);
    let out = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("missing required field `client.dob_claimed`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: dob_claimed: Date of birth the client gives"),
        "{}",
        out.stderr
    );
}

#[test]
fn malformed_toml_points_at_the_line() {
    let text = MINIMAL_CASE.replace("full_name = \"Ana Example\"", "full_name = \"Ana Example");
    let (code, stderr) = check(&text);
    assert_eq!(code, 1);
    assert!(stderr.contains("not valid TOML"), "{stderr}");
    assert!(
        stderr.contains(&format!("case.toml:{}:", line_of(&text, "full_name"))),
        "{stderr}"
    );
}

#[test]
fn malformed_json_points_at_the_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("case.json"),
        "{\n  \"matter\": {\"reference\": \"X\",}\n}",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "short", "case.json"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("case.json:2:"), "{}", out.stderr);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);
}

#[test]
fn empty_file_and_missing_file_and_folder() {
    let (code, stderr) = check("  \n");
    assert_eq!(code, 1);
    assert!(stderr.contains("is empty"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", "nope.toml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("cannot read `nope.toml`: no such file"),
        "{}",
        out.stderr
    );
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is a folder"), "{}", out.stderr);
}

#[test]
fn non_utf8_is_refused_with_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = MINIMAL_CASE.as_bytes().to_vec();
    let at = MINIMAL_CASE.find("Ana").unwrap();
    bytes[at] = 0xFF;
    std::fs::write(dir.path().join("case.toml"), bytes).unwrap();
    let out = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is not UTF-8"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("after byte {at}")),
        "{}",
        out.stderr
    );
}

#[test]
fn logical_inconsistencies_are_caught_with_both_fields() {
    // CG before RG.
    let text = MINIMAL_CASE.replace(
        "[nrm.cg_decision]",
        "[nrm.rg_decision]\noutcome = \"positive\"\ndate = \"2026-07\"\n\n[nrm.cg_decision]",
    );
    let (code, stderr) = check(&text);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("dated before the RG decision"), "{stderr}");
    // Exploitation ending before it starts.
    let (code, stderr) = check(&MINIMAL_CASE.replace("end = \"2023-09\"", "end = \"2021-01\""));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[exploitation.episodes[0].end]"),
        "{stderr}"
    );
    // A date in the future.
    let (code, stderr) = check(&MINIMAL_CASE.replace(
        "date = 2026-06-01\nexploitation_types",
        "date = 2027-06-01\nexploitation_types",
    ));
    assert_eq!(code, 1);
    assert!(stderr.contains("after the letter date"), "{stderr}");
    // A care leaver aged 12 is a warning, not an error.
    let young = MINIMAL_CASE.replace("dob_claimed = 1995-01-15", "dob_claimed = 2014-01-15")
        + "\n[family.looked_after]\nstatus = \"care_leaver\"\n";
    let (code, stderr) = check(&young);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("care-leaver status at age 12"), "{stderr}");
}

#[test]
fn unknown_evidence_reference_suggests_an_id() {
    let (code, stderr) = check(&MINIMAL_CASE.replace("evidence = \"gp\"", "evidence = \"gpp\""));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[health.conditions[0].evidence]"),
        "{stderr}"
    );
    let dir = case_dir(&MINIMAL_CASE.replace("evidence = \"gp\"", "evidence = \"gpp\""));
    assert!(
        run(dir.path(), &["check", "case.toml"])
            .stderr
            .contains("did you mean `gp`?")
    );
}

#[test]
fn control_characters_are_rejected_without_echoing_the_text() {
    let (code, stderr) = check(&MINIMAL_CASE.replace(
        "Made to work without pay",
        "Made to work\\u0007 without pay",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("U+0007") && stderr.contains("[exploitation.episodes[0].summary]"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("without pay"),
        "the free text must not be echoed: {stderr}"
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("\u{FEFF}{}", MINIMAL_CASE.replace('\n', "\r\n"));
    let (code, stderr) = check(&text);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_broken_clause_template_names_its_file_line_and_clause() {
    let dir = case_dir(MINIMAL_CASE);
    // Not directly in the working folder: the message must name the path as given.
    let library = dir.path().join("libs/v2");
    crate::support::copy_dir(&crate::support::root().join("clauses"), &library);
    let file = library.join("recovery/rec.treatment_plan_ongoing.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replace("is delivered as a planned course", "is {{#if x}} delivered");
    assert_ne!(broken, text);
    std::fs::write(&file, &broken).unwrap();
    let out = run(
        dir.path(),
        &["explain", "case.toml", "--clauses", "libs/v2"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    // Handlebars reports where parsing failed: at or after the unclosed block, in that file.
    let opened = line_of(&broken, "{{#if x}}");
    let reported: usize = out
        .stderr
        .split("libs/v2/recovery/rec.treatment_plan_ongoing.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no file:line in {}", out.stderr));
    assert!(
        (opened..=broken.lines().count() + 1).contains(&reported),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("{{/if}}"), "a hint: {}", out.stderr);
    assert!(
        out.stderr.contains("clause `rec.treatment_plan_ongoing`"),
        "{}",
        out.stderr
    );
}

/// Runs `check` (human format) on `text` and returns (exit code, stderr): the transcript a
/// paralegal reads.
fn transcript(text: &str) -> (i32, String) {
    let dir = case_dir(text);
    let out = run(dir.path(), &["check", "case.toml"]);
    (out.code, out.stderr)
}

#[test]
fn a_blank_required_answer_is_missing_not_an_answer() {
    let text = MINIMAL_CASE
        .replace("reference = \"TEST-0001\"", "reference = \"\"")
        .replace("letter_mode = \"pre_decision\"", "letter_mode = \"\"")
        .replace("full_name = \"Ana Example\"", "full_name = \"   \"");
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: missing required answer `matter.reference`: it is blank
  --> case.toml:3:13
  field: matter.reference
  hint: reference: The firm's matter reference, e.g. `VTS-2026-0141`. Also names the output files.
  hint: expected a string

error: missing required answer `matter.letter_mode`: it is blank
  --> case.toml:4:15
  field: matter.letter_mode
  hint: letter_mode: What kind of letter this is.
  hint: expected one of `pre_decision`, `reconsideration`, `extension_flr_hro`, `ktt_dl_request`
  hint: the values mean: `pre_decision`: Representations before the first VTS decision (after a positive conclusive grounds decision); `reconsideration`: A request to reconsider a VTS or MSDL refusal or a short grant; `extension_flr_hro`: Covering representations for an extension application on form FLR(HRO); `ktt_dl_request`: A request for discretionary leave under the KTT transitional provisions (DL policy v10)

error: missing required answer `client.full_name`: it is blank
  --> case.toml:15:13
  field: client.full_name
  hint: full_name: Full name as the Home Office knows it.
  hint: expected a string

case.toml: 3 error(s)
"#
    );
}

#[test]
fn every_problem_is_reported_in_one_round_in_file_order() {
    // A type error, a value not in the list, a blank answer and two dates that contradict each
    // other, written in the file in that order but not found in it.
    let text = MINIMAL_CASE
        .replace("nationality = [\"Albania\"]", "nationality = \"Albania\"")
        .replace("end = \"2023-09\"", "end = \"2021-01\"")
        .replace("status = \"ongoing\"", "status = \"under way\"")
        .replace("description = \"Letter from GP\"", "description = \" \"");
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: `client.nationality`: expected a list of strings, found a string
  --> case.toml:19:15
  field: client.nationality
  hint: write a list in square brackets, e.g. `["Vietnam"]`

error: episode 1 ends (January 2021) before it starts (March 2022)
  --> case.toml:31:7
  field: exploitation.episodes[0].end
  hint: expected `end` on or after `start`: check both dates of the episode

error: `health.treatments[0].status`: expected one of `referred`, `waiting_list`, `ongoing`, `completed`, `declined`, found `under way`
  --> case.toml:44:10
  field: health.treatments[0].status
  hint: did you mean `ongoing`?

error: missing required answer `evidence[1].description`: it is blank
  --> case.toml:58:15
  field: evidence[1].description
  hint: description: A description for the evidence index, e.g. `Psychiatric report`.
  hint: expected a string

case.toml: 4 error(s)
"#
    );
}

#[test]
fn a_check_across_fields_never_reads_a_refused_answer() {
    // The letter date is refused, so whether the CG decision comes after it is not known: one
    // error, not a second about the stand-in date.
    let text = MINIMAL_CASE.replace("letter_date = 2026-11-16", "letter_date = \"16/11/2026\"");
    let (code, stderr) = check(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "case.toml:5:15: error: `matter.letter_date`: expected a date `YYYY-MM-DD`, found `16/11/2026` [matter.letter_date]\n"
    );
}

#[test]
fn a_table_written_as_text_shows_the_shape_it_takes() {
    let text = MINIMAL_CASE.replace(
        "registration = { body = \"gmc\", number = \"0000000\" }",
        "registration = \"GMC 0000000\"",
    );
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: `evidence[1].registration`: expected a table, found a string
  --> case.toml:60:16
  field: evidence[1].registration
  hint: write it as a table in braces, e.g. `registration = { body = "hcpc", number = "PYL00000" }`

case.toml: 1 error(s)
"#
    );
    // A whole section written as text, and a list of tables written as text.
    let text = format!(
        "client = \"Ana\"\n{}",
        MINIMAL_CASE.replace("[client]\n", "[client_]\n")
    );
    let (_, stderr) = transcript(&text);
    assert!(
        stderr.contains("hint: `client` is a section: write a `[client]` line with its answers below it, e.g. `[client]` then `full_name = \"…\"`, `pronouns = \"she\"`, `dob_claimed = 2025-03-03`"),
        "{stderr}"
    );
    let text = MINIMAL_CASE.replace(
        "[nrm.cg_decision]",
        "[nrm]\nrg_decision = []\n[nrm.cg_decision]",
    );
    let (_, stderr) = transcript(&text);
    assert!(
        stderr.contains("hint: write it as a table in braces, e.g. `rg_decision = {"),
        "{stderr}"
    );
}

#[test]
fn choices_accept_any_letter_case() {
    let text = MINIMAL_CASE.replace("kind = \"therapy\"", "kind = \"Therapy\"")
        + "\n[nrm.first_responder]\nkind = \"NGO\"\n\n[[compensation.civil_claims]]\nforum = \"Employment_Tribunal\"\nstatus = \"Hearing_Listed\"\n";
    let (code, stderr) = check(&text);
    assert_eq!(code, 0, "{stderr}");
    let dir = case_dir(&text);
    let explained = run(dir.path(), &["explain", "--format", "json", "case.toml"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    // The value the letter sees is the value itself, whatever case it was written in.
    assert!(
        !explained.stdout.contains("Hearing_Listed") && !explained.stdout.contains("\"NGO\""),
        "{}",
        explained.stdout
    );
}

#[test]
fn choices_are_suggested_by_meaning_as_well_as_spelling() {
    let text = MINIMAL_CASE.to_string()
        + "\n[[compensation.civil_claims]]\nforum = \"employment tribunal\"\nstatus = \"listed\"\n\n[[evidence]]\nid = \"mlr\"\ndoc_type = \"psychological report\"\ndescription = \"Report\"\nstatus = \"awaited\"\n";
    let (code, stderr) = check(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "case.toml:66:9: error: `compensation.civil_claims[0].forum`: expected one of `county_court`, `high_court`, `employment_tribunal`, found `employment tribunal` [compensation.civil_claims[0].forum]\n\
         case.toml:67:10: error: `compensation.civil_claims[0].status`: expected one of `contemplated`, `letter_before_claim`, `issued`, `hearing_listed`, `concluded`, found `listed` [compensation.civil_claims[0].status]\n\
         case.toml:71:12: error: `evidence[2].doc_type`: expected one of `cg_decision`, `cg_minute`, `rg_decision`, `medico_legal_report`, `gp_letter`, `therapy_letter`, `camhs_letter`, `hospital_letter`, `support_worker_letter`, `rna_outcome`, `police_letter`, `cps_letter`, `cica_correspondence`, `civil_claim_document`, `ictg_letter`, `social_worker_letter`, `pathway_plan`, `school_letter`, `country_report`, `expert_report`, `age_assessment`, `asylum_decision`, `tribunal_decision`, `vts_decision`, `identity_document`, `witness_statement`, `other`, found `psychological report` [evidence[2].doc_type]\n"
    );
    let dir = case_dir(&text);
    let hints: Vec<String> = run(dir.path(), &["check", "case.toml"])
        .stderr
        .lines()
        .filter(|l| l.contains("hint:"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        hints,
        [
            "  hint: did you mean `employment_tribunal`?",
            "  hint: did you mean `hearing_listed`?",
            "  hint: did you mean `medico_legal_report`?",
        ]
    );
}

#[test]
fn warnings_about_absent_facts_point_at_the_nearest_table() {
    // No `[criminal_justice]` and no `[compensation]`: the nearest table before them in the
    // file's order of sections is `[[health.conditions]]`.
    let (code, stderr) = check(MINIMAL_CASE);
    assert_eq!(code, 0, "{stderr}");
    let health = line_of(MINIMAL_CASE, "[[health.conditions]]");
    assert_eq!(
        stderr,
        format!(
            "case.toml:{health}:1: warning: co-operation ground (s.65(2)(c)) not available: the exploitation has not been reported to the police [criminal_justice.investigation]\n\
             case.toml:{health}:1: warning: compensation ground (s.65(2)(b)) not available: no CICA, civil or employment claim is being pursued [compensation.cica.status]\n"
        )
    );
    // The table is there without the answer: its header line.
    let text = MINIMAL_CASE.replace(
        "[[health.conditions]]",
        "[criminal_justice]\nreported_to_police = false\n\n[[health.conditions]]",
    );
    let (_, stderr) = check(&text);
    let header = line_of(&text, "[criminal_justice]");
    assert!(
        stderr.starts_with(&format!(
            "case.toml:{header}:1: warning: co-operation ground"
        )),
        "{stderr}"
    );
    // The header left commented out, as `vtsdraft new` writes it: where the answer goes.
    let text = MINIMAL_CASE.replace(
        "[[health.conditions]]",
        "# [criminal_justice]\n# reported_to_police = false\n\n[[health.conditions]]",
    );
    let (_, stderr) = check(&text);
    let header = line_of(&text, "# [criminal_justice]");
    assert!(
        stderr.starts_with(&format!(
            "case.toml:{header}:1: warning: co-operation ground"
        )),
        "{stderr}"
    );
}

#[test]
fn a_value_nothing_resembles_or_of_the_wrong_kind_still_gets_a_hint() {
    let text = MINIMAL_CASE
        .replace("letter_mode = \"pre_decision\"", "letter_mode = \"zzz\"")
        .replace(
            "date = 2026-09-01\nstatus",
            "pages = \"three\"\ndate = 2026-09-01\nstatus",
        );
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: `matter.letter_mode`: expected one of `pre_decision`, `reconsideration`, `extension_flr_hro`, `ktt_dl_request`, found `zzz`
  --> case.toml:4:15
  field: matter.letter_mode
  hint: the values mean: `pre_decision`: Representations before the first VTS decision (after a positive conclusive grounds decision); `reconsideration`: A request to reconsider a VTS or MSDL refusal or a short grant; `extension_flr_hro`: Covering representations for an extension application on form FLR(HRO); `ktt_dl_request`: A request for discretionary leave under the KTT transitional provisions (DL policy v10)

error: `evidence[1].pages`: expected a whole number (0 or more), found a string
  --> case.toml:61:9
  field: evidence[1].pages
  hint: write it as, e.g., `pages = 1`

case.toml: 2 error(s)
"#
    );
}

#[test]
fn a_date_error_says_whether_a_month_or_year_will_do() {
    // A field that may hold a month or a year says so; one that needs the day says why.
    let text = MINIMAL_CASE
        .replace("letter_date = 2026-11-16", "letter_date = \"2026-11\"")
        .replace(
            "date = 2026-06-01\nexploitation_types",
            "date = \"14/06/2026\"\nexploitation_types",
        );
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: `matter.letter_date`: expected a full date `YYYY-MM-DD`, found `2026-11` (this field needs the day)
  --> case.toml:5:15
  field: matter.letter_date
  hint: this field needs the day, e.g. `2025-03-03`: ages at the letter date and every time limit are worked out from it

error: `nrm.cg_decision.date`: expected a date `YYYY-MM-DD`, or a month `YYYY-MM` or year `YYYY` if the day is not known, found `14/06/2026`
  --> case.toml:23:8
  field: nrm.cg_decision.date
  hint: write a date (`2021-02-14`), or a month (`"2021-02"`) or year (`"2021"`) if the day is not known

case.toml: 2 error(s)
"#
    );
}

#[test]
fn a_year_without_quotes_gets_the_form_its_field_takes() {
    let text = MINIMAL_CASE
        .replace("dob_claimed = 1995-01-15", "dob_claimed = 1995")
        .replace(
            "date = 2026-06-01\nexploitation_types",
            "date = 2026\nexploitation_types",
        );
    let (code, stderr) = transcript(&text);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        r#"error: `client.dob_claimed`: expected a date `YYYY-MM-DD` (the day is needed: the client's age at every date, and whether they were a child then, are worked out from it), found a whole number
  --> case.toml:18:15
  field: client.dob_claimed
  hint: write the full date, e.g. `2025-03-03`

error: `nrm.cg_decision.date`: expected a date `YYYY-MM-DD`, or a month `"YYYY-MM"` or year `"YYYY"` if the day is not known, found a whole number
  --> case.toml:23:8
  field: nrm.cg_decision.date
  hint: a year alone must be written in quotes, e.g. `"2018"`

case.toml: 2 error(s)
"#
    );
}

#[test]
fn a_missing_episode_out_of_order_is_refused_only_when_every_day_says_so() {
    let with = |start: &str, end: &str| {
        format!(
            "{MINIMAL_CASE}\n[[family.missing_episodes]]\nstart = \"{start}\"\nend = \"{end}\"\n"
        )
    };
    let (code, stderr) = check(&with("2021-05", "2021-04"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "error: missing episode 1 ends (April 2021) before it starts (May 2021) [family.missing_episodes[0].end]"
        ),
        "{stderr}"
    );
    // Found on 3 May after going missing in May: the month allows it.
    let (code, stderr) = check(&with("2021-05", "2021-05-03"));
    assert_eq!(code, 0, "{stderr}");
}
