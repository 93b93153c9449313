//! Renders a [`Document`] as a Word document (DOCX): the same letter as the PDF, as an editable
//! draft for the solicitor.
//!
//! The Word parts are built with `docx-rs`, so every piece of case text goes in as a text run and
//! is escaped by the writer; nothing from a case becomes XML. Real Word structure is used where a
//! solicitor will edit: `Heading1` for sections, one numbering definition (abstractNum/num) for
//! the numbered paragraphs so inserting a paragraph renumbers the rest, tables with a repeating
//! header row, the letterhead in the first page's header and "Page X of Y" fields in the footer.
//!
//! The zip is written here rather than by `docx-rs`: every entry gets the letter date as its
//! timestamp, so the same inputs give the same bytes whatever crate features are unified in.
//!
//! A reference document (`--docx-reference`) supplies the firm's styles the way pandoc's
//! reference documents do, within limits: its `word/styles.xml` (document defaults and every
//! style it defines) replaces ours, and our styles whose ids it lacks are appended so every
//! paragraph still has its style. Not taken from it: page size and margins, headers and footers,
//! theme (theme fonts then fall back to Word's defaults), numbering definitions and settings.

use std::io::{Cursor, Read as _, Write as _};

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footer, Header,
    Hyperlink, HyperlinkType, IndentLevel, InstrNUMPAGES, InstrPAGE, InstrText, Level, LevelJc,
    LevelOverride, LevelText, LineSpacing, LineSpacingType, NumberFormat, Numbering, NumberingId,
    PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run,
    RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, WidthType,
};

use crate::assembly::{Block, Document, Inline, SectionKind};
use crate::diag::{Code, Diagnostic};

/// The prefix of the bookmarks that say where a paragraph came from.
pub const MARK_PREFIX: &str = "_vts";
/// The bookmark on the sign-off: the letter's body ends there.
pub const SIGNOFF_MARK: &str = "_vts_end";
/// Bookmark ids of our paragraph marks start here, clear of the evidence index's row bookmarks.
const MARK_ID_BASE: usize = 100_000;
const SIGNOFF_MARK_ID: usize = MARK_ID_BASE - 1;

/// The bookmark on the `k`th paragraph (from 0; each list item counts as one) that `clause` (a
/// clause id, or an added paragraph's `drafting#N`) produced: `_vts` and a short hash of the id,
/// so the name stays within Word's 40 characters and is the same in every export of the same
/// letter. The leading underscore makes it a hidden bookmark: it does not clutter Word's list.
pub fn paragraph_mark(clause: &str, k: usize) -> String {
    let hash = crate::provenance::sha256(clause.as_bytes());
    format!("{MARK_PREFIX}{}_{k}", &hash[..12])
}

/// The bookmark on a section's heading (`_vts_s_recovery`).
pub fn section_mark(section: &str) -> String {
    format!("{MARK_PREFIX}_s_{section}")
}

/// Hands out paragraph marks in document order.
#[derive(Default)]
struct Marks {
    /// Paragraphs seen so far for each clause.
    seen: std::collections::HashMap<String, usize>,
    /// Bookmark ids used so far (each must be unique in the document).
    ids: usize,
}

impl Marks {
    fn next_for(&mut self, clause: &str) -> String {
        let k = self.seen.entry(clause.to_string()).or_default();
        let name = paragraph_mark(clause, *k);
        *k += 1;
        name
    }

    /// `p` with a point bookmark `name` at its start: a point, not a range, so typing anywhere
    /// in the paragraph, or splitting it, leaves the mark with the paragraph's first part.
    fn mark(&mut self, p: Paragraph, name: &str) -> Paragraph {
        self.ids += 1;
        let id = MARK_ID_BASE + self.ids;
        let mut p = p;
        p.children.insert(
            0,
            docx_rs::ParagraphChild::BookmarkStart(docx_rs::BookmarkStart::new(id, name)),
        );
        p.children.insert(
            1,
            docx_rs::ParagraphChild::BookmarkEnd(docx_rs::BookmarkEnd::new(id)),
        );
        p
    }
}

/// How to render the DOCX.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocxOptions<'a> {
    /// The bytes of a reference `.docx` whose styles replace ours (see the module docs).
    pub reference: Option<&'a [u8]>,
}

/// Style ids the document uses; a reference document may redefine any of them.
pub mod style {
    pub const NORMAL: &str = "Normal";
    pub const HEADING: &str = "Heading1";
    pub const NUMBERED: &str = "VtsNumbered";
    pub const LIST: &str = "VtsList";
    pub const FIRM: &str = "VtsFirm";
    pub const LETTERHEAD: &str = "VtsLetterhead";
    pub const ADDRESS: &str = "VtsAddress";
    pub const REFERENCES: &str = "VtsReferences";
    pub const FLAGS: &str = "VtsFlags";
    pub const SUBJECT: &str = "VtsSubject";
    pub const SIGNOFF: &str = "VtsSignoff";
    pub const TABLE_TEXT: &str = "VtsTableText";
    pub const TABLE_HEADER: &str = "VtsTableHeader";
    pub const FOOTER: &str = "Footer";
}

