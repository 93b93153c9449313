//! The solicitor's drafting instructions: each kind alone and together (golden `explain` and
//! letter source), numbering and citations after adding and leaving out, the reviewer's notes,
//! the provenance hash, stale and broken instructions, and hostile text.

use std::path::{Path, PathBuf};

use vtsdraft::Prepared;
use vtsdraft::assembly::{Block, Origin};

use crate::support::{golden, root, run, toolkit};

/// The example the instructions are written against.
fn base() -> String {
    std::fs::read_to_string(root().join("examples/g-o-thin/case.toml")).unwrap()
}

/// A folder with `case.toml`: the example with `drafting` appended.
fn case_with(drafting: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.toml");
    std::fs::write(&path, format!("{}\n{drafting}", base())).unwrap();
    (dir, path)
}

fn prepare(path: &Path) -> Prepared {
    vtsdraft::prepare(toolkit(), path, None).unwrap_or_else(|e| panic!("{e:#?}"))
}

/// The paragraphs (and list items) of the letter, as text, each with its number or `-`.
fn paragraphs(p: &Prepared) -> Vec<String> {
    let mut out = Vec::new();
    for block in p.document.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            Block::Para { number, .. } => out.push(format!("{number}. {}", block.plain_text())),
            Block::List { items, .. } => {
                for item in items {
                    let text: String = item
                        .iter()
                        .map(vtsdraft::assembly::Inline::plain_text)
                        .collect();
                    out.push(format!("- {text}"));
                }
            }
            Block::Table(_) => {}
        }
    }
    out
}

const ADD_AFTER: &str = r#"
[[drafting]]
action = "add"
clause = "rec.waiting_list"
version = 2
text = """
Ms O. has told us that the waiting list has been the hardest part of her recovery {{tab "talking-therapy-letter"}}. The purpose of the recovery ground is forward-looking ({{cite "naba_s65_2a"}}).

- she attends every appointment offered;
- she has asked to be told of any cancellation.
"""
"#;

const ADD_AT_SECTION: &str = r#"
[[drafting]]
action = "add"
section = "conclusion"
place = "start"
text = "We are grateful for the time taken to consider these representations."
"#;

const REPLACE: &str = r#"
[[drafting]]
action = "replace"
clause = "ps.destitution_without_status"
version = 2
text = "Without status Ms O. cannot work or rent, and she would again depend on others for her basic needs."
"#;

const OMIT: &str = r#"
[[drafting]]
action = "omit"
clause = "fw.defer_pending_evidence"
version = 2
reason = "the client wants a decision now rather than a deferral"
"#;

const INCLUDE: &str = r#"
[[drafting]]
action = "include"
clause = "rec.return_undermines_recovery"
version = 1
reason = "her therapist said in conference that return would undo her progress"
"#;

/// Each kind of instruction alone, then all together: the golden explanation and letter source
/// show where each lands and how it is explained.
#[test]
fn each_instruction_kind_alone_and_combined_matches_golden_files() {
    let combined = [ADD_AFTER, REPLACE, OMIT, INCLUDE, ADD_AT_SECTION].concat();
    for (name, drafting) in [
        ("drafting-add-after", ADD_AFTER),
        ("drafting-add-at-section", ADD_AT_SECTION),
        ("drafting-replace", REPLACE),
        ("drafting-omit", OMIT),
        ("drafting-include", INCLUDE),
        ("drafting-combined", combined.as_str()),
    ] {
        let (dir, path) = case_with(drafting);
        let p = prepare(&path);
        let prefix = format!("{}/", dir.path().display());
        let explain = vtsdraft::cli::explain::text(&p, &toolkit().library).replace(&prefix, "");
        golden(&format!("{name}.explain.txt"), &explain);
        golden(
            &format!("{name}.typ"),
            vtsdraft::render::typst_source(&p.document).body(),
        );
    }
}

