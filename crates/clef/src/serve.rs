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
        trusted_proxies: args.trusted_proxies.clone(),
    };
    tracing::info!(%addr, "serving");
    // After the first signal, the requests in flight get their time limit
    // and 5 s more (a slow client of a long download holds no one up
    // longer); a second signal stops at once.
    let drain = config.request_timeout + Duration::from_secs(5);
    let (first_tx, first) = tokio::sync::oneshot::channel::<()>();
    let (cut_tx, cut) = tokio::sync::oneshot::channel::<()>();
    let mut signals = Signals::new();
    tokio::spawn(async move {
        let what = signals.next().await;
        tracing::info!("{what} received: finishing the requests in flight");
        let _ = first_tx.send(());
        tokio::select! {
            what = signals.next() => tracing::warn!("{what} received again: stopping at once"),
            () = tokio::time::sleep(drain) => tracing::warn!(
                secs = drain.as_secs(),
                "requests still in flight after the time limit: stopping"
            ),
        }
        let _ = cut_tx.send(());
    });
    let server = clef_web::serve(listener, store, config, async move {
        if first.await.is_err() {
            std::future::pending::<()>().await;
        }
    });
    tokio::select! {
        r = server => r.map_err(|e| Failure::new(format!("the server stopped: {e}")))?,
        Ok(()) = cut => {}
    }
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C and, on Unix, SIGTERM, each time one comes.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// The next signal: what it was.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            let term = async {
                match self.term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match self.int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = term => "SIGTERM",
                () = int => "Ctrl-C",
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
            "Ctrl-C"
        }
    }
}
