//! Diagnostics: problems in the user's inputs, each with a file location, a field path and hints.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. Errors stop a build; warnings are shown and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A 1-based position in an input file, printed as `case.toml:14:9`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl Location {
    /// The location of byte `offset` in `text`.
    pub fn at(file: &Path, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() as u32 + 1;
        Location {
            file: file.to_path_buf(),
            line,
            column,
        }
    }

    /// The start of a file, for problems that concern the whole file.
    pub fn file(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Every kind of problem, by a stable machine-readable name (`unknown-field`, `ktt-unavailable`)
/// that `--format json`, the manifests and the web form carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A bug in vtsdraft (exit 2).
    Internal,
    /// The letter could not be typeset: a layout or clause-markup bug (exit 2).
    Typst,
    /// An output file could not be written (exit 2).
    WriteFailed,
    /// A clause template failed to render for this case.
    Render,
    /// The file is not valid TOML, JSON or CSV.
    Syntax,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The file is empty.
    EmptyFile,
    /// The file is over the size limit.
    FileTooLarge,
    /// Nesting deeper than the parser allows.
    TooDeep,
    /// A list longer than the limit.
    TooManyItems,
    /// A text value longer than the limit.
    TextTooLong,
    /// A control or private-use character in case text.
    ControlCharacter,
    /// A file or folder could not be read.
    Unreadable,
    /// The input is neither a case folder nor a CSV file.
    BadInput,
    /// A CSV column that is not a field path of the case model.
    UnknownColumn,
    /// An output file exists and `--force` was not given.
    Exists,
    /// A case file changed while a batch was running.
    Changed,
    /// A field the case model does not have.
    UnknownField,
    /// A required field is missing.
    MissingField,
    /// A value of the wrong type.
    WrongType,
    /// A value outside an enumeration.
    BadChoice,
    /// A date that does not exist or is malformed.
    BadDate,
    /// A number out of range.
    BadNumber,
    /// A malformed evidence or clause id.
    BadId,
    /// Two items with the same id.
    DuplicateId,
    /// A reference to evidence the case does not list.
    UnknownEvidence,
    /// A date after the letter date.
    FutureDate,
    /// Dates in an impossible order.
    DateOrder,
    /// The conclusive grounds decision was negative.
    NegativeCg,
    /// No `[representative]` and no `--firm`.
    MissingRepresentative,
    /// A value that repeats another and should be left out.
    Redundant,
    /// A care status that does not fit the client's age.
    CareStatusAge,
    /// The client's age is disputed.
    AgeDisputed,
    /// A character no bundled font can display.
    MissingGlyph,
    /// The letter would be longer than allowed.
    TooManyPages,
    /// A combination of PDF standards Typst refuses.
    PdfStandard,
    /// A `--docx-reference` file that is not a usable Word document.
    DocxReference,
    /// The KTT cohort policy does not apply.
    KttUnavailable,
    /// The KTT cohort turns on dates at its edge: check before relying on it or ruling it out.
    KttCheck,
    /// A ground for leave is not available on these facts.
    GroundUnavailable,
    /// A criminal injuries claim is outside the time limit.
    CicaOutOfTime,
    /// The domestic-worker route's deadline.
    DwmsDeadline,
    /// A decision pause for deportation cases may apply.
    DeportationPause,
    /// An earlier decision must be reconsidered, not applied for afresh.
    ReconsiderationNeeded,
    /// The judicial review time limit.
    JrTimeLimit,
    /// A reconsideration request after the 30 days the guidance gives.
    ReconsiderationOutOfTime,
    /// A conviction that may fall within the s.63(3) deeming of a threat to public order.
    PublicOrderDeeming,
    /// Facts that make refusal likely without more evidence.
    HighRefusalRisk,
    /// A clause relies on evidence the case does not hold.
    EvidenceGap,
    /// Evidence is listed as to follow.
    EvidenceToFollow,
    /// An enclosed document the letter never refers to.
    UncitedEvidence,
    /// No evidence from a registered professional.
    NoRegisteredEvidence,
    /// No evidence links the harm to the exploitation.
    CausationNotEvidenced,
    /// A clause template read a fact the case does not set.
    MissingFact,
    /// A clause file that cannot be read.
    BadClause,
    /// A clause's front matter is malformed.
    BadFrontMatter,
    /// A clause condition that does not parse or evaluate.
    BadCondition,
    /// A clause body template that does not parse.
    BadTemplate,
    /// A clause template writes unescaped output.
    RawOutput,
    /// A clause with no text.
    EmptyBody,
    /// A clause library with no clauses.
    EmptyLibrary,
    /// A clause library larger than the limit.
    TooManyClauses,
    /// The authorities table cannot be read.
    BadAuthorities,
    /// A citation of an authority the table does not list.
    UnknownAuthority,
    /// A citation not listed in the clause's `authorities`.
    UnlistedAuthority,
    /// A clause relies on superseded guidance.
    SupersededAuthority,
    /// A legal point not verified against a primary source.
    Unverified,
    /// An authority or instrument checked more than 12 months ago.
    StaleCheck,
    /// A condition or template reads a fact the model does not have.
    UnknownFact,
    /// A reference to a clause the library does not have.
    UnknownClause,
    /// A clause no case in the given folders selects.
    NeverSelected,
    /// The instruments file is not usable: a kind governed by no instrument or two, a bad date.
    BadInstruments,
    /// The phrases file is not usable: a missing, unknown or misused phrase.
    BadPhrases,
    /// A drafting instruction that is incomplete or cannot be carried out.
    BadDrafting,
    /// A drafting instruction written against an older version of its clause.
    StaleDrafting,
}

