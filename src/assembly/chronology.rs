//! The two generated tables: the chronology (dated facts with their evidence tabs) and the
//! evidence index.

use std::collections::BTreeMap;

use crate::facts::derive::humanize;
use crate::facts::model::{DocType, EvidenceStatus, PreviousDecisionKind, RegistrationBody};
use crate::facts::{Derived, LoadedCase, PartialDate};
use crate::phrases::{Phrase, Phrases};

use super::Table;

/// The tab of the first enclosed document of `doc_type`.
fn tab_for(loaded: &LoadedCase, derived: &Derived, doc_type: DocType) -> Option<u32> {
    loaded
        .case
        .evidence
        .iter()
        .filter(|e| e.doc_type == doc_type)
        .find_map(|e| derived.tabs.get(&e.id))
        .copied()
}

fn tab_for_id(derived: &Derived, id: Option<&String>) -> Option<u32> {
    id.and_then(|id| derived.tabs.get(id)).copied()
}

/// Rows of (date, event, evidence), sorted by date; each "Tab N" links to its row of the evidence
/// index (only enclosed documents have tabs, and each has such a row).
pub fn chronology(loaded: &LoadedCase, derived: &Derived, phrases: &Phrases) -> Table {
    let case = &loaded.case;
    let text = |p: Phrase| phrases.text(p).to_string();
    let mut rows: Vec<(chrono::NaiveDate, u8, String, String, Option<u32>)> = Vec::new();
    let mut add = |date: PartialDate, order: u8, event: String, tab: Option<u32>| {
        rows.push((date.earliest(), order, date.uk(), event, tab));
    };
    let dob = PartialDate::from_date(case.client.dob_claimed);
    let born = if case.client.dob_accepted.is_some() {
        Phrase::ChronBornClaimed
    } else {
        Phrase::ChronBorn
    };
    add(dob, 0, text(born), None);
    // The 18th birthday (on each date of birth, where they differ) for a client who was a child
    // at a key date, or may have been (a key date known only to the month or year in which they
    // turned 18): the point where the law's protection of children ends, beside the date it
    // falls within.
    if derived.child.child_at_any_key_date
        || derived.child.child_status_undecided
        || derived.ages.age_disputed
    {
        let accepted = case
            .client
            .dob_accepted
            .filter(|d| *d != case.client.dob_claimed);
        let claimed_label = if accepted.is_some() {
            Phrase::ChronTurns18Claimed
        } else {
            Phrase::ChronTurns18
        };
        add(
            PartialDate::from_date(crate::facts::Date(crate::facts::date::birthday(
                case.client.dob_claimed.0,
                18,
            ))),
            0,
            text(claimed_label),
            None,
        );
        if let Some(accepted) = accepted {
            add(
                PartialDate::from_date(crate::facts::Date(crate::facts::date::birthday(
                    accepted.0, 18,
                ))),
                0,
                text(Phrase::ChronTurns18Accepted),
                None,
            );
        }
    }
    if let Some(accepted) = case
        .client
        .dob_accepted
        .filter(|d| *d != case.client.dob_claimed)
    {
        add(
            PartialDate::from_date(accepted),
            0,
            text(Phrase::ChronDobAccepted),
            tab_for(loaded, derived, DocType::AgeAssessment),
        );
    }
    for (i, e) in case.exploitation.episodes.iter().enumerate() {
        let countries: Vec<String> = e
            .countries
            .iter()
            .map(|c| super::helpers::country(c))
            .collect();
        let place = if countries.is_empty() {
            String::new()
        } else {
            phrases.fill(
                Phrase::ChronEpisodePlace,
                &[("countries", &super::helpers::join_words(&countries, "and"))],
            )
        };
        let end = e.end.map_or_else(
            || text(Phrase::ChronEpisodeContinuing),
            |end| phrases.fill(Phrase::ChronEpisodeUntil, &[("date", &end.uk())]),
        );
        let age = derived
            .ages
            .age
            .get(&format!("episode_{}", i + 1))
            .map(|a| phrases.fill(Phrase::ChronEpisodeAge, &[("age", &both_ages(a, phrases))]))
            .unwrap_or_default();
        let kind = super::helpers::exploitation_label(&humanize(&e.kind).replace(' ', "_"));
        let mut label = kind.to_string();
        label[..1].make_ascii_uppercase();
        let event = phrases.fill(
            Phrase::ChronEpisode,
            &[
                ("kind", &label),
                ("place", &place),
                ("age", &age),
                ("end", &end),
            ],
        );
        // In the same month, exploitation abroad comes before the arrival and exploitation in
        // the UK after it (the review saw a UK episode listed before the arrival it followed).
        add(e.start, if e.in_uk { 3 } else { 1 }, event, None);
    }
    if let Some(a) = case.immigration.arrival_date {
        add(a, 2, text(Phrase::ChronArrival), None);
    }
    for v in &case.immigration.visas {
        add(
            v.start,
            2,
            phrases.fill(Phrase::ChronVisa, &[("category", &humanize(&v.category))]),
            tab_for_id(derived, v.evidence.as_ref()),
        );
    }
    if let Some(c) = case.immigration.asylum.claim_date {
        add(
            c,
            3,
            text(Phrase::ChronAsylumClaim),
            tab_for_id(derived, case.immigration.asylum.claim_evidence.as_ref()),
        );
    }
    let asylum = &case.immigration.asylum;
    for a in &asylum.appeals {
        use crate::facts::model::{AppealForum, AppealOutcome};
        let forum = text(match a.forum {
            AppealForum::FirstTierTribunal => Phrase::ChronForumFirstTier,
            AppealForum::UpperTribunal => Phrase::ChronForumUpper,
            AppealForum::CourtOfAppeal => Phrase::ChronForumCourtOfAppeal,
        });
        let tab = tab_for_id(derived, a.evidence.as_ref());
        // After the Home Office decision it appeals against, when both fall in the same month.
        if let Some(l) = a.lodged {
            add(
                l,
                4,
                phrases.fill(Phrase::ChronAppealLodged, &[("forum", &forum)]),
                None,
            );
        }
        let decided = match a.outcome {
            AppealOutcome::Pending => None,
            AppealOutcome::Allowed => Some(Phrase::ChronAppealAllowed),
            AppealOutcome::Dismissed => Some(Phrase::ChronAppealDismissed),
            AppealOutcome::Withdrawn => Some(Phrase::ChronAppealWithdrawn),
        };
        if let (Some(phrase), Some(d)) = (decided, a.decided) {
            add(d, 3, phrases.fill(phrase, &[("forum", &forum)]), tab);
        }
    }
    if let Some(f) = asylum.final_determination_date {
        use crate::facts::model::AsylumStatus;
        let phrase = if asylum.status == AsylumStatus::AppealRightsExhausted {
            Phrase::ChronAppealRightsExhausted
        } else {
            Phrase::ChronClaimFinallyDetermined
        };
        add(f, 3, text(phrase), None);
    }
    if let Some(d) = case.immigration.asylum.decision_date {
        add(
            d,
            3,
            text(Phrase::ChronAsylumDecision),
            tab_for(loaded, derived, DocType::AsylumDecision),
        );
    }
    if let Some(r) = case.nrm.referral_date {
        let by = case
            .nrm
            .first_responder
            .as_ref()
            .map(|f| {
                // The name where given, else the kind in words ("an NGO"), never its label.
                let responder = f.name.clone().unwrap_or_else(|| {
                    use crate::facts::model::FirstResponderKind as K;
                    text(match f.kind {
                        K::Police => Phrase::ResponderPolice,
                        K::LocalAuthority => Phrase::ResponderLocalAuthority,
                        K::HomeOffice => Phrase::ResponderHomeOffice,
                        K::Ngo => Phrase::ResponderNgo,
                        K::Glaa => Phrase::ResponderGlaa,
                        K::Other => Phrase::ResponderOther,
                    })
                });
                phrases.fill(Phrase::ChronReferralBy, &[("responder", &responder)])
            })
            .unwrap_or_default();
        add(
            r,
            4,
            phrases.fill(Phrase::ChronReferral, &[("by", &by)]),
            None,
        );
    }
    if let Some(rg) = &case.nrm.rg_decision {
        add(
            rg.date,
            5,
            phrases.fill(Phrase::ChronRg, &[("outcome", &humanize(&rg.outcome))]),
            tab_for(loaded, derived, DocType::RgDecision),
        );
    }
    let cg = &case.nrm.cg_decision;
    let cg_age = derived
        .ages
        .age
        .get("cg")
        .map(|a| phrases.fill(Phrase::ChronCgAge, &[("age", &both_ages(a, phrases))]))
        .unwrap_or_default();
    // Whether a protection claim was pending on the CG date decides the KTT cohort.
    let claim_pending = if derived.position.protection_claim_pending_at_cg {
        text(Phrase::ChronCgClaimPending)
    } else {
        String::new()
    };
    add(
        cg.date,
        6,
        phrases.fill(
            Phrase::ChronCg,
            &[
                ("outcome", &humanize(&cg.outcome)),
                ("age", &cg_age),
                ("claim", &claim_pending),
            ],
        ),
        tab_for(loaded, derived, DocType::CgDecision),
    );
    if let Some(q) = case.matter.questionnaire_received {
        add(
            PartialDate::from_date(q),
            7,
            text(Phrase::ChronQuestionnaire),
            None,
        );
    }
    for d in &case.matter.previous_decisions {
        let what = match d.kind {
            PreviousDecisionKind::VtsGrant => Phrase::ChronVtsGrant,
            PreviousDecisionKind::VtsRefusal => Phrase::ChronVtsRefusal,
            PreviousDecisionKind::MsdlGrant => Phrase::ChronMsdlGrant,
            PreviousDecisionKind::MsdlRefusal => Phrase::ChronMsdlRefusal,
        };
        let months = d
            .duration_months
            .map(|m| phrases.fill(Phrase::ChronDecisionMonths, &[("months", &m.to_string())]))
            .unwrap_or_default();
        add(
            PartialDate::from_date(d.date),
            7,
            phrases.fill(what, &[("months", &months)]),
            tab_for(loaded, derived, DocType::VtsDecision),
        );
    }
    let cj = &case.criminal_justice;
    use crate::facts::model::InvestigationStatus;
    // Charging, listing and the trial are different events, each on its own row; the status
    // row gives the charging date only when no charge date of its own is known.
    let charged_known = cj.charge_date.is_some();
    if let Some(d) = cj.charge_date {
        let event = match cj.accused {
            Some(1) => text(Phrase::ChronChargedOne),
            Some(n) => phrases.fill(Phrase::ChronChargedCount, &[("n", &n.to_string())]),
            None => text(Phrase::ChronCharged),
        };
        add(d, 8, event, tab_for(loaded, derived, DocType::CpsLetter));
    }
    if let Some(d) = cj.listing_date {
        add(
            d,
            8,
            text(Phrase::ChronListed),
            tab_for(loaded, derived, DocType::CpsLetter),
        );
    }
    if let Some(statement) = &cj.officer_statement
        && let Some(d) = statement.date
    {
        let tab = statement
            .evidence
            .as_ref()
            .and_then(|id| derived.tabs.get(id).copied());
        add(d, 8, text(Phrase::ChronOfficerStatement), tab);
    }
    if let Some(d) = cj.status_date.filter(|_| {
        !(charged_known
            && matches!(
                cj.investigation,
                InvestigationStatus::Charged | InvestigationStatus::TrialListed
            ))
    }) {
        let status = phrases.text(match cj.investigation {
            crate::facts::model::InvestigationStatus::None => Phrase::ChronPoliceNone,
            crate::facts::model::InvestigationStatus::Open => Phrase::ChronPoliceOpen,
            crate::facts::model::InvestigationStatus::Nfa => Phrase::ChronPoliceNfa,
            crate::facts::model::InvestigationStatus::Charged => Phrase::ChronPoliceCharged,
            crate::facts::model::InvestigationStatus::TrialListed => Phrase::ChronPoliceTrialListed,
            crate::facts::model::InvestigationStatus::Convicted => Phrase::ChronPoliceConvicted,
            crate::facts::model::InvestigationStatus::Acquitted => Phrase::ChronPoliceAcquitted,
        });
        add(
            d,
            8,
            phrases.fill(Phrase::ChronPolice, &[("status", status)]),
            tab_for(loaded, derived, DocType::PoliceLetter),
        );
    }
    if let Some(t) = cj.trial_date {
        add(
            PartialDate::from_date(t),
            8,
            text(Phrase::ChronTrial),
            tab_for(loaded, derived, DocType::CpsLetter),
        );
    }
    if let Some(d) = case.compensation.cica.lodged_date {
        add(
            d,
            8,
            text(Phrase::ChronCicaLodged),
            tab_for(loaded, derived, DocType::CicaCorrespondence),
        );
    }
    for c in &case.compensation.civil_claims {
        if let Some(h) = c.hearing_date {
            add(
                PartialDate::from_date(h),
                8,
                phrases.fill(Phrase::ChronHearing, &[("forum", &humanize(&c.forum))]),
                tab_for(loaded, derived, DocType::CivilClaimDocument),
            );
        }
    }
    for t in &case.health.treatments {
        if let Some(s) = t.start {
            let what = t.description.clone().unwrap_or_else(|| humanize(&t.kind));
            let phrase = match t.status {
                crate::facts::model::TreatmentStatus::Referred
                | crate::facts::model::TreatmentStatus::WaitingList => Phrase::ChronReferredFor,
                _ => Phrase::ChronTreatmentBegins,
            };
            add(
                s,
                9,
                phrases.fill(phrase, &[("treatment", &what)]),
                tab_for_id(derived, t.evidence.as_ref()),
            );
        }
    }
    for t in &case.health.treatments {
        // An actual end is recorded only for treatment that is over (`facts::load` checks it).
        if let Some(e) = t.end {
            let what = t.description.clone().unwrap_or_else(|| humanize(&t.kind));
            let phrase = if t.status == crate::facts::model::TreatmentStatus::Completed {
                Phrase::ChronTreatmentCompleted
            } else {
                Phrase::ChronTreatmentStopped
            };
            add(
                e,
                9,
                phrases.fill(phrase, &[("treatment", &what)]),
                tab_for_id(derived, t.evidence.as_ref()),
            );
        }
    }
    let because = |reason: &Option<String>| {
        reason.as_deref().map_or_else(String::new, |r| {
            phrases.fill(Phrase::ChronEndedBecause, &[("reason", r)])
        })
    };
    let ictg = &case.family.ictg;
    if ictg.allocated {
        let tab = tab_for(loaded, derived, DocType::IctgLetter);
        if let Some(s) = ictg.start {
            add(s, 4, text(Phrase::ChronIctgAllocated), tab);
        }
        if let Some(e) = ictg.end {
            add(
                e,
                9,
                phrases.fill(
                    Phrase::ChronIctgEnded,
                    &[("because", &because(&ictg.ended_because))],
                ),
                tab,
            );
        }
    }
    let care = &case.family.looked_after;
    let care_tab = tab_for(loaded, derived, DocType::SocialWorkerLetter)
        .or_else(|| tab_for(loaded, derived, DocType::PathwayPlan));
    if let Some(s) = care.start {
        let authority = care
            .local_authority
            .clone()
            .unwrap_or_else(|| text(Phrase::ResponderLocalAuthority));
        add(
            s,
            4,
            phrases.fill(Phrase::ChronLookedAfterBegins, &[("authority", &authority)]),
            care_tab,
        );
    }
    if let Some(e) = care.end {
        add(
            e,
            9,
            phrases.fill(
                Phrase::ChronLookedAfterEnds,
                &[("because", &because(&care.ended_because))],
            ),
            care_tab,
        );
    }
    let support = &case.nrm.support;
    {
        use crate::facts::model::SupportKind as K;
        let kind = match support.kind {
            K::None => None,
            K::Msvcc => Some(Phrase::ChronSupportMsvcc),
            K::LocalAuthorityChildren => Some(Phrase::ChronSupportLocalAuthority),
            K::Outreach => Some(Phrase::ChronSupportOutreach),
            K::Isva => Some(Phrase::ChronSupportIsva),
        };
        if let Some(kind) = kind {
            let provider = support.provider.as_deref().map_or_else(String::new, |p| {
                phrases.fill(Phrase::ChronSupportProvider, &[("provider", p)])
            });
            let what = format!("{}{provider}", text(kind));
            let tab = tab_for_id(derived, support.evidence.as_ref())
                .or_else(|| tab_for(loaded, derived, DocType::SupportWorkerLetter));
            if let Some(s) = support.start {
                add(
                    s,
                    6,
                    phrases.fill(Phrase::ChronSupportBegins, &[("support", &what)]),
                    tab,
                );
            }
            if let Some(e) = support.end_date {
                // Ended before the letter, or an end still to come.
                let event = if derived.periods.support_ended {
                    phrases.fill(
                        Phrase::ChronSupportEnds,
                        &[
                            ("support", &what),
                            ("because", &because(&support.ended_because)),
                        ],
                    )
                } else {
                    phrases.fill(Phrase::ChronSupportDueToEnd, &[("support", &what)])
                };
                add(PartialDate::from_date(e), 9, event, tab);
            }
        }
    }
    if let Some(child) = &case.family.expected_child {
        let phrase = match child.parent {
            crate::facts::model::ExpectingParent::Client => Phrase::ChronBabyDue,
            crate::facts::model::ExpectingParent::Partner => Phrase::ChronBabyDuePartner,
        };
        add(
            child.expected_date,
            9,
            text(phrase),
            tab_for_id(derived, child.evidence.as_ref()),
        );
    }
    if let Some(a) = &case.client.adult_accommodation {
        add(
            a.date,
            5,
            phrases.fill(Phrase::ChronAdultAccommodation, &[("by", &a.placed_by)]),
            tab_for_id(derived, a.evidence.as_ref()),
        );
        if let Some(d) = a.re_exploitation_date {
            add(
                d,
                5,
                text(Phrase::ChronReExploited),
                tab_for_id(derived, a.re_exploitation_evidence.as_ref()),
            );
        }
        if let Some(d) = a.left {
            add(d, 5, text(Phrase::ChronLeftAdultAccommodation), None);
        }
    }
    for step in &case.client.age_challenge {
        use crate::facts::model::AgeChallengeStage as S;
        let event = match (step.stage, &step.outcome) {
            (S::PreActionLetter, _) => text(Phrase::ChronAgePreAction),
            (S::ClaimLodged, _) => text(Phrase::ChronAgeClaimLodged),
            (S::PermissionGranted, _) => text(Phrase::ChronAgePermissionGranted),
            (S::PermissionRefused, _) => text(Phrase::ChronAgePermissionRefused),
            (S::HearingListed, _) => text(Phrase::ChronAgeHearing),
            (S::Decided, Some(outcome)) => {
                phrases.fill(Phrase::ChronAgeDecidedOutcome, &[("outcome", outcome)])
            }
            (S::Decided, None) => text(Phrase::ChronAgeDecided),
        };
        let tab = tab_for_id(derived, step.evidence.as_ref());
        add(step.date, 5, event, tab);
    }
    for c in &case.suitability.convictions {
        add(
            c.date,
            9,
            phrases.fill(Phrase::ChronConviction, &[("offence", &c.offence)]),
            tab_for_id(derived, c.evidence.as_ref()),
        );
    }
    for n in &case.suitability.non_punishment {
        use crate::facts::model::NonPunishmentOutcome as O;
        let Some(d) = n.date else { continue };
        let phrase = match n.outcome {
            O::NotCharged => Phrase::ChronNotCharged,
            O::NoFurtherAction => Phrase::ChronNoFurtherAction,
            O::DiscontinuedAsVictim => Phrase::ChronDiscontinuedAsVictim,
            O::S45DefenceAccepted => Phrase::ChronS45Accepted,
            O::ConvictionQuashed => Phrase::ChronConvictionQuashed,
        };
        let by =
            n.by.as_ref()
                .map(|b| phrases.fill(Phrase::ChronDecidedBy, &[("by", b)]))
                .unwrap_or_default();
        add(
            d,
            9,
            format!("{}{by}", phrases.fill(phrase, &[("offence", &n.offence)])),
            tab_for_id(derived, n.evidence.as_ref()),
        );
    }
    let deportation = &case.immigration.deportation;
    if let Some(o) = deportation.order_date {
        add(
            o,
            9,
            text(Phrase::ChronDeportationOrder),
            tab_for_id(derived, deportation.order_evidence.as_ref()),
        );
    }
    if let Some(r) = &deportation.revocation_request {
        use crate::facts::model::RevocationOutcome;
        let tab = tab_for_id(derived, r.evidence.as_ref());
        add(r.date, 9, text(Phrase::ChronRevocationRequested), tab);
        let decided = match r.outcome {
            RevocationOutcome::Pending => None,
            RevocationOutcome::Refused => Some(Phrase::ChronRevocationRefused),
            RevocationOutcome::Granted => Some(Phrase::ChronRevocationGranted),
        };
        if let (Some(phrase), Some(d)) = (decided, r.decided) {
            add(d, 9, text(phrase), None);
        }
    }
    add(
        PartialDate::from_date(case.matter.letter_date),
        10,
        text(Phrase::ChronLetter),
        None,
    );
    rows.sort_by_key(|a| (a.0, a.1));
    Table {
        name: "chronology".into(),
        columns: vec![
            text(Phrase::ChronDate),
            text(Phrase::ChronEvent),
            text(Phrase::ChronEvidence),
        ],
        widths: vec![22, 63, 15],
        links: rows.iter().map(|row| row.4.map(tab_anchor)).collect(),
        rows: rows
            .into_iter()
            .map(|(_, _, date, event, tab)| {
                let evidence = tab.map_or_else(String::new, |t| {
                    phrases.fill(Phrase::ChronTab, &[("tab", &t.to_string())])
                });
                vec![date, event, evidence]
            })
            .collect(),
        anchors: Vec::new(),
    }
}

