//! `clef`: serve Clef, manage its database, users and data from the command line.

mod cli;
mod data;
mod demo;
mod demo_contracts;
mod demo_gen;
mod demo_plans;
mod demo_relationships;
mod demo_selection;
mod demo_words;
mod error;
mod logging;
mod progress;
mod rng;
mod serve;
mod users;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = logging::init(cli.log_format, &cli.log_level) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    runtime.shutdown_timeout(Duration::from_secs(5));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> error::Result<()> {
    let db = cli.database_url.as_str();
    match cli.command {
        Command::Serve(args) => serve::run(db, &args).await,
        Command::Migrate => data::migrate(db).await,
        Command::Demo(args) => {
            let store = data::open(db).await?;
            let summary = demo::run(&store, args.seed, args.customers).await?;
            store.close().await?;
            summary.print();
            println!(
                "Sign in as {} with the password {} (every demo user has it).",
                demo_gen::USERS[0].email,
                demo_gen::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::Import { kind, file, check } => data::import(db, kind, &file, check).await,
        Command::Export { kind, file } => data::export(db, kind, file.as_deref()).await,
        Command::User(cmd) => users::run(db, cmd).await,
        Command::Backup { file } => data::backup(db, &file).await,
        Command::Figures => data::figures(db).await,
    }
}
