//! Customers' contracts and the renewals list, through the API and the
//! pages, on SQLite (and on PostgreSQL when CLEF_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem, text, text_in, today};
use serde_json::{Value, json};

async fn customer(app: &TestApp, name: &str, extra: Value) -> i64 {
    let mut body = json!({"name": name, "country": "FR"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    app.create_customer(body).await["id"].as_i64().unwrap()
}

async fn contract(app: &TestApp, token: &str, customer: i64, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/customers/{customer}/contracts"), token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn in_days(n: i64) -> String {
    today().add_days(n).to_string()
}

#[tokio::test]
async fn a_contract_is_created_read_changed_and_deleted_with_its_version() {
    let app = TestApp::spawn().await;
    let c = customer(&app, "Fromagerie Vasseur", json!({"currency": "CHF"})).await;
    let r = contract(
        &app,
        &app.admin_token,
        c,
        json!({"title": "Supply agreement", "reference": "SA-2024-17", "starts_on": "2024-01-01",
               "renews_on": in_days(45), "notice_days": 60, "auto_renew": true,
               "annual_value_cents": 12_000_000}),
    )
    .await;
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let k = json_of(r, 201).await;
    let id = k["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/contracts/{id}"));
    // The value is in the customer's currency when none is given; the
    // last day to give notice has passed (45 days left, 60 of notice).
    assert_eq!(k["currency"], "CHF");
    assert_eq!(k["renewal"], "notice-passed");
    assert_eq!(k["decide_by"], in_days(-15));
    let listed = app
        .get_json(
            &format!("/api/v1/customers/{c}/contracts"),
            &app.admin_token,
        )
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["title"], "Supply agreement");

    let change = json!({"title": "Supply agreement 2", "renews_on": in_days(400), "version": 1});
    // (Replaced without a currency, the value stays in the contract's own.)
    let r = app
        .put(&format!("/api/v1/contracts/{id}"), &app.admin_token)
        .json(&change)
        .send()
        .await
        .unwrap();
    let k = json_of(r, 200).await;
    assert_eq!(k["version"], 2);
    assert_eq!(k["renewal"], "later");
    assert_eq!(k["auto_renew"], false, "a replace sets every field");
    assert_eq!(k["currency"], "CHF");
    // The same change again, at the version read before, is stale.
    let r = app
        .put(&format!("/api/v1/contracts/{id}"), &app.admin_token)
        .json(&change)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contracts/{id}?version=1")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contracts/{id}?version=2")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = app
        .get(&format!("/api/v1/contracts/{id}"), &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 404).await;
    // The deleted contract stays in the history.
    let h = app.store.history("contract", id, 10).await.unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["delete", "update", "create"]);
}