#[test]
fn added_text_lands_after_its_clause_and_numbering_follows() {
    let plain = prepare(&root().join("examples/g-o-thin/case.toml"));
    let (_dir, path) = case_with(ADD_AFTER);
    let added = prepare(&path);
    let before = paragraphs(&plain);
    let after = paragraphs(&added);
    // One numbered paragraph and two list items more.
    assert_eq!(after.len(), before.len() + 3);
    let at = after
        .iter()
        .position(|p| p.contains("waiting list has been the hardest part"))
        .expect("the added paragraph is in the letter");
    // It follows the last line of `rec.waiting_list` ("A referral is itself a clinical
    // judgment…"), and every later number moved up by one.
    assert!(after[at - 1].contains("A referral is itself a clinical judgment"));
    assert_eq!(after[at + 1], "- she attends every appointment offered;");
    let numbers = |ps: &[String]| -> Vec<u32> {
        ps.iter()
            .filter_map(|p| p.split_once(". ")?.0.parse().ok())
            .collect()
    };
    let (nb, na) = (numbers(&before), numbers(&after));
    assert_eq!(na, (1..=nb.len() as u32 + 1).collect::<Vec<_>>());
    assert_eq!(
        after.last(),
        before
            .last()
            .map(|l| {
                let (n, rest) = l.split_once(". ").unwrap();
                format!("{}. {rest}", n.parse::<u32>().unwrap() + 1)
            })
            .as_ref()
    );
    // The evidence reference is live: the therapy letter's tab, as the index numbers it.
    assert!(
        after[at].contains("hardest part of her recovery (Tab 4)"),
        "{}",
        after[at]
    );
}

#[test]
fn leaving_out_a_clause_renumbers_and_moves_the_full_citation() {
    // `fw.holistic_victim_centred` is the first to cite PK (Ghana). An added paragraph that also
    // cites it, after the omitted clause, must then give the full citation: first use in the
    // letter as sent.
    let drafting = r#"
[[drafting]]
action = "omit"
clause = "fw.holistic_victim_centred"
version = 1
reason = "the framework is argued in our covering email"

[[drafting]]
action = "add"
section = "recovery"
place = "start"
text = "The protective reading in {{cite \"pk_ghana\"}} applies here. It is repeated in {{cite \"pk_ghana\" \"at [44]\"}}."
"#;
    let (_dir, path) = case_with(drafting);
    let p = prepare(&path);
    let text = paragraphs(&p).join("\n");
    assert!(
        !text.contains("take a broad, holistic and victim-centred approach"),
        "the omitted clause is gone"
    );
    assert!(
        text.contains(
            "The protective reading in R (PK (Ghana)) v Secretary of State for the Home Department [2018] EWCA Civ 98, [2018] 1 WLR 3955 applies here. It is repeated in PK (Ghana) at [44]."
        ),
        "{text}"
    );
    let numbers: Vec<u32> = paragraphs(&p)
        .iter()
        .filter_map(|l| l.split_once(". ")?.0.parse().ok())
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
    // Explain shows the clause as left out by the solicitor, not rejected by its condition.
    let explain = vtsdraft::cli::explain::text(&p, &toolkit().library);
    assert!(explain.contains(
        "  fw.holistic_victim_centred@1  [framework]  The decision must take a broad, holistic and victim-centred approach; 'necessary' read with the protective purpose (PK (Ghana))\n    left out by the solicitor (drafting instruction 1): the framework is argued in our covering email\n    on the facts it would be used: it is part of every letter\n"
    ), "{explain}");
}

#[test]
fn blocks_record_whose_words_they_are() {
    let (_dir, path) = case_with(&[ADD_AFTER, REPLACE].concat());
    let p = prepare(&path);
    let origins: Vec<(&str, &Origin)> = p
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Para { clause, origin, .. } | Block::List { clause, origin, .. }
                if !origin.is_library() =>
            {
                Some((clause.as_str(), origin))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        origins,
        vec![
            ("drafting#1", &Origin::Added { instruction: 1 }),
            ("drafting#1", &Origin::Added { instruction: 1 }),
            (
                "ps.destitution_without_status",
                &Origin::Replaced {
                    instruction: 2,
                    replaces: "ps.destitution_without_status@2".into()
                }
            ),
        ]
    );
}

