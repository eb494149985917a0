//! The customer portfolio: customers, groups, contacts and revenue, and the
//! figures derived from them.

use crate::{
    BusinessUnitId, CountryCode, Currency, CustomerId, Email, FieldError, FieldErrors, GroupId,
    Money, OptionalText, Period, RequiredText, UserId, string_enum,
};

string_enum!(
    /// Where a customer stands in the KAM program.
    CustomerStatus, "invalid-choice", {
    Customer => "customer",
    Candidate => "candidate",
    KeyAccount => "key_account",
    Deselected => "deselected",
});

string_enum!(
    /// The service level customer service gives the customer.
    ServiceTier, "invalid-choice", {
    Gold => "gold",
    Silver => "silver",
    Bronze => "bronze",
});

string_enum!(
    /// The reach of a customer group.
    GroupScope, "invalid-choice", {
    National => "national",
    Regional => "regional",
    Global => "global",
});

string_enum!(
    /// How likely the customer is to reduce what it buys from us.
    Threat, "invalid-choice", {
    None => "none",
    Low => "low",
    Medium => "medium",
    High => "high",
});

string_enum!(
    /// Our position against competitors at this customer.
    CompetitivePosition, "invalid-choice", {
    Weak => "weak",
    Average => "average",
    Strong => "strong",
    Leader => "leader",
});

/// A customer as submitted by a form, the API or an import, before checks.
#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub name: String,
    pub legal_id: Option<String>,
    pub group_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub business_unit_id: Option<i64>,
    pub industry: Option<String>,
    pub strategic_segment: Option<String>,
    pub owner_id: Option<i64>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub currency: Option<String>,
    pub wallet_cents: Option<i64>,
    pub threat: Option<String>,
    pub competitive_position: Option<String>,
    pub satisfaction: Option<i64>,
    pub notes: Option<String>,
}

/// A customer whose every field has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFields {
    pub name: String,
    pub legal_id: Option<String>,
    pub group_id: Option<GroupId>,
    pub parent_id: Option<CustomerId>,
    pub country: CountryCode,
    pub region: Option<String>,
    pub city: Option<String>,
    pub business_unit_id: Option<BusinessUnitId>,
    pub industry: Option<String>,
    pub strategic_segment: Option<String>,
    pub owner_id: Option<UserId>,
    pub status: CustomerStatus,
    pub tier: ServiceTier,
    pub currency: Currency,
    pub wallet: Option<Money>,
    pub threat: Option<Threat>,
    pub competitive_position: Option<CompetitivePosition>,
    pub satisfaction: Option<i64>,
    pub notes: Option<String>,
}

fn opt_enum<T>(
    errs: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    parse: fn(&str, &str) -> Result<T, FieldError>,
) -> Option<T> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => errs.take(parse(field, s)),
    }
}

fn positive_id(errs: &mut FieldErrors, field: &str, v: Option<i64>) -> Option<i64> {
    match v {
        Some(i) if i <= 0 => {
            errs.push(FieldError::new(
                field,
                "invalid-id",
                format!("{field} must be a positive id"),
            ));
            None
        }
        other => other,
    }
}

