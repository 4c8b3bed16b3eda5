//! `contactpro_password`: a password that meets the tenant's password policy, made for one
//! Terraform run and never stored, to feed write-only arguments (`contactpro_user.password_wo`,
//! `contactpro_secret.secret_wo`). Terraform opens it anew in every plan and every apply; the
//! `_wo_version` of the arguments it feeds decides when a value is written. It makes no API call
//! (the RCI has no password-policy endpoint: the policy is `contactpro_rules`'), so it needs no
//! configured provider.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::plugin_server::ephemeral::{EphemeralResource, Opened};
use crate::resources::password_generator::{generate_with_length, GENERATED_LENGTH};
use crate::tf::diag::attribute_error;
use crate::tf::schema::{block, computed, optional_computed, schema, sensitive, string};
use contactpro_rules::{MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH};

const TYPE: &str = "contactpro_password";

pub struct PasswordEphemeralResource;

#[derive(Deserialize)]
pub struct PasswordConfig {
    /// A Terraform number: fractions arrive too, and are refused by name.
    #[serde(default)]
    length: Value<f64>,
}

#[derive(Serialize)]
pub struct PasswordResult {
    length: Value<i64>,
    result: Value<String>,
}

/// The length to generate: `Ok(None)` while it is unknown; the error says what to set.
fn checked_length(length: &Value<f64>) -> Result<Option<usize>, String> {
    let fix = format!("Set `length` to a whole number from {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH}, or leave it unset for {GENERATED_LENGTH}.");
    let n = match length {
        Value::Unknown => return Ok(None),
        Value::Null => return Ok(Some(GENERATED_LENGTH)),
        Value::Value(n) => *n,
    };
    if !n.is_finite() || n.fract() != 0.0 {
        Err(format!(
            "`length` is {n}, which is not a whole number. {fix}"
        ))
    } else if n < MIN_PASSWORD_LENGTH as f64 {
        Err(format!("`length` is {n}, but the tenant's password policy asks for at least {MIN_PASSWORD_LENGTH} characters. {fix}"))
    } else if n > MAX_PASSWORD_LENGTH as f64 {
        Err(format!("`length` is {n}, but Contact Pro accepts passwords of at most {MAX_PASSWORD_LENGTH} characters. {fix}"))
    } else {
        Ok(Some(n as usize))
    }
}

fn length_error(diags: &mut Diagnostics, detail: String) {
    attribute_error(diags, TYPE, AttributePath::new("length"), "length", detail);
}

#[async_trait]
impl EphemeralResource for PasswordEphemeralResource {
    type Config = PasswordConfig;
    type Result = PasswordResult;

    fn schema(&self) -> Schema {
        schema(block(
            "Generates a password that meets the tenant's password policy, for the current Terraform run only: Terraform opens it anew in every plan and every apply and never stores it in plan or state. Feed it to write-only arguments (`contactpro_user.password_wo`, `contactpro_secret.secret_wo`), whose `_wo_version` decides when a value is written: on create and when the version changes. Needs Terraform 1.10 or newer (write-only arguments: 1.11). Makes no API call.",
            vec![
                ("length", optional_computed(AttributeType::Number, &format!("Number of characters, a whole number from {MIN_PASSWORD_LENGTH} (the tenant's password policy) to {MAX_PASSWORD_LENGTH}. Default {GENERATED_LENGTH}. Checked at plan."))),
                ("result", sensitive(computed(string(), "The generated password: `length` printable ASCII characters with upper- and lower-case letters, digits and symbols; no letters outside the Latin alphabet, none of `¤ £ € ½ §`, and no quotes, backslash or space. A new value in every plan and apply, so write it only through a write-only argument and its `_wo_version`."))),
            ],
        ))
    }

    async fn validate(&self, diags: &mut Diagnostics, config: PasswordConfig) {
        if let Err(e) = checked_length(&config.length) {
            length_error(diags, e);
        }
    }

    async fn open(
        &self,
        diags: &mut Diagnostics,
        config: PasswordConfig,
    ) -> Option<Opened<PasswordResult>> {
        let result = match checked_length(&config.length) {
            Err(e) => {
                length_error(diags, e);
                return None;
            }
            Ok(None) => PasswordResult {
                length: Value::Unknown,
                result: Value::Unknown,
            },
            Ok(Some(length)) => PasswordResult {
                length: Value::Value(length as i64),
                result: Value::Value(generate_with_length(length)),
            },
        };
        Some(Opened {
            result,
            renew_at: None,
            private: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(checked_length(&Value::Null), Ok(Some(GENERATED_LENGTH)));
        assert_eq!(checked_length(&Value::Unknown), Ok(None));
        assert_eq!(checked_length(&Value::Value(16.0)), Ok(Some(16)));
        assert_eq!(checked_length(&Value::Value(256.0)), Ok(Some(256)));
        let short = checked_length(&Value::Value(8.0)).unwrap_err();
        assert!(short.starts_with("`length` is 8, ") && short.contains("at least 16"));
        assert!(short.contains("from 16 to 256"), "{short}");
        assert!(checked_length(&Value::Value(257.0))
            .unwrap_err()
            .contains("at most 256"));
        assert!(checked_length(&Value::Value(20.5))
            .unwrap_err()
            .contains("not a whole number"));
    }
}
