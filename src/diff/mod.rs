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

mod align;
mod summary;
mod words;

use serde::Serialize;

use crate::Prepared;
use crate::assembly::SectionKind;
use crate::clauses::Library;
use crate::matching::Reason;
use align::{compare_heading, compare_sections, stats};
use summary::{
    clauses_added, clauses_removed, clauses_revised, derived_changes, drafting_changes,
    evidence_changes, warnings_only_in,
};
pub use summary::{evidence_head, library_text, revision_text, unquoted};
pub use words::marked_text;

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
    /// The solicitor's drafting instructions added, removed or changed between the drafts, and
    /// those whose clause the library has changed since they were written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drafting: Vec<DraftingChange>,
}

/// A change to, or affecting, one drafting instruction (numbered from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftingChange {
    pub instruction: usize,
    /// `+` added, `-` removed, `~` changed or affected.
    pub sign: &'static str,
    /// `add`, `replace`, `omit` or `include`, and the clause (`omit rec.waiting_list@1`).
    pub head: String,
    pub detail: String,
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
            && self.drafting.is_empty()
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
            drafting: drafting_changes(old, old_library, new, new_library),
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
