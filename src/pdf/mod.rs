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

use crate::diag::Diagnostic;
use crate::render::TypstSource;

/// The bundled fonts, in fallback order: the text face first, then script faces.
const FONTS: [&[u8]; 8] = [
    include_bytes!("../../assets/fonts/NotoSerif-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-Italic.ttf"),
    include_bytes!("../../assets/fonts/NotoSerif-BoldItalic.ttf"),
    include_bytes!("../../assets/fonts/NotoSerifEthiopic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSerifEthiopic-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoNaskhArabic-Bold.ttf"),
];

/// Letters longer than this are refused: a representation letter is a handful of pages, and a
/// runaway case (pasted documents) should fail clearly rather than produce a 500-page PDF.
pub const MAX_PAGES: usize = 60;

/// Fonts and the standard library, loaded once and shared by every letter (and every thread).
pub struct Engine {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    library: LazyHash<Library>,
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
        }
    }

    /// Whether some bundled font can display `c`. Invisible formatting characters (zero-width
    /// spaces and joiners, direction marks) need no glyph.
    pub fn covers(&self, c: char) -> bool {
        c.is_whitespace()
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

    /// [`Engine::compile`], also returning the time spent typesetting and exporting.
    pub fn compile_timed(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, StageTimes), Vec<Diagnostic>> {
        let result = self.compile_inner(source, settings);
        // Letters share almost nothing memoisable, so the cache only costs memory: drop it after
        // every letter, on success and failure alike (shared/tech/typst-embedding.md, 5.2).
        typst::comemo::evict(0);
        result
    }

    fn compile_inner(
        &self,
        source: &TypstSource,
        settings: &PdfSettings,
    ) -> Result<(Vec<u8>, StageTimes), Vec<Diagnostic>> {
        let started = std::time::Instant::now();
        let world = LetterWorld::new(self, &source.text, settings.date);
        let warned = typst::compile::<PagedDocument>(&world);
        let document = warned
            .output
            .map_err(|errors| describe(&world, source, &errors))?;
        let typeset = started.elapsed();
        if document.pages().len() > MAX_PAGES {
            return Err(vec![Diagnostic::error(
                "too-many-pages",
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
                    "missing-glyph",
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
                "internal",
                "invalid letter date for the PDF",
            )]
        })?;
        let options = PdfOptions {
            ident: Smart::Custom(settings.ident.clone()),
            creator: Smart::Custom(Some(format!("vtsdraft {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(datetime)),
            // Archival and accessible by default: letters end up in tribunal bundles and are read
            // with screen readers. Typst's validators refuse anything that breaks either standard.
            standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1]).map_err(|e| {
                vec![Diagnostic::error(
                    "internal",
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

/// One letter's world: a single in-memory source, the bundled fonts, no files, no packages.
struct LetterWorld<'e> {
    engine: &'e Engine,
    main: FileId,
    source: Source,
    today: Option<Datetime>,
}

impl<'e> LetterWorld<'e> {
    fn new(engine: &'e Engine, text: &str, date: (i32, u8, u8)) -> LetterWorld<'e> {
        let main = main_id();
        LetterWorld {
            engine,
            main,
            source: Source::new(main, text.to_string()),
            today: Datetime::from_ymd(date.0, date.1, date.2),
        }
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
                Diagnostic::error("typst", message)
            } else {
                Diagnostic::warning("typst", message)
            };
            for hint in &d.hints {
                out = out.hint(hint.v.to_string());
            }
            out.hint("this is a bug in the template or clause named above, not in the case")
        })
        .collect()
}
