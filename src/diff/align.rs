//! Alignment: the two letters' headings, sections, blocks, lines and table rows paired up, and
//! each pair compared word by word.

use std::collections::BTreeMap;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::words::{Tok, inline_tokens, runs_of, text_tokens, word_diff};
use super::*;
use crate::assembly::{Block, Document, Inline, SectionKind, Table};

/// Old and new items paired up: the same item in both, or one only in one draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pair {
    Both(usize, usize),
    Old(usize),
    New(usize),
}

/// How alike two texts must be, by words, to be shown as one edited item rather than one
/// removed and another added.
pub(super) const SIMILAR: f32 = 0.5;

pub(super) fn similarity(a: &str, b: &str) -> f32 {
    if a.len() + b.len() <= MAX_SIMILARITY_BYTES {
        return similar::TextDiff::from_words(a, b).ratio();
    }
    // Long texts: the share of words the two have in common, counted with repeats. Linear,
    // where a word diff of two long, different texts is quadratic.
    let mut counts: std::collections::HashMap<&str, i64> = Default::default();
    for word in a.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    let mut common = 0;
    for word in b.split_whitespace() {
        if let Some(n) = counts.get_mut(word).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    let total = a.split_whitespace().count() + b.split_whitespace().count();
    if total == 0 {
        1.0
    } else {
        2.0 * common as f32 / total as f32
    }
}

/// Texts longer than this together are compared by their words in common, not by a word diff.
const MAX_SIMILARITY_BYTES: usize = 4_000;

/// Replaced stretches with more candidate pairs than this are not paired by similarity: their
/// items are shown as removed and added.
const MAX_PAIRINGS: usize = 2_500;

/// Aligns two sequences by their texts: identical texts pair up first (patience diff), then,
/// inside each replaced stretch, items pair up when their words are similar enough.
pub(super) fn align(old: &[String], new: &[String]) -> Vec<Pair> {
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(o.zip(n).map(|(i, j)| Pair::Both(i, j))),
            DiffTag::Delete => out.extend(o.map(Pair::Old)),
            DiffTag::Insert => out.extend(n.map(Pair::New)),
            DiffTag::Replace => out.extend(pair_similar(old, new, o, n)),
        }
    }
    out
}

