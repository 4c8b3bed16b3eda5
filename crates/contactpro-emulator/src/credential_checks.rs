//! Test-only checks of stored credentials that never return them: whether a basic secret's
//! credentials log in as its user, and a fingerprint (SHA-256 prefix) to tell one stored password
//! from the next after a rotation.

use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use super::error::{ApiError, ApiResult};

/// First 16 bytes of SHA-256, hex: enough to tell values apart, useless to recover a random one.
pub fn fingerprint(value: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, value.as_bytes())
        .as_ref()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn user_password(conn: &Connection, tenant: &str, login: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT password FROM users WHERE tenant = ?1 AND login_norm = ?2",
            [tenant, &login.to_lowercase()],
            |row| row.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// `{"authenticates", "login", "fingerprint"}` for the basic secret `name`.
pub fn check_credentials(conn: &Connection, tenant: &str, name: &str) -> ApiResult<Value> {
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT type, authentication_id, secret FROM secrets WHERE tenant = ?1 AND name = ?2",
            [tenant, name],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let (kind, login, secret) =
        row.ok_or_else(|| ApiError::not_found("secret").with_field("name"))?;
    let authenticates = match (kind.as_str(), &login, &secret) {
        ("basic", Some(login), Some(secret)) => {
            user_password(conn, tenant, login)?.as_deref() == Some(secret.as_str())
        }
        _ => false,
    };
    Ok(json!({
        "authenticates": authenticates,
        "login": login,
        "fingerprint": secret.as_deref().map(fingerprint),
    }))
}

/// Whether the user's current password has the given fingerprint.
pub fn password_matches(
    conn: &Connection,
    tenant: &str,
    login: &str,
    expected: &str,
) -> ApiResult<bool> {
    Ok(user_password(conn, tenant, login)?.is_some_and(|p| fingerprint(&p) == expected))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprint_is_the_sha256_prefix() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1: its first 16 bytes.
        assert_eq!(
            super::fingerprint("abc"),
            "ba7816bf8f01cfea414140de5dae2223"
        );
        assert_ne!(super::fingerprint("abc"), super::fingerprint("abd"));
    }
}
