//! Batch: good cases build, bad ones are reported, nothing stops the run.

use crate::support::{MINIMAL_CASE, root, run};

fn manifest(dir: &std::path::Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn folder_with_good_and_broken_cases() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::write(cases.join("a.toml"), MINIMAL_CASE).unwrap();
    std::fs::write(
        cases.join("b.toml"),
        MINIMAL_CASE.replace("TEST-0001", "TEST-0002"),
    )
    .unwrap();
    std::fs::write(
        cases.join("broken.toml"),
        MINIMAL_CASE.replace("dob_claimed = 1995-01-15", "dob_claimed = \"1995-13-01\""),
    )
    .unwrap();
    std::fs::write(
        cases.join("traversal.toml"),
        MINIMAL_CASE.replace("TEST-0001", "../../escape"),
    )
    .unwrap();
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--jobs", "2"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let outdir = dir.path().join("out");
    assert!(
        std::fs::read(outdir.join("TEST-0001.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    assert!(outdir.join("TEST-0002.pdf").exists());
    assert!(
        outdir.join("escape.pdf").exists(),
        "a reference with ../ is sanitised, never followed"
    );
    assert!(!dir.path().join("escape.pdf").exists());
    let rows = manifest(&outdir);
    assert_eq!(rows.len(), 4);
    let broken = rows
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("broken.toml"))
        .unwrap();
    assert_eq!(broken["status"], "failed");
    assert!(
        broken["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("month from 01 to 12")
    );
    let good = rows
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("a.toml"))
        .unwrap();
    assert_eq!(good["status"], "built");
    assert_eq!(good["pdf_sha256"].as_str().unwrap().len(), 64);
    assert!(
        good["selected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("fw.intro_request@"))
    );
    assert!(
        std::fs::read_to_string(outdir.join("manifest.csv"))
            .unwrap()
            .starts_with("source,output,status")
    );

    // A re-run with --skip-unchanged rebuilds nothing that has not changed.
    let again = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--skip-unchanged"],
    );
    assert_eq!(again.code, 1);
    let rows = manifest(&outdir);
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "unchanged").count(),
        3,
        "{rows:#?}"
    );
    // Without --force or --skip-unchanged, existing PDFs are not overwritten.
    let third = run(dir.path(), &["batch", "cases", "-o", "out"]);
    assert!(
        third
            .stderr
            .contains("already holds the letters of 3 of these 4 case(s)"),
        "{}",
        third.stderr
    );
}

