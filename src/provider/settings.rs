//! Resolves provider settings from the provider block and the environment into a client config.
//! Pure logic, so every rule is unit-tested without Terraform.

use std::net::IpAddr;
use std::time::Duration;

use contactpro_rci::{ClientConfig, SecretString};

pub const DEFAULT_MAX_RETRIES: i64 = 5;
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: i64 = 30;

/// The settings as Terraform gave them (None = not set in the block).
#[derive(Clone, Default)]
pub struct RawSettings {
    pub url: Option<String>,
    pub api_key: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub max_retries: Option<i64>,
    pub request_timeout: Option<i64>,
    pub requests_per_second: Option<f64>,
    pub ca_cert_file: Option<String>,
    pub insecure_http: Option<bool>,
}

/// One problem with one setting; `attribute` is the provider block's attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub attribute: &'static str,
    pub summary: String,
    pub detail: String,
}

fn setting_error(attribute: &'static str, summary: String, detail: String) -> SettingError {
    SettingError {
        attribute,
        summary,
        detail,
    }
}

/// Looks up environment variables; a function so tests need not touch the process environment.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

fn pick(block: Option<String>, env: EnvLookup, variable: &str) -> Option<String> {
    block
        .or_else(|| env(variable))
        .filter(|value| !value.is_empty())
}

fn required(
    block: Option<String>,
    env: EnvLookup,
    attribute: &'static str,
    variable: &str,
    errors: &mut Vec<SettingError>,
) -> String {
    match pick(block, env, variable) {
        Some(value) => value,
        None => {
            errors.push(setting_error(
                attribute,
                format!("Missing provider setting `{attribute}`"),
                format!("Set `{attribute}` in the contactpro provider block or the environment variable {variable}."),
            ));
            String::new()
        }
    }
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

/// Checks the URL alone; used at validate time and at configure time.
/// `value` as an error may show it: user info and query masked, since either may hold a password or
/// a key (`https://user:pw@host/…`, `…?apikey=…`), and errors reach plans, logs and CI output.
fn shown(value: &str) -> String {
    let (address, masked_tail) = match value.find(['?', '#']) {
        Some(at) => (&value[..at], "?***"),
        None => (value, ""),
    };
    let masked = match address.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            match authority.rfind('@') {
                Some(at) => format!("{scheme}://***@{}{path}", &authority[at + 1..]),
                None => address.to_string(),
            }
        }
        None => match address.rfind('@') {
            Some(at) => format!("***@{}", &address[at + 1..]),
            None => address.to_string(),
        },
    };
    format!("{masked}{masked_tail}")
}

pub fn check_url(value: &str, insecure_http: bool) -> Result<url::Url, SettingError> {
    let display = shown(value);
    let bad = |detail: String| {
        setting_error(
            "url",
            "Invalid provider setting `url`".into(),
            format!("{detail} Set `url` (or CONTACTPRO_URL) to the tenant's RI base, for example https://HOST/TENANT/ecfs/RI or http://127.0.0.1:8787/demo/RI."),
        )
    };
    let parsed =
        url::Url::parse(value).map_err(|e| bad(format!("{display:?} is not a URL ({e}).")))?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let loopback = parsed.host().as_ref().is_some_and(is_loopback);
            if !loopback && !insecure_http {
                return Err(setting_error(
                    "url",
                    "Invalid provider setting `url`: plain http to a remote host is refused".into(),
                    format!("`url` (or CONTACTPRO_URL) {display:?} uses http to a host that is not loopback: credentials would travel in clear text. Use https, or set `insecure_http = true` if you really mean it."),
                ));
            }
        }
        other => return Err(bad(format!("The scheme {other:?} is not http or https."))),
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad(format!("{display:?} has no host.")));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(format!(
            "{display:?} carries credentials: set `username` and `password` (or CONTACTPRO_USERNAME and CONTACTPRO_PASSWORD) instead."
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad(format!(
            "{display:?} must not have a query or fragment."
        )));
    }
    Ok(parsed)
}

