//! Drafting: the solicitor's own instructions for a letter (add, replace, omit, include),
//! checked against the clause library and applied to the selection before assembly.
//!
//! The facts decide the selection (`matching`, pure); the solicitor may then overrule it. Both
//! decisions stay visible: an omitted clause is rejected *by the solicitor*, with their reason,
//! not by its condition, so `explain`, the reviewer's copy and `diff` tell the two apart.

use std::collections::HashMap;

use crate::clauses::{Clause, Library, SectionKey};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::facts::LoadedCase;
use crate::facts::model::{DraftingAction, Instruction};
use crate::matching::{Reason, Selection};

/// Where an instruction acts, once its clause and section names are resolved.
#[derive(Debug, Clone, Copy)]
pub enum Anchor<'a> {
    /// After the paragraphs of this clause (or where they would be), in its section.
    After(&'a Clause),
    /// At the start or end of a section.
    Start(SectionKey),
    End(SectionKey),
    /// On a clause (replace, omit, include).
    On(&'a Clause),
}

impl PartialEq for Anchor<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Anchor::After(a), Anchor::After(b)) | (Anchor::On(a), Anchor::On(b)) => a.id == b.id,
            (Anchor::Start(a), Anchor::Start(b)) | (Anchor::End(a), Anchor::End(b)) => a == b,
            _ => false,
        }
    }
}

/// An instruction with its clause found in the library (through a rename if need be).
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// Its place in the case's `drafting` list, from 0; people see it numbered from 1.
    pub index: usize,
    pub instruction: &'a Instruction,
    pub anchor: Anchor<'a>,
}

impl Resolved<'_> {
    /// The instruction's number as `explain` and messages show it.
    pub fn number(&self) -> usize {
        self.index + 1
    }
}

/// The instructions that can be carried out, each with where it acts. Those that cannot (no such
/// clause, a missing part) are left out; [`check`] reports them.
pub fn resolve<'a>(loaded: &'a LoadedCase, library: &'a Library) -> Vec<Resolved<'a>> {
    loaded
        .case
        .drafting
        .iter()
        .enumerate()
        .filter_map(|(index, instruction)| {
            let clause = match instruction.clause.as_deref() {
                Some(id) => Some(library.find(id)?),
                None => None,
            };
            let anchor = match (instruction.action, clause) {
                (DraftingAction::Add, Some(c)) => Anchor::After(c),
                (DraftingAction::Add, None) => {
                    let section = SectionKey::named(instruction.section.as_deref()?)?;
                    match instruction.place? {
                        crate::facts::model::DraftingPlace::Start => Anchor::Start(section),
                        crate::facts::model::DraftingPlace::End => Anchor::End(section),
                    }
                }
                (_, Some(c)) => Anchor::On(c),
                (_, None) => return None,
            };
            Some(Resolved {
                index,
                instruction,
                anchor,
            })
        })
        .collect()
}

