//! `vtsdraft clauses lint`: checks a clause library beyond what loading already refuses.

use crate::clauses::Library;
use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::facts::derive::derived_paths;
use crate::facts::schema;
use crate::matching::fact_paths;

/// Whether `path` names something in the case model or the derived facts.
pub fn known_path(path: &str) -> bool {
    if let Some(rest) = path.strip_prefix("derived") {
        let rest = rest.trim_start_matches('.');
        return rest.is_empty()
            || derived_paths().iter().any(|p| p == rest)
            || rest.starts_with("age.")
            || rest.starts_with("tabs.");
    }
    let paths = case_paths();
    paths.iter().any(|p| {
        p == path || p.starts_with(&format!("{path}.")) || p.starts_with(&format!("{path}["))
    })
}

fn case_paths() -> Vec<String> {
    schema::case()
        .leaf_paths()
        .into_iter()
        .map(|p| p.replace("[]", ""))
        .collect()
}

fn suggestion(path: &str) -> Option<String> {
    let mut candidates: Vec<String> = case_paths();
    candidates.extend(derived_paths().iter().map(|p| format!("derived.{p}")));
    did_you_mean(path, candidates.iter().map(String::as_str)).map(str::to_string)
}

/// Fact paths a handlebars body reads (`client.full_name`, `derived.age.cg.claimed`), skipping
/// `this.…` and `@…` inside `#each` blocks and helper names.
pub fn body_paths(body: &str) -> Vec<(usize, String)> {
    const ROOTS: [&str; 12] = [
        "matter",
        "representative",
        "client",
        "immigration",
        "nrm",
        "exploitation",
        "health",
        "compensation",
        "criminal_justice",
        "family",
        "suitability",
        "derived",
    ];
    let mut out = Vec::new();
    for (line_index, line) in body.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            for token in after[..end].split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                let token = token
                    .trim_start_matches(['#', '/', '^', '~'])
                    .trim_end_matches('~');
                let root = token.split('.').next().unwrap_or_default();
                if token.contains('.') && ROOTS.contains(&root) {
                    out.push((line_index, token.to_string()));
                }
            }
            rest = &after[end + 2..];
        }
    }
    out
}

/// Cites in a body: `{{cite "key"}}` and `{{cite "key" "[12]"}}`.
pub fn body_cites(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (line_index, line) in body.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("cite \"") {
            let after = &rest[start + 6..];
            let Some(end) = after.find('"') else { break };
            out.push((line_index, after[..end].to_string()));
            rest = &after[end..];
        }
    }
    out
}

