//! Handlebars helpers for clause bodies: dates, ages, pronouns, lists, citations and evidence.
//!
//! Every helper returns a value (never writes raw output), so handlebars escapes what it returns
//! like any other value. Helpers that need the case read it from the root context.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::{Value as Json, json};

use super::marker::Marker;
use crate::facts::{Date, PartialDate};

type HelperFn = fn(&[Json], &Json) -> Result<Json, String>;

/// A helper: a pure function of its parameters and the root context.
struct Pure(HelperFn);

impl HelperDef for Pure {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let mut params = Vec::with_capacity(h.params().len());
        for p in h.params() {
            if p.is_value_missing() {
                // Strict mode for helper arguments too: a missing fact is an error, never "".
                return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
            }
            params.push(p.value().clone());
        }
        (self.0)(&params, ctx.data())
            .map(ScopedJson::Derived)
            .map_err(|message| {
                RenderErrorReason::Other(format!("`{}`: {message}", h.name())).into()
            })
    }
}

/// Registers every helper on `registry`.
pub fn register(registry: &mut Handlebars<'_>) {
    let helpers: [(&str, HelperFn); 24] = [
        ("date", date),
        ("age", age),
        ("tabs", tabs),
        ("tab", tab),
        ("has_evidence", has_evidence),
        ("expecting", expecting),
        ("cite", cite),
        ("list", list_and),
        ("list_or", list_or),
        ("humanize", humanize),
        ("months", months),
        ("client", client),
        ("they", |_, root| pronoun(root, 0, false)),
        ("them", |_, root| pronoun(root, 1, false)),
        ("their", |_, root| pronoun(root, 2, false)),
        ("themself", |_, root| pronoun(root, 3, false)),
        ("They", |_, root| pronoun(root, 0, true)),
        ("Their", |_, root| pronoun(root, 2, true)),
        ("Them", |_, root| pronoun(root, 1, true)),
        ("verb", verb),
        ("count", count),
        ("countries", countries),
        ("exploitation", exploitation),
        ("phrase", phrase),
    ];
    for (name, f) in helpers {
        registry.register_helper(name, Box::new(Pure(f)));
    }
}

fn str_param<'a>(params: &'a [Json], i: usize, what: &str) -> Result<&'a str, String> {
    params
        .get(i)
        .and_then(Json::as_str)
        .ok_or_else(|| format!("expected {what} as argument {}", i + 1))
}

/// `{{date x}}` is the date in words; `{{date x "on"}}` adds the preposition a sentence needs:
/// "on 3 March 2026" for a full date, "in March 2026" or "in 2026" for a partial one.
fn date(params: &[Json], _: &Json) -> Result<Json, String> {
    let text = str_param(params, 0, "a date")?;
    let with_on = match params.get(1) {
        None => false,
        Some(Json::String(s)) if s == "on" => true,
        Some(other) => return Err(format!("expected \"on\" after the date, found {other}")),
    };
    if let Ok(d) = Date::parse(text) {
        return Ok(json!(if with_on {
            format!("on {}", d.uk())
        } else {
            d.uk()
        }));
    }
    PartialDate::parse(text)
        .map(|d| {
            json!(if with_on {
                format!("in {}", d.uk())
            } else {
                d.uk()
            })
        })
        .map_err(|e| format!("expected {}", e.0))
}

fn age(params: &[Json], root: &Json) -> Result<Json, String> {
    let event = str_param(params, 0, "an event name such as \"cg\"")?;
    let Some(at) = root.pointer(&format!("/derived/age/{event}")) else {
        return Err(format!(
            "no age is known at `{event}` for this case (the date is not set)"
        ));
    };
    let claimed = at["claimed"].as_str().unwrap_or_default();
    match at.get("accepted").and_then(Json::as_str) {
        Some(accepted) => Ok(json!(format!(
            "{claimed} old on the claimed date of birth ({accepted} on the date of birth accepted by the authorities)"
        ))),
        None => Ok(json!(format!("{claimed} old"))),
    }
}

fn evidence_items(root: &Json) -> &[Json] {
    root.get("evidence")
        .and_then(Json::as_array)
        .map_or(&[], Vec::as_slice)
}

