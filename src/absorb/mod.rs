//! Absorb: a Word file that vtsdraft wrote and a person then edited, mapped back paragraph by
//! paragraph to the clauses it came from, and written into the case's `drafting` part as `add`,
//! `replace` and `omit` instructions, so a rebuild reproduces the edited wording.
//!
//! Every paragraph of a letter's body carries a bookmark from the export
//! ([`crate::docx::paragraph_mark`]) naming its clause and its place in the clause. The case is
//! prepared again and exported afresh; each paragraph of the edited file is matched by its mark
//! to the fresh export's, and compared as the same reader sees both, so only real edits count.
//! A paragraph with no mark (typed in Word) is the solicitor's, added after the paragraph before
//! it. Nothing is dropped: what cannot be mapped is kept as an added paragraph at the nearest
//! place and listed.

pub mod case_file;
pub mod word;

use std::collections::HashMap;

use crate::Prepared;
use crate::assembly::{Block, Inline, Origin, SectionKind, markup};
use crate::clauses::{Library, SectionKey};
use crate::diag::{Code, Diagnostic, Location};
use crate::docx::{MARK_PREFIX, SIGNOFF_MARK, paragraph_mark, section_mark};
use crate::facts::model::{DraftingAction, DraftingPlace, Instruction};
use word::{Para, Span};

/// One change to the case's drafting instructions (indices from 0 into the case's list).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A new instruction, appended.
    New(Instruction),
    /// A new text for an existing `add` or `replace` instruction.
    SetText(usize, String),
    /// An existing `replace` instruction whose paragraphs were all deleted becomes an `omit`.
    ToOmit(usize, String),
    /// An existing `add` instruction whose paragraphs were all deleted.
    Remove(usize),
}

/// What absorbing an edited Word file does to the case.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub edits: Vec<Edit>,
    /// One line per change, for people.
    pub absorbed: Vec<String>,
    /// Paragraphs that could not be mapped to a clause, each kept as an added paragraph.
    pub unmapped: Vec<String>,
    /// Edits that cannot be absorbed (the tables, made from the facts), listed so none is lost
    /// silently.
    pub not_absorbed: Vec<String>,
    /// Tracked changes whose result was taken.
    pub insertions: usize,
    pub deletions: usize,
}

/// A paragraph of the letter's body as the fresh export has it.
struct Element {
    mark: String,
    clause: String,
    origin: Origin,
    list: Option<bool>,
    /// The evidence references and citations in it: their text, and the markup that makes them
    /// (so a reworded paragraph keeps them live: numbered and cited right on every rebuild).
    markers: Vec<(String, String)>,
}

/// A paragraph of the edited file, as markup.
#[derive(Debug, Clone)]
struct Edited {
    markup: String,
    plain: String,
    /// `Some(ordered)` for a list item.
    list: Option<bool>,
}

/// The paragraphs of one clause (or one added text) in the edited file.
struct Unit {
    clause: String,
    origin: Origin,
    /// For each exported paragraph: its text in the fresh export, its text now (`None`:
    /// deleted), and the new paragraphs typed after it.
    slots: Vec<(String, Option<Edited>, Vec<Edited>)>,
}

/// Where a new paragraph goes: after a paragraph of a unit, or at a section's start or end.
#[derive(Clone, Copy)]
enum Place {
    After(usize, usize),
    Start(SectionKey),
    End,
}

