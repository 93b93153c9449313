//! Warnings: what a practitioner must see before relying on the letter, rather than have
//! papered over: grounds that are not available, time limits, pauses, missing evidence.

use super::Derived;
use super::position::commencement;
use crate::diag::{Code, Diagnostic};
use crate::facts::date::{Date, birthday};
use crate::facts::load::LoadedCase;
use crate::facts::model::*;

/// The warnings a practitioner must see rather than have papered over (brief section 8).
pub fn warnings(loaded: &LoadedCase, d: &Derived) -> Vec<Diagnostic> {
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
        let why = if d.routes.cica_out_of_time && case.compensation.cica.status == CicaStatus::None
        {
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
    if d.routes.cica_out_of_time {
        warn(
            Code::CicaOutOfTime,
            "compensation.cica.time_runs_from",
            "the CICA two-year time limit has passed; an application now depends on the exceptional-circumstances discretion".into(),
            "record why the claim could not be made in time (e.g. the client's mental health, or not knowing of the scheme)",
        );
    }
    if d.grounds.recovery && !d.evidence.registered_medical_evidence {
        warn(
            Code::NoRegisteredEvidence,
            "evidence",
            "the recovery ground has no enclosed evidence from a registered healthcare professional; the VTS guidance (v4.0) says such evidence should be provided".into(),
            "request a letter or report from a GMC, HCPC or NMC registered clinician and record its registration",
        );
    }
    if d.grounds.recovery && !d.evidence.causation_evidenced {
        warn(
            Code::CausationNotEvidenced,
            "health.conditions",
            "no enclosed evidence links a health condition to the exploitation accepted in the CG decision (s.65(2)(a) \"arising from the relevant exploitation\")".into(),
            "ask the clinician to address causation and set `linked_to_exploitation = true` on the condition",
        );
    }
    if d.grounds.recovery
        && !d.evidence.registered_medical_evidence
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
    // The cohort's edges turn on dates the law has been argued over (VLT; SSHD v S): flag them
    // for a check rather than decide them. Over a month or a year, only a certain edge counts.
    let asylum = &case.immigration.asylum;
    let near_the_line = asylum.basis_includes_retrafficking
        && cg_date.before(commencement()) == Some(true)
        && (asylum.claim_date.is_some_and(|c| {
            c.on_or_before(&cg_date) == Some(false) && c.before(commencement()) == Some(true)
        }) || (d.position.ktt_cohort_candidate && !d.position.asylum_pending));
    if near_the_line {
        warn(
            Code::KttCheck,
            "immigration.asylum",
            "KTT cohort on the edge: the protection claim was made after the CG decision but before 30 January 2023, or it was outstanding at the CG decision but is not outstanding now".into(),
            "check the transitional provisions and VLT [2024] UKUT 67 (IAC) on these dates before relying on, or ruling out, a KTT request",
        );
    }
    for u in &d.child.undecided {
        warn(
            Code::DayNeeded,
            &u.field,
            format!(
                "{} is dated only {}, and the client turned 18 within it (on {}), so {} depends on the day; the letter does not argue it either way",
                u.event,
                u.date.uk(),
                Date(birthday(case.client.dob_claimed.0, 18)).uk(),
                u.matters_for
            ),
            "record the full date (`YYYY-MM-DD`) from the document that gives it",
        );
    }
    if d.position.ktt_cohort_undecided {
        let dates: Vec<String> = super::position::ktt_open_dates(case)
            .into_iter()
            .map(|(what, date)| format!("{what} ({})", date.uk()))
            .collect();
        warn(
            Code::DayNeeded,
            "nrm.cg_decision.date",
            format!(
                "whether the client is in the KTT cohort (an asylum claim outstanding at a CG decision before 30 January 2023) depends on the day of {}; the letter does not rely on the cohort",
                dates.join(" and ")
            ),
            "record the full dates (`YYYY-MM-DD`) from the decision letters",
        );
    }
    if d.routes.cica_time_undecided
        && let Some(lodged) = case.compensation.cica.lodged_date
    {
        warn(
            Code::DayNeeded,
            "compensation.cica.lodged_date",
            format!(
                "the CICA two-year time limit ends within {}, when the application was lodged, so whether it was in time depends on the day",
                lodged.uk()
            ),
            "record the day the application was lodged (`YYYY-MM-DD`)",
        );
    }
    if d.position.ktt_excluded_by_deportation {
        warn(
            Code::KttUnavailable,
            "immigration.deportation.status",
            "KTT route not open: the client is in the KTT cohort but the transitional provisions exclude people subject to deportation orders or proceedings (SSHD v S [2025] EWCA Civ 188; Supreme Court appeal pending)".into(),
            "",
        );
    } else if !d.position.ktt_cohort_candidate
        && !d.position.ktt_cohort_undecided
        && !near_the_line
        && (case.immigration.asylum.basis_includes_retrafficking
            || case.matter.letter_mode == LetterMode::KttDlRequest)
    {
        let why = if cg_date.before(commencement()) == Some(false) {
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
    if case.immigration.deportation.status == DeportationStatus::OrderMade {
        warn(
            Code::DeportationPause,
            "immigration.deportation.status",
            "the Home Office paused VTS decisions for people subject to deportation orders (GOV.UK notice of 6 February 2025, clarified 9 June 2025); expect no decision while the pause lasts".into(),
            "before sending, check that the pause is still in force, and the outcome of R (S) v SSHD (UKSC/2025/0082)",
        );
    }
    if d.position.deportation_blocker && d.position.ktt_cohort_candidate {
        warn(
            Code::DeportationPause,
            "immigration.deportation.status",
            "decisions that need a KTT discretionary leave consideration were paused where there are deportation proceedings (Discretionary Leave landing page, updated 25 March 2025)".into(),
            "before sending, check that this pause is still in force; it is separate from the pause on VTS decisions for deportation orders",
        );
    }
    if d.routes.sentence_12_months_or_more {
        warn(
            Code::PublicOrderDeeming,
            "suitability.convictions",
            "a conviction with a custodial sentence of 12 months or more may fall within the cases s.63(3) NABA 2022 lists as a threat to public order; the letter argues that disqualification is still a discretion".into(),
            "check each conviction and sentence against s.63(3) (the limb for sentences of 12 months or more was not read in the statute: see `naba_s63_3`)",
        );
    }
    if d.routes.dwms_route && d.routes.dwms_deadline.is_none() {
        let message = if d.routes.dwms_deadline_passed {
            format!(
                "an Appendix DWMS application (form FLR(IR)) was due within 28 days of the CG decision, made in {}; that time has passed",
                cg_date.uk()
            )
        } else {
            format!(
                "an Appendix DWMS application (form FLR(IR)) may be due within 28 days of the CG decision, but its date is known only as {}, so the last day cannot be worked out",
                cg_date.uk()
            )
        };
        warn(
            Code::DayNeeded,
            "nrm.cg_decision.date",
            message,
            "record the day of the CG decision (`YYYY-MM-DD`) from the decision letter",
        );
    }
    if let Some(deadline) = d.routes.dwms_deadline {
        let message = if d.routes.dwms_deadline_passed {
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
    if let (LetterMode::Reconsideration, Some(refusal)) =
        (case.matter.letter_mode, &d.routes.last_refusal)
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
    if let (true, Some(deadline)) = (
        d.routes.reconsideration_out_of_time,
        d.routes.reconsideration_deadline,
    ) {
        warn(
            Code::ReconsiderationOutOfTime,
            "matter.letter_date",
            format!(
                "the caseworker guidance asks for a reconsideration request within 30 calendar days of the decision, by {}; this letter is dated after that",
                deadline.uk()
            ),
            "the letter asks for the request to be considered out of time and why; also consider another route (judicial review has its own time limit)",
        );
    }
    if d.child.adult_in_alternative {
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
                    crate::diag::clip(&e.description, 60)
                ),
                "",
            );
        }
    }
    // A planned end that has passed while the treatment is recorded as ongoing: the letter
    // says honestly that it was planned to end then and continues, but the file may be stale.
    let letter = case.matter.letter_date.0;
    for (i, t) in case.health.treatments.iter().enumerate() {
        if t.status == TreatmentStatus::Ongoing
            && t.end.is_none()
            && let Some(planned) = t.planned_end.filter(|p| p.latest() < letter)
        {
            warn(
                Code::DateOrder,
                &format!("health.treatments[{i}].planned_end"),
                format!(
                    "treatment {} was planned to end {}, before the letter date, and is recorded as ongoing; the letter says it continues past its planned end",
                    i + 1,
                    planned.uk()
                ),
                "check with the provider: if it has finished, set `status = \"completed\"` and `end`; if it continues, a new `planned_end` makes the letter clearer",
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