impl Code {
    /// Every code.
    pub const ALL: &[Code] = &[
        Code::Internal,
        Code::Typst,
        Code::WriteFailed,
        Code::Render,
        Code::Syntax,
        Code::NotUtf8,
        Code::EmptyFile,
        Code::FileTooLarge,
        Code::TooDeep,
        Code::TooManyItems,
        Code::TextTooLong,
        Code::ControlCharacter,
        Code::Unreadable,
        Code::BadInput,
        Code::UnknownColumn,
        Code::Exists,
        Code::Changed,
        Code::UnknownField,
        Code::MissingField,
        Code::WrongType,
        Code::BadChoice,
        Code::BadDate,
        Code::BadNumber,
        Code::BadId,
        Code::DuplicateId,
        Code::UnknownEvidence,
        Code::FutureDate,
        Code::DateOrder,
        Code::NegativeCg,
        Code::MissingRepresentative,
        Code::Redundant,
        Code::CareStatusAge,
        Code::AgeDisputed,
        Code::MissingGlyph,
        Code::TooManyPages,
        Code::PdfStandard,
        Code::DocxReference,
        Code::KttUnavailable,
        Code::KttCheck,
        Code::GroundUnavailable,
        Code::CicaOutOfTime,
        Code::DwmsDeadline,
        Code::DeportationPause,
        Code::ReconsiderationNeeded,
        Code::JrTimeLimit,
        Code::ReconsiderationOutOfTime,
        Code::PublicOrderDeeming,
        Code::HighRefusalRisk,
        Code::EvidenceGap,
        Code::EvidenceToFollow,
        Code::UncitedEvidence,
        Code::NoRegisteredEvidence,
        Code::CausationNotEvidenced,
        Code::MissingFact,
        Code::BadClause,
        Code::BadFrontMatter,
        Code::BadCondition,
        Code::BadTemplate,
        Code::RawOutput,
        Code::EmptyBody,
        Code::EmptyLibrary,
        Code::TooManyClauses,
        Code::BadAuthorities,
        Code::UnknownAuthority,
        Code::UnlistedAuthority,
        Code::SupersededAuthority,
        Code::Unverified,
        Code::StaleCheck,
        Code::UnknownFact,
        Code::UnknownClause,
        Code::NeverSelected,
        Code::BadInstruments,
        Code::BadPhrases,
        Code::BadDrafting,
        Code::StaleDrafting,
    ];

