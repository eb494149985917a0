//! `clef serve`: the web application until Ctrl-C or SIGTERM.

use crate::cli::ServeArgs;
use crate::demo_gen::{DEMO_PASSWORD, USERS};
use crate::error::{Failure, Result};
use clef_store::Store;
use std::time::Duration;

pub async fn run(database_url: &str, args: &ServeArgs) -> Result<()> {
    // First: a port already taken is said before any long preparation
    // (a demo of a million customers takes minutes).
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| {
            Failure::new(format!(
                "cannot listen on {}: {e}; choose another address with --listen (CLEF_LISTEN)",
                args.listen
            ))
        })?;
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    // Fresh planner statistics (sampled, so quick even at a million customers).
    if let Err(e) = store.optimize().await {
        tracing::warn!(error = %e, "could not refresh the planner statistics");
    }
    if args.demo {
        if store.count_customers().await? == 0 {
            crate::demo::run(&store, args.demo_args.seed, args.demo_args.customers)
                .await?
                .print();
        } else {
            tracing::info!("the database already has customers: no demo data generated");
        }
    }
    // A database from before the figures existed gets them once, and so do
    // revenue or customers written by an instance stopped before their
    // figures.
    let state = store.figures_state().await?;
    if store.catch_up_figures().await? {
        tracing::info!("the portfolio figures were computed");
    } else if state.ranks_pending {
        // Ranks left pending by an instance that stopped.
        store.rank_soon();
    }
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| args.listen.clone());
    println!("Clef is running at http://{addr}/");
    if args.demo && store.user_by_email(USERS[0].email).await?.is_some() {
        println!("Demo sign-in (password {DEMO_PASSWORD} for every demo user):");
        for u in USERS {
            let role = u.title.unwrap_or(u.role);
            println!("  {:<26} {role}", u.email);
        }
    } else if store.count_users().await? == 0 {
        println!(
            "No user yet: create the first admin at http://{addr}/setup \
             or with `clef user add --role admin --email EMAIL --name NAME`."
        );
    }
    let config = clef_web::WebConfig {
        secure_cookies: args.secure_cookies,
        request_timeout: Duration::from_secs(args.request_timeout_secs),
        max_body_bytes: usize::try_from(args.max_body_mb.saturating_mul(1024 * 1024))
            .unwrap_or(usize::MAX),
    };
    tracing::info!(%addr, "serving");
    clef_web::serve(listener, store, config, shutdown_signal())
        .await
        .map_err(|e| Failure::new(format!("the server stopped: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received: finishing the requests in flight"),
        () = term => tracing::info!("SIGTERM received: finishing the requests in flight"),
    }
}
