//! Turns client errors into diagnostics that name the resource, the attribute and the fix.

use tf_provider::{AttributePath, Diagnostics};

use crate::client::ClientError;

/// Maps an API field name (camelCase) to the resource's attribute, when the resource has one.
pub type FieldMap = &'static [(&'static str, &'static str)];

pub fn attribute_for(field: Option<&str>, fields: FieldMap) -> AttributePath {
    field
        .and_then(|f| fields.iter().find(|(api, _)| *api == f))
        .map(|(_, attribute)| AttributePath::new(*attribute))
        .unwrap_or_else(AttributePath::root)
}

/// Adds an error for a failed API call made on behalf of `resource` while doing `action`.
pub fn api_error(
    diags: &mut Diagnostics,
    resource: &str,
    action: &str,
    error: &ClientError,
    fields: FieldMap,
) {
    let path = attribute_for(error.field(), fields);
    let hint = match error {
        ClientError::Conflict { .. } => {
            " An object with the same unique key already exists in the tenant: pick another value, or bring the existing object under Terraform with `terraform import`."
        }
        ClientError::CreateUnresolved { .. } => {
            " Run `terraform apply` again once the API answers: the object is looked up by its unique key first, so it is not created twice."
        }
        ClientError::NotFound { .. } => {
            " Check the id; if the object was deleted outside Terraform, run `terraform apply` again to re-create it."
        }
        _ => "",
    };
    diags.error(
        format!("{resource}: {action} failed"),
        format!("{error}.{hint}"),
        path,
    );
}

/// An error on one attribute, with a summary that names the resource and the attribute.
pub fn attribute_error(
    diags: &mut Diagnostics,
    resource: &str,
    path: AttributePath,
    attribute: &str,
    detail: impl Into<String>,
) {
    diags.error(
        format!("{resource}: invalid `{attribute}`"),
        detail.into(),
        path,
    );
}
