//! Bad input gets a 4xx problem+json that names the problem; never a 5xx.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, problem};
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_a_400_that_says_so() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let p = problem(r, 400).await;
    assert!(p["detail"].as_str().unwrap().contains("JSON"), "{p}");
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_named() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"name": "A", "country": "FR", "wallet_cents": "lots"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["detail"].as_str().unwrap().contains("wallet_cents"),
        "{p}"
    );
    // The field is named where it is, in words: not the type's name.
    assert_eq!(p["errors"][0]["field"], "wallet_cents", "{p}");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("expected a whole number"),
        "{p}"
    );
    let r = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!([]))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("expected an object") && !detail.contains("BusinessUnitIn"),
        "{p}"
    );
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"name": "A", "country": "FR", "colour": "blue"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{p}"
    );
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"country": "FR"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("missing field `name`"),
        "{p}"
    );
}

#[tokio::test]
async fn invalid_values_name_their_field() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"name": "A", "country": "XX"}),
            "country",
            "invalid-country",
        ),
        (
            json!({"name": "A", "country": "FR", "currency": "EURO"}),
            "currency",
            "invalid-currency",
        ),
        (json!({"name": "", "country": "FR"}), "name", "required"),
        (
            json!({"name": "A", "country": "FR", "wallet_cents": -5}),
            "wallet_cents",
            "negative",
        ),
        (
            json!({"name": "A", "country": "FR", "tier": "platinum"}),
            "tier",
            "invalid-choice",
        ),
        (
            json!({"name": "A", "country": "FR", "group_id": 4242}),
            "group_id",
            "unknown-reference",
        ),
        (
            json!({"name": "A", "country": "FR", "parent_id": 4242}),
            "parent_id",
            "unknown-reference",
        ),
    ];
    for (body, field, code) in cases {
        let r = app
            .post("/api/v1/customers", &app.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = problem(r, 422).await;
        assert_eq!(p["errors"][0]["field"], field, "{body}");
        assert_eq!(p["errors"][0]["code"], code, "{body}");
    }
    let r = app.post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": [{"customer_id": 1, "business_unit_id": 1, "period": "2026-13", "revenue_cents": 1, "margin_cents": 0}]}))
        .send().await.unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "lines[0].period");
    let r = app
        .get("/api/v1/customers?status=vip", &app.admin_token)
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "status");
    let r = app
        .get("/api/v1/customers?page=abc", &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 400).await;
    let r = app
        .get("/api/v1/customers?per_page=100000", &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 422).await;
    let r = app
        .get("/api/v1/customers/abc", &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 400).await;
    let r = app
        .get("/api/v1/nothing-here", &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 404).await;
}

#[tokio::test]
async fn a_parent_cycle_is_refused() {
    let app = TestApp::spawn().await;
    let a = app
        .create_customer(json!({"name": "A", "country": "FR"}))
        .await;
    let b = app
        .create_customer(json!({"name": "B", "country": "FR", "parent_id": a["id"]}))
        .await;
    let r = app
        .put(&format!("/api/v1/customers/{}", a["id"]), &app.admin_token)
        .json(&json!({"name": "A", "country": "FR", "parent_id": b["id"], "version": 1}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "parent-cycle");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::spawn_with(clef_web::WebConfig {
        max_body_bytes: 1024,
        ..Default::default()
    })
    .await;
    let big = "x".repeat(4096);
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"name": big, "country": "FR"}))
        .send()
        .await
        .unwrap();
    problem(r, 413).await;
    let r = app
        .post("/api/v1/imports/customers", &app.admin_token)
        .header("content-type", "text/csv")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(r, 413).await;
    // Routes that read the body as it comes (a plan version, a CSV of
    // stakeholders) say the same.
    for (path, media) in [
        ("/api/v1/customers/1/plan/versions", "application/json"),
        ("/api/v1/customers/1/stakeholders.csv", "text/csv"),
    ] {
        let r = app
            .post(path, &app.admin_token)
            .header("content-type", media)
            .body("x".repeat(4096))
            .send()
            .await
            .unwrap();
        let p = problem(r, 413).await;
        assert!(
            p["detail"].as_str().unwrap().contains("CLEF_MAX_BODY_MB"),
            "{path}: {p}"
        );
    }
}

