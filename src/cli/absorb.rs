//! `vtsdraft absorb`: the edits made in Word to an exported letter, written back into the case
//! file as drafting instructions.

use std::path::PathBuf;

use super::{EXIT_OK, Format, failure_code, report};

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  vtsdraft build case.toml -o letter.pdf --emit docx   # also writes letter.docx\n  (edit letter.docx in Word or LibreOffice; tracked changes are taken as accepted)\n  vtsdraft absorb case.toml letter.docx    # the edits become drafting instructions\n  vtsdraft build case.toml -o letter.pdf   # the letter now has the edited wording\n\nParagraphs are matched to the clauses they came from by marks the export puts on them. A\nreworded or shortened clause becomes a `replace` instruction, a deleted one `omit`, and a\nparagraph you typed `add`, after the paragraph before it. The case file is edited in place:\nits comments and layout are kept. Nothing is dropped: a paragraph that cannot be mapped is kept\nas an added paragraph and listed."
)]
pub struct AbsorbArgs {
    /// The case file (TOML) the letter was built from.
    case: PathBuf,
    /// The edited Word file.
    docx: PathBuf,
    /// Show what would be absorbed without changing the case file.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    library: super::LibraryArgs,
    #[command(flatten)]
    firm: super::FirmArgs,
}

pub(super) fn run(args: &AbsorbArgs) -> u8 {
    let (toolkit, firm) = match super::setup(&args.library, &args.firm, Format::Human) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let (outcome, text) =
        match crate::absorb::into_case(&toolkit, &args.case, firm.as_ref(), &args.docx) {
            Ok(pair) => pair,
            Err(problems) => {
                report(&problems, Format::Human);
                return failure_code(&problems);
            }
        };
    let docx = args.docx.display();
    if outcome.absorbed.is_empty() {
        println!("nothing to absorb: the paragraphs of {docx} read as the letter does");
    } else {
        println!("absorbed from {docx}:");
        for line in &outcome.absorbed {
            println!("  {line}");
        }
    }
    if outcome.insertions + outcome.deletions > 0 {
        println!(
            "tracked changes: {} insertion(s) and {} deletion(s), taken as accepted",
            outcome.insertions, outcome.deletions
        );
    }
    if !outcome.unmapped.is_empty() {
        println!(
            "could not map {} paragraph(s) to a clause; each is kept as an added paragraph:",
            outcome.unmapped.len()
        );
        for line in &outcome.unmapped {
            println!("  {line}");
        }
    }
    for line in &outcome.not_absorbed {
        println!("not absorbed: {line}");
    }
    if outcome.edits.is_empty() {
        return EXIT_OK;
    }
    let case = args.case.display();
    if args.dry_run {
        println!("(dry run: {case} is unchanged)");
        return EXIT_OK;
    }
    if let Err(e) = crate::output::write_atomic(&args.case, text.as_bytes()) {
        eprintln!("error: cannot write `{case}`: {e}");
        return super::EXIT_TOOL;
    }
    println!(
        "wrote {case} ({} drafting change(s)); build the letter again (`vtsdraft build {case} -o …`) for this wording",
        outcome.edits.len()
    );
    EXIT_OK
}
