//! `terraform-provider-contactpro probe` against the emulator binary: what it reports, its exit
//! codes, that it only ever sends GETs and never prints a credential.

mod support;

use std::process::Command;

use serde_json::{json, Value};
use support::bins::provider_binary;
use support::emulator::EmulatorProcess;
use support::rci::{Rci, ADMIN_LOGIN, ADMIN_PASSWORD};

const API_KEY: &str = "demo-api-key";
const ENDPOINTS: [&str; 10] = [
    "users",
    "users/{id}",
    "users/{id}/authentication",
    "users/{id}/userGroups",
    "users/{id}/roles",
    "users/{id}/rights",
    "secrets",
    "userGroups",
    "queues",
    "queueGroups",
];
/// The seeded secret's value (docs/emulator.md): a probe must never print a secret's value.
const SEEDED_SECRET_VALUE: &str = "orchestration-layer-secret";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the probe with exactly these CONTACTPRO_* variables (none inherited).
fn probe(env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = Command::new(provider_binary());
    command.arg("probe").args(args);
    for name in [
        "CONTACTPRO_URL",
        "CONTACTPRO_API_KEY",
        "CONTACTPRO_USERNAME",
        "CONTACTPRO_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let what = format!("terraform-provider-contactpro probe {}", args.join(" "));
    let output = support::process::output_within(&mut command, &what, support::process::TERRAFORM);
    Run {
        code: output.status.code().expect("probe exited normally"),
        stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
    }
}

fn env_for<'a>(url: &'a str, username: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("CONTACTPRO_URL", url),
        ("CONTACTPRO_API_KEY", API_KEY),
        ("CONTACTPRO_USERNAME", username),
        ("CONTACTPRO_PASSWORD", password),
    ]
}

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets.iter().chain([&API_KEY, &SEEDED_SECRET_VALUE]) {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "the probe printed a secret\nstdout:\n{}\nstderr:\n{}",
            run.stdout,
            run.stderr
        );
    }
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("--json output does not parse ({e}):\n{}", run.stdout))
}

fn verdict<'a>(report: &'a Value, subject: &str) -> &'a Value {
    report["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["subject"] == subject)
        .unwrap_or_else(|| panic!("no verdict for {subject}: {report:#}"))
}

/// Every RCI request the emulator counted was a GET.
fn assert_only_gets(rci: &Rci) {
    let stats = rci.stats();
    let routes = stats["byRoute"].as_object().expect("byRoute");
    assert!(!routes.is_empty(), "the probe sent nothing: {stats}");
    for route in routes.keys() {
        assert!(route.starts_with("GET "), "the probe sent {route}: {stats}");
    }
}

