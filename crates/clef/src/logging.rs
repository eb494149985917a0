//! Log lines to stderr, as text or JSON, filtered like `RUST_LOG`.

use crate::cli::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the global logger; fails on an invalid filter.
pub fn init(format: LogFormat, level: &str) -> Result<(), String> {
    check_levels(level)?;
    let filter = EnvFilter::try_new(level)
        .map_err(|e| format!("invalid log level \"{level}\" (--log-level / CLEF_LOG): {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A logger may already be installed (in tests); keep it then.
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    Ok(())
}

/// A bare word must be a level: `verbose` would otherwise be read as the
/// name of a module to log, and log almost nothing. A module is named with
/// its level (`clef_web=debug`), or has `_` or `::` in its name.
fn check_levels(level: &str) -> Result<(), String> {
    const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];
    for d in level.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        // A word of letters only (no `_`, `::`, `=`, `[`, digit) that is
        // not a level: most likely a level mistyped.
        let word = d.chars().all(|c| c.is_ascii_alphabetic());
        if word && !LEVELS.contains(&d.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "invalid log level \"{d}\" (--log-level / CLEF_LOG): use error, warn, info, debug or trace, or directives such as info,clef_web=debug"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bare_word_must_be_a_level() {
        assert!(super::check_levels("verbose").is_err());
        assert!(super::check_levels("info,loud").is_err());
        for ok in [
            "info",
            "DEBUG",
            "info,clef_web=debug",
            "clef_store::direct",
            "warn,",
            "3",
            "clef_web",
            "[request]",
        ] {
            assert!(super::check_levels(ok).is_ok(), "{ok}");
        }
    }
}
