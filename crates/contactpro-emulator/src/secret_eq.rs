//! Constant-time comparison of passwords, API keys, secrets and fingerprints, so response timing
//! tells an attacker nothing about how much of a guess was right.

use subtle::ConstantTimeEq;

/// Both sides are hashed first: the comparison then runs over 32 bytes whatever the lengths,
/// so neither the position of the first difference nor a length mismatch shows in the timing.
pub fn secret_eq(a: &[u8], b: &[u8]) -> bool {
    let a = ring::digest::digest(&ring::digest::SHA256, a);
    let b = ring::digest::digest(&ring::digest::SHA256, b);
    a.as_ref().ct_eq(b.as_ref()).into()
}

/// `secret_eq` for an optional stored value: `None` never matches.
pub fn stored_eq(stored: Option<&str>, candidate: &str) -> bool {
    // Compare even when nothing is stored, so "no password" and "wrong password" take as long.
    let equal = secret_eq(stored.unwrap_or_default().as_bytes(), candidate.as_bytes());
    stored.is_some() && equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_equal() {
        assert!(secret_eq(b"pw-1", b"pw-1"));
        assert!(!secret_eq(b"pw-1", b"pw-2"));
        assert!(!secret_eq(b"pw-1", b"pw-10"));
        assert!(!secret_eq(b"", b"x"));
        assert!(stored_eq(Some("a"), "a"));
        assert!(!stored_eq(None, ""));
    }
}
