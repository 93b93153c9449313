//! Renders a [`Document`] as Typst source: the trusted layout, then the letter as data.
//!
//! Every piece of text is written as a Typst string literal in code mode, so nothing from a case
//! can become markup or code, whatever characters it contains.

pub mod redline;
pub mod review;
pub mod typst;

use crate::assembly::{Block, Document, Inline, SectionKind, Table};
pub use typst::{Call, Expr};

/// Where the letter's layout template lives (in the repository, and embedded in the binary).
pub const LAYOUT_FILE: &str = "templates/letter.typ";

/// The bundled layout template.
pub fn layout() -> &'static str {
    crate::clauses::embedded_file(LAYOUT_FILE).expect("the layout template is embedded")
}

/// Typst source for one letter, and which clause produced each line of the body.
#[derive(Debug, Clone)]
pub struct TypstSource {
    /// The complete, self-contained source (layout + body).
    pub text: String,
    /// The layout templates `text` starts with, in order: each one's file and number of lines.
    /// The body starts after them.
    pub templates: Vec<(&'static str, usize)>,
    /// For each body line (0-based from the body's start), the clause that produced it.
    pub line_clauses: Vec<String>,
}

impl TypstSource {
    /// The source from its layout templates, given as (file, text) pairs, and the generated
    /// body, given as (line, clause that produced it) pairs.
    pub fn from_lines(layout: &[(&'static str, &str)], body: Vec<(String, String)>) -> TypstSource {
        let mut text = String::new();
        let mut templates = Vec::with_capacity(layout.len());
        for (file, part) in layout {
            text.push_str(part);
            if !part.ends_with('\n') {
                text.push('\n');
            }
            templates.push((
                *file,
                part.matches('\n').count() + usize::from(!part.ends_with('\n')),
            ));
        }
        let mut line_clauses = Vec::with_capacity(body.len());
        for (line, clause) in body {
            text.push_str(&line);
            text.push('\n');
            line_clauses.push(clause);
        }
        TypstSource {
            text,
            templates,
            line_clauses,
        }
    }

    /// This source with one more line, which attaches the file the PDF engine serves at
    /// [`ATTACHMENT_PATH`] to the PDF as `name` (the provenance record).
    pub fn with_attachment(&self, name: &str, description: &str) -> TypstSource {
        let mut text = self.text.trim_end_matches('\n').to_string();
        text.push('\n');
        text.push_str(&attachment_line(name, description));
        text.push('\n');
        let mut line_clauses = self.line_clauses.clone();
        line_clauses.push(String::new());
        TypstSource {
            text,
            templates: self.templates.clone(),
            line_clauses,
        }
    }

    fn layout_lines(&self) -> usize {
        self.templates.iter().map(|(_, lines)| lines).sum()
    }

    /// The generated part only (what golden tests compare).
    pub fn body(&self) -> &str {
        let mut offset = 0;
        for _ in 0..self.layout_lines() {
            offset += self.text[offset..]
                .find('\n')
                .map_or(self.text.len() - offset, |i| i + 1);
        }
        &self.text[offset..]
    }

    /// Where line `line` (1-based) of the source came from, for Typst diagnostics.
    pub fn origin(&self, line: usize) -> String {
        let mut before = 0;
        for (file, lines) in &self.templates {
            if line <= before + lines {
                return format!("{file}:{}", line - before);
            }
            before += lines;
        }
        match self
            .line_clauses
            .get(line.saturating_sub(before + 1))
            .filter(|c| !c.is_empty())
        {
            Some(clause) => format!("generated line {line} (clause `{clause}`)"),
            None => format!("generated line {line}"),
        }
    }
}

/// Where the PDF engine serves an attachment's bytes: a fixed virtual path, read as data.
pub const ATTACHMENT_PATH: &str = "/provenance.json";

/// The line that attaches the file served at [`ATTACHMENT_PATH`] to the PDF as `name`.
fn attachment_line(name: &str, description: &str) -> String {
    Expr::call("pdf.attach")
        .arg(Expr::str(name))
        .arg(
            Expr::call("read")
                .arg(Expr::str(ATTACHMENT_PATH))
                .named("encoding", Expr::none())
                .expr(),
        )
        .named("relationship", Expr::str("supplement"))
        .named("mime-type", Expr::str("application/json"))
        .named("description", Expr::str(description))
        .line()
}

/// Inline content as one expression.
pub fn inlines(content: &[Inline]) -> Expr {
    Expr::concat(content.iter().map(inline))
}

fn inline(i: &Inline) -> Expr {
    match i {
        Inline::Text(t) => Expr::str(t),
        Inline::Emph(c) => Expr::call("emph").arg(inlines(c)).expr(),
        Inline::Strong(c) => Expr::call("strong").arg(inlines(c)).expr(),
        Inline::Break => Expr::call("linebreak").expr(),
        Inline::Evidence { parts, .. } => parts
            .iter()
            .fold(Expr::call("evref"), |call, p| {
                call.arg(match &p.anchor {
                    Some(anchor) => Expr::call("evlink")
                        .arg(Expr::str(&p.text))
                        .arg(Expr::str(anchor))
                        .expr(),
                    None => Expr::str(&p.text),
                })
            })
            .expr(),
        Inline::Cite { content, .. } => Expr::call("cite-text").arg(inlines(content)).expr(),
    }
}

/// What a variant of the letter (the reviewer's copy) adds to its source. The letter's own text
/// is generated the same way for every variant; a variant only adds around it.
pub struct Variant<'a> {
    /// Trusted Typst appended to the letter layout: its file and text.
    pub layout: (&'static str, &'static str),
    /// More named arguments of `letter`.
    pub letter_args: Vec<(&'static str, Expr)>,
    /// The `note:` argument of a paragraph or list, given the block and the block before it in
    /// its section.
    pub note: &'a dyn Fn(&Block, Option<&Block>) -> Option<Expr>,
    /// Lines after the letter's last section.
    pub trailer: Vec<String>,
}

/// The parts of a letter's heading, as expressions: text for the letter, text with changes
/// marked for the redline.
pub struct HeaderParts {
    pub title: Expr,
    pub firm: Expr,
    pub letterhead: Expr,
    pub date: Expr,
    pub addressee: Expr,
    pub references: Expr,
    pub subject: Expr,
    pub flags: Expr,
    pub salutation: Expr,
    pub reference: Expr,
}

impl HeaderParts {
    /// The heading of a document, as text.
    pub fn of(document: &Document) -> HeaderParts {
        HeaderParts {
            title: Expr::str(&document.title),
            firm: Expr::str(&document.firm_name),
            letterhead: Expr::strs(&document.letterhead),
            date: Expr::str(&document.date),
            addressee: Expr::strs(&document.addressee),
            references: Expr::array(document.references.iter().map(|(k, v)| Expr::strs([k, v]))),
            subject: Expr::strs(document.subject.lines()),
            flags: Expr::strs(&document.flags),
            salutation: Expr::str(&document.salutation),
            reference: Expr::str(&document.reference),
        }
    }
}

/// The call that opens every letter (`#show: letter.with(..)`). The letter, its reviewer's copy
/// and the redline all start with it, so a new parameter of the layout is one edit here.
pub fn letter_header(parts: HeaderParts) -> Call {
    Expr::call("letter.with")
        .named("title", parts.title)
        .named("firm", parts.firm)
        .named("letterhead", parts.letterhead)
        .named("date", parts.date)
        .named("addressee", parts.addressee)
        .named("references", parts.references)
        .named("subject", parts.subject)
        .named("flags", parts.flags)
        .named("salutation", parts.salutation)
        .named("reference", parts.reference)
}

/// A per-row argument of `data-table` (`anchors`, `links`): a label name or `none` for each row;
/// nothing when no row has one.
fn per_row(labels: &[Option<String>]) -> Option<Expr> {
    labels.iter().any(Option::is_some).then(|| {
        Expr::array(
            labels
                .iter()
                .map(|l| l.as_deref().map_or_else(Expr::none, Expr::str)),
        )
    })
}

/// A table of the document as a `data-table` call.
pub fn data_table(table: &Table) -> Call {
    Expr::call("data-table")
        .named("name", Expr::str(&table.name))
        .named("columns", Expr::strs(&table.columns))
        .named(
            "widths",
            Expr::array(table.widths.iter().map(|w| Expr::int(*w))),
        )
        .named("rows", Expr::array(table.rows.iter().map(Expr::strs)))
        .named_opt("anchors", per_row(&table.anchors))
        .named_opt("links", per_row(&table.links))
}

/// The lines that open a section: a heading, or for the evidence index (an annex) the sign-off
/// first. The letter and the redline both open their sections with these.
pub fn section_opening(
    evidence_index: bool,
    heading: Expr,
    closing: Expr,
    signatory: Expr,
    enclosures: Option<Expr>,
) -> Vec<String> {
    if evidence_index {
        vec![
            Expr::call("signoff")
                .arg(closing)
                .arg(signatory)
                .named_opt("enclosures", enclosures)
                .line(),
            Expr::call("annex").arg(heading).line(),
        ]
    } else {
        vec![Expr::call("heading").arg(heading).line()]
    }
}

/// Renders the document.
pub fn typst_source(document: &Document) -> TypstSource {
    typst_source_with(document, None)
}

/// Renders the document as the letter or, with a [`Variant`], as that variant of it.
pub fn typst_source_with(document: &Document, variant: Option<&Variant<'_>>) -> TypstSource {
    let templates: Vec<(&'static str, &str)> = std::iter::once((LAYOUT_FILE, layout()))
        .chain(variant.map(|v| v.layout))
        .collect();
    let mut body: Vec<(String, String)> = Vec::new();
    let mut line = |s: String, clause: &str| body.push((s, clause.to_string()));
    line(
        "// ---- generated by vtsdraft: the letter's content, every string passed as data ----"
            .into(),
        "",
    );
    let header = variant.iter().flat_map(|v| &v.letter_args).fold(
        letter_header(HeaderParts::of(document)),
        |call, (name, value)| call.named(name, value.clone()),
    );
    for l in header.lines("#show: ") {
        line(l, "");
    }
    // The block just before the sign-off: the last of the last section of clauses.
    let last_body_block = document.last_body_block();
    for (section_index, section) in document.sections.iter().enumerate() {
        line(String::new(), "");
        for l in section_opening(
            section.key == SectionKind::EvidenceIndex,
            Expr::str(&section.heading),
            Expr::str(&document.closing),
            Expr::strs(&document.signatory),
            document.enclosures.as_deref().map(Expr::str),
        ) {
            line(l, "");
        }
        for (i, block) in section.blocks.iter().enumerate() {
            let note =
                variant.and_then(|v| (v.note)(block, i.checked_sub(1).map(|j| &section.blocks[j])));
            let keep = (last_body_block == Some((section_index, i))).then(|| Expr::bool(true));
            match block {
                Block::Para {
                    number,
                    clause,
                    content,
                    ..
                } => line(
                    Expr::call("para")
                        .arg(Expr::int(*number))
                        .arg(inlines(content))
                        .named_opt("note", note)
                        .named_opt("keep", keep)
                        .line(),
                    clause,
                ),
                Block::List {
                    ordered,
                    clause,
                    items,
                    ..
                } => line(
                    Expr::call("points")
                        .arg(Expr::bool(*ordered))
                        .arg(Expr::array(items.iter().map(|i| inlines(i))))
                        .named_opt("note", note)
                        .named_opt("keep", keep)
                        .line(),
                    clause,
                ),
                Block::Table(table) => {
                    for l in data_table(table).lines("#") {
                        line(l, "");
                    }
                }
            }
        }
    }
    for trailer in variant.iter().flat_map(|v| &v.trailer) {
        line(trailer.clone(), "");
    }
    TypstSource::from_lines(&templates, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_line_is_traced_to_its_template_file_or_clause() {
        let source = TypstSource::from_lines(
            &[("a.typ", "one\ntwo\n\n"), ("b.typ", "three")],
            vec![
                ("body".into(), "fw.intro".into()),
                ("more".into(), String::new()),
            ],
        );
        assert_eq!(source.text, "one\ntwo\n\nthree\nbody\nmore\n");
        assert_eq!(source.body(), "body\nmore\n");
        let origins: Vec<String> = (1..=6).map(|l| source.origin(l)).collect();
        assert_eq!(
            origins,
            [
                "a.typ:1",
                "a.typ:2",
                "a.typ:3",
                "b.typ:1",
                "generated line 5 (clause `fw.intro`)",
                "generated line 6"
            ]
        );
    }
}
