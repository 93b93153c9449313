//! Words: paragraphs as styled word tokens, and the word-level diff of two paragraphs as runs.

use similar::{Algorithm, DiffTag, capture_diff_slices};
use std::fmt::Write as _;

use super::{Op, Run};
use crate::assembly::Inline;

/// A word, a run of spaces, a punctuation mark or a line break, with its style. Words are the
/// unit of the inner diff: characters would give unreadable fragments, sentences too coarse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Tok {
    pub(super) text: String,
    pub(super) emph: bool,
    pub(super) strong: bool,
}

pub(super) fn inline_tokens(content: &[Inline]) -> Vec<Tok> {
    let mut out = Vec::new();
    push_inlines(content, false, false, &mut out);
    out
}

pub(super) fn push_inlines(content: &[Inline], emph: bool, strong: bool, out: &mut Vec<Tok>) {
    for inline in content {
        match inline {
            Inline::Text(t) | Inline::Evidence { text: t, .. } => split_words(t, emph, strong, out),
            Inline::Emph(c) => push_inlines(c, true, strong, out),
            Inline::Strong(c) => push_inlines(c, emph, true, out),
            Inline::Cite { content, .. } => push_inlines(content, emph, strong, out),
            Inline::Break => out.push(Tok {
                text: "\n".into(),
                emph,
                strong,
            }),
        }
    }
}

pub(super) fn text_tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    split_words(text, false, false, &mut out);
    out
}

pub(super) fn split_words(text: &str, emph: bool, strong: bool, out: &mut Vec<Tok>) {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Space,
        Word,
        Other,
    }
    let class = |c: char| {
        if c.is_whitespace() && c != '\n' {
            Class::Space
        } else if c.is_alphanumeric() || c == '\'' || c == '’' {
            Class::Word
        } else {
            Class::Other
        }
    };
    let mut current = String::new();
    let mut current_class = None;
    for c in text.chars() {
        let k = class(c);
        // Punctuation and line breaks are tokens of their own; spaces and words group.
        if (current_class != Some(k) || k == Class::Other) && !current.is_empty() {
            out.push(Tok {
                text: std::mem::take(&mut current),
                emph,
                strong,
            });
        }
        current.push(c);
        current_class = Some(k);
    }
    if !current.is_empty() {
        out.push(Tok {
            text: current,
            emph,
            strong,
        });
    }
}

/// Word-level diff of two token lists, tidied for reading: a lone space or a tiny word between
/// two changes joins them (`[-Ana Example-]`, not `[-Ana-] [-Example-]`), and each change is one
/// deletion followed by one insertion.
/// The most tokens (old and new together) compared word by word.
const MAX_WORD_DIFF_TOKENS: usize = 1_500;

