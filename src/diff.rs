//! Redlines: what changed between two drafts of a letter, as one value the CLI formats.
//!
//! Two [`Prepared`] cases are compared as assembled [`Document`]s (never PDF bytes or Typst
//! source): sections by key, clause runs by clause id, the paragraphs inside one clause by their
//! text, then words inside each changed paragraph, so an edit shows as the words inserted and
//! deleted rather than a whole paragraph replaced. Tables compare row by row. Above the text sits
//! a [`Summary`] a solicitor reads first: clauses added and removed with the reason matching gave,
//! derived facts, evidence and warnings that changed.
//!
//! Pure: no IO, and no Typst: [`crate::render::redline`] writes the redline (the new letter with
//! the changes marked in place and the summary on a cover page) for the PDF engine.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value as Json;
use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::Prepared;
use crate::assembly::{Block, Document, Inline, SectionKind, Table};
use crate::clauses::Library;
use crate::diag::Code;
use crate::matching::{Decision, Reason};

/// What a run of text is in the redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equal,
    Insert,
    Delete,
}

/// Consecutive words with the same [`Op`] and style. A line break is a run whose text is `\n`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub op: Op,
    pub text: String,
    #[serde(skip_serializing_if = "is_false")]
    pub emph: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub strong: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How one paragraph, line, row or section fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Same,
    Changed,
    Added,
    Removed,
}

/// A line of the letter's heading, or an item of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub status: Status,
    /// For references: "Our ref", "UAN", …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub runs: Vec<Run>,
}

/// A table row; each cell is its own word diff.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub status: Status,
    pub cells: Vec<Vec<Run>>,
}

/// The content of a compared block.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockBody {
    Para {
        runs: Vec<Run>,
    },
    List {
        ordered: bool,
        items: Vec<Line>,
    },
    Table {
        name: String,
        columns: Vec<String>,
        widths: Vec<u32>,
        rows: Vec<Row>,
    },
}

/// One block of the letter, old and new aligned.
#[derive(Debug, Clone, Serialize)]
pub struct BlockDiff {
    pub status: Status,
    /// The clause that produced it (empty for generated tables).
    pub clause: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_number: Option<u32>,
    #[serde(flatten)]
    pub body: BlockBody,
}

/// One section of the letter.
#[derive(Debug, Clone, Serialize)]
pub struct SectionDiff {
    pub key: SectionKind,
    pub status: Status,
    pub heading: Vec<Run>,
    pub blocks: Vec<BlockDiff>,
}

/// The parts of the letter outside the numbered sections.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub firm_name: Vec<Line>,
    pub letterhead: Vec<Line>,
    pub date: Vec<Line>,
    pub addressee: Vec<Line>,
    pub references: Vec<Line>,
    pub subject: Vec<Line>,
    pub flags: Vec<Line>,
    pub salutation: Vec<Line>,
    pub closing: Vec<Line>,
    pub signatory: Vec<Line>,
}

impl Heading {
    /// Every field with its name, in the order the letter prints them.
    pub fn fields(&self) -> [(&'static str, &[Line]); 10] {
        [
            ("firm", &self.firm_name),
            ("letterhead", &self.letterhead),
            ("date", &self.date),
            ("addressee", &self.addressee),
            ("references", &self.references),
            ("subject", &self.subject),
            ("flags", &self.flags),
            ("salutation", &self.salutation),
            ("closing", &self.closing),
            ("signatory", &self.signatory),
        ]
    }
}

/// One of the two drafts compared.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// The case file, as given.
    pub case: String,
    pub reference: String,
    pub letter_date: String,
    pub library_version: String,
    /// Where the library came from (`(built in)` or a folder).
    pub library_root: String,
}

/// A fact whose value differs. `None` means not set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactChange {
    pub path: String,
    /// A reader's name for it, where the path alone is cryptic (`age at …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A clause now selected, or no longer selected, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseChange {
    pub id: String,
    pub title: String,
    pub section: String,
    /// The reason in words, fact paths in backticks: "now selected because `derived.child_at_cg`
    /// = true (was false)".
    pub reason: String,
    /// The facts the condition read whose values changed (or, if none changed, its facts now).
    pub facts: Vec<FactChange>,
    /// Matching's decision in each draft (absent when that library has no such clause).
    pub old_reason: Option<Reason>,
    pub new_reason: Option<Reason>,
}

/// A clause selected in both drafts whose library entry changed.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseRevision {
    pub id: String,
    pub title: String,
    pub old_version: u32,
    pub new_version: u32,
    pub text_changed: bool,
    pub condition_changed: bool,
}

/// What happened to one piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceChangeKind {
    Added,
    Withdrawn,
    Changed,
}

