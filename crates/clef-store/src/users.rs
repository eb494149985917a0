//! Users, their password hashes (argon2id), browser sessions and API tokens.
//! Secrets are never stored: sessions and tokens keep only a SHA-256.

use crate::{
    Store, StoreError,
    entities::{api_token, session, user},
    now,
};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use clef_domain::{Email, FieldError, FieldErrors, KamTitle, Locale, RequiredText, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use sha2::{Digest, Sha256};

/// How long a browser stays signed in.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;

/// A user to create, as submitted.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: String,
    pub title: Option<String>,
    pub password: String,
    pub locale: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

pub(crate) fn random_secret() -> Result<String, StoreError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|_| StoreError::Random)?;
    Ok(hex(&b))
}

/// Checks a new password: at least 10 characters, not blank, and not the
/// same few characters over and over (`aaaaaaaaaa`, `1212121212`).
pub fn check_password(field: &str, pw: &str) -> Result<(), FieldError> {
    if pw.chars().count() < 10 {
        return Err(FieldError::new(
            field,
            "password-too-short",
            "the password must be at least 10 characters long",
        ));
    }
    let distinct: std::collections::HashSet<char> =
        pw.chars().filter(|c| !c.is_whitespace()).collect();
    if distinct.len() < 4 {
        return Err(FieldError::new(
            field,
            "password-too-weak",
            "the password is too easy to guess: use at least 4 different characters, spaces aside",
        ));
    }
    if pw.len() > 1024 {
        return Err(FieldError::new(
            field,
            "too-long",
            "the password must be at most 1024 bytes",
        ));
    }
    Ok(())
}

fn hash_password(pw: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(pw.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Hash)
}

/// [`hash_password`] off the request threads: a hash takes tens of
/// milliseconds of work.
async fn hash_blocking(pw: &str) -> Result<String, StoreError> {
    let pw = pw.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|_| StoreError::Hash)?
}

/// A hash checked when the e-mail is unknown, so that a failed sign-in takes
/// as long whether or not the account exists.
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| hash_password("no such user, no such password").unwrap_or_default())
        .clone()
}

/// A new user's checked fields.
type UserFields = (Email, String, Role, Option<KamTitle>, Option<Locale>);

/// The name, role, title and language of a user, checked; problems go to `e`.
fn profile(
    e: &mut FieldErrors,
    name: &str,
    role: &str,
    title: Option<&str>,
    locale: Option<&str>,
) -> Option<(String, Role, Option<KamTitle>, Option<Locale>)> {
    let name = e.take(RequiredText::parse("name", name, 100));
    let role = e.take(Role::parse("role", role));
    let title = match title.map(str::trim) {
        // A kam always holds one of the three titles: by default, key
        // account manager (at most 3 key accounts).
        None | Some("") if role == Some(Role::Kam) => Some(KamTitle::KeyAccountManager),
        None | Some("") => None,
        Some(t) => e.take(KamTitle::parse("title", t)),
    };
    if title.is_some() && role != Some(Role::Kam) {
        e.push(FieldError::new(
            "title",
            "title-needs-kam",
            "a title is given only to users with the kam role",
        ));
    }
    let locale = match locale.map(str::trim) {
        None | Some("") => None,
        Some(l) => e.take(Locale::parse("locale", l)),
    };
    Some((name?.into_string(), role?, title, locale))
}

impl NewUser {
    /// Every problem of its fields, without creating it.
    pub fn check(&self) -> Result<(), FieldErrors> {
        self.parse().map(|_| ())
    }

    fn parse(&self) -> Result<UserFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.take(Email::parse("email", &self.email));
        let p = profile(
            &mut e,
            &self.name,
            &self.role,
            self.title.as_deref(),
            self.locale.as_deref(),
        );
        e.take(check_password("password", &self.password));
        match (email, p, e.is_empty()) {
            (Some(email), Some((name, role, title, locale)), true) => {
                Ok((email, name, role, title, locale))
            }
            _ => Err(e),
        }
    }
}

