//! The OpenAPI 3.1 document, generated from the handlers themselves.

use super::{
    customers, dto::*, imports, plans, reference, relationships, rituals, segmentation, selection,
    users,
};
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
    info(title = "Clef API", version = "1", description = "Key Account Management: the customer portfolio, segmentation, key-account selection, key account plans, relationships (stakeholders, links, interactions, account teams, sponsorship), and meeting rituals with their calendars. Errors are application/problem+json (RFC 9457). Money is in integer cents with an ISO 4217 currency."),
    paths(
        customers::list, customers::create, customers::get_one, customers::update, customers::delete,
        customers::list_contacts, customers::create_contact, customers::get_contact, customers::update_contact,
        customers::delete_contact, customers::revenue,
        reference::list_groups, reference::create_group, reference::get_group,
        reference::list_business_units, reference::create_business_unit, reference::upsert_revenue,
        users::list, users::create, users::me, imports::import,
        segmentation::list, segmentation::create, segmentation::get_one, segmentation::update, segmentation::delete,
        segmentation::preview, segmentation::apply_one, segmentation::snapshots, segmentation::compare, segmentation::export,
        selection::criteria, selection::set_weights, selection::add_criterion, selection::candidates, selection::selection,
        selection::set_scores, selection::propose, selection::approve, selection::reject, selection::deselect,
        selection::managers,
        plans::list, plans::my_actions, plans::plan, plans::create_version, plans::get_version, plans::update_version,
        plans::delete_version, plans::submit, plans::approve, plans::return_to_draft, plans::archive, plans::compare,
        plans::set_action_status, plans::document,
        relationships::stakeholders, relationships::set_stakeholder, relationships::map, relationships::colleagues,
        relationships::create_colleague, relationships::create_link, relationships::update_link, relationships::delete_link,
        relationships::interactions, relationships::record_interaction, relationships::delete_interaction,
        relationships::coverage, relationships::portfolio_coverage, relationships::team, relationships::add_member,
        relationships::update_member, relationships::remove_member, relationships::sponsorship, relationships::set_sponsor,
        relationships::settings, relationships::set_settings, relationships::stakeholders_csv, relationships::links_csv,
        relationships::import_stakeholders, relationships::import_links,
        rituals::formats, rituals::create_format, rituals::update_format, rituals::account_meetings,
        rituals::create_account_meeting, rituals::plan_account, rituals::program_meetings, rituals::create_program_meeting,
        rituals::plan_program, rituals::get_meeting, rituals::update_meeting, rituals::delete_meeting, rituals::reschedule,
        rituals::evaluate, rituals::actions, rituals::create_action, rituals::meeting_ics, rituals::set_action_status,
        rituals::my_meeting_actions, rituals::feeds, rituals::create_feed, rituals::revoke_feed,
    ),
    components(schemas(CustomerIn, CustomerOut, CustomerPage, ContactIn, ContactOut, GroupIn, GroupOut, GroupDetailOut,
        BusinessUnitIn, BusinessUnitOut, RevenueBatchIn, RevenueLineIn, RevenueOut, UserIn, UserOut, WrittenOut, FiguresOut,
        segmentation::SegmentationIn, segmentation::SegmentationOut, segmentation::PreviewIn, segmentation::PreviewOut,
        segmentation::CellOut, segmentation::ClassOut, segmentation::MoverOut, segmentation::SnapshotOut,
        segmentation::ComparisonOut, segmentation::MovedOut, segmentation::PlacedOut,
        selection::CriterionOut, selection::WeightIn, selection::WeightsIn, selection::CriterionIn, selection::CandidateOut,
        selection::CandidatePage, selection::ScoreOut, selection::EventOut, selection::SelectionOut, selection::ScoreIn,
        selection::ScoresIn, selection::ProposeIn, selection::DecisionIn, selection::DecisionOut, selection::LoadOut,
        plans::VersionSummary, plans::PlanOut, plans::SectionFill, plans::VersionOut, plans::NewVersionIn, plans::VersionIn,
        plans::StepIn, plans::ChangeOut, plans::CompareOut, plans::ActionStatusIn, plans::MyActionOut, plans::PlanRowOut,
        plans::SearchHitOut, plans::PlansOut, crate::plans::PlanVsActual,
        relationships::PersonOut, relationships::LinkOut, relationships::StakeholdersOut, relationships::StakeholderIn,
        relationships::ColleagueOut, relationships::ColleagueIn, relationships::LinkIn, relationships::InteractionOut,
        relationships::InteractionIn, relationships::GapOut, relationships::CoverageOut, relationships::TeamMemberOut,
        relationships::TeamMemberIn, relationships::SponsoredOut, relationships::SponsorLoadOut,
        relationships::SponsorshipOut, relationships::SponsorIn, relationships::SettingsIo,
        rituals::FormatOut, rituals::FormatIn, rituals::MeetingOut, rituals::MeetingsOut, rituals::AccountCadence, crate::rituals::FormatOverview,
        crate::rituals::MeetingIn, rituals::PlanIn, rituals::RescheduleIn, rituals::EvaluationIn, rituals::MeetingActionOut,
        rituals::MeetingActionIn, rituals::ActionStatusIn, rituals::MyMeetingActionOut, rituals::FeedOut, rituals::FeedIn)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
