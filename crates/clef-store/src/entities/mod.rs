//! SeaORM entities: one module per table, the same for SQLite and PostgreSQL.
//! Money columns hold integer minor units; times are Unix seconds.

pub mod api_token;
pub mod audit_log;
pub mod business_unit;
pub mod contact;
pub mod customer;
pub mod customer_group;
pub mod revenue_line;
pub mod session;
pub mod user;
