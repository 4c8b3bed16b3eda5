//! RCI endpoints of the emulator: success paths and every validation rule of docs/api/contract.md.
//! Every response is checked against docs/api/rci.openapi.yaml by the support client.

mod emulator_support;

use emulator_support::{user_body, Emu, Spec};
use reqwest::Method;
use serde_json::json;

#[test]
fn schema_checker_can_fail() {
    let spec = Spec::load();
    let good = json!([{"id": "3906ECA4762C42588B55E5A66460D58E", "name": "CC Agent"}]);
    assert!(spec.check_response("GET", "/roles", 200, &good).is_ok());
    let missing = json!([{"id": "3906ECA4762C42588B55E5A66460D58E"}]);
    assert!(spec
        .check_response("GET", "/roles", 200, &missing)
        .unwrap_err()
        .contains("name"));
    let bad_id = json!([{"id": "not-an-id", "name": "x"}]);
    assert!(spec.check_response("GET", "/roles", 200, &bad_id).is_err());
    let extra = json!({"id": "3906ECA4762C42588B55E5A66460D58E", "name": "x", "password": "p"});
    assert!(spec
        .check_response("GET", "/roles/{id}", 200, &extra)
        .is_err());
    let error = json!({"status": "400", "message": "m", "field": null});
    assert!(spec.check_response("GET", "/roles", 400, &error).is_err());
    assert!(spec
        .check_response("DELETE", "/users/{id}", 204, &json!({"x": 1}))
        .is_err());
}

#[tokio::test]
async fn seed_data_is_present() {
    let emu = Emu::start().await;
    let groups = emu.get("userGroups", &[]).await;
    assert_eq!(groups.status, 200);
    let all = emu.id_of("userGroups", "All Users").await;
    for name in [
        "Sample Agents Group",
        "Sample Supervisors Group",
        "Superusers Group",
    ] {
        let g = groups
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap();
        assert_eq!(g["parentId"], all.as_str());
    }
    let users = emu.get("users?login=*", &[]).await;
    let logins: Vec<&str> = users
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap())
        .collect();
    for login in [
        "sample.agent1",
        "sample.supervisor1",
        "sample.superuser1",
        "admin",
    ] {
        assert!(logins.contains(&login), "{login} missing from {logins:?}");
    }
    let superusers = emu.id_of("userGroups", "Superusers Group").await;
    let detail = emu.get("userGroups/{id}", &[&superusers]).await;
    assert_eq!(detail.body["userIds"].as_array().unwrap().len(), 2);

    let roles = emu.get("roles", &[]).await;
    assert_eq!(
        roles.body.as_array().unwrap().len(),
        contactpro_emulator::SEED_ROLES.len()
    );
    let role = emu.id_of("roles", "CC Agent").await;
    assert_eq!(
        emu.get("roles/{id}", &[&role]).await.body["name"],
        "CC Agent"
    );

    let queues = emu.get("queues", &[]).await;
    assert_eq!(queues.body.as_array().unwrap().len(), 4);
    let chat = emu.get("queues", &[]).await;
    assert!(chat
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["name"] == "Phone Support" && q["channel"] == "phone"));
    let queue = emu.id_of("queues", "Chat Sales").await;
    assert_eq!(
        emu.get("queues/{id}", &[&queue]).await.body["channel"],
        "chat"
    );
    let group = emu.id_of("queueGroups", "Chat Queues").await;
    let detail = emu.get("queueGroups/{id}", &[&group]).await;
    assert!(detail.body["queueIds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q == queue.as_str()));
    assert_eq!(detail.body["queueIds"].as_array().unwrap().len(), 2);

    let secrets = emu.get("secrets", &[]).await;
    assert!(secrets
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "orchestration-layer" && s["secretSet"] == true));
    emu.shutdown().await;
}

