//! Money: an integer number of minor units (cents) with an ISO 4217 currency.

use crate::{FieldError, Locale, format::group_digits};
use serde::Serialize;

/// Active ISO 4217 codes. Currencies whose minor unit is not 2 digits are
/// listed in [`ZERO_DECIMALS`] and [`THREE_DECIMALS`].
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG";
const ZERO_DECIMALS: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
const THREE_DECIMALS: &str = "BHD IQD JOD KWD LYD OMR TND";

/// An ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(FieldError::required(field));
        }
        let b = t.as_bytes();
        if b.len() == 3 && crate::text::in_code_list(CURRENCIES, b) {
            Ok(Self([b[0], b[1], b[2]]))
        } else {
            Err(FieldError::new(
                field,
                "invalid-currency",
                format!(
                    "{field} must be an ISO 4217 currency code such as EUR or USD, not \"{}\"",
                    raw.trim()
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        // The bytes come from CURRENCIES, which is ASCII.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal point in this currency's minor unit.
    pub fn decimals(&self) -> u32 {
        if crate::text::in_code_list(ZERO_DECIMALS, &self.0) {
            0
        } else if crate::text::in_code_list(THREE_DECIMALS, &self.0) {
            3
        } else {
            2
        }
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"EUR" => Some("€"),
            b"USD" => Some("$"),
            b"GBP" => Some("£"),
            b"JPY" => Some("¥"),
            _ => None,
        }
    }

    pub fn all() -> impl Iterator<Item = &'static str> {
        CURRENCIES.split(' ')
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount in minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// The largest amount, in minor units, that Clef stores and reads back
    /// (15 digits before the decimal point).
    pub const MAX_MINOR: i64 = 99_999_999_999_999_999;

    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a decimal amount written by a person ("1234.5", "1 234,50").
    pub fn parse_amount(field: &str, raw: &str, currency: Currency) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                "invalid-amount",
                format!(
                    "{field} must be an amount such as 1234.50, not \"{}\"",
                    raw.trim()
                ),
            )
        };
        // A sign first; spaces, a currency sign or the currency's code
        // around the amount (`-63 800,00 €`, `EUR 1,234.50`) are left out.
        let code = currency.as_str();
        let t = raw.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        let t = t
            .get(..code.len())
            .filter(|p| p.eq_ignore_ascii_case(code))
            .map_or(t, |_| &t[code.len()..]);
        let t = t
            .len()
            .checked_sub(code.len())
            .and_then(|k| {
                t.get(k..)
                    .filter(|s| s.eq_ignore_ascii_case(code))
                    .map(|_| &t[..k])
            })
            .unwrap_or(t);
        let t = currency.symbol().map_or(t, |sym| {
            t.trim().trim_start_matches(sym).trim_end_matches(sym)
        });
        // A sign written after the currency (`€-12.34`).
        let (neg, t) = match t.trim().strip_prefix('-') {
            Some(rest) if !neg => (true, rest),
            _ => (neg, t),
        };
        let kept: String = t
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
            .collect();
        if kept.is_empty() {
            return Err(FieldError::required(field));
        }
        let dec = currency.decimals() as usize;
        // The decimal separator: the last of `,` and `.` when both are
        // there (`1.234,50`, `1,234.50`); a lone one, unless the currency
        // has no decimals and three digits follow it (`¥1,500`). Any other
        // separator groups thousands, and only as such (`1,234,567`).
        let last = kept.rfind([',', '.']);
        let decimal = last.filter(|&i| {
            let sep = &kept[i..=i];
            let lone = kept.matches(sep).count() == 1;
            let other = if sep == "," { "." } else { "," };
            let both = kept.contains(other);
            both || (lone && !(dec == 0 && kept.len() - i - 1 == 3))
        });
        let (int, frac) = match decimal {
            Some(i) => (&kept[..i], &kept[i + 1..]),
            None => (kept.as_str(), ""),
        };
        // Groups of thousands: one to three digits, then threes.
        let groups: Vec<&str> = int.split([',', '.']).collect();
        let grouped = groups.len() == 1
            || (groups.iter().skip(1).all(|g| g.len() == 3)
                && (1..=3).contains(&groups[0].len())
                && {
                    let seps: Vec<char> = int.chars().filter(|c| matches!(c, ',' | '.')).collect();
                    seps.windows(2).all(|w| w[0] == w[1])
                });
        let int: String = groups.concat();
        if !grouped
            || int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > dec
            || int.len() > 15
        {
            return Err(bad());
        }
        let mut minor: i64 = int.parse().map_err(|_| bad())?;
        for i in 0..dec {
            let d = frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
            minor = minor * 10 + d;
        }
        Ok(Self::new(if neg { -minor } else { minor }, currency))
    }

    /// The amount as a plain decimal string, e.g. `1234.50`.
    pub fn to_decimal_string(&self) -> String {
        let dec = self.currency.decimals();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if dec == 0 {
            return format!("{sign}{abs}");
        }
        let p = 10u64.pow(dec);
        format!(
            "{sign}{}.{:0width$}",
            abs / p,
            abs % p,
            width = dec as usize
        )
    }

    /// The amount written for a reader of `locale`: `1 234,50 €` or `€1,234.50`.
    pub fn format(&self, locale: Locale) -> String {
        let dec = self.currency.decimals();
        let abs = self.minor.unsigned_abs();
        let p = 10u64.pow(dec);
        let int = group_digits(abs / p, locale);
        let number = if dec == 0 {
            int
        } else {
            let sep = if locale == Locale::Fr { ',' } else { '.' };
            format!("{int}{sep}{:0width$}", abs % p, width = dec as usize)
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        match (locale, self.currency.symbol()) {
            (Locale::Fr, Some(s)) => format!("{sign}{number}\u{a0}{s}"),
            (Locale::Fr, None) => format!("{sign}{number}\u{a0}{}", self.currency),
            (Locale::En, Some(s)) => format!("{sign}{s}{number}"),
            (Locale::En, None) => format!("{sign}{}\u{a0}{number}", self.currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_formatted_for_the_reader() {
        let m = Money::new(123_456_789, Currency::EUR);
        assert_eq!(m.format(Locale::Fr), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(m.format(Locale::En), "€1,234,567.89");
        let chf = Currency::parse("c", "chf").unwrap();
        assert_eq!(Money::new(-5, chf).format(Locale::En), "-CHF\u{a0}0.05");
        let jpy = Currency::parse("c", "JPY").unwrap();
        assert_eq!(Money::new(1500, jpy).format(Locale::En), "¥1,500");
    }

    #[test]
    fn amounts_parse_from_either_convention() {
        let eur = Currency::EUR;
        assert_eq!(
            Money::parse_amount("a", "1 234,5", eur).unwrap().minor,
            123_450
        );
        assert_eq!(
            Money::parse_amount("a", "-12.34", eur).unwrap().minor,
            -1234
        );
        assert_eq!(
            Money::parse_amount("a", "7", eur)
                .unwrap()
                .to_decimal_string(),
            "7.00"
        );
        // As the pages show amounts, and as people copy them.
        for (text, minor) in [
            ("63 800,00 €", 6_380_000),
            ("€1,234.50", 123_450),
            ("EUR 1 234,50", 123_450),
            ("1.234,50", 123_450),
            ("1,234,567", 123_456_700),
            ("1234,50 eur", 123_450),
        ] {
            assert_eq!(
                Money::parse_amount("a", text, eur).unwrap().minor,
                minor,
                "{text}"
            );
        }
        assert_eq!(
            Money::parse_amount("a", "-€12.34", eur).unwrap().minor,
            -1234
        );
        assert_eq!(
            Money::parse_amount("a", "€-12.34", eur).unwrap().minor,
            -1234
        );
        let jpy = Currency::parse("currency", "JPY").unwrap();
        assert_eq!(Money::parse_amount("a", "¥1,500", jpy).unwrap().minor, 1500);
        assert_eq!(Money::parse_amount("a", "1.500", jpy).unwrap().minor, 1500);
        // Separators that do not group thousands are not read as such.
        for bad in [
            "1.2.3",
            "1,2,3",
            "12.345.67",
            "1,234.5.6",
            "1.234,567.8",
            "1,23,456",
        ] {
            assert!(Money::parse_amount("a", bad, eur).is_err(), "{bad}");
        }
        for bad in ["abc", "1.234", "1e5", "--1", ".5", "$12", "12 USD"] {
            assert_eq!(
                Money::parse_amount("a", bad, eur).unwrap_err().code,
                "invalid-amount",
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_currencies_are_refused() {
        assert_eq!(
            Currency::parse("currency", "EUX").unwrap_err().code,
            "invalid-currency"
        );
        assert_eq!(Currency::parse("currency", "usd").unwrap().as_str(), "USD");
        // Every listed code is found, and nothing between or around them.
        assert_eq!(Currency::all().count(), 155);
        for c in Currency::all() {
            assert_eq!(Currency::parse("currency", c).unwrap().as_str(), c);
        }
        for bad in ["AAA", "ZZZ", "EUS", "EU", "EURO", "E"] {
            assert!(Currency::parse("currency", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn minor_units_follow_the_currency() {
        let d = |c: &str| Currency::parse("currency", c).unwrap().decimals();
        assert_eq!(
            (d("EUR"), d("USD"), d("JPY"), d("XPF"), d("BIF")),
            (2, 2, 0, 0, 0)
        );
        assert_eq!((d("BHD"), d("TND"), d("KWD"), d("CHF")), (3, 3, 3, 2));
        let zero = Currency::all().filter(|c| d(c) == 0).count();
        let three = Currency::all().filter(|c| d(c) == 3).count();
        assert_eq!((zero, three), (16, 7));
    }
}
