//! What listening on an address exposes: a warning for a non-loopback listener, and for a loopback
//! one a guard that refuses requests not addressed to a loopback name (DNS rebinding: a web page
//! whose name resolves to 127.0.0.1 must not reach the admin API from a browser).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// The warning to print when `addr` is reachable from other machines; `None` on loopback.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    if addr.ip().is_loopback() {
        return None;
    }
    Some(format!(
        "listening on {addr}, which is not a loopback address: anyone who can reach it gets the \
         tenants' admin API (the RCI, with the API keys and admin passwords of the configuration) \
         and the /_emulator endpoints (check and set credentials, stats); the emulator is a test \
         tool, listen on 127.0.0.1 unless this is meant"
    ))
}

/// `localhost`, an address in 127.0.0.0/8 or `[::1]`, each with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if !(after.is_empty() || is_port(after)) {
            return false;
        }
        return inside.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(&format!(":{port}")) => name,
            Some(_) => return false,
            None => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<Ipv4Addr>()
            .is_ok_and(|ip| IpAddr::V4(ip).is_loopback())
}

fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Middleware for a loopback listener: `421` unless the request names a loopback host.
pub async fn loopback_host_only(req: Request, next: Next) -> Response {
    // HTTP/1.1 sends `Host`; HTTP/2 the URI's authority.
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    match host {
        Some(host) if is_loopback_host(&host) => next.run(req).await,
        _ => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "this emulator listens on a loopback address and answers only requests addressed to \
             localhost, 127.0.0.0/8 or [::1] (the Host header); a guard against DNS rebinding. \
             Use http://127.0.0.1:PORT, or listen on another address (--listen)",
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_with_or_without_port() {
        for host in [
            "localhost",
            "LOCALHOST:8787",
            "127.0.0.1",
            "127.0.0.1:8787",
            "127.9.8.7:1",
            "[::1]",
            "[::1]:8787",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:8787",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "128.0.0.1",
            "0.0.0.0:8787",
            "[::2]:8787",
            "[::1]x",
            "::1",
            "localhost:",
            "localhost:80:80",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn only_a_non_loopback_listener_is_warned_about() {
        assert!(exposure_warning("127.0.0.1:8787".parse().unwrap()).is_none());
        assert!(exposure_warning("[::1]:8787".parse().unwrap()).is_none());
        for addr in ["0.0.0.0:8787", "192.168.1.5:8787", "[::]:8787"] {
            let warning = exposure_warning(addr.parse().unwrap()).expect(addr);
            assert!(
                warning.contains("admin API") && warning.contains("/_emulator"),
                "{warning}"
            );
        }
    }
}
