//! The commented questionnaire `vtsdraft new` writes, generated from the case model's shape.

use super::schema::{Choice, Field, Shape, case};

/// A TOML questionnaire: every field, its help text and the values it accepts.
pub fn toml_questionnaire() -> String {
    let mut out = String::from(
        "# vtsdraft case questionnaire\n\
         #\n\
         # Fill in the values below. Lines starting with `#` are help text; to answer an optional\n\
         # question, remove the `#` in front of its line (and of its [section] header).\n\
         # Dates are written 2025-03-03. If the day is not known, write only the month (\"2025-03\")\n\
         # or the year (\"2025\"), in quotes, where a question allows it; never guess a day. The\n\
         # letter then says \"in March 2025\" or \"in 2025\". A question that needs the day says why.\n\
         # Check your answers with `vtsdraft check FILE`, then `vtsdraft explain FILE`.\n\
         #\n\
         # All data in this file is confidential client information: store it accordingly.\n",
    );
    for field in case().fields() {
        section(&mut out, field, "", !field.required);
    }
    out
}

fn section(out: &mut String, field: &Field, parent: &str, commented: bool) {
    let path = if parent.is_empty() {
        field.name.clone()
    } else {
        format!("{parent}.{}", field.name)
    };
    let c = if commented { "# " } else { "" };
    match &field.shape {
        Shape::Table { fields, .. } => {
            out.push('\n');
            out.push_str(&format!("# ── {path} ── {}\n", first_line(&field.doc)));
            out.push_str(&format!("{c}[{path}]\n"));
            let (scalars, nested): (Vec<&Field>, Vec<&Field>) =
                fields.iter().partition(|f| is_scalar(&f.shape));
            for f in scalars {
                scalar(out, f, commented || !f.required);
            }
            for f in nested {
                section(out, f, &path, commented || !f.required);
            }
        }
        Shape::List(inner) if matches!(**inner, Shape::Table { .. }) => {
            out.push('\n');
            out.push_str(&format!(
                "# ── {path} ── {} (repeat the block for each one)\n",
                first_line(&field.doc)
            ));
            out.push_str(&format!("# [[{path}]]\n"));
            let Shape::Table { fields, .. } = &**inner else {
                return;
            };
            for f in fields {
                if is_scalar(&f.shape) {
                    scalar(out, f, true);
                } else {
                    nested(out, f);
                }
            }
        }
        _ => scalar(out, field, commented),
    }
}

/// A table (or list of tables) inside a repeated block, where TOML allows no `[header]`: its
/// help, each of its fields with what it means, and an example to uncomment.
fn nested(out: &mut String, field: &Field) {
    let (inner, kind, example) = match &field.shape {
        Shape::List(inner) => (
            &**inner,
            "a list of tables in braces, each",
            format!("[{}]", inner.example("")),
        ),
        other => (other, "a table in braces", other.example("")),
    };
    out.push_str(&format!("# {}\n", first_line(&field.doc)));
    let requirement = if field.required {
        "required"
    } else {
        "optional"
    };
    out.push_str(&format!("# ({requirement}) {kind} with these fields:\n"));
    for f in inner.fields() {
        let requirement = if f.required { "required" } else { "optional" };
        out.push_str(&format!(
            "#   {} ({requirement}): {}\n",
            f.name,
            first_line(&f.doc)
        ));
        match &f.shape {
            Shape::Enum(values) => {
                out.push_str("#     one of:\n");
                choices(out, values, "#       ");
            }
            other => out.push_str(&format!("#     {}\n", other.expected())),
        }
    }
    out.push_str(&format!("# {} = {example}\n", field.name));
}

/// An enumeration's values, one a line, each with its meaning.
fn choices(out: &mut String, values: &[Choice], indent: &str) {
    for c in values {
        if c.doc.is_empty() {
            out.push_str(&format!("{indent}\"{}\"\n", c.value));
        } else {
            out.push_str(&format!(
                "{indent}\"{}\": {}\n",
                c.value,
                first_line(&c.doc)
            ));
        }
    }
}

fn is_scalar(shape: &Shape) -> bool {
    match shape {
        Shape::Table { .. } => false,
        Shape::List(inner) => !matches!(**inner, Shape::Table { .. }),
        _ => true,
    }
}

fn scalar(out: &mut String, field: &Field, commented: bool) {
    for line in field.doc.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    let requirement = if field.required {
        "required"
    } else {
        "optional"
    };
    match &field.shape {
        Shape::Enum(values) => {
            out.push_str(&format!("# ({requirement}) one of:\n"));
            choices(out, values, "#   ");
        }
        other => out.push_str(&format!("# ({requirement}) {}\n", other.expected())),
    }
    let c = if commented { "# " } else { "" };
    out.push_str(&format!("{c}{} = {}\n", field.name, placeholder(field)));
}

fn placeholder(field: &Field) -> String {
    if let Some(default) = &field.default
        && let Ok(text) = toml::to_string(&serde_json::json!({ "v": default }))
        && let Some(value) = text.trim().strip_prefix("v = ")
    {
        return value.to_string();
    }
    match &field.shape {
        Shape::Bool => "false".into(),
        Shape::Int => "0".into(),
        Shape::List(_) => "[]".into(),
        _ => "\"\"".into(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questionnaire_parses_and_explains_every_section() {
        let text = toml_questionnaire();
        assert!(text.contains("[matter]\n"));
        assert!(text.contains("\"reconsideration\": A request to reconsider"));
        assert!(text.contains("# [[evidence]]"));
        assert!(text.contains("# [[health.treatments]]"));
        // The header says once what to write when the day is not known, and the fields agree.
        assert!(text.contains("If the day is not known, write only the month"));
        assert!(text.contains(
            "a date `YYYY-MM-DD`, or a month `\"YYYY-MM\"` or year `\"YYYY\"` if the day is not known"
        ));
        assert!(text.contains("(the day is needed: ages at the letter date"));
        // The file is valid TOML as written, so a paralegal can fill it in place.
        toml::from_str::<toml::Table>(&text).expect("questionnaire is valid TOML");
    }
}