/// Maps the edited Word file `edited` (named `name` in messages) back onto `prepared`'s letter.
pub fn absorb(
    prepared: &Prepared,
    library: &Library,
    docx: &[u8],
    name: &str,
) -> Result<Outcome, Vec<Diagnostic>> {
    let bad = |why: String| {
        vec![
            Diagnostic::error(Code::BadInput, format!("cannot absorb `{name}`: {why}"))
                .at(Location::file(std::path::Path::new(name)))
                .hint("give the .docx that `vtsdraft build --emit docx` wrote, after editing it in Word or LibreOffice"),
        ]
    };
    let body = word::read(docx).map_err(bad)?;
    if !body
        .paragraphs
        .iter()
        .any(|p| p.marks.iter().any(|m| m.starts_with(MARK_PREFIX)))
    {
        return Err(bad(
            "it has none of the marks vtsdraft puts on a letter's paragraphs, so it was not exported by vtsdraft (or the marks were removed)".into(),
        ));
    }
    let fresh_bytes = crate::docx::render(&prepared.document, &Default::default())?;
    let fresh = word::read(&fresh_bytes).map_err(|e| {
        vec![Diagnostic::error(
            Code::Internal,
            format!("cannot read back our own Word file: {e}"),
        )]
    })?;
    let elements = elements(prepared, library);
    let by_mark: HashMap<&str, usize> = elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.mark.as_str(), i))
        .collect();
    let fresh_text: HashMap<&str, String> = fresh
        .paragraphs
        .iter()
        .filter_map(|p| Some((p.marks.first()?.as_str(), p.plain())))
        .collect();

    // The units in letter order, each with its exported paragraphs.
    let mut units: Vec<Unit> = Vec::new();
    let mut slot_of: Vec<(usize, usize)> = Vec::with_capacity(elements.len());
    for e in &elements {
        if units.last().is_none_or(|u| u.clause != e.clause) {
            units.push(Unit {
                clause: e.clause.clone(),
                origin: e.origin.clone(),
                slots: Vec::new(),
            });
        }
        let unit = units.len() - 1;
        let text = fresh_text.get(e.mark.as_str()).cloned().unwrap_or_default();
        units[unit].slots.push((text, None, Vec::new()));
        slot_of.push((unit, units[unit].slots.len() - 1));
    }
    // The fresh export's paragraphs outside the numbered body (addressee, subject, sign-off):
    // an edited file's paragraph there that is not one of them is the solicitor's.
    let structure: std::collections::HashSet<String> = fresh
        .paragraphs
        .iter()
        .filter(|p| !p.marks.iter().any(|m| by_mark.contains_key(m.as_str())))
        .map(Para::plain)
        .collect();
    let sections: Vec<SectionKey> = prepared
        .document
        .sections
        .iter()
        .filter_map(|s| match s.key {
            SectionKind::Clauses(k) => Some(k),
            SectionKind::EvidenceIndex => None,
        })
        .collect();
    let first_section = sections.first().copied().unwrap_or(SectionKey::Request);
    let last_section = sections.last().copied().unwrap_or(SectionKey::Conclusion);

    let mut outcome = Outcome {
        insertions: body.insertions,
        deletions: body.deletions,
        ..Default::default()
    };
    let mut at_start: HashMap<SectionKey, Vec<Edited>> = HashMap::new();
    let mut at_end: Vec<Edited> = Vec::new();
    #[derive(PartialEq)]
    enum Region {
        Before,
        Body,
        After,
    }
    let mut region = Region::Before;
    let mut place = Place::Start(first_section);
    let mut used = vec![false; elements.len()];
    // The styles list items have in this file: programs rename styles (LibreOffice turns
    // `VtsList` into `ParagraphList`), so a typed paragraph is a list item when it has the style
    // of a paragraph that the export made a list item.
    let list_styles: std::collections::HashSet<&str> = body
        .paragraphs
        .iter()
        .filter(|p| {
            p.marks.iter().any(|m| {
                by_mark
                    .get(m.as_str())
                    .is_some_and(|i| elements[*i].list.is_some())
            })
        })
        .map(|p| p.style.as_str())
        .collect();
    for p in &body.paragraphs {
        if let Some(key) = p.marks.iter().find_map(|m| {
            m.strip_prefix(&section_mark(""))
                .and_then(SectionKey::named)
        }) {
            region = Region::Body;
            place = Place::Start(key);
            continue;
        }
        if p.marks
            .iter()
            .any(|m| m == SIGNOFF_MARK || *m == section_mark("evidence_index"))
        {
            region = Region::After;
            continue;
        }
        let plain = p.plain();
        if p.deleted || plain.trim().is_empty() {
            continue;
        }
        let known = p
            .marks
            .iter()
            .filter_map(|m| by_mark.get(m.as_str()).copied())
            .find(|i| !used[*i]);
        match (&region, known) {
            (Region::Body, Some(i)) | (Region::Before | Region::After, Some(i)) => {
                used[i] = true;
                let e = &elements[i];
                let (u, s) = slot_of[i];
                units[u].slots[s].1 = Some(edited(p, e.list, &e.markers));
                place = Place::After(u, s);
            }
            (Region::Body, None) => {
                if p.marks.iter().any(|m| m.starts_with(MARK_PREFIX)) {
                    outcome.unmapped.push(format!(
                        "{} (its mark is from another version of this letter; kept after the paragraph before it)",
                        snippet(&plain)
                    ));
                }
                let new = edited(
                    p,
                    list_styles.contains(p.style.as_str()).then_some(false),
                    &[],
                );
                match place {
                    Place::After(u, s) => units[u].slots[s].2.push(new),
                    Place::Start(k) => at_start.entry(k).or_default().push(new),
                    Place::End => at_end.push(new),
                }
            }
            (Region::Before, None) => {
                if !structure.contains(&plain) {
                    outcome.unmapped.push(format!(
                        "{} (before the first section: kept at the start of the letter's first section)",
                        snippet(&plain)
                    ));
                    at_start
                        .entry(first_section)
                        .or_default()
                        .push(edited(p, None, &[]));
                }
            }
            (Region::After, None) => {
                if !structure.contains(&plain) {
                    outcome.unmapped.push(format!(
                        "{} (after the sign-off: kept at the end of the last section)",
                        snippet(&plain)
                    ));
                    at_end.push(edited(p, None, &[]));
                    place = Place::End;
                }
            }
        }
    }
    if fresh.tables != body.tables {
        outcome.not_absorbed.push(
            "a table (the chronology or the evidence index) was edited: the tables are made from the facts, so change the case's facts or evidence list instead".into(),
        );
    }

    let file = std::path::Path::new(name)
        .file_name()
        .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
    plan(prepared, library, &units, &file, &mut outcome);
    for (key, paragraphs) in sections
        .iter()
        .filter_map(|k| Some((*k, at_start.remove(k)?)))
    {
        new_add(
            &mut outcome,
            None,
            Some((key, DraftingPlace::Start)),
            &paragraphs,
        );
    }
    if !at_end.is_empty() {
        new_add(
            &mut outcome,
            None,
            Some((last_section, DraftingPlace::End)),
            &at_end,
        );
    }
    Ok(outcome)
}

