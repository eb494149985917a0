//! Importing a CSV file from the browser: the form (with each format's
//! columns and an empty template), the import running in the background
//! with its progress, and its report — every row written, or nothing and
//! each problem by line and column, also as CSV.

use super::{Ctx, forbidden, render};
use crate::{AppState, auth::UiUser};
use askama::Template;
use axum::{
    Router,
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use clef_domain::{FieldError, FieldErrors, policy::Action};
use clef_store::{ImportKind, ImportReport, Progress};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports", get(form_page).post(start))
        .route("/imports/template/{kind}", get(template))
        .route("/imports/{id}", get(job_page))
        .route("/imports/{id}/errors.csv", get(errors_csv))
}

/// The kinds of file, by the name forms and addresses use.
const KINDS: [(&str, ImportKind); 4] = [
    ("customers", ImportKind::Customers),
    ("contacts", ImportKind::Contacts),
    ("revenue", ImportKind::Revenue),
    ("contracts", ImportKind::Contracts),
];

fn kind_of(name: &str) -> Option<ImportKind> {
    KINDS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// How many finished imports an instance remembers for their pages.
const KEPT: usize = 50;

/// How many imports run at once on an instance (each holds its file).
const RUNNING_MAX: usize = 2;

/// Why an import ended without a report: the status to answer and the
/// message key of the reason.
type Failure = (StatusCode, String);

/// An import running, or ended, on this instance.
pub struct ImportJob {
    pub user_id: i64,
    pub kind: String,
    pub file: String,
    pub progress: Progress,
    outcome: Mutex<Option<Result<ImportReport, Failure>>>,
}

impl ImportJob {
    fn outcome(&self) -> Option<Result<ImportReport, Failure>> {
        self.outcome
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
    fn finish(&self, o: Result<ImportReport, Failure>) {
        *self
            .outcome
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(o);
    }
}

/// Ends a job as failed if its task stops before its end (a panic), here
/// and in the database, and stops saying it runs.
struct Unfinished {
    job: Arc<ImportJob>,
    store: clef_store::Store,
    id: i64,
    beat: tokio::task::AbortHandle,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        self.beat.abort();
        if self.job.outcome().is_none() {
            let why = "import-reason-stopped".to_owned();
            self.job
                .finish(Err((StatusCode::INTERNAL_SERVER_ERROR, why.clone())));
            let (store, id) = (self.store.clone(), self.id);
            // Without a runtime (the server stopping), the record is left
            // to go stale: other instances then say it stopped.
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move { record_end(&store, id, Err((500, why))).await });
            }
        }
    }
}

/// How often a running import says so in the database.
const BEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// Records how import `id` ended, trying again for about a minute while
/// the database is busy (another import writing to SQLite).
async fn record_end(store: &clef_store::Store, id: i64, end: Result<ImportReport, (u16, String)>) {
    let mut wait = std::time::Duration::from_secs(1);
    for attempt in 1..=6 {
        match store.finish_import_job(id, &end).await {
            Ok(()) => return,
            Err(e) if attempt < 6 => {
                tracing::warn!(error = %e, attempt, "the end of an import waits to be recorded");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(e) => tracing::error!(error = %e, "the end of an import was not recorded"),
        }
    }
}

/// The imports running on this instance, or ended here lately, by their
/// number in the database (with their live progress).
#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<u64, Arc<ImportJob>>>,
}

impl ImportJobs {
    /// Registers job `id`, unless [`RUNNING_MAX`] already run; forgets the
    /// oldest finished ones beyond [`KEPT`].
    fn add(&self, id: u64, job: Arc<ImportJob>) -> Option<u64> {
        let mut g = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if g.values().filter(|j| j.outcome().is_none()).count() >= RUNNING_MAX {
            return None;
        }
        g.insert(id, job);
        let mut finished: Vec<u64> = g
            .iter()
            .filter(|(_, j)| j.outcome().is_some())
            .map(|(k, _)| *k)
            .collect();
        finished.sort_unstable();
        let excess = g.len().saturating_sub(KEPT).min(finished.len());
        for k in &finished[..excess] {
            g.remove(k);
        }
        Some(id)
    }

