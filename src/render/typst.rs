//! Typst code built through types: text enters only through [`Expr::str`], an escaped string
//! literal, and function and argument names are `&'static str`, so case data can never become
//! Typst code or markup, whatever characters it holds.
//!
//! An [`Expr`] cannot be made from a `String` outside this file; everything the letter, the
//! reviewer's copy, the redline and the attachment line generate is composed from these pieces.

use std::fmt::Write as _;

/// A Typst expression in code mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr(String);

impl Expr {
    /// Text as a string literal: data, never markup.
    pub fn str(value: &str) -> Expr {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        // Runs of characters that need no escape are copied whole. Only these bytes can start
        // a character that needs one: ASCII controls, `"` and `\\`, and the first bytes of the C1
        // controls (U+0080 to U+009F) and of U+2028 and U+2029. None of them is ever the middle
        // of a character, so `at` is on a character's start when one is found.
        let bytes = value.as_bytes();
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if !(b < 0x20 || matches!(b, b'"' | b'\\' | 0x7f | 0xc2 | 0xe2)) {
                at += 1;
                continue;
            }
            let c = value[at..].chars().next().unwrap_or_default();
            // `None`: written as its code point.
            let escape = match c {
                '\\' => Some("\\\\"),
                '"' => Some("\\\""),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => None,
                _ => {
                    at += c.len_utf8();
                    continue;
                }
            };
            out.push_str(&value[copied..at]);
            at += c.len_utf8();
            copied = at;
            match escape {
                Some(escape) => out.push_str(escape),
                None => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
            }
        }
        out.push_str(&value[copied..]);
        out.push('"');
        Expr(out)
    }

    pub fn int(n: impl Into<i64>) -> Expr {
        Expr(n.into().to_string())
    }

    pub fn bool(b: bool) -> Expr {
        Expr(b.to_string())
    }

    pub fn none() -> Expr {
        Expr("none".into())
    }

    /// A variable or function of the trusted layout, by name (`review-page`).
    pub fn name(name: &'static str) -> Expr {
        Expr(name.into())
    }

    /// An array: `()`, `(a,)`, `(a, b)`. A one-element array needs its trailing comma, or Typst
    /// reads a parenthesised expression.
    pub fn array(items: impl IntoIterator<Item = Expr>) -> Expr {
        let items: Vec<Expr> = items.into_iter().collect();
        match items.as_slice() {
            [] => Expr("()".into()),
            [one] => Expr(format!("({},)", one.0)),
            many => Expr(format!("({})", join(many))),
        }
    }

    /// An array of string literals.
    pub fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expr {
        Expr::array(items.into_iter().map(|s| Expr::str(s.as_ref())))
    }

    /// A dictionary with fixed keys: `(a: 1, b: "x")`; `(:)` when empty.
    pub fn dict(entries: impl IntoIterator<Item = (&'static str, Expr)>) -> Expr {
        let entries: Vec<String> = entries
            .into_iter()
            .map(|(key, value)| format!("{key}: {}", value.0))
            .collect();
        if entries.is_empty() {
            Expr("(:)".into())
        } else {
            Expr(format!("({})", entries.join(", ")))
        }
    }

    /// Pieces of content one after another: `""` for none, the piece itself for one, else
    /// `(a, b).join()`.
    pub fn concat(pieces: impl IntoIterator<Item = Expr>) -> Expr {
        let mut pieces: Vec<Expr> = pieces.into_iter().collect();
        match pieces.len() {
            0 => Expr::str(""),
            1 => pieces.remove(0),
            _ => Expr(format!("({}).join()", join(&pieces))),
        }
    }

    /// A call of a function of the trusted layout.
    pub fn call(func: &'static str) -> Call {
        Call {
            func,
            args: Vec::new(),
        }
    }

    /// The expression's source text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn join(items: &[Expr]) -> String {
    items
        .iter()
        .map(|e| e.0.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A function call being built: positional and named arguments, in order.
#[derive(Debug, Clone)]
pub struct Call {
    func: &'static str,
    args: Vec<(Option<&'static str>, Expr)>,
}

impl Call {
    /// A positional argument.
    pub fn arg(mut self, value: Expr) -> Call {
        self.args.push((None, value));
        self
    }

    /// A named argument.
    pub fn named(mut self, name: &'static str, value: Expr) -> Call {
        self.args.push((Some(name), value));
        self
    }

    /// A named argument, when there is a value.
    pub fn named_opt(self, name: &'static str, value: Option<Expr>) -> Call {
        match value {
            Some(v) => self.named(name, v),
            None => self,
        }
    }

    fn argument(name: Option<&'static str>, value: &Expr) -> String {
        match name {
            Some(name) => format!("{name}: {}", value.0),
            None => value.0.clone(),
        }
    }

    /// The call as one expression: `f(a, name: b)`.
    pub fn expr(self) -> Expr {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|(name, value)| Call::argument(*name, value))
            .collect();
        Expr(format!("{}({})", self.func, args.join(", ")))
    }

    /// The call as one line of markup: `#f(a, name: b)`.
    pub fn line(self) -> String {
        format!("#{}", self.expr().0)
    }

    /// The call as lines of markup, one argument a line, after `prefix` (`#`, or `#show: `).
    pub fn lines(self, prefix: &'static str) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.args.len() + 2);
        lines.push(format!("{prefix}{}(", self.func));
        for (name, value) in &self.args {
            lines.push(format!("  {},", Call::argument(*name, value)));
        }
        lines.push(")".into());
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_quotes_backslashes_and_newlines() {
        assert_eq!(Expr::str(r#"a"b\c"#).as_str(), r#""a\"b\\c""#);
        assert_eq!(Expr::str("x\ny").as_str(), r#""x\ny""#);
        assert_eq!(Expr::str("\u{7}").as_str(), r#""\u{7}""#);
        assert_eq!(
            Expr::str("#read(\"/etc/passwd\")").as_str(),
            r##""#read(\"/etc/passwd\")""##
        );
    }

    #[test]
    fn every_character_is_escaped_as_the_rule_says_wherever_it_stands() {
        // The rule, one character at a time; `Expr::str` copies runs and must agree with it on
        // text mixing escapes with characters whose first byte is that of one (`¢`, `—`, `€`).
        let rule = |value: &str| {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                        out.push_str(&format!("\\u{{{:x}}}", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        };
        let pieces = [
            "a", "\\", "\"", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{9f}",
            "\u{a0}", "¢", "—", "€", "\u{2028}", "\u{2029}", "\u{202a}", "ሰ", "😀", "#", "]", " ",
        ];
        let mut seed: u64 = 7;
        for _ in 0..20_000 {
            let mut value = String::new();
            for _ in 0..seed % 9 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                value.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_add(1);
            assert_eq!(Expr::str(&value).as_str(), rule(&value), "{value:?}");
        }
    }

    #[test]
    fn arrays_have_one_form_and_a_single_item_keeps_its_comma() {
        assert_eq!(Expr::array([]).as_str(), "()");
        assert_eq!(Expr::strs(["a"]).as_str(), r#"("a",)"#);
        assert_eq!(Expr::strs(["a", "b"]).as_str(), r#"("a", "b")"#);
        assert_eq!(Expr::dict([]).as_str(), "(:)");
        assert_eq!(
            Expr::dict([("n", Expr::int(1)), ("s", Expr::str("x"))]).as_str(),
            r#"(n: 1, s: "x")"#
        );
    }

    #[test]
    fn content_is_joined_only_when_there_is_more_than_one_piece() {
        assert_eq!(Expr::concat([]).as_str(), r#""""#);
        assert_eq!(Expr::concat([Expr::str("a")]).as_str(), r#""a""#);
        assert_eq!(
            Expr::concat([Expr::str("a"), Expr::name("b")]).as_str(),
            r#"("a", b).join()"#
        );
    }

    #[test]
    fn calls_print_as_one_line_or_one_argument_a_line() {
        let call = Expr::call("para")
            .arg(Expr::int(3))
            .named("note", Expr::none());
        assert_eq!(call.clone().line(), "#para(3, note: none)");
        assert_eq!(call.lines("#"), ["#para(", "  3,", "  note: none,", ")"]);
    }
}
