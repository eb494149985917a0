//! Users managed by administrators, through the API and the pages, on
//! SQLite (and on PostgreSQL when CLEF_TEST_POSTGRES_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem, text, text_in};
use serde_json::json;

#[tokio::test]
async fn an_administrator_changes_a_user_and_switches_one_off() {
    let app = TestApp::spawn().await;
    let (id, token) = app.user_token("lea@test.example", "account_manager").await;
    let (_, director) = app.user_token("dir@test.example", "director").await;
    let me = app.get_json("/api/v1/users/me", &app.admin_token).await;
    let admin_id = me["id"].as_i64().unwrap();
    let u = app
        .get_json(&format!("/api/v1/users/{id}"), &app.admin_token)
        .await;
    assert_eq!(u["version"], 1);

    let body = json!({"name": "Léa Martin", "role": "kam", "title": "global_account_manager",
                      "locale": "fr", "version": 1});
    // Only administrators manage users.
    let r = app
        .put(&format!("/api/v1/users/{id}"), &director)
        .json(&body)
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let u = json_of(r, 200).await;
    assert_eq!(
        (&u["name"], &u["role"], &u["title"], &u["version"]),
        (
            &json!("Léa Martin"),
            &json!("kam"),
            &json!("global_account_manager"),
            &json!(2)
        )
    );
    // The same change at the version read before is stale.
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&body)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    // So is the largest version a number can hold (no overflow).
    let mut largest = body.clone();
    largest["version"] = json!(i64::MAX);
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&largest)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    // A title needs the kam role; a bad role is named.
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": "Léa", "role": "boss", "title": "global_account_manager", "version": 2}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["field"], "role", "{p}");
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": "Léa", "role": "director", "title": "global_account_manager", "version": 2}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "title-needs-kam", "{p}");

    // A new password works at once; then switched off, the user can
    // neither sign in nor use a token.
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": "Léa Martin", "role": "kam", "password": "new-secret-2026", "version": 2}))
        .send()
        .await
        .unwrap();
    // Given no title, a kam is a key account manager.
    assert_eq!(json_of(r, 200).await["title"], "key_account_manager");
    assert!(
        app.store
            .verify_login("lea@test.example", "new-secret-2026")
            .await
            .unwrap()
            .is_some()
    );
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": "Léa Martin", "role": "kam", "active": false, "version": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["active"], false);
    let r = app.get("/api/v1/users/me", &token).send().await.unwrap();
    problem(r, 401).await;
    // A change that does not say `active` leaves the user switched off.
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": "Léa M.", "role": "kam", "version": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["active"], false);
    assert!(
        app.store
            .verify_login("lea@test.example", "new-secret-2026")
            .await
            .unwrap()
            .is_none()
    );

    // The last active administrator stays one, and cannot switch themself off.
    let admin = app
        .get_json(&format!("/api/v1/users/{admin_id}"), &app.admin_token)
        .await;
    let v = admin["version"].as_i64().unwrap();
    let r = app
        .put(&format!("/api/v1/users/{admin_id}"), &app.admin_token)
        .json(&json!({"name": "Ada Admin", "role": "director", "version": v}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "last-admin", "{p}");
    let r = app
        .put(&format!("/api/v1/users/{admin_id}"), &app.admin_token)
        .json(&json!({"name": "Ada Admin", "role": "admin", "active": false, "version": v}))
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["errors"][0]["code"], "own-account", "{p}");
    // The history says who changed what.
    let h = app.store.history("user", id, 10).await.unwrap();
    assert_eq!(h.len(), 6);
    assert_eq!(h[0].user_id, Some(admin_id));
    assert!(
        !h[1].detail.contains("argon2"),
        "no password hash in the history"
    );
    // Its creation and its first token (here by the test's set-up, no one
    // in particular).
    let first: Vec<(&str, Option<i64>)> = h[4..]
        .iter()
        .map(|e| (e.action.as_str(), e.user_id))
        .collect();
    assert_eq!(first, [("token-create", None), ("create", None)]);
    // A user an administrator adds: the history says who did.
    let r = app
        .post("/api/v1/users", &app.admin_token)
        .json(
            &json!({"email": "new@test.example", "name": "Noé", "role": "member",
                      "password": "a long enough password"}),
        )
        .send()
        .await
        .unwrap();
    let new = json_of(r, 201).await;
    let h = app
        .store
        .history("user", new["id"].as_i64().unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].action.as_str(), h[0].user_id),
        ("create", Some(admin_id))
    );
    assert!(h[0].detail.contains("new@test.example"), "{}", h[0].detail);
    assert!(
        !h[0].detail.contains("argon2"),
        "no password hash in the history"
    );
}

