//! `terraform-provider-contactpro probe`: with GET requests only, reports what a tenant's RCI offers
//! and which resources and attributes of this provider will work there (docs/guides/real-tenant.md).
//! Exit code 0: everything can work; 1: something cannot; 2: bad settings or unreachable tenant.

mod observe;
mod report;
pub mod verdict;

use std::ffi::OsString;
use std::time::Duration;

use clap::Parser;
use contactpro_rci::RciClient;

use crate::provider::settings::{self, RawSettings};
use report::{FatalReport, Report, FORMAT};

pub use report::FORMAT as JSON_FORMAT;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Read-only check of a Contact Pro tenant: which RCI endpoints answer, and which resources and
/// attributes of this provider will work there. Sends GET requests only.
///
/// The API key and the password are read only from CONTACTPRO_API_KEY and CONTACTPRO_PASSWORD.
#[derive(Parser, Debug)]
#[command(
    name = "terraform-provider-contactpro probe",
    bin_name = "terraform-provider-contactpro probe",
    version
)]
pub struct ProbeArgs {
    /// The tenant's RI base URL [default: CONTACTPRO_URL]
    #[arg(long)]
    pub url: Option<String>,
    /// The API user [default: CONTACTPRO_USERNAME]
    #[arg(long)]
    pub username: Option<String>,
    /// Extra CA certificate (PEM) to trust, for a tenant behind a private CA
    #[arg(long, value_name = "PATH")]
    pub ca_cert_file: Option<String>,
    /// Allow plain http to a host that is not loopback
    #[arg(long)]
    pub insecure_http: bool,
    /// Print the report as JSON (format contactpro-probe/1)
    #[arg(long)]
    pub json: bool,
    /// Timeout of one request, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: i64,
    /// Refused: a secret on the command line shows in the process list and shell history.
    #[arg(long, hide = true, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Refused: a secret on the command line shows in the process list and shell history.
    #[arg(long, hide = true, value_name = "PASSWORD")]
    pub password: Option<String>,
}

/// Runs the probe for `args` (the first one is the command name, `probe`); returns the exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args = match ProbeArgs::try_parse_from(args) {
        Ok(args) => args,
        Err(e) => {
            // --help and --version print and succeed; usage errors print and fail with 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fatal(&args, &format!("cannot start: {e}")),
    };
    let env = |name: &str| std::env::var(name).ok();
    runtime.block_on(run(args, &env))
}

/// The probe with its environment given, so tests need not touch the process environment.
pub async fn run(args: ProbeArgs, env: settings::EnvLookup<'_>) -> i32 {
    if args.api_key.is_some() || args.password.is_some() {
        return fatal(
            &args,
            "`--api-key` and `--password` are not accepted (a secret on the command line shows in the process list and shell history): set CONTACTPRO_API_KEY and CONTACTPRO_PASSWORD instead.",
        );
    }
    let raw = RawSettings {
        url: args.url.clone(),
        username: args.username.clone(),
        ca_cert_file: args.ca_cert_file.clone(),
        insecure_http: Some(args.insecure_http),
        request_timeout: Some(args.timeout),
        max_retries: Some(1),
        ..RawSettings::default()
    };
    let config = match settings::resolve(
        raw,
        env,
        format!("terraform-provider-contactpro/{VERSION} (probe)"),
    ) {
        Ok(config) => config,
        Err(errors) => {
            let text: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.summary, for_the_probe(e)))
                .collect();
            return fatal(&args, &text.join("\n"));
        }
    };
    let url = config.base_url.to_string();
    let username = config.username.clone();
    let redact = vec![
        config.api_key.expose().to_string(),
        config.password.expose().to_string(),
    ];
    let client = match RciClient::new(config) {
        Ok(client) => client,
        Err(e) => return fatal(&args, &e.to_string()),
    };
    let observations = match tokio::time::timeout(
        Duration::from_secs(args.timeout.max(1) as u64 * 40),
        observe::observe(&client, &username, redact),
    )
    .await
    {
        Ok(Ok(observations)) => observations,
        Ok(Err(observe::Fatal(message))) => return fatal(&args, &message),
        Err(_) => return fatal(&args, "the tenant answered too slowly; raise `--timeout`."),
    };
    let verdicts = verdict::verdicts(&observations.by_endpoint());
    let exit_code = verdict::exit_code(&verdicts);
    let report = Report {
        format: FORMAT,
        provider_version: VERSION,
        url,
        username,
        observations,
        all_work: exit_code == 0,
        verdicts,
        exit_code,
    };
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    exit_code
}

/// The settings' advice names the provider block; the probe has flags and the environment.
fn for_the_probe(error: &settings::SettingError) -> String {
    let block = "in the contactpro provider block or";
    let instead = match error.attribute {
        "url" => "with `--url` or in",
        "username" => "with `--username` or in",
        "ca_cert_file" => "with `--ca-cert-file` or in",
        _ => "in",
    };
    error
        .detail
        .replace(block, instead)
        .replace("`insecure_http = true`", "`--insecure-http`")
        .replace("`request_timeout`", "`--timeout`")
}

/// Exit code 2 with the reason on stderr (and as JSON on stdout with `--json`).
fn fatal(args: &ProbeArgs, message: &str) -> i32 {
    eprintln!("probe: {message}");
    if args.json {
        let report = FatalReport {
            format: FORMAT,
            provider_version: VERSION,
            error: message,
            exit_code: 2,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serializes")
        );
    }
    2
}
