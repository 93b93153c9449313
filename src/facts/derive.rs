//! Derived facts: ages at each key date, child status, delays, cohorts, grounds, evidence gaps and
//! the requested duration, computed once from a [`Case`] and shown by `explain`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::date::{Date, PartialDate, age_on, birthday, months_between};
use super::load::LoadedCase;
use super::model::*;
use crate::diag::{Code, Diagnostic};
use crate::phrases::{Phrase, Phrases};

/// The date from which conclusive grounds decisions fall under s.65 NABA 2022 and Appendix VTS
/// rather than the old discretionary leave policy (SI 2023/33).
pub const VTS_COMMENCEMENT: &str = "2023-01-30";

fn commencement() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 30).expect("valid date")
}

/// The client's age on one key date, under each date of birth.
#[derive(Debug, Clone, Serialize)]
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
    /// "17 years 2 months" under the claimed date of birth.
    pub claimed: String,
    pub child_claimed: bool,
    /// The same under the accepted date of birth, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_accepted: Option<bool>,
}

/// Which grounds the facts make available.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Grounds {
    pub recovery: bool,
    pub compensation: bool,
    pub cooperation: bool,
    pub personal_situation: bool,
    pub child_best_interests: bool,
}

/// A required-but-missing piece of evidence for one ground.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceGap {
    pub ground: Axis,
    pub message: String,
}

/// The months of leave requested and why.
#[derive(Debug, Clone, Serialize)]
pub struct Duration {
    pub months: u32,
    pub alternative_months: u32,
    pub reason: String,
    pub overridden: bool,
}

/// The most recent refusal being reconsidered.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub kind: PreviousDecisionKind,
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons_summary: Option<String>,
}

/// Everything computed from the facts. Serialised as `derived` for conditions and templates.
#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    pub client_name: String,
    pub age_disputed: bool,
    /// Ages keyed by event, for templates (`derived.age.cg.claimed`).
    pub age: BTreeMap<String, AgeAt>,
    /// The same ages in date order, for `explain` and the chronology.
    #[serde(skip)]
    pub ages: Vec<AgeAt>,
    pub child_at_cg: bool,
    pub child_at_letter: bool,
    pub child_at_decision: bool,
    pub child_when_exploited: bool,
    pub child_at_any_key_date: bool,
    pub child_now_adult: bool,
    pub adult_in_alternative: bool,
    pub months_until_18: i64,
    pub transition_to_adulthood: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_referral_to_cg_days: Option<i64>,
    pub delay_cg_to_letter_days: i64,
    pub home_office_delay: bool,
    pub ktt_cohort_candidate: bool,
    pub ktt_excluded_by_deportation: bool,
    pub deportation_blocker: bool,
    pub asylum_pending: bool,
    pub grounds: Grounds,
    pub registered_medical_evidence: bool,
    pub causation_evidenced: bool,
    pub treatment_ongoing: bool,
    pub treatment_waiting: bool,
    pub evidence_held: Vec<DocType>,
    pub evidence_to_follow: bool,
    pub recovery_evidence_to_follow: bool,
    pub cica_out_of_time: bool,
    pub dwms_route: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwms_deadline: Option<Date>,
    pub dwms_deadline_passed: bool,
    pub has_dependants_in_uk: bool,
    pub has_convictions: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_refusal: Option<Refusal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trial_months_away: Option<i64>,
    pub duration: Duration,
    /// Evidence id → tab number, for enclosed documents in the order listed.
    pub tabs: BTreeMap<String, u32>,
    /// Flags printed at the top of the letter.
    pub flags: Vec<String>,
    pub evidence_gaps: Vec<EvidenceGap>,
    /// Things the user must see: unavailable grounds, time limits, missing evidence, pauses.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
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

fn is_child(dob: NaiveDate, on: NaiveDate) -> bool {
    age_on(dob, on).is_some_and(|(y, _)| y < 18)
}

const MEDICAL: [DocType; 6] = [
    DocType::MedicoLegalReport,
    DocType::GpLetter,
    DocType::TherapyLetter,
    DocType::CamhsLetter,
    DocType::HospitalLetter,
    DocType::ExpertReport,
];

