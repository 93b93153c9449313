//! The facts as clause conditions and templates see them: the case's own keys plus `derived`,
//! as one JSON tree, built once per case and read by matching and assembly alike.

use serde_json::Value as Json;

use super::derive::Derived;
use super::load::LoadedCase;
use super::validate::is_reserved;

/// `{ "matter": …, "client": …, …, "derived": … }`, with absent facts left out.
#[derive(Debug, Clone)]
pub struct Context {
    pub json: Json,
}

impl Context {
    /// The case and its derived facts as one tree.
    pub fn new(loaded: &LoadedCase, derived: &Derived) -> Context {
        let mut json = serde_json::to_value(&loaded.case).expect("the case model serialises");
        strip(&mut json);
        if let Json::Object(map) = &mut json {
            // The solicitor's drafting is not a fact: no condition may select on it, and its
            // free text stays out of what conditions read (and so out of the provenance record).
            map.remove("drafting");
            map.insert(
                "derived".into(),
                serde_json::to_value(derived).expect("derived facts serialise"),
            );
        }
        Context { json }
    }

    /// The value at a dotted path such as `derived.grounds.recovery`.
    pub fn lookup(&self, path: &str) -> Option<&Json> {
        path.split('.')
            .try_fold(&self.json, |node, key| node.get(key))
    }
}

/// Drops nulls (an absent fact is absent, not null) and replaces reserved characters, which
/// validation refuses in case files, so no value can pose as a helper marker.
fn strip(value: &mut Json) {
    match value {
        Json::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip);
        }
        Json::Array(items) => items.iter_mut().for_each(strip),
        Json::String(s) if s.chars().any(is_reserved) => {
            *s = s
                .chars()
                .map(|c| if is_reserved(c) { '\u{FFFD}' } else { c })
                .collect();
        }
        _ => {}
    }
}
