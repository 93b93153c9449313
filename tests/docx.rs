//! The Word output: real Word structure (heading styles, a numbering definition, tables with a
//! header row), case text as escaped text, byte-identical rebuilds, and reference styles.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use vtsdraft::assembly::{Block, Document};
use vtsdraft::docx::{DocxOptions, render};

use crate::support::{MINIMAL_CASE, case_dir, root, run, toolkit, two_case_folder};

/// Every part of a DOCX, by name.
pub fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        // The embedded fonts are binary parts; every other part is XML text.
        if entry.name().ends_with(".odttf") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        out.insert(entry.name().to_string(), text);
    }
    out
}

/// The text of every paragraph of a DOCX's document part, one line each.
pub fn docx_text(bytes: &[u8]) -> String {
    body(&parts(bytes)["word/document.xml"])
        .paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One `w:p` of `word/document.xml`.
#[derive(Debug, Default)]
struct Para {
    style: String,
    num_id: Option<String>,
    text: String,
    in_table: bool,
}

/// What the document part holds, read with a real XML parser (so it must be well-formed).
#[derive(Debug, Default)]
struct Body {
    paras: Vec<Para>,
    tables: usize,
    header_rows: usize,
    /// `w:anchor` of each internal hyperlink, in order.
    links: Vec<String>,
    /// `w:name` of each bookmark, in order.
    bookmarks: Vec<String>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .unwrap()
        .map(|a| String::from_utf8(a.value.into_owned()).unwrap())
}

fn body(xml: &str) -> Body {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Body::default();
    let mut current: Option<Para> = None;
    let mut in_text = false;
    let mut table_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .expect("document.xml is well-formed XML");
        match event {
            Event::Start(e) if e.name().as_ref() == b"w:p" => {
                current = Some(Para {
                    in_table: table_depth > 0,
                    ..Para::default()
                });
            }
            Event::Empty(e) if e.name().as_ref() == b"w:p" => out.paras.push(Para {
                in_table: table_depth > 0,
                ..Para::default()
            }),
            Event::End(e) if e.name().as_ref() == b"w:p" => out.paras.extend(current.take()),
            Event::Start(e) if e.name().as_ref() == b"w:tbl" => {
                table_depth += 1;
                out.tables += 1;
            }
            Event::End(e) if e.name().as_ref() == b"w:tbl" => table_depth -= 1,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:tblHeader" => {
                out.header_rows += 1;
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:pStyle" => {
                if let Some(p) = current.as_mut() {
                    p.style = attr(&e, "w:val").unwrap_or_default();
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:numId" => {
                if let Some(p) = current.as_mut() {
                    p.num_id = attr(&e, "w:val");
                }
            }
            Event::Start(e) if e.name().as_ref() == b"w:hyperlink" => {
                out.links.extend(attr(&e, "w:anchor"));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:bookmarkStart" => {
                out.bookmarks.extend(attr(&e, "w:name"));
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => {
                if let Some(p) = current.as_mut() {
                    p.text.push('\t');
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"w:br" => {
                if let Some(p) = current.as_mut() {
                    p.text.push('\n');
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = current.as_mut() {
                    p.text.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) if in_text => {
                let resolved = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().unwrap();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity &{name};"))
                            .to_string()
                    }
                };
                if let Some(p) = current.as_mut() {
                    p.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn prepare(case: &Path) -> vtsdraft::Prepared {
    vtsdraft::prepare(toolkit(), case, None).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn thi_h() -> Document {
    prepare(&root().join("examples/thi-h/case.toml")).document
}

#[test]
fn docx_has_word_structure_matching_the_pdf() {
    let document = thi_h();
    let bytes = render(&document, &DocxOptions::default()).unwrap();
    let parts = parts(&bytes);
    let body = body(&parts["word/document.xml"]);

    // Sections are Heading1 paragraphs, in the PDF's order.
    let headings: Vec<&str> = body
        .paras
        .iter()
        .filter(|p| p.style == "Heading1")
        .map(|p| p.text.as_str())
        .collect();
    let expected: Vec<&str> = document
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(headings, expected);
    assert!(parts["word/styles.xml"].contains(r#"w:styleId="Heading1""#));
    assert!(parts["word/styles.xml"].contains("Noto Serif"));

    // Numbered paragraphs: the same text, in order, each numbered by Word through one `num`
    // whose abstract definition is a decimal "%1." list.
    let numbered: Vec<&Para> = body
        .paras
        .iter()
        .filter(|p| p.style == "VtsNumbered")
        .collect();
    let paras: Vec<(u32, String)> = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Para { number, .. } => Some((*number, b.plain_text())),
            _ => None,
        })
        .collect();
    assert_eq!(numbered.len(), paras.len());
    assert!(paras.len() > 10);
    for (i, ((number, text), p)) in paras.iter().zip(&numbered).enumerate() {
        assert_eq!(*number as usize, i + 1, "the PDF numbers 1, 2, 3…");
        assert_eq!(&p.text, text, "paragraph {number}");
        assert_eq!(
            p.num_id.as_deref(),
            Some("2"),
            "paragraph {number} has w:numPr"
        );
    }
    assert!(!parts["word/document.xml"].contains(">1. "));
    let numbering = &parts["word/numbering.xml"];
    assert!(numbering.contains(r#"<w:abstractNum w:abstractNumId="2">"#));
    assert!(numbering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="2" />"#));
    assert!(numbering.contains(r#"<w:lvlText w:val="%1." />"#));

    // The chronology and the evidence index are Word tables with a header row.
    let tables = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    assert_eq!(tables, 2);
    assert_eq!(body.tables, tables);
    assert_eq!(body.header_rows, tables);
    let cells: Vec<&str> = body
        .paras
        .iter()
        .filter(|p| p.in_table)
        .map(|p| p.text.as_str())
        .collect();
    assert!(cells.contains(&"Date"), "{cells:?}");

    // The client, the flags box, the letterhead and the page-number fields.
    let all: String = body
        .paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("Nguyễn Thị Hoa"));
    let flags: Vec<&Para> = body
        .paras
        .iter()
        .filter(|p| p.style == "VtsFlags")
        .collect();
    assert_eq!(flags.len(), 1);
    assert!(flags[0].text.contains("VULNERABLE"));
    assert!(parts["word/header1.xml"].contains(&document.firm_name));
    let footer = &parts["word/footer1.xml"];
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"));
    assert!(parts["docProps/core.xml"].contains(&format!("{}T00:00:00Z", document.date_iso)));
}

#[test]
fn evidence_references_link_to_bookmarked_rows_of_the_evidence_index() {
    let document = prepare(&root().join("examples/child-at-decision/case.toml")).document;
    let (links, rows) = crate::support::evidence_links(&document);
    assert!(links.iter().any(|a| a.starts_with("ev-later-")));
    let body = body_of(&document);
    assert_eq!(body.links, links);
    // Leaving out the paragraph marks `absorb` reads (see the test below).
    let row_marks: Vec<String> = body
        .bookmarks
        .iter()
        .filter(|b| !b.starts_with(vtsdraft::docx::MARK_PREFIX))
        .cloned()
        .collect();
    assert_eq!(row_marks, rows);
    // The linked text reads as before: "(Tabs 4, 5 and 7)".
    assert!(
        body.paras
            .iter()
            .any(|p| p.text.contains("(Tabs 4, 5 and 7)")),
        "{:#?}",
        body.paras
    );
}

#[test]
fn case_names_in_citations_are_italic() {
    let document = thi_h();
    let xml =
        parts(&render(&document, &DocxOptions::default()).unwrap())["word/document.xml"].clone();
    assert!(
        xml.contains("<w:i />"),
        "citations with case names render italic runs"
    );
}

#[test]
fn the_embedded_fonts_are_the_bundled_faces_dated_as_the_letter() {
    // The font parts are compressed once per process and copied into each DOCX as they are:
    // each must still unpack (its checksum checked) to a bundled face under the key the font
    // table gives it, and carry the letter's date like every other part.
    let document = thi_h();
    let bytes = render(&document, &DocxOptions::default()).unwrap();
    let table = &parts(&bytes)["word/fontTable.xml"];
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let faces = vtsdraft::pdf::text_faces();
    let date: Vec<u16> = document
        .date_iso
        .split('-')
        .map(|p| p.parse().unwrap())
        .collect();
    for (i, style) in ["Regular", "Bold", "Italic", "BoldItalic"]
        .iter()
        .enumerate()
    {
        let mut entry = archive
            .by_name(&format!("word/fonts/font{}.odttf", i + 1))
            .unwrap();
        let stamp = entry.last_modified().unwrap();
        assert_eq!(
            (stamp.year(), stamp.month() as u16, stamp.day() as u16),
            (date[0], date[1], date[2])
        );
        let mut odttf = Vec::new();
        entry.read_to_end(&mut odttf).unwrap();
        // The key: `w:fontKey` of this style's `w:embed…` entry; the first 32 bytes are XORed
        // with its bytes, last first (ECMA-376 part 2, font obfuscation).
        let at = table.find(&format!("<w:embed{style} ")).unwrap();
        let key_at = at + table[at..].find("w:fontKey=\"{").unwrap() + 12;
        let hex: String = table[key_at..key_at + 36]
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect();
        let key: Vec<u8> = (0..16)
            .rev()
            .map(|j| u8::from_str_radix(&hex[2 * j..2 * j + 2], 16).unwrap())
            .collect();
        for (j, byte) in odttf.iter_mut().take(32).enumerate() {
            *byte ^= key[j % 16];
        }
        assert!(odttf == faces[i], "font{} is Noto Serif {style}", i + 1);
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let document = thi_h();
    // In one process (the writer numbers paragraphs with a per-thread counter)…
    let a = render(&document, &DocxOptions::default()).unwrap();
    let b = render(&document, &DocxOptions::default()).unwrap();
    assert!(a == b, "two renders in one process differ");
    // …and across runs of the binary.
    let dir = tempfile::tempdir().unwrap();
    let case = root().join("examples/thi-h/case.toml");
    let case = case.to_str().unwrap();
    for out in ["one.pdf", "two.pdf"] {
        let r = run(dir.path(), &["build", case, "-o", out, "--emit", "docx"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let one = std::fs::read(dir.path().join("one.docx")).unwrap();
    let two = std::fs::read(dir.path().join("two.docx")).unwrap();
    assert!(one == two, "two builds differ");
    assert!(a == one, "the library and the CLI differ");
}

#[test]
fn build_writes_docx_beside_the_pdf_and_refuses_to_overwrite() {
    let dir = case_dir(MINIMAL_CASE);
    let first = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--emit",
            "docx",
            "--emit",
            "typ",
        ],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    for name in ["letter.pdf", "letter.docx", "letter.typ"] {
        assert!(dir.path().join(name).exists(), "{name}");
    }
    assert!(first.stdout.contains("letter.docx"));
    let before = std::fs::read(dir.path().join("letter.docx")).unwrap();

    // Only the DOCX is in the way: still refused, and nothing is touched.
    std::fs::remove_file(dir.path().join("letter.pdf")).unwrap();
    let again = run(
        dir.path(),
        &["build", "case.toml", "-o", "letter.pdf", "--emit", "docx"],
    );
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("letter.docx") && again.stderr.contains("--force"));
    assert!(!dir.path().join("letter.pdf").exists());

    let forced = run(
        dir.path(),
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
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("letter.docx")).unwrap(),
        before
    );
    let body = body(&parts(&before)["word/document.xml"]);
    assert!(body.paras.iter().any(|p| p.text.contains("Ana Example")));
}

fn with_name(name: &str) -> String {
    let mut quoted = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    MINIMAL_CASE.replace(
        "full_name = \"Ana Example\"",
        &format!("full_name = {quoted}"),
    )
}

#[test]
fn hostile_names_are_text_never_xml() {
    for hostile in [
        "<w:p>",
        "A & B",
        "]]>",
        r#"#read("/etc/passwd")"#,
        r#"</w:t></w:r><w:r><w:t>x"#,
        "<?xml version='1.0'?> &amp; &#x41;",
    ] {
        let dir = case_dir(&with_name(hostile));
        let prepared = prepare(&dir.path().join("case.toml"));
        let bytes = render(&prepared.document, &DocxOptions::default()).unwrap();
        let parts = parts(&bytes);
        let body = body(&parts["word/document.xml"]);
        let subject = body
            .paras
            .iter()
            .find(|p| p.style == "VtsSubject")
            .expect("a subject line");
        assert!(
            subject.text.starts_with(&format!(
                "Re: {} (date of birth",
                crate::support::typeset(hostile)
            )),
            "{hostile:?}: {:?}",
            subject.text
        );
        // Nothing outside text nodes changed shape: as many paragraphs as for a plain name.
        let plain = prepare(&case_dir(MINIMAL_CASE).path().join("case.toml"));
        let plain = body_of(&plain.document);
        assert_eq!(body.paras.len(), plain.paras.len(), "{hostile:?}");
        assert_eq!(body.tables, plain.tables, "{hostile:?}");
    }
}

fn body_of(document: &Document) -> Body {
    body(&parts(&render(document, &DocxOptions::default()).unwrap())["word/document.xml"])
}

/// A reference document: our own output with a restyled Heading1 and no numbered-paragraph style.
fn reference_docx() -> Vec<u8> {
    let ours = parts(&render(&thi_h(), &DocxOptions::default()).unwrap());
    let styles = &ours["word/styles.xml"];
    let start = styles
        .find(r#"<w:style w:type="paragraph" w:styleId="Heading1">"#)
        .unwrap();
    let end = start + styles[start..].find("</w:style>").unwrap() + "</w:style>".len();
    let numbered = styles
        .find(r#"<w:style w:type="paragraph" w:styleId="VtsNumbered">"#)
        .unwrap();
    let numbered_end =
        numbered + styles[numbered..].find("</w:style>").unwrap() + "</w:style>".len();
    let mut theirs = String::new();
    theirs.push_str(&styles[..start]);
    theirs.push_str(r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Firm Heading" /><w:rPr><w:color w:val="00AA00" /></w:rPr></w:style>"#);
    theirs.push_str(&styles[end..numbered]);
    theirs.push_str(&styles[numbered_end..]);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in &ours {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        let text = if name == "word/styles.xml" {
            &theirs
        } else {
            text
        };
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_reference_document_supplies_the_styles() {
    let reference = reference_docx();
    let bytes = render(
        &thi_h(),
        &DocxOptions {
            reference: Some(&reference),
        },
    )
    .unwrap();
    let styles = &parts(&bytes)["word/styles.xml"];
    assert!(styles.contains("Firm Heading") && styles.contains("00AA00"));
    assert_eq!(styles.matches(r#"w:styleId="Heading1""#).count(), 1);
    // Ours fill in what the reference lacks, so every paragraph keeps its style.
    assert_eq!(styles.matches(r#"w:styleId="VtsNumbered""#).count(), 1);

    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("firm.docx"), &reference).unwrap();
    let ok = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--docx-reference",
            "firm.docx",
        ],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let written = parts(&std::fs::read(dir.path().join("letter.docx")).unwrap());
    assert!(written["word/styles.xml"].contains("Firm Heading"));
}

#[test]
fn a_bad_reference_document_is_an_input_error() {
    let dir = case_dir(MINIMAL_CASE);
    std::fs::write(dir.path().join("firm.docx"), "not a zip").unwrap();
    let bad = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--emit",
            "docx",
            "--docx-reference",
            "firm.docx",
        ],
    );
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("reference"), "{}", bad.stderr);
    assert!(!dir.path().join("letter.docx").exists());
    let missing = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "letter.pdf",
            "--docx-reference",
            "nowhere.docx",
        ],
    );
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(!dir.path().join("letter.pdf").exists());
}

#[test]
fn batch_writes_a_docx_beside_each_pdf() {
    let dir = tempfile::tempdir().unwrap();
    two_case_folder(dir.path());
    let r = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--emit", "docx", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf") || n.ends_with(".docx"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    for pdf in names.iter().filter(|n| n.ends_with(".pdf")) {
        let docx = pdf.replace(".pdf", ".docx");
        assert!(names.contains(&docx), "{names:?}");
        let bytes = std::fs::read(dir.path().join("out").join(&docx)).unwrap();
        assert!(body(&parts(&bytes)["word/document.xml"]).tables == 2);
    }
    // A second run without --force is refused for the existing files.
    let again = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--emit", "docx", "--quiet"],
    );
    assert_eq!(again.code, 1);
}

/// Every paragraph of the letter's body carries a mark naming its clause and place, unique in
/// the file and the same in every export, so an edited copy can be mapped back (`absorb`).
#[test]
fn every_body_paragraph_carries_a_stable_unique_mark() {
    let document = thi_h();
    let read = |bytes: Vec<u8>| vtsdraft::absorb::word::read(&bytes).unwrap();
    let first = read(render(&document, &DocxOptions::default()).unwrap());
    let second = read(render(&document, &DocxOptions::default()).unwrap());
    let marks = |b: &vtsdraft::absorb::word::Body| -> Vec<String> {
        b.paragraphs.iter().flat_map(|p| p.marks.clone()).collect()
    };
    assert_eq!(marks(&first), marks(&second));
    let all = marks(&first);
    let unique: std::collections::HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{all:?}");
    // One mark per numbered paragraph and list item, plus the section headings and sign-off.
    let (mut paragraphs, mut sections) = (0, 0);
    for section in &document.sections {
        sections += 1;
        for block in &section.blocks {
            match block {
                Block::Para { .. } => paragraphs += 1,
                Block::List { items, .. } => paragraphs += items.len(),
                Block::Table(_) => {}
            }
        }
    }
    let ours: Vec<&String> = all
        .iter()
        .filter(|m| m.starts_with(vtsdraft::docx::MARK_PREFIX))
        .collect();
    assert_eq!(ours.len(), paragraphs + sections + 1);
    for name in ours {
        assert!(
            name.len() <= 40,
            "Word keeps bookmark names of up to 40 characters: {name}"
        );
    }
    // The first numbered paragraph's mark is its clause's first.
    let first_para = first
        .paragraphs
        .iter()
        .find(|p| p.style == "VtsNumbered")
        .unwrap();
    let Some(Block::Para { clause, .. }) = document.sections[0].blocks.first() else {
        panic!("the letter opens with a paragraph")
    };
    assert_eq!(
        first_para.marks,
        vec![vtsdraft::docx::paragraph_mark(clause, 0)]
    );
}

/// The DOCX looks like the PDF where people open it: converted by LibreOffice (which has no
/// Noto Serif of its own here), it is set in the embedded Noto Serif, has the PDF's number of
/// pages (give or take one) and the same section headings in the same order.
#[test]
fn the_docx_through_libreoffice_matches_the_pdf() {
    for example in ["g-o-thin", "thi-h"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            root().join(format!("examples/{example}/case.toml")),
            dir.path().join("case.toml"),
        )
        .unwrap();
        let out = run(
            dir.path(),
            &["build", "case.toml", "-o", "letter.pdf", "--emit", "docx"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let converted = dir.path().join("lo");
        crate::support::libreoffice_convert(
            &dir.path().join("letter.docx"),
            "pdf",
            &converted,
            dir.path(),
        );
        let ours = lopdf::Document::load(dir.path().join("letter.pdf")).unwrap();
        let theirs = lopdf::Document::load(converted.join("letter.pdf")).unwrap();
        // The fonts LibreOffice set the text in.
        let mut fonts = std::collections::BTreeSet::new();
        for (_, object) in theirs.objects.iter() {
            if let Ok(dict) = object.as_dict()
                && dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font".as_slice())
                && let Ok(name) = dict.get(b"BaseFont").and_then(|n| n.as_name())
            {
                let name = String::from_utf8_lossy(name).into_owned();
                fonts.insert(name.split('+').next_back().unwrap_or_default().to_string());
            }
        }
        assert!(
            fonts.iter().all(|f| f.starts_with("NotoSerif")),
            "{example}: LibreOffice used {fonts:?}"
        );
        let (a, b) = (ours.get_pages().len(), theirs.get_pages().len());
        assert!(
            a.abs_diff(b) <= 1,
            "{example}: {a} pages as PDF, {b} through LibreOffice"
        );
        let prepared = vtsdraft::prepare(toolkit(), &dir.path().join("case.toml"), None).unwrap();
        let text = crate::support::pdf_text(&std::fs::read(converted.join("letter.pdf")).unwrap());
        let mut from = 0;
        for section in &prepared.document.sections {
            let at = text[from..]
                .find(section.heading.as_str())
                .unwrap_or_else(|| {
                    panic!(
                        "{example}: heading {:?} missing or out of order",
                        section.heading
                    )
                });
            from += at + section.heading.len();
        }
    }
}
