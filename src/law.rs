//! The law in force, by date: the Home Office instruments whose version governs a letter (the
//! VTS caseworker guidance, the Discretionary Leave policy), the decision pauses, the dates
//! each was in force and how each was checked, read from `instruments.toml` beside the clauses;
//! and [`resolve`], which works out the regime that governs one letter from the case's dates.
//!
//! A version is named in a letter only when it is verified (checked against a public source,
//! with no open doubt) and in force on the date that matters; otherwise the letter names the
//! instrument. Everything here is data a solicitor can correct without Rust.

use std::path::Path;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Location};
use crate::facts::model::{Case, DeportationStatus, LetterMode, PreviousDecisionKind};

/// The kind of consideration a letter asks for, which decides the instrument that governs it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The first consideration after a positive conclusive grounds decision.
    FirstConsideration,
    /// Reconsideration of a VTS decision (a refusal, or a grant too short).
    ReconsiderationVts,
    /// Reconsideration of a decision under the Discretionary Leave policy.
    ReconsiderationDl,
    /// An application to extend VTS leave.
    Extension,
    /// Discretionary leave under the transitional provisions for the KTT cohort.
    KttDl,
}

/// Which cases a pause covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseScope {
    /// People subject to a deportation order.
    DeportationOrder,
    /// KTT cohort candidates with deportation proceedings or an order.
    KttDeportation,
}

/// One version of an instrument, with when it was in force and how that was checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub version: String,
    pub from: toml::value::Datetime,
    #[serde(default)]
    pub to: Option<toml::value::Datetime>,
    /// When the version and its dates were checked against `source`.
    #[serde(default)]
    pub checked: Option<toml::value::Datetime>,
    #[serde(default)]
    pub source: Option<String>,
    /// What could not be confirmed; a version with a note is never named in a letter.
    #[serde(default)]
    pub unverified: Option<String>,
}

/// A policy or guidance whose version governs letters of some kinds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    /// How a letter names it when no version can be named.
    pub name: String,
    pub governs: Vec<Kind>,
    #[serde(default, rename = "version")]
    pub versions: Vec<Version>,
}

/// A pause on decisions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pause {
    pub id: String,
    pub name: String,
    pub covers: PauseScope,
    pub from: toml::value::Datetime,
    #[serde(default)]
    pub to: Option<toml::value::Datetime>,
    #[serde(default)]
    pub checked: Option<toml::value::Datetime>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub unverified: Option<String>,
}

/// The instruments and pauses of one library.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    #[serde(default, rename = "instrument")]
    pub instruments: Vec<Instrument>,
    #[serde(default, rename = "pause")]
    pub pauses: Vec<Pause>,
}

/// The shipped instruments, used by a `--clauses` folder that has none of its own.
pub const BUILTIN_FILE: &str = "clauses/instruments.toml";

/// A TOML date as a calendar date (a date-time or time is refused when the file is read).
pub fn day(value: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = value.date?;
    NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
}

fn in_force(
    from: &toml::value::Datetime,
    to: Option<&toml::value::Datetime>,
    on: NaiveDate,
) -> bool {
    day(from).is_some_and(|f| f <= on) && to.and_then(day).is_none_or(|t| on < t)
}

impl Version {
    /// Checked against a source, with nothing left in doubt.
    pub fn verified(&self) -> bool {
        self.checked.is_some() && self.unverified.is_none()
    }
}

impl Law {
    /// The built-in instruments (checked by a unit test, so this cannot fail in a release).
    pub fn builtin() -> Law {
        let text = crate::clauses::embedded_file(BUILTIN_FILE).expect("embedded");
        Law::parse(Path::new(BUILTIN_FILE), text).expect("the built-in instruments are valid")
    }