#[test]
fn cases_sharing_a_reference_are_named_in_file_order_whatever_the_timing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    // `a.toml` is padded with 1.5 MB of comments, so it finishes loading after `b` and `c`: a
    // name given as each case loads would go to `b` first. The three references differ (the
    // same reference twice is an error) but make the same file name.
    let padding = "# padding to slow the loading of this case down\n".repeat(30_000);
    std::fs::write(cases.join("a.toml"), format!("{padding}{MINIMAL_CASE}")).unwrap();
    std::fs::write(
        cases.join("b.toml"),
        MINIMAL_CASE.replace("TEST-0001", "TEST 0001"),
    )
    .unwrap();
    std::fs::write(
        cases.join("c.toml"),
        MINIMAL_CASE.replace("TEST-0001", "TEST/0001"),
    )
    .unwrap();
    for _ in 0..2 {
        let out = run(
            dir.path(),
            &["batch", "cases", "-o", "out", "--jobs", "2", "--force"],
        );
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        let names: Vec<(String, String)> = manifest(&dir.path().join("out"))
            .iter()
            .map(|r| {
                (
                    r["source"].as_str().unwrap().to_string(),
                    r["output"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a.toml", "TEST-0001.pdf"),
                ("b.toml", "TEST_0001.pdf"),
                ("c.toml", "TEST_0001-2.pdf")
            ]
            .map(|(s, o)| (s.to_string(), o.to_string()))
        );
    }
}

#[test]
fn csv_rows_become_cases() {
    let dir = tempfile::tempdir().unwrap();
    let header = "client.full_name,matter.reference,matter.letter_mode,matter.letter_date,representative.firm_name,representative.address,representative.regulator,representative.regulator_number,representative.fee_earner,client.pronouns,client.dob_claimed,nrm.cg_decision.outcome,nrm.cg_decision.date,health.treatments.0.kind,health.treatments.0.status,evidence.0.id,evidence.0.doc_type,evidence.0.description,evidence.0.status";
    let row = |name: &str, reference: &str| {
        format!(
            "{name},{reference},pre_decision,2026-11-16,Example Law,1 Street;London,sra,123,A. Solicitor,she,1990-01-01,positive,2026-05-01,therapy,ongoing,cg,cg_decision,CG letter,enclosed"
        )
    };
    let text = format!(
        "\u{FEFF}{header}\r\n{}\r\n{}\r\n,,,,,,,,,,,,,,,,,,\r\n{}\r\n",
        row("\"Doe, Jane\"", "CSV-1"),
        // A CG decision known only to the month, as a spreadsheet cell.
        row("\"Multi\nLine\"", "CSV-2").replace(",2026-05-01,", ",2026-05,"),
        row("Bad Date", "CSV-3").replace("1990-01-01", "1990-02-30")
    );
    std::fs::write(dir.path().join("clients.csv"), text).unwrap();
    let out = run(dir.path(), &["batch", "clients.csv", "-o", "out"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let rows = manifest(&dir.path().join("out"));
    assert_eq!(rows.len(), 3, "the empty row is skipped: {rows:#?}");
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "built").count(),
        2,
        "{rows:#?}"
    );
    let bad = rows.iter().find(|r| r["status"] == "failed").unwrap();
    assert!(bad["source"].as_str().unwrap().contains("row"), "{bad}");
    assert_eq!(bad["errors"][0]["field"], "client.dob_claimed");
    let pdf = std::fs::read(dir.path().join("out/CSV-1.pdf")).unwrap();
    assert!(crate::support::pdf_text(&pdf).contains("Doe, Jane"));
    let pdf = std::fs::read(dir.path().join("out/CSV-2.pdf")).unwrap();
    let text = crate::support::pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("in May 2026 the Competent Authority"),
        "{text}"
    );
}

#[test]
fn a_misspelt_csv_column_names_the_nearest_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.csv"),
        "client.ful_name,matter.reference\nA,B\n",
    )
    .unwrap();
    let out = run(dir.path(), &["batch", "c.csv", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("`client.ful_name` is not a field path"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `client.full_name`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_example_builds_in_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    for (name, path) in crate::support::examples() {
        std::fs::copy(&path, cases.join(format!("{name}.toml"))).unwrap();
    }
    let out = run(
        &root(),
        &[
            "batch",
            cases.to_str().unwrap(),
            "-o",
            dir.path().join("out").to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("0 failed"), "{}", out.stdout);
}

#[test]
fn a_killed_run_leaves_only_complete_pdfs_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let cases = crate::support::numbered_cases(dir.path(), 40);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vtsdraft"))
        .args([
            "batch",
            cases.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .spawn()
        .unwrap();
    // Wait until at least one letter is written, then kill the run mid-way.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let written = std::fs::read_dir(&out)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                    .count()
            })
            .unwrap_or(0);
        if written >= 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut pdfs = 0;
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "pdf") {
            pdfs += 1;
            let bytes = std::fs::read(&path).unwrap();
            let tail = &bytes[bytes.len().saturating_sub(16)..];
            assert!(
                bytes.starts_with(b"%PDF") && tail.windows(5).any(|w| w == b"%%EOF"),
                "{} is truncated",
                path.display()
            );
        }
    }
    assert!(pdfs >= 2, "the run was killed before it wrote anything");
    // A temporary file left by a killed run is removed by the next run.
    std::fs::write(out.join(".KILL-99.pdf.1234.tmp"), b"partial").unwrap();
    let again = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--skip-unchanged", "--quiet"],
    );
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(!out.join(".KILL-99.pdf.1234.tmp").exists());
    assert_eq!(
        manifest(&out)
            .iter()
            .filter(|r| r["status"] == "built" || r["status"] == "unchanged")
            .count(),
        40
    );
}

