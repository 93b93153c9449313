//! The shape of a case file, derived once from the typed model's JSON Schema.
//!
//! One source of truth: the validator, the `new` questionnaire, CSV column names and the clause
//! linter's fact paths all walk this shape, so a field added to [`super::model`] appears in all
//! of them without further code.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde_json::{Map, Value as Json};

use super::model::{Case, Representative};

/// One field of a table.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The help text (the model's doc comment).
    pub doc: String,
    pub required: bool,
    pub shape: Shape,
    /// The default value, for questionnaires (`None` when the field has none).
    pub default: Option<Json>,
    /// The value is the `id` of an entry in the case's evidence list (the model marks such
    /// fields with the JSON-Schema format `evidence-id`), so the questionnaire offers that list.
    pub evidence_ref: bool,
}

/// What a value must look like.
#[derive(Debug, Clone)]
pub enum Shape {
    Table {
        name: String,
        doc: String,
        fields: Vec<Field>,
    },
    List(Box<Shape>),
    Str,
    Int,
    Bool,
    /// A full date; `why` says why the day is needed (the model's `x-day-needed` on the field),
    /// for the error a month or year alone gets.
    Date {
        why: Option<String>,
    },
    /// A date that may be only a month or a year.
    PartialDate,
    /// Allowed values with their descriptions and the other words people use for them.
    Enum(Vec<Choice>),
}

/// One allowed value of an enumeration.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    /// What it means (the variant's doc comment); may be empty.
    pub doc: String,
    /// Other words a paralegal may write for it, used only to suggest this value when what was
    /// written is not one of the values. They are kept on the enum in the model, beside the
    /// values' descriptions, as `#[schemars(extend("x-synonyms" = { "value": ["word"] }))]`
    /// (on the enum, not the variant: a variant attribute would reorder the values).
    pub synonyms: Vec<String>,
}

impl Choice {
    fn new(value: &str, option: Option<&Json>) -> Choice {
        Choice {
            value: value.to_string(),
            doc: option.map(description).unwrap_or_default(),
            synonyms: Vec::new(),
        }
    }
}

/// Adds an enum's `x-synonyms` to its choices.
fn with_synonyms(mut values: Vec<Choice>, schema: &Json) -> Vec<Choice> {
    if let Some(map) = schema.get("x-synonyms").and_then(Json::as_object) {
        for choice in &mut values {
            choice.synonyms = map
                .get(&choice.value)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect();
        }
    }
    values
}

impl Shape {
    /// The shape of any model type.
    pub fn of<T: JsonSchema>() -> Shape {
        let schema = schemars::schema_for!(T);
        let root = schema.as_value();
        let defs = root
            .get("$defs")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        let (shape, _) = build(root, &defs, "");
        shape
    }

    /// The user-facing description of what this shape expects.
    pub fn expected(&self) -> String {
        match self {
            Shape::Table { .. } => "a table".into(),
            Shape::List(inner) => format!("a list of {}", inner.expected_plural()),
            Shape::Str => "a string".into(),
            Shape::Int => "a whole number (0 or more)".into(),
            Shape::Bool => "`true` or `false`".into(),
            Shape::Date { why: None } => "a date `YYYY-MM-DD`".into(),
            Shape::Date { why: Some(why) } => {
                format!("a date `YYYY-MM-DD` (the day is needed: {why})")
            }
            Shape::PartialDate => {
                "a date `YYYY-MM-DD`, or a month `\"YYYY-MM\"` or year `\"YYYY\"` if the day is not known".into()
            }
            Shape::Enum(values) => format!("one of {}", enum_list(values)),
        }
    }

    fn expected_plural(&self) -> String {
        match self {
            Shape::Table { .. } => "tables".into(),
            Shape::Str => "strings".into(),
            Shape::Enum(values) => format!("values from {}", enum_list(values)),
            other => other.expected(),
        }
    }