/// A piece of evidence added, withdrawn or changed (by id).
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceChange {
    pub id: String,
    pub change: EvidenceChangeKind,
    pub description: String,
    /// Its status in the new draft (the old one, when withdrawn).
    pub status: String,
    /// For changed evidence: "status: was requested, now enclosed", one per field.
    pub details: Vec<String>,
}

/// A warning that appeared or went away (compared by code and message).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningChange {
    pub code: String,
    pub message: String,
}

/// What a solicitor reads before the text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub clauses_added: Vec<ClauseChange>,
    pub clauses_removed: Vec<ClauseChange>,
    pub clauses_revised: Vec<ClauseRevision>,
    pub derived: Vec<FactChange>,
    pub evidence: Vec<EvidenceChange>,
    pub warnings_added: Vec<WarningChange>,
    pub warnings_removed: Vec<WarningChange>,
}

impl Summary {
    pub fn is_empty(&self) -> bool {
        self.clauses_added.is_empty()
            && self.clauses_removed.is_empty()
            && self.clauses_revised.is_empty()
            && self.derived.is_empty()
            && self.evidence.is_empty()
            && self.warnings_added.is_empty()
            && self.warnings_removed.is_empty()
    }
}

/// Counts of what changed in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub paragraphs_changed: usize,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
    pub rows_changed: usize,
    pub rows_added: usize,
    pub rows_removed: usize,
    pub heading_lines_changed: usize,
}

impl Stats {
    pub fn is_empty(&self) -> bool {
        *self == Stats::default()
    }
}

/// Everything that differs between two drafts, and the new letter with the changes in place.
#[derive(Debug, Clone, Serialize)]
pub struct Redline {
    pub old: Draft,
    pub new: Draft,
    /// The new letter's title and reference (for the PDF's metadata and footer).
    pub title: String,
    pub reference: String,
    pub summary: Summary,
    pub stats: Stats,
    pub heading: Heading,
    pub sections: Vec<SectionDiff>,
}

impl Redline {
    /// No difference in the text and nothing in the summary.
    pub fn is_empty(&self) -> bool {
        self.summary.is_empty() && self.stats.is_empty()
    }
}

/// Compares two prepared drafts, each with the library it was prepared with.
pub fn compare(
    old: &Prepared,
    old_library: &Library,
    new: &Prepared,
    new_library: &Library,
) -> Redline {
    let heading = compare_heading(&old.document, &new.document);
    let sections = compare_sections(&old.document, &new.document);
    let stats = stats(&heading, &sections);
    Redline {
        old: draft(old, old_library),
        new: draft(new, new_library),
        title: new.document.title.clone(),
        reference: new.document.reference.clone(),
        summary: Summary {
            clauses_added: clauses_added(old, new),
            clauses_removed: clauses_removed(old, new),
            clauses_revised: clauses_revised(old, old_library, new, new_library),
            derived: derived_changes(old, new),
            evidence: evidence_changes(old, new),
            warnings_added: warnings_only_in(new, old),
            warnings_removed: warnings_only_in(old, new),
        },
        stats,
        heading,
        sections,
    }
}