#[test]
fn full_profile_every_endpoint_answers_and_everything_works() {
    let emu = EmulatorProcess::start();
    let rci = Rci::new(emu.base_url(), "demo");
    let url = rci.ri_url();
    let env = env_for(&url, ADMIN_LOGIN, ADMIN_PASSWORD);

    let table = probe(&env, &[]);
    assert_eq!(
        table.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        table.stdout, table.stderr
    );
    for endpoint in ENDPOINTS {
        assert!(
            table
                .stdout
                .lines()
                .any(|line| line.split_whitespace().next() == Some(endpoint)),
            "the table has no row for {endpoint}:\n{}",
            table.stdout
        );
    }
    assert!(
        table.stdout.contains("can work (exit 0)"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains("CANNOT WORK"), "{}", table.stdout);
    assert_no_secret(&table, &[ADMIN_PASSWORD]);

    let run = probe(&env, &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_secret(&run, &[ADMIN_PASSWORD]);
    let report = json_of(&run);
    assert_eq!(report["format"], "contactpro-probe/1");
    assert_eq!(report["exit_code"], 0);
    assert_eq!(report["all_work"], true);
    let endpoints: Vec<&str> = report["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .map(|e| {
            assert_eq!(e["outcome"], "offered", "{e}");
            assert_eq!(e["status"], 200, "{e}");
            e["endpoint"].as_str().unwrap()
        })
        .collect();
    assert_eq!(endpoints, ENDPOINTS);
    let verdicts = report["verdicts"].as_array().expect("verdicts");
    assert!(verdicts.len() >= 14, "{report:#}");
    for v in verdicts {
        assert_eq!(v["works"], true, "{v}");
    }
    for subject in [
        "contactpro_user",
        "contactpro_user.password",
        "contactpro_user_rights",
        "contactpro_secret",
        "data.contactpro_queue",
    ] {
        verdict(&report, subject);
    }
    // What the API user (the tenant admin) sees: the seed data of docs/emulator.md.
    assert_eq!(report["visible"]["users"], 4, "{report:#}");
    assert_eq!(report["visible"]["user_groups"], 4);
    assert_eq!(report["visible"]["queues"], 4);
    assert_eq!(report["visible"]["queue_groups"], 1);
    assert_eq!(report["user_id_from"], "api_user");
    assert_eq!(report["users_list"]["limit_honoured"], true);
    assert_eq!(report["users_list"]["second_page"], "another_user");
    assert_eq!(report["users_list"]["login_star_adds_login"], true);
    assert_eq!(report["accept"]["json"], true);
    let ids = &report["ids"];
    assert!(ids["checked"].as_u64().unwrap() >= 4, "{ids}");
    assert_eq!(ids["checked"], ids["upper_hex_32"]);
    assert_eq!(report["forbidden"], json!([]));

    assert_only_gets(&rci);
}

#[test]
fn a_bad_api_key_exits_2_and_says_which_setting() {
    let emu = EmulatorProcess::start();
    let rci = Rci::new(emu.base_url(), "demo");
    let url = rci.ri_url();
    let wrong_key = "not-the-key-3c9d";
    let env = [
        ("CONTACTPRO_URL", url.as_str()),
        ("CONTACTPRO_API_KEY", wrong_key),
        ("CONTACTPRO_USERNAME", ADMIN_LOGIN),
        ("CONTACTPRO_PASSWORD", ADMIN_PASSWORD),
    ];
    let run = probe(&env, &[]);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.contains("HTTP 403"), "{}", run.stderr);
    assert!(run.stderr.contains("CONTACTPRO_API_KEY"), "{}", run.stderr);
    assert_no_secret(&run, &[wrong_key, ADMIN_PASSWORD]);

    let run = probe(&env, &["--json"]);
    assert_eq!(run.code, 2);
    let report = json_of(&run);
    assert_eq!(report["exit_code"], 2);
    assert!(report["error"]
        .as_str()
        .unwrap()
        .contains("CONTACTPRO_API_KEY"));
    assert_no_secret(&run, &[wrong_key, ADMIN_PASSWORD]);
    assert_only_gets(&rci);
}

