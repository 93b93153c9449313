//! Which questions the form shows for a case still being filled in.
//!
//! The rules read the answers given so far (not the validated case, which does not exist until
//! every required answer is in), so child-care questions appear as soon as a date of birth and
//! one key date show the client was a child. A question with an answer is never hidden: the
//! browser keeps anything typed visible whatever these rules say.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value as Json;

use crate::facts::date::{PartialDate, child_on_any};

/// A group of questions shown only when a test on the answers so far holds.
pub struct Rule {
    /// Schema paths (as in the form's `data-path`), each a field, table or list.
    pub paths: &'static [&'static str],
    /// Shown beside the questions when they appear, so the paralegal knows why.
    pub why: &'static str,
    test: fn(&Json) -> bool,
}

/// The rules, in form order.
pub const RULES: &[Rule] = &[
    Rule {
        paths: &[
            "client.age_dispute",
            "client.age_assessments",
            "client.age_challenge",
            "client.adult_accommodation",
        ],
        why: "asked because the accepted date of birth differs from the one the client gives",
        test: dobs_differ,
    },
    Rule {
        paths: &[
            "immigration.asylum.claim_date",
            "immigration.asylum.claim_evidence",
            "immigration.asylum.basis_includes_retrafficking",
            "immigration.asylum.basis",
            "immigration.asylum.decision_date",
            "immigration.asylum.appeal_reference",
            "immigration.asylum.hearing_date",
            "immigration.asylum.final_determination_date",
            "immigration.asylum.appeals",
        ],
        why: "asked because there is an asylum claim",
        test: asylum_claimed,
    },
    Rule {
        paths: &["immigration.deportation.order_date"],
        why: "asked because deportation action has been taken",
        test: deportation_action,
    },
    Rule {
        paths: &[
            "immigration.deportation.order_evidence",
            "immigration.deportation.revocation_request",
        ],
        why: "asked because a deportation order has been made",
        test: deportation_order,
    },
    Rule {
        paths: &[
            "criminal_justice.crime_reference",
            "criminal_justice.police_force",
            "criminal_justice.investigation",
            "criminal_justice.status_date",
            "criminal_justice.client_role",
        ],
        why: "asked because the exploitation was reported to the police",
        test: reported,
    },
    Rule {
        paths: &[
            "criminal_justice.trial_date",
            "criminal_justice.special_measures",
        ],
        why: "asked because there is a prosecution",
        test: prosecution,
    },
    Rule {
        paths: &[
            "family.looked_after",
            "family.ictg",
            "family.missing_episodes",
            "family.education",
            "family.childs_wishes",
        ],
        why: "asked because the client was a child at one of the key dates",
        test: child_at_any_key_date,
    },
];

/// The outcome for one case: paths to hide, and for shown conditional groups, why.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Relevance {
    pub hidden: Vec<&'static str>,
    pub shown: Vec<(&'static str, &'static str)>,
}

/// Applies every rule to the answers so far.
pub fn relevance(case: &Json) -> Relevance {
    let mut out = Relevance::default();
    for rule in RULES {
        if (rule.test)(case) {
            out.shown.extend(rule.paths.iter().map(|p| (*p, rule.why)));
        } else {
            out.hidden.extend(rule.paths.iter().copied());
        }
    }
    out
}

fn get<'a>(case: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(case, |v, key| v.get(key))
}

