//! The redline (`vtsdraft diff --pdf`) as Typst: a cover summarising what changed, then the new
//! letter with insertions and deletions marked in place. The comparison itself is
//! [`crate::diff`]; this only writes it down, every text as a string literal, through the same
//! letter header and section openings as the letter.

use crate::assembly::SectionKind;
use crate::diff::{
    BlockBody, ClauseChange, Line, Op, Redline, Run, Status, WarningChange, evidence_head,
    library_text, revision_text, unquoted,
};
use crate::render::{self, Expr, HeaderParts, TypstSource};

/// Where the redline's layout additions live.
const REDLINE_FILE: &str = "templates/redline.typ";

/// The redline's layout additions (they use the letter layout's functions and settings).
pub fn layout() -> &'static str {
    crate::clauses::embedded_file(REDLINE_FILE).expect("the redline template is embedded")
}

/// One run's text as content: its lines joined by line breaks.
fn run_text(run: &Run) -> Option<Expr> {
    let mut pieces = Vec::new();
    for (i, part) in run.text.split('\n').enumerate() {
        if i > 0 {
            pieces.push(Expr::call("linebreak").expr());
        }
        if !part.is_empty() {
            pieces.push(Expr::str(part));
        }
    }
    (!pieces.is_empty()).then(|| Expr::concat(pieces))
}

/// A run list as content, insertions and deletions marked.
fn runs_expr(runs: &[Run]) -> Expr {
    Expr::concat(runs.iter().filter_map(|run| {
        let mut expr = run_text(run)?;
        if run.emph {
            expr = Expr::call("emph").arg(expr).expr();
        }
        if run.strong {
            expr = Expr::call("strong").arg(expr).expr();
        }
        Some(match run.op {
            Op::Equal => expr,
            Op::Insert => Expr::call("ins").arg(expr).expr(),
            Op::Delete => Expr::call("del").arg(expr).expr(),
        })
    }))
}

/// The runs of several lines as one piece of content (a date, a salutation).
fn joined_runs(lines: &[Line]) -> Expr {
    let runs: Vec<Run> = lines.iter().flat_map(|l| l.runs.clone()).collect();
    runs_expr(&runs)
}

/// Each line as content.
fn lines_expr(lines: &[Line]) -> Expr {
    Expr::array(lines.iter().map(|l| runs_expr(&l.runs)))
}

/// The new text of some lines, unmarked.
fn plain(lines: &[Line]) -> String {
    lines
        .iter()
        .filter(|l| l.status != Status::Removed)
        .flat_map(|l| l.runs.iter())
        .filter(|r| r.op != Op::Delete)
        .map(|r| r.text.as_str())
        .collect()
}

/// Text with `code` spans in backticks as content: the spans set off in the accent colour.
fn reason_expr(text: &str) -> Expr {
    Expr::concat(
        text.split('`')
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(i, s)| {
                if i % 2 == 1 {
                    Expr::call("fact").arg(Expr::str(s)).expr()
                } else {
                    Expr::str(s)
                }
            }),
    )
}

/// One item of the cover's summary: `change-item(sign, id, headline, details)`.
fn change_item(sign: &str, id: &str, head: Expr, details: Expr) -> Expr {
    Expr::call("change-item")
        .arg(Expr::str(sign))
        .arg(Expr::str(id))
        .arg(head)
        .arg(details)
        .expr()
}

/// The cover's drafts table: which cases, libraries and dates are compared.
fn drafts(redline: &Redline) -> Vec<(&'static str, String)> {
    let library = if redline.old.library_version == redline.new.library_version {
        library_text(&redline.new)
    } else {
        format!(
            "old {}; new {}",
            library_text(&redline.old),
            library_text(&redline.new)
        )
    };
    let date = if redline.old.letter_date == redline.new.letter_date {
        redline.new.letter_date.clone()
    } else {
        format!(
            "old {}; new {}",
            redline.old.letter_date, redline.new.letter_date
        )
    };
    vec![
        ("Old draft", redline.old.case.clone()),
        ("New draft", redline.new.case.clone()),
        ("Clause library", library),
        ("Letter date", date),
    ]
}

