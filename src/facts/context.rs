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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::derive::derive;
    use crate::facts::load::{Format, load_str};
    use crate::law::Law;
    use crate::phrases::Phrases;

    /// A date known only to the month reaches conditions as the case gives it (`"2026-03"`), and
    /// what turns on its unknown day is a derived fact, never a guessed day.
    #[test]
    fn a_partial_date_is_seen_as_written_and_its_open_questions_as_derived_facts() {
        let text = crate::facts::derive::tests::case_text("", "", "\"2026-03\"", "2008-03-10");
        let loaded = load_str(std::path::Path::new("t.toml"), text, Format::Toml, None)
            .unwrap_or_else(|e| panic!("{e:#?}"));
        let derived = derive(&loaded, &Phrases::builtin(), &Law::builtin());
        let ctx = Context::new(&loaded, &derived);
        assert_eq!(
            ctx.lookup("nrm.cg_decision.date"),
            Some(&Json::from("2026-03"))
        );
        assert_eq!(ctx.lookup("derived.child_at_cg"), Some(&Json::from(false)));
        assert_eq!(
            ctx.lookup("derived.child_status_undecided"),
            Some(&Json::from(true))
        );
        assert_eq!(
            ctx.lookup("derived.age.cg.claimed"),
            Some(&Json::from("17 or 18 years"))
        );
        assert_eq!(
            ctx.lookup("derived.age.cg.approximate"),
            Some(&Json::from(true))
        );
    }
}
