//! Users, roles and languages.

use crate::{FieldError, UserId};
use serde::Serialize;

/// Declares a closed set of values stored and exchanged as snake_case strings.
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $code:literal, { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn from_str_opt(raw: &str) -> Option<Self> {
                match raw.trim() { $($s => Some($name::$variant),)+ _ => None }
            }

            pub fn parse(field: &str, raw: &str) -> Result<Self, $crate::FieldError> {
                if raw.trim().is_empty() {
                    return Err($crate::FieldError::required(field));
                }
                Self::from_str_opt(raw).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::FieldError::new(field, $code, format!(
                        "{field} must be one of {}, not \"{}\"", allowed.join(", "), raw.trim()))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// What a user may do, checked by [`crate::policy`].
    Role, "invalid-choice", {
    Admin => "admin",
    Director => "director",
    Kam => "kam",
    AccountManager => "account_manager",
    Member => "member",
    Sponsor => "sponsor",
    Viewer => "viewer",
});

string_enum!(
    /// The title of a user with the `kam` role.
    KamTitle, "invalid-choice", {
    KeyAccountManager => "key_account_manager",
    LargeAccountManager => "large_account_manager",
    GlobalAccountManager => "global_account_manager",
});

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Fr,
    #[default]
    En,
}

impl Locale {
    pub fn as_str(&self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn from_code(raw: &str) -> Option<Self> {
        let t = raw.trim().to_ascii_lowercase();
        let primary = t.split(['-', '_']).next().unwrap_or("");
        match primary {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        Self::from_code(raw).ok_or_else(|| {
            FieldError::new(field, "invalid-choice", format!("{field} must be fr or en"))
        })
    }

    /// The best language for an `Accept-Language` header, English by default.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("");
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0
                && let Some(l) = Self::from_code(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, l));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// The signed-in user on whose behalf something is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Locale::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Locale::Fr);
        assert_eq!(Locale::negotiate("de-DE,en;q=0.5,fr;q=0.7"), Locale::Fr);
        assert_eq!(Locale::negotiate("de"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!(
            Role::parse("role", "account_manager").unwrap(),
            Role::AccountManager
        );
        let e = Role::parse("role", "boss").unwrap_err();
        assert!(e.message.contains("admin, director"), "{}", e.message);
    }
}