fn string_params(params: &[Json]) -> Vec<&str> {
    params
        .iter()
        .flat_map(|p| match p {
            Json::Array(items) => items.iter().filter_map(Json::as_str).collect::<Vec<_>>(),
            other => other.as_str().into_iter().collect(),
        })
        .collect()
}

fn tabs(params: &[Json], _: &Json) -> Result<Json, String> {
    let types = string_params(params);
    if types.is_empty() {
        return Err("expected one or more document types".into());
    }
    Ok(json!(
        Marker::Tabs(types.iter().map(|t| t.to_string()).collect()).encode()
    ))
}

fn tab(params: &[Json], root: &Json) -> Result<Json, String> {
    let id = str_param(params, 0, "an evidence id")?;
    if !evidence_items(root).iter().any(|e| e["id"] == id) {
        return Err(format!(
            "evidence `{id}` is not in this case's evidence list"
        ));
    }
    Ok(json!(Marker::Tab(id.to_string()).encode()))
}

fn has_status(root: &Json, types: &[&str], statuses: &[&str]) -> bool {
    evidence_items(root).iter().any(|e| {
        e["doc_type"].as_str().is_some_and(|t| types.contains(&t))
            && e["status"].as_str().is_some_and(|s| statuses.contains(&s))
    })
}

fn has_evidence(params: &[Json], root: &Json) -> Result<Json, String> {
    Ok(json!(has_status(
        root,
        &string_params(params),
        &["enclosed"]
    )))
}

fn expecting(params: &[Json], root: &Json) -> Result<Json, String> {
    Ok(json!(has_status(
        root,
        &string_params(params),
        &["requested", "awaited"]
    )))
}

fn cite(params: &[Json], _: &Json) -> Result<Json, String> {
    let key = str_param(params, 0, "an authority key")?;
    let pinpoint = params.get(1).and_then(Json::as_str).unwrap_or_default();
    Ok(json!(
        Marker::Cite {
            key: key.to_string(),
            pinpoint: pinpoint.to_string(),
        }
        .encode()
    ))
}

