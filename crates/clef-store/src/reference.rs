//! Reference data: business units and customer groups.

use crate::{
    Store, StoreError, audit,
    entities::{business_unit, customer, customer_group},
    now,
};
use clef_domain::{CountryCode, FieldErrors, GroupScope, RequiredText, search_key};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

impl Store {
    pub async fn list_business_units(&self) -> Result<Vec<business_unit::Model>, StoreError> {
        Ok(business_unit::Entity::find()
            .order_by_asc(business_unit::Column::Code)
            .all(self.conn())
            .await?)
    }

    pub async fn business_unit(&self, id: i64) -> Result<business_unit::Model, StoreError> {
        business_unit::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("business unit"))
    }

    pub async fn create_business_unit(
        &self,
        actor: Option<i64>,
        code: &str,
        name: &str,
    ) -> Result<business_unit::Model, StoreError> {
        let mut e = FieldErrors::new();
        let code = e.take(RequiredText::parse("code", code, 20));
        let name = e.take(RequiredText::parse("name", name, 100));
        let (Some(code), Some(name)) = (code, name) else {
            return Err(StoreError::Invalid(e));
        };
        let code = code.into_string().to_uppercase();
        if business_unit::Entity::find()
            .filter(business_unit::Column::Code.eq(code.as_str()))
            .one(self.conn())
            .await?
            .is_some()
        {
            return Err(StoreError::Duplicate(format!(
                "a business unit with the code {code} already exists"
            )));
        }
        let m = business_unit::ActiveModel {
            code: Set(code),
            name: Set(name.into_string()),
            version: Set(1),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        audit::record(
            self.conn(),
            actor,
            "business_unit",
            m.id,
            "create",
            json!({"code": m.code, "name": m.name}),
        )
        .await?;
        Ok(m)
    }

    pub async fn list_groups(&self) -> Result<Vec<customer_group::Model>, StoreError> {
        Ok(customer_group::Entity::find()
            .order_by_asc(customer_group::Column::NameKey)
            .all(self.conn())
            .await?)
    }

    pub async fn group(&self, id: i64) -> Result<customer_group::Model, StoreError> {
        customer_group::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("customer group"))
    }

    pub async fn create_group(
        &self,
        actor: Option<i64>,
        name: &str,
        scope: &str,
        country: Option<&str>,
    ) -> Result<customer_group::Model, StoreError> {
        let mut e = FieldErrors::new();
        let name = e.take(RequiredText::parse("name", name, 200));
        let scope = e.take(GroupScope::parse("scope", scope));
        let country = match country.map(str::trim) {
            None | Some("") => Some(None),
            Some(c) => e.take(CountryCode::parse("country", c)).map(Some),
        };
        let (Some(name), Some(scope), Some(country)) = (name, scope, country) else {
            return Err(StoreError::Invalid(e));
        };
        // Imports name groups: two of the same name could not be told apart.
        if let Some(same) = customer_group::Entity::find()
            .filter(customer_group::Column::NameKey.eq(search_key(name.as_str())))
            .one(self.conn())
            .await?
        {
            return Err(StoreError::Duplicate(format!(
                "a customer group is already named \"{}\" (id {}): choose another name",
                same.name, same.id
            )));
        }
        let t = now();
        let m = customer_group::ActiveModel {
            name_key: Set(search_key(name.as_str())),
            name: Set(name.into_string()),
            scope: Set(scope.as_str().to_owned()),
            country: Set(country.map(|c| c.as_str().to_owned())),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        audit::record(
            self.conn(),
            actor,
            "customer_group",
            m.id,
            "create",
            json!({"name": m.name, "scope": m.scope}),
        )
        .await?;
        Ok(m)
    }

    /// The customers of a group, by name.
    pub async fn group_members(
        &self,
        group_id: i64,
        limit: u64,
    ) -> Result<(Vec<customer::Model>, u64), StoreError> {
        use sea_orm::QuerySelect;
        let q = customer::Entity::find().filter(customer::Column::GroupId.eq(group_id));
        let total = q.clone().count(self.conn()).await?;
        let items = q
            .order_by_asc(customer::Column::NameKey)
            .limit(limit)
            .all(self.conn())
            .await?;
        Ok((items, total))
    }
}
