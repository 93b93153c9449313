//! A parsed input file as a tree of values that remember where they were written.
//!
//! TOML and JSON both become a [`Node`] tree first, so validation, error locations and CSV rows
//! (which have no file positions) share one code path.

use std::ops::Range;

/// A value and the byte range it came from (empty for values with no source, e.g. CSV cells).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

/// The values case files can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

/// A table key and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

/// Why a file could not be parsed at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub offset: usize,
}

impl Value {
    /// The user-facing name of this kind of value ("a string", "a table").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean (true/false)",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "a string",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

impl Node {
    pub fn new(value: Value, span: Range<usize>) -> Node {
        Node { value, span }
    }

    /// The entry `key` of a table node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows a field path such as `health.treatments[1].start`; returns the deepest node found.
    pub fn locate(&self, path: &str) -> &Node {
        let mut node = self;
        for segment in path.split('.') {
            let (name, indices) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            if !name.is_empty() {
                match node.get(name) {
                    Some(next) => node = next,
                    None => return node,
                }
            }
            for index in indices.split('[').filter(|s| !s.is_empty()) {
                let Ok(i) = index.trim_end_matches(']').parse::<usize>() else {
                    return node;
                };
                match &node.value {
                    Value::Array(items) if i < items.len() => node = &items[i],
                    _ => return node,
                }
            }
        }
        node
    }

    /// The plain JSON value, without nulls (an absent fact is left out, never `null`).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Str(s) => s.clone().into(),
            Value::Array(items) => items
                .iter()
                .filter(|n| n.value != Value::Null)
                .map(Node::to_json)
                .collect(),
            Value::Table(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .filter(|(_, n)| n.value != Value::Null)
                    .map(|(k, n)| (k.name.clone(), n.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses TOML, keeping spans. Dates written as TOML date literals become ISO strings.
pub fn parse_toml(text: &str) -> Result<Node, ParseError> {
    let table = toml::de::DeTable::parse(text).map_err(|e| ParseError {
        message: e.message().trim_end_matches('\n').to_string(),
        offset: e.span().map_or(0, |s| s.start),
    })?;
    let span = table.span();
    Ok(Node::new(toml_table(table.into_inner()), span))
}

fn toml_table(table: toml::de::DeTable<'_>) -> Value {
    Value::Table(
        table
            .into_iter()
            .map(|(k, v)| {
                let key = Key {
                    name: k.get_ref().to_string(),
                    span: k.span(),
                };
                (key, toml_node(v))
            })
            .collect(),
    )
}

fn toml_node(value: toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let span = value.span();
    let value = match value.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Str(i.as_str().to_string()),
        },
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Array(items.into_iter().map(toml_node).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node::new(value, span)
}

/// Parses strict JSON (no comments or trailing commas), keeping spans.
pub fn parse_json(text: &str) -> Result<Node, ParseError> {
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| ParseError {
            message: e.kind().to_string(),
            offset: e.range().start,
        })?;
    match parsed.value {
        Some(value) => Ok(json_node(&value)),
        None => Err(ParseError {
            message: "the file holds no JSON value".into(),
            offset: 0,
        }),
    }
}

fn json_node(value: &jsonc_parser::ast::Value<'_>) -> Node {
    use jsonc_parser::ast::Value as J;
    let range = |r: &jsonc_parser::common::Range| r.start..r.end;
    match value {
        J::StringLit(s) => Node::new(Value::Str(s.value.to_string()), range(&s.range)),
        J::NumberLit(n) => {
            let v = n
                .value
                .parse::<i64>()
                .map(Value::Int)
                .or_else(|_| n.value.parse::<f64>().map(Value::Float))
                .unwrap_or_else(|_| Value::Str(n.value.to_string()));
            Node::new(v, range(&n.range))
        }
        J::BooleanLit(b) => Node::new(Value::Bool(b.value), range(&b.range)),
        J::NullKeyword(k) => Node::new(Value::Null, range(&k.range)),
        J::Array(a) => Node::new(
            Value::Array(a.elements.iter().map(json_node).collect()),
            range(&a.range),
        ),
        J::Object(o) => Node::new(
            Value::Table(
                o.properties
                    .iter()
                    .map(|p| {
                        let (name, r) = match &p.name {
                            jsonc_parser::ast::ObjectPropName::String(s) => {
                                (s.value.to_string(), range(&s.range))
                            }
                            jsonc_parser::ast::ObjectPropName::Word(w) => {
                                (w.value.to_string(), range(&w.range))
                            }
                        };
                        (Key { name, span: r }, json_node(&p.value))
                    })
                    .collect(),
            ),
            range(&o.range),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keeps_spans_and_dates_become_strings() {
        let text = "[nrm.cg_decision]\ndate = 2026-08-20\noutcome = \"positive\"\n";
        let root = parse_toml(text).unwrap();
        let date = root.locate("nrm.cg_decision.date");
        assert_eq!(date.value, Value::Str("2026-08-20".into()));
        assert_eq!(&text[date.span.clone()], "2026-08-20");
    }

    #[test]
    fn json_keeps_spans() {
        let text = r#"{"health": {"treatments": [{"start": "2026-06"}, {"start": "bad"}]}}"#;
        let root = parse_json(text).unwrap();
        let node = root.locate("health.treatments[1].start");
        assert_eq!(&text[node.span.clone()], "\"bad\"");
        assert!(parse_json("{\"a\": 1,}").is_err());
    }
}
