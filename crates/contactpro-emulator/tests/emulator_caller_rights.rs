//! Rights of the caller: every call of a user other than the tenant admin needs the right the RCI
//! rights table names (403 naming it), and lists show only what the caller may view.

mod emulator_support;

use contactpro_emulator::Profile;
use emulator_support::{user_body, Emu, ANY};
use reqwest::Method;
use serde_json::{json, Value};

const ME: (&str, &str) = ("api.reader", "Reader-Password-123456");

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

/// An emulator with a non-admin API user that holds no right yet; returns it and the user's id.
async fn with_api_user(profile: Profile) -> (Emu, String) {
    let emu = Emu::start_profile(profile).await;
    let id = emu.create("users", &[], user_body(ME.0)).await;
    emu.set_password(ME.0, ME.1).await;
    (emu, id)
}

#[tokio::test]
async fn users_calls_need_the_documented_rights() {
    for profile in [Profile::Documented, Profile::Full] {
        let (emu, me) = with_api_user(profile).await;
        let other = emu.create("users", &[], user_body("someone.else")).await;
        let call =
            |method: Method, template: &'static str, args: Vec<String>, body: Option<Value>| {
                let emu = &emu;
                async move {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    emu.call_as(ME, method, template, &args, body).await
                }
            };
        let denied = call(Method::GET, "users", vec![], None).await;
        assert_eq!(denied.status, 403);
        assert_eq!(denied.message(), "missing right User: View for GET users");

        // View on one user: the list shows that user only.
        emu.grant(ME.0, "User", &me, &["View"]).await;
        let listed = call(Method::GET, "users", vec![], None).await;
        assert_eq!(listed.status, 200);
        assert_eq!(ids(&listed.body), vec![me.clone()]);
        assert_eq!(
            call(Method::GET, "users/{id}", vec![me.clone()], None)
                .await
                .status,
            200
        );
        let hidden = call(Method::GET, "users/{id}", vec![other.clone()], None).await;
        assert_eq!(
            hidden.message(),
            "missing right User: View for GET users/{id}"
        );

        let create = call(
            Method::POST,
            "users",
            vec![],
            Some(user_body("made.by.reader")),
        )
        .await;
        assert_eq!(
            (create.status, create.message()),
            (403, "missing right User: Create for POST users".to_string())
        );
        // Create is a type-wide right.
        emu.grant(ME.0, "User", &other, &["Create"]).await;
        assert_eq!(
            call(
                Method::POST,
                "users",
                vec![],
                Some(user_body("made.by.reader"))
            )
            .await
            .status,
            403
        );
        emu.grant(ME.0, "User", ANY, &["Create"]).await;
        assert_eq!(
            call(
                Method::POST,
                "users",
                vec![],
                Some(user_body("made.by.reader"))
            )
            .await
            .status,
            201
        );

        let mut body = emu.get("users/{id}", &[&me]).await.body;
        body["title"] = json!("Reader");
        let modify = call(
            Method::PUT,
            "users/{id}",
            vec![me.clone()],
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            modify.message(),
            "missing right User: Modify for PUT users/{id}"
        );
        let delete = call(Method::DELETE, "users/{id}", vec![other.clone()], None).await;
        assert_eq!(
            delete.message(),
            "missing right User: View and Delete for DELETE users/{id}"
        );
        // Manage = View + Modify + Create + Delete.
        emu.grant(ME.0, "User", ANY, &["Manage"]).await;
        assert_eq!(
            call(Method::PUT, "users/{id}", vec![me.clone()], Some(body))
                .await
                .status,
            204
        );
        assert_eq!(
            call(Method::DELETE, "users/{id}", vec![other.clone()], None)
                .await
                .status,
            204
        );
        // The type-wide View shows every user.
        let all = call(Method::GET, "users", vec![], None).await;
        assert!(ids(&all.body).len() > 2);
        emu.shutdown().await;
    }
}

#[tokio::test]
async fn memberships_and_directory_need_rights_and_lists_are_filtered() {
    let (emu, me) = with_api_user(Profile::Documented).await;
    let agents = emu.id_of("userGroups", "Sample Agents Group").await;
    emu.grant(ME.0, "User", &me, &["View"]).await;
    let add = emu
        .call_as(
            ME,
            Method::POST,
            "users/{id}/userGroups",
            &[&me],
            Some(json!({"id": agents})),
        )
        .await;
    assert_eq!(
        add.message(),
        "missing right User group: View and Manage members for POST users/{id}/userGroups"
    );
    emu.grant(ME.0, "UserGroup", &agents, &["View", "ManageMembers"])
        .await;
    let add = emu
        .call_as(
            ME,
            Method::POST,
            "users/{id}/userGroups",
            &[&me],
            Some(json!({"id": agents})),
        )
        .await;
    assert_eq!(add.status, 201, "{:?}", add.body);
    // The group list needs View and Manage members, and shows only that group.
    let groups = emu.call_as(ME, Method::GET, "userGroups", &[], None).await;
    assert_eq!(ids(&groups.body), vec![agents.clone()]);
    let remove = emu
        .call_as(
            ME,
            Method::DELETE,
            "users/{id}/userGroups/{gid}",
            &[&me, &agents],
            None,
        )
        .await;
    assert_eq!(
        remove.message(),
        "missing right User group: View and Delete for DELETE users/{id}/userGroups/{gid}"
    );

    let queues = emu.call_as(ME, Method::GET, "queues", &[], None).await;
    assert_eq!(queues.message(), "missing right Queue: View for GET queues");
    let phone = emu.id_of("queues", "Phone Support").await;
    emu.grant(ME.0, "Queue", &phone, &["View"]).await;
    let queues = emu.call_as(ME, Method::GET, "queues", &[], None).await;
    assert_eq!(ids(&queues.body), vec![phone.clone()]);
    // Removing the right (empty list) takes effect at once.
    emu.grant(ME.0, "Queue", &phone, &[]).await;
    assert_eq!(
        emu.call_as(ME, Method::GET, "queues", &[], None)
            .await
            .status,
        403
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn full_profile_grants_through_the_rights_endpoint() {
    let (emu, me) = with_api_user(Profile::Full).await;
    let secrets = emu.call_as(ME, Method::GET, "secrets", &[], None).await;
    assert_eq!(
        secrets.message(),
        "missing right Secret: View for GET secrets"
    );
    let created = emu
        .post(
            "users/{id}/rights",
            &[&me],
            json!({"objectType": "Secret", "objectId": ANY, "accessTypes": ["View"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let secrets = emu.call_as(ME, Method::GET, "secrets", &[], None).await;
    assert_eq!(secrets.status, 200);
    assert!(secrets
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "orchestration-layer"));
    // Granting rights needs Manage rights on the holder.
    let grant = emu
        .call_as(
            ME,
            Method::POST,
            "users/{id}/rights",
            &[&me],
            Some(json!({"objectType": "Secret", "objectId": ANY, "accessTypes": ["Create"]})),
        )
        .await;
    assert_eq!(
        grant.message(),
        "missing right User: Manage rights for POST users/{id}/rights"
    );
    emu.shutdown().await;
}
