//! Child status: whether the client was a child at the dates the law looks at, and what follows.

use chrono::NaiveDate;
use serde::Serialize;

use crate::facts::date::{age_on, birthday, child_on_any, months_between};
use crate::facts::model::Case;

/// Under 18 on `on`, for someone born on `dob`.
pub fn is_child(dob: NaiveDate, on: NaiveDate) -> bool {
    age_on(dob, on).is_some_and(|(y, _)| y < 18)
}

/// Whether the client was a child at each key date, on the claimed date of birth.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChildStatus {
    pub child_at_cg: bool,
    pub child_at_letter: bool,
    pub child_at_decision: bool,
    pub child_when_exploited: bool,
    pub child_at_any_key_date: bool,
    pub child_now_adult: bool,
    pub adult_in_alternative: bool,
    pub months_until_18: i64,
    pub transition_to_adulthood: bool,
}

/// The client's child status. "Any key date" is the conclusive grounds decision, the letter,
/// every earlier decision and the start of every episode of exploitation (its earliest possible
/// day), on the claimed date of birth: the dates on which the law asks whether the client was
/// a child.
pub fn child_status(case: &Case) -> ChildStatus {
    let letter = case.matter.letter_date.0;
    let cg = case.nrm.cg_decision.date.0;
    let dob = case.client.dob_claimed.0;
    let accepted = case.client.dob_accepted.map(|d| d.0).filter(|d| *d != dob);
    let decisions: Vec<NaiveDate> = case
        .matter
        .previous_decisions
        .iter()
        .map(|d| d.date.0)
        .collect();
    let episode_starts: Vec<NaiveDate> = case
        .exploitation
        .episodes
        .iter()
        .map(|e| e.start.earliest())
        .collect();
    let child_at_cg = is_child(dob, cg);
    let child_at_letter = is_child(dob, letter);
    let child_at_decision = child_on_any(&[dob], &decisions);
    let child_when_exploited = child_on_any(&[dob], &episode_starts);
    let child_at_any_key_date =
        child_at_cg || child_at_letter || child_at_decision || child_when_exploited;
    let eighteenth = birthday(dob, 18);
    ChildStatus {
        child_at_cg,
        child_at_letter,
        child_at_decision,
        child_when_exploited,
        child_at_any_key_date,
        child_now_adult: (child_at_cg || child_at_decision) && !child_at_letter,
        adult_in_alternative: child_at_letter && accepted.is_some_and(|a| !is_child(a, letter)),
        months_until_18: if child_at_letter {
            months_between(letter, eighteenth).max(0)
        } else {
            0
        },
        transition_to_adulthood: (eighteenth > letter && months_between(letter, eighteenth) < 12)
            || (eighteenth <= letter && months_between(eighteenth, letter) < 12),
    }
}
