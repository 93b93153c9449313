//! Golden files: `explain` (in words, and with `--rules --all`) and the assembled Typst source
//! for every example case.

use crate::support::{examples, fixtures, golden, root, toolkit};

#[test]
fn explain_and_typst_source_match_golden_files() {
    let toolkit = toolkit();
    let prefix = format!("{}/", root().display());
    for (name, path) in examples().into_iter().chain(fixtures()) {
        let prepared =
            vtsdraft::prepare(toolkit, &path, None).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        // Relative paths keep the golden files independent of where the repository lives.
        let explain =
            vtsdraft::cli::explain::text(&prepared, &toolkit.library).replace(&prefix, "");
        golden(&format!("{name}.explain.txt"), &explain);
        // The same selection in the rule language: each condition and the facts it read.
        let rules = vtsdraft::cli::explain::text_with(
            &prepared,
            &toolkit.library,
            vtsdraft::cli::explain::Detail {
                all: true,
                rules: true,
            },
        )
        .replace(&prefix, "");
        golden(&format!("{name}.rules.txt"), &rules);
        let source = vtsdraft::render::typst_source(&prepared.document);
        golden(&format!("{name}.typ"), source.body());
    }
}

#[test]
fn json_example_gives_the_same_letter_as_its_toml_twin() {
    let toml =
        vtsdraft::prepare(toolkit(), &root().join("examples/thi-h/case.toml"), None).unwrap();
    let json =
        vtsdraft::prepare(toolkit(), &root().join("examples/thi-h/case.json"), None).unwrap();
    assert_eq!(toml.document, json.document);
    assert_eq!(toml.selection.selected_ids(), json.selection.selected_ids());
}

/// Where each page of every example's letter begins (its first words, whitespace collapsed):
/// a change to the layout that moves a page break, for speed or otherwise, shows here.
#[test]
fn page_breaks_match_golden_files() {
    let toolkit = toolkit();
    for (name, path) in examples() {
        let prepared =
            vtsdraft::prepare(toolkit, &path, None).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        let (_, pdf) = vtsdraft::build(toolkit, &prepared).unwrap();
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
        let starts: Vec<String> = pages
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let words: Vec<&str> = text.split_whitespace().take(8).collect();
                format!("page {}: {}", i + 1, words.join(" "))
            })
            .collect();
        golden(&format!("{name}.pages.txt"), &(starts.join("\n") + "\n"));
    }
}
