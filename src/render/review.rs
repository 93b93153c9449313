//! The reviewer's copy (`build --review`): the letter exactly as it will be sent, on a page
//! widened by a notes column, with a note beside each paragraph naming the clause that produced
//! it, the condition that selected it and the facts that condition read; then an appendix of
//! every clause considered: the selected ones in full (a page whose notes would not fit the
//! column shortens the longest to the clause's name), and the rejected ones with the reason.
//!
//! Everything in the notes comes from the same [`Selection`](crate::matching::Selection) that
//! built the letter and that `vtsdraft explain` prints; nothing is worked out again here. Like the
//! letter, every piece of text reaches Typst as a string literal.

use crate::assembly::{Block, Origin};
use crate::diag::Diagnostic;
use crate::matching::Decision;
use crate::render::{self, Expr, TypstSource, Variant};
use crate::{Prepared, Toolkit};

/// The heading of the appendix, and of its two parts.
pub const APPENDIX_TITLE: &str = "Reviewer's appendix: how the clauses were chosen";
pub const SELECTED_HEADING: &str = "Clauses selected";
pub const REJECTED_HEADING: &str = "Clauses considered and not used";

/// The margin note's name for the solicitor's own words (added, or in place of a clause's).
pub const SOLICITORS_TEXT: &str = "solicitor's text";

/// Fact values longer than this are shortened in the appendix, which lists the facts each
/// condition read (a list of exploitation episodes as JSON runs
/// to thousands of characters); `explain` prints values in full.
const APPENDIX_VALUE_CHARS: usize = 300;

/// The review layout additions (they use the letter layout's functions and settings).
pub fn layout() -> &'static str {
    crate::clauses::embedded_file(LAYOUT_FILE).expect("the review template is embedded")
}

/// Where the reviewer's copy's layout additions live.
const LAYOUT_FILE: &str = "templates/review.typ";

