//! The cases folder: listing, opening, saving and autosaved drafts, never outside the folder.
//!
//! Names come from the browser, so each is checked as a bare file name (no separators, no
//! leading dot, no `..`) and the path it makes is checked again after symlinks are resolved.
//! Saving never replaces a file silently: only the file the page opened, unchanged on disk
//! since, or one the user has confirmed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value as Json;

use crate::facts::load::{Bounded, MAX_FILE_BYTES, read_bounded};
use crate::output::write_atomic;
// The page sends a file's hash back to prove it is replacing what it opened.
use crate::provenance::sha256;

/// Drafts live here, inside the cases folder; the dot keeps them out of `batch cases/`.
pub const DRAFTS: &str = ".drafts";

/// Why a file operation was refused; each carries what the page shows.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FileError {
    #[error("{0}")]
    BadName(String),
    #[error("there is no case file called `{0}` in the cases folder")]
    NotFound(String),
    #[error("`{0}` already exists; choose another name, or confirm that it should be replaced")]
    Exists(String),
    #[error(
        "`{0}` was changed on disk after you opened it; save under another name, or confirm that it should be replaced"
    )]
    Changed(String),
    #[error("`{0}` cannot be read or written: {1}")]
    Io(String, String),
    #[error("the case cannot be written as TOML: {0}")]
    Toml(String),
    #[error("the case is larger than {MAX_FILE_BYTES} bytes, the most a case file may hold")]
    TooLarge,
}

/// One entry of the cases list.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub draft: bool,
    /// Seconds since the Unix epoch, for sorting and "saved 2 minutes ago".
    pub modified: u64,
}

/// Checks a name typed or picked in the browser; adds `.toml` when no extension is given.
pub fn file_name(name: &str, allow_json: bool) -> Result<String, FileError> {
    let name = name.trim();
    let bad = |why: &str| FileError::BadName(format!("`{name}` cannot be a case file name: {why}"));
    if name.is_empty() {
        return Err(bad("give the case a name, e.g. the matter reference"));
    }
    if name.len() > 100 {
        return Err(bad("use at most 100 characters"));
    }
    if name.starts_with('.') || name.contains("..") {
        return Err(bad("it may not start with a dot or contain `..`"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ')))
    {
        return Err(bad(&format!(
            "use letters, digits, spaces, `-`, `_` and `.` only (not `{c}`)"
        )));
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".toml") || (allow_json && lower.ends_with(".json")) {
        Ok(name.to_string())
    } else if lower.ends_with(".json") {
        Err(bad(
            "the questionnaire saves TOML; use a name ending in `.toml`",
        ))
    } else {
        Ok(format!("{name}.toml"))
    }
}

/// A draft id made by the page: lowercase letters, digits and `-`.
pub fn draft_name(id: &str) -> Result<String, FileError> {
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(FileError::BadName(
            "the draft id must be 1 to 64 lowercase letters, digits or `-`".into(),
        ));
    }
    Ok(format!("{id}.toml"))
}

/// The path for `name` inside `dir`, refusing symlinks and anything that resolves outside.
fn inside(dir: &Path, name: &str) -> Result<PathBuf, FileError> {
    let path = dir.join(name);
    if let Ok(meta) = std::fs::symlink_metadata(&path)
        && meta.file_type().is_symlink()
    {
        return Err(FileError::BadName(format!(
            "`{name}` is a link; open the file it points to from its own folder"
        )));
    }
    let parent = path
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .ok_or_else(|| FileError::NotFound(name.into()))?;
    if !parent.starts_with(dir) {
        return Err(FileError::BadName(format!(
            "`{name}` is outside the cases folder"
        )));
    }
    Ok(path)
}

fn modified(path: &Path) -> u64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

/// How long an autosaved draft is kept after its last change.
pub const DRAFT_DAYS: u64 = 30;

/// Removes drafts not changed for [`DRAFT_DAYS`] days: they hold client data nobody went back
/// to. Returns how many were removed.
pub fn expire_drafts(cases: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(cases.join(DRAFTS)) else {
        return 0;
    };
    let limit = std::time::Duration::from_secs(DRAFT_DAYS * 86_400);
    let mut removed = 0;
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .ok()
            .filter(|m| m.file_type().is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > limit);
        if old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Case files (`.toml`, `.json`) and drafts, newest first.
pub fn list(cases: &Path) -> Result<Vec<Entry>, FileError> {
    let mut out = Vec::new();
    for (dir, draft) in [(cases.to_path_buf(), false), (cases.join(DRAFTS), true)] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_case = file_name(&name, true).is_ok_and(|n| n == name);
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if is_case && is_file {
                out.push(Entry {
                    modified: modified(&entry.path()),
                    name,
                    draft,
                });
            }
        }
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// Refuses anything at `path` that is not a regular file (a named pipe would block the reader,
/// a device never end); a missing file is fine here.
fn regular(path: &Path, name: &str) -> Result<(), FileError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(FileError::BadName(format!(
            "`{name}` is not an ordinary file; the questionnaire only opens and saves case files"
        ))),
        _ => Ok(()),
    }
}

/// An opened file: its text and the hash that lets the page save over it later.
pub struct Opened {
    pub name: String,
    pub text: String,
    pub sha: String,
}

/// Reads a case file or draft from the folder.
pub fn open(cases: &Path, name: &str, draft: bool) -> Result<Opened, FileError> {
    let (dir, name) = if draft {
        (cases.join(DRAFTS), file_name(name, false)?)
    } else {
        (cases.to_path_buf(), file_name(name, true)?)
    };
    let path = inside(&dir, &name)?;
    regular(&path, &name)?;
    let bytes = read_bounded(&path, MAX_FILE_BYTES).map_err(|e| match e {
        Bounded::TooLarge => FileError::TooLarge,
        Bounded::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            FileError::NotFound(name.clone())
        }
        Bounded::Io(e) => FileError::Io(name.clone(), e.to_string()),
    })?;
    let sha = sha256(&bytes);
    let text = String::from_utf8(bytes)
        .map_err(|_| FileError::Io(name.clone(), "the file is not UTF-8 text".into()))?;
    Ok(Opened { name, text, sha })
}

