//! Clef's web application: the JSON API under `/api/v1` (with its OpenAPI
//! document), the server-rendered HTML pages in French and English, sign-in,
//! and the operations endpoints `/healthz`, `/readyz` and `/metrics`.
//!
//! Startup is a library function taking a listener and a shutdown signal, so
//! tests bind port 0 and run many servers side by side:
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let store = clef_store::Store::connect("sqlite::memory:").await.map_err(std::io::Error::other)?;
//! store.migrate().await.map_err(std::io::Error::other)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! clef_web::serve(listener, store, clef_web::WebConfig::default(), std::future::pending()).await
//! # }
//! ```

pub(crate) mod api;
mod auth;
mod client;
mod conn;
pub mod engine;
mod error;
mod i18n;
mod metrics;
mod plans;
mod relationships;
mod relationships_csv;
mod rituals;
mod throttle;

pub use client::Network;
mod ui;

pub use error::ApiError;

use axum::Router;
use clef_store::Store;
use std::{future::Future, sync::Arc, time::Duration};

/// Settings of the web server.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when Clef is served over HTTPS).
    pub secure_cookies: bool,
    /// Longest time a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes (imports included).
    pub max_body_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<Network>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 64 * 1024 * 1024,
            trusted_proxies: Vec::new(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub i18n: Arc<i18n::I18n>,
    pub metrics: Arc<metrics::Metrics>,
    pub engine: Arc<engine::Engine>,
    /// Imports started from the browser on this instance.
    pub imports: Arc<ui::ImportJobs>,
}

/// The whole application as a router.
pub fn app(store: Store, config: WebConfig) -> Router {
    let state = AppState {
        store,
        config: Arc::new(config),
        i18n: Arc::new(i18n::I18n::load()),
        metrics: Arc::new(metrics::Metrics::default()),
        engine: Arc::new(engine::Engine::default()),
        imports: Arc::new(ui::ImportJobs::default()),
    };
    build_router(state)
}

fn build_router(state: AppState) -> Router {
    use axum::{
        extract::DefaultBodyLimit,
        http::{HeaderName, StatusCode},
    };
    use tower_http::{
        compression::CompressionLayer,
        request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
        timeout::TimeoutLayer,
        trace::TraceLayer,
    };
    let rid = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api::routes())
        .merge(ui::routes())
        .merge(metrics::routes())
        .route(
            "/calendar/{file}",
            axum::routing::get(api::rituals::public_feed),
        )
        .fallback(error::not_found)
        // A fault in a handler answers a problem (and is counted), never a
        // dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                use axum::response::IntoResponse;
                error::ApiError::Internal("a handler stopped on a fault".into()).into_response()
            },
        ))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        // Outside the time limit: a request stopped by it is counted too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::bare_errors,
        ))
        // Outside: errors are read before they are compressed.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(rid.clone()))
        .layer(SetRequestIdLayer::new(rid, MakeRequestUuid))
        .with_state(state)
}

/// Serves Clef on `listener` until `shutdown` completes, then finishes the
/// requests in flight and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(store, config);
    // Each request knows the address it came from (sign-ins are
    // throttled per e-mail and address).
    let app = app.into_make_service_with_connect_info::<conn::PeerAddr>();
    axum::serve(conn::ClefListener(listener), app)
        .with_graceful_shutdown(shutdown)
        .await
}
