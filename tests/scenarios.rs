//! The brief's scenarios (section 8) and our own: the clauses and warnings a competent
//! practitioner would expect, and the ones that must not appear.

use crate::support::{root, toolkit};

struct Expect {
    case: &'static str,
    selected: &'static [&'static str],
    not_selected: &'static [&'static str],
    warnings: &'static [&'static str],
    not_warnings: &'static [&'static str],
    months: u32,
}

fn check(e: &Expect) {
    let prepared = vtsdraft::prepare(toolkit(), &root().join(e.case), None)
        .unwrap_or_else(|d| panic!("{}: {d:#?}", e.case));
    let selected = prepared.selection.selected_ids();
    for id in e.selected {
        assert!(
            selected.contains(id),
            "{}: expected `{id}` to be selected; selected: {selected:?}",
            e.case
        );
    }
    for id in e.not_selected {
        assert!(
            !selected.contains(id),
            "{}: `{id}` must not be selected",
            e.case
        );
    }
    let codes: Vec<&str> = prepared.warnings.iter().map(|w| w.code.as_str()).collect();
    for code in e.warnings {
        assert!(
            codes.contains(code),
            "{}: expected warning `{code}`; got {codes:?}",
            e.case
        );
    }
    for code in e.not_warnings {
        assert!(
            !codes.contains(code),
            "{}: unexpected warning `{code}`",
            e.case
        );
    }
    assert_eq!(
        prepared.derived.duration.months, e.months,
        "{}: months requested",
        e.case
    );
    // Framework scaffolding is always there.
    for id in [
        "fw.intro_request",
        "fw.cg_accepted_facts",
        "fw.chronology",
        "fw.legal_framework",
        "fw.request_and_reasons",
        "dur.requested_duration",
    ] {
        assert!(selected.contains(&id), "{}: `{id}` missing", e.case);
    }
    // Each ground brings its carve-out rebuttal.
    if prepared.derived.grounds.recovery {
        assert!(
            selected.contains(&"rec.needs_not_met_abroad"),
            "{}: recovery without the s.65(4)(a) rebuttal",
            e.case
        );
    }
    if prepared.derived.grounds.compensation {
        assert!(
            selected.contains(&"comp.cannot_pursue_from_abroad"),
            "{}: compensation without the s.65(4)(b) rebuttal",
            e.case
        );
    }
}

#[test]
fn scenario_1_adult_vietnam_asylum_pending() {
    check(&Expect {
        case: "examples/thi-h/case.toml",
        selected: &[
            "rec.diagnosis_registered_professional",
            "rec.causal_link_relevant_exploitation",
            "rec.treatment_plan_ongoing",
            "rec.needs_not_met_abroad",
            "rec.return_undermines_recovery",
            "comp.cica_claim",
            "comp.cannot_pursue_from_abroad",
            "ps.asylum_pending_retrafficking",
        ],
        not_selected: &[
            "ps.ktt_cohort_dl_v10",
            "coop.police_investigation",
            "ch.s55_best_interests",
        ],
        warnings: &["ktt-unavailable", "ground-unavailable"],
        not_warnings: &["no-registered-evidence", "cica-out-of-time"],
        months: 30,
    });
}

#[test]
fn scenario_3_reconsideration_after_refusal() {
    check(&Expect {
        case: "examples/d-t-reconsideration/case.toml",
        selected: &[
            "fw.previous_decision_reconsideration",
            "fw.holistic_victim_centred",
            "rec.causal_link_relevant_exploitation",
            "rec.needs_not_met_abroad",
            "rec.status_precondition_for_therapy",
            "ps.home_office_delay",
            "ps.asylum_pending_context",
        ],
        // The asylum claim is not based on re-trafficking: context only, no KTT-style argument.
        not_selected: &["ps.asylum_pending_retrafficking", "ps.ktt_cohort_dl_v10"],
        warnings: &["jr-time-limit"],
        not_warnings: &["reconsideration-needed", "ktt-unavailable"],
        months: 30,
    });
}