/// The instructions for each unit whose paragraphs changed, and for the paragraphs typed after it.
fn plan(prepared: &Prepared, library: &Library, units: &[Unit], file: &str, outcome: &mut Outcome) {
    let instructions = &prepared.loaded.case.drafting;
    for unit in units {
        let last = unit.slots.len() - 1;
        let changed = unit.slots.iter().enumerate().any(|(i, (was, now, typed))| {
            now.as_ref().is_none_or(|n| n.plain != *was) || (i < last && !typed.is_empty())
        });
        let trailing = &unit.slots[last].2;
        // The unit's text now: its surviving paragraphs, with those typed inside it.
        let mut now: Vec<Edited> = Vec::new();
        for (i, (_, edited, typed)) in unit.slots.iter().enumerate() {
            now.extend(edited.iter().cloned());
            if i < last {
                now.extend(typed.iter().cloned());
            }
        }
        let was = unit
            .slots
            .iter()
            .map(|(w, _, _)| w.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        let reworded = unit
            .slots
            .iter()
            .filter(|(w, n, _)| n.as_ref().is_some_and(|n| n.plain != *w))
            .count();
        let deleted = unit.slots.iter().filter(|(_, n, _)| n.is_none()).count();
        let typed_inside: usize = unit.slots[..last].iter().map(|s| s.2.len()).sum();
        let what = describe(reworded, deleted, typed_inside);
        match &unit.origin {
            Origin::Library => {
                let Some(clause) = library.get(&unit.clause) else {
                    continue;
                };
                if changed {
                    let (action, text, reason) = if now.is_empty() {
                        (
                            DraftingAction::Omit,
                            None,
                            Some(format!("deleted in {file}")),
                        )
                    } else {
                        (DraftingAction::Replace, Some(to_markup(&now)), None)
                    };
                    outcome.absorbed.push(format!(
                        "{} `{}`: {what}",
                        action.name(),
                        clause.stamp()
                    ));
                    outcome.edits.push(Edit::New(Instruction {
                        action,
                        clause: Some(clause.id.clone()),
                        version: Some(clause.version),
                        section: None,
                        place: None,
                        text,
                        reason,
                        was: Some(was),
                    }));
                }
                if !trailing.is_empty() {
                    new_add(
                        outcome,
                        Some((clause.id.clone(), clause.version)),
                        None,
                        trailing,
                    );
                }
            }
            Origin::Replaced { instruction, .. } => {
                let index = instruction - 1;
                if changed {
                    if now.is_empty() {
                        outcome.absorbed.push(format!(
                            "drafting instruction {instruction} (`replace`) becomes `omit`: all its paragraphs were deleted"
                        ));
                        outcome
                            .edits
                            .push(Edit::ToOmit(index, format!("deleted in {file}")));
                    } else {
                        outcome.absorbed.push(format!(
                            "drafting instruction {instruction} (`replace`) takes the new wording: {what}"
                        ));
                        outcome.edits.push(Edit::SetText(index, to_markup(&now)));
                    }
                }
                if !trailing.is_empty() {
                    let version = instructions
                        .get(index)
                        .and_then(|i| i.version)
                        .or_else(|| library.get(&unit.clause).map(|c| c.version));
                    new_add(
                        outcome,
                        Some((unit.clause.clone(), version.unwrap_or(1))),
                        None,
                        trailing,
                    );
                }
            }
            Origin::Added { instruction } => {
                let index = instruction - 1;
                let mut all = now.clone();
                all.extend(trailing.iter().cloned());
                if all.is_empty() {
                    outcome.absorbed.push(format!(
                        "drafting instruction {instruction} (`add`) is removed: all its paragraphs were deleted"
                    ));
                    outcome.edits.push(Edit::Remove(index));
                } else if changed || !trailing.is_empty() {
                    let what = describe(reworded, deleted, typed_inside + trailing.len());
                    outcome.absorbed.push(format!(
                        "drafting instruction {instruction} (`add`) takes the new wording: {what}"
                    ));
                    outcome.edits.push(Edit::SetText(index, to_markup(&all)));
                }
            }
        }
    }
}

/// "1 paragraph reworded, 1 deleted, 1 added".
fn describe(reworded: usize, deleted: usize, typed: usize) -> String {
    let mut parts = Vec::new();
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    if reworded > 0 {
        parts.push(format!(
            "{} reworded",
            n(reworded, "paragraph", "paragraphs")
        ));
    }
    if deleted > 0 {
        parts.push(format!("{} deleted", n(deleted, "paragraph", "paragraphs")));
    }
    if typed > 0 {
        parts.push(format!("{} added", n(typed, "paragraph", "paragraphs")));
    }
    if parts.is_empty() {
        "unchanged".into()
    } else {
        parts.join(", ")
    }
}

/// A new `add` instruction after a clause (`id`, `version`) or at a section's start or end.
fn new_add(
    outcome: &mut Outcome,
    after: Option<(String, u32)>,
    at: Option<(SectionKey, DraftingPlace)>,
    paragraphs: &[Edited],
) {
    let where_ = match (&after, at) {
        (Some((id, v)), _) => format!("after `{id}@{v}`"),
        (None, Some((k, DraftingPlace::Start))) => {
            format!("at the start of section `{}`", k.name())
        }
        (None, Some((k, DraftingPlace::End))) => format!("at the end of section `{}`", k.name()),
        (None, None) => String::new(),
    };
    outcome.absorbed.push(format!(
        "add {where_}: {}",
        describe(0, 0, paragraphs.len())
    ));
    outcome.edits.push(Edit::New(Instruction {
        action: DraftingAction::Add,
        clause: after.as_ref().map(|(id, _)| id.clone()),
        version: after.as_ref().map(|(_, v)| *v),
        section: at.map(|(k, _)| k.name().to_string()),
        place: at.map(|(_, p)| p),
        text: Some(to_markup(paragraphs)),
        reason: None,
        was: None,
    }));
}

/// The start of a paragraph, for listing it.
fn snippet(text: &str) -> String {
    format!("\"{}\"", crate::diag::clip(text, 60))
}

/// Every paragraph of the letter's body, with the mark the export gives it.
fn elements(prepared: &Prepared, library: &Library) -> Vec<Element> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for section in &prepared.document.sections {
        if section.key == SectionKind::EvidenceIndex {
            continue;
        }
        for block in &section.blocks {
            let (clause, origin, items, list): (&str, &Origin, Vec<&[Inline]>, Option<bool>) =
                match block {
                    Block::Para {
                        clause,
                        origin,
                        content,
                        ..
                    } => (clause, origin, vec![content.as_slice()], None),
                    Block::List {
                        clause,
                        origin,
                        items,
                        ordered,
                        ..
                    } => (
                        clause,
                        origin,
                        items.iter().map(Vec::as_slice).collect(),
                        Some(*ordered),
                    ),
                    Block::Table(_) => continue,
                };
            for content in items {
                let k = seen.entry(clause).or_default();
                let mut markers = Vec::new();
                markers_in(content, library, &mut markers);
                out.push(Element {
                    mark: paragraph_mark(clause, *k),
                    clause: clause.to_string(),
                    origin: origin.clone(),
                    list,
                    markers,
                });
                *k += 1;
            }
        }
    }
    out
}

