//! Reads a case file (TOML or JSON) into a validated [`Case`], collecting every problem.

use std::path::{Path, PathBuf};

use super::date::{PartialDate, age_on};
use super::model::{
    AgeChallengeStage, AppealOutcome, CareStatus, Case, DeportationStatus, EvidenceStatus,
    LetterMode, NonPunishmentOutcome, Outcome, PreviousDecisionKind, Representative,
    RevocationOutcome, TreatmentStatus,
};
use super::node::{Node, Value as NodeValue, parse_json, parse_toml};
use super::repair::{Refused, repair};
use super::schema;
use super::schema::Shape;
use super::validate::{Origin, normalize_choices, push_index, push_name, validate};
use crate::diag::{Code, Diagnostic, Location, did_you_mean, has_errors};

/// Case files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Tables and lists nested deeper than this are refused (the model is 4 levels deep).
pub const MAX_DEPTH: usize = 12;

/// A case that passed validation, with what it was read from.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub path: PathBuf,
    /// The file's text; empty for cases built from CSV rows.
    pub text: String,
    /// For a CSV row, its line in the file: every field of a row is on that line.
    pub row_line: Option<u32>,
    pub tree: Node,
    pub case: Case,
    /// Warnings found while loading (errors make loading fail).
    pub warnings: Vec<Diagnostic>,
}

impl LoadedCase {
    /// The location of a field path, for diagnostics raised after loading.
    pub fn location(&self, path: &str) -> Location {
        if self.text.is_empty() {
            return row_location(&self.path, self.row_line);
        }
        let node = self.tree.locate(path);
        if !std::ptr::eq(node, &self.tree) {
            return Location::at(&self.path, &self.text, node.span.start);
        }
        // Nothing on the path is in the file: point where the answer would go, not at line 1,
        // at the start of that line (a table made by `[[health.conditions]]` starts inside it).
        let offset = self.nearest_table(path);
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Location::at(&self.path, &self.text, line_start)
    }

    /// For a path none of which is in the file: the offset of its table's header left
    /// commented out (as `vtsdraft new` writes optional sections), else of the nearest table
    /// that exists, the one before it in the model's order (after which it would be written)
    /// or failing that the one after; else the start of the file.
    fn nearest_table(&self, path: &str) -> usize {
        let tables: Vec<&str> = path
            .split('.')
            .map(|s| s.split('[').next().unwrap_or(s))
            .collect();
        let mut offset = 0;
        let mut best: Option<(usize, usize)> = None;
        for line in self.text.split_inclusive('\n') {
            if let Some(header) = line.trim().strip_prefix('#').map(str::trim)
                && let Some(name) = header
                    .strip_prefix("[[")
                    .and_then(|h| h.strip_suffix("]]"))
                    .or_else(|| header.strip_prefix('[').and_then(|h| h.strip_suffix(']')))
            {
                let depth = name.split('.').count();
                if name
                    .split('.')
                    .map(str::trim)
                    .eq(tables[..depth.min(tables.len())].iter().copied())
                    && depth <= tables.len()
                    && best.is_none_or(|(d, _)| depth > d)
                {
                    best = Some((depth, offset));
                }
            }
            offset += line.len();
        }
        if let Some((_, offset)) = best {
            return offset;
        }
        let sections = super::schema::case().fields();
        let Some(at) = sections.iter().position(|f| f.name == tables[0]) else {
            return 0;
        };
        let present = |f: &super::schema::Field| self.tree.get(&f.name).map(|n| n.span.start);
        sections[..at]
            .iter()
            .rev()
            .find_map(present)
            .or_else(|| sections[at + 1..].iter().find_map(present))
            .unwrap_or(0)
    }
}

/// The file formats case files come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// From the file extension; anything but `.json` is read as TOML.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// Reads raw bytes into text, refusing what cannot be a case file.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error(
            Code::Unreadable,
            format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
        )
        .hint("check the path; `vtsdraft new case.toml` writes a questionnaire to fill in")
    })?;
    if metadata.is_dir() {
        return Err(Diagnostic::error(
            Code::Unreadable,
            format!("`{}` is a folder, not a case file", path.display()),
        )
        .hint("use `vtsdraft batch` for a folder of cases"));
    }
    if metadata.len() as usize > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "`{}` is {} bytes; case files are limited to {} bytes",
                path.display(),
                metadata.len(),
                MAX_FILE_BYTES
            ),
        )
        .at(Location::file(path)));
    }
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|e| match e {
        Bounded::TooLarge => Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "`{}` is larger than {MAX_FILE_BYTES} bytes; case files are limited to {MAX_FILE_BYTES} bytes",
                path.display()
            ),
        )
        .at(Location::file(path)),
        Bounded::Io(e) => Diagnostic::error(
            Code::Unreadable,
            format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
        ),
    })?;
    decode(path, bytes)
}