impl CustomerInput {
    /// Checks every field and returns all the problems at once.
    pub fn parse(&self) -> Result<CustomerFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take(RequiredText::parse("name", &self.name, 200));
        let legal_id = e.take(OptionalText::parse(
            "legal_id",
            self.legal_id.as_deref(),
            64,
        ));
        let country = e.take(CountryCode::parse("country", &self.country));
        let region = e.take(OptionalText::parse("region", self.region.as_deref(), 100));
        let city = e.take(OptionalText::parse("city", self.city.as_deref(), 100));
        let industry = e.take(OptionalText::parse(
            "industry",
            self.industry.as_deref(),
            100,
        ));
        let segment = e.take(OptionalText::parse(
            "strategic_segment",
            self.strategic_segment.as_deref(),
            100,
        ));
        let notes = e.take(OptionalText::parse("notes", self.notes.as_deref(), 10_000));
        let status = opt_enum(&mut e, "status", &self.status, CustomerStatus::parse);
        let tier = opt_enum(&mut e, "tier", &self.tier, ServiceTier::parse);
        let threat = opt_enum(&mut e, "threat", &self.threat, Threat::parse);
        let position = opt_enum(
            &mut e,
            "competitive_position",
            &self.competitive_position,
            CompetitivePosition::parse,
        );
        let currency = match self.currency.as_deref().map(str::trim) {
            None | Some("") => Some(Currency::EUR),
            Some(c) => e.take(Currency::parse("currency", c)),
        };
        if let Some(w) = self.wallet_cents
            && w < 0
        {
            e.push(FieldError::new(
                "wallet_cents",
                "negative",
                "wallet_cents (the estimated potential) cannot be negative",
            ));
        }
        if let Some(w) = self.wallet_cents
            && w > Money::MAX_MINOR
        {
            e.push(FieldError::new(
                "wallet_cents",
                "out-of-range",
                format!("wallet_cents must be at most {}", Money::MAX_MINOR),
            ));
        }
        if let Some(s) = self.satisfaction
            && !(0..=10).contains(&s)
        {
            e.push(FieldError::new(
                "satisfaction",
                "out-of-range",
                "satisfaction must be between 0 and 10",
            ));
        }
        let group_id = positive_id(&mut e, "group_id", self.group_id);
        let parent_id = positive_id(&mut e, "parent_id", self.parent_id);
        let bu = positive_id(&mut e, "business_unit_id", self.business_unit_id);
        let owner = positive_id(&mut e, "owner_id", self.owner_id);
        match (name, country, currency, e.is_empty()) {
            (Some(name), Some(country), Some(currency), true) => Ok(CustomerFields {
                name: name.into_string(),
                legal_id: legal_id.and_then(OptionalText::into_option),
                group_id: group_id.map(GroupId),
                parent_id: parent_id.map(CustomerId),
                country,
                region: region.and_then(OptionalText::into_option),
                city: city.and_then(OptionalText::into_option),
                business_unit_id: bu.map(BusinessUnitId),
                industry: industry.and_then(OptionalText::into_option),
                strategic_segment: segment.and_then(OptionalText::into_option),
                owner_id: owner.map(UserId),
                status: status.unwrap_or(CustomerStatus::Customer),
                tier: tier.unwrap_or(ServiceTier::Bronze),
                currency,
                wallet: self.wallet_cents.map(|w| Money::new(w, currency)),
                threat,
                competitive_position: position,
                satisfaction: self.satisfaction,
                notes: notes.and_then(OptionalText::into_option),
            }),
            _ => Err(e),
        }
    }
}

/// A contact person at a customer, as submitted.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub notes: Option<String>,
}

/// A contact whose fields have been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFields {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub notes: Option<String>,
}

impl ContactInput {
    pub fn parse(&self) -> Result<ContactFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let first = e.take(RequiredText::parse("first_name", &self.first_name, 100));
        let last = e.take(RequiredText::parse("last_name", &self.last_name, 100));
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(s) => e.take(Email::parse("email", s)).map(Some),
        };
        let phone = e.take(OptionalText::parse("phone", self.phone.as_deref(), 40));
        if let Some(p) = self.phone.as_deref()
            && !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            e.push(FieldError::new(
                "phone",
                "invalid-phone",
                "phone may hold only digits, spaces and + - ( ) .",
            ));
        }
        let title = e.take(OptionalText::parse(
            "job_title",
            self.job_title.as_deref(),
            100,
        ));
        let notes = e.take(OptionalText::parse("notes", self.notes.as_deref(), 10_000));
        match (first, last, email, e.is_empty()) {
            (Some(f), Some(l), Some(email), true) => Ok(ContactFields {
                first_name: f.into_string(),
                last_name: l.into_string(),
                email,
                phone: phone.and_then(OptionalText::into_option),
                job_title: title.and_then(OptionalText::into_option),
                notes: notes.and_then(OptionalText::into_option),
            }),
            _ => Err(e),
        }
    }
}