/// The case as a TOML file, with a header that says what it holds.
pub fn to_toml(case: &Json) -> Result<String, FileError> {
    if !case.is_object() {
        return Err(FileError::Toml("a case is a table of answers".into()));
    }
    let body = toml::to_string(case).map_err(|e| FileError::Toml(e.to_string()))?;
    Ok(format!("{HEADER}\n{body}"))
}

/// The comment lines every saved case starts with.
pub const HEADER: &str = "# A vtsdraft case, written by the questionnaire (`vtsdraft serve`).\n\
                          # Confidential client information: store it accordingly.\n";

/// Whether a TOML file has comments of its own, which saving from the form would drop.
pub fn has_own_comments(text: &str) -> bool {
    let own = text.strip_prefix(HEADER).unwrap_or(text);
    own.lines().any(|l| l.trim_start().starts_with('#'))
}

/// Saves a case under `name`. `base` is the hash of the file as the page opened it;
/// `replace` is the user's explicit confirmation.
pub fn save(
    cases: &Path,
    name: &str,
    case: &Json,
    base: Option<&str>,
    replace: bool,
) -> Result<(String, String), FileError> {
    let name = file_name(name, false)?;
    let path = inside(cases, &name)?;
    let text = to_toml(case)?;
    // Never save what could not be opened again.
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    regular(&path, &name)?;
    // The hash of what is there now, if anything is (a file too large to read is still there).
    let current = match read_bounded(&path, MAX_FILE_BYTES) {
        Ok(existing) => Some(sha256(&existing)),
        Err(Bounded::TooLarge) => Some(String::new()),
        Err(Bounded::Io(_)) => None,
    };
    if let Some(current) = current {
        match base {
            _ if replace => {}
            Some(base) if base == current => {}
            Some(_) => return Err(FileError::Changed(name)),
            None => return Err(FileError::Exists(name)),
        }
    }
    write_atomic(&path, text.as_bytes()).map_err(|e| FileError::Io(name.clone(), e.to_string()))?;
    Ok((name, sha256(text.as_bytes())))
}

/// The case file a draft was made from, so that restoring it can save over that file as the
/// page that opened it could: the file's name and its hash when opened.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Origin {
    pub name: Option<String>,
    pub sha: Option<String>,
}

/// How a draft records its [`Origin`]: comment lines after [`HEADER`], which TOML ignores.
const ORIGIN_NAME: &str = "# draft of: ";
const ORIGIN_SHA: &str = "# draft base: ";

impl Origin {
    /// Keeps only a valid file name and a SHA-256 in hex: an autosave never fails over them.
    pub fn new(name: Option<&str>, sha: Option<&str>) -> Origin {
        Origin {
            name: name
                .filter(|n| !n.trim().is_empty())
                .and_then(|n| file_name(n, false).ok()),
            sha: sha
                .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_ascii_lowercase),
        }
    }

    /// Reads the origin back from a draft's first lines.
    pub fn of_draft(text: &str) -> Origin {
        let own = text.strip_prefix(HEADER).unwrap_or(text);
        let mut found = (None, None);
        for line in own.lines().take_while(|l| l.starts_with('#')) {
            if let Some(name) = line.strip_prefix(ORIGIN_NAME) {
                found.0 = Some(name);
            } else if let Some(sha) = line.strip_prefix(ORIGIN_SHA) {
                found.1 = Some(sha);
            }
        }
        Origin::new(found.0, found.1)
    }
}