/// Why [`read_bounded`] failed.
#[derive(Debug)]
pub enum Bounded {
    /// More than the limit: the file, device or pipe was not read to its end.
    TooLarge,
    Io(std::io::Error),
}

/// Reads at most `limit` bytes of `path`, whatever it is: the size a file reports is not trusted
/// (devices and pipes report none), so reading stops one byte past the limit.
pub fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, Bounded> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(Bounded::Io)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(Bounded::Io)?;
    if bytes.len() > limit {
        return Err(Bounded::TooLarge);
    }
    Ok(bytes)
}

/// UTF-8 (with or without a byte-order mark) to text.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
        Diagnostic::error(
            Code::NotUtf8,
            format!(
                "`{}` is not UTF-8 text (invalid byte after byte {offset})",
                path.display()
            ),
        )
        .at(Location::at(path, &text, offset))
        .hint("save the file as UTF-8; spreadsheets and word processors have a \"UTF-8\" option")
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Loads and validates a case file.
pub fn load(path: &Path, firm: Option<&Representative>) -> Result<LoadedCase, Vec<Diagnostic>> {
    let text = read_text(path).map_err(|d| vec![d])?;
    load_str(path, text, Format::of(path), firm)
}

/// Loads and validates case text; `path` is used in messages only.
pub fn load_str(
    path: &Path,
    text: String,
    format: Format,
    firm: Option<&Representative>,
) -> Result<LoadedCase, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(Code::EmptyFile, format!("`{}` is empty", path.display()))
                .at(Location::file(path))
                .hint("`vtsdraft new case.toml` writes a questionnaire to fill in"),
        ]);
    }
    let parsed = match format {
        Format::Toml => parse_toml(&text),
        Format::Json => parse_json(&text),
    };
    let tree = parsed.map_err(|e| {
        let kind = if format == Format::Json { "JSON" } else { "TOML" };
        vec![
            Diagnostic::error(Code::Syntax, format!("the file is not valid {kind}: {}", e.message))
                .at(Location::at(path, &text, e.offset))
                .hint(if e.message.contains("depth") {
                    // Both parsers stop at a nesting limit; a missing bracket is not the cause.
                    "brackets or tables are nested far deeper than a case ever needs; the file is damaged or is not a case file"
                } else if format == Format::Json {
                    "check for a missing comma, quote or closing bracket near this point"
                } else {
                    "check for a missing quote or `=`; text values need quotes, e.g. `full_name = \"A. Client\"`"
                }),
        ]
    })?;
    from_tree(path, text, tree, firm)
}

/// Validates an already-parsed tree (TOML, JSON or a CSV row).
pub fn from_tree(
    path: &Path,
    text: String,
    tree: Node,
    firm: Option<&Representative>,
) -> Result<LoadedCase, Vec<Diagnostic>> {
    load_tree(path, text, None, tree, firm)
}

/// Validates a CSV row's tree. The row carries its line, not the file's text: every field of a
/// row is on that line, and copying (and scanning) the whole file for each row made reading a
/// CSV quadratic in its rows.
pub fn from_row(
    path: &Path,
    line: u32,
    tree: Node,
    firm: Option<&Representative>,
) -> Result<LoadedCase, Vec<Diagnostic>> {
    load_tree(path, String::new(), Some(line), tree, firm)
}

/// The location of anything in a CSV row (its line), or of the whole file.
pub fn row_location(path: &Path, line: Option<u32>) -> Location {
    match line {
        Some(line) => Location {
            file: path.to_path_buf(),
            line,
            column: 1,
        },
        None => Location::file(path),
    }
}

