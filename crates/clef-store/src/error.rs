use clef_domain::FieldErrors;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (its kind is named).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The record was changed by someone else since it was read.
    #[error(
        "this {entity} was changed by someone else (now at version {current}); reload it and apply your change again"
    )]
    Stale { entity: &'static str, current: i64 },
    /// The input refers to something that does not exist, or breaks a rule
    /// that needs the database to check.
    #[error("{0}")]
    Invalid(FieldErrors),
    /// A unique value is already taken.
    #[error("{0}")]
    Duplicate(String),
    /// The request does not fit the record's current state (a decision on
    /// an account that is not waiting for one, for instance).
    #[error("{0}")]
    Conflict(String),
    /// The same, said with a message key and its arguments, so that pages
    /// can say it in the reader's language.
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// The record cannot be deleted: other work depends on it (each kind
    /// named with how many).
    #[error("{}", in_use_message(.0))]
    InUse(Vec<(crate::DependentKind, u64)>),
    /// The configuration is wrong (bad URL, unsupported operation).
    #[error("{0}")]
    Config(String),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("database error: {0}")]
    Sqlx(#[from] sea_orm::sqlx::Error),
    /// On a direct connection to the SQLite file (the bulk reads and writes).
    #[error("database error: {0}")]
    Direct(#[from] rusqlite::Error),
    #[error("password hashing failed")]
    Hash,
    #[error("random generator failed")]
    Random,
}

fn in_use_message(work: &[(crate::DependentKind, u64)]) -> String {
    let parts: Vec<String> = work
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.english(*n)))
        .collect();
    format!(
        "this customer cannot be deleted: its key-account work and contracts would be lost with it ({}); delete those first, or keep the customer",
        parts.join(", ")
    )
}

/// A request refused by the record's current state: the English sentence
/// (the API's), and the message key with its arguments (the pages').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub message: String,
}

impl Refusal {
    pub fn new(
        key: &'static str,
        args: &[(&'static str, &dyn std::fmt::Display)],
        message: String,
    ) -> Self {
        Refusal {
            key,
            args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            message,
        }
    }
}

impl StoreError {
    /// A [`Refusal`].
    pub fn refused(
        key: &'static str,
        args: &[(&'static str, &dyn std::fmt::Display)],
        message: String,
    ) -> Self {
        StoreError::Refused(Refusal::new(key, args, message))
    }

    /// SQLite was busy with another writer (a large import, a ranking)
    /// longer than a request waits: worth trying again, not a fault.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Direct(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DatabaseBusy
            }
            StoreError::Db(_) | StoreError::Sqlx(_) => {
                self.to_string().contains("database is locked")
            }
            _ => false,
        }
    }

    /// A unique or foreign-key constraint refused a write: two requests
    /// wrote the same records at once (one created what the other was
    /// creating, or deleted what the other pointed to). The checks before
    /// each write catch what a client sends; this is what they cannot see.
    pub fn is_write_conflict(&self) -> bool {
        match self {
            // A row updated by its id was deleted meanwhile.
            StoreError::Db(sea_orm::DbErr::RecordNotUpdated) => true,
            StoreError::Db(e) => matches!(
                e.sql_err(),
                Some(
                    sea_orm::SqlErr::UniqueConstraintViolation(_)
                        | sea_orm::SqlErr::ForeignKeyConstraintViolation(_)
                )
            ),
            // The bulk writes: COPY on PostgreSQL, a direct connection to
            // the SQLite file.
            StoreError::Sqlx(sea_orm::sqlx::Error::Database(e)) => matches!(
                e.kind(),
                sea_orm::sqlx::error::ErrorKind::UniqueViolation
                    | sea_orm::sqlx::error::ErrorKind::ForeignKeyViolation
            ),
            StoreError::Direct(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    | rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
            ),
            _ => false,
        }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid(clef_domain::FieldError::new(field, code, message).into())
    }
}

/// Whether a database error is a unique constraint refusing a value that
/// another request wrote meanwhile (by its code, in any server language).
pub(crate) fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_told_apart() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(StoreError::Direct(busy).is_busy());
        let locked = sea_orm::DbErr::Custom(
            "error returned from database: (code: 5) database is locked".into(),
        );
        assert!(StoreError::Db(locked).is_busy());
        let other = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            None,
        );
        assert!(!StoreError::Direct(other).is_busy());
        assert!(!StoreError::NotFound("customer").is_busy());
    }

    #[test]
    fn a_bulk_write_refused_by_a_reference_is_a_conflict() {
        let failure = |code| {
            StoreError::Direct(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        assert!(failure(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY).is_write_conflict());
        assert!(failure(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE).is_write_conflict());
        assert!(!failure(rusqlite::ffi::SQLITE_CONSTRAINT_CHECK).is_write_conflict());
        assert!(!failure(rusqlite::ffi::SQLITE_BUSY).is_write_conflict());
    }
}