    /// The fields of a table shape (empty for other shapes).
    pub fn fields(&self) -> &[Field] {
        match self {
            Shape::Table { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Every leaf path under this shape, lists written with `[]` (e.g. `health.treatments[].start`).
    pub fn leaf_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        collect_paths(self, String::new(), &mut out);
        out
    }
}

impl Field {
    /// An example answer in TOML, drawn from the schema: see [`Shape::example`].
    pub fn example(&self) -> String {
        self.shape.example(&self.doc)
    }
}

impl Shape {
    /// An example value in TOML, drawn from the schema: an `e.g. `…`` in the field's help
    /// when it has one, else a value of the right kind (an enumeration's first value). A table
    /// shows its required fields (or its first two, when none is required), so a hint can show
    /// the shape a table is written in, e.g. `{ body = "hcpc", number = "PYL00000" }`.
    pub fn example(&self, doc: &str) -> String {
        let given = doc_example(doc);
        match self {
            Shape::Table { fields, .. } => {
                let parts: Vec<String> = example_fields(fields)
                    .iter()
                    .map(|f| format!("{} = {}", f.name, f.example()))
                    .collect();
                format!("{{ {} }}", parts.join(", "))
            }
            Shape::List(inner) => format!("[{}]", inner.example("")),
            Shape::Str => toml_string(given.unwrap_or("…")),
            Shape::Enum(values) => toml_string(
                given
                    .filter(|g| values.iter().any(|c| c.value == *g))
                    .or(values.first().map(|c| c.value.as_str()))
                    .unwrap_or_default(),
            ),
            Shape::Date { .. } => "2025-03-03".into(),
            Shape::PartialDate => "\"2018-02\"".into(),
            Shape::Int => given
                .filter(|g| g.parse::<u32>().is_ok())
                .unwrap_or("1")
                .to_string(),
            Shape::Bool => "true".into(),
        }
    }
}

/// The fields a table's example shows: the required ones, or the first two if none is.
pub fn example_fields(fields: &[Field]) -> Vec<&Field> {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        fields.iter().take(2).collect()
    } else {
        required
    }
}

/// The text of the first "e.g. `…`" in a help text.
fn doc_example(doc: &str) -> Option<&str> {
    let rest = &doc[doc.find("e.g. `")? + "e.g. `".len()..];
    Some(&rest[..rest.find('`')?])
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn collect_paths(shape: &Shape, prefix: String, out: &mut Vec<String>) {
    match shape {
        Shape::Table { fields, .. } => {
            for field in fields {
                let path = if prefix.is_empty() {
                    field.name.clone()
                } else {
                    format!("{prefix}.{}", field.name)
                };
                collect_paths(&field.shape, path, out);
            }
        }
        Shape::List(inner) => collect_paths(inner, format!("{prefix}[]"), out),
        _ => out.push(prefix),
    }
}

fn enum_list(values: &[Choice]) -> String {
    values
        .iter()
        .map(|c| format!("`{}`", c.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The shape of a whole case file (built once).
pub fn case() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(Shape::of::<Case>)
}

/// The shape of a `--firm` file.
pub fn representative() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(Shape::of::<Representative>)
}

fn description(schema: &Json) -> String {
    schema
        .get("description")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Builds a shape; the bool says whether the schema allows null (an `Option`).
fn build(schema: &Json, defs: &Map<String, Json>, name_hint: &str) -> (Shape, bool) {
    if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        let target = defs.get(name).cloned().unwrap_or(Json::Null);
        let (shape, nullable) = build(&target, defs, name);
        return (shape, nullable);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Json::as_array) {
            let non_null: Vec<&Json> = options
                .iter()
                .filter(|o| o.get("type") != Some(&Json::from("null")))
                .collect();
            let nullable = non_null.len() < options.len();
            if non_null
                .iter()
                .all(|o| o.get("const").is_some() || o.get("enum").is_some())
            {
                let mut values = Vec::new();
                for option in non_null {
                    if let Some(c) = option.get("const").and_then(Json::as_str) {
                        values.push(Choice::new(c, Some(option)));
                    }
                    for v in option
                        .get("enum")
                        .and_then(Json::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(v) = v.as_str() {
                            values.push(Choice::new(v, None));
                        }
                    }
                }
                return (Shape::Enum(with_synonyms(values, schema)), nullable);
            }
            if non_null.len() == 1 {
                let (shape, inner_nullable) = build(non_null[0], defs, name_hint);
                return (shape, nullable || inner_nullable);
            }
        }
    }
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        let values = values
            .iter()
            .filter_map(Json::as_str)
            .map(|v| Choice::new(v, None))
            .collect();
        return (Shape::Enum(with_synonyms(values, schema)), false);
    }
    let (ty, nullable) = match schema.get("type") {
        Some(Json::String(t)) => (t.as_str(), false),
        Some(Json::Array(types)) => {
            let t = types
                .iter()
                .filter_map(Json::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null");
            (t, types.iter().any(|t| t == "null"))
        }
        _ => ("object", false),
    };
    let shape = match ty {
        "string" => match schema.get("format").and_then(Json::as_str) {
            Some("date") => Shape::Date {
                why: schema
                    .get("x-day-needed")
                    .and_then(Json::as_str)
                    .map(str::to_string),
            },
            Some("partial-date") => Shape::PartialDate,
            _ => Shape::Str,
        },
        "integer" => Shape::Int,
        "boolean" => Shape::Bool,
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(Json::Null);
            Shape::List(Box::new(build(&items, defs, name_hint).0))
        }
        _ => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Json::as_array)
                .map(|r| r.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            let fields = schema
                .get("properties")
                .and_then(Json::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(name, prop)| {
                            let (shape, nullable) = build(prop, defs, name);
                            let mut doc = description(prop);
                            if doc.is_empty()
                                && let Some(r) = prop.get("$ref").and_then(Json::as_str)
                            {
                                doc = description(
                                    defs.get(r.rsplit('/').next().unwrap_or_default())
                                        .unwrap_or(&Json::Null),
                                );
                            }
                            Field {
                                name: name.clone(),
                                doc,
                                required: required.contains(&name.as_str()) && !nullable,
                                shape,
                                default: prop.get("default").cloned(),
                                evidence_ref: prop.get("format").and_then(Json::as_str)
                                    == Some("evidence-id"),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Shape::Table {
                name: name_hint.to_string(),
                doc: description(schema),
                fields,
            }
        }
    };
    (shape, nullable)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field that needs the day says why (`x-day-needed` in the model), so the error a
    /// month or year alone gets, the form and the questionnaire can say it.
    #[test]
    fn every_full_date_field_says_why_the_day_is_needed() {
        fn walk(shape: &Shape, path: &str, out: &mut Vec<String>) {
            match shape {
                Shape::Table { fields, .. } => {
                    for f in fields {
                        walk(&f.shape, &format!("{path}.{}", f.name), out);
                    }
                }
                Shape::List(inner) => walk(inner, &format!("{path}[]"), out),
                Shape::Date { why: None } => out.push(path.to_string()),
                _ => {}
            }
        }
        let mut silent = Vec::new();
        walk(case(), "", &mut silent);
        assert!(
            silent.is_empty(),
            "full dates without `x-day-needed`: {silent:?}"
        );
    }

    #[test]
    fn case_shape_has_required_fields_enums_and_dates() {
        let shape = case();
        let matter = shape.fields().iter().find(|f| f.name == "matter").unwrap();
        assert!(matter.required);
        let mode = matter
            .shape
            .fields()
            .iter()
            .find(|f| f.name == "letter_mode")
            .unwrap();
        match &mode.shape {
            Shape::Enum(values) => assert!(
                values
                    .iter()
                    .any(|c| c.value == "reconsideration" && !c.doc.is_empty())
            ),
            other => panic!("letter_mode is {other:?}"),
        }
        let date = matter
            .shape
            .fields()
            .iter()
            .find(|f| f.name == "letter_date")
            .unwrap();
        assert!(matches!(date.shape, Shape::Date { why: Some(_) }));
        let paths = shape.leaf_paths();
        assert!(paths.contains(&"health.treatments[].start".to_string()));
        assert!(paths.contains(&"client.dob_accepted".to_string()));
        let client = shape.fields().iter().find(|f| f.name == "client").unwrap();
        let accepted = client
            .shape
            .fields()
            .iter()
            .find(|f| f.name == "dob_accepted")
            .unwrap();
        assert!(!accepted.required);
        assert!(accepted.doc.contains("accepted"));
    }

    #[test]
    fn evidence_references_are_marked_where_load_checks_them() {
        fn walk(shape: &Shape, prefix: &str, out: &mut Vec<String>) {
            match shape {
                Shape::Table { fields, .. } => {
                    for f in fields {
                        let path = if prefix.is_empty() {
                            f.name.clone()
                        } else {
                            format!("{prefix}.{}", f.name)
                        };
                        if f.evidence_ref {
                            out.push(path.clone());
                        }
                        walk(&f.shape, &path, out);
                    }
                }
                Shape::List(inner) => walk(inner, &format!("{prefix}[]"), out),
                _ => {}
            }
        }
        let mut marked = Vec::new();
        walk(case(), "", &mut marked);
        marked.sort();
        // The fields `load` checks against the evidence list (it walks these marks) and the web
        // form offers as pickers: a new one here is a deliberate change to both.
        assert_eq!(
            marked,
            [
                "client.adult_accommodation.evidence",
                "client.adult_accommodation.re_exploitation_evidence",
                "client.age_assessments[].challenge_evidence",
                "client.age_challenge[].evidence",
                "criminal_justice.officer_statement.evidence",
                "exploitation.risk_on_return.evidence",
                "family.dependants[].evidence",
                "family.expected_child.evidence",
                "health.clinician_status_evidence",
                "health.conditions[].evidence",
                "health.treatment_abroad.evidence",
                "health.treatments[].evidence",
                "immigration.asylum.appeals[].evidence",
                "immigration.asylum.claim_evidence",
                "immigration.deportation.order_evidence",
                "immigration.deportation.revocation_request.evidence",
                "immigration.visas[].evidence",
                "nrm.support.evidence",
                "suitability.convictions[].challenge_advice",
                "suitability.convictions[].evidence",
                "suitability.non_punishment[].evidence",
            ]
        );
    }
}
