//! Batch production: many cases in parallel, one result per case, never stopping at a failure.
//!
//! Cases come from a folder of case files or from a CSV whose columns are dotted field paths.
//! Letters are built by [`run_workers`]: plain OS threads, each with its own one-thread rayon pool
//! for Typst's internal parallelism. Outputs are written atomically and recorded in
//! `manifest.json` / `manifest.csv`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::Toolkit;
use crate::diag::{Code, Diagnostic, Location};
use crate::facts::model::Representative;
use crate::facts::{Format, csv, load};
use crate::output::{self, Plan, write_atomic};
use crate::provenance::sha256;

/// Batch settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub jobs: usize,
    pub skip_unchanged: bool,
    pub force: bool,
    /// What to write for each case, beside its PDF.
    pub output: output::Settings,
}

/// One case to build: a file, or a CSV row already turned into a tree; or a link in a folder of
/// cases, which is reported and not followed.
enum Job {
    File(PathBuf),
    Link(PathBuf),
    Row { csv: PathBuf, row: csv::Row },
}

impl Job {
    /// The file a folder job names (empty for a CSV row).
    fn path(&self) -> &Path {
        match self {
            Job::File(p) | Job::Link(p) => p,
            Job::Row { .. } => Path::new(""),
        }
    }
}

/// The cases of a CSV file, one job a row.
fn csv_jobs(path: &Path) -> Result<Vec<Job>, Vec<Diagnostic>> {
    Ok(csv::read(path)?
        .into_iter()
        .map(|row| Job::Row {
            csv: path.to_path_buf(),
            row,
        })
        .collect())
}

/// What happened to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Built,
    Unchanged,
    Failed,
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Built => "built",
            Status::Unchanged => "unchanged",
            Status::Failed => "failed",
        }
    }
}

/// One manifest row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// The case file, or `clients.csv row 4`.
    pub source: String,
    /// The PDF's file name inside the output folder.
    pub output: Option<String>,
    pub status: Status,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<String>,
    pub selected: Vec<String>,
    pub requested_months: Option<u32>,
    pub input_sha256: String,
    pub pdf_sha256: Option<String>,
    pub library_version: String,
    /// SHA-256 of the letter layout template, so a template change rebuilds every case.
    #[serde(default)]
    pub template_sha256: String,
    pub tool_version: String,
}

/// The run as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub total: usize,
    pub built: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub seconds: f64,
    pub cases: Vec<Outcome>,
}

fn folder_jobs(dir: &Path) -> Result<Vec<Job>, Vec<Diagnostic>> {
    // Links are not followed (a folder of cases must not reach outside itself), but they are
    // reported as cases that failed, never skipped in silence.
    fn walk(dir: &Path, out: &mut Vec<Job>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_symlink() {
                out.push(Job::Link(path));
            } else if kind.is_dir() {
                walk(&path, out)?;
            } else if kind.is_file()
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("toml" | "json")
                )
            {
                out.push(Job::File(path));
            }
        }
        Ok(())
    }
    let mut jobs = Vec::new();
    walk(dir, &mut jobs).map_err(|e| {
        vec![Diagnostic::error(
            Code::Unreadable,
            format!("cannot read `{}`: {e}", dir.display()),
        )]
    })?;
    jobs.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(jobs)
}

