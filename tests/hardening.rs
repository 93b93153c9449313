//! Regression tests for the second security review (`shared/reviews/security-review-2026-11.md`),
//! one per finding, named after it: each reproduces the finding and checks the fix.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use crate::support::{MINIMAL_CASE, case_dir, file_names, pdf_text, run};

fn with(replace: &str, by: &str) -> String {
    assert!(MINIMAL_CASE.contains(replace), "{replace}");
    MINIMAL_CASE.replacen(replace, by, 1)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn f1_bidi_controls_in_case_text_are_refused_naming_the_field() {
    for control in ['\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}'] {
        let dir = case_dir(&with("Ana Example", &format!("Ana{control} Example")));
        let out = run(dir.path(), &["check", "case.toml"]);
        assert_eq!(out.code, 1, "U+{:04X}: {}", control as u32, out.stderr);
        assert!(
            out.stderr.contains("bidirectional control")
                && out.stderr.contains("field: client.full_name"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn f2_a_huge_list_index_in_a_csv_column_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.csv"), "client.aliases.100000000\nx\n").unwrap();
    let out = run(dir.path(), &["batch", "c.csv", "-o", "out"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("list index 100000000") && out.stderr.contains("at most 1000 items"),
        "{}",
        out.stderr
    );
}

#[test]
fn f5_the_size_limit_holds_for_devices() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["check", "/dev/zero"],
        vec!["verify", "/dev/zero"],
        vec!["check", "x.toml", "--firm", "/dev/zero"],
    ] {
        let out = run(dir.path(), &args);
        assert_ne!(out.code, 0, "{args:?}");
        assert!(
            out.stderr.contains("limited to"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn f11_a_byte_order_mark_inside_a_value_is_an_input_error_naming_the_field() {
    let dir = case_dir(&with("Ana Example", "Ana\u{FEFF}Exémple"));
    let out = run(dir.path(), &["build", "case.toml", "-o", "l.pdf"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("U+FEFF") && out.stderr.contains("field: client.full_name"),
        "{}",
        out.stderr
    );
}

#[test]
fn f12_a_long_unbroken_name_does_not_break_the_pdf_and_stays_out_of_its_metadata() {
    let name = "A".repeat(17_000);
    let dir = case_dir(&with("Ana Example", &name));
    let out = run(dir.path(), &["build", "case.toml", "-o", "l.pdf"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("at most 1000 are allowed without a space")
            && out.stderr.contains("field: client.full_name"),
        "{}",
        out.stderr
    );
    // And an ordinary letter's title metadata holds no client data.
    let dir = case_dir(MINIMAL_CASE);
    let out = run(dir.path(), &["build", "case.toml", "-o", "l.pdf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(dir.path().join("l.pdf")).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    let title = raw
        .split("<dc:title>")
        .nth(1)
        .and_then(|t| t.split("</dc:title>").next())
        .unwrap_or_default();
    assert!(!title.is_empty(), "no title");
    assert!(!title.contains("Ana"), "{title}");
    assert!(pdf_text(&bytes).contains("Ana Example"));
}

#[test]
fn f13_blank_required_answers_are_missing_not_answers() {
    for (from, to, field) in [
        (
            "full_name = \"Ana Example\"",
            "full_name = \"   \"",
            "client.full_name",
        ),
        (
            "reference = \"TEST-0001\"",
            "reference = \"\"",
            "matter.reference",
        ),
    ] {
        let dir = case_dir(&with(from, to));
        let out = run(dir.path(), &["check", "case.toml"]);
        assert_eq!(out.code, 1, "{field}: {}", out.stderr);
        assert!(
            out.stderr.contains("is blank") && out.stderr.contains(&format!("field: {field}")),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn f17_outputs_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::two_case_folder(dir.path());
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let outdir = dir.path().join("out");
    assert_eq!(mode(&outdir), 0o700);
    for name in file_names(&outdir) {
        assert_eq!(mode(&outdir.join(&name)), 0o600, "{name}");
    }
}

#[test]
fn f19_an_output_that_is_an_input_is_refused() {
    let dir = case_dir(MINIMAL_CASE);
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "case.toml", "--force"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("is the case file or another input"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("case.toml")).unwrap(),
        MINIMAL_CASE
    );
    // And `-o a.docx --emit docx` (a PDF named .docx, and the DOCX on the same path).
    let out = run(
        dir.path(),
        &["build", "case.toml", "-o", "a.docx", "--emit", "docx"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("two outputs would be written to `a.docx`"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("a.docx").exists());
}

#[test]
fn f20_symlinked_cases_in_a_batch_folder_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cases = crate::support::two_case_folder(dir.path());
    std::fs::write(dir.path().join("elsewhere.toml"), MINIMAL_CASE).unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere.toml"), cases.join("link.toml")).unwrap();
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("3 case(s): 2 built, 0 unchanged, 1 failed"),
        "{}",
        out.stdout
    );
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap();
    assert!(manifest.contains("symbolic link"), "{manifest}");
}

#[test]
fn f22_no_output_name_starts_with_a_dash_and_no_manifest_cell_with_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::write(
        cases.join("=HYPERLINK(1).toml"),
        with("reference = \"TEST-0001\"", "reference = \"-rf\""),
    )
    .unwrap();
    let out = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names = file_names(&dir.path().join("out"));
    assert!(names.iter().all(|n| !n.starts_with('-')), "{names:?}");
    assert!(names.contains(&"rf.pdf".to_string()), "{names:?}");
    let csv = std::fs::read_to_string(dir.path().join("out/manifest.csv")).unwrap();
    assert!(
        csv.lines()
            .skip(1)
            .flat_map(|l| l.split(','))
            .all(|cell| !cell
                .trim_start_matches('"')
                .starts_with(['=', '+', '-', '@'])),
        "{csv}"
    );
    assert!(csv.contains("'=HYPERLINK(1).toml"), "{csv}");
}

#[test]
fn f24_stacked_combining_marks_are_capped_with_a_clear_error() {
    let stacked: String = std::iter::once('a')
        .chain(std::iter::repeat_n('\u{0301}', 40))
        .collect();
    let dir = case_dir(&with("Ana Example", &format!("Ana {stacked}")));
    let out = run(dir.path(), &["check", "case.toml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("combining marks") && out.stderr.contains("field: client.full_name"),
        "{}",
        out.stderr
    );
}

#[test]
fn f25_emoji_presentation_and_the_arabic_letter_mark_are_text() {
    let dir = case_dir(&with("Ana Example", "Ana \u{2764}\u{FE0F} Exa\u{061C}mple"));
    let out = run(dir.path(), &["build", "case.toml", "-o", "l.pdf"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn f8_the_batch_journal_is_never_opened_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::two_case_folder(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep\n").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("manifest.partial.jsonl")).unwrap();
    let run = run(dir.path(), &["batch", "cases", "-o", "out", "--quiet"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("it is a symbolic link"),
        "{}",
        run.stderr
    );
}

#[test]
fn f26_a_failed_write_leaves_the_previous_set_of_outputs_intact() {
    let dir = case_dir(MINIMAL_CASE);
    let first = run(
        dir.path(),
        &["build", "case.toml", "-o", "l.pdf", "--emit", "docx"],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let old_pdf = std::fs::read(dir.path().join("l.pdf")).unwrap();
    let old_docx = std::fs::read(dir.path().join("l.docx")).unwrap();
    std::fs::write(
        dir.path().join("case.toml"),
        with("Ana Example", "Ana Changed"),
    )
    .unwrap();
    // A file-size limit between the DOCX's size and the PDF's stands in for a disk that fills
    // while the PDF is written (SIGXFSZ ignored, so the write fails rather than kills).
    let limit_kib = (old_docx.len() / 1024 + 8).min(old_pdf.len() / 1024 - 8);
    let bin = env!("CARGO_BIN_EXE_vtsdraft");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {}; exec \"{bin}\" build case.toml -o l.pdf --emit docx --force",
            limit_kib * 2
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(dir.path().join("l.docx")).unwrap() == old_docx,
        "a new DOCX was left beside the old PDF"
    );
    assert!(
        std::fs::read(dir.path().join("l.pdf")).unwrap() == old_pdf,
        "the PDF changed"
    );
    let names = file_names(dir.path());
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn f18_a_killed_batch_with_extra_outputs_completes_in_one_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let cases = crate::support::numbered_cases(dir.path(), 30);
    let out = dir.path().join("out");
    let args = [
        "batch",
        cases.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
        "--emit",
        "docx",
        "--review",
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vtsdraft"))
        .args(args)
        .spawn()
        .unwrap();
    // Kill the run once a few letters are out: mid-way through another case's set of files.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline
        && std::fs::read_dir(&out).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".review.pdf"))
                .count()
        }) < 3
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut again = args.to_vec();
    again.push("--skip-unchanged");
    let rerun = run(dir.path(), &again);
    assert_eq!(rerun.code, 0, "{}{}", rerun.stdout, rerun.stderr);
    for i in 0..30 {
        for ext in ["pdf", "docx", "review.pdf"] {
            assert!(
                out.join(format!("KILL-{i:02}.{ext}")).exists(),
                "KILL-{i:02}.{ext}"
            );
        }
    }
}

/// 64 MiB of zeros, deflated (about 64 KB).
fn deflated_zeros() -> Vec<u8> {
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&chunk).unwrap();
    }
    z.finish().unwrap()
}

#[test]
fn f6_a_decompression_bomb_in_verify_is_refused() {
    use lopdf::{Dictionary, Object, Stream};
    let mut doc = lopdf::Document::with_version("1.7");
    let mut stream_dict = Dictionary::new();
    stream_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let stream = doc.add_object(Stream::new(stream_dict, deflated_zeros()));
    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(stream));
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", Object::string_literal("vtsdraft-provenance.json"));
    spec.set("EF", Object::Dictionary(ef));
    doc.add_object(spec);
    let pages = doc.new_object_id();
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    let dir = tempfile::tempdir().unwrap();
    doc.save(dir.path().join("bomb.pdf")).unwrap();
    let out = run(dir.path(), &["verify", "bomb.pdf"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
}

#[test]
fn f6_a_decompression_bomb_as_docx_reference_is_refused() {
    use std::io::Write as _;
    let dir = case_dir(MINIMAL_CASE);
    let file = std::fs::File::create(dir.path().join("bomb.docx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file::<_, ()>(
        "word/styles.xml",
        zip::write::FileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    let out = run(
        dir.path(),
        &[
            "build",
            "case.toml",
            "-o",
            "l.pdf",
            "--docx-reference",
            "bomb.docx",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
}

#[test]
fn f3_a_csv_row_carries_its_line_not_a_copy_of_the_file() {
    // Each row used to get a copy of the whole CSV, scanned again for every location: reading
    // was quadratic in the rows (docs/performance.md has the curve).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    let mut text = String::from("matter.reference,client.full_name\n");
    for i in 0..200 {
        text.push_str(&format!("R{i},N{i}\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let rows = vtsdraft::facts::csv::read(&path).unwrap();
    assert_eq!(rows.len(), 200);
    assert_eq!(rows[57].line, 59);
    let problems =
        vtsdraft::facts::load::from_row(&path, rows[57].line, rows[57].tree.clone(), None)
            .unwrap_err();
    let location = problems[0].location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (59, 1));
    // And through the command line, the row's messages name its line.
    let out = run(
        dir.path(),
        &["batch", "c.csv", "-o", "out", "--format", "short"],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("c.csv:59:1: error:"), "{}", out.stderr);
}

#[test]
fn f4_diff_of_two_large_cases_finishes() {
    // 30 episodes whose long summaries all differ between the drafts: the word diff and the
    // pairing of paragraphs were quadratic, and this took minutes.
    let case = |seed: usize| {
        let mut text = MINIMAL_CASE.to_string();
        for e in 0..30 {
            let summary: Vec<String> = (0..2_000)
                .map(|w| format!("w{}", (w * 7 + e * 13 + seed * (w % 5)) % 997))
                .collect();
            text.push_str(&format!(
                "\n[[exploitation.episodes]]\nkind = \"labour\"\nstart = \"2022-0{}\"\nsummary = \"{}\"\n",
                1 + e % 9,
                summary.join(" ")
            ));
        }
        text
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.toml"), case(1)).unwrap();
    std::fs::write(dir.path().join("new.toml"), case(2)).unwrap();
    let bin = env!("CARGO_BIN_EXE_vtsdraft");
    let out = std::process::Command::new("timeout")
        .args([
            "60", bin, "diff", "old.toml", "new.toml", "--format", "json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "diff did not finish (124 is the timeout): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn f16_bad_cases_are_client_errors_and_nothing_unopenable_is_saved() {
    let s = crate::serve::Served::start();
    for case in [serde_json::json!("a string"), serde_json::Value::Null] {
        let r = s.post(
            "/api/save",
            &serde_json::json!({ "name": "x.toml", "case": case }),
        );
        assert_eq!(r.status, 422, "{}", r.body_text());
    }
    let big = serde_json::json!({ "client": { "full_name": "x ".repeat(1_100_000) } });
    let r = s.post(
        "/api/save",
        &serde_json::json!({ "name": "big.toml", "case": big }),
    );
    assert_eq!(r.status, 413, "{}", r.body_text());
    assert!(!s.cases.join("big.toml").exists());
    assert!(!s.cases.join("x.toml").exists());
}

#[test]
fn f21_listen_on_another_loopback_address_prints_an_address_that_works() {
    let s = crate::serve::Served::start_with(&["--listen", "127.0.0.2"]);
    // `start` opened the printed address and loaded the page (200) through it.
    assert!(s.host().starts_with("127.0.0.2:"), "{}", s.host());
}

#[test]
fn f23_nothing_redirects_to_another_server() {
    // The token no longer travels in the address, so nothing redirects at all.
    let s = crate::serve::Served::start();
    let token = s.token.clone();
    for path in ["//evil.example/", "/\\evil.example/", "/"] {
        let r = s.raw("GET", &format!("{path}?token={token}"), "", b"");
        assert_ne!(r.status / 100, 3, "{path}");
        assert_eq!(r.header("location"), None, "{path}");
    }
}

#[test]
fn f9_f10_the_token_is_never_a_cookie_and_works_only_in_its_header() {
    let s = crate::serve::Served::start();
    // The old address form (`/?token=`) gets no cookie and authenticates nothing.
    let r = s.raw("GET", &format!("/?token={}", s.token), "", b"");
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(r.status, 200, "the page itself is public");
    // The header is what the page sends, and all the API accepts.
    let r = s.raw(
        "GET",
        "/api/cases",
        &format!("X-Vtsdraft-Token: {}\r\n", s.token),
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("set-cookie"), None);
}

#[test]
fn f15_a_named_pipe_in_the_cases_folder_never_blocks_the_server() {
    let s = crate::serve::Served::start();
    let fifo = s.cases.join("fifo.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening it is refused at once (it used to block a worker until someone wrote to it)...
    let r = s.post(
        "/api/open",
        &serde_json::json!({ "name": "fifo.toml", "draft": false }),
    );
    assert_eq!(r.status / 100, 4, "{}", r.body_text());
    // ... and the list and the page still answer.
    assert_eq!(s.get("/api/cases").status, 200);
    assert_eq!(s.get("/").status, 200);
    // Saving over it is refused too, without reading from it.
    let case = serde_json::json!({ "matter": { "reference": "X" } });
    let r = s.post(
        "/api/save",
        &serde_json::json!({ "name": "fifo.toml", "case": case, "replace": true }),
    );
    assert_eq!(r.status / 100, 4, "{}", r.body_text());
}

#[test]
fn f14_parallel_downloads_are_queued_or_told_busy_never_failed() {
    let s = std::sync::Arc::new(crate::serve::Served::start());
    let case = crate::serve::example_json("thi-h");
    let body = serde_json::json!({ "case": case });
    let threads: Vec<_> = (0..40)
        .map(|_| {
            let (s, body) = (s.clone(), body.clone());
            std::thread::spawn(move || {
                let r = s.post("/api/download", &body);
                (r.status, r.body_text())
            })
        })
        .collect();
    let replies: Vec<(u16, String)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = replies.iter().filter(|(s, _)| *s == 200).count();
    let busy = replies
        .iter()
        .filter(|(s, b)| *s == 503 && b.contains("busy"))
        .count();
    assert_eq!(
        ok + busy,
        replies.len(),
        "{:?}",
        replies.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(ok >= 1 && busy >= 1, "{ok} built, {busy} busy");
}

#[test]
fn abandoned_drafts_are_removed_after_thirty_days() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("cases/.drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    let day = std::time::Duration::from_secs(86_400);
    for (name, age) in [("old.toml", 31), ("recent.toml", 29)] {
        let path = drafts.join(name);
        std::fs::write(&path, "[matter]\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - day * age)
            .unwrap();
    }
    let s = crate::serve::Served::start_in(dir, &[]);
    let left = file_names(&s.cases.join(".drafts"));
    assert_eq!(left, ["recent.toml"]);
}
