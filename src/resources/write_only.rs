//! Write-only arguments (`password_wo`, `secret_wo`; Terraform >= 1.11): the value comes from the
//! configuration at apply, is written on create and whenever its `_wo_version` changes, and is
//! null in every plan and state (the plugin server nulls it too, see `plugin_server::convert`).

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::plugin_server::ClientCapabilities;
use crate::tf::diag::attribute_error;
use crate::tf::values::TfString;

/// One write-only argument with its version and the classic attribute it replaces.
pub struct WriteOnlyArgument {
    pub resource: &'static str,
    pub attribute: &'static str,
    pub version: &'static str,
    pub classic: &'static str,
}

fn set<T>(value: &Value<T>) -> bool {
    !matches!(value, Value::Null)
}

impl WriteOnlyArgument {
    /// Validation without API calls: the argument and its version go together, and it excludes
    /// the classic attribute. Errors name both attributes and never the value.
    pub fn validate(
        &self,
        diags: &mut Diagnostics,
        value: &TfString,
        version: &TfString,
        classic: &TfString,
    ) {
        let Self {
            resource,
            attribute,
            version: version_name,
            classic: classic_name,
        } = self;
        if set(value) && set(classic) {
            attribute_error(
                diags,
                resource,
                AttributePath::new(*attribute),
                attribute,
                format!("Set either `{classic_name}` or `{attribute}`, not both: `{attribute}` is the write-only form of `{classic_name}`, kept out of plan and state."),
            );
        }
        if set(value) && !set(version) {
            attribute_error(
                diags,
                resource,
                AttributePath::new(*version_name),
                version_name,
                format!("`{attribute}` needs `{version_name}`: Terraform does not store a write-only value, so the provider writes it on create and then only when `{version_name}` changes. Set it to any string or number, for example 1, and change it whenever the value changes."),
            );
        }
        if !set(value) && set(version) {
            attribute_error(
                diags,
                resource,
                AttributePath::new(*version_name),
                version_name,
                format!("`{version_name}` is set without `{attribute}`: remove it, or set `{attribute}`."),
            );
        }
    }

    /// Plan-time: a Terraform that does not announce write-only support would keep the value in
    /// plan and state, so using the argument there is an error.
    pub fn require_support(
        &self,
        diags: &mut Diagnostics,
        capabilities: &ClientCapabilities,
        value: &TfString,
    ) -> Option<()> {
        if !set(value) || capabilities.write_only_attributes_allowed() {
            return Some(());
        }
        let Self {
            resource,
            attribute,
            classic,
            ..
        } = self;
        diags.error(
            format!("{resource}: `{attribute}` needs Terraform 1.11 or newer"),
            format!("`{attribute}` is a write-only argument, and this Terraform does not support write-only arguments (they came with Terraform 1.11), so it would store the value in plan and state. Upgrade Terraform to 1.11 or newer, or use `{classic}` instead (stored in state as a sensitive value). Nothing was planned."),
            AttributePath::new(*attribute),
        );
        None
    }

    /// Whether apply writes the value: on create, and on update when the version changed.
    pub fn writes(value: &TfString, version: &TfString, prior_version: Option<&TfString>) -> bool {
        set(value) && prior_version.is_none_or(|prior| prior != version)
    }
}

#[cfg(test)]
mod tests {
    use super::WriteOnlyArgument;
    use crate::plugin_server::ClientCapabilities;
    use tf_provider::value::Value;
    use tf_provider::Diagnostics;

    #[test]
    fn written_on_create_and_when_the_version_changes() {
        let value = Value::Value("v".to_string());
        let one = Value::Value("1".to_string());
        let two = Value::Value("2".to_string());
        assert!(WriteOnlyArgument::writes(&value, &one, None), "create");
        assert!(!WriteOnlyArgument::writes(&value, &one, Some(&one)));
        assert!(WriteOnlyArgument::writes(&value, &two, Some(&one)));
        assert!(WriteOnlyArgument::writes(&value, &one, Some(&Value::Null)));
        assert!(!WriteOnlyArgument::writes(&Value::Null, &two, Some(&one)));
        assert!(WriteOnlyArgument::writes(&Value::Unknown, &one, None));
    }

    const PASSWORD_WO: WriteOnlyArgument = WriteOnlyArgument {
        resource: "contactpro_user",
        attribute: "password_wo",
        version: "password_wo_version",
        classic: "password",
    };

    fn string(value: &str) -> Value<String> {
        Value::Value(value.to_string())
    }

    /// The attribute each error names (its summary), in order.
    fn validated(
        value: Value<String>,
        version: Value<String>,
        classic: Value<String>,
    ) -> Vec<String> {
        let mut diags = Diagnostics::default();
        PASSWORD_WO.validate(&mut diags, &value, &version, &classic);
        diags
            .errors
            .into_iter()
            .map(|e| e.summary.into_owned())
            .collect()
    }

    #[test]
    fn the_argument_needs_its_version_and_excludes_the_classic_attribute() {
        assert!(validated(string("pw"), string("1"), Value::Null).is_empty());
        assert!(validated(Value::Null, Value::Null, string("pw")).is_empty());
        assert!(validated(Value::Null, Value::Null, Value::Null).is_empty());
        assert_eq!(
            validated(string("pw"), string("1"), string("pw")),
            ["contactpro_user: invalid `password_wo`"]
        );
        assert_eq!(
            validated(string("pw"), Value::Null, Value::Null),
            ["contactpro_user: invalid `password_wo_version`"]
        );
        assert_eq!(
            validated(Value::Null, string("1"), Value::Null),
            ["contactpro_user: invalid `password_wo_version`"]
        );
    }

    #[test]
    fn the_argument_is_refused_at_plan_only_when_terraform_did_not_announce_support() {
        let old = ClientCapabilities::default();
        let new = ClientCapabilities::allowing_write_only();
        let mut diags = Diagnostics::default();
        assert_eq!(
            PASSWORD_WO.require_support(&mut diags, &old, &Value::Null),
            Some(())
        );
        assert_eq!(
            PASSWORD_WO.require_support(&mut diags, &new, &string("pw")),
            Some(())
        );
        assert!(diags.errors.is_empty());
        assert_eq!(
            PASSWORD_WO.require_support(&mut diags, &old, &string("pw")),
            None
        );
        let summaries: Vec<_> = diags.errors.iter().map(|e| e.summary.as_ref()).collect();
        assert_eq!(
            summaries,
            ["contactpro_user: `password_wo` needs Terraform 1.11 or newer"]
        );
    }
}
