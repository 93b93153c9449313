//! Provenance: a JSON record of what built a letter, embedded in the PDF as an attachment and
//! read back by `vtsdraft verify`.
//!
//! The record holds hashes, versions and the non-textual facts that decided the clause
//! selection; never free text from the case beyond what the letter itself shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::facts::schema::{self, Shape};
use crate::{Prepared, Toolkit};

/// The attachment's file name inside the PDF.
pub const ATTACHMENT_NAME: &str = "vtsdraft-provenance.json";

/// The regime as the record holds it: enumerated values and ids only.
fn regime_record(regime: &crate::law::Regime) -> BTreeMap<String, String> {
    let kind = serde_json::to_value(regime.kind).unwrap_or_default();
    [
        ("kind", kind.as_str().unwrap_or_default().to_string()),
        ("instrument", regime.instrument.clone()),
        ("version", regime.version.clone().unwrap_or_default()),
        ("pauses", regime.pauses.join(" ")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// What a withheld (free-text) fact value is recorded as.
pub const WITHHELD: &str = "(text withheld)";

/// What built one letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Always `vtsdraft`.
    pub tool: String,
    pub tool_version: String,
    /// SHA-256 of the validated case, serialised as JSON.
    pub case_sha256: String,
    /// The clause library's version hash.
    pub library_version: String,
    /// `id@version` of every selected clause, in letter order.
    pub clauses: Vec<String>,
    /// SHA-256 of the Typst layout template.
    pub template_sha256: String,
    /// The facts the selected clauses' conditions read: path → value (JSON text). Free-text
    /// values are recorded as [`WITHHELD`].
    pub facts: BTreeMap<String, String>,
    /// The PDF standards the letter was exported to.
    pub pdf_standards: Vec<String>,
    /// The law applied: the kind of consideration, the governing instrument, its version when
    /// verified, and the pauses that may apply (ids only; no free text).
    #[serde(default)]
    pub regime: BTreeMap<String, String>,
    /// SHA-256 of the solicitor's drafting instructions (their canonical JSON), when the case has
    /// any: proves which instructions shaped the letter without carrying their text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafting_sha256: Option<String>,
}

impl Record {
    /// The record for a prepared case built with `toolkit`.
    pub fn new(
        toolkit: &Toolkit,
        prepared: &Prepared,
        conformance: crate::pdf::Conformance,
    ) -> Record {
        let case = serde_json::to_vec(&prepared.loaded.case).unwrap_or_default();
        let mut facts = BTreeMap::new();
        for decision in &prepared.selection.selected {
            for fact in &decision.facts {
                let value = if shareable(&fact.path, prepared.context.lookup(&fact.path)) {
                    fact.value.clone()
                } else {
                    WITHHELD.to_string()
                };
                facts.insert(fact.path.clone(), value);
            }
        }
        let stamps: BTreeMap<&str, String> = toolkit
            .library
            .clauses
            .iter()
            .map(|c| (c.id.as_str(), c.stamp()))
            .collect();
        Record {
            tool: env!("CARGO_PKG_NAME").to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            case_sha256: sha256(&case),
            library_version: toolkit.library.version.clone(),
            clauses: prepared
                .selection
                .selected
                .iter()
                .map(|d| {
                    stamps
                        .get(d.id.as_str())
                        .cloned()
                        .unwrap_or_else(|| format!("{}@{}", d.id, d.version))
                })
                .collect(),
            template_sha256: sha256(crate::render::layout().as_bytes()),
            facts,
            pdf_standards: conformance.names(),
            regime: regime_record(&prepared.derived.regime),
            drafting_sha256: crate::drafting::fingerprint(&prepared.loaded.case.drafting),
        }
    }

    /// The record as the bytes embedded in the PDF (pretty JSON, deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Why `rebuilt` is not the same build as `self` (empty when every part matches).
    pub fn differences(&self, rebuilt: &Record) -> Vec<Difference> {
        let mut out = Vec::new();
        if self.drafting_sha256 != rebuilt.drafting_sha256 {
            out.push(Difference::Drafting);
        }
        if self.case_sha256 != rebuilt.case_sha256 {
            out.push(Difference::Case);
        }
        if self.library_version != rebuilt.library_version || self.clauses != rebuilt.clauses {
            let recorded: Vec<&String> = self.clauses.iter().collect();
            let changed = self
                .clauses
                .iter()
                .filter(|c| !rebuilt.clauses.contains(c))
                .chain(rebuilt.clauses.iter().filter(|c| !recorded.contains(c)))
                .cloned()
                .collect();
            out.push(Difference::Library {
                recorded: self.library_version.clone(),
                now: rebuilt.library_version.clone(),
                clauses: changed,
            });
        }
        if self.tool != rebuilt.tool
            || self.tool_version != rebuilt.tool_version
            || self.template_sha256 != rebuilt.template_sha256
            || self.pdf_standards != rebuilt.pdf_standards
        {
            out.push(Difference::Tool {
                recorded: format!("{} {}", self.tool, self.tool_version),
                now: format!("{} {}", rebuilt.tool, rebuilt.tool_version),
                template_changed: self.template_sha256 != rebuilt.template_sha256,
            });
        }
        out
    }
}

/// One reason a rebuilt letter differs from the recorded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The solicitor's drafting instructions differ.
    Drafting,
    /// The canonical case hash differs.
    Case,
    /// The library version or the selected clauses' versions differ.
    Library {
        recorded: String,
        now: String,
        /// `id@version` stamps present on one side only.
        clauses: Vec<String>,
    },
    /// The tool version, layout template or PDF standards differ.
    Tool {
        recorded: String,
        now: String,
        template_changed: bool,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Drafting => write!(
                f,
                "drafting changed: the solicitor's drafting instructions differ from those the letter was built with"
            ),
            Difference::Case => write!(f, "case changed: the case file's canonical hash differs"),
            Difference::Library {
                recorded,
                now,
                clauses,
            } => {
                write!(f, "library changed: clause library {recorded} → {now}")?;
                if !clauses.is_empty() {
                    write!(f, " (clauses differing: {})", clauses.join(", "))?;
                }
                Ok(())
            }
            Difference::Tool {
                recorded,
                now,
                template_changed,
            } => {
                write!(f, "tool changed: {recorded} → {now}")?;
                if *template_changed {
                    write!(f, " (the layout template differs)")?;
                }
                Ok(())
            }
        }
    }
}