    /// Reads `instruments.toml`: every kind governed by exactly one instrument, dates as dates.
    pub fn parse(path: &Path, text: &str) -> Result<Law, Vec<Diagnostic>> {
        let law: Law = toml::from_str(text).map_err(|e| {
            vec![
                Diagnostic::error(
                    Code::BadInstruments,
                    format!("instruments: {}", e.message()),
                )
                .at_opt(e.span().map(|s| Location::at(path, text, s.start))),
            ]
        })?;
        let mut problems = Vec::new();
        let at = |needle: &str| Location::at(path, text, text.find(needle).unwrap_or(0));
        for kind in [
            Kind::FirstConsideration,
            Kind::ReconsiderationVts,
            Kind::ReconsiderationDl,
            Kind::Extension,
            Kind::KttDl,
        ] {
            let n = law
                .instruments
                .iter()
                .filter(|i| i.governs.contains(&kind))
                .count();
            if n != 1 {
                let name = serde_json::to_value(kind).unwrap_or_default();
                problems.push(
                    Diagnostic::error(
                        Code::BadInstruments,
                        format!(
                            "{n} instruments govern `{}`; exactly one must",
                            name.as_str().unwrap_or_default()
                        ),
                    )
                    .at(Location::file(path)),
                );
            }
        }
        let dates = law.instruments.iter().flat_map(|i| {
            i.versions.iter().flat_map(move |v| {
                [Some(&v.from), v.to.as_ref(), v.checked.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(move |d| (i.id.as_str(), d))
            })
        });
        let pause_dates = law.pauses.iter().flat_map(|p| {
            [Some(&p.from), p.to.as_ref(), p.checked.as_ref()]
                .into_iter()
                .flatten()
                .map(move |d| (p.id.as_str(), d))
        });
        for (id, date) in dates.chain(pause_dates) {
            if day(date).is_none() || date.time.is_some() {
                problems.push(
                    Diagnostic::error(
                        Code::BadInstruments,
                        format!("`{id}`: `{date}` is not a date (write `YYYY-MM-DD`)"),
                    )
                    .at(at(id)),
                );
            }
        }
        if problems.is_empty() {
            Ok(law)
        } else {
            Err(problems)
        }
    }

    /// The instrument governing `kind`.
    pub fn governing(&self, kind: Kind) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.governs.contains(&kind))
    }

    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }
}

impl Instrument {
    /// The version in force on `on`, if the file records one.
    pub fn version_on(&self, on: NaiveDate) -> Option<&Version> {
        self.versions
            .iter()
            .find(|v| in_force(&v.from, v.to.as_ref(), on))
    }
}

/// The law that governs one letter, as conditions and templates see it (`derived.regime.*`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Regime {
    /// The kind of consideration asked for.
    pub kind: Kind,
    /// The governing instrument's id (`vts_guidance`, `dl_policy`).
    pub instrument: String,
    /// Its version, only when verified and in force on the date that governs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How the letter names it: "version 10 of the Home Office's …" or the instrument's name.
    pub citation: String,
    /// Ids of the decision pauses that may apply to this case on the letter date.
    pub pauses: Vec<String>,
    /// Why, in words, for `explain` and the reviewer's copy.
    #[serde(skip)]
    pub reason: String,
}

