//! `vtsdraft explain`: the derived facts and the selection `build` uses, with every reason.

use std::fmt::Write as _;
use std::path::Path;

use super::{EXIT_OK, Format, failure_code, report};
use crate::Prepared;
use crate::clauses::Library;
use crate::matching::{Decision, Reason};

/// How much `explain` shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Detail {
    /// Each clause not used, rather than one line per reason.
    pub all: bool,
    /// The conditions as written and the facts they read, rather than words.
    pub rules: bool,
}

pub(super) fn run(
    file: &Path,
    as_json: bool,
    detail: Detail,
    library: &super::LibraryArgs,
    firm_args: &super::FirmArgs,
) -> u8 {
    let (toolkit, firm) = match super::setup(library, firm_args, Format::Human) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    match crate::prepare(&toolkit, file, firm.as_ref()) {
        Ok(prepared) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&prepared.explain_json(&toolkit.library))
                        .unwrap_or_default()
                );
            } else {
                print!("{}", text_with(&prepared, &toolkit.library, detail));
            }
            EXIT_OK
        }
        Err(problems) => {
            report(
                &problems,
                if as_json { Format::Json } else { Format::Human },
            );
            failure_code(&problems)
        }
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `yes`/`no`, or that it turns on a day the case does not give.
fn yes_if_decided(undecided: bool, b: bool) -> &'static str {
    if undecided {
        "not decided (the day is needed)"
    } else {
        yes(b)
    }
}

/// One clause: its stamp, section and title, then why (in words, or with `rules` as the condition
/// and the facts it read).
fn decision(out: &mut String, d: &Decision, rules: bool) {
    let _ = writeln!(
        out,
        "  {}@{}  [{}]  {}",
        d.id,
        d.version,
        d.section.name(),
        d.title
    );
    match &d.reason {
        Reason::OmittedBySolicitor {
            instruction,
            reason,
        } => {
            let _ = writeln!(
                out,
                "    left out by the solicitor (drafting instruction {instruction}): {reason}"
            );
            if rules {
                let _ = writeln!(
                    out,
                    "    its condition was true: `{}` ({})",
                    d.when.trim(),
                    d.defined_at
                );
            } else if !d.because.is_empty() {
                let _ = writeln!(
                    out,
                    "    on the facts it would be used: {}",
                    d.because.join("; ")
                );
            }
        }
        Reason::IncludedBySolicitor {
            instruction,
            reason,
            condition,
        } => {
            let _ = writeln!(
                out,
                "    brought in by the solicitor (drafting instruction {instruction}): {reason}"
            );
            if rules {
                let _ = writeln!(
                    out,
                    "    on the facts alone it would not be: {condition}: `{}` ({})",
                    d.when.trim(),
                    d.defined_at
                );
            } else {
                let _ = writeln!(out, "    on the facts alone it would not be used");
            }
        }
        Reason::ConditionTrue if !rules => {
            let _ = writeln!(out, "    because {}", d.because.join("; "));
        }
        Reason::ConditionFalse if !rules => {
            let _ = writeln!(out, "    not used because {}", d.because.join("; "));
        }
        Reason::ConditionTrue => {
            let _ = writeln!(
                out,
                "    because `{}` is true ({})",
                d.when.trim(),
                d.defined_at
            );
        }
        Reason::ExcludedBy { clause } => {
            let _ = writeln!(
                out,
                "    because it is excluded by `{clause}` (its own condition was true)"
            );
        }
        other => {
            let _ = writeln!(
                out,
                "    because {other}: `{}` ({})",
                d.when.trim(),
                d.defined_at
            );
        }
    }
    if rules {
        for fact in &d.facts {
            let _ = writeln!(out, "      {} = {}", fact.path, fact.value);
        }
    }
}

/// The clauses not used, one line per reason: how many, why, and which (the reason is the first
/// part of their conditions that was false). The solicitor's omissions are listed one by one.
fn rejected_by_reason(out: &mut String, rejected: &[Decision]) {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for d in rejected {
        if matches!(d.reason, Reason::OmittedBySolicitor { .. }) {
            decision(out, d, false);
            continue;
        }
        let why = match (&d.reason, d.because.first()) {
            (Reason::ConditionFalse, Some(first)) => first.clone(),
            (other, _) => other.to_string(),
        };
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, ids)) => ids.push(&d.id),
            None => groups.push((why, vec![&d.id])),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    for (why, ids) in groups {
        let n = ids.len();
        let clauses = if n == 1 { "clause" } else { "clauses" };
        let _ = writeln!(out, "  {n} {clauses}: {why}");
        let _ = writeln!(out, "    {}", ids.join(", "));
    }
}

