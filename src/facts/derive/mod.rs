//! Derived facts: ages at each key date, child status, the immigration position, grounds,
//! evidence, other routes, the requested duration, flags and warnings, computed once from a
//! [`Case`](super::model::Case) and shown by `explain`.
//!
//! Each topic is its own file and struct; [`Derived`] composes them, flattened, so every clause
//! path (`derived.child_at_cg`, `derived.grounds.recovery`) stays as it was, and the list of
//! paths is generated from the struct's schema ([`derived_paths`]).

pub mod ages;
pub mod child;
pub mod duration;
pub mod evidence;
pub mod flags;
pub mod grounds;
pub mod periods;
pub mod position;
pub mod routes;
pub mod warnings;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;

use super::load::LoadedCase;
use crate::diag::Diagnostic;
use crate::law::{Law, Regime};
use crate::phrases::Phrases;
pub use ages::{AgeAt, Ages, age_text};
pub use child::ChildStatus;
pub use duration::Duration;
pub use evidence::{EvidenceFacts, EvidenceGap};
pub use grounds::Grounds;
pub use periods::Periods;
pub use position::{Position, VTS_COMMENCEMENT};
pub use routes::{Refusal, Routes};

/// Everything computed from the facts. Serialised as `derived` for conditions and templates,
/// each topic's fields at the top level as before (the order of the fields is the order
/// `explain` and the redline list them in).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Derived {
    pub client_name: String,
    #[serde(flatten)]
    pub ages: Ages,
    #[serde(flatten)]
    pub child: ChildStatus,
    #[serde(flatten)]
    pub position: Position,
    pub grounds: Grounds,
    #[serde(flatten)]
    pub evidence: EvidenceFacts,
    #[serde(flatten)]
    pub periods: Periods,
    #[serde(flatten)]
    pub routes: Routes,
    pub duration: Duration,
    /// Evidence id → tab number, for enclosed documents in the order listed.
    pub tabs: BTreeMap<String, u32>,
    /// Flags printed at the top of the letter.
    pub flags: Vec<String>,
    pub evidence_gaps: Vec<EvidenceGap>,
    /// The law that governs the letter: the instrument, its version when verified, the pauses.
    pub regime: Regime,
    /// Things the user must see: unavailable grounds, time limits, missing evidence, pauses.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// Computes the derived facts and the warnings that go with them.
pub fn derive(loaded: &LoadedCase, phrases: &Phrases, law: &Law) -> Derived {
    let case = &loaded.case;
    let ages = ages::ages(case);
    let child = child::child_status(case);
    let position = position::position(case);
    let routes = routes::routes(case);
    let grounds = grounds::grounds(case, &child, &position, &routes);
    let evidence = evidence::evidence(case);
    let evidence_gaps = evidence::gaps(case, &evidence, &grounds, &child);
    let flags = flags::flags(case, &ages, &child, &position, &routes, &grounds, phrases);
    let regime = crate::law::resolve(case, position.ktt_cohort_candidate, law);
    let mut derived = Derived {
        client_name: match &case.client.title {
            Some(t) if !t.trim().is_empty() => format!("{} {}", t.trim(), case.client.full_name),
            _ => case.client.full_name.clone(),
        },
        duration: duration::duration(case, &child, &routes, &grounds, &evidence, phrases),
        tabs: evidence::tabs(case),
        ages,
        child,
        position,
        grounds,
        evidence,
        periods: periods::periods(case),
        routes,
        flags,
        evidence_gaps,
        regime,
        warnings: Vec::new(),
    };
    derived.warnings = warnings::warnings(loaded, &derived);
    derived
}

/// An enum value in words: `pending_initial` → "pending initial".
pub fn humanize<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Every path under `derived` that conditions and templates may use (`clauses lint` checks
/// against it), generated from [`Derived`]'s schema: each field, and each field of a nested
/// struct (`grounds.recovery`); maps (`age`, `tabs`) and lists are paths of their own.
pub fn derived_paths() -> &'static [String] {
    static PATHS: OnceLock<Vec<String>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let mut out = Vec::new();
        collect_paths(&super::schema::Shape::of::<Derived>(), "", &mut out);
        out
    })
}

