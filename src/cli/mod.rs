//! The command line: the only module that reads flags, prints, or picks an exit code.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the CLI is where output belongs"
)]

pub mod absorb;
pub mod diff;
pub mod explain;
pub mod verify;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostic, has_errors};
use crate::facts::model::{Axis, Representative};
use crate::output::{self, Kind, Plan};
use crate::{Toolkit, batch, facts};

/// Exit codes, as documented in the README.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_TOOL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "vtsdraft",
    version,
    about = "Drafts UK VTS leave representations for confirmed victims of trafficking.\n\nOutput is a draft for a qualified practitioner to review and sign; it is not legal advice.",
    after_help = "Configuration: `--firm` and `--clauses` default to `[firm]` and `clauses` in\n$XDG_CONFIG_HOME/vtsdraft/config.toml (else ~/.config/vtsdraft/config.toml), or in the file\nVTSDRAFT_CONFIG names (set but empty: none). The flags override it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the output: `auto` when it goes to a terminal and `NO_COLOR` is not set.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    color: ColorChoice,
}

/// `--color`, on every command.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether to colour a stream: the flag when given; with `auto`, only on a terminal and when
/// `NO_COLOR` is unset or empty (no-color.org: a flag on the command line overrides it).
fn use_color(choice: ColorChoice, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// Whether diagnostics on standard error are coloured; set once in [`main`], read by [`report`]
/// (a process-wide setting, like the terminal it describes).
static STDERR_COLOR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// A human-format diagnostic with its `error:`, `warning:` and `hint:` labels coloured as
/// compilers colour them, when standard error is coloured; the text is otherwise unchanged.
fn paint(text: &str) -> String {
    if !STDERR_COLOR.get().copied().unwrap_or(false) {
        return text.to_string();
    }
    text.lines()
        .map(|line| {
            for (label, code) in [
                ("error:", "1;31"),
                ("warning:", "1;33"),
                ("  hint:", "1;36"),
            ] {
                if let Some(rest) = line.strip_prefix(label) {
                    return format!("\x1b[{code}m{label}\x1b[0m{rest}");
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text with hints.
    Human,
    /// One line per problem: `file:line:col: error: message [field]`.
    Short,
    /// Machine-readable JSON.
    Json,
}

#[derive(clap::Args, Clone)]
struct LibraryArgs {
    /// A clause library folder to use instead of the built-in one (default: `clauses` in the
    /// configuration file, if any).
    #[arg(long, value_name = "DIR")]
    clauses: Option<PathBuf>,
}

#[derive(clap::Args, Clone)]
struct FirmArgs {
    /// The firm's details (a `[representative]`-style TOML file), for cases that leave them out
    /// (default: `[firm]` in the configuration file, if any).
    #[arg(long, value_name = "FILE")]
    firm: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Write a commented questionnaire to fill in.
    New {
        /// Where to write it (e.g. `case.toml`).
        file: PathBuf,
        /// Write a CSV header with every column instead, for `batch`.
        #[arg(long)]
        csv: bool,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Report every problem in one or more cases.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        firm: FirmArgs,
    },
    /// Show derived facts, every clause selected or rejected and why, and evidence gaps.
    Explain {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// List each clause not used, rather than one line per reason.
        #[arg(long)]
        all: bool,
        /// Show each condition as written and the facts it read, rather than words.
        #[arg(long)]
        rules: bool,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        firm: FirmArgs,
    },
    /// Build the letter as a PDF.
    Build(BuildArgs),
    /// Build many cases (a folder of case files, or a CSV with one case per row).
    Batch(BatchArgs),
    /// Show what changed between two drafts: facts changed, or the clause library changed.
    Diff(diff::DiffArgs),
    /// Read a letter's provenance record; with the case file, rebuild it and check it matches.
    Verify(verify::VerifyArgs),
    /// Take the edits made in Word to an exported letter back into the case file, as drafting
    /// instructions that every rebuild keeps.
    Absorb(absorb::AbsorbArgs),
    /// Fill in cases in the browser: a local web questionnaire (prints the address to open).
    Serve {
        /// The folder cases are listed from and saved to (created if missing).
        #[arg(long, value_name = "DIR", default_value = "cases")]
        cases: PathBuf,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Listen on another address than loopback, e.g. `0.0.0.0` (other machines can then
        /// reach the questionnaire: only with the access token, but over plain HTTP).
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::IpAddr>,
        #[command(flatten)]
        library: LibraryArgs,
        #[command(flatten)]
        firm: FirmArgs,
    },
    /// Work with the clause library.
    Clauses {
        #[command(subcommand)]
        command: ClausesCommand,
    },
    /// Print a shell completion script, generated from these very flags.
    #[command(
        after_help = "Install (then open a new shell):\n  bash: vtsdraft completions bash > ~/.local/share/bash-completion/completions/vtsdraft\n  zsh:  vtsdraft completions zsh > ~/.zfunc/_vtsdraft   (with `fpath+=~/.zfunc` before `compinit` in ~/.zshrc)\n  fish: vtsdraft completions fish > ~/.config/fish/completions/vtsdraft.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (`vtsdraft.1`), or write it with one page per command into a folder.
    #[command(
        after_help = "Install: vtsdraft man --dir ~/.local/share/man/man1, then `man vtsdraft`, `man vtsdraft-build`."
    )]
    Man {
        /// Write `vtsdraft.1`, `vtsdraft-build.1`, … into this folder (created if missing)
        /// instead of printing `vtsdraft.1`.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// What to write beside each letter's PDF: the same flags, meaning the same, on `build` and
/// `batch`.
#[derive(clap::Args, Clone)]
struct OutputArgs {
    /// Also write the Typst source (`typ`; with `--review`, the reviewer's copy's too) or a
    /// Word document (`docx`) beside the PDF; repeat for both.
    #[arg(long, value_name = "KIND", value_parser = EmitParser)]
    emit: Vec<Emit>,
    /// Also write a reviewer's copy beside the PDF (`letter.review.pdf`): the same letter
    /// with each paragraph's clause, condition and facts in the margin, and the clauses not
    /// used in an appendix. Not for sending.
    #[arg(long)]
    review: bool,
    /// PDF standard: `a-2b`, `a-3b`, `ua-1` or `none`; repeat to combine (`a-3b` with `ua-1`).
    /// Default: PDF/A-3a + PDF/UA-1. PDF/A-2 allows no attachments, so `a-2b` letters carry
    /// no provenance record.
    #[arg(long = "pdf-standard", value_name = "STD", value_parser = ["a-2b", "a-3b", "ua-1", "none"])]
    pdf_standard: Vec<String>,
    /// Overwrite existing output files.
    #[arg(long)]
    force: bool,
}

/// An output beside the PDF (`--emit`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// The Typst source.
    Typ,
    /// A Word document.
    Docx,
}

/// `--emit`'s values, and `pdf` refused with the reason: the PDF is always written, so
/// `--emit pdf` (once accepted and ignored) would suggest that without it there is none.
#[derive(Clone)]
struct EmitParser;

impl clap::builder::TypedValueParser for EmitParser {
    type Value = Emit;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Emit, clap::Error> {
        if value == "pdf" {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                "`--emit pdf`: the PDF is always written; `--emit` adds `typ` or `docx` beside it\n",
            )
            .with_cmd(cmd));
        }
        clap::builder::EnumValueParser::<Emit>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Emit::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

impl OutputArgs {
    /// The output settings these flags ask for; an impossible PDF standard is reported.
    fn settings(
        &self,
        docx_reference: Option<Vec<u8>>,
        format: Format,
    ) -> Result<output::Settings, u8> {
        let conformance =
            crate::pdf::Conformance::from_flags(&self.pdf_standard).map_err(|problem| {
                report(&[problem], format);
                EXIT_INPUT
            })?;
        if !conformance.allows_attachments() {
            eprintln!(
                "warning: PDF/A-2 allows no attachments, so letters built with it carry no provenance record for `vtsdraft verify`\n"
            );
        }
        Ok(output::Settings {
            typst: self.emit.contains(&Emit::Typ),
            docx: self.emit.contains(&Emit::Docx),
            docx_reference,
            review: self.review,
            conformance,
        })
    }
}

#[derive(clap::Args)]
struct BuildArgs {
    file: PathBuf,
    /// The PDF to write.
    #[arg(short, long, value_name = "PDF")]
    output: PathBuf,
    /// A Word document whose styles the DOCX uses (implies `--emit docx`).
    #[arg(long, value_name = "FILE")]
    docx_reference: Option<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    library: LibraryArgs,
    #[command(flatten)]
    firm: FirmArgs,
}

#[derive(clap::Args)]
struct BatchArgs {
    /// A folder of `.toml`/`.json` cases, or a `.csv` file.
    input: PathBuf,
    /// The output folder.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Rebuild only cases whose input, library, templates or output flags changed.
    #[arg(long)]
    skip_unchanged: bool,
    #[command(flatten)]
    out: OutputArgs,
    /// No per-case lines, only the summary.
    #[arg(long)]
    quiet: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    library: LibraryArgs,
    #[command(flatten)]
    firm: FirmArgs,
}

#[derive(Subcommand)]
enum ClausesCommand {
    /// Check the library: unknown facts and authorities, superseded guidance, unverified points.
    Lint {
        #[command(flatten)]
        library: LibraryArgs,
        /// Also check that every clause is selected by at least one case in these folders.
        #[arg(long, value_name = "DIR")]
        cases: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// List the clauses.
    List {
        /// Only the clauses of this axis (the second column of the list).
        #[arg(long, value_enum)]
        axis: Option<AxisArg>,
        #[command(flatten)]
        library: LibraryArgs,
    },
}

/// An axis as `clauses list` prints it and case files spell it (`personal_situation`); the
/// hyphenated spelling clap would make is accepted too, since it was once the only one.
#[derive(Clone, Copy, ValueEnum)]
enum AxisArg {
    Framework,
    Recovery,
    #[value(name = "personal_situation", alias = "personal-situation")]
    PersonalSituation,
    #[value(name = "child_best_interests", alias = "child-best-interests")]
    ChildBestInterests,
    Compensation,
    Cooperation,
    Suitability,
    Duration,
}

impl From<AxisArg> for Axis {
    fn from(a: AxisArg) -> Axis {
        match a {
            AxisArg::Framework => Axis::Framework,
            AxisArg::Recovery => Axis::Recovery,
            AxisArg::PersonalSituation => Axis::PersonalSituation,
            AxisArg::ChildBestInterests => Axis::ChildBestInterests,
            AxisArg::Compensation => Axis::Compensation,
            AxisArg::Cooperation => Axis::Cooperation,
            AxisArg::Suitability => Axis::Suitability,
            AxisArg::Duration => Axis::Duration,
        }
    }
}

/// Entry point: parses arguments, runs the command, returns the exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    // `diff` and `verify` use 1 for "different", so their usage errors must not also be 1.
    let is_diff = args.get(1).is_some_and(|a| a == "diff" || a == "verify");
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            let failure = if is_diff { EXIT_TOOL } else { EXIT_INPUT };
            return ExitCode::from(if e.use_stderr() { failure } else { EXIT_OK });
        }
    };
    let stderr_color = use_color(
        cli.color,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let _ = STDERR_COLOR.set(stderr_color);
    let stdout_color = use_color(
        cli.color,
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    // The per-user defaults (`--firm`, `--clauses`); `new` needs neither, so a broken file does
    // not stop it.
    if !matches!(
        cli.command,
        Command::New { .. } | Command::Completions { .. } | Command::Man { .. }
    ) {
        let found = crate::config::location(
            std::env::var_os("VTSDRAFT_CONFIG"),
            std::env::var_os("XDG_CONFIG_HOME"),
            std::env::var_os("HOME"),
        );
        if let Some((path, explicit)) = found
            && (explicit || path.exists())
        {
            match crate::config::load(&path) {
                Ok(config) => {
                    let _ = CONFIG.set(config);
                }
                Err(problems) => {
                    report(&problems, Format::Human);
                    // `diff` and `verify` say "different" with 1, so their errors are 2.
                    return ExitCode::from(if is_diff { EXIT_TOOL } else { EXIT_INPUT });
                }
            }
        }
    }
    let code = match cli.command {
        Command::New { file, csv, force } => new(&file, csv, force),
        Command::Completions { shell } => {
            completions(shell, &mut std::io::stdout());
            EXIT_OK
        }
        Command::Man { dir } => man(dir.as_deref()),
        Command::Diff(args) => diff::run(&args, stdout_color),
        Command::Verify(args) => verify::run(&args),
        Command::Absorb(args) => absorb::run(&args),
        Command::Check {
            files,
            format,
            library,
            firm,
        } => check(&files, format, &library, &firm),
        Command::Explain {
            format: Format::Short,
            ..
        } => {
            // `short` is one line per problem, for `check`; an explanation has no such form.
            eprintln!(
                "error: `explain` has no `--format short`\n  hint: use `--format human` (the default) or `--format json`; `check --format short` gives one line per problem"
            );
            EXIT_INPUT
        }
        Command::Explain {
            file,
            format,
            all,
            rules,
            library,
            firm,
        } => explain::run(
            &file,
            format == Format::Json,
            explain::Detail { all, rules },
            &library,
            &firm,
        ),
        Command::Build(args) => build(&args),
        Command::Batch(args) => run_batch(&args),
        Command::Serve {
            cases,
            port,
            listen,
            library,
            firm,
        } => serve(cases, port, listen, &library, &firm),
        Command::Clauses {
            command:
                ClausesCommand::Lint {
                    library,
                    cases,
                    format,
                },
        } => lint(&library, &cases, format),
        Command::Clauses {
            command: ClausesCommand::List { axis, library },
        } => list(axis, &library),
    };
    ExitCode::from(code)
}

/// Prints diagnostics to stderr in the chosen format.
fn report(diagnostics: &[Diagnostic], format: Format) {
    for d in diagnostics {
        match format {
            Format::Short => eprintln!("{}", diag::short(d)),
            Format::Json => eprintln!("{}", serde_json::to_string(d).unwrap_or_default()),
            Format::Human => eprintln!("{}\n", paint(&d.to_string())),
        }
    }
}

/// The exit code for a set of failure diagnostics: 2 when the tool itself failed.
fn failure_code(diagnostics: &[Diagnostic]) -> u8 {
    if diagnostics.iter().any(|d| d.code.is_tool_failure()) {
        EXIT_TOOL
    } else {
        EXIT_INPUT
    }
}

pub(crate) fn toolkit(library: Option<&Path>) -> Result<Toolkit, u8> {
    Toolkit::new(library).map_err(|problems| {
        eprintln!(
            "error: the clause library has {} problem(s)",
            problems.len()
        );
        report(&problems, Format::Human);
        if library.is_some() {
            EXIT_INPUT
        } else {
            EXIT_TOOL
        }
    })
}

/// The clause library and the `--firm` details every case command starts from; on failure,
/// the problems are reported and the exit code returned.
fn setup(
    library: &LibraryArgs,
    firm_args: &FirmArgs,
    format: Format,
) -> Result<(Toolkit, Option<Representative>), u8> {
    let toolkit = toolkit(library_dir(library.clauses.as_deref()).as_deref())?;
    let firm = firm(firm_args.firm.as_deref()).map_err(|problems| {
        report(&problems, format);
        EXIT_INPUT
    })?;
    Ok((toolkit, firm))
}

/// The configuration file's settings, once read (see [`crate::config`]).
static CONFIG: std::sync::OnceLock<crate::config::Config> = std::sync::OnceLock::new();

/// The clause library folder: `--clauses`, else the configuration file's, else none (the
/// built-in library).
pub(crate) fn library_dir(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| CONFIG.get().and_then(|c| c.clauses.clone()))
}

/// The firm's details: from `--firm`, else from the configuration file.
pub(crate) fn firm(path: Option<&Path>) -> Result<Option<Representative>, Vec<Diagnostic>> {
    let Some(path) = path else {
        return Ok(CONFIG.get().and_then(|c| c.firm.clone()));
    };
    facts::firm::load(path).map(Some)
}

fn serve(
    cases: PathBuf,
    port: u16,
    listen: Option<std::net::IpAddr>,
    library: &LibraryArgs,
    firm_args: &FirmArgs,
) -> u8 {
    let (toolkit, firm) = match setup(library, firm_args, Format::Human) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let ip = listen.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let options = crate::serve::Options {
        cases,
        listen: std::net::SocketAddr::new(ip, port),
        firm,
    };
    let server = match crate::serve::Server::bind(options, toolkit) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return match e {
                crate::serve::StartError::Bind(..) => {
                    eprintln!(
                        "  hint: another program may be using the port; try `--port 0` for any free one"
                    );
                    EXIT_INPUT
                }
                crate::serve::StartError::Cases(..) => EXIT_INPUT,
                crate::serve::StartError::Random(_) => EXIT_TOOL,
            };
        }
    };
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other machines can reach the questionnaire (with the token, over plain HTTP)"
        );
    }
    println!(
        "vtsdraft questionnaire: open this address in your browser (it contains your access token):"
    );
    println!("  {}", server.url());
    println!("Cases folder: {}", server.cases().display());
    println!("Press Ctrl-C to stop.");
    let _ = std::io::stdout().flush();
    match server.run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: the questionnaire server stopped: {e}");
            EXIT_TOOL
        }
    }
}