/// Revoking a user's API tokens (`clef user revoke`) stops each of them at
/// once; another user's keep working.
#[tokio::test]
async fn revoked_tokens_are_refused_at_once() {
    let app = TestApp::spawn().await;
    let (id, token) = app.user_token("lea@test.example", "account_manager").await;
    let (_, second) = app.store.create_token(id, "second").await.unwrap();
    let (_, other) = app.user_token("dir@test.example", "director").await;
    for t in [&token, &second, &other] {
        let r = app.get("/api/v1/users/me", t).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    assert_eq!(app.store.revoke_tokens(id).await.unwrap(), 2);
    for t in [&token, &second] {
        let r = app.get("/api/v1/users/me", t).send().await.unwrap();
        problem(r, 401).await;
    }
    let r = app.get("/api/v1/users/me", &other).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The user's history says when tokens were made and revoked.
    let h = app.store.history("user", id, 10).await.unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["tokens-revoke", "token-create", "token-create", "create"]
    );
    assert_eq!(h[0].detail, r#"{"tokens":2}"#);
    assert!(!h[1].detail.contains("clef_"), "no secret in the history");
}

#[tokio::test]
async fn the_users_pages_list_add_and_change_users() {
    let app = TestApp::spawn().await;
    app.user_token("dir@test.example", "director").await;
    let director = app.browser("dir@test.example").await;
    let page = text(&director, app.url("/customers")).await;
    assert!(
        !page.contains("href=\"/users\""),
        "only administrators see the link"
    );
    for path in ["/users", "/users/new", "/users.csv"] {
        let r = director.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }

    let admin = app.browser("admin@test.example").await;
    let page = text_in(&admin, app.url("/customers"), "fr").await;
    assert!(page.contains("<a href=\"/users\">Utilisateurs</a>"));
    // Passwords that differ, and a bad e-mail: both said, nobody created.
    let r = admin
        .post(app.url("/users/new"))
        .header("accept-language", "fr")
        .form(&[
            ("email", "not-an-address"),
            ("name", "Hugo Lambert"),
            ("role", "kam"),
            ("title", "large_account_manager"),
            ("password", "first-secret-1"),
            ("password_again", "other-secret-2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let form = r.text().await.unwrap();
    assert!(form.contains("id=\"email-error\"") && form.contains("id=\"password_again-error\""));
    assert!(form.contains("value=\"Hugo Lambert\""), "the input is kept");
    assert!(
        !form.contains("first-secret-1"),
        "passwords are not sent back"
    );
    assert!(form.contains("Les deux mots de passe diffèrent"));
    assert_eq!(app.store.list_users().await.unwrap().len(), 2);

    let r = admin
        .post(app.url("/users/new"))
        .form(&[
            ("email", "hugo@test.example"),
            ("name", "Hugo Lambert"),
            ("role", "kam"),
            ("title", "large_account_manager"),
            ("locale", "fr"),
            ("password", "first-secret-1"),
            ("password_again", "first-secret-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let hugo = app
        .store
        .user_by_email("hugo@test.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (hugo.role.as_str(), hugo.title.as_deref()),
        ("kam", Some("large_account_manager"))
    );
    assert!(
        app.store
            .verify_login("hugo@test.example", "first-secret-1")
            .await
            .unwrap()
            .is_some()
    );
    let list = text_in(&admin, app.url("/users?done=user-created&q=lamb"), "en").await;
    assert!(list.contains("User created.") && list.contains("Hugo Lambert"));
    assert!(
        !list.contains("<td>Ada Admin</td>"),
        "the search keeps only Hugo"
    );
    let csv = text(&admin, app.url("/users.csv?role=kam")).await;
    assert_eq!(
        csv.trim_start_matches('\u{feff}').lines().count(),
        2,
        "{csv}"
    );

    // Changed and switched off; an edit at an old version is stale.
    let edit = format!("/users/{}/edit", hugo.id);
    let form = text(&admin, app.url(&edit)).await;
    assert!(form.contains("readonly") && form.contains("hugo@test.example"));
    let r = admin
        .post(app.url(&edit))
        .form(&[
            ("name", "Hugo Lambert"),
            ("role", "account_manager"),
            // The title chosen before stays selected on the form: it goes
            // with the kam role.
            ("title", "large_account_manager"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let hugo = app.store.user(hugo.id).await.unwrap();
    assert_eq!(
        (hugo.role.as_str(), hugo.active, hugo.title.as_deref()),
        ("account_manager", false, None)
    );
    let r = admin
        .post(app.url(&edit))
        .form(&[
            ("name", "Hugo"),
            ("role", "kam"),
            ("active", "on"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("id=\"stale-warning\""));
    assert!(
        app.store
            .verify_login("hugo@test.example", "first-secret-1")
            .await
            .unwrap()
            .is_none(),
        "switched off"
    );
    // Nor may a director change a user.
    let r = director
        .post(app.url(&edit))
        .form(&[
            ("name", "Hugo"),
            ("role", "admin"),
            ("active", "on"),
            ("version", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.store.user(hugo.id).await.unwrap().role,
        "account_manager"
    );
}

/// Customer groups and business units: renamed, rescoped, and a group
/// deleted only once it is empty, through the API and the pages.
#[tokio::test]
async fn groups_and_business_units_are_changed_and_empty_groups_deleted() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "Groupe Bertin", "scope": "national", "country": "FR"}))
        .send()
        .await
        .unwrap();
    let g = json_of(r, 201).await;
    let gid = g["id"].as_i64().unwrap();
    app.post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "Other", "scope": "global"}))
        .send()
        .await
        .unwrap();
    let c = app
        .create_customer(json!({"name": "Bertin Lyon", "country": "FR", "group_id": gid}))
        .await;

    // Renamed to another group's name: refused; then renamed and rescoped.
    let r = app
        .put(&format!("/api/v1/customer-groups/{gid}"), &app.admin_token)
        .json(&json!({"name": "other", "scope": "global", "version": 1}))
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    let r = app
        .put(&format!("/api/v1/customer-groups/{gid}"), &app.admin_token)
        .json(&json!({"name": "Bertin Group", "scope": "global", "version": 1}))
        .send()
        .await
        .unwrap();
    let g = json_of(r, 200).await;
    assert_eq!(
        (&g["name"], &g["scope"], &g["version"]),
        (&json!("Bertin Group"), &json!("global"), &json!(2))
    );
    let cust = app
        .get_json(&format!("/api/v1/customers/{}", c["id"]), &app.admin_token)
        .await;
    assert_eq!(cust["group"]["name"], "Bertin Group");
    // Imports and searches know the group by its new name.
    let header = "id,name,legal_id,group,parent_id,country,region,city,business_unit,industry,strategic_segment,owner_email,status,tier,currency,wallet,threat,competitive_position,satisfaction,notes";
    let r = app
        .post("/api/v1/imports/customers", &app.admin_token)
        .header("content-type", "text/csv")
        .body(format!(
            "{header}\n,Bertin Nantes,,bertin group,,FR,,,,,,,,,,,,,,\n"
        ))
        .send()
        .await
        .unwrap();
    json_of(r, 200).await;
    let found = app
        .get_json("/api/v1/customers?q=bertin%20gr", &app.admin_token)
        .await;
    assert_eq!(found["total"], 2, "{found}");
    // A group with a customer is not deleted.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customer-groups/{gid}?version=2")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("2 customer"), "{p}");

    // The pages: the list with sizes, a blocked deletion, an edit.
    let (_, _) = app.user_token("viewer@test.example", "viewer").await;
    let viewer = app.browser("viewer@test.example").await;
    let page = text(&viewer, app.url("/groups")).await;
    assert!(page.contains("Bertin Group") && !page.contains("id=\"new-group\""));
    let r = viewer
        .get(app.url(&format!("/groups/{gid}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let admin = app.browser("admin@test.example").await;
    let page = text_in(&admin, app.url(&format!("/groups/{gid}/delete")), "fr").await;
    assert!(page.contains("2 clients en font encore partie"), "{page}");
    assert!(!page.contains("id=\"confirm-delete\""));
    let r = admin
        .post(app.url(&format!("/groups/{gid}/edit")))
        .form(&[
            ("name", "Other"),
            ("scope", "global"),
            ("country", ""),
            ("version", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let form = r.text().await.unwrap();
    assert!(form.contains("id=\"name-error\"") && form.contains("value=\"Other\""));
    // Once empty, it goes.
    for v in found["items"].as_array().unwrap() {
        let r = app
            .put(&format!("/api/v1/customers/{}", v["id"]), &app.admin_token)
            .json(&json!({"name": v["name"], "country": "FR", "version": v["version"]}))
            .send()
            .await
            .unwrap();
        json_of(r, 200).await;
    }
    let r = admin
        .post(app.url(&format!("/groups/{gid}/delete")))
        .form(&[("version", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = app
        .get(&format!("/api/v1/customer-groups/{gid}"), &app.admin_token)
        .send()
        .await
        .unwrap();
    problem(r, 404).await;

    // A business unit is renamed; its code stays.
    let r = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "pack", "name": "Packaging"}))
        .send()
        .await
        .unwrap();
    let b = json_of(r, 201).await;
    let bid = b["id"].as_i64().unwrap();
    let r = admin
        .post(app.url(&format!("/business-units/{bid}/edit")))
        .form(&[
            ("code", "HACK"),
            ("name", "Packaging & Labels"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let units = app
        .get_json("/api/v1/business-units", &app.admin_token)
        .await;
    assert_eq!(units[0]["code"], "PACK");
    assert_eq!(units[0]["name"], "Packaging & Labels");
    assert_eq!(units[0]["version"], 2);
    let r = app
        .put(&format!("/api/v1/business-units/{bid}"), &app.admin_token)
        .json(&json!({"name": "Old", "version": 1}))
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    let page = text(&admin, app.url("/business-units?done=unit-saved")).await;
    assert!(page.contains("Business unit saved."), "{page}");
    assert!(page.contains("Packaging &#38; Labels"), "{page}");
    // Up to 500 units: the table sorts and filters in the page.
    assert!(
        page.contains("<table id=\"units\" data-sortable data-filter="),
        "{page}"
    );
}

/// A deleted group is listed at the foot of the groups and brought back
/// once, with its name, scope and country, when its name is free.
#[tokio::test]
async fn a_deleted_group_is_restored_once() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "Groupe Bertin", "scope": "national", "country": "FR"}))
        .send()
        .await
        .unwrap();
    let gid = json_of(r, 201).await["id"].as_i64().unwrap();
    let admin = app.browser("admin@test.example").await;
    let page = text(&admin, app.url(&format!("/groups/{gid}/delete"))).await;
    assert!(
        page.contains("restore it at the foot of the groups list"),
        "{page}"
    );
    let r = admin
        .post(app.url(&format!("/groups/{gid}/delete")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/groups?done=group-deleted");
    let page = text_in(&admin, app.url("/groups?done=group-deleted"), "fr").await;
    assert!(page.contains("Vous pouvez le restaurer"), "{page}");
    let foot = &page[page
        .find("id=\"deleted-groups\"")
        .expect("the deleted groups")..];
    assert!(
        foot.contains("<td>Groupe Bertin</td><td>National</td><td>FR</td>"),
        "{foot}"
    );
    // Those who cannot restore do not see them.
    let (_, vt) = app.user_token("viewer@test.example", "viewer").await;
    problem(
        app.get("/api/v1/customer-groups/deleted", &vt)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let viewer = app.browser("viewer@test.example").await;
    assert!(
        !text(&viewer, app.url("/groups"))
            .await
            .contains("deleted-groups")
    );
    let deleted = app
        .get_json("/api/v1/customer-groups/deleted", &app.admin_token)
        .await;
    assert_eq!(deleted.as_array().unwrap().len(), 1, "{deleted}");
    assert_eq!(
        (
            &deleted[0]["name"],
            &deleted[0]["scope"],
            &deleted[0]["country"]
        ),
        (&json!("Groupe Bertin"), &json!("national"), &json!("FR"))
    );
    let entry = deleted[0]["entry"].as_i64().unwrap();
    let restore = |entry: i64| {
        app.post(
            &format!("/api/v1/customer-groups/deleted/{entry}/restore"),
            &app.admin_token,
        )
        .send()
    };
    // Its name is taken meanwhile: refused, with what to do.
    let r = app
        .post("/api/v1/customer-groups", &app.admin_token)
        .json(&json!({"name": "groupe bertin", "scope": "global"}))
        .send()
        .await
        .unwrap();
    let other = json_of(r, 201).await["id"].as_i64().unwrap();
    let p = problem(restore(entry).await.unwrap(), 409).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("rename it, then restore"),
        "{p}"
    );
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customer-groups/{other}?version=1")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // A viewer may not restore; the admin does, from the page.
    let r = viewer
        .post(app.url(&format!("/groups/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = admin
        .post(app.url(&format!("/groups/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = text(&admin, app.url(&back)).await;
    assert!(page.contains("Group restored."), "{page}");
    let groups = app
        .get_json("/api/v1/customer-groups", &app.admin_token)
        .await;
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    assert_eq!(
        (
            &groups[0]["name"],
            &groups[0]["scope"],
            &groups[0]["country"]
        ),
        (&json!("Groupe Bertin"), &json!("national"), &json!("FR"))
    );
    // Once only: the list now holds the other deletion alone.
    let p = problem(restore(entry).await.unwrap(), 409).await;
    assert!(
        p["detail"].as_str().unwrap().contains("restored already"),
        "{p}"
    );
    let deleted = app
        .get_json("/api/v1/customer-groups/deleted", &app.admin_token)
        .await;
    assert_eq!(deleted.as_array().unwrap().len(), 1, "{deleted}");
    assert_eq!(deleted[0]["scope"], "global");
    problem(restore(999_999).await.unwrap(), 404).await;
    // Two restores of the same deletion at once: one brings it back.
    let second = deleted[0]["entry"].as_i64().unwrap();
    // (Its name is free again once the first is renamed.)
    let r = app
        .put(
            &format!("/api/v1/customer-groups/{}", groups[0]["id"]),
            &app.admin_token,
        )
        .json(
            &json!({"name": "Bertin Holding", "scope": "national", "country": "FR", "version": 1}),
        )
        .send()
        .await
        .unwrap();
    json_of(r, 200).await;
    let (a, b) = tokio::join!(restore(second), restore(second));
    let (a, b) = (a.unwrap(), b.unwrap());
    let (lost, won) = if a.status() == 201 { (b, a) } else { (a, b) };
    assert_eq!(won.status(), 201);
    let p = problem(lost, 409).await;
    assert!(
        p["detail"].as_str().unwrap().contains("restored already"),
        "{p}"
    );
}

/// Eight requests create the same group at once: one wins, the others are
/// told the name is taken; none fails.
#[tokio::test]
async fn a_group_created_many_times_at_once_exists_once() {
    let app = TestApp::spawn().await;
    let tries: Vec<_> = (0..8)
        .map(|_| {
            app.post("/api/v1/customer-groups", &app.admin_token)
                .json(&json!({"name": "Groupe Roux", "scope": "national"}))
                .send()
        })
        .collect();
    let mut codes: Vec<u16> = futures_util::future::join_all(tries)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, [201, 409, 409, 409, 409, 409, 409, 409]);
    let groups = app
        .get_json("/api/v1/customer-groups", &app.admin_token)
        .await;
    assert_eq!(groups.as_array().unwrap().len(), 1);
}

/// The groups list comes in pages of 50, sorted by name or by size, and
/// its CSV follows the same order.
#[tokio::test]
async fn the_groups_list_pages_and_sorts() {
    let app = TestApp::spawn().await;
    for k in 1..=60 {
        let r = app
            .post("/api/v1/customer-groups", &app.admin_token)
            .json(&json!({"name": format!("Group {k:02}"), "scope": "national"}))
            .send()
            .await
            .unwrap();
        json_of(r, 201).await;
    }
    // Group 07 gets two customers, group 42 one.
    let groups = app
        .get_json("/api/v1/customer-groups", &app.admin_token)
        .await;
    let id_of = |name: &str| {
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap()["id"]
            .clone()
    };
    for (name, group) in [("A", "Group 07"), ("B", "Group 07"), ("C", "Group 42")] {
        app.create_customer(json!({"name": name, "country": "FR", "group_id": id_of(group)}))
            .await;
    }
    let admin = app.browser("admin@test.example").await;
    let names = |page: &str| -> Vec<String> {
        page.split("<tr data-group=")
            .skip(1)
            .map(|row| {
                let a = &row[row.find("group_id=").unwrap()..];
                let a = &a[a.find('>').unwrap() + 1..];
                a[..a.find('<').unwrap()].to_owned()
            })
            .collect()
    };
    let first = text(&admin, app.url("/groups")).await;
    let rows = names(&first);
    assert_eq!((rows.len(), rows[0].as_str()), (50, "Group 01"), "{first}");
    assert!(first.contains("60 groups"), "{first}");
    assert!(
        first.contains("href=\"/groups?q=&#38;sort=name&#38;page=2\""),
        "{first}"
    );
    let second = text(&admin, app.url("/groups?page=2")).await;
    assert_eq!(names(&second).len(), 10);
    assert_eq!(names(&second)[9], "Group 60");
    let by_size = text(&admin, app.url("/groups?sort=-customers")).await;
    assert_eq!(names(&by_size)[..2], ["Group 07", "Group 42"]);
    assert!(by_size.contains("aria-sort=\"descending\""));
    let reverse = text(&admin, app.url("/groups?sort=-name&page=9")).await;
    assert_eq!(
        names(&reverse).first().map(String::as_str),
        Some("Group 10")
    );
    let csv = text(&admin, app.url("/groups.csv?q=&sort=-customers")).await;
    let second_line = csv.lines().nth(1).unwrap();
    assert!(second_line.contains("Group 07"), "{csv}");
}

/// The business units export as CSV.
#[tokio::test]
async fn business_units_export_as_csv() {
    let app = TestApp::spawn().await;
    let r = app
        .post("/api/v1/business-units", &app.admin_token)
        .json(&json!({"code": "PACK", "name": "Emballages, étiquettes"}))
        .send()
        .await
        .unwrap();
    json_of(r, 201).await;
    let admin = app.browser("admin@test.example").await;
    let page = text(&admin, app.url("/business-units")).await;
    assert!(page.contains("href=\"/business-units.csv\""));
    let csv = text(&admin, app.url("/business-units.csv")).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "id,code,name");
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(",PACK,\"Emballages, étiquettes\"")),
        "{csv}"
    );
}

/// The users list comes in pages of 50 and sorts by name, e-mail or role;
/// its CSV follows the same order.
#[tokio::test]
async fn the_users_list_pages_and_sorts() {
    let app = TestApp::spawn().await;
    for k in 1..=55 {
        app.user_token(
            &format!("u{k:02}@test.example"),
            if k == 7 { "director" } else { "member" },
        )
        .await;
    }
    let admin = app.browser("admin@test.example").await;
    let emails = |page: &str| -> Vec<String> {
        page.split("<tr data-user=")
            .skip(1)
            .map(|row| {
                let a = &row[row.find("</td><td>").unwrap() + 9..];
                a[..a.find('<').unwrap()].to_owned()
            })
            .collect()
    };
    let first = text(&admin, app.url("/users?sort=email")).await;
    let rows = emails(&first);
    assert_eq!(
        (rows.len(), rows[0].as_str()),
        (50, "admin@test.example"),
        "{first}"
    );
    assert!(first.contains("56 users"), "{first}");
    let second = text(&admin, app.url("/users?sort=email&page=2")).await;
    assert_eq!(
        emails(&second),
        [
            "u50@test.example",
            "u51@test.example",
            "u52@test.example",
            "u53@test.example",
            "u54@test.example",
            "u55@test.example"
        ]
    );
    let reverse = text(&admin, app.url("/users?sort=-email")).await;
    assert_eq!(emails(&reverse)[0], "u55@test.example");
    assert!(reverse.contains("aria-sort=\"descending\""));
    let by_role = text(&admin, app.url("/users?sort=role")).await;
    assert_eq!(
        emails(&by_role)[..2],
        ["admin@test.example", "u07@test.example"]
    );
    let csv = text(&admin, app.url("/users.csv?sort=-email")).await;
    assert!(
        csv.lines().nth(1).unwrap().contains("u55@test.example"),
        "{csv}"
    );
}
