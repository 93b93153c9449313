//! The two generated tables: the chronology (dated facts with their evidence tabs) and the
//! evidence index.

use std::collections::BTreeMap;

use crate::facts::derive::humanize;
use crate::facts::model::{DocType, EvidenceStatus, PreviousDecisionKind, RegistrationBody};
use crate::facts::{Derived, LoadedCase, PartialDate};

use super::Table;

/// The tab of the first enclosed document of `doc_type`.
fn tab_for(loaded: &LoadedCase, derived: &Derived, doc_type: DocType) -> Option<u32> {
    loaded
        .case
        .evidence
        .iter()
        .filter(|e| e.doc_type == doc_type)
        .find_map(|e| derived.tabs.get(&e.id))
        .copied()
}

fn tab_for_id(derived: &Derived, id: Option<&String>) -> Option<u32> {
    id.and_then(|id| derived.tabs.get(id)).copied()
}

/// Rows of (date, event, evidence), sorted by date; each "Tab N" links to its row of the evidence
/// index (only enclosed documents have tabs, and each has such a row).
pub fn chronology(loaded: &LoadedCase, derived: &Derived) -> Table {
    let case = &loaded.case;
    let mut rows: Vec<(chrono::NaiveDate, u8, String, String, Option<u32>)> = Vec::new();
    let mut add = |date: PartialDate, order: u8, event: String, tab: Option<u32>| {
        rows.push((date.earliest(), order, date.uk(), event, tab));
    };
    let dob = PartialDate::from_date(case.client.dob_claimed);
    let claimed_note = if case.client.dob_accepted.is_some() {
        " (claimed date of birth)"
    } else {
        ""
    };
    add(dob, 0, format!("Client born{claimed_note}"), None);
    if let Some(accepted) = case
        .client
        .dob_accepted
        .filter(|d| *d != case.client.dob_claimed)
    {
        add(
            PartialDate::from_date(accepted),
            0,
            "Date of birth accepted by the authorities".into(),
            tab_for(loaded, derived, DocType::AgeAssessment),
        );
    }
    for (i, e) in case.exploitation.episodes.iter().enumerate() {
        let countries: Vec<String> = e
            .countries
            .iter()
            .map(|c| super::helpers::country(c))
            .collect();
        let place = if countries.is_empty() {
            String::new()
        } else {
            format!(" in {}", super::helpers::join_words(&countries, "and"))
        };
        let end = e.end.map_or_else(
            || ", continuing".to_string(),
            |end| format!(", until {}", end.uk()),
        );
        let age = derived
            .age
            .get(&format!("episode_{}", i + 1))
            .map(|a| format!(" (client aged {})", a.claimed))
            .unwrap_or_default();
        let kind = super::helpers::exploitation_label(&humanize(&e.kind).replace(' ', "_"));
        let mut label = kind.to_string();
        label[..1].make_ascii_uppercase();
        add(e.start, 1, format!("{label}{place} begins{age}{end}"), None);
    }
    if let Some(a) = case.immigration.arrival_date {
        add(a, 2, "Client arrives in the UK".into(), None);
    }
    for v in &case.immigration.visas {
        add(
            v.start,
            2,
            format!("Visa granted ({})", humanize(&v.category)),
            None,
        );
    }
    if let Some(c) = case.immigration.asylum.claim_date {
        add(
            PartialDate::from_date(c),
            3,
            "Asylum claim made".into(),
            None,
        );
    }
    if let Some(d) = case.immigration.asylum.decision_date {
        add(
            PartialDate::from_date(d),
            3,
            "Home Office decision on the asylum claim".into(),
            tab_for(loaded, derived, DocType::AsylumDecision),
        );
    }
    if let Some(r) = case.nrm.referral_date {
        let by = case
            .nrm
            .first_responder
            .as_ref()
            .map(|f| {
                format!(
                    " by {}",
                    f.name.clone().unwrap_or_else(|| humanize(&f.kind))
                )
            })
            .unwrap_or_default();
        add(
            r,
            4,
            format!("Referral to the National Referral Mechanism{by}"),
            None,
        );
    }
    if let Some(rg) = &case.nrm.rg_decision {
        add(
            rg.date,
            5,
            format!("Reasonable grounds decision ({})", humanize(&rg.outcome)),
            tab_for(loaded, derived, DocType::RgDecision),
        );
    }
    let cg = &case.nrm.cg_decision;
    let cg_age = derived
        .age
        .get("cg")
        .map(|a| format!("; client aged {}", a.claimed))
        .unwrap_or_default();
    add(
        PartialDate::from_date(cg.date),
        6,
        format!(
            "Conclusive grounds decision ({}){cg_age}",
            humanize(&cg.outcome)
        ),
        tab_for(loaded, derived, DocType::CgDecision),
    );
    if let Some(q) = case.matter.questionnaire_received {
        add(
            PartialDate::from_date(q),
            7,
            "Home Office current-circumstances questionnaire received".into(),
            None,
        );
    }
    for d in &case.matter.previous_decisions {
        let what = match d.kind {
            PreviousDecisionKind::VtsGrant => "VTS leave granted",
            PreviousDecisionKind::VtsRefusal => "VTS leave refused",
            PreviousDecisionKind::MsdlGrant => "Discretionary leave granted",
            PreviousDecisionKind::MsdlRefusal => "Discretionary leave refused",
        };
        let months = d
            .duration_months
            .map(|m| format!(" for {m} months"))
            .unwrap_or_default();
        add(
            PartialDate::from_date(d.date),
            7,
            format!("{what}{months}"),
            tab_for(loaded, derived, DocType::VtsDecision),
        );
    }
    let cj = &case.criminal_justice;
    if let Some(d) = cj.status_date {
        let status = match cj.investigation {
            crate::facts::model::InvestigationStatus::None => "no investigation",
            crate::facts::model::InvestigationStatus::Open => "investigation opened",
            crate::facts::model::InvestigationStatus::Nfa => {
                "investigation closed with no further action"
            }
            crate::facts::model::InvestigationStatus::Charged => "suspects charged",
            crate::facts::model::InvestigationStatus::TrialListed => "trial listed",
            crate::facts::model::InvestigationStatus::Convicted => "defendants convicted",
            crate::facts::model::InvestigationStatus::Acquitted => "defendants acquitted",
        };
        add(
            d,
            8,
            format!("Police: {status}"),
            tab_for(loaded, derived, DocType::PoliceLetter),
        );
    }
    if let Some(t) = cj.trial_date {
        add(
            PartialDate::from_date(t),
            8,
            "Criminal trial listed (client a witness)".into(),
            tab_for(loaded, derived, DocType::CpsLetter),
        );
    }
    if let Some(d) = case.compensation.cica.lodged_date {
        add(
            PartialDate::from_date(d),
            8,
            "CICA application lodged".into(),
            tab_for(loaded, derived, DocType::CicaCorrespondence),
        );
    }
    for c in &case.compensation.civil_claims {
        if let Some(h) = c.hearing_date {
            add(
                PartialDate::from_date(h),
                8,
                format!("Hearing listed ({})", humanize(&c.forum)),
                tab_for(loaded, derived, DocType::CivilClaimDocument),
            );
        }
    }
    for t in &case.health.treatments {
        if let Some(s) = t.start {
            let what = t.description.clone().unwrap_or_else(|| humanize(&t.kind));
            let verb = match t.status {
                crate::facts::model::TreatmentStatus::Referred
                | crate::facts::model::TreatmentStatus::WaitingList => "Referred for",
                _ => "Treatment begins:",
            };
            add(
                s,
                9,
                format!("{verb} {what}"),
                tab_for_id(derived, t.evidence.as_ref()),
            );
        }
    }
    for c in &case.suitability.convictions {
        add(
            PartialDate::from_date(c.date),
            9,
            format!("Conviction: {}", c.offence),
            None,
        );
    }
    if let Some(o) = case.immigration.deportation.order_date {
        add(
            PartialDate::from_date(o),
            9,
            "Deportation order made".into(),
            None,
        );
    }
    add(
        PartialDate::from_date(case.matter.letter_date),
        10,
        "These representations".into(),
        None,
    );
    rows.sort_by_key(|a| (a.0, a.1));
    Table {
        name: "chronology".into(),
        columns: vec!["Date".into(), "Event".into(), "Evidence".into()],
        widths: vec![22, 63, 15],
        links: rows.iter().map(|row| row.4.map(tab_anchor)).collect(),
        rows: rows
            .into_iter()
            .map(|(_, _, date, event, tab)| {
                let evidence = tab.map_or_else(String::new, |t| format!("Tab {t}"));
                vec![date, event, evidence]
            })
            .collect(),
        anchors: Vec::new(),
    }
}

