//! Plan-time checks that the tenant offers the endpoints a resource or attribute needs. The product
//! documentation does not describe every endpoint this provider uses (`users/{id}/authentication`,
//! `users/{id}/rights`, `secrets`), so a real tenant may lack them: say so at plan, before anything
//! is written, naming the endpoint and what to do in System Configurator instead.

use tf_provider::{AttributePath, Diagnostics};

use crate::tf::diag::api_error;
use contactpro_rci::{Endpoint, RciClient, Support};

/// What an administrator does in System Configurator when the tenant lacks `endpoint`.
pub fn instead(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Authentication => "Set the logon name, password and service-account option in System Configurator (Users > the user > Authentication) and leave `password`, `service_account`, `service_account_expires_at` unset and `login` unchanged; for a secret's value use `secret` instead of `user_credentials`.",
        Endpoint::Rights => "Grant the rights in System Configurator, preferably through a role on a user group (the product documentation recommends that over rights on a user), and remove `contactpro_user_rights` from this configuration.",
        Endpoint::Secrets => "Manage the secret in System Configurator (System Management > Secrets manager) and remove `contactpro_secret` resources and data sources from this configuration.",
        Endpoint::UserGroupMemberships => "Manage the user's groups in System Configurator and leave `user_group_ids` unset.",
        Endpoint::RoleMemberships => "Manage the user's roles in System Configurator and leave `role_ids` unset.",
        Endpoint::UserGroups | Endpoint::Queues | Endpoint::QueueGroups => "Look the id up in System Configurator and pass it as a literal instead of using this data source.",
        Endpoint::Users | Endpoint::UserById => "Check that `url` (CONTACTPRO_URL) names the tenant's RI and that the API user may view users.",
    }
}

/// `Some(())` when the tenant offers `endpoint` or it cannot be told (no user visible to try it
/// on: the call itself will say more); otherwise an error on `path` and `None`.
pub async fn require_endpoint(
    client: &RciClient,
    diags: &mut Diagnostics,
    resource: &str,
    needed_by: &str,
    endpoint: Endpoint,
    path: AttributePath,
) -> Option<()> {
    match client.endpoint_support(endpoint).await {
        Ok(Support::Offered) | Ok(Support::Unknown { .. }) => Some(()),
        Ok(Support::Missing { status }) => {
            diags.error(
                format!(
                    "{resource}: {needed_by} needs the RCI endpoint `{}`, which this tenant does not offer",
                    endpoint.path()
                ),
                format!(
                    "The tenant answered HTTP {status} there (the product documentation does not describe this endpoint). {} Nothing was created or changed. `terraform-provider-contactpro probe` lists what this tenant offers.",
                    instead(endpoint)
                ),
                path,
            );
            None
        }
        Err(e) => {
            api_error(
                diags,
                resource,
                &format!("checking that the tenant offers `{}`", endpoint.path()),
                &e,
                &[],
            );
            None
        }
    }
}
