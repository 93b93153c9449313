//! The summary a solicitor reads first: clauses added, removed and revised with the reasons
//! matching gave, derived facts, evidence and warnings that changed; and its words.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use super::*;
use crate::Prepared;
use crate::clauses::Library;
use crate::diag::Code;
use crate::matching::{Decision, Reason};

pub(super) fn decisions(p: &Prepared) -> HashMap<&str, &Decision> {
    p.selection
        .selected
        .iter()
        .chain(&p.selection.rejected)
        .map(|d| (d.id.as_str(), d))
        .collect()
}

pub(super) fn section_name(d: &Decision) -> String {
    d.section.name().to_string()
}

/// The facts `now` read whose values differ from `before` (all of them when there is no before).
pub(super) fn changed_facts(before: Option<&Decision>, now: &Decision) -> Vec<FactChange> {
    let old: HashMap<&str, &str> = before
        .map(|b| {
            b.facts
                .iter()
                .map(|f| (f.path.as_str(), f.value.as_str()))
                .collect()
        })
        .unwrap_or_default();
    now.facts
        .iter()
        .filter(|f| old.get(f.path.as_str()) != Some(&f.value.as_str()))
        .map(|f| FactChange {
            path: f.path.clone(),
            label: None,
            old: old.get(f.path.as_str()).map(|v| v.to_string()),
            new: Some(f.value.clone()),
        })
        .collect()
}