/// Writes an autosaved draft (any state, valid or not), with the file it was made from.
pub fn save_draft(
    cases: &Path,
    id: &str,
    case: &Json,
    origin: &Origin,
) -> Result<String, FileError> {
    let name = draft_name(id)?;
    let dir = cases.join(DRAFTS);
    crate::output::create_private_dir(&dir)
        .map_err(|e| FileError::Io(DRAFTS.into(), e.to_string()))?;
    let path = inside(&dir, &name)?;
    let text = to_toml(case)?;
    let body = text.strip_prefix(HEADER).unwrap_or(&text);
    let mut lines = String::new();
    if let Some(n) = &origin.name {
        lines.push_str(&format!("{ORIGIN_NAME}{n}\n"));
    }
    if let Some(sha) = &origin.sha {
        lines.push_str(&format!("{ORIGIN_SHA}{sha}\n"));
    }
    write_atomic(&path, format!("{HEADER}{lines}{body}").as_bytes())
        .map_err(|e| FileError::Io(name.clone(), e.to_string()))?;
    Ok(name)
}

/// Removes a draft once its case is saved for real.
pub fn drop_draft(cases: &Path, id: &str) {
    if let Ok(name) = draft_name(id)
        && let Ok(path) = inside(&cases.join(DRAFTS), &name)
    {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_stay_in_the_folder() {
        assert_eq!(file_name("VTS-2026-01", false).unwrap(), "VTS-2026-01.toml");
        assert_eq!(file_name("a.toml", false).unwrap(), "a.toml");
        assert!(file_name("a.json", true).is_ok());
        assert!(file_name("a.json", false).is_err());
        for bad in [
            "../x",
            "/etc/passwd",
            "a/b",
            ".hidden",
            "..",
            "a\\b",
            "",
            "x\0y",
            "café",
        ] {
            assert!(file_name(bad, true).is_err(), "{bad:?} was accepted");
        }
        assert!(draft_name("untitled-3f2a").is_ok());
        assert!(draft_name("../x").is_err());
    }

    #[test]
    fn save_never_replaces_silently() {
        let dir = tempfile::tempdir().unwrap();
        let cases = dir.path().canonicalize().unwrap();
        let case = json!({"matter": {"reference": "X-1"}, "client": {"full_name": "A. Person"}});
        let (name, sha) = save(&cases, "x", &case, None, false).unwrap();
        assert_eq!(name, "x.toml");
        // A second page that did not open it may not replace it.
        assert_eq!(
            save(&cases, "x", &case, None, false),
            Err(FileError::Exists("x.toml".into()))
        );
        // The page that opened it may, while the file is as it was.
        let (_, sha2) = save(
            &cases,
            "x",
            &json!({"matter": {"reference": "X-2"}}),
            Some(&sha),
            false,
        )
        .unwrap();
        assert_eq!(
            save(&cases, "x", &case, Some(&sha), false),
            Err(FileError::Changed("x.toml".into()))
        );
        save(&cases, "x", &case, Some(&sha2), false).unwrap();
        save(&cases, "x", &case, None, true).unwrap();
        let text = std::fs::read_to_string(cases.join("x.toml")).unwrap();
        assert!(text.contains("[matter]\nreference = \"X-1\""), "{text}");
    }

    #[test]
    fn a_draft_remembers_the_file_it_was_made_from() {
        let dir = tempfile::tempdir().unwrap();
        let cases = dir.path().canonicalize().unwrap();
        let case = json!({"matter": {"reference": "X-1"}});
        let sha = "ab".repeat(32);
        let origin = Origin::new(Some("VTS-1"), Some(&sha));
        save_draft(&cases, "untitled-1", &case, &origin).unwrap();
        let opened = open(&cases, "untitled-1.toml", true).unwrap();
        assert_eq!(Origin::of_draft(&opened.text), origin);
        assert_eq!(origin.name.as_deref(), Some("VTS-1.toml"));
        assert!(opened.text.contains("[matter]\nreference = \"X-1\""));
        // A bad name or hash is left out, never an error: the draft is still kept.
        let odd = Origin::new(Some("../x"), Some("nothex"));
        assert_eq!(odd, Origin::default());
        save_draft(&cases, "untitled-2", &case, &odd).unwrap();
        let opened = open(&cases, "untitled-2.toml", true).unwrap();
        assert_eq!(Origin::of_draft(&opened.text), Origin::default());
    }

    #[test]
    fn symlinks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cases = dir.path().canonicalize().unwrap();
        std::os::unix::fs::symlink("/etc/hostname", cases.join("link.toml")).unwrap();
        assert!(matches!(
            open(&cases, "link.toml", false),
            Err(FileError::BadName(_))
        ));
        assert!(list(&cases).unwrap().is_empty());
    }
}
