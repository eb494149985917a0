//! One error type for the API, answered as `application/problem+json`
//! (RFC 9457). 4xx carry a message a person can act on and, for input
//! problems, the fields; 5xx are logged and answered with a generic body.

use axum::{
    Json,
    extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use clef_domain::{FieldError, FieldErrors};
use clef_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub enum ApiError {
    /// 400: the request cannot be read.
    BadRequest(String),
    /// 401: no valid credentials.
    Unauthorized,
    /// 403: signed in, but not allowed.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 409: the record changed since it was read, or a unique value is taken.
    Conflict(String),
    /// 409 too, said with a message key for the pages.
    Refused(clef_store::Refusal),
    /// 413.
    TooLarge(String),
    /// 415.
    UnsupportedMediaType(String),
    /// 422: the values are wrong; each field is named.
    Invalid(FieldErrors),
    /// 422 for an import: every bad line, column and reason.
    ImportRejected(clef_store::ImportReport),
    /// 503: the database is busy with a long write; try again shortly.
    Busy,
    /// Another status, said by the server around the handlers (a method
    /// not allowed, a request that took too long).
    Status(StatusCode, String),
    /// 500: logged, answered without detail.
    Internal(String),
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<FieldError>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<&'a clef_store::ImportReport>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) | ApiError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Status(s, _) => *s,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Invalid(FieldError::new(field, code, message).into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (kind, title) = match &self {
            ApiError::BadRequest(_) => ("/problems/bad-request", "The request cannot be read"),
            ApiError::Unauthorized => ("/problems/unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("/problems/forbidden", "Not allowed"),
            ApiError::NotFound(_) => ("/problems/not-found", "Not found"),
            ApiError::Conflict(_) | ApiError::Refused(_) => ("/problems/conflict", "Conflict"),
            ApiError::TooLarge(_) => ("/problems/too-large", "Request too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("/problems/unsupported-media-type", "Unsupported media type")
            }
            ApiError::Invalid(_) => ("/problems/invalid", "Invalid input"),
            ApiError::ImportRejected(_) => {
                ("/problems/import-rejected", "The file was not imported")
            }
            ApiError::Busy => ("/problems/busy", "Busy"),
            ApiError::Status(s, _) => (
                match s.as_u16() {
                    405 => "/problems/method-not-allowed",
                    408 => "/problems/timeout",
                    _ => "/problems/http",
                },
                s.canonical_reason().unwrap_or("Error"),
            ),
            ApiError::Internal(_) => ("/problems/internal", "Internal error"),
        };
        let detail = match &self {
            ApiError::BadRequest(m) | ApiError::Forbidden(m) | ApiError::NotFound(m) | ApiError::Conflict(m)
            | ApiError::TooLarge(m) | ApiError::UnsupportedMediaType(m) | ApiError::Status(_, m) => m.clone(),
            ApiError::Refused(r) => r.message.clone(),
            ApiError::Unauthorized => "sign in, or send an API token as \"Authorization: Bearer <token>\" (create one with clef user token)".into(),
            ApiError::Invalid(e) => e.summary(),
            ApiError::ImportRejected(r) => format!(
                "nothing was imported: {} problem(s) found in {} row(s); see import.errors for each line, column and reason",
                r.error_count, r.rows
            ),
            ApiError::Busy => "the database is busy with a long write (an import, for instance): try again in a few seconds".into(),
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                "something went wrong on the server; the error was logged".into()
            }
        };
        let body = Problem {
            kind,
            title,
            status: status.as_u16(),
            detail,
            // The first hundred, each message cut to 400 characters: a
            // request with thousands of wrong values gets a short answer.
            errors: match &self {
                ApiError::Invalid(e) => Some(
                    e.0.iter()
                        .take(100)
                        .map(|f| FieldError {
                            field: clef_domain::shortened(&f.field),
                            code: f.code,
                            message: clef_domain::shortened(&f.message),
                        })
                        .collect(),
                ),
                _ => None,
            },
            import: match &self {
                ApiError::ImportRejected(r) => Some(r),
                _ => None,
            },
        };
        let mut resp = (status, Json(body)).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            e @ (StoreError::Stale { .. } | StoreError::InUse(_)) => {
                ApiError::Conflict(e.to_string())
            }
            StoreError::Invalid(f) => ApiError::Invalid(f),
            StoreError::Duplicate(m) | StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Refused(r) => ApiError::Refused(r),
            e if e.is_busy() => ApiError::Busy,
            e if e.is_write_conflict() => {
                tracing::warn!(error = %e, "a write met another one");
                ApiError::Conflict(
                    "someone else changed the same records at the same moment: reload and try again"
                        .into(),
                )
            }
            e => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(e: FieldErrors) -> Self {
        ApiError::Invalid(e)
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid(e.into())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match &r {
            JsonRejection::JsonDataError(_) => {
                ApiError::Invalid(json_data_problem(&r.body_text()).into())
            }
            JsonRejection::JsonSyntaxError(_) => ApiError::BadRequest(r.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType(
                "send the body as JSON with \"Content-Type: application/json\"".into(),
            ),
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(
                "the body is larger than the server accepts (see CLEF_MAX_BODY_MB)".into(),
            ),
            _ => ApiError::BadRequest(r.body_text()),
        }
    }
}

/// A body that is JSON but not of the expected shape, said about the field
/// it concerns (`version`, `lines[2].period`) in words a person reads:
/// "version: expected a whole number, not floating point `1e+20`".
fn json_data_problem(text: &str) -> FieldError {
    let rest = text
        .strip_prefix("Failed to deserialize the JSON body into the target type: ")
        .unwrap_or(text);
    let (field, said) = match rest.split_once(": ") {
        Some((path, said))
            if !path.is_empty()
                && path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c)) =>
        {
            (path, said)
        }
        _ => ("body", rest),
    };
    let mut said = said.to_owned();
    for (from, to) in [
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of zero or more"),
        ("expected usize", "expected a whole number of zero or more"),
        ("expected i32", "expected a whole number"),
        ("expected u32", "expected a whole number of zero or more"),
        ("expected u8", "expected a whole number of zero or more"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list [...]"),
        ("expected a string", "expected a text \"...\""),
        ("expected a boolean", "expected true or false"),
    ] {
        said = said.replace(from, to);
    }
    // `expected struct CustomerIn` and the like: an object, whatever its name.
    if let Some(at) = said.find("expected struct ") {
        let end = said[at + 16..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(said.len(), |e| at + 16 + e);
        said.replace_range(at..end, "expected an object {...}");
    }
    FieldError::new(field, "invalid-body", format!("{field}: {said}"))
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        // "page: invalid digit found in string" (page=-1, page=two).
        ApiError::BadRequest(r.body_text().replace(
            "invalid digit found in string",
            "must be a whole number of 1 or more",
        ))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge("the form is larger than the server accepts".into())
        } else if r.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            ApiError::UnsupportedMediaType(r.body_text())
        } else {
            ApiError::BadRequest(r.body_text())
        }
    }
}