/// Computes the derived facts and the warnings that go with them.
pub fn derive(loaded: &LoadedCase, phrases: &Phrases) -> Derived {
    let case = &loaded.case;
    let letter = case.matter.letter_date.0;
    let cg = &case.nrm.cg_decision;
    let dob = case.client.dob_claimed.0;
    let accepted = case.client.dob_accepted.map(|d| d.0).filter(|d| *d != dob);

    // Ages at every key date.
    let mut events: Vec<(String, String, PartialDate)> = vec![
        (
            "letter".into(),
            "date of this letter".into(),
            PartialDate::from_date(case.matter.letter_date),
        ),
        (
            "cg".into(),
            "conclusive grounds decision".into(),
            PartialDate::from_date(cg.date),
        ),
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
            let (y, m) = age_on(dob, day)?;
            let approx = date.precision() != super::date::Precision::Day;
            let about = if approx { "about " } else { "" };
            let (acc_text, acc_child) =
                match accepted.and_then(|a| age_on(a, day).map(|age| (a, age))) {
                    Some((a, (ay, am))) => (
                        Some(format!("{about}{}", age_text(ay, am))),
                        Some(is_child(a, day)),
                    ),
                    None => (None, None),
                };
            Some(AgeAt {
                key,
                event,
                date: day.format("%Y-%m-%d").to_string(),
                date_uk: date.uk(),
                approximate: approx,
                claimed: format!("{about}{}", age_text(y, m)),
                child_claimed: y < 18,
                accepted: acc_text,
                child_accepted: acc_child,
            })
        })
        .collect();
    ages.sort_by(|a, b| a.date.cmp(&b.date).then(a.key.cmp(&b.key)));
    let age: BTreeMap<String, AgeAt> = ages.iter().map(|a| (a.key.clone(), a.clone())).collect();

    let child_at_cg = is_child(dob, cg.date.0);
    let child_at_letter = is_child(dob, letter);
    let child_at_decision = case
        .matter
        .previous_decisions
        .iter()
        .any(|d| is_child(dob, d.date.0));
    let child_when_exploited = case
        .exploitation
        .episodes
        .iter()
        .any(|e| is_child(dob, e.start.earliest()));
    let child_at_any_key_date =
        child_at_cg || child_at_letter || child_at_decision || child_when_exploited;
    let child_now_adult = (child_at_cg || child_at_decision) && !child_at_letter;
    let age_disputed = accepted.is_some()
        || !matches!(
            case.client.age_dispute,
            AgeDisputeStatus::None | AgeDisputeStatus::Resolved
        );
    let adult_in_alternative = child_at_letter && accepted.is_some_and(|a| !is_child(a, letter));
    let eighteenth = birthday(dob, 18);
    let months_until_18 = if child_at_letter {
        months_between(letter, eighteenth).max(0)
    } else {
        0
    };
    let transition_to_adulthood = (eighteenth > letter && months_between(letter, eighteenth) < 12)
        || (eighteenth <= letter && months_between(eighteenth, letter) < 12);

    // Delay.
    let delay_referral_to_cg_days = case
        .nrm
        .referral_date
        .map(|r| (cg.date.0 - r.earliest()).num_days());
    let delay_cg_to_letter_days = (letter - cg.date.0).num_days();
    let home_office_delay = delay_referral_to_cg_days.is_some_and(|d| d > 365)
        || (case.matter.previous_decisions.is_empty() && delay_cg_to_letter_days > 180);

    // Immigration position.
    let asylum = &case.immigration.asylum;
    let asylum_pending = matches!(
        asylum.status,
        AsylumStatus::PendingInitial | AsylumStatus::Refused | AsylumStatus::AppealPending
    );
    let deportation_blocker = matches!(
        case.immigration.deportation.status,
        DeportationStatus::ProceedingsStarted | DeportationStatus::OrderMade
    );
    let positive = cg.outcome != Outcome::Negative;
    let outstanding_at_cg = asylum.status != AsylumStatus::NotClaimed
        && asylum.claim_date.is_some_and(|c| c.0 <= cg.date.0)
        && asylum
            .final_determination_date
            .is_none_or(|f| f.0 > cg.date.0);
    let ktt_cohort_candidate = positive
        && cg.date.0 < commencement()
        && asylum.basis_includes_retrafficking
        && outstanding_at_cg;
    let ktt_excluded_by_deportation = ktt_cohort_candidate && deportation_blocker;

    // Evidence.
    let enclosed = |e: &&Evidence| e.status == EvidenceStatus::Enclosed;
    let mut tabs = BTreeMap::new();
    for (n, e) in case.evidence.iter().filter(enclosed).enumerate() {
        tabs.insert(e.id.clone(), n as u32 + 1);
    }
    let mut evidence_held: Vec<DocType> = Vec::new();
    for e in case.evidence.iter().filter(enclosed) {
        if !evidence_held.contains(&e.doc_type) {
            evidence_held.push(e.doc_type);
        }
    }
    let holds = |t: DocType| evidence_held.contains(&t);
    let registered_medical_evidence = case.evidence.iter().filter(enclosed).any(|e| {
        MEDICAL.contains(&e.doc_type)
            && e.registration.as_ref().is_some_and(|r| {
                matches!(
                    r.body,
                    RegistrationBody::Gmc | RegistrationBody::Hcpc | RegistrationBody::Nmc
                )
            })
    });
    let is_enclosed_id = |id: &str| {
        case.evidence
            .iter()
            .any(|e| e.id == id && e.status == EvidenceStatus::Enclosed)
    };
    let causation_evidenced = case
        .health
        .conditions
        .iter()
        .any(|c| c.linked_to_exploitation && c.evidence.as_deref().is_some_and(is_enclosed_id));
    let to_follow = |e: &&Evidence| {
        matches!(
            e.status,
            EvidenceStatus::Requested | EvidenceStatus::Awaited
        )
    };
    let evidence_to_follow = case.evidence.iter().any(|e| to_follow(&e));
    let recovery_evidence_to_follow = case
        .evidence
        .iter()
        .filter(to_follow)
        .any(|e| e.supports.contains(&Axis::Recovery));
    let treatments = &case.health.treatments;
    let treatment_ongoing = treatments
        .iter()
        .any(|t| t.status == TreatmentStatus::Ongoing);
    let treatment_waiting = !treatment_ongoing
        && treatments.iter().any(|t| {
            matches!(
                t.status,
                TreatmentStatus::Referred | TreatmentStatus::WaitingList
            )
        });

    // Compensation.
    let cica = &case.compensation.cica;
    let cica_live = matches!(
        cica.status,
        CicaStatus::Preparing | CicaStatus::Lodged | CicaStatus::Review | CicaStatus::Appeal
    );
    let civil_live = case
        .compensation
        .civil_claims
        .iter()
        .any(|c| c.status != ClaimStatus::Concluded);
    let cica_out_of_time = cica.time_runs_from.is_some_and(|from| {
        let limit = birthday(from.latest(), 2);
        let measured = cica.lodged_date.map_or(letter, |d| d.0);
        measured > limit
    });

    // Co-operation.
    let cj = &case.criminal_justice;
    let investigation_live = matches!(
        cj.investigation,
        InvestigationStatus::Open | InvestigationStatus::Charged | InvestigationStatus::TrialListed
    );
    let cooperating = matches!(
        cj.client_role,
        ClientRole::Complainant | ClientRole::Witness | ClientRole::PotentialWitness
    );
    let trial_months_away = cj
        .trial_date
        .filter(|t| t.0 >= letter)
        .map(|t| months_between(letter, t.0));

    // Other routes and family.
    let dwms_route = case.immigration.visas.iter().any(|v| {
        matches!(
            v.category,
            VisaCategory::OverseasDomesticWorker
                | VisaCategory::DomesticWorkerPrivateHousehold
                | VisaCategory::DiplomaticHouseholdServant
        )
    });
    let dwms_deadline = dwms_route.then(|| Date(cg.date.0 + chrono::Duration::days(28)));
    let dwms_deadline_passed = dwms_deadline.is_some_and(|d| d.0 < letter);
    let has_dependants_in_uk = case.family.dependants.iter().any(|d| d.in_uk);
    let dependent_child_in_uk = case
        .family
        .dependants
        .iter()
        .any(|d| d.in_uk && is_child(d.dob.0, letter));
    let has_convictions = !case.suitability.convictions.is_empty();
    let last_refusal = case
        .matter
        .previous_decisions
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                PreviousDecisionKind::VtsRefusal | PreviousDecisionKind::MsdlRefusal
            )
        })
        .max_by_key(|d| d.date)
        .map(|d| Refusal {
            kind: d.kind,
            date: d.date,
            reasons_summary: d.reasons_summary.clone(),
        });

    let grounds = Grounds {
        recovery: !case.health.conditions.is_empty() || !treatments.is_empty(),
        compensation: cica_live || civil_live,
        cooperation: investigation_live && cooperating,
        personal_situation: asylum_pending
            || case.exploitation.ongoing_threats
            || case.exploitation.traffickers_in_home_area
            || case.exploitation.debt_outstanding
            || has_dependants_in_uk
            || dwms_route
            || home_office_delay
            || ktt_cohort_candidate,
        child_best_interests: child_at_any_key_date || dependent_child_in_uk,
    };

    // Duration (brief 7.13): child → 60; trial → months to trial + 6, at least 30; else 30; never below 12.
    let child_rule = child_at_cg || child_at_letter || child_at_decision;
    let (default_months, default_alt, default_reason) = if child_rule {
        (60, 30, phrases.text(Phrase::DurationChild).to_string())
    } else if let Some(m) = trial_months_away.filter(|_| grounds.cooperation) {
        let months = (m as u32 + 6).max(30);
        (
            months,
            (m as u32 + 3).max(12),
            phrases.fill(Phrase::DurationTrial, &[("months", &m.to_string())]),
        )
    } else {
        (30, 12, phrases.text(Phrase::DurationDefault).to_string())
    };
    let duration = match (
        case.matter.requested_duration_months,
        &case.matter.duration_reason,
    ) {
        (Some(months), Some(reason)) => Duration {
            months: months.max(1),
            alternative_months: default_alt.min(months).max(1),
            reason: reason.clone(),
            overridden: true,
        },
        _ => Duration {
            months: default_months.max(12),
            alternative_months: default_alt,
            reason: default_reason,
            overridden: false,
        },
    };

    // Flags at the top of the letter.
    let mut flag_set: Vec<UrgencyFlag> = case.matter.urgency_flags.clone();
    if child_at_letter {
        flag_set.push(UrgencyFlag::Child);
    }
    if age_disputed {
        flag_set.push(UrgencyFlag::AgeDisputed);
    }
    if deportation_blocker {
        flag_set.push(UrgencyFlag::Deportation);
    }
    if case.immigration.detained {
        flag_set.push(UrgencyFlag::Detention);
    }
    if trial_months_away.is_some_and(|m| m < 3) {
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

    // Evidence gaps per ground.
    let mut evidence_gaps = Vec::new();
    let mut gap =
        |ground: Axis, message: String| evidence_gaps.push(EvidenceGap { ground, message });
    if !holds(DocType::CgDecision) {
        gap(
            Axis::Framework,
            "the conclusive grounds decision letter is not enclosed".into(),
        );
    }
    if grounds.recovery {
        if !registered_medical_evidence {
            gap(
                Axis::Recovery,
                "no enclosed evidence from a registered healthcare professional (GMC, HCPC or NMC)"
                    .into(),
            );
        }
        if !causation_evidenced {
            gap(Axis::Recovery, "no enclosed evidence that a condition arises from the exploitation accepted in the CG decision".into());
        }
        if case
            .health
            .treatment_abroad
            .evidence
            .as_deref()
            .is_none_or(|id| !is_enclosed_id(id))
        {
            gap(
                Axis::Recovery,
                "no enclosed country or expert evidence on treatment in the country of return"
                    .into(),
            );
        }
    }
    if cica_live && !holds(DocType::CicaCorrespondence) {
        gap(Axis::Compensation, "no CICA correspondence enclosed".into());
    }
    if civil_live && !holds(DocType::CivilClaimDocument) {
        gap(
            Axis::Compensation,
            "no claim document (letter before claim, claim form or ET1) enclosed".into(),
        );
    }
    if grounds.cooperation && !holds(DocType::PoliceLetter) && !holds(DocType::CpsLetter) {
        gap(
            Axis::Cooperation,
            "no letter from the police or CPS confirming the investigation and the client's role"
                .into(),
        );
    }
    if grounds.child_best_interests
        && child_at_any_key_date
        && !holds(DocType::SocialWorkerLetter)
        && !holds(DocType::IctgLetter)
    {
        gap(
            Axis::ChildBestInterests,
            "no social worker or guardian evidence on the child's best interests".into(),
        );
    }

    let derived_without_warnings = Derived {
        client_name: match &case.client.title {
            Some(t) if !t.trim().is_empty() => format!("{} {}", t.trim(), case.client.full_name),
            _ => case.client.full_name.clone(),
        },
        age_disputed,
        age,
        ages,
        child_at_cg,
        child_at_letter,
        child_at_decision,
        child_when_exploited,
        child_at_any_key_date,
        child_now_adult,
        adult_in_alternative,
        months_until_18,
        transition_to_adulthood,
        delay_referral_to_cg_days,
        delay_cg_to_letter_days,
        home_office_delay,
        ktt_cohort_candidate,
        ktt_excluded_by_deportation,
        deportation_blocker,
        asylum_pending,
        grounds,
        registered_medical_evidence,
        causation_evidenced,
        treatment_ongoing,
        treatment_waiting,
        evidence_held,
        evidence_to_follow,
        recovery_evidence_to_follow,
        cica_out_of_time,
        dwms_route,
        dwms_deadline,
        dwms_deadline_passed,
        has_dependants_in_uk,
        has_convictions,
        last_refusal,
        trial_months_away,
        duration,
        tabs,
        flags,
        evidence_gaps,
        warnings: Vec::new(),
    };
    let warnings = warnings(loaded, &derived_without_warnings);
    Derived {
        warnings,
        ..derived_without_warnings
    }
}

