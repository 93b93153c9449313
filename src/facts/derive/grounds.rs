//! Grounds: which of the purposes and considerations the facts make available.

use serde::Serialize;

use super::child::ChildStatus;
use super::position::Position;
use super::routes::{self, Routes};
use crate::facts::model::Case;

/// Which grounds the facts make available.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Grounds {
    pub recovery: bool,
    pub compensation: bool,
    pub cooperation: bool,
    pub personal_situation: bool,
    pub child_best_interests: bool,
}

pub fn grounds(case: &Case, child: &ChildStatus, position: &Position, routes: &Routes) -> Grounds {
    Grounds {
        recovery: !case.health.conditions.is_empty() || !case.health.treatments.is_empty(),
        compensation: routes::cica_live(case) || routes::civil_live(case),
        cooperation: routes::cooperating(case),
        personal_situation: position.asylum_pending
            || case.exploitation.ongoing_threats
            || case.exploitation.traffickers_in_home_area
            || case.exploitation.debt_outstanding
            || routes.has_dependants_in_uk
            || routes.dwms_route
            || position.home_office_delay
            || position.ktt_cohort_candidate,
        child_best_interests: child.child_at_any_key_date || routes::dependent_child_in_uk(case),
    }
}