/// Every problem with the case's drafting instructions: errors for what cannot be carried out
/// (each naming its line), warnings for instructions written against an older version of their
/// clause, showing the text then (`was`, when recorded) and `now(clause)`, its text today.
pub fn check(
    loaded: &LoadedCase,
    library: &Library,
    now: &dyn Fn(&Clause) -> String,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let drafting = &loaded.case.drafting;
    let ids = || library.clauses.iter().map(|c| c.id.as_str());
    // Which instruction first acted on each clause, to refuse two that contradict each other.
    let mut acting: HashMap<&str, (usize, DraftingAction)> = HashMap::new();
    for (i, ins) in drafting.iter().enumerate() {
        let n = i + 1;
        let action = ins.action.name();
        let at = |field: &str| {
            let path = if field.is_empty() {
                format!("drafting[{i}]")
            } else {
                format!("drafting[{i}].{field}")
            };
            (loaded.location(&path), path)
        };
        let error = |code: Code, field: &str, message: String| {
            let (location, path) = at(field);
            Diagnostic::error(code, message).at(location).field(path)
        };
        let warning = |code: Code, field: &str, message: String| {
            let (location, path) = at(field);
            Diagnostic::warning(code, message).at(location).field(path)
        };
        let blank = |v: &Option<String>| v.as_deref().is_some_and(|t| t.trim().is_empty());
        let needs_text = matches!(ins.action, DraftingAction::Add | DraftingAction::Replace);
        let needs_reason = matches!(ins.action, DraftingAction::Omit | DraftingAction::Include);
        if needs_text && (ins.text.is_none() || blank(&ins.text)) {
            out.push(
                error(
                    Code::MissingField,
                    "",
                    format!("drafting instruction {n} (`{action}`) has no `text`"),
                )
                .hint("write the paragraph in `text = \"\"\"…\"\"\"`, as a clause body is written (a blank line between paragraphs)"),
            );
        }
        if !needs_text && ins.text.is_some() {
            out.push(
                error(
                    Code::BadDrafting,
                    "text",
                    format!("drafting instruction {n} (`{action}`) does not use `text`"),
                )
                .hint("to put your own words in place of a clause, use `action = \"replace\"`; to add a paragraph, `action = \"add\"`"),
            );
        }
        if needs_reason && (ins.reason.is_none() || blank(&ins.reason)) {
            out.push(
                error(
                    Code::MissingField,
                    "",
                    format!(
                        "drafting instruction {n} (`{action}`) needs a `reason`: why the clause is {}",
                        if ins.action == DraftingAction::Omit {
                            "left out"
                        } else {
                            "brought in"
                        }
                    ),
                )
                .hint("the reason is shown by `explain` and in the reviewer's copy, e.g. `reason = \"the client does not want this raised\"`"),
            );
        }
        let clause = match ins.clause.as_deref() {
            None => {
                if ins.action != DraftingAction::Add {
                    out.push(
                        error(
                            Code::MissingField,
                            "",
                            format!("drafting instruction {n} (`{action}`) does not say which clause"),
                        )
                        .hint("add `clause = \"…\"` with the clause's id; `vtsdraft explain` lists every clause with its id and version"),
                    );
                } else {
                    check_place(&mut out, ins, n, &error);
                }
                None
            }
            Some(id) => {
                if ins.action == DraftingAction::Add
                    && (ins.section.is_some() || ins.place.is_some())
                {
                    out.push(
                        error(
                            Code::BadDrafting,
                            "section",
                            format!("drafting instruction {n} gives both a `clause` to follow and a `section`/`place`"),
                        )
                        .hint("keep `clause` to add after that clause's paragraphs, or `section` and `place` to add at the start or end of a section"),
                    );
                }
                match library.find(id) {
                    None => {
                        let mut d = error(
                            Code::UnknownClause,
                            "clause",
                            format!(
                                "drafting instruction {n} names clause `{id}`, which is not in the clause library"
                            ),
                        );
                        d = match did_you_mean(id, ids()) {
                            Some(near) => d.hint(format!("did you mean `{near}`?")),
                            None => d.hint("`vtsdraft explain` lists every clause; if the library no longer has this one, delete the instruction, or make it an `add` with `section` and `place`"),
                        };
                        out.push(d);
                        None
                    }
                    Some(c) => {
                        if c.id != id {
                            out.push(
                                warning(
                                    Code::StaleDrafting,
                                    "clause",
                                    format!("drafting instruction {n} names `{id}`, which the clause library now calls `{}`", c.id),
                                )
                                .hint(format!("write `clause = \"{}\"`", c.id)),
                            );
                        }
                        Some(c)
                    }
                }
            }
        };
        let Some(clause) = clause else { continue };
        match ins.version {
            None => out.push(
                error(
                    Code::MissingField,
                    "clause",
                    format!(
                        "drafting instruction {n} does not say which version of `{}` it was written against",
                        clause.id
                    ),
                )
                .hint(format!(
                    "add `version = {}` (the version today) once you have read the clause; `check` then warns you when the library changes it",
                    clause.version
                )),
            ),
            Some(v) if v != clause.version => {
                let mut d = warning(
                    Code::StaleDrafting,
                    "version",
                    format!(
                        "drafting instruction {n} (`{action}`) was written against `{}@{v}`; the clause library now has `{}`",
                        clause.id,
                        clause.stamp()
                    ),
                );
                d = match &ins.was {
                    Some(was) => d.hint(format!("the clause then read: {}", indent(was))),
                    None => d.hint(
                        "the clause's text then was not recorded with the instruction (`was`)",
                    ),
                };
                d = d.hint(format!("the clause now reads: {}", indent(&now(clause))));
                d = d.hint(format!(
                    "check the instruction still does what you meant, then set `version = {}`",
                    clause.version
                ));
                out.push(d);
            }
            Some(_) => {}
        }
        if ins.action != DraftingAction::Add {
            match acting.get(clause.id.as_str()) {
                Some((first, first_action)) => out.push(
                    error(
                        Code::BadDrafting,
                        "clause",
                        format!(
                            "drafting instructions {} (`{}`) and {n} (`{action}`) both act on `{}`",
                            first + 1,
                            first_action.name(),
                            clause.id
                        ),
                    )
                    .hint("keep one instruction per clause: a `replace` already decides its text, an `omit` leaves it out"),
                ),
                None => {
                    acting.insert(clause.id.as_str(), (i, ins.action));
                }
            }
        }
    }
    out
}

