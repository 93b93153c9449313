//! Case values never become markup or code: at the clause-markup layer (escaped) or the Typst
//! layer (string literals). Each hostile value must print literally in the PDF.

use crate::support::{MINIMAL_CASE, case_dir, pdf_text, toolkit};

const HOSTILE: [&str; 9] = [
    r#"#read("/etc/passwd")"#,
    "]*$@",
    "*bold* _it_ $x^2$ <lbl> @ref `raw` // c /* c */",
    "= Heading",
    "- not a list + nor this",
    "{{client.full_name}} {{#if x}}",
    r"back\slash \u{41} \ end",
    "#{panic()} #eval(\"1+1\") [[ ]]",
    "1. not numbered",
];

fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn build_with(name: &str, summary: &str, firm: &str) -> (String, String) {
    let case = MINIMAL_CASE
        .replace(
            "full_name = \"Ana Example\"",
            &format!("full_name = {}", toml_string(name)),
        )
        .replace(
            "summary = \"Made to work without pay in a car wash.\"",
            &format!("summary = {}", toml_string(summary)),
        )
        .replace(
            "firm_name = \"Example Law LLP\"",
            &format!("firm_name = {}", toml_string(firm)),
        );
    let dir = case_dir(&case);
    let loaded = vtsdraft::facts::load(&dir.path().join("case.toml"), None)
        .unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    let prepared =
        vtsdraft::prepare_loaded(toolkit(), loaded).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    let (source, bytes) =
        vtsdraft::build(toolkit(), &prepared).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    (source.body().to_string(), pdf_text(&bytes))
}

#[test]
fn hostile_values_print_literally_everywhere() {
    for hostile in HOSTILE {
        let (source, text) = build_with(
            hostile,
            &format!("Summary {hostile} end"),
            &format!("Firm {hostile}"),
        );
        let collapsed: String = hostile.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(&collapsed),
            "name {hostile:?} not printed literally:\n{text}"
        );
        assert!(
            text.contains(&format!("Firm {collapsed}")),
            "firm {hostile:?} not printed literally"
        );
        assert!(!text.contains("root:x:0"), "a file was read");
        // In the Typst source the value only ever appears inside a string literal.
        let literal = vtsdraft::render::Expr::str(hostile).as_str().to_string();
        let inner = &literal[1..literal.len() - 1];
        assert!(
            source.contains(inner),
            "{hostile:?} not passed as a string literal"
        );
    }
}

#[test]
fn a_newline_in_a_value_stays_a_line_break_not_new_structure() {
    let (_, text) = build_with(
        "Ana Example",
        "First line.\n\n# Second line\n- third",
        "Example Law LLP",
    );
    assert!(text.contains("First line."), "{text}");
    assert!(text.contains("# Second line"), "{text}");
    assert!(text.contains("- third"), "{text}");
}

#[test]
fn the_assembled_document_keeps_hostile_text_as_text() {
    for hostile in HOSTILE {
        let blocks = vtsdraft::assembly::markup::parse(&format!(
            "Client {} here.",
            vtsdraft::assembly::markup::escape_value(hostile)
        ));
        assert_eq!(blocks.len(), 1, "{hostile:?}");
        assert_eq!(blocks[0].plain_text(), format!("Client {hostile} here."));
    }
}