fn draft(p: &Prepared, library: &Library) -> Draft {
    Draft {
        case: p.loaded.path.display().to_string(),
        reference: p.loaded.case.matter.reference.clone(),
        letter_date: p.document.date.clone(),
        library_version: library.version.clone(),
        library_root: library.root.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Words

/// A word, a run of spaces, a punctuation mark or a line break, with its style. Words are the
/// unit of the inner diff: characters would give unreadable fragments, sentences too coarse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Tok {
    text: String,
    emph: bool,
    strong: bool,
}

fn inline_tokens(content: &[Inline]) -> Vec<Tok> {
    let mut out = Vec::new();
    push_inlines(content, false, false, &mut out);
    out
}

fn push_inlines(content: &[Inline], emph: bool, strong: bool, out: &mut Vec<Tok>) {
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

fn text_tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    split_words(text, false, false, &mut out);
    out
}

fn split_words(text: &str, emph: bool, strong: bool, out: &mut Vec<Tok>) {
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
fn word_diff(old: &[Tok], new: &[Tok]) -> Vec<Run> {
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
fn trivial(toks: &[Tok]) -> bool {
    let words: Vec<&Tok> = toks.iter().filter(|t| !t.text.trim().is_empty()).collect();
    words.is_empty() || (words.len() == 1 && words[0].text.chars().count() <= 3)
}

fn push_runs(op: Op, toks: &[Tok], runs: &mut Vec<Run>) {
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

fn runs_of(op: Op, toks: &[Tok]) -> Vec<Run> {
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

// ---------------------------------------------------------------------------------------------
// Alignment

/// Old and new items paired up: the same item in both, or one only in one draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pair {
    Both(usize, usize),
    Old(usize),
    New(usize),
}

/// How alike two texts must be, by words, to be shown as one edited item rather than one
/// removed and another added.
const SIMILAR: f32 = 0.5;

fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_words(a, b).ratio()
}

/// Aligns two sequences by their texts: identical texts pair up first (patience diff), then,
/// inside each replaced stretch, items pair up when their words are similar enough.
fn align(old: &[String], new: &[String]) -> Vec<Pair> {
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(o.zip(n).map(|(i, j)| Pair::Both(i, j))),
            DiffTag::Delete => out.extend(o.map(Pair::Old)),
            DiffTag::Insert => out.extend(n.map(Pair::New)),
            DiffTag::Replace => out.extend(pair_similar(old, new, o, n)),
        }
    }
    out
}

/// Inside a replaced stretch, the order-preserving pairing of similar items with the greatest
/// total similarity (a weighted longest common subsequence), so that, say, renumbered rows of
/// the evidence index pair up as edits even when another row moved past them.
fn pair_similar(
    old: &[String],
    new: &[String],
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
) -> Vec<Pair> {
    let (rows, cols) = (o.len(), n.len());
    let sim: Vec<Vec<f32>> = o
        .clone()
        .map(|i| n.clone().map(|j| similarity(&old[i], &new[j])).collect())
        .collect();
    // best[i][j]: the best total for old[i..] against new[j..].
    let mut best = vec![vec![0f32; cols + 1]; rows + 1];
    for i in (0..rows).rev() {
        for j in (0..cols).rev() {
            let mut b = best[i + 1][j].max(best[i][j + 1]);
            if sim[i][j] >= SIMILAR {
                b = b.max(sim[i][j] + best[i + 1][j + 1]);
            }
            best[i][j] = b;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < rows && j < cols {
        if sim[i][j] >= SIMILAR && best[i][j] == sim[i][j] + best[i + 1][j + 1] {
            out.push(Pair::Both(o.start + i, n.start + j));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            out.push(Pair::Old(o.start + i));
            i += 1;
        } else {
            out.push(Pair::New(n.start + j));
            j += 1;
        }
    }
    out.extend((i..rows).map(|i| Pair::Old(o.start + i)));
    out.extend((j..cols).map(|j| Pair::New(n.start + j)));
    out
}

fn compare_tokens(old: Vec<Tok>, new: Vec<Tok>) -> (Status, Vec<Run>) {
    if old == new {
        (Status::Same, runs_of(Op::Equal, &new))
    } else {
        (Status::Changed, word_diff(&old, &new))
    }
}

/// Lines of the heading (or list items) aligned by text, word diffs inside changed ones.
fn compare_lines(old: &[Vec<Tok>], new: &[Vec<Tok>]) -> Vec<Line> {
    let text = |toks: &Vec<Tok>| toks.iter().map(|t| t.text.as_str()).collect::<String>();
    let old_text: Vec<String> = old.iter().map(text).collect();
    let new_text: Vec<String> = new.iter().map(text).collect();
    align(&old_text, &new_text)
        .into_iter()
        .map(|pair| match pair {
            Pair::Both(i, j) => {
                let (status, runs) = compare_tokens(old[i].clone(), new[j].clone());
                Line {
                    status,
                    label: None,
                    runs,
                }
            }
            Pair::Old(i) => Line {
                status: Status::Removed,
                label: None,
                runs: runs_of(Op::Delete, &old[i]),
            },
            Pair::New(j) => Line {
                status: Status::Added,
                label: None,
                runs: runs_of(Op::Insert, &new[j]),
            },
        })
        .collect()
}

fn string_lines(old: &[String], new: &[String]) -> Vec<Line> {
    let tok = |v: &[String]| v.iter().map(|s| text_tokens(s)).collect::<Vec<_>>();
    compare_lines(&tok(old), &tok(new))
}

fn compare_heading(old: &Document, new: &Document) -> Heading {
    let one = |s: &String| std::slice::from_ref(s).to_vec();
    let subject = |d: &Document| d.subject.lines().map(str::to_string).collect::<Vec<_>>();
    // References align by label: a changed UAN is one edited line, whatever else moved.
    let labels = |d: &Document| d.references.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    let references = align(&labels(old), &labels(new))
        .into_iter()
        .map(|pair| {
            let (label, status, runs) = match pair {
                Pair::Both(i, j) => {
                    let (status, runs) = compare_tokens(
                        text_tokens(&old.references[i].1),
                        text_tokens(&new.references[j].1),
                    );
                    let status = if old.references[i].0 == new.references[j].0 {
                        status
                    } else {
                        Status::Changed
                    };
                    (new.references[j].0.clone(), status, runs)
                }
                Pair::Old(i) => (
                    old.references[i].0.clone(),
                    Status::Removed,
                    runs_of(Op::Delete, &text_tokens(&old.references[i].1)),
                ),
                Pair::New(j) => (
                    new.references[j].0.clone(),
                    Status::Added,
                    runs_of(Op::Insert, &text_tokens(&new.references[j].1)),
                ),
            };
            Line {
                status,
                label: Some(label),
                runs,
            }
        })
        .collect();
    Heading {
        firm_name: string_lines(&one(&old.firm_name), &one(&new.firm_name)),
        letterhead: string_lines(&old.letterhead, &new.letterhead),
        date: string_lines(&one(&old.date), &one(&new.date)),
        addressee: string_lines(&old.addressee, &new.addressee),
        references,
        subject: string_lines(&subject(old), &subject(new)),
        flags: string_lines(&old.flags, &new.flags),
        salutation: string_lines(&one(&old.salutation), &one(&new.salutation)),
        closing: string_lines(&one(&old.closing), &one(&new.closing)),
        signatory: string_lines(&old.signatory, &new.signatory),
    }
}

/// Sections are printed in a fixed order, so they align by that order, not by a diff.
fn compare_sections(old: &Document, new: &Document) -> Vec<SectionDiff> {
    // Sections pair up by kind, in letter order.
    let mut keys: BTreeMap<SectionKind, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, s) in old.sections.iter().enumerate() {
        keys.entry(s.key).or_default().0 = Some(i);
    }
    for (j, s) in new.sections.iter().enumerate() {
        keys.entry(s.key).or_default().1 = Some(j);
    }
    keys.into_iter()
        .map(|(key, pair)| match pair {
            (Some(i), Some(j)) => {
                let (o, n) = (&old.sections[i], &new.sections[j]);
                let (heading_status, heading) =
                    compare_tokens(text_tokens(&o.heading), text_tokens(&n.heading));
                let blocks = compare_blocks(&o.blocks, &n.blocks);
                let same = heading_status == Status::Same
                    && blocks.iter().all(|b| b.status == Status::Same);
                SectionDiff {
                    key,
                    status: if same { Status::Same } else { Status::Changed },
                    heading,
                    blocks,
                }
            }
            (Some(i), None) => {
                let o = &old.sections[i];
                SectionDiff {
                    key,
                    status: Status::Removed,
                    heading: runs_of(Op::Delete, &text_tokens(&o.heading)),
                    blocks: o.blocks.iter().map(|b| one_side(b, Op::Delete)).collect(),
                }
            }
            (_, j) => {
                let n = &new.sections[j.expect("every key comes from one side")];
                SectionDiff {
                    key,
                    status: Status::Added,
                    heading: runs_of(Op::Insert, &text_tokens(&n.heading)),
                    blocks: n.blocks.iter().map(|b| one_side(b, Op::Insert)).collect(),
                }
            }
        })
        .collect()
}

fn block_clause(block: &Block) -> String {
    match block {
        Block::Para { clause, .. } | Block::List { clause, .. } => clause.clone(),
        Block::Table(t) => format!("table:{}", t.name),
    }
}

/// The text blocks align by: its kind, then what a reader sees.
fn block_key(block: &Block) -> String {
    let kind = match block {
        Block::Para { .. } => "para",
        Block::List { .. } => "list",
        Block::Table(_) => "table",
    };
    format!("{kind}\u{1f}{}", block.plain_text())
}

/// Blocks of one section: first by clause (each clause's blocks form one run, and the runs
/// align by clause id), then inside a clause present in both drafts, by text.
fn compare_blocks(old: &[Block], new: &[Block]) -> Vec<BlockDiff> {
    fn runs(blocks: &[Block]) -> Vec<(String, Vec<&Block>)> {
        let mut out: Vec<(String, Vec<&Block>)> = Vec::new();
        for b in blocks {
            let clause = block_clause(b);
            match out.last_mut() {
                Some((c, v)) if *c == clause => v.push(b),
                _ => out.push((clause, vec![b])),
            }
        }
        out
    }
    let (old_runs, new_runs) = (runs(old), runs(new));
    let old_keys: Vec<&str> = old_runs.iter().map(|r| r.0.as_str()).collect();
    let new_keys: Vec<&str> = new_runs.iter().map(|r| r.0.as_str()).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (i, j) in o.zip(n) {
                    let (ob, nb) = (&old_runs[i].1, &new_runs[j].1);
                    let ok: Vec<String> = ob.iter().map(|b| block_key(b)).collect();
                    let nk: Vec<String> = nb.iter().map(|b| block_key(b)).collect();
                    for pair in align(&ok, &nk) {
                        match pair {
                            Pair::Both(a, b) => out.extend(compare_block(ob[a], nb[b])),
                            Pair::Old(a) => out.push(one_side(ob[a], Op::Delete)),
                            Pair::New(b) => out.push(one_side(nb[b], Op::Insert)),
                        }
                    }
                }
            }
            _ => {
                for i in o {
                    out.extend(old_runs[i].1.iter().map(|b| one_side(b, Op::Delete)));
                }
                for j in n {
                    out.extend(new_runs[j].1.iter().map(|b| one_side(b, Op::Insert)));
                }
            }
        }
    }
    out
}

