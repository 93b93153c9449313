//! Flags: the urgent points printed at the top of the letter, in words from the phrases.

use super::ages::Ages;
use super::child::ChildStatus;
use super::grounds::Grounds;
use super::position::Position;
use super::routes::Routes;
use crate::facts::date::months_between;
use crate::facts::model::{Case, UrgencyFlag};
use crate::phrases::{Phrase, Phrases};

/// The flags: those the case sets, and those the facts call for (a child, a disputed age,
/// deportation, detention, a trial within three months or listed, leave expiring).
pub fn flags(
    case: &Case,
    ages: &Ages,
    child: &ChildStatus,
    position: &Position,
    routes: &Routes,
    grounds: &Grounds,
    phrases: &Phrases,
) -> Vec<String> {
    let letter = case.matter.letter_date.0;
    let cj = &case.criminal_justice;
    let mut flag_set: Vec<UrgencyFlag> = case.matter.urgency_flags.clone();
    if child.child_at_letter {
        flag_set.push(UrgencyFlag::Child);
    }
    if ages.age_disputed {
        flag_set.push(UrgencyFlag::AgeDisputed);
    }
    if position.deportation_blocker {
        flag_set.push(UrgencyFlag::Deportation);
    }
    if case.immigration.detained {
        flag_set.push(UrgencyFlag::Detention);
    }
    if routes.trial_months_away.is_some_and(|m| m < 3) {
        flag_set.push(UrgencyFlag::TrialImminent);
    }
    if case
        .immigration
        .current_leave
        .as_ref()
        .is_some_and(|l| l.expiry.0 >= letter && months_between(letter, l.expiry.0) < 3)
    {
        flag_set.push(UrgencyFlag::LeaveExpiring);
    }
    flag_set.sort();
    flag_set.dedup();
    let mut flags: Vec<String> = flag_set
        .iter()
        .map(|f| match f {
            UrgencyFlag::LeaveExpiring => match &case.immigration.current_leave {
                Some(l) => phrases.fill(Phrase::FlagLeaveExpires, &[("date", &l.expiry.uk())]),
                None => phrases.text(Phrase::FlagLeaveExpiring).into(),
            },
            UrgencyFlag::RemovalDirections => phrases.text(Phrase::FlagRemovalDirections).into(),
            UrgencyFlag::Detention => phrases.text(Phrase::FlagDetained).into(),
            UrgencyFlag::TrialImminent => match cj.trial_date {
                Some(t) => phrases.fill(Phrase::FlagTrialListed, &[("date", &t.uk())]),
                None => phrases.text(Phrase::FlagTrialImminent).into(),
            },
            UrgencyFlag::Child => phrases.text(Phrase::FlagChild).into(),
            UrgencyFlag::AgeDisputed => phrases.text(Phrase::FlagAgeDisputed).into(),
            UrgencyFlag::Deportation => phrases.text(Phrase::FlagDeportation).into(),
            UrgencyFlag::SafeguardingRisk => phrases.text(Phrase::FlagSafeguardingRisk).into(),
        })
        .collect();
    if let (Some(t), false) = (
        cj.trial_date,
        flag_set.contains(&UrgencyFlag::TrialImminent),
    ) && t.0 >= letter
        && grounds.cooperation
    {
        flags.push(phrases.fill(Phrase::FlagTrialListed, &[("date", &t.uk())]));
    }
    if case.client.contact_via_representative_only {
        flags.push(phrases.text(Phrase::FlagContactViaRepresentative).into());
    }
    flags
}
