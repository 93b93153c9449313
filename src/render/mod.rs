//! Renders a [`Document`] as Typst source: the trusted layout, then the letter as data.
//!
//! Every piece of text is written as a Typst string literal in code mode, so nothing from a case
//! can become markup or code, whatever characters it contains.

use std::fmt::Write as _;

use crate::assembly::{Block, Document, Inline};

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

/// A Typst string literal: the value as data, never as markup.
pub fn lit(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Typst array of already-rendered expressions: `()`, `(a,)`, `(a, b)`. A one-element array
/// needs its trailing comma, or Typst reads a parenthesised expression.
pub fn array(items: &[String]) -> String {
    match items {
        [] => "()".to_string(),
        [one] => format!("({one},)"),
        many => format!("({})", many.join(", ")),
    }
}

fn lit_array(values: &[String]) -> String {
    let mut out = String::from("(");
    for v in values {
        out.push_str(&lit(v));
        out.push_str(", ");
    }
    out.push(')');
    out
}

fn inlines(content: &[Inline]) -> String {
    if content.is_empty() {
        return "\"\"".into();
    }
    let parts: Vec<String> = content.iter().map(inline).collect();
    format!("({},).join()", parts.join(", "))
}

fn inline(i: &Inline) -> String {
    match i {
        Inline::Text(t) => lit(t),
        Inline::Emph(c) => format!("emph({})", inlines(c)),
        Inline::Strong(c) => format!("strong({})", inlines(c)),
        Inline::Break => "linebreak()".into(),
        Inline::Evidence { parts, .. } => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| match &p.anchor {
                    Some(anchor) => format!("evlink({}, {})", lit(&p.text), lit(anchor)),
                    None => lit(&p.text),
                })
                .collect();
            format!("evref({})", parts.join(", "))
        }
        Inline::Cite { content, .. } => format!("cite-text({})", inlines(content)),
    }
}

/// What a variant of the letter (the reviewer's copy) adds to its source. The letter's own text
/// is generated the same way for every variant; a variant only adds around it.
pub struct Variant<'a> {
    /// Trusted Typst appended to the letter layout: its file and text.
    pub layout: (&'static str, &'static str),
    /// More named arguments of `letter`, as `name: expression`.
    pub letter_args: Vec<String>,
    /// The `note:` argument of a paragraph or list, given the block and the block before it in
    /// its section; a Typst expression whose every text is a string literal.
    pub note: &'a dyn Fn(&Block, Option<&Block>) -> Option<String>,
    /// Lines after the letter's last section.
    pub trailer: Vec<String>,
}

/// A per-row argument of `data-table` (`anchors`, `links`): a label name or `none` for each row;
/// nothing when no row has one.
fn per_row(name: &str, labels: &[Option<String>]) -> Option<String> {
    labels.iter().any(Option::is_some).then(|| {
        let items: Vec<String> = labels
            .iter()
            .map(|l| l.as_deref().map_or_else(|| "none".to_string(), lit))
            .collect();
        format!("  {name}: {},", array(&items))
    })
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
    line("#show: letter.with(".into(), "");
    line(format!("  title: {},", lit(&document.title)), "");
    line(format!("  firm: {},", lit(&document.firm_name)), "");
    line(
        format!("  letterhead: {},", lit_array(&document.letterhead)),
        "",
    );
    line(format!("  date: {},", lit(&document.date)), "");
    line(
        format!("  addressee: {},", lit_array(&document.addressee)),
        "",
    );
    let refs: Vec<String> = document
        .references
        .iter()
        .map(|(k, v)| format!("({}, {})", lit(k), lit(v)))
        .collect();
    line(format!("  references: {},", array(&refs)), "");
    let subject: Vec<String> = document.subject.lines().map(str::to_string).collect();
    line(format!("  subject: {},", lit_array(&subject)), "");
    line(format!("  flags: {},", lit_array(&document.flags)), "");
    line(format!("  salutation: {},", lit(&document.salutation)), "");
    line(format!("  reference: {},", lit(&document.reference)), "");
    for arg in variant.iter().flat_map(|v| &v.letter_args) {
        line(format!("  {arg},"), "");
    }
    line(")".into(), "");
    for section in &document.sections {
        line(String::new(), "");
        if section.key == "evidence_index" {
            line(
                format!(
                    "#signoff({}, {})",
                    lit(&document.closing),
                    lit_array(&document.signatory)
                ),
                "",
            );
            line(format!("#annex({})", lit(&section.heading)), "");
        } else {
            line(format!("#heading({})", lit(&section.heading)), "");
        }
        for (i, block) in section.blocks.iter().enumerate() {
            let note = variant
                .and_then(|v| (v.note)(block, i.checked_sub(1).map(|j| &section.blocks[j])))
                .map_or_else(String::new, |n| format!(", note: {n}"));
            match block {
                Block::Para {
                    number,
                    clause,
                    content,
                } => line(
                    format!("#para({number}, {}{note})", inlines(content)),
                    clause,
                ),
                Block::List {
                    ordered,
                    clause,
                    items,
                } => {
                    let items: Vec<String> = items.iter().map(|i| inlines(i)).collect();
                    line(
                        format!("#points({ordered}, ({},){note})", items.join(", ")),
                        clause,
                    );
                }
                Block::Table(table) => {
                    line(format!("#data-table(name: {},", lit(&table.name)), "");
                    line(format!("  columns: {},", lit_array(&table.columns)), "");
                    line(
                        format!(
                            "  widths: ({},),",
                            table
                                .widths
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "",
                    );
                    line("  rows: (".into(), "");
                    for row in &table.rows {
                        line(format!("    {},", lit_array(row)), "");
                    }
                    line("  ),".into(), "");
                    for argument in [
                        per_row("anchors", &table.anchors),
                        per_row("links", &table.links),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        line(argument, "");
                    }
                    line(")".into(), "");
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

    #[test]
    fn string_literals_escape_quotes_backslashes_and_newlines() {
        assert_eq!(lit(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(lit("x\ny"), r#""x\ny""#);
        assert_eq!(lit("\u{7}"), r#""\u{7}""#);
        assert_eq!(
            lit("#read(\"/etc/passwd\")"),
            r##""#read(\"/etc/passwd\")""##
        );
    }
}