const FONT: &str = "Noto Serif";
/// Word treats Arabic as a complex script and takes its font from `w:cs`.
const FONT_CS: &str = "Noto Naskh Arabic";
const ACCENT: &str = "1F3A5F";
const WARNING_RED: &str = "A31515";

// Page geometry in twentieths of a point, as in the Typst layout (A4; 2.4/2.2/2.2/2.5 cm).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_LEFT: i32 = 1361;
const MARGIN_RIGHT: i32 = 1247;
const MARGIN_TOP: i32 = 1247;
const MARGIN_BOTTOM: i32 = 1417;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// The hanging number's width: 2.4em of 10.5pt, as in the PDF.
const NUMBER_WIDTH: i32 = 504;
/// A dash and the gap after it (Typst's list body indent is 0.5em).
const BULLET_HANG: i32 = 220;
/// Room for "10." in an ordered list.
const ORDERED_HANG: i32 = 340;

// Numbering ids: one abstract definition each for paragraphs, bullets and ordered lists.
// docx-rs always writes its own abstractNum 1 and num 1, so ours start at 2.
const ABSTRACT_PARAS: usize = 2;
const ABSTRACT_BULLETS: usize = 3;
const ABSTRACT_ORDERED: usize = 4;
const FIRST_NUM: usize = 2;

/// Renders the letter as DOCX bytes. Fails only on a bad reference document (an input error)
/// or if the archive cannot be written (an internal error).
pub fn render(document: &Document, options: &DocxOptions) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let reference_styles = options
        .reference
        .map(reference_styles)
        .transpose()
        .map_err(|d| vec![d])?;
    let mut numbering = Numbers::default();
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(624)
                .footer(567),
        )
        .default_fonts(fonts())
        .default_size(21)
        .created_at(&timestamp(document))
        .updated_at(&timestamp(document));
    for s in styles() {
        docx = docx.add_style(s);
    }
    // The letterhead sits in the first page's header only, as in the PDF; the footer is on
    // every page, so it is given for the first page too.
    docx = docx
        .first_header(letterhead(document))
        .title_pg()
        .footer(footer(document))
        .first_footer(footer(document));

    docx = docx.add_paragraph(addressee(document));
    docx = docx.add_paragraph(references(document));
    if !document.flags.is_empty() {
        docx = docx.add_paragraph(flags(document));
    }
    docx = docx.add_paragraph(text_para(&document.salutation, style::NORMAL));
    docx = docx.add_paragraph(lines_para(
        &document.subject.lines().collect::<Vec<_>>(),
        style::SUBJECT,
    ));

    // Every paragraph of the letter's body carries a bookmark naming where it came from (see
    // [`paragraph_mark`]), so `vtsdraft absorb` can map an edited copy back to the clauses.
    let mut marks = Marks::default();
    // The block just before the sign-off is kept with it ("keep with next"), so the sign-off
    // never stands alone on a page.
    let last_body_block = document.last_body_block();
    for (section_index, section) in document.sections.iter().enumerate() {
        let annex = section.key == SectionKind::EvidenceIndex;
        if annex {
            for p in signoff(document) {
                docx = docx.add_paragraph(p);
            }
        }
        // The evidence index is an annex after the sign-off, on a page of its own.
        docx = docx.add_paragraph(
            marks.mark(
                text_para(&section.heading, style::HEADING)
                    .keep_next(true)
                    .page_break_before(annex),
                &section_mark(section.key.name()),
            ),
        );
        for (block_index, block) in section.blocks.iter().enumerate() {
            let keep = last_body_block == Some((section_index, block_index));
            match block {
                Block::Para {
                    number,
                    content,
                    clause,
                    ..
                } => {
                    let num = numbering.paragraph(*number);
                    let name = marks.next_for(clause);
                    docx = docx.add_paragraph(
                        marks.mark(
                            inline_para(content, style::NUMBERED)
                                .numbering(NumberingId::new(num), IndentLevel::new(0))
                                .keep_next(keep),
                            &name,
                        ),
                    );
                }
                Block::List {
                    ordered,
                    items,
                    clause,
                    ..
                } => {
                    let num = numbering.list(*ordered);
                    for (i, item) in items.iter().enumerate() {
                        let mut p = inline_para(item, style::LIST)
                            .numbering(NumberingId::new(num), IndentLevel::new(0));
                        // The usual paragraph gap after the list as a whole.
                        if i + 1 == items.len() {
                            p = p
                                .line_spacing(LineSpacing::new().after(180))
                                .keep_next(keep);
                        }
                        let name = marks.next_for(clause);
                        docx = docx.add_paragraph(marks.mark(p, &name));
                    }
                }
                Block::Table(table) => {
                    docx = docx.add_table(data_table(table));
                    // Word needs a paragraph between a table and what follows; keep it small.
                    docx = docx.add_paragraph(
                        Paragraph::new()
                            .style(style::NORMAL)
                            .line_spacing(LineSpacing::new().before(0).after(0).line(120)),
                    );
                }
            }
        }
    }
    if !document
        .sections
        .iter()
        .any(|s| s.key == SectionKind::EvidenceIndex)
    {
        for p in signoff(document) {
            docx = docx.add_paragraph(p);
        }
    }
    docx = numbering.install(docx);

    let mut xml = docx.build();
    mark_header_rows(&mut xml.document);
    if let Some(theirs) = reference_styles {
        xml.styles = merge_styles(&theirs, &xml.styles);
    }
    pack(xml, document).map_err(|e| {
        vec![Diagnostic::error(
            Code::Internal,
            format!("cannot write the DOCX archive: {e}"),
        )]
    })
}