/// Errors the server says around the handlers are problems too, and the
/// pages say them in the reader's language.
#[tokio::test]
async fn errors_around_the_handlers_are_problems_and_pages() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .patch(app.url("/api/v1/customers"))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    let allow = r.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let p = problem(r, 405).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("PATCH is not allowed"),
        "{p}"
    );

    let b = app.browser("admin@test.example").await;
    for path in [
        "/customers/abc",
        "/customers/99999999999999999999",
        "/contacts/1.5/edit",
    ] {
        let r = b
            .get(app.url(path))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Cette adresse ne mène à aucune page"),
            "{path}: {html}"
        );
    }
    // Downloads from a page that find nothing answer with a page too.
    for path in [
        "/customers/99999/relationships/stakeholders.csv",
        "/customers/99999/relationships/links.csv",
        "/customers/99999/relationships/team.csv",
        "/segmentations/99999/export.csv?what=placements",
    ] {
        let r = b
            .get(app.url(path))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Cet enregistrement n’existe pas"),
            "{path}: {html}"
        );
    }
}

/// Sends raw bytes on a new connection and reads the whole answer.
async fn raw(app: &TestApp, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The server may answer and close before reading everything sent.
    let _ = s.write_all(request).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// Requests the HTTP layer refuses before any handler (an address or
/// headers over its limits, bytes that are not HTTP) are problems too.
#[tokio::test]
async fn requests_refused_before_the_handlers_are_problems() {
    let app = TestApp::spawn().await;
    let long = format!(
        "GET /api/v1/customers?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    let many: String = (0..120).map(|i| format!("X-Extra-{i}: 1\r\n")).collect();
    let many = format!("GET /api/v1/customers HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    let big = format!(
        "GET /customers HTTP/1.1\r\nHost: x\r\nCookie: {}\r\n\r\n",
        "a".repeat(500_000)
    );
    for (request, status, says) in [
        (long.as_str(), 414, "address is longer"),
        (many.as_str(), 431, "fewer or shorter headers"),
        (big.as_str(), 431, "fewer or shorter headers"),
        ("NOT HTTP AT ALL\r\n\r\n", 400, "not HTTP/1.1"),
    ] {
        let answer = raw(&app, request.as_bytes()).await;
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        assert!(
            head.contains("content-type: application/problem+json"),
            "{head}"
        );
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let p: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(p["status"], status, "{p}");
        assert!(p["detail"].as_str().unwrap().contains(says), "{p}");
    }
    // The server still answers the next request.
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

/// A request over the time limit is stopped with a problem that says so.
#[tokio::test]
async fn a_request_over_the_time_limit_is_a_408_problem() {
    let app = TestApp::spawn_with(clef_web::WebConfig {
        request_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    // A body that never arrives in full.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app
        .url("/")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/imports/customers HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: text/csv\r\nContent-Length: 100\r\nConnection: close\r\n\r\nid,name\n",
        app.admin_token
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        conn.read_to_string(&mut answer),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer
            .to_lowercase()
            .contains("content-type: application/problem+json"),
        "{answer}"
    );
    assert!(answer.contains("did not finish within"), "{answer}");
    // Counted in the metrics, with its route.
    let m = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.lines()
            .any(|l| l.contains("/api/v1/imports/{kind}") && l.contains("\"408\"")),
        "{m}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = TestApp::spawn().await;
    // A file to import that is not CSV, a plan step whose body is not JSON.
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    for (path, media, body) in [
        (
            "/api/v1/imports/contacts".to_owned(),
            "image/png",
            "customer_id,first_name\n",
        ),
        (
            "/api/v1/imports/customers".to_owned(),
            "application/json",
            "{}",
        ),
        (
            format!("/api/v1/customers/{}/stakeholders.csv", c["id"]),
            "application/json",
            "{}",
        ),
        (
            format!("/api/v1/customers/{}/plan/versions", c["id"]),
            "text/plain",
            "{\"year\": 2027}",
        ),
    ] {
        let r = app
            .post(&path, &app.admin_token)
            .header("content-type", media)
            .body(body)
            .send()
            .await
            .unwrap();
        let p = problem(r, 415).await;
        assert!(
            p["detail"].as_str().unwrap().contains("Content-Type"),
            "{path}: {p}"
        );
    }
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .header("content-type", "text/plain")
        .body("name=A")
        .send()
        .await
        .unwrap();
    problem(r, 415).await;
}

#[tokio::test]
async fn control_characters_and_duplicates_are_refused_not_crashed_on() {
    let app = TestApp::spawn().await;
    let r = app
        .get("/api/v1/customers?q=%00", &app.admin_token)
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "q");
    let r = app
        .client
        .post(app.url("/login"))
        .form(&[("email", "a\0@b.example"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let bu = app
        .store
        .create_business_unit(None, "PACK", "Packaging")
        .await
        .unwrap();
    let c = app
        .create_customer(json!({"name": "A", "country": "FR"}))
        .await;
    let line = json!({"customer_id": c["id"], "business_unit_id": bu.id, "period": "2026-01", "revenue_cents": 1, "margin_cents": 0});
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": [line, line]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "duplicate");
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"name": "A", "country": "FR", "wallet_cents": i64::MAX}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "out-of-range");
    let csv = "id,name,legal_id,group,parent_id,country,region,city,business_unit,industry,strategic_segment,owner_email,status,tier,currency,wallet,threat,competitive_position,satisfaction,notes\n9223372036854775807,Big,,,,FR,,,,,,,,,,,,,,\n";
    let r = app
        .post("/api/v1/imports/customers", &app.admin_token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["column"], "id");
    // A page's search with a NUL (which PostgreSQL refuses) finds as with
    // a space.
    let b = app.browser("admin@test.example").await;
    for path in [
        "/selection?q=a%00b",
        "/selection.csv?q=a%00b",
        "/customers?q=a%00b",
    ] {
        let r = b.get(app.url(path)).send().await.unwrap();
        assert!(
            r.status().is_success() || r.status() == 422,
            "{path}: {}",
            r.status()
        );
    }
}

/// Someone who may create no customer hears so before anything about the
/// values; a date out of the range Clef keeps says the range; two customer
/// groups cannot share a name; an empty file of stakeholders is said empty.
#[tokio::test]
async fn permissions_first_ranges_named_and_names_unique() {
    let app = TestApp::spawn().await;
    let (_, viewer) = app.user_token("viewer@test.example", "viewer").await;
    let r = app
        .post("/api/v1/customers", &viewer)
        .json(&json!({"name": "V", "country": "XX"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;

    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let r = app
        .post(&format!("/api/v1/customers/{}/interactions", c["id"]), &app.admin_token)
        .json(&json!({"kind": "call", "occurred_on": "9999-12-31", "subject": "x", "contact_ids": [1], "user_ids": [99999]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("from 1900-01-01 to 2200-12-31"),
        "{p}"
    );

    let group = json!({"name": "Altea", "scope": "national", "country": "FR"});
    let r = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "ALTEA", "scope": "global"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(
        p["detail"].as_str().unwrap().contains("already named"),
        "{p}"
    );

    let r = app
        .post(
            &format!("/api/v1/customers/{}/stakeholders.csv", c["id"]),
            &app.admin_token,
        )
        .header("content-type", "text/csv")
        .body("")
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["import"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("the file is empty"),
        "{p}"
    );
}

/// Wrong people in an interaction are named as the request names them.
#[tokio::test]
async fn wrong_participants_are_named_as_sent() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/contacts", c["id"]),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Laure", "last_name": "Vasseur"}))
        .send()
        .await
        .unwrap();
    let laure = helpers::json_of(r, 201).await["id"].as_i64().unwrap();
    let r = app
        .post(&format!("/api/v1/customers/{}/interactions", c["id"]), &app.admin_token)
        .json(&json!({"kind": "call", "occurred_on": "2026-01-05", "subject": "x", "contact_ids": [laure], "user_ids": [1, 99999]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "user_ids[1]", "{p}");
}

/// Long lists of ids are refused before anything is looked up, and a
/// problem names at most a hundred fields, each message short: a request
/// with thousands of wrong values gets a short answer at once.
#[tokio::test]
async fn long_lists_get_short_answers() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let many: Vec<i64> = (1_000_000..1_010_000).collect();
    let short = |r: reqwest::Response| async move {
        let body = r.bytes().await.unwrap();
        assert!(body.len() < 100_000, "{} bytes", body.len());
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    };
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/interactions"),
            &app.admin_token,
        )
        .json(
            &json!({"kind": "call", "occurred_on": "2026-10-01", "subject": "x",
            "contact_ids": [1], "user_ids": many}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let p = short(r).await;
    assert_eq!(p["errors"][0]["code"], "too-many", "{p}");
    for (path, body) in [
        (
            format!("/api/v1/customers/{c}/selection/scores"),
            json!({"scores": many.iter().map(|i| json!({"criterion_id": i, "score": 3})).collect::<Vec<_>>()}),
        ),
        (
            "/api/v1/selection/criteria".to_owned(),
            json!({"criteria": many.iter().map(|i| json!({"id": i, "weight": 3})).collect::<Vec<_>>()}),
        ),
    ] {
        let r = app
            .client
            .put(app.url(&path))
            .bearer_auth(&app.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{path}");
        let p = short(r).await;
        assert_eq!(p["errors"][0]["code"], "too-many", "{path}: {p}");
    }
    // Two weights for one criterion: said, not the last one kept.
    let r = app
        .client
        .put(app.url("/api/v1/selection/criteria"))
        .bearer_auth(&app.admin_token)
        .json(&json!({"criteria": [{"id": 1, "weight": 25}, {"id": 1, "weight": 30}]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "criteria[1].id", "{p}");
    // Within the limits, many wrong values: the first hundred, cut short.
    let long = "x".repeat(2_000);
    let lines: Vec<serde_json::Value> = (0..400)
        .map(|i| json!({"customer_id": c, "business_unit_id": 999_999, "period": format!("{long}{i}"), "revenue_cents": 1, "margin_cents": 0}))
        .collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let p = short(r).await;
    let errors = p["errors"].as_array().unwrap();
    assert!(
        !errors.is_empty() && errors.len() <= 100,
        "{}",
        errors.len()
    );
    assert!(
        errors
            .iter()
            .all(|e| e["message"].as_str().unwrap().chars().count() <= 401)
    );
}

/// The lists' newer filters and pages: a value that cannot be read is a
/// 4xx that names it (API) or a page that says it (web), never a 5xx.
#[tokio::test]
async fn bad_filters_and_pages_of_the_newer_lists_are_named() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Filtre SA", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    for (path, field) in [
        ("/api/v1/customers?parent_id=x".to_owned(), "parent_id"),
        (
            "/api/v1/customers?parent_id=99999999999999999999".to_owned(),
            "parent_id",
        ),
        (format!("/api/v1/customers/{c}/interactions?page=0"), "page"),
        (
            format!("/api/v1/customers/{c}/interactions?per_page=501"),
            "per_page",
        ),
        (
            format!("/api/v1/customers/{c}/history?record=meetings"),
            "record",
        ),
        (format!("/api/v1/customers/{c}/history?before=x"), "before"),
        (
            format!("/api/v1/customers/{c}/history?user_id=x"),
            "user_id",
        ),
        (
            format!("/api/v1/customers/{c}/history?from=2026-02-30"),
            "from",
        ),
    ] {
        let r = app.get(&path, &app.admin_token).send().await.unwrap();
        let status = r.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
        let p = problem(r, status).await;
        assert!(p.to_string().contains(field), "{path}: {p}");
    }
    let b = app.browser("admin@test.example").await;
    for path in [
        "/customers?parent_id=-1".to_owned(),
        "/customers?parent_id=99999999999999999999".to_owned(),
        format!("/customers/{c}/relationships/interactions?page=x&sort=-&kind=zzz"),
        format!("/customers/{c}/relationships/interactions.csv?sort=zzz"),
        format!("/customers/{c}/history?record=x&who=y&before=z&from=zz&to=2026-13-01"),
        format!("/customers/{c}/history.csv?record=x&who=-5"),
        "/customers/999999/relationships/interactions".to_owned(),
    ] {
        let r = b.get(app.url(&path)).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(status < 500, "{path}: {status}");
    }
}