/// The evidence references and citations in `content`, with the markup that makes each.
fn markers_in(content: &[Inline], library: &Library, out: &mut Vec<(String, String)>) {
    for inline in content {
        match inline {
            Inline::Evidence { ids, text, .. } if ids.len() == 1 => {
                out.push((text.clone(), format!("{{{{tab \"{}\"}}}}", ids[0])));
            }
            Inline::Cite { key, content } => {
                let text: String = content.iter().map(Inline::plain_text).collect();
                let Some(authority) = library.authorities.get(key) else {
                    continue;
                };
                // As the letter sets it (typographic quotes, dates kept whole).
                let joined = |runs: Vec<(String, bool)>| {
                    crate::assembly::typography::set_text(
                        &runs.into_iter().map(|(t, _)| t).collect::<String>(),
                    )
                };
                let pinpoint = [
                    joined(authority.full_runs()),
                    joined(authority.short_runs()),
                ]
                .iter()
                .find_map(|form| text.strip_prefix(form.as_str()))
                .map(str::trim);
                match pinpoint {
                    Some("") => out.push((text, format!("{{{{cite \"{key}\"}}}}"))),
                    Some(pin) if !pin.contains(['"', '\\', '{', '}']) => {
                        out.push((text.clone(), format!("{{{{cite \"{key}\" \"{pin}\"}}}}")))
                    }
                    _ => {}
                }
            }
            Inline::Emph(c) | Inline::Strong(c) => markers_in(c, library, out),
            _ => {}
        }
    }
}