/// The letter date as an ISO timestamp: the document's creation time, never the clock's.
fn timestamp(document: &Document) -> String {
    format!("{}T00:00:00Z", document.date_iso)
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT_CS)
}

fn paragraph_style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on(style::NORMAL)
        .q_format(true)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(240)
        .line_rule(LineSpacingType::Auto)
}

/// Our styles. Sizes are in half-points and spacing in twentieths of a point, taken from the
/// Typst layout so the two renderings look alike.
fn styles() -> Vec<Style> {
    let mut normal = Style::new(style::NORMAL, StyleType::Paragraph)
        .name("Normal")
        .fonts(fonts())
        .size(21)
        .align(AlignmentType::Both)
        .line_spacing(spacing(0, 180))
        .q_format(true);
    normal.paragraph_property = normal.paragraph_property.widow_control(true);

    let mut heading = paragraph_style(style::HEADING, "heading 1")
        .next(style::NUMBERED)
        .size(22)
        .bold()
        .color(ACCENT)
        .align(AlignmentType::Left)
        .line_spacing(spacing(286, 150))
        .outline_lvl(0);
    heading.paragraph_property = heading.paragraph_property.keep_next(true).keep_lines(true);

    let numbered = paragraph_style(style::NUMBERED, "Numbered Paragraph").indent(
        Some(NUMBER_WIDTH),
        Some(SpecialIndentType::Hanging(NUMBER_WIDTH)),
        None,
        None,
    );
    // List items sit tight under their paragraph, as in the PDF; the numbering definitions
    // carry the indents.
    let list = paragraph_style(style::LIST, "Paragraph List")
        .indent(
            Some(NUMBER_WIDTH + BULLET_HANG),
            Some(SpecialIndentType::Hanging(BULLET_HANG)),
            None,
            None,
        )
        .line_spacing(spacing(0, 0));

    let firm = paragraph_style(style::FIRM, "Letterhead Firm")
        .size(30)
        .bold()
        .color(ACCENT)
        .align(AlignmentType::Right)
        .line_spacing(spacing(0, 40));
    let letterhead = paragraph_style(style::LETTERHEAD, "Letterhead")
        .size(17)
        .align(AlignmentType::Right)
        .line_spacing(spacing(0, 0));
    let address = paragraph_style(style::ADDRESS, "Addressee")
        .align(AlignmentType::Left)
        .line_spacing(spacing(240, 160));
    let references = paragraph_style(style::REFERENCES, "References")
        .size(18)
        .align(AlignmentType::Left)
        .line_spacing(spacing(0, 160));

    let mut flags = paragraph_style(style::FLAGS, "Flags")
        .size(18)
        .bold()
        .color(WARNING_RED)
        .align(AlignmentType::Left)
        .line_spacing(spacing(120, 160));
    let border = |position| {
        ParagraphBorder::new(position)
            .val(BorderType::Single)
            .size(8)
            .space(4)
            .color(WARNING_RED)
    };
    flags.paragraph_property = flags.paragraph_property.set_borders(
        ParagraphBorders::with_empty()
            .set(border(ParagraphBorderPosition::Top))
            .set(border(ParagraphBorderPosition::Left))
            .set(border(ParagraphBorderPosition::Bottom))
            .set(border(ParagraphBorderPosition::Right)),
    );
    flags.paragraph_property = flags
        .paragraph_property
        .indent(Some(80), None, Some(80), None);

    let mut subject = paragraph_style(style::SUBJECT, "Subject")
        .bold()
        .align(AlignmentType::Left);
    subject.paragraph_property = subject.paragraph_property.keep_next(true);
    let mut signoff = paragraph_style(style::SIGNOFF, "Sign-off")
        .align(AlignmentType::Left)
        .line_spacing(spacing(240, 0));
    signoff.paragraph_property = signoff.paragraph_property.keep_next(true).keep_lines(true);
    let table_text = paragraph_style(style::TABLE_TEXT, "Table Text")
        .size(18)
        .align(AlignmentType::Left)
        .line_spacing(spacing(0, 0));
    let table_header = paragraph_style(style::TABLE_HEADER, "Table Header")
        .based_on(style::TABLE_TEXT)
        .bold();
    let mut footer = paragraph_style(style::FOOTER, "footer")
        .size(16)
        .color("505050")
        .align(AlignmentType::Left)
        .line_spacing(spacing(0, 0));
    footer.paragraph_property = footer
        .paragraph_property
        .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH));
    vec![
        normal,
        heading,
        numbered,
        list,
        firm,
        letterhead,
        address,
        references,
        flags,
        subject,
        signoff,
        table_text,
        table_header,
        footer,
    ]
}