/// A deleted contract comes back from its customer's history, once, with
/// every field it had, for those who may change the customer.
#[tokio::test]
async fn a_deleted_contract_is_restored_from_the_history() {
    let app = TestApp::spawn().await;
    app.user_token("viewer@test.example", "viewer").await;
    let c = customer(&app, "Fromagerie Vasseur", json!({"currency": "CHF"})).await;
    let k = json_of(
        contract(
            &app,
            &app.admin_token,
            c,
            json!({"title": "Supply agreement", "reference": "SA-2024-17", "starts_on": "2024-01-01",
                   "renews_on": in_days(45), "notice_days": 60, "auto_renew": true,
                   "annual_value_cents": 12_000_000, "notes": "Indexed on milk prices"}),
        )
        .await,
        201,
    )
    .await;
    let id = k["id"].as_i64().unwrap();
    // Deleted from the customer's page: the notice leads to the history.
    let b = app.browser("admin@test.example").await;
    let r = b
        .post(app.url(&format!("/contracts/{id}/delete")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = text(&b, app.url(&back)).await;
    assert!(page.contains("where it can be restored"), "{page}");
    assert!(
        page.contains(&format!("/customers/{c}/history?record=contract")),
        "{page}"
    );
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=contract"),
            &app.admin_token,
        )
        .await;
    // A span of days lists the changes made then, each end included.
    // (Yesterday too: the changes may have been made before midnight.)
    let (day, next) = (today(), today().add_days(1));
    let span = |from: String, to: String| {
        let path = format!("/api/v1/customers/{c}/history?record=contract&from={from}&to={to}");
        let app = &app;
        async move { app.get_json(&path, &app.admin_token).await }
    };
    assert_eq!(
        span(day.add_days(-1).to_string(), day.to_string()).await,
        history
    );
    assert_eq!(span(next.to_string(), String::new()).await, json!([]));
    let page = text(
        &b,
        app.url(&format!(
            "/customers/{c}/history?record=contract&from={next}"
        )),
    )
    .await;
    assert!(
        page.contains("id=\"history-none\"") && page.contains(&format!("value=\"{next}\"")),
        "{page}"
    );
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "delete")
        .unwrap_or_else(|| panic!("{history}"))["id"]
        .as_i64()
        .unwrap();
    let restore = format!("/customers/{c}/history/{entry}/restore");
    let viewer = app.browser("viewer@test.example").await;
    let page = text(&viewer, app.url(&format!("/customers/{c}/history"))).await;
    assert!(!page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = viewer.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 403);

    let page = text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = text_in(&b, app.url(&back), "fr").await;
    assert!(page.contains("Contrat restauré"), "{page}");
    let listed = app
        .get_json(
            &format!("/api/v1/customers/{c}/contracts"),
            &app.admin_token,
        )
        .await;
    let again = &listed[0];
    assert_ne!(again["id"], json!(id), "a new contract");
    for field in [
        "title",
        "reference",
        "starts_on",
        "renews_on",
        "notice_days",
        "decide_by",
        "auto_renew",
        "annual_value_cents",
        "currency",
        "notes",
        "renewal",
    ] {
        assert_eq!(again[field], k[field], "{field}: {listed}");
    }
    // Once only, through the API as through the page.
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{entry}/restore"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(
        p["detail"].as_str().unwrap().contains("restored already"),
        "{p}"
    );
}

#[tokio::test]
async fn a_bad_contract_names_each_wrong_field() {
    let app = TestApp::spawn().await;
    let c = customer(&app, "Laiterie Bertin", json!({})).await;
    let r = contract(
        &app,
        &app.admin_token,
        c,
        json!({"title": " ", "starts_on": "2027-05-01", "renews_on": "2027-04-31",
               "notice_days": 900, "annual_value_cents": -5, "currency": "EURO"}),
    )
    .await;
    let p = problem(r, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "title",
        "renews_on",
        "notice_days",
        "annual_value_cents",
        "currency",
    ] {
        assert!(fields.contains(&f), "{f} not named: {p}");
    }
    let r = contract(
        &app,
        &app.admin_token,
        c,
        json!({"title": "Framework", "starts_on": "2027-05-01", "renews_on": "2027-04-30"}),
    )
    .await;
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "before-start");
    // Wrong types and unknown fields are said, not a 500.
    let r = contract(
        &app,
        &app.admin_token,
        c,
        json!({"title": "X", "renews_on": "2027-01-01", "notice_days": "sixty"}),
    )
    .await;
    problem(r, 422).await;
    let r = contract(
        &app,
        &app.admin_token,
        c,
        json!({"title": "X", "renews_on": "2027-01-01", "value": 3}),
    )
    .await;
    problem(r, 422).await;
    let r = contract(
        &app,
        &app.admin_token,
        999_999,
        json!({"title": "X", "renews_on": "2027-01-01"}),
    )
    .await;
    problem(r, 404).await;
    assert!(app.store.list_contracts(c).await.unwrap().is_empty());
}

