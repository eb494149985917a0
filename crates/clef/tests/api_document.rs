//! The API's OpenAPI document against its real answers. On a demo
//! portfolio (the one `clef serve --demo` shows), every GET operation that
//! answers JSON is called, and each answer must fit the schema the document
//! gives for its status, field by field: no field the document does not
//! list, none missing that it requires, none of another type. Runs on
//! SQLite, and on PostgreSQL when CLEF_TEST_POSTGRES_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A fresh database: a new SQLite file, or a new PostgreSQL database.
async fn fresh_database_url() -> String {
    let unique = format!(
        "{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    match std::env::var("CLEF_TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            use sea_orm::ConnectionTrait;
            let name = format!("clef_test_doc_{unique}");
            let db = sea_orm::Database::connect(admin.as_str()).await.unwrap();
            db.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            db.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap();
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("clef-doc-{unique}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

/// The SQLite files of the test database go when the test ends.
struct Files(String);

impl Drop for Files {
    fn drop(&mut self) {
        if let Some(rest) = self.0.strip_prefix("sqlite://") {
            let file = rest.split('?').next().unwrap_or(rest);
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{file}{ext}"));
            }
        }
    }
}

fn clef(url: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clef"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "clef {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Where a value does not fit a schema of the document, in `out`.
fn fit(doc: &Value, schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{at}: {r} is not in the document");
        return fit(doc, target, v, at, out);
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // One object described in parts: its fields are those of every part.
        let mut merged = json!({"type": "object", "properties": {}, "required": []});
        for p in parts {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")]
                }
                None => p,
            };
            // A part that refuses fields it does not list refuses those of
            // the other parts: no object fits them all.
            if p["additionalProperties"] == json!(false) && parts.len() > 1 {
                out.push(format!(
                    "{at}: a part of allOf refuses every field of the others, so nothing fits"
                ));
            }
            for (k, s) in p["properties"].as_object().into_iter().flatten() {
                merged["properties"][k] = s.clone();
            }
            for r in p["required"].as_array().into_iter().flatten() {
                merged["required"].as_array_mut().unwrap().push(r.clone());
            }
        }
        return fit(doc, &merged, v, at, out);
    }
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
        let fitting = choices
            .iter()
            .filter(|c| {
                let mut e = Vec::new();
                fit(doc, c, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if fitting != 1 {
            // Say why against the first choice that is not null.
            let mut why = Vec::new();
            if let Some(c) = choices.iter().find(|c| c["type"] != "null") {
                fit(doc, c, v, at, &mut why);
            }
            out.push(format!(
                "{at}: fits {fitting} of its {} choices, not one ({})",
                choices.len(),
                why.join("; ")
            ));
        }
        return;
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let is = |t: &str| match t {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| is(t)) {
            out.push(format!("{at}: {v} is not of the type {t}"));
            return;
        }
    }
    if let (Some(min), Some(x)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64())
        && x < min
    {
        out.push(format!("{at}: {x} is below the minimum {min}"));
    }
    if let (Some(max), Some(x)) = (schema.get("maximum").and_then(Value::as_f64), v.as_f64())
        && x > max
    {
        out.push(format!("{at}: {x} is above the maximum {max}"));
    }
    match v {
        Value::Object(fields) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap();
                if !fields.contains_key(r) {
                    out.push(format!("{at}: the required field {r} is missing"));
                }
            }
            for (k, x) in fields {
                let here = format!("{at}.{k}");
                match (
                    props.and_then(|p| p.get(k)),
                    schema.get("additionalProperties"),
                ) {
                    (Some(s), _) => fit(doc, s, x, &here, out),
                    (None, Some(extra)) if extra.is_object() => fit(doc, extra, x, &here, out),
                    (None, Some(Value::Bool(true))) => {}
                    // An object the document describes field by field
                    // lists every field; one described as just an object
                    // (a plan's content, a segmentation's settings) may
                    // hold anything.
                    (None, _)
                        if props.is_some() || schema.get("additionalProperties").is_some() =>
                    {
                        out.push(format!("{here}: a field the document does not list"));
                    }
                    (None, _) => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(tuple) = schema.get("prefixItems").and_then(Value::as_array) {
                if items.len() != tuple.len() {
                    out.push(format!("{at}: {} items, not {}", items.len(), tuple.len()));
                }
                for (i, (x, s)) in items.iter().zip(tuple).enumerate() {
                    fit(doc, s, x, &format!("{at}[{i}]"), out);
                }
            } else if let Some(s) = schema.get("items") {
                for (i, x) in items.iter().enumerate() {
                    fit(doc, s, x, &format!("{at}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

struct Api {
    base: String,
    token: String,
    client: reqwest::Client,
    doc: Value,
    /// The GET operations called, by their path in the document.
    called: BTreeSet<String>,
    /// Every answer that does not fit the document.
    misfits: Vec<String>,
}

impl Api {
    /// GETs `url` (a path of the API and its query), the operation `template`
    /// of the document, and checks its answer against the document.
    async fn get(&mut self, template: &str, url: &str) -> Value {
        self.send("get", template, url, None).await.1
    }

    /// Sends `body` (JSON, or raw text) with `method` to `url`, the operation
    /// `template` of the document, and checks the answer against the
    /// document; answers its status and body.
    async fn send(
        &mut self,
        method: &str,
        template: &str,
        url: &str,
        body: Option<Result<Value, &str>>,
    ) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = self
            .client
            .request(m, format!("{}{url}", self.base))
            .bearer_auth(&self.token);
        let sent = body.clone();
        req = match body {
            Some(Ok(json)) => req.json(&json),
            Some(Err(raw)) => req
                .header("content-type", "application/json")
                .body(raw.to_owned()),
            None => req,
        };
        let r = req.send().await.unwrap();
        let code = r.status().as_u16();
        // A body the server took fits the document's schema of bodies.
        if let (Some(Ok(json)), true) = (&sent, (200..300).contains(&code)) {
            let schema = &self.doc["paths"][template][method]["requestBody"]["content"]["application/json"]
                ["schema"];
            let mut out = Vec::new();
            if schema.is_null() {
                out.push("body: the document describes no JSON body here".to_owned());
            }
            fit(&self.doc, schema, json, "body", &mut out);
            self.misfits.extend(
                out.into_iter()
                    .map(|m| format!("{method} {url} (sent) {m}")),
            );
        }
        let status = code.to_string();
        let media = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let op = &self.doc["paths"][template][method];
        assert!(op.is_object(), "{method} {template} is not in the document");
        if method == "get" {
            self.called.insert(template.to_owned());
        }
        let answer = &op["responses"][status.as_str()];
        if !answer.is_object() {
            self.misfits.push(format!(
                "{method} {url}: answered {status}, which the document does not list: {body}"
            ));
            return (code, body);
        }
        // An answer without content (204) has no body.
        let Some((kind, content)) = answer["content"].as_object().and_then(|c| c.iter().next())
        else {
            if !body.is_null() {
                self.misfits.push(format!(
                    "{method} {url}: answered {status} with a body: {body}"
                ));
            }
            return (code, body);
        };
        if !media.starts_with(kind.as_str()) {
            self.misfits
                .push(format!("{method} {url}: answered {media}, not {kind}"));
        }
        let mut out = Vec::new();
        fit(&self.doc, &content["schema"], &body, "", &mut out);
        self.misfits.extend(
            out.into_iter()
                .map(|m| format!("{method} {url} ({status}) {m}")),
        );
        (code, body)
    }
}

impl Api {
    /// Deletes a record (`delete`: the operation and its address), finds its
    /// deletion first in the list `deleted` (operation, address) and restores
    /// it (`restore`: the operation, whose `{entry}` names it), each answer
    /// checked against the document.
    async fn delete_and_restore(&mut self, delete: [&str; 2], deleted: [&str; 2], restore: &str) {
        let (status, body) = self.send("delete", delete[0], delete[1], None).await;
        assert_eq!(status, 204, "{} {body}", delete[1]);
        let list = self.get(deleted[0], deleted[1]).await;
        let entry = list[0]["entry"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}: {list}", deleted[1]));
        let url = restore.replace("{entry}", &entry.to_string());
        let (status, body) = self.send("post", restore, &url, None).await;
        assert_eq!(status, 201, "{url} {body}");
    }
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_json_answer_fits_the_openapi_document() {
    let url = fresh_database_url().await;
    let _files = Files(url.clone());
    clef(&url, &["demo", "--customers", "300"]);
    let token = clef(&url, &["user", "token", "--email", "admin@clef.example"])
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();
    let store = clef_store::Store::connect(&url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        clef_web::serve(listener, store, clef_web::WebConfig::default(), async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    let client = reqwest::Client::new();
    let doc: Value = client
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut api = Api {
        base,
        token,
        client,
        doc,
        called: BTreeSet::new(),
        misfits: Vec::new(),
    };
    let p = "/api/v1";

    // Lists and overviews.
    for path in [
        "/business-units",
        "/calendar-feeds",
        "/colleagues",
        "/coverage",
        "/me/actions",
        "/me/meeting-actions",
        "/meeting-formats",
        "/program/managers",
        "/program/meetings",
        "/program/meetings/deleted",
        "/selection/candidates",
        "/selection/criteria",
        "/settings/relationships",
        "/sponsorship",
        "/users/me",
    ] {
        api.get(&format!("{p}{path}"), &format!("{p}{path}")).await;
    }
    let all = api
        .get(
            &format!("{p}/customers"),
            &format!("{p}/customers?per_page=100"),
        )
        .await;
    let keys = api
        .get(
            &format!("{p}/customers"),
            &format!("{p}/customers?status=key_account"),
        )
        .await;
    assert!(keys["items"][0].is_object(), "a key account: {keys}");
    let key = id(&keys["items"][0]);
    // A customer that is not a key account: its answers hold the nulls.
    let plain = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] != "key_account" && c["group"].is_null())
        .map(id)
        .unwrap();
    for c in [key, plain] {
        for part in [
            "",
            "/contacts",
            "/contracts",
            "/coverage",
            "/history",
            "/interactions",
            "/meetings",
            "/plan",
            "/revenue",
            "/selection",
            "/stakeholders",
            "/team",
        ] {
            api.get(
                &format!("{p}/customers/{{id}}{part}"),
                &format!("{p}/customers/{c}{part}"),
            )
            .await;
        }
    }
    // What does not exist answers as documented.
    api.get(
        &format!("{p}/customers/{{id}}"),
        &format!("{p}/customers/999999"),
    )
    .await;

    let contacts = api
        .get(
            &format!("{p}/customers/{{id}}/contacts"),
            &format!("{p}/customers/{key}/contacts"),
        )
        .await;
    let contact = id(&contacts[0]);
    api.get(
        &format!("{p}/contacts/{{id}}"),
        &format!("{p}/contacts/{contact}"),
    )
    .await;

    let contracts = api
        .get(&format!("{p}/contracts"), &format!("{p}/contracts"))
        .await;
    let contract = id(&contracts["items"][0]["contract"]);
    api.get(
        &format!("{p}/contracts/{{id}}"),
        &format!("{p}/contracts/{contract}"),
    )
    .await;

    let groups = api
        .get(
            &format!("{p}/customer-groups"),
            &format!("{p}/customer-groups"),
        )
        .await;
    let group = id(&groups[0]);
    api.get(
        &format!("{p}/customer-groups/{{id}}"),
        &format!("{p}/customer-groups/{group}"),
    )
    .await;

    // A group deleted, listed, and restored.
    let groups_path = format!("{p}/customer-groups");
    let (status, made) = api
        .send(
            "post",
            &groups_path,
            &groups_path,
            Some(Ok(
                json!({"name": "Document Check Group", "scope": "regional", "country": "FR"}),
            )),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    api.delete_and_restore(
        [
            &format!("{p}/customer-groups/{{id}}"),
            &format!("{p}/customer-groups/{}?version=1", id(&made)),
        ],
        [
            &format!("{p}/customer-groups/deleted"),
            &format!("{p}/customer-groups/deleted"),
        ],
        &format!("{p}/customer-groups/deleted/{{entry}}/restore"),
    )
    .await;

    // A colleague deleted, listed, and restored.
    let colleagues_path = format!("{p}/colleagues");
    let (status, made) = api
        .send(
            "post",
            &colleagues_path,
            &colleagues_path,
            Some(Ok(
                json!({"name": "Document Check", "function": "Logistics"}),
            )),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    api.delete_and_restore(
        [
            &format!("{p}/colleagues/{{id}}"),
            &format!("{p}/colleagues/{}?version=1", id(&made)),
        ],
        [
            &format!("{p}/colleagues/deleted"),
            &format!("{p}/colleagues/deleted"),
        ],
        &format!("{p}/colleagues/deleted/{{entry}}/restore"),
    )
    .await;

    let meetings = api
        .get(
            &format!("{p}/customers/{{id}}/meetings"),
            &format!("{p}/customers/{key}/meetings"),
        )
        .await;
    let meeting = id(&meetings["meetings"][0]);
    for part in ["", "/actions"] {
        api.get(
            &format!("{p}/meetings/{{id}}{part}"),
            &format!("{p}/meetings/{meeting}{part}"),
        )
        .await;
    }
    // An action item added, deleted, listed, and restored.
    let (status, item) = api
        .send(
            "post",
            &format!("{p}/meetings/{{id}}/actions"),
            &format!("{p}/meetings/{meeting}/actions"),
            Some(Ok(
                json!({"title": "Document check", "due_on": "2031-02-03"}),
            )),
        )
        .await;
    assert_eq!(status, 201, "{item}");
    api.delete_and_restore(
        [
            &format!("{p}/meeting-actions/{{id}}"),
            &format!("{p}/meeting-actions/{}?version=1", id(&item)),
        ],
        [
            &format!("{p}/meetings/{{id}}/actions/deleted"),
            &format!("{p}/meetings/{meeting}/actions/deleted"),
        ],
        &format!("{p}/meeting-actions/deleted/{{entry}}/restore"),
    )
    .await;

    api.get(&format!("{p}/plans"), &format!("{p}/plans")).await;
    let plan = api
        .get(
            &format!("{p}/customers/{{id}}/plan"),
            &format!("{p}/customers/{key}/plan"),
        )
        .await;
    let versions: Vec<i64> = plan["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert!(
        versions.len() >= 2,
        "the demo's key account has two plan versions: {plan}"
    );
    for v in &versions {
        api.get(
            &format!("{p}/plan-versions/{{id}}"),
            &format!("{p}/plan-versions/{v}"),
        )
        .await;
    }
    api.get(
        &format!("{p}/plan-versions/compare"),
        &format!(
            "{p}/plan-versions/compare?from={}&to={}",
            versions[0], versions[1]
        ),
    )
    .await;

    let segmentations = api
        .get(&format!("{p}/segmentations"), &format!("{p}/segmentations"))
        .await;
    let segmentation = id(&segmentations[0]);
    api.get(
        &format!("{p}/segmentations/{{id}}"),
        &format!("{p}/segmentations/{segmentation}"),
    )
    .await;
    // Two applications of a segmentation, to compare their snapshots.
    let mut snapshots = Vec::new();
    for _ in 0..2 {
        let r = api
            .client
            .post(format!(
                "{}{p}/segmentations/{segmentation}/apply",
                api.base
            ))
            .bearer_auth(&api.token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        snapshots.push(id(&body));
    }
    api.get(
        &format!("{p}/segmentations/{{id}}/snapshots"),
        &format!("{p}/segmentations/{segmentation}/snapshots"),
    )
    .await;
    api.get(
        &format!("{p}/snapshots/compare"),
        &format!(
            "{p}/snapshots/compare?from={}&to={}",
            snapshots[0], snapshots[1]
        ),
    )
    .await;

    // A segmentation deleted, listed, and restored.
    let segmentations_path = format!("{p}/segmentations");
    let (status, made) = api
        .send(
            "post",
            &segmentations_path,
            &segmentations_path,
            Some(Ok(json!({"name": "Document Check Segmentation"}))),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    api.delete_and_restore(
        [
            &format!("{p}/segmentations/{{id}}"),
            &format!("{p}/segmentations/{}", id(&made)),
        ],
        [
            &format!("{p}/segmentations/deleted"),
            &format!("{p}/segmentations/deleted"),
        ],
        &format!("{p}/segmentations/deleted/{{entry}}/restore"),
    )
    .await;

    let users = api.get(&format!("{p}/users"), &format!("{p}/users")).await;
    let user = id(&users[0]);
    api.get(&format!("{p}/users/{{id}}"), &format!("{p}/users/{user}"))
        .await;

    // Writes and their refusals answer as documented too.
    let customers = format!("{p}/customers");
    let (status, created) = api
        .send(
            "post",
            &customers,
            &customers,
            Some(Ok(
                json!({"name": "Document Check SA", "country": "FR", "currency": "EUR"}),
            )),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let one = format!("{p}/customers/{{id}}");
    let this = format!("{p}/customers/{}", id(&created));
    let mut change = created.clone();
    for k in [
        "id",
        "created_at",
        "updated_at",
        "figures",
        "group",
        "owner",
        "business_unit",
        "sponsor_id",
    ] {
        change.as_object_mut().unwrap().remove(k);
    }
    change["city"] = json!("Lyon");
    // Numbers changed too: the history gives each value as stored.
    change["wallet_cents"] = json!(12_500_000);
    change["satisfaction"] = json!(8);
    let (status, changed) = api.send("put", &one, &this, Some(Ok(change.clone()))).await;
    assert_eq!(status, 200, "{changed}");
    let history = api
        .get(
            &format!("{p}/customers/{{id}}/history"),
            &format!("{p}/customers/{}/history", id(&created)),
        )
        .await;
    assert_eq!(
        history[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "wallet_cents")
            .map(|c| c["after"].clone()),
        Some(json!(12_500_000)),
        "{history}"
    );
    // The same change again, at the version read before: stale.
    assert_eq!(api.send("put", &one, &this, Some(Ok(change))).await.0, 409);
    let refusals = [
        (
            json!({"name": "", "country": "XX", "currency": "EURO"}),
            422,
        ),
        (
            json!({"name": "A", "country": "FR", "currency": "EUR", "unknown": 1}),
            422,
        ),
        (json!({"name": 5, "country": "FR", "currency": "EUR"}), 422),
    ];
    for (body, expected) in refusals {
        let (status, problem) = api
            .send("post", &customers, &customers, Some(Ok(body)))
            .await;
        assert_eq!(status, expected, "{problem}");
    }
    let (status, _) = api
        .send("post", &customers, &customers, Some(Err("{\"name\": ")))
        .await;
    assert_eq!(status, 400);
    let (status, problem) = api
        .send(
            "post",
            &format!("{p}/customers/{{id}}/contacts"),
            &format!("{p}/customers/{key}/contacts"),
            Some(Ok(
                json!({"first_name": "Ann", "last_name": "Lee", "email": "not an address"}),
            )),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    // A contact deleted at a version it no longer has; a group name taken;
    // versions of plans that do not exist.
    let (status, problem) = api
        .send(
            "delete",
            &format!("{p}/contacts/{{id}}"),
            &format!("{p}/contacts/{contact}?version=999"),
            None,
        )
        .await;
    assert_eq!(status, 409, "{problem}");
    let (status, problem) = api
        .send(
            "post",
            &groups_path,
            &groups_path,
            Some(Ok(
                json!({"name": "Document Check Group", "scope": "regional", "country": "FR"}),
            )),
        )
        .await;
    assert_eq!(status, 409, "{problem}");
    let (status, problem) = api
        .send(
            "get",
            &format!("{p}/plan-versions/compare"),
            &format!("{p}/plan-versions/compare?from=999999&to=999998"),
            None,
        )
        .await;
    assert_eq!(status, 404, "{problem}");
    assert_eq!(api.send("delete", &one, &this, None).await.0, 204);

    // A year of meetings planned from one: the meeting's fields and how
    // many, in one object.
    let formats = api
        .get(
            &format!("{p}/meeting-formats"),
            &format!("{p}/meeting-formats"),
        )
        .await;
    let format = formats
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["scope"] == "account")
        .map(id)
        .unwrap_or_else(|| panic!("no format for one account: {formats}"));
    let (status, planned) = api
        .send(
            "post",
            &format!("{p}/customers/{{id}}/meetings/plan"),
            &format!("{p}/customers/{key}/meetings/plan"),
            Some(Ok(
                json!({"format_id": format, "on": "2031-01-06", "per_year": 4, "primary_objective": "planning"}),
            )),
        )
        .await;
    assert_eq!(status, 201, "{planned}");

    // Every GET operation that answers JSON was called.
    let json_gets: BTreeSet<String> = api.doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| {
            ops["get"]["responses"]["200"]["content"]
                .as_object()
                .is_some_and(|c| c.contains_key("application/json"))
        })
        .map(|(path, _)| path.clone())
        .collect();
    let not_called: Vec<_> = json_gets.difference(&api.called).collect();
    assert!(not_called.is_empty(), "not called: {not_called:?}");
    let _ = stop.send(());
    assert!(
        api.misfits.is_empty(),
        "{} answers do not fit the document:\n{}",
        api.misfits.len(),
        api.misfits
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The check itself finds what does not fit.
#[test]
fn a_misfit_is_named() {
    let doc = json!({"components": {"schemas": {
        "Ref": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Out": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "owner": {"oneOf": [{"$ref": "#/components/schemas/Ref"}, {"type": "null"}]},
            "tags": {"type": ["array", "null"], "items": {"type": "string"}},
            "settings": {"type": "object"}
        }}
    }}});
    let schema = json!({"$ref": "#/components/schemas/Out"});
    let misfits = |v: Value| {
        let mut out = Vec::new();
        fit(&doc, &schema, &v, "", &mut out);
        out
    };
    assert!(
        misfits(
            json!({"id": 1, "name": "A", "owner": null, "tags": ["x"], "settings": {"any": 1}})
        )
        .is_empty()
    );
    assert!(misfits(json!({"id": 1, "name": "A", "owner": {"id": 2}, "tags": null})).is_empty());
    assert_eq!(
        misfits(json!({"id": 1})),
        [": the required field name is missing"]
    );
    assert_eq!(
        misfits(json!({"id": 0, "name": "A", "extra": true})),
        [
            ".extra: a field the document does not list",
            ".id: 0 is below the minimum 1"
        ]
    );
    assert_eq!(
        misfits(json!({"id": "1", "name": "A"})),
        [".id: \"1\" is not of the type \"integer\""]
    );
    assert_eq!(
        misfits(json!({"id": 1, "name": "A", "tags": [3]})),
        [".tags[0]: 3 is not of the type \"string\""]
    );
    let owner = misfits(json!({"id": 1, "name": "A", "owner": {"id": 2, "name": "B"}}));
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert!(
        owner[0].contains(".owner: fits 0 of its 2 choices")
            && owner[0].contains(".owner.name: a field the document does not list"),
        "{owner:?}"
    );
}