/// A paragraph of the edited file as markup: its runs escaped and set, and each evidence
/// reference and citation whose text is still there made live again.
fn edited(p: &Para, list: Option<bool>, markers: &[(String, String)]) -> Edited {
    let plain = p.plain();
    let mut ranges: Vec<(usize, usize, &str)> = Vec::new();
    let mut from = 0;
    for (text, markup) in markers {
        if text.is_empty() {
            continue;
        }
        if let Some(at) = plain[from..].find(text.as_str()) {
            let start = from + at;
            ranges.push((start, start + text.len(), markup));
            from = start + text.len();
        }
    }
    let mut out = String::new();
    let mut offset = 0;
    let mut r = 0;
    for span in &p.spans {
        let end = offset + span.text.len();
        let mut pos = offset;
        while pos < end {
            if let Some(&(start, stop, markup)) = ranges.get(r)
                && start <= pos
            {
                if pos == start {
                    out.push_str(markup);
                }
                pos = stop.min(end);
                if pos == stop {
                    r += 1;
                }
                continue;
            }
            let next = ranges.get(r).map_or(end, |&(start, _, _)| start.min(end));
            set(&mut out, &span.text[pos - offset..next - offset], span);
            pos = next;
        }
        offset = end;
    }
    Edited {
        markup: out.trim().to_string(),
        plain,
        list,
    }
}