/// One month of revenue and margin of a customer in a business unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevenueLine {
    pub customer_id: CustomerId,
    pub business_unit_id: BusinessUnitId,
    pub period: Period,
    pub revenue_cents: i64,
    pub margin_cents: i64,
    pub currency: Currency,
}

/// The largest revenue, and the lowest margin below zero, of one revenue
/// line: 9,999,999,999,999.99 in the currency. A customer's twelve months
/// in every business unit (at most [`BUSINESS_UNITS_MAX`]) then add up
/// without overflow; a whole portfolio's totals add up in 128 bits.
pub const REVENUE_LINE_MAX_CENTS: i64 = 999_999_999_999_999;

/// The most business units Clef keeps: 12 months of the largest revenue
/// line in each of them stay below `i64::MAX` cents.
pub const BUSINESS_UNITS_MAX: u64 = 500;

const _: () = assert!(
    (REVENUE_LINE_MAX_CENTS as i128) * 12 * (BUSINESS_UNITS_MAX as i128) < i64::MAX as i128
);

/// A revenue line as submitted, before checks.
#[derive(Debug, Clone, Default)]
pub struct RevenueLineInput {
    pub customer_id: i64,
    pub business_unit_id: i64,
    pub period: String,
    pub revenue_cents: i64,
    pub margin_cents: i64,
    pub currency: Option<String>,
}

impl RevenueLineInput {
    pub fn parse(&self) -> Result<RevenueLine, FieldErrors> {
        let mut e = FieldErrors::new();
        let period = e.take(Period::parse("period", &self.period));
        let currency = match self.currency.as_deref().map(str::trim) {
            None | Some("") => Some(Currency::EUR),
            Some(c) => e.take(Currency::parse("currency", c)),
        };
        if self.customer_id <= 0 {
            e.push(FieldError::new(
                "customer_id",
                "invalid-id",
                "customer_id must be a positive id",
            ));
        }
        if self.business_unit_id <= 0 {
            e.push(FieldError::new(
                "business_unit_id",
                "invalid-id",
                "business_unit_id must be a positive id",
            ));
        }
        if self.revenue_cents < 0 {
            e.push(FieldError::new(
                "revenue_cents",
                "negative",
                "revenue_cents cannot be negative; record credit notes as a lower revenue",
            ));
        }
        if self.revenue_cents > REVENUE_LINE_MAX_CENTS {
            e.push(FieldError::new(
                "revenue_cents",
                "out-of-range",
                format!("revenue_cents must be at most {REVENUE_LINE_MAX_CENTS}"),
            ));
        }
        if self.margin_cents < -REVENUE_LINE_MAX_CENTS {
            e.push(FieldError::new(
                "margin_cents",
                "out-of-range",
                format!("margin_cents must be at least -{REVENUE_LINE_MAX_CENTS}"),
            ));
        }
        if self.margin_cents > self.revenue_cents.max(0) {
            e.push(FieldError::new(
                "margin_cents",
                "margin-above-revenue",
                "margin_cents cannot exceed revenue_cents",
            ));
        }
        match (period, currency, e.is_empty()) {
            (Some(period), Some(currency), true) => Ok(RevenueLine {
                customer_id: CustomerId(self.customer_id),
                business_unit_id: BusinessUnitId(self.business_unit_id),
                period,
                revenue_cents: self.revenue_cents,
                margin_cents: self.margin_cents,
                currency,
            }),
            _ => Err(e),
        }
    }
}

/// Revenue and margin of one year in one business unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFigures {
    pub year: i32,
    pub business_unit_id: BusinessUnitId,
    pub currency: Currency,
    pub revenue_cents: i64,
    pub margin_cents: i64,
}

/// Sums monthly lines into years × business units, newest year first.
pub fn yearly_figures(lines: &[RevenueLine]) -> Vec<YearFigures> {
    let mut map: std::collections::BTreeMap<(i32, BusinessUnitId, Currency), (i64, i64)> =
        std::collections::BTreeMap::new();
    for l in lines {
        let v = map
            .entry((l.period.year, l.business_unit_id, l.currency))
            .or_default();
        v.0 = v.0.saturating_add(l.revenue_cents);
        v.1 = v.1.saturating_add(l.margin_cents);
    }
    let mut out: Vec<YearFigures> = map
        .into_iter()
        .map(|((year, bu, currency), (r, m))| YearFigures {
            year,
            business_unit_id: bu,
            currency,
            revenue_cents: r,
            margin_cents: m,
        })
        .collect();
    out.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(a.business_unit_id.cmp(&b.business_unit_id))
    });
    out
}

