//! Helper markers: how a clause's `{{cite}}`, `{{tabs}}` and `{{tab}}` ask assembly for a
//! citation or an evidence reference, in document order, from inside rendered text.
//!
//! A marker is a few characters from the private-use range that validation refuses in case text
//! ([`crate::facts::validate::is_reserved`]), so case text can never forge one. This file is the
//! only code that knows the characters: helpers [`Marker::encode`], assembly [`split`]s.

const START: char = '\u{E000}';
const END: char = '\u{E001}';
const SEP: char = '\u{E002}';

/// What a helper asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `{{cite "key" "pinpoint"}}`: the authority's citation (full at first use, short after).
    Cite { key: String, pinpoint: String },
    /// `{{tabs "gp_letter" …}}`: the tabs of every document of these types.
    Tabs(Vec<String>),
    /// `{{tab "e3"}}`: the tab of one document.
    Tab(String),
    /// `{{client}}`: the client's name (in full at the first mention, the short form after).
    Client,
}

impl Marker {
    /// The marker as text a template can output.
    pub fn encode(&self) -> String {
        match self {
            Marker::Cite { key, pinpoint } => format!("{START}C{key}{SEP}{pinpoint}{END}"),
            Marker::Tabs(types) => format!("{START}T{}{END}", types.join(",")),
            Marker::Tab(id) => format!("{START}I{id}{END}"),
            Marker::Client => format!("{START}N{END}"),
        }
    }

    fn decode(body: &str) -> Option<Marker> {
        let mut chars = body.chars();
        let kind = chars.next()?;
        let payload = chars.as_str();
        Some(match kind {
            'C' => {
                let (key, pinpoint) = payload.split_once(SEP).unwrap_or((payload, ""));
                Marker::Cite {
                    key: key.to_string(),
                    pinpoint: pinpoint.to_string(),
                }
            }
            'T' => Marker::Tabs(payload.split(',').map(str::to_string).collect()),
            'I' => Marker::Tab(payload.to_string()),
            'N' => Marker::Client,
            _ => return None,
        })
    }
}

/// A piece of rendered text: plain text, or a marker to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Marker(Marker),
}

/// Whether `text` holds any marker.
pub fn has_markers(text: &str) -> bool {
    text.contains(START)
}

/// Splits rendered text into plain text and markers, in order. An unknown marker is dropped.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(START) {
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + START.len_utf8()..];
        let end = after.find(END).unwrap_or(after.len());
        if let Some(marker) = Marker::decode(&after[..end]) {
            out.push(Piece::Marker(marker));
        }
        rest = after.get(end + END.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::validate::is_reserved;

    #[test]
    fn markers_round_trip_between_text() {
        let cite = Marker::Cite {
            key: "naba_s65".into(),
            pinpoint: "para 12".into(),
        };
        let tabs = Marker::Tabs(vec!["gp_letter".into(), "expert_report".into()]);
        let tab = Marker::Tab("e3".into());
        let text = format!(
            "As held {} and shown {}{}.",
            cite.encode(),
            tabs.encode(),
            tab.encode()
        );
        assert!(has_markers(&text));
        assert_eq!(
            split(&text),
            [
                Piece::Text("As held "),
                Piece::Marker(cite),
                Piece::Text(" and shown "),
                Piece::Marker(tabs),
                Piece::Marker(tab),
                Piece::Text("."),
            ]
        );
        assert_eq!(split("plain"), [Piece::Text("plain")]);
        assert!(!has_markers("plain"));
    }

    #[test]
    fn marker_characters_are_ones_validation_refuses_in_case_text() {
        for c in [START, END, SEP] {
            assert!(is_reserved(c), "U+{:04X}", c as u32);
        }
    }
}
