//! Routes and proceedings beside the VTS claim: compensation, the criminal case, the domestic
//! worker route, family, convictions and the last refusal.

use serde::Serialize;

use super::child::is_child;
use crate::facts::date::{Date, birthday, months_between};
use crate::facts::model::{
    Case, CicaStatus, ClaimStatus, ClientRole, InvestigationStatus, PreviousDecisionKind,
    VisaCategory,
};

/// The most recent refusal being reconsidered.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Refusal {
    pub kind: PreviousDecisionKind,
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons_summary: Option<String>,
}

/// Facts about the other routes and proceedings.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Routes {
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
}

/// A criminal injuries claim that is being prepared or pursued.
pub fn cica_live(case: &Case) -> bool {
    matches!(
        case.compensation.cica.status,
        CicaStatus::Preparing | CicaStatus::Lodged | CicaStatus::Review | CicaStatus::Appeal
    )
}

/// A civil or employment claim not yet concluded.
pub fn civil_live(case: &Case) -> bool {
    case.compensation
        .civil_claims
        .iter()
        .any(|c| c.status != ClaimStatus::Concluded)
}

/// A live investigation or prosecution in which the client takes part.
pub fn cooperating(case: &Case) -> bool {
    let cj = &case.criminal_justice;
    matches!(
        cj.investigation,
        InvestigationStatus::Open | InvestigationStatus::Charged | InvestigationStatus::TrialListed
    ) && matches!(
        cj.client_role,
        ClientRole::Complainant | ClientRole::Witness | ClientRole::PotentialWitness
    )
}

/// A dependent child of the client in the UK at the letter date.
pub fn dependent_child_in_uk(case: &Case) -> bool {
    let letter = case.matter.letter_date.0;
    case.family
        .dependants
        .iter()
        .any(|d| d.in_uk && is_child(d.dob.0, letter))
}

pub fn routes(case: &Case) -> Routes {
    let letter = case.matter.letter_date.0;
    let cica = &case.compensation.cica;
    let cica_out_of_time = cica.time_runs_from.is_some_and(|from| {
        let limit = birthday(from.latest(), 2);
        let measured = cica.lodged_date.map_or(letter, |d| d.0);
        measured > limit
    });
    let dwms_route = case.immigration.visas.iter().any(|v| {
        matches!(
            v.category,
            VisaCategory::OverseasDomesticWorker
                | VisaCategory::DomesticWorkerPrivateHousehold
                | VisaCategory::DiplomaticHouseholdServant
        )
    });
    let cg = case.nrm.cg_decision.date.0;
    let dwms_deadline = dwms_route.then(|| Date(cg + chrono::Duration::days(28)));
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
    Routes {
        cica_out_of_time,
        dwms_route,
        dwms_deadline,
        dwms_deadline_passed: dwms_deadline.is_some_and(|d| d.0 < letter),
        has_dependants_in_uk: case.family.dependants.iter().any(|d| d.in_uk),
        has_convictions: !case.suitability.convictions.is_empty(),
        last_refusal,
        trial_months_away: case
            .criminal_justice
            .trial_date
            .filter(|t| t.0 >= letter)
            .map(|t| months_between(letter, t.0)),
    }
}
