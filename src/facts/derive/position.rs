//! The immigration position: delays, the asylum claim, deportation, and the KTT cohort.

use chrono::NaiveDate;
use serde::Serialize;

use crate::facts::model::{AsylumStatus, Case, DeportationStatus, Outcome};

/// The date from which conclusive grounds decisions fall under s.65 NABA 2022 and Appendix VTS
/// rather than the old discretionary leave policy (SI 2023/33).
pub const VTS_COMMENCEMENT: &str = "2023-01-30";

/// [`VTS_COMMENCEMENT`] as a date.
pub fn commencement() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 30).expect("valid date")
}

/// Delays and the client's immigration position.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Position {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_referral_to_cg_days: Option<i64>,
    pub delay_cg_to_letter_days: i64,
    pub home_office_delay: bool,
    /// Whether the protection claim was pending on the date of the conclusive grounds decision:
    /// made on or before it, and not finally determined until after it.
    pub protection_claim_pending_at_cg: bool,
    pub ktt_cohort_candidate: bool,
    pub ktt_excluded_by_deportation: bool,
    pub deportation_blocker: bool,
    pub asylum_pending: bool,
}

pub fn position(case: &Case) -> Position {
    let letter = case.matter.letter_date.0;
    let cg = &case.nrm.cg_decision;
    let delay_referral_to_cg_days = case
        .nrm
        .referral_date
        .map(|r| (cg.date.0 - r.earliest()).num_days());
    let delay_cg_to_letter_days = (letter - cg.date.0).num_days();
    let home_office_delay = delay_referral_to_cg_days.is_some_and(|d| d > 365)
        || (case.matter.previous_decisions.is_empty() && delay_cg_to_letter_days > 180);
    let asylum = &case.immigration.asylum;
    let deportation_blocker = matches!(
        case.immigration.deportation.status,
        DeportationStatus::ProceedingsStarted | DeportationStatus::OrderMade
    );
    let protection_claim_pending_at_cg = asylum.status != AsylumStatus::NotClaimed
        && asylum.claim_date.is_some_and(|c| c.0 <= cg.date.0)
        && asylum
            .final_determination_date
            .is_none_or(|f| f.0 > cg.date.0);
    let ktt_cohort_candidate = cg.outcome != Outcome::Negative
        && cg.date.0 < commencement()
        && asylum.basis_includes_retrafficking
        && protection_claim_pending_at_cg;
    Position {
        delay_referral_to_cg_days,
        delay_cg_to_letter_days,
        home_office_delay,
        protection_claim_pending_at_cg,
        ktt_cohort_candidate,
        ktt_excluded_by_deportation: ktt_cohort_candidate && deportation_blocker,
        deportation_blocker,
        asylum_pending: matches!(
            asylum.status,
            AsylumStatus::PendingInitial | AsylumStatus::Refused | AsylumStatus::AppealPending
        ),
    }
}
