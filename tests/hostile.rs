//! Hostile and malformed input: each gives the exact exit code and a clear message,
//! never a panic, a hang or a partial output.

use crate::support::{MINIMAL_CASE, pdf_text, run};

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    code: i32,
    phrase: Expect,
}

/// What must be seen: a phrase in the error output, or (for input that builds) a phrase printed
/// literally in the letter.
enum Expect {
    Stderr(&'static str),
    Letter(&'static str),
}

fn with(replace: &str, by: &str) -> Vec<u8> {
    assert!(MINIMAL_CASE.contains(replace), "{replace}");
    MINIMAL_CASE.replacen(replace, by, 1).into_bytes()
}

fn table() -> Vec<Case> {
    let mut deep = String::from("[matter]\nreference = ");
    deep.push_str(&"[".repeat(50_000));
    deep.push_str(&"]".repeat(50_000));
    let many: String = (0..100_000).map(|i| format!("\"a{i}\",")).collect();
    vec![
        Case {
            name: "injection in a name",
            file: "case.toml",
            bytes: with(
                "full_name = \"Ana Example\"",
                "full_name = \"#read(\\\"/etc/passwd\\\") ]*$@ {{x}}\"",
            ),
            code: 0,
            phrase: Expect::Letter("#read(\"/etc/passwd\") ]*$@ {{x}}"),
        },
        Case {
            // Printed as text, never followed; `batch`, which names files after the reference,
            // is tested in `tests/batch.rs` and `output::file_name`.
            name: "path characters in the matter reference",
            file: "case.toml",
            bytes: with(
                "reference = \"TEST-0001\"",
                "reference = \"../../../etc/cron.d/x\"",
            ),
            code: 0,
            phrase: Expect::Letter("../../../etc/cron.d/x"),
        },
        Case {
            name: "50 MB file",
            file: "case.toml",
            bytes: {
                let mut b = MINIMAL_CASE.as_bytes().to_vec();
                b.extend(std::iter::repeat_n(b'#', 50 * 1024 * 1024));
                b
            },
            code: 1,
            phrase: Expect::Stderr("case files are limited to"),
        },
        Case {
            name: "100,000-item list",
            file: "case.toml",
            bytes: with(
                "nationality = [\"Albania\"]",
                &format!("nationality = [\"Albania\"]\naliases = [{many}]"),
            ),
            code: 1,
            phrase: Expect::Stderr("has 100000 items; at most 1000"),
        },
        Case {
            name: "deeply nested TOML",
            file: "case.toml",
            bytes: deep.into_bytes(),
            code: 1,
            phrase: Expect::Stderr("nested far deeper than a case ever needs"),
        },
        Case {
            name: "deeply nested JSON",
            file: "case.json",
            bytes: format!("{{\"a\": {}{}}}", "[".repeat(50_000), "]".repeat(50_000)).into_bytes(),
            code: 1,
            phrase: Expect::Stderr("nesting depth"),
        },
        Case {
            name: "invalid UTF-8",
            file: "case.toml",
            bytes: {
                let mut b = MINIMAL_CASE.as_bytes().to_vec();
                b.insert(10, 0xC3);
                b.insert(11, 0x28);
                b
            },
            code: 1,
            phrase: Expect::Stderr("is not UTF-8"),
        },
        Case {
            name: "NUL byte in a string",
            file: "case.toml",
            bytes: with("Ana Example", "Ana\u{0}Example"),
            code: 1,
            phrase: Expect::Stderr("not valid TOML"),
        },
        Case {
            name: "escaped NUL in a string",
            file: "case.toml",
            bytes: with("Ana Example", "Ana\\u0000Example"),
            code: 1,
            phrase: Expect::Stderr("control character U+0000"),
        },
        Case {
            name: "CRLF line endings",
            file: "case.toml",
            bytes: MINIMAL_CASE.replace('\n', "\r\n").into_bytes(),
            code: 0,
            phrase: Expect::Letter("Ana Example"),
        },
        Case {
            name: "byte-order mark",
            file: "case.toml",
            bytes: [b"\xEF\xBB\xBF".as_slice(), MINIMAL_CASE.as_bytes()].concat(),
            code: 0,
            phrase: Expect::Letter("Ana Example"),
        },
        Case {
            name: "30 February",
            file: "case.toml",
            bytes: with("dob_claimed = 1995-01-15", "dob_claimed = \"2024-02-30\""),
            code: 1,
            phrase: Expect::Stderr("February 2024 has no day 30"),
        },
        Case {
            name: "year 0",
            file: "case.toml",
            bytes: with("dob_claimed = 1995-01-15", "dob_claimed = \"0000-01-01\""),
            code: 1,
            phrase: Expect::Stderr("a year between 1900 and 2100, found `0`"),
        },
        Case {
            name: "negative count",
            file: "case.toml",
            bytes: with(
                "start = \"2026-05\"",
                "start = \"2026-05\"\nsessions_planned = -3",
            ),
            code: 1,
            phrase: Expect::Stderr("whole number from 0 up, found `-3`"),
        },
        Case {
            name: "number where text is expected",
            file: "case.toml",
            bytes: with("full_name = \"Ana Example\"", "full_name = 42"),
            code: 1,
            phrase: Expect::Stderr("expected a string, found a whole number"),
        },
        Case {
            name: "a script no font can show (Tibetan)",
            file: "case.toml",
            bytes: with("Ana Example", "Ana \u{0F00}"),
            code: 1,
            phrase: Expect::Stderr("no bundled font can display"),
        },
    ]
}

#[test]
fn every_hostile_input_gets_its_exit_code_and_message() {
    for case in table() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(case.file), &case.bytes).unwrap();
        let out = run(dir.path(), &["build", case.file, "-o", "letter.pdf"]);
        assert_eq!(out.code, case.code, "{}: {}", case.name, out.stderr);
        let pdf = dir.path().join("letter.pdf");
        let (phrase, seen) = match case.phrase {
            Expect::Stderr(phrase) => (phrase.to_string(), out.stderr.clone()),
            // In the letter, case text is typeset: typographic quotes, dates kept whole.
            Expect::Letter(phrase) => (
                crate::support::typeset(phrase),
                pdf_text(&std::fs::read(&pdf).unwrap_or_default()),
            ),
        };
        assert!(
            !phrase.is_empty() && seen.contains(&phrase),
            "{}: expected {phrase:?} in:\n{seen}",
            case.name,
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{}: {}",
            case.name,
            out.stderr
        );
        assert_eq!(
            pdf.exists(),
            case.code == 0,
            "{}: a PDF exists only on success",
            case.name
        );
        // Nothing but the case and the PDF: no temporary files, nothing written outside.
        let names = crate::support::file_names(dir.path());
        assert!(
            names.iter().all(|n| n == case.file || n == "letter.pdf"),
            "{}: {names:?}",
            case.name
        );
    }
}