/// Paragraphs of clause text for a hint: one per line, indented under it, no blank lines (a
/// blank line ends a diagnostic in the human format).
fn indent(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n        ")
}

/// `section` and `place` of an `add` with no clause.
fn check_place(
    out: &mut Vec<Diagnostic>,
    ins: &Instruction,
    n: usize,
    error: &dyn Fn(Code, &str, String) -> Diagnostic,
) {
    let names = || SectionKey::ALL.into_iter().map(SectionKey::name);
    match ins.section.as_deref() {
        None => out.push(
            error(
                Code::MissingField,
                "",
                format!("drafting instruction {n} (`add`) says neither which clause it follows nor which section it goes in"),
            )
            .hint("add `clause = \"…\"` to follow a clause's paragraphs, or `section = \"recovery\"` and `place = \"end\"`"),
        ),
        Some(name) if SectionKey::named(name).is_none() => {
            let mut d = error(
                Code::BadChoice,
                "section",
                format!("drafting instruction {n}: `{name}` is not a section of the letter"),
            );
            d = match did_you_mean(name, names()) {
                Some(near) => d.hint(format!("did you mean `{near}`?")),
                None => d.hint(format!(
                    "the sections are {}",
                    names().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            out.push(d);
        }
        Some(_) => {
            if ins.place.is_none() {
                out.push(
                    error(
                        Code::MissingField,
                        "section",
                        format!("drafting instruction {n} (`add`) gives a section but no `place`"),
                    )
                    .hint("add `place = \"start\"` or `place = \"end\"`"),
                );
            }
        }
    }
}

/// The selection after the solicitor's `omit` and `include` instructions, in library order, and
/// warnings for instructions that change nothing (leaving out a clause the facts did not select).
pub fn apply(
    selection: &mut Selection,
    resolved: &[Resolved],
    loaded: &LoadedCase,
    library: &Library,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for r in resolved {
        let Anchor::On(clause) = r.anchor else {
            continue;
        };
        let n = r.number();
        let reason = r.instruction.reason.clone().unwrap_or_default();
        let is = |d: &crate::matching::Decision| d.id == clause.id;
        match r.instruction.action {
            DraftingAction::Omit => {
                if let Some(at) = selection.selected.iter().position(is) {
                    let mut d = selection.selected.remove(at);
                    d.reason = Reason::OmittedBySolicitor {
                        instruction: n,
                        reason,
                    };
                    selection.rejected.push(d);
                } else {
                    warnings.push(Diagnostic::warning(
                        Code::Redundant,
                        format!("drafting instruction {n} leaves out `{}`, which the facts did not select anyway", clause.id),
                    )
                    .at(loaded.location(&format!("drafting[{}]", r.index)))
                    .field(format!("drafting[{}]", r.index)));
                }
            }
            DraftingAction::Include => {
                if let Some(at) = selection.rejected.iter().position(is) {
                    let mut d = selection.rejected.remove(at);
                    let condition = std::mem::replace(&mut d.reason, Reason::ConditionTrue);
                    d.reason = Reason::IncludedBySolicitor {
                        instruction: n,
                        reason,
                        condition: Box::new(condition),
                    };
                    selection.selected.push(d);
                } else {
                    warnings.push(Diagnostic::warning(
                        Code::Redundant,
                        format!("drafting instruction {n} brings in `{}`, which the facts already select", clause.id),
                    )
                    .at(loaded.location(&format!("drafting[{}]", r.index)))
                    .field(format!("drafting[{}]", r.index)));
                }
            }
            DraftingAction::Replace => {
                if !selection.selected.iter().any(is) {
                    warnings.push(
                        Diagnostic::warning(
                            Code::Redundant,
                            format!("drafting instruction {n} replaces the text of `{}`, which is not in this letter", clause.id),
                        )
                        .at(loaded.location(&format!("drafting[{}]", r.index)))
                        .field(format!("drafting[{}]", r.index))
                        .hint("the facts did not select it: add an `include` instruction for it too, or make this an `add`"),
                    );
                }
            }
            DraftingAction::Add => {}
        }
    }
    let order: HashMap<&str, usize> = library
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let place = |d: &crate::matching::Decision| order.get(d.id.as_str()).copied();
    selection.selected.sort_by_key(place);
    selection.rejected.sort_by_key(place);
    warnings
}

/// A hash of the drafting instructions (SHA-256 of their canonical JSON), for the provenance
/// record: it proves which instructions made the letter without carrying their free text.
/// `None` when the case has none.
pub fn fingerprint(instructions: &[Instruction]) -> Option<String> {
    if instructions.is_empty() {
        return None;
    }
    let json = serde_json::to_vec(instructions).unwrap_or_default();
    Some(crate::provenance::sha256(&json))
}