    /// How many imports run now.
    fn running(&self) -> usize {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .filter(|j| j.outcome().is_none())
            .count()
    }

    fn get(&self, id: u64) -> Option<Arc<ImportJob>> {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .cloned()
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct FormPage<'a> {
    ctx: Ctx<'a>,
    kind: String,
    errors: FieldErrors,
    max_mb: usize,
    /// The user's latest imports, to find a report again.
    recent: Vec<Recent>,
}

/// How many of the user's latest imports the import page lists.
const RECENT_IMPORTS: u64 = 20;

/// One of the user's latest imports, in words.
struct Recent {
    id: i64,
    started_at: i64,
    kind: String,
    file: String,
    /// How it ended (or that it runs), and whether something went wrong.
    outcome: String,
    failed: bool,
}

/// The user's latest imports, their outcomes said in the reader's language.
async fn recent(st: &AppState, ctx: &Ctx<'_>, user_id: i64) -> Vec<Recent> {
    let rows = match st.store.recent_import_jobs(user_id, RECENT_IMPORTS).await {
        Ok(rows) => rows,
        Err(e) => {
            // The form works without its list.
            tracing::warn!(error = %e, "the latest imports were not read");
            return Vec::new();
        }
    };
    rows.into_iter()
        .map(|j| {
            let (outcome, failed) = match &j.outcome {
                None => (ctx.t("import-running"), false),
                Some(Ok(r)) if r.preview.is_some() => (ctx.tr.tn("import-checked", r.rows), false),
                Some(Ok(r)) if r.error_count > 0 => {
                    (ctx.tr.tn("import-rejected", r.error_count), true)
                }
                Some(Ok(r)) => (ctx.tr.tn("import-done", r.written), false),
                Some(Err((_, why))) => (ctx.tr.t1("import-failed", "reason", ctx.t(why)), true),
            };
            Recent {
                id: j.id,
                started_at: j.started_at,
                kind: ctx.t(&format!("import-kind-{}", j.kind)),
                file: j.file,
                outcome,
                failed,
            }
        })
        .collect()
}

impl FormPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|e| self.ctx.field_message(e))
    }
    fn kinds(&self) -> Vec<&'static str> {
        KINDS.iter().map(|(n, _)| *n).collect()
    }
    fn columns(&self, kind: &str) -> String {
        kind_of(kind).map_or_else(String::new, |k| k.columns().join(", "))
    }
    /// A moment as `date HH:MM UTC`; the page's script writes it in the
    /// reader's time zone.
    fn when(&self, at: &i64) -> String {
        let minutes = at.rem_euclid(86_400) / 60;
        format!(
            "{} {:02}:{:02} UTC",
            self.ctx.tr.date(*at),
            minutes / 60,
            minutes % 60
        )
    }
    fn iso(&self, at: &i64) -> String {
        clef_domain::rfc3339(*at)
    }
}

async fn form(
    st: &AppState,
    ctx: Ctx<'_>,
    status: StatusCode,
    kind: String,
    errors: FieldErrors,
) -> Response {
    let recent = match &ctx.user {
        Some(u) => recent(st, &ctx, u.user.id).await,
        None => Vec::new(),
    };
    render(
        status,
        &FormPage {
            ctx,
            kind,
            errors,
            max_mb: st.config.max_body_bytes / (1024 * 1024),
            recent,
        },
    )
}

async fn form_page(State(st): State<AppState>, UiUser(u): UiUser, headers: HeaderMap) -> Response {
    let may = u.can(Action::BulkImport);
    let ctx = Ctx::new(&st, &headers, Some(u), "/imports");
    if !may {
        return forbidden(ctx);
    }
    form(
        &st,
        ctx,
        StatusCode::OK,
        "customers".into(),
        FieldErrors::new(),
    )
    .await
}

