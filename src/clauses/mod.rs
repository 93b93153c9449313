//! The clause library: clause files (front matter + handlebars body) and the authorities table.

pub mod authorities;
pub mod lint;
pub mod reasons;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use authorities::{Authority, AuthorityKind};

use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::facts::model::{Axis, DocType};
use crate::law::Law;
use crate::phrases::{Phrase, Phrases};
use reasons::Reasons;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The letter's sections, in the order they are printed (brief section 5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Request,
    Summary,
    Chronology,
    Framework,
    BestInterests,
    Recovery,
    Compensation,
    Cooperation,
    PersonalSituation,
    Suitability,
    Duration,
    OtherMatters,
    Conclusion,
}

impl SectionKey {
    /// The section's name in clause files and JSON (`best_interests`).
    pub fn name(self) -> &'static str {
        match self {
            SectionKey::Request => "request",
            SectionKey::Summary => "summary",
            SectionKey::Chronology => "chronology",
            SectionKey::Framework => "framework",
            SectionKey::BestInterests => "best_interests",
            SectionKey::Recovery => "recovery",
            SectionKey::Compensation => "compensation",
            SectionKey::Cooperation => "cooperation",
            SectionKey::PersonalSituation => "personal_situation",
            SectionKey::Suitability => "suitability",
            SectionKey::Duration => "duration",
            SectionKey::OtherMatters => "other_matters",
            SectionKey::Conclusion => "conclusion",
        }
    }

    pub const ALL: [SectionKey; 13] = [
        SectionKey::Request,
        SectionKey::Summary,
        SectionKey::Chronology,
        SectionKey::Framework,
        SectionKey::BestInterests,
        SectionKey::Recovery,
        SectionKey::Compensation,
        SectionKey::Cooperation,
        SectionKey::PersonalSituation,
        SectionKey::Suitability,
        SectionKey::Duration,
        SectionKey::OtherMatters,
        SectionKey::Conclusion,
    ];

    /// The section named `name` (`recovery`, `best_interests`, …).
    pub fn named(name: &str) -> Option<SectionKey> {
        SectionKey::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The phrase for the section's heading in the letter.
    pub fn heading(self) -> Phrase {
        match self {
            SectionKey::Request => Phrase::SectionRequest,
            SectionKey::Summary => Phrase::SectionSummary,
            SectionKey::Chronology => Phrase::SectionChronology,
            SectionKey::Framework => Phrase::SectionFramework,
            SectionKey::BestInterests => Phrase::SectionBestInterests,
            SectionKey::Recovery => Phrase::SectionRecovery,
            SectionKey::Compensation => Phrase::SectionCompensation,
            SectionKey::Cooperation => Phrase::SectionCooperation,
            SectionKey::PersonalSituation => Phrase::SectionPersonalSituation,
            SectionKey::Suitability => Phrase::SectionSuitability,
            SectionKey::Duration => Phrase::SectionDuration,
            SectionKey::OtherMatters => Phrase::SectionOtherMatters,
            SectionKey::Conclusion => Phrase::SectionConclusion,
        }
    }

    /// The section a clause goes in when its front matter does not say.
    pub fn for_axis(axis: Axis) -> SectionKey {
        match axis {
            Axis::Framework => SectionKey::Framework,
            Axis::Recovery => SectionKey::Recovery,
            Axis::PersonalSituation => SectionKey::PersonalSituation,
            Axis::ChildBestInterests => SectionKey::BestInterests,
            Axis::Compensation => SectionKey::Compensation,
            Axis::Cooperation => SectionKey::Cooperation,
            Axis::Suitability => SectionKey::Suitability,
            Axis::Duration => SectionKey::Duration,
        }
    }
}

/// A clause file's front matter, exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub axis: Axis,
    #[serde(default)]
    pub section: Option<SectionKey>,
    pub title: String,
    pub when: String,
    #[serde(default)]
    pub evidence: Vec<DocType>,
    #[serde(default)]
    pub authorities: Vec<String>,
    pub version: u32,
    pub reviewed: toml::value::Datetime,
    #[serde(default = "default_order")]
    pub order: i32,
    #[serde(default)]
    pub excludes: Vec<String>,
    #[serde(default)]
    pub unverified: Vec<String>,
    /// Ids this clause had before it was renamed, so that a case's drafting instruction written
    /// against an old id still finds it (and `check` says it was renamed).
    #[serde(default)]
    pub formerly: Vec<String>,
    /// The period of law the clause is written for: it may be selected only for letters dated
    /// on or after `law_from` and before `law_to` (`clauses lint` checks its authorities' versions
    /// were in force for the whole period).
    #[serde(default)]
    pub law_from: Option<toml::value::Datetime>,
    #[serde(default)]
    pub law_to: Option<toml::value::Datetime>,
}

