//! A customer's contracts and their renewal dates: what is signed, what it
//! is worth a year, and by when the supplier must act before it renews.

use crate::{Currency, Date, FieldError, FieldErrors, Money, OptionalText, RequiredText};

/// The longest notice period a contract may name: two years.
pub const MAX_NOTICE_DAYS: i64 = 730;

/// A contract, as submitted.
#[derive(Debug, Clone, Default)]
pub struct ContractInput {
    pub title: String,
    pub reference: Option<String>,
    pub starts_on: Option<String>,
    pub renews_on: String,
    pub notice_days: Option<i64>,
    pub auto_renew: bool,
    pub annual_value_cents: Option<i64>,
    /// The currency of the value; the customer's when not given.
    pub currency: Option<String>,
    pub notes: Option<String>,
}

/// A contract whose fields have been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractFields {
    pub title: String,
    pub reference: Option<String>,
    pub starts_on: Option<Date>,
    pub renews_on: Date,
    pub notice_days: Option<i64>,
    pub auto_renew: bool,
    pub annual_value: Option<Money>,
    pub currency: Currency,
    pub notes: Option<String>,
}

impl ContractInput {
    /// Checks every field; `customer_currency` is the value's currency when
    /// none is given.
    pub fn parse(&self, customer_currency: Currency) -> Result<ContractFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take(RequiredText::parse("title", &self.title, 200));
        let reference = e.take(OptionalText::parse(
            "reference",
            self.reference.as_deref(),
            100,
        ));
        let notes = e.take(OptionalText::parse("notes", self.notes.as_deref(), 10_000));
        let starts_on = match self.starts_on.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(s) => e.take(Date::parse("starts_on", s)).map(Some),
        };
        let renews_on = if self.renews_on.trim().is_empty() {
            e.push(FieldError::new(
                "renews_on",
                "required",
                "renews_on (the renewal date) is required",
            ));
            None
        } else {
            e.take(Date::parse("renews_on", &self.renews_on))
        };
        if let (Some(Some(s)), Some(r)) = (starts_on, renews_on)
            && s > r
        {
            e.push(FieldError::new(
                "renews_on",
                "before-start",
                format!("renews_on ({r}) cannot be before starts_on ({s})"),
            ));
        }
        if let Some(n) = self.notice_days
            && !(0..=MAX_NOTICE_DAYS).contains(&n)
        {
            e.push(FieldError::new(
                "notice_days",
                "notice-out-of-range",
                format!("notice_days must be between 0 and {MAX_NOTICE_DAYS}, not {n}"),
            ));
        }
        let currency = match self.currency.as_deref().map(str::trim) {
            None | Some("") => Some(customer_currency),
            Some(c) => e.take(Currency::parse("currency", c)),
        };
        match self.annual_value_cents {
            Some(v) if v < 0 => e.push(FieldError::new(
                "annual_value_cents",
                "negative",
                "annual_value_cents (the contract's yearly value) cannot be negative",
            )),
            Some(v) if v > Money::MAX_MINOR => e.push(FieldError::new(
                "annual_value_cents",
                "out-of-range",
                format!("annual_value_cents must be at most {}", Money::MAX_MINOR),
            )),
            _ => {}
        }
        match (title, reference, notes, starts_on, renews_on, currency) {
            (Some(t), Some(r), Some(n), Some(s), Some(rn), Some(c)) if e.is_empty() => {
                Ok(ContractFields {
                    title: t.into_string(),
                    reference: r.into_option(),
                    starts_on: s,
                    renews_on: rn,
                    notice_days: self.notice_days,
                    auto_renew: self.auto_renew,
                    annual_value: self.annual_value_cents.map(|v| Money::new(v, c)),
                    currency: c,
                    notes: n.into_option(),
                })
            }
            _ => Err(e),
        }
    }
}

/// What a contract is found by: the words of its title and reference,
/// case and accents aside.
pub fn search_text(title: &str, reference: Option<&str>) -> String {
    crate::search_key(&format!("{title} {}", reference.unwrap_or_default()))
}

/// The last day to give notice (or to decide) before `renews_on`: the
/// renewals list is ordered by it.
pub fn decide_by(renews_on: Date, notice_days: Option<i64>) -> Date {
    renews_on.add_days(-notice_days.unwrap_or(0))
}

