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
    /// Two cases of one batch with the same matter reference.
    DuplicateReference,
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
    /// Two answers that cannot both be true (a quashed conviction also listed as a conviction,
    /// a deportation order revoked but still recorded as made).
    Contradiction,
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
    /// A date known only to the month or year leaves open something that turns on the day
    /// (whether the client was a child then, the KTT cohort, a time limit).
    DayNeeded,
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
        Code::DuplicateReference,
        Code::UnknownEvidence,
        Code::FutureDate,
        Code::DateOrder,
        Code::NegativeCg,
        Code::MissingRepresentative,
        Code::Redundant,
        Code::CareStatusAge,
        Code::Contradiction,
        Code::AgeDisputed,
        Code::MissingGlyph,
        Code::TooManyPages,
        Code::PdfStandard,
        Code::DocxReference,
        Code::KttUnavailable,
        Code::KttCheck,
        Code::DayNeeded,
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
            Code::DuplicateReference => "duplicate-reference",
            Code::UnknownEvidence => "unknown-evidence",
            Code::FutureDate => "future-date",
            Code::DateOrder => "date-order",
            Code::NegativeCg => "negative-cg",
            Code::MissingRepresentative => "missing-representative",
            Code::Redundant => "redundant",
            Code::CareStatusAge => "care-status-age",
            Code::Contradiction => "contradiction",
            Code::AgeDisputed => "age-disputed",
            Code::MissingGlyph => "missing-glyph",
            Code::TooManyPages => "too-many-pages",
            Code::PdfStandard => "pdf-standard",
            Code::DocxReference => "docx-reference",
            Code::KttUnavailable => "ktt-unavailable",
            Code::KttCheck => "ktt-check",
            Code::DayNeeded => "day-needed",
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

/// The start of `text` for quoting in a message: at most `max` characters, cut at a word's end
/// and marked "…" when something was left off, so a quote never stops inside a word.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(end) if end > 0 => &cut[..end],
        _ => &cut,
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
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

/// From how many problems of one kind on, [`summarise`] folds them into one line: two are read
/// as easily apart, but twenty date errors from one spreadsheet row bury the one other problem.
pub const SUMMARY_FROM: usize = 3;

/// `problems` with each run of [`SUMMARY_FROM`] or more of the same severity and code folded
/// into one, in the place of the first: "the same date error in 20 cells (K5, L5, … and 14
/// more)", with the likely cause when one is known (dates written DD/MM/YYYY, as a spreadsheet
/// set to a UK locale writes them). The full list stays in the manifest; this is for reading.
pub fn summarise(problems: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut done = vec![false; problems.len()];
    for (i, first) in problems.iter().enumerate() {
        if done[i] {
            continue;
        }
        let group: Vec<usize> = (i..problems.len())
            .filter(|&j| {
                !done[j] && problems[j].code == first.code && problems[j].severity == first.severity
            })
            .collect();
        if group.len() < SUMMARY_FROM {
            done[i] = true;
            out.push(first.clone());
            continue;
        }
        for &j in &group {
            done[j] = true;
        }
        let members: Vec<&Diagnostic> = group.iter().map(|&j| &problems[j]).collect();
        // A cell (`cell K5 (…): …`, from a CSV row) is named as a spreadsheet names it.
        let cells: Vec<&str> = members
            .iter()
            .filter_map(|d| d.message.strip_prefix("cell ")?.split(' ').next())
            .collect();
        let names: Vec<String> = if cells.len() == members.len() {
            cells.iter().map(|c| (*c).to_string()).collect()
        } else {
            members
                .iter()
                .map(|d| d.field.clone().unwrap_or_else(|| "(the file)".into()))
                .collect()
        };
        let places = if cells.len() == members.len() {
            "cells"
        } else {
            "fields"
        };
        const SHOWN: usize = 6;
        let mut list = names
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > SHOWN {
            list.push_str(&format!(" and {} more", names.len() - SHOWN));
        }
        let what = match first.code {
            Code::BadDate => "date",
            other => other.as_str(),
        };
        let mut message = format!(
            "the same {what} error in {} {places} ({list})",
            members.len()
        );
        let mut summary = first.clone();
        if first.code == Code::BadDate {
            let found: Vec<&str> = members
                .iter()
                .filter_map(|d| found_value(&d.message))
                .collect();
            if let Some(example) = found.iter().find(|v| day_first(v)) {
                message.push_str("; these look like DD/MM/YYYY dates");
                let (d, m, y) = split_day_first(example);
                summary.hints = vec![format!(
                    "a spreadsheet may have rewritten them; write dates as YYYY-MM-DD (`{example}` is `{y}-{m:0>2}-{d:0>2}`), or format the columns as text before typing them"
                )];
            }
        }
        summary.message = message;
        summary.field = None;
        out.push(summary);
    }
    out
}

/// The value a message quotes after "found", as date problems do: "… found `16/11/2026`".
fn found_value(message: &str) -> Option<&str> {
    let rest = &message[message.find("found `")? + "found `".len()..];
    rest.split('`').next()
}

/// Whether `value` reads as a day-first date with slashes, `16/11/2026` or `1/2/2024`.
fn day_first(value: &str) -> bool {
    let parts: Vec<&str> = value.split('/').collect();
    parts.len() == 3
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=2).contains(&parts[0].len())
        && (1..=2).contains(&parts[1].len())
        && parts[2].len() == 4
}

fn split_day_first(value: &str) -> (&str, &str, &str) {
    let mut parts = value.split('/');
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
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
    fn a_clipped_quote_ends_at_a_word_and_says_so() {
        let text = "Independent Child Trafficking Guardian's letter on risk and needs";
        assert_eq!(
            clip(text, 62),
            "Independent Child Trafficking Guardian's letter on risk and…"
        );
        assert_eq!(clip("GP letter", 60), "GP letter");
        assert_eq!(clip("abcdefgh", 4), "abcd…");
    }

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

    #[test]
    fn repeated_problems_are_summarised_with_their_likely_cause() {
        let date = |cell: &str, value: &str| {
            Diagnostic::error(
                Code::BadDate,
                format!("cell {cell} (`x`): `x`: expected a date, found `{value}`"),
            )
            .field("x")
            .hint("write dates as `YYYY-MM-DD`")
        };
        let other = Diagnostic::error(Code::BadChoice, "`y`: expected one of a, b");
        let mut problems = vec![other.clone()];
        problems.extend((0..8).map(|i| date(&format!("K{i}"), "16/11/2026")));
        let summary = summarise(&problems);
        assert_eq!(summary.len(), 2);
        assert_eq!(summary[0], other);
        assert_eq!(
            summary[1].message,
            "the same date error in 8 cells (K0, K1, K2, K3, K4, K5 and 2 more); these look like DD/MM/YYYY dates"
        );
        assert_eq!(
            summary[1].hints,
            [
                "a spreadsheet may have rewritten them; write dates as YYYY-MM-DD (`16/11/2026` is `2026-11-16`), or format the columns as text before typing them"
            ]
        );
        // Two are shown as they are.
        let two = vec![date("A2", "1/2/2024"), date("B2", "1/2/2024")];
        assert_eq!(summarise(&two), two);
    }
}
