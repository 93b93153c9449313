//! The clause markup: escaping case values for it, and parsing rendered clause text into blocks.
//!
//! Clause bodies are handlebars over a CommonMark subset. Every value from the case is escaped
//! with [`escape_value`] before it reaches the markup parser, so it can only ever be text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, Inline};

/// Escapes a case value for the clause markup: every ASCII punctuation character is
/// backslash-escaped (CommonMark lets any of them be), and a line break in the value becomes a
/// hard line break rather than a new paragraph or list item.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 4);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {}
            '\n' => {
                // Collapse runs of newlines: a blank line must not end the paragraph.
                while chars.peek().is_some_and(|n| *n == '\n' || *n == '\r') {
                    chars.next();
                }
                out.push_str("\\\n");
                // Leading spaces on the next line could make an indented code block.
                while chars.peek().is_some_and(|n| *n == ' ') {
                    chars.next();
                }
            }
            '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            // Unicode line and paragraph separators would be newlines to some readers.
            '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text a person wrote (an edited Word paragraph) for the clause markup, so that it reads
/// back exactly as written, while staying readable in the case file: only the characters the
/// markup (and handlebars, for `{`) would act on are escaped, and those at the start of a line
/// only where a line start gives them a meaning (`#`, `-`, `1.`). A line break becomes a hard
/// break, as in [`escape_value`].
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push_str("\\\n");
        }
        // Leading spaces could make an indented code block; a person's indent means nothing here.
        let line = line.trim_start_matches([' ', '\t']).replace('\t', " ");
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        for (i, c) in line.chars().enumerate() {
            let at_start = i == 0;
            let escape = match c {
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '{' | '}' => true,
                '#' | '-' | '+' | '=' => at_start,
                '.' | ')' => digits > 0 && i == digits,
                _ => false,
            };
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Ends a paragraph: non-empty content becomes a (not yet numbered) paragraph block.
fn flush(blocks: &mut Vec<Block>, content: Option<Vec<Inline>>) {
    if let Some(content) = content.filter(|c| !c.is_empty()) {
        blocks.push(Block::Para {
            number: 0,
            clause: String::new(),
            content,
            origin: Default::default(),
        });
    }
}

/// Parses rendered clause text into paragraphs and lists.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // A stack of inline containers being filled (paragraph, emphasis, strong, list item).
    let mut stack: Vec<Vec<Inline>> = Vec::new();
    let mut kinds: Vec<Kind> = Vec::new();
    let mut lists: Vec<(bool, Vec<Vec<Inline>>)> = Vec::new();

    #[derive(PartialEq)]
    enum Kind {
        Para,
        Emph,
        Strong,
        Item,
        Other,
    }

    fn push(stack: &mut [Vec<Inline>], inline: Inline) {
        if let Some(top) = stack.last_mut() {
            if let (Inline::Text(new), Some(Inline::Text(prev))) = (&inline, top.last_mut()) {
                prev.push_str(new);
                return;
            }
            top.push(inline);
        }
    }

    for event in Parser::new_ext(text, Options::empty()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                // A paragraph inside a list item adds to the item.
                if kinds.last() != Some(&Kind::Item) {
                    stack.push(Vec::new());
                    kinds.push(Kind::Para);
                } else {
                    if stack.last().is_some_and(|s| !s.is_empty()) {
                        push(&mut stack, Inline::Break);
                    }
                    kinds.push(Kind::Other);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(Kind::Para) = kinds.pop() {
                    flush(&mut blocks, stack.pop());
                }
            }
            Event::Start(
                Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::HtmlBlock,
            ) => {
                // Not part of the clause markup: shown as a plain paragraph.
                stack.push(Vec::new());
                kinds.push(Kind::Para);
            }
            Event::End(
                TagEnd::Heading(_) | TagEnd::BlockQuote(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock,
            ) => {
                kinds.pop();
                flush(&mut blocks, stack.pop());
            }
            Event::Start(Tag::List(first)) => lists.push((first.is_some(), Vec::new())),
            Event::End(TagEnd::List(_)) => {
                if let Some((ordered, items)) = lists.pop() {
                    if lists.is_empty() {
                        blocks.push(Block::List {
                            ordered,
                            clause: String::new(),
                            items,
                            origin: Default::default(),
                        });
                    } else if let Some((_, outer)) = lists.last_mut() {
                        // A nested list is flattened into its parent's items.
                        outer.extend(items);
                    }
                }
            }
            Event::Start(Tag::Item) => {
                stack.push(Vec::new());
                kinds.push(Kind::Item);
            }
            Event::End(TagEnd::Item) => {
                kinds.pop();
                let content = stack.pop().unwrap_or_default();
                if let Some((_, items)) = lists.last_mut() {
                    items.push(content);
                }
            }
            Event::Start(Tag::Emphasis) => {
                stack.push(Vec::new());
                kinds.push(Kind::Emph);
            }
            Event::Start(Tag::Strong) => {
                stack.push(Vec::new());
                kinds.push(Kind::Strong);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                let kind = kinds.pop();
                let content = stack.pop().unwrap_or_default();
                let inline = if kind == Some(Kind::Emph) {
                    Inline::Emph(content)
                } else {
                    Inline::Strong(content)
                };
                push(&mut stack, inline);
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if stack.is_empty() {
                    stack.push(Vec::new());
                    kinds.push(Kind::Para);
                }
                push(&mut stack, Inline::Text(t.to_string()));
            }
            Event::SoftBreak => push(&mut stack, Inline::Text(" ".into())),
            Event::HardBreak => push(&mut stack, Inline::Break),
            Event::Start(_) | Event::End(_) => {}
            _ => {}
        }
    }
    // Anything left open (cannot happen with pulldown-cmark's balanced events) is kept, not lost.
    while let Some(content) = stack.pop() {
        flush(&mut blocks, Some(content));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_reads_back_as_written() {
        for text in [
            "R (PK (Ghana)) v SSHD [2018] EWCA Civ 98, para 5 * 2 = 10 & <b>",
            "- not a list\n1. not a list either\n# not a heading",
            "{{client}} and \\ and `code` and _under_ and 3.5 and 12) x",
            "=== and +1 and > quote",
        ] {
            let blocks = parse(&escape_text(text));
            assert_eq!(blocks.len(), 1, "{text:?} gave {blocks:?}");
            assert_eq!(blocks[0].plain_text(), text, "{:?}", escape_text(text));
        }
    }

    fn text_of(blocks: &[Block]) -> String {
        blocks
            .iter()
            .map(|b| b.plain_text())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn escaped_values_stay_literal() {
        for hostile in [
            "#read(\"/etc/passwd\")",
            "]*$@",
            "*bold* _it_ `raw` <y> \\ [link](http://x)",
            "= Heading",
            "# Heading",
            "1. not a list",
            "- not a list",
            "> quote",
            "    indented code",
            "<b>html</b>",
            "a\n\n# b\n- c",
        ] {
            let blocks = parse(&format!("Name: {}.", escape_value(hostile)));
            assert_eq!(
                blocks.len(),
                1,
                "{hostile:?} changed the structure: {blocks:?}"
            );
            let expected = format!(
                "Name: {}.",
                hostile.replace("\n\n", "\n").replace('\n', "\u{2424}")
            );
            let got = text_of(&blocks).replace('\n', "\u{2424}");
            assert_eq!(got, expected, "{hostile:?}");
        }
    }

    #[test]
    fn parses_paragraphs_lists_and_emphasis() {
        let blocks = parse("First *one* and **two**.\n\nSecond:\n\n- a\n- b\n\n1. x\n");
        assert_eq!(blocks.len(), 4);
        match &blocks[0] {
            Block::Para { content, .. } => {
                assert!(matches!(content[1], Inline::Emph(_)));
                assert!(matches!(content[3], Inline::Strong(_)));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&blocks[2], Block::List { ordered: false, items, .. } if items.len() == 2)
        );
        assert!(matches!(&blocks[3], Block::List { ordered: true, .. }));
    }
}
