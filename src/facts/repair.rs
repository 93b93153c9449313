//! Stand-ins for the answers that failed validation, so the cross-field checks run in the same
//! pass and a paralegal sees every problem at once, not in rounds.
//!
//! Each answer that validation refused (or found missing) is replaced by a value of the right
//! kind, or dropped when optional; unknown keys are dropped. The paths replaced are returned so
//! that a check reading any of them is skipped: a stand-in is never reported on.

use std::collections::BTreeSet;

use super::node::{Key, Node, Value};
use super::schema::Shape;
use super::validate::{push_index, push_name};

/// The field paths validation reported errors on, in the diagnostics' own spelling
/// (`evidence[2].registration`), and whether a check may read a path.
#[derive(Debug, Default)]
pub struct Refused(BTreeSet<String>);

impl Refused {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Refused {
        Refused(paths.into_iter().collect())
    }

    /// Whether `path`, everything under it and everything above it was answered validly: a
    /// check that reads `evidence` is skipped when `evidence[1].id` was refused, and one that
    /// reads `nrm.cg_decision.date` when `nrm` was.
    pub fn known(&self, path: &str) -> bool {
        !self
            .0
            .iter()
            .any(|refused| within(refused, path) || within(path, refused))
    }

    /// Whether every path in `paths` is [`Refused::known`].
    pub fn all_known(&self, paths: &[&str]) -> bool {
        paths.iter().all(|p| self.known(p))
    }
}

/// Whether `inner` is `outer` or a path under it.
fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// The tree with refused answers replaced or dropped and unknown keys dropped, so that it fits
/// the model; `None` when the root itself was refused.
pub fn repair(node: &Node, shape: &Shape, refused: &Refused) -> Option<Node> {
    value(node, shape, &mut String::new(), refused)
}

/// `path` is grown and cut back in one buffer as the walk goes down and up: the model has
/// hundreds of fields, and each used to get a string of its own, answered or not.
fn value(node: &Node, shape: &Shape, path: &mut String, refused: &Refused) -> Option<Node> {
    if refused.0.contains(path.as_str()) || (path.is_empty() && refused.0.contains("(the file)")) {
        return None;
    }
    let parent = path.len();
    let repaired = match (shape, &node.value) {
        (Shape::Table { fields, .. }, Value::Table(entries)) => {
            let mut kept: Vec<(Key, Node)> = Vec::new();
            for field in fields {
                let found = entries
                    .iter()
                    .find(|(k, v)| k.name == field.name && v.value != Value::Null);
                let repaired = found.and_then(|(_, v)| {
                    push_name(path, &field.name);
                    let repaired = value(v, &field.shape, path, refused);
                    path.truncate(parent);
                    repaired
                });
                let key = Key {
                    name: field.name.clone(),
                    span: found.map_or(0..0, |(k, _)| k.span.clone()),
                };
                match repaired {
                    Some(v) => kept.push((key, v)),
                    None if field.required => {
                        kept.push((key, Node::new(stand_in(&field.shape), 0..0)))
                    }
                    None => {}
                }
            }
            Value::Table(kept)
        }
        (Shape::List(inner), Value::Array(items)) => Value::Array(
            // Refused items are stood in for, not dropped: later items keep their index.
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    push_index(path, i);
                    let repaired = value(item, inner, path, refused);
                    path.truncate(parent);
                    repaired.unwrap_or_else(|| Node::new(stand_in(inner), 0..0))
                })
                .collect(),
        ),
        (Shape::Table { .. } | Shape::List(_), _) => return None,
        (_, Value::Table(_) | Value::Array(_)) => return None,
        (_, other) => other.clone(),
    };
    Some(Node::new(repaired, node.span.clone()))
}

/// A value of the right kind that no check is allowed to read.
fn stand_in(shape: &Shape) -> Value {
    match shape {
        Shape::Table { fields, .. } => Value::Table(
            fields
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    let key = Key {
                        name: f.name.clone(),
                        span: 0..0,
                    };
                    (key, Node::new(stand_in(&f.shape), 0..0))
                })
                .collect(),
        ),
        Shape::List(_) => Value::Array(Vec::new()),
        Shape::Str => Value::Str("-".into()),
        Shape::Int => Value::Int(0),
        Shape::Bool => Value::Bool(false),
        Shape::Date { .. } | Shape::PartialDate => Value::Str("2000-01-01".into()),
        Shape::Enum(values) => {
            Value::Str(values.first().map(|c| c.value.clone()).unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_path_hides_what_is_above_and_below_it_only() {
        let refused = Refused::new(["evidence[1].id".to_string()]);
        assert!(!refused.known("evidence"));
        assert!(!refused.known("evidence[1]"));
        assert!(!refused.known("evidence[1].id"));
        assert!(refused.known("evidence[0].id"));
        assert!(refused.known("evidence[10].id"));
        assert!(refused.known("matter"));
        let refused = Refused::new(["nrm".to_string()]);
        assert!(!refused.known("nrm.cg_decision.date"));
        assert!(refused.known("nrm_other"));
    }
}
