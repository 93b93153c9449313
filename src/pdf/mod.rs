//! Typesetting: Typst source to PDF bytes, with bundled fonts, an in-memory world and fixed
//! metadata so the same inputs always give the same bytes.

use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Code, Diagnostic};
use crate::render::{ATTACHMENT_PATH, TypstSource};

/// The bundled fonts, in fallback order: the text face first, then script faces.
const FONTS: [&[u8]; 9] = [
    include_bytes!("../../assets/fonts/NotoSerif-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-Italic.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-BoldItalic.ttf"),
    include_bytes!("../../assets/fonts/NotoSerifEthiopic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSerifEthiopic-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoColorEmoji.ttf"),
];

/// The text face's four styles (regular, bold, italic, bold italic), which the DOCX embeds so
/// that Word and LibreOffice set the letter in the same serif as the PDF.
pub fn text_faces() -> [&'static [u8]; 4] {
    [FONTS[0], FONTS[1], FONTS[2], FONTS[3]]
}

/// Letters longer than this are refused: a representation letter is a handful of pages, and a
/// runaway case (pasted documents) should fail clearly rather than produce a 500-page PDF.
pub const MAX_PAGES: usize = 60;

/// Which PDF standards a letter is exported to. The default is PDF/A-3a + PDF/UA-1: archival
/// and accessible (letters end up in tribunal bundles and are read with screen readers), and
/// part 3 rather than 2 because only part 3 allows the embedded provenance attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conformance {
    archival: Option<Archival>,
    ua_1: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Archival {
    A2b,
    A3a,
    A3b,
}

impl Default for Conformance {
    fn default() -> Self {
        Conformance {
            archival: Some(Archival::A3a),
            ua_1: true,
        }
    }
}

/// A combination of `--pdf-standard` values that no PDF can meet.
fn refused(message: String) -> Diagnostic {
    Diagnostic::error(Code::PdfStandard, message)
        .hint("the default (no `--pdf-standard`) is PDF/A-3a with PDF/UA-1")
}

impl Conformance {
    /// From `--pdf-standard` values (`a-2b`, `a-3b`, `ua-1`, `none`); none given: the default.
    pub fn from_flags(flags: &[String]) -> Result<Conformance, Diagnostic> {
        if flags.is_empty() {
            return Ok(Conformance::default());
        }
        let mut out = Conformance {
            archival: None,
            ua_1: false,
        };
        for flag in flags {
            let archival = match flag.as_str() {
                "a-2b" => Archival::A2b,
                "a-3b" => Archival::A3b,
                "ua-1" => {
                    out.ua_1 = true;
                    continue;
                }
                "none" if flags.len() == 1 => continue,
                "none" => {
                    return Err(refused(
                        "`--pdf-standard none` cannot be combined with another standard".into(),
                    ));
                }
                other => {
                    return Err(refused(format!(
                        "unknown PDF standard `{other}`; choose from `a-2b`, `a-3b`, `ua-1`, `none`"
                    )));
                }
            };
            if let Some(previous) = out.archival.filter(|p| *p != archival) {
                return Err(refused(format!(
                    "a PDF cannot conform to both {} and {}; choose one PDF/A part",
                    previous.name(),
                    archival.name()
                )));
            }
            out.archival = Some(archival);
        }
        Ok(out)
    }

    /// From the names in a provenance record ([`Conformance::names`]).
    pub fn from_names(names: &[String]) -> Option<Conformance> {
        let mut out = Conformance {
            archival: None,
            ua_1: false,
        };
        for name in names {
            match name.as_str() {
                "PDF/UA-1" => out.ua_1 = true,
                other => {
                    let archival = [Archival::A2b, Archival::A3a, Archival::A3b]
                        .into_iter()
                        .find(|a| a.name() == other)?;
                    out.archival = Some(archival);
                }
            }
        }
        Some(out)
    }

