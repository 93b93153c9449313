//! Provenance: the record embedded in every letter, and `vtsdraft verify`.

use std::path::Path;

use crate::support::{MINIMAL_CASE, case_dir, root, run, toolkit};

/// Builds `case.toml` in `dir` to `letter.pdf`, returning its bytes.
fn build(dir: &Path) -> Vec<u8> {
    let out = run(dir, &["build", "case.toml", "-o", "letter.pdf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::read(dir.join("letter.pdf")).unwrap()
}

#[test]
fn default_output_declares_pdf_a_and_pdf_ua_1_and_carries_the_record() {
    let prepared = vtsdraft::prepare(
        toolkit(),
        &case_dir(MINIMAL_CASE).path().join("case.toml"),
        None,
    )
    .unwrap();
    let (_, bytes) = vtsdraft::build(toolkit(), &prepared).unwrap();
    crate::support::assert_pdf_a3a_and_ua(&bytes);
    let record = vtsdraft::provenance::read(&bytes).unwrap();
    assert_eq!(record.tool, "vtsdraft");
    assert_eq!(record.library_version, toolkit().library.version);
    assert_eq!(
        record,
        vtsdraft::provenance::Record::new(toolkit(), &prepared, Default::default())
    );
    // No free text from the case: the summary and names stay out of the record.
    let json = String::from_utf8(record.to_bytes()).unwrap();
    assert!(!json.contains("car wash"), "{json}");
    assert!(!json.contains("Ana Example"), "{json}");
    // Same inputs, same bytes, attachment included.
    let (_, again) = vtsdraft::build(toolkit(), &prepared).unwrap();
    assert!(again == bytes, "two builds of the same case differ");
}

#[test]
fn verify_matches_an_unchanged_case_and_prints_the_record() {
    let dir = case_dir(MINIMAL_CASE);
    build(dir.path());
    let out = run(dir.path(), &["verify", "letter.pdf", "case.toml"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("match:"), "{}", out.stdout);
    assert!(out.stdout.contains("\"case_sha256\""), "{}", out.stdout);
    // Without the case: the record only.
    let out = run(dir.path(), &["verify", "letter.pdf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"library_version\""), "{}", out.stdout);
}

#[test]
fn verify_names_a_changed_case() {
    let dir = case_dir(MINIMAL_CASE);
    build(dir.path());
    let changed = MINIMAL_CASE.replace("in a car wash", "in a car park");
    assert_ne!(changed, MINIMAL_CASE);
    std::fs::write(dir.path().join("case.toml"), changed).unwrap();
    let out = run(dir.path(), &["verify", "letter.pdf", "case.toml"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("case changed"), "{}", out.stdout);
    assert!(!out.stdout.contains("library changed"), "{}", out.stdout);
    assert!(out.stdout.contains("vtsdraft diff"), "{}", out.stdout);
}

#[test]
fn verify_names_a_changed_library() {
    let dir = case_dir(MINIMAL_CASE);
    build(dir.path());
    let clauses = dir.path().join("clauses");
    crate::support::copy_dir(&root().join("clauses"), &clauses);
    let file = clauses.join("framework/fw.intro_request.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{}\nWe add one sentence.\n", text.trim_end()),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["verify", "letter.pdf", "case.toml", "--clauses", "clauses"],
    );
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("library changed"), "{}", out.stdout);
    assert!(!out.stdout.contains("case changed"), "{}", out.stdout);
    assert!(out.stdout.contains("--clauses-old"), "{}", out.stdout);
}

#[test]
fn verify_fails_with_2_on_a_file_without_a_record() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("letter.pdf"), b"not a pdf").unwrap();
    let out = run(dir.path(), &["verify", "letter.pdf", "case.toml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("letter.pdf"), "{}", out.stderr);
}

#[test]
fn the_record_lists_the_clauses_explain_selects() {
    let dir = case_dir(MINIMAL_CASE);
    let bytes = build(dir.path());
    let record = vtsdraft::provenance::read(&bytes).unwrap();
    let out = run(dir.path(), &["explain", "case.toml", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let explained: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let selected: Vec<String> = explained["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}@{}", d["id"].as_str().unwrap(), d["version"]))
        .collect();
    assert!(!selected.is_empty());
    assert_eq!(record.clauses, selected);
}

#[test]
fn pdf_standard_flag_chooses_the_standard_and_verify_rebuilds_to_it() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "b.pdf",
            "--pdf-standard",
            "a-3b",
            "--pdf-standard",
            "ua-1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(dir.path().join("b.pdf")).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("<pdfaid:part>3</pdfaid:part>"));
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"));
    let record = vtsdraft::provenance::read(&bytes).unwrap();
    assert_eq!(record.pdf_standards, ["PDF/A-3b", "PDF/UA-1"]);
    let out = run(dir.path(), &["verify", "b.pdf", "case.toml"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);

    // PDF/A-2 allows no attachments: the letter is built, without a record, and says so.
    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "a2.pdf",
            "--pdf-standard",
            "a-2b",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("no provenance record"),
        "{}",
        out.stderr
    );
    let bytes = std::fs::read(dir.path().join("a2.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(vtsdraft::provenance::read(&bytes).is_err());
}

#[test]
fn impossible_pdf_standard_combinations_are_refused() {
    let dir = case_dir(MINIMAL_CASE);
    for (flags, needle) in [
        (&["a-2b", "a-3b"][..], "cannot conform to both"),
        (&["none", "ua-1"][..], "cannot be combined"),
        (&["a-1b"][..], "[possible values: a-2b, a-3b, ua-1, none]"),
    ] {
        let mut args = vec!["build", "case.toml", "-o", "x.pdf"];
        for flag in flags {
            args.extend(["--pdf-standard", flag]);
        }
        let out = run(dir.path(), &args);
        assert_eq!(out.code, 1, "{flags:?}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{flags:?}: {}", out.stderr);
        assert!(!dir.path().join("x.pdf").exists());
    }
}

#[test]
fn a_usage_error_in_verify_is_exit_2_not_1() {
    let out = crate::support::run(
        &crate::support::root(),
        &["verify", "--no-such-flag", "a.pdf"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}