#[tokio::test]
async fn only_those_who_may_change_the_customer_change_its_contracts() {
    let app = TestApp::spawn().await;
    let (kam, kam_token) = app.user_token("kam@test.example", "kam").await;
    let (_, other_token) = app.user_token("other@test.example", "kam").await;
    let (_, viewer_token) = app.user_token("viewer@test.example", "viewer").await;
    let c = customer(&app, "Sucrerie Nord", json!({"owner_id": kam})).await;
    let body = json!({"title": "Sugar supply", "renews_on": in_days(20)});
    for t in [&other_token, &viewer_token] {
        problem(contract(&app, t, c, body.clone()).await, 403).await;
    }
    let k = json_of(contract(&app, &kam_token, c, body.clone()).await, 201).await;
    let id = k["id"].as_i64().unwrap();
    // Everyone signed in reads them.
    let listed = app
        .get_json(&format!("/api/v1/customers/{c}/contracts"), &viewer_token)
        .await;
    assert_eq!(listed[0]["id"], id);
    let r = app
        .put(&format!("/api/v1/contracts/{id}"), &other_token)
        .json(&json!({"title": "Mine now", "renews_on": in_days(20), "version": 1}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contracts/{id}")))
        .bearer_auth(&viewer_token)
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    assert_eq!(app.store.list_contracts(c).await.unwrap().len(), 1);

    // The same through the pages: no form, no change for them.
    for who in ["other@test.example", "viewer@test.example"] {
        let b = app.browser(who).await;
        let page = text(&b, app.url(&format!("/customers/{c}"))).await;
        assert!(page.contains("Sugar supply") && !page.contains("id=\"new-contract\""));
        for path in [
            format!("/customers/{c}/contracts/new"),
            format!("/contracts/{id}/edit"),
            format!("/contracts/{id}/delete"),
        ] {
            let r = b.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 403, "{who} {path}");
        }
        let r = b
            .post(app.url(&format!("/contracts/{id}/edit")))
            .form(&[
                ("title", "Mine now"),
                ("renews_on", "2030-01-01"),
                ("version", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = b
            .post(app.url(&format!("/contracts/{id}/delete")))
            .form(&[("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    }
    assert_eq!(app.store.contract(id).await.unwrap().title, "Sugar supply");
}

/// Sorted by value, contracts compare within their currency: euros
/// together, then dollars, each by value, and those without a value last.
#[tokio::test]
async fn the_renewals_by_value_compare_within_a_currency() {
    let app = TestApp::spawn().await;
    let c = customer(&app, "Brasserie Lenoir", json!({})).await;
    for (title, value, currency) in [
        ("Big euro", Some(10_000), "EUR"),
        ("Dollars", Some(5_000), "USD"),
        ("Small euro", Some(3_000), "EUR"),
        ("No value", None, "EUR"),
    ] {
        json_of(
            contract(
                &app,
                &app.admin_token,
                c,
                json!({"title": title, "renews_on": in_days(30),
                       "annual_value_cents": value, "currency": currency}),
            )
            .await,
            201,
        )
        .await;
    }
    let titles = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["contract"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let up = app
        .get_json("/api/v1/contracts?sort=annual_value", &app.admin_token)
        .await;
    assert_eq!(
        titles(up),
        ["Small euro", "Big euro", "Dollars", "No value"]
    );
    let down = app
        .get_json("/api/v1/contracts?sort=-annual_value", &app.admin_token)
        .await;
    assert_eq!(
        titles(down),
        ["Big euro", "Small euro", "Dollars", "No value"]
    );
}

#[tokio::test]
async fn the_renewals_list_holds_the_contracts_renewing_soon_by_date() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let a = customer(&app, "Aciéries Martin", json!({"owner_id": kam})).await;
    let b = customer(&app, "Brasserie Lenoir", json!({})).await;
    for (c, title, days, notice) in [
        (a, "Steel frame", 200, 0),
        (a, "Maintenance", 10, 0),
        (b, "Bottles", 60, 0),
        (b, "Expired", -5, 0),
        // Renews in 200 days, but notice is due in 20.
        (b, "Energy", 200, 180),
    ] {
        json_of(
            contract(
                &app,
                &app.admin_token,
                c,
                json!({"title": title, "renews_on": in_days(days), "notice_days": notice,
                       "reference": format!("C-2026-{:05}", 100 + days)}),
            )
            .await,
            201,
        )
        .await;
    }
    let titles = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["contract"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let until = in_days(90);
    let v = app
        .get_json(
            &format!("/api/v1/contracts?until={until}"),
            &app.admin_token,
        )
        .await;
    assert_eq!(titles(&v), ["Expired", "Maintenance", "Energy", "Bottles"]);
    assert_eq!(v["total"], 4);
    assert_eq!(v["items"][0]["contract"]["renewal"], "passed");
    assert_eq!(v["items"][2]["contract"]["renewal"], "decide");
    assert_eq!(v["items"][2]["contract"]["decide_by"], in_days(20));
    assert_eq!(v["items"][1]["customer_name"], "Aciéries Martin");
    let v = app
        .get_json(
            &format!("/api/v1/contracts?owner_id={kam}"),
            &app.admin_token,
        )
        .await;
    assert_eq!(titles(&v), ["Maintenance", "Steel frame"]);
    assert_eq!(v["items"][0]["owner_name"], "kam@test.example");
    let v = app
        .get_json(
            "/api/v1/contracts?q=brass&per_page=1&page=2",
            &app.admin_token,
        )
        .await;
    assert_eq!(titles(&v), ["Energy"]);
    assert_eq!(v["total"], 3);
    // Also by the start of a word of the title or the reference, case and
    // accents aside; not by the middle of a word.
    let found = |q: &'static str| {
        let path = format!("/api/v1/contracts?q={q}");
        let app = &app;
        async move { app.get_json(&path, &app.admin_token).await }
    };
    assert_eq!(titles(&found("FRAME").await), ["Steel frame"]);
    assert_eq!(titles(&found("%C3%A9nergy").await), ["Energy"]);
    assert_eq!(titles(&found("00160").await), ["Bottles"]);
    assert_eq!(titles(&found("c-2026-00095").await), ["Expired"]);
    assert_eq!(found("rame").await["total"], 0);
    let r = app
        .get("/api/v1/contracts?until=soon", &app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "until");
    // Sorted by renewal day (the latest first when reversed); an unknown
    // order is named.
    let v = app
        .get_json(
            "/api/v1/contracts?sort=-renews_on&per_page=2",
            &app.admin_token,
        )
        .await;
    assert_eq!(titles(&v), ["Energy", "Steel frame"]);
    let v = app
        .get_json("/api/v1/contracts?sort=renews_on", &app.admin_token)
        .await;
    assert_eq!(titles(&v)[0], "Expired");
    let r = app
        .get("/api/v1/contracts?sort=title", &app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "sort");

    // The page: the same list in the reader's language, and its CSV.
    let br = app.browser("admin@test.example").await;
    let page = text_in(&br, app.url("/contracts"), "fr").await;
    assert!(page.contains("Renouvellements de contrats"), "{page}");
    for t in ["Expired", "Maintenance", "Energy", "Bottles"] {
        assert!(page.contains(t), "{t} missing");
    }
    assert!(!page.contains("Steel frame"), "beyond 90 days by default");
    assert!(page.contains("Renouvellement dépassé"));
    let page = text(&br, app.url("/contracts?within=all&q=aci")).await;
    assert!(page.contains("Steel frame") && !page.contains("Bottles"));
    let page = text(&br, app.url("/contracts?within=all&q=bottles")).await;
    assert!(
        page.contains("Bottles") && !page.contains("Energy"),
        "{page}"
    );
    let page = text(&br, app.url("/contracts?within=all&q=zzz")).await;
    assert!(
        page.contains("No contract matches these filters in this period."),
        "{page}"
    );
    // Headings sort the list; the CSV follows the same order; an order the
    // page does not know falls back to the day to decide.
    let page = text(&br, app.url("/contracts?within=all&sort=-renews_on")).await;
    assert!(page.contains("aria-sort=\"descending\""), "{page}");
    assert!(page.find("Maintenance") > page.find("Bottles"));
    let csv = text(&br, app.url("/contracts.csv?within=all&sort=renews_on")).await;
    let first = csv.lines().nth(1).unwrap_or_default();
    assert!(first.contains("Expired"), "{csv}");
    let page = text(&br, app.url("/contracts?within=all&sort=colour")).await;
    assert!(page.contains("id=\"renewals\""), "{page}");
    let r = br
        .get(app.url("/contracts?within=45"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "only the windows offered");
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"within-error\"") && !page.contains("id=\"renewals\""));
    let r = br
        .get(app.url("/contracts.csv?within=all"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines[0].starts_with("id,customer_id,customer_name"));
    assert!(lines[1].contains("Expired") && lines[1].contains(",passed,"));
    assert!(lines[5].contains("Steel frame"));
    // A reference's parts after a slash or an underscore are words too.
    json_of(
        contract(
            &app,
            &app.admin_token,
            b,
            json!({"title": "Labels", "renews_on": in_days(400), "reference": "PO/2031_77"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(titles(&found("2031").await), ["Labels"]);
    assert_eq!(titles(&found("77").await), ["Labels"]);
}

#[tokio::test]
async fn the_customer_page_lists_contracts_and_its_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let c = customer(&app, "Verrerie Dumas", json!({})).await;
    let br = app.browser("admin@test.example").await;
    let page = text_in(&br, app.url(&format!("/customers/{c}")), "en").await;
    assert!(page.contains("No contract recorded."));
    let form = text_in(&br, app.url(&format!("/customers/{c}/contracts/new")), "fr").await;
    assert!(form.contains("name=\"renews_on\"") && form.contains("value=\"EUR\""));
    // A bad form comes back with the input and the message beside the field.
    let r = br
        .post(app.url(&format!("/customers/{c}/contracts/new")))
        .header("accept-language", "fr")
        .form(&[
            ("title", "Contrat cadre verre"),
            ("starts_on", "2027-06-01"),
            ("renews_on", "2027-01-01"),
            ("annual_value", "1 250 000,50"),
            ("notice_days", "trois"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"Contrat cadre verre\""), "{page}");
    assert!(page.contains("value=\"1 250 000,50\""));
    assert!(page.contains("id=\"renews_on-error\""));
    assert!(page.contains("La date de renouvellement ne peut pas précéder la date de début."));
    assert!(page.contains("id=\"notice_days-error\""));
    assert!(app.store.list_contracts(c).await.unwrap().is_empty());
    let r = br
        .post(app.url(&format!("/customers/{c}/contracts/new")))
        .form(&[
            ("title", "Contrat cadre verre"),
            ("starts_on", "2026-06-01"),
            ("renews_on", "2027-06-01"),
            ("annual_value", "1 250 000,50"),
            ("notice_days", "90"),
            ("auto_renew", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let saved = app.store.list_contracts(c).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].annual_value_cents, Some(125_000_050));
    assert!(saved[0].auto_renew);
    let page = text_in(
        &br,
        app.url(&format!("/customers/{c}?done=contract-saved")),
        "fr",
    )
    .await;
    assert!(page.contains("Contrat enregistré."));
    assert!(page.contains("01/06/2027"), "the date for a French reader");
    assert!(page.contains("1\u{202f}250\u{202f}000,50\u{a0}€"), "{page}");
    // The list sorts in the page by its value and its decision date as
    // stored, not as written for the reader.
    assert!(
        page.contains("data-value=\"125000050\">1\u{202f}250")
            && page.contains(&format!("<td data-value=\"{}\">", saved[0].decide_by)),
        "{page}"
    );
    // Editing shows the value as a French reader writes it.
    let id = saved[0].id;
    let form = text_in(&br, app.url(&format!("/contracts/{id}/edit")), "fr").await;
    assert!(form.contains("value=\"1250000,50\""), "{form}");
    assert!(form.contains("checked"));

    // A customer with a contract is not deleted with it: its page says so
    // and offers no button; the API answers 409.
    let page = text_in(&br, app.url(&format!("/customers/{c}/delete")), "en").await;
    assert!(page.contains("1 contract"), "{page}");
    assert!(!page.contains("id=\"confirm-delete\""), "{page}");
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customers/{c}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("1 contract"), "{p}");
    // Deleting asks first, then goes back to the customer.
    let page = text_in(&br, app.url(&format!("/contracts/{id}/delete")), "en").await;
    assert!(page.contains("Delete the contract Contrat cadre verre (Verrerie Dumas)?"));
    let r = br
        .post(app.url(&format!("/contracts/{id}/delete")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(app.store.list_contracts(c).await.unwrap().is_empty());
}

/// Contracts go out as CSV and come back in: a line with an id replaces
/// that contract, a line without one adds a contract, and a file with any
/// bad line names every problem and writes nothing.
#[tokio::test]
async fn contracts_import_all_or_nothing_and_export_in_the_same_format() {
    let app = TestApp::spawn().await;
    let c = customer(&app, "Papeterie Roux", json!({"currency": "JPY"})).await;
    let k = json_of(
        contract(
            &app,
            &app.admin_token,
            c,
            json!({"title": "Paper supply", "renews_on": "2027-03-31", "annual_value_cents": 1500}),
        )
        .await,
        201,
    )
    .await;
    let id = k["id"].as_i64().unwrap();
    let br = app.browser("admin@test.example").await;
    let csv = text(&br, app.url(&format!("/customers/{c}/contracts.csv"))).await;
    let csv = csv.trim_start_matches('\u{feff}');
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert_eq!(
        header,
        "id,customer_id,title,reference,starts_on,renews_on,notice_days,auto_renew,annual_value,currency,notes"
    );
    // Yen have no decimals: 1,500 yen are written 1500.
    assert_eq!(
        lines.next().unwrap(),
        format!("{id},{c},Paper supply,,,2027-03-31,,false,1500,JPY,")
    );

    let import = |body: String| {
        app.post("/api/v1/imports/contracts", &app.admin_token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let bad = format!(
        "{header}\n{id},{c},Paper supply,,,2027-03-31,,yes,2000,,\n,999999,Ghost,,,2027-13-01,,maybe,x,,\n,{c},Late,,2027-05-01,2027-01-01,900,,,EURO,\n"
    );
    let p = problem(import(bad).await.unwrap(), 422).await;
    let places: Vec<(i64, &str)> = p["import"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        places,
        [
            (3, "customer_id"),
            (3, "annual_value"),
            (3, "auto_renew"),
            (3, "renews_on"),
            (4, "currency"),
            (4, "renews_on"),
            (4, "notice_days"),
        ]
    );
    let k = app.store.contract(id).await.unwrap();
    assert!(!k.auto_renew, "nothing is written when a line is wrong");

    let good = format!(
        "{header}\n{id},{c},Paper supply,P-1,,2027-03-31,,yes,2000,,\n,{c},Pulp,,2026-01-01,2027-01-01,30,,\"12 500\",,Second source\n"
    );
    let r = json_of(import(good).await.unwrap(), 200).await;
    assert_eq!(r["written"], 2);
    let all = app.store.list_contracts(c).await.unwrap();
    assert_eq!(all.len(), 2);
    let replaced = all.iter().find(|k| k.id == id).unwrap();
    assert_eq!(
        (
            replaced.auto_renew,
            replaced.annual_value_cents,
            replaced.version
        ),
        (true, Some(2000), 2)
    );
    let added = all.iter().find(|k| k.id != id).unwrap();
    assert_eq!(
        (
            added.title.as_str(),
            added.annual_value_cents,
            added.currency.as_str()
        ),
        ("Pulp", Some(12_500), "JPY")
    );
    // Both are found by a word of their title or reference, the replaced
    // one by its new reference.
    let found = app
        .get_json("/api/v1/contracts?q=p-1", &app.admin_token)
        .await;
    assert_eq!(found["items"][0]["contract"]["id"], id, "{found}");
    let found = app
        .get_json("/api/v1/contracts?q=pulp", &app.admin_token)
        .await;
    assert_eq!(found["items"][0]["contract"]["id"], added.id, "{found}");
    // A contract added by the import gets a new id afterwards too.
    let next = json_of(
        contract(
            &app,
            &app.admin_token,
            c,
            json!({"title": "Third", "renews_on": "2028-01-01"}),
        )
        .await,
        201,
    )
    .await;
    assert!(next["id"].as_i64().unwrap() > added.id);
}

/// A contract added while its customer is deleted: one of the two wins,
/// the other is refused with a reason (never a 500), and no contract is
/// left without its customer.
#[tokio::test]
async fn a_contract_and_the_deletion_of_its_customer_at_once_never_fail_both() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for k in 0..12 {
        ids.push(customer(&app, &format!("Racing {k}"), json!({})).await);
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|&c| {
            let add = contract(
                &app,
                &app.admin_token,
                c,
                json!({"title": "Race", "renews_on": "2027-01-01"}),
            );
            let delete = app
                .client
                .delete(app.url(&format!("/api/v1/customers/{c}")))
                .bearer_auth(&app.admin_token)
                .send();
            async move {
                let (a, d) = tokio::join!(add, delete);
                (a.status().as_u16(), d.unwrap().status().as_u16())
            }
        })
        .collect();
    for ((added, deleted), c) in futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .zip(ids)
    {
        assert!(
            matches!((added, deleted), (201, 409) | (404, 204)),
            "customer {c}: add {added}, delete {deleted}"
        );
        let left = app.store.list_contracts(c).await.unwrap().len();
        assert_eq!(left, usize::from(added == 201));
    }
}

/// A customer's history tells who changed what, in the customer, its
/// contacts and its contracts, a deleted contact included.
#[tokio::test]
async fn a_customers_history_shows_who_changed_what() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Tannerie Roche", "country": "FR", "tier": "bronze"}))
        .await;
    let id = c["id"].as_i64().unwrap();
    let r = app
        .put(&format!("/api/v1/customers/{id}"), &app.admin_token)
        .json(&json!({"name": "Tannerie Roche", "country": "FR", "tier": "gold", "wallet_cents": 5_000_000, "version": 1}))
        .send()
        .await
        .unwrap();
    json_of(r, 200).await;
    let r = app
        .post(
            &format!("/api/v1/customers/{id}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "Inès", "last_name": "Roche"}))
        .send()
        .await
        .unwrap();
    let contact = json_of(r, 201).await["id"].as_i64().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{contact}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    json_of(
        contract(
            &app,
            &app.admin_token,
            id,
            json!({"title": "Leather supply", "renews_on": "2027-06-30"}),
        )
        .await,
        201,
    )
    .await;
    // Another customer's changes are not in it, one whose id starts
    // with this one's included (10 after 1).
    let mut other = 0;
    for k in 0..10 {
        other = customer(&app, &format!("Other {k}"), json!({})).await;
    }
    assert!(other.to_string().starts_with(&id.to_string()) && other != id);
    json_of(
        contract(
            &app,
            &app.admin_token,
            other,
            json!({"title": "Not Roche's", "renews_on": "2027-06-30"}),
        )
        .await,
        201,
    )
    .await;

    let br = app.browser("admin@test.example").await;
    let page = text_in(&br, app.url(&format!("/customers/{id}/history")), "en").await;
    let rows: Vec<&str> = page.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 5, "{page}");
    assert!(rows[0].contains("Contract — created") && rows[0].contains("Leather supply"));
    assert!(rows[1].contains("Contact — deleted") && rows[1].contains("Inès Roche"));
    assert!(rows[2].contains("Contact — created"));
    assert!(
        rows[3].contains("Customer — changed") && rows[3].contains("Service tier: Bronze → Gold"),
        "{}",
        rows[3]
    );
    assert!(
        rows[3].contains("Estimated potential (wallet): — → €50,000.00"),
        "{}",
        rows[3]
    );
    assert!(!page.contains("Not Roche"), "another customer's contract");
    assert!(rows[4].contains("Customer — created") && rows[4].contains("Ada Admin"));
    let page = text_in(&br, app.url(&format!("/customers/{id}/history")), "fr").await;
    assert!(page.contains("Contact — supprimé"), "{page}");
    let page = text_in(&br, app.url(&format!("/customers/{id}")), "en").await;
    assert!(page.contains(&format!("href=\"/customers/{id}/history\"")));
    // As CSV: a line per field changed, values as stored.
    let csv = text(&br, app.url(&format!("/customers/{id}/history.csv"))).await;
    assert!(
        csv.contains(&format!(
            ",Ada Admin,customer,{id},update,Tannerie Roche,tier,bronze,gold"
        )),
        "{csv}"
    );
    assert!(
        // A deletion lists what the record held.
        csv.contains(",contact,") && csv.contains(",delete,Inès Roche,first_name,Inès,"),
        "{csv}"
    );
    assert!(!csv.contains("Not Roche"), "{csv}");
    // The same through the API.
    let h = app
        .get_json(&format!("/api/v1/customers/{id}/history"), &app.admin_token)
        .await;
    assert_eq!(h.as_array().unwrap().len(), 5, "{h}");
    assert_eq!(
        (&h[3]["action"], &h[3]["changes"][0]),
        (
            &json!("update"),
            &json!({"field": "tier", "before": "bronze", "after": "gold"})
        ),
        "{h}"
    );
    assert_eq!(h[1]["label"], "Inès Roche");
}

/// Entries of the trail written before it named their customer are given
/// theirs when the database is upgraded: the history of a customer keeps
/// its changes, and no one else's.
#[tokio::test]
async fn an_upgraded_trail_names_the_customer_of_each_entry() {
    use sea_orm::ConnectionTrait;
    let url = helpers::fresh_database_url().await;
    let _files = helpers::RemovedAtEnd(url.clone());
    let store = clef_store::Store::connect(&url).await.unwrap();
    store.migrate_steps(11).await.unwrap();
    let db = sea_orm::Database::connect(url.as_str()).await.unwrap();
    db.execute_unprepared(
        r#"INSERT INTO audit_log (at, user_id, entity, entity_id, action, detail) VALUES
        (1, NULL, 'customer', 7, 'update', '{"before":{"tier":"bronze"},"after":{"tier":"gold"}}'),
        (2, NULL, 'contact', 3, 'create', '{"id":3,"customer_id":7,"first_name":"Inès"}'),
        (3, NULL, 'contract', 4, 'update', '{"before":{"customer_id":17,"title":"A"},"after":{"customer_id":17,"title":"B"}}'),
        (4, NULL, 'contact', 5, 'delete', '{"id":5,"customer_id":70}'),
        (5, NULL, 'customer', 0, 'import', '{"rows":12}'),
        (6, NULL, 'user', 2, 'update', '{"before":{"name":"A"},"after":{"name":"B"}}'),
        (7, NULL, 'contact', 8, 'update', '{"before":{"customer_id":9},"after":{"customer_id":"9"'),
        (8, NULL, 'contact', 9, 'update', '{"after":{"customer_id":"12"},"before":{"customer_id":12}}')"#,
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT customer_id FROM audit_log ORDER BY at",
        ))
        .await
        .unwrap();
    let found: Vec<Option<i64>> = rows
        .iter()
        .map(|r| r.try_get("", "customer_id").unwrap())
        .collect();
    // A detail that cannot be read stays without a customer (and does not
    // stop the upgrade); a customer written as text is passed over, as the
    // trail does when it writes an entry.
    assert_eq!(
        found,
        [
            Some(7),
            Some(7),
            Some(17),
            Some(70),
            None,
            None,
            None,
            Some(12)
        ]
    );
}
