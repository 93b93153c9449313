//! Evidence: what is enclosed and to follow, tab numbers, and the gaps each ground leaves.

use std::collections::BTreeMap;

use serde::Serialize;

use super::child::ChildStatus;
use super::grounds::Grounds;
use super::routes;
use crate::facts::model::{
    Axis, Case, DocType, Evidence, EvidenceStatus, RegistrationBody, TreatmentStatus,
};

const MEDICAL: [DocType; 6] = [
    DocType::MedicoLegalReport,
    DocType::GpLetter,
    DocType::TherapyLetter,
    DocType::CamhsLetter,
    DocType::HospitalLetter,
    DocType::ExpertReport,
];

/// A required-but-missing piece of evidence for one ground.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceGap {
    pub ground: Axis,
    pub message: String,
}

/// What the evidence shows, and what is still to come.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceFacts {
    pub registered_medical_evidence: bool,
    pub causation_evidenced: bool,
    pub treatment_ongoing: bool,
    pub treatment_waiting: bool,
    pub evidence_held: Vec<DocType>,
    pub evidence_to_follow: bool,
    pub recovery_evidence_to_follow: bool,
    /// Whether clinical evidence (a medico-legal report or a GP, therapy, CAMHS or hospital
    /// letter) is requested or awaited: only then may the letter say the clinical evidence is still to come.
    pub clinical_evidence_to_follow: bool,
}

impl EvidenceFacts {
    fn holds(&self, t: DocType) -> bool {
        self.evidence_held.contains(&t)
    }
}

fn enclosed(e: &&Evidence) -> bool {
    e.status == EvidenceStatus::Enclosed
}

fn to_follow(e: &&Evidence) -> bool {
    matches!(
        e.status,
        EvidenceStatus::Requested | EvidenceStatus::Awaited
    )
}

/// Whether evidence `id` is enclosed.
fn is_enclosed(case: &Case, id: &str) -> bool {
    case.evidence
        .iter()
        .any(|e| e.id == id && e.status == EvidenceStatus::Enclosed)
}

/// Evidence id → tab number, for enclosed documents in the order listed.
pub fn tabs(case: &Case) -> BTreeMap<String, u32> {
    case.evidence
        .iter()
        .filter(enclosed)
        .enumerate()
        .map(|(n, e)| (e.id.clone(), n as u32 + 1))
        .collect()
}

pub fn evidence(case: &Case) -> EvidenceFacts {
    let mut evidence_held: Vec<DocType> = Vec::new();
    for e in case.evidence.iter().filter(enclosed) {
        if !evidence_held.contains(&e.doc_type) {
            evidence_held.push(e.doc_type);
        }
    }
    let treatments = &case.health.treatments;
    let treatment_ongoing = treatments
        .iter()
        .any(|t| t.status == TreatmentStatus::Ongoing);
    EvidenceFacts {
        registered_medical_evidence: case.evidence.iter().filter(enclosed).any(|e| {
            MEDICAL.contains(&e.doc_type)
                && e.registration.as_ref().is_some_and(|r| {
                    matches!(
                        r.body,
                        RegistrationBody::Gmc | RegistrationBody::Hcpc | RegistrationBody::Nmc
                    )
                })
        }),
        causation_evidenced: case.health.conditions.iter().any(|c| {
            c.linked_to_exploitation
                && c.evidence
                    .as_deref()
                    .is_some_and(|id| is_enclosed(case, id))
        }),
        treatment_ongoing,
        treatment_waiting: !treatment_ongoing
            && treatments.iter().any(|t| {
                matches!(
                    t.status,
                    TreatmentStatus::Referred | TreatmentStatus::WaitingList
                )
            }),
        evidence_held,
        evidence_to_follow: case.evidence.iter().any(|e| to_follow(&e)),
        recovery_evidence_to_follow: case
            .evidence
            .iter()
            .filter(to_follow)
            .any(|e| e.supports.contains(&Axis::Recovery)),
        clinical_evidence_to_follow: case
            .evidence
            .iter()
            .filter(to_follow)
            .any(|e| MEDICAL.contains(&e.doc_type) && e.doc_type != DocType::ExpertReport),
    }
}

/// The evidence each available ground needs and the case does not hold.
pub fn gaps(
    case: &Case,
    evidence: &EvidenceFacts,
    grounds: &Grounds,
    child: &ChildStatus,
) -> Vec<EvidenceGap> {
    let mut evidence_gaps = Vec::new();
    let mut gap =
        |ground: Axis, message: String| evidence_gaps.push(EvidenceGap { ground, message });
    if !evidence.holds(DocType::CgDecision) {
        gap(
            Axis::Framework,
            "the conclusive grounds decision letter is not enclosed".into(),
        );
    }
    if grounds.recovery {
        if !evidence.registered_medical_evidence {
            gap(
                Axis::Recovery,
                "no enclosed evidence from a registered healthcare professional (GMC, HCPC or NMC)"
                    .into(),
            );
        }
        if !evidence.causation_evidenced {
            gap(Axis::Recovery, "no enclosed evidence that a condition arises from the exploitation accepted in the CG decision".into());
        }
        if case
            .health
            .treatment_abroad
            .evidence
            .as_deref()
            .is_none_or(|id| !is_enclosed(case, id))
        {
            gap(
                Axis::Recovery,
                "no enclosed country or expert evidence on treatment in the country of return"
                    .into(),
            );
        }
    }
    if routes::cica_live(case) && !evidence.holds(DocType::CicaCorrespondence) {
        gap(Axis::Compensation, "no CICA correspondence enclosed".into());
    }
    if routes::civil_live(case) && !evidence.holds(DocType::CivilClaimDocument) {
        gap(
            Axis::Compensation,
            "no claim document (letter before claim, claim form or ET1) enclosed".into(),
        );
    }
    if grounds.cooperation
        && !evidence.holds(DocType::PoliceLetter)
        && !evidence.holds(DocType::CpsLetter)
    {
        gap(
            Axis::Cooperation,
            "no letter from the police or CPS confirming the investigation and the client's role"
                .into(),
        );
    }
    if grounds.child_best_interests
        && child.child_at_any_key_date
        && !evidence.holds(DocType::SocialWorkerLetter)
        && !evidence.holds(DocType::IctgLetter)
    {
        gap(
            Axis::ChildBestInterests,
            "no social worker or guardian evidence on the child's best interests".into(),
        );
    }
    evidence_gaps
}