/// The anchor of the evidence-index row of the document at tab `tab`.
pub fn tab_anchor(tab: u32) -> String {
    format!("ev-tab-{tab}")
}

/// The anchor of each evidence item's row in the evidence index, by evidence id: `ev-tab-3` for
/// the document at Tab 3, `ev-later-1` for the first document not enclosed (to follow or
/// unobtainable). Made from numbers only, never from case text, so renderers can use them as
/// names (Typst labels, DOCX bookmarks) as they are.
pub fn evidence_anchors(loaded: &LoadedCase, derived: &Derived) -> BTreeMap<String, String> {
    let mut later = 0;
    let mut out = BTreeMap::new();
    for e in &loaded.case.evidence {
        let anchor = match (e.status, derived.tabs.get(&e.id)) {
            (EvidenceStatus::Enclosed, Some(tab)) => tab_anchor(*tab),
            _ => {
                later += 1;
                format!("ev-later-{later}")
            }
        };
        out.insert(e.id.clone(), anchor);
    }
    out
}

/// The words for what a document supports, in the index's "Supports" column.
fn supports_phrase(axis: crate::facts::model::Axis) -> Phrase {
    use crate::facts::model::Axis;
    match axis {
        Axis::Framework => Phrase::SupportsFramework,
        Axis::Recovery => Phrase::SupportsRecovery,
        Axis::PersonalSituation => Phrase::SupportsPersonalSituation,
        Axis::ChildBestInterests => Phrase::SupportsChildBestInterests,
        Axis::Compensation => Phrase::SupportsCompensation,
        Axis::Cooperation => Phrase::SupportsCooperation,
        Axis::Suitability => Phrase::SupportsSuitability,
        Axis::Duration => Phrase::SupportsDuration,
    }
}

