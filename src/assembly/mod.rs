//! Assembly: the selected clauses, rendered and ordered into one structured [`Document`].
//!
//! The document is independent of Typst: the PDF renderer, the explain output and future
//! renderers (DOCX, redline, web preview) all read this structure; nothing is parsed back out of
//! Typst.

pub mod chronology;
pub mod helpers;
pub mod marker;
pub mod markup;
pub mod typography;

use std::collections::BTreeMap;

use std::collections::HashMap;
use std::sync::OnceLock;

use handlebars::{Handlebars, RenderContext, Renderable, StringOutput, Template, TemplateError};
use serde::Serialize;

use crate::clauses::{Library, SectionKey};
use crate::diag::{Code, Diagnostic, Location};
use crate::drafting::{Anchor, Resolved};
use crate::facts::Context;
use crate::facts::model::DraftingAction;
use crate::facts::model::{EvidenceStatus, LetterMode};
use crate::facts::{Derived, LoadedCase};
use crate::matching::Selection;
use crate::phrases::Phrase;
use marker::{Marker, Piece};

/// Inline text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    /// A line break inside a paragraph.
    Break,
    /// A reference to evidence: the tabs it points at and its printed form, also split into
    /// parts, some of which link to their rows of the evidence index (`text` is the parts
    /// joined).
    Evidence {
        ids: Vec<String>,
        text: String,
        parts: Vec<EvidencePart>,
    },
    /// A citation of an authority (full form at first use, short after).
    Cite {
        key: String,
        content: Vec<Inline>,
    },
}

/// A piece of an evidence reference's printed form: `Tab 3` with the anchor of Tab 3's row in
/// the evidence index, or the punctuation between such links (no anchor).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidencePart {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

/// A block in a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A numbered paragraph, the clause it came from, and whose words it is.
    Para {
        number: u32,
        clause: String,
        content: Vec<Inline>,
        #[serde(skip_serializing_if = "Origin::is_library")]
        origin: Origin,
    },
    /// A list belonging to the paragraph before it.
    List {
        ordered: bool,
        clause: String,
        items: Vec<Vec<Inline>>,
        #[serde(skip_serializing_if = "Origin::is_library")]
        origin: Origin,
    },
    Table(Table),
}

/// Whose words a paragraph or list is: the clause library's, or the solicitor's (a drafting
/// instruction, numbered from 1 as `explain` lists them).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    #[default]
    Library,
    /// Added by the solicitor; the block's `clause` is [`added_id`] of the instruction.
    Added { instruction: usize },
    /// The solicitor's text in place of the clause's, written against `replaces` (`id@version`).
    Replaced {
        instruction: usize,
        replaces: String,
    },
}

impl Origin {
    pub fn is_library(&self) -> bool {
        *self == Origin::Library
    }
}

/// The `clause` of the paragraphs a solicitor's `add` instruction (numbered from 1) produces: it
/// names no clause of the library (ids there have no `#`), and stays the same across rebuilds
/// while the instruction keeps its place in the list.
pub fn added_id(instruction: usize) -> String {
    format!("drafting#{instruction}")
}

/// A table generated from the facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `chronology` or `evidence_index`.
    pub name: String,
    pub columns: Vec<String>,
    /// Relative column widths.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<String>>,
    /// For each row, the anchor that links elsewhere in the document point at (see
    /// [`chronology::evidence_anchors`]); empty for a table nothing links to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Option<String>>,
    /// For each row, the anchor its last cell links to (the chronology's "Tab N" cells, to their
    /// rows of the evidence index); empty for a table with no links.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Option<String>>,
}

/// Which part of the letter a section is: a section of clauses, or the evidence index, the annex
/// after the sign-off. Ordered as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionKind {
    Clauses(SectionKey),
    EvidenceIndex,
}

impl SectionKind {
    /// `request`, `recovery`, …, or `evidence_index`.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Clauses(key) => key.name(),
            SectionKind::EvidenceIndex => "evidence_index",
        }
    }
}

