//! API-call budgets of issue #7, counted by the emulator (counts, never timings): a no-change plan
//! of N objects of one type costs at most N/50 + 5 RCI calls; creates stay one call per object;
//! and the read cache never answers a read with data older than the same client's own write.
mod support;

use std::time::Duration;

use contactpro_rci::{
    AuthenticationInput, ClientConfig, Membership, RciClient, SecretInput, SecretString, UserInput,
};
use serde_json::Value as Json;
use support::emulator::EmulatorProcess;
use support::rci::{self, workdir_for, Rci, ADMIN_LOGIN, ADMIN_PASSWORD};
use support::{Terraform, TfWorkdir};

const N: usize = 100;

fn budget(n: usize) -> u64 {
    (n / 50 + 5) as u64
}

fn total(stats: &Json) -> u64 {
    stats["total"].as_u64().expect("stats total")
}

fn route(stats: &Json, key: &str) -> u64 {
    stats["byRoute"][key].as_u64().unwrap_or(0)
}

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
"#;

/// Applies `main_tf`, then returns the stats of the apply and of a no-change plan.
fn apply_then_plan(wd: &TfWorkdir, rci: &Rci, main_tf: &str) -> (Json, Json) {
    wd.write_main_tf(main_tf);
    wd.init();
    rci.reset_stats();
    wd.apply();
    let apply = rci.stats();
    rci.reset_stats();
    let (code, text) = rci::plan(wd);
    assert_eq!(code, 0, "expected no changes:\n{text}");
    (apply, rci.stats())
}

#[test]
fn no_change_plan_of_many_secrets_is_within_the_call_budget() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    let main_tf = format!(
        r#"{PROVIDERS}
resource "contactpro_secret" "s" {{
  count  = {N}
  name   = "budget-secret-${{count.index}}"
  type   = "header"
  secret = "value-${{count.index}}"
}}
"#
    );
    let (apply, plan) = apply_then_plan(&wd, &rci, &main_tf);
    assert_eq!(route(&apply, "POST secrets"), N as u64, "{apply}");
    // One POST per secret and no read-back.
    assert!(total(&apply) <= N as u64 + 5, "apply: {apply}");
    assert!(total(&plan) <= budget(N), "plan: {plan}");
    assert!(route(&plan, "GET secrets") >= 1, "{plan}");
}

#[test]
fn no_change_plan_of_many_users_is_within_the_call_budget() {
    let emulator = EmulatorProcess::start();
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    let group = rci.id_by_name("userGroups", "All Users");
    // Half with managed memberships and a service account, half with neither: both refresh paths.
    let main_tf = format!(
        r#"{PROVIDERS}
resource "contactpro_user" "plain" {{
  count      = {half}
  first_name = "Budget"
  last_name  = "Plain${{count.index}}"
  login      = "budget.plain.${{count.index}}"
}}

resource "contactpro_user" "managed" {{
  count                      = {half}
  first_name                 = "Budget"
  last_name                  = "Managed${{count.index}}"
  login                      = "budget.managed.${{count.index}}"
  user_group_ids             = ["{group}"]
  role_ids                   = []
  service_account            = true
  service_account_expires_at = "2099-01-01T00:00:00Z"
}}
"#,
        half = N / 2
    );
    let (apply, plan) = apply_then_plan(&wd, &rci, &main_tf);
    assert_eq!(route(&apply, "POST users"), N as u64, "{apply}");
    assert!(total(&plan) <= budget(N), "plan: {plan}");
    for per_user in [
        "GET users/{id}/authentication",
        "GET users/{id}/userGroups",
        "GET users/{id}/roles",
    ] {
        assert_eq!(route(&plan, per_user), 0, "{per_user}: {plan}");
    }
    // The plan really saw the memberships: drift made outside Terraform shows.
    let user = rci.user_by_login("budget.managed.0").unwrap();
    let id = user["id"].as_str().unwrap();
    assert_eq!(rci.delete(&format!("users/{id}/userGroups/{group}")), 204);
    rci::assert_plan_shows(
        &wd,
        "removing a membership outside Terraform",
        &["user_group_ids"],
    );
}

