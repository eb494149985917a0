//! HTML forms: every value arrives as text, is kept as typed for re-display,
//! and is parsed into domain input with a message per field.

use clef_domain::{ContactInput, Currency, CustomerInput, FieldError, FieldErrors, Money};
use clef_store::customer;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub name: String,
    pub legal_id: String,
    pub group_id: String,
    pub parent_id: String,
    pub country: String,
    pub region: String,
    pub city: String,
    pub business_unit_id: String,
    pub industry: String,
    pub strategic_segment: String,
    pub owner_id: String,
    pub status: String,
    pub tier: String,
    pub currency: String,
    pub wallet: String,
    pub threat: String,
    pub competitive_position: String,
    pub satisfaction: String,
    pub notes: String,
    pub version: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A whole number from a form field, or a message naming the field.
/// An amount as a reader types it back in a form: `63800,50` in French,
/// `63800.50` in English; empty when there is none.
pub fn amount_for_form(minor: Option<i64>, currency: &str, locale: clef_domain::Locale) -> String {
    match (minor, Currency::parse("currency", currency)) {
        (Some(m), Ok(cur)) => {
            let plain = Money::new(m, cur).to_decimal_string();
            match locale {
                clef_domain::Locale::Fr => plain.replace('.', ","),
                clef_domain::Locale::En => plain,
            }
        }
        _ => String::new(),
    }
}

pub fn opt_int(errs: &mut FieldErrors, field: &str, s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(i) => Some(i),
        Err(_) => {
            errs.push(FieldError::new(
                field,
                "invalid-number",
                format!("{field} must be a whole number, not \"{t}\""),
            ));
            None
        }
    }
}

impl CustomerForm {
    /// The form of customer `c`, amounts written as the reader writes them
    /// (`63800,50` in French).
    pub fn from_model(c: &customer::Model, locale: clef_domain::Locale) -> Self {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        let n = |i: Option<i64>| i.map(|i| i.to_string()).unwrap_or_default();
        let wallet = amount_for_form(c.wallet_cents, &c.currency, locale);
        Self {
            name: c.name.clone(),
            legal_id: o(&c.legal_id),
            group_id: n(c.group_id),
            parent_id: n(c.parent_id),
            country: c.country.clone(),
            region: o(&c.region),
            city: o(&c.city),
            business_unit_id: n(c.business_unit_id),
            industry: o(&c.industry),
            strategic_segment: o(&c.strategic_segment),
            owner_id: n(c.owner_id),
            status: c.status.clone(),
            tier: c.tier.clone(),
            currency: c.currency.clone(),
            wallet,
            threat: o(&c.threat),
            competitive_position: o(&c.competitive_position),
            satisfaction: n(c.satisfaction),
            notes: o(&c.notes),
            version: c.version.to_string(),
        }
    }

