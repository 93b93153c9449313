//! The words for why a clause was used or not (`reasons.toml`): each part of a clause's
//! condition (its `&&`-joined parts) with what it means when it holds and when it does not, so
//! `explain`, the reviewer's copy and the web page can say "the client is an adult now" rather
//! than `!derived.child_at_letter`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Location};

/// The shipped wording, used by a `--clauses` folder that has none of its own.
pub const BUILTIN_FILE: &str = "clauses/reasons.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    yes: String,
    no: String,
}

/// What each condition part means, by the part as written (see [`key`]).
#[derive(Debug, Clone, Default)]
pub struct Reasons {
    entries: BTreeMap<String, Entry>,
}

/// One part of a condition: its text, and how to look it up.
#[derive(Debug)]
pub struct Part {
    /// As written in the clause.
    pub text: String,
    /// Without an outer `!` or an outer pair of brackets: the key in `reasons.toml`.
    pub key: String,
    /// Whether the part is the key negated (`!key`).
    pub negated: bool,
    /// The part on its own, to find which parts of a false condition were false; `None` when
    /// the part is the whole condition (the clause's own program).
    pub expression: Option<cel::IdedExpr>,
}

impl Reasons {
    /// The built-in wording (checked by a unit test, so this cannot fail in a release).
    pub fn builtin() -> Reasons {
        let text = super::embedded_file(BUILTIN_FILE).expect("the reasons are embedded");
        Reasons::parse(Path::new(BUILTIN_FILE), text).expect("the built-in reasons are valid")
    }

    pub fn parse(path: &Path, text: &str) -> Result<Reasons, Vec<Diagnostic>> {
        toml::from_str::<BTreeMap<String, Entry>>(text)
            .map(|entries| Reasons { entries })
            .map_err(|e| {
                let line = e
                    .span()
                    .map_or(1, |s| text[..s.start].matches('\n').count() as u32 + 1);
                vec![
                    Diagnostic::error(Code::BadPhrases, format!("reasons.toml: {}", e.message()))
                        .at(Location {
                            file: path.to_path_buf(),
                            line,
                            column: 1,
                        })
                        .hint("each entry is a quoted part of a condition with `yes = \"…\"` and `no = \"…\"` under it"),
                ]
            })
    }

    /// What `part` means, holding (`true`) or not; `None` when the file has no words for it.
    pub fn words(&self, part: &Part, holds: bool) -> Option<&str> {
        let entry = self.entries.get(&part.key)?;
        Some(if holds != part.negated {
            &entry.yes
        } else {
            &entry.no
        })
    }

    /// Whether the file has words for `part`.
    pub fn has(&self, part: &Part) -> bool {
        self.entries.contains_key(&part.key)
    }
}

/// `when` split into its top-level `&&` parts (brackets and strings respected), each with its
/// expression; `None` when a part does not compile alone (the condition is then one part).
///
/// The expressions are taken from `program`, `when` compiled, whose `&&` chain holds one operand
/// per part in order (compiling each part again would double the cost of loading the library);
/// when the chain does not match the text's parts, say because a part is a bracketed `&&`, each
/// part is compiled alone.
pub fn parts(when: &str, program: &cel::Program) -> Option<Vec<Part>> {
    let texts = split_and(when);
    let mut operands = Vec::new();
    and_operands(program.expression(), &mut operands);
    let expressions: Vec<cel::IdedExpr> = if operands.len() == texts.len() {
        operands.into_iter().cloned().collect()
    } else {
        texts
            .iter()
            .map(|t| {
                cel::Program::compile(t)
                    .ok()
                    .map(|p| p.expression().clone())
            })
            .collect::<Option<_>>()?
    };
    Some(
        texts
            .into_iter()
            .zip(expressions)
            .map(|(text, expression)| {
                let (key, negated) = key(&text);
                Part {
                    text,
                    key,
                    negated,
                    expression: Some(expression),
                }
            })
            .collect(),
    )
}

/// The operands of `expr`'s top-level `&&` chain, left to right (the parser balances the tree).
fn and_operands<'e>(expr: &'e cel::IdedExpr, out: &mut Vec<&'e cel::IdedExpr>) {
    match &expr.expr {
        cel::common::ast::Expr::Call(call)
            if call.func_name == cel::common::ast::operators::LOGICAL_AND
                && call.target.is_none()
                && call.args.len() == 2 =>
        {
            and_operands(&call.args[0], out);
            and_operands(&call.args[1], out);
        }
        _ => out.push(expr),
    }
}