/// Revenue over the 12 months ending with `last` (inclusive), in `currency`.
pub fn trailing_twelve_months(lines: &[RevenueLine], last: Period, currency: Currency) -> i64 {
    let first = last.add_months(-11);
    lines
        .iter()
        .filter(|l| l.currency == currency && l.period >= first && l.period <= last)
        .map(|l| l.revenue_cents)
        .fold(0i64, i64::saturating_add)
}

/// Share of wallet: our revenue divided by the customer's estimated spend in
/// our categories. `None` when the wallet is unknown or zero.
pub fn share_of_wallet(revenue_cents: i64, wallet_cents: Option<i64>) -> Option<f64> {
    match wallet_cents {
        Some(w) if w > 0 => Some(revenue_cents as f64 / w as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> CustomerInput {
        CustomerInput {
            name: "Acme SA".into(),
            country: "FR".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_customer_needs_a_name_and_a_country() {
        let errs = CustomerInput::default().parse().unwrap_err();
        assert_eq!(errs.get("name").unwrap().code, "required");
        assert_eq!(errs.get("country").unwrap().code, "required");
        let c = valid().parse().unwrap();
        assert_eq!(c.status, CustomerStatus::Customer);
        assert_eq!(c.tier, ServiceTier::Bronze);
        assert_eq!(c.currency, Currency::EUR);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = CustomerInput {
            currency: Some("EURO".into()),
            tier: Some("platinum".into()),
            wallet_cents: Some(-1),
            satisfaction: Some(11),
            ..valid()
        };
        let errs = input.parse().unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tier", "currency", "wallet_cents", "satisfaction"]);
    }

    #[test]
    fn a_contact_email_must_be_valid_when_given() {
        let mut c = ContactInput {
            first_name: "Anne".into(),
            last_name: "Martin".into(),
            ..Default::default()
        };
        assert!(c.parse().is_ok());
        c.email = Some("anne@".into());
        assert_eq!(
            c.parse().unwrap_err().get("email").unwrap().code,
            "invalid-email"
        );
    }

    #[test]
    fn revenue_lines_sum_by_year_and_business_unit() {
        let line = |p: &str, bu: i64, r: i64| RevenueLine {
            customer_id: CustomerId(1),
            business_unit_id: BusinessUnitId(bu),
            period: Period::parse("p", p).unwrap(),
            revenue_cents: r,
            margin_cents: r / 4,
            currency: Currency::EUR,
        };
        let lines = [
            line("2025-01", 1, 100),
            line("2025-12", 1, 50),
            line("2026-03", 2, 40),
            line("2026-04", 1, 8),
        ];
        let y = yearly_figures(&lines);
        assert_eq!(y.len(), 3);
        assert_eq!(
            (y[0].year, y[0].business_unit_id.0, y[0].revenue_cents),
            (2026, 1, 8)
        );
        assert_eq!(
            (y[2].year, y[2].revenue_cents, y[2].margin_cents),
            (2025, 150, 37)
        );
        let last = Period::parse("p", "2026-04").unwrap();
        assert_eq!(trailing_twelve_months(&lines, last, Currency::EUR), 98);
        assert_eq!(share_of_wallet(98, Some(196)), Some(0.5));
        assert_eq!(share_of_wallet(98, Some(0)), None);
    }

    #[test]
    fn margin_cannot_exceed_revenue() {
        let r = RevenueLineInput {
            customer_id: 1,
            business_unit_id: 1,
            period: "2026-01".into(),
            revenue_cents: 10,
            margin_cents: 11,
            currency: None,
        };
        assert_eq!(r.parse().unwrap_err().0[0].code, "margin-above-revenue");
    }
}