/// The warnings a practitioner must see rather than have papered over (brief section 8).
fn warnings(loaded: &LoadedCase, d: &Derived) -> Vec<Diagnostic> {
    let case = &loaded.case;
    let cj = &case.criminal_justice;
    let mut out = Vec::new();
    let mut warn = |code: Code, field: &str, message: String, hint: &str| {
        let mut w = Diagnostic::warning(code, message)
            .at(loaded.location(field))
            .field(field);
        if !hint.is_empty() {
            w = w.hint(hint);
        }
        out.push(w);
    };

    if !d.grounds.cooperation {
        let why = match cj.investigation {
            InvestigationStatus::Nfa => {
                "the police investigation was closed with no further action".to_string()
            }
            InvestigationStatus::None if !cj.reported_to_police => {
                "the exploitation has not been reported to the police".to_string()
            }
            InvestigationStatus::None => "no investigation is recorded".to_string(),
            InvestigationStatus::Convicted | InvestigationStatus::Acquitted => {
                "the criminal proceedings have concluded".to_string()
            }
            _ => "the client is not recorded as a complainant or witness".to_string(),
        };
        warn(
            Code::GroundUnavailable,
            "criminal_justice.investigation",
            format!("co-operation ground (s.65(2)(c)) not available: {why}"),
            "",
        );
    }
    if !d.grounds.compensation {
        let why = if d.cica_out_of_time && case.compensation.cica.status == CicaStatus::None {
            "no compensation claim is being pursued, and the CICA two-year time limit has passed"
        } else {
            "no CICA, civil or employment claim is being pursued"
        };
        warn(
            Code::GroundUnavailable,
            "compensation.cica.status",
            format!("compensation ground (s.65(2)(b)) not available: {why}"),
            "",
        );
    }
    if !d.grounds.recovery {
        warn(Code::GroundUnavailable, "health", "recovery ground (s.65(2)(a)) not available: no health condition or treatment is recorded".into(), "");
    }
    if d.cica_out_of_time {
        warn(
            Code::CicaOutOfTime,
            "compensation.cica.time_runs_from",
            "the CICA two-year time limit has passed; an application now depends on the exceptional-circumstances discretion".into(),
            "record why the claim could not be made in time (e.g. the client's mental health, or not knowing of the scheme)",
        );
    }
    if d.grounds.recovery && !d.registered_medical_evidence {
        warn(
            Code::NoRegisteredEvidence,
            "evidence",
            "the recovery ground has no enclosed evidence from a registered healthcare professional; the VTS guidance (v4.0) says such evidence should be provided".into(),
            "request a letter or report from a GMC, HCPC or NMC registered clinician and record its registration",
        );
    }
    if d.grounds.recovery && !d.causation_evidenced {
        warn(
            Code::CausationNotEvidenced,
            "health.conditions",
            "no enclosed evidence links a health condition to the exploitation accepted in the CG decision (s.65(2)(a) \"arising from the relevant exploitation\")".into(),
            "ask the clinician to address causation and set `linked_to_exploitation = true` on the condition",
        );
    }
    if d.grounds.recovery
        && !d.registered_medical_evidence
        && !d.grounds.compensation
        && !d.grounds.cooperation
    {
        warn(
            Code::HighRefusalRisk,
            "evidence",
            "high refusal risk: the letter relies on recovery alone without registered clinical evidence".into(),
            "consider asking the Home Office to defer its decision until the evidence arrives",
        );
    }
    let cg_date = case.nrm.cg_decision.date;
    if d.ktt_excluded_by_deportation {
        warn(
            Code::KttUnavailable,
            "immigration.deportation.status",
            "KTT route not open: the client is in the KTT cohort but the transitional provisions exclude people subject to deportation orders or proceedings (SSHD v S [2025] EWCA Civ 188; Supreme Court appeal pending)".into(),
            "",
        );
    } else if !d.ktt_cohort_candidate
        && (case.immigration.asylum.basis_includes_retrafficking
            || case.matter.letter_mode == LetterMode::KttDlRequest)
    {
        let why = if cg_date.0 >= commencement() {
            format!(
                "the CG decision ({}) is on or after 30 January 2023",
                cg_date.uk()
            )
        } else {
            "no asylum claim with a re-trafficking basis was outstanding on the CG date".to_string()
        };
        warn(
            Code::KttUnavailable,
            "nrm.cg_decision.date",
            format!("KTT route not open: {why}"),
            "the pending asylum claim can still be relied on as part of the client's personal situation",
        );
    }
    if d.deportation_blocker {
        warn(
            Code::DeportationPause,
            "immigration.deportation.status",
            "the Home Office paused VTS decisions for people subject to deportation orders (from 6 February 2025) and proceedings (from 9 June 2025); expect no decision until the pause ends".into(),
            "check the current caseworker guidance and the outcome of R (S) v SSHD (UKSC/2025/0082)",
        );
    }
    if let Some(deadline) = d.dwms_deadline {
        let message = if d.dwms_deadline_passed {
            format!(
                "an Appendix DWMS application (form FLR(IR)) was due within 28 days of the CG decision, by {}; that date has passed",
                deadline.uk()
            )
        } else {
            format!(
                "an Appendix DWMS application (form FLR(IR)) may be due within 28 days of the CG decision, by {}",
                deadline.uk()
            )
        };
        warn(
            Code::DwmsDeadline,
            "immigration.visas",
            message,
            "VTS and DWMS are parallel options; the 28-day rule is only partly verified, so check the current guidance",
        );
    }
    let refused_before = case.matter.previous_decisions.iter().any(|p| {
        matches!(
            p.kind,
            PreviousDecisionKind::VtsRefusal | PreviousDecisionKind::MsdlRefusal
        )
    });
    if refused_before && case.matter.letter_mode == LetterMode::PreDecision {
        warn(
            Code::ReconsiderationNeeded,
            "matter.letter_mode",
            "the client has been refused before, and Appendix VTS bars a fresh application: this must be a reconsideration request".into(),
            "set `letter_mode = \"reconsideration\"`",
        );
    }
    if let (LetterMode::Reconsideration, Some(refusal)) = (case.matter.letter_mode, &d.last_refusal)
    {
        let three_months = refusal
            .date
            .0
            .checked_add_months(chrono::Months::new(3))
            .unwrap_or(refusal.date.0);
        warn(
            Code::JrTimeLimit,
            "matter.previous_decisions",
            format!(
                "check judicial review time limits: a claim must be brought promptly and in any event within three months of the refusal of {} (by {}), and a reconsideration request may not stop time running",
                refusal.date.uk(),
                Date(three_months).uk()
            ),
            "",
        );
    }
    if d.adult_in_alternative {
        warn(Code::AgeDisputed, "client.dob_accepted", "the client's age is disputed: the letter argues the case as a child's, with the adult case in the alternative".into(), "");
    }
    for (i, e) in case.evidence.iter().enumerate() {
        if matches!(
            e.status,
            EvidenceStatus::Requested | EvidenceStatus::Awaited
        ) {
            let when = e.expected.map_or("no date given".to_string(), |d| {
                format!("expected {}", d.uk())
            });
            warn(
                Code::EvidenceToFollow,
                &format!("evidence[{i}].status"),
                format!(
                    "evidence `{}` ({}) is not yet held ({when}); the letter says it will follow",
                    e.id,
                    e.description.chars().take(60).collect::<String>()
                ),
                "",
            );
        }
    }
    for g in &d.evidence_gaps {
        if g.ground != Axis::Recovery {
            warn(
                Code::EvidenceGap,
                "evidence",
                format!("{} ground: {}", g.ground.as_str(), g.message),
                "",
            );
        }
    }
    out
}