#[tokio::test]
async fn users_crud_and_listing() {
    let emu = Emu::start().await;
    let created = emu.post("users", &[], user_body("api.attachments")).await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        created.header("location").unwrap(),
        format!("/demo/RI/rci/users/{id}")
    );

    let got = emu.get("users/{id}", &[&id]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["login"], "api.attachments");
    assert_eq!(got.body["email"], "api@example.com");
    assert_eq!(got.body["title"], serde_json::Value::Null);

    let mut replacement = user_body("api.attachments");
    replacement["title"] = json!("Integration");
    assert_eq!(emu.put("users/{id}", &[&id], replacement).await.status, 204);
    let got = emu.get("users/{id}", &[&id]).await;
    assert_eq!(got.body["login"], "api.attachments");
    assert_eq!(got.body["title"], "Integration");

    // Wildcard filters, sort, offset, limit.
    emu.create("users", &[], user_body("api.transcripts")).await;
    let filtered = emu.get("users?login=API.*&sort=login", &[]).await;
    let logins: Vec<_> = filtered
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].clone())
        .collect();
    assert_eq!(
        logins,
        vec![json!("api.attachments"), json!("api.transcripts")]
    );
    let one_char = emu.get("users?login=sample.agent?", &[]).await;
    assert_eq!(one_char.body.as_array().unwrap().len(), 1);
    let sorted = emu.get("users?sort=-login&limit=2&login=*", &[]).await;
    let logins: Vec<_> = sorted
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(logins, vec!["sample.supervisor1", "sample.superuser1"]);
    let offset = emu
        .get("users?sort=login&offset=1&limit=1&login=", &[])
        .await;
    assert_eq!(offset.body[0]["login"], "api.attachments");
    assert_eq!(emu.get("users?limit=1001", &[]).await.status, 400);
    let unknown = emu.get("users?colour=red", &[]).await;
    assert_eq!(
        (unknown.status, unknown.field()),
        (400, Some("colour".into()))
    );

    // The cloud path shape serves the same data.
    let url = format!("{}/demo/ecfs/RI/rci/users/{id}", emu.running.base_url());
    let cloud = emu.authed(Method::GET, &url).send().await.unwrap();
    assert_eq!(cloud.status(), 200);

    assert_eq!(emu.delete("users/{id}", &[&id]).await.status, 204);
    assert_eq!(emu.get("users/{id}", &[&id]).await.status, 404);
    assert_eq!(emu.delete("users/{id}", &[&id]).await.status, 404);
    assert_eq!(emu.get("users/{id}", &["not-an-id"]).await.status, 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn user_rules() {
    let emu = Emu::start().await;
    let cases = [
        (json!({"surname": "S", "login": "a.b"}), "firstName"),
        (
            json!({"firstName": "", "surname": "S", "login": "a.b"}),
            "firstName",
        ),
        (
            json!({"firstName": "F", "surname": "x".repeat(401), "login": "a.b"}),
            "surname",
        ),
        (json!({"firstName": "F", "surname": "S"}), "login"),
        (
            json!({"firstName": "F", "surname": "S", "login": "a b"}),
            "login",
        ),
        (
            json!({"firstName": "F", "surname": "S", "login": "a".repeat(101)}),
            "login",
        ),
        (
            json!({"firstName": "F", "surname": "S", "login": "a.b", "id": "3906ECA4762C42588B55E5A66460D58E"}),
            "id",
        ),
        (
            json!({"firstName": "F", "surname": "S", "login": "a.b", "shoeSize": 44}),
            "shoeSize",
        ),
    ];
    for (body, field) in cases {
        let resp = emu.post("users", &[], body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(
            resp.field().as_deref(),
            Some(field),
            "{body}: {:?}",
            resp.body
        );
        assert!(resp.message().contains(field), "{:?}", resp.body);
    }
    // Unique login, case-insensitively, on POST and PUT.
    let id = emu.create("users", &[], user_body("unique.login")).await;
    let dup = emu.post("users", &[], user_body("UNIQUE.Login")).await;
    assert_eq!((dup.status, dup.field()), (409, Some("login".into())));
    assert_eq!(
        emu.put("users/{id}", &[&id], user_body("unique.login"))
            .await
            .status,
        204
    );

    // Content type, malformed JSON and body limit.
    let url = format!("{}/users", emu.rci());
    let text = emu
        .authed(Method::POST, &url)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    let body: serde_json::Value = text.json().await.unwrap();
    assert_eq!(body["status"], 415);
    let broken = emu
        .authed(Method::POST, &url)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let big = format!("{{\"firstName\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let large = emu
        .authed(Method::POST, &url)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(large.status(), 413);
    let body: serde_json::Value = large.json().await.unwrap();
    assert_eq!(body["status"], 413);
    // Wrong method: JSON 405.
    let patch = emu.authed(Method::PATCH, &url).send().await.unwrap();
    assert_eq!(patch.status(), 405);
    assert_eq!(
        patch.json::<serde_json::Value>().await.unwrap()["status"],
        405
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn authentication_tab() {
    let emu = Emu::start().await;
    let id = emu.create("users", &[], user_body("api.auth")).await;
    let before = emu.get("users/{id}/authentication", &[&id]).await;
    assert_eq!(before.body["passwordSet"], false);
    assert_eq!(before.body["serviceAccount"], false);

    let body = json!({"login": "api.auth", "password": "Correct-Horse-Battery-9", "serviceAccount": true,
                      "serviceAccountExpiration": "2999-06-30T00:00:00Z"});
    assert_eq!(
        emu.put("users/{id}/authentication", &[&id], body)
            .await
            .status,
        204
    );
    let after = emu.get("users/{id}/authentication", &[&id]).await;
    assert_eq!(after.body["passwordSet"], true);
    assert_eq!(after.body["serviceAccount"], true);
    assert_eq!(
        after.body["serviceAccountExpiration"],
        "2999-06-30T00:00:00Z"
    );
    let expiration =
        contactpro_rules::parse_timestamp(after.body["passwordExpiration"].as_str().unwrap())
            .unwrap();
    let days = (expiration - time::OffsetDateTime::now_utc()).whole_days();
    assert!((364..=365).contains(&days), "{days}");
    assert!(after.body.get("password").is_none());
    assert_eq!(
        emu.get("users/{id}", &[&id]).await.body["passwordExpiration"],
        after.body["passwordExpiration"]
    );

    // Absent password keeps it: the user can still authenticate.
    let keep = json!({"login": "api.auth", "serviceAccount": false});
    assert_eq!(
        emu.put("users/{id}/authentication", &[&id], keep)
            .await
            .status,
        204
    );
    assert_eq!(
        emu.get("users/{id}/authentication", &[&id]).await.body["passwordSet"],
        true
    );
    let as_user = emu
        .http
        .get(format!("{}/users/{id}", emu.rci()))
        .header("x-api-key", emulator_support::API_KEY)
        .basic_auth("API.AUTH", Some("Correct-Horse-Battery-9"))
        .send()
        .await
        .unwrap();
    // The admin set the password of a user who is no longer a service account: it must change it first.
    let body: serde_json::Value = as_user.json().await.unwrap();
    assert_eq!(body["status"], 403);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("password change required"));
    let own = emu
        .call_as(
            ("api.auth", "Correct-Horse-Battery-9"),
            Method::PUT,
            "users/{id}/authentication",
            &[&id],
            Some(json!({"login": "api.auth", "password": "Correct-Horse-Battery-10"})),
        )
        .await;
    assert_eq!(own.status, 204, "{:?}", own.body);
    // Its own password only: making itself a service account needs User: Modify.
    let escalate = emu
        .call_as(
            ("api.auth", "Correct-Horse-Battery-10"),
            Method::PUT,
            "users/{id}/authentication",
            &[&id],
            Some(json!({"login": "api.auth", "serviceAccount": true,
                        "serviceAccountExpiration": "2999-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(
        (escalate.status, escalate.message()),
        (
            403,
            "missing right User: Modify for PUT users/{id}/authentication".to_string()
        )
    );
    // Now only its rights limit it.
    let me = ("api.auth", "Correct-Horse-Battery-10");
    let denied = emu
        .call_as(me, Method::GET, "users/{id}", &[&id], None)
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.message(),
        "missing right User: View for GET users/{id}"
    );
    emu.grant("api.auth", "User", &id, &["View"]).await;
    let allowed = emu
        .call_as(me, Method::GET, "users/{id}", &[&id], None)
        .await;
    assert_eq!(allowed.status, 200);

    let cases = [
        (json!({"password": "Correct-Horse-Battery-9"}), "login"),
        (
            json!({"login": "api.auth", "password": "short"}),
            "password",
        ),
        (
            json!({"login": "api.auth", "password": "aaaaaaaaaaaaaaaaä"}),
            "password",
        ),
        (
            json!({"login": "api.auth", "password": "aaaaaaaaaaaaaaaa€"}),
            "password",
        ),
        (
            json!({"login": "api.auth", "serviceAccount": true}),
            "serviceAccountExpiration",
        ),
        (
            json!({"login": "api.auth", "serviceAccount": true, "serviceAccountExpiration": "2001-01-01T00:00:00Z"}),
            "serviceAccountExpiration",
        ),
        (
            json!({"login": "api.auth", "serviceAccount": true, "serviceAccountExpiration": "tomorrow"}),
            "serviceAccountExpiration",
        ),
        (
            json!({"login": "api.auth", "serviceAccount": false, "serviceAccountExpiration": "2999-01-01T00:00:00Z"}),
            "serviceAccountExpiration",
        ),
        (
            json!({"login": "api.auth", "passwordSet": true}),
            "passwordSet",
        ),
    ];
    for (body, field) in cases {
        let resp = emu
            .put("users/{id}/authentication", &[&id], body.clone())
            .await;
        assert_eq!(
            (resp.status, resp.field().as_deref()),
            (400, Some(field)),
            "{body}: {:?}",
            resp.body
        );
        assert!(
            !resp.message().contains("aaaaaaaa"),
            "a password leaked into {:?}",
            resp.body
        );
    }
    let taken = emu
        .put(
            "users/{id}/authentication",
            &[&id],
            json!({"login": "sample.agent1", "password": "Correct-Horse-Battery-11"}),
        )
        .await;
    assert_eq!(taken.status, 409);
    // A login change needs the password in the same call.
    let no_password = emu
        .put(
            "users/{id}/authentication",
            &[&id],
            json!({"login": "api.auth2"}),
        )
        .await;
    assert_eq!(
        (no_password.status, no_password.field()),
        (400, Some("password".into()))
    );
    assert!(no_password
        .message()
        .starts_with("changing the logon name requires setting the password again"));
    let renamed = emu
        .put(
            "users/{id}/authentication",
            &[&id],
            json!({"login": "api.auth2", "password": "Correct-Horse-Battery-12"}),
        )
        .await;
    assert_eq!(renamed.status, 204);
    assert_eq!(
        emu.get("users/{id}", &[&id]).await.body["login"],
        "api.auth2"
    );
    assert_eq!(
        emu.get(
            "users/{id}/authentication",
            &["3906ECA4762C42588B55E5A66460D58E"]
        )
        .await
        .status,
        404
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn memberships() {
    let emu = Emu::start().await;
    let id = emu.create("users", &[], user_body("api.member")).await;
    let group = emu.id_of("userGroups", "Sample Agents Group").await;
    let role = emu.id_of("roles", "CC Agent").await;
    for (kind, target) in [("userGroups", &group), ("roles", &role)] {
        let list = format!("users/{{id}}/{kind}");
        let one = format!("users/{{id}}/{kind}/{{gid}}");
        let one = if kind == "roles" {
            one.replace("{gid}", "{rid}")
        } else {
            one
        };
        assert_eq!(emu.get(&list, &[&id]).await.body, json!([]));
        let added = emu.post(&list, &[&id], json!({"id": target})).await;
        assert_eq!(added.status, 201, "{:?}", added.body);
        assert_eq!(
            added.header("location").unwrap(),
            format!("/demo/RI/rci/users/{id}/{kind}/{target}")
        );
        let listed = emu.get(&list, &[&id]).await;
        assert_eq!(listed.body[0]["id"], target.as_str());
        assert_eq!(
            emu.post(&list, &[&id], json!({"id": target})).await.status,
            409
        );
        let unknown = emu
            .post(
                &list,
                &[&id],
                json!({"id": "3906ECA4762C42588B55E5A66460D58E"}),
            )
            .await;
        assert_eq!((unknown.status, unknown.field()), (404, Some("id".into())));
        assert_eq!(emu.post(&list, &[&id], json!({})).await.status, 400);
        assert_eq!(emu.delete(&one, &[&id, target]).await.status, 204);
        assert_eq!(emu.delete(&one, &[&id, target]).await.status, 404);
        assert_eq!(emu.get(&list, &[&id]).await.body, json!([]));
    }
    // Deleting the user removes its memberships.
    emu.create("users/{id}/userGroups", &[&id], json!({"id": group}))
        .await;
    emu.delete("users/{id}", &[&id]).await;
    let detail = emu.get("userGroups/{id}", &[&group]).await;
    assert!(!detail.body["userIds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == id.as_str()));
    emu.shutdown().await;
}

#[tokio::test]
async fn rights() {
    let emu = Emu::start().await;
    let id = emu.create("users", &[], user_body("api.rights")).await;
    let queue_group = emu.id_of("queueGroups", "Chat Queues").await;
    let body = json!({"objectType": "QueueGroup", "objectId": queue_group, "accessTypes": ["View", "ManageContactHistory"], "grant": ["View"]});
    let created = emu.post("users/{id}/rights", &[&id], body.clone()).await;
    assert_eq!(created.status, 201);
    let right = created.body["id"].as_str().unwrap().to_string();
    let got = emu.get("users/{id}/rights/{rightId}", &[&id, &right]).await;
    assert_eq!(
        got.body["accessTypes"],
        json!(["View", "ManageContactHistory"])
    );
    assert_eq!(got.body["grant"], json!(["View"]));
    assert_eq!(
        emu.get("users/{id}/rights", &[&id])
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        emu.post("users/{id}/rights", &[&id], body.clone())
            .await
            .status,
        409
    );

    let mut update = body.clone();
    update["accessTypes"] = json!(["View"]);
    update["grant"] = json!([]);
    assert_eq!(
        emu.put("users/{id}/rights/{rightId}", &[&id, &right], update)
            .await
            .status,
        204
    );
    assert_eq!(
        emu.get("users/{id}/rights/{rightId}", &[&id, &right])
            .await
            .body["accessTypes"],
        json!(["View"])
    );
    let mut moved = body.clone();
    moved["objectId"] = json!(emu.id_of("queues", "Chat Sales").await);
    moved["objectType"] = json!("Queue");
    assert_eq!(
        emu.put("users/{id}/rights/{rightId}", &[&id, &right], moved)
            .await
            .status,
        400
    );

    // A type the emulator does not store takes any 32-hex id.
    let campaign = json!({"objectType": "Campaign", "objectId": "3906ECA4762C42588B55E5A66460D58E", "accessTypes": ["Use"]});
    assert_eq!(
        emu.post("users/{id}/rights", &[&id], campaign).await.status,
        201
    );

    let cases = [
        (
            json!({"objectType": "Planet", "objectId": queue_group, "accessTypes": ["View"]}),
            400,
            "objectType",
        ),
        (
            json!({"objectType": "Queue", "objectId": "abc", "accessTypes": ["View"]}),
            400,
            "objectId",
        ),
        (
            json!({"objectType": "Queue", "objectId": "3906ECA4762C42588B55E5A66460D58E", "accessTypes": ["View"]}),
            404,
            "objectId",
        ),
        (
            json!({"objectType": "Queue", "objectId": queue_group, "accessTypes": []}),
            400,
            "accessTypes",
        ),
        (
            json!({"objectType": "Queue", "objectId": queue_group}),
            400,
            "accessTypes",
        ),
        (
            json!({"objectType": "UserGroup", "objectId": queue_group, "accessTypes": ["Fly"]}),
            400,
            "accessTypes",
        ),
        (
            json!({"objectType": "Campaign", "objectId": queue_group, "accessTypes": ["View"], "grant": ["Modify"]}),
            400,
            "grant",
        ),
        (
            json!({"objectType": "Campaign", "objectId": queue_group, "accessTypes": ["View"], "grant": ["Nope"]}),
            400,
            "grant",
        ),
    ];
    for (body, status, field) in cases {
        let resp = emu.post("users/{id}/rights", &[&id], body.clone()).await;
        assert_eq!(
            (resp.status, resp.field().as_deref()),
            (status, Some(field)),
            "{body}: {:?}",
            resp.body
        );
    }
    assert_eq!(
        emu.delete("users/{id}/rights/{rightId}", &[&id, &right])
            .await
            .status,
        204
    );
    assert_eq!(
        emu.get("users/{id}/rights/{rightId}", &[&id, &right])
            .await
            .status,
        404
    );
    assert_eq!(
        emu.delete("users/{id}/rights/{rightId}", &[&id, &right])
            .await
            .status,
        404
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn secrets() {
    let emu = Emu::start().await;
    let body = json!({"name": "cmi-chat-attachment-upload-user", "description": "CMI upload user", "type": "basic",
                      "authenticationId": "api.attachments", "secret": "first-value-123"});
    let created = emu.post("secrets", &[], body.clone()).await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        created.header("location").unwrap(),
        format!("/demo/RI/rci/secrets/{id}")
    );
    let got = emu.get("secrets/{id}", &[&id]).await;
    assert_eq!(got.body["secretSet"], true);
    assert!(got.body.get("secret").is_none());
    assert!(!got.body.to_string().contains("first-value-123"));

    let check = |candidate: &'static str| {
        let url = format!("{}/_emulator/demo/check-secret", emu.running.base_url());
        let request = emu.authed(reqwest::Method::POST, &url);
        async move {
            let r = request
                .json(&json!({"name": "cmi-chat-attachment-upload-user", "secret": candidate}))
                .send()
                .await
                .unwrap();
            let body: serde_json::Value = r.json().await.unwrap();
            emu_spec_check(&body);
            body["matches"].as_bool().unwrap()
        }
    };
    assert!(check("first-value-123").await);
    assert!(!check("other").await);

    // PUT without `secret` keeps the value; with it, replaces it.
    let mut update = body.clone();
    update.as_object_mut().unwrap().remove("secret");
    update["description"] = json!("changed");
    assert_eq!(
        emu.put("secrets/{id}", &[&id], update.clone()).await.status,
        204
    );
    assert!(check("first-value-123").await);
    update["secret"] = json!("second-value-456");
    assert_eq!(emu.put("secrets/{id}", &[&id], update).await.status, 204);
    assert!(check("second-value-456").await);
    assert_eq!(
        emu.get("secrets/{id}", &[&id]).await.body["description"],
        "changed"
    );

    let filtered = emu.get("secrets?name=cmi-*", &[]).await;
    assert_eq!(filtered.body.as_array().unwrap().len(), 1);
    let oauth = json!({"name": "oauth-one", "type": "oauth", "authenticationId": "client", "accessTokenUrl": "https://auth.example.com/token", "secret": "s"});
    assert_eq!(emu.post("secrets", &[], oauth).await.status, 201);
    let header = json!({"name": "header-one", "type": "header", "secret": "s"});
    assert_eq!(emu.post("secrets", &[], header).await.status, 201);

    let cases = [
        (json!({"type": "header", "secret": "s"}), 400, "name"),
        (
            json!({"name": "bad name", "type": "header", "secret": "s"}),
            400,
            "name",
        ),
        (
            json!({"name": "x".repeat(256), "type": "header", "secret": "s"}),
            400,
            "name",
        ),
        (
            json!({"name": "n1", "type": "ftp", "secret": "s"}),
            400,
            "type",
        ),
        (json!({"name": "n1", "secret": "s"}), 400, "type"),
        (
            json!({"name": "n1", "type": "basic", "secret": "s"}),
            400,
            "authenticationId",
        ),
        (
            json!({"name": "n1", "type": "oauth", "authenticationId": "c", "secret": "s"}),
            400,
            "accessTokenUrl",
        ),
        (
            json!({"name": "n1", "type": "oauth", "authenticationId": "c", "accessTokenUrl": "ftp://x/y", "secret": "s"}),
            400,
            "accessTokenUrl",
        ),
        (
            json!({"name": "n1", "type": "header", "authenticationId": "c", "secret": "s"}),
            400,
            "authenticationId",
        ),
        (
            json!({"name": "n1", "type": "basic", "authenticationId": "c", "accessTokenUrl": "https://x/y", "secret": "s"}),
            400,
            "accessTokenUrl",
        ),
        (json!({"name": "n1", "type": "header"}), 400, "secret"),
        (
            json!({"name": "n1", "type": "header", "secret": ""}),
            400,
            "secret",
        ),
        (
            json!({"name": "n1", "type": "header", "secret": "x".repeat(4097)}),
            400,
            "secret",
        ),
        (
            json!({"name": "n1", "type": "header", "secret": "s", "description": "d".repeat(1001)}),
            400,
            "description",
        ),
        (
            json!({"name": "n1", "type": "header", "secret": "s", "secretSet": true}),
            400,
            "secretSet",
        ),
        (
            json!({"name": "cmi-chat-attachment-upload-user", "type": "header", "secret": "s"}),
            409,
            "name",
        ),
    ];
    for (body, status, field) in cases {
        let resp = emu.post("secrets", &[], body.clone()).await;
        assert_eq!(
            (resp.status, resp.field().as_deref()),
            (status, Some(field)),
            "{body}: {:?}",
            resp.body
        );
    }
    // Names are unique case-sensitively.
    let upper = json!({"name": "CMI-chat-attachment-upload-user", "type": "header", "secret": "s"});
    assert_eq!(emu.post("secrets", &[], upper).await.status, 201);

    assert_eq!(emu.delete("secrets/{id}", &[&id]).await.status, 204);
    assert_eq!(emu.get("secrets/{id}", &[&id]).await.status, 404);
    assert_eq!(emu.delete("secrets/{id}", &[&id]).await.status, 404);
    emu.shutdown().await;
}

fn emu_spec_check(body: &serde_json::Value) {
    Spec::shared()
        .check_response("POST", "/_emulator/{tenant}/check-secret", 200, body)
        .unwrap();
}