/// A block only in one draft: all of it deleted or inserted.
fn one_side(block: &Block, op: Op) -> BlockDiff {
    let (status, row_status) = match op {
        Op::Delete => (Status::Removed, Status::Removed),
        _ => (Status::Added, Status::Added),
    };
    let number = match block {
        Block::Para { number, .. } => Some(*number),
        _ => None,
    };
    let body = match block {
        Block::Para { content, .. } => BlockBody::Para {
            runs: runs_of(op, &inline_tokens(content)),
        },
        Block::List { ordered, items, .. } => BlockBody::List {
            ordered: *ordered,
            items: items
                .iter()
                .map(|i| Line {
                    status: row_status,
                    label: None,
                    runs: runs_of(op, &inline_tokens(i)),
                })
                .collect(),
        },
        Block::Table(t) => BlockBody::Table {
            name: t.name.clone(),
            columns: t.columns.clone(),
            widths: t.widths.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| Row {
                    status: row_status,
                    cells: r.iter().map(|c| runs_of(op, &text_tokens(c))).collect(),
                })
                .collect(),
        },
    };
    BlockDiff {
        status,
        clause: match block {
            Block::Table(_) => String::new(),
            other => block_clause(other),
        },
        old_number: if op == Op::Delete { number } else { None },
        new_number: if op == Op::Insert { number } else { None },
        body,
    }
}

