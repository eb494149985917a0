//! Numbers written for the reader's language.

use crate::Locale;

/// Groups the digits of `n` by thousands: `1 234 567` (French, with a narrow
/// no-break space) or `1,234,567` (English).
pub(crate) fn group_digits(n: u64, locale: Locale) -> String {
    group_digit_text(&n.to_string(), locale)
}

/// Groups a string of digits by thousands (any length).
fn group_digit_text(s: &str, locale: Locale) -> String {
    let sep = match locale {
        Locale::Fr => '\u{202f}',
        Locale::En => ',',
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 * 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal number with `decimals` digits after the separator.
pub fn format_decimal(x: f64, decimals: usize, locale: Locale) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let grouped = group_digit_text(int, locale);
    let sign = if x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        let dsep = if locale == Locale::Fr { ',' } else { '.' };
        format!("{sign}{grouped}{dsep}{frac}")
    }
}

/// A ratio (0.25) as a percentage (`25,0 %` or `25.0%`).
pub fn format_percent(ratio: f64, locale: Locale) -> String {
    let n = format_decimal(ratio * 100.0, 1, locale);
    match locale {
        Locale::Fr => format!("{n}\u{a0}%"),
        Locale::En => format!("{n}%"),
    }
}

/// A whole percentage (`86 %` or `86%`).
pub fn format_whole_percent(p: impl Into<i64>, locale: Locale) -> String {
    let p = format_decimal(p.into() as f64, 0, locale);
    match locale {
        Locale::Fr => format!("{p}\u{a0}%"),
        Locale::En => format!("{p}%"),
    }
}

/// Text made safe inside XML or HTML markup.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_reader_language() {
        assert_eq!(format_decimal(1234.5, 1, Locale::Fr), "1\u{202f}234,5");
        assert_eq!(format_decimal(1234.5, 1, Locale::En), "1,234.5");
        assert_eq!(format_decimal(-0.04, 1, Locale::En), "0.0");
        // Beyond what a u64 holds, the digits are still all there.
        assert_eq!(
            format_decimal(1.5e20, 0, Locale::En),
            "150,000,000,000,000,000,000"
        );
        assert_eq!(format_percent(0.256, Locale::Fr), "25,6\u{a0}%");
        assert_eq!(format_percent(0.256, Locale::En), "25.6%");
    }
}
