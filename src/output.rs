//! One road out: which files a letter produces, at which paths, rendered how, written in which
//! order. `build`, `batch` and `serve` all go through here, so they cannot drift apart.
//!
//! [`Settings`] says what to produce; [`Plan`] turns it into paths beside the PDF and finds
//! clashes before any work; [`render`] makes the bytes; [`Plan::write`] writes them atomically,
//! the PDF last, so a letter's PDF on disk means its whole set was written.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::pdf::Conformance;
use crate::{Prepared, Toolkit};

/// One kind of output file. The order of the variants is the order files are written in: the PDF
/// comes last, so a case whose PDF exists has every other file too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The letter as an editable Word document (`letter.docx`).
    Docx,
    /// The letter's Typst source (`letter.typ`).
    Typst,
    /// The reviewer's copy's Typst source (`letter.review.typ`).
    ReviewTypst,
    /// The reviewer's copy (`letter.review.pdf`): notes in the margin; not for sending.
    ReviewPdf,
    /// The letter (`letter.pdf`).
    Pdf,
}

impl Kind {
    /// Where this kind goes, given where the letter's PDF goes.
    pub fn path(self, pdf: &Path) -> PathBuf {
        match self {
            Kind::Pdf => pdf.to_path_buf(),
            Kind::Typst => pdf.with_extension("typ"),
            Kind::Docx => pdf.with_extension("docx"),
            Kind::ReviewPdf => review_path(pdf),
            Kind::ReviewTypst => review_path(&pdf.with_extension("typ")),
        }
    }

    /// The media type, for downloads.
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf | Kind::ReviewPdf => "application/pdf",
            Kind::Typst | Kind::ReviewTypst => "text/plain; charset=utf-8",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    /// What the file is, after "wrote PATH" (empty for the letter, which says more).
    pub fn note(self) -> &'static str {
        match self {
            Kind::ReviewPdf => " (reviewer's copy: not for sending)",
            _ => "",
        }
    }
}

/// Where the reviewer's copy of the letter at `output` goes: `X.pdf` → `X.review.pdf`.
pub fn review_path(output: &Path) -> PathBuf {
    let stem = output.file_stem().unwrap_or_default().to_string_lossy();
    let extension = output
        .extension()
        .map_or_else(|| "pdf".to_string(), |e| e.to_string_lossy().into_owned());
    output.with_file_name(format!("{stem}.review.{extension}"))
}

/// What to produce for each letter, whichever driver asks.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Also the Typst source (of the letter, and of the reviewer's copy when there is one).
    pub typst: bool,
    /// Also the Word document.
    pub docx: bool,
    /// The Word file whose styles the DOCX takes (`build --docx-reference`), already read.
    pub docx_reference: Option<Vec<u8>>,
    /// Also the reviewer's copy.
    pub review: bool,
    /// The PDF standards of the letter and the reviewer's copy.
    pub conformance: Conformance,
}

impl Settings {
    /// The kinds these settings produce, in write order; the PDF always.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut kinds = vec![Kind::Pdf];
        if self.docx || self.docx_reference.is_some() {
            kinds.push(Kind::Docx);
        }
        if self.typst {
            kinds.push(Kind::Typst);
        }
        if self.review {
            kinds.push(Kind::ReviewPdf);
            if self.typst {
                kinds.push(Kind::ReviewTypst);
            }
        }
        kinds.sort();
        kinds
    }

    /// What the outputs depend on beyond the case and the clause library, for `batch
    /// --skip-unchanged`: the layout templates used, and a PDF standard other than the default.
    pub fn fingerprint(&self) -> String {
        let mut templates = crate::render::layout().to_string();
        if self.review {
            templates.push_str(crate::review::layout());
        }
        if self.conformance != Conformance::default() {
            templates.push_str(&self.conformance.names().join("+"));
        }
        crate::provenance::sha256(templates.as_bytes())
    }
}

/// The files one letter will be written to, in write order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub files: Vec<(Kind, PathBuf)>,
}

impl Plan {
    /// The files for a letter whose PDF goes to `pdf`.
    pub fn new(pdf: &Path, settings: &Settings) -> Plan {
        Plan {
            files: settings
                .kinds()
                .into_iter()
                .map(|kind| (kind, kind.path(pdf)))
                .collect(),
        }
    }

    /// The kinds planned, in write order.
    pub fn kinds(&self) -> Vec<Kind> {
        self.files.iter().map(|(kind, _)| *kind).collect()
    }

    /// A path two planned files would share (`-o letter.typ --emit typ`), if any.
    pub fn clash(&self) -> Option<&Path> {
        self.files.iter().enumerate().find_map(|(i, (_, path))| {
            self.files[..i]
                .iter()
                .any(|(_, earlier)| earlier == path)
                .then_some(path.as_path())
        })
    }

