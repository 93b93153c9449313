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
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // Where a quote opens: at the start, after a space, an opening bracket or quote, or a
        // dash. Anywhere else (after a letter, a full stop, a closing brace) it closes, and a
        // single one is an apostrophe (Home Office's, the clients', {name}'s).
        let opening = previous.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '{' | '“' | '‘' | '—' | '–' | '-' | '/')
        });
        let made = match c {
            '\'' if opening && chars.peek().is_some_and(|n| n.is_alphanumeric()) => '‘',
            '\'' => '’',
            '"' if opening => '“',
            '"' => '”',
            c => c,
        };
        out.push(made);
        *previous = Some(made);
    }
    out
}

/// `text` with the spaces inside dates ("3 January 2026", "January 2026", "3 January") made
/// no-break spaces.
pub fn keep_dates(text: &str) -> String {
    if !MONTHS.iter().any(|m| text.contains(m)) {
        return text.to_string();
    }
    let mut out = text.to_string();
    for month in MONTHS {
        let mut from = 0;
        while let Some(at) = out[from..].find(month) {
            let start = from + at;
            let end = start + month.len();
            // A whole word only ("Mayor" is not a month).
            let word_before = out[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let word_after = out[end..].chars().next().is_some_and(char::is_alphanumeric);
            if word_before || word_after {
                from = end;
                continue;
            }
            let day_before = {
                let head = &out[..start];
                head.ends_with(' ')
                    && head[..head.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_digit())
            };
            let year_after = out[end..].starts_with(' ')
                && out[end + 1..]
                    .chars()
                    .take(4)
                    .filter(char::is_ascii_digit)
                    .count()
                    == 4;
            let mut replaced = String::with_capacity(out.len());
            if day_before {
                replaced.push_str(&out[..start - 1]);
                replaced.push(NBSP);
            } else {
                replaced.push_str(&out[..start]);
            }
            replaced.push_str(month);
            let mut next = end;
            if year_after {
                replaced.push(NBSP);
                next = end + 1;
            }
            let resume = replaced.len();
            replaced.push_str(&out[next..]);
            out = replaced;
            from = resume;
        }
    }
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
    }
}
