//! Matching: which clauses the facts select, each decision with its reason. Pure: no IO.

use std::collections::BTreeSet;

use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use serde::Serialize;
use serde_json::Value as Json;

use crate::clauses::{Library, SectionKey};
use crate::diag::{Code, Diagnostic};
use crate::facts::Context;

/// The facts as CEL variables: one per top-level key of the context (`matter`, …, `derived`).
fn cel_context(context: &Context) -> cel::Context<'static, 'static> {
    let mut cel_context = cel::Context::default();
    if let Json::Object(map) = &context.json {
        for (key, value) in map {
            if let Ok(value) = cel::to_value(value) {
                cel_context.add_variable_from_value(key.clone(), value);
            }
        }
    }
    cel_context
}

/// Why a clause was selected or rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The `when` condition was true.
    ConditionTrue,
    /// The `when` condition was false.
    ConditionFalse,
    /// The condition read a fact this case does not set.
    FactNotSet { path: String },
    /// The condition could not be evaluated (a type mismatch, say).
    EvaluationError { message: String },
    /// A selected clause excludes this one.
    ExcludedBy { clause: String },
    /// The solicitor's drafting instruction (numbered from 1, as `explain` lists them) left out
    /// a clause the facts selected.
    OmittedBySolicitor { instruction: usize, reason: String },
    /// The solicitor's drafting instruction brought in a clause the facts did not select;
    /// `condition` is what the facts alone decided.
    IncludedBySolicitor {
        instruction: usize,
        reason: String,
        condition: Box<Reason>,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::ConditionTrue => write!(f, "condition is true"),
            Reason::ConditionFalse => write!(f, "condition is false"),
            Reason::FactNotSet { path } => write!(f, "fact `{path}` is not set in this case"),
            Reason::EvaluationError { message } => {
                write!(f, "condition could not be evaluated: {message}")
            }
            Reason::ExcludedBy { clause } => write!(f, "excluded by `{clause}`"),
            Reason::OmittedBySolicitor {
                instruction,
                reason,
            } => write!(
                f,
                "left out by the solicitor (drafting instruction {instruction}): {reason}"
            ),
            Reason::IncludedBySolicitor {
                instruction,
                reason,
                condition,
            } => write!(
                f,
                "brought in by the solicitor (drafting instruction {instruction}): {reason}; on the facts alone, {condition}"
            ),
        }
    }
}

/// A fact a condition read, and its value in this case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactValue {
    pub path: String,
    /// The value as JSON text, or `(not set)`.
    pub value: String,
}

/// One decision about one clause.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    pub version: u32,
    pub section: SectionKey,
    pub title: String,
    /// The condition as written, and where.
    pub when: String,
    pub defined_at: String,
    pub reason: Reason,
    /// The reason in words (`reasons.toml`): for a selected clause, what each part of its
    /// condition found; for one whose condition was false, the parts that were false.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<String>,
    pub facts: Vec<FactValue>,
}

impl Decision {
    /// `id@version`, as `explain`, the reviewer's copy and the manifests print it.
    pub fn stamp(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// Every clause of the library, selected or rejected, in letter order.
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    pub selected: Vec<Decision>,
    pub rejected: Vec<Decision>,
    /// Problems in conditions (e.g. comparing a string with a number).
    pub diagnostics: Vec<Diagnostic>,
}

impl Selection {
    pub fn selected_ids(&self) -> Vec<&str> {
        self.selected.iter().map(|d| d.id.as_str()).collect()
    }

