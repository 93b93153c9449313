//! Duration: the months of leave requested, the fallback, and why.

use serde::Serialize;

use super::child::ChildStatus;
use super::evidence::EvidenceFacts;
use super::grounds::Grounds;
use super::routes::Routes;
use crate::facts::date::months_nearest;
use crate::facts::model::Case;
use crate::phrases::{Phrase, Phrases};

/// Which rule gave the months requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A child at a decision date: a durable solution.
    Child,
    /// A trial the client takes part in.
    Trial,
    /// Neither: the period for a course of treatment, or for recovery where none is under way.
    Default,
    /// The solicitor's own figure and reason.
    Solicitor,
}

/// The months of leave requested and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Duration {
    pub months: u32,
    pub alternative_months: u32,
    pub reason: String,
    pub overridden: bool,
    /// Which rule gave the months (so a clause cites only what supports that rule).
    pub basis: Basis,
}

/// A child at a decision date: 60 months; a trial the client takes part in: the months to the
/// trial and 6 more, at least 30; otherwise 30; never below 12; unless the solicitor set the
/// months and the reason (`matter.requested_duration_months`).
pub fn duration(
    case: &Case,
    child: &ChildStatus,
    routes: &Routes,
    grounds: &Grounds,
    evidence: &EvidenceFacts,
    phrases: &Phrases,
) -> Duration {
    let child_rule = child.child_at_cg || child.child_at_letter || child.child_at_decision;
    let trial_months_away = routes.trial_months_away;
    let (default_months, default_alt, default_reason, basis) = if child_rule {
        (
            60,
            30,
            phrases.text(Phrase::DurationChild).to_string(),
            Basis::Child,
        )
    } else if let Some(m) = trial_months_away.filter(|_| grounds.cooperation) {
        let months = (m as u32 + 6).max(30);
        // Said to the nearest month ("about 14 months"); the rule counts whole months.
        let about = case
            .criminal_justice
            .trial_date
            .map_or(m, |t| months_nearest(case.matter.letter_date.0, t.0));
        let phrase = if m as u32 + 6 < 30 {
            Phrase::DurationTrialFloor
        } else {
            Phrase::DurationTrial
        };
        (
            months,
            (m as u32 + 3).max(12),
            phrases.fill(phrase, &[("months", &about.to_string())]),
            Basis::Trial,
        )
    } else {
        // "A course of treatment to be completed" only where one is under way or awaited.
        let phrase = if evidence.treatment_ongoing || evidence.treatment_waiting {
            Phrase::DurationDefault
        } else {
            Phrase::DurationDefaultNoTreatment
        };
        (30, 12, phrases.text(phrase).to_string(), Basis::Default)
    };
    match (
        case.matter.requested_duration_months,
        &case.matter.duration_reason,
    ) {
        (Some(months), Some(reason)) => Duration {
            months: months.max(1),
            alternative_months: default_alt.min(months).max(1),
            reason: reason.clone(),
            overridden: true,
            basis: Basis::Solicitor,
        },
        _ => Duration {
            months: default_months.max(12),
            alternative_months: default_alt,
            reason: default_reason,
            overridden: false,
            basis,
        },
    }
}
