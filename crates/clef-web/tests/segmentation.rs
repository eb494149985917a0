//! Portfolio figures, segmentation (what-if, apply, snapshots, compare,
//! exports) and the key-account selection workflow, through the API, on
//! SQLite (and on PostgreSQL when CLEF_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, is_postgres, json_of, problem, text};
use serde_json::{Value, json};

/// A business unit and `n` customers whose monthly revenue is 1,000 € × (i+1)²
/// over 24 months, with growth for the even ones; returns the customer ids.
async fn portfolio(app: &TestApp, n: i64) -> Vec<i64> {
    let bu: Value = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "PKG", "name": "Packaging"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ids = Vec::new();
    let mut lines = Vec::new();
    for i in 0..n {
        let position = ["weak", "average", "strong", "leader"][(i % 4) as usize];
        let threat = ["none", "low", "medium", "high"][(i % 4) as usize];
        let c = app
            .create_customer(json!({
                "name": format!("Client {i:02}"),
                "country": if i % 2 == 0 { "FR" } else { "DE" },
                "wallet_cents": 100_000_000i64 * (i + 1),
                "competitive_position": position,
                "threat": threat,
                "strategic_segment": if i % 3 == 0 { "Strategic" } else { "Retail" },
                "satisfaction": i % 11,
            }))
            .await;
        let id = c["id"].as_i64().unwrap();
        ids.push(id);
        for m in 0..24 {
            let (y, mo) = (2025 + m / 12, m % 12 + 1);
            let base = 100_000 * (i + 1) * (i + 1);
            let rev = if i % 2 == 0 && m >= 12 {
                base * 2
            } else {
                base
            };
            lines.push(json!({
                "customer_id": id, "business_unit_id": bu["id"], "period": format!("{y}-{mo:02}"),
                "currency": "EUR", "revenue_cents": rev, "margin_cents": rev / 4,
            }));
        }
    }
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    ids
}

