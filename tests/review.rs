//! The reviewer's copy (`build --review`): written beside the letter, the letter unchanged, a
//! note per paragraph from the same selection `explain` prints, the rejected clauses in an
//! appendix, hostile values printed literally, byte-reproducible.

use std::path::Path;

use crate::support::{MINIMAL_CASE, case_dir, pdf_text, root, run, toolkit, two_case_folder};

/// Text with all whitespace (and the zero-width break opportunities the notes column adds)
/// removed, so that a condition can be found however its lines were broken.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

/// Typst code with its string literals (`"…"`, backslash escapes) removed.
fn outside_literals(source: &str) -> String {
    let mut out = String::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => break,
                _ => {}
            }
        }
    }
    out
}

/// `explain --format json` for `case.toml` in `dir`.
fn explain(dir: &Path) -> serde_json::Value {
    let out = run(dir, &["explain", "case.toml", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The reason as `explain` prints it for a rejected clause (`matching::Reason`'s `Display`).
fn reason_text(reason: &serde_json::Value) -> String {
    match reason["kind"].as_str().unwrap() {
        "condition_false" => "condition is false".into(),
        "fact_not_set" => format!(
            "fact `{}` is not set in this case",
            reason["path"].as_str().unwrap()
        ),
        "excluded_by" => format!("excluded by `{}`", reason["clause"].as_str().unwrap()),
        "evaluation_error" => format!(
            "condition could not be evaluated: {}",
            reason["message"].as_str().unwrap()
        ),
        other => panic!("unexpected reason {other}"),
    }
}

/// Builds `case.toml` in `dir` with `--review`; returns (letter, review) bytes.
fn build_review(dir: &Path, output: &str) -> (Vec<u8>, Vec<u8>) {
    let out = run(dir, &["build", "case.toml", "-o", output, "--review"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let review = output.replace(".pdf", ".review.pdf");
    assert!(out.stdout.contains(&review), "{}", out.stdout);
    (
        std::fs::read(dir.join(output)).unwrap(),
        std::fs::read(dir.join(review)).unwrap(),
    )
}

#[test]
fn review_writes_both_files_with_clause_condition_and_facts_beside_the_letter() {
    let dir = case_dir(MINIMAL_CASE);
    let (letter, review) = build_review(dir.path(), "letter.pdf");
    assert!(letter.starts_with(b"%PDF-") && review.starts_with(b"%PDF-"));
    let text = pdf_text(&review);
    let flat = compact(&text);

    // A selected clause with a real condition: its id@version, condition and facts are noted.
    let explained = explain(dir.path());
    let selected = explained["selected"].as_array().unwrap();
    let decision = selected
        .iter()
        .find(|d| d["when"] != "true" && !d["facts"].as_array().unwrap().is_empty())
        .expect("a clause selected by a condition");
    let stamp = format!(
        "{}@{}",
        decision["id"].as_str().unwrap(),
        decision["version"]
    );
    assert!(flat.contains(&compact(&stamp)), "{stamp} not in:\n{text}");
    // In words (reasons.toml), as `explain` gives them.
    let because: Vec<&str> = decision["because"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    let condition = format!("selected because {}", because.join("; "));
    assert!(
        flat.contains(&compact(&condition)),
        "{condition} not in:\n{text}"
    );
    for fact in decision["facts"].as_array().unwrap() {
        let line = format!(
            "{} = {}",
            fact["path"].as_str().unwrap(),
            fact["value"].as_str().unwrap()
        );
        assert!(flat.contains(&compact(&line)), "{line} not in:\n{text}");
    }
    // Every selected clause is named beside its paragraphs.
    for d in selected {
        let stamp = format!("{}@{}", d["id"].as_str().unwrap(), d["version"]);
        assert!(flat.contains(&compact(&stamp)), "{stamp} not noted");
    }

    // The appendix lists each selected clause in full, then names each rejected clause with the
    // reason explain gives.
    let appendix = flat
        .find(&compact(vtsdraft::review::APPENDIX_TITLE))
        .expect("the appendix is there");
    let selected_part = flat[appendix..]
        .find(&compact(vtsdraft::review::SELECTED_HEADING))
        .expect("the selected clauses are there")
        + appendix;
    let rejected_part = flat[selected_part..]
        .find(&compact(vtsdraft::review::REJECTED_HEADING))
        .expect("the rejected clauses are there")
        + selected_part;
    let at = flat[selected_part..rejected_part]
        .find(&compact(&format!("{stamp} —")))
        .unwrap_or_else(|| panic!("{stamp} not among the selected clauses"))
        + selected_part;
    let entry: String = flat[at..].chars().take(600).collect();
    assert!(
        entry.contains(&compact(
            &condition.replace("selected because", "Selected because:")
        )),
        "{entry}"
    );
    let rejected = explained["rejected"].as_array().unwrap();
    assert!(!rejected.is_empty());
    let appendix = rejected_part;
    for d in rejected {
        let stamp = compact(&format!("{}@{} —", d["id"].as_str().unwrap(), d["version"]));
        let at = flat[appendix..]
            .find(&stamp)
            .unwrap_or_else(|| panic!("{stamp} not in the appendix"))
            + appendix;
        let entry: String = flat[at..].chars().take(400).collect();
        // In words where the condition was false (explain's `because`), else the reason.
        let words: Vec<&str> = d["because"]
            .as_array()
            .map(|b| b.iter().map(|w| w.as_str().unwrap()).collect())
            .unwrap_or_default();
        let why = if words.is_empty() {
            reason_text(&d["reason"])
        } else {
            words.join("; ")
        };
        let reason = compact(&format!("Not used: {why}"));
        assert!(entry.contains(&reason), "{stamp}: {reason} not in {entry}");
    }
    // A clause excluded by another says so (the reason explain gives, not a recomputation).
    assert!(
        rejected
            .iter()
            .all(|d| d["reason"]["kind"] != "condition_true"),
        "explain lists a true condition as rejected"
    );

    // Marked as a reviewer's copy on every page, and in the title screen readers announce.
    let pages = pdf_extract::extract_text_from_mem_by_pages(&review).unwrap();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("REVIEWER'S COPY — not for sending"),
            "page {} has no banner",
            i + 1
        );
    }
    assert!(
        String::from_utf8_lossy(&review).contains("REVIEWER'S COPY"),
        "no title"
    );
    crate::support::assert_pdf_a3a_and_ua(&review);
}

#[test]
fn the_letter_is_byte_identical_with_and_without_review_and_laid_out_the_same_in_it() {
    let dir = case_dir(MINIMAL_CASE);
    let plain = run(dir.path(), &["build", "case.toml", "-o", "plain.pdf"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let (letter, review) = build_review(dir.path(), "letter.pdf");
    assert!(
        std::fs::read(dir.path().join("plain.pdf")).unwrap() == letter,
        "--review changed the letter"
    );

    // The letter's pages come first, each with the same words (the notes take no room, so
    // nothing moves to another page); the appendix starts on the page after.
    let letter_pages = pdf_extract::extract_text_from_mem_by_pages(&letter).unwrap();
    let review_pages = pdf_extract::extract_text_from_mem_by_pages(&review).unwrap();
    let n = letter_pages.len();
    let title = vtsdraft::review::APPENDIX_TITLE;
    assert!(review_pages.len() > n);
    assert!(!compact(&review_pages[n - 1]).contains(&compact(title)));
    assert!(compact(&review_pages[n]).contains(&compact(title)));
    // Text extraction runs a note into the paragraph it sits in, so compare characters: the
    // letter page's text must appear in order within the review page's.
    for (i, page) in letter_pages.iter().enumerate() {
        let ours = compact(&page.replacen(&format!("Page {} of {n}", i + 1), "", 1));
        let mut theirs = compact(&review_pages[i])
            .chars()
            .collect::<Vec<_>>()
            .into_iter();
        let missing = ours.chars().position(|c| !theirs.any(|t| t == c));
        assert!(
            missing.is_none(),
            "page {}: the letter's text from {:?} is not on the review copy's page",
            i + 1,
            ours.chars()
                .skip(missing.unwrap_or_default())
                .take(80)
                .collect::<String>()
        );
    }
}

#[test]
fn emit_typ_with_review_writes_the_review_copys_source_too() {
    let dir = case_dir(MINIMAL_CASE);
    let plain = run(
        dir.path(),
        &["build", "case.toml", "-o", "plain.pdf", "--emit", "typ"],
    );
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(!dir.path().join("plain.review.typ").exists());
    let args = [
        "build",
        "case.toml",
        "-o",
        "letter.pdf",
        "--emit",
        "typ",
        "--review",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let letter = std::fs::read_to_string(dir.path().join("letter.typ")).unwrap();
    let review = std::fs::read_to_string(dir.path().join("letter.review.typ")).unwrap();
    assert_eq!(
        letter,
        std::fs::read_to_string(dir.path().join("plain.typ")).unwrap(),
        "--review changed the letter's source"
    );
    assert!(review.contains("review: review-page") && !letter.contains("review: review-page"));
    assert!(review.contains("REVIEWER'S COPY"));
    // It is an output like the others: not overwritten without --force.
    std::fs::remove_file(dir.path().join("letter.typ")).unwrap();
    std::fs::remove_file(dir.path().join("letter.pdf")).unwrap();
    std::fs::remove_file(dir.path().join("letter.review.pdf")).unwrap();
    let again = run(dir.path(), &args);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("letter.review.typ` already exists"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_line_of_the_review_source_is_traced_to_the_review_template() {
    let toolkit = crate::support::toolkit();
    let case = crate::support::root().join("examples/thi-h/case.toml");
    let prepared = vtsdraft::prepare(toolkit, &case, None).unwrap();
    let source = vtsdraft::review::typst_source(&prepared, &toolkit.library.version);
    let letter_lines = vtsdraft::render::layout().lines().count();
    assert_eq!(
        source.origin(letter_lines),
        format!("templates/letter.typ:{letter_lines}")
    );
    // Before, every layout line was reported against letter.typ, whose line this is not.
    assert_eq!(source.origin(letter_lines + 2), "templates/review.typ:2");
    let review_lines = vtsdraft::review::layout().lines().count();
    assert!(
        source
            .origin(letter_lines + review_lines + 1)
            .starts_with("generated line")
    );
}

#[test]
fn the_review_copy_is_byte_reproducible() {
    let dir = case_dir(MINIMAL_CASE);
    let (_, first) = build_review(dir.path(), "a.pdf");
    let (_, second) = build_review(dir.path(), "b.pdf");
    assert!(first == second, "two runs give different review copies");

    // In process too, and it is not the letter (nor does it carry the letter's record).
    let prepared = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/child-at-decision/case.toml"),
        None,
    )
    .unwrap();
    let (_, a) = vtsdraft::review::build(toolkit(), &prepared, Default::default()).unwrap();
    let (_, b) = vtsdraft::review::build(toolkit(), &prepared, Default::default()).unwrap();
    assert!(a == b);
    let (_, letter) = vtsdraft::build(toolkit(), &prepared).unwrap();
    assert!(a != letter);
    assert!(vtsdraft::provenance::read(&a).is_err());
}

#[test]
fn an_existing_review_copy_is_not_overwritten_without_force() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("letter.review.pdf"), b"keep me").unwrap();
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "letter.pdf", "--review"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("letter.review.pdf"), "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("letter.review.pdf")).unwrap(),
        b"keep me"
    );
    assert!(
        !dir.path().join("letter.pdf").exists(),
        "nothing is written"
    );

    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--review",
            "--force",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read(dir.path().join("letter.review.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    // No temporary files left behind by the atomic writes.
    assert_eq!(
        crate::support::file_names(dir.path()),
        ["case.toml", "letter.pdf", "letter.review.pdf"]
    );
}

#[test]
fn hostile_fact_values_print_literally_in_the_notes() {
    // A free-text fact that a selected clause's condition reads, so it is shown in its note.
    let hostile = r#"#read("/etc/passwd") ]*$@"#;
    let case = format!(
        "{MINIMAL_CASE}\n[nrm.support]\nkind = \"msvcc\"\nrna_outcome = {}\n",
        toml::Value::String(hostile.into())
    );
    let dir = case_dir(&case);
    let (_, review) = build_review(dir.path(), "letter.pdf");
    let explained = explain(dir.path());
    let fact = explained["selected"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["facts"].as_array().unwrap())
        .find(|f| f["path"] == "nrm.support.rna_outcome")
        .expect("a selected clause reads the hostile fact");
    // The value as explain prints it (JSON text), character for character.
    let value = fact["value"].as_str().unwrap();
    assert!(value.contains(r#"#read(\"/etc/passwd\")"#), "{value}");
    let text = pdf_text(&review).replace('\u{200B}', "");
    assert!(
        text.contains(&format!("nrm.support.rna_outcome = {value}")),
        "{value} not printed literally:\n{text}"
    );
    assert!(text.contains("]*$@"), "{text}");
    assert!(!text.contains("root:"), "a file was read");

    // The same value in the Typst source only ever as a string literal.
    let prepared = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None).unwrap();
    let source = vtsdraft::review::typst_source(&prepared, &toolkit().library.version);
    let in_note = vtsdraft::render::Expr::str(value).as_str().to_string();
    assert!(
        source.body().contains(&in_note),
        "{in_note} not in the source"
    );
    let code = outside_literals(source.body());
    assert!(source.body().contains("#read("));
    for needle in ["#read(", "/etc/passwd", "]*$@"] {
        assert!(!code.contains(needle), "{needle} outside a string literal");
    }
}

#[test]
fn batch_review_writes_a_reviewers_copy_beside_each_letter() {
    let dir = tempfile::tempdir().unwrap();
    two_case_folder(dir.path());
    let args = ["batch", "cases", "-o", "out", "--review", "--quiet"];
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let outdir = dir.path().join("out");
    for name in ["TEST-0001", "TEST-0002"] {
        let review = std::fs::read(outdir.join(format!("{name}.review.pdf"))).unwrap();
        assert!(pdf_text(&review).contains("REVIEWER'S COPY"), "{name}");
    }
    // The batch's letter and reviewer's copy are the ones `build --review` writes.
    let single = run(
        dir.path(),
        &["build", "cases/one.toml", "-o", "single.pdf", "--review"],
    );
    assert_eq!(single.code, 0, "{}", single.stderr);
    for (batch, build) in [
        ("TEST-0001.pdf", "single.pdf"),
        ("TEST-0001.review.pdf", "single.review.pdf"),
    ] {
        assert!(
            std::fs::read(outdir.join(batch)).unwrap()
                == std::fs::read(dir.path().join(build)).unwrap(),
            "{batch} differs from {build}"
        );
    }
    // Unchanged cases are skipped only while their reviewer's copies are there.
    let skip = [
        "batch",
        "cases",
        "-o",
        "out",
        "--review",
        "--skip-unchanged",
    ];
    let out = run(dir.path(), &skip);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("0 built, 2 unchanged"),
        "{}",
        out.stdout
    );
    std::fs::remove_file(outdir.join("TEST-0002.review.pdf")).unwrap();
    let out = run(dir.path(), &skip);
    assert!(
        out.stdout.contains("1 built, 1 unchanged"),
        "{}",
        out.stdout
    );
    assert!(outdir.join("TEST-0002.review.pdf").exists());
    // Without --force or --skip-unchanged, existing copies are not overwritten.
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
}

#[test]
fn a_page_of_notes_too_tall_for_the_column_shortens_the_longest_to_the_clause_name() {
    // Fourteen one-line paragraphs in a row, each from a clause whose condition reads many facts:
    // their notes in full would need several times the page's height.
    let dir = case_dir(MINIMAL_CASE);
    let clauses = dir.path().join("clauses");
    crate::support::copy_dir(&root().join("clauses"), &clauses);
    // Parts with no words in reasons.toml are shown as written, so each note is long.
    let when = r#"matter.letter_mode != \"extension_flr_hro\" && client.title != \"Dr\" && client.title != \"Prof\" && client.title != \"Rev\" && derived.grounds.recovery && derived.registered_medical_evidence && derived.treatment_ongoing && size(client.nationality) > 0 && size(client.nationality) < 9 && size(exploitation.episodes) > 0 && size(exploitation.episodes) < 99 && health.self_harm_risk != \"x\" && health.self_harm_risk != \"y\""#;
    for i in 1..=14 {
        std::fs::write(
            clauses.join(format!("personal_situation/ps.zz_many_{i:02}.md")),
            format!(
                "+++\nid = \"ps.zz_many_{i:02}\"\naxis = \"personal_situation\"\ntitle = \"Test clause {i}\"\nwhen = \"{when}\"\nversion = 1\nreviewed = 2026-11-22\norder = {}\n+++\nShort paragraph {i}.\n",
                200 + i
            ),
        )
        .unwrap();
    }
    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--review",
            "--clauses",
            "clauses",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let review = std::fs::read(dir.path().join("letter.review.pdf")).unwrap();
    let text = pdf_text(&review);
    let flat = compact(&text);
    assert!(
        flat.contains(&compact("ps.zz_many_01@1 (in full in the appendix)")),
        "{text}"
    );
    // Each is still named in the margin, and given in full in the appendix.
    let selected = flat
        .find(&compact(vtsdraft::review::SELECTED_HEADING))
        .unwrap();
    for i in 1..=14 {
        let stamp = format!("ps.zz_many_{i:02}@1");
        assert!(flat[..selected].contains(&compact(&stamp)), "{stamp}");
        let at = flat[selected..]
            .find(&compact(&format!("{stamp} —")))
            .unwrap_or_else(|| panic!("{stamp} not in the appendix"))
            + selected;
        let entry: String = flat[at..].chars().take(1400).collect();
        assert!(
            entry.contains(&compact("Selected because: the letter is not an extension application; `client.title != \"Dr\"` holds;")),
            "{entry}"
        );
        assert!(
            entry.contains(&compact(&format!(
                "Condition: {}",
                when.replace("\\\"", "\"")
            ))),
            "{entry}"
        );
    }
}