    /// The standards by name (`PDF/A-3a`, `PDF/UA-1`), as recorded in the provenance record.
    pub fn names(&self) -> Vec<String> {
        self.archival
            .map(Archival::name)
            .into_iter()
            .chain(self.ua_1.then_some("PDF/UA-1"))
            .map(str::to_string)
            .collect()
    }

    /// Whether files may be attached: PDF/A-2 forbids it.
    pub fn allows_attachments(&self) -> bool {
        self.archival != Some(Archival::A2b)
    }

    fn standards(&self) -> Vec<PdfStandard> {
        let archival = self.archival.map(|a| match a {
            Archival::A2b => PdfStandard::A_2b,
            Archival::A3a => PdfStandard::A_3a,
            Archival::A3b => PdfStandard::A_3b,
        });
        archival
            .into_iter()
            .chain(self.ua_1.then_some(PdfStandard::Ua_1))
            .collect()
    }
}

impl Archival {
    fn name(self) -> &'static str {
        match self {
            Archival::A2b => "PDF/A-2b",
            Archival::A3a => "PDF/A-3a",
            Archival::A3b => "PDF/A-3b",
        }
    }
}

/// Fonts and the standard library, loaded once and shared by every letter (and every thread).
pub struct Engine {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    library: LazyHash<Library>,
    compiling: InFlight,
}

/// How many letters this engine is compiling at once, to decide how much of Typst's memoisation
/// cache to drop when one finishes.
///
/// The cache (comemo) is global to the process. Dropping all of it after every letter keeps
/// memory flat, but with two batch workers, one worker's eviction also wiped the entries the
/// other's letter was still using between its layout passes, and that letter shaped and laid out
/// its text again: two workers spent 6-8% more CPU per letter than one. Evicting only what has
/// gone unused for as many evictions as there are other letters in flight keeps that work. The
/// price is memory for each letter in flight: about 8 MB more with two workers, 75 MB more with
/// eight on two cores (docs/performance.md). A letter compiled alone still drops everything.
#[derive(Debug, Default)]
struct InFlight(std::sync::atomic::AtomicUsize);

impl InFlight {
    /// Counts a letter in; the returned guard counts it out and evicts, on success, error or panic.
    fn enter(&self) -> Compiling<'_> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Compiling(self)
    }

    /// Counts a letter out, returning the cache age to keep: the number of other letters still
    /// being compiled (each evicts about once while a letter of similar length is compiled).
    fn leave(&self) -> usize {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) - 1
    }
}

/// One letter being compiled; see [`InFlight`].
struct Compiling<'a>(&'a InFlight);

impl Drop for Compiling<'_> {
    fn drop(&mut self) {
        typst::comemo::evict(self.0.leave());
    }
}

/// Time spent in Typst's two stages for one letter (for the benchmark).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub typeset: std::time::Duration,
    pub export: std::time::Duration,
}

