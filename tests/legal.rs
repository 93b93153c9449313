//! The legal test suite: one folder per fixture in `tests/legal/`, each a case (`case.toml`) and
//! what the law requires of its letter (`expect.toml`, written for a lawyer to read): the regime
//! that governs it, the decision pauses that may apply, the clauses that must and must not be
//! selected, the warnings that must and must not appear, and phrases the letter must or must
//! never contain. Every expectation of every fixture is checked and all failures are reported
//! together, each with the fixture's own description.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::support::{root, toolkit};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    about: String,
    regime: String,
    regime_kind: String,
    pauses: Vec<String>,
    selected: Vec<String>,
    not_selected: Vec<String>,
    warnings: Vec<String>,
    no_warnings: Vec<String>,
    letter_must_contain: Vec<String>,
    letter_must_not_contain: Vec<String>,
}

fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("tests/legal"))
        .expect("tests/legal exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.toml").exists())
        .collect();
    out.sort();
    out
}

/// The letter's paragraphs and lists as a reader sees them (tables left out).
fn letter_text(document: &vtsdraft::assembly::Document) -> String {
    crate::support::body_text(document)
        // Phrases in expect.toml are typed with plain quotes and spaces; the letter's typography
        // (typographic quotes, no-break spaces in dates) is undone for the comparison.
        .replace(['‘', '’'], "'")
        .replace(['“', '”'], "\"")
        .replace('\u{a0}', " ")
}

/// Every way `fixture` falls short of its expectations.
fn check(fixture: &Path) -> Vec<String> {
    let library = &toolkit().library;
    let text = std::fs::read_to_string(fixture.join("expect.toml")).unwrap();
    let expect: Expect = match toml::from_str(&text) {
        Ok(e) => e,
        Err(e) => return vec![format!("expect.toml cannot be read: {e}")],
    };
    let prepared = match vtsdraft::prepare(toolkit(), &fixture.join("case.toml"), None) {
        Ok(p) => p,
        Err(problems) => return vec![format!("the case does not build: {problems:#?}")],
    };
    let mut out = Vec::new();
    let regime = &prepared.derived.regime;
    let kind = serde_json::to_value(regime.kind).unwrap();
    if regime.instrument != expect.regime || kind != expect.regime_kind.as_str() {
        out.push(format!(
            "the regime must be {} ({}), not {} ({kind})",
            expect.regime, expect.regime_kind, regime.instrument
        ));
    }
    let mut pauses = regime.pauses.clone();
    pauses.sort();
    let mut expected_pauses = expect.pauses.clone();
    expected_pauses.sort();
    if pauses != expected_pauses {
        out.push(format!(
            "the pauses that may apply must be {expected_pauses:?}, not {pauses:?}"
        ));
    }
    let selected = prepared.selection.selected_ids();
    for id in expect.selected.iter().chain(&expect.not_selected) {
        if library.get(id).is_none() {
            out.push(format!("`{id}` is not a clause of the library"));
        }
    }
    for id in &expect.selected {
        if !selected.contains(&id.as_str())
            && let Some(d) = prepared.selection.rejected.iter().find(|d| &d.id == id)
        {
            out.push(format!(
                "`{id}` must be selected, but was not: {}",
                d.reason
            ));
        }
    }
    for id in &expect.not_selected {
        if selected.contains(&id.as_str()) {
            out.push(format!("`{id}` must not be selected, but was"));
        }
    }
    let codes: Vec<&str> = prepared.warnings.iter().map(|w| w.code.as_str()).collect();
    for code in expect.warnings.iter().chain(&expect.no_warnings) {
        if !vtsdraft::diag::Code::ALL
            .iter()
            .any(|c| c == &code.as_str())
        {
            out.push(format!("`{code}` is not a warning code"));
        }
    }
    for code in &expect.warnings {
        if !codes.contains(&code.as_str()) {
            out.push(format!(
                "warning `{code}` must appear; it did not ({codes:?})"
            ));
        }
    }
    for code in &expect.no_warnings {
        if codes.contains(&code.as_str()) {
            out.push(format!("warning `{code}` must not appear; it did"));
        }
    }
    let letter = letter_text(&prepared.document);
    for phrase in &expect.letter_must_contain {
        if !letter.contains(phrase.as_str()) {
            out.push(format!("the letter must say {phrase:?}; it does not"));
        }
    }
    for phrase in &expect.letter_must_not_contain {
        if letter.contains(phrase.as_str()) {
            out.push(format!("the letter must never say {phrase:?}; it does"));
        }
    }
    if !out.is_empty() {
        out.insert(0, expect.about.trim().to_string());
    }
    out
}

#[test]
fn every_legal_fixture_gets_the_letter_the_law_requires() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 16,
        "the legal suite has {} fixtures; it needs at least 16",
        fixtures.len()
    );
    let mut report = Vec::new();
    for fixture in &fixtures {
        let problems = check(fixture);
        if !problems.is_empty() {
            let name = fixture.file_name().unwrap().to_string_lossy();
            report.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        report.is_empty(),
        "{} of {} legal fixtures fail:\n\n{}",
        report.len(),
        fixtures.len(),
        report.join("\n\n")
    );
}