impl Serialize for SectionKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One section of the letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub key: SectionKind,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The whole letter as structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub title: String,
    /// ISO date, for PDF metadata.
    pub date_iso: String,
    pub date: String,
    pub letterhead: Vec<String>,
    pub firm_name: String,
    pub addressee: Vec<String>,
    /// (label, value) pairs: our reference, Home Office reference, …
    pub references: Vec<(String, String)>,
    pub subject: String,
    pub flags: Vec<String>,
    pub salutation: String,
    pub sections: Vec<Section>,
    pub closing: String,
    pub signatory: Vec<String>,
    /// The enclosures line below the signature (none when nothing is enclosed).
    pub enclosures: Option<String>,
    /// For PDF identifiers and output names.
    pub reference: String,
}

impl Inline {
    /// The text a reader sees.
    pub fn plain_text(&self) -> String {
        match self {
            Inline::Text(t) => t.clone(),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Cite { content: c, .. } => {
                c.iter().map(Inline::plain_text).collect()
            }
            Inline::Break => "\n".into(),
            Inline::Evidence { text, .. } => text.clone(),
        }
    }
}

impl Block {
    /// The text a reader sees (a table's cells joined by tabs).
    pub fn plain_text(&self) -> String {
        match self {
            Block::Para { content, .. } => content.iter().map(Inline::plain_text).collect(),
            Block::List { items, .. } => items
                .iter()
                .map(|i| i.iter().map(Inline::plain_text).collect::<String>())
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(t) => t
                .rows
                .iter()
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

impl Document {
    /// Where the block just before the sign-off is (section, block): the last block of the last
    /// section of clauses. Renderers keep it on the sign-off's page.
    pub fn last_body_block(&self) -> Option<(usize, usize)> {
        self.sections
            .iter()
            .enumerate()
            .rfind(|(_, s)| s.key != SectionKind::EvidenceIndex)
            .map(|(i, s)| (i, s.blocks.len().saturating_sub(1)))
    }

    /// The letter as plain text, paragraph by paragraph (used by tests, `diff` and `check`).
    pub fn plain_text(&self) -> String {
        let mut out = Vec::new();
        for section in &self.sections {
            out.push(format!("## {}", section.heading));
            for block in &section.blocks {
                match block {
                    Block::Para {
                        number, content, ..
                    } => out.push(format!(
                        "{number}. {}",
                        content.iter().map(Inline::plain_text).collect::<String>()
                    )),
                    other => out.push(other.plain_text()),
                }
            }
        }
        out.join("\n\n")
    }
}

/// Clause templates, shared by every case in a run.
///
/// A body is parsed the first time a letter uses it: a letter selects about a third of the
/// library, and parsing handlebars was a quarter of the instructions of a one-letter `build`
/// (docs/performance.md). A library from a folder is checked whole when loaded ([`Templates::checked`]);
/// the built-in one is checked by the test suite, since it cannot change after the build.
pub struct Templates {
    registry: Handlebars<'static>,
    /// Each clause's parsed body, by its place in the library.
    parsed: Vec<OnceLock<Result<Template, TemplateError>>>,
    /// A clause's place in the library, by id.
    place: HashMap<String, usize>,
}

impl Templates {
    /// The library's templates, each parsed when first used.
    pub fn new(library: &Library) -> Templates {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(markup::escape_value);
        helpers::register(&mut registry);
        Templates {
            registry,
            parsed: library.clauses.iter().map(|_| OnceLock::new()).collect(),
            place: library
                .clauses
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect(),
        }
    }

    /// The library's templates, every one parsed now; a syntax error in any of them is reported,
    /// all at once, at its clause file and line.
    pub fn checked(library: &Library) -> Result<Templates, Vec<Diagnostic>> {
        let templates = Templates::new(library);
        let problems = templates.parse(&library.clauses.iter().collect::<Vec<_>>());
        if problems.is_empty() {
            Ok(templates)
        } else {
            Err(problems)
        }
    }

    /// Parses `clauses`' bodies now, those not parsed yet, the cores sharing them (the bodies are
    /// independent); returns the syntax errors found. A build calls it with the clauses it
    /// selected, so that parsing a letter's templates takes the time of half of them.
    pub fn parse(&self, clauses: &[&crate::clauses::Clause]) -> Vec<Diagnostic> {
        // In a batch or a server most letters find every template already parsed, and then no
        // thread is started.
        let pending: Vec<&crate::clauses::Clause> = clauses
            .iter()
            .copied()
            .filter(|c| self.slot(c).is_none_or(|slot| slot.get().is_none()))
            .collect();
        crate::cores::map(&pending, |c| c.body.len(), |c| self.parsed(c).err());
        clauses
            .iter()
            .filter_map(|c| self.parsed(c).err())
            .collect()
    }

    /// Where `clause`'s parsed body is kept; none for a clause of another library.
    fn slot(
        &self,
        clause: &crate::clauses::Clause,
    ) -> Option<&OnceLock<Result<Template, TemplateError>>> {
        self.place.get(&clause.id).and_then(|&i| self.parsed.get(i))
    }

    /// `clause`'s body, parsed (once) with the options `register_template_string` uses.
    fn parsed(&self, clause: &crate::clauses::Clause) -> Result<&Template, Diagnostic> {
        let slot = self.slot(clause).ok_or_else(|| {
            Diagnostic::error(
                Code::Internal,
                format!(
                    "clause `{}` is not in the library the templates were made from",
                    clause.id
                ),
            )
        })?;
        slot.get_or_init(|| Template::compile_with_name(&clause.body, clause.id.clone()))
            .as_ref()
            .map_err(|e| template_error(clause, e))
    }

    /// `clause`'s body rendered with `facts`, in strict mode.
    fn render(
        &self,
        clause: &crate::clauses::Clause,
        facts: &handlebars::Context,
    ) -> Result<String, Diagnostic> {
        let template = self.parsed(clause)?;
        let mut out = StringOutput::new();
        // What `Registry::render_with_context` does for a registered template.
        let mut context = RenderContext::new(template.name.as_ref());
        template
            .render(&self.registry, facts, &mut context, &mut out)
            .map_err(|e| render_error(clause, &e))?;
        out.into_string()
            .map_err(|e| Diagnostic::error(Code::Render, format!("clause `{}`: {e}", clause.id)))
    }
}

/// A clause body that does not parse, at its file and line.
fn template_error(clause: &crate::clauses::Clause, e: &TemplateError) -> Diagnostic {
    let (line_no, column_no) = e.pos().unwrap_or((1, 1));
    let line = clause.body_line + line_no.saturating_sub(1) as u32;
    Diagnostic::error(
        Code::BadTemplate,
        format!("clause `{}`: {}", clause.id, e.reason()),
    )
    .hint(
        "the place is where reading stopped; look there and before it for a \
         block left open (each `{{#if …}}` needs its `{{/if}}`) or a `{{` \
         without its `}}`",
    )
    .at(Location {
        file: clause.file.clone(),
        line,
        column: column_no as u32,
    })
}

/// Renders the selected clauses, with the solicitor's drafting instructions carried out, and
/// builds the letter.
pub fn assemble(
    loaded: &LoadedCase,
    derived: &Derived,
    context: &Context,
    selection: &Selection,
    drafting: &[Resolved],
    library: &Library,
    templates: &Templates,
) -> Result<Document, Vec<Diagnostic>> {
    let case = &loaded.case;
    let phrases = &library.phrases;
    let mut problems = Vec::new();
    let mut resolver = Resolver::new(loaded, derived, library);
    // One handlebars context for all the clauses: `Registry::render` would convert the whole
    // fact tree into a new JSON value for each of the ~20 clauses.
    let facts = handlebars::Context::from(context.json.clone());
    let selected: std::collections::HashSet<&str> =
        selection.selected.iter().map(|d| d.id.as_str()).collect();
    let replaced = |id: &str| {
        drafting.iter().find(|r| {
            r.instruction.action == DraftingAction::Replace
                && matches!(r.anchor, Anchor::On(c) if c.id == id)
        })
    };
    // The solicitor's text for instruction `r`, as blocks marked with `origin`.
    let solicitor_blocks = |r: &Resolved,
                            clause: String,
                            origin: Origin,
                            resolver: &mut Resolver,
                            problems: &mut Vec<Diagnostic>| {
        let text = r.instruction.text.as_deref().unwrap_or_default();
        match templates
            .registry
            .render_template_with_context(text, &facts)
        {
            Ok(rendered) => own(markup::parse(&rendered), &clause, &origin, resolver),
            Err(e) => {
                problems.push(drafting_error(loaded, r, &e));
                Vec::new()
            }
        }
    };

    // Section by section, in the order printed, so that citations are full at their first use
    // in the letter as read, whatever the solicitor added or left out.
    let mut sections = Vec::new();
    let mut number = 0;
    for key in SectionKey::ALL {
        let mut blocks = Vec::new();
        // The paragraphs of every `add` instruction whose anchor `want` accepts, in order.
        let added = |want: &dyn Fn(&Anchor) -> bool,
                     resolver: &mut Resolver,
                     problems: &mut Vec<Diagnostic>| {
            let mut out = Vec::new();
            for r in drafting
                .iter()
                .filter(|r| r.instruction.action == DraftingAction::Add && want(&r.anchor))
            {
                let origin = Origin::Added {
                    instruction: r.number(),
                };
                out.extend(solicitor_blocks(
                    r,
                    added_id(r.number()),
                    origin,
                    resolver,
                    problems,
                ));
            }
            out
        };
        blocks.extend(added(
            &|a| *a == Anchor::Start(key),
            &mut resolver,
            &mut problems,
        ));
        for clause in library.clauses.iter().filter(|c| c.section == key) {
            if selected.contains(clause.id.as_str()) {
                if let Some(r) = replaced(&clause.id) {
                    let written = r.instruction.version.unwrap_or(clause.version);
                    blocks.extend(solicitor_blocks(
                        r,
                        clause.id.clone(),
                        Origin::Replaced {
                            instruction: r.number(),
                            replaces: format!("{}@{written}", clause.id),
                        },
                        &mut resolver,
                        &mut problems,
                    ));
                } else {
                    match templates.render(clause, &facts) {
                        Ok(text) => blocks.extend(own(
                            markup::parse(&text),
                            &clause.id,
                            &Origin::Library,
                            &mut resolver,
                        )),
                        Err(e) => problems.push(e),
                    }
                }
            }
            // Text added after a clause goes where the clause's paragraphs are or would be.
            blocks.extend(added(
                &|a| matches!(a, Anchor::After(c) if c.id == clause.id),
                &mut resolver,
                &mut problems,
            ));
        }
        blocks.extend(added(
            &|a| *a == Anchor::End(key),
            &mut resolver,
            &mut problems,
        ));
        if key == SectionKey::Chronology {
            blocks.push(Block::Table(chronology::chronology(
                loaded, derived, phrases,
            )));
        }
        if blocks.is_empty() {
            continue;
        }
        for block in &mut blocks {
            if let Block::Para { number: n, .. } = block {
                number += 1;
                *n = number;
            }
        }
        sections.push(Section {
            key: SectionKind::Clauses(key),
            heading: phrases.text(key.heading()).to_string(),
            blocks,
        });
    }
    problems.append(&mut resolver.problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    sections.push(Section {
        key: SectionKind::EvidenceIndex,
        heading: phrases.text(Phrase::SectionEvidenceIndex).into(),
        blocks: vec![Block::Table(chronology::evidence_index(
            loaded, derived, phrases,
        ))],
    });

    let rep = case.representative.as_ref().expect("checked at load time");
    let mut letterhead = rep.address.clone();
    let contact: Vec<String> = [
        rep.phone
            .as_ref()
            .map(|p| phrases.fill(Phrase::Phone, &[("phone", p)])),
        rep.email
            .as_ref()
            .map(|e| phrases.fill(Phrase::Email, &[("email", e)])),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        letterhead.push(contact.join("  ·  "));
    }
    let regulator = phrases.text(match rep.regulator {
        crate::facts::model::Regulator::Sra => Phrase::RegulatorSra,
        crate::facts::model::Regulator::Iaa => Phrase::RegulatorIaa,
        crate::facts::model::Regulator::Other => Phrase::RegulatorOther,
    });
    letterhead.push(phrases.fill(
        Phrase::RegulatorLine,
        &[("regulator", regulator), ("number", &rep.regulator_number)],
    ));

    let unit = phrases.text(match case.matter.addressee.unit {
        crate::facts::model::AddresseeUnit::VtsTeam => Phrase::AddresseeVtsTeam,
        crate::facts::model::AddresseeUnit::Sca => Phrase::AddresseeSca,
        crate::facts::model::AddresseeUnit::Ieca => Phrase::AddresseeIeca,
        crate::facts::model::AddresseeUnit::LitigationUnit => Phrase::AddresseeLitigationUnit,
        crate::facts::model::AddresseeUnit::Other => Phrase::AddresseeOther,
    });
    let mut addressee = vec![unit.to_string()];
    addressee.extend(case.matter.addressee.address.iter().cloned());

    let label = |p: Phrase| phrases.text(p).to_string();
    let mut references = vec![(label(Phrase::RefOurs), case.matter.reference.clone())];
    let imm = &case.immigration;
    for (phrase, value) in [
        (Phrase::RefHomeOffice, &imm.home_office_reference),
        (Phrase::RefPort, &imm.port_reference),
        (Phrase::RefUan, &imm.asylum_uan),
        (Phrase::RefNrm, &case.nrm.reference),
    ] {
        if let Some(v) = value {
            references.push((label(phrase), v.clone()));
        }
    }
    if let Some(r) = &rep.legal_aid_reference {
        references.push((label(Phrase::RefLegalAid), r.clone()));
    }
    let mut details = String::new();
    if let Some(accepted) = case
        .client
        .dob_accepted
        .filter(|d| *d != case.client.dob_claimed)
    {
        details.push_str(&phrases.fill(Phrase::SubjectAcceptedDob, &[("date", &accepted.uk())]));
    }
    if !case.client.nationality.is_empty() {
        details.push_str(&phrases.fill(
            Phrase::SubjectNationality,
            &[(
                "nationality",
                &helpers::join_words(&case.client.nationality, "and"),
            )],
        ));
    }
    let client_line = phrases.fill(
        Phrase::SubjectClient,
        &[
            ("name", &case.client.full_name),
            ("dob", &case.client.dob_claimed.uk()),
            ("details", &details),
        ],
    );
    let subject = match case.matter.letter_mode {
        LetterMode::PreDecision => label(Phrase::SubjectPreDecision),
        LetterMode::Reconsideration => match &derived.routes.last_refusal {
            Some(r) => phrases.fill(Phrase::SubjectReconsiderationOf, &[("date", &r.date.uk())]),
            None => label(Phrase::SubjectReconsideration),
        },
        LetterMode::ExtensionFlrHro => label(Phrase::SubjectExtension),
        LetterMode::KttDlRequest => label(Phrase::SubjectKtt),
    };
    let mut signatory = vec![rep.firm_name.clone(), rep.fee_earner.clone()];
    if let Some(s) = &rep.supervisor {
        signatory.push(phrases.fill(Phrase::Supervisor, &[("name", s)]));
    }
    let mut document = Document {
        title: phrases.fill(Phrase::Title, &[("client", &case.client.full_name)]),
        date_iso: case.matter.letter_date.to_string(),
        date: case.matter.letter_date.uk(),
        letterhead,
        firm_name: rep.firm_name.clone(),
        addressee,
        references,
        subject: format!("{client_line}\n{subject}"),
        flags: derived.flags.clone(),
        salutation: label(Phrase::Salutation),
        sections,
        closing: label(Phrase::Closing),
        signatory,
        enclosures: match derived.tabs.values().max() {
            None => None,
            Some(1) => Some(label(Phrase::EnclosuresOne)),
            Some(last) => Some(phrases.fill(Phrase::Enclosures, &[("last", &last.to_string())])),
        },
        reference: case.matter.reference.clone(),
    };
    typography::apply(&mut document);
    Ok(document)
}

/// A clause's text for this case, as plain text for messages (its citations and evidence
/// references resolved as in a letter of its own); its template when it does not render here.
pub fn clause_plain_text(
    loaded: &LoadedCase,
    derived: &Derived,
    context: &Context,
    clause: &crate::clauses::Clause,
    library: &Library,
    templates: &Templates,
) -> String {
    let facts = handlebars::Context::from(context.json.clone());
    match templates.render(clause, &facts) {
        Ok(text) => {
            let mut resolver = Resolver::new(loaded, derived, library);
            own(
                markup::parse(&text),
                &clause.id,
                &Origin::Library,
                &mut resolver,
            )
            .iter()
            .map(Block::plain_text)
            .collect::<Vec<_>>()
            .join("\n\n")
        }
        Err(_) => clause.body.trim().to_string(),
    }
}

/// `blocks` as the words of `clause` (a library id, or [`added_id`]) from `origin`, with their
/// markers resolved in document order.
fn own(blocks: Vec<Block>, clause: &str, origin: &Origin, resolver: &mut Resolver) -> Vec<Block> {
    let mut out = blocks;
    for block in &mut out {
        match block {
            Block::Para {
                clause: c,
                content,
                origin: o,
                ..
            } => {
                *c = clause.to_string();
                *o = origin.clone();
                *content = resolver.resolve(std::mem::take(content), clause);
            }
            Block::List {
                clause: c,
                items,
                origin: o,
                ..
            } => {
                *c = clause.to_string();
                *o = origin.clone();
                for item in items.iter_mut() {
                    *item = resolver.resolve(std::mem::take(item), clause);
                }
            }
            Block::Table(_) => {}
        }
    }
    out
}

/// A drafting instruction's text that does not render: a `{{` without its `}}`, a helper used
/// wrongly, a fact that is not set.
fn drafting_error(loaded: &LoadedCase, r: &Resolved, e: &handlebars::RenderError) -> Diagnostic {
    let path = format!("drafting[{}].text", r.index);
    let mut d = Diagnostic::error(
        Code::BadDrafting,
        format!(
            "the text of drafting instruction {} cannot be used: {}",
            r.number(),
            e.reason()
        ),
    )
    .at(loaded.location(&path))
    .field(path);
    d = match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(fact)) => d.hint(format!(
            "`{fact}` is not set in this case: set it, or write the words out"
        )),
        _ => d.hint(
            "`{{` starts a helper such as `{{tab \"evidence-id\"}}` or `{{cite \"authority\"}}`; write `\\{{` for the characters themselves",
        ),
    };
    d
}

fn render_error(clause: &crate::clauses::Clause, e: &handlebars::RenderError) -> Diagnostic {
    let line = clause.body_line + e.line_no.unwrap_or(1).saturating_sub(1) as u32;
    let location = Location {
        file: clause.file.clone(),
        line,
        column: e.column_no.unwrap_or(1) as u32,
    };
    match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(path) => {
            let path = path.clone().unwrap_or_default();
            Diagnostic::error(Code::MissingFact, format!("clause `{}` uses fact `{path}`, which is not set in this case", clause.id))
                .at(location)
                .field(path.clone())
                .hint(format!("set `{path}` in the case, or guard the sentence with `{{{{#if {path}}}}}` in the clause"))
        }
        other => {
            Diagnostic::error(Code::Render, format!("clause `{}`: {other}", clause.id)).at(location)
        }
    }
}

/// Turns helper markers into citations and evidence references, in document order: a citation is
/// full at its first use in the letter and short after, so one resolver serves the whole letter.
struct Resolver<'a> {
    loaded: &'a LoadedCase,
    derived: &'a Derived,
    library: &'a Library,
    /// Each evidence item's row in the evidence index, for links.
    anchors: BTreeMap<String, String>,
    /// Authorities cited so far.
    cited: std::collections::HashSet<String>,
    /// Whether the client has been named yet (in full; the short form after).
    named: bool,
    problems: Vec<Diagnostic>,
}