/// The completion script for `shell`, from the same clap definitions that parse the flags.
fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "vtsdraft", out);
}

/// The manual: `vtsdraft.1` on standard output, or every command's page into `dir`.
fn man(dir: Option<&Path>) -> u8 {
    let Some(dir) = dir else {
        let mut page = Vec::new();
        if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut page) {
            eprintln!("error: cannot write the manual page: {e}");
            return EXIT_TOOL;
        }
        let _ = std::io::stdout().write_all(&page);
        return EXIT_OK;
    };
    match man_pages(dir) {
        Ok(names) => {
            for name in names {
                println!("wrote {}", dir.join(name).display());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the manual pages into `{}`: {e}",
                dir.display()
            );
            EXIT_TOOL
        }
    }
}

/// Writes one manual page per command into `dir` and returns their file names, sorted.
fn man_pages(dir: &Path) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vtsdraft") && n.ends_with(".1"))
        .collect();
    names.sort();
    Ok(names)
}

fn new(file: &Path, csv: bool, force: bool) -> u8 {
    if file.exists() && !force {
        eprintln!(
            "error: `{}` already exists; vtsdraft will not overwrite a case file\n  hint: choose another name, or pass `--force` to replace it",
            file.display()
        );
        return EXIT_INPUT;
    }
    let text = if csv {
        facts::csv::header() + "\n"
    } else {
        facts::questionnaire::toml_questionnaire()
    };
    match output::write_atomic(file, text.as_bytes()) {
        Ok(()) => {
            println!("wrote {}", file.display());
            if !csv {
                println!("next: fill it in, then `vtsdraft check {}`", file.display());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", file.display());
            EXIT_TOOL
        }
    }
}

fn check(files: &[PathBuf], format: Format, library: &LibraryArgs, firm_args: &FirmArgs) -> u8 {
    let (toolkit, firm) = match setup(library, firm_args, format) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let mut worst = EXIT_OK;
    let mut json_out = Vec::new();
    for file in files {
        let result = crate::prepare(&toolkit, file, firm.as_ref()).and_then(|prepared| {
            // Typeset too: a character no font covers or a template bug is caught here, not at build.
            crate::build(&toolkit, &prepared).map(|_| prepared)
        });
        match result {
            Ok(prepared) => {
                if format == Format::Json {
                    json_out.push(serde_json::json!({
                        "file": file.display().to_string(),
                        "ok": true,
                        "errors": [],
                        "warnings": prepared.warnings,
                        "selected": prepared.selection.selected_ids(),
                        "evidence_gaps": prepared.derived.evidence_gaps,
                    }));
                } else {
                    report(&prepared.warnings, format);
                    if format == Format::Human {
                        println!(
                            "{}: ok ({} clauses selected, {} warning(s))",
                            file.display(),
                            prepared.selection.selected.len(),
                            prepared.warnings.len()
                        );
                    }
                }
            }
            Err(problems) => {
                worst = worst.max(failure_code(&problems));
                // In the order found (the file's order, for a case's own problems), so a
                // paralegal can work down the file.
                if format != Format::Json {
                    report(&problems, format);
                }
                let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
                    problems.into_iter().partition(Diagnostic::is_error);
                if format == Format::Json {
                    json_out.push(serde_json::json!({
                        "file": file.display().to_string(),
                        "ok": false,
                        "errors": errors,
                        "warnings": warnings,
                        "selected": [],
                        "evidence_gaps": [],
                    }));
                } else {
                    if format == Format::Human {
                        eprintln!("{}: {} error(s)", file.display(), errors.len());
                    }
                }
            }
        }
    }
    if format == Format::Json {
        let value = if json_out.len() == 1 {
            json_out.remove(0)
        } else {
            serde_json::Value::Array(json_out)
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    }
    worst
}

/// Whether two paths name the same file (by their canonical paths when both exist).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The largest `--docx-reference` read: a styles template is a few hundred kilobytes.
const MAX_DOCX_REFERENCE_BYTES: usize = 32 * 1024 * 1024;

fn build(args: &BuildArgs) -> u8 {
    // Read the reference before any work: a missing file is the user's to fix, at once.
    let reference = match args.docx_reference.as_deref().map(|path| {
        facts::load::read_bounded(path, MAX_DOCX_REFERENCE_BYTES).map_err(|e| match e {
            facts::load::Bounded::TooLarge => format!(
                "the DOCX reference `{}` is larger than {MAX_DOCX_REFERENCE_BYTES} bytes; reference documents are limited to {MAX_DOCX_REFERENCE_BYTES} bytes",
                path.display()
            ),
            facts::load::Bounded::Io(e) => {
                format!("cannot read the DOCX reference `{}`: {e}", path.display())
            }
        })
    }) {
        None => None,
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(message)) => {
            eprintln!("error: {message}");
            return EXIT_INPUT;
        }
    };
    let settings = match args.out.settings(reference, args.format) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let plan = Plan::new(&args.output, &settings);
    // An output that is an input of the same run would destroy it, `--force` or not.
    let inputs = std::iter::once(args.file.as_path())
        .chain(args.firm.firm.as_deref())
        .chain(args.docx_reference.as_deref());
    for input in inputs {
        if let Some((_, path)) = plan.files.iter().find(|(_, p)| same_file(p, input)) {
            eprintln!(
                "error: `{}` is the case file or another input of this run; vtsdraft will not write over it\n  hint: choose another output path, e.g. `-o letter.pdf`",
                path.display()
            );
            return EXIT_INPUT;
        }
    }
    if let Some(path) = plan.clash() {
        eprintln!(
            "error: two outputs would be written to `{}`\n  hint: name the PDF with a `.pdf` extension; the other files go beside it",
            path.display()
        );
        return EXIT_INPUT;
    }
    if !args.out.force
        && let Some(path) = plan.existing().next()
    {
        eprintln!(
            "error: `{}` already exists; pass `--force` to overwrite it",
            path.display()
        );
        return EXIT_INPUT;
    }
    let (toolkit, firm) = match setup(&args.library, &args.firm, args.format) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let prepared = match crate::prepare(&toolkit, &args.file, firm.as_ref()) {
        Ok(p) => p,
        Err(problems) => {
            report(&problems, args.format);
            return failure_code(&problems);
        }
    };
    report(&prepared.warnings, args.format);
    let written = output::render(&toolkit, &prepared, &settings, &plan.kinds())
        .and_then(|rendered| plan.write(&rendered).map_err(|d| vec![d]));
    if let Err(problems) = written {
        report(&problems, args.format);
        return failure_code(&problems);
    }
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "wrote {} ({} clauses, {} months requested, {} warning(s))",
        args.output.display(),
        prepared.selection.selected.len(),
        prepared.derived.duration.months,
        prepared.warnings.len()
    );
    for (kind, path) in plan.files.iter().filter(|(k, _)| *k != Kind::Pdf) {
        let _ = writeln!(stdout, "wrote {}{}", path.display(), kind.note());
    }
    EXIT_OK
}

