//! The request handlers: the page, its assets, and the JSON calls behind the form.
//!
//! Checking and building run the same library calls as `check`, `explain` and `build`, on
//! blocking threads so a letter being typeset never stalls the page's other requests.

use std::path::Path;
use std::sync::Arc;

use axum::Json;
use axum::extract::State as Extract;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json_, json};

use super::files::{self, FileError};
use super::form::{self, esc};
use super::relevance::relevance;
use super::{State, guard};
use crate::diag::{Diagnostic, Severity};
use crate::facts::load::{Format, load_str};
use crate::facts::node::parse_json;
use crate::facts::node::parse_toml;
use crate::facts::schema::{self, Shape};
use crate::output::{self, Kind};

/// The name case problems are reported against: the form, not a file on disk.
const FORM_NAME: &str = "questionnaire";

const SCRIPT: &str = include_str!("../../assets/web/app.js");
const STYLE: &str = include_str!("../../assets/web/app.css");

type Shared = Extract<Arc<State>>;

/// An error for the page: a status and a message it shows in its status bar.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<FileError> for ApiError {
    fn from(e: FileError) -> ApiError {
        let status = match e {
            FileError::BadName(_) => StatusCode::BAD_REQUEST,
            FileError::NotFound(_) => StatusCode::NOT_FOUND,
            FileError::Exists(_) | FileError::Changed(_) => StatusCode::CONFLICT,
            FileError::Toml(_) => StatusCode::UNPROCESSABLE_ENTITY,
            FileError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FileError::Io(..) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError(status, e.to_string())
    }
}

/// The questionnaire page for a run whose CSRF token is `csrf`.
pub fn page(csrf: &str) -> String {
    format!(
        include_str!("../../assets/web/page.html"),
        csrf = esc(csrf),
        version = esc(env!("CARGO_PKG_VERSION")),
        nav = form::navigation(),
        form = form::questionnaire(),
    )
}

pub async fn index(Extract(state): Shared) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        state.page.clone(),
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

pub async fn not_found() -> Response {
    guard::refusal(StatusCode::NOT_FOUND, "There is no such page.")
}

/// A problem as the page shows it: beside its field, with what was expected and a hint.
#[derive(Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub code: crate::diag::Code,
    pub message: String,
    pub field: Option<String>,
    pub hints: Vec<String>,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Problem {
        // Line numbers would point into the JSON the page sent, which nobody sees; and the
        // form does its own quoting, so the TOML advice to quote a value does not apply.
        Problem {
            severity: d.severity,
            code: d.code,
            message: d.message,
            field: d.field,
            hints: d
                .hints
                .into_iter()
                .map(|h| h.replace(" (in quotes)", ""))
                .collect(),
        }
    }
}

#[derive(Deserialize)]
pub struct CaseBody {
    pub case: Json_,
}

#[derive(Deserialize)]
pub struct DownloadBody {
    pub case: Json_,
    /// Which file: the letter (default), the reviewer's copy or the Word document.
    #[serde(default)]
    pub kind: Download,
}

/// The files the page offers for download.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Download {
    #[default]
    Letter,
    /// The reviewer's copy (margin notes, rejected clauses).
    Review,
    /// The letter as an editable Word document.
    Docx,
}

impl From<Download> for Kind {
    fn from(d: Download) -> Kind {
        match d {
            Download::Letter => Kind::Pdf,
            Download::Review => Kind::ReviewPdf,
            Download::Docx => Kind::Docx,
        }
    }
}

/// What the side panel and the field messages need after each change.
#[derive(Serialize)]
pub struct CheckReply {
    /// No errors: the letter can be built.
    pub ready: bool,
    pub problems: Vec<Problem>,
    /// The same JSON `explain --format json` prints, once the case is complete.
    pub explain: Option<Json_>,
    pub relevance: super::relevance::Relevance,
}

/// Adds an empty table for each required table not yet begun, so the problems name the
/// questions to answer (`client.full_name`) rather than the whole part (`client`).
fn open_required_tables(case: &mut Json_, shape: &Shape) {
    let Json_::Object(map) = case else { return };
    for field in shape.fields() {
        if !matches!(field.shape, Shape::Table { .. }) {
            continue;
        }
        if field.required && !map.contains_key(&field.name) {
            map.insert(field.name.clone(), json!({}));
        }
        if let Some(child) = map.get_mut(&field.name) {
            open_required_tables(child, &field.shape);
        }
    }
}

/// The form's case through the same loading and preparation as a case file.
fn prepare_form(state: &State, case: &Json_) -> Result<crate::Prepared, Vec<Diagnostic>> {
    let text = serde_json::to_string_pretty(case).unwrap_or_default();
    let loaded = load_str(
        Path::new(FORM_NAME),
        text,
        Format::Json,
        state.firm.as_ref(),
    )?;
    crate::prepare_loaded(&state.toolkit, loaded)
}

fn check_case(state: &State, case: &Json_) -> CheckReply {
    let mut opened = case.clone();
    open_required_tables(&mut opened, schema::case());
    let relevance = relevance(case);
    let (problems, explain) = match prepare_form(state, &opened) {
        Ok(prepared) => (
            prepared.warnings.clone(),
            Some(prepared.explain_json(&state.toolkit.library)),
        ),
        Err(problems) => (problems, None),
    };
    CheckReply {
        ready: explain.is_some(),
        problems: problems.into_iter().map(Problem::from).collect(),
        explain,
        relevance,
    }
}

pub async fn check(Extract(state): Shared, Json(body): Json<CaseBody>) -> Response {
    let reply = tokio::task::spawn_blocking(move || check_case(&state, &body.case)).await;
    match reply {
        Ok(reply) => Json(reply).into_response(),
        Err(_) => ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "checking the case failed inside vtsdraft; please report it".into(),
        )
        .into_response(),
    }
}

