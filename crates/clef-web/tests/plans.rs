//! Key account plans through the API and the pages: versions and their
//! workflow, who sees and edits, bad input, comparison, my actions, search,
//! plan vs actual, and the two documents (HTML, Markdown, PDF).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem};
use serde_json::{Value, json};

struct Account {
    id: i64,
    kam: (i64, String),
    sponsor: (i64, String),
    director: (i64, String),
    member: (i64, String),
    viewer: (i64, String),
    other_kam: (i64, String),
    bu: i64,
}

/// A key account (through the selection workflow) and the people around it.
async fn key_account(app: &TestApp) -> Account {
    let kam = app.user_token("kam@test.example", "kam").await;
    let sponsor = app.user_token("sponsor@test.example", "sponsor").await;
    let director = app.user_token("director@test.example", "director").await;
    let member = app.user_token("member@test.example", "member").await;
    let viewer = app.user_token("viewer@test.example", "viewer").await;
    let other_kam = app.user_token("other@test.example", "kam").await;
    let bu: Value = json_of(
        app.post("/api/v1/business-units", &app.admin_token)
            .json(&json!({"code": "PKG", "name": "Packaging"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let c = app
        .create_customer(json!({"name": "Braking Systems Écully", "country": "FR", "wallet_cents": 1_000_000_000i64}))
        .await;
    let id = c["id"].as_i64().unwrap();
    json_of(
        app.post(
            &format!("/api/v1/customers/{id}/selection/propose"),
            &app.admin_token,
        )
        .json(&json!({"manager_id": kam.0, "sponsor_id": sponsor.0, "reason": "Strategic fit"}))
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
    Account {
        id,
        kam,
        sponsor,
        director,
        member,
        viewer,
        other_kam,
        bu: bu["id"].as_i64().unwrap(),
    }
}

/// A full plan; `risk` and friends are words only internal documents show.
fn content(a: &Account, objective: &str) -> Value {
    json!({
        "objective": objective,
        "vision": "Their partner of choice for the electric range.",
        "stage": "collaborative",
        "knowledge": {
            "organisation": "Three plants, purchasing centralised in Lyon.",
            "strategy": "Electrification by 2030.",
            "market": "European premium cars.",
            "purchasing": "A tender every March through the Écully office.",
            "history": "Customer since 2012.",
            "financial": "Stable margins, heavy investment phase."
        },
        "swot": [{"kind": "strength", "text": "SWOTSECRET trusted quality", "evidence": "Zero-defect audit 2026", "source": "Quality report"}],
        "notes": [{"text": "NOTESECRET the new CPO favours fewer suppliers", "author": "Field sales", "source": "Trade fair", "date": "2026-10-02"}],
        "initiatives": [
            {"title": "Joint design office", "rationale": "Co-design the next caliper", "expected_value_cents": 123_456_700, "owner_id": a.kam.0, "status": "validated", "joint": true, "validated_by": a.director.0, "validated_on": "2026-11-02"},
            {"title": "INTERNALONLY price realignment", "expected_value_cents": 5_000_000, "status": "planned", "joint": false}
        ],
        "actions": [
            {"title": "Kick-off workshop", "initiative": 1, "owner_id": a.kam.0, "start": "2020-01-01", "due": "2020-02-01", "status": "open"},
            {"title": "Prototype review", "initiative": 1, "owner_id": a.kam.0, "start": "2030-01-01", "due": "2030-03-01", "status": "open"},
            {"title": "Renegotiate the index clause", "initiative": 2, "owner_id": a.member.0, "due": "2030-06-01"}
        ],
        "risks": [{"title": "RISKSECRET competitor dumping", "probability": 4, "impact": 5, "mitigation": "Lock a 3-year frame agreement"}],
        "levers": [{"title": "Reference in the EV segment", "description": ""}],
        "people": [{"name": "Marie Curie", "user_id": a.member.0, "role": "Quality", "share_pct": 20}],
        "logistics": "Dedicated consignment stock in Lyon.",
        "budget": [{"label": "BUDGETSECRET travel", "year": 2027, "amount_cents": 1_500_000}],
        "targets": [{"year": 2025, "revenue_cents": 2_000_000, "margin_cents": 500_000, "share_of_wallet_pct": 30}],
        "projects": [{"title": "Recycled friction material", "description": "Joint lab", "status": "delivered", "value": "lighter pads, a tenth less weight"}],
        "shared_goals": "Bring the electric caliper to market together by 2028.",
        "value_delivered": "Two zero-defect years and a shorter lead time.",
        "asks": "ASKSECRET a visit of our CEO to their board in Q1."
    })
}

/// A new version of customer `id`'s plan, started by `token`: its id.
async fn new_version(app: &TestApp, id: i64, token: &str) -> i64 {
    json_of(
        app.post(&format!("/api/v1/customers/{id}/plan/versions"), token)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn put_content(
    app: &TestApp,
    token: &str,
    vid: i64,
    version: i64,
    c: &Value,
) -> reqwest::Response {
    app.put(&format!("/api/v1/plan-versions/{vid}"), token)
        .json(&json!({"version": version, "content": c}))
        .send()
        .await
        .unwrap()
}

async fn step(app: &TestApp, token: &str, vid: i64, s: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/plan-versions/{vid}/{s}"), token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_plan_goes_from_draft_to_approved_frozen_then_to_the_next_year() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let kam = &a.kam.1;
    let dir = &a.director.1;

    // Only key accounts have a plan.
    let plain = app
        .create_customer(json!({"name": "Not Key", "country": "FR"}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/customers/{}/plan/versions", plain["id"]),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap();
    assert!(
        problem(r, 409).await["detail"]
            .as_str()
            .unwrap()
            .contains("not a key account")
    );

    // Another KAM may not start it; the account's KAM does.
    let r = app
        .post(
            &format!("/api/v1/customers/{}/plan/versions", a.id),
            &a.other_kam.1,
        )
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let v1 = json_of(
        app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
            .json(&json!({"year": 2026}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let vid = v1["id"].as_i64().unwrap();
    assert_eq!(v1["status"], "draft");
    assert_eq!(v1["number"], 1);
    let years: Vec<i64> = v1["content"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2026, 2027, 2028]);
    // A second draft at once is refused.
    let r = app
        .post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;

    // Submitting without a strategic objective names the field.
    let p = problem(step(&app, kam, vid, "submit").await, 422).await;
    assert_eq!(p["errors"][0]["field"], "objective");

    // Bad values are refused with the field named, and nothing is saved.
    let mut bad = content(&a, "Be their sole braking supplier by 2029.");
    bad["actions"][0]["due"] = json!("2019-12-31");
    bad["budget"][0]["amount_cents"] = json!(-100);
    bad["targets"][0]["margin_cents"] = json!(-1);
    bad["risks"][0]["probability"] = json!(9);
    bad["initiatives"][0]["owner_id"] = json!(999_999);
    bad["actions"][1]["owner_id"] = json!(a.viewer.0);
    let p = problem(put_content(&app, kam, vid, 1, &bad).await, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "actions[0].due",
        "budget[0].amount_cents",
        "targets[0].margin_cents",
        "risks[0].probability",
        "initiatives[0].owner_id",
        "actions[1].owner_id",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let p = problem(
        put_content(&app, kam, vid, 1, &json!({"objective": 3})).await,
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "content");
    // A list is not a plan: it would have read as an empty one.
    for not_a_plan in [json!([]), json!("plan"), json!(null)] {
        let p = problem(put_content(&app, kam, vid, 1, &not_a_plan).await, 422).await;
        assert_eq!(p["errors"][0]["field"], "content", "{not_a_plan}");
    }

    // Two sentences are not one objective.
    let two = content(&a, "Grow with them. Then become their sole supplier.");
    let saved = json_of(put_content(&app, kam, vid, 1, &two).await, 200).await;
    assert_eq!(saved["version"], 2);
    let p = problem(step(&app, kam, vid, "submit").await, 422).await;
    assert_eq!(p["errors"][0]["code"], "one-sentence");

    let good = content(
        &a,
        "Become their sole braking supplier for the electric range by 2029.",
    );
    // A stale edit counter is a conflict, not a silent overwrite.
    problem(put_content(&app, kam, vid, 1, &good).await, 409).await;
    let saved = json_of(put_content(&app, kam, vid, 2, &good).await, 200).await;
    assert_eq!(saved["completeness_pct"], 100);

    // Who sees the plan: KAM, sponsor, directors, the team; not others.
    for (who, status) in [
        (&a.sponsor.1, 200),
        (dir, 200),
        (&a.member.1, 200), // named in the plan's people
        (&a.viewer.1, 403),
        (&a.other_kam.1, 403),
    ] {
        let r = app
            .get(&format!("/api/v1/plan-versions/{vid}"), who)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status);
    }
    // Only the KAM and directors edit it.
    for who in [&a.sponsor.1, &a.member.1] {
        problem(put_content(&app, who, vid, 3, &good).await, 403).await;
    }
    let plan = json_of(
        app.get(&format!("/api/v1/customers/{}/plan", a.id), &a.sponsor.1)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(plan["can_edit"], false);

    // Submit, then approve (directors only); approved versions are frozen.
    let sub = json_of(step(&app, kam, vid, "submit").await, 200).await;
    assert_eq!(sub["status"], "submitted");
    problem(put_content(&app, kam, vid, 4, &good).await, 409).await;
    problem(step(&app, kam, vid, "approve").await, 403).await;
    problem(step(&app, &a.sponsor.1, vid, "approve").await, 403).await;
    let ap = json_of(step(&app, dir, vid, "approve").await, 200).await;
    assert_eq!(ap["status"], "approved");
    assert_eq!(ap["approved_by"], a.director.0);
    let p = problem(put_content(&app, dir, vid, 5, &good).await, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("frozen"), "{p}");
    problem(step(&app, dir, vid, "submit").await, 409).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/plan-versions/{vid}")))
        .bearer_auth(kam)
        .send()
        .await
        .unwrap();
    problem(r, 409).await;
    // The pages say why in the reader's language.
    let b = app.browser("director@test.example").await;
    for (lang, words) in [
        (
            "fr",
            "La version 1 est approuvée et figée : commencez une nouvelle version",
        ),
        (
            "en",
            "Version 1 is approved and frozen: start a new version",
        ),
    ] {
        let r = b
            .get(app.url(&format!("/plan-versions/{vid}/edit")))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let page = r.text().await.unwrap();
        assert!(page.contains(words), "{page}");
    }
    let r = b
        .post(app.url(&format!("/plan-versions/{vid}/step/submit")))
        .header("accept-language", "fr")
        .form(&[
            ("version", ap["version"].to_string()),
            ("note", String::new()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("La version 1 est approuvée : elle ne peut donc pas être soumise ; seule une version en brouillon peut l’être."),
        "{page}"
    );

    // Next year's plan starts from the approved one.
    let v2 = json_of(
        app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let vid2 = v2["id"].as_i64().unwrap();
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["year"], 2027);
    assert_eq!(v2["based_on"], vid);
    assert_eq!(v2["content"]["objective"], good["objective"]);
    let years: Vec<i64> = v2["content"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2027, 2028, 2029]);

    // Compare field by field.
    let mut next = v2["content"].clone();
    next["vision"] = json!("Their first partner in Europe.");
    next["risks"][0]["impact"] = json!(3);
    json_of(put_content(&app, kam, vid2, 1, &next).await, 200).await;
    let cmp = json_of(
        app.get(
            &format!("/api/v1/plan-versions/compare?from={vid}&to={vid2}"),
            kam,
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    let changes = cmp["changes"].as_array().unwrap();
    let vision = changes.iter().find(|c| c["field"] == "vision").unwrap();
    assert_eq!(vision["before"], good["vision"]);
    assert_eq!(vision["after"], "Their first partner in Europe.");
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "risks[0].impact" && c["before"] == "5" && c["after"] == "3")
    );
    // The 2026 target row is gone from the new version.
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "targets[0].year" && c["before"] == "2025")
    );

    // Approving the new version archives the old one.
    json_of(step(&app, kam, vid2, "submit").await, 200).await;
    json_of(step(&app, dir, vid2, "approve").await, 200).await;
    let plan = app
        .get_json(&format!("/api/v1/customers/{}/plan", a.id), kam)
        .await;
    let st: Vec<&str> = plan["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(st, vec!["archived", "approved"]);

    // A draft can be deleted; the history keeps it.
    let v3 = json_of(
        app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/plan-versions/{}", v3["id"])))
        .bearer_auth(kam)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let h = app
        .store
        .history("plan_version", v3["id"].as_i64().unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(h[0].action, "delete");

    // Archiving from the page asks first; the plan stays approved until
    // the person confirms.
    let v2 = app
        .get_json(&format!("/api/v1/plan-versions/{vid2}"), kam)
        .await;
    let archive = |confirmed: &'static str| {
        b.post(app.url(&format!("/plan-versions/{vid2}/step/archive")))
            .header("accept-language", "fr")
            .form(&[
                ("version", v2["version"].to_string()),
                ("confirmed", confirmed.to_owned()),
            ])
            .send()
    };
    let r = archive("").await.unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Archiver ce plan ?"), "{page}");
    assert!(page.contains(r#"name="confirmed" value="1""#), "{page}");
    // The version sent is the one the person saw.
    assert!(
        page.contains(&format!(r#"name="version" value="{}""#, v2["version"])),
        "{page}"
    );
    let status = |v: serde_json::Value| v["status"].as_str().unwrap().to_owned();
    let now = app
        .get_json(&format!("/api/v1/plan-versions/{vid2}"), kam)
        .await;
    assert_eq!(status(now), "approved");
    // Sent with a version someone else moved on: said in the reader's
    // language.
    let r = b
        .post(app.url(&format!("/plan-versions/{vid2}/step/archive")))
        .header("accept-language", "fr")
        .form(&[("version", "999"), ("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Quelqu’un d’autre a modifié cet enregistrement"),
        "{page}"
    );
    // A year out of range for the next version, in French too.
    let r = b
        .post(app.url(&format!("/customers/{}/plan", a.id)))
        .header("accept-language", "fr")
        .form(&[("year", "1999")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Saisissez une année de 2000 à 2100"),
        "{page}"
    );
    let r = archive("1").await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/plan-versions/{vid2}?done=archive").as_str()
    );
    let now = app
        .get_json(&format!("/api/v1/plan-versions/{vid2}"), kam)
        .await;
    assert_eq!(status(now), "archived");
}

#[tokio::test]
async fn my_actions_put_overdue_first_and_their_follow_up_leaves_the_plan_frozen() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let kam = &a.kam.1;
    let v = json_of(
        app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let vid = v["id"].as_i64().unwrap();
    let c = content(&a, "Become their sole braking supplier by 2029.");
    json_of(put_content(&app, kam, vid, 1, &c).await, 200).await;
    json_of(step(&app, kam, vid, "submit").await, 200).await;
    json_of(step(&app, &a.director.1, vid, "approve").await, 200).await;

    let mine = app.get_json("/api/v1/me/actions", kam).await;
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Kick-off workshop", "Prototype review"]);
    assert_eq!(mine[0]["overdue"], true);
    assert_eq!(mine[1]["overdue"], false);
    assert_eq!(mine[0]["initiative"], "Joint design office");
    let theirs = json_of(
        app.get("/api/v1/me/actions", &a.member.1)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(theirs.as_array().unwrap().len(), 1);

    // The owner of an action follows it up on the approved version …
    let r = app
        .put(
            &format!("/api/v1/plan-versions/{vid}/actions/0/status"),
            kam,
        )
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // … someone else (not owner, not editor) may not, and bad statuses are named.
    let r = app
        .put(
            &format!("/api/v1/plan-versions/{vid}/actions/0/status"),
            &a.member.1,
        )
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
    let r = app
        .put(
            &format!("/api/v1/plan-versions/{vid}/actions/0/status"),
            kam,
        )
        .json(&json!({"status": "finished"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r, 422).await["errors"][0]["field"], "status");
    let r = app
        .put(
            &format!("/api/v1/plan-versions/{vid}/actions/9/status"),
            kam,
        )
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    problem(r, 404).await;

    // The version's actions as CSV: each field as written, the owner's name
    // beside their id, the status as it stands today.
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/plan-versions/{vid}"))).await;
    assert!(
        page.contains(&format!("href=\"/plan-versions/{vid}/lists/actions.csv\"")),
        "{page}"
    );
    let csv = helpers::text(
        &b,
        app.url(&format!("/plan-versions/{vid}/lists/actions.csv")),
    )
    .await;
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "#",
            "title",
            "initiative",
            "initiative_title",
            "owner_id",
            "owner",
            "start",
            "due",
            "status"
        ]
    );
    let rows: Vec<Vec<String>> = rows
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert_eq!(
        rows[0],
        [
            "1",
            "Kick-off workshop",
            "1",
            "Joint design office",
            &a.kam.0.to_string(),
            "kam@test.example",
            "2020-01-01",
            "2020-02-01",
            "done"
        ],
        "{csv}"
    );
    assert_eq!(rows[2][5], "member@test.example", "{csv}");
    // Every column its own name: the person who validated an initiative
    // beside their id.
    let csv = helpers::text(
        &b,
        app.url(&format!("/plan-versions/{vid}/lists/initiatives.csv")),
    )
    .await;
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    let at = header.iter().position(|h| h == "validated_by").unwrap();
    assert_eq!(header[at + 1], "validated_by_name", "{csv}");
    let first = rows.records().next().unwrap().unwrap();
    assert_eq!(&first[at + 1], "director@test.example", "{csv}");
    for missing in ["direction.csv", "actions", "nothing.csv"] {
        let r = b
            .get(app.url(&format!("/plan-versions/{vid}/lists/{missing}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{missing}");
    }

    let mine = app.get_json("/api/v1/me/actions", kam).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let all = app.get_json("/api/v1/me/actions?closed=true", kam).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let got = app
        .get_json(&format!("/api/v1/plan-versions/{vid}"), kam)
        .await;
    assert_eq!(got["action_status"][0], "done");
    assert_eq!(
        got["content"]["actions"][0]["status"], "open",
        "the approved content stays as approved"
    );
    assert_eq!(got["version"], v["version"].as_i64().unwrap() + 3);

    // The next version carries the follow-up along; on a draft, a status
    // goes into the content, so it stays with its action.
    let v2 = json_of(
        app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(v2["content"]["actions"][0]["status"], "done");
    let v2id = v2["id"].as_i64().unwrap();
    let r = app
        .put(
            &format!("/api/v1/plan-versions/{v2id}/actions/1/status"),
            kam,
        )
        .json(&json!({"status": "in_progress"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let d = app
        .get_json(&format!("/api/v1/plan-versions/{v2id}"), kam)
        .await;
    assert_eq!(d["content"]["actions"][1]["status"], "in_progress");
    assert_eq!(d["version"], 2);
    // Actions are named by their place: a status sent for the draft as it
    // was before is refused, as it may name another action now.
    let status = |version: i64| {
        app.put(
            &format!("/api/v1/plan-versions/{v2id}/actions/0/status"),
            kam,
        )
        .json(&json!({"status": "cancelled", "version": version}))
        .send()
    };
    problem(status(1).await.unwrap(), 409).await;
    assert_eq!(status(2).await.unwrap().status(), 204);
    // The draft's deletion, confirmed on a page showing an older version,
    // deletes nothing.
    let b = app.browser("admin@test.example").await;
    let delete = |version: i64| {
        b.post(app.url(&format!("/plan-versions/{v2id}/delete")))
            .form(&[("version", version.to_string())])
            .send()
    };
    assert_eq!(delete(2).await.unwrap().status(), 409);
    app.get_json(&format!("/api/v1/plan-versions/{v2id}"), kam)
        .await;
    let r = delete(3).await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Plan version deleted.") && page.contains("history?record=plan_version"),
        "{page}"
    );
    let r = app
        .get(&format!("/api/v1/plan-versions/{v2id}"), kam)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn targets_stand_beside_the_booked_revenue_and_plans_are_searchable() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let lines: Vec<Value> = (1..=12)
        .map(|m| json!({"customer_id": a.id, "business_unit_id": a.bu, "period": format!("2025-{m:02}"), "revenue_cents": 250_000, "margin_cents": 50_000}))
        .collect();
    let r = app
        .post("/api/v1/revenue-lines", &app.admin_token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = json_of(
        app.post(
            &format!("/api/v1/customers/{}/plan/versions", a.id),
            &a.kam.1,
        )
        .json(&json!({"year": 2025}))
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let vid = v["id"].as_i64().unwrap();
    let mut c = v["content"].clone();
    c["targets"][0]["revenue_cents"] = json!(3_600_000);
    c["targets"][0]["share_of_wallet_pct"] = json!(40);
    c["knowledge"]["purchasing"] = json!("Tenders run every March through the Écully office.");
    json_of(put_content(&app, &a.kam.1, vid, 1, &c).await, 200).await;
    let got = json_of(
        app.get(&format!("/api/v1/plan-versions/{vid}"), &a.kam.1)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let y = &got["plan_vs_actual"][0];
    assert_eq!(y["year"], 2025);
    assert_eq!(y["target_revenue_cents"], 3_600_000);
    assert_eq!(y["actual_revenue_cents"], 3_000_000);
    assert_eq!(y["actual_margin_cents"], 600_000);
    assert!((y["actual_share_of_wallet_pct"].as_f64().unwrap() - 0.3).abs() < 1e-9);
    assert_eq!(got["plan_vs_actual"][1]["actual_revenue_cents"], 0);

    // Search ignores accents and case, and only in plans the reader may see.
    let found = json_of(
        app.get("/api/v1/plans?q=ECULLY%20office", &a.kam.1)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{found}");
    assert_eq!(hits[0]["field"], "knowledge.purchasing");
    assert!(hits[0]["excerpt"].as_str().unwrap().contains("Écully"));
    let other = json_of(
        app.get("/api/v1/plans?q=ecully", &a.other_kam.1)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(other["hits"].as_array().unwrap().is_empty());
    assert!(other["plans"].as_array().unwrap().is_empty());
    assert_eq!(found["plans"][0]["latest"]["status"], "draft");
    // On the page, the search looks in the plans the filters keep.
    let b = app.browser("kam@test.example").await;
    let drafts = helpers::text(&b, app.url("/plans?q=ecully&status=draft")).await;
    assert!(drafts.contains("id=\"search-hits\""), "{drafts}");
    let approved = helpers::text(&b, app.url("/plans?q=ecully&status=approved")).await;
    assert!(!approved.contains("id=\"search-hits\""), "{approved}");
    // The API narrows the same way, and names a state it does not know.
    let kept = app
        .get_json("/api/v1/plans?q=ecully&status=approved", &a.kam.1)
        .await;
    assert!(kept["hits"].as_array().unwrap().is_empty(), "{kept}");
    assert!(kept["plans"].as_array().unwrap().is_empty(), "{kept}");
    let drafts = app
        .get_json(
            &format!("/api/v1/plans?status=draft&owner_id={}", a.kam.0),
            &a.kam.1,
        )
        .await;
    assert_eq!(drafts["plans"][0]["customer_id"], a.id, "{drafts}");
    let p = problem(
        app.get("/api/v1/plans?status=frozen", &a.kam.1)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "status", "{p}");
}

fn tool(name: &str) -> String {
    let p = format!("/usr/bin/{name}");
    assert!(
        std::path::Path::new(&p).exists(),
        "{p} is missing: install the Debian package poppler-utils (scripts/test does)"
    );
    p
}

/// The text of a PDF, and whether its first page renders with ink on it.
fn read_pdf(bytes: &[u8]) -> (String, bool) {
    let dir = std::env::temp_dir().join(format!(
        "clef-pdf-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("doc.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let out = std::process::Command::new(tool("pdftotext"))
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let st = std::process::Command::new(tool("pdftoppm"))
        .args(["-r", "40", "-gray", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(dir.join("page"))
        .status()
        .unwrap();
    assert!(st.success(), "pdftoppm could not render the PDF");
    let img = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".pgm"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .expect("a rendered page");
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while img[at].is_ascii_whitespace() {
            at += 1;
        }
        while !img[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    let pixels = &img[at + 1..];
    let dark = pixels.iter().filter(|p| **p < 128).count();
    std::fs::remove_dir_all(&dir).ok();
    (text, dark > 200 && pixels.len() > 100_000)
}

#[tokio::test]
async fn the_two_documents_come_as_html_markdown_and_a_real_pdf_and_the_brief_keeps_internals_out()
{
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let v = json_of(
        app.post(
            &format!("/api/v1/customers/{}/plan/versions", a.id),
            &a.kam.1,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let vid = v["id"].as_i64().unwrap();
    let c = content(&a, "Become their sole braking supplier by 2029.");
    json_of(put_content(&app, &a.kam.1, vid, 1, &c).await, 200).await;
    let get = |name: &str| {
        app.get(
            &format!("/api/v1/plan-versions/{vid}/documents/{name}"),
            &a.sponsor.1,
        )
        .send()
    };

    // The Executive Summary carries the internal picture.
    let r = get("executive-summary.md?lang=en").await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/markdown; charset=utf-8");
    let md = r.text().await.unwrap();
    for s in [
        "Executive Summary",
        "Become their sole braking supplier by 2029.",
        "Their partner of choice",
        "Joint design office",
        "€1,234,567.00",
        "RISKSECRET",
        "ASKSECRET",
    ] {
        assert!(md.contains(s), "summary lacks {s}:\n{md}");
    }
    let r = get("executive-summary.pdf?lang=fr").await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".pdf")
    );
    let (text, inked) = read_pdf(&r.bytes().await.unwrap());
    assert!(inked, "page 1 of the summary renders blank");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "Synthèse pour la direction",
        "Principaux risques",
        "RISKSECRET",
        "Become their sole braking supplier",
    ] {
        assert!(flat.contains(s), "summary PDF lacks {s}:\n{flat}");
    }
    let pages = text.matches('\u{c}').count().max(1);
    assert!(pages <= 2, "the summary runs to {pages} pages");

    // The Customer Executive Brief: shared goals, value, joint work, next steps …
    let html = get("customer-brief.html?lang=en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let md = get("customer-brief.md?lang=en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = get("customer-brief.pdf?lang=en").await.unwrap();
    let (pdf_text, inked) = read_pdf(&r.bytes().await.unwrap());
    assert!(inked, "page 1 of the brief renders blank");
    let pdf_flat = pdf_text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (kind, doc) in [("html", &html), ("md", &md), ("pdf", &pdf_flat)] {
        for s in [
            "Customer Executive Brief",
            "Bring the electric caliper to market together by 2028.",
            "Two zero-defect years",
            "Recycled friction material",
            "Joint design office",
            "Prototype review",
        ] {
            assert!(doc.contains(s), "brief ({kind}) lacks {s}");
        }
        // … and nothing internal: no risk, no figure, no money, no notes.
        for s in [
            "RISKSECRET",
            "Lock a 3-year",
            "ASKSECRET",
            "SWOTSECRET",
            "NOTESECRET",
            "BUDGETSECRET",
            "INTERNALONLY",
            "Renegotiate",
            "€",
            "%",
            "1,234,567",
            "Stable margins",
            "Risk",
            "Revenue",
            "Margin",
        ] {
            assert!(!doc.contains(s), "the brief ({kind}) shows {s}");
        }
    }
    // The kick-off workshop is overdue but open: a next step; none done shows.
    assert!(md.contains("Kick-off workshop"));

    // French, and bad names.
    let fr = get("customer-brief.html?lang=fr")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fr.contains("Note aux dirigeants du client"));
    assert!(fr.contains("Objectifs partagés"));
    problem(get("customer-brief.docx").await.unwrap(), 404).await;
    problem(get("customer-brief.md?lang=de").await.unwrap(), 422).await;
    // Not for viewers.
    let r = app
        .get(
            &format!("/api/v1/plan-versions/{vid}/documents/customer-brief.pdf"),
            &a.viewer.1,
        )
        .send()
        .await
        .unwrap();
    problem(r, 403).await;
}

#[tokio::test]
async fn the_edit_page_keeps_what_was_typed_and_puts_each_message_beside_its_field() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let b = app.browser("kam@test.example").await;
    // Start the plan from its page.
    let r = b
        .post(app.url(&format!("/customers/{}/plan", a.id)))
        .form(&[("year", "2027")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let edit = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(edit.ends_with("/edit"), "{edit}");
    let page = b
        .get(app.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"objective\""));
    assert!(page.contains("name=\"targets[2].year\" inputmode=\"numeric\" value=\"2029\""));

    let form = [
        ("_version", "1"),
        ("objective", "Win the caliper tender."),
        ("vision", "Partner of choice."),
        ("actions[0].title", "Workshop"),
        ("actions[0].start", "2027-03-01"),
        ("actions[0].due", "2027-02-01"),
        ("budget[0].label", "Travel"),
        ("budget[0].amount_cents", "douze euros"),
        ("targets[0].year", "2027"),
        ("targets[0].revenue_cents", "-5"),
    ];
    let r = b.post(app.url(&edit)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"douze euros\""), "typed text is kept");
    assert!(html.contains("id=\"budget[0].amount_cents-error\""));
    assert!(html.contains("id=\"actions[0].due-error\""));
    assert!(html.contains("id=\"targets[0].revenue_cents-error\""));
    assert!(html.contains("Win the caliper tender."));

    // "More rows" keeps the text and saves nothing.
    let mut more = form.to_vec();
    more.push(("_add", "swot"));
    let r = b.post(app.url(&edit)).form(&more).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("name=\"swot[2].text\""));
    assert!(html.contains("value=\"douze euros\""));

    let good = [
        ("_version", "1"),
        ("objective", "Win the caliper tender."),
        ("vision", "Partner of choice."),
        ("actions[0].title", "Workshop"),
        ("actions[0].start", "2027-01-01"),
        ("actions[0].due", "2027-02-01"),
        ("budget[0].label", "Travel"),
        ("budget[0].amount_cents", "1 234,50"),
    ];
    let r = b.post(app.url(&edit)).form(&good).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let view = r.headers()["location"].to_str().unwrap().to_owned();
    let html = b
        .get(app.url(&view))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Plan saved."));
    assert!(html.contains("€1,234.50"));
    // A stale form keeps the text and says why.
    let r = b.post(app.url(&edit)).form(&good).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Win the caliper tender."));

    // The viewer is turned away; the plans list shows the plan to its KAM.
    let v = app.browser("viewer@test.example").await;
    let r = v.get(app.url(&view)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let list = b
        .get(app.url("/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Braking Systems Écully"));
    let csv = b
        .get(app.url("/plans.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().nth(1).unwrap().contains("draft"));
}

/// The plans list sorts by its headings; its CSV follows the same order.
#[tokio::test]
async fn the_plans_list_sorts_by_its_headings() {
    let app = TestApp::spawn().await;
    for name in ["Zeta Tools", "Alpha Works", "Émeraude SA"] {
        app.create_customer(json!({"name": name, "country": "FR", "status": "key_account"}))
            .await;
    }
    let b = app.browser("admin@test.example").await;
    let order = |html: &str| -> Vec<usize> {
        ["Alpha Works", "Émeraude SA", "Zeta Tools"]
            .iter()
            .map(|n| html.find(n).unwrap_or_else(|| panic!("{n} missing")))
            .collect()
    };
    let up = helpers::text(&b, app.url("/plans")).await;
    let o = order(&up);
    assert!(o[0] < o[1] && o[1] < o[2], "by name, accents aside");
    let down = helpers::text(&b, app.url("/plans?sort=-customer")).await;
    let o = order(&down);
    assert!(o[2] < o[1] && o[1] < o[0], "reversed");
    assert!(down.contains("aria-sort=\"descending\""));
    assert!(down.contains("href=\"/plans.csv?q=&#38;status=&#38;owner_id=&#38;sort=-customer\""));
    let csv = helpers::text(&b, app.url("/plans.csv?sort=-customer")).await;
    assert!(csv.lines().nth(1).unwrap().contains("Zeta Tools"), "{csv}");
    // Fifty a page, the order kept from page to page.
    for k in 0..50 {
        app.create_customer(
            json!({"name": format!("Mid {k:02}"), "country": "FR", "status": "key_account"}),
        )
        .await;
    }
    let first = helpers::text(&b, app.url("/plans?sort=-customer")).await;
    assert!(first.contains("53 accounts"), "{first}");
    assert!(
        first
            .contains("href=\"/plans?q=&#38;status=&#38;owner_id=&#38;sort=-customer&#38;page=2\""),
        "{first}"
    );
    let second = helpers::text(&b, app.url("/plans?sort=-customer&page=2")).await;
    let o = [
        second.find("Mid 00"),
        second.find("Émeraude SA"),
        second.find("Alpha Works"),
    ];
    assert!(
        o.iter().all(Option::is_some) && o[0] < o[1] && o[1] < o[2],
        "{second}"
    );
    assert!(!second.contains("Zeta Tools") && !second.contains("Mid 01"));

    // Narrowed to where the plans stand, or to one owner; the CSV follows.
    let zeta = app
        .get_json("/api/v1/customers?q=zeta", &app.admin_token)
        .await["items"][0]["id"]
        .clone();
    json_of(
        app.post(
            &format!("/api/v1/customers/{zeta}/plan/versions"),
            &app.admin_token,
        )
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let drafts = helpers::text(&b, app.url("/plans?status=draft")).await;
    assert!(drafts.contains("1 account · of 53"), "{drafts}");
    assert!(drafts.contains("Zeta Tools") && !drafts.contains("Alpha Works"));
    assert!(
        drafts.contains("<option value=\"draft\" selected>"),
        "{drafts}"
    );
    assert!(
        drafts.contains("href=\"/plans.csv?q=&#38;status=draft&#38;owner_id=&#38;sort=customer\""),
        "{drafts}"
    );
    let csv = helpers::text(&b, app.url("/plans.csv?status=draft")).await;
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let without = helpers::text(&b, app.url("/plans?status=none")).await;
    assert!(without.contains("52 accounts · of 53") && !without.contains("Zeta Tools"));
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    app.create_customer(
        json!({"name": "Owned Co", "country": "FR", "status": "key_account", "owner_id": kam}),
    )
    .await;
    let theirs = helpers::text(&b, app.url(&format!("/plans?owner_id={kam}"))).await;
    assert!(
        theirs.contains("1 account · of 54") && theirs.contains("Owned Co"),
        "{theirs}"
    );
    let none = helpers::text(
        &b,
        app.url(&format!("/plans?owner_id={kam}&status=approved")),
    )
    .await;
    assert!(
        none.contains("No account has a plan in this state with this owner."),
        "{none}"
    );
}

/// A deleted draft comes back from its customer's history, once, with its
/// content, as the plan's newest version, for those who edit the plan; not
/// while another version is open.
#[tokio::test]
async fn a_deleted_plan_draft_is_restored_from_the_history() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let kam = &a.kam.1;
    let new_draft = || async {
        json_of(
            app.post(&format!("/api/v1/customers/{}/plan/versions", a.id), kam)
                .send()
                .await
                .unwrap(),
            201,
        )
        .await
    };
    let delete = |id: i64| {
        let app = &app;
        async move {
            let r = app
                .client
                .delete(app.url(&format!("/api/v1/plan-versions/{id}")))
                .bearer_auth(kam)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 204);
        }
    };
    let v = new_draft().await;
    let vid = v["id"].as_i64().unwrap();
    let c = content(&a, "Become their sole braking supplier by 2029.");
    json_of(put_content(&app, kam, vid, 1, &c).await, 200).await;
    let kept = app
        .get_json(&format!("/api/v1/plan-versions/{vid}"), kam)
        .await["content"]
        .clone();
    delete(vid).await;
    // The deletions of the plan's drafts, newest first.
    let deletions = || {
        let app = &app;
        async move {
            let h = app
                .get_json(
                    &format!("/api/v1/customers/{}/history?record=plan_version", a.id),
                    &app.admin_token,
                )
                .await;
            h.as_array()
                .unwrap()
                .iter()
                .filter(|e| e["action"] == "delete")
                .map(|e| e["id"].as_i64().unwrap())
                .collect::<Vec<i64>>()
        }
    };
    let entry = deletions().await[0];
    let restore = format!("/customers/{}/history/{entry}/restore", a.id);
    let viewer = app.browser("viewer@test.example").await;
    let page = helpers::text(&viewer, app.url(&format!("/customers/{}/history", a.id))).await;
    assert!(!page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    assert_eq!(
        viewer
            .post(app.url(&restore))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{}/history", a.id))).await;
    assert!(page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(page.contains("Draft restored from the history"), "{page}");
    let new = back
        .trim_start_matches("/plan-versions/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let got = app
        .get_json(&format!("/api/v1/plan-versions/{new}"), kam)
        .await;
    assert_eq!(
        (&got["number"], &got["status"], &got["year"]),
        (&json!(1), &json!("draft"), &v["year"])
    );
    assert_eq!(
        got["content"]["objective"],
        "Become their sole braking supplier by 2029."
    );
    assert_eq!(got["content"], kept, "the whole content");
    // Once only.
    assert_eq!(
        b.post(app.url(&restore)).send().await.unwrap().status(),
        409
    );
    // Not while another version is open.
    delete(new.parse().unwrap()).await;
    let open = new_draft().await;
    let p = problem(
        app.post(
            &format!(
                "/api/v1/customers/{}/history/{}/restore",
                a.id,
                deletions().await[0]
            ),
            kam,
        )
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("version {} is still draft", open["number"])),
        "{p}"
    );
}

/// "My actions" sorts each of its tables by a heading and pages it, fifty a
/// page, the order kept from page to page and in the CSV; the other table
/// keeps its own order and page.
#[tokio::test]
async fn my_actions_sort_by_their_headings_and_page_fifty_at_a_time() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let kam = &a.kam.1;
    let vid = new_version(&app, a.id, kam).await;
    let mut c = content(&a, "Sixty follow-ups.");
    // Titles run one way, due dates the other: "Follow-up 01" is due last.
    c["actions"] = (1..=60)
        .map(|k| {
            json!({"title": format!("Follow-up {k:02}"), "owner_id": a.kam.0,
                   "due": format!("2030-{:02}-{:02}", 12 - (k - 1) / 28, 28 - (k - 1) % 28),
                   "status": "open"})
        })
        .collect();
    json_of(put_content(&app, kam, vid, 1, &c).await, 200).await;
    let b = app.browser("kam@test.example").await;
    let rows = |html: &str| -> Vec<String> {
        let table = html
            .split("id=\"my-actions\"")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap_or_else(|| panic!("{html}"));
        table
            .split("<td>Follow-up ")
            .skip(1)
            .map(|r| r[..2].to_owned())
            .collect()
    };

    // By default, by due date: the last titles first.
    let first = helpers::text(&b, app.url("/my/actions")).await;
    assert!(first.contains("60 actions, overdue ones first"), "{first}");
    let shown = rows(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!((shown[0].as_str(), shown[49].as_str()), ("60", "11"));
    assert!(first.contains("href=\"/my/actions?page=2\""), "{first}");
    let second = helpers::text(&b, app.url("/my/actions?page=2")).await;
    assert_eq!(
        rows(&second),
        ["10", "09", "08", "07", "06", "05", "04", "03", "02", "01"]
    );

    // By title, then reversed by its heading; the order stays on page 2
    // and in the CSV, which holds every page.
    let by_title = helpers::text(&b, app.url("/my/actions?sort=title")).await;
    assert_eq!(rows(&by_title)[..3], ["01", "02", "03"]);
    assert!(by_title.contains("60 actions."), "{by_title}");
    assert!(
        by_title.contains("href=\"/my/actions?sort=-title\""),
        "the heading reverses the order: {by_title}"
    );
    assert!(by_title.contains("aria-sort=\"ascending\""), "{by_title}");
    let down = helpers::text(&b, app.url("/my/actions?sort=-title&page=2")).await;
    assert_eq!(rows(&down)[..2], ["10", "09"]);
    assert!(
        down.contains("href=\"/my/actions?sort=-title&#38;page=1\""),
        "{down}"
    );
    let csv = helpers::text(&b, app.url("/my/actions.csv?sort=-title")).await;
    let titles: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .collect();
    assert_eq!(titles.len(), 60, "{csv}");
    assert_eq!((titles[0], titles[59]), ("Follow-up 60", "Follow-up 01"));
    assert!(
        by_title.contains("href=\"/my/actions.csv?sort=title\""),
        "{by_title}"
    );
    // The meetings' table keeps its own order; a search keeps the plans' one.
    let both = helpers::text(
        &b,
        app.url("/my/actions?sort=title&msort=-meeting&q=follow"),
    )
    .await;
    assert!(
        both.contains("href=\"/my/actions?q=follow&#38;sort=-title&#38;msort=-meeting\""),
        "{both}"
    );
    assert!(both.contains("name=\"msort\" value=\"-meeting\""), "{both}");
    // A page past the end shows the last one.
    let past = helpers::text(&b, app.url("/my/actions?page=9")).await;
    assert_eq!(rows(&past).len(), 10);
}

/// An action's owner who is not on the account follows it up from My
/// actions (through the API and the page) without seeing the plan; others
/// outside the plan may not.
#[tokio::test]
async fn an_action_owner_outside_the_account_follows_it_up_without_seeing_the_plan() {
    let app = TestApp::spawn().await;
    let a = key_account(&app).await;
    let (am, am_token) = app.user_token("am@test.example", "account_manager").await;
    let (_, other) = app.user_token("am2@test.example", "account_manager").await;
    let kam = &a.kam.1;
    let vid = new_version(&app, a.id, kam).await;
    let mut c = content(&a, "Plant visits.");
    c["actions"][2]["owner_id"] = json!(am);
    json_of(put_content(&app, kam, vid, 1, &c).await, 200).await;
    let mine = app.get_json("/api/v1/me/actions", &am_token).await;
    assert_eq!(mine[0]["title"], "Renegotiate the index clause", "{mine}");
    // The plan stays closed to them …
    problem(
        app.get(&format!("/api/v1/plan-versions/{vid}"), &am_token)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let status = |token: &str, s: &'static str| {
        app.put(
            &format!("/api/v1/plan-versions/{vid}/actions/2/status"),
            token,
        )
        .json(&json!({"status": s}))
        .send()
    };
    // … someone else outside it may not change the action …
    problem(status(&other, "done").await.unwrap(), 403).await;
    // … its owner may, through the API and from My actions.
    assert_eq!(
        status(&am_token, "in_progress").await.unwrap().status(),
        204
    );
    let b = app.browser("am@test.example").await;
    let page = helpers::text(&b, app.url("/my/actions")).await;
    let version = mine[0]["plan_version_version"].as_i64().unwrap() + 1;
    assert!(page.contains("value=\"in_progress\" selected"), "{page}");
    let r = b
        .post(app.url(&format!("/plan-versions/{vid}/actions/2/status")))
        .form(&[
            ("version", version.to_string().as_str()),
            ("status", "done"),
            ("next", "/my/actions"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let v = app
        .get_json(&format!("/api/v1/plan-versions/{vid}"), kam)
        .await;
    assert_eq!(v["content"]["actions"][2]["status"], "done", "{v}");
    // Made a viewer, they no longer may.
    let u = app
        .get_json(&format!("/api/v1/users/{am}"), &app.admin_token)
        .await;
    json_of(
        app.put(&format!("/api/v1/users/{am}"), &app.admin_token)
            .json(&json!({"name": u["name"], "role": "viewer", "version": u["version"]}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    problem(status(&am_token, "open").await.unwrap(), 403).await;
}
