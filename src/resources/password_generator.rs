//! Generates passwords that satisfy the tenant's policy, for provider-managed credentials.

use rand::rngs::OsRng;
use rand::Rng;

use contactpro_rules as policy;

/// Printable ASCII without quotes, backslash and space, so the value survives any config format.
const ALPHABET: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&()*+,-./:;<=>?@[]^_{|}~";

pub const GENERATED_LENGTH: usize = 40;

pub fn generate() -> String {
    loop {
        let candidate: String = (0..GENERATED_LENGTH)
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
}
