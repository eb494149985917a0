//! The command line: every flag can also be set by a `CLEF_*` environment variable.

use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The roles a user may have (as in `clef_domain::Role`).
pub const ROLES: [&str; 7] = [
    "admin",
    "director",
    "kam",
    "account_manager",
    "member",
    "sponsor",
    "viewer",
];
/// The titles of users with the kam role (as in `clef_domain::KamTitle`).
pub const TITLES: [&str; 3] = [
    "key_account_manager",
    "large_account_manager",
    "global_account_manager",
];

/// Clef: key account management for the whole sales team.
#[derive(Debug, Parser)]
#[command(name = "clef", version, propagate_version = true)]
pub struct Cli {
    /// The database: sqlite://FILE?mode=rwc or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "CLEF_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://clef.db?mode=rwc"
    )]
    pub database_url: String,

    /// How log lines are written to stderr.
    #[arg(long, global = true, env = "CLEF_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Which log lines are written: error, warn, info, debug, trace, or
    /// directives such as `info,clef_web=debug`.
    #[arg(long, global = true, env = "CLEF_LOG", default_value = "info")]
    pub log_level: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and the API until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Apply the pending database migrations.
    Migrate,
    /// Fill an empty database with a realistic demo portfolio.
    Demo(DemoArgs),
    /// Import a CSV file: all rows or nothing.
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: DataKind,
        /// The CSV file (UTF-8, with a header line).
        file: PathBuf,
        /// Check the file only: write nothing, list the problems or say how
        /// many records importing it would replace and add.
        #[arg(long)]
        check: bool,
    },
    /// Export as CSV, in the import format.
    Export {
        #[arg(value_enum)]
        kind: DataKind,
        /// The file to write; standard output when omitted.
        file: Option<PathBuf>,
    },
    /// Manage users and API tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Compute the portfolio figures again (revenue and margin over 12
    /// months, growth, trend, share of wallet, rank) and time the loading
    /// of the portfolio for segmentation.
    Figures,
    /// Write a consistent copy of a live SQLite database to FILE.
    Backup {
        /// The copy to create (must not exist yet).
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "CLEF_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Mark cookies Secure (when Clef is served over HTTPS).
    #[arg(long, env = "CLEF_SECURE_COOKIES", value_parser = BoolishValueParser::new())]
    pub secure_cookies: bool,

    /// Longest time a request may take, in seconds.
    #[arg(long, env = "CLEF_REQUEST_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub request_timeout_secs: u64,

    /// Largest request body (imports included), in megabytes.
    #[arg(long, env = "CLEF_MAX_BODY_MB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4_096))]
    pub max_body_mb: u64,

    /// Reverse proxies in front of Clef, by address or network, separated by
    /// commas (127.0.0.1,10.0.0.0/8): for a request from one of them, the
    /// client is the address it gives in X-Forwarded-For.
    #[arg(
        long,
        env = "CLEF_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "ADDRESSES"
    )]
    pub trusted_proxies: Vec<clef_web::Network>,

    /// Generate demo data first if the database has no customers.
    #[arg(long, env = "CLEF_DEMO", value_parser = BoolishValueParser::new())]
    pub demo: bool,

    #[command(flatten)]
    pub demo_args: DemoArgs,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct DemoArgs {
    /// Seed of the demo generator: the same seed gives the same data.
    #[arg(
        long,
        env = "CLEF_DEMO_SEED",
        value_name = "SEED",
        default_value_t = 42
    )]
    pub seed: u64,

    /// How many demo customers to create (at most 1000000).
    #[arg(long, env = "CLEF_DEMO_CUSTOMERS", value_name = "N", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub customers: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataKind {
    Customers,
    Contacts,
    Revenue,
    Contracts,
}