/// Why the record could not be read out of a PDF.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a readable PDF: {0}")]
    Pdf(String),
    #[error("the PDF has no `{ATTACHMENT_NAME}` attachment (was it built by vtsdraft?)")]
    Missing,
    #[error("the `{ATTACHMENT_NAME}` attachment is not a valid record: {0}")]
    Invalid(String),
}

/// Reads the embedded record out of PDF bytes.
pub fn read(pdf: &[u8]) -> Result<Record, ReadError> {
    let bytes = attachment(pdf)?;
    serde_json::from_slice(&bytes).map_err(|e| ReadError::Invalid(e.to_string()))
}

/// The raw bytes of the provenance attachment: the file specification named
/// [`ATTACHMENT_NAME`], its `/EF /F` stream, decompressed.
pub fn attachment(pdf: &[u8]) -> Result<Vec<u8>, ReadError> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| ReadError::Pdf(e.to_string()))?;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let is_filespec = dict
            .get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Filespec");
        if !is_filespec {
            continue;
        }
        let named = [b"UF".as_slice(), b"F".as_slice()].iter().any(|key| {
            dict.get(key)
                .ok()
                .and_then(|o| o.as_str().ok())
                .is_some_and(|s| pdf_string(s) == ATTACHMENT_NAME)
        });
        if !named {
            continue;
        }
        let stream = dict
            .get(b"EF")
            .and_then(|ef| doc.dereference(ef))
            .and_then(|(_, ef)| ef.as_dict())
            .and_then(|ef| ef.get(b"F"))
            .and_then(|f| doc.dereference(f))
            .and_then(|(_, f)| f.as_stream())
            .map_err(|e| ReadError::Pdf(e.to_string()))?;
        return inflate(stream);
    }
    Err(ReadError::Missing)
}

