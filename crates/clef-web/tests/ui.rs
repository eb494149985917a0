//! The HTML pages, through HTTP as a browser would use them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, text, text_in};
use serde_json::json;

#[tokio::test]
async fn pages_need_a_signed_in_user() {
    let app = TestApp::spawn().await;
    let r = app.client.get(app.url("/customers")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/customers");
    let r = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("email", "admin@test.example"),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("value=\"admin@test.example\""),
        "the e-mail is kept"
    );
}

/// Signs in to `base` as the test admin, from `from` as a proxy names it.
async fn sign_in_from(
    app: &TestApp,
    base: &str,
    from: &str,
    password: &str,
) -> (reqwest::StatusCode, String) {
    let r = app
        .client
        .post(format!("{base}/login"))
        .header("x-forwarded-for", from)
        .form(&[("email", "Admin@Test.example"), ("password", password)])
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Behind a trusted proxy, failed sign-ins count per e-mail and client
/// address, on every instance sharing the database.
#[tokio::test]
async fn failed_sign_ins_pause_an_address_on_every_instance() {
    let behind_proxy = || clef_web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    let app = TestApp::spawn_with(behind_proxy()).await;
    let (other, _stop) = app.another_instance_with(behind_proxy()).await;
    let here = "203.0.113.7";
    for base in [&app.base, &app.base, &other, &app.base] {
        let (status, _) = sign_in_from(&app, base, here, "wrong password").await;
        assert_eq!(status, 401);
    }
    // The fifth failure, on the other instance, pauses the address there
    // and here, even with the right password.
    let (status, _) = sign_in_from(&app, &other, here, "wrong password").await;
    assert_eq!(status, 401);
    for base in [&app.base, &other] {
        let (status, page) = sign_in_from(&app, base, here, helpers::PASSWORD).await;
        assert_eq!(status, 429);
        assert!(
            page.contains("from this network address"),
            "the page says why: {page}"
        );
    }
    // The same person signs in from elsewhere.
    let (status, _) = sign_in_from(&app, &other, "198.51.100.20", helpers::PASSWORD).await;
    assert_eq!(status, 303);
    // A hundred failures from everywhere together pause the e-mail for
    // everyone, wherever they were counted.
    for k in 0..95 {
        app.store
            .record_sign_in_failure("admin@test.example", &format!("192.0.2.{k}"), 900)
            .await
            .unwrap();
    }
    let (status, page) = sign_in_from(&app, &app.base, "198.51.100.20", helpers::PASSWORD).await;
    assert_eq!(status, 429);
    assert!(page.contains("from several places"), "{page}");
}

/// Guesses sent at the same moment cannot pass the limit together.
#[tokio::test]
async fn simultaneous_guesses_count_together() {
    let app = TestApp::spawn_with(clef_web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    })
    .await;
    let guesses: Vec<_> = (0..12)
        .map(|_| {
            let (client, url) = (app.client.clone(), app.url("/login"));
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("x-forwarded-for", "203.0.113.8")
                    .form(&[
                        ("email", "admin@test.example"),
                        ("password", "wrong password"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for g in guesses {
        answers.push(g.await.unwrap());
    }
    let checked = answers.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{checked} passwords checked: {answers:?}");
    assert!(
        answers.iter().all(|s| *s == 401 || *s == 429),
        "{answers:?}"
    );
    let (status, _) = sign_in_from(&app, &app.base, "203.0.113.8", helpers::PASSWORD).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn the_language_follows_the_browser_then_the_user_choice() {
    let app = TestApp::spawn().await;
    let b = app.browser("admin@test.example").await;
    let page = b
        .get(app.url("/customers"))
        .header("accept-language", "fr-FR,fr;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<html lang=\"fr\">") && page.contains("Portefeuille"),
        "{page}"
    );
    let r = b
        .get(app.url("/lang/en?next=/customers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // The choice is stored for the user, whatever the browser says next.
    let page = text_in(&b, app.url("/customers"), "fr").await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>Portfolio</h1>"));
    let u = app
        .store
        .user_by_email("admin@test.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.locale.as_deref(), Some("en"));
    // A link followed from another site changes nothing.
    let r = b
        .get(app.url("/lang/fr?next=/customers"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers().get("set-cookie").is_none());
    let u = app
        .store
        .user_by_email("admin@test.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(u.locale.as_deref(), Some("en"));
}

/// An address that leads nowhere, an id that cannot be read and a form's
/// address opened as a page answer in the signed-in reader's language, not
/// the browser's.
#[tokio::test]
async fn error_pages_speak_the_signed_in_readers_language() {
    let app = TestApp::spawn().await;
    let b = app.browser("admin@test.example").await;
    let u = app
        .store
        .user_by_email("admin@test.example")
        .await
        .unwrap()
        .unwrap();
    app.store
        .set_locale(u.id, clef_domain::Locale::Fr)
        .await
        .unwrap();
    for (path, status, title) in [
        ("/nowhere", 404, "Introuvable"),
        ("/customers/abc", 404, "Introuvable"),
        ("/selection/grid", 405, "Pas une page"),
    ] {
        let r = b
            .get(app.url(path))
            .header("accept-language", "en-US,en;q=0.9")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{path}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("<html lang=\"fr\">") && page.contains(title),
            "{path}: {page}"
        );
    }
    // Signed out, the browser's language is still taken.
    let r = app
        .client
        .get(app.url("/nowhere"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Not found"));
}

#[tokio::test]
async fn a_bad_form_value_is_shown_beside_the_field_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let path = app.url(&format!("/customers/{}/edit", c["id"]));
    let r = b
        .post(&path)
        .header("accept-language", "fr")
        .form(&[
            ("name", "Acme Renamed"),
            ("country", "XX"),
            ("wallet", "12abc"),
            ("currency", "EUR"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"country-error\""), "{page}");
    assert!(page.contains("id=\"wallet-error\""));
    // The way back names the customer as saved, not as typed.
    assert!(
        page.contains(&format!("<a href=\"/customers/{}\">Acme</a>", c["id"])),
        "{page}"
    );
    assert!(
        page.contains("value=\"Acme Renamed\"")
            && page.contains("value=\"XX\"")
            && page.contains("value=\"12abc\"")
    );
    assert!(
        page.contains("Saisissez un code pays ISO"),
        "the message is in the reader's language"
    );
    // The summary takes the focus, so that the reader hears it first.
    assert!(page.contains("id=\"form-errors\" tabindex=\"-1\" autofocus"));
    // A currency that cannot be read does not hide a wrong amount.
    let r = b
        .post(&path)
        .form(&[
            ("name", "Acme"),
            ("country", "FR"),
            ("wallet", "beaucoup"),
            ("currency", "eu"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"currency-error\"") && page.contains("id=\"wallet-error\""));
    let r = b
        .post(&path)
        .form(&[
            ("name", "Acme Renamed"),
            ("country", "FR"),
            ("wallet", "1234.5"),
            ("currency", "EUR"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = text_in(&b, app.url(&format!("/customers/{}", c["id"])), "fr").await;
    assert!(page.contains("<h1>Acme Renamed</h1>"));
    assert!(
        page.contains("1\u{202f}234,50\u{a0}€"),
        "money is written the French way"
    );
    // A second save from the same stale form is a conflict, with the input kept.
    let r = b
        .post(&path)
        .form(&[("name", "Stale"), ("country", "FR"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"stale-warning\"") && page.contains("value=\"Stale\""));
}

#[tokio::test]
async fn the_list_exports_as_filtered() {
    let app = TestApp::spawn().await;
    app.create_customer(json!({"name": "Alpha", "country": "FR"}))
        .await;
    app.create_customer(json!({"name": "Beta", "country": "DE"}))
        .await;
    app.create_customer(json!({"name": "Gamma Mill", "country": "DE"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url("/customers?country=DE")).await;
    assert!(page.contains("Beta") && !page.contains(">Alpha<"));
    assert!(page.contains("href=\"/customers.csv?country=DE&#38;sort=name\""));
    let names = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap_or_default().to_owned())
            .collect()
    };
    let csv = text(&b, app.url("/customers.csv?country=DE&sort=name")).await;
    // A byte order mark first: spreadsheets read the file as UTF-8.
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("the export starts with a byte order mark");
    assert!(csv.starts_with("id,name,"), "{csv}");
    assert_eq!(names(csv), ["Beta", "Gamma Mill"]);
    // In the list's order: reversed, the newest customer comes first.
    let page = text(&b, app.url("/customers?country=DE&sort=-name")).await;
    assert!(page.contains("href=\"/customers.csv?country=DE&#38;sort=-name\""));
    let csv = text(&b, app.url("/customers.csv?country=DE&sort=-name")).await;
    assert_eq!(names(&csv), ["Gamma Mill", "Beta"]);
    // With figures: the same rows, the owner and the figures after the
    // import format's columns, amounts in the customer's currency.
    assert!(page.contains("href=\"/customers.csv?country=DE&#38;sort=-name&#38;with=figures\""));
    let bu = helpers::json_of(
        app.post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": "PKG", "name": "Packaging"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let beta = app
        .get_json("/api/v1/customers?q=beta", &app.admin_token)
        .await["items"][0]["id"]
        .clone();
    let lines: Vec<_> = (1..=12)
        .map(|m| json!({"customer_id": beta, "business_unit_id": bu["id"], "period": format!("2025-{m:02}"), "revenue_cents": 100_000, "margin_cents": 25_000}))
        .collect();
    helpers::json_of(
        app.post("/api/v1/revenue-lines", &app.admin_token)
            .json(&json!({ "lines": lines }))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let r = b
        .get(app.url("/customers.csv?country=DE&sort=-name&with=figures"))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("customers-figures.csv")
    );
    let csv = r.text().await.unwrap();
    let mut rows = csv.trim_start_matches('\u{feff}').lines();
    assert!(
        rows.next().unwrap().ends_with(",notes,owner_name,revenue_12m,margin_12m,revenue_previous_12m,growth,margin_rate,share_of_wallet,revenue_rank,cumulative_share"),
        "{csv}"
    );
    assert_eq!(names(&csv), ["Gamma Mill", "Beta"]);
    let beta_row = csv.lines().find(|l| l.contains(",Beta,")).unwrap();
    assert!(
        beta_row.ends_with(",12000.00,3000.00,0.00,,0.2500,,1,1.0000"),
        "{beta_row}"
    );
    // A search the list answers with a word inside the names exports the
    // customers it shows.
    let page = text(&b, app.url("/customers?q=mill")).await;
    assert!(page.contains("id=\"within-words\"") && page.contains("Gamma Mill"));
    let csv = text(&b, app.url("/customers.csv?q=mill")).await;
    assert_eq!(names(&csv), ["Gamma Mill"]);
    // Found nowhere: the list says it is empty, not that it looked inside words.
    let page = text(&b, app.url("/customers?q=zzzz")).await;
    assert!(!page.contains("id=\"within-words\"") && page.contains("class=\"empty\""));
    // Compressed for a browser that asks for it, and complete.
    let r = b
        .get(app.url("/customers.csv"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let body = r
        .bytes()
        .await
        .expect("the compressed export arrives whole");
    assert!(body.len() > 20);
    // An export from a list whose filter cannot be read goes back to the
    // list, which says what is wrong.
    let r = b
        .get(app.url("/customers.csv?country=zzz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/customers?country=zzz");
}

#[tokio::test]
async fn a_first_run_creates_the_administrator() {
    let app = TestApp::spawn().await;
    // The test app already has an admin: setup is closed.
    let r = app.client.get(app.url("/setup")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login");
}

#[tokio::test]
async fn a_viewer_sees_no_edit_button_and_cannot_edit() {
    let app = TestApp::spawn().await;
    app.user_token("viewer@test.example", "viewer").await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let b = app.browser("viewer@test.example").await;
    let page = text(&b, app.url(&format!("/customers/{}", c["id"]))).await;
    assert!(page.contains("Acme") && !page.contains("id=\"edit-customer\""));
    let r = b
        .post(app.url(&format!("/customers/{}/edit", c["id"])))
        .form(&[("name", "X"), ("country", "FR")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn sign_in_only_follows_local_paths() {
    let app = TestApp::spawn().await;
    for next in [
        "/\t/evil.example",
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[
                ("email", "admin@test.example"),
                ("password", helpers::PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers()["location"], "/customers", "{next:?}");
    }
    let r = app
        .client
        .get(app.url("/lang/fr?next=%2F%09%2Fevil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/customers");
}

/// Served over HTTPS, every cookie Clef sets is `Secure`; otherwise none.
#[tokio::test]
async fn cookies_are_secure_when_clef_is_served_over_https() {
    for secure in [true, false] {
        let app = TestApp::spawn_with(clef_web::WebConfig {
            secure_cookies: secure,
            ..Default::default()
        })
        .await;
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[
                ("email", "admin@test.example"),
                ("password", helpers::PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        let lang = app.client.get(app.url("/lang/fr")).send().await.unwrap();
        for (what, r) in [("session", &r), ("language", &lang)] {
            let set = r.headers()["set-cookie"].to_str().unwrap();
            assert_eq!(set.ends_with("; Secure"), secure, "{what}: {set}");
        }
    }
}

#[tokio::test]
async fn a_form_sent_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let path = app.url(&format!("/customers/{}/delete", c["id"]));
    let r = b
        .post(&path)
        .header("sec-fetch-site", "cross-site")
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = b
        .post(&path)
        .header("origin", "http://evil.example")
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The customer is still there; from the same site the delete goes through.
    let r = b
        .post(&path)
        .header("sec-fetch-site", "same-origin")
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn a_form_without_its_version_cannot_overwrite() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let r = b
        .post(app.url(&format!("/customers/{}/edit", c["id"])))
        .form(&[("name", "Blind"), ("country", "FR")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let now: serde_json::Value = app
        .get_json(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .await;
    assert_eq!(now["name"], "Acme");
}

#[tokio::test]
async fn an_unknown_page_is_a_page_in_the_reader_language() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .get(app.url("/nowhere"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("Introuvable"));
    // A form's address opened as a page says what it is.
    let r = app
        .client
        .get(app.url("/selection/grid"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let page = r.text().await.unwrap();
    assert!(page.contains("Pas une page"), "{page}");
    assert!(page.contains("reçoit un formulaire"), "{page}");
    // A form whose body cannot be read is said to be so, at an address
    // that exists; an address whose id cannot be read leads nowhere.
    let b = app.browser("admin@test.example").await;
    let r = b
        .post(app.url("/imports"))
        .header("accept-language", "fr")
        .form(&[("kind", "customers")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Le formulaire envoyé est illisible"),
        "{page}"
    );
    let r = b
        .post(app.url("/customers/abc/delete"))
        .header("accept-language", "fr")
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("ne mène à aucune page"));
}

#[tokio::test]
async fn repeated_failed_sign_ins_pause_that_address() {
    let app = TestApp::spawn().await;
    for k in 0..5 {
        // Without trusted proxies, what a client writes in X-Forwarded-For
        // is ignored: a guesser cannot pass for a new address at each try.
        let r = app
            .client
            .post(app.url("/login"))
            .header("x-forwarded-for", format!("203.0.113.{k}"))
            .form(&[("email", "admin@test.example"), ("password", "guess-guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // Even the right password waits now, and the page says why.
    let r = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("email", "admin@test.example"),
            ("password", helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Too many failed sign-ins"));
    // From another address, the person still signs in: a stranger's wrong
    // passwords do not lock them out.
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = elsewhere
        .post(app.url("/login"))
        .form(&[
            ("email", "admin@test.example"),
            ("password", helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn the_segmentation_page_previews_saves_and_names_bad_settings() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        app.create_customer(
            json!({"name": format!("Client {i}"), "country": "FR", "tier": "gold", "wallet_cents": 1000 * (i + 1)}),
        )
        .await;
    }
    let b = app.browser("admin@test.example").await;
    let r = b
        .post(app.url("/segmentations"))
        .form(&[("name", ""), ("scope_kind", "company"), ("scope_value", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"name-error\""));
    let r = b
        .post(app.url("/segmentations"))
        .form(&[
            ("name", "Toute la société"),
            ("scope_kind", "company"),
            ("scope_value", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let page = text(&b, app.url(&loc)).await;
    assert!(page.contains("id=\"matrix\""), "{page}");
    assert!(page.contains("5 customers"), "{page}");
    // The list of segmentations sorts and filters in the page.
    let list = text(&b, app.url("/segmentations")).await;
    assert!(
        list.contains("<table id=\"segmentations\" data-sortable data-filter=")
            && list.contains("<th data-sort>"),
        "{list}"
    );

    // The preview answers the results area only, for the settings typed.
    let mut form: Vec<(String, String)> = vec![
        ("name".into(), "Toute la société".into()),
        ("scope_kind".into(), "company".into()),
        ("abc_measure".into(), "revenue".into()),
        ("abc_a".into(), "80".into()),
        ("abc_b".into(), "95".into()),
        ("att_1".into(), "0.4".into()),
        ("att_2".into(), "0.6".into()),
        ("pos_1".into(), "0.4".into()),
        ("pos_2".into(), "0.6".into()),
        ("wallet_weight".into(), "50".into()),
        ("wallet_axis".into(), "attractiveness".into()),
        ("competitive_position_weight".into(), "50".into()),
        ("competitive_position_axis".into(), "position".into()),
        ("gold".into(), "A".into()),
        ("version".into(), "1".into()),
    ];
    let frag = b
        .post(app.url(&format!("{loc}/preview")))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(frag.starts_with("<div id=\"results\""), "{frag}");
    assert!(!frag.contains("<html"), "a fragment, not a page");
    // Every customer who would move, as CSV: as many as the results count.
    let moved: usize = {
        let from = frag.find("id=\"movers-count\"").unwrap();
        let para = &frag[from..from + frag[from..].find("</p>").unwrap()];
        let digits: String = para
            .rsplit("— ")
            .next()
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap_or_else(|_| panic!("{para}"))
    };
    let r = b
        .post(app.url(&format!("{loc}/movers.csv")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "customer_id,name,from_tier,to_tier,from_class,to_class,from_cell,to_cell"
    );
    assert!(moved > 0, "some would move: {frag}");
    assert_eq!(lines.len(), moved + 1, "{csv}");
    // Settings that cannot be read: the page again, the message beside.
    let mut bad = form.clone();
    bad.retain(|(k, _)| k != "abc_a");
    bad.push(("abc_a".into(), "x".into()));
    let r = b
        .post(app.url(&format!("{loc}/movers.csv")))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"abc_a-error\""));

    // A bad value: the message is beside the field and the input is kept.
    form.push(("abc_b".into(), "x".into()));
    form.retain(|(k, v)| k != "abc_b" || v == "x");
    let r = b.post(app.url(&loc)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"abc_b-error\""), "{page}");
    assert!(page.contains("value=\"x\""), "the input is kept");

    form.retain(|(k, _)| k != "abc_b");
    form.push(("abc_b".into(), "90".into()));
    let r = b.post(app.url(&loc)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let saved = app.store.segmentation(id).await.unwrap();
    let cfg: serde_json::Value = serde_json::from_str(&saved.config).unwrap();
    assert_eq!(cfg["abc_cutoffs"], json!([80.0, 90.0]));
    assert_eq!(cfg["criteria"].as_array().unwrap().len(), 2);

    // Applying asks first, then stores a snapshot.
    let confirm = text(&b, app.url(&format!("{loc}/apply"))).await;
    assert!(confirm.contains("id=\"confirm-apply\""));
    // Confirmed for settings saved again since: asked to look again.
    let r = b
        .post(app.url(&format!("{loc}/apply")))
        .form(&[("version", saved.version - 1)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert!(app.store.snapshots(id).await.unwrap().is_empty());
    let r = b
        .post(app.url(&format!("{loc}/apply")))
        .form(&[("version", saved.version)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.snapshots(id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_selection_page_keeps_the_input_of_a_refused_proposal() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Candidat SA", "country": "FR", "status": "candidate"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let path = format!("/customers/{}/selection", c["id"]);
    let page = text(&b, app.url(&path)).await;
    assert!(page.contains("id=\"propose-form\""), "{page}");
    let r = b
        .post(app.url(&format!("{path}/propose")))
        .form(&[
            ("manager_id", ""),
            ("sponsor_id", ""),
            ("reason", "Strong reference in pharma"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"manager_id-error\""), "{page}");
    assert!(
        page.contains("Strong reference in pharma"),
        "the reason typed is kept"
    );
    let viewer = app
        .store
        .create_user(&clef_store::NewUser {
            email: "v@test.example".into(),
            name: "V".into(),
            role: "viewer".into(),
            password: helpers::PASSWORD.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let v = app.browser(&viewer.email).await;
    let page = v
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("id=\"propose-form\""),
        "a viewer sees no proposal form"
    );
    let r = v
        .post(app.url(&format!("{path}/propose")))
        .form(&[("manager_id", "1"), ("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// A customer with key-account work cannot be deleted, by page or API: the
/// page says what would be lost and offers no button. Without that work,
/// the page says which subsidiaries lose their parent, and the delete goes
/// through.
#[tokio::test]
async fn a_customer_with_key_account_work_is_not_deleted() {
    let app = TestApp::spawn().await;
    let parent = app
        .create_customer(json!({"name": "Acme Holding", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let child = app
        .create_customer(json!({"name": "Acme Lyon", "country": "FR", "parent_id": parent}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{parent}/contacts"),
            &app.admin_token,
        )
        .json(
            &json!({"first_name": "Laure", "last_name": "Vasseur", "email": "laure@acme.example"}),
        )
        .send()
        .await
        .unwrap();
    let laure = helpers::json_of(r, 201).await["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/customers/{parent}/interactions"),
            &app.admin_token,
        )
        .json(&json!({"kind": "meeting", "occurred_on": "2026-01-05", "subject": "Review", "contact_ids": [laure], "user_ids": []}))
        .send()
        .await
        .unwrap();
    let interaction = helpers::json_of(r, 201).await["id"].as_i64().unwrap();

    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customers/{parent}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: serde_json::Value = r.json().await.unwrap();
    assert!(
        p["detail"].as_str().unwrap().contains("1 interaction"),
        "{p}"
    );

    let b = app.browser("admin@test.example").await;
    let page = format!("/customers/{parent}/delete");
    let html = text(&b, app.url(&page)).await;
    assert!(html.contains("id=\"delete-blocked\""), "{html}");
    assert!(html.contains("1 interaction"), "{html}");
    assert!(!html.contains("id=\"confirm-delete\""));
    // Posted anyway (a page left open): refused, and said the same way.
    let r = b
        .post(app.url(&page))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("1 interaction"));
    let r = app.get(&format!("/api/v1/customers/{parent}"), &app.admin_token);
    assert_eq!(r.send().await.unwrap().status(), 200, "still there");

    let r = app
        .client
        .delete(app.url(&format!("/api/v1/interactions/{interaction}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let html = text(&b, app.url(&page)).await;
    assert!(
        html.contains("1 subsidiary will no longer have a parent entity"),
        "{html}"
    );
    assert!(html.contains("id=\"confirm-delete\""));
    let r = b
        .post(app.url(&page))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = format!("/customers?done=deleted&deleted={parent}");
    assert_eq!(r.headers()["location"], back.as_str());
    let html = text(&b, app.url(&back)).await;
    assert!(html.contains("Customer deleted."), "{html}");
    // Its history stays readable, marked deleted, with its deletion.
    let history = format!("/customers/{parent}/history");
    assert!(html.contains(&format!("href=\"{history}\" id=\"deleted-history\"")));
    let html = text_in(&b, app.url(&history), "fr").await;
    assert!(
        html.contains("id=\"deleted-badge\"") && html.contains("supprimé"),
        "{html}"
    );
    assert!(
        html.contains("<h1>Historique — Acme Holding"),
        "named as it was: {html}"
    );
    // Each moment is given to the page's script, which writes it in the
    // reader's time zone.
    assert!(
        html.contains("<time class=\"local-time\" datetime=\"20"),
        "{html}"
    );
    assert!(
        html.contains("Suppression") || html.contains("supprim"),
        "{html}"
    );
    let csv = text(&b, app.url(&format!("{history}.csv"))).await;
    assert!(
        csv.lines()
            .any(|l| l.contains(",customer,") && l.contains(",delete,")),
        "{csv}"
    );
    // A customer that never was: not found.
    let r = b
        .get(app.url("/customers/999999/history"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let c = app
        .get_json(
            &format!("/api/v1/customers/{}", child["id"]),
            &app.admin_token,
        )
        .await;
    assert!(c["parent_id"].is_null(), "{c}");
}

/// The list of a group's customers holds them only; a page past the end
/// leads back to the last one; a filter that cannot be read is said beside
/// it, in the reader's words, and no list pretends to be filtered by it.
#[tokio::test]
async fn group_lists_pages_past_the_end_and_bad_filters() {
    let app = TestApp::spawn().await;
    let g = app
        .store
        .create_group(None, "Altea", "national", Some("FR"))
        .await
        .unwrap();
    app.create_customer(json!({"name": "Altea Lyon", "country": "FR", "group_id": g.id}))
        .await;
    // Named like the group, but not in it.
    let outside = app
        .create_customer(json!({"name": "Altea SA", "country": "FR"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let get = |path: String| {
        let b = b.clone();
        let url = app.url(&path);
        async move {
            let r = b
                .get(url)
                .header("accept-language", "en")
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let member = app
        .get_json("/api/v1/customers?q=altea%20lyon", &app.admin_token)
        .await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (_, page) = get(format!("/customers/{member}")).await;
    assert!(
        page.contains(&format!("href=\"/customers?group_id={}\"", g.id)),
        "{page}"
    );
    let (status, list) = get(format!("/customers?group_id={}", g.id)).await;
    assert_eq!(status, 200);
    assert!(list.contains("Customers of the group Altea"), "{list}");
    assert!(list.contains("Altea Lyon"));
    assert!(
        !list.contains(&format!("/customers/{}\"", outside["id"])),
        "{list}"
    );

    // A word inside the name, when no name starts with the search.
    let (_, list) = get("/customers?q=lyon".into()).await;
    assert!(list.contains("id=\"within-words\""), "{list}");
    assert!(list.contains("Altea Lyon"), "{list}");

    let (_, list) = get("/customers?page=99".into()).await;
    assert!(list.contains("id=\"past-the-end\""), "{list}");
    assert!(list.contains("page=1\""), "a link to the last page: {list}");

    let (status, list) = get("/customers?country=zzz&owner_id=x".into()).await;
    assert_eq!(status, 422);
    assert!(list.contains("id=\"country-error\""), "{list}");
    assert!(
        list.contains("aria-describedby=\"owner_id-error\""),
        "{list}"
    );
    assert!(
        !list.contains("owner_id must"),
        "no API wording on a page: {list}"
    );
    assert!(
        !list.contains("id=\"customers\""),
        "no list that looks filtered: {list}"
    );
}

/// Every subsidiary of a parent can be reached: the customer page leads to
/// the portfolio list limited to them, which the API and the CSV export
/// filter the same way.
#[tokio::test]
async fn a_parents_subsidiaries_are_listed_in_the_portfolio() {
    let app = TestApp::spawn().await;
    let parent = app
        .create_customer(json!({"name": "Holding Vega", "country": "FR"}))
        .await;
    let pid = parent["id"].as_i64().unwrap();
    for name in ["Vega Lille", "Vega Nantes"] {
        app.create_customer(json!({"name": name, "country": "FR", "parent_id": pid}))
            .await;
    }
    // Named like them, but no subsidiary.
    app.create_customer(json!({"name": "Vega Outside", "country": "FR"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let page = text_in(&b, app.url(&format!("/customers/{pid}")), "fr").await;
    assert!(
        page.contains(&format!(
            "id=\"children-all\" href=\"/customers?parent_id={pid}\""
        )),
        "{page}"
    );
    let list = text_in(&b, app.url(&format!("/customers?parent_id={pid}")), "fr").await;
    assert!(list.contains("Filiales de Holding Vega"), "{list}");
    assert!(
        list.contains("Vega Lille") && list.contains("Vega Nantes"),
        "{list}"
    );
    assert!(!list.contains("Vega Outside"), "{list}");
    assert!(list.contains("2 clients"), "{list}");
    // The export and the API list the same two.
    let csv = text_in(
        &b,
        app.url(&format!("/customers.csv?parent_id={pid}")),
        "fr",
    )
    .await;
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");
    assert!(!csv.contains("Vega Outside"), "{csv}");
    let api = app
        .get_json(
            &format!("/api/v1/customers?parent_id={pid}&sort=-name"),
            &app.admin_token,
        )
        .await;
    let names: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Vega Nantes", "Vega Lille"], "{api}");
    // A parent that does not exist is said, with the way back to all.
    let list = text_in(&b, app.url("/customers?parent_id=999999"), "en").await;
    assert!(
        list.contains("Subsidiaries of a customer that does not exist"),
        "{list}"
    );
    assert!(list.contains("id=\"parent-filter\""), "{list}");
    // The page's own style and script carry their version in their address.
    let script = list
        .split("src=\"")
        .find_map(|s| s.strip_prefix("/assets/clef.js?v="))
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("{list}"));
    let r = b
        .get(app.url(&format!("/assets/clef.js?v={script}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("data-sortable"));
    assert!(
        list.contains(&format!("/assets/clef.css?v={script}")),
        "{list}"
    );
    // A parent that cannot be read is said beside the filter.
    let r = b
        .get(app.url("/customers?parent_id=abc"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let list = r.text().await.unwrap();
    assert!(
        list.contains("<li>Entité mère") && list.contains("Saisissez un nombre entier"),
        "{list}"
    );
}

/// Only those who may own customers are offered, and accepted, as owners;
/// the statuses set by the selection page are not offered in the form.
#[tokio::test]
async fn a_viewer_cannot_own_a_customer() {
    let app = TestApp::spawn().await;
    let (viewer, _) = app.user_token("viewer@test.example", "viewer").await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let r = app
        .post("/api/v1/customers", &app.admin_token)
        .json(&json!({"name": "Acme", "country": "FR", "owner_id": viewer}))
        .send()
        .await
        .unwrap();
    let p = helpers::problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "cannot-own", "{p}");
    app.create_customer(json!({"name": "Acme", "country": "FR", "owner_id": kam}))
        .await;
    let b = app.browser("admin@test.example").await;
    let html = text(&b, app.url("/customers/new")).await;
    assert!(html.contains(&format!("<option value=\"{kam}\"")), "{html}");
    assert!(
        !html.contains(&format!("<option value=\"{viewer}\"")),
        "{html}"
    );
    assert!(!html.contains("value=\"key_account\""), "{html}");
    assert!(html.contains("value=\"candidate\""), "{html}");
    // Nor does the form take it from a KAM: the selection decides.
    let k = app.browser("kam@test.example").await;
    let kam_id = kam.to_string();
    let r = k
        .post(app.url("/customers/new"))
        .header("accept-language", "fr")
        .form(&[
            ("name", "Promu SA"),
            ("country", "FR"),
            ("currency", "EUR"),
            ("owner_id", kam_id.as_str()),
            ("status", "key_account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"status-error\""), "{page}");
    assert!(page.contains("Passez par la page de sélection"), "{page}");
    assert!(page.contains("value=\"Promu SA\""), "{page}");
    // A viewer's form is refused as the page is: their role creates no
    // customer, whoever they name as its owner; nothing is created.
    let v = app.browser("viewer@test.example").await;
    let viewer_id = viewer.to_string();
    for owner in ["", viewer_id.as_str()] {
        let r = v
            .post(app.url("/customers/new"))
            .form(&[("name", "Vue SA"), ("country", "FR"), ("owner_id", owner)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let page = r.text().await.unwrap();
        assert!(page.contains("Your role does not allow this."), "{page}");
        assert!(!page.contains("id=\"owner_id\""), "no form: {page}");
    }
    let found = app
        .get_json("/api/v1/customers?q=Vue", &app.admin_token)
        .await;
    assert_eq!(found["total"], 0, "{found}");
    // An import refuses a viewer as a new customer's owner.
    let header = "id,name,legal_id,group,parent_id,country,region,city,business_unit,industry,strategic_segment,owner_email,status,tier,currency,wallet,threat,competitive_position,satisfaction,notes";
    let import = |body: String| {
        app.post("/api/v1/imports/customers", &app.admin_token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let r = import(format!(
        "{header}\n,Beta,,,,FR,,,,,,viewer@test.example,,,,,,,,\n"
    ))
    .await
    .unwrap();
    let p = helpers::problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["code"], "cannot-own", "{p}");
    // An owner that can no longer own (made a viewer) stays while it is
    // kept: the customer can still be saved, and imported back.
    let beta = app
        .create_customer(json!({"name": "Beta", "country": "FR", "owner_id": kam}))
        .await;
    let u = app
        .get_json(&format!("/api/v1/users/{kam}"), &app.admin_token)
        .await;
    let r = app
        .put(&format!("/api/v1/users/{kam}"), &app.admin_token)
        .json(&json!({"name": u["name"], "role": "viewer", "version": u["version"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .put(&format!("/api/v1/customers/{}", beta["id"]), &app.admin_token)
        .json(&json!({"name": "Beta", "country": "FR", "owner_id": kam, "notes": "kept", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = import(format!(
        "{header}\n{},Beta,,,,FR,,,,,,kam@test.example,,,,,,,,\n",
        beta["id"]
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // But another customer cannot be given to them by a file.
    let gamma = app
        .create_customer(json!({"name": "Gamma", "country": "FR"}))
        .await;
    let r = import(format!(
        "{header}\n{},Gamma,,,,FR,,,,,,kam@test.example,,,,,,,,\n",
        gamma["id"]
    ))
    .await
    .unwrap();
    let p = helpers::problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["code"], "cannot-own", "{p}");
}

/// Amounts are written in the reader's way in forms, and read back as the
/// pages show them (a copied `63 800,50 €`).
#[tokio::test]
async fn amounts_in_forms_read_as_the_reader_writes_them() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR", "wallet_cents": 6_380_050}))
        .await;
    let b = app.browser("admin@test.example").await;
    let path = app.url(&format!("/customers/{}/edit", c["id"]));
    let html = text_in(&b, &path, "fr").await;
    assert!(html.contains("value=\"63800,50\""), "{html}");
    let r = b
        .post(&path)
        .form(&[
            ("name", "Acme"),
            ("country", "FR"),
            ("currency", "EUR"),
            ("status", "customer"),
            ("tier", "bronze"),
            ("wallet", "71 200,25 €"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("/customers/{}?done=saved", c["id"]));
    let page = text_in(&b, app.url(&back), "fr").await;
    assert!(page.contains("Modifications enregistrées."), "{page}");
    let now = app
        .get_json(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .await;
    assert_eq!(now["wallet_cents"], 7_120_025);
}

/// A customer's contacts export as CSV, in the contacts' import format.
#[tokio::test]
async fn a_customers_contacts_export_as_csv() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/contacts", c["id"]),
            &app.admin_token,
        )
        .json(
            &json!({"first_name": "Laure", "last_name": "=Vasseur", "email": "laure@acme.example"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url(&format!("/customers/{}", c["id"]))).await;
    assert!(page.contains(&format!("href=\"/customers/{}/contacts.csv\"", c["id"])));
    let csv = text(&b, app.url(&format!("/customers/{}/contacts.csv", c["id"]))).await;
    let csv = csv.strip_prefix('\u{feff}').unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,customer_id,first_name,last_name,email,phone,job_title,notes"
    );
    assert!(
        lines[1].contains(",Laure,'=Vasseur,laure@acme.example,"),
        "{csv}"
    );
    // Its monthly revenue too, in the import format: it imports back.
    let bu: serde_json::Value = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "PACK", "name": "Packaging"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = (1..=2)
        .map(|m| json!({"customer_id": c["id"], "business_unit_id": bu["id"], "period": format!("2025-{m:02}"), "revenue_cents": 100_050, "margin_cents": 25_000}))
        .collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = text(&b, app.url(&format!("/customers/{}", c["id"]))).await;
    assert!(page.contains(&format!("href=\"/customers/{}/revenue.csv\"", c["id"])));
    let csv = text(&b, app.url(&format!("/customers/{}/revenue.csv", c["id"]))).await;
    let csv = csv.strip_prefix('\u{feff}').unwrap().to_owned();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "customer_id,business_unit,period,revenue,margin,currency",
            &format!("{},PACK,2025-01,1000.50,250.00,EUR", c["id"]),
            &format!("{},PACK,2025-02,1000.50,250.00,EUR", c["id"]),
        ]
    );
    let r = app
        .post("/api/v1/imports/revenue", &app.admin_token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// The parent field offers customers by name as the user types (each by
/// its number, with its name and place as the label), finds one by its
/// number, and the form names the parent it holds.
#[tokio::test]
async fn the_parent_field_offers_customers_by_name() {
    let app = TestApp::spawn().await;
    let holding = app
        .create_customer(json!({"name": "Holding <Nord>", "country": "FR", "city": "Lille"}))
        .await;
    app.create_customer(json!({"name": "Holz AG", "country": "DE"}))
        .await;
    app.create_customer(json!({"name": "Alpha", "country": "FR"}))
        .await;
    let child = app
        .create_customer(json!({"name": "Filiale", "country": "FR", "parent_id": holding["id"]}))
        .await;
    let b = app.browser("admin@test.example").await;
    let options = text(&b, app.url("/customers/choices?parent_id=ho")).await;
    let hid = holding["id"].as_i64().unwrap();
    assert!(
        options.starts_with(&format!(
            "<option value=\"{hid}\" label=\"Holding &#60;Nord&#62; (Lille, FR)\">"
        )),
        "{options}"
    );
    assert!(
        options.contains("Holz AG (DE)") && !options.contains("Alpha"),
        "{options}"
    );
    let by_number = text(&b, app.url(&format!("/customers/choices?parent_id={hid}"))).await;
    assert_eq!(by_number.matches("<option").count(), 1, "{by_number}");
    // The line under the field names the customer the number gives.
    assert!(
        by_number.contains(
            "id=\"parent-name\" hx-swap-oob=\"true\">Holding &#60;Nord&#62; (Lille, FR)</p>"
        ),
        "{by_number}"
    );
    let none = text(&b, app.url("/customers/choices?parent_id=zz")).await;
    assert!(!none.contains("<option"), "{none}");
    assert!(none.contains("hx-swap-oob=\"true\">Type a name"), "{none}");
    // The groups, the same way (the field takes a number past 500 groups).
    for name in ["Nordic Holding", "Northwind", "Alpine"] {
        let r = app
            .post("/api/v1/customer-groups", &app.admin_token)
            .json(&json!({"name": name, "scope": "national"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let groups = text(&b, app.url("/groups/choices?group_id=nor")).await;
    let labels: Vec<&str> = groups
        .split("label=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next())
        .collect();
    assert_eq!(labels, ["Nordic Holding", "Northwind"], "{groups}");
    let form = text(&b, app.url(&format!("/customers/{}/edit", child["id"]))).await;
    assert!(
        form.contains("id=\"parent-name\">Holding &#60;Nord&#62; (Lille, FR)<"),
        "{form}"
    );
}

/// A customer's history shows 200 changes a page, newest first, with a
/// link to the older ones and back to the newest.
#[tokio::test]
async fn the_history_pages_to_older_changes() {
    let app = TestApp::spawn().await;
    let c = app
        .create_customer(json!({"name": "Busy SA", "country": "FR"}))
        .await;
    let id = c["id"].as_i64().unwrap();
    for k in 0..201 {
        let r = app
            .post(
                &format!("/api/v1/customers/{id}/contacts"),
                &app.admin_token,
            )
            .json(&json!({"first_name": "Person", "last_name": format!("N{k:03}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let b = app.browser("admin@test.example").await;
    let rows = |html: &str| html.matches("<tr><td><time").count();
    let newest = text(&b, app.url(&format!("/customers/{id}/history"))).await;
    assert_eq!(rows(&newest), 200);
    assert!(
        newest.contains("N200") && !newest.contains("N000<"),
        "newest first"
    );
    assert!(!newest.contains("id=\"newest-changes\""));
    let from = newest
        .find("id=\"older-changes\"")
        .unwrap_or_else(|| panic!("{newest}"));
    let link = &newest[newest[..from].rfind("href=\"").unwrap() + 6..from];
    let link = &link[..link.find('"').unwrap()];
    let older = text(&b, app.url(link)).await;
    assert_eq!(rows(&older), 2, "{older}");
    assert!(
        older.contains("N000") && older.contains("Busy SA"),
        "{older}"
    );
    assert!(older.contains("id=\"newest-changes\"") && !older.contains("id=\"older-changes\""));

    // Limited to one kind of record, the pages keep the filter.
    let contacts = text(
        &b,
        app.url(&format!("/customers/{id}/history?record=contact")),
    )
    .await;
    assert_eq!(rows(&contacts), 200);
    assert!(
        contacts.contains(&format!(
            "href=\"/customers/{id}/history?record=contact&#38;before="
        )),
        "{contacts}"
    );
    let link = {
        let from = contacts.find("id=\"older-changes\"").unwrap();
        let link = &contacts[contacts[..from].rfind("href=\"").unwrap() + 6..from];
        link[..link.find('"').unwrap()].replace("&#38;", "&")
    };
    let older = text(&b, app.url(&link)).await;
    assert_eq!(rows(&older), 1, "the first contact only: {older}");
    let customer = text(
        &b,
        app.url(&format!("/customers/{id}/history?record=customer")),
    )
    .await;
    assert_eq!(rows(&customer), 1, "its creation: {customer}");
    let csv = text(
        &b,
        app.url(&format!("/customers/{id}/history.csv?record=customer")),
    )
    .await;
    assert_eq!(csv.lines().count(), 2, "a header and its creation: {csv}");
    // No change by someone who made none.
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let none = text(&b, app.url(&format!("/customers/{id}/history?who={kam}"))).await;
    assert!(none.contains("id=\"history-none\""), "{none}");
    assert!(none.contains("No change matches these filters"), "{none}");
    // An unknown kind lists everything.
    let all = text(&b, app.url(&format!("/customers/{id}/history?record=zzz"))).await;
    assert_eq!(rows(&all), 200);
    // The API reads it the same way, and says when a kind is unknown.
    let path = format!("/api/v1/customers/{id}/history?record=contact");
    let page = app.get_json(&path, &app.admin_token).await;
    let page = page.as_array().unwrap();
    assert_eq!(page.len(), 200);
    let last = page[199]["id"].as_i64().unwrap();
    let older = app
        .get_json(&format!("{path}&before={last}"), &app.admin_token)
        .await;
    assert_eq!(older.as_array().map(Vec::len), Some(1), "{older}");
    assert_eq!(older[0]["label"], "Person N000", "{older}");
    let r = app
        .get(
            &format!("/api/v1/customers/{id}/history?record=zzz"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap();
    let p = helpers::problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "record", "{p}");
}

/// A new parent company reads by its name in the history.
#[tokio::test]
async fn the_history_names_the_parent_company() {
    let app = TestApp::spawn().await;
    let parent = app
        .create_customer(json!({"name": "Holding Roche", "country": "FR"}))
        .await;
    let c = app
        .create_customer(json!({"name": "Tannerie Roche", "country": "FR"}))
        .await;
    let r = app
        .put(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .json(&json!({"name": "Tannerie Roche", "country": "FR", "parent_id": parent["id"], "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url(&format!("/customers/{}/history", c["id"]))).await;
    assert!(page.contains("— → Holding Roche"), "{page}");
}

/// An empty portfolio says so, and how to fill it; a search that finds
/// nothing says that instead.
#[tokio::test]
async fn an_empty_portfolio_says_how_to_fill_it() {
    let app = TestApp::spawn().await;
    let b = app.browser("admin@test.example").await;
    let page = text_in(&b, app.url("/customers"), "fr").await;
    assert!(
        page.contains("Le portefeuille n’a encore aucun client."),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/imports\">Importer un fichier CSV</a>"),
        "{page}"
    );
    let page = text_in(&b, app.url("/customers?q=zz"), "fr").await;
    assert!(!page.contains("n’a encore aucun client"), "{page}");
    assert!(
        page.contains("Aucun client ne correspond à ces filtres."),
        "{page}"
    );
    let page = text_in(&b, app.url("/groups"), "fr").await;
    assert!(
        page.contains("Aucun groupe de clients pour l’instant."),
        "{page}"
    );
}

/// The candidate grid's form sends the weights it showed: one changed by
/// another director meanwhile is not put back.
#[tokio::test]
async fn a_stale_grid_form_does_not_undo_another_change() {
    let app = TestApp::spawn().await;
    let criteria = || async {
        app.get_json("/api/v1/selection/criteria", &app.admin_token)
            .await
            .as_array()
            .unwrap()
            .clone()
    };
    // The form as the page sends it for `grid`, its first weight set to `w0`.
    let form = |grid: &[serde_json::Value], w0: i64| {
        let mut f = Vec::new();
        for (k, c) in grid.iter().enumerate() {
            let id = c["id"].as_i64().unwrap();
            let w = c["weight"].as_i64().unwrap();
            let active = if c["active"] == true { "1" } else { "0" };
            f.push((
                format!("weight_{id}"),
                if k == 0 { w0 } else { w }.to_string(),
            ));
            if active == "1" {
                f.push((format!("active_{id}"), "1".to_owned()));
            }
            f.push((format!("was_weight_{id}"), w.to_string()));
            f.push((format!("was_active_{id}"), active.to_owned()));
        }
        f
    };
    let shown = criteria().await;
    let was = shown[0]["weight"].as_i64().unwrap();
    let b = app.browser("admin@test.example").await;
    // Another director changes a weight after the page was shown.
    let mut others: Vec<serde_json::Value> = shown
        .iter()
        .map(|c| json!({"id": c["id"], "weight": c["weight"], "active": c["active"]}))
        .collect();
    others[1]["weight"] = json!(others[1]["weight"].as_i64().unwrap() + 1);
    let r = app
        .put("/api/v1/selection/criteria", &app.admin_token)
        .json(&json!({"criteria": others}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let post = |f: Vec<(String, String)>| b.post(app.url("/selection/grid")).form(&f).send();
    // A bad weight first: the page shown again still knows what the grid
    // was when first shown.
    let r = post(form(&shown, -5)).await.unwrap();
    assert_eq!(r.status(), 422);
    let again = r.text().await.unwrap();
    let second = shown[1]["id"].as_i64().unwrap();
    assert!(
        again.contains(&format!(
            "name=\"was_weight_{second}\" value=\"{}\"",
            shown[1]["weight"]
        )),
        "{again}"
    );
    assert_eq!(post(form(&shown, was + 1)).await.unwrap().status(), 409);
    let now = criteria().await;
    assert_eq!(now[0]["weight"], was, "nothing written");
    assert_eq!(now[1]["weight"], others[1]["weight"]);
    // Shown again, it saves.
    assert_eq!(post(form(&now, was + 1)).await.unwrap().status(), 303);
    assert_eq!(criteria().await[0]["weight"], was + 1);
}

/// A contact form sent with its names empty comes back with the problems
/// counted at the top (where the focus goes) and each beside its field,
/// the rest of what was typed kept.
#[tokio::test]
async fn a_contact_form_with_problems_says_so_at_the_top() {
    let app = TestApp::spawn().await;
    let id = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let b = app.browser("admin@test.example").await;
    let r = b
        .post(app.url(&format!("/customers/{id}/contacts/new")))
        .form(&[
            ("first_name", ""),
            ("last_name", ""),
            ("job_title", "Buyer"),
            ("version", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"form-errors\""), "{page}");
    assert!(page.contains("2 fields need your attention."), "{page}");
    assert!(page.contains("id=\"first_name-error\"") && page.contains("id=\"last_name-error\""));
    assert!(page.contains("value=\"Buyer\""), "{page}");
}

/// A customer whose legal id another customer has already says so on its
/// page, with a link to the other: the same company entered twice, most
/// likely. Saving it stays possible.
#[tokio::test]
async fn a_customer_page_names_the_others_with_its_legal_id() {
    let app = TestApp::spawn().await;
    let first = app
        .create_customer(
            json!({"name": "Verrerie Dumas", "country": "FR", "legal_id": "552100554"}),
        )
        .await;
    let twin = app
        .create_customer(
            json!({"name": "Dumas Verrerie", "country": "FR", "legal_id": "552100554"}),
        )
        .await;
    let other = app
        .create_customer(json!({"name": "Cristallerie", "country": "FR", "legal_id": "775672272"}))
        .await;
    let b = app.browser("admin@test.example").await;
    let page = text(&b, app.url(&format!("/customers/{}", first["id"]))).await;
    let alert = page
        .split("id=\"same-legal-id\">")
        .nth(1)
        .and_then(|a| a.split("</p>").next())
        .unwrap_or_else(|| panic!("{page}"));
    assert!(alert.contains("the same company entered twice"), "{alert}");
    assert!(
        alert.contains(&format!(
            "<a href=\"/customers/{}\">Dumas Verrerie</a>",
            twin["id"]
        )),
        "{alert}"
    );
    assert!(!alert.contains("Verrerie Dumas"), "not itself: {alert}");
    let page = text(&b, app.url(&format!("/customers/{}", other["id"]))).await;
    assert!(!page.contains("id=\"same-legal-id\""), "{page}");
}
