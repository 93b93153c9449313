//! Drafts UK VTS leave representations from structured case facts.
//!
//! - [`facts::load`] reads and validates a case; [`facts::derive`] computes ages, cohorts, grounds.
//! - [`clauses::Library`] holds the clause library and its authorities.
//! - [`matching::select`] picks clauses; every choice records why it was made.
//! - [`assembly::assemble`] renders the chosen clauses into one structured [`assembly::Document`].
//! - [`render::typst_source`] turns that document into Typst source (case text as string literals).
//! - [`pdf::Engine::compile`] typesets the source into PDF bytes with bundled fonts.
//! - [`docx::render`] writes the same document as an editable Word file.
//! - [`review::build`] typesets the reviewer's copy: the letter with each paragraph's clause and
//!   reasons in the margin.
//! - [`output`] plans, renders and writes one letter's files; `build`, `batch` and [`serve`] (a
//!   local web questionnaire) all produce their outputs through it.
//!
//! [`Toolkit`] loads the shared parts once; [`prepare`] and [`build`] run one case through them.

pub mod absorb;
pub mod assembly;
pub mod batch;
pub mod clauses;
pub mod cli;
pub mod config;
pub mod cores;
pub mod diag;
pub mod diff;
pub mod docx;
pub mod drafting;
pub mod facts;
#[doc(hidden)]
pub mod fuzzing;
pub mod law;
pub mod matching;
pub mod output;
pub mod pdf;
pub mod phrases;
pub mod provenance;
pub mod render;
pub mod serve;

pub use render::review;

use std::path::Path;

use diag::{Code, Diagnostic, has_errors};
use facts::model::Representative;
use facts::{Derived, LoadedCase};
use serde_json::json;

/// Everything loaded once per run and shared by every case: clause library, compiled
/// templates and the typesetting engine with its fonts.
pub struct Toolkit {
    pub library: clauses::Library,
    pub templates: assembly::Templates,
    pub engine: pdf::Engine,
}

impl Toolkit {
    /// Loads the library from `dir`, or the built-in one.
    pub fn new(dir: Option<&Path>) -> Result<Toolkit, Vec<Diagnostic>> {
        // A folder's templates are checked whole as it loads, so a solicitor editing one hears
        // of a slip at once; the built-in ones passed the same check in the test suite.
        let (library, templates) = match dir {
            Some(d) => {
                let library = clauses::Library::load(d)?;
                let templates = assembly::Templates::checked(&library)?;
                (library, templates)
            }
            None => {
                let library = clauses::Library::builtin()?;
                let templates = assembly::Templates::new(&library);
                (library, templates)
            }
        };
        Ok(Toolkit {
            library,
            templates,
            engine: pdf::Engine::new(),
        })
    }
}

/// One case taken as far as the letter's structure.
pub struct Prepared {
    pub loaded: LoadedCase,
    pub derived: Derived,
    pub context: facts::Context,
    pub selection: matching::Selection,
    pub document: assembly::Document,
    /// Every warning for the case: loading, derivation, conditions.
    pub warnings: Vec<Diagnostic>,
}

impl Prepared {
    /// The stable JSON form: `selected`, `rejected`, `derived`, `warnings`, `evidence_gaps`.
    pub fn explain_json(&self, library: &clauses::Library) -> serde_json::Value {
        json!({
            "case": self.loaded.path.display().to_string(),
            "reference": self.loaded.case.matter.reference,
            "library_version": library.version,
            "selected": self.selection.selected,
            "rejected": self.selection.rejected,
            "derived": self.context.json.get("derived"),
            "ages": self.derived.ages.in_order.iter().map(|a| json!({"event": a.event, "date": a.date_uk, "claimed": a.claimed, "accepted": a.accepted})).collect::<Vec<_>>(),
            "warnings": self.warnings,
            "evidence_gaps": self.derived.evidence_gaps,
        })
    }
}

