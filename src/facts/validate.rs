//! Checks a parsed case file against the model's shape and reports every problem at once.

use std::fmt::Write as _;
use std::path::Path;

use super::date::{Date, PartialDate};
use super::node::{Node, Value};
use super::schema::{Choice, Field, Shape};
use crate::diag::{Code, Diagnostic, Location, did_you_mean};

/// Limits that keep a hostile or broken file from exhausting memory or time.
pub const MAX_STRING_CHARS: usize = 20_000;
pub const MAX_LIST_ITEMS: usize = 1_000;
/// The hint for a bad value in a field that may hold a month or a year alone: the questionnaire
/// header says the same.
pub const PARTIAL_DATE_HINT: &str = "write a date (`2021-02-14`), or a month (`\"2021-02\"`) or year (`\"2021\"`) if the day is not known";

/// Where the values being validated came from, for locations in messages.
pub struct Origin<'a> {
    pub file: &'a Path,
    /// The file's text; `None` for sources without positions (CSV rows).
    pub text: Option<&'a str>,
    /// Without text, the line everything is on (a CSV row).
    pub line: Option<u32>,
}

impl Origin<'_> {
    fn location(&self, span: &std::ops::Range<usize>) -> Location {
        match self.text {
            Some(text) => Location::at(self.file, text, span.start),
            None => super::load::row_location(self.file, self.line),
        }
    }
}

/// Validates `node` against `shape`; `path` is the field path so far ("" at the root).
pub fn validate(
    node: &Node,
    shape: &Shape,
    path: &str,
    origin: &Origin<'_>,
    out: &mut Vec<Diagnostic>,
) {
    walk(node, shape, &mut path.to_string(), origin, out);
}