/// The regime for a letter. The version is the one in force on the letter date, except for a
/// reconsideration of a Discretionary Leave decision, which is reconsidered under the policy as
/// it stood when the decision was made.
pub fn resolve(case: &Case, ktt_cohort_candidate: bool, law: &Law) -> Regime {
    let letter = case.matter.letter_date.0;
    let last = case.matter.previous_decisions.iter().max_by_key(|d| d.date);
    let kind = match case.matter.letter_mode {
        LetterMode::PreDecision => Kind::FirstConsideration,
        LetterMode::Reconsideration => match last.map(|d| d.kind) {
            Some(PreviousDecisionKind::MsdlGrant | PreviousDecisionKind::MsdlRefusal) => {
                Kind::ReconsiderationDl
            }
            _ => Kind::ReconsiderationVts,
        },
        LetterMode::ExtensionFlrHro => Kind::Extension,
        LetterMode::KttDlRequest => Kind::KttDl,
    };
    let (on, why) = match (kind, last) {
        (Kind::ReconsiderationDl, Some(d)) => (
            d.date.0,
            format!(
                "a reconsideration of a discretionary leave decision of {}, which is reconsidered under the policy as it stood then",
                d.date.uk()
            ),
        ),
        _ => (
            letter,
            format!(
                "{}, under the policy in force on the letter date ({})",
                match kind {
                    Kind::FirstConsideration =>
                        "the first consideration after the conclusive grounds decision",
                    Kind::ReconsiderationVts => "a reconsideration of a VTS decision",
                    Kind::ReconsiderationDl =>
                        "a reconsideration of a discretionary leave decision",
                    Kind::Extension => "an application to extend leave",
                    Kind::KttDl => "a request under the transitional provisions for the KTT cohort",
                },
                case.matter.letter_date.uk()
            ),
        ),
    };
    let instrument = law.governing(kind);
    let version = instrument.and_then(|i| i.version_on(on));
    let named = version.filter(|v| v.verified()).map(|v| v.version.clone());
    let name = instrument.map_or_else(String::new, |i| i.name.clone());
    let state = match version {
        Some(v) if v.verified() => format!("version {} (verified)", v.version),
        Some(v) => format!(
            "version {} by the file, not verified ({}); the letter names the instrument only",
            v.version,
            v.unverified.as_deref().unwrap_or("not checked")
        ),
        None => "no version recorded for that date; the letter names the instrument only".into(),
    };
    let deportation_order = case.immigration.deportation.status == DeportationStatus::OrderMade;
    let deportation_action = matches!(
        case.immigration.deportation.status,
        DeportationStatus::ProceedingsStarted | DeportationStatus::OrderMade
    );
    let pauses: Vec<String> = law
        .pauses
        .iter()
        .filter(|p| in_force(&p.from, p.to.as_ref(), letter))
        .filter(|p| match p.covers {
            PauseScope::DeportationOrder => deportation_order,
            PauseScope::KttDeportation => deportation_action && ktt_cohort_candidate,
        })
        .map(|p| p.id.clone())
        .collect();
    Regime {
        kind,
        instrument: instrument.map_or_else(String::new, |i| i.id.clone()),
        citation: match &named {
            Some(v) => format!("version {v} of {name}"),
            None => name.clone(),
        },
        version: named,
        pauses,
        reason: format!("{why}; {state}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_instruments_parse_and_govern_every_kind() {
        let law = Law::builtin();
        for kind in [
            Kind::FirstConsideration,
            Kind::ReconsiderationVts,
            Kind::ReconsiderationDl,
            Kind::Extension,
            Kind::KttDl,
        ] {
            assert!(law.governing(kind).is_some(), "{kind:?}");
        }
    }

    #[test]
    fn a_version_is_in_force_from_its_first_day_until_the_next_begins() {
        let text = r#"
[[instrument]]
id = "dl_policy"
name = "the policy"
governs = ["first_consideration", "reconsideration_vts", "reconsideration_dl", "extension", "ktt_dl"]
[[instrument.version]]
version = "10"
from = 2023-03-16
to = 2024-05-30
checked = 2026-11-30
[[instrument.version]]
version = "11.0"
from = 2024-05-30
unverified = "number not read"
"#;
        let law = Law::parse(Path::new("i.toml"), text).unwrap();
        let i = law.instrument("dl_policy").unwrap();
        let on = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(i.version_on(on("2023-03-15")).map(|v| &v.version), None);
        assert_eq!(i.version_on(on("2023-03-16")).unwrap().version, "10");
        assert_eq!(i.version_on(on("2024-05-29")).unwrap().version, "10");
        assert_eq!(i.version_on(on("2024-05-30")).unwrap().version, "11.0");
        assert!(i.version_on(on("2024-05-29")).unwrap().verified());
        assert!(!i.version_on(on("2026-01-01")).unwrap().verified());
    }

    #[test]
    fn a_kind_governed_twice_or_not_at_all_is_refused() {
        let text = "[[instrument]]\nid = \"a\"\nname = \"A\"\ngoverns = [\"first_consideration\", \"first_consideration\"]\n";
        let problems = Law::parse(Path::new("i.toml"), text).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"0 instruments govern `extension`; exactly one must"),
            "{messages:?}"
        );
    }
}