/// Word numbering: one `num` for the numbered paragraphs (continuing across sections, as the
/// PDF's do), and a fresh `num` for each ordered list so each starts at 1.
#[derive(Default)]
struct Numbers {
    /// `num` ids in use, with their abstract definition and start override.
    nums: Vec<(usize, usize, Option<usize>)>,
    /// The `num` for paragraphs, and the number Word will give the next paragraph with it.
    paragraphs: Option<(usize, u32)>,
    bullets: Option<usize>,
}

impl Numbers {
    fn add(&mut self, abstract_id: usize, start: Option<usize>) -> usize {
        let id = self.nums.len() + FIRST_NUM;
        self.nums.push((id, abstract_id, start));
        id
    }

    /// The `num` that makes Word print `number` on this paragraph. The document numbers its
    /// paragraphs 1, 2, 3… so this is one `num`; should a gap ever appear, a restart keeps Word's
    /// numbers equal to the PDF's rather than silently drifting.
    fn paragraph(&mut self, number: u32) -> usize {
        match self.paragraphs {
            Some((id, next)) if next == number => {
                self.paragraphs = Some((id, next + 1));
                id
            }
            _ => {
                let start = (number != 1).then_some(number as usize);
                let id = self.add(ABSTRACT_PARAS, start);
                self.paragraphs = Some((id, number + 1));
                id
            }
        }
    }

    fn list(&mut self, ordered: bool) -> usize {
        if ordered {
            return self.add(ABSTRACT_ORDERED, Some(1));
        }
        match self.bullets {
            Some(id) => id,
            None => {
                let id = self.add(ABSTRACT_BULLETS, None);
                self.bullets = Some(id);
                id
            }
        }
    }

    fn install(self, mut docx: Docx) -> Docx {
        let level = |format: &str, text: &str, left: i32, hanging: i32| {
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new(format),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(left),
                Some(SpecialIndentType::Hanging(hanging)),
                None,
                None,
            )
        };
        docx = docx
            .add_abstract_numbering(AbstractNumbering::new(ABSTRACT_PARAS).add_level(level(
                "decimal",
                "%1.",
                NUMBER_WIDTH,
                NUMBER_WIDTH,
            )))
            .add_abstract_numbering(AbstractNumbering::new(ABSTRACT_BULLETS).add_level(level(
                "bullet",
                "–",
                NUMBER_WIDTH + BULLET_HANG,
                BULLET_HANG,
            )))
            .add_abstract_numbering(AbstractNumbering::new(ABSTRACT_ORDERED).add_level(level(
                "decimal",
                "%1.",
                NUMBER_WIDTH + ORDERED_HANG,
                ORDERED_HANG,
            )));
        for (id, abstract_id, start) in self.nums {
            let mut num = Numbering::new(id, abstract_id);
            if let Some(start) = start {
                num = num.add_override(LevelOverride::new(0).start(start));
            }
            docx = docx.add_numbering(num);
        }
        docx
    }
}

/// Case text made safe for XML 1.0: characters it cannot hold at all (most C0 controls) become
/// U+FFFD instead of producing a document Word refuses to open.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' => c,
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[derive(Clone, Copy, Default)]
struct Format {
    italic: bool,
    bold: bool,
}

/// Text as runs: tabs and newlines become Word tabs and line breaks, never literal characters.
fn text_runs(text: &str, format: Format, out: &mut Vec<Run>) {
    let text = clean(text);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(styled(
                Run::new().add_break(BreakType::TextWrapping),
                format,
            ));
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push(styled(Run::new().add_tab(), format));
            }
            if !piece.is_empty() {
                out.push(styled(Run::new().add_text(piece), format));
            }
        }
    }
}

fn styled(mut run: Run, format: Format) -> Run {
    if format.italic {
        run = run.italic();
    }
    if format.bold {
        run = run.bold();
    }
    run
}

/// A piece of a paragraph: runs of text, or runs linked to a bookmark (an evidence reference to
/// its row of the evidence index, as in the PDF).
enum Piece {
    Run(Box<Run>),
    Link(Hyperlink),
}