fn collect_paths(shape: &super::schema::Shape, prefix: &str, out: &mut Vec<String>) {
    for field in shape.fields() {
        let path = if prefix.is_empty() {
            field.name.clone()
        } else {
            format!("{prefix}.{}", field.name)
        };
        out.push(path.clone());
        collect_paths(&field.shape, &path, out);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::facts::load::{Format, load_str};

    fn case(extra: &str, cg_date: &str, dob: &str) -> Derived {
        case_with("", extra, cg_date, dob)
    }

    /// A minimal case file; `client_extra` goes in `[client]`, `extra` after the CG decision.
    pub(crate) fn case_text(client_extra: &str, extra: &str, cg_date: &str, dob: &str) -> String {
        format!(
            r#"
[matter]
reference = "T"
letter_mode = "pre_decision"
letter_date = 2026-11-16
[representative]
firm_name = "F"
address = ["A"]
regulator = "sra"
regulator_number = "1"
fee_earner = "S"
[client]
full_name = "C"
pronouns = "they"
dob_claimed = {dob}
{client_extra}
[nrm.cg_decision]
outcome = "positive"
date = {cg_date}
{extra}
"#
        )
    }

    /// The derived facts of [`case_text`].
    fn case_with(client_extra: &str, extra: &str, cg_date: &str, dob: &str) -> Derived {
        let text = case_text(client_extra, extra, cg_date, dob);
        let loaded = load_str(std::path::Path::new("t.toml"), text, Format::Toml, None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
        derive(&loaded, &Phrases::builtin(), &Law::builtin())
    }

    /// A challenge recorded step by step counts as a challenge until it is decided; the periods
    /// that ended are past at the letter date, and an end in the letter's month is not yet.
    #[test]
    fn an_age_challenge_is_open_until_decided_and_ends_are_read_at_the_letter_date() {
        let open = r#"age_challenge = [{ stage = "pre_action_letter", date = "2026-05" }, { stage = "hearing_listed", date = 2027-01-12 }]"#;
        assert!(
            case_with(open, "", "2026-06-01", "2009-01-01")
                .ages
                .age_assessment_challenged
        );
        let decided = r#"age_challenge = [{ stage = "claim_lodged", date = "2026-02" }, { stage = "decided", date = 2026-10-01, outcome = "found that she was born on 1 January 2009" }]"#;
        assert!(
            !case_with(decided, "", "2026-06-01", "2009-01-01")
                .ages
                .age_assessment_challenged
        );
        let ended = "[nrm.support]\nkind = \"isva\"\nend_date = 2026-11-15\n[family.ictg]\nallocated = true\nend = \"2026-11\"\n";
        let d = case(ended, "2026-06-01", "2009-01-01");
        assert!(d.periods.support_ended && !d.periods.support_current);
        // A guardian's end in the letter's own month may not have come yet.
        assert!(d.periods.ictg_current && !d.periods.ictg_ended);
    }

    const ASYLUM: &str = "[immigration.asylum]\nstatus = \"pending_initial\"\nclaim_date = 2021-06-01\nbasis_includes_retrafficking = true\n";

    #[test]
    fn ktt_cohort_turns_on_the_cg_date_against_30_january_2023() {
        assert!(
            case(ASYLUM, "2023-01-29", "1990-01-01")
                .position
                .ktt_cohort_candidate
        );
        assert!(
            !case(ASYLUM, "2023-01-30", "1990-01-01")
                .position
                .ktt_cohort_candidate
        );
        // The claim must have been made by, and still be outstanding on, the CG date.
        let late_claim = ASYLUM.replace("2021-06-01", "2023-01-20");
        assert!(
            !case(&late_claim, "2023-01-10", "1990-01-01")
                .position
                .ktt_cohort_candidate
        );
        let decided = format!("{ASYLUM}final_determination_date = 2022-12-01\n");
        assert!(
            !case(&decided, "2023-01-10", "1990-01-01")
                .position
                .ktt_cohort_candidate
        );
        let no_retrafficking = ASYLUM.replace("true", "false");
        assert!(
            !case(&no_retrafficking, "2023-01-10", "1990-01-01")
                .position
                .ktt_cohort_candidate
        );
        let deported = format!("{ASYLUM}[immigration.deportation]\nstatus = \"order_made\"\n");
        let d = case(&deported, "2023-01-10", "1990-01-01");
        assert!(
            d.position.ktt_cohort_candidate
                && d.position.ktt_excluded_by_deportation
                && d.position.deportation_blocker
        );
        assert!(d.warnings.iter().any(|w| w.code == "ktt-unavailable"));
    }

    #[test]
    fn child_status_is_tested_at_each_date_not_only_today() {
        // 18 on 16 November 2026, the letter date: a child at the CG, an adult now.
        let d = case("", "2026-01-10", "2008-11-16");
        assert!(d.child.child_at_cg && !d.child.child_at_letter && d.child.child_now_adult);
        assert_eq!(d.child.months_until_18, 0);
        assert!(d.child.transition_to_adulthood);
        assert_eq!(
            d.duration.months, 60,
            "a child at the CG gets the durable-solution default"
        );
        // One day younger: still a child on the letter date.
        let d = case("", "2026-01-10", "2008-11-17");
        assert!(d.child.child_at_letter && !d.child.child_now_adult);
        assert_eq!(d.ages.age["letter"].claimed, "17 years 11 months");
    }

    #[test]
    fn disputed_age_computes_both_ages_and_argues_child_first() {
        let d = case("", "2026-01-10", "2010-03-01");
        assert!(!d.ages.age_disputed);
        let d2 = case_with(
            "dob_accepted = 2007-03-01\nage_dispute = \"challenged_jr\"",
            "",
            "2026-01-10",
            "2009-03-01",
        );
        assert!(
            d.ages
                .age
                .get("letter")
                .is_some_and(|a| a.accepted.is_none())
        );
        assert!(d2.ages.age_disputed && d2.child.adult_in_alternative && d2.child.child_at_letter);
        assert_eq!(d2.ages.age["letter"].claimed, "17 years 8 months");
        assert_eq!(
            d2.ages.age["letter"].accepted.as_deref(),
            Some("19 years 8 months")
        );
    }

    #[test]
    fn cica_limit_is_two_years_from_when_time_runs() {
        let within = "[compensation.cica]\nstatus = \"lodged\"\nlodged_date = 2025-06-13\ntime_runs_from = 2023-06-14\n";
        assert!(
            !case(within, "2026-01-10", "1990-01-01")
                .routes
                .cica_out_of_time
        );
        let late = within.replace("2025-06-13", "2025-06-15");
        assert!(
            case(&late, "2026-01-10", "1990-01-01")
                .routes
                .cica_out_of_time
        );
        let never = "[compensation.cica]\ntime_runs_from = \"2023-06\"\n";
        let d = case(never, "2026-01-10", "1990-01-01");
        assert!(d.routes.cica_out_of_time && !d.grounds.compensation);
        assert!(d.warnings.iter().any(|w| w.code == "cica-out-of-time"));
    }

    #[test]
    fn child_status_at_a_cg_month_holding_the_18th_birthday_is_undecided() {
        // 18 on 10 March 2026; the CG decision known only as March 2026.
        let d = case("", "\"2026-03\"", "2008-03-10");
        assert!(!d.child.child_at_cg && !d.child.child_now_adult);
        assert!(d.child.child_status_undecided);
        assert_eq!(d.ages.age["cg"].claimed, "17 or 18 years");
        assert!(d.ages.age["cg"].child_undecided && !d.ages.age["cg"].child_claimed);
        assert_ne!(
            d.duration.months, 60,
            "no child default on an undecided status"
        );
        let w: Vec<_> = d
            .warnings
            .iter()
            .filter(|w| w.code == "day-needed")
            .collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field.as_deref(), Some("nrm.cg_decision.date"));
        assert!(
            w[0].message
                .contains("turned 18 within it (on 10 March 2026)")
        );
        // The day settles it either way, and a month wholly before the birthday does too.
        for (cg, child) in [
            ("2026-03-09", true),
            ("2026-03-10", false),
            ("\"2026-02\"", true),
        ] {
            let d = case("", cg, "2008-03-10");
            assert_eq!(d.child.child_at_cg, child, "{cg}");
            assert!(!d.child.child_status_undecided, "{cg}");
            assert!(!d.warnings.iter().any(|w| w.code == "day-needed"), "{cg}");
        }
        assert_eq!(
            case("", "\"2026-02\"", "2008-03-10").ages.age["cg"].claimed,
            "17 years"
        );
    }

    #[test]
    fn an_episode_begun_in_the_year_of_the_18th_birthday_leaves_child_status_open() {
        // 18 on 10 March 2020; criminal exploitation began some time in 2020.
        let episode = |start: &str| {
            format!(
                "[[exploitation.episodes]]\nkind = \"criminal_county_lines\"\nstart = \"{start}\"\n"
            )
        };
        let d = case(&episode("2020"), "2024-01-10", "2002-03-10");
        assert!(!d.child.child_when_exploited && d.child.child_status_undecided);
        assert_eq!(d.ages.age["episode_1"].claimed, "17 or 18 years");
        assert!(!d.ages.age["episode_1"].child_claimed);
        assert!(d.warnings.iter().any(|w| {
            w.code == "day-needed"
                && w.field.as_deref() == Some("exploitation.episodes[0].start")
                && w.message
                    .contains("the start of exploitation episode 1 is dated only 2020")
        }));
        // Begun in February 2020, before the birthday: a child then, whatever the day.
        let d = case(&episode("2020-02"), "2024-01-10", "2002-03-10");
        assert!(d.child.child_when_exploited && !d.child.child_status_undecided);
        assert!(d.ages.age["episode_1"].child_claimed);
    }

    #[test]
    fn ktt_cohort_on_a_cg_month_around_30_january_2023_needs_the_day() {
        let d = case(ASYLUM, "\"2023-01\"", "1990-01-01");
        assert!(!d.position.ktt_cohort_candidate && d.position.ktt_cohort_undecided);
        assert!(
            d.warnings
                .iter()
                .any(|w| w.code == "day-needed" && w.message.contains("January 2023"))
        );
        // A month wholly before the commencement decides it.
        let d = case(ASYLUM, "\"2022-12\"", "1990-01-01");
        assert!(d.position.ktt_cohort_candidate && !d.position.ktt_cohort_undecided);
        // A claim made in the CG decision's month: the order turns on the days.
        let same_month = ASYLUM.replace("2021-06-01", "\"2022-12\"");
        let d = case(&same_month, "2022-12-10", "1990-01-01");
        assert!(d.position.ktt_cohort_undecided);
    }

    #[test]
    fn dwms_deadline_needs_the_cg_day() {
        let odw =
            "[[immigration.visas]]\ncategory = \"overseas_domestic_worker\"\nstart = \"2019\"\n";
        let d = case(odw, "\"2026-11\"", "1990-01-01");
        assert!(d.routes.dwms_route && d.routes.dwms_deadline.is_none());
        assert!(!d.routes.dwms_deadline_passed);
        assert!(
            d.warnings.iter().any(
                |w| w.code == "day-needed" && w.message.contains("known only as November 2026")
            )
        );
        // Passed from every day of January 2026: said without the day.
        let d = case(odw, "\"2026-01\"", "1990-01-01");
        assert!(d.routes.dwms_deadline.is_none() && d.routes.dwms_deadline_passed);
        let d = case(odw, "2026-11-01", "1990-01-01");
        assert_eq!(
            d.routes.dwms_deadline.map(|d| d.uk()).as_deref(),
            Some("29 November 2026")
        );
        assert!(!d.warnings.iter().any(|w| w.code == "day-needed"));
    }

    #[test]
    fn cica_lodged_in_the_month_the_limit_ends_needs_the_day() {
        let month = "[compensation.cica]\nstatus = \"lodged\"\nlodged_date = \"2025-06\"\ntime_runs_from = 2023-06-14\n";
        let d = case(month, "2026-01-10", "1990-01-01");
        assert!(!d.routes.cica_out_of_time && d.routes.cica_time_undecided);
        assert!(d.warnings.iter().any(|w| w.code == "day-needed"
            && w.field.as_deref() == Some("compensation.cica.lodged_date")));
        let late = month.replace("2025-06", "2025-07");
        let d = case(&late, "2026-01-10", "1990-01-01");
        assert!(d.routes.cica_out_of_time && !d.routes.cica_time_undecided);
        let early = month.replace("2025-06", "2025-05");
        let d = case(&early, "2026-01-10", "1990-01-01");
        assert!(!d.routes.cica_out_of_time && !d.routes.cica_time_undecided);
    }

    #[test]
    fn delays_and_duration_rules() {
        let d = case(
            "[nrm]\nreferral_date = 2024-01-10\n",
            "2026-01-10",
            "1990-01-01",
        );
        assert_eq!(d.position.delay_referral_to_cg_days, Some(731));
        assert!(d.position.home_office_delay);
        assert_eq!(d.duration.months, 30);
        let trial = "[criminal_justice]\ninvestigation = \"trial_listed\"\nclient_role = \"witness\"\ntrial_date = 2029-11-20\n";
        let d = case(trial, "2026-01-10", "1990-01-01");
        assert_eq!(d.routes.trial_months_away, Some(36));
        assert_eq!(d.duration.months, 42, "months to trial + 6");
    }

    /// Every fact `derived` serialises is a listed path, and every listed path is a fact it
    /// serialises, optional facts included: the list comes from the schema, the facts from serde,
    /// so this catches the two disagreeing (a field skipped by one, flattened by the other).
    #[test]
    fn derived_paths_are_exactly_the_serialised_facts() {
        let mut d = case(ASYLUM, "2023-01-29", "1990-01-01");
        d.position.delay_referral_to_cg_days = Some(1);
        d.routes.dwms_deadline = Some(crate::facts::date::Date(
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        ));
        d.routes.trial_months_away = Some(1);
        d.routes.reconsideration_deadline = d.routes.dwms_deadline;
        d.regime.version = Some("10".into());
        d.routes.last_refusal = Some(Refusal {
            kind: crate::facts::model::PreviousDecisionKind::VtsRefusal,
            date: crate::facts::date::Date(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
            reasons_summary: Some("x".into()),
        });
        let json = serde_json::to_value(&d).unwrap();
        let listed = derived_paths();
        let mut seen = Vec::new();
        for (key, value) in json.as_object().unwrap() {
            seen.push(key.clone());
            // A nested struct's fields are paths too; a map's keys (`age.cg`) are data.
            if let Some(inner) = value.as_object()
                && listed.iter().any(|p| p.starts_with(&format!("{key}.")))
            {
                seen.extend(inner.keys().map(|k| format!("{key}.{k}")));
            }
        }
        assert_eq!(listed, seen.as_slice());
    }

    /// The clause-authoring guide documents every derived fact, and nothing that is not one.
    #[test]
    fn the_guide_documents_every_derived_path() {
        let guide = include_str!("../../../docs/clause-authoring.md");
        let documented: Vec<&str> = guide
            .lines()
            .filter_map(|l| l.strip_prefix("| `derived."))
            .filter_map(|l| l.split('`').next())
            .map(|p| p.trim_end_matches(".<event>"))
            .collect();
        for path in derived_paths() {
            let covered = documented.iter().any(|d| {
                d == path
                    || path.starts_with(&format!("{d}."))
                    || d.starts_with(&format!("{path}."))
            });
            assert!(
                covered,
                "`derived.{path}` is not in docs/clause-authoring.md"
            );
        }
        for d in &documented {
            assert!(
                derived_paths().iter().any(|p| p == d),
                "docs/clause-authoring.md documents `derived.{d}`, which is not a derived fact"
            );
        }
    }
}
