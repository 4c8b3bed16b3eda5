//! What a planned `contactpro_user` change needs from the tenant, checked at plan time so that a
//! tenant lacking an endpoint, or a change Contact Pro refuses, fails before anything is written.

use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::user::{UserState, RESOURCE};
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::known;
use contactpro_rci::{Endpoint, RciClient};

/// The login changes in this plan (both values known and different).
pub fn login_changes(planned: &UserState, prior: Option<&UserState>) -> bool {
    match (prior.and_then(|p| known(&p.login)), known(&planned.login)) {
        (Some(before), Some(after)) => before != after,
        _ => false,
    }
}

fn configured<T>(value: &Value<T>) -> bool {
    !matches!(value, Value::Null | Value::Unknown)
}

/// `password` changes, or `password_wo` is written (in a plan, `planned.password_wo` holds the
/// configured value while the checks run).
fn password_changes(planned: &UserState, prior: Option<&UserState>) -> bool {
    (!matches!(*planned.password, Value::Null)
        && prior.is_none_or(|p| p.password != planned.password))
        || planned.writes_password_wo(prior)
}

/// Contact Pro: "If you later change the logon name, you must also change the password".
pub fn check_login_change(diags: &mut Diagnostics, planned: &UserState, prior: Option<&UserState>) {
    if login_changes(planned, prior) && !password_changes(planned, prior) {
        diags.error(
            format!("{RESOURCE}: changing `login` needs a new `password` in the same change"),
            "Contact Pro requires the password to be set again whenever the logon name changes. Set a new `password` together with the new `login` (with `password_wo`, change `password_wo_version`), or replace the user (`terraform apply -replace=<address>`). If the password comes from a `contactpro_secret` with `user_credentials`, replace that secret in the same apply too.",
            AttributePath::new("login"),
        );
    }
}

/// Every endpoint the planned writes will use must be offered by the tenant. Only attributes that
/// this plan writes are checked, so a tenant that lacks an endpoint can still hold users whose
/// other attributes Terraform manages.
pub async fn check_tenant_offers(
    client: &RciClient,
    diags: &mut Diagnostics,
    planned: &UserState,
    prior: Option<&UserState>,
) -> Option<()> {
    let changed =
        |same: fn(&UserState, &UserState) -> bool| prior.is_none_or(|p| !same(p, planned));
    let mut needs: Vec<(&str, Endpoint, &str)> = Vec::new();
    if password_changes(planned, prior) {
        if planned.writes_password_wo(prior) {
            needs.push(("`password_wo`", Endpoint::Authentication, "password_wo"));
        } else {
            needs.push(("`password`", Endpoint::Authentication, "password"));
        }
    }
    if matches!(planned.service_account, Value::Value(true))
        && changed(|a, b| a.service_account == b.service_account)
    {
        let attribute = "service_account";
        needs.push(("`service_account`", Endpoint::Authentication, attribute));
    }
    if configured(&planned.service_account_expires_at)
        && changed(|a, b| a.service_account_expires_at == b.service_account_expires_at)
    {
        let attribute = "service_account_expires_at";
        needs.push((
            "`service_account_expires_at`",
            Endpoint::Authentication,
            attribute,
        ));
    }
    if login_changes(planned, prior) {
        needs.push(("changing `login`", Endpoint::Authentication, "login"));
    }
    if configured(&planned.user_group_ids) && changed(|a, b| a.user_group_ids == b.user_group_ids) {
        let attribute = "user_group_ids";
        needs.push((
            "`user_group_ids`",
            Endpoint::UserGroupMemberships,
            attribute,
        ));
    }
    if configured(&planned.role_ids) && changed(|a, b| a.role_ids == b.role_ids) {
        needs.push(("`role_ids`", Endpoint::RoleMemberships, "role_ids"));
    }
    for (needed_by, endpoint, attribute) in needs {
        require_endpoint(
            client,
            diags,
            RESOURCE,
            needed_by,
            endpoint,
            AttributePath::new(attribute),
        )
        .await?;
    }
    Some(())
}