/// The anchor of the evidence-index row of the document at tab `tab`.
pub fn tab_anchor(tab: u32) -> String {
    format!("ev-tab-{tab}")
}

/// The anchor of each evidence item's row in the evidence index, by evidence id: `ev-tab-3` for
/// the document at Tab 3, `ev-later-1` for the first document not enclosed (to follow or
/// unobtainable). Made from numbers only, never from case text, so renderers can use them as
/// names (Typst labels, DOCX bookmarks) as they are.
pub fn evidence_anchors(loaded: &LoadedCase, derived: &Derived) -> BTreeMap<String, String> {
    let mut later = 0;
    let mut out = BTreeMap::new();
    for e in &loaded.case.evidence {
        let anchor = match (e.status, derived.tabs.get(&e.id)) {
            (EvidenceStatus::Enclosed, Some(tab)) => tab_anchor(*tab),
            _ => {
                later += 1;
                format!("ev-later-{later}")
            }
        };
        out.insert(e.id.clone(), anchor);
    }
    out
}

/// The evidence index: enclosed documents with tab numbers, then documents to follow; each row
/// carries its anchor for the letter's evidence references to link to.
pub fn evidence_index(loaded: &LoadedCase, derived: &Derived) -> Table {
    let anchors = evidence_anchors(loaded, derived);
    let mut rows = Vec::new();
    let mut later = Vec::new();
    for e in &loaded.case.evidence {
        let anchor = anchors.get(&e.id).cloned();
        let mut author = e.author.clone().unwrap_or_default();
        if let Some(r) = &e.registration {
            let body = match r.body {
                RegistrationBody::Gmc => "GMC",
                RegistrationBody::Hcpc => "HCPC",
                RegistrationBody::Nmc => "NMC",
                RegistrationBody::Swe => "SWE",
                RegistrationBody::Bps => "BPS",
                RegistrationBody::Other => "reg.",
            };
            author = format!("{author} ({body} {})", r.number).trim().to_string();
        }
        let date = e.date.map(|d| d.uk()).unwrap_or_default();
        let supports = e
            .supports
            .iter()
            .map(humanize)
            .collect::<Vec<_>>()
            .join(", ");
        match (e.status, derived.tabs.get(&e.id)) {
            (EvidenceStatus::Enclosed, Some(tab)) => {
                let pages = e.pages.map(|p| p.to_string()).unwrap_or_default();
                rows.push((
                    vec![
                        tab.to_string(),
                        e.description.clone(),
                        author,
                        date,
                        pages,
                        supports,
                    ],
                    anchor,
                ));
            }
            (status, _) => {
                let when = match (status, e.expected) {
                    (EvidenceStatus::Unobtainable, _) => "unobtainable".to_string(),
                    (_, Some(d)) => format!("to follow (expected {})", d.uk()),
                    _ => "to follow".to_string(),
                };
                later.push((
                    vec![
                        "–".into(),
                        format!("{} [{when}]", e.description),
                        author,
                        date,
                        String::new(),
                        supports,
                    ],
                    anchor,
                ));
            }
        }
    }
    rows.extend(later);
    Table {
        name: "evidence_index".into(),
        columns: vec![
            "Tab".into(),
            "Document".into(),
            "Author".into(),
            "Date".into(),
            "Pages".into(),
            "Supports".into(),
        ],
        widths: vec![6, 32, 25, 14, 7, 16],
        anchors: rows.iter().map(|(_, a)| a.clone()).collect(),
        links: Vec::new(),
        rows: rows.into_iter().map(|(r, _)| r).collect(),
    }
}
