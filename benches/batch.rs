//! Batch throughput benchmark: `cargo bench --bench batch -- [N] [WORKERS]`.
//!
//! Builds N varied synthetic cases (derived from the examples with a different client, reference
//! and dates each), on WORKERS plain OS threads, and reports letters per second, per-letter median
//! and p95, the share of time in each stage, peak RSS, how many cores each phase kept busy, and,
//! as the reference, the same Typst sources compiled by the bare engine in the same process,
//! alternating with our pipeline in chunks of letters. Both use `batch::run_workers`, the driver
//! `vtsdraft batch` uses.
#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::path::Path;
use std::time::{Duration, Instant};

use vtsdraft::batch::run_workers;
use vtsdraft::facts::{Format, load_str};
use vtsdraft::{Toolkit, pdf, render};

const NAMES: [&str; 8] = [
    "Nguyễn Thị Lan",
    "Ëndri Hoxha",
    "Ștefan Popescu",
    "Zofia Nowak",
    "ሰላም ተስፋዬ",
    "Amina Yusuf",
    "Grace Okafor",
    "Dawit Bekele",
];

/// One built letter: its stage times, where its Typst source was spilled, letter date and
/// reference. Sources go to disk so that holding 10,000 of them does not distort peak RSS.
type Built = (Stages, std::path::PathBuf, (i32, u8, u8), String);