/// An enum value in words: `pending_initial` → "pending initial".
pub fn humanize<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Every path under `derived` that conditions and templates may use (`clauses lint` checks
/// against it; a unit test keeps it in step with [`Derived`]).
pub const DERIVED_PATHS: &[&str] = &[
    "client_name",
    "age_disputed",
    "age",
    "child_at_cg",
    "child_at_letter",
    "child_at_decision",
    "child_when_exploited",
    "child_at_any_key_date",
    "child_now_adult",
    "adult_in_alternative",
    "months_until_18",
    "transition_to_adulthood",
    "delay_referral_to_cg_days",
    "delay_cg_to_letter_days",
    "home_office_delay",
    "ktt_cohort_candidate",
    "ktt_excluded_by_deportation",
    "deportation_blocker",
    "asylum_pending",
    "grounds",
    "grounds.recovery",
    "grounds.compensation",
    "grounds.cooperation",
    "grounds.personal_situation",
    "grounds.child_best_interests",
    "registered_medical_evidence",
    "causation_evidenced",
    "treatment_ongoing",
    "treatment_waiting",
    "evidence_held",
    "evidence_to_follow",
    "recovery_evidence_to_follow",
    "cica_out_of_time",
    "dwms_route",
    "dwms_deadline",
    "dwms_deadline_passed",
    "has_dependants_in_uk",
    "has_convictions",
    "last_refusal",
    "last_refusal.kind",
    "last_refusal.date",
    "last_refusal.reasons_summary",
    "trial_months_away",
    "duration",
    "duration.months",
    "duration.alternative_months",
    "duration.reason",
    "duration.overridden",
    "tabs",
    "flags",
    "evidence_gaps",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::load::{Format, load_str};

    fn case(extra: &str, cg_date: &str, dob: &str) -> Derived {
        case_with("", extra, cg_date, dob)
    }

    /// A minimal case; `client_extra` goes in `[client]`, `extra` after the CG decision.
    fn case_with(client_extra: &str, extra: &str, cg_date: &str, dob: &str) -> Derived {
        let text = format!(
            r#"
[matter]
reference = "T"
letter_mode = "pre_decision"
letter_date = 2026-11-16
[representative]
firm_name = "F"
address = ["A"]
regulator = "sra"
regulator_number = "1"
fee_earner = "S"
[client]
full_name = "C"
pronouns = "they"
dob_claimed = {dob}
{client_extra}
[nrm.cg_decision]
outcome = "positive"
date = {cg_date}
{extra}
"#
        );
        let loaded = load_str(std::path::Path::new("t.toml"), text, Format::Toml, None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
        derive(&loaded, &Phrases::builtin())
    }

    const ASYLUM: &str = "[immigration.asylum]\nstatus = \"pending_initial\"\nclaim_date = 2021-06-01\nbasis_includes_retrafficking = true\n";

    #[test]
    fn ktt_cohort_turns_on_the_cg_date_against_30_january_2023() {
        assert!(case(ASYLUM, "2023-01-29", "1990-01-01").ktt_cohort_candidate);
        assert!(!case(ASYLUM, "2023-01-30", "1990-01-01").ktt_cohort_candidate);
        // The claim must have been made by, and still be outstanding on, the CG date.
        let late_claim = ASYLUM.replace("2021-06-01", "2023-01-20");
        assert!(!case(&late_claim, "2023-01-10", "1990-01-01").ktt_cohort_candidate);
        let decided = format!("{ASYLUM}final_determination_date = 2022-12-01\n");
        assert!(!case(&decided, "2023-01-10", "1990-01-01").ktt_cohort_candidate);
        let no_retrafficking = ASYLUM.replace("true", "false");
        assert!(!case(&no_retrafficking, "2023-01-10", "1990-01-01").ktt_cohort_candidate);
        let deported = format!("{ASYLUM}[immigration.deportation]\nstatus = \"order_made\"\n");
        let d = case(&deported, "2023-01-10", "1990-01-01");
        assert!(d.ktt_cohort_candidate && d.ktt_excluded_by_deportation && d.deportation_blocker);
        assert!(d.warnings.iter().any(|w| w.code == "ktt-unavailable"));
    }

    #[test]
    fn child_status_is_tested_at_each_date_not_only_today() {
        // 18 on 16 November 2026, the letter date: a child at the CG, an adult now.
        let d = case("", "2026-01-10", "2008-11-16");
        assert!(d.child_at_cg && !d.child_at_letter && d.child_now_adult);
        assert_eq!(d.months_until_18, 0);
        assert!(d.transition_to_adulthood);
        assert_eq!(
            d.duration.months, 60,
            "a child at the CG gets the durable-solution default"
        );
        // One day younger: still a child on the letter date.
        let d = case("", "2026-01-10", "2008-11-17");
        assert!(d.child_at_letter && !d.child_now_adult);
        assert_eq!(d.age["letter"].claimed, "17 years 11 months");
    }

    #[test]
    fn disputed_age_computes_both_ages_and_argues_child_first() {
        let d = case("", "2026-01-10", "2010-03-01");
        assert!(!d.age_disputed);
        let d2 = case_with(
            "dob_accepted = 2007-03-01\nage_dispute = \"challenged_jr\"",
            "",
            "2026-01-10",
            "2009-03-01",
        );
        assert!(d.age.get("letter").is_some_and(|a| a.accepted.is_none()));
        assert!(d2.age_disputed && d2.adult_in_alternative && d2.child_at_letter);
        assert_eq!(d2.age["letter"].claimed, "17 years 8 months");
        assert_eq!(
            d2.age["letter"].accepted.as_deref(),
            Some("19 years 8 months")
        );
    }

    #[test]
    fn cica_limit_is_two_years_from_when_time_runs() {
        let within = "[compensation.cica]\nstatus = \"lodged\"\nlodged_date = 2025-06-13\ntime_runs_from = 2023-06-14\n";
        assert!(!case(within, "2026-01-10", "1990-01-01").cica_out_of_time);
        let late = within.replace("2025-06-13", "2025-06-15");
        assert!(case(&late, "2026-01-10", "1990-01-01").cica_out_of_time);
        let never = "[compensation.cica]\ntime_runs_from = \"2023-06\"\n";
        let d = case(never, "2026-01-10", "1990-01-01");
        assert!(d.cica_out_of_time && !d.grounds.compensation);
        assert!(d.warnings.iter().any(|w| w.code == "cica-out-of-time"));
    }

    #[test]
    fn delays_and_duration_rules() {
        let d = case(
            "[nrm]\nreferral_date = 2024-01-10\n",
            "2026-01-10",
            "1990-01-01",
        );
        assert_eq!(d.delay_referral_to_cg_days, Some(731));
        assert!(d.home_office_delay);
        assert_eq!(d.duration.months, 30);
        let trial = "[criminal_justice]\ninvestigation = \"trial_listed\"\nclient_role = \"witness\"\ntrial_date = 2029-11-20\n";
        let d = case(trial, "2026-01-10", "1990-01-01");
        assert_eq!(d.trial_months_away, Some(36));
        assert_eq!(d.duration.months, 42, "months to trial + 6");
    }

    #[test]
    fn derived_paths_list_matches_the_serialised_struct() {
        let d = case(ASYLUM, "2023-01-29", "1990-01-01");
        let json = serde_json::to_value(&d).unwrap();
        for key in json.as_object().unwrap().keys() {
            assert!(
                DERIVED_PATHS.contains(&key.as_str()),
                "`derived.{key}` is missing from DERIVED_PATHS"
            );
        }
    }
}