/// Every lint finding for the library. Errors make `clauses lint` exit 1.
pub fn lint(library: &Library) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for clause in &library.clauses {
        let at = |line: u32| Location {
            file: clause.file.clone(),
            line,
            column: 1,
        };
        for path in fact_paths(clause.program.expression()) {
            if !known_path(&path) {
                let mut d = Diagnostic::error(Code::UnknownFact, format!("clause `{}`: condition reads `{path}`, which is not a fact or derived fact", clause.id)).at(at(clause.when_line));
                if let Some(near) = suggestion(&path) {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                d = d.hint("a clause whose condition reads an unknown fact can never be selected");
                out.push(d);
            }
        }
        if matches!(clause.when.trim(), "false" | "!true") {
            out.push(
                Diagnostic::error(
                    Code::NeverSelected,
                    format!(
                        "clause `{}` can never be selected (`when = \"{}\"`)",
                        clause.id,
                        clause.when.trim()
                    ),
                )
                .at(at(clause.when_line)),
            );
        }
        for (line, path) in body_paths(&clause.body) {
            if !known_path(&path) {
                let mut d = Diagnostic::error(
                    Code::UnknownFact,
                    format!(
                        "clause `{}`: text uses `{path}`, which is not a fact or derived fact",
                        clause.id
                    ),
                )
                .at(at(clause.body_line + line as u32));
                if let Some(near) = suggestion(&path) {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                out.push(d);
            }
        }
        for (line, key) in body_cites(&clause.body) {
            if !library.authorities.contains_key(&key) {
                out.push(
                    Diagnostic::error(
                        Code::UnknownAuthority,
                        format!(
                            "clause `{}` cites `{key}`, which is not in authorities.toml",
                            clause.id
                        ),
                    )
                    .at(at(clause.body_line + line as u32)),
                );
            } else if !clause.authorities.contains(&key) {
                out.push(
                    Diagnostic::error(
                        Code::UnlistedAuthority,
                        format!(
                            "clause `{}` cites `{key}` but does not list it in `authorities`",
                            clause.id
                        ),
                    )
                    .at(at(clause.body_line + line as u32))
                    .hint(format!("add \"{key}\" to the clause's `authorities` list")),
                );
            }
        }
        for key in &clause.authorities {
            if let Some(a) = library.authorities.get(key) {
                if a.superseded {
                    let mut d = Diagnostic::error(Code::SupersededAuthority, format!("clause `{}` relies on `{key}`, which authorities.toml marks superseded", clause.id)).at(at(1));
                    if let Some(next) = &a.superseded_by {
                        d = d.hint(format!(
                            "cite `{next}` instead, and review the clause's text against it"
                        ));
                    }
                    out.push(d);
                }
                if let Some(note) = &a.unverified
                    && !clause.unverified.iter().any(|u| u.contains(key.as_str()))
                    && clause.unverified.is_empty()
                {
                    out.push(Diagnostic::warning(Code::Unverified, format!("clause `{}` cites `{key}`, marked unverified ({note}), but records no `unverified` note", clause.id)).at(at(1)));
                }
            }
        }
        out.extend(superseded_versions(library, clause));
        for note in &clause.unverified {
            out.push(
                Diagnostic::warning(
                    Code::Unverified,
                    format!("clause `{}` needs review: {note}", clause.id),
                )
                .at(at(1)),
            );
        }
    }
    out
}

/// A clause that relies on a version of an instrument must not be selectable for letters dated
/// after that version was superseded: the clause declares `law_to`, or cites the instrument
/// without a version.
fn superseded_versions(library: &Library, clause: &crate::clauses::Clause) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = Location {
        file: clause.file.clone(),
        line: 1,
        column: 1,
    };
    for key in &clause.authorities {
        let Some(a) = library.authorities.get(key) else {
            continue;
        };
        let (Some(id), Some(version)) = (&a.instrument, &a.version) else {
            continue;
        };
        let recorded = library
            .law
            .instrument(id)
            .and_then(|i| i.versions.iter().find(|v| &v.version == version));
        let Some(v) = recorded else {
            out.push(
                Diagnostic::error(
                    Code::SupersededAuthority,
                    format!("authority `{key}` is version {version} of `{id}`, which instruments.toml does not record"),
                )
                .at(at.clone())
                .hint("add the version, with its dates, to instruments.toml"),
            );
            continue;
        };
        let Some(ended) = v.to.as_ref().and_then(crate::law::day) else {
            continue;
        };
        if clause.law_to.is_none_or(|to| to > ended) {
            out.push(
                Diagnostic::error(
                    Code::SupersededAuthority,
                    format!(
                        "clause `{}` relies on `{key}` ({id} version {version}), superseded on {}, but can be selected for letters dated after that",
                        clause.id,
                        ended.format("%-d %B %Y")
                    ),
                )
                .at(at.clone())
                .hint(format!(
                    "declare `law_to = {ended}` in the clause's front matter, or cite the instrument without a version and name it with `{{{{derived.regime.citation}}}}`"
                )),
            );
        }
    }
    out
}

