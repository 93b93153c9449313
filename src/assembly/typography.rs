//! Typography of the assembled letter: typographic quotes and apostrophes, and no line break
//! inside a date. Done on the [`Document`], so the PDF and the DOCX agree; the header's
//! references, which are identifiers a reader may copy, keep their characters.

use super::{Block, Document, Inline};

use crate::facts::date::MONTHS;

/// A no-break space: a date ("3 January 2026") is never split across lines.
pub const NBSP: char = '\u{a0}';

/// `text` with straight quotes made typographic; `previous` is the character before it (across
/// the pieces of one paragraph), and becomes its last character.
pub fn quotes(text: &str, previous: &mut Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // The text between quotes is copied whole: this runs over every word of the letter.
    let mut rest = text;
    while let Some(at) = rest.find(['\'', '"']) {
        let (run, tail) = rest.split_at(at);
        if let Some(last) = run.chars().next_back() {
            *previous = Some(last);
        }
        out.push_str(run);
        let after = &tail[1..];
        // Where a quote opens: at the start, after a space, an opening bracket or quote, or a
        // dash. Anywhere else (after a letter, a full stop, a closing brace) it closes, and a
        // single one is an apostrophe (Home Office's, the clients', {name}'s).
        let opening = previous.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '{' | '“' | '‘' | '—' | '–' | '-' | '/')
        });
        let made = match tail.as_bytes()[0] {
            b'\'' if opening && after.chars().next().is_some_and(char::is_alphanumeric) => '‘',
            b'\'' => '’',
            _ if opening => '“',
            _ => '”',
        };
        out.push(made);
        *previous = Some(made);
        rest = after;
    }
    if let Some(last) = rest.chars().next_back() {
        *previous = Some(last);
    }
    out.push_str(rest);
    out
}

/// `text` with the spaces inside dates ("3 January 2026", "January 2026", "3 January") made
/// no-break spaces.
pub fn keep_dates(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `text[..copied]` is in `out`; a month can only start at a capital letter, which are few.
    let mut copied = 0;
    for (start, byte) in bytes.iter().enumerate() {
        if !byte.is_ascii_uppercase() || start < copied {
            continue;
        }
        let Some(month) = MONTHS
            .iter()
            .find(|m| bytes[start..].starts_with(m.as_bytes()))
        else {
            continue;
        };
        let end = start + month.len();
        // A whole word only ("Mayor" is not a month).
        let word_before = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let word_after = text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if word_before || word_after {
            continue;
        }
        let day_before =
            start >= 2 && bytes[start - 1] == b' ' && bytes[start - 2].is_ascii_digit();
        let year_after = text[end..].starts_with(' ')
            && text[end + 1..]
                .chars()
                .take(4)
                .filter(char::is_ascii_digit)
                .count()
                == 4;
        if day_before {
            out.push_str(&text[copied..start - 1]);
            out.push(NBSP);
        } else {
            out.push_str(&text[copied..start]);
        }
        out.push_str(month);
        copied = end;
        if year_after {
            out.push(NBSP);
            copied = end + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Text as the letter sets it, on its own (an authority's citation, to find it in a paragraph).
pub fn set_text(text: &str) -> String {
    set(text, &mut None)
}

/// Both, for one piece of text.
fn set(text: &str, previous: &mut Option<char>) -> String {
    keep_dates(&quotes(text, previous))
}

fn inlines(content: &mut [Inline], previous: &mut Option<char>) {
    for inline in content {
        match inline {
            Inline::Text(t) => *t = set(t, previous),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Cite { content: c, .. } => {
                inlines(c, previous)
            }
            Inline::Break => *previous = Some(' '),
            // "(Tab 3)": its text is made from numbers and fixed words.
            Inline::Evidence { text, .. } => *previous = text.chars().next_back(),
        }
    }
}

/// The whole letter set: its sections (paragraphs, lists, tables), title, subject and sign-off.
pub fn apply(document: &mut Document) {
    let one = |text: &str| set(text, &mut None);
    document.title = one(&document.title);
    document.subject = one(&document.subject);
    document.closing = one(&document.closing);
    document.signatory = document.signatory.iter().map(|s| one(s)).collect();
    for section in &mut document.sections {
        section.heading = one(&section.heading);
        for block in &mut section.blocks {
            match block {
                Block::Para { content, .. } => inlines(content, &mut None),
                Block::List { items, .. } => {
                    for item in items {
                        inlines(item, &mut None);
                    }
                }
                Block::Table(table) => {
                    for row in &mut table.rows {
                        for cell in row {
                            *cell = one(cell);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_apostrophes_are_typographic() {
        let q = |t: &str| quotes(t, &mut None);
        assert_eq!(
            q(r#"The word "necessary" and the Home Office's 'policy' (the clients' "needs")."#),
            "The word “necessary” and the Home Office’s ‘policy’ (the clients’ “needs”)."
        );
        assert_eq!(q("O'Brien said \"yes.\""), "O’Brien said “yes.”");
        assert_eq!(
            q("{{x}}'s case, #read(\"/etc\")"),
            "{{x}}’s case, #read(“/etc”)"
        );
        // Across pieces of one paragraph: the quote after a link closes.
        let mut previous = Some('3');
        assert_eq!(quotes("\" at", &mut previous), "” at");
    }

    #[test]
    fn dates_do_not_break() {
        assert_eq!(
            keep_dates("on 3 January 2026, in May 2021 and on 14 June; the Mayor of March"),
            "on 3\u{a0}January\u{a0}2026, in May\u{a0}2021 and on 14\u{a0}June; the Mayor of March"
        );
        assert_eq!(keep_dates("no date here"), "no date here");
        assert_eq!(
            keep_dates("From 3 March to 4 February 2026 March 2027, Mayday 1 May"),
            "From 3\u{a0}March to 4\u{a0}February\u{a0}2026\u{a0}March\u{a0}2027, Mayday 1\u{a0}May"
        );
        assert_eq!(keep_dates("May"), "May");
        assert_eq!(
            keep_dates("Ünï 2 June 2026 Ä"),
            "Ünï 2\u{a0}June\u{a0}2026 Ä"
        );
    }
}