fn inline_runs(content: &[Inline], format: Format, out: &mut Vec<Piece>) {
    let text = |t: &str, out: &mut Vec<Piece>| {
        let mut runs = Vec::new();
        text_runs(t, format, &mut runs);
        out.extend(runs.into_iter().map(|r| Piece::Run(Box::new(r))));
    };
    for inline in content {
        match inline {
            Inline::Text(t) => text(t, out),
            Inline::Emph(c) => inline_runs(
                c,
                Format {
                    italic: true,
                    ..format
                },
                out,
            ),
            Inline::Strong(c) => inline_runs(
                c,
                Format {
                    bold: true,
                    ..format
                },
                out,
            ),
            Inline::Break => out.push(Piece::Run(Box::new(
                Run::new().add_break(BreakType::TextWrapping),
            ))),
            Inline::Evidence { parts, .. } => {
                for part in parts {
                    match &part.anchor {
                        Some(anchor) => out.push(Piece::Link(link(&part.text, anchor, format))),
                        None => text(&part.text, out),
                    }
                }
            }
            // As in the PDF: the citation's own runs, case names already italic.
            Inline::Cite { content, .. } => inline_runs(content, format, out),
        }
    }
}

/// `text` as an internal hyperlink to the bookmark `anchor` (a row of the evidence index).
fn link(text: &str, anchor: &str, format: Format) -> Hyperlink {
    let mut runs = Vec::new();
    text_runs(text, format, &mut runs);
    runs.into_iter().fold(
        Hyperlink::new(anchor, HyperlinkType::Anchor),
        Hyperlink::add_run,
    )
}

fn inline_para(content: &[Inline], style_id: &str) -> Paragraph {
    let mut pieces = Vec::new();
    inline_runs(content, Format::default(), &mut pieces);
    pieces
        .into_iter()
        .fold(Paragraph::new().style(style_id), |p, piece| match piece {
            Piece::Run(run) => p.add_run(*run),
            Piece::Link(link) => p.add_hyperlink(link),
        })
}

fn text_para(text: &str, style_id: &str) -> Paragraph {
    let mut runs = Vec::new();
    text_runs(text, Format::default(), &mut runs);
    runs.into_iter()
        .fold(Paragraph::new().style(style_id), Paragraph::add_run)
}

/// Lines of one paragraph joined by line breaks (an address, a signature block).
fn lines_para<S: AsRef<str>>(lines: &[S], style_id: &str) -> Paragraph {
    let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    text_para(&text.join("\n"), style_id)
}

fn letterhead(document: &Document) -> Header {
    Header::new()
        .add_paragraph(text_para(&document.firm_name, style::FIRM))
        .add_paragraph(lines_para(&document.letterhead, style::LETTERHEAD))
}

/// "reference <tab> Page X of Y", with PAGE and NUMPAGES fields Word keeps up to date.
fn footer(document: &Document) -> Footer {
    let field = |instr: InstrText| {
        Run::new()
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(instr)
            .add_field_char(FieldCharType::Separate, false)
            .add_text("1")
            .add_field_char(FieldCharType::End, false)
    };
    let mut runs = Vec::new();
    text_runs(&document.reference, Format::default(), &mut runs);
    let p = runs
        .into_iter()
        .fold(Paragraph::new().style(style::FOOTER), Paragraph::add_run)
        .add_run(Run::new().add_tab().add_text("Page "))
        .add_run(field(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_text(" of "))
        .add_run(field(InstrText::NUMPAGES(InstrNUMPAGES::new())));
    Footer::new().add_paragraph(p)
}

/// The addressee on the left and the date on the right of the first line, as in the PDF.
fn addressee(document: &Document) -> Paragraph {
    let mut runs = Vec::new();
    let mut lines = document.addressee.iter();
    if let Some(first) = lines.next() {
        text_runs(first, Format::default(), &mut runs);
    }
    runs.push(Run::new().add_tab());
    text_runs(&document.date, Format::default(), &mut runs);
    for line in lines {
        runs.push(Run::new().add_break(BreakType::TextWrapping));
        text_runs(line, Format::default(), &mut runs);
    }
    runs.into_iter().fold(
        Paragraph::new()
            .style(style::ADDRESS)
            .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH)),
        Paragraph::add_run,
    )
}

/// "Our ref: <tab> value" lines; the labels are ours, so one tab stop clears the longest.
fn references(document: &Document) -> Paragraph {
    let mut runs = Vec::new();
    for (i, (label, value)) in document.references.iter().enumerate() {
        if i > 0 {
            runs.push(Run::new().add_break(BreakType::TextWrapping));
        }
        text_runs(
            label,
            Format {
                bold: true,
                ..Format::default()
            },
            &mut runs,
        );
        runs.push(Run::new().add_tab());
        text_runs(value, Format::default(), &mut runs);
    }
    runs.into_iter().fold(
        Paragraph::new()
            .style(style::REFERENCES)
            .add_tab(Tab::new().val(TabValueType::Left).pos(1700)),
        Paragraph::add_run,
    )
}

fn flags(document: &Document) -> Paragraph {
    text_para(&document.flags.join("   ·   "), style::FLAGS)
}

