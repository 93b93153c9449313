//! Ages: the client's age at every key date, under the claimed and any accepted date of birth.

use std::collections::BTreeMap;

use serde::Serialize;

use super::humanize;
use crate::facts::date::{PartialDate, Precision, age_range, child_on};
use crate::facts::model::{AgeChallengeStage, AgeDisputeStatus, Case};

/// The client's age on one key date, under each date of birth.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AgeAt {
    /// A key for templates (`cg`, `letter`, `episode_1`, …).
    #[serde(skip)]
    pub key: String,
    /// What happened on that date ("conclusive grounds decision").
    #[serde(skip)]
    pub event: String,
    /// ISO date (the earliest day, for partial dates).
    pub date: String,
    /// The date as the letter prints it.
    pub date_uk: String,
    /// Whether only the month or year of the date is known.
    pub approximate: bool,
    /// "17 years 2 months" under the claimed date of birth; over a month or a year, the whole
    /// years at its first and last days ("16 years", "17 or 18 years").
    pub claimed: String,
    /// Under 18 on every day the date could be, on the claimed date of birth.
    pub child_claimed: bool,
    /// The client turned 18 within the date's month or year, so whether they were a child then
    /// turns on the unknown day (`child_claimed` is then false, and a warning asks for the day).
    pub child_undecided: bool,
    /// The same under the accepted date of birth, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_accepted: Option<bool>,
}

/// The client's ages, and whether the age is disputed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ages {
    pub age_disputed: bool,
    /// Ages keyed by event, for templates (`derived.age.cg.claimed`).
    pub age: BTreeMap<String, AgeAt>,
    /// The same ages in date order, for `explain` and the chronology.
    #[serde(skip)]
    pub in_order: Vec<AgeAt>,
    /// At least one age assessment is being challenged: marked `challenged`, or a challenge
    /// recorded in `client.age_challenge` whose latest step is not the decision.
    pub age_assessment_challenged: bool,
}

/// "17 years 2 months", "30 years", "11 months".
pub fn age_text(years: i32, months: u32) -> String {
    let y = match years {
        0 => String::new(),
        1 => "1 year".to_string(),
        n => format!("{n} years"),
    };
    let m = match months {
        0 => String::new(),
        1 => "1 month".to_string(),
        n => format!("{n} months"),
    };
    match (y.is_empty(), m.is_empty()) {
        (false, false) => format!("{y} {m}"),
        (false, true) => y,
        (true, false) => m,
        (true, true) => "0 months".to_string(),
    }
}

/// An age over a date's possible days: "17 years 2 months" for a full date; for a month or a
/// year, the whole years on its first and last days, "16 years" when they agree and "15 or 16
/// years" when a birthday falls within it (the months are not known, so they are not given).
pub fn range_text(((y1, m1), (y2, m2)): ((i32, u32), (i32, u32))) -> String {
    if (y1, m1) == (y2, m2) {
        age_text(y1, m1)
    } else if y1 == y2 {
        age_text(y1, 0)
    } else {
        format!("{y1} or {}", age_text(y2, 0))
    }
}

/// The ages at every key date that has a date.
pub fn ages(case: &Case) -> Ages {
    let cg = &case.nrm.cg_decision;
    let dob = case.client.dob_claimed.0;
    let accepted = case.client.dob_accepted.map(|d| d.0).filter(|d| *d != dob);
    let mut events: Vec<(String, String, PartialDate)> = vec![
        (
            "letter".into(),
            "date of this letter".into(),
            PartialDate::from_date(case.matter.letter_date),
        ),
        ("cg".into(), "conclusive grounds decision".into(), cg.date),
    ];
    if let Some(rg) = &case.nrm.rg_decision {
        events.push(("rg".into(), "reasonable grounds decision".into(), rg.date));
    }
    if let Some(r) = case.nrm.referral_date {
        events.push(("referral".into(), "NRM referral".into(), r));
    }
    if let Some(a) = case.immigration.arrival_date {
        events.push(("arrival".into(), "arrival in the UK".into(), a));
    }
    for (i, e) in case.exploitation.episodes.iter().enumerate() {
        events.push((
            format!("episode_{}", i + 1),
            format!("start of exploitation episode {}", i + 1),
            e.start,
        ));
    }
    if let Some(first) = case
        .exploitation
        .episodes
        .iter()
        .map(|e| e.start)
        .min_by_key(PartialDate::earliest)
    {
        events.push((
            "exploitation_start".into(),
            "exploitation began".into(),
            first,
        ));
    }
    if let Some(last) = case
        .exploitation
        .episodes
        .iter()
        .filter_map(|e| e.end)
        .max_by_key(PartialDate::latest)
    {
        events.push(("exploitation_end".into(), "exploitation ended".into(), last));
    }
    for (i, d) in case.matter.previous_decisions.iter().enumerate() {
        events.push((
            format!("decision_{}", i + 1),
            format!("earlier decision ({})", humanize(&d.kind)),
            PartialDate::from_date(d.date),
        ));
    }
    if let Some(last) = case.matter.previous_decisions.iter().max_by_key(|d| d.date) {
        events.push((
            "last_decision".into(),
            "most recent earlier decision".into(),
            PartialDate::from_date(last.date),
        ));
    }
    let mut ages: Vec<AgeAt> = events
        .into_iter()
        .filter_map(|(key, event, date)| {
            let day = date.earliest();
            let claimed = age_range(dob, &date)?;
            let approx = date.precision() != Precision::Day;
            let (acc_text, acc_child) = match accepted.and_then(|a| Some((a, age_range(a, &date)?)))
            {
                Some((a, range)) => (
                    Some(range_text(range)),
                    Some(child_on(a, &date) == Some(true)),
                ),
                None => (None, None),
            };
            Some(AgeAt {
                key,
                event,
                date: day.format("%Y-%m-%d").to_string(),
                date_uk: date.uk(),
                approximate: approx,
                claimed: range_text(claimed),
                // Decided only when every day the date could be agrees (`child_undecided`).
                child_claimed: child_on(dob, &date) == Some(true),
                child_undecided: child_on(dob, &date).is_none(),
                accepted: acc_text,
                child_accepted: acc_child,
            })
        })
        .collect();
    ages.sort_by(|a, b| a.date.cmp(&b.date).then(a.key.cmp(&b.key)));
    let age: BTreeMap<String, AgeAt> = ages.iter().map(|a| (a.key.clone(), a.clone())).collect();

    Ages {
        age_disputed: accepted.is_some()
            || !matches!(
                case.client.age_dispute,
                AgeDisputeStatus::None | AgeDisputeStatus::Resolved
            ),
        age,
        in_order: ages,
        age_assessment_challenged: case.client.age_assessments.iter().any(|a| a.challenged)
            || case
                .client
                .age_challenge
                .iter()
                .max_by_key(|step| step.date.earliest())
                .is_some_and(|last| last.stage != AgeChallengeStage::Decided),
    }
}