#[test]
fn a_runaway_letter_is_refused_by_page_count() {
    let long = "word ".repeat(3_900);
    let mut text = MINIMAL_CASE.to_string();
    for i in 0..15 {
        text.push_str(&format!("\n[[exploitation.episodes]]\nkind = \"labour\"\nstart = \"2022-0{}\"\nsummary = \"{long}\"\n", 1 + i % 9));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("case.toml"), text).unwrap();
    let out = run(dir.path(), &["build", "case.toml", "-o", "letter.pdf"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("pages; at most 60 are allowed"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("letter.pdf").exists());
}

#[test]
fn a_clause_library_cannot_inject_typst_or_read_files() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(lib.join("authorities.toml"), "").unwrap();
    std::fs::write(
        lib.join("fw.x.md"),
        "+++\nid = \"fw.x\"\naxis = \"framework\"\ntitle = \"X\"\nwhen = \"true\"\nversion = 1\nreviewed = 2026-11-22\n+++\nText #read(\"/etc/passwd\") and #image(\"/etc/hostname\") $x$ ]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("case.toml"), MINIMAL_CASE).unwrap();
    let out = run(
        dir.path(),
        &["build", "--clauses", "lib", "case.toml", "-o", "letter.pdf"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = crate::support::pdf_text(&std::fs::read(dir.path().join("letter.pdf")).unwrap());
    assert!(text.contains("#read(“/etc/passwd”)"), "{text}");
    assert!(!text.contains("root:"), "a file was read");
}