/// The closing, room for a signature, and the signatory block, kept together on one page.
fn signoff(document: &Document) -> Vec<Paragraph> {
    vec![
        text_para(&document.closing, style::SIGNOFF)
            .add_bookmark_start(SIGNOFF_MARK_ID, SIGNOFF_MARK)
            .add_bookmark_end(SIGNOFF_MARK_ID)
            .line_spacing(LineSpacing::new().before(240).after(720)),
        // The line to sign on.
        text_para(SIGNATURE_LINE, style::SIGNOFF)
            .line_spacing(LineSpacing::new().before(0).after(60)),
        lines_para(&document.signatory, style::SIGNOFF)
            .line_spacing(LineSpacing::new().before(0).after(0)),
    ]
    .into_iter()
    .chain(document.enclosures.iter().map(|e| {
        text_para(e, style::SIGNOFF).line_spacing(LineSpacing::new().before(240).after(0))
    }))
    .collect()
}

/// The signature line of the sign-off, as the PDF draws it (about 6.5 cm).
const SIGNATURE_LINE: &str = "______________________________";

fn data_table(table: &crate::assembly::Table) -> Table {
    let total: u32 = table.widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = table
        .widths
        .iter()
        .map(|w| TEXT_WIDTH * *w as usize / total as usize)
        .collect();
    let cell = |text: &str, width: usize, header: bool| {
        let p = text_para(
            text,
            if header {
                style::TABLE_HEADER
            } else {
                style::TABLE_TEXT
            },
        );
        let mut c = TableCell::new()
            .add_paragraph(p)
            .width(width, WidthType::Dxa);
        if header {
            c = c.shading(Shading::new().fill("EBEBEB"));
        }
        c
    };
    let mut rows = vec![
        TableRow::new(
            table
                .columns
                .iter()
                .zip(&grid)
                .map(|(c, w)| cell(c, *w, true))
                .collect(),
        )
        .cant_split(),
    ];
    for (i, row) in table.rows.iter().enumerate() {
        let mut cells: Vec<TableCell> = row
            .iter()
            .zip(&grid)
            .map(|(c, w)| cell(c, *w, false))
            .collect();
        // A row that links point at is a bookmark of that name (the anchors are made from
        // numbers, never case text), around its first cell's text.
        if let (Some(Some(anchor)), Some(first)) = (table.anchors.get(i), row.first()) {
            let id = i + 1;
            let mut runs = Vec::new();
            text_runs(first, Format::default(), &mut runs);
            let p = runs
                .into_iter()
                .fold(
                    Paragraph::new()
                        .style(style::TABLE_TEXT)
                        .add_bookmark_start(id, anchor),
                    Paragraph::add_run,
                )
                .add_bookmark_end(id);
            cells[0] = TableCell::new()
                .add_paragraph(p)
                .width(grid[0], WidthType::Dxa);
        }
        // A row whose last cell links elsewhere (the chronology's "Tab N"): an internal
        // hyperlink to that bookmark, as the letter's evidence references are.
        if let (Some(Some(target)), Some(last)) = (table.links.get(i), row.last()) {
            let n = cells.len() - 1;
            cells[n] = TableCell::new()
                .add_paragraph(
                    Paragraph::new()
                        .style(style::TABLE_TEXT)
                        .add_hyperlink(link(last, target, Format::default())),
                )
                .width(grid[n], WidthType::Dxa);
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color("AAAAAA")
    };
    // Word's line box is taller than Typst's (ascender to descender, not cap height to
    // baseline), so less vertical padding gives rows of the PDF's height.
    Table::new(rows)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(30, 60, 30, 60))
        .set_borders(
            TableBorders::with_empty()
                .set(border(TableBorderPosition::Top))
                .set(border(TableBorderPosition::Left))
                .set(border(TableBorderPosition::Bottom))
                .set(border(TableBorderPosition::Right))
                .set(border(TableBorderPosition::InsideH))
                .set(border(TableBorderPosition::InsideV)),
        )
}