/// `batch` takes the output flags of `build` and produces, for each case, exactly the files
/// `build` produces with them: the same names beside the PDF and the same bytes.
#[test]
fn batch_takes_builds_output_flags_and_writes_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::two_case_folder(dir.path());
    let flags = ["--emit", "typ", "--pdf-standard", "a-2b"];
    let mut args = vec!["batch", "cases", "-o", "out", "--quiet"];
    args.extend(flags);
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("carry no provenance record"),
        "{}",
        out.stderr
    );
    let mut args = vec!["build", "cases/one.toml", "-o", "one.pdf"];
    args.extend(flags);
    assert_eq!(run(dir.path(), &args).code, 0);
    let outdir = dir.path().join("out");
    let mut names = crate::support::file_names(&outdir);
    names.retain(|n| !n.starts_with("manifest"));
    assert_eq!(
        names,
        [
            "TEST-0001.pdf",
            "TEST-0001.typ",
            "TEST-0002.pdf",
            "TEST-0002.typ"
        ]
    );
    let pdf = std::fs::read(outdir.join("TEST-0001.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("<pdfaid:part>2</pdfaid:part>"));
    assert_eq!(pdf, std::fs::read(dir.path().join("one.pdf")).unwrap());
    assert_eq!(
        std::fs::read(outdir.join("TEST-0001.typ")).unwrap(),
        std::fs::read(dir.path().join("one.typ")).unwrap()
    );
    // A different standard is a different letter: `--skip-unchanged` rebuilds it.
    let again = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--quiet", "--skip-unchanged"],
    );
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains("2 built, 0 unchanged"),
        "{}",
        again.stdout
    );
    let pdf = std::fs::read(outdir.join("TEST-0001.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("<pdfaid:part>3</pdfaid:part>"));
}

/// A second run into a folder that has the letters says once how to go on, builds nothing, and
/// leaves the manifest as it was, so `--skip-unchanged` afterwards still knows the letters.
#[test]
fn a_rerun_into_a_folder_with_the_letters_says_how_to_go_on_once() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::two_case_folder(dir.path());
    let first = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let manifest_before = std::fs::read(dir.path().join("out/manifest.json")).unwrap();
    let again = run(dir.path(), &["batch", "cases", "-o", "out"]);
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    assert_eq!(again.stdout, "");
    assert_eq!(
        again.stderr,
        "error: `out` already holds the letters of 2 of these 2 case(s), starting with `out/TEST-0001.pdf`; nothing was built\n  hint: pass `--skip-unchanged` to rebuild only the cases that changed since the last run, or `--force` to rebuild every case and overwrite its letter\n\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/manifest.json")).unwrap(),
        manifest_before
    );
    let skip = run(
        dir.path(),
        &["batch", "cases", "-o", "out", "--skip-unchanged", "--quiet"],
    );
    assert_eq!(skip.code, 0, "{}{}", skip.stdout, skip.stderr);
    assert!(
        skip.stdout
            .starts_with("2 case(s): 0 built, 2 unchanged, 0 failed in "),
        "{}",
        skip.stdout
    );
}

/// Cases sharing a matter reference all fail, each naming the others: never `REF.pdf` and
/// `REF-2.pdf` in silence.
#[test]
fn cases_sharing_a_matter_reference_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::write(cases.join("a.toml"), MINIMAL_CASE).unwrap();
    std::fs::write(cases.join("b.toml"), MINIMAL_CASE).unwrap();
    std::fs::write(
        cases.join("c.toml"),
        MINIMAL_CASE.replace("TEST-0001", "TEST-0003"),
    )
    .unwrap();
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--jobs", "1"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stderr,
        "[1/3] failed a.toml:\n  cases/a.toml:3:13: error: the matter reference `TEST-0001` is also the reference of `b.toml` [matter.reference]\n[2/3] failed b.toml:\n  cases/b.toml:3:13: error: the matter reference `TEST-0001` is also the reference of `a.toml` [matter.reference]\n"
    );
    let names = crate::support::file_names(&dir.path().join("out"));
    assert!(
        names.contains(&"TEST-0003.pdf".to_string())
            && !names.iter().any(|n| n.starts_with("TEST-0001")),
        "{names:?}"
    );
    let rows = manifest(&dir.path().join("out"));
    assert_eq!(rows[0]["errors"][0]["code"], "duplicate-reference");
    assert_eq!(
        rows[0]["errors"][0]["hints"][0],
        "each case needs a reference of its own (its letter is named after it): correct the reference in the cases that have it wrong, then run the batch again"
    );
}