#[test]
fn a_bad_password_exits_2_naming_the_variables() {
    let emu = EmulatorProcess::start();
    let url = Rci::new(emu.base_url(), "demo").ri_url();
    let wrong = "Wrong-Password-For-Probe-1";
    let run = probe(&env_for(&url, ADMIN_LOGIN, wrong), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(run.stderr.contains("CONTACTPRO_PASSWORD"), "{}", run.stderr);
    assert_no_secret(&run, &[wrong]);
}

#[test]
fn missing_settings_and_an_unreachable_tenant_exit_2() {
    let run = probe(&[], &[]);
    assert_eq!(run.code, 2);
    for variable in [
        "CONTACTPRO_URL",
        "CONTACTPRO_API_KEY",
        "CONTACTPRO_USERNAME",
        "CONTACTPRO_PASSWORD",
    ] {
        assert!(run.stderr.contains(variable), "{}", run.stderr);
    }

    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/demo/RI");
    let run = probe(
        &env_for(&url, ADMIN_LOGIN, ADMIN_PASSWORD),
        &["--timeout", "2"],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot reach the tenant"),
        "{}",
        run.stderr
    );
    assert_no_secret(&run, &[ADMIN_PASSWORD]);
}

#[test]
fn secrets_on_the_command_line_are_refused_without_echoing_them() {
    let run = probe(&[], &["--password", "Cmdline-Password-0042"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("CONTACTPRO_PASSWORD"), "{}", run.stderr);
    assert_no_secret(&run, &["Cmdline-Password-0042"]);
}

#[test]
fn documented_profile_reports_what_cannot_work_and_exits_1() {
    let emu = EmulatorProcess::start_with_args(&["--profile", "documented"]);
    let rci = Rci::new(emu.base_url(), "demo");
    let url = rci.ri_url();
    let env = env_for(&url, ADMIN_LOGIN, ADMIN_PASSWORD);

    let run = probe(&env, &["--json"]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_no_secret(&run, &[ADMIN_PASSWORD]);
    let report = json_of(&run);
    assert_eq!(report["exit_code"], 1);
    assert_eq!(report["all_work"], false);
    for e in report["endpoints"].as_array().unwrap() {
        let missing = ["users/{id}/authentication", "users/{id}/rights", "secrets"]
            .contains(&e["endpoint"].as_str().unwrap());
        let (outcome, status) = if missing {
            ("missing", 404)
        } else {
            ("offered", 200)
        };
        assert_eq!(
            (
                e["outcome"].as_str().unwrap(),
                e["status"].as_u64().unwrap()
            ),
            (outcome, status),
            "{e}"
        );
    }
    for (subject, endpoint) in [
        ("contactpro_secret", "secrets"),
        ("contactpro_user_rights", "users/{id}/rights"),
        ("contactpro_user.password", "users/{id}/authentication"),
        (
            "contactpro_user.service_account",
            "users/{id}/authentication",
        ),
        ("data.contactpro_secret", "secrets"),
    ] {
        let v = verdict(&report, subject);
        assert_eq!(v["works"], false, "{v}");
        assert_eq!(v["blocked_by"][0]["endpoint"], endpoint, "{v}");
        assert_eq!(v["blocked_by"][0]["status"], 404, "{v}");
        assert!(
            v["instead"]
                .as_str()
                .unwrap()
                .contains("System Configurator"),
            "{v}"
        );
    }
    for subject in [
        "contactpro_user",
        "contactpro_user.user_group_ids",
        "contactpro_user.role_ids",
        "data.contactpro_user",
        "data.contactpro_user_group",
        "data.contactpro_queue",
        "data.contactpro_queue_group",
    ] {
        assert_eq!(verdict(&report, subject)["works"], true, "{subject}");
    }
    // The documented list projection (both profiles serve it after the merge).
    assert_eq!(report["users_list"]["default_projection_documented"], true);
    assert_eq!(report["users_list"]["login_star_adds_login"], true);

    let table = probe(&env, &[]);
    assert_eq!(table.code, 1);
    assert!(
        table.stdout.contains("contactpro_secret cannot work"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("`secrets`: HTTP 404"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("set the password in System Configurator > User > Authentication; leave `password` unset"),
        "{}",
        table.stdout
    );
    assert_no_secret(&table, &[ADMIN_PASSWORD]);
    assert_only_gets(&rci);
}

#[test]
fn an_api_user_without_rights_sees_403s_naming_the_right() {
    let emu = EmulatorProcess::start();
    let rci = Rci::new(emu.base_url(), "demo");
    let login = "api.norights";
    let password = "No-Rights-Password-2024";
    let (status, body) = rci.post(
        "users",
        json!({"firstName": "Api", "surname": "No Rights", "login": login}),
    );
    assert_eq!(status, 201, "{body}");
    let id = rci.user_by_login(login).expect("the new user")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A service account, so the password set by the admin needs no change at first logon.
    let status = rci.put(
        &format!("users/{id}/authentication"),
        json!({
            "login": login,
            "password": password,
            "serviceAccount": true,
            "serviceAccountExpiration": "2099-01-01T00:00:00Z",
        }),
    );
    assert_eq!(status, 204);
    rci.reset_stats();

    let url = rci.ri_url();
    let run = probe(&env_for(&url, login, password), &["--json"]);
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_no_secret(&run, &[password, ADMIN_PASSWORD]);
    let report = json_of(&run);
    let users = &report["endpoints"][0];
    assert_eq!(users["endpoint"], "users");
    assert_eq!(users["status"], 403, "{users}");
    assert_eq!(users["outcome"], "forbidden");
    let forbidden = report["forbidden"].as_array().unwrap();
    assert!(!forbidden.is_empty());
    assert!(
        forbidden
            .iter()
            .any(|f| f["message"].as_str().unwrap_or("").contains("User: View")),
        "{report:#}"
    );
    let user = verdict(&report, "contactpro_user");
    assert_eq!(user["works"], false);
    assert!(user["instead"]
        .as_str()
        .unwrap()
        .starts_with("give the API user the right"));

    let table = probe(&env_for(&url, login, password), &[]);
    assert_eq!(table.code, 1);
    assert!(
        table.stdout.contains("403 on GET users"),
        "{}",
        table.stdout
    );
    assert_no_secret(&table, &[password, ADMIN_PASSWORD]);
    assert_only_gets(&rci);
}