#[test]
fn scenario_6_thin_case_warns_and_invents_nothing() {
    check(&Expect {
        case: "examples/g-o-thin/case.toml",
        selected: &[
            "rec.waiting_list",
            "rec.support_needs_rna",
            "rec.needs_not_met_abroad",
            "fw.trauma_and_evidence_gaps",
            "fw.evidence_to_follow",
            "fw.defer_pending_evidence",
            "ps.destitution_without_status",
        ],
        not_selected: &[
            "rec.diagnosis_registered_professional",
            "rec.causal_link_relevant_exploitation",
            "comp.cica_claim",
            "coop.police_investigation",
        ],
        warnings: &[
            "no-registered-evidence",
            "causation-not-evidenced",
            "cica-out-of-time",
            "high-refusal-risk",
            "ground-unavailable",
            "evidence-to-follow",
        ],
        not_warnings: &[],
        months: 30,
    });
    // No tab numbers are invented for documents not yet held.
    let prepared =
        vtsdraft::prepare(toolkit(), &root().join("examples/g-o-thin/case.toml"), None).unwrap();
    let enclosed = prepared
        .loaded
        .case
        .evidence
        .iter()
        .filter(|e| e.status == vtsdraft::facts::model::EvidenceStatus::Enclosed)
        .count();
    let text = prepared.document.plain_text();
    assert!(
        !text.contains(&format!("Tab {}", enclosed + 1)),
        "a tab beyond the enclosed documents was cited"
    );
    assert!(
        text.contains("to follow"),
        "the letter must say the evidence will follow"
    );
}

#[test]
fn scenario_7_domestic_worker_parallel_route() {
    check(&Expect {
        case: "examples/s-w-dwms/case.toml",
        selected: &[
            "ps.alternative_route_dwms",
            "comp.civil_or_employment_claim",
            "comp.cannot_pursue_from_abroad",
            "rec.diagnosis_registered_professional",
        ],
        not_selected: &["comp.cica_claim"],
        warnings: &["dwms-deadline"],
        not_warnings: &[],
        months: 30,
    });
}

#[test]
fn child_at_the_decision_date_gets_the_child_first_letter() {
    check(&Expect {
        case: "examples/child-at-decision/case.toml",
        selected: &[
            "ch.s55_best_interests",
            "ch.ecat_14_2_child_permit",
            "ch.looked_after_care_leaver",
            "ch.ictg_social_worker_views",
            "ch.missing_episodes_risk",
            "ch.education_development",
            "ch.criminal_exploitation_non_punishment",
            "ch.durable_solution_5_years",
            "coop.police_investigation",
        ],
        not_selected: &["ch.age_dispute", "ch.child_at_decision_date"],
        warnings: &[],
        not_warnings: &["age-disputed"],
        months: 60,
    });
}

#[test]
fn age_disputed_young_person_is_argued_child_first_with_adult_alternative() {
    check(&Expect {
        case: "examples/age-disputed/case.toml",
        selected: &[
            "ch.age_dispute",
            "ch.s55_best_interests",
            "ch.transition_to_adulthood",
            "ch.durable_solution_5_years",
        ],
        not_selected: &["ch.age_dispute_pending"],
        warnings: &["age-disputed"],
        not_warnings: &[],
        months: 60,
    });
}

#[test]
fn prosecution_witness_with_a_trial_date() {
    check(&Expect {
        case: "examples/trial-witness/case.toml",
        selected: &[
            "coop.prosecution_witness_trial",
            "comp.criminal_reparation_order",
            "comp.civil_or_employment_claim",
        ],
        not_selected: &["coop.police_investigation"],
        warnings: &["evidence-to-follow"],
        not_warnings: &["ground-unavailable"],
        months: 30,
    });
    let prepared = vtsdraft::prepare(
        toolkit(),
        &root().join("examples/trial-witness/case.toml"),
        None,
    )
    .unwrap();
    assert!(
        prepared
            .derived
            .flags
            .iter()
            .any(|f| f.starts_with("TRIAL LISTED")),
        "{:?}",
        prepared.derived.flags
    );
}

#[test]
fn conviction_and_deportation_exclude_the_ktt_route() {
    check(&Expect {
        case: "examples/conviction-deportation/case.toml",
        selected: &[
            "suit.s63_public_order_rebuttal",
            "suit.deportation_pause_and_s_appeal",
        ],
        not_selected: &["ps.ktt_cohort_dl_v10"],
        warnings: &["ktt-unavailable", "deportation-pause"],
        not_warnings: &[],
        months: 30,
    });
}

#[test]
fn dependent_children_bring_section_55() {
    check(&Expect {
        case: "examples/dependants/case.toml",
        selected: &["ch.s55_dependent_children", "ps.dependants_in_uk"],
        not_selected: &["ch.s55_best_interests", "ch.ecat_14_2_child_permit"],
        warnings: &[],
        not_warnings: &["age-disputed"],
        months: 30,
    });
}

#[test]
fn ktt_cohort_without_deportation_gets_the_dl_v10_clause() {
    check(&Expect {
        case: "tests/fixtures/ktt-cohort.toml",
        selected: &["ps.ktt_cohort_dl_v10"],
        not_selected: &["suit.deportation_pause_and_s_appeal"],
        warnings: &[],
        not_warnings: &["ktt-unavailable"],
        months: 30,
    });
}