/// Resolves every setting; returns all problems at once so the user fixes them in one go.
/// Range checks of the numeric settings; also run by `validate`, so `terraform validate` catches
/// them (values from variables are unknown there and checked at configure).
pub fn check_numbers(
    max_retries: Option<i64>,
    request_timeout: Option<i64>,
    requests_per_second: Option<f64>,
) -> Vec<SettingError> {
    let mut errors = Vec::new();
    if let Some(max_retries) = max_retries.filter(|n| !(0..=20).contains(n)) {
        errors.push(setting_error(
            "max_retries",
            "Invalid provider setting `max_retries`".into(),
            format!("{max_retries} is out of range: use 0 to 20."),
        ));
    }
    if let Some(request_timeout) = request_timeout.filter(|n| !(1..=3600).contains(n)) {
        errors.push(setting_error(
            "request_timeout",
            "Invalid provider setting `request_timeout`".into(),
            format!("{request_timeout} is out of range: give the timeout of one request in seconds, 1 to 3600."),
        ));
    }
    if let Some(rate) = requests_per_second {
        if !(rate > 0.0 && rate <= 10_000.0) {
            errors.push(setting_error(
                "requests_per_second",
                "Invalid provider setting `requests_per_second`".into(),
                format!("{rate} is out of range: use a number above 0 and at most 10000, or leave it unset for no limit."),
            ));
        }
    }
    errors
}