fn compare_block(old: &Block, new: &Block) -> Vec<BlockDiff> {
    match (old, new) {
        (
            Block::Para {
                number: on,
                content: oc,
                ..
            },
            Block::Para {
                number: nn,
                clause,
                content: nc,
            },
        ) => {
            let (status, runs) = compare_tokens(inline_tokens(oc), inline_tokens(nc));
            vec![BlockDiff {
                status,
                clause: clause.clone(),
                old_number: Some(*on),
                new_number: Some(*nn),
                body: BlockBody::Para { runs },
            }]
        }
        (
            Block::List { items: oi, .. },
            Block::List {
                ordered,
                clause,
                items: ni,
            },
        ) => {
            let tok = |v: &[Vec<Inline>]| v.iter().map(|i| inline_tokens(i)).collect::<Vec<_>>();
            let items = compare_lines(&tok(oi), &tok(ni));
            let same = old == new || items.iter().all(|l| l.status == Status::Same);
            vec![BlockDiff {
                status: if same { Status::Same } else { Status::Changed },
                clause: clause.clone(),
                old_number: None,
                new_number: None,
                body: BlockBody::List {
                    ordered: *ordered,
                    items,
                },
            }]
        }
        (Block::Table(o), Block::Table(n)) => vec![compare_table(o, n)],
        _ => vec![one_side(old, Op::Delete), one_side(new, Op::Insert)],
    }
}

/// Tables compare row by row (rows aligned by their text), cell by cell inside edited rows.
fn compare_table(old: &Table, new: &Table) -> BlockDiff {
    let text = |r: &Vec<String>| r.join("\t");
    let ok: Vec<String> = old.rows.iter().map(text).collect();
    let nk: Vec<String> = new.rows.iter().map(text).collect();
    let rows: Vec<Row> = align(&ok, &nk)
        .into_iter()
        .map(|pair| match pair {
            Pair::Both(i, j) => {
                let (o, n) = (&old.rows[i], &new.rows[j]);
                let cells: Vec<(Status, Vec<Run>)> = (0..o.len().max(n.len()))
                    .map(|c| {
                        let cell =
                            |r: &Vec<String>| text_tokens(r.get(c).map_or("", |s| s.as_str()));
                        compare_tokens(cell(o), cell(n))
                    })
                    .collect();
                let same = cells.iter().all(|c| c.0 == Status::Same);
                Row {
                    status: if same { Status::Same } else { Status::Changed },
                    cells: cells.into_iter().map(|c| c.1).collect(),
                }
            }
            Pair::Old(i) => Row {
                status: Status::Removed,
                cells: old.rows[i]
                    .iter()
                    .map(|c| runs_of(Op::Delete, &text_tokens(c)))
                    .collect(),
            },
            Pair::New(j) => Row {
                status: Status::Added,
                cells: new.rows[j]
                    .iter()
                    .map(|c| runs_of(Op::Insert, &text_tokens(c)))
                    .collect(),
            },
        })
        .collect();
    let same = old.columns == new.columns && rows.iter().all(|r| r.status == Status::Same);
    BlockDiff {
        status: if same { Status::Same } else { Status::Changed },
        clause: String::new(),
        old_number: None,
        new_number: None,
        body: BlockBody::Table {
            name: new.name.clone(),
            columns: new.columns.clone(),
            widths: new.widths.clone(),
            rows,
        },
    }
}