/// "a", "a and b", "a, b and c".
pub fn join_words(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn words(params: &[Json]) -> Vec<String> {
    params
        .iter()
        .flat_map(|p| match p {
            Json::Array(items) => items.iter().map(json_word).collect::<Vec<_>>(),
            other => vec![json_word(other)],
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn json_word(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

fn list_and(params: &[Json], _: &Json) -> Result<Json, String> {
    Ok(json!(join_words(&words(params), "and")))
}

fn list_or(params: &[Json], _: &Json) -> Result<Json, String> {
    Ok(json!(join_words(&words(params), "or")))
}

fn humanize(params: &[Json], _: &Json) -> Result<Json, String> {
    let items: Vec<String> = words(params).iter().map(|w| w.replace('_', " ")).collect();
    Ok(json!(join_words(&items, "and")))
}

fn months(params: &[Json], _: &Json) -> Result<Json, String> {
    let n = params
        .first()
        .and_then(Json::as_i64)
        .ok_or("expected a number of months")?;
    Ok(json!(if n == 1 {
        "1 month".to_string()
    } else {
        format!("{n} months")
    }))
}

fn count(params: &[Json], _: &Json) -> Result<Json, String> {
    let n = params
        .first()
        .and_then(Json::as_i64)
        .ok_or("expected a number")?;
    let one = str_param(params, 1, "the singular word")?;
    let many = str_param(params, 2, "the plural word")?;
    Ok(json!(format!("{n} {}", if n == 1 { one } else { many })))
}

/// A country name as it reads in a sentence: "the United Kingdom", "Vietnam".
pub fn country(name: &str) -> String {
    const WITH_THE: [&str; 10] = [
        "United Kingdom",
        "UK",
        "United States",
        "USA",
        "Netherlands",
        "Czech Republic",
        "Gambia",
        "Philippines",
        "United Arab Emirates",
        "Democratic Republic of the Congo",
    ];
    if WITH_THE.iter().any(|c| c.eq_ignore_ascii_case(name.trim())) {
        format!("the {}", name.trim())
    } else {
        name.trim().to_string()
    }
}

fn countries(params: &[Json], _: &Json) -> Result<Json, String> {
    let items: Vec<String> = words(params).iter().map(|c| country(c)).collect();
    Ok(json!(join_words(&items, "and")))
}

/// How a type of exploitation reads in a sentence.
pub fn exploitation_label(kind: &str) -> &'static str {
    match kind {
        "sexual" => "sexual exploitation",
        "labour" => "labour exploitation",
        "domestic_servitude" => "domestic servitude",
        "criminal_county_lines" => {
            "criminal exploitation (compelled to supply drugs on county lines)"
        }
        "criminal_cannabis" => "criminal exploitation (compelled to work in cannabis cultivation)",
        "criminal_other" => "criminal exploitation",
        "forced_marriage" => "forced marriage",
        "organ_removal" => "exploitation for the removal of organs",
        "financial" => "financial exploitation",
        _ => "exploitation",
    }
}

fn exploitation(params: &[Json], _: &Json) -> Result<Json, String> {
    let items: Vec<String> = words(params)
        .iter()
        .map(|k| exploitation_label(k).to_string())
        .collect();
    Ok(json!(join_words(&items, "and")))
}

/// A value used mid-sentence: trailing full stops, semicolons and spaces removed, so the
/// clause's own punctuation is not doubled.
fn phrase(params: &[Json], _: &Json) -> Result<Json, String> {
    let text = str_param(params, 0, "some text")?;
    Ok(json!(
        text.trim()
            .trim_end_matches(['.', ';', ',', ':'])
            .trim_end()
    ))
}

/// The client's name: a marker, so that assembly can give it in full at the first mention in
/// the letter and in its short form after, in the order the letter is read.
fn client(_: &[Json], root: &Json) -> Result<Json, String> {
    root.pointer("/derived/client_name")
        .ok_or_else(|| "the client's name is not set".to_string())?;
    Ok(json!(Marker::Client.encode()))
}

fn pronoun(root: &Json, form: usize, capital: bool) -> Result<Json, String> {
    let table: [&str; 4] = match root.pointer("/client/pronouns").and_then(Json::as_str) {
        Some("she") => ["she", "her", "her", "herself"],
        Some("he") => ["he", "him", "his", "himself"],
        _ => ["they", "them", "their", "themself"],
    };
    let word = table[form];
    Ok(json!(if capital {
        capitalise(word)
    } else {
        word.to_string()
    }))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

fn verb(params: &[Json], root: &Json) -> Result<Json, String> {
    let singular = str_param(params, 0, "the she/he form, e.g. \"is\"")?;
    let plural = str_param(params, 1, "the they form, e.g. \"are\"")?;
    let they = !matches!(
        root.pointer("/client/pronouns").and_then(Json::as_str),
        Some("she" | "he")
    );
    Ok(json!(if they { plural } else { singular }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lists_in_english() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_words(&items(&["a"]), "and"), "a");
        assert_eq!(join_words(&items(&["a", "b"]), "and"), "a and b");
        assert_eq!(join_words(&items(&["a", "b", "c"]), "or"), "a, b or c");
    }

    #[test]
    fn a_date_takes_the_preposition_its_precision_needs() {
        let root = json!({});
        assert_eq!(date(&[json!("2026-03-03")], &root).unwrap(), "3 March 2026");
        assert_eq!(
            date(&[json!("2026-03-03"), json!("on")], &root).unwrap(),
            "on 3 March 2026"
        );
        assert_eq!(
            date(&[json!("2026-03"), json!("on")], &root).unwrap(),
            "in March 2026"
        );
        assert_eq!(
            date(&[json!("2026"), json!("on")], &root).unwrap(),
            "in 2026"
        );
        assert!(date(&[json!("2026"), json!("at")], &root).is_err());
    }

    #[test]
    fn pronouns_follow_the_case() {
        let root = json!({"client": {"pronouns": "they"}});
        assert_eq!(pronoun(&root, 0, true).unwrap(), "They");
        assert_eq!(verb(&[json!("is"), json!("are")], &root).unwrap(), "are");
        let root = json!({"client": {"pronouns": "he"}});
        assert_eq!(pronoun(&root, 2, false).unwrap(), "his");
    }
}