#[test]
fn reviewers_copy_marks_the_solicitors_text() {
    let (_dir, path) = case_with(&[ADD_AFTER, REPLACE, OMIT].concat());
    let p = prepare(&path);
    let source = vtsdraft::render::review::typst_source(&p, &toolkit().library.version);
    let text = &source.text;
    assert!(
        text.contains(r#"clause: "solicitor's text", why: "drafting instruction 1""#),
        "the added paragraph's note"
    );
    assert!(text.contains(
        r#"clause: "solicitor's text, replaces ps.destitution_without_status@2", why: "drafting instruction 2""#
    ), "the replaced clause's note");
    assert!(text.contains(
        "left out by the solicitor (drafting instruction 3): the client wants a decision now rather than a deferral"
    ), "the appendix gives the omission and its reason");
}

#[test]
fn provenance_carries_a_hash_of_the_instructions_not_their_text() {
    let (_dir, path) = case_with(REPLACE);
    let p = prepare(&path);
    let record = vtsdraft::provenance::Record::new(toolkit(), &p, Default::default());
    let bytes = String::from_utf8(record.to_bytes()).unwrap();
    let hash = record
        .drafting_sha256
        .clone()
        .expect("the record has the hash");
    assert_eq!(hash.len(), 64);
    assert!(
        !bytes.contains("cannot work or rent"),
        "no free text: {bytes}"
    );
    // A changed instruction is a different hash, and `differences` names it.
    let (_dir2, path2) = case_with(&REPLACE.replace("basic needs", "daily needs"));
    let other = vtsdraft::provenance::Record::new(toolkit(), &prepare(&path2), Default::default());
    assert_ne!(other.drafting_sha256, record.drafting_sha256);
    let why: Vec<String> = record
        .differences(&other)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        why[0],
        "drafting changed: the solicitor's drafting instructions differ from those the letter was built with"
    );
    // Without instructions the record has no such field (older records still verify).
    let plain = prepare(&root().join("examples/g-o-thin/case.toml"));
    let plain = vtsdraft::provenance::Record::new(toolkit(), &plain, Default::default());
    assert!(
        !String::from_utf8(plain.to_bytes())
            .unwrap()
            .contains("drafting")
    );
}

/// Every problem with the instructions, in one `check`, each naming its line.
#[test]
fn broken_instructions_are_errors_naming_their_lines() {
    let drafting = r#"
[[drafting]]
action = "omit"
clause = "rec.waiting_lst"
version = 1
reason = "not needed"

[[drafting]]
action = "add"
section = "recovry"
place = "end"
text = "A paragraph."

[[drafting]]
action = "omit"
clause = "fw.defer_pending_evidence"

[[drafting]]
action = "add"
text = "Where does this go?"
"#;
    let (dir, _path) = case_with(drafting);
    let out = run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines = base().lines().count() + 1;
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            format!("case.toml:{}:10: error: drafting instruction 1 names clause `rec.waiting_lst`, which is not in the clause library [drafting[0].clause]", lines + 4),
            format!("case.toml:{}:11: error: drafting instruction 2: `recovry` is not a section of the letter [drafting[1].section]", lines + 10),
            format!("case.toml:{}:1: error: drafting instruction 3 (`omit`) needs a `reason`: why the clause is left out [drafting[2]]", lines + 14),
            format!("case.toml:{}:10: error: drafting instruction 3 does not say which version of `fw.defer_pending_evidence` it was written against [drafting[2].clause]", lines + 16),
            format!("case.toml:{}:1: error: drafting instruction 4 (`add`) says neither which clause it follows nor which section it goes in [drafting[3]]", lines + 18),
        ]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
        "{}",
        out.stderr
    );
    // The human form carries the hints.
    let human = run(dir.path(), &["check", "case.toml"]);
    assert!(
        human
            .stderr
            .contains("hint: did you mean `rec.waiting_list`?"),
        "{}",
        human.stderr
    );
    assert!(human.stderr.contains("hint: did you mean `recovery`?"));
    assert!(
        human
            .stderr
            .contains("hint: add `version = 3` (the version today)")
    );
}

