//! The OpenAPI 3.1 document, generated from the handlers themselves.

use super::{
    contracts, customers, dto::*, imports, plans, reference, relationships, rituals, segmentation,
    selection, users,
};
use axum::Json;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

struct BearerAuth;

/// What every error answers, as `application/problem+json` (RFC 9457).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Problem {
    /// What kind of problem: `/problems/invalid`, `/problems/conflict`, …
    #[schema(rename = "type")]
    kind: String,
    /// A short summary of the kind, in English.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What went wrong and what to do about it, in English.
    detail: String,
    /// For invalid input (422): every wrong field, named.
    errors: Option<Vec<ProblemField>>,
    /// For a rejected import (422): every wrong line, column and reason.
    import: Option<ProblemImport>,
}

/// One wrong field of a request.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ProblemField {
    /// The field, as the request named it.
    field: String,
    /// A stable code such as `required` or `invalid-email`.
    code: String,
    /// An English sentence describing the problem.
    message: String,
}

/// What a rejected import found; nothing was written.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ProblemImport {
    /// Rows read (the header excluded).
    rows: u64,
    /// Rows written: 0 when the import was rejected.
    written: u64,
    /// The first 1,000 problems, in line order.
    errors: Vec<ProblemRow>,
    /// How many problems there are in all.
    error_count: u64,
}

/// One problem of an imported file.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ProblemRow {
    /// The line of the file (the header is line 1).
    line: u64,
    column: String,
    /// A stable code for the kind of problem: `required`, `invalid-date`,
    /// `unknown-reference`, `duplicate`, `missing-columns`, …
    code: String,
    message: String,
}

/// Completes every operation's errors: each is `application/problem+json`;
/// every operation can answer 401 (no valid token); one that takes a body,
/// 400 (unreadable), 413 (too large) and 415 (not JSON); one that writes,
/// 503 with `Retry-After` (the database busy with a long write).
struct Problems;

