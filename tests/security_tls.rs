//! TLS (issue 6 item 7): the emulator serves HTTPS with a certificate of a private CA. The provider
//! trusts it through `ca_cert_file`, refuses it without, and refuses plain http to a host that is
//! not loopback unless `insecure_http = true`.
mod support;
#[path = "support/tls.rs"]
mod tls;

use std::net::{IpAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::bins::provider_binary;
use support::emulator::EmulatorProcess;
use support::rci::ADMIN_PASSWORD;
use support::terraform::describe;
use support::{ProviderProcess, Terraform, TfWorkdir};
use tls::{HttpsAdmin, TestPki};

fn config(provider_settings: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  max_retries = 0
  {provider_settings}
}}

resource "contactpro_user" "tls" {{
  first_name = "Tls"
  last_name  = "Check"
  login      = "tls.check"
}}

resource "contactpro_secret" "tls" {{
  name   = "tls-secret"
  type   = "header"
  secret = "tls-secret-value"
}}
"#
    )
}

/// A configuration whose plan calls the API (a data source), so connection errors show at plan.
fn lookup_config(provider_settings: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    contactpro = {{ source = "contactpro/contactpro" }}
  }}
}}
provider "contactpro" {{
  max_retries     = 0
  request_timeout = 5
  {provider_settings}
}}

data "contactpro_user_group" "all" {{
  name = "All Users"
}}
"#
    )
}

fn workdir(url: &str) -> TfWorkdir {
    let mut wd = TfWorkdir::new(&Terraform::v1_0_3(), &provider_binary());
    wd.env("CONTACTPRO_URL", url)
        .env("CONTACTPRO_API_KEY", "demo-api-key")
        .env("CONTACTPRO_USERNAME", "admin")
        .env("CONTACTPRO_PASSWORD", ADMIN_PASSWORD);
    wd
}

fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn https_with_private_ca_is_trusted_only_through_ca_cert_file() {
    let pki = TestPki::generate();
    let args = pki.emulator_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let emulator = EmulatorProcess::start_with_args(&args);
    let base = emulator.base_url().to_string();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let admin = HttpsAdmin::new(&base, &pki);
    let users_before = admin.list("users").len();
    let secrets_before = admin.list("secrets").len();

    // (b) Without ca_cert_file: the handshake fails, the error says why, nothing is created
    // and no request reached the API.
    let wd = workdir(&format!("{base}/demo/RI"));
    wd.write_main_tf(&config(""));
    wd.init();
    let served = admin.requests_served();
    let out = wd.apply_expect_error();
    let text = output_text(&out);
    assert!(
        text.contains("certificate") && text.contains("UnknownIssuer"),
        "no clear certificate error:\n{text}"
    );
    assert!(text.contains("could not reach the API"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("UnknownIssuer"))
        .unwrap_or_default();
    println!("tls: without ca_cert_file: {}", line.trim());
    // The stats endpoint counts RCI requests only: the failed apply added none.
    assert_eq!(admin.requests_served(), served, "a request got through");
    assert_eq!(admin.list("users").len(), users_before);
    assert_eq!(admin.list("secrets").len(), secrets_before);

    // (a) With ca_cert_file: apply works over HTTPS, and a re-plan shows no changes.
    let ca = pki.ca_path().display().to_string();
    wd.write_main_tf(&config(&format!("ca_cert_file = {ca:?}")));
    wd.apply();
    let users = admin.list("users?login=*");
    assert_eq!(users.len(), users_before + 1);
    assert!(users.iter().any(|u| u["login"] == "tls.check"));
    assert!(admin
        .list("secrets")
        .iter()
        .any(|s| s["name"] == "tls-secret"));
    assert_eq!(wd.plan_detailed_exitcode(), 0);

    // The certificate names localhost too.
    let localhost = base.replace("127.0.0.1", "localhost");
    let wd_localhost = workdir(&format!("{localhost}/demo/RI"));
    wd_localhost.write_main_tf(&lookup_config(&format!("ca_cert_file = {ca:?}")));
    wd_localhost.init();
    wd_localhost.run_ok(&["plan", "-input=false", "-no-color"]);

    wd.destroy();
    assert_eq!(admin.list("users").len(), users_before);
    println!(
        "tls: untrusted certificate refused with 0 requests served; trusted through ca_cert_file: apply, no-change plan, destroy"
    );
}

/// A URL host the provider's check does not count as loopback (a v4-mapped IPv6 address), whose
/// traffic still reaches 127.0.0.1: tests must send nothing beyond this machine's loopback.
const REMOTE_LOOKING_HOST: &str = "[::ffff:127.0.0.1]";
const LISTEN_IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

/// Counts TCP connections; each is closed at once without an answer.
fn counting_listener(ip: IpAddr) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, count)
}

#[test]
fn plain_http_to_a_remote_host_needs_insecure_http() {
    support::process::require_ipv6();
    // Plan-time refusal at the gRPC level: ValidateProviderConfig names `url`.
    let p = ProviderProcess::start(&provider_binary());
    let diags = p.validate_provider(&json!({"url": "http://cc.example.com/demo/RI"}));
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:?}");
    assert_eq!(errors[0].attribute_path, ["url"]);
    assert!(errors[0].detail.contains("insecure_http"), "{}", errors[0]);
    let diags = p
        .validate_provider(&json!({"url": "http://cc.example.com/demo/RI", "insecure_http": true}));
    assert!(diags.is_empty(), "{diags:?}");
    let diags = p.validate_provider(&json!({"url": "http://127.0.0.1:9/demo/RI"}));
    assert!(diags.is_empty(), "loopback http is fine: {diags:?}");

    // With the real CLI, against a counting listener behind a host that does not look like
    // loopback, so "nothing was sent" can be checked.
    let (port, count) = counting_listener(LISTEN_IP);
    let url = format!("http://{REMOTE_LOOKING_HOST}:{port}/demo/RI");
    let wd = workdir(&url);
    wd.write_main_tf(&lookup_config(""));
    wd.init();
    let out = wd.run(&["plan", "-input=false", "-no-color"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        text.contains("plain http to a remote host is refused")
            && text.contains("`url`")
            && text.contains("insecure_http"),
        "{text}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(count.load(Ordering::SeqCst), 0, "a connection was made");

    // insecure_http = true passes the check: the request is then really sent, and the listener's
    // closed connection is a connection error, not the insecure-http refusal.
    wd.write_main_tf(&lookup_config("insecure_http = true"));
    let out = wd.run(&["plan", "-input=false", "-no-color"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(!text.contains("plain http"), "{text}");
    assert!(text.contains("could not reach the API"), "{text}");
    assert!(count.load(Ordering::SeqCst) >= 1, "no connection was made");
    println!(
        "tls: plain http to a remote-looking host refused at plan time with 0 connections; with insecure_http the request was sent ({} connections)",
        count.load(Ordering::SeqCst)
    );
}