    /// The planned files that exist already, in write order.
    pub fn existing(&self) -> impl Iterator<Item = &Path> {
        self.files
            .iter()
            .map(|(_, path)| path.as_path())
            .filter(|p| p.exists())
    }

    /// Whether every planned file exists.
    pub fn complete(&self) -> bool {
        self.files.iter().all(|(_, path)| path.exists())
    }

    /// An error for the first planned file that exists, unless overwriting is allowed.
    pub fn refuse_existing(&self, hint: &str) -> Result<(), Diagnostic> {
        match self.existing().next() {
            Some(path) => Err(Diagnostic::error(
                Code::Exists,
                format!("`{}` already exists", path.display()),
            )
            .hint(hint)),
            None => Ok(()),
        }
    }

    /// Writes each rendered file to its planned path as one set: every file is first written in
    /// full to a temporary beside its target, and only when all of them are written are they
    /// renamed into place, in plan order (the PDF last). A failure while writing (a full disk)
    /// leaves the previous set as it was, never a new DOCX beside an old PDF.
    pub fn write(&self, rendered: &Rendered) -> Result<(), Diagnostic> {
        let failed = |path: &Path, e: std::io::Error| {
            Diagnostic::error(
                Code::WriteFailed,
                format!("cannot write `{}`: {e}", path.display()),
            )
        };
        let mut staged = Vec::with_capacity(self.files.len());
        for (kind, path) in &self.files {
            if let Some(bytes) = rendered.get(*kind) {
                staged.push((path, stage(path, bytes).map_err(|e| failed(path, e))?));
            }
        }
        for (path, temp) in staged {
            temp.persist(path).map_err(|e| failed(path, e.error))?;
        }
        Ok(())
    }
}

/// One letter's files, rendered.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub files: Vec<(Kind, Vec<u8>)>,
}

impl Rendered {
    /// The bytes of one kind, if rendered.
    pub fn get(&self, kind: Kind) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, b)| b.as_slice())
    }
}

/// Renders the files `kinds` of a prepared letter. The letter's Typst source and PDF come from one
/// rendering, and so do the reviewer's copy's.
pub fn render(
    toolkit: &Toolkit,
    prepared: &Prepared,
    settings: &Settings,
    kinds: &[Kind],
) -> Result<Rendered, Vec<Diagnostic>> {
    let wants = |k: Kind| kinds.contains(&k);
    let mut files = Vec::with_capacity(kinds.len());
    // A process's first DOCX prepares the fonts it embeds (about 20 ms); another core does that
    // while this one typesets the PDFs, and the DOCX is made last.
    std::thread::scope(|scope| {
        if wants(Kind::Docx) && crate::docx::fonts_pending() {
            scope.spawn(crate::docx::prepare_fonts);
        }
        if wants(Kind::ReviewPdf) || wants(Kind::ReviewTypst) {
            let (source, bytes) = crate::review::build(toolkit, prepared, settings.conformance)?;
            if wants(Kind::ReviewTypst) {
                files.push((Kind::ReviewTypst, source.text.into_bytes()));
            }
            if wants(Kind::ReviewPdf) {
                files.push((Kind::ReviewPdf, bytes));
            }
        }
        if wants(Kind::Pdf) || wants(Kind::Typst) {
            let (source, bytes) = crate::build_with(toolkit, prepared, settings.conformance)?;
            if wants(Kind::Typst) {
                files.push((Kind::Typst, source.text.into_bytes()));
            }
            if wants(Kind::Pdf) {
                files.push((Kind::Pdf, bytes));
            }
        }
        if wants(Kind::Docx) {
            let options = crate::docx::DocxOptions {
                reference: settings.docx_reference.as_deref(),
            };
            files.push((
                Kind::Docx,
                crate::docx::render(&prepared.document, &options)?,
            ));
        }
        Ok::<(), Vec<Diagnostic>>(())
    })?;
    files.sort_by_key(|(kind, _)| *kind);
    Ok(Rendered { files })
}

/// A safe, unique file name for a letter from its matter reference: no path separators, no
/// leading dots; `taken` holds the names given so far (compared without case).
pub fn file_name(reference: &str, taken: &mut Vec<String>) -> String {
    let mut base: String = reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    // No leading dash (a name a shell would read as an option) or dot, no edge underscores.
    base = base.trim_matches(|c| c == '_' || c == '-').to_string();
    if base.is_empty() {
        base = "case".into();
    }
    let mut name = format!("{base}.pdf");
    let mut n = 2;
    while taken.contains(&name.to_ascii_lowercase()) {
        name = format!("{base}-{n}.pdf");
        n += 1;
    }
    taken.push(name.to_ascii_lowercase());
    name
}