/// `checked` dates more than 12 months before `today`, in the authorities and the instruments.
pub fn stale_checks(library: &Library, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    let limit = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today);
    let mut out = Vec::new();
    let mut stale = |what: String, checked: Option<&toml::value::Datetime>| {
        if let Some(day) = checked.and_then(crate::law::day)
            && day < limit
        {
            out.push(
                Diagnostic::warning(
                    Code::StaleCheck,
                    format!(
                        "{what} was last checked on {}, more than 12 months ago",
                        day.format("%-d %B %Y")
                    ),
                )
                .hint("check it against the current public text and update `checked`"),
            );
        }
    };
    for (key, a) in &library.authorities {
        stale(format!("authority `{key}`"), a.checked.as_ref());
    }
    for i in &library.law.instruments {
        for v in &i.versions {
            stale(
                format!("`{}` version {}", i.id, v.version),
                v.checked.as_ref(),
            );
        }
    }
    for p in &library.law.pauses {
        stale(format!("pause `{}`", p.id), p.checked.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(law_to: &str) -> Library {
        let clause = format!(
            "+++\nid = \"ps.ktt\"\naxis = \"personal_situation\"\ntitle = \"T\"\nwhen = \"true\"\nauthorities = [\"dl_v10\"]\nversion = 1\nreviewed = 2026-11-30\n{law_to}+++\nText {{{{cite \"dl_v10\"}}}}.\n"
        );
        let authorities = "[dl_v10]\nkind = \"guidance\"\nfull = \"DL v10\"\nshort = \"DL\"\ninstrument = \"dl_policy\"\nversion = \"10\"\nchecked = 2024-01-10\n";
        Library::from_files(
            "t",
            vec![
                ("t/ps.ktt.md".into(), clause),
                ("t/authorities.toml".into(), authorities.to_string()),
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_clause_relying_on_a_superseded_version_must_declare_its_period() {
        // The built-in instruments end DL version 10 on 30 May 2024.
        let open = lint(&library(""));
        let found: Vec<&str> = open
            .iter()
            .filter(|d| d.code == Code::SupersededAuthority)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            found,
            [
                "clause `ps.ktt` relies on `dl_v10` (dl_policy version 10), superseded on 30 May 2024, but can be selected for letters dated after that"
            ]
        );
        let bounded = lint(&library("law_to = 2024-05-30\n"));
        assert!(!bounded.iter().any(|d| d.code == Code::SupersededAuthority));
    }

    #[test]
    fn checks_older_than_twelve_months_are_warned_about() {
        let lib = library("law_to = 2024-05-30\n");
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let stale: Vec<String> = stale_checks(&lib, day("2025-01-11"))
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(
            stale,
            ["authority `dl_v10` was last checked on 10 January 2024, more than 12 months ago"]
        );
        assert!(
            stale_checks(&lib, day("2025-01-10"))
                .iter()
                .all(|d| !d.message.contains("dl_v10"))
        );
    }

    #[test]
    fn knows_case_and_derived_paths() {
        assert!(known_path("client.dob_accepted"));
        assert!(known_path("health.treatments"));
        assert!(known_path("derived.grounds.recovery"));
        assert!(known_path("derived.age.cg.claimed"));
        assert!(!known_path("client.dob"));
        assert!(!known_path("derived.child_at_vts"));
        assert_eq!(
            suggestion("client.dob_acepted").as_deref(),
            Some("client.dob_accepted")
        );
    }

    #[test]
    fn finds_paths_and_cites_in_bodies() {
        let body = "A {{date nrm.cg_decision.date}} and {{#if (eq matter.letter_mode \"x\")}}{{cite \"pk_ghana\" \"[37]\"}}{{/if}}\n{{#each health.treatments}}{{this.provider}}{{/each}}";
        let paths: Vec<String> = body_paths(body).into_iter().map(|(_, p)| p).collect();
        assert_eq!(
            paths,
            vec![
                "nrm.cg_decision.date",
                "matter.letter_mode",
                "health.treatments"
            ]
        );
        assert_eq!(body_cites(body), vec![(0, "pk_ghana".to_string())]);
    }
}
