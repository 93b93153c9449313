//! Writes drafting instructions into a TOML case file by editing it in place: every other line,
//! comment and blank line of the file is kept as the person wrote it.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::Edit;
use crate::facts::model::Instruction;

/// `text` (a case file) with `edits` made to its `[[drafting]]` tables; `source` names the Word
/// file in the comment above each new one.
pub fn apply(text: &str, edits: &[Edit], source: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the case file is not valid TOML: {e}"))?;
    if doc.get("drafting").is_none() {
        doc.insert("drafting", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = doc["drafting"].as_array_of_tables_mut().ok_or(
        "`drafting` in the case file is not written as `[[drafting]]` tables, so it cannot be edited in place",
    )?;
    let mut removed = Vec::new();
    for edit in edits {
        match edit {
            Edit::New(instruction) => {
                let mut table = table(instruction);
                table
                    .decor_mut()
                    .set_prefix(format!("\n# From {source}, by `vtsdraft absorb`.\n"));
                tables.push(table);
            }
            Edit::SetText(i, text) => {
                let table = tables
                    .get_mut(*i)
                    .ok_or_else(|| format!("there is no drafting instruction {}", i + 1))?;
                table["text"] = value(string(text));
            }
            Edit::ToOmit(i, reason) => {
                let table = tables
                    .get_mut(*i)
                    .ok_or_else(|| format!("there is no drafting instruction {}", i + 1))?;
                table["action"] = value("omit");
                table.remove("text");
                table["reason"] = value(reason.as_str());
            }
            Edit::Remove(i) => removed.push(*i),
        }
    }
    // Last first, so each index still names the table it was given for.
    removed.sort_unstable();
    for i in removed.into_iter().rev() {
        tables.remove(i);
    }
    if tables.is_empty() {
        doc.remove("drafting");
    }
    Ok(doc.to_string())
}

/// A new `[[drafting]]` table, its keys in the order the questionnaire documents them.
fn table(i: &Instruction) -> Table {
    let mut t = Table::new();
    t["action"] = value(i.action.name());
    if let Some(c) = &i.clause {
        t["clause"] = value(c.as_str());
    }
    if let Some(v) = i.version {
        t["version"] = value(i64::from(v));
    }
    if let Some(s) = &i.section {
        t["section"] = value(s.as_str());
    }
    if let Some(p) = i.place {
        t["place"] = value(match p {
            crate::facts::model::DraftingPlace::Start => "start",
            crate::facts::model::DraftingPlace::End => "end",
        });
    }
    if let Some(text) = &i.text {
        t["text"] = value(string(text));
    }
    if let Some(r) = &i.reason {
        t["reason"] = value(r.as_str());
    }
    if let Some(w) = &i.was {
        t["was"] = value(string(w));
    }
    t
}

/// A TOML string for `text`: a multi-line literal string (`'''…'''`, backslashes as written,
/// which the markup's escapes need) when it can be one, else an ordinary escaped string.
fn string(text: &str) -> toml_edit::Value {
    let literal_ok = !text.contains("'''")
        && !text.ends_with('\'')
        && text
            .chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control());
    if literal_ok {
        let source = format!("'''\n{text}\n'''");
        if let Ok(v) = source.parse::<toml_edit::Value>() {
            // The parsed value is `text` plus the closing newline; keep the exact text.
            if v.as_str() == Some(&format!("{text}\n")) || v.as_str() == Some(text) {
                return v;
            }
        }
    }
    toml_edit::Value::from(text)
}