/// Creates `dir` (and its parents) if missing, the folders it creates readable by their owner
/// only (0700): letters and case files hold a trafficking victim's history. An existing folder's
/// permissions are the user's and are left alone.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Writes a file so that readers see the old contents or the new, never half of either: a
/// temporary file created exclusively in the same folder (never following a planted link),
/// flushed, then renamed over the target. Temporary names start with `.` and end in `.tmp`, so
/// a killed run's leftovers can be recognised and removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` written and flushed to an exclusive temporary file beside `path`, not yet renamed
/// (dropped unrenamed, it is removed).
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write as _;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_path_adds_review_before_the_extension() {
        assert_eq!(
            review_path(Path::new("out/letter.pdf")),
            Path::new("out/letter.review.pdf")
        );
        assert_eq!(
            review_path(Path::new("letter")),
            Path::new("letter.review.pdf")
        );
        assert_eq!(
            review_path(Path::new("a.b.PDF")),
            Path::new("a.b.review.PDF")
        );
    }

    #[test]
    fn a_plan_names_each_file_beside_the_pdf_and_writes_the_pdf_last() {
        let settings = Settings {
            typst: true,
            docx: true,
            review: true,
            ..Settings::default()
        };
        let plan = Plan::new(Path::new("out/a.pdf"), &settings);
        let files: Vec<(Kind, &str)> = plan
            .files
            .iter()
            .map(|(k, p)| (*k, p.to_str().unwrap()))
            .collect();
        assert_eq!(
            files,
            [
                (Kind::Docx, "out/a.docx"),
                (Kind::Typst, "out/a.typ"),
                (Kind::ReviewTypst, "out/a.review.typ"),
                (Kind::ReviewPdf, "out/a.review.pdf"),
                (Kind::Pdf, "out/a.pdf"),
            ]
        );
        assert_eq!(plan.clash(), None);
        // `-o a.typ --emit typ`: the letter and its source on one path.
        let typst = Settings {
            typst: true,
            ..Settings::default()
        };
        let clashing = Plan::new(Path::new("out/a.typ"), &typst);
        assert_eq!(clashing.clash(), Some(Path::new("out/a.typ")));
        let plain = Plan::new(Path::new("a.pdf"), &Settings::default());
        assert_eq!(plain.files, [(Kind::Pdf, PathBuf::from("a.pdf"))]);
        // The reviewer's copy's source only with both flags.
        let review_only = Settings {
            review: true,
            ..Settings::default()
        };
        assert_eq!(review_only.kinds(), [Kind::ReviewPdf, Kind::Pdf]);
    }

    #[test]
    fn a_docx_reference_implies_the_docx() {
        let settings = Settings {
            docx_reference: Some(Vec::new()),
            ..Settings::default()
        };
        assert_eq!(settings.kinds(), [Kind::Docx, Kind::Pdf]);
    }

    #[test]
    fn only_a_non_default_pdf_standard_changes_the_fingerprint() {
        let default = Settings::default();
        let same = Settings {
            docx: true,
            typst: true,
            ..Settings::default()
        };
        assert_eq!(default.fingerprint(), same.fingerprint());
        let other = Settings {
            conformance: Conformance::from_flags(&["a-2b".to_string()]).unwrap(),
            ..Settings::default()
        };
        assert_ne!(default.fingerprint(), other.fingerprint());
        let review = Settings {
            review: true,
            ..Settings::default()
        };
        assert_ne!(default.fingerprint(), review.fingerprint());
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(file_name("VTS-2026-0141", &mut taken), "VTS-2026-0141.pdf");
        assert_eq!(
            file_name("VTS-2026-0141", &mut taken),
            "VTS-2026-0141-2.pdf"
        );
        assert_eq!(file_name("../../etc/passwd", &mut taken), "etc_passwd.pdf");
        assert_eq!(file_name("...", &mut taken), "case.pdf");
        assert_eq!(file_name("a/b\\c:d", &mut taken), "a_b_c_d.pdf");
        assert_eq!(file_name("-rf", &mut taken), "rf.pdf");
    }

    /// F7: a temporary name must not be guessable (the old `.name.<pid>.tmp` let a link planted
    /// there redirect the write), and is created exclusively.
    #[test]
    fn f7_temporary_names_are_unpredictable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.pdf");
        let a = stage(&path, b"a").unwrap();
        let b = stage(&path, b"b").unwrap();
        let name = |t: &tempfile::NamedTempFile| {
            t.path().file_name().unwrap().to_string_lossy().into_owned()
        };
        assert_ne!(name(&a), name(&b));
        let old = format!(".l.pdf.{}.tmp", std::process::id());
        for n in [name(&a), name(&b)] {
            assert!(n.starts_with(".l.pdf.") && n.ends_with(".tmp"), "{n}");
            assert_ne!(n, old);
        }
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["letter.pdf"]);
    }
}
