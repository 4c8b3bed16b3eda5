//! `contactpro_user` (data source): a user by login.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::lookup::exactly_one_ignoring_case;
use crate::tf::client_handle::ClientHandle;
use crate::tf::diag::api_error;
use crate::tf::schema::{block, computed, required, schema, string, string_set};
use crate::tf::values::{from_api, known, set_of, TfSet, TfString};
use contactpro_rci::{Endpoint, Membership, RciClient, Support, User};

const NAME: &str = "contactpro_user";

#[derive(Serialize, Deserialize, Default)]
pub struct UserLookup {
    #[serde(default)]
    pub login: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub first_name: TfString,
    #[serde(default)]
    pub last_name: TfString,
    #[serde(default)]
    pub email: TfString,
    #[serde(default)]
    pub external_id: TfString,
    #[serde(default)]
    pub user_group_ids: TfSet,
    #[serde(default)]
    pub role_ids: TfSet,
    #[serde(default)]
    pub service_account: Value<bool>,
    #[serde(default)]
    pub service_account_expires_at: TfString,
    #[serde(default)]
    pub password_expires_at: TfString,
}

/// The user's memberships of one kind; null when the tenant does not offer the list.
async fn memberships(
    client: &RciClient,
    diags: &mut Diagnostics,
    user: &User,
    kind: Membership,
) -> Option<TfSet> {
    let carried = match kind {
        Membership::UserGroups => user.user_group_ids.clone(),
        Membership::Roles => user.role_ids.clone(),
    };
    if let Some(ids) = carried {
        return Some(set_of(ids));
    }
    match client.list_memberships(&user.id, kind).await {
        Ok(items) => Some(set_of(items.into_iter().map(|m| m.id))),
        Err(e) if e.is_unsupported() => Some(Value::Null),
        Err(e) => {
            let what = match kind {
                Membership::UserGroups => "reading the user's groups",
                Membership::Roles => "reading the user's roles",
            };
            api_error(diags, NAME, what, &e, &[]);
            None
        }
    }
}

/// (service account, its expiration, password expiration). A tenant without the undocumented
/// `users/{id}/authentication` endpoint gives nulls for the first two, not an error.
async fn authentication(
    client: &RciClient,
    diags: &mut Diagnostics,
    user: &User,
) -> Option<(Value<bool>, TfString, TfString)> {
    if let Some(service_account) = user.service_account {
        return Some((
            Value::Value(service_account),
            from_api(user.service_account_expiration.clone()),
            from_api(user.password_expiration.clone()),
        ));
    }
    let listed_expiration = from_api(user.password_expiration.clone());
    if let Ok(Support::Missing { .. }) = client.endpoint_support(Endpoint::Authentication).await {
        return Some((Value::Null, Value::Null, listed_expiration));
    }
    match client.get_authentication(&user.id).await {
        Ok(a) => Some((
            Value::Value(a.service_account),
            from_api(a.service_account_expiration),
            from_api(a.password_expiration.or(user.password_expiration.clone())),
        )),
        Err(e) if e.is_unsupported() => Some((Value::Null, Value::Null, listed_expiration)),
        Err(e) => {
            api_error(diags, NAME, "reading the user's authentication", &e, &[]);
            None
        }
    }
}

pub struct UserDataSource {
    client: ClientHandle,
}

impl UserDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for UserDataSource {
    type State<'a> = UserLookup;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a user by login (case-insensitive, as logins are unique regardless of case).",
            vec![
                ("login", required(string(), "Login of the user, matched ignoring case; the state holds the login as the tenant stores it.")),
                ("id", computed(string(), "Id of the user.")),
                ("first_name", computed(string(), "First name.")),
                ("last_name", computed(string(), "Last name.")),
                ("email", computed(string(), "E-mail address, if any.")),
                ("external_id", computed(string(), "External id, if any.")),
                ("user_group_ids", computed(string_set(), "Ids of the user groups the user belongs to; null when the tenant does not offer `users/{id}/userGroups`.")),
                ("role_ids", computed(string_set(), "Ids of the roles the user has; null when the tenant does not offer `users/{id}/roles`.")),
                ("service_account", computed(tf_provider::schema::AttributeType::Bool, "Whether the user is a service account (no password expiry, no forced change of the first password); null when the tenant does not offer `users/{id}/authentication`.")),
                ("service_account_expires_at", computed(string(), "When the service account expires (RFC 3339), if it is one; null when the tenant does not offer `users/{id}/authentication`.")),
                ("password_expires_at", computed(string(), "When the current password expires, as the API reports it.")),
            ],
        )))
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let client = self.client.get(diags)?;
        let login = known(&config.login).unwrap_or_default().to_string();
        let listed = client
            .find_user_by_login(&login)
            .await
            .map(|found| found.into_iter().collect());
        let user = exactly_one_ignoring_case(
            diags,
            NAME,
            "login",
            &login,
            listed,
            |u: &contactpro_rci::User| &u.login,
        )?;
        let user_group_ids = memberships(&client, diags, &user, Membership::UserGroups).await?;
        let role_ids = memberships(&client, diags, &user, Membership::Roles).await?;
        let (service_account, service_account_expires_at, password_expires_at) =
            authentication(&client, diags, &user).await?;
        Some(UserLookup {
            login: Value::Value(user.login),
            id: Value::Value(user.id),
            user_group_ids,
            role_ids,
            service_account,
            service_account_expires_at,
            password_expires_at,
            first_name: Value::Value(user.first_name),
            last_name: Value::Value(user.surname),
            email: from_api(user.email),
            external_id: from_api(user.external_id),
        })
    }
}
