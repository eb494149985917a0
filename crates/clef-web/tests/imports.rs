//! CSV imports are all or nothing, with a report naming line, column and reason.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, problem};
use serde_json::{Value, json};

const HEADER: &str = "id,name,legal_id,group,parent_id,country,region,city,business_unit,industry,strategic_segment,owner_email,status,tier,currency,wallet,threat,competitive_position,satisfaction,notes";

async fn import(app: &TestApp, kind: &str, body: Vec<u8>) -> reqwest::Response {
    app.post(&format!("/api/v1/imports/{kind}"), &app.admin_token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn count(app: &TestApp) -> u64 {
    let v: Value = app.get_json("/api/v1/customers", &app.admin_token).await;
    v["total"].as_u64().unwrap()
}

#[tokio::test]
async fn a_good_file_imports_every_row() {
    let app = TestApp::spawn().await;
    app.store
        .create_business_unit(None, "PACK", "Packaging")
        .await
        .unwrap();
    let csv = format!(
        "{HEADER}\n,Acme,,,,FR,Bretagne,Rennes,PACK,,,admin@test.example,customer,gold,EUR,\"1 234,50\",low,strong,8,\n,Beta,,,,DE,,Berlin,,,,,,,,,,,,\n"
    );
    let r = import(&app, "customers", csv.into_bytes()).await;
    assert_eq!(r.status(), 200);
    let rep: Value = r.json().await.unwrap();
    assert_eq!(rep["written"], 2);
    let list: Value = app
        .get_json("/api/v1/customers?q=acme", &app.admin_token)
        .await;
    let acme = &list["items"][0];
    assert_eq!(acme["wallet_cents"], 123_450);
    assert_eq!(acme["owner"]["name"], "Ada Admin");
    assert_eq!(acme["business_unit"]["code"], "PACK");

    // Contacts and revenue refer to the imported customer.
    let id = acme["id"].as_i64().unwrap();
    let contacts = format!(
        "customer_id,first_name,last_name,email,phone,job_title,notes\n{id},Anne,Martin,anne@acme.example,+33 1 23 45 67 89,Buyer,\n"
    );
    assert_eq!(
        import(&app, "contacts", contacts.into_bytes())
            .await
            .status(),
        200
    );
    let revenue = format!(
        "customer_id,business_unit,period,revenue,margin,currency\n{id},PACK,2026-01,1000.00,250.00,EUR\n{id},pack,2026-02,500,100,\n"
    );
    assert_eq!(
        import(&app, "revenue", revenue.into_bytes()).await.status(),
        200
    );
    let rev: Value = app
        .get_json(&format!("/api/v1/customers/{id}/revenue"), &app.admin_token)
        .await;
    assert_eq!(rev["by_year"][0]["revenue_cents"], 150_000);
}

#[tokio::test]
async fn one_bad_row_rejects_the_whole_file_with_a_row_by_row_report() {
    let app = TestApp::spawn().await;
    let csv = format!(
        "{HEADER}\n,Good,,,,FR,,,,,,,,,,,,,,\n,Bad Country,,,,XX,,,,,,,,,,,,,,\n,,,,,FR,,,,,,,,gold,EURO,,,,,\n,Unknown group,,Nowhere,,FR,,,,,,,,,,,,,,\n"
    );
    let r = import(&app, "customers", csv.into_bytes()).await;
    let p = problem(r, 422).await;
    let errors = p["import"]["errors"].as_array().unwrap();
    let triples: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert!(triples.contains(&(3, "country")), "{p}");
    assert!(triples.contains(&(4, "name")), "{p}");
    assert!(triples.contains(&(4, "currency")), "{p}");
    assert!(triples.contains(&(5, "group")), "{p}");
    assert_eq!(
        count(&app).await,
        0,
        "nothing may be written when a row is bad"
    );
}

#[tokio::test]
async fn missing_or_extra_columns_are_named() {
    let app = TestApp::spawn().await;
    let r = import(&app, "customers", b"name,country\nAcme,FR\n".to_vec()).await;
    let p = problem(r, 422).await;
    let msg = p["import"]["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("missing column(s)") && msg.contains("city"),
        "{msg}"
    );
    assert_eq!(
        p["import"]["errors"][0]["column"],
        "legal_id, group, parent_id, region, city, business_unit, industry, strategic_segment, owner_email, status, tier, currency, wallet, threat, competitive_position, satisfaction, notes",
        "the column names them too"
    );
    let r = import(
        &app,
        "contacts",
        b"customer_id,first_name,last_name,email,phone,job_title,notes,shoe_size\n".to_vec(),
    )
    .await;
    let p = problem(r, 422).await;
    assert!(
        p["import"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("shoe_size")
    );
    // A column without a name is named by its place.
    let r = import(&app, "customers", b"name,country,\nAcme,FR,\n".to_vec()).await;
    let p = problem(r, 422).await;
    let cols: Vec<&str> = p["import"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert!(cols.contains(&"#3"), "{p}");
    let r = import(
        &app,
        "revenue",
        b"customer_id,business_unit,period,revenue,margin,currency\n1,PACK,2026-01\n".to_vec(),
    )
    .await;
    let p = problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["line"], 2);
}

#[tokio::test]
async fn a_file_that_is_not_utf8_is_refused_with_the_line() {
    let app = TestApp::spawn().await;
    let mut body = format!("{HEADER}\n").into_bytes();
    body.extend_from_slice(b",Soci\xe9t\xe9,,,,FR,,,,,,,,,,,,,,\n");
    let r = import(&app, "customers", body).await;
    let p = problem(r, 422).await;
    let e = &p["import"]["errors"][0];
    assert_eq!(e["line"], 2);
    assert_eq!(e["column"], "name");
    assert!(e["message"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(
        p["import"]["error_count"], 1,
        "one error, not a blank name too: {p}"
    );
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn a_quote_left_open_is_said_so() {
    let app = TestApp::spawn().await;
    let body = format!(
        "{HEADER}
,\"Acme,,,,FR,,,,,,,,,,,,,,\n,Beta,,,,FR,,,,,,,,,,,,,,\n"
    );
    let p = problem(import(&app, "customers", body.into_bytes()).await, 422).await;
    let e = &p["import"]["errors"][0];
    assert_eq!(e["line"], 2, "{p}");
    assert!(
        e["message"].as_str().unwrap().contains("is not closed"),
        "{p}"
    );
}

#[tokio::test]
async fn an_export_imports_back_unchanged() {
    let app = TestApp::spawn().await;
    let csv = format!(
        "{HEADER}\n,Acme,,,,FR,,Rennes,,,,,key_account,silver,EUR,10.00,,,,\"a note, with a comma\"\n"
    );
    assert_eq!(
        import(&app, "customers", csv.into_bytes()).await.status(),
        200
    );
    let mut out = Vec::new();
    app.store
        .export_customers(&Default::default(), &mut out)
        .await
        .unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.starts_with(HEADER), "{text}");
    // Re-importing the export replaces the same record (by id) instead of duplicating it.
    let r = import(&app, "customers", out).await;
    assert_eq!(r.status(), 200);
    assert_eq!(count(&app).await, 1);
    let v: Value = app.get_json("/api/v1/customers", &app.admin_token).await;
    assert_eq!(v["items"][0]["notes"], "a note, with a comma");
    assert_eq!(v["items"][0]["version"], 2);
    // Every column comes back as it was, but the version.
    let mut again = Vec::new();
    app.store
        .export_customers(&Default::default(), &mut again)
        .await
        .unwrap();
    let again = String::from_utf8(again).unwrap();
    let without_version = |t: &str| -> Vec<Vec<String>> {
        let mut r = csv::Reader::from_reader(t.as_bytes());
        let at = r.headers().unwrap().iter().position(|h| h == "version");
        r.records()
            .map(|x| {
                x.unwrap()
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| Some(*k) != at)
                    .map(|(_, v)| v.to_owned())
                    .collect()
            })
            .collect()
    };
    assert_eq!(without_version(&again), without_version(&text));
    assert!(text.contains("Rennes") && text.contains("key_account") && text.contains("silver"));
}

#[tokio::test]
async fn large_filtered_lists_stop_counting_at_ten_thousand() {
    let app = TestApp::spawn().await;
    // 50,050 rows: a large import rebuilds the indexes once at the end.
    let mut csv = format!("{HEADER}\n");
    for i in 0..50_050 {
        let country = if i < 10_050 { "FR" } else { "DE" };
        csv.push_str(&format!(
            ",Customer {i:05},,,,{country},,Rennes,,,,,,,,,,,,\n"
        ));
    }
    let r = import(&app, "customers", csv.into_bytes()).await;
    let status = r.status();
    assert_eq!(status, 200, "{}", r.text().await.unwrap_or_default());
    let all: Value = app.get_json("/api/v1/customers", &app.admin_token).await;
    assert_eq!(
        (all["total"].as_u64(), all["total_is_exact"].as_bool()),
        (Some(50_050), Some(true))
    );
    let found: Value = app
        .get_json("/api/v1/customers?q=customer%2000042", &app.admin_token)
        .await;
    assert_eq!(found["items"][0]["name"], "Customer 00042");
    assert_eq!(found["total"], 1);
    let fr: Value = app
        .get_json("/api/v1/customers?country=FR&page=202", &app.admin_token)
        .await;
    assert_eq!(
        (fr["total"].as_u64(), fr["total_is_exact"].as_bool()),
        (Some(10_000), Some(false))
    );
    // Page 202 of 50 starts at the 10,051st match: beyond the count, still served.
    assert_eq!(fr["items"].as_array().map(Vec::len), Some(0));
    let last: Value = app
        .get_json("/api/v1/customers?country=FR&page=201", &app.admin_token)
        .await;
    assert_eq!(last["items"][49]["name"], "Customer 10049");
}

#[tokio::test]
async fn exported_text_never_runs_as_a_spreadsheet_formula() {
    let app = TestApp::spawn().await;
    app.create_customer(serde_json::json!({"name": "=HYPERLINK(\"http://x.example\")", "country": "FR", "notes": "-5 % on renewal"})).await;
    let mut out = Vec::new();
    app.store
        .export_customers(&Default::default(), &mut out)
        .await
        .unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x.example\"\")\""),
        "{text}"
    );
    assert!(text.contains("'-5 % on renewal"), "{text}");
    // And the apostrophe goes away on the way back in.
    assert_eq!(import(&app, "customers", out).await.status(), 200);
    let v: Value = app.get_json("/api/v1/customers", &app.admin_token).await;
    assert_eq!(v["items"][0]["name"], "=HYPERLINK(\"http://x.example\")");
    assert_eq!(v["items"][0]["notes"], "-5 % on renewal");
}

/// The stages of an import, as the command line shows them: every row
/// counted while checked; a good file ends with the figures computed (on
/// SQLite, new customers get theirs while they are written, so it ends with
/// every row written), a bad one after checking every row, nothing written.
#[tokio::test]
async fn an_import_tells_how_far_it_is() {
    use clef_store::{IMPORT_CHECK, IMPORT_FIGURES, IMPORT_WRITE, ImportKind, Progress};
    let app = TestApp::spawn().await;
    let rows: String = (0..3000)
        .map(|i| format!(",Client {i},,,,FR,,,,,,,,,,,,,,\n"))
        .collect();
    let p = Progress::default();
    let rep = app
        .store
        .import_csv_with(
            None,
            ImportKind::Customers,
            format!("{HEADER}\n{rows}").as_bytes(),
            &p,
        )
        .await
        .unwrap();
    assert_eq!(rep.written, 3000);
    if helpers::is_postgres() {
        assert_eq!(p.get(), (IMPORT_FIGURES, 1, 1));
    } else {
        assert_eq!(p.get(), (IMPORT_WRITE, 3000, 3000));
    }
    assert_eq!(count(&app).await, 3000);
    // The figures count as computed: a start does not compute them again.
    assert!(app.store.figures_state().await.unwrap().refreshed_at > 0);
    // Every new customer has its figures: the list sorted by revenue (which
    // reads them) reaches the 3,000th. No revenue yet: ranked in id order.
    let last = app
        .get_json(
            "/api/v1/customers?sort=revenue&per_page=100&page=30",
            &app.admin_token,
        )
        .await;
    let items = last["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    let ranks: Vec<(i64, i64)> = items
        .iter()
        .map(|c| {
            let rank = c["figures"]["rank"].as_i64().unwrap();
            (c["id"].as_i64().unwrap(), rank)
        })
        .collect();
    assert!(ranks.iter().all(|(id, rank)| id == rank), "{ranks:?}");
    assert_eq!(ranks[99].1, 3000);

    let bad = format!("{HEADER}\n{rows},Nowhere,,,,ZZZ,,,,,,,,,,,,,,\n");
    let p = Progress::default();
    let rep = app
        .store
        .import_csv_with(None, ImportKind::Customers, bad.as_bytes(), &p)
        .await
        .unwrap();
    assert_eq!(rep.error_count, 1);
    assert_eq!(p.get(), (IMPORT_CHECK, 3001, 3001));
    assert_eq!(count(&app).await, 3000);
}

/// A revenue line in a currency that cannot be read, or that is not its
/// customer's, is named in the report; nothing is written.
#[tokio::test]
async fn revenue_in_a_wrong_currency_is_named() {
    let app = TestApp::spawn().await;
    app.store
        .create_business_unit(None, "PACK", "Packaging")
        .await
        .unwrap();
    let csv = format!("{HEADER}\n,Acme,,,,FR,,,,,,,,,EUR,,,,,\n");
    assert_eq!(
        import(&app, "customers", csv.into_bytes()).await.status(),
        200
    );
    let revenue = "customer_id,business_unit,period,revenue,margin,currency\n\
                   1,PACK,2026-01,1000.00,250.00,EUR\n\
                   1,PACK,2026-02,1,0,ZZZ\n\
                   1,PACK,2026-03,1,0,USD\n\
                   999,PACK,2026-04,1,0,EUR\n";
    let p = problem(import(&app, "revenue", revenue.into()).await, 422).await;
    let errors: Vec<(u64, &str)> = p["import"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [(3, "currency"), (4, "currency"), (5, "customer_id")],
        "{p}"
    );
    assert!(
        p["import"]["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("followed in EUR, not USD")
    );
    // The same through the API.
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&serde_json::json!({"lines": [{"customer_id": 1, "business_unit_id": 1, "period": "2026-03", "revenue_cents": 100, "margin_cents": 0, "currency": "USD"}]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "lines[0].currency", "{p}");
    let rev: Value = app
        .get_json("/api/v1/customers/1/revenue", &app.admin_token)
        .await;
    assert_eq!(rev["by_year"].as_array().map(Vec::len), Some(0), "{rev}");
    // Without a currency, a line is in its customer's.
    let csv = format!("{HEADER}\n,Globex,,,,US,,,,,,,,,USD,,,,,\n");
    assert_eq!(
        import(&app, "customers", csv.into_bytes()).await.status(),
        200
    );
    let revenue =
        "customer_id,business_unit,period,revenue,margin,currency\n2,PACK,2026-01,10.00,1.00,\n";
    let r = import(&app, "revenue", revenue.into()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&serde_json::json!({"lines": [{"customer_id": 2, "business_unit_id": 1, "period": "2026-02", "revenue_cents": 500, "margin_cents": 0}]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let rev: Value = app
        .get_json("/api/v1/customers/2/revenue", &app.admin_token)
        .await;
    assert_eq!(rev["by_year"][0]["revenue_cents"], 1500, "{rev}");
    // A yen amount without a currency is read as yen: it has no decimals
    // (1,500 yen, not 15.00); written with decimals, it is refused.
    let csv = format!("{HEADER}\n,Nippon Kogyo,,,,JP,,,,,,,,,JPY,,,,,\n");
    assert_eq!(
        import(&app, "customers", csv.into_bytes()).await.status(),
        200
    );
    let revenue =
        "customer_id,business_unit,period,revenue,margin,currency\n3,PACK,2026-01,1500,300,\n";
    let r = import(&app, "revenue", revenue.into()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let rev: Value = app
        .get_json("/api/v1/customers/3/revenue", &app.admin_token)
        .await;
    assert_eq!(rev["lines"][0]["revenue_cents"], 1500, "{rev}");
    assert_eq!(rev["lines"][0]["currency"], "JPY", "{rev}");
    let revenue =
        "customer_id,business_unit,period,revenue,margin,currency\n3,PACK,2026-02,15.50,0,\n";
    let p = problem(import(&app, "revenue", revenue.into()).await, 422).await;
    assert_eq!(p["import"]["errors"][0]["column"], "revenue", "{p}");
    assert_eq!(p["import"]["errors"][0]["code"], "invalid-amount", "{p}");
}

/// Revenues as large as a line allows, over a portfolio whose total passes
/// what 64-bit cents hold: shares still run from the first customer to 1.
#[tokio::test]
async fn portfolio_totals_beyond_64_bits_keep_their_shares() {
    let app = TestApp::spawn().await;
    app.store
        .create_business_unit(None, "PACK", "Packaging")
        .await
        .unwrap();
    let mut csv = format!("{HEADER}\n");
    for i in 0..800 {
        csv.push_str(&format!(",Customer {i:03},,,,FR,,,,,,,,,EUR,,,,,\n"));
    }
    assert_eq!(
        import(&app, "customers", csv.into_bytes()).await.status(),
        200
    );
    // 800 customers × 12 months at the largest line: 9.6e18 cents in all.
    let mut revenue = String::from("customer_id,business_unit,period,revenue,margin,currency\n");
    for c in 1..=800 {
        for m in 1..=12 {
            revenue.push_str(&format!("{c},PACK,2026-{m:02},9999999999999.99,0,EUR\n"));
        }
    }
    let r = import(&app, "revenue", revenue.into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // One more line through the API: its customer's figures and everyone's
    // ranks are computed again in SQL.
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&serde_json::json!({"lines": [{"customer_id": 5, "business_unit_id": 1, "period": "2025-12", "revenue_cents": 1, "margin_cents": 0}]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let mut shares = Vec::new();
    for page in [1, 2] {
        let list: Value = app
            .get_json(
                &format!("/api/v1/customers?sort=revenue&per_page=500&page={page}"),
                &app.admin_token,
            )
            .await;
        for c in list["items"].as_array().unwrap() {
            let f = &c["figures"];
            shares.push((
                f["rank"].as_i64().unwrap(),
                f["cumulative_share"].as_f64().unwrap(),
            ));
        }
    }
    shares.sort_by_key(|s| s.0);
    assert_eq!(shares.len(), 800);
    assert!((shares[0].1 - 1.0 / 800.0).abs() < 1e-9, "{:?}", shares[0]);
    assert!((shares[399].1 - 0.5).abs() < 1e-9, "{:?}", shares[399]);
    assert_eq!(shares[799], (800, 1.0));
    assert!(shares.windows(2).all(|w| w[0].1 <= w[1].1 && w[1].1 <= 1.0));
    // A line above the largest is refused, naming it.
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&serde_json::json!({"lines": [{"customer_id": 5, "business_unit_id": 1, "period": "2026-01", "revenue_cents": 99999999999999999i64, "margin_cents": 0}]}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("at most 999999999999999"),
        "{p}"
    );
}

/// A form with a kind and a file, as a browser sends it.
fn upload(kind: &str, file_name: &str, body: &str) -> (String, Vec<u8>) {
    form(kind, file_name, body, false)
}

/// The same form sent with its button "Check only" (`check`), or "Import".
fn form(kind: &str, file_name: &str, body: &str, check: bool) -> (String, Vec<u8>) {
    let b = "clefboundary7MA4YWxkTrZu0gW";
    let button = if check {
        format!("--{b}\r\nContent-Disposition: form-data; name=\"check\"\r\n\r\n1\r\n")
    } else {
        String::new()
    };
    let text = format!(
        "{button}--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{body}\r\n--{b}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={b}"),
        text.into_bytes(),
    )
}

/// Sends an import form as `b`; answers the address of the import's page.
async fn start(app: &TestApp, b: &reqwest::Client, (ct, body): (String, Vec<u8>)) -> String {
    let r = b
        .post(app.url("/imports"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The page of an import once it has ended (the page reloads itself
/// while the import runs).
async fn ended(b: &reqwest::Client, url: &str) -> (u16, String) {
    for _ in 0..100 {
        let r = b.get(url).send().await.unwrap();
        let status = r.status().as_u16();
        let page = r.text().await.unwrap();
        if !page.contains("id=\"import-progress\"") {
            return (status, page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not end");
}

/// From the browser: the form says each format, a bad file is refused with
/// each problem listed (and as CSV), a good one imports, and only who
/// started an import sees it.
#[tokio::test]
async fn a_file_imports_from_the_browser_with_its_report() {
    let app = TestApp::spawn().await;
    app.user_token("viewer@test.example", "viewer").await;
    app.user_token("director@test.example", "director").await;
    let viewer = app.browser("viewer@test.example").await;
    let r = viewer.get(app.url("/imports")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let portfolio = helpers::text(&viewer, app.url("/customers")).await;
    assert!(!portfolio.contains("id=\"import-csv\""));
    let director = app.browser("director@test.example").await;
    let portfolio = helpers::text(&director, app.url("/customers")).await;
    assert!(portfolio.contains("id=\"import-csv\""), "{portfolio}");

    let admin = app.browser("admin@test.example").await;
    let form = helpers::text_in(&admin, app.url("/imports"), "fr").await;
    assert!(form.contains("Importer un fichier CSV"), "{form}");
    assert!(form.contains("enctype=\"multipart/form-data\""));
    assert!(form.contains(HEADER.replace(',', ", ").as_str()));
    let t = helpers::text(&admin, app.url("/imports/template/contracts.csv")).await;
    assert!(t.starts_with("id,customer_id,title,reference,starts_on,renews_on"));

    // No file: said beside the field, the kind kept.
    let (ct, body) = upload("contacts", "", "");
    let r = admin
        .post(app.url("/imports"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"file-error\""), "{page}");
    assert!(page.contains("value=\"contacts\" selected"));

    // A bad file: nothing imported, each problem listed, and as CSV.
    let bad = format!("{HEADER}\n,Acme,,,,FR,,,,,,,,,,,,,,\n,,,,,XX,,,,,,,,,,,,,,\n");
    let job = start(&app, &admin, upload("customers", "bad.csv", &bad)).await;
    let (status, page) = ended(&admin, &app.url(&job)).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Nothing was imported: 2 problems."), "{page}");
    assert!(page.contains("<td class=\"num\">3</td><td><code>name</code></td>"));
    assert!(page.contains("<code>country</code>"));
    assert_eq!(count(&app).await, 0);
    // In French, each problem in French words (its English sentence kept
    // as the cell's title).
    let r = admin
        .get(app.url(&job))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let fr = r.text().await.unwrap();
    assert!(fr.contains("Rien n’a été importé : 2 problèmes."), "{fr}");
    assert!(fr.contains(">Ce champ est obligatoire.</td>"), "{fr}");
    assert!(fr.contains("title=\"name is required\""), "{fr}");
    let csv = helpers::text(&admin, app.url(&format!("{job}/errors.csv"))).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "line,column,message");
    assert!(lines[1].starts_with("3,name,"), "{csv}");
    assert!(lines[2].starts_with("3,country,"), "{csv}");

    // Someone else does not see it, another administrator included.
    let director = app.browser("director@test.example").await;
    let r = director.get(app.url(&job)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    app.user_token("admin2@test.example", "admin").await;
    let admin2 = app.browser("admin2@test.example").await;
    let r = admin2.get(app.url(&job)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = admin2
        .get(app.url(&format!("{job}/errors.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // A good file imports.
    let good = format!("{HEADER}\n,Acme,,,,FR,,,,,,,,,,,,,,\n,Beta,,,,DE,,,,,,,,,,,,,,\n");
    let job = start(&app, &admin, upload("customers", "good.csv", &good)).await;
    let (status, page) = ended(&admin, &app.url(&job)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("2 rows imported."), "{page}");
    assert!(page.contains("good.csv"));
    assert_eq!(count(&app).await, 2);
    // The import page lists one's own latest imports, the latest first,
    // each leading to its report.
    let form = helpers::text(&admin, app.url("/imports")).await;
    let recent = &form[form
        .find("id=\"recent-imports\"")
        .expect("the latest imports")..];
    let (good_at, bad_at) = (
        recent.find("good.csv").unwrap(),
        recent.find("bad.csv").unwrap(),
    );
    assert!(good_at < bad_at, "{recent}");
    assert!(
        recent.contains(&format!("<a href=\"{job}\">good.csv</a>")),
        "{recent}"
    );
    assert!(recent.contains("2 rows imported."), "{recent}");
    assert!(
        recent.contains("<td class=\"failed\">Nothing was imported: 2 problems.</td>"),
        "{recent}"
    );
    let others = helpers::text(&admin2, app.url("/imports")).await;
    assert!(!others.contains("recent-imports"), "{others}");
}

/// A file checked only (API, then from the browser) writes nothing and
/// says how many records importing it would replace and add.
#[tokio::test]
async fn a_file_checked_only_says_what_it_would_do_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let file = format!(
        "{HEADER}\n{},Acme Renamed,,,,FR,,,,,,,,,,,,,,\n,Beta,,,,DE,,,,,,,,,,,,,,\n,Gamma,,,,IT,,,,,,,,,,,,,,\n",
        c["id"]
    );
    let r = app
        .post(
            "/api/v1/imports/customers?check_only=true",
            &app.admin_token,
        )
        .header("content-type", "text/csv")
        .body(file.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["preview"], json!({"replaces": 1, "adds": 2}), "{v}");
    assert_eq!(
        (v["rows"].as_u64(), v["written"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(count(&app).await, 1);
    let name = app
        .get_json(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .await;
    assert_eq!(name["name"], "Acme");
    // A file with a problem is refused as by an import.
    let r = app
        .post(
            "/api/v1/imports/customers?check_only=true",
            &app.admin_token,
        )
        .header("content-type", "text/csv")
        .body(format!("{HEADER}\n,,,,,FR,,,,,,,,,,,,,,\n"))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["column"], "name");
    let r = app
        .post(
            "/api/v1/imports/customers?check_only=maybe",
            &app.admin_token,
        )
        .header("content-type", "text/csv")
        .body(file.clone())
        .send()
        .await
        .unwrap();
    let p = problem(r, 400).await;
    assert!(p["detail"].as_str().unwrap().contains("check_only"), "{p}");

    // From the browser: the button "Check only".
    let admin = app.browser("admin@test.example").await;
    let job = start(&app, &admin, form("customers", "check.csv", &file, true)).await;
    ended(&admin, &app.url(&job)).await;
    let page = helpers::text_in(&admin, app.url(&job), "fr").await;
    assert!(
        page.contains("3 lignes vérifiées : aucun problème"),
        "{page}"
    );
    assert!(
        page.contains("remplacerait un enregistrement existant"),
        "{page}"
    );
    assert!(page.contains("ajouterait 2 enregistrements"), "{page}");
    assert_eq!(count(&app).await, 1);
}

/// A file larger than the server takes is refused beside the field, with
/// what to do instead, not as a failure to try again.
#[tokio::test]
async fn a_file_too_large_for_the_server_is_said_so() {
    let app = TestApp::spawn_with(clef_web::WebConfig {
        max_body_bytes: 64 * 1024,
        ..clef_web::WebConfig::default()
    })
    .await;
    let admin = app.browser("admin@test.example").await;
    let big = format!("{HEADER}\n{}", ",Acme,,,,FR,,,,,,,,,,,,,,\n".repeat(5000));
    let (ct, body) = upload("contacts", "big.csv", &big);
    let r = admin
        .post(app.url("/imports"))
        .header("content-type", ct)
        .header("accept-language", "en")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"file-error\""), "{page}");
    assert!(
        page.contains("import it with the command clef import"),
        "{page}"
    );
    assert!(
        page.contains("value=\"contacts\" selected"),
        "the kind chosen is kept"
    );
    assert_eq!(count(&app).await, 0);
}

/// The portfolio's export streams a list longer than one batch whole, in
/// the list's order.
#[tokio::test]
async fn a_long_list_exports_whole_in_its_order() {
    let app = TestApp::spawn().await;
    let n = 4_500;
    let mut body = HEADER.to_owned();
    for i in 0..n {
        body.push_str(&format!(
            "\n,Client {i:05},,,,FR,,,,,,,customer,bronze,EUR,,,,,"
        ));
    }
    let r = import(&app, "customers", body.into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let b = app.browser("admin@test.example").await;
    let csv = helpers::text(&b, app.url("/customers.csv?sort=-name")).await;
    let names: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(names.len(), n);
    assert_eq!(names[0], format!("Client {:05}", n - 1));
    assert!(
        names.windows(2).all(|w| w[0] > w[1]),
        "in reverse name order"
    );
}

/// A file that hands key accounts to other managers keeps each within its
/// capacity once the file is written, as the form does.
#[tokio::test]
async fn an_import_keeps_key_account_managers_within_their_capacity() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let (other, _) = app.user_token("other@test.example", "kam").await;
    let mut held = Vec::new();
    for (name, owner) in [("K1", kam), ("K2", kam), ("K3", kam), ("O1", other)] {
        let id = app
            .create_customer(
                json!({"name": name, "country": "FR", "status": "key_account", "owner_id": owner}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        held.push(id);
    }
    let row = |id: i64, name: &str, owner: &str| {
        format!("\n{id},{name},,,,FR,,,,,,{owner},key_account,bronze,EUR,,,,,")
    };
    // A fourth account for a manager who runs three: refused, on its line.
    let body = format!("{HEADER}{}", row(held[3], "O1", "kam@test.example"));
    let r = import(&app, "customers", body.into_bytes()).await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    let e = &p["import"]["errors"][0];
    assert_eq!(
        (&e["line"], &e["column"]),
        (&json!(2), &json!("owner_email")),
        "{p}"
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("would run 4 key accounts"),
        "{p}"
    );
    // The same, while the file hands one of the three to the other manager.
    let body = format!(
        "{HEADER}{}{}",
        row(held[0], "K1", "other@test.example"),
        row(held[3], "O1", "kam@test.example")
    );
    let r = import(&app, "customers", body.into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // New customers that start as key accounts count too, as on the form:
    // the kam runs three again (K2, K3, O1), the other manager one (K1). A
    // file adding one to each is refused on the kam's line, and nothing is
    // written.
    let new_row = |name: &str, owner: &str| {
        format!("\n,{name},,,,FR,,,,,,{owner},key_account,bronze,EUR,,,,,")
    };
    let body = format!(
        "{HEADER}{}{}",
        new_row("N1", "other@test.example"),
        new_row("N2", "kam@test.example")
    );
    let r = import(&app, "customers", body.into_bytes()).await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap();
    let e = &p["import"]["errors"];
    assert_eq!(e.as_array().map(Vec::len), Some(1), "{p}");
    assert_eq!(
        (&e[0]["line"], &e[0]["column"]),
        (&json!(3), &json!("owner_email")),
        "{p}"
    );
    assert!(
        e[0]["message"]
            .as_str()
            .unwrap()
            .contains("would run 4 key accounts"),
        "{p}"
    );
    let listed = app
        .get_json("/api/v1/customers?status=key_account", &app.admin_token)
        .await;
    assert_eq!(listed["total"], json!(4), "{listed}");
    // So does a row with an id that no customer has: a new one.
    let body = format!("{HEADER}{}", row(999_999, "N3", "kam@test.example"));
    let r = import(&app, "customers", body.into_bytes()).await;
    let p = helpers::json_of(r, 422).await;
    assert_eq!(
        p["import"]["errors"][0]["code"],
        json!("manager-full"),
        "{p}"
    );
    // Two for the other manager fit.
    let body = format!(
        "{HEADER}{}{}",
        new_row("N1", "other@test.example"),
        new_row("N2", "other@test.example")
    );
    let r = import(&app, "customers", body.into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// An import's page and its problems read the same on another instance of
/// Clef sharing the database (as behind a load balancer), and after this
/// one stopped: its end is kept in the database. Only who started it sees it.
#[tokio::test]
async fn an_import_reads_the_same_on_another_instance() {
    let app = TestApp::spawn().await;
    app.user_token("director@test.example", "director").await;
    let admin = app.browser("admin@test.example").await;
    let bad = format!("{HEADER}\n,,,,,XX,,,,,,,,,,,,,,\n");
    let job = start(&app, &admin, upload("customers", "bad.csv", &bad)).await;
    let (status, here) = ended(&admin, &app.url(&job)).await;
    assert_eq!(status, 422, "{here}");
    let (other, _stop) = app.another_instance().await;
    // The session is in the database too: the same browser is signed in.
    let (status, there) = ended(&admin, &format!("{other}{job}")).await;
    assert_eq!(status, 422, "{there}");
    assert!(
        there.contains("Nothing was imported: 2 problems."),
        "{there}"
    );
    assert!(there.contains("bad.csv"), "{there}");
    let csv = helpers::text(&admin, format!("{other}{job}/errors.csv")).await;
    assert!(csv.contains("country") && csv.contains("name"), "{csv}");
    // A good file, read from the other instance.
    let good = format!("{HEADER}\n,Acme,,,,FR,,,,,,,,,,,,,,\n");
    let job = start(&app, &admin, upload("customers", "good.csv", &good)).await;
    ended(&admin, &app.url(&job)).await;
    let (status, there) = ended(&admin, &format!("{other}{job}")).await;
    assert_eq!(status, 200, "{there}");
    assert!(there.contains("id=\"import-done\""), "{there}");
    // Someone else does not see it, on either instance.
    let director = app.browser("director@test.example").await;
    let r = director.get(format!("{other}{job}")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

/// The changes of a record in its customer's history: (field, before,
/// after) of the entries of `entity` `id` with `action`.
async fn changes(
    app: &TestApp,
    customer: i64,
    entity: &str,
    id: i64,
) -> Vec<Vec<(String, Value, Value)>> {
    let history = app
        .get_json(
            &format!("/api/v1/customers/{customer}/history"),
            &app.admin_token,
        )
        .await;
    history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == entity && e["entity_id"] == json!(id) && e["action"] == "update")
        .map(|e| {
            e["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["field"].as_str().unwrap().to_owned(),
                        c["before"].clone(),
                        c["after"].clone(),
                    )
                })
                .collect()
        })
        .collect()
}

/// A file that replaces customers, contacts and contracts loses nothing:
/// each record it changes has an entry in its customer's history with what
/// it held before, as an edit would; an unchanged record gets none.
#[tokio::test]
async fn an_import_keeps_what_it_replaced_in_the_history() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR", "city": "Rennes"}))
        .await;
    let id = c["id"].as_i64().unwrap();
    let contact = app
        .create_contact(
            id,
            json!({"first_name": "Ana", "last_name": "Lopez", "email": "ana@acme.example"}),
        )
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contracts"),
            &app.admin_token,
        )
        .json(&json!({"title": "Supply", "renews_on": "2027-03-31", "auto_renew": true}))
        .send()
        .await
        .unwrap();
    let contract = helpers::json_of(r, 201).await["id"].as_i64().unwrap();

    let customers = format!("{HEADER}\n{id},Acme,,,,FR,,Nantes,,,,,,,,,,,,\n");
    let r = import(&app, "customers", customers.clone().into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let contacts = format!(
        "id,customer_id,first_name,last_name,email,phone,job_title,notes\n{contact},{id},Ana,Lopez,ana.lopez@acme.example,,Buyer,\n"
    );
    let r = import(&app, "contacts", contacts.clone().into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let contracts = format!(
        "id,customer_id,title,reference,starts_on,renews_on,notice_days,auto_renew,annual_value,currency,notes\n{contract},{id},Supply,,,2027-03-31,,false,,EUR,\n"
    );
    let r = import(&app, "contracts", contracts.clone().into_bytes()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let s = |x: &str| json!(x);
    assert_eq!(
        changes(&app, id, "customer", id).await,
        [vec![("city".to_owned(), s("Rennes"), s("Nantes"))]]
    );
    assert_eq!(
        changes(&app, id, "contact", contact).await,
        [vec![
            (
                "email".to_owned(),
                s("ana@acme.example"),
                s("ana.lopez@acme.example")
            ),
            ("job_title".to_owned(), Value::Null, s("Buyer")),
        ]]
    );
    assert_eq!(
        changes(&app, id, "contract", contract).await,
        [vec![("auto_renew".to_owned(), json!(true), json!(false))]]
    );
    // The same files again change nothing, and add nothing to the history.
    for (kind, body) in [
        ("customers", customers),
        ("contacts", contacts),
        ("contracts", contracts),
    ] {
        let r = import(&app, kind, body.into_bytes()).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    assert_eq!(changes(&app, id, "customer", id).await.len(), 1);
    assert_eq!(changes(&app, id, "contact", contact).await.len(), 1);
    assert_eq!(changes(&app, id, "contract", contract).await.len(), 1);
}