/// One sentence counting what changed in the letter.
fn totals(redline: &Redline) -> String {
    if redline.is_empty() {
        return "No differences: the two drafts give the same letter.".to_string();
    }
    let st = &redline.stats;
    let parts: Vec<String> = [
        (st.paragraphs_changed, "paragraph(s) edited"),
        (st.paragraphs_added, "paragraph(s) added"),
        (st.paragraphs_removed, "paragraph(s) removed"),
        (
            st.rows_changed + st.rows_added + st.rows_removed,
            "table row(s) changed",
        ),
        (st.heading_lines_changed, "heading line(s) changed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "The letter's text is the same; the differences are in the summary below.".to_string()
    } else {
        format!("{}.", parts.join(", "))
    }
}

/// The cover's groups of changes: clauses, evidence, warnings; empty groups left out.
fn groups(redline: &Redline) -> Expr {
    let s = &redline.summary;
    let clause = |sign: &str, c: &ClauseChange| {
        change_item(sign, &c.id, Expr::str(&c.title), reason_expr(&c.reason))
    };
    let warning = |sign: &str, w: &WarningChange| {
        change_item(sign, &w.code, reason_expr(&w.message), Expr::str(""))
    };
    let groups: Vec<(String, Vec<Expr>)> = vec![
        (
            format!("Clauses added ({})", s.clauses_added.len()),
            s.clauses_added.iter().map(|c| clause("+", c)).collect(),
        ),
        (
            format!("Clauses removed ({})", s.clauses_removed.len()),
            s.clauses_removed.iter().map(|c| clause("–", c)).collect(),
        ),
        (
            format!(
                "Clauses revised in the library ({})",
                s.clauses_revised.len()
            ),
            s.clauses_revised
                .iter()
                .map(|c| {
                    change_item(
                        "~",
                        &c.id,
                        Expr::str(&c.title),
                        reason_expr(&revision_text(c)),
                    )
                })
                .collect(),
        ),
        (
            format!(
                "The solicitor's drafting instructions ({})",
                s.drafting.len()
            ),
            s.drafting
                .iter()
                .map(|d| {
                    change_item(
                        if d.sign == "-" { "–" } else { d.sign },
                        &d.instruction.to_string(),
                        Expr::str(&d.head),
                        Expr::str(&d.detail),
                    )
                })
                .collect(),
        ),
        (
            format!("Evidence ({})", s.evidence.len()),
            s.evidence
                .iter()
                .map(|e| {
                    let (sign, head) = evidence_head(e);
                    change_item(
                        sign,
                        &e.id,
                        Expr::str(&head),
                        Expr::str(&e.details.join("; ")),
                    )
                })
                .collect(),
        ),
        (
            format!("Warnings that appeared ({})", s.warnings_added.len()),
            s.warnings_added.iter().map(|w| warning("+", w)).collect(),
        ),
        (
            format!("Warnings that went away ({})", s.warnings_removed.len()),
            s.warnings_removed.iter().map(|w| warning("–", w)).collect(),
        ),
    ];
    Expr::array(
        groups
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(title, items)| Expr::array([Expr::str(&title), Expr::array(items)])),
    )
}

/// The cover: what is compared, how much changed, and the summary of changes.
fn cover(redline: &Redline) -> Vec<String> {
    let facts = redline.summary.derived.iter().map(|f| {
        Expr::strs([
            f.label.as_deref().unwrap_or_default(),
            &f.path,
            &unquoted(f.old.as_deref()),
            &unquoted(f.new.as_deref()),
        ])
    });
    Expr::call("redline-cover.with")
        .named("reference", Expr::str(&redline.reference))
        .named("subtitle", Expr::str(&redline.title))
        .named(
            "drafts",
            Expr::array(drafts(redline).iter().map(|(k, v)| Expr::strs([*k, v]))),
        )
        .named("totals", Expr::str(&totals(redline)))
        .named("groups", groups(redline))
        .named("facts", Expr::array(facts))
        .lines("#show: ")
}

/// The letter's heading parts with their changes marked.
fn header(redline: &Redline) -> HeaderParts {
    let h = &redline.heading;
    let references = h.references.iter().map(|r| {
        let label = Expr::str(r.label.as_deref().unwrap_or_default());
        let label = match r.status {
            Status::Added => Expr::call("ins").arg(label).expr(),
            Status::Removed => Expr::call("del").arg(label).expr(),
            _ => label,
        };
        Expr::array([label, runs_expr(&r.runs)])
    });
    HeaderParts {
        title: Expr::str(&redline.title),
        // The firm's name is also the PDF's author, which must be plain text.
        firm: Expr::str(&plain(&h.firm_name)),
        letterhead: lines_expr(&h.letterhead),
        date: joined_runs(&h.date),
        addressee: lines_expr(&h.addressee),
        references: Expr::array(references),
        subject: lines_expr(&h.subject),
        flags: lines_expr(&h.flags),
        salutation: joined_runs(&h.salutation),
        reference: Expr::str(&redline.reference),
    }
}

