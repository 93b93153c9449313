//! `vtsdraft verify`: reads the provenance record out of a letter and, given the case file,
//! rebuilds the letter and says whether it is byte-identical and, if not, why.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the CLI is where output belongs"
)]

use crate::facts::load::{Bounded, read_bounded};
use std::path::PathBuf;

use super::{EXIT_OK, EXIT_TOOL, Format, firm, report, toolkit};
use crate::pdf::Conformance;
use crate::provenance::{self, Difference, Record};

/// `verify` exits 1 when the rebuilt letter differs, so every error exits 2.
const EXIT_MISMATCH: u8 = 1;

/// Flags of `vtsdraft verify`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  vtsdraft verify letter.pdf\n  vtsdraft verify letter.pdf case.toml [--clauses DIR] [--firm FILE]\n\nExit status: 0 when the rebuilt letter is byte-identical (or, without a case file, when the\nrecord was read), 1 when it differs, 2 on any error."
)]
pub struct VerifyArgs {
    /// The letter (a PDF built by vtsdraft).
    pdf: PathBuf,
    /// The case file to rebuild the letter from.
    case: Option<PathBuf>,
    /// The clause library to rebuild with (default: the built-in one).
    #[arg(long, value_name = "DIR")]
    clauses: Option<PathBuf>,
    /// The firm's details (a `[representative]`-style TOML file), for cases that leave them out.
    #[arg(long, value_name = "FILE")]
    firm: Option<PathBuf>,
}

/// The largest PDF `verify` reads: a letter is a few hundred kilobytes.
const MAX_PDF_BYTES: usize = 64 * 1024 * 1024;

/// Runs the command and returns its exit code.
pub fn run(args: &VerifyArgs) -> u8 {
    let bytes = match read_bounded(&args.pdf, MAX_PDF_BYTES) {
        Ok(b) => b,
        Err(Bounded::TooLarge) => {
            eprintln!(
                "error: `{}` is larger than {MAX_PDF_BYTES} bytes; letters are limited to {MAX_PDF_BYTES} bytes",
                args.pdf.display()
            );
            return EXIT_TOOL;
        }
        Err(Bounded::Io(e)) => {
            eprintln!("error: cannot read `{}`: {e}", args.pdf.display());
            return EXIT_TOOL;
        }
    };
    let recorded = match provenance::read(&bytes) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: `{}`: {e}", args.pdf.display());
            return EXIT_TOOL;
        }
    };
    println!("provenance record of {}:", args.pdf.display());
    println!(
        "{}",
        String::from_utf8_lossy(&recorded.to_bytes()).trim_end()
    );
    let Some(case) = &args.case else {
        return EXIT_OK;
    };
    // Rebuild to the standards the letter was built to (`build --pdf-standard`).
    let Some(conformance) = Conformance::from_names(&recorded.pdf_standards) else {
        eprintln!(
            "error: the record names PDF standards this vtsdraft does not know: {}",
            recorded.pdf_standards.join(", ")
        );
        return EXIT_TOOL;
    };
    let Ok(toolkit) = toolkit(super::library_dir(args.clauses.as_deref()).as_deref()) else {
        return EXIT_TOOL;
    };
    let firm = match firm(args.firm.as_deref()) {
        Ok(f) => f,
        Err(problems) => {
            report(&problems, Format::Human);
            return EXIT_TOOL;
        }
    };
    let prepared = match crate::prepare(&toolkit, case, firm.as_ref()) {
        Ok(p) => p,
        Err(problems) => {
            report(&problems, Format::Human);
            eprintln!(
                "error: cannot rebuild the letter: `{}` has problems",
                case.display()
            );
            return EXIT_TOOL;
        }
    };
    let rebuilt_bytes = match crate::build_with(&toolkit, &prepared, conformance) {
        Ok((_, pdf)) => pdf,
        Err(problems) => {
            report(&problems, Format::Human);
            return EXIT_TOOL;
        }
    };
    let rebuilt = Record::new(&toolkit, &prepared, conformance);
    if rebuilt_bytes == bytes {
        println!(
            "match: rebuilding from `{}` gives a byte-identical letter",
            case.display()
        );
        return EXIT_OK;
    }
    println!(
        "mismatch: rebuilding from `{}` gives a different letter",
        case.display()
    );
    let differences = recorded.differences(&rebuilt);
    if differences.is_empty() {
        println!(
            "  the recorded inputs all match, so the PDF was changed after it was built (or was built with other firm details)"
        );
    }
    for difference in &differences {
        println!("  {difference}");
    }
    for difference in &differences {
        match difference {
            Difference::Drafting => println!(
                "  hint: `vtsdraft explain {}` lists the drafting instructions the case has now",
                case.display()
            ),
            Difference::Case => println!(
                "  hint: `vtsdraft diff OLD.toml {}` shows what the change does to the letter",
                case.display()
            ),
            Difference::Library { .. } => println!(
                "  hint: `vtsdraft diff {} --clauses-old OLD_DIR [--clauses NEW_DIR]` shows what the library change does to the letter",
                case.display()
            ),
            Difference::Tool { .. } => println!(
                "  hint: rebuild with vtsdraft {} to reproduce the letter exactly",
                recorded.tool_version
            ),
        }
    }
    EXIT_MISMATCH
}