/// The solicitor's drafting instructions, each with what it does and why. Printed only when the
/// case has some, so the explanation of a case without them is unchanged.
fn drafting(out: &mut String, prepared: &Prepared) {
    use crate::facts::model::DraftingAction;
    let instructions = &prepared.loaded.case.drafting;
    if instructions.is_empty() {
        return;
    }
    let _ = writeln!(out, "\ndrafting instructions ({})", instructions.len());
    for (i, ins) in instructions.iter().enumerate() {
        let clause = match (&ins.clause, ins.version) {
            (Some(c), Some(v)) => format!("`{c}@{v}`"),
            (Some(c), None) => format!("`{c}`"),
            (None, _) => String::new(),
        };
        let what = match ins.action {
            DraftingAction::Add => match (&ins.clause, &ins.section, ins.place) {
                (Some(_), _, _) => format!("adds the solicitor's text after {clause}"),
                (None, Some(section), Some(place)) => format!(
                    "adds the solicitor's text at the {} of section `{section}`",
                    if place == crate::facts::model::DraftingPlace::Start {
                        "start"
                    } else {
                        "end"
                    }
                ),
                _ => "adds the solicitor's text".to_string(),
            },
            DraftingAction::Replace => {
                format!("replaces the text of {clause} with the solicitor's")
            }
            DraftingAction::Omit => format!("leaves out {clause}"),
            DraftingAction::Include => format!("brings in {clause}"),
        };
        let _ = writeln!(out, "  {}. {what}", i + 1);
        if let Some(reason) = &ins.reason {
            let _ = writeln!(out, "     because {}", reason.trim());
        }
        let paragraphs: Vec<String> = prepared
            .document
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                crate::assembly::Block::Para { number, origin, .. } => match origin {
                    crate::assembly::Origin::Added { instruction }
                    | crate::assembly::Origin::Replaced { instruction, .. }
                        if *instruction == i + 1 =>
                    {
                        Some(number.to_string())
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        if !paragraphs.is_empty() {
            let _ = writeln!(out, "     paragraphs {}", paragraphs.join(", "));
        }
    }
}

/// The human-readable explanation, as `explain` prints it by default: reasons in words, the
/// clauses not used grouped by reason.
pub fn text(prepared: &Prepared, library: &Library) -> String {
    text_with(prepared, library, Detail::default())
}

/// The human-readable explanation at the given detail.
pub fn text_with(prepared: &Prepared, library: &Library, detail: Detail) -> String {
    let d = &prepared.derived;
    let case = &prepared.loaded.case;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "case {} ({})",
        prepared.loaded.path.display(),
        case.matter.reference
    );
    let _ = writeln!(
        out,
        "clause library {} ({} clauses)",
        library.version,
        library.clauses.len()
    );
    let regime = &d.regime;
    let _ = writeln!(out, "\nlaw applied\n  {}", regime.citation);
    let _ = writeln!(out, "  why: {}", regime.reason);
    if regime.pauses.is_empty() {
        let _ = writeln!(out, "  decision pauses that may apply: none");
    } else {
        let _ = writeln!(
            out,
            "  decision pauses that may apply (check each is still in force before sending): {}",
            regime.pauses.join(", ")
        );
    }
    let _ = writeln!(out, "\nderived facts");
    let dob_note = match case.client.dob_accepted {
        Some(a) => format!(
            "claimed date of birth {}; accepted {}",
            case.client.dob_claimed.uk(),
            a.uk()
        ),
        None => format!("date of birth {}", case.client.dob_claimed.uk()),
    };
    let _ = writeln!(out, "  ages ({dob_note}):");
    for a in &d.ages.in_order {
        let accepted = a
            .accepted
            .as_ref()
            .map(|x| format!("; accepted DOB: {x}"))
            .unwrap_or_default();
        let child = if a.child_claimed || a.child_accepted == Some(true) {
            "  CHILD"
        } else if a.child_undecided {
            "  CHILD OR ADULT: the day is needed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    {:<18} {:<40} {}{accepted}{child}",
            a.date_uk, a.event, a.claimed
        );
    }
    let _ = writeln!(
        out,
        "  child at CG: {}; at an earlier decision: {}; now: {}; when exploited: {}",
        yes_if_decided(
            d.child
                .undecided
                .iter()
                .any(|u| u.field == "nrm.cg_decision.date"),
            d.child.child_at_cg
        ),
        yes(d.child.child_at_decision),
        yes(d.child.child_at_letter),
        yes(d.child.child_when_exploited)
    );
    let _ = writeln!(
        out,
        "  age disputed: {}; adult in the alternative: {}; months until 18: {}; transition to adulthood: {}",
        yes(d.ages.age_disputed),
        yes(d.child.adult_in_alternative),
        d.child.months_until_18,
        yes(d.child.transition_to_adulthood)
    );
    let referral = d
        .position
        .delay_referral_to_cg_days
        .map_or_else(|| "unknown".to_string(), |n| format!("{n} days"));
    let _ = writeln!(
        out,
        "  delay: referral to CG {referral}; CG to letter {} days; Home Office delay: {}",
        d.position.delay_cg_to_letter_days,
        yes(d.position.home_office_delay)
    );
    let _ = writeln!(
        out,
        "  protection claim pending at CG: {}; KTT cohort candidate: {}; excluded by deportation: {}; deportation blocker: {}",
        yes(d.position.protection_claim_pending_at_cg),
        yes_if_decided(
            d.position.ktt_cohort_undecided,
            d.position.ktt_cohort_candidate
        ),
        yes(d.position.ktt_excluded_by_deportation),
        yes(d.position.deportation_blocker)
    );
    let g = &d.grounds;
    let _ = writeln!(
        out,
        "  grounds available: recovery {}, compensation {}, co-operation {}, personal situation {}, child best interests {}",
        yes(g.recovery),
        yes(g.compensation),
        yes(g.cooperation),
        yes(g.personal_situation),
        yes(g.child_best_interests)
    );
    let _ = writeln!(
        out,
        "  registered medical evidence: {}; causation evidenced: {}; evidence to follow: {} (clinical: {})",
        yes(d.evidence.registered_medical_evidence),
        yes(d.evidence.causation_evidenced),
        yes(d.evidence.evidence_to_follow),
        yes(d.evidence.clinical_evidence_to_follow)
    );
    let _ = writeln!(
        out,
        "  convictions: {}; no conviction stands (quashed or s.45 defence accepted): {}; prosecution discontinued as a victim: {}",
        yes(d.routes.has_convictions),
        yes(d.routes.no_conviction_stands),
        yes(d.routes.prosecution_discontinued_as_victim)
    );
    // What has ended by the letter date, which the clauses describe as past (shown only when
    // something has, so letters without such facts read as before).
    let p = &d.periods;
    if p.ictg_ended
        || p.looked_after_ended
        || p.support_ended
        || p.treatment_completed
        || p.re_exploited_in_adult_accommodation
    {
        let _ = writeln!(
            out,
            "  ended by the letter date: guardian {}, care {}, victim support {}, a treatment {}; exploited again in adult accommodation: {}",
            yes(p.ictg_ended),
            yes(p.looked_after_ended),
            yes(p.support_ended),
            yes(p.treatment_completed),
            yes(p.re_exploited_in_adult_accommodation)
        );
    }
    let _ = writeln!(
        out,
        "  requested duration: {} months (in the alternative {}){}",
        d.duration.months,
        d.duration.alternative_months,
        if d.duration.overridden {
            ", set by the solicitor"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "    because {}", d.duration.reason);
    let _ = writeln!(out, "\nselected ({})", prepared.selection.selected.len());
    for s in &prepared.selection.selected {
        decision(&mut out, s, detail.rules);
    }
    let rejected = &prepared.selection.rejected;
    if detail.all || detail.rules {
        let _ = writeln!(out, "\nnot used ({})", rejected.len());
        for r in rejected {
            decision(&mut out, r, detail.rules);
        }
    } else {
        let _ = writeln!(
            out,
            "\nnot used ({}), by reason (`--all` lists each clause, `--rules` the conditions)",
            rejected.len()
        );
        rejected_by_reason(&mut out, rejected);
    }
    drafting(&mut out, prepared);
    let _ = writeln!(out, "\nevidence gaps ({})", d.evidence_gaps.len());
    for g in &d.evidence_gaps {
        let _ = writeln!(out, "  {}: {}", g.ground.as_str(), g.message);
    }
    let _ = writeln!(out, "\nwarnings ({})", prepared.warnings.len());
    for w in &prepared.warnings {
        let _ = writeln!(out, "  {}", crate::diag::short(w));
    }
    out
}
