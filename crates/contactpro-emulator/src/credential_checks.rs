//! Test-only checks of stored credentials that never return them: whether a basic secret's
//! credentials log in as its user, and a keyed fingerprint to tell one stored password from the
//! next after a rotation. Served to the tenant's admin only (`auth::require_admin`).

use std::sync::OnceLock;

use ring::hmac;
use ring::rand::SystemRandom;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use super::error::{ApiError, ApiResult};
use super::secret_eq::{secret_eq, stored_eq};

/// First 16 bytes of SHA-256, hex: what a test computes for a password it chose itself.
pub fn fingerprint(value: &str) -> String {
    hex16(ring::digest::digest(&ring::digest::SHA256, value.as_bytes()).as_ref())
}

/// First 16 bytes of HMAC-SHA-256 under a key drawn at start, hex: tells one stored value from
/// the next within a run, but an unsalted hash would let anyone who sees it test guesses offline.
pub fn keyed_fingerprint(value: &str) -> String {
    static KEY: OnceLock<hmac::Key> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())
            .expect("the system random source works")
    });
    hex16(hmac::sign(key, value.as_bytes()).as_ref())
}

fn hex16(bytes: &[u8]) -> String {
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
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
            stored_eq(user_password(conn, tenant, login)?.as_deref(), secret)
        }
        _ => false,
    };
    Ok(json!({
        "authenticates": authenticates,
        "login": login,
        "fingerprint": secret.as_deref().map(keyed_fingerprint),
    }))
}

/// Whether the user's current password has the given fingerprint: the keyed one that
/// `check_credentials` returned, or the SHA-256 one of a password the (admin) caller knows.
pub fn password_matches(
    conn: &Connection,
    tenant: &str,
    login: &str,
    expected: &str,
) -> ApiResult<bool> {
    let Some(password) = user_password(conn, tenant, login)? else {
        return Ok(false);
    };
    let keyed = secret_eq(keyed_fingerprint(&password).as_bytes(), expected.as_bytes());
    let plain = secret_eq(fingerprint(&password).as_bytes(), expected.as_bytes());
    Ok(keyed | plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_and_are_stable() {
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
        assert_eq!(fingerprint("a").len(), 32);
        assert_eq!(keyed_fingerprint("a"), keyed_fingerprint("a"));
        assert_ne!(keyed_fingerprint("a"), keyed_fingerprint("b"));
        assert_eq!(keyed_fingerprint("a").len(), 32);
    }

    /// The keyed fingerprint is not the plain hash of the value, so it cannot confirm a guess.
    #[test]
    fn the_keyed_fingerprint_is_not_the_unsalted_hash() {
        let sha =
            |v: &str| hex16(ring::digest::digest(&ring::digest::SHA256, v.as_bytes()).as_ref());
        assert_ne!(
            keyed_fingerprint("Guessable-Password-1"),
            sha("Guessable-Password-1")
        );
    }

    #[test]
    fn fingerprint_is_the_sha256_prefix() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1: its first 16 bytes.
        assert_eq!(fingerprint("abc"), "ba7816bf8f01cfea414140de5dae2223");
        assert_ne!(fingerprint("abc"), fingerprint("abd"));
    }
}
