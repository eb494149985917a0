//! Text values parsed at the edge: names, e-mail addresses, country codes.

use crate::FieldError;
use serde::Serialize;

/// A trimmed, non-empty text of at most `max` characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RequiredText(String);

impl RequiredText {
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::required(field));
        }
        check_len(field, t, max)?;
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An optional text: blank input means "none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OptionalText(Option<String>);

impl OptionalText {
    pub fn parse(field: &str, raw: Option<&str>, max: usize) -> Result<Self, FieldError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(Self(None)),
            Some(t) => {
                check_len(field, t, max)?;
                Ok(Self(Some(t.to_owned())))
            }
        }
    }

    pub fn into_option(self) -> Option<String> {
        self.0
    }
}

fn check_len(field: &str, t: &str, max: usize) -> Result<(), FieldError> {
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too-long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "control-chars",
            format!("{field} contains control characters"),
        ));
    }
    Ok(())
}

/// An e-mail address, lower-cased: one `@`, a local part, a domain with a dot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::required(field));
        }
        let bad = || {
            FieldError::new(
                field,
                "invalid-email",
                format!("{field} must be an e-mail address such as name@example.com, not \"{t}\""),
            )
        };
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = t.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || domain.starts_with('-')
        {
            return Err(bad());
        }
        Ok(Self(t.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ISO 3166-1 alpha-2 codes of the officially assigned countries.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` is one of the codes of `list`: codes of one length,
/// sorted, one space apart (a binary search: imports check a million).
pub(crate) fn in_code_list(list: &str, code: &[u8]) -> bool {
    let all = list.as_bytes();
    let width = code.len();
    if width == 0 || all.get(width).is_some_and(|b| *b != b' ') {
        return false;
    }
    let (mut lo, mut hi) = (0, (all.len() + 1) / (width + 1));
    while lo < hi {
        let mid = (lo + hi) / 2;
        let at = mid * (width + 1);
        match all[at..at + width].cmp(code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// A country as an ISO 3166-1 alpha-2 code (`FR`, `DE`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(FieldError::required(field));
        }
        let b = t.as_bytes();
        if b.len() == 2 && in_code_list(COUNTRIES, b) {
            Ok(Self([b[0], b[1]]))
        } else {
            Err(FieldError::new(
                field,
                "invalid-country",
                format!(
                    "{field} must be a two-letter ISO 3166 country code such as FR or DE, not \"{}\"",
                    raw.trim()
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        // The bytes come from COUNTRIES, which is ASCII.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Every known code, in order.
    pub fn all() -> impl Iterator<Item = &'static str> {
        COUNTRIES.split(' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_needs_a_local_part_and_a_dotted_domain() {
        for bad in [
            "", "a", "a@b", "@b.fr", "a@.fr", "a@b..fr", "a b@c.fr", "a@b@c.fr",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
        assert_eq!(
            Email::parse("email", "A.B@C.fr").unwrap().as_str(),
            "a.b@c.fr"
        );
    }

    #[test]
    fn a_country_is_an_assigned_iso_code() {
        assert_eq!(CountryCode::parse("country", "fr").unwrap().as_str(), "FR");
        let e = CountryCode::parse("country", "XX").unwrap_err();
        assert_eq!(e.code, "invalid-country");
        assert!(CountryCode::parse("country", "FRA").is_err());
        // Every listed code is found, and nothing between or around them.
        assert_eq!(CountryCode::all().count(), 249);
        for c in CountryCode::all() {
            assert_eq!(CountryCode::parse("country", c).unwrap().as_str(), c);
        }
        for bad in ["AA", "ZZ", "AB", "FS", "A", "", "Z"] {
            assert!(CountryCode::parse("country", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(
            RequiredText::parse("name", "  Acme ", 10).unwrap().as_str(),
            "Acme"
        );
        assert_eq!(
            RequiredText::parse("name", "   ", 10).unwrap_err().code,
            "required"
        );
        assert_eq!(
            RequiredText::parse("name", "abcdefghijk", 10)
                .unwrap_err()
                .code,
            "too-long"
        );
    }
}

/// The form of a text used for sorting and prefix search: lower case, Latin
/// accents removed, runs of spaces collapsed. "Société Générale" → "societe generale".
pub fn search_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            'ß' => {
                out.push('s');
                's'
            }
            c => c,
        };
        // A control character (which no stored text holds, and PostgreSQL
        // refuses when it is NUL) separates words like a space.
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod search_key_tests {
    use super::search_key;

    #[test]
    fn search_keys_ignore_case_accents_and_spacing() {
        assert_eq!(search_key("  Société   Générale "), "societe generale");
        assert_eq!(search_key("Œuvre Straße"), "oeuvre strasse");
        assert_eq!(search_key("a\0b\u{1}"), "a b");
    }
}