/// Inside a replaced stretch, the order-preserving pairing of similar items with the greatest
/// total similarity (a weighted longest common subsequence), so that, say, renumbered rows of
/// the evidence index pair up as edits even when another row moved past them.
pub(super) fn pair_similar(
    old: &[String],
    new: &[String],
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
) -> Vec<Pair> {
    let (rows, cols) = (o.len(), n.len());
    if rows * cols > MAX_PAIRINGS {
        return o.map(Pair::Old).chain(n.map(Pair::New)).collect();
    }
    let sim: Vec<Vec<f32>> = o
        .clone()
        .map(|i| n.clone().map(|j| similarity(&old[i], &new[j])).collect())
        .collect();
    // best[i][j]: the best total for old[i..] against new[j..].
    let mut best = vec![vec![0f32; cols + 1]; rows + 1];
    for i in (0..rows).rev() {
        for j in (0..cols).rev() {
            let mut b = best[i + 1][j].max(best[i][j + 1]);
            if sim[i][j] >= SIMILAR {
                b = b.max(sim[i][j] + best[i + 1][j + 1]);
            }
            best[i][j] = b;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < rows && j < cols {
        if sim[i][j] >= SIMILAR && best[i][j] == sim[i][j] + best[i + 1][j + 1] {
            out.push(Pair::Both(o.start + i, n.start + j));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            out.push(Pair::Old(o.start + i));
            i += 1;
        } else {
            out.push(Pair::New(n.start + j));
            j += 1;
        }
    }
    out.extend((i..rows).map(|i| Pair::Old(o.start + i)));
    out.extend((j..cols).map(|j| Pair::New(n.start + j)));
    out
}

pub(super) fn compare_tokens(old: Vec<Tok>, new: Vec<Tok>) -> (Status, Vec<Run>) {
    if old == new {
        (Status::Same, runs_of(Op::Equal, &new))
    } else {
        (Status::Changed, word_diff(&old, &new))
    }
}

/// Lines of the heading (or list items) aligned by text, word diffs inside changed ones.
pub(super) fn compare_lines(old: &[Vec<Tok>], new: &[Vec<Tok>]) -> Vec<Line> {
    let text = |toks: &Vec<Tok>| toks.iter().map(|t| t.text.as_str()).collect::<String>();
    let old_text: Vec<String> = old.iter().map(text).collect();
    let new_text: Vec<String> = new.iter().map(text).collect();
    align(&old_text, &new_text)
        .into_iter()
        .map(|pair| match pair {
            Pair::Both(i, j) => {
                let (status, runs) = compare_tokens(old[i].clone(), new[j].clone());
                Line {
                    status,
                    label: None,
                    runs,
                }
            }
            Pair::Old(i) => Line {
                status: Status::Removed,
                label: None,
                runs: runs_of(Op::Delete, &old[i]),
            },
            Pair::New(j) => Line {
                status: Status::Added,
                label: None,
                runs: runs_of(Op::Insert, &new[j]),
            },
        })
        .collect()
}

pub(super) fn string_lines(old: &[String], new: &[String]) -> Vec<Line> {
    let tok = |v: &[String]| v.iter().map(|s| text_tokens(s)).collect::<Vec<_>>();
    compare_lines(&tok(old), &tok(new))
}

pub(super) fn compare_heading(old: &Document, new: &Document) -> Heading {
    let one = |s: &String| std::slice::from_ref(s).to_vec();
    let subject = |d: &Document| d.subject.lines().map(str::to_string).collect::<Vec<_>>();
    // References align by label: a changed UAN is one edited line, whatever else moved.
    let labels = |d: &Document| d.references.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    let references = align(&labels(old), &labels(new))
        .into_iter()
        .map(|pair| {
            let (label, status, runs) = match pair {
                Pair::Both(i, j) => {
                    let (status, runs) = compare_tokens(
                        text_tokens(&old.references[i].1),
                        text_tokens(&new.references[j].1),
                    );
                    let status = if old.references[i].0 == new.references[j].0 {
                        status
                    } else {
                        Status::Changed
                    };
                    (new.references[j].0.clone(), status, runs)
                }
                Pair::Old(i) => (
                    old.references[i].0.clone(),
                    Status::Removed,
                    runs_of(Op::Delete, &text_tokens(&old.references[i].1)),
                ),
                Pair::New(j) => (
                    new.references[j].0.clone(),
                    Status::Added,
                    runs_of(Op::Insert, &text_tokens(&new.references[j].1)),
                ),
            };
            Line {
                status,
                label: Some(label),
                runs,
            }
        })
        .collect();
    Heading {
        firm_name: string_lines(&one(&old.firm_name), &one(&new.firm_name)),
        letterhead: string_lines(&old.letterhead, &new.letterhead),
        date: string_lines(&one(&old.date), &one(&new.date)),
        addressee: string_lines(&old.addressee, &new.addressee),
        references,
        subject: string_lines(&subject(old), &subject(new)),
        flags: string_lines(&old.flags, &new.flags),
        salutation: string_lines(&one(&old.salutation), &one(&new.salutation)),
        closing: string_lines(&one(&old.closing), &one(&new.closing)),
        signatory: string_lines(&old.signatory, &new.signatory),
    }
}

/// Sections are printed in a fixed order, so they align by that order, not by a diff.
pub(super) fn compare_sections(old: &Document, new: &Document) -> Vec<SectionDiff> {
    // Sections pair up by kind, in letter order.
    let mut keys: BTreeMap<SectionKind, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, s) in old.sections.iter().enumerate() {
        keys.entry(s.key).or_default().0 = Some(i);
    }
    for (j, s) in new.sections.iter().enumerate() {
        keys.entry(s.key).or_default().1 = Some(j);
    }
    keys.into_iter()
        .map(|(key, pair)| match pair {
            (Some(i), Some(j)) => {
                let (o, n) = (&old.sections[i], &new.sections[j]);
                let (heading_status, heading) =
                    compare_tokens(text_tokens(&o.heading), text_tokens(&n.heading));
                let blocks = compare_blocks(&o.blocks, &n.blocks);
                let same = heading_status == Status::Same
                    && blocks.iter().all(|b| b.status == Status::Same);
                SectionDiff {
                    key,
                    status: if same { Status::Same } else { Status::Changed },
                    heading,
                    blocks,
                }
            }
            (Some(i), None) => {
                let o = &old.sections[i];
                SectionDiff {
                    key,
                    status: Status::Removed,
                    heading: runs_of(Op::Delete, &text_tokens(&o.heading)),
                    blocks: o.blocks.iter().map(|b| one_side(b, Op::Delete)).collect(),
                }
            }
            (_, j) => {
                let n = &new.sections[j.expect("every key comes from one side")];
                SectionDiff {
                    key,
                    status: Status::Added,
                    heading: runs_of(Op::Insert, &text_tokens(&n.heading)),
                    blocks: n.blocks.iter().map(|b| one_side(b, Op::Insert)).collect(),
                }
            }
        })
        .collect()
}

pub(super) fn block_clause(block: &Block) -> String {
    match block {
        Block::Para { clause, .. } | Block::List { clause, .. } => clause.clone(),
        Block::Table(t) => format!("table:{}", t.name),
    }
}

/// The text blocks align by: its kind, then what a reader sees.
pub(super) fn block_key(block: &Block) -> String {
    let kind = match block {
        Block::Para { .. } => "para",
        Block::List { .. } => "list",
        Block::Table(_) => "table",
    };
    format!("{kind}\u{1f}{}", block.plain_text())
}

/// Blocks of one section: first by clause (each clause's blocks form one run, and the runs
/// align by clause id), then inside a clause present in both drafts, by text.
pub(super) fn compare_blocks(old: &[Block], new: &[Block]) -> Vec<BlockDiff> {
    fn runs(blocks: &[Block]) -> Vec<(String, Vec<&Block>)> {
        let mut out: Vec<(String, Vec<&Block>)> = Vec::new();
        for b in blocks {
            let clause = block_clause(b);
            match out.last_mut() {
                Some((c, v)) if *c == clause => v.push(b),
                _ => out.push((clause, vec![b])),
            }
        }
        out
    }
    let (old_runs, new_runs) = (runs(old), runs(new));
    let old_keys: Vec<&str> = old_runs.iter().map(|r| r.0.as_str()).collect();
    let new_keys: Vec<&str> = new_runs.iter().map(|r| r.0.as_str()).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (i, j) in o.zip(n) {
                    let (ob, nb) = (&old_runs[i].1, &new_runs[j].1);
                    let ok: Vec<String> = ob.iter().map(|b| block_key(b)).collect();
                    let nk: Vec<String> = nb.iter().map(|b| block_key(b)).collect();
                    for pair in align(&ok, &nk) {
                        match pair {
                            Pair::Both(a, b) => out.extend(compare_block(ob[a], nb[b])),
                            Pair::Old(a) => out.push(one_side(ob[a], Op::Delete)),
                            Pair::New(b) => out.push(one_side(nb[b], Op::Insert)),
                        }
                    }
                }
            }
            _ => {
                for i in o {
                    out.extend(old_runs[i].1.iter().map(|b| one_side(b, Op::Delete)));
                }
                for j in n {
                    out.extend(new_runs[j].1.iter().map(|b| one_side(b, Op::Insert)));
                }
            }
        }
    }
    out
}

