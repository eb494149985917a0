//! Calendar dates and monthly periods, without a time zone.

use crate::FieldError;
use serde::Serialize;

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::new(
                field,
                "required",
                format!("{field} is required: a date written YYYY-MM-DD"),
            ));
        }
        let bad = || {
            FieldError::new(
                field,
                "invalid-date",
                format!(
                    "{field} must be a date written YYYY-MM-DD, such as 2026-03-31, not \"{t}\""
                ),
            )
        };
        let parts: Vec<&str> = t.split('-').collect();
        if t.len() != 10 || parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 {
            return Err(bad());
        }
        let num = |s: &str| -> Result<u32, FieldError> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        let year = i32::try_from(y).map_err(|_| bad())?;
        if !(1900..=2200).contains(&year) {
            return Err(FieldError::new(
                field,
                "out-of-range",
                format!("{field} must be a date from 1900-01-01 to 2200-12-31, not \"{t}\""),
            ));
        }
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(year, m) {
            return Err(bad());
        }
        Ok(Self {
            year,
            month: m,
            day: d,
        })
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_unix_days(days: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn unix_days(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `earlier` to this date (negative if `earlier` is later).
    pub fn days_since(&self, earlier: Date) -> i64 {
        self.unix_days() - earlier.unix_days()
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(&self, n: i64) -> Date {
        Date::from_unix_days(self.unix_days() + n)
    }

    pub fn period(&self) -> Period {
        Period {
            year: self.year,
            month: self.month,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Formats a Unix timestamp as an RFC 3339 UTC time: `2026-11-23T20:14:04Z`.
pub fn rfc3339(unix_seconds: i64) -> String {
    let d = Date::from_unix_days(unix_seconds.div_euclid(86_400));
    let s = unix_seconds.rem_euclid(86_400);
    format!("{d}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// A calendar month, written `YYYY-MM` and stored as the integer `YYYYMM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        let bad = || {
            FieldError::new(
                field,
                "invalid-period",
                format!("{field} must be a month written YYYY-MM, such as 2026-03, not \"{t}\""),
            )
        };
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        if !(1900..=2200).contains(&year) {
            return Err(FieldError::new(
                field,
                "out-of-range",
                format!("{field} must be a month from 1900-01 to 2200-12, not \"{t}\""),
            ));
        }
        Ok(Self { year, month })
    }

    pub fn from_yyyymm(v: i32) -> Option<Self> {
        let (year, month) = (v / 100, (v % 100) as u32);
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    pub fn yyyymm(&self) -> i32 {
        self.year * 100 + self.month as i32
    }

    /// The month `n` months later (or earlier, for negative `n`).
    pub fn add_months(&self, n: i32) -> Self {
        let idx = self.year * 12 + self.month as i32 - 1 + n;
        Self {
            year: idx.div_euclid(12),
            month: (idx.rem_euclid(12) + 1) as u32,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip_through_the_calendar() {
        for n in [-800_000, -1, 0, 59, 365, 11_016, 20_781, 2_000_000] {
            assert_eq!(Date::from_unix_days(n).unix_days(), n);
        }
        let a = Date::parse("a", "2024-02-28").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.add_days(2).to_string(), "2024-03-01");
        assert_eq!(a.add_days(2).days_since(a), 2);
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(Date::parse("d", "2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "tomorrow",
            "2024-04-31",
        ] {
            assert_eq!(
                Date::parse("d", bad).unwrap_err().code,
                "invalid-date",
                "{bad}"
            );
        }
    }

    #[test]
    fn an_empty_date_is_required_and_a_far_month_out_of_range() {
        assert_eq!(Date::parse("on", "  ").map_err(|e| e.code), Err("required"));
        assert_eq!(
            Period::parse("period", "1899-12").map_err(|e| e.code),
            Err("out-of-range")
        );
        assert_eq!(
            Period::parse("period", "2026-13").map_err(|e| e.code),
            Err("invalid-period")
        );
    }

    #[test]
    fn unix_days_map_to_civil_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_415).to_string(), "2025-11-23");
        assert_eq!(rfc3339(1_795_465_444), "2026-11-23T20:24:04Z");
    }

    #[test]
    fn periods_roll_over_years() {
        let p = Period::parse("p", "2026-11").unwrap();
        assert_eq!(p.add_months(2).to_string(), "2027-01");
        assert_eq!(p.add_months(-11).to_string(), "2025-12");
        assert_eq!(Period::from_yyyymm(202_611), Some(p));
        assert!(Period::parse("p", "2026-13").is_err());
    }
}
