//! The documented user behaviour, in both profiles: list projection, filters, sort, full-replace PUT of
//! what GET returned, POST answers, and the documented profile's missing [ours] endpoints.

mod emulator_support;

use std::collections::BTreeSet;

use contactpro_emulator::Profile;
use emulator_support::{user_body, Emu, API_KEY};
use reqwest::Method;
use serde_json::{json, Value};

const PROFILES: [Profile; 2] = [Profile::Full, Profile::Documented];
const EXTRAS: [&str; 4] = [
    "serviceAccount",
    "serviceAccountExpiration",
    "userGroupIds",
    "roleIds",
];

fn keys(item: &Value) -> BTreeSet<String> {
    item.as_object().unwrap().keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A user with every documented writable field set.
fn rich_user(login: &str, first: &str, surname: &str) -> Value {
    json!({"firstName": first, "surname": surname, "login": login, "email": format!("{login}@example.com"),
           "title": "Agent", "location": "Helsinki", "timeZone": "Europe/Helsinki", "uiLanguage": "en",
           "promptLanguage": "en", "externalId": format!("ext-{login}"), "phone": "+358401234567",
           "mobile": "+358409999999", "chat": format!("{login}@chat"), "chatName": format!("{first} chat"),
           "settings": "Default template", "forwardNumber": "+358501111111", "crmId": format!("crm-{login}"),
           "businessObjectsId": "bo-1", "presenceId": "presence-1", "recordingMode": "always",
           "callSwitchingLocationId": "csl-1", "callSwitchingLocationName": "Main site", "synchronised": true})
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn list_projects_fields_as_documented() {
    for profile in PROFILES {
        let emu = Emu::start_profile(profile).await;
        let id = emu
            .create("users", &[], rich_user("proj.one", "Proj", "One"))
            .await;
        let base = set(&["id", "firstName", "surname"]);

        let plain = emu.get("users", &[]).await;
        assert_eq!(plain.status, 200);
        for item in plain.body.as_array().unwrap() {
            assert_eq!(keys(item), base, "{profile:?}: {item}");
        }
        let synced = emu.get("users?synchronised=*", &[]).await;
        assert_eq!(synced.status, 200, "{:?}", synced.body);
        let mine = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|u| u["id"] == id.as_str())
                .cloned()
                .unwrap()
        };
        let item = mine(&synced.body);
        let mut expected = base.clone();
        expected.insert("synchronised".into());
        assert_eq!(keys(&item), expected);
        assert_eq!(item["synchronised"], true);
        assert_eq!(
            keys(&mine(&emu.get("users?synchronised=", &[]).await.body)),
            expected
        );

        // Pairs come together.
        let chat = mine(&emu.get("users?chat=*", &[]).await.body);
        assert_eq!(
            keys(&chat),
            set(&["id", "firstName", "surname", "chat", "chatName"])
        );
        let csl = mine(&emu.get("users?callSwitchingLocationName=", &[]).await.body);
        assert_eq!(csl["callSwitchingLocationId"], "csl-1");
        assert_eq!(csl["callSwitchingLocationName"], "Main site");

        // passwordExpiration only with passwordExpiration or passwordExpirationEnd.
        let plain_item = mine(&emu.get("users?login=*&email=*", &[]).await.body);
        assert!(plain_item.get("passwordExpiration").is_none());
        assert_eq!(plain_item["login"], "proj.one");
        let admin = emu
            .get("users?passwordExpirationEnd=*&login=admin", &[])
            .await;
        assert_eq!(admin.body.as_array().unwrap().len(), 1);
        assert!(admin.body[0]["passwordExpiration"].is_string());
        let bounded = emu
            .get("users?passwordExpiration=2000-01-01T00:00:00Z", &[])
            .await;
        // Only users with a password expiring after the bound: the admin.
        assert_eq!(bounded.body.as_array().unwrap().len(), 1);
        let bad_bound = emu.get("users?passwordExpiration=soon", &[]).await;
        assert_eq!(
            (bad_bound.status, bad_bound.field()),
            (400, Some("passwordExpiration".into()))
        );

        // Not searchable: only * or empty.
        let mobile = emu.get("users?mobile=%2B358*", &[]).await;
        assert_eq!(
            (mobile.status, mobile.field()),
            (400, Some("mobile".into()))
        );

        // The extras: full profile only.
        let extras = emu.get("users?serviceAccount=*&userGroupIds=", &[]).await;
        match profile {
            Profile::Full => {
                assert_eq!(extras.status, 200);
                let item = mine(&extras.body);
                assert_eq!(
                    keys(&item),
                    set(&[
                        "id",
                        "firstName",
                        "surname",
                        "serviceAccount",
                        "userGroupIds"
                    ])
                );
            }
            Profile::Documented => {
                assert_eq!(extras.status, 400);
                assert!(EXTRAS.contains(&extras.field().unwrap().as_str()));
            }
        }
        // users/{id}: every field; the extras only in the full profile.
        let one = emu.get("users/{id}", &[&id]).await;
        for name in [
            "phone",
            "chat",
            "settings",
            "synchronised",
            "passwordExpiration",
        ] {
            assert!(one.body.get(name).is_some(), "{name}");
        }
        for name in EXTRAS {
            assert_eq!(
                one.body.get(name).is_some(),
                profile == Profile::Full,
                "{profile:?} {name}"
            );
        }
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn searchable_filters_and_sort() {
    let emu = Emu::start_profile(Profile::Documented).await;
    let a = emu
        .create("users", &[], rich_user("f.anna", "Anna", "Zed"))
        .await;
    let b = emu
        .create("users", &[], rich_user("f.bert", "Bert", "Alpha"))
        .await;
    let c = emu
        .create("users", &[], rich_user("f.carl", "anna", "Alpha"))
        .await;
    for (query, expected) in [
        ("users?crmId=crm-f.*", vec![&c, &a, &b]),
        ("users?chatName=anna*", vec![&c, &a]),
        ("users?phone=%2B35840*&login=f.b*", vec![&b]),
        ("users?externalId=EXT-F.ANNA", vec![&a]),
        ("users?email=f.?ert@*", vec![&b]),
    ] {
        let resp = emu.get(query, &[]).await;
        assert_eq!(resp.status, 200, "{query}: {:?}", resp.body);
        // Default order: firstName (case-insensitively), surname, ...
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&resp.body), expected, "{query}");
    }
    // Descending, spaces after commas, a LOCALE suffix.
    let sorted = emu
        .get("users?login=f.*&sort=-surname, firstName,LOCALE-en", &[])
        .await;
    assert_eq!(sorted.status, 200, "{:?}", sorted.body);
    assert_eq!(ids(&sorted.body), vec![a.clone(), c.clone(), b.clone()]);
    let unknown = emu.get("users?sort=shoeSize", &[]).await;
    assert_eq!(
        (unknown.status, unknown.field()),
        (400, Some("sort".into()))
    );
    let not_a_field = emu.get("users?colour=red", &[]).await;
    assert_eq!(
        (not_a_field.status, not_a_field.field()),
        (400, Some("colour".into()))
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn get_then_put_keeps_every_field_and_guards_read_only_ones() {
    for profile in PROFILES {
        let emu = Emu::start_profile(profile).await;
        let id = emu
            .create("users", &[], rich_user("put.one", "Put", "One"))
            .await;
        let mut user = emu.get("users/{id}", &[&id]).await.body;
        user["title"] = json!("Team lead");
        let put = emu.put("users/{id}", &[&id], user.clone()).await;
        assert_eq!(put.status, 204, "{profile:?}: {:?}", put.body);
        let after = emu.get("users/{id}", &[&id]).await.body;
        assert_eq!(after, user, "{profile:?}: the same body reads back");
        assert_eq!(after["phone"], "+358401234567");
        assert_eq!(after["chat"], "put.one@chat");
        assert_eq!(after["settings"], "Default template");

        // A changed read-only field is refused, naming it.
        let mut changed = user.clone();
        changed["passwordExpiration"] = json!("2030-01-01T00:00:00Z");
        let resp = emu.put("users/{id}", &[&id], changed).await;
        assert_eq!(
            (resp.status, resp.field()),
            (400, Some("passwordExpiration".into()))
        );
        let mut changed = user.clone();
        changed["id"] = json!("3906ECA4762C42588B55E5A66460D58E");
        let resp = emu.put("users/{id}", &[&id], changed).await;
        assert_eq!((resp.status, resp.field()), (400, Some("id".into())));
        let mut changed = user.clone();
        changed["serviceAccount"] = json!(true);
        let resp = emu.put("users/{id}", &[&id], changed).await;
        assert_eq!(
            (resp.status, resp.field()),
            (400, Some("serviceAccount".into())),
            "{profile:?}: an extra is read-only (full) or unknown (documented)"
        );

        // A login change needs the password: never through PUT users/{id}.
        let mut renamed = user.clone();
        renamed["login"] = json!("put.two");
        let resp = emu.put("users/{id}", &[&id], renamed).await;
        assert_eq!((resp.status, resp.field()), (400, Some("login".into())));
        assert!(resp
            .message()
            .starts_with("changing the logon name requires setting the password again"));

        // Full replace: what is left out becomes null.
        let minimal = json!({"firstName": "Put", "surname": "One", "login": "put.one"});
        assert_eq!(emu.put("users/{id}", &[&id], minimal).await.status, 204);
        let blanked = emu.get("users/{id}", &[&id]).await.body;
        assert_eq!(blanked["phone"], Value::Null);
        assert_eq!(blanked["chat"], Value::Null);
        assert_eq!(blanked["synchronised"], false);

        // POST never takes read-only fields.
        let mut with_extra = user_body("post.extra");
        with_extra["passwordExpiration"] = json!(null);
        let resp = emu.post("users", &[], with_extra).await;
        assert_eq!(
            (resp.status, resp.field()),
            (400, Some("passwordExpiration".into()))
        );
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn post_answers_text_or_json_with_location() {
    let emu = Emu::start_profile(Profile::Documented).await;
    let url = format!("{}/users", emu.rci());
    let resp = emu
        .authed(Method::POST, &url)
        .header("accept", "text/html")
        .json(&user_body("text.answer"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let id = resp.text().await.unwrap();
    assert!(contactpro_rules::is_id(&id), "{id:?}");
    emu.spec
        .check_text_response("POST", "/users", 201, "text/html", &id)
        .unwrap();
    assert!(emu
        .spec
        .check_text_response("POST", "/users", 201, "text/html", "not-an-id")
        .is_err());
    assert_eq!(location, format!("/demo/RI/rci/users/{id}"));
    assert_eq!(emu.get("users/{id}", &[&id]).await.status, 200);

    // Every POST route: memberships too.
    let group = emu.id_of("userGroups", "Sample Agents Group").await;
    let member = emu
        .authed(Method::POST, &format!("{url}/{id}/userGroups"))
        .header("accept", "text/html, application/json")
        .json(&json!({ "id": group }))
        .send()
        .await
        .unwrap();
    assert_eq!(member.status(), 201);
    let text = member.text().await.unwrap();
    assert_eq!(text, group);
    emu.spec
        .check_text_response("POST", "/users/{id}/userGroups", 201, "text/html", &text)
        .unwrap();

    // JSON otherwise (and when text/html is refused with q=0).
    let json_resp = emu
        .authed(Method::POST, &url)
        .header("accept", "application/json, text/html;q=0")
        .json(&user_body("json.answer"))
        .send()
        .await
        .unwrap();
    assert_eq!(json_resp.status(), 201);
    let body: Value = json_resp.json().await.unwrap();
    assert!(contactpro_rules::is_id(body["id"].as_str().unwrap()));
    emu.spec
        .check_response("POST", "/users", 201, &body)
        .unwrap();
    emu.shutdown().await;
}

#[tokio::test]
async fn documented_profile_has_no_ours_endpoints() {
    let emu = Emu::start_profile(Profile::Documented).await;
    let id = emu.create("users", &[], user_body("doc.only")).await;
    let rid = "3906ECA4762C42588B55E5A66460D58E";
    for (method, path, template) in [
        (
            Method::GET,
            format!("users/{id}/authentication"),
            "users/{id}/authentication",
        ),
        (
            Method::PUT,
            format!("users/{id}/authentication"),
            "users/{id}/authentication",
        ),
        (
            Method::GET,
            format!("users/{id}/rights"),
            "users/{id}/rights",
        ),
        (
            Method::POST,
            format!("users/{id}/rights"),
            "users/{id}/rights",
        ),
        (
            Method::DELETE,
            format!("users/{id}/rights/{rid}"),
            "users/{id}/rights/{rightId}",
        ),
        (Method::GET, "secrets".to_string(), "secrets"),
        (Method::POST, "secrets".to_string(), "secrets"),
        (Method::GET, format!("secrets/{rid}"), "secrets/{id}"),
    ] {
        for authed in [true, false] {
            let url = format!("{}/{path}", emu.rci());
            let request = if authed {
                emu.authed(method.clone(), &url)
            } else {
                emu.http.request(method.clone(), &url)
            };
            let resp = request.json(&json!({})).send().await.unwrap();
            assert_eq!(resp.status(), 404, "{method} {path}");
            let body: Value = resp.json().await.unwrap();
            assert_eq!(
                body,
                json!({"status": 404, "message": format!("no such resource: {template}"), "field": null}),
                "{method} {path}"
            );
        }
    }
    // Same shape as any unknown path.
    let unknown: Value = emu
        .authed(Method::GET, &format!("{}/users/{id}/skillz", emu.rci()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unknown["status"], 404);
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .starts_with("no such resource: "));

    // The full profile serves them.
    let full = Emu::start_profile(Profile::Full).await;
    let fid = full.create("users", &[], user_body("full.one")).await;
    assert_eq!(
        full.get("users/{id}/authentication", &[&fid]).await.status,
        200
    );
    assert_eq!(full.get("secrets", &[]).await.status, 200);
    full.shutdown().await;
    let _ = API_KEY;
    emu.shutdown().await;
}

#[test]
fn profile_flag_and_environment() {
    use clap::Parser;
    use contactpro_emulator::cli::Cli;
    let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.into_config().unwrap().profile);
    std::env::remove_var("CONTACTPRO_EMULATOR_PROFILE");
    assert_eq!(parse(&["e"]).unwrap(), Profile::Full);
    assert_eq!(
        parse(&["e", "--profile", "documented"]).unwrap(),
        Profile::Documented
    );
    assert!(parse(&["e", "--profile", "real"]).is_err());
    std::env::set_var("CONTACTPRO_EMULATOR_PROFILE", "documented");
    assert_eq!(parse(&["e"]).unwrap(), Profile::Documented);
    assert_eq!(parse(&["e", "--profile", "full"]).unwrap(), Profile::Full);
    std::env::remove_var("CONTACTPRO_EMULATOR_PROFILE");
}