/// A case file's name in the manifest: relative to the input folder, so a re-run finds it
/// whether the folder was given as a relative or an absolute path.
fn source_name(input: &Path, path: &Path) -> String {
    path.strip_prefix(input)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Removes temporary files a killed run left in the output folder (ours start with `.` and end
/// in `.tmp`); they may hold case data and are never complete outputs.
fn remove_stale_temporaries(output: &Path) {
    let Ok(entries) = std::fs::read_dir(output) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a case's files, journalling the intent first: if the run is killed after a rename but
/// before the case's final journal line, the next run still knows the files are its own.
fn write_journalled(
    journal: &Mutex<std::fs::File>,
    outcome: &Outcome,
    plan: &Plan,
    rendered: &output::Rendered,
) -> Result<(), Diagnostic> {
    if let Ok(line) = serde_json::to_string(outcome) {
        use std::io::Write as _;
        let _ = writeln!(journal.lock().expect("no panics while held"), "{line}");
    }
    plan.write(rendered)
}

/// The journal a run appends each finished case to, so a killed run's work is still known.
const JOURNAL: &str = "manifest.partial.jsonl";

/// The previous run's manifest by source, plus any cases a killed run journalled after it.
fn previous_manifest(output: &Path) -> BTreeMap<String, Outcome> {
    let mut cases: BTreeMap<String, Outcome> =
        std::fs::read_to_string(output.join("manifest.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Vec<Outcome>>(&t).ok())
            .map(|cases| cases.into_iter().map(|c| (c.source.clone(), c)).collect())
            .unwrap_or_default();
    if let Ok(journal) = std::fs::read_to_string(output.join(JOURNAL)) {
        // A line cut short by the kill fails to parse and is ignored.
        for outcome in journal
            .lines()
            .filter_map(|l| serde_json::from_str::<Outcome>(l).ok())
        {
            cases.insert(outcome.source.clone(), outcome);
        }
    }
    cases
}

/// Runs `work` on every item on `jobs` worker threads and returns the results in item order.
///
/// Workers are plain OS threads taking the next item from a shared counter, not a rayon
/// `par_iter`: Typst's PDF writer waits for its deferred work by running queued rayon jobs, which
/// would nest other whole letters on the same stack (shared/tech/typst-embedding.md 5.4).
///
/// With two or more workers, each runs inside its own one-thread rayon pool, so the parallel parts
/// of Typst (page runs, the PDF writer's deferred work) run on the worker's own thread, in order,
/// instead of queueing in the global pool behind another letter's while the worker blocks. The
/// pool holds only this worker's jobs, so nothing else can nest on its stack. On the 2-core
/// machine this took 2 workers from 28.5 to 31.3 letters/s (docs/performance.md). With one worker
/// those parts use the global pool instead, that is the otherwise idle cores (18.4 letters/s
/// against 16.2 on a pool of its own).
pub fn run_workers<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = work(i, item);
            results.lock().expect("no panics while held")[i] = Some(result);
        }
    };
    let workers = jobs.clamp(1, items.len().max(1));
    if workers == 1 {
        worker();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(
                    || match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                        Ok(pool) => pool.install(worker),
                        // No thread for a pool (a resource limit): share the global pool instead.
                        Err(_) => worker(),
                    },
                );
            }
        });
    }
    results
        .into_inner()
        .expect("no panics while held")
        .into_iter()
        .map(|r| r.expect("every item was taken by a worker"))
        .collect()
}

