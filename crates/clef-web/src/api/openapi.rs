//! The OpenAPI 3.1 document, generated from the handlers themselves.

use super::{customers, dto::*, imports, reference, users};
use axum::Json;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, o: &mut utoipa::openapi::OpenApi) {
        o.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("clef_…")
                        .build(),
                ),
            );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Clef API", version = "1", description = "Key Account Management: the customer portfolio. Errors are application/problem+json (RFC 9457). Money is in integer cents with an ISO 4217 currency."),
    paths(
        customers::list, customers::create, customers::get_one, customers::update, customers::delete,
        customers::list_contacts, customers::create_contact, customers::get_contact, customers::update_contact,
        customers::delete_contact, customers::revenue,
        reference::list_groups, reference::create_group, reference::get_group,
        reference::list_business_units, reference::create_business_unit, reference::upsert_revenue,
        users::list, users::create, users::me, imports::import,
    ),
    components(schemas(CustomerIn, CustomerOut, CustomerPage, ContactIn, ContactOut, GroupIn, GroupOut, GroupDetailOut,
        BusinessUnitIn, BusinessUnitOut, RevenueBatchIn, RevenueLineIn, RevenueOut, UserIn, UserOut, WrittenOut)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
