//! The immigration position: delays, the asylum claim, deportation, and the KTT cohort.

use chrono::NaiveDate;
use serde::Serialize;

use crate::facts::date::{PartialDate, Precision};
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
    /// Whether the client is in the KTT cohort turns on a day the case does not give (a date
    /// known only to the month or year); `ktt_cohort_candidate` is then false and a warning
    /// asks for the day.
    pub ktt_cohort_undecided: bool,
}

pub fn position(case: &Case) -> Position {
    let letter = case.matter.letter_date.0;
    let cg = &case.nrm.cg_decision;
    // Over a month or a year the delays are the shortest they could be: a claim of delay is
    // then never overstated.
    let delay_referral_to_cg_days = case
        .nrm
        .referral_date
        .map(|r| (cg.date.earliest() - r.earliest()).num_days());
    let delay_cg_to_letter_days = (letter - cg.date.latest()).num_days();
    let home_office_delay = delay_referral_to_cg_days.is_some_and(|d| d > 365)
        || (case.matter.previous_decisions.is_empty() && delay_cg_to_letter_days > 180);
    let asylum = &case.immigration.asylum;
    let deportation_blocker = matches!(
        case.immigration.deportation.status,
        DeportationStatus::ProceedingsStarted | DeportationStatus::OrderMade
    );
    let ktt = ktt_cohort(case);
    let ktt_cohort_candidate = ktt == Some(true);
    let protection_claim_pending_at_cg = protection_claim_pending_at_cg(case) == Some(true);
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
        ktt_cohort_undecided: ktt.is_none(),
    }
}

/// Whether the client is a KTT cohort candidate: a positive CG decision before 30 January 2023,
/// with an asylum claim resting in part on a fear of re-trafficking made by, and outstanding on,
/// that date. `None` when the answer turns on a day the case does not give (a CG decision, a
/// claim or a final determination known only to the month or year around one of those edges):
/// `derive::warnings` then asks for it, and the letter does not rely on the cohort.
pub fn ktt_cohort(case: &Case) -> Option<bool> {
    let cg = &case.nrm.cg_decision;
    let asylum = &case.immigration.asylum;
    if cg.outcome == Outcome::Negative
        || !asylum.basis_includes_retrafficking
        || asylum.status == AsylumStatus::NotClaimed
    {
        return Some(false);
    }
    all_of(&[
        cg.date.before(commencement()),
        protection_claim_pending_at_cg(case),
    ])
}

/// Whether a protection claim was pending when the CG decision was made: made on or before it
/// and finally determined only after it. `None` when that turns on a day the case does not give.
pub fn protection_claim_pending_at_cg(case: &Case) -> Option<bool> {
    let cg = &case.nrm.cg_decision;
    let asylum = &case.immigration.asylum;
    if asylum.status == AsylumStatus::NotClaimed {
        return Some(false);
    }
    let claimed_by_cg = match &asylum.claim_date {
        Some(c) => c.on_or_before(&cg.date),
        None => Some(false),
    };
    let outstanding_at_cg = match &asylum.final_determination_date {
        // Outstanding at the CG decision: finally determined only after it.
        Some(f) => f.on_or_before(&cg.date).map(|on_or_before| !on_or_before),
        None => Some(true),
    };
    all_of(&[claimed_by_cg, outstanding_at_cg])
}

/// Several conditions that must all hold: a definite "no" on any settles it, whatever the
/// others leave open; otherwise open if any is.
fn all_of(parts: &[Option<bool>]) -> Option<bool> {
    if parts.contains(&Some(false)) {
        Some(false)
    } else if parts.iter().all(|p| *p == Some(true)) {
        Some(true)
    } else {
        None
    }
}

/// The dates, known only to the month or year, on whose day the KTT cohort turns (in words and
/// as written), for the warning that asks for them: the CG decision's against 30 January 2023,
/// and the claim's or the final determination's against the CG decision's.
pub fn ktt_open_dates(case: &Case) -> Vec<(&'static str, PartialDate)> {
    let cg = case.nrm.cg_decision.date;
    let asylum = &case.immigration.asylum;
    let mut out = Vec::new();
    let mut open = |what: &'static str, date: PartialDate| {
        if date.precision() != Precision::Day && !out.iter().any(|(w, _)| *w == what) {
            out.push((what, date));
        }
    };
    if cg.before(commencement()).is_none() {
        open("the CG decision", cg);
    }
    if let Some(c) = asylum.claim_date
        && c.on_or_before(&cg).is_none()
    {
        open("the CG decision", cg);
        open("the asylum claim", c);
    }
    if let Some(f) = asylum.final_determination_date
        && f.on_or_before(&cg).is_none()
    {
        open("the CG decision", cg);
        open("the final determination", f);
    }
    out
}