/// The key of a part: an outer `!` and outer brackets taken off (`!(a || b)` is `a || b`,
/// negated).
pub fn key(part: &str) -> (String, bool) {
    let mut text = part.trim();
    let mut negated = false;
    loop {
        if let Some(rest) = text.strip_prefix('!')
            && (rest.starts_with('(') && wrapped(rest) || is_path(rest) || is_call(rest))
        {
            negated = !negated;
            text = rest.trim();
            continue;
        }
        if wrapped(text) {
            text = text[1..text.len() - 1].trim();
            continue;
        }
        return (text.to_string(), negated);
    }
}

/// `has(a.b)`: one call, its brackets closing at the end.
fn is_call(text: &str) -> bool {
    text.find('(').is_some_and(|at| {
        at > 0
            && text[..at]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && wrapped(&text[at..])
    })
}

/// `a.b.c`: a plain fact path.
fn is_path(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Whether `text` is one bracketed expression, `( … )`, as a whole.
fn wrapped(text: &str) -> bool {
    if !(text.starts_with('(') && text.ends_with(')')) {
        return false;
    }
    let mut depth = 0;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => {
                depth -= 1;
                if depth == 0 && i + 1 < text.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The top-level `&&` parts of `when`.
fn split_and(when: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let (mut depth, mut quoted) = (0i32, false);
    let mut chars = when.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth -= 1,
            '&' if !quoted && depth == 0 && chars.peek() == Some(&'&') => {
                chars.next();
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current.trim().to_string());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_split_into_parts_with_keys() {
        let when = "derived.grounds.recovery && !derived.child_at_letter && (a.b == \"x && y\" || c) && !(d && e)";
        let parts = parts(when, &cel::Program::compile(when).unwrap()).unwrap();
        let keys: Vec<(&str, bool)> = parts.iter().map(|p| (p.key.as_str(), p.negated)).collect();
        assert_eq!(
            keys,
            vec![
                ("derived.grounds.recovery", false),
                ("derived.child_at_letter", true),
                ("a.b == \"x && y\" || c", false),
                ("d && e", true),
            ]
        );
        // `!a || b` is not a negated part: the `!` belongs to `a` only.
        assert_eq!(key("!a || b"), ("!a || b".to_string(), false));
        assert_eq!(key("(a) || (b)"), ("(a) || (b)".to_string(), false));
        assert_eq!(key("!has(a.b)"), ("has(a.b)".to_string(), true));
        assert_eq!(key("!has(a) || b"), ("!has(a) || b".to_string(), false));
    }

    /// Every part of every shipped condition has words, so `explain` never falls back to the
    /// rule language for the shipped library.
    #[test]
    fn every_shipped_condition_part_has_words() {
        let library = crate::clauses::Library::builtin().unwrap();
        let reasons = Reasons::builtin();
        let mut missing = Vec::new();
        for clause in &library.clauses {
            for part in parts(&clause.when, &clause.program).expect("the parts compile") {
                if !reasons.has(&part) {
                    missing.push(format!("{}: {}", clause.id, part.key));
                }
            }
        }
        assert!(missing.is_empty(), "no words for:\n{}", missing.join("\n"));
    }

    /// Each part's expression, taken from the whole condition, is the part compiled alone.
    #[test]
    fn parts_taken_from_the_condition_are_the_parts_compiled_alone() {
        // The parser numbers nodes, so compare the trees with their numbers taken out.
        fn shape(expr: &cel::IdedExpr) -> String {
            let text = format!("{:?}", expr.expr);
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("id: ") {
                out.push_str(&rest[..at]);
                rest = rest[at + 4..].trim_start_matches(|c: char| c.is_ascii_digit());
            }
            out + rest
        }
        let library = crate::clauses::Library::builtin().unwrap();
        let mut bracketed = 0;
        for clause in &library.clauses {
            let parts = parts(&clause.when, &clause.program).expect("the parts compile");
            let texts = split_and(&clause.when);
            assert_eq!(parts.len(), texts.len(), "{}", clause.id);
            for (part, text) in parts.iter().zip(&texts) {
                let alone = cel::Program::compile(text).unwrap();
                assert_eq!(
                    shape(part.expression.as_ref().unwrap()),
                    shape(alone.expression()),
                    "{}: {text}",
                    clause.id
                );
            }
            bracketed += usize::from(texts.iter().any(|t| t.starts_with('(') && t.contains("&&")));
        }
        // A bracketed `&&` part takes the other road; make sure the test sees the common one.
        assert!(bracketed < library.clauses.len());
        let when = "a && (b && c)";
        let parts = parts(when, &cel::Program::compile(when).unwrap()).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            shape(parts[1].expression.as_ref().unwrap()),
            shape(cel::Program::compile("(b && c)").unwrap().expression())
        );
    }
}
