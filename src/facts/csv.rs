//! Cases as CSV rows: one case per row, one column per dotted field path (`client.full_name`,
//! `health.treatments.0.kind`), each row turned into the same tree a case file gives.

use std::path::Path;

use super::node::{Key, Node, Value};
use super::schema::{self, Shape};
use crate::diag::{Code, Diagnostic, Location, did_you_mean};

/// Every CSV column, one per leaf field; list items are numbered from 0.
pub fn header() -> String {
    schema::case()
        .leaf_paths()
        .iter()
        .map(|p| p.replace("[]", ".0"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Where a CSV column's path leads in the model: the field's shape, or the nearest valid path.
fn column_shape(path: &str) -> Result<(Vec<Segment>, &'static Shape), Option<String>> {
    let mut shape = schema::case();
    let mut segments = Vec::new();
    for part in path.split('.') {
        if let Ok(index) = part.parse::<usize>() {
            match shape {
                Shape::List(inner) => {
                    segments.push(Segment::Index(index));
                    shape = inner;
                }
                _ => return Err(None),
            }
            continue;
        }
        match shape.fields().iter().find(|f| f.name == part) {
            Some(field) => {
                segments.push(Segment::Key(part.to_string()));
                shape = &field.shape;
            }
            None => return Err(None),
        }
    }
    Ok((segments, shape))
}

fn nearest_column(path: &str) -> Option<String> {
    let normalised: String = path
        .split('.')
        .map(|p| if p.parse::<usize>().is_ok() { "0" } else { p })
        .collect::<Vec<_>>()
        .join(".");
    let columns: Vec<String> = schema::case()
        .leaf_paths()
        .iter()
        .map(|p| p.replace("[]", ".0"))
        .collect();
    did_you_mean(&normalised, columns.iter().map(String::as_str)).map(|near| {
        // Keep the user's own list indices.
        let mut user = path.split('.');
        near.split('.')
            .map(|s| {
                if s == "0" {
                    user.find(|u| u.parse::<usize>().is_ok())
                        .unwrap_or("0")
                        .to_string()
                } else {
                    s.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    })
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Puts `value` at `segments` inside `node`, creating tables and list items on the way.
fn insert(node: &mut Node, segments: &[Segment], value: Node) {
    let Some((first, rest)) = segments.split_first() else {
        *node = value;
        return;
    };
    let child = match (first, &mut node.value) {
        (Segment::Key(k), Value::Table(entries)) => {
            if let Some(i) = entries.iter().position(|(key, _)| &key.name == k) {
                &mut entries[i].1
            } else {
                let fresh = if matches!(rest.first(), Some(Segment::Index(_))) {
                    Value::Array(Vec::new())
                } else {
                    Value::Table(Vec::new())
                };
                entries.push((
                    Key {
                        name: k.clone(),
                        span: value.span.clone(),
                    },
                    Node::new(fresh, value.span.clone()),
                ));
                &mut entries.last_mut().expect("just pushed").1
            }
        }
        (Segment::Index(i), Value::Array(items)) => {
            while items.len() <= *i {
                items.push(Node::new(Value::Table(Vec::new()), value.span.clone()));
            }
            &mut items[*i]
        }
        _ => return,
    };
    insert(child, rest, value);
}

fn cell_value(text: &str, shape: &Shape) -> Value {
    match shape {
        Shape::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Value::Bool(true),
            "false" | "no" | "n" => Value::Bool(false),
            _ => Value::Str(text.to_string()),
        },
        Shape::Int => text
            .parse::<i64>()
            .map_or_else(|_| Value::Str(text.to_string()), Value::Int),
        Shape::List(inner) => Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Node::new(cell_value(s, inner), 0..0))
                .collect(),
        ),
        _ => Value::Str(text.to_string()),
    }
}

/// One CSV row, already turned into a case tree.
#[derive(Debug, Clone)]
pub struct Row {
    /// How messages name the row: `clients.csv row 4`.
    pub label: String,
    /// The row's (first) line in the file.
    pub line: u32,
    /// The row's number as a spreadsheet shows it (the header is row 1), which differs from
    /// `line` once an earlier cell holds a line break.
    pub row: u32,
    pub tree: Node,
    /// The row's cells, joined by U+001F: what the row's hash is taken of.
    pub raw: String,
    /// The header's column names, in order, shared by every row: a problem with a field is
    /// pointed at its cell through them.
    pub columns: std::sync::Arc<[String]>,
}

impl Row {
    /// `problem` pointed at the cell its field came from: the location's column is the cell's,
    /// and the message starts with the cell as a spreadsheet names it and its column's name
    /// (`cell K5 (`client.dob_claimed`): …`), which is what a spreadsheet user looks for.
    /// A problem with no field, or with a field no column holds, is returned as it was.
    pub fn locate(&self, mut problem: Diagnostic) -> Diagnostic {
        let Some(field) = &problem.field else {
            return problem;
        };
        // `health.treatments[1].kind` is the column `health.treatments.1.kind`; an item of a
        // `;`-separated list cell (`client.aliases[1]`) is in the list's column.
        let dotted = field.replace('[', ".").replace(']', "");
        let found = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                dotted == **name
                    || dotted
                        .strip_prefix(name.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
            .max_by_key(|(_, name)| name.len());
        let Some((index, name)) = found else {
            return problem;
        };
        problem.message = format!(
            "cell {}{} (`{name}`): {}",
            column_letters(index + 1),
            self.row,
            problem.message
        );
        if let Some(location) = &mut problem.location {
            location.column = index as u32 + 1;
        }
        problem
    }
}

/// A spreadsheet's name for column `number` (from 1): A … Z, AA, AB …
pub fn column_letters(number: usize) -> String {
    let mut n = number;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Reads a CSV into one tree per row. Header problems stop the run (they affect every row).
pub fn read(path: &Path) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let text = super::load::read_text(path).map_err(|d| vec![d])?;
    parse(path, &text)
}

/// Reads CSV text into one tree per row; `path` is used in messages only.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![
                Diagnostic::error(Code::Syntax, format!("cannot read the CSV header: {e}"))
                    .at(Location::file(path)),
            ]
        })?
        .clone();
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim();
        // Rows are built item by item up to the index, so an index past the list limit would
        // allocate without bound before validation could refuse it.
        if let Some(index) = name
            .split('.')
            .filter_map(|p| p.parse::<usize>().ok())
            .find(|n| *n >= super::validate::MAX_LIST_ITEMS)
        {
            problems.push(
                Diagnostic::error(
                    Code::UnknownColumn,
                    format!(
                        "column {} `{name}`: list index {index} is too large; lists hold at most {} items",
                        i + 1,
                        super::validate::MAX_LIST_ITEMS
                    ),
                )
                .at(Location {
                    file: path.to_path_buf(),
                    line: 1,
                    column: i as u32 + 1,
                })
                .hint("list items are numbered from 0 in column names: `client.aliases.0`"),
            );
            continue;
        }
        match column_shape(name) {
            Ok((segments, shape))
                if !matches!(shape, Shape::Table { .. })
                    && !matches!(shape, Shape::List(inner) if matches!(**inner, Shape::Table { .. })) =>
            {
                columns.push((segments, shape));
            }
            _ => {
                let mut d = Diagnostic::error(
                    Code::UnknownColumn,
                    format!(
                        "column {} `{name}` is not a field path of the case model",
                        i + 1
                    ),
                )
                .at(Location {
                    file: path.to_path_buf(),
                    line: 1,
                    column: i as u32 + 1,
                });
                d = match nearest_column(name) {
                    Some(near) => d.hint(format!("did you mean `{near}`?")),
                    None => d.hint("`vtsdraft new --csv header.csv` writes every valid column"),
                };
                problems.push(d);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let names: std::sync::Arc<[String]> = headers.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (row_index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(
                    Diagnostic::error(Code::Syntax, format!("CSV row {}: {e}", row_index + 2))
                        .at(Location::file(path)),
                );
                continue;
            }
        };
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // empty rows are spreadsheet noise, not cases
        }
        let line = record
            .position()
            .map_or(row_index + 2, |p| p.line() as usize);
        let mut tree = Node::new(Value::Table(Vec::new()), offset..offset);
        for ((segments, shape), cell) in columns.iter().zip(record.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            insert(
                &mut tree,
                segments,
                Node::new(cell_value(cell, shape), offset..offset),
            );
        }
        // The header is row 1; empty rows are skipped but still counted, as a spreadsheet shows.
        let row = row_index as u32 + 2;
        rows.push(Row {
            label: format!("{} row {row}", path.display()),
            line: line as u32,
            row,
            raw: record.iter().collect::<Vec<_>>().join("\u{1F}"),
            tree,
            columns: names.clone(),
        });
    }
    if rows.is_empty() && !problems.is_empty() {
        return Err(problems);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_map_to_fields_or_suggest_one() {
        assert!(column_shape("client.full_name").is_ok());
        assert!(column_shape("health.treatments.0.kind").is_ok());
        assert!(column_shape("client.ful_name").is_err());
        assert_eq!(
            nearest_column("client.ful_name").as_deref(),
            Some("client.full_name")
        );
        assert_eq!(
            nearest_column("health.treatments.1.knd").as_deref(),
            Some("health.treatments.1.kind")
        );
        assert!(header().starts_with("matter.reference,matter.letter_mode,matter.letter_date"));
    }

    #[test]
    fn a_problem_is_pointed_at_its_cell() {
        let rows = parse(
            Path::new("c.csv"),
            "matter.reference,client.aliases,health.treatments.1.kind\nR,\"a\nb\",x\nS,c,y\n",
        )
        .unwrap();
        let second = &rows[1];
        assert_eq!((second.row, second.line), (3, 4));
        let at = |field: &str| {
            let d = Diagnostic::error(Code::BadChoice, "bad")
                .at(Location::file(Path::new("c.csv")))
                .field(field);
            let d = second.locate(d);
            (d.message, d.location.map(|l| l.column))
        };
        assert_eq!(
            at("health.treatments[1].kind"),
            ("cell C3 (`health.treatments.1.kind`): bad".into(), Some(3))
        );
        assert_eq!(
            at("client.aliases[0]"),
            ("cell B3 (`client.aliases`): bad".into(), Some(2))
        );
        assert_eq!(at("client.full_name"), ("bad".into(), Some(1)));
        assert_eq!(
            [1, 26, 27, 52, 335].map(column_letters),
            ["A", "Z", "AA", "AZ", "LW"]
        );
    }
}
