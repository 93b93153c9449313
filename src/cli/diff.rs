//! `vtsdraft diff`: what changed between two drafts, as text, JSON or a redline PDF.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the CLI is where output belongs"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{EXIT_OK, EXIT_TOOL, Format, firm, report, toolkit};
use crate::diff::{BlockBody, BlockDiff, Line, Op, Redline, Run, Status};
use crate::{Prepared, Toolkit};

/// `diff` exits 1 when the drafts differ (as diff(1) does), so every error exits 2.
const EXIT_DIFFERENT: u8 = 1;
const EXIT_ERROR: u8 = EXIT_TOOL;

/// Flags of `vtsdraft diff`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  vtsdraft diff old.toml new.toml\n  vtsdraft diff case.toml --clauses-old lib-v1/ [--clauses lib-v2/]\n  vtsdraft diff old.toml new.toml --pdf redline.pdf\n\nExit status: 0 when the drafts are the same, 1 when they differ, 2 on any error (a case or\nclause library with problems, an existing output file without --force, a failure to typeset).\nUnlike other commands, problems in the input exit 2 here, because 1 means \"different\"."
)]
pub struct DiffArgs {
    /// The old case file.
    pub old: PathBuf,
    /// The new case file (default: the old one, when comparing clause libraries).
    pub new: Option<PathBuf>,
    /// The clause library the old draft was made with (default: the same as the new one).
    #[arg(long, value_name = "DIR")]
    pub clauses_old: Option<PathBuf>,
    /// The clause library for the new draft (default: the built-in one).
    #[arg(long, value_name = "DIR")]
    pub clauses: Option<PathBuf>,
    /// Also write a printable redline: the new letter with the changes marked, summary first.
    #[arg(long, value_name = "PDF")]
    pub pdf: Option<PathBuf>,
    /// Overwrite the redline PDF if it exists.
    #[arg(long)]
    pub force: bool,
    /// `human` (marked text) or `json` (for other tools).
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// The firm's details (a `[representative]`-style TOML file), for cases that leave them out.
    #[arg(long, value_name = "FILE")]
    pub firm: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
}

/// Runs the command and returns its exit code; `color`: whether to colour standard output
/// (from the global `--color`).
pub fn run(args: &DiffArgs, color: bool) -> u8 {
    let format = match args.format {
        DiffFormat::Human => Format::Human,
        DiffFormat::Json => Format::Json,
    };
    if args.new.is_none() && args.clauses_old.is_none() {
        eprintln!(
            "error: nothing to compare `{}` with\n  hint: give a second case file, or `--clauses-old DIR` to compare clause libraries",
            args.old.display()
        );
        return EXIT_ERROR;
    }
    if let Some(pdf) = &args.pdf
        && pdf.exists()
        && !args.force
    {
        eprintln!(
            "error: `{}` already exists; pass `--force` to overwrite it",
            pdf.display()
        );
        return EXIT_ERROR;
    }
    let firm = match firm(args.firm.as_deref()) {
        Ok(f) => f,
        Err(problems) => {
            report(&problems, format);
            return EXIT_ERROR;
        }
    };
    let Ok(new_toolkit) = toolkit(super::library_dir(args.clauses.as_deref()).as_deref()) else {
        return EXIT_ERROR;
    };
    // One toolkit when both drafts use the same library: it holds the fonts, too.
    let old_owned: Option<Toolkit> = match &args.clauses_old {
        Some(dir) if Some(dir) != super::library_dir(args.clauses.as_deref()).as_ref() => {
            match toolkit(Some(dir)) {
                Ok(t) => Some(t),
                Err(_) => return EXIT_ERROR,
            }
        }
        _ => None,
    };
    let old_toolkit = old_owned.as_ref().unwrap_or(&new_toolkit);
    let new_path = args.new.as_deref().unwrap_or(&args.old);
    let Some(old) = prepare(old_toolkit, &args.old, "old", firm.as_ref(), format) else {
        return EXIT_ERROR;
    };
    let Some(new) = prepare(&new_toolkit, new_path, "new", firm.as_ref(), format) else {
        return EXIT_ERROR;
    };
    let redline = crate::diff::compare(&old, &old_toolkit.library, &new, &new_toolkit.library);

    match args.format {
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&redline).unwrap_or_default()
        ),
        DiffFormat::Human => {
            print!("{}", text(&redline, color));
        }
    }

    if let Some(path) = &args.pdf {
        let bytes = match crate::redline_pdf(&new_toolkit.engine, &redline, &new) {
            Ok(b) => b,
            Err(problems) => {
                report(&problems, format);
                return EXIT_ERROR;
            }
        };
        if let Err(e) = crate::output::write_atomic(path, &bytes) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_ERROR;
        }
        // Keep standard output pure JSON when JSON was asked for.
        if args.format == DiffFormat::Json {
            eprintln!("wrote {}", path.display());
        } else {
            println!("wrote {}", path.display());
        }
    }
    if redline.is_empty() {
        EXIT_OK
    } else {
        EXIT_DIFFERENT
    }
}

