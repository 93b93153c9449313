//! `vtsdraft absorb`: a DOCX exported, edited as Word and LibreOffice edit (a reworded
//! paragraph, a deleted paragraph, a clause deleted whole, a tracked insertion and deletion, a
//! new paragraph), absorbed into the case file, and rebuilt: the letter then reads as the edited
//! document does, and the case file keeps its comments.

use std::io::{Read as _, Write as _};
use std::path::Path;

use vtsdraft::absorb::word;

use crate::support::{root, run};

/// The parts of a DOCX, by name, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_string(), data)
        })
        .collect()
}

fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `docx` with `edit` applied to its `word/document.xml`.
fn edit_document(docx: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut parts = unzip(docx);
    for (name, data) in &mut parts {
        if name == "word/document.xml" {
            *data = edit(String::from_utf8(data.clone()).unwrap()).into_bytes();
        }
    }
    zip_parts(&parts)
}

/// The byte range of the one `<w:p>` element whose text contains `needle`.
fn paragraph_with(xml: &str, needle: &str) -> std::ops::Range<usize> {
    assert_eq!(xml.matches(needle).count(), 1, "`{needle}` must occur once");
    let at = xml.find(needle).unwrap();
    let start = xml[..at]
        .rfind("<w:p>")
        .into_iter()
        .chain(xml[..at].rfind("<w:p "))
        .max()
        .unwrap();
    let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
    start..end
}

/// The edits a solicitor makes, written as Word writes them.
fn edit_as_a_solicitor(xml: String) -> String {
    let mut xml = xml;
    // 1. A reworded paragraph (the second of `rec.needs_not_met_abroad`).
    xml = xml.replace(
        "Nothing in the evidence shows that the treatment",
        "No evidence before the Home Office shows that the treatment",
    );
    // 2. One paragraph of a two-paragraph clause deleted (`ps.home_office_delay`).
    let r = paragraph_with(&xml, "has waited a long time for the Home Office");
    xml.replace_range(r, "");
    // 3. A whole clause deleted (`fw.defer_pending_evidence`: two paragraphs).
    for needle in [
        "Among the documents still to come, listed above",
        "defer the decision until that evidence",
    ] {
        let r = paragraph_with(&xml, needle);
        xml.replace_range(r, "");
    }
    // 4. A tracked insertion at the end of a paragraph.
    let r = paragraph_with(
        &xml,
        "it identifies the evidence the Home Office finds most helpful",
    );
    let close = r.end - "</w:p>".len();
    xml.insert_str(
        close,
        r#"<w:ins w:id="9001" w:author="A. Solicitor" w:date="2026-11-30T10:00:00Z"><w:r><w:t xml:space="preserve"> We rely on all of it.</w:t></w:r></w:ins>"#,
    );
    // 5. A tracked deletion inside a run.
    xml = xml.replace(
        "be taken into account when they arrive, and that",
        r#"be taken into account</w:t></w:r><w:del w:id="9002" w:author="A. Solicitor" w:date="2026-11-30T10:00:00Z"><w:r><w:delText xml:space="preserve"> when they arrive</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">, and that"#,
    );
    // 6. A new paragraph typed after the last paragraph of `rec.support_needs_rna`, with an
    //    italic phrase and characters the clause markup would otherwise act on.
    let r = paragraph_with(&xml, "For confirmed adult victims, support after");
    xml.insert_str(
        r.end,
        r#"<w:p><w:pPr><w:pStyle w:val="VtsNumbered"/></w:pPr><w:r><w:t xml:space="preserve">Her support worker has seen her weekly since 2024 and calls the support </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>indispensable</w:t></w:r><w:r><w:t xml:space="preserve"> [her word] - it is 100% of what keeps her going: #1 *priority* {{client}}.</w:t></w:r></w:p>"#,
    );
    xml
}