/// An empty file of `kind`: its header line.
async fn template(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> Response {
    let name = kind.trim_end_matches(".csv");
    match kind_of(name) {
        Some(k) => crate::api::relationships::csv_response(
            &format!("{name}.csv"),
            format!("{}\n", k.columns().join(",")).into_bytes(),
        ),
        None => gone(&st, &headers, u, "not-found-title", "not-found-text"),
    }
}

/// A page saying there is nothing here, with the way to the import form.
fn gone(
    st: &AppState,
    headers: &HeaderMap,
    u: crate::auth::CurrentUser,
    title: &str,
    text: &str,
) -> Response {
    let ctx = Ctx::new(st, headers, Some(u), "/imports");
    let text = ctx.t(text);
    super::message(
        StatusCode::NOT_FOUND,
        ctx,
        title,
        text,
        Some(("/imports".into(), "import-again".into())),
    )
}

/// The form as read: the kind, the file's name and bytes, and whether the
/// file is only to be checked.
type Upload = (String, String, axum::body::Bytes, bool);

/// Why the form could not be read: the status to answer (413 for a file
/// too large, else 400), the reason, and the kind read before it failed.
type Unread = (StatusCode, String, String);

/// Reads the form.
async fn read_form(mut m: Multipart) -> Result<Upload, Unread> {
    let (mut kind, mut name, mut bytes) = (String::new(), String::new(), Default::default());
    let mut check = false;
    loop {
        let fail = |e: axum::extract::multipart::MultipartError, kind: &str| {
            let status = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, e.body_text(), kind.to_owned())
        };
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(fail(e, &kind)),
        };
        match field.name() {
            Some("kind") => match field.text().await {
                Ok(t) => kind = t,
                Err(e) => return Err(fail(e, &kind)),
            },
            // The button "Check only".
            Some("check") => match field.text().await {
                Ok(t) => check = t == "1",
                Err(e) => return Err(fail(e, &kind)),
            },
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) => bytes = b,
                    Err(e) => return Err(fail(e, &kind)),
                }
            }
            _ => {}
        }
    }
    Ok((kind, name, bytes, check))
}

/// The page that asks to wait while other imports run.
fn busy(st: &AppState, headers: &HeaderMap, u: crate::auth::CurrentUser) -> Response {
    let ctx = Ctx::new(st, headers, Some(u), "/imports");
    let m = ctx.t("import-busy-text");
    super::message(
        StatusCode::SERVICE_UNAVAILABLE,
        ctx,
        "import-busy-title",
        m,
        Some(("/imports".into(), "import-again".into())),
    )
}