/// Where a contract stands on `today`, for the renewals list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// The renewal date has passed and nobody recorded the next one.
    Passed,
    /// The last day to give notice has passed: the contract renews (or
    /// ends) as it stands.
    NoticePassed,
    /// The last day to decide falls within [`DECIDE_DAYS`] days.
    Decide,
    /// Later.
    Later,
}

/// A decision due within this many days is to be taken now.
pub const DECIDE_DAYS: i64 = 90;

impl Renewal {
    pub fn of(renews_on: Date, notice_days: Option<i64>, today: Date) -> Self {
        let last_day = decide_by(renews_on, notice_days);
        if renews_on < today {
            Renewal::Passed
        } else if last_day < today {
            Renewal::NoticePassed
        } else if last_day.days_since(today) <= DECIDE_DAYS {
            Renewal::Decide
        } else {
            Renewal::Later
        }
    }

    /// A stable key (`passed`, `notice-passed`, `decide`, `later`).
    pub fn key(self) -> &'static str {
        match self {
            Renewal::Passed => "passed",
            Renewal::NoticePassed => "notice-passed",
            Renewal::Decide => "decide",
            Renewal::Later => "later",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap()
    }

    fn input() -> ContractInput {
        ContractInput {
            title: "Supply agreement".into(),
            renews_on: "2027-03-31".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_contract_needs_a_title_and_a_renewal_date() {
        let e = ContractInput::default().parse(Currency::EUR).unwrap_err();
        assert_eq!(e.get("title").map(|e| e.code), Some("required"));
        assert_eq!(e.get("renews_on").map(|e| e.code), Some("required"));
        let ok = input().parse(Currency::EUR).unwrap();
        assert_eq!(ok.renews_on, d("2027-03-31"));
        assert_eq!(ok.currency, Currency::EUR);
    }

    #[test]
    fn a_contract_cannot_renew_before_it_starts() {
        let mut i = input();
        i.starts_on = Some("2027-04-01".into());
        let e = i.parse(Currency::EUR).unwrap_err();
        assert_eq!(e.get("renews_on").map(|e| e.code), Some("before-start"));
        i.starts_on = Some("2027-03-31".into());
        assert!(i.parse(Currency::EUR).is_ok());
    }

    #[test]
    fn values_and_notice_are_bounded_and_the_currency_defaults_to_the_customers() {
        let mut i = input();
        i.annual_value_cents = Some(-1);
        i.notice_days = Some(731);
        i.currency = Some("EURO".into());
        let e = i.parse(Currency::EUR).unwrap_err();
        for f in ["annual_value_cents", "notice_days", "currency"] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        let mut i = input();
        i.annual_value_cents = Some(1_200_000);
        let usd = Currency::parse("c", "USD").unwrap();
        let f = i.parse(usd).unwrap();
        assert_eq!(f.annual_value, Some(Money::new(1_200_000, usd)));
    }

    #[test]
    fn a_renewal_is_passed_then_past_its_notice_then_to_decide_then_later() {
        let today = d("2026-11-24");
        let notice = Some(60);
        assert_eq!(Renewal::of(d("2026-11-23"), notice, today), Renewal::Passed);
        // Renewing in 45 days with 60 days of notice: the last day was 15 days ago.
        assert_eq!(
            Renewal::of(d("2027-01-08"), notice, today),
            Renewal::NoticePassed
        );
        assert_eq!(Renewal::of(d("2027-01-23"), notice, today), Renewal::Decide);
        assert_eq!(Renewal::of(d("2026-11-24"), None, today), Renewal::Decide);
        // Renewing in 150 days with 90 of notice: decide within 60 days.
        assert_eq!(
            Renewal::of(d("2027-04-23"), Some(90), today),
            Renewal::Decide
        );
        assert_eq!(Renewal::of(d("2027-02-22"), None, today), Renewal::Decide);
        assert_eq!(Renewal::of(d("2027-02-23"), None, today), Renewal::Later);
        assert_eq!(decide_by(d("2027-03-01"), Some(30)), d("2027-01-30"));
    }
}