/// Runs a loaded case through derivation, matching and assembly.
pub fn prepare_loaded(toolkit: &Toolkit, loaded: LoadedCase) -> Result<Prepared, Vec<Diagnostic>> {
    let derived = facts::derive(&loaded, &toolkit.library.phrases, &toolkit.library.law);
    let context = facts::Context::new(&loaded, &derived);
    let mut selection = matching::select(&context, &toolkit.library);
    let library = &toolkit.library;
    // The letter's templates, parsed on all cores before assembly uses them one by one; a
    // syntax error is reported where the clause is rendered.
    toolkit.templates.parse(
        &selection
            .selected
            .iter()
            .filter_map(|d| library.get(&d.id))
            .collect::<Vec<_>>(),
    );
    let now = |clause: &clauses::Clause| {
        assembly::clause_plain_text(
            &loaded,
            &derived,
            &context,
            clause,
            library,
            &toolkit.templates,
        )
    };
    let (mut problems, mut drafting_warnings): (Vec<_>, Vec<_>) =
        drafting::check(&loaded, library, &now)
            .into_iter()
            .partition(Diagnostic::is_error);
    let resolved = drafting::resolve(&loaded, library);
    drafting_warnings.append(&mut drafting::apply(
        &mut selection,
        &resolved,
        &loaded,
        library,
    ));
    problems.append(&mut font_coverage(toolkit, &loaded, &context));
    let document = match assembly::assemble(
        &loaded,
        &derived,
        &context,
        &selection,
        &resolved,
        library,
        &toolkit.templates,
    ) {
        Ok(d) => Some(d),
        Err(mut e) => {
            problems.append(&mut e);
            None
        }
    };
    if has_errors(&problems) {
        return Err(problems);
    }
    let mut warnings = loaded.warnings.clone();
    warnings.extend(derived.warnings.iter().cloned());
    warnings.extend(selection.diagnostics.iter().cloned());
    warnings.append(&mut drafting_warnings);
    let document = document.expect("no errors");
    warnings.extend(uncited_evidence(&loaded, &derived, &document));
    Ok(Prepared {
        loaded,
        derived,
        context,
        selection,
        document,
        warnings,
    })
}

/// Loads a case file and prepares it.
pub fn prepare(
    toolkit: &Toolkit,
    path: &Path,
    firm: Option<&Representative>,
) -> Result<Prepared, Vec<Diagnostic>> {
    let loaded = facts::load(path, firm)?;
    prepare_loaded(toolkit, loaded)
}

/// The letter's Typst source and PDF bytes (PDF/A-3a + PDF/UA-1, provenance record attached).
pub fn build(
    toolkit: &Toolkit,
    prepared: &Prepared,
) -> Result<(render::TypstSource, Vec<u8>), Vec<Diagnostic>> {
    build_with(toolkit, prepared, pdf::Conformance::default())
}

/// [`build`] to other PDF standards. The provenance record is attached unless the standard
/// forbids attachments (PDF/A-2).
pub fn build_with(
    toolkit: &Toolkit,
    prepared: &Prepared,
    conformance: pdf::Conformance,
) -> Result<(render::TypstSource, Vec<u8>), Vec<Diagnostic>> {
    let source = render::typst_source(&prepared.document);
    let settings = pdf_settings(prepared);
    // What built the letter travels inside it, for `vtsdraft verify`.
    let bytes = if conformance.allows_attachments() {
        let record = provenance::Record::new(toolkit, prepared, conformance).to_bytes();
        let attached = source.with_attachment(
            provenance::ATTACHMENT_NAME,
            "How vtsdraft built this letter",
        );
        toolkit
            .engine
            .compile_with_attachment(&attached, &settings, conformance, Some(&record))?
    } else {
        toolkit
            .engine
            .compile_with_attachment(&source, &settings, conformance, None)?
    };
    Ok((source, bytes))
}