fn prepare(
    toolkit: &Toolkit,
    path: &Path,
    which: &str,
    firm: Option<&crate::facts::model::Representative>,
    format: Format,
) -> Option<Prepared> {
    match crate::prepare(toolkit, path, firm) {
        Ok(p) => Some(p),
        Err(problems) => {
            report(&problems, format);
            eprintln!(
                "error: the {which} draft `{}` cannot be prepared ({} problem(s) above)",
                path.display(),
                problems.iter().filter(|d| d.is_error()).count()
            );
            None
        }
    }
}

/// Marked text: ANSI colour (green underlined insertions, red struck deletions) or, without
/// colour, `[+…+]` and `[-…-]` markers.
struct Style {
    color: bool,
}

impl Style {
    fn runs(&self, runs: &[Run]) -> String {
        if !self.color {
            return crate::diff::marked_text(runs);
        }
        let mut out = String::new();
        for run in runs {
            match run.op {
                Op::Equal => out.push_str(&run.text),
                Op::Insert => {
                    let _ = write!(out, "\x1b[32;4m{}\x1b[0m", run.text);
                }
                Op::Delete => {
                    let _ = write!(out, "\x1b[31;9m{}\x1b[0m", run.text);
                }
            }
        }
        // A line break inside a paragraph keeps the paragraph's indent.
        out.replace('\n', "\n    ")
    }