fn load_tree(
    path: &Path,
    text: String,
    row_line: Option<u32>,
    mut tree: Node,
    firm: Option<&Representative>,
) -> Result<LoadedCase, Vec<Diagnostic>> {
    let origin = Origin {
        file: path,
        text: if text.is_empty() { None } else { Some(&text) },
        line: row_line,
    };
    if depth(&tree) > MAX_DEPTH {
        return Err(vec![
            Diagnostic::error(
                Code::TooDeep,
                format!("tables are nested more than {MAX_DEPTH} levels deep"),
            )
            .at(Location::file(path)),
        ]);
    }
    normalize_choices(&mut tree, schema::case());
    let mut diagnostics = Vec::new();
    validate(&tree, schema::case(), "", &origin, &mut diagnostics);
    // Every refused answer is stood in for, so the checks across fields run in this pass too.
    let refused = Refused::new(
        diagnostics
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.field.clone()),
    );
    let modelled = match repair(&tree, schema::case(), &refused) {
        Some(fitted) => serde_json::from_value::<Case>(fitted.to_json()),
        None => return Err(in_file_order(diagnostics)),
    };
    let mut case = match modelled {
        Ok(case) => case,
        // A valid tree that does not fit the model is a bug; a repaired one that does not fit
        // only means the checks across fields wait for the next round.
        Err(_) if has_errors(&diagnostics) => return Err(in_file_order(diagnostics)),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(
                    Code::Internal,
                    format!("the validated case did not fit the model: {e}"),
                )
                .hint("this is a bug in vtsdraft; please report it"),
            ]);
        }
    };
    if case.representative.is_none() {
        case.representative = firm.cloned();
    }
    let mut loaded = LoadedCase {
        path: path.to_path_buf(),
        text,
        row_line,
        tree,
        case,
        warnings: Vec::new(),
    };
    diagnostics.extend(consistency(&loaded, &refused));
    let diagnostics = in_file_order(diagnostics);
    if has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    loaded.warnings = diagnostics;
    Ok(loaded)
}

/// Problems sorted by where they are in the file, so a paralegal can work down it; those at
/// no place in it come first, and the order found is kept within a place.
fn in_file_order(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    diagnostics
}

