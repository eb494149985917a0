//! Meeting rituals through the API and the pages: formats, the yearly plan,
//! validation, overdue marks, evaluation, action items, deletion, and the
//! calendars read back by an independent iCalendar parser.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

use helpers::{TestApp, json_of, problem, today};
use serde_json::{Value, json};

async fn format_id(app: &TestApp, key: &str) -> i64 {
    let fs = app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await;
    fs.as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn account(app: &TestApp, kam: i64) -> i64 {
    app.create_customer(json!({"name": "Acme", "country": "FR", "owner_id": kam}))
        .await["id"]
        .as_i64()
        .unwrap()
}

/// Gives user `id` another role (a KAM's title with it).
async fn set_role(app: &TestApp, id: i64, role: &str) {
    let u = app
        .get_json(&format!("/api/v1/users/{id}"), &app.admin_token)
        .await;
    let title = (role == "kam").then_some("key_account_manager");
    let r = app
        .put(&format!("/api/v1/users/{id}"), &app.admin_token)
        .json(&json!({"name": u["name"], "role": role, "title": title, "version": u["version"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn the_five_formats_of_the_practice_are_there_and_editable_by_directors() {
    let app = TestApp::spawn().await;
    let (_, kt) = app.user_token("kam@test.example", "kam").await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let fs = app.get_json("/api/v1/meeting-formats", &kt).await;
    let keys: Vec<&str> = fs
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec![
            "kam_meeting",
            "commercial_seminar",
            "commercial_meeting",
            "key_account_review",
            "advisory_board"
        ]
    );
    let kam_meeting = &fs[0];
    assert_eq!(
        (
            kam_meeting["cadence_min"].as_i64(),
            kam_meeting["cadence_max"].as_i64()
        ),
        (Some(4), Some(9))
    );
    assert_eq!(kam_meeting["max_minutes"], 180);
    assert_eq!(fs[3]["external"], true);
    assert_eq!(fs[4]["scope"], "program");

    let edit = json!({"name_en": "KAM meeting", "name_fr": "Réunion KAM", "scope": "account", "led_by": "The KAM",
                      "cadence_min": 6, "cadence_max": 8, "usual_minutes": 60, "max_minutes": 120, "objectives": ["planning"], "version": 1});
    problem(
        app.put(
            &format!("/api/v1/meeting-formats/{}", kam_meeting["id"]),
            &kt,
        )
        .json(&edit)
        .send()
        .await
        .unwrap(),
        403,
    )
    .await;
    let f = json_of(
        app.put(
            &format!("/api/v1/meeting-formats/{}", kam_meeting["id"]),
            &dt,
        )
        .json(&edit)
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(f["cadence_min"], 6);
    assert_eq!(f["key"], "kam_meeting");
    problem(
        app.put(
            &format!("/api/v1/meeting-formats/{}", kam_meeting["id"]),
            &dt,
        )
        .json(&edit)
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    let p = problem(
        app.post("/api/v1/meeting-formats", &dt)
            .json(&json!({"key": "Bad Key", "name_en": "", "name_fr": "x", "scope": "team", "led_by": "x", "cadence_min": 5, "cadence_max": 2, "usual_minutes": 600, "max_minutes": 90, "objectives": ["chat"], "participants": "x".repeat(100_000)}))
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
    for f in [
        "key",
        "name_en",
        "scope",
        "cadence_max",
        "usual_minutes",
        "objectives[0]",
        "participants",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    json_of(
        app.post("/api/v1/meeting-formats", &dt)
            .json(&json!({"key": "plant_tour", "name_en": "Plant tour", "name_fr": "Visite d'usine", "scope": "account", "external": true, "led_by": "Operations", "cadence_min": 1, "cadence_max": 2, "usual_minutes": 240, "max_minutes": 480, "objectives": ["increase_trust"]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
}

#[tokio::test]
async fn a_year_is_planned_on_working_days_without_clashes_and_bad_meetings_are_refused() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (_, vt) = app.user_token("viewer@test.example", "viewer").await;
    let c = account(&app, kam).await;
    let kar = format_id(&app, "key_account_review").await;
    let kmm = format_id(&app, "kam_meeting").await;
    let start = today().to_string();
    let plan = |token: &str, body: Value| {
        app.post(&format!("/api/v1/customers/{c}/meetings/plan"), token)
            .json(&body)
            .send()
    };

    problem(
        plan(
            &vt,
            json!({"format_id": kar, "on": start, "per_year": 3, "user_ids": [kam]}),
        )
        .await
        .unwrap(),
        403,
    )
    .await;
    let p = problem(
        plan(
            &kt,
            json!({"format_id": kar, "on": start, "per_year": 12, "user_ids": [kam]}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "per_year");
    // A year of meetings that would run past the dates Clef keeps.
    let p = problem(
        plan(
            &kt,
            json!({"format_id": kar, "on": "2200-11-01", "per_year": 4, "user_ids": [kam]}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "on", "{p}");

    let reviews = json_of(
        plan(
            &kt,
            json!({"format_id": kar, "on": start, "per_year": 4, "user_ids": [kam], "at": "10:00"}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let meetings = json_of(
        plan(
            &kt,
            json!({"format_id": kmm, "on": start, "per_year": 9, "user_ids": [kam]}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    assert_eq!(reviews.as_array().unwrap().len(), 4);
    assert_eq!(meetings.as_array().unwrap().len(), 9);
    let mut days = std::collections::HashSet::new();
    for m in reviews
        .as_array()
        .unwrap()
        .iter()
        .chain(meetings.as_array().unwrap())
    {
        let d = clef_domain::Date::parse("d", m["on"].as_str().unwrap()).unwrap();
        assert!(
            clef_domain::rituals::is_working_day(d),
            "{d} is a working day"
        );
        assert!(d >= today() && d.days_since(today()) < 366);
        assert!(
            days.insert(d),
            "the KAM is never in two planned meetings on {d}"
        );
        assert!(
            m["primary_objective"]
                .as_str()
                .is_some_and(|o| !o.is_empty())
        );
    }
    assert_eq!(reviews[0]["at"], "10:00");
    assert_eq!(
        reviews[0]["duration_minutes"], 180,
        "the format's usual duration"
    );

    // One meeting at a time per person, a duration within the format, and a primary objective.
    let r0 = &reviews[0];
    let one = |body: Value| {
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(&body)
            .send()
    };
    let p = problem(one(json!({"format_id": kmm, "on": r0["on"], "at": "11:00", "primary_objective": "planning", "user_ids": [kam]})).await.unwrap(), 422).await;
    assert_eq!(p["errors"][0]["code"], "clash");
    let p = problem(one(json!({"format_id": kmm, "on": "2031-03-04", "duration_minutes": 240, "user_ids": [kam]})).await.unwrap(), 422).await;
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["too-long-meeting", "objective-missing"]);
    assert_eq!(p["errors"][1]["field"], "primary_objective");
    // The organiser counts too, even when not listed among the participants.
    let p = problem(
        one(json!({"format_id": kmm, "on": r0["on"], "at": "12:00", "primary_objective": "planning"}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "clash", "the KAM organises both");
    for (body, field, code) in [
        (
            json!({"format_id": kmm, "on": "2031-03-08", "primary_objective": "planning"}),
            "on",
            "not-working-day",
        ),
        (
            json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning", "status": "held"}),
            "status",
            "held-in-future",
        ),
        (
            json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning", "organizer_id": 999_999}),
            "organizer_id",
            "unknown-reference",
        ),
        // A participant is named by its place in its own list.
        (
            json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning", "user_ids": [kam, 999_998], "contact_ids": [999_999]}),
            "user_ids[1]",
            "unknown-reference",
        ),
        // A list of thousands is refused at once, not looked up.
        (
            json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning", "user_ids": (1..=40_000).collect::<Vec<i64>>()}),
            "participants",
            "too-many",
        ),
    ] {
        let p = problem(one(body).await.unwrap(), 422).await;
        assert_eq!(
            (
                p["errors"][0]["field"].as_str(),
                p["errors"][0]["code"].as_str()
            ),
            (Some(field), Some(code))
        );
    }
    // Someone listed twice takes part once.
    let twice = json_of(
        one(json!({"format_id": kmm, "on": "2031-03-05", "at": "15:00", "primary_objective": "planning", "user_ids": [kam, kam]}))
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(twice["user_ids"], json!([kam]), "{twice}");
    let other = app
        .create_customer(json!({"name": "Other", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let stranger = json_of(
        app.post(
            &format!("/api/v1/customers/{other}/contacts"),
            &app.admin_token,
        )
        .json(&json!({"first_name": "X", "last_name": "Y"}))
        .send()
        .await
        .unwrap(),
        201,
    )
    .await;
    let p = problem(one(json!({"format_id": kmm, "on": "2031-03-04", "primary_objective": "planning", "contact_ids": [stranger["id"]]})).await.unwrap(), 422).await;
    assert_eq!(p["errors"][0]["code"], "other-customer");
    assert_eq!(p["errors"][0]["field"], "contact_ids[0]");

    // Rescheduling one keeps the others; weekends are refused.
    let r1 = &reviews[1];
    let p = problem(
        app.post(&format!("/api/v1/meetings/{}/reschedule", r1["id"]), &kt)
            .json(&json!({"version": 1, "on": "2031-03-08"}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "not-working-day");
    let moved = json_of(
        app.post(&format!("/api/v1/meetings/{}/reschedule", r1["id"]), &kt)
            .json(&json!({"version": 1, "on": "2031-03-07", "at": "14:00"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (moved["on"].as_str(), moved["at"].as_str()),
        (Some("2031-03-07"), Some("14:00"))
    );
    let all = app
        .get_json(&format!("/api/v1/customers/{c}/meetings"), &kt)
        .await;
    let r2 = all["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == reviews[2]["id"])
        .unwrap();
    assert_eq!(
        r2["on"], reviews[2]["on"],
        "the rest of the series keeps its dates"
    );
}

#[tokio::test]
async fn holding_a_review_clears_the_overdue_mark_and_its_evaluation_stays_editable() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = account(&app, kam).await;
    let kar = format_id(&app, "key_account_review").await;
    // A year planned from 200 days ago: its first review has passed unheld.
    let start = today().add_days(-200).to_string();
    let planned = json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings/plan"), &kt)
            .json(&json!({"format_id": kar, "on": start, "per_year": 2, "user_ids": [kam], "primary_objective": "cross_performance"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let first = &planned[0];
    let overview = |a: Value| {
        a["overview"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == "key_account_review")
            .unwrap()
            .clone()
    };
    let o = overview(
        app.get_json(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .await,
    );
    assert_eq!(o["overdue"], true);
    assert_eq!(o["past_due"], 1);
    assert_eq!(o["cadence_kept"], "below");
    let all = app
        .get_json(&format!("/api/v1/customers/{c}/meetings"), &kt)
        .await;
    let kmm = all["overview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "kam_meeting")
        .unwrap()
        .clone();
    assert_eq!(
        (kmm["planned"].as_i64(), kmm["held_last_12_months"].as_i64()),
        (Some(0), Some(0)),
        "a format never planned still shows"
    );
    assert_eq!(
        all["overview"].as_array().unwrap().len(),
        2,
        "the two account formats, not the program's"
    );

    // Not held yet: no evaluation.
    let p = problem(
        app.put(&format!("/api/v1/meetings/{}/evaluation", first["id"]), &kt)
            .json(&json!({"objective_met": 4, "satisfaction": 5}))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("held"));

    let mut held = first.clone();
    held["status"] = json!("held");
    held["minutes"] = json!("Reviewed the on-time delivery rate; agreed a joint plan.");
    held["decisions"] = json!("Weekly call with logistics.");
    let held = json!({"format_id": held["format_id"], "on": held["on"], "at": held["at"], "duration_minutes": held["duration_minutes"],
        "primary_objective": held["primary_objective"], "status": "held", "minutes": held["minutes"], "decisions": held["decisions"],
        "user_ids": held["user_ids"], "version": held["version"]});
    // A format that does not exist is the field's mistake, not a missing meeting.
    let mut unknown = held.clone();
    unknown["format_id"] = json!(999_999);
    let p = problem(
        app.put(&format!("/api/v1/meetings/{}", first["id"]), &kt)
            .json(&unknown)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "format_id", "{p}");
    json_of(
        app.put(&format!("/api/v1/meetings/{}", first["id"]), &kt)
            .json(&held)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let o = overview(
        app.get_json(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .await,
    );
    assert_eq!(o["overdue"], false);
    assert_eq!(o["held_last_12_months"], 1);

    let p = problem(
        app.put(&format!("/api/v1/meetings/{}/evaluation", first["id"]), &kt)
            .json(&json!({"objective_met": 6, "satisfaction": 0}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    for (o, s) in [(3, 4), (4, 5)] {
        let e = json_of(
            app.put(&format!("/api/v1/meetings/{}/evaluation", first["id"]), &kt)
                .json(&json!({"objective_met": o, "satisfaction": s, "comment": "Useful"}))
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
        assert_eq!(
            (e["objective_met"].as_i64(), e["satisfaction"].as_i64()),
            (Some(o), Some(s))
        );
    }
    // Sent for the meeting as it was before the last evaluation: refused.
    let p = problem(
        app.put(&format!("/api/v1/meetings/{}/evaluation", first["id"]), &kt)
            .json(&json!({"objective_met": 1, "satisfaction": 1, "version": 1}))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("changed"), "{p}");

    // Action items reach their owner's "My actions".
    json_of(
        app.post(&format!("/api/v1/meetings/{}/actions", first["id"]), &kt)
            .json(&json!({"title": "Send the delivery dashboard", "owner_id": kam, "due_on": "2020-01-10"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let mine = app.get_json("/api/v1/me/meeting-actions", &kt).await;
    assert_eq!(mine[0]["title"], "Send the delivery dashboard");
    assert_eq!(mine[0]["overdue"], true);
    // The meeting's action items as CSV, its owner named.
    let kb = app.browser("kam@test.example").await;
    let csv = kb
        .get(app.url(&format!("/meetings/{}/actions.csv", first["id"])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "id,title,owner_id,owner,due_on,status,plan_version_id,plan_action"
    );
    assert!(
        lines[1].contains(&format!(
            ",Send the delivery dashboard,{kam},kam@test.example,2020-01-10,open,,"
        )),
        "{csv}"
    );
    let b = app.browser("kam@test.example").await;
    let page = b
        .get(app.url("/my/actions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Send the delivery dashboard"));
    // Searched by a word of its title (accents and case aside), or not found.
    let found = helpers::text(&b, app.url("/my/actions?q=D%C3%89LIVERY")).await;
    assert!(found.contains("Send the delivery dashboard"), "{found}");
    assert!(
        found.contains("href=\"/my/actions.csv?q=D%C3%89LIVERY\""),
        "{found}"
    );
    // By its customer's name too, on the page and in the CSV.
    let by_customer = helpers::text(&b, app.url("/my/actions?q=acme")).await;
    assert!(
        by_customer.contains("Send the delivery dashboard"),
        "{by_customer}"
    );
    let csv = helpers::text(&b, app.url("/my/actions.csv?q=acme")).await;
    assert!(csv.contains("Send the delivery dashboard"), "{csv}");
    assert!(
        by_customer.contains("id=\"meeting-actions-count\">One action.</p>"),
        "{by_customer}"
    );
    let none = helpers::text(&b, app.url("/my/actions?q=invoice")).await;
    assert!(!none.contains("Send the delivery dashboard"), "{none}");
    assert!(none.contains("No action matches this search."), "{none}");
    let csv = helpers::text(&b, app.url("/my/actions.csv?q=invoice")).await;
    assert!(!csv.contains("Send the delivery dashboard"), "{csv}");
    // The same list as CSV.
    let csv = helpers::text(&b, app.url("/my/actions.csv")).await;
    let row = csv
        .lines()
        .find(|l| l.contains("Send the delivery dashboard"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.starts_with("meeting,") && row.ends_with(",open,true"),
        "{row}"
    );
    // Done, it leaves the open list and shows among all actions, not overdue.
    let r = app
        .put(
            &format!("/api/v1/meeting-actions/{}/status", mine[0]["id"]),
            &kt,
        )
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let open = helpers::text(&b, app.url("/my/actions")).await;
    assert!(!open.contains("Send the delivery dashboard"), "{open}");
    let all = helpers::text(&b, app.url("/my/actions?closed=1")).await;
    assert!(all.contains("Send the delivery dashboard"), "{all}");
    let csv = helpers::text(&b, app.url("/my/actions.csv?closed=1")).await;
    let row = csv
        .lines()
        .find(|l| l.contains("Send the delivery dashboard"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.ends_with(",done,false"), "{row}");
    // Its owner made a viewer no longer changes an action item; made a KAM
    // again, they do.
    let set_status = |status: &'static str| {
        app.put(
            &format!("/api/v1/meeting-actions/{}/status", mine[0]["id"]),
            &kt,
        )
        .json(&json!({"status": status}))
        .send()
    };
    set_role(&app, kam, "viewer").await;
    problem(set_status("open").await.unwrap(), 403).await;
    set_role(&app, kam, "kam").await;
    assert_eq!(set_status("done").await.unwrap().status(), 204);
    let p = problem(
        app.post(&format!("/api/v1/meetings/{}/actions", first["id"]), &kt)
            .json(&json!({"title": "Follow the plan", "plan_version_id": 999, "plan_action_index": 0}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "plan_version_id");

    // A held meeting is deleted only once confirmed, and the history keeps it.
    problem(
        app.client
            .delete(app.url(&format!("/api/v1/meetings/{}", first["id"])))
            .bearer_auth(&kt)
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    // Confirmed on a page showing an older version, it stays.
    let kb = app.browser("kam@test.example").await;
    let r = kb
        .post(app.url(&format!("/meetings/{}/delete", first["id"])))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    // Confirmed at the version shown, it goes; the list says so, and where
    // to restore it.
    let now = app
        .get_json(&format!("/api/v1/meetings/{}", first["id"]), &kt)
        .await;
    let r = kb
        .post(app.url(&format!("/meetings/{}/delete", first["id"])))
        .form(&[("version", now["version"].to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&kb, app.url(&back)).await;
    assert!(
        page.contains("Meeting deleted.") && page.contains("history?record=meeting"),
        "{page}"
    );
    let h = app
        .store
        .history("meeting", first["id"].as_i64().unwrap(), 5)
        .await
        .unwrap();
    assert_eq!(h[0].action, "delete");
    assert!(h[0].detail.contains("on-time delivery"));
    // Its action items too.
    assert!(
        h[0].detail.contains("Send the delivery dashboard"),
        "{}",
        h[0].detail
    );
    // The account's history shows it, with what it held.
    let page = helpers::text(&kb, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains("Meeting — deleted"), "{page}");
    assert!(
        page.contains("Reviewed the on-time delivery rate; agreed a joint plan."),
        "{page}"
    );
    // Each value under its form's words, none under a stored name.
    for raw in ["primary_objective", "format_id", "participants", "duration"] {
        assert!(!page.contains(raw), "{raw} in {page}");
    }
    assert!(page.contains("Review cross performance"), "{page}");
    let fr = helpers::text_in(&kb, app.url(&format!("/customers/{c}/history")), "fr").await;
    assert!(fr.contains("Réunion — supprimée"), "{fr}");
}

/// The events of a calendar as the PyPI/Debian `icalendar` package reads them.
fn parse_ics(ics: &str) -> Value {
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk('VEVENT'):
    att = e.get('ATTENDEE') or []
    if not isinstance(att, list):
        att = [att]
    out.append({
        'uid': str(e.get('UID')),
        'summary': str(e.get('SUMMARY')),
        'start': e.decoded('DTSTART').isoformat(),
        'end': e.decoded('DTEND').isoformat(),
        'description': str(e.get('DESCRIPTION') or ''),
        'organizer': str(e.get('ORGANIZER') or ''),
        'organizer_cn': str((e.get('ORGANIZER').params.get('CN') if e.get('ORGANIZER') is not None else '') or ''),
        'attendees': [str(a) for a in att],
        'status': str(e.get('STATUS')),
    })
print(json.dumps({'name': str(cal.get('X-WR-CALNAME')), 'events': out}))
"#;
    let py = "/usr/bin/python3";
    let mut child = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("/usr/bin/python3 with the icalendar package (Debian python3-icalendar; scripts/test installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn calendars_read_back_the_same_events_in_an_independent_parser() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = account(&app, kam).await;
    let laure = json_of(
        app.post(&format!("/api/v1/customers/{c}/contacts"), &app.admin_token)
            .json(&json!({"first_name": "Laure", "last_name": "Vasseur, CEO", "email": "laure@acme.example"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let kar = format_id(&app, "key_account_review").await;
    let m = json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(&json!({"format_id": kar, "title": "Revue annuelle; bilan, plan", "on": "2031-03-04", "at": "15:30", "duration_minutes": 150,
                          "location": "Lyon, siège", "primary_objective": "cross_performance", "secondary_objectives": ["increase_trust"],
                          "agenda": "1. Performance\n2. Plan", "user_ids": [kam], "contact_ids": [laure["id"]]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings/plan"), &kt)
            .json(&json!({"format_id": format_id(&app, "kam_meeting").await, "on": "2031-01-01", "per_year": 4, "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;

    // One meeting as a file.
    let ics = app
        .get(&format!("/api/v1/meetings/{}/ics", m["id"]), &kt)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ics.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let cal = parse_ics(&ics.text().await.unwrap());
    let e = &cal["events"][0];
    assert_eq!(e["uid"], format!("meeting-{}@clef", m["id"]));
    assert_eq!(e["summary"], "Revue annuelle; bilan, plan — Acme");
    assert_eq!(e["start"], "2031-03-04T15:30:00");
    assert_eq!(e["end"], "2031-03-04T18:00:00");
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("Primary objective: Review cross performance"),
        "{e}"
    );
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("1. Performance\n2. Plan")
    );
    assert_eq!(e["organizer"], "mailto:kam@test.example");
    let att: Vec<&str> = e["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        att,
        vec!["mailto:kam@test.example", "mailto:laure@acme.example"]
    );
    assert_eq!(e["status"], "CONFIRMED");

    // A user's feed, at an unguessable URL, without signing in; then revoked.
    let feed = json_of(
        app.post("/api/v1/calendar-feeds", &kt)
            .json(&json!({"kind": "user"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let url = feed["url"].as_str().unwrap();
    let path = &url[url.find("/calendar/").unwrap()..];
    assert!(
        path.len() > "/calendar/.ics".len() + 30,
        "a long token: {path}"
    );
    let body = reqwest::get(app.url(path))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let cal = parse_ics(&body);
    assert_eq!(
        cal["events"].as_array().unwrap().len(),
        5,
        "the review and the four planned meetings"
    );
    let p = problem(
        app.post("/api/v1/calendar-feeds", &kt)
            .json(&json!({"kind": "account", "customer_id": 99_999}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "customer_id", "{p}");
    let acct = json_of(
        app.post("/api/v1/calendar-feeds", &kt)
            .json(&json!({"kind": "account", "customer_id": c}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let apath = acct["url"]
        .as_str()
        .unwrap()
        .split_once("/calendar/")
        .map(|(_, t)| format!("/calendar/{t}"))
        .unwrap();
    let acal = parse_ics(
        &reqwest::get(app.url(&apath))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(acal["name"], "Clef — Acme");
    assert_eq!(acal["events"].as_array().unwrap().len(), 5);
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/calendar-feeds/{}", feed["id"])))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(app.url("/calendar/not-a-token.ics"))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn an_advisory_board_gathers_several_customer_companies() {
    let app = TestApp::spawn().await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let a = account(&app, kam).await;
    let b = app
        .create_customer(json!({"name": "Bolt", "country": "DE"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let x = app
        .create_customer(json!({"name": "Absent", "country": "DE"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let contact =
        |c: i64| app.create_contact(c, json!({"first_name": "P", "last_name": format!("C{c}")}));
    let (ca, cb, cx) = (contact(a).await, contact(b).await, contact(x).await);
    let cab = format_id(&app, "advisory_board").await;
    let body = |contacts: Vec<i64>| json!({"format_id": cab, "on": "2031-06-05", "primary_objective": "co_innovate", "customer_ids": [a, b], "contact_ids": contacts});
    problem(
        app.post("/api/v1/program/meetings", &kt)
            .json(&body(vec![ca]))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let p = problem(
        app.post("/api/v1/program/meetings", &dt)
            .json(&body(vec![ca, cx]))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "other-customer");
    let m = json_of(
        app.post("/api/v1/program/meetings", &dt)
            .json(&body(vec![ca, cb]))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(m["customer_ids"], json!([a, b]));
    assert!(m["customer_id"].is_null());
    let p = problem(
        app.post(&format!("/api/v1/customers/{a}/meetings"), &dt)
            .json(
                &json!({"format_id": cab, "on": "2031-06-05", "primary_objective": "co_innovate"}),
            )
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "program-format");
    let prog = app.get_json("/api/v1/program/meetings", &kt).await;
    assert_eq!(prog["meetings"].as_array().unwrap().len(), 1);
    let keys: Vec<&str> = prog["overview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec!["commercial_seminar", "commercial_meeting", "advisory_board"],
        "every program format, planned or not"
    );
    let cab_line = prog["overview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "advisory_board")
        .unwrap();
    assert_eq!(cab_line["planned"], 1);
}

#[tokio::test]
async fn the_pages_plan_a_year_and_keep_bad_input_beside_the_field() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let c = account(&app, kam).await;
    let kar = format_id(&app, "key_account_review").await;
    let b = app.browser("kam@test.example").await;
    let r = b
        .post(app.url(&format!("/customers/{c}/meetings")))
        .form(&[
            ("format_id", kar.to_string()),
            ("per_year", "7".into()),
            ("on", today().to_string()),
            ("at", "09:00".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"per_year-error\"") && html.contains("value=\"7\""));
    // A duration that is not a number is said beside its field, not taken
    // as left blank; a day left blank stays blank beside its message.
    let post = |on: String, duration: &'static str| {
        b.post(app.url(&format!("/customers/{c}/meetings")))
            .form(&[
                ("format_id", kar.to_string()),
                ("on", on),
                ("at", "09:00".into()),
                ("duration_minutes", duration.into()),
                ("primary_objective", "planning".into()),
            ])
            .send()
    };
    let r = post(today().to_string(), "90 min").await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"duration_minutes-error\"") && html.contains("value=\"90 min\""),
        "{html}"
    );
    let r = post(String::new(), "90").await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"on-error\"")
            && html.contains("id=\"on\" name=\"on\" type=\"date\" value=\"\""),
        "{html}"
    );
    assert!(app.store.meetings_of(Some(c)).await.unwrap().is_empty());
    let r = b
        .post(app.url(&format!("/customers/{c}/meetings")))
        .form(&[
            ("format_id", kar.to_string()),
            ("per_year", "3".into()),
            ("on", today().to_string()),
            ("at", "09:00".into()),
            ("user_ids", kam.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = b
        .get(app.url(&format!("/customers/{c}/meetings")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"year-calendar\"") && html.contains("Key Account Review 1/3"));
    let one = app.store.meetings_of(Some(c)).await.unwrap()[0]
        .meeting
        .clone();
    let r = b
        .post(app.url(&format!("/meetings/{}", one.id)))
        .form(&[
            ("format_id", kar.to_string()),
            ("version", "1".into()),
            ("title", "Review".into()),
            ("on", one.on_date.clone()),
            ("at", "09:00".into()),
            ("duration_minutes", "400".into()),
            ("primary_objective", "".into()),
            ("status", "held".into()),
            ("minutes", "Kept text".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"duration_minutes-error\"")
            && html.contains("id=\"primary_objective-error\"")
    );
    assert!(html.contains("Kept text"));
    // The record as printed: the people taking part by name, not a list to
    // scroll.
    let page = helpers::text_in(&b, app.url(&format!("/meetings/{}", one.id)), "en").await;
    assert!(
        page.contains("<p class=\"print-only\" id=\"meeting-customer\"><strong>Acme</strong></p>"),
        "the printed record names its customer: {page}"
    );
    let printed = &page[page.find("id=\"meeting-printed\"").unwrap()..];
    let printed = &printed[..printed.find("</dl>").unwrap()];
    assert!(
        printed.contains("<dt>Our people</dt><dd>kam@test.example</dd>"),
        "{printed}"
    );
    let ics = b
        .get(app.url(&format!("/meetings/{}/ics", one.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ics.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
}

#[tokio::test]
async fn a_held_meeting_is_a_contact_and_a_planned_one_the_sponsors_next() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (sponsor, _) = app.user_token("sponsor@test.example", "sponsor").await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let c = app
        .create_customer(json!({"name": "Acme", "country": "FR"}))
        .await["id"]
        .as_i64()
        .unwrap();
    for (path, body) in [
        (
            format!("/api/v1/customers/{c}/selection/propose"),
            json!({"manager_id": kam, "reason": "Fit"}),
        ),
        (
            format!("/api/v1/customers/{c}/selection/approve"),
            json!({}),
        ),
    ] {
        assert!(
            app.post(&path, &app.admin_token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .is_success()
        );
    }
    let r = app
        .put(&format!("/api/v1/customers/{c}/sponsor"), &dt)
        .json(&json!({"sponsor_id": sponsor}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let ceo = app
        .create_contact(c, json!({"first_name": "Laure", "last_name": "Vasseur"}))
        .await;
    json_of(
        app.put(&format!("/api/v1/contacts/{ceo}/stakeholder"), &kt)
            .json(&json!({"version": 0, "level": "executive"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let kar = format_id(&app, "key_account_review").await;
    let held_on = today().add_days(-10);
    let held_on = if clef_domain::rituals::is_working_day(held_on) {
        held_on
    } else {
        held_on.add_days(-2)
    };
    for (on, status) in [
        (held_on.to_string(), "held"),
        ("2031-03-04".to_string(), "planned"),
    ] {
        json_of(
            app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
                .json(&json!({"format_id": kar, "on": on, "primary_objective": "increase_trust", "status": status,
                              "user_ids": [kam, sponsor], "contact_ids": [ceo]}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
    }
    let m = app
        .get_json(&format!("/api/v1/customers/{c}/stakeholders"), &kt)
        .await;
    assert_eq!(
        m["people"][0]["last_contact"],
        held_on.to_string(),
        "the held review is the last contact"
    );
    let s = app.get_json("/api/v1/sponsorship", &kt).await;
    let row = s["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["customer_id"] == c)
        .unwrap();
    assert_eq!(row["last_contact"], held_on.to_string());
    assert_eq!(row["next_contact"], "2031-03-04");

    // The program sees every key account's cadence.
    let prog = app.get_json("/api/v1/program/meetings", &kt).await;
    let acme = prog["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["customer_id"] == c)
        .unwrap();
    let kar_line = acme["overview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == "key_account_review")
        .unwrap();
    assert_eq!(
        (
            kar_line["held_last_12_months"].as_i64(),
            kar_line["planned"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(kar_line["overdue"], false);
    let b = app.browser("kam@test.example").await;
    let html = b
        .get(app.url("/program/meetings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"accounts-cadence\"")
            && html.contains(&format!("data-customer=\"{c}\""))
    );
}

/// The built-in formats' wording reads in the reader's language, and a
/// format saved from the French page keeps its default wording for all.
#[tokio::test]
async fn the_formats_defaults_read_in_french_and_stay_defaults() {
    let app = TestApp::spawn().await;
    app.user_token("director@test.example", "director").await;
    let b = app.browser("director@test.example").await;
    let page = helpers::text_in(&b, app.url("/meeting-formats"), "fr").await;
    assert!(page.contains("value=\"Le KAM\""), "{page}");
    assert!(!page.contains("The KAM"), "{page}");
    let f = &app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await[0];
    let fid = f["id"].as_i64().unwrap().to_string();
    let version = f["version"].to_string();
    let objectives: Vec<String> = f["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_owned())
        .collect();
    let mut form: Vec<(&str, String)> = vec![
        ("id", fid),
        ("version", version),
        ("scope", "account".into()),
        ("name_en", "Key Account Management Meeting".into()),
        ("name_fr", "Réunion de management du compte clé".into()),
        ("led_by", "Le KAM".into()),
        ("cadence_min", "4".into()),
        ("cadence_max", "8".into()),
        ("usual_minutes", "90".into()),
        ("max_minutes", "180".into()),
        (
            "participants",
            "3 à 5 personnes de l’équipe compte, rarement plus de 10".into(),
        ),
    ];
    for o in &objectives {
        form.push(("objectives", o.clone()));
    }
    let r = b
        .post(app.url("/meeting-formats"))
        .header("accept-language", "fr")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let f = &app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await[0];
    assert_eq!(
        (&f["cadence_max"], &f["led_by"]),
        (&serde_json::json!(8), &serde_json::json!("The KAM")),
        "{f}"
    );
    assert_eq!(
        f["participants"],
        "3 to 5 people of the account team, rarely more than 10"
    );
    // A new format keeps what its director typed, even a default's words.
    let mut form: Vec<(&str, String)> = vec![
        ("id", "0".into()),
        ("key", "supplier_day".into()),
        ("scope", "account".into()),
        ("name_en", "Supplier day".into()),
        ("name_fr", "Journée fournisseur".into()),
        ("led_by", "Le KAM".into()),
        ("cadence_min", "1".into()),
        ("cadence_max", "2".into()),
        ("usual_minutes", "240".into()),
        ("max_minutes", "480".into()),
        ("participants", "Tous".into()),
    ];
    form.push(("objectives", objectives[0].clone()));
    let r = b
        .post(app.url("/meeting-formats"))
        .header("accept-language", "fr")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let all = app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await;
    let new = all
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "supplier_day")
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(new["led_by"], "Le KAM");
}

/// A refused format shows its objectives and its external box as sent, not
/// as saved: the director fixes the one wrong field and loses no choice.
#[tokio::test]
async fn a_refused_format_keeps_the_objectives_chosen() {
    let app = TestApp::spawn().await;
    app.user_token("director@test.example", "director").await;
    let b = app.browser("director@test.example").await;
    let f = &app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await[0];
    let fid = f["id"].as_i64().unwrap();
    assert_eq!(f["external"], false, "{f}");
    let saved: Vec<&str> = f["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    assert!(
        !saved.contains(&"co_innovate") && !saved.contains(&"new_business"),
        "{f}"
    );
    let form: Vec<(&str, String)> = vec![
        ("id", fid.to_string()),
        ("version", f["version"].to_string()),
        ("scope", "account".into()),
        ("name_en", "KAM meeting".into()),
        ("name_fr", "Réunion KAM".into()),
        ("led_by", "The KAM".into()),
        ("cadence_min", "4".into()),
        ("cadence_max", "2".into()),
        ("usual_minutes", "90".into()),
        ("max_minutes", "180".into()),
        ("participants", "The account team".into()),
        ("external", "on".into()),
        ("objectives", "new_business".into()),
        ("objectives", "co_innovate".into()),
    ];
    let r = b
        .post(app.url("/meeting-formats"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let from = html.find(&format!("id=\"obj-{fid}\"")).unwrap();
    let select = &html[from..from + html[from..].find("</select>").unwrap()];
    let chosen: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .filter(|o| o.contains("selected"))
        .filter_map(|o| o.split('"').next())
        .collect();
    assert_eq!(chosen, ["co_innovate", "new_business"], "{select}");
    let form_html = &html[html.find(&format!("value=\"{fid}\"")).unwrap()..];
    let external = &form_html[form_html.find("name=\"external\"").unwrap()..];
    assert!(
        external[..external.find('>').unwrap()].contains("checked"),
        "{external}"
    );
    // Nothing was saved.
    let f = &app
        .get_json("/api/v1/meeting-formats", &app.admin_token)
        .await[0];
    assert_eq!(f["external"], false, "{f}");
}

/// An account's meetings list downloads as CSV, by date, and holds only that
/// account's meetings; the program's list holds only the program's.
#[tokio::test]
async fn the_meetings_lists_download_as_csv() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    // A key account (the program's cadence lists those).
    let c = app
        .create_customer(
            json!({"name": "Acme", "country": "FR", "owner_id": kam, "status": "key_account"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let other = app
        .create_customer(json!({"name": "Other", "country": "FR", "owner_id": kam}))
        .await["id"]
        .as_i64()
        .unwrap();
    let kar = format_id(&app, "key_account_review").await;
    for (customer, n) in [(c, 4), (other, 2)] {
        let r = app
            .post(&format!("/api/v1/customers/{customer}/meetings/plan"), &kt)
            .json(
                &json!({"format_id": kar, "on": today().to_string(), "per_year": n,
                "user_ids": [kam], "at": "10:00", "title": "Review, \"quarterly\""}),
            )
            .send()
            .await
            .unwrap();
        json_of(r, 201).await;
    }
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/meetings"))).await;
    assert!(page.contains(&format!(
        "id=\"meetings-csv\" href=\"/customers/{c}/meetings.csv?when=all&#38;q=&#38;format=&#38;sort=date\""
    )));
    let csv = helpers::text(&b, app.url(&format!("/customers/{c}/meetings.csv"))).await;
    let csv = csv.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[1], "date");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    let dates: Vec<&str> = rows.iter().map(|x| &x[1]).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "by date");
    for row in &rows {
        assert_eq!(&row[4], "key_account_review");
        assert!(row[5].starts_with("Review, \"quarterly\" "), "{row:?}");
        assert_eq!(&row[2], "10:00");
        assert_eq!(&row[6], "planned");
    }
    // The program's own meetings: none of the accounts'.
    let csv = helpers::text(&b, app.url("/program/meetings.csv")).await;
    assert_eq!(csv.lines().count(), 1, "{csv}");
    // Every key account's cadence: a line per account format, as the
    // program's meetings page shows it.
    let page = helpers::text(&b, app.url("/program/meetings")).await;
    assert!(page.contains("href=\"/program/cadence.csv\""), "{page}");
    let csv = helpers::text(&b, app.url("/program/cadence.csv")).await;
    let review = csv
        .lines()
        .find(|l| l.starts_with(&format!("{c},")) && l.contains(",key_account_review,"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(review.contains(",4,"), "four planned: {review}");
    assert!(
        !csv.lines().any(|l| l.starts_with(&format!("{other},"))),
        "not a key account: {csv}"
    );
    // An account that does not exist is a page that says so.
    let r = b
        .get(app.url("/customers/999999/meetings.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// On the pages: one meeting recorded without an objective takes its
/// format's first; a form sent back keeps the people chosen; a future
/// meeting marked held is told so beside its status.
#[tokio::test]
async fn meeting_forms_say_what_is_wrong_and_keep_the_choices() {
    let app = TestApp::spawn().await;
    let (kam, _) = app.user_token("kam@test.example", "kam").await;
    let (other, _) = app.user_token("am@test.example", "account_manager").await;
    let c = account(&app, kam).await;
    let kar = format_id(&app, "key_account_review").await;
    let b = app.browser("kam@test.example").await;
    let path = format!("/customers/{c}/meetings");
    // Not a working day: refused, and both people stay chosen.
    let saturday = {
        let mut d = today();
        while clef_domain::rituals::is_working_day(d) {
            d = d.add_days(1);
        }
        d.to_string()
    };
    let form = |on: String| {
        vec![
            ("format_id", kar.to_string()),
            ("per_year", String::new()),
            ("on", on),
            ("at", "10:00".into()),
            ("duration_minutes", String::new()),
            ("primary_objective", String::new()),
            ("user_ids", kam.to_string()),
            ("user_ids", other.to_string()),
        ]
    };
    let r = b
        .post(app.url(&path))
        .form(&form(saturday))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"on-error\""), "the date is said wrong");
    for id in [kam, other] {
        assert!(
            page.contains(&format!("<option value=\"{id}\" selected>")),
            "user {id} stays chosen"
        );
    }
    // A working day, no objective chosen: the format's first.
    let mut monday = today().add_days(7);
    while !clef_domain::rituals::is_working_day(monday) {
        monday = monday.add_days(1);
    }
    let r = b
        .post(app.url(&path))
        .form(&form(monday.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let ms = app.store.meetings_of(Some(c)).await.unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].meeting.primary_objective, "cross_performance");
    // Marked held while still to come: said beside the status.
    let id = ms[0].meeting.id;
    let r = b
        .post(app.url(&format!("/meetings/{id}")))
        .form(&[
            ("version", "1"),
            ("format_id", &kar.to_string()),
            ("title", "Review"),
            ("status", "held"),
            ("on", &monday.to_string()),
            ("at", "10:00"),
            ("duration_minutes", "120"),
            ("primary_objective", "cross_performance"),
            ("user_ids", &kam.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"status-error\""),
        "the status is said wrong"
    );
    assert!(page.contains("cannot have been held yet"));
    // The people as sent: the one taken off the list stays off.
    assert!(page.contains(&format!("<option value=\"{kam}\" selected>")));
    assert!(!page.contains(&format!("<option value=\"{other}\" selected>")));
}

/// The meetings list shows upcoming or past meetings, by date either way,
/// a page of 50 at a time, and its CSV holds the whole list as shown.
#[tokio::test]
async fn the_meetings_list_filters_sorts_and_pages() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let c = account(&app, kam).await;
    let kmm = format_id(&app, "kam_meeting").await;
    let one = |on: String| {
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(&json!({"format_id": kmm, "on": on, "at": "09:00", "primary_objective": "planning", "user_ids": [kam]}))
            .send()
    };
    // Two past meetings, then 55 on working days from a Monday to come.
    for on in ["2020-03-02", "2020-03-03"] {
        assert_eq!(one(on.into()).await.unwrap().status(), 201, "{on}");
    }
    let monday = clef_domain::Date::parse("on", "2031-03-03").unwrap();
    let (mut made, mut day) = (0, 0);
    let mut first_upcoming = None;
    while made < 55 {
        let on = monday.add_days(day).to_string();
        day += 1;
        let r = one(on.clone()).await.unwrap();
        if r.status() == 201 {
            made += 1;
            first_upcoming.get_or_insert(on);
        } else {
            assert_eq!(
                problem(r, 422).await["errors"][0]["code"],
                "not-working-day"
            );
        }
    }
    let b = app.browser("kam@test.example").await;
    let path = format!("/customers/{c}/meetings");
    let page = helpers::text(&b, app.url(&path)).await;
    assert!(page.contains("57 meetings"), "{page}");
    assert!(page.contains("rel=\"next\""), "{page}");
    let rows = |page: &str| page.matches("<tr><td>").count();
    assert_eq!(rows(&page), 50);
    let last = helpers::text(&b, app.url(&format!("{path}?when=all&sort=date&page=2"))).await;
    assert_eq!(rows(&last), 7);
    let past = helpers::text(&b, app.url(&format!("{path}?when=past&sort=-date"))).await;
    assert!(
        past.contains("2 meetings") && !past.contains("rel=\"next\""),
        "{past}"
    );
    let past_csv = helpers::text(&b, app.url(&format!("{path}.csv?when=past&sort=-date"))).await;
    let past_dates: Vec<&str> = past_csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(past_dates, ["2020-03-03", "2020-03-02"], "the latest first");
    let csv = helpers::text(&b, app.url(&format!("{path}.csv?when=upcoming&sort=date"))).await;
    let dates: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(dates.len(), 55, "{csv}");
    assert_eq!(Some(dates[0].to_owned()), first_upcoming);
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    // Searched by words of the title, or narrowed to one format.
    let kar = format_id(&app, "key_account_review").await;
    let r = app
        .post(&format!("/api/v1/customers/{c}/meetings"), &kt)
        .json(
            &json!({"format_id": kar, "title": "Revue qualité annuelle", "on": "2020-03-04",
                      "at": "10:00", "primary_objective": "evaluate_progress", "user_ids": [kam]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let found = helpers::text(&b, app.url(&format!("{path}?q=QUALITE"))).await;
    assert!(
        found.contains("1 meeting") && found.contains("Revue qualité annuelle"),
        "{found}"
    );
    let by_format = helpers::text(&b, app.url(&format!("{path}?format={kmm}"))).await;
    assert!(by_format.contains("57 meetings"), "{by_format}");
    assert!(
        by_format.contains(&format!("<option value=\"{kmm}\" selected>")),
        "{by_format}"
    );
    let csv = helpers::text(&b, app.url(&format!("{path}.csv?format={kar}"))).await;
    assert_eq!(csv.lines().count(), 2, "a header and the review: {csv}");
    // A format that is not one of this list's choices narrows nothing.
    let board = format_id(&app, "advisory_board").await;
    let all = helpers::text(&b, app.url(&format!("{path}?format={board}"))).await;
    assert!(all.contains("58 meetings"), "{all}");
    let none = helpers::text(&b, app.url(&format!("{path}?q=nothing+like+it"))).await;
    assert!(
        none.contains("id=\"no-meetings\"") && none.contains("No meeting in this view"),
        "{none}"
    );
}

/// A deleted meeting comes back from its customer's history, once, with
/// its minutes, evaluation and action items and those who took part and
/// are still there, for those who run the account's meetings; one that
/// would put someone in two meetings at once cannot.
#[tokio::test]
async fn a_deleted_meeting_is_restored_from_the_history() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    app.user_token("viewer@test.example", "viewer").await;
    let c = account(&app, kam).await;
    let person =
        |first: &str| app.create_contact(c, json!({"first_name": first, "last_name": "Vasseur"}));
    let (laure, gone) = (person("Laure").await, person("Paul").await);
    let kmm = format_id(&app, "kam_meeting").await;
    let meeting = |on: &'static str, title: &'static str| {
        let app = &app;
        let kt = kt.clone();
        async move {
            json_of(
                app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
                    .json(&json!({"format_id": kmm, "title": title, "on": on, "at": "10:00",
                                  "duration_minutes": 90, "primary_objective": "planning",
                                  "secondary_objectives": ["increase_trust"], "status": "held",
                                  "location": "Lyon", "agenda": "1. Plan", "minutes": "Agreed a joint plan.",
                                  "decisions": "Weekly call.", "user_ids": [kam],
                                  "contact_ids": [laure, gone]}))
                    .send()
                    .await
                    .unwrap(),
                201,
            )
            .await
        }
    };
    let m = meeting("2025-03-04", "Quarterly review").await;
    let id = m["id"].as_i64().unwrap();
    json_of(
        app.put(&format!("/api/v1/meetings/{id}/evaluation"), &kt)
            .json(&json!({"objective_met": 4, "satisfaction": 5, "comment": "Useful"}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    json_of(
        app.post(&format!("/api/v1/meetings/{id}/actions"), &kt)
            .json(&json!({"title": "Send the dashboard", "owner_id": kam, "due_on": "2025-03-20"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let clash = meeting("2025-03-05", "Site visit").await;
    for path in [
        format!("/api/v1/contacts/{gone}"),
        format!("/api/v1/meetings/{id}?confirm=true"),
        format!("/api/v1/meetings/{}?confirm=true", clash["id"]),
    ] {
        let r = app
            .client
            .delete(app.url(&path))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
    let history = app
        .get_json(
            &format!("/api/v1/customers/{c}/history?record=meeting"),
            &app.admin_token,
        )
        .await;
    let entry_of = |title: &str| {
        history
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == title)
            .unwrap_or_else(|| panic!("{history}"))["id"]
            .as_i64()
            .unwrap()
    };
    let (entry, clash_entry) = (entry_of("Quarterly review"), entry_of("Site visit"));
    let restore = format!("/customers/{c}/history/{entry}/restore");
    let viewer = app.browser("viewer@test.example").await;
    let page = helpers::text(&viewer, app.url(&format!("/customers/{c}/history"))).await;
    assert!(!page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = viewer.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 403);

    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/customers/{c}/history"))).await;
    assert!(page.contains(&format!("id=\"restore-{entry}\"")), "{page}");
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text_in(&b, app.url(&back), "fr").await;
    assert!(page.contains("Réunion restaurée"), "{page}");
    let new = back
        .trim_start_matches("/meetings/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(new, id.to_string(), "a new meeting");
    let got = app.get_json(&format!("/api/v1/meetings/{new}"), &kt).await;
    for field in [
        "title",
        "on",
        "at",
        "duration_minutes",
        "location",
        "primary_objective",
        "secondary_objectives",
        "agenda",
        "minutes",
        "decisions",
        "status",
        "user_ids",
    ] {
        assert_eq!(got[field], m[field], "{field}: {got}");
    }
    assert_eq!(
        got["contact_ids"],
        json!([laure]),
        "the one still there: {got}"
    );
    assert_eq!(
        (
            &got["objective_met"],
            &got["satisfaction"],
            &got["evaluation_comment"]
        ),
        (&json!(4), &json!(5), &json!("Useful"))
    );
    let items = app
        .get_json(&format!("/api/v1/meetings/{new}/actions"), &kt)
        .await;
    assert_eq!(items[0]["title"], "Send the dashboard", "{items}");
    assert_eq!(items[0]["owner_id"], kam, "{items}");
    // Once only.
    let r = b.post(app.url(&restore)).send().await.unwrap();
    assert_eq!(r.status(), 409);
    // A meeting at the same time as the one restored (the KAM in both).
    json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(
                &json!({"format_id": kmm, "title": "Call", "on": "2025-03-05", "at": "10:30",
                          "duration_minutes": 30, "primary_objective": "planning", "status": "held",
                          "user_ids": [kam]}),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let p = problem(
        app.post(
            &format!("/api/v1/customers/{c}/history/{clash_entry}/restore"),
            &kt,
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
            .contains("is already in \"Call\""),
        "{p}"
    );
}

/// A deleted program meeting comes back from the program's meetings page
/// or the API, once, with the companies and contacts still there; only
/// those who run the program's meetings see and restore it.
#[tokio::test]
async fn a_deleted_program_meeting_is_restored() {
    let app = TestApp::spawn().await;
    let (_, dt) = app.user_token("director@test.example", "director").await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let a = account(&app, kam).await;
    let b = app
        .create_customer(json!({"name": "Bolt", "country": "DE"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let mut contacts = Vec::new();
    for c in [a, b] {
        contacts.push(
            app.create_contact(c, json!({"first_name": "P", "last_name": format!("C{c}")}))
                .await,
        );
    }
    let cab = format_id(&app, "advisory_board").await;
    let m = json_of(
        app.post("/api/v1/program/meetings", &dt)
            .json(
                &json!({"format_id": cab, "title": "Advisory board", "on": "2031-06-05",
                          "primary_objective": "co_innovate", "customer_ids": [a, b],
                          "contact_ids": contacts, "minutes": "Two pilots agreed."}),
            )
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let id = m["id"].as_i64().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(&dt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // Bolt goes meanwhile: the meeting comes back without it and its contact.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/customers/{b}?version=1")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());

    problem(
        app.get("/api/v1/program/meetings/deleted", &kt)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let deleted = app.get_json("/api/v1/program/meetings/deleted", &dt).await;
    assert_eq!(deleted.as_array().map(Vec::len), Some(1), "{deleted}");
    assert_eq!(deleted[0]["title"], "Advisory board");
    assert_eq!(deleted[0]["on"], "2031-06-05");
    let entry = deleted[0]["entry"].as_i64().unwrap();
    let restore = format!("/api/v1/program/meetings/deleted/{entry}/restore");
    problem(app.post(&restore, &kt).send().await.unwrap(), 403).await;

    // The page lists it for the director, with a Restore button, and not
    // for the kam.
    let kb = app.browser("kam@test.example").await;
    let page = helpers::text(&kb, app.url("/program/meetings")).await;
    assert!(!page.contains("deleted-meetings-table"), "{page}");
    let db = app.browser("director@test.example").await;
    let page = helpers::text(&db, app.url("/program/meetings?done=meeting-deleted")).await;
    assert!(page.contains("Deleted program meetings"), "{page}");
    // Where a deletion from the page leads: a notice pointing there.
    assert!(
        page.contains("You can restore it at the foot of this page.")
            && page.contains("href=\"#deleted-meetings\""),
        "{page}"
    );
    assert!(page.contains(&format!("/program/meetings/deleted/{entry}/restore")));
    let r = db
        .post(app.url(&format!("/program/meetings/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.ends_with("?done=restored"), "{to}");
    let page = helpers::text(&db, app.url(&to)).await;
    assert!(page.contains("Meeting restored"), "{page}");
    let back: i64 = to
        .trim_start_matches("/meetings/")
        .trim_end_matches("?done=restored")
        .parse()
        .unwrap();
    let got = app.get_json(&format!("/api/v1/meetings/{back}"), &dt).await;
    assert_eq!(got["title"], "Advisory board");
    assert_eq!(got["minutes"], "Two pilots agreed.");
    assert!(got["customer_id"].is_null());
    assert_eq!(got["customer_ids"], json!([a]));
    assert_eq!(got["contact_ids"], json!([contacts[0]]));
    // Once only: it is no longer listed, and a second restore is refused.
    let deleted = app.get_json("/api/v1/program/meetings/deleted", &dt).await;
    assert_eq!(deleted, json!([]));
    problem(app.post(&restore, &dt).send().await.unwrap(), 409).await;
    // Deleted again, then restored twice at once: one restore only.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/meetings/{back}")))
        .bearer_auth(&dt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let deleted = app.get_json("/api/v1/program/meetings/deleted", &dt).await;
    let again = format!(
        "/api/v1/program/meetings/deleted/{}/restore",
        deleted[0]["entry"]
    );
    let (x, y) = tokio::join!(app.post(&again, &dt).send(), app.post(&again, &dt).send());
    let mut codes = [x.unwrap().status().as_u16(), y.unwrap().status().as_u16()];
    codes.sort_unstable();
    assert_eq!(codes, [201, 409]);
    let prog = app.get_json("/api/v1/program/meetings", &dt).await;
    assert_eq!(prog["meetings"].as_array().map(Vec::len), Some(1), "{prog}");
}

/// An action item is corrected (title, owner, due date) at the version
/// read, and deleted after a confirmation, by those who run the meeting.
#[tokio::test]
async fn an_action_item_is_corrected_and_deleted() {
    let app = TestApp::spawn().await;
    let (kam, kt) = app.user_token("kam@test.example", "kam").await;
    let (other, ot) = app.user_token("kam2@test.example", "kam").await;
    let (viewer, _) = app.user_token("viewer@test.example", "viewer").await;
    let c = account(&app, kam).await;
    let kmm = format_id(&app, "kam_meeting").await;
    let m = json_of(
        app.post(&format!("/api/v1/customers/{c}/meetings"), &kt)
            .json(&json!({"format_id": kmm, "title": "Review", "on": "2031-03-04", "at": "10:00",
                          "duration_minutes": 60, "primary_objective": "planning", "user_ids": [kam]}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let mid = m["id"].as_i64().unwrap();
    let a = json_of(
        app.post(&format!("/api/v1/meetings/{mid}/actions"), &kt)
            .json(&json!({"title": "Send the dashbord", "owner_id": kam, "due_on": "2031-04-01"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(a["version"], 1);
    let aid = a["id"].as_i64().unwrap();
    let put = |token: &str, body: Value| {
        app.client
            .put(app.url(&format!("/api/v1/meeting-actions/{aid}")))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    // Someone who does not run the meeting may not; the version is needed;
    // a viewer cannot own it.
    problem(
        put(&ot, json!({"title": "x", "version": 1})).await.unwrap(),
        403,
    )
    .await;
    let p = problem(
        put(&kt, json!({"title": "Send the dashboard"}))
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "version", "{p}");
    let p = problem(
        put(
            &kt,
            json!({"title": "Send the dashboard", "owner_id": viewer, "version": 1}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "owner_id", "{p}");
    let fixed = json_of(
        put(&kt, json!({"title": "Send the dashboard", "owner_id": other, "due_on": "2031-04-15", "version": 1}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        (
            &fixed["title"],
            &fixed["owner_id"],
            &fixed["due_on"],
            &fixed["version"],
            &fixed["status"]
        ),
        (
            &json!("Send the dashboard"),
            &json!(other),
            &json!("2031-04-15"),
            &json!(2),
            &json!("open")
        )
    );
    // Sent again at the version read before: refused, nothing changed.
    problem(
        put(&kt, json!({"title": "Old", "version": 1}))
            .await
            .unwrap(),
        409,
    )
    .await;

    // The page: an empty title is said beside the field, what was typed
    // kept; a good one saves, and the meeting says so.
    let b = app.browser("kam@test.example").await;
    let page = helpers::text(&b, app.url(&format!("/meetings/{mid}"))).await;
    assert!(
        page.contains(&format!("href=\"/meeting-actions/{aid}/edit\"")),
        "{page}"
    );
    // A new item's owner who cannot own it (a viewer), or no one's id, is
    // said beside the owner; nothing is added.
    for owner in [viewer.to_string(), "someone".to_owned()] {
        let r = b
            .post(app.url(&format!("/meetings/{mid}/actions")))
            .form(&[
                ("action_title", "Call the plant".to_owned()),
                ("action_owner", owner.clone()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{owner}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("id=\"action_owner-error\"") && html.contains("value=\"Call the plant\""),
            "{owner}: {html}"
        );
    }
    let items = app
        .get_json(&format!("/api/v1/meetings/{mid}/actions"), &kt)
        .await;
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    let form = helpers::text_in(&b, app.url(&format!("/meeting-actions/{aid}/edit")), "fr").await;
    assert!(
        form.contains("Corriger l’action") && form.contains("value=\"Send the dashboard\""),
        "{form}"
    );
    let r = b
        .post(app.url(&format!("/meeting-actions/{aid}/edit")))
        .form(&[
            ("title", " "),
            ("owner_id", ""),
            ("due_on", "2031-05-01"),
            ("version", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let form = r.text().await.unwrap();
    let r = b
        .post(app.url(&format!("/meeting-actions/{aid}/edit")))
        .form(&[("title", "x"), ("owner_id", "nobody"), ("version", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"owner_id-error\""));
    assert!(
        form.contains("id=\"title-error\"")
            && form.contains("value=\"2031-05-01\"")
            && form.contains("id=\"form-errors\""),
        "{form}"
    );
    let r = b
        .post(app.url(&format!("/meeting-actions/{aid}/edit")))
        .form(&[
            ("title", "Send the Q2 dashboard"),
            ("owner_id", ""),
            ("due_on", ""),
            ("version", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Action item saved.") && page.contains("Send the Q2 dashboard"),
        "{page}"
    );
    let now = app
        .get_json(&format!("/api/v1/meetings/{mid}/actions"), &kt)
        .await;
    assert_eq!(
        (&now[0]["owner_id"], &now[0]["due_on"]),
        (&Value::Null, &Value::Null)
    );

    // Deleted after the confirmation, at the version shown.
    let confirm = helpers::text(&b, app.url(&format!("/meeting-actions/{aid}/delete"))).await;
    assert!(
        confirm.contains("Delete the action item “Send the Q2 dashboard”?")
            && confirm.contains("It can be restored from the foot of the meeting’s action items."),
        "{confirm}"
    );
    let del = |version: &'static str| {
        b.post(app.url(&format!("/meeting-actions/{aid}/delete")))
            .form(&[("version", version)])
            .send()
    };
    assert_eq!(del("2").await.unwrap().status(), 409);
    // A form that does not say which version it showed deletes nothing.
    let r = b
        .post(app.url(&format!("/meeting-actions/{aid}/delete")))
        .form(&[("confirmed", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = del("3").await.unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let page = helpers::text(&b, app.url(&back)).await;
    assert!(
        page.contains("Action item deleted. You can restore it below the action items."),
        "{page}"
    );
    let now = app
        .get_json(&format!("/api/v1/meetings/{mid}/actions"), &kt)
        .await;
    assert_eq!(now, json!([]));
    // Listed below the action items, for those who run the meeting.
    let foot = &page[page
        .find("id=\"deleted-actions\"")
        .expect("the deleted action items")..];
    assert!(foot.contains("<td>Send the Q2 dashboard</td>"), "{foot}");
    problem(
        app.get(&format!("/api/v1/meetings/{mid}/actions/deleted"), &ot)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let deleted = app
        .get_json(&format!("/api/v1/meetings/{mid}/actions/deleted"), &kt)
        .await;
    assert_eq!(deleted.as_array().unwrap().len(), 1, "{deleted}");
    assert_eq!(
        (&deleted[0]["title"], &deleted[0]["meeting_id"]),
        (&json!("Send the Q2 dashboard"), &json!(mid))
    );
    let entry = deleted[0]["entry"].as_i64().unwrap();
    // Restored once, from the page, by who runs the meeting.
    problem(
        app.post(
            &format!("/api/v1/meeting-actions/deleted/{entry}/restore"),
            &ot,
        )
        .send()
        .await
        .unwrap(),
        403,
    )
    .await;
    let r = b
        .post(app.url(&format!("/meeting-actions/deleted/{entry}/restore")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        back,
        format!("/meetings/{mid}?done=action-restored#actions")
    );
    let page = helpers::text_in(&b, app.url(&back), "fr").await;
    assert!(page.contains("Action restaurée."), "{page}");
    assert!(!page.contains("id=\"deleted-actions\""), "{page}");
    let now = app
        .get_json(&format!("/api/v1/meetings/{mid}/actions"), &kt)
        .await;
    assert_eq!(
        (&now[0]["title"], &now[0]["status"], &now[0]["version"]),
        (&json!("Send the Q2 dashboard"), &json!("open"), &json!(1)),
        "{now}"
    );
    let p = problem(
        app.post(
            &format!("/api/v1/meeting-actions/deleted/{entry}/restore"),
            &kt,
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
    // Deleted again, through the API.
    let again = now[0]["id"].as_i64().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/meeting-actions/{again}?version=1")))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let trail = app.store.history("meeting", mid, 10).await.unwrap();
    assert!(
        trail.iter().any(|e| e.action == "action-delete"),
        "{trail:?}"
    );
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/meeting-actions/{aid}")))
        .bearer_auth(&kt)
        .send()
        .await
        .unwrap();
    problem(r, 404).await;
}