fn stats(heading: &Heading, sections: &[SectionDiff]) -> Stats {
    let mut s = Stats {
        heading_lines_changed: heading
            .fields()
            .iter()
            .flat_map(|(_, lines)| lines.iter())
            .filter(|l| l.status != Status::Same)
            .count(),
        ..Stats::default()
    };
    for section in sections {
        if section.status != Status::Same && section.blocks.is_empty() {
            s.heading_lines_changed += 1;
        }
        for block in &section.blocks {
            match &block.body {
                BlockBody::Table { rows, .. } => {
                    for row in rows {
                        match row.status {
                            Status::Same => {}
                            Status::Changed => s.rows_changed += 1,
                            Status::Added => s.rows_added += 1,
                            Status::Removed => s.rows_removed += 1,
                        }
                    }
                }
                _ => match block.status {
                    Status::Same => {}
                    Status::Changed => s.paragraphs_changed += 1,
                    Status::Added => s.paragraphs_added += 1,
                    Status::Removed => s.paragraphs_removed += 1,
                },
            }
        }
        // A heading edited in place (a renamed section) counts as a heading change.
        if section.status == Status::Changed && section.heading.iter().any(|r| r.op != Op::Equal) {
            s.heading_lines_changed += 1;
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Summary

fn decisions(p: &Prepared) -> HashMap<&str, &Decision> {
    p.selection
        .selected
        .iter()
        .chain(&p.selection.rejected)
        .map(|d| (d.id.as_str(), d))
        .collect()
}

fn section_name(d: &Decision) -> String {
    d.section.name().to_string()
}

/// The facts `now` read whose values differ from `before` (all of them when there is no before).
fn changed_facts(before: Option<&Decision>, now: &Decision) -> Vec<FactChange> {
    let old: HashMap<&str, &str> = before
        .map(|b| {
            b.facts
                .iter()
                .map(|f| (f.path.as_str(), f.value.as_str()))
                .collect()
        })
        .unwrap_or_default();
    now.facts
        .iter()
        .filter(|f| old.get(f.path.as_str()) != Some(&f.value.as_str()))
        .map(|f| FactChange {
            path: f.path.clone(),
            label: None,
            old: old.get(f.path.as_str()).map(|v| v.to_string()),
            new: Some(f.value.clone()),
        })
        .collect()
}

fn facts_phrase(facts: &[FactChange]) -> String {
    facts
        .iter()
        .map(|f| {
            let now = f.new.as_deref().unwrap_or("(not set)");
            match &f.old {
                Some(was) => format!("`{}` = {now} (was {was})", f.path),
                None => format!("`{}` = {now}", f.path),
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn all_facts(d: &Decision) -> Vec<FactChange> {
    d.facts
        .iter()
        .map(|f| FactChange {
            path: f.path.clone(),
            label: None,
            old: None,
            new: Some(f.value.clone()),
        })
        .collect()
}

fn clauses_added(old: &Prepared, new: &Prepared) -> Vec<ClauseChange> {
    let before = decisions(old);
    let was_selected: HashSet<&str> = old.selection.selected_ids().into_iter().collect();
    new.selection
        .selected
        .iter()
        .filter(|d| !was_selected.contains(d.id.as_str()))
        .map(|d| {
            let prior = before.get(d.id.as_str()).copied();
            let mut facts = changed_facts(prior, d);
            let reason = match prior {
                None => {
                    facts = all_facts(d);
                    format!("new in the clause library; selected because `{}` is true", d.when.trim())
                }
                Some(p) if p.when.trim() != d.when.trim() => format!(
                    "its condition changed in the clause library (was `{}`, now `{}`, which is true)",
                    p.when.trim(),
                    d.when.trim()
                ),
                Some(Decision {
                    reason: Reason::ExcludedBy { clause },
                    ..
                }) => format!("no longer excluded by `{clause}`"),
                Some(p) if !facts.is_empty() => {
                    let _ = p;
                    format!("now selected because {}", facts_phrase(&facts))
                }
                Some(p) => {
                    facts = all_facts(d);
                    format!("now selected (before: {}); `{}` is true", p.reason, d.when.trim())
                }
            };
            ClauseChange {
                id: d.id.clone(),
                title: d.title.clone(),
                section: section_name(d),
                reason,
                facts,
                old_reason: prior.map(|p| p.reason.clone()),
                new_reason: Some(d.reason.clone()),
            }
        })
        .collect()
}

fn clauses_removed(old: &Prepared, new: &Prepared) -> Vec<ClauseChange> {
    let after = decisions(new);
    let is_selected: HashSet<&str> = new.selection.selected_ids().into_iter().collect();
    old.selection
        .selected
        .iter()
        .filter(|d| !is_selected.contains(d.id.as_str()))
        .map(|d| {
            let now = after.get(d.id.as_str()).copied();
            let mut facts = now.map(|n| changed_facts(Some(d), n)).unwrap_or_default();
            let reason = match now {
                None => "no longer in the clause library".to_string(),
                Some(n) if n.when.trim() != d.when.trim() => format!(
                    "its condition changed in the clause library (was `{}`, now `{}`, which is not true)",
                    d.when.trim(),
                    n.when.trim()
                ),
                Some(Decision {
                    reason: Reason::ExcludedBy { clause },
                    ..
                }) => format!("now excluded by `{clause}`"),
                Some(Decision {
                    reason: Reason::FactNotSet { path },
                    ..
                }) => format!("no longer selected: fact `{path}` is not set in this case"),
                Some(_) if !facts.is_empty() => {
                    format!("no longer selected because {}", facts_phrase(&facts))
                }
                Some(n) => {
                    facts = all_facts(n);
                    format!("no longer selected: {}", n.reason)
                }
            };
            ClauseChange {
                id: d.id.clone(),
                title: d.title.clone(),
                section: section_name(d),
                reason,
                facts,
                old_reason: Some(d.reason.clone()),
                new_reason: now.map(|n| n.reason.clone()),
            }
        })
        .collect()
}

fn clauses_revised(
    old: &Prepared,
    old_library: &Library,
    new: &Prepared,
    new_library: &Library,
) -> Vec<ClauseRevision> {
    let was_selected: HashSet<&str> = old.selection.selected_ids().into_iter().collect();
    new.selection
        .selected
        .iter()
        .filter(|d| was_selected.contains(d.id.as_str()))
        .filter_map(|d| {
            let (o, n) = (old_library.get(&d.id)?, new_library.get(&d.id)?);
            let text_changed = o.body != n.body;
            let condition_changed = o.when.trim() != n.when.trim();
            (text_changed || condition_changed || o.version != n.version).then(|| ClauseRevision {
                id: d.id.clone(),
                title: n.title.clone(),
                old_version: o.version,
                new_version: n.version,
                text_changed,
                condition_changed,
            })
        })
        .collect()
}

/// `derived` flattened to dotted paths, values as JSON text, in the order `explain` shows them.
fn flatten(prefix: &str, value: &Json, out: &mut Vec<(String, String)>) {
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        // Lists (flags, evidence gaps, documents held) read best as their items' text.
        Json::Array(items) if items.is_empty() => out.push((prefix.to_string(), "(none)".into())),
        Json::Array(items) => {
            let item = |v: &Json| match v {
                Json::String(s) => s.clone(),
                Json::Object(map) => map
                    .values()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(": "),
                other => other.to_string(),
            };
            out.push((
                prefix.to_string(),
                items.iter().map(item).collect::<Vec<_>>().join("; "),
            ));
        }
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// A reader's label for an age path (`derived.age.cg.claimed` → "age at conclusive grounds
/// decision"), from the event names derivation gives each key date.
fn fact_label(path: &str, events: &HashMap<String, String>) -> Option<String> {
    let rest = path.strip_prefix("derived.age.")?;
    let (key, field) = rest.rsplit_once('.')?;
    let event = events.get(key)?;
    Some(match field {
        "claimed" => format!("age at {event}"),
        "accepted" => format!("age at {event} (accepted date of birth)"),
        "child_claimed" => format!("a child at {event}"),
        "child_accepted" => format!("a child at {event} (accepted date of birth)"),
        "date_uk" => format!("date of {event}"),
        "approximate" => format!("date of {event} approximate"),
        _ => return None,
    })
}

fn derived_changes(old: &Prepared, new: &Prepared) -> Vec<FactChange> {
    let flat = |p: &Prepared| {
        let mut out = Vec::new();
        if let Some(d) = p.context.json.get("derived") {
            flatten("derived", d, &mut out);
        }
        // The ISO date duplicates `date_uk`; one line per change is enough.
        out.retain(|(path, _)| !(path.starts_with("derived.age.") && path.ends_with(".date")));
        out
    };
    let (o, n) = (flat(old), flat(new));
    let old_map: HashMap<&str, &str> = o.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let new_map: HashMap<&str, &str> = n.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let events: HashMap<String, String> = new
        .derived
        .ages
        .in_order
        .iter()
        .chain(&old.derived.ages.in_order)
        .map(|a| (a.key.clone(), a.event.clone()))
        .collect();
    let mut out = Vec::new();
    for (path, value) in &n {
        if old_map.get(path.as_str()) != Some(&value.as_str()) {
            out.push(FactChange {
                path: path.clone(),
                label: fact_label(path, &events),
                old: old_map.get(path.as_str()).map(|v| v.to_string()),
                new: Some(value.clone()),
            });
        }
    }
    for (path, value) in &o {
        if !new_map.contains_key(path.as_str()) {
            out.push(FactChange {
                path: path.clone(),
                label: fact_label(path, &events),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    out
}

fn evidence_changes(old: &Prepared, new: &Prepared) -> Vec<EvidenceChange> {
    let as_json = |e: &crate::facts::model::Evidence| serde_json::to_value(e).unwrap_or_default();
    let status = |j: &Json| {
        j.get("status")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let old_by_id: HashMap<&str, &crate::facts::model::Evidence> = old
        .loaded
        .case
        .evidence
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let new_ids: HashSet<&str> = new
        .loaded
        .case
        .evidence
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    let mut out = Vec::new();
    for e in &new.loaded.case.evidence {
        let nj = as_json(e);
        match old_by_id.get(e.id.as_str()) {
            None => out.push(EvidenceChange {
                id: e.id.clone(),
                change: EvidenceChangeKind::Added,
                description: e.description.clone(),
                status: status(&nj),
                details: Vec::new(),
            }),
            Some(o) => {
                let oj = as_json(o);
                let (Json::Object(om), Json::Object(nm)) = (&oj, &nj) else {
                    continue;
                };
                let mut details = Vec::new();
                let keys = nm.keys().chain(om.keys().filter(|k| !nm.contains_key(*k)));
                for key in keys {
                    let (ov, nv) = (om.get(key), nm.get(key));
                    if ov != nv {
                        let show = |v: Option<&Json>| match v {
                            None => "(not set)".to_string(),
                            Some(Json::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                        };
                        // Words, not an arrow: the bundled fonts have no arrow glyph for the PDF.
                        details.push(format!("{key}: was {}, now {}", show(ov), show(nv)));
                    }
                }
                if !details.is_empty() {
                    out.push(EvidenceChange {
                        id: e.id.clone(),
                        change: EvidenceChangeKind::Changed,
                        description: e.description.clone(),
                        status: status(&nj),
                        details,
                    });
                }
            }
        }
    }
    for e in &old.loaded.case.evidence {
        if !new_ids.contains(e.id.as_str()) {
            out.push(EvidenceChange {
                id: e.id.clone(),
                change: EvidenceChangeKind::Withdrawn,
                description: e.description.clone(),
                status: status(&as_json(e)),
                details: Vec::new(),
            });
        }
    }
    out
}

/// Warnings of `a` that `b` does not have, by code and message (locations differ between files).
fn warnings_only_in(a: &Prepared, b: &Prepared) -> Vec<WarningChange> {
    let other: HashSet<(Code, &str)> = b
        .warnings
        .iter()
        .map(|w| (w.code, w.message.as_str()))
        .collect();
    let mut seen = HashSet::new();
    a.warnings
        .iter()
        .filter(|w| !other.contains(&(w.code, w.message.as_str())))
        .filter(|w| seen.insert((w.code, w.message.as_str())))
        .map(|w| WarningChange {
            code: w.code.to_string(),
            message: w.message.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Words for the summary (the terminal text and the redline's cover)

/// "76e4af73cadb23a0 (built in)" or "… (lib-v2/)".
pub fn library_text(d: &Draft) -> String {
    if d.library_root.starts_with('(') {
        format!("{} {}", d.library_version, d.library_root)
    } else {
        format!("{} ({})", d.library_version, d.library_root)
    }
}

/// A fact value for reading: JSON strings without their quotes.
pub fn unquoted(v: Option<&str>) -> String {
    match v {
        None => "(not set)".into(),
        Some(v) => serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_string()),
    }
}

/// "text changed (version 2, was 1)", for the summary.
pub fn revision_text(c: &ClauseRevision) -> String {
    let mut what = Vec::new();
    if c.text_changed {
        what.push("text changed");
    }
    if c.condition_changed {
        what.push("condition changed");
    }
    if what.is_empty() {
        what.push("version changed");
    }
    let version = if c.old_version == c.new_version {
        format!("still version {}", c.new_version)
    } else {
        format!("version {}, was {}", c.new_version, c.old_version)
    };
    format!("{} ({version})", what.join(", "))
}

/// The sign and headline for an evidence change.
pub fn evidence_head(e: &EvidenceChange) -> (&'static str, String) {
    match e.change {
        EvidenceChangeKind::Added => ("+", format!("added: {} ({})", e.description, e.status)),
        EvidenceChangeKind::Withdrawn => (
            "–",
            format!("withdrawn: {} (was {})", e.description, e.status),
        ),
        EvidenceChangeKind::Changed => ("~", format!("changed: {} ({})", e.description, e.status)),
    }
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

    #[test]
    fn alignment_pairs_similar_lines_and_keeps_new_ones_apart() {
        let old = vec!["one two three four".to_string(), "alpha beta".to_string()];
        let new = vec![
            "something else entirely".to_string(),
            "one two three five".to_string(),
            "alpha beta".to_string(),
        ];
        assert_eq!(
            align(&old, &new),
            vec![Pair::New(0), Pair::Both(0, 1), Pair::Both(1, 2)]
        );
    }
}
