//! `userGroups` writes and `userGroups/{id}/users` (docs/api/contract.md, "User group writes"), in
//! both profiles; every response is checked against docs/api/rci.openapi.yaml.

mod emulator_support;

use contactpro_emulator as emulator;
use emulator_support::{user_body, Emu};
use serde_json::json;

async fn user_group_writes(emu: Emu) {
    let all = emu.id_of("userGroups", "All Users").await;
    let agents = emu.id_of("userGroups", "Sample Agents Group").await;

    // Create: parent defaults to All Users; names are unique (case-insensitively).
    let id = emu
        .create("userGroups", &[], json!({"name": "Integrations"}))
        .await;
    let got = emu.get("userGroups/{id}", &[&id]).await;
    assert_eq!(got.body["parentId"], all.as_str());
    assert_eq!(got.body["name"], "Integrations");
    let dup = emu
        .post("userGroups", &[], json!({"name": "integrations"}))
        .await;
    assert_eq!((dup.status, dup.field()), (409, Some("name".into())));
    let missing = emu.post("userGroups", &[], json!({})).await;
    assert_eq!(
        (missing.status, missing.field()),
        (400, Some("name".into()))
    );
    let unknown_parent = emu
        .post(
            "userGroups",
            &[],
            json!({"name": "X", "parentId": "3906ECA4762C42588B55E5A66460D58E"}),
        )
        .await;
    assert_eq!(
        (unknown_parent.status, unknown_parent.field()),
        (400, Some("parentId".into()))
    );
    let child = emu
        .create(
            "userGroups",
            &[],
            json!({"name": "Integrations Child", "parentId": id}),
        )
        .await;

    // Replace: full body as GET returned it; cycles and moving the root are refused.
    let mut body = emu.get("userGroups/{id}", &[&id]).await.body;
    body["name"] = json!("Integrations 2");
    body["parentId"] = json!(agents);
    assert_eq!(emu.put("userGroups/{id}", &[&id], body).await.status, 204);
    let got = emu.get("userGroups/{id}", &[&id]).await;
    assert_eq!(
        (got.body["name"].clone(), got.body["parentId"].clone()),
        (json!("Integrations 2"), json!(agents))
    );
    let cycle = emu
        .put(
            "userGroups/{id}",
            &[&id],
            json!({"name": "Integrations 2", "parentId": child}),
        )
        .await;
    assert_eq!(
        (cycle.status, cycle.field()),
        (400, Some("parentId".into()))
    );
    let root = emu
        .put(
            "userGroups/{id}",
            &[&all],
            json!({"name": "All Users", "parentId": agents}),
        )
        .await;
    assert_eq!(root.status, 400);

    // Members.
    let user = emu.create("users", &[], user_body("api.grouped")).await;
    emu.create("users/{id}/userGroups", &[&user], json!({"id": id}))
        .await;
    let members = emu.get("userGroups/{id}/users", &[&id]).await;
    assert_eq!(members.status, 200);
    assert_eq!(members.body[0]["id"], user.as_str());

    // Delete: not with subgroups, never All Users; members stay users.
    assert_eq!(emu.delete("userGroups/{id}", &[&id]).await.status, 409);
    assert_eq!(emu.delete("userGroups/{id}", &[&child]).await.status, 204);
    assert_eq!(emu.delete("userGroups/{id}", &[&id]).await.status, 204);
    assert_eq!(emu.get("userGroups/{id}", &[&id]).await.status, 404);
    assert_eq!(emu.delete("userGroups/{id}", &[&id]).await.status, 404);
    assert_eq!(emu.get("userGroups/{id}/users", &[&id]).await.status, 404);
    assert_eq!(emu.get("users/{id}", &[&user]).await.status, 200);
    assert_eq!(emu.delete("userGroups/{id}", &[&all]).await.status, 409);
    emu.shutdown().await;
}

#[tokio::test]
async fn user_group_writes_full_profile() {
    user_group_writes(Emu::start().await).await;
}

#[tokio::test]
async fn user_group_writes_documented_profile() {
    user_group_writes(Emu::start_profile(emulator::Profile::Documented).await).await;
}
