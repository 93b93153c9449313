//! The per-user configuration file: a firm's defaults (its details, its clause library), so that
//! `--firm` and `--clauses` need not be typed on every command. The flags still win.
//!
//! ```toml
//! clauses = "clause-library"     # a folder, relative to this file's folder
//!
//! [firm]                          # the fields of a `--firm` file
//! firm_name = "Example Law LLP"
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::facts::model::Representative;
use crate::facts::node::{Value, parse_toml};
use crate::facts::schema;
use crate::facts::validate::{Origin, validate};

/// What the configuration file sets.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The firm's details, for cases without `[representative]` (as `--firm` gives them).
    pub firm: Option<Representative>,
    /// The clause library folder (as `--clauses` gives it), resolved against the file's folder.
    pub clauses: Option<PathBuf>,
}

/// The configuration file to read, and whether it was named explicitly (then a missing file is
/// an error; at the usual place it only means there is none). From the environment, in order:
/// `VTSDRAFT_CONFIG` (set but empty: no file at all), `$XDG_CONFIG_HOME/vtsdraft/config.toml`,
/// `$HOME/.config/vtsdraft/config.toml`.
pub fn location(
    explicit: Option<OsString>,
    xdg_config_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<(PathBuf, bool)> {
    if let Some(path) = explicit {
        return (!path.is_empty()).then(|| (PathBuf::from(path), true));
    }
    // The XDG base directory spec ignores a relative XDG_CONFIG_HOME.
    let base = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| PathBuf::from(h).join(".config")))?;
    Some((base.join("vtsdraft").join("config.toml"), false))
}

/// The keys the file may have, for the did-you-mean hint.
const KEYS: [&str; 2] = ["clauses", "firm"];

/// Reads the configuration file at `path`. Problems come back as case files' do: file, line,
/// field, what was expected and a hint.
pub fn load(path: &Path) -> Result<Config, Vec<Diagnostic>> {
    let text = crate::facts::load::read_text(path).map_err(|d| {
        vec![d.hint("the configuration file is named by VTSDRAFT_CONFIG, or found at $XDG_CONFIG_HOME/vtsdraft/config.toml or ~/.config/vtsdraft/config.toml")]
    })?;
    let tree = parse_toml(&text).map_err(|e| {
        vec![
            Diagnostic::error(
                Code::Syntax,
                format!("the configuration file is not valid TOML: {}", e.message),
            )
            .at(Location::at(path, &text, e.offset)),
        ]
    })?;
    let origin = Origin {
        file: path,
        text: Some(&text),
        line: None,
    };
    let mut problems = Vec::new();
    let mut config = Config::default();
    let Value::Table(entries) = &tree.value else {
        return Err(vec![
            Diagnostic::error(
                Code::WrongType,
                "the configuration file must be a TOML table",
            )
            .at(Location::file(path)),
        ]);
    };
    for (key, node) in entries {
        let at = Location::at(path, &text, key.span.start);
        match (key.name.as_str(), &node.value) {
            ("firm", _) => {
                let before = problems.len();
                validate(node, schema::representative(), "firm", &origin, &mut problems);
                if !crate::diag::has_errors(&problems[before..]) {
                    match serde_json::from_value(node.to_json()) {
                        Ok(firm) => config.firm = Some(firm),
                        Err(e) => problems.push(
                            Diagnostic::error(Code::Internal, format!("configuration `firm`: {e}"))
                                .at(at),
                        ),
                    }
                }
            }
            ("clauses", Value::Str(dir)) => {
                let dir = Path::new(dir);
                // Relative to the file, not to wherever the command is run.
                config.clauses = Some(match path.parent() {
                    Some(parent) if dir.is_relative() => parent.join(dir),
                    _ => dir.to_path_buf(),
                });
            }
            ("clauses", _) => problems.push(
                Diagnostic::error(
                    Code::WrongType,
                    "`clauses`: expected the clause library's folder as a string",
                )
                .at(Location::at(path, &text, node.span.start))
                .field("clauses")
                .hint("e.g. `clauses = \"/srv/firm/clauses\"`; a relative folder is read from the configuration file's folder"),
            ),
            (name, _) => {
                let d = Diagnostic::error(
                    Code::UnknownField,
                    format!("unknown setting `{name}` in the configuration file"),
                )
                .at(at)
                .field(name);
                problems.push(match did_you_mean(name, KEYS) {
                    Some(near) => d.hint(format!("did you mean `{near}`?")),
                    None => d.hint("the settings are `clauses` (a folder) and `[firm]` (the fields of a `--firm` file)"),
                });
            }
        }
    }
    if crate::diag::has_errors(&problems) {
        return Err(problems);
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_found_where_the_environment_says() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            location(os("/x/c.toml"), os("/xdg"), os("/home/a")),
            Some((PathBuf::from("/x/c.toml"), true))
        );
        assert_eq!(location(os(""), os("/xdg"), os("/home/a")), None);
        assert_eq!(
            location(None, os("/xdg"), os("/home/a")),
            Some((PathBuf::from("/xdg/vtsdraft/config.toml"), false))
        );
        assert_eq!(
            location(None, os("relative"), os("/home/a")),
            Some((PathBuf::from("/home/a/.config/vtsdraft/config.toml"), false))
        );
        assert_eq!(location(None, None, None), None);
    }
}
