//! The firm's details (`--firm firm.toml`): the fields of `[representative]` at top level, for
//! cases that leave them out.

use std::path::Path;

use super::model::Representative;
use super::node::parse_toml;
use super::schema;
use super::validate::{Origin, validate};
use crate::diag::{Code, Diagnostic, Location};

/// Reads a `--firm` file: the fields of `[representative]` at top level.
pub fn load(path: &Path) -> Result<Representative, Vec<Diagnostic>> {
    let text = super::load::read_text(path).map_err(|d| vec![d])?;
    let tree = parse_toml(&text).map_err(|e| {
        vec![
            Diagnostic::error(
                Code::Syntax,
                format!("the firm file is not valid TOML: {}", e.message),
            )
            .at(Location::at(path, &text, e.offset)),
        ]
    })?;
    let mut problems = Vec::new();
    validate(
        &tree,
        schema::representative(),
        "",
        &Origin {
            file: path,
            text: Some(&text),
            line: None,
        },
        &mut problems,
    );
    if crate::diag::has_errors(&problems) {
        return Err(problems);
    }
    serde_json::from_value(tree.to_json())
        .map_err(|e| vec![Diagnostic::error(Code::Internal, format!("firm file: {e}"))])
}
