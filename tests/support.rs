//! Shared test helpers: running the binary, temporary case files, golden files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use vtsdraft::Toolkit;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built-in library and engine, loaded once for the whole test binary.
pub fn toolkit() -> &'static Toolkit {
    static TOOLKIT: OnceLock<Toolkit> = OnceLock::new();
    TOOLKIT.get_or_init(|| Toolkit::new(None).expect("the shipped clause library loads"))
}

/// The example case folders, by name.
pub fn examples() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("case.toml").exists())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path().join("case.toml"),
            )
        })
        .collect();
    out.sort();
    out
}

/// The extra fixture cases (`tests/fixtures/*.toml`), by name.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The result of running the binary.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `vtsdraft` with `args` in `dir`, with no configuration file (whatever the user running
/// the tests has in theirs).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[("VTSDRAFT_CONFIG", "")])
}

/// Runs `vtsdraft` with `args` in `dir` and these environment variables; `VTSDRAFT_CONFIG` is
/// unset unless given.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vtsdraft"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("VTSDRAFT_CONFIG");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("the binary runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A small, complete, valid case; tests change one thing in it.
pub const MINIMAL_CASE: &str = r#"
[matter]
reference = "TEST-0001"
letter_mode = "pre_decision"
letter_date = 2026-11-16

[representative]
firm_name = "Example Law LLP"
address = ["1 Example Street", "London", "EC1A 1AA"]
regulator = "sra"
regulator_number = "000000"
fee_earner = "A. Solicitor"

[client]
full_name = "Ana Example"
title = "Ms"
pronouns = "she"
dob_claimed = 1995-01-15
nationality = ["Albania"]

[nrm.cg_decision]
outcome = "positive"
date = 2026-06-01
exploitation_types = ["labour"]
countries = ["United Kingdom"]

[[exploitation.episodes]]
kind = "labour"
countries = ["United Kingdom"]
start = "2022-03"
end = "2023-09"
in_uk = true
summary = "Made to work without pay in a car wash."

[[health.conditions]]
name = "post-traumatic stress disorder"
kind = "psychological"
evidence = "gp"
linked_to_exploitation = true

[[health.treatments]]
kind = "therapy"
description = "trauma-focused therapy"
status = "ongoing"
start = "2026-05"

[[evidence]]
id = "cg"
doc_type = "cg_decision"
description = "Conclusive grounds decision"
date = 2026-06-01
status = "enclosed"
supports = ["framework"]

[[evidence]]
id = "gp"
doc_type = "gp_letter"
description = "Letter from GP"
author = "Dr B. Example"
registration = { body = "gmc", number = "0000000" }
date = 2026-09-01
status = "enclosed"
supports = ["recovery"]
"#;

/// `text` as the letter sets it (typographic quotes, dates kept whole): what case text looks like
/// in a letter.
pub fn typeset(text: &str) -> String {
    vtsdraft::assembly::typography::set_text(text)
}

/// The letter's paragraphs and list items (not its tables), one block a line.
pub fn body_text(document: &vtsdraft::assembly::Document) -> String {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| !matches!(b, vtsdraft::assembly::Block::Table(_)))
        .map(|b| b.plain_text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The chronology's rows, cells joined by ` | `, no-break spaces as spaces.
pub fn chronology_rows(document: &vtsdraft::assembly::Document) -> Vec<String> {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            vtsdraft::assembly::Block::Table(t) if t.name == "chronology" => Some(t),
            _ => None,
        })
        .expect("the letter has a chronology")
        .rows
        .iter()
        .map(|r| r.join(" | ").replace('\u{a0}', " "))
        .collect()
}

/// LibreOffice's command, which `.ci/test` installs.
pub fn soffice() -> &'static str {
    ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("LibreOffice is installed by .ci/test")
}

/// Converts `input` with LibreOffice (`to`: `pdf`, or `docx:MS Word 2007 XML`) into `outdir`,
/// with a profile of its own inside `work` (so tests can run side by side).
pub fn libreoffice_convert(input: &Path, to: &str, outdir: &Path, work: &Path) {
    let out = Command::new(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .expect("soffice runs");
    assert!(out.status.success(), "{out:?}");
}

/// A temporary folder holding `case.toml` with `text`.
pub fn case_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), text).unwrap();
    dir
}

/// Compares `actual` with the golden file, or rewrites it when `UPDATE_GOLDEN=1`.
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!(
            "{} differs from the golden file (UPDATE_GOLDEN=1 to accept):\n{}",
            path.display(),
            diff.unified_diff().context_radius(2)
        );
    }
}

