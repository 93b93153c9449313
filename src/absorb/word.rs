//! Reads the body of a Word file (`word/document.xml`) as absorb needs it: each paragraph's
//! text with its italic and bold runs, the vtsdraft bookmarks in it, and whether tracked changes
//! were taken. Tracked insertions count as text, tracked deletions do not: the document as it
//! reads with every change accepted.

use std::io::{Cursor, Read as _};

use roxmltree::Node;

/// The most `word/document.xml` may inflate to (a letter's is well under a megabyte).
const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A run of text and how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub italic: bool,
    pub bold: bool,
}

/// One paragraph of the body.
#[derive(Debug, Clone, Default)]
pub struct Para {
    /// Bookmark names in it (with those placed just before it, between paragraphs).
    pub marks: Vec<String>,
    pub spans: Vec<Span>,
    /// Its paragraph style id (`VtsList`, …).
    pub style: String,
    /// The paragraph itself was deleted with change tracking on.
    pub deleted: bool,
}

impl Para {
    /// The text a reader sees.
    pub fn plain(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// The body of a Word file.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub paragraphs: Vec<Para>,
    /// The text of each table, cells joined by tabs and rows by newlines.
    pub tables: Vec<String>,
    /// Tracked insertions and deletions whose result was taken.
    pub insertions: usize,
    pub deletions: usize,
}

/// The body of the DOCX `bytes`.
pub fn read(bytes: &[u8]) -> Result<Body, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("it is not a Word (.docx) file: {e}"))?;
    let mut entry = archive
        .by_name("word/document.xml")
        .map_err(|_| "it has no `word/document.xml`, so it is not a Word document".to_string())?;
    // Read with a bound: a small archive can inflate to gigabytes.
    let mut xml = String::new();
    (&mut entry)
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read its `word/document.xml`: {e}"))?;
    if xml.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "its `word/document.xml` is larger than {MAX_DOCUMENT_BYTES} bytes"
        ));
    }
    let doc = roxmltree::Document::parse(&xml)
        .map_err(|e| format!("its `word/document.xml` is not well-formed XML: {e}"))?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or("its `word/document.xml` has no body")?;
    let mut out = Body::default();
    let mut pending_marks = Vec::new();
    block_children(body, &mut out, &mut pending_marks);
    Ok(out)
}

fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn attr<'a>(node: &Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// The block-level children of `parent` (the body, a content control, a tracked insertion).
fn block_children(parent: Node, out: &mut Body, pending_marks: &mut Vec<String>) {
    for child in parent.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "p" if is(&child, "p") => {
                let mut para = paragraph(child, out);
                para.marks.splice(0..0, pending_marks.drain(..));
                out.paragraphs.push(para);
            }
            "tbl" if is(&child, "tbl") => out.tables.push(table_text(child)),
            "bookmarkStart" if is(&child, "bookmarkStart") => {
                if let Some(name) = attr(&child, "name") {
                    pending_marks.push(name.to_string());
                }
            }
            // Content controls and block-level tracked insertions hold paragraphs.
            "sdt" | "customXml" | "ins" => {
                if is(&child, "ins") {
                    out.insertions += 1;
                }
                let inner = child
                    .children()
                    .find(|n| is(n, "sdtContent"))
                    .unwrap_or(child);
                block_children(inner, out, pending_marks);
            }
            "del" if is(&child, "del") => out.deletions += 1,
            _ => {}
        }
    }
}

fn paragraph(p: Node, body: &mut Body) -> Para {
    let mut para = Para::default();
    if let Some(ppr) = p.children().find(|n| is(n, "pPr")) {
        if let Some(style) = ppr.children().find(|n| is(n, "pStyle")) {
            para.style = attr(&style, "val").unwrap_or_default().to_string();
        }
        // A paragraph mark deleted with tracking: the paragraph merges into the next, or is
        // gone when its text was deleted too.
        if let Some(rpr) = ppr.children().find(|n| is(n, "rPr"))
            && rpr.children().any(|n| is(&n, "del"))
        {
            para.deleted = true;
        }
    }
    inline(p, &mut para, body);
    if para.deleted && !para.plain().trim().is_empty() {
        // Only the paragraph mark was deleted: the text stays, joined to the next paragraph in
        // Word's view; keeping it as its own paragraph loses nothing.
        para.deleted = false;
    }
    para
}

/// The inline content of `node` into `para`: runs, and the wrappers runs sit in (hyperlinks,
/// tracked insertions, smart tags, fields' results); tracked deletions are skipped.
fn inline(node: Node, para: &mut Para, body: &mut Body) {
    for child in node.children().filter(Node::is_element) {
        if child.tag_name().namespace() != Some(W) {
            continue;
        }
        match child.tag_name().name() {
            "r" => run(child, para),
            "bookmarkStart" => {
                if let Some(name) = attr(&child, "name") {
                    para.marks.push(name.to_string());
                }
            }
            "del" | "moveFrom" => body.deletions += 1,
            "ins" | "moveTo" => {
                body.insertions += 1;
                inline(child, para, body);
            }
            "hyperlink" | "smartTag" | "customXml" | "fldSimple" | "sdt" | "sdtContent" => {
                inline(child, para, body)
            }
            _ => {}
        }
    }
}

fn run(r: Node, para: &mut Para) {
    let on = |name: &str| {
        r.children()
            .find(|n| is(n, "rPr"))
            .and_then(|rpr| rpr.children().find(|n| is(n, name)))
            .is_some_and(|n| !matches!(attr(&n, "val"), Some("0" | "false" | "off")))
    };
    let (italic, bold) = (on("i"), on("b"));
    let mut text = String::new();
    for child in r.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "t" => text.push_str(child.text().unwrap_or_default()),
            "tab" => text.push('\t'),
            // A page or column break is layout (LibreOffice writes "page break before" as one).
            "br" if matches!(attr(&child, "type"), Some("page" | "column")) => {}
            "br" | "cr" => text.push('\n'),
            "noBreakHyphen" => text.push('\u{2011}'),
            _ => {}
        }
    }
    if text.is_empty() {
        return;
    }
    match para.spans.last_mut() {
        Some(last) if last.italic == italic && last.bold == bold => last.text.push_str(&text),
        _ => para.spans.push(Span { text, italic, bold }),
    }
}

fn table_text(tbl: Node) -> String {
    let mut rows = Vec::new();
    for tr in tbl.children().filter(|n| is(n, "tr")) {
        let mut cells = Vec::new();
        for tc in tr.children().filter(|n| is(n, "tc")) {
            let mut body = Body::default();
            let mut marks = Vec::new();
            block_children(tc, &mut body, &mut marks);
            cells.push(
                body.paragraphs
                    .iter()
                    .map(Para::plain)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        rows.push(cells.join("\t"));
    }
    rows.join("\n")
}