impl Modify for Problems {
    fn modify(&self, o: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{
            Content, Ref, RefOr, ResponseBuilder, header::HeaderBuilder, schema::Type,
        };
        let problem = || Content::new(Some(Ref::from_schema_name("Problem")));
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", problem())
                .build()
        };
        for item in o.paths.paths.values_mut() {
            let ops = [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
                (&mut item.patch, true),
            ];
            for (op, writes) in ops {
                let Some(op) = op.as_mut() else { continue };
                // Unique operation ids: the handler's name, after its tag
                // (`plans_approve`, `selection_approve`).
                if let (Some(tag), Some(id)) = (
                    op.tags.as_ref().and_then(|t| t.first()),
                    op.operation_id.as_mut(),
                ) && !id.starts_with(tag.as_str())
                {
                    *id = format!("{tag}_{id}");
                }
                let responses = &mut op.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::T(error(description)));
                };
                add("401", "No valid session or API token");
                let params = op.parameters.as_deref().unwrap_or_default();
                let has = |place: utoipa::openapi::path::ParameterIn| {
                    params
                        .iter()
                        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
                };
                let in_path = has(utoipa::openapi::path::ParameterIn::Path);
                let in_query = has(utoipa::openapi::path::ParameterIn::Query);
                if in_path || in_query {
                    add(
                        "400",
                        "A path or query parameter cannot be read (not a number, an unknown parameter)",
                    );
                }
                if in_path {
                    add("404", "The record named in the path does not exist");
                }
                if in_query || op.request_body.is_some() {
                    add(
                        "422",
                        "Invalid field(s) or parameter(s), each named (a value out of range, a field of the wrong type, unknown or missing)",
                    );
                }
                if writes {
                    add("403", "Your role may not do this (a viewer never writes)");
                    // Any write may meet another one on the same records.
                    add(
                        "409",
                        "The request does not fit the records as they are now: changed by someone else since they were read, written by another request at the same moment, or a value taken (`detail` says which and what to do)",
                    );
                }
                if op.request_body.is_some() {
                    add(
                        "400",
                        "The body is not JSON that can be read (malformed, or cut short)",
                    );
                    add("413", "The body is too large");
                    add("415", "The body is not of the expected media type");
                }
                if writes {
                    let busy = ResponseBuilder::new()
                        .description("The database is busy with a long write (an import, for instance): try again after the seconds of Retry-After")
                        .content("application/problem+json", problem())
                        .header(
                            "Retry-After",
                            HeaderBuilder::new()
                                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer)))
                                .description(Some("Seconds to wait before trying again"))
                                .build(),
                        )
                        .build();
                    responses.entry("503".to_owned()).or_insert(RefOr::T(busy));
                }
                // Every answer has a description (OpenAPI requires one).
                for (status, r) in responses.iter_mut() {
                    if let RefOr::T(r) = r
                        && r.description.is_empty()
                    {
                        r.description = status
                            .parse::<u16>()
                            .ok()
                            .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
                            .and_then(|s| s.canonical_reason())
                            .unwrap_or("Answer")
                            .to_owned();
                    }
                }
                // Errors documented by their handler with a description only.
                for response in responses.iter_mut().filter(|(s, _)| !s.starts_with('2')) {
                    if let (_, RefOr::T(r)) = response
                        && r.content.is_empty()
                    {
                        r.content
                            .insert("application/problem+json".to_owned(), RefOr::T(problem()));
                    }
                }
            }
        }
    }
}

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
    info(title = "Clef API", version = "1", description = "Key Account Management: the customer portfolio, segmentation, key-account selection, key account plans, relationships (stakeholders, links, interactions, account teams, sponsorship), and meeting rituals with their calendars. Errors are application/problem+json (RFC 9457). Money is in integer cents with an ISO 4217 currency."),
    paths(
        customers::list, customers::create, customers::get_one, customers::update, customers::delete,
        customers::list_contacts, customers::create_contact, customers::get_contact, customers::update_contact,
        customers::delete_contact, customers::revenue, customers::history, customers::restore_contact,
        contracts::list, contracts::create, contracts::get_one, contracts::update, contracts::delete, contracts::renewals,
        reference::list_groups, reference::create_group, reference::get_group, reference::update_group, reference::delete_group,
        reference::deleted_groups, reference::restore_group,
        reference::list_business_units, reference::create_business_unit, reference::rename_business_unit, reference::upsert_revenue,
        users::list, users::create, users::me, users::get_one, users::update, imports::import,
        segmentation::list, segmentation::create, segmentation::get_one, segmentation::update, segmentation::delete,
        segmentation::deleted, segmentation::restore, segmentation::preview, segmentation::apply_one, segmentation::snapshots, segmentation::compare, segmentation::export,
        selection::criteria, selection::set_weights, selection::add_criterion, selection::candidates, selection::selection,
        selection::set_scores, selection::propose, selection::approve, selection::reject, selection::deselect,
        selection::managers,
        plans::list, plans::my_actions, plans::plan, plans::create_version, plans::get_version, plans::update_version,
        plans::delete_version, plans::submit, plans::approve, plans::return_to_draft, plans::archive, plans::compare,
        plans::set_action_status, plans::document,
        relationships::stakeholders, relationships::set_stakeholder, relationships::map, relationships::colleagues,
        relationships::create_colleague, relationships::update_colleague, relationships::delete_colleague, relationships::deleted_colleagues, relationships::restore_colleague, relationships::create_link, relationships::update_link, relationships::delete_link,
        relationships::interactions, relationships::record_interaction, relationships::delete_interaction,
        relationships::coverage, relationships::portfolio_coverage, relationships::team, relationships::add_member,
        relationships::update_member, relationships::remove_member, relationships::sponsorship, relationships::set_sponsor,
        relationships::settings, relationships::set_settings, relationships::stakeholders_csv, relationships::links_csv,
        relationships::import_stakeholders, relationships::import_links,
        rituals::formats, rituals::create_format, rituals::update_format, rituals::account_meetings,
        rituals::create_account_meeting, rituals::plan_account, rituals::program_meetings, rituals::create_program_meeting,
        rituals::plan_program, rituals::get_meeting, rituals::update_meeting, rituals::delete_meeting, rituals::reschedule,
        rituals::evaluate, rituals::actions, rituals::create_action, rituals::meeting_ics, rituals::set_action_status, rituals::update_action, rituals::delete_action, rituals::deleted_actions, rituals::restore_action,
        rituals::my_meeting_actions, rituals::feeds, rituals::create_feed, rituals::revoke_feed,
        rituals::deleted_program_meetings, rituals::restore_program_meeting,
    ),
    components(schemas(Problem, ProblemField, ProblemImport, ProblemRow, CustomerIn, CustomerOut, CustomerPage, ContactIn, ContactOut, customers::HistoryOut, customers::HistoryChangeOut, customers::RestoredOut,
        contracts::ContractIn, contracts::ContractOut, contracts::RenewalOut, contracts::RenewalPage, GroupIn, GroupOut, GroupDetailOut, reference::DeletedGroupOut, relationships::DeletedColleagueOut,
        BusinessUnitIn, BusinessUnitOut, BusinessUnitRename, RevenueBatchIn, RevenueLineIn, RevenueOut, UserIn, UserOut, UserUpdateIn, WrittenOut, FiguresOut,
        segmentation::SegmentationIn, segmentation::SegmentationOut, segmentation::DeletedSegmentationOut, segmentation::PreviewIn, segmentation::PreviewOut,
        segmentation::CellOut, segmentation::ClassOut, segmentation::MoverOut, segmentation::SnapshotOut,
        segmentation::ComparisonOut, segmentation::MovedOut, segmentation::PlacedOut,
        selection::CriterionOut, selection::WeightIn, selection::WeightsIn, selection::CriterionIn, selection::CandidateOut,
        selection::CandidatePage, selection::ScoreOut, selection::EventOut, selection::SelectionOut, selection::ScoreIn,
        selection::ScoresIn, selection::ProposeIn, selection::DecisionIn, selection::DecisionOut, selection::LoadOut,
        plans::VersionSummary, plans::PlanOut, plans::SectionFill, plans::VersionOut, plans::NewVersionIn, plans::VersionIn,
        plans::StepIn, plans::ChangeOut, plans::CompareOut, plans::ActionStatusIn, plans::MyActionOut, plans::PlanRowOut,
        plans::SearchHitOut, plans::PlansOut, crate::plans::PlanVsActual,
        relationships::PersonOut, relationships::LinkOut, relationships::StakeholdersOut, relationships::StakeholderIn,
        relationships::ColleagueOut, relationships::ColleagueIn, relationships::LinkIn, relationships::InteractionOut, relationships::InteractionPage,
        relationships::InteractionIn, relationships::GapOut, relationships::CoverageOut, relationships::TeamMemberOut,
        relationships::TeamMemberIn, relationships::SponsoredOut, relationships::SponsorLoadOut,
        relationships::SponsorshipOut, relationships::SponsorIn, relationships::SettingsIo,
        rituals::FormatOut, rituals::FormatIn, rituals::MeetingOut, rituals::DeletedMeetingOut, rituals::MeetingActionChangeIn, rituals::MeetingsOut, rituals::AccountCadence, crate::rituals::FormatOverview,
        crate::rituals::MeetingIn, rituals::PlanIn, rituals::RescheduleIn, rituals::EvaluationIn, rituals::MeetingActionOut, rituals::DeletedActionOut,
        rituals::MeetingActionIn, rituals::ActionStatusIn, rituals::MyMeetingActionOut, rituals::FeedOut, rituals::FeedIn)),
    modifiers(&BearerAuth, &Problems),
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