async fn start(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    m: Multipart,
) -> Response {
    if !u.can(Action::BulkImport) {
        return forbidden(Ctx::new(&st, &headers, Some(u), "/imports"));
    }
    // Before the file is read into memory: no room, no upload.
    if st.imports.running() >= RUNNING_MAX {
        return busy(&st, &headers, u);
    }
    let (kind_name, file, bytes, check) = match read_form(m).await {
        Ok(x) => x,
        Err((status, reason, kind)) => {
            let ctx = Ctx::new(&st, &headers, Some(u), "/imports");
            let mut e = FieldErrors::new();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "upload-too-large"
            } else {
                "unreadable-upload"
            };
            e.push(FieldError::new(
                "file",
                code,
                format!("the file could not be received: {reason}"),
            ));
            let kind = if kind.is_empty() {
                "customers".into()
            } else {
                kind
            };
            return form(&st, ctx, status, kind, e).await;
        }
    };
    let mut e = FieldErrors::new();
    let kind = kind_of(&kind_name);
    if kind.is_none() {
        e.push(FieldError::new(
            "kind",
            "invalid-choice",
            "kind must be customers, contacts, revenue or contracts",
        ));
    }
    if bytes.is_empty() {
        e.push(FieldError::new(
            "file",
            "no-file",
            "choose a CSV file to import",
        ));
    }
    let Some(kind) = kind.filter(|_| e.is_empty()) else {
        let ctx = Ctx::new(&st, &headers, Some(u), "/imports");
        return form(&st, ctx, StatusCode::UNPROCESSABLE_ENTITY, kind_name, e).await;
    };
    // Recorded first: every instance sharing the database shows its page.
    // While another import holds SQLite's write lock, the user is told
    // soon to try again rather than kept waiting.
    let recorded = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        st.store.start_import_job(u.user.id, &kind_name, &file),
    )
    .await;
    let db_id = match recorded {
        Ok(Ok(id)) => id,
        Ok(Err(e)) if !e.is_busy() => {
            return super::error_page(Ctx::new(&st, &headers, Some(u), "/imports"), e);
        }
        Ok(Err(_)) | Err(_) => return busy(&st, &headers, u),
    };
    let job = Arc::new(ImportJob {
        user_id: u.user.id,
        kind: kind_name,
        file,
        progress: Progress::default(),
        outcome: Mutex::new(None),
    });
    let id = u64::try_from(db_id).unwrap_or_default();
    if st.imports.add(id, Arc::clone(&job)).is_none() {
        let busy_now = Err((503, "import-reason-busy".to_owned()));
        if let Err(e) = st.store.finish_import_job(db_id, &busy_now).await {
            tracing::error!(error = %e, "the end of an import was not recorded");
        }
        return busy(&st, &headers, u);
    }
    let store = st.store.clone();
    let actor = Some(u.user.id);
    let beat = {
        let store = store.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(BEAT).await;
                if let Err(e) = store.import_job_beat(db_id).await {
                    tracing::debug!(error = %e, "a running import was not marked alive");
                }
            }
        })
        .abort_handle()
    };
    let handle = tokio::spawn(async move {
        let guard = Unfinished {
            job: Arc::clone(&job),
            store: store.clone(),
            id: db_id,
            beat,
        };
        let r = if check {
            store.check_csv_with(kind, &bytes, &job.progress).await
        } else {
            store
                .import_csv_with(actor, kind, &bytes, &job.progress)
                .await
        };
        let r = r.map_err(|e| {
                if e.is_busy() {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "import-reason-busy".to_owned(),
                    )
                } else if matches!(&e, clef_store::StoreError::Conflict(m) if m == clef_store::bulk::KEY_ACCOUNTS_CHANGED) {
                    (
                        StatusCode::CONFLICT,
                        "import-reason-key-accounts".to_owned(),
                    )
                } else if matches!(&e, clef_store::StoreError::Conflict(m) if m == clef_store::bulk::PARENTS_CHANGED) {
                    (StatusCode::CONFLICT, "import-reason-parents".to_owned())
                } else if e.is_write_conflict() {
                    tracing::warn!(error = %e, "import refused by a change made meanwhile");
                    (StatusCode::CONFLICT, "import-reason-conflict".to_owned())
                } else {
                    tracing::error!(error = %e, "import failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "import-reason-server".to_owned(),
                    )
                }
            });
        let kept = r.clone().map_err(|(status, why)| (status.as_u16(), why));
        guard.job.finish(r);
        drop(guard);
        record_end(&store, db_id, kept).await;
    });
    // A small file is imported at once; a larger one shows its progress.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(1500), handle).await;
    Redirect::to(&format!("/imports/{id}")).into_response()
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage<'a> {
    ctx: Ctx<'a>,
    id: u64,
    kind: String,
    file: String,
    /// None while the import runs.
    outcome: Option<Result<ImportReport, Failure>>,
    stage: String,
    done: u64,
    total: u64,
}

impl JobPage<'_> {
    fn kind_label(&self) -> String {
        self.ctx.t(&format!("import-kind-{}", self.kind))
    }
}

/// An import as its page shows it: from this instance while it runs here
/// (with its progress), else as the database keeps it.
struct Shown {
    id: u64,
    kind: String,
    file: String,
    /// (stage, done, total) when it runs on this instance.
    progress: Option<(u8, u64, u64)>,
    outcome: Option<Result<ImportReport, Failure>>,
}