/// A block only in one draft: all of it deleted or inserted.
pub(super) fn one_side(block: &Block, op: Op) -> BlockDiff {
    let (status, row_status) = match op {
        Op::Delete => (Status::Removed, Status::Removed),
        _ => (Status::Added, Status::Added),
    };
    let number = match block {
        Block::Para { number, .. } => Some(*number),
        _ => None,
    };
    let body = match block {
        Block::Para { content, .. } => BlockBody::Para {
            runs: runs_of(op, &inline_tokens(content)),
        },
        Block::List { ordered, items, .. } => BlockBody::List {
            ordered: *ordered,
            items: items
                .iter()
                .map(|i| Line {
                    status: row_status,
                    label: None,
                    runs: runs_of(op, &inline_tokens(i)),
                })
                .collect(),
        },
        Block::Table(t) => BlockBody::Table {
            name: t.name.clone(),
            columns: t.columns.clone(),
            widths: t.widths.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| Row {
                    status: row_status,
                    cells: r.iter().map(|c| runs_of(op, &text_tokens(c))).collect(),
                })
                .collect(),
        },
    };
    BlockDiff {
        status,
        clause: match block {
            Block::Table(_) => String::new(),
            other => block_clause(other),
        },
        old_number: if op == Op::Delete { number } else { None },
        new_number: if op == Op::Insert { number } else { None },
        body,
    }
}

