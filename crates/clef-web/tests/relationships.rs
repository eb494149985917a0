//! Relationships through the API and the pages: stakeholder profiles, links,
//! interactions and the coverage gaps they close, who sees attitudes, the
//! account team's allocation, sponsorship, the map, and the CSV files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem, today};
use serde_json::{Value, json};

async fn contact(app: &TestApp, customer: i64, first: &str, last: &str, email: &str) -> i64 {
    app.create_contact(
        customer,
        json!({"first_name": first, "last_name": last, "email": email, "job_title": "Director"}),
    )
    .await
}

async fn key_account(app: &TestApp, name: &str, kam: i64) -> i64 {
    let id = app
        .create_customer(json!({"name": name, "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    json_of(
        app.post(
            &format!("/api/v1/customers/{id}/selection/propose"),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam, "reason": "Fit"}))
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
    id
}

async fn map(app: &TestApp, customer: i64, token: &str) -> Value {
    app.get_json(&format!("/api/v1/customers/{customer}/stakeholders"), token)
        .await
}

fn person(m: &Value, id: i64) -> &Value {
    m["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["contact_id"] == id)
        .unwrap()
}

#[tokio::test]
async fn links_and_interactions_close_the_coverage_gaps() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let ceo = contact(&app, c, "Laure", "Vasseur", "laure@acme.example").await;
    let cpo = contact(&app, c, "Marc", "Delorme", "marc@acme.example").await;

    // A decision maker of influence 5 with no strong link, never met.
    let p = json_of(
        app.put(&format!("/api/v1/contacts/{cpo}/stakeholder"), &kt)
            .json(&json!({"version": 0, "buying_role": "decision_maker", "level": "executive", "attitude": "sceptic", "influence": 5, "reports_to_id": ceo}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(p["gaps"], json!(["uncovered_influential", "not_met"]));
    assert_eq!(p["version"], 1);

    // A weak link does not cover them; a strong one does.
    let l = json_of(
        app.post(&format!("/api/v1/customers/{c}/links"), &kt)
            .json(&json!({"contact_id": cpo, "user_id": kam, "owner_id": kam, "strength": 2, "frequency": "monthly"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let m = map(&app, c, &kt).await;
    assert!(
        person(&m, cpo)["gaps"]
            .as_array()
            .unwrap()
            .contains(&json!("uncovered_influential"))
    );
    json_of(
        app.put(&format!("/api/v1/links/{}", l["id"]), &kt)
            .json(&json!({"contact_id": cpo, "user_id": kam, "owner_id": kam, "strength": 4, "frequency": "monthly", "version": 1}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let m = map(&app, c, &kt).await;
    assert_eq!(person(&m, cpo)["gaps"], json!(["not_met"]));
    assert!(m["links"][0]["last_interaction"].is_null());

    // Meeting them makes them met, and refreshes the link.
    let today = today().to_string();
    json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "meeting", "occurred_on": today, "subject": "Review", "contact_ids": [cpo], "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    // A planned meeting (next year) is not a contact yet.
    json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "visit", "occurred_on": "2100-01-10", "subject": "Plant visit", "contact_ids": [ceo], "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let m = map(&app, c, &kt).await;
    assert_eq!(person(&m, cpo)["gaps"], json!([]));
    assert_eq!(person(&m, cpo)["last_contact"], today);
    assert_eq!(m["links"][0]["last_interaction"], today);
    assert!(person(&m, ceo)["last_contact"].is_null());

    // An opponent needs a planned action.
    json_of(
        app.put(&format!("/api/v1/contacts/{ceo}/stakeholder"), &kt)
            .json(&json!({"version": 0, "attitude": "opponent", "influence": 2}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let cov = app
        .get_json(&format!("/api/v1/customers/{c}/coverage"), &kt)
        .await;
    assert_eq!(cov["items"][0]["contact_id"], ceo);
    assert_eq!(
        cov["items"][0]["gaps"],
        json!(["not_met", "opponent_without_action"])
    );
    let r = app
        .put(&format!("/api/v1/contacts/{ceo}/stakeholder"), &kt)
        .json(
            &json!({"version": 0, "attitude": "opponent", "influence": 2, "next_action": "Lunch"}),
        )
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    json_of(
        app.put(&format!("/api/v1/contacts/{ceo}/stakeholder"), &kt)
            .json(&json!({"version": 1, "attitude": "opponent", "influence": 2, "next_action": "Invite her to the plant", "next_action_on": "2100-01-10"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let port = app.get_json("/api/v1/coverage", &kt).await;
    let gaps: Vec<&Value> = port["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["contact_id"] == ceo)
        .collect();
    assert_eq!(gaps[0]["gaps"], json!(["not_met"]));
    // The portfolio's gaps as CSV, the same ones.
    let b = app.browser("kam@test.example").await;
    let csv = helpers::text(&b, app.url("/coverage.csv")).await;
    assert!(
        csv.lines()
            .any(|l| l.contains(&format!(",{ceo},")) && l.contains(",not_met,")),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        port["items"].as_array().unwrap().len() + 1
    );
    // Its headings sort it (the order itself is checked in a unit test).
    let page = helpers::text(&b, app.url("/coverage?sort=-name")).await;
    assert!(page.contains("aria-sort=\"descending\""), "{page}");
    assert!(
        page.contains("href=\"/coverage.csv?q=&#38;gap=&#38;sort=-name\""),
        "{page}"
    );
    // A search by a person's or customer's name, and one kind of gap: the
    // page counts what it keeps, and the CSV holds the same rows.
    let page = helpers::text(&b, app.url("/coverage?q=VASS&gap=not_met")).await;
    assert!(
        page.contains("Laure Vasseur") && !page.contains("Marc Delorme"),
        "{page}"
    );
    let kept = helpers::text(&b, app.url("/coverage.csv?q=VASS&gap=not_met")).await;
    assert_eq!(kept.lines().count(), 2, "{kept}");
    assert!(kept.contains(&format!(",{ceo},")), "{kept}");
    let none = helpers::text(&b, app.url("/coverage?q=VASS&gap=opponent_without_action")).await;
    assert!(none.contains("id=\"no-match\""), "{none}");

    // The map draws the reports-to tree with both people.
    let r = app
        .get(
            &format!("/api/v1/customers/{c}/stakeholders/map.svg?lang=fr"),
            &kt,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let svg = r.text().await.unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("Marc Delorme") && svg.contains("Laure Vasseur")
    );
    assert!(svg.contains("Sceptique"), "attitudes in French for the KAM");
}

/// A contact deleted takes its stakeholder profile along; the account's
/// history keeps both.
#[tokio::test]
async fn a_deleted_contact_keeps_its_profile_in_the_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let a = contact(&app, c, "Ana", "Lopez", "ana@acme.example").await;
    let r = app
        .put(&format!("/api/v1/contacts/{a}/stakeholder"), &kt)
        .json(&json!({"version": 0, "buying_role": "decision_maker", "attitude": "sceptic", "influence": 4, "next_action": "Invite to the plant visit"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{a}")))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let h = app
        .get_json(&format!("/api/v1/customers/{c}/history"), &kt)
        .await;
    let deleted = h
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == "contact" && e["action"] == "delete")
        .unwrap_or_else(|| panic!("{h}"));
    let kept: Vec<(&str, &Value)> = deleted["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap(), &c["before"]))
        .collect();
    for want in [
        ("last_name", json!("Lopez")),
        ("buying_role", json!("decision_maker")),
        ("next_action", json!("Invite to the plant visit")),
    ] {
        assert!(kept.contains(&(want.0, &want.1)), "{want:?} in {kept:?}");
    }
    // Its attitude and influence are for the account team: not in the
    // history, which every reader of the portfolio sees.
    assert!(
        !kept
            .iter()
            .any(|(f, _)| *f == "attitude" || *f == "influence"),
        "{kept:?}"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let other = app
        .create_customer(json!({"name": "Other", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let a = contact(&app, c, "A", "One", "a@acme.example").await;
    let b = contact(&app, c, "B", "Two", "b@acme.example").await;
    let x = contact(&app, other, "X", "Else", "x@other.example").await;
    let put = |id: i64, body: Value| {
        app.put(&format!("/api/v1/contacts/{id}/stakeholder"), &kt)
            .json(&body)
            .send()
    };

    json_of(
        put(b, json!({"version": 0, "reports_to_id": a}))
            .await
            .unwrap(),
        200,
    )
    .await;
    let p = problem(
        put(a, json!({"version": 0, "reports_to_id": b}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "reports_to_id");
    assert_eq!(p["errors"][0]["code"], "reports-to-cycle");
    let p = problem(
        put(a, json!({"version": 0, "reports_to_id": a}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "reports-to-cycle");
    let p = problem(put(a, json!({"reports_to_id": b})).await.unwrap(), 422).await;
    assert_eq!(p["errors"][0]["field"], "version");
    let p = problem(
        put(a, json!({"version": 0, "reports_to_id": x}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "other-customer");
    let p = problem(
        put(
            a,
            json!({"version": 0, "influence": 9, "buying_role": "boss", "next_action_on": "soon"}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);

    let link = |body: Value| {
        app.post(&format!("/api/v1/customers/{c}/links"), &kt)
            .json(&body)
            .send()
    };
    let p = problem(
        link(json!({"contact_id": x, "user_id": kam, "strength": 3}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "contact_id");
    assert_eq!(p["errors"][0]["code"], "other-customer");
    let p = problem(
        link(json!({"contact_id": a, "user_id": kam, "colleague_id": 1, "strength": 3}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "one-of");
    let p = problem(
        link(json!({"contact_id": a, "user_id": kam, "strength": 9, "frequency": "daily"}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    json_of(
        link(json!({"contact_id": a, "user_id": kam, "strength": 3}))
            .await
            .unwrap(),
        201,
    )
    .await;
    problem(
        link(json!({"contact_id": a, "user_id": kam, "strength": 4}))
            .await
            .unwrap(),
        409,
    )
    .await;

    let p = problem(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "lunch", "occurred_on": "2026-02-30", "subject": " ", "contact_ids": []}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["kind", "occurred_on", "subject", "contact_ids"]
    );
    let p = problem(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "call", "occurred_on": "2026-02-03", "subject": "Call", "contact_ids": [a, x]}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "contact_ids[1]");
    assert!(
        app.store.interactions_of(c, 10).await.unwrap().is_empty(),
        "nothing recorded"
    );
}

#[tokio::test]
async fn attitudes_are_for_the_account_team_and_the_team_warns_above_a_whole_person() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (member, mt) = app.user_token("member@test.example", "member").await;
    let (_, vt) = app.user_token("viewer@test.example", "viewer").await;
    let (_, ot) = app.user_token("outsider@test.example", "member").await;
    let c = key_account(&app, "Acme", kam).await;
    let d = key_account(&app, "Bolt", kam).await;
    let a = contact(&app, c, "A", "One", "a@acme.example").await;
    json_of(
        app.put(&format!("/api/v1/contacts/{a}/stakeholder"), &kt)
            .json(&json!({"version": 0, "buying_role": "influencer", "attitude": "opponent", "influence": 5}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;

    // Not on the team: no attitude, no influence, and only "not met".
    for t in [&vt, &ot] {
        let m = map(&app, c, t).await;
        assert_eq!(m["sensitive_visible"], false);
        assert!(person(&m, a)["attitude"].is_null() && person(&m, a)["influence"].is_null());
        assert_eq!(person(&m, a)["gaps"], json!(["not_met"]));
        let r = app
            .get(&format!("/api/v1/customers/{c}/stakeholders.csv"), t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let csv = r.text().await.unwrap();
        assert_eq!(
            csv.lines().count(),
            2,
            "the header and the stakeholder: {csv}"
        );
        assert!(!csv.contains("opponent"), "{csv}");
        let r = app
            .get(
                &format!("/api/v1/customers/{c}/stakeholders/map.svg?lang=en"),
                t,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let svg = r.text().await.unwrap();
        assert!(svg.contains("<svg") && !svg.contains("Opponent ·"), "{svg}");
    }
    let r = app
        .post(&format!("/api/v1/customers/{c}/interactions"), &mt)
        .json(&json!({"kind": "call", "occurred_on": "2026-01-05", "subject": "Call", "contact_ids": [a]}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;

    // On the team: attitudes show and the member records interactions.
    let r = app
        .post(&format!("/api/v1/customers/{c}/team"), &mt)
        .json(&json!({"user_id": member, "function": "quality", "share_pct": 60}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let m1 = json_of(
        app.post(&format!("/api/v1/customers/{c}/team"), &kt)
            .json(&json!({"user_id": member, "function": "quality", "share_pct": 60, "dedicated": false}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(m1["over_allocated"], false);
    let m = map(&app, c, &mt).await;
    assert_eq!(person(&m, a)["attitude"], "opponent");
    assert_eq!(person(&m, a)["influence"], 5);
    json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &mt)
            .json(&json!({"kind": "call", "occurred_on": "2026-01-05", "subject": "Call", "contact_ids": [a], "user_ids": [member]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    // A team member imports profiles, not contact details; columns left
    // out keep their values.
    let csv = |body: String| {
        app.post(&format!("/api/v1/customers/{c}/stakeholders.csv"), &mt)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let p = problem(
        csv(format!(
            "contact_id,first_name,attitude\n{a},Renamed,champion\n"
        ))
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["import"]["errors"][0]["column"], "first_name");
    let p = problem(
        csv("first_name,last_name\nNew,Person\n".into())
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["import"]["errors"][0]["column"], "contact_id");
    json_of(
        csv(format!("contact_id,attitude\n{a},champion\n"))
            .await
            .unwrap(),
        200,
    )
    .await;
    let m = map(&app, c, &mt).await;
    assert_eq!(person(&m, a)["attitude"], "champion");
    assert_eq!(
        person(&m, a)["influence"],
        5,
        "a column left out keeps its value"
    );
    assert_eq!(person(&m, a)["buying_role"], "influencer");
    assert_eq!(person(&m, a)["name"], "A One");

    // The viewer stays out even on the team.
    assert_eq!(map(&app, c, &vt).await["sensitive_visible"], false);

    // 60 % + 50 % is more than a whole person: both lines warn.
    let m2 = json_of(
        app.post(&format!("/api/v1/customers/{d}/team"), &kt)
            .json(&json!({"user_id": member, "function": "engineering", "share_pct": 50}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(m2["total_share_pct"], 110);
    assert_eq!(m2["over_allocated"], true);
    let team = app
        .get_json(&format!("/api/v1/customers/{c}/team"), &vt)
        .await;
    assert_eq!(team[0]["over_allocated"], true);
    let p = problem(
        app.post(&format!("/api/v1/customers/{d}/team"), &kt)
            .json(&json!({"user_id": member, "function": "chef", "share_pct": 150}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    // A member stays the same person.
    let p = problem(
        app.put(&format!("/api/v1/team-members/{}", m2["id"]), &kt)
            .json(&json!({"colleague_id": 1, "function": "engineering", "share_pct": 40, "version": 1}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "colleague_id", "{p}");
    json_of(
        app.put(&format!("/api/v1/team-members/{}", m2["id"]), &kt)
            .json(&json!({"function": "engineering", "share_pct": 40, "version": 1}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let team = app
        .get_json(&format!("/api/v1/customers/{c}/team"), &vt)
        .await;
    assert_eq!(team[0]["total_share_pct"], 100);
    assert_eq!(team[0]["over_allocated"], false);
}

#[tokio::test]
async fn the_sponsorship_plan_warns_and_shows_executive_contacts() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (sponsor, _) = app.user_token("sponsor@test.example", "sponsor").await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let a = key_account(&app, "Acme", kam).await;
    let b = key_account(&app, "Bolt", kam).await;
    let s = app.get_json("/api/v1/sponsorship", &kt).await;
    assert_eq!(s["without_sponsor"], 2);

    problem(
        app.put(&format!("/api/v1/customers/{a}/sponsor"), &kt)
            .json(&json!({"sponsor_id": sponsor}))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let p = problem(
        app.put(&format!("/api/v1/customers/{a}/sponsor"), &dt)
            .json(&json!({"sponsor_id": kam}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "not-a-sponsor");
    for c in [a, b] {
        let r = app
            .put(&format!("/api/v1/customers/{c}/sponsor"), &dt)
            .json(&json!({"sponsor_id": sponsor}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    let p = problem(
        app.put("/api/v1/settings/relationships", &dt)
            .json(&json!({"coverage_days": 0, "sponsor_limit": 1}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "coverage_days");
    json_of(
        app.put("/api/v1/settings/relationships", &dt)
            .json(&json!({"coverage_days": 60, "sponsor_limit": 1}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;

    // The sponsor met Acme's CEO, and will meet her again.
    let ceo = contact(&app, a, "Laure", "Vasseur", "laure@acme.example").await;
    json_of(
        app.put(&format!("/api/v1/contacts/{ceo}/stakeholder"), &kt)
            .json(&json!({"version": 0, "level": "executive"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    for (on, subject) in [
        ("2026-03-02", "Dinner"),
        ("2100-05-06", "Review"),
        ("2100-02-01", "Board"),
    ] {
        json_of(
            app.post(&format!("/api/v1/customers/{a}/interactions"), &kt)
                .json(&json!({"kind": "meeting", "occurred_on": on, "subject": subject, "contact_ids": [ceo], "user_ids": [sponsor]}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    let s = app.get_json("/api/v1/sponsorship", &kt).await;
    assert_eq!(s["without_sponsor"], 0);
    assert_eq!(s["sponsor_limit"], 1);
    let sp = s["sponsors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["user_id"] == sponsor)
        .unwrap();
    assert_eq!(sp["accounts"], 2);
    assert_eq!(sp["over_limit"], true);
    let acme = s["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["customer_id"] == a)
        .unwrap();
    assert_eq!(acme["last_contact"], "2026-03-02");
    assert_eq!(acme["next_contact"], "2100-02-01");

    // The page says both things.
    let br = app.browser("director@test.example").await;
    let html = br
        .get(app.url("/sponsorship"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("sponsors 2 key accounts, more than the limit"),
        "{html}"
    );
    // Printed, each account names its sponsor as text, not in a list.
    assert!(
        html.contains("<span class=\"print-only\">sponsor@test.example</span>"),
        "{html}"
    );
    // The same plan as CSV.
    let csv = helpers::text(&br, app.url("/sponsorship.csv")).await;
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{a},")))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.contains(&format!(",{sponsor},")) && row.ends_with(",2026-03-02,2100-02-01"),
        "{row}"
    );
    br.post(app.url("/sponsorship"))
        .form(&[
            ("customer_id", b.to_string()),
            ("sponsor_id", String::new()),
        ])
        .send()
        .await
        .unwrap();
    let html = br
        .get(app.url("/sponsorship"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("One key account has no executive sponsor."));
    // Narrowed to those without a sponsor: that one, on the page and in
    // the CSV; a save keeps the search.
    let only = helpers::text(&br, app.url("/sponsorship?without=1")).await;
    assert!(only.contains("1 account · of 2"), "{only}");
    assert!(only.contains(&format!("id=\"sp-{b}\"")) && !only.contains(&format!("id=\"sp-{a}\"")));
    let csv = helpers::text(&br, app.url("/sponsorship.csv?without=1")).await;
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().starts_with(&format!("{b},")),
        "{csv}"
    );
    let saved = br
        .post(app.url("/sponsorship"))
        .form(&[
            ("customer_id", a.to_string()),
            ("sponsor_id", sponsor.to_string()),
            ("q", String::new()),
            ("without", "1".into()),
            ("page", "1".into()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        saved.contains("name=\"without\" value=\"1\" checked"),
        "{saved}"
    );
    let none = helpers::text(&br, app.url("/sponsorship?q=zzz")).await;
    assert!(none.contains("id=\"no-match\""), "{none}");
    // A matrix shown before another director's change does not undo it:
    // b has no sponsor now, the stale form thought it had this one.
    let r = br
        .post(app.url("/sponsorship"))
        .form(&[
            ("customer_id", b.to_string()),
            ("sponsor_id", String::new()),
            ("was_sponsor_id", sponsor.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // A choice that is no one's id is refused; the sponsor stays.
    let r = br
        .post(app.url("/sponsorship"))
        .form(&[
            ("customer_id", a.to_string()),
            ("sponsor_id", "someone".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let csv = helpers::text(&br, app.url("/sponsorship.csv")).await;
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{a},")) && l.contains(&format!(",{sponsor},"))),
        "{csv}"
    );
    // The same for the settings.
    let now = app.get_json("/api/v1/settings/relationships", &kt).await;
    let (limit, days) = (
        now["sponsor_limit"].to_string(),
        now["coverage_days"].to_string(),
    );
    let settings = |was_limit: String| {
        br.post(app.url("/sponsorship"))
            .form(&[
                ("sponsor_limit", "4".to_owned()),
                ("coverage_days", "90".to_owned()),
                ("was_sponsor_limit", was_limit),
                ("was_coverage_days", days.clone()),
            ])
            .send()
    };
    assert_eq!(settings("99".into()).await.unwrap().status(), 409);
    assert_eq!(settings(limit).await.unwrap().status(), 200);
}

#[tokio::test]
async fn stakeholders_and_links_import_all_or_nothing_and_export_back() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let other = app
        .create_customer(json!({"name": "Other", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let x = contact(&app, other, "X", "Else", "x@other.example").await;
    let post = |path: String, body: &'static str| {
        app.post(&path, &kt)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };

    // A bad file writes nothing and names each line and column.
    let bad = "first_name,last_name,email,buying_role,influence,reports_to_email\n\
               Laure,Vasseur,laure@acme.example,decision_maker,5,\n\
               Marc,,marc@acme.example,boss,7,nobody@acme.example\n";
    let p = problem(
        post(format!("/api/v1/customers/{c}/stakeholders.csv"), bad)
            .await
            .unwrap(),
        422,
    )
    .await;
    let errs = p["import"]["errors"].as_array().unwrap();
    let cols: Vec<(i64, &str)> = errs
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    for want in [
        (3, "last_name"),
        (3, "buying_role"),
        (3, "influence"),
        (3, "reports_to_email"),
    ] {
        assert!(cols.contains(&want), "{want:?} missing from {cols:?}");
    }
    assert!(
        map(&app, c, &kt).await["people"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A good file creates both, the boss taken from the same file.
    let good = "first_name,last_name,email,buying_role,level,influence,attitude,reports_to_email\n\
                Marc,Delorme,marc@acme.example,decision_maker,executive,5,sceptic,laure@acme.example\n\
                Laure,Vasseur,laure@acme.example,decision_maker,executive,5,neutral,\n";
    let r = json_of(
        post(format!("/api/v1/customers/{c}/stakeholders.csv"), good)
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(r["written"], 2);
    let m = map(&app, c, &kt).await;
    let people = m["people"].as_array().unwrap();
    let laure = people
        .iter()
        .find(|p| p["name"] == "Laure Vasseur")
        .unwrap();
    let marc = people.iter().find(|p| p["name"] == "Marc Delorme").unwrap();
    assert_eq!(marc["reports_to_id"], laure["contact_id"]);
    assert_eq!(marc["attitude"], "sceptic");

    // A loop made by the file is refused as a whole.
    let looped = "first_name,last_name,email,reports_to_email\n\
                  Laure,Vasseur,laure@acme.example,marc@acme.example\n";
    let p = problem(
        post(format!("/api/v1/customers/{c}/stakeholders.csv"), looped)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(
        p["import"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("loop")
    );
    // On the line where the row starts: after a value on two lines and a
    // blank line, the loop's row is line 5.
    let looped = "first_name,last_name,email,function,reports_to_email\n\
                  Paul,Morel,paul@acme.example,\"Buyer,\nnew\",\n\
                  \n\
                  Laure,Vasseur,laure@acme.example,,marc@acme.example\n";
    let p = problem(
        post(format!("/api/v1/customers/{c}/stakeholders.csv"), looped)
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        (
            &p["import"]["errors"][0]["line"],
            &p["import"]["errors"][0]["column"]
        ),
        (&json!(5), &json!("reports_to_email")),
        "{p}"
    );
    // A column named twice is refused, not half read.
    let p = problem(
        post(
            format!("/api/v1/customers/{c}/stakeholders.csv"),
            "first_name,last_name,email,first_name\nPaul,Morel,paul@acme.example,Jean\n",
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["import"]["errors"][0]["code"], "repeated-column", "{p}");
    let m = map(&app, c, &kt).await;
    let laure = m["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Laure Vasseur")
        .unwrap();
    assert!(laure["reports_to_id"].is_null(), "nothing written");

    // Links: a contact of another customer is refused, the rest waits.
    let links = format!(
        "contact_email,contact_id,user_email,owner_email,strength,frequency,notes\n\
         marc@acme.example,,kam@test.example,,4,monthly,\n\
         ,{x},kam@test.example,,3,,\n"
    );
    let r = app
        .post(&format!("/api/v1/customers/{c}/links.csv"), &kt)
        .header("content-type", "text/csv")
        .body(links)
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["line"], 3);
    assert_eq!(p["import"]["errors"][0]["column"], "contact_id");
    // A note on two lines moves the next row's line down.
    let links = format!(
        "contact_email,contact_id,user_email,owner_email,strength,frequency,notes\n\
         marc@acme.example,,kam@test.example,,4,monthly,\"Golf,\nthen lunch\"\n\
         ,{x},kam@test.example,,3,,\n"
    );
    let r = app
        .post(&format!("/api/v1/customers/{c}/links.csv"), &kt)
        .header("content-type", "text/csv")
        .body(links)
        .send()
        .await
        .unwrap();
    let p = problem(r, 422).await;
    assert_eq!(p["import"]["errors"][0]["line"], 4, "{p}");
    assert!(
        map(&app, c, &kt).await["links"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Notes are text like the form's: no control characters.
    let p = problem(
        post(
            format!("/api/v1/customers/{c}/links.csv"),
            "contact_email,user_email,owner_email,strength,frequency,notes\nmarc@acme.example,kam@test.example,,4,,Go\u{0}lf\n",
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        (
            &p["import"]["errors"][0]["line"],
            &p["import"]["errors"][0]["column"]
        ),
        (&json!(2), &json!("notes")),
        "{p}"
    );
    let ok = "contact_email,user_email,owner_email,strength,frequency,notes\nmarc@acme.example,kam@test.example,kam@test.example,4,monthly,Golf\n";
    json_of(
        post(format!("/api/v1/customers/{c}/links.csv"), ok)
            .await
            .unwrap(),
        200,
    )
    .await;
    // Importing the export back changes nothing.
    let exported = app
        .get(&format!("/api/v1/customers/{c}/links.csv"), &kt)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        exported.contains("marc@acme.example") && exported.contains("Golf"),
        "{exported}"
    );
    let again = app
        .post(&format!("/api/v1/customers/{c}/links.csv"), &kt)
        .header("content-type", "text/csv")
        .body(exported.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let m = map(&app, c, &kt).await;
    assert_eq!(m["links"].as_array().unwrap().len(), 1);
    assert_eq!(m["links"][0]["strength"], 4);
    // The link the file created is in the trail; the same file again
    // changed nothing, and adds nothing to it.
    let trail = app
        .store
        .history(
            "relationship_link",
            m["links"][0]["id"].as_i64().unwrap(),
            10,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create"]);
    // A file without the notes column would clear every link's notes: it
    // is refused, and the notes stay.
    let p = problem(
        post(
            format!("/api/v1/customers/{c}/links.csv"),
            "contact_email,user_email,owner_email,strength,frequency\nmarc@acme.example,kam@test.example,,5,monthly\n",
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["import"]["errors"][0]["column"], "notes", "{p}");
    let m = map(&app, c, &kt).await;
    assert_eq!(m["links"][0]["notes"], "Golf");
    assert_eq!(m["links"][0]["strength"], 4);
    // A customer that does not exist is said so.
    problem(
        post("/api/v1/customers/999999/links.csv".into(), ok)
            .await
            .unwrap(),
        404,
    )
    .await;
    let st = app
        .get(&format!("/api/v1/customers/{c}/stakeholders.csv"), &kt)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // With a byte-order mark, so that spreadsheets read its accents.
    assert!(
        st.starts_with("\u{feff}contact_id,first_name,last_name"),
        "{st}"
    );
    let r = app
        .post(&format!("/api/v1/customers/{c}/stakeholders.csv"), &kt)
        .header("content-type", "text/csv")
        .body(st)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the export imports back");
    assert_eq!(
        map(&app, c, &kt).await["people"].as_array().unwrap().len(),
        2
    );
    // Each contact a file changes is in the customer's history with what
    // it held before; one it leaves as it was is not.
    let updates = || async {
        app.get_json(
            &format!("/api/v1/customers/{c}/history?record=contact"),
            &kt,
        )
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "update")
        .cloned()
        .collect::<Vec<Value>>()
    };
    assert_eq!(
        updates().await,
        Vec::<Value>::new(),
        "the same file changed nothing"
    );
    let laure = laure["contact_id"].as_i64().unwrap();
    let r = app
        .post(&format!("/api/v1/customers/{c}/stakeholders.csv"), &kt)
        .header("content-type", "text/csv")
        .body(format!(
            "contact_id,job_title\n{laure},Chief Purchasing Officer\n"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed = updates().await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["entity_id"], laure);
    assert_eq!(
        changed[0]["changes"],
        json!([{"field": "job_title", "before": null, "after": "Chief Purchasing Officer"}])
    );
    // A link the file changes keeps what it held in the trail.
    let r = post(
        format!("/api/v1/customers/{c}/links.csv"),
        "contact_email,user_email,owner_email,strength,frequency,notes\nmarc@acme.example,kam@test.example,,2,monthly,Golf and tennis\n",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let link = map(&app, c, &kt).await["links"][0]["id"].as_i64().unwrap();
    let trail = app
        .store
        .history("relationship_link", link, 10)
        .await
        .unwrap();
    assert_eq!(trail[0].action, "update");
    let detail: Value = serde_json::from_str(&trail[0].detail).unwrap();
    assert_eq!(
        (&detail["before"]["strength"], &detail["after"]["strength"]),
        (&json!(4), &json!(2)),
        "{detail}"
    );
    assert_eq!(detail["after"]["notes"], "Golf and tennis", "{detail}");
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_show_the_message_beside_the_field() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let a = contact(&app, c, "Laure", "Vasseur", "laure@acme.example").await;
    let b = contact(&app, c, "Marc", "Delorme", "marc@acme.example").await;
    let br = app.browser("kam@test.example").await;
    let r = br
        .post(app.url(&format!("/contacts/{b}/stakeholder")))
        .form(&[
            ("reports_to_id", a.to_string()),
            ("buying_role", "decision_maker".into()),
            ("influence", "5".into()),
            ("attitude", "champion".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = br
        .post(app.url(&format!("/contacts/{a}/stakeholder")))
        .form(&[
            ("reports_to_id", b.to_string()),
            ("function", "Keeps this text".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"reports_to_id-error\""));
    assert!(html.contains("Keeps this text"));

    let r = br
        .post(app.url(&format!("/customers/{c}/relationships/interactions")))
        .form(&[
            ("kind", "call"),
            ("occurred_on", "31/12/2026"),
            ("subject", "Kick-off call"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"occurred_on-error\"") && html.contains("id=\"contact_ids-error\""));
    assert!(html.contains("value=\"Kick-off call\""));
    // Notes over their limit are said beside the interaction's notes, not
    // beside the link form's notes on the same page.
    let long = "n".repeat(4001);
    let r = br
        .post(app.url(&format!("/customers/{c}/relationships/interactions")))
        .form(&[
            ("kind", "call"),
            ("occurred_on", "2026-12-31"),
            ("subject", "Kick-off call"),
            ("interaction_notes", long.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"interaction_notes-error\""), "{html}");
    assert!(!html.contains("id=\"notes-error\""));
    assert!(html.contains(&format!(">{long}</textarea>")));

    let page = br
        .get(app.url(&format!("/customers/{c}/relationships")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"coverage-warnings\"") && page.contains("Influential, no strong link")
    );
    assert!(page.contains("<svg") && page.contains("Marc Delorme"));
    let r = br
        .post(app.url(&format!("/customers/{c}/relationships/links")))
        .form(&[
            ("contact_id", b.to_string()),
            ("who", format!("u:{kam}")),
            ("strength", "4".into()),
            ("frequency", "monthly".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = br
        .get(app.url(&format!("/customers/{c}/relationships")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Influential, no strong link"));

    // A link's strength changes from its row; a stale row is refused.
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let link = map(&app, c, &dt).await["links"][0].clone();
    let r = br
        .post(app.url(&format!("/links/{}/update", link["id"])))
        .form(&[("version", "1"), ("strength", "2"), ("frequency", "yearly")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let m = map(&app, c, &dt).await;
    assert_eq!(m["links"][0]["strength"], 2);
    assert_eq!(m["links"][0]["frequency"], "yearly");
    let r = br
        .post(app.url(&format!("/links/{}/update", link["id"])))
        .form(&[("version", "1"), ("strength", "5"), ("frequency", "weekly")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(map(&app, c, &dt).await["links"][0]["strength"], 2);
    // A row that does not say which version it showed is not written
    // over the stored one either.
    for version in [None, Some("x")] {
        let mut form = vec![("strength", "5"), ("frequency", "weekly")];
        form.extend(version.map(|v| ("version", v)));
        let r = br
            .post(app.url(&format!("/links/{}/update", link["id"])))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409, "{version:?}");
    }
    assert_eq!(map(&app, c, &dt).await["links"][0]["strength"], 2);
    let page = br
        .get(app.url(&format!("/customers/{c}/relationships")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Influential, no strong link"),
        "a weak link no longer covers them"
    );
}

/// Several first profiles of one stakeholder sent at once: one is written,
/// the others are told someone else wrote first (409), none fails.
#[tokio::test]
async fn concurrent_first_profiles_of_a_stakeholder_keep_one() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let a = contact(&app, c, "A", "One", "a@acme.example").await;
    let sends = (0..6).map(|k| {
        app.put(&format!("/api/v1/contacts/{a}/stakeholder"), &kt)
            .json(&json!({"version": 0, "buying_role": "influencer", "influence": k % 5 + 1}))
            .send()
    });
    let mut statuses: Vec<u16> = futures_util::future::join_all(sends)
        .await
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409]);
}

/// Removing a link from its row asks first, also in a browser that runs no
/// script: the row's form sends no confirmation, the page asks, and only
/// its button removes; a calendar is revoked the same way.
#[tokio::test]
async fn a_removal_from_a_row_asks_first_without_scripts() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let a = contact(&app, c, "A", "One", "a@acme.example").await;
    let l = json_of(
        app.post(&format!("/api/v1/customers/{c}/links"), &kt)
            .json(&json!({"contact_id": a, "user_id": kam, "owner_id": kam, "strength": 3, "frequency": "monthly"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/relationships"))).await;
    assert!(
        page.contains(&format!("action=\"/links/{l}/delete\"")),
        "{page}"
    );
    let r = b
        .post(app.url(&format!("/links/{l}/delete")))
        .form(&[("confirmed", ""), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"confirm-delete\"")
            && page.contains("name=\"confirmed\" value=\"1\"")
            && page.contains("name=\"version\" value=\"1\"")
            && page.contains(&format!("action=\"/links/{l}/delete\"")),
        "{page}"
    );
    // Changed since the list was shown, it stays.
    let r = b
        .post(app.url(&format!("/links/{l}/delete")))
        .form(&[("version", "7"), ("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        map(&app, c, &kt).await["links"].as_array().unwrap().len(),
        1
    );
    let r = b
        .post(app.url(&format!("/links/{l}/delete")))
        .form(&[("version", "0"), ("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        map(&app, c, &kt).await["links"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The page says so, and where to restore it.
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Link deleted.")
            && page.contains(&format!(
                "href=\"/customers/{c}/history?record=relationship_link\""
            )),
        "{page}"
    );

    let feed = json_of(
        app.post("/api/v1/calendar-feeds", &kt)
            .json(&json!({"kind": "user"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = feed["id"].as_i64().unwrap().to_string();
    let r = b
        .post(app.url("/calendar"))
        .form(&[("revoke", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!("name=\"revoke\" value=\"{id}\"")),
        "{page}"
    );
    let url = feed["url"].as_str().unwrap();
    let path = &url[url.find("/calendar/").unwrap()..];
    assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), 200);
    let r = b
        .post(app.url("/calendar"))
        .form(&[("revoke", id.as_str()), ("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), 404);
}

/// A customer's interactions and account team download as CSV.
#[tokio::test]
async fn interactions_and_the_team_export_as_csv() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Acme", kam).await;
    let a = contact(&app, c, "Inès", "Roche", "ines@acme.example").await;
    json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "call", "occurred_on": "2026-01-05", "subject": "Prix, délais", "contact_ids": [a], "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    // One deleted: the trail keeps who took part.
    let gone = json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(&json!({"kind": "visit", "occurred_on": "2026-01-06", "subject": "Usine", "contact_ids": [a], "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/interactions/{}", gone["id"])))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let h = app
        .store
        .history("interaction", gone["id"].as_i64().unwrap(), 1)
        .await
        .unwrap();
    let kept: Value = serde_json::from_str(&h[0].detail).unwrap();
    assert_eq!(
        (&kept["contacts"], &kept["users"]),
        (&json!([a]), &json!([kam])),
        "{kept}"
    );
    let member = json_of(
        app.post(&format!("/api/v1/customers/{c}/team"), &kt)
            .json(&json!({"user_id": kam, "function": "sales", "dedicated": true, "share_pct": 40}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let b = app.browser("kam@test.example").await;
    let csv = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/relationships/interactions.csv")),
    )
    .await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "id,date,kind,subject,their_people,our_people");
    assert!(
        lines[1].ends_with(",2026-01-05,call,\"Prix, délais\",Inès Roche,kam@test.example"),
        "{csv}"
    );
    let csv = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/relationships/team.csv")),
    )
    .await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].ends_with(",sales,true,40,40,false"), "{csv}");
    // On the page, in French: someone already on the team, and a share out
    // of range, are said beside their fields, with the range.
    let add = |member: String, share: &'static str| {
        b.post(app.url(&format!("/customers/{c}/relationships/team")))
            .header("accept-language", "fr")
            .form(&[
                ("member", member),
                ("function", "sales".to_owned()),
                ("share_pct", share.to_owned()),
            ])
            .send()
    };
    let r = add(format!("u:{kam}"), "10").await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("fait déjà partie de l’équipe compte"),
        "{page}"
    );
    // An interaction refused (no date) keeps the people chosen.
    let r = b
        .post(app.url(&format!("/customers/{c}/relationships/interactions")))
        .form(&[
            ("kind", "call".to_owned()),
            ("occurred_on", String::new()),
            ("subject", "Prix".to_owned()),
            ("contact_ids", a.to_string()),
            ("ours", format!("u:{kam}")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!("<option value=\"{a}\" selected>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"u:{kam}\" selected>")),
        "{page}"
    );
    let (am, _) = app.user_token("am@test.example", "account_manager").await;
    let r = add(format!("u:{am}"), "150").await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Saisissez une valeur de 0 à 100."), "{page}");
    // Removed from a page shown before a change, the member stays; then
    // removed, the history says who and what they did, in words.
    let remove = |version: String| {
        b.post(app.url(&format!("/team-members/{}/delete", member["id"])))
            .form(&[("version", version), ("confirmed", "1".to_owned())])
            .send()
    };
    let v = member["version"].as_i64().unwrap();
    assert_eq!(remove((v + 1).to_string()).await.unwrap().status(), 409);
    assert_eq!(remove(v.to_string()).await.unwrap().status(), 303);
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains("Account team member — deleted"), "{page}");
    assert!(
        page.contains("kam@test.example") && page.contains(": Sales"),
        "{page}"
    );
}

/// A colleague is corrected at the version read: a stale change is a 409
/// (the page keeps what was typed), a bad e-mail is named, a viewer may
/// not while an account manager may, and the history keeps the change.
#[tokio::test]
async fn a_colleague_is_corrected_at_the_version_read() {
    let app = TestApp::spawn().await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let (_, vt) = app.user_token("viewer@test.example", "viewer").await;
    let c = json_of(
        app.post("/api/v1/colleagues", &dt)
            .json(&json!({"name": "Paul Martn", "function": "Logistics"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(c["version"], 1);
    let id = c["id"].as_i64().unwrap();
    let put = |token: &str, body: Value| {
        app.client
            .put(app.url(&format!("/api/v1/colleagues/{id}")))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let fixed = json_of(
        put(&dt, json!({"name": "Paul Martin", "function": "Logistics", "email": "paul@ours.example", "version": 1}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (&fixed["name"], &fixed["version"]),
        (&json!("Paul Martin"), &json!(2))
    );
    problem(
        put(&dt, json!({"name": "Paul", "version": 1}))
            .await
            .unwrap(),
        409,
    )
    .await;
    let p = problem(
        put(&dt, json!({"name": "Paul", "email": "nope", "version": 2}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "email");
    let p = problem(put(&dt, json!({"name": "Paul"})).await.unwrap(), 422).await;
    assert_eq!(p["errors"][0]["field"], "version");
    problem(
        put(&vt, json!({"name": "Paul", "version": 2}))
            .await
            .unwrap(),
        403,
    )
    .await;
    problem(
        app.client
            .put(app.url("/api/v1/colleagues/999999"))
            .bearer_auth(&dt)
            .json(&json!({"name": "X", "version": 1}))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let h = app.store.history("colleague", id, 5).await.unwrap();
    assert_eq!(h[0].action, "update");
    assert!(h[0].detail.contains("Paul Martn") && h[0].detail.contains("Paul Martin"));

    // The pages: the list links to the form, which keeps a stale change.
    let b = app.browser("director@test.example").await;
    let list = helpers::text(&b, app.url("/colleagues")).await;
    assert!(
        list.contains(&format!("href=\"/colleagues/{id}/edit\"")),
        "{list}"
    );
    let form = helpers::text(&b, app.url(&format!("/colleagues/{id}/edit"))).await;
    assert!(
        form.contains("value=\"Paul Martin\"") && form.contains("name=\"version\" value=\"2\"")
    );
    let r = b
        .post(app.url(&format!("/colleagues/{id}/edit")))
        .form(&[("name", "Paul Martin-Roux"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"stale\"") && page.contains("value=\"Paul Martin-Roux\""),
        "{page}"
    );
    let r = b
        .post(app.url(&format!("/colleagues/{id}/edit")))
        .form(&[("name", "Paul Martin-Roux"), ("version", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let list = helpers::text(&b, app.url("/colleagues")).await;
    assert!(list.contains("Paul Martin-Roux"));
    let csv = helpers::text(&b, app.url("/colleagues.csv")).await;
    assert!(
        csv.starts_with("\u{feff}id,name,function,business_unit,email")
            && csv.contains(&format!("{id},Paul Martin-Roux,")),
        "{csv}"
    );
    let (_, amt) = app.user_token("am@test.example", "account_manager").await;
    let done = json_of(
        app.client
            .put(app.url(&format!("/api/v1/colleagues/{id}")))
            .bearer_auth(&amt)
            .json(&json!({"name": "Paul Martin-Roux", "function": "Supply chain", "version": 3}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["function"], "Supply chain");

    // Deleted only while in nothing: here an account team keeps them.
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let acct = key_account(&app, "Acme", kam).await;
    json_of(
        app.post(&format!("/api/v1/customers/{acct}/team"), &kt)
            .json(&json!({"colleague_id": id, "function": "logistics", "share_pct": 20, "dedicated": false}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let del = |token: &str, cid: i64| {
        app.client
            .delete(app.url(&format!("/api/v1/colleagues/{cid}")))
            .bearer_auth(token)
            .send()
    };
    let p = problem(del(&dt, id).await.unwrap(), 409).await;
    assert!(
        p["detail"].as_str().unwrap().contains("1 account team(s)"),
        "{p}"
    );
    let page = helpers::text_in(&b, app.url(&format!("/colleagues/{id}/delete")), "fr").await;
    assert!(
        page.contains("id=\"delete-blocked\"")
            && page.contains("1 équipe(s) compte")
            && !page.contains("id=\"confirm-delete\""),
        "{page}"
    );
    let other = json_of(
        app.post("/api/v1/colleagues", &dt)
            .json(&json!({"name": "Léa Petit"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    problem(del(&vt, other).await.unwrap(), 403).await;
    let page = helpers::text(&b, app.url(&format!("/colleagues/{other}/delete"))).await;
    assert!(page.contains("id=\"confirm-delete\""), "{page}");
    let r = b
        .post(app.url(&format!("/colleagues/{other}/delete")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let left = app.get_json("/api/v1/colleagues", &dt).await;
    assert!(
        !left.to_string().contains("Léa Petit") && left.to_string().contains("Paul Martin-Roux")
    );
    assert_eq!(
        app.store.history("colleague", other, 5).await.unwrap()[0].action,
        "delete"
    );
    problem(del(&dt, other).await.unwrap(), 404).await;

    // The list says so, and keeps them at its foot, to restore once.
    assert_eq!(
        r.headers()["location"],
        "/colleagues?done=colleague-deleted"
    );
    let page = helpers::text_in(&b, app.url("/colleagues?done=colleague-deleted"), "fr").await;
    assert!(page.contains("Vous pouvez le restaurer"), "{page}");
    let foot = &page[page
        .find("id=\"deleted-colleagues\"")
        .expect("the deleted colleagues")..];
    assert!(foot.contains("<td>Léa Petit</td>"), "{foot}");
    let deleted = app.get_json("/api/v1/colleagues/deleted", &dt).await;
    assert_eq!(deleted[0]["name"], "Léa Petit", "{deleted}");
    problem(
        app.get("/api/v1/colleagues/deleted", &vt)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let entry = deleted[0]["entry"].as_i64().unwrap();
    let restore = |token: &str| {
        app.client
            .post(app.url(&format!("/api/v1/colleagues/deleted/{entry}/restore")))
            .bearer_auth(token)
            .send()
    };
    problem(restore(&vt).await.unwrap(), 403).await;
    let r = b
        .post(app.url(&format!("/colleagues/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Colleague restored.") && page.contains("<td>Léa Petit</td>"),
        "{page}"
    );
    assert!(!page.contains("id=\"deleted-colleagues\""), "{page}");
    let again = app.get_json("/api/v1/colleagues", &dt).await;
    assert!(again.to_string().contains("Léa Petit"), "{again}");
    problem(restore(&dt).await.unwrap(), 409).await;
}

/// Past 20 interactions, the page says it shows the newest 20, and the
/// list of interactions has them all, searched, sorted and in pages (so do
/// the CSV and the API); past 100 subsidiaries, the customer page says it
/// lists the first 100.
#[tokio::test]
async fn long_lists_on_an_account_say_what_they_show() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Long Story SA", kam).await;
    let cpo = contact(&app, c, "Paul", "Achat", "paul@long.example").await;
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/relationships"))).await;
    for day in 1..=201 {
        let on = clef_domain::Date::parse("d", "2020-01-01")
            .unwrap()
            .add_days(day)
            .to_string();
        json_of(
            app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
                .json(&json!({"kind": "call", "occurred_on": on, "subject": format!("Call {day}"), "contact_ids": [cpo]}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
        if day == 20 {
            let page = helpers::text(&b, app.url(&format!("/customers/{c}/relationships"))).await;
            assert!(!page.contains("id=\"interactions-more\""), "{page}");
        }
    }
    assert!(!page.contains("id=\"interactions-more\""));
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/relationships"))).await;
    assert!(page.contains("id=\"interactions-more\""), "{page}");
    assert!(
        page.contains("Call 201") && page.contains("Call 182<") && !page.contains("Call 181<"),
        "the newest are shown"
    );
    assert!(page.contains("id=\"interactions-all\""), "{page}");
    let csv = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/relationships/interactions.csv")),
    )
    .await;
    assert_eq!(csv.lines().count(), 202, "a header and every interaction");

    // The list of all: 50 a page, the newest first.
    let list = format!("/customers/{c}/relationships/interactions");
    let page = helpers::text(&b, app.url(&list)).await;
    assert!(page.contains("201 interactions"), "{page}");
    assert!(
        page.contains("Call 201<") && page.contains("Call 152<"),
        "{page}"
    );
    assert!(!page.contains("Call 151<"), "{page}");
    let last = helpers::text(&b, app.url(&format!("{list}?page=5"))).await;
    assert!(
        last.contains("Call 1<") && !last.contains("Call 2<"),
        "{last}"
    );
    // Searched, by subject: "Call 17" and "Call 170" to "Call 179".
    let found = helpers::text(&b, app.url(&format!("{list}?q=call+17&sort=subject"))).await;
    assert!(found.contains("11 interactions"), "{found}");
    assert!(
        found.find("Call 17<").unwrap() < found.find("Call 170<").unwrap(),
        "by subject: {found}"
    );
    assert!(!found.contains("Call 18<"), "{found}");
    let csv = helpers::text(&b, app.url(&format!("{list}.csv?q=call+17&sort=-subject"))).await;
    assert_eq!(csv.lines().count(), 12, "a header and those found: {csv}");
    assert!(csv.lines().nth(1).unwrap().contains("Call 179"), "{csv}");
    // No visit among them.
    let none = helpers::text(&b, app.url(&format!("{list}?kind=visit"))).await;
    assert!(none.contains("id=\"no-match\""), "{none}");
    // The API reads them in pages too.
    let api = app
        .get_json(
            &format!("/api/v1/customers/{c}/interactions?per_page=100&page=3"),
            &kt,
        )
        .await;
    assert_eq!(
        (api["total"].as_u64(), api["page"].as_u64()),
        (Some(201), Some(3))
    );
    assert_eq!(api["items"].as_array().map(Vec::len), Some(1), "{api}");
    assert_eq!(api["items"][0]["subject"], "Call 1");
    // Removed from the list, the reader is back on the same page of it.
    let oldest = api["items"][0]["id"].as_i64().unwrap();
    let here = format!("{list}?q=call&kind=&sort=-date&page=5");
    let r = b
        .post(app.url(&format!("/interactions/{oldest}/delete")))
        .form(&[("confirmed", "1"), ("next", here.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = format!("{here}&done=interaction-deleted");
    assert_eq!(r.headers()["location"], back.as_str());
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Interaction deleted.")
            && page.contains(&format!("/customers/{c}/history?record=interaction")),
        "{page}"
    );
    // Anywhere else, the account's page.
    let other = api["items"][0]["id"].as_i64().unwrap() + 1;
    let r = b
        .post(app.url(&format!("/interactions/{other}/delete")))
        .form(&[("confirmed", "1"), ("next", "https://elsewhere.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        format!("/customers/{c}/relationships?done=interaction-deleted#interactions").as_str()
    );
    let page = helpers::text(
        &b,
        app.url(&format!(
            "/customers/{c}/relationships?done=interaction-deleted"
        )),
    )
    .await;
    assert!(
        page.contains("id=\"deleted-interaction-history\""),
        "{page}"
    );

    // Subsidiaries.
    let mut file = clef_store::import::CUSTOMER_COLUMNS.join(",");
    for k in 0..101 {
        file.push_str(&format!(
            "\n,Filiale {k:03},,,{c},FR,,,,,,,customer,silver,EUR,,,,,"
        ));
    }
    let r = app
        .post("/api/v1/imports/customers", &app.admin_token)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page = helpers::text(&b, app.url(&format!("/customers/{c}"))).await;
    assert!(page.contains("id=\"children-more\""), "{page}");
    assert!(
        page.contains("Filiale 099") && !page.contains("Filiale 100"),
        "{page}"
    );
}

/// The colleagues list searches name, function and e-mail, sorts by its
/// headings, pages by 50, and exports as shown.
#[tokio::test]
async fn the_colleagues_list_searches_sorts_and_pages() {
    let app = TestApp::spawn().await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    for k in 0..54 {
        let function = if k % 2 == 0 { "Logistics" } else { "Quality" };
        json_of(
            app.post("/api/v1/colleagues", &dt)
                .json(&json!({"name": format!("Person {k:02}"), "function": function}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    json_of(
        app.post("/api/v1/colleagues", &dt)
            .json(&json!({"name": "Élodie Zola", "function": "Achats", "email": "ezola@clef.example"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let b = app.browser("director@test.example").await;
    let page = helpers::text(&b, app.url("/colleagues")).await;
    assert!(
        page.contains("55 colleagues") && page.contains("rel=\"next\""),
        "{page}"
    );
    assert_eq!(page.matches("<tr><td>").count(), 50);
    // By function, then name: "Achats" first.
    let by_function = helpers::text(&b, app.url("/colleagues?sort=function")).await;
    let first_row = &by_function[by_function.find("<tbody>").unwrap()..];
    assert!(first_row[..200].contains("Élodie Zola"), "{first_row}");
    // A search in the e-mail, without accents.
    let found = helpers::text(&b, app.url("/colleagues?q=EZOLA")).await;
    assert!(found.contains("1 colleague · of 55"), "{found}");
    let csv = helpers::text(&b, app.url("/colleagues.csv?q=quality&sort=-name")).await;
    let names: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(names.len(), 27, "{csv}");
    assert_eq!(names[0], "Person 53");
    let none = helpers::text(&b, app.url("/colleagues?q=nobody")).await;
    assert!(none.contains("No colleague matches this search"), "{none}");
}

/// With no executive sponsor yet, the sponsorship page says how to get one.
#[tokio::test]
async fn the_sponsorship_page_says_when_there_is_no_sponsor() {
    let app = TestApp::spawn().await;
    app.user_token("director@test.example", "director").await;
    let b = app.browser("director@test.example").await;
    let html = helpers::text(&b, app.url("/sponsorship")).await;
    assert!(html.contains("id=\"no-sponsors\""), "{html}");
    assert!(!html.contains("id=\"sponsors\""), "no empty table: {html}");
    app.user_token("ceo@test.example", "sponsor").await;
    let html = helpers::text(&b, app.url("/sponsorship")).await;
    assert!(
        html.contains("id=\"sponsors\" data-sortable") && !html.contains("id=\"no-sponsors\""),
        "{html}"
    );
}

/// A deleted contact comes back from its customer's history, once, with
/// its stakeholder profile, for those who may change the customer; the
/// history says so.
#[tokio::test]
async fn a_deleted_contact_is_restored_from_the_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    app.user_token("viewer@test.example", "viewer").await;
    let c = key_account(&app, "Retour SA", kam).await;
    let other = key_account(&app, "Ailleurs SA", kam).await;
    let a = contact(&app, c, "Inès", "Roche", "ines@retour.example").await;
    json_of(
        app.put(&format!("/api/v1/contacts/{a}/stakeholder"), &kt)
            .json(&json!({"version": 0, "buying_role": "decision_maker", "attitude": "champion", "influence": 5}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    // Deleted from its page: the notice leads to the history.
    let b = app.browser("kam@test.example").await;
    let r = b
        .post(app.url(&format!("/contacts/{a}/delete")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let done = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&done)).await;
    assert!(page.contains("where it can be restored"), "{page}");
    assert!(
        page.contains(&format!(
            "href=\"/customers/{c}/history?record=contact\" id=\"deleted-contact-history\""
        )),
        "{page}"
    );
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=contact"),
            &app.admin_token,
        )
        .await;
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "delete")
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    // A viewer sees no way to restore it, and may not.
    let viewer = app.browser("viewer@test.example").await;
    let page = helpers::text(&viewer, app.url(&format!("/customers/{c}/history"))).await;
    assert!(!page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let restore = format!("/customers/{c}/history/{entry}/restore");
    let r = viewer.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // Nor through another customer's address.
    let r = b
        .post(app.url(&format!("/customers/{other}/history/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // A deletion from before the customer was created (an earlier
    // customer's, whose id an import gave again) is not this one's.
    let db = sea_orm::Database::connect(app.database_url.as_str())
        .await
        .unwrap();
    let shift = |by: i64| {
        let db = db.clone();
        async move {
            sea_orm::ConnectionTrait::execute_unprepared(
                &db,
                &format!("UPDATE customers SET created_at = created_at + {by} WHERE id = {c}"),
            )
            .await
            .unwrap();
        }
    };
    shift(100_000).await;
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    shift(-100_000).await;
    db.close().await.unwrap();

    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(page.contains("Contact restored"), "{page}");
    assert!(page.contains("Inès Roche"), "{page}");
    let people = map(&app, c, &kt).await;
    let ines = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Inès Roche")
        .unwrap_or_else(|| panic!("{people}"))
        .clone();
    assert_eq!(
        (&ines["buying_role"], &ines["attitude"], &ines["influence"]),
        (&json!("decision_maker"), &json!("champion"), &json!(5)),
        "{ines}"
    );
    assert_eq!(ines["email"], "ines@retour.example");
    // Once only; the history says it was.
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains(&format!("id=\"restored-{entry}\"")), "{page}");
    assert!(page.contains("Contact — restored"), "{page}");
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{entry}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap();
    helpers::problem(r, 409).await;
    // Deleted again, it comes back through the API too.
    let again = ines["contact_id"].as_i64().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{again}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=contact"),
            &app.admin_token,
        )
        .await;
    let second = history[0]["id"].as_i64().unwrap();
    assert_eq!(history[0]["action"], "delete", "{history}");
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{second}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap();
    let back = json_of(r, 201).await;
    assert_eq!(back["record"], "contact", "{back}");
    let contact = app
        .get_json(
            &format!("/api/v1/contacts/{}", back["id"]),
            &app.admin_token,
        )
        .await;
    assert_eq!(
        (&contact["first_name"], &contact["customer_id"]),
        (&json!("Inès"), &json!(c))
    );
}

/// A deleted interaction comes back from the history, once, with those
/// who took part and still exist, for the account's team; without any of
/// the customer's people left, it cannot.
#[tokio::test]
async fn a_deleted_interaction_is_restored_from_the_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    app.user_token("viewer@test.example", "viewer").await;
    let c = key_account(&app, "Échange SA", kam).await;
    let a = contact(&app, c, "Paul", "Achat", "paul@echange.example").await;
    let gone = contact(&app, c, "Zoé", "Partie", "zoe@echange.example").await;
    let record =
        |subject: &'static str, contacts: Vec<i64>| {
            let kt = kt.clone();
            let app = &app;
            async move {
                json_of(
                app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
                    .json(&json!({"kind": "visit", "occurred_on": "2026-02-03", "subject": subject,
                                  "contact_ids": contacts, "user_ids": [kam]}))
                    .send()
                    .await
                    .unwrap(),
                201,
            )
            .await["id"]
                .as_i64()
                .unwrap()
            }
        };
    let visit = record("Plant visit", vec![a, gone]).await;
    let lost = record("Lunch", vec![gone]).await;
    for i in [visit, lost] {
        let r = app
            .client
            .delete(app.url(&format!("/api/v1/interactions/{i}")))
            .bearer_auth(&kt)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{gone}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=interaction"),
            &app.admin_token,
        )
        .await;
    let entry_of = |subject: &str| {
        history
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == subject)
            .unwrap_or_else(|| panic!("{history}"))["id"]
            .as_i64()
            .unwrap()
    };
    let (visit_entry, lost_entry) = (entry_of("Plant visit"), entry_of("Lunch"));

    let viewer = app.browser("viewer@test.example").await;
    let page = helpers::text(&viewer, app.url(&format!("/customers/{c}/history"))).await;
    assert!(
        !page.contains(&format!("id=\"restore-{visit_entry}\"")),
        "{page}"
    );
    let restore = |e: i64| format!("/customers/{c}/history/{e}/restore");
    let r = viewer
        .post(app.url(&restore(visit_entry)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(
        page.contains(&format!("id=\"restore-{visit_entry}\"")),
        "{page}"
    );
    let r = b.post(app.url(&restore(visit_entry))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let list = helpers::text(&b, app.url(&back)).await;
    assert!(list.contains("Interaction restored"), "{list}");
    assert!(list.contains("Plant visit"), "{list}");
    let api = app
        .get_json(&format!("/api/v1/customers/{c}/interactions"), &kt)
        .await;
    assert_eq!(api["total"], 1, "{api}");
    assert_eq!(
        api["items"][0]["contact_ids"],
        json!([a]),
        "the one left: {api}"
    );
    assert_eq!(api["items"][0]["user_ids"], json!([kam]), "{api}");
    // Once only.
    let r = b.post(app.url(&restore(visit_entry))).send().await.unwrap();
    assert_eq!(r.status(), 409);
    // No one of theirs left: said, nothing written.
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{lost_entry}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap();
    let p = helpers::problem(r, 409).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("none of the customer's people"),
        "{p}"
    );
    // Nor does its line offer it.
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(
        !page.contains(&format!("id=\"restore-{lost_entry}\"")),
        "{page}"
    );
    let page = helpers::text(
        &b,
        app.url(&format!("/customers/{c}/history?record=interaction")),
    )
    .await;
    assert!(
        page.contains(&format!("id=\"restored-{visit_entry}\"")),
        "{page}"
    );
    assert!(page.contains("Interaction — restored"), "{page}");
}

/// A deleted link and a removed team member come back from the history,
/// once: the link for the account's team, the member for those who may
/// change the customer; a link whose contact has gone since cannot.
#[tokio::test]
async fn a_deleted_link_and_team_member_are_restored_from_the_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (stays, st) = app.user_token("stays@test.example", "member").await;
    let (leaves, _) = app.user_token("leaves@test.example", "member").await;
    let c = key_account(&app, "Lien SA", kam).await;
    let a = contact(&app, c, "Paul", "Achat", "paul@lien.example").await;
    let b = contact(&app, c, "Zoé", "Partie", "zoe@lien.example").await;
    for (who, share) in [(stays, 20), (leaves, 60)] {
        json_of(
            app.post(&format!("/api/v1/customers/{c}/team"), &kt)
                .json(&json!({"user_id": who, "function": "quality", "share_pct": share, "dedicated": true}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    let link = |contact: i64, notes: &'static str| {
        let app = &app;
        let kt = kt.clone();
        async move {
            json_of(
                app.post(&format!("/api/v1/customers/{c}/links"), &kt)
                    .json(
                        &json!({"contact_id": contact, "user_id": kam, "owner_id": kam,
                                  "strength": 4, "frequency": "monthly", "notes": notes}),
                    )
                    .send()
                    .await
                    .unwrap(),
                201,
            )
            .await["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (kept, lost) = (link(a, "Golf").await, link(b, "Lunch").await);
    let team = app
        .get_json(&format!("/api/v1/customers/{c}/team"), &kt)
        .await;
    let member = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == json!(leaves))
        .unwrap_or_else(|| panic!("{team}"))["id"]
        .as_i64()
        .unwrap();
    for path in [
        format!("/api/v1/links/{kept}"),
        format!("/api/v1/links/{lost}"),
        format!("/api/v1/team-members/{member}"),
        format!("/api/v1/contacts/{b}"),
    ] {
        let r = app
            .client
            .delete(app.url(&path))
            .bearer_auth(&kt)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
    let entries = |record: &'static str| {
        let app = &app;
        async move {
            app.get_json(
                &format!("/api/v1/customers/{c}/history?record={record}"),
                &app.admin_token,
            )
            .await
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "delete")
            .map(|e| (e["entity_id"].as_i64().unwrap(), e["id"].as_i64().unwrap()))
            .collect::<std::collections::HashMap<i64, i64>>()
        }
    };
    let links = entries("relationship_link").await;
    let members = entries("account_team").await;
    let (kept_entry, lost_entry, member_entry) = (links[&kept], links[&lost], members[&member]);
    let restore = |e: i64| format!("/customers/{c}/history/{e}/restore");

    // A member of the team brings links back, not team members.
    let sb = app.browser("stays@test.example").await;
    let page = helpers::text(&sb, app.url(&format!("/customers/{c}/history"))).await;
    assert!(
        page.contains(&format!("id=\"restore-{kept_entry}\"")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("id=\"restore-{member_entry}\"")),
        "{page}"
    );
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{member_entry}/restore"),
            &st,
        )
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = sb.post(app.url(&restore(kept_entry))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&sb, app.url(&back)).await;
    assert!(page.contains("Link restored"), "{page}");
    let m = map(&app, c, &kt).await;
    let now = m["links"].as_array().unwrap_or_else(|| panic!("{m}"));
    assert_eq!(now.len(), 1, "{now:?}");
    assert_eq!(
        (
            &now[0]["contact_id"],
            &now[0]["user_id"],
            &now[0]["owner_id"]
        ),
        (&json!(a), &json!(kam), &json!(kam))
    );
    assert_eq!(
        (&now[0]["strength"], &now[0]["frequency"], &now[0]["notes"]),
        (&json!(4), &json!("monthly"), &json!("Golf"))
    );
    // Once only; the other link's contact has gone.
    let r = sb.post(app.url(&restore(kept_entry))).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{lost_entry}/restore"),
            &st,
        )
        .send()
        .await
        .unwrap();
    let p = problem(r, 409).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("there is no contact {b}")),
        "{p}"
    );

    // The account's owner brings the team member back, through the API.
    let r = app
        .post(
            &format!("/api/v1/customers/{c}/history/{member_entry}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap();
    let out = json_of(r, 201).await;
    assert_eq!(out["record"], "team_member", "{out}");
    let team = app
        .get_json(&format!("/api/v1/customers/{c}/team"), &kt)
        .await;
    let back = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == out["id"])
        .unwrap_or_else(|| panic!("{team}"));
    assert_eq!(
        (
            &back["user_id"],
            &back["function"],
            &back["share_pct"],
            &back["dedicated"]
        ),
        (&json!(leaves), &json!("quality"), &json!(60), &json!(true))
    );
    let kb = app.browser("kam@test.example").await;
    let page = helpers::text(
        &kb,
        app.url(&format!("/customers/{c}/history?record=account_team")),
    )
    .await;
    assert!(
        page.contains(&format!("id=\"restored-{member_entry}\"")),
        "{page}"
    );
    // The notice in French.
    let page = helpers::text_in(
        &kb,
        app.url(&format!(
            "/customers/{c}/relationships?done=member-restored"
        )),
        "fr",
    )
    .await;
    assert!(page.contains("Membre de l’équipe restauré"), "{page}");
}

/// A contact restored comes back with its ties that are still there: whom
/// it reported to and who reported to it, its links with our people, its
/// places in meetings and interactions.
#[tokio::test]
async fn a_restored_contact_gets_back_its_ties() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = key_account(&app, "Attaches SA", kam).await;
    let boss = contact(&app, c, "Hélène", "Direction", "helene@attaches.example").await;
    let a = contact(&app, c, "Inès", "Achat", "ines@attaches.example").await;
    let report = contact(&app, c, "Omar", "Acheteur", "omar@attaches.example").await;
    let profile = |who: i64, body: Value| {
        let app = &app;
        let kt = kt.clone();
        async move {
            json_of(
                app.put(&format!("/api/v1/contacts/{who}/stakeholder"), &kt)
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
                200,
            )
            .await
        }
    };
    profile(a, json!({"version": 0, "buying_role": "decision_maker", "influence": 4, "reports_to_id": boss})).await;
    profile(report, json!({"version": 0, "reports_to_id": a})).await;
    json_of(
        app.post(&format!("/api/v1/customers/{c}/links"), &kt)
            .json(&json!({"contact_id": a, "user_id": kam, "owner_id": kam,
                          "strength": 5, "frequency": "weekly", "notes": "Trusts us"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let visit = json_of(
        app.post(&format!("/api/v1/customers/{c}/interactions"), &kt)
            .json(
                &json!({"kind": "visit", "occurred_on": "2026-02-03", "subject": "Plant visit",
                          "contact_ids": [a, boss], "user_ids": [kam]}),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let formats = app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await;
    let kmm = formats
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "kam_meeting")
        .unwrap()["id"]
        .clone();
    let meeting = json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(
                &json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning",
                          "user_ids": [kam], "contact_ids": [a]}),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{a}")))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    // Gone with it, as the confirmation says.
    let m = map(&app, c, &kt).await;
    assert_eq!(m["links"], json!([]), "{m}");
    assert!(person(&m, report)["reports_to_id"].is_null(), "{m}");
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=contact"),
            &app.admin_token,
        )
        .await;
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "delete")
        .unwrap_or_else(|| panic!("{history}"))["id"]
        .as_i64()
        .unwrap();
    let out = json_of(
        app.post(
            &format!("/api/v1/customers/{c}/history/{entry}/restore"),
            &kt,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let back = out["id"].as_i64().unwrap();
    assert_ne!(back, a, "a new contact");
    let m = map(&app, c, &kt).await;
    assert_eq!(person(&m, back)["reports_to_id"], json!(boss), "{m}");
    assert_eq!(person(&m, back)["influence"], 4, "{m}");
    assert_eq!(person(&m, report)["reports_to_id"], json!(back), "{m}");
    let links = m["links"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{m}");
    assert_eq!(
        (
            &links[0]["contact_id"],
            &links[0]["user_id"],
            &links[0]["strength"]
        ),
        (&json!(back), &json!(kam), &json!(5))
    );
    assert_eq!(
        (&links[0]["frequency"], &links[0]["notes"]),
        (&json!("weekly"), &json!("Trusts us"))
    );
    let list = app
        .get_json(&format!("/api/v1/customers/{c}/interactions"), &kt)
        .await;
    let item = &list["items"][0];
    assert_eq!(item["id"], visit["id"], "{list}");
    let mut people: Vec<i64> = item["contact_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    people.sort_unstable();
    assert_eq!(people, [boss, back], "{list}");
    let met = app
        .get_json(&format!("/api/v1/meetings/{}", meeting["id"]), &kt)
        .await;
    assert_eq!(met["contact_ids"], json!([back]), "{met}");
    // A change to the meeting: an edit from before it is stale.
    assert_eq!(
        met["version"].as_i64(),
        meeting["version"].as_i64().map(|v| v + 1),
        "{met}"
    );
}