/// The PDF metadata of a case's letter: its identity (the matter reference) and date (the letter
/// date, never "now").
pub fn pdf_settings(prepared: &Prepared) -> pdf::PdfSettings {
    use chrono::Datelike;
    let date = prepared.loaded.case.matter.letter_date.0;
    pdf::PdfSettings {
        ident: prepared.loaded.case.matter.reference.clone(),
        date: (date.year(), date.month() as u8, date.day() as u8),
    }
}

/// The redline of two prepared letters as PDF bytes (`vtsdraft diff --pdf`): the new letter's
/// date, and an identity of its own.
pub fn redline_pdf(
    engine: &pdf::Engine,
    redline: &diff::Redline,
    new: &Prepared,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut settings = pdf_settings(new);
    settings.ident.push_str("-redline");
    engine.compile(&render::redline::typst_source(redline), &settings)
}

/// Format characters that shape the text around them and draw nothing themselves (variation
/// selectors after an emoji, joiners, direction marks): no font needs a glyph for them.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FE00}'..='\u{FE0F}' | '\u{200C}'..='\u{200F}' | '\u{061C}' | '\u{2060}'
    )
}

/// Each enclosed document the letter's paragraphs never refer to (the chronology and the index
/// list every tab, so they do not count): enclosed evidence should support a point in the body.
fn uncited_evidence(
    loaded: &LoadedCase,
    derived: &facts::Derived,
    document: &assembly::Document,
) -> Vec<Diagnostic> {
    use assembly::{Block, Inline};
    fn cited<'a>(inlines: &'a [Inline], out: &mut std::collections::HashSet<&'a str>) {
        for inline in inlines {
            match inline {
                Inline::Evidence { ids, .. } => out.extend(ids.iter().map(String::as_str)),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Cite { content: c, .. } => {
                    cited(c, out)
                }
                _ => {}
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for block in document.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            Block::Para { content, .. } => cited(content, &mut seen),
            Block::List { items, .. } => items.iter().for_each(|i| cited(i, &mut seen)),
            Block::Table(_) => {}
        }
    }
    loaded
        .case
        .evidence
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let tab = derived.tabs.get(&e.id)?;
            if seen.contains(e.id.as_str()) {
                return None;
            }
            let field = format!("evidence[{i}].id");
            Some(
                Diagnostic::warning(
                    Code::UncitedEvidence,
                    format!(
                        "evidence `{}` (Tab {tab}) is enclosed, but no paragraph of the letter refers to it",
                        e.id
                    ),
                )
                .at(loaded.location(&field))
                .field(field)
                .hint(format!(
                    "say what it shows in a drafting instruction (`{{{{tab \"{}\"}}}}` gives its tab), record the fact it supports, or leave it out of the bundle",
                    e.id
                )),
            )
        })
        .collect()
}

/// Every string in the case must be printable with the bundled fonts; a character none of them
/// covers is an error naming the field, never silent empty boxes in the letter.
fn font_coverage(
    toolkit: &Toolkit,
    loaded: &LoadedCase,
    context: &facts::Context,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &serde_json::Value)> = match &context.json {
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| *k != "derived")
            .map(|(k, v)| (k.clone(), v))
            .collect(),
        _ => Vec::new(),
    };
    while let Some((path, value)) = stack.pop() {
        match value {
            serde_json::Value::String(s) => {
                let missing: Vec<char> = s
                    .chars()
                    .filter(|c| !invisible(*c) && !toolkit.engine.covers(*c))
                    .collect();
                if let Some(first) = missing.first() {
                    out.push(
                        Diagnostic::error(Code::MissingGlyph, format!("`{path}` contains `{first}` (U+{:04X}), which no bundled font can display", *first as u32))
                            .at(loaded.location(&path))
                            .field(path.clone())
                            .hint("bundled fonts cover Latin (including Vietnamese), Greek, Cyrillic, Ge'ez (Amharic, Tigrinya) and Arabic scripts"),
                    );
                }
            }
            serde_json::Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{path}[{i}]"), v)),
            ),
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (format!("{path}.{k}"), v)))
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}
