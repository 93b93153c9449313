//! Periods that end: the guardian, care, victim support and treatment, each current or past at
//! the letter date, so that a clause describes as current only what still is (issue 17).

use schemars::JsonSchema;
use serde::Serialize;

use crate::facts::date::PartialDate;
use crate::facts::model::{Case, SupportKind, TreatmentStatus};

/// What is current and what has ended at the letter date.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Periods {
    /// A guardian is allocated and the guardian's work has not ended.
    pub ictg_current: bool,
    /// A guardian was allocated and the guardian's work has ended.
    pub ictg_ended: bool,
    /// The client was looked after and that has ended.
    pub looked_after_ended: bool,
    /// Victim support is recorded and has not ended by the letter date.
    pub support_current: bool,
    /// Victim support is recorded and ended before the letter date.
    pub support_ended: bool,
    /// At least one treatment has been completed.
    pub treatment_completed: bool,
    /// The client was placed in adult accommodation and was exploited again while there.
    pub re_exploited_in_adult_accommodation: bool,
}

/// Whether a period with this end has ended by the letter date: an end that may fall on or after
/// the letter date (a month that includes it) is not yet treated as past.
fn ended(end: Option<PartialDate>, letter: chrono::NaiveDate) -> bool {
    end.is_some_and(|e| e.latest() < letter)
}

pub fn periods(case: &Case) -> Periods {
    let letter = case.matter.letter_date.0;
    let family = &case.family;
    let support = &case.nrm.support;
    let supported = support.kind != SupportKind::None;
    let support_ended = supported && ended(support.end_date.map(PartialDate::from_date), letter);
    let ictg_ended = family.ictg.allocated && ended(family.ictg.end, letter);
    Periods {
        ictg_current: family.ictg.allocated && !ictg_ended,
        ictg_ended,
        looked_after_ended: ended(family.looked_after.end, letter),
        support_current: supported && !support_ended,
        support_ended,
        treatment_completed: case
            .health
            .treatments
            .iter()
            .any(|t| t.status == TreatmentStatus::Completed),
        re_exploited_in_adult_accommodation: case
            .client
            .adult_accommodation
            .as_ref()
            .is_some_and(|a| a.re_exploitation.is_some() || a.re_exploitation_date.is_some()),
    }
}
