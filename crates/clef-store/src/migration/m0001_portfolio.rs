//! Users, sessions, tokens, the customer portfolio and the audit trail.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    Title,
    Locale,
    PasswordHash,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
}
#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
}
#[derive(DeriveIden)]
enum BusinessUnits {
    Table,
    Id,
    Code,
    Name,
    Version,
}
#[derive(DeriveIden)]
enum CustomerGroups {
    Table,
    Id,
    Name,
    NameKey,
    Scope,
    Country,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Name,
    NameKey,
    LegalId,
    GroupId,
    ParentId,
    Country,
    Region,
    City,
    CityKey,
    BusinessUnitId,
    Industry,
    StrategicSegment,
    OwnerId,
    Status,
    Tier,
    Currency,
    WalletCents,
    Threat,
    CompetitivePosition,
    Satisfaction,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    CustomerId,
    FirstName,
    LastName,
    Email,
    Phone,
    JobTitle,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum RevenueLines {
    Table,
    CustomerId,
    BusinessUnitId,
    Period,
    Currency,
    RevenueCents,
    MarginCents,
}
#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Entity,
    EntityId,
    Action,
    Detail,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create()
        .if_not_exists()
        .name(name)
        .table(table)
        .to_owned();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(big_pk_auto(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string(Users::Role))
                .col(string_null(Users::Title))
                .col(string_null(Users::Locale))
                .col(string(Users::PasswordHash))
                .col(boolean(Users::Active).default(true))
                .col(big_integer(Users::Version).default(1))
                .col(big_integer(Users::CreatedAt))
                .col(big_integer(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .if_not_exists()
                .col(string(Sessions::Id).primary_key())
                .col(big_integer(Sessions::UserId))
                .col(big_integer(Sessions::CreatedAt))
                .col(big_integer(Sessions::ExpiresAt))
                .foreign_key(&mut fk(
                    "fk_sessions_user",
                    (Sessions::Table, Sessions::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .if_not_exists()
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::UserId))
                .col(string(ApiTokens::Name))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(big_integer(ApiTokens::CreatedAt))
                .col(big_integer_null(ApiTokens::LastUsedAt))
                .foreign_key(&mut fk(
                    "fk_tokens_user",
                    (ApiTokens::Table, ApiTokens::UserId),
                    (Users::Table, Users::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BusinessUnits::Table)
                .if_not_exists()
                .col(big_pk_auto(BusinessUnits::Id))
                .col(string_uniq(BusinessUnits::Code))
                .col(string(BusinessUnits::Name))
                .col(big_integer(BusinessUnits::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CustomerGroups::Table)
                .if_not_exists()
                .col(big_pk_auto(CustomerGroups::Id))
                .col(string(CustomerGroups::Name))
                .col(string(CustomerGroups::NameKey))
                .col(string(CustomerGroups::Scope))
                .col(string_null(CustomerGroups::Country))
                .col(big_integer(CustomerGroups::Version).default(1))
                .col(big_integer(CustomerGroups::CreatedAt))
                .col(big_integer(CustomerGroups::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Customers::Table)
                .if_not_exists()
                .col(big_pk_auto(Customers::Id))
                .col(string(Customers::Name))
                .col(string(Customers::NameKey))
                .col(string_null(Customers::LegalId))
                .col(big_integer_null(Customers::GroupId))
                .col(big_integer_null(Customers::ParentId))
                .col(string(Customers::Country))
                .col(string_null(Customers::Region))
                .col(string_null(Customers::City))
                .col(string_null(Customers::CityKey))
                .col(big_integer_null(Customers::BusinessUnitId))
                .col(string_null(Customers::Industry))
                .col(string_null(Customers::StrategicSegment))
                .col(big_integer_null(Customers::OwnerId))
                .col(string(Customers::Status))
                .col(string(Customers::Tier))
                .col(string(Customers::Currency))
                .col(big_integer_null(Customers::WalletCents))
                .col(string_null(Customers::Threat))
                .col(string_null(Customers::CompetitivePosition))
                .col(big_integer_null(Customers::Satisfaction))
                .col(text_null(Customers::Notes))
                .col(big_integer(Customers::Version).default(1))
                .col(big_integer(Customers::CreatedAt))
                .col(big_integer(Customers::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_customers_group",
                    (Customers::Table, Customers::GroupId),
                    (CustomerGroups::Table, CustomerGroups::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_customers_parent",
                    (Customers::Table, Customers::ParentId),
                    (Customers::Table, Customers::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_customers_bu",
                    (Customers::Table, Customers::BusinessUnitId),
                    (BusinessUnits::Table, BusinessUnits::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "fk_customers_owner",
                    (Customers::Table, Customers::OwnerId),
                    (Users::Table, Users::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Contacts::Table)
                .if_not_exists()
                .col(big_pk_auto(Contacts::Id))
                .col(big_integer(Contacts::CustomerId))
                .col(string(Contacts::FirstName))
                .col(string(Contacts::LastName))
                .col(string_null(Contacts::Email))
                .col(string_null(Contacts::Phone))
                .col(string_null(Contacts::JobTitle))
                .col(text_null(Contacts::Notes))
                .col(big_integer(Contacts::Version).default(1))
                .col(big_integer(Contacts::CreatedAt))
                .col(big_integer(Contacts::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_contacts_customer",
                    (Contacts::Table, Contacts::CustomerId),
                    (Customers::Table, Customers::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RevenueLines::Table)
                .if_not_exists()
                .col(big_integer(RevenueLines::CustomerId))
                .col(big_integer(RevenueLines::BusinessUnitId))
                .col(big_integer(RevenueLines::Period))
                .col(string(RevenueLines::Currency))
                .col(big_integer(RevenueLines::RevenueCents))
                .col(big_integer(RevenueLines::MarginCents))
                .primary_key(
                    Index::create()
                        .col(RevenueLines::CustomerId)
                        .col(RevenueLines::BusinessUnitId)
                        .col(RevenueLines::Period),
                )
                .foreign_key(&mut fk(
                    "fk_revenue_customer",
                    (RevenueLines::Table, RevenueLines::CustomerId),
                    (Customers::Table, Customers::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "fk_revenue_bu",
                    (RevenueLines::Table, RevenueLines::BusinessUnitId),
                    (BusinessUnits::Table, BusinessUnits::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(big_pk_auto(AuditLog::Id))
                .col(big_integer(AuditLog::At))
                .col(big_integer_null(AuditLog::UserId))
                .col(string(AuditLog::Entity))
                .col(big_integer(AuditLog::EntityId))
                .col(string(AuditLog::Action))
                .col(text(AuditLog::Detail))
                .to_owned(),
        )
        .await?;

        if m.get_database_backend() == DbBackend::Postgres {
            // Byte order for the search keys, as in SQLite, so that a prefix
            // search is an index range on both backends.
            let db = m.get_connection();
            db.execute_unprepared(
                r#"ALTER TABLE customers ALTER COLUMN name_key TYPE varchar COLLATE "C""#,
            )
            .await?;
            db.execute_unprepared(
                r#"ALTER TABLE customers ALTER COLUMN city_key TYPE varchar COLLATE "C""#,
            )
            .await?;
            db.execute_unprepared(
                r#"ALTER TABLE customer_groups ALTER COLUMN name_key TYPE varchar COLLATE "C""#,
            )
            .await?;
        }

        for (name, table, cols) in [
            ("idx_sessions_expires", "sessions", &["expires_at"][..]),
            ("idx_tokens_user", "api_tokens", &["user_id"]),
            ("idx_groups_name", "customer_groups", &["name_key"]),
            ("idx_customers_name", "customers", &["name_key", "id"]),
            ("idx_customers_city", "customers", &["city_key", "id"]),
            (
                "idx_customers_group",
                "customers",
                &["group_id", "name_key"],
            ),
            ("idx_customers_parent", "customers", &["parent_id"]),
            ("idx_customers_status", "customers", &["status", "name_key"]),
            ("idx_customers_tier", "customers", &["tier", "name_key"]),
            (
                "idx_customers_country",
                "customers",
                &["country", "name_key"],
            ),
            ("idx_customers_region", "customers", &["region", "name_key"]),
            (
                "idx_customers_bu",
                "customers",
                &["business_unit_id", "name_key"],
            ),
            (
                "idx_customers_owner",
                "customers",
                &["owner_id", "name_key"],
            ),
            ("idx_customers_updated", "customers", &["updated_at"]),
            ("idx_contacts_customer", "contacts", &["customer_id"]),
            (
                "idx_revenue_bu",
                "revenue_lines",
                &["business_unit_id", "period"],
            ),
            ("idx_audit_entity", "audit_log", &["entity", "entity_id"]),
        ] {
            m.create_index(index(name, Alias::new(table), cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "revenue_lines",
            "contacts",
            "customers",
            "customer_groups",
            "business_units",
            "api_tokens",
            "sessions",
            "users",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