/// At most `max` characters of `value`, with an ellipsis when shortened.
fn shorten(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// `(("path", "value"), …)` for the facts a condition read, values shortened to `max` characters.
fn facts_expr(decision: &Decision, max: usize) -> Expr {
    Expr::array(
        decision
            .facts
            .iter()
            .map(|f| Expr::strs([f.path.as_str(), &shorten(&f.value, max)])),
    )
}

/// The margin note for `block`: in full where a clause's text starts, `(continued)` beside its
/// later paragraphs, none for a list (the note of the paragraph before it covers it).
fn note(prepared: &Prepared, block: &Block, previous: Option<&Block>) -> Option<Expr> {
    let (clause, para, origin) = match block {
        Block::Para {
            number,
            clause,
            origin,
            ..
        } => (clause, Some(*number), origin),
        Block::List { clause, origin, .. } => (clause, None, origin),
        Block::Table(_) => return None,
    };
    let previous_clause = match previous {
        Some(Block::Para { clause, .. } | Block::List { clause, .. }) => Some(clause),
        _ => None,
    };
    let continued = previous_clause == Some(clause);
    // A list belongs to the paragraph before it, which already carries the note.
    if continued && para.is_none() {
        return None;
    }
    // The solicitor's words are marked as theirs: no condition chose them.
    let solicitor = |label: String, instruction: usize| {
        let reason = prepared
            .loaded
            .case
            .drafting
            .get(instruction - 1)
            .and_then(|i| i.reason.as_deref())
            .map(|r| format!(" because {}", r.trim()))
            .unwrap_or_default();
        Some(
            Expr::call("margin-note")
                .arg(Expr::dict([
                    ("para", para.map_or_else(Expr::none, Expr::int)),
                    ("clause", Expr::str(&label)),
                    (
                        "why",
                        Expr::str(&format!("drafting instruction {instruction}{reason}")),
                    ),
                    ("when", Expr::str("")),
                    ("facts", Expr::array(Vec::<Expr>::new())),
                    ("continued", Expr::bool(continued)),
                ]))
                .expr(),
        )
    };
    match origin {
        Origin::Added { instruction } => {
            return solicitor(SOLICITORS_TEXT.to_string(), *instruction);
        }
        Origin::Replaced {
            instruction,
            replaces,
        } => {
            return solicitor(
                format!("{SOLICITORS_TEXT}, replaces {replaces}"),
                *instruction,
            );
        }
        Origin::Library => {}
    }
    let decision = prepared
        .selection
        .selected
        .iter()
        .find(|d| &d.id == clause)?;
    // Why, in words (reasons.toml); the condition as written and its facts are in the appendix.
    let why = match &decision.reason {
        crate::matching::Reason::IncludedBySolicitor { instruction, .. } => {
            format!("brought in by the solicitor (drafting instruction {instruction})")
        }
        _ => format!("selected because {}", decision.because.join("; ")),
    };
    Some(
        Expr::call("margin-note")
            .arg(Expr::dict([
                ("para", para.map_or_else(Expr::none, Expr::int)),
                ("clause", Expr::str(&decision.stamp())),
                ("why", Expr::str(&why)),
                ("when", Expr::str(decision.when.trim())),
                ("facts", Expr::array(Vec::<Expr>::new())),
                ("continued", Expr::bool(continued)),
            ]))
            .expr(),
    )
}

/// An appendix entry: `(clause, title, lines: ((label, text), …), facts)`.
fn entry(decision: &Decision, lines: &[(&str, String)]) -> Expr {
    Expr::dict([
        ("clause", Expr::str(&decision.stamp())),
        ("title", Expr::str(&decision.title)),
        (
            "lines",
            Expr::array(lines.iter().map(|(label, text)| Expr::strs([*label, text]))),
        ),
        ("facts", facts_expr(decision, APPENDIX_VALUE_CHARS)),
    ])
}

/// One part of the appendix: a heading and its entries.
fn part(heading: &str, entries: Vec<Expr>) -> Expr {
    Expr::dict([
        ("heading", Expr::str(heading)),
        ("empty", Expr::str("None.")),
        ("entries", Expr::array(entries)),
    ])
}

/// The appendix: every clause considered, in library order, each with what `explain` says of
/// it; the selected ones also with the paragraphs they produced.
fn appendix(prepared: &Prepared, library_version: &str) -> Vec<String> {
    let selection = &prepared.selection;
    let regime = &prepared.derived.regime;
    let pauses = if regime.pauses.is_empty() {
        "no decision pause applies".to_string()
    } else {
        format!(
            "decision pauses that may apply, to check before sending: {}",
            regime.pauses.join(", ")
        )
    };
    let summary = format!(
        "Clause library {library_version}: {} clauses considered; {} selected (each named in the margin beside its paragraphs) and {} not used. Law applied: {} ({}); {pauses}. This copy is for checking the draft and is not to be sent.",
        selection.selected.len() + selection.rejected.len(),
        selection.selected.len(),
        selection.rejected.len(),
        regime.citation,
        regime.reason,
    );
    let mut paragraphs: std::collections::HashMap<&str, Vec<String>> = Default::default();
    for block in prepared.document.sections.iter().flat_map(|s| &s.blocks) {
        if let Block::Para { number, clause, .. } = block {
            paragraphs
                .entry(clause.as_str())
                .or_default()
                .push(number.to_string());
        }
    }
    let selected = selection.selected.iter().map(|d| {
        let mut about = Vec::new();
        if let Some(numbers) = paragraphs.get(d.id.as_str()) {
            about.push(("Paragraphs: ", numbers.join(", ")));
        }
        about.push(match &d.reason {
            crate::matching::Reason::IncludedBySolicitor { .. } => {
                ("Not selected by the facts: ", d.reason.to_string())
            }
            _ if d.when.trim() == "true" => ("Always included", String::new()),
            _ => ("Selected because: ", d.because.join("; ")),
        });
        if d.when.trim() != "true" {
            about.push(("Condition: ", d.when.trim().to_string()));
        }
        entry(d, &about)
    });
    let rejected = selection.rejected.iter().map(|d| {
        let why = match d.reason {
            crate::matching::Reason::ConditionFalse if !d.because.is_empty() => {
                d.because.join("; ")
            }
            _ => d.reason.to_string(),
        };
        let about = [
            ("Not used: ", why),
            ("Condition: ", d.when.trim().to_string()),
        ];
        entry(d, &about)
    });
    let mut lines = vec![String::new()];
    lines.extend(
        Expr::call("review-appendix")
            .named("title", Expr::str(APPENDIX_TITLE))
            .named("summary", Expr::str(&summary))
            .named(
                "parts",
                Expr::array([
                    part(SELECTED_HEADING, selected.collect()),
                    part(REJECTED_HEADING, rejected.collect()),
                ]),
            )
            .lines("#"),
    );
    lines
}

/// The reviewer's copy as Typst source.
pub fn typst_source(prepared: &Prepared, library_version: &str) -> TypstSource {
    let mut document = prepared.document.clone();
    // Screen readers announce the title, and the banner is a page artifact they skip.
    document.title = format!("REVIEWER'S COPY (not for sending): {}", document.title);
    let note = |block: &Block, previous: Option<&Block>| note(prepared, block, previous);
    let variant = Variant {
        layout: (LAYOUT_FILE, layout()),
        letter_args: vec![("review", Expr::name("review-page"))],
        note: &note,
        trailer: appendix(prepared, library_version),
    };
    render::typst_source_with(&document, Some(&variant))
}

/// The reviewer's copy as PDF bytes, to the same standards as the letter. It carries no
/// provenance record: `vtsdraft verify` checks letters, and this is not one.
pub fn build(
    toolkit: &Toolkit,
    prepared: &Prepared,
    conformance: crate::pdf::Conformance,
) -> Result<(TypstSource, Vec<u8>), Vec<Diagnostic>> {
    let source = typst_source(prepared, &toolkit.library.version);
    let mut settings = crate::pdf_settings(prepared);
    // Its own PDF identity: it is a different document from the letter.
    settings.ident.push_str(" (review)");
    let bytes = toolkit
        .engine
        .compile_with_attachment(&source, &settings, conformance, None)?;
    Ok((source, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_on_characters_not_bytes() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("ễễễễ", 2), "ễễ…");
    }
}
