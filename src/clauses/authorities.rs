//! The authorities table: every instrument and case the clauses cite, with full and short forms.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Location};

/// Kinds of authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityKind {
    Statute,
    Rules,
    Guidance,
    Case,
    Treaty,
    Report,
}

/// One entry of `authorities.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub kind: AuthorityKind,
    /// The full citation (all kinds but cases).
    #[serde(default)]
    pub full: Option<String>,
    /// A case's name, printed in italics.
    #[serde(default)]
    pub name: Option<String>,
    /// A case's neutral citation, e.g. `[2022] EWCA Civ 307`.
    #[serde(default)]
    pub neutral: Option<String>,
    /// The form used after the first citation.
    pub short: String,
    #[serde(default)]
    pub court: Option<String>,
    #[serde(default)]
    pub decided: Option<toml::value::Datetime>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub effective_from: Option<toml::value::Datetime>,
    #[serde(default)]
    pub superseded: bool,
    #[serde(default)]
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub pinpoints: Vec<String>,
    #[serde(default)]
    pub unverified: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// The instrument of `instruments.toml` this authority is a version of (`version` names
    /// which), so `clauses lint` can check the version was in force when the clause is used.
    #[serde(default)]
    pub instrument: Option<String>,
    /// When the citation was last checked against a public source.
    #[serde(default)]
    pub checked: Option<toml::value::Datetime>,
}

/// A run of citation text and whether it is italic.
pub type Run = (String, bool);

impl Authority {
    /// The full citation as runs of text (case names in italics).
    pub fn full_runs(&self) -> Vec<Run> {
        match (self.kind, &self.name, &self.neutral) {
            (AuthorityKind::Case, Some(name), Some(neutral)) => {
                vec![(name.clone(), true), (format!(" {neutral}"), false)]
            }
            (AuthorityKind::Case, Some(name), None) => vec![(name.clone(), true)],
            _ => vec![(
                self.full.clone().unwrap_or_else(|| self.short.clone()),
                false,
            )],
        }
    }

    /// The short form (italic for cases).
    pub fn short_runs(&self) -> Vec<Run> {
        vec![(self.short.clone(), self.kind == AuthorityKind::Case)]
    }
}

/// Parses `authorities.toml`, checking each entry has what its kind needs.
pub fn parse(path: &Path, text: &str) -> Result<BTreeMap<String, Authority>, Vec<Diagnostic>> {
    let table: BTreeMap<String, Authority> = toml::from_str(text).map_err(|e| {
        vec![
            Diagnostic::error(
                Code::BadAuthorities,
                format!("authorities table: {}", e.message().trim()),
            )
            .at(Location::at(path, text, e.span().map_or(0, |s| s.start))),
        ]
    })?;
    let mut problems = Vec::new();
    let line_of = |key: &str| -> Location {
        let offset = text.find(&format!("[{key}]")).unwrap_or(0);
        Location::at(path, text, offset)
    };
    for (key, a) in &table {
        if a.kind == AuthorityKind::Case && a.name.is_none() {
            problems.push(
                Diagnostic::error(Code::BadAuthorities, format!("case `{key}` needs a `name`"))
                    .at(line_of(key)),
            );
        }
        if a.kind != AuthorityKind::Case && a.full.is_none() {
            problems.push(
                Diagnostic::error(
                    Code::BadAuthorities,
                    format!("`{key}` needs a `full` citation"),
                )
                .at(line_of(key)),
            );
        }
        if let Some(next) = &a.superseded_by
            && !table.contains_key(next)
        {
            problems.push(
                Diagnostic::error(
                    Code::BadAuthorities,
                    format!("`{key}` is superseded by `{next}`, which is not in the table"),
                )
                .at(line_of(key)),
            );
        }
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems)
    }
}