/// A change to a user, as submitted: everything but the e-mail, which
/// identifies them. A password, when given, replaces theirs.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub name: String,
    pub role: String,
    pub title: Option<String>,
    pub locale: Option<String>,
    /// Switched on or off; unchanged when none.
    pub active: Option<bool>,
    pub password: Option<String>,
}

impl UserChange {
    /// Every problem of its fields, without changing anyone.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        profile(
            &mut e,
            &self.name,
            &self.role,
            self.title.as_deref(),
            self.locale.as_deref(),
        );
        if let Some(pw) = self.password.as_deref().filter(|p| !p.is_empty()) {
            e.take(check_password("password", pw));
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

fn user_json(u: &user::Model) -> serde_json::Value {
    serde_json::json!({"email": u.email, "name": u.name, "role": u.role, "title": u.title,
                       "locale": u.locale, "active": u.active, "version": u.version})
}

impl Store {
    pub async fn count_users(&self) -> Result<u64, StoreError> {
        Ok(user::Entity::find().count(self.conn()).await?)
    }

    /// A new user, created by no one in particular (the command line, the
    /// demo): see [`Store::create_user_by`].
    pub async fn create_user(&self, new: &NewUser) -> Result<user::Model, StoreError> {
        self.create_user_by(None, new).await
    }

    /// A new user, with its history entry in the same transaction.
    pub async fn create_user_by(
        &self,
        actor: Option<i64>,
        new: &NewUser,
    ) -> Result<user::Model, StoreError> {
        let (email, name, role, title, locale) = new.parse().map_err(StoreError::Invalid)?;
        if self.user_by_email(email.as_str()).await?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "a user with the e-mail {} already exists",
                email.as_str()
            )));
        }
        let hash = hash_blocking(&new.password).await?;
        let t = now();
        let txn = self.write_txn().await?;
        let m = user::ActiveModel {
            email: Set(email.as_str().to_owned()),
            name: Set(name),
            role: Set(role.as_str().to_owned()),
            title: Set(title.map(|t| t.as_str().to_owned())),
            locale: Set(locale.map(|l| l.as_str().to_owned())),
            password_hash: Set(hash),
            active: Set(true),
            version: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            // Another request took the address meanwhile.
            if crate::error::is_unique_violation(&e) {
                StoreError::Duplicate(format!(
                    "a user with the e-mail {} already exists",
                    email.as_str()
                ))
            } else {
                e.into()
            }
        })?;
        crate::audit::record(&txn, actor, "user", m.id, "create", user_json(&m)).await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn user(&self, id: i64) -> Result<user::Model, StoreError> {
        user::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or(StoreError::NotFound("user"))
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<user::Model>, StoreError> {
        // No address holds control characters (PostgreSQL refuses NUL in text).
        if email.chars().any(char::is_control) || email.len() > 254 {
            return Ok(None);
        }
        Ok(user::Entity::find()
            .filter(user::Column::Email.eq(email.trim().to_lowercase()))
            .one(self.conn())
            .await?)
    }

    /// Every user, in alphabetical order of their names as people read it
    /// (accents and case aside: Émilie between Denis and Fabien).
    pub async fn list_users(&self) -> Result<Vec<user::Model>, StoreError> {
        let mut users = user::Entity::find()
            .order_by_asc(user::Column::Name)
            .all(self.conn())
            .await?;
        users.sort_by_cached_key(|u| clef_domain::search_key(&u.name));
        Ok(users)
    }

    /// The active user with this e-mail and password, if any.
    pub async fn verify_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<user::Model>, StoreError> {
        let found = self.user_by_email(email).await?;
        let stored = found.as_ref().map(|u| u.password_hash.clone());
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || {
            let hash = stored.unwrap_or_else(dummy_hash);
            PasswordHash::new(&hash)
                .is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        })
        .await
        .unwrap_or(false);
        Ok(found.filter(|u| ok && u.active))
    }

    /// Changes a user, at the version read. An administrator cannot switch
    /// off their own account, and the last active administrator stays one.
    /// Switching a user off, or a new password, signs their browsers out.
    pub async fn update_user(
        &self,
        actor: Option<i64>,
        id: i64,
        expected_version: i64,
        ch: &UserChange,
    ) -> Result<user::Model, StoreError> {
        let mut e = FieldErrors::new();
        let p = profile(
            &mut e,
            &ch.name,
            &ch.role,
            ch.title.as_deref(),
            ch.locale.as_deref(),
        );
        let password = ch.password.as_deref().filter(|p| !p.is_empty());
        if let Some(pw) = password {
            e.take(check_password("password", pw));
        }
        let (name, role, title, locale) = match p {
            Some(p) if e.is_empty() => p,
            _ => return Err(StoreError::Invalid(e)),
        };
        let hash = match password {
            Some(pw) => Some(hash_blocking(pw).await?),
            None => None,
        };
        let txn = self.write_txn().await?;
        // Changes to administrators go one at a time: two of them cannot
        // demote each other at once and leave none.
        if !self.is_sqlite() {
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(1668048231)")
                .await?;
        }
        let before = user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        if before.version != expected_version {
            return Err(StoreError::Stale {
                entity: "user",
                current: before.version,
            });
        }
        let active = ch.active.unwrap_or(before.active);
        if !active && actor == Some(id) {
            return Err(StoreError::Invalid(
                FieldError::new(
                    "active",
                    "own-account",
                    "you cannot switch off your own account; another administrator can",
                )
                .into(),
            ));
        }
        let stays_admin = role == Role::Admin && active;
        if before.role == Role::Admin.as_str() && before.active && !stays_admin {
            let admins = user::Entity::find()
                .filter(user::Column::Role.eq(Role::Admin.as_str()))
                .filter(user::Column::Active.eq(true))
                .count(&txn)
                .await?;
            if admins <= 1 {
                let field = if active { "role" } else { "active" };
                return Err(StoreError::Invalid(
                    FieldError::new(
                        field,
                        "last-admin",
                        "this is the last active administrator: make another user an administrator first",
                    )
                    .into(),
                ));
            }
        }
        let mut q = user::Entity::update_many()
            .col_expr(user::Column::Name, Expr::value(name))
            .col_expr(user::Column::Role, Expr::value(role.as_str()))
            .col_expr(
                user::Column::Title,
                Expr::value(title.map(|t| t.as_str().to_owned())),
            )
            .col_expr(
                user::Column::Locale,
                Expr::value(locale.map(|l| l.as_str().to_owned())),
            )
            .col_expr(user::Column::Active, Expr::value(active))
            .col_expr(
                user::Column::Version,
                Expr::value(expected_version.saturating_add(1)),
            )
            .col_expr(user::Column::UpdatedAt, Expr::value(now()));
        if let Some(h) = hash {
            q = q.col_expr(user::Column::PasswordHash, Expr::value(h));
        }
        let r = q
            .filter(user::Column::Id.eq(id))
            .filter(user::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if r.rows_affected == 0 {
            return Err(StoreError::Stale {
                entity: "user",
                current: expected_version.saturating_add(1),
            });
        }
        let after = user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        if !after.active || password.is_some() {
            session::Entity::delete_many()
                .filter(session::Column::UserId.eq(id))
                .exec(&txn)
                .await?;
        }
        let mut detail =
            serde_json::json!({"before": user_json(&before), "after": user_json(&after)});
        if password.is_some() {
            detail["password"] = serde_json::json!("changed");
        }
        crate::audit::record(&txn, actor, "user", id, "update", detail).await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn set_password(&self, user_id: i64, password: &str) -> Result<(), StoreError> {
        check_password("password", password).map_err(|e| StoreError::Invalid(e.into()))?;
        let u = self.user(user_id).await?;
        let hash = hash_password(password)?;
        let txn = self.write_txn().await?;
        let mut am: user::ActiveModel = u.into();
        am.password_hash = Set(hash);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        // A new password signs every browser out, in the same transaction:
        // no session outlives it.
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        let detail = serde_json::json!({"password": "changed"});
        crate::audit::record(&txn, None, "user", user_id, "password", detail).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The user's own choice of language; an administrator's form read
    /// before it is then stale.
    pub async fn set_locale(&self, user_id: i64, locale: Locale) -> Result<(), StoreError> {
        user::Entity::update_many()
            .col_expr(user::Column::Locale, Expr::value(locale.as_str()))
            .col_expr(
                user::Column::Version,
                Expr::col(user::Column::Version).add(1),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Starts a browser session and returns the cookie's secret.
    pub async fn create_session(&self, user_id: i64) -> Result<String, StoreError> {
        let secret = random_secret()?;
        let t = now();
        session::ActiveModel {
            id: Set(sha256_hex(&secret)),
            user_id: Set(user_id),
            created_at: Set(t),
            expires_at: Set(t + SESSION_SECONDS),
        }
        .insert(self.conn())
        .await?;
        Ok(secret)
    }

    /// The active user of a session cookie, if the session is still valid.
    pub async fn session_user(&self, secret: &str) -> Result<Option<user::Model>, StoreError> {
        let Some(s) = session::Entity::find_by_id(sha256_hex(secret))
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        if s.expires_at < now() {
            session::Entity::delete_by_id(s.id)
                .exec(self.conn())
                .await?;
            return Ok(None);
        }
        Ok(user::Entity::find_by_id(s.user_id)
            .one(self.conn())
            .await?
            .filter(|u| u.active))
    }

    pub async fn delete_session(&self, secret: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(sha256_hex(secret))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_sessions(&self) -> Result<u64, StoreError> {
        Ok(session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(now()))
            .exec(self.conn())
            .await?
            .rows_affected)
    }

    /// Issues an API token for a user and returns its secret (shown once).
    pub async fn create_token(
        &self,
        user_id: i64,
        name: &str,
    ) -> Result<(api_token::Model, String), StoreError> {
        let name =
            RequiredText::parse("name", name, 100).map_err(|e| StoreError::Invalid(e.into()))?;
        self.user(user_id).await?;
        let secret = format!("clef_{}", random_secret()?);
        let txn = self.write_txn().await?;
        let m = api_token::ActiveModel {
            user_id: Set(user_id),
            name: Set(name.into_string()),
            token_hash: Set(sha256_hex(&secret)),
            created_at: Set(now()),
            last_used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let detail = serde_json::json!({"token": m.name});
        crate::audit::record(&txn, None, "user", user_id, "token-create", detail).await?;
        txn.commit().await?;
        Ok((m, secret))
    }

    /// Revokes every API token of a user; answers how many there were.
    pub async fn revoke_tokens(&self, user_id: i64) -> Result<u64, StoreError> {
        let txn = self.write_txn().await?;
        let r = api_token::Entity::delete_many()
            .filter(api_token::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        let detail = serde_json::json!({"tokens": r.rows_affected});
        crate::audit::record(&txn, None, "user", user_id, "tokens-revoke", detail).await?;
        txn.commit().await?;
        Ok(r.rows_affected)
    }

    /// The active user owning an API token secret.
    pub async fn token_user(&self, secret: &str) -> Result<Option<user::Model>, StoreError> {
        let Some(t) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(sha256_hex(secret)))
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        Ok(user::Entity::find_by_id(t.user_id)
            .one(self.conn())
            .await?
            .filter(|u| u.active))
    }
}

#[cfg(test)]
mod tests {
    use super::check_password;

    #[test]
    fn blank_repeated_or_short_passwords_are_refused() {
        for weak in [
            "short",
            "          ",
            "aaaaaaaaaa",
            "1212121212",
            "ab ab ab ab ab",
        ] {
            assert!(check_password("password", weak).is_err(), "{weak:?}");
        }
        for fine in ["clef-demo-2026", "correct horse battery", "Tr0ub4dor&3x"] {
            assert!(check_password("password", fine).is_ok(), "{fine:?}");
        }
    }
}