#[derive(Default, Clone, Copy)]
struct Stages {
    load: Duration,
    matching: Duration,
    render: Duration,
    typeset: Duration,
    export: Duration,
    total: Duration,
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time used by this process so far (user + system), from `/proc/self/stat` (in clock ticks
/// of 1/100 s, the value on Linux). With wall time it gives how many cores a phase kept busy,
/// which is what limits the two-worker speed-up (docs/performance.md).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

fn synthetic(examples: &[String], i: usize) -> String {
    let base = &examples[i % examples.len()];
    let mut text = String::new();
    for line in base.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("reference = ")
            && !text.contains("[representative]")
            && text.contains("[matter]")
            && !text.contains("BENCH-")
        {
            text.push_str(&format!("reference = \"BENCH-{i:06}\"\n"));
        } else if trimmed.starts_with("full_name = ")
            && text.contains("[client]")
            && !text.contains("__named__")
        {
            text.push_str(&format!(
                "full_name = \"{} {}\" # __named__\n",
                NAMES[i % NAMES.len()],
                i
            ));
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let workers: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut examples = Vec::new();
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path().join("case.toml");
        if path.exists() {
            examples.push(std::fs::read_to_string(path).unwrap());
        }
    }
    examples.sort();
    // Cases are generated as each letter starts, so memory measures the engine, not the inputs.
    let indices: Vec<usize> = (0..n).collect();
    let spill_dir = std::env::temp_dir().join(format!("vtsdraft-bench-{}", std::process::id()));
    std::fs::create_dir_all(&spill_dir).unwrap();
    let spill = spill_dir.as_path();

    // Setup, part by part: what every `vtsdraft` process pays before its first letter.
    let t = Instant::now();
    let library = vtsdraft::clauses::Library::builtin().expect("library loads");
    let t_library = t.elapsed();
    let t = Instant::now();
    let templates = vtsdraft::assembly::Templates::checked(&library).expect("templates compile");
    let t_templates = t.elapsed();
    let t = Instant::now();
    let engine = pdf::Engine::new();
    let t_engine = t.elapsed();
    let setup = t_library + t_templates + t_engine;
    let toolkit = Toolkit {
        library,
        templates,
        engine,
    };

    // The full pipeline, per letter.
    let one = |_, i: &usize| {
        let text = synthetic(&examples, *i);
        let t0 = Instant::now();
        let loaded = load_str(Path::new("bench.toml"), text, Format::Toml, None)
            .map_err(|e| format!("{e:?}"))?;
        let t1 = Instant::now();
        let derived =
            vtsdraft::facts::derive(&loaded, &toolkit.library.phrases, &toolkit.library.law);
        let context = vtsdraft::facts::Context::new(&loaded, &derived);
        let selection = vtsdraft::matching::select(&context, &toolkit.library);
        let t2 = Instant::now();
        let document = vtsdraft::assembly::assemble(
            &loaded,
            &derived,
            &context,
            &selection,
            &vtsdraft::drafting::resolve(&loaded, &toolkit.library),
            &toolkit.library,
            &toolkit.templates,
        )
        .map_err(|e| format!("{e:?}"))?;
        let source = render::typst_source(&document);
        std::fs::write(
            spill.join(format!("{}.typ", loaded.case.matter.reference)),
            &source.text,
        )
        .map_err(|e| e.to_string())?;
        let t3 = Instant::now();
        use chrono::Datelike;
        let d = loaded.case.matter.letter_date.0;
        let date = (d.year(), d.month() as u8, d.day() as u8);
        let settings = pdf::PdfSettings {
            ident: loaded.case.matter.reference.clone(),
            date,
        };
        let (_, times) = toolkit
            .engine
            .compile_timed(&source, &settings)
            .map_err(|e| format!("{e:?}"))?;
        let t4 = Instant::now();
        Ok((
            Stages {
                load: t1 - t0,
                matching: t2 - t1,
                render: t3 - t2,
                typeset: times.typeset,
                export: times.export,
                total: t4 - t0,
            },
            spill.join(format!("{}.typ", loaded.case.matter.reference)),
            date,
            loaded.case.matter.reference.clone(),
        ))
    };
    // Warm-up, untimed: whichever phase ran first paid the process's one-time costs (fonts'
    // tables read on first use, the heap grown), which made our pipeline look up to 5% slower
    // than the reference that followed it.
    let warm: Vec<usize> = indices.iter().take(4 * workers).map(|i| i + n).collect();
    run_workers(&warm, workers, one);
    // The reference compiles each chunk's sources right after our pipeline made them, chunk by
    // chunk: this machine's speed drifts by 10% and more within seconds, and with all of our
    // letters first and all of the reference's after, the drift went into the ratio (0.92 to
    // 0.97 for the same code in four runs).
    let compile_bare = |_, (path, date, ident): &(std::path::PathBuf, (i32, u8, u8), String)| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let source = render::TypstSource {
            text,
            templates: Vec::new(),
            line_clauses: Vec::new(),
        };
        let settings = pdf::PdfSettings {
            ident: ident.clone(),
            date: *date,
        };
        toolkit
            .engine
            .compile(&source, &settings)
            .map(|b| b.len())
            .unwrap_or(0)
    };
    let chunk = 12 * workers;
    let mut stages: Vec<Result<Built, String>> = Vec::with_capacity(n);
    let (mut wall, mut bare) = (Duration::ZERO, Duration::ZERO);
    let (mut pipeline_cpu, mut bare_cpu) = (0.0, 0.0);
    let mut bare_letters = 0;
    for part in indices.chunks(chunk) {
        let started = Instant::now();
        let cpu_before = cpu_seconds();
        let built: Vec<Result<Built, String>> = run_workers(part, workers, one);
        wall += started.elapsed();
        pipeline_cpu += cpu_seconds() - cpu_before;
        let sources: Vec<(std::path::PathBuf, (i32, u8, u8), String)> = built
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|s| (s.1.clone(), s.2, s.3.clone()))
            .collect();
        let started = Instant::now();
        let cpu_before = cpu_seconds();
        run_workers(&sources, workers, compile_bare);
        bare += started.elapsed();
        bare_cpu += cpu_seconds() - cpu_before;
        bare_letters += sources.len();
        stages.extend(built);
    }
    let pipeline_cores = pipeline_cpu / wall.as_secs_f64();
    let bare_cores = bare_cpu / bare.as_secs_f64();
    let failures = stages.iter().filter(|r| r.is_err()).count();
    if let Some(Err(e)) = stages.iter().find(|r| r.is_err()) {
        println!("first failure: {e}");
    }
    let ok: Vec<&Built> = stages.iter().filter_map(|r| r.as_ref().ok()).collect();
    let mut totals: Vec<Duration> = ok.iter().map(|s| s.0.total).collect();
    totals.sort();
    let sum = |f: fn(&Stages) -> Duration| ok.iter().map(|s| f(&s.0)).sum::<Duration>();
    let all = sum(|s| s.total).as_secs_f64();
    let share = |d: Duration| 100.0 * d.as_secs_f64() / all;