impl<'a> Resolver<'a> {
    fn new(loaded: &'a LoadedCase, derived: &'a Derived, library: &'a Library) -> Resolver<'a> {
        Resolver {
            loaded,
            derived,
            library,
            anchors: chronology::evidence_anchors(loaded, derived),
            cited: Default::default(),
            named: false,
            problems: Vec::new(),
        }
    }

    /// `inlines` with every marker replaced, for the text of clause `clause`.
    fn resolve(&mut self, inlines: Vec<Inline>, clause: &str) -> Vec<Inline> {
        let mut out = Vec::new();
        for inline in inlines {
            match inline {
                Inline::Text(text) if marker::has_markers(&text) => {
                    for piece in marker::split(&text) {
                        match piece {
                            Piece::Text(t) => out.push(Inline::Text(t.to_string())),
                            Piece::Marker(m) => out.extend(self.marker(m, clause)),
                        }
                    }
                }
                Inline::Emph(c) => out.push(Inline::Emph(self.resolve(c, clause))),
                Inline::Strong(c) => out.push(Inline::Strong(self.resolve(c, clause))),
                other => out.push(other),
            }
        }
        // Text next to text is one run (a name resolved between two pieces of a sentence).
        let mut merged: Vec<Inline> = Vec::with_capacity(out.len());
        for inline in out {
            match (merged.last_mut(), inline) {
                (Some(Inline::Text(previous)), Inline::Text(next)) => previous.push_str(&next),
                (_, inline) => merged.push(inline),
            }
        }
        merged
    }

    fn marker(&mut self, marker: Marker, clause: &str) -> Option<Inline> {
        match marker {
            Marker::Cite { key, pinpoint } => {
                let Some(authority) = self.library.authorities.get(&key) else {
                    self.problems.push(Diagnostic::error(
                        Code::UnknownAuthority,
                        format!(
                            "clause `{clause}` cites `{key}`, which is not in authorities.toml"
                        ),
                    ));
                    return None;
                };
                let runs = if self.cited.insert(key.clone()) {
                    authority.full_runs()
                } else {
                    authority.short_runs()
                };
                let mut content: Vec<Inline> = runs
                    .into_iter()
                    .map(|(t, italic)| {
                        if italic {
                            Inline::Emph(vec![Inline::Text(t)])
                        } else {
                            Inline::Text(t)
                        }
                    })
                    .collect();
                if !pinpoint.is_empty() {
                    content.push(Inline::Text(format!(" {pinpoint}")));
                }
                Some(Inline::Cite { key, content })
            }
            Marker::Client => {
                let full = &self.derived.client_name;
                let short = self.loaded.case.client.short_name.as_deref();
                let name = match short.map(str::trim).filter(|s| !s.is_empty()) {
                    Some(short) if self.named => short.to_string(),
                    _ => full.clone(),
                };
                self.named = true;
                Some(Inline::Text(name))
            }
            Marker::Tabs(types) => self.evidence_ref(|e| types.contains(&doc_type_name(e))),
            Marker::Tab(id) => self.evidence_ref(|e| e.id == id),
        }
    }

    /// "(Tab 3)", "(Tabs 3 and 5)", "(to follow)", "(Tab 3; further evidence to follow)", with
    /// each tab, and the words for documents to follow, linked to their evidence-index rows.
    fn evidence_ref(
        &self,
        matches: impl Fn(&crate::facts::model::Evidence) -> bool,
    ) -> Option<Inline> {
        evidence_ref(self.loaded, self.derived, &self.anchors, matches)
    }
}

fn doc_type_name(e: &crate::facts::model::Evidence) -> String {
    crate::facts::derive::humanize(&e.doc_type).replace(' ', "_")
}

/// An evidence reference to the documents `matches` picks (see [`Resolver::evidence_ref`]).
fn evidence_ref(
    loaded: &LoadedCase,
    derived: &Derived,
    anchors: &BTreeMap<String, String>,
    matches: impl Fn(&crate::facts::model::Evidence) -> bool,
) -> Option<Inline> {
    let items: Vec<&crate::facts::model::Evidence> =
        loaded.case.evidence.iter().filter(|e| matches(e)).collect();
    let mut tabs: Vec<u32> = items
        .iter()
        .filter_map(|e| derived.tabs.get(&e.id).copied())
        .collect();
    tabs.sort();
    tabs.dedup();
    // The first document still to come is the row "to follow" points at.
    let to_follow = items.iter().find(|e| {
        matches!(
            e.status,
            EvidenceStatus::Requested | EvidenceStatus::Awaited
        )
    });
    if tabs.is_empty() && to_follow.is_none() {
        return None;
    }
    let plain = |text: &str| EvidencePart {
        text: text.to_string(),
        anchor: None,
    };
    let linked = |text: String, anchor: Option<&String>| EvidencePart {
        text,
        anchor: anchor.cloned(),
    };
    let mut parts = vec![plain("(")];
    // "Tabs 3, 4 and 5": the first link takes the word, so no link is a lone digit unless it
    // has to be; the separators are those of `join_words`.
    for (i, tab) in tabs.iter().enumerate() {
        let text = match (i, tabs.len()) {
            (0, 1) => format!("Tab {tab}"),
            (0, _) => format!("Tabs {tab}"),
            _ => tab.to_string(),
        };
        if i > 0 {
            parts.push(plain(if i + 1 == tabs.len() { " and " } else { ", " }));
        }
        parts.push(linked(text, Some(&chronology::tab_anchor(*tab))));
    }
    if let Some(item) = to_follow {
        let text = if tabs.is_empty() {
            "to follow"
        } else {
            parts.push(plain("; "));
            "further evidence to follow"
        };
        parts.push(linked(text.into(), anchors.get(&item.id)));
    }
    parts.push(plain(")"));
    Some(Inline::Evidence {
        ids: items.iter().map(|e| e.id.clone()).collect(),
        text: parts.iter().map(|p| p.text.as_str()).collect(),
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_parses() {
        // A build parses only the templates it uses, so this is where the whole built-in library
        // is parsed before it ships.
        let library = Library::builtin().expect("the built-in library loads");
        if let Err(problems) = Templates::checked(&library) {
            panic!("{problems:#?}");
        }
    }

    #[test]
    fn a_template_parsed_on_first_use_reports_its_file_and_line_then() {
        let clause = "+++\nid = \"rec.x\"\naxis = \"recovery\"\ntitle = \"T\"\nwhen = \"true\"\nversion = 1\nreviewed = 2026-11-30\n+++\nFirst line.\n\nSecond {{#if x}} line.\n";
        let library = Library::from_files("t", vec![("t/rec.x.md".into(), clause.to_string())])
            .expect("the front matter is valid");
        // Made without parsing anything: the slip shows when the clause is used.
        let templates = Templates::new(&library);
        let facts = handlebars::Context::from(serde_json::json!({"x": true}));
        let problem = templates
            .render(&library.clauses[0], &facts)
            .expect_err("an unclosed block");
        assert_eq!(problem.code, Code::BadTemplate);
        let at = problem.location.as_ref().expect("a place");
        assert_eq!(at.file.display().to_string(), "t/rec.x.md");
        assert!(at.line >= 11, "{at:?}");
        assert!(Templates::checked(&library).is_err());
        // A good body renders the same as before: strict, escaped, with the helpers.
        let good = clause.replace("{{#if x}} ", "");
        let library = Library::from_files("t", vec![("t/rec.x.md".into(), good)]).unwrap();
        let templates = Templates::new(&library);
        assert_eq!(
            templates
                .render(&library.clauses[0], &facts)
                .unwrap()
                .trim(),
            "First line.\n\nSecond line."
        );
    }

    #[test]
    fn a_broken_template_is_reported_by_every_letter_that_uses_it() {
        // Parsing skips templates parsed for an earlier letter; a slip found then must still stop
        // the next letter that selects the clause, not only the first.
        let clause = |id: &str, body: &str| {
            (
                format!("t/{id}.md").into(),
                format!(
                    "+++\nid = \"{id}\"\naxis = \"recovery\"\ntitle = \"T\"\nwhen = \"true\"\nversion = 1\nreviewed = 2026-11-30\n+++\n{body}\n"
                ),
            )
        };
        let library = Library::from_files(
            "t",
            vec![
                clause("rec.bad", "Broken {{#if x}} here."),
                clause("rec.good", "Fine."),
            ],
        )
        .expect("the front matter is valid");
        let templates = Templates::new(&library);
        let all: Vec<&crate::clauses::Clause> = library.clauses.iter().collect();
        let first = templates.parse(&all);
        let again = templates.parse(&all);
        assert_eq!(first.len(), 1, "{first:#?}");
        assert_eq!(first, again);
        assert!(templates.parse(&all[1..]).is_empty());
    }
}