/// A clause library in a temporary folder: the shipped one with `edit` applied to one file.
fn library_with(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&root().join("clauses"), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

#[test]
fn an_instruction_written_against_an_older_clause_warns_with_both_texts() {
    let library = library_with("personal_situation/ps.destitution_without_status.md", |t| {
        t.replace("version = 2", "version = 3")
    });
    let drafting = r#"
[[drafting]]
action = "replace"
clause = "ps.destitution_without_status"
version = 2
text = "Without status Ms O. cannot work or rent."
was = "The clause as it read when the solicitor replaced it."
"#;
    let (dir, _path) = case_with(drafting);
    let lib = library.path().to_str().unwrap();
    let out = run(dir.path(), &["check", "case.toml", "--clauses", lib]);
    assert_eq!(out.code, 0, "a warning, not an error: {}", out.stderr);
    let line = base().lines().count() + 6;
    let warning = out
        .stderr
        .split("\n\n")
        .find(|w| w.contains("stale-drafting") || w.contains("was written against"))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(warning.starts_with(
        "warning: drafting instruction 1 (`replace`) was written against `ps.destitution_without_status@2`; the clause library now has `ps.destitution_without_status@3`"
    ), "{warning}");
    assert!(warning.contains(&format!("case.toml:{line}:")), "{warning}");
    assert!(warning.contains(
        "hint: the clause then read: The clause as it read when the solicitor replaced it."
    ));
    assert!(warning.contains("hint: the clause now reads: Without leave, Ms Grace Ogechi Okonkwo cannot lawfully work"), "{warning}");
    assert!(
        warning.contains(
            "hint: check the instruction still does what you meant, then set `version = 3`"
        )
    );

    // `diff --clauses-old` lists the instruction among what the library change affects.
    let clauses = root().join("clauses");
    let diff = run(
        dir.path(),
        &[
            "diff",
            "case.toml",
            "--clauses-old",
            clauses.to_str().unwrap(),
            "--clauses",
            lib,
        ],
    );
    assert!(diff.stdout.contains(
        "  the solicitor's drafting instructions (1)\n    ~ 1. replace ps.destitution_without_status@2\n        written against `ps.destitution_without_status@2`; its clause changed in the library: `ps.destitution_without_status@2` → `ps.destitution_without_status@3`\n"
    ), "{}", diff.stdout);
}

#[test]
fn an_instruction_naming_a_renamed_clause_follows_it_and_says_so() {
    let library = library_with("recovery/rec.waiting_list.md", |t| {
        t.replace(
            "id = \"rec.waiting_list\"",
            "id = \"rec.treatment_waiting\"\nformerly = [\"rec.waiting_list\"]",
        )
    });
    let (dir, _path) = case_with(ADD_AFTER);
    let lib = library.path().to_str().unwrap();
    let out = run(dir.path(), &["explain", "case.toml", "--clauses", lib]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "  1. adds the solicitor's text after `rec.waiting_list@2`\n     paragraphs 19\n"
        ),
        "{}",
        out.stdout
    );
    let check = run(dir.path(), &["check", "case.toml", "--clauses", lib]);
    assert!(check.stderr.contains("warning: drafting instruction 1 names `rec.waiting_list`, which the clause library now calls `rec.treatment_waiting`"), "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("hint: write `clause = \"rec.treatment_waiting\"`")
    );
}

#[test]
fn instructions_that_change_nothing_are_warned_about() {
    let drafting = r#"
[[drafting]]
action = "omit"
clause = "rec.return_undermines_recovery"
version = 1
reason = "not our case"

[[drafting]]
action = "include"
clause = "rec.waiting_list"
version = 1
reason = "already there"
"#;
    let (dir, _path) = case_with(drafting);
    let out = run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warning: drafting instruction 1 leaves out `rec.return_undermines_recovery`, which the facts did not select anyway [drafting[0]]"), "{}", out.stderr);
    assert!(out.stderr.contains("warning: drafting instruction 2 brings in `rec.waiting_list`, which the facts already select [drafting[1]]"));
}

/// The solicitor's text is case text: whatever it holds prints as written, in the PDF and the
/// DOCX, and never becomes Typst code or markup.
#[test]
fn hostile_text_in_an_instruction_prints_literally() {
    let hostile = r##"#set page(fill: red) $x^2$ ] ) \u{41} <script>alert(1)</script> \*not emphasis\* \{{client}} @label 'quote'"##;
    let drafting = format!(
        "\n[[drafting]]\naction = \"add\"\nsection = \"request\"\nplace = \"start\"\ntext = '''{hostile}'''\n"
    );
    let (dir, _path) = case_with(&drafting);
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "letter.pdf", "--emit", "docx"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // As written, typeset as all case text is (typographic quotes).
    let expected = r##"#set page(fill: red) $x^2$ ] ) \u{41} <script>alert(1)</script> *not emphasis* {{client}} @label ‘quote’"##;
    let pdf = crate::support::pdf_text(&std::fs::read(dir.path().join("letter.pdf")).unwrap());
    assert!(pdf.contains(expected), "{pdf}");
    let docx = std::fs::read(dir.path().join("letter.docx")).unwrap();
    let body = vtsdraft::absorb::word::read(&docx).unwrap();
    assert!(
        body.paragraphs.iter().any(|p| p.plain() == expected),
        "the DOCX has the text as written"
    );
}