/// What goes into the PDF's metadata besides the document itself.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// A stable identity (the matter reference) for the PDF's `/ID`.
    pub ident: String,
    /// The letter date, as the PDF's creation date (never "now").
    pub date: (i32, u8, u8),
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Engine {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            library: LazyHash::new(Library::builder().build()),
            compiling: InFlight::default(),
        }
    }

    /// Whether some bundled font can display `c`. Invisible formatting characters (zero-width
    /// spaces and joiners, direction marks) need no glyph.
    pub fn covers(&self, c: char) -> bool {
        // The text face has every ASCII character (a unit test holds it to that), and almost all
        // of a case's text is ASCII: no font's coverage table need be searched for it.
        c.is_ascii()
            || c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
            || self
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32))
    }

    /// Compiles a letter and exports it as PDF.
    pub fn compile(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.compile_timed(source, settings).map(|(bytes, _)| bytes)
    }

    /// [`Engine::compile`] to the given standards, serving `attachment` (the provenance record)
    /// to a source made by [`TypstSource::with_attachment`], which attaches it to the PDF.
    pub fn compile_with_attachment(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
        conformance: Conformance,
        attachment: Option<&[u8]>,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.compile_inner(source, settings, conformance, attachment)
            .map(|(bytes, _)| bytes)
    }

    /// [`Engine::compile`], also returning the time spent typesetting and exporting.
    pub fn compile_timed(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, StageTimes), Vec<Diagnostic>> {
        self.compile_inner(source, settings, Conformance::default(), None)
    }

    fn compile_inner(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
        conformance: Conformance,
        attachment: Option<&[u8]>,
    ) -> Result<(Vec<u8>, StageTimes), Vec<Diagnostic>> {
        // Letters share almost nothing memoisable, so the cache only costs memory: it is dropped
        // after every letter, on success and failure alike (shared/tech/typst-embedding.md, 5.2),
        // as far as the other letters in flight allow (see `InFlight`).
        let _compiling = self.compiling.enter();
        let started = std::time::Instant::now();
        let world = LetterWorld::new(self, &source.text, settings.date);
        // The attachment's bytes are served at one fixed virtual path, which the source's
        // attachment line (`TypstSource::with_attachment`) reads as data.
        let world = match attachment {
            Some(bytes) => world.with_attachment(Bytes::new(bytes.to_vec())),
            None => world,
        };
        let warned = typst::compile::<PagedDocument>(&world);
        let document = warned
            .output
            .map_err(|errors| describe(&world, source, &errors))?;
        let typeset = started.elapsed();
        if document.pages().len() > MAX_PAGES {
            return Err(vec![Diagnostic::error(
                Code::TooManyPages,
                format!("the letter would run to {} pages; at most {MAX_PAGES} are allowed", document.pages().len()),
            )
            .hint("check the case for pasted documents: long free text belongs in the enclosed evidence, not the case file")]);
        }
        let mut tofu = Vec::new();
        for page in document.pages() {
            find_tofu(&page.frame, &mut tofu);
        }
        if !tofu.is_empty() {
            tofu.sort();
            tofu.dedup();
            return Err(vec![
                Diagnostic::error(
                    Code::MissingGlyph,
                    format!(
                        "no bundled font can display {}",
                        tofu.iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .hint("the text would print as empty boxes; check the case for unusual characters"),
            ]);
        }
        let (y, m, d) = settings.date;
        let datetime = Datetime::from_ymd(y, m, d).ok_or_else(|| {
            vec![Diagnostic::error(
                Code::Internal,
                "invalid letter date for the PDF",
            )]
        })?;
        let options = PdfOptions {
            ident: Smart::Custom(settings.ident.clone()),
            creator: Smart::Custom(Some(format!("vtsdraft {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(datetime)),
            // Archival and accessible by default: letters end up in tribunal bundles and are read
            // with screen readers. Typst's validators refuse anything that breaks either standard.
            standards: PdfStandards::new(&conformance.standards()).map_err(|e| {
                vec![Diagnostic::error(
                    Code::PdfStandard,
                    format!("PDF standards: {}", e.message()),
                )]
            })?,
            ..PdfOptions::default()
        };
        let exported = std::time::Instant::now();
        let bytes = typst_pdf::pdf(&document, &options)
            .map_err(|errors| describe(&world, source, &errors))?;
        Ok((
            bytes,
            StageTimes {
                typeset,
                export: exported.elapsed(),
            },
        ))
    }
}

/// The fixed virtual path of the one source file; reused for every letter because Typst's file
/// ids are a global, leaking table (typst#7434).
fn main_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new("/main.typ").expect("static path"),
    )
    .intern()
}

/// The fixed virtual path of the attachment's bytes (interned once, like [`main_id`]).
fn attachment_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(ATTACHMENT_PATH).expect("static path"),
    )
    .intern()
}

/// One letter's world: a single in-memory source (and, optionally, the attachment's bytes at
/// one fixed path), the bundled fonts, no other files, no packages.
struct LetterWorld<'e> {
    engine: &'e Engine,
    main: FileId,
    source: Source,
    attachment: Option<Bytes>,
    today: Option<Datetime>,
}

