//! SeaORM entities: one module per table, the same for SQLite and PostgreSQL.
//! Money columns hold integer minor units; times are Unix seconds.

pub mod account_team_member;
pub mod api_token;
pub mod audit_log;
pub mod business_unit;
pub mod calendar_feed;
pub mod colleague;
pub mod contact;
pub mod contract;
pub mod customer;
pub mod customer_figures;
pub mod customer_group;
pub mod interaction;
pub mod interaction_participant;
pub mod meeting;
pub mod meeting_action;
pub mod meeting_format;
pub mod meeting_participant;
pub mod plan_action_progress;
pub mod plan_version;
pub mod program_setting;
pub mod relationship_link;
pub mod revenue_line;
pub mod segment_placement;
pub mod segmentation;
pub mod segmentation_snapshot;
pub mod selection_criterion;
pub mod selection_event;
pub mod selection_score;
pub mod session;
pub mod stakeholder;
pub mod user;