fn run_batch(args: &BatchArgs) -> u8 {
    let (quiet, format, output) = (args.quiet, args.format, args.output.as_path());
    let settings = match args.out.settings(None, format) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (toolkit, firm) = match setup(&args.library, &args.firm, format) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let options = batch::Options {
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1),
        skip_unchanged: args.skip_unchanged,
        force: args.out.force,
        output: settings,
    };
    // On a terminal: a progress bar (done/total, failures, rate, ETA), with each failure printed
    // above it, even with --quiet (which drops only the per-case lines): a long quiet run must
    // not look hung. Not on a terminal: plain lines, or with --quiet/--format json none.
    // Either way the run ends with the one-line summary.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr()) && format != Format::Json;
    let failures = std::sync::atomic::AtomicUsize::new(0);
    // The total is known only once the batch has listed its cases.
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    let failure_lines = |outcome: &batch::Outcome| {
        // Twenty date errors from one spreadsheet row are one line; the manifest keeps each.
        diag::summarise(&outcome.errors)
            .iter()
            .map(|d| format!("  {}", diag::short(d)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let progress = |outcome: &batch::Outcome, done: usize, total: usize| {
        let failed = matches!(outcome.status, batch::Status::Failed);
        if failed {
            failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if terminal {
            let bar = bar.get_or_init(|| {
                let bar = indicatif::ProgressBar::new(total as u64);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "[{pos}/{len}] {bar:30} {msg} · {per_sec} · ETA {eta}",
                ) {
                    bar.set_style(style);
                }
                bar
            });
            if failed {
                bar.println(format!(
                    "failed {}:\n{}",
                    outcome.source,
                    failure_lines(outcome)
                ));
            } else if !quiet {
                bar.println(format!(
                    "{} {}: {}",
                    outcome.status.word(),
                    outcome.source,
                    outcome.output.as_deref().unwrap_or("-")
                ));
            }
            bar.set_message(format!(
                "{} failed",
                failures.load(std::sync::atomic::Ordering::Relaxed)
            ));
            bar.set_position(done as u64);
            if done == total {
                bar.finish_and_clear();
            }
            return;
        }
        if quiet || format == Format::Json {
            return;
        }
        match &outcome.status {
            batch::Status::Built | batch::Status::Unchanged => println!(
                "[{done}/{total}] {} {}: {}",
                outcome.status.word(),
                outcome.source,
                outcome.output.as_deref().unwrap_or("-")
            ),
            batch::Status::Failed => {
                eprintln!(
                    "[{done}/{total}] failed {}:\n{}",
                    outcome.source,
                    failure_lines(outcome)
                );
            }
        }
    };
    let summary = match batch::run(
        &toolkit,
        &args.input,
        output,
        firm.as_ref(),
        &options,
        &progress,
    ) {
        Ok(s) => s,
        Err(problems) => {
            report(&problems, format);
            return failure_code(&problems);
        }
    };
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    } else {
        println!(
            "{} case(s): {} built, {} unchanged, {} failed in {:.1} s; manifest: {}",
            summary.total,
            summary.built,
            summary.unchanged,
            summary.failed,
            summary.seconds,
            output.join("manifest.json").display()
        );
    }
    if summary.failed > 0 {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

fn lint(library: &LibraryArgs, cases: &[PathBuf], format: Format) -> u8 {
    let toolkit = match toolkit(library_dir(library.clauses.as_deref()).as_deref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut findings = crate::clauses::lint::lint(&toolkit.library);
    // Every template parsed, the built-in ones included (a build parses only those it uses).
    if let Err(mut problems) = crate::assembly::Templates::checked(&toolkit.library) {
        findings.append(&mut problems);
    }
    findings.extend(crate::clauses::lint::stale_checks(
        &toolkit.library,
        today(),
    ));
    if !cases.is_empty() {
        match batch::coverage(&toolkit, cases) {
            Ok(mut more) => findings.append(&mut more),
            Err(mut problems) => findings.append(&mut problems),
        }
    }
    report(&findings, format);
    let errors = findings.iter().filter(|d| d.is_error()).count();
    println!(
        "{} clauses, {} authorities, library {}: {} error(s), {} warning(s)",
        toolkit.library.clauses.len(),
        toolkit.library.authorities.len(),
        toolkit.library.version,
        errors,
        findings.len() - errors
    );
    if has_errors(&findings) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// Today's date (UTC), for checks that age; letters never read the clock (their date is the case's).
fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
        + chrono::Duration::days(days as i64)
}

fn list(axis: Option<AxisArg>, library: &LibraryArgs) -> u8 {
    let toolkit = match toolkit(library_dir(library.clauses.as_deref()).as_deref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let axis: Option<Axis> = axis.map(Into::into);
    for clause in toolkit
        .library
        .clauses
        .iter()
        .filter(|c| axis.is_none_or(|a| c.axis == a))
    {
        println!(
            "{:<45} {:<21} v{} reviewed {}  {}",
            clause.id,
            clause.axis.as_str(),
            clause.version,
            clause.reviewed,
            clause.title
        );
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command, with its path (`clauses list`), and the long flags it takes.
    fn commands() -> Vec<(String, Vec<String>)> {
        fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Vec<String>)>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let name = format!("{path} {}", sub.get_name()).trim().to_string();
                let flags = sub
                    .get_arguments()
                    .filter_map(|a| a.get_long())
                    .filter(|l| *l != "help")
                    .map(|l| format!("--{l}"))
                    .collect();
                out.push((name.clone(), flags));
                walk(sub, &name, out);
            }
        }
        let mut out = Vec::new();
        let mut cmd = Cli::command();
        cmd.build();
        walk(&cmd, "", &mut out);
        out
    }

    #[test]
    fn completions_mention_every_command() {
        let commands = commands();
        assert!(commands.len() > 12, "{}", commands.len());
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let mut script = Vec::new();
            completions(shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            for (name, _) in &commands {
                let last = name.rsplit(' ').next().unwrap();
                // How each shell's script names a command, not just the word, which the help
                // texts use too.
                let mark = match shell {
                    clap_complete::Shell::Bash => {
                        format!(
                            "cmd=\"vtsdraft__subcmd__{}\"",
                            name.replace(' ', "__subcmd__")
                        )
                    }
                    clap_complete::Shell::Zsh => format!("({last})\n"),
                    _ => format!("-f -a \"{last}\" -d"),
                };
                assert!(script.contains(&mark), "{shell}: `{name}` missing ({mark})");
            }
        }
    }

    #[test]
    fn the_manual_names_every_command_and_flag() {
        let dir = tempfile::tempdir().unwrap();
        let names = man_pages(dir.path()).unwrap();
        let mut text = String::new();
        for name in &names {
            text.push_str(&std::fs::read_to_string(dir.path().join(name)).unwrap());
        }
        for (name, flags) in commands() {
            let page = format!("vtsdraft-{}.1", name.replace(' ', "-"));
            assert!(names.contains(&page), "no page {page}: {names:?}");
            // roff escapes each `-` in a flag as `\-`.
            let section = std::fs::read_to_string(dir.path().join(&page)).unwrap();
            for flag in flags {
                assert!(
                    section.contains(&flag.replace('-', "\\-")),
                    "{page} does not name {flag}"
                );
            }
        }
        assert!(text.contains(".TH vtsdraft 1"), "{text}");
        let root = std::fs::read_to_string(dir.path().join("vtsdraft.1")).unwrap();
        assert!(root.contains("\\-\\-color") && root.contains("\\-\\-version"));
    }

    #[test]
    fn colour_follows_the_flag_then_the_terminal_and_no_color() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(use_color(ColorChoice::Auto, true, None));
        assert!(use_color(ColorChoice::Auto, true, empty));
        assert!(!use_color(ColorChoice::Auto, true, set));
        assert!(!use_color(ColorChoice::Auto, false, None));
        assert!(use_color(ColorChoice::Always, false, set));
        assert!(!use_color(ColorChoice::Never, true, None));
    }
}
