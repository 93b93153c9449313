//! End-to-end runs of the binary: exit codes, messages, files written and not written.

use crate::support::{MINIMAL_CASE, case_dir, root, run};

#[test]
fn check_passes_every_example() {
    let mut args = vec!["check".to_string()];
    for (_, path) in crate::support::examples() {
        args.push(path.display().to_string());
    }
    args.push(
        root()
            .join("examples/thi-h/case.json")
            .display()
            .to_string(),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&root(), &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout.matches(": ok (").count(),
        args.len() - 1,
        "{}",
        out.stdout
    );
}

#[test]
fn build_writes_pdf_and_typst_and_refuses_to_overwrite() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "letter.pdf", "--emit", "typ"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("wrote letter.pdf"), "{}", out.stdout);
    assert!(
        std::fs::read(dir.path().join("letter.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    let typ = std::fs::read_to_string(dir.path().join("letter.typ")).unwrap();
    assert!(typ.contains("#show: letter.with("));
    assert!(
        typ.contains("title: \"Representations for temporary permission to stay\""),
        "{typ}"
    );

    let again = run(dir.path(), &["build", "case.toml", "-o", "letter.pdf"]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("already exists") && again.stderr.contains("--force"),
        "{}",
        again.stderr
    );
    assert_eq!(
        run(
            dir.path(),
            &["build", "case.toml", "-o", "letter.pdf", "--force"]
        )
        .code,
        0
    );
    // No temporary files are left behind.
    let names = crate::support::file_names(dir.path());
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn new_writes_a_questionnaire_that_check_explains_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["new", "case.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(dir.path().join("case.toml")).unwrap();
    assert!(text.contains("[matter]") && text.contains("# [[evidence]]"));
    // The blank questionnaire fails check with errors that say which answer is wrong.
    let check = run(dir.path(), &["check", "--format", "short", "case.toml"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("case.toml:"), "{}", check.stderr);
    assert!(
        check.stderr.contains("[matter.letter_mode]")
            || check.stderr.contains("[matter.letter_date]"),
        "{}",
        check.stderr
    );
    let again = run(dir.path(), &["new", "case.toml"]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("will not overwrite"),
        "{}",
        again.stderr
    );
    let csv = run(dir.path(), &["new", "--csv", "header.csv"]);
    assert_eq!(csv.code, 0);
    assert!(
        std::fs::read_to_string(dir.path().join("header.csv"))
            .unwrap()
            .starts_with("matter.reference,")
    );
}

#[test]
fn explain_json_has_the_documented_keys_and_matches_build() {
    let out = run(
        &root(),
        &["explain", "--format", "json", "examples/thi-h/case.toml"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for key in [
        "selected",
        "rejected",
        "derived",
        "warnings",
        "evidence_gaps",
    ] {
        assert!(value.get(key).is_some(), "missing `{key}`");
    }
    let explained: Vec<&str> = value["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    // The clause ids `build` uses are the ones the letter's paragraphs came from.
    let prepared = vtsdraft::prepare(
        crate::support::toolkit(),
        &root().join("examples/thi-h/case.toml"),
        None,
    )
    .unwrap();
    let mut in_letter: Vec<&str> = prepared
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            vtsdraft::assembly::Block::Para { clause, .. } => Some(clause.as_str()),
            _ => None,
        })
        .collect();
    in_letter.dedup();
    for id in &in_letter {
        assert!(
            explained.contains(id),
            "{id} is in the letter but not in explain"
        );
    }
    assert_eq!(value["derived"]["duration"]["months"], 30);
}

#[test]
fn explain_text_shows_reasons_with_fact_values() {
    let out = run(
        &root(),
        &["explain", "examples/conviction-deportation/case.toml"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // By default, why in words, and the clauses not used one line per reason.
    assert!(
        out.stdout.contains(
            "  suit.deportation_pause_and_s_appeal@4  [suitability]  Deportation order or proceedings: the VTS deportation-order pause, the separate Discretionary Leave pause, SSHD v S and the Supreme Court appeal\n    because there is a deportation order or deportation proceedings\n"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("derived.deportation_blocker = true"));
    assert!(
        out.stdout
            .contains("), by reason (`--all` lists each clause, `--rules` the conditions)\n  "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("KTT cohort candidate: yes; excluded by deportation: yes"),
        "{}",
        out.stdout
    );
    // `--rules`: each condition as written and the facts it read, every clause listed.
    let rules = run(
        &root(),
        &[
            "explain",
            "examples/conviction-deportation/case.toml",
            "--rules",
        ],
    );
    assert!(
        rules.stdout.contains("derived.deportation_blocker = true"),
        "{}",
        rules.stdout
    );
    assert!(rules.stdout.contains("\nnot used ("));
    assert!(rules.stdout.contains("    because condition is false: `"));
    // `--all`: every clause not used, each with its reason in words.
    let all = run(
        &root(),
        &[
            "explain",
            "examples/conviction-deportation/case.toml",
            "--all",
        ],
    );
    let listed = all.stdout.matches("\n    not used because ").count();
    let (_, after) = all.stdout.split_once("\nnot used (").unwrap();
    let count: usize = after[..after.find(')').unwrap()].parse().unwrap();
    assert_eq!(listed, count, "{}", all.stdout);
}

#[test]
fn clauses_lint_passes_on_the_shipped_library_and_list_filters_by_axis() {
    let out = run(
        &root(),
        &[
            "clauses",
            "lint",
            "--cases",
            "examples",
            "--cases",
            "tests/fixtures",
            "--cases",
            "tests/legal",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("0 error(s)"), "{}", out.stdout);
    // Every clause in the library is selected by at least one example, fixture or legal case.
    assert!(
        !out.stderr.contains("is selected by none"),
        "{}",
        out.stderr
    );
    let list = run(&root(), &["clauses", "list", "--axis", "compensation"]);
    assert_eq!(list.code, 0);
    assert!(
        list.stdout.lines().all(|l| l.contains("compensation")),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("comp.cannot_pursue_from_abroad"));
}

#[test]
fn firm_file_supplies_missing_representative() {
    let start = MINIMAL_CASE.find("[representative]").unwrap();
    let end = MINIMAL_CASE.find("[client]").unwrap();
    let case = format!("{}{}", &MINIMAL_CASE[..start], &MINIMAL_CASE[end..]);
    let dir = case_dir(&case);
    let missing = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("--firm"), "{}", missing.stderr);
    let firm = root().join("examples/firm.toml");
    let ok = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "x.pdf",
            "--firm",
            firm.to_str().unwrap(),
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn a_broken_clause_library_is_reported_against_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(lib.join("authorities.toml"), "").unwrap();
    std::fs::write(lib.join("x.md"), "+++\nid = \"rec.x\"\naxis = \"recovery\"\ntitle = \"X\"\nwhen = \"derived.grounds.recovery &&\"\nversion = 1\nreviewed = 2026-11-22\n+++\nText.\n").unwrap();
    let case = dir.path().join("case.toml");
    std::fs::write(&case, MINIMAL_CASE).unwrap();
    let out = run(dir.path(), &["check", "--clauses", "lib", "case.toml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("lib/x.md:5"), "{}", out.stderr);
    assert!(out.stderr.contains("not valid CEL"), "{}", out.stderr);
}

/// `-o letter.typ --emit typ` would put the letter and its source on one path: refused before
/// anything is written, with the fix in the hint.
#[test]
fn two_outputs_on_one_path_are_refused_before_anything_is_written() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "letter.typ", "--emit", "typ"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: two outputs would be written to `letter.typ`\n  hint: name the PDF with a `.pdf` extension; the other files go beside it\n"
    );
    assert_eq!(crate::support::file_names(dir.path()), ["case.toml"]);
}

/// Every file written is named, in the order written, the letter first with its summary.
#[test]
fn build_names_every_file_it_wrote() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "l.pdf",
            "--emit",
            "typ",
            "--emit",
            "docx",
            "--review",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let wrote: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        wrote,
        ["l.pdf", "l.docx", "l.typ", "l.review.typ", "l.review.pdf"]
    );
    assert!(
        out.stdout
            .contains("wrote l.review.pdf (reviewer's copy: not for sending)")
    );
}

/// The letter's fixed wording lives in `phrases.toml` beside the clauses: a firm's library
/// changes it without Rust, and a misspelt key is refused with its line and the right key.
#[test]
fn a_library_s_phrases_reword_the_letter_and_a_misspelt_key_is_refused() {
    let dir = case_dir(MINIMAL_CASE);
    let lib = dir.path().join("lib");
    crate::support::copy_dir(&root().join("clauses"), &lib);
    let phrases = std::fs::read_to_string(lib.join("phrases.toml")).unwrap();
    let reworded = phrases
        .replace("\"Dear Sir or Madam,\"", "\"Dear Caseworker,\"")
        .replace("\"These representations\"", "\"This letter\"");
    std::fs::write(lib.join("phrases.toml"), reworded).unwrap();
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "l.pdf", "--clauses", "lib"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = crate::support::pdf_text(&std::fs::read(dir.path().join("l.pdf")).unwrap());
    assert!(text.contains("Dear Caseworker,"), "{text}");
    assert!(!text.contains("Dear Sir or Madam"), "{text}");
    assert!(text.contains("This letter"), "{text}");

    std::fs::write(
        lib.join("phrases.toml"),
        phrases.replace("salutation = ", "salutaton = "),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "m.pdf", "--clauses", "lib"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: `letter.salutaton` is not a phrase vtsdraft uses")
            && out.stderr.contains("lib/phrases.toml:")
            && out
                .stderr
                .contains("hint: did you mean `letter.salutation`?")
            && out.stderr.contains("phrase `letter.salutation` is missing"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("m.pdf").exists());
}

#[test]
fn the_new_questionnaire_neither_checks_nor_builds_until_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["new", "case.toml"]).code, 0);
    let text = std::fs::read_to_string(dir.path().join("case.toml")).unwrap();
    let check = run(dir.path(), &["check", "--format", "short", "case.toml"]);
    assert_eq!(check.code, 1);
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("`{needle}` in the questionnaire"))
            + 1
    };
    // Every blank required answer, in the file's order, with the commented-out
    // `[representative]` header where the firm's details would go.
    let expected: String = [
        ("reference = ", "matter.reference", 13),
        ("letter_mode = ", "matter.letter_mode", 15),
        ("letter_date = ", "matter.letter_date", 15),
        ("# [representative]", "representative", 1),
        ("full_name = ", "client.full_name", 13),
        ("pronouns = ", "client.pronouns", 12),
        ("dob_claimed = ", "client.dob_claimed", 15),
        ("outcome = ", "nrm.cg_decision.outcome", 11),
        ("date = ", "nrm.cg_decision.date", 8),
    ]
    .iter()
    .map(|(needle, field, column)| {
        let message = if *field == "representative" {
            "no representative: the letter needs the firm's details".to_string()
        } else {
            format!("missing required answer `{field}`: it is blank")
        };
        format!(
            "case.toml:{}:{column}: error: {message} [{field}]\n",
            line(needle)
        )
    })
    .collect();
    assert_eq!(check.stderr, expected);
    // With the firm's details from `--firm`, still refused; and `build` refuses too.
    let firm = root().join("examples/firm.toml");
    let firm = firm.to_str().unwrap();
    let with_firm = run(dir.path(), &["check", "case.toml", "--firm", firm]);
    assert_eq!(with_firm.code, 1);
    assert!(
        with_firm.stderr.ends_with("case.toml: 8 error(s)\n"),
        "{}",
        with_firm.stderr
    );
    let build = run(
        dir.path(),
        &["build", "case.toml", "--firm", firm, "-o", "letter.pdf"],
    );
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("error: missing required answer `client.full_name`: it is blank"),
        "{}",
        build.stderr
    );
    assert!(!dir.path().join("letter.pdf").exists());
}

#[test]
fn the_questionnaire_shows_every_field_of_a_nested_table() {
    let text = vtsdraft::facts::questionnaire::toml_questionnaire();
    assert!(
        text.contains(
            "# The author's professional registration.\n\
             # (optional) a table in braces with these fields:\n\
             #   body (required): The registration body, e.g. `hcpc`.\n\
             #     one of:\n\
             #       \"gmc\": General Medical Council.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "#   number (required): The registration number, e.g. `PYL00000`.\n\
             #     a string\n\
             # registration = { body = \"hcpc\", number = \"PYL00000\" }\n"
        ),
        "{text}"
    );
}

/// A case with one bad date, for messages.
fn bad_date_case() -> tempfile::TempDir {
    case_dir(&MINIMAL_CASE.replace("letter_date = 2026-11-16", "letter_date = \"16/11/2026\""))
}

/// `--color` is on every command; `auto` colours only a terminal and honours `NO_COLOR`, and
/// the flag overrides `NO_COLOR`.
#[test]
fn color_is_a_flag_of_every_command_and_honours_no_color() {
    for command in [
        &["new"][..],
        &["check"],
        &["explain"],
        &["build"],
        &["batch"],
        &["diff"],
        &["verify"],
        &["absorb"],
        &["serve"],
        &["clauses", "list"],
        &["clauses", "lint"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = run(&root(), &args);
        assert!(
            help.stdout.contains("--color <COLOR>"),
            "{command:?}: {}",
            help.stdout
        );
    }
    let dir = bad_date_case();
    let plain = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(plain.code, 1);
    assert!(
        plain
            .stderr
            .starts_with("error: `matter.letter_date`: expected "),
        "{}",
        plain.stderr
    );
    let always = run(dir.path(), &["check", "case.toml", "--color", "always"]);
    assert!(
        always
            .stderr
            .starts_with("\x1b[1;31merror:\x1b[0m `matter.letter_date`: expected "),
        "{:?}",
        always.stderr
    );
    assert!(always.stderr.contains("\n\x1b[1;36m  hint:\x1b[0m "));
    assert_eq!(
        run(dir.path(), &["--color", "never", "check", "case.toml"]).stderr,
        plain.stderr
    );
    let with_env = |env: &[(&str, &str)], args: &str| {
        let mut command = std::process::Command::new("script");
        command
            .args(["-qec"])
            .arg(format!("{} {args}", env!("CARGO_BIN_EXE_vtsdraft")))
            .arg("/dev/null")
            .current_dir(dir.path());
        command.env_remove("NO_COLOR");
        for (k, v) in env {
            command.env(k, v);
        }
        command
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    // On a terminal (through `script`, where it exists): colour unless NO_COLOR is set.
    if let Some(tty) = with_env(&[], "check case.toml") {
        assert!(tty.contains("\x1b[1;31merror:\x1b[0m"), "{tty:?}");
        let no_color = with_env(&[("NO_COLOR", "1")], "check case.toml").unwrap();
        assert!(!no_color.contains("\x1b["), "{no_color:?}");
        let forced = with_env(&[("NO_COLOR", "1")], "check case.toml --color always").unwrap();
        assert!(forced.contains("\x1b[1;31merror:\x1b[0m"), "{forced:?}");
    }
}

/// What `clauses list` prints in its axis column is what `--axis` takes; the hyphenated
/// spelling still works.
#[test]
fn axis_names_are_spelt_one_way_and_the_old_spelling_still_works() {
    let all = run(&root(), &["clauses", "list"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let axes: std::collections::BTreeSet<&str> = all
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert!(axes.contains("personal_situation"), "{axes:?}");
    for axis in &axes {
        let one = run(&root(), &["clauses", "list", "--axis", axis]);
        assert_eq!(one.code, 0, "{axis}: {}", one.stderr);
        assert!(
            !one.stdout.is_empty()
                && one
                    .stdout
                    .lines()
                    .all(|l| l.split_whitespace().nth(1) == Some(axis)),
            "{axis}: {}",
            one.stdout
        );
    }
    assert_eq!(
        run(
            &root(),
            &["clauses", "list", "--axis", "personal-situation"]
        )
        .stdout,
        run(
            &root(),
            &["clauses", "list", "--axis", "personal_situation"]
        )
        .stdout
    );
    let wrong = run(&root(), &["clauses", "list", "--axis", "personal"]);
    assert_eq!(wrong.code, 1);
    assert!(
        wrong.stderr.contains("[possible values: framework, recovery, personal_situation, child_best_interests, compensation, cooperation, suitability, duration]"),
        "{}",
        wrong.stderr
    );
}

/// `--emit pdf` was accepted and ignored; it is refused with the reason, as an unknown kind is.
#[test]
fn emit_refuses_pdf_and_unknown_kinds() {
    let dir = case_dir(MINIMAL_CASE);
    let pdf = run(
        dir.path(),
        &["build", "case.toml", "-o", "l.pdf", "--emit", "pdf"],
    );
    assert_eq!(pdf.code, 1);
    assert_eq!(
        pdf.stderr,
        "error: `--emit pdf`: the PDF is always written; `--emit` adds `typ` or `docx` beside it\n"
    );
    let html = run(dir.path(), &["batch", ".", "-o", "out", "--emit", "html"]);
    assert_eq!(html.code, 1);
    assert!(
        html.stderr.starts_with(
            "error: invalid value 'html' for '--emit <KIND>'\n  [possible values: typ, docx]\n"
        ),
        "{}",
        html.stderr
    );
    assert_eq!(crate::support::file_names(dir.path()), ["case.toml"]);
}

/// The minimal case without `[representative]`: the firm must come from elsewhere.
fn case_without_firm() -> String {
    let start = MINIMAL_CASE.find("[representative]").unwrap();
    let end = MINIMAL_CASE.find("[client]").unwrap();
    format!("{}{}", &MINIMAL_CASE[..start], &MINIMAL_CASE[end..])
}

/// The configuration file at the usual place supplies the firm and the clause library (a folder
/// relative to the file); `--firm` and `--clauses` override it.
#[test]
fn the_configuration_file_gives_defaults_that_flags_override() {
    let dir = case_dir(&case_without_firm());
    let xdg = dir.path().join("xdg");
    let config_dir = xdg.join("vtsdraft");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[firm]\nfirm_name = \"Config Law LLP\"\naddress = [\"2 Config Row\", \"Leeds\"]\nregulator = \"sra\"\nregulator_number = \"1\"\nfee_earner = \"C. Solicitor\"\n",
    )
    .unwrap();
    let env = [("XDG_CONFIG_HOME", xdg.to_str().unwrap())];
    let built = crate::support::run_env(dir.path(), &["build", "case.toml", "-o", "a.pdf"], &env);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let text = crate::support::pdf_text(&std::fs::read(dir.path().join("a.pdf")).unwrap());
    assert!(text.contains("Config Law LLP"), "{text}");
    let firm = root().join("examples/firm.toml");
    let flagged = crate::support::run_env(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "b.pdf",
            "--firm",
            firm.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(flagged.code, 0, "{}", flagged.stderr);
    let text = crate::support::pdf_text(&std::fs::read(dir.path().join("b.pdf")).unwrap());
    assert!(
        text.contains("Wrenfield") && !text.contains("Config Law"),
        "{text}"
    );

    // The clause library, named relative to the configuration file (here a broken one, so
    // that it shows), and `--clauses` over it.
    let lib = config_dir.join("lib");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(lib.join("authorities.toml"), "").unwrap();
    std::fs::write(lib.join("x.md"), "+++\nid = \"rec.x\"\naxis = \"recovery\"\ntitle = \"X\"\nwhen = \"derived.grounds.recovery &&\"\nversion = 1\nreviewed = 2026-11-22\n+++\nText.\n").unwrap();
    let named = dir.path().join("named.toml");
    std::fs::write(&named, "clauses = \"xdg/vtsdraft/lib\"\n").unwrap();
    let env = [("VTSDRAFT_CONFIG", named.to_str().unwrap())];
    let broken = crate::support::run_env(dir.path(), &["clauses", "list"], &env);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken.stderr.contains("xdg/vtsdraft/lib/x.md:5"),
        "{}",
        broken.stderr
    );
    let clauses = root().join("clauses");
    let good = crate::support::run_env(
        dir.path(),
        &["clauses", "list", "--clauses", clauses.to_str().unwrap()],
        &env,
    );
    assert_eq!(good.code, 0, "{}", good.stderr);
}

/// A broken configuration file is reported as a case file is: file, line, field, hint.
#[test]
fn a_broken_configuration_file_is_reported_with_its_line_and_field() {
    let dir = case_dir(MINIMAL_CASE);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "clause = \"lib\"\n\n[firm]\nfirm_nme = \"X\"\naddress = [\"1 Row\"]\nregulator = \"sra\"\nregulator_number = \"1\"\nfee_earner = \"A\"\n").unwrap();
    let env = [("VTSDRAFT_CONFIG", config.to_str().unwrap())];
    let out = crate::support::run_env(dir.path(), &["check", "case.toml"], &env);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let shown = out.stderr.replace(dir.path().to_str().unwrap(), "DIR");
    assert_eq!(
        shown,
        "error: unknown setting `clause` in the configuration file\n  --> DIR/config.toml:1:1\n  field: clause\n  hint: did you mean `clauses`?\n\nerror: unknown field `firm_nme` in `firm`\n  --> DIR/config.toml:4:1\n  field: firm.firm_nme\n  hint: did you mean `firm_name`?\n\nerror: missing required field `firm.firm_name`\n  --> DIR/config.toml:3:1\n  field: firm.firm_name\n  hint: firm_name: The firm's name as it appears on its letterhead.\n  hint: expected a string\n\n"
    );
    let missing = crate::support::run_env(
        dir.path(),
        &["check", "case.toml"],
        &[("VTSDRAFT_CONFIG", "nowhere.toml")],
    );
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .starts_with("error: cannot read `nowhere.toml`"),
        "{}",
        missing.stderr
    );
    // In `diff`, 1 means "different", so a broken configuration is 2 there.
    let diff = crate::support::run_env(dir.path(), &["diff", "case.toml", "case.toml"], &env);
    assert_eq!(diff.code, 2, "{}", diff.stderr);
    assert!(diff.stderr.starts_with("error: unknown setting `clause`"));
    // `new` needs no configuration, so a broken one does not stop it.
    assert_eq!(
        crate::support::run_env(dir.path(), &["new", "n.toml"], &env).code,
        0
    );
}

/// Completions and the manual are printed (or written) from the clap definitions.
#[test]
fn completions_and_the_manual_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let bash = run(dir.path(), &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(bash.stdout.starts_with("_vtsdraft() {"), "{}", bash.stdout);
    let fish = run(dir.path(), &["completions", "fish"]);
    assert!(fish.stdout.contains("-a \"batch\""), "{}", fish.stdout);
    let unknown = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.starts_with(
            "error: invalid value 'tcsh' for '<SHELL>'\n  [possible values: bash, elvish, fish, powershell, zsh]\n"
        ),
        "{}",
        unknown.stderr
    );
    let page = run(dir.path(), &["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(
        page.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        page.stdout
    );
    assert!(page.stdout.contains(".TH vtsdraft 1"), "{}", page.stdout);
    let pages = run(dir.path(), &["man", "--dir", "man1"]);
    assert_eq!(pages.code, 0, "{}", pages.stderr);
    assert!(
        pages
            .stdout
            .starts_with("wrote man1/vtsdraft-absorb.1\nwrote man1/vtsdraft-batch.1\n"),
        "{}",
        pages.stdout
    );
    assert!(
        pages
            .stdout
            .contains("wrote man1/vtsdraft-clauses-list.1\n")
    );
    assert!(pages.stdout.ends_with("wrote man1/vtsdraft.1\n"));
}

/// `explain --format short` was accepted and ignored; it is refused, with the formats it has.
#[test]
fn explain_refuses_the_short_format() {
    let out = run(
        &root(),
        &[
            "explain",
            "examples/g-o-thin/case.toml",
            "--format",
            "short",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: `explain` has no `--format short`\n  hint: use `--format human` (the default) or `--format json`; `check --format short` gives one line per problem\n"
    );
}

/// A CG decision known only to the month in which the client turned 18: `explain` shows the
/// age as a range, says child status is not decided, and gives the warning that asks for the day.
#[test]
fn explain_says_when_child_status_turns_on_an_unknown_day() {
    let out = run(
        &root(),
        &[
            "explain",
            "tests/legal/cg-month-holds-18th-birthday/case.toml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "    March 2026         conclusive grounds decision              17 or 18 years  CHILD OR ADULT: the day is needed\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  child at CG: not decided (the day is needed); "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "warning: the conclusive grounds decision is dated only March 2026, and the client turned 18 within it (on 10 March 2026), so whether they were a child at the decision (which decides the child-specific arguments and the 60-month request) depends on the day; the letter does not argue it either way [nrm.cg_decision.date]"
        ),
        "{}",
        out.stdout
    );
}