fn text<'a>(case: &'a Json, path: &str) -> Option<&'a str> {
    get(case, path)
        .and_then(Json::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn dobs_differ(case: &Json) -> bool {
    let disputed = text(case, "client.age_dispute").is_some_and(|s| s != "none");
    match (
        text(case, "client.dob_claimed"),
        text(case, "client.dob_accepted"),
    ) {
        (Some(a), Some(b)) => a.trim() != b.trim() || disputed,
        _ => disputed,
    }
}

fn asylum_claimed(case: &Json) -> bool {
    text(case, "immigration.asylum.status").is_some_and(|s| s != "not_claimed")
}

fn deportation_order(case: &Json) -> bool {
    text(case, "immigration.deportation.status")
        .is_some_and(|s| s == "order_made" || s == "revoked")
}

fn deportation_action(case: &Json) -> bool {
    text(case, "immigration.deportation.status").is_some_and(|s| s != "none")
}

fn reported(case: &Json) -> bool {
    get(case, "criminal_justice.reported_to_police").and_then(Json::as_bool) == Some(true)
}

fn prosecution(case: &Json) -> bool {
    matches!(
        text(case, "criminal_justice.investigation"),
        Some("charged" | "trial_listed" | "convicted" | "acquitted")
    )
}

/// Under 18 on any key date given so far, on either date of birth. With partial dates the
/// earliest possible day is taken: a question too many is better than a child's questions
/// missing.
fn child_at_any_key_date(case: &Json) -> bool {
    let dobs: Vec<NaiveDate> = ["client.dob_claimed", "client.dob_accepted"]
        .iter()
        .filter_map(|p| text(case, p))
        .filter_map(|t| PartialDate::parse(t.trim()).ok())
        .map(|d| d.latest())
        .collect();
    let mut dates: Vec<NaiveDate> = [
        "matter.letter_date",
        "immigration.arrival_date",
        "nrm.referral_date",
        "nrm.cg_decision.date",
    ]
    .iter()
    .filter_map(|p| text(case, p))
    .filter_map(|t| PartialDate::parse(t.trim()).ok())
    .map(|d| d.earliest())
    .collect();
    if let Some(episodes) = get(case, "exploitation.episodes").and_then(Json::as_array) {
        dates.extend(
            episodes
                .iter()
                .filter_map(|e| e.get("start").and_then(Json::as_str))
                .filter_map(|t| PartialDate::parse(t.trim()).ok())
                .map(|d| d.earliest()),
        );
    }
    child_on_any(&dobs, &dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::schema;
    use serde_json::json;

    #[test]
    fn every_rule_path_is_in_the_model() {
        let leaves = schema::case().leaf_paths();
        for rule in RULES {
            for path in rule.paths {
                assert!(
                    leaves.iter().any(|l| l == path
                        || l.starts_with(&format!("{path}."))
                        || l.starts_with(&format!("{path}[]"))),
                    "rule path {path} is not a field of the case model"
                );
            }
        }
    }

    #[test]
    fn child_questions_follow_the_dates() {
        let adult = json!({"client": {"dob_claimed": "1990-01-01"}, "nrm": {"cg_decision": {"date": "2025-01-01"}}});
        assert!(relevance(&adult).hidden.contains(&"family.looked_after"));
        let child_when_exploited = json!({
            "client": {"dob_claimed": "2004-06-01"},
            "matter": {"letter_date": "2026-11-01"},
            "exploitation": {"episodes": [{"start": "2019"}]}
        });
        let r = relevance(&child_when_exploited);
        assert!(!r.hidden.contains(&"family.looked_after"));
        assert!(
            r.shown
                .iter()
                .any(|(p, why)| *p == "family.ictg" && why.contains("child"))
        );
        // Nothing known yet: nothing to show.
        assert!(relevance(&json!({})).hidden.contains(&"family.education"));
    }

    #[test]
    fn age_dispute_and_trial_questions() {
        let same = json!({"client": {"dob_claimed": "2008-01-01", "dob_accepted": "2008-01-01"}});
        assert!(relevance(&same).hidden.contains(&"client.age_assessments"));
        let differ = json!({"client": {"dob_claimed": "2008-01-01", "dob_accepted": "2005-01-01"}});
        assert!(
            !relevance(&differ)
                .hidden
                .contains(&"client.age_assessments")
        );
        let trial = json!({"criminal_justice": {"reported_to_police": true, "investigation": "trial_listed"}});
        let r = relevance(&trial);
        assert!(!r.hidden.contains(&"criminal_justice.trial_date"));
        assert!(!r.hidden.contains(&"criminal_justice.police_force"));
        let none = json!({"criminal_justice": {"reported_to_police": false}});
        assert!(
            relevance(&none)
                .hidden
                .contains(&"criminal_justice.trial_date")
        );
    }

    #[test]
    fn a_revocation_request_is_asked_about_only_once_an_order_is_made() {
        let proceedings =
            json!({"immigration": {"deportation": {"status": "proceedings_started"}}});
        let r = relevance(&proceedings);
        assert!(!r.hidden.contains(&"immigration.deportation.order_date"));
        assert!(
            r.hidden
                .contains(&"immigration.deportation.revocation_request")
        );
        let order = json!({"immigration": {"deportation": {"status": "order_made"}}});
        assert!(
            !relevance(&order)
                .hidden
                .contains(&"immigration.deportation.revocation_request")
        );
    }
}