impl<'e> LetterWorld<'e> {
    fn new(engine: &'e Engine, text: &str, date: (i32, u8, u8)) -> LetterWorld<'e> {
        let main = main_id();
        LetterWorld {
            engine,
            main,
            source: Source::new(main, text.to_string()),
            attachment: None,
            today: Datetime::from_ymd(date.0, date.1, date.2),
        }
    }

    fn with_attachment(mut self, bytes: Bytes) -> LetterWorld<'e> {
        self.attachment = Some(bytes);
        self
    }

    fn refuse(&self, id: FileId) -> FileError {
        match id.root() {
            VirtualRoot::Package(spec) => FileError::Package(PackageError::Other(Some(
                format!("packages are disabled in vtsdraft ({spec})").into(),
            ))),
            VirtualRoot::Project => FileError::AccessDenied,
        }
    }
}

impl World for LetterWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(self.refuse(id))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else if let Some(bytes) = self.attachment.as_ref().filter(|_| id == attachment_id()) {
            Ok(bytes.clone())
        } else {
            Err(self.refuse(id))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn find_tofu(frame: &Frame, hits: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => find_tofu(&group.frame, hits),
            FrameItem::Text(run) => {
                for glyph in run.glyphs.iter().filter(|g| g.id == 0) {
                    if let Some(text) = run.text.get(glyph.range()) {
                        hits.push(text.to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Typst diagnostics as ours, pointing at the template line or the clause that produced them.
fn describe(
    world: &LetterWorld<'_>,
    source: &TypstSource,
    errors: &[SourceDiagnostic],
) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|d| {
            let mut origin = String::from("(no location)");
            if let Some(range) = world.range(d.span)
                && let Some((line, _)) = world.source.lines().byte_to_line_column(range.start)
            {
                origin = source.origin(line + 1);
            }
            let message = format!("typesetting failed at {origin}: {}", d.message);
            let mut out = if d.severity == Severity::Error {
                Diagnostic::error(Code::Typst, message)
            } else {
                Diagnostic::warning(Code::Typst, message)
            };
            for hint in &d.hints {
                out = out.hint(hint.v.to_string());
            }
            out.hint("this is a bug in the template or clause named above, not in the case")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::InFlight;

    #[test]
    fn a_letter_keeps_cache_entries_for_each_other_letter_in_flight() {
        let count = InFlight::default();
        let first = count.enter();
        let second = count.enter();
        let third = count.enter();
        // Three in flight: the first to finish keeps what the other two may still use.
        std::mem::forget(first);
        assert_eq!(count.leave(), 2);
        std::mem::forget(second);
        assert_eq!(count.leave(), 1);
        // The last one alone drops everything, as a single `build` always does.
        std::mem::forget(third);
        assert_eq!(count.leave(), 0);
    }

    #[test]
    fn a_panicking_letter_is_counted_out() {
        let count = InFlight::default();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _compiling = count.enter();
            panic!("a bug in one letter");
        }));
        assert!(result.is_err());
        let _next = count.enter();
        // Had the panicking letter stayed counted, this one would keep the cache when alone.
        assert_eq!(count.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}

#[cfg(test)]
mod typography_glyphs {
    /// The characters the letter's typography uses are in the bundled fonts.
    #[test]
    fn the_fonts_cover_typographic_quotes_and_no_break_characters() {
        let engine = super::Engine::new();
        for c in ['‘', '’', '“', '”', '\u{a0}', '\u{2011}', '–', '…'] {
            let f = engine
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32));
            assert!(f, "{c:?} ({:04X}) has a glyph", c as u32);
        }
    }

    /// `Engine::covers` takes every ASCII character as displayable without looking: the text
    /// face must have them all (the control characters need no glyph).
    #[test]
    fn the_text_face_has_every_printable_ascii_character() {
        let engine = super::Engine::new();
        let text_face = engine.fonts[0].info();
        assert_eq!(text_face.family, "Noto Serif");
        for c in (' '..='~').filter(|c| !c.is_whitespace()) {
            assert!(text_face.coverage.contains(c as u32), "{c:?}");
        }
    }
}
