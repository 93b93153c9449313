//! Routes and proceedings beside the VTS claim: compensation, the criminal case, the domestic
//! worker route, family, convictions and the last refusal.

use serde::Serialize;

use super::child::is_child;
use crate::facts::date::{Date, Precision, birthday, months_between};
use crate::facts::model::{
    Case, CicaStatus, ClaimStatus, ClientRole, InvestigationStatus, LetterMode,
    NonPunishmentOutcome, PreviousDecisionKind, VisaCategory,
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
    /// The CICA application was lodged in a month or year that the two-year limit ends within,
    /// so whether it was in time turns on the day (`cica_out_of_time` is then false).
    pub cica_time_undecided: bool,
    pub has_dependants_in_uk: bool,
    pub has_convictions: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_refusal: Option<Refusal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trial_months_away: Option<i64>,
    /// A dependent child of the client in the UK at the letter date.
    pub dependent_child_in_uk: bool,
    /// For a reconsideration: 30 calendar days after the most recent earlier decision, the time
    /// the caseworker guidance gives for a request (reported 2025; see `vts_reconsideration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconsideration_deadline: Option<Date>,
    /// A reconsideration whose letter date is after that deadline.
    pub reconsideration_out_of_time: bool,
    /// The most recent earlier decision was made while the client was a child (claimed date of
    /// birth).
    pub last_decision_as_child: bool,
    /// The client holds leave that has not expired by the letter date (an in-time application
    /// for an extension keeps it running: s.3C Immigration Act 1971).
    pub current_leave_unexpired: bool,
    /// A conviction with a custodial sentence of 12 months or more (`sentence_months`), which
    /// may fall within the cases s.63(3) NABA 2022 lists as a threat to public order.
    pub sentence_12_months_or_more: bool,
    /// Proceedings against the client ended in a way that leaves no conviction to weigh: a
    /// conviction quashed, or the statutory defence for victims accepted.
    pub no_conviction_stands: bool,
    /// A prosecution of the client was discontinued because the client is a victim.
    pub prosecution_discontinued_as_victim: bool,
    /// A conviction of the client was quashed.
    pub conviction_quashed: bool,
    /// The statutory defence for victims (s.45 MSA 2015 or its equivalent) was accepted.
    pub s45_defence_accepted: bool,
}

/// Calendar days the caseworker guidance gives for a reconsideration request.
pub const RECONSIDERATION_DAYS: i64 = 30;

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
        ClientRole::Complainant
            | ClientRole::Witness
            | ClientRole::KeyWitness
            | ClientRole::PotentialWitness
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
    // How proceedings against the client ended, as recorded.
    let outcome = |o: NonPunishmentOutcome| {
        case.suitability
            .non_punishment
            .iter()
            .any(|n| n.outcome == o)
    };
    let conviction_quashed = outcome(NonPunishmentOutcome::ConvictionQuashed);
    let s45_defence_accepted = outcome(NonPunishmentOutcome::S45DefenceAccepted);
    // Out of time only when every day the application could have been lodged is after the
    // limit (itself from the latest day time could run from); a lodging month that straddles
    // the limit leaves it open (`cica_time_undecided`) and a warning asks for the day.
    let cica_limit = cica.time_runs_from.map(|from| birthday(from.latest(), 2));
    let cica_out_of_time =
        cica_limit.is_some_and(|limit| cica.lodged_date.map_or(letter, |d| d.earliest()) > limit);
    let cica_time_undecided = cica_limit.is_some_and(|limit| {
        cica.lodged_date
            .is_some_and(|d| d.earliest() <= limit && d.latest() > limit)
    });
    let dwms_route = case.immigration.visas.iter().any(|v| {
        matches!(
            v.category,
            VisaCategory::OverseasDomesticWorker
                | VisaCategory::DomesticWorkerPrivateHousehold
                | VisaCategory::DiplomaticHouseholdServant
        )
    });
    // 28 days from the CG decision: a day only when the decision's day is known. Over a month
    // or a year the deadline has certainly passed if it passed from the latest day the decision
    // could be; otherwise a warning asks for the day.
    let cg = case.nrm.cg_decision.date;
    let dwms_deadline = (dwms_route && cg.precision() == Precision::Day)
        .then(|| Date(cg.earliest() + chrono::Duration::days(28)));
    let dwms_deadline_passed = dwms_route && cg.latest() + chrono::Duration::days(28) < letter;
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
    let last_decision = case.matter.previous_decisions.iter().max_by_key(|d| d.date);
    let reconsideration_deadline = last_decision
        .filter(|_| case.matter.letter_mode == LetterMode::Reconsideration)
        .map(|d| Date(d.date.0 + chrono::Duration::days(RECONSIDERATION_DAYS)));
    Routes {
        cica_out_of_time,
        dwms_route,
        dwms_deadline,
        dwms_deadline_passed,
        cica_time_undecided,
        has_dependants_in_uk: case.family.dependants.iter().any(|d| d.in_uk),
        has_convictions: !case.suitability.convictions.is_empty(),
        last_refusal,
        trial_months_away: case
            .criminal_justice
            .trial_date
            .filter(|t| t.0 >= letter)
            .map(|t| months_between(letter, t.0)),
        dependent_child_in_uk: dependent_child_in_uk(case),
        reconsideration_deadline,
        reconsideration_out_of_time: reconsideration_deadline.is_some_and(|d| letter > d.0),
        last_decision_as_child: last_decision
            .is_some_and(|d| is_child(case.client.dob_claimed.0, d.date.0)),
        current_leave_unexpired: case
            .immigration
            .current_leave
            .as_ref()
            .is_some_and(|l| l.expiry.0 >= letter),
        sentence_12_months_or_more: case
            .suitability
            .convictions
            .iter()
            .any(|c| c.sentence_months.is_some_and(|m| m >= 12)),
        no_conviction_stands: conviction_quashed || s45_defence_accepted,
        prosecution_discontinued_as_victim: outcome(NonPunishmentOutcome::DiscontinuedAsVictim),
        conviction_quashed,
        s45_defence_accepted,
    }
}
