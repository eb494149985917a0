//! `/api/v1/imports/{kind}`: a CSV file, imported all or nothing.

use super::{ApiPath, ApiQuery, dto::ImportQuery};
use crate::{AppState, auth::ApiUser, error::ApiError};
use axum::{Json, extract::State};
use clef_domain::policy::Action;
use clef_store::{ImportKind, ImportReport};

#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "customers, contacts, revenue or contracts"), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV whose first line names the columns"),
    responses((status = 200, description = "Every row imported (with check_only, every row checked: nothing written, and preview.replaces and preview.adds say what importing would do)"),
              (status = 422, description = "Nothing imported; import.errors names each line, column and reason")),
    security(("bearer" = [])))]
pub async fn import(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    super::CsvBody(body): super::CsvBody,
) -> Result<Json<ImportReport>, ApiError> {
    u.require(Action::BulkImport)?;
    let kind = match kind.as_str() {
        "customers" => ImportKind::Customers,
        "contacts" => ImportKind::Contacts,
        "revenue" => ImportKind::Revenue,
        "contracts" => ImportKind::Contracts,
        other => {
            return Err(ApiError::NotFound(format!(
                "cannot import \"{other}\": choose customers, contacts, revenue or contracts"
            )));
        }
    };
    let report = if q.check_only.unwrap_or(false) {
        st.store
            .check_csv_with(kind, &body, &clef_store::Progress::default())
            .await?
    } else {
        st.store.import_csv(u.id(), kind, &body).await?
    };
    if report.errors.is_empty() {
        Ok(Json(report))
    } else {
        Err(ApiError::ImportRejected(report))
    }
}