/// The import `id` when this user started it: nobody else sees it.
async fn job_for(
    st: &AppState,
    u: &crate::auth::CurrentUser,
    id: &str,
) -> Result<Option<Shown>, clef_store::StoreError> {
    let Ok(id) = id.parse::<u64>() else {
        return Ok(None);
    };
    if let Some(job) = st.imports.get(id) {
        return Ok((job.user_id == u.user.id).then(|| Shown {
            id,
            kind: job.kind.clone(),
            file: job.file.clone(),
            progress: Some(job.progress.get()),
            outcome: job.outcome(),
        }));
    }
    let Ok(db_id) = i64::try_from(id) else {
        return Ok(None);
    };
    let Some(row) = st.store.import_job(db_id).await? else {
        return Ok(None);
    };
    Ok((row.user_id == u.user.id).then(|| Shown {
        id,
        kind: row.kind,
        file: row.file,
        progress: None,
        outcome: row.outcome.map(|o| {
            o.map_err(|(s, why)| {
                (
                    StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    why,
                )
            })
        }),
    }))
}

async fn job_page(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let here = format!("/imports/{id}");
    // A failed read answers 5xx: the page's own poll keeps going.
    let found = match job_for(&st, &u, &id).await {
        Ok(found) => found,
        Err(e) => return super::error_page(Ctx::new(&st, &headers, Some(u), &here), e),
    };
    let Some(job) = found else {
        if headers.contains_key("hx-request") {
            // The page's own poll: a last answer that stops it.
            let ctx = Ctx::new(&st, &headers, Some(u), &here);
            let text = clef_domain::escape_xml(&ctx.t("import-gone-text"));
            return axum::response::Html(format!(
                "<div id=\"job\"><p class=\"alert\" role=\"alert\">{text}</p></div>"
            ))
            .into_response();
        }
        return gone(&st, &headers, u, "import-gone-title", "import-gone-text");
    };
    let ctx = Ctx::new(&st, &headers, Some(u), &here);
    let outcome = job.outcome;
    // Running on another instance: its report comes when it ends.
    let (stage, done, total) = job.progress.unwrap_or((u8::MAX, 0, 0));
    let stage = match stage {
        clef_store::IMPORT_READ => ctx.t("import-stage-read"),
        clef_store::IMPORT_CHECK => ctx.t("import-stage-check"),
        clef_store::IMPORT_WRITE => ctx.t("import-stage-write"),
        clef_store::IMPORT_FIGURES => ctx.t("import-stage-figures"),
        u8::MAX => ctx.t("import-stage-elsewhere"),
        _ => ctx.t("import-stage-start"),
    };
    // The page's own poll (htmx) swaps only what answers 200.
    let polled = headers.contains_key("hx-request");
    let status = match &outcome {
        _ if polled => StatusCode::OK,
        Some(Ok(r)) if !r.errors.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Err((status, _))) => *status,
        _ => StatusCode::OK,
    };
    render(
        status,
        &JobPage {
            ctx,
            id: job.id,
            kind: job.kind,
            file: job.file,
            outcome,
            stage,
            done,
            total,
        },
    )
}

/// The problems of an import, as CSV: line, column, message.
async fn errors_csv(
    State(st): State<AppState>,
    UiUser(u): UiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let report = match job_for(&st, &u, &id).await {
        Ok(found) => found.and_then(|j| j.outcome?.ok()),
        Err(e) => {
            let here = format!("/imports/{id}");
            return super::error_page(Ctx::new(&st, &headers, Some(u), &here), e);
        }
    };
    let Some(report) = report else {
        return gone(&st, &headers, u, "import-gone-title", "import-gone-text");
    };
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(["line", "column", "message"]);
    for e in &report.errors {
        let _ = w.write_record([
            e.line.to_string(),
            clef_store::import::cell(&e.column),
            clef_store::import::cell(&e.message),
        ]);
    }
    match w.into_inner() {
        Ok(body) => {
            crate::api::relationships::csv_response(&format!("import-{id}-problems.csv"), body)
        }
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}