/// The names on the first page of the portfolio list sorted by `sort`.
async fn sorted_names(app: &TestApp, sort: &str) -> Vec<String> {
    let list = app
        .get_json(&format!("/api/v1/customers?sort={sort}"), &app.admin_token)
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn figures_follow_the_revenue_lines_and_sort_the_list() {
    let app = TestApp::spawn().await;
    let ids = portfolio(&app, 6).await;
    let c: Value = app
        .get_json(&format!("/api/v1/customers/{}", ids[4]), &app.admin_token)
        .await;
    let f = &c["figures"];
    // Client 04: 2.5 M€ a month in 2025, doubled in 2026.
    assert_eq!(f["revenue_12m_cents"], 2_500_000 * 2 * 12);
    assert_eq!(f["revenue_previous_12m_cents"], 2_500_000 * 12);
    assert!((f["growth"].as_f64().unwrap() - 1.0).abs() < 1e-9, "{f}");
    assert!((f["margin_rate"].as_f64().unwrap() - 0.25).abs() < 1e-9);
    assert!((f["share_of_wallet"].as_f64().unwrap() - 60_000_000.0 / 500_000_000.0).abs() < 1e-9);
    // Last 12 months: client 04 (doubled) 60 M€ ranks before client 05
    // (43.2 M€), then 02 (doubled, 21.6 M€), 03 (19.2 M€), 01, 00.
    assert_eq!(f["rank"], 1);
    let list: Value = app
        .get_json("/api/v1/customers?sort=-revenue", &app.admin_token)
        .await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Client 04",
            "Client 05",
            "Client 02",
            "Client 03",
            "Client 01",
            "Client 00"
        ]
    );
    let ranks: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["figures"]["rank"].as_i64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5, 6]);
    let last = &list["items"][5]["figures"];
    assert!((last["cumulative_share"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    // By growth, largest first: the doubled ones (100 %), then the flat
    // ones (0 %); equal growths by id, descending too.
    assert_eq!(
        sorted_names(&app, "-growth").await,
        [
            "Client 04",
            "Client 02",
            "Client 00",
            "Client 05",
            "Client 03",
            "Client 01"
        ]
    );
    // Share of wallet, smallest first: 1.2 % × (i+1), twice that for the
    // doubled ones: 2.4 % for clients 00 and 01 (equal: by id), 4.8 % for
    // 03, 7.2 % for 02 and 05, 12 % for 04.
    assert_eq!(
        sorted_names(&app, "share_of_wallet").await,
        [
            "Client 00",
            "Client 01",
            "Client 03",
            "Client 02",
            "Client 05",
            "Client 04"
        ]
    );

    // One more month of revenue for the smallest customer moves the window and its rank.
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": [{"customer_id": ids[0], "business_unit_id": list["items"][0]["business_unit"]["id"].as_i64().unwrap_or(1),
            "period": "2027-01", "currency": "EUR", "revenue_cents": 900_000_000, "margin_cents": 0}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let c0: Value = app
        .get_json(&format!("/api/v1/customers/{}", ids[0]), &app.admin_token)
        .await;
    assert_eq!(c0["figures"]["rank"], 1, "{}", c0["figures"]);
    // A new customer has empty figures, ranked last.
    let n = app
        .create_customer(json!({"name": "Nouveau", "country": "FR"}))
        .await;
    assert_eq!(n["figures"]["revenue_12m_cents"], 0);
    assert_eq!(n["figures"]["rank"], 7);
}

#[tokio::test]
async fn a_what_if_answers_without_saving_and_applying_stores_a_snapshot() {
    let app = TestApp::spawn().await;
    let ids = portfolio(&app, 12).await;
    let (_, viewer) = app.user_token("viewer@example.com", "viewer").await;
    let r = app
        .post("/api/v1/segmentations", &viewer)
        .json(&json!({"name": "Nope"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;

    let seg = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Company 2027"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = seg["id"].as_i64().unwrap();
    assert_eq!(seg["config"]["abc_cutoffs"], json!([80.0, 95.0]));
    // Settings are an object: a list is refused, not read as the defaults.
    for (path, body) in [
        (
            "/api/v1/segmentations".to_owned(),
            json!({"name": "Listed", "config": []}),
        ),
        (
            format!("/api/v1/segmentations/{id}/preview"),
            json!({"config": []}),
        ),
    ] {
        let r = app
            .post(&path, &app.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = problem(r, 422).await;
        assert!(p["detail"].as_str().unwrap().contains("an object"), "{p}");
    }

    // Anyone who reads the portfolio may try settings.
    let p = json_of(
        app.post(&format!("/api/v1/segmentations/{id}/preview"), &viewer)
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(p["customers"], 12);
    let cells: u64 = p["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["customers"].as_u64().unwrap())
        .sum();
    assert_eq!(cells, 12);
    assert_eq!(p["cells"].as_array().unwrap().len(), 9);
    let classes: Vec<u64> = p["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["customers"].as_u64().unwrap())
        .collect();
    assert_eq!(classes.iter().sum::<u64>(), 12);
    assert!(classes[0] >= 1 && classes[0] < 12, "{classes:?}");
    // Nothing applied yet: every customer is bronze today, so gold and silver ones move.
    let tiers: Vec<u64> = p["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[1].as_u64().unwrap())
        .collect();
    assert_eq!(p["moved"], tiers[0] + tiers[1]);
    assert!(p["compared_with_snapshot"].is_null());

    // Moving a weight moves customers; nothing is saved.
    let mut cfg = seg["config"].clone();
    cfg["abc_cutoffs"] = json!([50.0, 90.0]);
    let p2 = json_of(
        app.post(&format!("/api/v1/segmentations/{id}/preview"), &viewer)
            .json(&json!({"config": cfg}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(p2["classes"][0]["customers"].as_u64() < p["classes"][0]["customers"].as_u64());
    let again = app
        .get_json(&format!("/api/v1/segmentations/{id}"), &viewer)
        .await;
    assert_eq!(again["config"]["abc_cutoffs"], json!([80.0, 95.0]));

    // Bad settings are named.
    let mut bad = seg["config"].clone();
    bad["abc_cutoffs"] = json!([90.0, 80.0]);
    bad["criteria"][0]["weight"] = json!(500);
    let b = problem(
        app.post(&format!("/api/v1/segmentations/{id}/preview"), &viewer)
            .json(&json!({"config": bad}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"config.abc_cutoffs"), "{b}");
    assert!(fields.contains(&"config.criteria[0].weight"), "{b}");
    let r = app
        .post(&format!("/api/v1/segmentations/{id}/preview"), &viewer)
        .json(&json!({"config": {"criteria": [{"criterion": "size", "axis": "attractiveness", "weight": 3}]}}))
        .send()
        .await
        .unwrap();
    let b = problem(r, 422).await;
    assert!(b["detail"].as_str().unwrap().contains("size"), "{b}");

    // Applying stores a snapshot and gives every customer its tier.
    let snap = json_of(
        app.post(
            &format!("/api/v1/segmentations/{id}/apply"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    assert_eq!(snap["customers"], 12);
    assert_eq!(snap["tiers_changed"], p["moved"]);
    let top: Value = app
        .get_json(&format!("/api/v1/customers/{}", ids[11]), &app.admin_token)
        .await;
    assert_eq!(top["tier"], "gold", "the largest customer is in class A");
    // Right after applying, the same settings move nobody.
    let p3 = json_of(
        app.post(&format!("/api/v1/segmentations/{id}/preview"), &viewer)
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(p3["moved"], 0);
    assert_eq!(p3["compared_with_snapshot"], snap["id"]);

    // A second snapshot with other cut-offs, then the comparison.
    let put = json_of(
        app.put(&format!("/api/v1/segmentations/{id}"), &app.admin_token)
            .json(&json!({"name": "Company 2027", "config": cfg, "version": 1}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(put["version"], 2);
    let stale = app
        .put(&format!("/api/v1/segmentations/{id}"), &app.admin_token)
        .json(&json!({"name": "Company 2027", "config": cfg, "version": 1}))
        .send()
        .await
        .unwrap();
    problem(stale, 409).await;
    let snap2 = json_of(
        app.post(
            &format!("/api/v1/segmentations/{id}/apply"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let cmp = json_of(
        app.get(
            &format!(
                "/api/v1/snapshots/compare?from={}&to={}",
                snap["id"], snap2["id"]
            ),
            &viewer,
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    let moved_a_to_b: u64 = cmp["class_moves"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m[0] == "A" && m[1] == "B")
        .map(|m| m[2].as_u64().unwrap())
        .sum();
    assert_eq!(
        moved_a_to_b,
        p["classes"][0]["customers"].as_u64().unwrap()
            - p2["classes"][0]["customers"].as_u64().unwrap()
    );
    assert_eq!(
        cmp["moved"].as_u64().unwrap(),
        cmp["items"].as_array().unwrap().len() as u64
    );
    let list = app
        .get_json(&format!("/api/v1/segmentations/{id}/snapshots"), &viewer)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    // The movers as CSV, from the comparison page: the same customers.
    let b = app.browser("admin@test.example").await;
    let compare = format!(
        "/segmentations/{id}/compare?from={}&to={}",
        snap["id"], snap2["id"]
    );
    let page = text(&b, app.url(&compare)).await;
    assert!(page.contains("id=\"movers-csv\""), "{page}");
    let csv = text(&b, app.url(&compare.replace("/compare?", "/compare.csv?"))).await;
    let ids: Vec<String> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> = cmp["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["customer_id"].to_string())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected, "{csv}");
    // Another segmentation's address does not compare these snapshots.
    let other = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Other"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let elsewhere = compare.replace(&format!("/{id}/"), &format!("/{}/", other["id"]));
    for path in [
        elsewhere.clone(),
        elsewhere.replace("/compare?", "/compare.csv?"),
    ] {
        let r = b.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    // Deleting one says what goes with it: its snapshots, not the tiers.
    let page = text(&b, app.url(&format!("/segmentations/{id}/delete"))).await;
    assert!(
        page.contains("snapshots (the tiers it gave each time it was applied) go with it")
            && page.contains("The customers keep their tiers."),
        "{page}"
    );
    let page = text(
        &b,
        app.url(&format!("/segmentations/{}/delete", other["id"])),
    )
    .await;
    assert!(page.contains("It was never applied"), "{page}");
    // Its deletion, confirmed on a page of an older version, deletes nothing.
    let delete = |version: &'static str| {
        b.post(app.url(&format!("/segmentations/{}/delete", other["id"])))
            .form(&[("version", version)])
            .send()
    };
    assert_eq!(other["version"], 1);
    assert_eq!(delete("0").await.unwrap().status(), 409);
    assert_eq!(delete("1").await.unwrap().status(), 303);
    // The page lists the 50 newest snapshots and links to all of them.
    let page = text(&b, app.url(&format!("/segmentations/{id}"))).await;
    assert!(!page.contains("id=\"snapshots-more\""), "{page}");
    let db = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    for _ in 0..49 {
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            &format!(
                "INSERT INTO segmentation_snapshots (segmentation_id, applied_at, applied_by, name, scope_kind, scope_value, config, customers, tiers_changed, summary)
                 SELECT segmentation_id, applied_at, applied_by, name, scope_kind, scope_value, config, customers, tiers_changed, summary
                 FROM segmentation_snapshots WHERE id = {}",
                snap["id"]
            ),
        )
        .await
        .unwrap();
    }
    db.close().await.unwrap();
    let page = text(&b, app.url(&format!("/segmentations/{id}"))).await;
    assert!(
        page.contains("The 50 newest snapshots are listed."),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "href=\"/segmentations/{id}/snapshots\">All 51 snapshots"
        )),
        "{page}"
    );
    assert_eq!(page.matches("name=\"from\"").count(), 50);
    let all = text(&b, app.url(&format!("/segmentations/{id}/snapshots"))).await;
    assert_eq!(all.matches("name=\"from\"").count(), 51, "{all}");
    assert!(all.contains("id=\"compare-form\""));
    // Every snapshot as CSV, newest first, with who applied it.
    assert!(
        all.contains(&format!("href=\"/segmentations/{id}/snapshots.csv\"")),
        "{all}"
    );
    let csv = text(&b, app.url(&format!("/segmentations/{id}/snapshots.csv"))).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "id,applied_at,applied_by,name,customers,tiers_changed"
    );
    assert_eq!(lines.len(), 52, "{csv}");
    let newest: Vec<&str> = lines[1].split(',').collect();
    let oldest: Vec<&str> = lines[51].split(',').collect();
    assert_eq!(oldest[0], snap["id"].to_string(), "{csv}");
    assert!(newest[0].parse::<i64>().unwrap() > snap["id"].as_i64().unwrap());
    assert_eq!(oldest[2], "Ada Admin", "{csv}");

    // Every output as CSV.
    for (what, rows) in [("customers", 12), ("matrix", 9), ("abc", 3)] {
        let r = app
            .get(
                &format!("/api/v1/segmentations/{id}/export.csv?what={what}"),
                &viewer,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert_eq!(text.lines().count(), rows + 1, "{what}: {text}");
    }
    let r = app
        .get(
            &format!("/api/v1/segmentations/{id}/export.csv?what=everything"),
            &viewer,
        )
        .send()
        .await
        .unwrap();
    problem(r, 422).await;
}

/// A snapshot is read only once its tiers are given: one left unfinished
/// (an instance stopped while applying) is never shown, and the next apply
/// removes it once an hour has passed.
#[tokio::test]
async fn an_unfinished_snapshot_is_not_read_and_is_removed_later() {
    let app = TestApp::spawn().await;
    portfolio(&app, 10).await;
    let seg = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "All"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = seg["id"].as_i64().unwrap();
    let apply = || async {
        json_of(
            app.post(
                &format!("/api/v1/segmentations/{id}/apply"),
                &app.admin_token,
            )
            .send()
            .await
            .unwrap(),
            201,
        )
        .await
    };
    let first = apply().await["id"].as_i64().unwrap();
    let db = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let sql = |q: String| {
        let db = db.clone();
        async move {
            sea_orm::ConnectionTrait::execute_unprepared(&db, &q)
                .await
                .unwrap();
        }
    };
    // As an instance stopped before the tiers were given leaves it, two
    // hours ago.
    sql(format!(
        "UPDATE segmentation_snapshots SET complete = FALSE, applied_at = applied_at - 7200 WHERE id = {first}"
    ))
    .await;
    let list = app
        .get_json(
            &format!("/api/v1/segmentations/{id}/snapshots"),
            &app.admin_token,
        )
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url(&format!("/segmentations/{id}/snapshots"))).await;
    assert!(!page.contains(&format!("value=\"{first}\"")), "{page}");

    let second = apply().await["id"].as_i64().unwrap();
    // Nor can it be compared.
    let r = app
        .get(
            &format!("/api/v1/snapshots/compare?from={first}&to={second}"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            let row = sea_orm::ConnectionTrait::query_one_raw(
                &db,
                sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table} WHERE snapshot_id = {first}"),
                ),
            )
            .await
            .unwrap()
            .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        }
    };
    assert_eq!(
        count("segment_placements").await,
        0,
        "its placements went with it"
    );
    let list = app
        .get_json(
            &format!("/api/v1/segmentations/{id}/snapshots"),
            &app.admin_token,
        )
        .await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [second]);

    // One being applied by another instance sharing the database (its
    // snapshot unfinished, of a minute ago): this one does not apply it
    // too, and its page follows the other until it ends.
    sql(format!(
        "UPDATE segmentation_snapshots SET complete = FALSE, applied_at = applied_at - 60 WHERE id = {second}"
    ))
    .await;
    let p = problem(
        app.post(
            &format!("/api/v1/segmentations/{id}/apply"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("another server"),
        "{p}"
    );
    let r = b
        .post(app.url(&format!("/segmentations/{id}/apply")))
        .form(&[("version", seg["version"].to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let applying = format!("/segmentations/{id}/applying");
    assert_eq!(r.headers()["location"], applying.as_str());
    let page = text(&b, app.url(&applying)).await;
    assert!(page.contains("Being applied by another server"), "{page}");
    // Once it ends there, the page leads to the segmentation.
    sql(format!(
        "UPDATE segmentation_snapshots SET complete = TRUE WHERE id = {second}"
    ))
    .await;
    let r = b.get(app.url(&applying)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_scope_segments_only_its_customers() {
    let app = TestApp::spawn().await;
    portfolio(&app, 10).await;
    let seg = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Germany", "scope_kind": "country", "scope_value": "de"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(seg["scope_value"], "DE");
    // The list as CSV: a segmentation scoped to a business unit names it.
    let unit = json_of(
        app.post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": "PACK", "name": "Packaging"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await["id"]
        .clone();
    json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Packaging", "scope_kind": "business_unit", "scope_value": unit.to_string()}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let b = app.browser("admin@test.example").await;
    let csv = helpers::text(&b, app.url("/segmentations.csv")).await;
    assert!(
        csv.contains(&format!(
            ",Packaging,business_unit,{unit},Business unit · Packaging,"
        )) && csv.contains(",Germany,country,DE,Country · DE,"),
        "{csv}"
    );
    let p = json_of(
        app.post(
            &format!("/api/v1/segmentations/{}/preview", seg["id"]),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(p["customers"], 5);
    // A scope without customers answers an empty result, not an error.
    let empty = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Iceland", "scope_kind": "country", "scope_value": "IS"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let p = json_of(
        app.post(
            &format!("/api/v1/segmentations/{}/preview", empty["id"]),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(p["customers"], 0);
    assert_eq!(p["moved"], 0);
    let r = app
        .post("/api/v1/segmentations", &app.admin_token)
        .json(&json!({"name": "Nowhere", "scope_kind": "planet", "scope_value": "Mars"}))
        .send()
        .await
        .unwrap();
    let b = problem(r, 422).await;
    assert_eq!(b["errors"][0]["field"], "scope_kind");
    let r = app
        .post("/api/v1/segmentations", &app.admin_token)
        .json(&json!({"name": "BU", "scope_kind": "business_unit"}))
        .send()
        .await
        .unwrap();
    let b = problem(r, 422).await;
    assert_eq!(b["errors"][0]["field"], "scope_value");
}

/// The account's own sponsor decides its proposal: a proposal cannot name
/// another one, and a sponsor named by a proposal does not replace it.
#[tokio::test]
async fn the_account_sponsor_decides_its_proposal() {
    let app = TestApp::spawn().await;
    let ids = portfolio(&app, 2).await;
    let (kam_id, kam) = app.user_token("kam@example.com", "kam").await;
    let (sponsor_id, sponsor) = app.user_token("sponsor@example.com", "sponsor").await;
    let (other_id, other) = app.user_token("other@example.com", "sponsor").await;
    for id in &ids {
        let r = app
            .put(&format!("/api/v1/customers/{id}"), &app.admin_token)
            .json(&json!({"name": format!("Account {id}"), "country": "FR", "owner_id": kam_id, "version": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let give_sponsor = |id: i64| {
        app.put(&format!("/api/v1/customers/{id}/sponsor"), &app.admin_token)
            .json(&json!({"sponsor_id": sponsor_id}))
            .send()
    };
    assert_eq!(give_sponsor(ids[0]).await.unwrap().status(), 204);
    let propose = |id: i64, body: Value| {
        app.post(&format!("/api/v1/customers/{id}/selection/propose"), &kam)
            .json(&body)
            .send()
    };
    let r = propose(
        ids[0],
        json!({"manager_id": kam_id, "sponsor_id": other_id, "reason": "Fit"}),
    )
    .await
    .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(
        (&p["errors"][0]["field"], &p["errors"][0]["code"]),
        (&json!("sponsor_id"), &json!("sponsor-set")),
        "{p}"
    );
    // An administrator is no executive sponsor, as on the sponsorship plan.
    let admin_id = app.get_json("/api/v1/users/me", &app.admin_token).await["id"].clone();
    let r = propose(
        ids[1],
        json!({"manager_id": kam_id, "sponsor_id": admin_id, "reason": "Fit"}),
    )
    .await
    .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], json!("not-a-sponsor"), "{p}");
    let r = propose(ids[0], json!({"manager_id": kam_id, "reason": "Fit"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let approve = |id: i64, token: &str| {
        app.post(&format!("/api/v1/customers/{id}/selection/approve"), token)
            .json(&json!({}))
            .send()
    };
    problem(approve(ids[0], &other).await.unwrap(), 403).await;
    assert_eq!(approve(ids[0], &sponsor).await.unwrap().status(), 200);
    // An account without a sponsor takes the one its proposal named; a
    // sponsor given since stays, and decides.
    let r = propose(
        ids[1],
        json!({"manager_id": kam_id, "sponsor_id": other_id, "reason": "Fit"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(give_sponsor(ids[1]).await.unwrap().status(), 204);
    problem(approve(ids[1], &other).await.unwrap(), 403).await;
    assert_eq!(approve(ids[1], &sponsor).await.unwrap().status(), 200);
    let c = app
        .get_json(&format!("/api/v1/customers/{}", ids[1]), &app.admin_token)
        .await;
    assert_eq!(c["sponsor_id"], sponsor_id);
    // A deselection from the page is asked once more, with its reason.
    let b = app.browser("admin@test.example").await;
    let path = app.url(&format!("/customers/{}/selection/deselect", ids[1]));
    let r = b
        .post(&path)
        .form(&[("deselect_reason", "Purchasing moved abroad")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"confirm-what\""), "{page}");
    assert!(
        page.contains("name=\"deselect_reason\" value=\"Purchasing moved abroad\""),
        "{page}"
    );
    let status = || async {
        app.get_json(&format!("/api/v1/customers/{}", ids[1]), &app.admin_token)
            .await["status"]
            .clone()
    };
    assert_eq!(status().await, "key_account", "nothing recorded yet");
    let r = b
        .post(&path)
        .form(&[
            ("deselect_reason", "Purchasing moved abroad"),
            ("confirmed", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(status().await, "deselected");
    // Out of the program, it has no sponsor any more.
    let c = app
        .get_json(&format!("/api/v1/customers/{}", ids[1]), &app.admin_token)
        .await;
    assert!(c["sponsor_id"].is_null(), "{c}");
    // A director's proposal may give an account another sponsor.
    assert_eq!(give_sponsor(ids[1]).await.unwrap().status(), 204);
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/propose", ids[1]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam_id, "sponsor_id": other_id, "reason": "Back"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let c = app
        .get_json(&format!("/api/v1/customers/{}", ids[1]), &app.admin_token)
        .await;
    assert_eq!(c["sponsor_id"], other_id);
}

#[tokio::test]
async fn the_selection_workflow_keeps_who_when_and_why() {
    let app = TestApp::spawn().await;
    let ids = portfolio(&app, 6).await;
    let kam = app
        .store
        .create_user(&clef_store::NewUser {
            email: "kam@example.com".into(),
            name: "Karla Kam".into(),
            role: "kam".into(),
            title: Some("key_account_manager".into()),
            password: "correct horse battery".into(),
            locale: None,
        })
        .await
        .unwrap();
    let (sponsor_id, sponsor) = app.user_token("sponsor@example.com", "sponsor").await;
    let (_, other_sponsor) = app.user_token("other@example.com", "sponsor").await;
    let (_, viewer) = app.user_token("viewer@example.com", "viewer").await;

    let grid = app.get_json("/api/v1/selection/criteria", &viewer).await;
    let keys: Vec<&str> = grid
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "strategic_fit",
            "cultural_fit",
            "reputation",
            "potential",
            "mutual_intent",
            "profitability"
        ]
    );
    let crit = |k: usize| grid[k]["id"].as_i64().unwrap();

    // Scores with evidence; a score out of 1–5 is named.
    let bad = app
        .put(
            &format!("/api/v1/customers/{}/selection/scores", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"scores": [{"criterion_id": crit(0), "score": 7}, {"criterion_id": crit(0), "score": 3}]}))
        .send()
        .await
        .unwrap();
    let b = problem(bad, 422).await;
    assert_eq!(b["errors"][0]["field"], "scores[0].score");
    assert_eq!(b["errors"][1]["field"], "scores[1].criterion_id", "{b}");
    let r = app
        .put(
            &format!("/api/v1/customers/{}/selection/scores", ids[0]),
            &viewer,
        )
        .json(&json!({"scores": [{"criterion_id": crit(0), "score": 5}]}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let s = json_of(
        app.put(&format!("/api/v1/customers/{}/selection/scores", ids[0]), &app.admin_token)
            .json(&json!({"scores": [
                {"criterion_id": crit(0), "score": 5, "evidence": "Their 2030 plan needs our barrier films"},
                {"criterion_id": crit(1), "score": 3, "evidence": "Engineering-led, like us"}]}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    // (25 × 5 + 20 × 3) / 45
    assert!(
        (s["score"].as_f64().unwrap() - 185.0 / 45.0).abs() < 1e-9,
        "{s}"
    );
    // A page shown before another person's score: saving it with another
    // criterion changed does not put back what it showed of the first.
    let b = app.browser("admin@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{}/selection", ids[0]))).await;
    assert!(
        page.contains(&format!("name=\"was_score_{}\" value=\"5\"", crit(0))),
        "{page}"
    );
    app.put(
        &format!("/api/v1/customers/{}/selection/scores", ids[0]),
        &app.admin_token,
    )
    .json(&json!({"scores": [{"criterion_id": crit(0), "score": 2, "evidence": "Their plan changed"}]}))
    .send()
    .await
    .unwrap();
    let (c0, c1) = (crit(0).to_string(), crit(1).to_string());
    let form = [
        (format!("score_{c0}"), "5".to_owned()),
        (
            format!("evidence_{c0}"),
            "Their 2030 plan needs our barrier films".to_owned(),
        ),
        (format!("was_score_{c0}"), "5".to_owned()),
        (
            format!("was_evidence_{c0}"),
            "Their 2030 plan needs our barrier films".to_owned(),
        ),
        (format!("score_{c1}"), "4".to_owned()),
        (
            format!("evidence_{c1}"),
            "Engineering-led, like us".to_owned(),
        ),
        (format!("was_score_{c1}"), "3".to_owned()),
        (
            format!("was_evidence_{c1}"),
            "Engineering-led, like us".to_owned(),
        ),
    ];
    let r = b
        .post(app.url(&format!("/customers/{}/selection/scores", ids[0])))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let now = app.store.scores_of(ids[0]).await.unwrap();
    let score = |c: i64| now.iter().find(|s| s.criterion_id == c).map(|s| s.score);
    assert_eq!((score(crit(0)), score(crit(1))), (Some(2), Some(4)));
    // The grid saved as the page showed it: nothing to write, no refusal.
    let unchanged = [
        (format!("score_{c1}"), "4".to_owned()),
        (
            format!("evidence_{c1}"),
            "Engineering-led, like us".to_owned(),
        ),
        (format!("was_score_{c1}"), "4".to_owned()),
        (
            format!("was_evidence_{c1}"),
            "Engineering-led, like us".to_owned(),
        ),
    ];
    let r = b
        .post(app.url(&format!("/customers/{}/selection/scores", ids[0])))
        .form(&unchanged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.scores_of(ids[0]).await.unwrap(), now);
    // Put back as the rest of this test expects.
    app.put(
        &format!("/api/v1/customers/{}/selection/scores", ids[0]),
        &app.admin_token,
    )
    .json(&json!({"scores": [
        {"criterion_id": crit(0), "score": 5, "evidence": "Their 2030 plan needs our barrier films"},
        {"criterion_id": crit(1), "score": 3, "evidence": "Engineering-led, like us"}]}))
    .send()
    .await
    .unwrap();
    for (k, id) in ids.iter().enumerate().skip(1).take(4) {
        app.put(
            &format!("/api/v1/customers/{id}/selection/scores"),
            &app.admin_token,
        )
        .json(&json!({"scores": [{"criterion_id": crit(0), "score": 1 + k as i64 % 5}]}))
        .send()
        .await
        .unwrap();
    }

    // Propose: a reason is required, the manager must be a KAM.
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/propose", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam.id, "reason": "  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "reason");
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/propose", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": sponsor_id, "reason": "Fit"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["code"], "not-a-kam");
    let p = json_of(
        app.post(&format!("/api/v1/customers/{}/selection/propose", ids[0]), &app.admin_token)
            .json(&json!({"manager_id": kam.id, "sponsor_id": sponsor_id, "reason": "Double fit, strong reference"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert!(p["warning"].is_null());
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/propose", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam.id, "reason": "Again"}))
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    // Eight proposals at once for another customer: one is recorded, and
    // the others are told there is one waiting (not that the record changed).
    let path = format!("/api/v1/customers/{}/selection/propose", ids[5]);
    let answers = futures_util::future::join_all((0..8).map(|_| {
        app.post(&path, &app.admin_token)
            .json(&json!({"manager_id": kam.id, "reason": "At once"}))
            .send()
    }))
    .await;
    let mut created = 0;
    for r in answers {
        let r = r.unwrap();
        if r.status() == 201 {
            created += 1;
        } else {
            let p = problem(r, 409).await;
            assert!(
                p["detail"]
                    .as_str()
                    .unwrap()
                    .contains("already has a proposal waiting"),
                "{p}"
            );
        }
    }
    assert_eq!(created, 1);
    let cands = app.get_json("/api/v1/selection/candidates", &viewer).await;
    assert_eq!(
        cands["items"][0]["customer_id"], ids[0],
        "the best score ranks first"
    );
    assert_eq!(cands["items"][0]["pending"], true);

    // Only a director or the account's own sponsor decides.
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/approve", ids[0]),
            &other_sponsor,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let ok = json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/approve", ids[0]),
            &sponsor,
        )
        .json(&json!({"reason": "Agreed at the executive committee"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(ok["event"]["decision"], "approved");
    let c = app
        .get_json(&format!("/api/v1/customers/{}", ids[0]), &viewer)
        .await;
    assert_eq!(c["status"], "key_account");
    assert_eq!(c["owner"]["id"], kam.id);
    assert_eq!(c["sponsor_id"], sponsor_id);

    // Two more key accounts fill the KAM; the fourth needs an override reason.
    for id in &ids[1..3] {
        json_of(
            app.post(
                &format!("/api/v1/customers/{id}/selection/propose"),
                &app.admin_token,
            )
            .json(&json!({"manager_id": kam.id, "reason": "Fit"}))
            .send()
            .await
            .unwrap(),
            201,
        )
        .await;
        json_of(
            app.post(
                &format!("/api/v1/customers/{id}/selection/approve"),
                &app.admin_token,
            )
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
            200,
        )
        .await;
    }
    let p = json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/propose", ids[3]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam.id, "reason": "Fit"}))
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    assert!(p["warning"].as_str().unwrap().contains("3"), "{p}");
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/approve", ids[3]),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let b = problem(r, 422).await;
    assert_eq!(b["errors"][0]["field"], "override_reason");
    assert_eq!(b["errors"][0]["code"], "over-capacity");
    json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/approve", ids[3]),
            &app.admin_token,
        )
        .json(&json!({"override_reason": "Interim until Paul joins in March"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    // An edit cannot bypass the workflow or the capacity.
    let get = |id: i64| {
        let r = app.get(&format!("/api/v1/customers/{id}"), &viewer).send();
        async move { r.await.unwrap().json::<Value>().await.unwrap() }
    };
    let c5 = get(ids[5]).await;
    let r = app
        .put(&format!("/api/v1/customers/{}", ids[5]), &app.admin_token)
        .json(&json!({"name": c5["name"], "country": c5["country"], "status": "key_account", "version": c5["version"]}))
        .send()
        .await
        .unwrap();
    let b = problem(r, 422).await;
    assert_eq!(b["errors"][0]["field"], "status");
    assert_eq!(b["errors"][0]["code"], "use-selection");
    let other_kam = app
        .store
        .create_user(&clef_store::NewUser {
            email: "kam2@example.com".into(),
            name: "Other Kam".into(),
            role: "kam".into(),
            title: Some("key_account_manager".into()),
            password: "correct horse battery".into(),
            locale: None,
        })
        .await
        .unwrap();
    let c2 = get(ids[2]).await;
    let moved = app
        .put(&format!("/api/v1/customers/{}", ids[2]), &app.admin_token)
        .json(
            &json!({"name": c2["name"], "country": c2["country"], "status": "key_account",
                      "owner_id": other_kam.id, "version": c2["version"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        moved.status(),
        200,
        "another manager with room may take it over"
    );
    let back = app
        .put(&format!("/api/v1/customers/{}", ids[2]), &app.admin_token)
        .json(
            &json!({"name": c2["name"], "country": c2["country"], "status": "key_account",
                      "owner_id": kam.id, "version": c2["version"].as_i64().unwrap() + 1}),
        )
        .send()
        .await
        .unwrap();
    let b = problem(back, 422).await;
    assert_eq!(b["errors"][0]["field"], "owner_id");
    assert_eq!(b["errors"][0]["code"], "manager-full");

    let loads = app.get_json("/api/v1/program/managers", &viewer).await;
    assert_eq!(loads[0]["user_id"], kam.id);
    assert_eq!(
        loads[0]["key_accounts"], 3,
        "one of the four moved to the other manager"
    );
    assert_eq!(loads[0]["load"], "full");

    // Reject needs a reason; deselect needs a reason and a director.
    json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/propose", ids[4]),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam.id, "reason": "Maybe"}))
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/reject", ids[4]),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "reason");
    json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/reject", ids[4]),
            &app.admin_token,
        )
        .json(&json!({"reason": "No mutual intent"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/deselect", ids[0]),
            &sponsor,
        )
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/deselect", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"reason": ""}))
        .send()
        .await
        .unwrap();
    problem(r, 422).await;
    json_of(
        app.post(
            &format!("/api/v1/customers/{}/selection/deselect", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"reason": "Moved its purchasing to Asia"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/selection/deselect", ids[0]),
            &app.admin_token,
        )
        .json(&json!({"reason": "Twice"}))
        .send()
        .await
        .unwrap();
    problem(r, 409).await;

    let h = app
        .get_json(&format!("/api/v1/customers/{}/selection", ids[0]), &viewer)
        .await;
    let steps: Vec<&str> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["decision"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["proposed", "approved", "deselected"]);
    assert_eq!(h["history"][1]["actor_id"], sponsor_id);
    assert_eq!(h["history"][2]["reason"], "Moved its purchasing to Asia");
    assert!(h["history"][0]["score"].as_f64().is_some());
    assert_eq!(h["status"], "deselected");
    let h4 = app
        .get_json(&format!("/api/v1/customers/{}/selection", ids[4]), &viewer)
        .await;
    assert_eq!(h4["status"], "customer");
    assert_eq!(h4["history"][1]["reason"], "No mutual intent");
    // The program page downloads every decision and the managers' loads.
    let b = app.browser("admin@test.example").await;
    let csv = helpers::text(&b, app.url("/program/decisions.csv")).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("at,customer_id,customer,decision,by,manager"),
        "{csv}"
    );
    let all = app.store.recent_decisions(10_000).await.unwrap();
    assert_eq!(lines.len() - 1, all.len(), "{csv}");
    assert!(
        csv.contains("No mutual intent") && csv.contains("deselected"),
        "{csv}"
    );
    let loads = helpers::text(&b, app.url("/program/loads.csv")).await;
    let lines: Vec<&str> = loads.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "user_id,name,email,title,key_accounts,capacity_min,capacity_max,load"
    );
    assert_eq!(
        lines.len() - 1,
        app.store.manager_loads().await.unwrap().len(),
        "{loads}"
    );

    // The grid's weights are configurable by directors; the score follows.
    let r = app
        .put("/api/v1/selection/criteria", &app.admin_token)
        .json(&json!({"criteria": [{"id": crit(1), "weight": 101}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(r, 422).await["errors"][0]["field"],
        "criteria[0].weight"
    );
    json_of(
        app.put("/api/v1/selection/criteria", &app.admin_token)
            .json(&json!({"criteria": [{"id": crit(1), "weight": 0}]}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let s = app
        .get_json(&format!("/api/v1/customers/{}/selection", ids[0]), &viewer)
        .await;
    assert!((s["score"].as_f64().unwrap() - 5.0).abs() < 1e-9, "{s}");
}

/// An apply that takes longer than a moment (here: another writer holds the
/// database) shows its progress on a page that follows it; a second apply
/// of the same segmentation meanwhile is refused; once the writer lets go,
/// the page opens the segmentation with its snapshot.
#[tokio::test]
async fn a_long_apply_shows_its_progress_and_ends_on_the_segmentation() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::spawn().await;
    portfolio(&app, 8).await;
    let seg = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Slow one"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = seg["id"].as_i64().unwrap();
    let b = app.browser("admin@test.example").await;

    let other = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let writer = other.begin().await.unwrap();
    writer
        .execute_unprepared(if is_postgres() {
            "LOCK TABLE segmentation_snapshots IN EXCLUSIVE MODE"
        } else {
            "UPDATE figures_state SET generation = generation WHERE id = 1"
        })
        .await
        .unwrap();

    let r = b
        .post(app.url(&format!("/segmentations/{id}/apply")))
        .form(&[("version", seg["version"].as_i64().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let applying = format!("/segmentations/{id}/applying");
    assert_eq!(r.headers()["location"], applying.as_str());
    let page = b.get(app.url(&applying)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("id=\"apply-progress\""), "{page}");
    assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    assert!(page.contains("Slow one"), "{page}");
    // The same segmentation cannot be applied twice at once.
    problem(
        app.post(
            &format!("/api/v1/segmentations/{id}/apply"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    let again = b
        .post(app.url(&format!("/segmentations/{id}/apply")))
        .form(&[("version", seg["version"].as_i64().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.headers()["location"], applying.as_str());
    assert!(app.store.snapshots(id).await.unwrap().is_empty());

    writer.rollback().await.unwrap();
    let mut end = None;
    for _ in 0..100 {
        let r = b.get(app.url(&applying)).send().await.unwrap();
        if r.status() == 303 {
            end = Some(r.headers()["location"].to_str().unwrap().to_owned());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        end.as_deref(),
        Some(format!("/segmentations/{id}#snapshots").as_str())
    );
    assert_eq!(app.store.snapshots(id).await.unwrap().len(), 1);
    // Nothing runs any more: the page goes straight to the segmentation.
    let r = b.get(app.url(&applying)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    other.close().await.unwrap();
}

/// A customer whose growth is unknown (no revenue in the 12 months before)
/// sorts first by growth ascending and last descending, on both databases.
#[tokio::test]
async fn unknown_growth_sorts_before_every_known_one() {
    let app = TestApp::spawn().await;
    let bu: Value = json_of(
        app.post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": "SRV", "name": "Services"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let mut lines = Vec::new();
    // New: only the last 12 months; Flat: the same both years; Up: doubled.
    for (name, before, after) in [("New", 0, 500), ("Flat", 300, 300), ("Up", 100, 200)] {
        let c = app
            .create_customer(json!({"name": name, "country": "FR"}))
            .await;
        for m in 0..24 {
            let rev = if m < 12 { before } else { after };
            if rev > 0 {
                lines.push(json!({
                    "customer_id": c["id"], "business_unit_id": bu["id"],
                    "period": format!("{}-{:02}", 2025 + m / 12, m % 12 + 1),
                    "currency": "EUR", "revenue_cents": rev * 100, "margin_cents": rev * 10,
                }));
            }
        }
    }
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(sorted_names(&app, "growth").await, ["New", "Flat", "Up"]);
    assert_eq!(sorted_names(&app, "-growth").await, ["Up", "Flat", "New"]);
}

/// Two accounts approved at once for a manager with room for one more: one
/// is approved, the other is told the manager is full.
#[tokio::test]
async fn a_manager_at_the_limit_takes_one_of_two_accounts_approved_at_once() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    for name in ["Held One", "Held Two"] {
        app.create_customer(
            json!({"name": name, "country": "FR", "status": "key_account", "owner_id": kam}),
        )
        .await;
    }
    let mut ids = Vec::new();
    for name in ["New One", "New Two"] {
        let id = app
            .create_customer(json!({"name": name, "country": "FR"}))
            .await["id"]
            .as_i64()
            .unwrap();
        let r = app
            .post(
                &format!("/api/v1/customers/{id}/selection/propose"),
                &app.admin_token,
            )
            .json(&json!({"manager_id": kam, "reason": "Fit"}))
            .send()
            .await
            .unwrap();
        json_of(r, 201).await;
        ids.push(id);
    }
    let answers = futures_util::future::join_all(ids.iter().map(|id| {
        app.post(
            &format!("/api/v1/customers/{id}/selection/approve"),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
    }))
    .await;
    let statuses: Vec<u16> = answers
        .iter()
        .map(|r| r.as_ref().unwrap().status().as_u16())
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [200, 422], "{statuses:?}");
}

/// The candidates list searches by name and sorts by score, name, country
/// or criteria scored, on the page, in its CSV and in the API; an order the
/// API does not know is named.
#[tokio::test]
async fn the_candidates_list_searches_and_sorts() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for (name, country) in [
        ("Delta Foods", "DE"),
        ("Alpha Metals", "FR"),
        ("Bravo Paper", "BE"),
        ("Alpine Glass", "AT"),
    ] {
        let c = app
            .create_customer(json!({"name": name, "country": country, "status": "candidate"}))
            .await;
        ids.push(c["id"].as_i64().unwrap());
    }
    let grid = app
        .get_json("/api/v1/selection/criteria", &app.admin_token)
        .await;
    let crit = |k: usize| grid[k]["id"].as_i64().unwrap();
    // Delta 5 on one criterion; Alpha Metals 2 and 2; Bravo 4; Alpine none.
    for (id, scores) in [
        (ids[0], json!([{"criterion_id": crit(0), "score": 5}])),
        (
            ids[1],
            json!([{"criterion_id": crit(0), "score": 2}, {"criterion_id": crit(1), "score": 2}]),
        ),
        (ids[2], json!([{"criterion_id": crit(0), "score": 4}])),
    ] {
        let r = app
            .put(
                &format!("/api/v1/customers/{id}/selection/scores"),
                &app.admin_token,
            )
            .json(&json!({ "scores": scores }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &str| {
        let path = format!("/api/v1/selection/candidates{query}");
        let app = &app;
        async move { app.get_json(&path, &app.admin_token).await }
    };
    assert_eq!(
        names(&list("").await),
        ["Delta Foods", "Bravo Paper", "Alpha Metals", "Alpine Glass"]
    );
    assert_eq!(
        names(&list("?sort=score").await),
        ["Alpha Metals", "Bravo Paper", "Delta Foods", "Alpine Glass"],
        "the lowest first, without a score last"
    );
    assert_eq!(
        names(&list("?sort=-name").await),
        ["Delta Foods", "Bravo Paper", "Alpine Glass", "Alpha Metals"]
    );
    assert_eq!(names(&list("?sort=country").await)[0], "Alpine Glass");
    assert_eq!(names(&list("?sort=-scored").await)[0], "Alpha Metals");
    let alp = list("?q=alp&sort=name").await;
    assert_eq!(names(&alp), ["Alpha Metals", "Alpine Glass"]);
    assert_eq!(alp["total"], 2);
    // No name starts with it: a word inside one may, not the middle of a word.
    let metal = list("?q=M%C3%89TAL").await;
    assert_eq!(
        (names(&metal), &metal["total"]),
        (vec!["Alpha Metals".to_owned()], &json!(1))
    );
    assert_eq!(list("?q=etals").await["total"], 0);
    // The page says how many pages there are.
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url("/selection")).await;
    assert!(page.contains("<span>Page 1 / 1</span>"), "{page}");
    let r = app
        .get("/api/v1/selection/candidates?sort=colour", &app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "sort");

    // The page and its CSV, in the same order.
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url("/selection?q=alp&sort=-name")).await;
    assert!(
        page.find("Alpine Glass") < page.find("Alpha Metals") && !page.contains("Delta Foods"),
        "{page}"
    );
    assert!(page.contains("aria-sort=\"descending\""), "{page}");
    assert!(
        page.contains("href=\"/selection.csv?q=alp&#38;sort=-name\""),
        "{page}"
    );
    // The language switch comes back to the same view.
    let back = page
        .split("href=\"/lang/fr?next=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default();
    assert!(
        back.starts_with("/selection%3Fq%3Dalp%26") && back.contains("sort%3D-name"),
        "{back}"
    );
    let csv = text(&b, app.url("/selection.csv?q=alp&sort=-name")).await;
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows.len() == 2 && rows[0].contains("Alpine Glass") && rows[1].contains("Alpha Metals"),
        "{csv}"
    );
    let none = text(&b, app.url("/selection?q=zzz")).await;
    assert!(
        none.contains("nor a word in it, starts with this search")
            && !none.contains("id=\"candidates\""),
        "{none}"
    );
    let glass = text(&b, app.url("/selection?q=glass")).await;
    assert!(
        glass.contains("Alpine Glass") && !glass.contains("Alpha Metals"),
        "{glass}"
    );
    let csv = text(&b, app.url("/selection.csv?q=glass")).await;
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

/// A deleted segmentation is listed at the foot of the segmentations and
/// brought back once, with its name, scope and settings, without snapshots.
#[tokio::test]
async fn a_deleted_segmentation_is_restored_once_with_its_settings() {
    let app = TestApp::spawn().await;
    portfolio(&app, 4).await;
    let made = json_of(
        app.post("/api/v1/segmentations", &app.admin_token)
            .json(&json!({"name": "Europe 2027", "scope_kind": "country", "scope_value": "FR"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = made["id"].as_i64().unwrap();
    // Settings of its own, then one application (a snapshot).
    let mut config = made["config"].clone();
    config["abc_cutoffs"] = json!([0.7, 0.9]);
    let changed = json_of(
        app.client
            .put(app.url(&format!("/api/v1/segmentations/{id}")))
            .bearer_auth(&app.admin_token)
            .json(
                &json!({"name": "Europe 2027", "scope_kind": "country", "scope_value": "FR",
                          "config": config, "version": 1}),
            )
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    json_of(
        app.post(
            &format!("/api/v1/segmentations/{id}/apply"),
            &app.admin_token,
        )
        .json(&json!({}))
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url(&format!("/segmentations/{id}/delete"))).await;
    assert!(
        page.contains("Its settings can be restored at the foot of the segmentations list"),
        "{page}"
    );
    let r = b
        .post(app.url(&format!("/segmentations/{id}/delete")))
        .form(&[("version", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/segmentations?done=segmentation-deleted"
    );
    let page = helpers::text_in(
        &b,
        app.url("/segmentations?done=segmentation-deleted"),
        "fr",
    )
    .await;
    assert!(
        page.contains("Vous pouvez restaurer ses réglages"),
        "{page}"
    );
    let foot = &page[page
        .find("id=\"deleted-segmentations\"")
        .expect("the deleted segmentations")..];
    assert!(
        foot.contains("<td>Europe 2027</td><td>Pays · FR</td>"),
        "{foot}"
    );
    // Those who cannot restore do not see them.
    let (_, vt) = app.user_token("viewer@test.example", "viewer").await;
    problem(
        app.get("/api/v1/segmentations/deleted", &vt)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let viewer = app.browser("viewer@test.example").await;
    assert!(
        !text(&viewer, app.url("/segmentations"))
            .await
            .contains("deleted-segmentations")
    );
    let deleted = app
        .get_json("/api/v1/segmentations/deleted", &app.admin_token)
        .await;
    assert_eq!(deleted.as_array().unwrap().len(), 1, "{deleted}");
    assert_eq!(
        (
            &deleted[0]["name"],
            &deleted[0]["scope_kind"],
            &deleted[0]["scope_value"]
        ),
        (&json!("Europe 2027"), &json!("country"), &json!("FR"))
    );
    let entry = deleted[0]["entry"].as_i64().unwrap();
    // A viewer may not restore; the admin does, from the page.
    let r = viewer
        .post(app.url(&format!("/segmentations/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = b
        .post(app.url(&format!("/segmentations/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = text(&b, app.url(&back)).await;
    assert!(
        page.contains("Segmentation restored, with its settings."),
        "{page}"
    );
    assert!(!page.contains("id=\"deleted-segmentations\""), "{page}");
    // Back under a new id, with the settings it had, and no snapshot.
    let all = app
        .get_json("/api/v1/segmentations", &app.admin_token)
        .await;
    let back = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Europe 2027")
        .unwrap_or_else(|| panic!("not restored: {all}"));
    assert_ne!(back["id"], json!(id));
    assert_eq!(
        (
            &back["scope_kind"],
            &back["scope_value"],
            &back["config"],
            &back["version"]
        ),
        (
            &json!("country"),
            &json!("FR"),
            &changed["config"],
            &json!(1)
        )
    );
    let snapshots = app
        .get_json(
            &format!("/api/v1/segmentations/{}/snapshots", back["id"]),
            &app.admin_token,
        )
        .await;
    assert_eq!(snapshots, json!([]));
    // Once only.
    let p = problem(
        app.post(
            &format!("/api/v1/segmentations/deleted/{entry}/restore"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("restored already"),
        "{p}"
    );
    problem(
        app.post(
            "/api/v1/segmentations/deleted/999999/restore",
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        404,
    )
    .await;
}