/// A letter built with drafting instructions verifies against its case; after an instruction
/// changes, `verify` says the drafting changed, and `diff` shows the change like any other.
#[test]
fn verify_and_diff_see_drafting_changes() {
    let (dir, _path) = case_with(REPLACE);
    let built = run(dir.path(), &["build", "case.toml", "-o", "letter.pdf"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let ok = run(dir.path(), &["verify", "letter.pdf", "case.toml"]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);

    let old = std::fs::read_to_string(dir.path().join("case.toml")).unwrap();
    std::fs::write(dir.path().join("old.toml"), &old).unwrap();
    std::fs::write(
        dir.path().join("case.toml"),
        format!("{}{OMIT}", old.replace("basic needs", "daily needs")),
    )
    .unwrap();
    let changed = run(dir.path(), &["verify", "letter.pdf", "case.toml"]);
    assert_eq!(changed.code, 1, "{}", changed.stdout);
    assert!(changed.stdout.contains("  drafting changed: the solicitor's drafting instructions differ from those the letter was built with\n"), "{}", changed.stdout);

    let diff = run(dir.path(), &["diff", "old.toml", "case.toml"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(diff.stdout.contains(
        "  the solicitor's drafting instructions (2)\n    ~ 1. replace ps.destitution_without_status@2\n        the instruction was changed\n    + 2. omit fw.defer_pending_evidence@2\n        the instruction was added\n"
    ), "{}", diff.stdout);
    // The reworded paragraph shows as a word change, and the omitted clause's paragraphs as
    // removed.
    assert!(
        diff.stdout.contains("[-basic-][+daily+] needs"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("- fw.defer_pending_evidence"),
        "{}",
        diff.stdout
    );
    // The redline's cover lists them too.
    let redline = run(
        dir.path(),
        &["diff", "old.toml", "case.toml", "--pdf", "redline.pdf"],
    );
    assert_eq!(redline.code, 1, "{}", redline.stderr);
    let text = crate::support::pdf_text(&std::fs::read(dir.path().join("redline.pdf")).unwrap());
    assert!(
        text.contains("drafting instructions (2)") && text.contains("the instruction was added"),
        "{text}"
    );
}

/// `check` warns about each enclosed document no paragraph refers to; a drafting instruction
/// that cites it (here, a sentence added by the solicitor) answers the warning.
#[test]
fn an_enclosed_document_the_letter_never_cites_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    // The example with the facts that cite its documents taken out: the letter then refers to
    // none of the four.
    let base: String =
        std::fs::read_to_string(root().join("examples/conviction-deportation/case.toml"))
            .unwrap()
            .lines()
            .filter(|l| {
                ![
                    "claim_evidence = ",
                    "order_evidence = ",
                    "evidence = \"sentencing-remarks\"",
                    "challenge_advice = ",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .map(|l| format!("{l}\n"))
            .collect();
    std::fs::write(dir.path().join("case.toml"), &base).unwrap();
    let out = run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let uncited: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("no paragraph of the letter refers to it"))
        .collect();
    assert_eq!(
        uncited,
        [
            "case.toml:195:6: warning: evidence `asylum-claim-record` (Tab 3) is enclosed, but no paragraph of the letter refers to it [evidence[2].id]",
            "case.toml:215:6: warning: evidence `deportation-order` (Tab 5) is enclosed, but no paragraph of the letter refers to it [evidence[4].id]",
            "case.toml:225:6: warning: evidence `sentencing-remarks` (Tab 6) is enclosed, but no paragraph of the letter refers to it [evidence[5].id]",
            "case.toml:235:6: warning: evidence `appeal-advice` (Tab 7) is enclosed, but no paragraph of the letter refers to it [evidence[6].id]",
        ]
    );
    let human = run(dir.path(), &["check", "case.toml"]);
    assert!(human.stderr.contains("hint: say what it shows in a drafting instruction (`{{tab \"deportation-order\"}}` gives its tab), record the fact it supports, or leave it out of the bundle"), "{}", human.stderr);
    std::fs::write(
        dir.path().join("case.toml"),
        format!("{base}\n[[drafting]]\naction = \"add\"\nsection = \"suitability\"\nplace = \"end\"\ntext = \"The deportation order is enclosed {{{{tab \\\"deportation-order\\\"}}}}.\"\n"),
    )
    .unwrap();
    let after = run(dir.path(), &["check", "case.toml", "--format", "short"]);
    assert!(
        !after
            .stderr
            .contains("`deportation-order` (Tab 5) is enclosed"),
        "{}",
        after.stderr
    );
    assert_eq!(
        after
            .stderr
            .matches("no paragraph of the letter refers to it")
            .count(),
        3
    );
}
