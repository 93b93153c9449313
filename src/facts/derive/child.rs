//! Child status: whether the client was a child at the dates the law looks at, and what follows.

use chrono::NaiveDate;
use serde::Serialize;

use crate::facts::date::{PartialDate, age_on, birthday, child_on, child_on_any, months_between};
use crate::facts::model::Case;

/// Under 18 on `on`, for someone born on `dob`.
pub fn is_child(dob: NaiveDate, on: NaiveDate) -> bool {
    age_on(dob, on).is_some_and(|(y, _)| y < 18)
}

/// A key date known only to the month or year within which the client turned 18, so whether
/// they were a child then turns on the day: `derive::warnings` asks for it.
#[derive(Debug, Clone)]
pub struct UndecidedChild {
    /// The case field that holds the date (`nrm.cg_decision.date`).
    pub field: String,
    /// What happened then, in words ("the conclusive grounds decision").
    pub event: String,
    /// What turns on it ("whether the client was a child at the decision").
    pub matters_for: String,
    pub date: PartialDate,
}

/// Whether the client was a child at each key date, on the claimed date of birth.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChildStatus {
    /// Under 18 at the CG decision, on every day its date could be.
    pub child_at_cg: bool,
    pub child_at_letter: bool,
    pub child_at_decision: bool,
    pub child_when_exploited: bool,
    pub child_at_any_key_date: bool,
    pub child_now_adult: bool,
    pub adult_in_alternative: bool,
    pub months_until_18: i64,
    pub transition_to_adulthood: bool,
    /// A key date (the CG decision, the start of an episode) is known only to the month or year
    /// and the client turned 18 within it: the facts above treat it as not decided (false), and a
    /// warning asks for the day.
    pub child_status_undecided: bool,
    #[serde(skip)]
    pub undecided: Vec<UndecidedChild>,
}

/// The client's child status. "Any key date" is the conclusive grounds decision, the letter,
/// every earlier decision and the start of every episode of exploitation, on the claimed date of
/// birth: the dates on which the law asks whether the client was a child. A date known only to
/// the month or year counts only when every day it could be gives the same answer; when the
/// client turned 18 within it, the answer is left undecided (false here, listed in `undecided`).
pub fn child_status(case: &Case) -> ChildStatus {
    let letter = case.matter.letter_date.0;
    let cg = case.nrm.cg_decision.date;
    let dob = case.client.dob_claimed.0;
    let accepted = case.client.dob_accepted.map(|d| d.0).filter(|d| *d != dob);
    let decisions: Vec<NaiveDate> = case
        .matter
        .previous_decisions
        .iter()
        .map(|d| d.date.0)
        .collect();
    let mut undecided = Vec::new();
    let cg_child = child_on(dob, &cg);
    if cg_child.is_none() {
        undecided.push(UndecidedChild {
            field: "nrm.cg_decision.date".into(),
            event: "the conclusive grounds decision".into(),
            matters_for: "whether they were a child at the decision (which decides the child-specific arguments and the 60-month request)".into(),
            date: cg,
        });
    }
    let mut child_when_exploited = false;
    for (i, e) in case.exploitation.episodes.iter().enumerate() {
        match child_on(dob, &e.start) {
            Some(child) => child_when_exploited |= child,
            None => undecided.push(UndecidedChild {
                field: format!("exploitation.episodes[{i}].start"),
                event: format!("the start of exploitation episode {}", i + 1),
                matters_for: "whether they were a child when that exploitation began".into(),
                date: e.start,
            }),
        }
    }
    let child_at_cg = cg_child == Some(true);
    let child_at_letter = is_child(dob, letter);
    let child_at_decision = child_on_any(&[dob], &decisions);
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
        child_status_undecided: !undecided.is_empty(),
        undecided,
    }
}
