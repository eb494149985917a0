//! Clef's domain: the typed values, business rules and analytics of the
//! portfolio and of the Key Account Management method. Nothing here does I/O.
//!
//! Input from the outside world becomes a domain value at the edge, through a
//! `parse` function that either returns the value or a [`FieldError`] naming
//! the field and the problem:
//!
//! ```
//! use clef_domain::{Email, Money, Currency};
//! # fn main() -> Result<(), clef_domain::FieldError> {
//! let email = Email::parse("email", " Anne.Martin@Example.com ")?;
//! assert_eq!(email.as_str(), "anne.martin@example.com");
//! assert!(Email::parse("email", "not an address").is_err());
//!
//! let eur = Currency::parse("currency", "EUR")?;
//! let m = Money::new(123_450, eur);
//! assert_eq!(m.format(clef_domain::Locale::Fr), "1\u{202f}234,50\u{a0}€");
//! # Ok(()) }
//! ```

pub mod contract;
mod date;
pub mod document;
mod error;
mod format;
mod ids;
mod money;
mod paging;
pub mod plan;
pub mod policy;
mod portfolio;
pub mod relationships;
pub mod rituals;
pub mod segmentation;
pub mod selection;
mod text;
mod user;

pub use date::{Date, Period, rfc3339};
pub use error::{FieldError, FieldErrors, shortened};
pub use format::{escape_xml, format_decimal, format_percent, format_whole_percent};
pub use ids::*;
pub use money::{Currency, Money};
pub use paging::{Page, PageRequest, SortDir};
pub use portfolio::*;
pub use text::{CountryCode, Email, OptionalText, RequiredText, search_key};
pub use user::{Actor, KamTitle, Locale, Role};
