//! The questionnaire page, generated from the case model's shape (the same one `new` uses).
//!
//! Nothing here names a case field: a field added to the model appears in the form with its
//! doc comment as help text. The page carries no case data; the browser fills it in.

use std::fmt::Write as _;

use crate::facts::schema::{self, Field, Shape};

/// Enums with at most this many values are radio buttons (every choice and its meaning in
/// view); longer ones are drop-down lists.
const MAX_RADIOS: usize = 6;

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Help text as HTML: escaped, with `code` spans kept from the doc comments.
fn help_html(doc: &str) -> String {
    let escaped = esc(doc.trim());
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out.replace('\n', " ")
}

/// Abbreviations a paralegal reads as words; field names use them for brevity.
const WORDS: &[(&str, &str)] = &[
    ("dob", "date of birth"),
    ("nrm", "NRM"),
    ("cg", "conclusive grounds"),
    ("rg", "reasonable grounds"),
    ("ictg", "ICTG"),
    ("cica", "CICA"),
    ("uan", "UAN"),
    ("icd", "ICD"),
    ("uk", "UK"),
    ("rna", "RNA"),
    ("s63", "s.63"),
    ("dwms", "DWMS"),
    ("id", "ID"),
    ("vts", "VTS"),
    ("ktt", "KTT"),
    ("dl", "DL"),
    ("flr", "FLR"),
    ("hro", "(HRO)"),
    ("sca", "SCA"),
    ("ieca", "IECA"),
    ("msdl", "MSDL"),
    ("ptsd", "PTSD"),
    ("nfa", "no further action"),
    ("jr", "judicial review"),
    ("hp", "humanitarian protection"),
    ("camhs", "CAMHS"),
    ("gp", "GP"),
    ("cps", "CPS"),
    ("la", "local authority"),
    ("s20", "section 20"),
    ("section20", "section 20"),
    ("section3c", "section 3C"),
    ("glaa", "GLAA"),
    ("gmc", "GMC"),
    ("hcpc", "HCPC"),
    ("iaa", "IAA"),
    ("naab", "NAAB"),
    ("nmc", "NMC"),
    ("sra", "SRA"),
    ("swe", "SWE"),
    ("bps", "BPS"),
    ("msvcc", "MSVCC"),
    ("ngo", "NGO"),
];

/// A field or value name as words: `dob_claimed` becomes "Date of birth claimed".
pub fn label(name: &str) -> String {
    let words: Vec<String> = name
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            WORDS
                .iter()
                .find(|(k, _)| *k == w)
                .map_or_else(|| w.to_string(), |(_, v)| (*v).to_string())
        })
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Builds element ids that are unique on the page; list items carry `__i__`, which the
/// browser replaces with a fresh number each time it adds an item.
struct Ids {
    prefix: String,
}

impl Ids {
    fn child(&self, key: &str) -> Ids {
        Ids {
            prefix: format!("{}-{key}", self.prefix),
        }
    }
}

/// The section list, linking to each section of the form.
pub fn navigation() -> String {
    let mut out =
        String::from("<nav class=\"sections\" aria-label=\"Questionnaire sections\"><ol>");
    for field in schema::case().fields() {
        let _ = write!(
            out,
            "<li><a href=\"#s-{0}\">{1}</a></li>",
            esc(&field.name),
            esc(&label(&field.name))
        );
    }
    out.push_str("</ol></nav>");
    out
}

