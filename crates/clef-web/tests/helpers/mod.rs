//! Starts Clef on port 0 against a fresh database: a new SQLite file, or,
//! when CLEF_TEST_POSTGRES_URL is set, a new PostgreSQL database.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use clef_store::{NewUser, Store};
use sea_orm::ConnectionTrait;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestApp {
    pub base: String,
    /// The database the server runs on, for a test that needs a connection of its own.
    pub database_url: String,
    pub store: Store,
    pub admin_token: String,
    pub client: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// A SQLite test database goes with its server: its file and logs are removed.
impl Drop for TestApp {
    fn drop(&mut self) {
        remove_sqlite_files(&self.database_url);
    }
}

/// Removes the files of a test's SQLite database when dropped, even when the
/// test fails: for tests that use [`fresh_database_url`] without a [`TestApp`].
pub struct RemovedAtEnd(pub String);

impl Drop for RemovedAtEnd {
    fn drop(&mut self) {
        remove_sqlite_files(&self.0);
    }
}

fn remove_sqlite_files(url: &str) {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let file = rest.split('?').next().unwrap_or(rest);
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{file}{ext}"));
        }
    }
}

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{}_{}", std::process::id(), n, t % 1_000_000_000)
}

pub async fn fresh_database_url() -> String {
    match std::env::var("CLEF_TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("clef_test_{}", unique());
            let db = sea_orm::Database::connect(admin.as_str())
                .await
                .expect("connect to the PostgreSQL admin URL");
            db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            db.close().await.ok();
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .unwrap_or(admin);
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("clef-test-{}.db", unique()));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

pub fn is_postgres() -> bool {
    std::env::var("CLEF_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty())
}

pub const PASSWORD: &str = "correct-horse-battery";

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(clef_web::WebConfig::default()).await
    }

    pub async fn spawn_with(config: clef_web::WebConfig) -> TestApp {
        let url = fresh_database_url().await;
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let admin = store
            .create_user(&NewUser {
                email: "admin@test.example".into(),
                name: "Ada Admin".into(),
                role: "admin".into(),
                password: PASSWORD.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let (_, admin_token) = store.create_token(admin.id, "tests").await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let s = store.clone();
        tokio::spawn(async move {
            clef_web::serve(listener, s, config, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            database_url: url,
            store,
            admin_token,
            client,
            _shutdown: tx,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts a second Clef on the same database, as a deployment of
    /// several instances does; answers its address and the way to stop it.
    pub async fn another_instance(&self) -> (String, tokio::sync::oneshot::Sender<()>) {
        self.another_instance_with(clef_web::WebConfig::default())
            .await
    }

    /// [`Self::another_instance`] with settings of its own.
    pub async fn another_instance_with(
        &self,
        config: clef_web::WebConfig,
    ) -> (String, tokio::sync::oneshot::Sender<()>) {
        let store = Store::connect(&self.database_url).await.expect("connect");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            clef_web::serve(listener, store, config, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        (format!("http://{addr}"), tx)
    }

    /// A user of `role` with an API token.
    pub async fn user_token(&self, email: &str, role: &str) -> (i64, String) {
        let u = self
            .store
            .create_user(&NewUser {
                email: email.into(),
                name: email.into(),
                role: role.into(),
                password: PASSWORD.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let (_, t) = self.store.create_token(u.id, "t").await.unwrap();
        (u.id, t)
    }

    pub fn get(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(token)
    }

    /// GET `path` as the holder of `token`, expecting 200 and JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> serde_json::Value {
        json_of(self.get(path, token).send().await.unwrap(), 200).await
    }

    pub fn post(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(token)
    }

    pub fn put(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.put(self.url(path)).bearer_auth(token)
    }

    pub async fn create_customer(&self, body: serde_json::Value) -> serde_json::Value {
        let r = self
            .post("/api/v1/customers", &self.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        r.json().await.unwrap()
    }

    /// Adds a contact to `customer` (as the admin); answers its id.
    pub async fn create_contact(&self, customer: i64, body: serde_json::Value) -> i64 {
        let r = self
            .post(
                &format!("/api/v1/customers/{customer}/contacts"),
                &self.admin_token,
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        json_of(r, 201).await["id"].as_i64().unwrap()
    }

    /// A browser-like client signed in as `email`.
    pub async fn browser(&self, email: &str) -> reqwest::Client {
        let c = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = c
            .post(self.url("/login"))
            .form(&[
                ("email", email),
                ("password", PASSWORD),
                ("next", "/customers"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign-in should redirect");
        c
    }
}

/// Asserts the status of an answer (showing its body when it differs) and
/// returns its JSON.
pub async fn json_of(r: reqwest::Response, status: u16) -> serde_json::Value {
    let s = r.status().as_u16();
    let body = r.text().await.unwrap();
    assert_eq!(s, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Today (UTC).
pub fn today() -> clef_domain::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400;
    clef_domain::Date::from_unix_days(days)
}

/// Asserts a problem+json answer with `status`, and returns its body.
pub async fn problem(r: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(r.status().as_u16(), status, "unexpected status");
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "a problem must say what is wrong: {body}"
    );
    body
}

/// The page at `url`, as text, fetched by the browser-like client `b`.
pub async fn text(b: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    page_of(b.get(url)).await
}

/// The same, asking for the page in `lang`.
pub async fn text_in(b: &reqwest::Client, url: impl reqwest::IntoUrl, lang: &str) -> String {
    page_of(b.get(url).header("accept-language", lang)).await
}

/// The body of a page a person reads: it must have been served (2xx), not
/// an error page that would pass a check of what it does not contain.
async fn page_of(request: reqwest::RequestBuilder) -> String {
    let r = request.send().await.unwrap();
    let (status, url) = (r.status(), r.url().clone());
    let body = r.text().await.unwrap();
    assert!(status.is_success(), "{url} answered {status}: {body}");
    body
}