/// Builds every case; a failing case is recorded and the rest go on.
pub fn run(
    toolkit: &Toolkit,
    input: &Path,
    output: &Path,
    firm: Option<&Representative>,
    options: &Options,
    progress: &(dyn Fn(&Outcome, usize, usize) + Sync),
) -> Result<Summary, Vec<Diagnostic>> {
    let started = Instant::now();
    let jobs = if input.is_dir() {
        folder_jobs(input)?
    } else if input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        csv_jobs(input)?
    } else {
        return Err(vec![Diagnostic::error(
            Code::BadInput,
            format!(
                "`{}` is neither a folder of cases nor a `.csv` file",
                input.display()
            ),
        )]);
    };
    output::create_private_dir(output).map_err(|e| {
        vec![Diagnostic::error(
            Code::WriteFailed,
            format!("cannot create `{}`: {e}", output.display()),
        )]
    })?;
    remove_stale_temporaries(output);
    let previous = previous_manifest(output);
    let tool_version = env!("CARGO_PKG_VERSION").to_string();
    // The layout templates (with reviewer's copies, theirs too) and a non-default PDF standard:
    // a change to either rebuilds every case.
    let template_sha256 = options.output.fingerprint();
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    // What a case is called in messages and the manifest.
    // A CSV row's problems are pointed at their cells; a file's already have their lines.
    let located = |job: &Job, problems: Vec<Diagnostic>| -> Vec<Diagnostic> {
        match job {
            Job::Row { row, .. } => problems.into_iter().map(|d| row.locate(d)).collect(),
            Job::File(_) | Job::Link(_) => problems,
        }
    };
    let source_of = |job: &Job| match job {
        Job::File(path) | Job::Link(path) => source_name(input, path),
        Job::Row { row, .. } => row.label.clone(),
    };
    let load_case = |job: &Job| match job {
        Job::File(path) => load(path, firm),
        Job::Link(path) => Err(vec![
            Diagnostic::error(
                Code::Unreadable,
                format!(
                    "`{}` is a symbolic link; batch does not follow links",
                    path.display()
                ),
            )
            .hint("copy the case into the folder, or run the batch on the folder it is in"),
        ]),
        Job::Row { csv, row } => {
            crate::facts::load::from_row(csv, row.line, row.tree.clone(), firm)
                .map_err(|problems| located(job, problems))
        }
    };
    // Output names are given in the order of the cases, before any letter is built: named as each
    // case loaded, two cases with the same matter reference could swap `X.pdf` and `X-2.pdf`
    // between runs, with the workers' timing. Loading twice costs about 0.5% of a letter.
    // A case whose loading panics (a bug) gets no name here and is reported when it is built.
    let references = run_workers(&jobs, options.jobs, |_, job| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load_case(job).ok()))
            .ok()
            .flatten()
            .map(|l| {
                let at = l.location("matter.reference");
                (l.case.matter.reference, at)
            })
    });
    // Two cases with one matter reference are a mistake to show, not to paper over: numbered
    // `REF.pdf` and `REF-2.pdf`, one of two letters for the same matter would go out unnoticed,
    // and which file is which would depend on the folder's order. Every case sharing a
    // reference fails, naming the others.
    let mut by_reference: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in references.iter().enumerate() {
        if let Some((reference, _)) = r {
            by_reference.entry(reference).or_default().push(i);
        }
    }
    let mut duplicates: Vec<Option<Diagnostic>> = vec![None; jobs.len()];
    for (reference, cases) in by_reference.iter().filter(|(_, c)| c.len() > 1) {
        for &i in cases {
            let others: Vec<String> = cases
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| format!("`{}`", source_of(&jobs[j])))
                .collect();
            let at = references[i].as_ref().map(|(_, at)| at.clone());
            let problem = Diagnostic::error(
                Code::DuplicateReference,
                format!(
                    "the matter reference `{reference}` is also the reference of {}",
                    and_list(&others)
                ),
            )
            .at_opt(at)
            .field("matter.reference")
            .hint("each case needs a reference of its own (its letter is named after it): correct the reference in the cases that have it wrong, then run the batch again");
            duplicates[i] = located(&jobs[i], vec![problem]).pop();
        }
    }
    let mut taken = Vec::new();
    let names: Vec<Option<String>> = references
        .iter()
        .zip(&duplicates)
        .map(|(r, duplicate)| match (r, duplicate) {
            (Some((r, _)), None) => Some(output::file_name(r, &mut taken)),
            _ => None,
        })
        .collect();
    let ours = |job: &Job, name: &str| {
        previous
            .get(&source_of(job))
            .is_some_and(|b| b.output.as_deref() == Some(name))
    };
    // Letters already in the output folder that this run may not replace are reported once,
    // before anything is built, with the way on: as one failure per case (fifty lines saying
    // the same thing) they hid the hint, and the failed run's manifest replaced the good one,
    // so `--skip-unchanged` afterwards rebuilt everything.
    let mut blocked = Vec::new();
    for (job, name) in jobs.iter().zip(&names) {
        let Some(name) = name else { continue };
        // A rerun with `--skip-unchanged` may replace the files this case wrote last time.
        let may_overwrite = options.force || (options.skip_unchanged && ours(job, name));
        let plan = Plan::new(&output.join(name), &options.output);
        if let Some(path) = plan.existing().next().filter(|_| !may_overwrite) {
            blocked.push(path.to_path_buf());
        }
    }
    if let Some(first) = blocked.first() {
        let problem = Diagnostic::error(
            Code::Exists,
            format!(
                "`{}` already holds the letters of {} of these {total} case(s), starting with `{}`; nothing was built",
                output.display(),
                blocked.len(),
                first.display()
            ),
        );
        // No location: a folder has no line to point at, and the message names it.
        let problem = if options.skip_unchanged {
            problem.hint("the folder's manifest does not list these files as this batch's own: pass `--force` to overwrite them, or choose another output folder")
        } else {
            problem.hint("pass `--skip-unchanged` to rebuild only the cases that changed since the last run, or `--force` to rebuild every case and overwrite its letter")
        };
        return Err(vec![problem]);
    }
    // Appended to in place, so never through a link planted at its name (O_NOFOLLOW).
    let journal_path = output.join(JOURNAL);
    let journal = Mutex::new({
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&journal_path)
            .map_err(|e| {
                let why = if e.raw_os_error() == Some(libc::ELOOP) {
                    "it is a symbolic link, which batch does not follow".to_string()
                } else {
                    e.to_string()
                };
                vec![
                    Diagnostic::error(
                        Code::WriteFailed,
                        format!("cannot write `{}`: {why}", journal_path.display()),
                    )
                    .hint("remove the link; the journal is vtsdraft's own file"),
                ]
            })?
    });

    let build_one = |i: usize, job: &Job| -> Outcome {
        let source = source_of(job);
        let input_bytes = match job {
            Job::File(path) => std::fs::read(path).unwrap_or_default(),
            Job::Link(_) => Vec::new(),
            Job::Row { row, .. } => row.raw.as_bytes().to_vec(),
        };
        let loaded = load_case(job);
        let mut outcome = Outcome {
            source: source.clone(),
            output: None,
            status: Status::Failed,
            errors: Vec::new(),
            warnings: Vec::new(),
            selected: Vec::new(),
            requested_months: None,
            input_sha256: sha256(&input_bytes),
            pdf_sha256: None,
            library_version: toolkit.library.version.clone(),
            template_sha256: template_sha256.clone(),
            tool_version: tool_version.clone(),
        };
        let loaded = match loaded {
            Ok(l) => l,
            Err(e) => {
                outcome.errors = e.into_iter().filter(Diagnostic::is_error).collect();
                return outcome;
            }
        };
        if let Some(duplicate) = &duplicates[i] {
            outcome.errors.push(duplicate.clone());
            return outcome;
        }
        let Some(name) = names[i].clone() else {
            outcome.errors.push(
                Diagnostic::error(
                    Code::Changed,
                    "the case file changed while the batch was running",
                )
                .hint("run the batch again"),
            );
            return outcome;
        };
        let plan = Plan::new(&output.join(&name), &options.output);
        outcome.output = Some(name.clone());
        if let Some(before) = previous.get(&source) {
            let same = before.input_sha256 == outcome.input_sha256
                && before.library_version == outcome.library_version
                && before.template_sha256 == outcome.template_sha256
                && before.tool_version == outcome.tool_version;
            if options.skip_unchanged
                && same
                && before.status != Status::Failed
                && before.output.as_deref() == Some(name.as_str())
                && plan.complete()
            {
                let mut unchanged = before.clone();
                unchanged.status = Status::Unchanged;
                return unchanged;
            }
        }
        // Checked for every case before the run; checked again here for a file that appeared
        // since (another program writing into the folder).
        let may_overwrite = options.force || (options.skip_unchanged && ours(job, &name));
        if !may_overwrite
            && let Err(e) = plan.refuse_existing(
                "pass `--force` to overwrite, or `--skip-unchanged` to rebuild only what changed",
            )
        {
            outcome.errors.push(e);
            return outcome;
        }
        let prepared = match crate::prepare_loaded(toolkit, loaded) {
            Ok(p) => p,
            Err(e) => {
                outcome.errors = located(job, e.into_iter().filter(Diagnostic::is_error).collect());
                return outcome;
            }
        };
        outcome.warnings = prepared
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.code, w.message))
            .collect();
        outcome.selected = prepared.selection.selected_stamps();
        outcome.requested_months = Some(prepared.derived.duration.months);
        let rendered = match output::render(toolkit, &prepared, &options.output, &plan.kinds()) {
            Ok(r) => r,
            Err(e) => {
                outcome.errors = e;
                return outcome;
            }
        };
        match write_journalled(&journal, &outcome, &plan, &rendered) {
            Ok(()) => {
                outcome.pdf_sha256 = rendered.get(output::Kind::Pdf).map(sha256);
                outcome.status = Status::Built;
            }
            Err(e) => outcome.errors.push(e),
        }
        outcome
    };

    let cases: Vec<Outcome> = run_workers(&jobs, options.jobs, |i, job| {
        // A panic in one case (a bug) must not take the batch down with it.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_one(i, job)))
            // The engine has already evicted the letter's cache entries, if it got that far.
            .unwrap_or_else(|_| Outcome {
                source: source_of(job),
                output: None,
                status: Status::Failed,
                errors: vec![Diagnostic::error(
                    Code::Internal,
                    "vtsdraft crashed on this case; this is a bug, please report it",
                )],
                warnings: Vec::new(),
                selected: Vec::new(),
                requested_months: None,
                input_sha256: String::new(),
                pdf_sha256: None,
                library_version: toolkit.library.version.clone(),
                template_sha256: template_sha256.clone(),
                tool_version: tool_version.clone(),
            });
        if let Ok(line) = serde_json::to_string(&outcome) {
            use std::io::Write as _;
            let _ = writeln!(journal.lock().expect("no panics while held"), "{line}");
        }
        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(&outcome, finished, total);
        outcome
    });
    drop(journal);
    write_manifests(output, &cases).map_err(|e| {
        vec![Diagnostic::error(
            Code::WriteFailed,
            format!("cannot write the manifest in `{}`: {e}", output.display()),
        )]
    })?;
    // The complete manifest now records every case; the journal is no longer needed.
    let _ = std::fs::remove_file(output.join(JOURNAL));
    let count = |s: Status| cases.iter().filter(|c| c.status == s).count();
    Ok(Summary {
        total,
        built: count(Status::Built),
        unchanged: count(Status::Unchanged),
        failed: count(Status::Failed),
        seconds: started.elapsed().as_secs_f64(),
        cases,
    })
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@` (or a tab or carriage
/// return) would be read as a formula, so it gets the apostrophe spreadsheets take as "text".
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn write_manifests(output: &Path, cases: &[Outcome]) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(cases).map_err(std::io::Error::other)?;
    write_atomic(&output.join("manifest.json"), json.as_bytes())?;
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "source",
        "output",
        "status",
        "errors",
        "warnings",
        "selected",
        "requested_months",
        "input_sha256",
        "pdf_sha256",
        "library_version",
        "template_sha256",
        "tool_version",
    ])?;
    for c in cases {
        let cells = [
            c.source.clone(),
            c.output.clone().unwrap_or_default(),
            c.status.word().to_string(),
            c.errors
                .iter()
                .map(crate::diag::short)
                .collect::<Vec<_>>()
                .join(" | "),
            c.warnings.join(" | "),
            c.selected.join(" "),
            c.requested_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            c.input_sha256.clone(),
            c.pdf_sha256.clone().unwrap_or_default(),
            c.library_version.clone(),
            c.template_sha256.clone(),
            c.tool_version.clone(),
        ];
        writer.write_record(cells.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(&output.join("manifest.csv"), &bytes)
}

/// Which clauses no case in `dir` selects (a warning each), for `clauses lint --cases`.
pub fn coverage(toolkit: &Toolkit, dirs: &[PathBuf]) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut selected = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    let mut n = 0;
    let mut jobs = Vec::new();
    for dir in dirs {
        jobs.extend(folder_jobs(dir)?);
    }
    let shown: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
    for job in jobs {
        let Job::File(path) = job else { continue };
        if Format::of(&path) != Format::Toml && Format::of(&path) != Format::Json {
            continue;
        }
        match crate::prepare(toolkit, &path, None) {
            Ok(p) => {
                n += 1;
                selected.extend(p.selection.selected.iter().map(|d| d.id.clone()));
            }
            Err(_) => continue,
        }
    }
    for clause in &toolkit.library.clauses {
        if !selected.contains(&clause.id) {
            problems.push(
                Diagnostic::warning(
                    Code::NeverSelected,
                    format!(
                        "clause `{}` is selected by none of the {n} cases in {}",
                        clause.id,
                        shown.join(", ")
                    ),
                )
                .at(Location {
                    file: clause.file.clone(),
                    line: clause.when_line,
                    column: 1,
                }),
            );
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_return_every_result_in_item_order() {
        let items: Vec<usize> = (0..50).collect();
        for jobs in [0, 1, 2, 3, 80] {
            let out = run_workers(&items, jobs, |i, item| {
                assert_eq!(i, *item);
                item * 10
            });
            assert_eq!(
                out,
                (0..50).map(|i| i * 10).collect::<Vec<_>>(),
                "{jobs} jobs"
            );
        }
        assert!(run_workers(&[] as &[u8], 2, |_, _| ()).is_empty());
    }

    #[test]
    fn each_of_several_workers_has_a_rayon_pool_of_its_own() {
        let items: Vec<usize> = (0..8).collect();
        // Several workers: Typst's parallel parts run on the worker's own one-thread pool.
        let pools = run_workers(&items, 2, |_, _| {
            (
                rayon::current_num_threads(),
                rayon::current_thread_index(),
                std::thread::current().id(),
            )
        });
        assert!(
            pools.iter().all(|p| p.0 == 1 && p.1 == Some(0)),
            "{pools:?}"
        );
        let threads: std::collections::BTreeSet<String> =
            pools.iter().map(|p| format!("{:?}", p.2)).collect();
        assert!(threads.len() <= 2, "{threads:?}");
        // One worker: the calling thread, not a pool thread, so Typst uses the global pool.
        let one = run_workers(&items, 1, |_, _| {
            (rayon::current_thread_index(), std::thread::current().id())
        });
        assert!(
            one.iter()
                .all(|p| p.0.is_none() && p.1 == std::thread::current().id())
        );
    }
}