/// Marks each table's first row as its header row (`w:tblHeader`: repeated on every page),
/// which `docx-rs` cannot express. Every first row carries `w:cantSplit`, so its `w:trPr`
/// exists; case text cannot contain `<w:tbl>` because the writer escapes `<`.
fn mark_header_rows(document: &mut Vec<u8>) {
    let Ok(text) = std::str::from_utf8(document) else {
        return;
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        match after.find("<w:trPr>") {
            Some(tr) => {
                let tr = tr + "<w:trPr>".len();
                out.push_str(&after[..tr]);
                out.push_str("<w:tblHeader />");
                rest = &after[tr..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    *document = out.into_bytes();
}

/// The most a reference document's styles part may inflate to.
const MAX_STYLES_BYTES: u64 = 8 * 1024 * 1024;

/// `word/styles.xml` of a reference document.
fn reference_styles(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bad = |why: String| {
        Diagnostic::error(Code::DocxReference, why)
            .hint("pass a .docx saved by Word or LibreOffice; its styles are used for the letter")
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        bad(format!(
            "the reference document is not a DOCX (zip) file: {e}"
        ))
    })?;
    let mut entry = archive
        .by_name("word/styles.xml")
        .map_err(|_| bad("the reference document has no `word/styles.xml`".into()))?;
    // Read with a bound: a small archive can inflate to gigabytes.
    let mut text = String::new();
    (&mut entry)
        .take(MAX_STYLES_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| {
            bad(format!(
                "cannot read the reference's `word/styles.xml`: {e}"
            ))
        })?;
    if text.len() as u64 > MAX_STYLES_BYTES {
        return Err(bad(format!(
            "the reference's `word/styles.xml` is larger than {MAX_STYLES_BYTES} bytes; a styles part is a few hundred kilobytes"
        )));
    }
    if !text.contains("</w:styles>") {
        return Err(bad(
            "the reference's `word/styles.xml` has no `</w:styles>`".into(),
        ));
    }
    Ok(text)
}

/// Every `w:styleId` value in a styles part.
fn style_ids(xml: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("w:styleId=\"") {
        rest = &rest[at + "w:styleId=\"".len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        ids.push(&rest[..end]);
        rest = &rest[end..];
    }
    ids
}

/// The reference's styles, plus ours for every id it does not define. Both parts are trusted
/// XML (ours from `docx-rs`, theirs a file the user chose); no case text is involved.
fn merge_styles(theirs: &str, ours: &[u8]) -> Vec<u8> {
    let ours = String::from_utf8_lossy(ours);
    let have: std::collections::HashSet<&str> = style_ids(theirs).into_iter().collect();
    let mut missing = String::new();
    let mut rest: &str = &ours;
    while let Some(start) = rest.find("<w:style ") {
        let Some(len) = rest[start..].find("</w:style>") else {
            break;
        };
        let element = &rest[start..start + len + "</w:style>".len()];
        if let Some(id) = style_ids(element).first()
            && !have.contains(id)
        {
            missing.push_str(element);
        }
        rest = &rest[start + element.len()..];
    }
    let at = theirs.rfind("</w:styles>").unwrap_or(theirs.len());
    let mut merged = String::with_capacity(theirs.len() + missing.len());
    merged.push_str(&theirs[..at]);
    merged.push_str(&missing);
    merged.push_str(&theirs[at..]);
    merged.into_bytes()
}

/// Writes the parts as a zip in a fixed order, every entry stamped with the letter date.
fn pack(xml: docx_rs::XMLDocx, document: &Document) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut date = document
        .date_iso
        .split('-')
        .map(|p| p.parse::<u16>().unwrap_or(1));
    let (y, m, d) = (
        date.next().unwrap_or(1980),
        date.next().unwrap_or(1),
        date.next().unwrap_or(1),
    );
    // Zip dates run from 1980 to 2107; outside that, the format's own default.
    let time = zip::DateTime::from_date_and_time(y, m as u8, d as u8, 0, 0, 0).unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), xml.document),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), xml.footnotes),
    ];
    // Header and footer file names must match the relationships docx-rs wrote.
    for (i, h) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    embed_fonts(&mut parts);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    // The font parts, compressed once per process, are copied in as they are, dated as the rest.
    let mut fonts = zip::ZipArchive::new(Cursor::new(embedded_fonts().packed.as_slice()))?;
    for i in 0..fonts.len() {
        zip.raw_copy_file_touch(fonts.by_index_raw(i)?, time, Some(0o644))?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The letter's font travels with it: Noto Serif's four styles embedded as Word does it
/// (obfuscated TrueType parts, `word/fonts/*.odttf`, named in the font table with their keys), so
/// Word and LibreOffice set the letter in the PDF's serif rather than whatever they find (a sans
/// serif, on a machine without Noto Serif). The keys come from the fonts' own hashes, so the same
/// inputs still give the same bytes.
fn embed_fonts(parts: &mut Vec<(String, Vec<u8>)>) {
    let EmbeddedFonts { entries, rels, .. } = embedded_fonts();
    for (name, bytes) in parts.iter_mut() {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let changed = match name.as_str() {
            "word/fontTable.xml" => text.replacen(
                "</w:fonts>",
                &format!(
                    r#"<w:font w:name="{FONT}"><w:altName w:val="Times New Roman" /><w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" />{entries}</w:font></w:fonts>"#
                ),
                1,
            ),
            "[Content_Types].xml" => text.replacen(
                "<Default ",
                r#"<Default ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont" Extension="odttf" /><Default "#,
                1,
            ),
            "word/settings.xml" => match text.find("<w:settings ") {
                Some(at) => {
                    let close = at + text[at..].find('>').unwrap_or(0) + 1;
                    format!(
                        "{}<w:embedTrueTypeFonts />{}",
                        &text[..close],
                        &text[close..]
                    )
                }
                None => text,
            },
            _ => continue,
        };
        *bytes = changed.into_bytes();
    }
    parts.push((
        "word/_rels/fontTable.xml.rels".to_string(),
        rels.clone().into_bytes(),
    ));
}

/// What embedding the fonts adds to every DOCX, worked out once per process: the font table's
/// entries, the relationships part and the obfuscated font parts (hashing, obfuscating and
/// compressing 2.5 MB of fonts again for each letter of a batch took 16 ms a letter).
struct EmbeddedFonts {
    entries: String,
    rels: String,
    /// The font parts (`word/fonts/*.odttf`) as a zip of their own, compressed, to be copied
    /// into each DOCX without compressing them again.
    packed: Vec<u8>,
}

static FONTS: std::sync::OnceLock<EmbeddedFonts> = std::sync::OnceLock::new();

/// Whether the embedded fonts still have to be prepared (the first DOCX of a process): about
/// 20 ms of hashing, obfuscating and compressing, which `output::render` does on another core
/// while the PDF is typeset.
pub fn fonts_pending() -> bool {
    FONTS.get().is_none()
}

/// Prepares the embedded fonts now, if not done yet.
pub fn prepare_fonts() {
    embedded_fonts();
}

fn embedded_fonts() -> &'static EmbeddedFonts {
    use std::fmt::Write as _;
    FONTS.get_or_init(|| {
        const STYLES: [&str; 4] = ["Regular", "Bold", "Italic", "BoldItalic"];
        let mut entries = String::new();
        let mut rels = String::new();
        let mut fonts = Vec::new();
        for (i, (face, style)) in crate::pdf::text_faces().iter().zip(STYLES).enumerate() {
            let hash = crate::provenance::sha256(face);
            let guid = format!(
                "{{{}-{}-{}-{}-{}}}",
                &hash[0..8],
                &hash[8..12],
                &hash[12..16],
                &hash[16..20],
                &hash[20..32]
            )
            .to_uppercase();
            let id = format!("rIdFont{}", i + 1);
            let _ = write!(
                entries,
                r#"<w:embed{style} r:id="{id}" w:fontKey="{guid}" />"#
            );
            let _ = write!(
                rels,
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="fonts/font{}.odttf" />"#,
                i + 1
            );
            fonts.push((
                format!("word/fonts/font{}.odttf", i + 1),
                obfuscate(face, &guid),
            ));
        }
        let rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        );
        EmbeddedFonts {
            entries,
            rels,
            packed: pack_fonts(&fonts).expect("zipping in memory cannot fail"),
        }
    })
}