pub(super) fn compare_block(old: &Block, new: &Block) -> Vec<BlockDiff> {
    match (old, new) {
        (
            Block::Para {
                number: on,
                content: oc,
                ..
            },
            Block::Para {
                number: nn,
                clause,
                content: nc,
                ..
            },
        ) => {
            let (status, runs) = compare_tokens(inline_tokens(oc), inline_tokens(nc));
            vec![BlockDiff {
                status,
                clause: clause.clone(),
                old_number: Some(*on),
                new_number: Some(*nn),
                body: BlockBody::Para { runs },
            }]
        }
        (
            Block::List { items: oi, .. },
            Block::List {
                ordered,
                clause,
                items: ni,
                ..
            },
        ) => {
            let tok = |v: &[Vec<Inline>]| v.iter().map(|i| inline_tokens(i)).collect::<Vec<_>>();
            let items = compare_lines(&tok(oi), &tok(ni));
            let same = old == new || items.iter().all(|l| l.status == Status::Same);
            vec![BlockDiff {
                status: if same { Status::Same } else { Status::Changed },
                clause: clause.clone(),
                old_number: None,
                new_number: None,
                body: BlockBody::List {
                    ordered: *ordered,
                    items,
                },
            }]
        }
        (Block::Table(o), Block::Table(n)) => vec![compare_table(o, n)],
        _ => vec![one_side(old, Op::Delete), one_side(new, Op::Insert)],
    }
}

/// Tables compare row by row (rows aligned by their text), cell by cell inside edited rows.
pub(super) fn compare_table(old: &Table, new: &Table) -> BlockDiff {
    let text = |r: &Vec<String>| r.join("\t");
    let ok: Vec<String> = old.rows.iter().map(text).collect();
    let nk: Vec<String> = new.rows.iter().map(text).collect();
    let rows: Vec<Row> = align(&ok, &nk)
        .into_iter()
        .map(|pair| match pair {
            Pair::Both(i, j) => {
                let (o, n) = (&old.rows[i], &new.rows[j]);
                let cells: Vec<(Status, Vec<Run>)> = (0..o.len().max(n.len()))
                    .map(|c| {
                        let cell =
                            |r: &Vec<String>| text_tokens(r.get(c).map_or("", |s| s.as_str()));
                        compare_tokens(cell(o), cell(n))
                    })
                    .collect();
                let same = cells.iter().all(|c| c.0 == Status::Same);
                Row {
                    status: if same { Status::Same } else { Status::Changed },
                    cells: cells.into_iter().map(|c| c.1).collect(),
                }
            }
            Pair::Old(i) => Row {
                status: Status::Removed,
                cells: old.rows[i]
                    .iter()
                    .map(|c| runs_of(Op::Delete, &text_tokens(c)))
                    .collect(),
            },
            Pair::New(j) => Row {
                status: Status::Added,
                cells: new.rows[j]
                    .iter()
                    .map(|c| runs_of(Op::Insert, &text_tokens(c)))
                    .collect(),
            },
        })
        .collect();
    let same = old.columns == new.columns && rows.iter().all(|r| r.status == Status::Same);
    BlockDiff {
        status: if same { Status::Same } else { Status::Changed },
        clause: String::new(),
        old_number: None,
        new_number: None,
        body: BlockBody::Table {
            name: new.name.clone(),
            columns: new.columns.clone(),
            widths: new.widths.clone(),
            rows,
        },
    }
}

pub(super) fn stats(heading: &Heading, sections: &[SectionDiff]) -> Stats {
    let mut s = Stats {
        heading_lines_changed: heading
            .fields()
            .iter()
            .flat_map(|(_, lines)| lines.iter())
            .filter(|l| l.status != Status::Same)
            .count(),
        ..Stats::default()
    };
    for section in sections {
        if section.status != Status::Same && section.blocks.is_empty() {
            s.heading_lines_changed += 1;
        }
        for block in &section.blocks {
            match &block.body {
                BlockBody::Table { rows, .. } => {
                    for row in rows {
                        match row.status {
                            Status::Same => {}
                            Status::Changed => s.rows_changed += 1,
                            Status::Added => s.rows_added += 1,
                            Status::Removed => s.rows_removed += 1,
                        }
                    }
                }
                _ => match block.status {
                    Status::Same => {}
                    Status::Changed => s.paragraphs_changed += 1,
                    Status::Added => s.paragraphs_added += 1,
                    Status::Removed => s.paragraphs_removed += 1,
                },
            }
        }
        // A heading edited in place (a renamed section) counts as a heading change.
        if section.status == Status::Changed && section.heading.iter().any(|r| r.op != Op::Equal) {
            s.heading_lines_changed += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_pairs_similar_lines_and_keeps_new_ones_apart() {
        let old = vec!["one two three four".to_string(), "alpha beta".to_string()];
        let new = vec![
            "something else entirely".to_string(),
            "one two three five".to_string(),
            "alpha beta".to_string(),
        ];
        assert_eq!(
            align(&old, &new),
            vec![Pair::New(0), Pair::Both(0, 1), Pair::Both(1, 2)]
        );
    }
}