/// Issue 11's budget on a tenant that offers only the documented RCI: list calls stay within
/// N/50 + 5; beyond them only the documented per-user membership lists are read. Each membership
/// list costs one request, and a second when it is not empty: the client reads until an empty
/// page, since a server may page by fewer items than asked.
#[test]
fn no_change_plan_of_many_users_on_a_documented_tenant_is_within_the_call_budget() {
    let emulator = EmulatorProcess::start_with_args(&["--profile", "documented"]);
    let rci = Rci::new(emulator.base_url(), "demo");
    let wd = workdir_for(&Terraform::v1_0_3(), &rci);
    let group = rci.id_by_name("userGroups", "All Users");
    let main_tf = format!(
        r#"{PROVIDERS}
resource "contactpro_user" "plain" {{
  count      = {half}
  first_name = "Budget"
  last_name  = "Plain${{count.index}}"
  login      = "budget.plain.${{count.index}}"
  email      = "plain${{count.index}}@example.com"
}}

resource "contactpro_user" "member" {{
  count          = {half}
  first_name     = "Budget"
  last_name      = "Member${{count.index}}"
  login          = "budget.member.${{count.index}}"
  user_group_ids = ["{group}"]
}}
"#,
        half = N / 2
    );
    let (_, plan) = apply_then_plan(&wd, &rci, &main_tf);
    let groups = route(&plan, "GET users/{id}/userGroups");
    let roles = route(&plan, "GET users/{id}/roles");
    // Members have one group (two requests), the others none (one request); nobody has a role.
    assert_eq!(groups, (N / 2 * 2 + N / 2) as u64, "{plan}");
    assert_eq!(roles, N as u64, "{plan}");
    assert!(total(&plan) - groups - roles <= budget(N), "plan: {plan}");
    assert_eq!(
        route(&plan, "GET users/{id}"),
        0,
        "the list carried every field: {plan}"
    );
    assert_eq!(route(&plan, "GET users/{id}/authentication"), 0, "{plan}");
}

fn client_for(emulator: &EmulatorProcess) -> RciClient {
    let config = ClientConfig {
        base_url: format!("{}/demo/RI", emulator.base_url()).parse().unwrap(),
        api_key: SecretString::new("demo-api-key"),
        username: ADMIN_LOGIN.into(),
        password: SecretString::new(ADMIN_PASSWORD),
        max_retries: 0,
        request_timeout: Duration::from_secs(10),
        requests_per_second: None,
        ca_cert_pem: None,
        user_agent: "perf-tests".into(),
    };
    RciClient::new(config).unwrap().with_read_cache(true)
}

#[tokio::test]
async fn read_cache_never_serves_a_value_older_than_its_own_write() {
    let emulator = EmulatorProcess::start();
    let client = client_for(&emulator);
    let input = UserInput {
        first_name: "Stale".into(),
        surname: "Before".into(),
        login: "stale.check".into(),
        ..Default::default()
    };
    let id = client.create_user(&input).await.unwrap();
    let other = client
        .create_user(&UserInput {
            login: "stale.other".into(),
            ..input.clone()
        })
        .await
        .unwrap();
    let third = client
        .create_user(&UserInput {
            login: "stale.third".into(),
            ..input.clone()
        })
        .await
        .unwrap();
    // Loads the snapshot, which now holds all three users.
    assert_eq!(client.get_user(&other).await.unwrap().surname, "Before");
    let before = client.requests_sent();
    assert_eq!(client.get_user(&id).await.unwrap().surname, "Before");
    assert_eq!(client.requests_sent(), before, "answered from the snapshot");

    let changed = UserInput {
        surname: "After".into(),
        ..input.clone()
    };
    client.update_user(&id, &changed).await.unwrap();
    assert_eq!(client.get_user(&id).await.unwrap().surname, "After");

    // The authentication summary and membership ids the user carries are writes too.
    let authentication = AuthenticationInput {
        login: "stale.other".into(),
        password: None,
        service_account: true,
        service_account_expiration: Some("2099-01-01T00:00:00Z".into()),
    };
    client
        .set_authentication(&other, &authentication)
        .await
        .unwrap();
    let user = client.get_user(&other).await.unwrap();
    assert_eq!(user.service_account, Some(true));
    assert!(user.service_account_expiration.is_some());
    let groups = client.list_user_groups(Some("All Users")).await.unwrap();
    let group = &groups.first().expect("All Users").id;
    let before = client.requests_sent();
    assert_eq!(
        client.get_user(&third).await.unwrap().user_group_ids,
        Some(vec![])
    );
    assert_eq!(client.requests_sent(), before, "answered from the snapshot");
    client
        .add_membership(&third, Membership::UserGroups, group)
        .await
        .unwrap();
    assert_eq!(
        client.get_user(&third).await.unwrap().user_group_ids,
        Some(vec![group.clone()])
    );

    let secret = SecretInput {
        name: "stale-secret".into(),
        description: Some("before".into()),
        kind: "header".into(),
        secret: Some(SecretString::new("value-1")),
        ..Default::default()
    };
    let secret_id = client.create_secret(&secret).await.unwrap();
    assert_eq!(
        client
            .get_secret(&secret_id)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("before")
    );
    let updated = SecretInput {
        description: Some("after".into()),
        secret: None,
        ..secret
    };
    client.update_secret(&secret_id, &updated).await.unwrap();
    assert_eq!(
        client
            .get_secret(&secret_id)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("after")
    );
    client.delete_secret(&secret_id).await.unwrap();
    assert!(client
        .get_secret(&secret_id)
        .await
        .unwrap_err()
        .is_not_found());
}