/// The font parts, zipped: with the archive's options, at deflate's fastest level, which keeps
/// them about as small (fonts compress poorly anyway) at a third of the time.
fn pack_fonts(fonts: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in fonts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A font part as Word stores an embedded font: the first 32 bytes XORed with the key, which is
/// the GUID's 16 bytes in reverse order (ECMA-376 Part 1, 17.8.1; as LibreOffice reads it).
fn obfuscate(font: &[u8], guid: &str) -> Vec<u8> {
    let hex: Vec<u8> = guid
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("00"), 16).unwrap_or(0))
        .collect();
    let key: Vec<u8> = hex.iter().rev().copied().collect();
    let mut out = font.to_vec();
    for i in 0..32.min(out.len()) {
        out[i] ^= key[i % 16];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked_once_per_table() {
        let mut xml = b"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl><w:tbl><w:tr><w:trPr></w:trPr></w:tr></w:tbl>".to_vec();
        mark_header_rows(&mut xml);
        let text = String::from_utf8(xml).unwrap();
        assert_eq!(text.matches("<w:tblHeader />").count(), 2);
        assert!(text.starts_with("<w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit />"));
    }

    #[test]
    fn reference_styles_win_and_ours_fill_the_gaps() {
        let theirs = r#"<w:styles><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Theirs"/></w:style></w:styles>"#;
        let ours = br#"<w:styles><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Ours"/></w:style><w:style w:type="paragraph" w:styleId="VtsNumbered"><w:name w:val="N"/></w:style></w:styles>"#;
        let merged = String::from_utf8(merge_styles(theirs, ours)).unwrap();
        assert!(merged.contains("Theirs"));
        assert!(!merged.contains("Ours"));
        assert!(merged.contains(r#"w:styleId="VtsNumbered""#));
        assert!(merged.ends_with("</w:styles>"));
    }

    #[test]
    fn control_characters_cannot_break_the_xml() {
        assert_eq!(clean("a\u{7}b\tc"), "a\u{FFFD}b\tc");
    }

    #[test]
    fn paragraph_numbers_follow_the_document() {
        let mut n = Numbers::default();
        let first = n.paragraph(1);
        assert_eq!(first, FIRST_NUM);
        assert_eq!(n.paragraph(2), first);
        let list = n.list(true);
        assert_eq!(n.paragraph(3), first);
        // A gap restarts at the document's number.
        let restart = n.paragraph(7);
        assert_ne!(restart, first);
        assert_ne!(restart, list);
        assert_eq!(n.nums.last(), Some(&(restart, ABSTRACT_PARAS, Some(7))));
    }
}