    /// `id@version` of each selected clause.
    pub fn selected_stamps(&self) -> Vec<String> {
        self.selected.iter().map(Decision::stamp).collect()
    }
}

/// Evaluates every clause's condition against the facts.
pub fn select(context: &Context, library: &Library) -> Selection {
    let cel_context = cel_context(context);
    let mut decisions = Vec::new();
    let mut diagnostics = Vec::new();
    for clause in &library.clauses {
        let paths = fact_paths(clause.program.expression());
        let facts: Vec<FactValue> = paths
            .iter()
            .map(|path| FactValue {
                path: path.clone(),
                value: context
                    .lookup(path)
                    .map_or_else(|| "(not set)".to_string(), |v| v.to_string()),
            })
            .collect();
        let reason = match clause.program.execute(&cel_context) {
            Ok(cel::Value::Bool(true)) => Reason::ConditionTrue,
            Ok(cel::Value::Bool(false)) => Reason::ConditionFalse,
            Ok(other) => {
                let message = format!("the condition gave {other:?}, not true or false");
                diagnostics.push(
                    Diagnostic::warning(
                        Code::BadCondition,
                        format!("clause `{}`: {message}", clause.id),
                    )
                    .at(crate::diag::Location {
                        file: clause.file.clone(),
                        line: clause.when_line,
                        column: 1,
                    }),
                );
                Reason::EvaluationError { message }
            }
            Err(cel::ExecutionError::NoSuchKey(key)) => {
                let missing = facts
                    .iter()
                    .find(|f| f.value == "(not set)" && f.path.ends_with(key.as_str()));
                Reason::FactNotSet {
                    path: missing.map_or_else(|| key.to_string(), |f| f.path.clone()),
                }
            }
            Err(e) => {
                let message = e.to_string();
                diagnostics.push(
                    Diagnostic::warning(
                        Code::BadCondition,
                        format!("clause `{}`: {message}", clause.id),
                    )
                    .at(crate::diag::Location {
                        file: clause.file.clone(),
                        line: clause.when_line,
                        column: 1,
                    }),
                );
                Reason::EvaluationError { message }
            }
        };
        let because = because(clause, &reason, &cel_context, library);
        decisions.push(Decision {
            id: clause.id.clone(),
            version: clause.version,
            section: clause.section,
            title: clause.title.clone(),
            when: clause.when.clone(),
            defined_at: format!("{}:{}", clause.file.display(), clause.when_line),
            reason,
            because,
            facts,
        });
    }
    // Exclusions: a selected clause rejects the clauses it excludes; earlier clauses win ties.
    for i in 0..decisions.len() {
        if decisions[i].reason != Reason::ConditionTrue {
            continue;
        }
        let excluder = decisions[i].id.clone();
        let excludes = &library.clauses[i].excludes;
        for d in decisions.iter_mut() {
            if excludes.contains(&d.id) && d.reason == Reason::ConditionTrue {
                d.reason = Reason::ExcludedBy {
                    clause: excluder.clone(),
                };
                d.because.clear();
            }
        }
    }
    let (selected, rejected) = decisions
        .into_iter()
        .partition(|d| d.reason == Reason::ConditionTrue);
    Selection {
        selected,
        rejected,
        diagnostics,
    }
}

/// The words for a decision: every part of a true condition as it held; the parts of a false
/// one that were false (a part that cannot be evaluated alone, say because it reads a fact this
/// case does not set, is left out rather than guessed).
fn because(
    clause: &crate::clauses::Clause,
    reason: &Reason,
    context: &cel::Context<'static, 'static>,
    library: &Library,
) -> Vec<String> {
    let words = |part: &crate::clauses::reasons::Part, holds: bool| {
        library.reasons.words(part, holds).map_or_else(
            || {
                format!(
                    "`{}` {}",
                    part.text,
                    if holds { "holds" } else { "does not hold" }
                )
            },
            str::to_string,
        )
    };
    match reason {
        Reason::ConditionTrue => clause.parts.iter().map(|p| words(p, true)).collect(),
        Reason::ConditionFalse => clause
            .parts
            .iter()
            .filter(|p| match &p.expression {
                Some(expression) => matches!(
                    cel::Value::resolve(expression, context),
                    Ok(cel::Value::Bool(false))
                ),
                // The whole condition, which was false.
                None => true,
            })
            .map(|p| words(p, false))
            .collect(),
        _ => Vec::new(),
    }
}

/// The dotted fact paths an expression reads (`derived.grounds.recovery`), leaving out the
/// variables that comprehensions bind (`e` in `evidence.exists(e, …)`).
pub fn fact_paths(expr: &IdedExpr) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk(expr, &mut Vec::new(), &mut out);
    out.into_iter().collect()
}

fn walk(expr: &IdedExpr, bound: &mut Vec<String>, out: &mut BTreeSet<String>) {
    match &expr.expr {
        Expr::Ident(name) => {
            if !bound.contains(name) {
                out.insert(name.clone());
            }
        }
        Expr::Select(select) => match qualified(expr) {
            Some(path) => {
                let root = path.split('.').next().unwrap_or_default();
                if !bound.iter().any(|b| b == root) {
                    out.insert(path);
                }
            }
            None => walk(&select.operand, bound, out),
        },
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                walk(target, bound, out);
            }
            for arg in &call.args {
                walk(arg, bound, out);
            }
        }
        Expr::Comprehension(c) => {
            walk(&c.iter_range, bound, out);
            bound.push(c.iter_var.clone());
            bound.extend(c.iter_var2.clone());
            bound.push(c.accu_var.clone());
            for e in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                walk(e, bound, out);
            }
            bound.pop();
            if c.iter_var2.is_some() {
                bound.pop();
            }
            bound.pop();
        }
        Expr::List(list) => list.elements.iter().for_each(|e| walk(e, bound, out)),
        Expr::Map(map) => map.entries.iter().for_each(|e| match &e.expr {
            EntryExpr::MapEntry(m) => {
                walk(&m.key, bound, out);
                walk(&m.value, bound, out);
            }
            EntryExpr::StructField(f) => walk(&f.value, bound, out),
        }),
        Expr::Struct(s) => s.entries.iter().for_each(|e| {
            if let EntryExpr::StructField(f) = &e.expr {
                walk(&f.value, bound, out);
            }
        }),
        Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// `a.b.c` for a chain of field selections on an identifier (including `has(a.b.c)`).
fn qualified(expr: &IdedExpr) -> Option<String> {
    let mut segments = Vec::new();
    let mut current = expr;
    loop {
        match &current.expr {
            Expr::Ident(name) => {
                segments.push(name.clone());
                segments.reverse();
                return Some(segments.join("."));
            }
            Expr::Select(select) => {
                segments.push(select.field.clone());
                current = &select.operand;
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_paths_but_not_comprehension_variables() {
        let program = cel::Program::compile(
            "derived.grounds.recovery && has(client.dob_accepted) && evidence.exists(e, e.doc_type == 'gp_letter') && size(health.treatments) > 0",
        )
        .unwrap();
        let paths = fact_paths(program.expression());
        assert_eq!(
            paths,
            vec![
                "client.dob_accepted",
                "derived.grounds.recovery",
                "evidence",
                "health.treatments"
            ]
        );
    }
}