/// The most a provenance record may inflate to: ours are a few kilobytes.
const MAX_RECORD_BYTES: u64 = 1024 * 1024;

/// The attachment stream's bytes, inflated with a bound: `verify` reads PDFs from anywhere, and a
/// small stream can inflate to gigabytes. Ours are FlateDecode or stored uncompressed.
fn inflate(stream: &lopdf::Stream) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let too_large = || {
        ReadError::Pdf(format!(
            "the attachment is larger than {MAX_RECORD_BYTES} bytes; a provenance record is a few kilobytes"
        ))
    };
    let filter = stream.dict.get(b"Filter").ok();
    let bytes = match filter.map(|f| f.as_name()) {
        None => stream.content.clone(),
        Some(Ok(b"FlateDecode")) => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(|e| ReadError::Pdf(e.to_string()))?;
            out
        }
        Some(_) => {
            return Err(ReadError::Pdf(
                "the attachment uses a compression vtsdraft does not write".into(),
            ));
        }
    };
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A PDF text string: UTF-16BE with a byte-order mark, or (for our ASCII names) bytes.
fn pdf_string(bytes: &[u8]) -> String {
    match bytes {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Whether a fact's value may go into the record: booleans, numbers, dates and enumerations,
/// never a free-text string from the case.
fn shareable(path: &str, value: Option<&Json>) -> bool {
    let Some(value) = value else { return true };
    if path.starts_with("derived.") {
        // Derived facts are computed; keep only values that cannot carry case text.
        return plain(value, &|s| is_token(s) || is_date(s));
    }
    match shape_at(schema::case(), path) {
        Some(shape) => shape_allows(shape, value),
        None => plain(value, &|_| false),
    }
}

fn shape_allows(shape: &Shape, value: &Json) -> bool {
    match (shape, value) {
        (_, Json::Null | Json::Bool(_) | Json::Number(_)) => true,
        (Shape::Enum(values), Json::String(s)) => values.iter().any(|c| c.value == *s),
        (Shape::Date { .. } | Shape::PartialDate, Json::String(s)) => is_date(s),
        (Shape::List(inner), Json::Array(items)) => items.iter().all(|i| shape_allows(inner, i)),
        _ => false,
    }
}

/// Values with no strings in them, or only strings that `ok` accepts.
fn plain(value: &Json, ok: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Json::Null | Json::Bool(_) | Json::Number(_) => true,
        Json::String(s) => ok(s),
        Json::Array(items) => items.iter().all(|i| plain(i, ok)),
        Json::Object(_) => false,
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// The shape at a dotted case path (`client.age_dispute`), if the model has one.
fn shape_at<'s>(shape: &'s Shape, path: &str) -> Option<&'s Shape> {
    path.split('.').try_fold(shape, |node, key| {
        node.fields()
            .iter()
            .find(|f| f.name == key)
            .map(|f| &f.shape)
    })
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_withheld_and_enums_kept() {
        assert!(shareable(
            "matter.letter_mode",
            Some(&Json::from("pre_decision"))
        ));
        assert!(!shareable(
            "family.childs_wishes",
            Some(&Json::from("wants to stay"))
        ));
        assert!(!shareable(
            "family.dependants",
            Some(&serde_json::json!([{"name": "X"}]))
        ));
        assert!(shareable(
            "derived.child_at_letter",
            Some(&Json::Bool(true))
        ));
        assert!(!shareable("derived.name", Some(&Json::from("Ana Example"))));
        assert!(shareable("anything", None));
    }
}