/// `text` escaped, in italic or bold as `span` is, spaces kept outside the delimiters (the
/// markup ignores a delimiter next to a space).
fn set(out: &mut String, text: &str, span: &Span) {
    let inner = text.trim();
    if inner.is_empty() {
        out.push_str(text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let delimiter = match (span.italic, span.bold) {
        (true, true) => "***",
        (false, true) => "**",
        (true, false) => "*",
        (false, false) => "",
    };
    out.push_str(lead);
    out.push_str(delimiter);
    out.push_str(&markup::escape_text(inner));
    out.push_str(delimiter);
    out.push_str(trail);
}

/// Paragraphs as clause markup: a blank line between paragraphs, list items as `- ` (or `1. `)
/// lines.
fn to_markup(paragraphs: &[Edited]) -> String {
    let mut out = String::new();
    let mut previous: Option<Option<bool>> = None;
    for p in paragraphs {
        let same_list = matches!((previous, p.list), (Some(Some(a)), Some(b)) if a == b);
        if previous.is_some() {
            out.push_str(if same_list { "\n" } else { "\n\n" });
        }
        match p.list {
            Some(true) => out.push_str("1. "),
            Some(false) => out.push_str("- "),
            None => {}
        }
        out.push_str(&p.markup);
        previous = Some(p.list);
    }
    out
}

/// The most an edited Word file may be.
pub const MAX_DOCX_BYTES: usize = 64 * 1024 * 1024;

/// Absorbs the edited Word file at `docx` into the case file at `case`: the outcome, and the case
/// file's new text, which has been checked to prepare cleanly (nothing is written here).
pub fn into_case(
    toolkit: &crate::Toolkit,
    case: &std::path::Path,
    firm: Option<&crate::facts::model::Representative>,
    docx: &std::path::Path,
) -> Result<(Outcome, String), Vec<Diagnostic>> {
    if crate::facts::load::Format::of(case) != crate::facts::load::Format::Toml {
        return Err(vec![
            Diagnostic::error(
                Code::BadInput,
                format!(
                    "`{}` is a JSON case file; `absorb` writes drafting instructions into TOML case files, keeping their comments",
                    case.display()
                ),
            )
            .at(Location::file(case))
            .hint("keep the case as TOML (`vtsdraft new case.toml` shows the format), or add the `drafting` entries to the JSON by hand"),
        ]);
    }
    let prepared = crate::prepare(toolkit, case, firm)?;
    let bytes = crate::facts::load::read_bounded(docx, MAX_DOCX_BYTES).map_err(|e| {
        let why = match e {
            crate::facts::load::Bounded::TooLarge => {
                format!("it is larger than {MAX_DOCX_BYTES} bytes")
            }
            crate::facts::load::Bounded::Io(e) => e.to_string(),
        };
        vec![
            Diagnostic::error(
                Code::Unreadable,
                format!("cannot read `{}`: {why}", docx.display()),
            )
            .at(Location::file(docx)),
        ]
    })?;
    let name = docx.display().to_string();
    let outcome = absorb(&prepared, &toolkit.library, &bytes, &name)?;
    let file = docx
        .file_name()
        .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
    let text = case_file::apply(&prepared.loaded.text, &outcome.edits, &file).map_err(|why| {
        vec![
            Diagnostic::error(
                Code::BadInput,
                format!("cannot edit `{}`: {why}", case.display()),
            )
            .at(Location::file(case)),
        ]
    })?;
    // The new case must build: a rebuild is the point of absorbing.
    let loaded =
        crate::facts::load::load_str(case, text.clone(), crate::facts::load::Format::Toml, firm)?;
    crate::prepare_loaded(toolkit, loaded)?;
    Ok((outcome, text))
}
