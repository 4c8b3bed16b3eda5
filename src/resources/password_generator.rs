//! Generates passwords that satisfy the tenant's policy: for provider-managed credentials
//! (`contactpro_secret.user_credentials`) and for the `contactpro_password` ephemeral resource.

use rand::rngs::OsRng;
use rand::Rng;

use contactpro_rules as policy;

/// Printable ASCII without quotes, backslash and space, so the value survives any config format.
const ALPHABET: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&()*+,-./:;<=>?@[]^_{|}~";

/// The length of `user_credentials` passwords, and `contactpro_password`'s default.
pub const GENERATED_LENGTH: usize = 40;

pub fn generate() -> String {
    generate_with_length(GENERATED_LENGTH)
}

/// A password of `length` characters, which must lie within the policy's bounds
/// (`MIN_PASSWORD_LENGTH` to `MAX_PASSWORD_LENGTH`): callers validate it first.
pub fn generate_with_length(length: usize) -> String {
    assert!(
        (policy::MIN_PASSWORD_LENGTH..=policy::MAX_PASSWORD_LENGTH).contains(&length),
        "password length {length} outside the policy's bounds"
    );
    loop {
        let candidate: String = (0..length)
            .map(|_| ALPHABET[OsRng.gen_range(0..ALPHABET.len())] as char)
            .collect();
        // Mixed classes make it acceptable to stricter custom policies too.
        let classes = [
            candidate.chars().any(|c| c.is_ascii_uppercase()),
            candidate.chars().any(|c| c.is_ascii_lowercase()),
            candidate.chars().any(|c| c.is_ascii_digit()),
            candidate.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        if classes.iter().all(|&present| present) && policy::check_password(&candidate).is_ok() {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_meet_the_policy_and_differ() {
        let first = generate();
        let second = generate();
        assert_eq!(first.len(), GENERATED_LENGTH);
        assert!(policy::check_password(&first).is_ok());
        assert_ne!(first, second);
    }

    #[test]
    fn every_length_the_policy_allows() {
        for length in [
            policy::MIN_PASSWORD_LENGTH,
            17,
            99,
            policy::MAX_PASSWORD_LENGTH,
        ] {
            let password = generate_with_length(length);
            assert_eq!(password.chars().count(), length);
            assert!(policy::check_password(&password).is_ok());
            assert!(password.bytes().all(|b| ALPHABET.contains(&b)));
        }
    }
}