/// The paragraphs of a Word file as a reader sees them: text only, empty ones left out.
fn reading(docx: &[u8]) -> Vec<String> {
    word::read(docx)
        .unwrap()
        .paragraphs
        .iter()
        .filter(|p| !p.deleted)
        .map(word::Para::plain)
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Exports the example case to DOCX in `dir`, with its comments and layout as written.
fn exported(dir: &Path) -> Vec<u8> {
    std::fs::copy(
        root().join("examples/g-o-thin/case.toml"),
        dir.join("case.toml"),
    )
    .unwrap();
    let out = run(
        dir,
        &["build", "case.toml", "-o", "letter.pdf", "--emit", "docx"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::read(dir.join("letter.docx")).unwrap()
}

/// Absorbs `edited` (written to `name` in `dir`), rebuilds, and checks the rebuilt letter reads
/// as the edited document does. Returns absorb's standard output and the rebuilt letter's text.
fn absorb_and_rebuild(dir: &Path, name: &str, edited: &[u8]) -> (String, String) {
    std::fs::write(dir.join(name), edited).unwrap();
    let out = run(dir, &["absorb", "case.toml", name]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let after = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    // Edited in place: the example as written is all still there, comments included, and the
    // instructions follow it.
    let example = std::fs::read_to_string(root().join("examples/g-o-thin/case.toml")).unwrap();
    assert!(after.starts_with(example.trim_end()), "{after}");

    let rebuilt = run(
        dir,
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--emit",
            "docx",
            "--force",
        ],
    );
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let rebuilt = std::fs::read(dir.join("letter.docx")).unwrap();
    let (want, got) = (reading(edited), reading(&rebuilt));
    if want != got {
        let (w, g) = (want.join("\n") + "\n", got.join("\n") + "\n");
        let diff = similar::TextDiff::from_lines(&w, &g);
        panic!(
            "the rebuilt letter does not read as the edited document:\n{}",
            diff.unified_diff()
        );
    }
    // Absorbing the rebuilt letter finds nothing more to do.
    std::fs::write(dir.join("again.docx"), &rebuilt).unwrap();
    let again = run(dir, &["absorb", "case.toml", "again.docx"]);
    assert_eq!(
        again.stdout,
        "nothing to absorb: the paragraphs of again.docx read as the letter does\n"
    );
    (out.stdout, got.join("\n"))
}

/// The tracked changes of [`edit_as_a_solicitor`] are in the letter as accepted (checked on the
/// text itself, not only through the reader both sides share).
fn tracked_changes_taken(letter: &str) {
    assert!(letter.contains("finds most helpful, but it does not make a registered professional’s report a condition of a grant, and it does not permit the other evidence to be disregarded. The statutory question is whether leave is necessary to assist Ms Okonkwo’s recovery, and it must be answered on all the evidence, including the clinical evidence that is on its way. We rely on all of it."), "{letter}");
    assert!(
        !letter.contains("when they arrive"),
        "the tracked deletion is taken"
    );
}

#[test]
fn word_edits_come_back_as_drafting_instructions_and_a_rebuild_reproduces_them() {
    let dir = tempfile::tempdir().unwrap();
    let docx = exported(dir.path());
    let edited = edit_document(&docx, edit_as_a_solicitor);
    let (stdout, letter) = absorb_and_rebuild(dir.path(), "edited.docx", &edited);
    tracked_changes_taken(&letter);
    assert_eq!(
        stdout,
        "absorbed from edited.docx:
  replace `rec.diagnosis_awaited@2`: 1 paragraph reworded
  add after `rec.support_needs_rna@2`: 1 paragraph added
  replace `rec.needs_not_met_abroad@2`: 1 paragraph reworded
  replace `ps.home_office_delay@3`: 1 paragraph deleted
  replace `fw.evidence_to_follow@1`: 1 paragraph reworded
  omit `fw.defer_pending_evidence@3`: 2 paragraphs deleted
tracked changes: 1 insertion(s) and 1 deletion(s), taken as accepted
wrote case.toml (6 drafting change(s)); build the letter again (`vtsdraft build case.toml -o …`) for this wording
"
    );
    let case = std::fs::read_to_string(dir.path().join("case.toml")).unwrap();
    // The new paragraph keeps its italic and its characters, escaped for the markup.
    assert!(
        case.contains(r"calls the support *indispensable* \[her word\] - it is 100% of what keeps her going: #1 \*priority\* \{\{client\}\}."),
        "{case}"
    );
    // The reworded clause keeps its citation and evidence reference live.
    assert!(case.contains(r#"({{cite "naba_s65_4a"}})"#), "{case}");
    // The omitted clause says why.
    assert!(case.contains("reason = \"deleted in edited.docx\""));
    // `explain` shows the instructions.
    let explain = run(dir.path(), &["explain", "case.toml"]);
    assert!(
        explain.stdout.contains(
            "  6. leaves out `fw.defer_pending_evidence@3`\n     because deleted in edited.docx\n"
        ),
        "{}",
        explain.stdout
    );
}

#[test]
fn edits_to_the_solicitors_own_paragraphs_change_their_instructions() {
    let dir = tempfile::tempdir().unwrap();
    let docx = exported(dir.path());
    // First round: a new paragraph after one clause and a clause reworded.
    let first = edit_document(&docx, |xml| {
        let xml = xml.replace(
            "Nothing in the evidence shows that the treatment",
            "No evidence shows that the treatment",
        );
        let mut xml = xml;
        let r = paragraph_with(&xml, "For confirmed adult victims, support after");
        xml.insert_str(
            r.end,
            r#"<w:p><w:r><w:t>A first paragraph of our own.</w:t></w:r></w:p>"#,
        );
        xml
    });
    absorb_and_rebuild(dir.path(), "first.docx", &first);
    // Second round, on the rebuilt letter: the own paragraph reworded, the replaced clause's
    // text deleted entirely.
    let rebuilt = std::fs::read(dir.path().join("letter.docx")).unwrap();
    let second = edit_document(&rebuilt, |xml| {
        let mut xml = xml.replace(
            "A first paragraph of our own.",
            "Our own paragraph, reworded.",
        );
        for needle in [
            "The country in question is Nigeria.",
            "Section 65(4)(a) provides",
            "By way of illustration only",
        ] {
            let r = paragraph_with(&xml, needle);
            xml.replace_range(r, "");
        }
        xml
    });
    let (stdout, _) = absorb_and_rebuild(dir.path(), "second.docx", &second);
    assert_eq!(
        stdout,
        "absorbed from second.docx:
  drafting instruction 1 (`add`) takes the new wording: 1 paragraph reworded
  drafting instruction 2 (`replace`) becomes `omit`: all its paragraphs were deleted
wrote case.toml (2 drafting change(s)); build the letter again (`vtsdraft build case.toml -o …`) for this wording
"
    );
}

#[test]
fn a_word_file_vtsdraft_did_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let docx = exported(dir.path());
    let stripped = edit_document(&docx, |xml| xml.replace("w:name=\"_vts", "w:name=\"other"));
    std::fs::write(dir.path().join("other.docx"), stripped).unwrap();
    std::fs::write(dir.path().join("not.docx"), b"not a zip").unwrap();
    let before = std::fs::read_to_string(dir.path().join("case.toml")).unwrap();
    let out = run(dir.path(), &["absorb", "case.toml", "other.docx"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: cannot absorb `other.docx`: it has none of the marks vtsdraft puts on a letter's paragraphs, so it was not exported by vtsdraft (or the marks were removed)\n  --> other.docx:1:1\n  hint: give the .docx that `vtsdraft build --emit docx` wrote, after editing it in Word or LibreOffice\n\n"
    );
    let out = run(dir.path(), &["absorb", "case.toml", "not.docx"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: cannot absorb `not.docx`: it is not a Word (.docx) file:"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("case.toml")).unwrap(),
        before
    );
}

/// Word files come back from other programs rewritten: styles renamed, runs split, page breaks
/// moved into runs. The same edits, saved again by LibreOffice, absorb to the same letter.
#[test]
fn a_round_trip_through_libreoffice_absorbs_the_same_edits() {
    let dir = tempfile::tempdir().unwrap();
    let docx = exported(dir.path());
    let edited = edit_document(&docx, edit_as_a_solicitor);
    let staged = dir.path().join("staged");
    std::fs::create_dir(&staged).unwrap();
    std::fs::write(staged.join("edited.docx"), &edited).unwrap();
    let converted = dir.path().join("converted");
    crate::support::libreoffice_convert(
        &staged.join("edited.docx"),
        "docx:MS Word 2007 XML",
        &converted,
        dir.path(),
    );
    let rewritten = std::fs::read(converted.join("edited.docx")).unwrap();
    assert_ne!(rewritten, edited, "LibreOffice rewrote the file");
    let (stdout, letter) = absorb_and_rebuild(dir.path(), "edited.docx", &rewritten);
    tracked_changes_taken(&letter);
    assert!(
        stdout.contains("omit `fw.defer_pending_evidence@3`: 2 paragraphs deleted"),
        "{stdout}"
    );
    assert!(stdout.contains("add after `rec.support_needs_rna@2`: 1 paragraph added"));
}

/// What cannot be mapped to a clause is kept, at the nearest place, and listed; a table edit,
/// which cannot be absorbed, is said so.
#[test]
fn paragraphs_outside_the_body_are_kept_and_listed_and_table_edits_reported() {
    let dir = tempfile::tempdir().unwrap();
    let docx = exported(dir.path());
    let edited = edit_document(&docx, |xml| {
        let mut xml = xml;
        // A paragraph typed between the subject line and the first heading.
        let heading = xml.find(r#"w:name="_vts_s_request""#).unwrap();
        let start = xml[..heading].rfind("<w:p ").unwrap();
        xml.insert_str(
            start,
            r#"<w:p><w:r><w:t>Please treat this request as urgent.</w:t></w:r></w:p>"#,
        );
        // A chronology cell changed.
        xml.replacen(">Client born<", ">Client born in Lagos<", 1)
    });
    assert!(
        word::read(&edited).unwrap().tables[0].contains("Client born in Lagos"),
        "the table edit is in the edited file"
    );
    std::fs::write(dir.path().join("edited.docx"), &edited).unwrap();
    let out = run(dir.path(), &["absorb", "case.toml", "edited.docx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "absorbed from edited.docx:
  add at the start of section `request`: 1 paragraph added
could not map 1 paragraph(s) to a clause; each is kept as an added paragraph:
  \"Please treat this request as urgent.\" (before the first section: kept at the start of the letter's first section)
not absorbed: a table (the chronology or the evidence index) was edited: the tables are made from the facts, so change the case's facts or evidence list instead
wrote case.toml (1 drafting change(s)); build the letter again (`vtsdraft build case.toml -o …`) for this wording
"
    );
    let explain = run(dir.path(), &["explain", "case.toml"]);
    assert!(
        explain.stdout.contains(
            "  1. adds the solicitor's text at the start of section `request`\n     paragraphs 1\n"
        ),
        "{}",
        explain.stdout
    );
}