impl DataKind {
    pub fn import_kind(self) -> clef_store::ImportKind {
        match self {
            DataKind::Customers => clef_store::ImportKind::Customers,
            DataKind::Contacts => clef_store::ImportKind::Contacts,
            DataKind::Revenue => clef_store::ImportKind::Revenue,
            DataKind::Contracts => clef_store::ImportKind::Contracts,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            DataKind::Customers => "customers",
            DataKind::Contacts => "contacts",
            DataKind::Revenue => "revenue lines",
            DataKind::Contracts => "contracts",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Add {
        /// The user's e-mail address, used to sign in.
        #[arg(long, env = "CLEF_EMAIL")]
        email: String,
        /// The user's full name.
        #[arg(long, env = "CLEF_NAME")]
        name: String,
        /// What the user may do.
        #[arg(long, env = "CLEF_ROLE", value_parser = PossibleValuesParser::new(ROLES))]
        role: String,
        /// Title of a user with the kam role.
        #[arg(long, env = "CLEF_TITLE", value_parser = PossibleValuesParser::new(TITLES))]
        title: Option<String>,
        /// Language of the user interface.
        #[arg(long, env = "CLEF_LOCALE", value_parser = PossibleValuesParser::new(["fr", "en"]))]
        locale: Option<String>,
        /// At least 10 characters; asked on standard input when not given.
        #[arg(long, env = "CLEF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Change a user's password (closes their browser sessions; their API
    /// tokens stay valid: revoke them with `clef user revoke`).
    Passwd {
        /// The user's e-mail address, used to sign in.
        #[arg(long, env = "CLEF_EMAIL")]
        email: String,
        /// At least 10 characters; asked on standard input when not given.
        #[arg(long, env = "CLEF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Issue an API token for a user; its secret is printed once.
    Token {
        /// The user's e-mail address, used to sign in.
        #[arg(long, env = "CLEF_EMAIL")]
        email: String,
        /// A name to recognise the token by.
        #[arg(long, env = "CLEF_TOKEN_NAME", default_value = "cli")]
        name: String,
    },
    /// Revoke every API token of a user (after a leak, for instance).
    Revoke {
        /// The user's e-mail address, used to sign in.
        #[arg(long, env = "CLEF_EMAIL")]
        email: String,
    },
    /// List the users.
    List,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn roles_and_titles_match_the_domain() {
        let roles: Vec<&str> = clef_domain::Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(roles, ROLES);
        let titles: Vec<&str> = clef_domain::KamTitle::ALL
            .iter()
            .map(|r| r.as_str())
            .collect();
        assert_eq!(titles, TITLES);
    }

    #[test]
    fn demo_sizes_are_bounded() {
        assert!(Cli::try_parse_from(["clef", "demo", "--customers", "1000000"]).is_ok());
        let e = Cli::try_parse_from(["clef", "demo", "--customers", "1000001"]).unwrap_err();
        assert!(e.to_string().contains("1000001"), "{e}");
        assert!(Cli::try_parse_from(["clef", "demo", "--customers", "0"]).is_err());
    }

    #[test]
    fn flags_have_defaults() {
        let cli = Cli::try_parse_from(["clef", "serve", "--demo"]).unwrap();
        let Command::Serve(s) = cli.command else {
            panic!("not serve")
        };
        assert!(s.demo && !s.secure_cookies);
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert_eq!((s.request_timeout_secs, s.max_body_mb), (60, 64));
        assert_eq!((s.demo_args.seed, s.demo_args.customers), (42, 2_000));
        assert!(s.trusted_proxies.is_empty());
    }

    #[test]
    fn trusted_proxies_are_networks() {
        let cli =
            Cli::try_parse_from(["clef", "serve", "--trusted-proxies", "127.0.0.1,10.0.0.0/8"])
                .unwrap();
        let Command::Serve(s) = cli.command else {
            panic!("not serve")
        };
        let shown: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8"]);
        let e =
            Cli::try_parse_from(["clef", "serve", "--trusted-proxies", "10.0.0.0/40"]).unwrap_err();
        assert!(e.to_string().contains("0 to 32"), "{e}");
    }
}