pub fn resolve(
    raw: RawSettings,
    env: EnvLookup,
    user_agent: String,
) -> Result<ClientConfig, Vec<SettingError>> {
    let mut errors = Vec::new();
    let insecure_http = raw.insecure_http.unwrap_or(false);
    let url = required(raw.url, env, "url", "CONTACTPRO_URL", &mut errors);
    let api_key = required(
        raw.api_key,
        env,
        "api_key",
        "CONTACTPRO_API_KEY",
        &mut errors,
    );
    let username = required(
        raw.username,
        env,
        "username",
        "CONTACTPRO_USERNAME",
        &mut errors,
    );
    let password = required(
        raw.password,
        env,
        "password",
        "CONTACTPRO_PASSWORD",
        &mut errors,
    );

    let base_url = if url.is_empty() {
        None
    } else {
        check_url(&url, insecure_http)
            .map_err(|e| errors.push(e))
            .ok()
    };

    errors.extend(check_numbers(
        raw.max_retries,
        raw.request_timeout,
        raw.requests_per_second,
    ));
    let max_retries = raw.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
    let request_timeout = raw
        .request_timeout
        .unwrap_or(DEFAULT_REQUEST_TIMEOUT_SECONDS);
    let ca_cert_pem = match raw.ca_cert_file.filter(|p| !p.is_empty()) {
        None => None,
        Some(path) => match std::fs::read(&path) {
            Ok(pem) if pem.starts_with(b"-----BEGIN") => Some(pem),
            Ok(_) => {
                errors.push(setting_error(
                    "ca_cert_file",
                    "Invalid provider setting `ca_cert_file`".into(),
                    format!("{path:?} is not a PEM certificate file (it should start with -----BEGIN CERTIFICATE-----)."),
                ));
                None
            }
            Err(e) => {
                errors.push(setting_error(
                    "ca_cert_file",
                    "Invalid provider setting `ca_cert_file`".into(),
                    format!("{path:?} cannot be read: {e}."),
                ));
                None
            }
        },
    };

    match base_url {
        Some(base_url) if errors.is_empty() => Ok(ClientConfig {
            base_url,
            api_key: SecretString::new(api_key),
            username,
            password: SecretString::new(password),
            max_retries: max_retries as u32,
            request_timeout: Duration::from_secs(request_timeout as u64),
            requests_per_second: raw.requests_per_second,
            ca_cert_pem,
            user_agent,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_errors_never_show_credentials_or_the_query() {
        for (url, secret) in [
            (
                "http://api.user:Sup3r-Secret-Pw@cc.example.com/acme/RI",
                "Sup3r-Secret-Pw",
            ),
            (
                "https://api.user:Sup3r-Secret-Pw@cc.example.com/acme/RI",
                "Sup3r-Secret-Pw",
            ),
            (
                "https://cc.example.com/acme/RI?apikey=K3y-Value-123",
                "K3y-Value-123",
            ),
            ("ftp://u:Sup3r-Secret-Pw@x/RI", "Sup3r-Secret-Pw"),
            ("u:Sup3r-Secret-Pw@not a url", "Sup3r-Secret-Pw"),
            ("https://cc.example.com/RI#K3y-Value-123", "K3y-Value-123"),
        ] {
            let error = check_url(url, false).expect_err(url);
            let text = format!("{} {}", error.summary, error.detail);
            assert!(!text.contains(secret), "{url}: {text}");
            assert!(!text.contains("api.user"), "{url}: {text}");
        }
        let error = check_url("https://u:p@cc.example.com/acme/RI", false).unwrap_err();
        assert!(
            error.detail.contains("carries credentials"),
            "{}",
            error.detail
        );
        assert!(
            error.detail.contains("***@cc.example.com/acme/RI"),
            "{}",
            error.detail
        );
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn full() -> RawSettings {
        RawSettings {
            url: Some("http://127.0.0.1:8787/demo/RI".into()),
            api_key: Some("demo-api-key".into()),
            username: Some("admin".into()),
            password: Some("Emulator-Admin-Password-1".into()),
            ..Default::default()
        }
    }

    #[test]
    fn block_values_resolve_with_defaults() {
        let config = resolve(full(), &no_env, "ua".into()).expect("valid");
        assert_eq!(config.max_retries, 5);
        assert_eq!(config.request_timeout, Duration::from_secs(30));
        assert_eq!(config.base_url.as_str(), "http://127.0.0.1:8787/demo/RI");
    }

    #[test]
    fn environment_fills_missing_settings() {
        let env = |name: &str| match name {
            "CONTACTPRO_URL" => Some("https://cc.example.com/acme/ecfs/RI".to_string()),
            "CONTACTPRO_API_KEY" => Some("k".to_string()),
            "CONTACTPRO_USERNAME" => Some("u".to_string()),
            "CONTACTPRO_PASSWORD" => Some("p".to_string()),
            _ => None,
        };
        let config = resolve(RawSettings::default(), &env, "ua".into()).expect("valid");
        assert_eq!(config.username, "u");
        assert_eq!(config.base_url.host_str(), Some("cc.example.com"));
    }

    #[test]
    fn missing_settings_name_attribute_and_variable() {
        let errors = resolve(RawSettings::default(), &no_env, "ua".into()).unwrap_err();
        let attributes: Vec<_> = errors.iter().map(|e| e.attribute).collect();
        assert_eq!(attributes, ["url", "api_key", "username", "password"]);
        assert!(errors[1].detail.contains("CONTACTPRO_API_KEY"));
    }

    #[test]
    fn plain_http_only_to_loopback_unless_insecure() {
        let mut raw = full();
        raw.url = Some("http://cc.example.com/acme/RI".into());
        let errors = resolve(raw.clone(), &no_env, "ua".into()).unwrap_err();
        assert_eq!(errors[0].attribute, "url");
        assert!(errors[0].detail.contains("insecure_http"));
        raw.insecure_http = Some(true);
        assert!(resolve(raw, &no_env, "ua".into()).is_ok());
    }

    #[test]
    fn localhost_and_ipv6_loopback_count_as_loopback() {
        for url in [
            "http://localhost:8787/demo/RI",
            "http://LocalHost:8787/demo/RI",
            "http://[::1]:8787/demo/RI",
            "http://127.0.0.1:8787/demo/RI",
            "http://127.1.2.3:8787/demo/RI",
        ] {
            assert!(check_url(url, false).is_ok(), "{url} is loopback");
        }
        for url in [
            "http://localhost.example.com/demo/RI",
            "http://[::ffff:127.0.0.1]:8787/demo/RI",
            "http://10.0.0.1/demo/RI",
            "http://[::2]/demo/RI",
        ] {
            let error = check_url(url, false).expect_err(url);
            assert!(
                error.detail.contains("insecure_http"),
                "{url}: {}",
                error.detail
            );
        }
    }

    #[test]
    fn malformed_values_are_rejected() {
        for (url, needle) in [
            ("not a url", "not a URL"),
            ("ftp://x/RI", "scheme"),
            ("https://x/RI?a=b", "query"),
        ] {
            let errors = check_url(url, false).unwrap_err();
            assert!(errors.detail.contains(needle), "{url}: {}", errors.detail);
        }
        let mut raw = full();
        raw.max_retries = Some(-1);
        raw.request_timeout = Some(0);
        raw.requests_per_second = Some(0.0);
        raw.ca_cert_file = Some("/nonexistent/ca.pem".into());
        let attributes: Vec<_> = resolve(raw, &no_env, "ua".into())
            .unwrap_err()
            .iter()
            .map(|e| e.attribute)
            .collect();
        assert_eq!(
            attributes,
            [
                "max_retries",
                "request_timeout",
                "requests_per_second",
                "ca_cert_file"
            ]
        );
    }

    #[test]
    fn secrets_never_appear_in_errors() {
        let mut raw = full();
        raw.password = Some("Very-Secret-Password-42".into());
        raw.url = Some("ftp://x".into());
        for error in resolve(raw, &no_env, "ua".into()).unwrap_err() {
            assert!(!format!("{error:?}").contains("Very-Secret-Password-42"));
        }
    }

    #[test]
    fn url_with_a_lone_user_or_a_lone_password_is_refused() {
        for url in [
            "https://api.user@cc.example.com/acme/RI",
            "https://:pw-7e2@cc.example.com/acme/RI",
        ] {
            let error = check_url(url, false).expect_err(url);
            assert!(
                error.detail.contains("carries credentials"),
                "{url}: {}",
                error.detail
            );
        }
    }

    #[test]
    fn requests_per_second_above_zero_and_at_most_10000() {
        for rate in [0.5, 10_000.0] {
            assert!(check_numbers(None, None, Some(rate)).is_empty(), "{rate}");
        }
        for rate in [0.0, -1.0, 10_000.5] {
            let attributes: Vec<_> = check_numbers(None, None, Some(rate))
                .iter()
                .map(|e| e.attribute)
                .collect();
            assert_eq!(attributes, ["requests_per_second"], "{rate}");
        }
    }

    #[test]
    fn ca_cert_file_is_read_when_pem_refused_otherwise_and_empty_means_unset() {
        let dir = tempfile::tempdir().unwrap();
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let pem_path = dir.path().join("ca.pem");
        std::fs::write(&pem_path, pem).unwrap();
        let der_path = dir.path().join("ca.der");
        std::fs::write(&der_path, [0x30, 0x82, 0x01, 0x0a]).unwrap();

        let mut raw = full();
        raw.ca_cert_file = Some(pem_path.to_str().unwrap().into());
        let config = resolve(raw.clone(), &no_env, "ua".into()).expect("a PEM file");
        assert_eq!(config.ca_cert_pem.as_deref(), Some(&pem[..]));

        raw.ca_cert_file = Some(der_path.to_str().unwrap().into());
        let errors = resolve(raw.clone(), &no_env, "ua".into()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attribute, "ca_cert_file");
        assert!(
            errors[0].detail.contains("not a PEM"),
            "{}",
            errors[0].detail
        );

        raw.ca_cert_file = Some(String::new());
        let config = resolve(raw, &no_env, "ua".into()).expect("empty is unset");
        assert!(config.ca_cert_pem.is_none());
    }
}