/// An age in the chronology: on the claimed date of birth, and on the accepted one where the
/// two differ.
fn both_ages(a: &crate::facts::derive::ages::AgeAt, phrases: &Phrases) -> String {
    match &a.accepted {
        Some(accepted) if *accepted != a.claimed => phrases.fill(
            Phrase::ChronAgeBoth,
            &[("claimed", &a.claimed), ("accepted", accepted)],
        ),
        _ => a.claimed.clone(),
    }
}

/// The evidence index: enclosed documents with tab numbers, then documents to follow; each row
/// carries its anchor for the letter's evidence references to link to.
pub fn evidence_index(loaded: &LoadedCase, derived: &Derived, phrases: &Phrases) -> Table {
    let text = |p: Phrase| phrases.text(p).to_string();
    let anchors = evidence_anchors(loaded, derived);
    let mut rows = Vec::new();
    let mut later = Vec::new();
    for e in &loaded.case.evidence {
        let anchor = anchors.get(&e.id).cloned();
        let mut author = e.author.clone().unwrap_or_default();
        if let Some(r) = &e.registration {
            let body = match r.body {
                RegistrationBody::Gmc => "GMC",
                RegistrationBody::Hcpc => "HCPC",
                RegistrationBody::Nmc => "NMC",
                RegistrationBody::Swe => "SWE",
                RegistrationBody::Bps => "BPS",
                RegistrationBody::Other => "reg.",
            };
            // The registration is one unit: no line break inside "(HCPC PYL-12345)".
            let number = r.number.replace(' ', "\u{a0}").replace('-', "\u{2011}");
            author = format!("{author} ({body}\u{a0}{number})")
                .trim()
                .to_string();
        }
        let date = e.date.map(|d| d.uk()).unwrap_or_default();
        let supports = e
            .supports
            .iter()
            .map(|axis| text(supports_phrase(*axis)))
            .collect::<Vec<_>>()
            .join(", ");
        match (e.status, derived.tabs.get(&e.id)) {
            (EvidenceStatus::Enclosed, Some(tab)) => {
                let pages = e.pages.map(|p| p.to_string()).unwrap_or_default();
                rows.push((
                    vec![
                        tab.to_string(),
                        e.description.clone(),
                        author,
                        date,
                        pages,
                        supports,
                    ],
                    anchor,
                ));
            }
            (status, _) => {
                let when = match (status, e.expected) {
                    (EvidenceStatus::Unobtainable, _) => text(Phrase::IndexUnobtainable),
                    (_, Some(d)) => phrases.fill(Phrase::IndexToFollowBy, &[("date", &d.uk())]),
                    _ => text(Phrase::IndexToFollow),
                };
                later.push((
                    vec![
                        text(Phrase::IndexNoTab),
                        phrases.fill(
                            Phrase::IndexLater,
                            &[("document", &e.description), ("when", &when)],
                        ),
                        author,
                        date,
                        String::new(),
                        supports,
                    ],
                    anchor,
                ));
            }
        }
    }
    rows.extend(later);
    Table {
        name: "evidence_index".into(),
        columns: [
            Phrase::IndexTab,
            Phrase::IndexDocument,
            Phrase::IndexAuthor,
            Phrase::IndexDate,
            Phrase::IndexPages,
            Phrase::IndexSupports,
        ]
        .map(text)
        .into(),
        // A date never breaks across lines, so its column holds the longest ("30 September
        // 2026", 79 pt at the table's 8.8 pt, plus the cell's insets: 19% of the text width).
        widths: vec![6, 29, 23, 19, 7, 16],
        anchors: rows.iter().map(|(_, a)| a.clone()).collect(),
        links: Vec::new(),
        rows: rows.into_iter().map(|(r, _)| r).collect(),
    }
}