    println!(
        "letters: {n} ({failures} failed), workers: {workers}, setup {:.1} ms (clause library {:.1}, templates {:.1}, fonts {:.1})",
        setup.as_secs_f64() * 1e3,
        t_library.as_secs_f64() * 1e3,
        t_templates.as_secs_f64() * 1e3,
        t_engine.as_secs_f64() * 1e3
    );
    println!(
        "pipeline: {:.1} letters/s; wall {:.2} s; cores busy {pipeline_cores:.2}",
        ok.len() as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );
    println!(
        "per letter: median {:.1} ms, p95 {:.1} ms",
        percentile(&totals, 0.5).as_secs_f64() * 1e3,
        percentile(&totals, 0.95).as_secs_f64() * 1e3
    );
    println!(
        "stage shares: load {:.1}%, derive+match {:.1}%, assemble+render {:.1}%, typst compile {:.1}%, pdf export {:.1}%",
        share(sum(|s| s.load)),
        share(sum(|s| s.matching)),
        share(sum(|s| s.render)),
        share(sum(|s| s.typeset)),
        share(sum(|s| s.export))
    );
    println!(
        "bare typst reference: {:.1} letters/s; pipeline/bare throughput ratio {:.2}; cores busy {bare_cores:.2}",
        bare_letters as f64 / bare.as_secs_f64(),
        bare.as_secs_f64() / wall.as_secs_f64()
    );
    println!(
        "peak RSS: {:.1} MB (our pipeline and the reference, alternating)",
        peak_rss_mb()
    );
    let _ = std::fs::remove_dir_all(&spill_dir);

    if std::env::var_os("BENCH_LIBREOFFICE").is_some() {
        libreoffice_route(&toolkit, &examples, n.min(20));
    }
}

/// The route a firm would otherwise use, on the same letters in the same run: our DOCX turned
/// into PDF by LibreOffice headless (one `soffice` for all files, its fastest use), against our
/// own route to PDF. Opt-in (`BENCH_LIBREOFFICE=1`): LibreOffice is not a project dependency.
fn libreoffice_route(toolkit: &Toolkit, examples: &[String], m: usize) {
    let dir = std::env::temp_dir().join(format!("vtsdraft-bench-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ours = Duration::ZERO;
    for i in 0..m {
        let text = synthetic(examples, i);
        let started = Instant::now();
        let loaded = load_str(Path::new("bench.toml"), text, Format::Toml, None).unwrap();
        let prepared = vtsdraft::prepare_loaded(toolkit, loaded).unwrap();
        let (_, pdf) = vtsdraft::build(toolkit, &prepared).unwrap();
        ours += started.elapsed();
        assert!(!pdf.is_empty());
        let docx = vtsdraft::docx::render(
            &prepared.document,
            &vtsdraft::docx::DocxOptions { reference: None },
        )
        .unwrap();
        std::fs::write(dir.join(format!("{i:04}.docx")), docx).unwrap();
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let started = Instant::now();
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.join("pdf"))
        .args(&files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let libreoffice = started.elapsed();
    match status {
        Ok(s) if s.success() => println!(
            "DOCX -> PDF via LibreOffice: {m} letters in {:.2} s ({:.1} letters/s); our route to PDF, same letters, one worker: {:.2} s ({:.1} letters/s); LibreOffice takes {:.1}x as long",
            libreoffice.as_secs_f64(),
            m as f64 / libreoffice.as_secs_f64(),
            ours.as_secs_f64(),
            m as f64 / ours.as_secs_f64(),
            libreoffice.as_secs_f64() / ours.as_secs_f64()
        ),
        _ => println!("LibreOffice route skipped: `soffice` did not run"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
