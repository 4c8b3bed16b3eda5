//! Emulator as a server: authentication, tenants, persistence, concurrency, faults, stats, TLS, the binary.

mod emulator_support;

use std::time::{Duration, Instant};

// The provider's subprocess helper: a deadline on every process this file runs.
#[allow(dead_code)]
#[path = "../../../tests/support/process.rs"]
mod process;

use contactpro_emulator::{
    EmulatorConfig, FaultConfig, TenantConfig, TlsConfig, DEFAULT_ADMIN_PASSWORD,
};
use emulator_support::{read, user_body, Emu, ANY, API_KEY};
use reqwest::Method;
use serde_json::{json, Value};

fn file_config(dir: &tempfile::TempDir) -> EmulatorConfig {
    EmulatorConfig {
        data: dir
            .path()
            .join("emulator.db")
            .to_string_lossy()
            .into_owned(),
        ..EmulatorConfig::for_tests()
    }
}

/// GET `url` with an API key and Basic credentials, either of which may be left out.
async fn get_with(
    emu: &Emu,
    url: &str,
    api_key: Option<&str>,
    basic: Option<(&str, &str)>,
) -> reqwest::Response {
    let mut request = emu.http.get(url);
    if let Some(key) = api_key {
        request = request.header("x-api-key", key);
    }
    if let Some((login, password)) = basic {
        request = request.basic_auth(login, Some(password));
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn authentication_and_tenants() {
    let mut config = EmulatorConfig::for_tests();
    let mut other = TenantConfig::new("other");
    other.api_key = "other-secret-key".into();
    other.admin_password = "Another-Admin-Password-2".into();
    config.tenants.push(other);
    let emu = Emu::start_with(config).await;
    let base = emu.running.base_url();
    let url = format!("{}/users", emu.rci());

    let no_key =
        read(get_with(&emu, &url, None, Some(("admin", DEFAULT_ADMIN_PASSWORD))).await).await;
    assert_eq!(
        (no_key.status, no_key.message()),
        (403, "Forbidden".to_string())
    );
    let wrong_key = read(
        get_with(
            &emu,
            &url,
            Some("nope"),
            Some(("admin", DEFAULT_ADMIN_PASSWORD)),
        )
        .await,
    )
    .await;
    assert_eq!(wrong_key.status, 403);
    let no_basic = read(get_with(&emu, &url, Some(API_KEY), None).await).await;
    assert_eq!(no_basic.status, 401);
    assert_eq!(
        no_basic.header("www-authenticate").as_deref(),
        Some("Basic realm=\"RCI\"")
    );
    assert_eq!(no_basic.body["status"], 401);
    let wrong_password = get_with(
        &emu,
        &url,
        Some(API_KEY),
        Some(("admin", "Wrong-Password-123456")),
    )
    .await;
    assert_eq!(wrong_password.status(), 401);
    // Seeded sample users have no password.
    let no_password = get_with(&emu, &url, Some(API_KEY), Some(("sample.agent1", ""))).await;
    assert_eq!(no_password.status(), 401);
    let unknown_tenant = read(
        emu.authed(Method::GET, &format!("{base}/nobody/RI/rci/users"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(unknown_tenant.status, 404);
    assert_eq!(unknown_tenant.body["status"], 404);
    let unknown_path = read(
        emu.authed(Method::GET, &format!("{base}/demo/RI/rci/planets"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(unknown_path.status, 404);

    // Tenants are separate: their own key, admin password and data.
    let other_url = format!("{base}/other/RI/rci/users");
    let demo_key = get_with(
        &emu,
        &other_url,
        Some(API_KEY),
        Some(("admin", "Another-Admin-Password-2")),
    )
    .await;
    assert_eq!(demo_key.status(), 403);
    let demo_password = get_with(
        &emu,
        &other_url,
        Some("other-secret-key"),
        Some(("admin", DEFAULT_ADMIN_PASSWORD)),
    )
    .await;
    assert_eq!(demo_password.status(), 401);
    emu.create("users", &[], user_body("only.in.demo")).await;
    let other_users: Value = get_with(
        &emu,
        &other_url,
        Some("other-secret-key"),
        Some(("admin", "Another-Admin-Password-2")),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(!other_users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["login"] == "only.in.demo"));
    assert_eq!(other_users.as_array().unwrap().len(), 4);

    // Changing a password takes effect at once for Basic authentication.
    let id = emu.create("users", &[], user_body("api.rotating")).await;
    // A service account (no change of an admin-set password required) that may view users.
    let set = |password: &'static str| {
        json!({"login": "api.rotating", "password": password, "serviceAccount": true,
               "serviceAccountExpiration": "2999-01-01T00:00:00Z"})
    };
    emu.grant("api.rotating", "User", ANY, &["View"]).await;
    emu.put(
        "users/{id}/authentication",
        &[&id],
        set("First-Password-12345"),
    )
    .await;
    let as_user = |password: &'static str| {
        emu.http
            .get(&url)
            .header("x-api-key", API_KEY)
            .basic_auth("api.rotating", Some(password))
            .send()
    };
    assert_eq!(as_user("First-Password-12345").await.unwrap().status(), 200);
    emu.put(
        "users/{id}/authentication",
        &[&id],
        set("Second-Password-12345"),
    )
    .await;
    assert_eq!(as_user("First-Password-12345").await.unwrap().status(), 401);
    assert_eq!(
        as_user("Second-Password-12345").await.unwrap().status(),
        200
    );
    emu.delete("users/{id}", &[&id]).await;
    assert_eq!(
        as_user("Second-Password-12345").await.unwrap().status(),
        401
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emu::start_with(file_config(&dir)).await;
    let groups_before = emu.get("userGroups", &[]).await.body;
    let id = emu.create("users", &[], user_body("api.persistent")).await;
    emu.put(
        "users/{id}/authentication",
        &[&id],
        json!({"login": "api.persistent", "password": "Persistent-Password-1", "serviceAccount": true,
               "serviceAccountExpiration": "2999-01-01T00:00:00Z"}),
    )
    .await;
    emu.grant("api.persistent", "User", &id, &["View"]).await;
    let secret = emu
        .create(
            "secrets",
            &[],
            json!({"name": "kept", "type": "header", "secret": "kept-value"}),
        )
        .await;
    emu.shutdown().await;

    let mut config = file_config(&dir);
    config.tenants[0].admin_password = "Changed-Admin-Password-3".into();
    let emu = Emu::start_with(config).await;
    // The configured admin password replaced the stored one.
    let url = format!("{}/users/{id}", emu.rci());
    let as_admin = get_with(
        &emu,
        &url,
        Some(API_KEY),
        Some(("admin", "Changed-Admin-Password-3")),
    )
    .await;
    assert_eq!(as_admin.status(), 200);
    let user: Value = as_admin.json().await.unwrap();
    assert_eq!(user["login"], "api.persistent");
    let as_user = get_with(
        &emu,
        &url,
        Some(API_KEY),
        Some(("api.persistent", "Persistent-Password-1")),
    )
    .await;
    assert_eq!(as_user.status(), 200);
    let secret: Value = get_with(
        &emu,
        &format!("{}/secrets/{secret}", emu.rci()),
        Some(API_KEY),
        Some(("admin", "Changed-Admin-Password-3")),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(secret["name"], "kept");
    // Seed data is created once, not again on restart.
    let groups_after: Value = get_with(
        &emu,
        &format!("{}/userGroups", emu.rci()),
        Some(API_KEY),
        Some(("admin", "Changed-Admin-Password-3")),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(groups_after, groups_before);
    emu.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creates_of_one_login_yield_one_201() {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emu::start_with(file_config(&dir)).await;
    let url = format!("{}/users", emu.rci());
    let requests = (0..20).map(|i| {
        let login = if i % 2 == 0 {
            "race.login"
        } else {
            "RACE.LOGIN"
        };
        emu.authed(Method::POST, &url)
            .json(&user_body(login))
            .send()
    });
    let responses = futures_join_all(requests).await;
    let mut statuses: Vec<u16> = responses
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    let found = emu.get("users?login=race.login", &[]).await;
    assert_eq!(found.body.as_array().unwrap().len(), 1);
    emu.shutdown().await;
}

/// Runs the futures concurrently (tokio tasks), keeping order.
async fn futures_join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn error_fault_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = file_config(&dir);
    config.faults = FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    };
    let emu = Emu::start_with(config).await;
    let url = format!("{}/users", emu.rci());
    for _ in 0..5 {
        let resp = read(
            emu.authed(Method::POST, &url)
                .json(&user_body("never.written"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert!(matches!(resp.status, 500 | 503), "{resp:?}");
        assert_eq!(resp.body["status"], resp.status);
    }
    let health = emu
        .http
        .get(format!("{}/_emulator/health", emu.running.base_url()))
        .timeout(Duration::from_secs(120))
        .send()
        .await
        .expect("health was delayed like an RCI request (an hour); gave up after 120 s");
    assert_eq!(health.status(), 200);
    let stats: Value = emu
        .http
        .get(format!("{}/_emulator/stats", emu.running.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["faults"]["error"], 5);
    emu.shutdown().await;

    let emu = Emu::start_with(file_config(&dir)).await;
    let found = emu.get("users?login=never.written", &[]).await;
    assert_eq!(found.body, json!([]));
    emu.shutdown().await;
}

#[tokio::test]
async fn throttle_fault_answers_429_with_retry_after() {
    let mut config = EmulatorConfig::for_tests();
    config.faults = FaultConfig {
        throttle_rate: 1.0,
        ..FaultConfig::default()
    };
    let emu = Emu::start_with(config).await;
    let resp = read(
        emu.authed(Method::GET, &format!("{}/users", emu.rci()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status, 429);
    assert_eq!(resp.header("retry-after").as_deref(), Some("1"));
    assert_eq!(resp.body["status"], 429);
    emu.shutdown().await;
}

#[tokio::test]
async fn lost_response_drops_the_connection_after_commit() {
    let mut config = EmulatorConfig::for_tests();
    config.faults = FaultConfig {
        lost_response_rate: 1.0,
        ..FaultConfig::default()
    };
    let emu = Emu::start_with(config).await;
    let url = format!("{}/users", emu.rci());
    let result = emu
        .authed(Method::POST, &url)
        .json(&user_body("lost.response"))
        .send()
        .await;
    let error = result.expect_err("the response must be lost");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");
    // Reads are never lost; the write was committed.
    let found = emu.get("users?login=lost.response", &[]).await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body.as_array().unwrap().len(), 1);
    let stats: Value = emu
        .http
        .get(format!("{}/_emulator/stats", emu.running.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["faults"]["lostResponse"], 1);
    assert_eq!(
        stats["faults"]["lostResponseByRoute"],
        json!({"POST users": 1})
    );
    // The lost response was still a creation.
    assert_eq!(stats["byStatus"]["POST users 201"], 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn faults_are_reproducible_with_a_seed_and_latency_applies() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let mut config = EmulatorConfig::for_tests();
        config.seed = seed;
        config.faults = FaultConfig {
            error_rate: 0.3,
            throttle_rate: 0.3,
            ..FaultConfig::default()
        };
        let emu = Emu::start_with(config).await;
        let mut out = Vec::new();
        for _ in 0..30 {
            out.push(
                emu.authed(Method::GET, &format!("{}/roles", emu.rci()))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
            );
        }
        emu.shutdown().await;
        out
    }
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(
        first.contains(&200) && first.contains(&429) && first.iter().any(|s| *s >= 500),
        "{first:?}"
    );
    assert_ne!(first, statuses(8).await);

    let mut config = EmulatorConfig::for_tests();
    config.faults = FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    };
    let emu = Emu::start_with(config).await;
    let started = Instant::now();
    assert_eq!(emu.get("roles", &[]).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    emu.shutdown().await;

    // Emulator endpoints are never delayed: with an hour of latency per RCI request, health
    // answers while an RCI request started before it is still waiting (an order, not a time).
    let mut config = EmulatorConfig::for_tests();
    config.faults = FaultConfig {
        latency_ms: 3_600_000,
        ..FaultConfig::default()
    };
    let emu = Emu::start_with(config).await;
    let delayed = tokio::spawn(
        emu.authed(Method::GET, &format!("{}/roles", emu.rci()))
            .send(),
    );
    let health = emu
        .http
        .get(format!("{}/_emulator/health", emu.running.base_url()))
        .timeout(Duration::from_secs(120))
        .send()
        .await
        .expect("health was delayed like an RCI request (an hour); gave up after 120 s");
    assert_eq!(health.status(), 200);
    assert!(
        !delayed.is_finished(),
        "the RCI request was not delayed, so this proves nothing"
    );
    delayed.abort();
    // No graceful shutdown: it would wait for the sleeping request; the runtime's end stops it.
    drop(emu);
}

#[tokio::test]
async fn stats_count_rci_requests_by_route() {
    let emu = Emu::start().await;
    let stats_url = format!("{}/_emulator/stats", emu.running.base_url());
    let id = emu.create("users", &[], user_body("api.stats")).await;
    emu.get("users/{id}", &[&id]).await;
    emu.get("users/{id}", &[&id]).await;
    let url = format!("{}/demo/ecfs/RI/rci/users/{id}", emu.running.base_url());
    emu.authed(Method::GET, &url).send().await.unwrap();
    let stats: Value = emu
        .http
        .get(&stats_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    emulator_support::Spec::shared()
        .check_response("GET", "/_emulator/stats", 200, &stats)
        .unwrap();
    assert_eq!(stats["byRoute"]["GET users/{id}"], 3);
    assert_eq!(stats["byRoute"]["POST users"], 1);
    assert_eq!(stats["total"], 4);
    assert_eq!(stats["byStatus"]["POST users 201"], 1);
    assert_eq!(stats["byStatus"]["GET users/{id} 200"], 3);
    // A refused create is counted under its status, so a duplicate attempt is visible.
    let again = emu
        .authed(Method::POST, &format!("{}/users", emu.rci()))
        .json(&user_body("api.stats"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    let stats: Value = emu
        .http
        .get(&stats_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["byStatus"]["POST users 201"], 1);
    assert_eq!(stats["byStatus"]["POST users 409"], 1);
    assert_eq!(stats["faults"]["lostResponseByRoute"], json!({}));
    let reset = emu.http.delete(&stats_url).send().await.unwrap();
    assert_eq!(reset.status(), 204);
    let stats: Value = emu
        .http
        .get(&stats_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["total"], 0);
    assert_eq!(stats["byRoute"], json!({}));
    assert_eq!(stats["byStatus"], json!({}));
    let unknown = emu
        .authed(
            reqwest::Method::POST,
            &format!("{}/_emulator/nobody/check-secret", emu.running.base_url()),
        )
        .json(&json!({"name": "orchestration-layer", "secret": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn serves_https() {
    let dir = tempfile::tempdir().unwrap();
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();
    let mut config = EmulatorConfig::for_tests();
    config.tls = Some(TlsConfig { cert, key });
    let emu = Emu::start_with(config).await;
    assert!(emu.running.base_url().starts_with("https://127.0.0.1:"));
    assert_eq!(emu.get("roles", &[]).await.status, 200);
    emu.shutdown().await;
}

#[test]
fn binary_prints_address_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_contactpro-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--data",
            ":memory:",
            "--tenant",
            "demo",
            "--tenant",
            "acme",
            "--api-key",
            "acme=acme-key",
            "--admin-password",
            "acme=Acme-Admin-Password-9",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .expect("first line")
        .to_string();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{line}"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{base}/acme/RI/rci/roles"))
            .header("x-api-key", "acme-key")
            .basic_auth("admin", Some("Acme-Admin-Password-9"))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);

    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let exit = process::wait_within(child, "the emulator after SIGTERM", process::QUICK).status;
    assert!(exit.success(), "{exit:?}");

    // A password too short to accept; distinctive, so any echo of it, quoted or not, is found.
    let rejected = "Qx7zV";
    let mut bad = Command::new(env!("CARGO_BIN_EXE_contactpro-emulator"));
    bad.args(["--data", ":memory:", "--admin-password"])
        .arg(format!("demo={rejected}"));
    let bad = process::output_within(&mut bad, "the emulator with a bad password", process::QUICK);
    assert!(!bad.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(said.contains("password"), "the refusal says why: {said}");
    assert!(!said.contains(rejected), "the password was echoed: {said}");
}
