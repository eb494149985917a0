//! The interface's two languages, with Fluent messages in `locales/*.ftl`.

use clef_domain::{Currency, Locale, Money};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::borrow::Borrow;

pub struct I18n {
    en: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, src: &str) -> FluentBundle<FluentResource> {
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    b.set_use_isolating(false);
    // The files ship inside the binary and a test checks they parse, so a
    // broken entry is skipped here rather than stopping the server.
    let res = FluentResource::try_new(src.to_owned()).unwrap_or_else(|(res, _)| res);
    let _ = b.add_resource(res);
    b
}

impl I18n {
    pub fn load() -> Self {
        Self {
            en: bundle(
                unic_langid::langid!("en"),
                include_str!("../locales/en.ftl"),
            ),
            fr: bundle(
                unic_langid::langid!("fr"),
                include_str!("../locales/fr.ftl"),
            ),
        }
    }

    fn bundle(&self, l: Locale) -> &FluentBundle<FluentResource> {
        match l {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
    }

    /// The message `key` in `locale`, falling back to English, then to the key.
    pub fn get(&self, locale: Locale, key: &str, args: Option<&FluentArgs>) -> String {
        for b in [self.bundle(locale), &self.en] {
            if let Some(p) = b.get_message(key).and_then(|m| m.value()) {
                let mut errs = vec![];
                return b.format_pattern(p, args, &mut errs).into_owned();
            }
        }
        key.to_owned()
    }
}

/// What templates use to write text and numbers in the reader's language.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub locale: Locale,
}

impl Tr<'_> {
    pub fn t(&self, key: &str) -> String {
        self.i18n.get(self.locale, key, None)
    }

    /// A message with its arguments.
    pub fn with_args(&self, key: &str, args: &FluentArgs) -> String {
        self.i18n.get(self.locale, key, Some(args))
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        self.i18n.get(self.locale, key, Some(&args))
    }

    /// A request refused by a record's state, in the reader's words (its
    /// English sentence when the key has no message).
    pub fn refusal(&self, r: &clef_store::Refusal) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in &r.args {
            args.set(*k, FluentValue::from(v.clone()));
        }
        let m = self.i18n.get(self.locale, r.key, Some(&args));
        if m == r.key { r.message.clone() } else { m }
    }

    /// A message with a number argument, for plurals.
    pub fn tn(&self, key: &str, n: impl Borrow<u64>) -> String {
        let n = *n.borrow();
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(n as f64));
        args.set(
            "n",
            FluentValue::from(clef_domain::format_decimal(n as f64, 0, self.locale)),
        );
        self.i18n.get(self.locale, key, Some(&args))
    }

    /// A stored choice (`key_account`) in words: message `{prefix}-{value}`.
    pub fn choice(&self, prefix: &str, value: &str) -> String {
        self.t(&format!("{prefix}-{}", value.replace('_', "-")))
    }

    pub fn money(&self, minor: impl Borrow<i64>, currency: &str) -> String {
        let minor = *minor.borrow();
        match Currency::parse("currency", currency) {
            Ok(c) => Money::new(minor, c).format(self.locale),
            // A code Clef does not know: its amount in units, as for most currencies.
            Err(_) => format!(
                "{} {currency}",
                clef_domain::format_decimal(minor as f64 / 100.0, 2, self.locale)
            ),
        }
    }

    pub fn percent(&self, ratio: impl Borrow<f64>) -> String {
        clef_domain::format_percent(*ratio.borrow(), self.locale)
    }

    pub fn number(&self, n: impl Borrow<u64>) -> String {
        let n = *n.borrow();
        clef_domain::format_decimal(n as f64, 0, self.locale)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    pub fn date(&self, unix: impl Borrow<i64>) -> String {
        let unix = *unix.borrow();
        self.day(clef_domain::Date::from_unix_days(unix.div_euclid(86_400)))
    }

    /// A calendar day for the reader: 24/11/2026 or 2026-11-24.
    pub fn day(&self, d: clef_domain::Date) -> String {
        match self.locale {
            Locale::Fr => format!("{:02}/{:02}/{}", d.day, d.month, d.year),
            Locale::En => d.to_string(),
        }
    }

    /// A stored `YYYY-MM-DD` for the reader (as stored if it is not a date).
    pub fn iso_day(&self, iso: &str) -> String {
        clef_domain::Date::parse("date", iso).map_or_else(|_| iso.to_owned(), |d| self.day(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str) -> Vec<String> {
        src.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_languages_parse_and_hold_the_same_messages() {
        for src in [
            include_str!("../locales/en.ftl"),
            include_str!("../locales/fr.ftl"),
        ] {
            assert!(FluentResource::try_new(src.to_owned()).is_ok());
        }
        let mut en = keys(include_str!("../locales/en.ftl"));
        let mut fr = keys(include_str!("../locales/fr.ftl"));
        en.sort();
        fr.sort();
        for k in [&en, &fr] {
            let dups: Vec<_> = k
                .windows(2)
                .filter(|w| w[0] == w[1])
                .map(|w| &w[0])
                .collect();
            assert!(dups.is_empty(), "messages defined twice: {dups:?}");
        }
        let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            missing_fr.is_empty() && missing_en.is_empty(),
            "fr lacks {missing_fr:?}, en lacks {missing_en:?}"
        );
    }

    #[test]
    fn messages_are_translated() {
        let i = I18n::load();
        assert_eq!(i.get(Locale::Fr, "nav-portfolio", None), "Portefeuille");
        assert_eq!(i.get(Locale::En, "nav-portfolio", None), "Portfolio");
        let t = Tr {
            i18n: &i,
            locale: Locale::Fr,
        };
        assert_eq!(t.tn("customers-count", 1234), "1\u{202f}234 clients");
        assert_eq!(t.tn("customers-count", 1), "1 client");
        // French says one for zero: "Un résultat" would read as one found.
        assert_eq!(t.tn("plans-hits", 0), "Aucun résultat");
        assert_eq!(t.tn("plans-hits", 1), "Un résultat");
        assert_eq!(t.tn("import-done", 0), "Aucune ligne importée.");
    }
}