fn default_order() -> i32 {
    100
}

/// One clause, parsed and ready to match and render.
#[derive(Debug)]
pub struct Clause {
    pub id: String,
    pub axis: Axis,
    pub section: SectionKey,
    pub title: String,
    pub when: String,
    pub program: cel::Program,
    /// The condition's `&&` parts, each compiled alone (for the words of `explain`).
    pub parts: Vec<reasons::Part>,
    pub evidence: Vec<DocType>,
    pub authorities: Vec<String>,
    pub version: u32,
    pub reviewed: String,
    pub order: i32,
    pub excludes: Vec<String>,
    pub unverified: Vec<String>,
    /// Its earlier ids (see [`FrontMatter::formerly`]).
    pub formerly: Vec<String>,
    /// The period of law the clause is written for (see [`FrontMatter::law_from`]).
    pub law_from: Option<chrono::NaiveDate>,
    pub law_to: Option<chrono::NaiveDate>,
    pub body: String,
    /// The file it came from, and the line of its `when` and of its body's first line.
    pub file: PathBuf,
    pub when_line: u32,
    pub body_line: u32,
}

impl Clause {
    /// `id@version`, as recorded in manifests.
    pub fn stamp(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// The whole library: clauses in letter order, and the authorities they cite.
#[derive(Debug)]
pub struct Library {
    pub clauses: Vec<Clause>,
    pub authorities: BTreeMap<String, Authority>,
    /// The letter's fixed wording outside the clauses (`phrases.toml`; the built-in phrases when
    /// the folder has none).
    pub phrases: Phrases,
    /// What each part of a condition means, in words (`reasons.toml`; the built-in words when
    /// the folder has none).
    pub reasons: Reasons,
    /// The instruments and pauses of the law in force (`instruments.toml`; the built-in ones
    /// when the folder has none).
    pub law: Law,
    /// SHA-256 (first 16 hex digits) over every file, so manifests record what built a letter.
    pub version: String,
    /// Where it was loaded from (`(built in)` for the embedded library).
    pub root: String,
}

impl Library {
    /// The library compiled into the binary.
    pub fn builtin() -> Result<Library, Vec<Diagnostic>> {
        let files = embedded::CLAUSES
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect();
        Library::from_files("(built in)", files)
    }

    /// A library from a folder: every `*.md` below it is a clause; `authorities.toml` at its root.
    pub fn load(dir: &Path) -> Result<Library, Vec<Diagnostic>> {
        let mut files = Vec::new();
        collect(dir, dir, &mut files).map_err(|e| {
            vec![Diagnostic::error(
                Code::Unreadable,
                format!("cannot read the clause library `{}`: {e}", dir.display()),
            )]
        })?;
        if files.is_empty() {
            return Err(vec![Diagnostic::error(
                Code::EmptyLibrary,
                format!("`{}` holds no clause files (`*.md`)", dir.display()),
            )]);
        }
        // Files are named `<folder name>/<path inside>`, so that the library's version does not
        // depend on where the folder is; messages and clauses name the path the user gave.
        let named = Path::new(dir.file_name().unwrap_or_default());
        let real = |file: &mut PathBuf| {
            if let Ok(inside) = file.strip_prefix(named) {
                *file = dir.join(inside);
            }
        };
        match Library::from_files(&dir.display().to_string(), files) {
            Ok(mut library) => {
                library.clauses.iter_mut().for_each(|c| real(&mut c.file));
                Ok(library)
            }
            Err(mut problems) => {
                for location in problems.iter_mut().filter_map(|p| p.location.as_mut()) {
                    real(&mut location.file);
                }
                Err(problems)
            }
        }
    }

    /// Parses a set of (path, text) files; reports every problem in every file.
    pub fn from_files(
        root: &str,
        mut files: Vec<(PathBuf, String)>,
    ) -> Result<Library, Vec<Diagnostic>> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut hasher = Sha256::new();
        for (path, text) in &files {
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let version = hex(&hasher.finalize())[..16].to_string();
        let mut problems = Vec::new();
        let mut authorities = BTreeMap::new();
        let mut phrases = None;
        let mut reasons = None;
        let mut law = None;
        let mut clauses = Vec::new();
        if files.len() > MAX_CLAUSES {
            return Err(vec![Diagnostic::error(
                Code::TooManyClauses,
                format!(
                    "the library has {} files; at most {MAX_CLAUSES} are allowed",
                    files.len()
                ),
            )]);
        }
        // Parsing clauses (their conditions above all) is most of loading a library and each
        // file is independent, so the cores share them; results are taken in file order below.
        let mut parsed = parse_clauses(&files).into_iter();
        for (path, text) in &files {
            if path.file_name().is_some_and(|n| n == "authorities.toml") {
                match authorities::parse(path, text) {
                    Ok(table) => authorities = table,
                    Err(mut e) => problems.append(&mut e),
                }
            } else if path.file_name().is_some_and(|n| n == "instruments.toml") {
                match Law::parse(path, text) {
                    Ok(l) => law = Some(l),
                    Err(mut e) => problems.append(&mut e),
                }
            } else if path.file_name().is_some_and(|n| n == "reasons.toml") {
                match Reasons::parse(path, text) {
                    Ok(r) => reasons = Some(r),
                    Err(mut e) => problems.append(&mut e),
                }
            } else if path.file_name().is_some_and(|n| n == "phrases.toml") {
                match Phrases::parse(path, text) {
                    Ok(p) => phrases = Some(p),
                    Err(mut e) => problems.append(&mut e),
                }
            } else if is_clause(path) {
                match parsed.next().expect("one result for each clause file") {
                    Ok(clause) => clauses.push(clause),
                    Err(mut e) => problems.append(&mut e),
                }
            }
        }
        // Duplicate ids and references to clauses or authorities that do not exist.
        let ids: Vec<String> = clauses.iter().map(|c: &Clause| c.id.clone()).collect();
        for (i, clause) in clauses.iter().enumerate() {
            if ids[..i].contains(&clause.id) {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("clause id `{}` is used by more than one file", clause.id),
                    )
                    .at(Location::file(&clause.file)),
                );
            }
            for old in &clause.formerly {
                if ids.contains(old) {
                    problems.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!(
                                "clause `{}` says it was formerly `{old}`, but a clause still has that id",
                                clause.id
                            ),
                        )
                        .hint("a renamed clause's old id must not be reused: drafting instructions written against it would find the wrong clause")
                        .at(Location::file(&clause.file)),
                    );
                }
            }
            for excluded in &clause.excludes {
                if !ids.contains(excluded) {
                    let mut d = Diagnostic::error(
                        Code::UnknownClause,
                        format!(
                            "clause `{}` excludes `{excluded}`, which is not in the library",
                            clause.id
                        ),
                    )
                    .at(Location::file(&clause.file));
                    if let Some(near) = did_you_mean(excluded, ids.iter().map(String::as_str)) {
                        d = d.hint(format!("did you mean `{near}`?"));
                    }
                    problems.push(d);
                }
            }
            for key in &clause.authorities {
                if !authorities.contains_key(key) {
                    let mut d = Diagnostic::error(
                        Code::UnknownAuthority,
                        format!(
                            "clause `{}` cites `{key}`, which is not in authorities.toml",
                            clause.id
                        ),
                    )
                    .at(Location::file(&clause.file));
                    if let Some(near) = did_you_mean(key, authorities.keys().map(String::as_str)) {
                        d = d.hint(format!("did you mean `{near}`?"));
                    }
                    problems.push(d);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        clauses.sort_by(|a, b| (a.section, a.order, &a.id).cmp(&(b.section, b.order, &b.id)));
        Ok(Library {
            clauses,
            authorities,
            phrases: phrases.unwrap_or_else(Phrases::builtin),
            reasons: reasons.unwrap_or_else(Reasons::builtin),
            law: law.unwrap_or_else(Law::builtin),
            version,
            root: root.to_string(),
        })
    }

    pub fn get(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The clause with id `id`, or the one that was called `id` before it was renamed (what a
    /// drafting instruction written against an old id means).
    pub fn find(&self, id: &str) -> Option<&Clause> {
        self.get(id).or_else(|| {
            self.clauses
                .iter()
                .find(|c| c.formerly.iter().any(|f| f == id))
        })
    }
}

/// Refuse absurd libraries rather than spend minutes on them.
pub const MAX_CLAUSES: usize = 2_000;

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // Symlinks are not followed: a library folder must not reach outside itself.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_file()
            && (path.extension().is_some_and(|e| e == "md")
                || path.file_name().is_some_and(|n| {
                    n == "authorities.toml"
                        || n == "phrases.toml"
                        || n == "instruments.toml"
                        || n == "reasons.toml"
                }))
        {
            let text = std::fs::read_to_string(&path)?;
            let shown = Path::new(root.file_name().unwrap_or_default())
                .join(path.strip_prefix(root).unwrap_or(&path));
            out.push((shown, text));
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `path` is a clause file (every `.md`; the library's tables are `.toml`).
fn is_clause(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// [`parse_clause`] for every clause file of `files`, in their order, the cores sharing them.
fn parse_clauses(files: &[(PathBuf, String)]) -> Vec<Result<Clause, Vec<Diagnostic>>> {
    let clauses: Vec<&(PathBuf, String)> = files.iter().filter(|(p, _)| is_clause(p)).collect();
    crate::cores::map(
        &clauses,
        |(_, text)| text.len(),
        |(path, text)| parse_clause(path, text),
    )
}

/// Parses one clause file: `+++` TOML front matter `+++`, then the body.
pub fn parse_clause(path: &Path, text: &str) -> Result<Clause, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let normalized = text.replace("\r\n", "\n");
    let Some(rest) = normalized.strip_prefix("+++\n") else {
        return Err(vec![
            Diagnostic::error(
                Code::BadClause,
                "a clause file must start with a `+++` line opening its front matter",
            )
            .at(Location::file(path))
            .hint("see docs/clause-authoring.md"),
        ]);
    };
    let Some(end) = rest
        .find("\n+++\n")
        .or_else(|| rest.strip_suffix("\n+++").map(|r| r.len()))
    else {
        return Err(vec![
            Diagnostic::error(
                Code::BadClause,
                "the front matter is not closed by a `+++` line",
            )
            .at(Location::file(path)),
        ]);
    };
    let front = &rest[..end];
    let body = rest.get(end + 5..).unwrap_or("").to_string();
    let front_offset = 4; // the opening "+++\n"
    let matter: FrontMatter = toml::from_str(front).map_err(|e| {
        let offset = front_offset + e.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::error(
                Code::BadFrontMatter,
                format!("front matter: {}", e.message().trim()),
            )
            .at(Location::at(path, &normalized, offset)),
        ]
    })?;
    let line_of = |needle: &str| -> u32 {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(needle))
            .map_or(2, |i| i as u32 + 2)
    };
    let when_line = line_of("when");
    let body_line = normalized[..front_offset + end + 5].matches('\n').count() as u32 + 1;
    let mut problems = Vec::new();
    if !valid_id(&matter.id) {
        problems.push(Diagnostic::error(Code::BadId, format!("clause id `{}` must look like `rec.some_name` (lowercase letters, digits, `_` and one or more dots)", matter.id)).at(Location { file: path.to_path_buf(), line: line_of("id"), column: 1 }));
    }
    let program = match cel::Program::compile(&matter.when) {
        Ok(p) => Some(p),
        Err(e) => {
            let message = e
                .errors
                .first()
                .map_or_else(|| e.to_string(), |x| x.msg.clone());
            let column = e.errors.first().map_or(1, |x| x.pos.1.max(0) as u32 + 1);
            problems.push(
                Diagnostic::error(Code::BadCondition, format!("clause `{}`: the `when` condition is not valid CEL: {message}", matter.id))
                    .at(Location { file: path.to_path_buf(), line: when_line, column })
                    .hint("conditions are CEL expressions, e.g. `derived.child_at_cg && has(family.ictg.name)`"),
            );
            None
        }
    };
    if body.contains("{{{") {
        let line = body.lines().position(|l| l.contains("{{{")).unwrap_or(0) as u32 + body_line;
        problems.push(
            Diagnostic::error(
                Code::RawOutput,
                format!(
                    "clause `{}` uses `{{{{{{`, which would print case text without escaping",
                    matter.id
                ),
            )
            .at(Location {
                file: path.to_path_buf(),
                line,
                column: 1,
            })
            .hint("use `{{value}}`: every value is escaped so case text cannot become markup"),
        );
    }
    if body.trim().is_empty() {
        problems.push(
            Diagnostic::error(
                Code::EmptyBody,
                format!("clause `{}` has no text", matter.id),
            )
            .at(Location::file(path)),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let program = program.expect("checked above");
    // The parts of the condition, for saying in words which held; a condition whose parts do
    // not compile alone is one part.
    let parts = reasons::parts(&matter.when, &program).unwrap_or_else(|| {
        let (key, negated) = reasons::key(&matter.when);
        vec![reasons::Part {
            text: matter.when.trim().to_string(),
            key,
            negated,
            expression: None,
        }]
    });
    Ok(Clause {
        section: matter
            .section
            .unwrap_or_else(|| SectionKey::for_axis(matter.axis)),
        id: matter.id,
        axis: matter.axis,
        title: matter.title,
        when: matter.when,
        program,
        parts,
        evidence: matter.evidence,
        authorities: matter.authorities,
        version: matter.version,
        reviewed: matter.reviewed.to_string(),
        order: matter.order,
        excludes: matter.excludes,
        formerly: matter.formerly,
        unverified: matter.unverified,
        law_from: matter.law_from.as_ref().and_then(crate::law::day),
        law_to: matter.law_to.as_ref().and_then(crate::law::day),
        body,
        file: path.to_path_buf(),
        when_line,
        body_line,
    })
}

fn valid_id(id: &str) -> bool {
    id.contains('.')
        && !id.starts_with('.')
        && !id.ends_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

/// A file of the embedded library or templates, by its repository path.
pub fn embedded_file(path: &str) -> Option<&'static str> {
    embedded::CLAUSES
        .iter()
        .chain(embedded::TEMPLATES.iter())
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_match_clause_files_and_all_is_in_letter_order() {
        for key in SectionKey::ALL {
            assert_eq!(serde_json::to_value(key).unwrap(), key.name());
        }
        assert!(SectionKey::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    const CLAUSE: &str = "+++\nid = \"rec.test\"\naxis = \"recovery\"\ntitle = \"T\"\nwhen = \"derived.grounds.recovery\"\nversion = 1\nreviewed = 2026-11-22\n+++\nBody {{client}}.\n";

    #[test]
    fn parses_front_matter_and_body() {
        let clause = parse_clause(Path::new("c.md"), CLAUSE).unwrap();
        assert_eq!(clause.id, "rec.test");
        assert_eq!(clause.section, SectionKey::Recovery);
        assert_eq!(clause.order, 100);
        assert_eq!(clause.when_line, 5);
        assert_eq!(clause.body_line, 9);
        assert_eq!(clause.body, "Body {{client}}.\n");
    }

    #[test]
    fn bad_condition_points_at_the_when_line() {
        let text = CLAUSE.replace("derived.grounds.recovery", "derived.grounds.recovery &&");
        let err = parse_clause(Path::new("c.md"), &text).unwrap_err();
        assert_eq!(err[0].code, "bad-condition");
        assert_eq!(err[0].location.as_ref().unwrap().line, 5);
    }

    #[test]
    fn unknown_front_matter_key_is_an_error_with_location() {
        let text = CLAUSE.replace("version = 1", "versoin = 1");
        let err = parse_clause(Path::new("c.md"), &text).unwrap_err();
        assert!(err[0].message.contains("versoin"), "{}", err[0].message);
        assert!(err[0].location.as_ref().unwrap().line >= 2);
    }

    #[test]
    fn triple_stash_is_refused() {
        let text = CLAUSE.replace("{{client}}", "{{{client}}}");
        let err = parse_clause(Path::new("c.md"), &text).unwrap_err();
        assert_eq!(err[0].code, "raw-output");
    }
}