/// A CSV problem names its cell as a spreadsheet does (row and column), and a row whose dates a
/// spreadsheet rewrote day first is one line with the likely cause, not one line a date.
#[test]
fn csv_problems_name_their_cell_and_repeated_date_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let header = "client.full_name,matter.reference,matter.letter_mode,matter.letter_date,representative.firm_name,representative.address,representative.regulator,representative.regulator_number,representative.fee_earner,client.pronouns,client.dob_claimed,nrm.cg_decision.outcome,nrm.cg_decision.date,health.treatments.0.kind,health.treatments.0.status,evidence.0.id,evidence.0.doc_type,evidence.0.description,evidence.0.status";
    let row = |reference: &str, letter: &str, dob: &str, cg: &str| {
        format!(
            "A Client,{reference},pre_decision,{letter},Example Law,1 Street;London,sra,123,A. Solicitor,she,{dob},positive,{cg},therapy,ongoing,cg,cg_decision,CG letter,enclosed"
        )
    };
    let text = format!(
        "{header}\n{}\n{}\n{}\n",
        row("CSV-1", "2026-11-16", "1990-01-01", "2026-05-01"),
        row("CSV-2", "16/11/2026", "01/01/1990", "1/5/2026"),
        row("CSV-3", "2026-11-16", "1990-02-30", "2026-05-01"),
    );
    std::fs::write(dir.path().join("clients.csv"), text).unwrap();
    let out = run(
        dir.path(),
        &["batch", "clients.csv", "-o", "out", "--jobs", "1"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stderr,
        "[2/3] failed clients.csv row 3:\n  clients.csv:3:11: error: the same date error in 3 cells (K3, D3, M3); these look like DD/MM/YYYY dates\n[3/3] failed clients.csv row 4:\n  clients.csv:4:11: error: cell K4 (`client.dob_claimed`): `client.dob_claimed`: expected a real calendar date, but February 1990 has no day 30 (`1990-02-30`) [client.dob_claimed]\n"
    );
    // The manifest keeps every error, each at its cell, with the hint.
    let rows = manifest(&dir.path().join("out"));
    let errors = rows[1]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_eq!(errors[0]["location"]["column"], 11);
    assert_eq!(errors[1]["location"]["column"], 4);
}

/// `--quiet` drops the per-case lines and still ends with the one-line summary; on a terminal a
/// progress bar shows meanwhile, and never when the output is a file or a pipe.
#[test]
fn quiet_ends_with_the_summary_and_the_progress_bar_is_for_terminals_only() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::two_case_folder(dir.path());
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(
        out.stdout
            .starts_with("2 case(s): 2 built, 0 unchanged, 0 failed in ")
    );
    let plain = run(dir.path(), &["batch", "cases", "-o", "plain"]);
    assert!(!plain.stderr.contains("ETA") && !plain.stdout.contains("ETA"));
    // `script` gives the run a terminal; where it is missing, the rest is not checked.
    let Ok(tty) = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "{} batch cases -o tty --quiet",
            env!("CARGO_BIN_EXE_vtsdraft")
        ))
        .arg("/dev/null")
        .current_dir(dir.path())
        .output()
    else {
        return;
    };
    let shown = String::from_utf8_lossy(&tty.stdout);
    assert!(
        shown.contains("0 failed ·") && shown.contains("ETA"),
        "{shown}"
    );
    assert!(
        shown.contains("2 case(s): 2 built, 0 unchanged, 0 failed in "),
        "{shown}"
    );
}