/// One block of the new letter, changes marked: a changed paragraph carries a change bar, a
/// list marks its changed items, a table its changed rows.
fn block_line(status: Status, body: &BlockBody, new: Option<u32>, old: Option<u32>) -> String {
    let marked = status != Status::Same;
    let expr = match body {
        BlockBody::Para { runs } => match (status, new, old) {
            (Status::Removed, _, Some(n)) => Expr::call("para-removed")
                .arg(Expr::int(n))
                .arg(runs_expr(runs)),
            (_, Some(n), _) => Expr::call("para").arg(Expr::int(n)).arg(runs_expr(runs)),
            _ => Expr::call("para").arg(Expr::int(0)).arg(runs_expr(runs)),
        },
        BlockBody::List { ordered, items } => {
            let items = items.iter().map(|i| match i.status {
                Status::Same => runs_expr(&i.runs),
                _ => Expr::call("marked-item").arg(runs_expr(&i.runs)).expr(),
            });
            return Expr::call("points")
                .arg(Expr::bool(*ordered))
                .arg(Expr::array(items))
                .line();
        }
        BlockBody::Table {
            name,
            columns,
            widths,
            rows,
        } => {
            let table = Expr::call(if marked {
                "redline-table"
            } else {
                "data-table"
            })
            .named("name", Expr::str(name))
            .named("columns", Expr::strs(columns))
            .named("widths", Expr::array(widths.iter().map(|w| Expr::int(*w))))
            .named(
                "rows",
                Expr::array(
                    rows.iter()
                        .map(|r| Expr::array(r.cells.iter().map(|c| runs_expr(c)))),
                ),
            );
            let marks = Expr::array(rows.iter().map(|r| Expr::bool(r.status != Status::Same)));
            return table.named_opt("marks", marked.then_some(marks)).line();
        }
    };
    if marked {
        Expr::call("changed").arg(expr.expr()).line()
    } else {
        expr.line()
    }
}

/// The redline as one self-contained Typst source: the letter layout, the redline additions,
/// then the cover and the new letter with the changes marked in place.
pub fn typst_source(redline: &Redline) -> TypstSource {
    let mut body: Vec<(String, String)> = Vec::new();
    let mut line = |s: String, clause: &str| body.push((s, clause.to_string()));
    line(
        "// ---- generated by vtsdraft: the redline's content, every string passed as data ----"
            .into(),
        "",
    );
    for l in cover(redline) {
        line(l, "");
    }
    for l in render::letter_header(header(redline)).lines("#show: ") {
        line(l, "");
    }
    line(
        Expr::call("counter(page).update").arg(Expr::int(1)).line(),
        "",
    );
    let h = &redline.heading;
    for section in &redline.sections {
        line(String::new(), "");
        for l in render::section_opening(
            section.key == SectionKind::EvidenceIndex,
            runs_expr(&section.heading),
            joined_runs(&h.closing),
            lines_expr(&h.signatory),
            None,
        ) {
            line(l, "");
        }
        for block in &section.blocks {
            line(
                block_line(
                    block.status,
                    &block.body,
                    block.new_number,
                    block.old_number,
                ),
                &block.clause,
            );
        }
    }
    TypstSource::from_lines(
        &[
            (render::LAYOUT_FILE, render::layout()),
            (REDLINE_FILE, layout()),
        ],
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(op: Op, text: &str) -> Run {
        Run {
            op,
            text: text.into(),
            emph: false,
            strong: false,
        }
    }

    #[test]
    fn runs_are_marked_and_their_text_stays_data() {
        let runs = [
            run(Op::Equal, "kept "),
            run(Op::Insert, "#read(\"x\")"),
            run(Op::Delete, "a\nb"),
        ];
        assert_eq!(
            runs_expr(&runs).as_str(),
            r##"("kept ", ins("#read(\"x\")"), del(("a", linebreak(), "b").join())).join()"##
        );
        assert_eq!(runs_expr(&[]).as_str(), r#""""#);
    }

    #[test]
    fn backticked_facts_are_set_off() {
        assert_eq!(
            reason_expr("fact `derived.x` is true").as_str(),
            r#"("fact ", fact("derived.x"), " is true").join()"#
        );
    }
}