    fn bold(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn sign(&self, sign: &str) -> String {
        if !self.color {
            return sign.to_string();
        }
        match sign {
            "+" => format!("\x1b[32m{sign}\x1b[0m"),
            "-" => format!("\x1b[31m{sign}\x1b[0m"),
            _ => format!("\x1b[33m{sign}\x1b[0m"),
        }
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Same => "unchanged",
        Status::Changed => "edited",
        Status::Added => "added",
        Status::Removed => "removed",
    }
}

/// The human-readable redline: the summary, then each changed part of the letter.
pub fn text(redline: &Redline, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let (old, new) = (&redline.old, &redline.new);
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!(
            "diff {} → {} ({})",
            old.case, new.case, redline.reference
        ))
    );
    if old.library_version == new.library_version {
        let _ = writeln!(out, "clause library {}", crate::diff::library_text(new));
    } else {
        let _ = writeln!(
            out,
            "clause library {} → {}",
            crate::diff::library_text(old),
            crate::diff::library_text(new)
        );
    }
    if redline.is_empty() {
        let _ = writeln!(out, "no differences");
        return out;
    }

    let s = &redline.summary;
    if !s.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("summary"));
    }
    for (title, sign, list) in [
        ("clauses added", "+", &s.clauses_added),
        ("clauses removed", "-", &s.clauses_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title} ({})", list.len());
        for c in list {
            let _ = writeln!(
                out,
                "    {} {}  [{}]  {}",
                style.sign(sign),
                c.id,
                c.section,
                c.title
            );
            let _ = writeln!(out, "        {}", c.reason);
        }
    }
    if !s.clauses_revised.is_empty() {
        let _ = writeln!(
            out,
            "  clauses revised in the library ({})",
            s.clauses_revised.len()
        );
        for c in &s.clauses_revised {
            let _ = writeln!(out, "    {} {}  {}", style.sign("~"), c.id, c.title);
            let _ = writeln!(out, "        {}", crate::diff::revision_text(c));
        }
    }
    if !s.drafting.is_empty() {
        let _ = writeln!(
            out,
            "  the solicitor's drafting instructions ({})",
            s.drafting.len()
        );
        for d in &s.drafting {
            let _ = writeln!(
                out,
                "    {} {}. {}",
                style.sign(d.sign),
                d.instruction,
                d.head
            );
            let _ = writeln!(out, "        {}", d.detail);
        }
    }
    if !s.derived.is_empty() {
        let _ = writeln!(out, "  derived facts changed ({})", s.derived.len());
        for f in &s.derived {
            let label = f
                .label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {}{label}: {} → {}",
                f.path,
                f.old.as_deref().unwrap_or("(not set)"),
                f.new.as_deref().unwrap_or("(not set)")
            );
        }
    }
    if !s.evidence.is_empty() {
        let _ = writeln!(out, "  evidence ({})", s.evidence.len());
        for e in &s.evidence {
            let (sign, head) = crate::diff::evidence_head(e);
            let sign = if sign == "–" { "-" } else { sign };
            let _ = writeln!(out, "    {} {}  {head}", style.sign(sign), e.id);
            for d in &e.details {
                let _ = writeln!(out, "        {d}");
            }
        }
    }
    for (title, sign, list) in [
        ("warnings that appeared", "+", &s.warnings_added),
        ("warnings that went away", "-", &s.warnings_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title} ({})", list.len());
        for w in list {
            let _ = writeln!(out, "    {} [{}] {}", style.sign(sign), w.code, w.message);
        }
    }

    let st = &redline.stats;
    if st.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("letter: the text is the same"));
        return out;
    }
    let _ = writeln!(
        out,
        "\n{}",
        style.bold(&format!(
            "letter: {} paragraph(s) edited, {} added, {} removed; table rows: {} edited, {} added, {} removed",
            st.paragraphs_changed,
            st.paragraphs_added,
            st.paragraphs_removed,
            st.rows_changed,
            st.rows_added,
            st.rows_removed
        ))
    );
    for (name, lines) in redline.heading.fields() {
        if lines.iter().all(|l| l.status == Status::Same) {
            continue;
        }
        let _ = writeln!(out, "  heading: {name}");
        for l in lines {
            heading_line(&mut out, &style, l);
        }
    }
    for section in &redline.sections {
        if section.status == Status::Same {
            continue;
        }
        let heading = style.runs(&section.heading);
        let note = match section.status {
            Status::Added | Status::Removed => format!("  ({})", status_word(section.status)),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {}{note}", style.bold(&format!("## {heading}")));
        for block in &section.blocks {
            if block.status != Status::Same {
                block_text(&mut out, &style, block);
            }
        }
    }
    out
}

fn heading_line(out: &mut String, style: &Style, l: &Line) {
    let label = l
        .label
        .as_ref()
        .map(|l| format!("{l}: "))
        .unwrap_or_default();
    let _ = writeln!(out, "    {label}{}", style.runs(&l.runs));
}

fn block_text(out: &mut String, style: &Style, block: &BlockDiff) {
    let clause = if block.clause.is_empty() {
        String::new()
    } else {
        format!(" [{}]", block.clause)
    };
    let number = match (block.old_number, block.new_number) {
        (Some(o), Some(n)) if o != n => format!("¶{n} (was ¶{o})"),
        (_, Some(n)) => format!("¶{n}"),
        (Some(o), None) => format!("old ¶{o}"),
        (None, None) => String::new(),
    };
    match &block.body {
        BlockBody::Para { runs } => {
            let _ = writeln!(out, "  {number} {}{clause}", status_word(block.status));
            let _ = writeln!(out, "    {}", style.runs(runs));
        }
        BlockBody::List { items, .. } => {
            let _ = writeln!(out, "  list {}{clause}", status_word(block.status));
            for item in items.iter().filter(|i| i.status != Status::Same) {
                let _ = writeln!(out, "    – {}", style.runs(&item.runs));
            }
        }
        BlockBody::Table { name, rows, .. } => {
            let _ = writeln!(out, "  table {}", name.replace('_', " "));
            for row in rows.iter().filter(|r| r.status != Status::Same) {
                let cells: Vec<String> = row.cells.iter().map(|c| style.runs(c)).collect();
                let _ = writeln!(
                    out,
                    "    row {}: {}",
                    status_word(row.status),
                    cells.join(" | ")
                );
            }
        }
    }
}