pub async fn list(Extract(state): Shared) -> Result<Response, ApiError> {
    Ok(Json(json!({ "cases": files::list(&state.cases)? })).into_response())
}

#[derive(Deserialize)]
pub struct OpenBody {
    pub name: String,
    #[serde(default)]
    pub draft: bool,
}

pub async fn open(
    Extract(state): Shared,
    Json(body): Json<OpenBody>,
) -> Result<Response, ApiError> {
    let opened = files::open(&state.cases, &body.name, body.draft)?;
    let is_json = opened.name.to_ascii_lowercase().ends_with(".json");
    let tree = if is_json {
        parse_json(&opened.text)
    } else {
        parse_toml(&opened.text)
    };
    let tree = tree.map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "`{}` is not valid {}: {} (fix it in a text editor, or check it with `vtsdraft check`)",
                opened.name,
                if is_json { "JSON" } else { "TOML" },
                e.message
            ),
        )
    })?;
    // Comments do not survive the form; say so before the user saves over them. A draft's
    // comments are our own (the file it was made from).
    let has_comments = !is_json && !body.draft && files::has_own_comments(&opened.text);
    let origin = if body.draft {
        files::Origin::of_draft(&opened.text)
    } else {
        files::Origin::default()
    };
    Ok(Json(json!({
        "name": opened.name,
        // JSON files are saved as TOML beside them, never over them.
        "saveAs": if is_json { opened.name.rsplit_once('.').map(|(s, _)| format!("{s}.toml")) } else { Some(opened.name.clone()) },
        "sha": if is_json || body.draft { None } else { Some(opened.sha) },
        "case": tree.to_json(),
        "hasComments": has_comments,
        "draftOf": origin,
    }))
    .into_response())
}

#[derive(Deserialize)]
pub struct SaveBody {
    pub name: String,
    pub case: Json_,
    /// The hash of the file as opened, if this page opened it.
    #[serde(default)]
    pub sha: Option<String>,
    /// The user confirmed replacing an existing file.
    #[serde(default)]
    pub replace: bool,
    /// The page's draft, removed once the case is saved.
    #[serde(default)]
    pub draft: Option<String>,
}

pub async fn save(
    Extract(state): Shared,
    Json(body): Json<SaveBody>,
) -> Result<Response, ApiError> {
    let (name, sha) = {
        let _lock = state.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        let saved = files::save(
            &state.cases,
            &body.name,
            &body.case,
            body.sha.as_deref(),
            body.replace,
        )?;
        if let Some(draft) = &body.draft {
            files::drop_draft(&state.cases, draft);
        }
        saved
    };
    Ok(Json(json!({ "name": name, "sha": sha })).into_response())
}

#[derive(Deserialize)]
pub struct DraftBody {
    pub draft: String,
    pub case: Json_,
    /// The file name in the page's box and the hash of the file it opened, if any: restoring
    /// the draft puts them back.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub sha: Option<String>,
}

pub async fn draft(
    Extract(state): Shared,
    Json(body): Json<DraftBody>,
) -> Result<Response, ApiError> {
    let origin = files::Origin::new(body.name.as_deref(), body.sha.as_deref());
    let _lock = state.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let name = files::save_draft(&state.cases, &body.draft, &body.case, &origin)?;
    Ok(Json(json!({ "name": name })).into_response())
}

#[derive(Deserialize)]
pub struct DiscardBody {
    pub draft: String,
}

/// Removes a draft the user chose not to restore.
pub async fn discard(
    Extract(state): Shared,
    Json(body): Json<DiscardBody>,
) -> Result<Response, ApiError> {
    files::draft_name(&body.draft)?;
    let _lock = state.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    files::drop_draft(&state.cases, &body.draft);
    Ok(Json(json!({ "discarded": true })).into_response())
}

/// Builds one of the letter's files and returns it as a download named after the matter
/// reference, through the same output path as `build` (default settings: PDF/A-3a + PDF/UA-1).
pub async fn download(
    Extract(state): Shared,
    Json(body): Json<DownloadBody>,
) -> Result<Response, ApiError> {
    let kind = Kind::from(body.kind);
    // At most one letter a core is typeset at once, with a short queue; past it the page is told
    // to retry, so 200 parallel requests cannot take the memory of 200 letters.
    let queued = state
        .waiting
        .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    let slot = if queued < super::MAX_WAITING {
        state.builds.clone().acquire_owned().await.ok()
    } else {
        None
    };
    state
        .waiting
        .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    let Some(_slot) = slot else {
        return Err(ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            "vtsdraft is busy building other letters; try again in a moment".into(),
        ));
    };
    let built =
        tokio::task::spawn_blocking(move || -> Result<(String, Vec<u8>), Vec<Diagnostic>> {
            let prepared = prepare_form(&state, &body.case)?;
            let pdf = output::file_name(&prepared.loaded.case.matter.reference, &mut Vec::new());
            let name = kind.path(Path::new(&pdf)).display().to_string();
            let settings = output::Settings::default();
            let mut rendered = output::render(&state.toolkit, &prepared, &settings, &[kind])?;
            Ok((name, rendered.files.remove(0).1))
        })
        .await
        .map_err(|_| {
            ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                "building the letter failed inside vtsdraft; please report it".into(),
            )
        })?;
    match built {
        Ok((name, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, kind.content_type().to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(problems) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": "the letter cannot be built until these problems are fixed",
                "problems": problems.into_iter().map(Problem::from).collect::<Vec<_>>(),
            })),
        )
            .into_response()),
    }
}
