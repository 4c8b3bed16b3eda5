//! Issue #6 item 2: one `terraform apply` of 50 users (each with a password, a user group and a
//! right) and 50 secrets succeeds against an emulator that fails, throttles and loses the
//! responses of about a tenth of the requests each; the next plan is empty and the tenant holds
//! exactly the configured objects. Then a destroy under the same faults leaves nothing of ours.
#[path = "support/reliability.rs"]
mod reliability;
mod support;

use std::time::Instant;

use reliability::{
    assert_unique, faults, figure, get_settled, id_by_name, list_settled, state_keys,
    state_resources, tenant_secrets, tenant_users,
};
use support::emulator::EmulatorProcess;
use support::rci::{assert_no_changes, workdir_for, Rci};
use support::Terraform;

const COUNT: usize = 50;
const SEED: &str = "20261127";
const USER_PREFIX: &str = "rel.agent";
const SECRET_PREFIX: &str = "rel-secret-";

// `max_retries = 10`: with faults on ~27 % of writes (10 % throttled, 10 % failed, 10 % of the
// rest lost), the default 5 retries leave each write a 0.27^6 ≈ 4e-4 chance of exhausting them;
// over the ~1000 writes and reads of this apply that is a real chance of a failed run. At 10
// retries it is 0.27^11 ≈ 6e-7 per request. The setting exists for exactly this: flaky networks.
fn config() -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  max_retries = 10
}}

data "contactpro_queue_group" "chat" {{
  name = "Chat Queues"
}}

data "contactpro_user_group" "agents" {{
  name = "Sample Agents Group"
}}

resource "contactpro_user" "agent" {{
  count          = {COUNT}
  first_name     = "Reliability"
  last_name      = "Agent ${{count.index}}"
  login          = format("{USER_PREFIX}%02d", count.index)
  email          = format("agent%02d@example.com", count.index)
  password       = format("Reliability-Password-%02d", count.index)
  user_group_ids = [data.contactpro_user_group.agents.id]
}}

resource "contactpro_user_rights" "agent" {{
  count   = {COUNT}
  user_id = contactpro_user.agent[count.index].id
  right {{
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history"]
  }}
}}

resource "contactpro_secret" "s" {{
  count       = {COUNT}
  name        = format("{SECRET_PREFIX}%02d", count.index)
  description = "reliability test ${{count.index}}"
  type        = "header"
  secret      = format("header-value-%02d", count.index)
}}
"#
    )
}

fn expected_logins() -> Vec<String> {
    (0..COUNT).map(|i| format!("{USER_PREFIX}{i:02}")).collect()
}

fn expected_secret_names() -> Vec<String> {
    (0..COUNT)
        .map(|i| format!("{SECRET_PREFIX}{i:02}"))
        .collect()
}