    /// Parses the form; every problem is reported with its field.
    pub fn parse(&self) -> Result<clef_domain::CustomerFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let currency = match opt(&self.currency) {
            None => Some(Currency::EUR),
            Some(c) => e.take(Currency::parse("currency", &c)),
        };
        let wallet = match (opt(&self.wallet), currency) {
            (Some(w), Some(c)) => e
                .take(Money::parse_amount("wallet", &w, c))
                .map(|m| m.minor),
            // The currency cannot be read: the amount is still checked, so
            // that the first answer names every problem.
            (Some(w), None) => {
                e.take(Money::parse_amount("wallet", &w, Currency::EUR));
                None
            }
            _ => None,
        };
        let input = CustomerInput {
            name: self.name.clone(),
            legal_id: opt(&self.legal_id),
            group_id: opt_int(&mut e, "group_id", &self.group_id),
            parent_id: opt_int(&mut e, "parent_id", &self.parent_id),
            country: self.country.clone(),
            region: opt(&self.region),
            city: opt(&self.city),
            business_unit_id: opt_int(&mut e, "business_unit_id", &self.business_unit_id),
            industry: opt(&self.industry),
            strategic_segment: opt(&self.strategic_segment),
            owner_id: opt_int(&mut e, "owner_id", &self.owner_id),
            status: opt(&self.status),
            tier: opt(&self.tier),
            currency: if e.get("currency").is_some() {
                None
            } else {
                opt(&self.currency)
            },
            wallet_cents: wallet,
            threat: opt(&self.threat),
            competitive_position: opt(&self.competitive_position),
            satisfaction: opt_int(&mut e, "satisfaction", &self.satisfaction),
            notes: opt(&self.notes),
        };
        match input.parse() {
            Ok(f) if e.is_empty() => Ok(f),
            Ok(_) => Err(e),
            Err(more) => {
                for m in more.0 {
                    let m = if m.field == "wallet_cents" {
                        FieldError {
                            field: "wallet".into(),
                            ..m
                        }
                    } else {
                        m
                    };
                    if e.get(&m.field).is_none() {
                        e.push(m);
                    }
                }
                Err(e)
            }
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    pub notes: String,
    pub version: String,
}

impl ContactForm {
    pub fn from_model(c: &clef_store::contact::Model) -> Self {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        Self {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            email: o(&c.email),
            phone: o(&c.phone),
            job_title: o(&c.job_title),
            notes: o(&c.notes),
            version: c.version.to_string(),
        }
    }

    pub fn input(&self) -> ContactInput {
        ContactInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: opt(&self.email),
            phone: opt(&self.phone),
            job_title: opt(&self.job_title),
            notes: opt(&self.notes),
        }
    }
}

/// A form whose fields may repeat (checkboxes), as sent.
pub type Fields = Vec<(String, String)>;

/// The first value of field `k`, or "".
pub fn val<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.iter()
        .find(|(n, _)| n == k)
        .map_or("", |(_, v)| v.as_str())
}

/// The first value of each field, as typed (for showing a form again).
pub fn first_values(f: &Fields) -> std::collections::HashMap<String, String> {
    let mut m = std::collections::HashMap::new();
    for (k, v) in f {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    m
}

/// The values a form sent, to show it again: each field's first value, and
/// a `field=value` key for every value (the choices of a multiple select).
pub fn typed_values(f: &Fields) -> std::collections::HashMap<String, String> {
    let mut m = first_values(f);
    for (k, v) in f {
        m.insert(format!("{k}={v}"), "1".into());
    }
    m
}

/// Whether `value` was among the choices of the multiple select `field`
/// in values read by [`typed_values`].
pub fn chosen(
    typed: &std::collections::HashMap<String, String>,
    field: &str,
    value: impl std::fmt::Display,
) -> bool {
    typed.contains_key(&format!("{field}={value}"))
}

/// A whole number from a form field, or none when blank or unreadable.
pub fn opt_i64(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// A trimmed text, or none when blank.
pub fn blank(s: &str) -> Option<String> {
    opt(s)
}

/// Every value of field `k`.
pub fn all<'a>(f: &'a Fields, k: &str) -> Vec<&'a str> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// How many of `errors` are about a field of the form, not about its
/// version (a change made meanwhile, said on its own).
pub(crate) fn field_problems(errors: &clef_domain::FieldErrors) -> u64 {
    errors.0.iter().filter(|e| e.field != "version").count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_form_names_each_field_once() {
        let f = CustomerForm {
            name: "".into(),
            country: "XX".into(),
            wallet: "abc".into(),
            satisfaction: "x".into(),
            ..Default::default()
        };
        let e = f.parse().unwrap_err();
        for field in ["name", "country", "wallet", "satisfaction"] {
            assert_eq!(
                e.0.iter().filter(|x| x.field == field).count(),
                1,
                "{field}: {e:?}"
            );
        }
    }

    #[test]
    fn a_wallet_is_read_in_the_customer_currency() {
        let f = CustomerForm {
            name: "A".into(),
            country: "fr".into(),
            wallet: "1 234,5".into(),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap().wallet.unwrap().minor, 123_450);
    }
}
