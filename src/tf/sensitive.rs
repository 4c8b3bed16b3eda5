//! `Sensitive<T>`: a state or configuration field that holds a password, key or secret value.
//! It serializes as `T` (state and wire formats are unchanged) and dereferences to `T`, but its
//! `Debug` never shows the value, so a `{:?}` of a whole state in a log or panic cannot leak it.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};

#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T>(pub T);

impl<T> Deref for Sensitive<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Sensitive<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::Sensitive;
    use tf_provider::value::Value;

    #[test]
    fn debug_hides_the_value_and_serde_keeps_it() {
        let value: Sensitive<Value<String>> = Value::Value("pw-6c1d".to_string()).into();
        assert_eq!(format!("{value:?}"), "<redacted>");
        let json = serde_json::to_string(&value).unwrap();
        let plain = serde_json::to_string(&Value::Value("pw-6c1d".to_string())).unwrap();
        assert_eq!(json, plain);
    }

    /// Every state and client request type that holds a password or secret value.
    #[test]
    fn no_state_or_request_debug_shows_a_secret() {
        use crate::resources::secret::SecretState;
        use crate::resources::user::UserState;
        use contactpro_rci::{AuthenticationInput, SecretInput, SecretString};

        let known = |v: &str| Sensitive(Value::Value(v.to_string()));
        let user = UserState {
            login: Value::Value("dbg.user".into()),
            password: known("user-pw-1f3a"),
            password_wo: known("user-pw-wo-2b4c"),
            ..Default::default()
        };
        let secret = SecretState {
            name: Value::Value("dbg-secret".into()),
            secret: known("secret-value-3d5e"),
            secret_wo: known("secret-value-wo-4f6a"),
            ..Default::default()
        };
        let auth = AuthenticationInput {
            login: "dbg.user".into(),
            password: Some(SecretString::new("user-pw-1f3a")),
            ..Default::default()
        };
        let input = SecretInput {
            name: "dbg-secret".into(),
            secret: Some(SecretString::new("secret-value-3d5e")),
            ..Default::default()
        };
        let text = format!("{user:?} {secret:?} {auth:?} {input:?} {user:#?}");
        // The other fields are still shown: the test formats what it thinks it does.
        assert!(
            text.contains("dbg.user") && text.contains("dbg-secret"),
            "{text}"
        );
        for value in [
            "user-pw-1f3a",
            "user-pw-wo-2b4c",
            "secret-value-3d5e",
            "secret-value-wo-4f6a",
        ] {
            assert!(!text.contains(value), "{value} in {text}");
        }
    }
}