#[test]
fn fifty_users_and_fifty_secrets_survive_injected_faults() {
    let emulator = EmulatorProcess::start_with_args(&[
        "--error-rate",
        "0.1",
        "--throttle-rate",
        "0.1",
        "--lost-response-rate",
        "0.1",
        "--seed",
        SEED,
    ]);
    let rci = Rci::new(emulator.base_url(), "demo");
    // The checks go through the same faults: `*_settled` retry their reads.
    let chat = id_by_name(&rci, "queueGroups", "Chat Queues");
    let agents = id_by_name(&rci, "userGroups", "Sample Agents Group");
    let users_before = list_settled(&rci, "users").len();
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    wd.write_main_tf(&config());
    wd.init();

    let before = rci.stats();
    let started = Instant::now();
    wd.apply();
    let apply_time = started.elapsed();
    let after_apply = rci.stats();
    let (errors, throttles, lost) = diff(faults(&after_apply), faults(&before));
    let requests = after_apply["total"].as_u64().unwrap() - before["total"].as_u64().unwrap();
    let state = state_resources(&wd.state_json());
    let converged: usize = state.values().map(Vec::len).sum();
    figure(
        "reliability_faults apply",
        &format!(
            "seed {SEED}; {requests} RCI requests; faults injected: {errors} errors (500/503), \
             {throttles} throttles (429), {lost} lost responses ({} of POST users, {} of POST \
             secrets); {converged} resources converged \
             in one apply ({} users, {} user_rights, {} secrets); apply wall time {:.1} s",
            lost_by_route(&after_apply, "POST users"),
            lost_by_route(&after_apply, "POST secrets"),
            state["contactpro_user"].len(),
            state["contactpro_user_rights"].len(),
            state["contactpro_secret"].len(),
            apply_time.as_secs_f64()
        ),
    );
    // Faults that were not injected prove nothing.
    assert!(
        errors > 0 && throttles > 0 && lost > 0,
        "faults: {after_apply}"
    );
    // The case that matters: a create that committed but whose answer was lost. Each object was
    // created exactly once, and no create was sent again blindly: the emulator would refuse
    // the duplicate key with a 409 (injected faults write nothing, so only a re-sent create
    // that had committed can draw one).
    let lost_creates =
        lost_by_route(&after_apply, "POST users") + lost_by_route(&after_apply, "POST secrets");
    assert!(
        lost_creates > 0,
        "no create lost its response: {after_apply}"
    );
    for route in ["POST users", "POST secrets"] {
        let created = status_count(&after_apply, &format!("{route} 201"))
            - status_count(&before, &format!("{route} 201"));
        assert_eq!(
            created, COUNT as u64,
            "{route}: objects created: {after_apply}"
        );
        let refused = status_count(&after_apply, &format!("{route} 409"))
            - status_count(&before, &format!("{route} 409"));
        assert_eq!(
            refused, 0,
            "{route} re-sent after it had committed: {after_apply}"
        );
    }

    let started = Instant::now();
    assert_no_changes(&wd, "an apply under faults");
    let plan_time = started.elapsed();

    // The tenant holds exactly the configured objects, with the ids the state recorded.
    let users = tenant_users(&rci, USER_PREFIX);
    assert_unique(&users, "login");
    let logins: Vec<String> = users.iter().map(|(l, _)| l.clone()).collect();
    assert_eq!(logins, expected_logins(), "users in the tenant");
    assert_eq!(
        users,
        state_keys(&state, "contactpro_user", "login"),
        "tenant ≡ state"
    );
    assert_eq!(
        list_settled(&rci, "users").len(),
        users_before + COUNT,
        "no other user was created"
    );
    for (login, id) in &users {
        let rights = list_settled(&rci, &format!("users/{id}/rights"));
        assert_eq!(rights.len(), 1, "{login} has exactly one right: {rights:?}");
        assert_eq!(rights[0]["objectType"], "QueueGroup");
        assert_eq!(rights[0]["objectId"], chat.as_str());
        let mut access: Vec<&str> = rights[0]["accessTypes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        access.sort();
        assert_eq!(access, ["ManageContactHistory", "View"], "{login}");
        let groups = list_settled(&rci, &format!("users/{id}/userGroups"));
        assert_eq!(groups.len(), 1, "{login}: {groups:?}");
        assert_eq!(groups[0]["id"], agents.as_str(), "{login}");
        let authentication = get_settled(&rci, &format!("users/{id}/authentication"));
        assert_eq!(authentication["passwordSet"], true, "{login}");
    }
    let rights_in_state = &state["contactpro_user_rights"];
    let mut rights_users: Vec<&str> = rights_in_state
        .iter()
        .map(|r| r["user_id"].as_str().unwrap())
        .collect();
    rights_users.sort();
    rights_users.dedup();
    assert_eq!(
        rights_users.len(),
        COUNT,
        "one contactpro_user_rights per user"
    );

    let secrets = tenant_secrets(&rci, SECRET_PREFIX);
    assert_unique(&secrets, "secret name");
    let names: Vec<String> = secrets.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(names, expected_secret_names(), "secrets in the tenant");
    assert_eq!(
        secrets,
        state_keys(&state, "contactpro_secret", "name"),
        "tenant ≡ state"
    );
    let all_secrets = list_settled(&rci, "secrets");
    assert_eq!(all_secrets.len(), COUNT + 1, "ours and the seeded one only");
    assert!(all_secrets
        .iter()
        .any(|s| s["name"] == "orchestration-layer"));
    for (i, name) in names.iter().enumerate() {
        assert!(
            rci.secret_matches(name, &format!("header-value-{i:02}")),
            "{name} holds its configured value"
        );
    }

    let before = rci.stats();
    let started = Instant::now();
    wd.destroy();
    let destroy_time = started.elapsed();
    let after = rci.stats();
    let (errors, throttles, lost) = diff(faults(&after), faults(&before));
    figure(
        "reliability_faults destroy",
        &format!(
            "plan after apply {:.1} s (no changes); destroy of {converged} resources under \
             faults: {errors} errors, {throttles} throttles, {lost} lost responses; wall time {:.1} s",
            plan_time.as_secs_f64(),
            destroy_time.as_secs_f64()
        ),
    );
    assert!(tenant_users(&rci, USER_PREFIX).is_empty(), "users left");
    assert!(
        tenant_secrets(&rci, SECRET_PREFIX).is_empty(),
        "secrets left"
    );
    assert_eq!(
        list_settled(&rci, "users").len(),
        users_before,
        "seeded users kept"
    );
    assert!(rci.secret_matches("orchestration-layer", "orchestration-layer-secret"));
}

fn lost_by_route(stats: &serde_json::Value, route: &str) -> u64 {
    stats["faults"]["lostResponseByRoute"][route]
        .as_u64()
        .unwrap_or(0)
}

fn status_count(stats: &serde_json::Value, key: &str) -> u64 {
    stats["byStatus"][key].as_u64().unwrap_or(0)
}

fn diff(a: (u64, u64, u64), b: (u64, u64, u64)) -> (u64, u64, u64) {
    (a.0 - b.0, a.1 - b.1, a.2 - b.2)
}