    /// The code's stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Internal => "internal",
            Code::Typst => "typst",
            Code::WriteFailed => "write-failed",
            Code::Render => "render",
            Code::Syntax => "syntax",
            Code::NotUtf8 => "not-utf8",
            Code::EmptyFile => "empty-file",
            Code::FileTooLarge => "file-too-large",
            Code::TooDeep => "too-deep",
            Code::TooManyItems => "too-many-items",
            Code::TextTooLong => "text-too-long",
            Code::ControlCharacter => "control-character",
            Code::Unreadable => "unreadable",
            Code::BadInput => "bad-input",
            Code::UnknownColumn => "unknown-column",
            Code::Exists => "exists",
            Code::Changed => "changed",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::BadChoice => "bad-choice",
            Code::BadDate => "bad-date",
            Code::BadNumber => "bad-number",
            Code::BadId => "bad-id",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownEvidence => "unknown-evidence",
            Code::FutureDate => "future-date",
            Code::DateOrder => "date-order",
            Code::NegativeCg => "negative-cg",
            Code::MissingRepresentative => "missing-representative",
            Code::Redundant => "redundant",
            Code::CareStatusAge => "care-status-age",
            Code::AgeDisputed => "age-disputed",
            Code::MissingGlyph => "missing-glyph",
            Code::TooManyPages => "too-many-pages",
            Code::PdfStandard => "pdf-standard",
            Code::DocxReference => "docx-reference",
            Code::KttUnavailable => "ktt-unavailable",
            Code::KttCheck => "ktt-check",
            Code::GroundUnavailable => "ground-unavailable",
            Code::CicaOutOfTime => "cica-out-of-time",
            Code::DwmsDeadline => "dwms-deadline",
            Code::DeportationPause => "deportation-pause",
            Code::ReconsiderationNeeded => "reconsideration-needed",
            Code::JrTimeLimit => "jr-time-limit",
            Code::ReconsiderationOutOfTime => "reconsideration-out-of-time",
            Code::PublicOrderDeeming => "public-order-deeming",
            Code::HighRefusalRisk => "high-refusal-risk",
            Code::EvidenceGap => "evidence-gap",
            Code::EvidenceToFollow => "evidence-to-follow",
            Code::UncitedEvidence => "uncited-evidence",
            Code::NoRegisteredEvidence => "no-registered-evidence",
            Code::CausationNotEvidenced => "causation-not-evidenced",
            Code::MissingFact => "missing-fact",
            Code::BadClause => "bad-clause",
            Code::BadFrontMatter => "bad-front-matter",
            Code::BadCondition => "bad-condition",
            Code::BadTemplate => "bad-template",
            Code::RawOutput => "raw-output",
            Code::EmptyBody => "empty-body",
            Code::EmptyLibrary => "empty-library",
            Code::TooManyClauses => "too-many-clauses",
            Code::BadAuthorities => "bad-authorities",
            Code::UnknownAuthority => "unknown-authority",
            Code::UnlistedAuthority => "unlisted-authority",
            Code::SupersededAuthority => "superseded-authority",
            Code::Unverified => "unverified",
            Code::StaleCheck => "stale-check",
            Code::UnknownFact => "unknown-fact",
            Code::UnknownClause => "unknown-clause",
            Code::NeverSelected => "never-selected",
            Code::BadInstruments => "bad-instruments",
            Code::BadPhrases => "bad-phrases",
            Code::BadDrafting => "bad-drafting",
            Code::StaleDrafting => "stale-drafting",
        }
    }

    /// Whether the problem is vtsdraft's own failure (exit 2) rather than the input's (exit 1).
    pub fn is_tool_failure(self) -> bool {
        matches!(self, Code::Internal | Code::Typst | Code::WriteFailed)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A problem in the user's inputs. `check` collects all of them before reporting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// Lowercase, no trailing period, names in backticks.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The fact involved, e.g. `health.treatments[1].start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            field: None,
            hints: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Diagnostic {
        self.location = location;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The human format: `error: message` then `  --> file:line:col`, `  = field: path`, `hint:` lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  --> {location}")?;
        }
        if let Some(field) = &self.field {
            write!(f, "\n  field: {field}")?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The one-line format for editors and scripts: `file:line:col: error: message [field]`.
pub fn short(diagnostic: &Diagnostic) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    if let Some(location) = &diagnostic.location {
        out.push_str(&format!("{location}: "));
    }
    out.push_str(&format!("{level}: {}", diagnostic.message));
    if let Some(field) = &diagnostic.field {
        out.push_str(&format!(" [{field}]"));
    }
    out
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// The nearest candidate within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_one_name_for_people_and_for_json() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str(), "{code:?}");
            assert_eq!(serde_json::from_value::<Code>(json).unwrap(), *code);
            assert!(seen.insert(code.as_str()), "{code:?}");
        }
        let failures: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.is_tool_failure())
            .map(|c| c.as_str())
            .collect();
        assert_eq!(failures, ["internal", "typst", "write-failed"]);
    }

    #[test]
    fn locations_are_one_based_and_count_characters() {
        let text = "a = 1\nnamé = \"x\"\n";
        let loc = Location::at(Path::new("c.toml"), text, text.find('"').unwrap());
        assert_eq!((loc.line, loc.column), (2, 8));
        assert_eq!(loc.to_string(), "c.toml:2:8");
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["full_name", "dob_claimed", "nationality"];
        assert_eq!(did_you_mean("ful_name", names), Some("full_name"));
        assert_eq!(did_you_mean("dob_claim", names), Some("dob_claimed"));
        assert_eq!(did_you_mean("zzzzzz", names), None);
    }
}