pub(super) fn word_diff(old: &[Tok], new: &[Tok]) -> Vec<Run> {
    // Past this size a word diff costs more than it tells a reader: the paragraph is shown as
    // deleted and inserted whole, and `diff` stays fast whatever the case holds.
    if old.len() + new.len() > MAX_WORD_DIFF_TOKENS {
        if old == new {
            return runs_of(Op::Equal, new);
        }
        let mut runs = runs_of(Op::Delete, old);
        runs.extend(runs_of(Op::Insert, new));
        return runs;
    }
    let mut segments: Vec<(Op, Vec<Tok>)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => segments.push((Op::Equal, old[o].to_vec())),
            DiffTag::Delete => segments.push((Op::Delete, old[o].to_vec())),
            DiffTag::Insert => segments.push((Op::Insert, new[n].to_vec())),
            DiffTag::Replace => {
                segments.push((Op::Delete, old[o].to_vec()));
                segments.push((Op::Insert, new[n].to_vec()));
            }
        }
    }
    // Absorb small equalities sandwiched between changes (the semantic clean-up of
    // diff-match-patch): an equality no longer than the changes on either side of it reads
    // better as part of one larger change than as a scatter of one-word edits.
    let changed_len = |segs: &[(Op, Vec<Tok>)]| {
        let (mut deleted, mut inserted) = (0, 0);
        for (op, toks) in segs {
            let n: usize = toks.iter().map(|t| t.text.chars().count()).sum();
            match op {
                Op::Delete => deleted += n,
                Op::Insert => inserted += n,
                Op::Equal => {}
            }
        }
        deleted.max(inserted)
    };
    let mut absorbed: Vec<(Op, Vec<Tok>)> = Vec::new();
    for i in 0..segments.len() {
        let (op, toks) = &segments[i];
        let before = segments[..i]
            .iter()
            .rposition(|s| s.0 == Op::Equal)
            .map_or(0, |p| p + 1);
        let after = segments[i + 1..]
            .iter()
            .position(|s| s.0 == Op::Equal)
            .map_or(segments.len(), |p| i + 1 + p);
        let (left, right) = (&segments[before..i], &segments[(i + 1).min(after)..after]);
        let length: usize = toks.iter().map(|t| t.text.chars().count()).sum();
        let small = trivial(toks) || (length <= changed_len(left) && length <= changed_len(right));
        if *op == Op::Equal && !left.is_empty() && !right.is_empty() && small {
            absorbed.push((Op::Delete, toks.clone()));
            absorbed.push((Op::Insert, toks.clone()));
        } else {
            absorbed.push((*op, toks.clone()));
        }
    }
    // Gather each stretch of changes into one deletion and one insertion.
    let mut tidy: Vec<(Op, Vec<Tok>)> = Vec::new();
    let mut deleted = Vec::new();
    let mut inserted = Vec::new();
    let flush = |tidy: &mut Vec<(Op, Vec<Tok>)>, d: &mut Vec<Tok>, i: &mut Vec<Tok>| {
        if !d.is_empty() {
            tidy.push((Op::Delete, std::mem::take(d)));
        }
        if !i.is_empty() {
            tidy.push((Op::Insert, std::mem::take(i)));
        }
    };
    for (op, toks) in absorbed {
        match op {
            Op::Delete => deleted.extend(toks),
            Op::Insert => inserted.extend(toks),
            Op::Equal => {
                flush(&mut tidy, &mut deleted, &mut inserted);
                tidy.push((Op::Equal, toks));
            }
        }
    }
    flush(&mut tidy, &mut deleted, &mut inserted);
    let mut runs = Vec::new();
    for (op, toks) in tidy {
        push_runs(op, &toks, &mut runs);
    }
    runs
}

/// Only spaces, or one short word with its spaces.
pub(super) fn trivial(toks: &[Tok]) -> bool {
    let words: Vec<&Tok> = toks.iter().filter(|t| !t.text.trim().is_empty()).collect();
    words.is_empty() || (words.len() == 1 && words[0].text.chars().count() <= 3)
}

pub(super) fn push_runs(op: Op, toks: &[Tok], runs: &mut Vec<Run>) {
    for t in toks {
        match runs.last_mut() {
            Some(last)
                if last.op == op
                    && last.emph == t.emph
                    && last.strong == t.strong
                    && last.text != "\n"
                    && t.text != "\n" =>
            {
                last.text.push_str(&t.text)
            }
            _ => runs.push(Run {
                op,
                text: t.text.clone(),
                emph: t.emph,
                strong: t.strong,
            }),
        }
    }
}

pub(super) fn runs_of(op: Op, toks: &[Tok]) -> Vec<Run> {
    let mut runs = Vec::new();
    push_runs(op, toks, &mut runs);
    runs
}

/// The runs' text with `[+…+]`/`[-…-]` markers (also what the terminal shows without colour).
pub fn marked_text(runs: &[Run]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < runs.len() {
        let op = runs[i].op;
        let mut text = String::new();
        while i < runs.len() && runs[i].op == op {
            text.push_str(&runs[i].text);
            i += 1;
        }
        match op {
            Op::Equal => out.push_str(&text),
            Op::Insert => {
                let _ = write!(out, "[+{text}+]");
            }
            Op::Delete => {
                let _ = write!(out, "[-{text}-]");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        text_tokens(s)
    }

    #[test]
    fn inserted_words_are_marked_inside_the_paragraph() {
        let runs = word_diff(
            &toks("Leave is necessary so that treatment can continue."),
            &toks("Leave is clearly necessary so that treatment can continue."),
        );
        assert_eq!(
            marked_text(&runs),
            "Leave is [+clearly +]necessary so that treatment can continue."
        );
    }

    #[test]
    fn neighbouring_changes_join_into_one() {
        let runs = word_diff(&toks("Dear Ana Example,"), &toks("Dear Bea Sample,"));
        assert_eq!(marked_text(&runs), "Dear [-Ana Example-][+Bea Sample+],");
    }
}