fn depth(node: &Node) -> usize {
    use super::node::Value;
    match &node.value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Table(entries) => 1 + entries.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// The immigration and criminal history's own consistency: appeals decided after they were
/// lodged, a revocation request that fits the deportation status, and a quashed conviction not
/// also listed as a conviction (the letter would otherwise argue it as one).
fn history(
    case: &Case,
    known: &dyn Fn(&[&str]) -> bool,
    err: &dyn Fn(Code, &str, String) -> Diagnostic,
    warn: &dyn Fn(Code, &str, String) -> Diagnostic,
    out: &mut Vec<Diagnostic>,
) {
    for (i, a) in case.immigration.asylum.appeals.iter().enumerate() {
        let lodged = format!("immigration.asylum.appeals[{i}].lodged");
        let decided = format!("immigration.asylum.appeals[{i}].decided");
        if let (Some(l), Some(d)) = (a.lodged, a.decided)
            && d.latest() < l.earliest()
            && known(&[&lodged, &decided])
        {
            out.push(
                err(
                    Code::DateOrder,
                    &decided,
                    format!(
                        "appeal {} is decided ({}) before it was lodged ({})",
                        i + 1,
                        d.uk(),
                        l.uk()
                    ),
                )
                .hint("check `lodged` and `decided`: an appeal is lodged first"),
            );
        }
        let outcome = format!("immigration.asylum.appeals[{i}].outcome");
        if a.outcome == AppealOutcome::Pending
            && a.decided.is_some()
            && known(&[&outcome, &decided])
        {
            out.push(
                warn(
                    Code::Contradiction,
                    &decided,
                    format!("appeal {} has a `decided` date but its outcome is `pending`", i + 1),
                )
                .hint("give the outcome (`allowed`, `dismissed` or `withdrawn`), or leave `decided` out while it is pending"),
            );
        }
    }
    let deportation = &case.immigration.deportation;
    if let Some(r) = &deportation.revocation_request {
        const STATUS: &str = "immigration.deportation.status";
        const OUTCOME: &str = "immigration.deportation.revocation_request.outcome";
        let has_order = matches!(
            deportation.status,
            DeportationStatus::OrderMade | DeportationStatus::Revoked
        );
        if !has_order && known(&[STATUS]) {
            out.push(
                err(
                    Code::Contradiction,
                    "immigration.deportation.revocation_request",
                    "a request to revoke a deportation order is recorded, but no order is: `immigration.deportation.status` is not `order_made` or `revoked`".into(),
                )
                .hint("set `status = \"order_made\"` (and `order_date`), or remove the revocation request"),
            );
        }
        if r.outcome == RevocationOutcome::Granted
            && deportation.status == DeportationStatus::OrderMade
            && known(&[STATUS, OUTCOME])
        {
            out.push(
                err(
                    Code::Contradiction,
                    OUTCOME,
                    "the request to revoke the deportation order was granted, but `immigration.deportation.status` is still `order_made`".into(),
                )
                .hint("set `immigration.deportation.status = \"revoked\"`"),
            );
        }
        let d = r.date;
        if let Some(o) = deportation.order_date
            && d.latest() < o.earliest()
            && known(&[
                "immigration.deportation.order_date",
                "immigration.deportation.revocation_request.date",
            ])
        {
            out.push(err(
                Code::DateOrder,
                "immigration.deportation.revocation_request.date",
                format!(
                    "the request to revoke the deportation order ({}) is dated before the order ({})",
                    d.uk(),
                    o.uk()
                ),
            ));
        }
    }
    for (i, n) in case.suitability.non_punishment.iter().enumerate() {
        let field = format!("suitability.non_punishment[{i}].outcome");
        if n.outcome == NonPunishmentOutcome::ConvictionQuashed
            && let Some(c) = case
                .suitability
                .convictions
                .iter()
                .position(|c| c.offence.trim().eq_ignore_ascii_case(n.offence.trim()))
            && known(&[&field, &format!("suitability.convictions[{c}].offence")])
        {
            out.push(
                err(
                    Code::Contradiction,
                    &format!("suitability.convictions[{c}]"),
                    format!(
                        "the conviction for `{}` is recorded as quashed (`suitability.non_punishment[{i}]`) and also as a conviction: the letter would argue it as a conviction",
                        n.offence.trim()
                    ),
                )
                .hint("a quashed conviction goes only in `suitability.non_punishment`: remove it from `suitability.convictions`"),
            );
        }
    }
}

/// The evidence references the file makes: the value of every field the model marks
/// `evidence-id` ([`super::schema::Field::evidence_ref`]), with its path, found by walking the
/// file's tree with the model's shape, so a reference field is checked as soon as the model
/// marks it.
///
/// `path` is grown and cut back in one buffer as the walk goes down and up.
fn evidence_references<'a>(
    node: &'a Node,
    shape: &Shape,
    path: &mut String,
    out: &mut Vec<(String, &'a str)>,
) {
    let parent = path.len();
    match (&node.value, shape) {
        (NodeValue::Table(entries), Shape::Table { fields, .. }) => {
            for (key, child) in entries {
                let Some(field) = fields.iter().find(|f| f.name == key.name) else {
                    continue;
                };
                push_name(path, &key.name);
                match &child.value {
                    NodeValue::Str(id) if field.evidence_ref => out.push((path.clone(), id)),
                    _ => evidence_references(child, &field.shape, path, out),
                }
                path.truncate(parent);
            }
        }
        (NodeValue::Array(items), Shape::List(inner)) => {
            for (i, item) in items.iter().enumerate() {
                push_index(path, i);
                evidence_references(item, inner, path, out);
                path.truncate(parent);
            }
        }
        _ => {}
    }
}

/// Checks that the facts make sense together: dates in order, references that resolve. A
/// check runs only when every answer it reads was accepted (see [`Refused`]).
fn consistency(loaded: &LoadedCase, refused: &Refused) -> Vec<Diagnostic> {
    let known = |paths: &[&str]| refused.all_known(paths);
    let case = &loaded.case;
    let mut out = Vec::new();
    let err = |code: Code, field: &str, message: String| {
        Diagnostic::error(code, message)
            .at(loaded.location(field))
            .field(field)
    };
    let warn = |code: Code, field: &str, message: String| {
        Diagnostic::warning(code, message)
            .at(loaded.location(field))
            .field(field)
    };
    let letter = case.matter.letter_date.0;
    let cg = &case.nrm.cg_decision;
    // Something that ends before it starts, on every day each date could be (either may be only
    // a month or a year): one check for each start and end the model has.
    let ends_before_start = |what: String,
                             (start_field, start): (&str, PartialDate),
                             (end_field, end): (&str, PartialDate),
                             hint: &str| {
        (end.latest() < start.earliest() && known(&[start_field, end_field])).then(|| {
            err(
                Code::DateOrder,
                end_field,
                format!(
                    "{what} ends ({}) before it starts ({})",
                    end.uk(),
                    start.uk()
                ),
            )
            .hint(hint)
        })
    };

    if case.representative.is_none() && known(&["representative"]) {
        out.push(
            Diagnostic::error(
                Code::MissingRepresentative,
                "no representative: the letter needs the firm's details",
            )
            .at(loaded.location("representative"))
            .field("representative")
            .hint("add a `[representative]` table to the case, or pass `--firm firm.toml`"),
        );
    }
    const LETTER: &str = "matter.letter_date";
    const CG: &str = "nrm.cg_decision.date";
    const DOB: &str = "client.dob_claimed";
    if cg.outcome == Outcome::Negative && known(&["nrm.cg_decision.outcome"]) {
        out.push(
            err(Code::NegativeCg, "nrm.cg_decision.outcome", "VTS leave needs a positive conclusive grounds decision, but `nrm.cg_decision.outcome` is `negative`".into())
                .hint("a negative CG decision is challenged by reconsideration or judicial review, not by VTS representations"),
        );
    }
    if cg.date.earliest() > letter && known(&[CG, LETTER]) {
        out.push(
            err(
                Code::FutureDate,
                "nrm.cg_decision.date",
                format!(
                    "the CG decision date {} is after the letter date {}",
                    cg.date.uk(),
                    case.matter.letter_date.uk()
                ),
            )
            .hint("expected a decision on or before `matter.letter_date`: check both dates"),
        );
    }
    if let Some(rg) = &case.nrm.rg_decision {
        if rg.date.earliest() > cg.date.latest() && known(&["nrm.rg_decision.date", CG]) {
            out.push(
                err(Code::DateOrder, "nrm.cg_decision.date", format!("the CG decision ({}) is dated before the RG decision ({})", cg.date.uk(), rg.date.uk()))
                    .hint("check `nrm.rg_decision.date` and `nrm.cg_decision.date`: the reasonable grounds decision comes first"),
            );
        }
        if let Some(referral) = &case.nrm.referral_date
            && referral.earliest() > rg.date.latest()
            && known(&["nrm.referral_date", "nrm.rg_decision.date"])
        {
            out.push(err(
                Code::DateOrder,
                "nrm.referral_date",
                format!(
                    "the NRM referral ({}) is dated after the RG decision ({})",
                    referral.uk(),
                    rg.date.uk()
                ),
            ));
        }
    }
    let asylum = &case.immigration.asylum;
    if let (Some(claim), Some(decision)) = (&asylum.claim_date, &asylum.decision_date)
        && decision.latest() < claim.earliest()
        && known(&[
            "immigration.asylum.claim_date",
            "immigration.asylum.decision_date",
        ])
    {
        out.push(
            err(
                Code::DateOrder,
                "immigration.asylum.decision_date",
                format!(
                    "the decision on the asylum claim ({}) is dated before the claim was made ({})",
                    decision.uk(),
                    claim.uk()
                ),
            )
            .hint("check `immigration.asylum.claim_date` and `immigration.asylum.decision_date`: the claim comes first"),
        );
    }
    history(case, &known, &err, &warn, &mut out);
    let dob = case.client.dob_claimed.0;
    if (dob >= letter || dob >= cg.date.latest()) && known(&[DOB, LETTER, CG]) {
        out.push(err(
            Code::DateOrder,
            "client.dob_claimed",
            format!(
                "the claimed date of birth {} is not before the CG decision and the letter date",
                case.client.dob_claimed.uk()
            ),
        )
        .hint("expected a date of birth before `nrm.cg_decision.date` and `matter.letter_date`: check the year"));
    }
    if case.client.dob_accepted == Some(case.client.dob_claimed)
        && known(&["client.dob_accepted", DOB])
    {
        out.push(warn(Code::Redundant, "client.dob_accepted", "`client.dob_accepted` is the same as `client.dob_claimed`; leave it out unless the dates differ".into()));
    }
    for (i, episode) in case.exploitation.episodes.iter().enumerate() {
        let start = format!("exploitation.episodes[{i}].start");
        if let Some(end) = episode.end {
            out.extend(ends_before_start(
                format!("episode {}", i + 1),
                (&start, episode.start),
                (&format!("exploitation.episodes[{i}].end"), end),
                "expected `end` on or after `start`: check both dates of the episode",
            ));
        }
        if episode.start.earliest() > letter && known(&[&start, LETTER]) {
            out.push(
                err(
                    Code::FutureDate,
                    &format!("exploitation.episodes[{i}].start"),
                    format!("episode {} starts after the letter date", i + 1),
                )
                .hint("expected a date on or before `matter.letter_date`: check both"),
            );
        }
    }
    // A missing episode, like an episode of exploitation, may be known only to the month: it is
    // out of order only when every day each date could be says so.
    for (i, episode) in case.family.missing_episodes.iter().enumerate() {
        if let Some(end) = episode.end {
            out.extend(ends_before_start(
                format!("missing episode {}", i + 1),
                (
                    &format!("family.missing_episodes[{i}].start"),
                    episode.start,
                ),
                (&format!("family.missing_episodes[{i}].end"), end),
                "expected `end` on or after `start`: check both dates of the episode",
            ));
        }
    }
    if let Some(arrival) = &case.immigration.arrival_date
        && arrival.earliest() > letter
        && known(&["immigration.arrival_date", LETTER])
    {
        out.push(
            err(
                Code::FutureDate,
                "immigration.arrival_date",
                "the arrival date is after the letter date".into(),
            )
            .hint("expected a date on or before `matter.letter_date`: check both"),
        );
    }
    for (i, t) in case.health.treatments.iter().enumerate() {
        if let (Some(start), Some(end)) = (&t.start, &t.planned_end)
            && end.latest() < start.earliest()
            && known(&[
                &format!("health.treatments[{i}].start"),
                &format!("health.treatments[{i}].planned_end"),
            ])
        {
            out.push(
                err(
                    Code::DateOrder,
                    &format!("health.treatments[{i}].planned_end"),
                    format!(
                        "treatment {} is planned to end ({}) before it starts ({})",
                        i + 1,
                        end.uk(),
                        start.uk()
                    ),
                )
                .hint("expected `planned_end` on or after `start`: check both"),
            );
        }
    }
    if let Some(age) = age_on(dob, letter).filter(|_| {
        known(&[
            DOB,
            LETTER,
            "client.dob_accepted",
            "family.looked_after.status",
        ])
    }) {
        let care = case.family.looked_after.status;
        if care == CareStatus::CareLeaver && age.0 < 16 {
            out.push(warn(Code::CareStatusAge, "family.looked_after.status", format!("care-leaver status at age {} (care leavers are 16 or over): check `family.looked_after.status` and `client.dob_claimed`", age.0)));
        }
        if matches!(care, CareStatus::Section20 | CareStatus::CareOrder)
            && age.0 >= 18
            && case.client.dob_accepted.is_none()
        {
            out.push(warn(
                Code::CareStatusAge,
                "family.looked_after.status",
                format!(
                    "`{}` care at age {}: an adult would normally be a care leaver",
                    if care == CareStatus::Section20 {
                        "section_20"
                    } else {
                        "care_order"
                    },
                    age.0
                ),
            ));
        }
    }
    if case.matter.requested_duration_months.is_some()
        && case.matter.duration_reason.is_none()
        && known(&["matter.requested_duration_months", "matter.duration_reason"])
    {
        out.push(
            err(Code::MissingField, "matter.requested_duration_months", "`matter.requested_duration_months` is set but `matter.duration_reason` is not".into())
                .hint("the letter must justify the period requested; add `duration_reason = \"…\"` under `[matter]`"),
        );
    }
    if let Some(months) = case.matter.requested_duration_months
        && !(1..=120).contains(&months)
    {
        out.push(err(
            Code::BadNumber,
            "matter.requested_duration_months",
            format!("{months} months requested; expected 1 to 120"),
        ));
    }
    if case.matter.letter_mode == LetterMode::Reconsideration
        && known(&["matter.letter_mode", "matter.previous_decisions"])
        && !case.matter.previous_decisions.iter().any(|d| {
            matches!(
                d.kind,
                PreviousDecisionKind::VtsRefusal
                    | PreviousDecisionKind::MsdlRefusal
                    | PreviousDecisionKind::VtsGrant
                    | PreviousDecisionKind::MsdlGrant
            )
        })
    {
        out.push(
            err(Code::MissingField, "matter.letter_mode", "a reconsideration request needs the decision being reconsidered".into())
                .hint("add a `[[matter.previous_decisions]]` entry with `kind`, `date` and `reasons_summary`"),
        );
    }
    for (i, d) in case.matter.previous_decisions.iter().enumerate() {
        if d.date.0 > letter && known(&[&format!("matter.previous_decisions[{i}].date"), LETTER]) {
            out.push(
                err(
                    Code::FutureDate,
                    &format!("matter.previous_decisions[{i}].date"),
                    "an earlier decision is dated after the letter".into(),
                )
                .hint("expected a date on or before `matter.letter_date`: check both"),
            );
        }
    }
    // A treatment's actual end: in the past, not before its start, and only for a treatment
    // that is over (an ongoing treatment with an end would be described as both).
    for (i, t) in case.health.treatments.iter().enumerate() {
        let field = format!("health.treatments[{i}].end");
        let Some(end) = t.end else { continue };
        if end.earliest() > letter && known(&[&field, LETTER]) {
            out.push(
                err(
                    Code::FutureDate,
                    &field,
                    format!("treatment {} is given an end ({}) after the letter date", i + 1, end.uk()),
                )
                .hint("`end` is when the treatment actually ended; a date still to come goes in `planned_end`"),
            );
        }
        if let Some(start) = t.start {
            out.extend(ends_before_start(
                format!("treatment {}", i + 1),
                (&format!("health.treatments[{i}].start"), start),
                (&field, end),
                "expected `end` on or after `start`: check both",
            ));
        }
        if !matches!(
            t.status,
            TreatmentStatus::Completed | TreatmentStatus::Declined
        ) && known(&[&field, &format!("health.treatments[{i}].status")])
        {
            out.push(
                err(
                    Code::DateOrder,
                    &field,
                    format!(
                        "treatment {} has ended ({}) but its status is `{}`",
                        i + 1,
                        end.uk(),
                        crate::facts::derive::humanize(&t.status).replace(' ', "_")
                    ),
                )
                .hint("set `status = \"completed\"` if it has finished, or leave out `end` (and use `planned_end`) if it continues"),
            );
        }
    }
    // Periods that ended: the guardian, care and victim support.
    let periods: [(&str, Option<PartialDate>, Option<PartialDate>, &str); 3] = [
        (
            "family.ictg",
            case.family.ictg.start,
            case.family.ictg.end,
            "the guardian's work",
        ),
        (
            "family.looked_after",
            case.family.looked_after.start,
            case.family.looked_after.end,
            "being looked after",
        ),
        (
            "nrm.support",
            case.nrm.support.start,
            case.nrm.support.end_date.map(PartialDate::from_date),
            "the support",
        ),
    ];
    for (path, start, end, what) in periods {
        let end_field = if path == "nrm.support" {
            format!("{path}.end_date")
        } else {
            format!("{path}.end")
        };
        if let (Some(start), Some(end)) = (start, end) {
            out.extend(ends_before_start(
                what.to_string(),
                (&format!("{path}.start"), start),
                (&end_field, end),
                "expected the end on or after `start`: check both",
            ));
        }
        // Support may have a planned end; a guardian's or care's end is a fact that has happened.
        if path != "nrm.support"
            && let Some(end) = end
            && end.earliest() > letter
            && known(&[&end_field, LETTER])
        {
            out.push(
                err(
                    Code::FutureDate,
                    &end_field,
                    format!(
                        "{what} is given an end ({}) after the letter date",
                        end.uk()
                    ),
                )
                .hint("`end` is when it ended; leave it out while it continues"),
            );
        }
    }
    if case.family.looked_after.end.is_some()
        && matches!(
            case.family.looked_after.status,
            CareStatus::Section20 | CareStatus::CareOrder
        )
        && known(&["family.looked_after.end", "family.looked_after.status"])
    {
        out.push(
            err(
                Code::DateOrder,
                "family.looked_after.end",
                "being looked after has ended, but `family.looked_after.status` says the client is still looked after".into(),
            )
            .hint("set `status = \"care_leaver\"` (or `never` if the client was never looked after), or leave out `end` while care continues"),
        );
    }
    if case.family.looked_after.status == CareStatus::Ended
        && case.family.looked_after.end.is_none()
        && known(&["family.looked_after.end", "family.looked_after.status"])
    {
        out.push(
            err(
                Code::MissingField,
                "family.looked_after.status",
                "`family.looked_after.status` is `ended` but no `end` date is given".into(),
            )
            .hint("add `end` (when the client stopped being looked after; a month is enough) and, if the file says, `ended_because`"),
        );
    }
    // The steps of an age challenge have happened by the letter date, save a hearing listed for
    // a later day.
    for (i, step) in case.client.age_challenge.iter().enumerate() {
        let field = format!("client.age_challenge[{i}].date");
        if step.stage != AgeChallengeStage::HearingListed
            && step.date.earliest() > letter
            && known(&[&field, LETTER])
        {
            out.push(
                err(
                    Code::FutureDate,
                    &field,
                    format!("step {} of the age challenge is dated after the letter ({})", i + 1, step.date.uk()),
                )
                .hint("expected a date on or before `matter.letter_date`; only a `hearing_listed` step may be dated later (the hearing date)"),
            );
        }
    }
    if let Some(a) = &case.client.adult_accommodation
        && let Some(re) = a.re_exploitation_date
        && re.latest() < a.date.earliest()
        && known(&[
            "client.adult_accommodation.re_exploitation_date",
            "client.adult_accommodation.date",
        ])
    {
        out.push(
            err(
                Code::DateOrder,
                "client.adult_accommodation.re_exploitation_date",
                format!(
                    "the re-exploitation ({}) is dated before the placement in adult accommodation ({})",
                    re.uk(),
                    a.date.uk()
                ),
            )
            .hint("`re_exploitation_date` is for exploitation while the client was placed there: check both dates, or record an earlier episode under `[[exploitation.episodes]]`"),
        );
    }
    // A child expected before the letter date may have been born.
    if let Some(child) = &case.family.expected_child
        && child.expected_date.latest() < letter
        && known(&["family.expected_child.expected_date", LETTER])
    {
        out.push(
            warn(
                Code::DateOrder,
                "family.expected_child.expected_date",
                format!(
                    "the expected child was due {}, before the letter date",
                    child.expected_date.uk()
                ),
            )
            .hint("if the child has been born, add them under `[[family.dependants]]` and remove `[family.expected_child]`; otherwise correct the date"),
        );
    }
    // A child not yet born is not a dependant with a date of birth.
    for (i, d) in case.family.dependants.iter().enumerate() {
        let field = format!("family.dependants[{i}].dob");
        if d.dob.0 > letter && known(&[&field, LETTER]) {
            out.push(
                err(
                    Code::FutureDate,
                    &field,
                    format!(
                        "dependant {} is given a date of birth after the letter ({})",
                        i + 1,
                        d.dob.uk()
                    ),
                )
                .hint("a child not yet born is not a dependant: record the pregnancy under `[family.expected_child]` with its `expected_date`, and add the child here once born; or correct the date"),
            );
        }
    }

    // Evidence ids are unique and every reference to one resolves.
    let ids: Vec<&str> = case.evidence.iter().map(|e| e.id.as_str()).collect();
    let id_known = |i: usize| known(&[&format!("evidence[{i}].id")]);
    for (i, e) in case.evidence.iter().enumerate() {
        let field = format!("evidence[{i}].id");
        if !id_known(i) {
            continue;
        }
        if e.id.is_empty()
            || !e
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            out.push(err(
                Code::BadId,
                &field,
                format!(
                    "evidence id `{}` may use only letters, digits, `-` and `_`",
                    e.id.chars().take(40).collect::<String>()
                ),
            ));
        }
        if (0..i).any(|j| ids[j] == e.id && id_known(j)) {
            out.push(err(
                Code::DuplicateId,
                &field,
                format!("evidence id `{}` is used twice", e.id),
            ));
        }
        if e.status == EvidenceStatus::Enclosed
            && e.expected.is_some()
            && known(&[&format!("evidence[{i}].status")])
        {
            out.push(warn(
                Code::Redundant,
                &format!("evidence[{i}].expected"),
                format!(
                    "evidence `{}` is enclosed but also has an `expected` date",
                    e.id
                ),
            ));
        }
        if let Some(date) = &e.date
            && date.earliest() > letter
            && known(&[&format!("evidence[{i}].date"), LETTER])
        {
            out.push(err(
                Code::FutureDate,
                &format!("evidence[{i}].date"),
                format!("evidence `{}` is dated after the letter", e.id),
            )
            .hint("expected a date on or before `matter.letter_date`; a document still to come has `status = \"awaited\"` and an `expected` date"));
        }
    }
    // Every field the model marks `evidence-id`, wherever the file gives one.
    let mut references = Vec::new();
    evidence_references(
        &loaded.tree,
        super::schema::case(),
        &mut String::new(),
        &mut references,
    );
    // Whether a reference resolves can be known only when every id was accepted.
    let every_id = (0..ids.len()).all(id_known);
    for (field, reference) in references {
        if every_id && known(&[&field]) && !ids.contains(&reference) {
            let mut d = err(
                Code::UnknownEvidence,
                &field,
                format!(
                    "`{field}` refers to evidence `{reference}`, which is not in the evidence list"
                ),
            );
            d = match did_you_mean(reference, ids.iter().copied()) {
                Some(near) => d.hint(format!("did you mean `{near}`?")),
                None => {
                    d.hint("add an `[[evidence]]` entry with this `id`, or correct the reference")
                }
            };
            out.push(d);
        }
    }
    out
}