pub(super) fn facts_phrase(facts: &[FactChange]) -> String {
    facts
        .iter()
        .map(|f| {
            let now = f.new.as_deref().unwrap_or("(not set)");
            match &f.old {
                Some(was) => format!("`{}` = {now} (was {was})", f.path),
                None => format!("`{}` = {now}", f.path),
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

pub(super) fn all_facts(d: &Decision) -> Vec<FactChange> {
    d.facts
        .iter()
        .map(|f| FactChange {
            path: f.path.clone(),
            label: None,
            old: None,
            new: Some(f.value.clone()),
        })
        .collect()
}

pub(super) fn clauses_added(old: &Prepared, new: &Prepared) -> Vec<ClauseChange> {
    let before = decisions(old);
    let was_selected: HashSet<&str> = old.selection.selected_ids().into_iter().collect();
    new.selection
        .selected
        .iter()
        .filter(|d| !was_selected.contains(d.id.as_str()))
        .map(|d| {
            let prior = before.get(d.id.as_str()).copied();
            let mut facts = changed_facts(prior, d);
            let reason = match prior {
                None => {
                    facts = all_facts(d);
                    format!("new in the clause library; selected because `{}` is true", d.when.trim())
                }
                Some(p) if p.when.trim() != d.when.trim() => format!(
                    "its condition changed in the clause library (was `{}`, now `{}`, which is true)",
                    p.when.trim(),
                    d.when.trim()
                ),
                Some(Decision {
                    reason: Reason::ExcludedBy { clause },
                    ..
                }) => format!("no longer excluded by `{clause}`"),
                Some(p) if !facts.is_empty() => {
                    let _ = p;
                    format!("now selected because {}", facts_phrase(&facts))
                }
                Some(p) => {
                    facts = all_facts(d);
                    format!("now selected (before: {}); `{}` is true", p.reason, d.when.trim())
                }
            };
            ClauseChange {
                id: d.id.clone(),
                title: d.title.clone(),
                section: section_name(d),
                reason,
                facts,
                old_reason: prior.map(|p| p.reason.clone()),
                new_reason: Some(d.reason.clone()),
            }
        })
        .collect()
}

pub(super) fn clauses_removed(old: &Prepared, new: &Prepared) -> Vec<ClauseChange> {
    let after = decisions(new);
    let is_selected: HashSet<&str> = new.selection.selected_ids().into_iter().collect();
    old.selection
        .selected
        .iter()
        .filter(|d| !is_selected.contains(d.id.as_str()))
        .map(|d| {
            let now = after.get(d.id.as_str()).copied();
            let mut facts = now.map(|n| changed_facts(Some(d), n)).unwrap_or_default();
            let reason = match now {
                None => "no longer in the clause library".to_string(),
                Some(n) if n.when.trim() != d.when.trim() => format!(
                    "its condition changed in the clause library (was `{}`, now `{}`, which is not true)",
                    d.when.trim(),
                    n.when.trim()
                ),
                Some(Decision {
                    reason: Reason::ExcludedBy { clause },
                    ..
                }) => format!("now excluded by `{clause}`"),
                Some(Decision {
                    reason: Reason::FactNotSet { path },
                    ..
                }) => format!("no longer selected: fact `{path}` is not set in this case"),
                Some(_) if !facts.is_empty() => {
                    format!("no longer selected because {}", facts_phrase(&facts))
                }
                Some(n) => {
                    facts = all_facts(n);
                    format!("no longer selected: {}", n.reason)
                }
            };
            ClauseChange {
                id: d.id.clone(),
                title: d.title.clone(),
                section: section_name(d),
                reason,
                facts,
                old_reason: Some(d.reason.clone()),
                new_reason: now.map(|n| n.reason.clone()),
            }
        })
        .collect()
}

pub(super) fn clauses_revised(
    old: &Prepared,
    old_library: &Library,
    new: &Prepared,
    new_library: &Library,
) -> Vec<ClauseRevision> {
    let was_selected: HashSet<&str> = old.selection.selected_ids().into_iter().collect();
    new.selection
        .selected
        .iter()
        .filter(|d| was_selected.contains(d.id.as_str()))
        .filter_map(|d| {
            let (o, n) = (old_library.get(&d.id)?, new_library.get(&d.id)?);
            let text_changed = o.body != n.body;
            let condition_changed = o.when.trim() != n.when.trim();
            (text_changed || condition_changed || o.version != n.version).then(|| ClauseRevision {
                id: d.id.clone(),
                title: n.title.clone(),
                old_version: o.version,
                new_version: n.version,
                text_changed,
                condition_changed,
            })
        })
        .collect()
}

/// The drafting instructions that differ between the two cases (compared by their place in the
/// list, as they are numbered), and the new case's instructions whose clause is not the same in
/// the new library as in the old (a new version, a rename, or gone): the solicitor wrote them
/// against the old text.
pub(super) fn drafting_changes(
    old: &Prepared,
    old_library: &Library,
    new: &Prepared,
    new_library: &Library,
) -> Vec<DraftingChange> {
    use crate::facts::model::Instruction;
    let head = |i: &Instruction| match (&i.clause, i.version) {
        (Some(c), Some(v)) => format!("{} {c}@{v}", i.action.name()),
        (Some(c), None) => format!("{} {c}", i.action.name()),
        (None, _) => format!(
            "{} at the {} of {}",
            i.action.name(),
            match i.place {
                Some(crate::facts::model::DraftingPlace::Start) => "start",
                _ => "end",
            },
            i.section.as_deref().unwrap_or("?")
        ),
    };
    let (olds, news) = (&old.loaded.case.drafting, &new.loaded.case.drafting);
    let mut out = Vec::new();
    for n in 0..olds.len().max(news.len()) {
        let change = match (olds.get(n), news.get(n)) {
            (Some(o), Some(i)) if o != i => Some(("~", i, "the instruction was changed".into())),
            (None, Some(i)) => Some(("+", i, "the instruction was added".into())),
            (Some(o), None) => Some(("-", o, "the instruction was removed".into())),
            _ => None,
        };
        if let Some((sign, i, detail)) = change {
            out.push(DraftingChange {
                instruction: n + 1,
                sign,
                head: head(i),
                detail,
            });
        }
        let Some(i) = news.get(n) else { continue };
        let Some(id) = &i.clause else { continue };
        let find = |l: &'_ Library| {
            l.find(id)
                .map(|c| (c.id.clone(), c.version, c.body.clone()))
        };
        let detail = match (find(old_library), find(new_library)) {
            (Some(_), None) => Some("its clause is not in the new library".to_string()),
            (Some((oid, ov, ob)), Some((nid, nv, nb))) if oid != nid || ov != nv || ob != nb => {
                Some(format!(
                    "written against `{id}@{}`; its clause changed in the library: `{oid}@{ov}` → `{nid}@{nv}`",
                    i.version.map_or_else(|| "?".to_string(), |v| v.to_string())
                ))
            }
            _ => None,
        };
        if let Some(detail) = detail {
            out.push(DraftingChange {
                instruction: n + 1,
                sign: "~",
                head: head(i),
                detail,
            });
        }
    }
    out
}

/// `derived` flattened to dotted paths, values as JSON text, in the order `explain` shows them.
pub(super) fn flatten(prefix: &str, value: &Json, out: &mut Vec<(String, String)>) {
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        // Lists (flags, evidence gaps, documents held) read best as their items' text.
        Json::Array(items) if items.is_empty() => out.push((prefix.to_string(), "(none)".into())),
        Json::Array(items) => {
            let item = |v: &Json| match v {
                Json::String(s) => s.clone(),
                Json::Object(map) => map
                    .values()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(": "),
                other => other.to_string(),
            };
            out.push((
                prefix.to_string(),
                items.iter().map(item).collect::<Vec<_>>().join("; "),
            ));
        }
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// A reader's label for an age path (`derived.age.cg.claimed` → "age at conclusive grounds
/// decision"), from the event names derivation gives each key date.
pub(super) fn fact_label(path: &str, events: &HashMap<String, String>) -> Option<String> {
    let rest = path.strip_prefix("derived.age.")?;
    let (key, field) = rest.rsplit_once('.')?;
    let event = events.get(key)?;
    Some(match field {
        "claimed" => format!("age at {event}"),
        "accepted" => format!("age at {event} (accepted date of birth)"),
        "child_claimed" => format!("a child at {event}"),
        "child_accepted" => format!("a child at {event} (accepted date of birth)"),
        "child_undecided" => format!("whether a child at {event} turns on the day"),
        "date_uk" => format!("date of {event}"),
        "approximate" => format!("date of {event} approximate"),
        _ => return None,
    })
}

pub(super) fn derived_changes(old: &Prepared, new: &Prepared) -> Vec<FactChange> {
    let flat = |p: &Prepared| {
        let mut out = Vec::new();
        if let Some(d) = p.context.json.get("derived") {
            flatten("derived", d, &mut out);
        }
        // The ISO date duplicates `date_uk`; one line per change is enough.
        out.retain(|(path, _)| !(path.starts_with("derived.age.") && path.ends_with(".date")));
        out
    };
    let (o, n) = (flat(old), flat(new));
    let old_map: HashMap<&str, &str> = o.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let new_map: HashMap<&str, &str> = n.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
    let events: HashMap<String, String> = new
        .derived
        .ages
        .in_order
        .iter()
        .chain(&old.derived.ages.in_order)
        .map(|a| (a.key.clone(), a.event.clone()))
        .collect();
    let mut out = Vec::new();
    for (path, value) in &n {
        if old_map.get(path.as_str()) != Some(&value.as_str()) {
            out.push(FactChange {
                path: path.clone(),
                label: fact_label(path, &events),
                old: old_map.get(path.as_str()).map(|v| v.to_string()),
                new: Some(value.clone()),
            });
        }
    }
    for (path, value) in &o {
        if !new_map.contains_key(path.as_str()) {
            out.push(FactChange {
                path: path.clone(),
                label: fact_label(path, &events),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    out
}

pub(super) fn evidence_changes(old: &Prepared, new: &Prepared) -> Vec<EvidenceChange> {
    let as_json = |e: &crate::facts::model::Evidence| serde_json::to_value(e).unwrap_or_default();
    let status = |j: &Json| {
        j.get("status")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let old_by_id: HashMap<&str, &crate::facts::model::Evidence> = old
        .loaded
        .case
        .evidence
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let new_ids: HashSet<&str> = new
        .loaded
        .case
        .evidence
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    let mut out = Vec::new();
    for e in &new.loaded.case.evidence {
        let nj = as_json(e);
        match old_by_id.get(e.id.as_str()) {
            None => out.push(EvidenceChange {
                id: e.id.clone(),
                change: EvidenceChangeKind::Added,
                description: e.description.clone(),
                status: status(&nj),
                details: Vec::new(),
            }),
            Some(o) => {
                let oj = as_json(o);
                let (Json::Object(om), Json::Object(nm)) = (&oj, &nj) else {
                    continue;
                };
                let mut details = Vec::new();
                let keys = nm.keys().chain(om.keys().filter(|k| !nm.contains_key(*k)));
                for key in keys {
                    let (ov, nv) = (om.get(key), nm.get(key));
                    if ov != nv {
                        let show = |v: Option<&Json>| match v {
                            None => "(not set)".to_string(),
                            Some(Json::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                        };
                        // Words, not an arrow: the bundled fonts have no arrow glyph for the PDF.
                        details.push(format!("{key}: was {}, now {}", show(ov), show(nv)));
                    }
                }
                if !details.is_empty() {
                    out.push(EvidenceChange {
                        id: e.id.clone(),
                        change: EvidenceChangeKind::Changed,
                        description: e.description.clone(),
                        status: status(&nj),
                        details,
                    });
                }
            }
        }
    }
    for e in &old.loaded.case.evidence {
        if !new_ids.contains(e.id.as_str()) {
            out.push(EvidenceChange {
                id: e.id.clone(),
                change: EvidenceChangeKind::Withdrawn,
                description: e.description.clone(),
                status: status(&as_json(e)),
                details: Vec::new(),
            });
        }
    }
    out
}

/// Warnings of `a` that `b` does not have, by code and message (locations differ between files).
pub(super) fn warnings_only_in(a: &Prepared, b: &Prepared) -> Vec<WarningChange> {
    let other: HashSet<(Code, &str)> = b
        .warnings
        .iter()
        .map(|w| (w.code, w.message.as_str()))
        .collect();
    let mut seen = HashSet::new();
    a.warnings
        .iter()
        .filter(|w| !other.contains(&(w.code, w.message.as_str())))
        .filter(|w| seen.insert((w.code, w.message.as_str())))
        .map(|w| WarningChange {
            code: w.code.to_string(),
            message: w.message.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Words for the summary (the terminal text and the redline's cover)

/// "76e4af73cadb23a0 (built in)" or "… (lib-v2/)".
pub fn library_text(d: &Draft) -> String {
    if d.library_root.starts_with('(') {
        format!("{} {}", d.library_version, d.library_root)
    } else {
        format!("{} ({})", d.library_version, d.library_root)
    }
}

/// A fact value for reading: JSON strings without their quotes.
pub fn unquoted(v: Option<&str>) -> String {
    match v {
        None => "(not set)".into(),
        Some(v) => serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_string()),
    }
}

/// "text changed (version 2, was 1)", for the summary.
pub fn revision_text(c: &ClauseRevision) -> String {
    let mut what = Vec::new();
    if c.text_changed {
        what.push("text changed");
    }
    if c.condition_changed {
        what.push("condition changed");
    }
    if what.is_empty() {
        what.push("version changed");
    }
    let version = if c.old_version == c.new_version {
        format!("still version {}", c.new_version)
    } else {
        format!("version {}, was {}", c.new_version, c.old_version)
    };
    format!("{} ({version})", what.join(", "))
}

/// The sign and headline for an evidence change.
pub fn evidence_head(e: &EvidenceChange) -> (&'static str, String) {
    match e.change {
        EvidenceChangeKind::Added => ("+", format!("added: {} ({})", e.description, e.status)),
        EvidenceChangeKind::Withdrawn => (
            "–",
            format!("withdrawn: {} (was {})", e.description, e.status),
        ),
        EvidenceChangeKind::Changed => ("~", format!("changed: {} ({})", e.description, e.status)),
    }
}