/// The text of a PDF, whitespace collapsed (line breaks and hyphenation removed).
pub fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text can be extracted");
    text.replace("-\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The PDF declares PDF/A-3a (the default: part 3 allows the provenance attachment) and
/// PDF/UA-1 in its XMP, British English, and is tagged.
pub fn assert_pdf_a3a_and_ua(bytes: &[u8]) {
    let raw = String::from_utf8_lossy(bytes);
    assert!(
        raw.contains("<pdfaid:part>3</pdfaid:part>"),
        "not declared PDF/A part 3"
    );
    for needle in [
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<rdf:li>en-GB</rdf:li>",
        "/StructTreeRoot",
        "/MarkInfo",
    ] {
        assert!(raw.contains(needle), "missing {needle}");
    }
}

/// An internal link in a PDF: the page it is on and where it goes (pages counted from 0).
#[derive(Debug, Clone, PartialEq)]
pub struct InternalLink {
    pub page: usize,
    pub dest_page: usize,
    /// The destination's height on its page, in points from the bottom (`/XYZ` top).
    pub dest_y: f32,
}

/// Every `/Link` annotation of a PDF, read with lopdf: internal ones (an explicit `/Dest`, or a
/// `GoTo` action) resolved to their page and height; the count of any others.
pub fn internal_links(bytes: &[u8]) -> (Vec<InternalLink>, usize) {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    let deref = |o: &Object| -> Object {
        match o {
            Object::Reference(id) => doc.get_object(*id).expect("reference resolves").clone(),
            other => other.clone(),
        }
    };
    let number = |o: &Object| -> f32 {
        match o {
            Object::Integer(i) => *i as f32,
            Object::Real(r) => *r,
            other => panic!("not a number: {other:?}"),
        }
    };
    let mut links = Vec::new();
    let mut other = 0;
    for (page_index, page_id) in pages.iter().enumerate() {
        let page = doc.get_dictionary(*page_id).unwrap();
        let Ok(annots) = page.get(b"Annots") else {
            continue;
        };
        for annot in deref(annots).as_array().unwrap() {
            let annot = deref(annot);
            let annot = annot.as_dict().unwrap();
            if annot.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link".as_slice()) {
                continue;
            }
            let dest = match annot.get(b"Dest") {
                Ok(d) => Some(deref(d)),
                Err(_) => annot.get(b"A").ok().map(&deref).and_then(|a| {
                    let a = a.as_dict().ok()?.clone();
                    (a.get(b"S").and_then(Object::as_name).ok() == Some(b"GoTo".as_slice()))
                        .then(|| a.get(b"D").ok().map(&deref))
                        .flatten()
                }),
            };
            let Some(Object::Array(dest)) = dest else {
                other += 1;
                continue;
            };
            let target = dest[0]
                .as_reference()
                .expect("destination names a page object");
            links.push(InternalLink {
                page: page_index,
                dest_page: pages
                    .iter()
                    .position(|p| *p == target)
                    .expect("destination is a page of this PDF"),
                dest_y: dest.get(3).map_or(0.0, number),
            });
        }
    }
    (links, other)
}

/// The anchors of a document's evidence links in reading order (references in the text, and the
/// chronology's "Tab N" cells), and those of the rows they can point at (the evidence index's).
pub fn evidence_links(document: &vtsdraft::assembly::Document) -> (Vec<String>, Vec<String>) {
    use vtsdraft::assembly::{Block, Inline};
    fn walk(content: &[Inline], out: &mut Vec<String>) {
        for inline in content {
            match inline {
                Inline::Evidence { parts, .. } => {
                    out.extend(parts.iter().filter_map(|p| p.anchor.clone()));
                }
                Inline::Emph(c) | Inline::Strong(c) | Inline::Cite { content: c, .. } => {
                    walk(c, out);
                }
                Inline::Text(_) | Inline::Break => {}
            }
        }
    }
    let (mut links, mut rows) = (Vec::new(), Vec::new());
    for section in &document.sections {
        for block in &section.blocks {
            match block {
                Block::Para { content, .. } => walk(content, &mut links),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, &mut links)),
                Block::Table(t) => {
                    links.extend(t.links.iter().flatten().cloned());
                    rows.extend(t.anchors.iter().flatten().cloned());
                }
            }
        }
    }
    (links, rows)
}

/// Copies a folder tree (a clause library to change in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The names of the files in `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A folder `cases/` in `dir` holding `n` valid cases, `c00.toml`…, with references
/// `KILL-00`… (for runs that are killed part-way).
pub fn numbered_cases(dir: &Path, n: usize) -> PathBuf {
    let cases = dir.join("cases");
    std::fs::create_dir(&cases).unwrap();
    for i in 0..n {
        std::fs::write(
            cases.join(format!("c{i:02}.toml")),
            MINIMAL_CASE.replace("TEST-0001", &format!("KILL-{i:02}")),
        )
        .unwrap();
    }
    cases
}

/// A folder `cases/` in `dir` holding two valid cases, `one.toml` and `two.toml`, for batch runs.
pub fn two_case_folder(dir: &Path) -> PathBuf {
    let cases = dir.join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::write(cases.join("one.toml"), MINIMAL_CASE).unwrap();
    std::fs::write(
        cases.join("two.toml"),
        MINIMAL_CASE.replace("TEST-0001", "TEST-0002"),
    )
    .unwrap();
    cases
}
