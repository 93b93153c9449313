//! Warnings: what a practitioner must see before relying on the letter, rather than have
//! papered over: grounds that are not available, time limits, pauses, missing evidence.

use super::Derived;
use super::position::commencement;
use crate::diag::{Code, Diagnostic};
use crate::facts::date::Date;
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
    if d.position.ktt_excluded_by_deportation {
        warn(
            Code::KttUnavailable,
            "immigration.deportation.status",
            "KTT route not open: the client is in the KTT cohort but the transitional provisions exclude people subject to deportation orders or proceedings (SSHD v S [2025] EWCA Civ 188; Supreme Court appeal pending)".into(),
            "",
        );
    } else if !d.position.ktt_cohort_candidate
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
    if d.position.deportation_blocker {
        warn(
            Code::DeportationPause,
            "immigration.deportation.status",
            "the Home Office paused VTS decisions for people subject to deportation orders (from 6 February 2025) and proceedings (from 9 June 2025); expect no decision until the pause ends".into(),
            "check the current caseworker guidance and the outcome of R (S) v SSHD (UKSC/2025/0082)",
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