/// The form: one section per top-level group of the model, in the model's order
/// (which follows the brief's fact groups).
pub fn questionnaire() -> String {
    let mut out = String::new();
    let shape = schema::case();
    out.push_str("<div id=\"case\" data-kind=\"root\">");
    for field in shape.fields() {
        let ids = Ids {
            prefix: format!("f-{}", field.name),
        };
        let _ = write!(
            out,
            "<section class=\"group\" id=\"s-{name}\" aria-labelledby=\"h-{name}\">\
             <h2 id=\"h-{name}\">{title}</h2><p class=\"help\">{help}{req}</p>",
            name = esc(&field.name),
            title = esc(&label(&field.name)),
            help = help_html(&field.doc),
            req = if field.required {
                ""
            } else {
                " <span class=\"optional\">(optional section)</span>"
            },
        );
        match &field.shape {
            Shape::Table { fields, .. } => {
                let _ = write!(
                    out,
                    "<div data-key=\"{}\" data-kind=\"table\" data-path=\"{}\">",
                    esc(&field.name),
                    esc(&field.name)
                );
                let within = if field.required {
                    Within::Required
                } else {
                    Within::Optional
                };
                for f in fields {
                    render_field(&mut out, f, &field.name, &ids, within);
                }
                out.push_str("</div>");
            }
            _ => render_field(
                &mut out,
                field,
                "",
                &Ids { prefix: "f".into() },
                Within::Required,
            ),
        }
        out.push_str("</section>");
    }
    out.push_str("</div>");
    out
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// How "required" reads for a field: a question inside an optional part, or in each item of
/// a list, is required only once that part is begun.
#[derive(Clone, Copy)]
enum Within {
    Required,
    Optional,
    Item,
}

fn render_field(out: &mut String, field: &Field, parent: &str, ids: &Ids, within: Within) {
    let path = join(parent, &field.name);
    let ids = ids.child(&field.name);
    let id = esc(&ids.prefix);
    let key = esc(&field.name);
    let name = esc(&label(&field.name));
    let help = help_html(&field.doc);
    let req = match (field.required, within) {
        (false, _) => "",
        (true, Within::Required) => " <span class=\"required\">(required)</span>",
        (true, Within::Optional) => {
            " <span class=\"required\">(required if this part is filled in)</span>"
        }
        (true, Within::Item) => " <span class=\"required\">(required for each one)</span>",
    };
    let inner = match within {
        Within::Required if field.required => Within::Required,
        Within::Item => Within::Item,
        _ => Within::Optional,
    };
    let default = field
        .default
        .as_ref()
        .map(|d| match d {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let default = esc(&default);
    let common = format!(
        "id=\"{id}\" data-key=\"{key}\" data-default=\"{default}\" aria-describedby=\"{id}-help\""
    );
    let path_attr = esc(&path);
    match &field.shape {
        Shape::Table { fields, .. } => {
            let _ = write!(
                out,
                "<fieldset class=\"table\" data-key=\"{key}\" data-kind=\"table\" data-path=\"{path_attr}\" id=\"{id}\">\
                 <legend>{name}{req}</legend><p class=\"help\" id=\"{id}-help\">{help}</p>"
            );
            for f in fields {
                render_field(out, f, &path, &ids, inner);
            }
            out.push_str("</fieldset>");
        }
        Shape::List(inner) if matches!(**inner, Shape::Table { .. }) => {
            let Shape::Table { fields, .. } = &**inner else {
                return;
            };
            let item_ids = ids.child("__i__");
            let item_path = format!("{path}[]");
            let _ = write!(
                out,
                "<fieldset class=\"list\" data-key=\"{key}\" data-kind=\"list\" data-path=\"{path_attr}\" id=\"{id}\">\
                 <legend>{name}{req}</legend><p class=\"help\" id=\"{id}-help\">{help}</p>\
                 <ol class=\"items\"></ol><template>\
                 <li class=\"item\" data-kind=\"item\"><fieldset class=\"item-box\"><legend class=\"item-title\">{singular} <span class=\"n\"></span></legend>",
                singular = esc(&singular(&label(&field.name))),
            );
            for f in fields {
                render_field(out, f, &item_path, &item_ids, Within::Item);
            }
            let _ = write!(
                out,
                "<button type=\"button\" class=\"remove\" data-action=\"remove\">Remove this {}</button>\
                 </fieldset></li></template>\
                 <button type=\"button\" class=\"add\" data-action=\"add\">Add {} {}</button></fieldset>",
                esc(&singular(&label(&field.name)).to_lowercase()),
                article(&singular(&label(&field.name))),
                esc(&singular(&label(&field.name)).to_lowercase()),
            );
        }
        shape if is_group(shape) => {
            // A set of radio buttons or checkboxes is named by a legend, not a label.
            let _ = write!(
                out,
                "<fieldset class=\"field group-field\" data-path=\"{path_attr}\"><legend>{name}{req}</legend>\
                 <p class=\"help\" id=\"{id}-help\">{help}</p>"
            );
            leaf(out, shape, field, &common, &id, &default);
            out.push_str("</fieldset>");
        }
        shape => {
            let _ = write!(
                out,
                "<div class=\"field\" data-path=\"{path_attr}\"><label for=\"{id}\">{name}{req}</label>\
                 <p class=\"help\" id=\"{id}-help\">{help}</p>"
            );
            leaf(out, shape, field, &common, &id, &default);
            out.push_str("</div>");
        }
    }
}

fn leaf(out: &mut String, shape: &Shape, field: &Field, common: &str, id: &str, default: &str) {
    match shape {
        Shape::Str if field.evidence_ref => {
            // The page lists the case's own evidence here (tab and description) as it changes,
            // so a reference cannot name a document that is not in the list.
            let _ = write!(
                out,
                "<select {common} data-kind=\"evref\"><option value=\"\">None chosen</option></select>"
            );
        }
        Shape::Str => {
            // Longer answers (descriptions, summaries, reasons, wishes) get room to write.
            let long = [
                "summary",
                "description",
                "reason",
                "wishes",
                "basis",
                "outcome",
            ]
            .iter()
            .any(|w| field.name.contains(w))
                // A drafting instruction's paragraphs, and the clause text it replaced.
                || field.name == "text"
                || field.name == "was";
            if long {
                let _ = write!(
                    out,
                    "<textarea {common} data-kind=\"str\" rows=\"3\"></textarea>"
                );
            } else {
                let _ = write!(
                    out,
                    "<input type=\"text\" {common} data-kind=\"str\" autocomplete=\"off\">"
                );
            }
        }
        Shape::Int => {
            let _ = write!(
                out,
                "<input type=\"text\" inputmode=\"numeric\" {common} data-kind=\"int\" value=\"{default}\" autocomplete=\"off\">"
            );
        }
        Shape::Bool if field.required || field.default.is_some() => {
            let checked = if default == "true" { " checked" } else { "" };
            let _ = write!(
                out,
                "<span class=\"check\"><input type=\"checkbox\" {common} data-kind=\"bool\"{checked}>\
                 <span aria-hidden=\"true\">Yes</span></span>"
            );
        }
        Shape::Bool => {
            let _ = write!(
                out,
                "<select {common} data-kind=\"tribool\"><option value=\"\">Not known</option>\
                 <option value=\"true\">Yes</option><option value=\"false\">No</option></select>"
            );
        }
        Shape::Date { .. } | Shape::PartialDate => {
            // Typed day first whatever the browser's language (a native date box follows the
            // browser's locale, so a US-English browser reads 01/03 as 3 January); the page
            // parses it, stores ISO, and reads the date back in words, so a swapped day and
            // month cannot pass unseen.
            let (kind, format) = match shape {
                Shape::Date { why: Some(why) } => (
                    "date",
                    format!("Day/month/year, e.g. 27/03/2024 (the day is needed: {})", esc(why)),
                ),
                Shape::Date { why: None } => ("date", "Day/month/year, e.g. 27/03/2024".into()),
                _ => (
                    "pdate",
                    "Day/month/year, e.g. 27/03/2024; or month/year (03/2024) or the year (2024) if the day is not known".into(),
                ),
            };
            let common = common.replace(
                &format!("aria-describedby=\"{id}-help\""),
                &format!("aria-describedby=\"{id}-help {id}-format {id}-words\""),
            );
            let _ = write!(
                out,
                "<span class=\"date-format\" id=\"{id}-format\">{format}</span>\
                 <span class=\"date\"><input type=\"text\" {common} data-kind=\"{kind}\" autocomplete=\"off\" spellcheck=\"false\">\
                 <span class=\"date-words\" id=\"{id}-words\" aria-live=\"polite\"></span></span>"
            );
        }
        Shape::Enum(values) if values.len() <= MAX_RADIOS => {
            let _ = write!(out, "<div class=\"choices\" {common} data-kind=\"enum\">");
            if !field.required && field.default.is_none() {
                let _ = write!(
                    out,
                    "<label class=\"choice\"><input type=\"radio\" name=\"{id}\" value=\"\" checked> Not answered</label>"
                );
            }
            for c in values {
                let checked = if c.value == default { " checked" } else { "" };
                let input = format!("type=\"radio\" name=\"{id}\"{checked}");
                choice(out, &input, &c.value, &c.doc);
            }
            out.push_str("</div>");
        }
        Shape::Enum(values) => {
            let _ = write!(out, "<select {common} data-kind=\"enum\">");
            let blank = if field.required && field.default.is_none() {
                "Choose one"
            } else {
                "Not answered"
            };
            let _ = write!(out, "<option value=\"\">{blank}</option>");
            for c in values {
                let selected = if c.value == default { " selected" } else { "" };
                let meaning = if c.doc.is_empty() {
                    String::new()
                } else {
                    format!(": {}", esc(c.doc.trim()))
                };
                let _ = write!(
                    out,
                    "<option value=\"{}\"{selected}>{}{meaning}</option>",
                    esc(&c.value),
                    esc(&label(&c.value))
                );
            }
            out.push_str("</select>");
        }
        Shape::List(inner) => match &**inner {
            Shape::Enum(values) => {
                let _ = write!(
                    out,
                    "<div class=\"choices\" {common} data-kind=\"enumlist\">"
                );
                for c in values {
                    choice(out, "type=\"checkbox\"", &c.value, &c.doc);
                }
                out.push_str("</div>");
            }
            _ => {
                let _ = write!(
                    out,
                    "<textarea {common} data-kind=\"lines\" rows=\"2\" placeholder=\"One per line\"></textarea>"
                );
            }
        },
        Shape::Table { .. } => {}
    }
}

/// One radio button or checkbox with the value in words and its meaning beside it.
fn choice(out: &mut String, input: &str, value: &str, doc: &str) {
    let meaning = if doc.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"meaning\">{}</span>", help_html(doc))
    };
    let _ = write!(
        out,
        "<label class=\"choice\"><input {input} value=\"{}\"> {}{meaning}</label>",
        esc(value),
        esc(&label(value)),
    );
}

/// Whether a leaf is shown as a group of radio buttons or checkboxes.
fn is_group(shape: &Shape) -> bool {
    match shape {
        Shape::Enum(values) => values.len() <= MAX_RADIOS,
        Shape::List(inner) => matches!(**inner, Shape::Enum(_)),
        _ => false,
    }
}

/// "Treatments" → "Treatment", for item titles and buttons.
fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else if plural.ends_with("ss") {
        plural.to_string()
    } else if let Some(stem) = plural.strip_suffix('s') {
        stem.to_string()
    } else {
        plural.to_string()
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_of_the_model_is_in_the_form() {
        let html = questionnaire();
        for path in schema::case().leaf_paths() {
            let path = path.trim_end_matches("[]");
            assert!(
                html.contains(&format!("data-path=\"{path}\"")),
                "{path} is missing from the form"
            );
        }
    }

    #[test]
    fn drafting_text_gets_room_to_write() {
        let html = questionnaire();
        for path in ["drafting[].text", "drafting[].reason", "drafting[].was"] {
            let at = html
                .find(&format!("data-path=\"{path}\""))
                .unwrap_or_else(|| panic!("{path} is in the form"));
            let rest = &html[at..];
            let textarea = rest.find("<textarea").unwrap_or(usize::MAX);
            let input = rest.find("<input").unwrap_or(usize::MAX);
            assert!(textarea < input, "{path} is a text area");
        }
    }

    #[test]
    fn dates_are_typed_day_first_and_read_back_in_words() {
        let html = questionnaire();
        // No native date box: it would follow the browser's locale.
        assert!(!html.contains("type=\"date\""));
        assert!(html.contains(
            "id=\"f-matter-letter_date\" data-key=\"letter_date\" data-default=\"\" \
             aria-describedby=\"f-matter-letter_date-help f-matter-letter_date-format f-matter-letter_date-words\" data-kind=\"date\""
        ));
        assert!(html.contains(
            "<span class=\"date-words\" id=\"f-matter-letter_date-words\" aria-live=\"polite\">"
        ));
        assert!(
            html.contains("id=\"f-nrm-referral_date\"") && html.contains("data-kind=\"pdate\"")
        );
        // The CG decision takes a month or a year; the letter date says why it needs the day.
        let cg = &html[html.find("id=\"f-nrm-cg_decision-date\"").unwrap()..];
        assert!(cg[..cg.find('>').unwrap()].contains("data-kind=\"pdate\""));
        assert!(html.contains(
            "id=\"f-matter-letter_date-format\">Day/month/year, e.g. 27/03/2024 (the day is needed: ages at the letter date and every time limit are worked out from it)</span>"
        ));
    }

    #[test]
    fn evidence_references_are_chosen_from_the_list() {
        let html = questionnaire();
        assert!(html.contains(
            "<select id=\"f-health-clinician_status_evidence\" data-key=\"clinician_status_evidence\""
        ));
        // One picker per evidence-reference field: the 21 that `facts::schema`'s test lists.
        assert_eq!(html.matches("data-kind=\"evref\"").count(), 21);
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("dob_claimed"), "Date of birth claimed");
        assert_eq!(label("cg_decision"), "Conclusive grounds decision");
        assert_eq!(singular("Treatments"), "Treatment");
        assert_eq!(singular("Previous decisions"), "Previous decision");
        assert_eq!(singular("Missing episodes"), "Missing episode");
        assert_eq!(singular("Dependants"), "Dependant");
    }

    #[test]
    fn help_text_is_escaped() {
        assert_eq!(
            help_html("a <b> & `x<y`"),
            "a &lt;b&gt; &amp; <code>x&lt;y</code>"
        );
    }
}
