//! The JSON API, end to end, on SQLite (and on PostgreSQL when
//! CLEF_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem};
use serde_json::{Value, json};

#[tokio::test]
async fn operations_endpoints_answer() {
    let app = TestApp::spawn().await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.text().await.unwrap(), "ready\n");
    let body = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(
            "clef_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"
        ),
        "{body}"
    );
}

#[tokio::test]
async fn the_api_requires_a_valid_bearer_token() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/api/v1/customers"))
        .send()
        .await
        .unwrap();
    problem(r, 401).await;
    let r = app
        .get("/api/v1/customers", "clef_not-a-token")
        .send()
        .await
        .unwrap();
    problem(r, 401).await;
}

#[tokio::test]
async fn a_created_customer_can_be_read_listed_and_found() {
    let app = TestApp::spawn().await;
    let g = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "Groupe Bertin", "scope": "global", "country": "FR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(g.status(), 201);
    let g: Value = g.json().await.unwrap();
    let c = app
        .create_customer(
            json!({"name": "Société Générale des Eaux", "country": "fr", "city": "Lyon",
        "group_id": g["id"], "tier": "gold", "wallet_cents": 1_000_000}),
        )
        .await;
    assert_eq!(c["country"], "FR");
    assert_eq!(c["tier"], "gold");
    assert_eq!(c["status"], "customer");
    assert_eq!(c["group"]["name"], "Groupe Bertin");
    assert_eq!(c["version"], 1);
    app.create_customer(json!({"name": "Lyon Acier", "country": "DE", "city": "Berlin"}))
        .await;
    app.create_customer(json!({"name": "Zeta", "country": "FR", "city": "Lyonnais"}))
        .await;

    let one: Value = app
        .get_json(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .await;
    assert_eq!(one["name"], "Société Générale des Eaux");

    // Search ignores case and accents, and matches names, cities and groups.
    let found: Value = app
        .get_json("/api/v1/customers?q=societe", &app.admin_token)
        .await;
    assert_eq!(found["total"], 1);
    let found: Value = app
        .get_json("/api/v1/customers?q=LYON&sort=name", &app.admin_token)
        .await;
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lyon Acier", "Société Générale des Eaux", "Zeta"]);
    let found: Value = app
        .get_json("/api/v1/customers?q=groupe%20b", &app.admin_token)
        .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["within_words"], false);
    // Nothing starts with it: a word inside the name, city or group does.
    for (q, name) in [
        ("generale%20des", "Société Générale des Eaux"),
        ("acier", "Lyon Acier"),
        ("bertin", "Société Générale des Eaux"),
    ] {
        let found: Value = app
            .get_json(&format!("/api/v1/customers?q={q}"), &app.admin_token)
            .await;
        assert_eq!(found["within_words"], true, "{q}: {found}");
        assert_eq!(found["total"], 1, "{q}: {found}");
        assert_eq!(found["items"][0]["name"], name, "{q}");
    }
    // Inside a word is not the start of one.
    let found: Value = app
        .get_json("/api/v1/customers?q=cier", &app.admin_token)
        .await;
    assert_eq!(found["total"], 0, "{found}");
    // A legal id is found whole, typed with spaces or without; not a part.
    app.create_customer(json!({"name": "Registered SA", "country": "BE", "legal_id": "552100554"}))
        .await;
    for q in ["552100554", "552%20100%20554", "%20552100554%20"] {
        let found: Value = app
            .get_json(&format!("/api/v1/customers?q={q}"), &app.admin_token)
            .await;
        assert_eq!(found["total"], 1, "{q}: {found}");
        assert_eq!(found["items"][0]["name"], "Registered SA", "{q}");
    }
    let found: Value = app
        .get_json("/api/v1/customers?q=5521", &app.admin_token)
        .await;
    assert_eq!(found["total"], 0, "{found}");
    // Signs alone match no word (each would match any character).
    for q in ["_", "%25", "%5C", "%F0%9F%98%80", "-"] {
        let found: Value = app
            .get_json(&format!("/api/v1/customers?q={q}"), &app.admin_token)
            .await;
        assert_eq!(
            (&found["total"], &found["within_words"]),
            (&json!(0), &json!(false)),
            "{q}: {found}"
        );
    }

    // Filters, sort and paging.
    let fr: Value = app
        .get_json(
            "/api/v1/customers?country=FR&sort=-name&per_page=1&page=2",
            &app.admin_token,
        )
        .await;
    assert_eq!(fr["total"], 2);
    assert_eq!(fr["items"][0]["name"], "Société Générale des Eaux");
    let gold: Value = app
        .get_json("/api/v1/customers?tier=gold", &app.admin_token)
        .await;
    assert_eq!(gold["total"], 1);
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_409_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let path = format!("/api/v1/customers/{}", c["id"]);
    let r = app
        .put(&path, &app.admin_token)
        .json(&json!({"name": "Acme One", "country": "FR", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["version"], 2);
    // A second writer still holding version 1.
    let r = app
        .put(&path, &app.admin_token)
        .json(&json!({"name": "Acme Two", "country": "FR", "version": 1}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("changed by someone else"),
        "{p}"
    );
    let now: Value = app.get_json(&path, &app.admin_token).await;
    assert_eq!(now["name"], "Acme One");
    // Without a version, a replace is refused rather than overwriting blindly.
    let r = app
        .put(&path, &app.admin_token)
        .json(&json!({"name": "Acme Three", "country": "FR"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "version");
}

#[tokio::test]
async fn a_deleted_customer_stays_in_the_history() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Gone Ltd", "country": "GB"}))
        .await;
    let id = c["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Anne", "last_name": "Martin", "email": "anne@gone.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let grid = app
        .get_json("/api/v1/selection/criteria", &app.admin_token)
        .await;
    let r = app
        .put(
            &format!("/api/v1/customers/{id}/selection/scores"),
            &app.admin_token,
        )
        .json(&json!({"scores": [{"criterion_id": grid[0]["id"], "score": 4, "evidence": "A reference in its trade"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customers/{id}?version=1")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    problem(
        app.get(&format!("/api/v1/customers/{id}"), &app.admin_token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let h = app.store.history("customer", id, 10).await.unwrap();
    assert_eq!(h[0].action, "delete");
    assert!(
        h[0].detail.contains("Gone Ltd")
            && h[0].detail.contains("anne@gone.example")
            && h[0].detail.contains("A reference in its trade"),
        "{}",
        h[0].detail
    );
}

#[tokio::test]
async fn contacts_are_validated_and_versioned() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let id = c["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Anne", "last_name": "Martin", "email": "anne@"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "email");
    assert_eq!(p["errors"][0]["code"], "invalid-email");
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Anne", "last_name": "Martin", "email": "Anne@Acme.example"}))
        .send()
        .await
        .unwrap();
    let contact: Value = r.json().await.unwrap();
    assert_eq!(contact["email"], "anne@acme.example");
    let list: Value = app
        .get_json(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let path = format!("/api/v1/contacts/{}", contact["id"]);
    let r = app
        .put(&path, &app.admin_token)
        .json(&json!({"first_name": "Anne", "last_name": "Martin-Durand", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .put(&path, &app.admin_token)
        .json(&json!({"first_name": "Anne", "last_name": "X", "version": 1}))
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
}

#[tokio::test]
async fn revenue_lines_give_yearly_figures_and_share_of_wallet() {
    let app = TestApp::spawn().await;
    let bu: Value = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "pack", "name": "Packaging"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bu["code"], "PACK");
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR", "wallet_cents": 2_400_000}))
        .await;
    let id = c["id"].as_i64().unwrap();
    let lines: Vec<Value> = (1..=12).map(|m| json!({"customer_id": id, "business_unit_id": bu["id"], "period": format!("2025-{m:02}"),
        "revenue_cents": 100_000, "margin_cents": 25_000})).collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Replacing one month keeps one line per customer, unit and month.
    let r = app.post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": [{"customer_id": id, "business_unit_id": bu["id"], "period": "2025-12", "revenue_cents": 300_000, "margin_cents": 50_000}]}))
        .send().await.unwrap();
    assert_eq!(r.status(), 200);
    let rev: Value = app
        .get_json(&format!("/api/v1/customers/{id}/revenue"), &app.admin_token)
        .await;
    assert_eq!(rev["lines"].as_array().unwrap().len(), 12);
    assert_eq!(rev["by_year"][0]["year"], 2025);
    assert_eq!(rev["by_year"][0]["revenue_cents"], 1_400_000);
    assert_eq!(rev["by_year"][0]["margin_cents"], 325_000);
    assert_eq!(rev["trailing_12_months_cents"], 1_400_000);
    let sow = rev["share_of_wallet"].as_f64().unwrap();
    assert!((sow - 1_400_000.0 / 2_400_000.0).abs() < 1e-9);

    // A batch naming an unknown customer writes nothing.
    let r = app.post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": [
            {"customer_id": id, "business_unit_id": bu["id"], "period": "2026-01", "revenue_cents": 1, "margin_cents": 0},
            {"customer_id": 999_999, "business_unit_id": bu["id"], "period": "2026-01", "revenue_cents": 1, "margin_cents": 0}]}))
        .send().await.unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "lines[1].customer_id");
    let rev: Value = app
        .get_json(&format!("/api/v1/customers/{id}/revenue"), &app.admin_token)
        .await;
    assert_eq!(rev["lines"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn roles_decide_who_writes_what() {
    let app = TestApp::spawn().await;
    let (kam_id, kam) = app.user_token("kam@test.example", "kam").await;
    let (_, viewer) = app.user_token("viewer@test.example", "viewer").await;
    let (_, director) = app.user_token("director@test.example", "director").await;
    let theirs = app
        .create_customer(json!({"name": "Not Mine", "country": "FR"}))
        .await;

    // Everyone reads.
    for t in [&kam, &viewer] {
        assert_eq!(
            app.get("/api/v1/customers", t)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    // A KAM creates customers it owns, not customers of others.
    let r = app
        .post("/api/v1/customers", &kam)
        .json(&json!({"name": "Mine", "country": "FR", "owner_id": kam_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let mine: Value = r.json().await.unwrap();
    let r = app
        .post("/api/v1/customers", &kam)
        .json(&json!({"name": "Orphan", "country": "FR"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .put(&format!("/api/v1/customers/{}", theirs["id"]), &kam)
        .json(&json!({"name": "Taken", "country": "FR", "version": 1}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .put(&format!("/api/v1/customers/{}", mine["id"]), &kam)
        .json(&json!({"name": "Mine Renamed", "country": "FR", "owner_id": kam_id, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A KAM does not create a key account: the selection decides that.
    let r = app
        .post("/api/v1/customers", &kam)
        .json(&json!({"name": "Promoted", "country": "FR", "owner_id": kam_id, "status": "key_account"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(
        (&p["errors"][0]["field"], &p["errors"][0]["code"]),
        (&json!("status"), &json!("use-selection")),
        "{p}"
    );
    // A director may (taking over a portfolio), within the manager's limit
    // of three key accounts.
    for k in 0..4 {
        let r = app
            .post("/api/v1/customers", &director)
            .json(&json!({"name": format!("Key {k}"), "country": "FR", "owner_id": kam_id, "status": "key_account"}))
            .send()
            .await
            .unwrap();
        if k < 3 {
            assert_eq!(r.status(), 201);
        } else {
            let p = problem(r, 422).await;
            assert_eq!(p["errors"][0]["code"], "manager-full", "{p}");
        }
    }
    // A KAM writes the revenue of the customers it owns, not of others';
    // a batch with one of theirs writes nothing.
    let bu = json_of(
        app.post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": "SRV", "name": "Services"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await["id"]
        .clone();
    let line = |c: &Value| json!({"customer_id": c["id"], "business_unit_id": bu, "period": "2026-01", "revenue_cents": 5_000, "margin_cents": 1_000});
    let revenue = |token: &str, lines: Vec<Value>| {
        app.post("/api/v1/revenue-lines", token)
            .json(&json!({ "lines": lines }))
            .send()
    };
    let p = problem(
        revenue(&kam, vec![line(&mine), line(&theirs)])
            .await
            .unwrap(),
        403,
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("not of customer {}", theirs["id"])),
        "{p}"
    );
    let revenue_path = format!("/api/v1/customers/{}/revenue", mine["id"]);
    assert_eq!(
        app.get_json(&revenue_path, &app.admin_token).await["lines"],
        json!([])
    );
    assert_eq!(
        json_of(revenue(&kam, vec![line(&mine)]).await.unwrap(), 200).await["written"],
        1
    );
    assert_eq!(
        app.get_json(&revenue_path, &app.admin_token).await["lines"][0]["revenue_cents"],
        5_000
    );
    problem(revenue(&viewer, vec![line(&mine)]).await.unwrap(), 403).await;
    // A viewer never writes.
    let r = app
        .post("/api/v1/customers", &viewer)
        .json(&json!({"name": "Nope", "country": "FR"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    // A director writes everything but does not manage users.
    let r = app
        .put(&format!("/api/v1/customers/{}", theirs["id"]), &director)
        .json(&json!({"name": "Fixed", "country": "FR", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app.post("/api/v1/users", &director)
        .json(&json!({"email": "x@test.example", "name": "X", "role": "viewer", "password": "long-enough-pw"})).send().await.unwrap();
    problem(r, 403).await;
    let r = app.post("/api/v1/users", &app.admin_token)
        .json(&json!({"email": "x@test.example", "name": "X", "role": "kam", "title": "global_account_manager", "password": "long-enough-pw"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = app.post("/api/v1/users", &app.admin_token)
        .json(&json!({"email": "X@test.example", "name": "X", "role": "viewer", "password": "long-enough-pw"})).send().await.unwrap();
    problem(r, 409).await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_real_endpoints() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    // Every route of the API's router is documented (the document itself aside).
    let router = include_str!("../src/api/mod.rs");
    let routes: std::collections::BTreeSet<&str> = router
        .split('"')
        .filter(|s| s.starts_with("/api/v1/") && *s != "/api/v1/openapi.json")
        .collect();
    assert!(routes.len() > 70, "{routes:?}");
    let undocumented: Vec<_> = routes.iter().filter(|r| !paths.contains_key(**r)).collect();
    assert!(
        undocumented.is_empty(),
        "not in the document: {undocumented:?}"
    );
    assert_eq!(
        paths.len(),
        routes.len(),
        "documented paths that are not routed"
    );
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "1").replace("{kind}", "customers");
        for method in ops.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // Without a token every documented endpoint exists and asks for one.
            let r = app
                .client
                .request(m, app.url(&concrete))
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                401,
                "{method} {path} should exist and require a token"
            );
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["CustomerIn"]["properties"]["wallet_cents"].is_object());
    // Every error is documented as problem+json; every write can be told
    // to come back later (503 with Retry-After).
    let problem = &doc["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail", "errors", "import"] {
        assert!(problem["properties"][field].is_object(), "Problem.{field}");
    }
    // What any operation may answer: a record named in the path that does
    // not exist, a role that may not write, a parameter that cannot be read.
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let r = &op["responses"];
            if path.contains('{') {
                assert!(
                    r["404"].is_object() && r["400"].is_object(),
                    "{method} {path}"
                );
            }
            if method != "get" {
                assert!(r["403"].is_object(), "{method} {path}");
            }
        }
    }
    let page = paths["/api/v1/customers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "page")
        .unwrap();
    assert_eq!(page["schema"]["minimum"], 1, "{page}");
    let rename = &doc["components"]["schemas"]["BusinessUnitRename"];
    assert!(
        rename["required"]
            .as_array()
            .unwrap()
            .contains(&json!("version")),
        "{rename}"
    );
    let mut ids = std::collections::HashSet::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(
                ids.insert(id.to_owned()),
                "{method} {path}: operationId {id} is used twice"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                if !status.starts_with('2') {
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status} needs a description"
                );
            }
            // A path parameter is in the path; the others are in the query.
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    p["in"] == "path",
                    in_path,
                    "{method} {path} parameter {name}"
                );
            }
            if method != "get" {
                assert!(
                    op["responses"]["503"]["headers"]["Retry-After"].is_object(),
                    "{method} {path} 503"
                );
            }
        }
    }
}

/// Clef keeps at most 500 business units: with the largest revenue line in
/// each of them every month, a customer's figures still add up.
#[tokio::test]
async fn business_units_are_capped_so_that_a_customers_year_adds_up() {
    let app = TestApp::spawn().await;
    let mut units = Vec::new();
    for i in 0..500 {
        let r = app
            .post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": format!("U{i}"), "name": format!("Unit {i}")}))
            .send()
            .await
            .unwrap();
        units.push(json_of(r, 201).await["id"].as_i64().unwrap());
    }
    let r = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "ONE-MORE", "name": "One more"}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("at most 500"), "{p}");
    let id = app
        .create_customer(json!({"name": "Giant", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let max = 999_999_999_999_999_i64;
    let lines: Vec<Value> = units
        .iter()
        .flat_map(|bu| {
            (1..=12).map(move |m| {
                json!({"customer_id": id, "business_unit_id": bu, "period": format!("2025-{m:02}"),
                    "revenue_cents": max, "margin_cents": -max})
            })
        })
        .collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let rev = app
        .get_json(&format!("/api/v1/customers/{id}/revenue"), &app.admin_token)
        .await;
    assert_eq!(
        rev["by_year"].as_array().unwrap().len(),
        500,
        "a year per unit"
    );
    assert_eq!(rev["by_year"][0]["revenue_cents"], max * 12);
    assert_eq!(rev["trailing_12_months_cents"], max * 12 * 500);
    let figures = app
        .get_json(&format!("/api/v1/customers/{id}"), &app.admin_token)
        .await;
    assert_eq!(
        figures["figures"]["revenue_12m_cents"],
        max * 12 * 500,
        "{figures}"
    );
    let page = helpers::text(
        &app.browser("admin@test.example").await,
        app.url(&format!("/customers/{id}")),
    )
    .await;
    assert!(page.contains("Giant"));
}

/// By city, customers without one come first, then A to Z, on both
/// backends; reversed, last.
#[tokio::test]
async fn customers_without_a_city_sort_first_on_both_backends() {
    let app = TestApp::spawn().await;
    for (name, city) in [
        ("Alpha", Some("Nantes")),
        ("Beta", None),
        ("Gamma", Some("Brest")),
    ] {
        app.create_customer(json!({"name": name, "country": "FR", "city": city}))
            .await;
    }
    let names = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let up = app
        .get_json("/api/v1/customers?sort=city", &app.admin_token)
        .await;
    assert_eq!(names(up), ["Beta", "Gamma", "Alpha"]);
    let down = app
        .get_json("/api/v1/customers?sort=-city", &app.admin_token)
        .await;
    assert_eq!(names(down), ["Alpha", "Gamma", "Beta"]);
}

/// Contacts come by last name as people read it: accents and case aside.
#[tokio::test]
async fn contacts_sort_as_people_read_names() {
    let app = TestApp::spawn().await;
    let id = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    for last in ["Zola", "Álvarez", "bernard", "Éluard"] {
        let r = app
            .post(
                &format!("/api/v1/customers/{id}/contacts"),
                &app.admin_token,
            )
            .json(&json!({"first_name": "A", "last_name": last}))
            .send()
            .await
            .unwrap();
        json_of(r, 201).await;
    }
    let list = app
        .get_json(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .await;
    let names: Vec<&str> = list
        .as_array()
        .or_else(|| list["items"].as_array())
        .unwrap()
        .iter()
        .map(|c| c["last_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Álvarez", "bernard", "Éluard", "Zola"]);
}

/// A deleted customer comes back from its history, once, as a new
/// customer with its fields, contacts, revenue lines, candidate scores and
/// the subsidiaries it had, for those who could change it; its figures
/// follow.
#[tokio::test]
async fn a_deleted_customer_is_restored_from_its_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (_, other) = app.user_token("other@test.example", "kam").await;
    let bu = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "PKG", "name": "Packaging"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let c = app
        .create_customer(
            json!({"name": "Retour Industries", "country": "FR", "city": "Lyon",
                                "owner_id": kam, "business_unit_id": bu["id"],
                                "wallet_cents": 2_400_000, "notes": "Long-standing"}),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    let child = app
        .create_customer(json!({"name": "Retour Iberia", "country": "ES", "parent_id": id}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Anne", "last_name": "Martin", "email": "anne@retour.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let lines: Vec<Value> = (1..=12)
        .map(|m| {
            json!({"customer_id": id, "business_unit_id": bu["id"], "period": format!("2025-{m:02}"),
                   "revenue_cents": 100_000, "margin_cents": 25_000})
        })
        .collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let grid = app
        .get_json("/api/v1/selection/criteria", &app.admin_token)
        .await;
    let r = app
        .put(&format!("/api/v1/customers/{id}/selection/scores"), &app.admin_token)
        .json(&json!({"scores": [{"criterion_id": grid[0]["id"], "score": 4, "evidence": "A reference"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let before = app
        .get_json(&format!("/api/v1/customers/{id}"), &app.admin_token)
        .await;
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/customers/{id}?version={}",
            before["version"]
        )))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let history = app
        .get_json(&format!("/api/v1/customers/{id}/history"), &app.admin_token)
        .await;
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == "customer" && e["action"] == "delete")
        .unwrap_or_else(|| panic!("{history}"))["id"]
        .as_i64()
        .unwrap();
    let restore = format!("/customers/{id}/history/{entry}/restore");
    // Another KAM may not bring back a customer they did not own.
    let ob = app.browser("other@test.example").await;
    let page = helpers::text(&ob, app.url(&format!("/customers/{id}/history"))).await;
    assert!(!page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    problem(
        app.post(
            &format!("/api/v1/customers/{id}/history/{entry}/restore"),
            &other,
        )
        .send()
        .await
        .unwrap(),
        403,
    )
    .await;

    // Its owner does, from its history.
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{id}/history"))).await;
    assert!(page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Customer restored from the history"),
        "{page}"
    );
    let new: i64 = back
        .trim_start_matches("/customers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(new, id, "a new customer");
    let got = app.get_json(&format!("/api/v1/customers/{new}"), &kt).await;
    for field in [
        "name",
        "country",
        "city",
        "wallet_cents",
        "notes",
        "status",
        "tier",
        "currency",
    ] {
        assert_eq!(got[field], before[field], "{field}: {got}");
    }
    assert_eq!(got["owner"]["id"], kam, "{got}");
    assert_eq!(got["business_unit"]["id"], bu["id"], "{got}");
    // Its figures follow its revenue.
    assert_eq!(
        got["figures"]["revenue_12m_cents"], before["figures"]["revenue_12m_cents"],
        "{got}"
    );
    assert_eq!(got["figures"]["revenue_12m_cents"], 1_200_000, "{got}");
    let contacts = app
        .get_json(&format!("/api/v1/customers/{new}/contacts"), &kt)
        .await;
    assert_eq!(contacts[0]["email"], "anne@retour.example", "{contacts}");
    let rev = app
        .get_json(&format!("/api/v1/customers/{new}/revenue"), &kt)
        .await;
    assert_eq!(rev["lines"].as_array().unwrap().len(), 12, "{rev}");
    let sub = app
        .get_json(&format!("/api/v1/customers/{}", child["id"]), &kt)
        .await;
    assert_eq!(
        sub["parent_id"], new,
        "its subsidiary is back under it: {sub}"
    );
    let scores = app
        .get_json(
            &format!("/api/v1/customers/{new}/selection"),
            &app.admin_token,
        )
        .await;
    assert!(scores.to_string().contains("A reference"), "{scores}");
    // Once only; the old history says where it went.
    assert_eq!(
        b.post(app.url(&restore)).send().await.unwrap().status(),
        409
    );
    let history = app
        .get_json(&format!("/api/v1/customers/{id}/history"), &kt)
        .await;
    let deletion = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == entry)
        .unwrap_or_else(|| panic!("{history}"));
    assert_eq!(deletion["restored_as"], new, "{deletion}");
    let page = helpers::text(&b, app.url(&format!("/customers/{id}/history"))).await;
    assert!(
        page.contains(&format!(
            "href=\"/customers/{new}\" id=\"restored-customer\""
        )),
        "{page}"
    );
    // A key account comes back as one only for those who decide them.
    let ka = app
        .create_customer(
            json!({"name": "Clé SA", "country": "FR", "status": "key_account", "owner_id": kam}),
        )
        .await;
    assert_eq!(ka["status"], "key_account", "{ka}");
    let ka = ka["id"].as_i64().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customers/{ka}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let history = app
        .get_json(&format!("/api/v1/customers/{ka}/history"), &kt)
        .await;
    let entry = history[0]["id"].as_i64().unwrap();
    let out = json_of(
        app.post(
            &format!("/api/v1/customers/{ka}/history/{entry}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let got = app
        .get_json(&format!("/api/v1/customers/{}", out["id"]), &kt)
        .await;
    assert_eq!(got["status"], "customer", "{got}");
    // For one who decides key accounts, with its executive sponsor; a
    // candidate too comes back with its sponsor.
    let (sponsor, _) = app.user_token("sponsor@test.example", "sponsor").await;
    for (name, status) in [
        ("Clé Deux SA", "key_account"),
        ("Clé Trois SA", "candidate"),
    ] {
        let id = app
            .create_customer(
                json!({"name": name, "country": "FR", "status": status, "owner_id": kam}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let r = app
            .put(&format!("/api/v1/customers/{id}/sponsor"), &app.admin_token)
            .json(&json!({"sponsor_id": sponsor}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/customers/{id}")))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let entry = app
            .get_json(&format!("/api/v1/customers/{id}/history"), &app.admin_token)
            .await[0]["id"]
            .as_i64()
            .unwrap();
        let out = json_of(
            app.post(
                &format!("/api/v1/customers/{id}/history/{entry}/restore"),
                &app.admin_token,
            )
            .send()
            .await
            .unwrap(),
            201,
        )
        .await;
        let got = app
            .get_json(
                &format!("/api/v1/customers/{}", out["id"]),
                &app.admin_token,
            )
            .await;
        assert_eq!(
            (&got["status"], &got["sponsor_id"]),
            (&json!(status), &json!(sponsor)),
            "{got}"
        );
    }
}

/// A customer's history narrows to the entries that mention some words (in
/// the record's name, who changed it, or a value), however far back they
/// are, on the page, its CSV and the API alike.
#[tokio::test]
async fn a_customer_history_finds_the_entries_that_mention_words() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Laiterie Morvan", "country": "FR", "currency": "EUR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let contact = json_of(
        app.post(&format!("/api/v1/customers/{c}/contacts"), &app.admin_token)
            .json(&json!({"first_name": "Zoé", "last_name": "Lefèvre", "email": "zoe@morvan.example"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    // Then 2,500 changes to the customer's city: the contact's creation is
    // far back, behind more entries than one reading takes.
    let db = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let now = unix_now();
    let rows: Vec<String> = (0..2_500)
        .map(|i| {
            format!(
                "({now}, NULL, 'customer', {c}, 'update', '{{\"before\": {{\"city\": \"Brest {i}\"}}, \"after\": {{\"city\": \"Quimper {i}\"}}}}', {c})"
            )
        })
        .collect();
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        &format!(
            "INSERT INTO audit_log (at, user_id, entity, entity_id, action, detail, customer_id) VALUES {}",
            rows.join(",")
        ),
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let path = |q: &str| format!("/api/v1/customers/{c}/history?q={q}");
    // Whatever the case and accents.
    let found = app.get_json(&path("LEFEVRE"), &app.admin_token).await;
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (
            &found[0]["entity"],
            &found[0]["entity_id"],
            &found[0]["action"]
        ),
        (&json!("contact"), &contact["id"], &json!("create"))
    );
    // Each word, in any order.
    let found = app.get_json(&path("lefevre%20zoe"), &app.admin_token).await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    // In a value: the one change that wrote it.
    let found = app
        .get_json(&path("quimper%201234"), &app.admin_token)
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["changes"][0]["after"], "Quimper 1234");
    // A page holds 200 at most; the next goes on from the last one.
    let first = app.get_json(&path("quimper"), &app.admin_token).await;
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), 200);
    let last = first[199]["id"].as_i64().unwrap();
    let next = app
        .get_json(
            &format!("{}&before={last}", path("quimper")),
            &app.admin_token,
        )
        .await;
    assert_eq!(next[0]["changes"][0]["after"], "Quimper 2299");
    assert_eq!(
        app.get_json(&path("nowhere"), &app.admin_token).await,
        json!([])
    );
    // A person a change names, by their name (not who made the change).
    let (am, _) = app
        .user_token("noemie.garnier@test.example", "account_manager")
        .await;
    let now = app
        .get_json(&format!("/api/v1/customers/{c}"), &app.admin_token)
        .await;
    let r = app
        .client
        .put(app.url(&format!("/api/v1/customers/{c}")))
        .bearer_auth(&app.admin_token)
        .json(
            &json!({"name": "Laiterie Morvan", "country": "FR", "currency": "EUR",
                      "owner_id": am, "version": now["version"]}),
        )
        .send()
        .await
        .unwrap();
    json_of(r, 200).await;
    let found = app.get_json(&path("noemie"), &app.admin_token).await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["changes"][0]["field"], "owner_id", "{found}");
    // What the history does not show every reader is not found either:
    // a deleted contact's attitude as a stakeholder.
    let r = app
        .client
        .put(app.url(&format!("/api/v1/contacts/{}/stakeholder", contact["id"])))
        .bearer_auth(&app.admin_token)
        .json(&json!({"attitude": "champion", "version": 0}))
        .send()
        .await
        .unwrap();
    json_of(r, 200).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{}?version=1", contact["id"])))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let found = app.get_json(&path("lefevre"), &app.admin_token).await;
    assert_eq!(found[0]["action"], "delete", "{found}");
    assert_eq!(
        app.get_json(&path("champion"), &app.admin_token).await,
        json!([])
    );
    // The page keeps the words in its search box, its CSV link and its
    // pages.
    let b = app.browser("admin@test.example").await;
    let page = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/history?q=Lef%C3%A8vre")),
    )
    .await;
    assert!(page.contains("value=\"Lefèvre\""), "{page}");
    assert!(page.contains("Zoé Lefèvre"), "{page}");
    assert!(!page.contains("Quimper"), "{page}");
    assert!(page.contains("history.csv?q=Lef%C3%A8vre"), "{page}");
    let csv = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/history.csv?q=lefevre")),
    )
    .await;
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",contact,") && l.contains(",create,Zoé Lefèvre,"))
            .count(),
        1,
        "{csv}"
    );
    assert!(!csv.contains("Quimper"), "{csv}");
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history?q=nowhere"))).await;
    assert!(page.contains("id=\"history-none\""), "{page}");
    assert!(page.contains("No change matches these filters"), "{page}");
}

/// Now, in Unix seconds.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