/// Errors answered around the handlers, with no body or a line of plain
/// text (a method the route does not take, a request over the time limit,
/// a body over the size limit, an address whose id cannot be read): under
/// `/api` as problem+json like every other error, elsewhere as a page in
/// the reader's language.
pub async fn bare_errors(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // What a page needs of the request: the reader's language.
    let mut headers = axum::http::HeaderMap::new();
    for name in [header::ACCEPT_LANGUAGE, header::COOKIE] {
        for v in req.headers().get_all(&name) {
            headers.append(name.clone(), v.clone());
        }
    }
    let resp = next.run(req).await;
    let status = resp.status();
    let bare = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    // Only what the server says around the handlers; other plain answers
    // (a refused cross-site form, /readyz) carry their own words.
    let around = matches!(status.as_u16(), 400 | 404 | 405 | 408 | 413);
    if !around || !bare {
        return resp;
    }
    let allow = resp.headers().get(header::ALLOW).cloned();
    let text = axum::body::to_bytes(resp.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let allowed = allow
        .as_ref()
        .and_then(|a| a.to_str().ok())
        .map(|a| format!("; it takes {a}"))
        .unwrap_or_default();
    if path.starts_with("/api/") {
        let e = match status {
            StatusCode::METHOD_NOT_ALLOWED => ApiError::Status(
                status,
                format!("{method} is not allowed on {path}{allowed} (see /api/v1/openapi.json)"),
            ),
            StatusCode::REQUEST_TIMEOUT => ApiError::Status(
                status,
                format!(
                    "the request did not finish within {} s and was stopped: send less at once, or try again",
                    st.config.request_timeout.as_secs()
                ),
            ),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
                "the body is larger than the {} MB the server accepts (see CLEF_MAX_BODY_MB): send less at once",
                st.config.max_body_bytes / (1024 * 1024)
            )),
            StatusCode::BAD_REQUEST => ApiError::BadRequest(text),
            s => ApiError::Status(s, if text.is_empty() { s.to_string() } else { text }),
        };
        let mut resp = e.into_response();
        if let Some(a) = allow {
            resp.headers_mut().insert(header::ALLOW, a);
        }
        return resp;
    }
    // The reader's language comes with their session, read briefly: not
    // for a request stopped because it took too long (the database may be
    // what held it).
    let user = if status == StatusCode::REQUEST_TIMEOUT {
        None
    } else {
        tokio::time::timeout(
            std::time::Duration::from_millis(500),
            crate::auth::session_user(&st, &headers),
        )
        .await
        .ok()
        .flatten()
    };
    let ctx = crate::ui::Ctx::new(&st, &headers, user, &path);
    let (status, title, text) = match status {
        // A form's body that cannot be read (not the form the page sends),
        // at an address that can.
        StatusCode::BAD_REQUEST
            if method != axum::http::Method::GET
                && method != axum::http::Method::HEAD
                && !text.starts_with("Invalid URL")
                && !text.starts_with("Failed to deserialize query string") =>
        {
            (status, "request-error-title", ctx.t("unreadable-form-text"))
        }
        // An id or a value in the address that cannot be read: no such page.
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND => (
            StatusCode::NOT_FOUND,
            "not-found-title",
            ctx.t("bad-address-text"),
        ),
        // A form's address opened as a page (a link copied, a reload).
        StatusCode::METHOD_NOT_ALLOWED => {
            (status, "form-address-title", ctx.t("form-address-text"))
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            status,
            "request-error-title",
            ctx.tr.tn(
                "too-large-text",
                (st.config.max_body_bytes / (1024 * 1024)) as u64,
            ),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            status,
            "request-error-title",
            ctx.tr
                .tn("timeout-text", st.config.request_timeout.as_secs()),
        ),
        s => (s, "request-error-title", ctx.t("request-error-text")),
    };
    let mut resp = crate::ui::message(
        status,
        ctx,
        title,
        text,
        Some(("/customers".into(), "nav-portfolio".into())),
    );
    if let Some(a) = allow {
        resp.headers_mut().insert(header::ALLOW, a);
    }
    resp
}

/// The fallback for unknown paths: problem+json under `/api`, a page elsewhere.
pub async fn not_found(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::NotFound(format!("there is nothing at {}", uri.path())).into_response();
    }
    let user = crate::auth::session_user(&st, &headers).await;
    let ctx = crate::ui::Ctx::new(&st, &headers, user, uri.path());
    let text = ctx.t("not-found-text");
    crate::ui::message(
        StatusCode::NOT_FOUND,
        ctx,
        "not-found-title",
        text,
        Some(("/customers".into(), "nav-portfolio".into())),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A database busy with a long write answers 503 with a time to wait,
    /// not an internal error.
    #[test]
    fn a_busy_database_answers_503_with_a_time_to_wait() {
        let locked = sea_orm::DbErr::Custom("(code: 5) database is locked".into());
        let resp = ApiError::from(StoreError::Db(locked)).into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()[header::RETRY_AFTER], "5");
        assert_eq!(
            resp.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let other = sea_orm::DbErr::Custom("no such table: nowhere".into());
        let resp = ApiError::from(StoreError::Db(other)).into_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