/// [`validate`], the path grown and cut back in one buffer as the walk goes down and up: a
/// case has hundreds of answers, and each used to get a string of its own.
fn walk(
    node: &Node,
    shape: &Shape,
    path: &mut String,
    origin: &Origin<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let located = |d: Diagnostic| d.at(origin.location(&node.span)).field(display_path(path));
    match (shape, &node.value) {
        (_, Value::Null) => {}
        (Shape::Table { fields, .. }, Value::Table(entries)) => {
            let parent = path.len();
            for (key, value) in entries {
                push_name(path, &key.name);
                match fields.iter().find(|f| f.name == key.name) {
                    // A blank required answer is reported once below, as missing.
                    Some(field) if field.required && is_blank(&value.value) => {}
                    Some(field) => walk(value, &field.shape, path, origin, out),
                    None => out.push(
                        unknown_field(&key.name, path, fields, &path[..parent])
                            .at(origin.location(&key.span)),
                    ),
                }
                path.truncate(parent);
            }
            for field in fields.iter().filter(|f| f.required) {
                let value = entries
                    .iter()
                    .find(|(k, v)| k.name == field.name && v.value != Value::Null)
                    .map(|(_, v)| v);
                match value {
                    None => out.push(
                        missing_field(field, &join(path, &field.name))
                            .at(origin.location(&node.span)),
                    ),
                    // A blank answer is a missing one: the letter would print nothing there.
                    Some(v) if is_blank(&v.value) => out.push(
                        blank_field(field, &join(path, &field.name)).at(origin.location(&v.span)),
                    ),
                    Some(_) => {}
                }
            }
        }
        (Shape::List(inner), Value::Array(items)) => {
            if items.len() > MAX_LIST_ITEMS {
                out.push(located(Diagnostic::error(
                    Code::TooManyItems,
                    format!(
                        "`{}` has {} items; at most {MAX_LIST_ITEMS} are allowed",
                        display_path(path),
                        items.len()
                    ),
                )));
                return;
            }
            let parent = path.len();
            for (i, item) in items.iter().enumerate() {
                push_index(path, i);
                walk(item, inner, path, origin, out);
                path.truncate(parent);
            }
        }
        (Shape::Str, Value::Str(s)) => check_text(s, path, origin, node, out),
        (Shape::Int, Value::Int(i)) if *i >= 0 && *i <= u32::MAX as i64 => {}
        (Shape::Int, Value::Int(i)) => out.push(located(Diagnostic::error(
            Code::BadNumber,
            format!(
                "`{}` must be a whole number from 0 up, found `{i}`",
                display_path(path)
            ),
        ))),
        (Shape::Bool, Value::Bool(_)) => {}
        (Shape::Date { why }, Value::Str(s)) => {
            if let Err(e) = Date::parse(s) {
                // A month or year alone is well formed but not enough here: say why the day is.
                let partial = PartialDate::parse(s).is_ok();
                let hint = match (partial, why) {
                    (true, Some(why)) => {
                        format!("this field needs the day, e.g. `2025-03-03`: {why}")
                    }
                    (true, None) => "this field needs the day, e.g. `2025-03-03`".to_string(),
                    (false, Some(why)) => format!(
                        "write the full date as `YYYY-MM-DD`, e.g. `2025-03-03` (the day is needed: {why})"
                    ),
                    (false, None) => "write dates as `YYYY-MM-DD`, e.g. `2025-03-03`".to_string(),
                };
                out.push(located(
                    Diagnostic::error(
                        Code::BadDate,
                        format!("`{}`: expected {}", display_path(path), e.0),
                    )
                    .hint(hint),
                ));
            }
        }
        (Shape::PartialDate, Value::Str(s)) => {
            if let Err(e) = PartialDate::parse(s) {
                out.push(located(
                    Diagnostic::error(
                        Code::BadDate,
                        format!("`{}`: expected {}", display_path(path), e.0),
                    )
                    .hint(PARTIAL_DATE_HINT),
                ));
            }
        }
        (Shape::Enum(values), Value::Str(s)) => {
            if !values.iter().any(|c| c.value == *s) {
                let shown: String = s.chars().take(40).collect();
                let mut d = located(Diagnostic::error(
                    Code::BadChoice,
                    format!(
                        "`{}`: expected {}, found `{shown}`",
                        display_path(path),
                        shape.expected()
                    ),
                ));
                d = match suggest_choice(s, values).as_slice() {
                    [] => match meanings(values) {
                        Some(hint) => d.hint(hint),
                        None => d.hint(
                            "`vtsdraft new help.toml` writes a questionnaire that says what each value means",
                        ),
                    },
                    [one] => d.hint(format!("did you mean `{}`?", one.value)),
                    several => d.hint(format!(
                        "did you mean one of {}?",
                        several
                            .iter()
                            .map(|c| format!("`{}`", c.value))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                out.push(d);
            }
        }
        (expected, found) => {
            let mut d = located(Diagnostic::error(
                Code::WrongType,
                format!(
                    "`{}`: expected {}, found {}",
                    display_path(path),
                    expected.expected(),
                    found.kind()
                ),
            ));
            if matches!(expected, Shape::PartialDate) && matches!(found, Value::Int(_)) {
                d = d.hint("a year alone must be written in quotes, e.g. `\"2018\"`");
            }
            if let (Shape::Date { .. }, Value::Int(_)) = (expected, found) {
                // The expected text already says why the day is needed.
                d = d.hint("write the full date, e.g. `2025-03-03`");
            }
            if let Some(hint) = shape_hint(expected, found, path) {
                d = d.hint(hint);
            }
            if d.hints.is_empty() {
                let key = path.rsplit('.').next().unwrap_or(path);
                let key = key.split('[').next().unwrap_or(key);
                d = d.hint(format!(
                    "write it as, e.g., `{key} = {}`",
                    expected.example("")
                ));
            }
            out.push(d);
        }
    }
}

/// Rejects control characters (other than newline and tab) and over-long strings. The value
/// itself is never quoted: free text in a case can be sensitive.
fn check_text(text: &str, path: &str, origin: &Origin<'_>, node: &Node, out: &mut Vec<Diagnostic>) {
    let located = |d: Diagnostic| d.at(origin.location(&node.span)).field(display_path(path));
    if text.chars().count() > MAX_STRING_CHARS {
        out.push(located(Diagnostic::error(
            Code::TextTooLong,
            format!(
                "`{}` is longer than {MAX_STRING_CHARS} characters",
                display_path(path)
            ),
        )));
    }
    if let Some(word) = text
        .split(char::is_whitespace)
        .map(|w| w.chars().count())
        .max()
        .filter(|n| *n > MAX_WORD_CHARS)
    {
        out.push(located(
            Diagnostic::error(
                Code::TextTooLong,
                format!(
                    "`{}` has a word of {word} characters; at most {MAX_WORD_CHARS} are allowed without a space",
                    display_path(path)
                ),
            )
            .hint("a PDF cannot hold so long an unbroken run of text; check the value for pasted data"),
        ));
    }
    if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| is_bidi_control(*c)) {
        out.push(located(
            Diagnostic::error(
                Code::ControlCharacter,
                format!(
                    "`{}` contains U+{:04X} at character {}, a bidirectional control that could make the letter's own text read in a different order",
                    display_path(path),
                    c as u32,
                    i + 1
                ),
            )
            .hint("remove it; right-to-left names and text display correctly without it"),
        ));
    }
    if let Some(i) = text.chars().position(|c| c == '\u{FEFF}') {
        out.push(located(
            Diagnostic::error(
                Code::ControlCharacter,
                format!(
                    "`{}` contains U+FEFF (a byte-order mark, or zero-width no-break space) at character {}",
                    display_path(path),
                    i + 1
                ),
            )
            .hint("remove it; it usually comes from pasting text from another document"),
        ));
    }
    let mut run = 0;
    let most = text.chars().fold(0, |most, c| {
        run = if is_combining(c) { run + 1 } else { 0 };
        most.max(run)
    });
    if most > MAX_COMBINING {
        out.push(located(
            Diagnostic::error(
                Code::ControlCharacter,
                format!(
                    "`{}` stacks {most} combining marks on one letter; at most {MAX_COMBINING} are allowed",
                    display_path(path)
                ),
            )
            .hint("real text needs few; a long stack draws over the lines around it"),
        ));
    }
    if let Some((i, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| (c.is_control() && *c != '\n' && *c != '\t') || is_reserved(*c))
    {
        out.push(located(
            Diagnostic::error(
                Code::ControlCharacter,
                format!(
                    "`{}` contains the control character U+{:04X} at character {}",
                    display_path(path),
                    c as u32,
                    i + 1
                ),
            )
            .hint("remove it; it usually comes from pasting text from another document"),
        ));
    }
}

/// Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Combining marks of the scripts the bundled fonts cover (Latin, Greek, Cyrillic diacritics;
/// Arabic harakat; the general combining blocks).
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// The longest run of text without a space: longer, and a PDF string overflows (the limit is
/// 32,767 bytes); a real word, reference or address is far shorter.
const MAX_WORD_CHARS: usize = 1_000;

/// Combining marks one letter may carry (Vietnamese needs two, vocalised Arabic three).
const MAX_COMBINING: usize = 8;

/// Characters reserved for vtsdraft's own use (assembly's helper markers); refused in case text,
/// where they never occur in real writing.
pub fn is_reserved(c: char) -> bool {
    ('\u{E000}'..='\u{E00F}').contains(&c)
}

fn unknown_field(name: &str, path: &str, fields: &[Field], parent: &str) -> Diagnostic {
    let mut d = Diagnostic::error(
        Code::UnknownField,
        if parent.is_empty() {
            format!("unknown section `{name}`")
        } else {
            format!("unknown field `{name}` in `{}`", display_path(parent))
        },
    )
    .field(display_path(path));
    if let Some(near) = did_you_mean(name, fields.iter().map(|f| f.name.as_str())) {
        d = d.hint(format!("did you mean `{near}`?"));
    } else {
        let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name)).collect();
        d = d.hint(format!("allowed here: {}", names.join(", ")));
    }
    d
}

fn missing_field(field: &Field, path: &str) -> Diagnostic {
    let mut d = Diagnostic::error(
        Code::MissingField,
        format!("missing required field `{}`", display_path(path)),
    )
    .field(display_path(path));
    if !field.doc.is_empty() {
        d = d.hint(format!(
            "{}: {}",
            field.name,
            field.doc.lines().next().unwrap_or_default()
        ));
    }
    d = d.hint(format!("expected {}", field.shape.expected()));
    if let Shape::Enum(values) = &field.shape
        && let Some(hint) = meanings(values)
    {
        d = d.hint(hint);
    }
    // "Expected a table" alone does not say how one is written.
    match shape_hint(&field.shape, &Value::Null, path) {
        Some(hint) if !matches!(field.shape, Shape::List(_)) => d.hint(hint),
        _ => d,
    }
}

/// What each value of a short enumeration means, when each has a description: the choice is
/// then made from the message alone.
fn meanings(values: &[Choice]) -> Option<String> {
    if values.len() > MAX_MEANINGS || values.iter().any(|c| c.doc.trim().is_empty()) {
        return None;
    }
    let each: Vec<String> = values
        .iter()
        .map(|c| {
            let doc = c.doc.lines().next().unwrap_or_default().trim();
            format!("`{}`: {}", c.value, doc.trim_end_matches('.'))
        })
        .collect();
    Some(format!("the values mean: {}", each.join("; ")))
}

/// Longer lists of meanings do not fit a message; the questionnaire has them.
const MAX_MEANINGS: usize = 6;

/// Whether a value is a blank answer: an empty or whitespace-only string, the template's `""`.
fn is_blank(value: &Value) -> bool {
    matches!(value, Value::Str(s) if s.trim().is_empty())
}

/// A required answer left blank: the same error as a missing one, at the blank value.
fn blank_field(field: &Field, path: &str) -> Diagnostic {
    let mut d = missing_field(field, path);
    d.message = format!(
        "missing required answer `{}`: it is blank",
        display_path(path)
    );
    d
}

/// How a value of the wrong kind should have been written, with an example from the schema.
fn shape_hint(expected: &Shape, found: &Value, path: &str) -> Option<String> {
    // `evidence[2].registration` is written under `[[evidence]]` as `registration`.
    let key = path.rsplit('.').next().unwrap_or(path);
    let key = key.split('[').next().unwrap_or(key);
    match (expected, found) {
        (Shape::Table { .. }, Value::Table(_)) | (Shape::List(_), Value::Array(_)) => None,
        (Shape::Table { .. }, _) if !path.contains('.') && !path.contains('[') => Some(format!(
            "`{key}` is a section: write a `[{key}]` line with its answers below it, e.g. `[{key}]` then {}",
            field_lines(expected)
        )),
        (Shape::Table { .. }, _) => Some(format!(
            "write it as a table in braces, e.g. `{key} = {}`",
            expected.example("")
        )),
        (Shape::List(inner), _) if matches!(**inner, Shape::Table { .. }) => {
            let header = path.split('[').next().unwrap_or(path);
            Some(format!(
                "write each one as a `[[{header}]]` block with its answers below it, e.g. `[[{header}]]` then {}",
                field_lines(inner)
            ))
        }
        (Shape::List(inner), _) if matches!(**inner, Shape::Str) => {
            Some("write a list in square brackets, e.g. `[\"Vietnam\"]`".into())
        }
        (Shape::List(_), _) => Some(format!(
            "write a list in square brackets, e.g. `{key} = {}`",
            expected.example("")
        )),
        _ => None,
    }
}

/// A table's example answers as lines: `full_name = "…"`, `dob_claimed = 2025-03-03`.
fn field_lines(table: &Shape) -> String {
    super::schema::example_fields(table.fields())
        .iter()
        .map(|f| format!("`{} = {}`", f.name, f.example()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rewrites enumerated values written in another letter case (`NGO`, `Ngo`) as the value
/// itself (`ngo`), before validation: the case of a choice carries no meaning.
pub fn normalize_choices(node: &mut Node, shape: &Shape) {
    match (shape, &mut node.value) {
        (Shape::Table { fields, .. }, Value::Table(entries)) => {
            for (key, value) in entries {
                if let Some(field) = fields.iter().find(|f| f.name == key.name) {
                    normalize_choices(value, &field.shape);
                }
            }
        }
        (Shape::List(inner), Value::Array(items)) => {
            for item in items {
                normalize_choices(item, inner);
            }
        }
        // Most answers are a value as written, with nothing to lowercase: a case has hundreds.
        (Shape::Enum(values), Value::Str(s)) if !values.iter().any(|c| c.value == *s) => {
            let wanted = s.trim().to_lowercase();
            if let Some(c) = values.iter().find(|c| {
                c.value
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(wanted.chars())
            }) {
                *s = c.value.clone();
            }
        }
        _ => {}
    }
}

/// The values meant by `written`, best first: the same words with spaces or hyphens for
/// underscores; a value whose synonyms (kept beside the values' descriptions in the model)
/// include it; the values sharing most of its words (`listed` → `hearing_listed`); else the
/// nearest in spelling.
fn suggest_choice<'a>(written: &str, values: &'a [Choice]) -> Vec<&'a Choice> {
    let written = words(written);
    if written.is_empty() {
        return Vec::new();
    }
    if let Some(c) = values.iter().find(|c| words(&c.value) == written) {
        return vec![c];
    }
    let synonym: Vec<&Choice> = values
        .iter()
        .filter(|c| c.synonyms.iter().any(|s| words(s) == written))
        .collect();
    if !synonym.is_empty() {
        return synonym;
    }
    // Shared words, counting a choice's synonyms as its words too.
    let shared = |c: &Choice| {
        let mut own = words(&c.value);
        own.extend(c.synonyms.iter().flat_map(|s| words(s)));
        written.iter().filter(|w| own.contains(w)).count()
    };
    let best = values.iter().map(shared).max().unwrap_or(0);
    if best > 0 {
        return values
            .iter()
            .filter(|c| shared(c) == best)
            .take(MAX_SUGGESTIONS)
            .collect();
    }
    let joined = written.join("_");
    did_you_mean(&joined, values.iter().map(|c| c.value.as_str()))
        .and_then(|near| values.iter().find(|c| c.value == near))
        .into_iter()
        .collect()
}

/// More suggestions than this are no help: the list of values is already in the message.
const MAX_SUGGESTIONS: usize = 3;

/// A value's words: lower case, split at underscores, spaces and hyphens.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn join(path: &str, name: &str) -> String {
    let mut joined = path.to_string();
    push_name(&mut joined, name);
    joined
}

/// `path` followed by the field `name` (`a.b`; at the root, `b`).
pub(crate) fn push_name(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// `path` followed by the list index `i` (`a[2]`).
pub(crate) fn push_index(path: &mut String, i: usize) {
    let _ = write!(path, "[{i}]");
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "(the file)".to_string()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::node::parse_toml;
    use crate::facts::schema;

    fn problems(text: &str) -> Vec<Diagnostic> {
        let node = parse_toml(text).unwrap();
        let mut out = Vec::new();
        let origin = Origin {
            line: None,
            file: Path::new("case.toml"),
            text: Some(text),
        };
        validate(&node, schema::case(), "", &origin, &mut out);
        out
    }

    #[test]
    fn reports_every_problem_with_paths_and_hints() {
        let text = "[matter]\nreference = \"X\"\nletter_mode = \"reconsideraton\"\nletter_date = \"2026-02-30\"\n\n[client]\nful_name = \"A\"\n";
        let found = problems(text);
        let by_code = |c: &str| found.iter().filter(|d| d.code == c).collect::<Vec<_>>();
        let mode = by_code("bad-choice");
        assert_eq!(mode[0].field.as_deref(), Some("matter.letter_mode"));
        assert!(mode[0].hints[0].contains("`reconsideration`"));
        assert_eq!(mode[0].location.as_ref().unwrap().line, 3);
        let date = by_code("bad-date");
        assert!(
            date[0].message.contains("February 2026 has no day 30"),
            "{}",
            date[0].message
        );
        let unknown = by_code("unknown-field");
        assert_eq!(unknown[0].field.as_deref(), Some("client.ful_name"));
        assert!(unknown[0].hints[0].contains("full_name"));
        let missing: Vec<_> = by_code("missing-field")
            .iter()
            .map(|d| d.field.clone().unwrap())
            .collect();
        assert!(missing.contains(&"client.full_name".to_string()));
        assert!(missing.contains(&"nrm".to_string()));
    }

    #[test]
    fn rejects_control_characters_without_echoing_the_value() {
        let found = problems("[client]\nfull_name = \"Secret\\u0007Name\"\n");
        let d = found
            .iter()
            .find(|d| d.code == "control-character")
            .unwrap();
        assert!(d.message.contains("U+0007"));
        assert!(!d.message.contains("Secret"));
    }

    fn choices(values: &[(&str, &[&str])]) -> Vec<Choice> {
        values
            .iter()
            .map(|(v, synonyms)| Choice {
                value: v.to_string(),
                doc: String::new(),
                synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            })
            .collect()
    }

    fn suggested(written: &str, values: &[Choice]) -> Vec<String> {
        suggest_choice(written, values)
            .iter()
            .map(|c| c.value.clone())
            .collect()
    }

    #[test]
    fn choices_are_suggested_by_words_synonyms_then_spelling() {
        let status = choices(&[
            ("issued", &[]),
            ("hearing_listed", &["trial"]),
            ("letter_before_claim", &["lbc"]),
        ]);
        // `listed` is within spelling distance of `issued`: the shared word wins.
        assert_eq!(suggested("listed", &status), ["hearing_listed"]);
        assert_eq!(suggested("Hearing listed", &status), ["hearing_listed"]);
        assert_eq!(suggested("LBC", &status), ["letter_before_claim"]);
        assert_eq!(suggested("trial date", &status), ["hearing_listed"]);
        assert_eq!(suggested("isued", &status), ["issued"]);
        assert!(suggested("zzzz", &status).is_empty());
        let reports = choices(&[
            ("country_report", &[]),
            ("expert_report", &[]),
            ("gp_letter", &[]),
        ]);
        assert_eq!(
            suggested("report", &reports),
            ["country_report", "expert_report"]
        );
    }

    #[test]
    fn choices_in_another_letter_case_are_the_choice() {
        let mut node = parse_toml(
            "[nrm.first_responder]\nkind = \"NGO\"\n[[compensation.civil_claims]]\nforum = \"High_Court\"\nstatus = \"issued\"\n",
        )
        .unwrap();
        normalize_choices(&mut node, schema::case());
        assert_eq!(
            node.locate("nrm.first_responder.kind").value,
            Value::Str("ngo".into())
        );
        assert_eq!(
            node.locate("compensation.civil_claims[0].forum").value,
            Value::Str("high_court".into())
        );
    }
}
