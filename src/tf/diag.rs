//! Turns client errors into diagnostics that name the resource, the attribute and the fix.

use tf_provider::{AttributePath, Diagnostics};

use crate::tf::tenant_support::instead;
use contactpro_rci::{ClientError, Endpoint, RciClient};

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
        // State is kept: the object is not gone, the tenant lacks the endpoint.
        ClientError::Unsupported { endpoint, .. } => Endpoint::ALL
            .into_iter()
            .find(|e| e.path() == *endpoint)
            .map(instead)
            .unwrap_or(""),
        ClientError::Conflict { .. } => {
            " An object with the same unique key already exists in the tenant: pick another value, or bring the existing object under Terraform with `terraform import`."
        }
        // A whole list missing means the address is wrong (e.g. an unknown tenant), not an id.
        ClientError::NotFound { what, .. } if what.ends_with(" list") => {
            " The API has no such list at this address: check that `url` (CONTACTPRO_URL) names the tenant's RI, for example https://HOST/TENANT/ecfs/RI."
        }
        ClientError::CreateUnresolved { .. } => {
            " Run `terraform apply` again once the API answers: the object is looked up by its unique key first, so it is not created twice."
        }
        ClientError::NotFound { .. } => {
            " Check the id, and that `url` (CONTACTPRO_URL) names the right tenant; if the object was deleted outside Terraform, run `terraform apply` again to re-create it."
        }
        _ => "",
    };
    let separator = if hint.is_empty() || hint.starts_with(' ') {
        ""
    } else {
        " "
    };
    diags.error(
        format!("{resource}: {action} failed"),
        format!("{error}.{separator}{hint}"),
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

/// Which list proves the address right before a read drops an object from state.
#[derive(Clone, Copy)]
pub enum Collection {
    Users,
    Secrets,
}

/// A 404 for one object can also mean that `url` names no tenant, and then every object would
/// look deleted and be planned again. Before a read drops an object, its list must answer; a list
/// that is missing too is an error on `url` instead. One request, and only on this rare path.
pub async fn confirm_gone(
    client: &RciClient,
    diags: &mut Diagnostics,
    resource: &str,
    collection: Collection,
    id: &str,
) -> Option<()> {
    let listed = match collection {
        Collection::Users => client.list_users(&[("externalId", id)]).await.map(drop),
        Collection::Secrets => client.list_secrets(Some(id)).await.map(drop),
    };
    match listed {
        Ok(()) => Some(()),
        Err(e) => {
            api_error(diags, resource, "checking that the object is gone", &e, &[]);
            None
        }
    }
}
